//! The budget rule: in every period, the portfolio's spend stays within the total budget
//! and within each category's budget (budget.csv). A project started in `s` spends
//! `cost_profile[τ − s]` in period `τ` (a negative amount is cash it brings in, which frees
//! that period's budget); spend past the horizon is not counted.
//!
//! With budget.csv's `carry`, what a row leaves unspent is added to the next period's row of
//! the same scope (the total, or the same category). Then the budget of period t is met
//! when the spend of the run of carrying rows that ends in t stays within their budgets
//! together: Σ_{τ=k..t} spend_τ ≤ Σ_{τ=k..t} budget_τ, where rows k..t−1 all carry. Without
//! carry the run is t alone: one row per period, as before.

use super::usage::Usage;
use super::words::{category, exact, label, period};
use super::{exceeds, least_load, spend, Blocker, Encode, Encoding, Overrun, Rule, Tag, Violation};
use crate::human::money;
use crate::model::{Starts, Workbook};

pub(crate) const RULE: Rule = Rule {
    encode: Encode::Whole(encode),
    check,
};

/// The first period of the run of rows that carries into period `t`'s row: rows `k..t`
/// exist and all carry (`carry` may be shorter than the horizon: the rest do not carry).
pub(crate) fn run_start(caps: &[Option<f64>], carry: &[bool], t: usize) -> usize {
    let mut k = t;
    while k > 0
        && caps.get(k - 1).copied().flatten().is_some()
        && carry.get(k - 1).copied().unwrap_or(false)
    {
        k -= 1;
    }
    k
}

/// The carry flags of the total budget (`None`) or of a category's.
pub(crate) fn carry_of(workbook: &Workbook, category: Option<usize>) -> &[bool] {
    match category {
        None => &workbook.carry_total,
        Some(c) => workbook
            .carry_category
            .get(&c)
            .map(Vec::as_slice)
            .unwrap_or(&[]),
    }
}

/// The terms of the rows of periods `k..=t` together (each column once, its amounts
/// summed); the terms of `t` alone, unchanged, when `k == t`.
fn run_terms(per_period: &[Vec<(usize, f64)>], k: usize, t: usize) -> Vec<(usize, f64)> {
    if k == t {
        return per_period[t].clone();
    }
    let mut sum: std::collections::BTreeMap<usize, f64> = std::collections::BTreeMap::new();
    for terms in &per_period[k..=t] {
        for &(j, c) in terms {
            *sum.entry(j).or_insert(0.0) += c;
        }
    }
    sum.into_iter().filter(|&(_, c)| c != 0.0).collect()
}

/// The row of period `t` of a scope with budgets `caps`: its terms and cap (summed over the
/// run of carrying rows that ends in t).
fn run_row(
    per_period: &[Vec<(usize, f64)>],
    caps: &[Option<f64>],
    carry: &[bool],
    t: usize,
    cap: f64,
) -> (Vec<(usize, f64)>, f64) {
    let k = run_start(caps, carry, t);
    if k == t {
        return (per_period[t].clone(), cap);
    }
    let total: f64 = caps[k..=t].iter().map(|c| c.unwrap_or(0.0)).sum();
    (run_terms(per_period, k, t), total)
}

/// One row per capped period, total first, then each category's.
fn encode(model: &mut Encoding) {
    let workbook = model.workbook;
    let horizon = workbook.horizon();
    let mut total = vec![Vec::new(); horizon];
    let mut by_category: Vec<Vec<Vec<(usize, f64)>>> =
        vec![vec![Vec::new(); horizon]; workbook.categories.len()];
    for (j, &(p, t)) in model.columns.iter().enumerate() {
        let project = &workbook.projects[p];
        let v = model.amount_of(j);
        for (offset, &amount) in project.cost_profile.iter().enumerate() {
            let period = t + offset;
            if period >= horizon || amount == 0.0 {
                continue;
            }
            total[period].push((v, amount));
            if let Some(c) = project.category {
                by_category[c][period].push((v, amount));
            }
        }
    }
    for period in 0..horizon {
        if let Some(cap) = workbook.budget_total[period] {
            let carry = carry_of(workbook, None);
            let (terms, cap) = run_row(&total, &workbook.budget_total, carry, period, cap);
            model.push_capped(Tag::Budget { period }, terms, cap);
        }
    }
    for (&category, caps) in &workbook.budget_category {
        let carry = carry_of(workbook, Some(category));
        for (period, cap) in caps.iter().enumerate() {
            if let Some(cap) = *cap {
                let (terms, cap) = run_row(&by_category[category], caps, carry, period, cap);
                model.push_capped(Tag::CategoryBudget { category, period }, terms, cap);
            }
        }
    }
}

/// What each period's row of a scope has available: its budget plus what the row before
/// carried over, given the spend per period (`None` where a period has no row).
pub(crate) fn available(caps: &[Option<f64>], carry: &[bool], spent: &[f64]) -> Vec<Option<f64>> {
    let mut out = Vec::with_capacity(caps.len());
    let mut carried = 0.0;
    for (t, cap) in caps.iter().enumerate() {
        match cap {
            Some(cap) => {
                let avail = cap + carried;
                out.push(Some(avail));
                carried = if carry.get(t).copied().unwrap_or(false) {
                    avail - spent.get(t).copied().unwrap_or(0.0)
                } else {
                    0.0
                };
            }
            None => {
                out.push(None);
                carried = 0.0;
            }
        }
    }
    out
}

/// "120.0 available" or, with carry-over, "120.0 available (100.0 plus 20.0 carried over)".
fn available_words(avail: f64, cap: f64) -> String {
    if (avail - cap).abs() > 1e-9 {
        format!(
            "{} available ({} plus {} carried over)",
            exact(avail),
            exact(cap),
            exact(avail - cap)
        )
    } else {
        format!("{} available", exact(avail))
    }
}

fn check(workbook: &Workbook, starts: &Starts, found: &mut Vec<Violation>) {
    let (total, by_category) = spend(workbook, starts);
    let avail = available(&workbook.budget_total, carry_of(workbook, None), &total);
    for (t, spent) in total.iter().enumerate() {
        if let (Some(Some(cap)), Some(Some(avail))) = (workbook.budget_total.get(t), avail.get(t)) {
            if exceeds(*spent, *avail) {
                found.push(Violation::amount(
                    Tag::Budget { period: t },
                    spent - avail,
                    format!(
                        "total budget in {}: {} spent, {}",
                        period(workbook, t),
                        exact(*spent),
                        available_words(*avail, *cap)
                    ),
                ));
            }
        }
    }
    let none = Vec::new();
    for (&c, caps) in &workbook.budget_category {
        let spent_row = by_category.get(c).unwrap_or(&none);
        let avail = available(caps, carry_of(workbook, Some(c)), spent_row);
        for (t, cap) in caps.iter().enumerate().take(workbook.horizon()) {
            let (Some(cap), Some(Some(avail))) = (cap, avail.get(t)) else {
                continue;
            };
            let spent = spent_row.get(t).copied().unwrap_or(0.0);
            if exceeds(spent, *avail) {
                found.push(Violation::amount(
                    Tag::CategoryBudget {
                        category: c,
                        period: t,
                    },
                    spent - avail,
                    format!(
                        "budget of category {} in {}: {} spent, {}",
                        category(workbook, c),
                        period(workbook, t),
                        exact(spent),
                        available_words(*avail, *cap)
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
/// even at their most favourable starts (with carry-over: over the run of carrying rows
/// that ends in `period`, against their budgets together).
pub(crate) fn forced_overruns(
    workbook: &Workbook,
    forced: &[usize],
    period: usize,
) -> Vec<Overrun> {
    let label = &workbook.periods[period];
    let least = |ps: &mut dyn Iterator<Item = usize>, k: usize| -> f64 {
        let ps: Vec<usize> = ps.collect();
        (k..=period)
            .map(|t| {
                ps.iter()
                    .map(|&p| least_load(workbook, p, &workbook.projects[p].cost_profile, t))
                    .sum::<f64>()
            })
            .sum()
    };
    let scope_cap = |caps: &[Option<f64>], k: usize| -> f64 {
        caps[k..=period].iter().map(|c| c.unwrap_or(0.0)).sum()
    };
    let mut found = Vec::new();
    if workbook.budget_total[period].is_some() {
        let caps = &workbook.budget_total;
        let k = run_start(caps, carry_of(workbook, None), period);
        let need = least(&mut forced.iter().copied(), k);
        let cap = scope_cap(caps, k);
        let since = since_words(workbook, k, period);
        found.extend(Overrun::of(need, cap, |need, cap, over| {
            format!(
                "budget of {label}: mandatory and in-progress work needs at least {need}{since}, the budget is {cap} (over by {over})"
            )
        }));
    }
    for (&category, caps) in &workbook.budget_category {
        if caps[period].is_none() {
            continue;
        }
        let k = run_start(caps, carry_of(workbook, Some(category)), period);
        let need = least(
            &mut forced
                .iter()
                .copied()
                .filter(|&p| workbook.projects[p].category == Some(category)),
            k,
        );
        let cap = scope_cap(caps, k);
        let since = since_words(workbook, k, period);
        let name = &workbook.categories[category];
        found.extend(Overrun::of(need, cap, |need, cap, over| {
            format!(
                "budget of category '{name}' in {label}: mandatory and in-progress work needs at least {need}{since}, the budget is {cap} (over by {over})"
            )
        }));
    }
    found
}

/// " from 2027-Q1 on" when a run of carrying rows starts before `t`, else nothing.
fn since_words(workbook: &Workbook, k: usize, t: usize) -> String {
    if k < t {
        format!(
            " from {} to {} with carry-over",
            label(workbook, k),
            label(workbook, t)
        )
    } else {
        String::new()
    }
}

/// For the reasons: the budgets that project `p`, spending `amount` in period `t`, would
/// break beside the portfolio's `usage` — the rows of `t`, and with carry-over the later
/// rows that `t` carries into (what the project spends is not there to carry).
pub(crate) fn blockers_in(
    workbook: &Workbook,
    usage: &Usage,
    p: usize,
    t: usize,
    amount: f64,
) -> Vec<Blocker> {
    let mut blockers = Vec::new();
    blockers.extend(scope_blocker(
        workbook,
        &workbook.budget_total,
        carry_of(workbook, None),
        &usage.spend,
        t,
        amount,
        &|t| format!("budget of {}", label(workbook, t)),
    ));
    let Some(c) = workbook.projects[p].category else {
        return blockers;
    };
    let Some(caps) = workbook.budget_category.get(&c) else {
        return blockers;
    };
    let none = Vec::new();
    let spent = usage.category_spend.get(c).unwrap_or(&none);
    let name = workbook
        .categories
        .get(c)
        .map(String::as_str)
        .unwrap_or("?");
    blockers.extend(scope_blocker(
        workbook,
        caps,
        carry_of(workbook, Some(c)),
        spent,
        t,
        amount,
        &|t| format!("budget of category '{name}' in {}", label(workbook, t)),
    ));
    blockers
}

/// The first row of one scope (periods `t`, then the rows `t` carries into) that `amount`
/// more spend in `t` would break: what is left there is the row's budget plus what is
/// carried into it, less what the portfolio spends.
fn scope_blocker(
    workbook: &Workbook,
    caps: &[Option<f64>],
    carry: &[bool],
    spent: &[f64],
    t: usize,
    amount: f64,
    name: &dyn Fn(usize) -> String,
) -> Option<Blocker> {
    let avail = available(caps, carry, spent);
    let mut r = t;
    loop {
        let Some(Some(cap)) = avail.get(r).copied() else {
            return None;
        };
        let used = spent.get(r).copied().unwrap_or(0.0);
        // What the project spends in t is not left to carry into the later rows.
        let blocker = Blocker::over_limit(amount, used, cap, |left| {
            if r == t {
                format!("{}: needs {}, {} left", name(t), money(amount), money(left))
            } else {
                format!(
                    "{} with carry-over into {}: needs {}, {} left",
                    name(t),
                    label(workbook, r),
                    money(amount),
                    money(left)
                )
            }
        });
        if blocker.is_some() {
            return blocker;
        }
        if !carry.get(r).copied().unwrap_or(false) || r + 1 >= caps.len() {
            return None;
        }
        r += 1;
    }
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
