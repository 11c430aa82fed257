//! Solving: encode a [`Workbook`] as a MILP (good_lp), solve it with HiGHS, extract the
//! portfolio, and verify it with the independent [`check`]er before anyone sees it.
//!
//! Only this module names good_lp and HiGHS.

mod allocate;
mod backend;
mod baseline;
pub mod check;
mod diagnose;
mod encode;
mod extra;
#[cfg(test)]
mod fixtures;
mod heuristic;
mod sample;

pub use allocate::{allocate, proportional_split, staff_shortfall, Assignment, Quality};
pub use baseline::{change_penalty, penalised_objective, Baseline};
pub use diagnose::{diagnose, Diagnosis, Finding};
pub use extra::{what_it_takes, Needed, Raise, Resource};
pub use sample::solve_sample;

use crate::error::{Error, Result};
use crate::model::{Objective, Starts, Workbook};

/// Options of one solve.
#[derive(Debug, Clone, PartialEq)]
pub struct SolveOptions {
    /// Wall-clock limit in seconds for the whole solve (`None`: no limit).
    pub time_limit: Option<f64>,
    /// Branch-and-bound nodes the main MILP of each solve may explore (`None`: no limit):
    /// a limit on work, not time, so that a limited solve gives the same answer on every
    /// machine and under any load. Under a node limit nothing races and HiGHS runs on one
    /// thread (a node count on several threads is not reproducible).
    pub node_limit: Option<usize>,
    /// Relative MIP gap at which a solution counts as optimal (contract default 1e-4).
    pub gap: f64,
    /// HiGHS threads (1 inside a parallel runner).
    pub threads: usize,
    /// Under a time limit, race two searches on two cores, one HiGHS thread each (see
    /// `backend/race.rs`). HiGHS fixes its thread count once per process, so every other
    /// solve of a racing process runs on one thread too: set `threads` to 1 with it.
    pub race: bool,
    /// Discount rate r: a project starting in period k counts score × (1 + r)^(−k).
    pub discount: f64,
    pub objective: Objective,
    /// Apply the contract's earliest-start tie-break (a second solve). Analyses that compare
    /// objectives only (ranking, frontier, sensitivity) switch it off.
    pub tie_break: bool,
    /// Tune HiGHS for many short solves of small models, as analyses run them: no restart
    /// after root presolve and a small cut pool. Measured on the demo's ranking (39
    /// re-solves): 33.4 s of CPU down to 19.5 s, the same answers. Off for `plan`, whose
    /// one solve may be large.
    pub quick: bool,
    /// With teams.csv: decide who works on what after the solve ([`allocate`]). Analyses
    /// that compare objectives only switch it off.
    pub allocate: bool,
    /// A previous plan whose changes cost a penalty (`plan --baseline`); the objective is
    /// then the penalised one (see [`penalised_objective`]).
    pub baseline: Option<Baseline>,
}

impl Default for SolveOptions {
    fn default() -> Self {
        SolveOptions {
            time_limit: None,
            node_limit: None,
            gap: 1e-4,
            threads: 1,
            race: false,
            discount: 0.0,
            objective: Objective::Score,
            tie_break: true,
            quick: false,
            allocate: true,
            baseline: None,
        }
    }
}

impl SolveOptions {
    /// These options on `threads` threads, as `plan --threads N` asks: two or more under a
    /// time limit race two searches, each on one HiGHS thread (and so is every other solve
    /// of the process: HiGHS keeps one thread count per process); otherwise HiGHS gets
    /// `threads`. Under a node limit there is no race and one thread: two searches racing,
    /// or HiGHS's own threads, reach a node count in an order that depends on the clock.
    pub fn with_threads(self, threads: usize) -> Self {
        let reproducible = self.node_limit.is_some();
        let race = threads >= 2 && self.time_limit.is_some() && !reproducible;
        SolveOptions {
            threads: if race || reproducible { 1 } else { threads },
            race,
            ..self
        }
    }
}

/// How a solve ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum SolveStatus {
    /// Proven optimal within the gap.
    Optimal,
    /// Stopped by the time limit with a feasible portfolio.
    Feasible,
    /// No feasible portfolio exists (or none was found in the time limit, see `proven`).
    Infeasible,
}

impl SolveStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            SolveStatus::Optimal => "optimal",
            SolveStatus::Feasible => "feasible",
            SolveStatus::Infeasible => "infeasible",
        }
    }
}

/// The limit that stopped a solve before it proved its portfolio optimal.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Limit {
    /// `--time-limit`: the answer depends on the machine's speed and load.
    Time,
    /// `--node-limit`: the same input gives the same answer everywhere.
    Nodes,
}

impl Limit {
    pub fn as_str(self) -> &'static str {
        match self {
            Limit::Time => "time",
            Limit::Nodes => "nodes",
        }
    }
}

/// A checked solution.
#[derive(Debug, Clone, PartialEq)]
pub struct Solution {
    pub status: SolveStatus,
    /// The limit that stopped the solve short of a proof (`None`: it ran to its end).
    pub stopped_by: Option<Limit>,
    /// Start period per project (`None`: not selected). Empty-selected when infeasible.
    pub starts: Starts,
    /// Share per project at which it is funded: below 1 only for a selected project that
    /// may be funded in part (projects.csv `min_share`); 1 for every other. Costs, values
    /// and demands of the portfolio are those of [`Workbook::at_shares`] of these.
    pub shares: Vec<f64>,
    /// Objective of `starts`, recomputed by the checker (None when infeasible).
    pub objective: Option<f64>,
    /// Best bound HiGHS proved (None when infeasible).
    pub bound: Option<f64>,
    /// (bound − objective) / max(|objective|, 1e-9), 0 when both are 0 (None when infeasible).
    pub gap: Option<f64>,
    /// Wall-clock seconds of the solve (encode + HiGHS + check).
    pub seconds: f64,
    /// Of which: encoding the workbook and loading it into HiGHS (before the solver runs).
    pub encode_seconds: f64,
    /// Of which: the earliest-start tie-break (a second MILP).
    pub tie_break_seconds: f64,
    /// Of which: the team allocation (teams.csv).
    pub allocation_seconds: f64,
    /// When infeasible: what breaks, and by how much.
    pub diagnosis: Option<Diagnosis>,
    /// What the solve's LP relaxation says of each project (for a fast ranking), when it
    /// solved in time.
    pub lp: Option<LpEstimates>,
    /// With teams.csv: who works on what, checked (empty without teams.csv, or when
    /// [`SolveOptions::allocate`] is off).
    pub allocation: Vec<Assignment>,
    /// With teams.csv: the quality of the allocation, and of the proportional split of the
    /// same staffing (what the allocation rule improves on).
    pub allocation_quality: Option<(Quality, Quality)>,
}

/// The size of an encoded model.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ModelSize {
    /// Binary start variables.
    pub columns: usize,
    /// Constraint rows before HiGHS's presolve (a two-sided row counts once).
    pub rows: usize,
    /// Non-zero coefficients.
    pub nonzeros: usize,
}

/// Encode `workbook` and load it into HiGHS without solving: the work a solve does before the
/// solver starts. For benchmarks and for sizing a workbook.
pub fn encode(workbook: &Workbook, options: &SolveOptions) -> Result<ModelSize> {
    let encoded = baseline::encode(workbook, options);
    let spec = backend::RunSpec {
        objective: Some(&encoded.objective),
        maximise: true,
        extra_at_least: Vec::new(),
        keep: &backend::keep_all,
        time_limit: options.time_limit,
        rel_gap: options.gap,
        abs_gap: None,
        threads: options.threads,
        start: None,
        max_nodes: options.node_limit,
        fixed: None,
        quick: options.quick,
        race: None,
    };
    backend::build(&encoded, &spec)?;
    Ok(ModelSize {
        columns: encoded.columns.len(),
        rows: encoded.rows.len(),
        nonzeros: encoded.rows.iter().map(|r| r.terms.len()).sum(),
    })
}

/// A fingerprint of the MILP that `workbook` encodes to under `options`: its columns, their
/// objective, the set of its rows (each row's terms in column order and its two sides, bit
/// for bit) and its flows, hashed with FNV-1a. The order in which rows are written and a row
/// written twice do not change it, so it holds the model fixed while the encoder's code is
/// reorganised (the golden test over the generator's seeds). Not part of the stable API.
#[doc(hidden)]
pub fn model_fingerprint(workbook: &Workbook, options: &SolveOptions) -> String {
    let encoded = baseline::encode(workbook, options);
    let mut rows: Vec<String> = encoded
        .rows
        .iter()
        .map(|row| {
            let mut terms = row.terms.clone();
            terms.sort_by_key(|&(j, _)| j);
            let mut text = format!("{:x} {:x} |", row.lower.to_bits(), row.upper.to_bits());
            for (j, c) in terms {
                text.push_str(&format!(" {j}:{:x}", c.to_bits()));
            }
            text
        })
        .collect();
    rows.sort();
    rows.dedup();
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    let mut eat = |text: &str| {
        for byte in text.bytes().chain(std::iter::once(b'\n')) {
            hash ^= u64::from(byte);
            hash = hash.wrapping_mul(0x0100_0000_01b3);
        }
    };
    for (j, &(p, t)) in encoded.columns.iter().enumerate() {
        eat(&format!("{p} {t} {:x}", encoded.objective[j].to_bits()));
    }
    for flow in &encoded.flows {
        eat(&format!(
            "{} {} {} {:x}",
            flow.team,
            flow.skill,
            flow.period,
            flow.efficiency.to_bits()
        ));
    }
    for row in &rows {
        eat(row);
    }
    format!(
        "columns {} flows {} distinct rows {} hash {hash:016x}",
        encoded.columns.len(),
        encoded.flows.len(),
        rows.len()
    )
}

/// What the LP relaxation says each project is worth to the portfolio, for a ranking of
/// large workbooks where one re-solve per project would take too long.
#[derive(Debug, Clone, PartialEq)]
pub struct LpEstimates {
    /// The LP optimum (an upper bound of every portfolio's objective).
    pub objective: f64,
    /// Per project: the objective the LP loses, to first order, when the project is forced
    /// out (its columns' values times their reduced costs).
    pub drop: Vec<f64>,
    /// Per project: the objective the LP loses, to first order, when the project is forced in
    /// (the smallest reduced cost among its columns at 0; 0 when the LP already uses it).
    pub force: Vec<f64>,
}

/// The LP relaxation's reduced costs turned into per-project estimates (`None` when the LP
/// does not solve within the time limit, or the workbook is infeasible).
pub fn lp_estimates(workbook: &Workbook, options: &SolveOptions) -> Result<Option<LpEstimates>> {
    let encoded = baseline::encode(workbook, options);
    Ok(backend::lp_relaxation(&encoded, options.time_limit)
        .map(|lp| estimates(&encoded, &lp, workbook.projects.len())))
}

/// Per-project estimates from a solved relaxation (see [`LpEstimates`]).
fn estimates(encoded: &encode::Encoded, lp: &backend::Relaxation, n: usize) -> LpEstimates {
    let mut drop = vec![0.0; n];
    let mut force = vec![0.0; n];
    for (p, columns) in encoded.by_project.iter().enumerate() {
        drop[p] = columns.iter().map(|&j| lp.values[j] * lp.reduced[j]).sum();
        let used: f64 = columns.iter().map(|&j| lp.values[j]).sum();
        let cheapest = columns
            .iter()
            .map(|&j| lp.reduced[j])
            .fold(f64::INFINITY, f64::min);
        force[p] = if used > 1e-6 || !cheapest.is_finite() {
            0.0
        } else {
            cheapest
        };
    }
    LpEstimates {
        objective: lp.objective,
        drop,
        force,
    }
}

/// The contract's gap: (bound − objective) / max(|objective|, 1e-9), 0 when both are 0.
pub fn relative_gap(objective: f64, bound: f64) -> f64 {
    if objective == 0.0 && bound == 0.0 {
        return 0.0;
    }
    ((bound - objective) / objective.abs().max(1e-9)).max(0.0)
}

/// Solve a validated workbook: best portfolio, earliest starts among equals, checked.
///
/// An infeasible workbook is not an error: the solution has status `Infeasible` and a
/// diagnosis. A violated solution is an [`Error::Internal`], never an answer.
pub fn solve(workbook: &Workbook, options: &SolveOptions) -> Result<Solution> {
    let started = std::time::Instant::now();
    let found = match backend::solve_lexicographic(workbook, options)? {
        backend::Outcome::Found(found) => found,
        outcome => {
            let stopped_by = match outcome {
                backend::Outcome::NoSolution(limit) => Some(limit),
                _ => None,
            };
            let diagnosis = if matches!(outcome, backend::Outcome::Infeasible) {
                // The diagnosis shares the caller's time limit with the solve.
                let left = options
                    .time_limit
                    .map(|limit| (limit - started.elapsed().as_secs_f64()).max(0.5));
                diagnose(
                    workbook,
                    &SolveOptions {
                        time_limit: left,
                        ..options.clone()
                    },
                )
            } else {
                let message = match stopped_by {
                    Some(Limit::Nodes) => {
                        "no feasible portfolio was found within the node limit; raise --node-limit"
                    }
                    _ => {
                        "no feasible portfolio was found within the time limit; raise --time-limit"
                    }
                };
                Diagnosis {
                    findings: vec![Finding {
                        message: message.into(),
                        over_by: None,
                    }],
                    minimal: false,
                }
            };
            return Ok(Solution {
                status: SolveStatus::Infeasible,
                stopped_by,
                starts: vec![None; workbook.projects.len()],
                shares: vec![1.0; workbook.projects.len()],
                objective: None,
                bound: None,
                gap: None,
                seconds: started.elapsed().as_secs_f64(),
                encode_seconds: 0.0,
                tie_break_seconds: 0.0,
                allocation_seconds: 0.0,
                diagnosis: Some(diagnosis),
                lp: None,
                allocation: Vec::new(),
                allocation_quality: None,
            });
        }
    };
    checked(workbook, options, found, started)
}

/// `found` verified by the independent checker, its objective recomputed: the solution
/// every solve hands out.
fn checked(
    workbook: &Workbook,
    options: &SolveOptions,
    found: backend::Found,
    started: std::time::Instant,
) -> Result<Solution> {
    // A partly funded project counts at its share for every rule and for the objective.
    let scaled;
    let workbook = if found.shares.iter().all(|&s| s == 1.0) {
        workbook
    } else {
        scaled = workbook.at_shares(&found.shares);
        &scaled
    };
    let mut violations = check::check(workbook, &found.starts);
    violations.extend(check::check_shares(workbook, &found.starts, &found.shares));
    if !violations.is_empty() {
        let list: Vec<String> = violations.iter().map(|v| v.to_string()).collect();
        return Err(Error::Internal(format!(
            "the solver returned a portfolio that breaks {} rule(s): {}; please report this with the workbook",
            list.len(),
            list.join("; ")
        )));
    }
    let allocation_started = std::time::Instant::now();
    let allocation = if options.allocate && workbook.staffing.is_some() {
        let left = options
            .time_limit
            .map(|limit| (limit - started.elapsed().as_secs_f64()).max(1.0));
        let split = proportional_split(workbook, &found.starts, &found.flows);
        let allocation = allocate(workbook, &found.starts, Some(&split), left)?;
        let violations = check::check_allocation(workbook, &found.starts, &allocation);
        if !violations.is_empty() {
            let list: Vec<String> = violations.iter().map(|v| v.to_string()).collect();
            return Err(Error::Internal(format!(
                "the team allocation breaks {} rule(s): {}; please report this with the workbook",
                list.len(),
                list.join("; ")
            )));
        }
        Some((allocation, Quality::of(&split)))
    } else {
        None
    };
    let (allocation, allocation_quality) = match allocation {
        Some((allocation, split)) => {
            let quality = Quality::of(&allocation);
            (allocation, Some((quality, split)))
        }
        None => (Vec::new(), None),
    };
    let allocation_seconds = allocation_started.elapsed().as_secs_f64();
    let objective = penalised_objective(workbook, &found.starts, options);
    // A bound below the recomputed objective is HiGHS's tolerance speaking: clamp it. An
    // empty model (nothing can be chosen) reports no bound: then the objective is the bound.
    let bound = if found.bound.is_finite() {
        found.bound.max(objective)
    } else {
        objective
    };
    Ok(Solution {
        status: if found.proven {
            SolveStatus::Optimal
        } else {
            SolveStatus::Feasible
        },
        stopped_by: found.stopped_by,
        starts: found.starts,
        shares: found.shares,
        objective: Some(objective),
        bound: Some(bound),
        gap: Some(relative_gap(objective, bound)),
        seconds: started.elapsed().as_secs_f64(),
        encode_seconds: found.encode_seconds,
        tie_break_seconds: found.tie_break_seconds,
        allocation_seconds,
        diagnosis: None,
        lp: found.lp,
        allocation,
        allocation_quality,
    })
}
