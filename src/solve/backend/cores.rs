//! The "core" models: restricted MILPs that fix every column the LP relaxation is sure
//! about and leave the rest free, small enough for HiGHS to solve far faster than the whole
//! model, grown while HiGHS proves them optimal with time to spare. A primal heuristic for
//! the MIP start, and the racing side of a time-limited solve on two cores.

use std::time::Instant;

use super::race::{Exchange, Link};
use super::relaxation::Relaxation;
use super::{keep_all, run, RunSpec, RunStatus};
use crate::error::Result;
use crate::model::Workbook;
use crate::solve::encode::Encoded;
use crate::solve::SolveOptions;

/// The growing core of [`primal_start`](super::start::primal_start), and the racing side
/// of a time-limited solve on two cores (`race`, see [`super::race`]): core models
/// that free a quarter, a half, … of the columns, each starting from `best`'s portfolio,
/// polished by the local search (`budget` / 4) and offered back to `best`, while HiGHS
/// proves them optimal before `until` (seconds after `started`). Racing, each core
/// publishes its finds as it runs, and the search ends as soon as the whole-model run does
/// (`best` is stopped).
#[allow(clippy::too_many_arguments)]
pub(super) fn grow_cores(
    workbook: &Workbook,
    encoded: &Encoded,
    relaxation: &Relaxation,
    options: &SolveOptions,
    started: &Instant,
    until: f64,
    budget: u64,
    best: &Exchange,
    race: bool,
) {
    let prices = Some(relaxation.prices.as_slice());
    let mut free = 0.25;
    while free < 1.0 && !best.stopped() {
        let left = until - started.elapsed().as_secs_f64();
        if left <= 0.0 {
            break;
        }
        let start = best.best().map(|(_, values)| values);
        let link = race.then_some(Link {
            exchange: best,
            receive: false,
        });
        // The core is only a heuristic: HiGHS failing on it costs the core, not the solve.
        let Ok(Some((core, proven))) = core_start(
            encoded,
            relaxation,
            options,
            free,
            left,
            start.as_deref(),
            link,
        ) else {
            break;
        };
        // Once the race is over every second counts: no polish then.
        let core = if best.stopped() {
            core
        } else {
            crate::solve::heuristic::improve(workbook, encoded, options, prices, &core, budget / 4)
        };
        best.offer(&core);
        if std::env::var_os("ARBITER_SOLVER_LOG").is_some() {
            eprintln!(
                "core {free}: proven {proven}, worth {} at {:.2}s",
                best.worth(&core),
                started.elapsed().as_secs_f64()
            );
        }
        if !proven {
            break;
        }
        free *= 2.0;
    }
}

/// A primal solution from the core of the model: the columns the LP relaxation leaves
/// fractional, plus those whose reduced cost is smallest (the ones the LP is least sure
/// about) up to a quarter of all columns, stay free; every other column is fixed at its LP
/// value (0 or 1). That restricted MILP is small and HiGHS solves it far faster than the
/// whole one, and for knapsack-like models its optimum is close to the whole optimum (the
/// "core problem" of Puchinger, Raidl and Pferschy, 2010). `None` when the core model has no
/// solution in time.
pub(crate) fn core_start(
    encoded: &Encoded,
    lp: &Relaxation,
    options: &SolveOptions,
    share: f64,
    time_limit: f64,
    start: Option<&[f64]>,
    race: Option<Link<'_>>,
) -> Result<Option<(Vec<f64>, bool)>> {
    let n = encoded.columns.len();
    let integral = |v: f64| !(1e-6..=1.0 - 1e-6).contains(&v);
    let mut free: Vec<bool> = lp.values.iter().map(|&v| !integral(v)).collect();
    let fractional = free.iter().filter(|&&f| f).count();
    let target = ((share * n as f64) as usize).max(2 * fractional);
    let mut by_reduced: Vec<usize> = (0..n).filter(|&j| !free[j]).collect();
    by_reduced.sort_by(|&a, &b| lp.reduced[a].total_cmp(&lp.reduced[b]).then(a.cmp(&b)));
    for &j in by_reduced.iter().take(target.saturating_sub(fractional)) {
        free[j] = true;
    }
    if free.iter().all(|&f| f) {
        return Ok(None);
    }
    let fixed: Vec<Option<f64>> = (0..n)
        .map(|j| (!free[j]).then(|| lp.values[j].round()))
        .collect();
    // The heuristic start helps only when it agrees with the fixings.
    let start = start.filter(|s| {
        fixed
            .iter()
            .zip(s.iter())
            .all(|(f, v)| f.is_none_or(|f| (f - v).abs() < 0.5))
    });
    let run = run(
        encoded,
        &RunSpec {
            objective: Some(&encoded.objective),
            maximise: true,
            extra_at_least: Vec::new(),
            keep: &keep_all,
            time_limit: Some(time_limit),
            rel_gap: options.gap,
            abs_gap: None,
            threads: options.threads,
            start,
            fixed: Some(&fixed),
            max_nodes: None,
            quick: options.quick,
            race,
        },
    )?;
    let proven = run.status == RunStatus::Optimal;
    Ok(run
        .values
        .map(|v| v.iter().map(|x| x.round()).collect::<Vec<f64>>())
        .filter(|v| encoded.satisfies(v))
        .map(|v| (v, proven)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::solve::backend::lp_relaxation;
    use crate::solve::backend::tests::{knapsack, model_of, whole};

    #[test]
    fn a_core_solve_agrees_with_the_full_solve_on_a_tiny_case() {
        let wb = knapsack();
        let encoded = model_of(&wb);
        let lp = lp_relaxation(&encoded, None).unwrap();
        let full = run(&encoded, &whole(&encoded)).unwrap();
        let options = SolveOptions {
            gap: 0.0,
            ..SolveOptions::default()
        };
        // A is fractional in the LP and B has the smaller reduced cost: both free, C fixed
        // at its LP value 1.
        let (core, proven) = core_start(&encoded, &lp, &options, 0.25, 10.0, None, None)
            .unwrap()
            .unwrap();
        assert!(proven);
        assert_eq!(core[2], 1.0);
        assert_eq!(core, vec![1.0, 0.0, 1.0]);
        assert!((encoded.worth(&core) - encoded.worth(&full.values.unwrap())).abs() < 1e-9);
    }

    #[test]
    fn a_core_that_frees_every_column_is_no_core() {
        let encoded = model_of(&knapsack());
        let lp = lp_relaxation(&encoded, None).unwrap();
        let options = SolveOptions::default();
        let none = core_start(&encoded, &lp, &options, 1.0, 10.0, None, None).unwrap();
        assert!(none.is_none());
    }

    #[test]
    fn growing_cores_improve_on_the_start_they_are_given() {
        let wb = knapsack();
        let encoded = model_of(&wb);
        let lp = lp_relaxation(&encoded, None).unwrap();
        let options = SolveOptions::default();
        // B + C, worth 60: the core model finds A + C.
        let best = Exchange::new(&encoded.objective, Some(&[0.0, 1.0, 1.0]));
        let started = Instant::now();
        grow_cores(
            &wb, &encoded, &lp, &options, &started, 30.0, 1_000_000, &best, false,
        );
        let (worth, values) = best.best().unwrap();
        assert!((worth - 65.0).abs() < 1e-9, "{values:?}");
        assert!(encoded.satisfies(&values));
        // A stopped exchange grows nothing.
        let stopped = Exchange::new(&encoded.objective, Some(&[0.0, 1.0, 1.0]));
        stopped.stop();
        grow_cores(
            &wb, &encoded, &lp, &options, &started, 30.0, 1_000_000, &stopped, false,
        );
        assert!((stopped.best().unwrap().0 - 60.0).abs() < 1e-9);
    }
}
