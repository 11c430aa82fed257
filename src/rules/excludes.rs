//! The excludes rule (projects.csv `excludes`): two projects that exclude each other are
//! never both selected. The relation is symmetric whichever side wrote it; the model keeps
//! each pair once ([`Workbook::exclusions`]), so nothing here re-derives the symmetry. Its
//! tag names the pair in index order; its row and its messages follow the side that wrote
//! it.

use std::collections::BTreeSet;

use super::words::{forced, id, which};
use super::{start_of, Encode, Encoding, Overrun, Row, Rule, Tag, Violation, INF};
use crate::model::{Starts, Workbook};

pub(crate) const RULE: Rule = Rule {
    encode: Encode::Project(encode),
    check,
};

/// The tag of the pair `a`, `b`: in index order.
fn tag(a: usize, b: usize) -> Tag {
    Tag::Excludes {
        project: a.min(b),
        other: a.max(b),
    }
}

/// selected(p) + selected(q) ≤ 1 for every pair that project `p` wrote.
fn encode(model: &mut Encoding, p: usize) {
    for &(a, b) in &model.workbook.exclusions {
        if a != p {
            continue;
        }
        let mut terms: Vec<(usize, f64)> = model.selected(a, 1.0).collect();
        terms.extend(model.selected(b, 1.0));
        model.rows.push(Row {
            tag: tag(a, b),
            terms,
            lower: -INF,
            upper: 1.0,
        });
    }
}

fn check(workbook: &Workbook, starts: &Starts, found: &mut Vec<Violation>) {
    let known = workbook.projects.len();
    let both: BTreeSet<(usize, usize)> = workbook
        .exclusions
        .iter()
        .filter(|&&(a, b)| a != b && a < known && b < known)
        .filter(|&&(a, b)| start_of(starts, a).is_some() && start_of(starts, b).is_some())
        .map(|&(a, b)| (a.min(b), a.max(b)))
        .collect();
    for (a, b) in both {
        found.push(Violation::rule(
            tag(a, b),
            format!(
                "{} and {} exclude each other, but both are selected",
                id(workbook, a),
                id(workbook, b)
            ),
        ));
    }
}

pub(crate) fn describe(workbook: &Workbook, tag: &Tag) -> String {
    match *tag {
        Tag::Excludes { project, other } => format!(
            "{} and {} exclude each other",
            id(workbook, project),
            id(workbook, other)
        ),
        _ => String::new(),
    }
}

/// The projects that exclude `p` (or that `p` excludes), in index order.
pub(crate) fn partners(workbook: &Workbook, p: usize) -> impl Iterator<Item = usize> + '_ {
    workbook.exclusions.iter().filter_map(move |&(a, b)| {
        if a == p {
            Some(b)
        } else if b == p {
            Some(a)
        } else {
            None
        }
    })
}

/// For the diagnosis: the pairs that forced project `p` wrote with another forced project.
pub(crate) fn forced_conflicts(workbook: &Workbook, p: usize) -> Vec<Overrun> {
    workbook
        .exclusions
        .iter()
        .filter(|&&(a, b)| a == p && workbook.projects[b].status.is_forced())
        .map(|&(a, b)| Overrun {
            message: format!(
                "{} and {} exclude each other, but both must be selected",
                forced(workbook, a),
                forced(workbook, b)
            ),
            over_by: None,
        })
        .collect()
}

/// For the reasons of a project that is out: the selected projects it excludes.
pub(crate) fn reason_out(workbook: &Workbook, starts: &Starts, p: usize) -> Option<String> {
    let mut conflicts: Vec<usize> = partners(workbook, p)
        .filter(|&q| q != p && start_of(starts, q).is_some())
        .collect();
    conflicts.sort_unstable();
    conflicts.dedup();
    (!conflicts.is_empty()).then(|| which(workbook, "excludes", &conflicts, "in"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Status;
    use crate::rules::testkit::{messages, tags, workbook};
    use crate::rules::{agreement, check};

    #[test]
    fn excludes_is_symmetric_and_reported_once() {
        let mut wb = workbook();
        wb.exclusions = vec![(0, 1)];
        assert_eq!(
            messages(&wb, &vec![Some(0), Some(2), None]),
            ["P-1 and P-2 exclude each other, but both are selected"]
        );
        assert_eq!(
            tags(&wb, &vec![Some(0), Some(2), None]),
            [Tag::Excludes {
                project: 0,
                other: 1
            }]
        );
        assert!(check(&wb, &vec![Some(0), None, Some(1)]).is_empty());
        assert!(check(&wb, &vec![None, Some(0), Some(1)]).is_empty());
    }

    #[test]
    fn rows_agree_with_the_check() {
        let mut wb = workbook();
        wb.exclusions = vec![(0, 1), (2, 0)];
        agreement::holds(&wb, &RULE);
    }

    #[test]
    fn a_selected_partner_keeps_a_project_out_either_way() {
        let mut wb = workbook();
        wb.exclusions = vec![(0, 1), (0, 2)];
        assert_eq!(
            reason_out(&wb, &vec![None, Some(0), None], 0).as_deref(),
            Some("excludes P-2, which is in")
        );
        assert_eq!(
            reason_out(&wb, &vec![Some(0), None, None], 2).as_deref(),
            Some("excludes P-1, which is in")
        );
        assert_eq!(
            reason_out(&wb, &vec![None, Some(0), Some(0)], 0).as_deref(),
            Some("excludes P-2, P-3, which are in")
        );
        assert_eq!(reason_out(&wb, &vec![None, None, None], 0), None);
    }

    #[test]
    fn forced_projects_that_exclude_each_other_are_named_once() {
        let mut wb = workbook();
        wb.set_exclusions([(0, 1), (1, 0)]);
        assert_eq!(wb.exclusions, [(0, 1)]);
        wb.projects[0].status = Status::Mandatory;
        wb.projects[1].status = Status::InProgress;
        assert_eq!(
            forced_conflicts(&wb, 0)[0].message,
            "mandatory P-1 and in-progress P-2 exclude each other, but both must be selected"
        );
        assert!(forced_conflicts(&wb, 1).is_empty());
        assert_eq!(
            Tag::Excludes {
                project: 0,
                other: 1
            }
            .describe(&wb),
            "P-1 and P-2 exclude each other"
        );
    }
}
