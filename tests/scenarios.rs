//! End-to-end tests of `arbiter scenarios` and `arbiter merge`: hand-checked optima of every
//! scenario of fixtures/scenarios (EXPECTED.md there), byte-identical outputs whatever
//! `--jobs`, shards merged into exactly one run's files, alternative workbooks, and errors.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde_json::Value;
use tempfile::TempDir;

#[path = "common/plan.rs"]
mod common;

use common::{arbiter, fixture, Output};

fn run(args: &[&str], paths: &[&Path]) -> Output {
    let mut cmd = arbiter();
    cmd.args(args);
    for p in paths {
        cmd.arg(p);
    }
    Output::of(&mut cmd)
}

/// `arbiter scenarios <workbook> --out <out> <extra…>`, which must succeed.
fn scenarios(workbook: &Path, out: &Path, extra: &[&str]) -> Output {
    let r = Output::of(
        arbiter()
            .arg("scenarios")
            .arg(workbook)
            .arg("--out")
            .arg(out)
            .args(extra),
    );
    assert_eq!(r.code, 0, "{}", r.context());
    r
}

/// Every file under `dir`, relative path → bytes.
fn tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    fn walk(root: &Path, dir: &Path, out: &mut BTreeMap<String, Vec<u8>>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(root, &path, out);
            } else {
                let rel = path
                    .strip_prefix(root)
                    .unwrap()
                    .to_string_lossy()
                    .into_owned();
                out.insert(rel, std::fs::read(&path).unwrap());
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(dir, dir, &mut out);
    out
}

fn assert_same_tree(a: &Path, b: &Path) {
    let (ta, tb) = (tree(a), tree(b));
    assert_eq!(
        ta.keys().collect::<Vec<_>>(),
        tb.keys().collect::<Vec<_>>(),
        "file lists differ"
    );
    for (name, bytes) in &ta {
        assert!(
            bytes == &tb[name],
            "{name} differs:\n{}\n---\n{}",
            String::from_utf8_lossy(bytes),
            String::from_utf8_lossy(&tb[name])
        );
    }
}

fn summary(out: &Path, folder: &str) -> Value {
    let text = std::fs::read_to_string(out.join(folder).join("summary.json")).unwrap();
    serde_json::from_str(&text).unwrap()
}

fn selected(summary: &Value) -> Vec<String> {
    summary["selected"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            format!(
                "{}@{}",
                s["id"].as_str().unwrap(),
                s["start"].as_str().unwrap()
            )
        })
        .collect()
}

#[test]
fn every_scenario_reaches_its_hand_checked_optimum() {
    let dir = TempDir::new().unwrap();
    let out = dir.path().join("out");
    let alt = fixture("scenarios-alt/bigger-budget");
    let r = scenarios(
        &fixture("scenarios"),
        &out,
        &["--jobs", "2", "--workbooks", alt.to_str().unwrap()],
    );
    let expected: [(&str, Option<f64>, &[&str]); 7] = [
        ("base", Some(11.0), &["B@2027-Q1", "C@2027-Q1"]),
        ("more-money", Some(16.0), &["A@2027-Q1", "B@2027-Q1"]),
        ("q1-frozen", Some(6.0), &["B@2027-Q2"]),
        ("must-do-A", Some(10.0), &["A@2027-Q1"]),
        ("impossible", None, &[]),
        ("b-doubles", Some(25.0), &["B@2027-Q1", "C@2027-Q1"]),
        (
            "bigger-budget",
            Some(21.0),
            &["A@2027-Q1", "B@2027-Q1", "C@2027-Q1"],
        ),
    ];
    for (name, objective, portfolio) in expected {
        let s = summary(&out, name);
        match objective {
            Some(o) => {
                assert_eq!(s["status"], "optimal", "{name}: {s}");
                assert!(
                    (s["objective"].as_f64().unwrap() - o).abs() < 1e-9,
                    "{name}: {s}"
                );
            }
            None => {
                assert_eq!(s["status"], "infeasible", "{name}: {s}");
                assert!(s["objective"].is_null());
            }
        }
        assert_eq!(selected(&s), portfolio, "{name}");
        // Timings stay out of the files unless asked for.
        assert_eq!(s["seconds"], 0, "{name}");
    }
    let comparison = std::fs::read_to_string(out.join("comparison.csv")).unwrap();
    assert_eq!(
        comparison,
        "id,base,more-money,q1-frozen,must-do-A,impossible,b-doubles,bigger-budget\n\
         A,,2027-Q1,,2027-Q1,,,2027-Q1\n\
         B,2027-Q1,2027-Q1,2027-Q2,,,2027-Q1,2027-Q1\n\
         C,2027-Q1,,,,,2027-Q1,2027-Q1\n"
    );
    let rows = std::fs::read_to_string(out.join("scenarios.csv")).unwrap();
    let lines: Vec<&str> = rows.lines().collect();
    assert_eq!(
        lines[0],
        "scenario,status,objective,gap,cost,count,bound,change,change_pct,entered,left,moved,message"
    );
    assert_eq!(
        lines[2],
        "more-money,optimal,16,0,170,2,16,5,45.454545,A,C,,"
    );
    assert_eq!(lines[3], "q1-frozen,optimal,6,0,50,1,6,-5,-45.454545,,C,B,");
    assert_eq!(
        lines[4],
        "must-do-A,optimal,10,0,120,1,10,-1,-9.090909,A,B;C,,"
    );
    assert!(
        lines[5].starts_with("impossible,infeasible,,,0,0,,,,,,,"),
        "{}",
        lines[5]
    );
    assert!(lines[5].contains("budget of 2027-Q1") && lines[5].contains("over by 10"));
    // The readable comparison on stdout.
    insta::assert_snapshot!("scenarios_table", r.stdout);
}

#[test]
fn jobs_1_and_jobs_2_write_the_same_bytes() {
    let dir = TempDir::new().unwrap();
    let (one, two) = (dir.path().join("one"), dir.path().join("two"));
    let a = scenarios(&fixture("demo"), &one, &["--jobs", "1"]);
    let b = scenarios(&fixture("demo"), &two, &["--jobs", "2"]);
    assert_same_tree(&one, &two);
    assert_eq!(a.stdout, b.stdout);
    // base plus the six scenarios of the demo's scenarios.csv, plus the two top files.
    assert_eq!(tree(&one).len(), 6 * 5 + 2);
}

#[test]
fn shards_merge_into_exactly_the_files_of_one_run() {
    let dir = TempDir::new().unwrap();
    let whole = dir.path().join("whole");
    let one = scenarios(&fixture("scenarios"), &whole, &["--jobs", "2"]);
    let mut shard_dirs = Vec::new();
    for k in 1..=4 {
        let shard = dir.path().join(format!("shard-{k}"));
        let r = scenarios(
            &fixture("scenarios"),
            &shard,
            &["--jobs", "1", "--shard", &format!("{k}/4")],
        );
        assert!(r.stdout.is_empty(), "a shard prints no comparison");
        assert!(shard.join(format!("shard-{k}-of-4.json")).is_file());
        shard_dirs.push(shard);
    }
    // Shard 1 has base and every 4th scenario after it.
    assert!(dir.path().join("shard-1/base").is_dir());
    assert!(dir.path().join("shard-1/impossible").is_dir());
    assert!(!dir.path().join("shard-1/more-money").exists());
    let merged = dir.path().join("merged");
    let mut args: Vec<&Path> = shard_dirs.iter().map(PathBuf::as_path).collect();
    args.reverse(); // order of the folders does not matter
    let out_flag = merged.clone();
    let m = run(&["merge", "--out", out_flag.to_str().unwrap()], &args);
    assert_eq!(m.code, 0, "{}", m.stderr);
    assert_same_tree(&whole, &merged);
    assert_eq!(m.stdout, one.stdout);

    // A missing shard is named, and nothing is written.
    let partial = dir.path().join("partial");
    let m = run(
        &["merge", "--out", partial.to_str().unwrap()],
        &[&shard_dirs[0], &shard_dirs[1], &shard_dirs[3]],
    );
    assert_eq!(m.code, 2);
    assert!(
        m.stderr.contains("shard(s) 3 of 4 are missing"),
        "{}",
        m.stderr
    );
    assert!(!partial.exists());

    // Shards of another run (other options) are refused.
    let other = dir.path().join("other");
    scenarios(
        &fixture("scenarios"),
        &other,
        &["--shard", "3/4", "--discount", "0.1"],
    );
    let m = run(
        &["merge", "--out", partial.to_str().unwrap()],
        &[&shard_dirs[0], &shard_dirs[1], &other, &shard_dirs[3]],
    );
    assert_eq!(m.code, 2);
    assert!(m.stderr.contains("another run"), "{}", m.stderr);
}

#[test]
fn invalid_scenarios_csv_exits_1_naming_the_line() {
    let dir = TempDir::new().unwrap();
    let wb = dir.path().join("wb");
    std::fs::create_dir(&wb).unwrap();
    for f in ["projects.csv", "budget.csv"] {
        std::fs::copy(fixture("scenarios").join(f), wb.join(f)).unwrap();
    }
    std::fs::write(
        wb.join("scenarios.csv"),
        "scenario,target,key,op,value\nok,budget,*,scale,0.5\nbad,capacity,dev,scale,0.5\n",
    )
    .unwrap();
    let r = run(
        &[
            "scenarios",
            "--out",
            dir.path().join("out").to_str().unwrap(),
        ],
        &[&wb],
    );
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(
        r.stderr.contains("scenarios.csv line 3") && r.stderr.contains("'dev'"),
        "{}",
        r.stderr
    );
    assert!(!dir.path().join("out").exists());
    // validate reports it too.
    let v = run(&["validate"], &[&wb]);
    assert_eq!(v.code, 1);
    assert!(v.stderr.contains("E031"), "{}", v.stderr);
}

#[test]
fn an_alternative_workbook_named_like_a_scenario_is_refused() {
    let dir = TempDir::new().unwrap();
    let alt = dir.path().join("more-money");
    std::fs::create_dir(&alt).unwrap();
    for f in ["projects.csv", "budget.csv"] {
        std::fs::copy(fixture("scenarios").join(f), alt.join(f)).unwrap();
    }
    // The base workbook first: `--workbooks` takes every folder after it.
    let r = run(
        &[
            "scenarios",
            "--out",
            dir.path().join("out").to_str().unwrap(),
        ],
        &[&fixture("scenarios"), Path::new("--workbooks"), &alt],
    );
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(r.stderr.contains("scenario 'more-money'"), "{}", r.stderr);
}

#[test]
fn bad_arguments_are_usage_errors() {
    for args in [
        vec!["scenarios", "fixtures/scenarios", "--shard", "5/4"],
        vec!["scenarios", "fixtures/scenarios", "--shard", "two"],
        vec!["scenarios", "fixtures/scenarios", "--jobs", "0"],
        vec!["scenarios", "fixtures/no-such-workbook"],
        vec!["merge", "fixtures/scenarios"],
    ] {
        let r = run(&args, &[]);
        assert_eq!(r.code, 2, "{args:?}: {}", r.stderr);
        assert!(!r.stderr.contains("panicked"), "{}", r.stderr);
    }
}
