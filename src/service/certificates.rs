//! After certification: the certificate register, certificates carried over from
//! before the tool, the annual inspection (年检), the chair's suspensions and
//! revocations (退出), job-change reports (职务变动报告) and the yearly 红领津贴 roll.

use super::notice::issue;
use super::{clean, AuditNote, Field, Missing, Refusal, Result, Service, ServiceError};
use crate::domain::certificate::{
    self, allowance_exclusion, CertAction, CertStatus, CertificateError, Exclusion,
    InspectionOutcome,
};
use crate::domain::grade::{Assessment, Category, Grade, Sex};
use crate::domain::rules::Rules;
use crate::domain::Deed;
use chrono::{Datelike, NaiveDate};
use rusqlite::{params, Connection, OptionalExtension};
use serde_json::json;
use std::collections::BTreeMap;

/// One line of the certificate register.
#[derive(Debug, Clone, PartialEq)]
pub struct CertificateRow {
    pub id: i64,
    pub number: String,
    pub person_id: i64,
    pub holder: String,
    pub sex: Sex,
    pub organisation: String,
    pub county: String,
    pub category: Category,
    pub grade: Grade,
    pub year: i32,
    pub seq: u32,
    pub issued_on: String,
    pub status: CertStatus,
    /// When and why the status last changed.
    pub status_on: Option<String>,
    pub status_reason: String,
    /// False once a job change reported that the holder left party-affairs work.
    pub in_post: bool,
    /// Still held (valid or suspended) by a holder who left party-affairs work: the
    /// chair should review it.
    pub flagged: bool,
    /// The latest annual inspection: year and outcome.
    pub last_inspection: Option<(i32, String)>,
}

/// Which certificates to list; the default lists them all.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CertificateFilter {
    pub status: Option<CertStatus>,
    pub grade: Option<Grade>,
    pub person_id: Option<i64>,
    /// Only those flagged for review.
    pub flagged_only: bool,
}

/// One recorded annual inspection.
#[derive(Debug, Clone, PartialEq)]
pub struct InspectionRow {
    pub id: i64,
    pub certificate_id: i64,
    pub number: String,
    pub holder: String,
    pub year: i32,
    pub assessment: Assessment,
    pub passed: bool,
    /// `passed`, `kept`, `lowered` or `revoked`.
    pub outcome: String,
    pub reason: String,
    /// The certificate of the lower grade issued when the grade was lowered.
    pub new_number: Option<String>,
    pub recorded_at: String,
}

/// A job-change report as it is recorded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewJobChange {
    pub person_id: i64,
    /// When the change took effect.
    pub change_date: NaiveDate,
    /// When it was filed with the county organisation department.
    pub filed_on: NaiveDate,
    /// The new organisation: a credit code or name of a known organisation moves the
    /// holder's file there; other text is recorded as given. Empty when unchanged.
    pub new_organisation: String,
    /// The new post; empty when unchanged.
    pub new_position: String,
    /// The holder no longer does party-affairs work: flagged for review.
    pub left_party_work: bool,
}

/// One recorded job-change report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JobChangeRow {
    pub id: i64,
    pub person_id: i64,
    pub holder: String,
    pub change_date: String,
    pub filed_on: String,
    pub new_organisation: String,
    pub new_position: String,
    pub left_party_work: bool,
    /// Left party-affairs work and still holds a certificate: for review.
    pub flagged: bool,
    pub recorded_at: String,
}

/// One holder on the 红领津贴 roll.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AllowanceRow {
    pub person_id: i64,
    pub name: String,
    pub organisation: String,
    pub county: String,
    pub category: Category,
    pub grade: Grade,
    pub certificate: String,
    pub assessment: Assessment,
    /// Yuan, from the rules for the grade.
    pub amount: u32,
}

/// A holder left off the roll, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Excluded {
    pub name: String,
    pub certificate: String,
    pub why: Exclusion,
}

/// Count and amount of a group on the roll.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Subtotal {
    pub holders: usize,
    pub amount: u64,
}

/// The 红领津贴 roll of a year.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AllowanceRoll {
    pub year: i32,
    /// e.g. 南京市
    pub city: String,
    /// By county, then grade (highest first), then name.
    pub rows: Vec<AllowanceRow>,
    /// Highest grade first.
    pub by_grade: Vec<(Grade, Subtotal)>,
    pub by_county: Vec<(String, Subtotal)>,
    pub total: Subtotal,
    pub excluded: Vec<Excluded>,
}

/// Sets a person's current grade to that of their highest certificate still held (or
/// none), inside the caller's transaction.
fn refresh_grade(tx: &Connection, person_id: i64) -> Result<()> {
    let mut stmt = tx.prepare_cached(
        "SELECT grade, issued_on FROM certificates WHERE person_id = ?1 AND status IN ('valid', 'suspended')",
    )?;
    let best = stmt
        .query_map([person_id], |r| {
            Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?
        .into_iter()
        .filter_map(|(g, on)| Grade::parse(&g).map(|g| (g, on)))
        .max();
    tx.execute(
        "UPDATE persons SET current_grade = ?1, grade_since = ?2 WHERE id = ?3",
        params![
            best.as_ref().map(|(g, _)| g.code()),
            best.map(|(_, on)| on),
            person_id
        ],
    )?;
    Ok(())
}

/// Sets a certificate's status with the date and reason, inside the caller's
/// transaction.
fn set_status(
    tx: &Connection,
    id: i64,
    status: CertStatus,
    on: NaiveDate,
    reason: &str,
) -> Result<()> {
    tx.execute(
        "UPDATE certificates SET status = ?1, status_on = ?2, status_reason = ?3 WHERE id = ?4",
        params![status.code(), on.to_string(), reason, id],
    )?;
    Ok(())
}

impl Service {
    /// The rules now in force: those of the newest cycle.
    fn current_rules(&self) -> Result<Rules> {
        let id: i64 = self
            .conn()
            .query_row(
                "SELECT id FROM cycles ORDER BY year DESC, id DESC LIMIT 1",
                [],
                |r| r.get(0),
            )
            .optional()?
            .ok_or(ServiceError::NotFound(Missing::NoCycle))?;
        Ok(self.cycle(id)?.rules)
    }

    /// The rules of a year: its cycle's, or the newest cycle's when it has none.
    fn rules_of_year(&self, year: i32) -> Result<Rules> {
        let id: Option<i64> = self
            .conn()
            .query_row(
                "SELECT id FROM cycles WHERE year = ?1 ORDER BY id DESC LIMIT 1",
                [year],
                |r| r.get(0),
            )
            .optional()?;
        match id {
            Some(id) => Ok(self.cycle(id)?.rules),
            None => self.current_rules(),
        }
    }

    /// The certificate register, by number.
    pub fn certificates(&self, filter: &CertificateFilter) -> Result<Vec<CertificateRow>> {
        let mut stmt = self.conn().prepare_cached(
            "SELECT c.id, c.number, c.person_id, p.name, p.sex, o.name, o.county, p.category, c.grade,
                    c.year, c.seq, c.issued_on, c.status, c.status_on, c.status_reason, p.in_post,
                    (SELECT i.year || ' ' || i.outcome FROM inspections i WHERE i.certificate_id = c.id ORDER BY i.year DESC LIMIT 1)
             FROM certificates c JOIN persons p ON p.id = c.person_id JOIN organisations o ON o.id = p.org_id
             WHERE (?1 IS NULL OR c.status = ?1) AND (?2 IS NULL OR c.grade = ?2) AND (?3 IS NULL OR c.person_id = ?3)
             ORDER BY c.year, c.city, CASE c.grade WHEN 'special' THEN 0 WHEN 'senior' THEN 1 WHEN 'intermediate' THEN 2 ELSE 3 END, c.seq",
        )?;
        let rows = stmt
            .query_map(
                params![
                    filter.status.map(|s| s.code()),
                    filter.grade.map(|g| g.code()),
                    filter.person_id
                ],
                |r| {
                    let status =
                        CertStatus::parse(&r.get::<_, String>(12)?).unwrap_or(CertStatus::Valid);
                    let in_post: bool = r.get(15)?;
                    Ok(CertificateRow {
                        id: r.get(0)?,
                        number: r.get(1)?,
                        person_id: r.get(2)?,
                        holder: r.get(3)?,
                        sex: Sex::parse(&r.get::<_, String>(4)?).unwrap_or(Sex::Male),
                        organisation: r.get(5)?,
                        county: r.get(6)?,
                        category: Category::parse(&r.get::<_, String>(7)?)
                            .unwrap_or(Category::Staff),
                        grade: Grade::parse(&r.get::<_, String>(8)?).unwrap_or(Grade::Junior),
                        year: r.get(9)?,
                        seq: r.get(10)?,
                        issued_on: r.get(11)?,
                        status,
                        status_on: r.get(13)?,
                        status_reason: r.get(14)?,
                        in_post,
                        flagged: !in_post && status.is_held(),
                        last_inspection: r.get::<_, Option<String>>(16)?.and_then(|s| {
                            let (y, o) = s.split_once(' ')?;
                            Some((y.parse().ok()?, o.to_string()))
                        }),
                    })
                },
            )?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(rows
            .into_iter()
            .filter(|c| !filter.flagged_only || c.flagged)
            .collect())
    }

    /// One certificate of the register.
    pub fn certificate(&self, id: i64) -> Result<CertificateRow> {
        let person: i64 = self
            .conn()
            .query_row(
                "SELECT person_id FROM certificates WHERE id = ?1",
                [id],
                |r| r.get(0),
            )
            .optional()?
            .ok_or(ServiceError::NotFound(Missing::Certificate(id)))?;
        self.certificates(&CertificateFilter {
            person_id: Some(person),
            ..CertificateFilter::default()
        })?
        .into_iter()
        .find(|c| c.id == id)
        .ok_or(ServiceError::NotFound(Missing::Certificate(id)))
    }

    /// Enters the certificate of a grade a person was awarded before the tool was used
    /// (chair or secretary): the grade and date come from their file (现等级, 定级时间),
    /// the number is the next of that year and grade in the rules' format.
    pub fn enter_prior_certificate(&mut self, person_id: i64) -> Result<(i64, String)> {
        self.require(Deed::EnterPriorCertificate)?;
        let (name, category, grade, since): (String, String, Option<String>, Option<String>) = self
            .conn()
            .query_row(
                "SELECT name, category, current_grade, grade_since FROM persons WHERE id = ?1",
                [person_id],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
            )
            .optional()?
            .ok_or(ServiceError::NotFound(Missing::Person(person_id)))?;
        let category = Category::parse(&category).unwrap_or(Category::Staff);
        if !category.is_certifiable() {
            return Err(CertificateError::NotCertifiable(category).into());
        }
        let grade = grade
            .as_deref()
            .and_then(Grade::parse)
            .ok_or_else(|| CertificateError::NoGrade(name.clone()))?;
        let since = since
            .as_deref()
            .and_then(|s| NaiveDate::parse_from_str(s, "%Y-%m-%d").ok())
            .ok_or_else(|| Refusal::NoGradeDate { name: name.clone() })?;
        let held: i64 = self.conn().query_row(
            "SELECT count(*) FROM certificates WHERE person_id = ?1 AND grade = ?2 AND status IN ('valid', 'suspended')",
            params![person_id, grade.code()],
            |r| r.get(0),
        )?;
        if held > 0 {
            return Err(CertificateError::AlreadyCertified { name, grade }.into());
        }
        let rules = self.current_rules()?;
        self.mutate(|tx, _| {
            let (id, number) = issue(tx, &rules, person_id, None, grade, since.year(), since)?;
            Ok((
                (id, number.clone()),
                AuditNote::new("enter", "certificate", id).after(json!({
                    "person": person_id, "grade": grade.code(), "issued_on": since.to_string(), "number": number,
                })),
            ))
        })
    }

    /// Records a holder's annual inspection (年检) for a year with the year's assessment
    /// (chair or secretary; one that revokes is the chair's, with a reason). 称职 or
    /// better passes; otherwise the rules keep, lower or revoke the grade. The assessment
    /// goes into the person's file when the file has none for the year, and must agree
    /// with it when it has one.
    pub fn record_inspection(
        &mut self,
        certificate_id: i64,
        year: i32,
        assessment: Assessment,
        reason: &str,
    ) -> Result<InspectionOutcome> {
        self.require(Deed::RecordInspection)?;
        clean(Field::InspectionReason, reason, true)?;
        let cert = self.certificate(certificate_id)?;
        if year < cert.year || year > self.today().year() {
            return Err(Refusal::InspectionYear {
                number: cert.number,
                from: cert.year,
                to: self.today().year(),
            }
            .into());
        }
        let done: i64 = self.conn().query_row(
            "SELECT count(*) FROM inspections WHERE certificate_id = ?1 AND year = ?2",
            params![certificate_id, year],
            |r| r.get(0),
        )?;
        if done > 0 {
            return Err(CertificateError::AlreadyInspected(year).into());
        }
        let recorded: Option<String> = self
            .conn()
            .query_row(
                "SELECT grade FROM assessments WHERE person_id = ?1 AND year = ?2",
                params![cert.person_id, year],
                |r| r.get(0),
            )
            .optional()?;
        let recorded = recorded.as_deref().and_then(Assessment::parse);
        if let Some(recorded) = recorded.filter(|r| *r != assessment) {
            return Err(CertificateError::AssessmentDiffers {
                year,
                recorded,
                given: assessment,
            }
            .into());
        }
        let rules = self.current_rules()?;
        let outcome = certificate::inspection_outcome(assessment, cert.grade, &rules);
        certificate::check_inspection(cert.status, outcome, reason)?;
        if outcome == InspectionOutcome::Revoked {
            self.require(Deed::RevokeGrade)?;
        }
        let today = self.today();
        let reason = reason.trim().to_string();
        let why = format!("{year} 年度考核{}，年检不合格", assessment.zh());
        let why = if reason.is_empty() {
            why
        } else {
            format!("{why}：{reason}")
        };
        let now = self.stamp();
        self.mutate(|tx, _| {
            if recorded.is_none() {
                tx.execute(
                    "INSERT INTO assessments (person_id, year, grade, remark) VALUES (?1, ?2, ?3, '年检录入')",
                    params![cert.person_id, year, assessment.code()],
                )?;
            }
            let mut new_certificate = None;
            match outcome {
                InspectionOutcome::Passed | InspectionOutcome::Kept => {}
                InspectionOutcome::Revoked => {
                    set_status(tx, certificate_id, CertStatus::Revoked, today, &why)?;
                    refresh_grade(tx, cert.person_id)?;
                }
                InspectionOutcome::Lowered(lower) => {
                    set_status(tx, certificate_id, CertStatus::Downgraded, today, &why)?;
                    // A certificate of the lower grade still held serves; otherwise one
                    // is issued.
                    let held: Option<(i64, String)> = tx
                        .query_row(
                            "SELECT id, number FROM certificates WHERE person_id = ?1 AND grade = ?2 AND status = 'valid'",
                            params![cert.person_id, lower.code()],
                            |r| Ok((r.get(0)?, r.get(1)?)),
                        )
                        .optional()?;
                    new_certificate = Some(match held {
                        Some(h) => h,
                        None => issue(tx, &rules, cert.person_id, None, lower, today.year(), today)?,
                    });
                    refresh_grade(tx, cert.person_id)?;
                }
            }
            tx.execute(
                "INSERT INTO inspections (certificate_id, year, assessment, passed, outcome, reason, recorded_at, new_certificate_id)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                params![certificate_id, year, assessment.code(), outcome.passed(), outcome.code(), reason, now, new_certificate.as_ref().map(|c| c.0)],
            )?;
            let id = tx.last_insert_rowid();
            Ok((
                outcome,
                AuditNote::new("inspect", "certificate", certificate_id).after(json!({
                    "inspection": id, "year": year, "assessment": assessment.code(),
                    "outcome": outcome.code(), "reason": reason,
                    "new_certificate": new_certificate.map(|c| c.1),
                })),
            ))
        })
    }

    /// The recorded annual inspections (of one year, or all), newest year first.
    pub fn inspections(&self, year: Option<i32>) -> Result<Vec<InspectionRow>> {
        let mut stmt = self.conn().prepare_cached(
            "SELECT i.id, i.certificate_id, c.number, p.name, i.year, i.assessment, i.passed, i.outcome,
                    i.reason, n.number, i.recorded_at
             FROM inspections i JOIN certificates c ON c.id = i.certificate_id JOIN persons p ON p.id = c.person_id
               LEFT JOIN certificates n ON n.id = i.new_certificate_id
             WHERE ?1 IS NULL OR i.year = ?1 ORDER BY i.year DESC, c.number",
        )?;
        let rows = stmt
            .query_map([year], |r| {
                Ok(InspectionRow {
                    id: r.get(0)?,
                    certificate_id: r.get(1)?,
                    number: r.get(2)?,
                    holder: r.get(3)?,
                    year: r.get(4)?,
                    assessment: Assessment::parse(&r.get::<_, String>(5)?)
                        .unwrap_or(Assessment::Competent),
                    passed: r.get(6)?,
                    outcome: r.get(7)?,
                    reason: r.get(8)?,
                    new_number: r.get(9)?,
                    recorded_at: self.show_time(&r.get::<_, String>(10)?),
                })
            })?
            .collect::<rusqlite::Result<_>>()?;
        Ok(rows)
    }

    /// Suspends, reinstates or revokes (exit, 退出) a certificate, with a reason (chair
    /// only). Returns the new status.
    pub fn change_certificate(
        &mut self,
        id: i64,
        action: CertAction,
        reason: &str,
    ) -> Result<CertStatus> {
        self.require(Deed::ChangeCertificateStatus)?;
        clean(Field::Reason, reason, true)?;
        let cert = self.certificate(id)?;
        let next = certificate::change_status(cert.status, action, reason)?;
        let today = self.today();
        let reason = reason.trim().to_string();
        self.mutate(|tx, _| {
            set_status(tx, id, next, today, &reason)?;
            refresh_grade(tx, cert.person_id)?;
            Ok((
                next,
                AuditNote::new(action.code(), "certificate", id)
                    .before(json!({"status": cert.status.code()}))
                    .after(json!({"status": next.code(), "reason": reason})),
            ))
        })
    }

    /// Records a holder's job-change report (chair or secretary): the new post or
    /// organisation and the date it was filed with the county organisation department.
    /// A holder who left party-affairs work is flagged for review; a later report of a
    /// party-affairs post clears the flag.
    pub fn record_job_change(&mut self, c: &NewJobChange) -> Result<i64> {
        self.require(Deed::RecordJobChange)?;
        clean(Field::NewOrganisation, &c.new_organisation, false)?;
        clean(Field::NewPosition, &c.new_position, false)?;
        let held: i64 = self.conn().query_row(
            "SELECT count(*) FROM certificates WHERE person_id = ?1",
            [c.person_id],
            |r| r.get(0),
        )?;
        if held == 0 {
            return Err(Refusal::NoCertificateHeld {
                person: c.person_id,
            }
            .into());
        }
        if c.change_date > c.filed_on || c.filed_on > self.today() {
            return Err(Refusal::FilingDate {
                change: c.change_date,
                filed: c.filed_on,
            }
            .into());
        }
        let (org, position) = (c.new_organisation.trim(), c.new_position.trim());
        if org.is_empty() && position.is_empty() && !c.left_party_work {
            return Err(Refusal::JobChangeEmpty.into());
        }
        let org_id: Option<i64> = if org.is_empty() {
            None
        } else {
            self.conn()
                .query_row(
                    "SELECT id FROM organisations WHERE code = ?1 OR name = ?1 LIMIT 1",
                    [org],
                    |r| r.get(0),
                )
                .optional()?
        };
        let now = self.stamp();
        self.mutate(|tx, _| {
            tx.execute(
                "INSERT INTO job_changes (person_id, change_date, filed_on, new_organisation, new_position, left_party_work, recorded_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                params![c.person_id, c.change_date.to_string(), c.filed_on.to_string(), org, position, c.left_party_work, now],
            )?;
            let id = tx.last_insert_rowid();
            tx.execute(
                "UPDATE persons SET in_post = ?1,
                        position = CASE WHEN ?2 = '' THEN position ELSE ?2 END,
                        org_id = coalesce(?3, org_id)
                 WHERE id = ?4",
                params![!c.left_party_work, position, org_id, c.person_id],
            )?;
            Ok((
                id,
                AuditNote::new("record", "job_change", id).after(json!({
                    "person": c.person_id, "change_date": c.change_date.to_string(),
                    "filed_on": c.filed_on.to_string(), "organisation": org, "position": position,
                    "left_party_work": c.left_party_work, "organisation_known": org_id.is_some(),
                })),
            ))
        })
    }

    /// The job-change reports, newest first.
    pub fn job_changes(&self) -> Result<Vec<JobChangeRow>> {
        let mut stmt = self.conn().prepare_cached(
            "SELECT j.id, j.person_id, p.name, j.change_date, j.filed_on, j.new_organisation, j.new_position,
                    j.left_party_work, j.recorded_at,
                    j.left_party_work AND p.in_post = 0
                      AND EXISTS (SELECT 1 FROM certificates c WHERE c.person_id = j.person_id AND c.status IN ('valid', 'suspended'))
             FROM job_changes j JOIN persons p ON p.id = j.person_id
             ORDER BY j.filed_on DESC, j.id DESC",
        )?;
        let rows = stmt
            .query_map([], |r| {
                Ok(JobChangeRow {
                    id: r.get(0)?,
                    person_id: r.get(1)?,
                    holder: r.get(2)?,
                    change_date: r.get(3)?,
                    filed_on: r.get(4)?,
                    new_organisation: r.get(5)?,
                    new_position: r.get(6)?,
                    left_party_work: r.get(7)?,
                    recorded_at: self.show_time(&r.get::<_, String>(8)?),
                    flagged: r.get(9)?,
                })
            })?
            .collect::<rusqlite::Result<_>>()?;
        Ok(rows)
    }

    /// The 红领津贴 roll of a year: every holder of a certificate issued by the end of
    /// the year who is a secretary or staff member, holds it valid, was assessed 称职 or
    /// better that year and is still in post, with the amount for the grade from the
    /// year's rules; totals by grade and county; and who was left off, and why.
    pub fn allowance_roll(&self, year: i32) -> Result<AllowanceRoll> {
        let rules = self.rules_of_year(year)?;
        let mut stmt = self.conn().prepare_cached(
            "SELECT c.person_id, p.name, o.name, o.county, p.category, c.grade, c.number, c.status, p.in_post,
                    (SELECT a.grade FROM assessments a WHERE a.person_id = c.person_id AND a.year = ?1)
             FROM certificates c JOIN persons p ON p.id = c.person_id JOIN organisations o ON o.id = p.org_id
             WHERE c.status IN ('valid', 'suspended') AND c.issued_on <= ?2",
        )?;
        struct Held {
            person_id: i64,
            name: String,
            organisation: String,
            county: String,
            category: Category,
            grade: Option<Grade>,
            number: String,
            status: CertStatus,
            in_post: bool,
            assessment: Option<Assessment>,
        }
        let held: Vec<Held> = stmt
            .query_map(params![year, format!("{year}-12-31")], |r| {
                let text = |i: usize| r.get::<_, String>(i);
                Ok(Held {
                    person_id: r.get(0)?,
                    name: text(1)?,
                    organisation: text(2)?,
                    county: text(3)?,
                    category: Category::parse(&text(4)?).unwrap_or(Category::Staff),
                    grade: Grade::parse(&text(5)?),
                    number: text(6)?,
                    status: CertStatus::parse(&text(7)?).unwrap_or(CertStatus::Valid),
                    in_post: r.get(8)?,
                    assessment: r
                        .get::<_, Option<String>>(9)?
                        .as_deref()
                        .and_then(Assessment::parse),
                })
            })?
            .collect::<rusqlite::Result<_>>()?;
        // A holder is paid once, for their highest grade held.
        let mut best: BTreeMap<i64, (Grade, Held)> = BTreeMap::new();
        for h in held {
            let Some(grade) = h.grade else {
                continue;
            };
            if best.get(&h.person_id).is_none_or(|(g, _)| grade > *g) {
                best.insert(h.person_id, (grade, h));
            }
        }
        let mut rows = Vec::new();
        let mut excluded = Vec::new();
        for (grade, h) in best.into_values() {
            match (
                allowance_exclusion(h.category, h.status, h.assessment, h.in_post),
                h.assessment,
            ) {
                (None, Some(assessment)) => rows.push(AllowanceRow {
                    person_id: h.person_id,
                    name: h.name,
                    organisation: h.organisation,
                    county: h.county,
                    category: h.category,
                    grade,
                    certificate: h.number,
                    assessment,
                    amount: rules.grade(grade).map_or(0, |g| g.allowance),
                }),
                (why, _) => excluded.push(Excluded {
                    name: h.name,
                    certificate: h.number,
                    why: why.unwrap_or(Exclusion::NotAssessed),
                }),
            }
        }
        // Counties and names in dictionary (pinyin) order, the higher grades first.
        rows.sort_by_cached_key(|r| {
            (
                crate::search::text_order(&r.county),
                std::cmp::Reverse(r.grade),
                crate::search::name_order(&r.name),
            )
        });
        excluded.sort_by(|a, b| a.certificate.cmp(&b.certificate));
        let mut by_grade: BTreeMap<std::cmp::Reverse<Grade>, Subtotal> = BTreeMap::new();
        let mut by_county: BTreeMap<(String, String), Subtotal> = BTreeMap::new();
        let mut total = Subtotal::default();
        for r in &rows {
            for s in [
                by_grade.entry(std::cmp::Reverse(r.grade)).or_default(),
                by_county
                    .entry((crate::search::text_order(&r.county), r.county.clone()))
                    .or_default(),
                &mut total,
            ] {
                s.holders += 1;
                s.amount += u64::from(r.amount);
            }
        }
        Ok(AllowanceRoll {
            year,
            city: rules.city.name.clone(),
            rows,
            by_grade: by_grade.into_iter().map(|(g, s)| (g.0, s)).collect(),
            by_county: by_county
                .into_iter()
                .map(|((_, county), s)| (county, s))
                .collect(),
            total,
            excluded,
        })
    }
}
