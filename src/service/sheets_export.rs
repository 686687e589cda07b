//! The printed forms of the overall evaluation (综合评定): one member's score sheets
//! (评分表), each candidate's summary sheet (汇总表) and the ranking per grade.
//!
//! They follow the independence rule of every export ([`Service::may_take_out`]): the
//! values of a candidate leave the tool only once its result is final (closing
//! scoring is not enough); a member may always take their own sheets. What is held
//! back is counted, so the caller can say so.

use super::evaluation::{rank_results, Cell, RankRow, ResultRow};
use super::{Missing, Result, Service, ServiceError};
use crate::domain::aggregate::Sheet;
use crate::domain::grade::{Grade, Role};
use crate::domain::rules::Rules;
use crate::domain::Deed;
use rusqlite::params;
use std::collections::HashMap;

/// One candidate on a member's score sheet.
#[derive(Debug, Clone, PartialEq)]
pub struct MemberSheetRow {
    pub app_id: i64,
    pub name: String,
    pub organisation: String,
    pub target: Grade,
    /// One value per criterion of the rules, in the rules' order.
    pub values: Vec<Option<f64>>,
    /// The weighted total of the values given.
    pub total: f64,
    /// Draft or submitted.
    pub status: Cell,
    /// The member must recuse from this candidate: the sheet does not count.
    pub recused: bool,
    /// Comments, as (criterion name, comment), in the rules' order.
    pub comments: Vec<(String, String)>,
}

/// A member's score sheets in a cycle.
#[derive(Debug, Clone, PartialEq)]
pub struct MemberSheets {
    pub cycle: String,
    pub member_id: i64,
    pub member: String,
    pub rules: Rules,
    pub rows: Vec<MemberSheetRow>,
    /// Candidates left out because their values may not be seen yet.
    pub withheld: usize,
}

/// The candidates' summary sheets of a cycle.
#[derive(Debug, Clone, PartialEq)]
pub struct Summaries {
    pub cycle: String,
    pub rules: Rules,
    /// The visible results; each sheet is one eligible submitted sheet.
    pub results: Vec<ResultRow>,
    pub withheld: usize,
}

/// The ranking of a cycle, per grade, highest grade first.
#[derive(Debug, Clone, PartialEq)]
pub struct RankingSheet {
    pub cycle: String,
    /// Per grade: the pass threshold and the ranked candidates.
    pub grades: Vec<(Grade, f64, Vec<RankRow>)>,
    pub withheld: usize,
    /// Visible candidates without any eligible submitted sheet: not ranked.
    pub unscored: usize,
}

impl Service {
    /// A member's score sheets in the open cycle: one row per candidate they scored.
    /// A member may take their own; the chair (and the operator of a command) anyone's,
    /// without the candidates whose result is not final yet.
    pub fn member_sheets(&self, member_id: i64) -> Result<MemberSheets> {
        let own = self.actor.member_id == Some(member_id)
            && matches!(self.role, Some(Role::Chair) | Some(Role::Member));
        if !own {
            self.require(Deed::ExportOthersSheet)?;
        }
        let member = super::members::list(self.store())?
            .into_iter()
            .find(|m| m.id == member_id)
            .ok_or(ServiceError::NotFound(Missing::Member(member_id)))?;
        let cycle = self.open_cycle()?;
        let conn = self.conn();
        let mut stmt = conn.prepare_cached(
            "SELECT a.id, p.name, coalesce(o.name, ''), a.target_grade, s.status, a.result_passed IS NOT NULL
             FROM sheets s JOIN applications a ON a.id = s.application_id JOIN persons p ON p.id = a.person_id
               LEFT JOIN organisations o ON o.id = p.org_id
             WHERE a.cycle_id = ?1 AND s.member_id = ?2
             ORDER BY a.declared_on, a.id",
        )?;
        let sheets: Vec<(i64, String, String, String, String, bool)> = stmt
            .query_map(params![cycle.id, member_id], |r| {
                Ok((
                    r.get(0)?,
                    r.get(1)?,
                    r.get(2)?,
                    r.get(3)?,
                    r.get(4)?,
                    r.get(5)?,
                ))
            })?
            .collect::<rusqlite::Result<_>>()?;
        let mut stmt = conn.prepare_cached(
            "SELECT criterion, value, comment FROM scores WHERE application_id = ?1 AND member_id = ?2",
        )?;
        let mut rows = Vec::new();
        let mut withheld = 0;
        for (app_id, name, organisation, grade, status, finalised) in sheets {
            if !self.may_take_out(finalised, Some(member_id)) {
                withheld += 1;
                continue;
            }
            let given: HashMap<String, (f64, String)> = stmt
                .query_map(params![app_id, member_id], |r| {
                    Ok((r.get(0)?, (r.get(1)?, r.get(2)?)))
                })?
                .collect::<rusqlite::Result<_>>()?;
            let values: Vec<Option<f64>> = cycle
                .rules
                .criteria
                .iter()
                .map(|c| given.get(&c.key).map(|(v, _)| *v))
                .collect();
            let total = Sheet {
                member_id,
                values: given.iter().map(|(k, (v, _))| (k.clone(), *v)).collect(),
            }
            .total(&cycle.rules);
            let comments = cycle
                .rules
                .criteria
                .iter()
                .filter_map(|c| {
                    let (_, comment) = given.get(&c.key)?;
                    (!comment.is_empty()).then(|| (c.name.clone(), comment.clone()))
                })
                .collect();
            rows.push(MemberSheetRow {
                app_id,
                name,
                organisation,
                target: Grade::parse(&grade).unwrap_or(Grade::Junior),
                values,
                total,
                status: if status == "submitted" {
                    Cell::Submitted
                } else {
                    Cell::Draft
                },
                recused: self.recusal(member_id, app_id)?.is_some(),
                comments,
            });
        }
        Ok(MemberSheets {
            cycle: cycle.name,
            member_id,
            member: member.name,
            rules: cycle.rules,
            rows,
            withheld,
        })
    }

    /// The visible results of the open cycle, and the applications held back.
    fn visible_results(&self) -> Result<(super::cycle::Cycle, Vec<ResultRow>, Vec<i64>)> {
        let cycle = self.open_cycle()?;
        // Aggregates and every member's sheet: nobody's own, so final results only.
        let (visible, hidden): (Vec<ResultRow>, Vec<ResultRow>) = self
            .results(cycle.id)?
            .into_iter()
            .partition(|r| r.visible && self.may_take_out(r.finalised.is_some(), None));
        let hidden = hidden.into_iter().map(|r| r.app_id).collect();
        Ok((cycle, visible, hidden))
    }

    /// The summary sheets of the open cycle's candidates (or of the one application
    /// given): the eligible submitted sheets by member and the aggregate. Candidates
    /// whose result is not final are left out; asking for one of them by id is
    /// refused.
    pub fn summaries(&self, app_id: Option<i64>) -> Result<Summaries> {
        let (cycle, mut results, hidden) = self.visible_results()?;
        let mut withheld = hidden.len();
        if let Some(id) = app_id {
            if hidden.contains(&id) {
                return Err(ServiceError::ScoresSealed { app: id });
            }
            results.retain(|r| r.app_id == id);
            if results.is_empty() {
                return Err(ServiceError::NotFound(Missing::NotACandidate {
                    app: id,
                    cycle: cycle.name,
                }));
            }
            withheld = 0;
        }
        Ok(Summaries {
            cycle: cycle.name,
            rules: cycle.rules,
            results,
            withheld,
        })
    }

    /// The ranking of the open cycle per grade, of the candidates whose result is
    /// final.
    pub fn ranking_sheet(&self) -> Result<RankingSheet> {
        let (cycle, results, hidden) = self.visible_results()?;
        let unscored = results.iter().filter(|r| r.aggregate.is_none()).count();
        let grades = rank_results(&results, &cycle.rules)
            .into_iter()
            .map(|(grade, rows)| {
                let threshold = cycle
                    .rules
                    .grade(grade)
                    .map(|g| g.pass_threshold)
                    .unwrap_or(f64::INFINITY);
                (grade, threshold, rows)
            })
            .collect();
        Ok(RankingSheet {
            cycle: cycle.name,
            grades,
            withheld: hidden.len(),
            unscored,
        })
    }
}
