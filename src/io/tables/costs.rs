//! costs.csv: a project's cost profile (`project`, `offset`, `amount`), one row per project
//! and offset. A negative amount is cash the project brings in that period.

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
    /// Projects with a row that could not be read (reported): their profile is incomplete,
    /// so its sum is not compared with their cost.
    pub broken: std::collections::BTreeSet<String>,
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
        let field = c.number(row, c.col("amount"), &subject, Range::Any, diags);
        let amount = c.required(field, row, "amount", &subject, diags);
        let (Some(offset), Some(amount)) = (offset, amount) else {
            out.broken.insert(project);
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

#[cfg(test)]
mod tests {
    use super::super::{read_text, spots};
    use super::*;
    use crate::diag::codes;

    #[test]
    fn a_profile_row_per_project_and_offset() {
        let (raw, list) = read_text(
            "costs.csv",
            "project,offset,amount\nA,0,10\nA,1,2.5\n",
            read,
        );
        assert!(list.is_empty(), "{list:?}");
        assert_eq!(
            raw.expect("read").rows,
            [
                CostRow {
                    line: 2,
                    project: "A".into(),
                    offset: 0,
                    amount: 10.0
                },
                CostRow {
                    line: 3,
                    project: "A".into(),
                    offset: 1,
                    amount: 2.5
                },
            ]
        );
    }

    #[test]
    fn offsets_are_required_whole_numbers_and_unique() {
        let (raw, list) = read_text(
            "costs.csv",
            "project,offset,amount\nA,0,10\nA,0,5\nA,,5\nA,1.5,5\nA,2,x\n",
            read,
        );
        assert_eq!(
            spots(&list),
            [
                (codes::DUPLICATE_KEY, Some(3), Some("offset")),
                (codes::EMPTY_FIELD, Some(4), Some("offset")),
                (codes::NOT_INTEGER, Some(5), Some("offset")),
                (codes::NOT_A_NUMBER, Some(6), Some("amount")),
            ]
        );
        assert_eq!(list[0].value.as_deref(), Some("0"));
        assert!(
            list[3].message.contains("at offset 2"),
            "{}",
            list[3].message
        );
        let raw = raw.expect("read");
        assert_eq!(raw.rows.len(), 1);
        assert!(
            raw.broken.contains("A"),
            "an unreadable row marks its profile incomplete"
        );
    }

    #[test]
    fn a_negative_amount_is_cash_in() {
        let (raw, list) = read_text(
            "costs.csv",
            "project,offset,amount\nA,0,10\nA,1,-25\n",
            read,
        );
        assert!(list.is_empty(), "{list:?}");
        assert_eq!(raw.expect("read").rows[1].amount, -25.0);
    }

    #[test]
    fn every_column_is_required() {
        let (raw, list) = read_text("costs.csv", "project,amount\nA,1\n", read);
        assert!(raw.is_none());
        assert_eq!(
            spots(&list),
            [(codes::MISSING_COLUMN, Some(1), Some("offset"))]
        );
    }
}
