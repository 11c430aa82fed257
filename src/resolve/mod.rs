//! Resolving a workbook across files: the checks that need more than one file (the horizon,
//! period labels, project ids, pools, windows, `after` cycles, driver columns, categories,
//! costs, demand, teams, balance, scenarios) and the building of the resolved [`Workbook`].
//!
//! Each file is first checked on its own by [`crate::io`]; this module gets those raw
//! records and reports every cross-file problem, never stopping at the first. One file per
//! thing resolved; this one holds the order in which they run and what they share (the
//! horizon, the list of names a fix offers, the offset check of costs and demand).
//! [`crate::load`] composes reading and resolving.

mod balance;
mod budget;
mod capacity;
mod costs;
mod degenerate;
mod demand;
mod drivers;
mod limits;
mod projects;
mod reach;
mod scenarios;
mod teams;
#[cfg(test)]
pub(crate) mod testing;
mod windows;

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use crate::diag::{codes, Diagnostic, Diags, Loc};
use crate::error::{Error, Result};
use crate::io::tables::projects::RawProject;
use crate::io::{Part, Raw, RawWorkbook};
use crate::model::{Project, Scenario, Workbook};

/// A workbook read without errors, and the warnings found on the way.
#[derive(Debug, Clone)]
pub struct Loaded {
    pub workbook: Workbook,
    /// The scenarios of scenarios.csv (empty without it), resolved and checked.
    pub scenarios: Vec<Scenario>,
    pub warnings: Vec<Diagnostic>,
}

impl Loaded {
    /// What reading `dir` gave: the workbook and its warnings when it was `built` and `diags`
    /// holds no error; otherwise [`crate::Error::Invalid`] with every problem found (errors
    /// first, then warnings).
    pub(crate) fn outcome(
        dir: &Path,
        built: Option<(Workbook, Vec<Scenario>)>,
        diags: Diags,
    ) -> Result<Loaded> {
        let failed = diags.has_errors();
        let list = diags.into_sorted();
        match built {
            Some((workbook, scenarios)) if !failed => Ok(Loaded {
                workbook,
                scenarios,
                warnings: list,
            }),
            // `load` only returns no workbook after recording an error; the fallback keeps the
            // promise of `Invalid` never being empty.
            _ if list.is_empty() => Err(Error::Internal(format!(
                "the workbook {} could not be read, but no problem was recorded",
                dir.display()
            ))),
            _ => Err(Error::Invalid(list)),
        }
    }
}

/// The workbook and its scenarios, resolved from what [`crate::io::read`] read; `None`
/// when the workbook cannot be built (they may still come with errors in `diags`: check
/// them).
pub(crate) fn workbook(raw: Raw, diags: &mut Diags) -> Option<(Workbook, Vec<Scenario>)> {
    let workbook = resolve(&raw.shown, raw.workbook, diags)?;
    let scenarios = match raw.scenarios.read() {
        Some(scenarios) => {
            // Applying scenarios to a workbook with errors would only repeat them.
            let check = !diags.has_errors();
            scenarios::resolve(scenarios, &workbook, check, diags)
        }
        None => Vec::new(),
    };
    Some((workbook, scenarios))
}

/// The planning horizon, when it could be established.
struct Horizon {
    periods: Vec<String>,
    /// False when budget.csv or capacity.csv is broken or missing: period checks are skipped
    /// (their problem is already reported) instead of flagging every label.
    known: bool,
}

impl Horizon {
    fn index(&self, label: &str) -> Option<usize> {
        self.periods.iter().position(|p| p == label)
    }

    fn len(&self) -> usize {
        self.periods.len()
    }

    fn list(&self) -> String {
        list(&self.periods)
    }
}

fn list(items: &[String]) -> String {
    const MAX: usize = 12;
    let mut out: Vec<String> = items.iter().take(MAX).map(|p| format!("'{p}'")).collect();
    if items.len() > MAX {
        out.push(format!("… ({} in all)", items.len()));
    }
    out.join(", ")
}

/// Resolve the raw files into a [`Workbook`], reporting every cross-file problem. Returns
/// `None` when the workbook cannot be built; a returned workbook is only valid when `diags`
/// holds no error.
fn resolve(shown: &str, raw: RawWorkbook, diags: &mut Diags) -> Option<Workbook> {
    let horizon = horizon(shown, &raw, diags);
    let mut wb = Workbook {
        periods: horizon.periods.clone(),
        ..Workbook::default()
    };
    capacity::resolve(&raw, &horizon, &mut wb, diags);
    teams::resolve(&raw, &mut wb, diags);
    budget::resolve(&raw, &horizon, &mut wb, diags);
    drivers::resolve(&raw, &mut wb, diags);
    resolve_categories(&raw, &mut wb);
    let raw_projects: &[RawProject] = raw.projects.read().map_or(&[], |p| &p.rows);
    let headers = raw
        .projects
        .read()
        .map(|p| p.headers.clone())
        .unwrap_or_default();
    let ids: BTreeMap<&str, usize> = raw_projects
        .iter()
        .enumerate()
        .map(|(i, p)| (p.id.as_str(), i))
        .collect();
    let mut exclusions = Vec::new();
    for p in raw_projects {
        let (project, excludes) = projects::resolve(p, &headers, &ids, &horizon, &wb, diags);
        let index = wb.projects.len();
        exclusions.extend(excludes.into_iter().map(|q| (index, q)));
        wb.projects.push(project);
    }
    wb.set_exclusions(exclusions);
    projects::check_after_cycles(raw_projects, &headers, &wb, diags);
    let projects_known = raw.projects.read().is_some();
    costs::resolve(&raw, &ids, projects_known, &mut wb, diags);
    demand::resolve(&raw, &ids, projects_known, &mut wb, diags);
    balance::resolve(&raw, &mut wb, diags);
    limits::resolve(&raw, &horizon, &mut wb, diags);
    if !diags.has_errors() {
        reach::warn(raw_projects, &headers, &wb, diags);
    }
    if raw.projects.read().is_none() || !horizon.known {
        return None;
    }
    degenerate::warn(&wb, diags);
    Some(wb)
}

/// The horizon: budget.csv's periods in order of first appearance, else capacity.csv's.
fn horizon(shown: &str, raw: &RawWorkbook, diags: &mut Diags) -> Horizon {
    let from = |periods: &[String]| Horizon {
        periods: periods.to_vec(),
        known: true,
    };
    let unknown = Horizon {
        periods: Vec::new(),
        known: false,
    };
    match (&raw.budget, &raw.capacity) {
        (Part::Read(b), _) if !b.periods.is_empty() => from(&b.periods),
        (Part::Broken, _) => unknown,
        (_, Part::Read(c)) if !c.periods.is_empty() => from(&c.periods),
        (_, Part::Broken) => unknown,
        (budget, capacity) => {
            let message = if budget.is_absent() && capacity.is_absent() {
                format!("the workbook '{shown}' has neither budget.csv nor capacity.csv, so it has no planning horizon")
            } else {
                format!("the workbook '{shown}' names no period in budget.csv or capacity.csv, so it has no planning horizon")
            };
            diags.add(
                codes::NO_HORIZON,
                Loc::file(shown),
                None,
                message,
                "add budget.csv (period, amount) or capacity.csv (pool, period, fte) with one row per period",
            );
            unknown
        }
    }
}

/// Every category named by a project, budget.csv or balance.csv, sorted; budget caps
/// re-keyed by the final indices.
fn resolve_categories(raw: &RawWorkbook, wb: &mut Workbook) {
    let mut names: BTreeSet<String> = wb.categories.iter().cloned().collect();
    if let Some(p) = raw.projects.read() {
        names.extend(p.rows.iter().filter_map(|r| r.category.clone()));
    }
    if let Some(b) = raw.balance.read() {
        names.extend(b.rows.iter().map(|r| r.category.clone()));
    }
    let old_names = std::mem::take(&mut wb.categories);
    wb.categories = names.into_iter().collect();
    let new_index = |old: usize| {
        old_names
            .get(old)
            .and_then(|n| wb.categories.iter().position(|c| c == n))
    };
    let old_caps = std::mem::take(&mut wb.budget_category);
    let old_carry = std::mem::take(&mut wb.carry_category);
    let caps: Vec<(usize, Vec<Option<f64>>)> = old_caps
        .into_iter()
        .filter_map(|(old, caps)| Some((new_index(old)?, caps)))
        .collect();
    let carry: Vec<(usize, Vec<bool>)> = old_carry
        .into_iter()
        .filter_map(|(old, carry)| Some((new_index(old)?, carry)))
        .collect();
    wb.budget_category.extend(caps);
    wb.carry_category.extend(carry);
}

/// Whether project `p`'s duration was unreadable (reported): its offsets are not checked
/// against the stand-in duration of 1.
fn bad_duration(raw: &RawWorkbook, p: usize) -> bool {
    raw.projects
        .read()
        .and_then(|r| r.rows.get(p))
        .is_some_and(|r| r.duration.is_none())
}

fn offset_error(
    file: &str,
    line: usize,
    column: &str,
    project: &Project,
    offset: usize,
    diags: &mut Diags,
) {
    diags.add(
        codes::OFFSET_BEYOND_DURATION,
        Loc::cell(file, line, column),
        Some(&offset.to_string()),
        format!(
            "project {} has offset {offset} but lasts {} period(s) (offsets 0 to {})",
            project.id,
            project.duration,
            project.duration - 1
        ),
        format!(
            "use an offset below {} or lengthen the project's duration",
            project.duration
        ),
    );
}

#[cfg(test)]
mod tests {
    use crate::diag::codes;
    use crate::model::{Balance, Demand, Status, WeightSource};
    use crate::resolve::testing::{codes_of, diagnostics, loaded, BUDGET};

    #[test]
    fn a_valid_workbook_is_fully_resolved() {
        let l = loaded(&[
            (
                "projects.csv",
                "id,name,cost,duration,value,earliest_start,latest_start,status,category,requires,excludes,after,cost_low,value_high\n\
                 A,Alpha,90,3,10,,,,IT,B,,,80,\n\
                 B,,40,1,5,2025-Q2,,mandatory,Ops,,C,,,7\n\
                 C,,20,2,3,,2025-Q1,,IT,,,B,,\n\
                 D,,10,5,1,,,excluded,,,,,,\n",
            ),
            ("budget.csv", "period,amount,category\n2025-Q1,100,\n2025-Q2,100,*\n2025-Q3,50,IT\n2025-Q4,100,\n"),
            ("capacity.csv", "pool,2025-Q1,2025-Q2,2025-Q3,2025-Q4\ndev,2,2,2,2\n"),
            ("demand.csv", "project,pool,fte,offset\nA,dev,1,\nC,dev,0.5,1\n"),
            ("balance.csv", "category,min_share,max_share\nIT,0.2,\n"),
        ]);
        // C starts after B, which excludes it: no portfolio can hold C.
        assert_eq!(codes_of(&l.warnings), [codes::NEVER_SELECTABLE]);
        assert!(l.warnings[0]
            .message
            .contains("project C can never be selected"));
        let wb = &l.workbook;
        assert_eq!(wb.periods, ["2025-Q1", "2025-Q2", "2025-Q3", "2025-Q4"]);
        let a = &wb.projects[0];
        assert_eq!((a.earliest, a.latest), (0, 1));
        assert_eq!(a.cost_profile, [30.0, 30.0, 30.0]);
        assert_eq!(
            (a.cost_low, a.cost_high, a.value_low, a.value_high),
            (80.0, 90.0, 10.0, 10.0)
        );
        assert_eq!(a.requires, [1]);
        assert_eq!(
            a.demand,
            [Demand {
                pool: 0,
                fte: vec![1.0; 3]
            }]
        );
        let b = &wb.projects[1];
        assert_eq!(b.name, "B");
        assert_eq!((b.earliest, b.latest), (1, 3));
        assert_eq!(b.status, Status::Mandatory);
        assert_eq!(b.value_high, 7.0);
        assert_eq!(wb.exclusions, [(1, 2)]);
        let c = &wb.projects[2];
        assert_eq!((c.earliest, c.latest), (0, 0));
        assert_eq!(c.after, [1]);
        assert_eq!(
            c.demand,
            [Demand {
                pool: 0,
                fte: vec![0.0, 0.5]
            }]
        );
        let d = &wb.projects[3];
        assert_eq!(d.status, Status::Excluded);
        assert_eq!((d.earliest, d.latest), (0, 0));
        assert_eq!(wb.categories, ["IT", "Ops"]);
        assert_eq!(wb.projects[0].category, Some(0));
        assert_eq!(wb.projects[3].category, None);
        assert_eq!(
            wb.budget_total,
            [Some(100.0), Some(100.0), None, Some(100.0)]
        );
        assert_eq!(wb.budget_category[&0], [None, None, Some(50.0), None]);
        assert_eq!(
            wb.balance,
            [Balance {
                category: 0,
                min_share: 0.2,
                max_share: 1.0
            }]
        );
        assert_eq!(wb.weight_source, WeightSource::None);
    }

    #[test]
    fn every_problem_is_reported_at_once_errors_first() {
        let list = diagnostics(&[
            (
                "projects.csv",
                "id,cost,duration,colour\nP-1,-1,2,red\nP-2,x,0,\nP-1,5,1,\n",
            ),
            ("budget.csv", BUDGET),
            ("demand.csv", "project,pool,fte\nP-7,dev,1\n"),
        ]);
        assert_eq!(
            codes_of(&list),
            [
                codes::OUT_OF_RANGE,
                codes::NOT_A_NUMBER,
                codes::NOT_INTEGER,
                codes::DUPLICATE_KEY,
                codes::UNKNOWN_PROJECT,
                codes::UNKNOWN_POOL,
                codes::UNKNOWN_COLUMN,
            ]
        );
        let lines: Vec<Option<usize>> = list.iter().map(|d| d.line).collect();
        assert_eq!(
            lines,
            [
                Some(2),
                Some(3),
                Some(3),
                Some(4),
                Some(2),
                Some(2),
                Some(1)
            ]
        );
        assert!(
            list[5].message.contains("no capacity.csv"),
            "{}",
            list[5].message
        );
    }

    #[test]
    fn a_broken_file_does_not_cascade() {
        // projects.csv lacks its id column: demand and costs must not all be unknown ids.
        let list = diagnostics(&[
            ("projects.csv", "name,cost\nP,1\n"),
            ("budget.csv", BUDGET),
            ("demand.csv", "project,pool,fte\nP,dev,1\n"),
        ]);
        assert_eq!(
            codes_of(&list),
            [codes::MISSING_COLUMN, codes::UNKNOWN_POOL]
        );
    }
}
