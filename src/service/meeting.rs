//! The review meeting (评审会): the chair leads the committee through the open scoring
//! session's candidates one by one. Every member's app in the meeting follows the
//! candidate now discussed (or shows a recused member that they step out), says it is
//! alive (presence), and the minutes are written from what the meeting recorded.
//!
//! What the chair does (start, order the agenda, move to a candidate, open the
//! discussion and the revision round, extend a turn, end) is audited; a recused
//! member stepping out for a candidate and back is recorded with the move that made
//! them. Presence is not committee data and is not audited, except the first time a
//! member joins (the attendance).

use super::evaluation::{candidates, recusals, scorers, Cell};
use super::{clean, AuditNote, Field, Refusal, Result, Service};
use crate::domain::grade::{Grade, Role};
use crate::domain::meeting::{self, Item, Phase};
use crate::domain::{Deed, Recusal};
use crate::service::clock::parse_stamp;
use rusqlite::{params, Connection, OptionalExtension};
use serde_json::json;
use std::collections::{BTreeSet, HashMap};

/// A member's app counts as connected while it said it was alive this recently.
pub const ALIVE_SECONDS: i64 = 10;
/// How often a running app in a meeting says it is alive.
pub const HEARTBEAT_SECONDS: u64 = 2;

/// A member who must recuse from a candidate of the agenda.
#[derive(Debug, Clone, PartialEq)]
pub struct Recused {
    pub member_id: i64,
    pub name: String,
    /// Why, for those who may see declared conflicts (the chair and the secretary).
    pub why: Option<Recusal>,
}

/// One candidate of the agenda.
#[derive(Debug, Clone, PartialEq)]
pub struct AgendaRow {
    pub app_id: i64,
    pub name: String,
    pub organisation: String,
    pub target: Grade,
    pub recused: Vec<Recused>,
    /// Submitted sheets of members not recused, and how many such members there are.
    pub submitted: usize,
    pub eligible: usize,
    /// The candidate's turn has begun once, the discussion was opened, a revision
    /// round was opened.
    pub discussed: bool,
    pub discussion: bool,
    pub revision: bool,
    pub finalised: Option<bool>,
}

/// A member of the committee in the meeting.
#[derive(Debug, Clone, PartialEq)]
pub struct Attendee {
    pub member_id: i64,
    pub name: String,
    pub role: Role,
    /// Joined the meeting at some point (the attendance).
    pub joined: bool,
    /// Their app said it was alive within [`ALIVE_SECONDS`].
    pub connected: bool,
    /// The candidate their app shows, for those who may see the progress.
    pub viewing: Option<String>,
    /// Their sheet for the candidate now discussed, for those who may see the
    /// progress; `Recused` when they must recuse; `None` for the secretary.
    pub sheet: Option<Cell>,
}

/// A meeting as the acting member may see it.
#[derive(Debug, Clone, PartialEq)]
pub struct Meeting {
    pub id: i64,
    pub cycle_id: i64,
    pub place: String,
    pub started_at: String,
    pub ended_at: Option<String>,
    pub agenda: Vec<AgendaRow>,
    /// The candidate now discussed, as an index into the agenda.
    pub current: Option<usize>,
    pub phase: Phase,
    /// Seconds left of the current turn, when the rules give a time per candidate.
    pub seconds_left: Option<i64>,
    pub extra_minutes: u32,
    /// The rules let the chair extend a turn.
    pub can_extend: bool,
    pub attendees: Vec<Attendee>,
    /// Why the acting member must recuse from the candidate now discussed.
    pub my_recusal: Option<Recusal>,
}

impl Meeting {
    pub fn current_row(&self) -> Option<&AgendaRow> {
        self.current.and_then(|i| self.agenda.get(i))
    }

    pub fn is_open(&self) -> bool {
        self.ended_at.is_none()
    }

    /// Members connected now.
    pub fn connected(&self) -> usize {
        self.attendees.iter().filter(|a| a.connected).count()
    }
}

/// The meeting's row as stored.
struct Row {
    id: i64,
    cycle_id: i64,
    place: String,
    started_at: String,
    ended_at: Option<String>,
    current: Option<i64>,
    phase: Phase,
    turn_since: Option<String>,
    extra: u32,
}

fn row(conn: &Connection, sql_where: &str, arg: i64) -> Result<Option<Row>> {
    Ok(conn
        .query_row(
            &format!(
                "SELECT id, cycle_id, place, started_at, ended_at, current_app, phase, turn_since, extra_minutes
                 FROM meetings WHERE {sql_where} ORDER BY id DESC LIMIT 1"
            ),
            [arg],
            |r| {
                let phase: String = r.get(6)?;
                Ok(Row {
                    id: r.get(0)?,
                    cycle_id: r.get(1)?,
                    place: r.get(2)?,
                    started_at: r.get(3)?,
                    ended_at: r.get(4)?,
                    current: r.get(5)?,
                    phase: Phase::parse(&phase).unwrap_or(Phase::Scoring),
                    turn_since: r.get(7)?,
                    extra: r.get(8)?,
                })
            },
        )
        .optional()?)
}

/// A member with their attendance and presence, as read: id, name, role, joined,
/// last seen, the candidate shown.
type PresenceRow = (i64, String, String, bool, Option<String>, Option<i64>);

/// The agenda's candidates in order.
fn agenda_ids(conn: &Connection, meeting: i64) -> Result<Vec<i64>> {
    let mut stmt = conn.prepare_cached(
        "SELECT application_id FROM meeting_agenda WHERE meeting_id = ?1 ORDER BY position",
    )?;
    let ids = stmt
        .query_map([meeting], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    Ok(ids)
}

impl Service {
    /// The meeting under way in the cycle, if there is one.
    pub fn open_meeting(&self, cycle_id: i64) -> Result<Option<Meeting>> {
        match row(self.conn(), "cycle_id = ?1 AND ended_at IS NULL", cycle_id)? {
            Some(r) => self.meeting_view(r).map(Some),
            None => Ok(None),
        }
    }

    /// The cycle's latest meeting, under way or ended.
    pub fn latest_meeting(&self, cycle_id: i64) -> Result<Option<Meeting>> {
        match row(self.conn(), "cycle_id = ?1", cycle_id)? {
            Some(r) => self.meeting_view(r).map(Some),
            None => Ok(None),
        }
    }

    /// A meeting by id.
    pub fn meeting(&self, id: i64) -> Result<Meeting> {
        let r = row(self.conn(), "id = ?1", id)?.ok_or(Refusal::NoMeeting)?;
        self.meeting_view(r)
    }

    /// Whether anything but presence has been written since `mark` (the audit log's
    /// last row): every committee change writes one, presence writes none.
    pub fn change_mark(&self) -> Result<i64> {
        Ok(self
            .conn()
            .query_row("SELECT coalesce(max(id), 0) FROM audit", [], |r| r.get(0))?)
    }

    fn meeting_view(&self, r: Row) -> Result<Meeting> {
        let conn = self.conn();
        let rules = self.cycle(r.cycle_id)?.rules;
        let sees_progress = self.may(Deed::SeeProgress);
        let sees_why = self.may(Deed::SeeConflicts);
        let scorers = scorers(conn)?;
        let names: HashMap<i64, String> = scorers.iter().cloned().collect();
        let recused = recusals(conn, r.cycle_id)?;
        let info: HashMap<i64, _> = candidates(conn, r.cycle_id)?
            .into_iter()
            .map(|c| (c.id, c))
            .collect();
        let mut marks = conn.prepare_cached(
            "SELECT discussed_at IS NOT NULL, discussion_at IS NOT NULL, revision_at IS NOT NULL
             FROM meeting_agenda WHERE meeting_id = ?1 AND application_id = ?2",
        )?;
        let mut submitted =
            conn.prepare_cached("SELECT member_id, status FROM sheets WHERE application_id = ?1")?;
        let mut agenda = Vec::new();
        let mut current = None;
        let mut sheets_now: HashMap<i64, Cell> = HashMap::new();
        for app_id in agenda_ids(conn, r.id)? {
            let Some(c) = info.get(&app_id) else { continue };
            let (discussed, discussion, revision): (bool, bool, bool) = marks
                .query_row(params![r.id, app_id], |x| {
                    Ok((x.get(0)?, x.get(1)?, x.get(2)?))
                })?;
            let mut out = Vec::new();
            for (m, name) in &scorers {
                if recused.contains(&(*m, app_id)) {
                    out.push(Recused {
                        member_id: *m,
                        name: name.clone(),
                        why: if sees_why {
                            self.recusal(*m, app_id)?
                        } else {
                            None
                        },
                    });
                }
            }
            let states: HashMap<i64, String> = submitted
                .query_map([app_id], |x| Ok((x.get(0)?, x.get(1)?)))?
                .collect::<rusqlite::Result<_>>()?;
            let eligible = scorers.len() - out.len();
            let done = scorers
                .iter()
                .filter(|(m, _)| !recused.contains(&(*m, app_id)))
                .filter(|(m, _)| states.get(m).map(String::as_str) == Some("submitted"))
                .count();
            if r.current == Some(app_id) {
                current = Some(agenda.len());
                for (m, _) in &scorers {
                    let cell = if recused.contains(&(*m, app_id)) {
                        Cell::Recused
                    } else {
                        match states.get(m).map(String::as_str) {
                            Some("submitted") => Cell::Submitted,
                            Some(_) => Cell::Draft,
                            None => Cell::Pending,
                        }
                    };
                    sheets_now.insert(*m, cell);
                }
            }
            agenda.push(AgendaRow {
                app_id,
                name: c.name.clone(),
                organisation: c.organisation.clone(),
                target: c.target,
                recused: out,
                submitted: done,
                eligible,
                discussed,
                discussion,
                revision,
                finalised: c.finalised,
            });
        }
        let now = self.clock().now();
        let seconds_left = match (rules.meeting.minutes_per_candidate, &r.turn_since) {
            (Some(minutes), Some(since)) if r.ended_at.is_none() && current.is_some() => {
                parse_stamp(since)
                    .map(|s| meeting::seconds_left((now - s).num_seconds(), minutes, r.extra))
            }
            _ => None,
        };
        let mut stmt = conn.prepare_cached(
            "SELECT m.id, m.name, m.role, a.member_id IS NOT NULL, p.last_seen, p.viewing_app
             FROM members m
               LEFT JOIN meeting_attendance a ON a.meeting_id = ?1 AND a.member_id = m.id
               LEFT JOIN meeting_presence p ON p.meeting_id = ?1 AND p.member_id = m.id
             WHERE m.active = 1
             ORDER BY CASE m.role WHEN 'chair' THEN 0 WHEN 'member' THEN 1 ELSE 2 END, m.id",
        )?;
        let rows: Vec<PresenceRow> = stmt
            .query_map([r.id], |x| {
                Ok((
                    x.get(0)?,
                    x.get(1)?,
                    x.get(2)?,
                    x.get(3)?,
                    x.get(4)?,
                    x.get(5)?,
                ))
            })?
            .collect::<rusqlite::Result<_>>()?;
        let attendees = rows
            .into_iter()
            .map(|(id, name, role, joined, seen, viewing)| {
                let connected = r.ended_at.is_none()
                    && seen
                        .as_deref()
                        .and_then(parse_stamp)
                        .is_some_and(|s| (now - s).num_seconds() <= ALIVE_SECONDS);
                Attendee {
                    member_id: id,
                    name,
                    role: Role::parse(&role).unwrap_or(Role::Member),
                    joined,
                    connected,
                    viewing: viewing
                        .filter(|_| sees_progress && connected)
                        .and_then(|a| info.get(&a).map(|c| c.name.clone())),
                    sheet: sheets_now.get(&id).copied().filter(|_| sees_progress),
                }
            })
            .collect();
        let my_recusal = match (self.actor().member_id, r.current) {
            (Some(me), Some(app)) if names.contains_key(&me) => self.recusal(me, app)?,
            _ => None,
        };
        Ok(Meeting {
            id: r.id,
            cycle_id: r.cycle_id,
            place: r.place,
            started_at: self.show_time(&r.started_at),
            ended_at: r.ended_at.as_deref().map(|t| self.show_time(t)),
            agenda,
            current,
            phase: r.phase,
            seconds_left,
            extra_minutes: r.extra,
            can_extend: rules.meeting.extend_minutes.is_some(),
            attendees,
            my_recusal,
        })
    }

    /// The open meeting's row, or the refusal that there is none.
    fn open_row(&self) -> Result<Row> {
        let cycle_id = self.open_cycle_id()?;
        row(self.conn(), "cycle_id = ?1 AND ended_at IS NULL", cycle_id)?
            .ok_or_else(|| Refusal::NoMeeting.into())
    }

    /// Starts the review meeting for the open scoring session (chair only). The agenda
    /// is the session's candidates without a final result, ordered so that recused
    /// members step out as few times as possible; the chair is present from the start.
    pub fn start_meeting(&mut self, place: &str) -> Result<i64> {
        self.require(Deed::RunMeeting)?;
        clean(Field::MeetingPlace, place, false)?;
        let cycle_id = self.open_cycle_id()?;
        let super::evaluation::Session::Open { id: session, .. } = self.session(cycle_id)? else {
            return Err(Refusal::MeetingNeedsScoring.into());
        };
        if row(self.conn(), "cycle_id = ?1 AND ended_at IS NULL", cycle_id)?.is_some() {
            return Err(Refusal::MeetingAlreadyOpen.into());
        }
        let recused = recusals(self.conn(), cycle_id)?;
        let items: Vec<Item> = candidates(self.conn(), cycle_id)?
            .into_iter()
            .filter(|c| c.finalised.is_none())
            .map(|c| Item {
                app_id: c.id,
                recused: recused
                    .iter()
                    .filter(|(_, a)| *a == c.id)
                    .map(|(m, _)| *m)
                    .collect::<BTreeSet<i64>>(),
            })
            .collect();
        let order = meeting::suggested_order(&items);
        let place = place.trim().to_string();
        let now = self.stamp();
        self.mutate(|tx, actor| {
            tx.execute(
                "INSERT INTO meetings (cycle_id, session_id, place, started_at, started_by) VALUES (?1, ?2, ?3, ?4, ?5)",
                params![cycle_id, session, place, now, actor.member_id],
            )
            .map_err(|e| match e {
                rusqlite::Error::SqliteFailure(f, _)
                    if f.code == rusqlite::ErrorCode::ConstraintViolation =>
                {
                    super::ServiceError::Invalid(Refusal::MeetingAlreadyOpen)
                }
                e => e.into(),
            })?;
            let id = tx.last_insert_rowid();
            for (pos, app) in order.iter().enumerate() {
                tx.execute(
                    "INSERT INTO meeting_agenda (meeting_id, application_id, position) VALUES (?1, ?2, ?3)",
                    params![id, app, pos as i64],
                )?;
            }
            if let Some(me) = actor.member_id {
                tx.execute(
                    "INSERT INTO meeting_attendance (meeting_id, member_id, joined_at) VALUES (?1, ?2, ?3)",
                    params![id, me, now],
                )?;
            }
            Ok((
                id,
                AuditNote::new("start", "meeting", id)
                    .after(json!({"cycle": cycle_id, "session": session, "place": place, "agenda": order})),
            ))
        })
    }

    /// Moves a candidate of the agenda one place up (`-1`) or down (`+1`), chair only.
    pub fn move_on_agenda(&mut self, app_id: i64, by: i64) -> Result<()> {
        self.require(Deed::RunMeeting)?;
        let m = self.open_row()?;
        let mut ids = agenda_ids(self.conn(), m.id)?;
        let Some(at) = ids.iter().position(|a| *a == app_id) else {
            let name = self.application(app_id)?.name;
            return Err(Refusal::NotOnAgenda { name }.into());
        };
        let to = (at as i64 + by).clamp(0, ids.len() as i64 - 1) as usize;
        if to == at {
            return Ok(());
        }
        let moved = ids.remove(at);
        ids.insert(to, moved);
        self.mutate(|tx, _| {
            for (pos, app) in ids.iter().enumerate() {
                tx.execute(
                    "UPDATE meeting_agenda SET position = ?1 WHERE meeting_id = ?2 AND application_id = ?3 AND position <> ?1",
                    params![pos as i64, m.id, app],
                )?;
            }
            Ok((
                (),
                AuditNote::new("reorder", "meeting", m.id)
                    .after(json!({"application": app_id, "from": at, "to": to, "agenda": ids})),
            ))
        })
    }

    /// Moves the meeting to a candidate of the agenda (chair only): their turn begins
    /// with scoring. The members recused from the previous candidate step back in, and
    /// those recused from this one step out, with the reason.
    pub fn discuss_now(&mut self, app_id: i64) -> Result<()> {
        self.require(Deed::RunMeeting)?;
        let m = self.open_row()?;
        let name = self.application(app_id)?.name;
        if !agenda_ids(self.conn(), m.id)?.contains(&app_id) {
            return Err(Refusal::NotOnAgenda { name }.into());
        }
        if m.current == Some(app_id) {
            return Ok(());
        }
        let mut out = Vec::new();
        for (member, _) in scorers(self.conn())? {
            if let Some(why) = self.recusal(member, app_id)? {
                out.push((member, why.zh()));
            }
        }
        let now = self.stamp();
        self.mutate(|tx, _| {
            let back = tx.execute(
                "UPDATE meeting_steps SET back_at = ?1 WHERE meeting_id = ?2 AND back_at IS NULL",
                params![now, m.id],
            )?;
            for (member, why) in &out {
                tx.execute(
                    "INSERT INTO meeting_steps (meeting_id, application_id, member_id, reason, out_at) VALUES (?1, ?2, ?3, ?4, ?5)",
                    params![m.id, app_id, member, why, now],
                )?;
            }
            tx.execute(
                "UPDATE meetings SET current_app = ?1, phase = 'scoring', turn_since = ?2, extra_minutes = 0 WHERE id = ?3",
                params![app_id, now, m.id],
            )?;
            tx.execute(
                "UPDATE meeting_agenda SET discussed_at = coalesce(discussed_at, ?1) WHERE meeting_id = ?2 AND application_id = ?3",
                params![now, m.id, app_id],
            )?;
            let stepped_out: Vec<i64> = out.iter().map(|(m, _)| *m).collect();
            Ok((
                (),
                AuditNote::new("discuss", "meeting", m.id)
                    .before(json!({"application": m.current}))
                    .after(json!({"application": app_id, "name": name, "stepped_out": stepped_out, "stepped_back": back})),
            ))
        })
    }

    /// Opens the discussion of the candidate now discussed (chair only), once every
    /// member present and not recused has submitted their sheet.
    pub fn open_discussion(&mut self) -> Result<()> {
        self.require(Deed::RunMeeting)?;
        let m = self.open_row()?;
        let app_id = m.current.ok_or(Refusal::NoCandidateNow)?;
        let view = self.meeting(m.id)?;
        let present: Vec<i64> = view
            .attendees
            .iter()
            .filter(|a| a.joined && a.role != Role::Secretary)
            .map(|a| a.member_id)
            .collect();
        let recused = recusals(self.conn(), m.cycle_id)?;
        let need: Vec<i64> = present
            .into_iter()
            .filter(|p| !recused.contains(&(*p, app_id)))
            .collect();
        let mut have = 0;
        for p in &need {
            if super::evaluation::sheet_status_in(self.conn(), app_id, *p)? == Cell::Submitted {
                have += 1;
            }
        }
        if have < need.len() || need.is_empty() {
            return Err(Refusal::NotAllSubmitted {
                have,
                need: need.len(),
            }
            .into());
        }
        self.set_phase(&m, app_id, Phase::Discussion)
    }

    /// Opens a revision round for the candidate now discussed (chair only), after the
    /// discussion: members may then change their submitted sheets, with a reason.
    pub fn open_revision(&mut self) -> Result<()> {
        self.require(Deed::RunMeeting)?;
        let m = self.open_row()?;
        let app_id = m.current.ok_or(Refusal::NoCandidateNow)?;
        if m.phase == Phase::Scoring {
            let name = self.application(app_id)?.name;
            return Err(Refusal::DiscussionFirst { name }.into());
        }
        self.set_phase(&m, app_id, Phase::Revision)
    }

    fn set_phase(&mut self, m: &Row, app_id: i64, phase: Phase) -> Result<()> {
        if m.phase == phase {
            return Ok(());
        }
        let column = match phase {
            Phase::Discussion => "discussion_at",
            Phase::Revision => "revision_at",
            Phase::Scoring => "discussed_at",
        };
        let now = self.stamp();
        let before = m.phase;
        let id = m.id;
        self.mutate(|tx, _| {
            tx.execute(
                "UPDATE meetings SET phase = ?1 WHERE id = ?2",
                params![phase.code(), id],
            )?;
            tx.execute(
                &format!("UPDATE meeting_agenda SET {column} = coalesce({column}, ?1) WHERE meeting_id = ?2 AND application_id = ?3"),
                params![now, id, app_id],
            )?;
            Ok((
                (),
                AuditNote::new("phase", "meeting", id)
                    .before(json!({"phase": before.code()}))
                    .after(json!({"phase": phase.code(), "application": app_id})),
            ))
        })
    }

    /// Adds the rules' extension to the current turn (chair only).
    pub fn extend_turn(&mut self) -> Result<u32> {
        self.require(Deed::RunMeeting)?;
        let m = self.open_row()?;
        m.current.ok_or(Refusal::NoCandidateNow)?;
        let add = self
            .cycle(m.cycle_id)?
            .rules
            .meeting
            .extend_minutes
            .ok_or(Refusal::NoTurnExtension)?;
        let total = m.extra + add;
        self.mutate(|tx, _| {
            tx.execute(
                "UPDATE meetings SET extra_minutes = ?1 WHERE id = ?2",
                params![total, m.id],
            )?;
            Ok((
                total,
                AuditNote::new("extend", "meeting", m.id)
                    .before(json!({"extra_minutes": m.extra}))
                    .after(json!({"extra_minutes": total})),
            ))
        })
    }

    /// Ends the meeting (chair only): members out step back in.
    pub fn end_meeting(&mut self) -> Result<()> {
        self.require(Deed::RunMeeting)?;
        let m = self.open_row()?;
        let now = self.stamp();
        self.mutate(|tx, _| {
            tx.execute(
                "UPDATE meeting_steps SET back_at = ?1 WHERE meeting_id = ?2 AND back_at IS NULL",
                params![now, m.id],
            )?;
            tx.execute(
                "UPDATE meetings SET ended_at = ?1 WHERE id = ?2",
                params![now, m.id],
            )?;
            Ok(((), AuditNote::new("end", "meeting", m.id)))
        })
    }

    /// Says the acting member's app is alive in the open meeting and which candidate
    /// it shows. The first time, the member joins the meeting (audited attendance);
    /// afterwards only the presence row changes. Returns the meeting's id, or `None`
    /// when no meeting is under way.
    pub fn meeting_heartbeat(&mut self, viewing: Option<i64>) -> Result<Option<i64>> {
        let Some(me) = self.actor().member_id else {
            return Ok(None);
        };
        let cycle_id = self.open_cycle_id()?;
        let Some(m) = row(self.conn(), "cycle_id = ?1 AND ended_at IS NULL", cycle_id)? else {
            return Ok(None);
        };
        let now = self.stamp();
        let joined: bool = self.conn().query_row(
            "SELECT EXISTS (SELECT 1 FROM meeting_attendance WHERE meeting_id = ?1 AND member_id = ?2)",
            params![m.id, me],
            |r| r.get(0),
        )?;
        if !joined {
            self.mutate(|tx, _| {
                tx.execute(
                    "INSERT INTO meeting_attendance (meeting_id, member_id, joined_at) VALUES (?1, ?2, ?3) ON CONFLICT DO NOTHING",
                    params![m.id, me, now],
                )?;
                Ok(((), AuditNote::new("join", "meeting", m.id).after(json!({"member": me}))))
            })?;
        }
        // Presence alone: no audit row (it is not committee data).
        self.store.write(|tx| {
            tx.execute(
                "INSERT INTO meeting_presence (meeting_id, member_id, last_seen, viewing_app) VALUES (?1, ?2, ?3, ?4)
                 ON CONFLICT (meeting_id, member_id) DO UPDATE SET last_seen = excluded.last_seen, viewing_app = excluded.viewing_app",
                params![m.id, me, now, viewing],
            )?;
            Ok::<_, super::ServiceError>(())
        })?;
        Ok(Some(m.id))
    }

    /// Refuses a change to a submitted sheet while a meeting is under way, unless the
    /// meeting is in the candidate's revision round.
    pub(super) fn require_revision_round(&self, cycle_id: i64, app_id: i64) -> Result<()> {
        let Some(m) = row(self.conn(), "cycle_id = ?1 AND ended_at IS NULL", cycle_id)? else {
            return Ok(());
        };
        if m.current == Some(app_id) && m.phase == Phase::Revision {
            return Ok(());
        }
        let name = self.application(app_id)?.name;
        Err(Refusal::RevisionRoundClosed { name }.into())
    }
}
