//! projects.csv across files: each project's status, links (`requires`, `requires_any`,
//! `excludes`, `after`) resolved to project indices, its category, window and scores; and the cycles of `after`
//! links, which no schedule can satisfy.

use std::collections::{BTreeMap, BTreeSet};

use super::{windows, Horizon};
use crate::diag::{codes, Diags, Loc};
use crate::io::tables::projects::RawProject;
use crate::io::tables::Headers;
use crate::model::{Project, Status, Workbook};

pub(super) fn resolve(
    p: &RawProject,
    headers: &Headers,
    ids: &BTreeMap<&str, usize>,
    horizon: &Horizon,
    wb: &Workbook,
    diags: &mut Diags,
) -> (Project, Vec<usize>) {
    let status = p.status.unwrap_or(Status::Candidate);
    let duration = p.duration.unwrap_or(1);
    let links = |list: &[String], key: &str, diags: &mut Diags| -> Vec<usize> {
        let column = headers.get(key);
        let mut out = Vec::new();
        for id in list {
            let loc = Loc::cell("projects.csv", p.line, &column);
            if *id == p.id {
                diags.add(
                    codes::SELF_LINK,
                    loc,
                    Some(id),
                    format!("project {} names itself in {column}", p.id),
                    format!("remove {} from its own {column} list", p.id),
                );
            } else if let Some(i) = ids.get(id.as_str()) {
                out.push(*i);
            } else {
                diags.add(
                    codes::UNKNOWN_PROJECT,
                    loc,
                    Some(id),
                    format!(
                        "project {} has {column} '{id}', which is not a project id",
                        p.id
                    ),
                    format!("correct the id, or add project {id} to projects.csv"),
                );
            }
        }
        out.sort_unstable();
        out.dedup();
        out
    };
    let requires = links(&p.requires, "requires", diags);
    let requires_any: Vec<Vec<usize>> = p
        .requires_any
        .iter()
        .map(|group| links(group, "requires_any", diags))
        .filter(|group| !group.is_empty())
        .collect();
    let excludes = links(&p.excludes, "excludes", diags);
    let after = if status == Status::InProgress {
        if !p.after.is_empty() {
            diags.add(
                codes::AFTER_IGNORED,
                Loc::cell("projects.csv", p.line, &headers.get("after")),
                Some(&p.after.join(";")),
                format!(
                    "project {} is in progress, so its {} links are ignored",
                    p.id,
                    headers.get("after")
                ),
                "clear the after cell of a running project",
            );
        }
        Vec::new()
    } else {
        links(&p.after, "after", diags)
    };
    let (earliest, latest) = windows::window(p, status, headers, horizon, diags);
    let latest_given = match (status, &p.latest) {
        (Status::InProgress, _) | (_, None) => None,
        (_, Some(label)) => horizon.index(label),
    };
    let category = p
        .category
        .as_ref()
        .and_then(|c| wb.categories.iter().position(|n| n == c));
    let cost = p.cost.unwrap_or(0.0);
    let project = Project {
        id: p.id.clone(),
        name: p.name.clone(),
        cost,
        duration,
        value: p.value.unwrap_or(0.0),
        earliest,
        latest_given,
        latest,
        status,
        category,
        requires,
        requires_any,
        after,
        cost_low: p.cost_low,
        cost_high: p.cost_high,
        value_low: p.value_low,
        value_high: p.value_high,
        scores: p.scores.clone(),
        cost_profile: vec![cost / duration as f64; duration],
        demand: Vec::new(),
        min_share: p.min_share,
        forced_by: None,
    };
    // The projects its `excludes` names: the caller makes them the workbook's pairs.
    (project, excludes)
}

/// Report every cycle of `after` links (a project must start after itself, transitively).
pub(super) fn check_after_cycles(
    raw: &[RawProject],
    headers: &Headers,
    wb: &Workbook,
    diags: &mut Diags,
) {
    let n = wb.projects.len();
    // Iterative depth-first search: 0 = unseen, 1 = on the current path, 2 = done. Every
    // edge back into the current path closes one cycle, reported from the path.
    let mut state = vec![0u8; n];
    let mut seen_cycles: BTreeSet<Vec<usize>> = BTreeSet::new();
    let column = headers.get("after");
    for root in 0..n {
        if state[root] != 0 {
            continue;
        }
        let mut stack: Vec<(usize, usize)> = vec![(root, 0)];
        state[root] = 1;
        while let Some((node, next)) = stack.last_mut() {
            let node = *node;
            let Some(&to) = wb.projects[node].after.get(*next) else {
                state[node] = 2;
                stack.pop();
                continue;
            };
            *next += 1;
            match state[to] {
                0 => {
                    state[to] = 1;
                    stack.push((to, 0));
                }
                1 => {
                    let start = stack.iter().position(|(v, _)| *v == to).unwrap_or(0);
                    let mut cycle: Vec<usize> = stack[start..].iter().map(|(v, _)| *v).collect();
                    // Start the cycle at its first project in file order, for a stable text.
                    let min_pos = cycle
                        .iter()
                        .enumerate()
                        .min_by_key(|(_, v)| **v)
                        .map_or(0, |(i, _)| i);
                    cycle.rotate_left(min_pos);
                    if seen_cycles.insert(cycle.clone()) {
                        let first = cycle[0];
                        let mut names: Vec<&str> =
                            cycle.iter().map(|v| wb.projects[*v].id.as_str()).collect();
                        names.push(wb.projects[first].id.as_str());
                        let next_id = names.get(1).copied().unwrap_or("");
                        diags.add(
                            codes::AFTER_CYCLE,
                            Loc::cell("projects.csv", raw[first].line, &column),
                            Some(next_id),
                            format!(
                                "the {column} links form a cycle: {} (each must start after the next)",
                                names.join(" → ")
                            ),
                            format!("remove one of these {column} links"),
                        );
                    }
                }
                _ => {}
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::diag::codes;
    use crate::resolve::testing::{codes_of, diagnostics, loaded, BUDGET};

    #[test]
    fn requires_cycles_are_allowed_after_cycles_are_not() {
        let l = loaded(&[
            ("projects.csv", "id,cost,requires\nA,1,B\nB,1,A\n"),
            ("budget.csv", BUDGET),
        ]);
        assert_eq!(l.workbook.projects[0].requires, [1]);
        let list = diagnostics(&[
            ("projects.csv", "id,cost,after\nA,1,\nB,1,C\nC,1,B\n"),
            ("budget.csv", BUDGET),
        ]);
        assert_eq!(codes_of(&list), [codes::AFTER_CYCLE]);
        assert!(list[0].message.contains("B → C → B"), "{}", list[0].message);
        assert_eq!(list[0].line, Some(3));
    }
}
