//! Golden outputs: every fixture and every workbook of the generator's seeds, run through
//! every command that writes something, must give the same bytes as when the manifests in
//! `tests/golden/` were written. It holds behaviour fixed while the code is reorganised.
//!
//! A manifest line is `case/file<TAB>bytes<TAB>FNV-1a 64 of the bytes`, where a file is an
//! output file, or `stdout`, `stderr` or `exit` of the command. Before hashing, the run's
//! temporary folder is replaced by `<tmp>` and the value after every `"seconds": ` (the
//! only clock readings) by `0`. The normalised outputs of the last run are kept under
//! `target/golden/` to diff against an older run's when a line differs.
//!
//! After a change that is meant to change outputs, write the manifests anew with
//! `ARBITER_BLESS=1 cargo test --release --test golden` and say why in the commit.

#[path = "common/plan.rs"]
mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use common::{arbiter, fixture, root};

/// One command, and the files it writes.
struct Case {
    name: String,
    args: Vec<String>,
    /// Pass `--out <tmp>/out` and collect every file written there.
    out: bool,
}

impl Case {
    fn new(name: &str, args: &[&str], out: bool) -> Case {
        Case {
            name: name.to_string(),
            args: args.iter().map(|a| a.to_string()).collect(),
            out,
        }
    }
}

fn fnv(bytes: &[u8]) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in bytes {
        hash ^= u64::from(b);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    hash
}

/// The clock readings blanked: the number after each `"seconds": `.
fn blank_seconds(text: &str) -> String {
    let key = "\"seconds\":";
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find(key) {
        out.push_str(&rest[..at + key.len()]);
        rest = &rest[at + key.len()..];
        let spaces = rest.len() - rest.trim_start_matches(' ').len();
        out.push_str(&rest[..spaces]);
        rest = &rest[spaces..];
        let number = rest
            .find(|c: char| !(c.is_ascii_digit() || matches!(c, '.' | '-' | '+' | 'e' | 'E')))
            .unwrap_or(rest.len());
        if number > 0 {
            out.push('0');
        }
        rest = &rest[number..];
    }
    out.push_str(rest);
    out
}

fn normalise(bytes: &[u8], tmp: &Path) -> Vec<u8> {
    match std::str::from_utf8(bytes) {
        Ok(text) => {
            let text = text.replace(&tmp.display().to_string(), "<tmp>");
            blank_seconds(&text).into_bytes()
        }
        // Spreadsheets: compared as written (their dates are fixed).
        Err(_) => bytes.to_vec(),
    }
}

/// Every file under `dir`, by path relative to it.
fn files_under(dir: &Path, prefix: &str, into: &mut BTreeMap<String, Vec<u8>>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut entries: Vec<_> = entries.flatten().collect();
    entries.sort_by_key(|e| e.file_name());
    for entry in entries {
        let name = format!("{prefix}{}", entry.file_name().to_string_lossy());
        let path = entry.path();
        if path.is_dir() {
            files_under(&path, &format!("{name}/"), into);
        } else {
            into.insert(name, std::fs::read(&path).expect("output file"));
        }
    }
}

/// Run every case; returns `case/file` → normalised bytes.
fn run_cases(cases: &[Case]) -> BTreeMap<String, Vec<u8>> {
    let mut outputs = BTreeMap::new();
    for case in cases {
        let tmp = tempfile::tempdir().expect("temp dir");
        let mut args: Vec<String> = case
            .args
            .iter()
            .map(|a| a.replace("<tmp>", &tmp.path().display().to_string()))
            .collect();
        let out = tmp.path().join("out");
        if case.out {
            args.push("--out".into());
            args.push(out.display().to_string());
        }
        let output = arbiter()
            .args(&args)
            .env("NO_COLOR", "1")
            .output()
            .expect("run arbiter");
        let mut files = BTreeMap::new();
        files.insert(
            "exit".to_string(),
            format!("{:?}\n", output.status.code()).into_bytes(),
        );
        files.insert("stdout".to_string(), output.stdout);
        files.insert("stderr".to_string(), output.stderr);
        let mut written = BTreeMap::new();
        files_under(tmp.path(), "", &mut written);
        files.extend(written);
        for (file, bytes) in files {
            outputs.insert(
                format!("{}/{file}", case.name),
                normalise(&bytes, tmp.path()),
            );
        }
    }
    outputs
}

fn manifest_text(outputs: &BTreeMap<String, Vec<u8>>) -> String {
    outputs
        .iter()
        .map(|(name, bytes)| format!("{name}\t{}\t{:016x}\n", bytes.len(), fnv(bytes)))
        .collect()
}

/// Compare `outputs` with `tests/golden/<set>.txt` (or write it, with ARBITER_BLESS=1).
fn compare(set: &str, outputs: &BTreeMap<String, Vec<u8>>) {
    let kept = root().join("target").join("golden").join(set);
    let _ = std::fs::remove_dir_all(&kept);
    for (name, bytes) in outputs {
        let path = kept.join(name);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).expect("target/golden");
        }
        std::fs::write(&path, bytes).expect("keep output");
    }
    let manifest = root()
        .join("tests")
        .join("golden")
        .join(format!("{set}.txt"));
    let actual = manifest_text(outputs);
    if std::env::var_os("ARBITER_BLESS").is_some() {
        std::fs::create_dir_all(manifest.parent().expect("parent")).expect("tests/golden");
        std::fs::write(&manifest, &actual).expect("write manifest");
        return;
    }
    let expected = std::fs::read_to_string(&manifest).unwrap_or_else(|e| {
        panic!(
            "cannot read {}: {e}; write it with ARBITER_BLESS=1",
            manifest.display()
        )
    });
    let want: BTreeMap<&str, &str> = expected
        .lines()
        .filter_map(|l| l.split_once('\t'))
        .collect();
    let got: BTreeMap<&str, &str> = actual.lines().filter_map(|l| l.split_once('\t')).collect();
    let mut differ = Vec::new();
    for (name, line) in &want {
        match got.get(name) {
            Some(other) if other == line => {}
            Some(_) => differ.push(format!("changed: {name}")),
            None => differ.push(format!("missing: {name}")),
        }
    }
    for name in got.keys().filter(|n| !want.contains_key(*n)) {
        differ.push(format!("new: {name}"));
    }
    assert!(
        differ.is_empty(),
        "{} output(s) of the golden set '{set}' differ from {} (this run's outputs are in {}):\n{}",
        differ.len(),
        manifest.display(),
        kept.display(),
        differ.join("\n")
    );
}

/// The workbooks under fixtures/ that plan (folders with a projects.csv, and spreadsheets),
/// relative to the repository root.
fn workbooks() -> Vec<String> {
    let mut found = Vec::new();
    fn walk(dir: &Path, found: &mut Vec<PathBuf>) {
        let mut entries: Vec<_> = std::fs::read_dir(dir)
            .expect("fixtures")
            .flatten()
            .collect();
        entries.sort_by_key(|e| e.file_name());
        for entry in entries {
            let path = entry.path();
            if path.is_dir() {
                if path.join("projects.csv").is_file() {
                    found.push(path.clone());
                }
                walk(&path, found);
            } else if matches!(
                path.extension().and_then(|e| e.to_str()),
                Some("xlsx" | "ods")
            ) {
                found.push(path);
            }
        }
    }
    let mut paths = Vec::new();
    walk(&fixture(""), &mut paths);
    for path in paths {
        let rel = path.strip_prefix(root()).expect("under the root");
        let rel = rel.display().to_string();
        // The invalid workbooks are validated, not planned (below); the exports and
        // imported workbooks of fixtures/import/ have their own golden test (tests/import.rs).
        if !rel.starts_with("fixtures/invalid/") && !rel.starts_with("fixtures/import/") {
            found.push(rel);
        }
    }
    found
}

fn case_name(workbook: &str) -> String {
    workbook.trim_start_matches("fixtures/").replace('/', "~")
}

#[test]
fn plan_and_validate_every_fixture() {
    let mut cases = Vec::new();
    for wb in workbooks() {
        let name = case_name(&wb);
        // The spreadsheet twin of the demo is ranked fast: its CSV twin is ranked exactly.
        let rank: &[&str] = if wb.ends_with("demo.xlsx") {
            &["--rank", "fast"]
        } else {
            &[]
        };
        let plan: Vec<&str> = ["plan", wb.as_str()]
            .into_iter()
            .chain(rank.iter().copied())
            .collect();
        cases.push(Case::new(&format!("plan~{name}"), &plan, true));
        cases.push(Case::new(
            &format!("validate~{name}"),
            &["validate", &wb],
            false,
        ));
    }
    cases.push(Case::new(
        "plan-json~demo",
        &[
            "plan",
            "fixtures/demo",
            "--format",
            "json",
            "--rank",
            "fast",
        ],
        true,
    ));
    cases.push(Case::new(
        "plan-xlsx~demo",
        &[
            "plan",
            "fixtures/demo",
            "--xlsx",
            "<tmp>/plan.xlsx",
            "--rank",
            "none",
        ],
        true,
    ));
    cases.push(Case::new(
        "plan-value-discount~demo",
        &[
            "plan",
            "fixtures/demo",
            "--objective",
            "value",
            "--discount",
            "0.05",
            "--format",
            "csv",
            "--rank",
            "fast",
        ],
        true,
    ));
    for (name, plan) in [("after", "plan.csv"), ("moved", "moved/plan.csv")] {
        cases.push(Case::new(
            &format!("plan-baseline~{name}"),
            &[
                "plan",
                &format!("fixtures/baseline/{name}"),
                "--baseline",
                &format!("fixtures/baseline/{plan}"),
            ],
            true,
        ));
    }
    compare("fixtures", &run_cases(&cases));
}

#[test]
fn validate_every_invalid_fixture() {
    let mut cases = Vec::new();
    let dir = fixture("invalid");
    let mut entries: Vec<_> = std::fs::read_dir(&dir)
        .expect("invalid")
        .flatten()
        .collect();
    entries.sort_by_key(|e| e.file_name());
    for entry in entries.into_iter().filter(|e| e.path().is_dir()) {
        let code = entry.file_name().to_string_lossy().to_string();
        let wb = format!("fixtures/invalid/{code}");
        let wb = if code == "E001" {
            format!("{wb}/missing")
        } else {
            wb
        };
        cases.push(Case::new(
            &format!("validate~{code}"),
            &["validate", &wb],
            false,
        ));
        cases.push(Case::new(
            &format!("plan~{code}"),
            &["plan", &wb, "--rank", "none"],
            true,
        ));
    }
    compare("invalid", &run_cases(&cases));
}

#[test]
fn analyses_of_the_fixtures() {
    let mut cases = Vec::new();
    for wb in [
        "fixtures/demo",
        "fixtures/demo-teams",
        "fixtures/scenarios",
        "fixtures/teams",
        "fixtures/reorg",
    ] {
        let name = case_name(wb);
        cases.push(Case::new(
            &format!("scenarios~{name}"),
            &["scenarios", wb, "--jobs", "2"],
            true,
        ));
    }
    cases.push(Case::new(
        "frontier~tiny~budget",
        &["frontier", "fixtures/tiny/budget", "--points", "4"],
        true,
    ));
    cases.push(Case::new(
        "frontier~demo",
        &["frontier", "fixtures/demo", "--points", "5"],
        true,
    ));
    cases.push(Case::new(
        "sensitivity~tiny~drivers",
        &["sensitivity", "fixtures/tiny/drivers"],
        true,
    ));
    cases.push(Case::new(
        "sensitivity~demo",
        &["sensitivity", "fixtures/demo"],
        true,
    ));
    cases.push(Case::new(
        "uncertainty~uncertainty",
        &[
            "uncertainty",
            "fixtures/uncertainty",
            "--samples",
            "200",
            "--seed",
            "7",
        ],
        true,
    ));
    cases.push(Case::new(
        "uncertainty~demo",
        &[
            "uncertainty",
            "fixtures/demo",
            "--samples",
            "10",
            "--seed",
            "3",
        ],
        true,
    ));
    cases.push(Case::new(
        "report~demo",
        &[
            "report",
            "fixtures/demo",
            "--html",
            "<tmp>/report.html",
            "--scenarios",
            "--frontier",
            "4",
            "--rank",
            "fast",
        ],
        false,
    ));
    cases.push(Case::new(
        "report~demo-teams",
        &[
            "report",
            "fixtures/demo-teams",
            "--html",
            "<tmp>/report.html",
            "--rank",
            "fast",
        ],
        false,
    ));
    cases.push(Case::new(
        "report~uncertainty",
        &[
            "report",
            "fixtures/uncertainty",
            "--html",
            "<tmp>/report.html",
            "--uncertainty",
            "50",
        ],
        false,
    ));
    cases.push(Case::new("init", &["init", "<tmp>/init"], false));
    compare("analyses", &run_cases(&cases));
}

/// The generator's seeds of the benchmark scripts and the README, written, validated and
/// encoded (the model's fingerprint: the planning benchmarks are time-limited, so their
/// portfolios depend on the clock, but not the model they solve); small seeds planned.
#[test]
fn generated_workbooks() {
    let big: &[(&str, &[&str])] = &[
        (
            "g500",
            &[
                "--seed",
                "500",
                "--projects",
                "500",
                "--periods",
                "12",
                "--pools",
                "20",
            ],
        ),
        (
            "g5000",
            &[
                "--seed",
                "5000",
                "--projects",
                "5000",
                "--periods",
                "12",
                "--pools",
                "20",
            ],
        ),
        (
            "g1",
            &[
                "--seed",
                "1",
                "--projects",
                "500",
                "--periods",
                "12",
                "--pools",
                "20",
            ],
        ),
        (
            "s200",
            &[
                "--seed",
                "2",
                "--projects",
                "100",
                "--periods",
                "3",
                "--pools",
                "1",
                "--scenarios",
                "200",
            ],
        ),
        (
            "t500",
            &[
                "--seed",
                "8",
                "--projects",
                "500",
                "--periods",
                "12",
                "--pools",
                "25",
                "--teams",
                "15",
            ],
        ),
    ];
    let small: &[(&str, &[&str])] = &[
        (
            "small11",
            &[
                "--seed",
                "11",
                "--projects",
                "24",
                "--periods",
                "6",
                "--pools",
                "3",
            ],
        ),
        (
            "small12",
            &[
                "--seed",
                "12",
                "--projects",
                "25",
                "--periods",
                "4",
                "--pools",
                "2",
                "--scenarios",
                "6",
            ],
        ),
        (
            "small13",
            &[
                "--seed",
                "13",
                "--projects",
                "12",
                "--periods",
                "4",
                "--pools",
                "3",
                "--teams",
                "2",
            ],
        ),
    ];
    let dir = tempfile::tempdir().expect("temp dir");
    let mut cases = Vec::new();
    let mut fingerprints = String::new();
    for (name, args) in big.iter().chain(small) {
        let wb = dir.path().join(name);
        let output = arbiter()
            .arg("generate")
            .args(*args)
            .arg("--out")
            .arg(&wb)
            .output()
            .expect("generate");
        assert!(output.status.success(), "generate {name} failed");
        let wb_text = wb.display().to_string();
        cases.push(Case::new(
            &format!("validate~{name}"),
            &["validate", &wb_text],
            false,
        ));
        let loaded = arbiter::read_workbook(&wb, &Default::default())
            .unwrap_or_else(|e| panic!("{name} does not load: {e}"));
        for (label, objective, discount) in [
            ("score", arbiter::Objective::Score, 0.0),
            ("value-discount", arbiter::Objective::Value, 0.03),
        ] {
            let options = arbiter::SolveOptions {
                objective,
                discount,
                ..Default::default()
            };
            fingerprints.push_str(&format!(
                "{name} {label}: {}\n",
                arbiter::solve::model_fingerprint(&loaded.workbook, &options)
            ));
        }
    }
    for (name, _) in small {
        let wb = dir.path().join(name).display().to_string();
        cases.push(Case::new(&format!("plan~{name}"), &["plan", &wb], true));
        if *name == "small12" {
            cases.push(Case::new(
                &format!("scenarios~{name}"),
                &["scenarios", &wb, "--jobs", "2"],
                true,
            ));
        }
    }
    let mut outputs = run_cases(&cases);
    let mut written = BTreeMap::new();
    files_under(dir.path(), "", &mut written);
    for (file, bytes) in written {
        outputs.insert(format!("generate~{file}"), bytes);
    }
    // The temp folder's path appears in validate's messages: blank it.
    let tmp = dir.path().display().to_string();
    for bytes in outputs.values_mut() {
        if let Ok(text) = std::str::from_utf8(bytes) {
            *bytes = text.replace(&tmp, "<gen>").into_bytes();
        }
    }
    outputs.insert("model-fingerprints".into(), fingerprints.into_bytes());
    compare("generated", &outputs);
}
