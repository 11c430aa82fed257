//! Domain types of a workbook after it has been read and validated: projects, drivers, pools,
//! periods, budgets, capacities and balance targets. No I/O and no solver here.
//!
//! Everything is resolved to indices: a project's links name other projects by their index in
//! [`Workbook::projects`], demand names pools by their index in [`Workbook::pools`], periods are
//! 0-based indices into [`Workbook::periods`]. Readers build this; the solver, the checker and
//! the reports only read it.

use std::collections::BTreeMap;

/// A project's status, as the contract's `status` column gives it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Status {
    /// May be selected or not.
    Candidate,
    /// Must be selected, somewhere inside its window.
    Mandatory,
    /// Already running: selected, starts at period 0, its cost/duration/demand are what remains.
    InProgress,
    /// Never selected.
    Excluded,
}

impl Status {
    /// Parse a status value; case, spaces, `-` and `_` are ignored (`In Progress` = `in_progress`).
    pub fn parse(text: &str) -> Option<Status> {
        let norm: String = text
            .trim()
            .chars()
            .filter(|c| !matches!(c, ' ' | '-' | '_'))
            .flat_map(char::to_lowercase)
            .collect();
        match norm.as_str() {
            "" | "candidate" => Some(Status::Candidate),
            "mandatory" => Some(Status::Mandatory),
            "inprogress" => Some(Status::InProgress),
            "excluded" => Some(Status::Excluded),
            _ => None,
        }
    }

    /// The contract's spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Candidate => "candidate",
            Status::Mandatory => "mandatory",
            Status::InProgress => "in_progress",
            Status::Excluded => "excluded",
        }
    }

    /// Mandatory and in-progress projects must be selected.
    pub fn is_forced(self) -> bool {
        matches!(self, Status::Mandatory | Status::InProgress)
    }
}

/// One project, resolved.
#[derive(Debug, Clone, PartialEq)]
pub struct Project {
    pub id: String,
    pub name: String,
    /// Total cost as given in `cost` (for in-progress work: what remains).
    pub cost: f64,
    /// Length in periods (for in-progress work: what remains; may run past the horizon).
    pub duration: usize,
    pub value: f64,
    /// First allowed start period (index). In-progress: 0.
    pub earliest: usize,
    /// `latest_start` as written (index), before clipping to the horizon; `None` when the
    /// column is empty. Kept so that a scenario that changes the duration can clip again.
    pub latest_given: Option<usize>,
    /// Last allowed start period (index), already clipped so that the project finishes inside
    /// the horizon. In-progress: 0. For a valid candidate/mandatory project
    /// `earliest <= latest` and `latest + duration <= periods.len()`.
    pub latest: usize,
    pub status: Status,
    /// Index into [`Workbook::categories`].
    pub category: Option<usize>,
    /// Indices of projects this one requires (`requires` column), sorted, deduplicated.
    pub requires: Vec<usize>,
    /// Groups of `requires_any` (groups separated by `||`): for each group, at least one of
    /// its projects must be selected. Each group sorted, deduplicated, never empty.
    pub requires_any: Vec<Vec<usize>>,
    /// Indices of projects this one must start after (`after` column), sorted, deduplicated.
    /// Empty for in-progress projects (ignored with a warning).
    pub after: Vec<usize>,
    pub cost_low: f64,
    pub cost_high: f64,
    pub value_low: f64,
    pub value_high: f64,
    /// Score per driver, in the order of [`Workbook::drivers`] (empty when there are none).
    pub scores: Vec<f64>,
    /// Spend at each offset 0..duration (costs.csv profile, else cost spread evenly).
    /// Length = `duration`.
    pub cost_profile: Vec<f64>,
    /// Staff demand: one entry per pool this project needs, sorted by pool index.
    pub demand: Vec<Demand>,
    /// `min_share`: the least share (0 < s ≤ 1) at which the project may be funded; cost,
    /// profile, value, scores and demand scale with the share. `None`: whole or nothing.
    pub min_share: Option<f64>,
    /// The scenario whose `include` made this project mandatory, so that reasons and the
    /// diagnosis say "forced in by scenario X" rather than "mandatory".
    pub forced_by: Option<String>,
}

impl Project {
    /// A candidate built in code: cost spread evenly over `duration`, ranges equal to cost and
    /// value, no links, no demand, no scores, window `0..=latest`. Set other fields with
    /// struct update syntax (`Project { status: Status::Mandatory, ..Project::candidate(…) }`).
    pub fn candidate(id: &str, cost: f64, duration: usize, value: f64, latest: usize) -> Project {
        Project {
            id: id.to_string(),
            name: id.to_string(),
            cost,
            duration,
            value,
            earliest: 0,
            latest_given: None,
            latest,
            status: Status::Candidate,
            category: None,
            requires: Vec::new(),
            requires_any: Vec::new(),
            after: Vec::new(),
            cost_low: cost,
            cost_high: cost,
            value_low: value,
            value_high: value,
            scores: Vec::new(),
            cost_profile: vec![cost / duration.max(1) as f64; duration],
            demand: Vec::new(),
            min_share: None,
            forced_by: None,
        }
    }

    /// The allowed start periods.
    pub fn window(&self) -> std::ops::RangeInclusive<usize> {
        self.earliest..=self.latest
    }

    /// Whether the project may be funded in part (`min_share` below 1).
    pub fn is_partial(&self) -> bool {
        self.min_share.is_some_and(|s| s < 1.0)
    }

    /// The project funded at `share`: cost, profile, value, ranges, scores and demand
    /// scaled. A share of 1 gives the project unchanged.
    pub fn at_share(&self, share: f64) -> Project {
        if share == 1.0 {
            return self.clone();
        }
        let scale = |v: &[f64]| v.iter().map(|x| x * share).collect::<Vec<f64>>();
        Project {
            cost: self.cost * share,
            value: self.value * share,
            cost_low: self.cost_low * share,
            cost_high: self.cost_high * share,
            value_low: self.value_low * share,
            value_high: self.value_high * share,
            scores: scale(&self.scores),
            cost_profile: scale(&self.cost_profile),
            demand: self
                .demand
                .iter()
                .map(|d| Demand {
                    pool: d.pool,
                    fte: scale(&d.fte),
                })
                .collect(),
            ..self.clone()
        }
    }
}

/// Load of one project on one pool.
#[derive(Debug, Clone, PartialEq)]
pub struct Demand {
    /// Index into [`Workbook::pools`].
    pub pool: usize,
    /// FTE at each offset 0..duration of the project (a flat row repeats its fte).
    pub fte: Vec<f64>,
}

/// A strategic driver with its normalised weight.
#[derive(Debug, Clone, PartialEq)]
pub struct Driver {
    /// Name as written in drivers.csv / pairwise.csv (matched case-insensitively to the
    /// projects.csv column).
    pub name: String,
    /// Normalised weight (all weights sum to 1).
    pub weight: f64,
}

/// Where the driver weights came from.
#[derive(Debug, Clone, PartialEq, Default)]
pub enum WeightSource {
    /// No drivers: the objective is each project's `value`.
    #[default]
    None,
    /// drivers.csv weights, normalised; `total` is the sum of the weights as written, so that
    /// a weight in the file's own units is `weight × total`.
    Weights { total: f64 },
    /// pairwise.csv, AHP principal eigenvector.
    Pairwise {
        /// Saaty's consistency ratio (0 for n ≤ 2).
        consistency_ratio: f64,
        /// Principal eigenvalue λ_max.
        lambda_max: f64,
        /// The comparison furthest from what the weights imply.
        worst: Option<Inconsistency>,
    },
}

/// A pairwise comparison that disagrees with the AHP weights.
#[derive(Debug, Clone, PartialEq)]
pub struct Inconsistency {
    /// "a is `given` times as important as b", as pairwise.csv says (in this orientation).
    pub a: String,
    pub b: String,
    pub given: f64,
    /// What the weights say: weight(a) / weight(b).
    pub implied: f64,
}

impl std::fmt::Display for Inconsistency {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let ratio = |x: f64| {
            if x >= 1.0 {
                crate::human::number(x, 2)
            } else {
                format!("1/{}", crate::human::number(1.0 / x, 2))
            }
        };
        write!(
            f,
            "{} vs {}: pairwise.csv says {}, the weights imply {}",
            self.a,
            self.b,
            ratio(self.given),
            ratio(self.implied)
        )
    }
}

/// A balance target for one category.
#[derive(Debug, Clone, PartialEq)]
pub struct Balance {
    /// Index into [`Workbook::categories`].
    pub category: usize,
    pub min_share: f64,
    pub max_share: f64,
}

/// A count limit (limits.csv): how many projects of a category (or of all) are selected,
/// or, with a period, start in that period.
#[derive(Debug, Clone, PartialEq)]
pub struct Limit {
    /// Index into [`Workbook::categories`]; `None` = all projects.
    pub category: Option<usize>,
    /// `None`: the selected projects; `Some(t)`: the projects that start in period `t`.
    pub period: Option<usize>,
    pub min: Option<usize>,
    pub max: Option<usize>,
    /// Line of limits.csv, for messages.
    pub line: usize,
}

/// A read and validated workbook.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Workbook {
    /// Period labels, in horizon order.
    pub periods: Vec<String>,
    pub projects: Vec<Project>,
    pub drivers: Vec<Driver>,
    pub weight_source: WeightSource,
    /// Pool names, in order of first appearance in capacity.csv.
    pub pools: Vec<String>,
    /// `capacity[pool][period]` in FTE (0 where a pool has no row for a period).
    pub capacity: Vec<Vec<f64>>,
    /// Total budget cap per period; `None` = no total cap in that period.
    pub budget_total: Vec<Option<f64>>,
    /// Category names: every category that a project, budget.csv or balance.csv names,
    /// sorted.
    pub categories: Vec<String>,
    /// Per-category budget caps: category index → cap per period (`None` = no cap).
    pub budget_category: BTreeMap<usize, Vec<Option<f64>>>,
    /// budget.csv `carry`: whether what the total budget leaves unspent in a period is added
    /// to the next period's total budget (one entry per period; empty = never).
    pub carry_total: Vec<bool>,
    /// The same per category (category index → one entry per period).
    pub carry_category: BTreeMap<usize, Vec<bool>>,
    /// limits.csv, in file order.
    pub limits: Vec<Limit>,
    pub balance: Vec<Balance>,
    /// Pairs of projects that exclude each other, each pair once whichever side wrote it
    /// (or both): `(writer, other)`, as projects.csv first wrote it, in file order. The
    /// relation is symmetric; the orientation is kept only so that rows and messages follow
    /// the file.
    pub exclusions: Vec<(usize, usize)>,
    /// teams.csv: teams that serve several skills. With it, [`Workbook::pools`] are the
    /// skills that demand.csv names and their `capacity` is unlimited (∞): staff comes from
    /// the teams. Without it (`None`) a pool is at once team and skill.
    pub staffing: Option<Staffing>,
}

/// One team's FTE on one project's skill in one period (the allocation of a staffed
/// portfolio).
#[derive(Debug, Clone, PartialEq)]
pub struct Assignment {
    pub period: usize,
    /// Index into [`Staffing::teams`].
    pub team: usize,
    /// Index into [`Workbook::pools`] (the skills, with teams.csv).
    pub skill: usize,
    pub project: usize,
    /// FTE of the team (it covers `fte × efficiency` of the skill's demand).
    pub fte: f64,
}

/// Teams, their capacity and the skills they serve (teams.csv with capacity.csv).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Staffing {
    /// Team names, in capacity.csv's order of first appearance.
    pub teams: Vec<String>,
    /// `capacity[team][period]` in FTE.
    pub capacity: Vec<Vec<f64>>,
    /// Which team serves which skill (an index into [`Workbook::pools`]), sorted by (team,
    /// skill), one entry per pair.
    pub serves: Vec<Serve>,
}

/// One team serving one skill: one FTE of the team covers `efficiency` FTE of the skill.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Serve {
    pub team: usize,
    pub skill: usize,
    /// In (0, 1].
    pub efficiency: f64,
}

impl Staffing {
    /// Index of a team by name.
    pub fn team_index(&self, name: &str) -> Option<usize> {
        self.teams.iter().position(|t| t == name)
    }
}

/// Which number the objective counts for each project.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Objective {
    /// Σ weight × driver score when drivers are given, else `value`.
    #[default]
    Score,
    /// `value`, whatever the drivers.
    Value,
}

impl Workbook {
    /// Number of periods in the horizon.
    pub fn horizon(&self) -> usize {
        self.periods.len()
    }

    /// The score the objective counts for project `p`.
    pub fn score(&self, p: usize, objective: Objective) -> f64 {
        let project = &self.projects[p];
        if objective == Objective::Value || self.drivers.is_empty() {
            project.value
        } else {
            self.drivers
                .iter()
                .zip(&project.scores)
                .map(|(d, s)| d.weight * s)
                .sum()
        }
    }

    /// Index of a project by id.
    pub fn project_index(&self, id: &str) -> Option<usize> {
        self.projects.iter().position(|p| p.id == id)
    }

    /// Index of a pool by name.
    pub fn pool_index(&self, name: &str) -> Option<usize> {
        self.pools.iter().position(|p| p == name)
    }

    /// Name of what capacity.csv's row `k` gives FTE to: a team with teams.csv, else a pool.
    pub fn holder_name(&self, k: usize) -> &str {
        match &self.staffing {
            Some(staffing) => &staffing.teams[k],
            None => &self.pools[k],
        }
    }

    /// Index of a period by label.
    pub fn period_index(&self, label: &str) -> Option<usize> {
        self.periods.iter().position(|p| p == label)
    }

    /// Whether projects `a` and `b` exclude each other.
    pub fn excludes(&self, a: usize, b: usize) -> bool {
        self.exclusions
            .iter()
            .any(|&(x, y)| (x, y) == (a, b) || (x, y) == (b, a))
    }

    /// Set [`Workbook::exclusions`] from `(writer, other)` pairs in the order written: each
    /// unordered pair kept once, where first written; a project excluding itself dropped.
    pub fn set_exclusions(&mut self, pairs: impl IntoIterator<Item = (usize, usize)>) {
        let mut seen = std::collections::BTreeSet::new();
        self.exclusions = pairs
            .into_iter()
            .filter(|&(a, b)| a != b && seen.insert((a.min(b), a.max(b))))
            .collect();
    }

    /// The workbook with each project funded at its share (`shares[p]`, 1 when missing):
    /// what the checker and the reports count for a portfolio with partial funding.
    pub fn at_shares(&self, shares: &[f64]) -> Workbook {
        if shares.iter().all(|&s| s == 1.0) {
            return self.clone();
        }
        let mut out = self.clone();
        for (p, project) in out.projects.iter_mut().enumerate() {
            let share = shares.get(p).copied().unwrap_or(1.0);
            if share != 1.0 {
                *project = project.at_share(share);
            }
        }
        out
    }

    /// The category name of project `p`, if any.
    pub fn category_name(&self, p: usize) -> Option<&str> {
        self.projects[p]
            .category
            .map(|c| self.categories[c].as_str())
    }
}

/// A portfolio: for each project, `Some(start period index)` when selected, `None` when out.
/// Indexed like [`Workbook::projects`].
pub type Starts = Vec<Option<usize>>;

/// One what-if scenario of scenarios.csv: its changes, applied in file order to the base
/// workbook (see [`crate::scenario::apply`]).
#[derive(Debug, Clone, PartialEq)]
pub struct Scenario {
    /// The name as written in the `scenario` column.
    pub name: String,
    /// Line of scenarios.csv where the scenario first appears.
    pub line: usize,
    pub changes: Vec<Change>,
}

/// One row of scenarios.csv, resolved against the base workbook.
#[derive(Debug, Clone, PartialEq)]
pub struct Change {
    /// Line in scenarios.csv, for messages.
    pub line: usize,
    pub kind: ChangeKind,
}

/// How a number changes: replaced, multiplied or increased.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Arith {
    Set,
    Scale,
    Add,
}

impl Arith {
    /// `old` changed by `value`.
    pub fn apply(self, old: f64, value: f64) -> f64 {
        match self {
            Arith::Set => value,
            Arith::Scale => old * value,
            Arith::Add => old + value,
        }
    }

    /// The contract's spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            Arith::Set => "set",
            Arith::Scale => "scale",
            Arith::Add => "add",
        }
    }
}

/// What a change does. Periods are an inclusive range of indices (`*` is every period);
/// `None` as a pool means every pool.
#[derive(Debug, Clone, PartialEq)]
pub enum ChangeKind {
    /// A budget cap: the total (`category` `None`) or a category's, in periods `from..=to`.
    Budget {
        category: Option<usize>,
        from: usize,
        to: usize,
        op: Arith,
        value: f64,
    },
    /// Capacity of one pool or all, in periods `from..=to` (with teams.csv: of a team).
    Capacity {
        pool: Option<usize>,
        from: usize,
        to: usize,
        op: Arith,
        value: f64,
    },
    /// A driver's weight, in the units of drivers.csv (`set` or `scale`; never `add`); the
    /// weights are normalised again afterwards.
    Weight {
        driver: usize,
        op: Arith,
        value: f64,
    },
    /// One project.
    Project { project: usize, op: ProjectOp },
    /// People move: `fte` FTE leave team `from` for team `to` in every period from `period`
    /// on (teams of [`Workbook::staffing`]).
    Move {
        from: usize,
        to: usize,
        period: usize,
        fte: f64,
    },
}

/// A change to one project.
#[derive(Debug, Clone, PartialEq)]
pub enum ProjectOp {
    /// Must be selected (made mandatory; an in-progress project stays as it is).
    Include,
    /// Never selected.
    Exclude,
    SetCost(f64),
    SetValue(f64),
    SetDuration(usize),
    /// Period index.
    EarliestStart(usize),
    /// Period index (clipped to the horizon as projects.csv's `latest_start` is).
    LatestStart(usize),
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exclusions_are_kept_once_where_first_written() {
        let mut wb = Workbook::default();
        // P-4 excludes P-3 and P-1; P-3 excludes P-4 back; P-2 excludes itself.
        wb.set_exclusions([(3, 2), (3, 0), (2, 3), (1, 1)]);
        assert_eq!(wb.exclusions, [(3, 2), (3, 0)]);
        assert!(wb.excludes(2, 3) && wb.excludes(3, 2) && wb.excludes(0, 3));
        assert!(!wb.excludes(1, 1) && !wb.excludes(0, 2));
    }
}
