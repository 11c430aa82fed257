//! The independent solution checker: given a workbook and a portfolio (a start period or
//! nothing per project), list every rule of the model (contract section 2) that the portfolio
//! breaks, and compute its objective.
//!
//! Each rule's check lives with its rule in [`crate::rules`], computed straight from the
//! [`Workbook`] and the starts and sharing no code with the MILP encoder, so that a bug in
//! the encoder cannot hide itself: every solution the solver returns passes through
//! [`check`] before anyone sees it, and the property tests compare both with a brute-force
//! oracle.
//!
//! A limit holds when it is over by at most `1e-6 × max(1, |limit|)` (the contract's
//! tolerance). Spend and demand are counted per period: a project started in period `s` spends
//! `cost_profile[τ − s]` and needs `fte[τ − s]` of each pool in every period `τ` it runs, as
//! long as `τ` lies inside the horizon (an in-progress project may run past it; that part is
//! not counted).

pub use crate::rules::share::check_shares;
pub use crate::rules::teams::check_allocation;
pub use crate::rules::{check, Tag, Violation};

use crate::model::{Objective, Starts, Workbook};
use crate::rules::selected;

/// Objective of a portfolio: Σ over selected projects of `workbook.score(p, objective)` ×
/// (1 + discount)^(−start). Entries for projects the workbook does not have are ignored.
pub fn objective(workbook: &Workbook, starts: &Starts, objective: Objective, discount: f64) -> f64 {
    selected(workbook, starts)
        .map(|(p, s)| {
            let factor = if discount == 0.0 {
                1.0
            } else {
                (1.0 + discount).powf(-(s as f64))
            };
            workbook.score(p, objective) * factor
        })
        .sum()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Driver, WeightSource};
    use crate::rules::testkit::workbook;

    #[test]
    fn objective_discounts_by_start() {
        let mut wb = workbook();
        wb.projects[0].value = 10.0;
        wb.projects[1].value = 21.0;
        let starts = vec![Some(0), Some(2), None];
        assert_eq!(objective(&wb, &starts, Objective::Score, 0.0), 31.0);
        let discounted = objective(&wb, &starts, Objective::Score, 0.1);
        assert!((discounted - (10.0 + 21.0 / 1.21)).abs() < 1e-12);
        assert_eq!(
            objective(&wb, &vec![None, None, None], Objective::Score, 0.1),
            0.0
        );
    }

    #[test]
    fn objective_uses_driver_scores_unless_value_is_forced() {
        let mut wb = workbook();
        wb.drivers = vec![
            Driver {
                name: "growth".into(),
                weight: 0.75,
            },
            Driver {
                name: "risk".into(),
                weight: 0.25,
            },
        ];
        wb.weight_source = WeightSource::Weights { total: 1.0 };
        for p in &mut wb.projects {
            p.scores = vec![4.0, 8.0];
        }
        let starts = vec![Some(0), None, Some(1)];
        assert_eq!(objective(&wb, &starts, Objective::Score, 0.0), 10.0);
        assert_eq!(objective(&wb, &starts, Objective::Value, 0.0), 20.0);
    }
}
