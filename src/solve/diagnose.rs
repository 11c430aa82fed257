//! Why no portfolio exists. First the direct causes: a period, pool or category budget that
//! mandatory and in-progress work alone overrun even at their most favourable starts, and
//! rules that forced work breaks by itself (two forced projects that exclude each other, a
//! forced project that needs an excluded one). When none of these explains it, a deletion
//! filter over the model's rule groups finds a small set of rules that cannot hold together:
//! each group is switched off in turn and stays off while the rest is still infeasible.

use std::collections::BTreeSet;
use std::time::Instant;

use super::backend::{run, RunSpec, RunStatus};
use super::encode::{Encoded, Tag};
use super::SolveOptions;
use crate::model::Workbook;
use crate::rules;

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
            message: g.describe(workbook),
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

/// Overruns and broken rules of forced (mandatory and in-progress) work alone: period by
/// period the budgets, pools and staff it overruns, then project by project the rules it
/// breaks by itself.
fn direct(workbook: &Workbook) -> Vec<Finding> {
    let forced: Vec<usize> = (0..workbook.projects.len())
        .filter(|&p| workbook.projects[p].status.is_forced())
        .collect();
    let shortfall = |wb: &Workbook, need: &[f64], t: usize| super::staff_shortfall(wb, need, t);
    let mut found = Vec::new();
    for period in 0..workbook.horizon() {
        found.extend(rules::budget::forced_overruns(workbook, &forced, period));
        found.extend(rules::capacity::forced_overruns(workbook, &forced, period));
        found.extend(rules::teams::forced_overruns(
            workbook, &forced, period, &shortfall,
        ));
    }
    for &p in &forced {
        let project = &workbook.projects[p];
        found.extend(rules::excludes::forced_conflicts(workbook, p));
        found.extend(rules::requires::forced_missing(
            workbook,
            p,
            &project.requires,
        ));
        found.extend(rules::requires::forced_missing(workbook, p, &project.after));
        found.extend(rules::requires_any::forced_missing(workbook, p));
    }
    found.extend(rules::limits::forced_overruns(workbook));
    found
        .into_iter()
        .map(|o| Finding {
            message: o.message,
            over_by: o.over_by,
        })
        .collect()
}

/// A set of rules that cannot hold together, and whether it is proven irreducible.
fn deletion_filter(workbook: &Workbook, options: &SolveOptions) -> (Vec<Tag>, bool) {
    let started = Instant::now();
    let budget = options.time_limit.unwrap_or(FILTER_SECONDS);
    let encoded = Encoded::new(workbook, options.objective, options.discount);
    let mut active: BTreeSet<Tag> = encoded
        .rows
        .iter()
        .map(|r| r.tag)
        .filter(|g| !g.is_structural())
        .collect();
    let mut minimal = true;
    let candidates: Vec<Tag> = active.iter().copied().collect();
    for group in candidates {
        let left = budget - started.elapsed().as_secs_f64();
        if left <= 0.0 {
            minimal = false;
            break;
        }
        active.remove(&group);
        let keep = |g: &Tag| g.is_structural() || active.contains(g);
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Demand, Project, Status};

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
        let a = forced("A", Status::Mandatory, 1, 2);
        let b = forced("B", Status::InProgress, 1, 0);
        let mut wb = workbook(vec![a, b]);
        wb.exclusions = vec![(0, 1)];
        let diagnosis = diagnose(&wb, &SolveOptions::default());
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
