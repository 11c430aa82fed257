//! The capacity rule: in every period, the portfolio's demand on each staff pool stays
//! within the pool's capacity (capacity.csv, demand.csv). With teams.csv the pools are
//! skills whose staff comes from the teams: see [`super::teams`].

use std::collections::BTreeMap;

use super::usage::Usage;
use super::words::{exact, label, period, pool};
use super::{
    exceeds, least_load, selected, spread, Blocker, Encode, Encoding, Overrun, Rule, Tag, Violation,
};
use crate::human::{fte, money};
use crate::model::{Starts, Workbook};

pub(crate) const RULE: Rule = Rule {
    encode: Encode::Whole(encode),
    check,
};

/// The load of the columns on each pool in each period: `[pool][period]` → (column, FTE).
/// Column (p, t) loads period τ with the demand at offset τ − t.
pub(crate) fn loads(model: &Encoding) -> Vec<Vec<Vec<(usize, f64)>>> {
    let workbook = model.workbook;
    let horizon = workbook.horizon();
    let mut load = vec![vec![Vec::new(); horizon]; workbook.pools.len()];
    for (j, &(p, t)) in model.columns.iter().enumerate() {
        let v = model.amount_of(j);
        for demand in &workbook.projects[p].demand {
            for (offset, &fte) in demand.fte.iter().enumerate() {
                let period = t + offset;
                if period >= horizon || fte == 0.0 {
                    continue;
                }
                load[demand.pool][period].push((v, fte));
            }
        }
    }
    load
}

/// One row per pool and period whose load can exceed its capacity; none with teams.csv,
/// where the teams rule covers the skills.
fn encode(model: &mut Encoding) {
    if model.workbook.staffing.is_some() {
        return;
    }
    for (pool, periods) in loads(model).into_iter().enumerate() {
        for (period, terms) in periods.into_iter().enumerate() {
            let cap = model.workbook.capacity[pool][period];
            model.push_capped(Tag::Capacity { pool, period }, terms, cap);
        }
    }
}

fn check(workbook: &Workbook, starts: &Starts, found: &mut Vec<Violation>) {
    let horizon = workbook.horizon();
    // Keyed by pool index, so that a pool named by demand but missing from the workbook is
    // counted too (capacity 0) and an inconsistent model cannot pass silently.
    let mut load: BTreeMap<usize, Vec<f64>> = (0..workbook.pools.len())
        .map(|k| (k, vec![0.0; horizon]))
        .collect();
    for (p, s) in selected(workbook, starts) {
        let project = &workbook.projects[p];
        for demand in &project.demand {
            let row = load
                .entry(demand.pool)
                .or_insert_with(|| vec![0.0; horizon]);
            spread(row, s, project.duration, &demand.fte);
        }
    }
    for (&k, row) in &load {
        for (t, allocated) in row.iter().enumerate() {
            let available = workbook
                .capacity
                .get(k)
                .and_then(|caps| caps.get(t))
                .copied()
                .unwrap_or(0.0);
            if exceeds(*allocated, available) {
                found.push(Violation::amount(
                    Tag::Capacity { pool: k, period: t },
                    allocated - available,
                    format!(
                        "capacity of pool {} in {}: {} FTE allocated, {} available",
                        pool(workbook, k),
                        period(workbook, t),
                        exact(*allocated),
                        exact(available)
                    ),
                ));
            }
        }
    }
}

pub(crate) fn describe(workbook: &Workbook, tag: &Tag) -> String {
    match *tag {
        Tag::Capacity { pool, period: t } => format!(
            "capacity of pool '{}' in {}: {} FTE",
            workbook.pools[pool],
            workbook.periods[t],
            money(workbook.capacity[pool][t])
        ),
        _ => String::new(),
    }
}

/// For the diagnosis: the pools of `period` that the `forced` projects alone overrun.
pub(crate) fn forced_overruns(
    workbook: &Workbook,
    forced: &[usize],
    period: usize,
) -> Vec<Overrun> {
    let label = &workbook.periods[period];
    let mut found = Vec::new();
    for (pool, name) in workbook.pools.iter().enumerate() {
        let cap = workbook.capacity[pool][period];
        let need = forced_need(workbook, forced, pool, period);
        found.extend(Overrun::of(need, cap, |need, cap, over| {
            format!(
                "capacity of pool '{name}' in {label}: mandatory and in-progress work needs at least {need} FTE, {cap} FTE available (over by {over} FTE)"
            )
        }));
    }
    found
}

/// The least demand the `forced` projects put on `pool` (a skill, with teams.csv) in
/// `period`, each at its most favourable start.
pub(crate) fn forced_need(
    workbook: &Workbook,
    forced: &[usize],
    pool: usize,
    period: usize,
) -> f64 {
    forced
        .iter()
        .filter_map(|&p| {
            workbook.projects[p]
                .demand
                .iter()
                .find(|d| d.pool == pool)
                .map(|d| least_load(workbook, p, &d.fte, period))
        })
        .sum()
}

/// For the reasons: the pools that project `p`, in period `t` (its offset `offset`), would
/// overrun beside the portfolio's `usage`.
pub(crate) fn blockers_in(
    workbook: &Workbook,
    usage: &Usage,
    p: usize,
    offset: usize,
    t: usize,
) -> Vec<Blocker> {
    let mut blockers = Vec::new();
    for demand in &workbook.projects[p].demand {
        let need = demand.fte.get(offset).copied().unwrap_or(0.0);
        if need <= 0.0 {
            continue;
        }
        let capacity = workbook
            .capacity
            .get(demand.pool)
            .and_then(|row| row.get(t))
            .copied()
            .unwrap_or(0.0);
        let used = usage
            .load
            .get(demand.pool)
            .and_then(|row| row.get(t))
            .copied()
            .unwrap_or(0.0);
        let pool = workbook
            .pools
            .get(demand.pool)
            .map(String::as_str)
            .unwrap_or("?");
        blockers.extend(Blocker::over_limit(need, used, capacity, |free| {
            format!(
                "capacity of pool '{pool}' in {}: needs {} FTE, {} free",
                label(workbook, t),
                fte(need),
                fte(free)
            )
        }));
    }
    blockers
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Demand, Status};
    use crate::rules::testkit::{messages, project, workbook};
    use crate::rules::{agreement, check};

    fn staffed() -> Workbook {
        let mut wb = workbook();
        wb.pools = vec!["data".into(), "dev".into()];
        wb.capacity = vec![vec![2.0; 4], vec![1.0, 1.0, 0.0, 0.0]];
        wb.projects[0] = project("P-1", 2, &[5.0, 5.0]);
        wb.projects[0].demand = vec![Demand {
            pool: 0,
            fte: vec![1.0, 1.5],
        }];
        wb.projects[1].demand = vec![
            Demand {
                pool: 0,
                fte: vec![1.0],
            },
            Demand {
                pool: 1,
                fte: vec![0.5],
            },
        ];
        wb
    }

    #[test]
    fn capacity_is_checked_per_pool_and_period_with_profiles() {
        let wb = staffed();
        assert_eq!(
            messages(&wb, &vec![Some(0), Some(1), None]),
            ["capacity of pool 'data' in 2027-Q2: 2.5 FTE allocated, 2.0 available"]
        );
        assert!(check(&wb, &vec![Some(0), Some(0), None]).is_empty());
        // Pool 'dev' has no capacity in Q3.
        assert_eq!(
            messages(&wb, &vec![None, Some(2), None]),
            ["capacity of pool 'dev' in 2027-Q3: 0.5 FTE allocated, 0.0 available"]
        );
    }

    #[test]
    fn rows_agree_with_the_check() {
        let mut wb = staffed();
        wb.projects[2].demand = vec![Demand {
            pool: 0,
            fte: vec![1.0],
        }];
        agreement::holds(&wb, &RULE);
    }

    #[test]
    fn forced_work_alone_overruns_a_pool() {
        let mut wb = staffed();
        wb.projects[0].status = Status::InProgress;
        wb.projects[1].status = Status::InProgress;
        wb.projects[1].demand[0].fte = vec![1.5];
        let found = forced_overruns(&wb, &[0, 1], 0);
        assert_eq!(
            found[0].message,
            "capacity of pool 'data' in 2027-Q1: mandatory and in-progress work needs at least 2.5 FTE, 2 FTE available (over by 0.5 FTE)"
        );
        assert_eq!(found[0].over_by, Some(0.5));
    }

    #[test]
    fn a_pool_blocks_a_project_with_what_is_free() {
        let wb = staffed();
        let usage = Usage::of(&wb, &vec![Some(0), None, None]);
        // P-2 in Q2: 1 FTE of data, 0.5 free beside P-1's 1.5.
        let blockers = blockers_in(&wb, &usage, 1, 0, 1);
        assert_eq!(
            blockers[0].message,
            "capacity of pool 'data' in 2027-Q2: needs 1 FTE, 0.5 free"
        );
        assert_eq!(blockers[0].shortfall, 0.5);
        assert_eq!(
            Tag::Capacity { pool: 1, period: 0 }.describe(&wb),
            "capacity of pool 'dev' in 2027-Q1: 1 FTE"
        );
    }
}
