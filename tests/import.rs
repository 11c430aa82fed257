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

const SAMPLES: [Sample; 5] = [
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
    Sample {
        profile: "smartsheet",
        export: "sheet.csv",
        args: &["--budget", "500000"],
        selected: &["R2", "R6", "R10", "R3", "R4"],
    },
    Sample {
        profile: "monday",
        export: "board.csv",
        args: &["--budget", "400000"],
        selected: &["1004", "1002", "1001", "1005", "1003"],
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

/// Import `csv` (written to a temporary file) with `profile` into a folder that holds an
/// older workbook; the import must fail with exit 1, leave that folder as it was, and say
/// each of `said` on stderr.
fn fails(profile: &str, csv: &str, extra: &[&str], said: &[&str]) {
    let dir = tempfile::tempdir().expect("temp dir");
    let export = dir.path().join("export.csv");
    std::fs::write(&export, csv).expect("write");
    let out = dir.path().join("wb");
    std::fs::create_dir_all(&out).expect("mkdir");
    std::fs::write(out.join("projects.csv"), "id,cost\nOLD,1\n").expect("write");
    let output = arbiter()
        .arg("import")
        .arg(&export)
        .args(["--profile", profile])
        .args(extra)
        .arg("--out")
        .arg(&out)
        .output()
        .expect("runs");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    for text in said {
        assert!(stderr.contains(text), "'{text}' not in:\n{stderr}");
    }
    assert!(stderr.contains("nothing written"), "{stderr}");
    assert_eq!(
        files_in(&out).keys().collect::<Vec<_>>(),
        ["projects.csv"],
        "the old workbook must stay"
    );
    assert_eq!(
        std::fs::read_to_string(out.join("projects.csv")).expect("read"),
        "id,cost\nOLD,1\n"
    );
}

const MSP_HEADER: &str = "ID,Outline_Level,Name,Duration,Start,Finish,Predecessors,Cost,Priority\n";

#[test]
fn an_unmapped_required_column_is_an_error_naming_it_and_the_fix() {
    fails(
        "jira",
        "Summary,Issue key,Issue Type,Status\nCRM,PORT-1,Story,To Do\n",
        &[],
        &[
            "row 1, column 'cost'",
            "required field 'cost'",
            "'Custom field (Cost)'",
            "--print-profile jira",
        ],
    );
}

#[test]
fn an_unparsable_date_duration_or_amount_names_row_column_and_value() {
    let csv = format!(
        "{MSP_HEADER}1,1,CRM,10 days,Mon 13/45/27,,,\"$1,000.00\",500\n2,1,Web,ten days,Mon 1/4/27,,,$5.00,500\n3,1,App,5 days,Mon 1/4/27,,,$85O.00,500\n"
    );
    fails(
        "ms-project",
        &csv,
        &[],
        &[
            "row 2, column 'Start', value 'Mon 13/45/27'",
            "row 3, column 'Duration', value 'ten days'",
            "write the duration as a number and a unit",
            "row 4, column 'Cost', value '$85O.00'",
            "3 error(s)",
        ],
    );
}

#[test]
fn an_ambiguous_date_order_asks_for_date_order() {
    let csv = "Summary,Issue key,Custom field (Cost),Custom field (Start date)\nCRM,P-1,10,04/01/2027\nWeb,P-2,10,05/02/2027\n";
    fails(
        "jira",
        csv,
        &[],
        &[
            "row 2, column 'Custom field (Start date)', value '04/01/2027'",
            "--date-order dmy",
        ],
    );
    // Both orders in one column.
    let mixed = "Summary,Issue key,Custom field (Cost),Custom field (Start date)\nCRM,P-1,10,25/01/2027\nWeb,P-2,10,01/25/2027\n";
    fails("jira", mixed, &[], &["row 3", "written in both orders"]);
}

#[test]
fn a_predecessor_that_names_no_row_is_an_error() {
    let csv = format!("{MSP_HEADER}1,1,CRM,10 days,Mon 1/4/27,,99FS+2 days,$1.00,500\n");
    fails(
        "ms-project",
        &csv,
        &[],
        &[
            "row 2, column 'Predecessors', value '99'",
            "names no row",
            "fix the predecessor",
        ],
    );
}

#[test]
fn the_date_order_option_settles_an_ambiguous_column() {
    let dir = tempfile::tempdir().expect("temp dir");
    let export = dir.path().join("export.csv");
    std::fs::write(
        &export,
        "Summary,Issue key,Custom field (Cost),Custom field (Start date)\nCRM,P-1,10,04/01/2027\n",
    )
    .expect("write");
    for (order, period) in [("dmy", "2027-Q1"), ("mdy", "2027-Q2")] {
        let run = import(&[
            export.to_str().expect("utf-8"),
            "--profile",
            "jira",
            "--date-order",
            order,
        ]);
        assert_eq!(run.code, 0, "{}", run.stderr);
        let projects = String::from_utf8_lossy(&run.files["projects.csv"]).to_string();
        assert!(
            projects.contains(&format!(",{period},")),
            "{order}: {projects}"
        );
    }
}

/// The MS Project sample saved as an Excel workbook, as "Save As › Excel Workbook" does:
/// dates as date cells, costs and priorities as numbers, the rest as text; a title row and
/// a second sheet. `serials` writes the dates as plain numbers (day serials without a date
/// format), as some exports do.
fn ms_project_xlsx(path: &Path, serials: bool) {
    use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};
    let text = std::fs::read_to_string(fixture("import/ms-project/tasks.csv")).expect("csv");
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(text.as_bytes());
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name("Task_Table").expect("name");
    sheet
        .write_string(0, 0, "Portfolio 2027 (exported)")
        .expect("write");
    let date_format = Format::new().set_num_format("ddd m/d/yy");
    for (i, record) in reader.records().enumerate() {
        let record = record.expect("record");
        let row = i as u32 + 2;
        for (col, cell) in record.iter().enumerate() {
            let col = col as u16;
            let is_date = i > 0 && (col == 6 || col == 7);
            let is_number = i > 0 && (col == 10 || col == 11) && !cell.is_empty();
            if is_date {
                // `Mon 1/4/27`: month/day/two-digit year.
                let parts: Vec<u16> = cell[4..]
                    .split('/')
                    .map(|p| p.parse().expect("n"))
                    .collect();
                let date = ExcelDateTime::from_ymd(2000 + parts[2], parts[0] as u8, parts[1] as u8)
                    .expect("date");
                if serials {
                    sheet
                        .write_number(row, col, date.to_excel())
                        .expect("write");
                } else {
                    sheet
                        .write_datetime_with_format(row, col, &date, &date_format)
                        .expect("write");
                }
            } else if is_number {
                let plain: String = cell
                    .chars()
                    .filter(|c| c.is_ascii_digit() || *c == '.')
                    .collect();
                sheet
                    .write_number(row, col, plain.parse::<f64>().expect("number"))
                    .expect("write");
            } else if !cell.is_empty() {
                sheet.write_string(row, col, cell).expect("write");
            }
        }
    }
    book.add_worksheet()
        .set_name("Resource_Table")
        .expect("name");
    book.save(path).expect("save");
}

#[test]
fn an_xlsx_export_with_date_and_number_cells_imports_like_the_csv() {
    let dir = tempfile::tempdir().expect("temp dir");
    let expected = std::fs::read(fixture("import/ms-project/expected/projects.csv")).expect("read");
    for serials in [false, true] {
        let xlsx = dir.path().join(format!("tasks-{serials}.xlsx"));
        ms_project_xlsx(&xlsx, serials);
        let run = import(&[
            xlsx.to_str().expect("utf-8"),
            "--profile",
            "ms-project",
            "--resources",
            "fixtures/import/ms-project/resources.csv",
            "--budget",
            "1000000",
        ]);
        assert_eq!(run.code, 0, "{}", run.stderr);
        assert!(
            run.stderr.contains("read sheet 'Task_Table'"),
            "{}",
            run.stderr
        );
        assert_eq!(
            String::from_utf8_lossy(&run.files["projects.csv"]),
            String::from_utf8_lossy(&expected),
            "serials: {serials}"
        );
    }
}

#[test]
fn a_cp1252_export_read_as_utf8_is_refused_with_the_fix() {
    let run = import(&[
        "fixtures/import/excel-fr/portefeuille.csv",
        "--profile",
        "excel-fr",
        "--encoding",
        "utf-8",
    ]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr.contains("is not UTF-8") && run.stderr.contains("--encoding cp1252"),
        "{}",
        run.stderr
    );
    assert!(run.files.is_empty());
    let run = import(&[
        "fixtures/import/excel-fr/portefeuille.csv",
        "--profile",
        "excel-fr",
        "--encoding",
        "cp1252",
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
}

#[test]
fn plan_and_validate_read_an_export_through_a_mapping_file() {
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join("jira.toml");
    let printed = arbiter()
        .args(["import", "--print-profile", "jira"])
        .output()
        .expect("runs");
    std::fs::write(&file, &printed.stdout).expect("write");
    let export = fixture("import/jira/issues.csv");
    let run = common::plan(&export, &["--mapping", file.to_str().expect("utf-8")]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    // No budget given: every project with a value that may be selected is.
    let selected = run
        .portfolio()
        .iter()
        .skip(1)
        .filter(|r| r[3] == "true")
        .count();
    assert_eq!(selected, 7, "{}", run.stdout);
    let validate = arbiter()
        .arg("validate")
        .arg(&export)
        .arg("--mapping")
        .arg(&file)
        .output()
        .expect("runs");
    assert_eq!(validate.status.code(), Some(0));
    // An export that cannot be imported: exit 1, the import's error.
    let bad = dir.path().join("bad.csv");
    std::fs::write(&bad, "Summary,Issue key\nCRM,P-1\n").expect("write");
    let validate = arbiter()
        .arg("validate")
        .arg(&bad)
        .arg("--mapping")
        .arg(&file)
        .output()
        .expect("runs");
    assert_eq!(validate.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&validate.stderr).contains("required field 'cost'"));
}

#[test]
fn driver_columns_of_a_mapping_become_scores_and_drivers_csv() {
    let dir = tempfile::tempdir().expect("temp dir");
    let profile = arbiter()
        .args(["import", "--print-profile", "ms-project"])
        .output()
        .expect("runs");
    let mut text = String::from_utf8(profile.stdout).expect("utf-8");
    text.push_str("\n[drivers]\nstrategic_fit = [\"Number1\"]\nrisk = [\"Number2\"]\n");
    let file = dir.path().join("drivers.toml");
    std::fs::write(&file, text).expect("write");
    let export = dir.path().join("tasks.csv");
    std::fs::write(
        &export,
        "ID,Name,Duration,Start,Cost,Number1,Number2\n1,CRM,10 days,Mon 1/4/27,$100.00,4,1\n2,Web,10 days,Mon 1/4/27,$50.00,,2.5\n",
    )
    .expect("write");
    let run = import(&[
        export.to_str().expect("utf-8"),
        "--mapping",
        file.to_str().expect("utf-8"),
        "--budget",
        "100",
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr.contains("driver strategic_fit ← 'Number1'"),
        "{}",
        run.stderr
    );
    let projects = String::from_utf8_lossy(&run.files["projects.csv"]).to_string();
    assert_eq!(
        projects
            .lines()
            .map(|l| l.rsplit(',').take(2).collect::<Vec<_>>().join(","))
            .collect::<Vec<_>>(),
        ["strategic_fit,risk", "4,1", ",2.5"],
        "{projects}"
    );
    assert_eq!(
        String::from_utf8_lossy(&run.files["drivers.csv"]),
        "driver,weight\nrisk,1\nstrategic_fit,1\n"
    );
    // Bad score: an error naming the cell.
    std::fs::write(
        &export,
        "ID,Name,Duration,Start,Cost,Number1\n1,CRM,10 days,Mon 1/4/27,$100.00,high\n",
    )
    .expect("write");
    let run = import(&[
        export.to_str().expect("utf-8"),
        "--mapping",
        file.to_str().expect("utf-8"),
    ]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr.contains("row 2, column 'Number1', value 'high'"),
        "{}",
        run.stderr
    );
}

#[test]
fn level_n_rows_are_the_projects_and_their_children_roll_up() {
    let run = import(&[
        "fixtures/import/ms-project/tasks.csv",
        "--profile",
        "ms-project",
        "--level",
        "1",
        "--budget",
        "3000000",
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr.contains("10 row(s) below level 1 rolled up"),
        "{}",
        run.stderr
    );
    // Growth: 850,000 + 420,000 + 610,000 + 0 (the milestone), Q1–Q4 2027; Run the
    // business: its leaves (Compliance is a summary: not counted twice), mandatory for its
    // network refresh and GDPR register; Analytics after CRM, which is in Growth.
    assert_eq!(
        String::from_utf8_lossy(&run.files["projects.csv"]),
        "id,name,category,cost,duration,value,status,earliest_start,latest_start,requires,after\n\
         1,Growth programme,,1880000,4,5,candidate,2027-Q1,,,\n\
         6,Run the business,,2120000,3,5,mandatory,2027-Q1,,,\n\
         13,Analytics pilot,,150000,1,3,candidate,2027-Q4,,,1\n"
    );
}
