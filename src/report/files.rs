//! Writing a [`Report`]: summary.json, `--format json`, and the cells and headers of
//! portfolio.csv, allocation.csv, utilisation.csv and spend.csv (the contract's files of
//! `plan --out`, in [`output_files`]).

use serde::Serialize;

use super::format::{csv_number, csv_optional};
use super::{PortfolioRow, RankCell, Report, Summary};
use crate::io::output::csv_bytes;

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
pub const SPEND_HEADER: [&str; 6] = [
    "period",
    "category",
    "budget",
    "spent",
    "inflow",
    "carried_in",
];

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
            // A `share` column, only when some project may be funded in part.
            .chain(
                report
                    .partial
                    .then(|| row.share.map(csv_number).unwrap_or_default()),
            )
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

/// The header of portfolio.csv: [`PORTFOLIO_HEADER`], then `share` when some project may be
/// funded in part, then `change` for a re-plan.
pub fn portfolio_header(report: &Report) -> Vec<&'static str> {
    let mut header = PORTFOLIO_HEADER.to_vec();
    if report.partial {
        header.push("share");
    }
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
                csv_number(row.inflow),
                csv_number(row.carried_in),
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
