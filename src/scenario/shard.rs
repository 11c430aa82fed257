//! Shards: a run split over several processes or machines (`--shard K/N`), each writing
//! its share of the scenario folders and a manifest, `shard-K-of-N.json`, that `arbiter
//! merge` combines into exactly the files one run writes.

use serde::{Deserialize, Serialize};

use super::ScenarioResult;

/// Version of the manifest layout.
pub const MANIFEST_SCHEMA: u32 = 1;

/// What one shard ran.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Manifest {
    pub schema: u32,
    /// 1-based shard number.
    pub shard: usize,
    /// Number of shards.
    pub of: usize,
    /// Identifies the run: the same workbook, scenarios and options give the same value, so
    /// that shards of different runs are not merged.
    pub fingerprint: String,
    /// Every scenario of the run, in run order (not only this shard's).
    pub names: Vec<String>,
    /// Whether timings were recorded (then merge writes timings.csv).
    pub timings: bool,
    /// This shard's results, in run order.
    pub results: Vec<ScenarioResult>,
}

impl Manifest {
    /// The manifest's file name.
    pub fn file_name(shard: usize, of: usize) -> String {
        format!("shard-{shard}-of-{of}.json")
    }

    /// Whether `name` is a manifest's file name.
    pub fn is_file_name(name: &str) -> bool {
        name.strip_prefix("shard-")
            .and_then(|rest| rest.strip_suffix(".json"))
            .and_then(|rest| rest.split_once("-of-"))
            .is_some_and(|(k, n)| {
                !k.is_empty()
                    && !n.is_empty()
                    && k.bytes().all(|b| b.is_ascii_digit())
                    && n.bytes().all(|b| b.is_ascii_digit())
            })
    }
}

/// A stable 64-bit FNV-1a hash of `text`, as 16 hex digits (stable across runs and
/// platforms, unlike `std`'s hasher).
pub fn fingerprint(text: &str) -> String {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in text.bytes() {
        hash ^= u64::from(byte);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    format!("{hash:016x}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn manifest_names() {
        assert_eq!(Manifest::file_name(2, 8), "shard-2-of-8.json");
        assert!(Manifest::is_file_name("shard-12-of-16.json"));
        assert!(!Manifest::is_file_name("shard-a-of-2.json"));
        assert!(!Manifest::is_file_name("summary.json"));
    }

    #[test]
    fn fingerprint_is_fnv1a() {
        // Reference values of 64-bit FNV-1a.
        assert_eq!(fingerprint(""), "cbf29ce484222325");
        assert_eq!(fingerprint("a"), "af63dc4c8601ec8c");
    }
}
