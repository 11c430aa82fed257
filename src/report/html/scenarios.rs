//! The scenario comparison of the HTML page: one row per scenario run, its objective's
//! change against the base and the projects that enter or leave.

use serde::Serialize;

use crate::report::comparison::{base_of, delta};
use crate::report::format::{money, value};
use crate::scenario::{ScenarioResult, BASE};

#[derive(Serialize)]
pub(super) struct ScenarioRow {
    name: String,
    status: String,
    objective: String,
    change: String,
    cost: String,
    count: usize,
    entered: String,
    left: String,
    message: String,
}

pub(super) fn scenario_rows(results: &[ScenarioResult]) -> Vec<ScenarioRow> {
    let base = base_of(results);
    results
        .iter()
        .map(|r| {
            let d = base.map(|b| delta(b, r)).unwrap_or_default();
            ScenarioRow {
                name: r.name.clone(),
                status: r.status.clone(),
                objective: r.objective.map_or_else(|| "-".to_string(), value),
                change: match (d.change, d.change_pct) {
                    _ if r.name == BASE => "-".to_string(),
                    (Some(c), Some(p)) => format!("{:+} ({:+.1}%)", round4(c), p),
                    (Some(c), None) => format!("{:+}", round4(c)),
                    _ => "-".to_string(),
                },
                cost: money(r.cost),
                count: r.count,
                entered: d.entered.join(" "),
                left: d.left.join(" "),
                message: r.message.clone(),
            }
        })
        .collect()
}

/// `x` rounded to 4 decimals, for the change column.
fn round4(x: f64) -> f64 {
    (x * 1e4).round() / 1e4
}

#[cfg(test)]
mod tests {
    use super::*;

    fn result(name: &str, objective: f64, starts: &[Option<&str>]) -> ScenarioResult {
        ScenarioResult::optimal_for_test(name, objective, 1500.0, starts)
    }

    #[test]
    fn rows_show_the_change_against_the_base_and_who_moves() {
        let rows = scenario_rows(&[
            result("cut", 80.00004, &[Some("Q1"), None, Some("Q1")]),
            result(BASE, 100.0, &[Some("Q1"), Some("Q1"), None]),
        ]);
        assert_eq!(rows[1].change, "-");
        assert_eq!(rows[0].change, "-20 (-20.0%)");
        assert_eq!(rows[0].objective, "80");
        assert_eq!(rows[0].cost, "1,500");
        assert_eq!(
            (rows[0].entered.as_str(), rows[0].left.as_str()),
            ("P-3", "P-2")
        );
    }
}
