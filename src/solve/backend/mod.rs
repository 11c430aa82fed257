//! Handing an [`Encoded`] model to HiGHS through good_lp, and reading the answer back:
//! status, primal values and the proven dual bound (which good_lp does not expose, so the
//! HiGHS model is taken out of good_lp and run here).
//!
//! This file owns one run: what to run ([`RunSpec`]), building the HiGHS model ([`build`]),
//! running it ([`run`]) and what it ended with ([`RunStatus`], [`Run`]). The solve around
//! those runs is in the parts:
//! - [`relaxation`]: the LP relaxation, its bound, shadow prices and reduced costs;
//! - [`start`]: the MIP start HiGHS runs from (the LP, greedy constructions and a local
//!   search, and under a time limit the core models);
//! - [`cores`]: the "core" models that fix the columns the LP is sure about;
//! - [`race`]: two cores on one time-limited solve, HiGHS on the whole model racing the
//!   core models, sharing portfolios through HiGHS's callbacks;
//! - [`lexicographic`]: the whole solve, best objective first, then the tie-break;
//! - [`tie_break`]: the contract's tie-break, the smallest sum of start indices among
//!   portfolios of the best objective, solved as a second MILP that keeps the first's
//!   objective as a constraint and starts from its answer.

mod cores;
mod lexicographic;
mod race;
mod relaxation;
mod start;
mod tie_break;

pub(crate) use lexicographic::{solve_lexicographic, Found, Outcome};
pub(crate) use relaxation::{lp_relaxation, Relaxation};
pub(crate) use tie_break::{earliest_starts, same_selection_earliest};

use std::time::Instant;

use good_lp::solvers::highs::highs;
use good_lp::{Expression, SolverModel};
use highs::HighsModelStatus;

use crate::error::{Error, Result};
use crate::solve::encode::{Encoded, Tag};
use crate::solve::Limit;
use race::{attach, Hook, Link};

/// What one HiGHS run ended with.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum RunStatus {
    /// Proven optimal within the gap.
    Optimal,
    /// Stopped (time limit) with a feasible solution.
    Stopped,
    /// Stopped (time limit) without any feasible solution.
    NoSolution,
    /// Proven infeasible.
    Infeasible,
}

/// The raw answer of one HiGHS run.
#[derive(Debug, Clone)]
pub(crate) struct Run {
    pub status: RunStatus,
    /// Column values (when a solution exists).
    pub values: Option<Vec<f64>>,
    /// The dual bound HiGHS proved, in the sense of the objective.
    pub bound: f64,
    /// The limit HiGHS stopped on (`None`: it ran to its end, or was interrupted).
    pub stopped_by: Option<Limit>,
    /// Seconds spent building the model and loading it into HiGHS.
    pub load_seconds: f64,
}

/// What to run: which objective, which extra rows, which groups are switched off.
pub(crate) struct RunSpec<'a> {
    /// Objective per column; `None` = feasibility only.
    pub objective: Option<&'a [f64]>,
    pub maximise: bool,
    /// Extra rows `Σ terms ≥ lower`.
    pub extra_at_least: Vec<(Vec<(usize, f64)>, f64)>,
    /// A row is kept when this says so.
    pub keep: &'a dyn Fn(&Tag) -> bool,
    pub time_limit: Option<f64>,
    pub rel_gap: f64,
    pub abs_gap: Option<f64>,
    pub threads: usize,
    pub start: Option<&'a [f64]>,
    /// Branch-and-bound nodes HiGHS may explore (`None`: no limit). Unlike a time limit,
    /// a node limit stops a one-thread run at the same point on every machine.
    pub max_nodes: Option<usize>,
    /// Columns bound to a value (a restricted model for a primal heuristic).
    pub fixed: Option<&'a [Option<f64>]>,
    /// See [`SolveOptions::quick`](crate::solve::SolveOptions::quick).
    pub quick: bool,
    /// A racing run's link to the other search (see [`race`]).
    pub race: Option<Link<'a>>,
}

/// [`RunSpec::keep`] for the whole model: every row kept.
pub(crate) fn keep_all(_: &Tag) -> bool {
    true
}

/// The sum of the start indices of the columns `values` chooses (above 0.5): what the
/// tie-break minimises, 0 when no chosen project can start earlier.
pub(crate) fn start_sum(encoded: &Encoded, values: &[f64]) -> usize {
    encoded
        .columns
        .iter()
        .zip(values)
        .filter(|(_, &v)| v > 0.5)
        .map(|(&(_, t), _)| t)
        .sum()
}

/// Build the HiGHS model of `spec` (`None`: an empty row can never hold).
pub(crate) fn build(encoded: &Encoded, spec: &RunSpec<'_>) -> Result<Option<highs::Model>> {
    let (vars, x) = encoded.variables(spec.fixed);
    let objective = match spec.objective {
        Some(coefs) => {
            Encoded::expression(&x, &coefs.iter().copied().enumerate().collect::<Vec<_>>())
        }
        None => Expression::from(0.0),
    };
    let unsolved = if spec.maximise {
        vars.maximise(objective)
    } else {
        vars.minimise(objective)
    };
    let mut problem = unsolved.using(highs);
    for row in encoded.rows.iter().filter(|r| (spec.keep)(&r.tag)) {
        if row.terms.is_empty() {
            // 0 within [lower, upper]: holds or is impossible; HiGHS wants no empty rows.
            if row.lower > 0.0 || row.upper < 0.0 {
                return Ok(None);
            }
            continue;
        }
        for constraint in
            crate::solve::encode::constraints(row, Encoded::expression(&x, &row.terms))
        {
            problem.add_constraint(constraint);
        }
    }
    for (terms, lower) in &spec.extra_at_least {
        problem.add_constraint(Encoded::expression(&x, terms).geq(*lower));
    }
    problem
        .try_into_inner()
        .map(Some)
        .map_err(|e| Error::Internal(format!("highs could not load the model: {e}")))
}

/// Build and run one HiGHS model.
///
/// HiGHS 1.x occasionally fails inside presolve or postsolve on a model it can solve
/// ("untransformed violations", then a solve error; seen by the brute-force property test
/// with a MIP start): such a run is repeated once with presolve off and no start.
pub(crate) fn run(encoded: &Encoded, spec: &RunSpec<'_>) -> Result<Run> {
    match run_once(encoded, spec, true) {
        Err(Error::Internal(_)) => run_once(
            encoded,
            &RunSpec {
                start: None,
                extra_at_least: spec.extra_at_least.clone(),
                ..*spec
            },
            false,
        ),
        other => other,
    }
}

fn run_once(encoded: &Encoded, spec: &RunSpec<'_>, presolve: bool) -> Result<Run> {
    let started = Instant::now();
    let Some(mut model) = build(encoded, spec)? else {
        return Ok(Run {
            status: RunStatus::Infeasible,
            values: None,
            bound: f64::NAN,
            stopped_by: None,
            load_seconds: started.elapsed().as_secs_f64(),
        });
    };
    if encoded.columns.is_empty() {
        // Nothing can be chosen and no row is broken (build checked): the empty portfolio.
        // HiGHS would answer "model empty" and report no solution info.
        return Ok(Run {
            status: RunStatus::Optimal,
            values: Some(Vec::new()),
            bound: 0.0,
            stopped_by: None,
            load_seconds: started.elapsed().as_secs_f64(),
        });
    }
    if std::env::var_os("ARBITER_SOLVER_LOG").is_some() {
        // For people tuning a hard workbook: HiGHS's own log on stderr.
        option(&mut model, "output_flag", true)?;
        option(&mut model, "log_to_console", true)?;
    }
    user_options(&mut model)?;
    if spec.quick {
        option(&mut model, "mip_allow_restart", false)?;
        option(&mut model, "mip_pool_soft_limit", 10)?;
    }
    if !presolve {
        option(&mut model, "presolve", "off")?;
    }
    option(&mut model, "mip_rel_gap", spec.rel_gap)?;
    if let Some(abs) = spec.abs_gap {
        option(&mut model, "mip_abs_gap", abs)?;
    }
    if let Some(limit) = spec.time_limit {
        option(&mut model, "time_limit", limit.max(0.01))?;
    }
    if let Some(nodes) = spec.max_nodes {
        option(
            &mut model,
            "mip_max_nodes",
            i32::try_from(nodes).unwrap_or(i32::MAX),
        )?;
    }
    option(
        &mut model,
        "threads",
        i32::try_from(spec.threads.max(1)).unwrap_or(1),
    )?;
    if let Some(start) = spec.start {
        // A rejected start only costs the warm start, never the solve.
        let _ = model.try_set_solution(Some(start), None, None, None);
    }
    // Declared before the solve and not moved during it: HiGHS keeps the hook's address.
    let mut hook = spec.race.map(|link| Hook::new(link, encoded.columns.len()));
    if let Some(hook) = hook.as_mut() {
        if !attach(&mut model, hook) {
            return Err(Error::Internal("highs refused the racing callbacks".into()));
        }
    }
    let load_seconds = started.elapsed().as_secs_f64();
    let solved = model
        .try_solve()
        .map_err(|e| Error::Internal(format!("highs failed while solving: {e:?}")))?;
    // Read the info directly: the crate's accessor panics when HiGHS has none to give.
    let has_solution = solved
        .int_info_value(c"primal_solution_status")
        .ok()
        .and_then(|v| highs::HighsSolutionStatus::try_from(v as i32).ok())
        == Some(highs::HighsSolutionStatus::Feasible);
    let bound = solved
        .double_info_value(c"mip_dual_bound")
        .unwrap_or(f64::NAN);
    // HiGHS ends a MIP on its node limit with "solution limit" (as on its leaf and
    // improving-solution limits, which arbiter does not set).
    let stopped_by = match solved.status() {
        HighsModelStatus::ReachedTimeLimit => Some(Limit::Time),
        HighsModelStatus::ReachedSolutionLimit if spec.max_nodes.is_some() => Some(Limit::Nodes),
        _ => None,
    };
    let status = match solved.status() {
        HighsModelStatus::Optimal | HighsModelStatus::ModelEmpty => RunStatus::Optimal,
        HighsModelStatus::Infeasible | HighsModelStatus::UnboundedOrInfeasible => {
            RunStatus::Infeasible
        }
        HighsModelStatus::ReachedTimeLimit
        | HighsModelStatus::ReachedIterationLimit
        | HighsModelStatus::ReachedSolutionLimit
        | HighsModelStatus::ReachedInterrupt
        | HighsModelStatus::ReachedMemoryLimit
        | HighsModelStatus::ObjectiveBound
        | HighsModelStatus::ObjectiveTarget => {
            if has_solution {
                RunStatus::Stopped
            } else {
                RunStatus::NoSolution
            }
        }
        other => {
            return Err(Error::Internal(format!(
                "highs ended with status {other:?}"
            )))
        }
    };
    let values = if has_solution {
        Some(solved.get_solution().columns().to_vec())
    } else {
        None
    };
    if status == RunStatus::Optimal && values.is_none() {
        return Err(Error::Internal(
            "highs reported optimal without a solution".into(),
        ));
    }
    // HiGHS 1.x can improve on a MIP start inside presolve and still hand back the start's
    // own values (seen by the brute-force property test). The values must be worth what
    // HiGHS says; when they are not, solve again without the start.
    if let (Some(v), Some(_), Some(coefs)) = (&values, spec.start, spec.objective) {
        let worth: f64 = coefs.iter().zip(v).map(|(c, x)| c * x).sum();
        let claimed = solved.objective_value();
        if (worth - claimed).abs() > 1e-6 * claimed.abs().max(1.0) {
            return run_once(
                encoded,
                &RunSpec {
                    start: None,
                    extra_at_least: spec.extra_at_least.clone(),
                    ..*spec
                },
                presolve,
            );
        }
    }
    Ok(Run {
        status,
        values,
        bound,
        stopped_by,
        load_seconds,
    })
}

/// For people tuning a hard workbook: HiGHS options by name from `ARBITER_HIGHS_OPTIONS`,
/// `k=v,k=v` (integers, numbers, `on`/`off` and other strings), applied to every MILP
/// arbiter runs.
pub(crate) fn user_options(model: &mut highs::Model) -> Result<()> {
    if let Ok(extra) = std::env::var("ARBITER_HIGHS_OPTIONS") {
        for pair in extra.split(',').filter(|p| !p.trim().is_empty()) {
            let Some((key, value)) = pair.split_once('=') else {
                return Err(Error::Internal(format!(
                    "ARBITER_HIGHS_OPTIONS: '{pair}' is not key=value"
                )));
            };
            let (key, value) = (key.trim(), value.trim());
            if let Ok(v) = value.parse::<i32>() {
                option(model, key, v)?;
            } else if let Ok(v) = value.parse::<f64>() {
                option(model, key, v)?;
            } else if let Ok(v) = value.parse::<bool>() {
                option(model, key, v)?;
            } else {
                option(model, key, value)?;
            }
        }
    }
    Ok(())
}

pub(crate) fn option<V: highs::HighsOptionValue>(
    model: &mut highs::Model,
    key: &str,
    value: V,
) -> Result<()> {
    model
        .try_set_option(key, value)
        .map_err(|e| Error::Internal(format!("highs refused option '{key}': {e:?}")))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Objective, Project, Workbook};

    /// One period, budget 100: A (cost 80, value 50), B (70, 45) and C (20, 15). By hand: A
    /// and B never fit together; A + C costs 100 and is worth 65, B + C 90 and 60. The LP
    /// takes C and B whole (the best ratios, 0.75 and 0.64) and 10/80 of A: 66.25.
    pub(super) fn knapsack() -> Workbook {
        Workbook {
            periods: vec!["Q1".into()],
            projects: vec![
                Project::candidate("A", 80.0, 1, 50.0, 0),
                Project::candidate("B", 70.0, 1, 45.0, 0),
                Project::candidate("C", 20.0, 1, 15.0, 0),
            ],
            budget_total: vec![Some(100.0)],
            ..Workbook::default()
        }
    }

    pub(super) fn model_of(workbook: &Workbook) -> Encoded {
        Encoded::new(workbook, Objective::Score, 0.0)
    }

    /// The whole model, maximised to a zero gap on one thread, nothing else asked.
    pub(super) fn whole(encoded: &Encoded) -> RunSpec<'_> {
        RunSpec {
            objective: Some(&encoded.objective),
            maximise: true,
            extra_at_least: Vec::new(),
            keep: &keep_all,
            time_limit: None,
            rel_gap: 0.0,
            abs_gap: None,
            threads: 1,
            start: None,
            max_nodes: None,
            fixed: None,
            quick: false,
            race: None,
        }
    }

    #[test]
    fn run_proves_the_knapsack_optimum() {
        let wb = knapsack();
        let encoded = model_of(&wb);
        let run = run(&encoded, &whole(&encoded)).unwrap();
        assert_eq!(run.status, RunStatus::Optimal);
        let values = run.values.unwrap();
        assert_eq!(
            encoded.starts_of(wb.projects.len(), &values),
            vec![Some(0), None, Some(0)]
        );
        assert!((encoded.worth(&values) - 65.0).abs() < 1e-6);
        // The proven bound is the optimum itself (zero gap), within HiGHS's tolerance.
        assert!((run.bound - 65.0).abs() < 1e-6, "bound {}", run.bound);
    }

    #[test]
    fn an_optimal_mip_start_is_accepted_and_returned() {
        let wb = knapsack();
        let encoded = model_of(&wb);
        let best = [1.0, 0.0, 1.0];
        // The only portfolio worth 65: HiGHS keeps it as its incumbent and hands it back.
        let run = run(
            &encoded,
            &RunSpec {
                start: Some(&best),
                ..whole(&encoded)
            },
        )
        .unwrap();
        assert_eq!(run.status, RunStatus::Optimal);
        let values: Vec<f64> = run.values.unwrap().iter().map(|v| v.round()).collect();
        assert_eq!(values, best);
    }

    #[test]
    fn a_worse_start_does_not_stop_the_search() {
        let wb = knapsack();
        let encoded = model_of(&wb);
        let worse = [0.0, 1.0, 1.0];
        let run = run(
            &encoded,
            &RunSpec {
                start: Some(&worse),
                ..whole(&encoded)
            },
        )
        .unwrap();
        assert_eq!(run.status, RunStatus::Optimal);
        assert!((encoded.worth(&run.values.unwrap()) - 65.0).abs() < 1e-6);
    }

    #[test]
    fn fixed_columns_and_extra_rows_restrict_the_model() {
        let wb = knapsack();
        let encoded = model_of(&wb);
        // A fixed out: B + C is the best left.
        let fixed = [Some(0.0), None, None];
        let run = run(
            &encoded,
            &RunSpec {
                fixed: Some(&fixed),
                ..whole(&encoded)
            },
        )
        .unwrap();
        assert_eq!(run.status, RunStatus::Optimal);
        let values = run.values.unwrap();
        assert_eq!(
            encoded.starts_of(wb.projects.len(), &values),
            vec![None, Some(0), Some(0)]
        );
        // Worth at least 70 cannot be had within the budget.
        let terms: Vec<(usize, f64)> = encoded.objective.iter().copied().enumerate().collect();
        let run = super::run(
            &encoded,
            &RunSpec {
                extra_at_least: vec![(terms, 70.0)],
                ..whole(&encoded)
            },
        )
        .unwrap();
        assert_eq!(run.status, RunStatus::Infeasible);
        assert!(run.values.is_none());
    }

    #[test]
    fn an_empty_row_that_cannot_hold_is_infeasible_before_highs_runs() {
        let wb = knapsack();
        let mut encoded = model_of(&wb);
        encoded.rows.push(crate::solve::encode::Row {
            tag: Tag::Forced { project: 0 },
            terms: Vec::new(),
            lower: 1.0,
            upper: f64::INFINITY,
        });
        assert!(build(&encoded, &whole(&encoded)).unwrap().is_none());
        let run = run(&encoded, &whole(&encoded)).unwrap();
        assert_eq!(run.status, RunStatus::Infeasible);
        assert!(run.values.is_none());
        // Switched off, the row no longer counts.
        let skip_forced = |g: &Tag| !matches!(g, Tag::Forced { .. });
        let spec = RunSpec {
            keep: &skip_forced,
            ..whole(&encoded)
        };
        assert_eq!(
            super::run(&encoded, &spec).unwrap().status,
            RunStatus::Optimal
        );
    }

    #[test]
    fn a_model_without_columns_is_the_empty_portfolio() {
        let mut wb = knapsack();
        wb.projects.clear();
        let encoded = model_of(&wb);
        let run = run(&encoded, &whole(&encoded)).unwrap();
        assert_eq!(run.status, RunStatus::Optimal);
        assert_eq!(run.values, Some(Vec::new()));
        assert_eq!(run.bound, 0.0);
    }

    #[test]
    fn an_unknown_option_is_an_error_that_names_it() {
        let wb = knapsack();
        let encoded = model_of(&wb);
        let mut model = build(&encoded, &whole(&encoded)).unwrap().unwrap();
        assert!(option(&mut model, "mip_rel_gap", 0.01).is_ok());
        let err = option(&mut model, "no_such_option", 1).unwrap_err();
        assert!(
            err.to_string()
                .contains("highs refused option 'no_such_option'"),
            "{err}"
        );
    }
}
