//! The independent solution checker: given a workbook and a portfolio (a start period or
//! nothing per project), list every rule of the model (contract section 2) that the portfolio
//! breaks, and compute its objective.
//!
//! Everything here is computed straight from the [`Workbook`], sharing no code with the MILP
//! encoder, so that a bug in the encoder cannot hide itself: every solution the solver returns
//! passes through [`check`] before anyone sees it, and the property tests compare both with a
//! brute-force oracle.
//!
//! A limit holds when it is over by at most `1e-6 × max(1, |limit|)` (the contract's
//! tolerance). Spend and demand are counted per period: a project started in period `s` spends
//! `cost_profile[τ − s]` and needs `fte[τ − s]` of each pool in every period `τ` it runs, as
//! long as `τ` lies inside the horizon (an in-progress project may run past it; that part is
//! not counted).

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use crate::model::{Objective, Starts, Status, Workbook};

/// Relative tolerance of every limit (contract section 2).
const TOLERANCE: f64 = 1e-6;

/// Which rule a [`Violation`] breaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ViolationKind {
    /// The portfolio names a project the workbook does not have.
    UnknownProject,
    /// A start outside the project's window, or a project that runs past the horizon.
    Window,
    /// A mandatory or in-progress project left out, or an excluded one selected.
    Status,
    /// The total budget of a period is exceeded.
    TotalBudget,
    /// A category's budget of a period is exceeded.
    CategoryBudget,
    /// A pool's capacity of a period is exceeded.
    Capacity,
    /// A selected project lacks a project it requires.
    Requires,
    /// Two projects that exclude each other are both selected.
    Excludes,
    /// A project starts before a project it must follow has finished, or that one is out.
    After,
    /// A category's share of the portfolio's cost is outside its balance target.
    Balance,
    /// With teams.csv: a project's skill demand not covered exactly by the allocation.
    Coverage,
    /// With teams.csv: a team allocated beyond its capacity, or to a skill it does not
    /// serve, or to a project that is not running.
    Team,
}

/// One broken rule.
#[derive(Debug, Clone, PartialEq)]
pub struct Violation {
    /// Which rule.
    pub kind: ViolationKind,
    /// By how much a numeric limit is exceeded (money, FTE or money of the category share);
    /// `None` for a logical rule.
    pub excess: Option<f64>,
    /// Lowercase, concrete description naming ids, periods, pools and amounts.
    pub message: String,
}

impl Violation {
    fn rule(kind: ViolationKind, message: String) -> Violation {
        Violation {
            kind,
            excess: None,
            message,
        }
    }

    fn amount(kind: ViolationKind, excess: f64, message: String) -> Violation {
        Violation {
            kind,
            excess: Some(excess),
            message,
        }
    }
}

impl fmt::Display for Violation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

/// Whether `value` exceeds the upper `limit` by more than the tolerance.
fn exceeds(value: f64, limit: f64) -> bool {
    value - limit > TOLERANCE * limit.abs().max(1.0)
}

/// Whether `value` falls short of the lower `limit` by more than the tolerance.
fn falls_short(value: f64, limit: f64) -> bool {
    limit - value > TOLERANCE * limit.abs().max(1.0)
}

/// A number for a message: at least one decimal, at most nine, trailing zeros trimmed.
fn num(x: f64) -> String {
    let text = format!("{x:.9}");
    let text = text.trim_end_matches('0');
    if text.ends_with('.') {
        format!("{text}0")
    } else {
        text.to_string()
    }
}

/// A percentage for a message.
fn pct(share: f64) -> String {
    format!("{}%", num(share * 100.0))
}

/// The label of period `t` (or a placeholder past the horizon).
fn period(workbook: &Workbook, t: usize) -> String {
    match workbook.periods.get(t) {
        Some(label) => label.clone(),
        None => format!("period #{} (past the horizon)", t + 1),
    }
}

/// The id of project `p` (or a placeholder for an index the workbook does not have).
fn id(workbook: &Workbook, p: usize) -> String {
    match workbook.projects.get(p) {
        Some(project) => project.id.clone(),
        None => format!("unknown project #{}", p + 1),
    }
}

fn pool(workbook: &Workbook, k: usize) -> String {
    match workbook.pools.get(k) {
        Some(name) => format!("'{name}'"),
        None => format!("#{}", k + 1),
    }
}

fn category(workbook: &Workbook, c: usize) -> String {
    match workbook.categories.get(c) {
        Some(name) => format!("'{name}'"),
        None => format!("#{}", c + 1),
    }
}

/// The selected projects with their starts: `(project index, start)`, only for projects the
/// workbook has.
fn selected<'a>(
    workbook: &'a Workbook,
    starts: &'a Starts,
) -> impl Iterator<Item = (usize, usize)> + 'a {
    starts
        .iter()
        .take(workbook.projects.len())
        .enumerate()
        .filter_map(|(p, s)| s.map(|s| (p, s)))
}

/// Start of project `p`, `None` when out (or when the portfolio has no entry for it).
fn start_of(starts: &Starts, p: usize) -> Option<usize> {
    starts.get(p).copied().flatten()
}

/// Add `profile[τ − start]` into `into[τ]` for every offset of the project's duration that
/// falls inside the horizon (`into.len()`).
fn spread(into: &mut [f64], start: usize, duration: usize, profile: &[f64]) {
    for (offset, amount) in profile.iter().take(duration).enumerate() {
        let Some(t) = start.checked_add(offset) else {
            break;
        };
        match into.get_mut(t) {
            Some(slot) => *slot += amount,
            None => break,
        }
    }
}

/// Spend of the portfolio per period, in total and per category (`[category][period]`).
fn spend(workbook: &Workbook, starts: &Starts) -> (Vec<f64>, Vec<Vec<f64>>) {
    let horizon = workbook.horizon();
    let mut total = vec![0.0; horizon];
    let mut by_category = vec![vec![0.0; horizon]; workbook.categories.len()];
    for (p, s) in selected(workbook, starts) {
        let project = &workbook.projects[p];
        spread(&mut total, s, project.duration, &project.cost_profile);
        if let Some(row) = project.category.and_then(|c| by_category.get_mut(c)) {
            spread(row, s, project.duration, &project.cost_profile);
        }
    }
    (total, by_category)
}

/// Every rule of the model that `starts` breaks, in a fixed order: unknown projects, windows,
/// statuses, total budgets, category budgets, capacities, requires, excludes, after, balance.
/// An empty list means the portfolio is feasible.
pub fn check(workbook: &Workbook, starts: &Starts) -> Vec<Violation> {
    let mut found = Vec::new();
    check_unknown(workbook, starts, &mut found);
    check_windows(workbook, starts, &mut found);
    check_status(workbook, starts, &mut found);
    check_budgets(workbook, starts, &mut found);
    check_capacity(workbook, starts, &mut found);
    check_links(workbook, starts, &mut found);
    check_balance(workbook, starts, &mut found);
    found
}

/// With teams.csv, the certificate that a portfolio can be staffed: every rule that
/// `allocation` breaks for `starts` — a team on a skill it does not serve, on a project that
/// is not running then, over its capacity in a period, or a project's skill demand in a
/// period not covered exactly (Σ efficiency × FTE = demand). Empty without teams.csv only
/// when the allocation is empty too.
pub fn check_allocation(
    workbook: &Workbook,
    starts: &Starts,
    allocation: &[super::Assignment],
) -> Vec<Violation> {
    let mut found = Vec::new();
    let Some(staffing) = &workbook.staffing else {
        if !allocation.is_empty() {
            found.push(Violation::rule(
                ViolationKind::Team,
                "the portfolio allocates teams, but the workbook has no teams.csv".into(),
            ));
        }
        return found;
    };
    let horizon = workbook.horizon();
    let team_name = |k: usize| {
        staffing
            .teams
            .get(k)
            .map_or(format!("#{}", k + 1), |n| format!("'{n}'"))
    };
    // What each (project, skill, period) needs, from the model.
    let mut need: BTreeMap<(usize, usize, usize), f64> = BTreeMap::new();
    for (p, s) in selected(workbook, starts) {
        for demand in &workbook.projects[p].demand {
            for (offset, &fte) in demand.fte.iter().enumerate() {
                if s + offset < horizon && fte != 0.0 {
                    *need.entry((p, demand.pool, s + offset)).or_default() += fte;
                }
            }
        }
    }
    let mut covered: BTreeMap<(usize, usize, usize), f64> = BTreeMap::new();
    let mut used: BTreeMap<(usize, usize), f64> = BTreeMap::new();
    for a in allocation {
        let serve = staffing
            .serves
            .iter()
            .find(|s| s.team == a.team && s.skill == a.skill);
        let Some(serve) = serve else {
            found.push(Violation::rule(
                ViolationKind::Team,
                format!(
                    "team {} works on skill {} of {} in {}, but teams.csv does not give it that skill",
                    team_name(a.team),
                    pool(workbook, a.skill),
                    id(workbook, a.project),
                    period(workbook, a.period)
                ),
            ));
            continue;
        };
        if !need.contains_key(&(a.project, a.skill, a.period)) || a.fte < 0.0 {
            found.push(Violation::rule(
                ViolationKind::Team,
                format!(
                    "team {} gives {} FTE of skill {} to {} in {}, which does not need it then",
                    team_name(a.team),
                    num(a.fte),
                    pool(workbook, a.skill),
                    id(workbook, a.project),
                    period(workbook, a.period)
                ),
            ));
            continue;
        }
        *covered.entry((a.project, a.skill, a.period)).or_default() += serve.efficiency * a.fte;
        *used.entry((a.team, a.period)).or_default() += a.fte;
    }
    for (&(p, skill, t), &fte) in &need {
        let got = covered.get(&(p, skill, t)).copied().unwrap_or(0.0);
        if exceeds(got, fte) || falls_short(got, fte) {
            found.push(Violation::amount(
                ViolationKind::Coverage,
                (fte - got).abs(),
                format!(
                    "{} needs {} FTE of skill {} in {}, the teams cover {}",
                    id(workbook, p),
                    num(fte),
                    pool(workbook, skill),
                    period(workbook, t),
                    num(got)
                ),
            ));
        }
    }
    for (&(team, t), &fte) in &used {
        let available = staffing
            .capacity
            .get(team)
            .and_then(|row| row.get(t))
            .copied()
            .unwrap_or(0.0);
        if exceeds(fte, available) {
            found.push(Violation::amount(
                ViolationKind::Team,
                fte - available,
                format!(
                    "capacity of team {} in {}: {} FTE allocated, {} available",
                    team_name(team),
                    period(workbook, t),
                    num(fte),
                    num(available)
                ),
            ));
        }
    }
    found
}

fn check_unknown(workbook: &Workbook, starts: &Starts, found: &mut Vec<Violation>) {
    let known = workbook.projects.len();
    for (p, s) in starts.iter().enumerate().skip(known) {
        if let Some(s) = s {
            found.push(Violation::rule(
                ViolationKind::UnknownProject,
                format!(
                    "the portfolio starts project #{} in {}, but the workbook has only {known} project(s)",
                    p + 1,
                    period(workbook, *s)
                ),
            ));
        }
    }
}

fn check_windows(workbook: &Workbook, starts: &Starts, found: &mut Vec<Violation>) {
    let horizon = workbook.horizon();
    for (p, s) in selected(workbook, starts) {
        let project = &workbook.projects[p];
        if project.status == Status::InProgress {
            // Already running: starts at the first period; may run past the horizon.
            if s != 0 {
                found.push(Violation::rule(
                    ViolationKind::Window,
                    format!(
                        "{} is in progress and must start in {}, but starts in {}",
                        project.id,
                        period(workbook, 0),
                        period(workbook, s)
                    ),
                ));
            }
            continue;
        }
        if s < project.earliest || s > project.latest {
            found.push(Violation::rule(
                ViolationKind::Window,
                format!(
                    "{} starts in {}, outside its window {} to {}",
                    project.id,
                    period(workbook, s),
                    period(workbook, project.earliest),
                    period(workbook, project.latest)
                ),
            ));
        }
        let end = s.saturating_add(project.duration);
        if end > horizon {
            found.push(Violation::rule(
                ViolationKind::Window,
                format!(
                    "{} starts in {} and runs {} period(s), past the end of the horizon ({})",
                    project.id,
                    period(workbook, s),
                    project.duration,
                    match horizon {
                        0 => "empty".to_string(),
                        h => period(workbook, h - 1),
                    }
                ),
            ));
        }
    }
}

fn check_status(workbook: &Workbook, starts: &Starts, found: &mut Vec<Violation>) {
    for (p, project) in workbook.projects.iter().enumerate() {
        let is_selected = start_of(starts, p).is_some();
        let problem = match project.status {
            Status::Mandatory if !is_selected => Some("is mandatory but out"),
            Status::InProgress if !is_selected => Some("is in progress but out"),
            Status::Excluded if is_selected => Some("is excluded but selected"),
            _ => None,
        };
        if let Some(problem) = problem {
            found.push(Violation::rule(
                ViolationKind::Status,
                format!("{} {problem}", project.id),
            ));
        }
    }
}

fn check_budgets(workbook: &Workbook, starts: &Starts, found: &mut Vec<Violation>) {
    let (total, by_category) = spend(workbook, starts);
    for (t, spent) in total.iter().enumerate() {
        if let Some(Some(cap)) = workbook.budget_total.get(t) {
            if exceeds(*spent, *cap) {
                found.push(Violation::amount(
                    ViolationKind::TotalBudget,
                    spent - cap,
                    format!(
                        "total budget in {}: {} spent, {} available",
                        period(workbook, t),
                        num(*spent),
                        num(*cap)
                    ),
                ));
            }
        }
    }
    for (&c, caps) in &workbook.budget_category {
        for (t, cap) in caps.iter().enumerate().take(workbook.horizon()) {
            let Some(cap) = cap else { continue };
            let spent = by_category
                .get(c)
                .and_then(|row| row.get(t))
                .copied()
                .unwrap_or(0.0);
            if exceeds(spent, *cap) {
                found.push(Violation::amount(
                    ViolationKind::CategoryBudget,
                    spent - cap,
                    format!(
                        "budget of category {} in {}: {} spent, {} available",
                        category(workbook, c),
                        period(workbook, t),
                        num(spent),
                        num(*cap)
                    ),
                ));
            }
        }
    }
}

fn check_capacity(workbook: &Workbook, starts: &Starts, found: &mut Vec<Violation>) {
    let horizon = workbook.horizon();
    // Keyed by pool index, so that a pool named by demand but missing from the workbook is
    // counted too (capacity 0) and an inconsistent model cannot pass silently.
    let mut load: BTreeMap<usize, Vec<f64>> = (0..workbook.pools.len())
        .map(|k| (k, vec![0.0; horizon]))
        .collect();
    for (p, s) in selected(workbook, starts) {
        let project = &workbook.projects[p];
        for demand in &project.demand {
            let row = load
                .entry(demand.pool)
                .or_insert_with(|| vec![0.0; horizon]);
            spread(row, s, project.duration, &demand.fte);
        }
    }
    for (&k, row) in &load {
        for (t, allocated) in row.iter().enumerate() {
            let available = workbook
                .capacity
                .get(k)
                .and_then(|caps| caps.get(t))
                .copied()
                .unwrap_or(0.0);
            if exceeds(*allocated, available) {
                found.push(Violation::amount(
                    ViolationKind::Capacity,
                    allocated - available,
                    format!(
                        "capacity of pool {} in {}: {} FTE allocated, {} available",
                        pool(workbook, k),
                        period(workbook, t),
                        num(*allocated),
                        num(available)
                    ),
                ));
            }
        }
    }
}

fn check_links(workbook: &Workbook, starts: &Starts, found: &mut Vec<Violation>) {
    let project_count = workbook.projects.len();
    for (p, _) in selected(workbook, starts) {
        for &q in &workbook.projects[p].requires {
            if start_of(starts, q).is_none() || q >= project_count {
                found.push(Violation::rule(
                    ViolationKind::Requires,
                    format!(
                        "{} requires {}, which is out",
                        id(workbook, p),
                        id(workbook, q)
                    ),
                ));
            }
        }
    }

    // Symmetric: a pair is reported once, whichever side (or both) wrote it.
    let mut pairs = BTreeSet::new();
    for (p, _) in selected(workbook, starts) {
        for &q in &workbook.projects[p].excludes {
            if q < project_count && q != p && start_of(starts, q).is_some() {
                pairs.insert((p.min(q), p.max(q)));
            }
        }
    }
    for (a, b) in pairs {
        found.push(Violation::rule(
            ViolationKind::Excludes,
            format!(
                "{} and {} exclude each other, but both are selected",
                id(workbook, a),
                id(workbook, b)
            ),
        ));
    }

    for (p, s) in selected(workbook, starts) {
        let project = &workbook.projects[p];
        if project.status == Status::InProgress {
            // The contract ignores `after` on in-progress work.
            continue;
        }
        for &q in &project.after {
            let q_start = if q < project_count {
                start_of(starts, q)
            } else {
                None
            };
            let Some(q_start) = q_start else {
                found.push(Violation::rule(
                    ViolationKind::After,
                    format!(
                        "{} comes after {}, which is out",
                        project.id,
                        id(workbook, q)
                    ),
                ));
                continue;
            };
            let ready = q_start.saturating_add(workbook.projects[q].duration);
            if s < ready {
                found.push(Violation::rule(
                    ViolationKind::After,
                    format!(
                        "{} starts in {}, before {} finishes (it may start in {} at the earliest)",
                        project.id,
                        period(workbook, s),
                        id(workbook, q),
                        period(workbook, ready)
                    ),
                ));
            }
        }
    }
}

fn check_balance(workbook: &Workbook, starts: &Starts, found: &mut Vec<Violation>) {
    if workbook.balance.is_empty() {
        return;
    }
    let (total, by_category) = spend(workbook, starts);
    let portfolio: f64 = total.iter().sum();
    for target in &workbook.balance {
        let cost: f64 = by_category
            .get(target.category)
            .map(|row| row.iter().sum())
            .unwrap_or(0.0);
        let share = if portfolio > 0.0 {
            cost / portfolio
        } else {
            0.0
        };
        // Linear forms, as the model states them; an empty portfolio (total 0) satisfies
        // both.
        let low = target.min_share * portfolio;
        let high = target.max_share * portfolio;
        if falls_short(cost, low) {
            found.push(Violation::amount(
                ViolationKind::Balance,
                low - cost,
                format!(
                    "balance of category {}: {} of {} spent inside the horizon ({}), at least {} required",
                    category(workbook, target.category),
                    num(cost),
                    num(portfolio),
                    pct(share),
                    pct(target.min_share)
                ),
            ));
        }
        if exceeds(cost, high) {
            found.push(Violation::amount(
                ViolationKind::Balance,
                cost - high,
                format!(
                    "balance of category {}: {} of {} spent inside the horizon ({}), at most {} allowed",
                    category(workbook, target.category),
                    num(cost),
                    num(portfolio),
                    pct(share),
                    pct(target.max_share)
                ),
            ));
        }
    }
}

/// Objective of a portfolio: Σ over selected projects of `workbook.score(p, objective)` ×
/// (1 + discount)^(−start). Entries for projects the workbook does not have are ignored.
pub fn objective(workbook: &Workbook, starts: &Starts, objective: Objective, discount: f64) -> f64 {
    selected(workbook, starts)
        .map(|(p, s)| {
            let factor = if discount == 0.0 {
                1.0
            } else {
                (1.0 + discount).powf(-(s as f64))
            };
            workbook.score(p, objective) * factor
        })
        .sum()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Balance, Demand, Driver, Project, WeightSource};

    fn project(id: &str, duration: usize, profile: &[f64]) -> Project {
        assert_eq!(profile.len(), duration);
        let cost = profile.iter().sum();
        Project {
            cost_profile: profile.to_vec(),
            ..Project::candidate(id, cost, duration, 10.0, 4usize.saturating_sub(duration))
        }
    }

    /// Four quarters, three one-period projects P-1..P-3 costing 10 each, no limits.
    fn workbook() -> Workbook {
        Workbook {
            periods: ["2027-Q1", "2027-Q2", "2027-Q3", "2027-Q4"]
                .iter()
                .map(|s| s.to_string())
                .collect(),
            projects: vec![
                project("P-1", 1, &[10.0]),
                project("P-2", 1, &[10.0]),
                project("P-3", 1, &[10.0]),
            ],
            drivers: vec![],
            weight_source: WeightSource::None,
            pools: vec![],
            capacity: vec![],
            budget_total: vec![None; 4],
            categories: vec![],
            budget_category: BTreeMap::new(),
            balance: vec![],
            staffing: None,
        }
    }

    fn messages(workbook: &Workbook, starts: &Starts) -> Vec<String> {
        check(workbook, starts)
            .iter()
            .map(|v| v.to_string())
            .collect()
    }

    fn kinds(workbook: &Workbook, starts: &Starts) -> Vec<ViolationKind> {
        check(workbook, starts).iter().map(|v| v.kind).collect()
    }

    #[test]
    fn empty_portfolio_of_candidates_is_feasible() {
        let wb = workbook();
        assert!(check(&wb, &vec![None; 3]).is_empty());
        assert!(check(&wb, &vec![]).is_empty());
    }

    #[test]
    fn unknown_project_is_reported() {
        let wb = workbook();
        let starts = vec![None, None, None, Some(1)];
        assert_eq!(
            messages(&wb, &starts),
            ["the portfolio starts project #4 in 2027-Q2, but the workbook has only 3 project(s)"]
        );
        // An explicit "out" entry past the end is harmless.
        assert!(check(&wb, &vec![None, None, None, None]).is_empty());
    }

    #[test]
    fn start_outside_window_is_reported() {
        let mut wb = workbook();
        wb.projects[0].earliest = 1;
        wb.projects[0].latest = 2;
        assert_eq!(
            messages(&wb, &vec![Some(0), None, None]),
            ["P-1 starts in 2027-Q1, outside its window 2027-Q2 to 2027-Q3"]
        );
        assert_eq!(
            kinds(&wb, &vec![Some(3), None, None]),
            [ViolationKind::Window]
        );
        assert!(check(&wb, &vec![Some(1), None, None]).is_empty());
        assert!(check(&wb, &vec![Some(2), None, None]).is_empty());
    }

    #[test]
    fn running_past_the_horizon_is_reported() {
        let mut wb = workbook();
        wb.projects[0] = project("P-1", 2, &[5.0, 5.0]);
        // A window wider than the model allows, to see the horizon rule on its own.
        wb.projects[0].latest = 3;
        assert_eq!(
            messages(&wb, &vec![Some(3), None, None]),
            ["P-1 starts in 2027-Q4 and runs 2 period(s), past the end of the horizon (2027-Q4)"]
        );
        assert!(check(&wb, &vec![Some(2), None, None]).is_empty());
    }

    #[test]
    fn in_progress_starts_first_and_may_run_past_the_horizon() {
        let mut wb = workbook();
        wb.projects[0] = project("P-1", 6, &[1.0; 6]);
        wb.projects[0].status = Status::InProgress;
        wb.projects[0].latest = 0;
        assert!(check(&wb, &vec![Some(0), None, None]).is_empty());
        assert_eq!(
            messages(&wb, &vec![Some(1), None, None]),
            ["P-1 is in progress and must start in 2027-Q1, but starts in 2027-Q2"]
        );
    }

    #[test]
    fn in_progress_spend_beyond_the_horizon_is_not_counted() {
        let mut wb = workbook();
        wb.projects[0] = project("P-1", 6, &[1.0, 1.0, 1.0, 1.0, 50.0, 50.0]);
        wb.projects[0].status = Status::InProgress;
        wb.projects[0].latest = 0;
        wb.budget_total = vec![Some(1.0); 4];
        assert!(check(&wb, &vec![Some(0), None, None]).is_empty());
        wb.budget_total[3] = Some(0.5);
        assert_eq!(
            messages(&wb, &vec![Some(0), None, None]),
            ["total budget in 2027-Q4: 1.0 spent, 0.5 available"]
        );
    }

    #[test]
    fn status_rules_are_reported() {
        let mut wb = workbook();
        wb.projects[0].status = Status::Mandatory;
        wb.projects[1].status = Status::InProgress;
        wb.projects[1].latest = 0;
        wb.projects[2].status = Status::Excluded;
        assert_eq!(
            messages(&wb, &vec![None, None, Some(0)]),
            [
                "P-1 is mandatory but out",
                "P-2 is in progress but out",
                "P-3 is excluded but selected"
            ]
        );
        assert!(check(&wb, &vec![Some(3), Some(0), None]).is_empty());
    }

    #[test]
    fn total_budget_is_checked_per_period_with_tolerance() {
        let mut wb = workbook();
        wb.projects[0] = project("P-1", 2, &[4.0, 6.0]);
        wb.budget_total = vec![None, Some(15.0), None, None];
        // P-1 from Q1 spends 6 in Q2; P-2 in Q2 spends 10: 16 > 15.
        let over = vec![Some(0), Some(1), None];
        assert_eq!(
            messages(&wb, &over),
            ["total budget in 2027-Q2: 16.0 spent, 15.0 available"]
        );
        assert_eq!(check(&wb, &over)[0].excess, Some(1.0));
        assert!(check(&wb, &vec![Some(1), Some(2), None]).is_empty());
        // Within the tolerance 1e-6 × 16: fine; beyond it: not.
        wb.budget_total[1] = Some(16.0 - 1e-6);
        assert!(check(&wb, &over).is_empty());
        wb.budget_total[1] = Some(16.0 - 1e-4);
        assert_eq!(kinds(&wb, &over), [ViolationKind::TotalBudget]);
    }

    #[test]
    fn category_budget_counts_only_its_projects() {
        let mut wb = workbook();
        wb.categories = vec!["growth".into(), "run".into()];
        wb.projects[0].category = Some(0);
        wb.projects[1].category = Some(0);
        wb.projects[2].category = Some(1);
        wb.budget_category
            .insert(0, vec![Some(10.0), Some(10.0), None, None]);
        assert_eq!(
            messages(&wb, &vec![Some(0), Some(0), Some(0)]),
            ["budget of category 'growth' in 2027-Q1: 20.0 spent, 10.0 available"]
        );
        assert!(check(&wb, &vec![Some(0), Some(1), Some(0)]).is_empty());
        // No cap in Q3.
        assert!(check(&wb, &vec![Some(2), Some(2), None]).is_empty());
    }

    #[test]
    fn capacity_is_checked_per_pool_and_period_with_profiles() {
        let mut wb = workbook();
        wb.pools = vec!["data".into(), "dev".into()];
        wb.capacity = vec![vec![2.0; 4], vec![1.0, 1.0, 0.0, 0.0]];
        wb.projects[0] = project("P-1", 2, &[5.0, 5.0]);
        wb.projects[0].demand = vec![Demand {
            pool: 0,
            fte: vec![1.0, 1.5],
        }];
        wb.projects[1].demand = vec![
            Demand {
                pool: 0,
                fte: vec![1.0],
            },
            Demand {
                pool: 1,
                fte: vec![0.5],
            },
        ];
        assert_eq!(
            messages(&wb, &vec![Some(0), Some(1), None]),
            ["capacity of pool 'data' in 2027-Q2: 2.5 FTE allocated, 2.0 available"]
        );
        assert!(check(&wb, &vec![Some(0), Some(0), None]).is_empty());
        // Pool 'dev' has no capacity in Q3.
        assert_eq!(
            messages(&wb, &vec![None, Some(2), None]),
            ["capacity of pool 'dev' in 2027-Q3: 0.5 FTE allocated, 0.0 available"]
        );
    }

    #[test]
    fn requires_is_checked_one_way() {
        let mut wb = workbook();
        wb.projects[2].requires = vec![0];
        assert_eq!(
            messages(&wb, &vec![None, None, Some(0)]),
            ["P-3 requires P-1, which is out"]
        );
        assert!(check(&wb, &vec![Some(1), None, Some(0)]).is_empty());
        assert!(check(&wb, &vec![Some(1), None, None]).is_empty());
    }

    #[test]
    fn requires_cycle_means_together() {
        let mut wb = workbook();
        wb.projects[0].requires = vec![1];
        wb.projects[1].requires = vec![0];
        assert!(check(&wb, &vec![Some(0), Some(3), None]).is_empty());
        assert!(check(&wb, &vec![None, None, None]).is_empty());
        assert_eq!(
            messages(&wb, &vec![None, Some(0), None]),
            ["P-2 requires P-1, which is out"]
        );
    }

    #[test]
    fn excludes_is_symmetric_and_reported_once() {
        let mut wb = workbook();
        wb.projects[1].excludes = vec![0];
        assert_eq!(
            messages(&wb, &vec![Some(0), Some(2), None]),
            ["P-1 and P-2 exclude each other, but both are selected"]
        );
        wb.projects[0].excludes = vec![1];
        assert_eq!(
            kinds(&wb, &vec![Some(0), Some(2), None]),
            [ViolationKind::Excludes]
        );
        assert!(check(&wb, &vec![Some(0), None, Some(1)]).is_empty());
        assert!(check(&wb, &vec![None, Some(0), Some(1)]).is_empty());
    }

    #[test]
    fn after_needs_the_other_selected_and_finished() {
        let mut wb = workbook();
        wb.projects[0] = project("P-1", 2, &[5.0, 5.0]);
        wb.projects[2].after = vec![0];
        assert_eq!(
            messages(&wb, &vec![None, None, Some(3)]),
            ["P-3 comes after P-1, which is out"]
        );
        assert_eq!(
            messages(&wb, &vec![Some(0), None, Some(1)]),
            ["P-3 starts in 2027-Q2, before P-1 finishes (it may start in 2027-Q3 at the earliest)"]
        );
        assert!(check(&wb, &vec![Some(0), None, Some(2)]).is_empty());
        assert!(check(&wb, &vec![Some(1), None, Some(3)]).is_empty());
        assert!(check(&wb, &vec![Some(1), None, None]).is_empty());
    }

    #[test]
    fn balance_shares_are_checked_inside_the_horizon() {
        let mut wb = workbook();
        wb.categories = vec!["growth".into()];
        wb.projects[0].category = Some(0);
        wb.balance = vec![Balance {
            category: 0,
            min_share: 0.4,
            max_share: 0.6,
        }];
        // Empty portfolio satisfies every share.
        assert!(check(&wb, &vec![None, None, None]).is_empty());
        // 10 of 20: 50 %.
        assert!(check(&wb, &vec![Some(0), Some(0), None]).is_empty());
        assert_eq!(
            messages(&wb, &vec![Some(0), Some(0), Some(0)]),
            ["balance of category 'growth': 10.0 of 30.0 spent inside the horizon (33.333333333%), at least 40.0% required"]
        );
        assert_eq!(
            messages(&wb, &vec![Some(0), None, None]),
            ["balance of category 'growth': 10.0 of 10.0 spent inside the horizon (100.0%), at most 60.0% allowed"]
        );
        assert_eq!(
            kinds(&wb, &vec![None, Some(1), None]),
            [ViolationKind::Balance]
        );
    }

    #[test]
    fn balance_ignores_spend_past_the_horizon() {
        let mut wb = workbook();
        wb.categories = vec!["growth".into()];
        wb.projects[0] = project("P-1", 6, &[1.0, 1.0, 1.0, 1.0, 100.0, 100.0]);
        wb.projects[0].status = Status::InProgress;
        wb.projects[0].latest = 0;
        wb.projects[0].category = Some(0);
        wb.balance = vec![Balance {
            category: 0,
            min_share: 0.0,
            max_share: 0.5,
        }];
        // 4 of 14 inside the horizon.
        assert!(check(&wb, &vec![Some(0), Some(0), None]).is_empty());
        assert_eq!(
            kinds(&wb, &vec![Some(0), None, None]),
            [ViolationKind::Balance]
        );
    }

    #[test]
    fn every_violation_is_listed() {
        let mut wb = workbook();
        wb.budget_total = vec![Some(5.0); 4];
        wb.projects[1].excludes = vec![0];
        wb.projects[2].requires = vec![0];
        wb.projects[0].status = Status::Excluded;
        let found = kinds(&wb, &vec![Some(0), Some(0), None]);
        assert_eq!(
            found,
            [
                ViolationKind::Status,
                ViolationKind::TotalBudget,
                ViolationKind::Excludes
            ]
        );
    }

    #[test]
    fn objective_discounts_by_start() {
        let mut wb = workbook();
        wb.projects[0].value = 10.0;
        wb.projects[1].value = 21.0;
        let starts = vec![Some(0), Some(2), None];
        assert_eq!(objective(&wb, &starts, Objective::Score, 0.0), 31.0);
        let discounted = objective(&wb, &starts, Objective::Score, 0.1);
        assert!((discounted - (10.0 + 21.0 / 1.21)).abs() < 1e-12);
        assert_eq!(
            objective(&wb, &vec![None, None, None], Objective::Score, 0.1),
            0.0
        );
    }

    #[test]
    fn objective_uses_driver_scores_unless_value_is_forced() {
        let mut wb = workbook();
        wb.drivers = vec![
            Driver {
                name: "growth".into(),
                weight: 0.75,
            },
            Driver {
                name: "risk".into(),
                weight: 0.25,
            },
        ];
        wb.weight_source = WeightSource::Weights { total: 1.0 };
        for p in &mut wb.projects {
            p.scores = vec![4.0, 8.0];
        }
        let starts = vec![Some(0), None, Some(1)];
        assert_eq!(objective(&wb, &starts, Objective::Score, 0.0), 10.0);
        assert_eq!(objective(&wb, &starts, Objective::Value, 0.0), 20.0);
    }

    #[test]
    fn numbers_in_messages_are_readable() {
        assert_eq!(num(2.0), "2.0");
        assert_eq!(num(2.5), "2.5");
        assert_eq!(num(1234.125), "1234.125");
        assert_eq!(num(0.1 + 0.2), "0.3");
        assert_eq!(num(-3.0), "-3.0");
    }
}
