//! demand.csv across files: each project's FTE need of each pool by offset, against the
//! projects, the pools (or the skills of teams.csv) and the project's duration.

use std::collections::BTreeMap;

use super::{bad_duration, list, offset_error};
use crate::diag::{codes, Diags, Loc};
use crate::io::{Part, RawWorkbook};
use crate::model::{Demand, Workbook};

pub(super) fn resolve(
    raw: &RawWorkbook,
    ids: &BTreeMap<&str, usize>,
    projects_known: bool,
    wb: &mut Workbook,
    diags: &mut Diags,
) {
    let Some(demand) = raw.demand.read() else {
        return;
    };
    let project_col = demand.headers.get("project");
    let pool_col = demand.headers.get("pool");
    let offset_col = demand.headers.get("offset");
    let mut loads: BTreeMap<(usize, usize), Vec<f64>> = BTreeMap::new();
    // With teams.csv: skill → (first line, projects) for skills no team serves.
    let mut unserved: BTreeMap<String, (usize, Vec<String>)> = BTreeMap::new();
    for row in &demand.rows {
        let project = ids.get(row.project.as_str()).copied();
        if project.is_none() && projects_known {
            diags.add(
                codes::UNKNOWN_PROJECT,
                Loc::cell("demand.csv", row.line, &project_col),
                Some(&row.project),
                format!("demand.csv gives staff demand for project '{}', which projects.csv does not have", row.project),
                format!("correct the id, or add project {} to projects.csv", row.project),
            );
        }
        let pool = wb.pool_index(&row.pool);
        if pool.is_none() && wb.staffing.is_some() {
            unserved
                .entry(row.pool.clone())
                .or_insert_with(|| (row.line, Vec::new()))
                .1
                .push(row.project.clone());
        } else if pool.is_none() && !raw.teams.is_broken() {
            match &raw.capacity {
                Part::Read(_) => diags.add(
                    codes::UNKNOWN_POOL,
                    Loc::cell("demand.csv", row.line, &pool_col),
                    Some(&row.pool),
                    format!("project {} needs pool '{}', which capacity.csv does not have", row.project, row.pool),
                    format!("correct the pool name (capacity.csv has {}), or give '{}' capacity in capacity.csv", list(&wb.pools), row.pool),
                ),
                Part::Absent => diags.add(
                    codes::UNKNOWN_POOL,
                    Loc::cell("demand.csv", row.line, &pool_col),
                    Some(&row.pool),
                    format!("project {} needs pool '{}', but the workbook has no capacity.csv", row.project, row.pool),
                    format!("add capacity.csv (pool, period, fte) giving the capacity of '{}'", row.pool),
                ),
                Part::Broken => {}
            }
        }
        let (Some(p), Some(pool)) = (project, pool) else {
            continue;
        };
        if bad_duration(raw, p) {
            continue;
        }
        let duration = wb.projects[p].duration;
        let fte = loads
            .entry((p, pool))
            .or_insert_with(|| vec![0.0; duration]);
        match row.offset {
            None => fte.iter_mut().for_each(|x| *x = row.fte),
            Some(o) if o < duration => fte[o] = row.fte,
            Some(o) => offset_error(
                "demand.csv",
                row.line,
                &offset_col,
                &wb.projects[p],
                o,
                diags,
            ),
        }
    }
    for (skill, (line, mut projects)) in unserved {
        projects.dedup();
        let skills = wb.pools.clone();
        diags.add(
            codes::UNSERVED_SKILL,
            Loc::cell("demand.csv", line, &pool_col),
            Some(&skill),
            format!(
                "no team of teams.csv serves skill '{skill}', which {} need{}",
                list(&projects).replace('\'', ""),
                if projects.len() == 1 { "s" } else { "" }
            ),
            format!(
                "add a row '<team>,{skill}' to teams.csv, or correct the skill name (teams serve {})",
                list(&skills)
            ),
        );
    }
    // BTreeMap order is (project, pool): each project's demand comes out sorted by pool.
    for ((p, pool), fte) in loads {
        wb.projects[p].demand.push(Demand { pool, fte });
    }
}
