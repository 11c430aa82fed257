//! Two cores on one time-limited solve: HiGHS on the whole model on one thread, the core
//! models (see [`core_start`](super::cores::core_start)) on the other, sharing
//! their portfolios while they run.
//!
//! The two searches meet in an [`Exchange`] through HiGHS's callbacks (the C API's
//! `Highs_setCallback`, which the `highs` crate does not wrap):
//! - every improving solution either search finds is published to the exchange;
//! - the whole-model run takes the exchange's best as its own incumbent whenever that is
//!   better than what it has (HiGHS checks its feasibility first), so the core search's
//!   finds tighten its pruning at once;
//! - when the whole-model run ends (proven, or out of time) it raises the exchange's stop
//!   flag, and the core model running at that moment stops at its next check.
//!
//! Only a run with a time limit races: its answer depends on the machine's speed anyway.
//! Without one, arbiter stays on one thread and the same input gives the same bytes.

use std::ffi::{c_char, c_int, c_void};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Mutex;

use highs_sys::{
    kHighsCallbackCallbackMipUserSolution, kHighsCallbackMipImprovingSolution,
    kHighsCallbackMipInterrupt, HighsCallbackDataIn, HighsCallbackDataOut, HighsInt,
};

/// The best portfolio known to either search, and the flag that ends the race.
pub(crate) struct Exchange {
    objective: Vec<f64>,
    best: Mutex<Option<(f64, Vec<f64>)>>,
    /// Bumped on every improvement, so that a callback can tell news without a lock.
    version: AtomicU64,
    stop: AtomicBool,
}

impl Exchange {
    /// An exchange for columns worth `objective` (maximised), seeded with `start`.
    pub fn new(objective: &[f64], start: Option<&[f64]>) -> Self {
        let exchange = Exchange {
            objective: objective.to_vec(),
            best: Mutex::new(None),
            version: AtomicU64::new(0),
            stop: AtomicBool::new(false),
        };
        if let Some(start) = start {
            exchange.offer(start);
        }
        exchange
    }

    /// What `values` are worth (its first columns, those of the objective).
    pub fn worth(&self, values: &[f64]) -> f64 {
        self.objective.iter().zip(values).map(|(c, x)| c * x).sum()
    }

    /// Keep `values` when it is worth more than the best so far (its columns rounded:
    /// HiGHS's solutions carry tolerances, so the same portfolio is always the same sum).
    pub fn offer(&self, values: &[f64]) {
        if values.len() < self.objective.len() {
            return;
        }
        let values: Vec<f64> = values[..self.objective.len()]
            .iter()
            .map(|v| v.round())
            .collect();
        let worth = self.worth(&values);
        let mut best = match self.best.lock() {
            Ok(best) => best,
            Err(poisoned) => poisoned.into_inner(),
        };
        // Strictly better, as the sequential growing core has always kept a core.
        if best.as_ref().is_none_or(|(w, _)| worth > *w) {
            *best = Some((worth, values));
            self.version.fetch_add(1, Ordering::Release);
        }
    }

    /// The best portfolio so far and its worth.
    pub fn best(&self) -> Option<(f64, Vec<f64>)> {
        match self.best.lock() {
            Ok(best) => best.clone(),
            Err(poisoned) => poisoned.into_inner().clone(),
        }
    }

    pub fn stop(&self) {
        self.stop.store(true, Ordering::Release);
    }

    pub fn stopped(&self) -> bool {
        self.stop.load(Ordering::Acquire)
    }
}

/// What one HiGHS run does with the exchange.
#[derive(Clone, Copy)]
pub(crate) struct Link<'a> {
    pub exchange: &'a Exchange,
    /// Take the exchange's better portfolios as incumbents (only a run whose feasible set
    /// is the whole model's: a core model would reject most of them).
    pub receive: bool,
}

/// The callback's state for one run; lives on the stack of [`attach`]'s caller for the
/// whole solve.
pub(crate) struct Hook<'a> {
    link: Link<'a>,
    columns: usize,
    /// Version of the exchange last handed to HiGHS, and the worth HiGHS has at least.
    seen: u64,
    has: f64,
}

impl<'a> Hook<'a> {
    /// A hook for a run started from the exchange's best portfolio as it is now.
    pub fn new(link: Link<'a>, columns: usize) -> Self {
        let has = link
            .exchange
            .best()
            .map_or(f64::NEG_INFINITY, |(worth, _)| worth);
        Hook {
            seen: link.exchange.version.load(Ordering::Acquire),
            link,
            columns,
            has,
        }
    }
}

/// Install `hook` on `model` (a `highs::Model` about to be solved). The hook must outlive
/// the solve: HiGHS keeps its address.
pub(crate) fn attach(model: &mut highs::Model, hook: &mut Hook<'_>) -> bool {
    let highs = model.as_mut_ptr();
    // SAFETY: `highs` is a live Highs instance owned by `model`; `hook` outlives the solve
    // (the caller keeps it borrowed until `try_solve` returns) and is only touched by the
    // one thread that runs this solve.
    unsafe {
        let data = (hook as *mut Hook<'_>).cast::<c_void>();
        if highs_sys::Highs_setCallback(highs, Some(callback), data) != 0 {
            return false;
        }
        let mut kinds = vec![
            kHighsCallbackMipInterrupt,
            kHighsCallbackMipImprovingSolution,
        ];
        if hook.link.receive {
            kinds.push(kHighsCallbackCallbackMipUserSolution);
        }
        kinds
            .into_iter()
            .all(|kind| highs_sys::Highs_startCallback(highs, kind) == 0)
    }
}

/// HiGHS's callback. Must not panic (it is called from C): no indexing that can fail, no
/// unwrap; a poisoned lock is read through.
extern "C" fn callback(
    kind: c_int,
    _message: *const c_char,
    out: *const HighsCallbackDataOut,
    into: *mut HighsCallbackDataIn,
    data: *mut c_void,
) {
    if data.is_null() {
        return;
    }
    // SAFETY: `data` is the `Hook` given to `attach`, alive for the solve; HiGHS calls back
    // on the thread that runs the solve, so no other reference to it is in use.
    let hook = unsafe { &mut *data.cast::<Hook<'_>>() };
    let exchange = hook.link.exchange;
    match kind as HighsInt {
        k if k == kHighsCallbackMipInterrupt && exchange.stopped() && !into.is_null() => {
            // SAFETY: HiGHS hands a valid input block with an interrupt callback.
            unsafe { (*into).user_interrupt = 1 };
        }
        k if k == kHighsCallbackMipImprovingSolution => {
            // SAFETY: HiGHS passes the improving solution of the original model.
            let values = unsafe {
                let out = &*out;
                if out.mip_solution.is_null() || (out.mip_solution_size as usize) < hook.columns {
                    return;
                }
                std::slice::from_raw_parts(out.mip_solution, hook.columns)
            };
            hook.has = hook.has.max(exchange.worth(values));
            exchange.offer(values);
        }
        k if k == kHighsCallbackCallbackMipUserSolution => {
            let version = exchange.version.load(Ordering::Acquire);
            if version == hook.seen || into.is_null() {
                return;
            }
            hook.seen = version;
            let Some((worth, values)) = exchange.best() else {
                return;
            };
            if worth <= hook.has + 1e-9 * worth.abs().max(1.0) {
                return;
            }
            hook.has = worth;
            // SAFETY: `values` has one value per column of the model being solved.
            unsafe {
                highs_sys::Highs_setCallbackSolution(
                    into,
                    values.len() as HighsInt,
                    values.as_ptr(),
                );
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::solve::fixtures::{fixture, tiny_fixtures};
    use crate::solve::{solve, SolveOptions, SolveStatus};

    #[test]
    fn the_exchange_keeps_the_best_portfolio_rounded() {
        let exchange = Exchange::new(&[3.0, 2.0, 1.0], Some(&[0.0, 1.0, 0.0]));
        assert_eq!(exchange.best(), Some((2.0, vec![0.0, 1.0, 0.0])));
        let version = exchange.version.load(Ordering::Acquire);
        // Worse, equal, or too short: ignored, and no news for the callbacks.
        exchange.offer(&[0.0, 0.0, 1.0]);
        exchange.offer(&[0.0, 1.0, 0.0]);
        exchange.offer(&[1.0]);
        assert_eq!(exchange.version.load(Ordering::Acquire), version);
        // Better, with HiGHS's tolerances and an extra column (a flow): kept, rounded.
        exchange.offer(&[0.999_999_9, 1e-9, 1.0, 7.5]);
        assert_eq!(exchange.best(), Some((4.0, vec![1.0, 0.0, 1.0])));
        assert!(exchange.version.load(Ordering::Acquire) > version);
        assert!(!exchange.stopped());
        exchange.stop();
        assert!(exchange.stopped());
    }

    #[test]
    fn two_threads_race_on_one_thread_each_only_under_a_time_limit() {
        let limited = SolveOptions {
            time_limit: Some(10.0),
            ..SolveOptions::default()
        };
        let two = limited.clone().with_threads(2);
        assert_eq!((two.race, two.threads), (true, 1));
        let one = limited.with_threads(1);
        assert_eq!((one.race, one.threads), (false, 1));
        let unlimited = SolveOptions::default().with_threads(2);
        assert_eq!((unlimited.race, unlimited.threads), (false, 2));
    }

    /// Racing on two threads under a time limit far above what these workbooks need finds
    /// the optimum of the one-thread exact solve, and passes the checker (every solution
    /// does, inside `solve`).
    #[test]
    fn a_racing_solve_reaches_the_exact_optimum() {
        let mut folders = vec!["demo".to_string()];
        folders.extend(tiny_fixtures().iter().map(|name| format!("tiny/{name}")));
        for folder in folders {
            let workbook = fixture(&folder);
            let exact = solve(&workbook, &SolveOptions::default()).unwrap();
            let racing = solve(
                &workbook,
                &SolveOptions {
                    race: true,
                    time_limit: Some(60.0),
                    ..SolveOptions::default()
                },
            )
            .unwrap_or_else(|e| panic!("{folder}: {e}"));
            assert_eq!(racing.status, exact.status, "{folder}");
            if exact.status == SolveStatus::Infeasible {
                continue;
            }
            let (a, b) = (exact.objective.unwrap(), racing.objective.unwrap());
            assert!(
                (a - b).abs() <= 1e-4 * a.abs().max(1.0),
                "{folder}: exact {a}, racing {b}"
            );
        }
    }
}
