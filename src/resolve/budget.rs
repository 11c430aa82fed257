//! budget.csv across files: each cap's period against the horizon, the totals and the
//! categories' caps by period, and which rows carry what they leave unspent (`carry`).

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
    let mut per_category: BTreeMap<String, Vec<Option<f64>>> = categories
        .iter()
        .map(|c| (c.clone(), vec![None; h]))
        .collect();
    let mut carry_category: BTreeMap<String, Vec<bool>> = categories
        .into_iter()
        .map(|c| (c, vec![false; h]))
        .collect();
    let mut carry_total = vec![false; h];
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
            None => {
                wb.budget_total[t] = Some(cap.amount);
                carry_total[t] = cap.carry;
            }
            Some(c) => {
                if let Some(caps) = per_category.get_mut(c) {
                    caps[t] = Some(cap.amount);
                }
                if let Some(carry) = carry_category.get_mut(c) {
                    carry[t] = cap.carry;
                }
            }
        }
    }
    // Without any carrying row the flags stay empty, so that a workbook without the column
    // is the same model as before it existed.
    wb.carry_total = if carry_total.contains(&true) {
        carry_total
    } else {
        Vec::new()
    };
    // Stored by name until resolve_categories turns names into indices.
    wb.budget_category = BTreeMap::new();
    wb.carry_category = BTreeMap::new();
    for (name, caps) in per_category {
        let carry = carry_category.remove(&name).unwrap_or_default();
        wb.categories.push(name);
        let idx = wb.categories.len() - 1;
        wb.budget_category.insert(idx, caps);
        if carry.contains(&true) {
            wb.carry_category.insert(idx, carry);
        }
    }
}
