//! A generated project before it is written ([`Gen`]), and the load of a partial
//! portfolio ([`Load`]) that the generator sums to build its feasibility witness and set
//! budgets and capacities above it.

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Kind {
    Candidate,
    Mandatory,
    InProgress,
    Excluded,
}

pub(super) struct Gen {
    pub(super) id: String,
    pub(super) name: String,
    pub(super) cost: f64,
    pub(super) duration: usize,
    pub(super) value: f64,
    pub(super) earliest: Option<usize>,
    pub(super) latest: Option<usize>,
    pub(super) kind: Kind,
    pub(super) category: Option<usize>,
    pub(super) requires: Vec<usize>,
    pub(super) excludes: Vec<usize>,
    pub(super) after: Vec<usize>,
    pub(super) scores: Vec<u32>,
    /// Explicit costs.csv profile, when given.
    pub(super) profile: Option<Vec<f64>>,
    /// (pool, fte per offset, written with offsets?)
    pub(super) demand: Vec<(usize, Vec<f64>, bool)>,
}

impl Gen {
    pub(super) fn spend(&self, offset: usize) -> f64 {
        match &self.profile {
            Some(p) => p[offset],
            None => self.cost / self.duration as f64,
        }
    }
    pub(super) fn first(&self) -> usize {
        self.earliest.unwrap_or(0)
    }
    /// The starts this project may take (in-progress work: the first period only).
    pub(super) fn starts(&self, horizon: usize) -> std::ops::RangeInclusive<usize> {
        if self.kind == Kind::InProgress {
            0..=0
        } else {
            self.first()..=self.last(horizon)
        }
    }
    pub(super) fn last(&self, horizon: usize) -> usize {
        self.latest.unwrap_or(horizon - self.duration)
    }
}

/// Load of a partial portfolio, to build the feasibility witness.
pub(super) struct Load {
    pub(super) spend: Vec<f64>,
    pub(super) by_category: Vec<Vec<f64>>,
    pub(super) staff: Vec<Vec<f64>>,
}

impl Load {
    pub(super) fn new(periods: usize, categories: usize, pools: usize) -> Self {
        Load {
            spend: vec![0.0; periods],
            by_category: vec![vec![0.0; periods]; categories],
            staff: vec![vec![0.0; periods]; pools],
        }
    }

    pub(super) fn add(&mut self, p: &Gen, start: usize) {
        let horizon = self.spend.len();
        for offset in 0..p.duration {
            let t = start + offset;
            if t >= horizon {
                break;
            }
            let s = p.spend(offset);
            self.spend[t] += s;
            if let Some(c) = p.category {
                self.by_category[c][t] += s;
            }
            for (pool, fte, _) in &p.demand {
                self.staff[*pool][t] += fte[offset];
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn gen(kind: Kind, duration: usize, profile: Option<Vec<f64>>) -> Gen {
        Gen {
            id: "P-01".into(),
            name: "p".into(),
            cost: 90.0,
            duration,
            value: 1.0,
            earliest: Some(1),
            latest: None,
            kind,
            category: Some(0),
            requires: Vec::new(),
            excludes: Vec::new(),
            after: Vec::new(),
            scores: Vec::new(),
            profile,
            demand: vec![(0, vec![1.0, 2.0, 3.0], false)],
        }
    }

    #[test]
    fn starts_respect_the_window_and_in_progress_work_starts_first() {
        assert_eq!(gen(Kind::Candidate, 3, None).starts(8), 1..=5);
        assert_eq!(gen(Kind::InProgress, 3, None).starts(8), 0..=0);
    }

    #[test]
    fn load_adds_spend_category_and_staff_inside_the_horizon() {
        let mut load = Load::new(4, 1, 1);
        load.add(&gen(Kind::Candidate, 3, None), 2);
        assert_eq!(load.spend, [0.0, 0.0, 30.0, 30.0]);
        assert_eq!(load.by_category[0], [0.0, 0.0, 30.0, 30.0]);
        assert_eq!(load.staff[0], [0.0, 0.0, 1.0, 2.0]);
        let mut profiled = Load::new(3, 1, 1);
        profiled.add(&gen(Kind::Candidate, 3, Some(vec![10.0, 50.0, 30.0])), 0);
        assert_eq!(profiled.spend, [10.0, 50.0, 30.0]);
    }
}
