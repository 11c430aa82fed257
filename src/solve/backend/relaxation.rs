//! The LP relaxation of an encoded model (every binary relaxed to [0, 1]): its objective
//! bounds the optimum, its shadow prices weigh the heuristics' densities, and its values and
//! reduced costs pick the core models' free columns.

use highs::HighsModelStatus;

use crate::solve::encode::Encoded;

/// The LP relaxation of a model (every binary relaxed to [0, 1]) at its optimum.
pub(crate) struct Relaxation {
    /// Column values.
    pub values: Vec<f64>,
    /// Magnitude of each column's reduced cost: how much the objective would lose per unit
    /// of moving the column off its bound.
    pub reduced: Vec<f64>,
    /// Shadow price of each row (non-negative, 0 where the row is slack).
    pub prices: Vec<f64>,
    /// The optimal objective: no portfolio is worth more.
    pub objective: f64,
}

/// Solve the LP relaxation of `encoded`. Its shadow prices tell the heuristics which budgets
/// and capacities are scarce and by how much, which a plain ratio to the limit does not;
/// its values and reduced costs pick the core of the model (see
/// [`core_start`](super::cores::core_start)). `None` when the LP does not solve to optimality
/// within `time_limit`.
pub(crate) fn lp_relaxation(encoded: &Encoded, time_limit: Option<f64>) -> Option<Relaxation> {
    if encoded.columns.is_empty() {
        return None;
    }
    let mut problem = highs::RowProblem::default();
    let mut cols: Vec<highs::Col> = encoded
        .objective
        .iter()
        .map(|&c| problem.add_column(c, 0.0..=1.0))
        .collect();
    for _ in &encoded.flows {
        cols.push(problem.add_column(0.0, 0.0..));
    }
    // HiGHS row of each encoded row (an empty or free row is not passed).
    let mut index = Vec::with_capacity(encoded.rows.len());
    let mut count = 0;
    for row in &encoded.rows {
        let terms = row.terms.iter().map(|&(j, c)| (cols[j], c));
        let passed = match (row.lower.is_finite(), row.upper.is_finite()) {
            _ if row.terms.is_empty() => false,
            (true, true) => {
                problem.add_row(row.lower..=row.upper, terms);
                true
            }
            (true, false) => {
                problem.add_row(row.lower.., terms);
                true
            }
            (false, true) => {
                problem.add_row(..=row.upper, terms);
                true
            }
            (false, false) => false,
        };
        index.push(passed.then_some(count));
        count += usize::from(passed);
    }
    let mut model = problem.try_optimise(highs::Sense::Maximise).ok()?;
    if std::env::var_os("ARBITER_SOLVER_LOG").is_some() {
        model.try_set_option("output_flag", true).ok()?;
        model.try_set_option("log_to_console", true).ok()?;
    }
    model.try_set_option("threads", 1).ok()?;
    // The interior point method with crossover solves these LPs several times faster than
    // the simplex on large workbooks (7 s against more than 60 s at 5,000 projects), and
    // crossover gives the vertex solution the core model needs.
    model.try_set_option("solver", "ipm").ok()?;
    if let Some(limit) = time_limit {
        model.try_set_option("time_limit", limit.max(0.01)).ok()?;
    }
    let solved = model.try_solve().ok()?;
    if solved.status() != HighsModelStatus::Optimal {
        return None;
    }
    let solution = solved.get_solution();
    let duals = solution.dual_rows();
    // HiGHS's tolerances: the bound is widened by a hair so that it stays a bound.
    let objective = solved.objective_value();
    Some(Relaxation {
        objective: objective + 1e-7 * objective.abs().max(1.0),
        values: solution.columns().to_vec(),
        reduced: solution.dual_columns().iter().map(|d| d.abs()).collect(),
        prices: index
            .iter()
            .map(|i| i.and_then(|i| duals.get(i)).map_or(0.0, |d| d.abs()))
            .collect(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Objective;
    use crate::solve::backend::tests::{knapsack, model_of};
    use crate::solve::encode::Tag;
    use crate::solve::fixtures::{fixture, tiny_fixtures};
    use crate::solve::{solve, SolveOptions, SolveStatus};

    #[test]
    fn the_knapsack_relaxation_by_hand() {
        let encoded = model_of(&knapsack());
        let lp = lp_relaxation(&encoded, None).unwrap();
        // C and B whole, 10 of A's 80: 15 + 45 + 50/8, widened by a hair.
        assert!((lp.objective - 66.25).abs() < 1e-5, "{}", lp.objective);
        assert!(lp.objective >= 66.25);
        let want = [0.125, 1.0, 1.0];
        for (got, want) in lp.values.iter().zip(want) {
            assert!((got - want).abs() < 1e-7, "{:?}", lp.values);
        }
        // The budget is priced at A's ratio 50/80; B and C would lose 45 − 70 × 0.625 and
        // 15 − 20 × 0.625 per unit off their bound of 1; A, between its bounds, loses nothing.
        let budget = encoded
            .rows
            .iter()
            .position(|r| r.tag == Tag::Budget { period: 0 })
            .unwrap();
        assert!((lp.prices[budget] - 0.625).abs() < 1e-7, "{:?}", lp.prices);
        let want = [0.0, 1.25, 2.5];
        for (got, want) in lp.reduced.iter().zip(want) {
            assert!((got - want).abs() < 1e-7, "{:?}", lp.reduced);
        }
        assert_eq!(lp.prices.len(), encoded.rows.len());
    }

    /// The relaxation's objective bounds the MILP optimum on every feasible tiny fixture,
    /// with and without a discount.
    #[test]
    fn the_bound_is_at_least_the_milp_optimum() {
        for name in tiny_fixtures() {
            let wb = fixture(&format!("tiny/{name}"));
            for discount in [0.0, 0.1] {
                let options = SolveOptions {
                    discount,
                    gap: 0.0,
                    ..SolveOptions::default()
                };
                let plan = solve(&wb, &options).unwrap();
                if plan.status != SolveStatus::Optimal {
                    continue;
                }
                let encoded = Encoded::new(&wb, Objective::Score, discount);
                let Some(lp) = lp_relaxation(&encoded, None) else {
                    // Only a model without columns has no relaxation.
                    assert!(encoded.columns.is_empty(), "{name}");
                    continue;
                };
                let optimum = plan.objective.unwrap();
                assert!(
                    lp.objective >= optimum - 1e-9 * optimum.abs().max(1.0),
                    "{name} at {discount}: LP {} below the optimum {optimum}",
                    lp.objective
                );
                assert!(lp.prices.iter().all(|&p| p >= 0.0), "{name}");
            }
        }
    }

    #[test]
    fn a_model_without_columns_has_no_relaxation() {
        let mut wb = knapsack();
        wb.projects.clear();
        assert!(lp_relaxation(&model_of(&wb), None).is_none());
    }
}
