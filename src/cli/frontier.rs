//! `arbiter frontier`: the best value as the budget grows, in parallel; frontier.csv and
//! frontier.svg.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use arbiter::report::frontier::{frontier_csv, frontier_svg, render_frontier};
use clap::Args;

use super::EXIT_INVALID;

#[derive(Debug, Args)]
pub struct FrontierArgs {
    /// The workbook: a folder of CSV files, or one .xlsx / .ods file.
    pub workbook: PathBuf,
    /// Budgets to solve, evenly spaced from what mandatory work needs to what the best
    /// unconstrained portfolio spends (today's budget is always added).
    #[arg(long, default_value_t = 20)]
    pub points: usize,
    /// Output folder for frontier.csv and frontier.svg.
    #[arg(long, default_value_os_t = super::default_out())]
    pub out: PathBuf,
    /// Budgets solved at once (default: every core).
    #[arg(long, value_name = "N")]
    pub jobs: Option<usize>,
    #[command(flatten)]
    pub solve: super::SolveArgs,
    /// Print no warnings on stderr.
    #[arg(long, short)]
    pub quiet: bool,
}

pub fn run(args: FrontierArgs) -> anyhow::Result<ExitCode> {
    anyhow::ensure!(args.points >= 2, "--points must be at least 2");
    let options = args.solve.options()?;
    let workers = super::workers(args.jobs)?;
    let Some(workbook) = super::load(&args.workbook, false, args.quiet)? else {
        return Ok(ExitCode::from(EXIT_INVALID));
    };
    let frontier = arbiter::analysis::frontier(&workbook, &options, args.points, workers)?;
    let files = [
        ("frontier.csv", frontier_csv(&frontier)),
        ("frontier.svg", frontier_svg(&frontier).into_bytes()),
    ];
    arbiter::io::output::write_outputs(&args.out, &files)
        .with_context(|| format!("writing the outputs to {}", args.out.display()))?;
    let mut stdout = std::io::stdout().lock();
    let _ = stdout
        .write_all(render_frontier(&frontier).as_bytes())
        .and_then(|_| stdout.flush());
    Ok(ExitCode::SUCCESS)
}
