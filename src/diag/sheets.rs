//! Where each contract file sits in a spreadsheet workbook, as plain data (the spreadsheet's
//! name, and by file: the sheet's name, its first used column and its header), and the
//! rewriting of a diagnostic found in the contract's terms (file, line, header name) into
//! the spreadsheet's (file, sheet, row, cell reference). `io::sheets` fills it in.

use std::collections::BTreeMap;

use super::{Diagnostic, FILES};

/// Where each contract file sits in a spreadsheet, to name sheets, rows and cells in
/// diagnostics.
#[derive(Debug, Clone, Default)]
pub(crate) struct SheetMap {
    /// The spreadsheet as the user gave it.
    workbook: String,
    /// By contract file: the sheet's name, its first used column and its header.
    sheets: BTreeMap<String, (String, u32, Vec<String>)>,
}

impl SheetMap {
    /// No sheet yet, for the spreadsheet `workbook` as the user gave it.
    pub fn new(workbook: String) -> SheetMap {
        SheetMap {
            workbook,
            sheets: BTreeMap::new(),
        }
    }

    /// Contract file `file` is the sheet `sheet`, whose first used column is `first_col`
    /// (0-based) and whose header row is `headers`.
    pub fn insert(&mut self, file: &str, sheet: String, first_col: u32, headers: Vec<String>) {
        self.sheets
            .insert(file.to_string(), (sheet, first_col, headers));
    }

    /// Rewrite `d`, found in the contract's terms (file, line, header name), in the
    /// spreadsheet's: its file, the sheet, the row and the cell reference; the message and
    /// fix say `sheet projects` for `projects.csv` and `row` for `line`.
    pub fn relocate(&self, d: &mut Diagnostic) {
        if FILES.contains(&d.file.as_str()) {
            let stem = d.file.trim_end_matches(".csv").to_string();
            match self.sheets.get(&d.file) {
                Some((sheet, first_col, headers)) => {
                    if let (Some(line), Some(column)) = (d.line, &d.column) {
                        let idx = headers.iter().position(|h| h == column).or_else(|| {
                            headers.iter().position(|h| h.eq_ignore_ascii_case(column))
                        });
                        if let Some(idx) = idx {
                            d.cell =
                                Some(format!("{}{line}", column_letters(first_col + idx as u32)));
                        }
                    }
                    d.sheet = Some(sheet.clone());
                }
                None => d.sheet = Some(stem),
            }
            d.file = self.workbook.clone();
        }
        d.message = self.words(&d.message);
        d.fix = self.words(&d.fix);
    }

    /// `projects.csv` → `sheet projects` (the sheet's own name when it has one), `line 14`
    /// → `row 14`, `CSV` advice → spreadsheet advice.
    fn words(&self, text: &str) -> String {
        let mut out = text.to_string();
        for file in FILES {
            if out.contains(file) {
                let sheet = self.sheets.get(file).map_or_else(
                    || file.trim_end_matches(".csv").to_string(),
                    |s| s.0.clone(),
                );
                out = out.replace(file, &format!("sheet {sheet}"));
            }
        }
        rows_for_lines(&out)
    }
}

/// `line 14` → `row 14` (only where a number follows).
fn rows_for_lines(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find("line ") {
        let after = &rest[at + 5..];
        let word_start = at == 0 || !rest[..at].ends_with(|c: char| c.is_alphanumeric());
        out.push_str(&rest[..at]);
        if word_start && after.starts_with(|c: char| c.is_ascii_digit()) {
            out.push_str("row ");
        } else {
            out.push_str("line ");
        }
        rest = after;
    }
    out.push_str(rest);
    out
}

/// Spreadsheet column letters of a 0-based column (0 → A, 26 → AA).
pub(crate) fn column_letters(mut col: u32) -> String {
    let mut letters = Vec::new();
    loop {
        letters.push(b'A' + (col % 26) as u8);
        if col < 26 {
            break;
        }
        col = col / 26 - 1;
    }
    letters.reverse();
    String::from_utf8_lossy(&letters).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::{codes, Diags, Loc};

    #[test]
    fn column_letters_count_like_a_spreadsheet() {
        let got: Vec<String> = [0, 2, 25, 26, 27, 51, 52, 701, 702]
            .iter()
            .map(|c| column_letters(*c))
            .collect();
        assert_eq!(got, ["A", "C", "Z", "AA", "AB", "AZ", "BA", "ZZ", "AAA"]);
    }

    #[test]
    fn lines_become_rows_only_before_a_number() {
        assert_eq!(
            rows_for_lines("first on line 3; the change on line 12 (timeline 4, line x)"),
            "first on row 3; the change on row 12 (timeline 4, line x)"
        );
    }

    #[test]
    fn relocates_a_cell_diagnostic() {
        let mut map = SheetMap {
            workbook: "wb.xlsx".into(),
            ..SheetMap::default()
        };
        map.sheets.insert(
            "projects.csv".into(),
            ("Projects".into(), 1, vec!["id".into(), "Cost".into()]),
        );
        let mut diags = Diags::new();
        diags.add(
            codes::NOT_A_NUMBER,
            Loc::cell("projects.csv", 14, "Cost"),
            Some("abc"),
            "project P-1 has Cost 'abc' (first on line 2)",
            "fill in Cost on line 14 of projects.csv",
        );
        diags.in_sheets(map);
        let d = &diags.into_sorted()[0];
        assert_eq!(
            d.to_string(),
            "error[E010]: wb.xlsx sheet Projects row 14, column 'Cost' (C14): project P-1 has Cost 'abc' (first on row 2); fill in Cost on row 14 of sheet Projects"
        );
    }
}
