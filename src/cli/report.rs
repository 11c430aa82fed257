//! `arbiter report WORKBOOK --html FILE`: plan the workbook (ranked as `plan` ranks it) and
//! write one self-contained HTML page for a steering committee; with `--frontier N` the
//! efficient frontier, with `--scenarios` the comparison of scenarios.csv, with
//! `--uncertainty N` the Monte Carlo robustness run of `arbiter uncertainty --samples N`.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use arbiter::analysis::UncertaintyOptions;
use arbiter::batch::{self, RunOptions};
use arbiter::report::html::{render_html, Extras};
use arbiter::SolveStatus;
use clap::Args;

use super::plan::{solve_and_rank, RankArg};
use super::EXIT_INVALID;

#[derive(Debug, Args)]
pub struct ReportArgs {
    /// The workbook: a folder of CSV files, or one .xlsx / .ods file.
    pub workbook: PathBuf,
    /// The HTML file to write (atomically).
    #[arg(long, value_name = "FILE")]
    pub html: PathBuf,
    /// Also run base and every scenario of scenarios.csv, and show their comparison.
    #[arg(long)]
    pub scenarios: bool,
    /// Also compute the efficient frontier at this many budgets (as `arbiter frontier
    /// --points N`) and draw it.
    #[arg(long, value_name = "N")]
    pub frontier: Option<usize>,
    /// Also run the Monte Carlo robustness analysis on this many samples (as `arbiter
    /// uncertainty --samples N`) and show the core index of every project, the objective's
    /// spread, the base plan's overrun risk and the robust plan.
    #[arg(long, value_name = "N")]
    pub uncertainty: Option<usize>,
    /// Seed of the draws of --uncertainty (as `uncertainty --seed`).
    #[arg(long, value_name = "S", requires = "uncertainty",
          default_value_t = UncertaintyOptions::default().seed)]
    pub seed: u64,
    /// Core index from which --uncertainty's robust plan forces a project in (as
    /// `uncertainty --threshold`, 0.5…1).
    #[arg(long, value_name = "T", requires = "uncertainty",
          default_value_t = UncertaintyOptions::default().threshold)]
    pub threshold: f64,
    /// How the ranked table is ranked (as `plan --rank`).
    #[arg(long, value_enum, default_value_t = RankArg::Auto)]
    pub rank: RankArg,
    /// Solves run at once (default: every core).
    #[arg(long, value_name = "N")]
    pub jobs: Option<usize>,
    #[command(flatten)]
    pub solve: super::SolveArgs,
    /// Treat warnings that matter (pairwise consistency ratio above 0.10) as errors.
    #[arg(long)]
    pub strict: bool,
    /// Print no warnings on stderr.
    #[arg(long, short)]
    pub quiet: bool,
}

pub fn run(args: ReportArgs) -> anyhow::Result<ExitCode> {
    if let Some(points) = args.frontier {
        anyhow::ensure!(points >= 2, "--frontier must be at least 2 points");
    }
    let uncertainty = args
        .uncertainty
        .map(|samples| {
            super::uncertainty::checked_options(
                "--uncertainty",
                samples,
                args.seed,
                args.threshold,
                false,
            )
        })
        .transpose()?;
    let options = args.solve.options()?;
    let workers = super::workers(args.jobs)?;
    let Some(loaded) = super::load_all(&args.workbook, args.strict, args.quiet)? else {
        return Ok(ExitCode::from(EXIT_INVALID));
    };
    let workbook = &loaded.workbook;
    let (solution, report) =
        solve_and_rank(workbook, &options, args.rank, args.jobs, args.quiet, None)?;
    let frontier = match args.frontier {
        Some(points) => Some(arbiter::analysis::frontier(
            workbook, &options, points, workers,
        )?),
        None => None,
    };
    let results = if args.scenarios {
        let jobs = match super::scenarios::jobs(&loaded.scenarios, &[]) {
            Ok(jobs) => jobs,
            Err(message) => {
                eprintln!("error: {message}");
                return Ok(ExitCode::from(EXIT_INVALID));
            }
        };
        let run = RunOptions {
            solve: options.clone(),
            workers,
            timings: false,
        };
        let finished = batch::run(workbook, &jobs, &run, &|_| {})?;
        Some(finished.into_iter().map(|f| f.result).collect::<Vec<_>>())
    } else {
        None
    };
    // With no feasible portfolio there is no base plan to test: the page shows what breaks.
    let uncertainty = match uncertainty {
        Some(run) if solution.status != SolveStatus::Infeasible => {
            let progress = super::progress(args.quiet, run.samples, "samples");
            let u = arbiter::analysis::uncertainty_with_progress(
                workbook,
                &options,
                &run,
                workers,
                &|| progress.inc(1),
            );
            progress.finish_and_clear();
            Some(u?)
        }
        Some(_) => {
            eprintln!("note: --uncertainty skipped: no feasible portfolio at the point estimates");
            None
        }
        None => None,
    };
    let name = args.workbook.file_name().map_or_else(
        || args.workbook.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    );
    let extras = Extras {
        frontier: frontier.as_ref(),
        scenarios: results.as_deref(),
        uncertainty: uncertainty.as_ref(),
    };
    let html = render_html(&name, workbook, &report, &extras)?;
    arbiter::io::output::write_file(&args.html, html.into_bytes())
        .with_context(|| format!("writing {}", args.html.display()))?;
    if !args.quiet {
        eprintln!(
            "wrote {}: {} of {} project(s) selected ({})",
            args.html.display(),
            report.summary.count,
            workbook.projects.len(),
            format!("{:?}", report.summary.status).to_lowercase()
        );
    }
    if solution.status == SolveStatus::Infeasible {
        eprintln!("error: no feasible portfolio exists (the report shows what breaks)");
        return Ok(ExitCode::from(EXIT_INVALID));
    }
    Ok(ExitCode::SUCCESS)
}
