//! Each workbook file on its own, one reader per file: its columns, its cells typed
//! (numbers, integers, statuses, id lists), its in-file rules (required fields, duplicate
//! keys, three-point order, AHP). What needs another file (periods, ids, pools, driver
//! columns) is left to [`crate::resolve`], which gets these raw, still unresolved records.
//!
//! This module holds what the readers share: the typed reading of a cell ([`Cells`]), the
//! report of a duplicate key, the header names as written ([`Headers`]) and the driver-name
//! key.

pub(crate) mod balance;
pub(crate) mod budget;
pub(crate) mod capacity;
pub(crate) mod costs;
pub(crate) mod demand;
pub(crate) mod drivers;
pub(crate) mod limits;
pub(crate) mod pairwise;
pub(crate) mod projects;
pub(crate) mod scenarios;
pub(crate) mod teams;

use std::collections::BTreeMap;

use crate::diag::{codes, Diags, Loc};
use crate::io::csvfile::{Row, Table};
use crate::io::number::{parse_number, NumberError};

/// Longest duration (and so highest offset) accepted, in periods: a guard against a typo
/// such as `1e9` turning into a billion-entry cost profile.
pub(crate) const MAX_DURATION: usize = 100_000;

/// Header names as written, by lowercase key, so that cross-file diagnostics can name a
/// column the way the user wrote it.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Headers(BTreeMap<String, String>);

impl Headers {
    fn of(table: &Table) -> Headers {
        Headers(
            table
                .keys
                .iter()
                .zip(&table.headers)
                .map(|(k, h)| (k.clone(), h.clone()))
                .collect(),
        )
    }

    /// The header as written for `key`, or `key` itself.
    pub fn get(&self, key: &str) -> String {
        self.0.get(key).cloned().unwrap_or_else(|| key.to_string())
    }
}

/// Driver names ignore case, spaces, `-` and `_`, as status values do.
pub(crate) fn driver_key(name: &str) -> String {
    name.trim()
        .chars()
        .filter(|c| !matches!(c, ' ' | '-' | '_'))
        .flat_map(char::to_lowercase)
        .collect()
}

// ---------------------------------------------------------------------------------------
// Typed cells.

/// A cell read as a typed value.
enum Field<T> {
    /// The cell is empty (or the column is absent).
    Empty,
    /// The cell is wrong; the problem has been reported.
    Bad,
    Ok(T),
}

impl<T> Field<T> {
    /// The value, or `default` when the cell is empty; `None` when it is wrong.
    fn or(self, default: T) -> Option<T> {
        match self {
            Field::Empty => Some(default),
            Field::Bad => None,
            Field::Ok(v) => Some(v),
        }
    }

    /// `Some(None)` when the cell is empty, `Some(Some(v))` when read, `None` when wrong.
    fn optional(self) -> Option<Option<T>> {
        match self {
            Field::Empty => Some(None),
            Field::Bad => None,
            Field::Ok(v) => Some(Some(v)),
        }
    }
}

/// What a number must be.
#[derive(Clone, Copy, PartialEq)]
enum Range {
    Any,
    NonNegative,
    Share,
    /// (0, 1]: a team's efficiency on a skill.
    Efficiency,
    /// (0, 1]: the least share at which a project may be funded.
    MinShare,
}

/// The largest number a cell may hold (in absolute value).
const MAX_MAGNITUDE: f64 = 1e15;

/// Reading the cells of one table, reporting against its file name.
struct Cells<'a> {
    table: &'a Table,
}

impl<'a> Cells<'a> {
    fn col(&self, key: &str) -> Option<usize> {
        self.table.col(key)
    }

    fn text<'r>(&self, row: &'r Row, idx: Option<usize>) -> &'r str {
        self.table.cell(row, idx)
    }

    fn loc(&self, row: &Row, idx: usize) -> Loc {
        Loc::cell(self.table.file, row.line, self.table.header(idx))
    }

    /// A number in column `idx`; `subject` names the thing ("project P-1").
    fn number(
        &self,
        row: &Row,
        idx: Option<usize>,
        subject: &str,
        range: Range,
        diags: &mut Diags,
    ) -> Field<f64> {
        let Some(idx) = idx else {
            return Field::Empty;
        };
        let text = self.text(row, Some(idx));
        if text.is_empty() {
            return Field::Empty;
        }
        let column = self.table.header(idx);
        match parse_number(text, self.table.decimal_comma()) {
            Ok(v) => {
                let (ok, rule) = match range {
                    // Beyond this a solver treats a coefficient as infinite; no budget, cost
                    // or FTE is that large.
                    _ if v.abs() > MAX_MAGNITUDE => (false, "at most 1e15 in size"),
                    Range::Any => (true, ""),
                    Range::NonNegative => (v >= 0.0, "a number ≥ 0"),
                    Range::Share => ((0.0..=1.0).contains(&v), "a number between 0 and 1"),
                    Range::Efficiency => (
                        v > 0.0 && v <= 1.0,
                        "above 0 and at most 1 (1 = one FTE of the team covers one FTE of the skill)",
                    ),
                    Range::MinShare => (
                        v > 0.0 && v <= 1.0,
                        "above 0 and at most 1 (the least share of the project that may be funded; leave it empty for whole or nothing)",
                    ),
                };
                if ok {
                    Field::Ok(v)
                } else {
                    diags.add(
                        codes::OUT_OF_RANGE,
                        self.loc(row, idx),
                        Some(text),
                        format!("{subject} has {column} '{text}'"),
                        format!("{column} must be {rule}"),
                    );
                    Field::Bad
                }
            }
            Err(err) => {
                let what = match err {
                    NumberError::NotANumber => "not a number",
                    NumberError::NotFinite => "not a finite number",
                };
                let hint = if self.table.decimal_comma() {
                    "e.g. 1234.5, 1234,5 or 1 234,5"
                } else {
                    "e.g. 1234.5 or 1,234.5 (in a comma-separated file the decimal mark is '.')"
                };
                diags.add(
                    codes::NOT_A_NUMBER,
                    self.loc(row, idx),
                    Some(text),
                    format!("{subject} has {column} '{text}', which is {what}"),
                    format!("write {column} as a number, {hint}"),
                );
                Field::Bad
            }
        }
    }

    /// An integer ≥ `min` (and ≤ [`MAX_DURATION`]) in column `idx`.
    fn integer(
        &self,
        row: &Row,
        idx: Option<usize>,
        subject: &str,
        min: usize,
        diags: &mut Diags,
    ) -> Field<usize> {
        let Some(idx) = idx else {
            return Field::Empty;
        };
        let text = self.text(row, Some(idx));
        if text.is_empty() {
            return Field::Empty;
        }
        let column = self.table.header(idx);
        match parse_number(text, self.table.decimal_comma()) {
            Ok(v) if v.fract() == 0.0 && v >= min as f64 && v <= MAX_DURATION as f64 => {
                Field::Ok(v as usize)
            }
            _ => {
                diags.add(
                    codes::NOT_INTEGER,
                    self.loc(row, idx),
                    Some(text),
                    format!("{subject} has {column} '{text}', which is not a whole number ≥ {min}"),
                    format!("{column} must be a whole number from {min} to {MAX_DURATION}"),
                );
                Field::Bad
            }
        }
    }

    /// A yes/no cell (`yes`/`no`, `true`/`false`, `1`/`0`, `oui`/`non`, any case); empty or
    /// absent is no. A wrong cell is reported and read as no.
    fn yes_no(&self, row: &Row, idx: Option<usize>, subject: &str, diags: &mut Diags) -> bool {
        let text = self.text(row, idx);
        match text.to_lowercase().as_str() {
            "" | "no" | "n" | "false" | "0" | "non" => false,
            "yes" | "y" | "true" | "1" | "oui" => true,
            _ => {
                if let Some(idx) = idx {
                    let column = self.table.header(idx);
                    diags.add(
                        codes::NOT_YES_NO,
                        self.loc(row, idx),
                        Some(text),
                        format!("{subject} has {column} '{text}', which is neither yes nor no"),
                        format!("write {column} as yes or no (empty = no)"),
                    );
                }
                false
            }
        }
    }

    /// A required text cell; reports it when empty.
    fn required_text(
        &self,
        row: &Row,
        key: &str,
        subject: &str,
        diags: &mut Diags,
    ) -> Option<String> {
        let idx = self.col(key)?;
        let text = self.text(row, Some(idx));
        if text.is_empty() {
            self.report_empty(row, idx, subject, diags);
            None
        } else {
            Some(text.to_string())
        }
    }

    fn report_empty(&self, row: &Row, idx: usize, subject: &str, diags: &mut Diags) {
        let column = self.table.header(idx);
        diags.add(
            codes::EMPTY_FIELD,
            self.loc(row, idx),
            None,
            format!("{subject} has no {column}"),
            format!(
                "fill in {column} on line {} of {}",
                row.line, self.table.file
            ),
        );
    }

    /// A required field: reports an empty cell, passes a wrong one through as `None`.
    fn required<T>(
        &self,
        field: Field<T>,
        row: &Row,
        key: &str,
        subject: &str,
        diags: &mut Diags,
    ) -> Option<T> {
        match field {
            Field::Ok(v) => Some(v),
            Field::Bad => None,
            Field::Empty => {
                if let Some(idx) = self.col(key) {
                    self.report_empty(row, idx, subject, diags);
                }
                None
            }
        }
    }
}

/// Report a second row for a key already seen on `first_line`.
fn duplicate(diags: &mut Diags, loc: Loc, value: &str, what: String, first_line: usize, fix: &str) {
    diags.add(
        codes::DUPLICATE_KEY,
        loc,
        Some(value),
        format!("{what} is given twice (first on line {first_line})"),
        fix.to_string(),
    );
}

/// Test support for the readers: `text` parsed as the CSV file `file` and given to `read`;
/// the records (`None` when the reader refused the file) and every diagnostic, sorted.
#[cfg(test)]
fn read_text<T>(
    file: &'static str,
    text: &str,
    read: impl FnOnce(&Table, &mut Diags) -> Option<T>,
) -> (Option<T>, Vec<crate::diag::Diagnostic>) {
    let mut diags = Diags::new();
    let crate::io::csvfile::Source::Present(table) =
        crate::io::csvfile::parse(file, text.as_bytes(), &mut diags)
    else {
        panic!("{file} is not a table: {:?}", diags.into_sorted())
    };
    let records = read(&table, &mut diags);
    (records, diags.into_sorted())
}

/// Where each diagnostic of `list` sits: its code, line and column.
#[cfg(test)]
fn spots(list: &[crate::diag::Diagnostic]) -> Vec<(&'static str, Option<usize>, Option<&str>)> {
    list.iter()
        .map(|d| (d.code, d.line, d.column.as_deref()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(table: &Table) -> &Row {
        &table.rows[0]
    }

    fn table(text: &str) -> Table {
        let mut diags = Diags::new();
        match crate::io::csvfile::parse("projects.csv", text.as_bytes(), &mut diags) {
            crate::io::csvfile::Source::Present(t) => t,
            _ => panic!("not a table"),
        }
    }

    #[test]
    fn numbers_are_checked_against_their_range() {
        let t = table("id,a,b,c,d,e\nP,-1,1.5,0,1e16,\n");
        let c = Cells { table: &t };
        let mut diags = Diags::new();
        let r = row(&t);
        assert!(matches!(
            c.number(r, c.col("a"), "project P", Range::Any, &mut diags),
            Field::Ok(v) if v == -1.0
        ));
        assert!(matches!(
            c.number(r, c.col("a"), "project P", Range::NonNegative, &mut diags),
            Field::Bad
        ));
        assert!(matches!(
            c.number(r, c.col("b"), "project P", Range::Share, &mut diags),
            Field::Bad
        ));
        assert!(matches!(
            c.number(r, c.col("c"), "project P", Range::Efficiency, &mut diags),
            Field::Bad
        ));
        assert!(matches!(
            c.number(r, c.col("d"), "project P", Range::Any, &mut diags),
            Field::Bad
        ));
        assert!(matches!(
            c.number(r, c.col("e"), "project P", Range::Any, &mut diags),
            Field::Empty
        ));
        assert!(matches!(
            c.number(r, None, "project P", Range::Any, &mut diags),
            Field::Empty
        ));
        let list = diags.into_sorted();
        assert_eq!(
            spots(&list),
            [
                (codes::OUT_OF_RANGE, Some(2), Some("a")),
                (codes::OUT_OF_RANGE, Some(2), Some("b")),
                (codes::OUT_OF_RANGE, Some(2), Some("c")),
                (codes::OUT_OF_RANGE, Some(2), Some("d")),
            ]
        );
        assert_eq!(list[0].message, "project P has a '-1'");
        assert_eq!(list[0].fix, "a must be a number ≥ 0");
        assert_eq!(list[3].fix, "d must be at most 1e15 in size");
    }

    #[test]
    fn integers_are_whole_and_at_least_their_minimum() {
        let t = table("id,a,b,c,d\nP,2,2.5,0,200000\n");
        let c = Cells { table: &t };
        let mut diags = Diags::new();
        let r = row(&t);
        assert!(matches!(
            c.integer(r, c.col("a"), "project P", 1, &mut diags),
            Field::Ok(2)
        ));
        for col in ["b", "c", "d"] {
            assert!(matches!(
                c.integer(r, c.col(col), "project P", 1, &mut diags),
                Field::Bad
            ));
        }
        let list = diags.into_sorted();
        assert_eq!(
            spots(&list),
            [
                (codes::NOT_INTEGER, Some(2), Some("b")),
                (codes::NOT_INTEGER, Some(2), Some("c")),
                (codes::NOT_INTEGER, Some(2), Some("d")),
            ]
        );
        assert_eq!(list[2].fix, "d must be a whole number from 1 to 100000");
    }

    #[test]
    fn required_cells_report_empty_ones_once() {
        let t = table("id,cost\nP,\n");
        let c = Cells { table: &t };
        let mut diags = Diags::new();
        let r = row(&t);
        assert_eq!(
            c.required_text(r, "id", "a project", &mut diags),
            Some("P".into())
        );
        let field = c.number(r, c.col("cost"), "project P", Range::Any, &mut diags);
        assert_eq!(c.required(field, r, "cost", "project P", &mut diags), None);
        let list = diags.into_sorted();
        assert_eq!(spots(&list), [(codes::EMPTY_FIELD, Some(2), Some("cost"))]);
        assert_eq!(list[0].message, "project P has no cost");
        assert_eq!(list[0].fix, "fill in cost on line 2 of projects.csv");
    }

    #[test]
    fn headers_keep_the_spelling_of_the_file_and_driver_keys_ignore_it() {
        let h = Headers::of(&table("ID,Cost Low\nP,1\n"));
        assert_eq!(h.get("id"), "ID");
        assert_eq!(h.get("cost low"), "Cost Low");
        assert_eq!(h.get("value"), "value");
        assert_eq!(driver_key(" Strategic-Fit_2 "), "strategicfit2");
        assert_eq!(driver_key("cost saving"), driver_key("COST_SAVING"));
    }
}
