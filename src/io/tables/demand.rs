//! demand.csv: the FTE each project needs of each pool (`project`, `pool`, `fte`, optional
//! `offset` into the project's duration), one row per project, pool and offset.

use std::collections::BTreeMap;

use super::{duplicate, Cells, Field, Headers, Range};
use crate::diag::{codes, Diags, Loc};
use crate::io::csvfile::Table;

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct DemandRow {
    pub line: usize,
    pub project: String,
    pub pool: String,
    pub fte: f64,
    /// `None` for a flat row (every running period).
    pub offset: Option<usize>,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct RawDemand {
    pub rows: Vec<DemandRow>,
    pub headers: Headers,
}

pub(crate) fn read(table: &Table, diags: &mut Diags) -> Option<RawDemand> {
    let c = Cells { table };
    let known = ["project", "pool", "fte", "offset"];
    table.warn_unknown(|k| known.contains(&k), "project, pool, fte, offset", diags);
    let mut out = RawDemand {
        headers: Headers::of(table),
        ..RawDemand::default()
    };
    if !table.require(&["project", "pool", "fte"], diags) {
        return None;
    }
    // (project, pool) → (first line, flat?) to catch mixing; and the keys seen.
    let mut kind: BTreeMap<(String, String), (usize, bool)> = BTreeMap::new();
    let mut seen: BTreeMap<(String, String, Option<usize>), usize> = BTreeMap::new();
    for row in &table.rows {
        let project = c.required_text(row, "project", "a demand row", diags);
        let pool = c.required_text(row, "pool", "a demand row", diags);
        let (Some(project), Some(pool)) = (project, pool) else {
            continue;
        };
        let subject = format!("project {project}'s demand for pool '{pool}'");
        let offset = match c.integer(row, c.col("offset"), &subject, 0, diags) {
            Field::Empty => None,
            Field::Bad => continue,
            Field::Ok(o) => Some(o),
        };
        let field = c.number(row, c.col("fte"), &subject, Range::NonNegative, diags);
        let Some(fte) = c.required(field, row, "fte", &subject, diags) else {
            continue;
        };
        let pair = (project.clone(), pool.clone());
        match kind.get(&pair) {
            Some((first, flat)) if *flat != offset.is_none() => {
                let column = table.header_of("offset");
                let (this, that) = if offset.is_none() {
                    ("a flat row", "rows with an offset")
                } else {
                    ("a row with an offset", "flat rows")
                };
                diags.add(
                    codes::MIXED_DEMAND,
                    Loc::cell(table.file, row.line, &column),
                    Some(c.text(row, c.col("offset"))),
                    format!("{subject} mixes {this} with {that} (first on line {first})"),
                    "give either one flat row (no offset) or one row per offset, not both",
                );
                continue;
            }
            Some(_) => {}
            None => {
                kind.insert(pair, (row.line, offset.is_none()));
            }
        }
        let key = (project.clone(), pool.clone(), offset);
        if let Some(first) = seen.get(&key) {
            let what = match offset {
                Some(o) => format!("{subject} at offset {o}"),
                None => subject.clone(),
            };
            duplicate(
                diags,
                Loc::cell(table.file, row.line, &table.header_of("project")),
                &project,
                what,
                *first,
                "keep one row per project, pool and offset",
            );
            continue;
        }
        seen.insert(key, row.line);
        out.rows.push(DemandRow {
            line: row.line,
            project,
            pool,
            fte,
            offset,
        });
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::super::{read_text, spots};
    use super::*;

    #[test]
    fn flat_rows_and_rows_by_offset_are_read() {
        let (raw, list) = read_text(
            "demand.csv",
            "project,pool,fte,offset\nA,dev,1,\nB,dev,0.5,0\nB,dev,1.5,2\n",
            read,
        );
        assert!(list.is_empty(), "{list:?}");
        let rows = raw.expect("read").rows;
        let got: Vec<(usize, &str, f64, Option<usize>)> = rows
            .iter()
            .map(|r| (r.line, r.project.as_str(), r.fte, r.offset))
            .collect();
        assert_eq!(
            got,
            [
                (2, "A", 1.0, None),
                (3, "B", 0.5, Some(0)),
                (4, "B", 1.5, Some(2))
            ]
        );
    }

    #[test]
    fn mixing_flat_and_offset_rows_and_duplicates_are_reported() {
        let (raw, list) = read_text(
            "demand.csv",
            "project,pool,fte,offset\nA,dev,1,\nA,dev,1,1\nB,dev,1,0\nB,dev,2,0\nC,dev,1,-1\nC,qa,,\n",
            read,
        );
        assert_eq!(
            spots(&list),
            [
                (codes::MIXED_DEMAND, Some(3), Some("offset")),
                (codes::DUPLICATE_KEY, Some(5), Some("project")),
                (codes::NOT_INTEGER, Some(6), Some("offset")),
                (codes::EMPTY_FIELD, Some(7), Some("fte")),
            ]
        );
        assert!(
            list[0].message.contains("first on line 2"),
            "{}",
            list[0].message
        );
        assert!(
            list[1].message.contains("at offset 0"),
            "{}",
            list[1].message
        );
        let lines: Vec<usize> = raw.expect("read").rows.iter().map(|r| r.line).collect();
        assert_eq!(lines, [2, 4]);
    }

    #[test]
    fn project_pool_and_fte_columns_are_required() {
        let (raw, list) = read_text("demand.csv", "project,fte\nA,1\n", read);
        assert!(raw.is_none());
        assert_eq!(
            spots(&list),
            [(codes::MISSING_COLUMN, Some(1), Some("pool"))]
        );
    }
}
