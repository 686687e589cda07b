//! The overall evaluation (综合评定) as the committee sees it: scoring sessions the
//! chair opens and closes, a member's own sheet, the chair's progress board, the
//! results and the ranking, changes to submitted sheets, and reopening a result.
//!
//! Who may see what is decided here, so the screens, the command line and the tests
//! meet the same rule:
//! - a member sees their own sheet; other members' totals (without names) only once
//!   their own sheet for that candidate is submitted;
//! - the chair sees who has submitted, and the values (with names) only when scoring
//!   is closed or the candidate's result is final;
//! - the secretary sees progress, and values without names on the same terms;
//! - a recused member sees nothing of the candidate's scores.

use super::applications::{move_stage, Application};
use super::{clean, AuditNote, EvalWork, Field, Refusal, Result, Service, ServiceError};
use crate::domain::aggregate::{self, Aggregate, Candidate, Sheet};
use crate::domain::grade::{Grade, Role};
use crate::domain::rules::Rules;
use crate::domain::stage::{self, Transition};
use crate::domain::Deed;
use rusqlite::{params, Connection, OptionalExtension};
use serde_json::json;
use std::collections::{BTreeMap, HashMap, HashSet};

/// Whether the cycle's scoring is open.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Session {
    /// Never opened in this cycle.
    NotOpened,
    Open {
        id: i64,
        since: String,
    },
    Closed {
        at: String,
    },
}

impl Session {
    pub fn is_open(&self) -> bool {
        matches!(self, Session::Open { .. })
    }
}

/// The state of one member's sheet for one candidate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cell {
    Pending,
    Draft,
    Submitted,
    Recused,
}

/// One criterion of a sheet.
#[derive(Debug, Clone, PartialEq)]
pub struct CriterionScore {
    pub key: String,
    pub name: String,
    pub name_en: String,
    pub max: f64,
    pub weight: f64,
    pub value: Option<f64>,
    pub comment: String,
}

/// The acting member's sheet for a candidate, with what they may see beside it.
#[derive(Debug, Clone, PartialEq)]
pub struct MySheet {
    pub app_id: i64,
    pub name: String,
    pub target: Grade,
    /// Draft or submitted; `Pending` before the first score.
    pub status: Cell,
    pub criteria: Vec<CriterionScore>,
    /// The weighted total of the values given so far.
    pub total: f64,
    /// The smallest step a value may take (0.5 with half points).
    pub step: f64,
    pub session_open: bool,
    /// The result is final: the sheet is locked.
    pub finalised: bool,
    /// A submitted value may be changed now: no review meeting is under way, or it is
    /// in this candidate's revision round.
    pub revisable: bool,
    /// Totals of the other eligible submitted sheets, without names, once this sheet
    /// is submitted; highest first, so that nothing tells who gave which.
    pub others: Option<Vec<f64>>,
}

impl MySheet {
    /// Criteria still without a value.
    pub fn empty(&self) -> Vec<&str> {
        self.criteria
            .iter()
            .filter(|c| c.value.is_none())
            .map(|c| c.name.as_str())
            .collect()
    }

    /// Whether a value may be given under the rules' maximum and step.
    pub fn valid(&self, index: usize, value: f64) -> bool {
        self.criteria.get(index).is_some_and(|c| {
            (0.0..=c.max).contains(&value) && (value / self.step).fract().abs() < 1e-9
        })
    }
}

/// The chair's board: candidates by members.
#[derive(Debug, Clone, PartialEq)]
pub struct Progress {
    pub session: Session,
    /// Scorers (chair and members), in id order.
    pub members: Vec<(i64, String)>,
    pub rows: Vec<ProgressRow>,
    pub quorum: usize,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ProgressRow {
    pub app_id: i64,
    pub name: String,
    pub organisation: String,
    pub target: Grade,
    /// One cell per member of `Progress::members`.
    pub cells: Vec<Cell>,
    /// Whether the result is final.
    pub finalised: bool,
}

impl ProgressRow {
    pub fn count(&self, cell: Cell) -> usize {
        self.cells.iter().filter(|c| **c == cell).count()
    }
}

/// A change to a submitted sheet.
#[derive(Debug, Clone, PartialEq)]
pub struct Revision {
    pub member: Option<String>,
    pub criterion: String,
    /// The criterion's names (Chinese, English) from the rules.
    pub label: (String, String),
    pub before: Option<f64>,
    pub after: f64,
    pub reason: String,
    pub at: String,
}

/// One eligible submitted sheet in the results.
#[derive(Debug, Clone, PartialEq)]
pub struct SheetTotal {
    pub member_id: i64,
    /// The member's name, for the chair only.
    pub member: Option<String>,
    pub total: f64,
    pub values: BTreeMap<String, f64>,
    /// Far from the median: to discuss.
    pub outlier: bool,
    /// The total as first submitted, when the sheet was changed afterwards.
    pub first_total: Option<f64>,
}

/// A candidate's result.
#[derive(Debug, Clone, PartialEq)]
pub struct ResultRow {
    pub app_id: i64,
    pub name: String,
    pub organisation: String,
    pub target: Grade,
    pub post_start: String,
    pub threshold: f64,
    /// Whether the values may be shown to the actor now.
    pub visible: bool,
    pub sheets: Vec<SheetTotal>,
    pub aggregate: Option<Aggregate>,
    /// Eligible scorers, and recused ones.
    pub eligible: usize,
    pub recused: usize,
    /// Pass or fail at the target grade depends on the aggregation method.
    pub needs_discussion: bool,
    /// The final result, once fixed: passed or not.
    pub finalised: Option<bool>,
    pub revisions: Vec<Revision>,
}

impl ResultRow {
    /// Whether the result reaches the target grade's threshold.
    pub fn passes(&self) -> Option<bool> {
        self.aggregate
            .as_ref()
            .map(|a| aggregate::reaches(a.result, self.threshold))
    }
}

/// One line of a grade's ranking.
#[derive(Debug, Clone, PartialEq)]
pub struct RankRow {
    pub rank: usize,
    pub app_id: i64,
    pub name: String,
    pub organisation: String,
    pub result: f64,
    pub passes: bool,
    pub finalised: Option<bool>,
}

/// A declared conflict of interest, for the chair's board.
#[derive(Debug, Clone, PartialEq)]
pub struct ConflictRow {
    pub member: String,
    pub candidate: String,
    pub kind: String,
    pub reason: String,
    pub declared_at: String,
}

/// Scorers of the committee: the chair and the members, in id order.
pub(super) fn scorers(conn: &Connection) -> Result<Vec<(i64, String)>> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, name FROM members WHERE active = 1 AND role IN ('chair', 'member') ORDER BY id",
    )?;
    let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Every (member, application) pair of a cycle where the member must recuse.
pub(super) fn recusals(conn: &Connection, cycle_id: i64) -> Result<HashSet<(i64, i64)>> {
    let mut stmt = conn.prepare_cached(
        "SELECT m.id, a.id FROM applications a JOIN persons p ON p.id = a.person_id
           JOIN members m ON m.org_id = p.org_id
         WHERE a.cycle_id = ?1
         UNION
         SELECT c.member_id, a.id FROM conflicts c JOIN applications a ON a.person_id = c.person_id
         WHERE a.cycle_id = ?1",
    )?;
    let rows = stmt.query_map([cycle_id], |r| Ok((r.get(0)?, r.get(1)?)))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Candidates of the evaluation: those being scored, then those with a final result.
pub(super) struct Candidate5 {
    pub(super) id: i64,
    pub(super) name: String,
    pub(super) organisation: String,
    pub(super) target: Grade,
    pub(super) post_start: String,
    pub(super) finalised: Option<bool>,
}

pub(super) fn candidates(conn: &Connection, cycle_id: i64) -> Result<Vec<Candidate5>> {
    let mut stmt = conn.prepare_cached(
        "SELECT a.id, p.name, coalesce(o.name, ''), a.target_grade, coalesce(p.post_start, ''), a.result_passed
         FROM applications a JOIN persons p ON p.id = a.person_id LEFT JOIN organisations o ON o.id = p.org_id
         WHERE a.cycle_id = ?1 AND ((a.stage = 'evaluation' AND a.status = 'active') OR a.result_passed IS NOT NULL)
         ORDER BY a.result_passed IS NOT NULL, a.declared_on, a.id",
    )?;
    let rows = stmt.query_map([cycle_id], |r| {
        let grade: String = r.get(3)?;
        Ok(Candidate5 {
            id: r.get(0)?,
            name: r.get(1)?,
            organisation: r.get(2)?,
            target: Grade::parse(&grade).unwrap_or(Grade::Junior),
            post_start: r.get(4)?,
            finalised: r.get(5)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Inside a write transaction: refuses unless the application is still in an open
/// evaluation (no final result) and its cycle's scoring is still open. Checked again
/// there because another terminal may have closed scoring or finalised since the
/// checks made before the write.
pub(super) fn recheck_open(tx: &Connection, app_id: i64) -> Result<()> {
    let (in_evaluation, open): (bool, bool) = tx.query_row(
        "SELECT a.stage = 'evaluation' AND a.status = 'active' AND a.result_passed IS NULL,
                EXISTS (SELECT 1 FROM scoring_sessions s WHERE s.cycle_id = a.cycle_id AND s.closed_at IS NULL)
         FROM applications a WHERE a.id = ?1",
        [app_id],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    if !open {
        return Err(Refusal::ScoringClosed { meanwhile: true }.into());
    }
    if !in_evaluation {
        return Err(Refusal::FinalisedMeanwhile.into());
    }
    Ok(())
}

/// The state of a member's sheet, read in the given connection or transaction.
pub(super) fn sheet_status_in(conn: &Connection, app_id: i64, member: i64) -> Result<Cell> {
    let s: Option<String> = conn
        .query_row(
            "SELECT status FROM sheets WHERE application_id = ?1 AND member_id = ?2",
            params![app_id, member],
            |r| r.get(0),
        )
        .optional()?;
    Ok(match s.as_deref() {
        Some("submitted") => Cell::Submitted,
        Some(_) => Cell::Draft,
        None => Cell::Pending,
    })
}

/// A member's value for a criterion, read in the given connection or transaction.
pub(super) fn value_in(
    conn: &Connection,
    app_id: i64,
    member: i64,
    criterion: &str,
) -> Result<Option<f64>> {
    Ok(conn
        .query_row(
            "SELECT value FROM scores WHERE application_id = ?1 AND member_id = ?2 AND criterion = ?3",
            params![app_id, member, criterion],
            |r| r.get(0),
        )
        .optional()?)
}

impl Service {
    /// The scoring session of a cycle.
    pub fn session(&self, cycle_id: i64) -> Result<Session> {
        let row: Option<(i64, String, Option<String>)> = self
            .conn()
            .query_row(
                "SELECT id, opened_at, closed_at FROM scoring_sessions WHERE cycle_id = ?1 ORDER BY id DESC LIMIT 1",
                [cycle_id],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .optional()?;
        Ok(match row {
            None => Session::NotOpened,
            Some((id, since, None)) => Session::Open {
                id,
                since: self.show_time(&since),
            },
            Some((_, _, Some(at))) => Session::Closed {
                at: self.show_time(&at),
            },
        })
    }

    /// Opens scoring for the open cycle (chair only).
    pub fn open_scoring(&mut self) -> Result<i64> {
        self.require(Deed::OpenScoring)?;
        let cycle_id = self.open_cycle_id()?;
        if self.session(cycle_id)?.is_open() {
            return Err(Refusal::ScoringAlreadyOpen.into());
        }
        let now = self.stamp();
        self.mutate(|tx, actor| {
            tx.execute(
                "INSERT INTO scoring_sessions (cycle_id, opened_at, opened_by) VALUES (?1, ?2, ?3)",
                params![cycle_id, now, actor.member_id],
            )
            .map_err(|e| match e {
                rusqlite::Error::SqliteFailure(f, _)
                    if f.code == rusqlite::ErrorCode::ConstraintViolation =>
                {
                    ServiceError::Invalid(Refusal::ScoringAlreadyOpen)
                }
                e => e.into(),
            })?;
            let id = tx.last_insert_rowid();
            Ok((
                id,
                AuditNote::new("open", "scoring", id).after(json!({"cycle": cycle_id})),
            ))
        })
    }

    /// Closes scoring (chair only). Drafts stay drafts and do not count. Returns the
    /// number of drafts left unsubmitted.
    pub fn close_scoring(&mut self) -> Result<usize> {
        self.require(Deed::CloseScoring)?;
        let cycle_id = self.open_cycle_id()?;
        let Session::Open { id, .. } = self.session(cycle_id)? else {
            return Err(Refusal::ScoringNotOpen.into());
        };
        let now = self.stamp();
        self.mutate(|tx, actor| {
            let n = tx.execute(
                "UPDATE scoring_sessions SET closed_at = ?1, closed_by = ?2 WHERE id = ?3 AND closed_at IS NULL",
                params![now, actor.member_id, id],
            )?;
            if n == 0 {
                return Err(Refusal::ScoringNotOpen.into());
            }
            let drafts: i64 = tx.query_row(
                "SELECT count(*) FROM sheets s JOIN applications a ON a.id = s.application_id
                 WHERE a.cycle_id = ?1 AND a.stage = 'evaluation' AND a.status = 'active' AND s.status = 'draft'",
                [cycle_id],
                |r| r.get(0),
            )?;
            Ok((
                drafts as usize,
                AuditNote::new("close", "scoring", id).after(json!({"drafts": drafts})),
            ))
        })
    }

    /// Refuses unless scoring is open for the application's cycle.
    pub(super) fn require_session_open(&self, app: &Application) -> Result<()> {
        if self.session(app.cycle_id)?.is_open() {
            Ok(())
        } else {
            Err(Refusal::ScoringClosed { meanwhile: false }.into())
        }
    }

    /// The acting member, who must be a scorer not recused from the application.
    pub(super) fn scorer_for(&self, app_id: i64) -> Result<i64> {
        self.require(Deed::Score)?;
        let member = self
            .actor
            .member_id
            .ok_or(ServiceError::NotLoggedIn { deed: Deed::Score })?;
        if let Some(why) = self.recusal(member, app_id)? {
            return Err(ServiceError::Recused { app: app_id, why });
        }
        Ok(member)
    }

    pub(super) fn sheet_status(&self, app_id: i64, member: i64) -> Result<Cell> {
        sheet_status_in(self.conn(), app_id, member)
    }

    /// The acting member's own sheet for a candidate. A recused member is refused.
    pub fn my_sheet(&self, app_id: i64) -> Result<MySheet> {
        let member = self.scorer_for(app_id)?;
        let app = self.application(app_id)?;
        let rules = self.cycle(app.cycle_id)?.rules;
        let mut stmt = self.conn().prepare_cached(
            "SELECT criterion, value, comment FROM scores WHERE application_id = ?1 AND member_id = ?2",
        )?;
        let given: HashMap<String, (f64, String)> = stmt
            .query_map(params![app_id, member], |r| {
                Ok((r.get(0)?, (r.get(1)?, r.get(2)?)))
            })?
            .collect::<rusqlite::Result<_>>()?;
        let criteria: Vec<CriterionScore> = rules
            .criteria
            .iter()
            .map(|c| {
                let (value, comment) = given
                    .get(&c.key)
                    .map(|(v, m)| (Some(*v), m.clone()))
                    .unwrap_or((None, String::new()));
                CriterionScore {
                    key: c.key.clone(),
                    name: c.name.clone(),
                    name_en: c.name_en.clone(),
                    max: c.max,
                    weight: c.weight,
                    value,
                    comment,
                }
            })
            .collect();
        let total = criteria
            .iter()
            .map(|c| c.value.unwrap_or(0.0) * c.weight)
            .sum();
        let status = self.sheet_status(app_id, member)?;
        let others = if status == Cell::Submitted && self.role != Some(Role::Chair) {
            let mut totals: Vec<f64> = self
                .eligible_sheets(app_id)?
                .iter()
                .filter(|s| s.member_id != member)
                .map(|s| s.total(&rules))
                .collect();
            // Highest first: the committee's order would tell who gave which total.
            totals.sort_by(|a, b| b.total_cmp(a));
            Some(totals)
        } else {
            None
        };
        Ok(MySheet {
            app_id,
            name: app.name.clone(),
            target: app.target,
            status,
            criteria,
            total,
            step: if rules.aggregation.half_points {
                0.5
            } else {
                1.0
            },
            session_open: self.session(app.cycle_id)?.is_open(),
            finalised: app.result_passed.is_some(),
            revisable: self.require_revision_round(app.cycle_id, app_id).is_ok(),
            others,
        })
    }

    /// Changes one value of the acting member's submitted sheet, while scoring is
    /// open and the result is not final. The earlier value and the reason are kept.
    pub fn revise_score(
        &mut self,
        app_id: i64,
        criterion: &str,
        value: f64,
        reason: &str,
    ) -> Result<()> {
        let member = self.scorer_for(app_id)?;
        let app = self.application(app_id)?;
        super::scoring::open_evaluation(&app, EvalWork::Changing)?;
        self.require_session_open(&app)?;
        self.require_revision_round(app.cycle_id, app_id)?;
        clean(Field::Reason, reason, true)?;
        if reason.trim().is_empty() {
            return Err(Refusal::ChangeNeedsReason.into());
        }
        if self.sheet_status(app_id, member)? != Cell::Submitted {
            return Err(Refusal::SheetNotSubmitted.into());
        }
        let rules = self.cycle(app.cycle_id)?.rules;
        super::scoring::check_value(&rules, criterion, value)?;
        if value_in(self.conn(), app_id, member, criterion)? == Some(value) {
            return Ok(());
        }
        let reason = reason.trim();
        let now = self.stamp();
        self.mutate(|tx, _| {
            recheck_open(tx, app_id)?;
            if sheet_status_in(tx, app_id, member)? != Cell::Submitted {
                return Err(Refusal::SheetNotSubmitted.into());
            }
            let before = value_in(tx, app_id, member, criterion)?;
            tx.execute(
                "INSERT INTO score_revisions (application_id, member_id, criterion, before, after, reason, at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                params![app_id, member, criterion, before, value, reason, now],
            )?;
            tx.execute(
                "UPDATE scores SET value = ?1, updated_at = ?2 WHERE application_id = ?3 AND member_id = ?4 AND criterion = ?5",
                params![value, now, app_id, member, criterion],
            )?;
            Ok((
                (),
                AuditNote::new("revise", "application", app_id)
                    .before(json!({"criterion": criterion, "value": before}))
                    .after(json!({"criterion": criterion, "value": value, "reason": reason})),
            ))
        })
    }

    /// Sets the comment on one scored criterion of the acting member's sheet.
    pub fn save_comment(&mut self, app_id: i64, criterion: &str, comment: &str) -> Result<()> {
        let member = self.scorer_for(app_id)?;
        let app = self.application(app_id)?;
        super::scoring::open_evaluation(&app, EvalWork::Commenting)?;
        self.require_session_open(&app)?;
        clean(Field::Comment, comment, true)?;
        let before: Option<String> = self
            .conn()
            .query_row(
                "SELECT comment FROM scores WHERE application_id = ?1 AND member_id = ?2 AND criterion = ?3",
                params![app_id, member, criterion],
                |r| r.get(0),
            )
            .optional()?;
        let Some(before) = before else {
            return Err(Refusal::CommentBeforeValue.into());
        };
        let comment = comment.trim();
        let now = self.stamp();
        self.mutate(|tx, _| {
            recheck_open(tx, app_id)?;
            tx.execute(
                "UPDATE scores SET comment = ?1, updated_at = ?2 WHERE application_id = ?3 AND member_id = ?4 AND criterion = ?5",
                params![comment, now, app_id, member, criterion],
            )?;
            Ok((
                (),
                AuditNote::new("comment", "application", app_id)
                    .before(json!({"criterion": criterion, "comment": before}))
                    .after(json!({"criterion": criterion, "comment": comment})),
            ))
        })
    }

    /// The chair's progress board for a cycle: who has submitted, who has a draft, who
    /// is recused, who is pending; never the values.
    pub fn progress(&self, cycle_id: i64) -> Result<Progress> {
        self.require(Deed::SeeProgress)?;
        let conn = self.conn();
        let members = scorers(conn)?;
        let recused = recusals(conn, cycle_id)?;
        let mut stmt = conn.prepare_cached(
            "SELECT s.application_id, s.member_id, s.status FROM sheets s JOIN applications a ON a.id = s.application_id
             WHERE a.cycle_id = ?1",
        )?;
        let sheets: HashMap<(i64, i64), bool> = stmt
            .query_map([cycle_id], |r| {
                Ok((
                    (r.get(0)?, r.get(1)?),
                    r.get::<_, String>(2)? == "submitted",
                ))
            })?
            .collect::<rusqlite::Result<_>>()?;
        let rows = candidates(conn, cycle_id)?
            .into_iter()
            .map(|c| ProgressRow {
                cells: members
                    .iter()
                    .map(|(m, _)| {
                        if recused.contains(&(*m, c.id)) {
                            Cell::Recused
                        } else {
                            match sheets.get(&(c.id, *m)) {
                                Some(true) => Cell::Submitted,
                                Some(false) => Cell::Draft,
                                None => Cell::Pending,
                            }
                        }
                    })
                    .collect(),
                app_id: c.id,
                name: c.name,
                organisation: c.organisation,
                target: c.target,
                finalised: c.finalised.is_some(),
            })
            .collect();
        Ok(Progress {
            session: self.session(cycle_id)?,
            members,
            rows,
            quorum: self.cycle(cycle_id)?.rules.aggregation.quorum,
        })
    }

    /// The acting member's own sheet state for every candidate of the cycle's
    /// evaluation (empty for someone who does not score).
    pub fn my_cells(&self, cycle_id: i64) -> Result<HashMap<i64, Cell>> {
        let Some(member) = self.actor.member_id else {
            return Ok(HashMap::new());
        };
        if !matches!(self.role, Some(Role::Chair) | Some(Role::Member)) {
            return Ok(HashMap::new());
        }
        let conn = self.conn();
        let recused = recusals(conn, cycle_id)?;
        let mut stmt = conn.prepare_cached(
            "SELECT s.application_id, s.status FROM sheets s JOIN applications a ON a.id = s.application_id
             WHERE a.cycle_id = ?1 AND s.member_id = ?2",
        )?;
        let sheets: HashMap<i64, bool> = stmt
            .query_map(params![cycle_id, member], |r| {
                Ok((r.get(0)?, r.get::<_, String>(1)? == "submitted"))
            })?
            .collect::<rusqlite::Result<_>>()?;
        Ok(candidates(conn, cycle_id)?
            .into_iter()
            .map(|c| {
                let cell = if recused.contains(&(member, c.id)) {
                    Cell::Recused
                } else {
                    match sheets.get(&c.id) {
                        Some(true) => Cell::Submitted,
                        Some(false) => Cell::Draft,
                        None => Cell::Pending,
                    }
                };
                (c.id, cell)
            })
            .collect())
    }

    /// Every declared conflict of the cycle's candidates (chair and secretary).
    pub fn conflicts(&self, cycle_id: i64) -> Result<Vec<ConflictRow>> {
        self.require(Deed::SeeConflicts)?;
        let mut stmt = self.conn().prepare_cached(
            "SELECT m.name, p.name, c.kind, c.reason, c.declared_at
             FROM conflicts c JOIN members m ON m.id = c.member_id JOIN persons p ON p.id = c.person_id
             WHERE c.person_id IN (SELECT person_id FROM applications WHERE cycle_id = ?1)
             ORDER BY c.declared_at, c.id",
        )?;
        let rows = stmt.query_map([cycle_id], |r| {
            Ok(ConflictRow {
                member: r.get(0)?,
                candidate: r.get(1)?,
                kind: r.get(2)?,
                reason: r.get(3)?,
                declared_at: r.get(4)?,
            })
        })?;
        let mut rows: Vec<ConflictRow> = rows.collect::<rusqlite::Result<_>>()?;
        for c in &mut rows {
            c.declared_at = self.show_time(&c.declared_at);
        }
        Ok(rows)
    }

    /// Whether the actor may see the values of other members' sheets for a candidate
    /// whose result is (or is not yet) final.
    pub(super) fn values_visible(&self, session: &Session, finalised: bool) -> bool {
        match self.role {
            Some(Role::Member) => false,
            _ => finalised || !session.is_open(),
        }
    }

    /// The independence rule for everything that leaves the service as a record — the
    /// exports of every kind, the audit export and the printed forms: a score value
    /// (draft or submitted, per criterion or total, with the comment or reason given
    /// with it) `given_by` a member leaves only to that member, until the candidate's
    /// result is final. Once it is final, everyone but a plain member (who takes only
    /// their own) may take it; the operator of a command, who is no member, takes
    /// nothing that is not final. Closing scoring is not enough: it can be opened
    /// again and the values changed.
    pub(super) fn may_take_out(&self, finalised: bool, given_by: Option<i64>) -> bool {
        let own = given_by.is_some() && given_by == self.actor.member_id;
        own || (finalised && self.role != Some(Role::Member))
    }

    /// The committee's results for a cycle: per candidate the eligible submitted
    /// sheets, their statistics, outliers and whether the method matters. Values are
    /// given only where the actor may see them (see the module's rules); member names
    /// only to the chair.
    pub fn results(&self, cycle_id: i64) -> Result<Vec<ResultRow>> {
        self.require(Deed::SeeResults)?;
        let conn = self.conn();
        let rules = self.cycle(cycle_id)?.rules;
        let session = self.session(cycle_id)?;
        let members: HashMap<i64, String> = scorers(conn)?.into_iter().collect();
        let eligible_count = members.len();
        let recused = recusals(conn, cycle_id)?;
        let names = self.role != Some(Role::Secretary);
        // Every submitted value of the cycle, in one query.
        let mut stmt = conn.prepare_cached(
            "SELECT s.application_id, s.member_id, c.criterion, c.value
             FROM sheets s JOIN applications a ON a.id = s.application_id
               JOIN scores c ON c.application_id = s.application_id AND c.member_id = s.member_id
             WHERE a.cycle_id = ?1 AND s.status = 'submitted'
             ORDER BY s.application_id, s.member_id",
        )?;
        let mut values: BTreeMap<(i64, i64), BTreeMap<String, f64>> = BTreeMap::new();
        for row in stmt.query_map([cycle_id], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, i64>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, f64>(3)?,
            ))
        })? {
            let (a, m, k, v) = row?;
            values.entry((a, m)).or_default().insert(k, v);
        }
        let mut revisions: HashMap<i64, Vec<(i64, Revision)>> = HashMap::new();
        let mut stmt = conn.prepare_cached(
            "SELECT r.application_id, r.member_id, r.criterion, r.before, r.after, r.reason, r.at
             FROM score_revisions r JOIN applications a ON a.id = r.application_id
             WHERE a.cycle_id = ?1 ORDER BY r.id",
        )?;
        for row in stmt.query_map([cycle_id], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, i64>(1)?,
                Revision {
                    member: None,
                    label: Default::default(),
                    criterion: r.get(2)?,
                    before: r.get(3)?,
                    after: r.get(4)?,
                    reason: r.get(5)?,
                    at: r.get(6)?,
                },
            ))
        })? {
            let (a, m, mut rev) = row?;
            rev.at = self.show_time(&rev.at);
            if let Some(c) = rules.criterion(&rev.criterion) {
                rev.label = (c.name.clone(), c.name_en.clone());
            }
            revisions.entry(a).or_default().push((m, rev));
        }
        let mut out = Vec::new();
        for c in candidates(conn, cycle_id)? {
            let threshold = rules
                .grade(c.target)
                .map(|g| g.pass_threshold)
                .unwrap_or(f64::INFINITY);
            let visible = self.values_visible(&session, c.finalised.is_some());
            let n_recused = members
                .keys()
                .filter(|m| recused.contains(&(**m, c.id)))
                .count();
            let revs = revisions.remove(&c.id).unwrap_or_default();
            let mut row = ResultRow {
                app_id: c.id,
                name: c.name,
                organisation: c.organisation,
                target: c.target,
                post_start: c.post_start,
                threshold,
                visible,
                sheets: Vec::new(),
                aggregate: None,
                eligible: eligible_count - n_recused,
                recused: n_recused,
                needs_discussion: false,
                finalised: c.finalised,
                revisions: Vec::new(),
            };
            if visible {
                let sheets: Vec<Sheet> = values
                    .range((c.id, i64::MIN)..=(c.id, i64::MAX))
                    .filter(|((_, m), _)| !recused.contains(&(*m, c.id)))
                    .map(|((_, m), v)| Sheet {
                        member_id: *m,
                        values: v.clone(),
                    })
                    .collect();
                let agg = aggregate::aggregate(&sheets, &rules);
                let outliers = agg.as_ref().map(|a| a.outliers(&rules)).unwrap_or_default();
                row.needs_discussion = agg.as_ref().is_some_and(|a| a.method_sensitive(threshold));
                row.sheets = sheets
                    .into_iter()
                    .enumerate()
                    .map(|(i, s)| {
                        let total = s.total(&rules);
                        // The first submitted values: undo this member's revisions.
                        let mine: Vec<&Revision> = revs
                            .iter()
                            .filter(|(m, _)| *m == s.member_id)
                            .map(|(_, r)| r)
                            .collect();
                        let first_total = (!mine.is_empty()).then(|| {
                            let mut first = s.values.clone();
                            for r in mine.iter().rev() {
                                if let Some(b) = r.before {
                                    first.insert(r.criterion.clone(), b);
                                }
                            }
                            Sheet {
                                member_id: s.member_id,
                                values: first,
                            }
                            .total(&rules)
                        });
                        SheetTotal {
                            member_id: s.member_id,
                            member: names.then(|| members.get(&s.member_id).cloned()).flatten(),
                            total,
                            values: s.values,
                            outlier: outliers.get(i).copied().unwrap_or(false),
                            first_total,
                        }
                    })
                    .collect();
                row.aggregate = agg;
                row.revisions = revs
                    .into_iter()
                    .map(|(m, mut r)| {
                        r.member = names.then(|| members.get(&m).cloned()).flatten();
                        r
                    })
                    .collect();
            }
            out.push(row);
        }
        Ok(out)
    }

    /// The ranking per grade of the candidates whose results may be seen, by result
    /// then the rules' tie-breaks.
    pub fn ranking(&self, cycle_id: i64) -> Result<Vec<(Grade, Vec<RankRow>)>> {
        let rules = self.cycle(cycle_id)?.rules;
        let results = self.results(cycle_id)?;
        Ok(rank_results(&results, &rules))
    }

    /// Reopens a finalised result (chair only, with a reason) before its notice
    /// starts: the candidate returns to evaluation and the sheets can be changed again.
    pub fn reopen_result(&mut self, app_id: i64, reason: &str) -> Result<()> {
        self.require(Deed::ReopenResult)?;
        clean(Field::Reason, reason, true)?;
        let app = self.application(app_id)?;
        let t = Transition::Reopen {
            reason: reason.trim().to_string(),
        };
        let facts = self.facts(&app)?;
        let next = stage::apply(app.position, &t, &facts)?;
        let reason = reason.trim().to_string();
        let now = self.stamp();
        self.mutate(|tx, actor| {
            tx.execute(
                "UPDATE applications SET result_score = NULL, result_passed = NULL, finalised_at = NULL WHERE id = ?1",
                [app_id],
            )?;
            move_stage(tx, actor, &app, next, t.code(), &reason, &now)?;
            Ok((
                (),
                AuditNote::new("reopen", "application", app_id)
                    .before(json!({"stage": app.position.stage.code(), "status": app.position.status.code(), "passed": app.result_passed}))
                    .after(json!({"stage": next.stage.code(), "status": next.status.code(), "reason": reason})),
            ))
        })
    }
}

/// Ranks visible results that meet the quorum within each grade, highest grade
/// first.
pub fn rank_results(results: &[ResultRow], rules: &Rules) -> Vec<(Grade, Vec<RankRow>)> {
    let mut by_grade: BTreeMap<Grade, Vec<&ResultRow>> = BTreeMap::new();
    // Only results that could be finalised are ranked: a candidate below the quorum
    // has no result yet.
    for r in results
        .iter()
        .filter(|r| r.aggregate.as_ref().is_some_and(|a| a.quorum_met))
    {
        by_grade.entry(r.target).or_default().push(r);
    }
    by_grade
        .into_iter()
        .rev()
        .map(|(grade, rows)| {
            let index: HashMap<i64, &ResultRow> = rows.iter().map(|r| (r.app_id, *r)).collect();
            let ranked = aggregate::rank(
                rows.iter()
                    .filter_map(|r| {
                        let a = r.aggregate.as_ref()?;
                        Some(Candidate {
                            application_id: r.app_id,
                            score: a.result,
                            criterion_means: a.criterion_means.clone(),
                            post_start: chrono::NaiveDate::parse_from_str(
                                &r.post_start,
                                "%Y-%m-%d",
                            )
                            .unwrap_or(chrono::NaiveDate::MAX),
                        })
                    })
                    .collect(),
                rules,
            );
            let lines = ranked
                .into_iter()
                .filter_map(|x| {
                    let r = index.get(&x.candidate.application_id)?;
                    Some(RankRow {
                        rank: x.rank,
                        app_id: r.app_id,
                        name: r.name.clone(),
                        organisation: r.organisation.clone(),
                        result: x.candidate.score,
                        passes: r.passes().unwrap_or(false),
                        finalised: r.finalised,
                    })
                })
                .collect();
            (grade, lines)
        })
        .collect()
}
