//! `arbiter scenarios`: solve `base` and every scenario in parallel, write each one's plan
//! files and the comparison; with `--shard K/N`, only a share of them and a manifest for
//! `arbiter merge`.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context;
use arbiter::batch::{self, RunOptions};
use arbiter::model::{Scenario, Workbook};
use arbiter::report::comparison;
use arbiter::scenario::{self, Job, Manifest, ScenarioResult, Source, BASE};
use clap::Args;

use super::{Format, EXIT_INVALID, EXIT_USAGE};

#[derive(Debug, Args)]
pub struct ScenariosArgs {
    /// The base workbook (a folder, or one .xlsx / .ods file); its scenarios.csv (or
    /// scenarios sheet) lists the scenarios.
    pub workbook: PathBuf,
    /// Scenarios solved at once (default: every core). Each solve uses one HiGHS thread.
    #[arg(long, value_name = "N")]
    pub jobs: Option<usize>,
    /// Output folder: one sub-folder per scenario, comparison.csv and scenarios.csv.
    #[arg(long, default_value_os_t = super::default_out())]
    pub out: PathBuf,
    /// Run only shard K of N (1-based): every N-th scenario from the K-th, with `base` in
    /// shard 1. Writes a manifest for `arbiter merge` instead of the comparison.
    #[arg(long, value_name = "K/N", value_parser = parse_shard)]
    pub shard: Option<(usize, usize)>,
    /// Also run each of these workbook folders as a scenario named after its folder.
    #[arg(long, value_name = "DIR", num_args = 1..)]
    pub workbooks: Vec<PathBuf>,
    /// Record wall-clock seconds: in each summary.json and in timings.csv. Without it,
    /// `seconds` is 0 so that every run writes the same bytes.
    #[arg(long)]
    pub timings: bool,
    /// What stdout shows.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
    /// Also write one formatted spreadsheet: sheets scenarios and comparison, then base's
    /// portfolio, allocation, utilisation and spend (not with --shard).
    #[arg(long, value_name = "FILE")]
    pub xlsx: Option<PathBuf>,
    /// Treat warnings that matter (pairwise consistency ratio above 0.10) as errors.
    #[arg(long)]
    pub strict: bool,
    #[command(flatten)]
    pub solve: super::SolveArgs,
    /// No progress bar and no warnings on stderr.
    #[arg(long, short)]
    pub quiet: bool,
    /// Print where the time went on stderr: reading, the solves (and the work around them,
    /// summed over scenarios), writing.
    #[arg(long, short)]
    pub verbose: bool,
}

fn parse_shard(text: &str) -> Result<(usize, usize), String> {
    let parsed = text
        .split_once('/')
        .and_then(|(k, n)| Some((k.trim().parse().ok()?, n.trim().parse().ok()?)));
    match parsed {
        Some((k, n)) if k >= 1 && k <= n => Ok((k, n)),
        _ => Err(format!(
            "'{text}' is not a shard: write K/N with 1 ≤ K ≤ N, e.g. 2/8"
        )),
    }
}

pub fn run(args: ScenariosArgs) -> anyhow::Result<ExitCode> {
    let started = std::time::Instant::now();
    anyhow::ensure!(
        args.xlsx.is_none() || args.shard.is_none(),
        "--xlsx writes the comparison of a whole run; give it to `arbiter merge`'s single run instead of a --shard run (or run without --shard)"
    );
    let solve = args.solve.options()?;
    let workers = super::workers(args.jobs)?;
    // A folder in the way of --out is said before the scenarios are solved, not after.
    arbiter::io::output::check_replaceable(&args.out, &[] as &[&str])
        .with_context(|| format!("checking the out folder {}", args.out.display()))?;
    let Some(loaded) = super::load_all(&args.workbook, args.strict, args.quiet)? else {
        return Ok(ExitCode::from(EXIT_INVALID));
    };
    let base = loaded.workbook;
    let mut alternatives: Vec<(String, Workbook)> = Vec::new();
    for dir in &args.workbooks {
        let Some(wb) = super::load(dir, args.strict, args.quiet)? else {
            eprintln!(
                "error: the workbook {} given to --workbooks is invalid (see above)",
                dir.display()
            );
            return Ok(ExitCode::from(EXIT_INVALID));
        };
        let name = dir
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| dir.display().to_string());
        alternatives.push((name, wb));
    }
    let jobs = match jobs(&loaded.scenarios, &alternatives) {
        Ok(jobs) => jobs,
        Err(message) => {
            eprintln!("error: {message}");
            return Ok(ExitCode::from(EXIT_INVALID));
        }
    };
    let names: Vec<String> = jobs.iter().map(|j| j.name.clone()).collect();
    let fingerprint = scenario::fingerprint(&format!(
        "{base:?}\n{:?}\n{alternatives:?}\n{solve:?}\n{names:?}",
        loaded.scenarios
    ));
    let share: Vec<Job<'_>> = match args.shard {
        Some((k, n)) => scenario::shard(jobs.len(), k, n)
            .into_iter()
            .map(|i| jobs[i].clone())
            .collect(),
        None => jobs,
    };

    let progress = super::progress(args.quiet, share.len(), "scenarios");
    let options = RunOptions {
        solve,
        workers,
        timings: args.timings,
    };
    let on_done = |r: &ScenarioResult| {
        progress.set_message(format!("{}: {}", r.name, r.status));
        progress.inc(1);
    };
    let read_seconds = started.elapsed().as_secs_f64();
    let run_started = std::time::Instant::now();
    let finished = batch::run(&base, &share, &options, &on_done)?;
    progress.finish_and_clear();
    let run_seconds = run_started.elapsed().as_secs_f64();
    let write_started = std::time::Instant::now();

    let results: Vec<ScenarioResult> = finished.iter().map(|f| f.result.clone()).collect();
    let mut files: Vec<(String, Vec<u8>)> = finished.into_iter().flat_map(|f| f.files).collect();
    match args.shard {
        Some((k, n)) => {
            let manifest = Manifest {
                schema: scenario::MANIFEST_SCHEMA,
                shard: k,
                of: n,
                fingerprint,
                names,
                timings: args.timings,
                results: results.clone(),
            };
            let mut json = serde_json::to_string_pretty(&manifest)?;
            json.push('\n');
            files.push((Manifest::file_name(k, n), json.into_bytes()));
            write(&args.out, &files)?;
            if !args.quiet {
                eprintln!(
                    "shard {k}/{n}: {} scenario(s) written to {}; combine the shards with `arbiter merge`",
                    results.len(),
                    args.out.display()
                );
            }
        }
        None => {
            files.extend(comparison::output_files(&results, args.timings));
            write(&args.out, &files)?;
            if let Some(path) = &args.xlsx {
                write_xlsx(path, &files)?;
            }
            print(&results, args.format);
        }
    }
    if args.verbose {
        let sum =
            |f: fn(&scenario::Timing) -> f64| results.iter().map(|r| f(&r.timing)).sum::<f64>();
        eprintln!(
            "timings: read and validate {read_seconds:.3} s; {} scenario(s) on {workers} worker(s) in {run_seconds:.3} s (summed over scenarios: apply {:.3} s, encode {:.3} s, solve and check {:.3} s, report {:.3} s); write {:.3} s",
            results.len(),
            sum(|t| t.apply),
            sum(|t| t.encode),
            sum(|t| t.solve),
            sum(|t| t.report),
            write_started.elapsed().as_secs_f64()
        );
    }
    Ok(exit_code(&results))
}

/// Exit 0 when every scenario was solved (an infeasible scenario is an answer, reported in
/// its row); 2 when one failed.
pub fn exit_code(results: &[ScenarioResult]) -> ExitCode {
    let failed: Vec<&str> = results
        .iter()
        .filter(|r| r.status == "error")
        .map(|r| r.name.as_str())
        .collect();
    if failed.is_empty() {
        ExitCode::SUCCESS
    } else {
        eprintln!(
            "error: {} scenario(s) failed: {} (see the message column of scenarios.csv)",
            failed.len(),
            failed.join(", ")
        );
        ExitCode::from(EXIT_USAGE)
    }
}

pub fn write(out: &Path, files: &[(String, Vec<u8>)]) -> anyhow::Result<()> {
    arbiter::io::output::write_outputs(out, files)
        .with_context(|| format!("writing the outputs to {}", out.display()))
}

/// The spreadsheet of a run: scenarios and comparison, then base's plan files.
fn write_xlsx(path: &Path, files: &[(String, Vec<u8>)]) -> anyhow::Result<()> {
    let sheets: Vec<_> = [
        ("scenarios", "scenarios.csv".to_string()),
        ("comparison", "comparison.csv".to_string()),
        ("portfolio", format!("{BASE}/portfolio.csv")),
        ("allocation", format!("{BASE}/allocation.csv")),
        ("utilisation", format!("{BASE}/utilisation.csv")),
        ("spend", format!("{BASE}/spend.csv")),
    ]
    .iter()
    .filter_map(|(sheet, file)| {
        files
            .iter()
            .find(|(name, _)| name == file)
            .map(|(_, bytes)| arbiter::report::xlsx::csv_sheet(sheet, bytes))
    })
    .collect();
    let bytes = arbiter::report::xlsx::outputs_xlsx(&sheets)?;
    arbiter::io::output::write_file(path, bytes)
        .with_context(|| format!("writing {}", path.display()))
}

/// The comparison on stdout.
pub fn print(results: &[ScenarioResult], format: Format) {
    let text = match format {
        Format::Table => comparison::render_comparison(results),
        Format::Csv => String::from_utf8_lossy(&comparison::scenarios_csv(results)).into_owned(),
        Format::Json => {
            let mut json = serde_json::to_string_pretty(results).unwrap_or_default();
            json.push('\n');
            json
        }
    };
    let mut stdout = std::io::stdout().lock();
    // A closed pipe (`| head`) is not an error worth a message.
    let _ = stdout
        .write_all(text.as_bytes())
        .and_then(|_| stdout.flush());
}

/// `base`, then the scenarios of scenarios.csv, then the alternative workbooks; an error
/// names two that would share an output folder.
pub(super) fn jobs<'a>(
    scenarios: &'a [Scenario],
    alternatives: &'a [(String, Workbook)],
) -> Result<Vec<Job<'a>>, String> {
    let mut jobs = vec![Job {
        name: BASE.to_string(),
        folder: BASE.to_string(),
        source: Source::Base,
    }];
    // Validation already checked the names of scenarios.csv among themselves.
    for s in scenarios {
        let folder = scenario::folder_name(&s.name).unwrap_or_default();
        jobs.push(Job {
            name: s.name.clone(),
            folder,
            source: Source::Changes(s),
        });
    }
    for (name, wb) in alternatives {
        let Some(folder) = scenario::folder_name(name) else {
            return Err(format!(
                "the workbook folder '{name}' gives no usable scenario name; rename the folder"
            ));
        };
        let clash = jobs
            .iter()
            .find(|j| j.folder.to_lowercase() == folder.to_lowercase())
            .map(|j| j.name.clone())
            .or_else(|| {
                scenario::RESERVED_NAMES
                    .iter()
                    .find(|r| **r == folder.to_lowercase())
                    .map(|r| r.to_string())
            });
        if let Some(other) = clash {
            return Err(format!(
                "the workbook '{name}' given to --workbooks would write to the same folder as scenario '{other}'; rename its folder"
            ));
        }
        jobs.push(Job {
            name: name.clone(),
            folder,
            source: Source::Workbook(wb),
        });
    }
    Ok(jobs)
}
