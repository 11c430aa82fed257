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
