//! Decision support built on re-solves: the true ranking of a portfolio (criticality and
//! regret), the analyses that vary one input across a range, and the Monte Carlo
//! robustness of the portfolio under three-point estimates. Each re-solve is an
//! ordinary [`crate::solve`] of a changed workbook, run in parallel on the scenario runner.

pub mod frontier;
pub mod rank;
pub mod sensitivity;
pub mod uncertainty;

pub use frontier::{frontier, Frontier, Point};
pub use rank::{rank, rank_fast, Impact, Ranking, Takes};
pub use sensitivity::{sensitivity, End, Interval};
pub use uncertainty::{uncertainty, Uncertainty, UncertaintyOptions};
