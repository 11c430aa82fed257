//! teams.csv: which skills each team serves and how well (`team`, `skill`, optional
//! `efficiency` in (0, 1]), one row per team and skill.

use std::collections::BTreeMap;

use super::{duplicate, Cells, Field, Headers, Range};
use crate::diag::{Diags, Loc};
use crate::io::csvfile::Table;

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct TeamRow {
    pub line: usize,
    pub team: String,
    pub skill: String,
    pub efficiency: f64,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct RawTeams {
    pub rows: Vec<TeamRow>,
    pub headers: Headers,
}

pub(crate) fn read(table: &Table, diags: &mut Diags) -> Option<RawTeams> {
    let c = Cells { table };
    let known = ["team", "skill", "efficiency"];
    table.warn_unknown(|k| known.contains(&k), "team, skill, efficiency", diags);
    let mut out = RawTeams {
        headers: Headers::of(table),
        ..RawTeams::default()
    };
    if !table.require(&["team", "skill"], diags) {
        return None;
    }
    let mut seen: BTreeMap<(String, String), usize> = BTreeMap::new();
    for row in &table.rows {
        let team = c.required_text(row, "team", "a teams.csv row", diags);
        let skill = c.required_text(row, "skill", "a teams.csv row", diags);
        let (Some(team), Some(skill)) = (team, skill) else {
            continue;
        };
        let subject = format!("team '{team}' on skill '{skill}'");
        let efficiency =
            match c.number(row, c.col("efficiency"), &subject, Range::Efficiency, diags) {
                Field::Empty => 1.0,
                Field::Bad => continue,
                Field::Ok(e) => e,
            };
        let key = (team.clone(), skill.clone());
        if let Some(first) = seen.get(&key) {
            duplicate(
                diags,
                Loc::cell(table.file, row.line, &table.header_of("team")),
                &team,
                subject,
                *first,
                "keep one row per team and skill",
            );
            continue;
        }
        seen.insert(key, row.line);
        out.rows.push(TeamRow {
            line: row.line,
            team,
            skill,
            efficiency,
        });
    }
    Some(out)
}
