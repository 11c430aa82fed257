//! OR-Library yardstick: the multidimensional knapsack instances of Chu and Beasley
//! (`mknapcb1.txt` … `mknapcb9.txt`), each written as a one-period workbook and planned through
//! the same path as `arbiter plan` (read and validate the folder, then solve with
//! `--objective value`). Prints, per instance, the gap to the best-known value of
//! `mkcbres.txt`, then the mean gap per file and over mknapcb1–6 and mknapcb7–9.
//!
//! ```sh
//! cargo run --release --example orlib -- --dir ../shared/benchmarks/orlib \
//!     --files mknapcb1,mknapcb4 --instances 0..3 --time-limit 10 --threads 2
//! ```
//!
//! The data are read at run time and never copied into the repository. One instance becomes:
//! one period `T1`; one pool `c1` … `cm` per knapsack constraint, its capacity the
//! constraint's right-hand side; one project per item, cost 0, duration 1, value = profit,
//! demanding its weight of every pool. Selecting a project is packing the item.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use anyhow::{bail, Context, Result};
use arbiter::io::ReadOptions;
use arbiter::model::Objective;
use arbiter::{SolveOptions, SolveStatus};
use clap::Parser;

#[derive(Debug, Parser)]
#[command(about = "OR-Library multidimensional knapsack yardstick for arbiter")]
struct Args {
    /// Folder holding mknapcb*.txt and mkcbres.txt.
    #[arg(long, default_value = "../shared/benchmarks/orlib")]
    dir: PathBuf,
    /// Files to run, comma-separated, without `.txt` (default: mknapcb1 … mknapcb9).
    #[arg(long, value_delimiter = ',')]
    files: Vec<String>,
    /// Instances of each file: `a..b` (b excluded), `a..=b`, `i`, or a comma list of these
    /// (default: all).
    #[arg(long)]
    instances: Option<String>,
    /// Time limit per instance in seconds.
    #[arg(long, default_value_t = 10.0)]
    time_limit: f64,
    /// Threads: 1, or 2 (or more) to race the whole model and the core models on two
    /// cores, as `plan --threads 2 --time-limit S` does.
    #[arg(long, default_value_t = 1)]
    threads: usize,
}

/// One multidimensional knapsack: maximise profit·x subject to weights·x ≤ capacities.
struct Instance {
    profits: Vec<f64>,
    /// `weights[i][j]`: weight of item j in constraint i.
    weights: Vec<Vec<f64>>,
    capacities: Vec<f64>,
}

/// Parse an OR-Library mknapcb file: the number of problems, then per problem `n m best`,
/// n profits, m rows of n weights, m capacities (all whitespace-separated).
fn parse_instances(text: &str, file: &str) -> Result<Vec<Instance>> {
    let mut numbers = text.split_whitespace().map(|token| {
        token
            .parse::<f64>()
            .with_context(|| format!("{file}: '{token}' is not a number"))
    });
    let mut next = |what: &str| -> Result<f64> {
        numbers
            .next()
            .with_context(|| format!("{file}: the file ends before {what}"))?
    };
    let count = next("the number of problems")? as usize;
    let mut instances = Vec::with_capacity(count);
    for k in 0..count {
        let n = next("n")? as usize;
        let m = next("m")? as usize;
        let _best = next("the optimum field")?;
        let profits = (0..n)
            .map(|_| next("a profit"))
            .collect::<Result<Vec<_>>>()?;
        let weights = (0..m)
            .map(|_| (0..n).map(|_| next("a weight")).collect::<Result<Vec<_>>>())
            .collect::<Result<Vec<_>>>()?;
        let capacities = (0..m)
            .map(|_| next("a capacity"))
            .collect::<Result<Vec<_>>>()
            .with_context(|| format!("{file}: problem {k}"))?;
        instances.push(Instance {
            profits,
            weights,
            capacities,
        });
    }
    Ok(instances)
}

/// Best-known values of mkcbres.txt by name (`5.100-00` = m 5, n 100, problem 0): the first
/// table only (the second gives LP bounds under the same names).
fn parse_best(text: &str) -> BTreeMap<String, f64> {
    let mut best = BTreeMap::new();
    for line in text.lines() {
        if line.contains("LP optimal") {
            break;
        }
        let mut fields = line.split_whitespace();
        if let (Some(name), Some(value), None) = (fields.next(), fields.next(), fields.next()) {
            if name.contains('-') && name.contains('.') {
                if let Ok(value) = value.parse::<f64>() {
                    best.insert(name.to_string(), value);
                }
            }
        }
    }
    best
}

/// Parse `--instances`: a comma list of `a..b`, `a..=b` or `i`.
fn parse_selection(spec: &str) -> Result<Vec<usize>> {
    let mut chosen = Vec::new();
    for part in spec.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        let number = |s: &str| -> Result<usize> {
            s.trim()
                .parse()
                .with_context(|| format!("--instances: '{s}' is not an index"))
        };
        if let Some((a, b)) = part.split_once("..=") {
            chosen.extend(number(a)?..=number(b)?);
        } else if let Some((a, b)) = part.split_once("..") {
            chosen.extend(number(a)?..number(b)?);
        } else {
            chosen.push(number(part)?);
        }
    }
    chosen.sort_unstable();
    chosen.dedup();
    Ok(chosen)
}

/// Write `instance` as a workbook folder in `dir`.
fn write_workbook(instance: &Instance, dir: &Path) -> Result<()> {
    let mut projects = String::from("id,cost,duration,value\n");
    for (j, profit) in instance.profits.iter().enumerate() {
        writeln!(projects, "i{j},0,1,{profit}")?;
    }
    let mut capacity = String::from("pool,period,fte\n");
    for (i, cap) in instance.capacities.iter().enumerate() {
        writeln!(capacity, "c{},T1,{cap}", i + 1)?;
    }
    let mut demand = String::from("project,pool,fte\n");
    for (i, row) in instance.weights.iter().enumerate() {
        for (j, &w) in row.iter().enumerate() {
            if w != 0.0 {
                writeln!(demand, "i{j},c{},{w}", i + 1)?;
            }
        }
    }
    std::fs::write(dir.join("projects.csv"), projects)?;
    std::fs::write(dir.join("capacity.csv"), capacity)?;
    std::fs::write(dir.join("demand.csv"), demand)?;
    Ok(())
}

/// The result of one instance.
struct Row {
    file: String,
    index: usize,
    best: f64,
    found: f64,
    status: SolveStatus,
    seconds: f64,
}

impl Row {
    fn gap(&self) -> f64 {
        (self.best - self.found) / self.best
    }
}

/// Plan one instance through the workbook path; verify the answer against the raw data.
fn run_one(instance: &Instance, options: &SolveOptions) -> Result<(f64, SolveStatus, f64)> {
    let dir = tempfile::TempDir::new().context("creating a temporary folder")?;
    write_workbook(instance, dir.path())?;
    let started = Instant::now();
    let loaded = arbiter::read_workbook(dir.path(), &ReadOptions::default())?;
    let solution = arbiter::solve(&loaded.workbook, options)?;
    let seconds = started.elapsed().as_secs_f64();
    // Independent of the library: map the selected ids back to items, recompute the profit
    // and every constraint from the raw numbers of the file.
    let mut items = Vec::new();
    for (p, start) in solution.starts.iter().enumerate() {
        if start.is_some() {
            let id = &loaded.workbook.projects[p].id;
            let j: usize = id
                .strip_prefix('i')
                .and_then(|s| s.parse().ok())
                .with_context(|| format!("unexpected project id '{id}'"))?;
            items.push(j);
        }
    }
    let profit: f64 = items.iter().map(|&j| instance.profits[j]).sum();
    for (i, row) in instance.weights.iter().enumerate() {
        let used: f64 = items.iter().map(|&j| row[j]).sum();
        if used > instance.capacities[i] + 1e-6 {
            bail!(
                "constraint {} is over: {used} > {}",
                i + 1,
                instance.capacities[i]
            );
        }
    }
    if let Some(objective) = solution.objective {
        if (objective - profit).abs() > 1e-6 * profit.abs().max(1.0) {
            bail!("objective {objective} but the selected items are worth {profit}");
        }
    }
    Ok((profit, solution.status, seconds))
}

fn mean(values: impl Iterator<Item = f64>) -> Option<f64> {
    let (sum, count) = values.fold((0.0, 0usize), |(s, c), v| (s + v, c + 1));
    (count > 0).then(|| sum / count as f64)
}

fn percent(value: Option<f64>) -> String {
    value.map_or("-".into(), |v| format!("{:.4}", 100.0 * v))
}

fn main() -> Result<ExitCode> {
    let args = Args::parse();
    let files: Vec<String> = if args.files.is_empty() {
        (1..=9).map(|k| format!("mknapcb{k}")).collect()
    } else {
        args.files
            .iter()
            .map(|f| f.trim().trim_end_matches(".txt").to_string())
            .collect()
    };
    let selection = args.instances.as_deref().map(parse_selection).transpose()?;
    let results_path = args.dir.join("mkcbres.txt");
    let best = parse_best(
        &std::fs::read_to_string(&results_path)
            .with_context(|| format!("reading {}", results_path.display()))?,
    );
    // As `plan` does: two or more threads race two one-thread searches.
    let options = SolveOptions {
        time_limit: Some(args.time_limit),
        objective: Objective::Value,
        ..SolveOptions::default()
    }
    .with_threads(args.threads);

    println!(
        "time limit {} s, {}\n",
        args.time_limit,
        if options.race {
            "2 threads racing (the whole model, and the core models)".to_string()
        } else {
            "1 thread".to_string()
        }
    );
    println!("| file | instance | best-known | found | gap % | status | seconds |");
    println!("|---|---:|---:|---:|---:|---|---:|");
    let mut rows: Vec<Row> = Vec::new();
    for file in &files {
        let path = args.dir.join(format!("{file}.txt"));
        let text = std::fs::read_to_string(&path)
            .with_context(|| format!("reading {}", path.display()))?;
        let instances = parse_instances(&text, file)?;
        let indices: Vec<usize> = match &selection {
            Some(list) => list
                .iter()
                .copied()
                .filter(|&k| k < instances.len())
                .collect(),
            None => (0..instances.len()).collect(),
        };
        for k in indices {
            let instance = &instances[k];
            let name = format!(
                "{}.{}-{k:02}",
                instance.capacities.len(),
                instance.profits.len()
            );
            let known = *best
                .get(&name)
                .with_context(|| format!("mkcbres.txt has no best-known value for {name}"))?;
            let (found, status, seconds) =
                run_one(instance, &options).with_context(|| format!("{file} instance {k}"))?;
            let row = Row {
                file: file.clone(),
                index: k,
                best: known,
                found,
                status,
                seconds,
            };
            println!(
                "| {} | {} | {} | {} | {:.4} | {} | {:.1} |",
                row.file,
                row.index,
                row.best,
                row.found,
                100.0 * row.gap(),
                row.status.as_str(),
                row.seconds
            );
            rows.push(row);
        }
    }

    println!("\n| file | instances | mean gap % | optimal |");
    println!("|---|---:|---:|---:|");
    for file in &files {
        let of: Vec<&Row> = rows.iter().filter(|r| &r.file == file).collect();
        if of.is_empty() {
            continue;
        }
        println!(
            "| {file} | {} | {} | {} |",
            of.len(),
            percent(mean(of.iter().map(|r| r.gap()))),
            of.iter()
                .filter(|r| r.status == SolveStatus::Optimal)
                .count()
        );
    }
    let group = |range: std::ops::RangeInclusive<u32>| {
        mean(
            rows.iter()
                .filter(|r| {
                    r.file
                        .strip_prefix("mknapcb")
                        .and_then(|k| k.parse::<u32>().ok())
                        .is_some_and(|k| range.contains(&k))
                })
                .map(Row::gap),
        )
    };
    println!(
        "\noverall mean gap %: mknapcb1-6 {}, mknapcb7-9 {}, all {}",
        percent(group(1..=6)),
        percent(group(7..=9)),
        percent(mean(rows.iter().map(Row::gap)))
    );
    Ok(ExitCode::SUCCESS)
}
