//! `pingshen backup FILE` and `pingshen restore FILE`: the files around the service's
//! backup and restore (a private scratch file beside the target, moved into place
//! only when whole and checked; the replaced database kept beside it).

use super::{open_as, print_check, Who};
use crate::service::backup::check_copy;
use crate::service::{Refusal, ServiceError};
use crate::store::{Store, StoreError};
use anyhow::{anyhow, bail, Context, Result};
use std::path::{Path, PathBuf};

/// The folder a file is in ("." for a bare name).
fn folder(path: &Path) -> &Path {
    path.parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."))
}

/// A private, empty scratch file in `dir`, removed unless moved into place.
fn scratch(dir: &Path) -> Result<tempfile::NamedTempFile> {
    std::fs::create_dir_all(dir).with_context(|| format!("{}: cannot create", dir.display()))?;
    tempfile::Builder::new()
        .prefix(".pingshen-")
        .suffix(".partial")
        .tempfile_in(dir)
        .with_context(|| format!("cannot write in {}", dir.display()))
}

fn same_file(a: &Path, b: &Path) -> bool {
    match (a.canonicalize(), b.canonicalize()) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    }
}

fn name_of(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.display().to_string())
}

/// Takes a consistent copy of the database `db` into `file` and checks it.
pub fn backup(db: &Path, who: Who, file: &Path, force: bool) -> Result<()> {
    if file.exists() && !force {
        bail!(
            "{}: already exists (use --force to replace it)",
            file.display()
        );
    }
    if same_file(db, file) {
        bail!("{}: that is the database itself", file.display());
    }
    let mut svc = open_as(db, who, "backup")?;
    let tmp = scratch(folder(file))?;
    let report = svc.backup(tmp.path(), &name_of(file))?;
    print_check(file, &report)?;
    if !report.ok() {
        bail!("{}: the copy fails the checks; not written", file.display());
    }
    let placed = if force {
        tmp.persist(file)
    } else {
        tmp.persist_noclobber(file)
    };
    placed.map_err(|e| anyhow!("{}: cannot write: {}", file.display(), e.error))?;
    outln!("backed up {} to {}", db.display(), file.display())?;
    Ok(())
}

/// Where the database replaced by a restore is kept: `NAME.before-restore`, or
/// `NAME.before-restore-2` and on when that is taken.
fn keep_path(db: &Path) -> PathBuf {
    let base = format!("{}.before-restore", db.display());
    (1..)
        .map(|i| match i {
            1 => PathBuf::from(&base),
            i => PathBuf::from(format!("{base}-{i}")),
        })
        .find(|p| !p.exists())
        .expect("a free name")
}

/// Restores the backup `file` onto the database `db`, keeping the database as it was.
pub fn restore(db: &Path, who: Who, file: &Path) -> Result<()> {
    if !file.is_file() {
        bail!("{}: no such backup", file.display());
    }
    if same_file(db, file) {
        bail!("{}: that is the database itself", file.display());
    }
    // The checks run on a scratch copy: the backup itself is never touched.
    let tmp = scratch(folder(db))?;
    std::fs::copy(file, tmp.path()).with_context(|| format!("{}: cannot read", file.display()))?;
    let refused = |report| {
        // What failed is said on standard output; a closed pipe loses only that.
        let _ = print_check(file, &report);
        anyhow!(
            "{}: the copy fails the checks; not restored, {} is unchanged",
            file.display(),
            db.display()
        )
    };
    let keep = keep_path(db);
    let opened = db.exists().then(|| Store::open(db));
    match opened {
        Some(Ok(store)) => {
            drop(store);
            let mut svc = open_as(db, who, "restore")?;
            match svc.restore(tmp.path(), &keep, &name_of(file)) {
                Ok(report) => print_check(file, &report)?,
                Err(ServiceError::Invalid(Refusal::CopyFailsCheck { .. })) => {
                    return Err(refused(check_copy(tmp.path())?));
                }
                Err(e) => return Err(e.into()),
            }
        }
        // Nothing there, or a file SQLite cannot read: nobody can be using it, and no
        // committee in it to ask; the copy only has to pass the checks.
        None | Some(Err(StoreError::NotADatabase(_))) => {
            let report = check_copy(tmp.path())?;
            if !report.ok() {
                return Err(refused(report));
            }
            print_check(file, &report)?;
            if db.exists() {
                std::fs::rename(db, &keep)
                    .with_context(|| format!("{}: cannot move aside", db.display()))?;
                for suffix in ["-wal", "-shm"] {
                    let _ = std::fs::remove_file(format!("{}{suffix}", db.display()));
                }
            }
            tmp.persist_noclobber(db)
                .map_err(|e| anyhow!("{}: cannot write: {}", db.display(), e.error))?;
        }
        Some(Err(e)) => return Err(e.into()),
    }
    outln!("restored {} from {}", db.display(), file.display())?;
    if keep.exists() {
        outln!("the database as it was is kept in {}", keep.display())?;
    }
    Ok(())
}
