//! capacity.csv: the FTE of each pool by period, long (`pool`, `period`, `fte`) or wide
//! (one column per period), one entry per pool and period.

use std::collections::BTreeMap;

use super::{duplicate, Cells, Field, Headers, Range};
use crate::diag::{Diags, Loc};
use crate::io::csvfile::Table;

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct CapEntry {
    pub line: usize,
    /// Column of the period (`period` in the long layout, the period itself in the wide).
    pub column: String,
    pub pool: String,
    pub period: String,
    pub fte: f64,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct RawCapacity {
    /// Pools in order of first appearance, with that line.
    pub pools: Vec<(String, usize)>,
    /// Periods in order of first appearance (the horizon when there is no budget).
    pub periods: Vec<String>,
    pub entries: Vec<CapEntry>,
    pub headers: Headers,
}

pub(crate) fn read(table: &Table, diags: &mut Diags) -> Option<RawCapacity> {
    let c = Cells { table };
    let mut out = RawCapacity {
        headers: Headers::of(table),
        ..RawCapacity::default()
    };
    let mut seen: BTreeMap<(String, String), usize> = BTreeMap::new();
    let fix = "keep one fte per pool and period";
    let add_pool = |out: &mut RawCapacity, pool: &str, line: usize| {
        if !out.pools.iter().any(|(p, _)| p == pool) {
            out.pools.push((pool.to_string(), line));
        }
    };
    if let Some(period_col) = c.col("period") {
        let known = ["pool", "period", "fte"];
        table.warn_unknown(|k| known.contains(&k), "pool, period, fte", diags);
        if !table.require(&known, diags) {
            return None;
        }
        for row in &table.rows {
            let pool = c.required_text(row, "pool", "a capacity row", diags);
            let period = c.required_text(row, "period", "a capacity row", diags);
            if let Some(pool) = &pool {
                add_pool(&mut out, pool, row.line);
            }
            if let Some(period) = &period {
                if !out.periods.contains(period) {
                    out.periods.push(period.clone());
                }
            }
            let (Some(pool), Some(period)) = (pool, period) else {
                continue;
            };
            let subject = format!("pool '{pool}' in period '{period}'");
            let key = (pool.clone(), period.clone());
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
            let field = c.number(row, c.col("fte"), &subject, Range::NonNegative, diags);
            if let Some(fte) = c.required(field, row, "fte", &subject, diags) {
                out.entries.push(CapEntry {
                    line: row.line,
                    column: table.header(period_col).to_string(),
                    pool,
                    period,
                    fte,
                });
            }
        }
    } else {
        table.warn_unknown(|_| true, "pool, then one column per period", diags);
        if !table.require(&["pool"], diags) {
            return None;
        }
        let pool_col = c.col("pool");
        let period_cols: Vec<usize> = (0..table.headers.len())
            .filter(|i| Some(*i) != pool_col && !table.keys[*i].is_empty())
            .collect();
        for &i in &period_cols {
            if !out.periods.contains(&table.headers[i]) {
                out.periods.push(table.headers[i].clone());
            }
        }
        let mut seen_rows: BTreeMap<String, usize> = BTreeMap::new();
        for row in &table.rows {
            let Some(pool) = c.required_text(row, "pool", "a capacity row", diags) else {
                continue;
            };
            add_pool(&mut out, &pool, row.line);
            if let Some(first) = seen_rows.get(&pool) {
                duplicate(
                    diags,
                    Loc::cell(table.file, row.line, &table.header_of("pool")),
                    &pool,
                    format!("the capacity row of pool '{pool}'"),
                    *first,
                    "keep one row per pool",
                );
                continue;
            }
            seen_rows.insert(pool.clone(), row.line);
            for &i in &period_cols {
                let period = table.headers[i].clone();
                let subject = format!("pool '{pool}' in period '{period}'");
                if let Field::Ok(fte) = c.number(row, Some(i), &subject, Range::NonNegative, diags)
                {
                    out.entries.push(CapEntry {
                        line: row.line,
                        column: period.clone(),
                        pool: pool.clone(),
                        period,
                        fte,
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

    fn entry(line: usize, column: &str, pool: &str, period: &str, fte: f64) -> CapEntry {
        CapEntry {
            line,
            column: column.into(),
            pool: pool.into(),
            period: period.into(),
            fte,
        }
    }

    #[test]
    fn long_capacity_gives_pools_and_periods_in_order() {
        let (raw, list) = read_text(
            "capacity.csv",
            "pool,period,fte\ndev,M2,1\ndev,M1,2.5\nqa,M2,0\n",
            read,
        );
        assert!(list.is_empty(), "{list:?}");
        let raw = raw.expect("read");
        assert_eq!(raw.pools, [("dev".to_string(), 2), ("qa".to_string(), 4)]);
        assert_eq!(raw.periods, ["M2", "M1"]);
        assert_eq!(
            raw.entries,
            [
                entry(2, "period", "dev", "M2", 1.0),
                entry(3, "period", "dev", "M1", 2.5),
                entry(4, "period", "qa", "M2", 0.0),
            ]
        );
    }

    #[test]
    fn long_capacity_reports_duplicates_and_wrong_fte() {
        let (raw, list) = read_text(
            "capacity.csv",
            "pool,period,fte\ndev,M1,1\ndev,M1,2\ndev,M2,-1\n,M3,1\n",
            read,
        );
        assert_eq!(
            spots(&list),
            [
                (codes::DUPLICATE_KEY, Some(3), Some("period")),
                (codes::OUT_OF_RANGE, Some(4), Some("fte")),
                (codes::EMPTY_FIELD, Some(5), Some("pool")),
            ]
        );
        let raw = raw.expect("read");
        assert_eq!(raw.periods, ["M1", "M2", "M3"]);
        assert_eq!(raw.entries, [entry(2, "period", "dev", "M1", 1.0)]);
    }

    #[test]
    fn wide_capacity_has_a_column_per_period_and_a_row_per_pool() {
        let (raw, list) = read_text(
            "capacity.csv",
            "Pool,Q1,Q2\ndev,1,\nqa,x,2\ndev,3,3\n",
            read,
        );
        assert_eq!(
            spots(&list),
            [
                (codes::NOT_A_NUMBER, Some(3), Some("Q1")),
                (codes::DUPLICATE_KEY, Some(4), Some("Pool")),
            ]
        );
        let raw = raw.expect("read");
        assert_eq!(raw.periods, ["Q1", "Q2"]);
        assert_eq!(raw.pools, [("dev".to_string(), 2), ("qa".to_string(), 3)]);
        assert_eq!(
            raw.entries,
            [
                entry(2, "Q1", "dev", "Q1", 1.0),
                entry(3, "Q2", "qa", "Q2", 2.0)
            ]
        );
    }

    #[test]
    fn wide_capacity_needs_a_pool_column() {
        let (raw, list) = read_text("capacity.csv", "team,Q1\ndev,1\n", read);
        assert!(raw.is_none());
        assert_eq!(
            spots(&list),
            [(codes::MISSING_COLUMN, Some(1), Some("pool"))]
        );
    }
}
