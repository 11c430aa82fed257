//! A workbook given as one spreadsheet (`.xlsx`, `.xlsm`, `.xlsb`, `.xls` or `.ods`), read
//! with calamine: each sheet named like one of the contract's files (`projects` or
//! `projects.csv` for projects.csv; case and surrounding spaces ignored) becomes the same
//! [`Table`] of text cells that the CSV reader makes, so that every check of `io::tables` and
//! `resolve` applies unchanged. Other sheets (an `about` sheet, notes) are ignored.
//!
//! Cells become the text a CSV export would hold:
//! - text as written (trimmed); whole numbers without decimals; other numbers rounded to the
//!   15 significant digits a spreadsheet shows (so `=0.1+0.2` reads 0.3), `.` as the
//!   decimal mark; booleans `true` / `false`;
//! - a date `YYYY-MM-DD` (ISO 8601), with ` HH:MM:SS` when it has a time of day: a period
//!   column typed as dates holds those labels, so budget and projects must agree (a
//!   period typed as text, `2027-Q1`, stays as it is);
//! - a formula's cached value (the value the spreadsheet last computed and saved);
//! - an error value (`#DIV/0!`, `#N/A`, …) is an error naming the cell.
//!
//! Rows keep the spreadsheet's row numbers (the header is the first non-empty row) and
//! [`SheetMap`] (owned by [`crate::diag`], filled in here) turns every diagnostic's file, line and column into the spreadsheet's file,
//! sheet, row and cell reference (`demo.xlsx sheet projects row 14, column 'cost' (C14)`).

use std::collections::BTreeMap;
use std::path::Path;

use calamine::{Data, Range, Reader};

use crate::diag::{codes, Diags, Loc, SheetMap};
use crate::io::csvfile::{Row, Source, Table};

/// File extensions read as one spreadsheet workbook (compared ignoring case).
pub const EXTENSIONS: [&str; 5] = ["xlsx", "xlsm", "xlsb", "xls", "ods"];

/// Whether `path` names a spreadsheet workbook (by its extension).
pub fn is_spreadsheet(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| EXTENSIONS.iter().any(|x| x.eq_ignore_ascii_case(e)))
}

/// One sheet that stands for a contract file.
#[derive(Debug, Clone)]
struct Sheet {
    /// The sheet's name as the spreadsheet writes it.
    name: String,
    /// 0-based column of the sheet's first used column (the table's column 0).
    first_col: u32,
    /// The table, or `None` when the sheet is empty (no header row).
    table: Option<Table>,
}

/// A spreadsheet workbook, read: its sheets by the contract file they stand for.
#[derive(Debug)]
pub(crate) struct Book {
    sheets: BTreeMap<&'static str, Sheet>,
    map: SheetMap,
}

/// The contract file a sheet named `name` stands for.
fn file_of(name: &str) -> Option<&'static str> {
    let key = name.trim().to_lowercase();
    let stem = key.strip_suffix(".csv").unwrap_or(&key);
    crate::io::FILES
        .iter()
        .find(|f| f.strip_suffix(".csv") == Some(stem))
        .copied()
}

/// Open the spreadsheet at `path` and read every sheet that stands for a contract file.
/// Problems (unreadable file, error cells, two sheets for one file) go to `diags`; `None`
/// when the file cannot be opened at all.
pub(crate) fn open(path: &Path, diags: &mut Diags) -> Option<Book> {
    let shown = path.display().to_string();
    let mut book = match calamine::open_workbook_auto(path) {
        Ok(book) => book,
        Err(err) => {
            diags.add(
                codes::UNREADABLE,
                Loc::file(&shown),
                None,
                format!("the spreadsheet '{shown}' cannot be read: {err}"),
                "save it from the spreadsheet as .xlsx (or .ods), or give a folder of CSV files",
            );
            return None;
        }
    };
    let mut sheets: BTreeMap<&'static str, Sheet> = BTreeMap::new();
    for name in book.sheet_names() {
        let Some(file) = file_of(&name) else {
            continue;
        };
        if let Some(first) = sheets.get(file) {
            diags.add(
                codes::UNREADABLE,
                Loc::file(&shown),
                Some(&name),
                format!(
                    "the spreadsheet '{shown}' has two sheets for {file}: '{}' and '{name}'",
                    first.name
                ),
                "rename or delete one of them",
            );
            continue;
        }
        let range = match book.worksheet_range(&name) {
            Ok(range) => range,
            Err(err) => {
                diags.add(
                    codes::UNREADABLE,
                    Loc::file(&shown),
                    Some(&name),
                    format!("sheet '{name}' of '{shown}' cannot be read: {err}"),
                    "save the spreadsheet again as .xlsx (or .ods)",
                );
                continue;
            }
        };
        let (table, first_col) = table(file, &range, diags);
        sheets.insert(
            file,
            Sheet {
                name,
                first_col,
                table,
            },
        );
    }
    let mut map = SheetMap::new(shown);
    for (file, s) in &sheets {
        let headers = s
            .table
            .as_ref()
            .map_or_else(Vec::new, |t| t.headers.clone());
        map.insert(file, s.name.clone(), s.first_col, headers);
    }
    Some(Book { sheets, map })
}

impl Book {
    /// The sheet standing for `file`, as the CSV reader would give that file.
    pub fn read(&self, file: &'static str, diags: &mut Diags) -> Source {
        match self.sheets.get(file) {
            None => Source::Absent,
            Some(Sheet { table: Some(t), .. }) => Source::Present(t.clone()),
            Some(Sheet { table: None, .. }) => {
                diags.add(
                    codes::EMPTY_FILE,
                    Loc::file(file),
                    None,
                    format!("{file} is empty: it has no header row"),
                    format!("add a header row to {file}, or delete the sheet"),
                );
                Source::Broken
            }
        }
    }

    /// Where the sheets are, for [`Diags::in_sheets`].
    pub fn map(&self) -> SheetMap {
        self.map.clone()
    }
}

/// A sheet as a table of text cells (`None` when it has no non-empty row), and its first
/// used column.
fn table(file: &'static str, range: &Range<Data>, diags: &mut Diags) -> (Option<Table>, u32) {
    let (first_row, first_col) = range.start().unwrap_or((0, 0));
    let mut header: Option<(usize, Vec<String>)> = None;
    let mut rows = Vec::new();
    for (i, cells) in range.rows().enumerate() {
        let line = first_row as usize + i + 1;
        let mut texts = Vec::with_capacity(cells.len());
        for (j, data) in cells.iter().enumerate() {
            match cell_text(data) {
                Ok(text) => texts.push(text),
                Err(error) => {
                    // Reported against the header's name for the column once the header is
                    // known; an error in the header row itself names the row.
                    let loc = match &header {
                        Some((_, names)) => Loc::cell(file, line, names[j].as_str()),
                        None => Loc::line(file, line),
                    };
                    diags.add(
                        codes::UNREADABLE,
                        loc,
                        Some(&error),
                        format!("{file} has the error value {error} in this cell (a formula that failed)"),
                        "correct the formula or type the value, and save the spreadsheet again",
                    );
                    texts.push(error);
                }
            }
        }
        // Rows of empty cells (formatted but empty) are skipped, as in a CSV file.
        if texts.iter().all(String::is_empty) {
            continue;
        }
        match &header {
            None => header = Some((line, texts)),
            Some(_) => rows.push(Row { line, cells: texts }),
        }
    }
    let Some((header_line, headers)) = header else {
        return (None, first_col);
    };
    let keys = headers.iter().map(|h| h.to_lowercase()).collect();
    let table = Table {
        file,
        // A sheet has no delimiter; `,` makes `.` the decimal mark of numbers typed as text,
        // as in a comma-separated file (numbers typed as numbers are written with `.`).
        delimiter: b',',
        header_line,
        headers,
        keys,
        rows,
    };
    (Some(table), first_col)
}

/// The text a CSV export would hold for a cell; `Err` with the error's text for an error
/// value.
pub(crate) fn cell_text(data: &Data) -> Result<String, String> {
    Ok(match data {
        Data::Empty => String::new(),
        Data::String(s) => s.trim().to_string(),
        Data::Int(i) => i.to_string(),
        Data::Float(f) => number_text(*f),
        Data::Bool(b) => b.to_string(),
        Data::DateTime(dt) if dt.is_datetime() => {
            let (y, m, d, h, min, s, _) = dt.to_ymd_hms_milli();
            if (h, min, s) == (0, 0, 0) {
                format!("{y:04}-{m:02}-{d:02}")
            } else {
                format!("{y:04}-{m:02}-{d:02} {h:02}:{min:02}:{s:02}")
            }
        }
        // A duration (`[h]:mm`) counts in days, as the spreadsheet stores it.
        Data::DateTime(dt) => number_text(dt.as_f64()),
        // OpenDocument dates come as ISO text already.
        Data::DateTimeIso(s) => s
            .strip_suffix("T00:00:00")
            .unwrap_or(s)
            .replacen('T', " ", 1),
        Data::DurationIso(s) => s.clone(),
        Data::Error(e) => return Err(e.to_string()),
    })
}

/// A number as a spreadsheet shows it: at most 15 significant digits (formulas leave binary
/// noise such as 0.30000000000000004), no exponent, `.` as the decimal mark.
fn number_text(x: f64) -> String {
    if !x.is_finite() {
        return x.to_string();
    }
    let rounded: f64 = format!("{x:.14e}").parse().unwrap_or(x);
    if rounded == 0.0 {
        return "0".to_string();
    }
    format!("{rounded}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use calamine::{CellErrorType, ExcelDateTime, ExcelDateTimeType};

    #[test]
    fn cells_read_as_a_csv_export_writes_them() {
        let date = ExcelDateTime::new(46023.0, ExcelDateTimeType::DateTime, false);
        let noon = ExcelDateTime::new(46023.5, ExcelDateTimeType::DateTime, false);
        let cases = [
            (Data::String("  P-1 ".into()), "P-1"),
            (Data::Int(300), "300"),
            (Data::Float(300.0), "300"),
            (Data::Float(0.1 + 0.2), "0.3"),
            (Data::Float(1234.5), "1234.5"),
            (Data::Float(-0.0), "0"),
            (Data::Float(1e-7), "0.0000001"),
            (Data::Bool(true), "true"),
            (Data::DateTime(date), "2026-01-01"),
            (Data::DateTime(noon), "2026-01-01 12:00:00"),
            (
                Data::DateTimeIso("2027-01-01T00:00:00".into()),
                "2027-01-01",
            ),
            (Data::DateTimeIso("2027-01-01".into()), "2027-01-01"),
            (Data::Empty, ""),
        ];
        for (data, text) in cases {
            assert_eq!(cell_text(&data).as_deref(), Ok(text), "{data:?}");
        }
        assert_eq!(
            cell_text(&Data::Error(CellErrorType::Div0)),
            Err("#DIV/0!".to_string())
        );
    }

    #[test]
    fn sheet_names_stand_for_files() {
        assert_eq!(file_of(" Projects "), Some("projects.csv"));
        assert_eq!(file_of("budget.csv"), Some("budget.csv"));
        assert_eq!(file_of("about"), None);
    }
}
