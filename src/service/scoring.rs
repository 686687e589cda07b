//! Overall evaluation (stage 5): conflicts of interest, independent score sheets and
//! finalising a result.

use super::applications::{move_stage, Application};
use super::{clean, AuditNote, EvalWork, Field, Refusal, Result, Service};
use crate::domain::aggregate::{self, Aggregate, Sheet};
use crate::domain::rules::Rules;
use crate::domain::stage::{self, Facts, Position, Stage, Status, Transition};
use crate::domain::{ConflictKind, Deed, Recusal};
use rusqlite::{params, OptionalExtension};
use serde_json::json;
use std::collections::BTreeMap;

/// Refuses unless the application is in evaluation with no final result yet.
pub(super) fn open_evaluation(app: &Application, work: EvalWork) -> Result<()> {
    let open = Position {
        stage: Stage::Evaluation,
        status: Status::Active,
    };
    if app.position != open || app.result_passed.is_some() {
        return Err(Refusal::NotInEvaluation {
            work,
            name: app.name.clone(),
            at: app.position,
        }
        .into());
    }
    Ok(())
}

/// Refuses a value outside the criterion's range or off the rules' step.
pub(super) fn check_value(rules: &Rules, criterion: &str, value: f64) -> Result<()> {
    let c = rules
        .criterion(criterion)
        .ok_or_else(|| Refusal::UnknownCriterion {
            key: criterion.to_string(),
        })?;
    let step = if rules.aggregation.half_points {
        0.5
    } else {
        1.0
    };
    if !(0.0..=c.max).contains(&value) || (value / step).fract() != 0.0 {
        return Err(Refusal::ValueOutOfRange {
            criterion: c.name.clone(),
            max: c.max,
            step,
        }
        .into());
    }
    Ok(())
}

impl Service {
    /// Why `member_id` must recuse from the application's candidate, if they must: the
    /// same organisation, or a declared conflict.
    pub fn recusal(&self, member_id: i64, app_id: i64) -> Result<Option<Recusal>> {
        let same_org: bool = self.conn().query_row(
            "SELECT coalesce(m.org_id = p.org_id, 0) FROM members m, applications a JOIN persons p ON p.id = a.person_id
             WHERE m.id = ?1 AND a.id = ?2",
            params![member_id, app_id],
            |r| r.get(0),
        )?;
        if same_org {
            return Ok(Some(Recusal::SameOrganisation));
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
        Ok(declared.map(|(kind, reason)| Recusal::Declared {
            kind: ConflictKind::parse(&kind).unwrap_or(ConflictKind::Other),
            reason,
        }))
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
        self.require(Deed::DeclareConflict)?;
        if self.actor.member_id.is_some_and(|me| me != member_id) {
            self.require(Deed::DeclareConflictForOthers)?;
        }
        clean(Field::ConflictKind, kind, false)?;
        clean(Field::ConflictReason, reason, true)?;
        if !ConflictKind::ALL.iter().any(|k| k.code() == kind) {
            return Err(Refusal::UnknownConflictKind {
                kind: kind.to_string(),
            }
            .into());
        }
        if reason.trim().is_empty() {
            return Err(Refusal::ConflictNeedsReason.into());
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
        clean(Field::Criterion, criterion, false)?;
        let app = self.application(app_id)?;
        open_evaluation(&app, EvalWork::Scoring)?;
        self.require_session_open(&app)?;
        let rules = self.cycle(app.cycle_id)?.rules;
        check_value(&rules, criterion, value)?;
        if self.sheet_status(app_id, member)? == super::evaluation::Cell::Submitted {
            return Err(Refusal::SheetSubmittedNeedsReason.into());
        }
        let now = self.stamp();
        self.mutate(|tx, _| {
            // Again inside the write: another terminal may have closed scoring, or this
            // member submitted from another terminal, since the checks above.
            super::evaluation::recheck_open(tx, app_id)?;
            if super::evaluation::sheet_status_in(tx, app_id, member)?
                == super::evaluation::Cell::Submitted
            {
                return Err(Refusal::SheetSubmittedNeedsReason.into());
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
        open_evaluation(&app, EvalWork::Submitting)?;
        self.require_session_open(&app)?;
        let rules = self.cycle(app.cycle_id)?.rules;
        let values = self.sheet_values(app_id, member)?;
        let missing: Vec<String> = rules
            .criteria
            .iter()
            .filter(|c| !values.contains_key(&c.key))
            .map(|c| c.name.clone())
            .collect();
        if !missing.is_empty() {
            return Err(Refusal::SheetIncomplete { missing }.into());
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
                return Err(Refusal::AlreadySubmitted.into());
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
        self.require(Deed::FinaliseResult)?;
        let app = self.application(app_id)?;
        open_evaluation(&app, EvalWork::Finalising)?;
        if self.session(app.cycle_id)?.is_open() {
            return Err(Refusal::ScoringStillOpen.into());
        }
        let rules = self.cycle(app.cycle_id)?.rules;
        let sheets = self.eligible_sheets(app_id)?;
        let agg = aggregate::aggregate(&sheets, &rules).ok_or(Refusal::NoSubmittedSheets)?;
        if !agg.quorum_met {
            return Err(Refusal::QuorumNotMet {
                have: agg.sheets,
                need: rules.aggregation.quorum,
            }
            .into());
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
                return Err(Refusal::ScoringStillOpen.into());
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
