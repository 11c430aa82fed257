//! The either-or prerequisite (projects.csv `requires_any`): a project is selected only if
//! at least one project of each of its groups is selected too (at any start). Groups are
//! separated by `||` in the cell: `A|B||C` reads "(A or B) and C".

use super::words::{and_list, forced, id};
use super::{selected, start_of, Encode, Encoding, Overrun, Row, Rule, Tag, Violation, INF};
use crate::model::{Starts, Status, Workbook};

pub(crate) const RULE: Rule = Rule {
    encode: Encode::Project(encode),
    check,
};

/// selected(p) − Σ_{q ∈ group} selected(q) ≤ 0 for every group of p.
fn encode(model: &mut Encoding, p: usize) {
    for (g, group) in model.workbook.projects[p].requires_any.iter().enumerate() {
        let mut terms: Vec<(usize, f64)> = model.selected(p, 1.0).collect();
        for &q in group {
            terms.extend(model.selected(q, -1.0));
        }
        model.rows.push(Row {
            tag: Tag::RequiresAny {
                project: p,
                group: g,
            },
            terms,
            lower: -INF,
            upper: 0.0,
        });
    }
}

/// "P-1 or P-2" (the ids of a group, as prose with `or`).
pub(crate) fn or_list(workbook: &Workbook, group: &[usize]) -> String {
    let list = and_list(workbook, group.iter().copied());
    match list.rfind(" and ") {
        Some(at) => format!("{} or {}", &list[..at], &list[at + 5..]),
        None => list,
    }
}

fn check(workbook: &Workbook, starts: &Starts, found: &mut Vec<Violation>) {
    for (p, _) in selected(workbook, starts) {
        for (g, group) in workbook.projects[p].requires_any.iter().enumerate() {
            if !group.iter().any(|&q| start_of(starts, q).is_some()) {
                found.push(Violation::rule(
                    Tag::RequiresAny {
                        project: p,
                        group: g,
                    },
                    format!("{} {}", id(workbook, p), unmet(workbook, group)),
                ));
            }
        }
    }
}

pub(crate) fn describe(workbook: &Workbook, tag: &Tag) -> String {
    match *tag {
        Tag::RequiresAny { project, group } => {
            let members = workbook
                .projects
                .get(project)
                .and_then(|p| p.requires_any.get(group))
                .map(|g| or_list(workbook, g))
                .unwrap_or_default();
            format!("{} requires {}", id(workbook, project), members)
        }
        _ => String::new(),
    }
}

/// For the diagnosis: a forced project `p` with a group whose projects are all excluded.
pub(crate) fn forced_missing(workbook: &Workbook, p: usize) -> Vec<Overrun> {
    workbook.projects[p]
        .requires_any
        .iter()
        .filter(|group| {
            group
                .iter()
                .all(|&q| workbook.projects[q].status == Status::Excluded)
        })
        .map(|group| Overrun {
            message: format!(
                "{} requires one of {}, which are all excluded",
                forced(workbook, p),
                or_list(workbook, group)
            ),
            over_by: None,
        })
        .collect()
}

/// For the reasons of a project that is out: a group of which no project is selected.
pub(crate) fn reason_out(workbook: &Workbook, starts: &Starts, p: usize) -> Option<String> {
    let group = workbook.projects[p]
        .requires_any
        .iter()
        .find(|group| !group.iter().any(|&q| start_of(starts, q).is_some()))?;
    Some(unmet(workbook, group))
}

/// "requires P-2, which is out", "requires P-1 or P-2, and both are out", "requires one of
/// P-1, P-2 or P-3, and all are out".
fn unmet(workbook: &Workbook, group: &[usize]) -> String {
    let list = or_list(workbook, group);
    match group.len() {
        1 => format!("requires {list}, which is out"),
        2 => format!("requires {list}, and both are out"),
        _ => format!("requires one of {list}, and all are out"),
    }
}

/// For the reasons of a selected project: the selected projects whose only selected
/// alternative in a group it is.
pub(crate) fn needed_by(workbook: &Workbook, starts: &Starts, p: usize) -> Vec<usize> {
    workbook
        .projects
        .iter()
        .enumerate()
        .filter(|(q, other)| {
            *q != p
                && start_of(starts, *q).is_some()
                && other.requires_any.iter().any(|group| {
                    group.contains(&p)
                        && group
                            .iter()
                            .all(|&r| r == p || start_of(starts, r).is_none())
                })
        })
        .map(|(q, _)| q)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::testkit::{messages, workbook};
    use crate::rules::{agreement, check};

    #[test]
    fn one_of_the_group_is_enough() {
        let mut wb = workbook();
        wb.projects[2].requires_any = vec![vec![0, 1]];
        assert_eq!(
            messages(&wb, &vec![None, None, Some(0)]),
            ["P-3 requires P-1 or P-2, and both are out"]
        );
        assert!(check(&wb, &vec![Some(1), None, Some(0)]).is_empty());
        assert!(check(&wb, &vec![None, Some(2), Some(0)]).is_empty());
        assert!(check(&wb, &vec![None, None, None]).is_empty());
    }

    #[test]
    fn every_group_must_be_met() {
        let mut wb = workbook();
        wb.projects[2].requires_any = vec![vec![0], vec![1]];
        assert_eq!(
            messages(&wb, &vec![Some(0), None, Some(0)]),
            ["P-3 requires P-2, which is out"]
        );
        assert!(check(&wb, &vec![Some(0), Some(0), Some(0)]).is_empty());
    }

    #[test]
    fn rows_agree_with_the_check() {
        let mut wb = workbook();
        wb.projects[2].requires_any = vec![vec![0, 1]];
        wb.projects[0].requires_any = vec![vec![1], vec![2]];
        agreement::holds(&wb, &RULE);
    }

    #[test]
    fn reasons_and_words() {
        let mut wb = workbook();
        wb.projects[2].requires_any = vec![vec![0, 1]];
        let none = vec![None, None, None];
        assert_eq!(
            reason_out(&wb, &none, 2).as_deref(),
            Some("requires P-1 or P-2, and both are out")
        );
        assert_eq!(reason_out(&wb, &vec![Some(0), None, None], 2), None);
        assert_eq!(needed_by(&wb, &vec![Some(0), None, Some(0)], 0), [2]);
        assert!(needed_by(&wb, &vec![Some(0), Some(0), Some(0)], 0).is_empty());
        assert_eq!(
            Tag::RequiresAny {
                project: 2,
                group: 0
            }
            .describe(&wb),
            "P-3 requires P-1 or P-2"
        );
        wb.projects[2].status = Status::Mandatory;
        wb.projects[0].status = Status::Excluded;
        assert!(forced_missing(&wb, 2).is_empty());
        wb.projects[1].status = Status::Excluded;
        assert_eq!(
            forced_missing(&wb, 2)[0].message,
            "mandatory P-3 requires one of P-1 or P-2, which are all excluded"
        );
    }
}
