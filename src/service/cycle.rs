//! Certification cycles and the rules stored with them.

use super::{AuditNote, Missing, Refusal, Result, Service, ServiceError};
use crate::domain::rules::Rules;
use crate::domain::Deed;
use crate::store::Store;
use chrono::NaiveDate;
use rusqlite::{params, OptionalExtension};
use serde_json::json;
use sha2::{Digest, Sha256};

#[derive(Debug, Clone)]
pub struct Cycle {
    pub id: i64,
    pub year: i32,
    pub name: String,
    pub cycle_date: NaiveDate,
    pub rules: Rules,
    pub open: bool,
}

/// A cycle as listed: its id, year, name, eligibility date and status as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CycleRow {
    pub id: i64,
    pub year: i32,
    pub name: String,
    pub cycle_date: String,
    pub status: String,
}

/// Every cycle, oldest year first.
pub fn list(store: &Store) -> Result<Vec<CycleRow>> {
    let mut stmt = store
        .conn()
        .prepare("SELECT id, year, name, cycle_date, status FROM cycles ORDER BY year, id")?;
    let rows = stmt.query_map([], |r| {
        Ok(CycleRow {
            id: r.get(0)?,
            year: r.get(1)?,
            name: r.get(2)?,
            cycle_date: r.get(3)?,
            status: r.get(4)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

impl Service {
    /// Creates a cycle governed by `rules_text` (validated; stored verbatim so that a
    /// later change of the file never changes this cycle's results).
    pub fn create_cycle(
        &mut self,
        rules_text: &str,
        year: i32,
        cycle_date: NaiveDate,
    ) -> Result<i64> {
        self.require(Deed::CreateCycle)?;
        let rules =
            Rules::from_toml(rules_text).map_err(|problems| Refusal::BadRules { problems })?;
        let name = format!("{} {year} 年度认证", rules.city.name);
        let hash = hex::encode(Sha256::digest(rules_text.as_bytes()));
        let city = rules.city.name.clone();
        let taken: Option<i64> = self
            .conn()
            .query_row(
                "SELECT id FROM cycles WHERE city = ?1 AND year = ?2",
                params![city, year],
                |r| r.get(0),
            )
            .optional()?;
        if let Some(id) = taken {
            return Err(Refusal::CycleExists { city, year, id }.into());
        }
        let now = self.stamp();
        self.mutate(|tx, _| {
            tx.execute(
                "INSERT INTO cycles (year, city, name, cycle_date, rules_toml, rules_hash, created_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                params![year, city, name, cycle_date.to_string(), rules_text, hash, now],
            )?;
            let id = tx.last_insert_rowid();
            Ok((
                id,
                AuditNote::new("create", "cycle", id)
                    .after(json!({"year": year, "city": city, "cycle_date": cycle_date.to_string(), "rules_sha256": hash})),
            ))
        })
    }

    /// The newest open cycle's id.
    pub fn open_cycle_id(&self) -> Result<i64> {
        self.conn()
            .query_row(
                "SELECT id FROM cycles WHERE status = 'open' ORDER BY year DESC, id DESC LIMIT 1",
                [],
                |r| r.get(0),
            )
            .optional()?
            .ok_or(ServiceError::NoOpenCycle)
    }

    /// A cycle with its stored rules.
    pub fn cycle(&self, id: i64) -> Result<Cycle> {
        let (year, name, date, text, status): (i32, String, String, String, String) = self
            .conn()
            .query_row(
                "SELECT year, name, cycle_date, rules_toml, status FROM cycles WHERE id = ?1",
                [id],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)),
            )
            .optional()?
            .ok_or(ServiceError::NotFound(Missing::Cycle(id)))?;
        // A cycle's rules never change once stored, so they are parsed once.
        let cached = self.rules_cache.borrow().get(&id).cloned();
        let rules = match cached {
            Some(rules) => rules,
            None => {
                let rules =
                    Rules::from_toml(&text).map_err(|mut p| Refusal::StoredRulesBroken {
                        cycle: id,
                        problem: p.swap_remove(0),
                    })?;
                self.rules_cache.borrow_mut().insert(id, rules.clone());
                rules
            }
        };
        let cycle_date = NaiveDate::parse_from_str(&date, "%Y-%m-%d")
            .map_err(|_| Refusal::BadCycleDate { cycle: id, date })?;
        Ok(Cycle {
            id,
            year,
            name,
            cycle_date,
            rules,
            open: status == "open",
        })
    }

    /// The newest open cycle.
    pub fn open_cycle(&self) -> Result<Cycle> {
        self.cycle(self.open_cycle_id()?)
    }
}
