//! A search thread for an interactive screen: one search per keystroke, each newer one
//! cancelling the one still running.

use super::session::{Generation, Results, Session};
use super::{PersonRecord, QueryError, SearchIndex};
use std::sync::mpsc::{channel, Receiver, RecvTimeoutError, Sender};
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
}

/// Owns an index and runs searches on a thread of its own (which splits each search
/// over the cores). Dropping it stops the thread.
pub struct SearchWorker {
    jobs: Option<Sender<Job>>,
    replies: Receiver<Reply>,
    generation: Generation,
    thread: Option<JoinHandle<()>>,
}

impl SearchWorker {
    pub fn spawn(index: SearchIndex) -> SearchWorker {
        let (jobs, job_rx) = channel::<Job>();
        let (reply_tx, replies) = channel();
        let thread = std::thread::Builder::new()
            .name("search".into())
            .spawn(move || serve(index, job_rx, reply_tx))
            .expect("a thread can be started");
        SearchWorker {
            jobs: Some(jobs),
            replies,
            generation: Generation::new(),
            thread: Some(thread),
        }
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

/// The thread: jobs in order; a search whose token was cancelled before it ran or
/// while it ran sends nothing.
fn serve(mut index: SearchIndex, jobs: Receiver<Job>, replies: Sender<Reply>) {
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
            Job::Replace(new) => index = *new,
        }
    }
}
