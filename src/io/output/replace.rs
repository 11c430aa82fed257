//! Writing a whole out folder (`--out DIR`): the new files go to a sibling temporary folder,
//! are synced, and the folder is swapped in at once ([`super::swap`]), so that the out
//! folder holds the complete old result or the complete new one, never a mix.
//!
//! Replacing a folder removes what was in it. So that no user file is lost to a mistyped
//! `--out`, an existing folder is replaced only when everything in it, at any depth, is a
//! file this run writes again, an output some arbiter command writes (`cut/summary.json` of
//! a scenario dropped since, `timings.csv` of an earlier `--timings` run), or a temporary of
//! a killed run; anything else stops the run with the path in the way, before the folder
//! is touched.

use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use super::{swap, sync_dir};
use crate::error::{Error, Result};

fn io_error(path: &Path) -> impl FnOnce(io::Error) -> Error + '_ {
    move |source| Error::Io {
        path: path.to_path_buf(),
        source,
    }
}

fn refuse(path: PathBuf, why: String) -> Error {
    Error::Io {
        path,
        source: io::Error::new(io::ErrorKind::InvalidInput, why),
    }
}

/// The out folder to replace, its parent and its name: a symbolic link is followed (the
/// folder it points to is replaced, the link kept); `.`, `..` and a folder holding the
/// current one are refused (a process cannot swap its own working folder away).
fn locate(dir: &Path) -> Result<(PathBuf, PathBuf, String)> {
    let dir = if fs::symlink_metadata(dir).is_ok_and(|m| m.file_type().is_symlink()) {
        fs::canonicalize(dir).map_err(io_error(dir))?
    } else {
        dir.to_path_buf()
    };
    let name = dir.file_name().and_then(|n| n.to_str()).map(str::to_string);
    let Some(name) = name.filter(|n| n != "." && n != "..") else {
        return Err(refuse(
            dir,
            "not a folder name; give --out a folder of its own, like arbiter-out".into(),
        ));
    };
    if let (Ok(cwd), Ok(full)) = (std::env::current_dir(), fs::canonicalize(&dir)) {
        if cwd.starts_with(&full) {
            return Err(refuse(
                dir,
                "this is the current folder or holds it; arbiter replaces its out folder whole, so give --out a folder of its own".into(),
            ));
        }
    }
    if dir.exists() && !dir.is_dir() {
        return Err(refuse(
            dir,
            "a file is in the way of the out folder; remove it or give another --out".into(),
        ));
    }
    let parent = match dir.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    Ok((dir, parent, name))
}

/// The files some arbiter command writes into an out folder (`plan`, `scenarios` and its
/// `--timings` and `--shard`, `frontier`, `sensitivity`, `uncertainty`): a folder holding
/// only these is an earlier result, whichever command wrote it, and may be replaced.
const OUTPUT_NAMES: &[&str] = &[
    "summary.json",
    "portfolio.csv",
    "allocation.csv",
    "utilisation.csv",
    "spend.csv",
    "comparison.csv",
    "scenarios.csv",
    "timings.csv",
    "frontier.csv",
    "frontier.svg",
    "sensitivity.csv",
    "uncertainty.json",
    "uncertainty.svg",
    "core_index.csv",
];

/// Is `name` an output of some arbiter command (see [`OUTPUT_NAMES`]), or a shard's
/// manifest `shard-K-of-N.json`?
fn is_output_name(name: &str) -> bool {
    OUTPUT_NAMES.contains(&name)
        || name
            .strip_prefix("shard-")
            .and_then(|n| n.strip_suffix(".json"))
            .and_then(|n| n.split_once("-of-"))
            .is_some_and(|(k, n)| {
                !k.is_empty()
                    && !n.is_empty()
                    && k.chars().chain(n.chars()).all(|c| c.is_ascii_digit())
            })
}

/// A temporary file of the per-file writes of earlier versions or of a killed
/// [`super::write_into`]: `.NAME.XXXXXX.tmp`.
fn is_stale_file(name: &str) -> bool {
    name.starts_with('.') && name.ends_with(".tmp")
}

/// The first entry under `dir` that this run would not write again (by base name), or a
/// link or special file, which are never ours.
fn foreign(dir: &Path, ours: &[&str]) -> io::Result<Option<PathBuf>> {
    // Another run writing the same folder may swap it and remove the old one while we
    // look: what vanished is not in the way.
    let gone = |e: &io::Error| e.kind() == io::ErrorKind::NotFound;
    let mut entries: Vec<_> = match fs::read_dir(dir) {
        Ok(entries) => entries.filter_map(|e| e.ok()).collect(),
        Err(e) if gone(&e) => return Ok(None),
        Err(e) => return Err(e),
    };
    entries.sort_by_key(|e| e.file_name());
    for entry in entries {
        let kind = match entry.file_type() {
            Ok(kind) => kind,
            Err(e) if gone(&e) => continue,
            Err(e) => return Err(e),
        };
        let name = entry.file_name().to_string_lossy().into_owned();
        if kind.is_dir() {
            if let Some(found) = foreign(&entry.path(), ours)? {
                return Ok(Some(found));
            }
        } else if !(kind.is_file()
            && (ours.contains(&name.as_str()) || is_output_name(&name) || is_stale_file(&name)))
        {
            return Ok(Some(entry.path()));
        }
    }
    Ok(None)
}

/// Check that out folder `dir` may be replaced by a run writing `names` (relative paths,
/// already checked plain): it does not exist, or holds only files of those base names and
/// stale temporaries, or outputs of other commands. Public so that a command can check
/// before a long run as well as at its end.
pub fn check_replaceable<N: AsRef<str>>(dir: &Path, names: &[N]) -> Result<()> {
    let (dir, _, _) = locate(dir)?;
    if !dir.is_dir() {
        return Ok(());
    }
    let ours: Vec<&str> = names
        .iter()
        .filter_map(|n| n.as_ref().rsplit('/').next())
        .collect();
    if let Some(path) = foreign(&dir, &ours).map_err(io_error(&dir))? {
        return Err(refuse(
            path,
            format!(
                "not an output of this run, and arbiter replaces its out folder ({}) whole; move this away, or give another --out folder",
                dir.display()
            ),
        ));
    }
    Ok(())
}

/// Replace folder `dir` with one holding exactly `files` (relative names, checked), at
/// once. See the module documentation.
pub fn replace_folder(dir: &Path, files: &[(PathBuf, &[u8])], names: &[&str]) -> Result<()> {
    let (dir, parent, name) = locate(dir)?;
    fs::create_dir_all(&parent).map_err(io_error(&parent))?;
    swap::clean(&parent, &name);
    check_replaceable(&dir, names)?;
    let mode = fs::metadata(&dir).ok().map(|m| m.permissions());

    let staging = swap::stage(&parent, &name).map_err(io_error(&parent))?;
    // On any error below the staging folder is left, unlocked once this run ends, and the
    // next run removes it; remove it now too.
    let written = fill(&staging.path, files, mode);
    if let Err(e) = written {
        let _ = fs::remove_dir_all(&staging.path);
        return Err(e);
    }
    swap::swap(&staging, &dir, &parent, &name).map_err(io_error(&dir))?;
    sync_dir(&parent);
    Ok(())
}

/// Write `files` under `root` (the staging folder), each synced, then the folders.
fn fill(root: &Path, files: &[(PathBuf, &[u8])], mode: Option<fs::Permissions>) -> Result<()> {
    let mut folders: Vec<PathBuf> = Vec::new();
    for (relative, bytes) in files {
        let path = root.join(relative);
        let folder = path.parent().unwrap_or(root).to_path_buf();
        if !folders.contains(&folder) {
            fs::create_dir_all(&folder).map_err(io_error(&folder))?;
            folders.push(folder);
        }
        let mut file = fs::File::create(&path).map_err(io_error(&path))?;
        file.write_all(bytes).map_err(io_error(&path))?;
        readable_by_all(&file).map_err(io_error(&path))?;
        file.sync_all().map_err(io_error(&path))?;
    }
    for folder in &folders {
        sync_dir(folder);
    }
    // The staging folder is made private (0700); the out folder keeps the old one's
    // permissions, or gets an ordinary folder's.
    if let Some(permissions) = folder_permissions(mode) {
        fs::set_permissions(root, permissions).map_err(io_error(root))?;
    }
    sync_dir(root);
    Ok(())
}

/// The out folder's permissions: the old folder's, or an ordinary folder's (0755).
#[cfg(unix)]
fn folder_permissions(old: Option<fs::Permissions>) -> Option<fs::Permissions> {
    use std::os::unix::fs::PermissionsExt;
    Some(old.unwrap_or_else(|| fs::Permissions::from_mode(0o755)))
}

#[cfg(not(unix))]
fn folder_permissions(old: Option<fs::Permissions>) -> Option<fs::Permissions> {
    old
}

/// Outputs are ordinary files (0644), whatever the umask of a batch system.
#[cfg(unix)]
fn readable_by_all(file: &fs::File) -> io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    file.set_permissions(fs::Permissions::from_mode(0o644))
}

#[cfg(not(unix))]
fn readable_by_all(_file: &fs::File) -> io::Result<()> {
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::super::names;
    use super::*;

    fn replace(dir: &Path, files: &[(&str, &str)]) -> Result<()> {
        let owned: Vec<(PathBuf, &[u8])> = files
            .iter()
            .map(|(n, b)| (PathBuf::from(n), b.as_bytes()))
            .collect();
        let names: Vec<&str> = files.iter().map(|(n, _)| *n).collect();
        replace_folder(dir, &owned, &names)
    }

    #[test]
    fn the_new_folder_holds_exactly_the_new_files() {
        let root = tempfile::tempdir().unwrap();
        let out = root.path().join("out");
        replace(
            &out,
            &[("base/summary.json", "old"), ("cut/summary.json", "old")],
        )
        .unwrap();
        fs::write(out.join(".summary.json.a1b2c3.tmp"), "stale").unwrap();
        replace(&out, &[("base/summary.json", "new"), ("a.csv", "new")]).unwrap();
        assert_eq!(
            names(&out),
            ["a.csv", "base"],
            "a dropped scenario's folder goes"
        );
        assert_eq!(
            fs::read_to_string(out.join("base/summary.json")).unwrap(),
            "new"
        );
        assert_eq!(names(root.path()), ["out"], "no temporary left beside it");
    }

    #[test]
    fn a_folder_holding_other_files_is_refused_and_untouched() {
        let root = tempfile::tempdir().unwrap();
        let out = root.path().join("out");
        fs::create_dir(&out).unwrap();
        fs::write(out.join("projects.csv"), "mine").unwrap();
        let err = replace(&out, &[("summary.json", "new")]).unwrap_err();
        let text = err.to_string();
        assert!(
            text.contains("projects.csv") && text.contains("--out"),
            "{text}"
        );
        assert_eq!(names(&out), ["projects.csv"]);
        assert_eq!(names(root.path()), ["out"]);
    }

    #[test]
    fn an_earlier_result_of_another_command_may_be_replaced() {
        let root = tempfile::tempdir().unwrap();
        let out = root.path().join("out");
        replace(
            &out,
            &[
                ("timings.csv", "t"),
                ("shard-2-of-4.json", "{}"),
                ("cut/spend.csv", "s"),
            ],
        )
        .unwrap();
        replace(&out, &[("summary.json", "new")]).unwrap();
        assert_eq!(names(&out), ["summary.json"]);
        assert!(is_output_name("shard-12-of-40.json"));
        assert!(!is_output_name("shard-x-of-4.json"));
        assert!(!is_output_name("projects.csv"));
    }

    #[test]
    fn a_file_in_the_way_and_dot_are_refused() {
        let root = tempfile::tempdir().unwrap();
        let file = root.path().join("out");
        fs::write(&file, "i am a file").unwrap();
        assert!(replace(&file, &[("a.csv", "x")]).is_err());
        assert_eq!(fs::read(&file).unwrap(), b"i am a file");
        assert!(replace(Path::new("."), &[("a.csv", "x")]).is_err());
    }

    #[cfg(unix)]
    #[test]
    fn a_link_to_the_out_folder_is_kept_and_its_target_replaced() {
        let root = tempfile::tempdir().unwrap();
        let real = root.path().join("real");
        replace(&real, &[("a.csv", "old")]).unwrap();
        let link = root.path().join("link");
        std::os::unix::fs::symlink(&real, &link).unwrap();
        replace(&link, &[("a.csv", "new")]).unwrap();
        assert!(fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink());
        assert_eq!(fs::read_to_string(real.join("a.csv")).unwrap(), "new");
    }

    #[cfg(unix)]
    #[test]
    fn the_out_folder_is_an_ordinary_folder() {
        use std::os::unix::fs::PermissionsExt;
        let root = tempfile::tempdir().unwrap();
        let out = root.path().join("out");
        replace(&out, &[("a.csv", "x")]).unwrap();
        let mode = fs::metadata(&out).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o755);
    }
}
