//! balance.csv: the share of spend each category may take (`category`, `min_share`,
//! `max_share`), shares between 0 and 1 with min ≤ max.

use std::collections::BTreeMap;

use super::{duplicate, Cells, Headers, Range};
use crate::diag::{codes, Diags, Loc};
use crate::io::csvfile::Table;

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct BalanceRow {
    pub line: usize,
    pub category: String,
    pub min_share: f64,
    pub max_share: f64,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct RawBalance {
    pub rows: Vec<BalanceRow>,
    pub headers: Headers,
}

pub(crate) fn read(table: &Table, diags: &mut Diags) -> Option<RawBalance> {
    let c = Cells { table };
    let known = ["category", "min_share", "max_share"];
    table.warn_unknown(
        |k| known.contains(&k),
        "category, min_share, max_share",
        diags,
    );
    let mut out = RawBalance {
        headers: Headers::of(table),
        ..RawBalance::default()
    };
    if !table.require(&["category"], diags) {
        return None;
    }
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    for row in &table.rows {
        let Some(category) = c.required_text(row, "category", "a balance row", diags) else {
            continue;
        };
        let subject = format!("category '{category}'");
        if let Some(first) = seen.get(&category) {
            duplicate(
                diags,
                Loc::cell(table.file, row.line, &table.header_of("category")),
                &category,
                format!("the balance of {subject}"),
                *first,
                "keep one row per category",
            );
            continue;
        }
        seen.insert(category.clone(), row.line);
        let min = c
            .number(row, c.col("min_share"), &subject, Range::Share, diags)
            .or(0.0);
        let max = c
            .number(row, c.col("max_share"), &subject, Range::Share, diags)
            .or(1.0);
        let (Some(min_share), Some(max_share)) = (min, max) else {
            continue;
        };
        if min_share > max_share {
            let column = table.header_of("min_share");
            diags.add(
                codes::SHARE_ORDER,
                Loc::cell(table.file, row.line, &column),
                Some(c.text(row, c.col("min_share"))),
                format!("{subject} has min_share {min_share} above its max_share {max_share}"),
                "make min_share ≤ max_share",
            );
            continue;
        }
        out.rows.push(BalanceRow {
            line: row.line,
            category,
            min_share,
            max_share,
        });
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::super::{read_text, spots};
    use super::*;

    #[test]
    fn shares_default_to_zero_and_one() {
        let (raw, list) = read_text(
            "balance.csv",
            "Category,min_share,max_share\nIT,0.2,\nOps,,0.5\n",
            read,
        );
        assert!(list.is_empty(), "{list:?}");
        let raw = raw.expect("read");
        assert_eq!(
            raw.rows,
            [
                BalanceRow {
                    line: 2,
                    category: "IT".into(),
                    min_share: 0.2,
                    max_share: 1.0
                },
                BalanceRow {
                    line: 3,
                    category: "Ops".into(),
                    min_share: 0.0,
                    max_share: 0.5
                },
            ]
        );
        assert_eq!(raw.headers.get("category"), "Category");
    }

    #[test]
    fn order_range_duplicates_and_empty_categories_are_reported() {
        let (raw, list) = read_text(
            "balance.csv",
            "category,min_share,max_share\nIT,0.6,0.4\nIT,0.1,0.2\nOps,1.5,\n,0.1,\n",
            read,
        );
        assert_eq!(
            spots(&list),
            [
                (codes::SHARE_ORDER, Some(2), Some("min_share")),
                (codes::DUPLICATE_KEY, Some(3), Some("category")),
                (codes::OUT_OF_RANGE, Some(4), Some("min_share")),
                (codes::EMPTY_FIELD, Some(5), Some("category")),
            ]
        );
        assert_eq!(list[0].value.as_deref(), Some("0.6"));
        assert!(
            list[1].message.contains("first on line 2"),
            "{}",
            list[1].message
        );
        assert!(raw.expect("read").rows.is_empty());
    }

    #[test]
    fn the_category_column_is_required() {
        let (raw, list) = read_text("balance.csv", "min_share,share\n0.1,1\n", read);
        assert!(raw.is_none());
        assert_eq!(
            spots(&list),
            [
                (codes::MISSING_COLUMN, Some(1), Some("category")),
                (codes::UNKNOWN_COLUMN, Some(1), Some("share")),
            ]
        );
    }
}
