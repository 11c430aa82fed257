//! The resolution of scenarios.csv, driven through a whole workbook read from a temporary
//! folder: keys, names, values and what each scenario does to the workbook.

use crate::error::Error;
use crate::io::ReadOptions;
use crate::model::{Arith, ChangeKind, ProjectOp};
use crate::resolve::testing::read_dir;
use crate::resolve::Loaded;

const PROJECTS: &str = "id,cost,duration,category,growth,risk\nP-1,100,2,ops,3,1\nP-2,50,1,,1,2\n";
const BUDGET: &str = "period,amount\nQ1,100\nQ2,100\nQ3,100\nQ4,100\n";
const CAPACITY: &str = "pool,Q1,Q2,Q3,Q4\ndev,2,2,2,2\nqa,1,1,1,1\n";
const DRIVERS: &str = "driver,weight\ngrowth,3\nrisk,1\n";

fn read(scenarios: &str) -> Result<Loaded, Error> {
    let dir = tempfile::tempdir().unwrap();
    for (name, text) in [
        ("projects.csv", PROJECTS),
        ("budget.csv", BUDGET),
        ("capacity.csv", CAPACITY),
        ("drivers.csv", DRIVERS),
        ("scenarios.csv", scenarios),
    ] {
        std::fs::write(dir.path().join(name), text).unwrap();
    }
    read_dir(dir.path(), &ReadOptions::default())
}

fn errors(scenarios: &str) -> Vec<(String, Option<usize>)> {
    match read(scenarios) {
        Err(Error::Invalid(list)) => list
            .into_iter()
            .map(|d| (d.code.to_string(), d.line))
            .collect(),
        other => panic!("expected errors, got {other:?}"),
    }
}

#[test]
fn keys_resolve_to_pools_periods_categories_drivers_and_projects() {
    let loaded = read(
        "scenario,target,key,op,value\n\
         a,capacity,dev@Q2..,scale,0.7\n\
         a,capacity,*@..Q2,add,1\n\
         a,capacity,qa,set,0\n\
         a,budget,Q3,add,-20\n\
         a,budget,ops@*,set,50\n\
         b,budget,Q2..Q3,scale,0.5\n\
         b,weight,Risk,set,3\n\
         b,project,P-2,Include,\n\
         b,project,P-1,set_duration,1\n\
         b,project,P-1,latest-start,Q2\n",
    )
    .unwrap();
    assert!(loaded.warnings.is_empty(), "{:?}", loaded.warnings);
    let s = &loaded.scenarios;
    assert_eq!(s.len(), 2);
    assert_eq!((s[0].name.as_str(), s[0].line, s[1].line), ("a", 2, 7));
    let kinds: Vec<&ChangeKind> = s.iter().flat_map(|s| &s.changes).map(|c| &c.kind).collect();
    assert_eq!(
        kinds[0],
        &ChangeKind::Capacity {
            pool: Some(0),
            from: 1,
            to: 3,
            op: Arith::Scale,
            value: 0.7
        }
    );
    assert_eq!(
        kinds[1],
        &ChangeKind::Capacity {
            pool: None,
            from: 0,
            to: 1,
            op: Arith::Add,
            value: 1.0
        }
    );
    assert_eq!(
        kinds[2],
        &ChangeKind::Capacity {
            pool: Some(1),
            from: 0,
            to: 3,
            op: Arith::Set,
            value: 0.0
        }
    );
    assert_eq!(
        kinds[3],
        &ChangeKind::Budget {
            category: None,
            from: 2,
            to: 2,
            op: Arith::Add,
            value: -20.0
        }
    );
    assert_eq!(
        kinds[4],
        &ChangeKind::Budget {
            category: Some(0),
            from: 0,
            to: 3,
            op: Arith::Set,
            value: 50.0
        }
    );
    assert_eq!(
        kinds[5],
        &ChangeKind::Budget {
            category: None,
            from: 1,
            to: 2,
            op: Arith::Scale,
            value: 0.5
        }
    );
    assert_eq!(
        kinds[6],
        &ChangeKind::Weight {
            driver: 1,
            op: Arith::Set,
            value: 3.0
        }
    );
    assert_eq!(
        kinds[7],
        &ChangeKind::Project {
            project: 1,
            op: ProjectOp::Include
        }
    );
    assert_eq!(
        kinds[8],
        &ChangeKind::Project {
            project: 0,
            op: ProjectOp::SetDuration(1)
        }
    );
    assert_eq!(
        kinds[9],
        &ChangeKind::Project {
            project: 0,
            op: ProjectOp::LatestStart(1)
        }
    );
}

#[test]
fn every_problem_is_reported_with_its_line() {
    let found = errors(
        "scenario,target,key,op,value\n\
         a,capacity,design,scale,0.7\n\
         a,capacity,dev@Q9,scale,0.7\n\
         a,budget,Q3..Q1,scale,0.7\n\
         a,budget,nowhere,scale,0.7\n\
         a,capacity,dev,scale,-1\n\
         a,capacity,dev,scale,lots\n\
         a,project,P-1,set-duration,1.5\n\
         a,project,P-9,exclude,\n\
         a,project,P-1,earliest-start,Q7\n\
         a,weight,growth,scale,\n\
         ,budget,*,scale,1\n\
         Base,budget,*,scale,1\n\
         a,project,P-1,grow,\n",
    );
    let expected = [
        ("E031", 2),
        ("E016", 3),
        ("E016", 4),
        ("E016", 5),
        ("E011", 6),
        ("E010", 7),
        ("E012", 8),
        ("E017", 9),
        ("E016", 10),
        ("E009", 11),
        ("E009", 12),
        ("E037", 13),
        ("E034", 14),
    ];
    let mut found: Vec<(String, usize)> = found
        .into_iter()
        .map(|(c, l)| (c, l.unwrap_or(0)))
        .collect();
    found.sort_by_key(|(_, l)| *l);
    let expected: Vec<(String, usize)> =
        expected.iter().map(|(c, l)| (c.to_string(), *l)).collect();
    assert_eq!(found, expected);
}

#[test]
fn a_missing_value_column_is_reported_for_changes_that_need_one() {
    let found = errors("scenario,target,key,op\na,project,P-1,exclude\na,budget,*,scale\n");
    assert_eq!(found, [("E006".to_string(), Some(3))]);
}
