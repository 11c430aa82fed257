//! `arbiter import`: a PPM tool's export (MS Project, Jira, Smartsheet, monday.com, a
//! French Excel sheet; CSV or XLSX) turned into a workbook of the contract
//! (docs/workbook.md) through a mapping (`mapping`: a built-in profile or the user's TOML
//! file). docs/import.md documents the profiles and every rule.
//!
//! The import is three steps, each its own file: `table` finds the header and reads each
//! row into a record (classifying the rows that are not projects: summaries, totals,
//! group titles, skipped types and statuses); `build` turns the records into projects
//! (values, dates to periods, links, hierarchy) and the workbook's CSV files; the value
//! parsers (`money`, `duration`, `dates`, `links`) are pure functions of a cell's text.
//! Nothing is written here: [`import`] returns the files, the caller writes them
//! atomically, and every dropped or guessed cell is a [`Message`] naming its row.

pub mod build;
pub mod dates;
pub mod duration;
pub mod hierarchy;
pub mod links;
pub mod mapping;
pub mod money;
pub mod placement;
pub mod project;
pub mod resources;
pub mod rollup;
#[cfg(test)]
mod roundtrip;
pub mod table;

use std::fmt;

pub use mapping::{parse as parse_mapping, profile_text, Mapping, PROFILES};

/// The options of one import, besides the mapping.
#[derive(Debug, Clone, PartialEq)]
pub struct Options {
    /// Months per period: 3 (quarters) or 1 (months).
    pub period_months: u32,
    /// The first month of the fiscal year, 1 to 12.
    pub fiscal_start: u32,
    /// Overrides the mapping's date order.
    pub date_order: Option<dates::Order>,
    /// The first period of the horizon: the period of this date (else the earliest start).
    pub start: Option<dates::Date>,
    /// A total budget per period, written to budget.csv (else budget.csv only names the
    /// periods: no cap).
    pub budget: Option<f64>,
    /// A start date fixes the start (latest_start = earliest_start), not only the earliest.
    pub keep_dates: bool,
    /// The outline level whose rows are the projects (their children roll up into them).
    pub level: Option<i64>,
}

impl Default for Options {
    fn default() -> Options {
        Options {
            period_months: 3,
            fiscal_start: 1,
            date_order: None,
            start: None,
            budget: None,
            keep_dates: false,
            level: None,
        }
    }
}

/// A warning or an error of the import, about a row (and a column, a value) of the export.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message {
    /// The row's line in the export (CSV line or spreadsheet row), when about a row.
    pub row: Option<usize>,
    pub column: Option<String>,
    pub value: Option<String>,
    /// What is wrong or what was done.
    pub text: String,
    /// What the user can do about it (may be empty for a warning that needs nothing).
    pub fix: String,
}

impl Message {
    pub fn new(row: Option<usize>, text: impl Into<String>, fix: impl Into<String>) -> Message {
        Message {
            row,
            column: None,
            value: None,
            text: text.into(),
            fix: fix.into(),
        }
    }

    /// The same message about the cell in `column` holding `value`.
    pub fn at(mut self, column: &str, value: &str) -> Message {
        self.column = Some(column.to_string());
        self.value = Some(value.to_string());
        self
    }
}

impl fmt::Display for Message {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut place = Vec::new();
        if let Some(row) = self.row {
            place.push(format!("row {row}"));
        }
        if let Some(column) = &self.column {
            place.push(format!("column '{column}'"));
        }
        if let Some(value) = &self.value {
            place.push(format!("value '{value}'"));
        }
        if !place.is_empty() {
            write!(f, "{}: ", place.join(", "))?;
        }
        write!(f, "{}", self.text)?;
        if !self.fix.is_empty() {
            write!(f, "; {}", self.fix)?;
        }
        Ok(())
    }
}

/// A finished import: the workbook's files (name, bytes), what was mapped (lines for the
/// user) and the warnings.
#[derive(Debug, Clone, PartialEq)]
pub struct Imported {
    pub files: Vec<(String, Vec<u8>)>,
    pub mapped: Vec<String>,
    pub warnings: Vec<Message>,
}

/// Import an export read as a grid (`crate::io::grid`), with an optional resource sheet.
/// `Err` holds every error found (and no file is produced).
pub fn import(
    grid: &crate::io::grid::Grid,
    resource_sheet: Option<&crate::io::grid::Grid>,
    mapping: &Mapping,
    options: &Options,
) -> Result<Imported, Vec<Message>> {
    let read = table::read(grid, mapping)?;
    let pools = match resource_sheet {
        Some(sheet) => Some(resources::read(sheet, &mapping.resources)?),
        None => None,
    };
    build::build(read, pools, mapping, options)
}
