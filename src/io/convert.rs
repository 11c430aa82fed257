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
        _ => Cell::Text(text.to_string()),
    }
}

/// The CSV files of the workbook folder `dir`, one sheet each (named after the file without
/// `.csv`), with cells typed. Files that cannot be parsed are an error naming them: run
/// `arbiter validate` first.
pub fn folder_sheets(dir: &Path) -> Result<Vec<SheetData>> {
    let mut sheets = Vec::new();
    for file in crate::io::FILES {
        let mut diags = Diags::new();
        match csvfile::read(dir, file, &mut diags) {
            Source::Absent => {}
            Source::Present(table) => {
                let comma = table.decimal_comma();
                let mut rows = vec![table
                    .headers
                    .iter()
                    .map(|h| Cell::Text(h.clone()))
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
    let mut out = vec![header.iter().map(|h| Cell::Text(h.to_string())).collect()];
    out.extend(rows.iter().map(|row| {
        row.iter()
            .enumerate()
            .map(|(i, text)| {
                if text.is_empty() {
                    Cell::Empty
                } else if is_numeric.get(i) == Some(&true) {
                    text.parse::<f64>()
                        .map_or_else(|_| Cell::Text(text.clone()), Cell::Number)
                } else {
                    Cell::Text(text.clone())
                }
            })
            .collect()
    }));
    SheetData {
        name: name.to_string(),
        rows: out,
    }
}

/// The header and rows of CSV `bytes` written by [`crate::io::output::csv_bytes`].
pub fn csv_records(bytes: &[u8]) -> (Vec<String>, Vec<Vec<String>>) {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(bytes);
    let mut records = reader
        .records()
        .filter_map(|r| r.ok())
        .map(|r| r.iter().map(str::to_string).collect::<Vec<_>>());
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
    fn csv_records_read_back_what_csv_bytes_wrote() {
        let rows = vec![vec!["a, b".to_string(), "1".to_string()]];
        let bytes = crate::io::output::csv_bytes(&["x", "y"], &rows);
        assert_eq!(csv_records(&bytes), (vec!["x".into(), "y".into()], rows));
    }
}
