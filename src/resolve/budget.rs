//! budget.csv across files: each cap's period against the horizon, the totals and the
//! categories' caps by period.

use std::collections::{BTreeMap, BTreeSet};

use super::Horizon;
use crate::diag::{codes, Diags, Loc};
use crate::io::RawWorkbook;
use crate::model::Workbook;

pub(super) fn resolve(raw: &RawWorkbook, horizon: &Horizon, wb: &mut Workbook, diags: &mut Diags) {
    let h = horizon.len();
    wb.budget_total = vec![None; h];
    let Some(budget) = raw.budget.read() else {
        return;
    };
    let mut categories: BTreeSet<String> = BTreeSet::new();
    for cap in &budget.caps {
        if let Some(c) = &cap.category {
            categories.insert(c.clone());
        }
    }
    // Category indices are only known once every category is collected; keep names here.
    let mut per_category: BTreeMap<String, Vec<Option<f64>>> =
        categories.into_iter().map(|c| (c, vec![None; h])).collect();
    for cap in &budget.caps {
        let Some(t) = horizon.index(&cap.period) else {
            // budget.csv defines the horizon; a period missing here means the horizon came
            // from elsewhere, which cannot happen, but is reported rather than dropped.
            if horizon.known {
                diags.add(
                    codes::UNKNOWN_PERIOD,
                    Loc::cell("budget.csv", cap.line, &cap.column),
                    Some(&cap.period),
                    format!(
                        "budget.csv names period '{}', which is not in the horizon",
                        cap.period
                    ),
                    format!("use one of the periods {}", horizon.list()),
                );
            }
            continue;
        };
        match &cap.category {
            None => wb.budget_total[t] = Some(cap.amount),
            Some(c) => {
                if let Some(caps) = per_category.get_mut(c) {
                    caps[t] = Some(cap.amount);
                }
            }
        }
    }
    // Stored by name until resolve_categories turns names into indices.
    wb.budget_category = BTreeMap::new();
    for (name, caps) in per_category {
        wb.categories.push(name);
        let idx = wb.categories.len() - 1;
        wb.budget_category.insert(idx, caps);
    }
}
