//! From records to the workbook: every project's values (`project`), the horizon (the
//! periods from the earliest start, or `--start`, to the latest finish), durations in whole
//! periods, links resolved to ids (finish-to-start → `after`, other kinds → `requires`),
//! assignments to demand per pool, and the CSV files of the contract.

use std::collections::BTreeMap;

use super::dates::Calendar;
use super::duration;
use super::hierarchy::{self, Role};
use super::mapping::{Field, Mapping, StatusTo};
use super::placement::{chained_end, resolve_links, Placed};
use super::project::{self, Values};
use super::resources::Pools;
use super::table::Read;
use super::{Imported, Message, Options};
use crate::io::output::csv_bytes;

pub use super::placement::number;

fn rows_list(lines: &[usize]) -> String {
    let shown: Vec<String> = lines.iter().map(|l| l.to_string()).collect();
    shown.join(", ")
}

/// Build the workbook from the table read.
pub fn build(
    read: Read,
    pools: Option<Pools>,
    mapping: &Mapping,
    options: &Options,
) -> Result<Imported, Vec<Message>> {
    let mut warnings = read.warnings.clone();
    let mut errors = Vec::new();
    let has_id = read.columns.contains_key(&Field::Id);
    let mut shaped = hierarchy::shape(&read.records, has_id, mapping, &mut warnings);
    let owners = match options.level {
        Some(level) => super::rollup::roll(&read.records, &mut shaped, level),
        None => vec![None; read.records.len()],
    };
    // Record index → index in `projects`, for the rows that roll into a project.
    let mut position: BTreeMap<usize, usize> = BTreeMap::new();
    let mut has_leaf: Vec<bool> = Vec::new();
    let calendar = Calendar {
        months: options.period_months,
        fiscal_start: options.fiscal_start,
    };
    let project_records: Vec<_> = read
        .records
        .iter()
        .zip(&shaped)
        .filter(|(_, s)| s.role == Role::Project)
        .map(|(r, _)| r)
        .collect();
    let orders = (
        project::date_order(
            &project_records,
            Field::Start,
            mapping,
            options.date_order,
            &mut errors,
        ),
        project::date_order(
            &project_records,
            Field::Finish,
            mapping,
            options.date_order,
            &mut errors,
        ),
    );
    let mut projects: Vec<Values> = Vec::new();
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    for (k, (r, s)) in read.records.iter().zip(&shaped).enumerate() {
        if let Some((owner, leaf)) = owners[k] {
            if let Some(&at) = position.get(&owner) {
                let child =
                    project::read(r, &s.id, None, mapping, orders, &mut warnings, &mut errors);
                let p = &mut projects[at];
                if leaf {
                    p.cost = if has_leaf[at] {
                        p.cost + child.cost
                    } else {
                        child.cost
                    };
                    has_leaf[at] = true;
                }
                p.start = p.start.into_iter().chain(child.start).min();
                p.finish = p.finish.into_iter().chain(child.finish).max();
                p.days = None;
                // A project holding mandatory work is mandatory.
                if child.status == StatusTo::Mandatory && p.status == StatusTo::Candidate {
                    p.status = StatusTo::Mandatory;
                }
                p.links.extend(child.links);
                p.assignments.extend(child.assignments);
            }
            continue;
        }
        if s.role != Role::Project {
            continue;
        }
        if let Some(first) = seen.get(&s.id) {
            errors.push(
                Message::new(
                    Some(r.line),
                    format!("the id '{}' is also on row {first}", s.id),
                    "give every row its own id",
                )
                .at(&r.column(Field::Id), &s.id),
            );
            continue;
        }
        seen.insert(s.id.clone(), r.line);
        let values = project::read(
            r,
            &s.id,
            s.category.clone(),
            mapping,
            orders,
            &mut warnings,
            &mut errors,
        );
        if values.status == StatusTo::Skip {
            warnings.push(
                Message::new(
                    Some(r.line),
                    format!(
                        "{} has a status the profile skips (done or cancelled): not imported",
                        s.id
                    ),
                    "",
                )
                .at(&r.column(Field::Status), r.get(Field::Status).unwrap_or("")),
            );
            continue;
        }
        position.insert(k, projects.len());
        has_leaf.push(false);
        projects.push(values);
    }
    let per_period = calendar.working_days();
    // Durations in periods; milestones dropped.
    let mut placed: Vec<Placed> = Vec::new();
    for v in projects {
        let span = match (v.start, v.finish) {
            (Some(s), Some(f)) if f >= s => {
                Some((calendar.index(f) - calendar.index(s) + 1) as usize)
            }
            _ => None,
        };
        let periods = match (v.days, span) {
            (Some(days), _) => duration::periods(days, per_period),
            // The periods its dates span: exact, not a guess (monday's timelines).
            (None, Some(span)) => span,
            (None, None) => {
                warnings.push(Message::new(
                    Some(v.line),
                    format!(
                        "{} has no duration (nor both a start and a finish date): 1 period",
                        v.id
                    ),
                    "fill in its duration in projects.csv",
                ));
                1
            }
        };
        if periods == 0 && mapping.skip.milestones {
            warnings.push(Message::new(
                Some(v.line),
                format!(
                    "{} is a milestone (zero duration): not a project, skipped",
                    v.id
                ),
                "",
            ));
            continue;
        }
        let earliest = v.start.map(|d| calendar.index(d));
        placed.push(Placed {
            values: v,
            earliest,
            periods: periods.max(1),
        });
    }
    let first = match options.start {
        Some(date) => Some(calendar.index(date)),
        None => placed
            .iter()
            .filter(|p| p.values.status != StatusTo::InProgress)
            .filter_map(|p| p.earliest)
            .min(),
    };
    let Some(first) = first.or_else(|| (placed.is_empty() || !errors.is_empty()).then_some(0))
    else {
        errors.push(Message::new(
            None,
            "the export has no start dates, so the horizon has no first period",
            "pass --start with the first day of the plan (--start 2027-01-01)",
        ));
        return Err(errors);
    };
    if !errors.is_empty() {
        return Err(errors);
    }
    let mut last = first;
    for p in &mut placed {
        if p.values.status == StatusTo::InProgress {
            // Running work starts in the first period; what remains runs to its finish.
            if let Some(f) = p.values.finish {
                p.periods = (calendar.index(f) - first + 1).max(1) as usize;
            }
            warnings.push(Message::new(
                Some(p.values.line),
                format!("{} is in progress: its cost and duration count as what remains ({} period(s) from the first)", p.values.id, p.periods),
                "lower its cost to the part still to spend",
            ));
            p.earliest = None;
        }
        if let Some(e) = p.earliest {
            if e < first {
                warnings.push(Message::new(
                    Some(p.values.line),
                    format!(
                        "{} starts before --start: may start from {}",
                        p.values.id,
                        calendar.label(first)
                    ),
                    "",
                ));
                p.earliest = Some(first);
            }
        }
        last = last.max(p.earliest.unwrap_or(first) + p.periods as i64 - 1);
    }
    let (after, requires) = resolve_links(
        &read,
        &shaped,
        &owners,
        &placed,
        per_period,
        &mut warnings,
        &mut errors,
    );
    let last = last.max(chained_end(&placed, &after, first));
    let labels: Vec<String> = (first..=last).map(|i| calendar.label(i)).collect();
    let (demand, capacity) = demand(&placed, pools.as_ref(), &mut warnings, &mut errors);
    if !errors.is_empty() {
        return Err(errors);
    }
    let mut rows = Vec::new();
    for (i, p) in placed.iter().enumerate() {
        let v = &p.values;
        let earliest = p.earliest.map(|e| calendar.label(e)).unwrap_or_default();
        let latest = if options.keep_dates {
            earliest.clone()
        } else {
            String::new()
        };
        rows.push(vec![
            v.id.clone(),
            v.name.clone(),
            v.category.clone().unwrap_or_default(),
            number(v.cost),
            p.periods.to_string(),
            v.value.map(number).unwrap_or_default(),
            v.status.arbiter().unwrap_or("candidate").to_string(),
            earliest,
            latest,
            requires[i].join(";"),
            after[i].join(";"),
        ]);
        let row = rows.last_mut().expect("just pushed");
        for (driver, _) in &read.drivers {
            row.push(
                v.drivers
                    .get(driver)
                    .map(|s| number(*s))
                    .unwrap_or_default(),
            );
        }
    }
    let mut header = vec![
        "id",
        "name",
        "category",
        "cost",
        "duration",
        "value",
        "status",
        "earliest_start",
        "latest_start",
        "requires",
        "after",
    ];
    header.extend(read.drivers.iter().map(|(d, _)| d.as_str()));
    let mut files = vec![("projects.csv".to_string(), csv_bytes(&header, &rows))];
    if !read.drivers.is_empty() {
        // Equal weights to start from: the PMO sets them in drivers.csv.
        let weights: Vec<Vec<String>> = read
            .drivers
            .iter()
            .map(|(d, _)| vec![d.clone(), "1".to_string()])
            .collect();
        files.push((
            "drivers.csv".to_string(),
            csv_bytes(&["driver", "weight"], &weights),
        ));
    }
    let label_refs: Vec<&str> = labels.iter().map(String::as_str).collect();
    let budget_rows: Vec<Vec<String>> = options
        .budget
        .map(|b| vec![number(b); labels.len()])
        .into_iter()
        .collect();
    files.push((
        "budget.csv".to_string(),
        csv_bytes(&label_refs, &budget_rows),
    ));
    if let Some(capacity) = capacity {
        let mut header = vec!["pool"];
        header.extend(label_refs.iter().copied());
        let rows: Vec<Vec<String>> = capacity
            .iter()
            .map(|(pool, fte)| {
                std::iter::once(pool.clone())
                    .chain(labels.iter().map(|_| number(*fte)))
                    .collect()
            })
            .collect();
        files.push(("capacity.csv".to_string(), csv_bytes(&header, &rows)));
        files.push((
            "demand.csv".to_string(),
            csv_bytes(&["project", "pool", "fte"], &demand),
        ));
    }
    files.sort_by(|a, b| a.0.cmp(&b.0));
    let mut mapped = vec![format!(
        "read {} row(s) below the header on line {}: {} project(s), {} summary row(s) as categories, {} row(s) dropped",
        read.records.len(),
        read.header_line,
        placed.len(),
        shaped.iter().filter(|s| s.role == Role::Summary).count(),
        read.records.len() - placed.len() - shaped.iter().filter(|s| s.role == Role::Summary).count(),
    )];
    let columns: Vec<String> = read
        .columns
        .iter()
        .map(|(f, c)| format!("{} ← '{c}'", f.key()))
        .chain(
            read.drivers
                .iter()
                .map(|(d, c)| format!("driver {d} ← '{c}'")),
        )
        .collect();
    mapped.push(format!("columns: {}", columns.join(", ")));
    if !read.unmapped.is_empty() {
        mapped.push(format!("not imported: {}", read.unmapped.join(", ")));
    }
    mapped.push(format!(
        "horizon: {} to {} ({} period(s)){}",
        labels[0],
        labels[labels.len() - 1],
        labels.len(),
        if options.budget.is_some() {
            ""
        } else {
            "; budget.csv has no cap (pass --budget AMOUNT per period)"
        }
    ));
    let rolled = owners.iter().filter(|o| o.is_some()).count();
    if let Some(level) = options.level {
        mapped.push(format!(
            "--level {level}: {rolled} row(s) below level {level} rolled up into their project"
        ));
    }
    mapped.extend(read.notes.iter().cloned());
    // By row, in the order found within a row; messages about no row last.
    warnings.sort_by_key(|m| m.row.unwrap_or(usize::MAX));
    Ok(Imported {
        files,
        mapped,
        warnings,
    })
}

/// demand.csv rows and capacity per pool, when a resource sheet is given; without one the
/// assignments are dropped with one warning listing the rows.
#[allow(clippy::type_complexity)]
fn demand(
    placed: &[Placed],
    pools: Option<&Pools>,
    warnings: &mut Vec<Message>,
    errors: &mut Vec<Message>,
) -> (Vec<Vec<String>>, Option<BTreeMap<String, f64>>) {
    let with: Vec<usize> = placed
        .iter()
        .filter(|p| !p.values.assignments.is_empty())
        .map(|p| p.values.line)
        .collect();
    let Some(pools) = pools else {
        if !with.is_empty() {
            warnings.push(Message::new(
                None,
                format!("rows {}: resource assignments dropped, the resource sheet is not given", rows_list(&with)),
                "pass --resources FILE (the resource table: Name, Type, Group, Max_Units) to import demand and capacity",
            ));
        }
        return (Vec::new(), None);
    };
    let mut rows = Vec::new();
    for p in placed {
        let mut by_pool: BTreeMap<String, f64> = BTreeMap::new();
        for a in &p.values.assignments {
            match pools.resources.get(&a.resource) {
                Some((pool, _)) => *by_pool.entry(pool.clone()).or_default() += a.fte,
                None if pools.left_out.iter().any(|(n, _)| *n == a.resource) => {}
                None => errors.push(
                    Message::new(
                        Some(p.values.line),
                        format!(
                            "{} is assigned '{}', who is not in the resource sheet",
                            p.values.id, a.resource
                        ),
                        "add the resource to the resource sheet, or fix the name",
                    )
                    .at("resources", &a.resource),
                ),
            }
        }
        for (pool, fte) in by_pool {
            rows.push(vec![p.values.id.clone(), pool, number(fte)]);
        }
    }
    for (name, kind) in &pools.left_out {
        warnings.push(Message::new(
            None,
            format!("resource '{name}' ({kind}) is not staff: left out of capacity and demand"),
            "",
        ));
    }
    (rows, Some(pools.capacity()))
}
