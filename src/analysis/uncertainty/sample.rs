//! Drawing one sample of an uncertainty run: every project's cost and value from its
//! three-point range, and the workbook they make.
//!
//! Each uncertain quantity follows a **PERT** distribution on (low, likely, high): a Beta
//! with α = 1 + 4(m − a)/(b − a), β = 1 + 4(b − m)/(b − a), scaled to [a, b]; its mean is
//! (a + 4m + b)/6. PERT rather than triangular because it is what three-point estimates
//! mean in project management (the PERT/Beta convention), it puts less weight on the tails
//! than a triangle of the same range, and its mean stays close to the most likely value
//! that the PMO wrote. A zero-width range (low = likely = high, the default when the range
//! columns are empty) is not drawn: that number stays fixed.
//!
//! - **Cost.** The drawn cost replaces `cost`, and the spend profile (`costs.csv` or the
//!   even spread) is scaled by drawn / likely, so that a project that overruns overruns in
//!   every period of its profile alike. Staff demand is not drawn.
//! - **Value.** The drawn value replaces `value`; with drivers (the weighted score is the
//!   objective) the project's driver scores, and so its score, are scaled by
//!   drawn value / likely value (a value of 0 has no range and is left alone). A value
//!   range is thus read as "this project's benefit may be x % lower or higher", whatever
//!   the objective counts.
//!
//! Sample `i` draws from a ChaCha8 generator seeded with the run's seed and set to stream
//! `i`, projects in workbook order, cost before value: the draws of a sample do not depend
//! on how many workers run or in which order, so the results are the same whatever `--jobs`.

use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use rand_distr::{Distribution, Pert};

use crate::model::Workbook;

/// The drawn numbers of one sample, per project.
#[derive(Debug, Clone, PartialEq)]
pub struct Draw {
    pub cost: Vec<f64>,
    pub value: Vec<f64>,
}

/// One uncertain number: fixed when its range has no width.
fn pert(low: f64, likely: f64, high: f64) -> Option<Pert<f64>> {
    if high - low <= 0.0 {
        return None;
    }
    Pert::new(low, high).with_mode(likely).ok()
}

/// The generator of sample `sample` of a run seeded with `seed`.
fn rng(seed: u64, sample: usize) -> ChaCha8Rng {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    rng.set_stream(sample as u64);
    rng
}

/// The cost and value of every project in sample `sample` of the run seeded with `seed`.
pub fn draw(workbook: &Workbook, seed: u64, sample: usize) -> Draw {
    let mut rng = rng(seed, sample);
    let mut out = Draw {
        cost: Vec::with_capacity(workbook.projects.len()),
        value: Vec::with_capacity(workbook.projects.len()),
    };
    for p in &workbook.projects {
        let cost = pert(p.cost_low, p.cost, p.cost_high).map_or(p.cost, |d| d.sample(&mut rng));
        let value =
            pert(p.value_low, p.value, p.value_high).map_or(p.value, |d| d.sample(&mut rng));
        out.cost.push(cost);
        out.value.push(value);
    }
    out
}

/// `workbook` with the drawn costs and values (see the module doc for how they apply).
pub fn sampled(workbook: &Workbook, draw: &Draw) -> Workbook {
    let mut wb = workbook.clone();
    for (p, project) in wb.projects.iter_mut().enumerate() {
        let cost = draw.cost[p];
        if project.cost > 0.0 && cost != project.cost {
            let factor = cost / project.cost;
            project.cost_profile.iter_mut().for_each(|c| *c *= factor);
            project.cost = cost;
        }
        let value = draw.value[p];
        if project.value > 0.0 && value != project.value {
            let factor = value / project.value;
            project.scores.iter_mut().for_each(|s| *s *= factor);
            project.value = value;
        }
    }
    wb
}

#[cfg(test)]
mod tests {
    use super::super::ranged;
    use super::*;

    #[test]
    fn pert_draws_stay_in_range_and_have_the_pert_mean() {
        let wb = Workbook {
            periods: vec!["Q1".into()],
            projects: vec![ranged("A", (80.0, 100.0, 160.0), (10.0, 20.0, 24.0))],
            budget_total: vec![Some(1000.0)],
            ..Workbook::default()
        };
        let n = 20_000;
        let (mut cost_sum, mut value_sum) = (0.0, 0.0);
        for i in 0..n {
            let d = draw(&wb, 7, i);
            assert!((80.0..=160.0).contains(&d.cost[0]), "{}", d.cost[0]);
            assert!((10.0..=24.0).contains(&d.value[0]), "{}", d.value[0]);
            cost_sum += d.cost[0];
            value_sum += d.value[0];
        }
        // PERT mean (a + 4m + b) / 6: 106.667 and 19.
        let cost_mean = cost_sum / n as f64;
        let value_mean = value_sum / n as f64;
        assert!((cost_mean - 640.0 / 6.0).abs() < 0.5, "{cost_mean}");
        assert!((value_mean - 19.0).abs() < 0.1, "{value_mean}");
    }

    #[test]
    fn draws_depend_only_on_seed_and_sample() {
        let wb = Workbook {
            periods: vec!["Q1".into()],
            projects: vec![
                ranged("A", (80.0, 100.0, 160.0), (10.0, 20.0, 24.0)),
                ranged("B", (5.0, 5.0, 5.0), (1.0, 2.0, 3.0)),
            ],
            budget_total: vec![Some(1000.0)],
            ..Workbook::default()
        };
        // Out of order and repeated: the same sample gives the same draw.
        assert_eq!(draw(&wb, 3, 17), draw(&wb, 3, 17));
        let forward: Vec<Draw> = (0..5).map(|i| draw(&wb, 3, i)).collect();
        let backward: Vec<Draw> = (0..5).rev().map(|i| draw(&wb, 3, i)).collect();
        assert!(forward.iter().eq(backward.iter().rev()));
        assert_ne!(draw(&wb, 3, 0), draw(&wb, 3, 1));
        assert_ne!(draw(&wb, 3, 0), draw(&wb, 4, 0));
        // A zero-width range is not drawn.
        assert!(forward.iter().all(|d| d.cost[1] == 5.0));
    }

    #[test]
    fn a_sample_scales_the_profile_and_the_scores() {
        let mut p = ranged("A", (50.0, 100.0, 200.0), (5.0, 10.0, 20.0));
        p.duration = 2;
        p.cost_profile = vec![70.0, 30.0];
        p.scores = vec![4.0, 8.0];
        let wb = Workbook {
            periods: vec!["Q1".into(), "Q2".into()],
            projects: vec![p],
            ..Workbook::default()
        };
        let s = sampled(
            &wb,
            &Draw {
                cost: vec![150.0],
                value: vec![5.0],
            },
        );
        assert_eq!(s.projects[0].cost_profile, vec![105.0, 45.0]);
        assert_eq!(s.projects[0].scores, vec![2.0, 4.0]);
        assert_eq!(s.projects[0].value, 5.0);
    }
}
