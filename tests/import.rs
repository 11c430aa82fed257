//! `arbiter import`: each profile's sample export (fixtures/import/<profile>/) must become
//! the workbook beside it byte for byte (`expected/`, and what was said on stderr in
//! `stderr.txt`), that workbook must plan to the portfolio checked by hand in the
//! fixture's README, a mapping file printed by `--print-profile` must give the same bytes,
//! and every kind of bad input must be an error naming row, column, value and fix, with
//! exit 1 and nothing written.
//!
//! After a change meant to change the imported workbooks, write them anew with
//! `ARBITER_BLESS=1 cargo test --release --test import` and say why in the commit.

#[path = "common/plan.rs"]
mod common;

use std::collections::BTreeMap;
use std::path::Path;

use common::{arbiter, fixture};

/// A profile's sample: its export and the options it is imported with.
struct Sample {
    profile: &'static str,
    export: &'static str,
    args: &'static [&'static str],
    /// The portfolio `plan` selects on the imported workbook, checked by hand (README.md).
    selected: &'static [&'static str],
}

const SAMPLES: [Sample; 3] = [
    Sample {
        profile: "ms-project",
        export: "tasks.csv",
        args: &[
            "--resources",
            "fixtures/import/ms-project/resources.csv",
            "--budget",
            "1000000",
        ],
        selected: &["2", "3", "8", "4", "13", "12", "7"],
    },
    Sample {
        profile: "jira",
        export: "issues.csv",
        args: &["--budget", "400000"],
        selected: &[
            "PORT-6", "PORT-3", "PORT-4", "PORT-11", "PORT-13", "PORT-12", "PORT-10",
        ],
    },
    Sample {
        profile: "excel-fr",
        export: "portefeuille.csv",
        args: &["--budget", "1500000"],
        selected: &["P01", "P02", "P03", "P09", "P07", "P04"],
    },
];

fn files_in(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut out = BTreeMap::new();
    if let Ok(entries) = std::fs::read_dir(dir) {
        for entry in entries.flatten() {
            let name = entry.file_name().to_string_lossy().to_string();
            out.insert(name, std::fs::read(entry.path()).expect("read"));
        }
    }
    out
}

struct Imported {
    code: i32,
    stderr: String,
    files: BTreeMap<String, Vec<u8>>,
    _dir: tempfile::TempDir,
}

/// Run `arbiter import` with `args` and `--out <tmp>/wb`.
fn import(args: &[&str]) -> Imported {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join("wb");
    let output = arbiter()
        .arg("import")
        .args(args)
        .arg("--out")
        .arg(&out)
        .output()
        .expect("runs");
    Imported {
        code: output.status.code().unwrap_or(-1),
        stderr: String::from_utf8_lossy(&output.stderr)
            .replace(&out.display().to_string(), "<out>"),
        files: files_in(&out),
        _dir: dir,
    }
}

fn sample_args(sample: &Sample, mapping: Option<&Path>) -> Vec<String> {
    let mut args = vec![format!(
        "fixtures/import/{}/{}",
        sample.profile, sample.export
    )];
    match mapping {
        Some(file) => args.extend(["--mapping".to_string(), file.display().to_string()]),
        None => args.extend(["--profile".to_string(), sample.profile.to_string()]),
    }
    args.extend(sample.args.iter().map(|a| a.to_string()));
    args
}

fn bless() -> bool {
    std::env::var_os("ARBITER_BLESS").is_some()
}

#[test]
fn every_profile_imports_its_sample_to_the_expected_workbook() {
    for sample in &SAMPLES {
        let args = sample_args(sample, None);
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let run = import(&args);
        assert_eq!(run.code, 0, "{}: {}", sample.profile, run.stderr);
        assert!(
            !run.stderr.contains("error"),
            "{}: {}",
            sample.profile,
            run.stderr
        );
        let expected_dir = fixture("import").join(sample.profile).join("expected");
        let stderr_file = fixture("import").join(sample.profile).join("stderr.txt");
        if bless() {
            let _ = std::fs::remove_dir_all(&expected_dir);
            std::fs::create_dir_all(&expected_dir).expect("mkdir");
            for (name, bytes) in &run.files {
                std::fs::write(expected_dir.join(name), bytes).expect("write");
            }
            std::fs::write(&stderr_file, &run.stderr).expect("write");
            continue;
        }
        let expected = files_in(&expected_dir);
        assert_eq!(
            run.files.keys().collect::<Vec<_>>(),
            expected.keys().collect::<Vec<_>>(),
            "{}: the files written",
            sample.profile
        );
        for (name, bytes) in &expected {
            assert_eq!(
                String::from_utf8_lossy(&run.files[name]),
                String::from_utf8_lossy(bytes),
                "{}: {name} differs from {} (re-bless with ARBITER_BLESS=1 if meant)",
                sample.profile,
                expected_dir.display()
            );
        }
        let said = std::fs::read_to_string(&stderr_file).expect("stderr.txt");
        assert_eq!(
            run.stderr, said,
            "{}: stderr differs from stderr.txt",
            sample.profile
        );
    }
}

#[test]
fn a_printed_profile_as_mapping_file_gives_the_same_bytes() {
    for sample in &SAMPLES {
        let printed = arbiter()
            .args(["import", "--print-profile", sample.profile])
            .output()
            .expect("runs");
        assert!(printed.status.success());
        let dir = tempfile::tempdir().expect("temp dir");
        let file = dir.path().join("my.toml");
        std::fs::write(&file, &printed.stdout).expect("write");
        let by_profile = sample_args(sample, None);
        let by_file = sample_args(sample, Some(&file));
        let a = import(&by_profile.iter().map(String::as_str).collect::<Vec<_>>());
        let b = import(&by_file.iter().map(String::as_str).collect::<Vec<_>>());
        assert_eq!(a.code, 0, "{}", a.stderr);
        assert_eq!(a.files, b.files, "{}", sample.profile);
        assert!(!a.files.is_empty());
    }
}

#[test]
fn plan_runs_on_every_imported_sample_and_selects_what_the_readme_says() {
    for sample in &SAMPLES {
        let workbook = fixture("import").join(sample.profile).join("expected");
        let run = common::plan(&workbook, &[]);
        assert_eq!(run.code, 0, "{}: {}", sample.profile, run.stderr);
        let selected: Vec<String> = run
            .portfolio()
            .iter()
            .skip(1)
            .filter(|row| row[3] == "true")
            .map(|row| row[1].clone())
            .collect();
        assert_eq!(selected, sample.selected, "{}", sample.profile);
    }
}
