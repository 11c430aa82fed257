//! Loading a workbook: reading its files ([`crate::io`], each file on its own) and resolving
//! them across files (`crate::resolve`, which builds the model), composed here so that
//! neither layer calls the other upward. [`read_workbook`] is what every command that plans
//! runs; [`validate`] is what `arbiter validate` runs (the same checks, every problem
//! listed).

use std::path::Path;

use crate::diag::{Diagnostic, Diags};
use crate::error::Result;
pub use crate::io::ReadOptions;
use crate::model::{Scenario, Workbook};
pub use crate::resolve::Loaded;

/// Read and validate the workbook in folder `dir` (or the spreadsheet file `dir`, see
/// [`crate::io::is_spreadsheet`]: one sheet per contract file). On any error, returns
/// [`crate::Error::Invalid`] with every problem found (errors first, then warnings).
pub fn read_workbook(dir: &Path, options: &ReadOptions) -> Result<Loaded> {
    let mut diags = Diags::new();
    let built = load(dir, options, &mut diags);
    Loaded::outcome(dir, built, diags)
}

/// Check the workbook in `dir` and return every problem found: errors first, then
/// warnings, each in file order then line order. Empty when the workbook is clean.
pub fn validate(dir: &Path, options: &ReadOptions) -> Vec<Diagnostic> {
    let mut diags = Diags::new();
    let _ = load(dir, options, &mut diags);
    diags.into_sorted()
}

/// Read and resolve every file of `dir`, recording every problem in `diags`; the workbook
/// and its scenarios when they could be built (they may still come with errors in `diags`:
/// check them).
fn load(dir: &Path, options: &ReadOptions, diags: &mut Diags) -> Option<(Workbook, Vec<Scenario>)> {
    let raw = crate::io::read(dir, options, diags)?;
    crate::resolve::workbook(raw, diags)
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;
    use std::path::PathBuf;

    use super::*;
    use crate::diag::codes;
    use crate::error::{Error, Severity};
    use crate::model::Status;
    use crate::resolve::testing::{codes_of, folder, BUDGET};

    fn fixtures() -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures")
    }

    fn diagnostics(files: &[(&str, &str)]) -> Vec<Diagnostic> {
        let dir = folder(files);
        validate(dir.path(), &ReadOptions::default())
    }

    fn loaded(files: &[(&str, &str)]) -> Loaded {
        let dir = folder(files);
        match read_workbook(dir.path(), &ReadOptions::default()) {
            Ok(loaded) => loaded,
            Err(Error::Invalid(list)) => {
                let text: Vec<String> = list.iter().map(ToString::to_string).collect();
                panic!("workbook invalid:\n{}", text.join("\n"))
            }
            Err(err) => panic!("{err}"),
        }
    }

    /// `key: value` lines of a fixture's expect.txt.
    fn expectations(dir: &Path) -> BTreeMap<String, String> {
        let text = std::fs::read_to_string(dir.join("expect.txt"))
            .unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
        text.lines()
            .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
            .filter_map(|l| l.split_once(':'))
            .map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))
            .collect()
    }

    #[test]
    fn every_code_has_a_fixture_that_reports_it_where_expected() {
        for code in codes::ALL {
            let dir = fixtures().join("invalid").join(code);
            let expect = expectations(&dir);
            assert_eq!(expect["code"], code, "{}", dir.display());
            let workbook = match expect.get("workbook") {
                Some(sub) => dir.join(sub),
                None => dir.clone(),
            };
            let options = ReadOptions {
                strict: expect.get("strict").is_some_and(|s| s == "true"),
            };
            let list = validate(&workbook, &options);
            let file = match expect["file"].as_str() {
                "<workbook>" => workbook.display().to_string(),
                f => f.to_string(),
            };
            let line = match expect["line"].as_str() {
                "-" => None,
                l => Some(l.parse::<usize>().expect("line number")),
            };
            let column = match expect["column"].as_str() {
                "-" => None,
                c => Some(c.to_string()),
            };
            // Each fixture is otherwise clean: exactly its own diagnostic.
            assert_eq!(list.len(), 1, "{code}: {list:?}");
            let found = list
                .iter()
                .find(|d| d.code == code && d.file == file && d.line == line && d.column == column);
            let Some(found) = found else {
                let text: Vec<String> = list.iter().map(ToString::to_string).collect();
                panic!(
                    "{code}: no {code} at {file} line {line:?} column {column:?}; got:\n{}",
                    text.join("\n")
                );
            };
            let severity = if code.starts_with('E') {
                Severity::Error
            } else {
                Severity::Warning
            };
            assert_eq!(found.severity, severity, "{code}");
            assert!(
                found.message.contains(&expect["mentions"]),
                "{code}: message '{}' does not name '{}'",
                found.message,
                expect["mentions"]
            );
            if let Some(value) = expect.get("value") {
                assert_eq!(found.value.as_deref(), Some(value.as_str()), "{code}");
            }
            let first = found.message.chars().next().unwrap_or(' ');
            assert!(!first.is_uppercase(), "{code}: message not lowercase");
            assert!(!found.fix.is_empty(), "{code}: no fix");
            // read_workbook agrees: errors fail the read, warnings come back with it.
            match read_workbook(&workbook, &options) {
                Err(Error::Invalid(all)) => {
                    assert_eq!(all, list, "{code}");
                    assert_eq!(all[0].severity, Severity::Error, "{code}");
                }
                Ok(loaded) => {
                    assert_eq!(severity, Severity::Warning, "{code} did not fail the read");
                    assert_eq!(loaded.warnings, list, "{code}");
                }
                Err(err) => panic!("{code}: {err}"),
            }
        }
    }

    #[test]
    fn french_excel_export_reads_untouched() {
        let french = match read_workbook(&fixtures().join("french"), &ReadOptions::default()) {
            Ok(loaded) => loaded,
            Err(err) => panic!("{err}: {err:?}"),
        };
        assert!(french.warnings.is_empty(), "{:?}", french.warnings);
        let plain = loaded(&[
            (
                "projects.csv",
                "id,name,cost,duration,value,earliest_start,latest_start,status,category,requires,excludes,after,impact,risque\n\
                 P-1,Refonte du site,1234.5,2,10000,,,candidate,Digital,,,,4,2\n\
                 P-2,Nouvel ERP,12500,3,25000.5,T1 2025,T2 2025,mandatory,Finance,,,,3.5,1\n\
                 P-3,Migration « cloud »,2000.25,1,4000,,,in_progress,Digital,,,,2,0\n\
                 P-4,Appli mobile,3000,2,8000,,,candidate,Digital,P-1,P-3,P-2,5,3\n",
            ),
            ("drivers.csv", "driver,weight\nImpact,0.6\nrisque,0.4\n"),
            (
                "budget.csv",
                "period,amount,category\nT1 2025,20000,\nT2 2025,20000,\nT3 2025,20000,\nT4 2025,20000,\n\
                 T1 2025,5000.5,Digital\nT2 2025,5000.5,Digital\nT4 2025,5000.5,Digital\n",
            ),
            (
                "capacity.csv",
                "pool,period,fte\nDév,T1 2025,2.5\nDév,T2 2025,2.5\nDév,T3 2025,3\nDév,T4 2025,3\n",
            ),
            (
                "demand.csv",
                "project,pool,fte,offset\nP-1,Dév,0.5,\nP-2,Dév,1,0\nP-2,Dév,1.5,1\nP-2,Dév,0.5,2\n",
            ),
            ("costs.csv", "project,offset,amount\nP-2,0,2500\nP-2,1,5000\nP-2,2,5000\n"),
            ("balance.csv", "category,min_share,max_share\nDigital,0.1,0.6\n"),
        ]);
        // Driver names keep their spelling in drivers.csv; everything else is equal.
        assert_eq!(french.workbook, plain.workbook);
        let wb = &french.workbook;
        assert_eq!(wb.periods, ["T1 2025", "T2 2025", "T3 2025", "T4 2025"]);
        assert_eq!(wb.projects[0].cost, 1234.5);
        assert_eq!(wb.projects[1].value, 25000.5);
        assert_eq!(wb.projects[2].cost, 2000.25);
        assert_eq!(wb.projects[2].status, Status::InProgress);
        assert_eq!(wb.projects[1].cost_profile, [2500.0, 5000.0, 5000.0]);
        assert_eq!(wb.pools, ["Dév"]);
        assert_eq!(wb.capacity, [vec![2.5, 2.5, 3.0, 3.0]]);
        assert_eq!(wb.categories, ["Digital", "Finance"]);
        assert_eq!(
            wb.budget_category[&0],
            [Some(5000.5), Some(5000.5), None, Some(5000.5)]
        );
        assert_eq!(wb.budget_total, [Some(20000.0); 4]);
        assert_eq!(wb.projects[3].requires, [0]);
        assert_eq!(wb.exclusions, [(3, 2)]);
        assert_eq!(wb.projects[3].after, [1]);
        assert_eq!(wb.projects[1].scores, [3.5, 1.0]);
        assert!((wb.drivers[0].weight - 0.6).abs() < 1e-12);
    }

    #[test]
    fn wide_budget_and_duplicate_keys() {
        let list = diagnostics(&[
            ("projects.csv", "id,cost\nP,1\n"),
            ("budget.csv", "category,Q1,Q2\n,10,10\nIT,5,\n*,1,1\n"),
            (
                "capacity.csv",
                "pool,period,fte\ndev,Q1,1\ndev,Q1,2\ndev,Q2,1\n",
            ),
            ("costs.csv", "project,offset,amount\nP,0,1\nP,0,1\n"),
            (
                "demand.csv",
                "project,pool,fte,offset\nP,dev,1,0\nP,dev,1,0\n",
            ),
        ]);
        assert_eq!(codes_of(&list), [codes::DUPLICATE_KEY; 4]);
        let files: Vec<&str> = list.iter().map(|d| d.file.as_str()).collect();
        assert_eq!(
            files,
            ["budget.csv", "capacity.csv", "demand.csv", "costs.csv"]
        );
        assert!(list[0].message.contains("the total"));
        assert!(list[0].message.contains("first on line 2"));
    }

    #[test]
    fn numbers_reject_nan_and_infinity_with_the_value() {
        let list = diagnostics(&[
            ("projects.csv", "id,cost,value\nP,NaN,inf\n"),
            ("budget.csv", BUDGET),
        ]);
        assert_eq!(codes_of(&list), [codes::NOT_A_NUMBER; 2]);
        assert_eq!(list[0].value.as_deref(), Some("NaN"));
        assert!(list[1].message.contains("not a finite number"));
    }

    #[test]
    fn numbers_too_large_for_a_solver_are_refused() {
        let list = diagnostics(&[
            ("projects.csv", "id,cost\nA,1e308\nB,2e15\nC,1e15\n"),
            ("budget.csv", BUDGET),
        ]);
        assert_eq!(codes_of(&list), [codes::OUT_OF_RANGE; 2]);
        assert_eq!(list[0].value.as_deref(), Some("1e308"));
        assert_eq!(list[1].line, Some(3));
        assert!(list[0].fix.contains("1e15"), "{}", list[0].fix);
    }

    #[test]
    fn semicolon_files_with_decimal_commas_and_blank_rows() {
        let l = loaded(&[
            (
                "projects.csv",
                "\u{feff}ID ; COST ;Duration\r\n\r\nP;1.234,5;2\r\n;;\r\n",
            ),
            (
                "budget.csv",
                "period\tamount\n2025\t1 000,5\n2026\t2'000.25\n",
            ),
        ]);
        assert_eq!(l.workbook.projects[0].cost, 1234.5);
        assert_eq!(l.workbook.budget_total, [Some(1000.5), Some(2000.25)]);
    }

    #[test]
    fn unnamed_columns_are_ignored_unless_they_hold_data() {
        let l = loaded(&[
            ("projects.csv", "id;cost;;\nP;1;;\n"),
            ("budget.csv", "period;amount\nQ1;5\nQ2;5\n"),
            ("capacity.csv", "pool;Q1;Q2;\ndev;1;1;7\n"),
        ]);
        assert_eq!(codes_of(&l.warnings), [codes::UNKNOWN_COLUMN]);
        assert_eq!(l.warnings[0].file, "capacity.csv");
        assert!(l.warnings[0].message.contains("column 4"));
        assert_eq!(l.workbook.capacity, [vec![1.0, 1.0]]);
    }
}
