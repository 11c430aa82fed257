#[path = "common/brute.rs"]
mod brute;
#[path = "common/random.rs"]
mod random;
use proptest::strategy::{Strategy, ValueTree};
use proptest::test_runner::{Config, RngSeed, TestRunner};
use arbiter::model::Objective;
#[test]
fn stats() {
    let mut runner = TestRunner::new(Config { rng_seed: RngSeed::Fixed(0x00a7_b17e_0001), failure_persistence: None, ..Config::default() });
    let (mut feas, mut infeas, mut nproj, mut assign, mut feasible_leaves, mut selected) = (0, 0, 0, 0u64, 0, 0);
    let mut solve_time = 0.0;
    let t0 = std::time::Instant::now();
    for _ in 0..500 {
        let (wb, d) = random::workbook().new_tree(&mut runner).unwrap().current();
        nproj += wb.projects.len();
        assign += random::assignments(&wb);
        match brute::optimum(&wb, Objective::Score, d) {
            Some(o) => { feas += 1; feasible_leaves += o.feasible; selected += o.starts.iter().flatten().count(); }
            None => infeas += 1,
        }
        let t = std::time::Instant::now();
        let _ = arbiter::solve(&wb, &arbiter::SolveOptions { gap: 0.0, discount: d, ..Default::default() });
        solve_time += t.elapsed().as_secs_f64();
    }
    eprintln!("feasible {feas} infeasible {infeas} avg projects {} avg assignments {} avg feasible leaves {} avg selected {} total {:?} solve {solve_time}",
        nproj as f64 / 500.0, assign as f64 / 500.0, feasible_leaves as f64 / feas as f64, selected as f64 / feas as f64, t0.elapsed());
}
