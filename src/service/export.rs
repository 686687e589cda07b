//! Exports as tables: persons (ID numbers masked unless revealed, which is audited),
//! applications, scores (only of candidates whose values may be seen) and the audit
//! log.

use super::evaluation::Session;
use super::{AuditNote, Result, Service};
use crate::domain::ids::mask;
use crate::domain::Role;
use crate::table::Table;
use rusqlite::types::ValueRef;
use serde_json::json;
use std::collections::hash_map::Entry;
use std::collections::{HashMap, HashSet};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExportKind {
    Persons,
    Applications,
    Scores,
    Audit,
}

impl ExportKind {
    pub const ALL: [ExportKind; 4] = [
        ExportKind::Persons,
        ExportKind::Applications,
        ExportKind::Scores,
        ExportKind::Audit,
    ];

    pub fn code(self) -> &'static str {
        match self {
            ExportKind::Persons => "persons",
            ExportKind::Applications => "applications",
            ExportKind::Scores => "scores",
            ExportKind::Audit => "audit",
        }
    }

    pub fn parse(text: &str) -> Option<ExportKind> {
        ExportKind::ALL
            .into_iter()
            .find(|k| k.code() == text.trim())
    }
}

fn cell(v: ValueRef<'_>) -> String {
    match v {
        ValueRef::Null => String::new(),
        ValueRef::Integer(i) => i.to_string(),
        ValueRef::Real(f) => crate::domain::eligibility::fmt_num(f),
        ValueRef::Text(t) | ValueRef::Blob(t) => String::from_utf8_lossy(t).into_owned(),
    }
}

impl Service {
    /// Runs a query into a table whose headers are the query's column names; the
    /// columns named in `masked` are masked.
    fn query_table(&self, source: &str, sql: &str, masked: &[&str]) -> Result<Table> {
        let mut stmt = self.conn().prepare(sql)?;
        let headers: Vec<String> = stmt.column_names().iter().map(|s| s.to_string()).collect();
        let hide: Vec<bool> = headers
            .iter()
            .map(|h| masked.contains(&h.as_str()))
            .collect();
        let mut table = Table {
            source: source.to_string(),
            headers,
            rows: Vec::new(),
            numeric: Vec::new(),
        };
        let n = table.headers.len();
        // A column is numeric when SQLite stored a number in each of its cells that
        // are not empty (and in at least one).
        let mut numbers = vec![0usize; n];
        let mut texts = vec![0usize; n];
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            let mut cells = Vec::with_capacity(n);
            for (i, h) in hide.iter().enumerate() {
                let v = r.get_ref(i)?;
                match v {
                    ValueRef::Integer(_) | ValueRef::Real(_) => numbers[i] += 1,
                    ValueRef::Text(_) | ValueRef::Blob(_) => texts[i] += 1,
                    ValueRef::Null => {}
                }
                let c = cell(v);
                cells.push(if *h && !c.is_empty() { mask(&c) } else { c });
            }
            table.push(cells);
        }
        table.numeric = (0..n)
            .map(|i| numbers[i] > 0 && texts[i] == 0 && !hide[i])
            .collect();
        Ok(table)
    }

    /// The applications with scores whose values the actor may not see yet: while
    /// a cycle's scoring is open, those without a final result.
    fn hidden_scores(&self) -> Result<HashSet<i64>> {
        let mut stmt = self.conn().prepare(
            "SELECT DISTINCT a.id, a.cycle_id, a.result_passed IS NOT NULL
             FROM scores s JOIN applications a ON a.id = s.application_id",
        )?;
        let apps: Vec<(i64, i64, bool)> = stmt
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
            .collect::<rusqlite::Result<_>>()?;
        let mut sessions: HashMap<i64, Session> = HashMap::new();
        let mut hidden = HashSet::new();
        for (app, cycle, finalised) in apps {
            let session = match sessions.entry(cycle) {
                Entry::Occupied(e) => e.into_mut(),
                Entry::Vacant(e) => e.insert(self.session(cycle)?),
            };
            if !self.values_visible(session, finalised) {
                hidden.insert(app);
            }
        }
        Ok(hidden)
    }

    /// How many candidates the scores export leaves out because their values may
    /// not be seen yet.
    pub fn scores_withheld(&self) -> Result<usize> {
        Ok(self.hidden_scores()?.len())
    }

    /// Builds an export. `reveal_ids` shows full ID numbers and phones in the persons
    /// export: chair and secretary only, and audited.
    pub fn export(&mut self, kind: ExportKind, reveal_ids: bool) -> Result<Table> {
        match kind {
            ExportKind::Persons => {
                if reveal_ids {
                    self.require(&[Role::Chair, Role::Secretary], "reveal ID numbers")?;
                }
                let table = self.query_table(
                    "persons",
                    "SELECT p.id_number, p.name, p.sex, p.birth_date, o.code AS org_code, o.name AS organisation,
                            o.county, p.category, p.position, p.post_start, p.current_grade, p.grade_since,
                            p.phone, p.ethnicity, p.education, p.party_join_date, p.title
                     FROM persons p JOIN organisations o ON o.id = p.org_id ORDER BY p.id",
                    if reveal_ids { &[] } else { &["id_number", "phone"] },
                )?;
                if reveal_ids {
                    let rows = table.len();
                    self.mutate(|_, _| Ok(((), AuditNote::new("reveal_ids", "export", "persons").after(json!({"rows": rows})))))?;
                }
                Ok(table)
            }
            ExportKind::Applications => self.query_table(
                "applications",
                "SELECT a.id, c.year AS cycle, p.id_number, p.name, o.name AS organisation, p.category,
                        p.current_grade, a.target_grade, a.declared_on, a.stage, a.status, a.test_score,
                        a.override_reason, a.result_score, a.result_passed, a.updated_at
                 FROM applications a JOIN cycles c ON c.id = a.cycle_id JOIN persons p ON p.id = a.person_id
                 JOIN organisations o ON o.id = p.org_id ORDER BY a.id",
                &["id_number"],
            ),
            ExportKind::Scores => {
                self.require(&[Role::Chair], "export scores")?;
                let all = self.query_table(
                    "scores",
                    "SELECT s.application_id, p.name AS candidate, m.name AS member, s.criterion, s.value,
                            s.comment, sh.status AS sheet, s.updated_at
                     FROM scores s JOIN applications a ON a.id = s.application_id JOIN persons p ON p.id = a.person_id
                     JOIN members m ON m.id = s.member_id
                     LEFT JOIN sheets sh ON sh.application_id = s.application_id AND sh.member_id = s.member_id
                     ORDER BY s.application_id, m.id, s.criterion",
                    &[],
                )?;
                // Values of candidates that may not be seen yet stay in the database.
                let hidden = self.hidden_scores()?;
                let mut table = Table {
                    rows: Vec::new(),
                    ..all
                };
                for row in all.rows {
                    let app: i64 = row.cells[0].parse().unwrap_or_default();
                    if !hidden.contains(&app) {
                        table.push(row.cells);
                    }
                }
                Ok(table)
            }
            ExportKind::Audit => {
                self.require(&[Role::Chair, Role::Secretary], "export the audit log")?;
                self.query_table(
                    "audit",
                    "SELECT id, at, actor_id, actor, action, entity, entity_id, before, after, prev_hash, hash FROM audit ORDER BY id",
                    &[],
                )
            }
        }
    }
}
