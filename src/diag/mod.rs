//! Diagnostics, the leaf every layer may use: a [`Diagnostic`] is one problem (or warning)
//! found in a workbook — a stable code ([`codes`]), where it is (file, line, column,
//! project), the offending value, what is wrong and how to fix it. `Diags` collects them
//! while a workbook is read and resolved and puts them in their final, deterministic order
//! (errors first, then warnings; each by file, then line); for a spreadsheet workbook,
//! `SheetMap` renames files and lines as sheets, rows and cells.
//!
//! This module imports nothing else from the crate, so that reading, resolving and every
//! layer above can report problems without leaning on each other.

pub mod codes;
mod escape;
mod sheets;

use std::fmt;

pub use escape::escape_control;
pub(crate) use sheets::{column_letters, SheetMap};

/// The contract's files, in the order a workbook lists them: the order of diagnostics, of
/// the sheets arbiter writes, and the names a spreadsheet's sheets may take.
pub(crate) const FILES: [&str; 11] = [
    "projects.csv",
    "drivers.csv",
    "pairwise.csv",
    "budget.csv",
    "capacity.csv",
    "demand.csv",
    "costs.csv",
    "balance.csv",
    "teams.csv",
    "limits.csv",
    "scenarios.csv",
];

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
    /// One line for a terminal: every text that comes from the workbook (file, sheet,
    /// column, message, fix) has its control characters escaped (see [`escape_control`]).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let kind = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        let e = escape_control;
        write!(f, "{kind}[{}]: {}", self.code, e(&self.file))?;
        if let Some(sheet) = &self.sheet {
            write!(f, " sheet {}", e(sheet))?;
        }
        let row = if self.sheet.is_some() { "row" } else { "line" };
        if let Some(line) = self.line {
            write!(f, " {row} {line}")?;
        }
        if let Some(column) = &self.column {
            write!(f, ", column '{}'", e(column))?;
        }
        if let Some(cell) = &self.cell {
            write!(f, " ({})", e(cell))?;
        }
        write!(f, ": {}", e(&self.message))?;
        if !self.fix.is_empty() {
            write!(f, "; {}", e(&self.fix))?;
        }
        Ok(())
    }
}

/// Where a diagnostic sits.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Loc {
    pub file: String,
    pub line: Option<usize>,
    pub column: Option<String>,
}

impl Loc {
    /// A whole file (or the workbook folder).
    pub fn file(file: &str) -> Loc {
        Loc {
            file: file.to_string(),
            line: None,
            column: None,
        }
    }

    /// A whole line of a file.
    pub fn line(file: &str, line: usize) -> Loc {
        Loc {
            file: file.to_string(),
            line: Some(line),
            column: None,
        }
    }

    /// One cell: a line and a column (named as the header writes it).
    pub fn cell(file: &str, line: usize, column: &str) -> Loc {
        Loc {
            file: file.to_string(),
            line: Some(line),
            column: Some(column.to_string()),
        }
    }
}

/// The diagnostics found so far.
#[derive(Debug, Default)]
pub(crate) struct Diags {
    list: Vec<Diagnostic>,
    /// Set when the workbook is a spreadsheet: where each contract file's sheet is, so that
    /// the diagnostics name sheets, rows and cells instead of files and lines.
    sheets: Option<SheetMap>,
}

impl Diags {
    pub fn new() -> Diags {
        Diags::default()
    }

    /// Record one problem. The severity follows from the code: `E…` errors, `W…` warnings.
    pub fn add(
        &mut self,
        code: &'static str,
        loc: Loc,
        value: Option<&str>,
        message: impl Into<String>,
        fix: impl Into<String>,
    ) {
        let severity = if code.starts_with('W') {
            Severity::Warning
        } else {
            Severity::Error
        };
        self.list.push(Diagnostic {
            severity,
            code,
            file: loc.file,
            sheet: None,
            line: loc.line,
            column: loc.column,
            cell: None,
            value: value.map(str::to_string),
            message: message.into(),
            fix: fix.into(),
        });
    }

    /// Name sheets, rows and cells of `map` in the diagnostics, instead of the contract's
    /// files and lines (applied by [`Diags::into_sorted`], after the sort by file).
    pub fn in_sheets(&mut self, map: SheetMap) {
        self.sheets = Some(map);
    }

    /// Whether any error (not warning) was recorded.
    pub fn has_errors(&self) -> bool {
        self.list.iter().any(|d| d.severity == Severity::Error)
    }

    /// All diagnostics: errors first, then warnings; each group by file (workbook-level
    /// first, then the contract's file order), then line. The sort is stable, so problems
    /// found on the same line keep the order in which they were found.
    pub fn into_sorted(self) -> Vec<Diagnostic> {
        let mut list = self.list;
        list.sort_by_key(|d| (d.severity, file_rank(&d.file), d.line));
        if let Some(map) = &self.sheets {
            for d in &mut list {
                map.relocate(d);
            }
        }
        list
    }
}

fn file_rank(file: &str) -> usize {
    FILES.iter().position(|f| *f == file).map_or(0, |i| i + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_first_then_file_then_line() {
        let mut diags = Diags::new();
        diags.add("W001", Loc::line("projects.csv", 2), None, "w", "");
        diags.add("E010", Loc::line("demand.csv", 3), None, "a", "");
        diags.add("E010", Loc::line("projects.csv", 9), None, "b", "");
        diags.add("E010", Loc::line("projects.csv", 4), None, "c", "");
        diags.add("E001", Loc::file("/tmp/wb"), None, "d", "");
        assert!(diags.has_errors());
        let order: Vec<String> = diags.into_sorted().into_iter().map(|d| d.message).collect();
        assert_eq!(order, ["d", "c", "b", "a", "w"]);
    }

    #[test]
    fn a_diagnostic_shows_control_characters_escaped() {
        let mut diags = Diags::new();
        diags.add(
            codes::NOT_A_NUMBER,
            Loc::cell("projects.csv", 3, "cost"),
            Some("\u{1b}[31mbad"),
            "cost '\u{1b}[31mbad' is not a number",
            "type a number",
        );
        let text = diags.into_sorted()[0].to_string();
        assert!(!text.contains('\u{1b}'), "{text}");
        assert!(text.contains("cost '\\x1b[31mbad'"), "{text}");
    }
}
