//! Running `arbiter plan` from a CLI test and reading what it wrote: one [`Run`] per plan,
//! its outputs in a temporary folder that lives as long as the run.

#![allow(dead_code)]

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use serde_json::Value;
use tempfile::TempDir;

/// The binary, run from the repository root.
pub fn arbiter() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_arbiter"));
    cmd.current_dir(env!("CARGO_MANIFEST_DIR"));
    cmd.env_remove("RUST_LOG");
    cmd
}

pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub fn fixture(name: &str) -> PathBuf {
    root().join("fixtures").join(name)
}

/// One finished run of `arbiter plan`.
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
    /// The temp dir holding `out/`; kept alive as long as the run.
    pub dir: TempDir,
}

impl Run {
    pub fn out(&self) -> PathBuf {
        self.dir.path().join("out")
    }

    pub fn summary(&self) -> Value {
        let text = self.file("summary.json");
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("summary.json is not JSON: {e}"))
    }

    /// An output file's text.
    pub fn file(&self, name: &str) -> String {
        let path = self.out().join(name);
        std::fs::read_to_string(&path)
            .unwrap_or_else(|e| panic!("cannot read {}: {e}\n{}", path.display(), self.context()))
    }

    /// portfolio.csv as rows of cells, the header first.
    pub fn portfolio(&self) -> Vec<Vec<String>> {
        let mut reader = csv::Reader::from_path(self.out().join("portfolio.csv"))
            .unwrap_or_else(|e| panic!("no portfolio.csv: {e}\n{}", self.context()));
        let header: Vec<String> = reader
            .headers()
            .expect("header")
            .iter()
            .map(str::to_string)
            .collect();
        std::iter::once(header)
            .chain(
                reader
                    .records()
                    .map(|r| r.expect("record").iter().map(str::to_string).collect()),
            )
            .collect()
    }

    pub fn context(&self) -> String {
        format!(
            "exit code {}\nstdout:\n{}\nstderr:\n{}",
            self.code, self.stdout, self.stderr
        )
    }
}

/// One finished run of any arbiter command: its exit code and what it printed.
pub struct Output {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Output {
    /// Run `cmd` to its end.
    pub fn of(cmd: &mut Command) -> Output {
        let output = cmd.output().expect("run arbiter");
        Output {
            code: output.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        }
    }

    pub fn context(&self) -> String {
        format!(
            "exit code {}\nstdout:\n{}\nstderr:\n{}",
            self.code, self.stdout, self.stderr
        )
    }
}

/// `arbiter plan <workbook> --out <tmp>/out <extra…>`.
pub fn plan(workbook: &Path, extra: &[&str]) -> Run {
    let dir = TempDir::new().expect("temp dir");
    let Output {
        code,
        stdout,
        stderr,
    } = Output::of(
        arbiter()
            .arg("plan")
            .arg(workbook)
            .arg("--out")
            .arg(dir.path().join("out"))
            .args(extra),
    );
    Run {
        code,
        stdout,
        stderr,
        dir,
    }
}

/// `(id, start period)` of the selected projects in summary.json, sorted by id.
pub fn selected(summary: &Value) -> Vec<(String, String)> {
    let mut list: Vec<(String, String)> = summary["selected"]
        .as_array()
        .unwrap_or_else(|| panic!("summary.json has no 'selected' array: {summary}"))
        .iter()
        .map(|s| {
            (
                s["id"].as_str().unwrap_or_default().to_string(),
                s["start"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect();
    list.sort();
    list
}
