//! Spreadsheets written with rust_xlsxwriter: the outputs of `plan --xlsx` and
//! `scenarios --xlsx` (one formatted sheet per output file) and the template workbook of
//! `arbiter init` (one sheet per workbook file, a note on every header cell, an `about`
//! sheet).
//!
//! Output sheets have a bold, filled header row that stays in view (frozen), an autofilter,
//! number formats by column (money with thousands separators, ratios as percentages) and,
//! on utilisation, amber above 85% and red above 100%. The document's creation date is
//! fixed, so the same input gives the same bytes.

use rust_xlsxwriter::{
    ConditionalFormatCell, ConditionalFormatCellRule, DocProperties, ExcelDateTime, Format,
    FormatBorder, Note, Workbook, Worksheet, XlsxError,
};

use super::{
    allocation_header, allocation_records, portfolio_header, portfolio_records, spend_records,
    utilisation_records, Report, SPEND_HEADER, UTILISATION_HEADER,
};
use crate::error::{Error, Result};
use crate::io::convert::{csv_records, records_sheet, Cell, SheetData};

/// Columns of the output files that hold numbers.
const NUMERIC: [&str; 25] = [
    "rank",
    "score",
    "cost",
    "criticality",
    "regret",
    "extra_budget",
    "extra_fte",
    "fte",
    "capacity",
    "allocated",
    "utilisation",
    "budget",
    "spent",
    "inflow",
    "carried_in",
    "share",
    "objective",
    "gap",
    "count",
    "bound",
    "change",
    "change_pct",
    "apply",
    "solve",
    "total",
];

/// The number format of an output column.
fn number_format(column: &str) -> &'static str {
    match column {
        "rank" | "count" => "0",
        "utilisation" | "gap" | "share" => "0.0%",
        "cost" | "budget" | "spent" | "inflow" | "carried_in" | "extra_budget" | "objective"
        | "bound" | "change" | "criticality" | "regret" => "#,##0.00",
        _ => "0.00",
    }
}

/// Widest a column is made, in characters (reasons are long; the cell shows the start).
const MAX_WIDTH: usize = 70;

fn xlsx_error(err: XlsxError) -> Error {
    Error::Internal(format!("writing the spreadsheet: {err}"))
}

fn header_format() -> Format {
    Format::new()
        .set_bold()
        .set_background_color("#DCE6F1")
        .set_border_bottom(FormatBorder::Thin)
}

/// A workbook whose document properties carry a fixed creation date (the same input gives
/// the same bytes).
fn new_workbook() -> Result<Workbook> {
    let mut workbook = Workbook::new();
    let created = ExcelDateTime::from_ymd(2026, 1, 1).map_err(xlsx_error)?;
    let properties = DocProperties::new()
        .set_creation_datetime(&created)
        .set_author("arbiter");
    workbook.set_properties(&properties);
    Ok(workbook)
}

/// Write `rows` (header first) into `sheet`: numbers as numbers in `formats` per column,
/// header bold and filled; columns sized to their content. Returns the number of rows.
fn write_rows(
    sheet: &mut Worksheet,
    rows: &[Vec<Cell>],
    formats: &[Option<Format>],
) -> Result<u32> {
    let header = header_format();
    let mut widths: Vec<usize> = Vec::new();
    for (r, row) in rows.iter().enumerate() {
        let r = r as u32;
        for (c, cell) in row.iter().enumerate() {
            let col = c as u16;
            let len = match cell {
                Cell::Empty => 0,
                Cell::Text(t) => t.chars().count(),
                Cell::Number(x) => format!("{x}").len() + 2,
            };
            if widths.len() <= c {
                widths.resize(c + 1, 0);
            }
            widths[c] = widths[c].max(len);
            match cell {
                Cell::Empty => {}
                Cell::Text(t) if r == 0 => {
                    sheet
                        .write_string_with_format(r, col, t, &header)
                        .map_err(xlsx_error)?;
                }
                Cell::Text(t) => {
                    sheet.write_string(r, col, t).map_err(xlsx_error)?;
                }
                Cell::Number(x) => match formats.get(c).and_then(Option::as_ref) {
                    Some(f) => {
                        sheet
                            .write_number_with_format(r, col, *x, f)
                            .map_err(xlsx_error)?;
                    }
                    None => {
                        sheet.write_number(r, col, *x).map_err(xlsx_error)?;
                    }
                },
            }
        }
    }
    for (c, w) in widths.iter().enumerate() {
        let width = (*w + 2).clamp(8, MAX_WIDTH);
        sheet
            .set_column_width(c as u16, width as f64)
            .map_err(xlsx_error)?;
    }
    Ok(rows.len() as u32)
}

/// Add one output sheet: header style, number formats, frozen header, autofilter, and the
/// utilisation colours.
fn add_output_sheet(workbook: &mut Workbook, data: &SheetData) -> Result<()> {
    let sheet = workbook.add_worksheet();
    sheet.set_name(&data.name).map_err(xlsx_error)?;
    let header: Vec<String> = data
        .rows
        .first()
        .map(|h| {
            h.iter()
                .map(|c| match c {
                    Cell::Text(t) => t.clone(),
                    _ => String::new(),
                })
                .collect()
        })
        .unwrap_or_default();
    let formats: Vec<Option<Format>> = header
        .iter()
        .map(|h| Some(Format::new().set_num_format(number_format(h))))
        .collect();
    let n = write_rows(sheet, &data.rows, &formats)?;
    let last_col = header.len().saturating_sub(1) as u16;
    sheet.set_freeze_panes(1, 0).map_err(xlsx_error)?;
    if !header.is_empty() {
        sheet
            .autofilter(0, 0, n.saturating_sub(1).max(1), last_col)
            .map_err(xlsx_error)?;
    }
    if let Some(col) = header.iter().position(|h| h == "utilisation") {
        if n > 1 {
            let col = col as u16;
            let red = ConditionalFormatCell::new()
                .set_rule(ConditionalFormatCellRule::GreaterThan(1.0))
                .set_format(Format::new().set_background_color("#F4B6B6"));
            let amber = ConditionalFormatCell::new()
                .set_rule(ConditionalFormatCellRule::GreaterThan(0.85))
                .set_format(Format::new().set_background_color("#FFE0A3"));
            // Added first, red has the higher priority where both hold.
            sheet
                .add_conditional_format(1, col, n - 1, col, &red)
                .map_err(xlsx_error)?;
            sheet
                .add_conditional_format(1, col, n - 1, col, &amber)
                .map_err(xlsx_error)?;
        }
    }
    Ok(())
}

/// The sheets of a plan: portfolio, allocation, utilisation, spend.
pub fn plan_sheets(report: &Report) -> Vec<SheetData> {
    vec![
        records_sheet(
            "portfolio",
            &portfolio_header(report),
            &portfolio_records(report),
            &NUMERIC,
        ),
        records_sheet(
            "allocation",
            allocation_header(report),
            &allocation_records(report),
            &NUMERIC,
        ),
        records_sheet(
            "utilisation",
            &UTILISATION_HEADER,
            &utilisation_records(report),
            &NUMERIC,
        ),
        records_sheet("spend", &SPEND_HEADER, &spend_records(report), &NUMERIC),
    ]
}

/// A sheet from the bytes of an output CSV file (as the scenario runner returns them).
pub fn csv_sheet(name: &str, bytes: &[u8]) -> SheetData {
    let (header, rows) = csv_records(bytes);
    let header: Vec<&str> = header.iter().map(String::as_str).collect();
    records_sheet(name, &header, &rows, &NUMERIC)
}

/// The outputs of `plan --xlsx`: one formatted sheet per output file.
pub fn plan_xlsx(report: &Report) -> Result<Vec<u8>> {
    outputs_xlsx(&plan_sheets(report))
}

/// Output sheets as one formatted spreadsheet.
pub fn outputs_xlsx(sheets: &[SheetData]) -> Result<Vec<u8>> {
    let mut workbook = new_workbook()?;
    for data in sheets {
        add_output_sheet(&mut workbook, data)?;
    }
    workbook.save_to_buffer().map_err(xlsx_error)
}

/// A workbook folder's files as one spreadsheet (the template of `arbiter init`): an
/// `about` sheet first with `about` lines (title, text), then one sheet per file, header
/// bold and frozen, and on each header cell the note that `note(sheet, column)` gives.
pub fn workbook_xlsx(
    sheets: &[SheetData],
    about: &[(String, String)],
    note: impl Fn(&str, &str) -> Option<String>,
) -> Result<Vec<u8>> {
    let mut workbook = new_workbook()?;
    if !about.is_empty() {
        let sheet = workbook.add_worksheet();
        sheet.set_name("about").map_err(xlsx_error)?;
        let bold = Format::new().set_bold();
        let wrap = Format::new().set_text_wrap();
        sheet.set_column_width(0, 16).map_err(xlsx_error)?;
        sheet.set_column_width(1, 100).map_err(xlsx_error)?;
        for (r, (title, text)) in about.iter().enumerate() {
            sheet
                .write_string_with_format(r as u32, 0, title, &bold)
                .map_err(xlsx_error)?;
            sheet
                .write_string_with_format(r as u32, 1, text, &wrap)
                .map_err(xlsx_error)?;
        }
    }
    for data in sheets {
        let sheet = workbook.add_worksheet();
        sheet.set_name(&data.name).map_err(xlsx_error)?;
        write_rows(sheet, &data.rows, &[])?;
        sheet.set_freeze_panes(1, 0).map_err(xlsx_error)?;
        if let Some(header) = data.rows.first() {
            for (c, cell) in header.iter().enumerate() {
                let Cell::Text(column) = cell else { continue };
                if let Some(text) = note(&data.name, column) {
                    let note = Note::new(text).set_author("arbiter").set_width(320);
                    sheet.insert_note(0, c as u16, &note).map_err(xlsx_error)?;
                }
            }
        }
    }
    workbook.save_to_buffer().map_err(xlsx_error)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::testkit::{project, workbook};
    use crate::solve::{solve, SolveOptions};

    #[test]
    fn same_report_same_bytes() {
        let wb = workbook(
            &["Q1", "Q2"],
            vec![project("A", 10.0, 1, 5.0), project("B", 10.0, 1, 4.0)],
        );
        let options = SolveOptions::default();
        let solution = solve(&wb, &options).expect("solves");
        let report = crate::report::build(&wb, &solution, &options);
        let a = plan_xlsx(&report).expect("writes");
        let b = plan_xlsx(&report).expect("writes");
        assert!(a.starts_with(b"PK"), "an xlsx is a zip file");
        assert_eq!(a, b);
    }
}
