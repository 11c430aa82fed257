//! The spreadsheet reader: the first byte's low bit says .xlsx or .ods, the rest is the
//! file (zip container, XML, shared strings: calamine and arbiter's pre-scan).
#![no_main]

use std::path::PathBuf;
use std::sync::OnceLock;

use arbiter::load::{validate, ReadOptions};
use libfuzzer_sys::fuzz_target;

fn dir() -> &'static PathBuf {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let dir = std::env::temp_dir().join(format!("arbiter-fuzz-sheets-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("fuzz workdir");
        dir
    })
}

fuzz_target!(|data: &[u8]| {
    let Some((&pick, rest)) = data.split_first() else {
        return;
    };
    let ext = if pick & 1 == 0 { "xlsx" } else { "ods" };
    let path = dir().join(format!("wb.{ext}"));
    std::fs::write(&path, rest).expect("write fuzz input");
    let _ = validate(&path, &ReadOptions::default());
});
