//! A project's start window (earliest, latest) against the horizon: unknown periods, windows
//! too small for the duration, a latest start clipped so that the project ends in the
//! horizon. An in-progress project starts in the first period (its window is ignored, a
//! warning); an excluded project's unknown period is only a warning.

use super::Horizon;
use crate::diag::{codes, Diags, Loc};
use crate::io::tables::projects::RawProject;
use crate::io::tables::Headers;
use crate::model::Status;

/// The start window (earliest, latest) of a project, with its checks.
pub(super) fn window(
    p: &RawProject,
    status: Status,
    headers: &Headers,
    horizon: &Horizon,
    diags: &mut Diags,
) -> (usize, usize) {
    let e_col = headers.get("earliest_start");
    let l_col = headers.get("latest_start");
    if status == Status::InProgress {
        for (label, column) in [(&p.earliest, &e_col), (&p.latest, &l_col)] {
            if let Some(label) = label {
                diags.add(
                    codes::WINDOW_IGNORED,
                    Loc::cell("projects.csv", p.line, column),
                    Some(label),
                    format!(
                        "project {} is in progress, so its {column} '{label}' is ignored (it starts in the first period)",
                        p.id
                    ),
                    format!("clear {column} of a running project"),
                );
            }
        }
        return (0, 0);
    }
    if !horizon.known {
        return (0, 0);
    }
    let excluded = status == Status::Excluded;
    let h = horizon.len();
    let mut resolve = |label: &Option<String>, column: &str| -> Option<usize> {
        let label = label.as_ref()?;
        let found = horizon.index(label);
        if found.is_none() {
            let (code, message) = if excluded {
                (
                    codes::EXCLUDED_WINDOW,
                    format!(
                        "excluded project {} has {column} '{label}', which is not a period of the horizon; it is ignored",
                        p.id
                    ),
                )
            } else {
                (
                    codes::UNKNOWN_PERIOD,
                    format!(
                        "project {} has {column} '{label}', which is not a period of the horizon",
                        p.id
                    ),
                )
            };
            diags.add(
                code,
                Loc::cell("projects.csv", p.line, column),
                Some(label),
                message,
                format!("use one of the periods {}", horizon.list()),
            );
        }
        found
    };
    let e_given = resolve(&p.earliest, &e_col);
    let l_given = resolve(&p.latest, &l_col);
    // A wrong duration has been reported; its window is not checked on top.
    let Some(duration) = p.duration else {
        return (e_given.unwrap_or(0), l_given.unwrap_or(0));
    };
    let last_start = h.checked_sub(duration);
    let earliest = e_given.unwrap_or(0);
    let latest = match (l_given, last_start) {
        (Some(l), Some(m)) if l > m => {
            if !excluded {
                let label = p.latest.clone().unwrap_or_default();
                diags.add(
                    codes::LATEST_CLIPPED,
                    Loc::cell("projects.csv", p.line, &l_col),
                    Some(&label),
                    format!(
                        "project {} has {l_col} '{label}', from which its {duration} period(s) would run past the last period '{}'; clipped to '{}'",
                        p.id,
                        horizon.periods[h - 1],
                        horizon.periods[m]
                    ),
                    format!("set {l_col} to '{}' or earlier", horizon.periods[m]),
                );
            }
            m
        }
        (Some(l), _) => l,
        (None, Some(m)) => m,
        (None, None) => 0,
    };
    let fits = last_start.is_some() && earliest <= latest;
    if fits {
        return (earliest, latest);
    }
    if excluded {
        // Never selected: any window the rest of the tool can index safely will do.
        return (0, last_start.unwrap_or(0));
    }
    let kind = status.as_str();
    if last_start.is_none() {
        diags.add(
            codes::WINDOW_TOO_SMALL,
            Loc::cell("projects.csv", p.line, &headers.get("duration")),
            Some(&duration.to_string()),
            format!(
                "{kind} project {} lasts {duration} period(s) but the horizon has only {h} ({} to {})",
                p.id,
                horizon.periods.first().map_or("", String::as_str),
                horizon.periods.last().map_or("", String::as_str),
            ),
            "shorten its duration, extend the horizon in budget.csv / capacity.csv, or exclude the project",
        );
    } else if l_given.is_some_and(|l| l < earliest) {
        let e_label = p.earliest.clone().unwrap_or_default();
        let l_label = p.latest.clone().unwrap_or_default();
        diags.add(
            codes::WINDOW_TOO_SMALL,
            Loc::cell("projects.csv", p.line, &e_col),
            Some(&e_label),
            format!(
                "{kind} project {} has {e_col} '{e_label}' after its {l_col} '{l_label}'",
                p.id
            ),
            format!("make {e_col} no later than {l_col}"),
        );
    } else {
        let e_label = p.earliest.clone().unwrap_or_default();
        diags.add(
            codes::WINDOW_TOO_SMALL,
            Loc::cell("projects.csv", p.line, &e_col),
            Some(&e_label),
            format!(
                "{kind} project {} cannot start at or after {e_col} '{e_label}' and finish its {duration} period(s) by the last period '{}'",
                p.id,
                horizon.periods.last().map_or("", String::as_str),
            ),
            format!("make {e_col} earlier, shorten the duration, or extend the horizon"),
        );
    }
    (earliest.min(latest), latest)
}

#[cfg(test)]
mod tests {
    use crate::diag::codes;
    use crate::resolve::testing::{codes_of, diagnostics, loaded, BUDGET};

    #[test]
    fn in_progress_starts_first_and_may_run_past_the_horizon() {
        let l = loaded(&[
            (
                "projects.csv",
                "id,cost,duration,status\nR,50,5,in_progress\n",
            ),
            ("budget.csv", BUDGET),
            (
                "capacity.csv",
                "pool,period,fte\ndev,2025-Q1,1\ndev,2025-Q2,1\ndev,2025-Q3,1\n",
            ),
            ("demand.csv", "project,pool,fte,offset\nR,dev,1,4\n"),
            ("costs.csv", "project,offset,amount\nR,4,50\n"),
        ]);
        let r = &l.workbook.projects[0];
        assert_eq!((r.earliest, r.latest, r.duration), (0, 0, 5));
        assert_eq!(r.cost_profile, [0.0, 0.0, 0.0, 0.0, 50.0]);
        assert_eq!(r.demand[0].fte.len(), 5);
    }

    #[test]
    fn excluded_projects_never_fail_on_their_window() {
        let l = loaded(&[
            (
                "projects.csv",
                // Z keeps the workbook from being all excluded (W012).
                "id,cost,duration,status,earliest_start,latest_start\nX,1,9,excluded,,\nY,1,2,excluded,2025-Q3,2025-Q1\nZ,1,1,,,\n",
            ),
            ("budget.csv", BUDGET),
        ]);
        assert!(l.warnings.is_empty(), "{:?}", l.warnings);
        let p = &l.workbook.projects;
        assert_eq!((p[0].earliest, p[0].latest), (0, 0));
        assert_eq!((p[1].earliest, p[1].latest), (0, 1));
    }

    #[test]
    fn windows_are_checked_and_clipped() {
        let list = diagnostics(&[
            (
                "projects.csv",
                "id,cost,duration,earliest_start,latest_start\n\
                 A,1,2,2025-Q3,\n\
                 B,1,1,2025-Q3,2025-Q2\n\
                 C,1,2,2025-Q1,2025-Q3\n",
            ),
            ("budget.csv", BUDGET),
        ]);
        assert_eq!(
            codes_of(&list),
            [
                codes::WINDOW_TOO_SMALL,
                codes::WINDOW_TOO_SMALL,
                codes::LATEST_CLIPPED
            ]
        );
        assert!(list[0].message.contains("project A"));
        assert_eq!(list[0].column.as_deref(), Some("earliest_start"));
        assert!(list[1].message.contains("after its latest_start"));
        assert!(list[2].message.contains("clipped to '2025-Q2'"));
    }
}
