//! Reports: a [`Report`] is pure data built from a workbook and a checked solution — the
//! summary and the rows of the contract's output files — and the renderers turn it into a
//! terminal table, JSON, or the files of `plan --out` ([`output_files`]).
//!
//! Everything here is recomputed from the model and the chosen starts; nothing is read from
//! the solver's variables. Output is deterministic: the same report gives the same bytes
//! (`seconds` in the summary is the one field that varies between runs).
//!
//! This file owns the data (the [`Report`] and its rows); [`build()`] fills it,
//! `files` writes it as summary.json and the CSV files, `table` as the terminal table.

pub mod baseline;
mod build;
pub mod comparison;
mod files;
mod format;
pub mod frontier;
pub mod html;
pub mod reasons;
pub mod sensitivity;
pub(crate) mod table;
#[cfg(test)]
pub(crate) mod testkit;
mod text;
pub mod uncertainty;
pub mod xlsx;

use serde::Serialize;

use crate::solve::SolveStatus;

pub use build::{build, build_ranked};
pub use files::{
    allocation_header, allocation_records, output_files, portfolio_header, portfolio_records,
    render_csv, render_json, render_summary_json, spend_records, utilisation_records,
    ALLOCATION_HEADER, ALLOCATION_TEAM_HEADER, PORTFOLIO_HEADER, SPEND_HEADER, UTILISATION_HEADER,
};
pub use format::{csv_number, csv_optional};
pub use table::{render_table, render_table_width};

use format::{json_number, json_optional};

/// Version of the summary.json layout.
pub const SCHEMA: u32 = 1;

/// Everything `plan` reports about one solve.
#[derive(Debug, Clone, PartialEq)]
pub struct Report {
    pub summary: Summary,
    /// One row per project, in rank order.
    pub portfolio: Vec<PortfolioRow>,
    pub allocation: Vec<AllocationRow>,
    /// Per pool and period; with teams.csv, per team and period.
    pub utilisation: Vec<UtilisationRow>,
    pub spend: Vec<SpendRow>,
    /// The workbook has teams.csv: allocation.csv has a `team` column.
    pub teams: bool,
    /// Some project may be funded in part: portfolio.csv has a `share` column.
    pub partial: bool,
}

/// summary.json: the contract's keys in the contract's order, then extras.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Summary {
    pub schema: u32,
    pub status: SolveStatus,
    /// `None` (null) when infeasible.
    #[serde(serialize_with = "json_optional")]
    pub objective: Option<f64>,
    #[serde(serialize_with = "json_optional")]
    pub bound: Option<f64>,
    #[serde(serialize_with = "json_optional")]
    pub gap: Option<f64>,
    /// Selected projects in project order; empty when infeasible.
    pub selected: Vec<Selected>,
    /// Cost of the selected projects counted inside the horizon.
    #[serde(serialize_with = "json_number")]
    pub total_cost: f64,
    /// Wall-clock seconds of the solve.
    #[serde(serialize_with = "json_number")]
    pub seconds: f64,
    // Extras, after the contract's keys.
    /// The limit that stopped the solve short of a proof: `"time"` (`--time-limit`, an
    /// answer that depends on the machine), `"nodes"` (`--node-limit`, reproducible), or
    /// null when the solve ran to its end.
    pub stopped_by: Option<crate::solve::Limit>,
    /// Number of selected projects.
    pub count: usize,
    /// `score` (weighted drivers) or `value`.
    pub objective_kind: &'static str,
    #[serde(serialize_with = "json_number")]
    pub discount: f64,
    /// Normalised driver weights; left out when there are no drivers.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub weights: Vec<Weight>,
    /// Saaty's consistency ratio, when the weights come from pairwise.csv.
    #[serde(
        skip_serializing_if = "Option::is_none",
        serialize_with = "json_optional"
    )]
    pub consistency_ratio: Option<f64>,
    /// When the consistency ratio is above 0.10: the comparison furthest from the weights,
    /// the first to revisit.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub most_inconsistent: Option<String>,
    /// What breaks, when infeasible; left out otherwise.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub diagnosis: Option<Vec<String>>,
    /// What changed against the baseline of a re-plan (`plan --baseline`); left out
    /// otherwise.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub baseline: Option<baseline::Against>,
    /// With teams.csv: how the allocation reads, and how the proportional split of the same
    /// staffing would (what the allocation rule gains).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub allocation: Option<AllocationSummary>,
}

/// The quality of a team allocation in summary.json.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AllocationSummary {
    /// (team, project) pairs.
    pub team_project_pairs: usize,
    /// (project, skill) pairs whose demand is split across more than one team.
    pub split_skills: usize,
    /// Σ |FTE change| of a team on a project's skill between consecutive periods.
    #[serde(serialize_with = "json_number")]
    pub fte_changes: f64,
    /// The same three for the proportional split of the same staffing.
    pub proportional_split: QualitySummary,
}

/// [`AllocationSummary`]'s numbers for the proportional split.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct QualitySummary {
    pub team_project_pairs: usize,
    pub split_skills: usize,
    #[serde(serialize_with = "json_number")]
    pub fte_changes: f64,
}

/// One selected project in summary.json.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Selected {
    pub id: String,
    /// Start period label.
    pub start: String,
    /// The share at which it is funded, for a project that may be funded in part
    /// (projects.csv `min_share`); absent for the others.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub share: Option<f64>,
}

/// One driver weight in summary.json.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Weight {
    pub driver: String,
    #[serde(serialize_with = "json_number")]
    pub weight: f64,
}

/// One row of portfolio.csv.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PortfolioRow {
    /// 1-based rank: selected first by score descending, then the rest; ties by id.
    pub rank: usize,
    pub id: String,
    pub name: String,
    pub selected: bool,
    /// Start period label; `None` when out.
    pub start: Option<String>,
    /// Last running period inside the horizon; `None` when out.
    pub end: Option<String>,
    #[serde(serialize_with = "json_number")]
    pub score: f64,
    /// The project's total cost (its profile's sum when costs.csv gives one), at its share
    /// when it is funded in part.
    #[serde(serialize_with = "json_number")]
    pub cost: f64,
    /// The share at which a selected project is funded (1 = whole), when some project of
    /// the workbook may be funded in part; `None` otherwise, and for a project that is out.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub share: Option<f64>,
    pub category: Option<String>,
    /// Why it is out, or what makes it critical.
    pub reason: String,
    /// For a selected project, the objective lost when it is forced out (`cannot drop` when
    /// no feasible portfolio lacks it); empty without a ranking.
    pub criticality: Option<RankCell>,
    /// For a candidate that is out, the objective lost when it is forced in (`cannot fit`
    /// when no feasible portfolio has it); empty without a ranking.
    pub regret: Option<RankCell>,
    /// For a candidate that is out: the extra money that brings it in beside every selected
    /// project (`no amount` when money alone cannot); empty without a ranking.
    pub extra_budget: Option<RankCell>,
    /// Likewise in FTE-periods of extra staff.
    pub extra_fte: Option<RankCell>,
    /// Against the baseline of a re-plan: `kept`, `entered`, `left`, `moved from <period>`,
    /// or empty (out in both); `None` (no column) without a baseline.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub change: Option<String>,
}

/// A criticality or regret cell: a loss, or why there is none.
#[derive(Debug, Clone, PartialEq)]
pub enum RankCell {
    Loss(f64),
    /// `cannot drop` / `cannot fit`.
    Impossible(&'static str),
}

impl RankCell {
    /// For sorting: an impossible change counts as an infinite loss.
    fn key(&self) -> f64 {
        match self {
            RankCell::Loss(x) => *x,
            RankCell::Impossible(_) => f64::INFINITY,
        }
    }

    fn csv(&self) -> String {
        match self {
            RankCell::Loss(x) => csv_number(*x),
            RankCell::Impossible(text) => text.to_string(),
        }
    }
}

impl Serialize for RankCell {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            RankCell::Loss(x) => json_number(x, serializer),
            RankCell::Impossible(text) => serializer.serialize_str(text),
        }
    }
}

/// One row of allocation.csv: a selected project's load on a pool in a period.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AllocationRow {
    pub period: String,
    pub pool: String,
    /// With teams.csv: the team that gives the FTE.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub team: Option<String>,
    pub project: String,
    #[serde(serialize_with = "json_number")]
    pub fte: f64,
}

/// One row of utilisation.csv.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct UtilisationRow {
    pub period: String,
    pub pool: String,
    #[serde(serialize_with = "json_number")]
    pub capacity: f64,
    #[serde(serialize_with = "json_number")]
    pub allocated: f64,
    /// allocated / capacity; 0 when both are 0; `None` when capacity is 0 and something is
    /// allocated (never in a checked plan).
    #[serde(serialize_with = "json_optional")]
    pub utilisation: Option<f64>,
}

/// One row of spend.csv.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SpendRow {
    pub period: String,
    /// `None` on the period's total row.
    pub category: Option<String>,
    /// The cap; `None` when there is none.
    #[serde(serialize_with = "json_optional")]
    pub budget: Option<f64>,
    /// Net spend counted against the budget: outflows less the cash the projects bring in.
    #[serde(serialize_with = "json_number")]
    pub spent: f64,
    /// Cash the projects bring in (their negative cost amounts), already netted in `spent`.
    #[serde(serialize_with = "json_number")]
    pub inflow: f64,
    /// Unspent budget carried in from the period before (budget.csv `carry`); 0 without.
    #[serde(serialize_with = "json_number")]
    pub carried_in: f64,
}

#[cfg(test)]
mod tests;
