//! drivers.csv: the drivers and their weights (`driver`, `weight`), one row each, with
//! unique names (ignoring case, spaces, `-` and `_`) and weights ≥ 0.

use std::collections::BTreeMap;

use super::{driver_key, duplicate, Cells, Headers, Range};
use crate::diag::{codes, Diags, Loc};
use crate::io::csvfile::Table;

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct RawDriver {
    pub line: usize,
    pub name: String,
    pub weight: f64,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct RawDrivers {
    pub rows: Vec<RawDriver>,
    pub headers: Headers,
    /// Every driver name, valid weight or not (to recognise score columns).
    pub names: Vec<String>,
}

pub(crate) fn read(table: &Table, diags: &mut Diags) -> Option<RawDrivers> {
    let c = Cells { table };
    table.warn_unknown(|k| k == "driver" || k == "weight", "driver, weight", diags);
    let mut out = RawDrivers {
        headers: Headers::of(table),
        ..RawDrivers::default()
    };
    if !table.require(&["driver", "weight"], diags) {
        return None;
    }
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    let mut all_valid = true;
    for row in &table.rows {
        let Some(name) = c.required_text(row, "driver", "a driver", diags) else {
            all_valid = false;
            continue;
        };
        if let Some(first) = seen.get(&driver_key(&name)) {
            duplicate(
                diags,
                Loc::cell(table.file, row.line, &table.header_of("driver")),
                &name,
                format!("driver '{name}'"),
                *first,
                "give each driver one row",
            );
            all_valid = false;
            continue;
        }
        seen.insert(driver_key(&name), row.line);
        out.names.push(name.clone());
        let subject = format!("driver '{name}'");
        let field = c.number(row, c.col("weight"), &subject, Range::NonNegative, diags);
        match c.required(field, row, "weight", &subject, diags) {
            Some(weight) => out.rows.push(RawDriver {
                line: row.line,
                name,
                weight,
            }),
            None => all_valid = false,
        }
    }
    if all_valid && !out.rows.is_empty() && out.rows.iter().all(|d| d.weight == 0.0) {
        let column = table.header_of("weight");
        diags.add(
            codes::ZERO_WEIGHTS,
            Loc::cell(table.file, out.rows[0].line, &column),
            Some("0"),
            "every driver in drivers.csv has weight 0, so no project scores anything",
            "give at least one driver a weight above 0 (weights are normalised to sum to 1)",
        );
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::super::{read_text, spots};
    use super::*;

    #[test]
    fn drivers_and_weights_are_read_in_order() {
        let (raw, list) = read_text("drivers.csv", "Driver,Weight\nFit,3\nrisk,0\n", read);
        assert!(list.is_empty(), "{list:?}");
        let raw = raw.expect("read");
        assert_eq!(
            raw.rows,
            [
                RawDriver {
                    line: 2,
                    name: "Fit".into(),
                    weight: 3.0
                },
                RawDriver {
                    line: 3,
                    name: "risk".into(),
                    weight: 0.0
                },
            ]
        );
        assert_eq!(raw.names, ["Fit", "risk"]);
        assert_eq!(raw.headers.get("weight"), "Weight");
    }

    #[test]
    fn names_are_unique_ignoring_case_and_separators() {
        let (raw, list) = read_text(
            "drivers.csv",
            "driver,weight\nCost Saving,1\ncost_saving,2\n,1\nrisk,-1\nfit,\n",
            read,
        );
        assert_eq!(
            spots(&list),
            [
                (codes::DUPLICATE_KEY, Some(3), Some("driver")),
                (codes::EMPTY_FIELD, Some(4), Some("driver")),
                (codes::OUT_OF_RANGE, Some(5), Some("weight")),
                (codes::EMPTY_FIELD, Some(6), Some("weight")),
            ]
        );
        let raw = raw.expect("read");
        // A driver with a wrong weight still names a score column.
        assert_eq!(raw.names, ["Cost Saving", "risk", "fit"]);
        assert_eq!(raw.rows.len(), 1);
    }

    #[test]
    fn all_weights_zero_is_an_error_on_the_first_row() {
        let (_, list) = read_text("drivers.csv", "driver,weight\na,0\nb,0\n", read);
        assert_eq!(
            spots(&list),
            [(codes::ZERO_WEIGHTS, Some(2), Some("weight"))]
        );
        let (_, list) = read_text("drivers.csv", "driver\na\n", read);
        assert_eq!(
            spots(&list),
            [(codes::MISSING_COLUMN, Some(1), Some("weight"))]
        );
    }
}
