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

//!
//! Reading is bounded (see [`crate::io::limits`]): a zipped spreadsheet is inflated into a
//! counter first and refused past the input limit (a zip bomb), an OpenDocument file's
//! repeated rows and cells are counted before calamine expands them
//! ([`crate::io::zipscan`]), and `.xlsx` / `.xlsb` sheets are read cell by cell, sparse, so
//! that a stray cell at XFD1048576 costs one cell rather than a dense range of 17 billion;
//! past the limits on rows or cells, reading stops with error E043.

use std::collections::BTreeMap;
use std::io::{Read, Seek};
use std::path::Path;

use calamine::{Data, DataRef, Reader, Sheets};

use crate::diag::{codes, column_letters, Diags, Loc, SheetMap};
use crate::io::csvfile::{Row, Source, Table};
use crate::io::limits::{self, grouped, Limit, Limits};
use crate::io::zipscan::{self, Refusal};

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

/// Report a spreadsheet refused for a limit (the diagnostic's file names the spreadsheet).
fn refused(shown: &str, sheet: Option<&str>, refusal: &Refusal, diags: &mut Diags) {
    let what = match sheet {
        Some(s) => format!("sheet '{s}' is refused: {}", refusal.what),
        None => format!("the spreadsheet is refused: {}", refusal.what),
    };
    match refusal.limit {
        Some(limit) => limits::report(diags, Loc::file(shown), limit, refusal.max, &what),
        None => diags.add(
            codes::UNREADABLE,
            Loc::file(shown),
            None,
            what,
            "save the spreadsheet again as .xlsx (or .ods), or give a folder of CSV files",
        ),
    }
}

/// Whether `path` is a zip container (every spreadsheet format but `.xls`).
fn is_zipped(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| !e.eq_ignore_ascii_case("xls"))
}

/// Open the spreadsheet at `path` and read every sheet that stands for a contract file,
/// within `limits`. Problems (unreadable file, error cells, two sheets for one file, a
/// limit passed) go to `diags`; `None` when the file cannot be opened at all.
pub(crate) fn open(path: &Path, limits: &Limits, diags: &mut Diags) -> Option<Book> {
    let shown = path.display().to_string();
    let precheck = if is_zipped(path) {
        zipscan::check(path, limits)
    } else {
        // An `.xls` is not compressed: its size bounds what calamine reads.
        match std::fs::metadata(path) {
            Ok(meta) if meta.len() > limits.input_bytes => Err(Refusal {
                limit: Some(Limit::InputBytes),
                max: limits.input_bytes,
                what: format!("it is larger than {} bytes", grouped(limits.input_bytes)),
            }),
            _ => Ok(()),
        }
    };
    if let Err(refusal) = precheck {
        refused(&shown, None, &refusal, diags);
        return None;
    }
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
        let grid = match read_grid(&mut book, &name, limits) {
            Ok(grid) => grid,
            Err(Failure::Limit(refusal)) => {
                refused(&shown, Some(&name), &refusal, diags);
                return None;
            }
            Err(Failure::Calamine(err)) => {
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
        let (table, first_col) = table(file, grid, diags);
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
    /// The sheet standing for `file`, as the CSV reader would give that file (once: the
    /// table moves out of the book).
    pub fn read(&mut self, file: &'static str, diags: &mut Diags) -> Source {
        let Some(sheet) = self.sheets.get_mut(file) else {
            return Source::Absent;
        };
        match sheet.table.take() {
            Some(table) => Source::Present(table),
            None => {
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

/// Why a sheet was not read.
enum Failure {
    Limit(Refusal),
    Calamine(String),
}

/// The used cells of a sheet, sparse: by row, the cells that hold something.
#[derive(Debug, Default)]
struct Grid {
    rows: BTreeMap<u32, Vec<(u32, Data)>>,
    cells: u64,
    first_col: u32,
    last_col: u32,
    /// Where the last column is used (row, column), to name it when the range is too big.
    far: (u32, u32),
}

impl Grid {
    /// Add the cell at (`row`, `col`), within `limits`.
    fn push(&mut self, row: u32, col: u32, data: Data, limits: &Limits) -> Result<(), Refusal> {
        if self.cells == 0 || col < self.first_col {
            self.first_col = if self.cells == 0 {
                col
            } else {
                col.min(self.first_col)
            };
        }
        if self.cells == 0 || col >= self.last_col {
            self.last_col = col;
            self.far = (row, col);
        }
        self.cells += 1;
        self.rows.entry(row).or_default().push((col, data));
        if self.rows.len() as u64 > limits.rows {
            return Err(Refusal {
                limit: Some(Limit::Rows),
                max: limits.rows,
                what: format!("it has more than {} rows", grouped(limits.rows)),
            });
        }
        if self.cells > limits.cells {
            return Err(Refusal {
                limit: Some(Limit::Cells),
                max: limits.cells,
                what: format!("it has more than {} used cells", grouped(limits.cells)),
            });
        }
        Ok(())
    }

    /// Used rows × columns from the first used column to the last: the table's size.
    fn area(&self) -> u64 {
        (self.rows.len() as u64).saturating_mul(u64::from(self.last_col - self.first_col) + 1)
    }

    /// Refuse a used range over the cells limit, naming its farthest cell.
    fn check_area(&self, limits: &Limits) -> Result<(), Refusal> {
        if self.area() <= limits.cells {
            return Ok(());
        }
        let (row, col) = self.far;
        Err(Refusal {
            limit: Some(Limit::Cells),
            max: limits.cells,
            what: format!(
                "its used range spans {} cells ({} rows from column {} to {}, the last used at {}{}); delete the stray cells far from the table (Ctrl+End finds the last one)",
                grouped(self.area()),
                grouped(self.rows.len() as u64),
                column_letters(self.first_col),
                column_letters(self.last_col),
                column_letters(col),
                row + 1
            ),
        })
    }
}

/// Read the sheet `name` as a [`Grid`], within `limits`: cell by cell for `.xlsx` and
/// `.xlsb`; through calamine's range for `.ods` (counted before, see
/// [`crate::io::zipscan`]) and `.xls`.
fn read_grid<RS: Read + Seek>(
    book: &mut Sheets<RS>,
    name: &str,
    limits: &Limits,
) -> Result<Grid, Failure> {
    let mut grid = Grid::default();
    let calamine = |e: &dyn std::fmt::Display| Failure::Calamine(e.to_string());
    match book {
        Sheets::Xlsx(x) => {
            let mut cells = x.worksheet_cells_reader(name).map_err(|e| calamine(&e))?;
            while let Some(cell) = cells.next_cell().map_err(|e| calamine(&e))? {
                if !matches!(cell.get_value(), DataRef::Empty) {
                    let (row, col) = cell.get_position();
                    let data = Data::from(cell.get_value().clone());
                    grid.push(row, col, data, limits).map_err(Failure::Limit)?;
                }
            }
        }
        Sheets::Xlsb(x) => {
            let mut cells = x.worksheet_cells_reader(name).map_err(|e| calamine(&e))?;
            while let Some(cell) = cells.next_cell().map_err(|e| calamine(&e))? {
                if !matches!(cell.get_value(), DataRef::Empty) {
                    let (row, col) = cell.get_position();
                    let data = Data::from(cell.get_value().clone());
                    grid.push(row, col, data, limits).map_err(Failure::Limit)?;
                }
            }
        }
        _ => {
            let range = book.worksheet_range(name).map_err(|e| calamine(&e))?;
            for (row, col, data) in range.used_cells() {
                let (r0, c0) = range.start().unwrap_or((0, 0));
                let data = data.clone();
                grid.push(r0 + row as u32, c0 + col as u32, data, limits)
                    .map_err(Failure::Limit)?;
            }
        }
    }
    grid.check_area(limits).map_err(Failure::Limit)?;
    Ok(grid)
}

/// A sheet as a table of text cells (`None` when it has no non-empty row), and its first
/// used column.
fn table(file: &'static str, grid: Grid, diags: &mut Diags) -> (Option<Table>, u32) {
    let first_col = grid.first_col;
    let width = (grid.last_col - grid.first_col) as usize + 1;
    let mut header: Option<(usize, Vec<String>)> = None;
    let mut rows = Vec::new();
    for (row, cells) in grid.rows {
        let line = row as usize + 1;
        let mut texts = vec![String::new(); width];
        for (col, data) in cells {
            let j = (col - first_col) as usize;
            let text = match cell_text(&data) {
                Ok(text) => text,
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
                    error
                }
            };
            if let Some(slot) = texts.get_mut(j) {
                *slot = text;
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

    #[test]
    fn a_grid_is_sparse_and_bounded() {
        let limits = Limits {
            rows: 2,
            cells: 50,
            ..Limits::default()
        };
        let mut grid = Grid::default();
        for (row, col) in [(0, 0), (0, 1), (5, 0)] {
            assert!(grid.push(row, col, Data::Int(1), &limits).is_ok());
        }
        // A far cell costs one cell while it is pushed, and is named when the range it
        // makes is over the limit.
        assert!(grid
            .push(9, 16_383, Data::Int(1), &limits)
            .is_err_and(|r| r.limit == Some(Limit::Rows)));
        let mut grid = Grid::default();
        grid.push(0, 0, Data::Int(1), &limits).unwrap();
        grid.push(1, 16_383, Data::Int(1), &limits).unwrap();
        assert_eq!(grid.cells, 2);
        let refusal = grid.check_area(&limits).unwrap_err();
        assert_eq!(refusal.limit, Some(Limit::Cells));
        assert!(
            refusal.what.contains("the last used at XFD2"),
            "{}",
            refusal.what
        );
        let (table, first_col) = table(
            "budget.csv",
            {
                let mut g = Grid::default();
                g.push(2, 1, Data::String("period".into()), &limits)
                    .unwrap();
                g.push(3, 1, Data::String("Q1".into()), &limits).unwrap();
                g
            },
            &mut Diags::new(),
        );
        let table = table.unwrap();
        assert_eq!((first_col, table.header_line), (1, 3));
        assert_eq!(table.rows[0].cells, ["Q1"]);
    }
}
