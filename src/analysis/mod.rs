//! Decision support built on re-solves: the true ranking of a portfolio (criticality and
//! regret), the analyses that vary one input across a range, and the Monte Carlo
//! robustness of the portfolio under three-point estimates. Each re-solve is an
//! ordinary [`crate::solve`] of a changed workbook, run in parallel by [`crate::parallel`].

pub mod frontier;
pub mod rank;
pub mod replan;
pub mod sensitivity;
pub mod uncertainty;

pub use frontier::{frontier, Frontier, Point};
pub use rank::{rank, rank_fast, Impact, Ranking, Takes};
pub use replan::{keep_moved, Keep};
pub use sensitivity::{sensitivity, End, Interval};
pub use uncertainty::{uncertainty, uncertainty_with_progress, Uncertainty, UncertaintyOptions};

use crate::model::Starts;

/// What changes from portfolio `base` to `other`: the projects that enter (selected in
/// `other` only) and those that leave (selected in `base` only), in project order.
pub(crate) fn moves(base: &Starts, other: &Starts) -> (Vec<usize>, Vec<usize>) {
    let selected = |starts: &Starts, p: usize| starts.get(p).is_some_and(Option::is_some);
    let enters = (0..base.len())
        .filter(|&p| !selected(base, p) && selected(other, p))
        .collect();
    let leaves = (0..base.len())
        .filter(|&p| selected(base, p) && !selected(other, p))
        .collect();
    (enters, leaves)
}
