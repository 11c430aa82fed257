//! A look inside a zipped spreadsheet (`.xlsx`, `.xlsm`, `.xlsb`, `.ods`) before calamine
//! opens it, so that a hostile file is refused in bounded memory and time:
//! - every part is inflated into a counter (nothing kept): past `limits.input_bytes` in
//!   all, the file is a zip bomb (a 2 MB file that inflates to 2 GB) and is refused — the
//!   sizes the zip declares are not trusted;
//! - an OpenDocument sheet's rows and cells are counted as its repeat attributes
//!   (`table:number-rows-repeated`, `table:number-columns-repeated`) expand them, because
//!   calamine expands them in memory (a 1 KB file can ask for 50,000 × 1,000 cells).
//!
//! A file that is not a zip, or whose zip is damaged, is left to calamine, which reports it.

use std::fs::File;
use std::io::{BufReader, Read};
use std::path::Path;

use quick_xml::events::{BytesStart, Event};

use crate::io::limits::{grouped, Limit, Limits};

/// Why a spreadsheet is refused: which limit (none: the file is damaged in a way its
/// reader cannot survive), the part or sheet, and what was found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Refusal {
    pub limit: Option<Limit>,
    /// The limit's value.
    pub max: u64,
    /// What is over the limit, for the message (`xl/worksheets/sheet1.xml inflates to more than …`).
    pub what: String,
}

/// Check the zipped spreadsheet at `path` against `limits`; `Ok(())` also when it is not a
/// readable zip (calamine reports that).
pub(crate) fn check(path: &Path, limits: &Limits) -> Result<(), Refusal> {
    let Ok(file) = File::open(path) else {
        return Ok(());
    };
    let Ok(mut zip) = zip::ZipArchive::new(BufReader::new(file)) else {
        return Ok(());
    };
    let mut total: u64 = 0;
    for i in 0..zip.len() {
        let Ok(entry) = zip.by_index(i) else {
            continue;
        };
        let name = entry.name().map(|n| n.to_string()).unwrap_or_default();
        let room = limits.input_bytes.saturating_sub(total);
        // A damaged entry stops the count; calamine reports the damage when it reads it.
        let inflated = std::io::copy(
            &mut entry.take(room.saturating_add(1)),
            &mut std::io::sink(),
        )
        .unwrap_or(0);
        total = total.saturating_add(inflated);
        if total > limits.input_bytes {
            return Err(Refusal {
                limit: Some(Limit::InputBytes),
                max: limits.input_bytes,
                what: format!(
                    "it inflates to more than {} bytes once decompressed (at the part {name}): a zip bomb, or a sheet far larger than a workbook needs",
                    grouped(limits.input_bytes)
                ),
            });
        }
    }
    if zip.index_for_name("content.xml").is_some() {
        if let Ok(content) = zip.by_name("content.xml") {
            return ods_cells(BufReader::new(content), limits);
        }
    }
    Ok(())
}

/// The value of attribute `key` of `e` as a whole number (1 when absent or unreadable).
fn repeats(e: &BytesStart<'_>, key: &str) -> u64 {
    e.attributes()
        .flatten()
        .find(|a| a.key.as_ref() == key)
        .and_then(|a| a.value.trim().parse::<u64>().ok())
        .unwrap_or(1)
        .max(1)
}

/// Whether an OpenDocument cell holds something (a value type or a formula): cells without
/// either are empty, however many times they repeat.
fn has_value(e: &BytesStart<'_>) -> bool {
    e.attributes().flatten().any(|a| {
        matches!(
            a.key.as_ref(),
            "office:value-type" | "calcext:value-type" | "table:formula"
        )
    })
}

/// One OpenDocument table being counted.
#[derive(Default)]
struct Counts {
    name: String,
    /// Next row (0-based), repeats expanded.
    row: u64,
    /// Rows (repeats expanded) that hold a value.
    used_rows: u64,
    first_row: Option<u64>,
    last_row: u64,
    first_col: u64,
    last_col: u64,
}

impl Counts {
    /// The used range's rows × columns: what calamine allocates for the sheet.
    fn area(&self) -> u64 {
        match self.first_row {
            None => 0,
            Some(first) => (self.last_row - first + 1)
                .saturating_mul(self.last_col.saturating_sub(self.first_col) + 1),
        }
    }

    fn check(&self, limits: &Limits) -> Result<(), Refusal> {
        if self.used_rows > limits.rows {
            return Err(Refusal {
                limit: Some(Limit::Rows),
                max: limits.rows,
                what: format!(
                    "sheet '{}' has more than {} rows once its repeated rows are counted",
                    self.name,
                    grouped(limits.rows)
                ),
            });
        }
        if self.area() > limits.cells {
            return Err(Refusal {
                limit: Some(Limit::Cells),
                max: limits.cells,
                what: format!(
                    "sheet '{}' spans {} cells (rows × columns of its used range, repeats counted)",
                    self.name,
                    grouped(self.area())
                ),
            });
        }
        Ok(())
    }
}

/// Count the rows and cells of every table of an OpenDocument `content.xml`, reading it
/// as calamine does (same reader settings). A file that ends inside a table is refused as
/// damaged: calamine 0.38 loops forever on it (its table loop has no end-of-file arm).
fn ods_cells(content: impl std::io::BufRead, limits: &Limits) -> Result<(), Refusal> {
    let mut reader = quick_xml::Reader::from_reader(content);
    let config = reader.config_mut();
    config.check_end_names = false;
    config.trim_text(false);
    config.check_comments = false;
    config.expand_empty_elements = true;
    let mut buf = Vec::new();
    let mut table: Option<Counts> = None;
    // Within a row: its repeat count, next column, and the used columns seen.
    let mut row_repeat = 1;
    let mut col: u64 = 0;
    let mut row_cols: Option<(u64, u64)> = None;
    // The cell being read: its first column, its repeat count, whether it holds something.
    let mut cell: Option<(u64, u64, bool)> = None;
    loop {
        let event = match reader.read_event_into(&mut buf) {
            Ok(Event::Eof) | Err(_) => break,
            Ok(event) => event,
        };
        match &event {
            Event::Start(e) => match e.name().as_ref() {
                "table:table" => {
                    let name = e
                        .attributes()
                        .flatten()
                        .find(|a| a.key.as_ref() == "table:name")
                        .map(|a| a.value.into_owned())
                        .unwrap_or_default();
                    table = Some(Counts {
                        name,
                        first_col: u64::MAX,
                        ..Counts::default()
                    });
                }
                "table:table-row" => {
                    row_repeat = repeats(e, "table:number-rows-repeated");
                    col = 0;
                    row_cols = None;
                }
                "table:table-cell" | "table:covered-table-cell" => {
                    let n = repeats(e, "table:number-columns-repeated");
                    cell = Some((col, n, has_value(e)));
                    col = col.saturating_add(n);
                }
                // Anything inside a cell (a paragraph of text) makes it used.
                _ => {
                    if let Some((_, _, used)) = cell.as_mut() {
                        *used = true;
                    }
                }
            },
            Event::End(e) => match e.name().as_ref() {
                "table:table-cell" | "table:covered-table-cell" => {
                    if let Some((at, n, true)) = cell.take() {
                        let (first, _) = row_cols.unwrap_or((at, at));
                        row_cols = Some((first.min(at), at.saturating_add(n - 1)));
                    }
                }
                "table:table-row" => {
                    if let Some(t) = table.as_mut() {
                        if let Some((first, last)) = row_cols {
                            t.first_row.get_or_insert(t.row);
                            t.last_row = t.row.saturating_add(row_repeat - 1);
                            t.used_rows = t.used_rows.saturating_add(row_repeat);
                            t.first_col = t.first_col.min(first);
                            t.last_col = t.last_col.max(last);
                            t.check(limits)?;
                        }
                        t.row = t.row.saturating_add(row_repeat);
                    }
                }
                "table:table" => table = None,
                _ => {}
            },
            _ => {}
        }
        buf.clear();
    }
    match table {
        Some(t) => Err(Refusal {
            limit: None,
            max: 0,
            what: format!(
                "its content.xml ends inside sheet '{}' (the file is damaged or cut short)",
                t.name
            ),
        }),
        None => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn content(rows: &str) -> String {
        format!(
            "<office:document-content><office:body><office:spreadsheet><table:table table:name=\"projects\">{rows}</table:table></office:spreadsheet></office:body></office:document-content>"
        )
    }

    fn cell(text: &str) -> String {
        format!("<table:table-cell office:value-type=\"string\"><text:p>{text}</text:p></table:table-cell>")
    }

    #[test]
    fn repeated_rows_and_columns_count_as_cells() {
        let rows = format!(
            "<table:table-row>{}{}</table:table-row><table:table-row table:number-rows-repeated=\"50000\"><table:table-cell table:number-columns-repeated=\"1000\" office:value-type=\"string\"><text:p>x</text:p></table:table-cell></table:table-row>",
            cell("id"),
            cell("cost")
        );
        let err = ods_cells(content(&rows).as_bytes(), &Limits::default()).unwrap_err();
        assert_eq!(err.limit, Some(Limit::Cells));
        assert!(
            err.what.contains("sheet 'projects' spans 50,001,000 cells"),
            "{}",
            err.what
        );
    }

    #[test]
    fn empty_repeats_cost_nothing() {
        // What LibreOffice writes below and right of the data.
        let rows = format!(
            "<table:table-row>{}<table:table-cell table:number-columns-repeated=\"16383\"/></table:table-row><table:table-row table:number-rows-repeated=\"1048575\"><table:table-cell table:number-columns-repeated=\"16384\"/></table:table-row>",
            cell("id")
        );
        assert_eq!(
            ods_cells(content(&rows).as_bytes(), &Limits::default()),
            Ok(())
        );
    }

    #[test]
    fn a_content_cut_inside_a_table_is_refused() {
        let cut = "<office:document-content><office:body><office:spreadsheet><table:table table:name=\"projects\"><table:table-row>";
        let err = ods_cells(cut.as_bytes(), &Limits::default()).unwrap_err();
        assert!(
            err.what.contains("ends inside sheet 'projects'"),
            "{}",
            err.what
        );
        let closed = "<table:table table:name=\"a\"/>";
        assert_eq!(ods_cells(closed.as_bytes(), &Limits::default()), Ok(()));
    }

    #[test]
    fn rows_past_the_limit_are_refused() {
        let rows = format!(
            "<table:table-row table:number-rows-repeated=\"11\">{}</table:table-row>",
            cell("x")
        );
        let limits = Limits {
            rows: 10,
            ..Limits::default()
        };
        let err = ods_cells(content(&rows).as_bytes(), &limits).unwrap_err();
        assert_eq!(err.limit, Some(Limit::Rows));
    }
}
