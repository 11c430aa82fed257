//! scenarios.csv of a generated workbook: what-if scenarios of the kinds a PMO runs, from
//! their own random stream, so that the other files do not depend on their number.

use std::fmt::Write as _;

use super::rng::Rng;
use super::text::{fmt_num, period_label, round_to};
use super::GenerateOptions;

/// `options.scenarios` what-if scenarios of the kinds a PMO runs, in turn: a budget scaled
/// by 80–120 %, a pool losing 5–40 % of its capacity from some period on, a driver
/// reweighted, a candidate excluded, and a budget cut in the second half of the horizon
/// together with a capacity boost. None forces work in, so every scenario stays feasible.
pub(super) fn scenarios_csv(
    options: &GenerateOptions,
    horizon: usize,
    pools: &[String],
    drivers: &[String],
    candidates: &[&str],
) -> String {
    let mut rng = Rng(options.seed ^ 0x5CE7_A210_0F0F_F0F0);
    let width = options.scenarios.to_string().len().max(3);
    let mut text = String::from("scenario,target,key,op,value\n");
    for i in 0..options.scenarios {
        let name = format!("s{:0width$}", i + 1);
        let period = period_label(rng.between(0, horizon - 1));
        match i % 5 {
            1 if !pools.is_empty() => {
                let pool = &pools[rng.between(0, pools.len() - 1)];
                let factor = round_to(0.6 + 0.35 * rng.unit(), 0.05);
                let _ = writeln!(
                    text,
                    "{name}-capacity,capacity,{pool}@{period}..,scale,{}",
                    fmt_num(factor)
                );
            }
            2 if !drivers.is_empty() => {
                let driver = &drivers[rng.between(0, drivers.len() - 1)];
                let factor = round_to(0.5 + 1.5 * rng.unit(), 0.1);
                let _ = writeln!(
                    text,
                    "{name}-weight,weight,{driver},scale,{}",
                    fmt_num(factor)
                );
            }
            3 if !candidates.is_empty() => {
                let id = candidates[rng.between(0, candidates.len() - 1)];
                let _ = writeln!(text, "{name}-without,project,{id},exclude,");
            }
            4 if !pools.is_empty() => {
                let half = period_label(horizon / 2);
                let factor = round_to(0.7 + 0.25 * rng.unit(), 0.05);
                let pool = &pools[rng.between(0, pools.len() - 1)];
                let _ = writeln!(
                    text,
                    "{name}-mixed,budget,{half}..,scale,{}",
                    fmt_num(factor)
                );
                let _ = writeln!(text, "{name}-mixed,capacity,{pool},add,1");
            }
            _ => {
                let factor = round_to(0.8 + 0.4 * rng.unit(), 0.05);
                let _ = writeln!(text, "{name}-budget,budget,*,scale,{}", fmt_num(factor));
            }
        }
    }
    text
}

#[cfg(test)]
mod tests {
    use super::super::{generate, tests::options, write, GenerateOptions};

    #[test]
    fn scenarios_are_valid_and_leave_the_workbook_alone() {
        let plain = options(5);
        let with = GenerateOptions {
            scenarios: 12,
            teams: 0,
            ..options(5)
        };
        let a = generate(&plain);
        let b = generate(&with);
        assert_eq!(&b[..a.len()], &a[..], "other files do not change");
        let (name, text) = b.last().unwrap();
        assert_eq!(name, "scenarios.csv");
        assert_eq!(text.lines().filter(|l| l.contains("-mixed")).count(), 4);
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), &with).unwrap();
        let loaded = crate::load::read_workbook(dir.path(), &crate::io::ReadOptions::default())
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(loaded.scenarios.len(), 12);
    }
}
