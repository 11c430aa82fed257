//! Monte Carlo robustness of the portfolio: draw every project's cost and value from its
//! three-point range, re-solve, and count how often each project is chosen (its **core
//! index**), where it starts, how the objective spreads, how often the base portfolio
//! overruns a budget when its costs are drawn, and a robust portfolio.
//!
//! # Sampling
//!
//! Each uncertain quantity follows a **PERT** distribution on (low, likely, high): a Beta
//! with α = 1 + 4(m − a)/(b − a), β = 1 + 4(b − m)/(b − a), scaled to [a, b]; its mean is
//! (a + 4m + b)/6. PERT rather than triangular because it is what three-point estimates
//! mean in project management (the PERT/Beta convention), it puts less weight on the tails
//! than a triangle of the same range, and its mean stays close to the most likely value
//! that the PMO wrote. A zero-width range (low = likely = high, the default when the range
//! columns are empty) is not drawn: that number stays fixed.
//!
//! - **Cost.** The drawn cost replaces `cost`, and the spend profile (`costs.csv` or the
//!   even spread) is scaled by drawn / likely, so that a project that overruns overruns in
//!   every period of its profile alike. Staff demand is not drawn.
//! - **Value.** The drawn value replaces `value`; with drivers (the weighted score is the
//!   objective) the project's driver scores, and so its score, are scaled by
//!   drawn value / likely value (a value of 0 has no range and is left alone). A value
//!   range is thus read as "this project's benefit may be x % lower or higher", whatever
//!   the objective counts.
//!
//! Sample `i` draws from a ChaCha8 generator seeded with the run's seed and set to stream
//! `i`, projects in workbook order, cost before value: the draws of a sample do not depend
//! on how many workers run or in which order, so the results are the same whatever `--jobs`.
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

use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use rand_distr::{Distribution, Pert};

use crate::error::{Error, Result};
use crate::model::{Starts, Status, Workbook};
use crate::parallel::par_map;
use crate::solve::{solve, solve_sample, Solution, SolveOptions, SolveStatus};

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

/// The drawn numbers of one sample, per project.
#[derive(Debug, Clone, PartialEq)]
pub struct Draw {
    pub cost: Vec<f64>,
    pub value: Vec<f64>,
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

/// One uncertain number: fixed when its range has no width.
fn pert(low: f64, likely: f64, high: f64) -> Option<Pert<f64>> {
    if high - low <= 0.0 {
        return None;
    }
    Pert::new(low, high).with_mode(likely).ok()
}

/// The generator of sample `sample` of a run seeded with `seed`.
fn rng(seed: u64, sample: usize) -> ChaCha8Rng {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    rng.set_stream(sample as u64);
    rng
}

/// The cost and value of every project in sample `sample` of the run seeded with `seed`.
pub fn draw(workbook: &Workbook, seed: u64, sample: usize) -> Draw {
    let mut rng = rng(seed, sample);
    let mut out = Draw {
        cost: Vec::with_capacity(workbook.projects.len()),
        value: Vec::with_capacity(workbook.projects.len()),
    };
    for p in &workbook.projects {
        let cost = pert(p.cost_low, p.cost, p.cost_high).map_or(p.cost, |d| d.sample(&mut rng));
        let value =
            pert(p.value_low, p.value, p.value_high).map_or(p.value, |d| d.sample(&mut rng));
        out.cost.push(cost);
        out.value.push(value);
    }
    out
}

/// `workbook` with the drawn costs and values (see the module doc for how they apply).
pub fn sampled(workbook: &Workbook, draw: &Draw) -> Workbook {
    let mut wb = workbook.clone();
    for (p, project) in wb.projects.iter_mut().enumerate() {
        let cost = draw.cost[p];
        if project.cost > 0.0 && cost != project.cost {
            let factor = cost / project.cost;
            project.cost_profile.iter_mut().for_each(|c| *c *= factor);
            project.cost = cost;
        }
        let value = draw.value[p];
        if project.value > 0.0 && value != project.value {
            let factor = value / project.value;
            project.scores.iter_mut().for_each(|s| *s *= factor);
            project.value = value;
        }
    }
    wb
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
        overrun: feasible.then(|| overrun(workbook, &solution.starts, draws)),
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

/// Whether `spend` breaks `cap` beyond the contract's tolerance.
fn over(spend: f64, cap: f64) -> bool {
    spend > cap + 1e-6 * cap.abs().max(1.0)
}

/// How often the fixed portfolio `starts` breaks a budget cap with each sample's costs.
pub fn overrun(workbook: &Workbook, starts: &Starts, draws: &[Draw]) -> Overrun {
    let horizon = workbook.horizon();
    let mut any = 0usize;
    let mut by_period = vec![0usize; horizon];
    for draw in draws {
        let mut total = vec![0.0; horizon];
        let mut by_category = vec![vec![0.0; horizon]; workbook.categories.len()];
        for (p, start) in starts.iter().enumerate() {
            let Some(start) = start else { continue };
            let project = &workbook.projects[p];
            let factor = if project.cost > 0.0 {
                draw.cost[p] / project.cost
            } else {
                1.0
            };
            for (offset, amount) in project.cost_profile.iter().enumerate() {
                let t = start + offset;
                if t >= horizon {
                    break;
                }
                total[t] += amount * factor;
                if let Some(c) = project.category {
                    by_category[c][t] += amount * factor;
                }
            }
        }
        let mut broke = false;
        for t in 0..horizon {
            let total_over = workbook.budget_total[t].is_some_and(|cap| over(total[t], cap));
            let category_over = workbook.budget_category.iter().any(|(c, caps)| {
                caps.get(t)
                    .copied()
                    .flatten()
                    .is_some_and(|cap| over(by_category[*c][t], cap))
            });
            if total_over || category_over {
                by_period[t] += 1;
                broke = true;
            }
        }
        any += usize::from(broke);
    }
    let share = |k: usize| k as f64 / draws.len().max(1) as f64;
    Overrun {
        probability: share(any),
        by_period: by_period.into_iter().map(share).collect(),
    }
}

/// Nearest-rank percentile of sorted values: the smallest value with at least `q` of the
/// values at or below it.
fn percentile(sorted: &[f64], q: f64) -> f64 {
    let rank = ((q * sorted.len() as f64).ceil() as usize).clamp(1, sorted.len());
    sorted[rank - 1]
}

fn stats(values: &[f64]) -> Option<Stats> {
    if values.is_empty() {
        return None;
    }
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    Some(Stats {
        mean: values.iter().sum::<f64>() / values.len() as f64,
        p10: percentile(&sorted, 0.1),
        p50: percentile(&sorted, 0.5),
        p90: percentile(&sorted, 0.9),
        min: sorted[0],
        max: sorted[sorted.len() - 1],
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Project;

    fn ranged(id: &str, cost: (f64, f64, f64), value: (f64, f64, f64)) -> Project {
        Project {
            cost_low: cost.0,
            cost_high: cost.2,
            value_low: value.0,
            value_high: value.2,
            ..Project::candidate(id, cost.1, 1, value.1, 0)
        }
    }

    #[test]
    fn pert_draws_stay_in_range_and_have_the_pert_mean() {
        let wb = Workbook {
            periods: vec!["Q1".into()],
            projects: vec![ranged("A", (80.0, 100.0, 160.0), (10.0, 20.0, 24.0))],
            budget_total: vec![Some(1000.0)],
            ..Workbook::default()
        };
        let n = 20_000;
        let (mut cost_sum, mut value_sum) = (0.0, 0.0);
        for i in 0..n {
            let d = draw(&wb, 7, i);
            assert!((80.0..=160.0).contains(&d.cost[0]), "{}", d.cost[0]);
            assert!((10.0..=24.0).contains(&d.value[0]), "{}", d.value[0]);
            cost_sum += d.cost[0];
            value_sum += d.value[0];
        }
        // PERT mean (a + 4m + b) / 6: 106.667 and 19.
        let cost_mean = cost_sum / n as f64;
        let value_mean = value_sum / n as f64;
        assert!((cost_mean - 640.0 / 6.0).abs() < 0.5, "{cost_mean}");
        assert!((value_mean - 19.0).abs() < 0.1, "{value_mean}");
    }

    #[test]
    fn draws_depend_only_on_seed_and_sample() {
        let wb = Workbook {
            periods: vec!["Q1".into()],
            projects: vec![
                ranged("A", (80.0, 100.0, 160.0), (10.0, 20.0, 24.0)),
                ranged("B", (5.0, 5.0, 5.0), (1.0, 2.0, 3.0)),
            ],
            budget_total: vec![Some(1000.0)],
            ..Workbook::default()
        };
        // Out of order and repeated: the same sample gives the same draw.
        assert_eq!(draw(&wb, 3, 17), draw(&wb, 3, 17));
        let forward: Vec<Draw> = (0..5).map(|i| draw(&wb, 3, i)).collect();
        let backward: Vec<Draw> = (0..5).rev().map(|i| draw(&wb, 3, i)).collect();
        assert!(forward.iter().eq(backward.iter().rev()));
        assert_ne!(draw(&wb, 3, 0), draw(&wb, 3, 1));
        assert_ne!(draw(&wb, 3, 0), draw(&wb, 4, 0));
        // A zero-width range is not drawn.
        assert!(forward.iter().all(|d| d.cost[1] == 5.0));
    }

    #[test]
    fn a_sample_scales_the_profile_and_the_scores() {
        let mut p = ranged("A", (50.0, 100.0, 200.0), (5.0, 10.0, 20.0));
        p.duration = 2;
        p.cost_profile = vec![70.0, 30.0];
        p.scores = vec![4.0, 8.0];
        let wb = Workbook {
            periods: vec!["Q1".into(), "Q2".into()],
            projects: vec![p],
            ..Workbook::default()
        };
        let s = sampled(
            &wb,
            &Draw {
                cost: vec![150.0],
                value: vec![5.0],
            },
        );
        assert_eq!(s.projects[0].cost_profile, vec![105.0, 45.0]);
        assert_eq!(s.projects[0].scores, vec![2.0, 4.0]);
        assert_eq!(s.projects[0].value, 5.0);
    }

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

    #[test]
    fn overrun_counts_the_samples_that_break_a_cap() {
        let wb = Workbook {
            periods: vec!["Q1".into()],
            projects: vec![ranged("A", (80.0, 100.0, 160.0), (1.0, 1.0, 1.0))],
            budget_total: vec![Some(120.0)],
            ..Workbook::default()
        };
        let draws = [100.0, 119.0, 121.0, 150.0].map(|c| Draw {
            cost: vec![c],
            value: vec![1.0],
        });
        let o = overrun(&wb, &vec![Some(0)], &draws);
        assert_eq!(o.probability, 0.5);
        assert_eq!(o.by_period, vec![0.5]);
        assert_eq!(overrun(&wb, &vec![None], &draws).probability, 0.0);
    }

    #[test]
    fn percentiles_are_nearest_rank() {
        let s = stats(&[5.0, 1.0, 4.0, 2.0, 3.0, 6.0, 7.0, 8.0, 9.0, 10.0]).unwrap();
        assert_eq!((s.p10, s.p50, s.p90), (1.0, 5.0, 9.0));
        assert_eq!(s.mean, 5.5);
        assert!(stats(&[]).is_none());
    }
}
