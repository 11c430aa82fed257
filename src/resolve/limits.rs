//! limits.csv across files: each count limit's category (by the workbook's category index;
//! empty or `*` = every project) and period (against the horizon).

use super::Horizon;
use crate::diag::{codes, Diags, Loc};
use crate::io::RawWorkbook;
use crate::model::{Limit, Workbook};

pub(super) fn resolve(raw: &RawWorkbook, horizon: &Horizon, wb: &mut Workbook, diags: &mut Diags) {
    let Some(limits) = raw.limits.read() else {
        return;
    };
    for row in &limits.rows {
        let category = match &row.category {
            None => None,
            Some(name) => match wb.categories.iter().position(|c| c == name) {
                Some(c) => Some(c),
                None => {
                    let known = if wb.categories.is_empty() {
                        "no project has a category yet".to_string()
                    } else {
                        format!("the categories are {}", super::list(&wb.categories))
                    };
                    diags.add(
                        codes::UNKNOWN_CATEGORY,
                        Loc::cell("limits.csv", row.line, &limits.headers.get("category")),
                        Some(name),
                        format!("limits.csv names category '{name}', which no project, budget or balance row has"),
                        format!("correct the name ({known}), or leave the cell empty (or *) to count every project"),
                    );
                    continue;
                }
            },
        };
        let period = match &row.period {
            None => None,
            Some(label) => match horizon.index(label) {
                Some(t) => Some(t),
                None => {
                    if horizon.known {
                        diags.add(
                            codes::UNKNOWN_PERIOD,
                            Loc::cell("limits.csv", row.line, &limits.headers.get("period")),
                            Some(label),
                            format!("limits.csv names period '{label}', which is not in the horizon"),
                            format!(
                                "use one of the periods {}, or leave the cell empty to count the selected projects",
                                horizon.list()
                            ),
                        );
                    }
                    continue;
                }
            },
        };
        wb.limits.push(Limit {
            category,
            period,
            min: row.min,
            max: row.max,
            line: row.line,
        });
    }
}
