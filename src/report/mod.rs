//! Reports: a [`Report`] is pure data built from a workbook and a checked solution — the
//! summary and the rows of the contract's output files — and the renderers turn it into a
//! terminal table, JSON, or the files of `plan --out` ([`output_files`]).
//!
//! Everything here is recomputed from the model and the chosen starts; nothing is read from
//! the solver's variables. Output is deterministic: the same report gives the same bytes
//! (`seconds` in the summary is the one field that varies between runs).

pub mod baseline;
pub mod comparison;
mod format;
pub mod frontier;
pub mod html;
pub mod reasons;
pub mod sensitivity;
pub(crate) mod table;
pub mod uncertainty;
pub mod xlsx;

use serde::Serialize;

use crate::analysis::{Impact, Ranking};
use crate::io::output::csv_bytes;
use crate::model::{Objective, Starts, WeightSource, Workbook};
use crate::solve::{Assignment, Needed, Solution, SolveOptions, SolveStatus};

pub use format::{csv_number, csv_optional};
pub use table::{render_table, render_table_width};

use crate::rules::usage::{total_cost, Usage};
use format::{json_number, json_optional};

/// Version of the summary.json layout.
pub const SCHEMA: u32 = 1;

/// Header of portfolio.csv.
pub const PORTFOLIO_HEADER: [&str; 14] = [
    "rank",
    "id",
    "name",
    "selected",
    "start",
    "end",
    "score",
    "cost",
    "category",
    "reason",
    "criticality",
    "regret",
    "extra_budget",
    "extra_fte",
];
/// Header of allocation.csv.
pub const ALLOCATION_HEADER: [&str; 4] = ["period", "pool", "project", "fte"];
/// Header of allocation.csv with teams.csv: `pool` is the skill, `team` the team that works
/// on it, `fte` the team's FTE (it covers `fte × efficiency` of the skill's demand).
pub const ALLOCATION_TEAM_HEADER: [&str; 5] = ["period", "pool", "team", "project", "fte"];
/// Header of utilisation.csv.
pub const UTILISATION_HEADER: [&str; 5] =
    ["period", "pool", "capacity", "allocated", "utilisation"];
/// Header of spend.csv.
pub const SPEND_HEADER: [&str; 4] = ["period", "category", "budget", "spent"];

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
    /// The project's total cost (its profile's sum when costs.csv gives one).
    #[serde(serialize_with = "json_number")]
    pub cost: f64,
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
    #[serde(serialize_with = "json_number")]
    pub spent: f64,
}

/// Build the report of `solution` for `workbook`.
pub fn build(workbook: &Workbook, solution: &Solution, options: &SolveOptions) -> Report {
    build_ranked(workbook, solution, options, None)
}

/// [`build`], with portfolio.csv in the order of a [`Ranking`] (selected projects by
/// criticality, descending, then the rest by regret, ascending; ties by score, then id), its
/// `criticality` and `regret` columns filled, and its reasons saying what forcing each
/// project in or out would do.
pub fn build_ranked(
    workbook: &Workbook,
    solution: &Solution,
    options: &SolveOptions,
    ranking: Option<&Ranking>,
) -> Report {
    let infeasible = solution.status == SolveStatus::Infeasible;
    let n = workbook.projects.len();
    // An infeasible solve selects nothing, whatever the solution carries.
    let starts: Starts = (0..n)
        .map(|p| {
            if infeasible {
                None
            } else {
                solution.starts.get(p).copied().flatten()
            }
        })
        .collect();
    let usage = Usage::of(workbook, &starts);
    let mut reasons = reasons::reasons(workbook, &starts, solution.status, options.objective);
    if let (Some(ranking), Some(z)) = (ranking, solution.objective) {
        reasons = reasons::with_ranking(workbook, reasons, ranking, z);
    }

    let selected: Vec<Selected> = starts
        .iter()
        .enumerate()
        .filter_map(|(p, start)| {
            start.map(|start| Selected {
                id: workbook.projects[p].id.clone(),
                start: label(workbook, start),
            })
        })
        .collect();
    let objective_kind = if options.objective == Objective::Value || workbook.drivers.is_empty() {
        "value"
    } else {
        "score"
    };
    let summary = Summary {
        schema: SCHEMA,
        status: solution.status,
        objective: solution.objective.filter(|_| !infeasible),
        bound: solution.bound.filter(|_| !infeasible),
        gap: solution.gap.filter(|_| !infeasible),
        count: selected.len(),
        selected,
        total_cost: usage.total_cost,
        seconds: solution.seconds,
        objective_kind,
        discount: options.discount,
        weights: workbook
            .drivers
            .iter()
            .map(|d| Weight {
                driver: d.name.clone(),
                weight: d.weight,
            })
            .collect(),
        consistency_ratio: match workbook.weight_source {
            WeightSource::Pairwise {
                consistency_ratio, ..
            } if !workbook.drivers.is_empty() => Some(consistency_ratio),
            _ => None,
        },
        most_inconsistent: match &workbook.weight_source {
            WeightSource::Pairwise {
                consistency_ratio,
                worst: Some(worst),
                ..
            } if *consistency_ratio > 0.10 && !workbook.drivers.is_empty() => {
                Some(worst.to_string())
            }
            _ => None,
        },
        allocation: solution
            .allocation_quality
            .filter(|_| !infeasible)
            .map(|(q, split)| AllocationSummary {
                team_project_pairs: q.pairs,
                split_skills: q.split_skills,
                fte_changes: round6(q.changes),
                proportional_split: QualitySummary {
                    team_project_pairs: split.pairs,
                    split_skills: split.split_skills,
                    fte_changes: round6(split.changes),
                },
            }),
        diagnosis: infeasible.then(|| {
            solution
                .diagnosis
                .iter()
                .flat_map(|d| d.findings.iter().map(|f| f.message.clone()))
                .collect()
        }),
        baseline: None,
    };

    Report {
        teams: workbook.staffing.is_some(),
        summary,
        portfolio: portfolio_rows(workbook, &starts, reasons, options.objective, ranking),
        allocation: match &workbook.staffing {
            Some(_) if infeasible => Vec::new(),
            Some(_) => team_allocation_rows(workbook, &solution.allocation),
            None => allocation_rows(workbook, &starts),
        },
        utilisation: match &workbook.staffing {
            Some(_) => team_utilisation_rows(
                workbook,
                if infeasible {
                    &[]
                } else {
                    &solution.allocation
                },
            ),
            None => utilisation_rows(workbook, &usage),
        },
        spend: spend_rows(workbook, &usage),
    }
}

/// A period's label; a period past the horizon (never in a valid plan) gets a readable name.
fn label(workbook: &Workbook, t: usize) -> String {
    workbook
        .periods
        .get(t)
        .cloned()
        .unwrap_or_else(|| format!("period {}", t + 1))
}

fn portfolio_rows(
    workbook: &Workbook,
    starts: &Starts,
    reasons: Vec<String>,
    objective: Objective,
    ranking: Option<&Ranking>,
) -> Vec<PortfolioRow> {
    let horizon = workbook.horizon();
    let cell = |impact: &Option<Impact>, impossible: &'static str| {
        impact.as_ref().map(|i| match i.loss() {
            Some(loss) => RankCell::Loss(loss),
            None => RankCell::Impossible(impossible),
        })
    };
    let mut rows: Vec<PortfolioRow> = workbook
        .projects
        .iter()
        .zip(reasons)
        .enumerate()
        .map(|(p, (project, reason))| {
            let start = starts.get(p).copied().flatten();
            // The last running period, clipped to the horizon (in-progress work may run past).
            let end = start.map(|s| {
                let last = s + project.duration.max(1) - 1;
                label(workbook, last.min(horizon.saturating_sub(1)))
            });
            PortfolioRow {
                rank: 0,
                id: project.id.clone(),
                name: project.name.clone(),
                selected: start.is_some(),
                start: start.map(|s| label(workbook, s)),
                end,
                score: workbook.score(p, objective),
                cost: total_cost(workbook, p),
                category: workbook.category_name(p).map(str::to_string),
                reason,
                criticality: ranking.and_then(|r| cell(&r.criticality[p], "cannot drop")),
                regret: ranking.and_then(|r| cell(&r.regret[p], "cannot fit")),
                extra_budget: ranking.and_then(|r| {
                    let t = r.takes[p].as_ref()?;
                    Some(need_cell(&t.money, t.money_total(horizon)))
                }),
                extra_fte: ranking.and_then(|r| {
                    let t = r.takes[p].as_ref()?;
                    Some(need_cell(&t.staff, t.staff_total()))
                }),
                change: None,
            }
        })
        .collect();
    if ranking.is_some() {
        // Selected by criticality (most critical first), then the rest by regret (least
        // regretted first), projects without a regret (excluded) last.
        let key = |row: &PortfolioRow| -> (u8, f64) {
            match (&row.criticality, &row.regret) {
                (Some(c), _) => (0, -c.key()),
                (None, Some(r)) => (1, r.key()),
                (None, None) if row.selected => (0, f64::NEG_INFINITY),
                (None, None) => (2, 0.0),
            }
        };
        rows.sort_by(|a, b| {
            let (ga, ka) = key(a);
            let (gb, kb) = key(b);
            ga.cmp(&gb)
                .then(ka.total_cmp(&kb))
                .then(b.score.total_cmp(&a.score))
                .then_with(|| a.id.cmp(&b.id))
        });
    } else {
        rows.sort_by(|a, b| {
            b.selected
                .cmp(&a.selected)
                .then(b.score.total_cmp(&a.score))
                .then_with(|| a.id.cmp(&b.id))
        });
    }
    for (i, row) in rows.iter_mut().enumerate() {
        row.rank = i + 1;
    }
    rows
}

/// An `extra_budget` / `extra_fte` cell.
fn need_cell(needed: &Needed, total: Option<f64>) -> RankCell {
    match (needed, total) {
        (Needed::Raises(_), Some(x)) => RankCell::Loss(x),
        (Needed::NotFound, _) => RankCell::Impossible("not found in time"),
        _ => RankCell::Impossible("no amount"),
    }
}

fn allocation_rows(workbook: &Workbook, starts: &Starts) -> Vec<AllocationRow> {
    let horizon = workbook.horizon();
    // (period, pool, project, fte), sorted by index before the labels are looked up.
    let mut loads: Vec<(usize, usize, usize, f64)> = Vec::new();
    for (p, start) in starts.iter().enumerate() {
        let (Some(start), Some(project)) = (*start, workbook.projects.get(p)) else {
            continue;
        };
        for demand in &project.demand {
            for (offset, fte) in demand.fte.iter().enumerate() {
                let t = start + offset;
                if t < horizon && *fte != 0.0 {
                    loads.push((t, demand.pool, p, *fte));
                }
            }
        }
    }
    loads.sort_by_key(|a| (a.0, a.1, a.2));
    loads
        .into_iter()
        .map(|(t, pool, p, fte)| AllocationRow {
            period: label(workbook, t),
            pool: workbook.pools.get(pool).cloned().unwrap_or_default(),
            team: None,
            project: workbook.projects[p].id.clone(),
            fte,
        })
        .collect()
}

/// allocation.csv with teams.csv: one row per (period, skill, team, project).
fn team_allocation_rows(workbook: &Workbook, allocation: &[Assignment]) -> Vec<AllocationRow> {
    let Some(staffing) = &workbook.staffing else {
        return Vec::new();
    };
    let mut rows: Vec<&Assignment> = allocation.iter().collect();
    rows.sort_by_key(|a| (a.period, a.skill, a.team, a.project));
    rows.into_iter()
        .map(|a| AllocationRow {
            period: label(workbook, a.period),
            pool: workbook.pools.get(a.skill).cloned().unwrap_or_default(),
            team: staffing.teams.get(a.team).cloned(),
            project: workbook.projects[a.project].id.clone(),
            fte: a.fte,
        })
        .collect()
}

/// utilisation.csv with teams.csv: one row per period and team.
fn team_utilisation_rows(workbook: &Workbook, allocation: &[Assignment]) -> Vec<UtilisationRow> {
    let Some(staffing) = &workbook.staffing else {
        return Vec::new();
    };
    let mut used = vec![vec![0.0; workbook.horizon()]; staffing.teams.len()];
    for a in allocation {
        if let Some(x) = used.get_mut(a.team).and_then(|row| row.get_mut(a.period)) {
            *x += a.fte;
        }
    }
    let mut rows = Vec::new();
    for (t, period) in workbook.periods.iter().enumerate() {
        for (team, name) in staffing.teams.iter().enumerate() {
            let capacity = staffing.capacity[team][t];
            let allocated = used[team][t];
            rows.push(UtilisationRow {
                period: period.clone(),
                pool: name.clone(),
                capacity,
                allocated,
                utilisation: share(allocated, capacity),
            });
        }
    }
    rows
}

/// `x` rounded to 6 decimals, so that float noise of a sum does not reach the output.
fn round6(x: f64) -> f64 {
    (x * 1e6).round() / 1e6
}

/// allocated / capacity; 0 when both are 0; `None` when capacity is 0 and something is.
fn share(allocated: f64, capacity: f64) -> Option<f64> {
    if capacity > 0.0 {
        Some(allocated / capacity)
    } else if allocated == 0.0 {
        Some(0.0)
    } else {
        None
    }
}

fn utilisation_rows(workbook: &Workbook, usage: &Usage) -> Vec<UtilisationRow> {
    let mut rows = Vec::new();
    for (t, period) in workbook.periods.iter().enumerate() {
        for (pool, name) in workbook.pools.iter().enumerate() {
            let capacity = workbook
                .capacity
                .get(pool)
                .and_then(|row| row.get(t))
                .copied()
                .unwrap_or(0.0);
            let allocated = usage
                .load
                .get(pool)
                .and_then(|row| row.get(t))
                .copied()
                .unwrap_or(0.0);
            let utilisation = share(allocated, capacity);
            rows.push(UtilisationRow {
                period: period.clone(),
                pool: name.clone(),
                capacity,
                allocated,
                utilisation,
            });
        }
    }
    rows
}

fn spend_rows(workbook: &Workbook, usage: &Usage) -> Vec<SpendRow> {
    // Categories with a budget in some period or a spend in some period get a row in every
    // period, so that each period lists the same categories; sorted by name.
    let mut categories: Vec<usize> = (0..workbook.categories.len())
        .filter(|c| {
            let budgeted = workbook
                .budget_category
                .get(c)
                .is_some_and(|caps| caps.iter().any(Option::is_some));
            let spent = usage
                .category_spend
                .get(*c)
                .is_some_and(|row| row.iter().any(|x| *x != 0.0));
            budgeted || spent
        })
        .collect();
    categories.sort_by(|a, b| workbook.categories[*a].cmp(&workbook.categories[*b]));

    let mut rows = Vec::new();
    for (t, period) in workbook.periods.iter().enumerate() {
        rows.push(SpendRow {
            period: period.clone(),
            category: None,
            budget: workbook.budget_total.get(t).copied().flatten(),
            spent: usage.spend.get(t).copied().unwrap_or(0.0),
        });
        for &c in &categories {
            rows.push(SpendRow {
                period: period.clone(),
                category: Some(workbook.categories[c].clone()),
                budget: workbook
                    .budget_category
                    .get(&c)
                    .and_then(|caps| caps.get(t))
                    .copied()
                    .flatten(),
                spent: usage
                    .category_spend
                    .get(c)
                    .and_then(|row| row.get(t))
                    .copied()
                    .unwrap_or(0.0),
            });
        }
    }
    rows
}

/// The summary and the ranked portfolio, as one JSON object (stdout of `--format json`).
#[derive(Serialize)]
struct JsonReport<'a> {
    #[serde(flatten)]
    summary: &'a Summary,
    portfolio: &'a [PortfolioRow],
}

/// Serialise to pretty JSON with a final newline. Our types only hold strings, numbers,
/// booleans and sequences, which serde_json always serialises.
fn to_json<T: Serialize>(value: &T) -> String {
    let mut text = serde_json::to_string_pretty(value)
        .expect("report types hold only strings, numbers and lists, which always serialise");
    text.push('\n');
    text
}

/// summary.json.
pub fn render_summary_json(report: &Report) -> String {
    to_json(&report.summary)
}

/// The summary's keys followed by `"portfolio": [rows in rank order]`.
pub fn render_json(report: &Report) -> String {
    to_json(&JsonReport {
        summary: &report.summary,
        portfolio: &report.portfolio,
    })
}

fn text(value: &Option<String>) -> String {
    value.clone().unwrap_or_default()
}

/// The cells of portfolio.csv.
pub fn portfolio_records(report: &Report) -> Vec<Vec<String>> {
    report
        .portfolio
        .iter()
        .map(|row| {
            vec![
                row.rank.to_string(),
                row.id.clone(),
                row.name.clone(),
                row.selected.to_string(),
                text(&row.start),
                text(&row.end),
                csv_number(row.score),
                csv_number(row.cost),
                text(&row.category),
                row.reason.clone(),
                row.criticality
                    .as_ref()
                    .map(RankCell::csv)
                    .unwrap_or_default(),
                row.regret.as_ref().map(RankCell::csv).unwrap_or_default(),
                row.extra_budget
                    .as_ref()
                    .map(RankCell::csv)
                    .unwrap_or_default(),
                row.extra_fte
                    .as_ref()
                    .map(RankCell::csv)
                    .unwrap_or_default(),
            ]
            .into_iter()
            // A re-plan's `change` column, only when there is a baseline.
            .chain(
                report
                    .summary
                    .baseline
                    .as_ref()
                    .map(|_| row.change.clone().unwrap_or_default()),
            )
            .collect()
        })
        .collect()
}

/// The header of portfolio.csv: [`PORTFOLIO_HEADER`], then `change` for a re-plan.
pub fn portfolio_header(report: &Report) -> Vec<&'static str> {
    let mut header = PORTFOLIO_HEADER.to_vec();
    if report.summary.baseline.is_some() {
        header.push("change");
    }
    header
}

/// The cells of allocation.csv.
pub fn allocation_records(report: &Report) -> Vec<Vec<String>> {
    report
        .allocation
        .iter()
        .map(|row| {
            let mut cells = vec![row.period.clone(), row.pool.clone()];
            cells.extend(row.team.clone());
            cells.extend([row.project.clone(), csv_number(row.fte)]);
            cells
        })
        .collect()
}

/// The header of allocation.csv: with a `team` column when the workbook has teams.csv.
pub fn allocation_header(report: &Report) -> &'static [&'static str] {
    if report.teams {
        &ALLOCATION_TEAM_HEADER
    } else {
        &ALLOCATION_HEADER
    }
}

/// The cells of utilisation.csv.
pub fn utilisation_records(report: &Report) -> Vec<Vec<String>> {
    report
        .utilisation
        .iter()
        .map(|row| {
            vec![
                row.period.clone(),
                row.pool.clone(),
                csv_number(row.capacity),
                csv_number(row.allocated),
                csv_optional(row.utilisation),
            ]
        })
        .collect()
}

/// The cells of spend.csv.
pub fn spend_records(report: &Report) -> Vec<Vec<String>> {
    report
        .spend
        .iter()
        .map(|row| {
            vec![
                row.period.clone(),
                text(&row.category),
                csv_optional(row.budget),
                csv_number(row.spent),
            ]
        })
        .collect()
}

fn bytes_to_string(bytes: Vec<u8>) -> String {
    // Every cell is a Rust `String`, so the CSV is UTF-8.
    String::from_utf8_lossy(&bytes).into_owned()
}

/// portfolio.csv (stdout of `--format csv`).
pub fn render_csv(report: &Report) -> String {
    bytes_to_string(csv_bytes(
        &portfolio_header(report),
        &portfolio_records(report),
    ))
}

/// The files of `plan --out DIR`, in a fixed order: summary.json, portfolio.csv,
/// allocation.csv, utilisation.csv, spend.csv. Write them with
/// [`crate::io::output::write_outputs`].
pub fn output_files(report: &Report) -> Vec<(&'static str, Vec<u8>)> {
    vec![
        ("summary.json", render_summary_json(report).into_bytes()),
        (
            "portfolio.csv",
            csv_bytes(&portfolio_header(report), &portfolio_records(report)),
        ),
        (
            "allocation.csv",
            csv_bytes(allocation_header(report), &allocation_records(report)),
        ),
        (
            "utilisation.csv",
            csv_bytes(&UTILISATION_HEADER, &utilisation_records(report)),
        ),
        (
            "spend.csv",
            csv_bytes(&SPEND_HEADER, &spend_records(report)),
        ),
    ]
}

#[cfg(test)]
pub(crate) mod testkit {
    //! Tiny hand-built workbooks for the report tests.
    use crate::model::{Project, Workbook};

    /// A candidate with its cost spread evenly, allowed anywhere in the horizon (the window is
    /// clipped by [`workbook`]).
    pub fn project(id: &str, cost: f64, duration: usize, value: f64) -> Project {
        Project::candidate(id, cost, duration, value, usize::MAX)
    }

    /// A workbook over `periods` with no budget, pools or categories yet.
    pub fn workbook(periods: &[&str], mut projects: Vec<Project>) -> Workbook {
        let horizon = periods.len();
        for project in &mut projects {
            project.latest = project.latest.min(horizon.saturating_sub(project.duration));
        }
        Workbook {
            periods: periods.iter().map(|p| p.to_string()).collect(),
            projects,
            budget_total: vec![None; horizon],
            ..Workbook::default()
        }
    }
}

#[cfg(test)]
mod tests;
