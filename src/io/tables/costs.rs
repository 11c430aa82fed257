//! costs.csv: a project's cost profile (`project`, `offset`, `amount`), one row per project
//! and offset.

use std::collections::BTreeMap;

use super::{duplicate, Cells, Headers, Range};
use crate::diag::{Diags, Loc};
use crate::io::csvfile::Table;

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct CostRow {
    pub line: usize,
    pub project: String,
    pub offset: usize,
    pub amount: f64,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct RawCosts {
    pub rows: Vec<CostRow>,
    pub headers: Headers,
}

pub(crate) fn read(table: &Table, diags: &mut Diags) -> Option<RawCosts> {
    let c = Cells { table };
    let known = ["project", "offset", "amount"];
    table.warn_unknown(|k| known.contains(&k), "project, offset, amount", diags);
    let mut out = RawCosts {
        headers: Headers::of(table),
        ..RawCosts::default()
    };
    if !table.require(&known, diags) {
        return None;
    }
    let mut seen: BTreeMap<(String, usize), usize> = BTreeMap::new();
    for row in &table.rows {
        let Some(project) = c.required_text(row, "project", "a cost row", diags) else {
            continue;
        };
        let subject = format!("project {project}'s cost profile");
        let field = c.integer(row, c.col("offset"), &subject, 0, diags);
        let offset = c.required(field, row, "offset", &subject, diags);
        let subject = match offset {
            Some(o) => format!("project {project}'s cost at offset {o}"),
            None => subject,
        };
        let field = c.number(row, c.col("amount"), &subject, Range::NonNegative, diags);
        let amount = c.required(field, row, "amount", &subject, diags);
        let (Some(offset), Some(amount)) = (offset, amount) else {
            continue;
        };
        let key = (project.clone(), offset);
        if let Some(first) = seen.get(&key) {
            duplicate(
                diags,
                Loc::cell(table.file, row.line, &table.header_of("offset")),
                &offset.to_string(),
                subject,
                *first,
                "keep one row per project and offset",
            );
            continue;
        }
        seen.insert(key, row.line);
        out.rows.push(CostRow {
            line: row.line,
            project,
            offset,
            amount,
        });
    }
    Some(out)
}
