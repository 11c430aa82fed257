//! Tests of the report rows, the JSON and the renderers on tiny hand-built workbooks.

use super::testkit::{project, workbook};
use super::*;
use crate::io::output::csv_bytes;
use crate::model::{Demand, Driver, Status, WeightSource, Workbook};
use crate::solve::{Diagnosis, Finding, Solution, SolveOptions, SolveStatus};

fn solved(starts: Vec<Option<usize>>, objective: f64) -> Solution {
    Solution {
        status: SolveStatus::Optimal,
        shares: vec![1.0; starts.len()],
        stopped_by: None,
        starts,
        objective: Some(objective),
        bound: Some(objective),
        gap: Some(0.0),
        seconds: 0.25,
        encode_seconds: 0.0,
        tie_break_seconds: 0.0,
        allocation_seconds: 0.0,
        diagnosis: None,
        lp: None,
        allocation: Vec::new(),
        allocation_quality: None,
    }
}

/// Three quarters, a data pool, a Growth and a Run category with budgets.
fn sample() -> Workbook {
    let mut wb = workbook(
        &["2027-Q1", "2027-Q2", "2027-Q3"],
        vec![
            project("P-1", 90_000.0, 3, 10.0),
            project("P-2", 40_000.0, 1, 30.0),
            project("P-3", 50_000.0, 2, 30.0),
            project("P-4", 200_000.0, 1, 50.0),
            project("P-5", 10_000.0, 1, 0.0),
        ],
    );
    wb.pools = vec!["data".into(), "dev".into()];
    wb.capacity = vec![vec![2.0, 2.0, 0.0], vec![0.0, 0.0, 0.0]];
    wb.categories = vec!["Growth".into(), "Run".into()];
    wb.projects[0].category = Some(1);
    wb.projects[1].category = Some(0);
    wb.projects[3].category = Some(0);
    wb.projects[0].name = "Data platform".into();
    wb.projects[0].demand = vec![Demand {
        pool: 0,
        fte: vec![1.0, 0.5, 0.0],
    }];
    wb.projects[2].demand = vec![Demand {
        pool: 0,
        fte: vec![1.0, 1.0],
    }];
    wb.budget_total = vec![Some(100_000.0), Some(100_000.0), Some(80_000.0)];
    wb.budget_category
        .insert(1, vec![Some(30_000.0), None, None]);
    wb
}

/// P-1 from Q1, P-2 in Q2, P-3 from Q1; P-4 and P-5 out.
fn sample_starts() -> Vec<Option<usize>> {
    vec![Some(0), Some(1), Some(0), None, None]
}

fn sample_report() -> Report {
    build(
        &sample(),
        &solved(sample_starts(), 70.0),
        &SolveOptions::default(),
    )
}

#[test]
fn portfolio_is_ranked_selected_first_then_by_score_then_by_id() {
    let report = sample_report();
    let order: Vec<(usize, &str, bool)> = report
        .portfolio
        .iter()
        .map(|r| (r.rank, r.id.as_str(), r.selected))
        .collect();
    // Selected: P-2 and P-3 tie at 30 (by id), then P-1 at 10; out: P-4 (50), P-5 (0).
    assert_eq!(
        order,
        [
            (1, "P-2", true),
            (2, "P-3", true),
            (3, "P-1", true),
            (4, "P-4", false),
            (5, "P-5", false),
        ]
    );
}

#[test]
fn portfolio_rows_carry_periods_costs_categories_and_reasons() {
    let report = sample_report();
    let p1 = &report.portfolio[2];
    assert_eq!(p1.start.as_deref(), Some("2027-Q1"));
    assert_eq!(p1.end.as_deref(), Some("2027-Q3"));
    assert_eq!(p1.cost, 90_000.0);
    assert_eq!(p1.category.as_deref(), Some("Run"));
    assert_eq!(p1.reason, "selected");
    let p4 = &report.portfolio[3];
    assert_eq!((p4.start.as_deref(), p4.end.as_deref()), (None, None));
    assert_eq!(
        p4.reason,
        "budget of 2027-Q3: needs 200,000, 50,000 left (best start 2027-Q3)"
    );
    let p5 = &report.portfolio[4];
    assert_eq!(p5.category, None);
    assert_eq!(p5.reason, "fits, but adds no value (score 0)");
}

#[test]
fn in_progress_past_the_horizon_ends_in_the_last_period() {
    let mut wb = workbook(&["Q1", "Q2"], vec![project("I", 40.0, 4, 1.0)]);
    wb.projects[0].status = Status::InProgress;
    let report = build(&wb, &solved(vec![Some(0)], 1.0), &SolveOptions::default());
    let row = &report.portfolio[0];
    assert_eq!(row.end.as_deref(), Some("Q2"));
    assert_eq!(row.cost, 40.0, "the project's cost");
    assert!(
        row.reason.contains("runs past the horizon"),
        "{}",
        row.reason
    );
    assert_eq!(report.summary.total_cost, 20.0, "only inside the horizon");
}

#[test]
fn allocation_is_every_nonzero_load_by_period_pool_project() {
    let report = sample_report();
    let rows: Vec<(&str, &str, &str, f64)> = report
        .allocation
        .iter()
        .map(|r| {
            (
                r.period.as_str(),
                r.pool.as_str(),
                r.project.as_str(),
                r.fte,
            )
        })
        .collect();
    assert_eq!(
        rows,
        [
            ("2027-Q1", "data", "P-1", 1.0),
            ("2027-Q1", "data", "P-3", 1.0),
            ("2027-Q2", "data", "P-1", 0.5),
            ("2027-Q2", "data", "P-3", 1.0),
        ]
    );
}

#[test]
fn utilisation_is_every_pool_in_every_period() {
    let report = sample_report();
    let text = String::from_utf8(csv_bytes(
        &UTILISATION_HEADER,
        &utilisation_records(&report),
    ))
    .unwrap();
    assert_eq!(
        text,
        "period,pool,capacity,allocated,utilisation\n\
         2027-Q1,data,2,2,1\n\
         2027-Q1,dev,0,0,0\n\
         2027-Q2,data,2,1.5,0.75\n\
         2027-Q2,dev,0,0,0\n\
         2027-Q3,data,0,0,0\n\
         2027-Q3,dev,0,0,0\n"
    );
}

#[test]
fn spend_has_a_total_row_then_categories_by_name() {
    let report = sample_report();
    let text = String::from_utf8(csv_bytes(&SPEND_HEADER, &spend_records(&report))).unwrap();
    // P-1: 30,000 a quarter (Run); P-2: 40,000 in Q2 (Growth); P-3: 25,000 in Q1 and Q2.
    assert_eq!(
        text,
        "period,category,budget,spent,inflow,carried_in\n\
         2027-Q1,,100000,55000,0,0\n\
         2027-Q1,Growth,,0,0,0\n\
         2027-Q1,Run,30000,30000,0,0\n\
         2027-Q2,,100000,95000,0,0\n\
         2027-Q2,Growth,,40000,0,0\n\
         2027-Q2,Run,,30000,0,0\n\
         2027-Q3,,80000,30000,0,0\n\
         2027-Q3,Growth,,0,0,0\n\
         2027-Q3,Run,,30000,0,0\n"
    );
}

#[test]
fn summary_json_has_the_contract_keys_in_order_then_extras() {
    let report = sample_report();
    let json = render_summary_json(&report);
    let value: serde_json::Value = serde_json::from_str(&json).unwrap();
    let keys: Vec<&str> = value
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    // serde_json's map is sorted; check the order in the text itself.
    let mut positions: Vec<(usize, &str)> = keys
        .iter()
        .map(|k| (json.find(&format!("\"{k}\":")).unwrap(), *k))
        .collect();
    positions.sort();
    let order: Vec<&str> = positions.into_iter().map(|(_, k)| k).collect();
    assert_eq!(
        order,
        [
            "schema",
            "status",
            "objective",
            "bound",
            "gap",
            "selected",
            "total_cost",
            "seconds",
            "stopped_by",
            "count",
            "objective_kind",
            "discount",
        ]
    );
    assert_eq!(
        value["stopped_by"],
        serde_json::Value::Null,
        "ran to its end"
    );
    assert_eq!(value["schema"], 1);
    assert_eq!(value["status"], "optimal");
    assert_eq!(value["objective"], 70);
    assert_eq!(value["gap"], 0);
    assert_eq!(
        value["selected"],
        serde_json::json!([
            {"id": "P-1", "start": "2027-Q1"},
            {"id": "P-2", "start": "2027-Q2"},
            {"id": "P-3", "start": "2027-Q1"},
        ])
    );
    assert_eq!(value["total_cost"], 180000);
    assert_eq!(value["seconds"], 0.25);
    assert_eq!(value["count"], 3);
    assert_eq!(value["objective_kind"], "value");
    assert!(json.ends_with("}\n"));
}

#[test]
fn infeasible_summary_has_nulls_no_selection_and_the_diagnosis() {
    let wb = sample();
    let solution = Solution {
        stopped_by: None,
        status: SolveStatus::Infeasible,
        starts: vec![None; 5],
        shares: vec![1.0; 5],
        objective: None,
        bound: None,
        gap: None,
        seconds: 0.5,
        encode_seconds: 0.0,
        tie_break_seconds: 0.0,
        allocation_seconds: 0.0,
        lp: None,
        allocation: Vec::new(),
        allocation_quality: None,
        diagnosis: Some(Diagnosis {
            findings: vec![Finding {
                message: "budget of 2027-Q1 is over by 20,000".into(),
                over_by: Some(20_000.0),
            }],
            ..Diagnosis::default()
        }),
    };
    let report = build(&wb, &solution, &SolveOptions::default());
    let value: serde_json::Value = serde_json::from_str(&render_summary_json(&report)).unwrap();
    assert_eq!(value["status"], "infeasible");
    assert!(value["objective"].is_null());
    assert!(value["bound"].is_null());
    assert!(value["gap"].is_null());
    assert_eq!(value["selected"], serde_json::json!([]));
    assert_eq!(value["total_cost"], 0);
    assert_eq!(value["count"], 0);
    assert_eq!(
        value["diagnosis"],
        serde_json::json!(["budget of 2027-Q1 is over by 20,000"])
    );
    assert!(report.portfolio.iter().all(|r| !r.selected));
    let table = render_table(&report);
    assert!(table.starts_with("infeasible"), "{table}");
    assert!(
        table.contains("  - budget of 2027-Q1 is over by 20,000"),
        "{table}"
    );
}

#[test]
fn summary_lists_weights_and_consistency_ratio_when_drivers_exist() {
    let mut wb = sample();
    wb.drivers = vec![
        Driver {
            name: "strategy".into(),
            weight: 0.75,
        },
        Driver {
            name: "risk".into(),
            weight: 0.25,
        },
    ];
    wb.weight_source = WeightSource::Pairwise {
        consistency_ratio: 0.0421,
        lambda_max: 2.0,
        worst: None,
    };
    for project in &mut wb.projects {
        project.scores = vec![4.0, 8.0];
    }
    let report = build(
        &wb,
        &solved(sample_starts(), 15.0),
        &SolveOptions::default(),
    );
    let value: serde_json::Value = serde_json::from_str(&render_summary_json(&report)).unwrap();
    assert_eq!(value["objective_kind"], "score");
    assert_eq!(
        value["weights"],
        serde_json::json!([
            {"driver": "strategy", "weight": 0.75},
            {"driver": "risk", "weight": 0.25},
        ])
    );
    assert_eq!(value["consistency_ratio"], 0.0421);
    assert!(value.get("diagnosis").is_none());
    assert_eq!(report.portfolio[0].score, 5.0);
}

#[test]
fn render_json_is_the_summary_then_the_portfolio() {
    let report = sample_report();
    let json = render_json(&report);
    let value: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(value["status"], "optimal");
    let rows = value["portfolio"].as_array().unwrap();
    assert_eq!(rows.len(), 5);
    assert_eq!(rows[0]["id"], "P-2");
    assert_eq!(rows[3]["start"], serde_json::Value::Null);
    assert!(json.find("\"seconds\"").unwrap() < json.find("\"portfolio\"").unwrap());
}

#[test]
fn output_files_are_the_contract_files_with_their_headers() {
    let report = sample_report();
    let files = output_files(&report);
    let names: Vec<&str> = files.iter().map(|(name, _)| *name).collect();
    assert_eq!(
        names,
        [
            "summary.json",
            "portfolio.csv",
            "allocation.csv",
            "utilisation.csv",
            "spend.csv"
        ]
    );
    let first_line = |bytes: &Vec<u8>| {
        String::from_utf8(bytes.clone())
            .unwrap()
            .lines()
            .next()
            .unwrap()
            .to_string()
    };
    assert_eq!(
        first_line(&files[1].1),
        "rank,id,name,selected,start,end,score,cost,category,reason,criticality,regret,extra_budget,extra_fte"
    );
    assert_eq!(first_line(&files[2].1), "period,pool,project,fte");
    assert_eq!(
        first_line(&files[3].1),
        "period,pool,capacity,allocated,utilisation"
    );
    assert_eq!(
        first_line(&files[4].1),
        "period,category,budget,spent,inflow,carried_in"
    );
    assert_eq!(files[1].1, render_csv(&report).into_bytes());
    // Deterministic bytes.
    assert_eq!(files, output_files(&sample_report()));
}

#[test]
fn portfolio_csv_rows() {
    let text = render_csv(&sample_report());
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(
        lines[1],
        "1,P-2,P-2,true,2027-Q2,2027-Q2,30,40000,Growth,selected,,,,"
    );
    assert_eq!(
        lines[3],
        "3,P-1,Data platform,true,2027-Q1,2027-Q3,10,90000,Run,selected,,,,"
    );
    assert_eq!(
        lines[4],
        "4,P-4,P-4,false,,,50,200000,Growth,\"budget of 2027-Q3: needs 200,000, 50,000 left (best start 2027-Q3)\",,,,"
    );
}

#[test]
fn table_has_a_headline_and_cuts_long_names() {
    let mut wb = sample();
    wb.projects[1].name = "A very long project name that goes on and on and on".into();
    let report = build(
        &wb,
        &solved(sample_starts(), 70.0),
        &SolveOptions::default(),
    );
    let table = render_table(&report);
    let mut lines = table.lines();
    assert_eq!(
        lines.next().unwrap(),
        "optimal: objective 70, bound 70 (gap 0%), cost 180,000, 3 of 5 project(s) selected"
    );
    assert!(
        table.contains("A very long project name that g…"),
        "{table}"
    );
    assert!(table.contains("2027-Q1..2027-Q3"), "{table}");
    assert!(table.lines().all(|l| l == l.trim_end()));

    let narrow = render_table_width(&report, 90);
    assert!(narrow.contains("A very long…"), "{narrow}");
    for line in narrow.lines().skip(2) {
        assert!(line.chars().count() <= 90, "{line}");
    }
}
