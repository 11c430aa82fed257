//! Primal heuristics around HiGHS.
//!
//! - [`greedy`]: forced work first, then candidates by value density on the capped resources
//!   they use, each at its earliest start that keeps every capped row within its limit; a
//!   category short of its minimum share is served first. When the result satisfies the whole
//!   model it is handed to HiGHS as a MIP start, so a time-limited run has a portfolio at once.
//! - [`fill`]: after a time-limited solve, add every project that still fits, best density
//!   first. It never breaks a row, so it can only raise the objective.

use super::encode::{Encoded, Group};
use super::SolveOptions;
use crate::model::Workbook;

/// Incremental row activities of a partial assignment.
struct Builder<'a> {
    encoded: &'a Encoded,
    /// Rows of each column, with the coefficient.
    col_rows: Vec<Vec<(usize, f64)>>,
    activity: Vec<f64>,
    values: Vec<f64>,
    chosen: Vec<bool>,
}

fn tolerance(limit: f64) -> f64 {
    1e-9 * limit.abs().max(1.0)
}

impl<'a> Builder<'a> {
    fn new(encoded: &'a Encoded, projects: usize) -> Builder<'a> {
        let mut col_rows: Vec<Vec<(usize, f64)>> = vec![Vec::new(); encoded.columns.len()];
        for (r, row) in encoded.rows.iter().enumerate() {
            for &(j, c) in &row.terms {
                col_rows[j].push((r, c));
            }
        }
        Builder {
            encoded,
            col_rows,
            activity: vec![0.0; encoded.rows.len()],
            values: vec![0.0; encoded.columns.len()],
            chosen: vec![false; projects],
        }
    }

    fn set(&mut self, j: usize) {
        for &(r, c) in &self.col_rows[j] {
            self.activity[r] += c;
        }
        self.values[j] = 1.0;
        self.chosen[self.encoded.columns[j].0] = true;
    }

    /// Add project `p` at its first start that keeps every row's upper limit (and, with
    /// `keep_lower`, every lower limit other than "must be selected"). True when added.
    fn try_add(&mut self, p: usize, keep_lower: bool) -> bool {
        if self.chosen[p] {
            return false;
        }
        let rows = &self.encoded.rows;
        for &j in &self.encoded.by_project[p] {
            let fits = self.col_rows[j].iter().all(|&(r, c)| {
                let row = &rows[r];
                let after = self.activity[r] + c;
                let upper_ok = after <= row.upper + tolerance(row.upper);
                let lower_ok = !keep_lower
                    || matches!(row.group, Group::Forced { .. })
                    || row.lower == f64::NEG_INFINITY
                    || after >= row.lower - tolerance(row.lower);
                upper_ok && lower_ok
            });
            if fits {
                self.set(j);
                return true;
            }
        }
        false
    }
}

impl Builder<'_> {
    /// Remove project `p` when that lowers row `target` no further and keeps every other row
    /// within its limits. True when removed.
    fn try_remove(&mut self, p: usize, target: usize) -> bool {
        let rows = &self.encoded.rows;
        let Some(&j) = self.encoded.by_project[p]
            .iter()
            .find(|&&j| self.values[j] > 0.5)
        else {
            return false;
        };
        let ok = self.col_rows[j].iter().all(|&(r, c)| {
            let row = &rows[r];
            let after = self.activity[r] - c;
            if r == target {
                return c < 0.0;
            }
            after <= row.upper + tolerance(row.upper)
                && (row.lower == f64::NEG_INFINITY || after >= row.lower - tolerance(row.lower))
        });
        if ok {
            for &(r, c) in &self.col_rows[j] {
                self.activity[r] -= c;
            }
            self.values[j] = 0.0;
            self.chosen[p] = false;
        }
        ok
    }
}

/// Projects by descending value density (score per unit of capped resources at their earliest
/// start), ties by index.
fn by_density(workbook: &Workbook, encoded: &Encoded, options: &SolveOptions) -> Vec<usize> {
    let rows = &encoded.rows;
    let mut use_of = vec![0.0; encoded.columns.len()];
    for row in rows {
        if matches!(
            row.group,
            Group::Budget { .. } | Group::CategoryBudget { .. } | Group::Capacity { .. }
        ) {
            for &(j, c) in &row.terms {
                use_of[j] += c.max(0.0) / row.upper.max(1e-9);
            }
        }
    }
    let density: Vec<f64> = (0..workbook.projects.len())
        .map(|p| match encoded.by_project[p].first() {
            Some(&j) => workbook.score(p, options.objective) / (use_of[j] + 1e-9),
            None => f64::NEG_INFINITY,
        })
        .collect();
    let mut order: Vec<usize> = (0..workbook.projects.len())
        .filter(|&p| !encoded.by_project[p].is_empty())
        .collect();
    order.sort_by(|&a, &b| density[b].total_cmp(&density[a]).then(a.cmp(&b)));
    order
}

/// A feasible assignment of the columns of `encoded`, or `None` when the greedy one is not.
pub(crate) fn greedy(
    workbook: &Workbook,
    encoded: &Encoded,
    options: &SolveOptions,
) -> Option<Vec<f64>> {
    let values = construct(workbook, encoded, options).values;
    encoded.satisfies(&values).then_some(values)
}

fn construct<'a>(workbook: &Workbook, encoded: &'a Encoded, options: &SolveOptions) -> Builder<'a> {
    let mut required = vec![false; workbook.projects.len()];
    for project in &workbook.projects {
        for &q in project.requires.iter().chain(&project.after) {
            required[q] = true;
        }
    }
    let order: Vec<usize> = by_density(workbook, encoded, options)
        .into_iter()
        .filter(|&p| workbook.score(p, options.objective) > 0.0 || required[p])
        .collect();
    let mut builder = Builder::new(encoded, workbook.projects.len());
    // Forced work first: in-progress work has one start, mandatory work the narrowest windows
    // next, so the flexible ones move aside.
    let mut forced: Vec<usize> = (0..workbook.projects.len())
        .filter(|&p| workbook.projects[p].status.is_forced())
        .collect();
    forced.sort_by_key(|&p| (encoded.by_project[p].len(), p));
    for p in forced {
        builder.try_add(p, false);
    }
    // Minimum shares: while a category is short of its share, its best project goes next.
    let short: Vec<(usize, Vec<usize>)> = encoded
        .rows
        .iter()
        .enumerate()
        .filter_map(|(r, row)| match row.group {
            Group::BalanceMin { category } => Some((
                r,
                order
                    .iter()
                    .copied()
                    .filter(|&q| workbook.projects[q].category == Some(category))
                    .collect(),
            )),
            _ => None,
        })
        .collect();
    // Two passes: a project whose prerequisite came later in the order gets a second chance.
    for _pass in 0..2 {
        let mut cursor = vec![0; short.len()];
        for &p in &order {
            for (k, (r, list)) in short.iter().enumerate() {
                while builder.activity[*r] < 0.0 && cursor[k] < list.len() {
                    builder.try_add(list[cursor[k]], false);
                    cursor[k] += 1;
                }
            }
            builder.try_add(p, false);
        }
    }
    // Still short of a minimum share: drop the least dense projects of other categories, as
    // long as dropping them breaks nothing else.
    for (r, _) in &short {
        for &p in order.iter().rev() {
            if builder.activity[*r] >= 0.0 {
                break;
            }
            let project = &workbook.projects[p];
            if !builder.chosen[p] || project.status.is_forced() {
                continue;
            }
            builder.try_remove(p, *r);
        }
    }
    builder
}

/// Add to a feasible assignment every project that still fits, best density first.
pub(crate) fn fill(
    workbook: &Workbook,
    encoded: &Encoded,
    options: &SolveOptions,
    values: &[f64],
) -> Vec<f64> {
    let mut builder = Builder::new(encoded, workbook.projects.len());
    for (j, &v) in values.iter().enumerate() {
        if v > 0.5 {
            builder.set(j);
        }
    }
    for p in by_density(workbook, encoded, options) {
        if workbook.score(p, options.objective) > 0.0 {
            builder.try_add(p, true);
        }
    }
    if encoded.satisfies(&builder.values) {
        builder.values
    } else {
        values.iter().map(|v| v.round()).collect()
    }
}
