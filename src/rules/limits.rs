//! Count limits (limits.csv): how many projects of a category, or of all, may be selected
//! (`min_count`, `max_count`), or, with a `period`, may start in that period. A partly
//! funded project counts as one.

use super::words::{and_list, category, label};
use super::{start_of, Blocker, Encode, Encoding, Overrun, Row, Rule, Tag, Violation, INF};
use crate::model::{Limit, Starts, Status, Workbook};

pub(crate) const RULE: Rule = Rule {
    encode: Encode::Whole(encode),
    check,
};

/// Whether project `p` is one that `limit` counts (its category, or every project).
fn counts(workbook: &Workbook, limit: &Limit, p: usize) -> bool {
    limit.category.is_none() || workbook.projects[p].category == limit.category
}

/// min ≤ Σ x ≤ max over the columns the limit counts: every column of its projects, or
/// their columns that start in its period. A row that can never bind is left out.
fn encode(model: &mut Encoding) {
    let workbook = model.workbook;
    for (i, limit) in workbook.limits.iter().enumerate() {
        let terms: Vec<(usize, f64)> = model
            .columns
            .iter()
            .enumerate()
            .filter(|(_, &(p, t))| {
                counts(workbook, limit, p) && limit.period.is_none_or(|k| k == t)
            })
            .map(|(j, _)| (j, 1.0))
            .collect();
        // Projects that can be counted at most: one per project.
        let most = if limit.period.is_some() {
            terms.len()
        } else {
            (0..workbook.projects.len())
                .filter(|&p| counts(workbook, limit, p) && !model.by_project[p].is_empty())
                .count()
        };
        let lower = limit.min.filter(|&m| m > 0).map_or(-INF, |m| m as f64);
        let upper = limit.max.filter(|&m| m < most).map_or(INF, |m| m as f64);
        if lower == -INF && upper == INF {
            continue;
        }
        model.rows.push(Row {
            tag: Tag::Limit { limit: i },
            terms,
            lower,
            upper,
        });
    }
}

/// The projects `limit` counts in `starts`.
pub(crate) fn counted(workbook: &Workbook, limit: &Limit, starts: &Starts) -> Vec<usize> {
    (0..workbook.projects.len())
        .filter(|&p| counts(workbook, limit, p))
        .filter(|&p| match (start_of(starts, p), limit.period) {
            (None, _) => false,
            (Some(_), None) => true,
            (Some(s), Some(k)) => s == k,
        })
        .collect()
}

/// "'IT' projects", "projects starting in 2027-Q1", "'IT' project starting in 2027-Q1"
/// (singular for a count of one).
pub(crate) fn scope(workbook: &Workbook, limit: &Limit, n: usize) -> String {
    let noun = if n == 1 { "project" } else { "projects" };
    let what = match limit.category {
        Some(c) => format!("{} {noun}", category(workbook, c)),
        None => noun.to_string(),
    };
    match limit.period {
        Some(t) => format!("{what} starting in {}", label(workbook, t)),
        None => what,
    }
}

/// "at most 3 'IT' projects", "at least 2 projects", "2 to 4 projects", "exactly one …".
pub(crate) fn words(workbook: &Workbook, limit: &Limit) -> String {
    let scope = |n| scope(workbook, limit, n);
    match (limit.min, limit.max) {
        (Some(a), Some(b)) if a == b => format!("exactly {a} {}", scope(a)),
        (Some(a), Some(b)) => format!("{a} to {b} {}", scope(b)),
        (Some(a), None) => format!("at least {a} {}", scope(a)),
        (None, Some(b)) => format!("at most {b} {}", scope(b)),
        (None, None) => format!("any number of {}", scope(2)),
    }
}

fn check(workbook: &Workbook, starts: &Starts, found: &mut Vec<Violation>) {
    for (i, limit) in workbook.limits.iter().enumerate() {
        let n = counted(workbook, limit, starts).len();
        let below = limit.min.is_some_and(|m| n < m);
        let above = limit.max.is_some_and(|m| n > m);
        if below || above {
            let excess = if above {
                n - limit.max.unwrap_or(n)
            } else {
                limit.min.unwrap_or(n) - n
            };
            found.push(Violation::amount(
                Tag::Limit { limit: i },
                excess as f64,
                format!(
                    "count limit of limits.csv line {}: {n} {} selected, the limit is {}",
                    limit.line,
                    scope(workbook, limit, n),
                    words(workbook, limit)
                ),
            ));
        }
    }
}

pub(crate) fn describe(workbook: &Workbook, tag: &Tag) -> String {
    match *tag {
        Tag::Limit { limit } => match workbook.limits.get(limit) {
            Some(l) => format!(
                "count limit: {} (limits.csv line {})",
                words(workbook, l),
                l.line
            ),
            None => String::new(),
        },
        _ => String::new(),
    }
}

/// For the diagnosis: limits that forced work alone breaks (more mandatory and in-progress
/// projects than a maximum allows), or that no portfolio can meet (fewer projects that can
/// be selected than a minimum asks).
pub(crate) fn forced_overruns(workbook: &Workbook) -> Vec<Overrun> {
    let mut found = Vec::new();
    for limit in &workbook.limits {
        let of_scope = |p: usize| counts(workbook, limit, p);
        // Forced projects that must be counted: with a period, those that can start only then.
        let forced = (0..workbook.projects.len())
            .filter(|&p| of_scope(p) && workbook.projects[p].status.is_forced())
            .filter(|&p| match limit.period {
                None => true,
                Some(k) => {
                    let project = &workbook.projects[p];
                    project.earliest == k && project.latest == k
                }
            })
            .count();
        let possible = (0..workbook.projects.len())
            .filter(|&p| of_scope(p) && workbook.projects[p].status != Status::Excluded)
            .filter(|&p| {
                limit
                    .period
                    .is_none_or(|k| workbook.projects[p].window().contains(&k))
            })
            .count();
        if let Some(max) = limit.max.filter(|&m| forced > m) {
            found.push(Overrun {
                message: format!(
                    "count limit of limits.csv line {}: mandatory and in-progress work alone is {forced} {}, the limit is {}",
                    limit.line,
                    scope(workbook, limit, forced),
                    words(workbook, limit)
                ),
                over_by: Some((forced - max) as f64),
            });
        }
        if let Some(min) = limit.min.filter(|&m| possible < m) {
            found.push(Overrun {
                message: format!(
                    "count limit of limits.csv line {}: only {possible} {} can be selected, the limit is {}",
                    limit.line,
                    scope(workbook, limit, possible),
                    words(workbook, limit)
                ),
                over_by: Some((min - possible) as f64),
            });
        }
    }
    found
}

/// For the reasons: the maximum counts that adding project `p`, started in `start`, would
/// exceed ("the limit of at most 3 'IT' projects is reached by P-1, P-4 and P-7").
pub(crate) fn blockers(
    workbook: &Workbook,
    starts: &Starts,
    p: usize,
    start: usize,
) -> Vec<Blocker> {
    workbook
        .limits
        .iter()
        .filter(|limit| counts(workbook, limit, p) && limit.period.is_none_or(|k| k == start))
        .filter_map(|limit| {
            let max = limit.max?;
            let now = counted(workbook, limit, starts);
            (now.len() >= max).then(|| Blocker {
                message: if now.is_empty() {
                    format!("the limit of {} allows none", words(workbook, limit))
                } else {
                    format!(
                        "the limit of {} is reached by {}",
                        words(workbook, limit),
                        and_list(workbook, now.iter().copied())
                    )
                },
                depends_on_start: limit.period.is_some(),
                shortfall: 1.0,
            })
        })
        .collect()
}

/// For the reasons of a selected project: the minimum counts it is needed for (dropping it
/// would leave too few).
pub(crate) fn needed_for(workbook: &Workbook, starts: &Starts, p: usize) -> Option<String> {
    workbook
        .limits
        .iter()
        .find(|limit| {
            let now = counted(workbook, limit, starts);
            now.contains(&p) && limit.min.is_some_and(|m| now.len() <= m)
        })
        .map(|limit| format!("needed for the limit of {}", words(workbook, limit)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::testkit::{messages, workbook};
    use crate::rules::{agreement, check};

    fn limit(
        category: Option<usize>,
        period: Option<usize>,
        min: Option<usize>,
        max: Option<usize>,
    ) -> Limit {
        Limit {
            category,
            period,
            min,
            max,
            line: 2,
        }
    }

    #[test]
    fn a_maximum_counts_selected_projects_of_its_category() {
        let mut wb = workbook();
        wb.categories = vec!["IT".into()];
        wb.projects[0].category = Some(0);
        wb.projects[1].category = Some(0);
        wb.limits = vec![limit(Some(0), None, None, Some(1))];
        assert_eq!(
            messages(&wb, &vec![Some(0), Some(3), Some(0)]),
            ["count limit of limits.csv line 2: 2 'IT' projects selected, the limit is at most 1 'IT' project"]
        );
        assert!(check(&wb, &vec![Some(0), None, Some(0)]).is_empty());
    }

    #[test]
    fn a_minimum_and_a_period() {
        let mut wb = workbook();
        wb.limits = vec![limit(None, Some(1), Some(2), None)];
        assert_eq!(
            messages(&wb, &vec![Some(1), Some(0), None]),
            ["count limit of limits.csv line 2: 1 project starting in 2027-Q2 selected, the limit is at least 2 projects starting in 2027-Q2"]
        );
        assert!(check(&wb, &vec![Some(1), Some(1), None]).is_empty());
    }

    #[test]
    fn rows_agree_with_the_check() {
        let mut wb = workbook();
        wb.categories = vec!["IT".into()];
        wb.projects[0].category = Some(0);
        wb.projects[2].category = Some(0);
        wb.limits = vec![
            limit(Some(0), None, Some(1), Some(1)),
            limit(None, Some(0), None, Some(1)),
            limit(None, None, Some(2), None),
        ];
        agreement::holds(&wb, &RULE);
    }

    #[test]
    fn reasons_diagnosis_and_words() {
        let mut wb = workbook();
        wb.categories = vec!["IT".into()];
        for p in &mut wb.projects {
            p.category = Some(0);
        }
        wb.limits = vec![limit(Some(0), None, None, Some(2))];
        let starts = vec![Some(0), Some(1), None];
        assert_eq!(
            blockers(&wb, &starts, 2, 0)[0].message,
            "the limit of at most 2 'IT' projects is reached by P-1 and P-2"
        );
        assert!(blockers(&wb, &vec![Some(0), None, None], 2, 0).is_empty());
        assert_eq!(
            Tag::Limit { limit: 0 }.describe(&wb),
            "count limit: at most 2 'IT' projects (limits.csv line 2)"
        );
        for p in &mut wb.projects {
            p.status = Status::Mandatory;
        }
        assert_eq!(forced_overruns(&wb)[0].over_by, Some(1.0));
        wb.limits = vec![limit(None, None, Some(2), None)];
        assert_eq!(
            needed_for(&wb, &vec![Some(0), Some(0), None], 0).as_deref(),
            Some("needed for the limit of at least 2 projects")
        );
        wb.projects[1].status = Status::Excluded;
        wb.projects[2].status = Status::Excluded;
        assert_eq!(
            forced_overruns(&wb)[0].message,
            "count limit of limits.csv line 2: only 1 project can be selected, the limit is at least 2 projects"
        );
    }
}
