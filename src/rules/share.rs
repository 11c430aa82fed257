//! Partial funding (projects.csv `min_share`): a project that may be funded in part gets,
//! beside each of its start columns x, a continuous share y with `min_share · x ≤ y ≤ x`.
//! Its cost profile, value, scores and staff demand count `y` times their full amount (the
//! budget, capacity, teams and balance rows and the objective use y in place of x), while
//! the logical rules — start once, links, count limits — use x: a partly funded project is
//! selected, and counts as one.
//!
//! A portfolio with shares is checked as the workbook with each project scaled to its share
//! ([`crate::model::Workbook::at_shares`]) by every other rule, plus [`check_shares`]: each
//! selected project's share lies between its `min_share` (1 for a whole-only project) and 1.

use super::words::id;
use super::{selected, Encode, Encoding, Row, Rule, Tag, Violation, INF, TOLERANCE};
use crate::human::percent;
use crate::model::{Starts, Workbook};

/// A partly funded project's share in one of its columns: the continuous variable
/// `columns.len() + i` for the `i`-th entry, in 0…1.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct ShareVar {
    /// The start column it scales.
    pub column: usize,
    pub project: usize,
    /// The least share when the column is chosen.
    pub min: f64,
}

/// One share variable per column of every partly funded project, in column order.
pub(crate) fn variables(workbook: &Workbook, columns: &[(usize, usize)]) -> Vec<ShareVar> {
    columns
        .iter()
        .enumerate()
        .filter_map(|(j, &(p, _))| {
            let project = &workbook.projects[p];
            project.is_partial().then(|| ShareVar {
                column: j,
                project: p,
                min: project.min_share.unwrap_or(1.0),
            })
        })
        .collect()
}

pub(crate) const RULE: Rule = Rule {
    encode: Encode::Whole(encode),
    check,
};

/// min · x_j ≤ y ≤ x_j for each share variable y of column j.
fn encode(model: &mut Encoding) {
    let first = model.columns.len();
    for (i, share) in model.shares.iter().enumerate() {
        let y = first + i;
        let tag = Tag::Share {
            project: share.project,
        };
        model.rows.push(Row {
            tag,
            terms: vec![(y, 1.0), (share.column, -share.min)],
            lower: 0.0,
            upper: INF,
        });
        model.rows.push(Row {
            tag,
            terms: vec![(y, 1.0), (share.column, -1.0)],
            lower: -INF,
            upper: 0.0,
        });
    }
}

/// Shares are not part of the starts: [`check_shares`] checks them.
fn check(_: &Workbook, _: &Starts, _: &mut Vec<Violation>) {}

/// Every selected project whose share is outside its allowed range: from its `min_share`
/// (1 when it may not be funded in part) to 1.
pub fn check_shares(workbook: &Workbook, starts: &Starts, shares: &[f64]) -> Vec<Violation> {
    let mut found = Vec::new();
    for (p, _) in selected(workbook, starts) {
        let share = shares.get(p).copied().unwrap_or(1.0);
        let project = &workbook.projects[p];
        let least = project.min_share.unwrap_or(1.0);
        if share < least - TOLERANCE || share > 1.0 + TOLERANCE || !share.is_finite() {
            found.push(Violation::rule(
                Tag::Share { project: p },
                format!(
                    "{} is funded at {}, outside {} to 100%",
                    id(workbook, p),
                    percent(share),
                    percent(least)
                ),
            ));
        }
    }
    found
}

/// For the reasons of a selected project funded in part: "funded at 45% (at least 10%)";
/// `None` when it is funded whole.
pub(crate) fn reason_in(workbook: &Workbook, p: usize, share: f64) -> Option<String> {
    let project = workbook.projects.get(p)?;
    (project.is_partial() && share < 1.0 - TOLERANCE).then(|| {
        format!(
            "funded at {} (at least {})",
            percent(share),
            percent(project.min_share.unwrap_or(1.0))
        )
    })
}

pub(crate) fn describe(workbook: &Workbook, tag: &Tag) -> String {
    match *tag {
        Tag::Share { project } => {
            let least = workbook
                .projects
                .get(project)
                .and_then(|p| p.min_share)
                .unwrap_or(1.0);
            format!(
                "{} is funded between {} and 100% of it",
                id(workbook, project),
                percent(least)
            )
        }
        _ => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::testkit::workbook;

    #[test]
    fn shares_are_checked_against_their_range() {
        let mut wb = workbook();
        wb.projects[0].min_share = Some(0.5);
        let starts = vec![Some(0), Some(0), None];
        assert!(check_shares(&wb, &starts, &[0.5, 1.0, 0.0]).is_empty());
        assert!(check_shares(&wb, &starts, &[1.0, 1.0, 1.0]).is_empty());
        let low = check_shares(&wb, &starts, &[0.4, 1.0, 1.0]);
        assert_eq!(low.len(), 1);
        assert_eq!(low[0].tag, Tag::Share { project: 0 });
        // A whole-only project must be whole.
        assert_eq!(check_shares(&wb, &starts, &[1.0, 0.9, 1.0]).len(), 1);
        // An out project's share says nothing.
        assert!(check_shares(&wb, &starts, &[1.0, 1.0, 0.3]).is_empty());
    }

    #[test]
    fn one_share_variable_per_column_of_a_partial_project() {
        let mut wb = workbook();
        wb.projects[1].min_share = Some(0.25);
        let columns = [(0, 0), (1, 0), (1, 1), (2, 0)];
        let vars = variables(&wb, &columns);
        assert_eq!(vars.len(), 2);
        assert_eq!((vars[0].column, vars[0].project, vars[0].min), (1, 1, 0.25));
        assert_eq!(vars[1].column, 2);
    }
}
