//! The capital-budgeting rules on tiny workbooks whose optimum is derived by hand in their
//! `EXPECTED.md` (fixtures/tiny/carry, returns, requires_any, limits, partial): the optimum,
//! and what spend.csv, portfolio.csv and the reasons say of each rule.

#[path = "common/plan.rs"]
mod common;

use common::{fixture, plan, Run};

/// Plan `tiny/<name>`: exit 0, status optimal, the objective; the run.
fn optimum(name: &str, objective: f64) -> Run {
    let run = plan(&fixture(&format!("tiny/{name}")), &[]);
    assert_eq!(run.code, 0, "{name}\n{}", run.context());
    let summary = run.summary();
    assert_eq!(summary["status"], "optimal", "{name}: {summary}");
    let got = summary["objective"].as_f64().expect("objective");
    assert!(
        (got - objective).abs() < 1e-6,
        "{name}: {got}, expected {objective}"
    );
    run
}

/// `(id, start)` of the selected projects of `run`, by id.
fn selected(run: &Run) -> Vec<(String, String)> {
    common::selected(&run.summary())
}

fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
    list.iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect()
}

/// The portfolio.csv row of `id`, by header name.
fn row(run: &Run, id: &str) -> std::collections::BTreeMap<String, String> {
    let rows = run.portfolio();
    let header = &rows[0];
    let line = rows
        .iter()
        .find(|r| r.get(1).map(String::as_str) == Some(id))
        .unwrap_or_else(|| panic!("no row for {id}"));
    header.iter().cloned().zip(line.iter().cloned()).collect()
}

#[test]
fn carry_over_lets_a_later_project_use_an_earlier_budget() {
    let run = optimum("carry", 10.0);
    assert_eq!(selected(&run), pairs(&[("A", "2027-Q2")]));
    let spend = run.file("spend.csv");
    assert!(spend.starts_with("period,category,budget,spent,inflow,carried_in\n"));
    assert!(spend.contains("2027-Q2,,50,120,0,100\n"), "{spend}");
    assert!(
        row(&run, "B")["reason"].starts_with("budget of 2027-Q1 with carry-over into 2027-Q2"),
        "{:?}",
        row(&run, "B")
    );
}

#[test]
fn a_return_frees_the_budget_of_its_period() {
    let run = optimum("returns", 11.0);
    assert_eq!(selected(&run), pairs(&[("R", "2027-Q1"), ("S", "2027-Q2")]));
    let spend = run.file("spend.csv");
    assert!(spend.contains("2027-Q2,,100,90,50,0\n"), "{spend}");
}

#[test]
fn either_or_prerequisite() {
    let run = optimum("requires_any", 11.0);
    assert_eq!(selected(&run), pairs(&[("B", "2027-Q1"), ("C", "2027-Q1")]));
    assert!(row(&run, "B")["reason"].contains("the one alternative selected for C"));
}

#[test]
fn count_limits_by_category_and_by_start_period() {
    let run = optimum("limits", 10.0);
    let chosen = selected(&run);
    let ids: Vec<&str> = chosen.iter().map(|(id, _)| id.as_str()).collect();
    assert_eq!(ids, ["A", "B", "D"]);
    let first: Vec<&(String, String)> = chosen.iter().filter(|(_, s)| s == "2027-Q1").collect();
    assert_eq!(first.len(), 1, "one start in 2027-Q1: {chosen:?}");
    assert!(
        row(&run, "C")["reason"]
            .starts_with("the limit of at most 2 'IT' projects is reached by A and B"),
        "{:?}",
        row(&run, "C")
    );
}

#[test]
fn partial_funding_takes_the_share_that_fits() {
    let run = optimum("partial", 55.0);
    assert_eq!(selected(&run), pairs(&[("A", "2027-Q1"), ("B", "2027-Q1")]));
    let b = row(&run, "B");
    assert_eq!(b["share"], "0.333333");
    assert_eq!(b["cost"], "20");
    assert!(
        b["reason"].starts_with("funded at 33.3% (at least 25%)"),
        "{b:?}"
    );
    let share = run.summary()["selected"]
        .as_array()
        .expect("selected")
        .iter()
        .find(|s| s["id"] == "B")
        .and_then(|s| s["share"].as_f64())
        .expect("B's share in summary.json");
    assert!((share - 1.0 / 3.0).abs() < 1e-9);
    assert_eq!(row(&run, "A")["share"], "1");
}
