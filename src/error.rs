//! The library's one error type. The diagnostics that an [`Error::Invalid`] lists are
//! [`crate::diag`]'s, re-exported here so that `arbiter::error::Diagnostic` keeps working.

use std::path::PathBuf;

pub use crate::diag::{Diagnostic, Severity};

/// Everything that can go wrong in the library.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The workbook has problems; every one found is listed (warnings too, errors first).
    #[error("the workbook has {} problem(s)", count_errors(.0))]
    Invalid(Vec<Diagnostic>),
    /// A file or folder could not be read or written.
    #[error("{}: {source}", .path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// The workbook is valid but cannot support the analysis asked for (a frontier without a
    /// budget, forced work that fits no budget); the message says why and what to do.
    #[error("{0}")]
    Unsupported(String),
    /// A file given besides the workbook (a `--baseline`) is invalid; the message names the
    /// file and the line or entry, and says how to fix it.
    #[error("{0}")]
    InvalidFile(String),
    /// The solver failed, or a solution failed the independent check: a bug, never an output.
    #[error("internal error: {0}")]
    Internal(String),
}

fn count_errors(diagnostics: &[Diagnostic]) -> usize {
    diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .count()
}

/// The library's result type.
pub type Result<T, E = Error> = std::result::Result<T, E>;
