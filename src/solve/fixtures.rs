//! The workbooks of `fixtures/` for the solver's unit tests.

use std::path::Path;

use crate::io::ReadOptions;
use crate::load::read_workbook;
use crate::model::Workbook;

/// The workbook in `fixtures/<name>`; a test fails when it does not load.
pub(crate) fn fixture(name: &str) -> Workbook {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures")
        .join(name);
    match read_workbook(&path, &ReadOptions::default()) {
        Ok(loaded) => loaded.workbook,
        Err(err) => panic!("{name}: {err}"),
    }
}

/// The names of the workbooks of `fixtures/tiny`, sorted, feasible or not.
pub(crate) fn tiny_fixtures() -> Vec<String> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/tiny");
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.join("projects.csv").is_file())
        .map(|path| path.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}
