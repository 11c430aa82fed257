//! The CSV workbook reader: the first byte picks which file of the demo workbook the rest
//! replaces (projects, budget, capacity, demand, costs, drivers, balance).
#![no_main]

use libfuzzer_sys::fuzz_target;

#[path = "common.rs"]
mod common;

const FILES: [&str; 7] = [
    "projects.csv",
    "budget.csv",
    "capacity.csv",
    "demand.csv",
    "costs.csv",
    "drivers.csv",
    "balance.csv",
];

fuzz_target!(|data: &[u8]| {
    let Some((&pick, rest)) = data.split_first() else {
        return;
    };
    let file = FILES[pick as usize % FILES.len()];
    common::validate_with(common::workbook("demo"), file, rest);
});
