//! Re-plans against brute force on small random workbooks: with any baseline (feasible or
//! not) and any change penalty, the MILP finds the best penalised objective of every
//! feasible portfolio; and a re-plan against its own optimal plan returns that plan.

#[path = "common/brute.rs"]
mod brute;
#[path = "common/random.rs"]
mod random;

use arbiter::model::{Objective, Starts, Workbook};
use arbiter::solve::check::check;
use arbiter::solve::{solve, Baseline, SolveOptions, SolveStatus};
use proptest::prelude::*;
use proptest::sample::Index;
use random::{close, config};

const PENALTIES: [f64; 5] = [0.0, 0.05, 0.1, 0.5, 2.0];

/// The penalised objective from the definition: the contract's value, plus penalty × score ×
/// discount factor of every project kept at its baseline start.
fn penalised(
    wb: &Workbook,
    starts: &Starts,
    baseline: &Starts,
    penalty: f64,
    discount: f64,
) -> f64 {
    let kept: f64 = (0..wb.projects.len())
        .filter(|&p| starts[p].is_some() && starts[p] == baseline[p])
        .map(|p| {
            let b = baseline[p].unwrap_or(0);
            penalty * wb.score(p, Objective::Score) * (1.0 + discount).powi(-(b as i32))
        })
        .sum();
    brute::value_of(wb, starts, Objective::Score, discount) + kept
}

fn options(discount: f64, baseline: Option<Baseline>) -> SolveOptions {
    SolveOptions {
        gap: 0.0,
        discount,
        baseline,
        ..SolveOptions::default()
    }
}

proptest! {
    #![proptest_config(config(200, 0x00ba_5e11_0001))]

    /// Any baseline, feasible or not, any penalty: the re-plan's objective is the best
    /// penalised objective of every feasible portfolio, and it is its own penalised worth.
    #[test]
    fn replan_matches_brute_force(
        (wb, discount) in random::workbook_of(0usize..=5),
        pick in any::<Index>(),
        which in 0usize..PENALTIES.len(),
    ) {
        let all = brute::every_portfolio(&wb);
        let baseline = all[pick.index(all.len())].0.clone();
        let penalty = PENALTIES[which];
        let text = format!("baseline {baseline:?}, penalty {penalty}\n{}", random::describe(&wb, discount));
        let best = all
            .iter()
            .filter(|(_, feasible)| *feasible)
            .map(|(starts, _)| penalised(&wb, starts, &baseline, penalty, discount))
            .fold(None, |best: Option<f64>, v| Some(best.map_or(v, |b| b.max(v))));
        let solution = solve(&wb, &options(discount, Some(Baseline { starts: baseline.clone(), penalty })))
            .unwrap_or_else(|e| panic!("solve failed: {e}\n{text}"));
        match (best, solution.status) {
            (None, SolveStatus::Infeasible) => {}
            (Some(best), SolveStatus::Optimal) => {
                prop_assert!(check(&wb, &solution.starts).is_empty(), "{:?}\n{}", solution.starts, text);
                let got = solution.objective.unwrap_or(f64::NAN);
                let worth = penalised(&wb, &solution.starts, &baseline, penalty, discount);
                prop_assert!(close(got, worth), "reported {} but worth {}\n{}", got, worth, text);
                prop_assert!(close(got, best), "milp {} with {:?}, brute force {}\n{}",
                    got, solution.starts, best, text);
            }
            (best, status) => prop_assert!(false, "milp says {:?}, brute force {:?}\n{}", status, best, text),
        }
    }
}

proptest! {
    #![proptest_config(config(200, 0x00ba_5e11_0002))]

    /// Nothing changed: a re-plan against its own optimal plan returns that plan, start for
    /// start, whatever the penalty.
    #[test]
    fn replan_against_its_own_plan_returns_it(
        (wb, discount) in random::workbook(),
        which in 1usize..PENALTIES.len(),
    ) {
        let plain = solve(&wb, &options(discount, None)).expect("solve");
        if plain.status == SolveStatus::Infeasible {
            return Ok(());
        }
        let penalty = PENALTIES[which];
        let baseline = Baseline { starts: plain.starts.clone(), penalty };
        let again = solve(&wb, &options(discount, Some(baseline))).expect("solve");
        prop_assert_eq!(&again.starts, &plain.starts, "penalty {}\n{}", penalty,
            random::describe(&wb, discount));
    }
}
