//! The comparison of a scenario run: `comparison.csv` (start of every project in every
//! scenario), the output `scenarios.csv` (one row per scenario, with what changed against
//! `base`), `timings.csv` when asked for, and the table printed on stdout.
//!
//! Everything is computed from [`ScenarioResult`]s only, so that `arbiter merge` rebuilds the
//! same bytes from shard manifests as one run does from its solves.

use std::collections::BTreeSet;

use super::format::{csv_number, csv_optional, money, signed, value};
use super::text::aligned;
use crate::io::output::csv_bytes;
use crate::scenario::{ScenarioResult, BASE};

/// Header of the output scenarios.csv.
pub const SCENARIOS_HEADER: [&str; 13] = [
    "scenario",
    "status",
    "objective",
    "gap",
    "cost",
    "count",
    "bound",
    "change",
    "change_pct",
    "entered",
    "left",
    "moved",
    "message",
];

/// Header of timings.csv.
pub const TIMINGS_HEADER: [&str; 6] = ["scenario", "apply", "encode", "solve", "report", "total"];

/// How one scenario differs from the base.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Delta {
    /// Objective minus the base's (both must have a portfolio).
    pub change: Option<f64>,
    /// `change` in percent of |base objective| (none when the base objective is 0).
    pub change_pct: Option<f64>,
    /// Selected here, not in the base.
    pub entered: Vec<String>,
    /// Selected in the base, not here.
    pub left: Vec<String>,
    /// Selected in both, starting in another period.
    pub moved: Vec<String>,
}

/// The base: the result named `base`, else the first.
pub(super) fn base_of(results: &[ScenarioResult]) -> Option<&ScenarioResult> {
    results
        .iter()
        .find(|r| r.name == BASE)
        .or_else(|| results.first())
}

/// What changed in `result` against `base`. Lists follow `result`'s project order, then
/// the base's for projects that left.
pub fn delta(base: &ScenarioResult, result: &ScenarioResult) -> Delta {
    let mut d = Delta::default();
    if let (Some(b), Some(o), true, true) = (
        base.objective,
        result.objective,
        base.has_portfolio(),
        result.has_portfolio(),
    ) {
        d.change = Some(o - b);
        d.change_pct = (b != 0.0).then(|| (o - b) / b.abs() * 100.0);
    }
    if !result.has_portfolio() || !base.has_portfolio() {
        return d;
    }
    for (id, start) in result.projects.iter().zip(&result.starts) {
        match (start, base.start_of(id)) {
            (Some(_), None) => d.entered.push(id.clone()),
            (Some(s), Some(b)) if s != b => d.moved.push(id.clone()),
            _ => {}
        }
    }
    for (id, start) in base.projects.iter().zip(&base.starts) {
        if start.is_some() && result.start_of(id).is_none() {
            d.left.push(id.clone());
        }
    }
    d
}

/// comparison.csv: one row per project (every id of every scenario: the base's order, then
/// ids only other workbooks have, in order of appearance), one column per scenario with the
/// start period, or empty when out.
pub fn comparison_csv(results: &[ScenarioResult]) -> Vec<u8> {
    let mut ids: Vec<&str> = Vec::new();
    let mut seen: BTreeSet<&str> = BTreeSet::new();
    let base = base_of(results);
    for r in base.into_iter().chain(results) {
        for id in &r.projects {
            if seen.insert(id) {
                ids.push(id);
            }
        }
    }
    let mut header: Vec<&str> = vec!["id"];
    header.extend(results.iter().map(|r| r.name.as_str()));
    let rows: Vec<Vec<String>> = ids
        .iter()
        .map(|id| {
            std::iter::once(id.to_string())
                .chain(
                    results
                        .iter()
                        .map(|r| r.start_of(id).unwrap_or_default().to_string()),
                )
                .collect()
        })
        .collect();
    csv_bytes(&header, &rows)
}

/// The output scenarios.csv: one row per scenario, in run order.
pub fn scenarios_csv(results: &[ScenarioResult]) -> Vec<u8> {
    let base = base_of(results);
    let rows: Vec<Vec<String>> = results
        .iter()
        .map(|r| {
            let d = base.map(|b| delta(b, r)).unwrap_or_default();
            vec![
                r.name.clone(),
                r.status.clone(),
                csv_optional(r.objective),
                csv_optional(r.gap),
                csv_number(r.cost),
                r.count.to_string(),
                csv_optional(r.bound),
                csv_optional(d.change),
                csv_optional(d.change_pct),
                d.entered.join(";"),
                d.left.join(";"),
                d.moved.join(";"),
                r.message.clone(),
            ]
        })
        .collect();
    csv_bytes(&SCENARIOS_HEADER, &rows)
}

/// timings.csv: seconds per scenario and stage (only with `--timings`: they vary per run).
pub fn timings_csv(results: &[ScenarioResult]) -> Vec<u8> {
    let rows: Vec<Vec<String>> = results
        .iter()
        .map(|r| {
            let t = &r.timing;
            vec![
                r.name.clone(),
                csv_number(t.apply),
                csv_number(t.encode),
                csv_number(t.solve),
                csv_number(t.report),
                csv_number(t.apply + t.encode + t.solve + t.report),
            ]
        })
        .collect();
    csv_bytes(&TIMINGS_HEADER, &rows)
}

/// The files a scenario run writes at the top of its output folder: comparison.csv,
/// scenarios.csv, and timings.csv when `timings`.
pub fn output_files(results: &[ScenarioResult], timings: bool) -> Vec<(String, Vec<u8>)> {
    let mut files = vec![
        ("comparison.csv".to_string(), comparison_csv(results)),
        ("scenarios.csv".to_string(), scenarios_csv(results)),
    ];
    if timings {
        files.push(("timings.csv".to_string(), timings_csv(results)));
    }
    files
}

/// At most this many ids are listed in a table cell; the rest are counted.
const LIST_MAX: usize = 4;

fn short_list(ids: &[String]) -> String {
    if ids.is_empty() {
        return "-".to_string();
    }
    let mut out = ids
        .iter()
        .take(LIST_MAX)
        .cloned()
        .collect::<Vec<_>>()
        .join(" ");
    if ids.len() > LIST_MAX {
        out.push_str(&format!(" +{}", ids.len() - LIST_MAX));
    }
    out
}

/// The comparison for a terminal: one line per scenario, then the messages of scenarios
/// that are infeasible or failed.
pub fn render_comparison(results: &[ScenarioResult]) -> String {
    let base = base_of(results);
    let header = [
        "scenario",
        "status",
        "objective",
        "vs base",
        "cost",
        "projects",
        "entered",
        "left",
    ];
    let right = [false, false, true, true, true, true, false, false];
    let rows: Vec<[String; 8]> = results
        .iter()
        .map(|r| {
            let d = base.map(|b| delta(b, r)).unwrap_or_default();
            let versus = match (d.change, d.change_pct) {
                _ if base.is_some_and(|b| b.name == r.name) => "-".to_string(),
                (Some(c), Some(p)) => format!("{} ({}%)", signed(c, 4), signed(p, 1)),
                (Some(c), None) => signed(c, 4),
                _ => "-".to_string(),
            };
            [
                r.name.clone(),
                r.status.clone(),
                r.objective.map_or("-".to_string(), value),
                versus,
                if r.has_portfolio() {
                    money(r.cost)
                } else {
                    "-".to_string()
                },
                if r.has_portfolio() {
                    r.count.to_string()
                } else {
                    "-".to_string()
                },
                short_list(&d.entered),
                short_list(&d.left),
            ]
        })
        .collect();
    let mut out = aligned(&header, &rows, &right);
    for r in results.iter().filter(|r| !r.message.is_empty()) {
        out.push_str(&format!("{} ({}): {}\n", r.name, r.status, r.message));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn result(name: &str, objective: f64, starts: &[Option<&str>]) -> ScenarioResult {
        ScenarioResult::optimal_for_test(name, objective, 10.0, starts)
    }

    #[test]
    fn delta_names_what_entered_left_and_moved() {
        let base = result("base", 100.0, &[Some("Q1"), Some("Q1"), None]);
        let cut = result("cut", 80.0, &[Some("Q2"), None, Some("Q1")]);
        let d = delta(&base, &cut);
        assert_eq!(d.change, Some(-20.0));
        assert_eq!(d.change_pct, Some(-20.0));
        assert_eq!(
            (d.entered, d.left, d.moved),
            (
                vec!["P-3".to_string()],
                vec!["P-2".to_string()],
                vec!["P-1".to_string()]
            )
        );
    }

    #[test]
    fn comparison_has_a_column_per_scenario_and_a_row_per_project() {
        let base = result("base", 100.0, &[Some("Q1"), None]);
        let mut other = result("more, please", 120.0, &[Some("Q2"), Some("Q1"), Some("Q1")]);
        other.projects[2] = "NEW".into();
        let text = String::from_utf8(comparison_csv(&[base, other])).unwrap();
        assert_eq!(
            text,
            "id,base,\"more, please\"\nP-1,Q1,Q2\nP-2,,Q1\nNEW,,Q1\n"
        );
    }

    #[test]
    fn scenarios_rows_and_table() {
        let base = result("base", 100.0, &[Some("Q1"), Some("Q1")]);
        let mut failed = result("broken", 0.0, &[None, None]);
        failed.status = "infeasible".into();
        failed.objective = None;
        failed.message = "budget of Q1 is over by 5".into();
        let both = [base, failed];
        let text = String::from_utf8(scenarios_csv(&both)).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines[0], SCENARIOS_HEADER.join(","));
        assert_eq!(lines[1], "base,optimal,100,0,10,2,100,0,0,,,,");
        assert_eq!(
            lines[2],
            "broken,infeasible,,0,10,0,0,,,,,,budget of Q1 is over by 5"
        );
        let table = render_comparison(&both);
        assert!(
            table.contains("broken (infeasible): budget of Q1 is over by 5"),
            "{table}"
        );
    }
}
