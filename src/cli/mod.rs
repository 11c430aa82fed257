//! Argument parsing (clap) and dispatch to the subcommands.

mod frontier;
mod generate;
mod import;
mod init;
mod merge;
mod plan;
mod report;
mod scenarios;
mod sensitivity;
mod uncertainty;
mod validate;

use std::path::PathBuf;
use std::process::ExitCode;

use arbiter::{Diagnostic, Error, Severity};
use clap::{Parser, Subcommand, ValueEnum};

/// Exit code: the input is invalid or no feasible portfolio exists.
pub const EXIT_INVALID: u8 = 1;
/// Exit code: usage, I/O or internal error.
pub const EXIT_USAGE: u8 = 2;

/// arbiter — choose which projects to run, when, and with whose staff.
#[derive(Debug, Parser)]
#[command(name = "arbiter", version, about, long_about = None)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
    /// Raise (or lower) a reading limit for this run: `--limit rows=2000000`. Names:
    /// input-bytes, line-bytes, rows, cells, projects, periods, scenarios (docs/reliability.md).
    /// Repeatable; the same as the environment variable ARBITER_MAX_<NAME>.
    #[arg(long = "limit", value_name = "NAME=N", global = true)]
    pub limits: Vec<String>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Solve the base workbook and write the portfolio.
    Plan(plan::PlanArgs),
    /// Check a workbook and report every problem; solve nothing.
    Validate(validate::ValidateArgs),
    /// Solve `base` and every scenario of scenarios.csv in parallel, and compare them.
    Scenarios(scenarios::ScenariosArgs),
    /// Combine the outputs of `scenarios --shard K/N` runs into the files of one run.
    Merge(merge::MergeArgs),
    /// The best value as the budget grows: frontier.csv and frontier.svg.
    Frontier(frontier::FrontierArgs),
    /// For each driver, the weight interval inside which the portfolio stays the same.
    Sensitivity(sensitivity::SensitivityArgs),
    /// Monte Carlo over the cost and value ranges: core index, objective spread, overrun risk.
    Uncertainty(uncertainty::UncertaintyArgs),
    /// Write a synthetic workbook of a given size, the same for the same seed.
    Generate(generate::GenerateArgs),
    /// Write a small, commented template workbook (CSV files, README.md and workbook.xlsx).
    Init(init::InitArgs),
    /// Plan the workbook and write one self-contained HTML report.
    Report(report::ReportArgs),
    /// Turn a PPM tool's export (MS Project, Jira, Smartsheet, monday.com, Excel) into a workbook.
    Import(import::ImportArgs),
}

/// How results are printed on stdout.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Table,
    Json,
    Csv,
}

/// What the objective counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ObjectiveArg {
    /// Σ weight × driver score when drivers are given, else value.
    Score,
    /// The `value` column, whatever the drivers.
    Value,
}

pub fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    for given in &cli.limits {
        let parsed = given.split_once('=').and_then(|(name, value)| {
            let limit = arbiter::io::limits::Limit::from_flag(name)?;
            let value = value.trim().replace('_', "").parse::<u64>().ok()?;
            Some((limit, value))
        });
        let Some((limit, value)) = parsed else {
            let names: Vec<&str> = arbiter::io::limits::Limit::ALL
                .iter()
                .map(|l| l.flag())
                .collect();
            eprintln!(
                "error: --limit '{}' is not NAME=N; NAME is one of {} and N a whole number",
                arbiter::diag::escape_control(given),
                names.join(", ")
            );
            return Ok(ExitCode::from(EXIT_USAGE));
        };
        // Read by io::limits::Limits::from_env when a workbook is read; set before any
        // thread starts.
        std::env::set_var(limit.env(), value.to_string());
    }
    match cli.command {
        Command::Plan(args) => plan::run(args),
        Command::Validate(args) => validate::run(args),
        Command::Scenarios(args) => scenarios::run(args),
        Command::Merge(args) => merge::run(args),
        Command::Frontier(args) => frontier::run(args),
        Command::Sensitivity(args) => sensitivity::run(args),
        Command::Uncertainty(args) => uncertainty::run(args),
        Command::Generate(args) => generate::run(args),
        Command::Init(args) => init::run(args),
        Command::Report(args) => report::run(args),
        Command::Import(args) => import::run(args),
    }
}

/// Read a workbook, printing its diagnostics on stderr. `Ok(None)` means it was invalid
/// (already reported); I/O errors come back as errors.
pub fn load(
    path: &std::path::Path,
    strict: bool,
    quiet: bool,
) -> anyhow::Result<Option<arbiter::model::Workbook>> {
    Ok(load_all(path, strict, quiet)?.map(|loaded| loaded.workbook))
}

/// [`load`], keeping the scenarios of scenarios.csv.
pub fn load_all(
    path: &std::path::Path,
    strict: bool,
    quiet: bool,
) -> anyhow::Result<Option<arbiter::Loaded>> {
    check_workbook_path(path)?;
    let options = arbiter::io::ReadOptions { strict };
    match arbiter::read_workbook(path, &options) {
        Ok(loaded) => {
            if !quiet {
                for warning in &loaded.warnings {
                    eprintln!("{warning}");
                }
            }
            Ok(Some(loaded))
        }
        Err(Error::Invalid(diagnostics)) => {
            print_diagnostics(&diagnostics);
            Ok(None)
        }
        Err(err) => Err(err.into()),
    }
}

/// A workbook is a folder of CSV files or one spreadsheet file (.xlsx, .ods, …); anything
/// else is a usage error (exit 2) before any reading.
pub fn check_workbook_path(path: &std::path::Path) -> anyhow::Result<()> {
    if path.is_dir() || (path.is_file() && arbiter::io::is_spreadsheet(path)) {
        return Ok(());
    }
    if arbiter::io::is_spreadsheet(path) {
        anyhow::bail!("{}: no such spreadsheet file", path.display());
    }
    anyhow::bail!(
        "{}: no such workbook folder; give the folder that holds projects.csv, or an .xlsx or .ods file with a sheet per file",
        path.display()
    );
}

/// Print diagnostics on stderr, followed by a count.
pub fn print_diagnostics(diagnostics: &[Diagnostic]) {
    for d in diagnostics {
        eprintln!("{d}");
    }
    let errors = diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .count();
    let warnings = diagnostics.len() - errors;
    eprintln!("{errors} error(s), {warnings} warning(s)");
}

/// The solve options every solving command takes.
#[derive(Debug, clap::Args)]
pub struct SolveArgs {
    /// Stop each solve after this many seconds with the best portfolio found (a solve that
    /// stops on the limit depends on the machine's speed).
    #[arg(long, value_name = "SECONDS")]
    pub time_limit: Option<f64>,
    /// Stop each solve after HiGHS has explored this many branch-and-bound nodes, with the
    /// best portfolio found: a limit on work, not time, so the same input gives the same
    /// outputs on any machine, under any load and whatever --jobs (one HiGHS thread, no
    /// race). summary.json's stopped_by says which limit stopped a solve.
    #[arg(long, value_name = "N")]
    pub node_limit: Option<usize>,
    /// Relative MIP gap at which a portfolio counts as optimal.
    #[arg(long, value_name = "REL", default_value_t = 1e-4)]
    pub gap: f64,
    /// Discount rate per period: a start in period k counts (1 + r)^(−k).
    #[arg(long, value_name = "R", default_value_t = 0.0)]
    pub discount: f64,
    /// What the objective counts.
    #[arg(long, value_enum, default_value_t = ObjectiveArg::Score)]
    pub objective: ObjectiveArg,
}

impl SolveArgs {
    /// The checked options, one HiGHS thread (see [`solve_options`]).
    pub fn options(&self) -> anyhow::Result<arbiter::SolveOptions> {
        let options = solve_options(self.time_limit, self.gap, self.discount, self.objective)?;
        Ok(arbiter::SolveOptions {
            node_limit: self.node_limit,
            ..options
        })
    }
}

/// Options of the solves of an analysis, checked: one HiGHS thread each (the parallelism
/// is across solves).
pub fn solve_options(
    time_limit: Option<f64>,
    gap: f64,
    discount: f64,
    objective: ObjectiveArg,
) -> anyhow::Result<arbiter::SolveOptions> {
    if let Some(limit) = time_limit {
        anyhow::ensure!(
            limit.is_finite() && limit > 0.0,
            "--time-limit must be a positive number of seconds, got {limit}"
        );
    }
    anyhow::ensure!(
        gap.is_finite() && gap >= 0.0,
        "--gap must be a number ≥ 0, got {gap}"
    );
    anyhow::ensure!(
        discount.is_finite() && discount > -1.0,
        "--discount must be a number > -1, got {discount}"
    );
    Ok(arbiter::SolveOptions {
        time_limit,
        node_limit: None,
        gap,
        threads: 1,
        race: false,
        discount,
        objective: match objective {
            ObjectiveArg::Score => arbiter::Objective::Score,
            ObjectiveArg::Value => arbiter::Objective::Value,
        },
        tie_break: true,
        quick: false,
        allocate: true,
        baseline: None,
    })
}

/// Worker threads for `--jobs`: at least 1, every core by default.
pub fn workers(jobs: Option<usize>) -> anyhow::Result<usize> {
    match jobs {
        Some(0) => anyhow::bail!("--jobs must be at least 1"),
        Some(n) => Ok(n),
        None => Ok(std::thread::available_parallelism().map_or(1, |n| n.get())),
    }
}

/// A progress bar on stderr for `len` runs of `what` ("scenarios", "samples"), hidden with
/// `--quiet` or when stderr is not a terminal (a log file or a pipe gets no bar).
pub fn progress(quiet: bool, len: usize, what: &str) -> indicatif::ProgressBar {
    use std::io::IsTerminal;
    if quiet || !std::io::stderr().is_terminal() {
        return indicatif::ProgressBar::hidden();
    }
    let bar = indicatif::ProgressBar::new(len as u64);
    if let Ok(style) = indicatif::ProgressStyle::with_template(&format!(
        "{{spinner}} {{pos}}/{{len}} {what} [{{bar:30}}] {{elapsed_precise}} (eta {{eta}}) {{msg}}"
    )) {
        bar.set_style(style.progress_chars("=> "));
    }
    bar
}

/// The default output folder of the contract.
pub fn default_out() -> PathBuf {
    PathBuf::from("arbiter-out")
}
