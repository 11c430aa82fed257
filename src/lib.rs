//! arbiter — a project-portfolio optimiser.
//!
//! Reads a PMO's workbook (a folder of CSV files, see `docs/workbook.md`), validates it,
//! encodes it as a mixed-integer model solved by HiGHS, checks the answer independently, and
//! reports which projects to run, when, and with whose staff.
//!
//! Layers point inward: [`report`] → [`solve`] → [`model`]; [`io`] reads files into the model.
//! The library never prints.

pub mod error;
pub mod generate;
mod human;
pub mod io;
pub mod model;
pub mod report;
pub mod solve;
pub mod validate;

pub use error::{Diagnostic, Error, Result, Severity};
pub use model::{Objective, Workbook};
pub use solve::{solve, Solution, SolveOptions, SolveStatus};
