//! Why no portfolio exists. First the direct causes: a period, pool or category budget that
//! mandatory and in-progress work alone overrun even at their most favourable starts, and
//! rules that forced work breaks by itself (two forced projects that exclude each other, a
//! forced project that needs an excluded one). When none of these explains it, a deletion
//! filter over the model's rule groups finds a small set of rules that cannot hold together:
//! each group is switched off in turn and stays off while the rest is still infeasible.

use std::collections::BTreeSet;
use std::time::Instant;

use super::backend::{run, RunSpec, RunStatus};
use super::encode::{Encoded, Group};
use super::SolveOptions;
use crate::model::{Status, Workbook};

/// One reason the workbook has no feasible portfolio.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Finding {
    /// Lowercase, concrete: names the period, pool, category or projects, and the amounts.
    pub message: String,
    /// How much the limit is overrun, in its unit (money or FTE), where that is known.
    pub over_by: Option<f64>,
}

/// The diagnosis of an infeasible workbook.
#[derive(Debug, Clone, PartialEq, Default, serde::Serialize)]
pub struct Diagnosis {
    pub findings: Vec<Finding>,
    /// True when the set of rules was proven irreducible (every rule in it is needed for the
    /// conflict); false when the search stopped early or the causes are direct overruns.
    pub minimal: bool,
}

/// Seconds the deletion filter may spend when the caller gave no time limit.
const FILTER_SECONDS: f64 = 30.0;

/// Explain why `workbook` has no feasible portfolio.
pub fn diagnose(workbook: &Workbook, options: &SolveOptions) -> Diagnosis {
    let mut findings = direct(workbook);
    if !findings.is_empty() {
        return Diagnosis {
            findings,
            minimal: false,
        };
    }
    let (groups, minimal) = deletion_filter(workbook, options);
    findings = groups
        .iter()
        .map(|g| Finding {
            message: describe(workbook, g),
            over_by: None,
        })
        .collect();
    if findings.is_empty() {
        findings.push(Finding {
            message:
                "no single rule explains it; the solver could not isolate the conflict in time"
                    .into(),
            over_by: None,
        });
    }
    Diagnosis { findings, minimal }
}

/// Overruns and broken rules of forced (mandatory and in-progress) work alone.
fn direct(workbook: &Workbook) -> Vec<Finding> {
    let horizon = workbook.horizon();
    let forced: Vec<usize> = (0..workbook.projects.len())
        .filter(|&p| workbook.projects[p].status.is_forced())
        .collect();
    // Least load a forced project puts on period τ over all its allowed starts.
    let least = |p: usize, profile: &[f64], period: usize| -> f64 {
        let project = &workbook.projects[p];
        let starts = if project.status == Status::InProgress {
            0..=0
        } else {
            project.earliest..=project.latest
        };
        starts
            .map(|t| {
                period
                    .checked_sub(t)
                    .and_then(|o| profile.get(o))
                    .copied()
                    .unwrap_or(0.0)
            })
            .fold(f64::INFINITY, f64::min)
    };
    let mut findings = Vec::new();
    let over = |need: f64, cap: f64| need > cap + 1e-6 * cap.abs().max(1.0);
    for period in 0..horizon {
        let label = &workbook.periods[period];
        if let Some(cap) = workbook.budget_total[period] {
            let need: f64 = forced
                .iter()
                .map(|&p| least(p, &workbook.projects[p].cost_profile, period))
                .sum();
            if over(need, cap) {
                findings.push(Finding {
                    message: format!(
                        "budget of {label}: mandatory and in-progress work needs at least {}, the budget is {} (over by {})",
                        amount(need),
                        amount(cap),
                        amount(need - cap)
                    ),
                    over_by: Some(need - cap),
                });
            }
        }
        for (&category, caps) in &workbook.budget_category {
            let Some(cap) = caps[period] else { continue };
            let need: f64 = forced
                .iter()
                .filter(|&&p| workbook.projects[p].category == Some(category))
                .map(|&p| least(p, &workbook.projects[p].cost_profile, period))
                .sum();
            if over(need, cap) {
                findings.push(Finding {
                    message: format!(
                        "budget of category '{}' in {label}: mandatory and in-progress work needs at least {}, the budget is {} (over by {})",
                        workbook.categories[category],
                        amount(need),
                        amount(cap),
                        amount(need - cap)
                    ),
                    over_by: Some(need - cap),
                });
            }
        }
        for (pool, name) in workbook.pools.iter().enumerate() {
            let cap = workbook.capacity[pool][period];
            let need: f64 = forced
                .iter()
                .filter_map(|&p| {
                    workbook.projects[p]
                        .demand
                        .iter()
                        .find(|d| d.pool == pool)
                        .map(|d| least(p, &d.fte, period))
                })
                .sum();
            if over(need, cap) {
                findings.push(Finding {
                    message: format!(
                        "capacity of pool '{name}' in {label}: mandatory and in-progress work needs at least {} FTE, {} FTE available (over by {} FTE)",
                        amount(need),
                        amount(cap),
                        amount(need - cap)
                    ),
                    over_by: Some(need - cap),
                });
            }
        }
        if workbook.staffing.is_some() {
            // With teams.csv: the least skill demand of forced work, against what no split of
            // the teams' FTE can cover.
            let need: Vec<f64> = (0..workbook.pools.len())
                .map(|skill| {
                    forced
                        .iter()
                        .filter_map(|&p| {
                            workbook.projects[p]
                                .demand
                                .iter()
                                .find(|d| d.pool == skill)
                                .map(|d| least(p, &d.fte, period))
                        })
                        .sum()
                })
                .collect();
            let total: f64 = need.iter().sum();
            let short = super::staff_shortfall(workbook, &need, period).unwrap_or(0.0);
            if short > 1e-6 * total.max(1.0) {
                let skills: Vec<String> = need
                    .iter()
                    .enumerate()
                    .filter(|(_, &d)| d > 0.0)
                    .map(|(k, d)| format!("{} FTE of '{}'", amount(*d), workbook.pools[k]))
                    .collect();
                findings.push(Finding {
                    message: format!(
                        "staff in {label}: mandatory and in-progress work needs at least {}; however the teams split their FTE, {} FTE of it stay uncovered",
                        skills.join(", "),
                        amount(short)
                    ),
                    over_by: Some(short),
                });
            }
        }
    }
    for &p in &forced {
        let project = &workbook.projects[p];
        for &q in &project.excludes {
            if workbook.projects[q].status.is_forced() {
                findings.push(Finding {
                    message: format!(
                        "{} {} and {} {} exclude each other, but both must be selected",
                        project.status.as_str().replace('_', "-"),
                        project.id,
                        workbook.projects[q].status.as_str().replace('_', "-"),
                        workbook.projects[q].id
                    ),
                    over_by: None,
                });
            }
        }
        for &q in project.requires.iter().chain(&project.after) {
            if workbook.projects[q].status == Status::Excluded {
                findings.push(Finding {
                    message: format!(
                        "{} {} requires {}, which is excluded",
                        project.status.as_str().replace('_', "-"),
                        project.id,
                        workbook.projects[q].id
                    ),
                    over_by: None,
                });
            }
        }
    }
    findings
}

/// A set of rule groups that cannot hold together, and whether it is proven irreducible.
fn deletion_filter(workbook: &Workbook, options: &SolveOptions) -> (Vec<Group>, bool) {
    let started = Instant::now();
    let budget = options.time_limit.unwrap_or(FILTER_SECONDS);
    let encoded = Encoded::new(workbook, options.objective, options.discount);
    let mut active: BTreeSet<Group> = encoded
        .rows
        .iter()
        .map(|r| r.group.clone())
        .filter(|g| !matches!(g, Group::Once { .. }))
        .collect();
    let mut minimal = true;
    let candidates: Vec<Group> = active.iter().cloned().collect();
    for group in candidates {
        let left = budget - started.elapsed().as_secs_f64();
        if left <= 0.0 {
            minimal = false;
            break;
        }
        active.remove(&group);
        let keep = |g: &Group| matches!(g, Group::Once { .. }) || active.contains(g);
        let outcome = run(
            &encoded,
            &RunSpec {
                objective: None,
                maximise: true,
                extra_at_least: Vec::new(),
                keep: &keep,
                time_limit: Some(left),
                rel_gap: 0.0,
                abs_gap: None,
                threads: options.threads,
                start: None,
                max_nodes: None,
                fixed: None,
                quick: options.quick,
                race: None,
            },
        );
        match outcome.map(|r| r.status) {
            Ok(RunStatus::Infeasible) => {} // not needed for the conflict: stays off
            Ok(RunStatus::Optimal) | Ok(RunStatus::Stopped) => {
                active.insert(group);
            }
            _ => {
                active.insert(group);
                minimal = false;
            }
        }
    }
    (active.into_iter().collect(), minimal)
}

/// A rule group in words.
fn describe(workbook: &Workbook, group: &Group) -> String {
    let id = |p: usize| workbook.projects[p].id.as_str();
    let period = |t: usize| workbook.periods[t].as_str();
    match *group {
        Group::Budget { period: t } => format!(
            "budget of {}: {}",
            period(t),
            workbook.budget_total[t].map(amount).unwrap_or_default()
        ),
        Group::CategoryBudget {
            category,
            period: t,
        } => format!(
            "budget of category '{}' in {}: {}",
            workbook.categories[category],
            period(t),
            workbook.budget_category[&category][t]
                .map(amount)
                .unwrap_or_default()
        ),
        Group::Capacity { pool, period: t } => format!(
            "capacity of pool '{}' in {}: {} FTE",
            workbook.pools[pool],
            period(t),
            amount(workbook.capacity[pool][t])
        ),
        Group::Skill { skill, period: t } => {
            let teams: Vec<String> = workbook
                .staffing
                .iter()
                .flat_map(|st| {
                    st.serves
                        .iter()
                        .filter(move |s| s.skill == skill)
                        .map(move |s| format!("'{}'", st.teams[s.team]))
                })
                .collect();
            format!(
                "demand for skill '{}' in {}: covered only by team(s) {}",
                workbook.pools[skill],
                period(t),
                teams.join(", ")
            )
        }
        Group::Team { team, period: t } => {
            let (name, fte) = workbook
                .staffing
                .as_ref()
                .map(|s| (s.teams[team].as_str(), s.capacity[team][t]))
                .unwrap_or(("?", 0.0));
            format!(
                "capacity of team '{name}' in {}: {} FTE",
                period(t),
                amount(fte)
            )
        }
        Group::Forced { project } => format!(
            "{} {} must be selected",
            workbook.projects[project].status.as_str().replace('_', "-"),
            id(project)
        ),
        Group::Once { project } => format!("{} starts once", id(project)),
        Group::Requires { project, other } => {
            format!("{} requires {}", id(project), id(other))
        }
        Group::Excludes { project, other } => {
            format!("{} and {} exclude each other", id(project), id(other))
        }
        Group::After { project, other } => {
            format!("{} starts after {} finishes", id(project), id(other))
        }
        Group::BalanceMin { category } => {
            let share = share_of(workbook, category, true);
            format!(
                "balance: category '{}' needs at least {share} of the portfolio's cost",
                workbook.categories[category]
            )
        }
        Group::BalanceMax { category } => {
            let share = share_of(workbook, category, false);
            format!(
                "balance: category '{}' may take at most {share} of the portfolio's cost",
                workbook.categories[category]
            )
        }
    }
}

fn share_of(workbook: &Workbook, category: usize, min: bool) -> String {
    workbook
        .balance
        .iter()
        .find(|b| b.category == category)
        .map(|b| {
            let s = if min { b.min_share } else { b.max_share };
            format!("{}%", amount(s * 100.0))
        })
        .unwrap_or_default()
}

/// Money or FTE for people: `120,000`, `1,234.5`, `0.5`.
fn amount(x: f64) -> String {
    crate::human::number(x, 2)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Demand, Project};

    fn forced(id: &str, status: Status, duration: usize, latest: usize) -> Project {
        Project {
            status,
            ..Project::candidate(id, 10.0 * duration as f64, duration, 1.0, latest)
        }
    }

    fn workbook(projects: Vec<Project>) -> Workbook {
        Workbook {
            periods: vec!["Q1".into(), "Q2".into(), "Q3".into()],
            projects,
            pools: vec!["data".into()],
            capacity: vec![vec![2.0, 2.0, 2.0]],
            budget_total: vec![None, None, None],
            ..Workbook::default()
        }
    }

    #[test]
    fn capacity_overrun_of_forced_work_is_named_with_its_amount() {
        // Two in-progress projects: 1.5 FTE in Q1 and Q2, and 1 FTE in Q1. Q1 needs 2.5 of
        // 2 FTE; Q2 fits.
        let mut ip = forced("IP", Status::InProgress, 2, 0);
        ip.demand = vec![Demand {
            pool: 0,
            fte: vec![1.5, 1.5],
        }];
        let mut ip2 = forced("IP2", Status::InProgress, 1, 0);
        ip2.demand = vec![Demand {
            pool: 0,
            fte: vec![1.0],
        }];
        let wb = workbook(vec![ip, ip2]);
        let diagnosis = diagnose(&wb, &SolveOptions::default());
        assert_eq!(diagnosis.findings.len(), 1, "{diagnosis:?}");
        let finding = &diagnosis.findings[0];
        assert_eq!(
            finding.message,
            "capacity of pool 'data' in Q1: mandatory and in-progress work needs at least 2.5 FTE, 2 FTE available (over by 0.5 FTE)"
        );
        assert_eq!(finding.over_by, Some(0.5));
    }

    #[test]
    fn forced_projects_that_exclude_each_other_are_named() {
        let mut a = forced("A", Status::Mandatory, 1, 2);
        a.excludes = vec![1];
        let b = forced("B", Status::InProgress, 1, 0);
        let diagnosis = diagnose(&workbook(vec![a, b]), &SolveOptions::default());
        assert_eq!(
            diagnosis.findings[0].message,
            "mandatory A and in-progress B exclude each other, but both must be selected"
        );
    }

    #[test]
    fn a_combination_is_reduced_to_an_irreducible_set() {
        // Two periods of 2 FTE. A and B (mandatory, Q1 or Q2) and C (mandatory, Q2 only)
        // each need 1.5 FTE for one period. No period is overrun by forced work at its most
        // favourable starts, but three 1.5-FTE projects cannot share two periods of 2 FTE.
        let load = |fte: f64| {
            vec![Demand {
                pool: 0,
                fte: vec![fte],
            }]
        };
        let mut a = forced("A", Status::Mandatory, 1, 1);
        a.demand = load(1.5);
        let mut b = forced("B", Status::Mandatory, 1, 1);
        b.demand = load(1.5);
        let mut c = forced("C", Status::Mandatory, 1, 1);
        c.earliest = 1;
        c.demand = load(1.5);
        let mut d = Project::candidate("D", 10.0, 1, 5.0, 2);
        d.demand = load(0.5);
        let mut wb = workbook(vec![a, b, c, d]);
        wb.periods.truncate(2);
        wb.capacity = vec![vec![2.0, 2.0]];
        wb.budget_total = vec![None, None];
        let diagnosis = diagnose(&wb, &SolveOptions::default());
        let messages: Vec<&str> = diagnosis
            .findings
            .iter()
            .map(|f| f.message.as_str())
            .collect();
        assert!(diagnosis.minimal, "{messages:?}");
        // Drop any one of these five and the rest fits; candidate D is not part of it.
        assert_eq!(
            messages,
            [
                "capacity of pool 'data' in Q1: 2 FTE",
                "capacity of pool 'data' in Q2: 2 FTE",
                "mandatory A must be selected",
                "mandatory B must be selected",
                "mandatory C must be selected",
            ]
        );
    }
}
