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
