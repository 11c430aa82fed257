//! Brute-force oracle: enumerates every portfolio of a small workbook (each project out, or
//! started in each period of its window) by depth-first search, pruning a branch as soon as
//! a budget, a capacity, or a link between two decided projects is broken, and checking the
//! balance shares, the either-or prerequisites and the count limits at the leaves. Budgets
//! prune only when no amount is negative and nothing carries over (a later project's cash
//! or an earlier period's leftover can still make a period fit); otherwise they are checked
//! at the leaves too. Written from the contract, independently of the encoder; its
//! verdicts are cross-checked against `arbiter::solve::check`.

#![allow(dead_code)]

use arbiter::model::{Objective, Starts, Status, Workbook};

use super::random::options;

/// The contract's tolerance: a limit holds when over by at most 1e-6 × max(1, |limit|).
fn exceeds(value: f64, limit: f64) -> bool {
    value - limit > 1e-6 * limit.abs().max(1.0)
}

/// The best portfolio brute force finds.
#[derive(Debug, Clone, PartialEq)]
pub struct Optimum {
    /// Best objective.
    pub objective: f64,
    /// Smallest sum of start indices among portfolios of that objective (the contract's
    /// tie-break).
    pub start_sum: usize,
    /// One portfolio with that objective and start sum.
    pub starts: Starts,
    /// Number of feasible portfolios.
    pub feasible: usize,
}

struct Search<'a> {
    wb: &'a Workbook,
    options: Vec<Vec<Option<usize>>>,
    /// `excl[p][q]`: p and q exclude each other (either side wrote it).
    excl: Vec<Vec<bool>>,
    starts: Starts,
    total: Vec<f64>,
    by_category: Vec<Vec<f64>>,
    load: Vec<Vec<f64>>,
    /// Whether a budget broken part-way stays broken (no inflows, no carry-over).
    budget_prunes: bool,
}

impl<'a> Search<'a> {
    fn new(wb: &'a Workbook) -> Search<'a> {
        let n = wb.projects.len();
        let h = wb.horizon();
        let mut excl = vec![vec![false; n]; n];
        for &(p, q) in &wb.exclusions {
            excl[p][q] = true;
            excl[q][p] = true;
        }
        Search {
            wb,
            options: wb.projects.iter().map(options).collect(),
            excl,
            starts: vec![None; n],
            total: vec![0.0; h],
            by_category: vec![vec![0.0; h]; wb.categories.len()],
            load: vec![vec![0.0; h]; wb.pools.len()],
            budget_prunes: wb
                .projects
                .iter()
                .all(|p| p.cost_profile.iter().all(|&x| x >= 0.0))
                && !wb.carry_total.contains(&true)
                && wb.carry_category.values().all(|c| !c.contains(&true)),
        }
    }

    /// Add (sign 1) or remove (sign −1) project p started at s; return whether every budget
    /// and capacity of the periods it touches still holds.
    fn apply(&mut self, p: usize, s: usize, sign: f64) -> bool {
        let project = &self.wb.projects[p];
        let h = self.wb.horizon();
        let mut ok = true;
        for offset in 0..project.duration {
            let t = s + offset;
            if t >= h {
                break;
            }
            let cost = project.cost_profile[offset];
            self.total[t] += sign * cost;
            if let Some(Some(cap)) = self.wb.budget_total.get(t) {
                ok &= !self.budget_prunes || !exceeds(self.total[t], *cap);
            }
            if let Some(c) = project.category {
                self.by_category[c][t] += sign * cost;
                if let Some(Some(cap)) = self.wb.budget_category.get(&c).map(|caps| caps[t]) {
                    ok &= !self.budget_prunes || !exceeds(self.by_category[c][t], cap);
                }
            }
            for d in &project.demand {
                self.load[d.pool][t] += sign * d.fte[offset];
                ok &= !exceeds(self.load[d.pool][t], self.wb.capacity[d.pool][t]);
            }
        }
        ok
    }

    /// Whether project p's status, window and the horizon allow `choice`.
    fn placement_ok(&self, p: usize, choice: Option<usize>) -> bool {
        let project = &self.wb.projects[p];
        match (project.status, choice) {
            (Status::Excluded, Some(_)) => false,
            (Status::Mandatory | Status::InProgress, None) => false,
            (_, None) => true,
            (Status::InProgress, Some(s)) => s == 0,
            (_, Some(s)) => {
                project.window().contains(&s) && s + project.duration <= self.wb.horizon()
            }
        }
    }

    /// Whether the links between p (just decided) and every earlier project hold.
    fn links_hold(&self, p: usize) -> bool {
        let wb = self.wb;
        let sp = self.starts[p];
        for q in 0..p {
            let sq = self.starts[q];
            if self.excl[p][q] && sp.is_some() && sq.is_some() {
                return false;
            }
            if !follows(wb, p, sp, q, sq) || !follows(wb, q, sq, p, sp) {
                return false;
            }
        }
        true
    }

    /// Balance shares of the complete portfolio, counting what projects spend (their
    /// positive amounts inside the horizon), not the cash they bring in.
    fn balance_holds(&self) -> bool {
        let h = self.wb.horizon();
        let mut portfolio = 0.0;
        let mut by_category = vec![0.0; self.wb.categories.len()];
        for (p, s) in self.starts.iter().enumerate() {
            let Some(s) = *s else { continue };
            let project = &self.wb.projects[p];
            let out: f64 = (s..h)
                .zip(&project.cost_profile)
                .map(|(_, x)| x.max(0.0))
                .sum();
            portfolio += out;
            if let Some(c) = project.category {
                by_category[c] += out;
            }
        }
        self.wb.balance.iter().all(|b| {
            let cost: f64 = by_category[b.category];
            let low = b.min_share * portfolio;
            let high = b.max_share * portfolio;
            // Short of the lower limit by more than the tolerance of that limit.
            let short = low - cost > 1e-6 * low.abs().max(1.0);
            !short && !exceeds(cost, high)
        })
    }

    /// Budgets of the complete portfolio with carry-over: a period may spend its budget plus
    /// what the period before left unspent, when that period's row carries.
    fn budgets_hold(&self) -> bool {
        let holds = |caps: &[Option<f64>], carry: &[bool], spent: &[f64]| {
            let mut left = 0.0;
            for (t, cap) in caps.iter().enumerate() {
                let Some(cap) = cap else {
                    left = 0.0;
                    continue;
                };
                let have = cap + left;
                if exceeds(spent[t], have) {
                    return false;
                }
                left = if carry.get(t) == Some(&true) {
                    have - spent[t]
                } else {
                    0.0
                };
            }
            true
        };
        let none = Vec::new();
        holds(&self.wb.budget_total, &self.wb.carry_total, &self.total)
            && self.wb.budget_category.iter().all(|(c, caps)| {
                let carry = self.wb.carry_category.get(c).unwrap_or(&none);
                holds(caps, carry, &self.by_category[*c])
            })
    }

    /// `requires_any`: every group of a selected project has a selected member.
    fn groups_hold(&self) -> bool {
        self.wb.projects.iter().enumerate().all(|(p, project)| {
            self.starts[p].is_none()
                || project
                    .requires_any
                    .iter()
                    .all(|group| group.iter().any(|&q| self.starts[q].is_some()))
        })
    }

    /// Count limits: the selected projects of the category (or all), or those starting in
    /// the period, number between min and max.
    fn limits_hold(&self) -> bool {
        self.wb.limits.iter().all(|limit| {
            let n = (0..self.wb.projects.len())
                .filter(|&p| {
                    limit.category.is_none() || self.wb.projects[p].category == limit.category
                })
                .filter(|&p| match (self.starts[p], limit.period) {
                    (None, _) => false,
                    (Some(_), None) => true,
                    (Some(s), Some(t)) => s == t,
                })
                .count();
            limit.min.is_none_or(|m| n >= m) && limit.max.is_none_or(|m| n <= m)
        })
    }

    /// Visit every leaf; with `prune`, only feasible ones (and skip infeasible subtrees).
    fn dfs(&mut self, p: usize, ok: bool, prune: bool, visit: &mut dyn FnMut(&Starts, bool)) {
        if prune && !ok {
            return;
        }
        if p == self.wb.projects.len() {
            let feasible = ok
                && self.balance_holds()
                && self.budgets_hold()
                && self.groups_hold()
                && self.limits_hold();
            if feasible || !prune {
                visit(&self.starts, feasible);
            }
            return;
        }
        for choice in self.options[p].clone() {
            self.starts[p] = choice;
            let mut here = ok && self.placement_ok(p, choice);
            if let Some(s) = choice {
                here &= self.apply(p, s, 1.0);
            }
            here &= self.links_hold(p);
            self.dfs(p + 1, here, prune, visit);
            if let Some(s) = choice {
                self.apply(p, s, -1.0);
            }
        }
        self.starts[p] = None;
    }
}

/// Whether the `requires` and `after` links of project a (start sa) on project b (start sb)
/// hold.
fn follows(wb: &Workbook, a: usize, sa: Option<usize>, b: usize, sb: Option<usize>) -> bool {
    let project = &wb.projects[a];
    let Some(sa) = sa else { return true };
    if project.requires.contains(&b) && sb.is_none() {
        return false;
    }
    if project.status != Status::InProgress && project.after.contains(&b) {
        match sb {
            None => return false,
            Some(sb) if sa < sb + wb.projects[b].duration => return false,
            Some(_) => {}
        }
    }
    true
}

/// Objective of a portfolio, from the contract.
pub fn value_of(wb: &Workbook, starts: &Starts, objective: Objective, discount: f64) -> f64 {
    starts
        .iter()
        .enumerate()
        .filter_map(|(p, s)| s.map(|s| wb.score(p, objective) * (1.0 + discount).powi(-(s as i32))))
        .sum()
}

/// The best portfolio by brute force, or `None` when none is feasible.
pub fn optimum(wb: &Workbook, objective: Objective, discount: f64) -> Option<Optimum> {
    optimum_where(wb, objective, discount, &|_| true)
}

/// [`optimum`] among the portfolios that also pass `keep` (e.g. can be staffed by teams).
pub fn optimum_where(
    wb: &Workbook,
    objective: Objective,
    discount: f64,
    keep: &dyn Fn(&Starts) -> bool,
) -> Option<Optimum> {
    let mut leaves: Vec<(f64, usize, Starts)> = Vec::new();
    let mut search = Search::new(wb);
    search.dfs(0, true, true, &mut |starts, _| {
        if !keep(starts) {
            return;
        }
        let sum = starts.iter().flatten().sum();
        leaves.push((
            value_of(wb, starts, objective, discount),
            sum,
            starts.clone(),
        ));
    });
    let best = leaves.iter().map(|l| l.0).fold(f64::NEG_INFINITY, f64::max);
    let tie = 1e-9 * best.abs().max(1.0);
    let (objective, start_sum, starts) = leaves
        .iter()
        .filter(|l| l.0 >= best - tie)
        .min_by_key(|l| l.1)?
        .clone();
    Some(Optimum {
        objective,
        start_sum,
        starts,
        feasible: leaves.len(),
    })
}

/// Every portfolio that the logical rules allow (statuses, windows, links, either-or groups,
/// count limits), whatever the budgets, capacities and balance shares: the leaves of the
/// search with partial funding, whose quantities depend on the shares.
pub fn logical_portfolios(wb: &Workbook) -> Vec<Starts> {
    let mut all = Vec::new();
    let mut search = Search::new(wb);
    search.budget_prunes = false;
    search.dfs(0, true, false, &mut |starts, _| {
        let mut s = Search::new(wb);
        s.starts = starts.clone();
        let logical = (0..wb.projects.len())
            .all(|p| s.placement_ok(p, starts[p]) && s.links_hold(p))
            && s.groups_hold()
            && s.limits_hold();
        if logical {
            all.push(starts.clone());
        }
    });
    all
}

/// Every complete portfolio, each project out or started in any period whatever its status
/// and window, with the oracle's verdict (no pruning): for cross-checking the checker. Only
/// for workbooks with few projects: (horizon + 1)^projects portfolios.
pub fn every_portfolio(wb: &Workbook) -> Vec<(Starts, bool)> {
    let mut all = Vec::new();
    let mut search = Search::new(wb);
    // Every project may be out or start anywhere, whatever its status and window.
    search.options = vec![
        std::iter::once(None)
            .chain((0..wb.horizon()).map(Some))
            .collect();
        wb.projects.len()
    ];
    search.dfs(0, true, false, &mut |starts, feasible| {
        all.push((starts.clone(), feasible))
    });
    all
}
