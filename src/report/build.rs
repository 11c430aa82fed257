//! Building a [`Report`] from a workbook and a checked solution: the summary, the ranked
//! portfolio with its reasons, and the rows of allocation.csv, utilisation.csv and spend.csv,
//! all recomputed from the model and the chosen starts.

use super::format::round6;
use super::{
    AllocationRow, AllocationSummary, PortfolioRow, QualitySummary, RankCell, Report, Selected,
    SpendRow, Summary, UtilisationRow, Weight, SCHEMA,
};
use crate::analysis::{Impact, Ranking};
use crate::model::{Objective, Starts, WeightSource, Workbook};
use crate::rules::budget;
use crate::rules::usage::{total_cost, Usage};
use crate::rules::words::label;
use crate::solve::{Assignment, Needed, Solution, SolveOptions, SolveStatus};

/// Build the report of `solution` for `workbook`.
pub fn build(workbook: &Workbook, solution: &Solution, options: &SolveOptions) -> Report {
    build_ranked(workbook, solution, options, None)
}

/// [`build`], with portfolio.csv in the order of a [`Ranking`] (selected projects by
/// criticality, descending, then the rest by regret, ascending; ties by score, then id), its
/// `criticality` and `regret` columns filled, and its reasons saying what forcing each
/// project in or out would do.
pub fn build_ranked(
    workbook: &Workbook,
    solution: &Solution,
    options: &SolveOptions,
    ranking: Option<&Ranking>,
) -> Report {
    let infeasible = solution.status == SolveStatus::Infeasible;
    let partial = workbook.projects.iter().any(|p| p.is_partial());
    let shares: Vec<f64> = (0..workbook.projects.len())
        .map(|p| solution.shares.get(p).copied().unwrap_or(1.0))
        .collect();
    // A partly funded project counts at its share everywhere: cost, score, spend, staff.
    let scaled;
    let workbook = if infeasible || shares.iter().all(|&s| s == 1.0) {
        workbook
    } else {
        scaled = workbook.at_shares(&shares);
        &scaled
    };
    let n = workbook.projects.len();
    // An infeasible solve selects nothing, whatever the solution carries.
    let starts: Starts = (0..n)
        .map(|p| {
            if infeasible {
                None
            } else {
                solution.starts.get(p).copied().flatten()
            }
        })
        .collect();
    let usage = Usage::of(workbook, &starts);
    let mut reasons =
        super::reasons::reasons(workbook, &starts, solution.status, options.objective);
    if let (Some(ranking), Some(z)) = (ranking, solution.objective) {
        reasons = super::reasons::with_ranking(workbook, reasons, ranking, z);
    }
    // A project funded in part says so first: what it is funded at is its most visible fact.
    for (p, reason) in reasons.iter_mut().enumerate() {
        if starts[p].is_none() {
            continue;
        }
        if let Some(funded) = crate::rules::share::reason_in(workbook, p, shares[p]) {
            *reason = if reason == "selected" {
                funded
            } else {
                format!("{funded}; {reason}")
            };
        }
    }

    let selected: Vec<Selected> = starts
        .iter()
        .enumerate()
        .filter_map(|(p, start)| {
            start.map(|start| Selected {
                id: workbook.projects[p].id.clone(),
                start: label(workbook, start),
                share: workbook.projects[p].is_partial().then(|| shares[p]),
            })
        })
        .collect();
    let objective_kind = if options.objective == Objective::Value || workbook.drivers.is_empty() {
        "value"
    } else {
        "score"
    };
    let summary = Summary {
        schema: SCHEMA,
        status: solution.status,
        objective: solution.objective.filter(|_| !infeasible),
        bound: solution.bound.filter(|_| !infeasible),
        gap: solution.gap.filter(|_| !infeasible),
        count: selected.len(),
        selected,
        total_cost: usage.total_cost,
        seconds: solution.seconds,
        stopped_by: solution.stopped_by,
        objective_kind,
        discount: options.discount,
        weights: workbook
            .drivers
            .iter()
            .map(|d| Weight {
                driver: d.name.clone(),
                weight: d.weight,
            })
            .collect(),
        consistency_ratio: match workbook.weight_source {
            WeightSource::Pairwise {
                consistency_ratio, ..
            } if !workbook.drivers.is_empty() => Some(consistency_ratio),
            _ => None,
        },
        most_inconsistent: match &workbook.weight_source {
            WeightSource::Pairwise {
                consistency_ratio,
                worst: Some(worst),
                ..
            } if *consistency_ratio > 0.10 && !workbook.drivers.is_empty() => {
                Some(worst.to_string())
            }
            _ => None,
        },
        allocation: solution
            .allocation_quality
            .filter(|_| !infeasible)
            .map(|(q, split)| AllocationSummary {
                team_project_pairs: q.pairs,
                split_skills: q.split_skills,
                fte_changes: round6(q.changes),
                proportional_split: QualitySummary {
                    team_project_pairs: split.pairs,
                    split_skills: split.split_skills,
                    fte_changes: round6(split.changes),
                },
            }),
        diagnosis: infeasible.then(|| {
            solution
                .diagnosis
                .iter()
                .flat_map(|d| d.findings.iter().map(|f| f.message.clone()))
                .collect()
        }),
        baseline: None,
    };

    Report {
        teams: workbook.staffing.is_some(),
        partial,
        summary,
        portfolio: portfolio_rows(
            workbook,
            &starts,
            reasons,
            options.objective,
            ranking,
            partial.then_some(shares.as_slice()),
        ),
        allocation: match &workbook.staffing {
            Some(_) if infeasible => Vec::new(),
            Some(_) => team_allocation_rows(workbook, &solution.allocation),
            None => allocation_rows(workbook, &starts),
        },
        utilisation: match &workbook.staffing {
            Some(_) => team_utilisation_rows(
                workbook,
                if infeasible {
                    &[]
                } else {
                    &solution.allocation
                },
            ),
            None => utilisation_rows(workbook, &usage),
        },
        spend: spend_rows(workbook, &usage),
    }
}

fn portfolio_rows(
    workbook: &Workbook,
    starts: &Starts,
    reasons: Vec<String>,
    objective: Objective,
    ranking: Option<&Ranking>,
    shares: Option<&[f64]>,
) -> Vec<PortfolioRow> {
    let horizon = workbook.horizon();
    let cell = |impact: &Option<Impact>, impossible: &'static str| {
        impact.as_ref().map(|i| match i.loss() {
            Some(loss) => RankCell::Loss(loss),
            None => RankCell::Impossible(impossible),
        })
    };
    let mut rows: Vec<PortfolioRow> = workbook
        .projects
        .iter()
        .zip(reasons)
        .enumerate()
        .map(|(p, (project, reason))| {
            let start = starts.get(p).copied().flatten();
            // The last running period, clipped to the horizon (in-progress work may run past).
            let end = start.map(|s| {
                let last = s + project.duration.max(1) - 1;
                label(workbook, last.min(horizon.saturating_sub(1)))
            });
            PortfolioRow {
                rank: 0,
                id: project.id.clone(),
                name: project.name.clone(),
                selected: start.is_some(),
                start: start.map(|s| label(workbook, s)),
                end,
                score: workbook.score(p, objective),
                cost: total_cost(workbook, p),
                share: shares
                    .filter(|_| start.is_some())
                    .map(|s| s.get(p).copied().unwrap_or(1.0)),
                category: workbook.category_name(p).map(str::to_string),
                reason,
                criticality: ranking.and_then(|r| cell(&r.criticality[p], "cannot drop")),
                regret: ranking.and_then(|r| cell(&r.regret[p], "cannot fit")),
                extra_budget: ranking.and_then(|r| {
                    let t = r.takes[p].as_ref()?;
                    Some(need_cell(&t.money, t.money_total(horizon)))
                }),
                extra_fte: ranking.and_then(|r| {
                    let t = r.takes[p].as_ref()?;
                    Some(need_cell(&t.staff, t.staff_total()))
                }),
                change: None,
            }
        })
        .collect();
    if ranking.is_some() {
        // Selected by criticality (most critical first), then the rest by regret (least
        // regretted first), projects without a regret (excluded) last.
        let key = |row: &PortfolioRow| -> (u8, f64) {
            match (&row.criticality, &row.regret) {
                (Some(c), _) => (0, -c.key()),
                (None, Some(r)) => (1, r.key()),
                (None, None) if row.selected => (0, f64::NEG_INFINITY),
                (None, None) => (2, 0.0),
            }
        };
        rows.sort_by(|a, b| {
            let (ga, ka) = key(a);
            let (gb, kb) = key(b);
            ga.cmp(&gb)
                .then(ka.total_cmp(&kb))
                .then(b.score.total_cmp(&a.score))
                .then_with(|| a.id.cmp(&b.id))
        });
    } else {
        rows.sort_by(|a, b| {
            b.selected
                .cmp(&a.selected)
                .then(b.score.total_cmp(&a.score))
                .then_with(|| a.id.cmp(&b.id))
        });
    }
    for (i, row) in rows.iter_mut().enumerate() {
        row.rank = i + 1;
    }
    rows
}

/// An `extra_budget` / `extra_fte` cell.
fn need_cell(needed: &Needed, total: Option<f64>) -> RankCell {
    match (needed, total) {
        (Needed::Raises(_), Some(x)) => RankCell::Loss(x),
        (Needed::NotFound, _) => RankCell::Impossible("not found in time"),
        _ => RankCell::Impossible("no amount"),
    }
}

fn allocation_rows(workbook: &Workbook, starts: &Starts) -> Vec<AllocationRow> {
    let horizon = workbook.horizon();
    // (period, pool, project, fte), sorted by index before the labels are looked up.
    let mut loads: Vec<(usize, usize, usize, f64)> = Vec::new();
    for (p, start) in starts.iter().enumerate() {
        let (Some(start), Some(project)) = (*start, workbook.projects.get(p)) else {
            continue;
        };
        for demand in &project.demand {
            for (offset, fte) in demand.fte.iter().enumerate() {
                let t = start + offset;
                if t < horizon && *fte != 0.0 {
                    loads.push((t, demand.pool, p, *fte));
                }
            }
        }
    }
    loads.sort_by_key(|a| (a.0, a.1, a.2));
    loads
        .into_iter()
        .map(|(t, pool, p, fte)| AllocationRow {
            period: label(workbook, t),
            pool: workbook.pools.get(pool).cloned().unwrap_or_default(),
            team: None,
            project: workbook.projects[p].id.clone(),
            fte,
        })
        .collect()
}

/// allocation.csv with teams.csv: one row per (period, skill, team, project).
fn team_allocation_rows(workbook: &Workbook, allocation: &[Assignment]) -> Vec<AllocationRow> {
    let Some(staffing) = &workbook.staffing else {
        return Vec::new();
    };
    let mut rows: Vec<&Assignment> = allocation.iter().collect();
    rows.sort_by_key(|a| (a.period, a.skill, a.team, a.project));
    rows.into_iter()
        .map(|a| AllocationRow {
            period: label(workbook, a.period),
            pool: workbook.pools.get(a.skill).cloned().unwrap_or_default(),
            team: staffing.teams.get(a.team).cloned(),
            project: workbook.projects[a.project].id.clone(),
            fte: a.fte,
        })
        .collect()
}

/// utilisation.csv with teams.csv: one row per period and team.
fn team_utilisation_rows(workbook: &Workbook, allocation: &[Assignment]) -> Vec<UtilisationRow> {
    let Some(staffing) = &workbook.staffing else {
        return Vec::new();
    };
    let mut used = vec![vec![0.0; workbook.horizon()]; staffing.teams.len()];
    for a in allocation {
        if let Some(x) = used.get_mut(a.team).and_then(|row| row.get_mut(a.period)) {
            *x += a.fte;
        }
    }
    let mut rows = Vec::new();
    for (t, period) in workbook.periods.iter().enumerate() {
        for (team, name) in staffing.teams.iter().enumerate() {
            let capacity = staffing.capacity[team][t];
            let allocated = used[team][t];
            rows.push(UtilisationRow {
                period: period.clone(),
                pool: name.clone(),
                capacity,
                allocated,
                utilisation: share(allocated, capacity),
            });
        }
    }
    rows
}

/// allocated / capacity; 0 when both are 0; `None` when capacity is 0 and something is.
fn share(allocated: f64, capacity: f64) -> Option<f64> {
    if capacity > 0.0 {
        Some(allocated / capacity)
    } else if allocated == 0.0 {
        Some(0.0)
    } else {
        None
    }
}

fn utilisation_rows(workbook: &Workbook, usage: &Usage) -> Vec<UtilisationRow> {
    let mut rows = Vec::new();
    for (t, period) in workbook.periods.iter().enumerate() {
        for (pool, name) in workbook.pools.iter().enumerate() {
            let capacity = workbook
                .capacity
                .get(pool)
                .and_then(|row| row.get(t))
                .copied()
                .unwrap_or(0.0);
            let allocated = usage
                .load
                .get(pool)
                .and_then(|row| row.get(t))
                .copied()
                .unwrap_or(0.0);
            let utilisation = share(allocated, capacity);
            rows.push(UtilisationRow {
                period: period.clone(),
                pool: name.clone(),
                capacity,
                allocated,
                utilisation,
            });
        }
    }
    rows
}

fn spend_rows(workbook: &Workbook, usage: &Usage) -> Vec<SpendRow> {
    // Categories with a budget in some period or a spend in some period get a row in every
    // period, so that each period lists the same categories; sorted by name.
    let mut categories: Vec<usize> = (0..workbook.categories.len())
        .filter(|c| {
            let budgeted = workbook
                .budget_category
                .get(c)
                .is_some_and(|caps| caps.iter().any(Option::is_some));
            let spent = usage
                .category_spend
                .get(*c)
                .is_some_and(|row| row.iter().any(|x| *x != 0.0));
            budgeted || spent
        })
        .collect();
    categories.sort_by(|a, b| workbook.categories[*a].cmp(&workbook.categories[*b]));

    // What each row has available with carry-over, less its own budget: what was carried in.
    let carried = |caps: &[Option<f64>], carry: &[bool], spent: &[f64]| -> Vec<f64> {
        budget::available(caps, carry, spent)
            .iter()
            .zip(caps)
            .map(|(avail, cap)| match (avail, cap) {
                (Some(a), Some(c)) => a - c,
                _ => 0.0,
            })
            .collect()
    };
    let total_carried = carried(
        &workbook.budget_total,
        budget::carry_of(workbook, None),
        &usage.spend,
    );
    let none = Vec::new();
    let category_carried: Vec<Vec<f64>> = (0..workbook.categories.len())
        .map(|c| match workbook.budget_category.get(&c) {
            Some(caps) => carried(
                caps,
                budget::carry_of(workbook, Some(c)),
                usage.category_spend.get(c).unwrap_or(&none),
            ),
            None => Vec::new(),
        })
        .collect();
    let at = |row: Option<&Vec<f64>>, t: usize| row.and_then(|r| r.get(t)).copied().unwrap_or(0.0);
    let mut rows = Vec::new();
    for (t, period) in workbook.periods.iter().enumerate() {
        rows.push(SpendRow {
            period: period.clone(),
            category: None,
            budget: workbook.budget_total.get(t).copied().flatten(),
            spent: usage.spend.get(t).copied().unwrap_or(0.0),
            inflow: at(Some(&usage.inflow), t),
            carried_in: at(Some(&total_carried), t),
        });
        for &c in &categories {
            rows.push(SpendRow {
                period: period.clone(),
                category: Some(workbook.categories[c].clone()),
                budget: workbook
                    .budget_category
                    .get(&c)
                    .and_then(|caps| caps.get(t))
                    .copied()
                    .flatten(),
                spent: usage
                    .category_spend
                    .get(c)
                    .and_then(|row| row.get(t))
                    .copied()
                    .unwrap_or(0.0),
                inflow: at(usage.category_inflow.get(c), t),
                carried_in: at(category_carried.get(c), t),
            });
        }
    }
    rows
}
