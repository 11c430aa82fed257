//! projects.csv: one row per project — its id, cost, duration, value, window, status,
//! category, links (`requires`, `excludes`, `after`), three-point ranges and driver scores —
//! with each cell typed and the in-file rules (unique ids, low ≤ likely ≤ high) checked.
//! Periods, linked ids and driver columns are resolved by `resolve::projects`.

use std::collections::{BTreeMap, BTreeSet};

use super::{driver_key, duplicate, Cells, Field, Headers, Range};
use crate::diag::{codes, Diags, Loc};
use crate::io::csvfile::{Row, Table};
use crate::model::Status;

/// Columns of projects.csv other than driver scores.
pub(crate) const PROJECT_COLUMNS: [&str; 18] = [
    "id",
    "name",
    "cost",
    "duration",
    "value",
    "earliest_start",
    "latest_start",
    "status",
    "category",
    "requires",
    "excludes",
    "after",
    "requires_any",
    "min_share",
    "cost_low",
    "cost_high",
    "value_low",
    "value_high",
];

/// One projects.csv row; wrong cells are `None` (already reported) or take their default.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct RawProject {
    pub line: usize,
    pub id: String,
    pub name: String,
    pub cost: Option<f64>,
    pub duration: Option<usize>,
    pub value: Option<f64>,
    /// Period labels as written; `None` when the cell is empty.
    pub earliest: Option<String>,
    pub latest: Option<String>,
    /// `None` when the status is not one of the four.
    pub status: Option<Status>,
    pub category: Option<String>,
    pub requires: Vec<String>,
    pub excludes: Vec<String>,
    pub after: Vec<String>,
    /// `requires_any` groups (separated by `||`), each a list of ids; empty groups dropped.
    pub requires_any: Vec<Vec<String>>,
    /// `min_share`, when given and in (0, 1].
    pub min_share: Option<f64>,
    pub cost_low: f64,
    pub cost_high: f64,
    pub value_low: f64,
    pub value_high: f64,
    /// Scores in the order of the driver names passed to [`projects`].
    pub scores: Vec<f64>,
}

/// projects.csv, with the columns that hold driver scores.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct RawProjects {
    pub rows: Vec<RawProject>,
    pub headers: Headers,
    /// Lowercase keys of every header, for "does this driver have a column".
    pub driver_keys: BTreeSet<String>,
}

/// Split an id list on `;` or `|`.
fn split_ids(text: &str) -> Vec<String> {
    text.split([';', '|'])
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}

/// Split a `requires_any` cell into its groups: `A|B||C` is "(A or B) and C".
fn split_groups(text: &str) -> Vec<Vec<String>> {
    text.split("||")
        .map(split_ids)
        .filter(|g| !g.is_empty())
        .collect()
}

/// Read projects.csv; `drivers` are the driver names whose columns hold scores.
pub(crate) fn read(table: &Table, drivers: &[String], diags: &mut Diags) -> Option<RawProjects> {
    let c = Cells { table };
    let driver_keys: BTreeSet<String> = drivers.iter().map(|d| driver_key(d)).collect();
    let known = PROJECT_COLUMNS.join(", ");
    table.warn_unknown(
        |key| PROJECT_COLUMNS.contains(&key) || driver_keys.contains(&driver_key(key)),
        &format!("{known}, or a driver named in drivers.csv / pairwise.csv"),
        diags,
    );
    let mut out = RawProjects {
        rows: Vec::new(),
        headers: Headers::of(table),
        driver_keys: table.keys.iter().map(|k| driver_key(k)).collect(),
    };
    if !table.require(&["id", "cost"], diags) {
        return None;
    }
    // Said first and alone: without projects, every demand.csv or costs.csv row would be
    // reported as naming an unknown project (the file counts as broken, which stops that).
    if table.rows.is_empty() {
        diags.add(
            codes::EMPTY_FILE,
            Loc::file(table.file),
            None,
            format!(
                "{} has no projects: it has a header row and nothing below it",
                table.file
            ),
            "add one row per project under the header (at least id and cost)",
        );
        return None;
    }
    let score_cols: Vec<Option<usize>> = drivers
        .iter()
        .map(|d| {
            let key = driver_key(d);
            table.keys.iter().position(|k| driver_key(k) == key)
        })
        .collect();
    let col = |key: &str| table.col(key);
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    for row in &table.rows {
        let Some(id) = c.required_text(row, "id", "a project", diags) else {
            continue;
        };
        if let Some(first) = seen.get(&id) {
            duplicate(
                diags,
                Loc::cell(table.file, row.line, &table.header_of("id")),
                &id,
                format!("project id {id}"),
                *first,
                "give every project its own id",
            );
            continue;
        }
        seen.insert(id.clone(), row.line);
        let subject = format!("project {id}");
        let cost_field = c.number(row, col("cost"), &subject, Range::NonNegative, diags);
        let cost = c.required(cost_field, row, "cost", &subject, diags);
        let duration = c.integer(row, col("duration"), &subject, 1, diags).or(1);
        // A negative value is a project that loses money (it may still be required by
        // others, or be mandatory).
        let value = c
            .number(row, col("value"), &subject, Range::Any, diags)
            .or(0.0);
        let min_share = match c.number(row, col("min_share"), &subject, Range::MinShare, diags) {
            Field::Ok(s) => Some(s),
            Field::Empty | Field::Bad => None,
        };
        let status_text = c.text(row, col("status"));
        let status = Status::parse(status_text);
        if status.is_none() {
            let column = table.header_of("status");
            diags.add(
                codes::UNKNOWN_STATUS,
                Loc::cell(table.file, row.line, &column),
                Some(status_text),
                format!("{subject} has unknown status '{status_text}'"),
                "status must be one of: candidate, mandatory, in_progress, excluded (empty = candidate)",
            );
        }
        let opt_text = |key: &str| {
            let t = c.text(row, col(key));
            (!t.is_empty()).then(|| t.to_string())
        };
        let low_high = |key: &str, likely: Option<f64>, range: Range, diags: &mut Diags| {
            c.number(row, col(key), &subject, range, diags)
                .or(likely.unwrap_or(0.0))
        };
        let cost_low = low_high("cost_low", cost, Range::NonNegative, diags);
        let cost_high = low_high("cost_high", cost, Range::NonNegative, diags);
        let value_low = low_high("value_low", value, Range::Any, diags);
        let value_high = low_high("value_high", value, Range::Any, diags);
        check_three_point(
            table,
            row,
            &subject,
            "cost",
            (cost_low, cost, cost_high),
            diags,
        );
        check_three_point(
            table,
            row,
            &subject,
            "value",
            (value_low, value, value_high),
            diags,
        );
        let scores = score_cols
            .iter()
            .map(|idx| {
                c.number(row, *idx, &subject, Range::Any, diags)
                    .or(0.0)
                    .unwrap_or(0.0)
            })
            .collect();
        out.rows.push(RawProject {
            line: row.line,
            name: opt_text("name").unwrap_or_else(|| id.clone()),
            cost,
            duration,
            value,
            earliest: opt_text("earliest_start"),
            latest: opt_text("latest_start"),
            status,
            category: opt_text("category"),
            requires: split_ids(c.text(row, col("requires"))),
            excludes: split_ids(c.text(row, col("excludes"))),
            after: split_ids(c.text(row, col("after"))),
            requires_any: split_groups(c.text(row, col("requires_any"))),
            min_share,
            cost_low: cost_low.unwrap_or(0.0),
            cost_high: cost_high.unwrap_or(0.0),
            value_low: value_low.unwrap_or(0.0),
            value_high: value_high.unwrap_or(0.0),
            scores,
            id,
        });
    }
    Some(out)
}

/// low ≤ likely ≤ high, when all three are readable.
fn check_three_point(
    table: &Table,
    row: &Row,
    subject: &str,
    what: &str,
    (low, likely, high): (Option<f64>, Option<f64>, Option<f64>),
    diags: &mut Diags,
) {
    let (Some(low), Some(likely), Some(high)) = (low, likely, high) else {
        return;
    };
    let fix = format!("make {what}_low ≤ {what} ≤ {what}_high");
    if low > likely {
        let column = table.header_of(&format!("{what}_low"));
        diags.add(
            codes::RANGE_ORDER,
            Loc::cell(table.file, row.line, &column),
            Some(&low.to_string()),
            format!("{subject} has {column} {low} above its {what} {likely}"),
            fix.clone(),
        );
    }
    if likely > high {
        let column = table.header_of(&format!("{what}_high"));
        diags.add(
            codes::RANGE_ORDER,
            Loc::cell(table.file, row.line, &column),
            Some(&high.to_string()),
            format!("{subject} has {column} {high} below its {what} {likely}"),
            fix,
        );
    }
}

#[cfg(test)]
mod tests {
    use super::super::{read_text, spots};
    use super::*;

    fn read_with(
        text: &str,
        drivers: &[&str],
    ) -> (Option<RawProjects>, Vec<crate::diag::Diagnostic>) {
        let drivers: Vec<String> = drivers.iter().map(|d| d.to_string()).collect();
        read_text("projects.csv", text, |t, d| read(t, &drivers, d))
    }

    #[test]
    fn a_full_row_is_typed_and_empty_cells_take_their_defaults() {
        let (raw, list) = read_with(
            "id,name,cost,duration,value,earliest_start,status,category,requires,excludes,after,cost_high,Strategic Fit\n\
             A,Alpha,90,3,10,Q2,In Progress,IT,B; C,D|E,,120,4\n\
             B,,5,,,,,,,,,,\n",
            &["strategic_fit"],
        );
        assert!(list.is_empty(), "{list:?}");
        let raw = raw.expect("read");
        let a = &raw.rows[0];
        assert_eq!((a.line, a.id.as_str(), a.name.as_str()), (2, "A", "Alpha"));
        assert_eq!(
            (a.cost, a.duration, a.value),
            (Some(90.0), Some(3), Some(10.0))
        );
        assert_eq!(
            (a.earliest.as_deref(), a.latest.as_deref()),
            (Some("Q2"), None)
        );
        assert_eq!(a.status, Some(Status::InProgress));
        assert_eq!(a.category.as_deref(), Some("IT"));
        assert_eq!(
            (a.requires.clone(), a.excludes.clone()),
            (
                vec!["B".to_string(), "C".to_string()],
                vec!["D".to_string(), "E".to_string()]
            )
        );
        assert!(a.after.is_empty());
        assert_eq!((a.cost_low, a.cost_high), (90.0, 120.0));
        assert_eq!((a.value_low, a.value_high), (10.0, 10.0));
        assert_eq!(a.scores, [4.0]);
        let b = &raw.rows[1];
        // The name defaults to the id, the duration to 1, the value and scores to 0.
        assert_eq!(
            (b.name.as_str(), b.duration, b.value),
            ("B", Some(1), Some(0.0))
        );
        assert_eq!(b.status, Some(Status::Candidate));
        assert_eq!(b.scores, [0.0]);
        assert!(raw.driver_keys.contains("strategicfit"));
    }

    #[test]
    fn ids_costs_statuses_and_three_points_are_checked() {
        let (raw, list) = read_with(
            "id,cost,duration,status,value,value_low,cost_low\n\
             A,10,0,,5,6,\n\
             A,1,1,,,,\n\
             ,1,1,,,,\n\
             B,,1,maybe,,,\n\
             C,10,1,,,,12\n",
            &[],
        );
        assert_eq!(
            spots(&list),
            [
                (codes::NOT_INTEGER, Some(2), Some("duration")),
                (codes::RANGE_ORDER, Some(2), Some("value_low")),
                (codes::DUPLICATE_KEY, Some(3), Some("id")),
                (codes::EMPTY_FIELD, Some(4), Some("id")),
                (codes::EMPTY_FIELD, Some(5), Some("cost")),
                (codes::UNKNOWN_STATUS, Some(5), Some("status")),
                (codes::RANGE_ORDER, Some(6), Some("cost_low")),
            ]
        );
        assert_eq!(
            list[1].message,
            "project A has value_low 6 above its value 5"
        );
        assert_eq!(list[5].value.as_deref(), Some("maybe"));
        let raw = raw.expect("read");
        let ids: Vec<&str> = raw.rows.iter().map(|r| r.id.as_str()).collect();
        // Rows with wrong cells are kept (their cells `None`) so that later checks see them.
        assert_eq!(ids, ["A", "B", "C"]);
        assert_eq!(raw.rows[0].duration, None);
        assert_eq!((raw.rows[1].cost, raw.rows[1].status), (None, None));
    }

    #[test]
    fn unknown_columns_are_warned_unless_a_driver_names_them() {
        let (raw, list) = read_with("id,cost,Risk,colour\nA,1,2,red\n", &["risk"]);
        assert_eq!(
            spots(&list),
            [(codes::UNKNOWN_COLUMN, Some(1), Some("colour"))]
        );
        assert_eq!(raw.expect("read").rows[0].scores, [2.0]);
        let (raw, list) = read_with("name,value\nA,1\n", &[]);
        assert!(raw.is_none());
        assert_eq!(
            spots(&list),
            [
                (codes::MISSING_COLUMN, Some(1), Some("id")),
                (codes::MISSING_COLUMN, Some(1), Some("cost")),
            ]
        );
    }
}
