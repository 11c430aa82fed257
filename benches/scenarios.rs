//! Criterion benches of the scenario runner on a generated 100-project workbook with 200
//! generated scenarios (fixed seed): the whole run with 1 and with 2 workers (their ratio is
//! the parallel efficiency), and the work around each solve — applying a scenario's
//! changes, encoding, the independent check, building the report and its file bytes.
//! Workbooks are generated, written and read outside the timed loops.

use std::time::Duration;

use arbiter::batch::{self, RunOptions};
use arbiter::generate::{self, GenerateOptions};
use arbiter::io::ReadOptions;
use arbiter::read_workbook;
use arbiter::scenario::{self, Job, Source};
use arbiter::{report, solve, SolveOptions};
use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};

/// The bench workbook: 100 projects over 3 periods and 1 pool, whose solves take a few
/// tenths of a second each here, so that 200 of them fit a criterion sample.
pub const SHAPE: GenerateOptions = GenerateOptions {
    seed: 2,
    projects: 100,
    periods: 3,
    pools: 1,
    drivers: 4,
    categories: 4,
    scenarios: 200,
    teams: 0,
    capital: false,
};

fn benches(c: &mut Criterion) {
    let dir = tempfile::TempDir::new().expect("temp dir");
    generate::write(dir.path(), &SHAPE).expect("write the workbook");
    let loaded = read_workbook(dir.path(), &ReadOptions::default()).expect("valid workbook");
    let base = loaded.workbook;
    let mut jobs = vec![Job {
        name: "base".into(),
        folder: "base".into(),
        source: Source::Base,
    }];
    jobs.extend(loaded.scenarios.iter().map(|s| Job {
        name: s.name.clone(),
        folder: s.name.clone(),
        source: Source::Changes(s),
    }));
    let solve_options = SolveOptions::default();

    let mut group = c.benchmark_group("scenarios_201x100");
    group.sample_size(10);
    group.warm_up_time(Duration::from_secs(1));
    group.measurement_time(Duration::from_secs(60));
    for workers in [1, 2] {
        let options = RunOptions {
            solve: solve_options.clone(),
            workers,
            timings: false,
        };
        group.bench_with_input(BenchmarkId::new("jobs", workers), &options, |b, options| {
            b.iter(|| batch::run(&base, &jobs, options, &|_| {}).expect("run"))
        });
    }
    group.finish();

    // The work around the solver, for all 200 scenarios at once.
    let applied: Vec<_> = loaded
        .scenarios
        .iter()
        .map(|s| scenario::apply(&base, s).expect("valid scenario"))
        .collect();
    // Solved once, outside the timed loops (the whole runs above time the solves).
    let solutions: Vec<_> = applied
        .iter()
        .map(|wb| solve(wb, &solve_options).expect("solve"))
        .collect();
    let mut group = c.benchmark_group("scenario_overhead_200");
    group.sample_size(10);
    group.bench_function("apply", |b| {
        b.iter(|| {
            for s in &loaded.scenarios {
                scenario::apply(&base, s).expect("valid scenario");
            }
        })
    });
    group.bench_function("encode", |b| {
        b.iter(|| {
            for wb in &applied {
                solve::encode(wb, &solve_options).expect("encode");
            }
        })
    });
    group.bench_function("check", |b| {
        b.iter(|| {
            for (wb, s) in applied.iter().zip(&solutions) {
                assert!(solve::check::check(wb, &s.starts).is_empty());
            }
        })
    });
    group.bench_function("report", |b| {
        b.iter(|| {
            for (wb, s) in applied.iter().zip(&solutions) {
                let r = report::build(wb, s, &solve_options);
                report::output_files(&r);
            }
        })
    });
    group.finish();
}

criterion_group!(scenarios, benches);
criterion_main!(scenarios);
