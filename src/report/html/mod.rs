//! `arbiter report --html`: one self-contained HTML page for a steering committee — the
//! headline numbers, a Gantt of the selected projects by category, the pool × period
//! utilisation heatmap, budget against spend per period, the ranked portfolio with its
//! reasons, and (when computed) the efficient frontier, the scenario comparison and the
//! Monte Carlo robustness run (core index of every project, the objective's spread, the
//! base plan's overrun risk and the robust plan).
//!
//! The page is rendered by minijinja from `report.html` (in this folder), with HTML
//! auto-escaping of every value; the charts are SVG drawn by the template from coordinates
//! computed here (the frontier is plotters' SVG). No script, no font, no network: inline CSS
//! and SVG only. The same input gives the same bytes (no date, no random id).
//!
//! This file owns the page and its rendering; the plan's charts and tables are `plan`'s,
//! the scenario comparison `scenarios`'s, the robustness section `uncertainty`'s.

mod plan;
mod scenarios;
mod uncertainty;

use minijinja::Environment;
use serde::Serialize;

use super::format::{money, percent, value};
use super::Report;
use crate::analysis::{Frontier, Uncertainty};
use crate::error::{Error, Result};
use crate::model::Workbook;
use crate::scenario::ScenarioResult;
use plan::{gantt, headline, heatmap, ranked, spend, Gantt, Headline, Heatmap, Ranked, Spend};
use scenarios::{scenario_rows, ScenarioRow};
use uncertainty::{uncertainty_view, UncertaintyView};

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

/// Width of the charts, in SVG units.
const WIDTH: f64 = 1100.0;
/// Room for the labels left of the Gantt, the heatmap and the core index chart.
const LABEL: f64 = 280.0;
const ROW: f64 = 24.0;

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
                        .map_or_else(|| "nothing feasible".to_string(), value)
                ));
            }
            if let Some(k) = knee {
                note.push_str(&format!(
                    " The knee is at {} ({}): past it, each extra unit of budget buys less.",
                    money(k.budget),
                    k.value.map_or_else(|| "-".to_string(), value)
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
}
