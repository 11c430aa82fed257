//! Criterion benches of the pipeline on generated workbooks of fixed seeds: reading and
//! validating, reading through encoding into HiGHS (50, 500 and 5,000 projects), and solving (50 and 500 projects, time-limited).
//! Workbooks are generated and written outside the timed loops.

use std::path::PathBuf;
use std::time::Duration;

use arbiter::generate::{self, GenerateOptions};
use arbiter::io::ReadOptions;
use arbiter::read_workbook;
use arbiter::{solve, SolveOptions};
use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};

/// (projects, folder) of each generated workbook; the temp dir lives as long as the benches.
fn workbooks(dir: &tempfile::TempDir) -> Vec<(usize, PathBuf)> {
    let shapes = [
        (50, 8, 5), // projects, periods, pools
        (500, 12, 20),
        (5_000, 12, 20),
    ];
    shapes
        .iter()
        .map(|&(projects, periods, pools)| {
            let options = GenerateOptions {
                seed: projects as u64,
                projects,
                periods,
                pools,
                drivers: 4,
                categories: 4,
                scenarios: 0,
                teams: 0,
                capital: false,
            };
            let path = dir.path().join(format!("g{projects}"));
            generate::write(&path, &options).expect("write generated workbook");
            (projects, path)
        })
        .collect()
}

fn benches(c: &mut Criterion) {
    let dir = tempfile::TempDir::new().expect("temp dir");
    let books = workbooks(&dir);

    let mut group = c.benchmark_group("read_validate");
    group.sample_size(10);
    for (projects, path) in &books {
        group.bench_with_input(BenchmarkId::from_parameter(projects), path, |b, path| {
            b.iter(|| read_workbook(path, &ReadOptions::default()).expect("valid workbook"))
        });
    }
    group.finish();

    // Everything a solve does before HiGHS starts: read, validate, encode, load the model.
    let mut group = c.benchmark_group("read_validate_encode");
    group.sample_size(10);
    for (projects, path) in &books {
        group.bench_with_input(BenchmarkId::from_parameter(projects), path, |b, path| {
            b.iter(|| {
                let loaded = read_workbook(path, &ReadOptions::default()).expect("valid workbook");
                arbiter::solve::encode(&loaded.workbook, &SolveOptions::default()).expect("encode")
            })
        });
    }
    group.finish();

    let mut group = c.benchmark_group("solve");
    group.sample_size(10);
    group.warm_up_time(Duration::from_secs(1));
    group.measurement_time(Duration::from_secs(30));
    for (projects, path) in books.iter().filter(|(n, _)| *n <= 500) {
        let loaded = read_workbook(path, &ReadOptions::default()).expect("valid workbook");
        let options = SolveOptions {
            time_limit: Some(if *projects <= 50 { 10.0 } else { 5.0 }),
            ..SolveOptions::default()
        };
        group.bench_with_input(
            BenchmarkId::from_parameter(projects),
            &loaded.workbook,
            |b, workbook| b.iter(|| solve(workbook, &options).expect("solve")),
        );
    }
    group.finish();
}

criterion_group!(pipeline, benches);
criterion_main!(pipeline);
