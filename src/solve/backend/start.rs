//! The MIP start HiGHS runs from: the LP relaxation, the greedy constructions improved by
//! a local search, a re-plan's baseline, and under a time limit the best of the core models;
//! and the local search's work budgets, counted in row evaluations so that the same input
//! gives the same portfolio.

use std::time::Instant;

use super::cores::grow_cores;
use super::race::Exchange;
use super::relaxation::{lp_relaxation, Relaxation};
use crate::model::Workbook;
use crate::solve::encode::Encoded;
use crate::solve::SolveOptions;

/// Row evaluations of the local search per second, roughly, on the reference machine.
const EVALUATIONS_PER_SECOND: f64 = 2e8;

/// The local search's work on the MIP start: about a second, a tenth of a short time
/// limit. The many short re-solves of an analysis (`quick`) start from a shorter search: on
/// the demo's ranking the full one took longer than HiGHS itself.
pub(super) fn start_budget(options: &SolveOptions) -> u64 {
    let seconds = options.time_limit.map_or(1.0, |t| (0.1 * t).min(1.0));
    search_budget(if options.quick {
        seconds / 20.0
    } else {
        seconds
    })
}

/// The local search's work in row evaluations for `seconds`. A count, not a clock, so that
/// the same input gives the same portfolio; the search also stops sooner when it stalls.
pub(super) fn search_budget(seconds: f64) -> u64 {
    (seconds * EVALUATIONS_PER_SECOND) as u64
}

/// Share of a time limit that the LP relaxation may take. It only matters when the LP is
/// slow, and then the LP is worth the wait: without it the greedy has no prices, the core
/// models have no core and the bound is a trivial one, while HiGHS, which must solve the
/// same LP at its root, gets no further in the time that is left. Generated 5,000 × 12 × 20
/// at 10 s (the LP takes about 6.5 s): with a quarter the LP was cut off and the answer was
/// 17,785 at 39.6 % gap; with 0.8, 19,998 at 1.05 %.
const LP_SHARE: f64 = 0.8;

/// The MIP start: the LP relaxation (at most [`LP_SHARE`] of the time), the greedy
/// constructions improved by local search (about a second, a tenth of a short time limit)
/// and, under a time limit, the best of the core models (half of the time left), improved
/// again. Also returns the relaxation, whose objective bounds the optimum.
pub(super) fn primal_start(
    workbook: &Workbook,
    encoded: &Encoded,
    options: &SolveOptions,
    started: &Instant,
    cores: bool,
) -> (Option<Vec<f64>>, Option<Relaxation>) {
    let remaining =
        |limit: Option<f64>| limit.map(|l| (l - started.elapsed().as_secs_f64()).max(0.0));
    let lp = lp_relaxation(encoded, remaining(options.time_limit).map(|t| LP_SHARE * t));
    let guide = lp
        .as_ref()
        .map(|lp| (lp.prices.as_slice(), lp.values.as_slice()));
    let prices = guide.map(|g| g.0);
    if !encoded.shares.is_empty() {
        // Partly funded projects: the heuristics work on the model with every project funded
        // whole (a 0/1 model, every portfolio of which is one of this model too); HiGHS then
        // lowers the shares where that pays. No core models: they fix 0/1 columns only.
        let Some(whole) = encoded.whole_view() else {
            return (None, lp);
        };
        let budget = start_budget(options);
        let start = crate::solve::heuristic::greedy(workbook, &whole, options, None)
            .map(|v| crate::solve::heuristic::improve(workbook, &whole, options, None, &v, budget))
            .map(|v| encoded.with_whole_shares(v));
        let kept = options
            .baseline
            .as_ref()
            .and_then(|b| crate::solve::baseline::start_values(workbook, encoded, b));
        let best = match (start, kept) {
            (Some(s), Some(k)) if encoded.worth(&k) >= encoded.worth(&s) => Some(k),
            (s, k) => s.or(k),
        };
        return (best.filter(|v| encoded.satisfies(v)), lp);
    }
    if encoded.has_flows() {
        // The heuristics build 0/1 vectors against rows of 0/1 columns; with teams, whether
        // a portfolio can be staffed is an LP of its own. HiGHS starts from scratch, or from
        // the baseline of a re-plan with the teams' FTE that staffs it.
        let start = options
            .baseline
            .as_ref()
            .and_then(|b| crate::solve::baseline::start_values(workbook, encoded, b));
        return (start, lp);
    }
    let budget = start_budget(options);
    let mut start = crate::solve::heuristic::greedy(workbook, encoded, options, guide)
        .map(|v| crate::solve::heuristic::improve(workbook, encoded, options, prices, &v, budget));
    // A re-plan also starts from its baseline when that is still feasible: an unchanged
    // workbook then gives back the baseline itself.
    if let Some(kept) = options
        .baseline
        .as_ref()
        .and_then(|b| crate::solve::baseline::start_values(workbook, encoded, b))
    {
        let kept =
            crate::solve::heuristic::improve(workbook, encoded, options, prices, &kept, budget);
        if start
            .as_deref()
            .is_none_or(|s| encoded.worth(&kept) >= encoded.worth(s))
        {
            start = Some(kept);
        }
    }
    let (Some(relaxation), Some(left), true) = (&lp, remaining(options.time_limit), cores) else {
        return (start, lp);
    };
    // A growing core: while HiGHS proves a core optimal with time to spare, free twice as
    // many columns, starting from the best so far. Without a time limit the whole model is
    // solved to the end anyway, so the core is skipped.
    let until = started.elapsed().as_secs_f64() + CORE_SHARE * left;
    let best = Exchange::new(&encoded.objective, start.as_deref());
    grow_cores(
        workbook, encoded, relaxation, options, started, until, budget, &best, false,
    );
    (best.best().map(|(_, values)| values), lp)
}

/// Share of the time left after the LP and the first local search that the core models
/// get. Measured on OR-Library (mknapcb 1–9) and generated workbooks: the core finds in
/// seconds what the whole model's search finds late or never; half the time for it, half
/// for HiGHS on the whole model (which also proves the bound), did better than 0.2.
const CORE_SHARE: f64 = 0.5;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::solve::backend::tests::{knapsack, model_of};
    use crate::solve::fixtures::fixture;
    use crate::solve::Baseline;

    #[test]
    fn the_budgets_are_counts_of_a_second_or_a_tenth_of_the_limit() {
        assert_eq!(search_budget(1.0), 200_000_000);
        assert_eq!(search_budget(0.5), 100_000_000);
        let plain = SolveOptions::default();
        assert_eq!(start_budget(&plain), search_budget(1.0));
        let short = SolveOptions {
            time_limit: Some(2.0),
            ..SolveOptions::default()
        };
        assert_eq!(start_budget(&short), search_budget(0.2));
        let long = SolveOptions {
            time_limit: Some(60.0),
            ..SolveOptions::default()
        };
        assert_eq!(start_budget(&long), search_budget(1.0));
        let quick = SolveOptions {
            quick: true,
            ..SolveOptions::default()
        };
        assert_eq!(start_budget(&quick), search_budget(1.0 / 20.0));
    }

    #[test]
    fn the_start_is_feasible_and_below_the_relaxation() {
        let wb = knapsack();
        let encoded = model_of(&wb);
        for time_limit in [None, Some(5.0)] {
            let options = SolveOptions {
                time_limit,
                ..SolveOptions::default()
            };
            let (start, lp) = primal_start(&wb, &encoded, &options, &Instant::now(), true);
            let (start, lp) = (start.unwrap(), lp.unwrap());
            assert!(encoded.satisfies(&start), "{time_limit:?}: {start:?}");
            assert!(encoded.worth(&start) <= lp.objective, "{time_limit:?}");
            // Greedy and local search (and under a limit the core models) reach the
            // optimum of so small a model.
            assert!((encoded.worth(&start) - 65.0).abs() < 1e-9, "{start:?}");
        }
    }

    #[test]
    fn a_feasible_baseline_is_given_back() {
        let wb = knapsack();
        // B + C kept at penalty 0.2 is worth 54 + 18 = 72, more than A + C's 50 + 18.
        let options = SolveOptions {
            baseline: Some(Baseline {
                starts: vec![None, Some(0), Some(0)],
                penalty: 0.2,
            }),
            ..SolveOptions::default()
        };
        let encoded = crate::solve::baseline::encode(&wb, &options);
        let (start, _) = primal_start(&wb, &encoded, &options, &Instant::now(), false);
        let start = start.unwrap();
        assert_eq!(
            encoded.starts_of(wb.projects.len(), &start),
            vec![None, Some(0), Some(0)]
        );
        assert!((encoded.worth(&start) - 72.0).abs() < 1e-9);
    }

    #[test]
    fn with_teams_there_is_no_heuristic_start_without_a_baseline() {
        let wb = fixture("teams");
        let options = SolveOptions::default();
        let encoded = crate::solve::baseline::encode(&wb, &options);
        assert!(encoded.has_flows());
        let (start, lp) = primal_start(&wb, &encoded, &options, &Instant::now(), true);
        assert!(start.is_none());
        assert!(lp.is_some());
    }
}
