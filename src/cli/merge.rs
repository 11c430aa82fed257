//! `arbiter merge`: combine the folders written by `arbiter scenarios --shard K/N` into
//! exactly the files one unsharded run writes.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{bail, Context};
use arbiter::report::comparison;
use arbiter::scenario::{Manifest, ScenarioResult, MANIFEST_SCHEMA};
use clap::Args;

use super::scenarios::{exit_code, print, write};
use super::Format;

#[derive(Debug, Args)]
pub struct MergeArgs {
    /// Output folders of the shards (each holds one or more shard-K-of-N.json).
    #[arg(required = true, value_name = "DIR")]
    pub dirs: Vec<PathBuf>,
    /// Where the merged outputs go.
    #[arg(long, default_value_os_t = super::default_out())]
    pub out: PathBuf,
    /// What stdout shows.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
}

pub fn run(args: MergeArgs) -> anyhow::Result<ExitCode> {
    // Shard number → (its folder, its manifest).
    let mut shards: BTreeMap<usize, (PathBuf, Manifest)> = BTreeMap::new();
    for dir in &args.dirs {
        let entries = fs::read_dir(dir)
            .with_context(|| format!("{}: cannot read this shard folder", dir.display()))?;
        let mut names: Vec<String> = entries
            .filter_map(|e| e.ok())
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|n| Manifest::is_file_name(n))
            .collect();
        names.sort();
        if names.is_empty() {
            bail!(
                "{}: no shard manifest (shard-K-of-N.json) here; give the --out folders of `arbiter scenarios --shard K/N` runs",
                dir.display()
            );
        }
        for name in names {
            let path = dir.join(&name);
            let text = fs::read_to_string(&path)
                .with_context(|| format!("{}: cannot read", path.display()))?;
            let manifest: Manifest = serde_json::from_str(&text).with_context(|| {
                format!(
                    "{}: not a shard manifest of this version of arbiter",
                    path.display()
                )
            })?;
            if manifest.schema != MANIFEST_SCHEMA {
                bail!(
                    "{}: manifest schema {} is not {MANIFEST_SCHEMA}; run all shards with the same arbiter",
                    path.display(),
                    manifest.schema
                );
            }
            if let Some((other, _)) = shards.get(&manifest.shard) {
                if other != dir {
                    bail!(
                        "shard {} of {} is in both {} and {}; give each shard once",
                        manifest.shard,
                        manifest.of,
                        other.display(),
                        dir.display()
                    );
                }
                continue;
            }
            shards.insert(manifest.shard, (dir.clone(), manifest));
        }
    }
    let Some((_, (_, first))) = shards.iter().next() else {
        bail!("no shard manifest found");
    };
    let (of, fingerprint, names, timings) = (
        first.of,
        first.fingerprint.clone(),
        first.names.clone(),
        first.timings,
    );
    for (k, (dir, m)) in &shards {
        if m.of != of || m.fingerprint != fingerprint || m.names != names || m.timings != timings {
            bail!(
                "{}: shard {k} of {} comes from another run (other workbook, scenarios or options) than shard {} of {of}; merge shards of one run only",
                dir.display(),
                m.of,
                shards.keys().next().copied().unwrap_or(1)
            );
        }
    }
    let missing: Vec<String> = (1..=of)
        .filter(|k| !shards.contains_key(k))
        .map(|k| k.to_string())
        .collect();
    if !missing.is_empty() {
        bail!(
            "shard(s) {} of {of} are missing; run `arbiter scenarios WORKBOOK --shard K/{of}` for each and give all their folders",
            missing.join(", ")
        );
    }

    // Results in run order, each with the folder its files are in.
    let mut by_name: BTreeMap<&str, (&Path, &ScenarioResult)> = BTreeMap::new();
    for (dir, m) in shards.values() {
        for r in &m.results {
            by_name.insert(&r.name, (dir, r));
        }
    }
    let mut results: Vec<ScenarioResult> = Vec::with_capacity(names.len());
    let mut files: Vec<(String, Vec<u8>)> = Vec::new();
    for name in &names {
        let Some((dir, r)) = by_name.get(name.as_str()) else {
            bail!("scenario '{name}' is in no shard's results; run the shards again");
        };
        if r.status != "error" {
            files.extend(read_folder(dir, &r.folder)?);
        }
        results.push((*r).clone());
    }
    files.extend(comparison::output_files(&results, timings));
    write(&args.out, &files)?;
    print(&results, args.format);
    Ok(exit_code(&results))
}

/// The files of one scenario's folder, as `folder/name`, in name order.
fn read_folder(dir: &Path, folder: &str) -> anyhow::Result<Vec<(String, Vec<u8>)>> {
    let path = dir.join(folder);
    let mut names: Vec<String> = fs::read_dir(&path)
        .with_context(|| format!("{}: the scenario's folder cannot be read", path.display()))?
        .filter_map(|e| e.ok())
        .filter(|e| e.file_type().is_ok_and(|t| t.is_file()))
        .map(|e| e.file_name().to_string_lossy().into_owned())
        // Temporary files of an interrupted write start with a dot.
        .filter(|n| !n.starts_with('.'))
        .collect();
    names.sort();
    names
        .into_iter()
        .map(|name| {
            let file = path.join(&name);
            let bytes =
                fs::read(&file).with_context(|| format!("{}: cannot read", file.display()))?;
            Ok((format!("{folder}/{name}"), bytes))
        })
        .collect()
}
