//! `arbiter report --html`: one self-contained HTML page for a steering committee — the
//! headline numbers, a Gantt of the selected projects by category, the pool × period
//! utilisation heatmap, budget against spend per period, the ranked portfolio with its
//! reasons, and (when computed) the efficient frontier, the scenario comparison and the
//! Monte Carlo robustness run (core index of every project, the objective's spread, the
//! base plan's overrun risk and the robust plan).
//!
//! The page is rendered by minijinja from `report.html` (beside this file), with HTML
//! auto-escaping of every value; the charts are SVG drawn by the template from coordinates
//! computed here (the frontier is plotters' SVG). No script, no font, no network: inline CSS
//! and SVG only. The same input gives the same bytes (no date, no random id).

use std::collections::BTreeMap;

use minijinja::Environment;
use serde::Serialize;

use super::comparison::delta;
use super::format::{money, percent};
use super::Report;
use crate::analysis::{Frontier, Uncertainty};
use crate::error::{Error, Result};
use crate::model::Workbook;
use crate::scenario::{ScenarioResult, BASE};

/// What a report shows besides the plan.
#[derive(Debug, Default)]
pub struct Extras<'a> {
    /// The efficient frontier, when asked for.
    pub frontier: Option<&'a Frontier>,
    /// The scenario runs (base first), when asked for.
    pub scenarios: Option<&'a [ScenarioResult]>,
    /// The uncertainty run (`arbiter uncertainty`), when asked for.
    pub uncertainty: Option<&'a Uncertainty>,
}

/// Category colours, in the order of the workbook's categories (repeating).
const PALETTE: [&str; 8] = [
    "#4e79a7", "#f28e2b", "#59a14f", "#b07aa1", "#76b7b2", "#edc948", "#e15759", "#9c755f",
];
/// Colour of projects without a category.
const NO_CATEGORY: &str = "#8c8c8c";

/// Width of the charts, in SVG units.
const WIDTH: f64 = 1100.0;
/// Room for the labels left of the Gantt and the heatmap.
const LABEL: f64 = 280.0;
const ROW: f64 = 24.0;

#[derive(Serialize)]
struct Headline {
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
struct Gantt {
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
struct Heatmap {
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
struct Spend {
    height: f64,
    base: f64,
    bars: Vec<SpendBar>,
    ticks: Vec<(f64, String)>,
}

#[derive(Serialize)]
struct Ranked {
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

#[derive(Serialize)]
struct ScenarioRow {
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

#[derive(Serialize)]
struct Page {
    title: String,
    headline: Headline,
    weights: Vec<(String, String)>,
    gantt: Gantt,
    heatmap: Option<Heatmap>,
    spend: Option<Spend>,
    ranked: Vec<Ranked>,
    frontier: Option<String>,
    frontier_note: String,
    scenarios: Vec<ScenarioRow>,
    uncertainty: Option<UncertaintyView>,
}

fn number(x: f64) -> String {
    super::format::human(x, 4)
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

fn headline(workbook: &Workbook, report: &Report) -> Headline {
    let s = &report.summary;
    let budget: f64 = workbook.budget_total.iter().flatten().sum();
    let has_budget = workbook.budget_total.iter().any(Option::is_some);
    Headline {
        status: format!("{:?}", s.status).to_lowercase(),
        objective: s.objective.map_or_else(|| "-".to_string(), number),
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

fn gantt(workbook: &Workbook, report: &Report) -> Gantt {
    let (periods, w) = period_axis(workbook);
    let index = |label: &Option<String>| {
        label
            .as_ref()
            .and_then(|l| workbook.periods.iter().position(|p| p == l))
    };
    // By category (the workbook's order, uncategorised last), then by start, then rank.
    let mut by_category: BTreeMap<(usize, String), Vec<&super::PortfolioRow>> = BTreeMap::new();
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

fn heatmap(workbook: &Workbook, report: &Report) -> Option<Heatmap> {
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
                            number(r.allocated),
                            number(r.capacity)
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

fn spend(workbook: &Workbook, report: &Report) -> Option<Spend> {
    let totals: Vec<&super::SpendRow> = report
        .spend
        .iter()
        .filter(|r| r.category.is_none())
        .collect();
    if totals.is_empty() {
        return None;
    }
    let top = totals
        .iter()
        .map(|r| r.spent.max(r.budget.unwrap_or(0.0)))
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
                spent_y: y_of(r.spent),
                spent_h: base - y_of(r.spent),
                over: r.budget.is_some_and(|b| r.spent > b * (1.0 + 1e-6) + 1e-6),
                budget_y: r.budget.map(y_of),
                title: format!(
                    "{}: spent {} of {}",
                    r.period,
                    money(r.spent),
                    r.budget.map_or_else(|| "no budget".to_string(), money)
                ),
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

fn ranked(report: &Report) -> Vec<Ranked> {
    report
        .portfolio
        .iter()
        .map(|r| Ranked {
            rank: r.rank,
            id: r.id.clone(),
            name: r.name.clone(),
            selected: r.selected,
            when: match (&r.start, &r.end) {
                (Some(s), Some(e)) if s != e => format!("{s}..{e}"),
                (Some(s), _) => s.clone(),
                _ => "-".to_string(),
            },
            score: number(r.score),
            cost: money(r.cost),
            category: r.category.clone().unwrap_or_default(),
            reason: r.reason.clone(),
        })
        .collect()
}

fn scenario_rows(results: &[ScenarioResult]) -> Vec<ScenarioRow> {
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
                objective: r.objective.map_or_else(|| "-".to_string(), number),
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

#[derive(Serialize)]
struct CoreBar {
    y: f64,
    w: f64,
    colour: &'static str,
    /// `id name`, cut to fit left of the chart.
    label: String,
    value: String,
    value_x: f64,
    title: String,
}

/// The core index chart: one bar per project, highest first, in the Gantt's layout.
#[derive(Serialize)]
struct CoreChart {
    height: f64,
    ticks: Vec<(f64, String)>,
    bars: Vec<CoreBar>,
    /// x of the robust threshold (forced in at or above) and of 1 − threshold (left out
    /// below).
    threshold_x: f64,
    out_x: f64,
}

#[derive(Serialize)]
struct HistBar {
    x: f64,
    w: f64,
    y: f64,
    h: f64,
    title: String,
}

/// The objective over the feasible samples: a histogram, the P10–P90 band, the median and
/// the base plan's objective at the point estimates.
#[derive(Serialize)]
struct Histogram {
    height: f64,
    top: f64,
    base: f64,
    bars: Vec<HistBar>,
    x_ticks: Vec<(f64, String)>,
    y_ticks: Vec<(f64, String)>,
    band_x: f64,
    band_w: f64,
    p50_x: f64,
    point_x: Option<f64>,
}

#[derive(Serialize)]
struct ObjectiveStats {
    mean: String,
    p10: String,
    p50: String,
    p90: String,
    min: String,
    max: String,
}

#[derive(Serialize)]
struct UncertaintyView {
    run: String,
    threshold: String,
    left_out_below: String,
    stats: Option<ObjectiveStats>,
    base_objective: String,
    overrun: String,
    overrun_note: String,
    robust_objective: String,
    robust_note: String,
    core: CoreChart,
    histogram: Option<Histogram>,
    base_line: String,
    robust_line: String,
    robust_detail: String,
}

/// Blue of the base plan's projects in the core index chart (the spend chart's), and grey
/// of the others.
const IN_BASE: &str = "#4e79a7";
const NOT_IN_BASE: &str = "#c3c9d0";
/// Right edge of the core index bars: room for the value after the longest.
const CORE_RIGHT: f64 = 1040.0;
const CORE_ROW: f64 = 22.0;

/// `x` rounded to 2 decimals, for short, stable coordinates.
fn round2(x: f64) -> f64 {
    let r = (x * 100.0).round() / 100.0;
    if r == 0.0 {
        0.0
    } else {
        r
    }
}

fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

fn core_chart(workbook: &Workbook, u: &Uncertainty) -> CoreChart {
    use super::uncertainty::{by_core_index, most_frequent_start, start_label};
    let plot_w = CORE_RIGHT - LABEL;
    let x_of = |c: f64| round2(LABEL + c.clamp(0.0, 1.0) * plot_w);
    let mut y = 30.0;
    let mut bars = Vec::new();
    for p in by_core_index(u) {
        let project = &workbook.projects[p];
        let c = u.core_index[p];
        let w = x_of(c) - LABEL;
        let plan =
            |starts: &crate::model::Starts, what: &str| match start_label(workbook, starts, p) {
                s if s.is_empty() => format!("not in the {what} plan"),
                s => format!("in the {what} plan from {s}"),
            };
        let mut title = format!(
            "{} {}: core index {}; {}; {}",
            project.id,
            project.name,
            number(c),
            plan(&u.base.starts, "base"),
            plan(&u.robust.plan.starts, "robust")
        );
        if let Some(mode) = most_frequent_start(workbook, u, p) {
            title.push_str(&format!("; most often starts {mode}"));
        }
        if !u.uncertain[p] {
            title.push_str("; no range (fixed cost and value)");
        }
        bars.push(CoreBar {
            y,
            w: round2(w),
            colour: if u.base.starts[p].is_some() {
                IN_BASE
            } else {
                NOT_IN_BASE
            },
            label: cut(&format!("{} {}", project.id, project.name), 40),
            value: super::format::human(c, 3),
            value_x: round2(LABEL + w + 6.0),
            title,
        });
        y += CORE_ROW;
    }
    CoreChart {
        height: y + 10.0,
        ticks: (0..=5)
            .map(|k| {
                let c = k as f64 / 5.0;
                (x_of(c), super::format::human(c, 1))
            })
            .collect(),
        bars,
        threshold_x: x_of(u.robust.threshold),
        out_x: x_of(1.0 - u.robust.threshold),
    }
}

/// Bins of the histogram: about √n, between 1 and 30.
fn bins(n: usize) -> usize {
    ((n as f64).sqrt().ceil() as usize).clamp(1, 30)
}

fn histogram(u: &Uncertainty) -> Option<Histogram> {
    let stats = u.objective.as_ref()?;
    let values: Vec<f64> = u.objectives.iter().flatten().copied().collect();
    if values.is_empty() {
        return None;
    }
    // The axis spans the samples and the base plan's objective at the point estimates.
    let point = u.base.objective;
    let mut lo = point.map_or(stats.min, |b| stats.min.min(b));
    let mut hi = point.map_or(stats.max, |b| stats.max.max(b));
    if hi - lo <= 1e-9 * hi.abs().max(1.0) {
        let pad = (hi.abs() * 0.01).max(0.5);
        lo -= pad;
        hi += pad;
    }
    let k = bins(values.len());
    let mut counts = vec![0usize; k];
    for v in &values {
        let i = (((v - lo) / (hi - lo)) * k as f64).floor() as usize;
        counts[i.min(k - 1)] += 1;
    }
    let (left, right) = (LABEL, WIDTH - 40.0);
    let x_of = |v: f64| round2(left + (v - lo) / (hi - lo) * (right - left));
    let (top, plot_h) = (20.0, 160.0);
    let base = top + plot_h;
    let most = counts.iter().copied().max().unwrap_or(1).max(1);
    let step = most.div_ceil(4);
    let y_max = (step * 4) as f64;
    let y_of = |n: f64| round2(base - n / y_max * plot_h);
    let bin_w = (hi - lo) / k as f64;
    let bars = counts
        .iter()
        .enumerate()
        .filter(|(_, &n)| n > 0)
        .map(|(i, &n)| {
            let (a, b) = (lo + i as f64 * bin_w, lo + (i + 1) as f64 * bin_w);
            let x = x_of(a);
            HistBar {
                x: round2(x + 1.0),
                w: round2((x_of(b) - x - 2.0).max(1.0)),
                y: y_of(n as f64),
                h: round2(base - y_of(n as f64)),
                title: format!(
                    "{n} of {} feasible samples between {} and {}",
                    values.len(),
                    number(a),
                    number(b)
                ),
            }
        })
        .collect();
    let band_x = x_of(stats.p10);
    Some(Histogram {
        height: base + 40.0,
        top,
        base,
        bars,
        x_ticks: (0..=4)
            .map(|j| {
                let v = lo + (hi - lo) * j as f64 / 4.0;
                (x_of(v), super::format::human(v, 2))
            })
            .collect(),
        y_ticks: (0..=4)
            .map(|j| (y_of((step * j) as f64), (step * j).to_string()))
            .collect(),
        band_x,
        band_w: round2((x_of(stats.p90) - band_x).max(2.0)),
        p50_x: x_of(stats.p50),
        point_x: point.map(x_of),
    })
}

/// What the robust plan commits to and how it differs from the base plan.
fn robust_detail(workbook: &Workbook, u: &Uncertainty) -> String {
    use super::reasons::and_list;
    let list = |projects: &[usize]| match and_list(workbook, projects.iter().copied()) {
        s if s.is_empty() => "none".to_string(),
        s => s,
    };
    let (base, robust) = (&u.base.starts, &u.robust.plan.starts);
    let entered: Vec<usize> = (0..robust.len())
        .filter(|&p| robust[p].is_some() && base[p].is_none())
        .collect();
    let left: Vec<usize> = (0..robust.len())
        .filter(|&p| robust[p].is_none() && base[p].is_some())
        .collect();
    let change = if entered.is_empty() && left.is_empty() {
        "the same projects as the base plan".to_string()
    } else {
        format!(
            "against the base plan, entered: {}; left: {}",
            list(&entered),
            list(&left)
        )
    };
    format!(
        "Forced in: {}. Left out: {}. The rest chosen at the point estimates; {}.",
        list(&u.robust.forced_in),
        list(&u.robust.left_out),
        change
    )
}

fn uncertainty_view(workbook: &Workbook, u: &Uncertainty) -> UncertaintyView {
    use super::uncertainty::{base_line, robust_line, run_line, worst_period};
    let objective = |x: Option<f64>| x.map_or_else(|| "infeasible".to_string(), number);
    let (overrun, overrun_note) = match &u.base.overrun {
        None => ("-".to_string(), "no base plan".to_string()),
        Some(o) => (
            percent(o.probability),
            match worst_period(o) {
                Some((t, x)) => format!(
                    "of samples; most often in {} ({})",
                    workbook.periods[t],
                    percent(x)
                ),
                None => "no budget broken in any sample".to_string(),
            },
        ),
    };
    let robust = &u.robust.plan;
    UncertaintyView {
        run: run_line(u),
        threshold: number(u.robust.threshold),
        left_out_below: number(1.0 - u.robust.threshold),
        stats: u.objective.as_ref().map(|s| ObjectiveStats {
            mean: number(s.mean),
            p10: number(s.p10),
            p50: number(s.p50),
            p90: number(s.p90),
            min: number(s.min),
            max: number(s.max),
        }),
        base_objective: objective(u.base.objective),
        overrun,
        overrun_note,
        robust_objective: objective(robust.objective),
        robust_note: format!(
            "{} project(s); overruns in {}",
            robust.starts.iter().flatten().count(),
            robust
                .overrun
                .as_ref()
                .map_or_else(|| "-".to_string(), |o| percent(o.probability))
        ),
        core: core_chart(workbook, u),
        histogram: histogram(u),
        base_line: capitalised(&base_line(workbook, u)),
        robust_line: capitalised(&robust_line(workbook, u)),
        robust_detail: robust_detail(workbook, u),
    }
}

/// `text` cut to at most `max` characters, with `…` where cut.
fn cut(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let mut out: String = text.chars().take(max - 1).collect();
    out.push('…');
    out
}

fn round4(x: f64) -> f64 {
    (x * 1e4).round() / 1e4
}

/// The frontier's plotters SVG, without an XML declaration, sized by the page.
fn frontier_svg(frontier: &Frontier) -> String {
    let svg = super::frontier::frontier_svg(frontier);
    let start = svg.find("<svg").unwrap_or(0);
    svg[start..].to_string()
}

/// The report page of `report` (planned from `workbook`), titled after `name` (the
/// workbook's file or folder name).
pub fn render_html(
    name: &str,
    workbook: &Workbook,
    report: &Report,
    extras: &Extras<'_>,
) -> Result<String> {
    let weights = report
        .summary
        .weights
        .iter()
        .map(|w| (w.driver.clone(), percent(w.weight)))
        .collect();
    let frontier_note = extras
        .frontier
        .map(|f| {
            let today = f.points.get(f.today);
            let knee = f.knee.and_then(|k| f.points.get(k));
            let mut note = String::new();
            if let Some(p) = today {
                note.push_str(&format!(
                    "Today's budget ({}) buys {}.",
                    money(p.budget),
                    p.value
                        .map_or_else(|| "nothing feasible".to_string(), number)
                ));
            }
            if let Some(k) = knee {
                note.push_str(&format!(
                    " The knee is at {} ({}): past it, each extra unit of budget buys less.",
                    money(k.budget),
                    k.value.map_or_else(|| "-".to_string(), number)
                ));
            }
            note
        })
        .unwrap_or_default();
    let page = Page {
        title: name.to_string(),
        headline: headline(workbook, report),
        weights,
        gantt: gantt(workbook, report),
        heatmap: heatmap(workbook, report),
        spend: spend(workbook, report),
        ranked: ranked(report),
        frontier: extras.frontier.map(frontier_svg),
        frontier_note,
        scenarios: extras.scenarios.map(scenario_rows).unwrap_or_default(),
        uncertainty: extras.uncertainty.map(|u| uncertainty_view(workbook, u)),
    };
    let mut env = Environment::new();
    // The `.html` name turns on HTML auto-escaping of every value.
    env.add_template("report.html", include_str!("report.html"))
        .map_err(|e| Error::Internal(format!("the report template: {e}")))?;
    let template = env
        .get_template("report.html")
        .map_err(|e| Error::Internal(format!("the report template: {e}")))?;
    template
        .render(minijinja::context! { page => minijinja::value::Serde(page) })
        .map_err(|e| Error::Internal(format!("rendering the report: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::testkit::{project, workbook};
    use crate::solve::{solve, SolveOptions};

    #[test]
    fn user_text_is_escaped_and_output_is_stable() {
        let mut a = project("A<script>", 10.0, 1, 5.0);
        a.name = "R&D \"lab\" <b>".to_string();
        let wb = workbook(&["Q1", "Q2"], vec![a, project("B", 10.0, 2, 4.0)]);
        let options = SolveOptions::default();
        let solution = solve(&wb, &options).expect("solves");
        let report = crate::report::build(&wb, &solution, &options);
        let html = render_html("wb<1>", &wb, &report, &Extras::default()).expect("renders");
        assert!(!html.contains("<script"), "unescaped id");
        assert!(!html.contains("<b>"), "unescaped name");
        assert!(html.contains("A&lt;script&gt;"));
        assert!(html.contains("wb&lt;1&gt;"));
        assert!(!html.contains("http://") || !html.contains("src=\"http"));
        let again = render_html("wb<1>", &wb, &report, &Extras::default()).expect("renders");
        assert_eq!(html, again);
    }

    #[test]
    fn the_uncertainty_section_escapes_names_and_draws_a_fixed_run() {
        use crate::analysis::{uncertainty, UncertaintyOptions};
        // No ranges: every sample is the base plan, so the objective has no spread (one
        // histogram bar) and the core indices are exactly 1 and 0.
        let mut a = project("A<i>", 60.0, 1, 5.0);
        a.name = "R&D <b>lab</b>".to_string();
        let mut wb = workbook(&["Q1"], vec![a, project("B", 60.0, 1, 4.0)]);
        wb.budget_total = vec![Some(100.0)];
        let options = SolveOptions::default();
        let solution = solve(&wb, &options).expect("solves");
        let report = crate::report::build(&wb, &solution, &options);
        let run = UncertaintyOptions {
            samples: 4,
            ..UncertaintyOptions::default()
        };
        let u = uncertainty(&wb, &options, &run, 1).expect("runs");
        let extras = Extras {
            uncertainty: Some(&u),
            ..Extras::default()
        };
        let html = render_html("wb", &wb, &report, &extras).expect("renders");
        assert!(html.contains("Uncertainty: how robust is the portfolio?"));
        assert!(
            !html.contains("<b>lab") && !html.contains("A<i>"),
            "unescaped"
        );
        assert!(html.contains("A&lt;i&gt; R&amp;D &lt;b&gt;lab&lt;&#x2f;b&gt;: core index 1;"));
        assert!(html.contains("B: core index 0; not in the base plan"));
        assert_eq!(html.matches("feasible samples between").count(), 1);
        assert!(html.contains("overruns no budget in any sample"));
        assert_eq!(
            html,
            render_html("wb", &wb, &report, &extras).expect("renders")
        );
    }
}
