//! Deterministic generator of realistic workbooks, for benches, tests and demos.
//!
//! The same [`GenerateOptions`] (seed included) always give the same bytes: the generator has
//! its own small PRNG (splitmix64) and never iterates a hash map. The shapes follow what a PMO
//! portfolio looks like: lognormal costs, durations of 1–6 periods, some start windows, a few
//! mandatory and in-progress projects, demand on 1–3 pools with ramp-up/down profiles, sparse
//! `requires` / `excludes` / `after` links (`after` always points to an earlier project, so it
//! is acyclic), and budgets and capacities at roughly 50–70 % of the total demand so that they
//! bind.
//!
//! Feasibility is guaranteed by construction: the generator builds a witness portfolio (every
//! in-progress project at the first period, every mandatory project at a fixed start) and sets
//! every budget and capacity to at least 1.5 × the witness's load; the balance target is set
//! only as high as a greedily completed witness reaches.
//!
//! This file owns the options and the workbook's generation; the random numbers are
//! `rng`'s, the names and number text `text`'s, a generated project and the load of a
//! partial portfolio `project`'s, teams.csv `teams`'s and scenarios.csv `scenarios`'s.

mod capital;
mod project;
mod rng;
mod scenarios;
mod teams;
mod text;

use std::fmt::Write as _;
use std::path::Path;

use project::{Gen, Kind, Load};
use rng::Rng;
use scenarios::scenarios_csv;
use teams::teams_files;
use text::{
    fmt_num, name_of, period_label, round_to, ACTIONS, CATEGORIES, DRIVERS, POOLS, SUBJECTS,
};

/// What to generate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GenerateOptions {
    /// PRNG seed: the same seed gives the same workbook, byte for byte.
    pub seed: u64,
    /// Number of projects (rows of projects.csv).
    pub projects: usize,
    /// Number of periods (quarters from 2027-Q1); at least 1 is used.
    pub periods: usize,
    /// Number of staff pools (0: no capacity.csv nor demand.csv).
    pub pools: usize,
    /// Number of strategic drivers (0: no drivers.csv, the objective is `value`).
    pub drivers: usize,
    /// Number of categories (0: no category; 2 or more also give a balance.csv target).
    pub categories: usize,
    /// Number of what-if scenarios written to scenarios.csv (0: no scenarios.csv). They
    /// come from their own random stream, so the other files do not depend on this number.
    pub scenarios: usize,
    /// Number of teams (0: no teams.csv). With teams, the pools are skills: skill k's
    /// capacity goes to its primary team (k mod teams, efficiency 1), and each team also
    /// serves one or two other skills at efficiency 0.6–0.9, so that the workbook of the same
    /// seed without teams (the pool-only model) stays feasible and comparable. Teams come
    /// from their own random stream: the other files do not depend on this number.
    pub teams: usize,
    /// Capital-budgeting rules on a few percent of the candidates (`requires_any`, returns
    /// in costs.csv, `min_share`), count limits (limits.csv) and carry-over of the capped
    /// category's budget; from their own random stream (see `capital`).
    pub capital: bool,
}

impl Default for GenerateOptions {
    fn default() -> Self {
        GenerateOptions {
            seed: 1,
            projects: 50,
            periods: 8,
            pools: 5,
            drivers: 4,
            categories: 4,
            scenarios: 0,
            teams: 0,
            capital: false,
        }
    }
}

/// Generate a workbook: `(file name, CSV text)` pairs, in a fixed order.
pub fn generate(options: &GenerateOptions) -> Vec<(String, String)> {
    let mut rng = Rng(options.seed ^ 0xA5A5_5A5A_C3C3_3C3C);
    let horizon = options.periods.max(1);
    let n = options.projects;
    let n_pools = options.pools;
    let n_drivers = options.drivers;
    let n_cats = options.categories;
    let width = n.to_string().len().max(2);

    // --- projects ---------------------------------------------------------------------
    let mut projects: Vec<Gen> = Vec::with_capacity(n);
    for i in 0..n {
        let roll = rng.unit();
        let kind = if roll < 0.04 {
            Kind::Mandatory
        } else if roll < 0.08 {
            Kind::InProgress
        } else if roll < 0.09 {
            Kind::Excluded
        } else {
            Kind::Candidate
        };
        // Durations 1–6, mostly 2–4; never longer than the horizon (in-progress work may run
        // past it: its remaining part beyond the horizon is simply not counted).
        let duration = match kind {
            Kind::InProgress => rng.between(1, 4),
            _ => {
                let d = [1, 2, 2, 3, 3, 3, 4, 4, 5, 6][rng.between(0, 9)];
                d.min(horizon)
            }
        };
        let rate = rng.lognormal(120.0, 0.7).clamp(10.0, 2000.0);
        let cost = (rate * duration as f64).round().max(5.0);
        let value = (cost * rng.lognormal(1.4, 0.5)).round();
        let (earliest, latest) = if kind == Kind::Candidate {
            let last = horizon - duration;
            let e = rng.chance(0.25).then(|| rng.between(0, last));
            let l = rng.chance(0.2).then(|| rng.between(e.unwrap_or(0), last));
            (e, l)
        } else {
            (None, None)
        };
        let category = (n_cats > 0).then(|| {
            // The first categories are the big ones.
            let a = rng.between(0, n_cats - 1);
            let b = rng.between(0, n_cats - 1);
            a.min(b)
        });
        let scores = (0..n_drivers).map(|_| rng.between(0, 10) as u32).collect();
        let profile = (kind == Kind::Candidate && duration >= 2 && rng.chance(0.04)).then(|| {
            // Front-loaded spend, in whole units, summing exactly to the cost.
            let weights: Vec<f64> = (0..duration).map(|k| (duration - k) as f64).collect();
            let total: f64 = weights.iter().sum();
            let mut amounts: Vec<f64> =
                weights.iter().map(|w| (cost * w / total).floor()).collect();
            let rest = cost - amounts.iter().sum::<f64>();
            amounts[0] += rest;
            amounts
        });
        let mut demand = Vec::new();
        if n_pools > 0 {
            let k = rng.between(1, 3.min(n_pools));
            let mut used: Vec<usize> = Vec::new();
            while used.len() < k {
                let pool = rng.between(0, n_pools - 1);
                if !used.contains(&pool) {
                    used.push(pool);
                }
            }
            used.sort_unstable();
            for pool in used {
                let fte = round_to(rng.lognormal(1.5, 0.6).clamp(0.2, 8.0), 0.1).max(0.1);
                let ramp = kind != Kind::InProgress && duration >= 3 && rng.chance(0.3);
                let loads: Vec<f64> = (0..duration)
                    .map(|o| {
                        if ramp && (o == 0 || o + 1 == duration) {
                            round_to(fte * 0.5, 0.1).max(0.1)
                        } else {
                            fte
                        }
                    })
                    .collect();
                demand.push((pool, loads, ramp));
            }
        }
        projects.push(Gen {
            id: format!("P-{:0width$}", i + 1),
            name: format!("{} {}", rng.pick(SUBJECTS), rng.pick(ACTIONS)),
            cost,
            duration,
            value,
            earliest,
            latest,
            kind,
            category,
            requires: Vec::new(),
            excludes: Vec::new(),
            after: Vec::new(),
            scores,
            profile,
            demand,
        });
    }

    // --- links: candidate → earlier candidate only, so `after` is acyclic -------------
    let candidates: Vec<usize> = (0..n)
        .filter(|&i| projects[i].kind == Kind::Candidate)
        .collect();
    for (pos, &i) in candidates.iter().enumerate() {
        if pos == 0 {
            continue;
        }
        if rng.chance(0.05) {
            let j = candidates[rng.between(0, pos - 1)];
            projects[i].requires.push(j);
        }
        if rng.chance(0.05) {
            let j = candidates[rng.between(0, pos - 1)];
            // Only when i can still start after j has finished.
            let ready = projects[j].first() + projects[j].duration;
            if ready <= projects[i].last(horizon) && !projects[i].requires.contains(&j) {
                projects[i].after.push(j);
            }
        }
        if rng.chance(0.03) {
            let j = candidates[rng.between(0, pos - 1)];
            if !projects[i].requires.contains(&j) && !projects[i].after.contains(&j) {
                projects[i].excludes.push(j);
            }
        }
    }

    // --- witness: forced work, placed -------------------------------------------------
    let mut witness = Load::new(horizon, n_cats, n_pools);
    let mut demand_total = Load::new(horizon, n_cats, n_pools);
    let mut mandatory_seen = 0;
    let mut in_witness = vec![false; n];
    for (i, p) in projects.iter().enumerate() {
        match p.kind {
            Kind::InProgress => {
                witness.add(p, 0);
                in_witness[i] = true;
            }
            Kind::Mandatory => {
                // Spread mandatory starts over their (full) windows.
                let span = p.last(horizon) + 1;
                witness.add(p, mandatory_seen % span);
                mandatory_seen += 1;
                in_witness[i] = true;
            }
            _ => {}
        }
        if p.kind != Kind::Excluded {
            // Average load were every project to run in its window: spread evenly.
            let range = p.starts(horizon);
            let starts = range.clone().count();
            for s in range {
                let mut one = Load::new(horizon, n_cats, n_pools);
                one.add(p, s);
                for t in 0..horizon {
                    demand_total.spend[t] += one.spend[t] / starts as f64;
                    for c in 0..n_cats {
                        demand_total.by_category[c][t] += one.by_category[c][t] / starts as f64;
                    }
                    for k in 0..n_pools {
                        demand_total.staff[k][t] += one.staff[k][t] / starts as f64;
                    }
                }
            }
        }
    }

    // --- limits: ~50–70 % of demand, never under 1.5 × the witness --------------------
    let avg = |v: &[f64]| v.iter().sum::<f64>() / v.len() as f64;
    let mut budget: Vec<f64> = Vec::with_capacity(horizon);
    let spend_avg = avg(&demand_total.spend);
    for t in 0..horizon {
        let ratio = 0.5 + 0.2 * rng.unit();
        let cap = (ratio * spend_avg).max(1.5 * witness.spend[t]);
        budget.push(round_to(cap.ceil() + 5.0, 10.0));
    }
    // One capped category (the second, often "Run"): 60 % of its demand.
    let capped = (n_cats >= 2).then_some(1);
    let mut category_budget: Vec<f64> = Vec::new();
    if let Some(c) = capped {
        let c_avg = avg(&demand_total.by_category[c]);
        for t in 0..horizon {
            let cap = (0.6 * c_avg).max(1.5 * witness.by_category[c][t]);
            category_budget.push(round_to(cap.ceil() + 5.0, 10.0));
        }
    }
    let mut capacity: Vec<Vec<f64>> = Vec::with_capacity(n_pools);
    for k in 0..n_pools {
        let k_avg = avg(&demand_total.staff[k]);
        let row = (0..horizon)
            .map(|t| {
                let ratio = 0.5 + 0.2 * rng.unit();
                let cap = (ratio * k_avg).max(1.5 * witness.staff[k][t]);
                (cap * 2.0).ceil() / 2.0 + 0.5
            })
            .collect();
        capacity.push(row);
    }

    // --- balance: the last category gets a minimum share the witness can reach ---------
    let mut balance: Option<(usize, f64)> = None;
    if n_cats >= 2 {
        let target_cat = n_cats - 1;
        let linked: Vec<bool> = {
            let mut l = vec![false; n];
            for (i, p) in projects.iter().enumerate() {
                if !p.excludes.is_empty() {
                    l[i] = true;
                }
                for &j in &p.excludes {
                    l[j] = true;
                }
            }
            l
        };
        let share = |w: &Load| {
            let total: f64 = w.spend.iter().sum();
            let cat: f64 = w.by_category[target_cat].iter().sum();
            if total > 0.0 {
                cat / total
            } else {
                1.0
            }
        };
        let goal = 0.1;
        for (i, p) in projects.iter().enumerate() {
            if share(&witness) >= goal {
                break;
            }
            if p.kind != Kind::Candidate
                || p.category != Some(target_cat)
                || !p.requires.is_empty()
                || !p.after.is_empty()
                || linked[i]
                || in_witness[i]
            {
                continue;
            }
            for s in p.first()..=p.last(horizon) {
                let mut trial = Load::new(horizon, n_cats, n_pools);
                trial.add(p, s);
                let fits = (0..horizon).all(|t| {
                    witness.spend[t] + trial.spend[t] <= budget[t]
                        && capped.is_none_or(|c| {
                            witness.by_category[c][t] + trial.by_category[c][t]
                                <= category_budget[t]
                        })
                        && (0..n_pools)
                            .all(|k| witness.staff[k][t] + trial.staff[k][t] <= capacity[k][t])
                });
                if fits {
                    witness.add(p, s);
                    in_witness[i] = true;
                    break;
                }
            }
        }
        let reached = (share(&witness).min(goal) * 100.0).floor() / 100.0;
        if reached > 0.0 {
            balance = Some((target_cat, reached));
        }
    }

    // --- text ---------------------------------------------------------------------------
    let periods: Vec<String> = (0..horizon).map(period_label).collect();
    let category_names: Vec<String> = (0..n_cats)
        .map(|c| name_of(CATEGORIES, c, "Category"))
        .collect();
    let capital = options
        .capital
        .then(|| capital::draw(options.seed, &mut projects, &category_names, &periods[0]));
    let drivers: Vec<String> = (0..n_drivers)
        .map(|d| name_of(DRIVERS, d, "driver"))
        .collect();
    let categories: Vec<String> = (0..n_cats)
        .map(|c| name_of(CATEGORIES, c, "Category"))
        .collect();
    let pools: Vec<String> = (0..n_pools).map(|k| name_of(POOLS, k, "pool")).collect();
    let ids = |list: &[usize]| {
        list.iter()
            .map(|&j| projects[j].id.as_str())
            .collect::<Vec<_>>()
            .join("|")
    };

    let mut files = Vec::new();

    let mut text = String::from(
        "id,name,cost,duration,value,earliest_start,latest_start,status,category,requires,excludes,after",
    );
    for d in &drivers {
        text.push(',');
        text.push_str(d);
    }
    if capital.is_some() {
        text.push_str(",requires_any,min_share");
    }
    text.push('\n');
    for (i, p) in projects.iter().enumerate() {
        let status = match p.kind {
            Kind::Candidate => "candidate",
            Kind::Mandatory => "mandatory",
            Kind::InProgress => "in_progress",
            Kind::Excluded => "excluded",
        };
        let _ = write!(
            text,
            "{},{},{},{},{},{},{},{},{},{},{},{}",
            p.id,
            p.name,
            fmt_num(p.cost),
            p.duration,
            fmt_num(p.value),
            p.earliest.map(|t| periods[t].as_str()).unwrap_or(""),
            p.latest.map(|t| periods[t].as_str()).unwrap_or(""),
            status,
            p.category.map(|c| categories[c].as_str()).unwrap_or(""),
            ids(&p.requires),
            ids(&p.excludes),
            ids(&p.after),
        );
        for s in &p.scores {
            let _ = write!(text, ",{s}");
        }
        if let Some(capital) = &capital {
            let share = capital.min_share[i].map(fmt_num).unwrap_or_default();
            let _ = write!(text, ",{},{share}", ids(&capital.any[i]));
        }
        text.push('\n');
    }
    files.push(("projects.csv".to_string(), text));

    if n_drivers > 0 {
        let mut text = String::from("driver,weight\n");
        for d in &drivers {
            let weight = rng.between(1, 5);
            let _ = writeln!(text, "{d},{weight}");
        }
        files.push(("drivers.csv".to_string(), text));
    }

    let mut text = String::from("period,category,amount\n");
    for (t, label) in periods.iter().enumerate() {
        let _ = writeln!(text, "{label},,{}", fmt_num(budget[t]));
    }
    if let Some(c) = capped {
        for (t, label) in periods.iter().enumerate() {
            let _ = writeln!(
                text,
                "{label},{},{}",
                categories[c],
                fmt_num(category_budget[t])
            );
        }
    }
    if capital.is_some() {
        // Carry-over on the capped category: a `carry` column, yes on its rows.
        let mut lines = text.lines();
        let header = lines.next().unwrap_or_default();
        let mut with = format!("{header},carry\n");
        for line in lines {
            let carries = capped.is_some_and(|c| line.split(',').nth(1) == Some(&categories[c]));
            let _ = writeln!(with, "{line},{}", if carries { "yes" } else { "" });
        }
        text = with;
    }
    files.push(("budget.csv".to_string(), text));

    if n_pools > 0 && options.teams > 0 {
        let (teams_csv, capacity_csv) = teams_files(options, &periods, &pools, &capacity);
        files.push(("capacity.csv".to_string(), capacity_csv));
        files.push(("teams.csv".to_string(), teams_csv));
    } else if n_pools > 0 {
        let mut text = String::from("pool,period,fte\n");
        for (k, pool) in pools.iter().enumerate() {
            for (t, label) in periods.iter().enumerate() {
                let _ = writeln!(text, "{pool},{label},{}", fmt_num(capacity[k][t]));
            }
        }
        files.push(("capacity.csv".to_string(), text));
    }
    if n_pools > 0 {
        let mut text = String::from("project,pool,offset,fte\n");
        for p in &projects {
            for (pool, loads, with_offsets) in &p.demand {
                if *with_offsets {
                    for (o, fte) in loads.iter().enumerate() {
                        let _ = writeln!(text, "{},{},{o},{}", p.id, pools[*pool], fmt_num(*fte));
                    }
                } else {
                    let _ = writeln!(text, "{},{},,{}", p.id, pools[*pool], fmt_num(loads[0]));
                }
            }
        }
        files.push(("demand.csv".to_string(), text));
    }

    if projects.iter().any(|p| p.profile.is_some()) {
        let mut text = String::from("project,offset,amount\n");
        for p in &projects {
            if let Some(profile) = &p.profile {
                for (o, amount) in profile.iter().enumerate() {
                    let _ = writeln!(text, "{},{o},{}", p.id, fmt_num(*amount));
                }
            }
        }
        files.push(("costs.csv".to_string(), text));
    }

    if let Some((c, min_share)) = balance {
        let text = format!(
            "category,min_share,max_share\n{},{},1\n",
            categories[c], min_share
        );
        files.push(("balance.csv".to_string(), text));
    }

    if let Some(capital) = &capital {
        let mut text = String::from("category,max_count,period\n");
        for (category, max, period) in &capital.limits {
            let _ = writeln!(text, "{category},{max},{period}");
        }
        files.push(("limits.csv".to_string(), text));
    }

    if options.scenarios > 0 {
        let candidates: Vec<&str> = projects
            .iter()
            .filter(|p| p.kind == Kind::Candidate)
            .map(|p| p.id.as_str())
            .collect();
        let text = scenarios_csv(options, horizon, &pools, &drivers, &candidates);
        files.push(("scenarios.csv".to_string(), text));
    }

    files
}

/// Generate a workbook and write its files into `dir` (created if missing).
pub fn write(dir: &Path, options: &GenerateOptions) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)?;
    for (name, text) in generate(options) {
        std::fs::write(dir.join(name), text)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests;
