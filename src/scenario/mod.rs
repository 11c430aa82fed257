//! What-if scenarios: applying scenarios.csv's changes to the base workbook ([`apply`]), and
//! the rayon-parallel runner that solves many workbooks at once ([`run`], [`par_map`]).
//!
//! Determinism: jobs run on a pool of `workers` threads, but results come back in input
//! order and every solve gets one HiGHS thread, so the files written are the same bytes
//! whatever the number of workers — as long as no solve stops on its time limit, which
//! depends on the machine's speed. Wall-clock seconds are kept out of the files unless asked
//! for ([`RunOptions::timings`]).

mod apply;
mod result;
mod shard;

pub use apply::{apply, Problem};
pub use result::{ScenarioResult, Timing};
pub use shard::{fingerprint, Manifest, MANIFEST_SCHEMA};

use std::time::Instant;

use crate::error::{Error, Result};
use crate::model::{Scenario, Workbook};
use crate::report;
use crate::solve::{self, SolveOptions};

/// Names a scenario may not take because the output folder holds files of that name.
pub const RESERVED_NAMES: [&str; 3] = ["comparison.csv", "scenarios.csv", "timings.csv"];

/// The name of the scenario that is the base workbook itself.
pub const BASE: &str = "base";

/// The folder a scenario's outputs go to: its name with every character other than a
/// letter, a digit, `-`, `_` or `.` replaced by `_`. `None` when that leaves nothing usable
/// (empty, or only dots).
pub fn folder_name(name: &str) -> Option<String> {
    let folder: String = name
        .trim()
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || matches!(c, '-' | '_' | '.') {
                c
            } else {
                '_'
            }
        })
        .collect();
    if folder.chars().all(|c| c == '.') {
        None
    } else {
        Some(folder)
    }
}

/// What a job solves.
#[derive(Debug, Clone)]
pub enum Source<'a> {
    /// The base workbook as it is.
    Base,
    /// The base workbook with a scenario's changes.
    Changes(&'a Scenario),
    /// A whole alternative workbook.
    Workbook(&'a Workbook),
}

/// One scenario to run.
#[derive(Debug, Clone)]
pub struct Job<'a> {
    pub name: String,
    /// Output folder name (see [`folder_name`]).
    pub folder: String,
    pub source: Source<'a>,
}

/// Options of a run of many scenarios.
#[derive(Debug, Clone, PartialEq)]
pub struct RunOptions {
    /// Options of each solve; `threads` should be 1 when `workers` > 1.
    pub solve: SolveOptions,
    /// Worker threads solving scenarios at once (at least 1).
    pub workers: usize,
    /// Write real wall-clock seconds into each summary.json (otherwise 0, so that runs are
    /// byte-for-byte repeatable).
    pub timings: bool,
}

/// One scenario run: its comparison row and its plan files (relative names).
#[derive(Debug, Clone)]
pub struct Finished {
    pub result: ScenarioResult,
    /// `<folder>/summary.json`, `<folder>/portfolio.csv`, …; empty when the run failed.
    pub files: Vec<(String, Vec<u8>)>,
}

/// Solve every job on a pool of `options.workers` threads, in input order. One failing
/// scenario becomes a row with status `error`; it does not stop the others. `on_done` is
/// called as each one finishes (from worker threads, in completion order), e.g. to move a
/// progress bar.
pub fn run(
    base: &Workbook,
    jobs: &[Job<'_>],
    options: &RunOptions,
    on_done: &(dyn Fn(&ScenarioResult) + Sync),
) -> Result<Vec<Finished>> {
    par_map(jobs, options.workers, |job| {
        let finished = run_one(base, job, options);
        on_done(&finished.result);
        finished
    })
}

fn run_one(base: &Workbook, job: &Job<'_>, options: &RunOptions) -> Finished {
    let started = Instant::now();
    let applied;
    let workbook = match &job.source {
        Source::Base => base,
        Source::Workbook(wb) => wb,
        Source::Changes(scenario) => match apply(base, scenario) {
            Ok(wb) => {
                applied = wb;
                &applied
            }
            // Validation applied every scenario already; this is a bug if it happens.
            Err(problems) => {
                let message = problems
                    .iter()
                    .map(|p| format!("line {}: {}", p.line, p.message))
                    .collect::<Vec<_>>()
                    .join("; ");
                return Finished {
                    result: ScenarioResult::failed(job, base, message),
                    files: Vec::new(),
                };
            }
        },
    };
    let apply_seconds = started.elapsed().as_secs_f64();
    let mut solution = match solve::solve(workbook, &options.solve) {
        Ok(solution) => solution,
        Err(err) => {
            let message = match err {
                Error::Invalid(list) => list
                    .iter()
                    .map(|d| d.message.clone())
                    .collect::<Vec<_>>()
                    .join("; "),
                other => other.to_string(),
            };
            return Finished {
                result: ScenarioResult::failed(job, workbook, message),
                files: Vec::new(),
            };
        }
    };
    let timing = Timing {
        apply: apply_seconds,
        encode: solution.encode_seconds,
        solve: solution.seconds - solution.encode_seconds,
        report: 0.0,
    };
    if !options.timings {
        solution.seconds = 0.0;
        solution.encode_seconds = 0.0;
    }
    let report_started = Instant::now();
    let report = report::build(workbook, &solution, &options.solve);
    let files = report::output_files(&report)
        .into_iter()
        .map(|(name, bytes)| (format!("{}/{name}", job.folder), bytes))
        .collect();
    let mut result = ScenarioResult::solved(job, workbook, &solution, report.summary.total_cost);
    result.timing = Timing {
        report: report_started.elapsed().as_secs_f64(),
        ..timing
    };
    Finished { result, files }
}

/// `f` over `items` on a pool of `workers` threads (at least 1), results in input order.
/// The pool is the caller's own, so a run with `--jobs 1` really uses one thread.
pub fn par_map<T, R, F>(items: &[T], workers: usize, f: F) -> Result<Vec<R>>
where
    T: Sync,
    R: Send,
    F: Fn(&T) -> R + Sync,
{
    use rayon::prelude::*;
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(workers.max(1))
        .thread_name(|i| format!("arbiter-worker-{i}"))
        .build()
        .map_err(|e| Error::Internal(format!("cannot start {workers} worker threads: {e}")))?;
    // One item per task: solves vary a lot in length, so no batching.
    Ok(pool.install(|| items.par_iter().with_max_len(1).map(&f).collect()))
}

/// The indices of `len` items that shard `k` of `n` (1-based) runs: every n-th item from
/// the (k−1)-th, so that shards get similar mixes whatever the order of the scenarios.
pub fn shard(len: usize, k: usize, n: usize) -> Vec<usize> {
    if n == 0 || k == 0 || k > n {
        return Vec::new();
    }
    (k - 1..len).step_by(n).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folder_names_are_safe() {
        assert_eq!(folder_name("budget -10%").as_deref(), Some("budget_-10_"));
        assert_eq!(folder_name("réorg.2027").as_deref(), Some("réorg.2027"));
        assert_eq!(folder_name("a/b\\c").as_deref(), Some("a_b_c"));
        assert_eq!(folder_name(".."), None);
        assert_eq!(folder_name("  "), None);
    }

    #[test]
    fn shards_partition_the_items() {
        let mut all: Vec<usize> = (1..=3).flat_map(|k| shard(10, k, 3)).collect();
        assert_eq!(shard(10, 1, 3), [0, 3, 6, 9]);
        assert_eq!(shard(10, 3, 3), [2, 5, 8]);
        all.sort_unstable();
        assert_eq!(all, (0..10).collect::<Vec<_>>());
        assert!(shard(10, 4, 3).is_empty());
        assert_eq!(shard(2, 3, 3), Vec::<usize>::new());
    }

    #[test]
    fn par_map_keeps_input_order_whatever_the_workers() {
        let items: Vec<u64> = (0..200).collect();
        let square = |x: &u64| x * x;
        let one = par_map(&items, 1, square).unwrap();
        let four = par_map(&items, 4, square).unwrap();
        assert_eq!(one, four);
        assert_eq!(one[199], 199 * 199);
    }
}
