//! SQLite storage: opening (pragmas, version checks), migrations, write transactions
//! and the audit log.

pub mod audit;
pub mod backup;
pub mod persons_read;

use rusqlite::{Connection, OpenFlags, Transaction, TransactionBehavior};
use std::path::{Path, PathBuf};
use std::time::Duration;
use thiserror::Error;

/// Marks a database as pingshen's (`PRAGMA application_id`): "PSHN".
pub const APPLICATION_ID: i32 = 0x5053_484E;

/// Ordered migrations; the schema version is the number applied.
const MIGRATIONS: &[&str] = &[
    include_str!("migrations/001_initial.sql"),
    include_str!("migrations/002_scoring_sessions.sql"),
    include_str!("migrations/003_notice_outcomes.sql"),
    include_str!("migrations/004_lockouts.sql"),
    include_str!("migrations/005_audit_rows.sql"),
    include_str!("migrations/006_member_keys.sql"),
    include_str!("migrations/007_meetings.sql"),
    include_str!("migrations/008_search_index.sql"),
];

/// The schema version this build writes.
pub const SCHEMA_VERSION: i32 = MIGRATIONS.len() as i32;

/// How long a command waits for another writer, and how often it tries again after.
const BUSY_TIMEOUT: Duration = Duration::from_secs(5);
const BUSY_RETRIES: u32 = 3;

#[derive(Debug, Error)]
pub enum StoreError {
    #[error("{path}: written by a newer pingshen (schema version {found}, this build knows up to {supported}); upgrade pingshen to open it. The file was not modified.")]
    Newer {
        path: String,
        found: i32,
        supported: i32,
    },
    #[error("{0}: not a pingshen database (it holds other data); the file was not modified")]
    Foreign(String),
    #[error("{0}: not a SQLite database (or it is damaged)")]
    NotADatabase(String),
    #[error("{0}: an empty file, not a pingshen database (create one with `pingshen init --db FILE --force`); the file was not modified")]
    Empty(String),
    #[error("{0}: the database is locked by another process; try again in a moment")]
    Locked(String),
    #[error(
        "{0}: cannot open the database (is it a folder, or is its folder missing or read-only?)"
    )]
    CannotOpen(String),
    #[error("{path}: cannot create the database: {source}")]
    Create {
        path: String,
        source: std::io::Error,
    },
    #[error("database error: {0}")]
    Sqlite(#[from] rusqlite::Error),
}

impl StoreError {
    /// The error in English (its `Display`).
    pub fn en(&self) -> String {
        self.to_string()
    }

    /// The error in Chinese; SQLite's and the system's own messages as they come.
    pub fn zh(&self) -> String {
        match self {
            StoreError::Newer {
                path,
                found,
                supported,
            } => format!(
                "{path}：由更新版本的本程序写入（数据库版本 {found}，本版本最高支持 {supported}）；请升级后再打开。文件未作改动。"
            ),
            StoreError::Foreign(path) => {
                format!("{path}：不是本程序的数据库（存有其他数据）；文件未作改动")
            }
            StoreError::NotADatabase(path) => format!("{path}：不是数据库文件（或已损坏）"),
            StoreError::Empty(path) => format!(
                "{path}：是空文件，不是本程序的数据库（可用 {INIT_ZH} 新建）；文件未作改动"
            ),
            StoreError::Locked(path) => format!("{path}：数据库被其他程序锁定，请稍后再试"),
            StoreError::CannotOpen(path) => {
                format!("{path}：无法打开数据库（是文件夹，或所在文件夹不存在或只读？）")
            }
            StoreError::Create { path, source } => format!("{path}：无法创建数据库：{source}"),
            StoreError::Sqlite(e) => format!("数据库出错：{e}"),
        }
    }
}

/// How to make a new database, in the Chinese refusal of an empty file.
pub const INIT_ZH: &str = "pingshen init --db 文件 --force";

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

pub struct Store {
    conn: Connection,
    path: Option<PathBuf>,
    /// How many more times `write` tries a database still busy after the busy timeout.
    retries: std::cell::Cell<u32>,
}

impl Store {
    /// Opens (creating if needed, with permissions 0600) and migrates a database file.
    /// A database of a newer schema or of another application is refused untouched.
    pub fn open(path: &Path) -> Result<Store> {
        let shown = path.display().to_string();
        if path.is_dir() {
            return Err(StoreError::CannotOpen(shown));
        }
        if !path.exists() {
            create_private(path).map_err(|source| StoreError::Create {
                path: shown.clone(),
                source,
            })?;
        } else if std::fs::metadata(path).is_ok_and(|m| m.len() == 0) {
            // An empty file is not a database: only `init` (which removes it first)
            // makes one there.
            return Err(StoreError::Empty(shown));
        }
        let conn = Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_WRITE
                | OpenFlags::SQLITE_OPEN_NO_MUTEX
                | OpenFlags::SQLITE_OPEN_URI,
        )
        .map_err(|e| classify(e, &shown))?;
        conn.busy_timeout(BUSY_TIMEOUT)?;
        // Look before touching anything: no pragma below writes to a refused file.
        check_identity(&conn, &shown)?;
        conn.pragma_update(None, "journal_mode", "WAL")
            .map_err(|e| classify(e, &shown))?;
        let mut store = Store {
            conn,
            path: Some(path.to_path_buf()),
            retries: std::cell::Cell::new(BUSY_RETRIES),
        };
        store.configure()?;
        store.migrate().map_err(|e| match e {
            StoreError::Sqlite(e) => classify(e, &shown),
            other => other,
        })?;
        Ok(store)
    }

    /// A private in-memory database, migrated (for tests and benchmarks).
    pub fn open_in_memory() -> Result<Store> {
        let conn = Connection::open_in_memory()?;
        let mut store = Store {
            conn,
            path: None,
            retries: std::cell::Cell::new(BUSY_RETRIES),
        };
        store.configure()?;
        store.migrate()?;
        Ok(store)
    }

    fn configure(&mut self) -> Result<()> {
        self.conn.busy_timeout(BUSY_TIMEOUT)?;
        self.conn.pragma_update(None, "foreign_keys", "ON")?;
        // FULL: a commit is on disk before the caller is told it is saved.
        self.conn.pragma_update(None, "synchronous", "FULL")?;
        Ok(())
    }

    fn migrate(&mut self) -> Result<()> {
        let current: i32 = self
            .conn
            .pragma_query_value(None, "user_version", |r| r.get(0))?;
        for (i, sql) in MIGRATIONS.iter().enumerate().skip(current.max(0) as usize) {
            let version = i as i32 + 1;
            let tx = self
                .conn
                .transaction_with_behavior(TransactionBehavior::Immediate)?;
            // Another process may have migrated while we waited for the lock.
            let now: i32 = tx.pragma_query_value(None, "user_version", |r| r.get(0))?;
            if now >= version {
                continue;
            }
            tx.execute_batch(sql)?;
            if version == 5 {
                // Rows written before the log recorded them are its starting point.
                audit::baseline(&tx)?;
            }
            tx.pragma_update(None, "application_id", APPLICATION_ID)?;
            tx.pragma_update(None, "user_version", version)?;
            tx.commit()?;
        }
        Ok(())
    }

    pub fn conn(&self) -> &Connection {
        &self.conn
    }

    /// Leaves write-ahead logging for a rollback journal, so that the database is one
    /// self-contained file (a database just built, before it is moved into place).
    pub fn leave_wal(&self) -> Result<()> {
        self.conn.pragma_update(None, "journal_mode", "DELETE")?;
        Ok(())
    }

    /// A number that changes whenever another connection commits to the database:
    /// polled to refresh a screen when another terminal saves.
    pub fn data_version(&self) -> i64 {
        self.conn
            .pragma_query_value(None, "data_version", |r| r.get(0))
            .unwrap_or(0)
    }

    pub fn path(&self) -> Option<&Path> {
        self.path.as_deref()
    }

    pub fn schema_version(&self) -> Result<i32> {
        Ok(self
            .conn
            .pragma_query_value(None, "user_version", |r| r.get(0))?)
    }

    /// Sets how long one write waits for another writer and how many times it tries
    /// again after that. Commands keep the default (5 s, three more tries); the
    /// full-screen app waits briefly and never tries again itself, so that a locked
    /// database never freezes the screen: it retries from its event loop instead.
    pub fn set_busy_wait(&self, timeout: Duration, retries: u32) -> Result<()> {
        self.conn.busy_timeout(timeout)?;
        self.retries.set(retries);
        Ok(())
    }

    /// Runs `f` in one `BEGIN IMMEDIATE` transaction and commits it; the transaction
    /// is rolled back when `f` fails. Waiting for another writer is bounded by the busy
    /// timeout, and a still-busy database is retried a few times (see
    /// [`Store::set_busy_wait`]) before giving up with an error that
    /// [`StoreError::is_busy`] recognises.
    pub fn write<T, E>(&mut self, mut f: impl FnMut(&Transaction) -> Result<T, E>) -> Result<T, E>
    where
        E: From<rusqlite::Error>,
    {
        let retries = u64::from(self.retries.get());
        let mut attempt = 0;
        loop {
            let tx = match self
                .conn
                .transaction_with_behavior(TransactionBehavior::Immediate)
            {
                Ok(tx) => tx,
                Err(e) if is_busy(&e) && attempt < retries => {
                    attempt += 1;
                    std::thread::sleep(Duration::from_millis(50 * attempt));
                    continue;
                }
                Err(e) => return Err(e.into()),
            };
            let value = f(&tx)?;
            match tx.commit() {
                Ok(()) => return Ok(value),
                Err(e) if is_busy(&e) && attempt < retries => {
                    attempt += 1;
                    std::thread::sleep(Duration::from_millis(50 * attempt));
                }
                Err(e) => return Err(e.into()),
            }
        }
    }
}

impl StoreError {
    /// Whether another connection held the database: nothing was written, and the
    /// same write may succeed later.
    pub fn is_busy(&self) -> bool {
        match self {
            StoreError::Locked(_) => true,
            StoreError::Sqlite(e) => is_busy(e),
            _ => false,
        }
    }
}

fn is_busy(e: &rusqlite::Error) -> bool {
    matches!(
        e.sqlite_error_code(),
        Some(rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked)
    )
}

/// Turns SQLite's generic errors into messages that say what and where.
fn classify(e: rusqlite::Error, path: &str) -> StoreError {
    match e.sqlite_error_code() {
        Some(rusqlite::ErrorCode::NotADatabase) => StoreError::NotADatabase(path.to_string()),
        Some(rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked) => {
            StoreError::Locked(path.to_string())
        }
        Some(rusqlite::ErrorCode::CannotOpen | rusqlite::ErrorCode::ReadOnly) => {
            StoreError::CannotOpen(path.to_string())
        }
        _ => StoreError::Sqlite(e),
    }
}

/// Refuses a newer schema or another application's database.
fn check_identity(conn: &Connection, path: &str) -> Result<()> {
    let read = |pragma: &str| -> Result<i32> {
        conn.pragma_query_value(None, pragma, |r| r.get(0))
            .map_err(|e| classify(e, path))
    };
    let app = read("application_id")?;
    let version = read("user_version")?;
    let tables: i64 = conn
        .query_row("SELECT count(*) FROM sqlite_schema", [], |r| r.get(0))
        .map_err(|e| classify(e, path))?;
    if app != APPLICATION_ID && (app != 0 || version != 0 || tables != 0) {
        return Err(StoreError::Foreign(path.to_string()));
    }
    if version > SCHEMA_VERSION {
        return Err(StoreError::Newer {
            path: path.to_string(),
            found: version,
            supported: SCHEMA_VERSION,
        });
    }
    Ok(())
}

/// Creates an empty file readable and writable by its owner only.
fn create_private(path: &Path) -> std::io::Result<()> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)?;
    }
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    options.open(path).map(|_| ())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fresh_file_is_created_private_and_migrated() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("sub/p.db");
        let store = Store::open(&path).unwrap();
        assert_eq!(store.schema_version().unwrap(), SCHEMA_VERSION);
        let mode: String = store
            .conn()
            .pragma_query_value(None, "journal_mode", |r| r.get(0))
            .unwrap();
        assert_eq!(mode, "wal");
        let fk: i32 = store
            .conn()
            .pragma_query_value(None, "foreign_keys", |r| r.get(0))
            .unwrap();
        assert_eq!(fk, 1);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let m = std::fs::metadata(&path).unwrap().permissions().mode();
            assert_eq!(m & 0o777, 0o600);
        }
    }

    #[test]
    fn reopening_an_existing_database_keeps_data_and_version() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("p.db");
        {
            let store = Store::open(&path).unwrap();
            store
                .conn()
                .execute("INSERT INTO meta VALUES ('k', 'v')", [])
                .unwrap();
        }
        let store = Store::open(&path).unwrap();
        let v: String = store
            .conn()
            .query_row("SELECT value FROM meta WHERE key='k'", [], |r| r.get(0))
            .unwrap();
        assert_eq!(v, "v");
        assert_eq!(store.schema_version().unwrap(), SCHEMA_VERSION);
    }

    #[test]
    fn newer_schema_is_refused_and_left_unmodified() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("p.db");
        {
            let store = Store::open(&path).unwrap();
            store
                .conn()
                .pragma_update(None, "user_version", SCHEMA_VERSION + 1)
                .unwrap();
            store
                .conn()
                .pragma_update(None, "journal_mode", "DELETE")
                .unwrap();
        }
        let before = std::fs::read(&path).unwrap();
        let err = Store::open(&path).err().expect("refused");
        assert!(matches!(err, StoreError::Newer { found, .. } if found == SCHEMA_VERSION + 1));
        assert!(err.to_string().contains("newer pingshen"), "{err}");
        assert_eq!(std::fs::read(&path).unwrap(), before, "file untouched");
        assert!(!dir.path().join("p.db-wal").exists(), "no WAL created");
    }

    #[test]
    fn foreign_and_garbage_files_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let other = dir.path().join("other.db");
        Connection::open(&other)
            .unwrap()
            .execute_batch("CREATE TABLE t(x)")
            .unwrap();
        assert!(matches!(Store::open(&other), Err(StoreError::Foreign(_))));
        let junk = dir.path().join("junk.db");
        std::fs::write(
            &junk,
            b"this is not a database, just some text that is long enough to be a header",
        )
        .unwrap();
        let err = Store::open(&junk).err().unwrap();
        assert!(matches!(err, StoreError::NotADatabase(_)), "{err}");
    }

    #[test]
    fn a_short_busy_wait_gives_up_quickly_and_says_busy() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("p.db");
        let mut store = Store::open(&path).unwrap();
        store.set_busy_wait(Duration::from_millis(10), 0).unwrap();
        let other = Connection::open(&path).unwrap();
        other.execute_batch("BEGIN IMMEDIATE").unwrap();
        let r: Result<(), StoreError> = store.write(|tx| {
            tx.execute("INSERT INTO meta VALUES ('a', '1')", [])?;
            Ok(())
        });
        assert!(r.as_ref().is_err_and(StoreError::is_busy), "{r:?}");
        other.execute_batch("ROLLBACK").unwrap();
        let n: i64 = store
            .conn()
            .query_row("SELECT count(*) FROM meta WHERE key = 'a'", [], |r| {
                r.get(0)
            })
            .unwrap();
        assert_eq!(n, 0);
        store
            .write(|tx| tx.execute("INSERT INTO meta VALUES ('a', '1')", []))
            .unwrap();
    }

    #[test]
    fn failed_write_rolls_back() {
        let mut store = Store::open_in_memory().unwrap();
        let r: Result<(), rusqlite::Error> = store.write(|tx| {
            tx.execute("INSERT INTO meta VALUES ('a', '1')", [])?;
            tx.execute("INSERT INTO meta VALUES ('a', '2')", [])?; // unique violation
            Ok(())
        });
        assert!(r.is_err());
        let n: i64 = store
            .conn()
            .query_row("SELECT count(*) FROM meta", [], |r| r.get(0))
            .unwrap();
        assert_eq!(n, 0);
    }
}
