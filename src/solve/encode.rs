//! Encoding a workbook as a MILP (section 2 of the contract) with good_lp.
//!
//! One binary `x[p][t]` per project `p` and allowed start period `t`; a project is selected
//! when one of its binaries is 1. Every constraint belongs to a [`Group`] (a budget row, a
//! pool's capacity in a period, a status, a link, a balance share) so that the infeasibility
//! diagnosis can switch rules off and name the ones that conflict.
//!
//! `after` is written in the time-indexed, big-M-free form "p has started by t ⇒ q had
//! started by t − d_q", which is as tight as the LP relaxation of start-time choice gets.

use good_lp::{Expression, ProblemVariables, Variable};

use crate::model::{Objective, Status, Workbook};

/// A family of constraints that the diagnosis can switch off and name.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) enum Group {
    /// Total budget of a period.
    Budget { period: usize },
    /// Budget of a category in a period.
    CategoryBudget { category: usize, period: usize },
    /// Capacity of a pool in a period.
    Capacity { pool: usize, period: usize },
    /// With teams.csv: a skill's demand in a period is covered by the teams serving it.
    Skill { skill: usize, period: usize },
    /// With teams.csv: a team's capacity in a period.
    Team { team: usize, period: usize },
    /// A mandatory or in-progress project must be selected.
    Forced { project: usize },
    /// A project starts at most once (structural, never switched off).
    Once { project: usize },
    /// `project` requires `other`.
    Requires { project: usize, other: usize },
    /// `project` and `other` exclude each other.
    Excludes { project: usize, other: usize },
    /// `project` starts after `other` finishes.
    After { project: usize, other: usize },
    /// Minimum share of a category.
    BalanceMin { category: usize },
    /// Maximum share of a category.
    BalanceMax { category: usize },
}

/// One linear row `lower ≤ Σ coef·x ≤ upper` over start variables.
#[derive(Debug, Clone)]
pub(crate) struct Row {
    pub group: Group,
    pub terms: Vec<(usize, f64)>,
    pub lower: f64,
    pub upper: f64,
}

impl Row {
    /// `lower ≤ e ≤ upper` as good_lp constraints on `e` (the row's terms, maybe with more):
    /// one equality, or one or two inequalities for the finite sides.
    pub fn constraints(&self, e: Expression) -> Vec<good_lp::Constraint> {
        if self.lower == self.upper {
            return vec![e.eq(self.upper)];
        }
        let mut out = Vec::with_capacity(2);
        if self.lower.is_finite() {
            out.push(e.clone().geq(self.lower));
        }
        if self.upper.is_finite() {
            out.push(e.leq(self.upper));
        }
        out
    }
}

/// The model as plain data: columns (project, start) and rows. Turned into a good_lp problem
/// by [`Encoded::build`]; kept as data so that the diagnosis can rebuild it without some
/// groups and the heuristics can evaluate rows cheaply.
#[derive(Debug, Clone)]
pub(crate) struct Encoded {
    /// Column j = project `columns[j].0` starting at period `columns[j].1`.
    pub columns: Vec<(usize, usize)>,
    /// Columns of each project (empty when it can never be selected), in start order.
    pub by_project: Vec<Vec<usize>>,
    /// Objective coefficient of each column.
    pub objective: Vec<f64>,
    pub rows: Vec<Row>,
    /// With teams.csv: continuous variables after the columns. Variable `columns.len() + i`
    /// is the FTE that team `flows[i].team` gives skill `flows[i].skill` in
    /// `flows[i].period`. Which project gets that FTE does not change whether a portfolio
    /// can be staffed (every project needing the skill draws on the same teams), so the
    /// split per project is decided after the solve, by [`super::allocate`].
    pub flows: Vec<Flow>,
}

/// A team's FTE on a skill in a period (a continuous variable ≥ 0).
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Flow {
    pub team: usize,
    pub skill: usize,
    pub period: usize,
    pub efficiency: f64,
}

const INF: f64 = f64::INFINITY;

impl Encoded {
    /// Encode `workbook` with the objective of `objective` and `discount`.
    pub fn new(workbook: &Workbook, objective: Objective, discount: f64) -> Encoded {
        let horizon = workbook.horizon();
        let mut columns = Vec::new();
        let mut by_project = vec![Vec::new(); workbook.projects.len()];
        let mut obj = Vec::new();
        for (p, project) in workbook.projects.iter().enumerate() {
            let starts = match project.status {
                Status::Excluded => continue,
                Status::InProgress => 0..=0,
                Status::Candidate | Status::Mandatory => project.earliest..=project.latest,
            };
            let score = workbook.score(p, objective);
            for t in starts {
                if project.status != Status::InProgress && t + project.duration > horizon {
                    continue;
                }
                by_project[p].push(columns.len());
                columns.push((p, t));
                obj.push(score * (1.0 + discount).powi(-(t as i32)));
            }
        }
        let mut rows = Vec::new();

        // A project starts at most once; mandatory and in-progress exactly once.
        for (p, project) in workbook.projects.iter().enumerate() {
            let cols = &by_project[p];
            if project.status.is_forced() {
                rows.push(Row {
                    group: Group::Forced { project: p },
                    terms: cols.iter().map(|&j| (j, 1.0)).collect(),
                    lower: 1.0,
                    upper: 1.0,
                });
            } else if cols.len() > 1 {
                rows.push(Row {
                    group: Group::Once { project: p },
                    terms: cols.iter().map(|&j| (j, 1.0)).collect(),
                    lower: -INF,
                    upper: 1.0,
                });
            }
        }

        // Resource rows: money and staff per period. The load of column (p, t) in period τ is
        // the profile at offset τ − t.
        let mut total = vec![Vec::new(); horizon];
        let mut by_category: Vec<Vec<Vec<(usize, f64)>>> =
            vec![vec![Vec::new(); horizon]; workbook.categories.len()];
        let mut load = vec![vec![Vec::new(); horizon]; workbook.pools.len()];
        for (j, &(p, t)) in columns.iter().enumerate() {
            let project = &workbook.projects[p];
            for (offset, &amount) in project.cost_profile.iter().enumerate() {
                let period = t + offset;
                if period >= horizon || amount == 0.0 {
                    continue;
                }
                total[period].push((j, amount));
                if let Some(c) = project.category {
                    by_category[c][period].push((j, amount));
                }
            }
            for demand in &project.demand {
                for (offset, &fte) in demand.fte.iter().enumerate() {
                    let period = t + offset;
                    if period >= horizon || fte == 0.0 {
                        continue;
                    }
                    load[demand.pool][period].push((j, fte));
                }
            }
        }
        for (period, terms) in total.into_iter().enumerate() {
            if let Some(cap) = workbook.budget_total[period] {
                push_capped(&mut rows, Group::Budget { period }, terms, cap);
            }
        }
        for (&category, caps) in &workbook.budget_category {
            for (period, cap) in caps.iter().enumerate() {
                if let Some(cap) = *cap {
                    let terms = std::mem::take(&mut by_category[category][period]);
                    push_capped(
                        &mut rows,
                        Group::CategoryBudget { category, period },
                        terms,
                        cap,
                    );
                }
            }
        }
        let mut flows = Vec::new();
        if let Some(staffing) = &workbook.staffing {
            // Skill rows: the load of the portfolio ≤ what the teams give, times efficiency.
            let first = columns.len();
            let mut by_team: Vec<Vec<Vec<(usize, f64)>>> =
                vec![vec![Vec::new(); horizon]; staffing.teams.len()];
            for (skill, periods) in load.into_iter().enumerate() {
                for (period, mut terms) in periods.into_iter().enumerate() {
                    if terms.is_empty() {
                        continue;
                    }
                    for serve in staffing.serves.iter().filter(|s| s.skill == skill) {
                        if staffing.capacity[serve.team][period] <= 0.0 {
                            continue;
                        }
                        let v = first + flows.len();
                        flows.push(Flow {
                            team: serve.team,
                            skill,
                            period,
                            efficiency: serve.efficiency,
                        });
                        terms.push((v, -serve.efficiency));
                        by_team[serve.team][period].push((v, 1.0));
                    }
                    rows.push(Row {
                        group: Group::Skill { skill, period },
                        terms,
                        lower: -INF,
                        upper: 0.0,
                    });
                }
            }
            for (team, periods) in by_team.into_iter().enumerate() {
                for (period, terms) in periods.into_iter().enumerate() {
                    if terms.is_empty() {
                        continue;
                    }
                    rows.push(Row {
                        group: Group::Team { team, period },
                        terms,
                        lower: -INF,
                        upper: staffing.capacity[team][period],
                    });
                }
            }
        } else {
            for (pool, periods) in load.into_iter().enumerate() {
                for (period, terms) in periods.into_iter().enumerate() {
                    let cap = workbook.capacity[pool][period];
                    push_capped(&mut rows, Group::Capacity { pool, period }, terms, cap);
                }
            }
        }

        // Links.
        let selected =
            |p: usize| -> Vec<(usize, f64)> { by_project[p].iter().map(|&j| (j, 1.0)).collect() };
        for (p, project) in workbook.projects.iter().enumerate() {
            for &q in &project.requires {
                let mut terms = selected(p);
                terms.extend(by_project[q].iter().map(|&j| (j, -1.0)));
                rows.push(Row {
                    group: Group::Requires {
                        project: p,
                        other: q,
                    },
                    terms,
                    lower: -INF,
                    upper: 0.0,
                });
            }
            for &q in &project.excludes {
                let mut terms = selected(p);
                terms.extend(selected(q));
                let (a, b) = (p.min(q), p.max(q));
                rows.push(Row {
                    group: Group::Excludes {
                        project: a,
                        other: b,
                    },
                    terms,
                    lower: -INF,
                    upper: 1.0,
                });
            }
            if project.status == Status::InProgress {
                continue;
            }
            for &q in &project.after {
                let group = Group::After {
                    project: p,
                    other: q,
                };
                let before = &workbook.projects[q];
                // For every start t of p: started(p, ≤ t) ≤ started(q, ≤ t − d_q).
                let cols_p = &by_project[p];
                for (k, &j) in cols_p.iter().enumerate() {
                    let t = columns[j].1;
                    let next_differs = cols_p
                        .get(k + 1)
                        .map(|&next| columns[next].1 != t)
                        .unwrap_or(true);
                    if !next_differs {
                        continue;
                    }
                    let mut terms: Vec<(usize, f64)> =
                        cols_p[..=k].iter().map(|&i| (i, 1.0)).collect();
                    for &i in &by_project[q] {
                        if columns[i].1 + before.duration <= t {
                            terms.push((i, -1.0));
                        }
                    }
                    rows.push(Row {
                        group: group.clone(),
                        terms,
                        lower: -INF,
                        upper: 0.0,
                    });
                }
            }
        }

        // Balance shares: cost of c ≥ min × total and ≤ max × total, inside the horizon.
        for balance in &workbook.balance {
            let mut low = Vec::new();
            let mut high = Vec::new();
            for (j, &(p, t)) in columns.iter().enumerate() {
                let project = &workbook.projects[p];
                let inside: f64 = project
                    .cost_profile
                    .iter()
                    .take(horizon.saturating_sub(t))
                    .sum();
                if inside == 0.0 {
                    continue;
                }
                let own = if project.category == Some(balance.category) {
                    1.0
                } else {
                    0.0
                };
                if balance.min_share > 0.0 {
                    low.push((j, inside * (own - balance.min_share)));
                }
                if balance.max_share < 1.0 {
                    high.push((j, inside * (own - balance.max_share)));
                }
            }
            if balance.min_share > 0.0 && low.iter().any(|&(_, c)| c < 0.0) {
                rows.push(Row {
                    group: Group::BalanceMin {
                        category: balance.category,
                    },
                    terms: low,
                    lower: 0.0,
                    upper: INF,
                });
            }
            if balance.max_share < 1.0 && high.iter().any(|&(_, c)| c > 0.0) {
                rows.push(Row {
                    group: Group::BalanceMax {
                        category: balance.category,
                    },
                    terms: high,
                    lower: -INF,
                    upper: 0.0,
                });
            }
        }

        Encoded {
            columns,
            by_project,
            objective: obj,
            rows,
            flows,
        }
    }

    /// Whether the model has continuous variables (teams.csv): the heuristics, which build
    /// and repair 0/1 vectors row by row, do not apply then.
    pub fn has_flows(&self) -> bool {
        !self.flows.is_empty()
    }

    /// Create good_lp variables for the columns (column j = variable j, in creation order);
    /// a column with a value in `fixed` is bound to that value.
    pub fn variables(&self, fixed: Option<&[Option<f64>]>) -> (ProblemVariables, Vec<Variable>) {
        let mut vars = ProblemVariables::new();
        let x = self.add_variables(&mut vars, fixed);
        (vars, x)
    }

    /// Add the model's variables to `vars`: binaries (bound where `fixed` says), then flows.
    pub fn add_variables(
        &self,
        vars: &mut ProblemVariables,
        fixed: Option<&[Option<f64>]>,
    ) -> Vec<Variable> {
        let mut x: Vec<Variable> = match fixed {
            None => vars.add_vector(good_lp::variable().binary(), self.columns.len()),
            Some(fixed) => (0..self.columns.len())
                .map(|j| match fixed.get(j).copied().flatten() {
                    Some(v) => vars.add(good_lp::variable().binary().min(v).max(v)),
                    None => vars.add(good_lp::variable().binary()),
                })
                .collect(),
        };
        x.extend(
            self.flows
                .iter()
                .map(|_| vars.add(good_lp::variable().min(0.0))),
        );
        x
    }

    /// Σ coef·x over `terms`.
    pub fn expression(x: &[Variable], terms: &[(usize, f64)]) -> Expression {
        let mut e = Expression::with_capacity(terms.len());
        for &(j, c) in terms {
            e.add_mul(c, x[j]);
        }
        e
    }

    /// What `values` (one per column; any extra, such as flows, ignored) are worth.
    pub fn worth(&self, values: &[f64]) -> f64 {
        self.objective.iter().zip(values).map(|(c, v)| c * v).sum()
    }

    /// Whether `values` (one per column) satisfies every row, with the contract's tolerance. Used to vet heuristic starts before they are handed to HiGHS.
    pub fn satisfies(&self, values: &[f64]) -> bool {
        self.rows.iter().all(|row| {
            let lhs: f64 = row
                .terms
                .iter()
                .map(|&(j, c)| c * values.get(j).copied().unwrap_or(0.0))
                .sum();
            let tol = |limit: f64| 1e-6 * limit.abs().max(1.0);
            (row.lower == -INF || lhs >= row.lower - tol(row.lower))
                && (row.upper == INF || lhs <= row.upper + tol(row.upper))
        })
    }
}

/// Push `Σ terms ≤ cap` unless it can never bind (its whole load fits the cap).
fn push_capped(rows: &mut Vec<Row>, group: Group, terms: Vec<(usize, f64)>, cap: f64) {
    let most: f64 = terms.iter().map(|&(_, c)| c.max(0.0)).sum();
    if most <= cap {
        return;
    }
    rows.push(Row {
        group,
        terms,
        lower: -INF,
        upper: cap,
    });
}

/// Reading an answer back: column values into starts. Here, beside the columns it decodes,
/// so that the backend, the sample path and a baseline's MIP start share one decoding
/// without importing each other.
impl Encoded {
    /// Decode column values into starts (a column counts as chosen above 0.5).
    pub(crate) fn starts_of(&self, projects: usize, values: &[f64]) -> crate::model::Starts {
        let mut starts = vec![None; projects];
        for (j, &(p, t)) in self.columns.iter().enumerate() {
            if values.get(j).copied().unwrap_or(0.0) > 0.5 {
                starts[p] = Some(t);
            }
        }
        starts
    }
}
