//! The budget rule: in every period, the portfolio's spend stays within the total budget
//! and within each category's budget (budget.csv). A project started in `s` spends
//! `cost_profile[τ − s]` in period `τ`; spend past the horizon is not counted.

use super::usage::Usage;
use super::words::{category, exact, label, period};
use super::{exceeds, least_load, spend, Blocker, Encode, Encoding, Overrun, Rule, Tag, Violation};
use crate::human::money;
use crate::model::{Starts, Workbook};

pub(crate) const RULE: Rule = Rule {
    encode: Encode::Whole(encode),
    check,
};

/// One row per capped period, total first, then each category's.
fn encode(model: &mut Encoding) {
    let workbook = model.workbook;
    let horizon = workbook.horizon();
    let mut total = vec![Vec::new(); horizon];
    let mut by_category: Vec<Vec<Vec<(usize, f64)>>> =
        vec![vec![Vec::new(); horizon]; workbook.categories.len()];
    for (j, &(p, t)) in model.columns.iter().enumerate() {
        let project = &workbook.projects[p];
        for (offset, &amount) in project.cost_profile.iter().enumerate() {
            let period = t + offset;
            if period >= horizon || amount == 0.0 {
                continue;
            }
            total[period].push((j, amount));
            if let Some(c) = project.category {
                by_category[c][period].push((j, amount));
            }
        }
    }
    for (period, terms) in total.into_iter().enumerate() {
        if let Some(cap) = workbook.budget_total[period] {
            model.push_capped(Tag::Budget { period }, terms, cap);
        }
    }
    for (&category, caps) in &workbook.budget_category {
        for (period, cap) in caps.iter().enumerate() {
            if let Some(cap) = *cap {
                let terms = std::mem::take(&mut by_category[category][period]);
                model.push_capped(Tag::CategoryBudget { category, period }, terms, cap);
            }
        }
    }
}

fn check(workbook: &Workbook, starts: &Starts, found: &mut Vec<Violation>) {
    let (total, by_category) = spend(workbook, starts);
    for (t, spent) in total.iter().enumerate() {
        if let Some(Some(cap)) = workbook.budget_total.get(t) {
            if exceeds(*spent, *cap) {
                found.push(Violation::amount(
                    Tag::Budget { period: t },
                    spent - cap,
                    format!(
                        "total budget in {}: {} spent, {} available",
                        period(workbook, t),
                        exact(*spent),
                        exact(*cap)
                    ),
                ));
            }
        }
    }
    for (&c, caps) in &workbook.budget_category {
        for (t, cap) in caps.iter().enumerate().take(workbook.horizon()) {
            let Some(cap) = cap else { continue };
            let spent = by_category
                .get(c)
                .and_then(|row| row.get(t))
                .copied()
                .unwrap_or(0.0);
            if exceeds(spent, *cap) {
                found.push(Violation::amount(
                    Tag::CategoryBudget {
                        category: c,
                        period: t,
                    },
                    spent - cap,
                    format!(
                        "budget of category {} in {}: {} spent, {} available",
                        category(workbook, c),
                        period(workbook, t),
                        exact(spent),
                        exact(*cap)
                    ),
                ));
            }
        }
    }
}

pub(crate) fn describe(workbook: &Workbook, tag: &Tag) -> String {
    match *tag {
        Tag::Budget { period: t } => format!(
            "budget of {}: {}",
            workbook.periods[t],
            workbook.budget_total[t].map(money).unwrap_or_default()
        ),
        Tag::CategoryBudget {
            category,
            period: t,
        } => format!(
            "budget of category '{}' in {}: {}",
            workbook.categories[category],
            workbook.periods[t],
            workbook.budget_category[&category][t]
                .map(money)
                .unwrap_or_default()
        ),
        _ => String::new(),
    }
}

/// For the diagnosis: the budgets of `period` that the `forced` projects alone overrun,
/// even at their most favourable starts.
pub(crate) fn forced_overruns(
    workbook: &Workbook,
    forced: &[usize],
    period: usize,
) -> Vec<Overrun> {
    let label = &workbook.periods[period];
    let mut found = Vec::new();
    if let Some(cap) = workbook.budget_total[period] {
        let need: f64 = forced
            .iter()
            .map(|&p| least_load(workbook, p, &workbook.projects[p].cost_profile, period))
            .sum();
        found.extend(Overrun::of(need, cap, |need, cap, over| {
            format!(
                "budget of {label}: mandatory and in-progress work needs at least {need}, the budget is {cap} (over by {over})"
            )
        }));
    }
    for (&category, caps) in &workbook.budget_category {
        let Some(cap) = caps[period] else { continue };
        let need: f64 = forced
            .iter()
            .filter(|&&p| workbook.projects[p].category == Some(category))
            .map(|&p| least_load(workbook, p, &workbook.projects[p].cost_profile, period))
            .sum();
        let name = &workbook.categories[category];
        found.extend(Overrun::of(need, cap, |need, cap, over| {
            format!(
                "budget of category '{name}' in {label}: mandatory and in-progress work needs at least {need}, the budget is {cap} (over by {over})"
            )
        }));
    }
    found
}

/// For the reasons: the budgets of period `t` that project `p`, spending `amount` there,
/// would break beside the portfolio's `usage`.
pub(crate) fn blockers_in(
    workbook: &Workbook,
    usage: &Usage,
    p: usize,
    t: usize,
    amount: f64,
) -> Vec<Blocker> {
    let mut blockers = Vec::new();
    if let Some(Some(cap)) = workbook.budget_total.get(t) {
        let spent = usage.spend.get(t).copied().unwrap_or(0.0);
        blockers.extend(Blocker::over_limit(amount, spent, *cap, |left| {
            format!(
                "budget of {}: needs {}, {} left",
                label(workbook, t),
                money(amount),
                money(left)
            )
        }));
    }
    let Some(c) = workbook.projects[p].category else {
        return blockers;
    };
    let cap = workbook
        .budget_category
        .get(&c)
        .and_then(|caps| caps.get(t))
        .copied()
        .flatten();
    if let Some(cap) = cap {
        let spent = usage
            .category_spend
            .get(c)
            .and_then(|row| row.get(t))
            .copied()
            .unwrap_or(0.0);
        let name = workbook
            .categories
            .get(c)
            .map(String::as_str)
            .unwrap_or("?");
        blockers.extend(Blocker::over_limit(amount, spent, cap, |left| {
            format!(
                "budget of category '{name}' in {}: needs {}, {} left",
                label(workbook, t),
                money(amount),
                money(left)
            )
        }));
    }
    blockers
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Status;
    use crate::rules::testkit::{messages, project, tags, workbook};
    use crate::rules::{agreement, check};

    #[test]
    fn in_progress_spend_beyond_the_horizon_is_not_counted() {
        let mut wb = workbook();
        wb.projects[0] = project("P-1", 6, &[1.0, 1.0, 1.0, 1.0, 50.0, 50.0]);
        wb.projects[0].status = Status::InProgress;
        wb.projects[0].latest = 0;
        wb.budget_total = vec![Some(1.0); 4];
        assert!(check(&wb, &vec![Some(0), None, None]).is_empty());
        wb.budget_total[3] = Some(0.5);
        assert_eq!(
            messages(&wb, &vec![Some(0), None, None]),
            ["total budget in 2027-Q4: 1.0 spent, 0.5 available"]
        );
    }

    #[test]
    fn total_budget_is_checked_per_period_with_tolerance() {
        let mut wb = workbook();
        wb.projects[0] = project("P-1", 2, &[4.0, 6.0]);
        wb.budget_total = vec![None, Some(15.0), None, None];
        // P-1 from Q1 spends 6 in Q2; P-2 in Q2 spends 10: 16 > 15.
        let over = vec![Some(0), Some(1), None];
        assert_eq!(
            messages(&wb, &over),
            ["total budget in 2027-Q2: 16.0 spent, 15.0 available"]
        );
        assert_eq!(check(&wb, &over)[0].excess, Some(1.0));
        assert!(check(&wb, &vec![Some(1), Some(2), None]).is_empty());
        // Within the tolerance 1e-6 × 16: fine; beyond it: not.
        wb.budget_total[1] = Some(16.0 - 1e-6);
        assert!(check(&wb, &over).is_empty());
        wb.budget_total[1] = Some(16.0 - 1e-4);
        assert_eq!(tags(&wb, &over), [Tag::Budget { period: 1 }]);
    }

    #[test]
    fn category_budget_counts_only_its_projects() {
        let mut wb = workbook();
        wb.categories = vec!["growth".into(), "run".into()];
        wb.projects[0].category = Some(0);
        wb.projects[1].category = Some(0);
        wb.projects[2].category = Some(1);
        wb.budget_category
            .insert(0, vec![Some(10.0), Some(10.0), None, None]);
        assert_eq!(
            messages(&wb, &vec![Some(0), Some(0), Some(0)]),
            ["budget of category 'growth' in 2027-Q1: 20.0 spent, 10.0 available"]
        );
        assert!(check(&wb, &vec![Some(0), Some(1), Some(0)]).is_empty());
        // No cap in Q3.
        assert!(check(&wb, &vec![Some(2), Some(2), None]).is_empty());
    }

    #[test]
    fn rows_agree_with_the_check() {
        let mut wb = workbook();
        wb.projects[0] = project("P-1", 2, &[4.0, 6.0]);
        wb.categories = vec!["growth".into()];
        wb.projects[1].category = Some(0);
        wb.projects[2].category = Some(0);
        wb.budget_total = vec![Some(14.0), Some(15.0), None, Some(9.0)];
        wb.budget_category
            .insert(0, vec![Some(10.0), None, Some(25.0), Some(10.0)]);
        agreement::holds(&wb, &RULE);
    }

    #[test]
    fn described_for_the_diagnosis() {
        let mut wb = workbook();
        wb.budget_total[0] = Some(120000.0);
        wb.categories = vec!["growth".into()];
        wb.budget_category
            .insert(0, vec![Some(35000.5), None, None, None]);
        assert_eq!(
            Tag::Budget { period: 0 }.describe(&wb),
            "budget of 2027-Q1: 120,000"
        );
        assert_eq!(
            Tag::CategoryBudget {
                category: 0,
                period: 0
            }
            .describe(&wb),
            "budget of category 'growth' in 2027-Q1: 35,000.5"
        );
    }

    #[test]
    fn forced_work_alone_overruns_a_budget() {
        let mut wb = workbook();
        wb.projects[0].status = Status::Mandatory;
        wb.projects[0].latest = 0;
        wb.projects[0].cost_profile = vec![118.0];
        wb.budget_total[0] = Some(100.0);
        let found = forced_overruns(&wb, &[0], 0);
        assert_eq!(
            found[0].message,
            "budget of 2027-Q1: mandatory and in-progress work needs at least 118, the budget is 100 (over by 18)"
        );
        assert_eq!(found[0].over_by, Some(18.0));
        // With a later start allowed, Q1 need not carry it.
        wb.projects[0].latest = 1;
        assert!(forced_overruns(&wb, &[0], 0).is_empty());
    }

    #[test]
    fn a_budget_blocks_a_project_with_what_is_left() {
        let mut wb = workbook();
        wb.budget_total[0] = Some(15.0);
        let usage = Usage::of(&wb, &vec![Some(0), None, None]);
        let blockers = blockers_in(&wb, &usage, 1, 0, 10.0);
        assert_eq!(blockers[0].message, "budget of 2027-Q1: needs 10, 5 left");
        assert_eq!(blockers[0].shortfall, 0.5);
        assert!(blockers_in(&wb, &usage, 1, 1, 10.0).is_empty());
    }
}
