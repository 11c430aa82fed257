//! Monte Carlo robustness of the portfolio: draw every project's cost and value from its
//! three-point range, re-solve, and count how often each project is chosen (its **core
//! index**), where it starts, how the objective spreads, how often the base portfolio
//! overruns a budget when its costs are drawn, and a robust portfolio.
//!
//!
//! This file owns the run and its result; drawing a sample is `sample`'s, the statistics
//! over the samples (percentiles, a fixed portfolio's overrun) are `stats`'s.
//!
//! # What is counted
//!
//! Samples are solved by [`solve_sample`]: the same model, gap and checker as `plan`, to the
//! optimum within the gap, and each sample's schedule is the earliest the limits allow for
//! the projects it chose (step 1 of the contract's tie-break, a small exact solve), so the
//! start distribution says where the optimal portfolios start at the earliest. What is
//! left out by default is step 2 of the tie-break, the search for *another* selection of
//! exactly equal worth with earlier starts (up to 500 branch-and-bound nodes a sample):
//! with drawn, continuous costs and values two different selections of equal worth are
//! all but impossible, and it costs more than the sample's own solve;
//! [`UncertaintyOptions::earliest_starts`] applies it to every sample. A sample in which
//! forced work no longer fits is **infeasible**: counted, not an error. Core indices and
//! start distributions are shares of the feasible samples.
//!
//! # The robust portfolio
//!
//! Rule: every project whose core index is at least `threshold` (default 0.8) is forced in,
//! every candidate whose core index is below 1 − `threshold` is left out, and the projects
//! in between — the contested ones — are chosen by a solve at the point estimates. The
//! projects that are optimal in most plausible futures are committed to; the projects that
//! are almost never optimal are not bet on, even when the point estimates happen to favour
//! them; only the contested ones are decided on the numbers as written. It costs one solve,
//! its objective at the point estimates shows the price of robustness against the base
//! plan, and its overrun probability is reported next to the base plan's.

mod sample;
mod stats;

pub use sample::{draw, sampled, Draw};
pub use stats::overrun;

use crate::error::{Error, Result};
#[cfg(test)]
use crate::model::Project;
use crate::model::{Starts, Status, Workbook};
use crate::parallel::par_map;
use crate::solve::{solve, solve_sample, Solution, SolveOptions, SolveStatus};
use stats::stats;

/// Options of an uncertainty run.
#[derive(Debug, Clone, PartialEq)]
pub struct UncertaintyOptions {
    /// Number of samples (at least 1).
    pub samples: usize,
    /// Seed of the whole run; sample `i` uses stream `i` of it.
    pub seed: u64,
    /// Core index from which a project is forced into the robust portfolio (0.5…1).
    pub threshold: f64,
    /// Apply the whole earliest-start tie-break to every sample: also search other
    /// selections of equal worth with earlier starts (off, each sample's chosen projects
    /// still get their earliest schedule).
    pub earliest_starts: bool,
}

impl Default for UncertaintyOptions {
    fn default() -> Self {
        UncertaintyOptions {
            samples: 1000,
            seed: 1,
            threshold: 0.8,
            earliest_starts: false,
        }
    }
}

/// Objective statistics over the feasible samples.
#[derive(Debug, Clone, PartialEq)]
pub struct Stats {
    pub mean: f64,
    pub p10: f64,
    pub p50: f64,
    pub p90: f64,
    pub min: f64,
    pub max: f64,
}

/// How often a fixed portfolio breaks a budget cap when its costs are drawn.
#[derive(Debug, Clone, PartialEq)]
pub struct Overrun {
    /// Share of the samples in which at least one cap (total or category) is exceeded.
    pub probability: f64,
    /// Per period: share of the samples in which a cap of that period is exceeded.
    pub by_period: Vec<f64>,
}

/// A portfolio with its objective at the point estimates and its overrun probability.
#[derive(Debug, Clone, PartialEq)]
pub struct Plan {
    pub status: SolveStatus,
    pub starts: Starts,
    /// Objective at the point estimates (`None` when infeasible).
    pub objective: Option<f64>,
    /// `None` when there is no portfolio.
    pub overrun: Option<Overrun>,
}

/// The robust portfolio and the rule that made it.
#[derive(Debug, Clone, PartialEq)]
pub struct Robust {
    pub threshold: f64,
    /// Projects forced in (core index ≥ threshold), project indices.
    pub forced_in: Vec<usize>,
    /// Candidates left out (core index < 1 − threshold).
    pub left_out: Vec<usize>,
    pub plan: Plan,
}

/// The result of an uncertainty run.
#[derive(Debug, Clone, PartialEq)]
pub struct Uncertainty {
    pub samples: usize,
    pub seed: u64,
    /// Samples with a portfolio.
    pub feasible: usize,
    /// Samples in which forced work does not fit.
    pub infeasible: usize,
    /// Feasible samples whose solve stopped on the time limit (not proven optimal).
    pub unproven: usize,
    /// Projects whose cost or value range has a width (the others stay fixed).
    pub uncertain: Vec<bool>,
    /// Per project: share of the feasible samples that select it (0 when none is feasible).
    pub core_index: Vec<f64>,
    /// Per project, per period: share of the feasible samples that start it there.
    pub starts: Vec<Vec<f64>>,
    /// Objective of every sample, in sample order (`None`: infeasible).
    pub objectives: Vec<Option<f64>>,
    /// Over the feasible samples (`None` when none is).
    pub objective: Option<Stats>,
    /// The plan at the point estimates, and its overrun probability.
    pub base: Plan,
    pub robust: Robust,
}

/// Run `options.samples` samples on `workers` threads. `solve_options` are those of each
/// solve (the samples get the earliest schedule of their projects, and the whole tie-break
/// only with `options.earliest_starts`; the base plan uses them as given).
pub fn uncertainty(
    workbook: &Workbook,
    solve_options: &SolveOptions,
    options: &UncertaintyOptions,
    workers: usize,
) -> Result<Uncertainty> {
    uncertainty_with_progress(workbook, solve_options, options, workers, &|| {})
}

/// [`uncertainty`], calling `on_sample` each time a sample is solved (from the worker that
/// solved it, in no fixed order): for a progress bar.
pub fn uncertainty_with_progress(
    workbook: &Workbook,
    solve_options: &SolveOptions,
    options: &UncertaintyOptions,
    workers: usize,
    on_sample: &(dyn Fn() + Sync),
) -> Result<Uncertainty> {
    if options.samples == 0 {
        return Err(Error::Internal(
            "an uncertainty run needs at least 1 sample".into(),
        ));
    }
    if !(0.5..=1.0).contains(&options.threshold) {
        return Err(Error::Internal(format!(
            "the core threshold must lie in 0.5…1, got {}",
            options.threshold
        )));
    }
    let base = solve(workbook, solve_options)?;
    if base.status == SolveStatus::Infeasible {
        return Err(Error::Unsupported(
            "no feasible portfolio exists at the point estimates, so there is no base plan to test; run `arbiter plan` for the diagnosis".into(),
        ));
    }
    // Samples report selections and starts, not who works on what: no team allocation.
    let per_sample = SolveOptions {
        tie_break: options.earliest_starts,
        quick: true,
        allocate: false,
        ..solve_options.clone()
    };
    let indices: Vec<usize> = (0..options.samples).collect();
    let solved = par_map(&indices, workers, |&i| {
        let draw = draw(workbook, options.seed, i);
        let solved = solve_sample(&sampled(workbook, &draw), &per_sample).map(|s| (draw, s));
        on_sample();
        solved
    })?;
    let mut draws = Vec::with_capacity(options.samples);
    let mut solutions = Vec::with_capacity(options.samples);
    for result in solved {
        let (draw, solution) = result?;
        draws.push(draw);
        solutions.push(solution);
    }
    let (feasible, infeasible, unproven, core_index, starts) = count(workbook, &solutions);
    let robust = robust(
        workbook,
        solve_options,
        &draws,
        &core_index,
        options.threshold,
    )?;
    let objectives: Vec<Option<f64>> = solutions
        .iter()
        .map(|s| s.objective.filter(|_| s.status != SolveStatus::Infeasible))
        .collect();
    let values: Vec<f64> = objectives.iter().flatten().copied().collect();
    Ok(Uncertainty {
        samples: options.samples,
        seed: options.seed,
        feasible,
        infeasible,
        unproven,
        uncertain: workbook
            .projects
            .iter()
            .map(|p| p.cost_high > p.cost_low || p.value_high > p.value_low)
            .collect(),
        core_index,
        starts,
        objective: stats(&values),
        objectives,
        base: plan(workbook, &base, &draws),
        robust,
    })
}

type Counts = (usize, usize, usize, Vec<f64>, Vec<Vec<f64>>);

/// Feasible, infeasible and unproven samples, core indices and start shares.
fn count(workbook: &Workbook, solutions: &[Solution]) -> Counts {
    let n = workbook.projects.len();
    let mut selected = vec![0usize; n];
    let mut starts = vec![vec![0usize; workbook.horizon()]; n];
    let (mut feasible, mut unproven) = (0, 0);
    for s in solutions {
        if s.status == SolveStatus::Infeasible {
            continue;
        }
        feasible += 1;
        if s.status == SolveStatus::Feasible {
            unproven += 1;
        }
        for (p, start) in s.starts.iter().enumerate() {
            if let Some(t) = start {
                selected[p] += 1;
                if let Some(c) = starts[p].get_mut(*t) {
                    *c += 1;
                }
            }
        }
    }
    let share = |k: usize| {
        if feasible == 0 {
            0.0
        } else {
            k as f64 / feasible as f64
        }
    };
    (
        feasible,
        solutions.len() - feasible,
        unproven,
        selected.iter().map(|&k| share(k)).collect(),
        starts
            .iter()
            .map(|row| row.iter().map(|&k| share(k)).collect())
            .collect(),
    )
}

fn plan(workbook: &Workbook, solution: &Solution, draws: &[Draw]) -> Plan {
    let feasible = solution.status != SolveStatus::Infeasible;
    Plan {
        status: solution.status,
        starts: solution.starts.clone(),
        objective: solution.objective.filter(|_| feasible),
        overrun: feasible.then(|| overrun(workbook, &solution.starts, &solution.shares, draws)),
    }
}

/// See [`Robust`] and the module doc.
fn robust(
    workbook: &Workbook,
    options: &SolveOptions,
    draws: &[Draw],
    core: &[f64],
    t: f64,
) -> Result<Robust> {
    let mut wb = workbook.clone();
    let (mut forced_in, mut left_out) = (Vec::new(), Vec::new());
    for (p, project) in wb.projects.iter_mut().enumerate() {
        if project.status != Status::Candidate {
            continue;
        }
        // A small tolerance so that 0.8 of 1,000 samples counts as 0.8 whatever the rounding.
        if core[p] >= t - 1e-12 {
            project.status = Status::Mandatory;
            forced_in.push(p);
        } else if core[p] < 1.0 - t - 1e-12 {
            project.status = Status::Excluded;
            left_out.push(p);
        }
    }
    let solution = solve(&wb, options)?;
    Ok(Robust {
        threshold: t,
        forced_in,
        left_out,
        plan: plan(workbook, &solution, draws),
    })
}

/// A project with a three-point cost and value range, for the tests of the run and its parts.
#[cfg(test)]
fn ranged(id: &str, cost: (f64, f64, f64), value: (f64, f64, f64)) -> Project {
    Project {
        cost_low: cost.0,
        cost_high: cost.2,
        value_low: value.0,
        value_high: value.2,
        ..Project::candidate(id, cost.1, 1, value.1, 0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zero_width_ranges_give_core_indices_of_0_or_1_equal_to_the_base() {
        let wb = Workbook {
            periods: vec!["Q1".into(), "Q2".into()],
            projects: vec![
                Project::candidate("A", 60.0, 1, 5.0, 1),
                Project::candidate("B", 60.0, 1, 4.0, 1),
                Project::candidate("C", 60.0, 1, 3.0, 1),
            ],
            budget_total: vec![Some(100.0), Some(100.0)],
            ..Workbook::default()
        };
        let options = UncertaintyOptions {
            samples: 8,
            seed: 1,
            threshold: 0.8,
            earliest_starts: false,
        };
        let u = uncertainty(&wb, &SolveOptions::default(), &options, 2).unwrap();
        assert_eq!(u.feasible, 8);
        assert_eq!(u.core_index, vec![1.0, 1.0, 0.0]);
        let base: Vec<f64> = u
            .base
            .starts
            .iter()
            .map(|s| if s.is_some() { 1.0 } else { 0.0 })
            .collect();
        assert_eq!(u.core_index, base);
        let stats = u.objective.unwrap();
        assert_eq!((stats.p10, stats.p90), (9.0, 9.0));
        assert_eq!(u.base.overrun.unwrap().probability, 0.0);
        assert_eq!(u.robust.plan.starts.iter().flatten().count(), 2);
    }

    #[test]
    fn progress_is_called_once_per_sample_and_changes_nothing() {
        let wb = Workbook {
            periods: vec!["Q1".into()],
            projects: vec![
                ranged("A", (40.0, 60.0, 90.0), (4.0, 5.0, 6.0)),
                ranged("B", (40.0, 60.0, 90.0), (3.0, 4.0, 7.0)),
            ],
            budget_total: vec![Some(100.0)],
            ..Workbook::default()
        };
        let options = UncertaintyOptions {
            samples: 7,
            seed: 3,
            threshold: 0.8,
            earliest_starts: false,
        };
        let calls = std::sync::atomic::AtomicUsize::new(0);
        let counted =
            uncertainty_with_progress(&wb, &SolveOptions::default(), &options, 2, &|| {
                calls.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            })
            .unwrap();
        assert_eq!(calls.into_inner(), 7);
        let plain = uncertainty(&wb, &SolveOptions::default(), &options, 1).unwrap();
        assert_eq!(counted.core_index, plain.core_index);
        assert_eq!(counted.objectives, plain.objectives);
    }
}
