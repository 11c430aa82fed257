//! Validation of a whole workbook: the stable diagnostic codes, the checks that need more
//! than one file (the horizon, period labels, project ids, pools, windows, `after` cycles,
//! driver columns, categories) and the building of the resolved [`Workbook`].
//!
//! Each file is first checked on its own by `io::files`; this module gets those raw records
//! and reports every cross-file problem, never stopping at the first. [`validate`] is what
//! `arbiter validate` runs; [`crate::io::read_workbook`] runs the same checks.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use crate::diag::{codes, Diagnostic};
use crate::diag::{Diags, Loc};
use crate::io::tables::projects::RawProject;
use crate::io::tables::{driver_key, Headers};
use crate::io::{Part, RawWorkbook, ReadOptions};
use crate::model::{
    Balance, Demand, Driver, Inconsistency, Project, Serve, Staffing, Status, WeightSource,
    Workbook,
};

mod scenarios;

pub(crate) use scenarios::resolve as resolve_scenarios;

/// Check the workbook in `dir` and return every problem found: errors first, then
/// warnings, each in file order then line order. Empty when the workbook is clean.
pub fn validate(dir: &Path, options: &ReadOptions) -> Vec<Diagnostic> {
    let mut diags = Diags::new();
    let _ = crate::io::load(dir, options, &mut diags);
    diags.into_sorted()
}

/// The planning horizon, when it could be established.
struct Horizon {
    periods: Vec<String>,
    /// False when budget.csv or capacity.csv is broken or missing: period checks are skipped
    /// (their problem is already reported) instead of flagging every label.
    known: bool,
}

impl Horizon {
    fn index(&self, label: &str) -> Option<usize> {
        self.periods.iter().position(|p| p == label)
    }

    fn len(&self) -> usize {
        self.periods.len()
    }

    fn list(&self) -> String {
        list(&self.periods)
    }
}

fn list(items: &[String]) -> String {
    const MAX: usize = 12;
    let mut out: Vec<String> = items.iter().take(MAX).map(|p| format!("'{p}'")).collect();
    if items.len() > MAX {
        out.push(format!("… ({} in all)", items.len()));
    }
    out.join(", ")
}

/// Resolve the raw files into a [`Workbook`], reporting every cross-file problem. Returns
/// `None` when the workbook cannot be built; a returned workbook is only valid when `diags`
/// holds no error.
pub(crate) fn resolve(shown: &str, raw: RawWorkbook, diags: &mut Diags) -> Option<Workbook> {
    let horizon = horizon(shown, &raw, diags);
    let mut wb = Workbook {
        periods: horizon.periods.clone(),
        ..Workbook::default()
    };
    resolve_capacity(&raw, &horizon, &mut wb, diags);
    resolve_teams(&raw, &mut wb, diags);
    resolve_budget(&raw, &horizon, &mut wb, diags);
    resolve_drivers(&raw, &mut wb, diags);
    resolve_categories(&raw, &mut wb);
    let raw_projects: &[RawProject] = raw.projects.read().map_or(&[], |p| &p.rows);
    let headers = raw
        .projects
        .read()
        .map(|p| p.headers.clone())
        .unwrap_or_default();
    let ids: BTreeMap<&str, usize> = raw_projects
        .iter()
        .enumerate()
        .map(|(i, p)| (p.id.as_str(), i))
        .collect();
    for p in raw_projects {
        let project = resolve_project(p, &headers, &ids, &horizon, &wb, diags);
        wb.projects.push(project);
    }
    check_after_cycles(raw_projects, &headers, &wb, diags);
    let projects_known = raw.projects.read().is_some();
    resolve_costs(&raw, &ids, projects_known, &mut wb, diags);
    resolve_demand(&raw, &ids, projects_known, &mut wb, diags);
    resolve_balance(&raw, &mut wb, diags);
    if raw.projects.read().is_none() || !horizon.known {
        return None;
    }
    Some(wb)
}

/// The horizon: budget.csv's periods in order of first appearance, else capacity.csv's.
fn horizon(shown: &str, raw: &RawWorkbook, diags: &mut Diags) -> Horizon {
    let from = |periods: &[String]| Horizon {
        periods: periods.to_vec(),
        known: true,
    };
    let unknown = Horizon {
        periods: Vec::new(),
        known: false,
    };
    match (&raw.budget, &raw.capacity) {
        (Part::Read(b), _) if !b.periods.is_empty() => from(&b.periods),
        (Part::Broken, _) => unknown,
        (_, Part::Read(c)) if !c.periods.is_empty() => from(&c.periods),
        (_, Part::Broken) => unknown,
        (budget, capacity) => {
            let message = if budget.is_absent() && capacity.is_absent() {
                format!("the workbook '{shown}' has neither budget.csv nor capacity.csv, so it has no planning horizon")
            } else {
                format!("the workbook '{shown}' names no period in budget.csv or capacity.csv, so it has no planning horizon")
            };
            diags.add(
                codes::NO_HORIZON,
                Loc::file(shown),
                None,
                message,
                "add budget.csv (period, amount) or capacity.csv (pool, period, fte) with one row per period",
            );
            unknown
        }
    }
}

fn resolve_capacity(raw: &RawWorkbook, horizon: &Horizon, wb: &mut Workbook, diags: &mut Diags) {
    let Some(cap) = raw.capacity.read() else {
        return;
    };
    let h = horizon.len();
    wb.pools = cap.pools.iter().map(|(p, _)| p.clone()).collect();
    wb.capacity = vec![vec![0.0; h]; wb.pools.len()];
    let mut given = vec![vec![false; h]; wb.pools.len()];
    for e in &cap.entries {
        let Some(pool) = wb.pools.iter().position(|p| *p == e.pool) else {
            continue;
        };
        match horizon.index(&e.period) {
            Some(t) => {
                wb.capacity[pool][t] = e.fte;
                given[pool][t] = true;
            }
            None if horizon.known => diags.add(
                codes::UNKNOWN_PERIOD,
                Loc::cell("capacity.csv", e.line, &e.column),
                Some(&e.period),
                format!(
                    "capacity of pool '{}' is given for period '{}', which budget.csv does not have",
                    e.pool, e.period
                ),
                format!(
                    "use one of budget.csv's periods ({}), or add '{}' to budget.csv",
                    horizon.list(),
                    e.period
                ),
            ),
            None => {}
        }
    }
    if !horizon.known {
        return;
    }
    let pool_header = cap.headers.get("pool");
    for (i, (pool, line)) in cap.pools.iter().enumerate() {
        let missing: Vec<String> = (0..h)
            .filter(|t| !given[i][*t])
            .map(|t| horizon.periods[t].clone())
            .collect();
        // A pool whose every row is broken has been reported already.
        if !missing.is_empty() && missing.len() < h {
            diags.add(
                codes::PARTIAL_POOL,
                Loc::cell("capacity.csv", *line, &pool_header),
                Some(pool),
                format!(
                    "pool '{pool}' has no capacity for period(s) {}; it gets 0 FTE there",
                    list(&missing)
                ),
                "add rows for those periods (fte 0 if the pool is really unavailable)",
            );
        }
    }
}

/// teams.csv: capacity.csv's pools become teams, and the pools of the workbook become the
/// skills teams.csv lists (their own capacity is unlimited: staff comes from the teams).
fn resolve_teams(raw: &RawWorkbook, wb: &mut Workbook, diags: &mut Diags) {
    let Some(teams) = raw.teams.read() else {
        return;
    };
    let h = wb.periods.len();
    let mut staffing = Staffing {
        teams: std::mem::take(&mut wb.pools),
        capacity: std::mem::take(&mut wb.capacity),
        serves: Vec::new(),
    };
    let team_col = teams.headers.get("team");
    let mut skills: Vec<String> = Vec::new();
    let mut serves: BTreeMap<(usize, usize), f64> = BTreeMap::new();
    for row in &teams.rows {
        let skill = match skills.iter().position(|s| *s == row.skill) {
            Some(k) => k,
            None => {
                skills.push(row.skill.clone());
                skills.len() - 1
            }
        };
        let Some(team) = staffing.team_index(&row.team) else {
            if raw.capacity.read().is_some() {
                diags.add(
                    codes::UNKNOWN_TEAM,
                    Loc::cell("teams.csv", row.line, &team_col),
                    Some(&row.team),
                    format!("team '{}' serves skill '{}' but has no capacity in capacity.csv", row.team, row.skill),
                    format!(
                        "correct the team name (capacity.csv has {}), or give '{}' its FTE in capacity.csv",
                        list(&staffing.teams),
                        row.team
                    ),
                );
            }
            continue;
        };
        serves.insert((team, skill), row.efficiency);
    }
    staffing.serves = serves
        .into_iter()
        .map(|((team, skill), efficiency)| Serve {
            team,
            skill,
            efficiency,
        })
        .collect();
    if let Some(cap) = raw.capacity.read() {
        let pool_col = cap.headers.get("pool");
        for (team, (name, line)) in cap.pools.iter().enumerate() {
            if !staffing.serves.iter().any(|s| s.team == team) {
                diags.add(
                    codes::TEAM_WITHOUT_SKILL,
                    Loc::cell("capacity.csv", *line, &pool_col),
                    Some(name),
                    format!("team '{name}' has capacity but teams.csv gives it no skill; its FTE is never used"),
                    format!("add rows 'team,skill' for '{name}' to teams.csv, or correct its name"),
                );
            }
        }
    }
    wb.capacity = vec![vec![f64::INFINITY; h]; skills.len()];
    wb.pools = skills;
    wb.staffing = Some(staffing);
}

fn resolve_budget(raw: &RawWorkbook, horizon: &Horizon, wb: &mut Workbook, diags: &mut Diags) {
    let h = horizon.len();
    wb.budget_total = vec![None; h];
    let Some(budget) = raw.budget.read() else {
        return;
    };
    let mut categories: BTreeSet<String> = BTreeSet::new();
    for cap in &budget.caps {
        if let Some(c) = &cap.category {
            categories.insert(c.clone());
        }
    }
    // Category indices are only known once every category is collected; keep names here.
    let mut per_category: BTreeMap<String, Vec<Option<f64>>> =
        categories.into_iter().map(|c| (c, vec![None; h])).collect();
    for cap in &budget.caps {
        let Some(t) = horizon.index(&cap.period) else {
            // budget.csv defines the horizon; a period missing here means the horizon came
            // from elsewhere, which cannot happen, but is reported rather than dropped.
            if horizon.known {
                diags.add(
                    codes::UNKNOWN_PERIOD,
                    Loc::cell("budget.csv", cap.line, &cap.column),
                    Some(&cap.period),
                    format!(
                        "budget.csv names period '{}', which is not in the horizon",
                        cap.period
                    ),
                    format!("use one of the periods {}", horizon.list()),
                );
            }
            continue;
        };
        match &cap.category {
            None => wb.budget_total[t] = Some(cap.amount),
            Some(c) => {
                if let Some(caps) = per_category.get_mut(c) {
                    caps[t] = Some(cap.amount);
                }
            }
        }
    }
    // Stored by name until resolve_categories turns names into indices.
    wb.budget_category = BTreeMap::new();
    for (name, caps) in per_category {
        wb.categories.push(name);
        let idx = wb.categories.len() - 1;
        wb.budget_category.insert(idx, caps);
    }
}

fn resolve_drivers(raw: &RawWorkbook, wb: &mut Workbook, diags: &mut Diags) {
    let both = !raw.drivers.is_absent() && !raw.pairwise.is_absent();
    if both {
        diags.add(
            codes::BOTH_WEIGHT_FILES,
            Loc::file("pairwise.csv"),
            None,
            "drivers.csv and pairwise.csv both give the driver weights",
            "keep one: delete pairwise.csv to use the weights of drivers.csv, or delete drivers.csv to derive the weights from pairwise.csv",
        );
    }
    let columns = raw.projects.read().map(|p| &p.driver_keys);
    let mut check_column = |name: &str, file: &str, line: usize, column: &str| {
        if let Some(keys) = columns {
            if !keys.contains(&driver_key(name)) {
                diags.add(
                    codes::DRIVER_WITHOUT_COLUMN,
                    Loc::cell(file, line, column),
                    Some(name),
                    format!("driver '{name}' has no column in projects.csv"),
                    format!("add a column '{name}' with each project's score to projects.csv, or remove the driver from {file}"),
                );
            }
        }
    };
    if let Some(d) = raw.drivers.read() {
        let column = d.headers.get("driver");
        for row in &d.rows {
            check_column(&row.name, "drivers.csv", row.line, &column);
        }
        if !both {
            let sum: f64 = d.rows.iter().map(|r| r.weight).sum();
            if sum > 0.0 {
                wb.drivers = d
                    .rows
                    .iter()
                    .map(|r| Driver {
                        name: r.name.clone(),
                        weight: r.weight / sum,
                    })
                    .collect();
                wb.weight_source = WeightSource::Weights { total: sum };
            }
        }
    }
    if let Some(p) = raw.pairwise.read() {
        for (name, line, column) in &p.names {
            check_column(name, "pairwise.csv", *line, column);
        }
        if let (Some(ahp), false) = (&p.ahp, both) {
            wb.drivers = p
                .names
                .iter()
                .zip(&ahp.weights)
                .map(|((name, _, _), w)| Driver {
                    name: name.clone(),
                    weight: *w,
                })
                .collect();
            wb.weight_source = WeightSource::Pairwise {
                consistency_ratio: ahp.consistency_ratio,
                lambda_max: ahp.lambda_max,
                worst: ahp.worst.map(|(i, j, given, implied)| Inconsistency {
                    a: p.names[i].0.clone(),
                    b: p.names[j].0.clone(),
                    given,
                    implied,
                }),
            };
        }
    }
}

/// Every category named by a project, budget.csv or balance.csv, sorted; budget caps
/// re-keyed by the final indices.
fn resolve_categories(raw: &RawWorkbook, wb: &mut Workbook) {
    let mut names: BTreeSet<String> = wb.categories.iter().cloned().collect();
    if let Some(p) = raw.projects.read() {
        names.extend(p.rows.iter().filter_map(|r| r.category.clone()));
    }
    if let Some(b) = raw.balance.read() {
        names.extend(b.rows.iter().map(|r| r.category.clone()));
    }
    let old_names = std::mem::take(&mut wb.categories);
    wb.categories = names.into_iter().collect();
    let old_caps = std::mem::take(&mut wb.budget_category);
    for (old, caps) in old_caps {
        if let Some(new) = old_names
            .get(old)
            .and_then(|n| wb.categories.iter().position(|c| c == n))
        {
            wb.budget_category.insert(new, caps);
        }
    }
}

fn resolve_project(
    p: &RawProject,
    headers: &Headers,
    ids: &BTreeMap<&str, usize>,
    horizon: &Horizon,
    wb: &Workbook,
    diags: &mut Diags,
) -> Project {
    let status = p.status.unwrap_or(Status::Candidate);
    let duration = p.duration.unwrap_or(1);
    let links = |list: &[String], key: &str, diags: &mut Diags| -> Vec<usize> {
        let column = headers.get(key);
        let mut out = Vec::new();
        for id in list {
            let loc = Loc::cell("projects.csv", p.line, &column);
            if *id == p.id {
                diags.add(
                    codes::SELF_LINK,
                    loc,
                    Some(id),
                    format!("project {} names itself in {column}", p.id),
                    format!("remove {} from its own {column} list", p.id),
                );
            } else if let Some(i) = ids.get(id.as_str()) {
                out.push(*i);
            } else {
                diags.add(
                    codes::UNKNOWN_PROJECT,
                    loc,
                    Some(id),
                    format!(
                        "project {} has {column} '{id}', which is not a project id",
                        p.id
                    ),
                    format!("correct the id, or add project {id} to projects.csv"),
                );
            }
        }
        out.sort_unstable();
        out.dedup();
        out
    };
    let requires = links(&p.requires, "requires", diags);
    let excludes = links(&p.excludes, "excludes", diags);
    let after = if status == Status::InProgress {
        if !p.after.is_empty() {
            diags.add(
                codes::AFTER_IGNORED,
                Loc::cell("projects.csv", p.line, &headers.get("after")),
                Some(&p.after.join(";")),
                format!(
                    "project {} is in progress, so its {} links are ignored",
                    p.id,
                    headers.get("after")
                ),
                "clear the after cell of a running project",
            );
        }
        Vec::new()
    } else {
        links(&p.after, "after", diags)
    };
    let (earliest, latest) = window(p, status, headers, horizon, diags);
    let latest_given = match (status, &p.latest) {
        (Status::InProgress, _) | (_, None) => None,
        (_, Some(label)) => horizon.index(label),
    };
    let category = p
        .category
        .as_ref()
        .and_then(|c| wb.categories.iter().position(|n| n == c));
    let cost = p.cost.unwrap_or(0.0);
    Project {
        id: p.id.clone(),
        name: p.name.clone(),
        cost,
        duration,
        value: p.value.unwrap_or(0.0),
        earliest,
        latest_given,
        latest,
        status,
        category,
        requires,
        excludes,
        after,
        cost_low: p.cost_low,
        cost_high: p.cost_high,
        value_low: p.value_low,
        value_high: p.value_high,
        scores: p.scores.clone(),
        cost_profile: vec![cost / duration as f64; duration],
        demand: Vec::new(),
    }
}

/// The start window (earliest, latest) of a project, with its checks.
fn window(
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

/// Report every cycle of `after` links (a project must start after itself, transitively).
fn check_after_cycles(raw: &[RawProject], headers: &Headers, wb: &Workbook, diags: &mut Diags) {
    let n = wb.projects.len();
    // Iterative depth-first search: 0 = unseen, 1 = on the current path, 2 = done. Every
    // edge back into the current path closes one cycle, reported from the path.
    let mut state = vec![0u8; n];
    let mut seen_cycles: BTreeSet<Vec<usize>> = BTreeSet::new();
    let column = headers.get("after");
    for root in 0..n {
        if state[root] != 0 {
            continue;
        }
        let mut stack: Vec<(usize, usize)> = vec![(root, 0)];
        state[root] = 1;
        while let Some((node, next)) = stack.last_mut() {
            let node = *node;
            let Some(&to) = wb.projects[node].after.get(*next) else {
                state[node] = 2;
                stack.pop();
                continue;
            };
            *next += 1;
            match state[to] {
                0 => {
                    state[to] = 1;
                    stack.push((to, 0));
                }
                1 => {
                    let start = stack.iter().position(|(v, _)| *v == to).unwrap_or(0);
                    let mut cycle: Vec<usize> = stack[start..].iter().map(|(v, _)| *v).collect();
                    // Start the cycle at its first project in file order, for a stable text.
                    let min_pos = cycle
                        .iter()
                        .enumerate()
                        .min_by_key(|(_, v)| **v)
                        .map_or(0, |(i, _)| i);
                    cycle.rotate_left(min_pos);
                    if seen_cycles.insert(cycle.clone()) {
                        let first = cycle[0];
                        let mut names: Vec<&str> =
                            cycle.iter().map(|v| wb.projects[*v].id.as_str()).collect();
                        names.push(wb.projects[first].id.as_str());
                        let next_id = names.get(1).copied().unwrap_or("");
                        diags.add(
                            codes::AFTER_CYCLE,
                            Loc::cell("projects.csv", raw[first].line, &column),
                            Some(next_id),
                            format!(
                                "the {column} links form a cycle: {} (each must start after the next)",
                                names.join(" → ")
                            ),
                            format!("remove one of these {column} links"),
                        );
                    }
                }
                _ => {}
            }
        }
    }
}

fn resolve_costs(
    raw: &RawWorkbook,
    ids: &BTreeMap<&str, usize>,
    projects_known: bool,
    wb: &mut Workbook,
    diags: &mut Diags,
) {
    let Some(costs) = raw.costs.read() else {
        return;
    };
    let project_col = costs.headers.get("project");
    let offset_col = costs.headers.get("offset");
    // project → (first line, profile)
    let mut profiles: BTreeMap<usize, (usize, Vec<f64>)> = BTreeMap::new();
    let mut broken: BTreeSet<usize> = BTreeSet::new();
    for row in &costs.rows {
        let Some(&p) = ids.get(row.project.as_str()) else {
            if projects_known {
                diags.add(
                    codes::UNKNOWN_PROJECT,
                    Loc::cell("costs.csv", row.line, &project_col),
                    Some(&row.project),
                    format!("costs.csv gives a cost profile for project '{}', which projects.csv does not have", row.project),
                    format!("correct the id, or add project {} to projects.csv", row.project),
                );
            }
            continue;
        };
        if bad_duration(raw, p) {
            continue;
        }
        let duration = wb.projects[p].duration;
        if row.offset >= duration {
            offset_error(
                "costs.csv",
                row.line,
                &offset_col,
                &wb.projects[p],
                row.offset,
                diags,
            );
            // Its profile is wrong anyway: no sum warning on top.
            broken.insert(p);
            continue;
        }
        let entry = profiles
            .entry(p)
            .or_insert_with(|| (row.line, vec![0.0; duration]));
        entry.1[row.offset] = row.amount;
    }
    let amount_col = costs.headers.get("amount");
    for (p, (line, profile)) in profiles {
        let project = &mut wb.projects[p];
        let sum: f64 = profile.iter().sum();
        if !broken.contains(&p) && (sum - project.cost).abs() > 1e-6 * project.cost.abs().max(1.0) {
            diags.add(
                codes::PROFILE_SUM,
                Loc::cell("costs.csv", line, &amount_col),
                Some(&sum.to_string()),
                format!(
                    "the cost profile of project {} sums to {sum} but its cost in projects.csv is {}; the profile is used",
                    project.id, project.cost
                ),
                format!("make the profile sum to {} or set the project's cost to {sum}", project.cost),
            );
        }
        project.cost_profile = profile;
    }
}

/// Whether project `p`'s duration was unreadable (reported): its offsets are not checked
/// against the stand-in duration of 1.
fn bad_duration(raw: &RawWorkbook, p: usize) -> bool {
    raw.projects
        .read()
        .and_then(|r| r.rows.get(p))
        .is_some_and(|r| r.duration.is_none())
}

fn offset_error(
    file: &str,
    line: usize,
    column: &str,
    project: &Project,
    offset: usize,
    diags: &mut Diags,
) {
    diags.add(
        codes::OFFSET_BEYOND_DURATION,
        Loc::cell(file, line, column),
        Some(&offset.to_string()),
        format!(
            "project {} has offset {offset} but lasts {} period(s) (offsets 0 to {})",
            project.id,
            project.duration,
            project.duration - 1
        ),
        format!(
            "use an offset below {} or lengthen the project's duration",
            project.duration
        ),
    );
}

fn resolve_demand(
    raw: &RawWorkbook,
    ids: &BTreeMap<&str, usize>,
    projects_known: bool,
    wb: &mut Workbook,
    diags: &mut Diags,
) {
    let Some(demand) = raw.demand.read() else {
        return;
    };
    let project_col = demand.headers.get("project");
    let pool_col = demand.headers.get("pool");
    let offset_col = demand.headers.get("offset");
    let mut loads: BTreeMap<(usize, usize), Vec<f64>> = BTreeMap::new();
    // With teams.csv: skill → (first line, projects) for skills no team serves.
    let mut unserved: BTreeMap<String, (usize, Vec<String>)> = BTreeMap::new();
    for row in &demand.rows {
        let project = ids.get(row.project.as_str()).copied();
        if project.is_none() && projects_known {
            diags.add(
                codes::UNKNOWN_PROJECT,
                Loc::cell("demand.csv", row.line, &project_col),
                Some(&row.project),
                format!("demand.csv gives staff demand for project '{}', which projects.csv does not have", row.project),
                format!("correct the id, or add project {} to projects.csv", row.project),
            );
        }
        let pool = wb.pool_index(&row.pool);
        if pool.is_none() && wb.staffing.is_some() {
            unserved
                .entry(row.pool.clone())
                .or_insert_with(|| (row.line, Vec::new()))
                .1
                .push(row.project.clone());
        } else if pool.is_none() && !raw.teams.is_broken() {
            match &raw.capacity {
                Part::Read(_) => diags.add(
                    codes::UNKNOWN_POOL,
                    Loc::cell("demand.csv", row.line, &pool_col),
                    Some(&row.pool),
                    format!("project {} needs pool '{}', which capacity.csv does not have", row.project, row.pool),
                    format!("correct the pool name (capacity.csv has {}), or give '{}' capacity in capacity.csv", list(&wb.pools), row.pool),
                ),
                Part::Absent => diags.add(
                    codes::UNKNOWN_POOL,
                    Loc::cell("demand.csv", row.line, &pool_col),
                    Some(&row.pool),
                    format!("project {} needs pool '{}', but the workbook has no capacity.csv", row.project, row.pool),
                    format!("add capacity.csv (pool, period, fte) giving the capacity of '{}'", row.pool),
                ),
                Part::Broken => {}
            }
        }
        let (Some(p), Some(pool)) = (project, pool) else {
            continue;
        };
        if bad_duration(raw, p) {
            continue;
        }
        let duration = wb.projects[p].duration;
        let fte = loads
            .entry((p, pool))
            .or_insert_with(|| vec![0.0; duration]);
        match row.offset {
            None => fte.iter_mut().for_each(|x| *x = row.fte),
            Some(o) if o < duration => fte[o] = row.fte,
            Some(o) => offset_error(
                "demand.csv",
                row.line,
                &offset_col,
                &wb.projects[p],
                o,
                diags,
            ),
        }
    }
    for (skill, (line, mut projects)) in unserved {
        projects.dedup();
        let skills = wb.pools.clone();
        diags.add(
            codes::UNSERVED_SKILL,
            Loc::cell("demand.csv", line, &pool_col),
            Some(&skill),
            format!(
                "no team of teams.csv serves skill '{skill}', which {} need{}",
                list(&projects).replace('\'', ""),
                if projects.len() == 1 { "s" } else { "" }
            ),
            format!(
                "add a row '<team>,{skill}' to teams.csv, or correct the skill name (teams serve {})",
                list(&skills)
            ),
        );
    }
    // BTreeMap order is (project, pool): each project's demand comes out sorted by pool.
    for ((p, pool), fte) in loads {
        wb.projects[p].demand.push(Demand { pool, fte });
    }
}

fn resolve_balance(raw: &RawWorkbook, wb: &mut Workbook, diags: &mut Diags) {
    let Some(balance) = raw.balance.read() else {
        return;
    };
    let used: BTreeSet<usize> = wb.projects.iter().filter_map(|p| p.category).collect();
    let column = balance.headers.get("category");
    for row in &balance.rows {
        let Some(category) = wb.categories.iter().position(|c| *c == row.category) else {
            continue;
        };
        if !used.contains(&category) && raw.projects.read().is_some() {
            diags.add(
                codes::BALANCE_CATEGORY_UNUSED,
                Loc::cell("balance.csv", row.line, &column),
                Some(&row.category),
                format!("balance category '{}' is not the category of any project", row.category),
                "correct the category name, or give it to the projects it should cover in projects.csv",
            );
        }
        wb.balance.push(Balance {
            category,
            min_share: row.min_share,
            max_share: row.max_share,
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::{Error, Severity};
    use crate::io::{read_workbook, Loaded};
    use std::path::PathBuf;
    use tempfile::TempDir;

    fn fixtures() -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures")
    }

    /// A workbook folder holding `files`.
    fn folder(files: &[(&str, &str)]) -> TempDir {
        let dir = tempfile::tempdir().expect("temp dir");
        for (name, text) in files {
            std::fs::write(dir.path().join(name), text).expect("write fixture");
        }
        dir
    }

    fn read(files: &[(&str, &str)]) -> crate::Result<Loaded> {
        let dir = folder(files);
        read_workbook(dir.path(), &ReadOptions::default())
    }

    fn diagnostics(files: &[(&str, &str)]) -> Vec<Diagnostic> {
        let dir = folder(files);
        validate(dir.path(), &ReadOptions::default())
    }

    fn loaded(files: &[(&str, &str)]) -> Loaded {
        match read(files) {
            Ok(loaded) => loaded,
            Err(Error::Invalid(list)) => {
                let text: Vec<String> = list.iter().map(ToString::to_string).collect();
                panic!("workbook invalid:\n{}", text.join("\n"))
            }
            Err(err) => panic!("{err}"),
        }
    }

    fn codes_of(list: &[Diagnostic]) -> Vec<&'static str> {
        list.iter().map(|d| d.code).collect()
    }

    const BUDGET: &str = "period,amount\n2025-Q1,100\n2025-Q2,100\n2025-Q3,100\n";

    /// `key: value` lines of a fixture's expect.txt.
    fn expectations(dir: &Path) -> BTreeMap<String, String> {
        let text = std::fs::read_to_string(dir.join("expect.txt"))
            .unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
        text.lines()
            .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
            .filter_map(|l| l.split_once(':'))
            .map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))
            .collect()
    }

    #[test]
    fn every_code_has_a_fixture_that_reports_it_where_expected() {
        for code in codes::ALL {
            let dir = fixtures().join("invalid").join(code);
            let expect = expectations(&dir);
            assert_eq!(expect["code"], code, "{}", dir.display());
            let workbook = match expect.get("workbook") {
                Some(sub) => dir.join(sub),
                None => dir.clone(),
            };
            let options = ReadOptions {
                strict: expect.get("strict").is_some_and(|s| s == "true"),
            };
            let list = validate(&workbook, &options);
            let file = match expect["file"].as_str() {
                "<workbook>" => workbook.display().to_string(),
                f => f.to_string(),
            };
            let line = match expect["line"].as_str() {
                "-" => None,
                l => Some(l.parse::<usize>().expect("line number")),
            };
            let column = match expect["column"].as_str() {
                "-" => None,
                c => Some(c.to_string()),
            };
            // Each fixture is otherwise clean: exactly its own diagnostic.
            assert_eq!(list.len(), 1, "{code}: {list:?}");
            let found = list
                .iter()
                .find(|d| d.code == code && d.file == file && d.line == line && d.column == column);
            let Some(found) = found else {
                let text: Vec<String> = list.iter().map(ToString::to_string).collect();
                panic!(
                    "{code}: no {code} at {file} line {line:?} column {column:?}; got:\n{}",
                    text.join("\n")
                );
            };
            let severity = if code.starts_with('E') {
                Severity::Error
            } else {
                Severity::Warning
            };
            assert_eq!(found.severity, severity, "{code}");
            assert!(
                found.message.contains(&expect["mentions"]),
                "{code}: message '{}' does not name '{}'",
                found.message,
                expect["mentions"]
            );
            if let Some(value) = expect.get("value") {
                assert_eq!(found.value.as_deref(), Some(value.as_str()), "{code}");
            }
            let first = found.message.chars().next().unwrap_or(' ');
            assert!(!first.is_uppercase(), "{code}: message not lowercase");
            assert!(!found.fix.is_empty(), "{code}: no fix");
            // read_workbook agrees: errors fail the read, warnings come back with it.
            match read_workbook(&workbook, &options) {
                Err(Error::Invalid(all)) => {
                    assert_eq!(all, list, "{code}");
                    assert_eq!(all[0].severity, Severity::Error, "{code}");
                }
                Ok(loaded) => {
                    assert_eq!(severity, Severity::Warning, "{code} did not fail the read");
                    assert_eq!(loaded.warnings, list, "{code}");
                }
                Err(err) => panic!("{code}: {err}"),
            }
        }
    }

    #[test]
    fn codes_are_unique_documented_and_have_fixtures_only() {
        let unique: BTreeSet<&str> = codes::ALL.iter().copied().collect();
        assert_eq!(unique.len(), codes::ALL.len());
        let docs = std::fs::read_to_string(
            Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/validation.md"),
        )
        .expect("docs/validation.md");
        for code in codes::ALL {
            assert!(docs.contains(&format!("| {code} |")), "{code} not in docs");
        }
        let entries = std::fs::read_dir(fixtures().join("invalid")).expect("fixtures");
        for entry in entries.flatten() {
            let name = entry.file_name().to_string_lossy().to_string();
            if entry.path().is_dir() {
                assert!(unique.contains(name.as_str()), "fixture {name} has no code");
            }
        }
    }

    #[test]
    fn french_excel_export_reads_untouched() {
        let french = match read_workbook(&fixtures().join("french"), &ReadOptions::default()) {
            Ok(loaded) => loaded,
            Err(err) => panic!("{err}: {err:?}"),
        };
        assert!(french.warnings.is_empty(), "{:?}", french.warnings);
        let plain = loaded(&[
            (
                "projects.csv",
                "id,name,cost,duration,value,earliest_start,latest_start,status,category,requires,excludes,after,impact,risque\n\
                 P-1,Refonte du site,1234.5,2,10000,,,candidate,Digital,,,,4,2\n\
                 P-2,Nouvel ERP,12500,3,25000.5,T1 2025,T2 2025,mandatory,Finance,,,,3.5,1\n\
                 P-3,Migration « cloud »,2000.25,1,4000,,,in_progress,Digital,,,,2,0\n\
                 P-4,Appli mobile,3000,2,8000,,,candidate,Digital,P-1,P-3,P-2,5,3\n",
            ),
            ("drivers.csv", "driver,weight\nImpact,0.6\nrisque,0.4\n"),
            (
                "budget.csv",
                "period,amount,category\nT1 2025,20000,\nT2 2025,20000,\nT3 2025,20000,\nT4 2025,20000,\n\
                 T1 2025,5000.5,Digital\nT2 2025,5000.5,Digital\nT4 2025,5000.5,Digital\n",
            ),
            (
                "capacity.csv",
                "pool,period,fte\nDév,T1 2025,2.5\nDév,T2 2025,2.5\nDév,T3 2025,3\nDév,T4 2025,3\n",
            ),
            (
                "demand.csv",
                "project,pool,fte,offset\nP-1,Dév,0.5,\nP-2,Dév,1,0\nP-2,Dév,1.5,1\nP-2,Dév,0.5,2\n",
            ),
            ("costs.csv", "project,offset,amount\nP-2,0,2500\nP-2,1,5000\nP-2,2,5000\n"),
            ("balance.csv", "category,min_share,max_share\nDigital,0.1,0.6\n"),
        ]);
        // Driver names keep their spelling in drivers.csv; everything else is equal.
        assert_eq!(french.workbook, plain.workbook);
        let wb = &french.workbook;
        assert_eq!(wb.periods, ["T1 2025", "T2 2025", "T3 2025", "T4 2025"]);
        assert_eq!(wb.projects[0].cost, 1234.5);
        assert_eq!(wb.projects[1].value, 25000.5);
        assert_eq!(wb.projects[2].cost, 2000.25);
        assert_eq!(wb.projects[2].status, Status::InProgress);
        assert_eq!(wb.projects[1].cost_profile, [2500.0, 5000.0, 5000.0]);
        assert_eq!(wb.pools, ["Dév"]);
        assert_eq!(wb.capacity, [vec![2.5, 2.5, 3.0, 3.0]]);
        assert_eq!(wb.categories, ["Digital", "Finance"]);
        assert_eq!(
            wb.budget_category[&0],
            [Some(5000.5), Some(5000.5), None, Some(5000.5)]
        );
        assert_eq!(wb.budget_total, [Some(20000.0); 4]);
        assert_eq!(wb.projects[3].requires, [0]);
        assert_eq!(wb.projects[3].excludes, [2]);
        assert_eq!(wb.projects[3].after, [1]);
        assert_eq!(wb.projects[1].scores, [3.5, 1.0]);
        assert!((wb.drivers[0].weight - 0.6).abs() < 1e-12);
    }

    #[test]
    fn a_valid_workbook_is_fully_resolved() {
        let l = loaded(&[
            (
                "projects.csv",
                "id,name,cost,duration,value,earliest_start,latest_start,status,category,requires,excludes,after,cost_low,value_high\n\
                 A,Alpha,90,3,10,,,,IT,B,,,80,\n\
                 B,,40,1,5,2025-Q2,,mandatory,Ops,,C,,,7\n\
                 C,,20,2,3,,2025-Q1,,IT,,,B,,\n\
                 D,,10,5,1,,,excluded,,,,,,\n",
            ),
            ("budget.csv", "period,amount,category\n2025-Q1,100,\n2025-Q2,100,*\n2025-Q3,50,IT\n2025-Q4,100,\n"),
            ("capacity.csv", "pool,2025-Q1,2025-Q2,2025-Q3,2025-Q4\ndev,2,2,2,2\n"),
            ("demand.csv", "project,pool,fte,offset\nA,dev,1,\nC,dev,0.5,1\n"),
            ("balance.csv", "category,min_share,max_share\nIT,0.2,\n"),
        ]);
        assert!(l.warnings.is_empty(), "{:?}", l.warnings);
        let wb = &l.workbook;
        assert_eq!(wb.periods, ["2025-Q1", "2025-Q2", "2025-Q3", "2025-Q4"]);
        let a = &wb.projects[0];
        assert_eq!((a.earliest, a.latest), (0, 1));
        assert_eq!(a.cost_profile, [30.0, 30.0, 30.0]);
        assert_eq!(
            (a.cost_low, a.cost_high, a.value_low, a.value_high),
            (80.0, 90.0, 10.0, 10.0)
        );
        assert_eq!(a.requires, [1]);
        assert_eq!(
            a.demand,
            [Demand {
                pool: 0,
                fte: vec![1.0; 3]
            }]
        );
        let b = &wb.projects[1];
        assert_eq!(b.name, "B");
        assert_eq!((b.earliest, b.latest), (1, 3));
        assert_eq!(b.status, Status::Mandatory);
        assert_eq!(b.value_high, 7.0);
        assert_eq!(b.excludes, [2]);
        let c = &wb.projects[2];
        assert_eq!((c.earliest, c.latest), (0, 0));
        assert_eq!(c.after, [1]);
        assert_eq!(
            c.demand,
            [Demand {
                pool: 0,
                fte: vec![0.0, 0.5]
            }]
        );
        let d = &wb.projects[3];
        assert_eq!(d.status, Status::Excluded);
        assert_eq!((d.earliest, d.latest), (0, 0));
        assert_eq!(wb.categories, ["IT", "Ops"]);
        assert_eq!(wb.projects[0].category, Some(0));
        assert_eq!(wb.projects[3].category, None);
        assert_eq!(
            wb.budget_total,
            [Some(100.0), Some(100.0), None, Some(100.0)]
        );
        assert_eq!(wb.budget_category[&0], [None, None, Some(50.0), None]);
        assert_eq!(
            wb.balance,
            [Balance {
                category: 0,
                min_share: 0.2,
                max_share: 1.0
            }]
        );
        assert_eq!(wb.weight_source, WeightSource::None);
    }

    #[test]
    fn every_problem_is_reported_at_once_errors_first() {
        let list = diagnostics(&[
            (
                "projects.csv",
                "id,cost,duration,colour\nP-1,-1,2,red\nP-2,x,0,\nP-1,5,1,\n",
            ),
            ("budget.csv", BUDGET),
            ("demand.csv", "project,pool,fte\nP-7,dev,1\n"),
        ]);
        assert_eq!(
            codes_of(&list),
            [
                codes::OUT_OF_RANGE,
                codes::NOT_A_NUMBER,
                codes::NOT_INTEGER,
                codes::DUPLICATE_KEY,
                codes::UNKNOWN_PROJECT,
                codes::UNKNOWN_POOL,
                codes::UNKNOWN_COLUMN,
            ]
        );
        let lines: Vec<Option<usize>> = list.iter().map(|d| d.line).collect();
        assert_eq!(
            lines,
            [
                Some(2),
                Some(3),
                Some(3),
                Some(4),
                Some(2),
                Some(2),
                Some(1)
            ]
        );
        assert!(
            list[5].message.contains("no capacity.csv"),
            "{}",
            list[5].message
        );
    }

    #[test]
    fn pairwise_gives_ahp_weights_and_driver_columns_ignore_case() {
        let l = loaded(&[
            ("projects.csv", "id,cost,Strategic Fit,RISK,Cost_Saving\nP,1,3,2,1\n"),
            (
                "pairwise.csv",
                "driver_a,driver_b,ratio\nstrategic_fit,risk,3\nstrategic-fit,cost saving,5\ncost saving,risk,1/3\n",
            ),
            ("budget.csv", BUDGET),
        ]);
        let wb = &l.workbook;
        let names: Vec<&str> = wb.drivers.iter().map(|d| d.name.as_str()).collect();
        assert_eq!(names, ["strategic_fit", "risk", "cost saving"]);
        assert!((wb.drivers[0].weight - 0.6370).abs() < 1e-3);
        assert!((wb.drivers[1].weight - 0.2583).abs() < 1e-3);
        let WeightSource::Pairwise {
            consistency_ratio,
            lambda_max,
            ..
        } = wb.weight_source
        else {
            panic!("{:?}", wb.weight_source)
        };
        assert!((consistency_ratio - 0.0332).abs() < 1e-3);
        assert!((lambda_max - 3.0385).abs() < 1e-3);
        assert_eq!(wb.projects[0].scores, [3.0, 2.0, 1.0]);
    }

    #[test]
    fn inconsistent_pairwise_is_a_warning_unless_strict() {
        let files = [
            ("projects.csv", "id,cost,a,b,c\nP,1,1,1,1\n"),
            (
                "pairwise.csv",
                "driver_a,driver_b,ratio\na,b,9\nb,c,9\nc,a,9\n",
            ),
            ("budget.csv", BUDGET),
        ];
        let l = loaded(&files);
        assert_eq!(
            codes_of(&l.warnings),
            [codes::INCONSISTENT_PAIRWISE_WARNING]
        );
        let dir = folder(&files);
        let strict = ReadOptions { strict: true };
        match read_workbook(dir.path(), &strict) {
            Err(Error::Invalid(list)) => {
                assert_eq!(codes_of(&list), [codes::INCONSISTENT_PAIRWISE]);
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn drivers_weights_are_normalised() {
        let l = loaded(&[
            ("projects.csv", "id,cost,fit,risk\nP,1,4,\n"),
            ("drivers.csv", "driver,weight\nFit,3\nRisk,1\n"),
            ("budget.csv", BUDGET),
        ]);
        assert_eq!(l.workbook.drivers[0].weight, 0.75);
        assert_eq!(l.workbook.projects[0].scores, [4.0, 0.0]);
        assert!(matches!(
            l.workbook.weight_source,
            WeightSource::Weights { .. }
        ));
    }

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
                "id,cost,duration,status,earliest_start,latest_start\nX,1,9,excluded,,\nY,1,2,excluded,2025-Q3,2025-Q1\n",
            ),
            ("budget.csv", BUDGET),
        ]);
        assert!(l.warnings.is_empty(), "{:?}", l.warnings);
        let p = &l.workbook.projects;
        assert_eq!((p[0].earliest, p[0].latest), (0, 0));
        assert_eq!((p[1].earliest, p[1].latest), (0, 1));
    }

    #[test]
    fn requires_cycles_are_allowed_after_cycles_are_not() {
        let l = loaded(&[
            ("projects.csv", "id,cost,requires\nA,1,B\nB,1,A\n"),
            ("budget.csv", BUDGET),
        ]);
        assert_eq!(l.workbook.projects[0].requires, [1]);
        let list = diagnostics(&[
            ("projects.csv", "id,cost,after\nA,1,\nB,1,C\nC,1,B\n"),
            ("budget.csv", BUDGET),
        ]);
        assert_eq!(codes_of(&list), [codes::AFTER_CYCLE]);
        assert!(list[0].message.contains("B → C → B"), "{}", list[0].message);
        assert_eq!(list[0].line, Some(3));
    }

    #[test]
    fn teams_are_ignored_without_warning() {
        let l = loaded(&[
            ("projects.csv", "id,cost\nP,1\n"),
            ("budget.csv", BUDGET),
            ("teams.csv", "team,skill\nnot,read\n"),
        ]);
        assert!(l.warnings.is_empty());
        assert!(l.scenarios.is_empty());
    }

    #[test]
    fn capacity_defines_the_horizon_without_budget() {
        let l = loaded(&[
            ("projects.csv", "id,cost\nP,1\n"),
            (
                "capacity.csv",
                "pool,period,fte\ndev,M2,1\ndev,M1,1\nqa,M3,1\nqa,M2,1\nqa,M1,1\n",
            ),
        ]);
        let wb = &l.workbook;
        assert_eq!(wb.periods, ["M2", "M1", "M3"]);
        assert_eq!(wb.pools, ["dev", "qa"]);
        assert_eq!(wb.capacity, [vec![1.0, 1.0, 0.0], vec![1.0, 1.0, 1.0]]);
        assert_eq!(wb.budget_total, [None; 3]);
        assert_eq!(codes_of(&l.warnings), [codes::PARTIAL_POOL]);
        assert!(l.warnings[0].message.contains("'M3'"));
    }

    #[test]
    fn capacity_periods_must_belong_to_the_budget_horizon() {
        let list = diagnostics(&[
            ("projects.csv", "id,cost\nP,1\n"),
            ("budget.csv", BUDGET),
            (
                "capacity.csv",
                "pool,2025-Q1,2025-Q2,2025-Q3,2026-Q1\ndev,1,1,1,1\n",
            ),
        ]);
        assert_eq!(codes_of(&list), [codes::UNKNOWN_PERIOD]);
        assert_eq!(list[0].file, "capacity.csv");
        assert_eq!(list[0].column.as_deref(), Some("2026-Q1"));
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

    #[test]
    fn wide_budget_and_duplicate_keys() {
        let list = diagnostics(&[
            ("projects.csv", "id,cost\nP,1\n"),
            ("budget.csv", "category,Q1,Q2\n,10,10\nIT,5,\n*,1,1\n"),
            (
                "capacity.csv",
                "pool,period,fte\ndev,Q1,1\ndev,Q1,2\ndev,Q2,1\n",
            ),
            ("costs.csv", "project,offset,amount\nP,0,1\nP,0,1\n"),
            (
                "demand.csv",
                "project,pool,fte,offset\nP,dev,1,0\nP,dev,1,0\n",
            ),
        ]);
        assert_eq!(codes_of(&list), [codes::DUPLICATE_KEY; 4]);
        let files: Vec<&str> = list.iter().map(|d| d.file.as_str()).collect();
        assert_eq!(
            files,
            ["budget.csv", "capacity.csv", "demand.csv", "costs.csv"]
        );
        assert!(list[0].message.contains("the total"));
        assert!(list[0].message.contains("first on line 2"));
    }

    #[test]
    fn numbers_reject_nan_and_infinity_with_the_value() {
        let list = diagnostics(&[
            ("projects.csv", "id,cost,value\nP,NaN,inf\n"),
            ("budget.csv", BUDGET),
        ]);
        assert_eq!(codes_of(&list), [codes::NOT_A_NUMBER; 2]);
        assert_eq!(list[0].value.as_deref(), Some("NaN"));
        assert!(list[1].message.contains("not a finite number"));
    }

    #[test]
    fn numbers_too_large_for_a_solver_are_refused() {
        let list = diagnostics(&[
            ("projects.csv", "id,cost\nA,1e308\nB,2e15\nC,1e15\n"),
            ("budget.csv", BUDGET),
        ]);
        assert_eq!(codes_of(&list), [codes::OUT_OF_RANGE; 2]);
        assert_eq!(list[0].value.as_deref(), Some("1e308"));
        assert_eq!(list[1].line, Some(3));
        assert!(list[0].fix.contains("1e15"), "{}", list[0].fix);
    }

    #[test]
    fn semicolon_files_with_decimal_commas_and_blank_rows() {
        let l = loaded(&[
            (
                "projects.csv",
                "\u{feff}ID ; COST ;Duration\r\n\r\nP;1.234,5;2\r\n;;\r\n",
            ),
            (
                "budget.csv",
                "period\tamount\n2025\t1 000,5\n2026\t2'000.25\n",
            ),
        ]);
        assert_eq!(l.workbook.projects[0].cost, 1234.5);
        assert_eq!(l.workbook.budget_total, [Some(1000.5), Some(2000.25)]);
    }

    #[test]
    fn a_broken_file_does_not_cascade() {
        // projects.csv lacks its id column: demand and costs must not all be unknown ids.
        let list = diagnostics(&[
            ("projects.csv", "name,cost\nP,1\n"),
            ("budget.csv", BUDGET),
            ("demand.csv", "project,pool,fte\nP,dev,1\n"),
        ]);
        assert_eq!(
            codes_of(&list),
            [codes::MISSING_COLUMN, codes::UNKNOWN_POOL]
        );
    }

    #[test]
    fn unnamed_columns_are_ignored_unless_they_hold_data() {
        let l = loaded(&[
            ("projects.csv", "id;cost;;\nP;1;;\n"),
            ("budget.csv", "period;amount\nQ1;5\nQ2;5\n"),
            ("capacity.csv", "pool;Q1;Q2;\ndev;1;1;7\n"),
        ]);
        assert_eq!(codes_of(&l.warnings), [codes::UNKNOWN_COLUMN]);
        assert_eq!(l.warnings[0].file, "capacity.csv");
        assert!(l.warnings[0].message.contains("column 4"));
        assert_eq!(l.workbook.capacity, [vec![1.0, 1.0]]);
    }
}
