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
