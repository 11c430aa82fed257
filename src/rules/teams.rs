//! The teams rule (teams.csv): the pools of demand.csv are skills, and in every period the
//! portfolio's demand on each skill is covered by the teams that serve it, each team within
//! its capacity, one FTE of a team covering `efficiency` FTE of the skill. The model gives
//! each (team, skill, period) a continuous flow; which project gets that FTE is decided
//! after the solve and checked here ([`check_allocation`]).
//!
//! Whether a set of skill demands can be staffed at all is a small LP (the solver's
//! `staff_shortfall`); the diagnosis and the reasons hand it in as a function, so that the
//! rules stay below the solver.

use std::collections::BTreeMap;

use super::usage::Usage;
use super::words::{exact, id, label, period, pool};
use super::{
    exceeds, falls_short, selected, Blocker, Encode, Encoding, Flow, Overrun, Row, Rule, Tag,
    Violation, INF,
};
use crate::human::{fte, money};
use crate::model::{Assignment, Starts, Workbook};

pub(crate) const RULE: Rule = Rule {
    encode: Encode::Whole(encode),
    check,
};

/// How much of the skill demand `need` (FTE per skill) the teams cannot cover in a period,
/// however they split their FTE; `None` when that cannot be computed.
pub(crate) type Shortfall<'a> = &'a dyn Fn(&Workbook, &[f64], usize) -> Option<f64>;

/// Skill rows (the portfolio's load ≤ what the serving teams give, times efficiency) and
/// team rows (a team's flows ≤ its capacity).
fn encode(model: &mut Encoding) {
    let Some(staffing) = &model.workbook.staffing else {
        return;
    };
    let horizon = model.workbook.horizon();
    let first = model.first_flow();
    let mut by_team: Vec<Vec<Vec<(usize, f64)>>> =
        vec![vec![Vec::new(); horizon]; staffing.teams.len()];
    for (skill, periods) in super::capacity::loads(model).into_iter().enumerate() {
        for (period, mut terms) in periods.into_iter().enumerate() {
            if terms.is_empty() {
                continue;
            }
            for serve in staffing.serves.iter().filter(|s| s.skill == skill) {
                if staffing.capacity[serve.team][period] <= 0.0 {
                    continue;
                }
                let v = first + model.flows.len();
                model.flows.push(Flow {
                    team: serve.team,
                    skill,
                    period,
                    efficiency: serve.efficiency,
                });
                terms.push((v, -serve.efficiency));
                by_team[serve.team][period].push((v, 1.0));
            }
            model.rows.push(Row {
                tag: Tag::Skill { skill, period },
                terms,
                lower: -INF,
                upper: 0.0,
            });
        }
    }
    for (team, periods) in by_team.into_iter().enumerate() {
        for (period, terms) in periods.into_iter().enumerate() {
            if terms.is_empty() {
                continue;
            }
            model.rows.push(Row {
                tag: Tag::Team { team, period },
                terms,
                lower: -INF,
                upper: staffing.capacity[team][period],
            });
        }
    }
}

/// A portfolio alone says nothing of the teams: its staffing is certified by
/// [`check_allocation`].
fn check(_: &Workbook, _: &Starts, _: &mut Vec<Violation>) {}

/// With teams.csv, the certificate that a portfolio can be staffed: every rule that
/// `allocation` breaks for `starts` — a team on a skill it does not serve, on a project that
/// is not running then, over its capacity in a period, or a project's skill demand in a
/// period not covered exactly (Σ efficiency × FTE = demand). Empty without teams.csv only
/// when the allocation is empty too.
pub fn check_allocation(
    workbook: &Workbook,
    starts: &Starts,
    allocation: &[Assignment],
) -> Vec<Violation> {
    let mut found = Vec::new();
    let Some(staffing) = &workbook.staffing else {
        if !allocation.is_empty() {
            found.push(Violation::rule(
                Tag::Allocation,
                "the portfolio allocates teams, but the workbook has no teams.csv".into(),
            ));
        }
        return found;
    };
    let horizon = workbook.horizon();
    let team_name = |k: usize| {
        staffing
            .teams
            .get(k)
            .map_or(format!("#{}", k + 1), |n| format!("'{n}'"))
    };
    // What each (project, skill, period) needs, from the model.
    let mut need: BTreeMap<(usize, usize, usize), f64> = BTreeMap::new();
    for (p, s) in selected(workbook, starts) {
        for demand in &workbook.projects[p].demand {
            for (offset, &fte) in demand.fte.iter().enumerate() {
                if s + offset < horizon && fte != 0.0 {
                    *need.entry((p, demand.pool, s + offset)).or_default() += fte;
                }
            }
        }
    }
    let mut covered: BTreeMap<(usize, usize, usize), f64> = BTreeMap::new();
    let mut used: BTreeMap<(usize, usize), f64> = BTreeMap::new();
    for a in allocation {
        let serve = staffing
            .serves
            .iter()
            .find(|s| s.team == a.team && s.skill == a.skill);
        let Some(serve) = serve else {
            found.push(Violation::rule(
                Tag::Allocation,
                format!(
                    "team {} works on skill {} of {} in {}, but teams.csv does not give it that skill",
                    team_name(a.team),
                    pool(workbook, a.skill),
                    id(workbook, a.project),
                    period(workbook, a.period)
                ),
            ));
            continue;
        };
        if !need.contains_key(&(a.project, a.skill, a.period)) || a.fte < 0.0 {
            found.push(Violation::rule(
                Tag::Allocation,
                format!(
                    "team {} gives {} FTE of skill {} to {} in {}, which does not need it then",
                    team_name(a.team),
                    exact(a.fte),
                    pool(workbook, a.skill),
                    id(workbook, a.project),
                    period(workbook, a.period)
                ),
            ));
            continue;
        }
        *covered.entry((a.project, a.skill, a.period)).or_default() += serve.efficiency * a.fte;
        *used.entry((a.team, a.period)).or_default() += a.fte;
    }
    for (&(p, skill, t), &fte) in &need {
        let got = covered.get(&(p, skill, t)).copied().unwrap_or(0.0);
        if exceeds(got, fte) || falls_short(got, fte) {
            found.push(Violation::amount(
                Tag::Coverage {
                    project: p,
                    skill,
                    period: t,
                },
                (fte - got).abs(),
                format!(
                    "{} needs {} FTE of skill {} in {}, the teams cover {}",
                    id(workbook, p),
                    exact(fte),
                    pool(workbook, skill),
                    period(workbook, t),
                    exact(got)
                ),
            ));
        }
    }
    for (&(team, t), &fte) in &used {
        let available = staffing
            .capacity
            .get(team)
            .and_then(|row| row.get(t))
            .copied()
            .unwrap_or(0.0);
        if exceeds(fte, available) {
            found.push(Violation::amount(
                Tag::Team { team, period: t },
                fte - available,
                format!(
                    "capacity of team {} in {}: {} FTE allocated, {} available",
                    team_name(team),
                    period(workbook, t),
                    exact(fte),
                    exact(available)
                ),
            ));
        }
    }
    found
}

pub(crate) fn describe(workbook: &Workbook, tag: &Tag) -> String {
    match *tag {
        Tag::Skill { skill, period: t } => {
            let teams: Vec<String> = workbook
                .staffing
                .iter()
                .flat_map(|st| {
                    st.serves
                        .iter()
                        .filter(move |s| s.skill == skill)
                        .map(move |s| format!("'{}'", st.teams[s.team]))
                })
                .collect();
            format!(
                "demand for skill '{}' in {}: covered only by team(s) {}",
                workbook.pools[skill],
                workbook.periods[t],
                teams.join(", ")
            )
        }
        Tag::Team { team, period: t } => {
            let (name, fte) = workbook
                .staffing
                .as_ref()
                .map(|s| (s.teams[team].as_str(), s.capacity[team][t]))
                .unwrap_or(("?", 0.0));
            format!(
                "capacity of team '{name}' in {}: {} FTE",
                workbook.periods[t],
                money(fte)
            )
        }
        Tag::Coverage {
            project,
            skill,
            period: t,
        } => format!(
            "{} is staffed for its demand on skill '{}' in {}",
            id(workbook, project),
            workbook.pools[skill],
            workbook.periods[t]
        ),
        Tag::Allocation => {
            "teams work only on the skills they serve, for projects that need them".into()
        }
        _ => String::new(),
    }
}

/// For the diagnosis: with teams.csv, the skill demand of the `forced` projects in
/// `period` (at their most favourable starts) that no split of the teams' FTE can cover.
pub(crate) fn forced_overruns(
    workbook: &Workbook,
    forced: &[usize],
    period: usize,
    shortfall: Shortfall,
) -> Vec<Overrun> {
    if workbook.staffing.is_none() {
        return Vec::new();
    }
    let label = &workbook.periods[period];
    let need: Vec<f64> = (0..workbook.pools.len())
        .map(|skill| super::capacity::forced_need(workbook, forced, skill, period))
        .collect();
    let total: f64 = need.iter().sum();
    let short = shortfall(workbook, &need, period).unwrap_or(0.0);
    if short <= 1e-6 * total.max(1.0) {
        return Vec::new();
    }
    let skills: Vec<String> = need
        .iter()
        .enumerate()
        .filter(|(_, &d)| d > 0.0)
        .map(|(k, d)| format!("{} FTE of '{}'", money(*d), workbook.pools[k]))
        .collect();
    vec![Overrun {
        message: format!(
            "staff in {label}: mandatory and in-progress work needs at least {}; however the teams split their FTE, {} FTE of it stay uncovered",
            skills.join(", "),
            money(short)
        ),
        over_by: Some(short),
    }]
}

/// For the reasons: with teams.csv, whether the teams serving the skills of project `p`
/// (at offset `offset`, in period `t`) can cover its demand beside the portfolio's, however
/// they split their FTE.
pub(crate) fn blockers_in(
    workbook: &Workbook,
    usage: &Usage,
    p: usize,
    offset: usize,
    t: usize,
    shortfall: Shortfall,
) -> Vec<Blocker> {
    let project = &workbook.projects[p];
    if workbook.staffing.is_none() || project.demand.is_empty() {
        return Vec::new();
    }
    // A skill has no capacity of its own: the teams serving it must cover the portfolio's
    // demand and the project's.
    let mut need: Vec<f64> = (0..workbook.pools.len())
        .map(|k| {
            usage
                .load
                .get(k)
                .and_then(|row| row.get(t))
                .copied()
                .unwrap_or(0.0)
        })
        .collect();
    let mut own = 0.0;
    let mut skills = Vec::new();
    for demand in &project.demand {
        let fte = demand.fte.get(offset).copied().unwrap_or(0.0);
        if fte > 0.0 {
            need[demand.pool] += fte;
            own += fte;
            skills.push(format!("'{}'", workbook.pools[demand.pool]));
        }
    }
    let short = shortfall(workbook, &need, t).unwrap_or(0.0);
    if own > 0.0 && short > 1e-6 * own.max(1.0) {
        vec![Blocker {
            message: format!(
                "staff in {}: needs {} FTE of {}, the teams serving it are {} FTE short",
                label(workbook, t),
                fte(own),
                skills.join(", "),
                fte(short)
            ),
            depends_on_start: true,
            shortfall: (short / own).clamp(0.0, 1.0),
        }]
    } else {
        Vec::new()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Demand, Serve, Staffing, Status};
    use crate::rules::testkit::workbook;

    /// Skills 'dev' and 'qa'; team 'core' (2 FTE) serves dev, and qa at 0.5.
    fn teams() -> Workbook {
        let mut wb = workbook();
        wb.pools = vec!["dev".into(), "qa".into()];
        wb.capacity = vec![vec![f64::INFINITY; 4]; 2];
        wb.staffing = Some(Staffing {
            teams: vec!["core".into()],
            capacity: vec![vec![2.0; 4]],
            serves: vec![
                Serve {
                    team: 0,
                    skill: 0,
                    efficiency: 1.0,
                },
                Serve {
                    team: 0,
                    skill: 1,
                    efficiency: 0.5,
                },
            ],
        });
        wb.projects[0].demand = vec![Demand {
            pool: 0,
            fte: vec![1.0],
        }];
        wb.projects[1].demand = vec![Demand {
            pool: 1,
            fte: vec![0.5],
        }];
        wb
    }

    fn assign(team: usize, skill: usize, project: usize, fte: f64) -> Assignment {
        Assignment {
            period: 0,
            team,
            skill,
            project,
            fte,
        }
    }

    #[test]
    fn an_exact_allocation_passes() {
        let wb = teams();
        let starts = vec![Some(0), Some(0), None];
        let allocation = [assign(0, 0, 0, 1.0), assign(0, 1, 1, 1.0)];
        assert!(check_allocation(&wb, &starts, &allocation).is_empty());
    }

    #[test]
    fn every_misallocation_is_named() {
        let wb = teams();
        let starts = vec![Some(0), Some(0), None];
        let found: Vec<String> =
            check_allocation(&wb, &starts, &[assign(0, 0, 0, 3.0), assign(0, 0, 2, 1.0)])
                .iter()
                .map(|v| v.message.clone())
                .collect();
        assert_eq!(
            found,
            [
                "team 'core' gives 1.0 FTE of skill 'dev' to P-3 in 2027-Q1, which does not need it then",
                "P-1 needs 1.0 FTE of skill 'dev' in 2027-Q1, the teams cover 3.0",
                "P-2 needs 0.5 FTE of skill 'qa' in 2027-Q1, the teams cover 0.0",
                "capacity of team 'core' in 2027-Q1: 3.0 FTE allocated, 2.0 available",
            ]
        );
        let mut plain = workbook();
        plain.staffing = None;
        assert_eq!(
            check_allocation(&plain, &starts, &[assign(0, 0, 0, 1.0)])[0].tag,
            Tag::Allocation
        );
    }

    #[test]
    fn skills_and_teams_get_rows_and_flows() {
        let wb = teams();
        let (columns, by_project) = crate::rules::window::columns(&wb);
        let mut model = Encoding {
            workbook: &wb,
            columns: &columns,
            by_project: &by_project,
            shares: &[],
            amount: (0..columns.len()).collect(),
            rows: Vec::new(),
            flows: Vec::new(),
        };
        encode(&mut model);
        // dev and qa in each of the four periods; core serves both: 8 flows.
        assert_eq!(model.flows.len(), 8);
        let skills = model
            .rows
            .iter()
            .filter(|r| matches!(r.tag, Tag::Skill { .. }));
        assert_eq!(skills.count(), 8);
        let team_rows: Vec<&Row> = model
            .rows
            .iter()
            .filter(|r| matches!(r.tag, Tag::Team { .. }))
            .collect();
        assert_eq!(team_rows.len(), 4);
        assert!(team_rows
            .iter()
            .all(|r| r.upper == 2.0 && r.terms.len() == 2));
    }

    #[test]
    fn shortfalls_come_from_the_staffing_function() {
        let mut wb = teams();
        wb.projects[0].status = Status::InProgress;
        let short = |_: &Workbook, need: &[f64], _: usize| Some((need[0] - 0.25).max(0.0));
        let found = forced_overruns(&wb, &[0], 0, &short);
        assert_eq!(
            found[0].message,
            "staff in 2027-Q1: mandatory and in-progress work needs at least 1 FTE of 'dev'; however the teams split their FTE, 0.75 FTE of it stay uncovered"
        );
        let usage = Usage::empty(&wb);
        let blockers = blockers_in(&wb, &usage, 0, 0, 0, &short);
        assert_eq!(
            blockers[0].message,
            "staff in 2027-Q1: needs 1 FTE of 'dev', the teams serving it are 0.75 FTE short"
        );
        let none = |_: &Workbook, _: &[f64], _: usize| Some(0.0);
        assert!(blockers_in(&wb, &usage, 0, 0, 0, &none).is_empty());
    }
}
