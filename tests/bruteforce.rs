//! The MILP against brute force on small random workbooks, the independent checker against
//! the brute-force oracle on every portfolio, and laws that must hold whatever the input
//! (more budget never lowers the objective; every solution passes the checker; a solve is
//! deterministic). Seeds are fixed and no regression files are written.

#[path = "common/brute.rs"]
mod brute;
#[path = "common/random.rs"]
mod random;
#[path = "common/shares.rs"]
mod shares;

use arbiter::model::{Objective, Serve, Staffing, Starts, Status, Workbook};
use arbiter::solve::check::{check, objective};
use arbiter::solve::{solve, Solution, SolveOptions, SolveStatus};
use proptest::prelude::*;
use random::{close, config};

fn exact_solve(wb: &Workbook, discount: f64) -> Solution {
    let options = SolveOptions {
        gap: 0.0,
        discount,
        ..Default::default()
    };
    match solve(wb, &options) {
        Ok(solution) => solution,
        Err(e) => panic!(
            "solve failed: {e}\nworkbook:\n{}",
            random::describe(wb, discount)
        ),
    }
}

proptest! {
    #![proptest_config(config(500, 0x00a7_b17e_0001))]

    /// The MILP finds the brute-force optimum (objective and earliest-start tie-break), says
    /// infeasible exactly when nothing is feasible, and its portfolio passes the checker.
    #[test]
    fn milp_matches_brute_force((wb, discount) in random::workbook()) {
        let oracle = brute::optimum(&wb, Objective::Score, discount);
        let solution = exact_solve(&wb, discount);
        let text = random::describe(&wb, discount);
        match (&oracle, solution.status) {
            (None, SolveStatus::Infeasible) => {
                prop_assert!(solution.starts.iter().all(Option::is_none));
                prop_assert!(solution.objective.is_none());
            }
            (Some(best), SolveStatus::Optimal) => {
                let violations: Vec<String> =
                    check(&wb, &solution.starts).iter().map(|v| v.to_string()).collect();
                prop_assert!(violations.is_empty(),
                    "checker rejects the solution {:?}: {:?}\n{}", solution.starts, violations, text);
                let got = solution.objective.expect("an optimal solution has an objective");
                let recomputed = brute::value_of(&wb, &solution.starts, Objective::Score, discount);
                prop_assert!(close(got, recomputed),
                    "reported objective {} but the portfolio is worth {}\n{}", got, recomputed, text);
                prop_assert!(close(got, best.objective),
                    "milp objective {} with {:?}, brute force {} with {:?}\n{}",
                    got, solution.starts, best.objective, best.starts, text);
                let start_sum: usize = solution.starts.iter().flatten().sum();
                prop_assert_eq!(start_sum, best.start_sum,
                    "tie-break: milp starts {:?} (sum {}), brute force {:?} (sum {})\n{}",
                    solution.starts, start_sum, best.starts, best.start_sum, text);
            }
            (_, status) => prop_assert!(false,
                "milp says {:?} with {:?}, brute force says {:?}\n{}",
                status, solution.starts, oracle, text),
        }
    }
}

proptest! {
    #![proptest_config(config(300, 0x00a7_b17e_0007))]

    /// With partial funding (up to two projects that may be funded from a drawn least share
    /// up to 1), the MILP finds the optimum of brute force over every portfolio and the best
    /// shares of each (an exact LP by vertex enumeration), with the earliest-start
    /// tie-break; its portfolio and shares pass the checker at their shares.
    #[test]
    fn partial_funding_matches_brute_force(
        (wb, discount) in random::workbook_of(1usize..=5),
        picks in proptest::collection::vec((0usize..5, 1u8..=9), 1..=2),
    ) {
        let mut wb = wb;
        let n = wb.projects.len().max(1);
        for &(p, tenths) in &picks {
            if let Some(project) = wb.projects.get_mut(p % n) {
                project.min_share = Some(f64::from(tenths) / 10.0);
            }
        }
        let text = random::describe(&wb, discount);
        let oracle = shares::optimum(&wb, Objective::Score, discount);
        let solution = exact_solve(&wb, discount);
        match (&oracle, solution.status) {
            (None, SolveStatus::Infeasible) => {}
            (Some(best), SolveStatus::Optimal) => {
                let scaled = wb.at_shares(&solution.shares);
                let mut violations: Vec<String> =
                    check(&scaled, &solution.starts).iter().map(|v| v.to_string()).collect();
                violations.extend(arbiter::solve::check::check_shares(
                    &wb, &solution.starts, &solution.shares).iter().map(|v| v.to_string()));
                prop_assert!(violations.is_empty(), "checker: {:?}\n{}", violations, text);
                let got = solution.objective.unwrap_or(f64::NAN);
                prop_assert!((got - best.objective).abs() <= 1e-5 * best.objective.abs().max(1.0),
                    "milp objective {} with {:?} at {:?}, brute force {} with {:?} at {:?}\n{}",
                    got, solution.starts, solution.shares,
                    best.objective, best.starts, best.shares, text);
                let start_sum: usize = solution.starts.iter().flatten().sum();
                prop_assert_eq!(start_sum, best.start_sum,
                    "tie-break: milp {:?}, brute force {:?}\n{}", solution.starts, best.starts, text);
            }
            (_, status) => prop_assert!(false,
                "milp says {:?} with {:?}, brute force says {:?}\n{}",
                status, solution.starts, oracle, text),
        }
    }
}

/// Teams drawn over a workbook: (team count 1–3, which extra skills each serves, the
/// efficiency of each extra skill in tenths, each team's capacity factor in tenths).
type TeamsDraw = (usize, Vec<bool>, Vec<u8>, Vec<u8>);

fn teams_draw() -> impl Strategy<Value = TeamsDraw> {
    (
        1usize..=3,
        proptest::collection::vec(any::<bool>(), 6),
        proptest::collection::vec(3u8..=10, 6),
        proptest::collection::vec(4u8..=14, 3),
    )
}

/// `wb` with teams.csv: its pools become skills; skill k's primary team is k mod teams
/// (efficiency 1), teams may serve the other skills at 0.3–1, and a team's FTE is its
/// primary skills' former capacity times its factor.
fn with_teams(mut wb: Workbook, (n, extra, efficiency, factor): &TeamsDraw) -> Workbook {
    let skills = wb.pools.len();
    let h = wb.horizon();
    let mut serves = Vec::new();
    let mut capacity = vec![vec![0.0; h]; *n];
    for team in 0..*n {
        for skill in 0..skills {
            if skill % n == team {
                serves.push(Serve {
                    team,
                    skill,
                    efficiency: 1.0,
                });
                for (fte, cap) in capacity[team].iter_mut().zip(&wb.capacity[skill]) {
                    *fte += cap * f64::from(factor[team]) / 10.0;
                }
            } else if extra[(team * skills + skill) % extra.len()] {
                let e = f64::from(efficiency[(team + skill) % efficiency.len()]) / 10.0;
                serves.push(Serve {
                    team,
                    skill,
                    efficiency: e,
                });
            }
        }
    }
    wb.capacity = vec![vec![f64::INFINITY; h]; skills];
    wb.staffing = Some(Staffing {
        teams: (0..*n).map(|i| format!("team-{i}")).collect(),
        capacity,
        serves,
    });
    wb
}

/// Whether the teams can staff `starts`, period by period (the LP of each period).
fn staffable(wb: &Workbook, starts: &Starts) -> bool {
    (0..wb.horizon()).all(|t| {
        let mut need = vec![0.0; wb.pools.len()];
        for (p, s) in starts.iter().enumerate() {
            let Some(s) = *s else { continue };
            for d in &wb.projects[p].demand {
                if t >= s {
                    need[d.pool] += d.fte.get(t - s).copied().unwrap_or(0.0);
                }
            }
        }
        let total: f64 = need.iter().sum();
        arbiter::solve::staff_shortfall(wb, &need, t)
            .is_some_and(|short| short <= 1e-6 * total.max(1.0))
    })
}

proptest! {
    #![proptest_config(config(120, 0x00a7_b17e_0006))]

    /// With teams.csv the MILP (one flow per team, skill and period) finds the optimum of
    /// brute force over the portfolios each period's staffing LP accepts, with the
    /// earliest-start tie-break, and its allocation passes the checker.
    #[test]
    fn teams_milp_matches_brute_force(
        (wb, discount) in random::workbook_of(1usize..=4),
        draw in teams_draw(),
    ) {
        prop_assume!(!wb.pools.is_empty());
        let wb = with_teams(wb, &draw);
        let text = format!("{}\nstaffing: {:?}", random::describe(&wb, discount), wb.staffing);
        let oracle = brute::optimum_where(&wb, Objective::Score, discount, &|s| staffable(&wb, s));
        let solution = exact_solve(&wb, discount);
        match (&oracle, solution.status) {
            (None, SolveStatus::Infeasible) => {}
            (Some(best), SolveStatus::Optimal) => {
                let got = solution.objective.unwrap_or(f64::NAN);
                prop_assert!(close(got, best.objective),
                    "milp objective {} with {:?}, brute force {} with {:?}\n{}",
                    got, solution.starts, best.objective, best.starts, text);
                let start_sum: usize = solution.starts.iter().flatten().sum();
                prop_assert_eq!(start_sum, best.start_sum,
                    "tie-break: milp {:?}, brute force {:?}\n{}", solution.starts, best.starts, text);
                let violations = arbiter::solve::check::check_allocation(
                    &wb, &solution.starts, &solution.allocation);
                prop_assert!(violations.is_empty(), "allocation: {:?}\n{}", violations, text);
            }
            (_, status) => prop_assert!(false,
                "milp says {:?} with {:?}, brute force says {:?}\n{}",
                status, solution.starts, oracle, text),
        }
    }
}

proptest! {
    #![proptest_config(config(300, 0x00a7_b17e_0005))]

    /// Under a time limit the solve also runs the core model (columns fixed at their LP
    /// values) and the local search before HiGHS: the answer is still the brute-force
    /// optimum, with the earliest-start tie-break, and passes the checker.
    #[test]
    fn time_limited_solve_matches_brute_force((wb, discount) in random::workbook()) {
        let oracle = brute::optimum(&wb, Objective::Score, discount);
        let options = SolveOptions {
            gap: 0.0,
            discount,
            time_limit: Some(60.0),
            ..Default::default()
        };
        let text = random::describe(&wb, discount);
        let solution = match solve(&wb, &options) {
            Ok(solution) => solution,
            Err(e) => panic!("solve failed: {e}\n{text}"),
        };
        match (&oracle, solution.status) {
            (None, SolveStatus::Infeasible) => {}
            (Some(best), SolveStatus::Optimal) => {
                prop_assert!(check(&wb, &solution.starts).is_empty(),
                    "checker rejects {:?}\n{}", solution.starts, text);
                let got = solution.objective.unwrap_or(f64::NAN);
                prop_assert!(close(got, best.objective),
                    "milp objective {} with {:?}, brute force {} with {:?}\n{}",
                    got, solution.starts, best.objective, best.starts, text);
                let start_sum: usize = solution.starts.iter().flatten().sum();
                prop_assert_eq!(start_sum, best.start_sum,
                    "tie-break: milp starts {:?}, brute force {:?}\n{}",
                    solution.starts, best.starts, text);
            }
            (_, status) => prop_assert!(false,
                "milp says {:?} with {:?}, brute force says {:?}\n{}",
                status, solution.starts, oracle, text),
        }
    }
}

proptest! {
    #![proptest_config(config(200, 0x00a7_b17e_0002))]

    /// More budget (every budget × 1.5) never lowers the objective, nor makes a feasible
    /// workbook infeasible; every solution passes the checker; solving twice gives the same
    /// portfolio.
    #[test]
    fn more_budget_never_lowers_the_objective((wb, discount) in random::workbook()) {
        let richer = random::scale_budgets(&wb, 1.5);
        let base = exact_solve(&wb, discount);
        let more = exact_solve(&richer, discount);
        let text = random::describe(&wb, discount);
        for (workbook, solution) in [(&wb, &base), (&richer, &more)] {
            prop_assert!(check(workbook, &solution.starts).is_empty() || solution.status == SolveStatus::Infeasible,
                "checker rejects {:?}\n{}", solution.starts, text);
        }
        if let Some(before) = base.objective {
            let after = more.objective;
            prop_assert!(after.is_some(), "more budget made the workbook infeasible\n{}", text);
            let after = after.unwrap_or(f64::NAN);
            prop_assert!(after >= before - 1e-6 * before.abs().max(1.0),
                "objective fell from {} to {} with 1.5× the budget\n{}", before, after, text);
        }
        let again = exact_solve(&wb, discount);
        prop_assert_eq!(&again.starts, &base.starts, "two solves differ\n{}", text);
    }
}

proptest! {
    #![proptest_config(config(300, 0x00a7_b17e_0003))]

    /// The checker and the oracle agree on every portfolio (each project out or started
    /// anywhere, whatever its status and window), and the checker's objective is the
    /// contract's.
    #[test]
    fn checker_agrees_with_oracle_on_every_portfolio((wb, discount) in random::workbook_of(0usize..=4)) {
        for (starts, feasible) in brute::every_portfolio(&wb) {
            let violations = check(&wb, &starts);
            prop_assert_eq!(violations.is_empty(), feasible,
                "portfolio {:?}: oracle says feasible = {}, checker says {:?}\n{}",
                starts, feasible,
                violations.iter().map(|v| v.to_string()).collect::<Vec<_>>(),
                random::describe(&wb, discount));
            for goal in [Objective::Score, Objective::Value] {
                let ours = objective(&wb, &starts, goal, discount);
                let theirs = brute::value_of(&wb, &starts, goal, discount);
                prop_assert!(close(ours, theirs), "objective {} vs {}", ours, theirs);
            }
        }
    }
}

proptest! {
    #![proptest_config(config(500, 0x00a7_b17e_0004))]

    /// Generated workbooks are valid per the contract and small enough for brute force.
    #[test]
    fn generated_workbooks_are_valid((wb, _discount) in random::workbook()) {
        let h = wb.horizon();
        prop_assert!((1..=4).contains(&h));
        prop_assert!(wb.projects.len() <= 10);
        prop_assert!(random::assignments(&wb) <= random::MAX_ASSIGNMENTS);
        prop_assert_eq!(wb.budget_total.len(), h);
        prop_assert!(wb.capacity.iter().all(|c| c.len() == h));
        prop_assert_eq!(wb.capacity.len(), wb.pools.len());
        if !wb.drivers.is_empty() {
            let sum: f64 = wb.drivers.iter().map(|d| d.weight).sum();
            prop_assert!(close(sum, 1.0));
        }
        for (p, project) in wb.projects.iter().enumerate() {
            prop_assert_eq!(project.cost_profile.len(), project.duration);
            prop_assert!(close(project.cost_profile.iter().sum::<f64>(), project.cost));
            prop_assert!(project.duration >= 1);
            prop_assert_eq!(project.scores.len(), wb.drivers.len());
            for d in &project.demand {
                prop_assert_eq!(d.fte.len(), project.duration);
                prop_assert!(d.pool < wb.pools.len());
            }
            prop_assert!(project.demand.windows(2).all(|w| w[0].pool < w[1].pool));
            if project.status == Status::InProgress {
                prop_assert_eq!((project.earliest, project.latest), (0, 0));
                prop_assert!(project.after.is_empty());
            } else {
                prop_assert!(project.earliest <= project.latest);
                prop_assert!(project.latest + project.duration <= h);
            }
            for links in [&project.requires, &project.after] {
                prop_assert!(links.windows(2).all(|w| w[0] < w[1]));
                prop_assert!(links.iter().all(|&q| q != p && q < wb.projects.len()));
            }
        }
        // `after` links are acyclic: a topological order exists.
        let mut done = vec![false; wb.projects.len()];
        for _ in 0..wb.projects.len() {
            for p in 0..wb.projects.len() {
                if wb.projects[p].after.iter().all(|&q| done[q]) {
                    done[p] = true;
                }
            }
        }
        prop_assert!(done.iter().all(|&d| d), "cycle of after links");
        for b in &wb.balance {
            prop_assert!(0.0 <= b.min_share && b.min_share <= b.max_share && b.max_share <= 1.0);
        }
    }
}

/// A hand-made workbook whose optimum is known: brute force, the MILP and the checker agree.
#[test]
fn brute_force_finds_the_known_optimum() {
    use arbiter::model::{Project, Workbook};
    let project = |id: &str, value: f64, cost: f64| Project::candidate(id, cost, 1, value, 1);
    let mut wb = Workbook {
        periods: vec!["Q1".into(), "Q2".into()],
        projects: vec![
            project("A", 10.0, 6.0),
            project("B", 7.0, 5.0),
            project("C", 5.0, 5.0),
        ],
        budget_total: vec![Some(10.0), Some(5.0)],
        ..Workbook::default()
    };
    wb.exclusions = vec![(1, 2)];
    // A (cost 6) only fits Q1's 10; B then fits Q2's 5: 17. C excludes B; A + C is 15.
    let best = brute::optimum(&wb, Objective::Score, 0.0).expect("feasible");
    assert_eq!(best.objective, 17.0);
    assert_eq!(best.starts, vec![Some(0), Some(1), None]);
    assert_eq!(best.start_sum, 1);
    // With room everywhere, the tie-break starts everything as early as possible.
    let roomy = Workbook {
        budget_total: vec![None, None],
        projects: wb.projects[..2].to_vec(),
        exclusions: Vec::new(),
        ..wb.clone()
    };
    let best = brute::optimum(&roomy, Objective::Score, 0.0).expect("feasible");
    assert_eq!(best.starts, vec![Some(0), Some(0)]);
    assert_eq!(
        brute::optimum(
            &Workbook {
                budget_total: vec![Some(1.0), Some(1.0)],
                ..wb.clone()
            },
            Objective::Score,
            0.0
        )
        .map(|b| b.objective),
        Some(0.0)
    );
    let solution = exact_solve(&wb, 0.0);
    assert_eq!(solution.objective, Some(17.0));
    assert!(check(&wb, &solution.starts).is_empty());
}
