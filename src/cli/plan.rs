//! `arbiter plan`: solve the base workbook, write the contract's outputs, print a summary.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use arbiter::{report, SolveOptions, SolveStatus};
use clap::Args;

use super::{Format, EXIT_INVALID};

#[derive(Debug, Args)]
pub struct PlanArgs {
    /// The workbook folder (projects.csv, budget.csv, capacity.csv, …), or one .xlsx / .ods file with a sheet per file.
    pub workbook: PathBuf,
    /// Read WORKBOOK as a tool's export through this mapping file (see `arbiter import`).
    #[arg(long, value_name = "FILE")]
    pub mapping: Option<PathBuf>,
    /// Output folder, written atomically.
    #[arg(long, default_value_os_t = super::default_out())]
    pub out: PathBuf,
    #[command(flatten)]
    pub solve: super::SolveArgs,
    /// HiGHS threads.
    #[arg(long, default_value_t = 1)]
    pub threads: usize,
    /// What stdout shows.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
    /// Treat warnings that matter (pairwise consistency ratio above 0.10) as errors.
    #[arg(long)]
    pub strict: bool,
    /// Print no warnings on stderr.
    #[arg(long, short)]
    pub quiet: bool,
    /// Print where the time went on stderr (read and validate, encode, solve).
    #[arg(long, short)]
    pub verbose: bool,
    /// How portfolio.csv is ranked: `exact` re-solves once per project (criticality of
    /// each selected project, regret of each one out, what it would take); `fast` estimates
    /// them from one LP relaxation; `none` ranks by score; `auto` is exact up to 100
    /// projects, fast above.
    #[arg(long, value_enum, default_value_t = RankArg::Auto)]
    pub rank: RankArg,
    /// Re-solves of the ranking run at once (default: every core).
    #[arg(long, value_name = "N")]
    pub jobs: Option<usize>,
    /// A previous plan to stay close to: the summary.json that `plan` wrote, or a CSV file
    /// with the columns id and start (a portfolio.csv works). Dropping one of its projects
    /// or moving its start costs the change penalty.
    #[arg(long, value_name = "FILE")]
    pub baseline: Option<PathBuf>,
    /// What a change of the baseline costs, as a fraction of the changed project's score:
    /// 0.1 means a change must gain at least 10% of it (needs --baseline).
    #[arg(long, value_name = "F")]
    pub change_penalty: Option<f64>,
    /// Also write the outputs as one formatted spreadsheet (sheets portfolio, allocation,
    /// utilisation, spend), atomically.
    #[arg(long, value_name = "FILE")]
    pub xlsx: Option<PathBuf>,
}

/// The default of `--change-penalty`.
pub const CHANGE_PENALTY: f64 = 0.1;

/// How portfolio.csv is ranked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum RankArg {
    Auto,
    Exact,
    Fast,
    None,
}

/// Up to this many projects `--rank auto` ranks exactly (one re-solve per project).
pub const RANK_EXACT_MAX: usize = 100;

pub fn run(args: PlanArgs) -> anyhow::Result<ExitCode> {
    check_args(&args)?;
    // The shared checks of --time-limit, --gap and --discount; plan alone takes --threads.
    let mut options = args.solve.options()?.with_threads(args.threads);
    // A folder in the way of --out is said before the solve, not after.
    arbiter::io::output::check_replaceable(&args.out, &[] as &[&str])
        .with_context(|| format!("checking the out folder {}", args.out.display()))?;
    let started = std::time::Instant::now();
    let imported = match &args.mapping {
        Some(file) => match super::import::import_for(&args.workbook, file, args.quiet)? {
            Some(dir) => Some(dir),
            None => return Ok(ExitCode::from(EXIT_INVALID)),
        },
        None => None,
    };
    let path = imported
        .as_ref()
        .map_or(args.workbook.as_path(), |d| d.path());
    let Some(workbook) = super::load(path, args.strict, args.quiet)? else {
        return Ok(ExitCode::from(EXIT_INVALID));
    };
    // The projects of the baseline that the workbook no longer has (they count as left).
    let mut gone = Vec::new();
    if let Some(path) = &args.baseline {
        let read = arbiter::io::baseline::read_baseline(path, &workbook)?;
        if !args.quiet {
            for warning in &read.warnings {
                eprintln!("{warning}");
            }
        }
        gone = read.gone;
        options.baseline = Some(arbiter::solve::Baseline {
            starts: read.starts,
            penalty: args.change_penalty.unwrap_or(CHANGE_PENALTY),
        });
    }
    let read_seconds = started.elapsed().as_secs_f64();
    let Ranked {
        solution,
        ranking,
        exact,
    } = solve_ranked(
        &workbook,
        &options,
        args.rank,
        args.jobs,
        args.quiet,
        args.verbose.then_some(read_seconds),
    )?;
    let baseline_file = args
        .baseline
        .as_ref()
        .map(|p| p.display().to_string())
        .unwrap_or_default();
    // With the exact ranking, each moved project also says what keeping its baseline start
    // would do (one more re-solve per moved project).
    let keep = if exact == Some(true)
        && options.baseline.is_some()
        && solution.status != SolveStatus::Infeasible
    {
        Some(arbiter::analysis::keep_moved(
            &workbook,
            &solution,
            &options,
            super::workers(args.jobs)?,
        )?)
    } else {
        None
    };
    let report = report::baseline::build_replan(
        &workbook,
        &solution,
        &options,
        ranking.as_ref(),
        report::baseline::Replan {
            file: &baseline_file,
            gone: &gone,
            keep: keep.as_deref(),
        },
    );
    arbiter::io::output::write_outputs(&args.out, &report::output_files(&report))
        .with_context(|| format!("writing the outputs to {}", args.out.display()))?;
    if let Some(path) = &args.xlsx {
        let bytes = report::xlsx::plan_xlsx(&report)?;
        arbiter::io::output::write_file(path, bytes)
            .with_context(|| format!("writing {}", path.display()))?;
    }
    let text = match args.format {
        Format::Table => report::render_table(&report),
        Format::Json => report::render_json(&report),
        Format::Csv => report::render_csv(&report),
    };
    let mut stdout = std::io::stdout().lock();
    // A closed pipe (`| head`) is not an error worth a message.
    let _ = stdout
        .write_all(text.as_bytes())
        .and_then(|_| stdout.flush());
    if solution.status == SolveStatus::Infeasible {
        eprintln!("error: no feasible portfolio exists");
        if let Some(diagnosis) = &solution.diagnosis {
            for finding in &diagnosis.findings {
                eprintln!("  - {}", finding.message);
            }
        }
        eprintln!("fix: raise the limits named above, or relax the mandatory or in-progress work or rules that break them");
        return Ok(ExitCode::from(EXIT_INVALID));
    }
    Ok(ExitCode::SUCCESS)
}

fn check_args(args: &PlanArgs) -> anyhow::Result<()> {
    anyhow::ensure!(args.threads >= 1, "--threads must be at least 1");
    if let Some(penalty) = args.change_penalty {
        anyhow::ensure!(
            args.baseline.is_some(),
            "--change-penalty needs --baseline FILE (the previous plan whose changes it prices)"
        );
        anyhow::ensure!(
            penalty.is_finite() && penalty >= 0.0,
            "--change-penalty must be a number ≥ 0 (a fraction of the changed project's score), got {penalty}"
        );
    }
    Ok(())
}

/// Solve `workbook`, rank portfolio.csv as `rank` asks (re-solves on `jobs` workers) and
/// build the report; `verbose` carries the read time to print with the other timings.
pub fn solve_and_rank(
    workbook: &arbiter::Workbook,
    options: &SolveOptions,
    rank: RankArg,
    jobs: Option<usize>,
    quiet: bool,
    verbose: Option<f64>,
) -> anyhow::Result<(arbiter::Solution, report::Report)> {
    let Ranked {
        solution, ranking, ..
    } = solve_ranked(workbook, options, rank, jobs, quiet, verbose)?;
    let report = report::build_ranked(workbook, &solution, options, ranking.as_ref());
    Ok((solution, report))
}

/// A solve and its ranking.
pub struct Ranked {
    pub solution: arbiter::Solution,
    pub ranking: Option<arbiter::analysis::Ranking>,
    /// `Some(true)` exact, `Some(false)` fast, `None` not ranked.
    pub exact: Option<bool>,
}

/// Solve, then rank as `rank` says; with `verbose` (the seconds reading took), say where the
/// time went on stderr.
pub fn solve_ranked(
    workbook: &arbiter::Workbook,
    options: &SolveOptions,
    rank: RankArg,
    jobs: Option<usize>,
    quiet: bool,
    verbose: Option<f64>,
) -> anyhow::Result<Ranked> {
    let solution = arbiter::solve(workbook, options)?;
    if let Some(read_seconds) = verbose {
        eprintln!(
            "timings: read and validate {:.3} s, encode {:.3} s, solve and check {:.3} s (of which earliest-start tie-break {:.3} s, team allocation {:.3} s)",
            read_seconds,
            solution.encode_seconds,
            solution.seconds - solution.encode_seconds,
            solution.tie_break_seconds,
            solution.allocation_seconds
        );
    }
    let exact = match rank {
        RankArg::Exact => Some(true),
        RankArg::Fast => Some(false),
        RankArg::None => None,
        RankArg::Auto => Some(workbook.projects.len() <= RANK_EXACT_MAX),
    };
    let ranking = match exact {
        Some(exact) if solution.status != SolveStatus::Infeasible => {
            let rank_started = std::time::Instant::now();
            let workers = super::workers(jobs)?;
            let ranking = if exact {
                match arbiter::analysis::rank(workbook, &solution, options, workers) {
                    Ok(ranking) => Some(ranking),
                    // HiGHS failing in one of the ranking's re-solves must not cost the
                    // portfolio, which the checker has already passed: rank by score, say so.
                    Err(arbiter::Error::Internal(why)) => {
                        if !quiet {
                            eprintln!("warning: a re-solve of the exact ranking failed ({why}); portfolio.csv is ranked by score");
                        }
                        None
                    }
                    Err(other) => return Err(other.into()),
                }
            } else {
                let ranking = arbiter::analysis::rank_fast(workbook, &solution, options)?;
                if ranking.is_none() && !quiet {
                    eprintln!("warning: the LP relaxation did not solve in time; portfolio.csv is ranked by score");
                }
                ranking
            };
            if verbose.is_some() {
                eprintln!(
                    "timings: {} ranking {:.3} s",
                    if exact { "exact" } else { "fast (LP)" },
                    rank_started.elapsed().as_secs_f64()
                );
            }
            ranking
        }
        _ => None,
    };
    Ok(Ranked {
        solution,
        ranking,
        exact,
    })
}
