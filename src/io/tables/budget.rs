//! budget.csv: the budget caps by period, long (`period`, `amount`, optional `category`) or
//! wide (one column per period), a total or a category's; its periods, in order of first
//! appearance, are the planning horizon.

use std::collections::BTreeMap;

use super::{duplicate, Cells, Field, Range};
use crate::diag::{Diags, Loc};
use crate::io::csvfile::Table;

/// One cap: a total (category `None`) or a category's, for one period.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct BudgetCap {
    pub line: usize,
    /// The column the amount sits in (`amount` in the long layout, the period in the wide).
    pub column: String,
    pub period: String,
    pub category: Option<String>,
    pub amount: f64,
    /// `carry`: what this row leaves unspent is added to the next period's row of the same
    /// scope.
    pub carry: bool,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct RawBudget {
    /// Periods in order of first appearance (the horizon).
    pub periods: Vec<String>,
    pub caps: Vec<BudgetCap>,
}

/// Empty or `*` means "all categories": the total.
fn budget_category(text: &str) -> Option<String> {
    (!text.is_empty() && text != "*").then(|| text.to_string())
}

fn category_phrase(category: &Option<String>) -> String {
    match category {
        Some(c) => format!("category '{c}'"),
        None => "the total".to_string(),
    }
}

pub(crate) fn read(table: &Table, diags: &mut Diags) -> Option<RawBudget> {
    let c = Cells { table };
    let mut out = RawBudget::default();
    let mut seen: BTreeMap<(String, Option<String>), usize> = BTreeMap::new();
    let fix = "keep one amount per period and category";
    if let Some(period_col) = c.col("period") {
        let known = ["period", "amount", "category", "carry"];
        table.warn_unknown(
            |k| known.contains(&k),
            "period, amount, category, carry",
            diags,
        );
        if !table.require(&["period", "amount"], diags) {
            return None;
        }
        let amount_col = c.col("amount");
        for row in &table.rows {
            let Some(period) = c.required_text(row, "period", "a budget row", diags) else {
                continue;
            };
            if !out.periods.contains(&period) {
                out.periods.push(period.clone());
            }
            let category = budget_category(c.text(row, c.col("category")));
            let subject = format!(
                "the budget of period '{period}' for {}",
                category_phrase(&category)
            );
            let key = (period.clone(), category.clone());
            if let Some(first) = seen.get(&key) {
                duplicate(
                    diags,
                    Loc::cell(table.file, row.line, table.header(period_col)),
                    &period,
                    subject,
                    *first,
                    fix,
                );
                continue;
            }
            seen.insert(key, row.line);
            let field = c.number(row, amount_col, &subject, Range::NonNegative, diags);
            let carry = c.yes_no(row, c.col("carry"), &subject, diags);
            if let Some(amount) = c.required(field, row, "amount", &subject, diags) {
                out.caps.push(BudgetCap {
                    line: row.line,
                    column: table.header_of("amount"),
                    period,
                    category,
                    amount,
                    carry,
                });
            }
        }
    } else {
        // Wide: an optional category column, every other named column is a period. Only an
        // unnamed column can be unknown here.
        table.warn_unknown(
            |_| true,
            "category, carry, then one column per period",
            diags,
        );
        let category_col = c.col("category");
        let carry_col = c.col("carry");
        let period_cols: Vec<usize> = (0..table.headers.len())
            .filter(|i| {
                Some(*i) != category_col && Some(*i) != carry_col && !table.keys[*i].is_empty()
            })
            .collect();
        for &i in &period_cols {
            if !out.periods.contains(&table.headers[i]) {
                out.periods.push(table.headers[i].clone());
            }
        }
        let mut seen_rows: BTreeMap<Option<String>, usize> = BTreeMap::new();
        for row in &table.rows {
            let category = budget_category(c.text(row, category_col));
            if let Some(first) = seen_rows.get(&category) {
                let loc = match category_col {
                    Some(col) => Loc::cell(table.file, row.line, table.header(col)),
                    None => Loc::line(table.file, row.line),
                };
                let value = category.clone().unwrap_or_default();
                duplicate(
                    diags,
                    loc,
                    &value,
                    format!("the budget row of {}", category_phrase(&category)),
                    *first,
                    "keep one row per category (and one row for the total)",
                );
                continue;
            }
            seen_rows.insert(category.clone(), row.line);
            let carry = c.yes_no(
                row,
                carry_col,
                &format!("the budget row of {}", category_phrase(&category)),
                diags,
            );
            for &i in &period_cols {
                let period = table.headers[i].clone();
                let subject = format!(
                    "the budget of period '{period}' for {}",
                    category_phrase(&category)
                );
                if let Field::Ok(amount) =
                    c.number(row, Some(i), &subject, Range::NonNegative, diags)
                {
                    out.caps.push(BudgetCap {
                        line: row.line,
                        column: period.clone(),
                        period,
                        category: category.clone(),
                        amount,
                        carry,
                    });
                }
            }
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::super::{read_text, spots};
    use super::*;
    use crate::diag::codes;

    fn cap(
        line: usize,
        column: &str,
        period: &str,
        category: Option<&str>,
        amount: f64,
    ) -> BudgetCap {
        BudgetCap {
            line,
            column: column.into(),
            period: period.into(),
            category: category.map(str::to_string),
            amount,
            carry: false,
        }
    }

    #[test]
    fn long_budget_gives_periods_in_order_of_first_appearance() {
        let (raw, list) = read_text(
            "budget.csv",
            "period,Amount,category\nQ2,10,\nQ1,5,IT\nQ1,20,*\n",
            read,
        );
        assert!(list.is_empty(), "{list:?}");
        let raw = raw.expect("read");
        assert_eq!(raw.periods, ["Q2", "Q1"]);
        assert_eq!(
            raw.caps,
            [
                cap(2, "Amount", "Q2", None, 10.0),
                cap(3, "Amount", "Q1", Some("IT"), 5.0),
                cap(4, "Amount", "Q1", None, 20.0),
            ]
        );
    }

    #[test]
    fn long_budget_reports_duplicates_negatives_and_empty_amounts() {
        let (raw, list) = read_text(
            "budget.csv",
            "period,amount\nQ1,10\nQ1,10\nQ2,-5\nQ3,\n,4\n",
            read,
        );
        assert_eq!(
            spots(&list),
            [
                (codes::DUPLICATE_KEY, Some(3), Some("period")),
                (codes::OUT_OF_RANGE, Some(4), Some("amount")),
                (codes::EMPTY_FIELD, Some(5), Some("amount")),
                (codes::EMPTY_FIELD, Some(6), Some("period")),
            ]
        );
        assert!(list[0].message.contains("the total"), "{}", list[0].message);
        let raw = raw.expect("read");
        // A period with a wrong amount is still part of the horizon.
        assert_eq!(raw.periods, ["Q1", "Q2", "Q3"]);
        assert_eq!(raw.caps, [cap(2, "amount", "Q1", None, 10.0)]);
    }

    #[test]
    fn wide_budget_has_a_column_per_period_and_a_row_per_category() {
        let (raw, list) = read_text("budget.csv", "category,Q1,Q2\n,10,\nIT,5,x\nIT,1,1\n", read);
        assert_eq!(
            spots(&list),
            [
                (codes::NOT_A_NUMBER, Some(3), Some("Q2")),
                (codes::DUPLICATE_KEY, Some(4), Some("category")),
            ]
        );
        let raw = raw.expect("read");
        assert_eq!(raw.periods, ["Q1", "Q2"]);
        // An empty cell caps nothing.
        assert_eq!(
            raw.caps,
            [
                cap(2, "Q1", "Q1", None, 10.0),
                cap(3, "Q1", "Q1", Some("IT"), 5.0)
            ]
        );
    }

    #[test]
    fn long_budget_needs_an_amount_column() {
        let (raw, list) = read_text("budget.csv", "period,cost\nQ1,1\n", read);
        assert!(raw.is_none());
        assert_eq!(
            spots(&list),
            [
                (codes::MISSING_COLUMN, Some(1), Some("amount")),
                (codes::UNKNOWN_COLUMN, Some(1), Some("cost")),
            ]
        );
    }
}
