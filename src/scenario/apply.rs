//! Applying a scenario's changes to the base workbook: pure model → model, no I/O.
//!
//! Changes apply in file order, each to the result of the one before. What a change may not
//! do — make a limit negative, leave a window that cannot hold the duration, zero every
//! weight, move running work — is returned as [`Problem`]s with the line of the change, so
//! that validation reports them like any other input error.

use std::collections::BTreeMap;

use crate::model::{Arith, ChangeKind, ProjectOp, Scenario, Status, WeightSource, Workbook};

/// Why a scenario cannot be applied.
#[derive(Debug, Clone, PartialEq)]
pub struct Problem {
    /// Line of scenarios.csv of the change at fault.
    pub line: usize,
    pub message: String,
    pub fix: String,
}

/// The base workbook with `scenario`'s changes applied, or every problem they cause.
pub fn apply(base: &Workbook, scenario: &Scenario) -> Result<Workbook, Vec<Problem>> {
    let mut wb = base.clone();
    let mut problems = Vec::new();
    // Projects whose window must be derived again, with the last line that touched it.
    let mut reshaped: BTreeMap<usize, usize> = BTreeMap::new();
    let name = &scenario.name;
    for change in &scenario.changes {
        let line = change.line;
        let mut problem = |message: String, fix: &str| {
            problems.push(Problem {
                line,
                message: format!("scenario '{name}': {message}"),
                fix: fix.to_string(),
            })
        };
        match &change.kind {
            ChangeKind::Budget {
                category,
                from,
                to,
                op,
                value,
            } => {
                let periods = wb.periods.clone();
                let caps: &mut Vec<Option<f64>> = match category {
                    None => &mut wb.budget_total,
                    Some(c) => wb
                        .budget_category
                        .entry(*c)
                        .or_insert_with(|| vec![None; periods.len()]),
                };
                for (t, cap) in caps.iter_mut().enumerate() {
                    if t < *from || t > *to {
                        continue;
                    }
                    // `scale` and `add` change a cap; a period without one stays uncapped.
                    let new = match (op, *cap) {
                        (Arith::Set, _) => Some(*value),
                        (_, Some(old)) => Some(op.apply(old, *value)),
                        (_, None) => None,
                    };
                    if let Some(v) = new.filter(|v| *v < 0.0) {
                        let what = match category {
                            None => "the total budget".to_string(),
                            Some(c) => format!("the budget of category '{}'", base.categories[*c]),
                        };
                        problem(
                            format!("{what} in {} would be {v}", periods[t]),
                            "a budget cannot be negative: use a smaller cut",
                        );
                        continue;
                    }
                    *cap = new;
                }
            }
            ChangeKind::Capacity {
                pool,
                from,
                to,
                op,
                value,
            } => {
                // With teams.csv, capacity.csv's pools are teams.
                let (capacity, names, what) = match wb.staffing.as_mut() {
                    Some(staffing) => (&mut staffing.capacity, &staffing.teams, "team"),
                    None => (&mut wb.capacity, &wb.pools, "pool"),
                };
                for (k, row) in capacity.iter_mut().enumerate() {
                    if pool.is_some_and(|p| p != k) {
                        continue;
                    }
                    for (t, fte) in row.iter_mut().enumerate() {
                        if t < *from || t > *to {
                            continue;
                        }
                        let new = op.apply(*fte, *value);
                        if new < 0.0 {
                            problem(
                                format!(
                                    "the capacity of {what} '{}' in {} would be {new} FTE",
                                    names[k], base.periods[t]
                                ),
                                "a capacity cannot be negative: use a smaller cut",
                            );
                            continue;
                        }
                        *fte = new;
                    }
                }
            }
            ChangeKind::Move {
                from,
                to,
                period,
                fte,
            } => {
                // Validation only builds a move when the workbook has teams.
                let Some(staffing) = wb.staffing.as_mut() else {
                    continue;
                };
                let mut short = Vec::new();
                for t in *period..wb.periods.len() {
                    let have = staffing.capacity[*from][t];
                    if have + 1e-9 < *fte {
                        short.push(format!(
                            "{} ({} FTE)",
                            wb.periods[t],
                            crate::human::number(have, 3)
                        ));
                        continue;
                    }
                    staffing.capacity[*from][t] = (have - fte).max(0.0);
                    staffing.capacity[*to][t] += fte;
                }
                if !short.is_empty() {
                    problem(
                        format!(
                            "moving {} FTE from team '{}' to '{}' from {} on: '{}' has less than that in {}",
                            crate::human::number(*fte, 3),
                            staffing.teams[*from],
                            staffing.teams[*to],
                            wb.periods[*period],
                            staffing.teams[*from],
                            short.join(", ")
                        ),
                        "move fewer FTE, move them later, or raise the team's capacity first",
                    );
                }
            }
            ChangeKind::Weight { driver, op, value } => {
                // Weights live normalised; the change is in the units they were written in.
                let total = match wb.weight_source {
                    WeightSource::Weights { total } => total,
                    _ => 1.0,
                };
                let mut given: Vec<f64> = wb.drivers.iter().map(|d| d.weight * total).collect();
                given[*driver] = op.apply(given[*driver], *value);
                let sum: f64 = given.iter().sum();
                if sum <= 0.0 {
                    problem(
                        "every driver weight would be 0".to_string(),
                        "keep at least one driver with a weight above 0",
                    );
                    continue;
                }
                for (d, w) in wb.drivers.iter_mut().zip(&given) {
                    d.weight = w / sum;
                }
                wb.weight_source = WeightSource::Weights { total: sum };
            }
            ChangeKind::Project { project, op } => {
                let p = &mut wb.projects[*project];
                let running = p.status == Status::InProgress;
                match op {
                    ProjectOp::Include => {
                        if !running {
                            if p.status != Status::Mandatory {
                                p.forced_by = Some(name.clone());
                            }
                            p.status = Status::Mandatory;
                            reshaped.insert(*project, line);
                        }
                    }
                    ProjectOp::Exclude => {
                        p.status = Status::Excluded;
                        p.forced_by = None;
                    }
                    ProjectOp::SetCost(cost) => {
                        let sum: f64 = p.cost_profile.iter().sum();
                        if sum > 0.0 {
                            p.cost_profile.iter_mut().for_each(|c| *c *= cost / sum);
                        } else {
                            p.cost_profile = vec![cost / p.duration as f64; p.duration];
                        }
                        (p.cost_low, p.cost_high) = rescale(p.cost, *cost, p.cost_low, p.cost_high);
                        p.cost = *cost;
                    }
                    ProjectOp::SetValue(value) => {
                        (p.value_low, p.value_high) =
                            rescale(p.value, *value, p.value_low, p.value_high);
                        p.value = *value;
                    }
                    ProjectOp::SetDuration(n) => {
                        let total: f64 = p.cost_profile.iter().sum();
                        let mut profile = resample(&p.cost_profile, *n);
                        let new_total: f64 = profile.iter().sum();
                        if new_total > 0.0 {
                            profile.iter_mut().for_each(|c| *c *= total / new_total);
                        } else {
                            profile = vec![total / *n as f64; *n];
                        }
                        p.cost_profile = profile;
                        for d in &mut p.demand {
                            d.fte = resample(&d.fte, *n);
                        }
                        p.duration = *n;
                        if !running {
                            reshaped.insert(*project, line);
                        }
                    }
                    ProjectOp::EarliestStart(t) | ProjectOp::LatestStart(t) if running => {
                        problem(
                            format!(
                                "project {} is in progress, so it starts in the first period and its window cannot move to {}",
                                p.id, base.periods[*t]
                            ),
                            "remove the change, or exclude the running project instead",
                        );
                    }
                    ProjectOp::EarliestStart(t) => {
                        p.earliest = *t;
                        reshaped.insert(*project, line);
                    }
                    ProjectOp::LatestStart(t) => {
                        p.latest_given = Some(*t);
                        reshaped.insert(*project, line);
                    }
                }
            }
        }
    }
    let h = wb.horizon();
    for (&index, &line) in &reshaped {
        let p = &mut wb.projects[index];
        let last_start = h.checked_sub(p.duration);
        let fits = last_start.is_some_and(|m| {
            p.latest = p.latest_given.map_or(m, |l| l.min(m));
            p.earliest <= p.latest
        });
        if !fits && p.status != Status::Excluded {
            let window = if last_start.is_none() {
                format!(
                    "project {} would last {} period(s), longer than the horizon of {h}",
                    p.id, p.duration
                )
            } else {
                format!(
                    "project {} would have no start period left: it cannot start at or after {} and at or before {} and finish its {} period(s) by {}",
                    p.id,
                    wb.periods[p.earliest],
                    wb.periods[p.latest_given.unwrap_or(h - 1).min(h - 1)],
                    p.duration,
                    wb.periods[h - 1]
                )
            };
            problems.push(Problem {
                line,
                message: format!("scenario '{name}': {window}"),
                fix: "widen the window (earliest-start, latest-start) or shorten the duration"
                    .to_string(),
            });
        }
        if !fits {
            // Never selected, or reported above: any window the solver can index will do.
            p.earliest = 0;
            p.latest = last_start.unwrap_or(0);
        }
    }
    if problems.is_empty() {
        Ok(wb)
    } else {
        Err(problems)
    }
}

/// A three-point range moved with its middle: scaled by `new / old`, or collapsed onto
/// `new` when the old middle was 0.
fn rescale(old: f64, new: f64, low: f64, high: f64) -> (f64, f64) {
    if old > 0.0 {
        (low * new / old, high * new / old)
    } else {
        (new, new)
    }
}

/// A per-offset profile stretched or shrunk to `n` offsets, keeping its shape: offset `j`
/// of the new profile takes offset `⌊j × old / n⌋` of the old one.
fn resample(profile: &[f64], n: usize) -> Vec<f64> {
    if profile.is_empty() {
        return vec![0.0; n];
    }
    (0..n).map(|j| profile[j * profile.len() / n]).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Change, Demand, Driver, Project};

    fn base() -> Workbook {
        let mut a = Project::candidate("A", 40.0, 2, 10.0, 2);
        a.demand = vec![Demand {
            pool: 0,
            fte: vec![1.0, 3.0],
        }];
        let mut run = Project::candidate("R", 10.0, 1, 1.0, 0);
        run.status = Status::InProgress;
        Workbook {
            periods: vec!["Q1".into(), "Q2".into(), "Q3".into(), "Q4".into()],
            projects: vec![a, run],
            drivers: vec![
                Driver {
                    name: "growth".into(),
                    weight: 0.75,
                },
                Driver {
                    name: "risk".into(),
                    weight: 0.25,
                },
            ],
            weight_source: WeightSource::Weights { total: 4.0 },
            pools: vec!["dev".into()],
            capacity: vec![vec![2.0, 2.0, 4.0, 4.0]],
            budget_total: vec![Some(100.0), None, Some(50.0), Some(50.0)],
            categories: vec!["ops".into()],
            ..Workbook::default()
        }
    }

    fn scenario(changes: Vec<ChangeKind>) -> Scenario {
        Scenario {
            name: "s".into(),
            line: 2,
            changes: changes
                .into_iter()
                .enumerate()
                .map(|(i, kind)| Change { line: i + 2, kind })
                .collect(),
        }
    }

    #[test]
    fn budget_scale_leaves_uncapped_periods_uncapped_and_set_creates_a_cap() {
        let s = scenario(vec![
            ChangeKind::Budget {
                category: None,
                from: 0,
                to: 3,
                op: Arith::Scale,
                value: 0.5,
            },
            ChangeKind::Budget {
                category: Some(0),
                from: 1,
                to: 1,
                op: Arith::Set,
                value: 7.0,
            },
        ]);
        let wb = apply(&base(), &s).unwrap();
        assert_eq!(wb.budget_total, [Some(50.0), None, Some(25.0), Some(25.0)]);
        assert_eq!(wb.budget_category[&0], [None, Some(7.0), None, None]);
    }

    #[test]
    fn capacity_cut_from_a_period_on_and_a_negative_result_is_a_problem() {
        let mut s = scenario(vec![
            ChangeKind::Capacity {
                pool: Some(0),
                from: 2,
                to: 3,
                op: Arith::Scale,
                value: 0.7,
            },
            ChangeKind::Capacity {
                pool: None,
                from: 0,
                to: 0,
                op: Arith::Add,
                value: 1.0,
            },
        ]);
        let wb = apply(&base(), &s).unwrap();
        assert_eq!(wb.capacity[0], [3.0, 2.0, 4.0 * 0.7, 4.0 * 0.7]);
        s.changes.push(Change {
            line: 9,
            kind: ChangeKind::Capacity {
                pool: None,
                from: 0,
                to: 3,
                op: Arith::Add,
                value: -3.0,
            },
        });
        let problems = apply(&base(), &s).unwrap_err();
        assert!(problems.iter().all(|p| p.line == 9));
        assert!(problems[0].message.contains("pool 'dev' in Q2 would be -1"));
    }

    #[test]
    fn weights_change_in_the_units_they_were_written_in() {
        // Written 3 and 1: setting risk to 3 gives 3:3, i.e. one half each.
        let s = scenario(vec![ChangeKind::Weight {
            driver: 1,
            op: Arith::Set,
            value: 3.0,
        }]);
        let wb = apply(&base(), &s).unwrap();
        assert!((wb.drivers[0].weight - 0.5).abs() < 1e-12);
        assert!((wb.drivers[1].weight - 0.5).abs() < 1e-12);
        assert_eq!(wb.weight_source, WeightSource::Weights { total: 6.0 });
        let zero = scenario(vec![
            ChangeKind::Weight {
                driver: 0,
                op: Arith::Scale,
                value: 0.0,
            },
            ChangeKind::Weight {
                driver: 1,
                op: Arith::Set,
                value: 0.0,
            },
        ]);
        let problems = apply(&base(), &zero).unwrap_err();
        assert_eq!(problems.len(), 1);
        assert_eq!(problems[0].line, 3);
    }

    #[test]
    fn set_duration_keeps_total_cost_and_fte_level_and_clips_the_window() {
        let s = scenario(vec![ChangeKind::Project {
            project: 0,
            op: ProjectOp::SetDuration(4),
        }]);
        let wb = apply(&base(), &s).unwrap();
        let a = &wb.projects[0];
        assert_eq!(a.cost_profile, [10.0; 4]);
        assert_eq!(a.demand[0].fte, [1.0, 1.0, 3.0, 3.0]);
        assert_eq!((a.earliest, a.latest), (0, 0));
        let too_long = scenario(vec![ChangeKind::Project {
            project: 0,
            op: ProjectOp::SetDuration(5),
        }]);
        let problems = apply(&base(), &too_long).unwrap_err();
        assert!(problems[0].message.contains("longer than the horizon"));
    }

    #[test]
    fn windows_move_but_not_for_running_work() {
        let s = scenario(vec![
            ChangeKind::Project {
                project: 0,
                op: ProjectOp::EarliestStart(1),
            },
            ChangeKind::Project {
                project: 0,
                op: ProjectOp::LatestStart(3),
            },
            ChangeKind::Project {
                project: 0,
                op: ProjectOp::Include,
            },
        ]);
        let wb = apply(&base(), &s).unwrap();
        let a = &wb.projects[0];
        assert_eq!((a.earliest, a.latest, a.status), (1, 2, Status::Mandatory));
        let empty = scenario(vec![ChangeKind::Project {
            project: 0,
            op: ProjectOp::EarliestStart(3),
        }]);
        assert!(apply(&base(), &empty).unwrap_err()[0]
            .message
            .contains("no start period left"));
        let running = scenario(vec![ChangeKind::Project {
            project: 1,
            op: ProjectOp::LatestStart(2),
        }]);
        assert!(apply(&base(), &running).unwrap_err()[0]
            .message
            .contains("in progress"));
    }

    #[test]
    fn cost_and_value_move_their_ranges_and_profiles() {
        let mut wb = base();
        wb.projects[0].cost_profile = vec![30.0, 10.0];
        wb.projects[0].cost_low = 20.0;
        wb.projects[0].cost_high = 80.0;
        let s = scenario(vec![
            ChangeKind::Project {
                project: 0,
                op: ProjectOp::SetCost(80.0),
            },
            ChangeKind::Project {
                project: 0,
                op: ProjectOp::SetValue(5.0),
            },
            ChangeKind::Project {
                project: 1,
                op: ProjectOp::Exclude,
            },
        ]);
        let out = apply(&wb, &s).unwrap();
        let a = &out.projects[0];
        assert_eq!(a.cost_profile, [60.0, 20.0]);
        assert_eq!((a.cost, a.cost_low, a.cost_high), (80.0, 40.0, 160.0));
        assert_eq!((a.value, a.value_low, a.value_high), (5.0, 5.0, 5.0));
        assert_eq!(out.projects[1].status, Status::Excluded);
    }
}
