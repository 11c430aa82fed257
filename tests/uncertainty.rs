//! End-to-end tests of `arbiter uncertainty`: zero-width ranges reproduce the base plan
//! exactly, the fragile project of fixtures/uncertainty (worked out by hand in its
//! EXPECTED.md) shows a core index clearly between 0 and 1, the robust rule, `--jobs 1` and
//! `--jobs 2` write the same bytes, and a range out of order is refused with its line.

use std::collections::BTreeMap;
use std::path::Path;

use serde_json::Value;
use tempfile::TempDir;

#[path = "common/plan.rs"]
mod common;

use common::{arbiter, fixture, Output};

fn run(args: &[&str], workbook: &Path, out: &Path) -> Output {
    Output::of(
        arbiter()
            .args(args)
            .arg(workbook)
            .arg("--out")
            .arg(out)
            .arg("--quiet"),
    )
}

fn uncertainty(workbook: &Path, out: &Path, extra: &[&str]) -> Output {
    let mut args = vec!["uncertainty"];
    args.extend_from_slice(extra);
    let r = run(&args, workbook, out);
    assert_eq!(r.code, 0, "{}", r.context());
    r
}

/// core_index.csv as id → row (column name → cell).
fn core_rows(out: &Path) -> BTreeMap<String, BTreeMap<String, String>> {
    let mut reader = csv::Reader::from_path(out.join("core_index.csv")).unwrap();
    let header: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
    reader
        .records()
        .map(|r| {
            let row: BTreeMap<String, String> = header
                .iter()
                .cloned()
                .zip(r.unwrap().iter().map(String::from))
                .collect();
            (row["id"].clone(), row)
        })
        .collect()
}

fn core(rows: &BTreeMap<String, BTreeMap<String, String>>, id: &str) -> f64 {
    rows[id]["core_index"].parse().unwrap()
}

fn json(out: &Path) -> Value {
    serde_json::from_str(&std::fs::read_to_string(out.join("uncertainty.json")).unwrap()).unwrap()
}

fn ids(value: &Value) -> Vec<&str> {
    value
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect()
}

#[test]
fn zero_width_ranges_give_core_indices_of_exactly_0_or_1_equal_to_the_base_plan() {
    let dir = TempDir::new().unwrap();
    // Every feasible tiny fixture: none has a range, so every sample is the base workbook.
    let mut names: Vec<String> = std::fs::read_dir(fixture("tiny"))
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.join("projects.csv").is_file())
        .map(|path| path.file_name().unwrap().to_string_lossy().into_owned())
        .filter(|name| !name.starts_with("infeasible"))
        .collect();
    names.sort();
    assert!(names.len() >= 11, "fixtures/tiny: {names:?}");
    for name in &names {
        let plan_out = dir.path().join(format!("{name}-plan"));
        let plan = run(&["plan"], &fixture("tiny").join(name), &plan_out);
        assert_eq!(plan.code, 0, "{name}: {}", plan.stderr);
        let mut portfolio = csv::Reader::from_path(plan_out.join("portfolio.csv")).unwrap();
        let selected: BTreeMap<String, bool> = portfolio
            .deserialize::<BTreeMap<String, String>>()
            .map(|r| {
                let r = r.unwrap();
                (r["id"].clone(), r["selected"] == "true")
            })
            .collect();
        let out = dir.path().join(format!("{name}-unc"));
        uncertainty(&fixture("tiny").join(name), &out, &["--samples", "7"]);
        let rows = core_rows(&out);
        assert_eq!(rows.len(), selected.len(), "{name}: one row per project");
        for (id, row) in &rows {
            let expected = if selected[id] { "1" } else { "0" };
            assert_eq!(row["core_index"], expected, "{name}: core index of {id}");
            assert_eq!(row["uncertain"], "false", "{name}: {id} has no range");
        }
        let summary = json(&out);
        assert_eq!(summary["feasible"], 7, "{name}");
        assert_eq!(summary["objective"]["p10"], summary["objective"]["p90"]);
        assert_eq!(summary["objective"]["p10"], summary["base"]["objective"]);
        assert_eq!(summary["base"]["overrun_probability"], 0, "{name}");
    }
}

#[test]
fn the_fragile_project_has_a_core_index_clearly_between_0_and_1() {
    let dir = TempDir::new().unwrap();
    let out = dir.path().join("out");
    let r = uncertainty(&fixture("uncertainty"), &out, &["--samples", "400"]);
    let rows = core_rows(&out);
    // EXPECTED.md: A and B always; F fits only when its cost ≤ 30, P ≈ 0.417; G otherwise.
    assert_eq!(core(&rows, "A"), 1.0);
    assert_eq!(core(&rows, "B"), 1.0);
    let f = core(&rows, "F");
    let g = core(&rows, "G");
    assert!((f - 0.417).abs() < 0.1, "core index of F: {f}");
    assert!((f + g - 1.0).abs() < 1e-9, "G replaces F: {f} + {g}");
    assert_eq!(rows["F"]["base"], "2027-Q1");
    assert_eq!(rows["G"]["base"], "");
    assert_eq!(rows["F"]["start_2027-Q1"], rows["F"]["core_index"]);
    let summary = json(&out);
    assert_eq!(summary["distribution"], "pert");
    assert_eq!(summary["samples"], 400);
    assert_eq!(summary["infeasible"], 0);
    assert_eq!(ids(&summary["base"]["selected"]), ["A", "B", "F"]);
    assert_eq!(summary["base"]["objective"], 60);
    // The base plan overruns exactly when F does not fit.
    let overrun = summary["base"]["overrun_probability"].as_f64().unwrap();
    assert!((overrun - (1.0 - f)).abs() < 1e-9, "{overrun} vs {f}");
    let mean = summary["objective"]["mean"].as_f64().unwrap();
    assert!((mean - 53.8).abs() < 1.0, "mean objective {mean}");
    // Default threshold 0.8: F and G are contested, the point estimates choose F.
    assert_eq!(ids(&summary["robust"]["forced_in"]), ["B"]);
    assert_eq!(ids(&summary["robust"]["selected"]), ["A", "B", "F"]);
    // The table has a row for F.
    let f_line = r.stdout.lines().find(|l| l.starts_with("F ")).unwrap();
    assert!(f_line.contains("Fragile pilot"), "{f_line}");
    assert!(r.stdout.contains("base plan: objective 60"), "{}", r.stdout);
    let svg = std::fs::read_to_string(out.join("uncertainty.svg")).unwrap();
    assert!(svg.starts_with("<svg"), "{svg}");
    assert!(svg.contains("\nF\n</text>"), "the chart names F");
    assert!(
        svg.contains("robust threshold 0.8"),
        "the chart marks the threshold"
    );
}

#[test]
fn a_threshold_of_one_half_trades_value_for_no_overrun() {
    let dir = TempDir::new().unwrap();
    let out = dir.path().join("out");
    let r = uncertainty(
        &fixture("uncertainty"),
        &out,
        &["--samples", "400", "--threshold", "0.5"],
    );
    let summary = json(&out);
    assert_eq!(ids(&summary["robust"]["forced_in"]), ["B", "G"]);
    assert_eq!(ids(&summary["robust"]["left_out"]), ["F"]);
    assert_eq!(ids(&summary["robust"]["selected"]), ["A", "B", "G"]);
    assert_eq!(summary["robust"]["objective"], 48);
    assert_eq!(summary["robust"]["overrun_probability"], 0);
    assert!(r.stdout.contains("objective 48"), "{}", r.stdout);
}

#[test]
fn jobs_1_and_jobs_2_write_the_same_bytes() {
    let dir = TempDir::new().unwrap();
    for (workbook, samples) in [("uncertainty", "150"), ("demo", "6")] {
        let one = dir.path().join(format!("{workbook}-1"));
        let two = dir.path().join(format!("{workbook}-2"));
        let a = uncertainty(
            &fixture(workbook),
            &one,
            &["--samples", samples, "--seed", "42", "--jobs", "1"],
        );
        let b = uncertainty(
            &fixture(workbook),
            &two,
            &["--samples", samples, "--seed", "42", "--jobs", "2"],
        );
        assert_eq!(a.stdout, b.stdout, "{workbook}");
        for file in ["core_index.csv", "uncertainty.json", "uncertainty.svg"] {
            let x = std::fs::read(one.join(file)).unwrap();
            let y = std::fs::read(two.join(file)).unwrap();
            assert!(x == y, "{workbook}: {file} differs between --jobs 1 and 2");
        }
    }
}

#[test]
fn another_seed_gives_other_draws() {
    let dir = TempDir::new().unwrap();
    let (a, b) = (dir.path().join("a"), dir.path().join("b"));
    uncertainty(
        &fixture("uncertainty"),
        &a,
        &["--samples", "50", "--seed", "1"],
    );
    uncertainty(
        &fixture("uncertainty"),
        &b,
        &["--samples", "50", "--seed", "2"],
    );
    assert_ne!(json(&a)["objective"], json(&b)["objective"]);
}

#[test]
fn a_range_out_of_order_is_refused_with_its_line() {
    let dir = TempDir::new().unwrap();
    let r = run(
        &["uncertainty", "--samples", "3"],
        &fixture("invalid").join("E021"),
        &dir.path().join("out"),
    );
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(r.stderr.contains("E021"), "{}", r.stderr);
    assert!(r.stderr.contains("line 2"), "{}", r.stderr);
    assert!(!dir.path().join("out").exists());
}

#[test]
fn zero_samples_is_a_usage_error() {
    let dir = TempDir::new().unwrap();
    let r = run(
        &["uncertainty", "--samples", "0"],
        &fixture("uncertainty"),
        &dir.path().join("out"),
    );
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("--samples"), "{}", r.stderr);
}
