//! arbiter — a project-portfolio optimiser.
//!
//! Reads a PMO's workbook (a folder of CSV files, see `docs/workbook.md`), validates it,
//! encodes it as a mixed-integer model solved by HiGHS, checks the answer independently, and
//! reports which projects to run, when, and with whose staff.
//!
//! Layers point inward: [`batch`] → [`report`] → [`analysis`] → [`solve`] → [`rules`] →
//! [`model`]; [`load`] composes [`io`] (reading files into raw records) and resolving them
//! into the model; [`diag`] (the diagnostics) and [`parallel`] (the one rayon helper) are
//! leaves every layer may use. docs/architecture.md draws the layers.
//! The library never prints.
//!
//! # Example
//!
//! Two projects compete for one quarter's budget of 100; the more valuable one wins.
//!
//! ```
//! use arbiter::model::{Project, Workbook};
//! use arbiter::{solve, SolveOptions, SolveStatus};
//!
//! let workbook = Workbook {
//!     periods: vec!["2027-Q1".into()],
//!     projects: vec![
//!         Project::candidate("CRM", 80.0, 1, 50.0, 0),
//!         Project::candidate("ERP", 70.0, 1, 40.0, 0),
//!     ],
//!     budget_total: vec![Some(100.0)],
//!     ..Workbook::default()
//! };
//! let solution = solve(&workbook, &SolveOptions::default())?;
//! assert_eq!(solution.status, SolveStatus::Optimal);
//! assert_eq!(solution.starts, vec![Some(0), None]);
//! assert_eq!(solution.objective, Some(50.0));
//!
//! // Reading a workbook folder instead:
//! // let loaded = arbiter::read_workbook(Path::new("fixtures/demo"), &Default::default())?;
//! # Ok::<(), arbiter::Error>(())
//! ```

pub mod analysis;
pub mod batch;
pub mod diag;
pub mod error;
pub mod generate;
mod human;
pub mod import;
pub mod io;
pub mod load;
pub mod model;
pub mod parallel;
pub mod report;
mod resolve;
pub mod rules;
pub mod scenario;
pub mod solve;

pub use error::{Diagnostic, Error, Result, Severity};
pub use load::{read_workbook, Loaded};
pub use model::{Objective, Workbook};
pub use solve::{solve, Solution, SolveOptions, SolveStatus};
