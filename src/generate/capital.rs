//! The capital-budgeting rules of a generated workbook (`--capital-rules`): a few percent of
//! the candidates each with an either-or prerequisite (`requires_any`), a cash return in its
//! last period (a negative amount of costs.csv), or partial funding (`min_share`); a count
//! limit per category and one on the starts of the first period (limits.csv); and carry-over
//! on the capped category's budget. Drawn from their own random stream, after everything
//! else: the other draws, and so the rest of the workbook, are those of the same seed
//! without the rules.
//!
//! Feasibility is kept: the rules touch candidates only (the witness of forced work is
//! unchanged), a count limit is never below the forced work it counts, and carry-over only
//! adds budget.

use super::project::{Gen, Kind};
use super::rng::Rng;

/// What the rules add to the projects and files.
#[derive(Debug, Clone, Default)]
pub(super) struct Capital {
    /// Per project: its `requires_any` group (empty: none).
    pub any: Vec<Vec<usize>>,
    /// Per project: its `min_share` (None: whole only).
    pub min_share: Vec<Option<f64>>,
    /// limits.csv rows: (category name or empty, max count, period label or empty).
    pub limits: Vec<(String, usize, String)>,
}

/// Share of the candidates that get each rule.
const SHARE: f64 = 0.03;

/// Draw the rules for `projects` (whose profiles may gain a return) with `seed`.
pub(super) fn draw(
    seed: u64,
    projects: &mut [Gen],
    categories: &[String],
    first_period: &str,
) -> Capital {
    let mut rng = Rng(seed ^ 0x0C4A_917A_1B0D_6E75);
    let n = projects.len();
    let mut out = Capital {
        any: vec![Vec::new(); n],
        min_share: vec![None; n],
        limits: Vec::new(),
    };
    let candidates: Vec<usize> = (0..n)
        .filter(|&i| projects[i].kind == Kind::Candidate)
        .collect();
    for (pos, &i) in candidates.iter().enumerate() {
        if pos >= 2 && rng.chance(SHARE) {
            let a = candidates[rng.between(0, pos - 1)];
            let b = candidates[rng.between(0, pos - 1)];
            let mut group = vec![a, b];
            group.sort_unstable();
            group.dedup();
            group.retain(|&q| !projects[i].excludes.contains(&q));
            out.any[i] = group;
        }
        if projects[i].duration >= 2 && projects[i].profile.is_none() && rng.chance(SHARE) {
            // Even spend, and in the last period a return of 20–60 % of the cost.
            let d = projects[i].duration;
            let cost = projects[i].cost;
            let back = (cost * (0.2 + 0.4 * rng.unit())).round();
            let mut profile: Vec<f64> = vec![(cost / (d - 1) as f64).round(); d];
            profile[d - 1] = -back;
            let spent: f64 = profile[..d - 1].iter().sum();
            profile[0] += cost - spent;
            // The cost stays the profile's sum, the net outflow.
            projects[i].cost = cost - back;
            projects[i].profile = Some(profile);
        }
        if rng.chance(SHARE) {
            out.min_share[i] = Some([0.25, 0.5, 0.5, 0.75][rng.between(0, 3)]);
        }
    }
    // At most 80 % of each category's projects (never fewer than its forced work), and at
    // most a tenth of all projects starting in the first period beside the forced work.
    for (c, name) in categories.iter().enumerate() {
        let of = |keep: &dyn Fn(&Gen) -> bool| {
            projects
                .iter()
                .filter(|p| p.category == Some(c) && keep(p))
                .count()
        };
        let forced = of(&|p| matches!(p.kind, Kind::Mandatory | Kind::InProgress));
        let all = of(&|p| p.kind != Kind::Excluded);
        let max = ((all as f64 * 0.8).floor() as usize).max(forced);
        out.limits.push((name.clone(), max, String::new()));
    }
    let forced_first = projects
        .iter()
        .filter(|p| matches!(p.kind, Kind::Mandatory | Kind::InProgress))
        .count();
    out.limits.push((
        String::new(),
        forced_first + n.div_ceil(10),
        first_period.to_string(),
    ));
    out
}

#[cfg(test)]
mod tests {
    use crate::generate::{generate, GenerateOptions};

    #[test]
    fn the_rules_leave_the_other_draws_alone_and_a_valid_workbook() {
        let plain = GenerateOptions {
            seed: 7,
            projects: 300,
            ..GenerateOptions::default()
        };
        let ruled = GenerateOptions {
            capital: true,
            ..plain.clone()
        };
        let a = generate(&plain);
        let b = generate(&ruled);
        let file = |files: &[(String, String)], name: &str| {
            files
                .iter()
                .find(|(n, _)| n == name)
                .map(|(_, t)| t.clone())
        };
        assert_eq!(file(&a, "demand.csv"), file(&b, "demand.csv"));
        assert_eq!(file(&a, "drivers.csv"), file(&b, "drivers.csv"));
        let limits = file(&b, "limits.csv").expect("limits.csv");
        assert!(
            limits.starts_with("category,max_count,period\n"),
            "{limits}"
        );
        let projects = file(&b, "projects.csv").expect("projects.csv");
        assert!(projects
            .lines()
            .next()
            .unwrap()
            .ends_with("requires_any,min_share"));
        assert!(projects
            .lines()
            .any(|l| l.contains(",0.5") || l.contains(",0.25")));
        let costs = file(&b, "costs.csv").expect("costs.csv");
        assert!(costs.lines().any(|l| l.contains(",-")), "a return");
        let dir = tempfile::tempdir().unwrap();
        crate::generate::write(dir.path(), &ruled).unwrap();
        let loaded = crate::load::read_workbook(dir.path(), &Default::default())
            .unwrap_or_else(|e| panic!("{e}"));
        assert!(loaded.workbook.projects.iter().any(|p| p.is_partial()));
        assert!(loaded
            .workbook
            .projects
            .iter()
            .any(|p| !p.requires_any.is_empty()));
        assert!(!loaded.workbook.limits.is_empty());
        assert!(!loaded.workbook.carry_category.is_empty());
    }
}
