//! Reading a workbook folder (or spreadsheet) into raw records and diagnostics, and writing
//! outputs.
//!
//! Reading is the first of two passes, so that every problem is reported at once: each file
//! is parsed on its own (`tables`: typed cells, in-file rules) into raw records (`Raw`);
//! `crate::resolve` then resolves them across files (horizon, ids, pools, windows, cycles)
//! and builds the model, and [`crate::load`] composes the two. Reading never calls up: this
//! module imports nothing from resolve or load. The contract is docs/workbook.md, section 1;
//! every diagnostic code is listed in docs/validation.md.

mod ahp;
pub mod baseline;
pub mod convert;
mod csvfile;
pub mod formula;
pub mod grid;
pub mod limits;
mod number;
pub mod output;
pub(crate) mod sheets;
pub(crate) mod tables;
mod zipscan;

use std::path::Path;

use crate::diag::{codes, Diags, Loc};
use csvfile::{Source, Table};
use limits::{Limit, Limits};
pub use sheets::is_spreadsheet;

pub(crate) use crate::diag::FILES;

/// Options of reading.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ReadOptions {
    /// Turn a pairwise consistency ratio above 0.10 into an error.
    pub strict: bool,
}

/// A file's content after its own checks.
#[derive(Debug)]
pub(crate) enum Part<T> {
    /// The file is not in the workbook.
    Absent,
    /// The file exists but could not be read or lacks required columns (reported).
    Broken,
    Read(T),
}

impl<T> Part<T> {
    pub fn read(&self) -> Option<&T> {
        match self {
            Part::Read(t) => Some(t),
            _ => None,
        }
    }

    pub fn is_absent(&self) -> bool {
        matches!(self, Part::Absent)
    }

    pub fn is_broken(&self) -> bool {
        matches!(self, Part::Broken)
    }

    fn parse(source: Source, parse: impl FnOnce(&csvfile::Table) -> Option<T>) -> Part<T> {
        match source {
            Source::Absent => Part::Absent,
            Source::Broken => Part::Broken,
            Source::Present(table) => parse(&table).map_or(Part::Broken, Part::Read),
        }
    }
}

/// Count limits of the contract's files, checked once a file is read and before its rows
/// become records (which take far more memory than its cells): projects in projects.csv,
/// periods in budget.csv and capacity.csv, scenarios in scenarios.csv. False when one is
/// passed (reported): the file then counts as broken, which also keeps the other files'
/// rows from being reported against it in cascade.
pub(crate) fn check_counts(table: &Table, limits: &Limits, diags: &mut Diags) -> bool {
    let (limit, column) = match table.file {
        "projects.csv" => (Limit::Projects, "id"),
        "budget.csv" | "capacity.csv" => (Limit::Periods, "period"),
        "scenarios.csv" => (Limit::Scenarios, "scenario"),
        _ => return true,
    };
    let Some(col) = table.keys.iter().position(|k| k == column) else {
        return true;
    };
    let mut seen = std::collections::BTreeSet::new();
    let max = limits.get(limit);
    for row in &table.rows {
        let Some(value) = row.cells.get(col) else {
            continue;
        };
        if !value.is_empty() && seen.insert(value.as_str()) && seen.len() as u64 > max {
            limits::report(
                diags,
                Loc::line(table.file, row.line),
                limit,
                max,
                &format!(
                    "{} has more than {} {}",
                    table.file,
                    limits::grouped(max),
                    limit.unit()
                ),
            );
            return false;
        }
    }
    true
}

/// Where a workbook's files come from.
enum Origin<'a> {
    /// A folder of CSV files.
    Folder(&'a Path),
    /// One spreadsheet with a sheet per file.
    Book(sheets::Book),
}

impl Origin<'_> {
    /// The file `file`, read within `limits`; its counts (projects, periods, scenarios)
    /// checked against them.
    fn read(&mut self, file: &'static str, limits: &Limits, diags: &mut Diags) -> Source {
        let source = match self {
            Origin::Folder(dir) => csvfile::read(dir, file, limits, diags),
            Origin::Book(book) => book.read(file, diags),
        };
        match source {
            Source::Present(table) if !check_counts(&table, limits, diags) => Source::Broken,
            source => source,
        }
    }
}

/// Every file of the workbook, checked on its own.
#[derive(Debug)]
pub(crate) struct RawWorkbook {
    pub projects: Part<tables::projects::RawProjects>,
    pub drivers: Part<tables::drivers::RawDrivers>,
    pub pairwise: Part<tables::pairwise::RawPairwise>,
    pub budget: Part<tables::budget::RawBudget>,
    pub capacity: Part<tables::capacity::RawCapacity>,
    pub demand: Part<tables::demand::RawDemand>,
    pub costs: Part<tables::costs::RawCosts>,
    pub balance: Part<tables::balance::RawBalance>,
    pub teams: Part<tables::teams::RawTeams>,
    pub limits: Part<tables::limits::RawLimits>,
}

/// A workbook's files, each checked on its own, not yet resolved across files.
#[derive(Debug)]
pub(crate) struct Raw {
    /// The workbook's path as diagnostics show it.
    pub shown: String,
    pub workbook: RawWorkbook,
    pub scenarios: Part<tables::scenarios::RawScenarios>,
}

/// Read and check every file of `dir` (a folder, or the spreadsheet file `dir`, see
/// [`is_spreadsheet`]: one sheet per contract file), recording every problem in `diags`;
/// `None` when `dir` is neither a folder nor a readable spreadsheet (reported).
pub(crate) fn read(dir: &Path, options: &ReadOptions, diags: &mut Diags) -> Option<Raw> {
    let shown = dir.display().to_string();
    let limits = Limits::from_env();
    let mut origin = if dir.is_dir() {
        Origin::Folder(dir)
    } else if is_spreadsheet(dir) && dir.is_file() {
        let book = sheets::open(dir, &limits, diags)?;
        diags.in_sheets(book.map());
        Origin::Book(book)
    } else {
        let (what, how) = match (is_spreadsheet(dir), dir.exists()) {
            (true, _) => ("spreadsheet", "does not exist"),
            (false, true) => ("folder", "is not a folder"),
            (false, false) => ("folder", "does not exist"),
        };
        diags.add(
            codes::FOLDER_MISSING,
            Loc::file(&shown),
            Some(&shown),
            format!("the workbook {what} '{shown}' {how}"),
            "give the path of a folder that holds projects.csv and budget.csv or capacity.csv, or of an .xlsx or .ods file with those sheets",
        );
        return None;
    };
    let projects_src = origin.read("projects.csv", &limits, diags);
    if projects_src.is_absent() {
        diags.add(
            codes::PROJECTS_MISSING,
            Loc::file("projects.csv"),
            None,
            format!("the workbook '{shown}' has no projects.csv"),
            "add projects.csv with at least the columns id and cost",
        );
    }
    let drivers_src = origin.read("drivers.csv", &limits, diags);
    let pairwise_src = origin.read("pairwise.csv", &limits, diags);
    let drivers = Part::parse(drivers_src, |t| tables::drivers::read(t, diags));
    let pairwise = Part::parse(pairwise_src, |t| tables::pairwise::read(t, options, diags));
    // Driver names decide which projects.csv columns are scores, so they come first. With
    // both files (an error reported later) any of their names is a score column.
    let mut driver_names: Vec<String> = Vec::new();
    if let Some(d) = drivers.read() {
        driver_names.extend(d.names.iter().cloned());
    }
    if let Some(p) = pairwise.read() {
        driver_names.extend(p.names.iter().map(|(n, _, _)| n.clone()));
    }
    let projects = Part::parse(projects_src, |t| {
        tables::projects::read(t, &driver_names, diags)
    });
    let budget = Part::parse(origin.read("budget.csv", &limits, diags), |t| {
        tables::budget::read(t, diags)
    });
    let capacity = Part::parse(origin.read("capacity.csv", &limits, diags), |t| {
        tables::capacity::read(t, diags)
    });
    let demand = Part::parse(origin.read("demand.csv", &limits, diags), |t| {
        tables::demand::read(t, diags)
    });
    let costs = Part::parse(origin.read("costs.csv", &limits, diags), |t| {
        tables::costs::read(t, diags)
    });
    let balance = Part::parse(origin.read("balance.csv", &limits, diags), |t| {
        tables::balance::read(t, diags)
    });
    let teams = Part::parse(origin.read("teams.csv", &limits, diags), |t| {
        tables::teams::read(t, diags)
    });
    let count_limits = Part::parse(origin.read("limits.csv", &limits, diags), |t| {
        tables::limits::read(t, diags)
    });
    let raw = RawWorkbook {
        projects,
        drivers,
        pairwise,
        budget,
        capacity,
        demand,
        costs,
        balance,
        teams,
        limits: count_limits,
    };
    let scenarios = Part::parse(origin.read("scenarios.csv", &limits, diags), |t| {
        tables::scenarios::read(t, diags)
    });
    Some(Raw {
        shown,
        workbook: raw,
        scenarios,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::io::csvfile::{Row, Table};

    fn table(file: &'static str, column: &str, values: &[&str]) -> Table {
        Table {
            file,
            delimiter: b',',
            header_line: 1,
            headers: vec![column.to_string()],
            keys: vec![column.to_string()],
            rows: values
                .iter()
                .enumerate()
                .map(|(i, v)| Row {
                    line: i + 2,
                    cells: vec![v.to_string()],
                })
                .collect(),
        }
    }

    #[test]
    fn counts_past_a_limit_are_one_error_naming_the_variable() {
        let limits = Limits {
            periods: 2,
            ..Limits::default()
        };
        let mut diags = Diags::new();
        // A period given twice counts once.
        assert!(check_counts(
            &table("budget.csv", "period", &["Q1", "Q1", "Q2"]),
            &limits,
            &mut diags,
        ));
        assert!(!diags.has_errors());
        assert!(!check_counts(
            &table("budget.csv", "period", &["Q1", "Q2", "Q3", "Q4"]),
            &limits,
            &mut diags,
        ));
        let list = diags.into_sorted();
        assert_eq!(list.len(), 1);
        assert_eq!(list[0].code, codes::INPUT_LIMIT);
        assert_eq!(list[0].line, Some(4));
        assert!(
            list[0]
                .message
                .contains("budget.csv has more than 2 periods"),
            "{}",
            list[0]
        );
        assert!(list[0].fix.contains("ARBITER_MAX_PERIODS"), "{}", list[0]);
    }
}
