//! Published capital-budgeting problems (fixtures/textbook/, each README cites its source and
//! optimum): `arbiter plan` reproduces each published optimum — objective, the projects
//! chosen and, with partial funding, each share — from `expected.txt`.

use std::path::Path;

#[path = "common/plan.rs"]
mod common;

use common::{fixture, plan};

struct Expected {
    objective: f64,
    selected: Vec<String>,
    /// `(id, share)` of the partly funded projects.
    shares: Vec<(String, f64)>,
}

fn expected(dir: &Path) -> Expected {
    let text = std::fs::read_to_string(dir.join("expected.txt"))
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
    let mut objective = None;
    let mut selected = Vec::new();
    let mut shares = Vec::new();
    for line in text.lines() {
        let Some((key, value)) = line.split_once(':') else {
            continue;
        };
        match key.trim() {
            "objective" => objective = value.trim().parse::<f64>().ok(),
            "selected" => {
                selected = value
                    .split(',')
                    .map(|s| s.trim().to_string())
                    .filter(|s| !s.is_empty())
                    .collect()
            }
            "share" => {
                if let Some((id, share)) = value.split_once('=') {
                    let share = share.trim().parse::<f64>().expect("a share is a number");
                    shares.push((id.trim().to_string(), share));
                }
            }
            _ => {}
        }
    }
    selected.sort();
    Expected {
        objective: objective.unwrap_or_else(|| panic!("{}: no objective", dir.display())),
        selected,
        shares,
    }
}

#[test]
fn every_textbook_problem_gives_its_published_optimum() {
    let root = fixture("textbook");
    let mut dirs: Vec<_> = std::fs::read_dir(&root)
        .expect("fixtures/textbook")
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    assert!(dirs.len() >= 6, "at least six textbook problems");
    let mut reproduced = 0;
    for dir in &dirs {
        let want = expected(dir);
        let run = plan(dir, &["--format", "json"]);
        assert_eq!(run.code, 0, "{}\n{}", dir.display(), run.context());
        let summary = run.summary();
        assert_eq!(summary["status"], "optimal", "{}", dir.display());
        let objective = summary["objective"].as_f64().expect("objective");
        assert!(
            (objective - want.objective).abs() <= 1e-6 * want.objective.abs().max(1.0),
            "{}: objective {objective}, published {}",
            dir.display(),
            want.objective
        );
        let mut got: Vec<String> = summary["selected"]
            .as_array()
            .expect("selected")
            .iter()
            .map(|s| s["id"].as_str().unwrap_or_default().to_string())
            .collect();
        got.sort();
        assert_eq!(got, want.selected, "{}", dir.display());
        // Shares are published to 6 decimals.
        for (id, share) in &want.shares {
            let got = summary["selected"]
                .as_array()
                .expect("selected")
                .iter()
                .find(|s| s["id"] == id.as_str())
                .and_then(|s| s["share"].as_f64())
                .unwrap_or_else(|| panic!("{}: no share for {id}", dir.display()));
            assert!(
                (got - share).abs() <= 1e-6,
                "{}: {id} funded at {got}, published {share}",
                dir.display()
            );
        }
        reproduced += 1;
    }
    assert_eq!(reproduced, dirs.len());
}
