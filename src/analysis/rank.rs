//! The true ranking of a portfolio, from re-solves: for each selected project its
//! **criticality** (objective lost when it is forced out) and for each candidate that is out
//! its **regret** (objective lost when it is forced in), with what each forced change pushes
//! out or brings in. The re-solves run in parallel on the scenario runner.

use crate::error::{Error, Result};
use crate::model::{Starts, Status, Workbook};
use crate::parallel::par_map;
use crate::solve::{
    lp_estimates, solve, what_it_takes, Needed, Raise, Resource, Solution, SolveOptions,
    SolveStatus,
};

/// What forcing one project in or out does to the portfolio.
#[derive(Debug, Clone, PartialEq)]
pub enum Impact {
    /// The objective drops by `loss` (negative: it rises) and the portfolio changes so.
    Loss {
        loss: f64,
        /// Whether the re-solve was proven optimal (otherwise `loss` is an upper bound).
        proven: bool,
        /// Projects selected in the base that the forced portfolio leaves out.
        pushed_out: Vec<usize>,
        /// Projects out in the base that the forced portfolio selects.
        brought_in: Vec<usize>,
    },
    /// No feasible portfolio with this change; what the diagnosis found.
    Impossible { why: String },
}

impl Impact {
    /// The loss, when there is one.
    pub fn loss(&self) -> Option<f64> {
        match self {
            Impact::Loss { loss, .. } => Some(*loss),
            Impact::Impossible { .. } => None,
        }
    }
}

/// Criticality and regret of every project, indexed like [`Workbook::projects`].
#[derive(Debug, Clone, PartialEq)]
pub struct Ranking {
    /// For selected projects: what forcing it out does (`None` for the others).
    pub criticality: Vec<Option<Impact>>,
    /// For candidates that are out: what forcing it in does (`None` for the others,
    /// excluded projects included).
    pub regret: Vec<Option<Impact>>,
    /// For candidates that are out: the smallest extra budget and the smallest extra staff
    /// that bring it in without dropping any selected project.
    pub takes: Vec<Option<Takes>>,
}

/// What it would take to bring a project in, keeping every selected project.
#[derive(Debug, Clone, PartialEq)]
pub struct Takes {
    /// Budget raises (total or category, per period).
    pub money: Needed,
    /// Capacity raises (pool and period).
    pub staff: Needed,
}

impl Takes {
    /// The extra money to find: per period, the larger of the total-budget raise and the
    /// category raises (a category's raise is money earmarked inside the total).
    pub fn money_total(&self, periods: usize) -> Option<f64> {
        let Needed::Raises(raises) = &self.money else {
            return None;
        };
        let mut total = vec![0.0; periods];
        let mut category = vec![0.0; periods];
        for r in raises {
            match r {
                Raise::Budget { period, amount } => total[*period] += amount,
                Raise::CategoryBudget { period, amount, .. } => category[*period] += amount,
                Raise::Capacity { .. } => {}
            }
        }
        Some(total.iter().zip(&category).map(|(a, b)| a.max(*b)).sum())
    }

    /// The extra FTE-periods: the sum of the capacity raises.
    pub fn staff_total(&self) -> Option<f64> {
        let Needed::Raises(raises) = &self.staff else {
            return None;
        };
        Some(raises.iter().map(Raise::amount).sum())
    }
}

/// One forced change.
#[derive(Debug, Clone, Copy)]
enum Force {
    Out(usize),
    In(usize),
}

/// Rank the portfolio `base` of `workbook` by re-solving once per project, on `workers`
/// threads. `base` must have a portfolio (optimal or feasible).
pub fn rank(
    workbook: &Workbook,
    base: &Solution,
    options: &SolveOptions,
    workers: usize,
) -> Result<Ranking> {
    let Some(z) = base
        .objective
        .filter(|_| base.status != SolveStatus::Infeasible)
    else {
        return Err(Error::Internal(
            "a ranking needs a feasible base portfolio".into(),
        ));
    };
    let forces: Vec<Force> = (0..workbook.projects.len())
        .filter_map(|p| match (base.starts[p], workbook.projects[p].status) {
            (Some(_), _) => Some(Force::Out(p)),
            (None, Status::Excluded) => None,
            (None, _) => Some(Force::In(p)),
        })
        .collect();
    // The ranking compares objectives only: the earliest-start tie-break is not needed.
    let resolve = SolveOptions {
        tie_break: false,
        allocate: false,
        quick: true,
        ..options.clone()
    };
    let impacts = par_map(&forces, workers, |force| {
        let (forced, p) = match *force {
            Force::Out(p) => (Status::Excluded, p),
            Force::In(p) => (Status::Mandatory, p),
        };
        let mut wb = workbook.clone();
        wb.projects[p].status = forced;
        solve(&wb, &resolve).map(|s| impact(z, &base.starts, &s))
    })?;
    let n = workbook.projects.len();
    let mut ranking = Ranking {
        criticality: vec![None; n],
        regret: vec![None; n],
        takes: vec![None; n],
    };
    for (force, impact) in forces.iter().zip(impacts) {
        let impact = impact?;
        match *force {
            Force::Out(p) => ranking.criticality[p] = Some(impact),
            Force::In(p) => ranking.regret[p] = Some(impact),
        }
    }
    let asks: Vec<(usize, Resource)> = forces
        .iter()
        .filter_map(|f| match *f {
            Force::In(p) => Some(p),
            Force::Out(_) => None,
        })
        .flat_map(|p| [(p, Resource::Money), (p, Resource::Staff)])
        .collect();
    let answers = par_map(&asks, workers, |&(p, resource)| {
        what_it_takes(workbook, &base.starts, p, resource, options)
    })?;
    for (&(p, resource), answer) in asks.iter().zip(answers) {
        let answer = answer?;
        let takes = ranking.takes[p].get_or_insert(Takes {
            money: Needed::NotFound,
            staff: Needed::NotFound,
        });
        match resource {
            Resource::Money => takes.money = answer,
            Resource::Staff => takes.staff = answer,
        }
    }
    Ok(ranking)
}

/// A fast ranking for large workbooks: one LP relaxation, whose reduced costs estimate what
/// forcing each project out or in would lose (to first order; the estimates are marked as
/// not proven, and say nothing of what would be pushed out). `None` when the LP does not
/// solve within the time limit.
pub fn rank_fast(
    workbook: &Workbook,
    base: &Solution,
    options: &SolveOptions,
) -> Result<Option<Ranking>> {
    // The solve's own relaxation, when it kept one. Under a time limit a missing one means
    // the LP did not finish in time: solving it again would overrun the limit (a 10 s plan
    // of 5,000 projects took 15.8 s that way), so the ranking falls back to scores.
    let lp = match &base.lp {
        Some(lp) => lp.clone(),
        None if options.time_limit.is_some() => return Ok(None),
        None => match lp_estimates(workbook, options)? {
            Some(lp) => lp,
            None => return Ok(None),
        },
    };
    let n = workbook.projects.len();
    let estimate = |loss: f64| Impact::Loss {
        loss: loss.max(0.0),
        proven: false,
        pushed_out: Vec::new(),
        brought_in: Vec::new(),
    };
    let mut ranking = Ranking {
        criticality: vec![None; n],
        regret: vec![None; n],
        takes: vec![None; n],
    };
    for p in 0..n {
        match (base.starts[p], workbook.projects[p].status) {
            (Some(_), _) => ranking.criticality[p] = Some(estimate(lp.drop[p])),
            (None, Status::Excluded) => {}
            (None, _) => ranking.regret[p] = Some(estimate(lp.force[p])),
        }
    }
    Ok(Some(ranking))
}

pub(crate) fn impact(z: f64, base: &Starts, forced: &Solution) -> Impact {
    match forced.objective {
        Some(objective) if forced.status != SolveStatus::Infeasible => {
            let (brought_in, pushed_out) = super::moves(base, &forced.starts);
            Impact::Loss {
                // Exact zeros stay zeros: a loss within rounding of 0 is no loss.
                loss: if (z - objective).abs() <= 1e-9 * z.abs().max(1.0) {
                    0.0
                } else {
                    z - objective
                },
                proven: forced.status == SolveStatus::Optimal,
                pushed_out,
                brought_in,
            }
        }
        _ => Impact::Impossible {
            why: forced
                .diagnosis
                .as_ref()
                .map(|d| {
                    d.findings
                        .iter()
                        .map(|f| f.message.as_str())
                        .collect::<Vec<_>>()
                        .join("; ")
                })
                .filter(|text| !text.is_empty())
                .unwrap_or_else(|| "no feasible portfolio".to_string()),
        },
    }
}
