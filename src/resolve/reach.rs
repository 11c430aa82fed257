//! Projects that no portfolio can contain, whatever the budget: a project whose `requires`
//! and `after` links (followed transitively) reach excluded work, or two projects that
//! exclude each other, or a `requires_any` group none of whose projects can come along.
//! `validate` warns about each (W011), naming the rules that make it so: such a project is
//! otherwise just absent from every plan, with nothing to say why.

use std::collections::BTreeSet;

use crate::diag::{codes, Diags, Loc};
use crate::io::tables::projects::RawProject;
use crate::io::tables::Headers;
use crate::model::{Status, Workbook};

/// Why each project can never be selected (`None`: it can, as far as links go).
pub(super) fn never_selectable(wb: &Workbook) -> Vec<Option<String>> {
    let n = wb.projects.len();
    let mut partners: Vec<Vec<usize>> = vec![Vec::new(); n];
    for &(a, b) in &wb.exclusions {
        if a < n && b < n {
            partners[a].push(b);
            partners[b].push(a);
        }
    }
    let id = |p: usize| wb.projects[p].id.as_str();
    let mut never: Vec<Option<String>> = vec![None; n];
    // A fixed point: a project that needs a never-selectable one is never selectable too.
    loop {
        let mut changed = false;
        for p in 0..n {
            if never[p].is_some() || wb.projects[p].status == Status::Excluded {
                continue;
            }
            let closure = needs(wb, p);
            let reason = closure
                .iter()
                .find_map(|&q| {
                    if q == p {
                        return None;
                    }
                    if wb.projects[q].status == Status::Excluded {
                        return Some(format!("it requires {}, which is excluded", id(q)));
                    }
                    never[q]
                        .as_ref()
                        .map(|_| format!("it requires {}, which can never be selected", id(q)))
                })
                .or_else(|| {
                    closure.iter().find_map(|&a| {
                        partners[a]
                            .iter()
                            .find(|b| closure.contains(b))
                            .map(|&b| together(p, a, b, &id))
                    })
                })
                .or_else(|| {
                    closure.iter().find_map(|&r| {
                        wb.projects[r].requires_any.iter().find_map(|group| {
                            let blocked = group.iter().all(|&m| {
                                wb.projects[m].status == Status::Excluded
                                    || never[m].is_some()
                                    || partners[m].iter().any(|c| closure.contains(c))
                            });
                            blocked.then(|| {
                                let names: Vec<&str> = group.iter().map(|&m| id(m)).collect();
                                let who = if r == p {
                                    "it".to_string()
                                } else {
                                    format!("{}, which it requires,", id(r))
                                };
                                format!(
                                    "{who} requires one of {}, and each of them is excluded, can never be selected, or excludes a project it needs",
                                    names.join(", ")
                                )
                            })
                        })
                    })
                });
            if reason.is_some() {
                never[p] = reason;
                changed = true;
            }
        }
        if !changed {
            return never;
        }
    }
}

/// "it requires A and B, which exclude each other" (or "it excludes A, which it requires").
fn together<'a>(p: usize, a: usize, b: usize, id: &impl Fn(usize) -> &'a str) -> String {
    if a == p {
        format!("it excludes {}, which it requires", id(b))
    } else if b == p {
        format!("it excludes {}, which it requires", id(a))
    } else {
        format!(
            "it requires {} and {}, which exclude each other",
            id(a),
            id(b)
        )
    }
}

/// Project `p` and every project it needs through `requires` and `after`, transitively.
fn needs(wb: &Workbook, p: usize) -> BTreeSet<usize> {
    let mut seen = BTreeSet::from([p]);
    let mut stack = vec![p];
    while let Some(q) = stack.pop() {
        let project = &wb.projects[q];
        for &r in project.requires.iter().chain(&project.after) {
            if r < wb.projects.len() && seen.insert(r) {
                stack.push(r);
            }
        }
    }
    seen
}

/// W011 for every project that can never be selected, on its projects.csv line.
pub(super) fn warn(raw: &[RawProject], headers: &Headers, wb: &Workbook, diags: &mut Diags) {
    for (p, reason) in never_selectable(wb).into_iter().enumerate() {
        let (Some(reason), Some(row)) = (reason, raw.get(p)) else {
            continue;
        };
        let project = &wb.projects[p];
        let column = if !project.requires_any.is_empty() && reason.contains("one of") {
            "requires_any"
        } else if reason.contains("excludes") && !reason.contains("requires one of") {
            "excludes"
        } else {
            "requires"
        };
        diags.add(
            codes::NEVER_SELECTABLE,
            Loc::cell("projects.csv", row.line, &headers.get(column)),
            None,
            format!(
                "project {} can never be selected: {reason}",
                project.id
            ),
            "remove the link that cannot be met, or change the status or the exclusion that blocks it",
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Project;

    fn workbook(n: usize) -> Workbook {
        Workbook {
            periods: vec!["Q1".into()],
            projects: (1..=n)
                .map(|i| Project::candidate(&format!("P-{i}"), 1.0, 1, 1.0, 0))
                .collect(),
            budget_total: vec![None],
            ..Workbook::default()
        }
    }

    #[test]
    fn requiring_two_projects_that_exclude_each_other() {
        let mut wb = workbook(4);
        wb.projects[2].requires = vec![0, 1];
        wb.set_exclusions([(0, 1)]);
        wb.projects[3].after = vec![2];
        let never = never_selectable(&wb);
        assert_eq!(never[0], None);
        assert_eq!(
            never[2].as_deref(),
            Some("it requires P-1 and P-2, which exclude each other")
        );
        assert_eq!(
            never[3].as_deref(),
            Some("it requires P-3, which can never be selected")
        );
    }

    #[test]
    fn excluded_work_and_either_or_groups() {
        let mut wb = workbook(4);
        wb.projects[0].status = Status::Excluded;
        wb.projects[1].requires = vec![0];
        wb.projects[2].requires_any = vec![vec![0, 1]];
        wb.projects[3].requires_any = vec![vec![0, 2]];
        wb.projects[3].requires = vec![];
        let never = never_selectable(&wb);
        assert_eq!(
            never[1].as_deref(),
            Some("it requires P-1, which is excluded")
        );
        assert!(never[2]
            .as_deref()
            .is_some_and(|r| r.contains("one of P-1, P-2")));
        assert!(never[3].is_some());
        assert_eq!(never[0], None, "excluded work is excluded, not unreachable");
    }

    #[test]
    fn a_project_excluding_what_it_requires() {
        let mut wb = workbook(2);
        wb.projects[0].requires = vec![1];
        wb.set_exclusions([(0, 1)]);
        assert_eq!(
            never_selectable(&wb)[0].as_deref(),
            Some("it excludes P-2, which it requires")
        );
        assert_eq!(never_selectable(&wb)[1], None);
    }
}
