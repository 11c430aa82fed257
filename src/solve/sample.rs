//! One solve of a Monte Carlo sample ([`solve_sample`]): the model, the gap, the checker and
//! the answer of [`solve`](super::solve), reached sooner for the hundreds of small solves of
//! `arbiter uncertainty`, where the work that pays off on one large `plan` (the LP
//! relaxation, the long local search, HiGHS's sub-MIP heuristics) costs more than it saves.
//!
//! Three changes; the first two together about 1.4 times less CPU per sample of the
//! demo, the third a tenth less again (docs/performance.md has the runs):
//! - **selection binaries.** A column `y[p] = Σ_t x[p][t]` per project carries the
//!   project's score (when it does not depend on the start, i.e. without a discount), so
//!   HiGHS branches on "is p in the portfolio" before "when does p start"; branching on one
//!   start column leaves the LP free to use the project's other starts. Alone it made the
//!   demo's samples 1.2 to 1.5 times faster;
//! - **no RINS or RENS.** Switching HiGHS's sub-MIP heuristics off saved about a fifth of
//!   the CPU on the demo's samples, with the same optima;
//! - **less strong branching** at gaps of 1e-3 and tighter: pseudo-costs count as reliable
//!   after 2 observations, not HiGHS's 8; 1,000 demo samples took 182.9 s instead of
//!   205.4 s on 2 cores (at looser gaps it cost time, so there the default stays).
//!
//! No LP relaxation and no MIP start. The greedy start that `plan` builds was given to HiGHS
//! here too, but on the demo it had never run (its Run share cap refused the first forced
//! project, fixed 2026-11-27); once it ran it was no help: 1,000 samples in 179.4 s against
//! 180.4 s at the default gap, 61.6 s against 59.4 s at `--gap 0.02` (HiGHS's feasibility
//! jump and sub-MIPs find better portfolios at the root), so it was dropped.
//!
//! A sample with a time limit, an infeasible sample, and a run that HiGHS does not finish
//! cleanly are handed to the ordinary [`solve`](super::solve), whose time-limited path and
//! diagnosis are what those cases need.

use std::time::Instant;

use super::backend::{
    earliest_starts, option, same_selection_earliest, start_sum, user_options, Found,
};
use super::encode::Encoded;
use super::{Solution, SolveOptions};
use crate::error::Result;
use crate::model::Workbook;

/// Solve one sample: the best portfolio within `options.gap`, checked like every solution.
///
/// Its schedule is always the earliest the limits allow for the chosen projects (step 1 of
/// the contract's tie-break, a small exact scheduling solve, so that a sample's starts do
/// not depend on the path HiGHS took); with `options.tie_break` other selections of the
/// same worth are searched too, as [`solve`](super::solve) does.
pub fn solve_sample(workbook: &Workbook, options: &SolveOptions) -> Result<Solution> {
    if options.time_limit.is_some() || options.node_limit.is_some() {
        return super::solve(workbook, options);
    }
    if options.baseline.is_some()
        || workbook.staffing.is_some()
        || workbook.projects.iter().any(|p| p.is_partial())
    {
        // A penalised objective, teams' continuous FTE or partly funded projects' shares,
        // which the selection binaries below do not know: the ordinary solve handles them, with the tie-break, so that
        // the starts are the earliest as for every other sample.
        return super::solve(
            workbook,
            &SolveOptions {
                tie_break: true,
                ..options.clone()
            },
        );
    }
    let started = Instant::now();
    let encoded = Encoded::new(workbook, options.objective, options.discount);
    if encoded.columns.is_empty() {
        return super::solve(workbook, options);
    }
    let encode_seconds = started.elapsed().as_secs_f64();
    let Some((values, bound)) = selection_run(&encoded, options)? else {
        return super::solve(workbook, options);
    };
    let no_limit = |_: Option<f64>| None;
    let start_sum = start_sum(&encoded, &values);
    let tie_break_started = Instant::now();
    let best = if start_sum == 0 {
        values
    } else if options.tie_break {
        earliest_starts(&encoded, options, &values, &no_limit)?
    } else {
        same_selection_earliest(&encoded, options, &values, &no_limit)?
    };
    let tie_break_seconds = tie_break_started.elapsed().as_secs_f64();
    let found = Found {
        shares: vec![1.0; workbook.projects.len()],
        starts: encoded.starts_of(workbook.projects.len(), &best),
        bound,
        proven: true,
        encode_seconds,
        tie_break_seconds,
        lp: None,
        flows: Vec::new(),
        stopped_by: None,
    };
    super::checked(workbook, options, found, started)
}

/// The model of `encoded` with one selection binary per project, solved to `options.gap`:
/// the start columns' values and the proven bound. `None` when HiGHS does not prove an
/// optimum (infeasible, failed) or hands back values not worth what it says: the caller
/// then solves the ordinary way.
fn selection_run(encoded: &Encoded, options: &SolveOptions) -> Result<Option<(Vec<f64>, f64)>> {
    let mut problem = highs::RowProblem::default();
    // Column j of `encoded` is HiGHS column j; the selection columns follow.
    let mut on_x = encoded.objective.clone();
    let mut on_y = Vec::new();
    for columns in encoded.by_project.iter().filter(|c| !c.is_empty()) {
        let score = encoded.objective[columns[0]];
        if columns.iter().all(|&j| encoded.objective[j] == score) {
            columns.iter().for_each(|&j| on_x[j] = 0.0);
            on_y.push(score);
        } else {
            // A discount makes the score depend on the start: it stays on the starts.
            on_y.push(0.0);
        }
    }
    let x: Vec<highs::Col> = on_x
        .iter()
        .map(|&c| problem.add_integer_column(c, 0.0..=1.0))
        .collect();
    let y: Vec<highs::Col> = on_y
        .iter()
        .map(|&c| problem.add_integer_column(c, 0.0..=1.0))
        .collect();
    for (columns, &y) in encoded.by_project.iter().filter(|c| !c.is_empty()).zip(&y) {
        let terms = columns.iter().map(|&j| (x[j], 1.0)).chain([(y, -1.0)]);
        problem.add_row(0.0..=0.0, terms);
    }
    for row in &encoded.rows {
        if row.terms.is_empty() {
            if row.lower > 0.0 || row.upper < 0.0 {
                return Ok(None);
            }
            continue;
        }
        let terms = row.terms.iter().map(|&(j, c)| (x[j], c));
        match (row.lower.is_finite(), row.upper.is_finite()) {
            (true, true) => problem.add_row(row.lower..=row.upper, terms),
            (true, false) => problem.add_row(row.lower.., terms),
            (false, true) => problem.add_row(..=row.upper, terms),
            (false, false) => {}
        }
    }
    let Ok(mut model) = problem.try_optimise(highs::Sense::Maximise) else {
        return Ok(None);
    };
    let log = std::env::var_os("ARBITER_SOLVER_LOG").is_some();
    option(&mut model, "output_flag", log)?;
    option(&mut model, "log_to_console", log)?;
    option(&mut model, "mip_allow_restart", false)?;
    option(&mut model, "mip_pool_soft_limit", 10)?;
    option(&mut model, "mip_heuristic_run_rins", false)?;
    option(&mut model, "mip_heuristic_run_rens", false)?;
    // At tight gaps, where the proof is most of the work, pseudo-costs count as reliable
    // after 2 observations instead of 8: less strong branching, which took over half the
    // LP iterations of a demo sample. Demo samples, 2 cores: 1,000 at the default 1e-4 in
    // 182.9 s against 205.4 s, 200 at 1e-3 in 41.0–41.4 s against 44.5–44.8 s; at looser
    // gaps it costs time instead (200 at 0.01: 30.3–30.6 s against 27.4–27.9 s; 1,000 at
    // 0.02: 63–67 s against 60–61 s), so there HiGHS keeps its default.
    if options.gap <= 1e-3 {
        option(&mut model, "mip_pscost_minreliable", 2)?;
    }
    // After the defaults above, so that a person tuning can override them.
    user_options(&mut model)?;
    option(&mut model, "mip_rel_gap", options.gap)?;
    option(
        &mut model,
        "threads",
        i32::try_from(options.threads.max(1)).unwrap_or(1),
    )?;
    let Ok(solved) = model.try_solve() else {
        return Ok(None);
    };
    if solved.status() != highs::HighsModelStatus::Optimal {
        return Ok(None);
    }
    let values: Vec<f64> = solved.get_solution().columns()[..encoded.columns.len()]
        .iter()
        .map(|v| v.round())
        .collect();
    // A guard, as in `backend::run` (where HiGHS 1.x once handed back a MIP start's
    // values after improving on it): the values must be worth what HiGHS says, and satisfy
    // every row; else the ordinary solve.
    let worth = encoded.worth(&values);
    let claimed = solved.objective_value();
    if (worth - claimed).abs() > 1e-6 * claimed.abs().max(1.0) || !encoded.satisfies(&values) {
        return Ok(None);
    }
    let bound = solved
        .double_info_value(c"mip_dual_bound")
        .unwrap_or(f64::NAN);
    Ok(Some((values, bound)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::solve::fixtures::{fixture, tiny_fixtures};
    use crate::solve::{solve, SolveStatus};

    /// Every tiny fixture, feasible or not: the same status and objective as `plan`'s
    /// solve, and with the tie-break the same start sum.
    #[test]
    fn tiny_fixtures_solve_as_plan_does() {
        let names = tiny_fixtures();
        assert!(names.len() >= 13, "fixtures/tiny: {names:?}");
        for name in names {
            let wb = fixture(&format!("tiny/{name}"));
            for discount in [0.0, 0.1] {
                let options = SolveOptions {
                    discount,
                    ..SolveOptions::default()
                };
                let plain = solve(&wb, &options).unwrap();
                let fast = solve_sample(&wb, &options).unwrap();
                assert_eq!(fast.status, plain.status, "{name}");
                if plain.status == SolveStatus::Infeasible {
                    assert!(fast.diagnosis.is_some(), "{name}");
                    continue;
                }
                let (a, b) = (plain.objective.unwrap(), fast.objective.unwrap());
                assert!(
                    (a - b).abs() <= 1e-9 * a.abs().max(1.0),
                    "{name}: {a} vs {b}"
                );
                let sum = |s: &Solution| s.starts.iter().flatten().sum::<usize>();
                assert_eq!(sum(&fast), sum(&plain), "{name}: start sums");
            }
        }
    }
}
