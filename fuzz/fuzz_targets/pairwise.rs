//! pairwise.csv (AHP comparisons) with a workbook whose drivers come from it.
#![no_main]

use libfuzzer_sys::fuzz_target;

#[path = "common.rs"]
mod common;

fuzz_target!(|data: &[u8]| {
    common::validate_with(common::workbook("invalid/E027"), "pairwise.csv", data);
});
