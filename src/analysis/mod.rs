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

use crate::model::{Starts, Workbook};

/// The projects a portfolio selects, by index, in project order.
pub(crate) fn selected(starts: &Starts) -> impl Iterator<Item = usize> + '_ {
    starts
        .iter()
        .enumerate()
        .filter(|(_, s)| s.is_some())
        .map(|(p, _)| p)
}

/// The ids of `projects` (indices into `workbook.projects`), in the order given: the one
/// way the analyses and the report turn a list of projects into the ids they show.
pub(crate) fn ids(workbook: &Workbook, projects: impl IntoIterator<Item = usize>) -> Vec<&str> {
    projects
        .into_iter()
        .map(|p| workbook.projects[p].id.as_str())
        .collect()
}

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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Project;

    #[test]
    fn ids_and_moves_follow_project_order() {
        let wb = Workbook {
            periods: vec!["Q1".into()],
            projects: ["A", "B", "C"]
                .iter()
                .map(|id| Project::candidate(id, 1.0, 1, 1.0, 0))
                .collect(),
            ..Workbook::default()
        };
        let base = vec![Some(0), None, Some(0)];
        let other = vec![None, Some(0), Some(0)];
        assert_eq!(ids(&wb, selected(&base)), ["A", "C"]);
        assert_eq!(ids(&wb, [2, 0]), ["C", "A"]);
        assert_eq!(moves(&base, &other), (vec![1], vec![0]));
    }
}
