//! Weight sensitivity: for each driver, the interval of its weight (the other weights
//! scaled to fill the rest, keeping their proportions) inside which the chosen portfolio
//! stays optimal, and what enters or leaves beyond each end.
//!
//! A portfolio's objective is linear in the weight w of one driver (each score is
//! w × own score + (1 − w) × the others' weighted score), so the best objective is a convex,
//! piecewise-linear function of w and the portfolio stays optimal on an interval. Each end
//! is found exactly by the classic parametric search: solve at the far end of [0, 1]; if a
//! portfolio beats ours there, move to where the two lines cross and solve again, until
//! nothing beats ours at the crossing — that crossing is the end, and the last challenger is
//! what takes over beyond it. Drivers and directions run in parallel.

use crate::error::{Error, Result};
use crate::model::{Objective, Starts, Workbook};
use crate::parallel::par_map;
use crate::solve::{solve, SolveOptions, SolveStatus};

/// One end of a driver's interval.
#[derive(Debug, Clone, PartialEq)]
pub struct End {
    /// The weight at this end (0 or 1 when the portfolio stays optimal all the way).
    pub weight: f64,
    /// Projects that enter beyond this end (empty when the end is 0 or 1 unchallenged).
    pub enters: Vec<usize>,
    /// Projects that leave beyond this end.
    pub leaves: Vec<usize>,
}

impl End {
    /// The end at `weight`, beyond which portfolio `other` takes over from `base`.
    fn beyond(weight: f64, base: &Starts, other: &Starts) -> End {
        let (enters, leaves) = super::moves(base, other);
        End {
            weight,
            enters,
            leaves,
        }
    }
}

/// The interval of one driver.
#[derive(Debug, Clone, PartialEq)]
pub struct Interval {
    pub driver: usize,
    /// Today's normalised weight.
    pub weight: f64,
    pub low: End,
    pub high: End,
}

/// Largest number of solves per end: the search meets a new, strictly better portfolio
/// each time, so this only guards against solver noise.
const MAX_STEPS: usize = 64;

/// The interval of every driver of `workbook`, whose optimal portfolio is `base`.
pub fn sensitivity(
    workbook: &Workbook,
    base: &Starts,
    options: &SolveOptions,
    workers: usize,
) -> Result<Vec<Interval>> {
    if workbook.drivers.is_empty() || options.objective == Objective::Value {
        return Err(Error::Unsupported(
            "weight sensitivity needs drivers (drivers.csv or pairwise.csv) and the score objective".into(),
        ));
    }
    let options = SolveOptions {
        tie_break: false,
        allocate: false,
        quick: true,
        ..options.clone()
    };
    let jobs: Vec<(usize, bool)> = (0..workbook.drivers.len())
        .flat_map(|d| [(d, false), (d, true)])
        .collect();
    let ends = par_map(&jobs, workers, |&(d, up)| {
        end(workbook, base, &options, d, up)
    })?;
    let mut ends = ends.into_iter();
    let mut out = Vec::new();
    for d in 0..workbook.drivers.len() {
        let (Some(low), Some(high)) = (ends.next(), ends.next()) else {
            break;
        };
        out.push(Interval {
            driver: d,
            weight: workbook.drivers[d].weight,
            low: low?,
            high: high?,
        });
    }
    Ok(out)
}

/// Weights with driver `d` at `w` and the others scaled to sum to 1 − w (in their current
/// proportions; equally when they are all 0).
pub fn weights_at(workbook: &Workbook, d: usize, w: f64) -> Vec<f64> {
    let others: f64 = workbook
        .drivers
        .iter()
        .enumerate()
        .filter(|(j, _)| *j != d)
        .map(|(_, x)| x.weight)
        .sum();
    let n_others = workbook.drivers.len().saturating_sub(1).max(1) as f64;
    workbook
        .drivers
        .iter()
        .enumerate()
        .map(|(j, x)| {
            if j == d {
                w
            } else if others > 0.0 {
                x.weight / others * (1.0 - w)
            } else {
                (1.0 - w) / n_others
            }
        })
        .collect()
}

fn with_weights(workbook: &Workbook, weights: &[f64]) -> Workbook {
    let mut wb = workbook.clone();
    for (driver, w) in wb.drivers.iter_mut().zip(weights) {
        driver.weight = *w;
    }
    wb
}

/// Objective of `starts` with driver `d` at weight `w`.
fn value(workbook: &Workbook, starts: &Starts, d: usize, w: f64, discount: f64) -> f64 {
    let weights = weights_at(workbook, d, w);
    starts
        .iter()
        .enumerate()
        .filter_map(|(p, s)| s.map(|t| (p, t)))
        .map(|(p, t)| {
            let score: f64 = weights
                .iter()
                .zip(&workbook.projects[p].scores)
                .map(|(w, s)| w * s)
                .sum();
            score * (1.0 + discount).powi(-(t as i32))
        })
        .sum()
}

fn end(
    workbook: &Workbook,
    base: &Starts,
    options: &SolveOptions,
    d: usize,
    up: bool,
) -> Result<End> {
    let today = workbook.drivers[d].weight;
    let far = if up { 1.0 } else { 0.0 };
    let unchallenged = |weight: f64| End {
        weight,
        enters: Vec::new(),
        leaves: Vec::new(),
    };
    if workbook.drivers.len() == 1 || (far - today).abs() <= 1e-12 {
        return Ok(unchallenged(today));
    }
    let ours = |w: f64| value(workbook, base, d, w, options.discount);
    let mut target = far;
    let mut challenger: Option<Starts> = None;
    for _ in 0..MAX_STEPS {
        let wb = with_weights(workbook, &weights_at(workbook, d, target));
        let s = solve(&wb, options)?;
        if s.status == SolveStatus::Infeasible {
            return Err(Error::Internal(
                "a workbook with a feasible portfolio became infeasible when only weights changed"
                    .into(),
            ));
        }
        let theirs = |w: f64| value(workbook, &s.starts, d, w, options.discount);
        let tolerance = 1e-9 * ours(target).abs().max(1.0);
        if theirs(target) <= ours(target) + tolerance {
            return Ok(match challenger {
                None => unchallenged(far),
                Some(other) => End::beyond(target, base, &other),
            });
        }
        // Both objectives are lines in w: ours(w) = a + b w, theirs(w) = c + e w.
        let (a, b) = (ours(0.0), ours(1.0) - ours(0.0));
        let (c, e) = (theirs(0.0), theirs(1.0) - theirs(0.0));
        let crossing = if (e - b).abs() > 1e-15 {
            ((a - c) / (e - b)).clamp(today.min(far), today.max(far))
        } else {
            today
        };
        challenger = Some(s.starts);
        if (crossing - target).abs() <= 1e-12 {
            target = crossing;
            break;
        }
        target = crossing;
    }
    let other = challenger.unwrap_or_else(|| base.clone());
    Ok(End::beyond(target, base, &other))
}
