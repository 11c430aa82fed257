//! The scenario runner: solves many jobs at once on the caller's pool of rayon threads
//! ([`crate::parallel::par_map`]), and builds each one's report and plan files and its line
//! of the comparison. It sits above [`crate::report`] (it calls [`report::build`]), so that
//! the scenario data it runs ([`crate::scenario`]) stays below the report.
//!
//! Determinism: jobs run on a pool of `workers` threads, but results come back in input
//! order and every solve gets one HiGHS thread, so the files written are the same bytes
//! whatever the number of workers — as long as no solve stops on its time limit, which
//! depends on the machine's speed. Wall-clock seconds are kept out of the files unless asked
//! for ([`RunOptions::timings`]).

use std::time::Instant;

use crate::error::{Error, Result};
use crate::model::Workbook;
use crate::parallel::par_map;
use crate::report;
use crate::scenario::{apply, Job, ScenarioResult, Source, Timing};
use crate::solve::{self, Solution, SolveOptions, SolveStatus};

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
    let mut result = solved(job, workbook, &solution, report.summary.total_cost);
    result.timing = Timing {
        report: report_started.elapsed().as_secs_f64(),
        ..timing
    };
    Finished { result, files }
}

/// A solved scenario's line in the comparison (the scenario module holds the data, the runner
/// fills it from a solution). `cost` is the report's total cost, so that the comparison and
/// summary.json agree.
fn solved(job: &Job<'_>, wb: &Workbook, solution: &Solution, cost: f64) -> ScenarioResult {
    let infeasible = solution.status == SolveStatus::Infeasible;
    let starts: Vec<Option<String>> = (0..wb.projects.len())
        .map(|p| {
            let start = if infeasible {
                None
            } else {
                solution.starts.get(p).copied().flatten()
            };
            start.map(|t| wb.periods[t].clone())
        })
        .collect();
    let message = solution
        .diagnosis
        .as_ref()
        .map(|d| {
            d.findings
                .iter()
                .map(|f| f.message.clone())
                .collect::<Vec<_>>()
                .join("; ")
        })
        .unwrap_or_default();
    ScenarioResult {
        name: job.name.clone(),
        folder: job.folder.clone(),
        status: solution.status.as_str().to_string(),
        objective: solution.objective,
        bound: solution.bound,
        gap: solution.gap,
        cost,
        count: starts.iter().flatten().count(),
        projects: wb.projects.iter().map(|p| p.id.clone()).collect(),
        starts,
        message,
        timing: Default::default(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Arith, Change, ChangeKind, Scenario};
    use crate::report::testkit::{project, workbook};

    fn base() -> Workbook {
        let mut wb = workbook(
            &["Q1"],
            vec![project("A", 60.0, 1, 5.0), project("B", 60.0, 1, 4.0)],
        );
        wb.budget_total = vec![Some(100.0)];
        wb
    }

    fn options(workers: usize) -> RunOptions {
        RunOptions {
            solve: SolveOptions {
                threads: 1,
                ..SolveOptions::default()
            },
            workers,
            timings: false,
        }
    }

    #[test]
    fn jobs_come_back_in_order_with_the_same_bytes_whatever_the_workers() {
        let wb = base();
        let more = Scenario {
            name: "more budget".into(),
            line: 2,
            changes: vec![Change {
                line: 2,
                kind: ChangeKind::Budget {
                    category: None,
                    from: 0,
                    to: 0,
                    op: Arith::Set,
                    value: 200.0,
                },
            }],
        };
        let jobs = [
            Job {
                name: "base".into(),
                folder: "base".into(),
                source: Source::Base,
            },
            Job {
                name: more.name.clone(),
                folder: "more_budget".into(),
                source: Source::Changes(&more),
            },
        ];
        let one = run(&wb, &jobs, &options(1), &|_| {}).expect("runs");
        let two = run(&wb, &jobs, &options(2), &|_| {}).expect("runs");
        let names: Vec<&str> = one.iter().map(|f| f.result.name.as_str()).collect();
        assert_eq!(names, ["base", "more budget"]);
        assert_eq!(one[0].result.count, 1);
        assert_eq!(one[1].result.count, 2);
        assert!(one[1]
            .files
            .iter()
            .any(|(name, _)| name == "more_budget/portfolio.csv"));
        let bytes = |run: &[Finished]| -> Vec<(String, Vec<u8>)> {
            run.iter().flat_map(|f| f.files.clone()).collect()
        };
        assert_eq!(bytes(&one), bytes(&two));
    }

    #[test]
    fn a_failing_job_is_a_row_with_status_error() {
        let wb = base();
        // A budget cut below 0: apply refuses it (validation would have), the run goes on.
        let broken = Scenario {
            name: "broken".into(),
            line: 3,
            changes: vec![Change {
                line: 3,
                kind: ChangeKind::Budget {
                    category: None,
                    from: 0,
                    to: 0,
                    op: Arith::Add,
                    value: -500.0,
                },
            }],
        };
        let jobs = [Job {
            name: "broken".into(),
            folder: "broken".into(),
            source: Source::Changes(&broken),
        }];
        let done = run(&wb, &jobs, &options(1), &|_| {}).expect("runs");
        assert_eq!(done[0].result.status, "error");
        assert!(
            done[0].result.message.starts_with("line 3: "),
            "{}",
            done[0].result.message
        );
        assert!(done[0].files.is_empty());
    }
}
