//! Running one function over many items on a pool of rayon threads, results in input order:
//! the one rayon helper shared by the analyses' re-solves and the scenario runner
//! ([`crate::batch`]). A leaf: it knows nothing of workbooks or solves.

use crate::error::{Error, Result};

/// `f` over `items` on a pool of `workers` threads (at least 1), results in input order.
/// The pool is the caller's own, so a run with `--jobs 1` really uses one thread.
pub fn par_map<T, R, F>(items: &[T], workers: usize, f: F) -> Result<Vec<R>>
where
    T: Sync,
    R: Send,
    F: Fn(&T) -> R + Sync,
{
    use rayon::prelude::*;
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(workers.max(1))
        .thread_name(|i| format!("arbiter-worker-{i}"))
        .build()
        .map_err(|e| Error::Internal(format!("cannot start {workers} worker threads: {e}")))?;
    // One item per task: solves vary a lot in length, so no batching.
    Ok(pool.install(|| items.par_iter().with_max_len(1).map(&f).collect()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn par_map_keeps_input_order_whatever_the_workers() {
        let items: Vec<u64> = (0..200).collect();
        let square = |x: &u64| x * x;
        let one = par_map(&items, 1, square).unwrap();
        let four = par_map(&items, 4, square).unwrap();
        assert_eq!(one, four);
        assert_eq!(one[199], 199 * 199);
    }

    #[test]
    fn par_map_runs_on_the_callers_own_threads() {
        // The pool is named, so the closure sees it is not on the global pool.
        let names = par_map(&[0u8; 8], 2, |_| {
            std::thread::current().name().unwrap_or("").to_string()
        })
        .unwrap();
        assert!(
            names.iter().all(|n| n.starts_with("arbiter-worker-")),
            "{names:?}"
        );
    }
}
