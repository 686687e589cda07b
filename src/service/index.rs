//! The search index over the persons, built from the database and kept up to date
//! with it.

use super::{Result, Service};
use crate::search::{SearchIndex, SearchWorker};

impl Service {
    /// A search index over every person of the database: the one kept with it,
    /// brought up to date (see [`SearchIndex::open`]).
    pub fn search_index(&self) -> Result<SearchIndex> {
        Ok(SearchIndex::open(self.conn())?)
    }

    /// Brings a search thread's index up to date with what was written since it was
    /// built.
    pub fn sync_search(&self, worker: &SearchWorker) -> Result<()> {
        Ok(worker.sync(self.conn())?)
    }
}
