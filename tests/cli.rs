//! End-to-end tests of the `arbiter` binary against the contract (docs/workbook.md and the
//! spec's sections 3–4): every tiny fixture's hand-derived optimum (fixtures/tiny/*/EXPECTED.md),
//! exit codes, output formats, atomic outputs, and snapshots of a few outputs.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde_json::Value;
use tempfile::TempDir;

#[path = "common/plan.rs"]
mod common;

use common::{arbiter, fixture, plan, root, selected};

fn pairs(expected: &[(&str, &str)]) -> Vec<(String, String)> {
    let mut list: Vec<(String, String)> = expected
        .iter()
        .map(|(id, start)| (id.to_string(), start.to_string()))
        .collect();
    list.sort();
    list
}

/// Run a tiny fixture and compare with its EXPECTED.md.
fn assert_optimum(name: &str, extra: &[&str], objective: f64, expected: &[(&str, &str)]) {
    let run = plan(&fixture(&format!("tiny/{name}")), extra);
    assert_eq!(run.code, 0, "{name}: plan failed\n{}", run.context());
    let summary = run.summary();
    assert_eq!(summary["schema"], 1, "{name}: {summary}");
    assert_eq!(summary["status"], "optimal", "{name}: {summary}");
    let got = summary["objective"]
        .as_f64()
        .unwrap_or_else(|| panic!("{name}: objective is not a number: {summary}"));
    assert!(
        (got - objective).abs() <= 1e-6,
        "{name}: objective {got}, expected {objective}"
    );
    let bound = summary["bound"].as_f64().unwrap_or(f64::NAN);
    assert!(
        bound >= got - 1e-6,
        "{name}: bound {bound} < objective {got}"
    );
    let gap = summary["gap"].as_f64().unwrap_or(f64::NAN);
    assert!((0.0..=1e-4 + 1e-12).contains(&gap), "{name}: gap {gap}");
    assert_eq!(selected(&summary), pairs(expected), "{name}: selection");
    assert!(summary["total_cost"].is_number(), "{name}: total_cost");
    assert!(summary["seconds"].is_number(), "{name}: seconds");
}

// ---------------------------------------------------------------------------------------
// Hand-derived optima (see fixtures/tiny/<name>/EXPECTED.md).

#[test]
fn tiny_budget_per_period() {
    assert_optimum("budget", &[], 11.0, &[("B", "2027-Q1"), ("C", "2027-Q1")]);
}

#[test]
fn tiny_category_budget() {
    assert_optimum(
        "category_budget",
        &[],
        15.0,
        &[("G1", "2027-Q1"), ("R1", "2027-Q1")],
    );
}

#[test]
fn tiny_capacity_with_offset_profile() {
    assert_optimum(
        "capacity",
        &[],
        24.0,
        &[("A", "2027-Q1"), ("B", "2027-Q2"), ("C", "2027-Q1")],
    );
}

#[test]
fn tiny_requires() {
    assert_optimum("requires", &[], 8.0, &[("A", "2027-Q1"), ("B", "2027-Q1")]);
}

#[test]
fn tiny_excludes_is_symmetric() {
    assert_optimum("excludes", &[], 12.0, &[("A", "2027-Q1"), ("C", "2027-Q1")]);
}

#[test]
fn tiny_after() {
    assert_optimum(
        "after",
        &[],
        13.0,
        &[("A", "2027-Q1"), ("B", "2027-Q3"), ("D", "2027-Q1")],
    );
}

#[test]
fn tiny_status_mandatory_in_progress_excluded() {
    assert_optimum(
        "status",
        &[],
        8.0,
        &[("C1", "2027-Q1"), ("IP", "2027-Q1"), ("M", "2027-Q2")],
    );
}

#[test]
fn tiny_balance_share() {
    assert_optimum(
        "balance",
        &[],
        13.0,
        &[("G1", "2027-Q1"), ("I1", "2027-Q1"), ("I2", "2027-Q1")],
    );
}

#[test]
fn tiny_tie_break_prefers_earlier_starts() {
    assert_optimum("discount", &[], 11.0, &[("A", "2027-Q3"), ("C", "2027-Q1")]);
}

#[test]
fn tiny_discount_moves_value_to_early_starts() {
    assert_optimum(
        "discount",
        &["--discount", "0.1"],
        10.0,
        &[("B", "2027-Q1"), ("C", "2027-Q1")],
    );
}

#[test]
fn tiny_window() {
    assert_optimum("window", &[], 17.0, &[("A", "2027-Q2"), ("B", "2027-Q1")]);
}

#[test]
fn tiny_drivers_weighted_scores() {
    assert_optimum("drivers", &[], 10.0, &[("A", "2027-Q1"), ("C", "2027-Q1")]);
}

#[test]
fn tiny_drivers_objective_value() {
    assert_optimum(
        "drivers",
        &["--objective", "value"],
        6.0,
        &[("B", "2027-Q1"), ("C", "2027-Q1")],
    );
}

#[test]
fn tiny_infeasible_names_period_and_overrun() {
    let run = plan(&fixture("tiny/infeasible_budget"), &[]);
    assert_eq!(run.code, 1, "{}", run.context());
    assert!(run.stderr.contains("2027-Q1"), "{}", run.context());
    // 73 + 45 = 118 against 100: over by 18.
    let overrun = regex_lite_find(&run.stderr, "18");
    assert!(overrun, "the overrun 18 is not named\n{}", run.context());
    assert!(!run.stderr.contains("panicked"), "{}", run.context());
}

#[test]
fn regression_highs_presolve_error_is_solved() {
    // fixtures/regression/highs_presolve_error/README.md: HiGHS failed in the tie-break
    // stage; arbiter retries without presolve and must still give the exact optimum.
    let run = plan(
        &fixture("regression/highs_presolve_error"),
        &["--gap", "0", "--discount", "0.05"],
    );
    assert_eq!(run.code, 0, "{}", run.context());
    let summary = run.summary();
    assert_eq!(summary["status"], "optimal", "{}", run.context());
    let objective = summary["objective"].as_f64().unwrap_or(f64::NAN);
    assert!(
        (objective - 31.859410).abs() < 1e-5,
        "objective {objective}"
    );
    assert_eq!(summary["selected"].as_array().map(Vec::len), Some(6));
}

#[test]
fn tiny_infeasible_rules_names_the_irreducible_set() {
    // fixtures/tiny/infeasible_rules/EXPECTED.md: A mandatory, A requires B, B excludes C,
    // C mandatory; no budget is tight and no rule breaks alone.
    let run = plan(&fixture("tiny/infeasible_rules"), &[]);
    assert_eq!(run.code, 1, "{}", run.context());
    for rule in [
        "mandatory A must be selected",
        "mandatory C must be selected",
        "A requires B",
        "B and C exclude each other",
    ] {
        assert!(
            run.stderr.contains(rule),
            "missing '{rule}'\n{}",
            run.context()
        );
    }
    assert!(!run.stderr.contains("budget of"), "{}", run.context());
    assert!(!run.stderr.contains(" D "), "{}", run.context());
    let summary = run.summary();
    assert_eq!(summary["status"], "infeasible");
    assert!(summary["objective"].is_null());
    assert_eq!(summary["selected"].as_array().map(Vec::len), Some(0));
}

/// Whether `needle` (digits) occurs in `text` as a whole number (`18`, `18.0`, `18.00`), not
/// inside another number (`118`, `2018`).
fn regex_lite_find(text: &str, needle: &str) -> bool {
    let bytes = text.as_bytes();
    let mut from = 0;
    while let Some(pos) = text[from..].find(needle) {
        let start = from + pos;
        let end = start + needle.len();
        let before_ok =
            start == 0 || !(bytes[start - 1].is_ascii_digit() || bytes[start - 1] == b'.');
        let mut after = end;
        if after < bytes.len() && (bytes[after] == b'.' || bytes[after] == b',') {
            // a decimal part made only of zeros is the same number
            let mut k = after + 1;
            while k < bytes.len() && bytes[k] == b'0' {
                k += 1;
            }
            if k > after + 1 {
                after = k;
            }
        }
        let after_ok = after >= bytes.len() || !bytes[after].is_ascii_digit();
        if before_ok && after_ok {
            return true;
        }
        from = start + 1;
    }
    false
}

#[test]
fn every_tiny_fixture_is_covered() {
    // A new fixture without a test here (or in tests/rules.rs: carry, limits, partial,
    // requires_any, returns) would go unchecked.
    let covered = [
        "after",
        "balance",
        "budget",
        "capacity",
        "carry",
        "category_budget",
        "discount",
        "drivers",
        "excludes",
        "infeasible_budget",
        "infeasible_rules",
        "limits",
        "partial",
        "requires",
        "requires_any",
        "returns",
        "status",
        "window",
    ];
    let mut found: Vec<String> = std::fs::read_dir(fixture("tiny"))
        .expect("fixtures/tiny")
        .filter_map(|e| e.ok())
        .filter(|e| e.path().is_dir())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    found.sort();
    assert_eq!(found, covered);
    for name in covered {
        assert!(
            fixture(&format!("tiny/{name}/EXPECTED.md")).is_file(),
            "{name} has no EXPECTED.md"
        );
    }
}

// ---------------------------------------------------------------------------------------
// Output files and formats.

#[test]
fn plan_writes_every_output_file() {
    let run = plan(&fixture("tiny/capacity"), &[]);
    assert_eq!(run.code, 0, "{}", run.context());
    for name in [
        "summary.json",
        "portfolio.csv",
        "allocation.csv",
        "utilisation.csv",
        "spend.csv",
    ] {
        assert!(run.out().join(name).is_file(), "{name} missing");
    }
    let header = |name: &str| run.file(name).lines().next().unwrap_or("").to_string();
    assert_eq!(
        header("portfolio.csv"),
        "rank,id,name,selected,start,end,score,cost,category,reason,criticality,regret,extra_budget,extra_fte"
    );
    assert_eq!(header("allocation.csv"), "period,pool,project,fte");
    assert_eq!(
        header("utilisation.csv"),
        "period,pool,capacity,allocated,utilisation"
    );
    assert_eq!(
        header("spend.csv"),
        "period,category,budget,spent,inflow,carried_in"
    );

    // allocation.csv follows the offset profile: A (3, 1) from Q1, B (1, 3) from Q2, C 1 flat.
    let mut allocated: BTreeMap<(String, String), f64> = BTreeMap::new();
    for line in run.file("allocation.csv").lines().skip(1) {
        let cells: Vec<&str> = line.split(',').collect();
        assert_eq!(cells.len(), 4, "{line}");
        let fte: f64 = cells[3].parse().unwrap_or(f64::NAN);
        *allocated
            .entry((cells[0].to_string(), cells[2].to_string()))
            .or_default() += fte;
    }
    let fte = |period: &str, project: &str| {
        allocated
            .get(&(period.to_string(), project.to_string()))
            .copied()
            .unwrap_or(0.0)
    };
    assert!((fte("2027-Q1", "A") - 3.0).abs() < 1e-9);
    assert!((fte("2027-Q2", "A") - 1.0).abs() < 1e-9);
    assert!((fte("2027-Q2", "B") - 1.0).abs() < 1e-9);
    assert!((fte("2027-Q3", "B") - 3.0).abs() < 1e-9);
    assert!((fte("2027-Q3", "C") - 1.0).abs() < 1e-9);
    // utilisation: dev 4 / 3 / 4 FTE of 4.
    for line in run.file("utilisation.csv").lines().skip(1) {
        let cells: Vec<&str> = line.split(',').collect();
        let expected = match cells[0] {
            "2027-Q2" => 3.0,
            _ => 4.0,
        };
        assert_eq!(cells[1], "dev", "{line}");
        let got: f64 = cells[3].parse().unwrap_or(f64::NAN);
        assert!((got - expected).abs() < 1e-9, "{line}");
    }
}

#[test]
fn portfolio_lists_every_project_with_start_and_end() {
    let run = plan(&fixture("tiny/after"), &[]);
    assert_eq!(run.code, 0, "{}", run.context());
    let text = run.file("portfolio.csv");
    let mut rdr = csv_rows(&text);
    let header = rdr.remove(0);
    let col = |name: &str| header.iter().position(|h| h == name).expect(name);
    let mut rows: BTreeMap<String, (String, String, String)> = BTreeMap::new();
    for row in rdr {
        rows.insert(
            row[col("id")].clone(),
            (
                row[col("selected")].clone(),
                row[col("start")].clone(),
                row[col("end")].clone(),
            ),
        );
    }
    assert_eq!(rows.len(), 4);
    assert_eq!(
        rows["A"],
        ("true".into(), "2027-Q1".into(), "2027-Q2".into())
    );
    assert_eq!(
        rows["B"],
        ("true".into(), "2027-Q3".into(), "2027-Q3".into())
    );
    assert_eq!(rows["C"].0, "false");
    assert_eq!(
        rows["D"],
        ("true".into(), "2027-Q1".into(), "2027-Q1".into())
    );
}

/// A tiny CSV splitter for our own outputs (quotes handled, no embedded newlines needed).
fn csv_rows(text: &str) -> Vec<Vec<String>> {
    text.lines()
        .filter(|l| !l.is_empty())
        .map(|line| {
            let mut cells = Vec::new();
            let mut cell = String::new();
            let mut quoted = false;
            let mut chars = line.chars().peekable();
            while let Some(c) = chars.next() {
                match c {
                    '"' if quoted && chars.peek() == Some(&'"') => {
                        cell.push('"');
                        chars.next();
                    }
                    '"' => quoted = !quoted,
                    ',' if !quoted => cells.push(std::mem::take(&mut cell)),
                    _ => cell.push(c),
                }
            }
            cells.push(cell);
            cells
        })
        .collect()
}

#[test]
fn format_json_prints_json_on_stdout() {
    let run = plan(&fixture("tiny/budget"), &["--format", "json"]);
    assert_eq!(run.code, 0, "{}", run.context());
    let value: Value = serde_json::from_str(&run.stdout)
        .unwrap_or_else(|e| panic!("stdout is not JSON: {e}\n{}", run.context()));
    let text = value.to_string();
    assert!(text.contains("\"B\"") && text.contains("\"C\""), "{text}");
}

#[test]
fn format_csv_prints_csv_on_stdout() {
    let run = plan(&fixture("tiny/budget"), &["--format", "csv"]);
    assert_eq!(run.code, 0, "{}", run.context());
    let rows = csv_rows(&run.stdout);
    assert!(rows.len() >= 2, "{}", run.context());
    let width = rows[0].len();
    assert!(width >= 2, "{}", run.context());
    for row in &rows {
        assert_eq!(row.len(), width, "ragged csv\n{}", run.stdout);
    }
    assert!(run.stdout.contains("B") && run.stdout.contains("C"));
}

#[test]
fn format_table_prints_the_selection() {
    for extra in [&["--format", "table"][..], &[][..]] {
        let run = plan(&fixture("tiny/budget"), extra);
        assert_eq!(run.code, 0, "{}", run.context());
        assert!(run.stdout.contains("2027-Q1"), "{}", run.context());
        assert!(run.stdout.contains("Mobile app refresh") || run.stdout.contains('B'));
    }
}

#[test]
fn unknown_format_is_a_usage_error() {
    let run = plan(&fixture("tiny/budget"), &["--format", "yaml"]);
    assert_eq!(run.code, 2, "{}", run.context());
    assert!(!run.out().exists(), "no output on a usage error");
}

#[test]
fn same_input_same_output() {
    let a = plan(&fixture("tiny/window"), &[]);
    let b = plan(&fixture("tiny/window"), &[]);
    assert_eq!(a.code, 0, "{}", a.context());
    for name in [
        "portfolio.csv",
        "allocation.csv",
        "utilisation.csv",
        "spend.csv",
    ] {
        assert_eq!(a.file(name), b.file(name), "{name} differs between runs");
    }
    assert_eq!(selected(&a.summary()), selected(&b.summary()));
}

// ---------------------------------------------------------------------------------------
// Exit codes and failures.

#[test]
fn missing_workbook_folder_is_an_io_error() {
    let run = plan(&fixture("tiny/no-such-workbook"), &[]);
    assert_eq!(run.code, 2, "{}", run.context());
    assert!(run.stderr.contains("no-such-workbook"), "{}", run.context());
    assert!(!run.stderr.contains("panicked"), "{}", run.context());
}

#[test]
fn unknown_flag_is_a_usage_error() {
    let run = plan(&fixture("tiny/budget"), &["--no-such-flag"]);
    assert_eq!(run.code, 2, "{}", run.context());
}

#[test]
fn no_subcommand_is_a_usage_error() {
    let output = arbiter().output().expect("run arbiter");
    assert_eq!(output.status.code(), Some(2));
}

#[test]
fn unwritable_output_is_an_io_error() {
    let dir = TempDir::new().expect("temp dir");
    let file = dir.path().join("a-file");
    std::fs::write(&file, "not a folder").expect("write");
    let output = arbiter()
        .arg("plan")
        .arg(fixture("tiny/budget"))
        .arg("--out")
        .arg(file.join("out"))
        .output()
        .expect("run arbiter");
    assert_eq!(output.status.code(), Some(2), "{output:?}");
    assert_eq!(
        std::fs::read_to_string(&file).unwrap_or_default(),
        "not a folder"
    );
}

/// A workbook with a negative cost, written into a temp dir.
fn invalid_workbook(dir: &Path) -> PathBuf {
    let wb = dir.join("broken");
    std::fs::create_dir_all(&wb).expect("mkdir");
    std::fs::write(
        wb.join("projects.csv"),
        "id,name,cost,value\nA,Alpha,-5,3\nB,Beta,10,2\n",
    )
    .expect("write");
    std::fs::write(wb.join("budget.csv"), "period,amount\n2027-Q1,100\n").expect("write");
    wb
}

#[test]
fn invalid_input_exits_1_naming_file_and_project() {
    let dir = TempDir::new().expect("temp dir");
    let wb = invalid_workbook(dir.path());
    let run = plan(&wb, &[]);
    assert_eq!(run.code, 1, "{}", run.context());
    assert!(run.stderr.contains("projects.csv"), "{}", run.context());
    assert!(run.stderr.contains("cost"), "{}", run.context());
    assert!(!run.stderr.contains("panicked"), "{}", run.context());

    let output = arbiter()
        .arg("validate")
        .arg(&wb)
        .output()
        .expect("run arbiter");
    assert_eq!(output.status.code(), Some(1), "{output:?}");
}

#[test]
fn failed_run_leaves_previous_output_untouched() {
    let dir = TempDir::new().expect("temp dir");
    let out = dir.path().join("out");
    let ok = arbiter()
        .arg("plan")
        .arg(fixture("tiny/budget"))
        .arg("--out")
        .arg(&out)
        .output()
        .expect("run arbiter");
    assert_eq!(ok.status.code(), Some(0), "{ok:?}");
    let before = snapshot_dir(&out);
    assert!(before.contains_key("summary.json"));

    let wb = invalid_workbook(dir.path());
    let failed = arbiter()
        .arg("plan")
        .arg(&wb)
        .arg("--out")
        .arg(&out)
        .output()
        .expect("run arbiter");
    assert_eq!(failed.status.code(), Some(1), "{failed:?}");
    assert_eq!(
        snapshot_dir(&out),
        before,
        "a failed run changed the output"
    );

    let missing = arbiter()
        .arg("plan")
        .arg(dir.path().join("nowhere"))
        .arg("--out")
        .arg(&out)
        .output()
        .expect("run arbiter");
    assert_eq!(missing.status.code(), Some(2), "{missing:?}");
    assert_eq!(
        snapshot_dir(&out),
        before,
        "a failed run changed the output"
    );
}

/// Every file of a folder (recursively), by relative path.
fn snapshot_dir(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut files = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).expect("read_dir").flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else {
                let rel = path
                    .strip_prefix(dir)
                    .map(|p| p.to_string_lossy().into_owned())
                    .unwrap_or_default();
                files.insert(rel, std::fs::read(&path).unwrap_or_default());
            }
        }
    }
    files
}

#[test]
fn validate_accepts_every_feasible_fixture() {
    for name in [
        "demo",
        "tiny/budget",
        "tiny/capacity",
        "tiny/status",
        "tiny/window",
        "tiny/drivers",
    ] {
        let output = arbiter()
            .arg("validate")
            .arg(fixture(name))
            .output()
            .expect("run arbiter");
        assert_eq!(output.status.code(), Some(0), "{name}: {output:?}");
    }
}

#[test]
fn validate_missing_folder_is_an_io_error() {
    let output = arbiter()
        .arg("validate")
        .arg(fixture("tiny/no-such-workbook"))
        .output()
        .expect("run arbiter");
    assert_eq!(output.status.code(), Some(2), "{output:?}");
}

// ---------------------------------------------------------------------------------------
// Ranking by re-solves (fixtures/tiny/budget/EXPECTED.md, "Ranking").

#[test]
fn ranking_is_the_hand_checked_criticality_and_regret() {
    let run = plan(&fixture("tiny/budget"), &["--rank", "exact", "--jobs", "2"]);
    assert_eq!(run.code, 0, "{}", run.context());
    let rows = csv_rows(&run.file("portfolio.csv"));
    let col = |name: &str| rows[0].iter().position(|h| h == name).expect(name);
    let (id, crit, regret, reason) = (col("id"), col("criticality"), col("regret"), col("reason"));
    let got: Vec<(&str, &str, &str)> = rows[1..]
        .iter()
        .map(|r| (r[id].as_str(), r[crit].as_str(), r[regret].as_str()))
        .collect();
    // B and C: dropping either leaves A alone (10) as the best, a loss of 1; forcing A in
    // leaves room for neither B nor C: a loss of 1, pushing out two projects.
    assert_eq!(got, [("B", "1", ""), ("C", "1", ""), ("A", "", "1")]);
    assert!(
        rows[3][reason].contains("forcing A in loses 1 (9.1%) and pushes out B and C"),
        "{}",
        rows[3][reason]
    );
    // What it would take to have A beside B and C: 45 more budget (B in Q1, C in Q2:
    // +10 in Q1, +35 in Q2); no pools, so no amount of staff does it.
    assert!(
        rows[3][reason].ends_with("it would take 45 more budget (2027-Q1: 10, 2027-Q2: 35)"),
        "{}",
        rows[3][reason]
    );
    assert_eq!(
        (
            rows[3][col("extra_budget")].as_str(),
            rows[3][col("extra_fte")].as_str()
        ),
        ("45", "no amount")
    );
    assert!(rows[1][reason].contains("the best portfolio without it also drops C and adds A"));
    // The fast (LP) ranking fills the same columns with estimates, selected projects first.
    let fast = plan(&fixture("tiny/budget"), &["--rank", "fast"]);
    assert_eq!(fast.code, 0, "{}", fast.context());
    let rows = csv_rows(&fast.file("portfolio.csv"));
    let selected_col = col("selected");
    assert_eq!(
        rows[1..]
            .iter()
            .map(|r| r[selected_col].as_str())
            .collect::<Vec<_>>(),
        ["true", "true", "false"]
    );
    assert!(rows[1..3]
        .iter()
        .all(|r| !r[crit].is_empty() && r[regret].is_empty()));
    assert!(
        !rows[3][regret].is_empty() && rows[3][reason].contains("(estimate)")
            || rows[3][reason].contains("about")
    );
    // Without a ranking the columns are empty and the order is by score.
    let plain = plan(&fixture("tiny/budget"), &["--rank", "none"]);
    let rows = csv_rows(&plain.file("portfolio.csv"));
    assert!(rows[1..]
        .iter()
        .all(|r| r[crit].is_empty() && r[regret].is_empty()));
}

// ---------------------------------------------------------------------------------------
// AHP: weights, consistency ratio and the comparison to revisit.

#[test]
fn ahp_names_the_most_inconsistent_comparison() {
    // a = 9 b, b = 9 c, c = 9 a: perfectly circular, so the weights are equal and every
    // comparison is 9 times off; the first one in file order is named.
    let run = plan(&fixture("invalid/W006"), &["--rank", "none"]);
    assert_eq!(run.code, 0, "{}", run.context());
    let summary = run.summary();
    assert!(
        summary["consistency_ratio"].as_f64().unwrap_or(0.0) > 0.10,
        "{summary}"
    );
    assert_eq!(
        summary["most_inconsistent"],
        "a vs b: pairwise.csv says 9, the weights imply 1"
    );
    assert!(
        run.stdout.contains("revisit first a vs b"),
        "{}",
        run.stdout
    );
    assert!(
        run.stderr.contains("W006") && run.stderr.contains("on line 2"),
        "{}",
        run.stderr
    );
    // A consistent matrix names nothing.
    let fine = plan(&fixture("tiny/drivers"), &["--rank", "none"]);
    assert!(fine.summary().get("most_inconsistent").is_none());
}

// ---------------------------------------------------------------------------------------
// The efficient frontier (fixtures/tiny/budget/EXPECTED.md, "Frontier").

#[test]
fn frontier_is_the_hand_checked_curve() {
    let dir = TempDir::new().expect("temp dir");
    let out = dir.path().join("out");
    let output = arbiter()
        .args([
            "frontier",
            "fixtures/tiny/budget",
            "--points",
            "4",
            "--jobs",
            "2",
            "--out",
        ])
        .arg(&out)
        .output()
        .expect("run arbiter");
    assert_eq!(output.status.code(), Some(0), "{output:?}");
    let rows = csv_rows(&std::fs::read_to_string(out.join("frontier.csv")).expect("csv"));
    assert_eq!(
        rows[0],
        ["scale", "budget", "value", "cost", "selected", "status", "marker"]
    );
    let got: Vec<(f64, &str, &str, &str)> = rows[1..]
        .iter()
        .map(|r| {
            (
                r[0].parse::<f64>().unwrap(),
                r[2].as_str(),
                r[4].as_str(),
                r[6].as_str(),
            )
        })
        .collect();
    let expected = [
        (0.0, "0", "", ""),
        (0.516667, "6", "B", ""),
        (1.0, "11", "B;C", "today"),
        (1.55, "21", "A;B;C", ""),
    ];
    assert_eq!(got.len(), expected.len(), "{rows:?}");
    for (g, e) in got.iter().zip(expected) {
        assert!((g.0 - e.0).abs() <= 1e-6, "{g:?} vs {e:?}");
        assert_eq!((g.1, g.2, g.3), (e.1, e.2, e.3));
    }
    let svg = std::fs::read_to_string(out.join("frontier.svg")).expect("svg");
    assert!(
        svg.starts_with("<svg") && svg.contains("today: 170"),
        "{svg}"
    );
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(stdout.contains("today"), "{stdout}");
}

#[test]
fn frontier_without_a_budget_exits_1() {
    let dir = TempDir::new().expect("temp dir");
    let output = arbiter()
        .args(["frontier", "fixtures/tiny/capacity", "--out"])
        .arg(dir.path().join("out"))
        .output()
        .expect("run arbiter");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("no budget cap to vary"), "{stderr}");
}

// ---------------------------------------------------------------------------------------
// Weight sensitivity (fixtures/tiny/drivers/EXPECTED.md, "Sensitivity").

#[test]
fn sensitivity_is_the_hand_checked_interval() {
    let dir = TempDir::new().expect("temp dir");
    let out = dir.path().join("out");
    let output = arbiter()
        .args([
            "sensitivity",
            "fixtures/tiny/drivers",
            "--jobs",
            "2",
            "--out",
        ])
        .arg(&out)
        .output()
        .expect("run arbiter");
    assert_eq!(output.status.code(), Some(0), "{output:?}");
    let text = std::fs::read_to_string(out.join("sensitivity.csv")).expect("csv");
    assert_eq!(
        text,
        "driver,weight,low,high,below_low,above_high\n\
         revenue,0.75,0.625,1,B enters; A leaves,\n\
         risk_reduction,0.25,0,0.375,,B enters; A leaves\n"
    );
    // Without drivers there is nothing to vary: exit 1 with the reason.
    let none = arbiter()
        .args(["sensitivity", "fixtures/tiny/budget", "--out"])
        .arg(dir.path().join("none"))
        .output()
        .expect("run arbiter");
    assert_eq!(none.status.code(), Some(1), "{none:?}");
    assert!(String::from_utf8_lossy(&none.stderr).contains("needs drivers"));
}

// ---------------------------------------------------------------------------------------
// The demo: valid, feasible, and budgets/capacity that bind.

#[test]
fn demo_is_optimal_and_selective() {
    // The ranking has tests of its own; here only the portfolio matters.
    let run = plan(&fixture("demo"), &["--time-limit", "60", "--rank", "none"]);
    assert_eq!(run.code, 0, "{}", run.context());
    let summary = run.summary();
    assert_eq!(summary["status"], "optimal", "{summary}");
    let projects = std::fs::read_to_string(fixture("demo/projects.csv")).expect("projects.csv");
    let rows = csv_rows(&projects);
    let status = rows[0].iter().position(|h| h == "status").expect("status");
    let open = rows[1..].iter().filter(|r| r[status] != "excluded").count();
    let chosen = selected(&summary).len();
    let share = chosen as f64 / open as f64;
    assert!(
        (0.55..=0.75).contains(&share),
        "demo selects {chosen} of {open} projects ({share:.2}); budgets should bind"
    );
}

// ---------------------------------------------------------------------------------------
// Snapshots (temp paths filtered).

fn escape_regex(text: &str) -> String {
    let mut out = String::new();
    for c in text.chars() {
        if "\\.+*?()|[]{}^$#&-~".contains(c) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

fn with_filters(paths: &[&Path], body: impl FnOnce()) {
    let mut settings = insta::Settings::clone_current();
    for path in paths {
        settings.add_filter(&escape_regex(&path.to_string_lossy()), "[TMP]");
    }
    settings.add_filter(&escape_regex(&root().to_string_lossy()), "[ROOT]");
    settings.add_filter(r"\b\d+(\.\d+)? ?(ms|s)\b", "[TIME]");
    settings.bind(body);
}

#[test]
fn snapshot_portfolio_budget() {
    let run = plan(&fixture("tiny/budget"), &[]);
    assert_eq!(run.code, 0, "{}", run.context());
    let text = run.file("portfolio.csv");
    with_filters(&[run.dir.path()], || {
        insta::assert_snapshot!("portfolio_budget", text);
    });
}

#[test]
fn snapshot_portfolio_status() {
    let run = plan(&fixture("tiny/status"), &[]);
    assert_eq!(run.code, 0, "{}", run.context());
    let text = run.file("portfolio.csv");
    with_filters(&[run.dir.path()], || {
        insta::assert_snapshot!("portfolio_status", text);
    });
}

#[test]
fn snapshot_spend_category_budget() {
    let run = plan(&fixture("tiny/category_budget"), &[]);
    assert_eq!(run.code, 0, "{}", run.context());
    let text = run.file("spend.csv");
    with_filters(&[run.dir.path()], || {
        insta::assert_snapshot!("spend_category_budget", text);
    });
}

#[test]
fn snapshot_validate_demo() {
    let output = arbiter()
        .arg("validate")
        .arg("fixtures/demo")
        .output()
        .expect("run arbiter");
    assert_eq!(output.status.code(), Some(0), "{output:?}");
    let text = format!(
        "--- stdout\n{}--- stderr\n{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    with_filters(&[], || {
        insta::assert_snapshot!("validate_demo", text);
    });
}

#[test]
fn snapshot_infeasible_message() {
    let run = plan(&fixture("tiny/infeasible_budget"), &[]);
    assert_eq!(run.code, 1, "{}", run.context());
    let text = run.stderr.clone();
    with_filters(&[run.dir.path()], || {
        insta::assert_snapshot!("infeasible_budget_stderr", text);
    });
}

/// `--limit NAME=N` sets a reading limit for one run, like its environment variable: a
/// workbook over it is refused with E043 naming the flag; raised, it reads; a bad name is a
/// usage error.
#[test]
fn limit_flag_sets_a_reading_limit() {
    let dir = TempDir::new().expect("temp dir");
    let wb = dir.path().join("wb");
    std::fs::create_dir(&wb).expect("wb");
    std::fs::write(
        wb.join("budget.csv"),
        "period,amount\nQ1,100\nQ2,100\nQ3,100\nQ4,100\n",
    )
    .expect("budget");
    std::fs::write(wb.join("projects.csv"), "id,cost\nA,10\n").expect("projects");
    let run = |extra: &[&str]| {
        let mut cmd = arbiter();
        cmd.arg("validate").arg(&wb).args(extra);
        cmd.output().expect("run")
    };
    let low = run(&["--limit", "periods=3"]);
    assert_eq!(low.status.code(), Some(1));
    let err = String::from_utf8_lossy(&low.stderr);
    assert!(
        err.contains("E043") && err.contains("--limit periods="),
        "{err}"
    );
    assert_eq!(run(&["--limit", "periods=4"]).status.code(), Some(0));
    let bad = run(&["--limit", "lines=3"]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("input-bytes, line-bytes, rows"));
}
