//! The library's one error type, and the diagnostics that validation collects.
//!
//! A [`Diagnostic`] is one problem (or warning) found in a workbook: a stable code, where it is
//! (file, line, column, project), the offending value, what is wrong and how to fix it.

use std::fmt;
use std::path::PathBuf;

/// How serious a diagnostic is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

/// One problem found in a workbook.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Diagnostic {
    pub severity: Severity,
    /// Stable code, e.g. `E001`; documented in docs/validation.md.
    pub code: &'static str,
    /// File name inside the workbook (e.g. `projects.csv`), or the workbook path itself;
    /// for a spreadsheet workbook (`.xlsx`, `.ods`), the spreadsheet's file name.
    pub file: String,
    /// For a spreadsheet workbook: the sheet (as the spreadsheet names it) that stands for
    /// the contract's file, e.g. `projects` for projects.csv.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sheet: Option<String>,
    /// 1-based line of the file (the header is line 1), when the problem sits on a line;
    /// for a sheet, its row number as the spreadsheet shows it.
    pub line: Option<usize>,
    /// Column name as written in the header, when the problem sits in a cell.
    pub column: Option<String>,
    /// For a sheet: the cell's reference (`D14`), when the problem sits in a cell.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cell: Option<String>,
    /// The offending value as written, when there is one.
    pub value: Option<String>,
    /// What is wrong, lowercase, naming the thing (project id, pool, period …).
    pub message: String,
    /// How to fix it.
    pub fix: String,
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let kind = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        write!(f, "{kind}[{}]: {}", self.code, self.file)?;
        if let Some(sheet) = &self.sheet {
            write!(f, " sheet {sheet}")?;
        }
        let row = if self.sheet.is_some() { "row" } else { "line" };
        if let Some(line) = self.line {
            write!(f, " {row} {line}")?;
        }
        if let Some(column) = &self.column {
            write!(f, ", column '{column}'")?;
        }
        if let Some(cell) = &self.cell {
            write!(f, " ({cell})")?;
        }
        write!(f, ": {}", self.message)?;
        if !self.fix.is_empty() {
            write!(f, "; {}", self.fix)?;
        }
        Ok(())
    }
}

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
