//! The requires rule (projects.csv `requires`): a project is selected only if every project
//! it requires is selected too (at any start).

use super::words::{forced, id, ids, which};
use super::{selected, start_of, Encode, Encoding, Overrun, Row, Rule, Tag, Violation, INF};
use crate::model::{Starts, Status, Workbook};

pub(crate) const RULE: Rule = Rule {
    encode: Encode::Project(encode),
    check,
};

/// selected(p) − selected(q) ≤ 0 for every link p → q.
fn encode(model: &mut Encoding, p: usize) {
    for &q in &model.workbook.projects[p].requires {
        let mut terms: Vec<(usize, f64)> = model.selected(p, 1.0).collect();
        terms.extend(model.selected(q, -1.0));
        model.rows.push(Row {
            tag: Tag::Requires {
                project: p,
                other: q,
            },
            terms,
            lower: -INF,
            upper: 0.0,
        });
    }
}

fn check(workbook: &Workbook, starts: &Starts, found: &mut Vec<Violation>) {
    let project_count = workbook.projects.len();
    for (p, _) in selected(workbook, starts) {
        for &q in &workbook.projects[p].requires {
            if start_of(starts, q).is_none() || q >= project_count {
                found.push(Violation::rule(
                    Tag::Requires {
                        project: p,
                        other: q,
                    },
                    format!(
                        "{} requires {}, which is out",
                        id(workbook, p),
                        id(workbook, q)
                    ),
                ));
            }
        }
    }
}

pub(crate) fn describe(workbook: &Workbook, tag: &Tag) -> String {
    match *tag {
        Tag::Requires { project, other } => {
            format!("{} requires {}", id(workbook, project), id(workbook, other))
        }
        _ => String::new(),
    }
}

/// For the diagnosis: a forced project `p` linked to an excluded one (by `requires`, or by
/// `after` when `links` are those), which it can therefore never have.
pub(crate) fn forced_missing(workbook: &Workbook, p: usize, links: &[usize]) -> Vec<Overrun> {
    links
        .iter()
        .filter(|&&q| workbook.projects[q].status == Status::Excluded)
        .map(|&q| Overrun {
            message: format!(
                "{} requires {}, which is excluded",
                forced(workbook, p),
                workbook.projects[q].id
            ),
            over_by: None,
        })
        .collect()
}

/// For the reasons of a project that is out: the projects it requires that are out.
pub(crate) fn reason_out(workbook: &Workbook, starts: &Starts, p: usize) -> Option<String> {
    let missing: Vec<usize> = workbook.projects[p]
        .requires
        .iter()
        .copied()
        .filter(|&q| start_of(starts, q).is_none())
        .collect();
    (!missing.is_empty()).then(|| which(workbook, "requires", &missing, "out"))
}

/// For the reasons of a selected project: the selected projects that need it, by
/// `requires` or by `after`.
pub(crate) fn needed_by(workbook: &Workbook, starts: &Starts, p: usize) -> Option<String> {
    let needed_by: Vec<usize> = workbook
        .projects
        .iter()
        .enumerate()
        .filter(|(q, other)| {
            *q != p
                && start_of(starts, *q).is_some()
                && (other.requires.contains(&p) || other.after.contains(&p))
        })
        .map(|(q, _)| q)
        .collect();
    (!needed_by.is_empty()).then(|| format!("needed by {}", ids(workbook, &needed_by)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::testkit::{messages, workbook};
    use crate::rules::{agreement, check};

    #[test]
    fn requires_is_checked_one_way() {
        let mut wb = workbook();
        wb.projects[2].requires = vec![0];
        assert_eq!(
            messages(&wb, &vec![None, None, Some(0)]),
            ["P-3 requires P-1, which is out"]
        );
        assert!(check(&wb, &vec![Some(1), None, Some(0)]).is_empty());
        assert!(check(&wb, &vec![Some(1), None, None]).is_empty());
    }

    #[test]
    fn requires_cycle_means_together() {
        let mut wb = workbook();
        wb.projects[0].requires = vec![1];
        wb.projects[1].requires = vec![0];
        assert!(check(&wb, &vec![Some(0), Some(3), None]).is_empty());
        assert!(check(&wb, &vec![None, None, None]).is_empty());
        assert_eq!(
            messages(&wb, &vec![None, Some(0), None]),
            ["P-2 requires P-1, which is out"]
        );
    }

    #[test]
    fn rows_agree_with_the_check() {
        let mut wb = workbook();
        wb.projects[0].requires = vec![1];
        wb.projects[1].requires = vec![0];
        wb.projects[2].requires = vec![0, 1];
        agreement::holds(&wb, &RULE);
    }

    #[test]
    fn reasons_and_words() {
        let mut wb = workbook();
        wb.projects[2].requires = vec![0, 1];
        let starts = vec![None, Some(0), None];
        assert_eq!(
            reason_out(&wb, &starts, 2).as_deref(),
            Some("requires P-1, which is out")
        );
        assert_eq!(reason_out(&wb, &starts, 1), None);
        let all = vec![Some(0), Some(0), Some(0)];
        assert_eq!(needed_by(&wb, &all, 0).as_deref(), Some("needed by P-3"));
        assert_eq!(
            Tag::Requires {
                project: 2,
                other: 0
            }
            .describe(&wb),
            "P-3 requires P-1"
        );
        wb.projects[2].status = Status::Mandatory;
        wb.projects[0].status = Status::Excluded;
        assert_eq!(
            forced_missing(&wb, 2, &[0, 1])[0].message,
            "mandatory P-3 requires P-1, which is excluded"
        );
    }
}
