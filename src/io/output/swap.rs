//! Replacing a whole output folder at once, and cleaning what killed runs left behind.
//!
//! A run writes its files into a sibling temporary folder (`.NAME.XXXXXX.arbiter-new` beside
//! `NAME`), syncs them, then swaps it with the out folder in one step: on Linux with
//! `renameat2(RENAME_EXCHANGE)`, atomic on every local file system that supports it (ext4,
//! xfs, btrfs, tmpfs). Where the exchange is not supported (other systems, some network file
//! systems) the old folder is renamed aside (`.NAME.XXXXXX.arbiter-old`) and the new one
//! renamed in: two renames, between which the folder is briefly missing; a run killed there
//! leaves the old result aside, and the next run puts it back before anything else.
//!
//! Temporary folders are locked (`flock`) by the run that owns them for as long as it lives.
//! The kernel drops the lock when a run dies, however it dies, so the next run writing the
//! same folder tells a killed run's leftovers (unlocked: removed) from a live run's work
//! (locked: left alone).

use std::fs::{self, File};
use std::io;
use std::path::{Path, PathBuf};

/// The suffix of a folder being written.
const NEW: &str = ".arbiter-new";
/// The suffix of an old folder renamed aside (the fallback swap only).
const OLD: &str = ".arbiter-old";

/// A temporary folder beside the out folder, locked while this run lives.
pub(super) struct Staging {
    pub path: PathBuf,
    /// Held open for its lock.
    _lock: File,
}

/// `.NAME.` — the start of every temporary name of out folder `NAME`.
fn prefix(name: &str) -> String {
    format!(".{name}.")
}

/// Is `entry` (a file name in the parent) a temporary of out folder `name` with `suffix`?
/// The random part is the 6 characters `tempfile` draws.
fn is_temporary(entry: &str, name: &str, suffix: &str) -> bool {
    entry
        .strip_prefix(&prefix(name))
        .and_then(|rest| rest.strip_suffix(suffix))
        .is_some_and(|random| {
            random.len() == 6 && random.chars().all(|c| c.is_ascii_alphanumeric())
        })
}

/// Try to take the lock of a temporary folder: `Some` when no live run holds it.
fn lock_if_free(path: &Path) -> Option<File> {
    let handle = File::open(path).ok()?;
    handle.try_lock().ok()?;
    Some(handle)
}

/// Make a new locked staging folder in `parent` for out folder `name`.
pub(super) fn stage(parent: &Path, name: &str) -> io::Result<Staging> {
    // A cleaner in another run may take the lock between creating and locking; then the
    // folder is gone once we hold the lock, and we make another.
    for _ in 0..8 {
        let folder = tempfile::Builder::new()
            .prefix(&prefix(name))
            .suffix(NEW)
            .tempdir_in(parent)?;
        let path = folder.keep();
        let handle = File::open(&path)?;
        handle.lock()?;
        if same_folder(&handle, &path) {
            return Ok(Staging {
                path,
                _lock: handle,
            });
        }
    }
    Err(io::Error::other(
        "could not keep a temporary folder: something removes it as soon as it is made",
    ))
}

/// Is `path` still the file or folder `handle` has open?
#[cfg(unix)]
fn same_folder(handle: &File, path: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    match (handle.metadata(), fs::symlink_metadata(path)) {
        (Ok(a), Ok(b)) => a.dev() == b.dev() && a.ino() == b.ino(),
        _ => false,
    }
}

#[cfg(not(unix))]
fn same_folder(_handle: &File, path: &Path) -> bool {
    path.is_dir()
}

/// Before a run writes out folder `parent/name`: put back an old result that a killed
/// fallback swap left aside (when the out folder is missing), then remove every unlocked
/// temporary of `name` (killed runs' staging folders, old results already replaced).
/// Best effort: what cannot be removed now is tried again by the next run.
pub(super) fn clean(parent: &Path, name: &str) {
    let Ok(entries) = fs::read_dir(parent) else {
        return;
    };
    let mut names: Vec<String> = entries
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|e| is_temporary(e, name, NEW) || is_temporary(e, name, OLD))
        .collect();
    names.sort();
    let out = parent.join(name);
    for entry in names {
        let path = parent.join(&entry);
        let Some(_lock) = lock_if_free(&path) else {
            continue;
        };
        if entry.ends_with(OLD) && fs::symlink_metadata(&out).is_err() {
            // The only complete result there is: back into place.
            if fs::rename(&path, &out).is_ok() {
                continue;
            }
        }
        let _ = fs::remove_dir_all(&path);
    }
}

/// Remove the unlocked temporaries `.FILE.XXXXXX.tmp` of file `file` in `folder`: left by a
/// killed [`super::write_into`] or [`super::write_file`]. Best effort.
pub(super) fn clean_files(folder: &Path, file: &str) {
    let Ok(entries) = fs::read_dir(folder) else {
        return;
    };
    for entry in entries.filter_map(|e| e.ok()) {
        let entry = entry.file_name().to_string_lossy().into_owned();
        if is_temporary(&entry, file, ".tmp") {
            let path = folder.join(&entry);
            if let Some(_lock) = lock_if_free(&path) {
                let _ = fs::remove_file(&path);
            }
        }
    }
}

/// A new temporary file `.FILE.XXXXXX.tmp` in `folder`, locked until it is dropped or this
/// run ends (a cleaner that got in between creating and locking removed it: make another).
pub(super) fn temporary_file(folder: &Path, file: &str) -> io::Result<tempfile::NamedTempFile> {
    for _ in 0..8 {
        let temporary = tempfile::Builder::new()
            .prefix(&prefix(file))
            .suffix(".tmp")
            .tempfile_in(folder)?;
        temporary.as_file().lock()?;
        if same_folder(temporary.as_file(), temporary.path()) {
            return Ok(temporary);
        }
    }
    Err(io::Error::other(
        "could not keep a temporary file: something removes it as soon as it is made",
    ))
}

/// Put staging folder `new` in the place of `out` (which may not exist) in one step where
/// the system allows, then remove the old result. `new` and `out` are in the same folder.
pub(super) fn swap(new: &Staging, out: &Path, parent: &Path, name: &str) -> io::Result<()> {
    // Another run may create or remove `out` between our look and our rename: retry.
    for _ in 0..8 {
        if fs::symlink_metadata(out).is_err() {
            match fs::rename(&new.path, out) {
                Ok(()) => return Ok(()),
                Err(_) if out.exists() => continue,
                Err(e) => return Err(e),
            }
        }
        match exchange(&new.path, out) {
            Ok(()) => {
                // `new.path` now holds the old result; a kill here leaves it unlocked, and
                // the next run removes it.
                let _ = fs::remove_dir_all(&new.path);
                return Ok(());
            }
            Err(e) if exchange_unsupported(&e) => return swap_aside(new, out, parent, name),
            Err(e) if e.kind() == io::ErrorKind::NotFound && !out.exists() => continue,
            Err(e) => return Err(e),
        }
    }
    Err(io::Error::other(
        "the out folder keeps changing under this run; is another run writing it?",
    ))
}

/// The fallback swap: old result aside, new one in, old one removed.
fn swap_aside(new: &Staging, out: &Path, parent: &Path, name: &str) -> io::Result<()> {
    let aside = tempfile::Builder::new()
        .prefix(&prefix(name))
        .suffix(OLD)
        .tempdir_in(parent)?
        .keep();
    // Renaming a folder onto an empty folder replaces it (POSIX); elsewhere free the name.
    if fs::rename(out, &aside).is_err() {
        fs::remove_dir(&aside)?;
        fs::rename(out, &aside)?;
    }
    fs::rename(&new.path, out)?;
    let _ = fs::remove_dir_all(&aside);
    Ok(())
}

/// Exchange two paths atomically (both must exist).
#[cfg(target_os = "linux")]
fn exchange(a: &Path, b: &Path) -> io::Result<()> {
    use std::ffi::CString;
    use std::os::unix::ffi::OsStrExt;
    let c = |p: &Path| {
        CString::new(p.as_os_str().as_bytes())
            .map_err(|_| io::Error::new(io::ErrorKind::InvalidInput, "a NUL byte in the path"))
    };
    let (a, b) = (c(a)?, c(b)?);
    // SAFETY: both are valid NUL-terminated paths that outlive the call; AT_FDCWD resolves
    // them as relative paths are everywhere else in this process.
    let rc = unsafe {
        libc::renameat2(
            libc::AT_FDCWD,
            a.as_ptr(),
            libc::AT_FDCWD,
            b.as_ptr(),
            libc::RENAME_EXCHANGE,
        )
    };
    if rc == 0 {
        Ok(())
    } else {
        Err(io::Error::last_os_error())
    }
}

#[cfg(not(target_os = "linux"))]
fn exchange(_a: &Path, _b: &Path) -> io::Result<()> {
    Err(io::Error::from(io::ErrorKind::Unsupported))
}

/// The errors of a system or file system without `RENAME_EXCHANGE`.
fn exchange_unsupported(e: &io::Error) -> bool {
    #[cfg(target_os = "linux")]
    if matches!(
        e.raw_os_error(),
        Some(libc::EINVAL | libc::ENOSYS | libc::EOPNOTSUPP)
    ) {
        return true;
    }
    e.kind() == io::ErrorKind::Unsupported
}

#[cfg(test)]
mod tests {
    use super::super::names;
    use super::*;

    #[test]
    fn temporaries_are_recognised_by_name() {
        assert!(is_temporary(".out.a1B2c3.arbiter-new", "out", NEW));
        assert!(is_temporary(".out.a1B2c3.arbiter-old", "out", OLD));
        assert!(!is_temporary(".out.a1B2c3.arbiter-new", "out2", NEW));
        assert!(!is_temporary(".out.a1B2.arbiter-new", "out", NEW));
        assert!(!is_temporary("out", "out", NEW));
    }

    #[test]
    fn swap_into_a_missing_folder_and_over_an_existing_one() {
        let root = tempfile::tempdir().unwrap();
        let out = root.path().join("out");
        for round in ["one", "two"] {
            let staging = stage(root.path(), "out").unwrap();
            fs::write(staging.path.join("a.csv"), round).unwrap();
            swap(&staging, &out, root.path(), "out").unwrap();
            assert_eq!(fs::read_to_string(out.join("a.csv")).unwrap(), round);
        }
        assert_eq!(names(root.path()), ["out"], "the old result is removed");
    }

    #[test]
    fn the_fallback_swap_replaces_the_folder() {
        let root = tempfile::tempdir().unwrap();
        let out = root.path().join("out");
        fs::create_dir(&out).unwrap();
        fs::write(out.join("old.csv"), "old").unwrap();
        let staging = stage(root.path(), "out").unwrap();
        fs::write(staging.path.join("new.csv"), "new").unwrap();
        swap_aside(&staging, &out, root.path(), "out").unwrap();
        assert_eq!(names(&out), ["new.csv"]);
        assert_eq!(names(root.path()), ["out"]);
    }

    #[test]
    fn clean_removes_unlocked_temporaries_and_keeps_locked_ones() {
        let root = tempfile::tempdir().unwrap();
        let live = stage(root.path(), "out").unwrap();
        let dead = root.path().join(".out.abcdef.arbiter-new");
        fs::create_dir(&dead).unwrap();
        fs::write(dead.join("a.csv"), "partial").unwrap();
        let other = root.path().join(".other.abcdef.arbiter-new");
        fs::create_dir(&other).unwrap();
        clean(root.path(), "out");
        assert!(live.path.is_dir(), "a live run's folder is left alone");
        assert!(!dead.exists(), "a killed run's folder is removed");
        assert!(
            other.is_dir(),
            "another out folder's temporaries are not ours"
        );
    }

    #[test]
    fn clean_files_removes_a_killed_write_and_keeps_a_live_one() {
        let root = tempfile::tempdir().unwrap();
        let live = temporary_file(root.path(), "a.csv").unwrap();
        fs::write(root.path().join(".a.csv.abcdef.tmp"), "partial").unwrap();
        fs::write(root.path().join(".b.csv.abcdef.tmp"), "not ours").unwrap();
        clean_files(root.path(), "a.csv");
        let live_name = live
            .path()
            .file_name()
            .unwrap()
            .to_string_lossy()
            .into_owned();
        let mut expected = vec![".b.csv.abcdef.tmp".to_string(), live_name];
        expected.sort();
        assert_eq!(names(root.path()), expected);
    }

    #[test]
    fn clean_puts_an_old_result_back_when_the_out_folder_is_missing() {
        let root = tempfile::tempdir().unwrap();
        let aside = root.path().join(".out.abcdef.arbiter-old");
        fs::create_dir(&aside).unwrap();
        fs::write(aside.join("a.csv"), "old").unwrap();
        clean(root.path(), "out");
        assert_eq!(
            fs::read_to_string(root.path().join("out/a.csv")).unwrap(),
            "old"
        );
        assert_eq!(names(root.path()), ["out"]);
    }
}
