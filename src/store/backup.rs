//! Whole copies of a database through SQLite's online backup: a copy is one
//! consistent snapshot even while other connections write, and a restore writes the
//! copy's pages into the live database under SQLite's own locks.

use super::{is_busy, Result, Store, StoreError};
use rusqlite::backup::{Backup, StepResult};
use rusqlite::{Connection, OpenFlags, TransactionBehavior};
use std::path::Path;
use std::time::Duration;

/// How many times a copy still busy after the busy timeout is tried again.
const TRIES: u32 = 20;

/// Copies every page of `from` into `to` in one step (one read snapshot of `from`),
/// trying again while either side is busy.
fn copy(from: &Connection, to: &mut Connection, shown: &str) -> Result<()> {
    let backup = Backup::new(from, to)?;
    for attempt in 1..=TRIES {
        match backup.step(-1)? {
            StepResult::Done => return Ok(()),
            // More pages, or either side busy or locked: again, a moment later.
            _ => {
                std::thread::sleep(Duration::from_millis(25 * u64::from(attempt)));
            }
        }
    }
    Err(StoreError::Locked(shown.to_string()))
}

impl Store {
    /// Writes a consistent copy of the whole database into the file `dest` (empty,
    /// or made new and private), as one self-contained file with a rollback journal.
    pub fn backup_to(&self, dest: &Path) -> Result<()> {
        let shown = dest.display().to_string();
        if !dest.exists() {
            super::create_private(dest).map_err(|source| StoreError::Create {
                path: shown.clone(),
                source,
            })?;
        }
        let mut out = Connection::open(dest).map_err(|e| super::classify(e, &shown))?;
        copy(&self.conn, &mut out, &shown)?;
        out.pragma_update(None, "journal_mode", "DELETE")?;
        Ok(())
    }

    /// Whether another connection is writing right now: an immediate transaction,
    /// tried without waiting, is refused.
    pub fn in_use_by_a_writer(&mut self) -> Result<bool> {
        self.conn.busy_timeout(Duration::ZERO)?;
        let tried = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map(|tx| tx.rollback());
        self.conn.busy_timeout(super::BUSY_TIMEOUT)?;
        match tried {
            Ok(rolled_back) => rolled_back.map(|()| false).map_err(StoreError::from),
            Err(e) if is_busy(&e) => Ok(true),
            Err(e) => Err(e.into()),
        }
    }

    /// Replaces the whole database with the copy at `src` (a pingshen database the
    /// caller has checked), through the open connection, so that other connections
    /// see the restored database and never a half-written file.
    pub fn restore_from(&mut self, src: &Path) -> Result<()> {
        let shown = self
            .path
            .as_ref()
            .map(|p| p.display().to_string())
            .unwrap_or_default();
        let from = Connection::open_with_flags(
            src,
            OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
        .map_err(|e| super::classify(e, &src.display().to_string()))?;
        copy(&from, &mut self.conn, &shown)?;
        self.configure()
    }
}
