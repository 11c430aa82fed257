//! The status rule: a mandatory or in-progress project must be selected, an excluded one
//! never is, and every project starts at most once.

use super::usage::{cost_in_horizon, total_cost};
use super::words::id;
use super::{start_of, Encode, Encoding, Row, Rule, Tag, Violation, INF};
use crate::human::money;
use crate::model::{Starts, Status, Workbook};

pub(crate) const RULE: Rule = Rule {
    encode: Encode::Whole(encode),
    check,
};

/// A project starts at most once; mandatory and in-progress ones exactly once. (An
/// excluded project has no columns at all.)
fn encode(model: &mut Encoding) {
    for (p, project) in model.workbook.projects.iter().enumerate() {
        let cols = &model.by_project[p];
        if project.status.is_forced() {
            model.rows.push(Row {
                tag: Tag::Forced { project: p },
                terms: cols.iter().map(|&j| (j, 1.0)).collect(),
                lower: 1.0,
                upper: 1.0,
            });
        } else if cols.len() > 1 {
            model.rows.push(Row {
                tag: Tag::Once { project: p },
                terms: cols.iter().map(|&j| (j, 1.0)).collect(),
                lower: -INF,
                upper: 1.0,
            });
        }
    }
}

fn check(workbook: &Workbook, starts: &Starts, found: &mut Vec<Violation>) {
    for (p, project) in workbook.projects.iter().enumerate() {
        let is_selected = start_of(starts, p).is_some();
        let problem = match project.status {
            Status::Mandatory | Status::InProgress if !is_selected => Some((
                Tag::Forced { project: p },
                format!("is {} but out", super::words::forced_status(workbook, p)),
            )),
            Status::Excluded if is_selected => Some((
                Tag::Excluded { project: p },
                "is excluded but selected".to_string(),
            )),
            _ => None,
        };
        if let Some((tag, problem)) = problem {
            found.push(Violation::rule(tag, format!("{} {problem}", project.id)));
        }
    }
}

pub(crate) fn describe(workbook: &Workbook, tag: &Tag) -> String {
    match *tag {
        Tag::Forced { project } if project < workbook.projects.len() => {
            format!(
                "{} must be selected",
                super::words::forced(workbook, project)
            )
        }
        Tag::Forced { project } => format!("{} must be selected", id(workbook, project)),
        Tag::Excluded { project } => format!("{} is excluded", id(workbook, project)),
        Tag::Once { project } => format!("{} starts once", id(workbook, project)),
        _ => String::new(),
    }
}

/// For the reasons of a selected project: what its status says of it, if anything.
pub(crate) fn reason_in(workbook: &Workbook, p: usize, start: usize) -> Option<String> {
    let project = &workbook.projects[p];
    match project.status {
        Status::InProgress if start + project.duration > workbook.horizon() => Some(format!(
            "in progress; runs past the horizon ({} of its {} cost falls inside it)",
            money(cost_in_horizon(workbook, p, start)),
            money(total_cost(workbook, p)),
        )),
        Status::InProgress => Some("in progress".to_string()),
        Status::Mandatory => Some(super::words::forced_status(workbook, p)),
        Status::Candidate | Status::Excluded => None,
    }
}

/// For the reasons of a project that is out: its status, when that alone keeps it out.
pub(crate) fn reason_out(workbook: &Workbook, p: usize) -> Option<String> {
    (workbook.projects[p].status == Status::Excluded).then(|| "excluded".to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::testkit::{messages, project, tags, workbook};
    use crate::rules::{agreement, check};

    #[test]
    fn status_rules_are_reported() {
        let mut wb = workbook();
        wb.projects[0].status = Status::Mandatory;
        wb.projects[1].status = Status::InProgress;
        wb.projects[1].latest = 0;
        wb.projects[2].status = Status::Excluded;
        assert_eq!(
            messages(&wb, &vec![None, None, Some(0)]),
            [
                "P-1 is mandatory but out",
                "P-2 is in progress but out",
                "P-3 is excluded but selected"
            ]
        );
        assert_eq!(
            tags(&wb, &vec![None, Some(0), Some(0)]),
            [Tag::Forced { project: 0 }, Tag::Excluded { project: 2 }]
        );
        assert!(check(&wb, &vec![Some(3), Some(0), None]).is_empty());
    }

    #[test]
    fn rows_agree_with_the_check() {
        let mut wb = workbook();
        wb.projects[0].status = Status::Mandatory;
        wb.projects[1] = project("P-2", 2, &[1.0, 1.0]);
        wb.projects[2].status = Status::Excluded;
        agreement::holds(&wb, &RULE);
    }

    #[test]
    fn described_for_the_diagnosis() {
        let mut wb = workbook();
        wb.projects[1].status = Status::InProgress;
        assert_eq!(
            Tag::Forced { project: 1 }.describe(&wb),
            "in-progress P-2 must be selected"
        );
        assert_eq!(Tag::Once { project: 0 }.describe(&wb), "P-1 starts once");
    }

    #[test]
    fn reasons_name_the_status() {
        let mut wb = workbook();
        wb.projects[0].status = Status::Mandatory;
        wb.projects[1].status = Status::Excluded;
        assert_eq!(reason_in(&wb, 0, 0).as_deref(), Some("mandatory"));
        assert_eq!(reason_in(&wb, 2, 0), None);
        assert_eq!(reason_out(&wb, 1).as_deref(), Some("excluded"));
        assert_eq!(reason_out(&wb, 2), None);
    }
}
