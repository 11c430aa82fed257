//! Limits on what a workbook may hold, so that no input — a zip bomb, a sheet with a cell
//! at XFD1048576, a million-row file, a line of a gigabyte — can make a reader take
//! unbounded memory or time. Past a limit, reading stops with error E043 naming the file,
//! the limit and the flag (`--limit NAME=N`) or environment variable that raises it; the defaults sit far above any
//! real portfolio (see docs/reliability.md).
//!
//! The limits are read from the environment (`ARBITER_MAX_…`) when a workbook is read,
//! so that every command and every way in (CLI, library, batch) applies the same ones; the
//! command line's `--limit NAME=N` sets that variable for its run.

use crate::diag::{codes, Diags, Loc};

/// The limits of one read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Bytes of one CSV file; bytes of a spreadsheet once decompressed (all its parts).
    pub input_bytes: u64,
    /// Bytes of one line of a CSV file.
    pub line_bytes: u64,
    /// Rows of one file or sheet (the header included).
    pub rows: u64,
    /// Cells of one file or sheet: rows × columns of its used range.
    pub cells: u64,
    /// Projects of projects.csv.
    pub projects: u64,
    /// Periods of budget.csv or of capacity.csv.
    pub periods: u64,
    /// Scenarios of scenarios.csv.
    pub scenarios: u64,
}

/// One limit: its name in messages, its environment variable, its default.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Limit {
    InputBytes,
    LineBytes,
    Rows,
    Cells,
    Projects,
    Periods,
    Scenarios,
}

impl Limit {
    pub const ALL: [Limit; 7] = [
        Limit::InputBytes,
        Limit::LineBytes,
        Limit::Rows,
        Limit::Cells,
        Limit::Projects,
        Limit::Periods,
        Limit::Scenarios,
    ];

    /// The environment variable that sets this limit.
    pub fn env(self) -> &'static str {
        match self {
            Limit::InputBytes => "ARBITER_MAX_INPUT_BYTES",
            Limit::LineBytes => "ARBITER_MAX_LINE_BYTES",
            Limit::Rows => "ARBITER_MAX_ROWS",
            Limit::Cells => "ARBITER_MAX_CELLS",
            Limit::Projects => "ARBITER_MAX_PROJECTS",
            Limit::Periods => "ARBITER_MAX_PERIODS",
            Limit::Scenarios => "ARBITER_MAX_SCENARIOS",
        }
    }

    /// Its name for the command line's `--limit NAME=N` (`input-bytes`, `rows`, …).
    pub fn flag(self) -> &'static str {
        match self {
            Limit::InputBytes => "input-bytes",
            Limit::LineBytes => "line-bytes",
            Limit::Rows => "rows",
            Limit::Cells => "cells",
            Limit::Projects => "projects",
            Limit::Periods => "periods",
            Limit::Scenarios => "scenarios",
        }
    }

    /// The limit named `name` on the command line, if any.
    pub fn from_flag(name: &str) -> Option<Limit> {
        Limit::ALL.into_iter().find(|l| l.flag() == name.trim())
    }

    /// What the limit counts, for messages (`bytes`, `rows`, …).
    pub fn unit(self) -> &'static str {
        match self {
            Limit::InputBytes | Limit::LineBytes => "bytes",
            Limit::Rows => "rows",
            Limit::Cells => "cells",
            Limit::Projects => "projects",
            Limit::Periods => "periods",
            Limit::Scenarios => "scenarios",
        }
    }

    /// The default: 256 MiB of input, 1 MiB a line, 1,000,000 rows and 5,000,000 cells a
    /// file, 100,000 projects, 1,000 periods, 10,000 scenarios.
    pub fn default_value(self) -> u64 {
        match self {
            Limit::InputBytes => 256 << 20,
            Limit::LineBytes => 1 << 20,
            Limit::Rows => 1_000_000,
            Limit::Cells => 5_000_000,
            Limit::Projects => 100_000,
            Limit::Periods => 1_000,
            Limit::Scenarios => 10_000,
        }
    }
}

impl Default for Limits {
    fn default() -> Limits {
        let mut limits = Limits {
            input_bytes: 0,
            line_bytes: 0,
            rows: 0,
            cells: 0,
            projects: 0,
            periods: 0,
            scenarios: 0,
        };
        for limit in Limit::ALL {
            *limits.slot(limit) = limit.default_value();
        }
        limits
    }
}

impl Limits {
    fn slot(&mut self, limit: Limit) -> &mut u64 {
        match limit {
            Limit::InputBytes => &mut self.input_bytes,
            Limit::LineBytes => &mut self.line_bytes,
            Limit::Rows => &mut self.rows,
            Limit::Cells => &mut self.cells,
            Limit::Projects => &mut self.projects,
            Limit::Periods => &mut self.periods,
            Limit::Scenarios => &mut self.scenarios,
        }
    }

    /// The value of `limit`.
    pub fn get(&self, limit: Limit) -> u64 {
        let mut copy = *self;
        *copy.slot(limit)
    }

    /// The defaults, each replaced by its environment variable when that is set to a whole
    /// number (`_` separators allowed: `ARBITER_MAX_ROWS=2_000_000`). A value that is not
    /// one is ignored, as an unset variable would be.
    pub fn from_env() -> Limits {
        let mut limits = Limits::default();
        for limit in Limit::ALL {
            if let Some(value) = std::env::var(limit.env())
                .ok()
                .and_then(|v| v.trim().replace('_', "").parse::<u64>().ok())
            {
                *limits.slot(limit) = value;
            }
        }
        limits
    }
}

/// A number with `,` every three digits, for messages.
pub(crate) fn grouped(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// Report that `what` (e.g. `projects.csv has more than 1,000,000 rows`) is over `limit`.
pub(crate) fn report(diags: &mut Diags, loc: Loc, limit: Limit, value: u64, what: &str) {
    diags.add(
        codes::INPUT_LIMIT,
        loc,
        None,
        format!(
            "{what}; the limit is {} {}",
            grouped(value),
            limit.unit()
        ),
        format!(
            "make the file smaller, or raise the limit with --limit {}=<{}> (or the environment variable {}) if the input is meant to be that large",
            limit.flag(),
            limit.unit(),
            limit.env()
        ),
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_are_far_above_real_workbooks() {
        let limits = Limits::default();
        assert_eq!(limits.input_bytes, 268_435_456);
        assert_eq!(limits.rows, 1_000_000);
        assert_eq!(limits.get(Limit::Scenarios), 10_000);
        assert_eq!(grouped(268_435_456), "268,435,456");
        assert_eq!(grouped(12), "12");
    }

    #[test]
    fn every_limit_has_a_flag_name() {
        for limit in Limit::ALL {
            assert_eq!(Limit::from_flag(limit.flag()), Some(limit));
        }
        assert_eq!(Limit::from_flag("lines"), None);
    }
}
