//! A re-plan against its baseline (`plan --baseline`): which projects were kept, entered,
//! left or moved, in summary.json (`baseline`), in portfolio.csv (the `change` column and
//! the reasons) and on stdout (the "against the baseline" section of the table).

use serde::Serialize;

use super::format::{json_number, json_optional, value};
use super::{build_ranked, Report};
use crate::analysis::{Impact, Keep, Ranking};
use crate::model::{Starts, Workbook};
use crate::solve::{change_penalty, check, Baseline, Solution, SolveOptions, SolveStatus};

/// summary.json's `baseline`: the re-plan against the previous plan.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Against {
    /// The baseline file as given.
    pub file: String,
    /// The penalty of a change, as a fraction of the changed project's score.
    #[serde(serialize_with = "json_number")]
    pub change_penalty: f64,
    /// The portfolio's objective without the change penalty (what `objective` would be
    /// without a baseline); null when infeasible.
    #[serde(serialize_with = "json_optional")]
    pub value: Option<f64>,
    /// The penalties of the changes made: the sum over the projects that left or moved.
    #[serde(serialize_with = "json_number")]
    pub penalty: f64,
    /// Projects of the baseline selected at the same start.
    pub kept: usize,
    /// Projects selected that the baseline did not have, in project order.
    pub entered: Vec<String>,
    /// Projects of the baseline left out (and baseline projects the workbook no longer
    /// has, after them).
    pub left: Vec<String>,
    /// Projects of the baseline selected at another start.
    pub moved: Vec<Moved>,
    /// The changes for the table on stdout: entered, then left, then moved, each in rank
    /// order.
    #[serde(skip)]
    pub lines: Vec<Line>,
}

/// One change, for the table on stdout.
#[derive(Debug, Clone, PartialEq)]
pub struct Line {
    /// `entered`, `left` or `moved`.
    pub change: &'static str,
    pub id: String,
    /// Start in the baseline (`None`: not in it).
    pub from: Option<String>,
    /// Start now (`None`: out).
    pub to: Option<String>,
    pub reason: String,
}

/// A project whose start moved.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Moved {
    pub id: String,
    pub from: String,
    pub to: String,
}

/// How one project changed against the baseline.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Change {
    Kept,
    Entered,
    Left,
    Moved {
        from: usize,
    },
    /// Out in both.
    Out,
}

fn change(baseline: &Baseline, starts: &Starts, p: usize) -> Change {
    match (baseline.start(p), starts.get(p).copied().flatten()) {
        (Some(b), Some(s)) if b == s => Change::Kept,
        (Some(b), Some(_)) => Change::Moved { from: b },
        (Some(_), None) => Change::Left,
        (None, Some(_)) => Change::Entered,
        (None, None) => Change::Out,
    }
}

/// What the report of a re-plan needs besides the solve and its ranking.
#[derive(Debug, Clone, Copy, Default)]
pub struct Replan<'a> {
    /// The baseline file as given.
    pub file: &'a str,
    /// Ids of the baseline that the workbook no longer has.
    pub gone: &'a [String],
    /// Per project, what keeping a moved project at its baseline start would do
    /// ([`crate::analysis::keep_moved`]; with the exact ranking only).
    pub keep: Option<&'a [Option<Keep>]>,
}

/// The report of a re-plan: [`build_ranked`], plus what changed against the baseline of
/// `options`. Without a baseline in `options` it is [`build_ranked`].
pub fn build_replan(
    workbook: &Workbook,
    solution: &Solution,
    options: &SolveOptions,
    ranking: Option<&Ranking>,
    replan: Replan<'_>,
) -> Report {
    let Replan { file, gone, keep } = replan;
    let mut report = build_ranked(workbook, solution, options, ranking);
    let Some(baseline) = &options.baseline else {
        return report;
    };
    let infeasible = solution.status == SolveStatus::Infeasible;
    let n = workbook.projects.len();
    let starts: Starts = if infeasible {
        vec![None; n]
    } else {
        solution.starts.clone()
    };
    let label = |t: usize| workbook.periods.get(t).cloned().unwrap_or_default();
    let penalty_of = |p: usize| {
        change_penalty(workbook, baseline, p, options.objective, options.discount).unwrap_or(0.0)
    };
    let changes: Vec<Change> = (0..n)
        .map(|p| {
            if infeasible {
                Change::Out
            } else {
                change(baseline, &starts, p)
            }
        })
        .collect();
    let ids = |wanted: fn(&Change) -> bool| -> Vec<String> {
        (0..n)
            .filter(|&p| wanted(&changes[p]))
            .map(|p| workbook.projects[p].id.clone())
            .collect()
    };
    let mut left = ids(|c| *c == Change::Left);
    if !infeasible {
        left.extend(gone.iter().cloned());
    }
    report.summary.baseline = Some(Against {
        file: file.to_string(),
        change_penalty: baseline.penalty,
        value: (!infeasible)
            .then(|| check::objective(workbook, &starts, options.objective, options.discount)),
        penalty: (0..n)
            .filter(|&p| matches!(changes[p], Change::Left | Change::Moved { .. }))
            .map(penalty_of)
            .sum(),
        kept: changes.iter().filter(|c| **c == Change::Kept).count(),
        entered: ids(|c| *c == Change::Entered),
        left,
        moved: (0..n)
            .filter_map(|p| match changes[p] {
                Change::Moved { from } => Some(Moved {
                    id: workbook.projects[p].id.clone(),
                    from: label(from),
                    to: label(starts[p].unwrap_or(from)),
                }),
                _ => None,
            })
            .collect(),
        lines: Vec::new(),
    });
    let mut lines = Vec::new();
    for row in &mut report.portfolio {
        let Some(p) = workbook.project_index(&row.id) else {
            continue;
        };
        let penalty = value(penalty_of(p));
        let (cell, prefix) = match changes[p] {
            Change::Kept => ("kept".to_string(), None),
            Change::Out => (String::new(), None),
            Change::Entered => ("entered".to_string(), Some("entered".to_string())),
            Change::Moved { from } => {
                let mut why = format!("moved from {} (change penalty {penalty})", label(from));
                if let Some(Some(k)) = keep.and_then(|k| k.get(p)) {
                    why.push_str(&format!("; {}", keeping(workbook, p, &label(from), k)));
                }
                (format!("moved from {}", label(from)), Some(why))
            }
            // The ranking's reason follows: what forcing it back in would lose, change
            // penalties counted (the ranking re-solves with the same baseline).
            Change::Left => (
                "left".to_string(),
                Some(format!("left the baseline (change penalty {penalty})")),
            ),
        };
        row.change = Some(cell);
        if let Some(prefix) = prefix {
            let join = |head: String, tail: &str| {
                if tail.is_empty() {
                    head
                } else {
                    format!("{head}; {tail}")
                }
            };
            // On stdout the change has a column of its own: the why says the rest.
            let (order, change, why) = match changes[p] {
                Change::Entered => (0, "entered", row.reason.clone()),
                Change::Left => (
                    1,
                    "left",
                    join(format!("change penalty {penalty}"), &row.reason),
                ),
                _ => {
                    // The prefix without its "moved from …": the table has the periods.
                    let detail = prefix.split_once("; ").map_or("", |(_, rest)| rest);
                    let head = join(format!("change penalty {penalty}"), detail);
                    (2, "moved", join(head, &row.reason))
                }
            };
            row.reason = join(prefix, &row.reason);
            lines.push((
                order,
                Line {
                    change,
                    id: row.id.clone(),
                    from: baseline.start(p).map(label),
                    to: row.start.clone(),
                    reason: why,
                },
            ));
        }
    }
    if !infeasible {
        lines.extend(gone.iter().map(|id| {
            (
                1,
                Line {
                    change: "left",
                    id: id.clone(),
                    from: None,
                    to: None,
                    reason: "not in the workbook any more".to_string(),
                },
            )
        }));
    }
    // Stable: rank order inside each group.
    lines.sort_by_key(|(order, _)| *order);
    if let Some(against) = &mut report.summary.baseline {
        against.lines = lines.into_iter().map(|(_, line)| line).collect();
    }
    report
}

/// What keeping project `p` at its baseline start `at` would do.
fn keeping(workbook: &Workbook, p: usize, at: &str, keep: &Keep) -> String {
    let ids = |list: &[usize]| -> String {
        super::reasons::and_list(workbook, list.iter().copied().filter(|&q| q != p))
    };
    match keep {
        Keep::OutsideWindow => format!("{at} is outside its window now"),
        Keep::Impact(Impact::Impossible { why }) => {
            format!("keeping it in {at} is impossible: {why}")
        }
        Keep::Impact(Impact::Loss {
            loss,
            proven,
            pushed_out,
            brought_in,
        }) => {
            let about = if *proven { "" } else { "about " };
            let mut text = format!("keeping it in {at} loses {about}{}", value(*loss));
            let out = ids(pushed_out);
            if !out.is_empty() {
                text.push_str(&format!(" and pushes out {out}"));
            }
            let added = ids(brought_in);
            if !added.is_empty() {
                text.push_str(&format!(" and brings in {added}"));
            }
            text
        }
    }
}

/// The "against the baseline" section of the table on stdout.
pub(crate) fn section(against: &Against) -> String {
    if against.value.is_none() {
        return format!(
            "against the baseline {}: no feasible portfolio to compare\n",
            against.file
        );
    }
    let mut out = format!(
        "against the baseline {} (change penalty {}): {} kept, {} entered, {} left, {} moved",
        against.file,
        value(against.change_penalty),
        against.kept,
        against.entered.len(),
        against.left.len(),
        against.moved.len()
    );
    if let Some(worth) = against.value {
        out.push_str(&format!(
            "; value {} without the change penalty, penalties paid {}",
            value(worth),
            value(against.penalty)
        ));
    }
    out.push('\n');
    if against.lines.is_empty() {
        return out;
    }
    let dash = |label: &Option<String>| label.clone().unwrap_or_else(|| "-".to_string());
    let rows: Vec<[String; 5]> = against
        .lines
        .iter()
        .map(|line| {
            [
                line.change.to_string(),
                line.id.clone(),
                dash(&line.from),
                dash(&line.to),
                line.reason.clone(),
            ]
        })
        .collect();
    out.push_str(&super::text::aligned(
        &["change", "id", "baseline", "now", "why"],
        &rows,
        &[false; 5],
    ));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::testkit::{project, workbook};
    use crate::report::{portfolio_header, portfolio_records, render_table};
    use crate::solve::solve;

    /// Two quarters. A (value 10, cost 60) fits only in Q2 now; B (value 4) fits beside it;
    /// C (value 1, cost 100) never fits.
    fn replanned() -> (Workbook, SolveOptions) {
        let mut wb = workbook(
            &["Q1", "Q2"],
            vec![
                project("A", 60.0, 1, 10.0),
                project("B", 30.0, 1, 4.0),
                project("C", 100.0, 1, 1.0),
                project("D", 10.0, 1, 0.5),
            ],
        );
        wb.budget_total = vec![Some(50.0), Some(100.0)];
        // The baseline had A in Q1 and D in Q2; B is new.
        let options = SolveOptions {
            gap: 0.0,
            baseline: Some(Baseline {
                starts: vec![Some(0), None, None, Some(1)],
                penalty: 0.1,
            }),
            ..SolveOptions::default()
        };
        (wb, options)
    }

    #[test]
    fn a_replan_says_what_entered_left_and_moved() {
        let (mut wb, options) = replanned();
        // D is dropped from the workbook's reach: excluded now.
        wb.projects[3].status = crate::model::Status::Excluded;
        let solution = solve(&wb, &options).unwrap();
        assert_eq!(solution.starts, vec![Some(1), Some(0), None, None]);
        let gone = ["Z".to_string()];
        let replan = Replan {
            file: "old.csv",
            gone: &gone,
            keep: None,
        };
        let report = build_replan(&wb, &solution, &options, None, replan);
        let against = report.summary.baseline.as_ref().unwrap();
        assert_eq!(against.kept, 0);
        assert_eq!(against.entered, ["B"]);
        assert_eq!(against.left, ["D", "Z"]);
        assert_eq!(
            against.moved,
            [Moved {
                id: "A".into(),
                from: "Q1".into(),
                to: "Q2".into()
            }]
        );
        // A's penalty 1 (10% of 10) and D's 0.05.
        assert!((against.penalty - 1.05).abs() < 1e-12);
        assert_eq!(against.value, Some(14.0));
        let header = portfolio_header(&report);
        assert_eq!(header.last(), Some(&"change"));
        let records = portfolio_records(&report);
        let row = |id: &str| records.iter().find(|r| r[1] == id).unwrap().clone();
        assert_eq!(row("A").last().unwrap(), "moved from Q1");
        assert!(row("A")[9].starts_with("moved from Q1 (change penalty 1)"));
        assert_eq!(row("B").last().unwrap(), "entered");
        assert_eq!(row("C").last().unwrap(), "");
        assert_eq!(row("D").last().unwrap(), "left");
        assert!(row("D")[9].starts_with("left the baseline (change penalty 0.05); "));
        let json = crate::report::render_summary_json(&report);
        assert!(
            json.contains("\"baseline\": {\n    \"file\": \"old.csv\""),
            "{json}"
        );
        assert!(!json.contains("lines"), "{json}");
        let table = render_table(&report);
        assert!(
            table.contains("against the baseline old.csv (change penalty 0.1): 0 kept, 1 entered, 2 left, 1 moved"),
            "{table}"
        );
        assert!(
            table.contains("left     Z   -         -    not in the workbook any more"),
            "{table}"
        );
    }

    #[test]
    fn an_infeasible_replan_compares_nothing() {
        let (wb, options) = replanned();
        let solution = Solution {
            status: SolveStatus::Infeasible,
            stopped_by: None,
            starts: vec![None; 4],
            shares: vec![1.0; 4],
            objective: None,
            bound: None,
            gap: None,
            seconds: 0.0,
            encode_seconds: 0.0,
            tie_break_seconds: 0.0,
            allocation_seconds: 0.0,
            diagnosis: None,
            lp: None,
            allocation: Vec::new(),
            allocation_quality: None,
        };
        let replan = Replan {
            file: "old.csv",
            ..Replan::default()
        };
        let report = build_replan(&wb, &solution, &options, None, replan);
        let against = report.summary.baseline.as_ref().unwrap();
        assert_eq!((against.value, against.kept), (None, 0));
        assert!(against.left.is_empty() && against.lines.is_empty());
        assert!(report
            .portfolio
            .iter()
            .all(|r| r.change.as_deref() == Some("")));
        assert!(render_table(&report)
            .ends_with("against the baseline old.csv: no feasible portfolio to compare\n"));
    }

    #[test]
    fn without_a_baseline_nothing_changes() {
        let (wb, mut options) = replanned();
        options.baseline = None;
        let solution = solve(&wb, &options).unwrap();
        let plain = build_ranked(&wb, &solution, &options, None);
        let replan = build_replan(&wb, &solution, &options, None, Replan::default());
        assert_eq!(plain, replan);
        assert_eq!(
            portfolio_header(&plain).len(),
            crate::report::PORTFOLIO_HEADER.len()
        );
    }
}
