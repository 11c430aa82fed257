//! Reading the baseline of a stable re-plan (`plan --baseline FILE`): the previous plan, as
//! the `summary.json` that `plan` wrote (its `selected: [{id, start}]`) or as a CSV file with
//! a header and the columns `id` and `start` (a period label). Other columns are ignored, so
//! a `portfolio.csv` that `plan` wrote works too: when a `selected` column is present, only
//! its `true` rows count. An empty `start` means the project was not in the plan.
//!
//! Ids are resolved against the workbook: an id the workbook no longer has is a warning (the
//! project is gone, so it counts as left); a start that is not a period of the workbook and
//! an id given twice are errors naming the file and the line (or the JSON entry).

use std::path::Path;

use crate::error::{Error, Result};
use crate::model::{Starts, Workbook};

/// A baseline read and resolved against a workbook.
#[derive(Debug, Clone, PartialEq)]
pub struct BaselineFile {
    /// Baseline start of each project of the workbook (`None`: not in the baseline).
    pub starts: Starts,
    /// Ids of the baseline the workbook does not have (they count as left), in file order.
    pub gone: Vec<String>,
    /// One warning per id the workbook does not have.
    pub warnings: Vec<String>,
}

/// One entry of the file: where it is, its id and its start label.
struct Entry {
    /// `line 4` (CSV) or `selected[3]` (JSON).
    at: String,
    id: String,
    start: String,
}

/// Read the baseline at `path` for `workbook`. A file that cannot be read is an
/// [`Error::Io`]; a file that is not a baseline is an [`Error::InvalidFile`].
pub fn read_baseline(path: &Path, workbook: &Workbook) -> Result<BaselineFile> {
    let bytes = std::fs::read(path).map_err(|source| Error::Io {
        path: path.to_path_buf(),
        source,
    })?;
    let shown = path.display().to_string();
    let text = std::str::from_utf8(&bytes).map_err(|err| {
        let line = bytes[..err.valid_up_to()]
            .iter()
            .filter(|b| **b == b'\n')
            .count()
            + 1;
        invalid(
            &shown,
            &format!("line {line}"),
            "is not UTF-8 text",
            "save it as UTF-8 (in Excel: Save As → CSV UTF-8)",
        )
    })?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let json = path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("json"))
        || text.trim_start().starts_with('{');
    let entries = if json {
        json_entries(&shown, text)?
    } else {
        csv_entries(&shown, text)?
    };
    resolve(&shown, entries, workbook)
}

fn invalid(file: &str, at: &str, what: &str, fix: &str) -> Error {
    let at = if at.is_empty() {
        String::new()
    } else {
        format!(" {at}")
    };
    Error::InvalidFile(format!("baseline {file}{at}: {what}; {fix}"))
}

/// The entries of a summary.json: `selected: [{"id": …, "start": …}, …]`.
fn json_entries(file: &str, text: &str) -> Result<Vec<Entry>> {
    let value: serde_json::Value = serde_json::from_str(text).map_err(|err| {
        invalid(
            file,
            &format!("line {}, column {}", err.line(), err.column()),
            &format!("is not valid JSON ({err})"),
            "give the summary.json that `arbiter plan` wrote, or a CSV file with the columns id and start",
        )
    })?;
    let Some(selected) = value.get("selected").and_then(|s| s.as_array()) else {
        return Err(invalid(
            file,
            "",
            "has no \"selected\" list",
            "give the summary.json that `arbiter plan` wrote (it lists \"selected\": [{\"id\", \"start\"}])",
        ));
    };
    selected
        .iter()
        .enumerate()
        .map(|(i, item)| {
            let at = format!("selected[{i}]");
            let text = |key: &str| {
                item.get(key)
                    .and_then(|v| v.as_str())
                    .map(|s| s.trim().to_string())
                    .ok_or_else(|| {
                        invalid(
                            file,
                            &at,
                            &format!("has no text \"{key}\""),
                            "give each selected project as {\"id\": \"P-01\", \"start\": \"2027-Q1\"}",
                        )
                    })
            };
            Ok(Entry {
                id: text("id")?,
                start: text("start")?,
                at,
            })
        })
        .collect()
}

/// The entries of a CSV file with the columns `id` and `start` (and maybe `selected`).
fn csv_entries(file: &str, text: &str) -> Result<Vec<Entry>> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(true)
        .delimiter(super::csvfile::detect_delimiter(text))
        .from_reader(text.as_bytes());
    let not_csv = |err: csv::Error| {
        let line = err
            .position()
            .map_or(String::new(), |p| format!("line {}", p.line()));
        invalid(
            file,
            &line,
            &format!("is not valid CSV ({err})"),
            "export it again as CSV",
        )
    };
    let headers: Vec<String> = reader
        .headers()
        .map_err(not_csv)?
        .iter()
        .map(|h| h.trim().to_lowercase())
        .collect();
    let column = |name: &str| headers.iter().position(|h| h == name);
    let (Some(id), Some(start)) = (column("id"), column("start")) else {
        return Err(invalid(
            file,
            "line 1",
            "needs a header with the columns id and start",
            "write the header `id,start`, then one line per project of the plan (start = a period label)",
        ));
    };
    let selected = column("selected");
    let mut entries = Vec::new();
    for record in reader.records() {
        let record = record.map_err(not_csv)?;
        let line = record.position().map_or(0, |p| p.line());
        // A portfolio.csv that arbiter wrote has its formula escapes undone (`'=x` is `=x`).
        let cell =
            |i: usize| super::formula::restore(record.get(i).unwrap_or("").trim()).to_string();
        if record.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        let at = format!("line {line}");
        let (id, start) = (cell(id), cell(start));
        if id.is_empty() {
            return Err(invalid(
                file,
                &at,
                "has no id",
                "give every line the id of a project",
            ));
        }
        if let Some(column) = selected {
            let value = cell(column);
            match value.to_lowercase().as_str() {
                "true" | "1" | "yes" => {}
                "false" | "0" | "no" | "" => continue,
                _ => {
                    return Err(invalid(
                        file,
                        &at,
                        &format!("selected is '{value}'"),
                        "write true or false",
                    ))
                }
            }
            if start.is_empty() {
                return Err(invalid(
                    file,
                    &at,
                    &format!("project {id} is selected but has no start"),
                    "give its start period",
                ));
            }
        }
        if start.is_empty() {
            // Not in the plan (portfolio.csv and comparison.csv leave the start of such a
            // project empty).
            continue;
        }
        entries.push(Entry { at, id, start });
    }
    Ok(entries)
}

fn resolve(file: &str, entries: Vec<Entry>, workbook: &Workbook) -> Result<BaselineFile> {
    let mut starts: Starts = vec![None; workbook.projects.len()];
    let mut seen: Vec<(String, String)> = Vec::new();
    let mut gone = Vec::new();
    let mut warnings = Vec::new();
    for entry in entries {
        if let Some((_, first)) = seen.iter().find(|(id, _)| *id == entry.id) {
            return Err(invalid(
                file,
                &entry.at,
                &format!("project {} is given twice (first at {first})", entry.id),
                "keep one line per project",
            ));
        }
        seen.push((entry.id.clone(), entry.at.clone()));
        let Some(t) = workbook.period_index(&entry.start) else {
            return Err(invalid(
                file,
                &entry.at,
                &format!(
                    "project {} starts in '{}', which is not a period of the workbook ({})",
                    entry.id,
                    entry.start,
                    period_list(workbook)
                ),
                "give a period label of budget.csv or capacity.csv (a project that started before the horizon is in progress now: give it the first period, or leave it out)",
            ));
        };
        match workbook.project_index(&entry.id) {
            Some(p) => starts[p] = Some(t),
            None => {
                warnings.push(format!(
                    "warning: baseline {file} {}: project {} is not in the workbook any more; it counts as left",
                    entry.at, entry.id
                ));
                gone.push(entry.id);
            }
        }
    }
    Ok(BaselineFile {
        starts,
        gone,
        warnings,
    })
}

/// `2027-Q1 … 2028-Q4`, or the one period.
fn period_list(workbook: &Workbook) -> String {
    match workbook.periods.as_slice() {
        [] => "it has none".to_string(),
        [one] => one.clone(),
        [first, .., last] => format!("{first} … {last}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Project;

    fn workbook() -> Workbook {
        Workbook {
            periods: vec!["Q1".into(), "Q2".into(), "Q3".into()],
            projects: vec![
                Project::candidate("A", 10.0, 1, 5.0, 2),
                Project::candidate("B", 10.0, 1, 5.0, 2),
                Project::candidate("C", 10.0, 1, 5.0, 2),
            ],
            budget_total: vec![None; 3],
            ..Workbook::default()
        }
    }

    fn read(name: &str, text: &str) -> Result<BaselineFile> {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(name);
        std::fs::write(&path, text).unwrap();
        read_baseline(&path, &workbook())
    }

    fn message(result: Result<BaselineFile>) -> String {
        match result {
            Err(Error::InvalidFile(message)) => message,
            other => panic!("expected an invalid file, got {other:?}"),
        }
    }

    #[test]
    fn reads_a_summary_json() {
        let text = r#"{"schema": 1, "status": "optimal", "objective": 10,
            "selected": [{"id": "A", "start": "Q2"}, {"id": "C", "start": "Q1"}]}"#;
        let read = read("summary.json", text).unwrap();
        assert_eq!(read.starts, vec![Some(1), None, Some(0)]);
        assert!(read.gone.is_empty() && read.warnings.is_empty());
    }

    #[test]
    fn reads_an_id_start_csv_with_any_delimiter_and_a_bom() {
        let read = read("plan.csv", "\u{feff}ID;Start;note\nB;Q3;x\nC;;\n").unwrap();
        assert_eq!(read.starts, vec![None, Some(2), None]);
    }

    #[test]
    fn reads_a_portfolio_csv_by_its_selected_column() {
        let text = "rank,id,name,selected,start,end,reason\n\
                    1,A,Alpha,true,Q1,Q1,\"in, first\"\n\
                    2,B,Beta,false,,,budget\n";
        let read = read("portfolio.csv", text).unwrap();
        assert_eq!(read.starts, vec![Some(0), None, None]);
    }

    #[test]
    fn an_unknown_id_is_a_warning_and_counts_as_gone() {
        let read = read("b.csv", "id,start\nA,Q1\nZ-9,Q2\n").unwrap();
        assert_eq!(read.starts, vec![Some(0), None, None]);
        assert_eq!(read.gone, vec!["Z-9".to_string()]);
        assert_eq!(read.warnings.len(), 1);
        assert!(read.warnings[0].contains("line 3: project Z-9 is not in the workbook"));
    }

    #[test]
    fn an_unknown_period_is_an_error_with_its_line() {
        let text = message(read("b.csv", "id,start\nA,Q1\nB,2031-Q1\n"));
        assert!(text.contains("b.csv line 3: project B starts in '2031-Q1', which is not a period of the workbook (Q1 … Q3)"), "{text}");
    }

    #[test]
    fn a_duplicated_id_is_an_error_naming_both_places() {
        let text = message(read("b.csv", "id,start\nA,Q1\nA,Q2\n"));
        assert!(
            text.contains("line 3: project A is given twice (first at line 2)"),
            "{text}"
        );
        let json = r#"{"selected": [{"id": "A", "start": "Q1"}, {"id": "A", "start": "Q1"}]}"#;
        let text = message(read("s.json", json));
        assert!(
            text.contains("selected[1]: project A is given twice (first at selected[0])"),
            "{text}"
        );
    }

    #[test]
    fn a_file_without_the_columns_or_the_list_is_an_error() {
        let text = message(read("b.csv", "project,period\nA,Q1\n"));
        assert!(
            text.contains("line 1: needs a header with the columns id and start"),
            "{text}"
        );
        let text = message(read("s.json", r#"{"status": "optimal"}"#));
        assert!(text.contains("has no \"selected\" list"), "{text}");
        let text = message(read("s.json", "{\"selected\": [\n"));
        assert!(text.contains("is not valid JSON"), "{text}");
        let text = message(read("s.json", r#"{"selected": [{"id": "A"}]}"#));
        assert!(
            text.contains("selected[0]: has no text \"start\""),
            "{text}"
        );
        let text = message(read("p.csv", "id,selected,start\nA,maybe,Q1\n"));
        assert!(text.contains("line 2: selected is 'maybe'"), "{text}");
    }

    #[test]
    fn a_missing_file_is_an_io_error() {
        let missing = Path::new("/nonexistent/arbiter/baseline.json");
        assert!(matches!(
            read_baseline(missing, &workbook()),
            Err(Error::Io { .. })
        ));
    }
}
