//! `arbiter validate`: report every problem of a workbook at once; solve nothing.

use std::path::PathBuf;
use std::process::ExitCode;

use arbiter::Severity;
use clap::Args;

use super::EXIT_INVALID;

#[derive(Debug, Args)]
pub struct ValidateArgs {
    /// The workbook: a folder of CSV files, or one .xlsx / .ods file with a sheet per file.
    pub workbook: PathBuf,
    /// Read WORKBOOK as a tool's export through this mapping file (see `arbiter import`).
    #[arg(long, value_name = "FILE")]
    pub mapping: Option<PathBuf>,
    /// Treat a pairwise consistency ratio above 0.10 as an error.
    #[arg(long)]
    pub strict: bool,
    /// Print the diagnostics as JSON on stdout instead of text on stderr.
    #[arg(long)]
    pub json: bool,
}

pub fn run(args: ValidateArgs) -> anyhow::Result<ExitCode> {
    let options = arbiter::io::ReadOptions {
        strict: args.strict,
    };
    let imported = match &args.mapping {
        Some(file) => match super::import::import_for(&args.workbook, file, false)? {
            Some(dir) => Some(dir),
            None => return Ok(ExitCode::from(EXIT_INVALID)),
        },
        None => None,
    };
    let path = imported
        .as_ref()
        .map_or(args.workbook.as_path(), |d| d.path());
    super::check_workbook_path(path)?;
    let diagnostics = arbiter::load::validate(path, &options);
    let errors = diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .count();
    if args.json {
        println!("{}", serde_json::to_string_pretty(&diagnostics)?);
    } else {
        super::print_diagnostics(&diagnostics);
        if errors == 0 {
            println!("{}: valid", args.workbook.display());
        }
    }
    Ok(if errors == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(EXIT_INVALID)
    })
}
