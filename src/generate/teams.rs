//! teams.csv and the teams' capacity.csv of a generated workbook, from their own random
//! stream, so that the other files do not depend on the number of teams.

use std::fmt::Write as _;

use super::rng::Rng;
use super::text::{fmt_num, round_to};
use super::GenerateOptions;

/// teams.csv and the teams' capacity.csv (see [`GenerateOptions::teams`]).
pub(super) fn teams_files(
    options: &GenerateOptions,
    periods: &[String],
    skills: &[String],
    capacity: &[Vec<f64>],
) -> (String, String) {
    let mut rng = Rng(options.seed ^ 0x7EA3_5EED_1234_4321);
    let n = options.teams;
    let names: Vec<String> = (0..n).map(|i| format!("team-{:02}", i + 1)).collect();
    let mut serves: Vec<Vec<(usize, f64)>> = vec![Vec::new(); n];
    let mut fte = vec![vec![0.0; periods.len()]; n];
    for (k, row) in capacity.iter().enumerate() {
        let team = k % n;
        serves[team].push((k, 1.0));
        for (t, x) in row.iter().enumerate() {
            fte[team][t] += x;
        }
    }
    for (team, list) in serves.iter_mut().enumerate() {
        let extra = rng
            .between(1, 2)
            .min(skills.len().saturating_sub(list.len()));
        for _ in 0..extra {
            for _ in 0..8 {
                let k = rng.between(0, skills.len() - 1);
                if list.iter().all(|(s, _)| *s != k) {
                    let efficiency = round_to(0.6 + 0.3 * rng.unit(), 0.05);
                    list.push((k, efficiency));
                    break;
                }
            }
        }
        list.sort_by_key(|(k, _)| *k);
        if list.is_empty() {
            // More teams than skills: a team of generalists on the team's own skill.
            list.push((team % skills.len().max(1), 0.8));
        }
    }
    let mut teams_csv = String::from("team,skill,efficiency\n");
    for (team, list) in serves.iter().enumerate() {
        for (k, e) in list {
            let _ = writeln!(teams_csv, "{},{},{}", names[team], skills[*k], fmt_num(*e));
        }
    }
    let mut capacity_csv = String::from("pool,period,fte\n");
    for (team, name) in names.iter().enumerate() {
        for (t, label) in periods.iter().enumerate() {
            let _ = writeln!(capacity_csv, "{name},{label},{}", fmt_num(fte[team][t]));
        }
    }
    (teams_csv, capacity_csv)
}
