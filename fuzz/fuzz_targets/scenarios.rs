//! scenarios.csv against the demo workbook: parsed, resolved and applied.
#![no_main]

use libfuzzer_sys::fuzz_target;

#[path = "common.rs"]
mod common;

fuzz_target!(|data: &[u8]| {
    common::validate_with(common::workbook("demo"), "scenarios.csv", data);
});
