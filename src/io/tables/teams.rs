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

#[cfg(test)]
mod tests {
    use super::super::{read_text, spots};
    use super::*;
    use crate::diag::codes;

    #[test]
    fn efficiency_defaults_to_one() {
        let (raw, list) = read_text(
            "teams.csv",
            "team,skill,efficiency\nalpha,dev,\nalpha,qa,0.5\n",
            read,
        );
        assert!(list.is_empty(), "{list:?}");
        assert_eq!(
            raw.expect("read").rows,
            [
                TeamRow {
                    line: 2,
                    team: "alpha".into(),
                    skill: "dev".into(),
                    efficiency: 1.0
                },
                TeamRow {
                    line: 3,
                    team: "alpha".into(),
                    skill: "qa".into(),
                    efficiency: 0.5
                },
            ]
        );
    }

    #[test]
    fn efficiency_above_zero_at_most_one_and_one_row_per_team_and_skill() {
        let (raw, list) = read_text(
            "teams.csv",
            "team,skill,efficiency\na,dev,0\na,qa,1.2\na,ux,1\na,ux,0.5\n,dev,1\n",
            read,
        );
        assert_eq!(
            spots(&list),
            [
                (codes::OUT_OF_RANGE, Some(2), Some("efficiency")),
                (codes::OUT_OF_RANGE, Some(3), Some("efficiency")),
                (codes::DUPLICATE_KEY, Some(5), Some("team")),
                (codes::EMPTY_FIELD, Some(6), Some("team")),
            ]
        );
        assert!(
            list[0].fix.contains("above 0 and at most 1"),
            "{}",
            list[0].fix
        );
        assert_eq!(raw.expect("read").rows.len(), 1);
    }

    #[test]
    fn team_and_skill_columns_are_required() {
        let (raw, list) = read_text("teams.csv", "team\na\n", read);
        assert!(raw.is_none());
        assert_eq!(
            spots(&list),
            [(codes::MISSING_COLUMN, Some(1), Some("skill"))]
        );
    }
}
