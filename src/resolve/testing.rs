//! What the tests of resolution share: a workbook written to a temporary folder, then read
//! by [`crate::io`] and resolved, as [`crate::load`] does (which sits above this module, so
//! its tests cannot call it).

use std::path::Path;

use tempfile::TempDir;

use super::Loaded;
use crate::diag::{Diagnostic, Diags};
use crate::error::{Error, Result};
use crate::io::ReadOptions;

/// A budget of 100 in each of three quarters: a horizon for tests about something else.
pub(crate) const BUDGET: &str = "period,amount\n2025-Q1,100\n2025-Q2,100\n2025-Q3,100\n";

/// A workbook folder holding `files`.
pub(crate) fn folder(files: &[(&str, &str)]) -> TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    for (name, text) in files {
        std::fs::write(dir.path().join(name), text).expect("write fixture");
    }
    dir
}

/// Read and resolve the workbook in `dir`, recording every problem in `diags`.
fn load(
    dir: &Path,
    options: &ReadOptions,
    diags: &mut Diags,
) -> Option<(crate::model::Workbook, Vec<crate::model::Scenario>)> {
    let raw = crate::io::read(dir, options, diags)?;
    super::workbook(raw, diags)
}

/// The workbook in `dir`, as `load::read_workbook` gives it.
pub(crate) fn read_dir(dir: &Path, options: &ReadOptions) -> Result<Loaded> {
    let mut diags = Diags::new();
    let built = load(dir, options, &mut diags);
    Loaded::outcome(dir, built, diags)
}

/// The workbook of `files`, as `load::read_workbook` gives it.
pub(crate) fn read(files: &[(&str, &str)]) -> Result<Loaded> {
    let dir = folder(files);
    read_dir(dir.path(), &ReadOptions::default())
}

/// Every problem of the workbook of `files`, as `load::validate` lists them.
pub(crate) fn diagnostics(files: &[(&str, &str)]) -> Vec<Diagnostic> {
    let dir = folder(files);
    let mut diags = Diags::new();
    let _ = load(dir.path(), &ReadOptions::default(), &mut diags);
    diags.into_sorted()
}

/// The workbook of `files`; the test fails, listing the problems, when it is invalid.
pub(crate) fn loaded(files: &[(&str, &str)]) -> Loaded {
    match read(files) {
        Ok(loaded) => loaded,
        Err(Error::Invalid(list)) => {
            let text: Vec<String> = list.iter().map(ToString::to_string).collect();
            panic!("workbook invalid:\n{}", text.join("\n"))
        }
        Err(err) => panic!("{err}"),
    }
}

/// The codes of `list`, in order.
pub(crate) fn codes_of(list: &[Diagnostic]) -> Vec<&'static str> {
    list.iter().map(|d| d.code).collect()
}
