//! What every fuzz target shares: a private copy of a fixture workbook, made once per
//! process, in which the target replaces one file with the fuzzer's bytes, validates the
//! workbook (the readers must never panic), then puts the file back.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use arbiter::load::{validate, ReadOptions};

/// A copy of `fixtures/<name>` in a fresh temporary folder, made once per process.
pub fn workbook(name: &str) -> &'static Path {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let source = Path::new(env!("CARGO_MANIFEST_DIR")).join("../fixtures").join(name);
        let dir = std::env::temp_dir().join(format!("arbiter-fuzz-{}-{}", name.replace('/', "_"), std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("fuzz workdir");
        for entry in std::fs::read_dir(&source).expect("fixture").flatten() {
            if entry.path().is_file() {
                std::fs::copy(entry.path(), dir.join(entry.file_name())).expect("copy fixture");
            }
        }
        dir
    })
}

/// Validate `dir` with `file` replaced by `bytes`, then restore the file.
pub fn validate_with(dir: &Path, file: &str, bytes: &[u8]) {
    let path = dir.join(file);
    let original = std::fs::read(&path).ok();
    std::fs::write(&path, bytes).expect("write fuzz input");
    let _ = validate(dir, &ReadOptions::default());
    let _ = validate(dir, &ReadOptions { strict: true });
    match original {
        Some(b) => std::fs::write(&path, b).expect("restore"),
        None => {
            let _ = std::fs::remove_file(&path);
        }
    }
}
