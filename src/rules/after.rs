//! The after rule (projects.csv `after`): a project starts only after each project it
//! follows has finished, and only if that project is selected. Ignored for in-progress
//! work, which has already started.
//!
//! Encoded in the time-indexed, big-M-free form "p has started by t ⇒ q had started by
//! t − d_q", which is as tight as the LP relaxation of start-time choice gets.

use super::words::{id, period, which};
use super::{selected, start_of, Encode, Encoding, Row, Rule, Tag, Violation, INF};
use crate::model::{Starts, Status, Workbook};

pub(crate) const RULE: Rule = Rule {
    encode: Encode::Project(encode),
    check,
};

/// For every start t of p: started(p, ≤ t) − started(q, ≤ t − d_q) ≤ 0.
fn encode(model: &mut Encoding, p: usize) {
    let workbook = model.workbook;
    let project = &workbook.projects[p];
    if project.status == Status::InProgress {
        return;
    }
    for &q in &project.after {
        let tag = Tag::After {
            project: p,
            other: q,
        };
        let before = &workbook.projects[q];
        let cols_p = &model.by_project[p];
        for (k, &j) in cols_p.iter().enumerate() {
            let t = model.columns[j].1;
            let next_differs = cols_p
                .get(k + 1)
                .map(|&next| model.columns[next].1 != t)
                .unwrap_or(true);
            if !next_differs {
                continue;
            }
            let mut terms: Vec<(usize, f64)> = cols_p[..=k].iter().map(|&i| (i, 1.0)).collect();
            for &i in &model.by_project[q] {
                if model.columns[i].1 + before.duration <= t {
                    terms.push((i, -1.0));
                }
            }
            model.rows.push(Row {
                tag,
                terms,
                lower: -INF,
                upper: 0.0,
            });
        }
    }
}

fn check(workbook: &Workbook, starts: &Starts, found: &mut Vec<Violation>) {
    let project_count = workbook.projects.len();
    for (p, s) in selected(workbook, starts) {
        let project = &workbook.projects[p];
        if project.status == Status::InProgress {
            // The contract ignores `after` on in-progress work.
            continue;
        }
        for &q in &project.after {
            let tag = Tag::After {
                project: p,
                other: q,
            };
            let q_start = if q < project_count {
                start_of(starts, q)
            } else {
                None
            };
            let Some(q_start) = q_start else {
                found.push(Violation::rule(
                    tag,
                    format!(
                        "{} comes after {}, which is out",
                        project.id,
                        id(workbook, q)
                    ),
                ));
                continue;
            };
            let ready = q_start.saturating_add(workbook.projects[q].duration);
            if s < ready {
                found.push(Violation::rule(
                    tag,
                    format!(
                        "{} starts in {}, before {} finishes (it may start in {} at the earliest)",
                        project.id,
                        period(workbook, s),
                        id(workbook, q),
                        period(workbook, ready)
                    ),
                ));
            }
        }
    }
}

pub(crate) fn describe(workbook: &Workbook, tag: &Tag) -> String {
    match *tag {
        Tag::After { project, other } => format!(
            "{} starts after {} finishes",
            id(workbook, project),
            id(workbook, other)
        ),
        _ => String::new(),
    }
}

/// For the reasons of a project that is out: the projects it must follow that are out.
pub(crate) fn reason_out(workbook: &Workbook, starts: &Starts, p: usize) -> Option<String> {
    let missing: Vec<usize> = workbook.projects[p]
        .after
        .iter()
        .copied()
        .filter(|&q| start_of(starts, q).is_none())
        .collect();
    (!missing.is_empty()).then(|| which(workbook, "must start after", &missing, "out"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::testkit::{messages, project, workbook};
    use crate::rules::{agreement, check};

    #[test]
    fn after_needs_the_other_selected_and_finished() {
        let mut wb = workbook();
        wb.projects[0] = project("P-1", 2, &[5.0, 5.0]);
        wb.projects[2].after = vec![0];
        assert_eq!(
            messages(&wb, &vec![None, None, Some(3)]),
            ["P-3 comes after P-1, which is out"]
        );
        assert_eq!(
            messages(&wb, &vec![Some(0), None, Some(1)]),
            ["P-3 starts in 2027-Q2, before P-1 finishes (it may start in 2027-Q3 at the earliest)"]
        );
        assert!(check(&wb, &vec![Some(0), None, Some(2)]).is_empty());
        assert!(check(&wb, &vec![Some(1), None, Some(3)]).is_empty());
        assert!(check(&wb, &vec![Some(1), None, None]).is_empty());
    }

    #[test]
    fn rows_agree_with_the_check() {
        let mut wb = workbook();
        wb.projects[0] = project("P-1", 2, &[5.0, 5.0]);
        wb.projects[1].after = vec![0];
        wb.projects[2].after = vec![0, 1];
        agreement::holds(&wb, &RULE);
        // In-progress work ignores its after links.
        wb.projects[2].status = Status::InProgress;
        wb.projects[2].latest = 0;
        agreement::holds(&wb, &RULE);
    }

    #[test]
    fn reasons_and_words() {
        let mut wb = workbook();
        wb.projects[2].after = vec![0];
        assert_eq!(
            reason_out(&wb, &vec![None, None, None], 2).as_deref(),
            Some("must start after P-1, which is out")
        );
        assert_eq!(reason_out(&wb, &vec![Some(0), None, None], 2), None);
        assert_eq!(
            Tag::After {
                project: 2,
                other: 0
            }
            .describe(&wb),
            "P-3 starts after P-1 finishes"
        );
    }
}
