//! `arbiter sensitivity`: for each driver, the weight interval inside which the portfolio
//! stays the same; sensitivity.csv and a table.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use arbiter::report::sensitivity::{render_sensitivity, sensitivity_csv};
use arbiter::{SolveOptions, SolveStatus};
use clap::Args;

use super::{ObjectiveArg, EXIT_INVALID};

#[derive(Debug, Args)]
pub struct SensitivityArgs {
    /// The workbook folder (with drivers.csv or pairwise.csv), or one .xlsx / .ods file with a sheet per file.
    pub workbook: PathBuf,
    /// Output folder for sensitivity.csv.
    #[arg(long, default_value_os_t = super::default_out())]
    pub out: PathBuf,
    /// Solves run at once (default: every core).
    #[arg(long, value_name = "N")]
    pub jobs: Option<usize>,
    /// Stop each solve after this many seconds (the intervals are then approximate).
    #[arg(long, value_name = "SECONDS")]
    pub time_limit: Option<f64>,
    /// Relative MIP gap of each solve; the interval ends are exact up to it.
    #[arg(long, value_name = "REL", default_value_t = 1e-6)]
    pub gap: f64,
    /// Discount rate per period.
    #[arg(long, value_name = "R", default_value_t = 0.0)]
    pub discount: f64,
    /// Print no warnings on stderr.
    #[arg(long, short)]
    pub quiet: bool,
}

pub fn run(args: SensitivityArgs) -> anyhow::Result<ExitCode> {
    let options: SolveOptions = super::solve_options(
        args.time_limit,
        args.gap,
        args.discount,
        ObjectiveArg::Score,
    )?;
    let workers = super::workers(args.jobs)?;
    let Some(workbook) = super::load(&args.workbook, false, args.quiet)? else {
        return Ok(ExitCode::from(EXIT_INVALID));
    };
    let base = arbiter::solve(&workbook, &options)?;
    if base.status == SolveStatus::Infeasible {
        eprintln!("error: no feasible portfolio exists; run `arbiter plan` for the diagnosis");
        return Ok(ExitCode::from(EXIT_INVALID));
    }
    let intervals = arbiter::analysis::sensitivity(&workbook, &base.starts, &options, workers)?;
    arbiter::io::output::write_outputs(
        &args.out,
        &[("sensitivity.csv", sensitivity_csv(&workbook, &intervals))],
    )
    .with_context(|| format!("writing the outputs to {}", args.out.display()))?;
    let mut stdout = std::io::stdout().lock();
    let _ = stdout
        .write_all(render_sensitivity(&workbook, &intervals).as_bytes())
        .and_then(|_| stdout.flush());
    Ok(ExitCode::SUCCESS)
}
