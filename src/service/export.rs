//! Exports as tables: persons (ID numbers masked unless revealed, which is audited),
//! applications (the result score once final), scores and the audit log. Score
//! content of a candidate whose result is not final leaves only to the member who
//! gave it ([`Service::may_take_out`]): the scores export leaves it out, the audit
//! export keeps the row (who did what, when) with the content withheld.

use super::import::Kind;
use super::{AuditNote, Result, Service, ServiceError};
use crate::domain::ids::mask;
use crate::domain::Deed;
use crate::table::Table;
use rusqlite::types::ValueRef;
use serde_json::json;
use std::collections::HashSet;

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

/// What stands in the audit export where score content is withheld.
pub const WITHHELD: &str = "withheld until the result is final";

/// The audit columns that leave the tool, in this order; any other column stays.
pub const AUDIT_COLUMNS: [&str; 11] = [
    "id",
    "at",
    "actor_id",
    "actor",
    "action",
    "entity",
    "entity_id",
    "before",
    "after",
    "prev_hash",
    "hash",
];

/// The audit actions about an application whose notes carry score content: a value,
/// a comment, a reason for a change, or the committee's result.
const SCORE_ACTIONS: [&str; 4] = ["score", "revise", "comment", "finalise"];

/// Keys of an audit note that hold score content, whatever the action.
const SCORE_KEYS: [&str; 5] = ["value", "comment", "result", "threshold", "values"];

/// Whether an audit note (JSON text) holds a key of score content at any depth.
fn carries_score_keys(note: &str) -> bool {
    fn walk(v: &serde_json::Value) -> bool {
        match v {
            serde_json::Value::Object(m) => m
                .iter()
                .any(|(k, v)| SCORE_KEYS.contains(&k.as_str()) || walk(v)),
            serde_json::Value::Array(a) => a.iter().any(walk),
            _ => false,
        }
    }
    serde_json::from_str(note).is_ok_and(|v| walk(&v))
}

/// The application an audit row is about: an application by id, or a sheet
/// (`application/member`).
fn audited_application(entity: &str, entity_id: &str) -> Option<i64> {
    match entity {
        "application" => entity_id.parse().ok(),
        "sheet" => entity_id.split('/').next()?.parse().ok(),
        _ => None,
    }
}

fn cell(v: ValueRef<'_>, exact: bool) -> String {
    match v {
        ValueRef::Null => String::new(),
        ValueRef::Integer(i) => i.to_string(),
        // A file that goes back in keeps every digit; one to read is shown as screens
        // show numbers.
        ValueRef::Real(f) if exact && f.fract() == 0.0 && f.abs() < 1e15 => {
            format!("{}", f as i64)
        }
        ValueRef::Real(f) if exact => f.to_string(),
        ValueRef::Real(f) => crate::domain::eligibility::fmt_num(f),
        ValueRef::Text(t) | ValueRef::Blob(t) => String::from_utf8_lossy(t).into_owned(),
    }
}

impl Service {
    /// Runs a query into a table whose headers are the query's column names; the
    /// columns named in `masked` are masked.
    fn query_table(&self, source: &str, sql: &str, masked: &[&str]) -> Result<Table> {
        self.query_rows(source, sql, masked, false)
    }

    /// [`Service::query_table`], numbers written with every digit when `exact`.
    fn query_rows(&self, source: &str, sql: &str, masked: &[&str], exact: bool) -> Result<Table> {
        let mut stmt = self.conn().prepare(sql)?;
        let headers: Vec<String> = stmt.column_names().map(|s| s.to_string()).collect();
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
                let c = cell(v, exact);
                cells.push(if *h && !c.is_empty() { mask(&c) } else { c });
            }
            table.push(cells);
        }
        table.numeric = (0..n)
            .map(|i| numbers[i] > 0 && texts[i] == 0 && !hide[i])
            .collect();
        Ok(table)
    }

    /// The applications whose result is final.
    fn final_applications(&self) -> Result<HashSet<i64>> {
        let mut stmt = self
            .conn()
            .prepare("SELECT id FROM applications WHERE result_passed IS NOT NULL")?;
        let rows = stmt.query_map([], |r| r.get(0))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Every score (application, member) whose values the actor may not take out (see
    /// [`Service::may_take_out`]).
    fn withheld_scores(&self) -> Result<HashSet<(i64, i64)>> {
        let finals = self.final_applications()?;
        let mut stmt = self
            .conn()
            .prepare("SELECT DISTINCT application_id, member_id FROM scores")?;
        let pairs: Vec<(i64, i64)> = stmt
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<rusqlite::Result<_>>()?;
        Ok(pairs
            .into_iter()
            .filter(|(app, member)| !self.may_take_out(finals.contains(app), Some(*member)))
            .collect())
    }

    /// How many candidates the scores export leaves out (in whole or in part)
    /// because their values may not be taken out yet.
    pub fn scores_withheld(&self) -> Result<usize> {
        let apps: HashSet<i64> = self
            .withheld_scores()?
            .into_iter()
            .map(|(a, _)| a)
            .collect();
        Ok(apps.len())
    }

    /// The audit log with the score content of candidates whose result is not final
    /// withheld (see [`Service::may_take_out`]); only the columns named here leave,
    /// whatever else the table may come to hold.
    fn audit_export(&self) -> Result<Table> {
        let columns = AUDIT_COLUMNS.join(", ");
        let mut table = self.query_table(
            "audit",
            &format!("SELECT {columns} FROM audit ORDER BY id"),
            &[],
        )?;
        let col = |name: &str| table.column(name).expect("an audit column");
        let (actor_id, action, entity, entity_id) = (
            col("actor_id"),
            col("action"),
            col("entity"),
            col("entity_id"),
        );
        let (before, after, prev_hash, hash) =
            (col("before"), col("after"), col("prev_hash"), col("hash"));
        let finals = self.final_applications()?;
        // A row's hash covers its values, and each hash is chained into the next row:
        // from the first withheld row on, the hashes would let a few possible values be
        // tried against them, so they are withheld too.
        let mut chain_withheld = false;
        for row in &mut table.rows {
            let c = &mut row.cells;
            let app = audited_application(&c[entity], &c[entity_id]);
            let carries_scores = SCORE_ACTIONS.contains(&c[action].as_str())
                || [&c[before], &c[after]]
                    .into_iter()
                    .any(|note| carries_score_keys(note));
            let withhold = match app {
                Some(app) if carries_scores => {
                    let given_by = c[actor_id].parse::<i64>().ok();
                    // The finalisation's result is the committee's, nobody's own.
                    let given_by = given_by.filter(|_| c[action] != "finalise");
                    !self.may_take_out(finals.contains(&app), given_by)
                }
                _ => false,
            };
            if withhold {
                for i in [before, after] {
                    if !c[i].is_empty() {
                        c[i] = WITHHELD.to_string();
                    }
                }
                c[hash] = WITHHELD.to_string();
                if chain_withheld {
                    c[prev_hash] = WITHHELD.to_string();
                }
                chain_withheld = true;
            } else if chain_withheld {
                c[prev_hash] = WITHHELD.to_string();
                c[hash] = WITHHELD.to_string();
            }
        }
        Ok(table)
    }

    /// Refuses revealing ID numbers to all but the chair and the secretary, logged in.
    fn require_reveal(&self) -> Result<()> {
        if self.role().is_none() {
            return Err(ServiceError::NotLoggedIn {
                deed: Deed::RevealIds,
            });
        }
        self.require(Deed::RevealIds)
    }

    /// Records that the export `what` of `rows` rows showed full ID numbers.
    fn audit_reveal(&mut self, what: &str, rows: usize) -> Result<()> {
        self.mutate(|_, _| {
            Ok((
                (),
                AuditNote::new("reveal_ids", "export", what).after(json!({"rows": rows})),
            ))
        })
    }

    /// Builds an export. `reveal_ids` shows full ID numbers and phones in the persons
    /// export: chair and secretary only, and audited.
    pub fn export(&mut self, kind: ExportKind, reveal_ids: bool) -> Result<Table> {
        match kind {
            // The persons in the columns their import takes, so that the file imports
            // back (revealed): the birth date follows from the ID number, and stays out
            // of a masked file, where with the last four characters and the district
            // codes it would rebuild many ID numbers.
            ExportKind::Persons => self.export_for_import(Kind::Persons, reveal_ids),
            ExportKind::Applications => {
                // The result score leaves with the final result only.
                self.query_table(
                    "applications",
                    "SELECT a.id, c.year AS cycle, p.id_number, p.name, o.name AS organisation, p.category,
                            p.current_grade, a.target_grade, a.declared_on, a.stage, a.status, a.test_score,
                            a.override_reason,
                            CASE WHEN a.result_passed IS NOT NULL THEN a.result_score END AS result_score,
                            a.result_passed, a.updated_at
                     FROM applications a JOIN cycles c ON c.id = a.cycle_id JOIN persons p ON p.id = a.person_id
                     JOIN organisations o ON o.id = p.org_id ORDER BY a.id",
                    &["id_number"],
                )
            }
            ExportKind::Scores => {
                self.require(Deed::ExportScores)?;
                let all = self.query_table(
                    "scores",
                    "SELECT s.application_id, p.name AS candidate, m.name AS member, s.criterion, s.value,
                            s.comment, sh.status AS sheet, s.updated_at, s.member_id
                     FROM scores s JOIN applications a ON a.id = s.application_id JOIN persons p ON p.id = a.person_id
                     JOIN members m ON m.id = s.member_id
                     LEFT JOIN sheets sh ON sh.application_id = s.application_id AND sh.member_id = s.member_id
                     ORDER BY s.application_id, m.id, s.criterion",
                    &[],
                )?;
                // Values that may not be taken out yet stay in the database; the
                // member id was read only to decide that.
                let withheld = self.withheld_scores()?;
                let keep = all.headers.len() - 1;
                let mut table = Table {
                    rows: Vec::new(),
                    headers: all.headers[..keep].to_vec(),
                    numeric: all.numeric.iter().take(keep).copied().collect(),
                    ..all
                };
                for mut row in all.rows {
                    let app: i64 = row.cells[0].parse().unwrap_or_default();
                    let member: i64 = row.cells[keep].parse().unwrap_or_default();
                    if !withheld.contains(&(app, member)) {
                        row.cells.truncate(keep);
                        table.push(row.cells);
                    }
                }
                Ok(table)
            }
            ExportKind::Audit => {
                self.require(Deed::ExportAudit)?;
                self.audit_export()
            }
        }
    }
}

/// The kind of an import-shaped export named `text`: `KIND-import` for every kind an
/// import takes, and the kind's own name where no other export takes it (all but
/// `persons`, whose export stays the register it was).
pub fn import_shaped(text: &str) -> Option<Kind> {
    let t = text.trim();
    let base = t
        .strip_suffix("-import")
        .or_else(|| t.strip_suffix("_import"));
    match base {
        Some(base) => Kind::parse(base),
        None if ExportKind::parse(t).is_none() => Kind::parse(t),
        None => None,
    }
}

/// How the import-shaped export of `kind` is asked for on the command line.
pub fn import_shaped_code(kind: Kind) -> &'static str {
    match kind {
        // `export persons` is the register of persons (masked by default); the file in
        // the import's columns is asked for by its own name. No other kind is also the
        // name of an export (`import_shaped` below reads the names back).
        Kind::Persons => "persons-import",
        k => k.code(),
    }
}

/// The person's ID number, first column of every file about a person.
const PERSON_ID: &str = "p.id_number";

impl Service {
    /// A file of `kind` in exactly the columns its import takes, that imports back
    /// unchanged into a database holding what it depends on (organisations before
    /// persons, persons before their files, an open cycle before declarations).
    ///
    /// What stays in: ID numbers are masked, persons' phones masked and their home
    /// addresses left empty unless `reveal_ids` (the chair and the secretary only,
    /// audited), so only a revealed file of persons, or of anything about persons,
    /// imports back. The committee file never holds a PIN or its hash: its `pin`
    /// column is left empty, for a new PIN to be written in before importing it (the
    /// members' phones are masked unless revealed, like the persons'); members no
    /// longer active stay out. Declarations are those of the open cycle.
    pub fn export_for_import(&mut self, kind: Kind, reveal_ids: bool) -> Result<Table> {
        if reveal_ids {
            self.require_reveal()?;
        }
        let section = |cols: &str, table: &str| {
            format!(
                "SELECT {PERSON_ID}, {cols} FROM {table} s JOIN persons p ON p.id = s.person_id
                 ORDER BY s.person_id, s.id"
            )
        };
        let (sql, masked): (String, &[&str]) = match kind {
            Kind::Organisations => (
                "SELECT code, name, kind, county, township, address, industry
                 FROM organisations ORDER BY id"
                    .into(),
                &[],
            ),
            Kind::Persons => {
                let address = if reveal_ids { "p.address" } else { "''" };
                (
                    format!(
                        "SELECT p.id_number, p.name, p.sex, o.code AS org_code, p.category, p.position,
                                p.post_start, p.current_grade, p.grade_since, p.phone, p.ethnicity,
                                p.education, p.party_join_date, {address} AS address, p.title
                         FROM persons p JOIN organisations o ON o.id = p.org_id ORDER BY p.id"
                    ),
                    &["id_number", "phone"],
                )
            }
            Kind::Education => (
                section(
                    "s.start_date AS start, s.end_date AS \"end\", s.school, s.major, s.degree",
                    "education",
                ),
                &["id_number"],
            ),
            Kind::WorkHistory => (
                section(
                    "s.start_date AS start, s.end_date AS \"end\", s.organisation, s.position",
                    "work_history",
                ),
                &["id_number"],
            ),
            Kind::Training => (
                section("s.date, s.days, s.title, s.organiser", "training"),
                &["id_number"],
            ),
            Kind::Assessments => (
                section("s.year, s.grade, s.remark", "assessments"),
                &["id_number"],
            ),
            Kind::Pay => (section("s.year, s.item, s.amount", "pay"), &["id_number"]),
            Kind::Rewards => (
                section("s.date, s.kind, s.title, s.issuer", "rewards"),
                &["id_number"],
            ),
            Kind::Declarations => {
                let cycle = self.open_cycle_id()?;
                (
                    format!(
                        "SELECT p.id_number, a.target_grade, a.declared_on, a.statement
                         FROM applications a JOIN persons p ON p.id = a.person_id
                         WHERE a.cycle_id = {cycle} ORDER BY a.id"
                    ),
                    &["id_number"],
                )
            }
            Kind::Committee => (
                // A member's first key (more are added with `member key add`).
                "SELECT m.name, m.role, o.code AS org_code, '' AS pin, m.phone,
                        coalesce((SELECT k.key_type || ' ' || k.blob
                                         || CASE k.comment WHEN '' THEN '' ELSE ' ' || k.comment END
                                  FROM member_keys k WHERE k.member_id = m.id
                                  ORDER BY k.id LIMIT 1), '') AS ssh_key
                 FROM members m LEFT JOIN organisations o ON o.id = m.org_id
                 WHERE m.active = 1 ORDER BY m.id"
                    .into(),
                &["phone"],
            ),
        };
        let masked = if reveal_ids { &[][..] } else { masked };
        let table = self.query_rows(kind.code(), &sql, masked, true)?;
        debug_assert_eq!(
            table.headers,
            kind.columns().iter().map(|c| c.key).collect::<Vec<_>>()
        );
        if reveal_ids {
            self.audit_reveal(kind.code(), table.len())?;
        }
        Ok(table)
    }
}
