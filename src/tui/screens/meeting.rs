//! The review meeting (评审会): the agenda, the candidate now discussed, the phase and
//! time of their turn, and who is present. The chair leads from here; a member's app
//! follows the chair to the candidate's score sheet, or here, to a 回避 notice, when
//! they must recuse; a member who looks elsewhere comes back with `M`.

use super::super::effect::{Effect, MeetingStep};
use super::super::keymap::Action;
use super::super::theme::Theme;
use super::super::widgets::cursor::Cursor;
use super::super::widgets::draw::{block, table_or, two_panes, wrap_line};
use super::super::widgets::fields::{Field, Purpose};
use super::super::widgets::form::{Confirm, Form};
use super::super::widgets::labels::cell_label;
use super::super::widgets::labels::{cell_style, short_time};
use super::{Ctx, Screen};
use crate::domain::meeting::{clock, Phase};
use crate::domain::{Deed, Role};
use crate::i18n::Lang;
use crate::service::meeting::Meeting;
use crate::service::{Service, ServiceError};
use crate::text::fit;
use chrono::{DateTime, Utc};
use ratatui::layout::{Constraint, Rect};
use ratatui::style::Modifier;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Row, Table, Wrap};
use ratatui::Frame;

/// The meeting as this app knows it.
#[derive(Debug, Clone, Default)]
pub struct MeetingScreen {
    /// The meeting under way in the cycle, as last read.
    pub data: Option<Meeting>,
    /// When it was read (the service's clock), for the time left.
    pub read_at: Option<DateTime<Utc>>,
    pub cursor: Cursor,
    /// The app follows the chair to the candidate now discussed (a member who looks
    /// elsewhere stops following until `M`).
    pub following: bool,
    /// The candidate and phase this app last followed to, so that a change is
    /// followed once.
    pub followed: Option<(i64, Phase)>,
    /// The chair leads the meeting rather than following it.
    pub leads: bool,
}

/// Where following the chair takes the app.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Follow {
    /// The candidate's score sheet.
    Sheet(i64),
    /// The meeting screen (a recused member, the secretary).
    Here,
}

impl MeetingScreen {
    /// The meeting read from the database; returns where following it takes the app,
    /// when the candidate or the phase changed (or the member asked to go back).
    pub fn loaded(
        &mut self,
        data: Option<Meeting>,
        at: DateTime<Utc>,
        role: Option<Role>,
        may_score: bool,
    ) -> Option<Follow> {
        let was_open = self.data.is_some();
        self.data = data;
        self.read_at = Some(at);
        let Some(m) = self.data.as_ref() else {
            self.followed = None;
            return None;
        };
        self.cursor.clamp(m.agenda.len());
        if !was_open {
            if let Some(i) = m.current {
                self.cursor.at = i;
            }
        }
        // The chair leads; everyone else follows from the moment they join.
        self.leads = role == Some(Role::Chair);
        if !was_open || self.leads {
            self.following = !self.leads;
        }
        let now = m.current_row().map(|r| (r.app_id, m.phase));
        if !self.following || now.is_none() || now == self.followed {
            return None;
        }
        let moved = now.map(|n| n.0) != self.followed.map(|f| f.0);
        self.followed = now;
        if let Some(i) = m.current {
            self.cursor.at = i;
        }
        if !moved {
            // Only the phase changed: the app stays where it is.
            return None;
        }
        let app = now?.0;
        Some(if m.my_recusal.is_some() || !may_score {
            Follow::Here
        } else {
            Follow::Sheet(app)
        })
    }

    /// Back to the candidate now discussed (`M`).
    pub fn follow_again(&mut self) {
        self.following = true;
        self.followed = None;
    }

    /// Seconds left of the current turn, counted on from when the meeting was read.
    pub fn seconds_left(&self, now: DateTime<Utc>) -> Option<i64> {
        let m = self.data.as_ref()?;
        let left = m.seconds_left?;
        let read = self.read_at.unwrap_or(now);
        Some(left - (now - read).num_seconds().max(0))
    }

    /// The meeting's state for the status line:
    /// `会议中 · 第 3/12 位 · 王磊浩 · 讨论 · 已提交 5/7 · 剩 4:30`.
    pub fn status(&self, lang: Lang, now: DateTime<Utc>) -> Option<String> {
        let m = self.data.as_ref()?;
        let mut parts = vec![lang.pick("会议中", "In meeting").to_string()];
        match (m.current, m.current_row()) {
            (Some(i), Some(r)) => {
                parts.push(match lang {
                    Lang::Zh => format!("第 {}/{} 位", i + 1, m.agenda.len()),
                    Lang::En => format!("{} of {}", i + 1, m.agenda.len()),
                });
                parts.push(r.name.clone());
                if m.phase != Phase::Scoring {
                    parts.push(phase_label(m.phase, lang).to_string());
                }
                parts.push(match lang {
                    Lang::Zh => format!("已提交 {}/{}", r.submitted, r.eligible),
                    Lang::En => format!("submitted {}/{}", r.submitted, r.eligible),
                });
                if let Some(s) = self.seconds_left(now) {
                    parts.push(time_left(s, lang));
                }
            }
            _ => parts.push(lang.pick("尚未开始讨论", "no candidate yet").to_string()),
        }
        if !self.following && !self.leads && m.my_recusal.is_none() {
            parts.push(lang.pick("M 回到会议", "M back to the meeting").to_string());
        }
        Some(parts.join(" · "))
    }

    /// What the follow moved to, said on the status line.
    pub fn follow_message(&self, lang: Lang) -> Option<String> {
        let m = self.data.as_ref()?;
        let r = m.current_row()?;
        Some(match (m.my_recusal.is_some(), lang) {
            (true, Lang::Zh) => format!("会议：现在讨论{}，您须回避，请暂时离席", r.name),
            (true, Lang::En) => format!(
                "Meeting: now discussing {}; you must recuse and step out",
                r.name
            ),
            (false, Lang::Zh) => format!("会议：现在讨论{}", r.name),
            (false, Lang::En) => format!("Meeting: now discussing {}", r.name),
        })
    }

    /// What a change of phase lets members do, said on the status line.
    pub fn phase_message(&self, lang: Lang) -> Option<String> {
        let m = self.data.as_ref()?;
        let r = m.current_row()?;
        Some(match (m.phase, lang) {
            (Phase::Scoring, _) => return None,
            (Phase::Discussion, Lang::Zh) => format!("会议：开始讨论{}", r.name),
            (Phase::Discussion, Lang::En) => {
                format!("Meeting: the discussion of {} begins", r.name)
            }
            (Phase::Revision, Lang::Zh) => format!(
                "会议：{}进入修改轮，可修改已提交的评分（须写明理由）",
                r.name
            ),
            (Phase::Revision, Lang::En) => format!(
                "Meeting: revision round for {}; a submitted sheet may be changed, with a reason",
                r.name
            ),
        })
    }

    fn selected(&self) -> Option<i64> {
        self.data
            .as_ref()
            .and_then(|m| m.agenda.get(self.cursor.at))
            .map(|r| r.app_id)
    }

    /// Opens the meeting screen (`M` on stage 5): the chair with no meeting under way
    /// is asked where it meets, to start it.
    pub fn open(&mut self, ctx: &mut Ctx) -> Vec<Effect> {
        if self.data.is_none() {
            if ctx.may(Deed::RunMeeting) {
                ctx.open(Form::fields(
                    ctx.lang
                        .pick("开始评审会", "Start the review meeting")
                        .to_string(),
                    Purpose::StartMeeting,
                    vec![Field::line(
                        ctx.lang.pick("会议地点（可不填）", "Place (optional)"),
                        "",
                        false,
                    )],
                ));
            } else {
                ctx.say(
                    "评审会没有在进行，须由主任委员开始",
                    "No review meeting is under way; the chair starts it",
                );
            }
            return vec![];
        }
        *ctx.screen = Screen::Meeting;
        if !self.leads {
            self.follow_again();
        }
        vec![Effect::Load(Screen::Meeting)]
    }

    pub fn update(&mut self, ctx: &mut Ctx, action: Action) -> Vec<Effect> {
        let len = self.data.as_ref().map_or(0, |m| m.agenda.len());
        if self.cursor.moved(action, len, ctx.page) {
            return vec![];
        }
        let chair = ctx.may(Deed::RunMeeting);
        let step = |s: MeetingStep| vec![Effect::Meeting(s)];
        match action {
            Action::Back => {
                *ctx.screen = Screen::List;
                if !chair {
                    self.following = false;
                }
                vec![]
            }
            Action::Meeting => {
                if !self.leads {
                    self.follow_again();
                }
                vec![Effect::Load(Screen::Meeting)]
            }
            // The selected candidate's score sheet, for anyone who scores (the chair
            // too).
            Action::ScorePanel if ctx.may(Deed::Score) => match self.selected() {
                Some(app) => {
                    let current = self
                        .data
                        .as_ref()
                        .and_then(|m| m.current_row())
                        .map(|r| r.app_id);
                    self.following = !self.leads && current == Some(app);
                    vec![Effect::Follow(app)]
                }
                None => vec![],
            },
            Action::Open => match self.selected() {
                Some(app) if chair => step(MeetingStep::Discuss(app)),
                Some(app) if ctx.may(Deed::Score) => {
                    let current = self
                        .data
                        .as_ref()
                        .and_then(|m| m.current_row())
                        .map(|r| r.app_id);
                    self.following = current == Some(app);
                    vec![Effect::Follow(app)]
                }
                _ => vec![],
            },
            Action::AgendaUp | Action::AgendaDown if chair => match self.selected() {
                Some(app) => {
                    let by = if action == Action::AgendaUp { -1 } else { 1 };
                    self.cursor
                        .to((self.cursor.at as i64 + by).max(0) as usize, len);
                    step(MeetingStep::Move { app, by })
                }
                None => vec![],
            },
            Action::Export => export_minutes(ctx),
            Action::Discussion if chair => step(MeetingStep::Discussion),
            Action::RevisionRound if chair => step(MeetingStep::Revision),
            Action::Extend if chair => step(MeetingStep::Extend),
            Action::EndMeeting if chair => {
                let m = self.data.as_ref();
                let left = m.map_or(0, |m| m.agenda.iter().filter(|r| !r.discussed).count());
                ctx.open(Form::Confirm(Confirm::EndMeeting { undiscussed: left }));
                vec![]
            }
            Action::AgendaUp
            | Action::AgendaDown
            | Action::Discussion
            | Action::RevisionRound
            | Action::Extend
            | Action::EndMeeting => {
                ctx.say("只有主任委员主持评审会", "Only the chair leads the meeting");
                vec![]
            }
            _ => vec![],
        }
    }

    pub fn render(
        &self,
        chair_view: bool,
        lang: Lang,
        theme: &Theme,
        frame: &mut Frame,
        area: Rect,
        now: DateTime<Utc>,
    ) {
        let Some(m) = self.data.as_ref() else {
            let outer = block(lang.pick("评审会", "Review meeting"), theme, true);
            let inner = outer.inner(area);
            frame.render_widget(outer, area);
            frame.render_widget(
                Paragraph::new(Line::styled(
                    lang.pick(
                        "评审会没有在进行。主任委员在综合评定环节按 M 开始。",
                        "No review meeting is under way. The chair starts one with M on stage 5.",
                    ),
                    theme.muted(),
                ))
                .wrap(Wrap { trim: true }),
                inner,
            );
            return;
        };
        let parts = two_panes(area, (58, 42), (55, 45));
        self.agenda(m, chair_view, lang, theme, frame, parts[0]);
        if m.my_recusal.is_some() {
            self.recused(m, lang, theme, frame, parts[1]);
        } else {
            self.now(m, lang, theme, frame, parts[1], now);
        }
    }

    fn agenda(
        &self,
        m: &Meeting,
        chair_view: bool,
        lang: Lang,
        theme: &Theme,
        frame: &mut Frame,
        area: Rect,
    ) {
        let title = match (lang, m.place.is_empty()) {
            (Lang::Zh, true) => format!("评审会议程 · {} 开始", short_time(&m.started_at)),
            (Lang::Zh, false) => format!(
                "评审会议程 · {} · {} 开始",
                m.place,
                short_time(&m.started_at)
            ),
            (Lang::En, true) => format!("Agenda · started {}", short_time(&m.started_at)),
            (Lang::En, false) => format!(
                "Agenda · {} · started {}",
                m.place,
                short_time(&m.started_at)
            ),
        };
        let outer = block(&title, theme, true);
        let inner = outer.inner(area);
        frame.render_widget(outer, area);
        let width = usize::from(inner.width);
        // #, name, grade, done, state; the rest for who recuses.
        // English labels are wider than the Chinese ones.
        let (grade_w, state_w) = match lang {
            Lang::Zh => (4, 6),
            Lang::En => (5, 8),
        };
        let fixed = 3 + 1 + 8 + 1 + grade_w + 1 + 5 + 1 + state_w + 1;
        let recuse_w = width.saturating_sub(fixed).max(4);
        let widths = [
            Constraint::Length(3),
            Constraint::Length(8),
            Constraint::Length(grade_w as u16),
            Constraint::Length(5),
            Constraint::Length(state_w as u16),
            Constraint::Min(4),
        ];
        let head = Row::new(vec![
            "#".to_string(),
            lang.pick("候选人", "Name").to_string(),
            lang.pick("等级", "Grade").to_string(),
            lang.pick("已交", "Done").to_string(),
            lang.pick("状态", "State").to_string(),
            lang.pick("须回避", "Recused").to_string(),
        ])
        .style(theme.title());
        let height = usize::from(inner.height.saturating_sub(1));
        let offset = self.cursor.at.saturating_sub(height.saturating_sub(1));
        let rows: Vec<Row> = m
            .agenda
            .iter()
            .enumerate()
            .skip(offset)
            .take(height)
            .map(|(i, r)| {
                let now = m.current == Some(i);
                let marker = if now { "▶" } else { " " };
                let state = if r.finalised.is_some() {
                    lang.pick("已确定", "final")
                } else if now {
                    match m.phase {
                        Phase::Scoring => lang.pick("评分中", "scoring"),
                        Phase::Discussion => lang.pick("讨论中", "discuss"),
                        Phase::Revision => lang.pick("修改轮", "revising"),
                    }
                } else if r.discussed {
                    lang.pick("已讨论", "done")
                } else {
                    lang.pick("待讨论", "waiting")
                };
                let names: Vec<String> = r
                    .recused
                    .iter()
                    .map(|x| match (&x.why, chair_view) {
                        (Some(why), true) if recuse_w >= 24 => {
                            format!("{}（{}）", x.name, short_reason(why, lang))
                        }
                        _ => x.name.clone(),
                    })
                    .collect();
                let recused = if names.is_empty() {
                    "—".to_string()
                } else {
                    names.join(lang.pick("、", ", "))
                };
                let style = if i == self.cursor.at {
                    theme.selected()
                } else if now {
                    theme.base().add_modifier(Modifier::BOLD)
                } else {
                    theme.base()
                };
                Row::new(vec![
                    ratatui::widgets::Cell::from(format!("{marker}{}", i + 1)),
                    ratatui::widgets::Cell::from(fit(&r.name, 8)),
                    ratatui::widgets::Cell::from(lang.grade_short(Some(r.target))),
                    ratatui::widgets::Cell::from(format!("{}/{}", r.submitted, r.eligible)),
                    ratatui::widgets::Cell::from(state),
                    ratatui::widgets::Cell::from(fit(&recused, recuse_w)),
                ])
                .style(style)
            })
            .collect();
        table_or(
            frame,
            inner,
            theme,
            Table::new(rows, widths).header(head),
            m.agenda.is_empty(),
            lang.pick("议程中没有候选人", "The agenda is empty"),
        );
    }

    /// The candidate now discussed and who is present.
    fn now(
        &self,
        m: &Meeting,
        lang: Lang,
        theme: &Theme,
        frame: &mut Frame,
        area: Rect,
        now: DateTime<Utc>,
    ) {
        let outer = block(lang.pick("现在讨论", "Now discussing"), theme, false);
        let inner = outer.inner(area);
        frame.render_widget(outer, area);
        let width = usize::from(inner.width);
        let mut lines: Vec<Line<'static>> = Vec::new();
        match m.current_row() {
            Some(r) => {
                lines.push(Line::styled(
                    format!("{} · {}", r.name, r.organisation),
                    theme.title().add_modifier(Modifier::BOLD),
                ));
                let mut facts = vec![
                    phase_label(m.phase, lang).to_string(),
                    match lang {
                        Lang::Zh => format!("已提交 {}/{}", r.submitted, r.eligible),
                        Lang::En => format!("submitted {}/{}", r.submitted, r.eligible),
                    },
                ];
                if let Some(s) = self.seconds_left(now) {
                    facts.push(time_left(s, lang));
                }
                let style = match self.seconds_left(now) {
                    Some(s) if s < 0 => theme.error(),
                    Some(s) if s < 60 => theme.warn(),
                    _ => theme.base(),
                };
                lines.push(Line::styled(facts.join(" · "), style));
            }
            None => lines.push(Line::styled(
                lang.pick(
                    "尚未开始讨论（主任委员选定候选人后按 Enter）",
                    "No candidate yet (the chair selects one and presses Enter)",
                ),
                theme.muted(),
            )),
        }
        lines.push(Line::raw(""));
        let connected = m.connected();
        lines.push(Line::styled(
            match lang {
                Lang::Zh => format!("出席情况（在线 {connected} 人）"),
                Lang::En => format!("Attendance ({connected} connected)"),
            },
            theme.title(),
        ));
        for a in &m.attendees {
            let (mark, style) = match (a.connected, a.joined) {
                (true, _) => ("●", theme.ok()),
                (false, true) => ("○", theme.warn()),
                (false, false) => ("·", theme.muted()),
            };
            let presence = match (a.connected, a.joined) {
                (true, _) => lang.pick("在线", "online"),
                (false, true) => lang.pick("离线", "offline"),
                (false, false) => lang.pick("未到", "absent"),
            };
            let mut spans = vec![
                Span::styled(format!("{mark} "), style),
                Span::raw(format!("{} ", fit(&a.name, 8))),
                Span::styled(format!("{} ", lang.role(a.role)), theme.muted()),
                Span::styled(presence.to_string(), style),
            ];
            if let Some(cell) = a.sheet {
                spans.push(Span::raw(" · "));
                spans.push(Span::styled(
                    cell_label(cell, lang),
                    cell_style(cell, theme),
                ));
            }
            if let Some(v) = &a.viewing {
                spans.push(Span::styled(
                    match lang {
                        Lang::Zh => format!(" · 在看{v}"),
                        Lang::En => format!(" · on {v}"),
                    },
                    theme.muted(),
                ));
            }
            lines.extend(wrap_line(Line::from(spans), width, 2));
        }
        frame.render_widget(Paragraph::new(lines), inner);
    }

    /// A recused member is kept out of the candidate's scores while they are
    /// discussed.
    fn recused(&self, m: &Meeting, lang: Lang, theme: &Theme, frame: &mut Frame, area: Rect) {
        let outer = block(lang.pick("回避", "Recusal"), theme, true);
        let inner = outer.inner(area);
        frame.render_widget(outer, area);
        let name = m.current_row().map(|r| r.name.clone()).unwrap_or_default();
        let why = m
            .my_recusal
            .as_ref()
            .map(|w| match lang {
                Lang::Zh => w.zh(),
                Lang::En => w.en(),
            })
            .unwrap_or_default();
        let lines = vec![
            Line::styled(
                match lang {
                    Lang::Zh => format!("现在讨论{name}，您须回避。"),
                    Lang::En => format!("{name} is being discussed; you must recuse."),
                },
                theme.error().add_modifier(Modifier::BOLD),
            ),
            Line::raw(""),
            Line::raw(why),
            Line::raw(""),
            Line::styled(
                lang.pick(
                    "请暂时离席。离席与返回已记入操作日志；评审会转到下一位候选人时，本屏自动返回。",
                    "Please step out. Stepping out and back is in the audit log; this screen returns by itself when the meeting moves on.",
                ),
                theme.muted(),
            ),
        ];
        frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: true }), inner);
    }
}

/// The export form of the minutes of the cycle's latest meeting (`x`), for those who
/// may take them out.
pub fn export_minutes(ctx: &mut Ctx) -> Vec<Effect> {
    use crate::service::files::Format;
    if !ctx.may(Deed::ExportMinutes) {
        ctx.say(
            "会议纪要由主任委员或秘书导出",
            "The chair or the secretary exports the minutes",
        );
        return vec![];
    }
    let what = super::super::effect::ExportWhat::Minutes(ctx.lang);
    ctx.open(Form::export(
        ctx.lang,
        what,
        vec![Format::Html, Format::Docx, Format::Xlsx],
    ));
    vec![]
}

/// The time left of a turn: `剩 4:30`, or `超时 0:45` when it is over.
fn time_left(seconds: i64, lang: Lang) -> String {
    match (lang, seconds < 0) {
        (Lang::Zh, false) => format!("剩 {}", clock(seconds)),
        (Lang::Zh, true) => format!("超时 {}", clock(-seconds)),
        (Lang::En, false) => format!("{} left", clock(seconds)),
        (Lang::En, true) => format!("{} over", clock(-seconds)),
    }
}

fn phase_label(phase: Phase, lang: Lang) -> &'static str {
    match lang {
        Lang::Zh => match phase {
            Phase::Scoring => "评分中",
            Phase::Discussion => "讨论中",
            Phase::Revision => "修改轮",
        },
        Lang::En => match phase {
            Phase::Scoring => "scoring",
            Phase::Discussion => "discussion",
            Phase::Revision => "revision round",
        },
    }
}

fn short_reason(why: &crate::domain::Recusal, lang: Lang) -> &'static str {
    use crate::domain::Recusal;
    match (why, lang) {
        (Recusal::SameOrganisation, Lang::Zh) => "同单位",
        (Recusal::SameOrganisation, Lang::En) => "same org",
        (Recusal::Declared { kind, .. }, Lang::Zh) => kind.zh(),
        (Recusal::Declared { kind, .. }, Lang::En) => kind.en(),
    }
}

/// Reads the meeting under way in the member's cycle.
pub fn load(svc: &Service, cycle_id: i64) -> Result<Option<Meeting>, ServiceError> {
    svc.open_meeting(cycle_id)
}
