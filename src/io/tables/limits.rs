//! limits.csv: count limits (`category`, `min_count`, `max_count`, optional `period`), each
//! a whole number ≥ 0 with min ≤ max. Empty or `*` as category means every project; the
//! category and the period are resolved by `resolve::limits`.

use std::collections::BTreeMap;

use super::{duplicate, Cells, Headers};
use crate::diag::{codes, Diags, Loc};
use crate::io::csvfile::Table;

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct LimitRow {
    pub line: usize,
    /// `None`: every project (empty or `*`).
    pub category: Option<String>,
    /// `None`: the selected projects; a label: the projects that start in that period.
    pub period: Option<String>,
    pub min: Option<usize>,
    pub max: Option<usize>,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct RawLimits {
    pub rows: Vec<LimitRow>,
    pub headers: Headers,
}

pub(crate) fn read(table: &Table, diags: &mut Diags) -> Option<RawLimits> {
    let c = Cells { table };
    let known = ["category", "min_count", "max_count", "period"];
    table.warn_unknown(
        |k| known.contains(&k),
        "category, min_count, max_count, period",
        diags,
    );
    let mut out = RawLimits {
        headers: Headers::of(table),
        ..RawLimits::default()
    };
    if c.col("min_count").is_none() && c.col("max_count").is_none() {
        // Either column will do; ask for the one a limit is most often written with.
        table.require(&["max_count"], diags);
        return None;
    }
    let mut seen: BTreeMap<(Option<String>, Option<String>), usize> = BTreeMap::new();
    for row in &table.rows {
        let text = c.text(row, c.col("category"));
        let category = (!text.is_empty() && text != "*").then(|| text.to_string());
        let text = c.text(row, c.col("period"));
        let period = (!text.is_empty()).then(|| text.to_string());
        let mut subject = match &category {
            Some(name) => format!("the count limit of category '{name}'"),
            None => "the count limit of all projects".to_string(),
        };
        if let Some(label) = &period {
            subject = format!("{subject} starting in '{label}'");
        }
        let key = (category.clone(), period.clone());
        if let Some(first) = seen.get(&key) {
            let column = if period.is_some() {
                "period"
            } else {
                "category"
            };
            duplicate(
                diags,
                Loc::cell(table.file, row.line, &table.header_of(column)),
                c.text(row, c.col(column)),
                subject,
                *first,
                "keep one row per category and period; put min_count and max_count on it",
            );
            continue;
        }
        seen.insert(key, row.line);
        let min = c.integer(row, c.col("min_count"), &subject, 0, diags);
        let max = c.integer(row, c.col("max_count"), &subject, 0, diags);
        let (Some(min), Some(max)) = (min.optional(), max.optional()) else {
            continue;
        };
        if let (Some(a), Some(b)) = (min, max) {
            if a > b {
                let column = table.header_of("min_count");
                diags.add(
                    codes::COUNT_ORDER,
                    Loc::cell(table.file, row.line, &column),
                    Some(c.text(row, c.col("min_count"))),
                    format!("{subject} has min_count {a} above its max_count {b}"),
                    "make min_count ≤ max_count",
                );
                continue;
            }
        }
        out.rows.push(LimitRow {
            line: row.line,
            category,
            period,
            min,
            max,
        });
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::super::{read_text, spots};
    use super::*;

    #[test]
    fn limits_read_with_their_scope() {
        let (raw, list) = read_text(
            "limits.csv",
            "category,min_count,max_count,period\nIT,,3,\n*,2,,\n,1,1,2027-Q1\n",
            read,
        );
        assert!(list.is_empty(), "{list:?}");
        let rows = raw.expect("read").rows;
        assert_eq!(rows.len(), 3);
        assert_eq!(rows[0].category.as_deref(), Some("IT"));
        assert_eq!((rows[0].min, rows[0].max), (None, Some(3)));
        assert_eq!((rows[1].category.as_deref(), rows[1].min), (None, Some(2)));
        assert_eq!(rows[2].period.as_deref(), Some("2027-Q1"));
        assert_eq!(
            (rows[2].min, rows[2].max, rows[2].line),
            (Some(1), Some(1), 4)
        );
    }

    #[test]
    fn order_counts_and_duplicates_are_reported() {
        let (raw, list) = read_text(
            "limits.csv",
            "category,min_count,max_count\nIT,4,3\nOps,1.5,\n,2,\n*,,5\n",
            read,
        );
        assert_eq!(
            spots(&list),
            [
                (codes::COUNT_ORDER, Some(2), Some("min_count")),
                (codes::NOT_INTEGER, Some(3), Some("min_count")),
                (codes::DUPLICATE_KEY, Some(5), Some("category")),
            ]
        );
        assert_eq!(raw.expect("read").rows.len(), 1);
    }

    #[test]
    fn a_count_column_is_required() {
        let (raw, list) = read_text("limits.csv", "category\nIT\n", read);
        assert!(raw.is_none());
        assert_eq!(
            spots(&list),
            [(codes::MISSING_COLUMN, Some(1), Some("max_count"))]
        );
    }
}
