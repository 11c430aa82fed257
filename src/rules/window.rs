//! The window rule: a project starts between its earliest and latest start and finishes
//! inside the horizon; in-progress work starts in the first period and may run past the
//! horizon. The window is not a row of the model: it decides which start columns exist.

use super::words::{ids, label, period};
use super::{selected, start_of, Encode, Encoding, Rule, Tag, Violation};
use crate::model::{Project, Starts, Status, Workbook};

pub(crate) const RULE: Rule = Rule {
    encode: Encode::Whole(encode),
    check,
};

/// The windows are the columns themselves ([`columns`]): no rows.
fn encode(_: &mut Encoding) {}

/// The starts a project's status and window allow (before the horizon is applied).
pub(crate) fn allowed_starts(project: &Project) -> std::ops::RangeInclusive<usize> {
    if project.status == Status::InProgress {
        0..=0
    } else {
        project.earliest..=project.latest
    }
}

/// The model's columns: one per project and start it may take, in project then start
/// order, and each project's columns. An excluded project has none.
pub(crate) fn columns(workbook: &Workbook) -> (Vec<(usize, usize)>, Vec<Vec<usize>>) {
    let horizon = workbook.horizon();
    let mut columns = Vec::new();
    let mut by_project = vec![Vec::new(); workbook.projects.len()];
    for (p, project) in workbook.projects.iter().enumerate() {
        if project.status == Status::Excluded {
            continue;
        }
        for t in allowed_starts(project) {
            if project.status != Status::InProgress && t + project.duration > horizon {
                continue;
            }
            by_project[p].push(columns.len());
            columns.push((p, t));
        }
    }
    (columns, by_project)
}

/// Entries of the portfolio past the workbook's projects.
pub(crate) fn check_unknown(workbook: &Workbook, starts: &Starts, found: &mut Vec<Violation>) {
    let known = workbook.projects.len();
    for (p, s) in starts.iter().enumerate().skip(known) {
        if let Some(s) = s {
            found.push(Violation::rule(
                Tag::Unknown { project: p },
                format!(
                    "the portfolio starts project #{} in {}, but the workbook has only {known} project(s)",
                    p + 1,
                    period(workbook, *s)
                ),
            ));
        }
    }
}

fn check(workbook: &Workbook, starts: &Starts, found: &mut Vec<Violation>) {
    let horizon = workbook.horizon();
    for (p, s) in selected(workbook, starts) {
        let project = &workbook.projects[p];
        let tag = Tag::Window { project: p };
        if project.status == Status::InProgress {
            // Already running: starts at the first period; may run past the horizon.
            if s != 0 {
                found.push(Violation::rule(
                    tag,
                    format!(
                        "{} is in progress and must start in {}, but starts in {}",
                        project.id,
                        period(workbook, 0),
                        period(workbook, s)
                    ),
                ));
            }
            continue;
        }
        if s < project.earliest || s > project.latest {
            found.push(Violation::rule(
                tag,
                format!(
                    "{} starts in {}, outside its window {} to {}",
                    project.id,
                    period(workbook, s),
                    period(workbook, project.earliest),
                    period(workbook, project.latest)
                ),
            ));
        }
        let end = s.saturating_add(project.duration);
        if end > horizon {
            found.push(Violation::rule(
                tag,
                format!(
                    "{} starts in {} and runs {} period(s), past the end of the horizon ({})",
                    project.id,
                    period(workbook, s),
                    project.duration,
                    match horizon {
                        0 => "empty".to_string(),
                        h => period(workbook, h - 1),
                    }
                ),
            ));
        }
    }
}

pub(crate) fn describe(workbook: &Workbook, tag: &Tag) -> String {
    match *tag {
        Tag::Window { project } => {
            let p = &workbook.projects[project];
            format!(
                "{} starts between {} and {}",
                p.id,
                label(workbook, p.earliest),
                label(workbook, p.latest)
            )
        }
        Tag::Unknown { project } => format!("project #{} is not in the workbook", project + 1),
        _ => String::new(),
    }
}

/// For the reasons: the start window of a project that is out, once its `after` links are
/// applied to the chosen starts of its predecessors, or why it is empty.
pub(crate) fn window_after(
    workbook: &Workbook,
    starts: &Starts,
    project: &Project,
) -> Result<(usize, usize), String> {
    let (mut earliest, latest) = if project.status == Status::InProgress {
        (0, 0)
    } else {
        (project.earliest, project.latest)
    };
    let mut binding = None;
    for &q in &project.after {
        let (Some(start), Some(other)) = (start_of(starts, q), workbook.projects.get(q)) else {
            continue;
        };
        let next = start + other.duration;
        if next > earliest {
            earliest = next;
            binding = Some(q);
        }
    }
    if earliest <= latest {
        return Ok((earliest, latest));
    }
    let reason = match binding {
        Some(q) if earliest >= workbook.horizon() => format!(
            "window cannot fit: must start after {}, which runs to the end of the horizon",
            ids(workbook, &[q])
        ),
        Some(q) => format!(
            "window cannot fit: must start after {}, which ends in {}, but its latest start is {}",
            ids(workbook, &[q]),
            label(workbook, earliest - 1),
            label(workbook, latest)
        ),
        None => format!(
            "window cannot fit: its earliest start {} is after its latest start {}",
            label(workbook, earliest),
            label(workbook, latest)
        ),
    };
    Err(reason)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::check;
    use crate::rules::testkit::{messages, project, tags, workbook};

    #[test]
    fn empty_portfolio_of_candidates_is_feasible() {
        let wb = workbook();
        assert!(check(&wb, &vec![None; 3]).is_empty());
        assert!(check(&wb, &vec![]).is_empty());
    }

    #[test]
    fn unknown_project_is_reported() {
        let wb = workbook();
        let starts = vec![None, None, None, Some(1)];
        assert_eq!(
            messages(&wb, &starts),
            ["the portfolio starts project #4 in 2027-Q2, but the workbook has only 3 project(s)"]
        );
        // An explicit "out" entry past the end is harmless.
        assert!(check(&wb, &vec![None, None, None, None]).is_empty());
    }

    #[test]
    fn start_outside_window_is_reported() {
        let mut wb = workbook();
        wb.projects[0].earliest = 1;
        wb.projects[0].latest = 2;
        assert_eq!(
            messages(&wb, &vec![Some(0), None, None]),
            ["P-1 starts in 2027-Q1, outside its window 2027-Q2 to 2027-Q3"]
        );
        assert_eq!(
            tags(&wb, &vec![Some(3), None, None]),
            [Tag::Window { project: 0 }]
        );
        assert!(check(&wb, &vec![Some(1), None, None]).is_empty());
        assert!(check(&wb, &vec![Some(2), None, None]).is_empty());
    }

    #[test]
    fn running_past_the_horizon_is_reported() {
        let mut wb = workbook();
        wb.projects[0] = project("P-1", 2, &[5.0, 5.0]);
        // A window wider than the model allows, to see the horizon rule on its own.
        wb.projects[0].latest = 3;
        assert_eq!(
            messages(&wb, &vec![Some(3), None, None]),
            ["P-1 starts in 2027-Q4 and runs 2 period(s), past the end of the horizon (2027-Q4)"]
        );
        assert!(check(&wb, &vec![Some(2), None, None]).is_empty());
    }

    #[test]
    fn in_progress_starts_first_and_may_run_past_the_horizon() {
        let mut wb = workbook();
        wb.projects[0] = project("P-1", 6, &[1.0; 6]);
        wb.projects[0].status = Status::InProgress;
        wb.projects[0].latest = 0;
        assert!(check(&wb, &vec![Some(0), None, None]).is_empty());
        assert_eq!(
            messages(&wb, &vec![Some(1), None, None]),
            ["P-1 is in progress and must start in 2027-Q1, but starts in 2027-Q2"]
        );
    }

    #[test]
    fn columns_follow_windows_status_and_horizon() {
        let mut wb = workbook();
        wb.projects[0] = project("P-1", 2, &[5.0, 5.0]);
        wb.projects[0].latest = 3; // the horizon clips Q4 away
        wb.projects[1].status = Status::Excluded;
        wb.projects[2] = project("P-3", 6, &[1.0; 6]);
        wb.projects[2].status = Status::InProgress;
        let (columns, by_project) = columns(&wb);
        assert_eq!(columns, [(0, 0), (0, 1), (0, 2), (2, 0)]);
        assert_eq!(by_project, [vec![0, 1, 2], vec![], vec![3]]);
    }

    #[test]
    fn window_after_a_predecessor_is_narrowed_or_empty() {
        let mut wb = workbook();
        wb.projects[0] = project("P-1", 2, &[5.0, 5.0]);
        wb.projects[1].after = vec![0];
        let p = wb.projects[1].clone();
        assert_eq!(
            window_after(&wb, &vec![Some(0), None, None], &p),
            Ok((2, 3))
        );
        wb.projects[1].latest = 1;
        let p = wb.projects[1].clone();
        assert_eq!(
            window_after(&wb, &vec![Some(0), None, None], &p),
            Err("window cannot fit: must start after P-1, which ends in 2027-Q2, but its latest start is 2027-Q2".into())
        );
    }
}
