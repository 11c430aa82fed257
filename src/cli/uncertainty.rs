//! `arbiter uncertainty`: Monte Carlo robustness of the portfolio under the three-point
//! ranges of projects.csv; core_index.csv, uncertainty.json, uncertainty.svg and a table.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use anyhow::Context;
use arbiter::analysis::UncertaintyOptions;
use arbiter::report::uncertainty::{
    core_index_csv, render_uncertainty, uncertainty_json, uncertainty_svg,
};
use clap::Args;

use super::EXIT_INVALID;

#[derive(Debug, Args)]
pub struct UncertaintyArgs {
    /// The workbook folder (projects.csv with cost_low/cost_high/value_low/value_high), or one .xlsx / .ods file with a sheet per file.
    pub workbook: PathBuf,
    /// Samples to draw and solve.
    #[arg(long, value_name = "N")]
    pub samples: usize,
    /// Seed of the draws: the same seed gives the same files, whatever --jobs.
    #[arg(long, value_name = "S", default_value_t = UncertaintyOptions::default().seed)]
    pub seed: u64,
    /// Samples solved at once (default: every core).
    #[arg(long, value_name = "J")]
    pub jobs: Option<usize>,
    /// Output folder for core_index.csv, uncertainty.json and uncertainty.svg.
    #[arg(long, default_value_os_t = super::default_out())]
    pub out: PathBuf,
    /// Core index from which a project is forced into the robust portfolio (0.5…1);
    /// candidates below 1 − this are left out of it.
    #[arg(long, value_name = "T", default_value_t = UncertaintyOptions::default().threshold)]
    pub threshold: f64,
    /// Apply the whole earliest-start tie-break to every sample: also search other selections
    /// of equal worth with earlier starts (slower; without it each sample's projects still
    /// get their earliest schedule).
    #[arg(long)]
    pub earliest_starts: bool,
    #[command(flatten)]
    pub solve: super::SolveArgs,
    /// Print no warnings on stderr.
    #[arg(long, short)]
    pub quiet: bool,
    /// Print where the time went on stderr.
    #[arg(long, short)]
    pub verbose: bool,
}

/// The checked options of a run of `samples` samples (`flag` is the option that gave the
/// number, named in the error: `--samples` here, `--uncertainty` for `report`): at least 1
/// sample, a threshold in 0.5…1. A bad value is a usage error (exit 2).
pub fn checked_options(
    flag: &str,
    samples: usize,
    seed: u64,
    threshold: f64,
    earliest_starts: bool,
) -> anyhow::Result<UncertaintyOptions> {
    anyhow::ensure!(samples >= 1, "{flag} must be at least 1");
    anyhow::ensure!(
        (0.5..=1.0).contains(&threshold),
        "--threshold must lie between 0.5 and 1, got {threshold}"
    );
    Ok(UncertaintyOptions {
        samples,
        seed,
        threshold,
        earliest_starts,
    })
}

pub fn run(args: UncertaintyArgs) -> anyhow::Result<ExitCode> {
    let run = checked_options(
        "--samples",
        args.samples,
        args.seed,
        args.threshold,
        args.earliest_starts,
    )?;
    let options = args.solve.options()?;
    let workers = super::workers(args.jobs)?;
    let Some(workbook) = super::load(&args.workbook, false, args.quiet)? else {
        return Ok(ExitCode::from(EXIT_INVALID));
    };
    let started = Instant::now();
    let progress = super::progress(args.quiet, args.samples, "samples");
    let u =
        arbiter::analysis::uncertainty_with_progress(&workbook, &options, &run, workers, &|| {
            progress.inc(1)
        });
    progress.finish_and_clear();
    let u = u?;
    if args.verbose {
        eprintln!(
            "timings: {} sample(s) and 2 plans on {} worker(s) in {:.3} s",
            args.samples,
            workers,
            started.elapsed().as_secs_f64()
        );
    }
    let files = [
        ("core_index.csv", core_index_csv(&workbook, &u)),
        (
            "uncertainty.json",
            uncertainty_json(&workbook, &u).into_bytes(),
        ),
        (
            "uncertainty.svg",
            uncertainty_svg(&workbook, &u).into_bytes(),
        ),
    ];
    arbiter::io::output::write_outputs(&args.out, &files)
        .with_context(|| format!("writing the outputs to {}", args.out.display()))?;
    let mut stdout = std::io::stdout().lock();
    let _ = stdout
        .write_all(render_uncertainty(&workbook, &u).as_bytes())
        .and_then(|_| stdout.flush());
    Ok(ExitCode::SUCCESS)
}
