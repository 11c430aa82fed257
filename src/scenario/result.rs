//! One scenario's line in the comparison: status, objective, cost, and the start of every
//! project — everything `comparison.csv`, the output `scenarios.csv` and a shard manifest
//! need, so that `arbiter merge` can rebuild them without solving again.

use serde::{Deserialize, Serialize};

use super::Job;
use crate::model::Workbook;

/// Where a scenario's time went, in seconds (not written unless timings are asked for).
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct Timing {
    /// Applying the scenario's changes to the base workbook.
    pub apply: f64,
    /// Encoding the MILP and loading it into HiGHS.
    pub encode: f64,
    /// HiGHS, the tie-break, and the independent check.
    pub solve: f64,
    /// Building the report and its file bytes.
    pub report: f64,
}

/// The outcome of one scenario.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ScenarioResult {
    pub name: String,
    pub folder: String,
    /// `optimal`, `feasible`, `infeasible`, or `error` (the run failed; see `message`).
    pub status: String,
    pub objective: Option<f64>,
    pub bound: Option<f64>,
    pub gap: Option<f64>,
    /// Cost of the selected projects inside the horizon.
    pub cost: f64,
    /// Number of selected projects.
    pub count: usize,
    /// Project ids of the scenario's workbook, in its order.
    pub projects: Vec<String>,
    /// Start period label per project of `projects` (`None`: not selected).
    pub starts: Vec<Option<String>>,
    /// Why it failed or what makes it infeasible; empty otherwise.
    pub message: String,
    #[serde(default)]
    pub timing: Timing,
}

impl ScenarioResult {
    pub(crate) fn failed(job: &Job<'_>, wb: &Workbook, message: String) -> ScenarioResult {
        ScenarioResult {
            name: job.name.clone(),
            folder: job.folder.clone(),
            status: "error".to_string(),
            objective: None,
            bound: None,
            gap: None,
            cost: 0.0,
            count: 0,
            projects: wb.projects.iter().map(|p| p.id.clone()).collect(),
            starts: vec![None; wb.projects.len()],
            message,
            timing: Timing::default(),
        }
    }

    /// For tests: an optimal scenario `name` of projects P-1, P-2, … with these start
    /// labels, at `objective` (also its bound) and `cost`.
    #[cfg(test)]
    pub(crate) fn optimal_for_test(
        name: &str,
        objective: f64,
        cost: f64,
        starts: &[Option<&str>],
    ) -> ScenarioResult {
        ScenarioResult {
            name: name.into(),
            folder: name.into(),
            status: "optimal".into(),
            objective: Some(objective),
            bound: Some(objective),
            gap: Some(0.0),
            cost,
            count: starts.iter().flatten().count(),
            projects: (1..=starts.len()).map(|i| format!("P-{i}")).collect(),
            starts: starts.iter().map(|s| s.map(str::to_string)).collect(),
            message: String::new(),
            timing: Timing::default(),
        }
    }

    /// Whether the scenario has a portfolio (optimal or feasible).
    pub fn has_portfolio(&self) -> bool {
        matches!(self.status.as_str(), "optimal" | "feasible")
    }

    /// The start label of project `id`, when selected.
    pub fn start_of(&self, id: &str) -> Option<&str> {
        self.projects
            .iter()
            .position(|p| p == id)
            .and_then(|i| self.starts[i].as_deref())
    }
}
