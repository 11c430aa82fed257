//! The scenario comparison of the HTML page: one row per scenario run, its objective's
//! change against the base and the projects that enter or leave.

use serde::Serialize;

use crate::report::comparison::delta;
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
    let base = results
        .iter()
        .find(|r| r.name == BASE)
        .or_else(|| results.first());
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

fn round4(x: f64) -> f64 {
    (x * 1e4).round() / 1e4
}
