//! Each workbook file on its own: its columns, its cells typed (numbers, integers, statuses,
//! id lists), its in-file rules (required fields, duplicate keys, three-point order, AHP).
//! What needs another file (periods, ids, pools, driver columns) is left to
//! [`crate::validate`], which gets these raw, still unresolved records.

use std::collections::{BTreeMap, BTreeSet};

use crate::diag::codes;
use crate::diag::{Diags, Loc};
use crate::io::ahp::{ahp, Ahp};
use crate::io::csvfile::{Row, Table};
use crate::io::number::{parse_number, NumberError};
use crate::io::ReadOptions;
use crate::model::{Arith, Status};

/// Longest duration (and so highest offset) accepted, in periods: a guard against a typo
/// such as `1e9` turning into a billion-entry cost profile.
pub(crate) const MAX_DURATION: usize = 100_000;

/// Columns of projects.csv other than driver scores.
pub(crate) const PROJECT_COLUMNS: [&str; 16] = [
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
    "cost_low",
    "cost_high",
    "value_low",
    "value_high",
];

/// Header names as written, by lowercase key, so that cross-file diagnostics can name a
/// column the way the user wrote it.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Headers(BTreeMap<String, String>);

impl Headers {
    fn of(table: &Table) -> Headers {
        Headers(
            table
                .keys
                .iter()
                .zip(&table.headers)
                .map(|(k, h)| (k.clone(), h.clone()))
                .collect(),
        )
    }

    /// The header as written for `key`, or `key` itself.
    pub fn get(&self, key: &str) -> String {
        self.0.get(key).cloned().unwrap_or_else(|| key.to_string())
    }
}

/// Driver names ignore case, spaces, `-` and `_`, as status values do.
pub(crate) fn driver_key(name: &str) -> String {
    name.trim()
        .chars()
        .filter(|c| !matches!(c, ' ' | '-' | '_'))
        .flat_map(char::to_lowercase)
        .collect()
}

// ---------------------------------------------------------------------------------------
// Typed cells.

/// A cell read as a typed value.
enum Field<T> {
    /// The cell is empty (or the column is absent).
    Empty,
    /// The cell is wrong; the problem has been reported.
    Bad,
    Ok(T),
}

impl<T> Field<T> {
    /// The value, or `default` when the cell is empty; `None` when it is wrong.
    fn or(self, default: T) -> Option<T> {
        match self {
            Field::Empty => Some(default),
            Field::Bad => None,
            Field::Ok(v) => Some(v),
        }
    }
}

/// What a number must be.
#[derive(Clone, Copy, PartialEq)]
enum Range {
    Any,
    NonNegative,
    Share,
    /// (0, 1]: a team's efficiency on a skill.
    Efficiency,
}

/// The largest number a cell may hold (in absolute value).
const MAX_MAGNITUDE: f64 = 1e15;

/// Reading the cells of one table, reporting against its file name.
struct Cells<'a> {
    table: &'a Table,
}

impl<'a> Cells<'a> {
    fn col(&self, key: &str) -> Option<usize> {
        self.table.col(key)
    }

    fn text<'r>(&self, row: &'r Row, idx: Option<usize>) -> &'r str {
        self.table.cell(row, idx)
    }

    fn loc(&self, row: &Row, idx: usize) -> Loc {
        Loc::cell(self.table.file, row.line, self.table.header(idx))
    }

    /// A number in column `idx`; `subject` names the thing ("project P-1").
    fn number(
        &self,
        row: &Row,
        idx: Option<usize>,
        subject: &str,
        range: Range,
        diags: &mut Diags,
    ) -> Field<f64> {
        let Some(idx) = idx else {
            return Field::Empty;
        };
        let text = self.text(row, Some(idx));
        if text.is_empty() {
            return Field::Empty;
        }
        let column = self.table.header(idx);
        match parse_number(text, self.table.decimal_comma()) {
            Ok(v) => {
                let (ok, rule) = match range {
                    // Beyond this a solver treats a coefficient as infinite; no budget, cost
                    // or FTE is that large.
                    _ if v.abs() > MAX_MAGNITUDE => (false, "at most 1e15 in size"),
                    Range::Any => (true, ""),
                    Range::NonNegative => (v >= 0.0, "a number ≥ 0"),
                    Range::Share => ((0.0..=1.0).contains(&v), "a number between 0 and 1"),
                    Range::Efficiency => (
                        v > 0.0 && v <= 1.0,
                        "above 0 and at most 1 (1 = one FTE of the team covers one FTE of the skill)",
                    ),
                };
                if ok {
                    Field::Ok(v)
                } else {
                    diags.add(
                        codes::OUT_OF_RANGE,
                        self.loc(row, idx),
                        Some(text),
                        format!("{subject} has {column} '{text}'"),
                        format!("{column} must be {rule}"),
                    );
                    Field::Bad
                }
            }
            Err(err) => {
                let what = match err {
                    NumberError::NotANumber => "not a number",
                    NumberError::NotFinite => "not a finite number",
                };
                let hint = if self.table.decimal_comma() {
                    "e.g. 1234.5, 1234,5 or 1 234,5"
                } else {
                    "e.g. 1234.5 or 1,234.5 (in a comma-separated file the decimal mark is '.')"
                };
                diags.add(
                    codes::NOT_A_NUMBER,
                    self.loc(row, idx),
                    Some(text),
                    format!("{subject} has {column} '{text}', which is {what}"),
                    format!("write {column} as a number, {hint}"),
                );
                Field::Bad
            }
        }
    }

    /// An integer ≥ `min` (and ≤ [`MAX_DURATION`]) in column `idx`.
    fn integer(
        &self,
        row: &Row,
        idx: Option<usize>,
        subject: &str,
        min: usize,
        diags: &mut Diags,
    ) -> Field<usize> {
        let Some(idx) = idx else {
            return Field::Empty;
        };
        let text = self.text(row, Some(idx));
        if text.is_empty() {
            return Field::Empty;
        }
        let column = self.table.header(idx);
        match parse_number(text, self.table.decimal_comma()) {
            Ok(v) if v.fract() == 0.0 && v >= min as f64 && v <= MAX_DURATION as f64 => {
                Field::Ok(v as usize)
            }
            _ => {
                diags.add(
                    codes::NOT_INTEGER,
                    self.loc(row, idx),
                    Some(text),
                    format!("{subject} has {column} '{text}', which is not a whole number ≥ {min}"),
                    format!("{column} must be a whole number from {min} to {MAX_DURATION}"),
                );
                Field::Bad
            }
        }
    }

    /// A required text cell; reports it when empty.
    fn required_text(
        &self,
        row: &Row,
        key: &str,
        subject: &str,
        diags: &mut Diags,
    ) -> Option<String> {
        let idx = self.col(key)?;
        let text = self.text(row, Some(idx));
        if text.is_empty() {
            self.report_empty(row, idx, subject, diags);
            None
        } else {
            Some(text.to_string())
        }
    }

    fn report_empty(&self, row: &Row, idx: usize, subject: &str, diags: &mut Diags) {
        let column = self.table.header(idx);
        diags.add(
            codes::EMPTY_FIELD,
            self.loc(row, idx),
            None,
            format!("{subject} has no {column}"),
            format!(
                "fill in {column} on line {} of {}",
                row.line, self.table.file
            ),
        );
    }

    /// A required field: reports an empty cell, passes a wrong one through as `None`.
    fn required<T>(
        &self,
        field: Field<T>,
        row: &Row,
        key: &str,
        subject: &str,
        diags: &mut Diags,
    ) -> Option<T> {
        match field {
            Field::Ok(v) => Some(v),
            Field::Bad => None,
            Field::Empty => {
                if let Some(idx) = self.col(key) {
                    self.report_empty(row, idx, subject, diags);
                }
                None
            }
        }
    }
}

/// Report a second row for a key already seen on `first_line`.
fn duplicate(diags: &mut Diags, loc: Loc, value: &str, what: String, first_line: usize, fix: &str) {
    diags.add(
        codes::DUPLICATE_KEY,
        loc,
        Some(value),
        format!("{what} is given twice (first on line {first_line})"),
        fix.to_string(),
    );
}

// ---------------------------------------------------------------------------------------
// projects.csv

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

/// Read projects.csv; `drivers` are the driver names whose columns hold scores.
pub(crate) fn projects(
    table: &Table,
    drivers: &[String],
    diags: &mut Diags,
) -> Option<RawProjects> {
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
        let value = c
            .number(row, col("value"), &subject, Range::NonNegative, diags)
            .or(0.0);
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
        let low_high = |key: &str, likely: Option<f64>, diags: &mut Diags| {
            c.number(row, col(key), &subject, Range::NonNegative, diags)
                .or(likely.unwrap_or(0.0))
        };
        let cost_low = low_high("cost_low", cost, diags);
        let cost_high = low_high("cost_high", cost, diags);
        let value_low = low_high("value_low", value, diags);
        let value_high = low_high("value_high", value, diags);
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

// ---------------------------------------------------------------------------------------
// drivers.csv

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct RawDriver {
    pub line: usize,
    pub name: String,
    pub weight: f64,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct RawDrivers {
    pub rows: Vec<RawDriver>,
    pub headers: Headers,
    /// Every driver name, valid weight or not (to recognise score columns).
    pub names: Vec<String>,
}

pub(crate) fn drivers(table: &Table, diags: &mut Diags) -> Option<RawDrivers> {
    let c = Cells { table };
    table.warn_unknown(|k| k == "driver" || k == "weight", "driver, weight", diags);
    let mut out = RawDrivers {
        headers: Headers::of(table),
        ..RawDrivers::default()
    };
    if !table.require(&["driver", "weight"], diags) {
        return None;
    }
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    let mut all_valid = true;
    for row in &table.rows {
        let Some(name) = c.required_text(row, "driver", "a driver", diags) else {
            all_valid = false;
            continue;
        };
        if let Some(first) = seen.get(&driver_key(&name)) {
            duplicate(
                diags,
                Loc::cell(table.file, row.line, &table.header_of("driver")),
                &name,
                format!("driver '{name}'"),
                *first,
                "give each driver one row",
            );
            all_valid = false;
            continue;
        }
        seen.insert(driver_key(&name), row.line);
        out.names.push(name.clone());
        let subject = format!("driver '{name}'");
        let field = c.number(row, c.col("weight"), &subject, Range::NonNegative, diags);
        match c.required(field, row, "weight", &subject, diags) {
            Some(weight) => out.rows.push(RawDriver {
                line: row.line,
                name,
                weight,
            }),
            None => all_valid = false,
        }
    }
    if all_valid && !out.rows.is_empty() && out.rows.iter().all(|d| d.weight == 0.0) {
        let column = table.header_of("weight");
        diags.add(
            codes::ZERO_WEIGHTS,
            Loc::cell(table.file, out.rows[0].line, &column),
            Some("0"),
            "every driver in drivers.csv has weight 0, so no project scores anything",
            "give at least one driver a weight above 0 (weights are normalised to sum to 1)",
        );
    }
    Some(out)
}

// ---------------------------------------------------------------------------------------
// pairwise.csv

#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct RawPairwise {
    /// Driver names in order of first appearance, with that line and column.
    pub names: Vec<(String, usize, String)>,
    /// Weights and consistency, when every pair is given and valid.
    pub ahp: Option<Ahp>,
    pub headers: Headers,
}

/// A ratio on Saaty's scale: a number or a fraction such as `1/3`.
fn parse_ratio(text: &str, decimal_comma: bool) -> Result<f64, NumberError> {
    match text.split_once('/') {
        Some((num, den)) => {
            let num = parse_number(num, decimal_comma)?;
            let den = parse_number(den, decimal_comma)?;
            if den == 0.0 {
                Err(NumberError::NotFinite)
            } else {
                Ok(num / den)
            }
        }
        None => parse_number(text, decimal_comma),
    }
}

pub(crate) fn pairwise(
    table: &Table,
    options: &ReadOptions,
    diags: &mut Diags,
) -> Option<RawPairwise> {
    let c = Cells { table };
    let known = ["driver_a", "driver_b", "ratio"];
    table.warn_unknown(|k| known.contains(&k), "driver_a, driver_b, ratio", diags);
    let mut out = RawPairwise {
        headers: Headers::of(table),
        ..RawPairwise::default()
    };
    if !table.require(&known, diags) {
        return None;
    }
    let ratio_col = c.col("ratio");
    let ratio_header = table.header_of("ratio");
    // (i, j) with i < j → (a[i][j], line).
    let mut pairs: BTreeMap<(usize, usize), (f64, usize)> = BTreeMap::new();
    let mut given: BTreeSet<(usize, usize)> = BTreeSet::new();
    let mut all_valid = true;
    for row in &table.rows {
        let a = c.required_text(row, "driver_a", "a comparison", diags);
        let b = c.required_text(row, "driver_b", "a comparison", diags);
        let (Some(a), Some(b)) = (a, b) else {
            all_valid = false;
            continue;
        };
        let mut index = |name: &str, key: &str| match out
            .names
            .iter()
            .position(|(n, _, _)| driver_key(n) == driver_key(name))
        {
            Some(i) => i,
            None => {
                out.names
                    .push((name.to_string(), row.line, table.header_of(key)));
                out.names.len() - 1
            }
        };
        let (i, j) = (index(&a, "driver_a"), index(&b, "driver_b"));
        let subject = format!("the comparison of '{a}' with '{b}'");
        if i == j {
            diags.add(
                codes::SELF_PAIR,
                Loc::cell(table.file, row.line, &table.header_of("driver_b")),
                Some(&b),
                format!("{subject} compares a driver with itself"),
                "delete the row (a driver is always 1 times as important as itself)",
            );
            all_valid = false;
            continue;
        }
        let key = if i < j { (i, j) } else { (j, i) };
        // A pair with a wrong ratio is reported as such, not also as missing.
        given.insert(key);
        let text = c.text(row, ratio_col);
        if text.is_empty() {
            if let Some(idx) = ratio_col {
                c.report_empty(row, idx, &subject, diags);
            }
            all_valid = false;
            continue;
        }
        let loc = Loc::cell(table.file, row.line, &ratio_header);
        let ratio = match parse_ratio(text, table.decimal_comma()) {
            Ok(r) if (1.0 / 9.0 - 1e-9..=9.0 + 1e-9).contains(&r) => r,
            Ok(_) => {
                diags.add(
                    codes::RATIO_OUT_OF_SCALE,
                    loc,
                    Some(text),
                    format!("{subject} has {ratio_header} '{text}', outside Saaty's scale"),
                    format!("{ratio_header} must be between 1/9 and 9 (e.g. 3, 1/3 or 0.2)"),
                );
                all_valid = false;
                continue;
            }
            Err(_) => {
                diags.add(
                    codes::NOT_A_NUMBER,
                    loc,
                    Some(text),
                    format!("{subject} has {ratio_header} '{text}', which is not a number"),
                    format!("{ratio_header} must be a number or fraction between 1/9 and 9"),
                );
                all_valid = false;
                continue;
            }
        };
        let value = if i < j { ratio } else { 1.0 / ratio };
        if let Some((_, first)) = pairs.get(&key) {
            duplicate(
                diags,
                Loc::cell(table.file, row.line, &table.header_of("driver_a")),
                &a,
                format!("the comparison of '{a}' and '{b}'"),
                *first,
                "keep one row per pair of drivers (b,a is implied by a,b as 1/ratio)",
            );
            all_valid = false;
            continue;
        }
        pairs.insert(key, (value, row.line));
    }
    let n = out.names.len();
    for i in 0..n {
        for j in i + 1..n {
            if !given.contains(&(i, j)) {
                let (a, b) = (&out.names[i].0, &out.names[j].0);
                diags.add(
                    codes::MISSING_PAIR,
                    Loc::file(table.file),
                    None,
                    format!("pairwise.csv has no comparison of '{a}' with '{b}'"),
                    format!("add a row '{a},{b},RATIO' with RATIO on the 1/9…9 scale"),
                );
                all_valid = false;
            }
        }
    }
    if !all_valid || n == 0 {
        return Some(out);
    }
    let mut matrix = vec![vec![1.0; n]; n];
    for ((i, j), (value, _)) in &pairs {
        matrix[*i][*j] = *value;
        matrix[*j][*i] = 1.0 / value;
    }
    let result = ahp(&matrix);
    if result.consistency_ratio > 0.10 {
        let (code, fix) = if options.strict {
            (
                codes::INCONSISTENT_PAIRWISE,
                "revise the ratios so that they agree with each other (if a > b and b > c, then a > c), or run without --strict",
            )
        } else {
            (
                codes::INCONSISTENT_PAIRWISE_WARNING,
                "revise the ratios so that they agree with each other (if a > b and b > c, then a > c)",
            )
        };
        let cr = format!("{:.3}", result.consistency_ratio);
        let worst = result
            .worst
            .map(|(i, j, given, implied)| {
                let line = pairs.get(&(i, j)).map_or(0, |(_, line)| *line);
                let inconsistency = crate::model::Inconsistency {
                    a: out.names[i].0.clone(),
                    b: out.names[j].0.clone(),
                    given,
                    implied,
                };
                format!(
                    "; the comparison furthest from the weights is on line {line}: {inconsistency}"
                )
            })
            .unwrap_or_default();
        diags.add(
            code,
            Loc::file(table.file),
            Some(&cr),
            format!("pairwise.csv has consistency ratio {cr}, above 0.10{worst}"),
            fix,
        );
    }
    out.ahp = Some(result);
    Some(out)
}

// ---------------------------------------------------------------------------------------
// budget.csv

/// One cap: a total (category `None`) or a category's, for one period.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct BudgetCap {
    pub line: usize,
    /// The column the amount sits in (`amount` in the long layout, the period in the wide).
    pub column: String,
    pub period: String,
    pub category: Option<String>,
    pub amount: f64,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct RawBudget {
    /// Periods in order of first appearance (the horizon).
    pub periods: Vec<String>,
    pub caps: Vec<BudgetCap>,
}

/// Empty or `*` means "all categories": the total.
fn budget_category(text: &str) -> Option<String> {
    (!text.is_empty() && text != "*").then(|| text.to_string())
}

fn category_phrase(category: &Option<String>) -> String {
    match category {
        Some(c) => format!("category '{c}'"),
        None => "the total".to_string(),
    }
}

pub(crate) fn budget(table: &Table, diags: &mut Diags) -> Option<RawBudget> {
    let c = Cells { table };
    let mut out = RawBudget::default();
    let mut seen: BTreeMap<(String, Option<String>), usize> = BTreeMap::new();
    let fix = "keep one amount per period and category";
    if let Some(period_col) = c.col("period") {
        let known = ["period", "amount", "category"];
        table.warn_unknown(|k| known.contains(&k), "period, amount, category", diags);
        if !table.require(&["period", "amount"], diags) {
            return None;
        }
        let amount_col = c.col("amount");
        for row in &table.rows {
            let Some(period) = c.required_text(row, "period", "a budget row", diags) else {
                continue;
            };
            if !out.periods.contains(&period) {
                out.periods.push(period.clone());
            }
            let category = budget_category(c.text(row, c.col("category")));
            let subject = format!(
                "the budget of period '{period}' for {}",
                category_phrase(&category)
            );
            let key = (period.clone(), category.clone());
            if let Some(first) = seen.get(&key) {
                duplicate(
                    diags,
                    Loc::cell(table.file, row.line, table.header(period_col)),
                    &period,
                    subject,
                    *first,
                    fix,
                );
                continue;
            }
            seen.insert(key, row.line);
            let field = c.number(row, amount_col, &subject, Range::NonNegative, diags);
            if let Some(amount) = c.required(field, row, "amount", &subject, diags) {
                out.caps.push(BudgetCap {
                    line: row.line,
                    column: table.header_of("amount"),
                    period,
                    category,
                    amount,
                });
            }
        }
    } else {
        // Wide: an optional category column, every other named column is a period. Only an
        // unnamed column can be unknown here.
        table.warn_unknown(|_| true, "category, then one column per period", diags);
        let category_col = c.col("category");
        let period_cols: Vec<usize> = (0..table.headers.len())
            .filter(|i| Some(*i) != category_col && !table.keys[*i].is_empty())
            .collect();
        for &i in &period_cols {
            if !out.periods.contains(&table.headers[i]) {
                out.periods.push(table.headers[i].clone());
            }
        }
        let mut seen_rows: BTreeMap<Option<String>, usize> = BTreeMap::new();
        for row in &table.rows {
            let category = budget_category(c.text(row, category_col));
            if let Some(first) = seen_rows.get(&category) {
                let loc = match category_col {
                    Some(col) => Loc::cell(table.file, row.line, table.header(col)),
                    None => Loc::line(table.file, row.line),
                };
                let value = category.clone().unwrap_or_default();
                duplicate(
                    diags,
                    loc,
                    &value,
                    format!("the budget row of {}", category_phrase(&category)),
                    *first,
                    "keep one row per category (and one row for the total)",
                );
                continue;
            }
            seen_rows.insert(category.clone(), row.line);
            for &i in &period_cols {
                let period = table.headers[i].clone();
                let subject = format!(
                    "the budget of period '{period}' for {}",
                    category_phrase(&category)
                );
                if let Field::Ok(amount) =
                    c.number(row, Some(i), &subject, Range::NonNegative, diags)
                {
                    out.caps.push(BudgetCap {
                        line: row.line,
                        column: period.clone(),
                        period,
                        category: category.clone(),
                        amount,
                    });
                }
            }
        }
    }
    Some(out)
}

// ---------------------------------------------------------------------------------------
// capacity.csv

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct CapEntry {
    pub line: usize,
    /// Column of the period (`period` in the long layout, the period itself in the wide).
    pub column: String,
    pub pool: String,
    pub period: String,
    pub fte: f64,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct RawCapacity {
    /// Pools in order of first appearance, with that line.
    pub pools: Vec<(String, usize)>,
    /// Periods in order of first appearance (the horizon when there is no budget).
    pub periods: Vec<String>,
    pub entries: Vec<CapEntry>,
    pub headers: Headers,
}

pub(crate) fn capacity(table: &Table, diags: &mut Diags) -> Option<RawCapacity> {
    let c = Cells { table };
    let mut out = RawCapacity {
        headers: Headers::of(table),
        ..RawCapacity::default()
    };
    let mut seen: BTreeMap<(String, String), usize> = BTreeMap::new();
    let fix = "keep one fte per pool and period";
    let add_pool = |out: &mut RawCapacity, pool: &str, line: usize| {
        if !out.pools.iter().any(|(p, _)| p == pool) {
            out.pools.push((pool.to_string(), line));
        }
    };
    if let Some(period_col) = c.col("period") {
        let known = ["pool", "period", "fte"];
        table.warn_unknown(|k| known.contains(&k), "pool, period, fte", diags);
        if !table.require(&known, diags) {
            return None;
        }
        for row in &table.rows {
            let pool = c.required_text(row, "pool", "a capacity row", diags);
            let period = c.required_text(row, "period", "a capacity row", diags);
            if let Some(pool) = &pool {
                add_pool(&mut out, pool, row.line);
            }
            if let Some(period) = &period {
                if !out.periods.contains(period) {
                    out.periods.push(period.clone());
                }
            }
            let (Some(pool), Some(period)) = (pool, period) else {
                continue;
            };
            let subject = format!("pool '{pool}' in period '{period}'");
            let key = (pool.clone(), period.clone());
            if let Some(first) = seen.get(&key) {
                duplicate(
                    diags,
                    Loc::cell(table.file, row.line, table.header(period_col)),
                    &period,
                    subject,
                    *first,
                    fix,
                );
                continue;
            }
            seen.insert(key, row.line);
            let field = c.number(row, c.col("fte"), &subject, Range::NonNegative, diags);
            if let Some(fte) = c.required(field, row, "fte", &subject, diags) {
                out.entries.push(CapEntry {
                    line: row.line,
                    column: table.header(period_col).to_string(),
                    pool,
                    period,
                    fte,
                });
            }
        }
    } else {
        table.warn_unknown(|_| true, "pool, then one column per period", diags);
        if !table.require(&["pool"], diags) {
            return None;
        }
        let pool_col = c.col("pool");
        let period_cols: Vec<usize> = (0..table.headers.len())
            .filter(|i| Some(*i) != pool_col && !table.keys[*i].is_empty())
            .collect();
        for &i in &period_cols {
            if !out.periods.contains(&table.headers[i]) {
                out.periods.push(table.headers[i].clone());
            }
        }
        let mut seen_rows: BTreeMap<String, usize> = BTreeMap::new();
        for row in &table.rows {
            let Some(pool) = c.required_text(row, "pool", "a capacity row", diags) else {
                continue;
            };
            add_pool(&mut out, &pool, row.line);
            if let Some(first) = seen_rows.get(&pool) {
                duplicate(
                    diags,
                    Loc::cell(table.file, row.line, &table.header_of("pool")),
                    &pool,
                    format!("the capacity row of pool '{pool}'"),
                    *first,
                    "keep one row per pool",
                );
                continue;
            }
            seen_rows.insert(pool.clone(), row.line);
            for &i in &period_cols {
                let period = table.headers[i].clone();
                let subject = format!("pool '{pool}' in period '{period}'");
                if let Field::Ok(fte) = c.number(row, Some(i), &subject, Range::NonNegative, diags)
                {
                    out.entries.push(CapEntry {
                        line: row.line,
                        column: period.clone(),
                        pool: pool.clone(),
                        period,
                        fte,
                    });
                }
            }
        }
    }
    Some(out)
}

// ---------------------------------------------------------------------------------------
// demand.csv

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct DemandRow {
    pub line: usize,
    pub project: String,
    pub pool: String,
    pub fte: f64,
    /// `None` for a flat row (every running period).
    pub offset: Option<usize>,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct RawDemand {
    pub rows: Vec<DemandRow>,
    pub headers: Headers,
}

pub(crate) fn demand(table: &Table, diags: &mut Diags) -> Option<RawDemand> {
    let c = Cells { table };
    let known = ["project", "pool", "fte", "offset"];
    table.warn_unknown(|k| known.contains(&k), "project, pool, fte, offset", diags);
    let mut out = RawDemand {
        headers: Headers::of(table),
        ..RawDemand::default()
    };
    if !table.require(&["project", "pool", "fte"], diags) {
        return None;
    }
    // (project, pool) → (first line, flat?) to catch mixing; and the keys seen.
    let mut kind: BTreeMap<(String, String), (usize, bool)> = BTreeMap::new();
    let mut seen: BTreeMap<(String, String, Option<usize>), usize> = BTreeMap::new();
    for row in &table.rows {
        let project = c.required_text(row, "project", "a demand row", diags);
        let pool = c.required_text(row, "pool", "a demand row", diags);
        let (Some(project), Some(pool)) = (project, pool) else {
            continue;
        };
        let subject = format!("project {project}'s demand for pool '{pool}'");
        let offset = match c.integer(row, c.col("offset"), &subject, 0, diags) {
            Field::Empty => None,
            Field::Bad => continue,
            Field::Ok(o) => Some(o),
        };
        let field = c.number(row, c.col("fte"), &subject, Range::NonNegative, diags);
        let Some(fte) = c.required(field, row, "fte", &subject, diags) else {
            continue;
        };
        let pair = (project.clone(), pool.clone());
        match kind.get(&pair) {
            Some((first, flat)) if *flat != offset.is_none() => {
                let column = table.header_of("offset");
                let (this, that) = if offset.is_none() {
                    ("a flat row", "rows with an offset")
                } else {
                    ("a row with an offset", "flat rows")
                };
                diags.add(
                    codes::MIXED_DEMAND,
                    Loc::cell(table.file, row.line, &column),
                    Some(c.text(row, c.col("offset"))),
                    format!("{subject} mixes {this} with {that} (first on line {first})"),
                    "give either one flat row (no offset) or one row per offset, not both",
                );
                continue;
            }
            Some(_) => {}
            None => {
                kind.insert(pair, (row.line, offset.is_none()));
            }
        }
        let key = (project.clone(), pool.clone(), offset);
        if let Some(first) = seen.get(&key) {
            let what = match offset {
                Some(o) => format!("{subject} at offset {o}"),
                None => subject.clone(),
            };
            duplicate(
                diags,
                Loc::cell(table.file, row.line, &table.header_of("project")),
                &project,
                what,
                *first,
                "keep one row per project, pool and offset",
            );
            continue;
        }
        seen.insert(key, row.line);
        out.rows.push(DemandRow {
            line: row.line,
            project,
            pool,
            fte,
            offset,
        });
    }
    Some(out)
}

// ---------------------------------------------------------------------------------------
// teams.csv

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct TeamRow {
    pub line: usize,
    pub team: String,
    pub skill: String,
    pub efficiency: f64,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct RawTeams {
    pub rows: Vec<TeamRow>,
    pub headers: Headers,
}

pub(crate) fn teams(table: &Table, diags: &mut Diags) -> Option<RawTeams> {
    let c = Cells { table };
    let known = ["team", "skill", "efficiency"];
    table.warn_unknown(|k| known.contains(&k), "team, skill, efficiency", diags);
    let mut out = RawTeams {
        headers: Headers::of(table),
        ..RawTeams::default()
    };
    if !table.require(&["team", "skill"], diags) {
        return None;
    }
    let mut seen: BTreeMap<(String, String), usize> = BTreeMap::new();
    for row in &table.rows {
        let team = c.required_text(row, "team", "a teams.csv row", diags);
        let skill = c.required_text(row, "skill", "a teams.csv row", diags);
        let (Some(team), Some(skill)) = (team, skill) else {
            continue;
        };
        let subject = format!("team '{team}' on skill '{skill}'");
        let efficiency =
            match c.number(row, c.col("efficiency"), &subject, Range::Efficiency, diags) {
                Field::Empty => 1.0,
                Field::Bad => continue,
                Field::Ok(e) => e,
            };
        let key = (team.clone(), skill.clone());
        if let Some(first) = seen.get(&key) {
            duplicate(
                diags,
                Loc::cell(table.file, row.line, &table.header_of("team")),
                &team,
                subject,
                *first,
                "keep one row per team and skill",
            );
            continue;
        }
        seen.insert(key, row.line);
        out.rows.push(TeamRow {
            line: row.line,
            team,
            skill,
            efficiency,
        });
    }
    Some(out)
}

// ---------------------------------------------------------------------------------------
// costs.csv

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct CostRow {
    pub line: usize,
    pub project: String,
    pub offset: usize,
    pub amount: f64,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct RawCosts {
    pub rows: Vec<CostRow>,
    pub headers: Headers,
}

pub(crate) fn costs(table: &Table, diags: &mut Diags) -> Option<RawCosts> {
    let c = Cells { table };
    let known = ["project", "offset", "amount"];
    table.warn_unknown(|k| known.contains(&k), "project, offset, amount", diags);
    let mut out = RawCosts {
        headers: Headers::of(table),
        ..RawCosts::default()
    };
    if !table.require(&known, diags) {
        return None;
    }
    let mut seen: BTreeMap<(String, usize), usize> = BTreeMap::new();
    for row in &table.rows {
        let Some(project) = c.required_text(row, "project", "a cost row", diags) else {
            continue;
        };
        let subject = format!("project {project}'s cost profile");
        let field = c.integer(row, c.col("offset"), &subject, 0, diags);
        let offset = c.required(field, row, "offset", &subject, diags);
        let subject = match offset {
            Some(o) => format!("project {project}'s cost at offset {o}"),
            None => subject,
        };
        let field = c.number(row, c.col("amount"), &subject, Range::NonNegative, diags);
        let amount = c.required(field, row, "amount", &subject, diags);
        let (Some(offset), Some(amount)) = (offset, amount) else {
            continue;
        };
        let key = (project.clone(), offset);
        if let Some(first) = seen.get(&key) {
            duplicate(
                diags,
                Loc::cell(table.file, row.line, &table.header_of("offset")),
                &offset.to_string(),
                subject,
                *first,
                "keep one row per project and offset",
            );
            continue;
        }
        seen.insert(key, row.line);
        out.rows.push(CostRow {
            line: row.line,
            project,
            offset,
            amount,
        });
    }
    Some(out)
}

// ---------------------------------------------------------------------------------------
// balance.csv

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct BalanceRow {
    pub line: usize,
    pub category: String,
    pub min_share: f64,
    pub max_share: f64,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct RawBalance {
    pub rows: Vec<BalanceRow>,
    pub headers: Headers,
}

pub(crate) fn balance(table: &Table, diags: &mut Diags) -> Option<RawBalance> {
    let c = Cells { table };
    let known = ["category", "min_share", "max_share"];
    table.warn_unknown(
        |k| known.contains(&k),
        "category, min_share, max_share",
        diags,
    );
    let mut out = RawBalance {
        headers: Headers::of(table),
        ..RawBalance::default()
    };
    if !table.require(&["category"], diags) {
        return None;
    }
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    for row in &table.rows {
        let Some(category) = c.required_text(row, "category", "a balance row", diags) else {
            continue;
        };
        let subject = format!("category '{category}'");
        if let Some(first) = seen.get(&category) {
            duplicate(
                diags,
                Loc::cell(table.file, row.line, &table.header_of("category")),
                &category,
                format!("the balance of {subject}"),
                *first,
                "keep one row per category",
            );
            continue;
        }
        seen.insert(category.clone(), row.line);
        let min = c
            .number(row, c.col("min_share"), &subject, Range::Share, diags)
            .or(0.0);
        let max = c
            .number(row, c.col("max_share"), &subject, Range::Share, diags)
            .or(1.0);
        let (Some(min_share), Some(max_share)) = (min, max) else {
            continue;
        };
        if min_share > max_share {
            let column = table.header_of("min_share");
            diags.add(
                codes::SHARE_ORDER,
                Loc::cell(table.file, row.line, &column),
                Some(c.text(row, c.col("min_share"))),
                format!("{subject} has min_share {min_share} above its max_share {max_share}"),
                "make min_share ≤ max_share",
            );
            continue;
        }
        out.rows.push(BalanceRow {
            line: row.line,
            category,
            min_share,
            max_share,
        });
    }
    Some(out)
}

// ---------------------------------------------------------------------------------------
// scenarios.csv

/// What a scenarios.csv row changes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Target {
    Budget,
    Capacity,
    Weight,
    Project,
    /// People moving between teams (with teams.csv).
    Team,
}

/// A scenarios.csv operation, checked against its target.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Op {
    Arith(Arith),
    Include,
    Exclude,
    SetCost,
    SetValue,
    SetDuration,
    EarliestStart,
    LatestStart,
    /// `team` target: FTE moved from one team to another.
    Move,
}

/// A scenarios.csv value, typed by its operation.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum RawValue {
    /// include / exclude take no value.
    None,
    Number(f64),
    Integer(usize),
    /// A period label (earliest-start / latest-start).
    Label(String),
}

/// One scenarios.csv row with its target, op and value checked; the key is resolved
/// against the workbook by [`crate::validate`].
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct RawChange {
    pub line: usize,
    pub scenario: String,
    pub target: Target,
    pub key: String,
    pub op: Op,
    pub value: RawValue,
}

/// scenarios.csv.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct RawScenarios {
    pub rows: Vec<RawChange>,
    pub headers: Headers,
}

/// Operation names ignore case, and `_` may stand for `-` (`set_cost` = `set-cost`).
fn op_key(text: &str) -> String {
    text.trim().to_lowercase().replace('_', "-")
}

/// The operations each target takes, as the contract's table lists them.
fn ops_of(target: Target) -> &'static [&'static str] {
    match target {
        Target::Budget | Target::Capacity => &["set", "scale", "add"],
        Target::Weight => &["set", "scale"],
        Target::Project => &[
            "include",
            "exclude",
            "set-cost",
            "set-value",
            "set-duration",
            "earliest-start",
            "latest-start",
        ],
        Target::Team => &["move"],
    }
}

pub(crate) fn scenarios(table: &Table, diags: &mut Diags) -> Option<RawScenarios> {
    let c = Cells { table };
    let known = ["scenario", "target", "key", "op", "value"];
    table.warn_unknown(
        |k| known.contains(&k),
        "scenario, target, key, op, value",
        diags,
    );
    if !table.require(&["scenario", "target", "key", "op"], diags) {
        return None;
    }
    let mut out = RawScenarios {
        headers: Headers::of(table),
        ..RawScenarios::default()
    };
    for row in &table.rows {
        let subject = format!("the change on line {}", row.line);
        let scenario = c.required_text(row, "scenario", &subject, diags);
        let target_text = c.required_text(row, "target", &subject, diags);
        let key = c.required_text(row, "key", &subject, diags);
        let op_text = c.required_text(row, "op", &subject, diags);
        let target = target_text.as_deref().and_then(|t| {
            let target = match t.trim().to_lowercase().as_str() {
                "budget" => Some(Target::Budget),
                "capacity" => Some(Target::Capacity),
                "weight" => Some(Target::Weight),
                "project" => Some(Target::Project),
                "team" => Some(Target::Team),
                _ => {
                    diags.add(
                        codes::SCENARIO_TARGET,
                        c.loc(row, c.col("target")?),
                        Some(t),
                        format!("{subject} has target '{t}', which arbiter does not know"),
                        "use one of budget, capacity, weight, project, team",
                    );
                    return None;
                }
            };
            target
        });
        let (Some(scenario), Some(target), Some(key), Some(op_text)) =
            (scenario, target, key, op_text)
        else {
            continue;
        };
        let op_name = op_key(&op_text);
        let allowed = ops_of(target);
        if !allowed.contains(&op_name.as_str()) {
            let target_name = target_text.unwrap_or_default();
            let every = [
                Target::Budget,
                Target::Capacity,
                Target::Weight,
                Target::Project,
                Target::Team,
            ]
            .iter()
            .any(|t| ops_of(*t).contains(&op_name.as_str()));
            let message = if every {
                format!("{subject} applies op '{op_text}' to target '{target_name}', which does not take it")
            } else {
                format!("{subject} has op '{op_text}', which arbiter does not know")
            };
            if let Some(idx) = c.col("op") {
                diags.add(
                    codes::SCENARIO_OP,
                    c.loc(row, idx),
                    Some(&op_text),
                    message,
                    format!(
                        "target '{target_name}' takes the ops {}",
                        allowed.join(", ")
                    ),
                );
            }
            continue;
        }
        let op = match op_name.as_str() {
            "set" => Op::Arith(Arith::Set),
            "scale" => Op::Arith(Arith::Scale),
            "add" => Op::Arith(Arith::Add),
            "include" => Op::Include,
            "exclude" => Op::Exclude,
            "set-cost" => Op::SetCost,
            "set-value" => Op::SetValue,
            "set-duration" => Op::SetDuration,
            "earliest-start" => Op::EarliestStart,
            "move" => Op::Move,
            _ => Op::LatestStart,
        };
        let value_col = c.col("value");
        if value_col.is_none() && !matches!(op, Op::Include | Op::Exclude) {
            diags.add(
                codes::MISSING_COLUMN,
                Loc::line(table.file, row.line),
                None,
                format!(
                    "{subject} ({op_name}) needs a value, but scenarios.csv has no value column"
                ),
                "add a column named value to scenarios.csv",
            );
            continue;
        }
        let what = format!(
            "scenario '{scenario}' ({target_name} {key} {op_name})",
            target_name = op_target_name(target)
        );
        let value = match op {
            Op::Include | Op::Exclude => Some(RawValue::None),
            // A cut written as `add -50000` is the natural way to say it; everything else is a
            // level, a factor or a count, never negative.
            Op::Arith(Arith::Add) => c
                .required(
                    c.number(row, value_col, &what, Range::Any, diags),
                    row,
                    "value",
                    &what,
                    diags,
                )
                .map(RawValue::Number),
            Op::Arith(_) | Op::SetCost | Op::SetValue | Op::Move => c
                .required(
                    c.number(row, value_col, &what, Range::NonNegative, diags),
                    row,
                    "value",
                    &what,
                    diags,
                )
                .map(RawValue::Number),
            Op::SetDuration => c
                .required(
                    c.integer(row, value_col, &what, 1, diags),
                    row,
                    "value",
                    &what,
                    diags,
                )
                .map(RawValue::Integer),
            Op::EarliestStart | Op::LatestStart => {
                let text = c.text(row, value_col);
                match value_col {
                    Some(idx) if text.is_empty() => {
                        c.report_empty(row, idx, &what, diags);
                        None
                    }
                    _ => Some(RawValue::Label(text.to_string())),
                }
            }
        };
        let Some(value) = value else {
            continue;
        };
        out.rows.push(RawChange {
            line: row.line,
            scenario,
            target,
            key,
            op,
            value,
        });
    }
    Some(out)
}

fn op_target_name(target: Target) -> &'static str {
    match target {
        Target::Budget => "budget",
        Target::Capacity => "capacity",
        Target::Weight => "weight",
        Target::Project => "project",
        Target::Team => "team",
    }
}
