//! The library's structure, checked from its source text: no import cycle between modules,
//! and no source file a newcomer cannot read in one sitting (600 lines).
//!
//! Every `crate::…`, `super::…` and `self::…` path in `src/` (outside comments) is an edge
//! from the file that writes it to the file that defines the module it names: `use
//! crate::solve::check::Violation` in `src/report/reasons.rs` is an edge to
//! `src/solve/check.rs`. Two graphs must have no cycle:
//! - the top-level modules (`io`, `solve`, `report`, …; the crate root's re-exports are
//!   left out), so that layers point one way;
//! - the files, where a `mod.rs`'s paths into its own sub-modules are left out (a module's
//!   face, its re-exports and its dispatch, belongs to its parts), so that siblings do not
//!   lean on each other both ways.
//!
//! The binary (`src/main.rs`, `src/cli/`) sits above the library and reaches it as
//! `arbiter::`; it is only held to the line limit.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Longest file allowed, in lines.
const MAX_LINES: usize = 600;

/// Files allowed to be longer: generated tables (none today).
const GENERATED: &[&str] = &[];

fn src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

fn rust_files(dir: &Path, into: &mut Vec<PathBuf>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir).expect("src").flatten().collect();
    entries.sort_by_key(|e| e.file_name());
    for entry in entries {
        let path = entry.path();
        if path.is_dir() {
            rust_files(&path, into);
        } else if path.extension().is_some_and(|e| e == "rs") {
            into.push(path);
        }
    }
}

/// The module path of a library file: `src/solve/check.rs` → `["solve", "check"]`,
/// `src/solve/mod.rs` → `["solve"]`, `src/lib.rs` → `[]`.
fn module_of(rel: &Path) -> Vec<String> {
    let mut parts: Vec<String> = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy().to_string())
        .collect();
    let last = parts.pop().expect("a file");
    let stem = last.trim_end_matches(".rs");
    if stem != "mod" && stem != "lib" {
        parts.push(stem.to_string());
    }
    parts
}

/// The source without comments, strings and char literals (so that prose and messages do
/// not count as paths).
fn code_only(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < bytes.len() {
        let c = bytes[i];
        if c == b'/' && bytes.get(i + 1) == Some(&b'/') {
            while i < bytes.len() && bytes[i] != b'\n' {
                i += 1;
            }
        } else if c == b'/' && bytes.get(i + 1) == Some(&b'*') {
            i += 2;
            while i + 1 < bytes.len() && !(bytes[i] == b'*' && bytes[i + 1] == b'/') {
                i += 1;
            }
            i += 2;
        } else if c == b'r'
            && matches!(bytes.get(i + 1), Some(b'"') | Some(b'#'))
            && (i == 0 || !(bytes[i - 1].is_ascii_alphanumeric() || bytes[i - 1] == b'_'))
        {
            // Raw string r"…" or r#"…"#.
            let mut j = i + 1;
            let mut hashes = 0;
            while bytes.get(j) == Some(&b'#') {
                hashes += 1;
                j += 1;
            }
            if bytes.get(j) != Some(&b'"') {
                out.push(c as char);
                i += 1;
                continue;
            }
            j += 1;
            let close: Vec<u8> = std::iter::once(b'"')
                .chain(std::iter::repeat_n(b'#', hashes))
                .collect();
            while j < bytes.len() && !bytes[j..].starts_with(&close) {
                j += 1;
            }
            i = j + close.len();
            out.push_str("\"\"");
        } else if c == b'"' {
            i += 1;
            while i < bytes.len() && bytes[i] != b'"' {
                if bytes[i] == b'\\' {
                    i += 1;
                }
                i += 1;
            }
            i += 1;
            out.push_str("\"\"");
        } else if c == b'\'' {
            // A char literal ('a', '\n', '\u{..}') is skipped; a lifetime ('a) is code.
            let rest = &text[i + 1..];
            match rest.char_indices().next() {
                Some((_, '\\')) => {
                    let close = rest
                        .get(2..)
                        .and_then(|r| r.find('\''))
                        .map_or(rest.len(), |k| k + 3);
                    i += 1 + close;
                    out.push_str("' '");
                }
                Some((_, ch)) if rest[ch.len_utf8()..].starts_with('\'') => {
                    i += 2 + ch.len_utf8();
                    out.push_str("' '");
                }
                _ => {
                    out.push('\'');
                    i += 1;
                }
            }
        } else {
            let ch = text[i..].chars().next().expect("a char");
            out.push(ch);
            i += ch.len_utf8();
        }
    }
    out
}

fn is_ident(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

/// Parse a path at the start of `s` (after its first `crate::`/`super::`/`self::`):
/// segments, and a `{…}` group at the end, expanded. Pushes every full path.
fn parse_tree(s: &str, prefix: Vec<String>, into: &mut Vec<Vec<String>>) -> usize {
    let mut path = prefix;
    let mut i = 0;
    let bytes = s.as_bytes();
    loop {
        while i < s.len() && bytes[i].is_ascii_whitespace() {
            i += 1;
        }
        if s[i..].starts_with('{') {
            i += 1;
            loop {
                while i < s.len() && (bytes[i].is_ascii_whitespace() || bytes[i] == b',') {
                    i += 1;
                }
                if i >= s.len() || s[i..].starts_with('}') {
                    i += 1;
                    break;
                }
                i += parse_tree(&s[i..], path.clone(), into);
            }
            return i;
        }
        let start = i;
        while i < s.len() && is_ident(s[i..].chars().next().unwrap_or(' ')) {
            i += 1;
        }
        if i == start {
            into.push(path);
            return i.max(1);
        }
        path.push(s[start..i].to_string());
        if s[i..].starts_with("::") {
            i += 2;
        } else {
            into.push(path);
            return i;
        }
    }
}

/// Every `crate::`, `super::` and `self::` path in `code`, made absolute from `module`.
fn paths_in(code: &str, module: &[String], is_mod_file: bool) -> Vec<Vec<String>> {
    let mut found = Vec::new();
    for (anchor, base) in [
        ("crate::", Vec::new()),
        ("super::", {
            // In `a/b.rs` (module a::b) and `a/b/mod.rs` (also a::b), super is `a`.
            let mut m = module.to_vec();
            m.pop();
            m
        }),
        ("self::", module.to_vec()),
    ] {
        let _ = is_mod_file;
        let mut at = 0;
        while let Some(k) = code[at..].find(anchor) {
            let pos = at + k;
            at = pos + anchor.len();
            let before = code[..pos].chars().next_back();
            if before.is_some_and(|c| is_ident(c) || c == ':') {
                continue;
            }
            let mut paths = Vec::new();
            parse_tree(&code[at..], base.clone(), &mut paths);
            for mut path in paths {
                // `super::super::x`
                while path.len() > base.len() && path[base.len()] == "super" {
                    path.remove(base.len());
                    let _ = path.len();
                }
                found.push(path);
            }
        }
    }
    found
}

struct Crate {
    /// Module path → file (relative to src/).
    files: BTreeMap<Vec<String>, String>,
    /// File → the files it names.
    edges: BTreeMap<String, BTreeSet<String>>,
}

fn read_crate() -> Crate {
    let root = src();
    let mut all = Vec::new();
    rust_files(&root, &mut all);
    let mut files = BTreeMap::new();
    let mut texts = Vec::new();
    for path in &all {
        let rel = path.strip_prefix(&root).expect("under src");
        let rel_text = rel.display().to_string();
        if rel_text == "main.rs" || rel_text.starts_with("cli/") {
            continue;
        }
        let module = module_of(rel);
        // A `#[path]`-less file whose parent has no mod.rs or .rs: not part of the tree.
        files.insert(module.clone(), rel_text.clone());
        texts.push((
            module,
            rel_text,
            std::fs::read_to_string(path).expect("read"),
        ));
    }
    let mut edges: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (module, file, text) in &texts {
        let code = code_only(text);
        let is_mod_file = file.ends_with("mod.rs") || file == "lib.rs";
        for path in paths_in(&code, module, is_mod_file) {
            // The longest prefix of the path that is a file's module.
            let target = (0..=path.len())
                .rev()
                .find_map(|n| files.get(&path[..n]))
                .cloned();
            let Some(target) = target else { continue };
            if &target == file || target == "lib.rs" {
                continue;
            }
            edges.entry(file.clone()).or_default().insert(target);
        }
    }
    Crate { files, edges }
}

/// A cycle of `graph`, if it has one, as the list of its nodes (the first repeated last).
fn find_cycle(graph: &BTreeMap<String, BTreeSet<String>>) -> Option<Vec<String>> {
    #[derive(Clone, Copy, PartialEq)]
    enum Mark {
        Open,
        Done,
    }
    fn visit(
        node: &str,
        graph: &BTreeMap<String, BTreeSet<String>>,
        marks: &mut BTreeMap<String, Mark>,
        stack: &mut Vec<String>,
    ) -> Option<Vec<String>> {
        marks.insert(node.to_string(), Mark::Open);
        stack.push(node.to_string());
        for next in graph.get(node).into_iter().flatten() {
            match marks.get(next.as_str()) {
                Some(Mark::Open) => {
                    let from = stack.iter().position(|n| n == next).expect("on the stack");
                    let mut cycle = stack[from..].to_vec();
                    cycle.push(next.clone());
                    return Some(cycle);
                }
                Some(Mark::Done) => {}
                None => {
                    if let Some(cycle) = visit(next, graph, marks, stack) {
                        return Some(cycle);
                    }
                }
            }
        }
        stack.pop();
        marks.insert(node.to_string(), Mark::Done);
        None
    }
    let mut marks = BTreeMap::new();
    for node in graph.keys() {
        if !marks.contains_key(node.as_str()) {
            if let Some(cycle) = visit(node, graph, &mut marks, &mut Vec::new()) {
                return Some(cycle);
            }
        }
    }
    None
}

/// Every group of nodes that reach each other (strongly connected, more than one node),
/// each with one cycle through it, so that a failure lists all the cycles at once.
fn cycles(graph: &BTreeMap<String, BTreeSet<String>>) -> Vec<Vec<String>> {
    let reach = |from: &str| -> BTreeSet<String> {
        let mut seen = BTreeSet::new();
        let mut todo = vec![from.to_string()];
        while let Some(node) = todo.pop() {
            for next in graph.get(&node).into_iter().flatten() {
                if seen.insert(next.clone()) {
                    todo.push(next.clone());
                }
            }
        }
        seen
    };
    let reaches: BTreeMap<&String, BTreeSet<String>> =
        graph.keys().map(|n| (n, reach(n))).collect();
    let mut done = BTreeSet::new();
    let mut found = Vec::new();
    for (node, from) in &reaches {
        if done.contains(*node) || !from.contains(*node) {
            continue;
        }
        let group: BTreeSet<String> = from
            .iter()
            .filter(|m| reaches.get(m).is_some_and(|r| r.contains(*node)))
            .cloned()
            .collect();
        done.extend(group.iter().cloned());
        let sub: BTreeMap<String, BTreeSet<String>> = group
            .iter()
            .map(|n| {
                let next = graph.get(n).into_iter().flatten();
                (
                    n.clone(),
                    next.filter(|m| group.contains(*m)).cloned().collect(),
                )
            })
            .collect();
        if let Some(mut cycle) = find_cycle(&sub) {
            if group.len() + 1 > cycle.len() {
                // Name the rest of the group too: they take part in other cycles.
                let rest: Vec<&str> = group
                    .iter()
                    .filter(|n| !cycle.contains(n))
                    .map(String::as_str)
                    .collect();
                cycle.push(format!("(and through {})", rest.join(", ")));
            }
            found.push(cycle);
        }
    }
    found
}

/// The top-level module of a file: `solve/check.rs` → `solve`, `model.rs` → `model`.
fn top(file: &str) -> String {
    file.split('/')
        .next()
        .unwrap_or(file)
        .trim_end_matches(".rs")
        .to_string()
}

#[test]
fn top_level_modules_have_no_cycle() {
    let krate = read_crate();
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (from, targets) in &krate.edges {
        for to in targets {
            if top(from) != top(to) {
                graph.entry(top(from)).or_default().insert(top(to));
            }
        }
    }
    let found = cycles(&graph);
    let mut report = Vec::new();
    for cycle in &found {
        let ties: Vec<String> = cycle
            .windows(2)
            .filter(|pair| !pair[1].starts_with('('))
            .map(|pair| {
                let files: Vec<String> = krate
                    .edges
                    .iter()
                    .flat_map(|(from, targets)| targets.iter().map(move |to| (from, to)))
                    .filter(|(from, to)| top(from) == pair[0] && top(to) == pair[1])
                    .map(|(from, to)| format!("{from} -> {to}"))
                    .collect();
                format!("  {} -> {}: {}", pair[0], pair[1], files.join(", "))
            })
            .collect();
        report.push(format!("{}\n{}", cycle.join(" -> "), ties.join("\n")));
    }
    assert!(
        report.is_empty(),
        "the top-level modules form {} cycle(s):\n{}",
        report.len(),
        report.join("\n")
    );
}

#[test]
fn files_have_no_cycle() {
    let krate = read_crate();
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (from, targets) in &krate.edges {
        let own = from
            .strip_suffix("mod.rs")
            .filter(|_| from.ends_with("/mod.rs"));
        for to in targets {
            if own.is_some_and(|dir| to.starts_with(dir)) {
                continue;
            }
            graph.entry(from.clone()).or_default().insert(to.clone());
        }
    }
    let found: Vec<String> = cycles(&graph).iter().map(|c| c.join(" -> ")).collect();
    assert!(
        found.is_empty(),
        "source files form {} import cycle(s) (one cycle shown per group of files that reach each other):\n{}",
        found.len(),
        found.join("\n")
    );
}

#[test]
fn no_source_file_is_longer_than_600_lines() {
    let root = src();
    let mut all = Vec::new();
    rust_files(&root, &mut all);
    let long: Vec<String> = all
        .iter()
        .filter_map(|path| {
            let rel = path
                .strip_prefix(&root)
                .expect("under src")
                .display()
                .to_string();
            let lines = std::fs::read_to_string(path).expect("read").lines().count();
            (lines > MAX_LINES && !GENERATED.contains(&rel.as_str()))
                .then(|| format!("src/{rel}: {lines} lines"))
        })
        .collect();
    assert!(
        long.is_empty(),
        "source files above {MAX_LINES} lines (split them by what they own):\n{}",
        long.join("\n")
    );
}

#[test]
fn the_checker_sees_the_modules() {
    // Guards the parser: a file that names another must be seen doing so.
    let krate = read_crate();
    assert!(
        krate.files.len() > 20,
        "too few files read: {}",
        krate.files.len()
    );
    let model_users = krate
        .edges
        .values()
        .filter(|targets| targets.contains("model.rs"))
        .count();
    assert!(
        model_users > 10,
        "only {model_users} files seen naming crate::model"
    );
}

#[cfg(test)]
mod parser {
    use super::*;

    #[test]
    fn groups_and_nesting_expand() {
        let mut found = Vec::new();
        parse_tree("a::{b, c::{d, e}, f}", Vec::new(), &mut found);
        let found: Vec<String> = found.iter().map(|p| p.join("::")).collect();
        assert_eq!(found, ["a::b", "a::c::d", "a::c::e", "a::f"]);
    }

    #[test]
    fn comments_and_strings_are_not_code() {
        let code = code_only("let x = \"crate::a\"; // crate::b\n/* crate::c */ crate::d::e;");
        let paths = paths_in(&code, &[], false);
        let paths: Vec<String> = paths.iter().map(|p| p.join("::")).collect();
        assert_eq!(paths, ["d::e"]);
    }

    #[test]
    fn super_is_the_parent_module() {
        let module = vec!["report".to_string(), "table".to_string()];
        let paths = paths_in("use super::baseline::section;", &module, false);
        assert_eq!(paths, [vec!["report", "baseline", "section"]]);
    }

    #[test]
    fn a_cycle_is_found_and_named() {
        let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
        graph.entry("a".into()).or_default().insert("b".into());
        graph.entry("b".into()).or_default().insert("c".into());
        graph.entry("c".into()).or_default().insert("a".into());
        assert_eq!(find_cycle(&graph).expect("a cycle"), ["a", "b", "c", "a"]);
        graph.get_mut("c").expect("c").clear();
        assert_eq!(find_cycle(&graph), None);
    }
}
