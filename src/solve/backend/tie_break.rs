//! The contract's tie-break: among portfolios worth at least the best one, the smallest sum
//! of start indices, solved as MILPs that keep the best objective as a constraint and start
//! from its answer.

use super::{keep_all, run, Run, RunSpec};
use crate::error::Result;
use crate::solve::encode::Encoded;
use crate::solve::SolveOptions;

/// Nodes the tie-break over other selections may explore (see [`earliest_starts`]).
const TIE_BREAK_NODES: usize = 500;

/// The contract's tie-break: among portfolios worth at least what `best` is worth, the
/// smallest sum of start indices.
///
/// In two steps, because the exact search is a MILP much harder than the first solve (its
/// objective row is dense and tight, so its LP bound is weak: on generated 100-project
/// workbooks it took 3 to 10 times as long as finding the best objective):
/// 1. the same selection as `best`, each project as early as the limits allow — a small
///    scheduling problem, solved exactly;
/// 2. any selection of at least the same worth, from step 1's answer, for at most
///    [`TIE_BREAK_NODES`] branch-and-bound nodes. A node limit, unlike a time limit, stops
///    a one-thread HiGHS run at the same point on every machine, so the answer stays the
///    same for the same input.
///
/// Step 2 finishes within the limit on small workbooks (every brute-force property test is
/// exact); on large ones another selection of exactly the same worth with earlier starts can
/// be missed.
pub(crate) fn earliest_starts(
    encoded: &Encoded,
    options: &SolveOptions,
    best: &[f64],
    remaining: &dyn Fn(Option<f64>) -> Option<f64>,
) -> Result<Vec<f64>> {
    let scheduled = same_selection_earliest(encoded, options, best, remaining)?;
    if remaining(options.time_limit).is_some_and(|t| t <= 0.05) {
        return Ok(scheduled);
    }
    // Step 2: any selection of the same worth.
    let (objective_terms, at_least) = worth_row(encoded, best);
    let second = run_tie_break(
        encoded,
        options,
        remaining,
        vec![(objective_terms, at_least)],
        Some(&scheduled),
        Some(TIE_BREAK_NODES),
    )?;
    // HiGHS keeps a start it accepts as its incumbent; should it reject it, its own answer
    // may start later than step 1's.
    let sum = |values: &[f64]| -> f64 {
        encoded
            .columns
            .iter()
            .zip(values)
            .map(|(&(_, t), v)| t as f64 * v.round())
            .sum()
    };
    Ok(match second.values {
        Some(values) if sum(&values) < sum(&scheduled) => values,
        _ => scheduled,
    })
}

/// The objective as a row, and the least worth a tie may have: `best`'s worth less 1e-7
/// (relative), HiGHS's tolerances.
fn worth_row(encoded: &Encoded, best: &[f64]) -> (Vec<(usize, f64)>, f64) {
    // Columns are 0/1 up to HiGHS's tolerance (rounded); shares are continuous.
    let n = encoded.columns.len();
    let value: f64 = encoded
        .objective
        .iter()
        .zip(best)
        .enumerate()
        .map(|(j, (c, v))| c * if j < n { v.round() } else { *v })
        .sum();
    let terms = encoded.objective.iter().copied().enumerate().collect();
    (terms, value - 1e-7 * value.abs().max(1.0))
}

/// Run HiGHS minimising the sum of start indices under `extra` rows (see
/// [`earliest_starts`]).
fn run_tie_break(
    encoded: &Encoded,
    options: &SolveOptions,
    remaining: &dyn Fn(Option<f64>) -> Option<f64>,
    extra: Vec<(Vec<(usize, f64)>, f64)>,
    start: Option<&[f64]>,
    max_nodes: Option<usize>,
) -> Result<Run> {
    let index: Vec<f64> = encoded.columns.iter().map(|&(_, t)| t as f64).collect();
    run(
        encoded,
        &RunSpec {
            objective: Some(&index),
            maximise: false,
            extra_at_least: extra,
            keep: &keep_all,
            time_limit: remaining(options.time_limit),
            rel_gap: 0.0,
            // The start sum is an integer: a bound within 1 of it proves it.
            abs_gap: Some(0.999),
            threads: options.threads,
            start,
            max_nodes,
            fixed: None,
            quick: options.quick,
            race: None,
        },
    )
}

/// Step 1 of the tie-break alone: the projects of `best`, each as early as the limits allow
/// (every project keeps its place in or out of the portfolio; the worth may not drop). A
/// small scheduling problem, solved exactly; `best` itself when HiGHS has no answer in time.
pub(crate) fn same_selection_earliest(
    encoded: &Encoded,
    options: &SolveOptions,
    best: &[f64],
    remaining: &dyn Fn(Option<f64>) -> Option<f64>,
) -> Result<Vec<f64>> {
    let (objective_terms, at_least) = worth_row(encoded, best);
    // Binaries are rounded; flows (teams.csv) stay as HiGHS gave them.
    let rounded: Vec<f64> = best
        .iter()
        .enumerate()
        .map(|(j, v)| {
            if j < encoded.columns.len() {
                v.round()
            } else {
                *v
            }
        })
        .collect();
    let mut same_selection = vec![(objective_terms, at_least)];
    let mut out_terms = Vec::new();
    for columns in &encoded.by_project {
        let chosen = columns.iter().any(|&j| rounded[j] > 0.5);
        if chosen {
            same_selection.push((columns.iter().map(|&j| (j, 1.0)).collect(), 1.0));
        } else {
            out_terms.extend(columns.iter().map(|&j| (j, -1.0)));
        }
    }
    if !out_terms.is_empty() {
        same_selection.push((out_terms, 0.0));
    }
    let first = run_tie_break(
        encoded,
        options,
        remaining,
        same_selection,
        Some(&rounded),
        None,
    )?;
    Ok(first.values.unwrap_or(rounded))
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;
    use crate::model::{Project, Workbook};
    use crate::solve::backend::start_sum;
    use crate::solve::backend::tests::model_of;
    use crate::solve::fixtures::fixture;

    /// Two periods, budget 100 in each: A (cost 100, value 10) can only start in the second;
    /// B and C (cost 50 over two periods, value 5 each) only in the first. A cannot run
    /// beside either, so {A} and {B, C} are both worth 10; {B, C} starts earlier (sum 0
    /// against 1), but only with another selection.
    pub(in crate::solve::backend) fn two_ways_to_ten() -> Workbook {
        Workbook {
            periods: vec!["Q1".into(), "Q2".into()],
            projects: vec![
                Project {
                    earliest: 1,
                    ..Project::candidate("A", 100.0, 1, 10.0, 1)
                },
                Project::candidate("B", 50.0, 2, 5.0, 0),
                Project::candidate("C", 50.0, 2, 5.0, 0),
            ],
            budget_total: vec![Some(100.0); 2],
            ..Workbook::default()
        }
    }

    /// Column values of `starts`.
    pub(in crate::solve::backend) fn values_of(
        encoded: &Encoded,
        starts: &[Option<usize>],
    ) -> Vec<f64> {
        encoded
            .columns
            .iter()
            .map(|&(p, t)| if starts[p] == Some(t) { 1.0 } else { 0.0 })
            .collect()
    }

    fn no_limit(_: Option<f64>) -> Option<f64> {
        None
    }

    #[test]
    fn the_same_selection_moves_as_early_as_the_limits_allow() {
        // fixtures/tiny/after: A Q1–Q2, B in Q3 after it, D may start in any period.
        let wb = fixture("tiny/after");
        let encoded = model_of(&wb);
        let late = values_of(&encoded, &[Some(0), Some(2), None, Some(1)]);
        assert!(encoded.satisfies(&late));
        let options = SolveOptions::default();
        let early = same_selection_earliest(&encoded, &options, &late, &no_limit).unwrap();
        assert_eq!(
            encoded.starts_of(wb.projects.len(), &early),
            vec![Some(0), Some(2), None, Some(0)]
        );
        assert_eq!(encoded.worth(&early), encoded.worth(&late));
    }

    #[test]
    fn step_two_finds_another_selection_of_the_same_worth_that_starts_earlier() {
        let wb = two_ways_to_ten();
        let encoded = model_of(&wb);
        let a_only = values_of(&encoded, &[Some(1), None, None]);
        assert!(encoded.satisfies(&a_only));
        let options = SolveOptions::default();
        // Step 1 alone cannot move A.
        let same = same_selection_earliest(&encoded, &options, &a_only, &no_limit).unwrap();
        assert_eq!(
            encoded.starts_of(wb.projects.len(), &same),
            vec![Some(1), None, None]
        );
        let best = earliest_starts(&encoded, &options, &a_only, &no_limit).unwrap();
        assert_eq!(
            encoded.starts_of(wb.projects.len(), &best),
            vec![None, Some(0), Some(0)]
        );
        assert!((encoded.worth(&best) - 10.0).abs() < 1e-9);
        assert_eq!(start_sum(&encoded, &a_only), 1);
        assert_eq!(start_sum(&encoded, &best), 0);
    }

    #[test]
    fn the_worth_row_keeps_the_objective_within_highs_tolerance() {
        let wb = two_ways_to_ten();
        let encoded = model_of(&wb);
        let (terms, at_least) = worth_row(&encoded, &values_of(&encoded, &[Some(1), None, None]));
        assert_eq!(terms.len(), encoded.columns.len());
        assert!(at_least < 10.0 && at_least > 10.0 - 1e-5, "{at_least}");
    }
}
