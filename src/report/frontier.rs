//! Renderers of the efficient frontier: frontier.csv, frontier.svg (plotters) and the table
//! on stdout.

use plotters::prelude::*;

use super::format::{csv_number, csv_optional, human, money, value};
use super::text::aligned;
use crate::analysis::Frontier;
use crate::io::output::csv_bytes;

/// Header of frontier.csv.
pub const FRONTIER_HEADER: [&str; 7] = [
    "scale", "budget", "value", "cost", "selected", "status", "marker",
];

fn marker(frontier: &Frontier, i: usize) -> &'static str {
    match (i == frontier.today, Some(i) == frontier.knee) {
        (true, true) => "today;knee",
        (true, false) => "today",
        (false, true) => "knee",
        (false, false) => "",
    }
}

/// frontier.csv: one row per point, by increasing budget; `selected` lists ids with `;`.
pub fn frontier_csv(frontier: &Frontier) -> Vec<u8> {
    let rows: Vec<Vec<String>> = frontier
        .points
        .iter()
        .enumerate()
        .map(|(i, p)| {
            vec![
                csv_number(p.scale),
                csv_number(p.budget),
                csv_optional(p.value),
                csv_number(p.cost),
                p.selected.join(";"),
                p.status.as_str().to_string(),
                marker(frontier, i).to_string(),
            ]
        })
        .collect();
    csv_bytes(&FRONTIER_HEADER, &rows)
}

/// The frontier for a terminal.
pub fn render_frontier(frontier: &Frontier) -> String {
    let mut out = String::new();
    let header = ["scale", "budget", "value", "cost", "projects", ""];
    let rows: Vec<[String; 6]> = frontier
        .points
        .iter()
        .enumerate()
        .map(|(i, p)| {
            [
                human(p.scale, 3),
                money(p.budget),
                p.value.map_or("infeasible".to_string(), value),
                money(p.cost),
                p.selected.len().to_string(),
                marker(frontier, i).replace(';', ", "),
            ]
        })
        .collect();
    // Numbers right-aligned; the marker last, as it comes.
    out.push_str(&aligned(
        &header,
        &rows,
        &[true, true, true, true, true, false],
    ));
    if let Some(k) = frontier.knee.and_then(|k| frontier.points.get(k)) {
        out.push_str(&format!(
            "knee: a budget of {} buys {}; beyond it each extra unit of budget buys less\n",
            money(k.budget),
            k.value.map_or("-".to_string(), value)
        ));
    }
    out
}

/// frontier.svg: value against total budget, each point solved, today's budget and the
/// knee marked. Text is SVG text (no font files needed); the bytes are the same for the
/// same frontier.
pub fn frontier_svg(frontier: &Frontier) -> String {
    let mut svg = String::new();
    // Drawing into a String cannot fail for I/O reasons; a plotting error leaves a partial
    // picture, which is still better than no report.
    let _ = draw(frontier, &mut svg);
    svg
}

fn draw(frontier: &Frontier, svg: &mut String) -> Result<(), Box<dyn std::error::Error>> {
    let feasible: Vec<(f64, f64)> = frontier
        .points
        .iter()
        .filter_map(|p| p.value.map(|v| (p.budget, v)))
        .collect();
    let root = SVGBackend::with_string(svg, (800, 500)).into_drawing_area();
    root.fill(&WHITE)?;
    let (x0, x1) = span(frontier.points.iter().map(|p| p.budget));
    let (y0, y1) = span(feasible.iter().map(|p| p.1).chain([0.0]));
    let mut chart = ChartBuilder::on(&root)
        .caption(
            "Efficient frontier: best value by budget",
            ("sans-serif", 22),
        )
        .margin(16)
        .x_label_area_size(44)
        .y_label_area_size(64)
        .build_cartesian_2d(x0..x1, y0..y1)?;
    chart
        .configure_mesh()
        .x_desc("total budget over the horizon")
        .y_desc("best value (objective)")
        .x_label_formatter(&|x| money(*x))
        .y_label_formatter(&|y| human(*y, 2))
        .light_line_style(RGBColor(235, 235, 235))
        .draw()?;
    let blue = RGBColor(31, 119, 180);
    chart.draw_series(LineSeries::new(
        feasible.iter().copied(),
        blue.stroke_width(2),
    ))?;
    chart.draw_series(
        feasible
            .iter()
            .map(|&(x, y)| Circle::new((x, y), 3, blue.filled())),
    )?;
    if let Some(today) = frontier.points.get(frontier.today) {
        let grey = RGBColor(120, 120, 120);
        chart.draw_series(LineSeries::new(
            [(today.budget, y0), (today.budget, y1)],
            grey.stroke_width(1),
        ))?;
        chart.draw_series([EmptyElement::at((today.budget, y1))
            + Text::new(
                format!("today: {}", money(today.budget)),
                (6, 4),
                ("sans-serif", 14).into_font().color(&grey),
            )])?;
    }
    if let Some(knee) = frontier.knee.and_then(|k| frontier.points.get(k)) {
        if let Some(value) = knee.value {
            let red = RGBColor(214, 39, 40);
            chart.draw_series([Circle::new((knee.budget, value), 6, red.stroke_width(2))])?;
            chart.draw_series([EmptyElement::at((knee.budget, value))
                + Text::new(
                    format!("knee: {} buys {}", money(knee.budget), human(value, 2)),
                    (10, 10),
                    ("sans-serif", 14).into_font().color(&red),
                )])?;
        }
    }
    root.present()?;
    Ok(())
}

/// A range around `values` with a little room, never empty.
fn span(values: impl Iterator<Item = f64>) -> (f64, f64) {
    let (lo, hi) = values.fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), v| {
        (a.min(v), b.max(v))
    });
    if !lo.is_finite() || !hi.is_finite() {
        return (0.0, 1.0);
    }
    let pad = ((hi - lo) * 0.05).max(1e-9);
    (lo - pad, hi + pad)
}
