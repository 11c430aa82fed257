//! The `reason` column of portfolio.csv: for a project that is out, the concrete rule that keeps
//! it out; for one that is in, what makes it critical.
//!
//! Reasons are recomputed from the model and the chosen starts alone (never from the solver's
//! variables). A project that is out is tried at every start of its window against the selected
//! portfolio; the start with the fewest broken rules is reported with its first broken rule.

use crate::analysis::{Impact, Ranking, Takes};
use crate::model::{Objective, Starts, Status, Workbook};
use crate::rules::usage::{project_spend, Usage};
use crate::rules::words::label;
use crate::rules::{self, start_of, Blocker};
use crate::solve::SolveStatus;
use crate::solve::{Needed, Raise};

use super::format::{fte, human, money};

/// The ids of projects as prose, for the reports too.
pub(super) use crate::rules::words::and_list;

/// One reason per project, indexed like [`Workbook::projects`].
pub fn reasons(
    workbook: &Workbook,
    starts: &Starts,
    status: SolveStatus,
    objective: Objective,
) -> Vec<String> {
    let usage = Usage::of(workbook, starts);
    // A partly fundable project that is out is tried at its least share: what keeps it out
    // is that even that much does not fit.
    let least: Vec<f64> = workbook
        .projects
        .iter()
        .enumerate()
        .map(
            |(p, project)| match (start_of(starts, p), project.min_share) {
                (None, Some(s)) if project.is_partial() => s,
                _ => 1.0,
            },
        )
        .collect();
    let at_least = workbook.at_shares(&least);
    (0..workbook.projects.len())
        .map(|p| match start_of(starts, p) {
            Some(start) => reason_in(workbook, starts, p, start),
            None => reason_out(&at_least, starts, &usage, status, objective, p),
        })
        .collect()
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
    // An empty list of raises (nothing more needed: a partly fundable project fits at a
    // smaller share) is no option to offer.
    let options: Vec<String> = [
        raises(&takes.money)
            .filter(|r| !r.is_empty())
            .zip(takes.money_total(workbook.horizon()))
            .map(|(raises, total)| format!("{} more budget ({})", money(total), list(&raises))),
        raises(&takes.staff)
            .filter(|r| !r.is_empty())
            .zip(takes.staff_total())
            .map(|(raises, total)| format!("{} more FTE ({})", fte(total), list(&raises))),
    ]
    .into_iter()
    .flatten()
    .collect();
    let unknown = takes.money == Needed::NotFound || takes.staff == Needed::NotFound;
    let nothing = |n: &Needed| matches!(n, Needed::Raises(r) if r.is_empty());
    if options.is_empty() && (nothing(&takes.money) || nothing(&takes.staff)) {
        return None;
    }
    if !options.is_empty() {
        Some(format!("it would take {}", options.join(" or ")))
    } else if unknown {
        Some("what it would take was not found within the time limit".to_string())
    } else {
        Some("no extra budget or staff alone brings it in beside the current portfolio".to_string())
    }
}

/// Why a selected project is critical: its status, and the selected projects that need it.
fn reason_in(workbook: &Workbook, starts: &Starts, p: usize, start: usize) -> String {
    let parts: Vec<String> = [
        rules::status::reason_in(workbook, p, start),
        rules::requires::needed_by(workbook, starts, p),
        needed_by_any(workbook, starts, p),
        rules::limits::needed_for(workbook, starts, p),
    ]
    .into_iter()
    .flatten()
    .collect();
    if parts.is_empty() {
        "selected".to_string()
    } else {
        parts.join("; ")
    }
}

/// "the only one of its group for P-4 and P-7": the selected projects whose `requires_any`
/// group this project alone meets.
fn needed_by_any(workbook: &Workbook, starts: &Starts, p: usize) -> Option<String> {
    let by = rules::requires_any::needed_by(workbook, starts, p);
    (!by.is_empty()).then(|| {
        format!(
            "the one alternative selected for {}",
            and_list(workbook, by.iter().copied())
        )
    })
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
    if let Some(reason) = rules::status::reason_out(workbook, p) {
        return reason;
    }
    if status == SolveStatus::Infeasible {
        let what = match project.status {
            Status::Mandatory | Status::InProgress => {
                format!("{}, but ", rules::words::forced_status(workbook, p))
            }
            Status::Candidate | Status::Excluded => String::new(),
        };
        return format!("{what}no feasible portfolio exists; see the diagnosis");
    }
    // The links first: they keep a project out whatever the limits.
    let links = [
        rules::excludes::reason_out(workbook, starts, p),
        rules::requires::reason_out(workbook, starts, p),
        rules::requires_any::reason_out(workbook, starts, p),
        rules::after::reason_out(workbook, starts, p),
    ];
    if let Some(reason) = links.into_iter().flatten().next() {
        return reason;
    }
    let (earliest, latest) = match rules::window::window_after(workbook, starts, project) {
        Ok(window) => window,
        Err(reason) => return reason,
    };

    // The start with the fewest broken rules, then the smallest shortfall; ties go to the
    // earliest start.
    let mut best: Option<(usize, Vec<Blocker>)> = None;
    for start in earliest..=latest {
        let blockers = blockers_at(workbook, starts, usage, p, start);
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

/// Sum of the shortfalls of a start's blockers: smaller is closer to fitting.
fn shortfall(blockers: &[Blocker]) -> f64 {
    blockers.iter().map(|b| b.shortfall).sum()
}

/// Every rule broken by adding project `p`, started in `start`, to the selected portfolio:
/// balance shares first (they block every start alike), count limits, then period by period: capacity of
/// each pool, staff of the teams, total budget, category budget.
fn blockers_at(
    workbook: &Workbook,
    starts: &Starts,
    usage: &Usage,
    p: usize,
    start: usize,
) -> Vec<Blocker> {
    let project = &workbook.projects[p];
    let mut blockers = rules::balance::blockers(workbook, usage, p, start);
    blockers.extend(rules::limits::blockers(workbook, starts, p, start));
    let shortfall =
        |wb: &Workbook, need: &[f64], t: usize| crate::solve::staff_shortfall(wb, need, t);
    let spend: Vec<(usize, f64)> = project_spend(workbook, p, start);
    for offset in 0..project.duration {
        let t = start + offset;
        if t >= workbook.horizon() {
            break;
        }
        blockers.extend(rules::capacity::blockers_in(workbook, usage, p, offset, t));
        blockers.extend(rules::teams::blockers_in(
            workbook, usage, p, offset, t, &shortfall,
        ));
        let amount = spend
            .iter()
            .find(|(period, _)| *period == t)
            .map(|(_, amount)| *amount)
            .unwrap_or(0.0);
        if amount > 0.0 {
            blockers.extend(rules::budget::blockers_in(workbook, usage, p, t, amount));
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
mod tests;
