//! Projects placed on the horizon: the `after` chains the horizon must hold, and each
//! project's predecessors resolved to ids (finish-to-start → `after`, other kinds →
//! `requires`, rolled-up rows standing for their project).

use std::collections::BTreeMap;

use super::hierarchy;
use super::links::Kind;
use super::mapping::Field;
use super::project::Values;
use super::table::Read;
use super::Message;

/// A project placed on the horizon.
pub struct Placed {
    pub values: Values,
    /// Index of the earliest start period (absolute, see `Calendar::index`).
    pub earliest: Option<i64>,
    pub periods: usize,
}

/// A number as the workbook writes it: no trailing zeros, at most 6 decimals.
pub fn number(x: f64) -> String {
    let rounded = (x * 1e6).round() / 1e6;
    if rounded == 0.0 {
        "0".to_string()
    } else {
        format!("{rounded}")
    }
}

/// The last period the `after` chains need: each project starts no earlier than its
/// earliest start and the period after each of its predecessors ends, so that the horizon
/// holds every chain (a chain longer than the dates say would otherwise not fit).
pub fn chained_end(placed: &[Placed], after: &[Vec<String>], first: i64) -> i64 {
    let index: BTreeMap<&str, usize> = placed
        .iter()
        .enumerate()
        .map(|(i, p)| (p.values.id.as_str(), i))
        .collect();
    let mut at: Vec<i64> = placed.iter().map(|p| p.earliest.unwrap_or(first)).collect();
    // Longest paths by relaxation; a cycle (reported by validation) stops after n rounds.
    for _ in 0..placed.len() {
        let mut changed = false;
        for (i, list) in after.iter().enumerate() {
            for id in list {
                if let Some(&j) = index.get(id.as_str()) {
                    let need = at[j] + placed[j].periods as i64;
                    if need > at[i] {
                        at[i] = need;
                        changed = true;
                    }
                }
            }
        }
        if !changed {
            break;
        }
    }
    at.iter()
        .zip(placed)
        .map(|(a, p)| a + p.periods as i64 - 1)
        .max()
        .unwrap_or(first)
}

/// Each project's `after` and `requires` ids, from its predecessors.
pub fn resolve_links(
    read: &Read,
    shaped: &[hierarchy::Shaped],
    owners: &[Option<(usize, bool)>],
    placed: &[Placed],
    per_period: f64,
    warnings: &mut Vec<Message>,
    errors: &mut Vec<Message>,
) -> (Vec<Vec<String>>, Vec<Vec<String>>) {
    // Every key a predecessor may name → record index, in this order of precedence: id,
    // alias (MS Project's Unique ID, Jira's issue id), row number (only without an id
    // column: Smartsheet), name.
    let mut keys: BTreeMap<String, usize> = BTreeMap::new();
    let has_id = read.columns.contains_key(&Field::Id);
    for pass in 0..4 {
        for (i, (r, s)) in read.records.iter().zip(shaped).enumerate() {
            let key = match pass {
                0 => Some(s.id.clone()),
                1 => r.get(Field::Alias).map(str::to_string),
                2 if !has_id => Some(r.number.to_string()),
                3 => Some(hierarchy::name_of(r, &s.id)),
                _ => None,
            };
            if let Some(key) = key.filter(|k| !k.is_empty()) {
                keys.entry(key).or_insert(i);
            }
        }
    }
    let placed_ids: std::collections::BTreeSet<&str> =
        placed.iter().map(|p| p.values.id.as_str()).collect();
    let by_line: BTreeMap<usize, &super::table::Record> =
        read.records.iter().map(|r| (r.line, r)).collect();
    let mut after = vec![Vec::new(); placed.len()];
    let mut requires = vec![Vec::new(); placed.len()];
    for (i, p) in placed.iter().enumerate() {
        let v = &p.values;
        let record = by_line.get(&v.line);
        let column = record.map_or_else(
            || "predecessors".to_string(),
            |r| r.column(Field::Predecessors),
        );
        for link in &v.links {
            let Some(&k) = keys.get(&link.target) else {
                errors.push(
                    Message::new(
                        Some(v.line),
                        format!(
                            "the predecessor '{}' of {} names no row of the export",
                            link.target, v.id
                        ),
                        "fix the predecessor (a row's id, number or name) or remove it",
                    )
                    .at(&column, &link.target),
                );
                continue;
            };
            // A row rolled into a project stands for it; a link inside one project is internal.
            let (k, internal) = match owners[k] {
                Some((owner, _)) => (owner, shaped[owner].id == v.id),
                None => (k, false),
            };
            if internal {
                continue;
            }
            let target = &shaped[k].id;
            if target == &v.id {
                warnings.push(
                    Message::new(
                        Some(v.line),
                        format!("{} names itself as predecessor: dropped", v.id),
                        "",
                    )
                    .at(&column, &link.target),
                );
                continue;
            }
            if !placed_ids.contains(target.as_str()) {
                warnings.push(
                    Message::new(Some(v.line), format!("the predecessor '{}' of {} is not a project (a summary or dropped row): link dropped", link.target, v.id), "link to the projects it stands for instead")
                        .at(&column, &link.target),
                );
                continue;
            }
            let lag = (link.lag_days / per_period).round();
            if lag != 0.0 {
                warnings.push(
                    Message::new(Some(v.line), format!("the lag of {}'s link to {} ({} period(s)) is not kept: arbiter links have no lag", v.id, target, number(lag)), "move its earliest_start if the lag matters")
                        .at(&column, &link.target),
                );
            }
            let list = if link.kind == Kind::FinishStart {
                &mut after[i]
            } else {
                warnings.push(
                    Message::new(
                        Some(v.line),
                        format!(
                            "{}'s {} link to {} becomes requires (selected together, no order)",
                            v.id,
                            link.kind.code(),
                            target
                        ),
                        "",
                    )
                    .at(&column, &link.target),
                );
                &mut requires[i]
            };
            if !list.contains(target) {
                list.push(target.clone());
            }
        }
    }
    (after, requires)
}
