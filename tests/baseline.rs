//! Stable re-plans (`plan --baseline FILE --change-penalty F`): a re-plan of an unchanged
//! workbook against its own plan changes nothing; the hand-checked fixture
//! (fixtures/baseline/EXPECTED.md) changes with a small penalty and keeps the baseline with a
//! large one; the three file forms (summary.json, `id,start`, portfolio.csv); bad files.

use std::path::PathBuf;

use serde_json::Value;
use tempfile::TempDir;

#[path = "common/plan.rs"]
mod common;

use common::{fixture, plan, Run};

/// `(id, start)` of summary.json's `selected`, in file order.
fn selected(summary: &Value) -> Vec<(String, String)> {
    summary["selected"]
        .as_array()
        .expect("selected")
        .iter()
        .map(|s| {
            (
                s["id"].as_str().unwrap_or_default().to_string(),
                s["start"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect()
}

fn ids(value: &Value) -> Vec<String> {
    value
        .as_array()
        .unwrap_or_else(|| panic!("not a list: {value}"))
        .iter()
        .map(|v| v.as_str().unwrap_or_default().to_string())
        .collect()
}

fn close(value: &Value, expected: f64) -> bool {
    value
        .as_f64()
        .is_some_and(|v| (v - expected).abs() <= 1e-6 * expected.abs().max(1.0))
}

/// The `change` column of portfolio.csv, by id.
fn changes(run: &Run) -> Vec<(String, String)> {
    let rows = run.portfolio();
    let header = &rows[0];
    let id = header.iter().position(|h| h == "id").expect("id");
    let change = header.iter().position(|h| h == "change").expect("change");
    assert_eq!(change, header.len() - 1, "change is the last column");
    let mut list: Vec<(String, String)> = rows[1..]
        .iter()
        .map(|r| (r[id].clone(), r[change].clone()))
        .collect();
    list.sort();
    list
}

#[test]
fn replanning_an_unchanged_workbook_against_its_own_plan_changes_nothing() {
    let demo = fixture("demo");
    let first = plan(&demo, &["--rank", "none"]);
    assert_eq!(first.code, 0, "{}", first.context());
    let before = first.summary();
    assert!(before.get("baseline").is_none(), "no baseline, no field");
    let header = &first.portfolio()[0];
    assert!(
        !header.iter().any(|h| h == "change"),
        "no baseline, no column"
    );

    for file in ["summary.json", "portfolio.csv"] {
        let baseline = first.out().join(file);
        let again = plan(
            &demo,
            &["--rank", "none", "--baseline", baseline.to_str().unwrap()],
        );
        assert_eq!(again.code, 0, "{file}: {}", again.context());
        let after = again.summary();
        assert_eq!(selected(&after), selected(&before), "{file}");
        let against = &after["baseline"];
        assert!(ids(&against["entered"]).is_empty(), "{file}: {against}");
        assert!(ids(&against["left"]).is_empty(), "{file}: {against}");
        assert!(
            against["moved"].as_array().is_some_and(Vec::is_empty),
            "{file}: {against}"
        );
        assert_eq!(against["kept"], before["count"], "{file}");
        assert!(close(&against["change_penalty"], 0.1));
        assert!(close(&against["penalty"], 0.0));
        // The value is the first plan's objective; the objective optimised adds the bonus
        // of every kept project: 10% of the whole portfolio.
        let value = before["objective"].as_f64().unwrap();
        assert!(close(&against["value"], value), "{file}: {against}");
        assert!(close(&after["objective"], 1.1 * value), "{file}: {after}");
        assert_eq!(after["status"], "optimal");
        for (id, change) in changes(&again) {
            let chosen = selected(&before).iter().any(|(s, _)| *s == id);
            let expected = if chosen { "kept" } else { "" };
            assert_eq!(change, expected, "{file}: {id}");
        }
        assert!(
            again.stdout.contains(&format!(
                "(change penalty 0.1): {} kept, 0 entered, 0 left, 0 moved",
                before["count"]
            )),
            "{}",
            again.stdout
        );
    }
}

#[test]
fn the_fixture_changes_with_a_small_penalty_and_keeps_the_baseline_with_a_large_one() {
    let before = plan(&fixture("baseline/before"), &[]);
    assert_eq!(before.code, 0, "{}", before.context());
    assert_eq!(
        selected(&before.summary()),
        [
            ("B".into(), "2027-Q1".into()),
            ("C".into(), "2027-Q1".into())
        ]
    );
    let after = fixture("baseline/after");
    let plain = plan(&after, &[]);
    assert!(close(&plain.summary()["objective"], 18.0));

    // The default penalty 0.1 < 3/7: A enters, C leaves.
    let baseline = before.out().join("summary.json");
    let small = plan(&after, &["--baseline", baseline.to_str().unwrap()]);
    assert_eq!(small.code, 0, "{}", small.context());
    let summary = small.summary();
    assert_eq!(
        selected(&summary),
        [
            ("A".into(), "2027-Q1".into()),
            ("B".into(), "2027-Q1".into())
        ]
    );
    assert!(close(&summary["objective"], 18.8), "{summary}");
    assert!(close(&summary["bound"], 18.8), "{summary}");
    let against = &summary["baseline"];
    assert!(close(&against["value"], 18.0), "{against}");
    assert!(close(&against["penalty"], 0.7), "{against}");
    assert_eq!(against["kept"], 1);
    assert_eq!(ids(&against["entered"]), ["A"]);
    assert_eq!(ids(&against["left"]), ["C"]);
    assert_eq!(
        changes(&small),
        [
            ("A".into(), "entered".into()),
            ("B".into(), "kept".into()),
            ("C".into(), "left".into())
        ]
    );
    let rows = small.portfolio();
    let reason = rows[0].iter().position(|h| h == "reason").unwrap();
    let c = rows.iter().find(|r| r[1] == "C").unwrap();
    assert!(
        c[reason].starts_with("left the baseline (change penalty 0.7); "),
        "{}",
        c[reason]
    );
    assert!(
        small.stdout.contains("against the baseline"),
        "{}",
        small.stdout
    );
    assert!(small.stdout.contains("1 kept, 1 entered, 1 left, 0 moved"));

    // 0.5 > 3/7: the baseline stays (15 + 7.5 = 22.5 against A + B's 18 + 4 = 22).
    let large = plan(
        &after,
        &[
            "--baseline",
            baseline.to_str().unwrap(),
            "--change-penalty",
            "0.5",
        ],
    );
    assert_eq!(large.code, 0, "{}", large.context());
    let summary = large.summary();
    assert_eq!(
        selected(&summary),
        [
            ("B".into(), "2027-Q1".into()),
            ("C".into(), "2027-Q1".into())
        ]
    );
    assert!(close(&summary["objective"], 22.5), "{summary}");
    assert!(close(&summary["baseline"]["value"], 15.0));
    assert!(ids(&summary["baseline"]["entered"]).is_empty());
    assert!(ids(&summary["baseline"]["left"]).is_empty());
}

#[test]
fn an_id_start_csv_is_a_baseline() {
    let plan_csv = fixture("baseline/plan.csv");
    let run = plan(
        &fixture("baseline/after"),
        &[
            "--baseline",
            plan_csv.to_str().unwrap(),
            "--change-penalty",
            "0.4",
        ],
    );
    assert_eq!(run.code, 0, "{}", run.context());
    // 0.4 < 3/7: still worth changing (18 + 3.2 = 21.2 against 15 + 6 = 21).
    let summary = run.summary();
    assert_eq!(
        selected(&summary),
        [
            ("A".into(), "2027-Q1".into()),
            ("B".into(), "2027-Q1".into())
        ]
    );
    assert!(close(&summary["objective"], 21.2), "{summary}");
    assert_eq!(
        summary["baseline"]["file"].as_str(),
        Some(plan_csv.to_str().unwrap())
    );
}

fn write(dir: &TempDir, name: &str, text: &str) -> PathBuf {
    let path = dir.path().join(name);
    std::fs::write(&path, text).expect("write");
    path
}

#[test]
fn bad_baseline_files_are_named_with_their_line() {
    let after = fixture("baseline/after");
    let dir = TempDir::new().unwrap();
    let cases = [
        (
            "period.csv",
            "id,start\nA,2027-Q1\nB,2031-Q4\n",
            "line 3: project B starts in '2031-Q4', which is not a period of the workbook (2027-Q1)",
        ),
        (
            "twice.csv",
            "id,start\nA,2027-Q1\nA,2027-Q1\n",
            "line 3: project A is given twice (first at line 2)",
        ),
        (
            "columns.csv",
            "project,period\nA,2027-Q1\n",
            "line 1: needs a header with the columns id and start",
        ),
        ("broken.json", "{\"selected\": [", "is not valid JSON"),
    ];
    for (name, text, expected) in cases {
        let path = write(&dir, name, text);
        let run = plan(&after, &["--baseline", path.to_str().unwrap()]);
        assert_eq!(run.code, 1, "{name}: {}", run.context());
        assert!(run.stderr.contains(name), "{name}: {}", run.stderr);
        assert!(run.stderr.contains(expected), "{name}: {}", run.stderr);
        assert!(!run.out().exists(), "{name}: nothing is written");
    }

    // A project the workbook no longer has: a warning, and it counts as left.
    let gone = write(&dir, "gone.csv", "id,start\nB,2027-Q1\nZ-9,2027-Q1\n");
    let run = plan(&after, &["--baseline", gone.to_str().unwrap()]);
    assert_eq!(run.code, 0, "{}", run.context());
    assert!(
        run.stderr
            .contains("line 3: project Z-9 is not in the workbook any more; it counts as left"),
        "{}",
        run.stderr
    );
    assert_eq!(ids(&run.summary()["baseline"]["left"]), ["Z-9"]);

    // A missing file is an I/O error; options without a baseline are usage errors.
    let missing = dir.path().join("missing.json");
    let run = plan(&after, &["--baseline", missing.to_str().unwrap()]);
    assert_eq!(run.code, 2, "{}", run.context());
    assert!(run.stderr.contains("missing.json"), "{}", run.stderr);
    let run = plan(&after, &["--change-penalty", "0.2"]);
    assert_eq!(run.code, 2, "{}", run.context());
    assert!(run.stderr.contains("--change-penalty needs --baseline"));
    let run = plan(
        &after,
        &["--baseline", gone.to_str().unwrap(), "--change-penalty=-1"],
    );
    assert_eq!(run.code, 2, "{}", run.context());
    assert!(run.stderr.contains("--change-penalty must be a number ≥ 0"));
}

/// The demo with every budget row scaled by `factor`, in a temp folder.
fn demo_with_budget(factor: f64) -> TempDir {
    let dir = TempDir::new().unwrap();
    for entry in std::fs::read_dir(fixture("demo")).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_str().unwrap().to_string();
        if !name.ends_with(".csv") || name == "scenarios.csv" {
            continue;
        }
        let mut text = std::fs::read_to_string(&path).unwrap();
        if name == "budget.csv" {
            let mut lines = text.lines();
            let header = lines.next().unwrap();
            assert_eq!(header, "period,category,amount");
            let mut scaled = format!("{header}\n");
            for line in lines {
                let (key, amount) = line.rsplit_once(',').unwrap();
                let amount: f64 = amount.parse().unwrap();
                scaled.push_str(&format!("{key},{}\n", amount * factor));
            }
            text = scaled;
        }
        std::fs::write(dir.path().join(&name), text).unwrap();
    }
    dir
}

fn changed(summary: &Value) -> usize {
    let against = &summary["baseline"];
    ids(&against["entered"]).len()
        + ids(&against["left"]).len()
        + against["moved"].as_array().map_or(0, Vec::len)
}

#[test]
fn a_budget_cut_replanned_against_the_last_plan_changes_less() {
    let first = plan(&fixture("demo"), &["--rank", "none"]);
    assert_eq!(first.code, 0, "{}", first.context());
    let baseline = first.out().join("summary.json");
    let cut = demo_with_budget(0.9);
    let run = |penalty: &str| {
        let run = plan(
            cut.path(),
            &[
                "--rank",
                "none",
                "--baseline",
                baseline.to_str().unwrap(),
                "--change-penalty",
                penalty,
            ],
        );
        assert_eq!(run.code, 0, "{}", run.context());
        run.summary()
    };
    // Penalty 0 is the plan from scratch (its value is the plain optimum).
    let scratch = run("0");
    let stable = run("0.1");
    let value = |s: &Value| s["baseline"]["value"].as_f64().unwrap();
    assert!(changed(&stable) < changed(&scratch), "{stable}\n{scratch}");
    assert!(value(&stable) <= value(&scratch) + 1e-9);
    // The scratch plan is a candidate of the penalised model too, worth at least its value.
    assert!(stable["objective"].as_f64().unwrap() >= value(&scratch) - 1e-9);
}

#[test]
fn a_move_says_what_keeping_its_start_would_cost() {
    let moved = fixture("baseline/moved");
    let baseline = moved.join("plan.csv");
    let run = |penalty: &str| {
        let run = plan(
            &moved,
            &[
                "--discount",
                "0.5",
                "--baseline",
                baseline.to_str().unwrap(),
                "--change-penalty",
                penalty,
            ],
        );
        assert_eq!(run.code, 0, "{}", run.context());
        run
    };
    let swap = run("0.1");
    let summary = swap.summary();
    assert_eq!(
        selected(&summary),
        [
            ("A".into(), "2027-Q1".into()),
            ("B".into(), "2027-Q2".into())
        ]
    );
    assert!(close(&summary["objective"], 14.0), "{summary}");
    // A's 0.1 × 10 × 2/3 and B's 0.1 × 6.
    assert!(close(&summary["baseline"]["penalty"], 2.0 / 3.0 + 0.6));
    let moved_list = summary["baseline"]["moved"].as_array().unwrap();
    assert_eq!(moved_list.len(), 2);
    assert_eq!(moved_list[0]["id"], "A");
    assert_eq!(moved_list[0]["from"], "2027-Q2");
    assert_eq!(moved_list[0]["to"], "2027-Q1");
    assert_eq!(
        changes(&swap),
        [
            ("A".into(), "moved from 2027-Q2".into()),
            ("B".into(), "moved from 2027-Q1".into())
        ]
    );
    assert!(
        swap.stdout.contains(
            "moved   A   2027-Q2   2027-Q1  change penalty 0.6667; keeping it in 2027-Q2 loses 0.0667"
        ),
        "{}",
        swap.stdout
    );
    let keep = run("0.2");
    let summary = keep.summary();
    assert_eq!(
        selected(&summary),
        [
            ("A".into(), "2027-Q2".into()),
            ("B".into(), "2027-Q1".into())
        ]
    );
    assert!(close(&summary["objective"], 15.2), "{summary}");
}
