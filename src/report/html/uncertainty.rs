//! The robustness section of the HTML page (`--uncertainty N`): the core index of every
//! project, the histogram of the objective over the samples, the base plan's overrun risk
//! and what the robust plan commits to.

use serde::Serialize;

use super::{LABEL, WIDTH};
use crate::analysis::Uncertainty;
use crate::model::Workbook;
use crate::report::format::{human, percent, value};
use crate::report::text::cut;

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
pub(super) struct UncertaintyView {
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
    use crate::report::uncertainty::{by_core_index, most_frequent_start, start_label};
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
            value(c),
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
            value: human(c, 3),
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
                (x_of(c), human(c, 1))
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
                    value(a),
                    value(b)
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
                (x_of(v), human(v, 2))
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
    use crate::report::reasons::and_list;
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

pub(super) fn uncertainty_view(workbook: &Workbook, u: &Uncertainty) -> UncertaintyView {
    use crate::report::uncertainty::{base_line, robust_line, run_line, worst_period};
    let objective = |x: Option<f64>| x.map_or_else(|| "infeasible".to_string(), value);
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
        threshold: value(u.robust.threshold),
        left_out_below: value(1.0 - u.robust.threshold),
        stats: u.objective.as_ref().map(|s| ObjectiveStats {
            mean: value(s.mean),
            p10: value(s.p10),
            p50: value(s.p50),
            p90: value(s.p90),
            min: value(s.min),
            max: value(s.max),
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

#[cfg(test)]
mod tests {
    use super::super::{render_html, Extras};
    use crate::report::testkit::{project, workbook};
    use crate::solve::{solve, SolveOptions};

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
