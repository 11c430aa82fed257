//! The model's rules (contract section 2), one file each. A rule owns everything arbiter
//! knows about it: the MILP rows it adds, the independent check of a portfolio against it,
//! its words for the infeasibility diagnosis and for the reasons of portfolio.csv, and its
//! unit tests. [`RULES`] lists them once, in the order the model writes its rows and the
//! checker lists what a portfolio breaks.
//!
//! The two halves of a rule are kept apart on purpose: its `encode` writes rows over the
//! encoder's columns, its `check` reads only the workbook and the chosen starts — never the
//! rows — so that a mistake in one cannot hide in the other. Each rule's tests hold both
//! against each other on every portfolio of small workbooks ([`agreement`]), and the
//! brute-force property test cross-checks the whole model.
//!
//! To add a rule: write `rules/<name>.rs` with its `RULE` (encode, check), its `describe`,
//! and the reasons and diagnosis it can give; add its [`Tag`] variants and its entry in
//! [`RULES`]; resolve its columns in `resolve/`; document it (docs/workbook.md,
//! docs/architecture.md).

pub mod after;
pub mod balance;
pub mod budget;
pub mod capacity;
pub mod excludes;
pub mod limits;
pub mod requires;
pub mod requires_any;
pub mod share;
pub mod status;
pub mod teams;
pub(crate) mod usage;
pub mod window;
pub(crate) mod words;

#[cfg(test)]
mod agreement;

use std::fmt;

use crate::human::money;
use crate::model::{Starts, Workbook};

/// Which rule a MILP row, a violation or a diagnosis finding belongs to, with the instance
/// (period, pool, project …) it is about. The diagnosis switches rows off by tag and names
/// the tags that conflict.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Tag {
    /// Total budget of a period ([`budget`]).
    Budget { period: usize },
    /// Budget of a category in a period ([`budget`]).
    CategoryBudget { category: usize, period: usize },
    /// Capacity of a pool in a period ([`capacity`]).
    Capacity { pool: usize, period: usize },
    /// With teams.csv: a skill's demand in a period is covered by the teams serving it
    /// ([`teams`]).
    Skill { skill: usize, period: usize },
    /// With teams.csv: a team's capacity in a period ([`teams`]).
    Team { team: usize, period: usize },
    /// With teams.csv: a project's skill demand in a period, covered exactly by its
    /// allocation ([`teams`]; checked, never a row).
    Coverage {
        project: usize,
        skill: usize,
        period: usize,
    },
    /// With teams.csv: a team allocated to a skill it does not serve or to a project that
    /// does not need it then ([`teams`]; checked, never a row).
    Allocation,
    /// A mandatory or in-progress project must be selected ([`status`]).
    Forced { project: usize },
    /// An excluded project is never selected ([`status`]; checked, never a row: it has no
    /// columns).
    Excluded { project: usize },
    /// A project starts at most once ([`status`]; structural, never switched off).
    Once { project: usize },
    /// A project starts inside its window and finishes inside the horizon ([`window`];
    /// checked, never a row: the window decides which columns exist).
    Window { project: usize },
    /// The portfolio names a project the workbook does not have (checked, never a row).
    Unknown { project: usize },
    /// `project` requires `other` ([`requires`]).
    Requires { project: usize, other: usize },
    /// `project` requires one project of its `group`-th `requires_any` group
    /// ([`requires_any`]).
    RequiresAny { project: usize, group: usize },
    /// `project` and `other` (`project < other`) exclude each other ([`excludes`]).
    Excludes { project: usize, other: usize },
    /// `project` starts after `other` finishes ([`after`]).
    After { project: usize, other: usize },
    /// Minimum share of a category ([`balance`]).
    BalanceMin { category: usize },
    /// Maximum share of a category ([`balance`]).
    BalanceMax { category: usize },
    /// A count limit of limits.csv, by its index in [`Workbook::limits`] ([`limits`]).
    Limit { limit: usize },
    /// A partly funded project's share stays between its `min_share` and 1 in the column
    /// chosen, and is 0 in the others ([`share`]; structural, never switched off).
    Share { project: usize },
}

impl Tag {
    /// The rule in words, for the diagnosis: "budget of 2027-Q1: 100", "A requires B".
    pub fn describe(&self, workbook: &Workbook) -> String {
        match self {
            Tag::Budget { .. } | Tag::CategoryBudget { .. } => budget::describe(workbook, self),
            Tag::Capacity { .. } => capacity::describe(workbook, self),
            Tag::Skill { .. } | Tag::Team { .. } | Tag::Coverage { .. } | Tag::Allocation => {
                teams::describe(workbook, self)
            }
            Tag::Forced { .. } | Tag::Excluded { .. } | Tag::Once { .. } => {
                status::describe(workbook, self)
            }
            Tag::Window { .. } | Tag::Unknown { .. } => window::describe(workbook, self),
            Tag::Requires { .. } => requires::describe(workbook, self),
            Tag::RequiresAny { .. } => requires_any::describe(workbook, self),
            Tag::Excludes { .. } => excludes::describe(workbook, self),
            Tag::After { .. } => after::describe(workbook, self),
            Tag::BalanceMin { .. } | Tag::BalanceMax { .. } => balance::describe(workbook, self),
            Tag::Limit { .. } => limits::describe(workbook, self),
            Tag::Share { .. } => share::describe(workbook, self),
        }
    }

    /// Rows that hold the model together rather than state a rule of the workbook: never
    /// switched off by the diagnosis.
    pub fn is_structural(&self) -> bool {
        matches!(self, Tag::Once { .. } | Tag::Share { .. })
    }
}

/// One linear row `lower ≤ Σ coef·x ≤ upper` over the encoder's variables: column `j` is the
/// binary "project p starts in period t"; after the columns come the shares of partly funded
/// projects ([`share`]), then the teams' flows.
#[derive(Debug, Clone)]
pub(crate) struct Row {
    pub tag: Tag,
    pub terms: Vec<(usize, f64)>,
    pub lower: f64,
    pub upper: f64,
}

/// With teams.csv: a team's FTE on a skill in a period (a continuous variable ≥ 0).
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Flow {
    pub team: usize,
    pub skill: usize,
    pub period: usize,
    pub efficiency: f64,
}

pub(crate) const INF: f64 = f64::INFINITY;

/// What a rule's `encode` writes into: the workbook and the columns (decided by
/// [`window`]), and the rows and flows written so far.
pub(crate) struct Encoding<'a> {
    pub workbook: &'a Workbook,
    /// Column j = project `columns[j].0` starting at period `columns[j].1`.
    pub columns: &'a [(usize, usize)],
    /// Columns of each project, in start order (empty when it can never be selected).
    pub by_project: &'a [Vec<usize>],
    /// Share variable `columns.len() + i` is `shares[i]` (partly funded projects only).
    pub shares: &'a [share::ShareVar],
    /// The variable that carries column j's amounts (cost, demand, value): its share
    /// variable for a partly funded project, else j itself.
    pub amount: Vec<usize>,
    pub rows: Vec<Row>,
    /// Flow variable `columns.len() + shares.len() + i` is `flows[i]`.
    pub flows: Vec<Flow>,
}

impl Encoding<'_> {
    /// The terms "project p is selected": each of its columns with coefficient `coef`.
    pub fn selected(&self, p: usize, coef: f64) -> impl Iterator<Item = (usize, f64)> + '_ {
        self.by_project[p].iter().map(move |&j| (j, coef))
    }

    /// The variable that carries column `j`'s amounts (see [`Encoding::amount`]).
    pub fn amount_of(&self, j: usize) -> usize {
        self.amount.get(j).copied().unwrap_or(j)
    }

    /// The index of the first flow variable.
    pub fn first_flow(&self) -> usize {
        self.columns.len() + self.shares.len()
    }

    /// Push `Σ terms ≤ cap` unless it can never bind (its whole load fits the cap).
    pub fn push_capped(&mut self, tag: Tag, terms: Vec<(usize, f64)>, cap: f64) {
        let most: f64 = terms.iter().map(|&(_, c)| c.max(0.0)).sum();
        if most <= cap {
            return;
        }
        self.rows.push(Row {
            tag,
            terms,
            lower: -INF,
            upper: cap,
        });
    }
}

/// How a rule writes its rows.
#[derive(Clone, Copy)]
pub(crate) enum Encode {
    /// All at once, over the whole workbook.
    Whole(fn(&mut Encoding)),
    /// Project by project (the links). Rules of this kind that stand next to each other in
    /// [`RULES`] are written interleaved, all of one project's rows before the next
    /// project's: the order in which HiGHS meets rows decides which of several equally good
    /// portfolios it returns, and arbiter keeps that order fixed across releases.
    Project(fn(&mut Encoding, usize)),
}

/// One rule of the model, as the encoder and the checker see it.
pub(crate) struct Rule {
    /// The rows it adds to the model.
    pub encode: Encode,
    /// What a portfolio breaks of it, from the workbook and the starts alone.
    pub check: fn(&Workbook, &Starts, &mut Vec<Violation>),
}

/// Every rule, once: the order in which the model writes its rows and the checker lists
/// violations.
pub(crate) const RULES: [Rule; 12] = [
    window::RULE,
    status::RULE,
    share::RULE,
    budget::RULE,
    capacity::RULE,
    teams::RULE,
    requires::RULE,
    requires_any::RULE,
    excludes::RULE,
    after::RULE,
    balance::RULE,
    limits::RULE,
];

/// Every rule's rows over `columns` and the `shares` of partly funded projects, in
/// [`RULES`] order, and the teams' flows.
pub(crate) fn encode(
    workbook: &Workbook,
    columns: &[(usize, usize)],
    by_project: &[Vec<usize>],
    shares: &[share::ShareVar],
) -> (Vec<Row>, Vec<Flow>) {
    let mut amount: Vec<usize> = (0..columns.len()).collect();
    for (i, s) in shares.iter().enumerate() {
        amount[s.column] = columns.len() + i;
    }
    let mut encoding = Encoding {
        workbook,
        columns,
        by_project,
        shares,
        amount,
        rows: Vec::new(),
        flows: Vec::new(),
    };
    let mut k = 0;
    while k < RULES.len() {
        match RULES[k].encode {
            Encode::Whole(write) => {
                write(&mut encoding);
                k += 1;
            }
            Encode::Project(_) => {
                let run: Vec<fn(&mut Encoding, usize)> = RULES[k..]
                    .iter()
                    .map_while(|rule| match rule.encode {
                        Encode::Project(write) => Some(write),
                        Encode::Whole(_) => None,
                    })
                    .collect();
                for p in 0..workbook.projects.len() {
                    for write in &run {
                        write(&mut encoding, p);
                    }
                }
                k += run.len();
            }
        }
    }
    (encoding.rows, encoding.flows)
}

/// One broken rule.
#[derive(Debug, Clone, PartialEq)]
pub struct Violation {
    /// Which rule, and where.
    pub tag: Tag,
    /// By how much a numeric limit is exceeded (money, FTE or money of the category share);
    /// `None` for a logical rule.
    pub excess: Option<f64>,
    /// Lowercase, concrete description naming ids, periods, pools and amounts.
    pub message: String,
}

impl Violation {
    pub(crate) fn rule(tag: Tag, message: String) -> Violation {
        Violation {
            tag,
            excess: None,
            message,
        }
    }

    pub(crate) fn amount(tag: Tag, excess: f64, message: String) -> Violation {
        Violation {
            tag,
            excess: Some(excess),
            message,
        }
    }
}

impl fmt::Display for Violation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

/// Every rule of the model that `starts` breaks, rule by rule in [`RULES`] order (a
/// portfolio naming projects the workbook does not have first). An empty list means the
/// portfolio is feasible.
pub fn check(workbook: &Workbook, starts: &Starts) -> Vec<Violation> {
    let mut found = Vec::new();
    window::check_unknown(workbook, starts, &mut found);
    for rule in &RULES {
        (rule.check)(workbook, starts, &mut found);
    }
    found
}

/// Relative tolerance of every limit (contract section 2).
pub(crate) const TOLERANCE: f64 = 1e-6;

/// Whether `value` exceeds the upper `limit` by more than the tolerance.
pub(crate) fn exceeds(value: f64, limit: f64) -> bool {
    value - limit > TOLERANCE * limit.abs().max(1.0)
}

/// Whether `value` falls short of the lower `limit` by more than the tolerance.
pub(crate) fn falls_short(value: f64, limit: f64) -> bool {
    limit - value > TOLERANCE * limit.abs().max(1.0)
}

/// The selected projects with their starts: `(project index, start)`, only for projects the
/// workbook has.
pub(crate) fn selected<'a>(
    workbook: &'a Workbook,
    starts: &'a Starts,
) -> impl Iterator<Item = (usize, usize)> + 'a {
    starts
        .iter()
        .take(workbook.projects.len())
        .enumerate()
        .filter_map(|(p, s)| s.map(|s| (p, s)))
}

/// Start of project `p`, `None` when out (or when the portfolio has no entry for it).
pub(crate) fn start_of(starts: &Starts, p: usize) -> Option<usize> {
    starts.get(p).copied().flatten()
}

/// Add `profile[τ − start]` into `into[τ]` for every offset of the project's duration that
/// falls inside the horizon (`into.len()`).
pub(crate) fn spread(into: &mut [f64], start: usize, duration: usize, profile: &[f64]) {
    for (offset, amount) in profile.iter().take(duration).enumerate() {
        let Some(t) = start.checked_add(offset) else {
            break;
        };
        match into.get_mut(t) {
            Some(slot) => *slot += amount,
            None => break,
        }
    }
}

/// Spend of the portfolio per period, in total and per category (`[category][period]`),
/// as the checker counts it.
pub(crate) fn spend(workbook: &Workbook, starts: &Starts) -> (Vec<f64>, Vec<Vec<f64>>) {
    spend_of(workbook, starts, |amount| amount)
}

/// [`spend`] with each amount of the profiles taken through `count` first (balance shares
/// count outflows only: `|x| x.max(0.0)`).
pub(crate) fn spend_of(
    workbook: &Workbook,
    starts: &Starts,
    count: impl Fn(f64) -> f64,
) -> (Vec<f64>, Vec<Vec<f64>>) {
    let horizon = workbook.horizon();
    let mut total = vec![0.0; horizon];
    let mut by_category = vec![vec![0.0; horizon]; workbook.categories.len()];
    for (p, s) in selected(workbook, starts) {
        let project = &workbook.projects[p];
        let profile: Vec<f64> = project.cost_profile.iter().map(|&x| count(x)).collect();
        spread(&mut total, s, project.duration, &profile);
        if let Some(row) = project.category.and_then(|c| by_category.get_mut(c)) {
            spread(row, s, project.duration, &profile);
        }
    }
    (total, by_category)
}

/// One rule that adding a project to a portfolio would break (the reasons of
/// portfolio.csv).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Blocker {
    pub message: String,
    /// False for balance shares, which hold or not whatever the start.
    pub depends_on_start: bool,
    /// Part of what the project needs that is not available, 0…1 (1 for a balance share).
    pub shortfall: f64,
}

impl Blocker {
    /// A project's `need` of a per-period limit `cap` of which the portfolio uses `used`: a
    /// blocker when the two together exceed it (the contract's tolerance), in the words
    /// `say(free)`, where `free` is what is left of the limit.
    pub(crate) fn over_limit(
        need: f64,
        used: f64,
        cap: f64,
        say: impl FnOnce(f64) -> String,
    ) -> Option<Blocker> {
        usage::exceeds(used + need, cap).then(|| Blocker {
            message: say((cap - used).max(0.0)),
            depends_on_start: true,
            shortfall: missing_part(need, cap - used),
        })
    }
}

/// Part of `need` that `free` does not cover, 0…1.
pub(crate) fn missing_part(need: f64, free: f64) -> f64 {
    if need > 0.0 {
        ((need - free.max(0.0)) / need).clamp(0.0, 1.0)
    } else {
        0.0
    }
}

/// A finding of the direct diagnosis: a limit that mandatory and in-progress work alone
/// overrun, or a rule that forced work breaks by itself.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Overrun {
    pub message: String,
    /// How much the limit is overrun, in its unit, where that is known.
    pub over_by: Option<f64>,
}

impl Overrun {
    /// Forced work's `need` against `cap` (money or FTE): an overrun, in the words
    /// `say(need, cap, over)` with the amounts written for people, when it exceeds the cap
    /// beyond the contract's tolerance.
    pub(crate) fn of(
        need: f64,
        cap: f64,
        say: impl FnOnce(String, String, String) -> String,
    ) -> Option<Overrun> {
        let over = need > cap + 1e-6 * cap.abs().max(1.0);
        over.then(|| Overrun {
            message: say(money(need), money(cap), money(need - cap)),
            over_by: Some(need - cap),
        })
    }
}

/// The least load a forced project puts on `period` over all its allowed starts, given its
/// per-offset `profile` (money or FTE).
pub(crate) fn least_load(workbook: &Workbook, p: usize, profile: &[f64], period: usize) -> f64 {
    window::allowed_starts(&workbook.projects[p])
        .map(|t| {
            period
                .checked_sub(t)
                .and_then(|o| profile.get(o))
                .copied()
                .unwrap_or(0.0)
        })
        .fold(f64::INFINITY, f64::min)
}

#[cfg(test)]
pub(crate) mod testkit {
    //! Small workbooks for the rules' tests.
    use std::collections::BTreeMap;

    use crate::model::{Project, WeightSource, Workbook};

    /// A candidate of `duration` periods spending `profile`, value 10, window from the first
    /// period to the last start that fits four periods.
    pub fn project(id: &str, duration: usize, profile: &[f64]) -> Project {
        assert_eq!(profile.len(), duration);
        let cost = profile.iter().sum();
        Project {
            cost_profile: profile.to_vec(),
            ..Project::candidate(id, cost, duration, 10.0, 4usize.saturating_sub(duration))
        }
    }

    /// Four quarters, three one-period projects P-1..P-3 costing 10 each, no limits.
    pub fn workbook() -> Workbook {
        Workbook {
            periods: ["2027-Q1", "2027-Q2", "2027-Q3", "2027-Q4"]
                .iter()
                .map(|s| s.to_string())
                .collect(),
            projects: vec![
                project("P-1", 1, &[10.0]),
                project("P-2", 1, &[10.0]),
                project("P-3", 1, &[10.0]),
            ],
            drivers: vec![],
            weight_source: WeightSource::None,
            pools: vec![],
            capacity: vec![],
            budget_total: vec![None; 4],
            categories: vec![],
            budget_category: BTreeMap::new(),
            carry_total: vec![],
            carry_category: BTreeMap::new(),
            limits: vec![],
            balance: vec![],
            staffing: None,
            exclusions: vec![],
        }
    }

    /// The messages of every violation of `starts`.
    pub fn messages(workbook: &Workbook, starts: &crate::model::Starts) -> Vec<String> {
        super::check(workbook, starts)
            .iter()
            .map(|v| v.to_string())
            .collect()
    }

    /// The tags of every violation of `starts`.
    pub fn tags(workbook: &Workbook, starts: &crate::model::Starts) -> Vec<super::Tag> {
        super::check(workbook, starts)
            .iter()
            .map(|v| v.tag)
            .collect()
    }
}
