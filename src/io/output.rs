//! Writing outputs: CSV bytes from rows; a whole out folder replaced at once
//! ([`write_outputs`], for every `--out DIR`); files written into a folder that also holds
//! other files ([`write_into`], for `init`), or one file ([`write_file`], for `--xlsx` and
//! `--html`), each atomically.
//!
//! [`write_outputs`] writes a sibling temporary folder and swaps it with the out folder (see
//! `replace` and `swap`): a run killed at any moment leaves the complete old result or the
//! complete new one, and the next run removes what the killed one left. [`write_into`]
//! writes each file to a temporary beside its target, syncs it, and renames them into place
//! once all are written: atomic file by file, not as a whole (a kill between two renames
//! leaves a mix), which is why the out folders do not use it.

mod replace;
mod swap;

pub use replace::check_replaceable;

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use tempfile::NamedTempFile;

use crate::error::{Error, Result};

/// CSV bytes: the header, then one record per row; fields are quoted only where needed,
/// lines end in `\n`. A cell that a spreadsheet would take for a formula gets a leading `'`
/// ([`crate::io::formula::neutralise`]).
pub fn csv_bytes(header: &[&str], rows: &[Vec<String>]) -> Vec<u8> {
    use crate::io::formula::neutralise;
    // `flexible` so that no row length can make the writer fail; writing into a Vec cannot
    // fail either.
    let mut writer = csv::WriterBuilder::new()
        .flexible(true)
        .from_writer(Vec::new());
    let header = header.iter().map(|h| neutralise(h).into_owned());
    let _ = writer.write_record(header);
    for row in rows {
        let _ = writer.write_record(row.iter().map(|c| neutralise(c).into_owned()));
    }
    writer.into_inner().unwrap_or_default()
}

fn io_error(path: &Path) -> impl FnOnce(std::io::Error) -> Error + '_ {
    move |source| Error::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// A relative path of plain names (`summary.json`, `base/summary.json`): no empty part, no
/// `.` or `..`, no root, no backslash.
fn check_name(dir: &Path, name: &str) -> Result<PathBuf> {
    let plain = |part: &str| {
        !part.is_empty()
            && part != "."
            && part != ".."
            && !part.contains('\\')
            && Path::new(part).file_name().is_some_and(|n| n == part)
    };
    let path = dir.join(name);
    if !name.split('/').all(plain) {
        return Err(Error::Io {
            path,
            source: std::io::Error::new(
                std::io::ErrorKind::InvalidInput,
                format!("'{name}' is not a plain relative file name"),
            ),
        });
    }
    Ok(path)
}

/// Write one file at `path` atomically (a temporary file beside it, renamed into place), as
/// [`write_into`] does for a set of files.
pub fn write_file(path: &Path, bytes: Vec<u8>) -> Result<()> {
    let dir = match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    };
    let Some(name) = path.file_name().and_then(|n| n.to_str()) else {
        return Err(Error::Io {
            path: path.to_path_buf(),
            source: std::io::Error::new(
                std::io::ErrorKind::InvalidInput,
                "not a file name (or not UTF-8)",
            ),
        });
    };
    write_into(dir, &[(name, bytes)])
}

/// Replace out folder `dir` with a folder holding exactly `files` (relative name, bytes;
/// names may have folder parts separated by `/`, as `base/summary.json`), at once. An
/// existing folder holding anything this run does not write again is refused and left
/// untouched (see [`check_replaceable`]).
pub fn write_outputs<N: AsRef<str>>(dir: &Path, files: &[(N, Vec<u8>)]) -> Result<()> {
    let mut relative = Vec::with_capacity(files.len());
    for (name, bytes) in files {
        check_name(dir, name.as_ref())?;
        relative.push((PathBuf::from(name.as_ref()), bytes.as_slice()));
    }
    let names: Vec<&str> = files.iter().map(|(n, _)| n.as_ref()).collect();
    replace::replace_folder(dir, &relative, &names)
}

/// Write `files` (relative name, bytes) under folder `dir`, keeping its other files,
/// creating folders as needed, all or nothing: each file goes to a temporary file beside its target, is synced, and only
/// once every write succeeded are they renamed into place, in the given order. On failure
/// the temporary files are removed and files already in place keep their content. Names
/// may have folder parts separated by `/` (`base/summary.json`).
pub fn write_into<N: AsRef<str>>(dir: &Path, files: &[(N, Vec<u8>)]) -> Result<()> {
    // Check every name and target before touching anything.
    let mut targets = Vec::with_capacity(files.len());
    for (name, _) in files {
        let target = check_name(dir, name.as_ref())?;
        if target.is_dir() {
            return Err(Error::Io {
                path: target,
                source: std::io::Error::new(
                    std::io::ErrorKind::AlreadyExists,
                    "a folder is in the way of an output file; remove or rename it",
                ),
            });
        }
        targets.push(target);
    }
    fs::create_dir_all(dir).map_err(io_error(dir))?;

    // Dropping a NamedTempFile removes it: an early return cleans up every temporary.
    let mut written: Vec<(NamedTempFile, &PathBuf)> = Vec::with_capacity(files.len());
    let mut folders: Vec<&Path> = Vec::new();
    for ((_, bytes), target) in files.iter().zip(&targets) {
        let folder = target.parent().unwrap_or(dir);
        if !folders.contains(&folder) {
            fs::create_dir_all(folder).map_err(io_error(folder))?;
            folders.push(folder);
        }
        let file_name = target
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        // Temporaries of killed runs (unlocked) are removed; ours is locked while we live.
        swap::clean_files(folder, &file_name);
        let mut temporary = swap::temporary_file(folder, &file_name).map_err(io_error(folder))?;
        temporary.write_all(bytes).map_err(io_error(target))?;
        temporary.flush().map_err(io_error(target))?;
        readable_by_all(temporary.as_file()).map_err(io_error(target))?;
        temporary.as_file().sync_all().map_err(io_error(target))?;
        written.push((temporary, target));
    }

    for (temporary, target) in written {
        temporary.persist(target).map_err(|e| Error::Io {
            path: target.clone(),
            source: e.error,
        })?;
    }
    for folder in folders {
        sync_dir(folder);
    }
    Ok(())
}

/// Temporary files are created private (0600); outputs are ordinary files (0644).
#[cfg(unix)]
fn readable_by_all(file: &fs::File) -> std::io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    file.set_permissions(fs::Permissions::from_mode(0o644))
}

#[cfg(not(unix))]
fn readable_by_all(_file: &fs::File) -> std::io::Result<()> {
    Ok(())
}

/// Make renames and new entries durable. Best effort: some file systems cannot sync a
/// folder, and the files themselves are already synced. (Also the staging folder's and the
/// swap's, in `replace`.)
fn sync_dir(dir: &Path) {
    #[cfg(unix)]
    if let Ok(handle) = fs::File::open(dir) {
        let _ = handle.sync_all();
    }
    #[cfg(not(unix))]
    let _ = dir;
}

/// The entry names of `dir`, sorted: what the tests of this module and of `replace` and
/// `swap` compare.
#[cfg(test)]
fn names(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_bytes_quotes_only_where_needed() {
        let bytes = csv_bytes(
            &["id", "reason"],
            &[
                vec!["P-1".into(), "selected".into()],
                vec!["P-2".into(), "budget of Q1: needs 120,000, 0 left".into()],
                vec!["P-3".into(), "say \"hi\"".into()],
            ],
        );
        assert_eq!(
            String::from_utf8(bytes).unwrap(),
            "id,reason\nP-1,selected\nP-2,\"budget of Q1: needs 120,000, 0 left\"\nP-3,\"say \"\"hi\"\"\"\n"
        );
    }

    #[test]
    fn csv_bytes_neutralises_formulas_but_not_numbers() {
        let bytes = csv_bytes(
            &["id", "=period"],
            &[vec!["=cmd|' /C calc'!A0".into(), "-12.5".into()]],
        );
        assert_eq!(
            String::from_utf8(bytes).unwrap(),
            "id,'=period\n'=cmd|' /C calc'!A0,-12.5\n"
        );
    }

    #[test]
    fn csv_bytes_with_no_rows_is_the_header() {
        assert_eq!(csv_bytes(&["a", "b"], &[]), b"a,b\n");
    }

    #[test]
    fn writes_every_file_and_creates_the_folder() {
        let root = tempfile::tempdir().unwrap();
        let dir = root.path().join("out").join("nested");
        write_outputs(
            &dir,
            &[("a.csv", b"x\n".to_vec()), ("b.json", b"{}\n".to_vec())],
        )
        .unwrap();
        assert_eq!(fs::read(dir.join("a.csv")).unwrap(), b"x\n");
        assert_eq!(fs::read(dir.join("b.json")).unwrap(), b"{}\n");
        assert_eq!(names(&dir), ["a.csv", "b.json"], "no temporary left behind");
    }

    #[test]
    fn overwrites_previous_outputs() {
        let dir = tempfile::tempdir().unwrap();
        write_outputs(dir.path(), &[("a.csv", b"old\n".to_vec())]).unwrap();
        write_outputs(dir.path(), &[("a.csv", b"new\n".to_vec())]).unwrap();
        assert_eq!(fs::read(dir.path().join("a.csv")).unwrap(), b"new\n");
    }

    #[cfg(unix)]
    #[test]
    fn outputs_are_readable_by_all() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        write_outputs(dir.path(), &[("a.csv", b"x\n".to_vec())]).unwrap();
        let mode = fs::metadata(dir.path().join("a.csv"))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o644);
    }

    #[test]
    fn dir_that_is_a_file_fails_and_leaves_it_untouched() {
        let root = tempfile::tempdir().unwrap();
        let dir = root.path().join("out");
        fs::write(&dir, b"i am a file").unwrap();
        let err = write_outputs(&dir, &[("a.csv", b"x\n".to_vec())]).unwrap_err();
        match err {
            Error::Io { path, .. } => assert!(path.starts_with(&dir), "{}", path.display()),
            other => panic!("expected an i/o error, got {other:?}"),
        }
        assert_eq!(fs::read(&dir).unwrap(), b"i am a file");
    }

    #[test]
    fn a_failing_file_leaves_every_previous_output_untouched() {
        let dir = tempfile::tempdir().unwrap();
        write_into(
            dir.path(),
            &[
                ("summary.json", b"old summary\n".to_vec()),
                ("portfolio.csv", b"old portfolio\n".to_vec()),
            ],
        )
        .unwrap();
        // A folder where spend.csv should go: the run fails, and nothing earlier is replaced.
        fs::create_dir(dir.path().join("spend.csv")).unwrap();
        let err = write_into(
            dir.path(),
            &[
                ("summary.json", b"new summary\n".to_vec()),
                ("portfolio.csv", b"new portfolio\n".to_vec()),
                ("spend.csv", b"new spend\n".to_vec()),
            ],
        )
        .unwrap_err();
        match err {
            Error::Io { path, .. } => assert_eq!(path, dir.path().join("spend.csv")),
            other => panic!("expected an i/o error, got {other:?}"),
        }
        assert_eq!(
            fs::read(dir.path().join("summary.json")).unwrap(),
            b"old summary\n"
        );
        assert_eq!(
            fs::read(dir.path().join("portfolio.csv")).unwrap(),
            b"old portfolio\n"
        );
        assert_eq!(
            names(dir.path()),
            ["portfolio.csv", "spend.csv", "summary.json"]
        );
    }

    #[test]
    fn a_write_failing_midway_removes_the_temporaries() {
        let dir = tempfile::tempdir().unwrap();
        write_into(dir.path(), &[("a.csv", b"old\n".to_vec())]).unwrap();
        // A valid 250-byte name whose temporary name (prefix and suffix added) is too long
        // for the file system: the third temporary fails after two were written.
        let long = "x".repeat(250);
        let result = write_into(
            dir.path(),
            &[
                ("a.csv", b"new\n".to_vec()),
                ("b.csv", b"new\n".to_vec()),
                (long.as_str(), b"new\n".to_vec()),
            ],
        );
        assert!(result.is_err());
        assert_eq!(fs::read(dir.path().join("a.csv")).unwrap(), b"old\n");
        assert_eq!(names(dir.path()), ["a.csv"]);
    }

    #[test]
    fn names_that_leave_the_folder_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        for name in [
            "",
            ".",
            "..",
            "../a.csv",
            "sub/../a.csv",
            "/a.csv",
            "sub//a.csv",
            "a\\b.csv",
        ] {
            assert!(
                write_outputs(dir.path(), &[(name, b"x".to_vec())]).is_err(),
                "{name:?}"
            );
        }
        assert!(names(dir.path()).is_empty());
    }

    #[test]
    fn names_with_folder_parts_go_into_sub_folders() {
        let dir = tempfile::tempdir().unwrap();
        write_outputs(
            dir.path(),
            &[
                ("base/summary.json".to_string(), b"{}\n".to_vec()),
                ("cut/summary.json".to_string(), b"[]\n".to_vec()),
                ("comparison.csv".to_string(), b"id\n".to_vec()),
            ],
        )
        .unwrap();
        assert_eq!(names(dir.path()), ["base", "comparison.csv", "cut"]);
        assert_eq!(names(&dir.path().join("base")), ["summary.json"]);
        assert_eq!(
            fs::read(dir.path().join("cut/summary.json")).unwrap(),
            b"[]\n"
        );
    }
}
