//! The balance rule (balance.csv): a category's share of the portfolio's cost, counted
//! inside the horizon, stays between its minimum and maximum share. Stated linearly (cost
//! of c ≥ min × total, ≤ max × total), so an empty portfolio satisfies every share. Shares
//! count what projects spend, not the cash they bring in (negative amounts of costs.csv):
//! a return does not make a theme smaller, and a net figure could turn a share above 100 %.

use super::usage::{exceeds as over, outflow_in_horizon, Usage};
use super::words::{category, exact, exact_percent};
use super::{
    exceeds, falls_short, spend_of, Blocker, Encode, Encoding, Row, Rule, Tag, Violation, INF,
};
use crate::human::{money, percent};
use crate::model::{Starts, Workbook};

pub(crate) const RULE: Rule = Rule {
    encode: Encode::Whole(encode),
    check,
};

fn encode(model: &mut Encoding) {
    let workbook = model.workbook;
    let horizon = workbook.horizon();
    for balance in &workbook.balance {
        let mut low = Vec::new();
        let mut high = Vec::new();
        for (j, &(p, t)) in model.columns.iter().enumerate() {
            let project = &workbook.projects[p];
            let inside: f64 = project
                .cost_profile
                .iter()
                .take(horizon.saturating_sub(t))
                .map(|x| x.max(0.0))
                .sum();
            if inside == 0.0 {
                continue;
            }
            let own = if project.category == Some(balance.category) {
                1.0
            } else {
                0.0
            };
            let v = model.amount_of(j);
            if balance.min_share > 0.0 {
                low.push((v, inside * (own - balance.min_share)));
            }
            if balance.max_share < 1.0 {
                high.push((v, inside * (own - balance.max_share)));
            }
        }
        if balance.min_share > 0.0 && low.iter().any(|&(_, c)| c < 0.0) {
            model.rows.push(Row {
                tag: Tag::BalanceMin {
                    category: balance.category,
                },
                terms: low,
                lower: 0.0,
                upper: INF,
            });
        }
        if balance.max_share < 1.0 && high.iter().any(|&(_, c)| c > 0.0) {
            model.rows.push(Row {
                tag: Tag::BalanceMax {
                    category: balance.category,
                },
                terms: high,
                lower: -INF,
                upper: 0.0,
            });
        }
    }
}

fn check(workbook: &Workbook, starts: &Starts, found: &mut Vec<Violation>) {
    if workbook.balance.is_empty() {
        return;
    }
    // Outflows only: returns do not count in a share.
    let (total, by_category) = spend_of(workbook, starts, |x| x.max(0.0));
    let portfolio: f64 = total.iter().sum();
    for target in &workbook.balance {
        let cost: f64 = by_category
            .get(target.category)
            .map(|row| row.iter().sum())
            .unwrap_or(0.0);
        let share = if portfolio > 0.0 {
            cost / portfolio
        } else {
            0.0
        };
        // Linear forms, as the model states them; an empty portfolio (total 0) satisfies
        // both.
        let low = target.min_share * portfolio;
        let high = target.max_share * portfolio;
        if falls_short(cost, low) {
            found.push(Violation::amount(
                Tag::BalanceMin {
                    category: target.category,
                },
                low - cost,
                format!(
                    "balance of category {}: {} of {} spent inside the horizon ({}), at least {} required",
                    category(workbook, target.category),
                    exact(cost),
                    exact(portfolio),
                    exact_percent(share),
                    exact_percent(target.min_share)
                ),
            ));
        }
        if exceeds(cost, high) {
            found.push(Violation::amount(
                Tag::BalanceMax {
                    category: target.category,
                },
                cost - high,
                format!(
                    "balance of category {}: {} of {} spent inside the horizon ({}), at most {} allowed",
                    category(workbook, target.category),
                    exact(cost),
                    exact(portfolio),
                    exact_percent(share),
                    exact_percent(target.max_share)
                ),
            ));
        }
    }
}

pub(crate) fn describe(workbook: &Workbook, tag: &Tag) -> String {
    let share_of = |category: usize, min: bool| {
        workbook
            .balance
            .iter()
            .find(|b| b.category == category)
            .map(|b| {
                let s = if min { b.min_share } else { b.max_share };
                format!("{}%", money(s * 100.0))
            })
            .unwrap_or_default()
    };
    match *tag {
        Tag::BalanceMin { category } => format!(
            "balance: category '{}' needs at least {} of the portfolio's cost",
            workbook.categories[category],
            share_of(category, true)
        ),
        Tag::BalanceMax { category } => format!(
            "balance: category '{}' may take at most {} of the portfolio's cost",
            workbook.categories[category],
            share_of(category, false)
        ),
        _ => String::new(),
    }
}

/// For the reasons: the shares that adding project `p`, started in `start`, would break
/// beside the portfolio's `usage` (whatever the start, but for spend past the horizon).
pub(crate) fn blockers(workbook: &Workbook, usage: &Usage, p: usize, start: usize) -> Vec<Blocker> {
    let project = &workbook.projects[p];
    let mut blockers = Vec::new();
    let added = outflow_in_horizon(workbook, p, start);
    let total = usage.total_outflow + added;
    for balance in &workbook.balance {
        let Some(name) = workbook.categories.get(balance.category) else {
            continue;
        };
        let mut cost = usage
            .category_outflow
            .get(balance.category)
            .copied()
            .unwrap_or(0.0);
        if project.category == Some(balance.category) {
            cost += added;
        }
        let share = if total > 0.0 { cost / total } else { 0.0 };
        if over(cost, balance.max_share * total) {
            blockers.push(Blocker {
                message: format!(
                    "balance: category '{name}' would exceed its max share {} (it would be {})",
                    percent(balance.max_share),
                    percent(share)
                ),
                depends_on_start: false,
                shortfall: 1.0,
            });
        }
        let floor = balance.min_share * total;
        if floor - cost > 1e-6 * floor.abs().max(1.0) {
            blockers.push(Blocker {
                message: format!(
                    "balance: category '{name}' would fall below its min share {} (it would be {})",
                    percent(balance.min_share),
                    percent(share)
                ),
                depends_on_start: false,
                shortfall: 1.0,
            });
        }
    }
    blockers
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Balance, Status};
    use crate::rules::testkit::{messages, project, tags, workbook};
    use crate::rules::{agreement, check};

    fn growth(min_share: f64, max_share: f64) -> Workbook {
        let mut wb = workbook();
        wb.categories = vec!["growth".into()];
        wb.projects[0].category = Some(0);
        wb.balance = vec![Balance {
            category: 0,
            min_share,
            max_share,
        }];
        wb
    }

    #[test]
    fn balance_shares_are_checked_inside_the_horizon() {
        let wb = growth(0.4, 0.6);
        // Empty portfolio satisfies every share.
        assert!(check(&wb, &vec![None, None, None]).is_empty());
        // 10 of 20: 50 %.
        assert!(check(&wb, &vec![Some(0), Some(0), None]).is_empty());
        assert_eq!(
            messages(&wb, &vec![Some(0), Some(0), Some(0)]),
            ["balance of category 'growth': 10.0 of 30.0 spent inside the horizon (33.333333333%), at least 40.0% required"]
        );
        assert_eq!(
            messages(&wb, &vec![Some(0), None, None]),
            ["balance of category 'growth': 10.0 of 10.0 spent inside the horizon (100.0%), at most 60.0% allowed"]
        );
        assert_eq!(
            tags(&wb, &vec![None, Some(1), None]),
            [Tag::BalanceMin { category: 0 }]
        );
    }

    #[test]
    fn balance_ignores_spend_past_the_horizon() {
        let mut wb = growth(0.0, 0.5);
        wb.projects[0] = project("P-1", 6, &[1.0, 1.0, 1.0, 1.0, 100.0, 100.0]);
        wb.projects[0].status = Status::InProgress;
        wb.projects[0].latest = 0;
        wb.projects[0].category = Some(0);
        // 4 of 14 inside the horizon.
        assert!(check(&wb, &vec![Some(0), Some(0), None]).is_empty());
        assert_eq!(
            tags(&wb, &vec![Some(0), None, None]),
            [Tag::BalanceMax { category: 0 }]
        );
    }

    #[test]
    fn rows_agree_with_the_check() {
        let mut wb = growth(0.25, 0.5);
        wb.projects[1] = project("P-2", 2, &[7.0, 8.0]);
        wb.projects[1].category = Some(0);
        agreement::holds(&wb, &RULE);
    }

    #[test]
    fn words_for_the_diagnosis_and_the_reasons() {
        let wb = growth(0.4, 0.6);
        assert_eq!(
            Tag::BalanceMin { category: 0 }.describe(&wb),
            "balance: category 'growth' needs at least 40% of the portfolio's cost"
        );
        assert_eq!(
            Tag::BalanceMax { category: 0 }.describe(&wb),
            "balance: category 'growth' may take at most 60% of the portfolio's cost"
        );
        // Beside P-2, P-1 (growth) makes 50 %: fine.
        let usage = Usage::of(&wb, &vec![None, Some(0), None]);
        assert!(blockers(&wb, &usage, 0, 0).is_empty());
        // Alone, P-1 is all of the cost; P-3 alone none of it.
        let usage = Usage::empty(&wb);
        assert_eq!(
            blockers(&wb, &usage, 0, 0)[0].message,
            "balance: category 'growth' would exceed its max share 60% (it would be 100%)"
        );
        assert_eq!(
            blockers(&wb, &usage, 2, 0)[0].message,
            "balance: category 'growth' would fall below its min share 40% (it would be 0%)"
        );
    }
}
