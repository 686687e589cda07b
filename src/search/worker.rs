//! A search thread for an interactive screen: one search per keystroke, each newer one
//! cancelling the one still running.

use super::session::{Generation, Results, Session};
use super::{PersonRecord, QueryError, SearchIndex};
use rusqlite::Connection;
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{channel, Receiver, RecvTimeoutError, Sender};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::Duration;

/// The answer to one [`SearchWorker::search`].
#[derive(Debug, Clone)]
pub struct Reply {
    /// The number [`SearchWorker::search`] returned for this search.
    pub ticket: u64,
    /// The query text as given.
    pub query: String,
    pub outcome: Result<Results, QueryError>,
}

enum Job {
    Search {
        cancel: super::Cancel,
        text: String,
        limit: usize,
    },
    Upsert(Box<PersonRecord>),
    Remove(i64),
    Replace(Box<SearchIndex>),
    /// Re-read the persons from the worker's own database file.
    Sync,
}

/// What the search thread tells the screen about its index.
#[derive(Debug, Default)]
struct Status {
    /// The index has been read (searches before that wait for it).
    ready: AtomicBool,
    /// Why the index could not be read or brought up to date, if it could not.
    failure: Mutex<Option<String>>,
}

/// Owns an index and runs searches on a thread of its own (which splits each search
/// over the cores). Dropping it stops the thread.
pub struct SearchWorker {
    jobs: Option<Sender<Job>>,
    replies: Receiver<Reply>,
    generation: Generation,
    thread: Option<JoinHandle<()>>,
    status: Arc<Status>,
    /// Whether the thread reads its own database file (see [`SearchWorker::open`]).
    reads_file: bool,
}

impl SearchWorker {
    /// A worker over an index already built.
    pub fn spawn(index: SearchIndex) -> SearchWorker {
        SearchWorker::start(false, move |status| {
            status.ready.store(true, Ordering::SeqCst);
            (index, None)
        })
    }

    /// A worker that reads the persons of the database file at `path` on its own
    /// thread and connection, so that the screen never waits for the index to be
    /// built. Searches asked for before it is ready are answered once it is.
    pub fn open(path: &Path) -> SearchWorker {
        let path = path.to_path_buf();
        SearchWorker::start(true, move |status| {
            let read = connect(&path).and_then(|conn| {
                let index = SearchIndex::open(&conn)?;
                Ok((index, conn))
            });
            let (index, conn) = match read {
                Ok((index, conn)) => (index, Some(conn)),
                Err(e) => {
                    status.fail(&path, &e);
                    (SearchIndex::default(), None)
                }
            };
            status.ready.store(true, Ordering::SeqCst);
            (index, conn)
        })
    }

    fn start(
        reads_file: bool,
        load: impl FnOnce(&Status) -> (SearchIndex, Option<Connection>) + Send + 'static,
    ) -> SearchWorker {
        let (jobs, job_rx) = channel::<Job>();
        let (reply_tx, replies) = channel();
        let status = Arc::new(Status::default());
        let shared = status.clone();
        let thread = std::thread::Builder::new()
            .name("search".into())
            .spawn(move || {
                let (index, conn) = load(&shared);
                serve(index, conn, &shared, job_rx, reply_tx)
            })
            .expect("a thread can be started");
        SearchWorker {
            jobs: Some(jobs),
            replies,
            generation: Generation::new(),
            thread: Some(thread),
            status,
            reads_file,
        }
    }

    /// Whether the search thread still runs (it stops only when dropped, or if a
    /// search panicked).
    pub fn is_running(&self) -> bool {
        self.thread.as_ref().is_some_and(|t| !t.is_finished())
    }

    /// Whether the index has been read (a search asked for before waits for it).
    pub fn is_ready(&self) -> bool {
        self.status.ready.load(Ordering::SeqCst)
    }

    /// Why the index could not be read or brought up to date, if so.
    pub fn failure(&self) -> Option<String> {
        self.status.failure.lock().ok().and_then(|f| f.clone())
    }

    /// Brings the index up to date with the database after changes (applied before
    /// any later search): on the search thread, which re-reads every person and
    /// re-indexes only those who changed, when it reads its own file; otherwise by
    /// building a new index from `conn` here.
    pub fn sync(&self, conn: &Connection) -> rusqlite::Result<()> {
        if self.reads_file {
            self.send(Job::Sync);
        } else {
            self.replace(SearchIndex::build(conn)?);
        }
        Ok(())
    }

    fn send(&self, job: Job) {
        if let Some(jobs) = &self.jobs {
            // The thread only stops when this worker is dropped.
            let _ = jobs.send(job);
        }
    }

    /// Starts a search for at most `limit` hits and cancels any search still running
    /// or waiting. Returns its ticket, which its [`Reply`] carries.
    pub fn search(&self, text: &str, limit: usize) -> u64 {
        let cancel = self.generation.next();
        let ticket = cancel.ticket();
        self.send(Job::Search {
            cancel,
            text: text.to_string(),
            limit,
        });
        ticket
    }

    /// Adds or replaces a person (applied before any later search).
    pub fn upsert(&self, record: PersonRecord) {
        self.send(Job::Upsert(Box::new(record)));
    }

    /// Removes a person (applied before any later search).
    pub fn remove(&self, person_id: i64) {
        self.send(Job::Remove(person_id));
    }

    /// Re-reads one person after a change and updates the index (or removes the
    /// person when gone).
    pub fn refresh(&self, conn: &rusqlite::Connection, person_id: i64) -> rusqlite::Result<()> {
        match PersonRecord::load(conn, person_id)? {
            Some(record) => self.upsert(record),
            None => self.remove(person_id),
        }
        Ok(())
    }

    /// Replaces the whole index (after an import, say).
    pub fn replace(&self, index: SearchIndex) {
        self.send(Job::Replace(Box::new(index)));
    }

    /// The newest reply that has arrived, if any; older ones are dropped.
    pub fn try_recv(&self) -> Option<Reply> {
        self.replies.try_iter().last()
    }

    /// Waits up to `timeout` for a reply, then returns the newest one arrived.
    pub fn recv_timeout(&self, timeout: Duration) -> Option<Reply> {
        match self.replies.recv_timeout(timeout) {
            Ok(first) => Some(self.try_recv().unwrap_or(first)),
            Err(RecvTimeoutError::Timeout | RecvTimeoutError::Disconnected) => None,
        }
    }
}

impl Drop for SearchWorker {
    fn drop(&mut self) {
        self.generation.cancel_all();
        self.jobs = None;
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

impl Status {
    fn fail(&self, path: &Path, e: &rusqlite::Error) {
        if let Ok(mut f) = self.failure.lock() {
            *f = Some(format!("{}: {e}", path.display()));
        }
    }
}

/// The search thread's own connection: it only reads, and waits out a writer.
fn connect(path: &Path) -> rusqlite::Result<Connection> {
    crate::store::persons_read::reader(path)
}

/// The thread: jobs in order; a search whose token was cancelled before it ran or
/// while it ran sends nothing.
fn serve(
    mut index: SearchIndex,
    conn: Option<Connection>,
    status: &Status,
    jobs: Receiver<Job>,
    replies: Sender<Reply>,
) {
    let mut session = Session::new();
    for job in jobs {
        match job {
            Job::Search {
                cancel,
                text,
                limit,
            } => {
                if cancel.is_cancelled() {
                    continue;
                }
                let outcome = match session.search(&index, &text, limit, &cancel) {
                    Ok(None) => continue,
                    Ok(Some(results)) => Ok(results),
                    Err(e) => Err(e),
                };
                let reply = Reply {
                    ticket: cancel.ticket(),
                    query: text,
                    outcome,
                };
                if replies.send(reply).is_err() {
                    return;
                }
            }
            Job::Upsert(record) => index.upsert(*record),
            Job::Remove(id) => {
                index.remove(id);
            }
            Job::Replace(new) => {
                index = *new;
                // The new index numbers its texts afresh: never narrow across it.
                session.forget();
            }
            Job::Sync => {
                if let Some(conn) = &conn {
                    match index.sync(conn) {
                        Ok(_) => {
                            if let Ok(mut f) = status.failure.lock() {
                                *f = None;
                            }
                        }
                        Err(e) => status.fail(Path::new(conn.path().unwrap_or("")), &e),
                    }
                }
            }
        }
    }
}
