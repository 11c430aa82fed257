//! Random small workbooks for property tests, built directly as [`Workbook`] values.
//!
//! Proptest draws a [`RawWorkbook`] (small integers that shrink well), and [`build`] turns it
//! deterministically into a workbook that is valid per the contract: windows hold the
//! duration, profiles and demand have `duration` entries, `cost` is the profile's sum, links
//! never name their own project, `after` links are acyclic, weights sum to 1. Budgets and
//! capacities are drawn as fractions of what "everything at its earliest start" would use, so
//! that they bind. The number of assignments (out, or each start in the window, per project)
//! is kept under [`MAX_ASSIGNMENTS`] so that brute force stays fast.

#![allow(dead_code)]

use std::collections::BTreeMap;
use std::fmt::Write as _;

use arbiter::model::{Balance, Demand, Driver, Limit, Project, Status, WeightSource, Workbook};
use proptest::prelude::*;

/// Upper bound on the number of complete assignments of one generated workbook.
pub const MAX_ASSIGNMENTS: u64 = 20_000;

/// One project as drawn.
#[derive(Debug, Clone)]
pub struct RawProject {
    pub status: Status,
    pub duration: usize,
    /// Earliest and latest start, drawn as bytes (see [`build`]).
    pub window: (u8, u8),
    /// Negative now and then: a project that loses money.
    pub value: i32,
    pub scores: [u32; 2],
    /// Spend per offset (only the first `duration` count); `flat` repeats the first one. A
    /// negative amount is cash the project brings in.
    pub profile: [i32; 3],
    pub flat: bool,
    pub category: Option<u8>,
    /// (pool, flat, fte in halves per offset).
    pub demand: Vec<(u8, bool, [u8; 3])>,
    pub requires: Vec<u8>,
    pub excludes: Vec<u8>,
    pub after: Vec<u8>,
    /// `requires_any` groups.
    pub requires_any: Vec<Vec<u8>>,
    /// Topological rank: an `after` link only points to a project of lower (rank, index).
    pub rank: u8,
}

/// A count limit as drawn: (category or all, period or none, min, max).
pub type RawLimit = (Option<u8>, Option<u8>, Option<u8>, Option<u8>);

/// One workbook as drawn.
#[derive(Debug, Clone)]
pub struct RawWorkbook {
    pub horizon: usize,
    pub projects: Vec<RawProject>,
    pub categories: usize,
    /// Per category: per-period budget factors (tenths of the category's peak full spend).
    pub category_budgets: [Option<[Option<u8>; 4]>; 3],
    pub drivers: usize,
    pub weights: [u8; 2],
    pub pools: usize,
    /// Per pool, per period: capacity factor (tenths of the pool's peak full demand).
    pub capacity: [[u8; 4]; 2],
    /// Per period: total budget factor (tenths of the peak full spend).
    pub total_budget: Option<[Option<u8>; 4]>,
    /// (category, min share in tenths, span of max over min in tenths).
    pub balance: Vec<(u8, u8, u8)>,
    /// Per period: whether the total budget carries what it leaves unspent.
    pub carry_total: [bool; 4],
    /// Per category: whether its budget carries (every period alike).
    pub carry_category: [bool; 3],
    /// Count limits: (category or all, period or none, min, max).
    pub limits: Vec<RawLimit>,
    pub discount: f64,
}

fn status() -> impl Strategy<Value = Status> {
    prop_oneof![
        16 => Just(Status::Candidate),
        1 => Just(Status::Mandatory),
        2 => Just(Status::InProgress),
        1 => Just(Status::Excluded),
    ]
}

fn links() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        5 => Just(Vec::new()),
        1 => prop::collection::vec(0u8..10, 1..=2),
    ]
}

fn groups() -> impl Strategy<Value = Vec<Vec<u8>>> {
    prop_oneof![
        6 => Just(Vec::new()),
        1 => prop::collection::vec(prop::collection::vec(0u8..10, 1..=3), 1..=2),
    ]
}

prop_compose! {
    fn raw_demand()(
        pool in 0u8..2,
        flat in any::<bool>(),
        fte in prop::array::uniform3(0u8..=4),
    ) -> (u8, bool, [u8; 3]) {
        (pool, flat, fte)
    }
}

prop_compose! {
    fn raw_links()(
        requires in links(),
        excludes in links(),
        after in links(),
        rank in 0u8..4,
    ) -> (Vec<u8>, Vec<u8>, Vec<u8>, u8) {
        (requires, excludes, after, rank)
    }
}

prop_compose! {
    fn raw_project()(
        status in status(),
        duration in 1usize..=3,
        window in (any::<u8>(), any::<u8>()),
        value in prop_oneof![12 => 0i32..=50, 1 => -20i32..=-1],
        scores in prop::array::uniform2(0u32..=10),
        profile in prop::array::uniform3(prop_oneof![6 => 1i32..=20, 1 => -20i32..=-1]),
        flat in any::<bool>(),
        category in prop::option::weighted(0.7, 0u8..3),
        demand in prop::collection::vec(raw_demand(), 0..=2),
        links in raw_links(),
        requires_any in groups(),
    ) -> RawProject {
        let (requires, excludes, after, rank) = links;
        RawProject {
            status, duration, window, value, scores, profile, flat, category, demand,
            requires, excludes, after, requires_any, rank,
        }
    }
}

fn project_count() -> impl Strategy<Value = usize> {
    prop_oneof![
        1 => 0usize..=2,
        8 => 3usize..=8,
        1 => 9usize..=10,
    ]
}

fn period_factors() -> impl Strategy<Value = [Option<u8>; 4]> {
    prop::array::uniform4(prop::option::weighted(0.85, 3u8..=12))
}

prop_compose! {
    fn raw_limits()(
        categories in 0usize..=3,
        category_budgets in prop::array::uniform3(prop::option::weighted(0.4, period_factors())),
        drivers in prop_oneof![2 => Just(0usize), 1 => Just(1usize), 2 => Just(2usize)],
        weights in prop::array::uniform2(0u8..=5),
        pools in 1usize..=2,
        capacity in prop::array::uniform2(prop::array::uniform4(3u8..=12)),
        total_budget in prop::option::weighted(0.8, period_factors()),
        balance in prop_oneof![
            4 => Just(Vec::new()),
            1 => prop::collection::vec((0u8..3, 0u8..=5, 0u8..=10), 1..=2),
        ],
        discount in prop_oneof![3 => Just(0.0), 1 => Just(0.05), 1 => Just(0.1)],
        carry in (
            prop_oneof![3 => Just([false; 4]), 1 => prop::array::uniform4(any::<bool>())],
            prop_oneof![3 => Just([false; 3]), 1 => prop::array::uniform3(any::<bool>())],
        ),
        limits in prop_oneof![
            3 => Just(Vec::new()),
            1 => prop::collection::vec(
                (
                    prop::option::weighted(0.5, 0u8..3),
                    prop::option::weighted(0.3, 0u8..4),
                    prop::option::weighted(0.4, 0u8..=3),
                    prop::option::weighted(0.7, 0u8..=4),
                ),
                1..=2,
            ),
        ],
    ) -> RawWorkbook {
        let (carry_total, carry_category) = carry;
        RawWorkbook {
            horizon: 0,
            projects: Vec::new(),
            categories,
            category_budgets,
            drivers,
            weights,
            pools,
            capacity,
            total_budget,
            balance,
            carry_total,
            carry_category,
            limits,
            discount,
        }
    }
}

/// Proptest strategy of raw workbooks.
pub fn raw_workbook() -> impl Strategy<Value = RawWorkbook> {
    raw_workbook_of(project_count())
}

/// Proptest strategy of raw workbooks with a given number of projects.
pub fn raw_workbook_of(count: impl Strategy<Value = usize>) -> impl Strategy<Value = RawWorkbook> {
    (
        1usize..=4,
        count.prop_flat_map(|n| prop::collection::vec(raw_project(), n)),
        raw_limits(),
    )
        .prop_map(|(horizon, projects, limits)| RawWorkbook {
            horizon,
            projects,
            ..limits
        })
}

/// Proptest strategy of valid workbooks with their discount rate.
pub fn workbook() -> impl Strategy<Value = (Workbook, f64)> {
    workbook_of(project_count())
}

/// Proptest strategy of valid workbooks with a given number of projects, and their discount
/// rate.
pub fn workbook_of(count: impl Strategy<Value = usize>) -> impl Strategy<Value = (Workbook, f64)> {
    raw_workbook_of(count).prop_map(|raw| {
        let discount = raw.discount;
        (build(&raw), discount)
    })
}

/// Index `raw` into `0..n`, refusing `own` (no self links).
fn target(raw: u8, n: usize, own: usize) -> Option<usize> {
    let q = raw as usize % n;
    (q != own).then_some(q)
}

fn sorted(mut v: Vec<usize>) -> Vec<usize> {
    v.sort_unstable();
    v.dedup();
    v
}

/// Spread `profile` from `start` into `into` (inside the horizon only).
fn spread(into: &mut [f64], start: usize, profile: &[f64]) {
    for (offset, x) in profile.iter().enumerate() {
        if let Some(slot) = into.get_mut(start + offset) {
            *slot += x;
        }
    }
}

fn peak(v: &[f64]) -> f64 {
    v.iter().copied().fold(0.0, f64::max)
}

/// Number of complete assignments (out, or each start of the window) of a workbook.
pub fn assignments(workbook: &Workbook) -> u64 {
    workbook
        .projects
        .iter()
        .map(|p| options(p).len() as u64)
        .product()
}

/// The choices of one project: `None` (out) and/or each start of its window.
pub fn options(project: &Project) -> Vec<Option<usize>> {
    match project.status {
        Status::Excluded => vec![None],
        Status::InProgress => vec![Some(0)],
        Status::Mandatory => project.window().map(Some).collect(),
        Status::Candidate => std::iter::once(None)
            .chain(project.window().map(Some))
            .collect(),
    }
}

/// Turn a raw draw into a valid workbook.
pub fn build(raw: &RawWorkbook) -> Workbook {
    let horizon = raw.horizon.max(1);
    let n = raw.projects.len();
    let periods: Vec<String> = (0..horizon).map(|t| format!("2027-Q{}", t + 1)).collect();
    let categories: Vec<String> = (0..raw.categories).map(|c| format!("c{c}")).collect();
    let pools: Vec<String> = (0..raw.pools).map(|k| format!("pool{k}")).collect();
    let drivers: Vec<Driver> = {
        let weights: Vec<f64> = raw.weights[..raw.drivers]
            .iter()
            .map(|&w| w as f64)
            .collect();
        let sum: f64 = weights.iter().sum();
        weights
            .iter()
            .enumerate()
            .map(|(d, w)| Driver {
                name: format!("d{d}"),
                weight: if sum > 0.0 {
                    w / sum
                } else {
                    1.0 / raw.drivers as f64
                },
            })
            .collect()
    };

    // `excludes` as written on each project, each pair kept once where first written, as
    // the resolver does.
    let mut seen = std::collections::BTreeSet::new();
    let exclusions: Vec<(usize, usize)> = raw
        .projects
        .iter()
        .enumerate()
        .flat_map(|(p, r)| {
            sorted(r.excludes.iter().filter_map(|&q| target(q, n, p)).collect())
                .into_iter()
                .map(move |q| (p, q))
        })
        .filter(|&(p, q)| seen.insert((p.min(q), p.max(q))))
        .collect();

    let mut projects: Vec<Project> = raw
        .projects
        .iter()
        .enumerate()
        .map(|(p, r)| {
            let in_progress = r.status == Status::InProgress;
            // In-progress work may run past the horizon; other work must fit inside it.
            let duration = if in_progress {
                r.duration
            } else {
                r.duration.min(horizon)
            };
            let (earliest, latest) = if in_progress {
                (0, 0)
            } else {
                // Wide windows are common: the lower half of each byte means "from the
                // first period" / "up to the last period that still fits".
                let room = horizon - duration;
                let (a, b) = (r.window.0 as usize, r.window.1 as usize);
                let earliest = if a < 128 { 0 } else { (a - 128) * room / 127 };
                let latest = if b < 128 {
                    room
                } else {
                    earliest + (b - 128) * (room - earliest) / 127
                };
                (earliest, latest)
            };
            let cost_profile: Vec<f64> = (0..duration)
                .map(|o| r.profile[if r.flat { 0 } else { o }] as f64)
                .collect();
            let cost: f64 = cost_profile.iter().sum();
            let mut demand: BTreeMap<usize, Vec<f64>> = BTreeMap::new();
            for &(pool, flat, fte) in &r.demand {
                let pool = pool as usize % raw.pools.max(1);
                demand.entry(pool).or_insert_with(|| {
                    (0..duration)
                        .map(|o| fte[if flat { 0 } else { o }] as f64 * 0.5)
                        .collect()
                });
            }
            let links = |raw_links: &[u8]| -> Vec<usize> {
                sorted(raw_links.iter().filter_map(|&q| target(q, n, p)).collect())
            };
            let after = if in_progress {
                Vec::new()
            } else {
                links(&r.after)
                    .into_iter()
                    .filter(|&q| (raw.projects[q].rank, q) < (r.rank, p))
                    .collect()
            };
            let value = r.value as f64;
            let requires_any: Vec<Vec<usize>> = r
                .requires_any
                .iter()
                .map(|group| links(group))
                .filter(|group| !group.is_empty())
                .collect();
            Project {
                id: format!("P-{}", p + 1),
                name: format!("project {}", p + 1),
                cost,
                duration,
                value,
                earliest,
                latest_given: None,
                latest,
                status: r.status,
                category: r
                    .category
                    .filter(|_| raw.categories > 0)
                    .map(|c| c as usize % raw.categories),
                requires: links(&r.requires),
                requires_any,
                after,
                cost_low: cost,
                cost_high: cost,
                value_low: value,
                value_high: value,
                scores: r.scores[..raw.drivers].iter().map(|&s| s as f64).collect(),
                cost_profile,
                demand: demand
                    .into_iter()
                    .map(|(pool, fte)| Demand { pool, fte })
                    .collect(),
                min_share: None,
                forced_by: None,
            }
        })
        .collect();

    // Keep brute force cheap: narrow the widest windows until few assignments remain.
    loop {
        let count: u64 = projects.iter().map(|p| options(p).len() as u64).product();
        if count <= MAX_ASSIGNMENTS {
            break;
        }
        let widest = (0..projects.len())
            .max_by_key(|&p| (projects[p].latest - projects[p].earliest, p))
            .expect("a workbook with too many assignments has projects");
        if projects[widest].latest > projects[widest].earliest {
            projects[widest].latest -= 1;
        } else {
            // Only statuses remain to cut: make the last candidate excluded.
            let last = (0..projects.len())
                .rev()
                .find(|&p| projects[p].status == Status::Candidate)
                .expect("too many assignments without a candidate");
            projects[last].status = Status::Excluded;
        }
    }

    // What everything at its earliest start would use: budgets and capacities are fractions
    // of its peak, so that they bind.
    let mut full_total = vec![0.0; horizon];
    let mut full_category = vec![vec![0.0; horizon]; categories.len()];
    let mut full_pool = vec![vec![0.0; horizon]; pools.len()];
    for project in projects.iter().filter(|p| p.status != Status::Excluded) {
        let outflow: Vec<f64> = project.cost_profile.iter().map(|x| x.max(0.0)).collect();
        spread(&mut full_total, project.earliest, &outflow);
        if let Some(c) = project.category {
            spread(&mut full_category[c], project.earliest, &outflow);
        }
        for d in &project.demand {
            spread(&mut full_pool[d.pool], project.earliest, &d.fte);
        }
    }
    // Budgets from the peak outflow (inflows do not lower it), so that they bind.
    let cap = |factor: u8, peak: f64| (factor as f64 * peak / 10.0).round();
    let budget_total: Vec<Option<f64>> = match raw.total_budget {
        Some(factors) => (0..horizon)
            .map(|t| factors[t].map(|f| cap(f, peak(&full_total))))
            .collect(),
        None => vec![None; horizon],
    };
    let mut budget_category = BTreeMap::new();
    for (c, full) in full_category.iter().enumerate() {
        if let Some(factors) = raw.category_budgets[c] {
            budget_category.insert(
                c,
                (0..horizon)
                    .map(|t| factors[t].map(|f| cap(f, peak(full))))
                    .collect(),
            );
        }
    }
    let capacity: Vec<Vec<f64>> = full_pool
        .iter()
        .enumerate()
        .map(|(k, full)| {
            (0..horizon)
                // Halves of an FTE, like the demand.
                .map(|t| (raw.capacity[k][t] as f64 * peak(full) / 5.0).round() / 2.0)
                .collect()
        })
        .collect();
    let mut balance: Vec<Balance> = Vec::new();
    if !categories.is_empty() {
        for &(c, min, span) in &raw.balance {
            let category = c as usize % categories.len();
            if balance.iter().any(|b| b.category == category) {
                continue;
            }
            let min_share = min as f64 / 10.0;
            let max_share = (min_share + span as f64 / 10.0).min(1.0);
            balance.push(Balance {
                category,
                min_share,
                max_share,
            });
        }
    }

    let limits: Vec<Limit> = raw
        .limits
        .iter()
        .enumerate()
        .map(|(i, &(category, period, min, max))| {
            let (min, max) = match (min, max) {
                (Some(a), Some(b)) if a > b => (Some(b as usize), Some(a as usize)),
                (a, b) => (a.map(usize::from), b.map(usize::from)),
            };
            Limit {
                category: category
                    .filter(|_| !categories.is_empty())
                    .map(|c| c as usize % categories.len()),
                period: period.map(|t| t as usize % horizon),
                min,
                max,
                line: i + 2,
            }
        })
        .collect();
    let carry_total = if raw.carry_total.iter().take(horizon).any(|&c| c) {
        raw.carry_total[..horizon].to_vec()
    } else {
        Vec::new()
    };
    let carry_category: BTreeMap<usize, Vec<bool>> = budget_category
        .keys()
        .filter(|&&c| raw.carry_category[c])
        .map(|&c| (c, vec![true; horizon]))
        .collect();

    Workbook {
        periods,
        projects,
        weight_source: if drivers.is_empty() {
            WeightSource::None
        } else {
            WeightSource::Weights { total: 1.0 }
        },
        drivers,
        pools,
        capacity,
        budget_total,
        categories,
        budget_category,
        carry_total,
        carry_category,
        limits,
        balance,
        staffing: None,
        exclusions,
    }
}

/// Every budget (total and per category) times `factor`.
pub fn scale_budgets(workbook: &Workbook, factor: f64) -> Workbook {
    let mut scaled = workbook.clone();
    for cap in scaled.budget_total.iter_mut().flatten() {
        *cap *= factor;
    }
    for caps in scaled.budget_category.values_mut() {
        for cap in caps.iter_mut().flatten() {
            *cap *= factor;
        }
    }
    scaled
}

/// A compact, readable description of a workbook, for failure messages.
pub fn describe(workbook: &Workbook, discount: f64) -> String {
    let mut out = String::new();
    let per_period = |v: &[Option<f64>]| -> String {
        v.iter()
            .map(|x| x.map_or("-".to_string(), |x| x.to_string()))
            .collect::<Vec<_>>()
            .join(" ")
    };
    let ids = |v: &[usize]| -> String {
        v.iter()
            .map(|&q| workbook.projects[q].id.clone())
            .collect::<Vec<_>>()
            .join(",")
    };
    let _ = writeln!(out, "periods {:?}, discount {discount}", workbook.periods);
    if !workbook.drivers.is_empty() {
        let _ = writeln!(
            out,
            "drivers {}",
            workbook
                .drivers
                .iter()
                .map(|d| format!("{}={}", d.name, d.weight))
                .collect::<Vec<_>>()
                .join(" ")
        );
    }
    for (i, p) in workbook.projects.iter().enumerate() {
        let _ = write!(
            out,
            "{} {} dur {} window {}..{} value {} cost {:?}",
            p.id,
            p.status.as_str(),
            p.duration,
            p.earliest,
            p.latest,
            p.value,
            p.cost_profile
        );
        if !p.scores.is_empty() {
            let _ = write!(out, " scores {:?}", p.scores);
        }
        if let Some(c) = p.category {
            let _ = write!(out, " cat {}", workbook.categories[c]);
        }
        for d in &p.demand {
            let _ = write!(out, " {}:{:?}", workbook.pools[d.pool], d.fte);
        }
        if !p.requires.is_empty() {
            let _ = write!(out, " requires {}", ids(&p.requires));
        }
        let excludes: Vec<usize> = workbook
            .exclusions
            .iter()
            .filter(|&&(a, _)| a == i)
            .map(|&(_, b)| b)
            .collect();
        if !excludes.is_empty() {
            let _ = write!(out, " excludes {}", ids(&excludes));
        }
        if !p.after.is_empty() {
            let _ = write!(out, " after {}", ids(&p.after));
        }
        if let Some(share) = p.min_share {
            let _ = write!(out, " min_share {share}");
        }
        for group in &p.requires_any {
            let _ = write!(out, " requires_any {}", ids(group).replace(',', "|"));
        }
        out.push('\n');
    }
    let _ = writeln!(out, "budget total: {}", per_period(&workbook.budget_total));
    for (c, caps) in &workbook.budget_category {
        let _ = writeln!(
            out,
            "budget {}: {}",
            workbook.categories[*c],
            per_period(caps)
        );
    }
    for (k, caps) in workbook.capacity.iter().enumerate() {
        let _ = writeln!(out, "capacity {}: {:?}", workbook.pools[k], caps);
    }
    if !workbook.carry_total.is_empty() {
        let _ = writeln!(out, "carry total: {:?}", workbook.carry_total);
    }
    for (c, carry) in &workbook.carry_category {
        let _ = writeln!(out, "carry {}: {:?}", workbook.categories[*c], carry);
    }
    for l in &workbook.limits {
        let _ = writeln!(
            out,
            "limit {:?} period {:?}: {:?}..{:?}",
            l.category.map(|c| &workbook.categories[c]),
            l.period,
            l.min,
            l.max
        );
    }
    for b in &workbook.balance {
        let _ = writeln!(
            out,
            "balance {}: {}..{}",
            workbook.categories[b.category], b.min_share, b.max_share
        );
    }
    out
}

/// A proptest config of `cases` cases from a fixed seed, no regression files;
/// `ARBITER_PROPTEST_CASES=N` runs N instead (a deeper search, e.g. before a release:
/// `ARBITER_PROPTEST_CASES=20000 cargo test --release --test bruteforce`).
pub fn config(cases: u32, seed: u64) -> proptest::test_runner::Config {
    let cases = std::env::var("ARBITER_PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(cases);
    proptest::test_runner::Config {
        cases,
        rng_seed: proptest::test_runner::RngSeed::Fixed(seed),
        failure_persistence: None,
        ..proptest::test_runner::Config::default()
    }
}

/// Equal within the contract's tolerance, relative to `b`.
pub fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-6 * b.abs().max(1.0)
}
