//! Primal heuristics around HiGHS.
//!
//! - [`greedy`]: forced work first (whatever the balance shares say: alone, a forced project
//!   can be all of its category's spend), then candidates by value density on the capped
//!   resources they use, each at its earliest start that keeps every capped row within its
//!   limit (or, for a row already over it, does not raise it); a category short of its
//!   minimum share is served first. With the LP relaxation, two more
//!   orders are tried (density on shadow prices; the LP's own choice of projects and starts)
//!   and the best feasible result is kept, so a time-limited run has a portfolio at once.
//! - [`improve`]: a local search on a feasible assignment: add what fits, swap a selected
//!   project for a better one (at any of its starts), then an iterated local search (drop a
//!   few projects at random, refill by density, search again; keep the result unless it
//!   falls too far below the best). Densities weigh each budget and capacity by its LP shadow price when known.
//!   Every move keeps every row within its limits, so the result is feasible and never worse
//!   than what it started from. Its work is counted in row evaluations, not seconds, so the
//!   same input gives the same portfolio.

use super::encode::{Encoded, Tag};
use super::SolveOptions;
use crate::model::Workbook;

/// Incremental row activities of a partial assignment.
struct Builder<'a> {
    encoded: &'a Encoded,
    /// Rows of each column, with the coefficient.
    col_rows: Vec<Vec<(usize, f64)>>,
    activity: Vec<f64>,
    values: Vec<f64>,
    chosen: Vec<bool>,
    /// The column of each selected project.
    at: Vec<Option<usize>>,
    /// The columns of each project in the order `try_add` tries them.
    choice: Vec<Vec<usize>>,
    /// Objective of `values`.
    worth: f64,
    /// Row evaluations so far: the deterministic measure of the local search's work.
    work: u64,
    /// Scratch for [`Builder::fits`]: pending change per row, and the rows it touches.
    delta: Vec<f64>,
    marked: Vec<bool>,
    touched: Vec<usize>,
}

fn tolerance(limit: f64) -> f64 {
    1e-9 * limit.abs().max(1.0)
}

impl<'a> Builder<'a> {
    fn new(encoded: &'a Encoded, projects: usize) -> Builder<'a> {
        let mut col_rows: Vec<Vec<(usize, f64)>> = vec![Vec::new(); encoded.columns.len()];
        for (r, row) in encoded.rows.iter().enumerate() {
            for &(j, c) in &row.terms {
                col_rows[j].push((r, c));
            }
        }
        Builder {
            encoded,
            col_rows,
            activity: vec![0.0; encoded.rows.len()],
            values: vec![0.0; encoded.columns.len()],
            chosen: vec![false; projects],
            at: vec![None; projects],
            choice: encoded.by_project.clone(),
            worth: 0.0,
            work: 0,
            delta: vec![0.0; encoded.rows.len()],
            marked: vec![false; encoded.rows.len()],
            touched: Vec::new(),
        }
    }

    fn set(&mut self, j: usize) {
        for &(r, c) in &self.col_rows[j] {
            self.activity[r] += c;
        }
        self.values[j] = 1.0;
        let p = self.encoded.columns[j].0;
        self.chosen[p] = true;
        self.at[p] = Some(j);
        self.worth += self.encoded.objective[j];
    }

    fn unset(&mut self, j: usize) {
        for &(r, c) in &self.col_rows[j] {
            self.activity[r] -= c;
        }
        self.values[j] = 0.0;
        let p = self.encoded.columns[j].0;
        self.chosen[p] = false;
        self.at[p] = None;
        self.worth -= self.encoded.objective[j];
    }

    /// Whether clearing the columns `out` and setting the columns `inn` keeps every row they
    /// touch within both its limits (the rows they do not touch are unchanged).
    fn fits(&mut self, out: &[usize], inn: &[usize]) -> bool {
        let encoded = self.encoded;
        for (list, sign) in [(out, -1.0), (inn, 1.0)] {
            for &j in list {
                for &(r, c) in &self.col_rows[j] {
                    if !self.marked[r] {
                        self.marked[r] = true;
                        self.touched.push(r);
                    }
                    self.delta[r] += sign * c;
                }
            }
        }
        self.work += self.touched.len() as u64;
        let mut ok = true;
        for &r in &self.touched {
            if ok {
                let row = &encoded.rows[r];
                let after = self.activity[r] + self.delta[r];
                ok = after <= row.upper + tolerance(row.upper)
                    && (row.lower == f64::NEG_INFINITY
                        || after >= row.lower - tolerance(row.lower));
            }
            self.delta[r] = 0.0;
            self.marked[r] = false;
        }
        self.touched.clear();
        ok
    }

    /// Add project `p` at its first start that keeps every row's upper limit, or does not
    /// raise a row already above it. With `forced` (mandatory and in-progress work, which
    /// goes in whatever the shares say) the balance shares are not checked: the first
    /// forced project of a category is its whole share until other work joins it, and the
    /// shares are the construction's to restore afterwards. True when added.
    fn try_add(&mut self, p: usize, forced: bool) -> bool {
        if self.chosen[p] {
            return false;
        }
        let rows = &self.encoded.rows;
        for k in 0..self.choice[p].len() {
            let j = self.choice[p][k];
            let fits = self.col_rows[j].iter().all(|&(r, c)| {
                let row = &rows[r];
                (forced && matches!(row.tag, Tag::BalanceMin { .. } | Tag::BalanceMax { .. }))
                    || c <= 0.0
                    || self.activity[r] + c <= row.upper + tolerance(row.upper)
            });
            if fits {
                self.set(j);
                return true;
            }
        }
        false
    }
}

impl Builder<'_> {
    /// Remove project `p` when that lowers row `target` no further and keeps every other row
    /// within its limits. True when removed.
    fn try_remove(&mut self, p: usize, target: usize) -> bool {
        let rows = &self.encoded.rows;
        let Some(&j) = self.encoded.by_project[p]
            .iter()
            .find(|&&j| self.values[j] > 0.5)
        else {
            return false;
        };
        let ok = self.col_rows[j].iter().all(|&(r, c)| {
            let row = &rows[r];
            let after = self.activity[r] - c;
            if r == target {
                return c < 0.0;
            }
            after <= row.upper + tolerance(row.upper)
                && (row.lower == f64::NEG_INFINITY || after >= row.lower - tolerance(row.lower))
        });
        if ok {
            self.unset(j);
        }
        ok
    }
}

/// The weight of each row in a density: a capped row (budget or capacity) weighs its LP
/// shadow price when `prices` are known, else one over its limit (so a tight, small limit
/// weighs more); other rows weigh nothing (they are kept by the feasibility checks).
fn row_weights(encoded: &Encoded, prices: Option<&[f64]>) -> Vec<f64> {
    encoded
        .rows
        .iter()
        .enumerate()
        .map(|(r, row)| match row.tag {
            Tag::Budget { .. } | Tag::CategoryBudget { .. } | Tag::Capacity { .. } => {
                match prices {
                    Some(prices) => prices.get(r).copied().unwrap_or(0.0),
                    None => 1.0 / row.upper.max(1e-9),
                }
            }
            _ => 0.0,
        })
        .collect()
}

/// Value density of each column: its objective per unit of weighted capped resources.
fn column_density(encoded: &Encoded, weights: &[f64]) -> Vec<f64> {
    let mut use_of = vec![0.0; encoded.columns.len()];
    for (row, &w) in encoded.rows.iter().zip(weights) {
        if w > 0.0 {
            for &(j, c) in &row.terms {
                use_of[j] += w * c.max(0.0);
            }
        }
    }
    encoded
        .objective
        .iter()
        .zip(&use_of)
        .map(|(&o, &u)| o / (u + 1e-9))
        .collect()
}

/// Projects by descending value density at their earliest start, ties by index.
fn by_density(workbook: &Workbook, encoded: &Encoded, weights: &[f64]) -> Vec<usize> {
    let density = column_density(encoded, weights);
    let of = |p: usize| {
        encoded.by_project[p]
            .first()
            .map_or(f64::NEG_INFINITY, |&j| density[j])
    };
    let mut order: Vec<usize> = (0..workbook.projects.len())
        .filter(|&p| !encoded.by_project[p].is_empty())
        .collect();
    order.sort_by(|&a, &b| of(b).total_cmp(&of(a)).then(a.cmp(&b)));
    order
}

/// A feasible assignment of the columns of `encoded`, or `None` when no greedy one is: the
/// greedy by density on 1/limit weights and, with the LP relaxation (`lp`: shadow prices
/// per row, values per column), the one on shadow prices and the one that follows the LP
/// (projects the LP selects most first, each at the start the LP favours); the best of the
/// feasible ones.
pub(crate) fn greedy(
    workbook: &Workbook,
    encoded: &Encoded,
    options: &SolveOptions,
    lp: Option<(&[f64], &[f64])>,
) -> Option<Vec<f64>> {
    let mut best: Option<Builder<'_>> = None;
    let plain = row_weights(encoded, None);
    let mut candidates = vec![construct(workbook, encoded, options, &plain, None)];
    if let Some((prices, values)) = lp {
        let priced = row_weights(encoded, Some(prices));
        candidates.push(construct(workbook, encoded, options, &priced, None));
        candidates.push(construct(workbook, encoded, options, &priced, Some(values)));
    }
    for builder in candidates {
        if encoded.satisfies(&builder.values)
            && best.as_ref().is_none_or(|b| builder.worth > b.worth)
        {
            best = Some(builder);
        }
    }
    best.map(|b| b.values)
}

fn construct<'a>(
    workbook: &Workbook,
    encoded: &'a Encoded,
    options: &SolveOptions,
    weights: &[f64],
    follow: Option<&[f64]>,
) -> Builder<'a> {
    let mut required = vec![false; workbook.projects.len()];
    for project in &workbook.projects {
        for &q in project.requires.iter().chain(&project.after) {
            required[q] = true;
        }
    }
    let mut order: Vec<usize> = by_density(workbook, encoded, weights)
        .into_iter()
        .filter(|&p| workbook.score(p, options.objective) > 0.0 || required[p])
        .collect();
    let mut builder = Builder::new(encoded, workbook.projects.len());
    if let Some(lp) = follow {
        let value = |j: usize| lp.get(j).copied().unwrap_or(0.0);
        let selected = |p: usize| -> f64 { encoded.by_project[p].iter().map(|&j| value(j)).sum() };
        // Stable sorts: among equals, density order and start order remain.
        order.sort_by(|&a, &b| selected(b).total_cmp(&selected(a)));
        for cols in &mut builder.choice {
            cols.sort_by(|&a, &b| value(b).total_cmp(&value(a)));
        }
    }
    // Forced work first: in-progress work has one start, mandatory work the narrowest windows
    // next, so the flexible ones move aside.
    let mut forced: Vec<usize> = (0..workbook.projects.len())
        .filter(|&p| workbook.projects[p].status.is_forced())
        .collect();
    forced.sort_by_key(|&p| (encoded.by_project[p].len(), p));
    for p in forced {
        builder.try_add(p, true);
    }
    // Minimum shares: while a category is short of its share, its best project goes next.
    let short: Vec<(usize, Vec<usize>)> = encoded
        .rows
        .iter()
        .enumerate()
        .filter_map(|(r, row)| match row.tag {
            Tag::BalanceMin { category } => Some((
                r,
                order
                    .iter()
                    .copied()
                    .filter(|&q| workbook.projects[q].category == Some(category))
                    .collect(),
            )),
            _ => None,
        })
        .collect();
    // Two passes: a project whose prerequisite came later in the order gets a second chance.
    for _pass in 0..2 {
        let mut cursor = vec![0; short.len()];
        for &p in &order {
            for (k, (r, list)) in short.iter().enumerate() {
                while builder.activity[*r] < 0.0 && cursor[k] < list.len() {
                    builder.try_add(list[cursor[k]], false);
                    cursor[k] += 1;
                }
            }
            builder.try_add(p, false);
        }
    }
    // Still short of a minimum share: drop the least dense projects of other categories, as
    // long as dropping them breaks nothing else.
    for (r, _) in &short {
        for &p in order.iter().rev() {
            if builder.activity[*r] >= 0.0 {
                break;
            }
            let project = &workbook.projects[p];
            if !builder.chosen[p] || project.status.is_forced() {
                continue;
            }
            builder.try_remove(p, *r);
        }
    }
    builder
}

/// A small deterministic PRNG (splitmix64) for the perturbations of the local search.
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: usize) -> usize {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^= z >> 31;
        (z % n.max(1) as u64) as usize
    }
}

/// At most this many projects are dropped by one perturbation.
const DROPS: usize = 4;
/// How far (relative) below the best a perturbed assignment may fall and still be kept.
const THRESHOLD: f64 = 0.002;

/// Fruitless work (per non-zero of the model) after which the search stops at the least.
const STALL_PER_NONZERO: u64 = 50_000;

/// Improvements smaller than this are rounding noise, not progress.
const EPS: f64 = 1e-9;

impl Builder<'_> {
    /// Add every unselected project of `order` (densest first) at the best of its starts that
    /// fits, skipping `tabu` ones. True when something was added.
    fn add_pass(&mut self, order: &[usize], tabu: &[usize]) -> bool {
        let mut added = false;
        for &q in order {
            if self.chosen[q] || tabu.contains(&q) {
                continue;
            }
            if let Some(k) = self.best_fitting(q, None) {
                self.set(k);
                added = true;
            }
        }
        added
    }

    /// The start of project `q` worth the most (earliest among equals) that fits once
    /// column `out` (if any) is cleared, when it is worth more than 0.
    fn best_fitting(&mut self, q: usize, out: Option<usize>) -> Option<usize> {
        let encoded = self.encoded;
        let floor = out.map_or(0.0, |j| encoded.objective[j]);
        let mut best: Option<usize> = None;
        for &k in &encoded.by_project[q] {
            let worth = encoded.objective[k];
            if worth <= floor + EPS || best.is_some_and(|b| worth <= encoded.objective[b]) {
                continue;
            }
            let removed: &[usize] = match &out {
                Some(j) => std::slice::from_ref(j),
                None => &[],
            };
            if self.fits(removed, &[k]) {
                best = Some(k);
            }
        }
        best
    }

    /// Swap passes: each selected project (least dense first) for the unselected one (densest
    /// first) that is worth more and fits in its place. True when a swap was made.
    fn swap_pass(&mut self, order: &[usize], budget: u64) -> bool {
        let mut swapped = false;
        for &p in order.iter().rev() {
            if self.work > budget {
                break;
            }
            let Some(j) = self.at[p] else { continue };
            for &q in order {
                if self.chosen[q] {
                    continue;
                }
                if let Some(k) = self.best_fitting(q, Some(j)) {
                    self.unset(j);
                    self.set(k);
                    swapped = true;
                    break;
                }
            }
        }
        swapped
    }

    /// Add and swap until neither helps or the budget is spent.
    fn descend(&mut self, order: &[usize], budget: u64) {
        loop {
            self.add_pass(order, &[]);
            if self.work > budget || !self.swap_pass(order, budget) {
                break;
            }
        }
    }
}

/// Improve the feasible assignment `values` by local search within `budget` row
/// evaluations; returns an assignment at least as good that satisfies every row.
pub(crate) fn improve(
    workbook: &Workbook,
    encoded: &Encoded,
    options: &SolveOptions,
    prices: Option<&[f64]>,
    values: &[f64],
    budget: u64,
) -> Vec<f64> {
    let rounded: Vec<f64> = values.iter().map(|v| v.round()).collect();
    let mut builder = Builder::new(encoded, workbook.projects.len());
    for (j, &v) in rounded.iter().enumerate() {
        if v > 0.5 {
            builder.set(j);
        }
    }
    let order: Vec<usize> = by_density(workbook, encoded, &row_weights(encoded, prices))
        .into_iter()
        .filter(|&p| workbook.score(p, options.objective) > 0.0)
        .collect();
    builder.descend(&order, budget);
    let mut best = (builder.worth, builder.values.clone());
    // Iterated local search: drop a few selected projects at random, refill without them,
    // descend; keep the result unless it falls more than THRESHOLD below the best (a little
    // slack lets the search cross plateaus and shallow valleys), else undo.
    let mut rng = Rng(0x5EED);
    let mut selected: Vec<usize> = Vec::new();
    let mut removed: Vec<usize> = Vec::new();
    // Stop early once the search stalls: after as much fruitless work as it took to reach
    // the best so far (at least a small multiple of the model), so a small model is not
    // searched long after its neighbourhoods are exhausted.
    let began = builder.work;
    let nonzeros: u64 = encoded.rows.iter().map(|r| r.terms.len() as u64).sum();
    let mut found_at = builder.work;
    while builder.work < budget
        && builder.work - found_at <= (found_at - began).max(STALL_PER_NONZERO * nonzeros)
    {
        selected.clear();
        selected.extend(
            order
                .iter()
                .copied()
                .filter(|&p| builder.chosen[p] && !workbook.projects[p].status.is_forced()),
        );
        if selected.is_empty() {
            break;
        }
        // The round's bookkeeping below is linear in the model: counted as work too.
        builder.work += (encoded.columns.len() + order.len()) as u64;
        let before = builder.values.clone();
        removed.clear();
        let drops = 1 + rng.below(DROPS.min(selected.len()));
        for _ in 0..drops {
            let p = selected[rng.below(selected.len())];
            if let Some(j) = builder.at[p] {
                if builder.fits(&[j], &[]) {
                    builder.unset(j);
                    removed.push(p);
                }
            }
        }
        builder.add_pass(&order, &removed);
        builder.descend(&order, budget);
        if builder.worth > best.0 + EPS {
            best = (builder.worth, builder.values.clone());
            found_at = builder.work;
        } else if builder.worth < best.0 - THRESHOLD * best.0.abs() - EPS {
            // Too far below the best: back to where this round started.
            for (j, &v) in before.iter().enumerate() {
                if v < 0.5 && builder.values[j] > 0.5 {
                    builder.unset(j);
                }
            }
            for (j, &v) in before.iter().enumerate() {
                if v > 0.5 && builder.values[j] < 0.5 {
                    builder.set(j);
                }
            }
        }
    }
    if best.0 >= builder.worth - EPS && encoded.satisfies(&best.1) {
        best.1
    } else if encoded.satisfies(&builder.values) {
        builder.values
    } else {
        rounded
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::solve::fixtures::{fixture, tiny_fixtures};

    /// The demo caps the Run category at 40 % of the spend, and its first forced project
    /// (P-01, in progress) is Run work: alone it is all of the spend. The greedy must still
    /// place every forced project and end within every row, and the local search must keep
    /// it feasible and never make it worse.
    #[test]
    fn greedy_places_forced_work_under_a_maximum_share() {
        let wb = fixture("demo");
        let options = SolveOptions::default();
        let encoded = Encoded::new(&wb, options.objective, options.discount);
        let Some(values) = greedy(&wb, &encoded, &options, None) else {
            panic!("no greedy portfolio on the demo");
        };
        assert!(encoded.satisfies(&values));
        for (p, project) in wb.projects.iter().enumerate() {
            let selected: f64 = encoded.by_project[p].iter().map(|&j| values[j]).sum();
            if project.status.is_forced() {
                assert_eq!(selected, 1.0, "{} is forced", project.id);
            }
        }
        let better = improve(&wb, &encoded, &options, None, &values, 1_000_000);
        assert!(encoded.satisfies(&better));
        assert!(encoded.worth(&better) >= encoded.worth(&values) - 1e-9);
        // The demo's optimum is 108.08 (README); the start is a real portfolio, not empty.
        assert!(encoded.worth(&better) > 50.0, "{}", encoded.worth(&better));
        assert!(encoded.worth(&better) <= 108.0834);
    }

    /// On every feasible tiny fixture the greedy's portfolio, when it finds one, satisfies
    /// every row, and the local search keeps it so.
    #[test]
    fn greedy_and_search_stay_feasible_on_the_tiny_fixtures() {
        let mut found = 0;
        for name in tiny_fixtures() {
            if name.starts_with("infeasible") {
                continue;
            }
            let wb = fixture(&format!("tiny/{name}"));
            let options = SolveOptions::default();
            let full = Encoded::new(&wb, options.objective, options.discount);
            // With partly funded projects the heuristics run on the model funding them
            // whole (as `primal_start` does); their portfolio is one of the full model.
            let encoded = full.whole_view().expect("no flows");
            if let Some(values) = greedy(&wb, &encoded, &options, None) {
                found += 1;
                assert!(encoded.satisfies(&values), "{name}");
                let better = improve(&wb, &encoded, &options, None, &values, 100_000);
                assert!(encoded.satisfies(&better), "{name}");
                assert!(encoded.worth(&better) >= encoded.worth(&values) - 1e-9);
                let back = full.with_whole_shares(better.clone());
                assert!(full.satisfies(&back), "{name}: the whole view's portfolio");
                assert!((full.worth(&back) - encoded.worth(&better)).abs() < 1e-9);
            }
        }
        assert!(found >= 8, "greedy found {found} portfolios");
    }
}
