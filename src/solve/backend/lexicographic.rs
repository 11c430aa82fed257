//! The whole solve of one workbook: the MIP start, HiGHS on the whole model (racing the
//! core models on two cores under a time limit), the bounds that prove it, a polish of a
//! time-limited answer, and then the contract's tie-break: first the best objective, then,
//! among portfolios of that objective, the smallest sum of start indices.

use std::time::Instant;

use super::cores::grow_cores;
use super::race::{Exchange, Link};
use super::start::{primal_start, search_budget, start_budget};
use super::tie_break::earliest_starts;
use super::{keep_all, run, start_sum, RunSpec, RunStatus};
use crate::error::Result;
use crate::model::{Starts, Workbook};
use crate::solve::{Limit, SolveOptions};

/// The best portfolio found.
#[derive(Debug, Clone)]
pub(crate) struct Found {
    pub starts: Starts,
    /// Per project: its share (1 unless it is partly funded and selected).
    pub shares: Vec<f64>,
    pub bound: f64,
    pub proven: bool,
    /// Seconds spent encoding and loading the first model (before HiGHS starts).
    pub encode_seconds: f64,
    /// Seconds of the earliest-start tie-break (the second MILP).
    pub tie_break_seconds: f64,
    /// The LP relaxation's per-project estimates, when it solved.
    pub lp: Option<crate::solve::LpEstimates>,
    /// With teams.csv: FTE per (team, skill, period) that staffs `starts`.
    pub flows: Vec<(usize, usize, usize, f64)>,
    /// The limit that stopped the search short of a proof.
    pub stopped_by: Option<Limit>,
}

/// How the lexicographic solve ended.
#[derive(Debug, Clone)]
pub(crate) enum Outcome {
    Found(Found),
    /// Proven: no feasible portfolio.
    Infeasible,
    /// The limit ran out before any feasible portfolio was found.
    NoSolution(Limit),
}

/// Share of the time limit kept for the local search on HiGHS's answer.
const POLISH_SHARE: f64 = 0.02;

/// Solve: best objective first, then earliest starts among portfolios of that objective.
pub(crate) fn solve_lexicographic(workbook: &Workbook, options: &SolveOptions) -> Result<Outcome> {
    let started = Instant::now();
    let encoded = crate::solve::baseline::encode(workbook, options);
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
        max_nodes: options.node_limit,
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
    // Short of a proof, what stopped HiGHS: its own limit, or the race's stop flag, which
    // is raised only under a time limit.
    let stopped_by = first.stopped_by.unwrap_or(Limit::Time);
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
            None => return Ok(Outcome::NoSolution(stopped_by)),
        },
    };
    // Each project counts at most once, at its best start: a bound that needs no solver,
    // for when HiGHS stops (in presolve, under load) before it has one of its own.
    let trivial: f64 = encoded
        .by_project
        .iter()
        .map(|cols| {
            cols.iter()
                .map(|&j| encoded.column_worth(j))
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
        || crate::solve::relative_gap(encoded.worth(&values), bound) <= options.gap;
    let mut best = if proven || encoded.has_flows() {
        values
    } else {
        crate::solve::heuristic::improve(
            workbook,
            &encoded,
            options,
            prices,
            &values,
            search_budget(0.5 * POLISH_SHARE * options.time_limit.unwrap_or(10.0)),
        )
    };
    let start_sum = start_sum(&encoded, &best);
    let time_left = remaining(options.time_limit).is_none_or(|t| t > 0.05);
    let tie_break_started = Instant::now();
    if options.tie_break && proven && start_sum > 0 && time_left {
        best = earliest_starts(&encoded, options, &best, &remaining)?;
    }
    let tie_break_seconds = tie_break_started.elapsed().as_secs_f64();
    let n = encoded.first_flow();
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
        stopped_by: (!proven).then_some(stopped_by),
        flows,
        shares: encoded.shares_of(workbook.projects.len(), &best),
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
            .map(|lp| crate::solve::estimates(&encoded, lp, workbook.projects.len())),
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::solve::backend::tests::knapsack;
    use crate::solve::backend::tie_break::tests::two_ways_to_ten;
    use crate::solve::fixtures::fixture;

    fn found(workbook: &Workbook, options: &SolveOptions) -> Found {
        match solve_lexicographic(workbook, options).unwrap() {
            Outcome::Found(found) => found,
            other => panic!("no portfolio: {other:?}"),
        }
    }

    #[test]
    fn the_knapsack_optimum_is_proven_between_itself_and_the_lp_bound() {
        let wb = knapsack();
        let found = found(&wb, &SolveOptions::default());
        assert_eq!(found.starts, vec![Some(0), None, Some(0)]);
        assert!(found.proven);
        assert!(
            found.bound >= 65.0 - 1e-6 && found.bound <= 66.25 + 1e-5,
            "{}",
            found.bound
        );
        let lp = found.lp.unwrap();
        assert!((lp.objective - 66.25).abs() < 1e-5);
        assert!(found.flows.is_empty());
    }

    #[test]
    fn the_tie_break_keeps_the_objective_and_picks_earlier_starts() {
        let wb = two_ways_to_ten();
        let worth = |starts: &Starts| -> f64 {
            starts
                .iter()
                .zip(&wb.projects)
                .filter(|(s, _)| s.is_some())
                .map(|(_, p)| p.value)
                .sum()
        };
        let plain = found(
            &wb,
            &SolveOptions {
                tie_break: false,
                ..SolveOptions::default()
            },
        );
        assert_eq!(worth(&plain.starts), 10.0);
        let tied = found(&wb, &SolveOptions::default());
        assert_eq!(tied.starts, vec![None, Some(0), Some(0)]);
        assert_eq!(worth(&tied.starts), 10.0);
        assert!(tied.proven);
    }

    #[test]
    fn the_after_fixture_gives_its_hand_worked_optimum() {
        // fixtures/tiny/after/EXPECTED.md: A @ Q1, B @ Q3, D @ Q1.
        let found = found(&fixture("tiny/after"), &SolveOptions::default());
        assert_eq!(found.starts, vec![Some(0), Some(2), None, Some(0)]);
        assert!(found.proven);
    }

    #[test]
    fn an_infeasible_workbook_is_proven_so() {
        let wb = fixture("tiny/infeasible_budget");
        let outcome = solve_lexicographic(&wb, &SolveOptions::default()).unwrap();
        assert!(matches!(outcome, Outcome::Infeasible), "{outcome:?}");
    }

    #[test]
    fn a_raced_solve_under_a_time_limit_finds_the_same_portfolio() {
        let wb = knapsack();
        let options = SolveOptions {
            time_limit: Some(10.0),
            ..SolveOptions::default()
        }
        .with_threads(2);
        assert!(options.race);
        let found = found(&wb, &options);
        assert_eq!(found.starts, vec![Some(0), None, Some(0)]);
        assert!(found.proven);
    }
}
