//! Handing an [`Encoded`] model to HiGHS through good_lp, and reading the answer back:
//! status, primal values and the proven dual bound (which good_lp does not expose, so the
//! HiGHS model is taken out of good_lp and run here).
//!
//! Before HiGHS runs, [`primal_start`] builds its MIP start: the LP relaxation (its shadow
//! prices weigh the heuristics' densities, its objective is a bound), greedy constructions
//! and a local search, and under a time limit the "core" models that fix the columns the LP
//! is sure about. After a time-limited run a short local search polishes HiGHS's answer.
//!
//! The contract's tie-break is lexicographic: first the best objective, then, among
//! portfolios of that objective, the smallest sum of start indices. It is solved as two
//! MILPs; the second keeps the first's objective as a constraint and starts from its answer.

use std::time::Instant;

use good_lp::solvers::highs::highs;
use good_lp::{Expression, SolverModel};
use highs::HighsModelStatus;

use super::encode::{Encoded, Group};
use super::race::{attach, Exchange, Hook, Link};
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
    /// Columns bound to a value (a restricted model for a primal heuristic).
    pub fixed: Option<&'a [Option<f64>]>,
    /// See [`SolveOptions::quick`].
    pub quick: bool,
    /// A racing run's link to the other search (see [`super::race`]).
    pub race: Option<Link<'a>>,
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
    for row in encoded.rows.iter().filter(|r| (spec.keep)(&r.group)) {
        if row.terms.is_empty() {
            // 0 within [lower, upper]: holds or is impossible; HiGHS wants no empty rows.
            if row.lower > 0.0 || row.upper < 0.0 {
                return Ok(None);
            }
            continue;
        }
        for constraint in row.constraints(Encoded::expression(&x, &row.terms)) {
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

/// The best portfolio found.
#[derive(Debug, Clone)]
pub(crate) struct Found {
    pub starts: Starts,
    pub bound: f64,
    pub proven: bool,
    /// Seconds spent encoding and loading the first model (before HiGHS starts).
    pub encode_seconds: f64,
    /// Seconds of the earliest-start tie-break (the second MILP).
    pub tie_break_seconds: f64,
    /// The LP relaxation's per-project estimates, when it solved.
    pub lp: Option<super::LpEstimates>,
    /// With teams.csv: FTE per (team, skill, period) that staffs `starts`.
    pub flows: Vec<(usize, usize, usize, f64)>,
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

/// Share of the time limit kept for the local search on HiGHS's answer.
const POLISH_SHARE: f64 = 0.02;

/// Row evaluations of the local search per second, roughly, on the reference machine.
const EVALUATIONS_PER_SECOND: f64 = 2e8;

/// The local search's work on the MIP start: about a second, a tenth of a short time
/// limit. The many short re-solves of an analysis (`quick`) start from a shorter search: on
/// the demo's ranking the full one took longer than HiGHS itself.
fn start_budget(options: &SolveOptions) -> u64 {
    let seconds = options.time_limit.map_or(1.0, |t| (0.1 * t).min(1.0));
    search_budget(if options.quick {
        seconds / 20.0
    } else {
        seconds
    })
}

/// The local search's work in row evaluations for `seconds`. A count, not a clock, so that
/// the same input gives the same portfolio; the search also stops sooner when it stalls.
fn search_budget(seconds: f64) -> u64 {
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
fn primal_start(
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
    if encoded.has_flows() {
        // The heuristics build 0/1 vectors against rows of 0/1 columns; with teams, whether
        // a portfolio can be staffed is an LP of its own. HiGHS starts from scratch, or from
        // the baseline of a re-plan with the teams' FTE that staffs it.
        let start = options
            .baseline
            .as_ref()
            .and_then(|b| super::baseline::start_values(workbook, encoded, b));
        return (start, lp);
    }
    let budget = start_budget(options);
    let mut start = super::heuristic::greedy(workbook, encoded, options, guide)
        .map(|v| super::heuristic::improve(workbook, encoded, options, prices, &v, budget));
    // A re-plan also starts from its baseline when that is still feasible: an unchanged
    // workbook then gives back the baseline itself.
    if let Some(kept) = options
        .baseline
        .as_ref()
        .and_then(|b| super::baseline::start_values(workbook, encoded, b))
    {
        let kept = super::heuristic::improve(workbook, encoded, options, prices, &kept, budget);
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

/// The growing core of [`primal_start`], and the racing side of a time-limited solve on
/// two cores (`race`, see [`super::race`]): core models that free a quarter, a half, … of
/// the columns, each starting from `best`'s portfolio, polished by the local search
/// (`budget` / 4) and offered back to `best`, while HiGHS proves them optimal before
/// `until` (seconds after `started`). Racing, each core publishes its finds as it runs, and
/// the search ends as soon as the whole-model run does (`best` is stopped).
#[allow(clippy::too_many_arguments)]
fn grow_cores(
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
            super::heuristic::improve(workbook, encoded, options, prices, &core, budget / 4)
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

/// Share of the time left after the LP and the first local search that the core models
/// get. Measured on OR-Library (mknapcb 1–9) and generated workbooks: the core finds in
/// seconds what the whole model's search finds late or never; half the time for it, half
/// for HiGHS on the whole model (which also proves the bound), did better than 0.2.
const CORE_SHARE: f64 = 0.5;

/// Solve: best objective first, then earliest starts among portfolios of that objective.
pub(crate) fn solve_lexicographic(workbook: &Workbook, options: &SolveOptions) -> Result<Outcome> {
    let started = Instant::now();
    let encoded = super::baseline::encode(workbook, options);
    let encoded_at = started.elapsed().as_secs_f64();
    let remaining =
        |limit: Option<f64>| limit.map(|l| (l - started.elapsed().as_secs_f64()).max(0.0));
    // Two cores on a time-limited solve: the core models run beside HiGHS (`race`).
    // Not the many short solves of an analysis (`quick`), which run side by side already.
    let racing =
        options.race && !options.quick && options.time_limit.is_some() && !encoded.has_flows();
    let (heuristic, lp) = primal_start(workbook, &encoded, options, &started, !racing);
    let lp_bound = lp.as_ref().map(|lp| lp.objective);
    let prices = lp.as_ref().map(|lp| lp.prices.as_slice());
    let keep_all = |_: &Group| true;
    let exchange = Exchange::new(&encoded.objective, heuristic.as_deref());
    let whole = RunSpec {
        objective: Some(&encoded.objective),
        maximise: true,
        extra_at_least: Vec::new(),
        keep: &keep_all,
        // A little time stays for the local search on HiGHS's answer.
        time_limit: options
            .time_limit
            .map(|l| (l * (1.0 - POLISH_SHARE) - started.elapsed().as_secs_f64()).max(0.0)),
        rel_gap: options.gap,
        abs_gap: None,
        threads: options.threads,
        start: heuristic.as_deref(),
        max_nodes: None,
        fixed: None,
        quick: options.quick,
        race: racing.then_some(Link {
            exchange: &exchange,
            receive: true,
        }),
    };
    let first = if racing {
        let deadline = options.time_limit.unwrap_or(0.0) * (1.0 - POLISH_SHARE);
        std::thread::scope(|scope| {
            let cores = scope.spawn(|| {
                if let Some(relaxation) = &lp {
                    grow_cores(
                        workbook,
                        &encoded,
                        relaxation,
                        options,
                        &started,
                        deadline,
                        start_budget(options),
                        &exchange,
                        true,
                    );
                }
            });
            let first = run(&encoded, &whole);
            exchange.stop();
            if std::env::var_os("ARBITER_SOLVER_LOG").is_some() {
                eprintln!(
                    "race: whole model {:?} best {:?} at {:.2}s",
                    first.as_ref().map(|r| (&r.status, r.bound)).ok(),
                    exchange.best().map(|b| b.0),
                    started.elapsed().as_secs_f64()
                );
            }
            // A panic in the core search is a bug, but the whole-model answer stands.
            let _ = cores.join();
            first
        })?
    } else {
        run(&encoded, &whole)?
    };
    // Racing, the best either search found is the start to fall back on.
    let heuristic = if racing {
        exchange.best().map(|(_, values)| values)
    } else {
        heuristic
    };
    let values = match (&first.status, first.values) {
        (RunStatus::Infeasible, _) => return Ok(Outcome::Infeasible),
        // HiGHS drops a start it cannot use (and the retry without presolve runs without
        // one): a time-limited answer worse than the start gives way to the start.
        (RunStatus::Stopped, Some(values)) => match heuristic {
            Some(start) if encoded.worth(&start) > encoded.worth(&values) => start,
            _ => values,
        },
        (_, Some(values)) => values,
        // Stopped before HiGHS had anything of its own: the greedy start, when it was
        // feasible, is still a portfolio.
        (_, None) => match heuristic {
            Some(values) => values,
            None => return Ok(Outcome::NoSolution),
        },
    };
    // Each project counts at most once, at its best start: a bound that needs no solver,
    // for when HiGHS stops (in presolve, under load) before it has one of its own.
    let trivial: f64 = encoded
        .by_project
        .iter()
        .map(|cols| {
            cols.iter()
                .map(|&j| encoded.objective[j])
                .fold(0.0, f64::max)
        })
        .sum();
    let bound = [Some(first.bound), lp_bound, Some(trivial)]
        .into_iter()
        .flatten()
        .filter(|b| b.is_finite())
        .fold(f64::INFINITY, f64::min);
    // The LP bound is a proof too: an incumbent within the gap of it is optimal, whatever
    // HiGHS's own search reached.
    let proven = first.status == RunStatus::Optimal
        || super::relative_gap(encoded.worth(&values), bound) <= options.gap;
    let mut best = if proven || encoded.has_flows() {
        values
    } else {
        super::heuristic::improve(
            workbook,
            &encoded,
            options,
            prices,
            &values,
            search_budget(0.5 * POLISH_SHARE * options.time_limit.unwrap_or(10.0)),
        )
    };
    let start_sum: usize = encoded
        .columns
        .iter()
        .zip(&best)
        .filter(|(_, &v)| v > 0.5)
        .map(|(&(_, t), _)| t)
        .sum();
    let time_left = remaining(options.time_limit).is_none_or(|t| t > 0.05);
    let tie_break_started = Instant::now();
    if options.tie_break && proven && start_sum > 0 && time_left {
        best = earliest_starts(&encoded, options, &best, &remaining)?;
    }
    let tie_break_seconds = tie_break_started.elapsed().as_secs_f64();
    let n = encoded.columns.len();
    let flows = encoded
        .flows
        .iter()
        .enumerate()
        .map(|(i, f)| {
            (
                f.team,
                f.skill,
                f.period,
                best.get(n + i).copied().unwrap_or(0.0),
            )
        })
        .filter(|f| f.3 > 1e-9)
        .collect();
    Ok(Outcome::Found(Found {
        flows,
        starts: encoded.starts_of(workbook.projects.len(), &best),
        bound: if bound.is_finite() {
            bound
        } else {
            f64::NEG_INFINITY
        },
        proven,
        encode_seconds: encoded_at + first.load_seconds,
        tie_break_seconds,
        lp: lp
            .as_ref()
            .map(|lp| super::estimates(&encoded, lp, workbook.projects.len())),
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
    let value: f64 = encoded
        .objective
        .iter()
        .zip(best)
        .map(|(c, v)| c * v.round())
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
    let keep_all = |_: &Group| true;
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

/// The LP relaxation of a model (every binary relaxed to [0, 1]) at its optimum.
pub(crate) struct Relaxation {
    /// Column values.
    pub values: Vec<f64>,
    /// Magnitude of each column's reduced cost: how much the objective would lose per unit
    /// of moving the column off its bound.
    pub reduced: Vec<f64>,
    /// Shadow price of each row (non-negative, 0 where the row is slack).
    pub prices: Vec<f64>,
    /// The optimal objective: no portfolio is worth more.
    pub objective: f64,
}

/// Solve the LP relaxation of `encoded`. Its shadow prices tell the heuristics which budgets
/// and capacities are scarce and by how much, which a plain ratio to the limit does not;
/// its values and reduced costs pick the core of the model (see [`core_start`]). `None`
/// when the LP does not solve to optimality within `time_limit`.
pub(crate) fn lp_relaxation(encoded: &Encoded, time_limit: Option<f64>) -> Option<Relaxation> {
    if encoded.columns.is_empty() {
        return None;
    }
    let mut problem = highs::RowProblem::default();
    let mut cols: Vec<highs::Col> = encoded
        .objective
        .iter()
        .map(|&c| problem.add_column(c, 0.0..=1.0))
        .collect();
    for _ in &encoded.flows {
        cols.push(problem.add_column(0.0, 0.0..));
    }
    // HiGHS row of each encoded row (an empty or free row is not passed).
    let mut index = Vec::with_capacity(encoded.rows.len());
    let mut count = 0;
    for row in &encoded.rows {
        let terms = row.terms.iter().map(|&(j, c)| (cols[j], c));
        let passed = match (row.lower.is_finite(), row.upper.is_finite()) {
            _ if row.terms.is_empty() => false,
            (true, true) => {
                problem.add_row(row.lower..=row.upper, terms);
                true
            }
            (true, false) => {
                problem.add_row(row.lower.., terms);
                true
            }
            (false, true) => {
                problem.add_row(..=row.upper, terms);
                true
            }
            (false, false) => false,
        };
        index.push(passed.then_some(count));
        count += usize::from(passed);
    }
    let mut model = problem.try_optimise(highs::Sense::Maximise).ok()?;
    if std::env::var_os("ARBITER_SOLVER_LOG").is_some() {
        model.try_set_option("output_flag", true).ok()?;
        model.try_set_option("log_to_console", true).ok()?;
    }
    model.try_set_option("threads", 1).ok()?;
    // The interior point method with crossover solves these LPs several times faster than
    // the simplex on large workbooks (7 s against more than 60 s at 5,000 projects), and
    // crossover gives the vertex solution the core model needs.
    model.try_set_option("solver", "ipm").ok()?;
    if let Some(limit) = time_limit {
        model.try_set_option("time_limit", limit.max(0.01)).ok()?;
    }
    let solved = model.try_solve().ok()?;
    if solved.status() != HighsModelStatus::Optimal {
        return None;
    }
    let solution = solved.get_solution();
    let duals = solution.dual_rows();
    // HiGHS's tolerances: the bound is widened by a hair so that it stays a bound.
    let objective = solved.objective_value();
    Some(Relaxation {
        objective: objective + 1e-7 * objective.abs().max(1.0),
        values: solution.columns().to_vec(),
        reduced: solution.dual_columns().iter().map(|d| d.abs()).collect(),
        prices: index
            .iter()
            .map(|i| i.and_then(|i| duals.get(i)).map_or(0.0, |d| d.abs()))
            .collect(),
    })
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
    let keep_all = |_: &Group| true;
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
