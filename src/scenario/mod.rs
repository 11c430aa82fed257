//! What-if scenarios as data: applying scenarios.csv's changes to the base workbook
//! ([`apply`]), the jobs of a run ([`Job`], [`Source`]) and their folder names, the
//! comparison line of each outcome ([`ScenarioResult`]), and how a run is split into shards
//! ([`shard`], [`Manifest`]). Solving the jobs and building their reports is
//! [`crate::batch`]'s, above the report, so that this module needs neither report nor
//! analysis.

mod apply;
mod result;
mod shard;

pub use apply::{apply, Problem};
pub use result::{ScenarioResult, Timing};
pub use shard::{fingerprint, Manifest, MANIFEST_SCHEMA};

use crate::model::{Scenario, Workbook};

/// Names a scenario may not take because the output folder holds files of that name.
pub const RESERVED_NAMES: [&str; 3] = ["comparison.csv", "scenarios.csv", "timings.csv"];

/// The name of the scenario that is the base workbook itself.
pub const BASE: &str = "base";

/// Longest folder name a scenario may get, in bytes: file systems allow 255 per name, and
/// the outputs' temporary files and paths need room beside it.
pub const FOLDER_MAX: usize = 100;

/// Device names Windows reserves in every folder, with or without an extension
/// (`CON`, `nul.txt`).
const WINDOWS_RESERVED: [&str; 22] = [
    "CON", "PRN", "AUX", "NUL", "COM1", "COM2", "COM3", "COM4", "COM5", "COM6", "COM7", "COM8",
    "COM9", "LPT1", "LPT2", "LPT3", "LPT4", "LPT5", "LPT6", "LPT7", "LPT8", "LPT9",
];

/// The folder a scenario's outputs go to: its name with every character other than a
/// letter, a digit, `-`, `_` or `.` replaced by `_` (so no `/`, `\`, `:`, newline or control
/// character reaches a path: `../x` gives `.._x`, `/abs` gives `_abs`); a name Windows
/// reserves gets `_` after its device part (`CON` gives `CON_`, `nul.txt` `nul_.txt`) and
/// a trailing `.` becomes `_` (Windows drops it). `None` when that leaves nothing usable
/// (empty, or only dots). Names longer than [`FOLDER_MAX`] bytes are refused by the
/// workbook's checks (E037).
pub fn folder_name(name: &str) -> Option<String> {
    let mut folder: String = name
        .trim()
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || matches!(c, '-' | '_' | '.') {
                c
            } else {
                '_'
            }
        })
        .collect();
    if folder.chars().all(|c| c == '.') {
        return None;
    }
    let stem_len = folder.find('.').unwrap_or(folder.len());
    if WINDOWS_RESERVED
        .iter()
        .any(|r| r.eq_ignore_ascii_case(&folder[..stem_len]))
    {
        folder.insert(stem_len, '_');
    }
    if folder.ends_with('.') {
        folder.pop();
        folder.push('_');
    }
    Some(folder)
}

/// What a job solves.
#[derive(Debug, Clone)]
pub enum Source<'a> {
    /// The base workbook as it is.
    Base,
    /// The base workbook with a scenario's changes.
    Changes(&'a Scenario),
    /// A whole alternative workbook.
    Workbook(&'a Workbook),
}

/// One scenario to run.
#[derive(Debug, Clone)]
pub struct Job<'a> {
    pub name: String,
    /// Output folder name (see [`folder_name`]).
    pub folder: String,
    pub source: Source<'a>,
}

/// The indices of `len` items that shard `k` of `n` (1-based) runs: every n-th item from
/// the (k−1)-th, so that shards get similar mixes whatever the order of the scenarios.
pub fn shard(len: usize, k: usize, n: usize) -> Vec<usize> {
    if n == 0 || k == 0 || k > n {
        return Vec::new();
    }
    (k - 1..len).step_by(n).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folder_names_are_safe() {
        assert_eq!(folder_name("budget -10%").as_deref(), Some("budget_-10_"));
        assert_eq!(folder_name("réorg.2027").as_deref(), Some("réorg.2027"));
        assert_eq!(folder_name("a/b\\c").as_deref(), Some("a_b_c"));
        assert_eq!(folder_name(".."), None);
        assert_eq!(folder_name("  "), None);
    }

    #[test]
    fn folder_names_are_never_paths_devices_or_controls() {
        for (name, folder) in [
            ("../x", ".._x"),
            ("../../etc/passwd", ".._.._etc_passwd"),
            ("/abs", "_abs"),
            ("a/b", "a_b"),
            ("C:\\x", "C__x"),
            ("CON", "CON_"),
            ("nul", "nul_"),
            ("Com1.txt", "Com1_.txt"),
            ("lpt9", "lpt9_"),
            ("console", "console"),
            ("a\nb\u{1b}[31m", "a_b__31m"),
            ("v1.", "v1_"),
            ("\u{202e}evil", "_evil"),
        ] {
            assert_eq!(folder_name(name).as_deref(), Some(folder), "{name:?}");
        }
        assert_eq!(folder_name(" \t\n "), None);
        assert_eq!(folder_name("..."), None);
    }

    #[test]
    fn shards_partition_the_items() {
        let mut all: Vec<usize> = (1..=3).flat_map(|k| shard(10, k, 3)).collect();
        assert_eq!(shard(10, 1, 3), [0, 3, 6, 9]);
        assert_eq!(shard(10, 3, 3), [2, 5, 8]);
        all.sort_unstable();
        assert_eq!(all, (0..10).collect::<Vec<_>>());
        assert!(shard(10, 4, 3).is_empty());
        assert_eq!(shard(2, 3, 3), Vec::<usize>::new());
    }
}
