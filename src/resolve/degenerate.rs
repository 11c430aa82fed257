//! Workbooks that are valid but cannot select anything, said first and plainly: every
//! project excluded, or a budget of 0 in every period while projects cost money. Warnings
//! (the plan is still made and says "0 of N selected"); without them the only clue would
//! be the same reason repeated on every row of the portfolio.

use crate::diag::{codes, Diags, Loc};
use crate::model::{Status, Workbook};

/// Warn about `wb` when it cannot select any project.
pub(super) fn warn(wb: &Workbook, diags: &mut Diags) {
    let projects = &wb.projects;
    if !projects.is_empty() && projects.iter().all(|p| p.status == Status::Excluded) {
        diags.add(
            codes::ALL_EXCLUDED,
            Loc::file("projects.csv"),
            None,
            format!(
                "every project of projects.csv ({}) is excluded: the plan can select nothing",
                projects.len()
            ),
            "set status to candidate (or leave it empty) for the projects to consider",
        );
        return;
    }
    let costly = projects
        .iter()
        .any(|p| p.status != Status::Excluded && p.cost > 0.0);
    let zero =
        !wb.budget_total.is_empty() && wb.budget_total.iter().all(|b| b.is_some_and(|b| b <= 0.0));
    if costly && zero {
        diags.add(
            codes::ZERO_BUDGET,
            Loc::file("budget.csv"),
            None,
            "budget.csv gives a budget of 0 in every period: only projects that cost nothing can be selected",
            "enter each period's budget in budget.csv, or delete budget.csv to plan on staff capacity alone",
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::diag::codes;
    use crate::resolve::testing::{codes_of, diagnostics};

    #[test]
    fn nothing_selectable_is_one_warning() {
        let all_excluded = diagnostics(&[
            (
                "projects.csv",
                "id,cost,status\nA,10,excluded\nB,5,excluded\n",
            ),
            ("budget.csv", "period,amount\nQ1,0\n"),
        ]);
        assert_eq!(codes_of(&all_excluded), [codes::ALL_EXCLUDED]);
        let zero = diagnostics(&[
            ("projects.csv", "id,cost\nA,10\nB,0\n"),
            ("budget.csv", "period,amount\nQ1,0\nQ2,0\n"),
        ]);
        assert_eq!(codes_of(&zero), [codes::ZERO_BUDGET]);
        let some = diagnostics(&[
            ("projects.csv", "id,cost\nA,10\n"),
            ("budget.csv", "period,amount\nQ1,0\nQ2,10\n"),
        ]);
        assert!(codes_of(&some).is_empty());
    }
}
