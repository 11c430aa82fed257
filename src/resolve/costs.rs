//! costs.csv across files: each project's cost profile by offset, against its duration and
//! its cost in projects.csv (a profile that sums to something else is a warning).

use std::collections::{BTreeMap, BTreeSet};

use super::{bad_duration, offset_error};
use crate::diag::{codes, Diags, Loc};
use crate::io::RawWorkbook;
use crate::model::Workbook;

pub(super) fn resolve(
    raw: &RawWorkbook,
    ids: &BTreeMap<&str, usize>,
    projects_known: bool,
    wb: &mut Workbook,
    diags: &mut Diags,
) {
    let Some(costs) = raw.costs.read() else {
        return;
    };
    let project_col = costs.headers.get("project");
    let offset_col = costs.headers.get("offset");
    // project → (first line, profile, rows read)
    let mut profiles: BTreeMap<usize, (usize, Vec<f64>, usize)> = BTreeMap::new();
    // Projects whose profile is wrong anyway (an offset beyond the duration, an unreadable
    // row): no sum warning on top, which would count only the rows that were read.
    let mut broken: BTreeSet<usize> = costs
        .broken
        .iter()
        .filter_map(|id| ids.get(id.as_str()).copied())
        .collect();
    for row in &costs.rows {
        let Some(&p) = ids.get(row.project.as_str()) else {
            if projects_known {
                diags.add(
                    codes::UNKNOWN_PROJECT,
                    Loc::cell("costs.csv", row.line, &project_col),
                    Some(&row.project),
                    format!("costs.csv gives a cost profile for project '{}', which projects.csv does not have", row.project),
                    format!("correct the id, or add project {} to projects.csv", row.project),
                );
            }
            continue;
        };
        if bad_duration(raw, p) {
            continue;
        }
        let duration = wb.projects[p].duration;
        if row.offset >= duration {
            offset_error(
                "costs.csv",
                row.line,
                &offset_col,
                &wb.projects[p],
                row.offset,
                diags,
            );
            broken.insert(p);
            continue;
        }
        let entry = profiles
            .entry(p)
            .or_insert_with(|| (row.line, vec![0.0; duration], 0));
        entry.1[row.offset] = row.amount;
        entry.2 += 1;
    }
    let amount_col = costs.headers.get("amount");
    for (p, (line, profile, rows)) in profiles {
        let project = &mut wb.projects[p];
        let sum: f64 = profile.iter().sum();
        // A project that returns more than it costs (a profile summing below 0) can only
        // write a cost of 0 in projects.csv, where costs are ≥ 0: nothing to warn about.
        let net_return = sum < 0.0 && project.cost == 0.0;
        if !broken.contains(&p)
            && !net_return
            && (sum - project.cost).abs() > 1e-6 * project.cost.abs().max(1.0)
        {
            diags.add(
                codes::PROFILE_SUM,
                Loc::cell("costs.csv", line, &amount_col),
                Some(&sum.to_string()),
                format!(
                    "the cost profile of project {} ({rows} {} of costs.csv) sums to {sum} but its cost in projects.csv is {}; the profile is used",
                    project.id,
                    if rows == 1 { "row" } else { "rows" },
                    project.cost
                ),
                format!("make the profile sum to {} or set the project's cost to {sum}", project.cost),
            );
        }
        project.cost_profile = profile;
    }
}
