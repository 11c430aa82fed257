//! `arbiter import` of a generated Jira export ("CSV (all fields)"): 50,000 issues under 500
//! epics, with estimates, dates, costs, business values, blocking links and repeated
//! `Labels` columns. The CSV text is made outside the timed loop (fixed, no randomness);
//! the loop parses it and imports it, as the command does before writing.

use criterion::{criterion_group, criterion_main, Criterion};

use arbiter::import::{import, mapping, Options};
use arbiter::io::grid;

const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// A Jira export of `issues` stories under `issues / 100` epics.
pub fn jira_export(issues: usize) -> String {
    let mut out = String::from(
        "Summary,Issue key,Issue id,Issue Type,Status,Priority,Due date,Labels,Labels,Original estimate,Inward issue link (Blocks),Custom field (Business Value),Custom field (Cost),Custom field (Start date),Parent\n",
    );
    let epics = (issues / 100).max(1);
    for e in 0..epics {
        out.push_str(&format!(
            "Epic {e},EP-{e},{},Epic,To Do,High,,theme,,,,,,,\n",
            1_000_000 + e
        ));
    }
    for i in 0..issues {
        let month = MONTHS[i % 12];
        let status = ["To Do", "In Progress", "Backlog", "Done"][i % 4];
        let priority = ["Highest", "High", "Medium", "Low", "Lowest"][i % 5];
        let blocked_by = if i % 7 == 3 {
            format!("PORT-{}", i - 1)
        } else {
            String::new()
        };
        out.push_str(&format!(
            "\"Story {i}, part {}\",PORT-{i},{},Story,{status},{priority},{:02}/{month}/28 12:00 AM,label{},l{},{},{blocked_by},{},\"{}.50\",{:02}/{month}/27,{}\n",
            i % 3,
            2_000_000 + i,
            i % 28 + 1,
            i % 9,
            i % 5,
            (i % 40 + 1) * 8 * 3600,
            i % 100,
            1000 + (i * 37) % 90_000,
            i % 28 + 1,
            1_000_000 + i % epics,
        ));
    }
    out
}

fn bench(c: &mut Criterion) {
    let text = jira_export(50_000);
    let profile = mapping::profile_text("jira").expect("profile");
    let mapping = mapping::parse(profile, "jira").expect("mapping");
    let options = Options::default();
    // Check once, outside the loop, that the import succeeds.
    let grid = grid::parse_csv(&text).expect("csv");
    let imported = import(&grid, None, &mapping, &options).expect("imports");
    assert!(!imported.files.is_empty());
    let mut group = c.benchmark_group("import");
    group.sample_size(10);
    group.bench_function("jira 50,000 issues", |b| {
        b.iter(|| {
            let grid = grid::parse_csv(&text).expect("csv");
            import(&grid, None, &mapping, &options).expect("imports")
        })
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
