//! What the stage screens show: applications by stage, counts, and one application's
//! details (person, checklist, history, visits).

use super::applications::Application;
use super::{Result, Service};
use crate::domain::eligibility::Check;
use crate::domain::stage::{Stage, Status};
use crate::domain::{Category, Grade};
use rusqlite::params;

/// One line of a stage table.
#[derive(Debug, Clone, PartialEq)]
pub struct AppRow {
    pub id: i64,
    pub person_id: i64,
    pub name: String,
    pub organisation: String,
    pub category: Option<Category>,
    pub current: Option<Grade>,
    pub target: Option<Grade>,
    pub status: Status,
    /// Passed review on a written override.
    pub overridden: bool,
    pub test_score: Option<f64>,
    pub visits: i64,
    pub open_objections: i64,
}

/// A decision in an application's history.
#[derive(Debug, Clone, PartialEq)]
pub struct HistoryItem {
    pub at: String,
    pub action: String,
    pub from: String,
    pub to: String,
    pub member: String,
    pub reason: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Visit {
    pub date: String,
    pub visitors: String,
    pub findings: String,
    pub rating: String,
}

/// Everything the detail pane shows about one application.
#[derive(Debug, Clone)]
pub struct Detail {
    pub app: Application,
    pub sex: String,
    pub birth: String,
    pub organisation: String,
    pub county: String,
    pub position: String,
    pub post_start: String,
    pub phone_tail: String,
    pub id_tail: String,
    pub checks: Vec<Check>,
    pub missing: Vec<crate::domain::stage::Lack>,
    pub pass_mark: Option<f64>,
    pub test_max: Option<f64>,
    /// The committee's pass threshold of the target grade.
    pub threshold: Option<f64>,
    pub training_days: f64,
    pub visits: Vec<Visit>,
    pub history: Vec<HistoryItem>,
    /// The declaration: its date and the applicant's statement.
    pub declared_on: String,
    /// Training records, newest first: date, days, title.
    pub training: Vec<(String, f64, String)>,
    /// Annual assessments, newest first: year, result code.
    pub assessments: Vec<(i32, String)>,
}

impl Service {
    /// Applications of a cycle standing at `stage`, in declaration order.
    pub fn stage_rows(&self, cycle_id: i64, stage: Stage) -> Result<Vec<AppRow>> {
        let mut stmt = self.conn().prepare_cached(
            "SELECT a.id, p.name, o.name, p.category, p.current_grade, a.target_grade, a.status,
                    a.override_reason IS NOT NULL, a.test_score,
                    (SELECT count(*) FROM site_visits v WHERE v.application_id = a.id),
                    (SELECT count(*) FROM objections b WHERE b.application_id = a.id AND b.state IN ('received', 'verifying')),
                    a.person_id
             FROM applications a JOIN persons p ON p.id = a.person_id JOIN organisations o ON o.id = p.org_id
             WHERE a.cycle_id = ?1 AND a.stage = ?2 ORDER BY a.id",
        )?;
        let rows = stmt.query_map(params![cycle_id, stage.code()], |r| {
            Ok(AppRow {
                id: r.get(0)?,
                name: r.get(1)?,
                organisation: r.get(2)?,
                category: Category::parse(&r.get::<_, String>(3)?),
                current: r
                    .get::<_, Option<String>>(4)?
                    .as_deref()
                    .and_then(Grade::parse),
                target: Grade::parse(&r.get::<_, String>(5)?),
                status: Status::parse(&r.get::<_, String>(6)?).unwrap_or(Status::Active),
                overridden: r.get(7)?,
                test_score: r.get(8)?,
                visits: r.get(9)?,
                open_objections: r.get(10)?,
                person_id: r.get(11)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// How many applications stand at each of the six stages (and certified).
    pub fn stage_counts(&self, cycle_id: i64) -> Result<[usize; 7]> {
        let mut counts = [0usize; 7];
        let mut stmt = self.conn().prepare_cached(
            "SELECT stage, count(*) FROM applications WHERE cycle_id = ?1 GROUP BY stage",
        )?;
        let rows = stmt.query_map([cycle_id], |r| {
            Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?))
        })?;
        for row in rows {
            let (stage, n) = row?;
            if let Some(s) = Stage::parse(&stage) {
                counts[s.number() - 1] = n as usize;
            }
        }
        Ok(counts)
    }

    /// The detail of one application.
    pub fn detail(&self, app_id: i64) -> Result<Detail> {
        let app = self.application(app_id)?;
        let cycle = self.cycle(app.cycle_id)?;
        let (sex, birth, organisation, county, position, post_start, phone, id_number): (
            String,
            String,
            String,
            String,
            String,
            String,
            String,
            String,
        ) = self.conn().query_row(
            "SELECT p.sex, p.birth_date, o.name, o.county, p.position, p.post_start, p.phone, p.id_number
             FROM persons p JOIN organisations o ON o.id = p.org_id WHERE p.id = ?1",
            [app.person_id],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?, r.get(6)?, r.get(7)?)),
        )?;
        let tail = |s: &str| crate::domain::ids::mask(s);
        let rec = super::applications::record(self.conn(), app.person_id, app.test_score)?;
        let rule = cycle.rules.grade(app.target);
        let mut stmt = self.conn().prepare_cached(
            "SELECT visit_date, visitors, findings, rating FROM site_visits WHERE application_id = ?1 ORDER BY id",
        )?;
        let visits = stmt
            .query_map([app_id], |r| {
                Ok(Visit {
                    date: r.get(0)?,
                    visitors: r.get(1)?,
                    findings: r.get(2)?,
                    rating: r.get(3)?,
                })
            })?
            .collect::<rusqlite::Result<_>>()?;
        let mut stmt = self.conn().prepare_cached(
            "SELECT s.at, s.action, s.from_stage, s.to_stage, coalesce(m.name, ''), s.reason
             FROM stage_records s LEFT JOIN members m ON m.id = s.member_id
             WHERE s.application_id = ?1 ORDER BY s.id",
        )?;
        let history = stmt
            .query_map([app_id], |r| {
                Ok(HistoryItem {
                    at: self.show_time(&r.get::<_, String>(0)?),
                    action: r.get(1)?,
                    from: r.get(2)?,
                    to: r.get(3)?,
                    member: r.get(4)?,
                    reason: r.get(5)?,
                })
            })?
            .collect::<rusqlite::Result<_>>()?;
        let declared_on: String = self.conn().query_row(
            "SELECT declared_on FROM applications WHERE id = ?1",
            [app_id],
            |r| r.get(0),
        )?;
        let mut stmt = self.conn().prepare_cached(
            "SELECT date, days, title FROM training WHERE person_id = ?1 ORDER BY date DESC",
        )?;
        let training = stmt
            .query_map([app.person_id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
            .collect::<rusqlite::Result<_>>()?;
        let mut stmt = self.conn().prepare_cached(
            "SELECT year, grade FROM assessments WHERE person_id = ?1 ORDER BY year DESC",
        )?;
        let assessments = stmt
            .query_map([app.person_id], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<rusqlite::Result<_>>()?;
        Ok(Detail {
            declared_on,
            training,
            assessments,
            checks: crate::domain::eligibility::checklist(
                &rec,
                app.target,
                &cycle.rules,
                cycle.cycle_date,
            ),
            missing: self.missing_fields(&app)?,
            pass_mark: rule.map(|g| g.test_pass_mark),
            test_max: rule.map(|g| g.test_max),
            threshold: rule.map(|g| g.pass_threshold),
            training_days: crate::domain::eligibility::training_days(
                &rec.training,
                cycle.cycle_date,
            ),
            app,
            sex,
            birth,
            organisation,
            county,
            position,
            post_start,
            phone_tail: tail(&phone),
            id_tail: tail(&id_number),
            visits,
            history,
        })
    }
}
