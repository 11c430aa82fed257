//! The test that holds each rule's two halves against each other: on every portfolio of a
//! small workbook (each project out or at any start its columns allow), the rule's rows
//! are satisfied exactly when its check finds nothing.

use super::{window, Encode, Encoding, Rule};
use crate::model::{Starts, Workbook};

/// Every portfolio over the model's columns.
fn portfolios(workbook: &Workbook) -> Vec<Starts> {
    let (columns, by_project) = window::columns(workbook);
    let mut all: Vec<Starts> = vec![Vec::new()];
    for cols in &by_project {
        let choices: Vec<Option<usize>> = std::iter::once(None)
            .chain(cols.iter().map(|&j| Some(columns[j].1)))
            .collect();
        all = all
            .into_iter()
            .flat_map(|partial| {
                choices.iter().map(move |&c| {
                    let mut next = partial.clone();
                    next.push(c);
                    next
                })
            })
            .collect();
    }
    all
}

/// Panics, naming the portfolio, where `rule`'s rows and its check disagree on
/// `workbook`. A rule that adds continuous variables (teams) is not for this test.
pub(crate) fn holds(workbook: &Workbook, rule: &Rule) {
    let (columns, by_project) = window::columns(workbook);
    let mut encoding = Encoding {
        workbook,
        columns: &columns,
        by_project: &by_project,
        shares: &[],
        amount: (0..columns.len()).collect(),
        rows: Vec::new(),
        flows: Vec::new(),
    };
    match rule.encode {
        Encode::Whole(write) => write(&mut encoding),
        Encode::Project(write) => {
            for p in 0..workbook.projects.len() {
                write(&mut encoding, p);
            }
        }
    }
    assert!(encoding.flows.is_empty(), "the rule adds flows");
    let rows = encoding.rows;
    let count = portfolios(workbook).len();
    assert!(
        count <= 100_000,
        "too many portfolios to enumerate: {count}"
    );
    for starts in portfolios(workbook) {
        let values: Vec<f64> = columns
            .iter()
            .map(|&(p, t)| if starts[p] == Some(t) { 1.0 } else { 0.0 })
            .collect();
        let rows_hold = rows.iter().all(|row| {
            let lhs: f64 = row.terms.iter().map(|&(j, c)| c * values[j]).sum();
            lhs >= row.lower - 1e-9 && lhs <= row.upper + 1e-9
        });
        let mut found = Vec::new();
        (rule.check)(workbook, &starts, &mut found);
        assert_eq!(
            rows_hold,
            found.is_empty(),
            "for the portfolio {starts:?} the rows {:?} say {} and the check says {:?}",
            rows.iter().map(|r| r.tag).collect::<Vec<_>>(),
            if rows_hold { "feasible" } else { "infeasible" },
            found.iter().map(|v| v.message.as_str()).collect::<Vec<_>>()
        );
    }
}
