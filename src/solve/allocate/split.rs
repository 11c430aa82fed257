//! The proportional split: the allocation a staffing solve gives without the quality rule,
//! each team's FTE on a skill shared among the projects needing it in proportion to their
//! demand. The allocation MILP starts from it, and a plan reports its quality beside the
//! MILP's, to show what the rule gains.

use super::{needs_of, Assignment};
use crate::model::{Starts, Workbook};

/// The allocation a staffing solve gives without the quality rule: each team's FTE on a
/// skill (`flows`: team, skill, period, FTE) scaled down to exactly what the portfolio
/// needs and shared among the projects needing the skill in proportion to their demand.
/// The allocation MILP starts from it; [`Quality::of`](super::Quality::of) it shows what the rule gains.
pub fn proportional_split(
    workbook: &Workbook,
    starts: &Starts,
    flows: &[(usize, usize, usize, f64)],
) -> Vec<Assignment> {
    use std::collections::BTreeMap;
    let Some(staffing) = &workbook.staffing else {
        return Vec::new();
    };
    let needs = needs_of(workbook, starts);
    let efficiency = |team: usize, skill: usize| {
        staffing
            .serves
            .iter()
            .find(|s| s.team == team && s.skill == skill)
            .map_or(0.0, |s| s.efficiency)
    };
    let mut covered: BTreeMap<(usize, usize), f64> = BTreeMap::new();
    for &(team, skill, period, fte) in flows {
        *covered.entry((skill, period)).or_default() += efficiency(team, skill) * fte;
    }
    let mut total: BTreeMap<(usize, usize), f64> = BTreeMap::new();
    for need in &needs {
        *total.entry((need.skill, need.period)).or_default() += need.fte;
    }
    let mut out = Vec::new();
    for need in &needs {
        let given = covered
            .get(&(need.skill, need.period))
            .copied()
            .unwrap_or(0.0);
        let all = total[&(need.skill, need.period)];
        if given <= 0.0 || all <= 0.0 {
            continue;
        }
        for &(team, skill, period, fte) in flows {
            if skill == need.skill && period == need.period && fte > 0.0 {
                out.push(Assignment {
                    period,
                    team,
                    skill,
                    project: need.project,
                    fte: fte * (all / given).min(1.0) * need.fte / all,
                });
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::solve::allocate::tests::teams_workbook;
    use crate::solve::allocate::Quality;
    use crate::solve::check::check_allocation;

    fn rows(split: &[Assignment]) -> Vec<(usize, usize, usize, f64)> {
        split
            .iter()
            .map(|a| (a.team, a.skill, a.project, a.fte))
            .collect()
    }

    #[test]
    fn flows_that_fit_the_demand_are_shared_as_they_are() {
        let wb = teams_workbook();
        let starts = vec![Some(0), Some(0), None];
        // devs and full give 1 FTE of dev each (A needs 2), full 1 FTE of data at 0.5 (B
        // needs 0.5).
        let flows = [(0, 0, 0, 1.0), (1, 0, 0, 1.0), (1, 1, 0, 1.0)];
        let split = proportional_split(&wb, &starts, &flows);
        assert_eq!(
            rows(&split),
            vec![(0, 0, 0, 1.0), (1, 0, 0, 1.0), (1, 1, 1, 1.0)]
        );
        assert!(check_allocation(&wb, &starts, &split).is_empty());
        let quality = Quality::of(&split);
        // A is served by both teams (one split skill), B by full.
        assert_eq!((quality.pairs, quality.split_skills), (3, 1));
    }

    #[test]
    fn more_than_the_demand_is_scaled_down_and_shared_by_demand() {
        let wb = teams_workbook();
        // A (2 dev) and C (1 dev); 4 FTE of dev flow for 3 needed.
        let starts = vec![Some(0), None, Some(0)];
        let flows = [(0, 0, 0, 1.0), (1, 0, 0, 3.0)];
        let split = proportional_split(&wb, &starts, &flows);
        let on = |project: usize| -> f64 {
            split
                .iter()
                .filter(|a| a.project == project)
                .map(|a| a.fte)
                .sum()
        };
        assert!((on(0) - 2.0).abs() < 1e-12, "{split:?}");
        assert!((on(2) - 1.0).abs() < 1e-12, "{split:?}");
        // Each team gives each project its share of the flow: devs 1 × 3/4 × 2/3 to A.
        assert!((split[0].fte - 0.5).abs() < 1e-12, "{split:?}");
        assert_eq!(split.len(), 4);
    }

    #[test]
    fn without_teams_there_is_nothing_to_split() {
        let mut wb = teams_workbook();
        wb.staffing = None;
        assert!(proportional_split(&wb, &vec![Some(0); 3], &[(0, 0, 0, 1.0)]).is_empty());
    }
}
