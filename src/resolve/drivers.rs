//! The drivers across files: drivers.csv or pairwise.csv (not both), their weights
//! normalised, and every driver matched to a score column of projects.csv.

use crate::diag::{codes, Diags, Loc};
use crate::io::tables::driver_key;
use crate::io::RawWorkbook;
use crate::model::{Driver, Inconsistency, WeightSource, Workbook};

pub(super) fn resolve(raw: &RawWorkbook, wb: &mut Workbook, diags: &mut Diags) {
    let both = !raw.drivers.is_absent() && !raw.pairwise.is_absent();
    if both {
        diags.add(
            codes::BOTH_WEIGHT_FILES,
            Loc::file("pairwise.csv"),
            None,
            "drivers.csv and pairwise.csv both give the driver weights",
            "keep one: delete pairwise.csv to use the weights of drivers.csv, or delete drivers.csv to derive the weights from pairwise.csv",
        );
    }
    let columns = raw.projects.read().map(|p| &p.driver_keys);
    let mut check_column = |name: &str, file: &str, line: usize, column: &str| {
        if let Some(keys) = columns {
            if !keys.contains(&driver_key(name)) {
                diags.add(
                    codes::DRIVER_WITHOUT_COLUMN,
                    Loc::cell(file, line, column),
                    Some(name),
                    format!("driver '{name}' has no column in projects.csv"),
                    format!("add a column '{name}' with each project's score to projects.csv, or remove the driver from {file}"),
                );
            }
        }
    };
    if let Some(d) = raw.drivers.read() {
        let column = d.headers.get("driver");
        for row in &d.rows {
            check_column(&row.name, "drivers.csv", row.line, &column);
        }
        if !both {
            let sum: f64 = d.rows.iter().map(|r| r.weight).sum();
            if sum > 0.0 {
                wb.drivers = d
                    .rows
                    .iter()
                    .map(|r| Driver {
                        name: r.name.clone(),
                        weight: r.weight / sum,
                    })
                    .collect();
                wb.weight_source = WeightSource::Weights { total: sum };
            }
        }
    }
    if let Some(p) = raw.pairwise.read() {
        for (name, line, column) in &p.names {
            check_column(name, "pairwise.csv", *line, column);
        }
        if let (Some(ahp), false) = (&p.ahp, both) {
            wb.drivers = p
                .names
                .iter()
                .zip(&ahp.weights)
                .map(|((name, _, _), w)| Driver {
                    name: name.clone(),
                    weight: *w,
                })
                .collect();
            wb.weight_source = WeightSource::Pairwise {
                consistency_ratio: ahp.consistency_ratio,
                lambda_max: ahp.lambda_max,
                worst: ahp.worst.map(|(i, j, given, implied)| Inconsistency {
                    a: p.names[i].0.clone(),
                    b: p.names[j].0.clone(),
                    given,
                    implied,
                }),
            };
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::diag::codes;
    use crate::error::Error;
    use crate::io::ReadOptions;
    use crate::model::WeightSource;
    use crate::resolve::testing::{codes_of, folder, loaded, read_dir, BUDGET};

    #[test]
    fn pairwise_gives_ahp_weights_and_driver_columns_ignore_case() {
        let l = loaded(&[
            ("projects.csv", "id,cost,Strategic Fit,RISK,Cost_Saving\nP,1,3,2,1\n"),
            (
                "pairwise.csv",
                "driver_a,driver_b,ratio\nstrategic_fit,risk,3\nstrategic-fit,cost saving,5\ncost saving,risk,1/3\n",
            ),
            ("budget.csv", BUDGET),
        ]);
        let wb = &l.workbook;
        let names: Vec<&str> = wb.drivers.iter().map(|d| d.name.as_str()).collect();
        assert_eq!(names, ["strategic_fit", "risk", "cost saving"]);
        assert!((wb.drivers[0].weight - 0.6370).abs() < 1e-3);
        assert!((wb.drivers[1].weight - 0.2583).abs() < 1e-3);
        let WeightSource::Pairwise {
            consistency_ratio,
            lambda_max,
            ..
        } = wb.weight_source
        else {
            panic!("{:?}", wb.weight_source)
        };
        assert!((consistency_ratio - 0.0332).abs() < 1e-3);
        assert!((lambda_max - 3.0385).abs() < 1e-3);
        assert_eq!(wb.projects[0].scores, [3.0, 2.0, 1.0]);
    }

    #[test]
    fn inconsistent_pairwise_is_a_warning_unless_strict() {
        let files = [
            ("projects.csv", "id,cost,a,b,c\nP,1,1,1,1\n"),
            (
                "pairwise.csv",
                "driver_a,driver_b,ratio\na,b,9\nb,c,9\nc,a,9\n",
            ),
            ("budget.csv", BUDGET),
        ];
        let l = loaded(&files);
        assert_eq!(
            codes_of(&l.warnings),
            [codes::INCONSISTENT_PAIRWISE_WARNING]
        );
        let dir = folder(&files);
        let strict = ReadOptions { strict: true };
        match read_dir(dir.path(), &strict) {
            Err(Error::Invalid(list)) => {
                assert_eq!(codes_of(&list), [codes::INCONSISTENT_PAIRWISE]);
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn drivers_weights_are_normalised() {
        let l = loaded(&[
            ("projects.csv", "id,cost,fit,risk\nP,1,4,\n"),
            ("drivers.csv", "driver,weight\nFit,3\nRisk,1\n"),
            ("budget.csv", BUDGET),
        ]);
        assert_eq!(l.workbook.drivers[0].weight, 0.75);
        assert_eq!(l.workbook.projects[0].scores, [4.0, 0.0]);
        assert!(matches!(
            l.workbook.weight_source,
            WeightSource::Weights { .. }
        ));
    }
}
