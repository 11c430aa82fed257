//! Brute-force oracle with partial funding: every portfolio of starts (links, statuses,
//! windows, either-or groups and count limits checked as for whole projects), and for each,
//! the best shares of its partly funded projects — an LP over at most two shares, solved
//! exactly by enumerating the vertices of its feasible polygon. Written from the contract
//! (workbook.md §1–2): spend, staff and value scale with the share; budgets with carry-over
//! hold along each run of carrying rows; balance shares count outflows.

#![allow(dead_code)]

use arbiter::model::{Objective, Starts, Workbook};

use super::brute;

/// The best portfolio with its shares.
#[derive(Debug, Clone)]
pub struct Best {
    pub objective: f64,
    pub start_sum: usize,
    pub starts: Starts,
    pub shares: Vec<f64>,
}

/// One linear constraint `a · s ≤ b` over the shares of the selected partial projects,
/// which holds within `tol` (the contract's tolerance of its limit).
struct Le {
    a: Vec<f64>,
    b: f64,
    tol: f64,
}

/// Σ over selected projects of `amount(p, start)` as (constant, coefficient per share).
fn linear(
    starts: &Starts,
    partial: &[usize],
    mut amount: impl FnMut(usize, usize) -> f64,
) -> (f64, Vec<f64>) {
    let mut constant = 0.0;
    let mut coef = vec![0.0; partial.len()];
    for (p, s) in starts.iter().enumerate() {
        let Some(s) = *s else { continue };
        let x = amount(p, s);
        match partial.iter().position(|&q| q == p) {
            Some(k) => coef[k] += x,
            None => constant += x,
        }
    }
    (constant, coef)
}

/// Every constraint on the shares of `partial` for `starts`, tolerance folded into `b`.
fn constraints(wb: &Workbook, starts: &Starts, partial: &[usize]) -> Vec<Le> {
    let h = wb.horizon();
    let tol = |limit: f64| 1e-6 * limit.abs().max(1.0);
    let mut out = Vec::new();
    let spend_at = |category: Option<usize>, t: usize| {
        linear(starts, partial, |p, s| {
            let project = &wb.projects[p];
            if category.is_some() && project.category != category {
                return 0.0;
            }
            t.checked_sub(s)
                .and_then(|o| project.cost_profile.get(o))
                .copied()
                .unwrap_or(0.0)
        })
    };
    // Budgets: Σ spend over the run of carrying rows ending in t ≤ Σ budgets over it.
    // (category or the total, its budgets, its carry flags)
    type Scope<'a> = (Option<usize>, &'a [Option<f64>], &'a [bool]);
    let mut scopes: Vec<Scope> = vec![(None, &wb.budget_total, &wb.carry_total)];
    for (c, caps) in &wb.budget_category {
        let carry = wb.carry_category.get(c).map_or(&[][..], |v| v.as_slice());
        scopes.push((Some(*c), caps, carry));
    }
    for (category, caps, carry) in scopes {
        let mut run_start = 0;
        for t in 0..h {
            let Some(_) = caps.get(t).copied().flatten() else {
                run_start = t + 1;
                continue;
            };
            let cap: f64 = caps[run_start..=t].iter().map(|c| c.unwrap_or(0.0)).sum();
            let mut constant = 0.0;
            let mut coef = vec![0.0; partial.len()];
            for tau in run_start..=t {
                let (c0, a) = spend_at(category, tau);
                constant += c0;
                coef.iter_mut().zip(a).for_each(|(x, y)| *x += y);
            }
            out.push(Le {
                a: coef,
                b: cap - constant,
                tol: tol(cap),
            });
            if carry.get(t) != Some(&true) {
                run_start = t + 1;
            }
        }
    }
    // Capacities.
    for (pool, caps) in wb.capacity.iter().enumerate() {
        for (t, &cap) in caps.iter().enumerate() {
            let (c0, a) = linear(starts, partial, |p, s| {
                wb.projects[p]
                    .demand
                    .iter()
                    .filter(|d| d.pool == pool)
                    .filter_map(|d| t.checked_sub(s).and_then(|o| d.fte.get(o)))
                    .sum()
            });
            if cap.is_finite() {
                out.push(Le {
                    a,
                    b: cap - c0,
                    tol: tol(cap),
                });
            }
        }
    }
    // Balance: outflows inside the horizon.
    let outflow = |category: Option<usize>| {
        linear(starts, partial, |p, s| {
            let project = &wb.projects[p];
            if category.is_some() && project.category != category {
                return 0.0;
            }
            (s..h)
                .zip(&project.cost_profile)
                .map(|(_, x)| x.max(0.0))
                .sum()
        })
    };
    let (total0, total) = outflow(None);
    for b in &wb.balance {
        let (c0, c) = outflow(Some(b.category));
        // min·total − cost ≤ 0 and cost − max·total ≤ 0; the tolerance is taken at the
        // whole-funded portfolio's size, which bounds every share's.
        let scale = (total0 + total.iter().sum::<f64>()).abs().max(1.0);
        out.push(Le {
            a: total
                .iter()
                .zip(&c)
                .map(|(t, x)| b.min_share * t - x)
                .collect(),
            b: c0 - b.min_share * total0,
            tol: 1e-6 * scale,
        });
        out.push(Le {
            a: c.iter()
                .zip(&total)
                .map(|(x, t)| x - b.max_share * t)
                .collect(),
            b: b.max_share * total0 - c0,
            tol: 1e-6 * scale,
        });
    }
    // Bounds.
    for (k, &p) in partial.iter().enumerate() {
        let mut unit = vec![0.0; partial.len()];
        unit[k] = 1.0;
        out.push(Le {
            a: unit.clone(),
            b: 1.0,
            tol: 1e-9,
        });
        let least = wb.projects[p].min_share.unwrap_or(1.0);
        out.push(Le {
            a: unit.iter().map(|x| -x).collect(),
            b: -least,
            tol: 1e-9,
        });
    }
    out
}

fn holds(rows: &[Le], s: &[f64]) -> bool {
    rows.iter().all(|r| {
        let lhs: f64 = r.a.iter().zip(s).map(|(a, x)| a * x).sum();
        lhs <= r.b + r.tol + 1e-9
    })
}

/// The best shares (at most two) under `rows`, maximising `c · s`: the best feasible vertex.
fn best_shares(rows: &[Le], c: &[f64]) -> Option<Vec<f64>> {
    let mut candidates: Vec<Vec<f64>> = Vec::new();
    match c.len() {
        0 => candidates.push(Vec::new()),
        1 => {
            for r in rows.iter().filter(|r| r.a[0].abs() > 1e-12) {
                candidates.push(vec![r.b / r.a[0]]);
            }
        }
        2 => {
            for (i, r) in rows.iter().enumerate() {
                for q in &rows[i + 1..] {
                    let det = r.a[0] * q.a[1] - r.a[1] * q.a[0];
                    if det.abs() < 1e-12 {
                        continue;
                    }
                    let x = (r.b * q.a[1] - r.a[1] * q.b) / det;
                    let y = (r.a[0] * q.b - r.b * q.a[0]) / det;
                    candidates.push(vec![x, y]);
                }
            }
        }
        _ => panic!("the oracle handles at most two partly funded projects"),
    }
    candidates
        .into_iter()
        .filter(|s| holds(rows, s))
        .map(|s| {
            let v: f64 = c.iter().zip(&s).map(|(a, x)| a * x).sum();
            (v, s)
        })
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, s)| s)
}

/// The best portfolio with shares, or `None` when none is feasible.
pub fn optimum(wb: &Workbook, objective: Objective, discount: f64) -> Option<Best> {
    let mut leaves: Vec<Best> = Vec::new();
    for starts in brute::logical_portfolios(wb) {
        let partial: Vec<usize> = (0..wb.projects.len())
            .filter(|&p| starts[p].is_some() && wb.projects[p].is_partial())
            .collect();
        let rows = constraints(wb, &starts, &partial);
        let (c0, c) = linear(&starts, &partial, |p, s| {
            wb.score(p, objective) * (1.0 + discount).powi(-(s as i32))
        });
        let Some(s) = best_shares(&rows, &c) else {
            continue;
        };
        let mut shares = vec![1.0; wb.projects.len()];
        for (k, &p) in partial.iter().enumerate() {
            shares[p] = s[k];
        }
        let value = c0 + c.iter().zip(&s).map(|(a, x)| a * x).sum::<f64>();
        leaves.push(Best {
            objective: value,
            start_sum: starts.iter().flatten().sum(),
            starts,
            shares,
        });
    }
    let best = leaves
        .iter()
        .map(|l| l.objective)
        .fold(f64::NEG_INFINITY, f64::max);
    let tie = 1e-7 * best.abs().max(1.0);
    leaves
        .into_iter()
        .filter(|l| l.objective >= best - tie)
        .min_by_key(|l| l.start_sum)
}
