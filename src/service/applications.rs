//! Applications moving through the six stages: every decision is one transaction with
//! a stage record and an audit row.

use super::{clean, AuditNote, Field, Missing, Refusal, Result, Service, ServiceError};
use crate::domain::eligibility::{self, Check, Record};
use crate::domain::grade::{Assessment, Category, Grade};
use crate::domain::stage::{self, Facts, Lack, Position, Stage, Status, Transition};
use crate::domain::Deed;
use chrono::NaiveDate;
use rusqlite::{params, Connection, OptionalExtension};
use serde_json::json;

/// An application with what the stages need to know.
#[derive(Debug, Clone)]
pub struct Application {
    pub id: i64,
    pub cycle_id: i64,
    pub person_id: i64,
    pub name: String,
    pub target: Grade,
    pub position: Position,
    pub statement: String,
    pub test_score: Option<f64>,
    pub override_reason: Option<String>,
    pub result_passed: Option<bool>,
    pub notice_id: Option<i64>,
    /// The committee's final result, once fixed.
    pub result_score: Option<f64>,
}

/// Site-visit ratings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rating {
    Satisfied,
    BasicallySatisfied,
    Unsatisfied,
}

impl Rating {
    pub fn code(self) -> &'static str {
        match self {
            Rating::Satisfied => "satisfied",
            Rating::BasicallySatisfied => "basically_satisfied",
            Rating::Unsatisfied => "unsatisfied",
        }
    }
    pub fn zh(self) -> &'static str {
        match self {
            Rating::Satisfied => "满意",
            Rating::BasicallySatisfied => "基本满意",
            Rating::Unsatisfied => "不满意",
        }
    }
}

fn date(text: &str) -> NaiveDate {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap_or_default()
}

/// Loads an application.
pub fn load(conn: &Connection, id: i64) -> Result<Application> {
    conn.query_row(
        "SELECT a.id, a.cycle_id, a.person_id, p.name, a.target_grade, a.stage, a.status, a.statement,
                a.test_score, a.override_reason, a.result_passed, a.notice_id, a.result_score
         FROM applications a JOIN persons p ON p.id = a.person_id WHERE a.id = ?1",
        [id],
        |r| {
            Ok(Application {
                id: r.get(0)?,
                cycle_id: r.get(1)?,
                person_id: r.get(2)?,
                name: r.get(3)?,
                target: Grade::parse(&r.get::<_, String>(4)?).unwrap_or(Grade::Junior),
                position: Position {
                    stage: Stage::parse(&r.get::<_, String>(5)?).unwrap_or(Stage::Declaration),
                    status: Status::parse(&r.get::<_, String>(6)?).unwrap_or(Status::Active),
                },
                statement: r.get(7)?,
                test_score: r.get(8)?,
                override_reason: r.get(9)?,
                result_passed: r.get(10)?,
                notice_id: r.get(11)?,
                result_score: r.get(12)?,
            })
        },
    )
    .optional()?
    .ok_or(ServiceError::NotFound(Missing::Application(id)))
}

/// What eligibility needs to know about a person.
pub fn record(conn: &Connection, person_id: i64, test_score: Option<f64>) -> Result<Record> {
    let (category, post_start, grade, since): (String, String, Option<String>, Option<String>) =
        conn.query_row(
            "SELECT category, post_start, current_grade, grade_since FROM persons WHERE id = ?1",
            [person_id],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
        )
        .optional()?
        .ok_or(ServiceError::NotFound(Missing::Person(person_id)))?;
    let mut stmt = conn.prepare_cached("SELECT date, days FROM training WHERE person_id = ?1")?;
    let training = stmt
        .query_map([person_id], |r| {
            Ok((date(&r.get::<_, String>(0)?), r.get::<_, f64>(1)?))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let mut stmt =
        conn.prepare_cached("SELECT year, grade FROM assessments WHERE person_id = ?1")?;
    let assessments = stmt
        .query_map([person_id], |r| {
            Ok((r.get::<_, i32>(0)?, r.get::<_, String>(1)?))
        })?
        .filter_map(|x| {
            x.ok()
                .and_then(|(y, g)| Assessment::parse(&g).map(|a| (y, a)))
        })
        .collect();
    Ok(Record {
        category: Category::parse(&category).unwrap_or(Category::Staff),
        post_start: date(&post_start),
        current_grade: grade
            .and_then(|g| Grade::parse(&g))
            .map(|g| (g, since.as_deref().map(date).unwrap_or_default())),
        training,
        assessments,
        test_score,
    })
}

/// Moves an application to `next` inside the caller's transaction, with its stage
/// record (who, what, when, why).
pub(super) fn move_stage(
    tx: &Connection,
    actor: &crate::store::audit::Actor,
    app: &Application,
    next: Position,
    action: &str,
    reason: &str,
    now: &str,
) -> Result<()> {
    // Only from the position the decision was taken on: another member may have
    // moved the application meanwhile.
    let changed = tx.execute(
        "UPDATE applications SET stage = ?1, status = ?2, updated_at = ?3
         WHERE id = ?4 AND stage = ?5 AND status = ?6",
        params![
            next.stage.code(),
            next.status.code(),
            now,
            app.id,
            app.position.stage.code(),
            app.position.status.code()
        ],
    )?;
    if changed == 0 {
        return Err(Refusal::ApplicationChanged {
            name: app.name.clone(),
        }
        .into());
    }
    tx.execute(
        "INSERT INTO stage_records (application_id, from_stage, to_stage, to_status, action, member_id, at, reason)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        params![app.id, app.position.stage.code(), next.stage.code(), next.status.code(), action, actor.member_id, now, reason],
    )?;
    Ok(())
}

impl Service {
    pub fn application(&self, id: i64) -> Result<Application> {
        load(self.conn(), id)
    }

    /// The eligibility checklist of an application under its cycle's rules.
    pub fn checklist(&self, app: &Application) -> Result<Vec<Check>> {
        let cycle = self.cycle(app.cycle_id)?;
        let rec = record(self.conn(), app.person_id, app.test_score)?;
        Ok(eligibility::checklist(
            &rec,
            app.target,
            &cycle.rules,
            cycle.cycle_date,
        ))
    }

    /// What a declaration still lacks.
    pub fn missing_fields(&self, app: &Application) -> Result<Vec<Lack>> {
        let (position, phone, assessments): (String, String, i64) = self.conn().query_row(
            "SELECT position, phone, (SELECT count(*) FROM assessments WHERE person_id = p.id) FROM persons p WHERE id = ?1",
            [app.person_id],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )?;
        let mut missing = Vec::new();
        if position.trim().is_empty() {
            missing.push(Lack::Position);
        }
        if phone.trim().is_empty() {
            missing.push(Lack::Phone);
        }
        if app.statement.trim().is_empty() {
            missing.push(Lack::Statement);
        }
        if assessments == 0 {
            missing.push(Lack::Assessments);
        }
        Ok(missing)
    }

    /// Everything the state machine needs to decide on an application.
    pub fn facts(&self, app: &Application) -> Result<Facts> {
        let cycle = self.cycle(app.cycle_id)?;
        let checks = self.checklist(app)?;
        let pass_mark = cycle.rules.grade(app.target).map(|g| g.test_pass_mark);
        let visits: i64 = self.conn().query_row(
            "SELECT count(*) FROM site_visits WHERE application_id = ?1",
            [app.id],
            |r| r.get(0),
        )?;
        let (open, upheld): (i64, i64) = self.conn().query_row(
            "SELECT coalesce(sum(state IN ('received', 'verifying')), 0), coalesce(sum(state = 'upheld' AND decision IS NULL), 0)
             FROM objections WHERE application_id = ?1",
            [app.id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
        let notice_end: Option<String> = match app.notice_id {
            Some(n) => self
                .conn()
                .query_row("SELECT end_date FROM notices WHERE id = ?1", [n], |r| {
                    r.get(0)
                })
                .optional()?,
            None => None,
        };
        Ok(Facts {
            missing_fields: self.missing_fields(app)?,
            failing_checks: eligibility::failing(&checks)
                .into_iter()
                .filter(|c| c != "test_score")
                .collect(),
            override_reason: app.override_reason.clone(),
            test_passed: app
                .test_score
                .zip(pass_mark)
                .map(|(s, m)| crate::domain::aggregate::reaches(s, m)),
            visit_recorded: visits > 0,
            result_passed: app.result_passed,
            open_objections: open as usize,
            upheld_objections: upheld as usize,
            notice_ended: notice_end.is_some_and(|e| date(&e) < self.today()),
            notice_started: app.notice_id.is_some(),
        })
    }

    /// Applies a transition to an application, checking the actor's role and the
    /// stage's requirement; records who, when and why.
    pub fn transition(&mut self, app_id: i64, t: Transition) -> Result<Position> {
        let deed = match &t {
            Transition::Withdraw { .. } => None,
            Transition::Advance => Some(Deed::PassApplication),
            Transition::Return { .. } => Some(Deed::ReturnApplication),
            Transition::Reject { .. } => Some(Deed::RejectApplication),
            Transition::Fail { .. } => Some(Deed::RecordFailedTest),
            // Refusing certification is the chair's decision.
            Transition::NotCertify { .. } => Some(Deed::RefuseCertification),
            Transition::Reopen { .. } => return Err(Refusal::ReopenThroughResult.into()),
        };
        if let Some(deed) = deed {
            self.require(deed)?;
        }
        if let Some(reason) = t.reason() {
            clean(Field::Reason, reason, true)?;
        }
        let app = self.application(app_id)?;
        if matches!(t, Transition::Advance) && app.position.stage == Stage::Notice {
            return Err(Refusal::CertifiedByClosingNotice.into());
        }
        if matches!(t, Transition::NotCertify { .. }) && app.position.stage == Stage::Evaluation {
            return Err(Refusal::ResultFromScores.into());
        }
        let facts = self.facts(&app)?;
        let next = stage::apply(app.position, &t, &facts)?;
        let reason = t.reason().unwrap_or("").to_string();
        let now = self.stamp();
        self.mutate(|tx, actor| {
            move_stage(tx, actor, &app, next, t.code(), &reason, &now)?;
            Ok((
                next,
                AuditNote::new(t.code(), "application", app_id)
                    .before(json!({"stage": app.position.stage.code(), "status": app.position.status.code()}))
                    .after(json!({"stage": next.stage.code(), "status": next.status.code(), "reason": reason})),
            ))
        })
    }

    /// Passes review despite failing checks: needs a written reason, shown as a flag
    /// ever after.
    pub fn override_eligibility(&mut self, app_id: i64, reason: &str) -> Result<()> {
        self.require(Deed::OverrideEligibility)?;
        if reason.trim().is_empty() {
            return Err(Refusal::OverrideNeedsReason.into());
        }
        clean(Field::OverrideReason, reason, true)?;
        let app = self.application(app_id)?;
        if app.position
            != (Position {
                stage: Stage::Review,
                status: Status::Active,
            })
        {
            return Err(Refusal::OverrideOnlyAtReview {
                at: app.position.stage,
            }
            .into());
        }
        let reason = reason.trim().to_string();
        let now = self.stamp();
        self.mutate(|tx, _| {
            tx.execute(
                "UPDATE applications SET override_reason = ?1, updated_at = ?2 WHERE id = ?3",
                params![reason, now, app_id],
            )?;
            Ok((
                (),
                AuditNote::new("override", "application", app_id)
                    .before(json!({"override_reason": app.override_reason}))
                    .after(json!({"override_reason": reason})),
            ))
        })
    }

    /// Enters or corrects the training-test score (range-checked against the rules).
    pub fn record_test_score(&mut self, app_id: i64, score: f64) -> Result<()> {
        self.require(Deed::RecordTestScore)?;
        let app = self.application(app_id)?;
        if app.position.stage != Stage::Test || app.position.status.is_final() {
            return Err(Refusal::TestScoreOnlyAtTest {
                at: app.position.stage,
            }
            .into());
        }
        let rules = self.cycle(app.cycle_id)?.rules;
        let max = rules.grade(app.target).map(|g| g.test_max).unwrap_or(100.0);
        if !(0.0..=max).contains(&score) || score.is_nan() {
            return Err(Refusal::TestScoreOutOfRange { score, max }.into());
        }
        let now = self.stamp();
        self.mutate(|tx, _| {
            tx.execute(
                "UPDATE applications SET test_score = ?1, updated_at = ?2 WHERE id = ?3",
                params![score, now, app_id],
            )?;
            Ok((
                (),
                AuditNote::new("test_score", "application", app_id)
                    .before(json!({"test_score": app.test_score}))
                    .after(json!({"test_score": score})),
            ))
        })
    }

    /// Records a site visit: date, visitors, findings and a rating.
    pub fn record_visit(
        &mut self,
        app_id: i64,
        on: NaiveDate,
        visitors: &str,
        findings: &str,
        rating: Rating,
    ) -> Result<i64> {
        self.require(Deed::RecordSiteVisit)?;
        clean(Field::Visitors, visitors, false)?;
        clean(Field::VisitFindings, findings, true)?;
        let app = self.application(app_id)?;
        if app.position.stage != Stage::SiteVisit || app.position.status.is_final() {
            return Err(Refusal::VisitOnlyAtSiteVisit {
                at: app.position.stage,
            }
            .into());
        }
        if visitors.trim().is_empty() || findings.trim().is_empty() {
            return Err(Refusal::VisitIncomplete.into());
        }
        if on > self.today() {
            return Err(Refusal::VisitInFuture { on }.into());
        }
        let now = self.stamp();
        self.mutate(|tx, actor| {
            tx.execute(
                "INSERT INTO site_visits (application_id, visit_date, visitors, findings, rating, recorded_by, recorded_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                params![app_id, on.to_string(), visitors, findings, rating.code(), actor.member_id, now],
            )?;
            let id = tx.last_insert_rowid();
            Ok((
                id,
                AuditNote::new("record", "site_visit", id).after(json!({
                    "application": app_id, "date": on.to_string(), "visitors": visitors,
                    "findings": findings, "rating": rating.code(),
                })),
            ))
        })
    }
}
