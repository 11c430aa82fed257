//! One CSV file of a workbook, read into trimmed cells with their line numbers: encoding
//! (UTF-8, optional byte-order mark), delimiter detection (`,` `;` TAB), header matching,
//! and the file-shape problems (wrong field counts, duplicate or unknown columns).
//!
//! Only this module and its siblings in `io/` know about the `csv` crate.

use std::path::Path;

use std::io::Read;

use crate::diag::codes;
use crate::diag::{Diags, Loc};
use crate::io::limits::{self, grouped, Limit, Limits};

/// One data row: its 1-based line in the file and its cells, trimmed.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Row {
    pub line: usize,
    pub cells: Vec<String>,
}

/// A parsed file: header and data rows. Rows whose field count differs from the header's
/// have already been reported and are not in `rows`.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Table {
    pub file: &'static str,
    pub delimiter: u8,
    pub header_line: usize,
    /// Header names as written (trimmed).
    pub headers: Vec<String>,
    /// Header names lowercased, for matching.
    pub keys: Vec<String>,
    pub rows: Vec<Row>,
}

/// What reading a file gave.
#[derive(Debug)]
pub(crate) enum Source {
    /// The file is not in the workbook.
    Absent,
    /// The file exists but could not be read; the problem has been reported.
    Broken,
    Present(Table),
}

impl Source {
    pub fn is_absent(&self) -> bool {
        matches!(self, Source::Absent)
    }
}

/// Read `file` in folder `dir`, within `limits` (a file over `limits.input_bytes` is
/// refused before it is read into memory).
pub(crate) fn read(dir: &Path, file: &'static str, limits: &Limits, diags: &mut Diags) -> Source {
    let path = dir.join(file);
    if !path.exists() {
        return Source::Absent;
    }
    let unreadable = |err: std::io::Error, diags: &mut Diags| {
        diags.add(
            codes::UNREADABLE,
            Loc::file(file),
            None,
            format!("{file} cannot be read: {err}"),
            format!("make {file} a readable file"),
        );
        Source::Broken
    };
    let mut bytes = Vec::new();
    // `take` rather than the file's size: a file that grows, or a device, is bounded too.
    let read = std::fs::File::open(&path).and_then(|f| {
        f.take(limits.input_bytes.saturating_add(1))
            .read_to_end(&mut bytes)
    });
    if let Err(err) = read {
        return unreadable(err, diags);
    }
    if bytes.len() as u64 > limits.input_bytes {
        limits::report(
            diags,
            Loc::file(file),
            Limit::InputBytes,
            limits.input_bytes,
            &format!(
                "{file} is larger than {} bytes",
                grouped(limits.input_bytes)
            ),
        );
        return Source::Broken;
    }
    parse_with(file, &bytes, limits, diags)
}

/// Parse the bytes of `file` within the default limits.
#[cfg(test)]
pub(crate) fn parse(file: &'static str, bytes: &[u8], diags: &mut Diags) -> Source {
    parse_with(file, bytes, &Limits::default(), diags)
}

/// The first line of `text` longer than `max` bytes: its 1-based number and its length.
fn long_line(text: &str, max: u64) -> Option<(usize, usize)> {
    text.split('\n')
        .enumerate()
        .find(|(_, line)| line.len() as u64 > max)
        .map(|(i, line)| (i + 1, line.len()))
}

/// Parse the bytes of `file`, within `limits` (line length, rows, cells).
pub(crate) fn parse_with(
    file: &'static str,
    bytes: &[u8],
    limits: &Limits,
    diags: &mut Diags,
) -> Source {
    let text = match std::str::from_utf8(bytes) {
        Ok(text) => text,
        Err(err) => {
            let good = &bytes[..err.valid_up_to()];
            let line = good.iter().filter(|b| **b == b'\n').count() + 1;
            let byte = bytes.get(err.valid_up_to()).copied().unwrap_or(0);
            diags.add(
                codes::NOT_UTF8,
                Loc::line(file, line),
                Some(&format!("0x{byte:02X}")),
                format!("{file} is not UTF-8 text (byte 0x{byte:02X} on line {line})"),
                "save the file as 'CSV UTF-8' (in Excel: Save As → CSV UTF-8)".to_string(),
            );
            return Source::Broken;
        }
    };
    // Excel writes a byte-order mark in front of "CSV UTF-8" files.
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if let Some((line, len)) = long_line(text, limits.line_bytes) {
        limits::report(
            diags,
            Loc::line(file, line),
            Limit::LineBytes,
            limits.line_bytes,
            &format!("{file} line {line} is {} bytes long", grouped(len as u64)),
        );
        return Source::Broken;
    }
    let delimiter = detect_delimiter(text);
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(text.as_bytes());

    let newlines: Vec<usize> = text
        .bytes()
        .enumerate()
        .filter(|(_, b)| *b == b'\n')
        .map(|(i, _)| i)
        .collect();
    let mut header: Option<(usize, Vec<String>)> = None;
    let mut rows = Vec::new();
    for result in reader.records() {
        let record = match result {
            Ok(record) => record,
            Err(err) => {
                let line = err
                    .position()
                    .map(|p| line_of(text, &newlines, p.byte() as usize));
                let loc = match line {
                    Some(line) => Loc::line(file, line),
                    None => Loc::file(file),
                };
                diags.add(
                    codes::UNREADABLE,
                    loc,
                    None,
                    format!("{file} is not valid CSV: {err}"),
                    format!("re-export {file} as CSV"),
                );
                return Source::Broken;
            }
        };
        let line = record
            .position()
            .map_or(0, |p| line_of(text, &newlines, p.byte() as usize));
        let cells: Vec<String> = record.iter().map(|c| c.trim().to_string()).collect();
        // Blank lines never reach us (the csv reader skips them); rows of empty cells are
        // what Excel writes for formatted but empty rows (`;;;`).
        if cells.iter().all(String::is_empty) {
            continue;
        }
        match &header {
            None => header = Some((line, cells)),
            Some((_, names)) => {
                let count = rows.len() as u64 + 2;
                if count > limits.rows || count.saturating_mul(names.len() as u64) > limits.cells {
                    let (limit, max) = if count > limits.rows {
                        (Limit::Rows, limits.rows)
                    } else {
                        (Limit::Cells, limits.cells)
                    };
                    limits::report(
                        diags,
                        Loc::line(file, line),
                        limit,
                        max,
                        &format!(
                            "{file} has more than {} {} ({} columns)",
                            grouped(max),
                            limit.unit(),
                            names.len()
                        ),
                    );
                    return Source::Broken;
                }
                if cells.len() != names.len() {
                    let sep = delimiter_name(delimiter);
                    diags.add(
                        codes::FIELD_COUNT,
                        Loc::line(file, line),
                        None,
                        format!(
                            "{file} line {line} has {} fields but the header has {}",
                            cells.len(),
                            names.len()
                        ),
                        format!(
                            "give every row {} fields separated by {sep} (quote a cell that contains {sep})",
                            names.len()
                        ),
                    );
                    continue;
                }
                rows.push(Row { line, cells });
            }
        }
    }
    let Some((header_line, headers)) = header else {
        diags.add(
            codes::EMPTY_FILE,
            Loc::file(file),
            None,
            format!("{file} is empty: it has no header row"),
            format!("add a header row to {file}, or delete the file"),
        );
        return Source::Broken;
    };
    let keys: Vec<String> = headers.iter().map(|h| h.to_lowercase()).collect();
    for (i, key) in keys.iter().enumerate() {
        if key.is_empty() {
            continue;
        }
        if let Some(first) = keys[..i].iter().position(|k| k == key) {
            diags.add(
                codes::DUPLICATE_COLUMN,
                Loc::cell(file, header_line, &headers[i]),
                Some(&headers[i]),
                format!(
                    "{file} has column '{}' twice (columns {} and {})",
                    headers[i],
                    first + 1,
                    i + 1
                ),
                "delete or rename one of the two columns",
            );
        }
    }
    Source::Present(Table {
        file,
        delimiter,
        header_line,
        headers,
        keys,
        rows,
    })
}

/// 1-based line of the record that the csv reader says starts at byte `offset`, given the
/// sorted offsets of every `\n` of `text`. The reader ends a record at `\r` and reports the
/// next one as starting on the `\n` that follows (and its own line counter lags the same
/// way), so line ends are skipped first: a record never really starts with one.
fn line_of(text: &str, newlines: &[usize], offset: usize) -> usize {
    let skipped = text.as_bytes().get(offset..).map_or(0, |rest| {
        rest.iter()
            .take_while(|b| matches!(b, b'\r' | b'\n'))
            .count()
    });
    newlines.partition_point(|&n| n < offset + skipped) + 1
}

/// The delimiter of a file: whichever of `,` `;` TAB occurs most often outside quotes in its
/// header line (ties go to `,`, then `;`).
pub(crate) fn detect_delimiter(text: &str) -> u8 {
    let header = text
        .lines()
        .find(|line| !line.trim().is_empty())
        .unwrap_or("");
    let mut counts = [0usize; 3];
    let mut quoted = false;
    for c in header.chars() {
        match c {
            '"' => quoted = !quoted,
            ',' if !quoted => counts[0] += 1,
            ';' if !quoted => counts[1] += 1,
            '\t' if !quoted => counts[2] += 1,
            _ => {}
        }
    }
    let candidates = [b',', b';', b'\t'];
    let mut best = 0;
    for i in 1..3 {
        if counts[i] > counts[best] {
            best = i;
        }
    }
    candidates[best]
}

fn delimiter_name(delimiter: u8) -> &'static str {
    match delimiter {
        b';' => "';'",
        b'\t' => "TAB",
        _ => "','",
    }
}

impl Table {
    /// Index of the column whose lowercased header is `key`.
    pub fn col(&self, key: &str) -> Option<usize> {
        self.keys.iter().position(|k| k == key)
    }

    /// Header of column `idx` as written (falls back to `key`-like text when out of range).
    pub fn header(&self, idx: usize) -> &str {
        self.headers.get(idx).map_or("", String::as_str)
    }

    /// Header as written for the column `key`, or `key` itself when the column is absent.
    pub fn header_of(&self, key: &str) -> String {
        self.col(key)
            .map_or_else(|| key.to_string(), |i| self.headers[i].clone())
    }

    /// The cell of `row` in column `idx` ("" when there is no such column).
    pub fn cell<'a>(&self, row: &'a Row, idx: Option<usize>) -> &'a str {
        idx.and_then(|i| row.cells.get(i))
            .map_or("", String::as_str)
    }

    /// Whether a lone comma is a decimal mark in this file.
    pub fn decimal_comma(&self) -> bool {
        self.delimiter != b','
    }

    /// Report every column of `required` that the header lacks; true when none is missing.
    pub fn require(&self, required: &[&str], diags: &mut Diags) -> bool {
        let mut ok = true;
        for key in required {
            if self.col(key).is_none() {
                ok = false;
                diags.add(
                    codes::MISSING_COLUMN,
                    Loc::cell(self.file, self.header_line, key),
                    None,
                    format!("{} has no column '{key}'", self.file),
                    format!(
                        "add a column '{key}' to the header of {} (it has: {})",
                        self.file,
                        self.headers.join(", ")
                    ),
                );
            }
        }
        ok
    }

    /// Warn about every column that `is_known` does not accept. `expected` lists the known
    /// columns for the fix. Unnamed columns are only reported when they hold data.
    pub fn warn_unknown(&self, is_known: impl Fn(&str) -> bool, expected: &str, diags: &mut Diags) {
        for (i, key) in self.keys.iter().enumerate() {
            if key.is_empty() {
                if let Some(row) = self.rows.iter().find(|r| !r.cells[i].is_empty()) {
                    diags.add(
                        codes::UNKNOWN_COLUMN,
                        Loc::line(self.file, self.header_line),
                        Some(&row.cells[i]),
                        format!(
                            "column {} of {} has no name; its data (e.g. '{}' on line {}) is ignored",
                            i + 1,
                            self.file,
                            row.cells[i],
                            row.line
                        ),
                        format!("name the column (known columns: {expected}) or delete it"),
                    );
                }
            } else if !is_known(key) {
                diags.add(
                    codes::UNKNOWN_COLUMN,
                    Loc::cell(self.file, self.header_line, &self.headers[i]),
                    Some(&self.headers[i]),
                    format!(
                        "unknown column '{}' in {}; its data is ignored",
                        self.headers[i], self.file
                    ),
                    format!("rename it to one of: {expected}; or delete it"),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table(text: &str) -> (Source, Diags) {
        let mut diags = Diags::new();
        let source = parse("projects.csv", text.as_bytes(), &mut diags);
        (source, diags)
    }

    #[test]
    fn detects_delimiters() {
        assert_eq!(detect_delimiter("id,cost,name\n"), b',');
        assert_eq!(detect_delimiter("id;cost;name\n1;2,5;x"), b';');
        assert_eq!(detect_delimiter("id\tcost\n"), b'\t');
        // Delimiters inside quotes do not count.
        assert_eq!(detect_delimiter("\"a;b;c\",\"d;e\",f\n"), b',');
        assert_eq!(detect_delimiter("\"a,b,c\";d\n"), b';');
        // Leading blank lines are skipped; a one-column file is comma separated.
        assert_eq!(detect_delimiter("\n\nid;cost\n"), b';');
        assert_eq!(detect_delimiter("id\nP1\n"), b',');
    }

    #[test]
    fn bom_crlf_blank_and_empty_rows() {
        let (source, diags) = table("\u{feff}Id;Cost\r\nP1;1\r\n\r\n;\r\nP2;2\r\n");
        let Source::Present(t) = source else {
            panic!("not read")
        };
        assert!(!diags.has_errors());
        assert_eq!(t.delimiter, b';');
        assert_eq!(t.keys, ["id", "cost"]);
        assert_eq!(t.headers, ["Id", "Cost"]);
        let lines: Vec<usize> = t.rows.iter().map(|r| r.line).collect();
        assert_eq!(lines, [2, 5]);
        assert_eq!(t.rows[1].cells, ["P2", "2"]);
    }

    #[test]
    fn headers_are_trimmed_and_case_insensitive() {
        let (source, _) = table(" ID , Cost \nP1,1\n");
        let Source::Present(t) = source else {
            panic!("not read")
        };
        assert_eq!(t.col("id"), Some(0));
        assert_eq!(t.col("cost"), Some(1));
        assert_eq!(t.header_of("cost"), "Cost");
    }

    #[test]
    fn wrong_field_count_is_reported_by_line() {
        let (source, diags) = table("id,cost\nP1,1\nP2,2,3\nP3\n");
        let Source::Present(t) = source else {
            panic!("not read")
        };
        assert_eq!(t.rows.len(), 1);
        let list = diags.into_sorted();
        assert_eq!(list.len(), 2);
        assert_eq!(list[0].code, codes::FIELD_COUNT);
        assert_eq!(list[0].line, Some(3));
        assert_eq!(list[1].line, Some(4));
    }

    #[test]
    fn not_utf8_names_file_and_line() {
        let mut diags = Diags::new();
        let source = parse("budget.csv", b"period,amount\n2025,\xe9t\xe9\n", &mut diags);
        assert!(matches!(source, Source::Broken));
        let list = diags.into_sorted();
        assert_eq!(list[0].code, codes::NOT_UTF8);
        assert_eq!(list[0].file, "budget.csv");
        assert_eq!(list[0].line, Some(2));
    }

    #[test]
    fn lines_rows_and_cells_past_their_limits_stop_the_read() {
        let small = Limits {
            line_bytes: 20,
            rows: 3,
            cells: 7,
            ..Limits::default()
        };
        let cases: [(&str, &str, usize); 3] = [
            (
                "id,cost\nA,1\nBBBBBBBBBBBBBBBBBBBBBBBBB,2\n",
                "line 3 is 27 bytes long",
                3,
            ),
            ("id,cost\nA,1\nB,2\nC,3\n", "more than 3 rows", 4),
            ("id,cost,x\nA,1,\nB,2,\nC,3,\n", "more than 7 cells", 3),
        ];
        for (text, says, line) in cases {
            let mut diags = Diags::new();
            let source = parse_with("projects.csv", text.as_bytes(), &small, &mut diags);
            assert!(matches!(source, Source::Broken), "{text}");
            let list = diags.into_sorted();
            assert_eq!(list.len(), 1, "{list:?}");
            assert_eq!(list[0].code, codes::INPUT_LIMIT);
            assert_eq!(list[0].line, Some(line), "{}", list[0]);
            assert!(list[0].message.contains(says), "{}", list[0]);
            assert!(list[0].fix.contains("ARBITER_MAX_"), "{}", list[0]);
        }
    }
}
