//! The `arbiter` command line: thin wrappers over the library, one file per subcommand in
//! `src/cli/`. Exit codes follow the contract: 0 success, 1 invalid input or no feasible
//! portfolio, 2 usage or I/O error.

mod cli;

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let args = cli::Cli::parse();
    match cli::run(args) {
        Ok(code) => code,
        Err(err) => {
            // Paths and ids in an error come from the user: no raw control characters.
            eprintln!(
                "error: {}",
                arbiter::diag::escape_control(&format!("{err:#}"))
            );
            // A valid workbook that cannot support the analysis asked for, or an invalid
            // file besides it (a baseline), is an input problem (exit 1), not a usage or
            // internal error.
            match err.downcast_ref::<arbiter::Error>() {
                Some(arbiter::Error::Unsupported(_) | arbiter::Error::InvalidFile(_)) => {
                    ExitCode::from(cli::EXIT_INVALID)
                }
                _ => ExitCode::from(cli::EXIT_USAGE),
            }
        }
    }
}
