//! The staffing LP of one period with teams.csv: the least skill FTE the teams cannot
//! cover however they split their FTE (the diagnosis's shortfall), and the teams' FTE that
//! staffs a fixed portfolio (a re-plan's MIP start).

use good_lp::solvers::highs::highs;
use good_lp::{variable, Expression, ProblemVariables, Solution as _, SolverModel, Variable};

use crate::model::{Starts, Workbook};

/// With teams.csv: how much of the skill demand `need` (FTE per skill, indexed like
/// [`Workbook::pools`]) the teams cannot cover in period `t`, however they split their FTE
/// (the LP minimum of the uncovered FTE, summed over skills; 0 when it can be staffed).
/// `None` without teams.csv, or if HiGHS fails on the LP.
pub fn staff_shortfall(workbook: &Workbook, need: &[f64], t: usize) -> Option<f64> {
    staff_lp(workbook, need, t).map(|(short, _)| short)
}

/// FTE of a team on a skill: (team, skill, FTE).
type TeamFte = (usize, usize, f64);

/// The staffing LP of one period: the least uncovered skill FTE, and the teams' FTE per
/// (team, skill) that achieves it.
fn staff_lp(workbook: &Workbook, need: &[f64], t: usize) -> Option<(f64, Vec<TeamFte>)> {
    let staffing = workbook.staffing.as_ref()?;
    if need.iter().all(|&d| d <= 0.0) {
        // Nothing to cover (HiGHS would call the empty model an error).
        return Some((0.0, Vec::new()));
    }
    let mut vars = ProblemVariables::new();
    let slack: Vec<Option<Variable>> = need
        .iter()
        .map(|&d| (d > 0.0).then(|| vars.add(variable().min(0.0))))
        .collect();
    let flows: Vec<(usize, usize, f64, Variable)> = staffing
        .serves
        .iter()
        .filter(|s| need.get(s.skill).is_some_and(|&d| d > 0.0))
        .filter(|s| staffing.capacity[s.team].get(t).is_some_and(|&c| c > 0.0))
        .map(|s| (s.team, s.skill, s.efficiency, vars.add(variable().min(0.0))))
        .collect();
    let total: Expression = slack.iter().flatten().copied().sum();
    let mut problem = vars.minimise(total).using(highs);
    problem.set_verbose(false);
    problem = problem.set_threads(1);
    for (skill, s) in slack.iter().enumerate() {
        let Some(s) = *s else { continue };
        let mut covered = Expression::from(s);
        for &(_, k, e, f) in &flows {
            if k == skill {
                covered.add_mul(e, f);
            }
        }
        problem.add_constraint(covered.geq(need[skill]));
    }
    for (team, caps) in staffing.capacity.iter().enumerate() {
        let mut used = Expression::default();
        let mut any = false;
        for &(k, _, _, f) in &flows {
            if k == team {
                used.add_mul(1.0, f);
                any = true;
            }
        }
        if any {
            problem.add_constraint(used.leq(caps[t]));
        }
    }
    let solution = problem.solve().ok()?;
    let short = slack.iter().flatten().map(|&s| solution.value(s)).sum();
    let given = flows
        .iter()
        .map(|&(team, skill, _, f)| (team, skill, solution.value(f)))
        .filter(|f| f.2 > 0.0)
        .collect();
    Some((short, given))
}

/// FTE per (team, skill, period) that staffs `starts`, when the teams can (for a MIP start
/// with teams.csv); `None` when some period is short.
pub(crate) fn flows_for(
    workbook: &Workbook,
    starts: &Starts,
) -> Option<Vec<(usize, usize, usize, f64)>> {
    let mut out = Vec::new();
    for t in 0..workbook.horizon() {
        let mut need = vec![0.0; workbook.pools.len()];
        for (p, s) in starts.iter().enumerate() {
            let Some(s) = *s else { continue };
            for d in &workbook.projects[p].demand {
                if t >= s {
                    need[d.pool] += d.fte.get(t - s).copied().unwrap_or(0.0);
                }
            }
        }
        let (short, flows) = staff_lp(workbook, &need, t)?;
        let total: f64 = need.iter().sum();
        if short > 1e-9 * total.max(1.0) {
            return None;
        }
        out.extend(flows.into_iter().map(|(k, s, f)| (k, s, t, f)));
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::solve::allocate::tests::teams_workbook;

    #[test]
    fn shortfall_is_what_no_split_can_cover() {
        let wb = teams_workbook();
        // A + B + C: 3 dev + 0.5 data need 3 + 1 = 4 FTE of teams with 3; leaving 0.5 of data
        // uncovered frees the 1 FTE missing.
        assert!((staff_shortfall(&wb, &[3.0, 0.5], 0).unwrap() - 0.5).abs() < 1e-6);
        assert!(staff_shortfall(&wb, &[2.0, 0.5], 0).unwrap() < 1e-9);
    }

    #[test]
    fn nothing_to_cover_is_no_shortfall_and_no_teams_is_no_answer() {
        let mut wb = teams_workbook();
        assert_eq!(staff_shortfall(&wb, &[0.0, 0.0], 0), Some(0.0));
        wb.staffing = None;
        assert_eq!(staff_shortfall(&wb, &[1.0, 0.0], 0), None);
    }

    #[test]
    fn flows_staff_a_portfolio_the_teams_can_cover_and_none_when_short() {
        let wb = teams_workbook();
        let starts = vec![Some(0), Some(0), None];
        let flows = flows_for(&wb, &starts).unwrap();
        let staffing = wb.staffing.as_ref().unwrap();
        let covered = |skill: usize| -> f64 {
            flows
                .iter()
                .filter(|f| f.1 == skill)
                .map(|f| {
                    let serve = staffing
                        .serves
                        .iter()
                        .find(|s| s.team == f.0 && s.skill == skill);
                    serve.unwrap().efficiency * f.3
                })
                .sum()
        };
        // A's 2 FTE of dev, B's 0.5 of data, every flow in period 0.
        assert!(covered(0) >= 2.0 - 1e-9, "{flows:?}");
        assert!(covered(1) >= 0.5 - 1e-9, "{flows:?}");
        assert!(flows.iter().all(|f| f.2 == 0));
        for team in 0..2 {
            let used: f64 = flows.iter().filter(|f| f.0 == team).map(|f| f.3).sum();
            assert!(used <= staffing.capacity[team][0] + 1e-9, "{flows:?}");
        }
        // With C too the teams are 0.5 short (see the test above).
        assert!(flows_for(&wb, &vec![Some(0), Some(0), Some(0)]).is_none());
    }
}
