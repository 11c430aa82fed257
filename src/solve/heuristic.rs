//! A greedy primal heuristic: forced work first, then candidates by value density on the
//! resources they use, each at its earliest start that keeps every capped row within its
//! limit. Its answer, when it satisfies the whole model, is handed to HiGHS as a MIP start so
//! that even a time-limited run has a portfolio at once.

use super::encode::{Encoded, Group};
use super::SolveOptions;
use crate::model::Workbook;

/// A feasible assignment of the columns of `encoded`, or `None` when the greedy one is not.
pub(crate) fn greedy(
    workbook: &Workbook,
    encoded: &Encoded,
    options: &SolveOptions,
) -> Option<Vec<f64>> {
    let rows = &encoded.rows;
    let mut col_rows: Vec<Vec<(usize, f64)>> = vec![Vec::new(); encoded.columns.len()];
    for (r, row) in rows.iter().enumerate() {
        if row.upper.is_finite() {
            for &(j, c) in &row.terms {
                col_rows[j].push((r, c));
            }
        }
    }
    let required: Vec<bool> = {
        let mut req = vec![false; workbook.projects.len()];
        for project in &workbook.projects {
            for &q in project.requires.iter().chain(&project.after) {
                req[q] = true;
            }
        }
        req
    };
    // Density: score per unit of the capped resources the earliest start uses.
    let density = |p: usize| -> f64 {
        let score = workbook.score(p, options.objective);
        let Some(&j) = encoded.by_project[p].first() else {
            return f64::NEG_INFINITY;
        };
        let use_: f64 = col_rows[j]
            .iter()
            .filter(|(r, _)| {
                matches!(
                    rows[*r].group,
                    Group::Budget { .. } | Group::CategoryBudget { .. } | Group::Capacity { .. }
                )
            })
            .map(|&(r, c)| c.max(0.0) / rows[r].upper.max(1e-9))
            .sum();
        score / (use_ + 1e-9)
    };
    let mut order: Vec<usize> = (0..workbook.projects.len())
        .filter(|&p| !encoded.by_project[p].is_empty())
        .filter(|&p| {
            workbook.projects[p].status.is_forced()
                || workbook.score(p, options.objective) > 0.0
                || required[p]
        })
        .collect();
    let densities: Vec<f64> = (0..workbook.projects.len()).map(density).collect();
    order.sort_by(|&a, &b| {
        let fa = workbook.projects[a].status.is_forced();
        let fb = workbook.projects[b].status.is_forced();
        fb.cmp(&fa)
            .then(densities[b].total_cmp(&densities[a]))
            .then(a.cmp(&b))
    });
    let mut activity = vec![0.0; rows.len()];
    let mut values = vec![0.0; encoded.columns.len()];
    let mut chosen = vec![false; workbook.projects.len()];
    // Two passes: a project whose prerequisite came later in the order gets a second chance.
    for _ in 0..2 {
        for &p in &order {
            if chosen[p] {
                continue;
            }
            for &j in &encoded.by_project[p] {
                let fits = col_rows[j].iter().all(|&(r, c)| {
                    let upper = rows[r].upper;
                    activity[r] + c <= upper + 1e-9 * upper.abs().max(1.0)
                });
                if fits {
                    for &(r, c) in &col_rows[j] {
                        activity[r] += c;
                    }
                    values[j] = 1.0;
                    chosen[p] = true;
                    break;
                }
            }
        }
    }
    encoded.satisfies(&values).then_some(values)
}
