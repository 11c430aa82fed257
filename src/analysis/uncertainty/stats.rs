//! Numbers counted over the samples of an uncertainty run: the objective's spread
//! (nearest-rank percentiles) and how often a fixed portfolio overruns a budget cap when its
//! costs are drawn.

use super::{Draw, Overrun, Stats};
use crate::model::{Starts, Workbook};
use crate::rules::budget::{available, carry_of};

/// Whether `spend` breaks `cap` beyond the contract's tolerance.
fn over(spend: f64, cap: f64) -> bool {
    spend > cap + 1e-6 * cap.abs().max(1.0)
}

/// How often the fixed portfolio `starts`, each project funded at its share (`shares`, 1 when
/// missing), breaks a budget cap with each sample's costs.
pub fn overrun(workbook: &Workbook, starts: &Starts, shares: &[f64], draws: &[Draw]) -> Overrun {
    let horizon = workbook.horizon();
    let mut any = 0usize;
    let mut by_period = vec![0usize; horizon];
    for draw in draws {
        let mut total = vec![0.0; horizon];
        let mut by_category = vec![vec![0.0; horizon]; workbook.categories.len()];
        for (p, start) in starts.iter().enumerate() {
            let Some(start) = start else { continue };
            let project = &workbook.projects[p];
            let share = shares.get(p).copied().unwrap_or(1.0);
            let factor = share
                * if project.cost > 0.0 {
                    draw.cost[p] / project.cost
                } else {
                    1.0
                };
            for (offset, amount) in project.cost_profile.iter().enumerate() {
                let t = start + offset;
                if t >= horizon {
                    break;
                }
                total[t] += amount * factor;
                if let Some(c) = project.category {
                    by_category[c][t] += amount * factor;
                }
            }
        }
        let mut broke = false;
        // What each period has: its budget plus what a carrying period before left.
        let total_cap = available(&workbook.budget_total, carry_of(workbook, None), &total);
        let category_caps: Vec<(usize, Vec<Option<f64>>)> = workbook
            .budget_category
            .iter()
            .map(|(c, caps)| {
                let spent = &by_category[*c];
                (*c, available(caps, carry_of(workbook, Some(*c)), spent))
            })
            .collect();
        for t in 0..horizon {
            let total_over = total_cap[t].is_some_and(|cap| over(total[t], cap));
            let category_over = category_caps.iter().any(|(c, caps)| {
                caps.get(t)
                    .copied()
                    .flatten()
                    .is_some_and(|cap| over(by_category[*c][t], cap))
            });
            if total_over || category_over {
                by_period[t] += 1;
                broke = true;
            }
        }
        any += usize::from(broke);
    }
    let share = |k: usize| k as f64 / draws.len().max(1) as f64;
    Overrun {
        probability: share(any),
        by_period: by_period.into_iter().map(share).collect(),
    }
}

/// Nearest-rank percentile of sorted values: the smallest value with at least `q` of the
/// values at or below it.
fn percentile(sorted: &[f64], q: f64) -> f64 {
    let rank = ((q * sorted.len() as f64).ceil() as usize).clamp(1, sorted.len());
    sorted[rank - 1]
}

pub(super) fn stats(values: &[f64]) -> Option<Stats> {
    if values.is_empty() {
        return None;
    }
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    Some(Stats {
        mean: values.iter().sum::<f64>() / values.len() as f64,
        p10: percentile(&sorted, 0.1),
        p50: percentile(&sorted, 0.5),
        p90: percentile(&sorted, 0.9),
        min: sorted[0],
        max: sorted[sorted.len() - 1],
    })
}

#[cfg(test)]
mod tests {
    use super::super::ranged;
    use super::*;

    #[test]
    fn overrun_counts_the_samples_that_break_a_cap() {
        let wb = Workbook {
            periods: vec!["Q1".into()],
            projects: vec![ranged("A", (80.0, 100.0, 160.0), (1.0, 1.0, 1.0))],
            budget_total: vec![Some(120.0)],
            ..Workbook::default()
        };
        let draws = [100.0, 119.0, 121.0, 150.0].map(|c| Draw {
            cost: vec![c],
            value: vec![1.0],
        });
        let o = overrun(&wb, &vec![Some(0)], &[], &draws);
        assert_eq!(o.probability, 0.5);
        assert_eq!(o.by_period, vec![0.5]);
        assert_eq!(overrun(&wb, &vec![None], &[], &draws).probability, 0.0);
    }

    #[test]
    fn percentiles_are_nearest_rank() {
        let s = stats(&[5.0, 1.0, 4.0, 2.0, 3.0, 6.0, 7.0, 8.0, 9.0, 10.0]).unwrap();
        assert_eq!((s.p10, s.p50, s.p90), (1.0, 5.0, 9.0));
        assert_eq!(s.mean, 5.5);
        assert!(stats(&[]).is_none());
    }
}
