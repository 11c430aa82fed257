//! A workbook given as one spreadsheet plans exactly like its CSV twin; its problems name
//! the sheet, row and cell; `plan --xlsx` and `scenarios --xlsx` write one formatted
//! spreadsheet, the same bytes for the same input.

use std::path::Path;

use rust_xlsxwriter::{Formula, Workbook};
use serde_json::Value;
use tempfile::TempDir;

#[path = "common/plan.rs"]
mod common;

use common::{arbiter, fixture};

/// `arbiter plan WORKBOOK --out DIR extra…`, which must succeed.
fn plan(workbook: &Path, out: &Path, extra: &[&str]) {
    let output = arbiter()
        .arg("plan")
        .arg(workbook)
        .arg("--out")
        .arg(out)
        .args(extra)
        .output()
        .expect("runs");
    assert!(
        output.status.success(),
        "plan {} failed:\n{}",
        workbook.display(),
        String::from_utf8_lossy(&output.stderr)
    );
}

/// summary.json without the wall-clock seconds.
fn summary(out: &Path) -> Value {
    let text = std::fs::read_to_string(out.join("summary.json")).expect("summary.json");
    let mut json: Value = serde_json::from_str(&text).expect("JSON");
    json["seconds"] = Value::Null;
    json
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The spreadsheet plans exactly like the folder: same summary.json (but the seconds), same
/// portfolio.csv, allocation, utilisation and spend.
fn assert_twins(folder: &Path, spreadsheet: &Path, extra: &[&str]) {
    let tmp = TempDir::new().expect("temp dir");
    let (a, b) = (tmp.path().join("csv"), tmp.path().join("xlsx"));
    plan(folder, &a, extra);
    plan(spreadsheet, &b, extra);
    assert_eq!(summary(&a), summary(&b));
    for file in [
        "portfolio.csv",
        "allocation.csv",
        "utilisation.csv",
        "spend.csv",
    ] {
        assert_eq!(read(&a.join(file)), read(&b.join(file)), "{file} differs");
    }
}

#[test]
fn demo_xlsx_plans_like_the_demo_folder() {
    assert_twins(
        &fixture("demo"),
        &fixture("xlsx/demo.xlsx"),
        &["--rank", "exact", "--jobs", "2"],
    );
}

#[test]
fn typed_cells_read_like_their_csv_twin() {
    // Dates, formulas with cached results, a number typed as text, tables from B2.
    assert_twins(&fixture("xlsx/typed"), &fixture("xlsx/typed.xlsx"), &[]);
    let out = arbiter()
        .arg("validate")
        .arg(fixture("xlsx/typed.xlsx"))
        .output()
        .expect("runs");
    assert!(out.status.success());
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "0 error(s), 0 warning(s)\n"
    );
}

#[test]
fn an_ods_spreadsheet_reads_like_its_csv_twin() {
    // LibreOffice's format: date cells, formulas with cached values, a value typed as text
    // (scripts/make-ods-fixture.py).
    assert_twins(&fixture("xlsx/typed"), &fixture("xlsx/typed.ods"), &[]);
}

#[test]
fn every_command_takes_the_spreadsheet() {
    let tmp = TempDir::new().expect("temp dir");
    let xlsx = fixture("xlsx/demo.xlsx");
    for args in [
        vec!["sensitivity"],
        vec!["frontier", "--points", "3"],
        vec!["uncertainty", "--samples", "5"],
        vec!["scenarios", "--jobs", "2"],
    ] {
        let out = tmp.path().join(args[0]);
        let output = arbiter()
            .arg(args[0])
            .arg(&xlsx)
            .args(&args[1..])
            .arg("--out")
            .arg(&out)
            .output()
            .expect("runs");
        assert!(
            output.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&output.stderr)
        );
    }
    // scenarios read the scenarios sheet: base and the demo's six.
    let table = read(&tmp.path().join("scenarios/scenarios.csv"));
    assert_eq!(table.lines().count(), 1 + 6, "{table}");
}

/// A spreadsheet with the given sheets (name, rows of cells; a cell starting with `=` is a
/// formula whose cached result follows `|`).
fn spreadsheet(path: &Path, sheets: &[(&str, &[&[&str]])]) {
    let mut book = Workbook::new();
    for (name, rows) in sheets {
        let sheet = book.add_worksheet();
        sheet.set_name(*name).expect("name");
        for (r, row) in rows.iter().enumerate() {
            for (c, cell) in row.iter().enumerate() {
                let (r, c) = (r as u32, c as u16);
                if let Some((formula, result)) = cell.split_once('|') {
                    sheet
                        .write_formula(r, c, Formula::new(formula).set_result(result))
                        .expect("formula");
                } else if let Ok(x) = cell.parse::<f64>() {
                    sheet.write_number(r, c, x).expect("number");
                } else if !cell.is_empty() {
                    sheet.write_string(r, c, *cell).expect("text");
                }
            }
        }
    }
    book.save(path).expect("saves");
}

#[test]
fn problems_name_the_sheet_row_and_cell() {
    let tmp = TempDir::new().expect("temp dir");
    let path = tmp.path().join("workbook.xlsx");
    spreadsheet(
        &path,
        &[
            ("about", &[&["notes are ignored"]]),
            (
                "Projects",
                &[
                    &["id", "name", "cost", "earliest_start"],
                    &["P-1", "One", "100", ""],
                    &["P-2", "Two", "abc", ""],
                    &["P-3", "Three", "=1/0|#DIV/0!", "2031-Q1"],
                ],
            ),
            ("budget", &[&["period", "amount"], &["2027-Q1", "500"]]),
        ],
    );
    let output = arbiter().arg("validate").arg(&path).output().expect("runs");
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    let shown = path.display().to_string();
    for expected in [
        format!("error[E010]: {shown} sheet Projects row 3, column 'cost' (C3): project P-2 has cost 'abc', which is not a number"),
        format!("error[E004]: {shown} sheet Projects row 4, column 'cost' (C4): sheet Projects has the error value #DIV/0! in this cell"),
        format!("error[E016]: {shown} sheet Projects row 4, column 'earliest_start' (D4): project P-3 has earliest_start '2031-Q1'"),
    ] {
        assert!(stderr.contains(&expected), "missing\n{expected}\nin\n{stderr}");
    }
    // --json carries the sheet and the cell.
    let output = arbiter()
        .args(["validate", "--json"])
        .arg(&path)
        .output()
        .expect("runs");
    let list: Value = serde_json::from_slice(&output.stdout).expect("JSON");
    let first = &list[0];
    assert_eq!(first["sheet"], "Projects");
    assert_eq!(first["cell"], "C3");
    assert_eq!(first["line"], 3);
}

#[test]
fn a_missing_sheet_and_a_missing_file_are_clear() {
    let tmp = TempDir::new().expect("temp dir");
    let path = tmp.path().join("wb.xlsx");
    spreadsheet(&path, &[("budget", &[&["period", "amount"], &["Q1", "5"]])]);
    let output = arbiter().arg("validate").arg(&path).output().expect("runs");
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("error[E002]: ") && stderr.contains("has no sheet projects"),
        "{stderr}"
    );

    let output = arbiter()
        .arg("plan")
        .arg(tmp.path().join("missing.xlsx"))
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("no such spreadsheet file"));

    let broken = tmp.path().join("broken.xlsx");
    std::fs::write(&broken, "not a zip").expect("writes");
    let output = arbiter()
        .arg("validate")
        .arg(&broken)
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&output.stderr).contains("cannot be read"));
}

#[test]
fn plan_xlsx_writes_formatted_sheets_with_the_same_bytes_each_time() {
    let tmp = TempDir::new().expect("temp dir");
    let (a, b) = (tmp.path().join("a.xlsx"), tmp.path().join("b.xlsx"));
    for (dir, file) in [("out-a", &a), ("out-b", &b)] {
        plan(
            &fixture("demo"),
            &tmp.path().join(dir),
            &["--rank", "none", "--xlsx", file.to_str().expect("utf-8")],
        );
    }
    let bytes = std::fs::read(&a).expect("a.xlsx");
    assert_eq!(
        bytes,
        std::fs::read(&b).expect("b.xlsx"),
        "not deterministic"
    );
    // Read back: the sheets and the cells of portfolio.csv.
    use calamine::Reader;
    let mut book = calamine::open_workbook_auto(&a).expect("opens");
    assert_eq!(
        book.sheet_names(),
        ["portfolio", "allocation", "utilisation", "spend"]
    );
    let range = book.worksheet_range("portfolio").expect("portfolio");
    let csv = read(&tmp.path().join("out-a/portfolio.csv"));
    assert_eq!(range.height(), csv.lines().count());
    assert_eq!(
        range.get((1, 1)).map(|c| c.to_string()),
        Some(
            csv.lines()
                .nth(1)
                .unwrap()
                .split(',')
                .nth(1)
                .unwrap()
                .into()
        )
    );
    // Numbers are numbers (rank), text is text.
    assert!(matches!(range.get((1, 0)), Some(calamine::Data::Float(_))));
}

#[test]
fn scenarios_xlsx_adds_the_comparison() {
    let tmp = TempDir::new().expect("temp dir");
    let file = tmp.path().join("s.xlsx");
    let output = arbiter()
        .arg("scenarios")
        .arg(fixture("scenarios"))
        .arg("--out")
        .arg(tmp.path().join("out"))
        .arg("--xlsx")
        .arg(&file)
        .output()
        .expect("runs");
    assert!(output.status.success());
    use calamine::Reader;
    let book = calamine::open_workbook_auto(&file).expect("opens");
    assert_eq!(
        book.sheet_names(),
        [
            "scenarios",
            "comparison",
            "portfolio",
            "allocation",
            "utilisation",
            "spend"
        ]
    );
    // --xlsx with --shard is a usage error.
    let output = arbiter()
        .arg("scenarios")
        .arg(fixture("scenarios"))
        .args(["--shard", "1/2", "--xlsx"])
        .arg(&file)
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(2));
}
