//! Why a re-plan moved a project of its baseline: the best portfolio that keeps the project
//! at its baseline start, solved once per moved project (in parallel, like the ranking).

use super::rank::{impact, Impact};
use crate::error::Result;
use crate::model::{Status, Workbook};
use crate::parallel::par_map;
use crate::solve::{solve, Solution, SolveOptions};

/// What keeping a moved project at its baseline start costs.
#[derive(Debug, Clone, PartialEq)]
pub enum Keep {
    /// The best portfolio with the project at its baseline start, against the re-plan
    /// (change penalties counted).
    Impact(Impact),
    /// The baseline start is outside the project's window now (or the project is in
    /// progress, so it starts at the first period).
    OutsideWindow,
}

/// For every project that `base` selects at another start than the baseline of `options`:
/// what keeping it at its baseline start would do (`None` for the others, and for all
/// without a baseline). `base` must have a portfolio.
pub fn keep_moved(
    workbook: &Workbook,
    base: &Solution,
    options: &SolveOptions,
    workers: usize,
) -> Result<Vec<Option<Keep>>> {
    let n = workbook.projects.len();
    let (Some(baseline), Some(z)) = (&options.baseline, base.objective) else {
        return Ok(vec![None; n]);
    };
    let moved: Vec<(usize, usize)> = (0..n)
        .filter_map(|p| {
            let b = baseline.start(p)?;
            let s = base.starts.get(p).copied().flatten()?;
            (s != b).then_some((p, b))
        })
        .collect();
    // Objectives only, like the ranking's re-solves.
    let resolve = SolveOptions {
        tie_break: false,
        quick: true,
        ..options.clone()
    };
    let answers = par_map(&moved, workers, |&(p, b)| -> Result<Keep> {
        let project = &workbook.projects[p];
        if project.status == Status::InProgress || !project.window().contains(&b) {
            return Ok(Keep::OutsideWindow);
        }
        let mut wb = workbook.clone();
        let pinned = &mut wb.projects[p];
        pinned.status = Status::Mandatory;
        pinned.earliest = b;
        pinned.latest = b;
        Ok(Keep::Impact(impact(
            z,
            &base.starts,
            &solve(&wb, &resolve)?,
        )))
    })?;
    let mut keep = vec![None; n];
    for (&(p, _), answer) in moved.iter().zip(answers) {
        keep[p] = Some(answer?);
    }
    Ok(keep)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Project;
    use crate::solve::Baseline;

    #[test]
    fn keeping_a_moved_project_costs_what_the_move_gained() {
        // Q1 has room for one of A (value 10) and B (value 6); Q2 for one more. Baseline: B
        // in Q1, A in Q2. With discount 0.5 the re-plan moves A to Q1 and B to Q2.
        let wb = Workbook {
            periods: vec!["Q1".into(), "Q2".into()],
            projects: vec![
                Project::candidate("A", 10.0, 1, 10.0, 1),
                Project::candidate("B", 10.0, 1, 6.0, 1),
            ],
            budget_total: vec![Some(10.0), Some(10.0)],
            ..Workbook::default()
        };
        let options = SolveOptions {
            gap: 0.0,
            discount: 0.5,
            baseline: Some(Baseline {
                starts: vec![Some(1), Some(0)],
                penalty: 0.1,
            }),
            ..SolveOptions::default()
        };
        let base = solve(&wb, &options).unwrap();
        // A first: 10 + 6/1.5 = 14; the baseline: 10/1.5 × 1.1 + 6 × 1.1 = 13.93.
        assert_eq!(base.starts, vec![Some(0), Some(1)]);
        let keep = keep_moved(&wb, &base, &options, 1).unwrap();
        for k in &keep {
            match k {
                Some(Keep::Impact(Impact::Loss { loss, .. })) => {
                    assert!((loss - (14.0 - 1.1 * (6.0 + 10.0 / 1.5))).abs() < 1e-9)
                }
                other => panic!("{other:?}"),
            }
        }
    }
}
