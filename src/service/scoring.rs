//! Overall evaluation (stage 5): conflicts of interest, independent score sheets and
//! finalising a result.

use super::applications::{move_stage, Application};
use super::{AuditNote, Result, Service, ServiceError};
use crate::domain::aggregate::{self, Aggregate, Sheet};
use crate::domain::rules::Rules;
use crate::domain::stage::{self, Facts, Position, Stage, Status, Transition};
use crate::domain::Role;
use crate::text::clean;
use rusqlite::{params, OptionalExtension};
use serde_json::json;
use std::collections::BTreeMap;

/// Kinds of declared conflict (回避).
pub const CONFLICT_KINDS: [&str; 4] = ["relative", "worked_there", "same_org", "other"];

/// Refuses unless the application is in evaluation with no final result yet.
pub(super) fn open_evaluation(app: &Application, what: &str) -> Result<()> {
    let open = Position {
        stage: Stage::Evaluation,
        status: Status::Active,
    };
    if app.position != open || app.result_passed.is_some() {
        return Err(ServiceError::Invalid(format!(
            "{what} only while the candidate is in evaluation with no final result; {} is at {} ({})",
            app.name,
            app.position.stage.en(),
            app.position.status.code()
        )));
    }
    Ok(())
}

/// Refuses a value outside the criterion's range or off the rules' step.
pub(super) fn check_value(rules: &Rules, criterion: &str, value: f64) -> Result<()> {
    let c = rules
        .criterion(criterion)
        .ok_or_else(|| ServiceError::Invalid(format!("unknown criterion '{criterion}'")))?;
    let step = if rules.aggregation.half_points {
        0.5
    } else {
        1.0
    };
    if !(0.0..=c.max).contains(&value) || (value / step).fract() != 0.0 {
        return Err(ServiceError::Invalid(format!(
            "{} must be 0 to {} in steps of {step}",
            c.name, c.max
        )));
    }
    Ok(())
}

impl Service {
    /// Why `member_id` must recuse from the application's candidate, if they must: the
    /// same organisation, or a declared conflict.
    pub fn recusal(&self, member_id: i64, app_id: i64) -> Result<Option<String>> {
        let same_org: bool = self.conn().query_row(
            "SELECT coalesce(m.org_id = p.org_id, 0) FROM members m, applications a JOIN persons p ON p.id = a.person_id
             WHERE m.id = ?1 AND a.id = ?2",
            params![member_id, app_id],
            |r| r.get(0),
        )?;
        if same_org {
            return Ok(Some("same organisation as the candidate".into()));
        }
        let declared: Option<(String, String)> = self
            .conn()
            .query_row(
                "SELECT c.kind, c.reason FROM conflicts c JOIN applications a ON a.person_id = c.person_id
                 WHERE c.member_id = ?1 AND a.id = ?2",
                params![member_id, app_id],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?;
        Ok(declared.map(|(k, r)| format!("declared conflict ({k}): {r}")))
    }

    /// Declares a conflict of interest between a member and a person. Members declare
    /// their own; the chair may record anyone's.
    pub fn declare_conflict(
        &mut self,
        member_id: i64,
        person_id: i64,
        kind: &str,
        reason: &str,
    ) -> Result<i64> {
        if let (Some(role), Some(me)) = (self.role, self.actor.member_id) {
            if role != Role::Chair && me != member_id {
                return Err(ServiceError::Forbidden(
                    "only the chair may declare a conflict for another member".into(),
                ));
            }
        }
        clean("the conflict's kind", kind, false).map_err(ServiceError::Invalid)?;
        clean("the conflict's reason", reason, true).map_err(ServiceError::Invalid)?;
        if !CONFLICT_KINDS.contains(&kind) {
            return Err(ServiceError::Invalid(format!(
                "unknown conflict kind '{kind}' (one of: {})",
                CONFLICT_KINDS.join(", ")
            )));
        }
        if reason.trim().is_empty() {
            return Err(ServiceError::Invalid("a conflict needs a reason".into()));
        }
        let now = self.stamp();
        self.mutate(|tx, _| {
            tx.execute(
                "INSERT INTO conflicts (member_id, person_id, kind, reason, declared_at) VALUES (?1, ?2, ?3, ?4, ?5)",
                params![member_id, person_id, kind, reason, now],
            )?;
            let id = tx.last_insert_rowid();
            Ok((id, AuditNote::new("declare", "conflict", id).after(json!({"member": member_id, "person": person_id, "kind": kind, "reason": reason}))))
        })
    }

    /// Saves one criterion of the acting member's sheet (a draft until submitted),
    /// while scoring is open.
    pub fn save_score(&mut self, app_id: i64, criterion: &str, value: f64) -> Result<()> {
        let member = self.scorer_for(app_id)?;
        clean("the criterion", criterion, false).map_err(ServiceError::Invalid)?;
        let app = self.application(app_id)?;
        open_evaluation(&app, "scores are given")?;
        self.require_session_open(&app)?;
        let rules = self.cycle(app.cycle_id)?.rules;
        check_value(&rules, criterion, value)?;
        if self.sheet_status(app_id, member)? == super::evaluation::Cell::Submitted {
            return Err(ServiceError::Invalid(
                "this sheet is submitted; changing it needs a reason".into(),
            ));
        }
        let now = self.stamp();
        self.mutate(|tx, _| {
            // Again inside the write: another terminal may have closed scoring, or this
            // member submitted from another terminal, since the checks above.
            super::evaluation::recheck_open(tx, app_id)?;
            if super::evaluation::sheet_status_in(tx, app_id, member)?
                == super::evaluation::Cell::Submitted
            {
                return Err(ServiceError::Invalid(
                    "this sheet is submitted; changing it needs a reason".into(),
                ));
            }
            let before = super::evaluation::value_in(tx, app_id, member, criterion)?;
            tx.execute(
                "INSERT INTO sheets (application_id, member_id, status) VALUES (?1, ?2, 'draft') ON CONFLICT DO NOTHING",
                params![app_id, member],
            )?;
            tx.execute(
                "INSERT INTO scores (application_id, member_id, criterion, value, updated_at) VALUES (?1, ?2, ?3, ?4, ?5)
                 ON CONFLICT (application_id, member_id, criterion) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at",
                params![app_id, member, criterion, value, now],
            )?;
            Ok(((), AuditNote::new("score", "application", app_id).before(json!({"criterion": criterion, "value": before})).after(json!({"criterion": criterion, "value": value}))))
        })
    }

    /// Submits the acting member's sheet; every criterion must be scored.
    pub fn submit_sheet(&mut self, app_id: i64) -> Result<()> {
        let member = self.scorer_for(app_id)?;
        let app = self.application(app_id)?;
        open_evaluation(&app, "sheets are submitted")?;
        self.require_session_open(&app)?;
        let rules = self.cycle(app.cycle_id)?.rules;
        let values = self.sheet_values(app_id, member)?;
        let missing: Vec<&str> = rules
            .criteria
            .iter()
            .filter(|c| !values.contains_key(&c.key))
            .map(|c| c.name.as_str())
            .collect();
        if !missing.is_empty() {
            return Err(ServiceError::Invalid(format!(
                "the sheet is incomplete: {}",
                missing.join(", ")
            )));
        }
        let now = self.stamp();
        self.mutate(|tx, _| {
            super::evaluation::recheck_open(tx, app_id)?;
            let changed = tx.execute(
                "UPDATE sheets SET status = 'submitted', submitted_at = ?1
                 WHERE application_id = ?2 AND member_id = ?3 AND status = 'draft'",
                params![now, app_id, member],
            )?;
            if changed == 0 {
                return Err(ServiceError::Invalid(
                    "this sheet is already submitted".into(),
                ));
            }
            Ok((
                (),
                AuditNote::new("submit", "sheet", format!("{app_id}/{member}")),
            ))
        })
    }

    fn sheet_values(&self, app_id: i64, member: i64) -> Result<BTreeMap<String, f64>> {
        let mut stmt = self.conn().prepare(
            "SELECT criterion, value FROM scores WHERE application_id = ?1 AND member_id = ?2",
        )?;
        let rows = stmt.query_map(params![app_id, member], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// The submitted sheets of members who are not recused.
    pub fn eligible_sheets(&self, app_id: i64) -> Result<Vec<Sheet>> {
        let mut stmt = self.conn().prepare("SELECT member_id FROM sheets WHERE application_id = ?1 AND status = 'submitted' ORDER BY member_id")?;
        let members: Vec<i64> = stmt
            .query_map([app_id], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        let mut out = Vec::new();
        for m in members {
            if self.recusal(m, app_id)?.is_none() {
                out.push(Sheet {
                    member_id: m,
                    values: self.sheet_values(app_id, m)?,
                });
            }
        }
        Ok(out)
    }

    /// Fixes the committee's result (chair only, quorum required): the application
    /// moves to the notice when it reaches the target grade's threshold, and is not
    /// certified otherwise.
    pub fn finalise(&mut self, app_id: i64) -> Result<Aggregate> {
        self.require(&[Role::Chair], "finalise a result")?;
        let app = self.application(app_id)?;
        open_evaluation(&app, "a result is finalised")?;
        if self.session(app.cycle_id)?.is_open() {
            return Err(ServiceError::Invalid(
                "scoring is still open; close it before finalising".into(),
            ));
        }
        let rules = self.cycle(app.cycle_id)?.rules;
        let sheets = self.eligible_sheets(app_id)?;
        let agg = aggregate::aggregate(&sheets, &rules)
            .ok_or_else(|| ServiceError::Invalid("no submitted sheets".into()))?;
        if !agg.quorum_met {
            return Err(ServiceError::Invalid(format!(
                "quorum not met: {} eligible submitted sheet(s), the rules require {}",
                agg.sheets, rules.aggregation.quorum
            )));
        }
        let threshold = rules
            .grade(app.target)
            .map(|g| g.pass_threshold)
            .unwrap_or(f64::INFINITY);
        let passed = aggregate::reaches(agg.result, threshold);
        let result = agg.result;
        let t = if passed {
            Transition::Advance
        } else {
            Transition::NotCertify {
                reason: format!("综合评定 {result} 未达到 {threshold}"),
            }
        };
        let facts = Facts {
            result_passed: Some(passed),
            ..Facts::default()
        };
        let next = stage::apply(app.position, &t, &facts)?;
        let reason = t.reason().unwrap_or("").to_string();
        let now = self.stamp();
        self.mutate(|tx, actor| {
            let reopened: bool = tx.query_row(
                "SELECT EXISTS (SELECT 1 FROM scoring_sessions WHERE cycle_id = ?1 AND closed_at IS NULL)",
                [app.cycle_id],
                |r| r.get(0),
            )?;
            if reopened {
                return Err(ServiceError::Invalid(
                    "scoring is still open; close it before finalising".into(),
                ));
            }
            tx.execute(
                "UPDATE applications SET result_score = ?1, result_passed = ?2, finalised_at = ?3 WHERE id = ?4",
                params![result, passed, now, app_id],
            )?;
            move_stage(tx, actor, &app, next, t.code(), &reason, &now)?;
            Ok((
                (),
                AuditNote::new("finalise", "application", app_id)
                    .before(json!({"stage": app.position.stage.code(), "status": app.position.status.code()}))
                    .after(json!({
                        "result": result, "passed": passed, "threshold": threshold, "sheets": agg.sheets,
                        "stage": next.stage.code(), "status": next.status.code(),
                    })),
            ))
        })?;
        Ok(agg)
    }
}
