//! scenarios.csv against the base workbook: keys resolved to pools, periods, categories,
//! drivers and projects; names checked as folder names; every scenario applied once so that
//! a change that breaks the workbook is reported here, with its line, before any solve.

use std::collections::BTreeMap;

use super::list;
use crate::diag::codes;
use crate::diag::{Diags, Loc};
use crate::io::tables::scenarios::{Op, RawChange, RawScenarios, RawValue, Target};
use crate::model::{Arith, Change, ChangeKind, ProjectOp, Scenario, Workbook};
use crate::scenario::{apply, folder_name, FOLDER_MAX, RESERVED_NAMES};

const FILE: &str = "scenarios.csv";

/// The scenarios of `raw`, resolved against `wb`. With `check_results`, each is applied to
/// `wb` and what breaks is reported (skip it when the base workbook itself has errors).
pub(crate) fn resolve(
    raw: &RawScenarios,
    wb: &Workbook,
    check_results: bool,
    diags: &mut Diags,
) -> Vec<Scenario> {
    let key_col = raw.headers.get("key");
    let value_col = raw.headers.get("value");
    let name_col = raw.headers.get("scenario");
    let mut scenarios: Vec<Scenario> = Vec::new();
    let mut by_name: BTreeMap<&str, usize> = BTreeMap::new();
    // Folder name (lowercase: some file systems ignore case) → first scenario that uses it.
    let mut folders: BTreeMap<String, (String, usize)> = BTreeMap::new();
    folders.insert("base".into(), ("base".into(), 0));
    for reserved in RESERVED_NAMES {
        folders.insert(reserved.to_string(), (reserved.to_string(), 0));
    }
    let mut broken: Vec<bool> = Vec::new();
    for row in &raw.rows {
        let index = match by_name.get(row.scenario.as_str()) {
            Some(&i) => i,
            None => {
                let i = scenarios.len();
                by_name.insert(&row.scenario, i);
                scenarios.push(Scenario {
                    name: row.scenario.clone(),
                    line: row.line,
                    changes: Vec::new(),
                });
                broken.push(!check_name(
                    &row.scenario,
                    row.line,
                    &name_col,
                    &mut folders,
                    diags,
                ));
                i
            }
        };
        let ctx = Ctx {
            wb,
            row,
            key_col: &key_col,
            value_col: &value_col,
        };
        match ctx.resolve(diags) {
            Some(kind) => scenarios[index].changes.push(Change {
                line: row.line,
                kind,
            }),
            None => broken[index] = true,
        }
    }
    if check_results {
        for (scenario, broken) in scenarios.iter().zip(&broken) {
            if *broken {
                continue;
            }
            if let Err(problems) = apply(wb, scenario) {
                for p in problems {
                    diags.add(
                        codes::SCENARIO_RESULT,
                        Loc::line(FILE, p.line),
                        None,
                        p.message,
                        p.fix,
                    );
                }
            }
        }
    }
    scenarios
}

/// A scenario name must make a folder name of its own; false when reported.
fn check_name(
    name: &str,
    line: usize,
    column: &str,
    folders: &mut BTreeMap<String, (String, usize)>,
    diags: &mut Diags,
) -> bool {
    let Some(folder) = folder_name(name) else {
        diags.add(
            codes::SCENARIO_NAME,
            Loc::cell(FILE, line, column),
            Some(name),
            format!("scenario '{name}' gives no usable folder name"),
            "use letters, digits, '-', '_' or '.' in the name",
        );
        return false;
    };
    if folder.len() > FOLDER_MAX {
        diags.add(
            codes::SCENARIO_NAME,
            Loc::cell(FILE, line, column),
            Some(name),
            format!(
                "scenario '{}…' is {} bytes long as a folder name; the limit is {FOLDER_MAX}",
                name.chars().take(24).collect::<String>(),
                folder.len()
            ),
            format!("shorten the name to at most {FOLDER_MAX} characters (its outputs go to a folder of that name)"),
        );
        return false;
    }
    match folders.get(&folder.to_lowercase()) {
        Some((other, 0)) => {
            diags.add(
                codes::SCENARIO_NAME,
                Loc::cell(FILE, line, column),
                Some(name),
                format!("scenario '{name}' would write to the folder or file '{other}', which arbiter keeps for its own output"),
                "rename the scenario",
            );
            false
        }
        Some((other, first)) => {
            diags.add(
                codes::SCENARIO_NAME,
                Loc::cell(FILE, line, column),
                Some(name),
                format!("scenario '{name}' and scenario '{other}' (line {first}) would both write to the folder '{folder}'"),
                "rename one of them: names that differ only in case or punctuation share a folder",
            );
            false
        }
        None => {
            folders.insert(folder.to_lowercase(), (name.to_string(), line));
            true
        }
    }
}

/// One row being resolved.
struct Ctx<'a> {
    wb: &'a Workbook,
    row: &'a RawChange,
    key_col: &'a str,
    value_col: &'a str,
}

impl Ctx<'_> {
    fn resolve(&self, diags: &mut Diags) -> Option<ChangeKind> {
        let key = self.row.key.trim();
        let number = match self.row.value {
            RawValue::Number(v) => v,
            _ => 0.0,
        };
        let arith = match self.row.op {
            Op::Arith(a) => a,
            _ => Arith::Set,
        };
        match self.row.target {
            Target::Budget => {
                let all = (0, self.last());
                let (category, (from, to)) = if key == "*" {
                    (None, all)
                } else if let Some((c, p)) = key.rsplit_once('@') {
                    // `*@period` is the total, as the period alone is.
                    let category = match c.trim() {
                        "*" => Some(None),
                        c => self.category(c, diags).map(Some),
                    };
                    let periods = self.periods_of(p.trim(), diags);
                    (category?, periods?)
                } else if self.wb.period_index(key).is_some() || key.contains("..") {
                    (None, self.periods_of(key, diags)?)
                } else {
                    self.unknown(
                        codes::UNKNOWN_PERIOD,
                        format!("budget key '{key}' is not a period of the horizon"),
                        format!(
                            "use a period ({}), a range such as 2027-Q3.., '*' for every period, or category@period",
                            self.periods()
                        ),
                        diags,
                    );
                    return None;
                };
                Some(ChangeKind::Budget {
                    category,
                    from,
                    to,
                    op: arith,
                    value: number,
                })
            }
            Target::Capacity => {
                let all = (0, self.last());
                let (pool, (from, to)) = if key == "*" {
                    (None, all)
                } else if let Some(k) = self.holder_index(key) {
                    (Some(k), all)
                } else if let Some((k, p)) = key.rsplit_once('@') {
                    let pool = self.pool_or_all(k.trim(), diags);
                    let periods = self.periods_of(p.trim(), diags);
                    (pool?, periods?)
                } else {
                    self.pool_or_all(key, diags);
                    return None;
                };
                Some(ChangeKind::Capacity {
                    pool,
                    from,
                    to,
                    op: arith,
                    value: number,
                })
            }
            Target::Weight => {
                let wanted = crate::io::tables::driver_key(key);
                let driver = self
                    .wb
                    .drivers
                    .iter()
                    .position(|d| crate::io::tables::driver_key(&d.name) == wanted);
                let Some(driver) = driver else {
                    let names: Vec<String> =
                        self.wb.drivers.iter().map(|d| d.name.clone()).collect();
                    let fix = if names.is_empty() {
                        "the workbook has no drivers (drivers.csv or pairwise.csv); remove the row or add the driver".to_string()
                    } else {
                        format!("use one of the drivers {}", list(&names))
                    };
                    self.unknown(
                        codes::UNKNOWN_DRIVER,
                        format!("weight key '{key}' is not a driver of the workbook"),
                        fix,
                        diags,
                    );
                    return None;
                };
                Some(ChangeKind::Weight {
                    driver,
                    op: arith,
                    value: number,
                })
            }
            Target::Project => {
                let Some(project) = self.wb.project_index(key) else {
                    self.unknown(
                        codes::UNKNOWN_PROJECT,
                        format!("project key '{key}' is not a project id"),
                        "use an id of projects.csv".to_string(),
                        diags,
                    );
                    return None;
                };
                let op = match (self.row.op, &self.row.value) {
                    (Op::Include, _) => ProjectOp::Include,
                    (Op::Exclude, _) => ProjectOp::Exclude,
                    (Op::SetCost, _) => ProjectOp::SetCost(number),
                    (Op::SetValue, _) => ProjectOp::SetValue(number),
                    (Op::SetDuration, RawValue::Integer(n)) => ProjectOp::SetDuration(*n),
                    (Op::EarliestStart | Op::LatestStart, RawValue::Label(label)) => {
                        let Some(t) = self.wb.period_index(label.trim()) else {
                            diags.add(
                                codes::UNKNOWN_PERIOD,
                                Loc::cell(FILE, self.row.line, self.value_col),
                                Some(label),
                                format!("'{label}' is not a period of the horizon"),
                                format!("use one of the periods {}", self.periods()),
                            );
                            return None;
                        };
                        if self.row.op == Op::EarliestStart {
                            ProjectOp::EarliestStart(t)
                        } else {
                            ProjectOp::LatestStart(t)
                        }
                    }
                    // The reader types each op's value; nothing else reaches here.
                    _ => return None,
                };
                Some(ChangeKind::Project { project, op })
            }
            Target::Team => self.team_move(key, number, diags),
        }
    }

    fn periods(&self) -> String {
        list(&self.wb.periods)
    }

    fn unknown(&self, code: &'static str, message: String, fix: String, diags: &mut Diags) {
        diags.add(
            code,
            Loc::cell(FILE, self.row.line, self.key_col),
            Some(&self.row.key),
            format!("scenario '{}': {message}", self.row.scenario),
            fix,
        );
    }

    /// The index of period `label`, or `None` when reported (the fix lists the periods,
    /// then `hint`).
    fn period(&self, label: &str, hint: &str, diags: &mut Diags) -> Option<usize> {
        let found = self.wb.period_index(label);
        if found.is_none() {
            self.unknown(
                codes::UNKNOWN_PERIOD,
                format!("'{label}' is not a period of the horizon"),
                format!("use one of the periods {}{hint}", self.periods()),
                diags,
            );
        }
        found
    }

    /// Index of the last period.
    fn last(&self) -> usize {
        self.wb.periods.len().saturating_sub(1)
    }

    /// Periods as an inclusive range of indices: `*` (all), a period, or `A..B`, `A..`,
    /// `..B` (from, until, both inclusive); `None` when reported.
    fn periods_of(&self, text: &str, diags: &mut Diags) -> Option<(usize, usize)> {
        if text == "*" {
            return Some((0, self.last()));
        }
        let range = format!(
            ", a range such as {}.., or '*'",
            self.wb.periods.first().map_or("", String::as_str)
        );
        let index = |label: &str, diags: &mut Diags| self.period(label, &range, diags);
        if self.wb.period_index(text).is_some() {
            let t = index(text, diags)?;
            return Some((t, t));
        }
        let Some((a, b)) = text.split_once("..") else {
            let t = index(text, diags)?;
            return Some((t, t));
        };
        let (a, b) = (a.trim(), b.trim());
        let from = if a.is_empty() {
            Some(0)
        } else {
            index(a, diags)
        };
        let to = if b.is_empty() {
            Some(self.last())
        } else {
            index(b, diags)
        };
        let (from, to) = (from?, to?);
        if from > to {
            self.unknown(
                codes::UNKNOWN_PERIOD,
                format!("the range '{text}' ends before it starts"),
                "write the earlier period first".to_string(),
                diags,
            );
            return None;
        }
        Some((from, to))
    }

    fn pool_or_all(&self, name: &str, diags: &mut Diags) -> Option<Option<usize>> {
        if name == "*" {
            return Some(None);
        }
        match self.holder_index(name) {
            Some(k) => Some(Some(k)),
            None if self.wb.staffing.is_some() => {
                self.unknown_team(name, "'*', or team@period", diags);
                None
            }
            None => {
                self.unknown(
                    codes::UNKNOWN_POOL,
                    format!("'{name}' is not a pool of capacity.csv"),
                    format!(
                        "use one of the pools {}, '*', or pool@period",
                        list(&self.wb.pools)
                    ),
                    diags,
                );
                None
            }
        }
    }

    /// What capacity.csv's `pool` names: a team with teams.csv, else a pool.
    fn holder_index(&self, name: &str) -> Option<usize> {
        match &self.wb.staffing {
            Some(staffing) => staffing.team_index(name),
            None => self.wb.pool_index(name),
        }
    }

    fn unknown_team(&self, name: &str, also: &str, diags: &mut Diags) {
        let teams = self
            .wb
            .staffing
            .as_ref()
            .map(|s| s.teams.clone())
            .unwrap_or_default();
        self.unknown(
            codes::UNKNOWN_TEAM,
            format!("'{name}' is not a team of capacity.csv"),
            format!("use one of the teams {}, {also}", list(&teams)),
            diags,
        );
    }

    /// `from>to@period`: people move from one team to another from that period on.
    fn team_move(&self, key: &str, fte: f64, diags: &mut Diags) -> Option<ChangeKind> {
        let Some(staffing) = &self.wb.staffing else {
            self.unknown(
                codes::SCENARIO_TARGET,
                "target 'team' moves people between the teams of teams.csv, and the workbook has no teams.csv".to_string(),
                "add teams.csv (team, skill, efficiency), or model the move as capacity changes (target capacity, op add) of the pools involved".to_string(),
                diags,
            );
            return None;
        };
        let (teams, period) = match key.rsplit_once('@') {
            Some((teams, period)) => (teams, Some(period.trim())),
            None => (key, None),
        };
        let Some((from, to)) = teams.split_once('>') else {
            self.unknown(
                codes::UNKNOWN_TEAM,
                format!(
                    "team key '{key}' does not say which team people leave and which they join"
                ),
                "write the key as from>to@period, e.g. ops>platform@2027-Q3".to_string(),
                diags,
            );
            return None;
        };
        let (from, to) = (from.trim(), to.trim());
        let from_index = staffing.team_index(from);
        if from_index.is_none() {
            self.unknown_team(from, "in from>to@period", diags);
        }
        let to_index = staffing.team_index(to);
        if to_index.is_none() {
            self.unknown_team(to, "in from>to@period", diags);
        }
        let period = match period {
            None | Some("*") => Some(0),
            Some(label) => self.period(label, " (people move from that period on)", diags),
        };
        let (from, to, period) = (from_index?, to_index?, period?);
        if from == to {
            self.unknown(
                codes::UNKNOWN_TEAM,
                format!("team key '{key}' moves people from a team to itself"),
                "name two different teams".to_string(),
                diags,
            );
            return None;
        }
        Some(ChangeKind::Move {
            from,
            to,
            period,
            fte,
        })
    }

    fn category(&self, name: &str, diags: &mut Diags) -> Option<usize> {
        let found = self.wb.categories.iter().position(|c| c == name);
        if found.is_none() {
            let fix = if self.wb.categories.is_empty() {
                "the workbook has no categories; use a period or '*' for the total budget"
                    .to_string()
            } else {
                format!("use one of the categories {}", list(&self.wb.categories))
            };
            self.unknown(
                codes::UNKNOWN_CATEGORY,
                format!("'{name}' is not a category of the workbook"),
                fix,
                diags,
            );
        }
        found
    }
}

#[cfg(test)]
mod tests;
