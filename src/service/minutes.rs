//! The minutes (会议纪要) of a review meeting: what the meeting recorded, as one
//! structure ([`Minutes`]), laid out once per language as a form ([`form`]) and
//! written as a print-ready web page, a Word document or a workbook ([`render`]).
//!
//! The minutes stay inside the committee, and they publish of the scores only what the
//! independence rule of every export lets out ([`Service::may_take_out`]): a
//! candidate's result, how it was computed and whether it passed once it is final
//! (before that: not final, with no values); with the rules' `minutes_scores =
//! "totals"` also each eligible sheet's total, without names; the changes made in the
//! meeting to submitted sheets, with their reasons and without names, once the
//! candidate's result is final. Never an ID number or a phone number: none is read.

use super::evaluation::scorers;
use super::files::{self, Format};
use super::forms::{self, Form, Line, Value};
use super::registers::{self, zh_date};
use super::{Missing, Refusal, Result, Service, ServiceError};
use crate::domain::aggregate::{round2, MethodUsed};
use crate::domain::grade::{Grade, Role};
use crate::domain::rules::MinutesScores;
use crate::domain::{Deed, Recusal};
use crate::i18n::Lang;
use crate::store::audit::{self, Anchor};
use chrono::NaiveDateTime;
use rusqlite::{params, OptionalExtension};
use std::collections::{HashMap, HashSet};
use std::path::Path;

/// The export kind of the minutes (`pingshen export minutes`).
pub const KIND: &str = "minutes";

/// A member who took part in the meeting, or who should have.
#[derive(Debug, Clone, PartialEq)]
pub struct Attendee {
    pub name: String,
    pub role: Role,
    /// When they joined (local time); `None` for an absence.
    pub joined: Option<NaiveDateTime>,
}

/// A member stepping out for a candidate they must recuse from, and back.
#[derive(Debug, Clone, PartialEq)]
pub struct StepOut {
    pub candidate: String,
    pub member: String,
    /// The reason as the meeting recorded it (in Chinese).
    pub recorded: String,
    /// The same reason as the rules give it now, when it is still the one recorded:
    /// to word it in either language.
    pub why: Option<Recusal>,
    pub out: Option<NaiveDateTime>,
    pub back: Option<NaiveDateTime>,
}

impl StepOut {
    /// The reason in `lang`, without the leading “须回避：”.
    pub fn reason(&self, lang: Lang) -> String {
        match (&self.why, lang) {
            (Some(why), Lang::En) => why.en(),
            (Some(why), Lang::Zh) => strip_must_recuse(&why.zh()),
            (None, _) => strip_must_recuse(&self.recorded),
        }
    }
}

fn strip_must_recuse(text: &str) -> String {
    text.strip_prefix("须回避：").unwrap_or(text).to_string()
}

/// The committee's final result for a candidate, as the minutes may publish it.
#[derive(Debug, Clone, PartialEq)]
pub struct Outcome {
    pub passed: bool,
    /// The aggregate and how it was computed (none without an eligible sheet).
    pub result: Option<(f64, MethodUsed)>,
    /// Eligible submitted sheets.
    pub sheets: usize,
    pub threshold: f64,
    /// With `minutes_scores = "totals"`: each eligible sheet's total, highest first,
    /// without names.
    pub totals: Option<Vec<f64>>,
}

/// One candidate of the agenda.
#[derive(Debug, Clone, PartialEq)]
pub struct Item {
    pub app_id: i64,
    pub name: String,
    pub organisation: String,
    pub target: Grade,
    /// Members not recused, and their submitted sheets.
    pub eligible: usize,
    pub submitted: usize,
    /// The candidate's turn came, a revision round was opened for them.
    pub discussed: bool,
    pub revision: bool,
    /// `None` while the result is not final.
    pub outcome: Option<Outcome>,
}

/// A change made in the meeting to a submitted sheet, without the member's name.
#[derive(Debug, Clone, PartialEq)]
pub struct Change {
    pub candidate: String,
    /// The criterion's names (Chinese, English).
    pub criterion: (String, String),
    pub before: Option<f64>,
    pub after: f64,
    pub reason: String,
    pub at: Option<NaiveDateTime>,
}

/// Who signs the minutes, in what capacity.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Signer {
    Chair,
    Member,
    Recorder,
}

/// The minutes of one review meeting.
#[derive(Debug, Clone, PartialEq)]
pub struct Minutes {
    pub meeting_id: i64,
    pub cycle_id: i64,
    /// The cycle's name, its city and year.
    pub cycle: String,
    pub city: String,
    pub year: i32,
    pub place: String,
    pub started: Option<NaiveDateTime>,
    /// `None` while the meeting is under way.
    pub ended: Option<NaiveDateTime>,
    pub chair: Option<String>,
    /// The secretary, who keeps the minutes.
    pub recorder: Option<String>,
    /// Members who joined, in the order they did.
    pub present: Vec<Attendee>,
    /// Scorers (the chair and the members) who never joined.
    pub absent: Vec<Attendee>,
    /// Scorers of the committee (expected) and those of them present.
    pub scorers: usize,
    pub scorers_present: usize,
    pub recusals: Vec<StepOut>,
    /// The agenda, in order.
    pub items: Vec<Item>,
    pub scores: MinutesScores,
    pub quorum: usize,
    /// Changes to submitted sheets made during the meeting, of candidates whose result
    /// is final.
    pub changes: Vec<Change>,
    /// Changes left out because the candidate's result is not final yet.
    pub changes_withheld: usize,
    /// The audit log's last row when the minutes were made.
    pub anchor: Option<Anchor>,
    pub made_at: NaiveDateTime,
    pub signatures: Vec<(Signer, String)>,
}

impl Minutes {
    /// Whether a revision round was held for any candidate.
    pub fn revision_held(&self) -> bool {
        self.items.iter().any(|i| i.revision)
    }

    /// The anchor as `pingshen check` prints it and takes it: `ROW:HASH` with the
    /// first 16 hex digits.
    pub fn anchor_text(&self) -> Option<String> {
        self.anchor
            .as_ref()
            .map(|a| format!("{}:{}", a.id, &a.hash[..16.min(a.hash.len())]))
    }

    /// A file name for the minutes, without extension.
    pub fn file_stem(&self, lang: Lang) -> String {
        match lang {
            Lang::Zh => format!("会议纪要-{}", self.meeting_id),
            Lang::En => format!("minutes-{}", self.meeting_id),
        }
    }
}

/// A meeting as stored: its cycle, place, times and who started it.
type MeetingRow = (i64, String, String, Option<String>, Option<i64>);

impl Service {
    /// A stored time in local time (see [`Service::show_time`]).
    fn local_time(&self, stored: &str) -> Option<NaiveDateTime> {
        NaiveDateTime::parse_from_str(&self.show_time(stored), "%Y-%m-%d %H:%M:%S").ok()
    }

    /// The minutes of a review meeting (chair and secretary): of meeting `meeting_id`,
    /// or of the open cycle's latest meeting.
    pub fn minutes(&self, meeting_id: Option<i64>) -> Result<Minutes> {
        self.require(Deed::ExportMinutes)?;
        let conn = self.conn();
        let id = match meeting_id {
            Some(id) => id,
            None => {
                let cycle = self.open_cycle_id()?;
                conn.query_row(
                    "SELECT id FROM meetings WHERE cycle_id = ?1 ORDER BY id DESC LIMIT 1",
                    [cycle],
                    |r| r.get(0),
                )
                .optional()?
                .ok_or(Refusal::NoMeetingHeld)?
            }
        };
        let (cycle_id, place, started_at, ended_at, started_by): MeetingRow = conn
            .query_row(
                "SELECT cycle_id, place, started_at, ended_at, started_by FROM meetings WHERE id = ?1",
                [id],
                |r| r.try_into(),
            )
            .optional()?
            .ok_or(ServiceError::NotFound(Missing::Meeting(id)))?;
        let cycle = self.cycle(cycle_id)?;
        let rules = &cycle.rules;
        let view = self.meeting(id)?;

        // Attendance, from the record; absences: scorers who never joined.
        let mut stmt = conn.prepare_cached(
            "SELECT a.member_id, m.name, m.role, a.joined_at FROM meeting_attendance a
               JOIN members m ON m.id = a.member_id
             WHERE a.meeting_id = ?1 ORDER BY a.joined_at, a.member_id",
        )?;
        let joined: Vec<(i64, String, String, String)> = stmt
            .query_map([id], |r| r.try_into())?
            .collect::<rusqlite::Result<_>>()?;
        let role = |code: &str| Role::parse(code).unwrap_or(Role::Member);
        let present: Vec<Attendee> = joined
            .iter()
            .map(|(_, name, r, at)| Attendee {
                name: name.clone(),
                role: role(r),
                joined: self.local_time(at),
            })
            .collect();
        let present_ids: HashSet<i64> = joined.iter().map(|(m, ..)| *m).collect();
        let committee = scorers(conn)?;
        let absent: Vec<Attendee> = view
            .attendees
            .iter()
            .filter(|a| a.role != Role::Secretary && !present_ids.contains(&a.member_id))
            .map(|a| Attendee {
                name: a.name.clone(),
                role: a.role,
                joined: None,
            })
            .collect();
        let scorers_present = committee
            .iter()
            .filter(|(m, _)| present_ids.contains(m))
            .count();

        // Who chaired and who kept the record.
        let name_of = |member: i64| -> Result<Option<String>> {
            Ok(conn
                .query_row("SELECT name FROM members WHERE id = ?1", [member], |r| {
                    r.get(0)
                })
                .optional()?)
        };
        let first_of = |role: Role| -> Option<String> {
            present
                .iter()
                .find(|a| a.role == role)
                .map(|a| a.name.clone())
                .or_else(|| {
                    view.attendees
                        .iter()
                        .find(|a| a.role == role)
                        .map(|a| a.name.clone())
                })
        };
        let chair = match started_by {
            Some(m) => name_of(m)?,
            None => None,
        }
        .or_else(|| first_of(Role::Chair));
        let recorder = first_of(Role::Secretary);

        // Recusals: who stepped out for whom, why, and when.
        let mut stmt = conn.prepare_cached(
            "SELECT s.application_id, p.name, s.member_id, m.name, s.reason, s.out_at, s.back_at
             FROM meeting_steps s JOIN members m ON m.id = s.member_id
               JOIN applications a ON a.id = s.application_id JOIN persons p ON p.id = a.person_id
             WHERE s.meeting_id = ?1 ORDER BY s.id",
        )?;
        type StepRow = (i64, String, i64, String, String, String, Option<String>);
        let steps: Vec<StepRow> = stmt
            .query_map([id], |r| r.try_into())?
            .collect::<rusqlite::Result<_>>()?;
        let mut recusals = Vec::with_capacity(steps.len());
        for (app, candidate, member, name, recorded, out, back) in steps {
            let why = self.recusal(member, app)?.filter(|w| w.zh() == recorded);
            recusals.push(StepOut {
                candidate,
                member: name,
                recorded,
                why,
                out: self.local_time(&out),
                back: back.as_deref().and_then(|b| self.local_time(b)),
            });
        }

        // The agenda and the results that may be taken out.
        let results: HashMap<i64, _> = self
            .results(cycle_id)?
            .into_iter()
            .map(|r| (r.app_id, r))
            .collect();
        let mut items = Vec::with_capacity(view.agenda.len());
        for row in &view.agenda {
            let outcome = match (row.finalised, results.get(&row.app_id)) {
                (Some(passed), Some(r)) if r.visible && self.may_take_out(true, None) => {
                    let totals =
                        (rules.meeting.minutes_scores == MinutesScores::Totals).then(|| {
                            let mut t: Vec<f64> =
                                r.sheets.iter().map(|s| round2(s.total)).collect();
                            // Highest first: the committee's order would tell who gave which.
                            t.sort_by(|a, b| b.total_cmp(a));
                            t
                        });
                    Some(Outcome {
                        passed,
                        result: r
                            .aggregate
                            .as_ref()
                            .map(|a| (a.result, MethodUsed::of(rules, a.trimmed))),
                        sheets: r.sheets.len(),
                        threshold: r.threshold,
                        totals,
                    })
                }
                _ => None,
            };
            items.push(Item {
                app_id: row.app_id,
                name: row.name.clone(),
                organisation: row.organisation.clone(),
                target: row.target,
                eligible: row.eligible,
                submitted: row.submitted,
                discussed: row.discussed,
                revision: row.revision,
                outcome,
            });
        }

        // Changes to submitted sheets during the meeting: never who made them.
        let until = ended_at.clone().unwrap_or_else(|| self.stamp());
        let mut stmt = conn.prepare_cached(
            "SELECT r.application_id, r.criterion, r.before, r.after, r.reason, r.at
             FROM score_revisions r JOIN meeting_agenda g ON g.application_id = r.application_id
             WHERE g.meeting_id = ?1 AND r.at >= ?2 AND r.at <= ?3 ORDER BY g.position, r.id",
        )?;
        type ChangeRow = (i64, String, Option<f64>, f64, String, String);
        let rows: Vec<ChangeRow> = stmt
            .query_map(params![id, started_at, until], |r| r.try_into())?
            .collect::<rusqlite::Result<_>>()?;
        let mut changes = Vec::new();
        let mut changes_withheld = 0;
        for (app, key, before, after, reason, at) in rows {
            let Some(item) = items.iter().find(|i| i.app_id == app) else {
                continue;
            };
            if item.outcome.is_none() {
                changes_withheld += 1;
                continue;
            }
            let criterion = rules
                .criterion(&key)
                .map(|c| (c.name.clone(), c.name_en.clone()))
                .unwrap_or_else(|| (key.clone(), key.clone()));
            changes.push(Change {
                candidate: item.name.clone(),
                criterion,
                before,
                after,
                reason,
                at: self.local_time(&at),
            });
        }

        let mut signatures: Vec<(Signer, String)> = Vec::new();
        if let Some(c) = &chair {
            signatures.push((Signer::Chair, c.clone()));
        }
        for a in &present {
            if a.role == Role::Member {
                signatures.push((Signer::Member, a.name.clone()));
            }
        }
        if let Some(r) = &recorder {
            signatures.push((Signer::Recorder, r.clone()));
        }

        Ok(Minutes {
            meeting_id: id,
            cycle_id,
            cycle: cycle.name.clone(),
            city: rules.city.name.clone(),
            year: cycle.year,
            place,
            started: self.local_time(&started_at),
            ended: ended_at.as_deref().and_then(|t| self.local_time(t)),
            chair,
            recorder,
            present,
            absent,
            scorers: committee.len(),
            scorers_present,
            recusals,
            items,
            scores: rules.meeting.minutes_scores,
            quorum: rules.aggregation.quorum,
            changes,
            changes_withheld,
            anchor: audit::head(conn)?.map(|(id, hash)| Anchor { id, hash }),
            made_at: self.clock().local_now(),
            signatures,
        })
    }
}

/// Up to two decimals, without trailing zeros.
fn num(n: f64) -> String {
    Value::num(n).shown()
}

/// A date as the minutes write it: 2026年11月26日, or 2026-11-26.
fn date(lang: Lang, at: NaiveDateTime) -> String {
    match lang {
        Lang::Zh => zh_date(at.date()),
        Lang::En => at.format("%Y-%m-%d").to_string(),
    }
}

/// A time of the meeting: the hour alone on the meeting's day, with the date on
/// another day; a dash when unknown.
fn time(lang: Lang, day: Option<NaiveDateTime>, at: Option<NaiveDateTime>) -> String {
    match at {
        None => "—".into(),
        Some(at) if day.is_some_and(|d| d.date() == at.date()) => at.format("%H:%M").to_string(),
        Some(at) => format!("{} {}", date(lang, at), at.format("%H:%M")),
    }
}

fn grade(lang: Lang, g: Grade) -> String {
    lang.grade(Some(g)).to_string()
}

fn seq(i: usize) -> Value {
    Value::Num((i + 1) as f64)
}

fn heading(lang: Lang, n: usize, zh: &str, en: &str) -> Line {
    const NUMERALS: [&str; 10] = ["一", "二", "三", "四", "五", "六", "七", "八", "九", "十"];
    Line::Heading(match lang {
        Lang::Zh => format!("{}、{zh}", NUMERALS.get(n - 1).unwrap_or(&"")),
        Lang::En => format!("{n}. {en}"),
    })
}

fn header(lang: Lang, cells: &[(&str, &str)]) -> Line {
    Line::Header(
        cells
            .iter()
            .map(|(zh, en)| lang.pick(zh, en).to_string())
            .collect(),
    )
}

/// Names joined as a list: 张伟、李娜 or 张伟, 李娜.
fn names(lang: Lang, people: &[String]) -> String {
    people.join(lang.pick("、", ", "))
}

/// The minutes laid out in `lang`: the heading facts, attendance, recusals, the
/// agenda and its results, the changes after discussion, the audit anchor and the
/// signatures.
pub fn form(m: &Minutes, lang: Lang) -> Form {
    let t = |zh: &'static str, en: &'static str| lang.pick(zh, en);
    let role = |r: Role| lang.role(r).to_string();
    let mut lines = vec![Line::Title(match lang {
        Lang::Zh => format!("{}{}年度党务工作者资格认证评审会会议纪要", m.city, m.year),
        Lang::En => format!(
            "Minutes of the review meeting: certification of party-affairs workers, {} {}",
            m.city, m.year
        ),
    })];
    let when = match (m.started, m.ended) {
        (Some(s), Some(e)) => match lang {
            Lang::Zh => format!(
                "{} {} 至 {}",
                date(lang, s),
                s.format("%H:%M"),
                time(lang, m.started, Some(e))
            ),
            Lang::En => format!(
                "{} {} to {}",
                date(lang, s),
                s.format("%H:%M"),
                time(lang, m.started, Some(e))
            ),
        },
        (Some(s), None) => match lang {
            Lang::Zh => format!("{} {} 起（会议尚未结束）", date(lang, s), s.format("%H:%M")),
            Lang::En => format!(
                "{} from {} (the meeting is still under way)",
                date(lang, s),
                s.format("%H:%M")
            ),
        },
        (None, _) => "—".into(),
    };
    let or_dash = |s: &Option<String>| s.clone().unwrap_or_else(|| "—".into());
    let place = if m.place.trim().is_empty() {
        "—".to_string()
    } else {
        m.place.clone()
    };
    lines.extend([
        Line::Note(format!("{}{}", t("认证年度：", "Cycle: "), m.cycle)),
        Line::Note(format!("{}{when}", t("时间：", "Time: "))),
        Line::Note(format!("{}{place}", t("地点：", "Place: "))),
        Line::Note(format!(
            "{}{}",
            t("主持人（主任委员）：", "Chaired by: "),
            or_dash(&m.chair)
        )),
        Line::Note(format!(
            "{}{}",
            t("记录人：", "Minutes kept by: "),
            or_dash(&m.recorder)
        )),
    ]);

    // 1. Attendance.
    lines.push(heading(lang, 1, "出席情况", "Attendance"));
    lines.push(Line::Note(match lang {
        Lang::Zh => format!("应到评委 {} 人，实到 {} 人。", m.scorers, m.scorers_present),
        Lang::En => format!(
            "{} of the {} scoring members of the committee were present.",
            m.scorers_present, m.scorers
        ),
    }));
    lines.push(header(
        lang,
        &[
            ("序号", "No."),
            ("姓名", "Name"),
            ("职务", "Role"),
            ("到会时间", "Joined"),
        ],
    ));
    for (i, a) in m.present.iter().enumerate() {
        lines.push(Line::Row(vec![
            seq(i),
            Value::text(&a.name),
            Value::text(role(a.role)),
            Value::text(time(lang, m.started, a.joined)),
        ]));
    }
    let absent: Vec<String> = m
        .absent
        .iter()
        .map(|a| match lang {
            Lang::Zh => format!("{}（{}）", a.name, role(a.role)),
            Lang::En => format!("{} ({})", a.name, role(a.role)),
        })
        .collect();
    lines.push(Line::Note(if absent.is_empty() {
        t("缺席：无。", "Absent: none.").to_string()
    } else {
        format!("{}{}", t("缺席：", "Absent: "), names(lang, &absent))
    }));

    // 2. Recusals.
    lines.push(heading(lang, 2, "回避情况", "Recusals"));
    if m.recusals.is_empty() {
        lines.push(Line::Note(
            t("本次会议无委员回避。", "No member recused.").into(),
        ));
    } else {
        lines.push(header(
            lang,
            &[
                ("序号", "No."),
                ("候选人", "Candidate"),
                ("回避委员", "Member"),
                ("回避原因", "Reason"),
                ("离场", "Stepped out"),
                ("返回", "Came back"),
            ],
        ));
        for (i, s) in m.recusals.iter().enumerate() {
            lines.push(Line::Row(vec![
                seq(i),
                Value::text(&s.candidate),
                Value::text(&s.member),
                Value::text(s.reason(lang)),
                Value::text(time(lang, m.started, s.out)),
                Value::text(time(lang, m.started, s.back)),
            ]));
        }
    }

    // 3. The agenda and the results.
    lines.push(heading(lang, 3, "评审议程及结果", "Agenda and results"));
    lines.push(Line::Note(match lang {
        Lang::Zh => format!(
            "评委独立评分；有效评分表不少于{}份方可确定结果。结果确定前不列分数。",
            m.quorum
        ),
        Lang::En => format!(
            "Members scored independently; a result is finalised with at least {} eligible sheets. No score is shown before a result is final.",
            m.quorum
        ),
    }));
    lines.push(header(
        lang,
        &[
            ("序号", "No."),
            ("候选人", "Candidate"),
            ("单位", "Organisation"),
            ("申报等级", "Grade applied for"),
            ("应评/已提交", "Eligible / submitted"),
            ("评定结果", "Result"),
            ("计算方法", "Computed as"),
            ("通过分数线", "Pass mark"),
            ("结论", "Conclusion"),
            ("拟认定等级", "Proposed grade"),
        ],
    ));
    // The candidates the meeting took up; the others are counted in a note below.
    for (i, item) in m.items.iter().filter(|i| i.discussed).enumerate() {
        let counts = Value::text(format!("{}/{}", item.eligible, item.submitted));
        let mut cells = vec![
            seq(i),
            Value::text(&item.name),
            Value::text(&item.organisation),
            Value::text(grade(lang, item.target)),
            counts,
        ];
        match &item.outcome {
            None => {
                let state = if item.discussed {
                    t("未确定", "not final")
                } else {
                    t("未审议", "not taken up")
                };
                cells.extend([
                    Value::text(state),
                    Value::text("—"),
                    Value::text("—"),
                    Value::text(state),
                    Value::text("—"),
                ])
            }
            Some(o) => {
                let (result, how) = match o.result {
                    Some((r, how)) => (
                        Value::num(r),
                        match lang {
                            Lang::Zh => how.zh(),
                            Lang::En => how.en(),
                        },
                    ),
                    None => (Value::text("—"), "—".into()),
                };
                cells.extend([
                    result,
                    Value::text(how),
                    Value::num(o.threshold),
                    Value::text(if o.passed {
                        t("通过", "passed")
                    } else {
                        t("未通过", "not passed")
                    }),
                    Value::text(if o.passed {
                        grade(lang, item.target)
                    } else {
                        "—".into()
                    }),
                ]);
            }
        }
        lines.push(Line::Row(cells));
    }
    if m.scores == MinutesScores::Totals {
        for item in &m.items {
            let Some(totals) = item.outcome.as_ref().and_then(|o| o.totals.as_ref()) else {
                continue;
            };
            let shown: Vec<String> = totals.iter().map(|v| num(*v)).collect();
            lines.push(Line::Note(match lang {
                Lang::Zh => format!(
                    "{}：有效评分表{}份，各表合计（不具名，由高到低）：{}。",
                    item.name,
                    totals.len(),
                    shown.join("、")
                ),
                Lang::En => format!(
                    "{}: {} eligible sheet(s), totals (unnamed, highest first): {}.",
                    item.name,
                    totals.len(),
                    shown.join(", ")
                ),
            }));
        }
    }
    let open = |discussed: bool| {
        m.items
            .iter()
            .filter(|i| i.outcome.is_none() && i.discussed == discussed)
            .count()
    };
    let (pending, not_taken) = (open(true), open(false));
    if pending > 0 {
        lines.push(Line::Note(match lang {
            Lang::Zh => format!("{pending} 位候选人已经审议，结果尚未确定，确定后另行记录。"),
            Lang::En => format!(
                "The result of {pending} candidate(s) taken up is not final yet; it will be recorded once it is."
            ),
        }));
    }
    if not_taken > 0 {
        lines.push(Line::Note(match lang {
            Lang::Zh => format!("议程中另有 {not_taken} 位候选人本次会议未审议。"),
            Lang::En => {
                format!("{not_taken} candidate(s) of the agenda were not taken up in this meeting.")
            }
        }));
    }

    // 4. Changes after discussion.
    lines.push(heading(
        lang,
        4,
        "讨论后修改评分",
        "Changes after discussion",
    ));
    let rounds: Vec<String> = m
        .items
        .iter()
        .filter(|i| i.revision)
        .map(|i| i.name.clone())
        .collect();
    lines.push(Line::Note(if rounds.is_empty() {
        t("本次会议未开修改轮。", "No revision round was held.").to_string()
    } else {
        match lang {
            Lang::Zh => format!(
                "经讨论，对以下候选人开启了修改轮：{}。",
                names(lang, &rounds)
            ),
            Lang::En => format!(
                "After discussion a revision round was held for: {}.",
                names(lang, &rounds)
            ),
        }
    }));
    if !m.changes.is_empty() {
        lines.push(header(
            lang,
            &[
                ("序号", "No."),
                ("候选人", "Candidate"),
                ("评分项", "Criterion"),
                ("修改前", "Before"),
                ("修改后", "After"),
                ("理由", "Reason"),
                ("时间", "Time"),
            ],
        ));
        for (i, c) in m.changes.iter().enumerate() {
            lines.push(Line::Row(vec![
                seq(i),
                Value::text(&c.candidate),
                Value::text(lang.pick(&c.criterion.0, &c.criterion.1)),
                c.before.map(Value::num).unwrap_or_else(|| Value::text("—")),
                Value::num(c.after),
                Value::text(&c.reason),
                Value::text(time(lang, m.started, c.at)),
            ]));
        }
    } else if !rounds.is_empty() && m.changes_withheld == 0 {
        lines.push(Line::Note(
            t(
                "修改轮中无评分被修改。",
                "No score was changed in the revision rounds.",
            )
            .into(),
        ));
    }
    if m.changes_withheld > 0 {
        lines.push(Line::Note(
            t(
                "结果尚未确定的候选人，其评分修改待结果确定后列入。",
                "Changes concerning candidates whose result is not final are listed once it is.",
            )
            .into(),
        ));
    }

    // 5. The audit anchor.
    lines.push(heading(lang, 5, "审计锚点", "Audit anchor"));
    lines.push(Line::Note(match (m.anchor_text(), lang) {
        (Some(a), Lang::Zh) => format!(
            "本纪要生成时（{} {}）审计日志最后一行为 {a}。日后可用 pingshen check --anchor {a} 核对此前的记录未被改动。",
            date(lang, m.made_at),
            m.made_at.format("%H:%M")
        ),
        (Some(a), Lang::En) => format!(
            "When these minutes were made ({} {}) the audit log's last row was {a}. The command pingshen check --anchor {a} confirms later that nothing recorded up to it has changed.",
            date(lang, m.made_at),
            m.made_at.format("%H:%M")
        ),
        (None, _) => t("审计日志为空。", "The audit log is empty.").into(),
    }));

    // 6. Signatures.
    lines.push(heading(lang, 6, "签字", "Signatures"));
    lines.push(header(
        lang,
        &[
            ("职务", "Capacity"),
            ("姓名", "Name"),
            ("签名", "Signature"),
            ("日期", "Date"),
        ],
    ));
    for (who, name) in &m.signatures {
        let capacity = match who {
            Signer::Chair => t("主任委员", "Chair"),
            Signer::Member => t("委员", "Member"),
            Signer::Recorder => t("记录人", "Minutes kept by"),
        };
        lines.push(Line::Row(vec![
            Value::text(capacity),
            Value::text(name),
            Value::text(""),
            Value::text(""),
        ]));
    }
    lines.push(Line::Sign(match lang {
        Lang::Zh => format!("{}党务工作者资格认证评审委员会", m.city),
        Lang::En => format!("Certification review committee, {}", m.city),
    }));
    lines.push(Line::Sign(date(
        lang,
        m.ended.or(m.started).unwrap_or(m.made_at),
    )));
    Form {
        name: t("会议纪要", "Minutes").into(),
        lines,
    }
}

/// Refuses a format the minutes are not made in: HTML, .docx and .xlsx only.
pub fn require_minutes_format(format: Format) -> anyhow::Result<()> {
    if !matches!(format, Format::Html | Format::Docx | Format::Xlsx) {
        anyhow::bail!(
            "the minutes are a document to sign: use --format html, docx or xlsx (not {})",
            format.ext()
        );
    }
    Ok(())
}

/// The minutes as the bytes of a file in `format`, in `lang`.
pub fn render(m: &Minutes, lang: Lang, format: Format) -> anyhow::Result<Vec<u8>> {
    require_minutes_format(format)?;
    let form = form(m, lang);
    Ok(match format {
        Format::Html => registers::html_in(&form, lang).into_bytes(),
        Format::Docx => forms::docx(&form)?,
        _ => forms::xlsx(std::slice::from_ref(&form))?,
    })
}

/// What minutes hold, in a few words.
pub fn described(m: &Minutes) -> String {
    let decided = m.items.iter().filter(|i| i.outcome.is_some()).count();
    format!(
        "the minutes of meeting #{}: {} candidate(s), {decided} with a final result, {} present, {} absent",
        m.meeting_id,
        m.items.len(),
        m.present.len(),
        m.absent.len()
    )
}

/// Makes the minutes of a meeting (or of the open cycle's latest) and writes them to
/// `out` in `format` and `lang`; returns what was written, in a few words.
pub fn write(
    svc: &Service,
    meeting: Option<i64>,
    lang: Lang,
    format: Format,
    out: &Path,
) -> anyhow::Result<String> {
    require_minutes_format(format)?;
    let m = svc.minutes(meeting)?;
    files::write_atomically(out, &render(&m, lang, format)?)?;
    Ok(described(&m))
}
