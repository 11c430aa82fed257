//! The plan's part of the HTML page: the headline numbers, the Gantt of the selected
//! projects by category, the pool × period utilisation heatmap, budget against spend per
//! period, and the ranked portfolio with its reasons.

use std::collections::BTreeMap;

use serde::Serialize;

use super::{LABEL, ROW, WIDTH};
use crate::model::Workbook;
use crate::report::format::{money, percent, value};
use crate::report::text::cut;
use crate::report::{PortfolioRow, Report, SpendRow};

/// Category colours, in the order of the workbook's categories (repeating).
const PALETTE: [&str; 8] = [
    "#4e79a7", "#f28e2b", "#59a14f", "#b07aa1", "#76b7b2", "#edc948", "#e15759", "#9c755f",
];
/// Colour of projects without a category.
const NO_CATEGORY: &str = "#8c8c8c";

#[derive(Serialize)]
pub(super) struct Headline {
    status: String,
    objective: String,
    gap: String,
    cost: String,
    budget: String,
    budget_share: String,
    selected: usize,
    projects: usize,
    objective_kind: &'static str,
}

#[derive(Serialize)]
struct Axis {
    x: f64,
    w: f64,
    label: String,
}

#[derive(Serialize)]
struct Bar {
    y: f64,
    x: f64,
    w: f64,
    colour: &'static str,
    id: String,
    /// `id name`, cut to fit left of the chart.
    label: String,
    title: String,
}

#[derive(Serialize)]
struct Group {
    y: f64,
    label: String,
    colour: &'static str,
}

#[derive(Serialize)]
pub(super) struct Gantt {
    height: f64,
    periods: Vec<Axis>,
    groups: Vec<Group>,
    bars: Vec<Bar>,
}

#[derive(Serialize)]
struct HeatCell {
    x: f64,
    w: f64,
    fill: &'static str,
    text: String,
    dark: bool,
    title: String,
}

#[derive(Serialize)]
struct HeatRow {
    y: f64,
    pool: String,
    cells: Vec<HeatCell>,
}

#[derive(Serialize)]
pub(super) struct Heatmap {
    /// "pool", or "team" with teams.csv (utilisation.csv then reports teams).
    unit: &'static str,
    height: f64,
    periods: Vec<Axis>,
    rows: Vec<HeatRow>,
}

#[derive(Serialize)]
struct SpendBar {
    x: f64,
    w: f64,
    label: String,
    spent_y: f64,
    spent_h: f64,
    over: bool,
    budget_y: Option<f64>,
    title: String,
}

#[derive(Serialize)]
pub(super) struct Spend {
    height: f64,
    base: f64,
    bars: Vec<SpendBar>,
    ticks: Vec<(f64, String)>,
}

#[derive(Serialize)]
pub(super) struct Ranked {
    rank: usize,
    id: String,
    name: String,
    selected: bool,
    when: String,
    score: String,
    cost: String,
    category: String,
    reason: String,
}

fn colour(workbook: &Workbook, category: Option<&str>) -> &'static str {
    category
        .and_then(|c| workbook.categories.iter().position(|k| k == c))
        .map_or(NO_CATEGORY, |i| PALETTE[i % PALETTE.len()])
}

fn period_axis(workbook: &Workbook) -> (Vec<Axis>, f64) {
    let n = workbook.periods.len().max(1) as f64;
    let w = (WIDTH - LABEL) / n;
    let axis = workbook
        .periods
        .iter()
        .enumerate()
        .map(|(i, p)| Axis {
            x: LABEL + i as f64 * w,
            w,
            label: p.clone(),
        })
        .collect();
    (axis, w)
}

pub(super) fn headline(workbook: &Workbook, report: &Report) -> Headline {
    let s = &report.summary;
    let budget: f64 = workbook.budget_total.iter().flatten().sum();
    let has_budget = workbook.budget_total.iter().any(Option::is_some);
    Headline {
        status: format!("{:?}", s.status).to_lowercase(),
        objective: s.objective.map_or_else(|| "-".to_string(), value),
        gap: s.gap.map_or_else(|| "-".to_string(), percent),
        cost: money(s.total_cost),
        budget: if has_budget {
            money(budget)
        } else {
            "no total budget".to_string()
        },
        budget_share: if has_budget && budget > 0.0 {
            percent(s.total_cost / budget)
        } else {
            String::new()
        },
        selected: s.count,
        projects: workbook.projects.len(),
        objective_kind: s.objective_kind,
    }
}

pub(super) fn gantt(workbook: &Workbook, report: &Report) -> Gantt {
    let (periods, w) = period_axis(workbook);
    let index = |label: &Option<String>| {
        label
            .as_ref()
            .and_then(|l| workbook.periods.iter().position(|p| p == l))
    };
    // By category (the workbook's order, uncategorised last), then by start, then rank.
    let mut by_category: BTreeMap<(usize, String), Vec<&PortfolioRow>> = BTreeMap::new();
    for row in report.portfolio.iter().filter(|r| r.selected) {
        let key = match &row.category {
            Some(c) => (
                workbook
                    .categories
                    .iter()
                    .position(|k| k == c)
                    .unwrap_or(usize::MAX - 1),
                c.clone(),
            ),
            None => (usize::MAX, String::new()),
        };
        by_category.entry(key).or_default().push(row);
    }
    let mut y = 30.0;
    let mut groups = Vec::new();
    let mut bars = Vec::new();
    for ((_, category), mut rows) in by_category {
        rows.sort_by_key(|r| (index(&r.start), r.rank));
        let category = (!category.is_empty()).then_some(category);
        let fill = colour(workbook, category.as_deref());
        groups.push(Group {
            y,
            label: category.unwrap_or_else(|| "no category".to_string()),
            colour: fill,
        });
        y += ROW;
        for row in rows {
            let (Some(start), Some(end)) = (index(&row.start), index(&row.end)) else {
                continue;
            };
            bars.push(Bar {
                y,
                x: LABEL + start as f64 * w + 1.0,
                w: ((end - start + 1) as f64 * w - 2.0).max(2.0),
                colour: fill,
                id: row.id.clone(),
                label: cut(&format!("{} {}", row.id, row.name), 40),
                title: format!(
                    "{} {}: {}..{}, cost {}",
                    row.id,
                    row.name,
                    row.start.as_deref().unwrap_or_default(),
                    row.end.as_deref().unwrap_or_default(),
                    money(row.cost)
                ),
            });
            y += ROW;
        }
    }
    Gantt {
        height: y + 10.0,
        periods,
        groups,
        bars,
    }
}

/// Cell colour of a utilisation: pale to deep green up to 85%, amber to 100%, red above.
fn heat(u: Option<f64>) -> (&'static str, bool) {
    match u {
        None => ("#e15759", true),
        Some(u) if u > 1.0 + 1e-9 => ("#e15759", true),
        Some(u) if u > 0.85 => ("#f1b04c", false),
        Some(u) if u > 0.6 => ("#74b77a", false),
        Some(u) if u > 0.3 => ("#b6dbb0", false),
        Some(u) if u > 0.0 => ("#e3f1df", false),
        Some(_) => ("#f7f7f7", false),
    }
}

pub(super) fn heatmap(workbook: &Workbook, report: &Report) -> Option<Heatmap> {
    // With teams.csv, capacity (and utilisation.csv) belongs to the teams, not the skills.
    let (holders, unit) = match &workbook.staffing {
        Some(staffing) => (&staffing.teams, "team"),
        None => (&workbook.pools, "pool"),
    };
    if holders.is_empty() {
        return None;
    }
    let (periods, w) = period_axis(workbook);
    let mut rows = Vec::new();
    let mut y = 30.0;
    for pool in holders {
        let cells = workbook
            .periods
            .iter()
            .enumerate()
            .map(|(i, period)| {
                let row = report
                    .utilisation
                    .iter()
                    .find(|r| &r.pool == pool && &r.period == period);
                let (u, title) = match row {
                    Some(r) => (
                        r.utilisation,
                        format!(
                            "{pool} in {period}: {} of {} FTE",
                            value(r.allocated),
                            value(r.capacity)
                        ),
                    ),
                    None => (Some(0.0), format!("{pool} in {period}: nothing")),
                };
                let (fill, dark) = heat(u);
                HeatCell {
                    x: LABEL + i as f64 * w + 1.0,
                    w: w - 2.0,
                    fill,
                    text: u.map_or_else(|| "over".to_string(), |u| format!("{:.0}%", u * 100.0)),
                    dark,
                    title,
                }
            })
            .collect();
        rows.push(HeatRow {
            y,
            pool: pool.clone(),
            cells,
        });
        y += 30.0;
    }
    Some(Heatmap {
        unit,
        height: y + 10.0,
        periods,
        rows,
    })
}

pub(super) fn spend(workbook: &Workbook, report: &Report) -> Option<Spend> {
    let totals: Vec<&SpendRow> = report
        .spend
        .iter()
        .filter(|r| r.category.is_none())
        .collect();
    if totals.is_empty() {
        return None;
    }
    // Bars show what goes out (net spend plus the cash brought in); the budget line is the
    // period's budget plus what was carried in.
    let gross = |r: &SpendRow| (r.spent + r.inflow).max(0.0);
    let available = |r: &SpendRow| r.budget.map(|b| b + r.carried_in);
    let top = totals
        .iter()
        .map(|r| gross(r).max(available(r).unwrap_or(0.0)))
        .fold(0.0_f64, f64::max)
        .max(1e-9);
    let (plot_top, plot_h) = (20.0, 200.0);
    let base = plot_top + plot_h;
    let y_of = |v: f64| base - v / top * plot_h;
    let (_, w) = period_axis(workbook);
    let bars = totals
        .iter()
        .enumerate()
        .map(|(i, r)| {
            let x = LABEL + i as f64 * w;
            SpendBar {
                x: x + w * 0.2,
                w: w * 0.6,
                label: r.period.clone(),
                spent_y: y_of(gross(r)),
                spent_h: base - y_of(gross(r)),
                over: available(r).is_some_and(|b| r.spent > b * (1.0 + 1e-6) + 1e-6),
                budget_y: available(r).map(y_of),
                title: spend_title(r),
            }
        })
        .collect();
    let ticks = (0..=4)
        .map(|k| {
            let v = top * k as f64 / 4.0;
            (y_of(v), money(v))
        })
        .collect();
    Some(Spend {
        height: base + 40.0,
        base,
        bars,
        ticks,
    })
}

/// "2027-Q1: spent 80 of 100", with the cash brought in and the budget carried in when
/// there are some: "2027-Q2: spent 120, 40 brought in (net 80) of 100 + 20 carried in".
fn spend_title(r: &SpendRow) -> String {
    let spent = if r.inflow > 0.0 {
        format!(
            "spent {}, {} brought in (net {})",
            money(r.spent + r.inflow),
            money(r.inflow),
            money(r.spent)
        )
    } else {
        format!("spent {}", money(r.spent))
    };
    let budget = match r.budget {
        None => "no budget".to_string(),
        Some(b) if r.carried_in.abs() > 0.0 => {
            format!("{} + {} carried in", money(b), money(r.carried_in))
        }
        Some(b) => money(b),
    };
    format!("{}: {spent} of {budget}", r.period)
}

pub(super) fn ranked(report: &Report) -> Vec<Ranked> {
    report
        .portfolio
        .iter()
        .map(|r| Ranked {
            rank: r.rank,
            id: r.id.clone(),
            name: match r.share {
                Some(s) if s < 1.0 => format!("{} (funded at {})", r.name, percent(s)),
                _ => r.name.clone(),
            },
            selected: r.selected,
            when: match (&r.start, &r.end) {
                (Some(s), Some(e)) if s != e => format!("{s}..{e}"),
                (Some(s), _) => s.clone(),
                _ => "-".to_string(),
            },
            score: value(r.score),
            cost: money(r.cost),
            category: r.category.clone().unwrap_or_default(),
            reason: r.reason.clone(),
        })
        .collect()
}
