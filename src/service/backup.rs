//! Backups of the whole database and restoring one (`pingshen backup`, `pingshen
//! restore`). A backup is the database itself: full ID numbers, addresses, PIN hashes,
//! the scores being given. So only a member who may take out both the audit log and
//! full ID numbers makes one (the chair, the secretary), and the making is audited;
//! restoring replaces every row, so it takes who may import (the same two).

use super::check::CheckReport;
use super::{AuditNote, Refusal, Result, Service};
use crate::domain::Deed;
use crate::store::audit::Actor;
use crate::store::{Store, StoreError};
use serde_json::json;
use std::path::Path;

/// Runs the checks of `pingshen check` on the database file at `path` (a copy: it is
/// migrated if older, and left as one self-contained file).
pub fn check_copy(path: &Path) -> Result<CheckReport> {
    let svc = Service::system(Store::open(path)?, "check");
    let report = svc.check(&[])?;
    svc.store().leave_wal()?;
    Ok(report)
}

impl Service {
    /// Writes a consistent copy of the whole database into `dest` (a new, private
    /// file, empty, that the caller moves into place once this returns), however
    /// others write meanwhile, and checks the copy. `name` is what the audit row
    /// calls the backup; the copy holds that row.
    pub fn backup(&mut self, dest: &Path, name: &str) -> Result<CheckReport> {
        // A copy holds everything: the audit log, the full ID numbers, the scores.
        self.require(Deed::BackUp)?;
        self.mutate(|_, _| Ok(((), AuditNote::new("backup", "database", name))))?;
        self.store.backup_to(dest)?;
        check_copy(dest)
    }

    /// Replaces the whole database with the copy at `copy` (a scratch copy of the
    /// backup, which the checks may migrate), after the copy passes every check of
    /// `pingshen check`, and while no other connection is writing. The database as it
    /// was is kept first in `keep`. The restored database records the restore, by
    /// whom and from what (`from`), as done by the command: its committee may not be
    /// the one that was.
    pub fn restore(&mut self, copy: &Path, keep: &Path, from: &str) -> Result<CheckReport> {
        self.require(Deed::Restore)?;
        let report = check_copy(copy)?;
        if !report.ok() {
            let faults = report.integrity.len()
                + report.foreign_keys.len()
                + report.audit_faults.len()
                + report.data_faults.len();
            return Err(Refusal::CopyFailsCheck { faults }.into());
        }
        if self.store.in_use_by_a_writer()? {
            let path = self.store.path().map(|p| p.display().to_string());
            return Err(StoreError::Locked(path.unwrap_or_default()).into());
        }
        self.store.backup_to(keep)?;
        self.store.restore_from(copy)?;
        let by = self.actor.clone();
        let kept = keep
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        self.actor = Actor::system("restore");
        let noted = self.mutate(|_, _| {
            Ok((
                (),
                AuditNote::new("restore", "database", from).after(json!({
                    "by": by.name, "by_id": by.member_id, "kept": kept,
                })),
            ))
        });
        self.actor = by;
        noted?;
        Ok(report)
    }
}
