//! How the rules name things in their messages: projects, periods, pools and categories
//! (with placeholders for an index the workbook does not have, so that the checker can
//! describe a malformed portfolio), id lists in prose, and exact numbers.

use crate::model::Workbook;

/// The label of period `t` (or a placeholder past the horizon), for the checker.
pub(crate) fn period(workbook: &Workbook, t: usize) -> String {
    match workbook.periods.get(t) {
        Some(label) => label.clone(),
        None => format!("period #{} (past the horizon)", t + 1),
    }
}

/// The label of period `t` (or `period N` past the horizon), for the reasons.
pub(crate) fn label(workbook: &Workbook, t: usize) -> String {
    workbook
        .periods
        .get(t)
        .cloned()
        .unwrap_or_else(|| format!("period {}", t + 1))
}

/// The id of project `p` (or a placeholder for an index the workbook does not have).
pub(crate) fn id(workbook: &Workbook, p: usize) -> String {
    match workbook.projects.get(p) {
        Some(project) => project.id.clone(),
        None => format!("unknown project #{}", p + 1),
    }
}

/// A pool's name quoted (`'data'`), or its number.
pub(crate) fn pool(workbook: &Workbook, k: usize) -> String {
    match workbook.pools.get(k) {
        Some(name) => format!("'{name}'"),
        None => format!("#{}", k + 1),
    }
}

/// A category's name quoted, or its number.
pub(crate) fn category(workbook: &Workbook, c: usize) -> String {
    match workbook.categories.get(c) {
        Some(name) => format!("'{name}'"),
        None => format!("#{}", c + 1),
    }
}

/// A forced project as the diagnosis names it: "mandatory P-3", "in-progress P-3", or, when
/// a scenario's `include` forced it in, "P-3 (forced in by scenario 'x')" — kept apart, so
/// that nobody reads a what-if as a commitment.
pub(crate) fn forced(workbook: &Workbook, p: usize) -> String {
    let project = &workbook.projects[p];
    match &project.forced_by {
        Some(scenario) => format!("{} (forced in by scenario '{scenario}')", project.id),
        None => format!(
            "{} {}",
            project.status.as_str().replace('_', "-"),
            project.id
        ),
    }
}

/// Why a forced project must be in, in words: "mandatory", "in progress", "forced in by
/// scenario 'x'".
pub(crate) fn forced_status(workbook: &Workbook, p: usize) -> String {
    let project = &workbook.projects[p];
    match &project.forced_by {
        Some(scenario) => format!("forced in by scenario '{scenario}'"),
        None => project.status.as_str().replace('_', " "),
    }
}

/// The ids of `projects`, comma-separated: "P-3, P-9".
pub(crate) fn ids(workbook: &Workbook, projects: &[usize]) -> String {
    projects
        .iter()
        .filter_map(|&q| workbook.projects.get(q))
        .map(|q| q.id.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

/// The ids of `projects` as prose: "P-3", "P-3 and P-9", "P-1, P-3 and P-9" (empty for
/// none).
pub(crate) fn and_list(workbook: &Workbook, projects: impl Iterator<Item = usize>) -> String {
    let names: Vec<&str> = projects
        .filter_map(|q| workbook.projects.get(q))
        .map(|q| q.id.as_str())
        .collect();
    match names.as_slice() {
        [] => String::new(),
        [one] => one.to_string(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}

/// "requires P-3, P-9, which are out": `what` the ids of `projects`, and their `state`.
pub(crate) fn which(workbook: &Workbook, what: &str, projects: &[usize], state: &str) -> String {
    format!(
        "{what} {}, which {} {state}",
        ids(workbook, projects),
        is_or_are(projects.len())
    )
}

/// "is" for one, "are" for several.
pub(crate) fn is_or_are(count: usize) -> &'static str {
    if count == 1 {
        "is"
    } else {
        "are"
    }
}

/// A number for the checker's messages: at least one decimal, at most nine, trailing zeros
/// trimmed (exact enough to see a tolerance at work).
pub(crate) fn exact(x: f64) -> String {
    let text = format!("{x:.9}");
    let text = text.trim_end_matches('0');
    if text.ends_with('.') {
        format!("{text}0")
    } else {
        text.to_string()
    }
}

/// A percentage for the checker's messages.
pub(crate) fn exact_percent(share: f64) -> String {
    format!("{}%", exact(share * 100.0))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::testkit::workbook;

    #[test]
    fn exact_numbers_are_readable() {
        assert_eq!(exact(2.0), "2.0");
        assert_eq!(exact(2.5), "2.5");
        assert_eq!(exact(1234.125), "1234.125");
        assert_eq!(exact(0.1 + 0.2), "0.3");
        assert_eq!(exact(-3.0), "-3.0");
        assert_eq!(exact_percent(1.0 / 3.0), "33.333333333%");
    }

    #[test]
    fn names_have_placeholders_for_what_the_workbook_lacks() {
        let wb = workbook();
        assert_eq!(period(&wb, 1), "2027-Q2");
        assert_eq!(period(&wb, 4), "period #5 (past the horizon)");
        assert_eq!(label(&wb, 4), "period 5");
        assert_eq!(id(&wb, 7), "unknown project #8");
        assert_eq!(pool(&wb, 0), "#1");
        assert_eq!(category(&wb, 2), "#3");
    }

    #[test]
    fn id_lists_read_as_prose() {
        let wb = workbook();
        assert_eq!(ids(&wb, &[0, 2]), "P-1, P-3");
        assert_eq!(and_list(&wb, [0].into_iter()), "P-1");
        assert_eq!(and_list(&wb, [0, 2].into_iter()), "P-1 and P-3");
        assert_eq!(and_list(&wb, 0..3), "P-1, P-2 and P-3");
        assert_eq!(and_list(&wb, std::iter::empty()), "");
        assert_eq!(is_or_are(1), "is");
        assert_eq!(is_or_are(2), "are");
    }
}
