//! Collecting diagnostics while a workbook is read and validated, and putting them in their
//! final, deterministic order (errors first, then warnings; each by file, then line).

use crate::error::{Diagnostic, Severity};
use crate::io::sheets::SheetMap;

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
    crate::io::FILES
        .iter()
        .position(|f| *f == file)
        .map_or(0, |i| i + 1)
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
}
