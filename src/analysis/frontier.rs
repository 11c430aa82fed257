//! The efficient frontier: the best objective as the budget grows, from what mandatory and
//! in-progress work needs to what the best unconstrained portfolio spends. Every budget cap
//! (total and per category) is scaled by the same factor; the points are solved in parallel.

use super::{ids, selected};
use crate::error::{Error, Result};
use crate::model::{Starts, Status, Workbook};
use crate::parallel::par_map;
use crate::solve::{solve, SolveOptions, SolveStatus};

/// One point of the frontier.
#[derive(Debug, Clone, PartialEq)]
pub struct Point {
    /// Factor applied to every budget cap (1 = today's budget).
    pub scale: f64,
    /// The total budget at this scale: the sum of the total caps over the horizon (the sum
    /// of the category caps when there is no total cap).
    pub budget: f64,
    pub status: SolveStatus,
    /// Best objective (`None` when infeasible).
    pub value: Option<f64>,
    /// Cost inside the horizon of the chosen portfolio.
    pub cost: f64,
    /// Ids of the chosen projects, in project order.
    pub selected: Vec<String>,
}

/// The frontier, by increasing scale, with today's budget among its points.
#[derive(Debug, Clone, PartialEq)]
pub struct Frontier {
    pub points: Vec<Point>,
    /// Index of the point at scale 1.
    pub today: usize,
    /// Index of the knee: the point furthest above the straight line from the first to the
    /// last feasible point (budget and value each scaled to 0…1), where more budget starts
    /// to buy less value. `None` with fewer than 3 feasible points or a straight frontier.
    pub knee: Option<usize>,
}

/// Relative precision of the lower end of the frontier (a bisection on cheap feasibility
/// solves).
const SCALE_PRECISION: f64 = 1e-4;

/// Solve `points` budgets evenly spaced from what forced work needs to what the best
/// unconstrained portfolio (earliest starts) spends, plus today's budget, on `workers`
/// threads. Before the points: a bisection on cheap feasibility solves and one solve.
pub fn frontier(
    workbook: &Workbook,
    options: &SolveOptions,
    points: usize,
    workers: usize,
) -> Result<Frontier> {
    if points < 2 {
        return Err(Error::Internal("a frontier needs at least 2 points".into()));
    }
    if budget_at(workbook, 1.0) <= 0.0 {
        return Err(Error::Unsupported(
            "the workbook has no budget cap to vary; a frontier needs budget.csv amounts".into(),
        ));
    }
    let objective_only = SolveOptions {
        tie_break: false,
        allocate: false,
        quick: true,
        ..options.clone()
    };
    let low = smallest_feasible_scale(workbook, &objective_only)?;
    let high = unconstrained_scale(workbook, &objective_only)?.max(low);
    let mut scales: Vec<f64> = (0..points)
        .map(|i| low + (high - low) * i as f64 / (points - 1) as f64)
        .collect();
    // Today's budget is a point of its own; a grid point within a tenth of a step of it is
    // moved onto it rather than drawn beside it.
    let step = (high - low) / (points - 1) as f64;
    match scales
        .iter_mut()
        .find(|s| (**s - 1.0).abs() <= step / 10.0 + 1e-12)
    {
        Some(near) => *near = 1.0,
        None => scales.push(1.0),
    }
    scales.sort_by(f64::total_cmp);
    scales.dedup_by(|a, b| (*a - *b).abs() <= 1e-12);
    let solved = par_map(&scales, workers, |&scale| {
        let wb = scaled(workbook, scale);
        solve(&wb, &objective_only).map(|s| (wb, s))
    })?;
    let mut out = Vec::with_capacity(scales.len());
    for (&scale, result) in scales.iter().zip(solved) {
        let (wb, s) = result?;
        let feasible = s.status != SolveStatus::Infeasible;
        out.push(Point {
            scale,
            budget: budget_at(workbook, scale),
            status: s.status,
            value: s.objective.filter(|_| feasible),
            cost: if feasible {
                spent(&wb, &s.starts).iter().sum()
            } else {
                0.0
            },
            selected: if feasible {
                ids(workbook, selected(&s.starts))
                    .into_iter()
                    .map(String::from)
                    .collect()
            } else {
                Vec::new()
            },
        });
    }
    let today = out
        .iter()
        .position(|p| (p.scale - 1.0).abs() <= 1e-12)
        .unwrap_or(0);
    let knee = knee(&out);
    Ok(Frontier {
        points: out,
        today,
        knee,
    })
}

/// `workbook` with every budget cap multiplied by `scale`.
pub fn scaled(workbook: &Workbook, scale: f64) -> Workbook {
    let mut wb = workbook.clone();
    for cap in wb.budget_total.iter_mut().flatten() {
        *cap *= scale;
    }
    for caps in wb.budget_category.values_mut() {
        for cap in caps.iter_mut().flatten() {
            *cap *= scale;
        }
    }
    wb
}

/// The total budget at `scale` (see [`Point::budget`]).
fn budget_at(workbook: &Workbook, scale: f64) -> f64 {
    let total: f64 = workbook.budget_total.iter().flatten().sum();
    let sum = if total > 0.0 {
        total
    } else {
        workbook
            .budget_category
            .values()
            .flat_map(|caps| caps.iter().flatten())
            .sum()
    };
    sum * scale
}

/// The smallest scale at which mandatory and in-progress work fit (with the candidates they
/// require), by bisection on feasibility: solves in which candidates are worth nothing, so
/// that HiGHS stops at the first feasible portfolio.
fn smallest_feasible_scale(workbook: &Workbook, options: &SolveOptions) -> Result<f64> {
    let mut forced = workbook.clone();
    for p in &mut forced.projects {
        if p.status == Status::Candidate {
            p.value = 0.0;
            p.scores.iter_mut().for_each(|s| *s = 0.0);
        }
    }
    let fits = |scale: f64| -> Result<bool> {
        Ok(solve(&scaled(&forced, scale), options)?.status != SolveStatus::Infeasible)
    };
    if fits(0.0)? {
        return Ok(0.0);
    }
    let mut high = 1.0;
    while !fits(high)? {
        high *= 2.0;
        if high > 1e6 {
            return Err(Error::Unsupported(
                "mandatory and in-progress work does not fit whatever the budget: a capacity or a rule breaks it (run `arbiter plan` for the diagnosis)".into(),
            ));
        }
    }
    let mut low = 0.0;
    while high - low > SCALE_PRECISION * high {
        let mid = (low + high) / 2.0;
        if fits(mid)? {
            high = mid;
        } else {
            low = mid;
        }
    }
    Ok(high)
}

/// What everything needs: the scale at which the best portfolio without any budget cap,
/// each project as early as it can start (the contract's tie-break, so the answer is the
/// same on every machine), fits every cap — the largest ratio of its spend to a cap. One
/// solve, so that the frontier's points can all run in parallel right after.
fn unconstrained_scale(workbook: &Workbook, options: &SolveOptions) -> Result<f64> {
    let mut free = workbook.clone();
    free.budget_total.iter_mut().for_each(|c| *c = None);
    free.budget_category.clear();
    let s = solve(
        &free,
        &SolveOptions {
            tie_break: true,
            quick: true,
            ..options.clone()
        },
    )?;
    if s.status == SolveStatus::Infeasible {
        return Err(Error::Unsupported(
            "no portfolio is feasible even without budget limits: a capacity or a rule breaks it (run `arbiter plan` for the diagnosis)".into(),
        ));
    }
    let spend = spent(workbook, &s.starts);
    let mut high: f64 = 0.0;
    for (t, cap) in workbook.budget_total.iter().enumerate() {
        if let Some(cap) = cap {
            high = high.max(ratio(spend[t], *cap));
        }
    }
    for (c, caps) in &workbook.budget_category {
        let spend = category_spent(workbook, &s.starts, *c);
        for (t, cap) in caps.iter().enumerate() {
            if let Some(cap) = cap {
                high = high.max(ratio(spend[t], *cap));
            }
        }
    }
    Ok(if high.is_finite() { high } else { 1.0 })
}

fn ratio(spend: f64, cap: f64) -> f64 {
    if cap > 0.0 {
        spend / cap
    } else if spend > 0.0 {
        // A zero cap that the portfolio spends in cannot be scaled up to fit.
        f64::INFINITY
    } else {
        0.0
    }
}

/// Spend per period of a portfolio (inside the horizon).
fn spent(workbook: &Workbook, starts: &Starts) -> Vec<f64> {
    let mut spend = vec![0.0; workbook.horizon()];
    for (p, start) in starts.iter().enumerate() {
        let Some(start) = start else { continue };
        for (offset, amount) in workbook.projects[p].cost_profile.iter().enumerate() {
            if let Some(s) = spend.get_mut(start + offset) {
                *s += amount;
            }
        }
    }
    spend
}

fn category_spent(workbook: &Workbook, starts: &Starts, category: usize) -> Vec<f64> {
    let mut only = starts.clone();
    for (p, start) in only.iter_mut().enumerate() {
        if workbook.projects[p].category != Some(category) {
            *start = None;
        }
    }
    spent(workbook, &only)
}

/// See [`Frontier::knee`].
fn knee(points: &[Point]) -> Option<usize> {
    let feasible: Vec<(usize, f64, f64)> = points
        .iter()
        .enumerate()
        .filter_map(|(i, p)| p.value.map(|v| (i, p.budget, v)))
        .collect();
    let (&(_, b0, v0), &(_, b1, v1)) = (feasible.first()?, feasible.last()?);
    if feasible.len() < 3 || b1 <= b0 || v1 <= v0 {
        return None;
    }
    let mut best: Option<(usize, f64)> = None;
    for &(i, b, v) in &feasible {
        let above = (v - v0) / (v1 - v0) - (b - b0) / (b1 - b0);
        if above > 1e-9 && best.is_none_or(|(_, d)| above > d + 1e-12) {
            best = Some((i, above));
        }
    }
    best.map(|(i, _)| i)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn point(budget: f64, value: Option<f64>) -> Point {
        Point {
            scale: budget / 100.0,
            budget,
            status: SolveStatus::Optimal,
            value,
            cost: 0.0,
            selected: Vec::new(),
        }
    }

    #[test]
    fn the_knee_is_where_value_flattens() {
        let points = [
            point(0.0, Some(0.0)),
            point(50.0, Some(80.0)),
            point(100.0, Some(90.0)),
            point(150.0, Some(100.0)),
        ];
        assert_eq!(knee(&points), Some(1));
        let straight = [
            point(0.0, Some(0.0)),
            point(1.0, Some(1.0)),
            point(2.0, Some(2.0)),
        ];
        assert_eq!(knee(&straight), None);
        let infeasible_first = [
            point(0.0, None),
            point(10.0, Some(0.0)),
            point(20.0, Some(9.0)),
            point(30.0, Some(10.0)),
        ];
        assert_eq!(knee(&infeasible_first), Some(2));
    }
}
