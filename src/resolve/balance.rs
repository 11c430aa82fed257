//! balance.csv across files: each category's share of spend, by the workbook's category
//! index; a category that no project has is a warning.

use std::collections::BTreeSet;

use crate::diag::{codes, Diags, Loc};
use crate::io::RawWorkbook;
use crate::model::{Balance, Workbook};

pub(super) fn resolve(raw: &RawWorkbook, wb: &mut Workbook, diags: &mut Diags) {
    let Some(balance) = raw.balance.read() else {
        return;
    };
    let used: BTreeSet<usize> = wb.projects.iter().filter_map(|p| p.category).collect();
    let column = balance.headers.get("category");
    for row in &balance.rows {
        let Some(category) = wb.categories.iter().position(|c| *c == row.category) else {
            continue;
        };
        if !used.contains(&category) && raw.projects.read().is_some() {
            diags.add(
                codes::BALANCE_CATEGORY_UNUSED,
                Loc::cell("balance.csv", row.line, &column),
                Some(&row.category),
                format!("balance category '{}' is not the category of any project", row.category),
                "correct the category name, or give it to the projects it should cover in projects.csv",
            );
        }
        wb.balance.push(Balance {
            category,
            min_share: row.min_share,
            max_share: row.max_share,
        });
    }
}
