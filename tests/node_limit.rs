//! `--node-limit`: a limit on work, not time. A batch under a node limit that actually stops
//! its solves gives the same bytes whatever `--jobs` (and so whatever the load: nothing in a
//! node-limited solve reads the clock), and summary.json says the node limit stopped it.

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;

fn arbiter() -> Command {
    Command::new(env!("CARGO_BIN_EXE_arbiter"))
}

fn run(args: &[&str]) {
    let output = arbiter().args(args).output().expect("run arbiter");
    assert!(
        output.status.success(),
        "arbiter {}: {}",
        args.join(" "),
        String::from_utf8_lossy(&output.stderr)
    );
}

/// Every file under `dir`, relative path → bytes; `plan`'s seconds blanked (scenarios
/// write 0 there already).
fn tree(dir: &Path) -> BTreeMap<String, String> {
    fn walk(root: &Path, dir: &Path, into: &mut BTreeMap<String, String>) {
        for entry in std::fs::read_dir(dir).expect("read the folder").flatten() {
            let path = entry.path();
            if path.is_dir() {
                walk(root, &path, into);
            } else {
                let text = std::fs::read_to_string(&path).expect("an output");
                let text = text
                    .lines()
                    .map(|l| {
                        if l.trim_start().starts_with("\"seconds\":") {
                            "  \"seconds\": 0,"
                        } else {
                            l
                        }
                    })
                    .collect::<Vec<_>>()
                    .join("\n");
                let name = path.strip_prefix(root).expect("under root");
                into.insert(name.display().to_string(), text);
            }
        }
    }
    let mut files = BTreeMap::new();
    walk(dir, dir, &mut files);
    files
}

/// How many summary.json files under `dir` say `"stopped_by": "nodes"`.
fn stopped_by_nodes(files: &BTreeMap<String, String>) -> usize {
    files
        .iter()
        .filter(|(name, text)| {
            name.ends_with("summary.json") && text.contains("\"stopped_by\": \"nodes\"")
        })
        .count()
}

/// A generated workbook whose solves HiGHS does not finish at its root node (so that a
/// limit of one node stops them all), small enough to solve in about a second.
fn workbook(dir: &Path, scenarios: &str) -> String {
    let wb = dir.join("wb").to_str().expect("utf-8 path").to_string();
    run(&[
        "generate",
        "--seed",
        "11",
        "--projects",
        "30",
        "--periods",
        "6",
        "--pools",
        "2",
        "--scenarios",
        scenarios,
        "--out",
        &wb,
    ]);
    wb
}

#[test]
fn scenarios_under_a_node_limit_give_the_same_bytes_whatever_jobs() {
    let work = tempfile::tempdir().expect("temp dir");
    let wb = workbook(work.path(), "6");
    let mut outputs = Vec::new();
    for jobs in ["1", "2"] {
        let out = work.path().join(format!("out-{jobs}"));
        let out = out.to_str().expect("utf-8 path");
        run(&[
            "scenarios",
            &wb,
            "--node-limit",
            "1",
            "--jobs",
            jobs,
            "--quiet",
            "--out",
            out,
        ]);
        outputs.push(tree(Path::new(out)));
    }
    let stopped = stopped_by_nodes(&outputs[0]);
    assert!(
        stopped > 0,
        "the node limit must stop at least one solve for the test to mean anything"
    );
    assert_eq!(outputs[0], outputs[1], "--jobs 1 and --jobs 2 differ");
}

#[test]
fn plan_under_a_node_limit_is_the_same_on_one_thread_or_many_and_says_what_stopped_it() {
    let work = tempfile::tempdir().expect("temp dir");
    let wb = workbook(work.path(), "0");
    let mut outputs = Vec::new();
    for threads in ["1", "2"] {
        let out = work.path().join(format!("out-{threads}"));
        let out = out.to_str().expect("utf-8 path");
        run(&[
            "plan",
            &wb,
            "--node-limit",
            "1",
            "--threads",
            threads,
            "--rank",
            "none",
            "--quiet",
            "--out",
            out,
        ]);
        outputs.push(tree(Path::new(out)));
    }
    let summary = &outputs[0]["summary.json"];
    assert_eq!(stopped_by_nodes(&outputs[0]), 1, "{summary}");
    assert!(summary.contains("\"status\": \"feasible\""), "{summary}");
    assert_eq!(outputs[0], outputs[1], "--threads 1 and --threads 2 differ");

    // Without a limit a plan runs to its end and says so.
    let out = work.path().join("free");
    let tiny = concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures/tiny/discount");
    run(&[
        "plan",
        tiny,
        "--quiet",
        "--out",
        out.to_str().expect("utf-8 path"),
    ]);
    assert!(tree(&out)["summary.json"].contains("\"stopped_by\": null"));
}
