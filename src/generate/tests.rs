//! Tests of the whole generator: determinism, shapes, validity and feasibility of what it
//! writes.

use super::*;

pub(super) fn options(seed: u64) -> GenerateOptions {
    GenerateOptions {
        seed,
        ..GenerateOptions::default()
    }
}

#[test]
fn same_seed_gives_same_bytes() {
    assert_eq!(generate(&options(7)), generate(&options(7)));
    let big = GenerateOptions {
        seed: 3,
        projects: 500,
        periods: 12,
        pools: 20,
        drivers: 5,
        categories: 4,
        scenarios: 0,
        teams: 0,
        capital: false,
    };
    assert_eq!(generate(&big), generate(&big));
}

#[test]
fn different_seeds_differ() {
    let a = generate(&options(1));
    let b = generate(&options(2));
    assert_ne!(a, b);
    let projects = |files: &[(String, String)]| {
        files
            .iter()
            .find(|(name, _)| name == "projects.csv")
            .map(|(_, text)| text.clone())
            .unwrap_or_default()
    };
    assert_ne!(projects(&a), projects(&b));
}

#[test]
fn shapes_follow_the_options() {
    let opts = GenerateOptions {
        seed: 11,
        projects: 120,
        periods: 12,
        pools: 6,
        drivers: 3,
        categories: 3,
        scenarios: 0,
        teams: 0,
        capital: false,
    };
    let files = generate(&opts);
    let get = |name: &str| {
        files
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, t)| t.as_str())
            .unwrap_or_else(|| panic!("{name} missing"))
    };
    let projects = get("projects.csv");
    assert_eq!(projects.lines().count(), 1 + 120);
    assert!(projects
        .lines()
        .next()
        .unwrap_or("")
        .ends_with(",revenue,risk_reduction,customer"));
    assert_eq!(get("drivers.csv").lines().count(), 1 + 3);
    assert_eq!(get("capacity.csv").lines().count(), 1 + 6 * 12);
    assert!(get("budget.csv").contains("2029-Q4,,"));
    assert!(get("demand.csv").lines().count() > 120);
    // Every field count matches its header.
    for (name, text) in &files {
        let mut lines = text.lines();
        let header = lines.next().unwrap_or("").split(',').count();
        for line in lines {
            assert_eq!(line.split(',').count(), header, "{name}: {line}");
        }
    }
}

#[test]
fn in_progress_work_fits_the_first_budget() {
    // In-progress work starts at the first period; with its spend at most 2/3 of that
    // period's budget, the generated workbook keeps room for the rest of the portfolio.
    for seed in 0..20 {
        let opts = GenerateOptions {
            seed,
            projects: 80,
            periods: 6,
            pools: 3,
            drivers: 2,
            categories: 2,
            scenarios: 0,
            teams: 0,
            capital: false,
        };
        let files = generate(&opts);
        let text = |name: &str| {
            files
                .iter()
                .find(|(n, _)| n == name)
                .map(|(_, t)| t.clone())
                .unwrap_or_default()
        };
        let mut first_spend = 0.0;
        for line in text("projects.csv").lines().skip(1) {
            let cells: Vec<&str> = line.split(',').collect();
            if cells[7] == "in_progress" {
                let cost: f64 = cells[2].parse().unwrap_or(f64::NAN);
                let duration: f64 = cells[3].parse().unwrap_or(f64::NAN);
                first_spend += cost / duration;
            }
        }
        let budget = text("budget.csv");
        let first_budget: f64 = budget
            .lines()
            .nth(1)
            .and_then(|l| l.rsplit(',').next())
            .and_then(|a| a.parse().ok())
            .unwrap_or(0.0);
        assert!(first_spend.is_finite());
        assert!(
            first_spend * 1.5 <= first_budget + 1e-9,
            "seed {seed}: in-progress spend {first_spend} vs budget {first_budget}"
        );
    }
}

#[test]
fn generated_workbooks_are_valid_and_feasible() {
    for seed in 0..6 {
        let opts = GenerateOptions {
            seed,
            projects: 20,
            periods: 4,
            pools: 3,
            drivers: 3,
            categories: 3,
            scenarios: 10,
            teams: 0,
            capital: false,
        };
        let dir = tempfile::TempDir::new().expect("temp dir");
        write(dir.path(), &opts).expect("write");
        let loaded = crate::load::read_workbook(dir.path(), &crate::io::ReadOptions::default())
            .unwrap_or_else(|e| panic!("seed {seed}: generated workbook is invalid: {e:?}"));
        let warnings: Vec<String> = loaded.warnings.iter().map(|w| w.to_string()).collect();
        assert!(warnings.is_empty(), "seed {seed}: {warnings:?}");
        let options = crate::SolveOptions {
            time_limit: Some(20.0),
            ..crate::SolveOptions::default()
        };
        let solution = crate::solve(&loaded.workbook, &options).expect("solve");
        assert_ne!(
            solution.status,
            crate::SolveStatus::Infeasible,
            "seed {seed}: generated workbook is infeasible"
        );
    }
}
