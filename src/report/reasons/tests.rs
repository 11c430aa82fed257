//! The reasons of portfolio.csv, end to end: every kind of reason on small workbooks.

use super::*;
use crate::model::{Balance, Demand};
use crate::report::testkit::{project, workbook};

fn reason(wb: &Workbook, starts: &[Option<usize>], p: usize) -> String {
    reasons(wb, &starts.to_vec(), SolveStatus::Optimal, Objective::Score)[p].clone()
}

#[test]
fn excluded_status() {
    let mut wb = workbook(&["Q1"], vec![project("A", 10.0, 1, 5.0)]);
    wb.projects[0].status = Status::Excluded;
    assert_eq!(reason(&wb, &[None], 0), "excluded");
}

#[test]
fn excludes_a_selected_project_either_way() {
    let mut wb = workbook(
        &["Q1"],
        vec![
            project("A", 10.0, 1, 5.0),
            project("B", 10.0, 1, 5.0),
            project("C", 10.0, 1, 5.0),
        ],
    );
    wb.set_exclusions([(0, 1), (2, 0)]);
    // A written as excluding B; C written as excluding A: both directions count.
    assert_eq!(
        reason(&wb, &[None, Some(0), None], 0),
        "excludes B, which is in"
    );
    assert_eq!(
        reason(&wb, &[Some(0), None, None], 2),
        "excludes A, which is in"
    );
    assert_eq!(
        reason(&wb, &[None, Some(0), Some(0)], 0),
        "excludes B, C, which are in"
    );
}

#[test]
fn requires_a_project_that_is_out() {
    let mut wb = workbook(
        &["Q1"],
        vec![project("P-1", 10.0, 1, 5.0), project("P-3", 10.0, 1, 5.0)],
    );
    wb.projects[0].requires = vec![1];
    assert_eq!(reason(&wb, &[None, None], 0), "requires P-3, which is out");
}

#[test]
fn after_a_project_that_is_out() {
    let mut wb = workbook(
        &["Q1", "Q2"],
        vec![project("P-1", 10.0, 1, 5.0), project("P-2", 10.0, 1, 5.0)],
    );
    wb.projects[0].after = vec![1];
    assert_eq!(
        reason(&wb, &[None, None], 0),
        "must start after P-2, which is out"
    );
}

#[test]
fn window_cannot_fit_after_its_predecessor() {
    let mut wb = workbook(
        &["Q1", "Q2", "Q3", "Q4"],
        vec![project("A", 10.0, 2, 5.0), project("B", 10.0, 1, 5.0)],
    );
    wb.projects[1].after = vec![0];
    wb.projects[1].latest = 1;
    // A runs Q2..Q3, so B could start in Q4 at the earliest; its latest start is Q2.
    assert_eq!(
        reason(&wb, &[Some(1), None], 1),
        "window cannot fit: must start after A, which ends in Q3, but its latest start is Q2"
    );
    // A running to the end of the horizon leaves no room at all.
    wb.projects[1].latest = 3;
    assert_eq!(
        reason(&wb, &[Some(2), None], 1),
        "window cannot fit: must start after A, which runs to the end of the horizon"
    );
}

#[test]
fn capacity_blocks() {
    let mut wb = workbook(
        &["2027-Q1", "2027-Q2"],
        vec![project("A", 10.0, 1, 5.0), project("B", 10.0, 1, 5.0)],
    );
    wb.projects[1].earliest = 1;
    wb.projects[1].latest = 1;
    wb.pools = vec!["data".into()];
    wb.capacity = vec![vec![3.0, 2.5]];
    wb.projects[0].demand = vec![Demand {
        pool: 0,
        fte: vec![2.0],
    }];
    wb.projects[1].demand = vec![Demand {
        pool: 0,
        fte: vec![2.0],
    }];
    // B alone in Q2 would fit; with A in Q2 only 0.5 FTE is free.
    assert_eq!(
        reason(&wb, &[Some(1), None], 1),
        "capacity of pool 'data' in 2027-Q2: needs 2 FTE, 0.5 free"
    );
}

#[test]
fn best_start_is_named_when_every_start_is_blocked() {
    let mut wb = workbook(
        &["Q1", "Q2", "Q3"],
        vec![
            project("A", 100.0, 1, 5.0),
            project("B", 100.0, 1, 5.0),
            project("C", 50.0, 1, 5.0),
        ],
    );
    wb.budget_total = vec![Some(100.0), Some(100.0), Some(30.0)];
    wb.projects[0].latest = 0;
    wb.projects[1].earliest = 1;
    wb.projects[1].latest = 1;
    // C is blocked in every quarter; Q3 leaves the most (30) but still too little.
    let text = reason(&wb, &[Some(0), Some(1), None], 2);
    assert_eq!(text, "budget of Q3: needs 50, 30 left (best start Q3)");
}

#[test]
fn total_budget_blocks() {
    let mut wb = workbook(
        &["2027-Q1"],
        vec![
            project("A", 85_000.0, 1, 5.0),
            project("B", 120_000.0, 1, 5.0),
        ],
    );
    wb.budget_total = vec![Some(120_000.0)];
    assert_eq!(
        reason(&wb, &[Some(0), None], 1),
        "budget of 2027-Q1: needs 120,000, 35,000 left"
    );
}

#[test]
fn category_budget_blocks_and_counts_further_blockers() {
    let mut wb = workbook(
        &["2027-Q1"],
        vec![
            project("A", 85_000.0, 1, 5.0),
            project("B", 120_000.0, 1, 5.0),
        ],
    );
    wb.categories = vec!["Growth".into()];
    wb.projects[0].category = Some(0);
    wb.projects[1].category = Some(0);
    wb.budget_category.insert(0, vec![Some(100_000.0)]);
    assert_eq!(
        reason(&wb, &[Some(0), None], 1),
        "budget of category 'Growth' in 2027-Q1: needs 120,000, 15,000 left"
    );
    wb.budget_total = vec![Some(120_000.0)];
    assert_eq!(
        reason(&wb, &[Some(0), None], 1),
        "budget of 2027-Q1: needs 120,000, 35,000 left (1 more blocker)"
    );
}

#[test]
fn balance_max_share_blocks() {
    let mut wb = workbook(
        &["Q1"],
        vec![project("A", 60.0, 1, 5.0), project("B", 40.0, 1, 5.0)],
    );
    wb.categories = vec!["Grow".into(), "Run".into()];
    wb.projects[0].category = Some(0);
    wb.projects[1].category = Some(1);
    wb.balance = vec![Balance {
        category: 1,
        min_share: 0.0,
        max_share: 0.3,
    }];
    assert_eq!(
        reason(&wb, &[Some(0), None], 1),
        "balance: category 'Run' would exceed its max share 30% (it would be 40%)"
    );
}

#[test]
fn balance_min_share_blocks() {
    let mut wb = workbook(
        &["Q1"],
        vec![project("A", 60.0, 1, 5.0), project("B", 40.0, 1, 5.0)],
    );
    wb.categories = vec!["Grow".into(), "Run".into()];
    wb.projects[0].category = Some(0);
    wb.projects[1].category = Some(1);
    wb.balance = vec![Balance {
        category: 0,
        min_share: 0.75,
        max_share: 1.0,
    }];
    assert_eq!(
        reason(&wb, &[Some(0), None], 1),
        "balance: category 'Grow' would fall below its min share 75% (it would be 60%)"
    );
}

#[test]
fn fits_without_value() {
    let wb = workbook(&["Q1"], vec![project("A", 10.0, 1, 0.0)]);
    assert_eq!(reason(&wb, &[None], 0), "fits, but adds no value (score 0)");
}

#[test]
fn fits_with_value_depends_on_status() {
    let wb = workbook(&["Q1"], vec![project("A", 10.0, 1, 3.0)]);
    let feasible = reasons(&wb, &vec![None], SolveStatus::Feasible, Objective::Score);
    assert!(feasible[0].contains("time limit"), "{}", feasible[0]);
    let optimal = reasons(&wb, &vec![None], SolveStatus::Optimal, Objective::Score);
    assert_eq!(
        optimal[0],
        "fits, but what it adds is within the optimality gap"
    );
}

#[test]
fn selected_reasons() {
    let mut wb = workbook(
        &["Q1", "Q2"],
        vec![
            project("M", 10.0, 1, 1.0),
            project("I", 40.0, 4, 1.0),
            project("R", 10.0, 1, 1.0),
            project("S", 10.0, 1, 1.0),
            project("N", 10.0, 1, 1.0),
        ],
    );
    wb.projects[0].status = Status::Mandatory;
    wb.projects[1].status = Status::InProgress;
    wb.projects[1].latest = 0;
    wb.projects[2].requires = vec![3];
    wb.projects[4].after = vec![0];
    let starts = vec![Some(0), Some(0), Some(0), Some(0), Some(1)];
    let got = reasons(&wb, &starts, SolveStatus::Optimal, Objective::Score);
    assert_eq!(got[0], "mandatory; needed by N");
    assert_eq!(
        got[1],
        "in progress; runs past the horizon (20 of its 40 cost falls inside it)"
    );
    assert_eq!(got[2], "selected");
    assert_eq!(got[3], "needed by R");
    assert_eq!(got[4], "selected");
}

#[test]
fn infeasible_points_to_the_diagnosis() {
    let mut wb = workbook(
        &["Q1"],
        vec![project("M", 10.0, 1, 1.0), project("X", 10.0, 1, 1.0)],
    );
    wb.projects[0].status = Status::Mandatory;
    wb.projects[1].status = Status::Excluded;
    let got = reasons(
        &wb,
        &vec![None, None],
        SolveStatus::Infeasible,
        Objective::Score,
    );
    assert_eq!(
        got[0],
        "mandatory, but no feasible portfolio exists; see the diagnosis"
    );
    assert_eq!(got[1], "excluded");
}
