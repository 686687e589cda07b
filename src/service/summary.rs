//! What a database holds, in counts: the summary printed by `pingshen summary` and
//! shown when the app cannot open.

use super::Result;
use crate::domain::Stage;
use crate::store::Store;
use rusqlite::params;

/// How many organisations, persons and committee members a database holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Summary {
    pub organisations: i64,
    pub persons: i64,
    pub members: i64,
}

/// How many applications of a cycle are at a stage.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StageCount {
    pub stage: Stage,
    /// At the stage and still going (active or returned); for
    /// [`Stage::Certified`], the applications that are done.
    pub here: i64,
    /// Stopped at the stage: withdrawn, refused or otherwise ended, but not done.
    pub stopped: i64,
}

/// The counts of a database.
pub fn summary(store: &Store) -> Result<Summary> {
    let count = |sql: &str| -> Result<i64> { Ok(store.conn().query_row(sql, [], |r| r.get(0))?) };
    Ok(Summary {
        organisations: count("SELECT count(*) FROM organisations")?,
        persons: count("SELECT count(*) FROM persons")?,
        members: count("SELECT count(*) FROM members")?,
    })
}

/// The applications of cycle `cycle_id` at each of the six stages and the outcome,
/// in order.
pub fn stage_counts(store: &Store, cycle_id: i64) -> Result<Vec<StageCount>> {
    let conn = store.conn();
    let mut counts = Vec::new();
    for stage in Stage::SIX.into_iter().chain([Stage::Certified]) {
        let (active, stopped): (i64, i64) = conn.query_row(
            "SELECT coalesce(sum(status IN ('active', 'returned')), 0), coalesce(sum(status NOT IN ('active', 'returned', 'done')), 0)
             FROM applications WHERE cycle_id = ?1 AND stage = ?2",
            params![cycle_id, stage.code()],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
        let here = if stage == Stage::Certified {
            conn.query_row(
                "SELECT count(*) FROM applications WHERE cycle_id = ?1 AND status = 'done'",
                [cycle_id],
                |r| r.get(0),
            )?
        } else {
            active
        };
        counts.push(StageCount {
            stage,
            here,
            stopped,
        });
    }
    Ok(counts)
}
