//! Tables headed for a spreadsheet: the CSV files of a workbook folder, or the rows of an
//! output file, as typed cells (numbers as numbers, the rest as text), for
//! [`crate::report::xlsx`] to write.

use std::path::Path;

use crate::diag::Diags;
use crate::error::{Error, Result};
use crate::io::csvfile::{self, Source};
use crate::io::number::parse_number;

/// One cell of a sheet to write.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Empty,
    Text(String),
    Number(f64),
}

/// One sheet to write: its name and its rows, the header first.
#[derive(Debug, Clone, PartialEq)]
pub struct SheetData {
    pub name: String,
    pub rows: Vec<Vec<Cell>>,
}

/// Most UTF-16 code units a spreadsheet cell holds (Excel's limit; rust_xlsxwriter refuses
/// longer text, which would make a whole `--xlsx` output fail).
pub const CELL_MAX: usize = 32_767;

/// `text` as a spreadsheet cell can hold it: whole when it fits in [`CELL_MAX`] UTF-16
/// units, else cut and ending in a note saying so (the CSV and JSON outputs keep it whole).
pub fn cell_text(text: &str) -> String {
    let units = |t: &str| t.encode_utf16().count();
    if units(text) <= CELL_MAX {
        return text.to_string();
    }
    let note = format!(
        "… [cut: {} characters, a spreadsheet cell holds {CELL_MAX}; the CSV output has the whole text]",
        text.chars().count()
    );
    let room = CELL_MAX - units(&note);
    let mut out = String::new();
    let mut used = 0;
    for c in text.chars() {
        used += c.len_utf16();
        if used > room {
            break;
        }
        out.push(c);
    }
    out.push_str(&note);
    out
}

/// A data cell typed as a spreadsheet would type it on entry: a number when the workbook's
/// rules read it as one and nothing is lost by storing the number (no leading zero such as
/// in an id `007`), else text.
fn typed(text: &str, decimal_comma: bool) -> Cell {
    if text.is_empty() {
        return Cell::Empty;
    }
    let digits = text.trim_start_matches(['-', '+']);
    let leading_zero = digits.len() > 1
        && digits.starts_with('0')
        && !digits.starts_with("0.")
        && !digits.starts_with("0,");
    match parse_number(text, decimal_comma) {
        Ok(x) if !leading_zero && x.is_finite() => Cell::Number(x),
        _ => Cell::Text(cell_text(text)),
    }
}

/// The CSV files of the workbook folder `dir`, one sheet each (named after the file without
/// `.csv`), with cells typed. Files that cannot be parsed are an error naming them: run
/// `arbiter validate` first.
pub fn folder_sheets(dir: &Path) -> Result<Vec<SheetData>> {
    let mut sheets = Vec::new();
    let limits = crate::io::limits::Limits::from_env();
    for file in crate::io::FILES {
        let mut diags = Diags::new();
        match csvfile::read(dir, file, &limits, &mut diags) {
            Source::Absent => {}
            Source::Present(table) => {
                let comma = table.decimal_comma();
                let mut rows = vec![table
                    .headers
                    .iter()
                    .map(|h| Cell::Text(cell_text(h)))
                    .collect::<Vec<_>>()];
                rows.extend(
                    table
                        .rows
                        .iter()
                        .map(|r| r.cells.iter().map(|c| typed(c, comma)).collect()),
                );
                sheets.push(SheetData {
                    name: file.trim_end_matches(".csv").to_string(),
                    rows,
                });
            }
            Source::Broken => {
                let why = diags
                    .into_sorted()
                    .first()
                    .map_or_else(String::new, |d| d.to_string());
                return Err(Error::Unsupported(format!(
                    "{} cannot be converted: {why}",
                    dir.join(file).display()
                )));
            }
        }
    }
    Ok(sheets)
}

/// An output table as a sheet: `header`, then `rows`; cells of the columns named in
/// `numeric` that read as numbers are numbers, the rest text.
pub fn records_sheet(
    name: &str,
    header: &[&str],
    rows: &[Vec<String>],
    numeric: &[&str],
) -> SheetData {
    let is_numeric: Vec<bool> = header.iter().map(|h| numeric.contains(h)).collect();
    let mut out = vec![header.iter().map(|h| Cell::Text(cell_text(h))).collect()];
    out.extend(rows.iter().map(|row| {
        row.iter()
            .enumerate()
            .map(|(i, text)| {
                if text.is_empty() {
                    Cell::Empty
                } else if is_numeric.get(i) == Some(&true) {
                    text.parse::<f64>()
                        .map_or_else(|_| Cell::Text(cell_text(text)), Cell::Number)
                } else {
                    Cell::Text(cell_text(text))
                }
            })
            .collect()
    }));
    SheetData {
        name: name.to_string(),
        rows: out,
    }
}

/// The header and rows of CSV `bytes` written by [`crate::io::output::csv_bytes`], with
/// its formula escapes undone ([`crate::io::formula::restore`]): a spreadsheet writes text
/// cells as text, never as formulas, so they need none.
pub fn csv_records(bytes: &[u8]) -> (Vec<String>, Vec<Vec<String>>) {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(bytes);
    let mut records = reader.records().filter_map(|r| r.ok()).map(|r| {
        r.iter()
            .map(|c| crate::io::formula::restore(c).to_string())
            .collect::<Vec<_>>()
    });
    let header = records.next().unwrap_or_default();
    (header, records.collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_are_typed_without_losing_text() {
        assert_eq!(typed("300", false), Cell::Number(300.0));
        assert_eq!(typed("0.5", false), Cell::Number(0.5));
        assert_eq!(typed("1 234,5", true), Cell::Number(1234.5));
        assert_eq!(typed("007", false), Cell::Text("007".into()));
        assert_eq!(typed("2027-Q1", false), Cell::Text("2027-Q1".into()));
        assert_eq!(typed("1/3", false), Cell::Text("1/3".into()));
        assert_eq!(typed("", false), Cell::Empty);
    }

    #[test]
    fn text_over_a_cell_is_cut_with_a_note() {
        assert_eq!(cell_text("short"), "short");
        let exact = "é".repeat(CELL_MAX);
        assert_eq!(cell_text(&exact), exact);
        // Characters outside the BMP take two UTF-16 units each.
        for long in ["N".repeat(40_000), "😀".repeat(20_000)] {
            let cut = cell_text(&long);
            assert!(cut.encode_utf16().count() <= CELL_MAX, "{}", cut.len());
            assert!(cut.ends_with("the CSV output has the whole text]"));
            assert!(cut.contains(&format!("cut: {} characters", long.chars().count())));
        }
    }

    #[test]
    fn csv_records_read_back_what_csv_bytes_wrote() {
        let rows = vec![
            vec!["a, b".to_string(), "1".to_string()],
            vec!["=1+1".into(), "-2".into()],
        ];
        let bytes = crate::io::output::csv_bytes(&["x", "y"], &rows);
        assert_eq!(csv_records(&bytes), (vec!["x".into(), "y".into()], rows));
    }
}
