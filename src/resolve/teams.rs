//! teams.csv across files: capacity.csv's pools become teams, and the pools of the workbook
//! become the skills teams.csv lists (their own capacity unlimited: staff comes from the
//! teams); unknown teams, skills no team serves, teams without a skill.

use std::collections::BTreeMap;

use super::list;
use crate::diag::{codes, Diags, Loc};
use crate::io::RawWorkbook;
use crate::model::{Serve, Staffing, Workbook};

/// teams.csv: capacity.csv's pools become teams, and the pools of the workbook become the
/// skills teams.csv lists (their own capacity is unlimited: staff comes from the teams).
pub(super) fn resolve(raw: &RawWorkbook, wb: &mut Workbook, diags: &mut Diags) {
    let Some(teams) = raw.teams.read() else {
        return;
    };
    let h = wb.periods.len();
    let mut staffing = Staffing {
        teams: std::mem::take(&mut wb.pools),
        capacity: std::mem::take(&mut wb.capacity),
        serves: Vec::new(),
    };
    let team_col = teams.headers.get("team");
    let mut skills: Vec<String> = Vec::new();
    let mut serves: BTreeMap<(usize, usize), f64> = BTreeMap::new();
    for row in &teams.rows {
        let skill = match skills.iter().position(|s| *s == row.skill) {
            Some(k) => k,
            None => {
                skills.push(row.skill.clone());
                skills.len() - 1
            }
        };
        let Some(team) = staffing.team_index(&row.team) else {
            if raw.capacity.read().is_some() {
                diags.add(
                    codes::UNKNOWN_TEAM,
                    Loc::cell("teams.csv", row.line, &team_col),
                    Some(&row.team),
                    format!("team '{}' serves skill '{}' but has no capacity in capacity.csv", row.team, row.skill),
                    format!(
                        "correct the team name (capacity.csv has {}), or give '{}' its FTE in capacity.csv",
                        list(&staffing.teams),
                        row.team
                    ),
                );
            }
            continue;
        };
        serves.insert((team, skill), row.efficiency);
    }
    staffing.serves = serves
        .into_iter()
        .map(|((team, skill), efficiency)| Serve {
            team,
            skill,
            efficiency,
        })
        .collect();
    if let Some(cap) = raw.capacity.read() {
        let pool_col = cap.headers.get("pool");
        for (team, (name, line)) in cap.pools.iter().enumerate() {
            if !staffing.serves.iter().any(|s| s.team == team) {
                diags.add(
                    codes::TEAM_WITHOUT_SKILL,
                    Loc::cell("capacity.csv", *line, &pool_col),
                    Some(name),
                    format!("team '{name}' has capacity but teams.csv gives it no skill; its FTE is never used"),
                    format!("add rows 'team,skill' for '{name}' to teams.csv, or correct its name"),
                );
            }
        }
    }
    wb.capacity = vec![vec![f64::INFINITY; h]; skills.len()];
    wb.pools = skills;
    wb.staffing = Some(staffing);
}

#[cfg(test)]
mod tests {
    use crate::resolve::testing::{loaded, BUDGET};

    #[test]
    fn teams_are_ignored_without_warning() {
        let l = loaded(&[
            ("projects.csv", "id,cost\nP,1\n"),
            ("budget.csv", BUDGET),
            ("teams.csv", "team,skill\nnot,read\n"),
        ]);
        assert!(l.warnings.is_empty());
        assert!(l.scenarios.is_empty());
    }
}
