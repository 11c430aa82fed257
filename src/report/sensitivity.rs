//! Renderers of the weight sensitivity: sensitivity.csv and the table on stdout.

use super::format::{csv_number, human};
use super::text::aligned;
use crate::analysis::{ids, End, Interval};
use crate::io::output::csv_bytes;
use crate::model::Workbook;

/// Header of sensitivity.csv.
pub const SENSITIVITY_HEADER: [&str; 6] =
    ["driver", "weight", "low", "high", "below_low", "above_high"];

/// What happens beyond an end: "P-3 enters; P-9 leaves", empty when nothing changes.
fn change(workbook: &Workbook, end: &End) -> String {
    let list = |projects: &[usize]| ids(workbook, projects.iter().copied()).join(", ");
    let mut parts = Vec::new();
    if !end.enters.is_empty() {
        let verb = if end.enters.len() == 1 {
            "enters"
        } else {
            "enter"
        };
        parts.push(format!("{} {verb}", list(&end.enters)));
    }
    if !end.leaves.is_empty() {
        let verb = if end.leaves.len() == 1 {
            "leaves"
        } else {
            "leave"
        };
        parts.push(format!("{} {verb}", list(&end.leaves)));
    }
    parts.join("; ")
}

/// sensitivity.csv: one row per driver, weights normalised (0…1).
pub fn sensitivity_csv(workbook: &Workbook, intervals: &[Interval]) -> Vec<u8> {
    let rows: Vec<Vec<String>> = intervals
        .iter()
        .map(|i| {
            vec![
                workbook.drivers[i.driver].name.clone(),
                csv_number(i.weight),
                csv_number(i.low.weight),
                csv_number(i.high.weight),
                change(workbook, &i.low),
                change(workbook, &i.high),
            ]
        })
        .collect();
    csv_bytes(&SENSITIVITY_HEADER, &rows)
}

/// The intervals for a terminal.
pub fn render_sensitivity(workbook: &Workbook, intervals: &[Interval]) -> String {
    let mut out = String::from(
        "each driver's weight can move inside its interval (the others keeping their proportions) without changing the portfolio\n\n",
    );
    let header = ["driver", "weight", "stable from", "to", "below", "above"];
    let rows: Vec<[String; 6]> = intervals
        .iter()
        .map(|i| {
            let or_dash = |s: String| if s.is_empty() { "-".to_string() } else { s };
            [
                workbook.drivers[i.driver].name.clone(),
                human(i.weight, 3),
                human(i.low.weight, 3),
                human(i.high.weight, 3),
                or_dash(change(workbook, &i.low)),
                or_dash(change(workbook, &i.high)),
            ]
        })
        .collect();
    let right = [false, true, true, true, false, false];
    out.push_str(&aligned(&header, &rows, &right));
    out
}
