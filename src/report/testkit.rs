//! Tiny hand-built workbooks for the report tests (and the runner's, in `crate::batch`).

use crate::model::{Project, Workbook};

/// A candidate with its cost spread evenly, allowed anywhere in the horizon (the window is
/// clipped by [`workbook`]).
pub fn project(id: &str, cost: f64, duration: usize, value: f64) -> Project {
    Project::candidate(id, cost, duration, value, usize::MAX)
}

/// A workbook over `periods` with no budget, pools or categories yet.
pub fn workbook(periods: &[&str], mut projects: Vec<Project>) -> Workbook {
    let horizon = periods.len();
    for project in &mut projects {
        project.latest = project.latest.min(horizon.saturating_sub(project.duration));
    }
    Workbook {
        periods: periods.iter().map(|p| p.to_string()).collect(),
        projects,
        budget_total: vec![None; horizon],
        ..Workbook::default()
    }
}
