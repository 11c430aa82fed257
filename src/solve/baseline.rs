//! Stable re-plans: a previous plan (the baseline) and what changing it costs.
//!
//! Keeping a project of the baseline at its baseline start earns a bonus of
//! `penalty × c(p, b)`, where `c(p, b)` is the objective coefficient of that very column
//! (the project's score, discounted at its baseline start when `--discount` is given): the
//! column counts `(1 + penalty)` times. Dropping the project or moving its start forgoes the
//! bonus. Up to the constant Σ bonus this is the same as charging `penalty × c(p, b)` for
//! every change, so the optimiser changes the baseline only where a change gains more than
//! the penalty of the projects it changes. The encoding adds no variable and no row.
//!
//! The penalised objective is the one optimised, and the one [`penalised_objective`]
//! recomputes from the workbook (independently of the encoder), so that the reported
//! objective, bound and gap agree.

use super::encode::Encoded;
use super::SolveOptions;
use crate::model::{Objective, Starts, Workbook};

/// A previous plan and the penalty for changing it.
#[derive(Debug, Clone, PartialEq)]
pub struct Baseline {
    /// The baseline start of each project of the workbook (`None`: not in the baseline).
    pub starts: Starts,
    /// The cost of a change, as a fraction of the changed project's own (discounted) score
    /// at its baseline start: 0.1 means a change must gain at least 10 % of it.
    pub penalty: f64,
}

impl Baseline {
    /// Baseline start of project `p`.
    pub fn start(&self, p: usize) -> Option<usize> {
        self.starts.get(p).copied().flatten()
    }
}

/// Discount factor of a start in period `t` (the checker's formula).
fn factor(discount: f64, t: usize) -> f64 {
    if discount == 0.0 {
        1.0
    } else {
        (1.0 + discount).powf(-(t as f64))
    }
}

/// What dropping project `p` or moving its start costs: `penalty × score × discount factor`
/// at its baseline start; `None` when `p` is not in the baseline.
pub fn change_penalty(
    workbook: &Workbook,
    baseline: &Baseline,
    p: usize,
    objective: Objective,
    discount: f64,
) -> Option<f64> {
    let b = baseline.start(p)?;
    (p < workbook.projects.len())
        .then(|| baseline.penalty * workbook.score(p, objective) * factor(discount, b))
}

/// The objective `options` optimise for `starts`: the checker's objective plus, with a
/// baseline, the bonus of every project kept at its baseline start.
pub fn penalised_objective(workbook: &Workbook, starts: &Starts, options: &SolveOptions) -> f64 {
    let plain = super::check::objective(workbook, starts, options.objective, options.discount);
    let Some(baseline) = &options.baseline else {
        return plain;
    };
    let kept: f64 = (0..workbook.projects.len())
        .filter(|&p| {
            let start = starts.get(p).copied().flatten();
            start.is_some() && start == baseline.start(p)
        })
        .filter_map(|p| change_penalty(workbook, baseline, p, options.objective, options.discount))
        .sum();
    plain + kept
}

/// Encode `workbook` for `options`: the plain model, its baseline columns worth
/// `(1 + penalty)` times when a baseline is given.
pub(crate) fn encode(workbook: &Workbook, options: &SolveOptions) -> Encoded {
    let mut encoded = Encoded::new(workbook, options.objective, options.discount);
    if let Some(baseline) = &options.baseline {
        for (j, &(p, t)) in encoded.columns.iter().enumerate() {
            if baseline.start(p) == Some(t) {
                encoded.objective[j] *= 1.0 + baseline.penalty;
            }
        }
        // A partly funded project's worth sits on its shares.
        let n = encoded.columns.len();
        for (i, s) in encoded.shares.iter().enumerate() {
            if baseline.start(s.project) == Some(encoded.columns[s.column].1) {
                encoded.objective[n + i] *= 1.0 + baseline.penalty;
            }
        }
    }
    encoded
}

/// The baseline as column values of `encoded`, when it is a feasible portfolio of this
/// model (every start still allowed, every row kept): a MIP start, so that an unchanged
/// workbook gives back the baseline itself.
pub(crate) fn start_values(
    workbook: &Workbook,
    encoded: &Encoded,
    baseline: &Baseline,
) -> Option<Vec<f64>> {
    let mut values = vec![0.0; encoded.columns.len()];
    for (p, columns) in encoded.by_project.iter().enumerate() {
        let Some(b) = baseline.start(p) else {
            continue;
        };
        let j = columns
            .iter()
            .copied()
            .find(|&j| encoded.columns[j].1 == b)?;
        values[j] = 1.0;
    }
    // A baseline project the workbook no longer allows at all (excluded, no window left).
    let representable = (0..baseline.starts.len())
        .filter(|&p| baseline.start(p).is_some())
        .all(|p| encoded.by_project.get(p).is_some_and(|c| !c.is_empty()));
    if !representable {
        return None;
    }
    // A baseline project that may be funded in part starts whole.
    let shares: Vec<f64> = encoded.shares.iter().map(|s| values[s.column]).collect();
    values.extend(shares);
    if !encoded.flows.is_empty() {
        // With teams.csv the start also needs the teams' FTE that staffs the baseline.
        let starts = encoded.starts_of(workbook.projects.len(), &values);
        let flows = super::allocate::flows_for(workbook, &starts)?;
        values.extend(encoded.flows.iter().map(|f| {
            flows
                .iter()
                .find(|g| g.0 == f.team && g.1 == f.skill && g.2 == f.period)
                .map_or(0.0, |g| g.3)
        }));
    }
    encoded.satisfies(&values).then_some(values)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Project;
    use crate::solve::{solve, SolveStatus};

    /// One period, budget 100: A (value 50, cost 80) and B (value 45, cost 70) compete.
    fn workbook() -> Workbook {
        Workbook {
            periods: vec!["Q1".into()],
            projects: vec![
                Project::candidate("A", 80.0, 1, 50.0, 0),
                Project::candidate("B", 70.0, 1, 45.0, 0),
            ],
            budget_total: vec![Some(100.0)],
            ..Workbook::default()
        }
    }

    fn with_baseline(starts: Starts, penalty: f64) -> SolveOptions {
        SolveOptions {
            gap: 0.0,
            baseline: Some(Baseline { starts, penalty }),
            ..SolveOptions::default()
        }
    }

    #[test]
    fn a_penalty_larger_than_the_gain_keeps_the_baseline() {
        let wb = workbook();
        // A beats B by 5, which is 11.1 % of B's 45.
        let small = solve(&wb, &with_baseline(vec![None, Some(0)], 0.1)).unwrap();
        assert_eq!(small.starts, vec![Some(0), None]);
        assert_eq!(small.objective, Some(50.0));
        let large = solve(&wb, &with_baseline(vec![None, Some(0)], 0.2)).unwrap();
        assert_eq!(large.status, SolveStatus::Optimal);
        assert_eq!(large.starts, vec![None, Some(0)]);
        // 45 plus the kept bonus 0.2 × 45.
        assert!((large.objective.unwrap() - 54.0).abs() < 1e-9);
        assert!(large.gap.unwrap() <= 1e-9);
    }

    #[test]
    fn the_penalised_objective_counts_only_projects_kept_at_their_start() {
        let wb = workbook();
        let options = with_baseline(vec![Some(0), Some(0)], 0.5);
        let kept_a = penalised_objective(&wb, &vec![Some(0), None], &options);
        assert!((kept_a - 75.0).abs() < 1e-12);
        let none = penalised_objective(&wb, &vec![None, None], &options);
        assert_eq!(none, 0.0);
        let plain = penalised_objective(&wb, &vec![Some(0), None], &SolveOptions::default());
        assert_eq!(plain, 50.0);
    }

    #[test]
    fn an_infeasible_baseline_is_no_start() {
        let wb = workbook();
        let options = with_baseline(vec![Some(0), Some(0)], 0.1);
        let encoded = encode(&wb, &options);
        let baseline = options.baseline.as_ref().unwrap();
        assert!(start_values(&wb, &encoded, baseline).is_none());
        let one = Baseline {
            starts: vec![Some(0), None],
            penalty: 0.1,
        };
        assert_eq!(start_values(&wb, &encoded, &one), Some(vec![1.0, 0.0]));
    }
}
