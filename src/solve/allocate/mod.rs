//! Who works on what (teams.csv): once the portfolio and its starts are fixed, split each
//! team's FTE across the projects that need its skills.
//!
//! The portfolio solve only knows how much FTE each team gives each skill per period (the
//! flows of [`super::encode`]); any split of those flows across the projects needing the
//! skill staffs the portfolio, so the split is chosen here, for quality, without touching
//! the portfolio or its value. The rule, in order of priority:
//!
//! 1. **few teams per project**: minimise the number of (team, project) pairs — a project is
//!    served by as few teams as its demand allows, never by slivers of six teams;
//! 2. **stable assignment**: minimise how much a team's FTE on a project's skill changes from
//!    one period to the next;
//! 3. **efficient teams**: among equals, spend the fewest team FTE (prefer teams with the
//!    higher efficiency on the skill).
//!
//! The three are weighted so that each dominates the next (the weights are in
//! [`allocate`]). Every project's skill demand is covered exactly (Σ efficiency × FTE =
//! demand) and no team exceeds its capacity. HiGHS solves it as a small MILP that starts from
//! the proportional split of the flows, with a node limit rather than a time limit so that
//! the same input gives the same allocation on every machine.
//!
//! The parts: the allocation MILP and the quality it is judged by here; the proportional
//! split it starts from in [`split`]; the per-period staffing LP (a shortfall for the
//! diagnosis, the flows of a re-plan's MIP start) in [`staff`].

mod split;
mod staff;

pub use split::proportional_split;
pub(crate) use staff::flows_for;
pub use staff::staff_shortfall;

use good_lp::solvers::highs::highs;
use good_lp::{
    variable, Expression, ProblemVariables, Solution as _, SolverModel, Variable,
    WithInitialSolution,
};

use crate::error::{Error, Result};
use crate::model::{Starts, Workbook};

pub use crate::model::Assignment;

/// How an allocation reads to a PMO: how many (team, project) pairs it uses, and how much
/// team FTE moves on a project's skill from one period to the next.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Quality {
    /// Distinct (team, project) pairs: a project served by three teams counts 3.
    pub pairs: usize,
    /// (project, skill) pairs whose demand is split across more than one team.
    pub split_skills: usize,
    /// Σ |FTE(t) − FTE(t−1)| of each team on each project's skill, over consecutive periods
    /// the project runs (a team joining or leaving mid-project counts its FTE).
    pub changes: f64,
}

impl Quality {
    /// The quality of `allocation`.
    pub fn of(allocation: &[Assignment]) -> Quality {
        use std::collections::{BTreeMap, BTreeSet};
        let pairs: BTreeSet<(usize, usize)> =
            allocation.iter().map(|a| (a.project, a.team)).collect();
        let by_skill: BTreeSet<(usize, usize, usize)> = allocation
            .iter()
            .map(|a| (a.project, a.skill, a.team))
            .collect();
        let mut teams_of: BTreeMap<(usize, usize), usize> = BTreeMap::new();
        for (p, skill, _) in &by_skill {
            *teams_of.entry((*p, *skill)).or_default() += 1;
        }
        // (project, skill) → the periods it is staffed, and (project, skill, team, period) → FTE.
        let mut periods: BTreeMap<(usize, usize), BTreeSet<usize>> = BTreeMap::new();
        let mut fte: BTreeMap<(usize, usize, usize, usize), f64> = BTreeMap::new();
        for a in allocation {
            periods
                .entry((a.project, a.skill))
                .or_default()
                .insert(a.period);
            *fte.entry((a.project, a.skill, a.team, a.period))
                .or_default() += a.fte;
        }
        let teams: BTreeSet<usize> = allocation.iter().map(|a| a.team).collect();
        let mut changes = 0.0;
        for ((p, skill), running) in &periods {
            let running: Vec<usize> = running.iter().copied().collect();
            for w in running.windows(2) {
                if w[1] != w[0] + 1 {
                    continue;
                }
                for &team in &teams {
                    let at = |t: usize| fte.get(&(*p, *skill, team, t)).copied().unwrap_or(0.0);
                    changes += (at(w[1]) - at(w[0])).abs();
                }
            }
        }
        Quality {
            pairs: pairs.len(),
            split_skills: teams_of.values().filter(|&&n| n > 1).count(),
            changes,
        }
    }
}

/// One skill demand of a running project: (project, skill, period, FTE of the skill).
struct Need {
    project: usize,
    skill: usize,
    period: usize,
    fte: f64,
}

/// Branch-and-bound nodes of the allocation MILP. Its start is feasible, so a limit only
/// costs quality, never an answer.
const NODES: i32 = 2000;

/// Allocate the teams of `workbook` to the projects of `starts` (see the module docs).
/// Empty without teams.csv. `start` is an allocation to start from when known — the
/// [`proportional_split`] of the portfolio solve's flows, feasible by construction; without
/// it HiGHS finds one.
pub fn allocate(
    workbook: &Workbook,
    starts: &Starts,
    start: Option<&[Assignment]>,
    time_limit: Option<f64>,
) -> Result<Vec<Assignment>> {
    let Some(staffing) = &workbook.staffing else {
        return Ok(Vec::new());
    };
    let horizon = workbook.horizon();
    let needs = needs_of(workbook, starts);
    if needs.is_empty() {
        return Ok(Vec::new());
    }
    let mut vars = ProblemVariables::new();
    // a: (need, serve) → variable; one per team that serves the skill and has FTE then.
    let mut a: Vec<(usize, usize, Variable)> = Vec::new();
    for (n, need) in needs.iter().enumerate() {
        for (s, serve) in staffing.serves.iter().enumerate() {
            if serve.skill == need.skill && staffing.capacity[serve.team][need.period] > 0.0 {
                a.push((n, s, vars.add(variable().min(0.0))));
            }
        }
    }
    // u: (team, project) pairs that could work together.
    let mut pairs: Vec<(usize, usize)> = a
        .iter()
        .map(|&(n, s, _)| (staffing.serves[s].team, needs[n].project))
        .collect();
    pairs.sort_unstable();
    pairs.dedup();
    let u: Vec<Variable> = pairs
        .iter()
        .map(|_| vars.add(variable().binary()))
        .collect();
    let pair_of = |team: usize, project: usize| -> usize {
        pairs
            .binary_search(&(team, project))
            .unwrap_or_else(|_| unreachable!("every (team, project) of `a` is a pair"))
    };
    // Stability: δ ≥ |a(t) − a(t−1)| for the same (project, skill, serve) in consecutive
    // periods.
    let mut steps: Vec<(Variable, Variable, Variable)> = Vec::new();
    {
        let mut by_key: std::collections::BTreeMap<(usize, usize, usize, usize), Variable> =
            std::collections::BTreeMap::new();
        for &(n, s, v) in &a {
            by_key.insert((needs[n].project, needs[n].skill, s, needs[n].period), v);
        }
        for (&(p, skill, s, t), &v) in &by_key {
            if t == 0 {
                continue;
            }
            if let Some(&before) = by_key.get(&(p, skill, s, t - 1)) {
                steps.push((v, before, vars.add(variable().min(0.0))));
            }
        }
    }
    let total_team_fte: f64 = needs
        .iter()
        .map(|need| {
            let best = staffing
                .serves
                .iter()
                .filter(|s| s.skill == need.skill)
                .map(|s| s.efficiency)
                .fold(0.0, f64::max);
            if best > 0.0 {
                need.fte / best
            } else {
                0.0
            }
        })
        .sum();
    // Weights: one (team, project) pair outweighs any change of stability (Σ δ ≤ 2 × the
    // FTE allocated, at most 2 × total / min efficiency), which outweighs efficiency.
    let min_eff = staffing
        .serves
        .iter()
        .map(|s| s.efficiency)
        .fold(1.0, f64::min);
    let fte_bound = total_team_fte / min_eff.max(1e-9);
    let w_step = 1.0;
    let w_fte = 0.5 / (1.0 + fte_bound);
    let w_pair = 1.0 + 2.0 * fte_bound + 1.0;
    let mut objective = Expression::with_capacity(u.len() + steps.len() + a.len());
    for &v in &u {
        objective.add_mul(w_pair, v);
    }
    for &(_, _, d) in &steps {
        objective.add_mul(w_step, d);
    }
    for &(_, _, v) in &a {
        objective.add_mul(w_fte, v);
    }
    let mut problem = vars.minimise(objective).using(highs);
    problem.set_verbose(false);
    problem = problem.set_threads(1);
    problem = problem.set_mip_rel_gap(1e-6).map_err(internal)?;
    problem = problem.set_option("mip_max_nodes", NODES);
    if let Some(limit) = time_limit {
        problem = problem.set_time_limit(limit.max(1.0));
    }
    // Cover each need exactly.
    let mut cover: Vec<Expression> = needs.iter().map(|_| Expression::default()).collect();
    // Team capacity per period.
    let mut team_load: Vec<Vec<Option<Expression>>> =
        vec![vec![None; horizon]; staffing.teams.len()];
    for &(n, s, v) in &a {
        let serve = staffing.serves[s];
        cover[n].add_mul(serve.efficiency, v);
        team_load[serve.team][needs[n].period]
            .get_or_insert_with(Expression::default)
            .add_mul(1.0, v);
        // v ≤ (the most it can be) × u.
        let most =
            (needs[n].fte / serve.efficiency).min(staffing.capacity[serve.team][needs[n].period]);
        let pair = u[pair_of(serve.team, needs[n].project)];
        problem.add_constraint((Expression::from(v) - most * pair).leq(0.0));
    }
    for (n, e) in cover.into_iter().enumerate() {
        problem.add_constraint(e.eq(needs[n].fte));
    }
    for (team, periods) in team_load.into_iter().enumerate() {
        for (t, e) in periods.into_iter().enumerate() {
            if let Some(e) = e {
                problem.add_constraint(e.leq(staffing.capacity[team][t]));
            }
        }
    }
    for &(v, before, d) in &steps {
        problem.add_constraint((Expression::from(v) - before - d).leq(0.0));
        problem.add_constraint((Expression::from(before) - v - d).leq(0.0));
    }
    if let Some(split) = start {
        let given: std::collections::BTreeMap<(usize, usize, usize, usize), f64> = split
            .iter()
            .map(|x| ((x.project, x.skill, x.period, x.team), x.fte))
            .collect();
        let mut values: Vec<(Variable, f64)> = Vec::with_capacity(a.len() + u.len());
        let mut used = vec![false; pairs.len()];
        for &(n, s, v) in &a {
            let (need, team) = (&needs[n], staffing.serves[s].team);
            let value = given
                .get(&(need.project, need.skill, need.period, team))
                .copied()
                .unwrap_or(0.0);
            if value > 0.0 {
                used[pair_of(team, need.project)] = true;
            }
            values.push((v, value));
        }
        for (i, &v) in u.iter().enumerate() {
            values.push((v, if used[i] { 1.0 } else { 0.0 }));
        }
        problem = problem.with_initial_solution(values);
    }
    let solution = problem.solve().map_err(|e| {
        Error::Internal(format!(
            "highs could not allocate the teams to the portfolio: {e}; please report this with the workbook"
        ))
    })?;
    let mut out: Vec<Assignment> = a
        .iter()
        .filter_map(|&(n, s, v)| {
            let fte = solution.value(v);
            (fte > 1e-9).then(|| Assignment {
                period: needs[n].period,
                team: staffing.serves[s].team,
                skill: needs[n].skill,
                project: needs[n].project,
                fte,
            })
        })
        .collect();
    out.sort_by_key(|x| (x.period, x.skill, x.team, x.project));
    Ok(out)
}

/// The skill demands of the running projects of `starts`.
fn needs_of(workbook: &Workbook, starts: &Starts) -> Vec<Need> {
    let horizon = workbook.horizon();
    let mut needs = Vec::new();
    for (p, start) in starts.iter().enumerate() {
        let Some(start) = *start else { continue };
        for demand in &workbook.projects[p].demand {
            for (offset, &fte) in demand.fte.iter().enumerate() {
                let period = start + offset;
                if period < horizon && fte > 0.0 {
                    needs.push(Need {
                        project: p,
                        skill: demand.pool,
                        period,
                        fte,
                    });
                }
            }
        }
    }
    needs
}

fn internal(e: impl std::fmt::Display) -> Error {
    Error::Internal(format!("highs refused an allocation option: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Demand, Project, Serve, Staffing};

    /// fixtures/teams: one period; devs (1 FTE: dev), full (2 FTE: dev, data at 0.5).
    /// A needs 2 dev, B 0.5 data, C 1 dev.
    pub(super) fn teams_workbook() -> Workbook {
        let with = |id: &str, value: f64, skill: usize, fte: f64| Project {
            demand: vec![Demand {
                pool: skill,
                fte: vec![fte],
            }],
            ..Project::candidate(id, 10.0, 1, value, 0)
        };
        Workbook {
            periods: vec!["Q1".into()],
            projects: vec![
                with("A", 10.0, 0, 2.0),
                with("B", 6.0, 1, 0.5),
                with("C", 3.0, 0, 1.0),
            ],
            budget_total: vec![Some(1000.0)],
            pools: vec!["dev".into(), "data".into()],
            capacity: vec![vec![f64::INFINITY]; 2],
            staffing: Some(Staffing {
                teams: vec!["devs".into(), "full".into()],
                capacity: vec![vec![1.0], vec![2.0]],
                serves: vec![
                    Serve {
                        team: 0,
                        skill: 0,
                        efficiency: 1.0,
                    },
                    Serve {
                        team: 1,
                        skill: 0,
                        efficiency: 1.0,
                    },
                    Serve {
                        team: 1,
                        skill: 1,
                        efficiency: 0.5,
                    },
                ],
            }),
            ..Workbook::default()
        }
    }

    #[test]
    fn the_multi_skilled_team_covers_both_projects() {
        let wb = teams_workbook();
        let plan = crate::solve::solve(&wb, &crate::solve::SolveOptions::default()).unwrap();
        assert_eq!(plan.starts, vec![Some(0), Some(0), None]);
        let got: Vec<(usize, usize, usize, f64)> = plan
            .allocation
            .iter()
            .map(|a| (a.team, a.skill, a.project, a.fte))
            .collect();
        // By hand: B's 0.5 FTE of data takes 1 FTE of full (efficiency 0.5); A's 2 FTE of
        // dev take all of devs and full's other FTE.
        assert_eq!(got, vec![(0, 0, 0, 1.0), (1, 0, 0, 1.0), (1, 1, 1, 1.0)]);
        assert!(
            crate::solve::check::check_allocation(&wb, &plan.starts, &plan.allocation).is_empty()
        );
    }

    #[test]
    fn few_teams_per_project_rather_than_slivers() {
        // Two teams serve dev with room to spare: each project gets one team, not a share of
        // both.
        let mut wb = teams_workbook();
        let staffing = wb.staffing.as_mut().unwrap();
        staffing.capacity = vec![vec![3.0], vec![3.0]];
        let starts = vec![Some(0), None, Some(0)];
        let allocation = allocate(&wb, &starts, None, None).unwrap();
        for p in [0, 2] {
            let teams: Vec<usize> = allocation
                .iter()
                .filter(|a| a.project == p)
                .map(|a| a.team)
                .collect();
            assert_eq!(teams.len(), 1, "project {p}: {allocation:?}");
        }
        assert!(crate::solve::check::check_allocation(&wb, &starts, &allocation).is_empty());
    }

    #[test]
    fn the_checker_catches_a_bad_allocation() {
        let wb = teams_workbook();
        let starts = vec![Some(0), Some(0), None];
        let bad = vec![
            Assignment {
                period: 0,
                team: 0,
                skill: 0,
                project: 0,
                fte: 1.0,
            },
            Assignment {
                period: 0,
                team: 1,
                skill: 0,
                project: 0,
                fte: 1.6,
            },
            Assignment {
                period: 0,
                team: 1,
                skill: 1,
                project: 1,
                fte: 0.5,
            },
            Assignment {
                period: 0,
                team: 0,
                skill: 1,
                project: 1,
                fte: 0.1,
            },
        ];
        let found: Vec<String> = crate::solve::check::check_allocation(&wb, &starts, &bad)
            .iter()
            .map(|v| v.to_string())
            .collect();
        assert_eq!(
            found,
            [
                "team 'devs' works on skill 'data' of B in Q1, but teams.csv does not give it that skill",
                "A needs 2.0 FTE of skill 'dev' in Q1, the teams cover 2.6",
                "B needs 0.5 FTE of skill 'data' in Q1, the teams cover 0.25",
                "capacity of team 'full' in Q1: 2.1 FTE allocated, 2.0 available",
            ]
        );
    }

    #[test]
    fn quality_counts_pairs_split_skills_and_changes_between_running_periods() {
        let at = |period: usize, team: usize, project: usize, fte: f64| Assignment {
            period,
            team,
            skill: 0,
            project,
            fte,
        };
        // Project 0 runs Q1–Q2: devs alone, then half devs half full; project 1 in Q4 only.
        let allocation = vec![
            at(0, 0, 0, 1.0),
            at(1, 0, 0, 0.5),
            at(1, 1, 0, 0.5),
            at(3, 1, 1, 2.0),
        ];
        let quality = Quality::of(&allocation);
        assert_eq!(quality.pairs, 3);
        assert_eq!(quality.split_skills, 1);
        // devs drops by 0.5 and full joins with 0.5; project 1 has no consecutive periods.
        assert!((quality.changes - 1.0).abs() < 1e-12, "{quality:?}");
        assert_eq!(Quality::of(&[]), Quality::default());
    }
}
