//! Encoding a workbook as a MILP (section 2 of the contract) with good_lp.
//!
//! One binary `x[p][t]` per project `p` and allowed start period `t` (the columns, decided
//! by [`crate::rules::window`]); a project is selected when one of its binaries is 1. A
//! partly funded project also has a continuous share `y[p][t]` per column
//! ([`crate::rules::share`]), which carries its value, cost and demand. The
//! rows come from the rules of [`crate::rules`], each tagged with its rule and instance so
//! that the infeasibility diagnosis can switch rules off and name the ones that conflict.
//! This file owns what is not a rule: the objective, the model as data, and its turn into
//! good_lp variables and constraints.

use good_lp::{Expression, ProblemVariables, Variable};

use crate::model::{Objective, Workbook};
use crate::rules::share::ShareVar;
use crate::rules::INF;
pub(crate) use crate::rules::{Flow, Row, Tag};

/// `lower ≤ e ≤ upper` as good_lp constraints on `e` (the row's terms, maybe with more): one
/// equality, or one or two inequalities for the finite sides.
pub(crate) fn constraints(row: &Row, e: Expression) -> Vec<good_lp::Constraint> {
    if row.lower == row.upper {
        return vec![e.eq(row.upper)];
    }
    let mut out = Vec::with_capacity(2);
    if row.lower.is_finite() {
        out.push(e.clone().geq(row.lower));
    }
    if row.upper.is_finite() {
        out.push(e.leq(row.upper));
    }
    out
}

/// The model as plain data: columns (project, start) and rows. Turned into a good_lp problem
/// by the backend; kept as data so that the diagnosis can rebuild it without some rules and
/// the heuristics can evaluate rows cheaply.
#[derive(Debug, Clone)]
pub(crate) struct Encoded {
    /// Column j = project `columns[j].0` starting at period `columns[j].1`.
    pub columns: Vec<(usize, usize)>,
    /// Columns of each project (empty when it can never be selected), in start order.
    pub by_project: Vec<Vec<usize>>,
    /// Objective coefficient of each column, then of each share variable (a partly funded
    /// project's worth sits on its shares; its columns have 0).
    pub objective: Vec<f64>,
    /// Partly funded projects: share variable `columns.len() + i` is `shares[i]`.
    pub shares: Vec<ShareVar>,
    pub rows: Vec<Row>,
    /// With teams.csv: continuous variables after the columns and the shares. Variable
    /// `columns.len() + shares.len() + i` is the FTE that team `flows[i].team` gives skill `flows[i].skill` in
    /// `flows[i].period`. Which project gets that FTE does not change whether a portfolio
    /// can be staffed (every project needing the skill draws on the same teams), so the
    /// split per project is decided after the solve, by [`super::allocate`].
    pub flows: Vec<Flow>,
}

impl Encoded {
    /// Encode `workbook` with the objective of `objective` and `discount`.
    pub fn new(workbook: &Workbook, objective: Objective, discount: f64) -> Encoded {
        let (columns, by_project) = crate::rules::window::columns(workbook);
        let shares = crate::rules::share::variables(workbook, &columns);
        let worth =
            |p: usize, t: usize| workbook.score(p, objective) * (1.0 + discount).powi(-(t as i32));
        let mut obj: Vec<f64> = columns
            .iter()
            .map(|&(p, t)| {
                if workbook.projects[p].is_partial() {
                    0.0
                } else {
                    worth(p, t)
                }
            })
            .collect();
        obj.extend(shares.iter().map(|s| worth(s.project, columns[s.column].1)));
        let (rows, flows) = crate::rules::encode(workbook, &columns, &by_project, &shares);
        Encoded {
            columns,
            by_project,
            objective: obj,
            shares,
            rows,
            flows,
        }
    }

    /// Whether the model has continuous variables (the shares of partly funded projects,
    /// the teams' flows): the heuristics, which build and repair 0/1 vectors row by row, do
    /// not apply then.
    pub fn has_flows(&self) -> bool {
        !self.flows.is_empty() || !self.shares.is_empty()
    }

    /// What column `j` is worth when chosen whole: its objective, plus its share's.
    pub fn column_worth(&self, j: usize) -> f64 {
        let own = self.objective.get(j).copied().unwrap_or(0.0);
        let share = self
            .shares
            .iter()
            .position(|s| s.column == j)
            .and_then(|i| self.objective.get(self.columns.len() + i))
            .copied()
            .unwrap_or(0.0);
        own + share
    }

    /// The index of the first flow variable.
    pub fn first_flow(&self) -> usize {
        self.columns.len() + self.shares.len()
    }

    /// The model with every partly funded project funded whole: each share variable
    /// replaced by its column (y = x, which its rows allow), its worth moved onto the
    /// column. A 0/1 model again, for the heuristics; a portfolio of it is one of the full
    /// model once [`Encoded::with_whole_shares`] adds the shares. `None` with teams' flows,
    /// which the heuristics do not handle either way.
    pub fn whole_view(&self) -> Option<Encoded> {
        if !self.flows.is_empty() {
            return None;
        }
        let n = self.columns.len();
        let column_of = |v: usize| {
            if v < n {
                v
            } else {
                self.shares[v - n].column
            }
        };
        let rows = self
            .rows
            .iter()
            .map(|row| {
                let mut terms: Vec<(usize, f64)> = Vec::with_capacity(row.terms.len());
                for &(v, c) in &row.terms {
                    let j = column_of(v);
                    match terms.iter_mut().find(|(k, _)| *k == j) {
                        Some(term) => term.1 += c,
                        None => terms.push((j, c)),
                    }
                }
                terms.retain(|&(_, c)| c != 0.0);
                Row {
                    tag: row.tag,
                    terms,
                    lower: row.lower,
                    upper: row.upper,
                }
            })
            .collect();
        Some(Encoded {
            columns: self.columns.clone(),
            by_project: self.by_project.clone(),
            objective: (0..n).map(|j| self.column_worth(j)).collect(),
            shares: Vec::new(),
            rows,
            flows: Vec::new(),
        })
    }

    /// Column values of [`Encoded::whole_view`] as values of this model: each share equal
    /// to its column (funded whole).
    pub fn with_whole_shares(&self, mut values: Vec<f64>) -> Vec<f64> {
        let n = self.columns.len();
        values.truncate(n);
        let shares: Vec<f64> = self
            .shares
            .iter()
            .map(|s| values.get(s.column).copied().unwrap_or(0.0))
            .collect();
        values.extend(shares);
        values
    }

    /// Create good_lp variables for the columns (column j = variable j, in creation order);
    /// a column with a value in `fixed` is bound to that value.
    pub fn variables(&self, fixed: Option<&[Option<f64>]>) -> (ProblemVariables, Vec<Variable>) {
        let mut vars = ProblemVariables::new();
        let x = self.add_variables(&mut vars, fixed);
        (vars, x)
    }

    /// Add the model's variables to `vars`: binaries (bound where `fixed` says), the shares
    /// (0…1), then the flows.
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
            self.shares
                .iter()
                .map(|_| vars.add(good_lp::variable().min(0.0).max(1.0))),
        );
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

    /// Decode the shares of `values`: each selected partly funded project's share in the
    /// column chosen; 1 for every other project.
    pub(crate) fn shares_of(&self, projects: usize, values: &[f64]) -> Vec<f64> {
        let mut shares = vec![1.0; projects];
        let n = self.columns.len();
        for (i, s) in self.shares.iter().enumerate() {
            if values.get(s.column).copied().unwrap_or(0.0) > 0.5 {
                // HiGHS's tolerances can leave a share a hair outside its range.
                let v = values.get(n + i).copied().unwrap_or(1.0);
                shares[s.project] = v.clamp(s.min, 1.0);
            }
        }
        shares
    }
}
