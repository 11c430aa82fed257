//! What a portfolio uses, recomputed from the model alone: spend per period (total and per
//! category), load per pool and period, and the cost counted inside the horizon. The reports
//! and the reasons read this instead of trusting the solver's variables.

use crate::model::{Starts, Workbook};

/// Spend and staff load of a set of selected projects.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Usage {
    /// Spend per period, all projects.
    pub spend: Vec<f64>,
    /// `category_spend[category][period]`.
    pub category_spend: Vec<Vec<f64>>,
    /// Cash brought in per period (the negative amounts of the profiles, as positive
    /// numbers), already netted in `spend`.
    pub inflow: Vec<f64>,
    /// `category_inflow[category][period]`, already netted in `category_spend`.
    pub category_inflow: Vec<Vec<f64>>,
    /// `load[pool][period]` in FTE.
    pub load: Vec<Vec<f64>>,
    /// Cost inside the horizon per category (what balance shares count).
    pub category_cost: Vec<f64>,
    /// Cost inside the horizon of all projects (net of the cash they bring in).
    pub total_cost: f64,
    /// What each category spends inside the horizon, its inflows left out: what balance
    /// shares count.
    pub category_outflow: Vec<f64>,
    /// What all projects spend inside the horizon, inflows left out.
    pub total_outflow: f64,
}

impl Usage {
    /// Nothing selected.
    pub fn empty(workbook: &Workbook) -> Usage {
        let horizon = workbook.horizon();
        Usage {
            spend: vec![0.0; horizon],
            category_spend: vec![vec![0.0; horizon]; workbook.categories.len()],
            inflow: vec![0.0; horizon],
            category_inflow: vec![vec![0.0; horizon]; workbook.categories.len()],
            load: vec![vec![0.0; horizon]; workbook.pools.len()],
            category_cost: vec![0.0; workbook.categories.len()],
            total_cost: 0.0,
            category_outflow: vec![0.0; workbook.categories.len()],
            total_outflow: 0.0,
        }
    }

    /// Usage of every selected project of `starts`.
    pub fn of(workbook: &Workbook, starts: &Starts) -> Usage {
        let mut usage = Usage::empty(workbook);
        for (p, start) in starts.iter().enumerate() {
            if let Some(start) = *start {
                usage.add(workbook, p, start);
            }
        }
        usage
    }

    /// Add project `p` started in period `start`. Periods past the horizon are not counted
    /// (an in-progress project may run past it).
    pub fn add(&mut self, workbook: &Workbook, p: usize, start: usize) {
        let Some(project) = workbook.projects.get(p) else {
            return;
        };
        for (offset, amount) in project.cost_profile.iter().enumerate() {
            let t = start + offset;
            if t >= self.spend.len() {
                break;
            }
            self.spend[t] += amount;
            self.total_cost += amount;
            let cash_in = (-amount).max(0.0);
            self.inflow[t] += cash_in;
            self.total_outflow += amount.max(0.0);
            if let Some(out) = project
                .category
                .and_then(|c| self.category_outflow.get_mut(c))
            {
                *out += amount.max(0.0);
            }
            if let Some(c) = project.category {
                if let Some(row) = self.category_spend.get_mut(c) {
                    row[t] += amount;
                }
                if let Some(row) = self.category_inflow.get_mut(c) {
                    row[t] += cash_in;
                }
                if let Some(cost) = self.category_cost.get_mut(c) {
                    *cost += amount;
                }
            }
        }
        for demand in &project.demand {
            let Some(row) = self.load.get_mut(demand.pool) else {
                continue;
            };
            for (offset, fte) in demand.fte.iter().enumerate() {
                if let Some(cell) = row.get_mut(start + offset) {
                    *cell += fte;
                }
            }
        }
    }
}

/// Spend of project `p` in each period of the horizon when started in `start`
/// (`(period, amount)`, periods past the horizon left out).
pub(crate) fn project_spend(workbook: &Workbook, p: usize, start: usize) -> Vec<(usize, f64)> {
    let horizon = workbook.horizon();
    workbook
        .projects
        .get(p)
        .map(|project| {
            project
                .cost_profile
                .iter()
                .enumerate()
                .map(|(offset, amount)| (start + offset, *amount))
                .filter(|(t, _)| *t < horizon)
                .collect()
        })
        .unwrap_or_default()
}

/// Cost of project `p` counted inside the horizon when started in `start`.
pub(crate) fn cost_in_horizon(workbook: &Workbook, p: usize, start: usize) -> f64 {
    project_spend(workbook, p, start)
        .iter()
        .map(|(_, amount)| amount)
        .sum()
}

/// What project `p` spends inside the horizon when started in `start`, the cash it brings
/// in left out (what balance shares count).
pub(crate) fn outflow_in_horizon(workbook: &Workbook, p: usize, start: usize) -> f64 {
    project_spend(workbook, p, start)
        .iter()
        .map(|(_, amount)| amount.max(0.0))
        .sum()
}

/// The project's total cost: its profile when it has one (a profile replaces `cost`
/// everywhere), else `cost`.
pub(crate) fn total_cost(workbook: &Workbook, p: usize) -> f64 {
    match workbook.projects.get(p) {
        Some(project) if !project.cost_profile.is_empty() => project.cost_profile.iter().sum(),
        Some(project) => project.cost,
        None => 0.0,
    }
}

/// The contract's tolerance: a constraint holds when over by at most 1e-6 × max(1, |limit|).
pub(crate) fn exceeds(used: f64, limit: f64) -> bool {
    used > limit + 1e-6 * limit.abs().max(1.0)
}
