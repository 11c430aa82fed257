//! Renderers of the Monte Carlo robustness run: core_index.csv (core index and start-period
//! distribution per project), uncertainty.json (the summary), uncertainty.svg (plotters: the
//! core index of every project) and the table on stdout.

use plotters::prelude::*;
use serde::Serialize;

use super::format::{csv_number, human, json_number, json_optional, percent, value};
use super::text::aligned;
use crate::analysis::uncertainty::{Overrun, Plan, Uncertainty};
use crate::analysis::{ids, selected};
use crate::io::output::csv_bytes;
use crate::model::{Starts, Workbook};

/// Version of the uncertainty.json layout.
pub const UNCERTAINTY_SCHEMA: u32 = 1;

/// The sampling rule, as written in uncertainty.json.
pub const DISTRIBUTION: &str = "pert";

/// How a drawn value reaches the objective, as written in uncertainty.json.
pub const VALUE_RULE: &str = "the drawn value replaces value; driver scores (and so the score) are scaled by drawn value / value when value > 0";

/// How the robust portfolio is made, as written in uncertainty.json.
pub const ROBUST_RULE: &str = "projects with core index >= threshold forced in, candidates with core index < 1 - threshold left out, the rest chosen by a solve at the point estimates";

/// Project indices in the order of the table: core index, highest first, then workbook
/// order.
pub(crate) fn by_core_index(u: &Uncertainty) -> Vec<usize> {
    let mut order: Vec<usize> = (0..u.core_index.len()).collect();
    order.sort_by(|&a, &b| u.core_index[b].total_cmp(&u.core_index[a]).then(a.cmp(&b)));
    order
}

pub(crate) fn start_label(workbook: &Workbook, starts: &Starts, p: usize) -> String {
    starts
        .get(p)
        .copied()
        .flatten()
        .and_then(|t| workbook.periods.get(t).cloned())
        .unwrap_or_default()
}

/// core_index.csv: one row per project in workbook order: `id`, `name`, `status`,
/// `uncertain` (whether its cost or value range has a width), `base` and `robust` (start
/// period in those plans, empty when out), `core_index` (0…1), then `start_<period>`: the
/// share of the feasible samples that start it in that period.
pub fn core_index_csv(workbook: &Workbook, u: &Uncertainty) -> Vec<u8> {
    let mut header: Vec<String> = [
        "id",
        "name",
        "status",
        "uncertain",
        "base",
        "robust",
        "core_index",
    ]
    .iter()
    .map(|h| h.to_string())
    .collect();
    header.extend(workbook.periods.iter().map(|p| format!("start_{p}")));
    let header: Vec<&str> = header.iter().map(String::as_str).collect();
    let rows: Vec<Vec<String>> = workbook
        .projects
        .iter()
        .enumerate()
        .map(|(p, project)| {
            let mut row = vec![
                project.id.clone(),
                project.name.clone(),
                project.status.as_str().to_string(),
                u.uncertain[p].to_string(),
                start_label(workbook, &u.base.starts, p),
                start_label(workbook, &u.robust.plan.starts, p),
                csv_number(u.core_index[p]),
            ];
            row.extend(u.starts[p].iter().map(|&s| csv_number(s)));
            row
        })
        .collect();
    csv_bytes(&header, &rows)
}

#[derive(Serialize)]
struct Json<'a> {
    schema: u32,
    samples: usize,
    seed: u64,
    distribution: &'static str,
    value_rule: &'static str,
    feasible: usize,
    infeasible: usize,
    unproven: usize,
    objective: Option<JsonStats>,
    base: JsonPlan<'a>,
    robust: JsonRobust<'a>,
    projects: Vec<JsonProject<'a>>,
}

#[derive(Serialize)]
struct JsonStats {
    #[serde(serialize_with = "json_number")]
    mean: f64,
    #[serde(serialize_with = "json_number")]
    p10: f64,
    #[serde(serialize_with = "json_number")]
    p50: f64,
    #[serde(serialize_with = "json_number")]
    p90: f64,
    #[serde(serialize_with = "json_number")]
    min: f64,
    #[serde(serialize_with = "json_number")]
    max: f64,
}

#[derive(Serialize)]
struct JsonPlan<'a> {
    status: &'static str,
    #[serde(serialize_with = "json_optional")]
    objective: Option<f64>,
    selected: Vec<&'a str>,
    #[serde(serialize_with = "json_optional")]
    overrun_probability: Option<f64>,
    overrun_by_period: Vec<JsonPeriod<'a>>,
}

#[derive(Serialize)]
struct JsonPeriod<'a> {
    period: &'a str,
    #[serde(serialize_with = "json_number")]
    probability: f64,
}

#[derive(Serialize)]
struct JsonRobust<'a> {
    rule: &'static str,
    #[serde(serialize_with = "json_number")]
    threshold: f64,
    forced_in: Vec<&'a str>,
    left_out: Vec<&'a str>,
    #[serde(flatten)]
    plan: JsonPlan<'a>,
}

#[derive(Serialize)]
struct JsonProject<'a> {
    id: &'a str,
    #[serde(serialize_with = "json_number")]
    core_index: f64,
    base: bool,
    robust: bool,
}

fn json_plan<'a>(workbook: &'a Workbook, plan: &Plan) -> JsonPlan<'a> {
    JsonPlan {
        status: plan.status.as_str(),
        objective: plan.objective,
        selected: ids(workbook, selected(&plan.starts)),
        overrun_probability: plan.overrun.as_ref().map(|o| o.probability),
        overrun_by_period: plan
            .overrun
            .iter()
            .flat_map(|o| {
                workbook
                    .periods
                    .iter()
                    .zip(&o.by_period)
                    .map(|(period, &probability)| JsonPeriod {
                        period: period.as_str(),
                        probability,
                    })
            })
            .collect(),
    }
}

/// uncertainty.json: the run, the objective's distribution, the base and robust plans with
/// their overrun probabilities, and every project's core index (by core index, highest
/// first).
pub fn uncertainty_json(workbook: &Workbook, u: &Uncertainty) -> String {
    let json = Json {
        schema: UNCERTAINTY_SCHEMA,
        samples: u.samples,
        seed: u.seed,
        distribution: DISTRIBUTION,
        value_rule: VALUE_RULE,
        feasible: u.feasible,
        infeasible: u.infeasible,
        unproven: u.unproven,
        objective: u.objective.as_ref().map(|s| JsonStats {
            mean: s.mean,
            p10: s.p10,
            p50: s.p50,
            p90: s.p90,
            min: s.min,
            max: s.max,
        }),
        base: json_plan(workbook, &u.base),
        robust: JsonRobust {
            rule: ROBUST_RULE,
            threshold: u.robust.threshold,
            forced_in: ids(workbook, u.robust.forced_in.iter().copied()),
            left_out: ids(workbook, u.robust.left_out.iter().copied()),
            plan: json_plan(workbook, &u.robust.plan),
        },
        projects: by_core_index(u)
            .into_iter()
            .map(|p| JsonProject {
                id: workbook.projects[p].id.as_str(),
                core_index: u.core_index[p],
                base: u.base.starts[p].is_some(),
                robust: u.robust.plan.starts[p].is_some(),
            })
            .collect(),
    };
    let mut text = serde_json::to_string_pretty(&json)
        .expect("uncertainty types hold only strings, numbers and lists, which always serialise");
    text.push('\n');
    text
}

/// The period whose caps the samples break most often, with that share (the earliest of
/// equal shares); `None` when no sample breaks any.
pub(crate) fn worst_period(overrun: &Overrun) -> Option<(usize, f64)> {
    overrun
        .by_period
        .iter()
        .enumerate()
        .filter(|(_, &x)| x > 0.0)
        .max_by(|a, b| a.1.total_cmp(b.1).then(b.0.cmp(&a.0)))
        .map(|(t, &x)| (t, x))
}

fn overrun_text(workbook: &Workbook, overrun: Option<&Overrun>) -> String {
    let Some(o) = overrun else {
        return "no portfolio".to_string();
    };
    match worst_period(o) {
        Some((t, x)) => format!(
            "overruns a budget in {} of samples (most often {}: {})",
            percent(o.probability),
            workbook.periods[t],
            percent(x)
        ),
        None => "overruns no budget in any sample".to_string(),
    }
}

/// Project `p`'s most frequent start over the feasible samples, with its share
/// ("2027-Q3 (94.8%)", the earliest of equal shares); `None` when no sample selects it.
pub(crate) fn most_frequent_start(
    workbook: &Workbook,
    u: &Uncertainty,
    p: usize,
) -> Option<String> {
    u.starts[p]
        .iter()
        .enumerate()
        .filter(|(_, &s)| s > 0.0)
        .max_by(|a, b| a.1.total_cmp(b.1).then(b.0.cmp(&a.0)))
        .map(|(t, &s)| format!("{} ({})", workbook.periods[t], percent(s)))
}

/// The run in one line: "400 sample(s), seed 1, PERT draws: 400 feasible, 0 infeasible".
pub(crate) fn run_line(u: &Uncertainty) -> String {
    format!(
        "{} sample(s), seed {}, PERT draws: {} feasible, {} infeasible{}",
        u.samples,
        u.seed,
        u.feasible,
        u.infeasible,
        if u.unproven > 0 {
            format!(", {} stopped by the time limit", u.unproven)
        } else {
            String::new()
        }
    )
}

fn plan_count(starts: &Starts) -> usize {
    starts.iter().flatten().count()
}

fn plan_objective(x: Option<f64>) -> String {
    x.map_or("infeasible".to_string(), value)
}

/// The base plan in one line: its objective at the point estimates, its size and how often
/// it overruns a budget.
pub(crate) fn base_line(workbook: &Workbook, u: &Uncertainty) -> String {
    format!(
        "base plan: objective {} at the point estimates, {} project(s); {}",
        plan_objective(u.base.objective),
        plan_count(&u.base.starts),
        overrun_text(workbook, u.base.overrun.as_ref())
    )
}

/// The robust plan in one line: its rule, objective at the point estimates, size and how
/// often it overruns a budget.
pub(crate) fn robust_line(workbook: &Workbook, u: &Uncertainty) -> String {
    format!(
        "robust plan (core index >= {} in, < {} out, the rest re-solved): objective {}, {} project(s); {}",
        human(u.robust.threshold, 3),
        human(1.0 - u.robust.threshold, 3),
        plan_objective(u.robust.plan.objective),
        plan_count(&u.robust.plan.starts),
        overrun_text(workbook, u.robust.plan.overrun.as_ref())
    )
}

/// The run for a terminal: every project by core index, then the objective's distribution,
/// the overrun probabilities and the robust portfolio.
pub fn render_uncertainty(workbook: &Workbook, u: &Uncertainty) -> String {
    let mut out = String::new();
    out.push_str(&run_line(u));
    out.push_str("\n\n");
    let header = [
        "id",
        "name",
        "core",
        "base",
        "robust",
        "most frequent start",
    ];
    let rows: Vec<[String; 6]> = by_core_index(u)
        .into_iter()
        .map(|p| {
            let project = &workbook.projects[p];
            let mode = most_frequent_start(workbook, u, p).unwrap_or_else(|| "-".to_string());
            let or_dash = |s: String| if s.is_empty() { "-".to_string() } else { s };
            [
                project.id.clone(),
                project.name.clone(),
                human(u.core_index[p], 3),
                or_dash(start_label(workbook, &u.base.starts, p)),
                or_dash(start_label(workbook, &u.robust.plan.starts, p)),
                if u.uncertain[p] {
                    mode
                } else {
                    format!("{mode} [fixed]")
                },
            ]
        })
        .collect();
    out.push_str(&aligned(
        &header,
        &rows,
        &[false, false, true, false, false, false],
    ));
    out.push('\n');
    match &u.objective {
        Some(s) => out.push_str(&format!(
            "objective: mean {}, P10 {}, P50 {}, P90 {} (min {}, max {})\n",
            value(s.mean),
            value(s.p10),
            value(s.p50),
            value(s.p90),
            value(s.min),
            value(s.max)
        )),
        None => out.push_str("objective: no sample has a feasible portfolio\n"),
    }
    out.push_str(&base_line(workbook, u));
    out.push('\n');
    out.push_str(&robust_line(workbook, u));
    out.push('\n');
    out
}

/// uncertainty.svg: one horizontal bar per project, its core index, highest first; bars of
/// projects in the base plan are blue, the others grey, and a red line marks the robust
/// threshold. Text is SVG text (no font files needed); the same run gives the same bytes.
pub fn uncertainty_svg(workbook: &Workbook, u: &Uncertainty) -> String {
    let mut svg = String::new();
    // Drawing into a String cannot fail for I/O reasons; a plotting error leaves a partial
    // picture, which is still better than no report.
    let _ = draw(workbook, u, &mut svg);
    svg
}

fn draw(
    workbook: &Workbook,
    u: &Uncertainty,
    svg: &mut String,
) -> Result<(), Box<dyn std::error::Error>> {
    let order = by_core_index(u);
    let n = order.len().max(1);
    let height = (120 + 18 * n) as u32;
    let root = SVGBackend::with_string(svg, (800, height)).into_drawing_area();
    root.fill(&WHITE)?;
    let caption = match &u.objective {
        Some(s) => format!(
            "Core index over {} samples (objective P10 {}, P50 {}, P90 {})",
            u.samples,
            human(s.p10, 2),
            human(s.p50, 2),
            human(s.p90, 2)
        ),
        None => format!("Core index over {} samples", u.samples),
    };
    let mut chart = ChartBuilder::on(&root)
        .caption(caption, ("sans-serif", 18))
        .margin(16)
        .x_label_area_size(40)
        .y_label_area_size(70)
        .build_cartesian_2d(0.0..1.0, -0.5..(n as f64 - 0.5))?;
    let red = RGBColor(214, 39, 40);
    let t = u.robust.threshold;
    // The threshold is named under the axis: a label inside the plot would sit on the bars.
    let x_desc = format!(
        "core index: share of the samples whose optimal portfolio selects the project (red line: robust threshold {})",
        human(t, 2)
    );
    chart
        .configure_mesh()
        .disable_y_mesh()
        .y_labels(0)
        .x_desc(x_desc)
        .x_label_formatter(&|x| human(*x, 1))
        .light_line_style(RGBColor(235, 235, 235))
        .draw()?;
    let blue = RGBColor(31, 119, 180);
    let grey = RGBColor(170, 170, 170);
    for (row, &p) in order.iter().enumerate() {
        // Highest core index at the top.
        let y = (n - 1 - row) as f64;
        let colour = if u.base.starts[p].is_some() {
            blue
        } else {
            grey
        };
        chart.draw_series([Rectangle::new(
            [(0.0, y - 0.35), (u.core_index[p], y + 0.35)],
            colour.filled(),
        )])?;
        chart.draw_series([EmptyElement::at((0.0, y))
            + Text::new(
                workbook.projects[p].id.clone(),
                (-62, -6),
                ("sans-serif", 12).into_font().color(&BLACK),
            )])?;
    }
    chart.draw_series(LineSeries::new(
        [(t, -0.5), (t, n as f64 - 0.5)],
        red.stroke_width(2),
    ))?;
    root.present()?;
    Ok(())
}
