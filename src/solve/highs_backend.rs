//! Handing an [`Encoded`] model to HiGHS through good_lp, and reading the answer back:
//! status, primal values and the proven dual bound (which good_lp does not expose, so the
//! HiGHS model is taken out of good_lp and run here).
//!
//! The contract's tie-break is lexicographic: first the best objective, then, among
//! portfolios of that objective, the smallest sum of start indices. It is solved as two
//! MILPs; the second keeps the first's objective as a constraint and starts from its answer.

use std::time::Instant;

use good_lp::solvers::highs::highs;
use good_lp::{Expression, SolverModel};
use highs::HighsModelStatus;

use super::encode::{Encoded, Group};
use super::SolveOptions;
use crate::error::{Error, Result};
use crate::model::{Starts, Workbook};

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
    pub keep: &'a dyn Fn(&Group) -> bool,
    pub time_limit: Option<f64>,
    pub rel_gap: f64,
    pub abs_gap: Option<f64>,
    pub threads: usize,
    pub start: Option<&'a [f64]>,
    /// Branch-and-bound nodes HiGHS may explore (`None`: no limit). Unlike a time limit,
    /// a node limit stops a one-thread run at the same point on every machine.
    pub max_nodes: Option<usize>,
}

/// Build the HiGHS model of `spec` (`None`: an empty row can never hold).
pub(crate) fn build(encoded: &Encoded, spec: &RunSpec<'_>) -> Result<Option<highs::Model>> {
    let (vars, x) = encoded.variables();
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
    for row in encoded.rows.iter().filter(|r| (spec.keep)(&r.group)) {
        if row.terms.is_empty() {
            // 0 within [lower, upper]: holds or is impossible; HiGHS wants no empty rows.
            if row.lower > 0.0 || row.upper < 0.0 {
                return Ok(None);
            }
            continue;
        }
        let e = Encoded::expression(&x, &row.terms);
        if row.lower == row.upper {
            problem.add_constraint(e.eq(row.upper));
        } else {
            if row.lower.is_finite() {
                problem.add_constraint(e.clone().geq(row.lower));
            }
            if row.upper.is_finite() {
                problem.add_constraint(e.leq(row.upper));
            }
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
            load_seconds: started.elapsed().as_secs_f64(),
        });
    }
    if std::env::var_os("ARBITER_SOLVER_LOG").is_some() {
        // For people tuning a hard workbook: HiGHS's own log on stderr.
        option(&mut model, "output_flag", true)?;
        option(&mut model, "log_to_console", true)?;
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
        load_seconds,
    })
}

fn option<V: highs::HighsOptionValue>(model: &mut highs::Model, key: &str, value: V) -> Result<()> {
    model
        .try_set_option(key, value)
        .map_err(|e| Error::Internal(format!("highs refused option '{key}': {e:?}")))
}

/// The best portfolio found.
#[derive(Debug, Clone)]
pub(crate) struct Found {
    pub starts: Starts,
    pub bound: f64,
    pub proven: bool,
    /// Seconds spent encoding and loading the first model (before HiGHS starts).
    pub encode_seconds: f64,
}

/// How the lexicographic solve ended.
#[derive(Debug, Clone)]
pub(crate) enum Outcome {
    Found(Found),
    /// Proven: no feasible portfolio.
    Infeasible,
    /// The time limit ran out before any feasible portfolio was found.
    NoSolution,
}

/// Decode column values into starts.
pub(crate) fn starts_of(encoded: &Encoded, projects: usize, values: &[f64]) -> Starts {
    let mut starts = vec![None; projects];
    for (j, &(p, t)) in encoded.columns.iter().enumerate() {
        if values.get(j).copied().unwrap_or(0.0) > 0.5 {
            starts[p] = Some(t);
        }
    }
    starts
}

/// Solve: best objective first, then earliest starts among portfolios of that objective.
pub(crate) fn solve_lexicographic(workbook: &Workbook, options: &SolveOptions) -> Result<Outcome> {
    let started = Instant::now();
    let encoded = Encoded::new(workbook, options.objective, options.discount);
    let encoded_at = started.elapsed().as_secs_f64();
    let remaining =
        |limit: Option<f64>| limit.map(|l| (l - started.elapsed().as_secs_f64()).max(0.0));
    let heuristic = super::heuristic::greedy(workbook, &encoded, options);
    let keep_all = |_: &Group| true;
    let first = run(
        &encoded,
        &RunSpec {
            objective: Some(&encoded.objective),
            maximise: true,
            extra_at_least: Vec::new(),
            keep: &keep_all,
            time_limit: remaining(options.time_limit),
            rel_gap: options.gap,
            abs_gap: None,
            threads: options.threads,
            start: heuristic.as_deref(),
            max_nodes: None,
        },
    )?;
    let values = match (&first.status, first.values) {
        (RunStatus::Infeasible, _) => return Ok(Outcome::Infeasible),
        (_, Some(values)) => values,
        // Stopped before HiGHS had anything of its own: the greedy start, when it was
        // feasible, is still a portfolio.
        (_, None) => match heuristic {
            Some(values) => values,
            None => return Ok(Outcome::NoSolution),
        },
    };
    let proven = first.status == RunStatus::Optimal;
    let mut best = if proven {
        values
    } else {
        super::heuristic::fill(workbook, &encoded, options, &values)
    };
    let start_sum: usize = encoded
        .columns
        .iter()
        .zip(&best)
        .filter(|(_, &v)| v > 0.5)
        .map(|(&(_, t), _)| t)
        .sum();
    let time_left = remaining(options.time_limit).is_none_or(|t| t > 0.05);
    if options.tie_break && proven && start_sum > 0 && time_left {
        best = earliest_starts(&encoded, options, &best, &remaining)?;
    }
    Ok(Outcome::Found(Found {
        starts: starts_of(&encoded, workbook.projects.len(), &best),
        bound: if first.bound.is_finite() {
            first.bound
        } else {
            f64::NEG_INFINITY
        },
        proven,
        encode_seconds: encoded_at + first.load_seconds,
    }))
}

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
fn earliest_starts(
    encoded: &Encoded,
    options: &SolveOptions,
    best: &[f64],
    remaining: &dyn Fn(Option<f64>) -> Option<f64>,
) -> Result<Vec<f64>> {
    let keep_all = |_: &Group| true;
    let value: f64 = encoded
        .objective
        .iter()
        .zip(best)
        .map(|(c, v)| c * v.round())
        .sum();
    let objective_terms: Vec<(usize, f64)> =
        encoded.objective.iter().copied().enumerate().collect();
    let at_least = value - 1e-7 * value.abs().max(1.0);
    let index: Vec<f64> = encoded.columns.iter().map(|&(_, t)| t as f64).collect();
    let rounded: Vec<f64> = best.iter().map(|v| v.round()).collect();
    // Step 1: every project keeps its place in or out of the portfolio.
    let mut same_selection = vec![(objective_terms.clone(), at_least)];
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
    let spec = |extra, start, max_nodes| RunSpec {
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
    };
    let first = run(encoded, &spec(same_selection, Some(&rounded), None))?;
    let scheduled = first.values.unwrap_or_else(|| rounded.clone());
    if remaining(options.time_limit).is_some_and(|t| t <= 0.05) {
        return Ok(scheduled);
    }
    // Step 2: any selection of the same worth.
    let second = run(
        encoded,
        &spec(
            vec![(objective_terms, at_least)],
            Some(&scheduled),
            Some(TIE_BREAK_NODES),
        ),
    )?;
    // HiGHS keeps a start it accepts as its incumbent; should it reject it, its own answer
    // may start later than step 1's.
    let sum =
        |values: &[f64]| -> f64 { index.iter().zip(values).map(|(t, v)| t * v.round()).sum() };
    Ok(match second.values {
        Some(values) if sum(&values) < sum(&scheduled) => values,
        _ => scheduled,
    })
}
