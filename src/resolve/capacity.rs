//! capacity.csv across files: its pools and periods against the horizon, each pool's FTE by
//! period, and the pools that lack some periods (a warning: no capacity there).

use super::{list, Horizon};
use crate::diag::{codes, Diags, Loc};
use crate::io::RawWorkbook;
use crate::model::Workbook;

pub(super) fn resolve(raw: &RawWorkbook, horizon: &Horizon, wb: &mut Workbook, diags: &mut Diags) {
    let Some(cap) = raw.capacity.read() else {
        return;
    };
    let h = horizon.len();
    wb.pools = cap.pools.iter().map(|(p, _)| p.clone()).collect();
    wb.capacity = vec![vec![0.0; h]; wb.pools.len()];
    let mut given = vec![vec![false; h]; wb.pools.len()];
    for e in &cap.entries {
        let Some(pool) = wb.pools.iter().position(|p| *p == e.pool) else {
            continue;
        };
        match horizon.index(&e.period) {
            Some(t) => {
                wb.capacity[pool][t] = e.fte;
                given[pool][t] = true;
            }
            None if horizon.known => diags.add(
                codes::UNKNOWN_PERIOD,
                Loc::cell("capacity.csv", e.line, &e.column),
                Some(&e.period),
                format!(
                    "capacity of pool '{}' is given for period '{}', which budget.csv does not have",
                    e.pool, e.period
                ),
                format!(
                    "use one of budget.csv's periods ({}), or add '{}' to budget.csv",
                    horizon.list(),
                    e.period
                ),
            ),
            None => {}
        }
    }
    if !horizon.known {
        return;
    }
    let pool_header = cap.headers.get("pool");
    for (i, (pool, line)) in cap.pools.iter().enumerate() {
        let missing: Vec<String> = (0..h)
            .filter(|t| !given[i][*t])
            .map(|t| horizon.periods[t].clone())
            .collect();
        // A pool whose every row is broken has been reported already.
        if !missing.is_empty() && missing.len() < h {
            diags.add(
                codes::PARTIAL_POOL,
                Loc::cell("capacity.csv", *line, &pool_header),
                Some(pool),
                format!(
                    "pool '{pool}' has no capacity for period(s) {}; it gets 0 FTE there",
                    list(&missing)
                ),
                "add rows for those periods (fte 0 if the pool is really unavailable)",
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::diag::codes;
    use crate::resolve::testing::{codes_of, diagnostics, loaded, BUDGET};

    #[test]
    fn capacity_defines_the_horizon_without_budget() {
        let l = loaded(&[
            ("projects.csv", "id,cost\nP,1\n"),
            (
                "capacity.csv",
                "pool,period,fte\ndev,M2,1\ndev,M1,1\nqa,M3,1\nqa,M2,1\nqa,M1,1\n",
            ),
        ]);
        let wb = &l.workbook;
        assert_eq!(wb.periods, ["M2", "M1", "M3"]);
        assert_eq!(wb.pools, ["dev", "qa"]);
        assert_eq!(wb.capacity, [vec![1.0, 1.0, 0.0], vec![1.0, 1.0, 1.0]]);
        assert_eq!(wb.budget_total, [None; 3]);
        assert_eq!(codes_of(&l.warnings), [codes::PARTIAL_POOL]);
        assert!(l.warnings[0].message.contains("'M3'"));
    }

    #[test]
    fn capacity_periods_must_belong_to_the_budget_horizon() {
        let list = diagnostics(&[
            ("projects.csv", "id,cost\nP,1\n"),
            ("budget.csv", BUDGET),
            (
                "capacity.csv",
                "pool,2025-Q1,2025-Q2,2025-Q3,2026-Q1\ndev,1,1,1,1\n",
            ),
        ]);
        assert_eq!(codes_of(&list), [codes::UNKNOWN_PERIOD]);
        assert_eq!(list[0].file, "capacity.csv");
        assert_eq!(list[0].column.as_deref(), Some("2026-Q1"));
    }
}
