//! Hostile and careless inputs (issue 22): every reproducer of `fixtures/reliability/`
//! (copied from ../shared/reliability; the big ones generated here) gives what its README
//! asks — no panic, no abort, bounded memory, a clear error naming the limit and how to
//! raise it — and arbiter's outputs cannot run code in the spreadsheet that opens them.
//! docs/reliability.md lists each guarantee with the test here that proves it.

use std::io::Write;
use std::path::{Path, PathBuf};

use tempfile::TempDir;

#[path = "common/measure.rs"]
mod measure;

use measure::{run, Measured};

fn reliability(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures/reliability")
        .join(name)
}

fn path(p: &Path) -> &str {
    p.to_str().expect("UTF-8 path")
}

/// No panic (101), no abort (134), no kill (-1 / 137): an exit code of the contract.
fn assert_clean_exit(run: &Measured, codes: &[i32]) {
    assert!(
        codes.contains(&run.code),
        "expected exit {codes:?}\n{}",
        run.context()
    );
    assert!(!run.stderr.contains("panicked"), "{}", run.context());
}

/// Every cell of every CSV file under `dir`.
fn csv_cells(dir: &Path) -> Vec<(PathBuf, String)> {
    let mut cells = Vec::new();
    for entry in std::fs::read_dir(dir).expect("out dir").flatten() {
        let p = entry.path();
        if p.is_dir() {
            cells.extend(csv_cells(&p));
        } else if p.extension().is_some_and(|e| e == "csv") {
            let mut reader = csv::ReaderBuilder::new()
                .has_headers(false)
                .flexible(true)
                .from_path(&p)
                .expect("csv");
            for record in reader.records() {
                for cell in record.expect("record").iter() {
                    cells.push((p.clone(), cell.to_string()));
                }
            }
        }
    }
    cells
}

// 01 ------------------------------------------------------------------------------------

#[test]
fn r01_a_65536_character_id_prints_a_shortened_table() {
    let dir = TempDir::new().unwrap();
    let out = dir.path().join("out");
    let r = run(
        &[
            "plan",
            path(&reliability("01-long-id-table-panic")),
            "--out",
            path(&out),
        ],
        &[],
    );
    assert_clean_exit(&r, &[0]);
    let row = r
        .stdout
        .lines()
        .find(|l| l.contains("AAAA"))
        .expect("a row");
    assert!(
        row.chars().count() < 200,
        "row not shortened: {} chars",
        row.len()
    );
    assert!(row.contains('…'), "{row}");
    // The files keep the id whole.
    let portfolio = std::fs::read_to_string(out.join("portfolio.csv")).unwrap();
    assert!(portfolio.contains(&"A".repeat(65_536)));
}

// 02, 03 --------------------------------------------------------------------------------

#[test]
fn r02_r03_far_cells_are_read_sparse_in_bounded_memory() {
    for (folder, file) in [
        ("02-xlsx-far-cell-abort", "sparse-xfd1048576.xlsx"),
        ("02-xlsx-far-cell-abort", "fuzz-m00373-demo.xlsx"),
        ("03-xlsx-dense-range-memory", "sparse-xfd4000.xlsx"),
        ("03-xlsx-dense-range-memory", "fuzz-m00653-demo.xlsx"),
    ] {
        let r = run(&["validate", path(&reliability(folder).join(file))], &[]);
        assert_clean_exit(&r, &[0, 1]);
        assert!(r.peak_mib < 200, "{file}: {}", r.context());
    }
    // The stray cell is reported where it is, not as a crash.
    let r = run(
        &[
            "validate",
            path(&reliability("02-xlsx-far-cell-abort").join("sparse-xfd1048576.xlsx")),
        ],
        &[],
    );
    assert!(r.stderr.contains("1048576"), "{}", r.context());
}

#[test]
fn r03_a_far_cell_past_the_cells_limit_is_one_clear_error() {
    let r = run(
        &[
            "validate",
            path(&reliability("02-xlsx-far-cell-abort").join("sparse-xfd1048576.xlsx")),
        ],
        &[("ARBITER_MAX_CELLS", "10000")],
    );
    assert_clean_exit(&r, &[1]);
    assert!(r.stderr.contains("E043"), "{}", r.context());
    assert!(r.stderr.contains("XFD1048576"), "{}", r.context());
    assert!(r.stderr.contains("ARBITER_MAX_CELLS"), "{}", r.context());
}

// 04 ------------------------------------------------------------------------------------

#[test]
fn r04_ods_repeats_are_counted_before_they_are_expanded() {
    let r = run(
        &[
            "validate",
            path(&reliability("04-ods-repeat-memory").join("ods-repeat-mid.ods")),
        ],
        &[],
    );
    assert_clean_exit(&r, &[1]);
    assert!(r.stderr.contains("E043"), "{}", r.context());
    assert!(r.stderr.contains("sheet 'projects'"), "{}", r.context());
    assert!(r.stderr.contains("ARBITER_MAX_CELLS"), "{}", r.context());
    assert!(r.peak_mib < 100, "{}", r.context());
    assert!(r.elapsed.as_secs() < 10, "{}", r.context());
}

// 05 ------------------------------------------------------------------------------------

/// `control.xlsx` with its first sheet padded by `pad` bytes of spaces: a few hundred KB
/// that inflate to `pad` bytes.
fn zip_bomb(pad: u64, into: &Path) {
    let control = std::fs::File::open(reliability("05-zip-bomb").join("control.xlsx")).unwrap();
    let mut source = zip::ZipArchive::new(control).unwrap();
    let mut bomb = zip::ZipWriter::new(std::fs::File::create(into).unwrap());
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .large_file(pad > u32::MAX as u64);
    for i in 0..source.len() {
        let mut entry = source.by_index(i).unwrap();
        let name = entry.name().unwrap().to_string();
        let mut bytes = Vec::new();
        std::io::Read::read_to_end(&mut entry, &mut bytes).unwrap();
        bomb.start_file(name.as_str(), options).unwrap();
        if name.ends_with("sheet1.xml") {
            let text = String::from_utf8(bytes).unwrap();
            let at = text.find("</sheetData>").unwrap();
            bomb.write_all(&text.as_bytes()[..at]).unwrap();
            let spaces = vec![b' '; 1 << 20];
            let mut left = pad;
            while left > 0 {
                let n = left.min(spaces.len() as u64) as usize;
                bomb.write_all(&spaces[..n]).unwrap();
                left -= n as u64;
            }
            bomb.write_all(&text.as_bytes()[at..]).unwrap();
        } else {
            bomb.write_all(&bytes).unwrap();
        }
    }
    bomb.finish().unwrap();
}

#[test]
fn r05_a_zip_bomb_is_refused_past_the_inflated_size_limit() {
    let dir = TempDir::new().unwrap();
    let bomb = dir.path().join("bomb.xlsx");
    // 300 MB inflated, over the 256 MiB default.
    zip_bomb(300_000_000, &bomb);
    let size = std::fs::metadata(&bomb).unwrap().len();
    assert!(size < 1_000_000, "the bomb is {size} bytes");
    let r = run(&["validate", path(&bomb)], &[]);
    assert_clean_exit(&r, &[1]);
    assert!(r.stderr.contains("E043"), "{}", r.context());
    assert!(r.stderr.contains("bomb.xlsx"), "{}", r.context());
    assert!(r.stderr.contains("268,435,456 bytes"), "{}", r.context());
    assert!(
        r.stderr.contains("ARBITER_MAX_INPUT_BYTES"),
        "{}",
        r.context()
    );
    assert!(r.peak_mib < 100, "{}", r.context());
    // The same file is read once the limit is raised (and the control file always is).
    let r = run(
        &[
            "validate",
            path(&reliability("05-zip-bomb").join("control.xlsx")),
        ],
        &[],
    );
    assert_clean_exit(&r, &[0]);
}

// 06 ------------------------------------------------------------------------------------

#[test]
fn r06_a_name_over_32767_characters_keeps_the_xlsx_valid() {
    use calamine::{Data, Reader};
    let dir = TempDir::new().unwrap();
    let xlsx = dir.path().join("plan.xlsx");
    let r = run(
        &[
            "plan",
            path(&reliability("06-xlsx-name-over-32767")),
            "--out",
            path(&dir.path().join("out")),
            "--xlsx",
            path(&xlsx),
        ],
        &[],
    );
    assert_clean_exit(&r, &[0]);
    let mut book: calamine::Xlsx<_> = calamine::open_workbook(&xlsx).expect("a valid xlsx");
    let range = book.worksheet_range("portfolio").expect("portfolio sheet");
    let longest = range
        .used_cells()
        .filter_map(|(_, _, d)| match d {
            Data::String(s) => Some(s.clone()),
            _ => None,
        })
        .max_by_key(|s| s.len())
        .unwrap();
    assert!(longest.encode_utf16().count() <= 32_767);
    assert!(
        longest.contains("[cut: 32768 characters"),
        "{}",
        &longest[longest.len() - 120..]
    );
    // The CSV output keeps the name whole.
    let csv = std::fs::read_to_string(dir.path().join("out/portfolio.csv")).unwrap();
    assert!(csv.contains(&"N".repeat(32_768)));
}

// 07 ------------------------------------------------------------------------------------

/// Whether a spreadsheet would take `cell` for a formula.
fn runs_as_formula(cell: &str) -> bool {
    cell.starts_with(['=', '+', '-', '@', '\t', '\r']) && cell.parse::<f64>().is_err()
}

#[test]
fn r07_no_csv_output_cell_is_a_formula_and_the_xlsx_holds_strings() {
    use calamine::Reader;
    let dir = TempDir::new().unwrap();
    let out = dir.path().join("out");
    let xlsx = dir.path().join("plan.xlsx");
    let workbook = reliability("07-csv-formula-injection");
    let r = run(
        &[
            "plan",
            path(&workbook),
            "--out",
            path(&out),
            "--xlsx",
            path(&xlsx),
        ],
        &[],
    );
    assert_clean_exit(&r, &[0]);
    let cells = csv_cells(&out);
    assert!(
        cells.iter().any(|(_, c)| c == "'=cmd|' /C calc'!A0"),
        "{cells:?}"
    );
    assert!(cells.iter().any(|(_, c)| c.starts_with("'=HYPERLINK(")));
    assert!(cells.iter().any(|(_, c)| c == "'@SUM(1+1)"));
    for (file, cell) in &cells {
        assert!(!runs_as_formula(cell), "{}: {cell:?}", file.display());
    }
    // The xlsx holds the names as they are, as strings: no formula anywhere.
    let mut book: calamine::Xlsx<_> = calamine::open_workbook(&xlsx).unwrap();
    for sheet in book.sheet_names() {
        let formulas = book.worksheet_formula(&sheet).unwrap();
        assert_eq!(formulas.used_cells().count(), 0, "formulas in {sheet}");
    }
    let range = book.worksheet_range("portfolio").unwrap();
    let texts: Vec<String> = range.used_cells().map(|(_, _, d)| d.to_string()).collect();
    assert!(texts.iter().any(|t| t == "=cmd|' /C calc'!A0"), "{texts:?}");
    // A portfolio.csv given back as a baseline reads the ids as they are.
    let again = run(
        &[
            "plan",
            path(&workbook),
            "--out",
            path(&dir.path().join("again")),
            "--baseline",
            path(&out.join("portfolio.csv")),
        ],
        &[],
    );
    assert_clean_exit(&again, &[0]);
    assert!(
        !again.stderr.contains("no longer has"),
        "{}",
        again.context()
    );
}

#[test]
fn r07_the_html_report_escapes_names() {
    let dir = TempDir::new().unwrap();
    let html = dir.path().join("report.html");
    let r = run(
        &[
            "report",
            path(&reliability("07-csv-formula-injection")),
            "--html",
            path(&html),
        ],
        &[],
    );
    assert_clean_exit(&r, &[0]);
    let page = std::fs::read_to_string(&html).unwrap();
    assert!(!page.contains("<script>alert"), "unescaped script");
    assert!(!page.contains("<img src=x"), "unescaped img");
    assert!(page.contains("&lt;script&gt;alert(1)&lt;&#x2f;script&gt;"));
}

// 08 ------------------------------------------------------------------------------------

#[test]
fn r08_control_characters_reach_the_terminal_escaped() {
    let r = run(
        &["validate", path(&reliability("08-terminal-escape/invalid"))],
        &[],
    );
    assert_clean_exit(&r, &[1]);
    assert!(!r.stderr.contains('\u{1b}'), "raw ESC: {:?}", r.stderr);
    assert!(!r.stderr.contains('\u{7}'), "raw BEL: {:?}", r.stderr);
    assert!(r.stderr.contains("\\x1b[31mbad"), "{}", r.context());
    let dir = TempDir::new().unwrap();
    let r = run(
        &[
            "plan",
            path(&reliability("08-terminal-escape/valid")),
            "--out",
            path(&dir.path().join("out")),
        ],
        &[],
    );
    assert_clean_exit(&r, &[0]);
    assert!(!r.stdout.contains('\u{1b}'), "raw ESC: {:?}", r.stdout);
    assert!(
        r.stdout.contains("\\x1b]0;pwned-title\\x07"),
        "{}",
        r.context()
    );
}

// 09 ------------------------------------------------------------------------------------

#[test]
fn r09_a_too_long_scenario_name_is_refused_before_any_solve() {
    let dir = TempDir::new().unwrap();
    let out = dir.path().join("out");
    let r = run(
        &[
            "scenarios",
            path(&reliability("09-long-scenario-name")),
            "--out",
            path(&out),
        ],
        &[],
    );
    assert_clean_exit(&r, &[1]);
    assert!(r.stderr.contains("E037"), "{}", r.context());
    assert!(r.stderr.contains("the limit is 100"), "{}", r.context());
    assert!(!out.exists(), "something was written: {}", r.context());
}

// Names ---------------------------------------------------------------------------------

#[test]
fn scenario_names_never_make_paths_outside_the_out_folder() {
    let dir = TempDir::new().unwrap();
    let wb = dir.path().join("wb");
    std::fs::create_dir(&wb).unwrap();
    let base = reliability("09-long-scenario-name");
    for f in ["budget.csv", "projects.csv"] {
        std::fs::copy(base.join(f), wb.join(f)).unwrap();
    }
    std::fs::write(
        wb.join("scenarios.csv"),
        "scenario,target,key,op,value\n../x,budget,*,add,1\n/abs,budget,*,add,2\na/b,budget,*,add,3\nCON,budget,*,add,4\nnul.txt,budget,*,add,5\n\"two\nlines\",budget,*,add,6\n",
    )
    .unwrap();
    let out = dir.path().join("out");
    let r = run(&["scenarios", path(&wb), "--out", path(&out)], &[]);
    assert_clean_exit(&r, &[0]);
    let mut folders: Vec<String> = std::fs::read_dir(&out)
        .unwrap()
        .flatten()
        .filter(|e| e.path().is_dir())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    folders.sort();
    assert_eq!(
        folders,
        [
            "CON_",
            ".._x",
            "_abs",
            "a_b",
            "base",
            "nul_.txt",
            "two_lines"
        ]
        .map(String::from)
        .into_iter()
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .collect::<Vec<_>>()
    );
    // Nothing was written beside the out folder.
    let mut beside: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    beside.sort();
    assert_eq!(beside, ["out", "wb"]);
}

#[test]
fn scenario_names_empty_after_trimming_are_an_error() {
    let dir = TempDir::new().unwrap();
    let base = reliability("09-long-scenario-name");
    for f in ["budget.csv", "projects.csv"] {
        std::fs::copy(base.join(f), dir.path().join(f)).unwrap();
    }
    std::fs::write(
        dir.path().join("scenarios.csv"),
        "scenario,target,key,op,value\n..,budget,*,add,1\n",
    )
    .unwrap();
    let r = run(&["validate", path(dir.path())], &[]);
    assert_clean_exit(&r, &[1]);
    assert!(r.stderr.contains("E037"), "{}", r.context());
}

// Limits: a million rows -----------------------------------------------------------------

/// `control.xlsx` with its projects sheet replaced by a header and `rows` rows.
fn tall_sheet(rows: u32, into: &Path) {
    let control = std::fs::File::open(reliability("05-zip-bomb").join("control.xlsx")).unwrap();
    let mut source = zip::ZipArchive::new(control).unwrap();
    let mut out = zip::ZipWriter::new(std::fs::File::create(into).unwrap());
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for i in 0..source.len() {
        let mut entry = source.by_index(i).unwrap();
        let name = entry.name().unwrap().to_string();
        let mut bytes = Vec::new();
        std::io::Read::read_to_end(&mut entry, &mut bytes).unwrap();
        out.start_file(name.as_str(), options).unwrap();
        if name.ends_with("sheet1.xml") {
            let text = String::from_utf8(bytes).unwrap();
            let start = text.find("<sheetData>").unwrap() + "<sheetData>".len();
            let end = text.find("</sheetData>").unwrap();
            out.write_all(&text.as_bytes()[..start]).unwrap();
            out.write_all(br#"<row r="1"><c r="A1" t="inlineStr"><is><t>id</t></is></c><c r="B1" t="inlineStr"><is><t>cost</t></is></c></row>"#).unwrap();
            let mut chunk = String::new();
            for r in 2..=rows + 1 {
                chunk.push_str(&format!(
                    r#"<row r="{r}"><c r="A{r}"><v>{r}</v></c><c r="B{r}"><v>1</v></c></row>"#
                ));
                if chunk.len() > 1 << 20 {
                    out.write_all(chunk.as_bytes()).unwrap();
                    chunk.clear();
                }
            }
            out.write_all(chunk.as_bytes()).unwrap();
            out.write_all(&text.as_bytes()[end..]).unwrap();
        } else {
            out.write_all(&bytes).unwrap();
        }
    }
    out.finish().unwrap();
}

#[test]
fn million_row_sheet_and_csv_are_refused_in_bounded_memory() {
    let dir = TempDir::new().unwrap();
    let xlsx = dir.path().join("tall.xlsx");
    tall_sheet(1_000_000, &xlsx);
    let r = run(&["validate", path(&xlsx)], &[]);
    assert_clean_exit(&r, &[1]);
    assert!(r.stderr.contains("E043"), "{}", r.context());
    assert!(
        r.stderr.contains("more than 1,000,000 rows"),
        "{}",
        r.context()
    );
    assert!(r.stderr.contains("ARBITER_MAX_ROWS"), "{}", r.context());
    assert!(r.peak_mib < 600, "{}", r.context());
    eprintln!(
        "figure: 1,000,000-row xlsx refused, peak {} MiB, {:.1} s",
        r.peak_mib,
        r.elapsed.as_secs_f64()
    );

    let wb = dir.path().join("wb");
    std::fs::create_dir(&wb).unwrap();
    std::fs::write(wb.join("budget.csv"), "period,amount\nQ1,100\n").unwrap();
    let mut projects = String::from("id,cost\n");
    for i in 0..1_000_000 {
        projects.push_str(&format!("P{i},1\n"));
    }
    std::fs::write(wb.join("projects.csv"), projects).unwrap();
    let r = run(&["validate", path(&wb)], &[]);
    assert_clean_exit(&r, &[1]);
    assert!(
        r.stderr
            .contains("projects.csv has more than 1,000,000 rows"),
        "{}",
        r.context()
    );
    assert!(r.peak_mib < 600, "{}", r.context());
    eprintln!(
        "figure: 1,000,000-row CSV refused, peak {} MiB, {:.1} s",
        r.peak_mib,
        r.elapsed.as_secs_f64()
    );
    // Raised, the same CSV file reads (and is then over the projects limit).
    let r = run(&["validate", path(&wb)], &[("ARBITER_MAX_ROWS", "2000000")]);
    assert_clean_exit(&r, &[1]);
    assert!(
        r.stderr
            .contains("projects.csv has more than 100,000 projects"),
        "{}",
        r.context()
    );
    assert!(r.stderr.contains("ARBITER_MAX_PROJECTS"), "{}", r.context());
}

// Empty and degenerate workbooks ---------------------------------------------------------

#[test]
fn empty_projects_are_said_first_without_a_cascade() {
    let dir = TempDir::new().unwrap();
    let wb = dir.path();
    std::fs::write(wb.join("projects.csv"), "id,cost,duration,value\n").unwrap();
    std::fs::write(wb.join("budget.csv"), "period,amount\nQ1,100\nQ2,100\n").unwrap();
    std::fs::write(
        wb.join("capacity.csv"),
        "pool,period,fte\ndev,Q1,3\ndev,Q2,3\n",
    )
    .unwrap();
    let mut demand = String::from("project,pool,fte\n");
    let mut costs = String::from("project,offset,amount\n");
    for i in 0..7 {
        demand.push_str(&format!("P-{i},dev,1\n"));
        costs.push_str(&format!("P-{i},0,10\n"));
    }
    std::fs::write(wb.join("demand.csv"), demand).unwrap();
    std::fs::write(wb.join("costs.csv"), costs).unwrap();
    let r = run(&["validate", path(wb)], &[]);
    assert_clean_exit(&r, &[1]);
    let first = r.stderr.lines().next().unwrap_or_default();
    assert!(
        first.contains("projects.csv has no projects"),
        "{}",
        r.context()
    );
    assert!(!r.stderr.contains("E017"), "{}", r.context());
}

#[test]
fn nothing_selectable_and_one_period_are_said_plainly() {
    let dir = TempDir::new().unwrap();
    let one = dir.path().join("one");
    std::fs::create_dir(&one).unwrap();
    std::fs::write(
        one.join("projects.csv"),
        "id,cost,value,duration\nA,10,5,1\nB,20,6,2\n",
    )
    .unwrap();
    std::fs::write(one.join("budget.csv"), "period,amount\nQ1,100\n").unwrap();
    let r = run(&["validate", path(&one)], &[]);
    assert_clean_exit(&r, &[1]);
    assert!(
        r.stderr.contains("the horizon has only 1 (Q1 to Q1)"),
        "{}",
        r.context()
    );
    // All excluded, zero budget: a plan is made (0 selected), the warning comes first.
    for (code, fixture) in [("W012", "W012"), ("W013", "W013")] {
        let out = dir.path().join(code);
        let workbook = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("fixtures/invalid")
            .join(fixture);
        let r = run(&["plan", path(&workbook), "--out", path(&out)], &[]);
        assert_clean_exit(&r, &[0]);
        assert!(
            r.stderr.starts_with(&format!("warning[{code}]")),
            "{}",
            r.context()
        );
        assert!(
            r.stdout.contains("0 of 2 project(s) selected"),
            "{}",
            r.context()
        );
    }
}

// Found by fuzzing ------------------------------------------------------------------------

/// tests/fuzz_bytes.rs found it: an .ods whose content.xml ends after a row, inside a
/// table, made calamine 0.38 loop forever (its table loop has no end-of-file arm).
#[test]
fn fuzz_an_ods_cut_inside_a_table_is_refused_not_a_hang() {
    let r = run(
        &[
            "validate",
            path(&reliability("fuzz").join("ods-cut-inside-table.ods")),
        ],
        &[],
    );
    assert_clean_exit(&r, &[1]);
    assert!(r.stderr.contains("E004"), "{}", r.context());
    assert!(
        r.stderr.contains("ends inside sheet 'budget'"),
        "{}",
        r.context()
    );
    assert!(r.elapsed.as_secs() < 10, "{}", r.context());
}

#[test]
fn r08_errors_show_control_characters_escaped_too() {
    let dir = TempDir::new().unwrap();
    let r = run(
        &[
            "plan",
            path(&reliability("08-terminal-escape/valid")),
            "--out",
            path(&dir.path().join("out")),
            "--baseline",
            "no-such-\u{1b}[2J-file.csv",
        ],
        &[],
    );
    assert_clean_exit(&r, &[1, 2]);
    assert!(!r.stderr.contains('\u{1b}'), "raw ESC: {:?}", r.stderr);
    assert!(
        r.stderr.contains("no-such-\\x1b[2J-file.csv"),
        "{}",
        r.context()
    );
}
