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

/// A past or present application of the person, for the certification history.
#[derive(Debug, Clone, PartialEq)]
pub struct AppHistory {
    pub cycle: String,
    pub target: Option<Grade>,
    pub declared_on: String,
    pub stage: String,
    pub status: String,
    pub result: Option<f64>,
    /// Decisions in order: date, action, reason.
    pub steps: Vec<(String, String, String)>,
}

/// A personnel file (人员档案): the header and the six sections, and the history of
/// certification. ID number, phone and address are masked; `reveal_person` gives them
/// to those allowed.
#[derive(Debug, Clone, PartialEq)]
pub struct PersonFile {
    pub id: i64,
    pub name: String,
    pub sex: Option<crate::domain::Sex>,
    pub birth_date: String,
    pub age: i32,
    pub organisation: String,
    pub county: String,
    pub township: String,
    pub category: Option<Category>,
    pub position: String,
    pub post_start: String,
    pub grade: Option<Grade>,
    pub grade_since: String,
    pub id_masked: String,
    pub phone_masked: String,
    pub ethnicity: String,
    pub education_level: String,
    pub party_join_date: String,
    pub title: String,
    pub in_post: bool,
    /// 工作经历: start, end, organisation, position (newest first).
    pub work: Vec<(String, String, String, String)>,
    /// 教育: start, end, school, major, degree.
    pub education: Vec<(String, String, String, String, String)>,
    /// 培训: date, days, title, organiser.
    pub training: Vec<(String, f64, String, String)>,
    /// 考核评议: year, result, remark.
    pub assessments: Vec<(i32, Option<crate::domain::Assessment>, String)>,
    /// 薪酬待遇: year, item, amount in yuan.
    pub pay: Vec<(i32, String, f64)>,
    /// 奖励处罚: date, reward (true) or penalty, title, issuer.
    pub rewards: Vec<(String, bool, String, String)>,
    pub applications: Vec<AppHistory>,
    /// Certificates: number, grade, issued on, status.
    pub certificates: Vec<(String, Option<Grade>, String, String)>,
    /// Annual inspections: year, assessment, passed, outcome.
    pub inspections: Vec<(i32, String, bool, String)>,
    /// Job changes: change date, filed on, new organisation, new position, left.
    pub job_changes: Vec<(String, String, String, String, bool)>,
}

/// What revealing a file shows in full.
#[derive(Debug, Clone, PartialEq)]
pub struct Revealed {
    pub id_number: String,
    pub phone: String,
    pub address: String,
}

fn rows<T>(
    conn: &rusqlite::Connection,
    sql: &str,
    id: i64,
    f: impl FnMut(&rusqlite::Row) -> rusqlite::Result<T>,
) -> Result<Vec<T>> {
    let mut stmt = conn.prepare_cached(sql)?;
    let out = stmt.query_map([id], f)?;
    Ok(out.collect::<rusqlite::Result<_>>()?)
}

impl Service {
    /// A person's whole file, masked. Every committee role may read files.
    pub fn person_file(&self, id: i64) -> Result<PersonFile> {
        use crate::domain::ids::mask;
        let conn = self.conn();
        let today = self.today();
        let mut file = conn
            .query_row(
                "SELECT p.id, p.name, p.sex, p.birth_date, o.name, o.county, o.township, p.category, p.position,
                        p.post_start, p.current_grade, coalesce(p.grade_since, ''), p.id_number, p.phone,
                        p.ethnicity, p.education, coalesce(p.party_join_date, ''), p.title, p.in_post
                 FROM persons p JOIN organisations o ON o.id = p.org_id WHERE p.id = ?1",
                [id],
                |r| {
                    let birth: String = r.get(3)?;
                    let age = chrono::NaiveDate::parse_from_str(&birth, "%Y-%m-%d")
                        .map(|b| today.years_since(b).unwrap_or(0) as i32)
                        .unwrap_or(0);
                    Ok(PersonFile {
                        id: r.get(0)?,
                        name: r.get(1)?,
                        sex: crate::domain::Sex::parse(&r.get::<_, String>(2)?),
                        birth_date: birth,
                        age,
                        organisation: r.get(4)?,
                        county: r.get(5)?,
                        township: r.get(6)?,
                        category: Category::parse(&r.get::<_, String>(7)?),
                        position: r.get(8)?,
                        post_start: r.get(9)?,
                        grade: r.get::<_, Option<String>>(10)?.as_deref().and_then(Grade::parse),
                        grade_since: r.get(11)?,
                        id_masked: mask(&r.get::<_, String>(12)?),
                        phone_masked: mask(&r.get::<_, String>(13)?),
                        ethnicity: r.get(14)?,
                        education_level: r.get(15)?,
                        party_join_date: r.get(16)?,
                        title: r.get(17)?,
                        in_post: r.get(18)?,
                        work: vec![],
                        education: vec![],
                        training: vec![],
                        assessments: vec![],
                        pay: vec![],
                        rewards: vec![],
                        applications: vec![],
                        certificates: vec![],
                        inspections: vec![],
                        job_changes: vec![],
                    })
                },
            )
            .map_err(|e| match e {
                rusqlite::Error::QueryReturnedNoRows => {
                    super::ServiceError::NotFound(super::Missing::Person(id))
                }
                e => e.into(),
            })?;
        file.work = rows(
            conn,
            "SELECT start_date, coalesce(end_date, ''), organisation, position FROM work_history
             WHERE person_id = ?1 ORDER BY start_date DESC",
            id,
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
        )?;
        file.education = rows(
            conn,
            "SELECT start_date, coalesce(end_date, ''), school, major, degree FROM education
             WHERE person_id = ?1 ORDER BY start_date DESC",
            id,
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)),
        )?;
        file.training = rows(
            conn,
            "SELECT date, days, title, organiser FROM training WHERE person_id = ?1 ORDER BY date DESC",
            id,
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
        )?;
        file.assessments = rows(
            conn,
            "SELECT year, grade, remark FROM assessments WHERE person_id = ?1 ORDER BY year DESC",
            id,
            |r| {
                Ok((
                    r.get(0)?,
                    crate::domain::Assessment::parse(&r.get::<_, String>(1)?),
                    r.get(2)?,
                ))
            },
        )?;
        file.pay = rows(
            conn,
            "SELECT year, item, amount FROM pay WHERE person_id = ?1 ORDER BY year DESC, item",
            id,
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )?;
        file.rewards = rows(
            conn,
            "SELECT date, kind = 'reward', title, issuer FROM rewards WHERE person_id = ?1 ORDER BY date DESC",
            id,
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
        )?;
        let mut apps: Vec<(i64, AppHistory)> = rows(
            conn,
            "SELECT a.id, c.name, a.target_grade, a.declared_on, a.stage, a.status, a.result_score
             FROM applications a JOIN cycles c ON c.id = a.cycle_id
             WHERE a.person_id = ?1 ORDER BY c.year DESC, a.id DESC",
            id,
            |r| {
                Ok((
                    r.get(0)?,
                    AppHistory {
                        cycle: r.get(1)?,
                        target: Grade::parse(&r.get::<_, String>(2)?),
                        declared_on: r.get(3)?,
                        stage: r.get(4)?,
                        status: r.get(5)?,
                        result: r.get(6)?,
                        steps: vec![],
                    },
                ))
            },
        )?;
        for (app, h) in apps.iter_mut() {
            h.steps = rows(
                conn,
                "SELECT substr(at, 1, 10), action, reason FROM stage_records WHERE application_id = ?1 ORDER BY id",
                *app,
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )?;
        }
        file.applications = apps.into_iter().map(|(_, h)| h).collect();
        file.certificates = rows(
            conn,
            "SELECT number, grade, issued_on, status FROM certificates WHERE person_id = ?1 ORDER BY issued_on DESC",
            id,
            |r| {
                Ok((
                    r.get(0)?,
                    Grade::parse(&r.get::<_, String>(1)?),
                    r.get(2)?,
                    r.get(3)?,
                ))
            },
        )?;
        file.inspections = rows(
            conn,
            "SELECT i.year, i.assessment, i.passed, i.outcome FROM inspections i
             JOIN certificates c ON c.id = i.certificate_id WHERE c.person_id = ?1 ORDER BY i.year DESC",
            id,
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
        )?;
        file.job_changes = rows(
            conn,
            "SELECT change_date, filed_on, new_organisation, new_position, left_party_work FROM job_changes
             WHERE person_id = ?1 ORDER BY change_date DESC",
            id,
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)),
        )?;
        Ok(file)
    }

    /// The full ID number, phone and address of a person: the chair and the secretary
    /// only, and every reveal is audited.
    pub fn reveal_person(&mut self, id: i64) -> Result<Revealed> {
        self.require(crate::domain::Deed::RevealIds)?;
        let revealed = self
            .conn()
            .query_row(
                "SELECT id_number, phone, address FROM persons WHERE id = ?1",
                [id],
                |r| {
                    Ok(Revealed {
                        id_number: r.get(0)?,
                        phone: r.get(1)?,
                        address: r.get(2)?,
                    })
                },
            )
            .map_err(|e| match e {
                rusqlite::Error::QueryReturnedNoRows => {
                    super::ServiceError::NotFound(super::Missing::Person(id))
                }
                e => e.into(),
            })?;
        self.mutate(|_, _| Ok(((), super::AuditNote::new("reveal", "person", id))))?;
        Ok(revealed)
    }
}
