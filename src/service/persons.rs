//! Reading personnel files for lists and screens.

use super::{Result, Service};
use crate::domain::{Category, Grade};

/// One line of the persons list.
#[derive(Debug, Clone, PartialEq)]
pub struct PersonRow {
    pub id: i64,
    pub name: String,
    pub organisation: String,
    pub county: String,
    pub category: Option<Category>,
    pub position: String,
    pub grade: Option<Grade>,
    /// Last four characters of the ID number (the only part ever shown unrevealed).
    pub id_tail: String,
}

impl Service {
    /// Every person, in file order, with what a list shows.
    pub fn person_list(&self) -> Result<Vec<PersonRow>> {
        let mut stmt = self.conn().prepare_cached(
            "SELECT p.id, p.name, o.name, o.county, p.category, p.position, p.current_grade, substr(p.id_number, -4)
             FROM persons p JOIN organisations o ON o.id = p.org_id ORDER BY p.id",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok(PersonRow {
                id: r.get(0)?,
                name: r.get(1)?,
                organisation: r.get(2)?,
                county: r.get(3)?,
                category: Category::parse(&r.get::<_, String>(4)?),
                position: r.get(5)?,
                grade: r
                    .get::<_, Option<String>>(6)?
                    .as_deref()
                    .and_then(Grade::parse),
                id_tail: r.get(7)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}
