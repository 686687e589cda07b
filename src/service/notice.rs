//! The public notice (stage 6, 结果公示): starting it, what the notice screen shows,
//! objections (异议) and their steps, the chair's decision on an upheld objection, and
//! closing the notice, which certifies its candidates with certificate numbers that are
//! unique and gap-free per city, year and grade.

use super::applications::{self, move_stage};
use super::{clean, AuditNote, Field, Missing, Refusal, Result, Service, ServiceError};
use crate::domain::grade::{Category, Grade, Sex};
use crate::domain::ids::mask_contact;
use crate::domain::notice::{
    self, Channel, Decision, DecisionContext, NoticeError, ObjectionState, ObjectionSummary,
    Pending, Step,
};
use crate::domain::rules::Rules;
use crate::domain::stage::{self, Facts, Position, Stage, Status, Transition, TransitionError};
use crate::domain::Deed;
use crate::store::audit::Actor;
use chrono::{NaiveDate, NaiveDateTime};
use rusqlite::{params, Connection, OptionalExtension};
use serde_json::json;
use std::collections::HashMap;

/// A public notice as the notice screen shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct NoticeView {
    pub id: i64,
    pub cycle_id: i64,
    /// The cycle's name, e.g. 南京市 2026 年度认证.
    pub cycle: String,
    /// The city (e.g. 南京市) and year of the cycle.
    pub city: String,
    pub year: i32,
    /// First and last day of the period, both included.
    pub start: NaiveDate,
    pub end: NaiveDate,
    /// Working days in the period.
    pub working_days: u32,
    /// Years of the period the rules hold no holiday calendar for: its working days
    /// were counted as weekdays only (the rules' `notice.missing_calendar`).
    pub uncovered_years: Vec<i32>,
    /// Working days left, today included: the whole period before it starts, 0 once
    /// it has ended.
    pub days_left: u32,
    /// The period is over (today is after the last day): the chair may close it.
    pub ended: bool,
    /// Closed: its candidates are certified (or not).
    pub closed: bool,
    pub closed_at: Option<String>,
    /// Where objections are sent (the rules' `notice.objection_contact`).
    pub objection_contact: String,
    /// Highest proposed grade first, then in declaration order.
    pub candidates: Vec<NoticeCandidate>,
}

/// One candidate on a notice.
#[derive(Debug, Clone, PartialEq)]
pub struct NoticeCandidate {
    pub app_id: i64,
    pub person_id: i64,
    pub name: String,
    pub sex: Sex,
    pub organisation: String,
    pub county: String,
    /// 职务
    pub position: String,
    pub category: Category,
    /// The grade proposed on the notice (the grade applied for).
    pub proposed: Grade,
    /// The lower grade the chair decided on after an upheld objection, if any.
    pub lowered: Option<Grade>,
    /// Where the application stands: notice/active while the notice runs; certified/
    /// done or notice/not_certified after.
    pub position_in_procedure: Position,
    pub objections: ObjectionSummary,
    /// The certificate issued when the notice was closed.
    pub certificate: Option<String>,
}

impl NoticeCandidate {
    /// The grade the candidate is certified at: the proposed one, or the lowered one.
    pub fn grade(&self) -> Grade {
        self.lowered.unwrap_or(self.proposed)
    }

    /// Still waiting for the notice to be closed.
    pub fn pending(&self) -> bool {
        self.position_in_procedure
            == (Position {
                stage: Stage::Notice,
                status: Status::Active,
            })
    }
}

/// The objector of a named objection.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Objector {
    pub name: String,
    /// Phone, e-mail or address: stored, and shown masked.
    pub contact: String,
}

/// An objection as it is recorded.
#[derive(Debug, Clone, PartialEq)]
pub struct NewObjection {
    pub app_id: i64,
    pub received_at: NaiveDateTime,
    pub channel: Channel,
    /// `None` for an anonymous objection.
    pub objector: Option<Objector>,
    pub content: String,
    /// The key of the criterion it concerns, if any (e.g. `performance`).
    pub criterion: Option<String>,
}

/// One line of the objection register.
#[derive(Debug, Clone, PartialEq)]
pub struct ObjectionRow {
    pub id: i64,
    pub app_id: i64,
    pub notice_id: Option<i64>,
    pub candidate: String,
    pub organisation: String,
    pub proposed: Grade,
    /// `YYYY-MM-DD HH:MM`
    pub received_at: String,
    pub channel: Channel,
    pub named: bool,
    /// Empty for an anonymous objection.
    pub objector: String,
    /// The contact with all but its last four characters masked.
    pub contact_masked: String,
    pub content: String,
    /// The criterion's key and name, when the objection concerns one.
    pub criterion: Option<(String, String)>,
    /// Received after the notice period.
    pub late: bool,
    pub state: ObjectionState,
    /// The findings of an upheld or dismissed objection, or the note of a withdrawal.
    pub findings: String,
    pub verified_by: String,
    pub decision: Option<Decision>,
    pub decision_reason: String,
    pub decided_by: String,
    pub decided_at: Option<String>,
    pub updated_at: String,
}

/// Which objections to list; the default lists them all.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ObjectionFilter {
    pub state: Option<ObjectionState>,
    pub app_id: Option<i64>,
    pub notice_id: Option<i64>,
    /// Only received or verifying ones.
    pub open_only: bool,
}

/// A certificate issued by closing a notice.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Issued {
    pub app_id: i64,
    pub name: String,
    pub grade: Grade,
    pub number: String,
}

/// What closing a notice did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CloseReport {
    pub notice_id: i64,
    pub issued_on: NaiveDate,
    /// In the order of the notice.
    pub certified: Vec<Issued>,
    /// Candidates of the notice not certified (by the chair's decision or withdrawn).
    pub not_certified: Vec<String>,
}

fn date(text: &str) -> NaiveDate {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap_or_default()
}

fn grade_of(text: Option<String>) -> Option<Grade> {
    text.as_deref().and_then(Grade::parse)
}

/// The candidates of a notice with their objections, in the notice's order.
fn candidates(conn: &Connection, notice_id: i64) -> Result<Vec<NoticeCandidate>> {
    let mut stmt = conn.prepare_cached(
        "SELECT a.id, a.person_id, p.name, p.sex, o.name, o.county, p.position, p.category,
                a.target_grade, a.awarded_grade, a.stage, a.status,
                (SELECT c.number FROM certificates c WHERE c.application_id = a.id ORDER BY c.id LIMIT 1)
         FROM applications a JOIN persons p ON p.id = a.person_id JOIN organisations o ON o.id = p.org_id
         WHERE a.notice_id = ?1",
    )?;
    let mut out: Vec<NoticeCandidate> = stmt
        .query_map([notice_id], |r| {
            Ok(NoticeCandidate {
                app_id: r.get(0)?,
                person_id: r.get(1)?,
                name: r.get(2)?,
                sex: Sex::parse(&r.get::<_, String>(3)?).unwrap_or(Sex::Male),
                organisation: r.get(4)?,
                county: r.get(5)?,
                position: r.get(6)?,
                category: Category::parse(&r.get::<_, String>(7)?).unwrap_or(Category::Staff),
                proposed: grade_of(r.get(8)?).unwrap_or(Grade::Junior),
                lowered: grade_of(r.get(9)?),
                position_in_procedure: Position {
                    stage: Stage::parse(&r.get::<_, String>(10)?).unwrap_or(Stage::Notice),
                    status: Status::parse(&r.get::<_, String>(11)?).unwrap_or(Status::Active),
                },
                objections: ObjectionSummary::default(),
                certificate: r.get(12)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    let mut stmt = conn.prepare_cached(
        "SELECT b.application_id, b.state, b.decision IS NOT NULL, b.late
         FROM objections b JOIN applications a ON a.id = b.application_id WHERE a.notice_id = ?1",
    )?;
    let mut summaries: HashMap<i64, ObjectionSummary> = HashMap::new();
    let rows = stmt.query_map([notice_id], |r| {
        Ok((
            r.get::<_, i64>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, bool>(2)?,
            r.get::<_, bool>(3)?,
        ))
    })?;
    for row in rows {
        let (app, state, decided, late) = row?;
        if let Some(state) = ObjectionState::parse(&state) {
            summaries.entry(app).or_default().add(state, decided, late);
        }
    }
    for c in &mut out {
        c.objections = summaries.remove(&c.app_id).unwrap_or_default();
    }
    out.sort_by_key(|c| (std::cmp::Reverse(c.proposed), c.app_id));
    Ok(out)
}

/// A notice's stored row: cycle, start, end, closed, closed at.
type NoticeRow = (i64, String, String, String, Option<String>);

fn notice_row(conn: &Connection, id: i64) -> Result<NoticeRow> {
    conn.query_row(
        "SELECT cycle_id, start_date, end_date, status, closed_at FROM notices WHERE id = ?1",
        [id],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)),
    )
    .optional()?
    .ok_or(ServiceError::NotFound(Missing::Notice(id)))
}

/// One objection's state, whether the chair decided on it, its application and the
/// notice's status.
fn objection_state(conn: &Connection, id: i64) -> Result<(ObjectionState, bool, i64, bool)> {
    let (state, decided, app, closed): (String, bool, i64, bool) = conn
        .query_row(
            "SELECT b.state, b.decision IS NOT NULL, b.application_id, coalesce(n.status = 'closed', 0)
             FROM objections b JOIN applications a ON a.id = b.application_id
             LEFT JOIN notices n ON n.id = a.notice_id WHERE b.id = ?1",
            [id],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
        )
        .optional()?
        .ok_or(ServiceError::NotFound(Missing::Objection(id)))?;
    let state = ObjectionState::parse(&state).ok_or(Refusal::BadObjectionState { id })?;
    Ok((state, decided, app, closed))
}

impl Service {
    /// The public notices of the open cycle, oldest first.
    pub fn notices(&self) -> Result<Vec<NoticeView>> {
        let cycle = self.open_cycle_id()?;
        let mut stmt = self
            .conn()
            .prepare_cached("SELECT id FROM notices WHERE cycle_id = ?1 ORDER BY start_date, id")?;
        let ids: Vec<i64> = stmt
            .query_map([cycle], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        ids.into_iter().map(|id| self.notice(id)).collect()
    }

    /// The newest public notice of the open cycle.
    pub fn latest_notice(&self) -> Result<NoticeView> {
        self.notices()?
            .pop()
            .ok_or(ServiceError::NotFound(Missing::NoNotice))
    }

    /// One public notice: its period, the working days left and its candidates with
    /// the state of their objections.
    pub fn notice(&self, id: i64) -> Result<NoticeView> {
        let (cycle_id, start, end, status, closed_at) = notice_row(self.conn(), id)?;
        let cycle = self.cycle(cycle_id)?;
        let (start, end) = (date(&start), date(&end));
        let calendar = cycle.rules.calendar();
        let working_days = calendar.working_days_between(start, end)?;
        let ended = self.today() > end;
        let days_left = if ended {
            0
        } else {
            calendar.working_days_between(start.max(self.today()), end)?
        };
        Ok(NoticeView {
            id,
            cycle_id,
            cycle: cycle.name,
            city: cycle.rules.city.name.clone(),
            year: cycle.year,
            start,
            end,
            working_days,
            uncovered_years: calendar.uncovered_years(start, end),
            days_left,
            ended,
            closed: status == "closed",
            closed_at: closed_at.map(|t| self.show_time(&t)),
            objection_contact: cycle.rules.notice.objection_contact.clone(),
            candidates: candidates(self.conn(), id)?,
        })
    }

    /// Starts the notice for every application at the notice stage not yet noticed
    /// (chair only): returns its id, first and last day. The end is computed from the
    /// rules' working days, skipping weekends and holidays and counting swapped
    /// working days; a start on a day off moves to the next working day.
    pub fn start_notice(&mut self, start: NaiveDate) -> Result<(i64, NaiveDate, NaiveDate)> {
        self.require(Deed::StartNotice)?;
        if start < self.today() {
            return Err(Refusal::NoticeInPast {
                start,
                today: self.today(),
            }
            .into());
        }
        let cycle = self.open_cycle()?;
        let (first, last) = cycle
            .rules
            .calendar()
            .period(start, cycle.rules.notice.working_days)?;
        let cycle_id = cycle.id;
        let now = self.stamp();
        self.mutate(|tx, actor| {
            tx.execute(
                "INSERT INTO notices (cycle_id, start_date, end_date, status, started_by, started_at) VALUES (?1, ?2, ?3, 'open', ?4, ?5)",
                params![cycle_id, first.to_string(), last.to_string(), actor.member_id, now],
            )?;
            let id = tx.last_insert_rowid();
            let n = tx.execute(
                "UPDATE applications SET notice_id = ?1 WHERE cycle_id = ?2 AND stage = 'notice' AND status = 'active' AND notice_id IS NULL",
                params![id, cycle_id],
            )?;
            if n == 0 {
                return Err(Refusal::NoCandidateWaiting.into());
            }
            Ok(((id, first, last), AuditNote::new("start", "notice", id).after(json!({"start": first.to_string(), "end": last.to_string(), "candidates": n}))))
        })
    }

    /// Records an objection against a candidate of a running notice (any committee
    /// role). One received after the period is recorded and flagged late; it must be
    /// concluded like any other before the notice can close.
    pub fn record_objection(&mut self, o: &NewObjection) -> Result<i64> {
        self.require(Deed::RecordObjection)?;
        clean(Field::ObjectionContent, &o.content, true)?;
        if let Some(p) = &o.objector {
            clean(Field::ObjectorName, &p.name, false)?;
            clean(Field::ObjectorContact, &p.contact, false)?;
        }
        if let Some(key) = &o.criterion {
            clean(Field::Criterion, key, false)?;
        }
        if o.content.trim().is_empty() {
            return Err(Refusal::ObjectionNeedsContent.into());
        }
        if o.objector
            .as_ref()
            .is_some_and(|p| p.name.trim().is_empty())
        {
            return Err(Refusal::ObjectionNeedsName.into());
        }
        let received = o.received_at.date();
        if received > self.today() {
            return Err(Refusal::ObjectionInFuture { received }.into());
        }
        let app = self.application(o.app_id)?;
        let notice = app.notice_id.ok_or_else(|| Refusal::NotInNotice {
            name: app.name.clone(),
        })?;
        if app.position.status.is_final() {
            return Err(TransitionError::Final(app.position.status).into());
        }
        let rules = self.cycle(app.cycle_id)?.rules;
        if let Some(key) = &o.criterion {
            if rules.criterion(key).is_none() {
                return Err(Refusal::UnknownCriterion { key: key.clone() }.into());
            }
        }
        let (_, start, end, status, _) = notice_row(self.conn(), notice)?;
        if status == "closed" {
            return Err(NoticeError::Closed.into());
        }
        if received < date(&start) {
            return Err(Refusal::ObjectionBeforeNotice {
                received,
                start: date(&start),
                end: date(&end),
            }
            .into());
        }
        let late = received > date(&end);
        let (name, contact) = o
            .objector
            .as_ref()
            .map_or(("", ""), |p| (p.name.trim(), p.contact.trim()));
        let now = self.stamp();
        self.mutate(|tx, _| {
            tx.execute(
                "INSERT INTO objections (application_id, received_at, channel, named, objector_name, objector_contact, content, criterion, late, state, updated_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, 'received', ?10)",
                params![o.app_id, o.received_at.format("%Y-%m-%d %H:%M").to_string(), o.channel.code(), o.objector.is_some(), name, contact, o.content.trim(), o.criterion, late, now],
            )?;
            let id = tx.last_insert_rowid();
            Ok((id, AuditNote::new("record", "objection", id).after(json!({
                "application": o.app_id, "channel": o.channel.code(), "named": o.objector.is_some(),
                "late": late, "criterion": o.criterion,
            }))))
        })
    }

    /// An objector's full contact, for verifying the objection: chair and secretary
    /// only, and audited. Empty for an anonymous objection.
    pub fn reveal_objection_contact(&mut self, id: i64) -> Result<String> {
        self.require(Deed::RevealObjectorContact)?;
        let contact: String = self
            .conn()
            .query_row(
                "SELECT objector_contact FROM objections WHERE id = ?1",
                [id],
                |r| r.get(0),
            )
            .optional()?
            .ok_or(ServiceError::NotFound(Missing::Objection(id)))?;
        self.mutate(|_, _| Ok(((), AuditNote::new("reveal", "objection", id))))?;
        Ok(contact)
    }

    /// The objection register, oldest first: contacts masked.
    pub fn objections(&self, filter: &ObjectionFilter) -> Result<Vec<ObjectionRow>> {
        let mut stmt = self.conn().prepare_cached(
            "SELECT b.id, b.application_id, a.notice_id, p.name, o.name, a.target_grade, b.received_at, b.channel,
                    b.named, b.objector_name, b.objector_contact, b.content, b.criterion, b.late, b.state,
                    b.findings, b.verified_by, b.decision, b.decision_grade, b.decision_reason,
                    coalesce(m.name, ''), b.decided_at, b.updated_at, a.cycle_id
             FROM objections b JOIN applications a ON a.id = b.application_id
               JOIN persons p ON p.id = a.person_id JOIN organisations o ON o.id = p.org_id
               LEFT JOIN members m ON m.id = b.decided_by
             WHERE (?1 IS NULL OR b.state = ?1) AND (?2 IS NULL OR b.application_id = ?2)
               AND (?3 IS NULL OR a.notice_id = ?3) AND (?4 = 0 OR b.state IN ('received', 'verifying'))
             ORDER BY b.received_at, b.id",
        )?;
        let rows = stmt
            .query_map(
                params![
                    filter.state.map(|s| s.code()),
                    filter.app_id,
                    filter.notice_id,
                    filter.open_only
                ],
                |r| {
                    let contact: String = r.get(10)?;
                    let decision: Option<String> = r.get(17)?;
                    let decision_grade: Option<String> = r.get(18)?;
                    Ok((
                        ObjectionRow {
                            id: r.get(0)?,
                            app_id: r.get(1)?,
                            notice_id: r.get(2)?,
                            candidate: r.get(3)?,
                            organisation: r.get(4)?,
                            proposed: grade_of(r.get(5)?).unwrap_or(Grade::Junior),
                            received_at: r.get(6)?,
                            channel: Channel::parse(&r.get::<_, String>(7)?)
                                .unwrap_or(Channel::Letter),
                            named: r.get(8)?,
                            objector: r.get(9)?,
                            contact_masked: mask_contact(&contact),
                            content: r.get(11)?,
                            criterion: r.get::<_, Option<String>>(12)?.map(|k| (k.clone(), k)),
                            late: r.get(13)?,
                            state: ObjectionState::parse(&r.get::<_, String>(14)?)
                                .unwrap_or(ObjectionState::Received),
                            findings: r.get(15)?,
                            verified_by: r.get(16)?,
                            decision: decision
                                .as_deref()
                                .and_then(|d| Decision::parse(d, decision_grade.as_deref())),
                            decision_reason: r.get(19)?,
                            decided_by: r.get(20)?,
                            decided_at: r.get::<_, Option<String>>(21)?.map(|t| self.show_time(&t)),
                            updated_at: self.show_time(&r.get::<_, String>(22)?),
                        },
                        r.get::<_, i64>(23)?,
                    ))
                },
            )?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        // Criterion names come from each cycle's own rules.
        rows.into_iter()
            .map(|(mut row, cycle)| {
                if let Some((key, name)) = row.criterion.as_mut() {
                    if let Some(c) = self.cycle(cycle)?.rules.criterion(key) {
                        *name = c.name.clone();
                    }
                }
                Ok(row)
            })
            .collect()
    }

    /// One objection of the register.
    pub fn objection(&self, id: i64) -> Result<ObjectionRow> {
        let (_, _, app, _) = objection_state(self.conn(), id)?;
        self.objections(&ObjectionFilter {
            app_id: Some(app),
            ..ObjectionFilter::default()
        })?
        .into_iter()
        .find(|o| o.id == id)
        .ok_or(ServiceError::NotFound(Missing::Objection(id)))
    }

    /// Moves an objection on: verification (any role), upheld or dismissed with the
    /// findings and who verified them (chair or member), or withdrawn with a note (any
    /// role). Returns the new state.
    pub fn objection_step(&mut self, id: i64, step: &Step) -> Result<ObjectionState> {
        match step {
            Step::Uphold { .. } | Step::Dismiss { .. } => self.require(Deed::ConcludeObjection)?,
            _ => self.require(Deed::VerifyObjection)?,
        }
        if let Some(findings) = step.findings() {
            let field = match step {
                Step::Withdraw { .. } => Field::WithdrawalNote,
                _ => Field::ObjectionFindings,
            };
            clean(field, findings, true)?;
        }
        if let Some(who) = step.verified_by() {
            clean(Field::Verifier, who, false)?;
        }
        let (state, _, _, closed) = objection_state(self.conn(), id)?;
        if closed {
            return Err(NoticeError::Closed.into());
        }
        let next = notice::step(state, step)?;
        let findings = step.findings().map(str::trim);
        let verified_by = step.verified_by().map(str::trim);
        let now = self.stamp();
        self.mutate(|tx, _| {
            let changed = tx.execute(
                "UPDATE objections SET state = ?1, findings = coalesce(?2, findings),
                        verified_by = coalesce(?3, verified_by), updated_at = ?4
                 WHERE id = ?5 AND state = ?6",
                params![
                    next.code(),
                    findings,
                    verified_by,
                    now,
                    id,
                    state.code()
                ],
            )?;
            if changed == 0 {
                return Err(Refusal::ObjectionChanged.into());
            }
            Ok((
                next,
                AuditNote::new(step.code(), "objection", id)
                    .before(json!({"state": state.code()}))
                    .after(json!({"state": next.code(), "findings": findings, "verified_by": verified_by})),
            ))
        })
    }

    /// The chair's decision on an upheld objection, with a reason: the candidate is not
    /// certified (at once), or will be certified at a lower grade the rules define.
    pub fn decide_objection(&mut self, id: i64, decision: Decision, reason: &str) -> Result<()> {
        self.require(Deed::DecideObjection)?;
        clean(Field::DecisionReason, reason, true)?;
        let (state, decided, app_id, closed) = objection_state(self.conn(), id)?;
        if closed {
            return Err(NoticeError::Closed.into());
        }
        let app = self.application(app_id)?;
        let rules = self.cycle(app.cycle_id)?.rules;
        let held: Option<String> = self.conn().query_row(
            "SELECT current_grade FROM persons WHERE id = ?1",
            [app.person_id],
            |r| r.get(0),
        )?;
        let defined: Vec<Grade> = rules.grades.keys().copied().collect();
        notice::check_decision(
            DecisionContext {
                state,
                already_decided: decided,
                proposed: app.target,
                held: grade_of(held),
                defined: &defined,
            },
            decision,
            reason,
        )?;
        if app.position.status.is_final() {
            return Err(TransitionError::Final(app.position.status).into());
        }
        let reason = reason.trim().to_string();
        let next = match decision {
            Decision::NotCertify => Some(stage::apply(
                app.position,
                &Transition::NotCertify {
                    reason: reason.clone(),
                },
                &Facts::default(),
            )?),
            Decision::Lower(_) => None,
        };
        let now = self.stamp();
        self.mutate(|tx, actor| {
            let changed = tx.execute(
                "UPDATE objections SET decision = ?1, decision_grade = ?2, decision_reason = ?3,
                        decided_by = ?4, decided_at = ?5, updated_at = ?5
                 WHERE id = ?6 AND state = 'upheld' AND decision IS NULL",
                params![
                    decision.code(),
                    decision.grade().map(|g| g.code()),
                    reason,
                    actor.member_id,
                    now,
                    id
                ],
            )?;
            if changed == 0 {
                return Err(NoticeError::AlreadyDecided.into());
            }
            match (decision, next) {
                (_, Some(next)) => move_stage(tx, actor, &app, next, "not_certify", &reason, &now)?,
                (Decision::Lower(g), None) => {
                    // After two lowering decisions the lower grade applies.
                    let before: Option<String> = tx.query_row(
                        "SELECT awarded_grade FROM applications WHERE id = ?1",
                        [app_id],
                        |r| r.get(0),
                    )?;
                    let awarded = grade_of(before).map_or(g, |b| b.min(g));
                    tx.execute(
                        "UPDATE applications SET awarded_grade = ?1, updated_at = ?2 WHERE id = ?3",
                        params![awarded.code(), now, app_id],
                    )?;
                }
                _ => {}
            }
            Ok((
                (),
                AuditNote::new("decide", "objection", id).after(json!({
                    "application": app_id, "decision": decision.code(),
                    "grade": decision.grade().map(|g| g.code()), "reason": reason,
                })),
            ))
        })
    }

    /// Closes a notice after its period (chair only), in one transaction, all or
    /// nothing: every candidate still pending is certified at the proposed grade (or
    /// the lowered one) and given the next certificate number of its city, year and
    /// grade; the refusal names the candidates with an open objection or an upheld one
    /// awaiting the chair's decision.
    pub fn close_notice(&mut self, id: i64) -> Result<CloseReport> {
        self.require(Deed::CloseNotice)?;
        let (cycle_id, ..) = notice_row(self.conn(), id)?;
        let cycle = self.cycle(cycle_id)?;
        let today = self.today();
        // Everything is read again inside the write transaction, so a decision taken
        // in another terminal meanwhile is seen.
        let now = self.stamp();
        self.mutate(|tx, actor| close_in(tx, actor, id, &cycle.rules, cycle.year, today, &now))
    }
}

/// The next certificate number of a city, year and grade, inside the caller's write
/// transaction: one more than the highest, so numbers never leave a gap.
pub(super) fn next_number(
    tx: &Connection,
    rules: &Rules,
    year: i32,
    grade: Grade,
) -> Result<(u32, String)> {
    let seq: u32 = tx.query_row(
        "SELECT coalesce(max(seq), 0) + 1 FROM certificates WHERE city = ?1 AND year = ?2 AND grade = ?3",
        params![rules.city.code, year, grade.code()],
        |r| r.get(0),
    )?;
    Ok((seq, rules.certificate_number(grade, year, seq)))
}

/// Issues a valid certificate inside the caller's write transaction and makes its grade
/// the holder's current grade; returns its id and number.
pub(super) fn issue(
    tx: &Connection,
    rules: &Rules,
    person_id: i64,
    application_id: Option<i64>,
    grade: Grade,
    year: i32,
    issued_on: NaiveDate,
) -> Result<(i64, String)> {
    let (seq, number) = next_number(tx, rules, year, grade)?;
    tx.execute(
        "INSERT INTO certificates (number, city, person_id, application_id, grade, year, seq, issued_on, status)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, 'valid')",
        params![number, rules.city.code, person_id, application_id, grade.code(), year, seq, issued_on.to_string()],
    )?;
    let id = tx.last_insert_rowid();
    tx.execute(
        "UPDATE persons SET current_grade = ?1, grade_since = ?2 WHERE id = ?3",
        params![grade.code(), issued_on.to_string(), person_id],
    )?;
    Ok((id, number))
}

fn close_in(
    tx: &Connection,
    actor: &Actor,
    id: i64,
    rules: &Rules,
    year: i32,
    today: NaiveDate,
    now: &str,
) -> Result<(CloseReport, AuditNote)> {
    let (_, _, end, status, _) = notice_row(tx, id)?;
    let all = candidates(tx, id)?;
    let (pending, others): (Vec<&NoticeCandidate>, Vec<&NoticeCandidate>) =
        all.iter().partition(|c| c.pending());
    let check: Vec<Pending> = pending
        .iter()
        .map(|c| Pending {
            name: c.name.clone(),
            objections: c.objections,
        })
        .collect();
    notice::check_close(today, date(&end), status == "closed", &check)?;
    let mut certified = Vec::new();
    for c in pending {
        let facts = Facts {
            notice_started: true,
            notice_ended: true,
            open_objections: c.objections.open(),
            upheld_objections: c.objections.undecided,
            ..Facts::default()
        };
        let next = stage::apply(c.position_in_procedure, &Transition::Advance, &facts)?;
        let grade = c.grade();
        let (_, number) = issue(tx, rules, c.person_id, Some(c.app_id), grade, year, today)?;
        let app = applications::load(tx, c.app_id)?;
        move_stage(
            tx,
            actor,
            &app,
            next,
            "advance",
            &format!("证书编号 {number}"),
            now,
        )?;
        certified.push(Issued {
            app_id: c.app_id,
            name: c.name.clone(),
            grade,
            number,
        });
    }
    tx.execute(
        "UPDATE notices SET status = 'closed', closed_at = ?1 WHERE id = ?2",
        params![now, id],
    )?;
    let not_certified: Vec<String> = others.iter().map(|c| c.name.clone()).collect();
    let note = AuditNote::new("close", "notice", id).after(json!({
        "issued_on": today.to_string(),
        "certified": certified.iter().map(|c| json!({"application": c.app_id, "grade": c.grade.code(), "number": c.number})).collect::<Vec<_>>(),
        "not_certified": not_certified,
    }));
    Ok((
        CloseReport {
            notice_id: id,
            issued_on: today,
            certified,
            not_certified,
        },
        note,
    ))
}
