//! The `reason` column of portfolio.csv: for a project that is out, the concrete rule that keeps
//! it out; for one that is in, what makes it critical.
//!
//! Reasons are recomputed from the model and the chosen starts alone (never from the solver's
//! variables). A project that is out is tried at every start of its window against the selected
//! portfolio; the start with the fewest broken rules is reported with its first broken rule.

use crate::analysis::{Impact, Ranking, Takes};
use crate::model::{Objective, Project, Starts, Status, Workbook};
use crate::solve::SolveStatus;
use crate::solve::{Needed, Raise};

use super::format::{fte, human, money, percent};
use super::label;
use super::usage::{cost_in_horizon, exceeds, project_spend, total_cost, Usage};

/// One reason per project, indexed like [`Workbook::projects`].
pub fn reasons(
    workbook: &Workbook,
    starts: &Starts,
    status: SolveStatus,
    objective: Objective,
) -> Vec<String> {
    let usage = Usage::of(workbook, starts);
    (0..workbook.projects.len())
        .map(|p| match start_of(starts, p) {
            Some(start) => reason_in(workbook, starts, p, start),
            None => reason_out(workbook, starts, &usage, status, objective, p),
        })
        .collect()
}

/// The ids of `projects` as prose: "P-3", "P-3 and P-9", "P-1, P-3 and P-9" (empty for
/// none).
pub(super) fn and_list(workbook: &Workbook, projects: impl Iterator<Item = usize>) -> String {
    let names: Vec<&str> = projects
        .filter_map(|q| workbook.projects.get(q))
        .map(|q| q.id.as_str())
        .collect();
    match names.as_slice() {
        [] => String::new(),
        [one] => one.to_string(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}

/// `reasons` with what the re-solves of a [`Ranking`] found: for a selected project, what
/// dropping it loses and what would take its place; for one that is out, what forcing it in
/// loses and what it pushes out ("forcing P-17 in loses 312 (2.1%) and pushes out P-3 and
/// P-9"), or that no feasible portfolio has it. `z` is the base objective.
pub fn with_ranking(
    workbook: &Workbook,
    reasons: Vec<String>,
    ranking: &Ranking,
    z: f64,
) -> Vec<String> {
    let share = |loss: f64| {
        if z.abs() > 0.0 {
            format!(" ({}%)", human(loss.abs() / z.abs() * 100.0, 1))
        } else {
            String::new()
        }
    };
    let and_list = |list: &[usize]| and_list(workbook, list.iter().copied());
    reasons
        .into_iter()
        .enumerate()
        .map(|(p, reason)| {
            let others =
                |list: &[usize]| list.iter().copied().filter(|&q| q != p).collect::<Vec<_>>();
            let extra = match (&ranking.criticality[p], &ranking.regret[p]) {
                (
                    Some(Impact::Loss {
                        loss,
                        pushed_out,
                        brought_in,
                        proven,
                    }),
                    _,
                ) => {
                    let about = if *proven { "" } else { "about " };
                    let mut text = if *loss > 0.0 {
                        format!(
                            "dropping it loses {about}{}{}",
                            human(*loss, 4),
                            share(*loss)
                        )
                    } else if *loss < 0.0 {
                        format!("dropping it would gain {}{}", human(-loss, 4), share(*loss))
                    } else if *proven {
                        "dropping it loses nothing".to_string()
                    } else {
                        "dropping it loses little (estimate)".to_string()
                    };
                    let drops = others(pushed_out);
                    let changes: Vec<String> = [
                        (!drops.is_empty()).then(|| format!("also drops {}", and_list(&drops))),
                        (!brought_in.is_empty()).then(|| format!("adds {}", and_list(brought_in))),
                    ]
                    .into_iter()
                    .flatten()
                    .collect();
                    if !changes.is_empty() {
                        text.push_str(&format!(
                            "; the best portfolio without it {}",
                            changes.join(" and ")
                        ));
                    }
                    Some(text)
                }
                (Some(Impact::Impossible { why }), _) => {
                    Some(format!("cannot be dropped: without it {why}"))
                }
                (
                    None,
                    Some(Impact::Loss {
                        loss,
                        pushed_out,
                        brought_in,
                        proven,
                    }),
                ) => {
                    let id = &workbook.projects[p].id;
                    let about = if *proven { "" } else { "about " };
                    let mut text = if *loss > 0.0 {
                        format!(
                            "forcing {id} in loses {about}{}{}",
                            human(*loss, 4),
                            share(*loss)
                        )
                    } else if *proven {
                        format!("forcing {id} in loses nothing")
                    } else {
                        format!("forcing {id} in loses little (estimate)")
                    };
                    if !pushed_out.is_empty() {
                        text.push_str(&format!(" and pushes out {}", and_list(pushed_out)));
                    }
                    let along = others(brought_in);
                    if !along.is_empty() {
                        text.push_str(&format!(", and brings in {}", and_list(&along)));
                    }
                    Some(text)
                }
                (None, Some(Impact::Impossible { why })) => {
                    Some(format!("cannot fit in any portfolio: {why}"))
                }
                (None, None) => None,
            };
            let extra = match (
                extra,
                ranking.takes[p].as_ref().and_then(|t| takes(workbook, t)),
            ) {
                (Some(a), Some(b)) => Some(format!("{a}; {b}")),
                (a, b) => a.or(b),
            };
            match extra {
                Some(extra) if reason == "selected" => extra,
                Some(extra) => format!("{reason}; {extra}"),
                None => reason,
            }
        })
        .collect()
}

/// "it would take 45 more budget (2027-Q1: 10, 2027-Q2: 35) or 1 more FTE (dev in
/// 2027-Q1: 0.5, …)", or that neither alone is enough.
fn takes(workbook: &Workbook, takes: &Takes) -> Option<String> {
    let list = |raises: &[Raise]| {
        raises
            .iter()
            .map(|r| match r {
                Raise::Budget { period, amount } => {
                    format!("{}: {}", label(workbook, *period), money(*amount))
                }
                Raise::CategoryBudget {
                    category,
                    period,
                    amount,
                } => format!(
                    "{} budget in {}: {}",
                    workbook.categories[*category],
                    label(workbook, *period),
                    money(*amount)
                ),
                Raise::Capacity {
                    pool,
                    period,
                    fte: x,
                } => format!(
                    "{} in {}: {}",
                    workbook.holder_name(*pool),
                    label(workbook, *period),
                    fte(*x)
                ),
            })
            .collect::<Vec<_>>()
            .join(", ")
    };
    let raises = |needed: &Needed| match needed {
        Needed::Raises(raises) => Some(raises.clone()),
        _ => None,
    };
    let options: Vec<String> = [
        raises(&takes.money)
            .zip(takes.money_total(workbook.horizon()))
            .map(|(raises, total)| format!("{} more budget ({})", money(total), list(&raises))),
        raises(&takes.staff)
            .zip(takes.staff_total())
            .map(|(raises, total)| format!("{} more FTE ({})", fte(total), list(&raises))),
    ]
    .into_iter()
    .flatten()
    .collect();
    let unknown = takes.money == Needed::NotFound || takes.staff == Needed::NotFound;
    if !options.is_empty() {
        Some(format!("it would take {}", options.join(" or ")))
    } else if unknown {
        Some("what it would take was not found within the time limit".to_string())
    } else {
        Some("no extra budget or staff alone brings it in beside the current portfolio".to_string())
    }
}

fn start_of(starts: &Starts, p: usize) -> Option<usize> {
    starts.get(p).copied().flatten()
}

fn ids(workbook: &Workbook, projects: &[usize]) -> String {
    projects
        .iter()
        .filter_map(|&q| workbook.projects.get(q))
        .map(|q| q.id.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

fn is_or_are(count: usize) -> &'static str {
    if count == 1 {
        "is"
    } else {
        "are"
    }
}

/// Why a selected project is critical: its status, and the selected projects that need it.
fn reason_in(workbook: &Workbook, starts: &Starts, p: usize, start: usize) -> String {
    let project = &workbook.projects[p];
    let mut parts = Vec::new();
    match project.status {
        Status::InProgress if start + project.duration > workbook.horizon() => parts.push(format!(
            "in progress; runs past the horizon ({} of its {} cost falls inside it)",
            money(cost_in_horizon(workbook, p, start)),
            money(total_cost(workbook, p)),
        )),
        Status::InProgress => parts.push("in progress".to_string()),
        Status::Mandatory => parts.push("mandatory".to_string()),
        Status::Candidate | Status::Excluded => {}
    }
    let needed_by: Vec<usize> = workbook
        .projects
        .iter()
        .enumerate()
        .filter(|(q, other)| {
            *q != p
                && start_of(starts, *q).is_some()
                && (other.requires.contains(&p) || other.after.contains(&p))
        })
        .map(|(q, _)| q)
        .collect();
    if !needed_by.is_empty() {
        parts.push(format!("needed by {}", ids(workbook, &needed_by)));
    }
    if parts.is_empty() {
        "selected".to_string()
    } else {
        parts.join("; ")
    }
}

/// Why a project is out: the first rule that keeps it out.
fn reason_out(
    workbook: &Workbook,
    starts: &Starts,
    usage: &Usage,
    status: SolveStatus,
    objective: Objective,
    p: usize,
) -> String {
    let project = &workbook.projects[p];
    if project.status == Status::Excluded {
        return "excluded".to_string();
    }
    if status == SolveStatus::Infeasible {
        let what = match project.status {
            Status::Mandatory => "mandatory, but ",
            Status::InProgress => "in progress, but ",
            Status::Candidate | Status::Excluded => "",
        };
        return format!("{what}no feasible portfolio exists; see the diagnosis");
    }

    let out = |q: &usize| start_of(starts, *q).is_none();
    let in_ = |q: &usize| start_of(starts, *q).is_some();

    // `excludes` is symmetric but stored only where written: look both ways.
    let conflicts: Vec<usize> = (0..workbook.projects.len())
        .filter(|&q| {
            q != p
                && in_(&q)
                && (project.excludes.contains(&q) || workbook.projects[q].excludes.contains(&p))
        })
        .collect();
    if !conflicts.is_empty() {
        return format!(
            "excludes {}, which {} in",
            ids(workbook, &conflicts),
            is_or_are(conflicts.len())
        );
    }

    let missing: Vec<usize> = project.requires.iter().copied().filter(out).collect();
    if !missing.is_empty() {
        return format!(
            "requires {}, which {} out",
            ids(workbook, &missing),
            is_or_are(missing.len())
        );
    }
    let missing: Vec<usize> = project.after.iter().copied().filter(out).collect();
    if !missing.is_empty() {
        return format!(
            "must start after {}, which {} out",
            ids(workbook, &missing),
            is_or_are(missing.len())
        );
    }

    let (earliest, latest) = match window(workbook, starts, project) {
        Ok(window) => window,
        Err(reason) => return reason,
    };

    // The start with the fewest broken rules, then the smallest shortfall; ties go to the
    // earliest start.
    let mut best: Option<(usize, Vec<Blocker>)> = None;
    for start in earliest..=latest {
        let blockers = blockers_at(workbook, usage, p, start);
        if blockers.is_empty() {
            return fits(workbook, status, objective, p);
        }
        let better = match &best {
            None => true,
            Some((_, fewest)) => {
                (blockers.len(), shortfall(&blockers)) < (fewest.len(), shortfall(fewest))
            }
        };
        if better {
            best = Some((start, blockers));
        }
    }
    match best {
        Some((start, blockers)) => {
            let mut extras = Vec::new();
            if blockers.len() > 1 {
                let more = blockers.len() - 1;
                extras.push(format!(
                    "{more} more blocker{}",
                    if more == 1 { "" } else { "s" }
                ));
            }
            if latest > earliest && blockers[0].depends_on_start {
                extras.push(format!("best start {}", label(workbook, start)));
            }
            if extras.is_empty() {
                blockers[0].message.clone()
            } else {
                format!("{} ({})", blockers[0].message, extras.join(", "))
            }
        }
        // An empty window is reported by `window`; this is only reached on a malformed model.
        None => "window cannot fit".to_string(),
    }
}

/// The start window once `after` links are applied to the chosen starts of the predecessors,
/// or the reason it is empty.
fn window(
    workbook: &Workbook,
    starts: &Starts,
    project: &Project,
) -> Result<(usize, usize), String> {
    let (mut earliest, latest) = if project.status == Status::InProgress {
        (0, 0)
    } else {
        (project.earliest, project.latest)
    };
    let mut binding = None;
    for &q in &project.after {
        let (Some(start), Some(other)) = (start_of(starts, q), workbook.projects.get(q)) else {
            continue;
        };
        let next = start + other.duration;
        if next > earliest {
            earliest = next;
            binding = Some(q);
        }
    }
    if earliest <= latest {
        return Ok((earliest, latest));
    }
    let reason = match binding {
        Some(q) if earliest >= workbook.horizon() => format!(
            "window cannot fit: must start after {}, which runs to the end of the horizon",
            ids(workbook, &[q])
        ),
        Some(q) => format!(
            "window cannot fit: must start after {}, which ends in {}, but its latest start is {}",
            ids(workbook, &[q]),
            label(workbook, earliest - 1),
            label(workbook, latest)
        ),
        None => format!(
            "window cannot fit: its earliest start {} is after its latest start {}",
            label(workbook, earliest),
            label(workbook, latest)
        ),
    };
    Err(reason)
}

/// One rule that adding a project would break.
#[derive(Debug, Clone, PartialEq)]
struct Blocker {
    message: String,
    /// False for balance shares, which hold or not whatever the start.
    depends_on_start: bool,
    /// Part of what the project needs that is not available, 0…1 (1 for a balance share).
    shortfall: f64,
}

/// Sum of the shortfalls of a start's blockers: smaller is closer to fitting.
fn shortfall(blockers: &[Blocker]) -> f64 {
    blockers.iter().map(|b| b.shortfall).sum()
}

/// Part of `need` that `free` does not cover, 0…1.
fn missing_part(need: f64, free: f64) -> f64 {
    if need > 0.0 {
        ((need - free.max(0.0)) / need).clamp(0.0, 1.0)
    } else {
        0.0
    }
}

/// Every rule broken by adding project `p`, started in `start`, to the selected portfolio:
/// balance shares first (they block every start alike), then period by period: capacity of
/// each pool, total budget, category budget.
fn blockers_at(workbook: &Workbook, usage: &Usage, p: usize, start: usize) -> Vec<Blocker> {
    let project = &workbook.projects[p];
    let mut blockers = Vec::new();

    let added = cost_in_horizon(workbook, p, start);
    let total = usage.total_cost + added;
    for balance in &workbook.balance {
        let Some(name) = workbook.categories.get(balance.category) else {
            continue;
        };
        let mut cost = usage
            .category_cost
            .get(balance.category)
            .copied()
            .unwrap_or(0.0);
        if project.category == Some(balance.category) {
            cost += added;
        }
        let share = if total > 0.0 { cost / total } else { 0.0 };
        if exceeds(cost, balance.max_share * total) {
            blockers.push(Blocker {
                message: format!(
                    "balance: category '{name}' would exceed its max share {} (it would be {})",
                    percent(balance.max_share),
                    percent(share)
                ),
                depends_on_start: false,
                shortfall: 1.0,
            });
        }
        let floor = balance.min_share * total;
        if floor - cost > 1e-6 * floor.abs().max(1.0) {
            blockers.push(Blocker {
                message: format!(
                    "balance: category '{name}' would fall below its min share {} (it would be {})",
                    percent(balance.min_share),
                    percent(share)
                ),
                depends_on_start: false,
                shortfall: 1.0,
            });
        }
    }

    let spend: Vec<(usize, f64)> = project_spend(workbook, p, start);
    for offset in 0..project.duration {
        let t = start + offset;
        if t >= workbook.horizon() {
            break;
        }
        for demand in &project.demand {
            let need = demand.fte.get(offset).copied().unwrap_or(0.0);
            if need <= 0.0 {
                continue;
            }
            let capacity = workbook
                .capacity
                .get(demand.pool)
                .and_then(|row| row.get(t))
                .copied()
                .unwrap_or(0.0);
            let used = usage
                .load
                .get(demand.pool)
                .and_then(|row| row.get(t))
                .copied()
                .unwrap_or(0.0);
            if exceeds(used + need, capacity) {
                let pool = workbook
                    .pools
                    .get(demand.pool)
                    .map(String::as_str)
                    .unwrap_or("?");
                blockers.push(Blocker {
                    message: format!(
                        "capacity of pool '{pool}' in {}: needs {} FTE, {} free",
                        label(workbook, t),
                        fte(need),
                        fte((capacity - used).max(0.0))
                    ),
                    depends_on_start: true,
                    shortfall: missing_part(need, capacity - used),
                });
            }
        }
        if workbook.staffing.is_some() && !project.demand.is_empty() {
            // With teams.csv a skill has no capacity of its own: the teams serving it must
            // cover the portfolio's demand and the project's, however they split their FTE.
            let mut need: Vec<f64> = (0..workbook.pools.len())
                .map(|k| {
                    usage
                        .load
                        .get(k)
                        .and_then(|row| row.get(t))
                        .copied()
                        .unwrap_or(0.0)
                })
                .collect();
            let mut own = 0.0;
            let mut skills = Vec::new();
            for demand in &project.demand {
                let fte = demand.fte.get(offset).copied().unwrap_or(0.0);
                if fte > 0.0 {
                    need[demand.pool] += fte;
                    own += fte;
                    skills.push(format!("'{}'", workbook.pools[demand.pool]));
                }
            }
            let short = crate::solve::staff_shortfall(workbook, &need, t).unwrap_or(0.0);
            if own > 0.0 && short > 1e-6 * own.max(1.0) {
                blockers.push(Blocker {
                    message: format!(
                        "staff in {}: needs {} FTE of {}, the teams serving it are {} FTE short",
                        label(workbook, t),
                        fte(own),
                        skills.join(", "),
                        fte(short)
                    ),
                    depends_on_start: true,
                    shortfall: (short / own).clamp(0.0, 1.0),
                });
            }
        }
        let amount = spend
            .iter()
            .find(|(period, _)| *period == t)
            .map(|(_, amount)| *amount)
            .unwrap_or(0.0);
        if amount <= 0.0 {
            continue;
        }
        if let Some(Some(cap)) = workbook.budget_total.get(t) {
            let spent = usage.spend.get(t).copied().unwrap_or(0.0);
            if exceeds(spent + amount, *cap) {
                blockers.push(Blocker {
                    message: format!(
                        "budget of {}: needs {}, {} left",
                        label(workbook, t),
                        money(amount),
                        money((cap - spent).max(0.0))
                    ),
                    depends_on_start: true,
                    shortfall: missing_part(amount, cap - spent),
                });
            }
        }
        let Some(c) = project.category else {
            continue;
        };
        let cap = workbook
            .budget_category
            .get(&c)
            .and_then(|caps| caps.get(t))
            .copied()
            .flatten();
        if let Some(cap) = cap {
            let spent = usage
                .category_spend
                .get(c)
                .and_then(|row| row.get(t))
                .copied()
                .unwrap_or(0.0);
            if exceeds(spent + amount, cap) {
                let name = workbook
                    .categories
                    .get(c)
                    .map(String::as_str)
                    .unwrap_or("?");
                blockers.push(Blocker {
                    message: format!(
                        "budget of category '{name}' in {}: needs {}, {} left",
                        label(workbook, t),
                        money(amount),
                        money((cap - spent).max(0.0))
                    ),
                    depends_on_start: true,
                    shortfall: missing_part(amount, cap - spent),
                });
            }
        }
    }
    blockers
}

/// A project that could be added without breaking any rule.
fn fits(workbook: &Workbook, status: SolveStatus, objective: Objective, p: usize) -> String {
    let score = workbook.score(p, objective);
    if score.abs() <= 1e-12 {
        "fits, but adds no value (score 0)".to_string()
    } else if score < 0.0 {
        "fits, but its score is negative".to_string()
    } else if status == SolveStatus::Feasible {
        // Adding it would raise the objective: the search stopped before finding that.
        "fits and would add value; the time limit stopped the search before a better portfolio was proven"
            .to_string()
    } else {
        // Optimal within the relative gap: what it adds is below the gap tolerance.
        "fits, but what it adds is within the optimality gap".to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Balance, Demand};
    use crate::report::testkit::{project, workbook};

    fn reason(wb: &Workbook, starts: &[Option<usize>], p: usize) -> String {
        reasons(wb, &starts.to_vec(), SolveStatus::Optimal, Objective::Score)[p].clone()
    }

    #[test]
    fn excluded_status() {
        let mut wb = workbook(&["Q1"], vec![project("A", 10.0, 1, 5.0)]);
        wb.projects[0].status = Status::Excluded;
        assert_eq!(reason(&wb, &[None], 0), "excluded");
    }

    #[test]
    fn excludes_a_selected_project_either_way() {
        let mut wb = workbook(
            &["Q1"],
            vec![
                project("A", 10.0, 1, 5.0),
                project("B", 10.0, 1, 5.0),
                project("C", 10.0, 1, 5.0),
            ],
        );
        wb.projects[0].excludes = vec![1];
        wb.projects[2].excludes = vec![0];
        // A written as excluding B; C written as excluding A: both directions count.
        assert_eq!(
            reason(&wb, &[None, Some(0), None], 0),
            "excludes B, which is in"
        );
        assert_eq!(
            reason(&wb, &[Some(0), None, None], 2),
            "excludes A, which is in"
        );
        assert_eq!(
            reason(&wb, &[None, Some(0), Some(0)], 0),
            "excludes B, C, which are in"
        );
    }

    #[test]
    fn requires_a_project_that_is_out() {
        let mut wb = workbook(
            &["Q1"],
            vec![project("P-1", 10.0, 1, 5.0), project("P-3", 10.0, 1, 5.0)],
        );
        wb.projects[0].requires = vec![1];
        assert_eq!(reason(&wb, &[None, None], 0), "requires P-3, which is out");
    }

    #[test]
    fn after_a_project_that_is_out() {
        let mut wb = workbook(
            &["Q1", "Q2"],
            vec![project("P-1", 10.0, 1, 5.0), project("P-2", 10.0, 1, 5.0)],
        );
        wb.projects[0].after = vec![1];
        assert_eq!(
            reason(&wb, &[None, None], 0),
            "must start after P-2, which is out"
        );
    }

    #[test]
    fn window_cannot_fit_after_its_predecessor() {
        let mut wb = workbook(
            &["Q1", "Q2", "Q3", "Q4"],
            vec![project("A", 10.0, 2, 5.0), project("B", 10.0, 1, 5.0)],
        );
        wb.projects[1].after = vec![0];
        wb.projects[1].latest = 1;
        // A runs Q2..Q3, so B could start in Q4 at the earliest; its latest start is Q2.
        assert_eq!(
            reason(&wb, &[Some(1), None], 1),
            "window cannot fit: must start after A, which ends in Q3, but its latest start is Q2"
        );
        // A running to the end of the horizon leaves no room at all.
        wb.projects[1].latest = 3;
        assert_eq!(
            reason(&wb, &[Some(2), None], 1),
            "window cannot fit: must start after A, which runs to the end of the horizon"
        );
    }

    #[test]
    fn capacity_blocks() {
        let mut wb = workbook(
            &["2027-Q1", "2027-Q2"],
            vec![project("A", 10.0, 1, 5.0), project("B", 10.0, 1, 5.0)],
        );
        wb.projects[1].earliest = 1;
        wb.projects[1].latest = 1;
        wb.pools = vec!["data".into()];
        wb.capacity = vec![vec![3.0, 2.5]];
        wb.projects[0].demand = vec![Demand {
            pool: 0,
            fte: vec![2.0],
        }];
        wb.projects[1].demand = vec![Demand {
            pool: 0,
            fte: vec![2.0],
        }];
        // B alone in Q2 would fit; with A in Q2 only 0.5 FTE is free.
        assert_eq!(
            reason(&wb, &[Some(1), None], 1),
            "capacity of pool 'data' in 2027-Q2: needs 2 FTE, 0.5 free"
        );
    }

    #[test]
    fn best_start_is_named_when_every_start_is_blocked() {
        let mut wb = workbook(
            &["Q1", "Q2", "Q3"],
            vec![
                project("A", 100.0, 1, 5.0),
                project("B", 100.0, 1, 5.0),
                project("C", 50.0, 1, 5.0),
            ],
        );
        wb.budget_total = vec![Some(100.0), Some(100.0), Some(30.0)];
        wb.projects[0].latest = 0;
        wb.projects[1].earliest = 1;
        wb.projects[1].latest = 1;
        // C is blocked in every quarter; Q3 leaves the most (30) but still too little.
        let text = reason(&wb, &[Some(0), Some(1), None], 2);
        assert_eq!(text, "budget of Q3: needs 50, 30 left (best start Q3)");
    }

    #[test]
    fn total_budget_blocks() {
        let mut wb = workbook(
            &["2027-Q1"],
            vec![
                project("A", 85_000.0, 1, 5.0),
                project("B", 120_000.0, 1, 5.0),
            ],
        );
        wb.budget_total = vec![Some(120_000.0)];
        assert_eq!(
            reason(&wb, &[Some(0), None], 1),
            "budget of 2027-Q1: needs 120,000, 35,000 left"
        );
    }

    #[test]
    fn category_budget_blocks_and_counts_further_blockers() {
        let mut wb = workbook(
            &["2027-Q1"],
            vec![
                project("A", 85_000.0, 1, 5.0),
                project("B", 120_000.0, 1, 5.0),
            ],
        );
        wb.categories = vec!["Growth".into()];
        wb.projects[0].category = Some(0);
        wb.projects[1].category = Some(0);
        wb.budget_category.insert(0, vec![Some(100_000.0)]);
        assert_eq!(
            reason(&wb, &[Some(0), None], 1),
            "budget of category 'Growth' in 2027-Q1: needs 120,000, 15,000 left"
        );
        wb.budget_total = vec![Some(120_000.0)];
        assert_eq!(
            reason(&wb, &[Some(0), None], 1),
            "budget of 2027-Q1: needs 120,000, 35,000 left (1 more blocker)"
        );
    }

    #[test]
    fn balance_max_share_blocks() {
        let mut wb = workbook(
            &["Q1"],
            vec![project("A", 60.0, 1, 5.0), project("B", 40.0, 1, 5.0)],
        );
        wb.categories = vec!["Grow".into(), "Run".into()];
        wb.projects[0].category = Some(0);
        wb.projects[1].category = Some(1);
        wb.balance = vec![Balance {
            category: 1,
            min_share: 0.0,
            max_share: 0.3,
        }];
        assert_eq!(
            reason(&wb, &[Some(0), None], 1),
            "balance: category 'Run' would exceed its max share 30% (it would be 40%)"
        );
    }

    #[test]
    fn balance_min_share_blocks() {
        let mut wb = workbook(
            &["Q1"],
            vec![project("A", 60.0, 1, 5.0), project("B", 40.0, 1, 5.0)],
        );
        wb.categories = vec!["Grow".into(), "Run".into()];
        wb.projects[0].category = Some(0);
        wb.projects[1].category = Some(1);
        wb.balance = vec![Balance {
            category: 0,
            min_share: 0.75,
            max_share: 1.0,
        }];
        assert_eq!(
            reason(&wb, &[Some(0), None], 1),
            "balance: category 'Grow' would fall below its min share 75% (it would be 60%)"
        );
    }

    #[test]
    fn fits_without_value() {
        let wb = workbook(&["Q1"], vec![project("A", 10.0, 1, 0.0)]);
        assert_eq!(reason(&wb, &[None], 0), "fits, but adds no value (score 0)");
    }

    #[test]
    fn fits_with_value_depends_on_status() {
        let wb = workbook(&["Q1"], vec![project("A", 10.0, 1, 3.0)]);
        let feasible = reasons(&wb, &vec![None], SolveStatus::Feasible, Objective::Score);
        assert!(feasible[0].contains("time limit"), "{}", feasible[0]);
        let optimal = reasons(&wb, &vec![None], SolveStatus::Optimal, Objective::Score);
        assert_eq!(
            optimal[0],
            "fits, but what it adds is within the optimality gap"
        );
    }

    #[test]
    fn selected_reasons() {
        let mut wb = workbook(
            &["Q1", "Q2"],
            vec![
                project("M", 10.0, 1, 1.0),
                project("I", 40.0, 4, 1.0),
                project("R", 10.0, 1, 1.0),
                project("S", 10.0, 1, 1.0),
                project("N", 10.0, 1, 1.0),
            ],
        );
        wb.projects[0].status = Status::Mandatory;
        wb.projects[1].status = Status::InProgress;
        wb.projects[1].latest = 0;
        wb.projects[2].requires = vec![3];
        wb.projects[4].after = vec![0];
        let starts = vec![Some(0), Some(0), Some(0), Some(0), Some(1)];
        let got = reasons(&wb, &starts, SolveStatus::Optimal, Objective::Score);
        assert_eq!(got[0], "mandatory; needed by N");
        assert_eq!(
            got[1],
            "in progress; runs past the horizon (20 of its 40 cost falls inside it)"
        );
        assert_eq!(got[2], "selected");
        assert_eq!(got[3], "needed by R");
        assert_eq!(got[4], "selected");
    }

    #[test]
    fn infeasible_points_to_the_diagnosis() {
        let mut wb = workbook(
            &["Q1"],
            vec![project("M", 10.0, 1, 1.0), project("X", 10.0, 1, 1.0)],
        );
        wb.projects[0].status = Status::Mandatory;
        wb.projects[1].status = Status::Excluded;
        let got = reasons(
            &wb,
            &vec![None, None],
            SolveStatus::Infeasible,
            Objective::Score,
        );
        assert_eq!(
            got[0],
            "mandatory, but no feasible portfolio exists; see the diagnosis"
        );
        assert_eq!(got[1], "excluded");
    }
}
