//! The terminal view of a [`Report`]: a headline, then the ranked portfolio as a fixed-width
//! table. Widths count characters; long names (and, when a width is given, long reasons) are
//! cut with `…`.

use super::format::{human, money, value};
use super::text::{cut, pad, GAP};
use super::{PortfolioRow, Report};
use crate::diag::escape_control;
use crate::solve::SolveStatus;

/// Names longer than this are cut, whatever the terminal width.
const NAME_MAX: usize = 32;
/// Ids longer than this are cut (`…`), whatever the terminal width: the files keep them whole.
const ID_MAX: usize = 40;
/// Below these widths a column is not cut further.
const NAME_MIN: usize = 12;
const REASON_MIN: usize = 24;

/// The report as a table for a terminal of unknown width (reasons are never cut).
pub fn render_table(report: &Report) -> String {
    render_table_width(report, usize::MAX)
}

/// The report as a table that fits in `width` columns where it can: names are cut first (down
/// to 12 characters), then reasons (down to 24).
pub fn render_table_width(report: &Report, width: usize) -> String {
    // The headline ends in a newline; a blank line separates it from the table.
    let mut out = headline(report);
    if report.portfolio.is_empty() {
        out.push_str("no projects\n");
        return out;
    }
    out.push('\n');

    let header = [
        "rank",
        "id",
        "name",
        "start..end",
        "score",
        "cost",
        "reason",
    ];
    let rows: Vec<[String; 7]> = report.portfolio.iter().map(cells).collect();
    let mut widths = [0usize; 7];
    for (i, title) in header.iter().enumerate() {
        widths[i] = rows
            .iter()
            .map(|row| row[i].chars().count())
            .chain(std::iter::once(title.chars().count()))
            .max()
            .unwrap_or(0);
    }
    widths[1] = widths[1].min(ID_MAX);
    widths[2] = widths[2].min(NAME_MAX);
    let fixed =
        |widths: &[usize; 7]| -> usize { widths[..6].iter().sum::<usize>() + GAP.len() * 6 };
    if fixed(&widths) + widths[6] > width {
        let over = fixed(&widths) + widths[6] - width;
        let name_floor = NAME_MIN.min(widths[2]).max(header[2].len());
        widths[2] -= over.min(widths[2] - name_floor);
        let room = width.saturating_sub(fixed(&widths));
        widths[6] = widths[6].min(room.max(REASON_MIN));
    }

    let right = [true, false, false, false, true, true, false];
    let mut line = |cells: [&str; 7]| {
        let mut text = String::new();
        for (i, cell) in cells.iter().enumerate() {
            if i > 0 {
                text.push_str(GAP);
            }
            text.push_str(&pad(&cut(cell, widths[i]), widths[i], right[i]));
        }
        out.push_str(text.trim_end());
        out.push('\n');
    };
    line(header);
    for row in &rows {
        line([
            &row[0], &row[1], &row[2], &row[3], &row[4], &row[5], &row[6],
        ]);
    }
    if let Some(against) = &report.summary.baseline {
        out.push('\n');
        out.push_str(&super::baseline::section(against));
    }
    out
}

/// The first lines: status and numbers, then weights, then the diagnosis when infeasible.
fn headline(report: &Report) -> String {
    let summary = &report.summary;
    let total = report.portfolio.len();
    let mut out = String::new();
    match summary.status {
        SolveStatus::Infeasible => {
            out.push_str(&format!(
                "infeasible: no feasible portfolio among {total} project(s)\n"
            ));
            for message in summary.diagnosis.iter().flatten() {
                out.push_str(&format!("  - {message}\n"));
            }
        }
        status => {
            let mut parts = vec![format!("{}:", status.as_str())];
            if let Some(objective) = summary.objective {
                parts.push(format!("objective {},", value(objective)));
            }
            if let (Some(bound), Some(gap)) = (summary.bound, summary.gap) {
                parts.push(format!(
                    "bound {} (gap {}%),",
                    value(bound),
                    human(gap * 100.0, 2)
                ));
            }
            parts.push(format!("cost {},", money(summary.total_cost)));
            parts.push(format!("{} of {total} project(s) selected", summary.count));
            out.push_str(&parts.join(" "));
            out.push('\n');
            if let Some(a) = &summary.allocation {
                out.push_str(&format!(
                    "teams: {} team-project pair(s), {} skill need(s) split across teams, {} FTE of changes between periods (a proportional split of the same staffing: {}, {}, {})\n",
                    a.team_project_pairs,
                    a.split_skills,
                    human(a.fte_changes, 2),
                    a.proportional_split.team_project_pairs,
                    a.proportional_split.split_skills,
                    human(a.proportional_split.fte_changes, 2)
                ));
            }
        }
    }
    if !summary.weights.is_empty() {
        let weights: Vec<String> = summary
            .weights
            .iter()
            .map(|w| format!("{} {}", w.driver, human(w.weight, 3)))
            .collect();
        out.push_str(&format!("weights: {}", weights.join(", ")));
        if let Some(ratio) = summary.consistency_ratio {
            out.push_str(&format!(" (consistency ratio {})", human(ratio, 3)));
        }
        out.push('\n');
        if let Some(worst) = &summary.most_inconsistent {
            out.push_str(&format!(
                "warning: the consistency ratio is above 0.10; revisit first {worst}\n"
            ));
        }
    }
    out
}

fn cells(row: &PortfolioRow) -> [String; 7] {
    let when = match (&row.start, &row.end) {
        (Some(start), Some(end)) if start == end => start.clone(),
        (Some(start), Some(end)) => format!("{start}..{end}"),
        (Some(start), None) => start.clone(),
        _ => "-".to_string(),
    };
    // Ids, names and reasons come from the workbook: control characters are shown escaped.
    let shown = |text: &str| escape_control(text).into_owned();
    [
        row.rank.to_string(),
        shown(&row.id),
        shown(&row.name),
        shown(&when),
        human(row.score, 3),
        money(row.cost),
        shown(&row.reason),
    ]
}
