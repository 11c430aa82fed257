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
    super::check_workbook_path(&args.workbook)?;
    let diagnostics = arbiter::load::validate(&args.workbook, &options);
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
