//! scenarios.csv: named what-if changes (`scenario`, `target`, `key`, `op`, `value`), each
//! row's target, operation and value typed and checked against each other; keys are
//! resolved against the workbook by `resolve::scenarios`.

use super::{Cells, Headers, Range};
use crate::diag::{codes, Diags, Loc};
use crate::io::csvfile::Table;
use crate::model::Arith;

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
/// against the workbook by [`crate::resolve`].
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

pub(crate) fn read(table: &Table, diags: &mut Diags) -> Option<RawScenarios> {
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

#[cfg(test)]
mod tests {
    use super::super::{read_text, spots};
    use super::*;

    fn change(
        line: usize,
        scenario: &str,
        target: Target,
        key: &str,
        op: Op,
        value: RawValue,
    ) -> RawChange {
        RawChange {
            line,
            scenario: scenario.into(),
            target,
            key: key.into(),
            op,
            value,
        }
    }

    #[test]
    fn targets_ops_and_values_are_typed() {
        let (raw, list) = read_text(
            "scenarios.csv",
            "scenario,target,key,op,value\n\
             lean,Budget,Q1,add,-50\n\
             lean,capacity,dev,SCALE,0.5\n\
             lean,project,P-1,set_duration,2\n\
             lean,project,P-2,include,\n\
             lean,project,P-3,latest-start,Q4\n\
             lean,team,a>b,move,1\n",
            read,
        );
        assert!(list.is_empty(), "{list:?}");
        assert_eq!(
            raw.expect("read").rows,
            [
                change(
                    2,
                    "lean",
                    Target::Budget,
                    "Q1",
                    Op::Arith(Arith::Add),
                    RawValue::Number(-50.0)
                ),
                change(
                    3,
                    "lean",
                    Target::Capacity,
                    "dev",
                    Op::Arith(Arith::Scale),
                    RawValue::Number(0.5)
                ),
                change(
                    4,
                    "lean",
                    Target::Project,
                    "P-1",
                    Op::SetDuration,
                    RawValue::Integer(2)
                ),
                change(
                    5,
                    "lean",
                    Target::Project,
                    "P-2",
                    Op::Include,
                    RawValue::None
                ),
                change(
                    6,
                    "lean",
                    Target::Project,
                    "P-3",
                    Op::LatestStart,
                    RawValue::Label("Q4".into())
                ),
                change(
                    7,
                    "lean",
                    Target::Team,
                    "a>b",
                    Op::Move,
                    RawValue::Number(1.0)
                ),
            ]
        );
    }

    #[test]
    fn unknown_targets_ops_and_wrong_values_are_reported() {
        let (raw, list) = read_text(
            "scenarios.csv",
            "scenario,target,key,op,value\n\
             s,staff,dev,set,1\n\
             s,weight,fit,add,1\n\
             s,budget,Q1,double,2\n\
             s,budget,Q1,scale,-1\n\
             s,project,P-1,set-duration,0\n\
             s,project,P-1,earliest-start,\n\
             ,budget,Q1,set,1\n",
            read,
        );
        assert_eq!(
            spots(&list),
            [
                (codes::SCENARIO_TARGET, Some(2), Some("target")),
                (codes::SCENARIO_OP, Some(3), Some("op")),
                (codes::SCENARIO_OP, Some(4), Some("op")),
                (codes::OUT_OF_RANGE, Some(5), Some("value")),
                (codes::NOT_INTEGER, Some(6), Some("value")),
                (codes::EMPTY_FIELD, Some(7), Some("value")),
                (codes::EMPTY_FIELD, Some(8), Some("scenario")),
            ]
        );
        assert!(
            list[1].message.contains("does not take it"),
            "{}",
            list[1].message
        );
        assert_eq!(list[1].fix, "target 'weight' takes the ops set, scale");
        assert!(
            list[2].message.contains("does not know"),
            "{}",
            list[2].message
        );
        assert!(raw.expect("read").rows.is_empty());
    }

    #[test]
    fn a_value_column_is_needed_only_by_ops_that_take_a_value() {
        let (raw, list) = read_text(
            "scenarios.csv",
            "scenario,target,key,op\ns,project,P-1,exclude\ns,budget,Q1,set\n",
            read,
        );
        assert_eq!(spots(&list), [(codes::MISSING_COLUMN, Some(3), None)]);
        let rows = raw.expect("read").rows;
        assert_eq!(rows.len(), 1);
        assert_eq!(rows[0].op, Op::Exclude);
        let (raw, list) = read_text("scenarios.csv", "scenario,target,op\ns,budget,set\n", read);
        assert!(raw.is_none());
        assert_eq!(
            spots(&list),
            [(codes::MISSING_COLUMN, Some(1), Some("key"))]
        );
    }
}
