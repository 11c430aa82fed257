//! `arbiter generate`: write a synthetic, valid workbook of a given size (fixed per seed),
//! for benchmarks and for trying arbiter at scale.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use arbiter::generate::GenerateOptions;
use clap::Args;

#[derive(Debug, Args)]
pub struct GenerateArgs {
    /// Seed: the same seed and sizes give the same files, byte for byte.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Number of projects.
    #[arg(long, default_value_t = 50)]
    pub projects: usize,
    /// Number of periods in the horizon.
    #[arg(long, default_value_t = 12)]
    pub periods: usize,
    /// Number of staff pools.
    #[arg(long, default_value_t = 5)]
    pub pools: usize,
    /// Number of strategic drivers.
    #[arg(long, default_value_t = 4)]
    pub drivers: usize,
    /// Number of categories.
    #[arg(long, default_value_t = 4)]
    pub categories: usize,
    /// Number of what-if scenarios to write to scenarios.csv (for `arbiter scenarios`).
    #[arg(long, default_value_t = 0)]
    pub scenarios: usize,
    /// Number of teams (teams.csv); the pools become skills that the teams serve. 0: no
    /// teams.csv.
    #[arg(long, default_value_t = 0)]
    pub teams: usize,
    /// Add capital-budgeting rules: either-or prerequisites, cash returns and partial
    /// funding on a few percent of the candidates, count limits (limits.csv) and carry-over
    /// of the capped category's budget. The rest of the workbook stays that of the seed.
    #[arg(long)]
    pub capital_rules: bool,
    /// Folder to write the workbook into (created; existing files of the same names are
    /// replaced).
    #[arg(long)]
    pub out: PathBuf,
}

pub fn run(args: GenerateArgs) -> anyhow::Result<ExitCode> {
    anyhow::ensure!(args.projects >= 1, "--projects must be at least 1");
    anyhow::ensure!(args.periods >= 1, "--periods must be at least 1");
    anyhow::ensure!(args.pools >= 1, "--pools must be at least 1");
    let options = GenerateOptions {
        seed: args.seed,
        projects: args.projects,
        periods: args.periods,
        pools: args.pools,
        drivers: args.drivers,
        categories: args.categories,
        scenarios: args.scenarios,
        teams: args.teams,
        capital: args.capital_rules,
    };
    arbiter::generate::write(&args.out, &options)
        .with_context(|| format!("writing the workbook to {}", args.out.display()))?;
    let staff = if args.teams > 0 && args.pools > 0 {
        format!("{} teams serving {} skills", args.teams, args.pools)
    } else {
        format!("{} pools", args.pools)
    };
    eprintln!(
        "wrote a workbook of {} projects, {} periods, {staff} to {}",
        args.projects,
        args.periods,
        args.out.display()
    );
    Ok(ExitCode::SUCCESS)
}
