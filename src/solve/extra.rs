//! What it would take: the smallest extra budget, or extra staff, that brings a project
//! into the portfolio without dropping any project already in it.
//!
//! The model is the ordinary one with every selected project forced in (its start may move)
//! and the project asked about forced in too, plus one continuous slack per budget row
//! (money) or per capacity row (staff): a row may be exceeded by its slack, and the sum of
//! the slacks is minimised. Every other rule stays as it is, so when no amount of the one
//! resource is enough (the project excludes one that is in, staff is short as well as
//! money, …) the answer is `None`.

use good_lp::solvers::highs::highs;
use good_lp::{variable, Expression, ResolutionError, Solution as _, SolverModel, Variable};

use super::encode::{constraints, Encoded, Tag};
use super::SolveOptions;
use crate::error::{Error, Result};
use crate::model::{Objective, Starts, Status, Workbook};

/// Which limit may grow.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Resource {
    /// Budget: the total of a period, or a category's.
    Money,
    /// Capacity of a pool in a period.
    Staff,
}

/// One limit raised, and by how much.
#[derive(Debug, Clone, PartialEq)]
pub enum Raise {
    Budget {
        period: usize,
        amount: f64,
    },
    CategoryBudget {
        category: usize,
        period: usize,
        amount: f64,
    },
    /// Capacity of a pool (with teams.csv: of a team, see [`Workbook::holder_name`]).
    Capacity {
        pool: usize,
        period: usize,
        fte: f64,
    },
}

impl Raise {
    /// The amount (money or FTE).
    pub fn amount(&self) -> f64 {
        match self {
            Raise::Budget { amount, .. } | Raise::CategoryBudget { amount, .. } => *amount,
            Raise::Capacity { fte, .. } => *fte,
        }
    }
}

/// What a raise search found.
#[derive(Debug, Clone, PartialEq)]
pub enum Needed {
    /// The smallest raise, in period order (empty: it fits as things are).
    Raises(Vec<Raise>),
    /// No raise of that resource alone is enough.
    Impossible,
    /// The time limit ran out before any answer was found.
    NotFound,
}

/// Amounts below this are solver noise, not a raise.
const NOISE: f64 = 1e-7;

/// The smallest raise of `resource` that lets `project` join the portfolio `base` (every
/// project selected in `base` stays selected; starts may move). Under a time limit the raise
/// found may not be the smallest, or none may be found ([`Needed::NotFound`]).
pub fn what_it_takes(
    workbook: &Workbook,
    base: &Starts,
    project: usize,
    resource: Resource,
    options: &SolveOptions,
) -> Result<Needed> {
    let mut wb = workbook.clone();
    for (p, start) in base.iter().enumerate() {
        if start.is_some() && wb.projects[p].status == Status::Candidate {
            wb.projects[p].status = Status::Mandatory;
        }
    }
    if wb.projects[project].status == Status::Excluded {
        return Ok(Needed::Impossible);
    }
    if wb.projects[project].status == Status::Candidate {
        wb.projects[project].status = Status::Mandatory;
    }
    let encoded = Encoded::new(&wb, Objective::Value, 0.0);
    let mut vars = good_lp::ProblemVariables::new();
    let x: Vec<Variable> = encoded.add_variables(&mut vars, None);
    let raised = |g: &Tag| match resource {
        Resource::Money => matches!(g, Tag::Budget { .. } | Tag::CategoryBudget { .. }),
        Resource::Staff => matches!(g, Tag::Capacity { .. } | Tag::Team { .. }),
    };
    let slacks: Vec<(Tag, Variable)> = encoded
        .rows
        .iter()
        .filter(|r| raised(&r.tag))
        .map(|r| (r.tag, vars.add(variable().min(0.0))))
        .collect();
    let total: Expression = slacks.iter().map(|(_, s)| *s).sum();
    let mut problem = vars.minimise(total).using(highs);
    problem.set_verbose(false);
    problem = problem.set_threads(u32::try_from(options.threads.max(1)).unwrap_or(1));
    if let Some(limit) = options.time_limit {
        problem = problem.set_time_limit(limit.max(0.01));
    }
    for row in &encoded.rows {
        if row.terms.is_empty() {
            if row.lower > 0.0 || row.upper < 0.0 {
                return Ok(Needed::Impossible);
            }
            continue;
        }
        let mut e = Encoded::expression(&x, &row.terms);
        if let Some((_, slack)) = slacks.iter().find(|(g, _)| *g == row.tag) {
            // Only upper limits (caps) are raised.
            e -= *slack;
        }
        for constraint in constraints(row, e) {
            problem.add_constraint(constraint);
        }
    }
    let solution = match problem.solve() {
        Ok(solution) => solution,
        Err(ResolutionError::Infeasible) => return Ok(Needed::Impossible),
        // Stopped by the time limit before HiGHS had a solution.
        Err(_) if options.time_limit.is_some() => return Ok(Needed::NotFound),
        Err(e) => {
            return Err(Error::Internal(format!(
                "highs failed while computing what it would take: {e}"
            )))
        }
    };
    let mut raises: Vec<Raise> = slacks
        .iter()
        .filter_map(|(group, slack)| {
            let amount = solution.value(*slack);
            if amount <= NOISE {
                return None;
            }
            match *group {
                Tag::Budget { period } => Some(Raise::Budget { period, amount }),
                Tag::CategoryBudget { category, period } => Some(Raise::CategoryBudget {
                    category,
                    period,
                    amount,
                }),
                Tag::Capacity { pool, period } | Tag::Team { team: pool, period } => {
                    Some(Raise::Capacity {
                        pool,
                        period,
                        fte: amount,
                    })
                }
                _ => None,
            }
        })
        .collect();
    raises.sort_by_key(|r| match r {
        Raise::Budget { period, .. } => (*period, 0, 0),
        Raise::CategoryBudget {
            category, period, ..
        } => (*period, 1, *category),
        Raise::Capacity { pool, period, .. } => (*period, 2, *pool),
    });
    Ok(Needed::Raises(raises))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Demand, Project};

    /// tiny/budget: 2 periods, budget 100 then 70; A (60/60, value 10), B 50, C 45.
    fn budget_workbook() -> Workbook {
        Workbook {
            periods: vec!["Q1".into(), "Q2".into()],
            projects: vec![
                Project::candidate("A", 120.0, 2, 10.0, 0),
                Project::candidate("B", 50.0, 1, 6.0, 1),
                Project::candidate("C", 45.0, 1, 5.0, 1),
            ],
            budget_total: vec![Some(100.0), Some(70.0)],
            ..Workbook::default()
        }
    }

    #[test]
    fn money_for_a_with_b_and_c_kept() {
        // Keeping B and C (95 together) and adding A (60 in each period): B and C go in
        // different periods at best. B in Q1, C in Q2: Q1 110 (+10), Q2 105 (+35) = 45;
        // C in Q1, B in Q2: Q1 105 (+5), Q2 110 (+40) = 45; both in Q1: 155 (+55) = 55.
        let wb = budget_workbook();
        let base = vec![None, Some(0), Some(0)];
        let Needed::Raises(raises) =
            what_it_takes(&wb, &base, 0, Resource::Money, &SolveOptions::default()).unwrap()
        else {
            panic!("no raise found")
        };
        let total: f64 = raises.iter().map(Raise::amount).sum();
        assert!((total - 45.0).abs() < 1e-6, "{raises:?}");
        // No pools: no amount of staff helps.
        assert_eq!(
            what_it_takes(&wb, &base, 0, Resource::Staff, &SolveOptions::default()).unwrap(),
            Needed::Impossible
        );
    }

    #[test]
    fn staff_for_a_project_short_of_one_fte() {
        let mut wb = budget_workbook();
        wb.budget_total = vec![None, None];
        wb.pools = vec!["dev".into()];
        wb.capacity = vec![vec![2.0, 2.0]];
        for (p, fte) in [(0, 1.5), (1, 1.0), (2, 1.0)] {
            wb.projects[p].demand = vec![Demand {
                pool: 0,
                fte: vec![fte; wb.projects[p].duration],
            }];
        }
        // B in Q1 and C in Q2 use 1 FTE each; A needs 1.5 in both periods: 0.5 short in each.
        let base = vec![None, Some(0), Some(1)];
        let Needed::Raises(raises) =
            what_it_takes(&wb, &base, 0, Resource::Staff, &SolveOptions::default()).unwrap()
        else {
            panic!("no raise found")
        };
        let total: f64 = raises.iter().map(Raise::amount).sum();
        assert!((total - 1.0).abs() < 1e-6, "{raises:?}");
        assert_eq!(raises.len(), 2);
    }
}
