//! The sample solve of `arbiter uncertainty` on Monte Carlo samples of the demo: the
//! ordinary solve's optimum within the gap, proven, and the earliest schedule of the chosen
//! projects. Here, not beside `solve_sample`, because it draws the samples with the
//! uncertainty analysis, a layer above the solver.

use std::path::Path;

use arbiter::analysis::uncertainty::{draw, sampled};
use arbiter::model::{Status, Workbook};
use arbiter::solve::{solve, solve_sample, Solution, SolveOptions, SolveStatus};

fn demo() -> Workbook {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/demo");
    match arbiter::read_workbook(&path, &Default::default()) {
        Ok(loaded) => loaded.workbook,
        Err(err) => panic!("fixtures/demo: {err}"),
    }
}

/// Samples of the demo: the optimum within the gap, proven, and the earliest schedule of
/// the chosen projects (no other schedule of the same projects starts earlier in sum).
#[test]
fn demo_samples_reach_the_ordinary_optimum() {
    let wb = demo();
    let options = SolveOptions {
        tie_break: false,
        quick: true,
        ..SolveOptions::default()
    };
    for i in 0..3 {
        let s = sampled(&wb, &draw(&wb, 1, i));
        let plain = solve(&s, &options).unwrap();
        let fast = solve_sample(&s, &options).unwrap();
        assert_eq!(fast.status, SolveStatus::Optimal, "sample {i}");
        let (a, b) = (plain.objective.unwrap(), fast.objective.unwrap());
        assert!(
            (a - b).abs() <= options.gap * a.abs().max(b.abs()),
            "sample {i}: {a} vs {b}"
        );
        assert!(fast.gap.unwrap() <= options.gap, "sample {i}");
        // Step 1 of the tie-break on the same projects changes nothing.
        let mut forced = s.clone();
        for (p, start) in fast.starts.iter().enumerate() {
            let project = &mut forced.projects[p];
            if project.status == Status::Candidate {
                project.status = match start {
                    Some(_) => Status::Mandatory,
                    None => Status::Excluded,
                };
            }
        }
        let earliest = solve(&forced, &SolveOptions::default()).unwrap();
        let sum = |s: &Solution| s.starts.iter().flatten().sum::<usize>();
        assert_eq!(sum(&fast), sum(&earliest), "sample {i}: start sum");
    }
}
