//! A tool's export read as a plain grid of text cells, for `crate::import`: a CSV file
//! (UTF-8 with or without a byte-order mark, or Windows-1252; `,` `;` or TAB, detected) or
//! the first sheet of a spreadsheet. Unlike a workbook file, an export has no fixed header
//! row (a title may sit above it), so nothing is matched here: the grid keeps every row with
//! its line (CSV) or row number (spreadsheet) for the importer's messages.

use std::path::Path;

/// The text encoding of a CSV export.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    /// UTF-8 when the bytes are valid UTF-8, else Windows-1252 (with a note).
    Auto,
    Utf8,
    Cp1252,
}

/// One row of the export: its 1-based line (or spreadsheet row) and its cells, trimmed.
#[derive(Debug, Clone, PartialEq)]
pub struct GridRow {
    pub line: usize,
    pub cells: Vec<String>,
    /// Per cell: true when a spreadsheet typed it as a number or date, so that its text is
    /// canonical (`.` decimal mark, ISO date) whatever the locale of the export.
    pub typed: Vec<bool>,
}

/// An export read: its rows, the delimiter found (CSV only) and what reading noticed.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Grid {
    pub rows: Vec<GridRow>,
    pub delimiter: Option<u8>,
    /// Things worth telling the user (the encoding guessed, the sheet read).
    pub notes: Vec<String>,
}

/// Read the export at `path`: a spreadsheet by its extension, else CSV. `sheet` picks a
/// sheet by name (else the first). Errors are sentences for people.
pub fn read(path: &Path, encoding: Encoding, sheet: Option<&str>) -> Result<Grid, String> {
    let shown = path.display();
    if super::is_spreadsheet(path) {
        return read_sheet(path, sheet);
    }
    let bytes = std::fs::read(path).map_err(|e| format!("{shown} cannot be read: {e}"))?;
    let (text, note) = decode(&bytes, encoding).map_err(|e| format!("{shown}: {e}"))?;
    let mut grid = parse_csv(&text)?;
    grid.notes.extend(note);
    Ok(grid)
}

/// The bytes as text: a UTF-8 byte-order mark dropped; Windows-1252 when asked, or (auto)
/// when the bytes are not UTF-8.
pub fn decode(bytes: &[u8], encoding: Encoding) -> Result<(String, Option<String>), String> {
    let body = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    match (encoding, std::str::from_utf8(body)) {
        (Encoding::Cp1252, _) => {
            let (text, _, _) = encoding_rs::WINDOWS_1252.decode(body);
            Ok((text.into_owned(), None))
        }
        (_, Ok(text)) => Ok((text.to_string(), None)),
        (Encoding::Utf8, Err(err)) => {
            let line = body[..err.valid_up_to()]
                .iter()
                .filter(|b| **b == b'\n')
                .count()
                + 1;
            Err(format!(
                "line {line} is not UTF-8; save the export as UTF-8, or pass --encoding cp1252 (Excel's 'CSV (separator: semicolon)' on Windows)"
            ))
        }
        (Encoding::Auto, Err(_)) => {
            let (text, _, _) = encoding_rs::WINDOWS_1252.decode(body);
            Ok((
                text.into_owned(),
                Some("the export is not UTF-8: read as Windows-1252 (cp1252)".to_string()),
            ))
        }
    }
}

/// The delimiter among `,` `;` TAB that occurs most often outside quotes in the first 20
/// lines (a title line above the header has few or none).
pub fn detect_delimiter(text: &str) -> u8 {
    let mut counts = [0usize; 3];
    let candidates = [b',', b';', b'\t'];
    for line in text.lines().take(20) {
        let mut quoted = false;
        for b in line.bytes() {
            if b == b'"' {
                quoted = !quoted;
            } else if !quoted {
                if let Some(k) = candidates.iter().position(|c| *c == b) {
                    counts[k] += 1;
                }
            }
        }
    }
    let best = (0..3).max_by_key(|k| (counts[*k], 3 - k)).unwrap_or(0);
    candidates[best]
}

/// Parse CSV text of any shape (rows of different lengths are kept as they are).
pub fn parse_csv(text: &str) -> Result<Grid, String> {
    let delimiter = detect_delimiter(text);
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(text.as_bytes());
    let mut rows = Vec::new();
    let (mut counted, mut seen_lines) = (0usize, 0usize);
    for record in reader.records() {
        let record = record.map_err(|e| format!("the export is not readable as CSV: {e}"))?;
        // csv's own line count misses skipped blank lines: count the newlines before the
        // record's first byte instead (a blank line before it is skipped by the reader),
        // going on from the previous record so that the count stays linear.
        let line = match record.position() {
            Some(p) => {
                let start = (p.byte() as usize).min(text.len());
                let bytes = text.as_bytes();
                seen_lines += bytes[counted..start]
                    .iter()
                    .filter(|b| **b == b'\n')
                    .count();
                counted = start;
                let skipped = bytes[start..]
                    .iter()
                    .take_while(|b| matches!(b, b'\n' | b'\r'))
                    .filter(|b| **b == b'\n')
                    .count();
                seen_lines + skipped + 1
            }
            None => rows.len() + 1,
        };
        let cells: Vec<String> = record.iter().map(|c| c.trim().to_string()).collect();
        let typed = vec![false; cells.len()];
        rows.push(GridRow { line, cells, typed });
    }
    Ok(Grid {
        rows,
        delimiter: Some(delimiter),
        notes: Vec::new(),
    })
}

fn read_sheet(path: &Path, sheet: Option<&str>) -> Result<Grid, String> {
    use calamine::{Data, Reader};
    let shown = path.display();
    let mut book = calamine::open_workbook_auto(path)
        .map_err(|e| format!("the spreadsheet '{shown}' cannot be read: {e}"))?;
    let names = book.sheet_names();
    let name = match sheet {
        Some(wanted) => names
            .iter()
            .find(|n| n.trim().eq_ignore_ascii_case(wanted.trim()))
            .cloned()
            .ok_or_else(|| {
                format!(
                    "the spreadsheet '{shown}' has no sheet '{wanted}' (it has: {}); name the sheet of the task table",
                    names.join(", ")
                )
            })?,
        None => names
            .first()
            .cloned()
            .ok_or_else(|| format!("the spreadsheet '{shown}' has no sheet"))?,
    };
    let range = book
        .worksheet_range(&name)
        .map_err(|e| format!("sheet '{name}' of '{shown}' cannot be read: {e}"))?;
    let (first_row, first_col) = range.start().unwrap_or((0, 0));
    let mut rows = Vec::new();
    for (i, row) in range.rows().enumerate() {
        let line = first_row as usize + i + 1;
        let mut cells = Vec::with_capacity(row.len());
        let mut typed = Vec::with_capacity(row.len());
        for (j, data) in row.iter().enumerate() {
            let text = super::sheets::cell_text(data).map_err(|e| {
                format!(
                    "sheet '{name}' row {line}, column {}: the cell holds the error {e}; fix the formula or clear the cell",
                    column_letters(first_col as usize + j)
                )
            })?;
            cells.push(text);
            typed.push(matches!(
                data,
                Data::Int(_) | Data::Float(_) | Data::DateTime(_) | Data::DateTimeIso(_)
            ));
        }
        rows.push(GridRow { line, cells, typed });
    }
    Ok(Grid {
        rows,
        delimiter: None,
        notes: vec![format!("read sheet '{name}' of '{shown}'")],
    })
}

/// A 0-based column as the spreadsheet names it: 0 → A, 26 → AA.
fn column_letters(mut col: usize) -> String {
    let mut out = Vec::new();
    loop {
        out.push(b'A' + (col % 26) as u8);
        if col < 26 {
            break;
        }
        col = col / 26 - 1;
    }
    out.reverse();
    String::from_utf8(out).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn delimiter_is_the_most_frequent() {
        assert_eq!(detect_delimiter("a,b,c\n1,2,3"), b',');
        assert_eq!(detect_delimiter("Titre\nid;nom;coût\n1;\"a,b\";3"), b';');
        assert_eq!(detect_delimiter("a\tb\n1\t2"), b'\t');
    }

    #[test]
    fn cp1252_is_read_when_not_utf8() {
        let bytes = b"nom;co\xfbt\n";
        let (text, note) = decode(bytes, Encoding::Auto).expect("decodes");
        assert_eq!(text, "nom;coût\n");
        assert!(note.is_some());
        assert!(decode(bytes, Encoding::Utf8).is_err());
        let (text, note) = decode(b"\xEF\xBB\xBFid\n", Encoding::Auto).expect("decodes");
        assert_eq!((text.as_str(), note), ("id\n", None));
    }

    #[test]
    fn rows_keep_their_lines_and_shapes() {
        let grid = parse_csv("Title\n\nid,name\n1,\"two\nlines\"\n2,b,extra\n").expect("csv");
        let lines: Vec<usize> = grid.rows.iter().map(|r| r.line).collect();
        assert_eq!(lines, [1, 3, 4, 6]);
        assert_eq!(grid.rows[2].cells, ["1", "two\nlines"]);
        assert_eq!(grid.rows[3].cells.len(), 3);
    }

    #[test]
    fn columns_are_lettered() {
        assert_eq!(column_letters(0), "A");
        assert_eq!(column_letters(25), "Z");
        assert_eq!(column_letters(26), "AA");
    }
}
