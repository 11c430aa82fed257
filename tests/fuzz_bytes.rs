//! A little fuzzing in every `cargo test`, on the stable toolchain: proptest mutates the
//! bytes of fixture files (flips, inserts, deletes, truncations, repeated chunks) and the
//! readers must never panic — every input gives a workbook or diagnostics. The CSV
//! workbook reader (each contract file), scenarios.csv, pairwise.csv and the spreadsheet
//! reader (.xlsx, .ods) are covered. The cargo-fuzz targets of `fuzz/` (scripts/fuzz.sh)
//! search the same inputs much longer.
//!
//! Cases per test: `PROPTEST_CASES` (default 64 here, so that the suite stays quick).

use std::path::{Path, PathBuf};

use arbiter::load::{validate, ReadOptions};
use proptest::prelude::*;
use tempfile::TempDir;

fn fixture(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures")
        .join(rel)
}

/// One edit of a byte string.
#[derive(Debug, Clone)]
enum Edit {
    Flip(usize, u8),
    Insert(usize, Vec<u8>),
    Delete(usize, usize),
    Truncate(usize),
    Repeat(usize, usize, usize),
}

fn edit() -> impl Strategy<Value = Edit> {
    // Bytes that matter to the readers: delimiters, quotes, line ends, digits, signs, and
    // a few that break UTF-8 or XML.
    let special = prop::sample::select(vec![
        b',', b';', b'\t', b'"', b'\n', b'\r', b'0', b'9', b'-', b'.', b'e', b'<', b'>', b'=',
        0xff, 0xc3, 0x00, b' ', b'&',
    ]);
    prop_oneof![
        (any::<usize>(), prop_oneof![special.clone(), any::<u8>()])
            .prop_map(|(i, b)| Edit::Flip(i, b)),
        (any::<usize>(), prop::collection::vec(special, 1..8))
            .prop_map(|(i, b)| Edit::Insert(i, b)),
        (any::<usize>(), 1usize..64).prop_map(|(i, n)| Edit::Delete(i, n)),
        any::<usize>().prop_map(Edit::Truncate),
        (any::<usize>(), 1usize..64, 1usize..50).prop_map(|(i, n, k)| Edit::Repeat(i, n, k)),
    ]
}

fn apply(bytes: &mut Vec<u8>, edits: &[Edit]) {
    for e in edits {
        let len = bytes.len().max(1);
        match e {
            Edit::Flip(i, b) => {
                if !bytes.is_empty() {
                    let i = i % bytes.len();
                    bytes[i] = *b;
                }
            }
            Edit::Insert(i, b) => {
                let i = i % (bytes.len() + 1);
                bytes.splice(i..i, b.iter().copied());
            }
            Edit::Delete(i, n) => {
                let i = i % len;
                let end = (i + n).min(bytes.len());
                if i < end {
                    bytes.drain(i..end);
                }
            }
            Edit::Truncate(i) => bytes.truncate(i % len),
            Edit::Repeat(i, n, k) => {
                let i = i % len;
                let end = (i + n).min(bytes.len());
                if i < end {
                    let chunk = bytes[i..end].to_vec();
                    for _ in 0..*k {
                        bytes.splice(end..end, chunk.iter().copied());
                    }
                }
            }
        }
    }
}

/// A copy of the workbook folder `base` with `file` replaced by `bytes`.
fn folder_with(base: &Path, file: &str, bytes: &[u8]) -> TempDir {
    let dir = TempDir::new().unwrap();
    for entry in std::fs::read_dir(base).unwrap().flatten() {
        if entry.path().is_file() {
            std::fs::copy(entry.path(), dir.path().join(entry.file_name())).unwrap();
        }
    }
    std::fs::write(dir.path().join(file), bytes).unwrap();
    dir
}

fn config() -> ProptestConfig {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(64);
    ProptestConfig {
        cases,
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

/// The contract files of the demo workbook, and two workbooks for pairwise.csv and a
/// bigger scenarios.csv.
const CSV_CASES: [(&str, &str); 9] = [
    ("demo", "projects.csv"),
    ("demo", "budget.csv"),
    ("demo", "capacity.csv"),
    ("demo", "demand.csv"),
    ("demo", "costs.csv"),
    ("demo", "drivers.csv"),
    ("demo", "balance.csv"),
    ("demo", "scenarios.csv"),
    ("invalid/E027", "pairwise.csv"),
];

proptest! {
    #![proptest_config(config())]

    #[test]
    fn mutated_csv_files_never_panic(
        which in 0..CSV_CASES.len(),
        edits in prop::collection::vec(edit(), 1..6),
    ) {
        let (folder, file) = CSV_CASES[which];
        let base = fixture(folder);
        let mut bytes = std::fs::read(base.join(file)).unwrap();
        apply(&mut bytes, &edits);
        let dir = folder_with(&base, file, &bytes);
        let _ = validate(dir.path(), &ReadOptions::default());
    }

    #[test]
    fn mutated_spreadsheets_never_panic(
        which in 0..3usize,
        edits in prop::collection::vec(edit(), 1..4),
    ) {
        let (file, ext) = [
            ("xlsx/demo.xlsx", "xlsx"),
            ("xlsx/typed.xlsx", "xlsx"),
            ("xlsx/typed.ods", "ods"),
        ][which];
        let mut bytes = std::fs::read(fixture(file)).unwrap();
        apply(&mut bytes, &edits);
        let dir = TempDir::new().unwrap();
        let path = dir.path().join(format!("wb.{ext}"));
        std::fs::write(&path, &bytes).unwrap();
        let _ = validate(&path, &ReadOptions::default());
    }

    /// Mutations inside the zip: the sheets' XML itself, rezipped, so that calamine's XML
    /// parsing (not only its zip reader) is exercised.
    #[test]
    fn mutated_sheet_xml_never_panics(
        which in 0..2usize,
        part in any::<usize>(),
        edits in prop::collection::vec(edit(), 1..4),
    ) {
        let (file, ext) = [("xlsx/typed.xlsx", "xlsx"), ("xlsx/typed.ods", "ods")][which];
        let source = std::fs::File::open(fixture(file)).unwrap();
        let mut zip = zip::ZipArchive::new(source).unwrap();
        let dir = TempDir::new().unwrap();
        let path = dir.path().join(format!("wb.{ext}"));
        let mut out = zip::ZipWriter::new(std::fs::File::create(&path).unwrap());
        let xml: Vec<usize> = (0..zip.len())
            .filter(|&i| zip.by_index(i).is_ok_and(|e| e.name().is_ok_and(|n| n.ends_with(".xml"))))
            .collect();
        let target = xml[part % xml.len()];
        for i in 0..zip.len() {
            let mut entry = zip.by_index(i).unwrap();
            let name = entry.name().unwrap().to_string();
            let mut bytes = Vec::new();
            std::io::Read::read_to_end(&mut entry, &mut bytes).unwrap();
            if i == target {
                apply(&mut bytes, &edits);
            }
            out.start_file(name.as_str(), zip::write::SimpleFileOptions::default()).unwrap();
            std::io::Write::write_all(&mut out, &bytes).unwrap();
        }
        out.finish().unwrap();
        let _ = validate(&path, &ReadOptions::default());
    }
}
