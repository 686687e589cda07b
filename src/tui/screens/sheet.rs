//! The acting member's score sheet for one candidate (stage 5): typing and saving
//! each value, comments, submitting, and what the sheet shows of saves that failed or
//! are being tried again. Its state, its keys, its drawing and what it loads.

use super::super::effect::{Effect, SaveFailure, SheetData};
use super::super::keymap::Action;
use super::super::theme::Theme;
use super::super::widgets::cursor::Cursor;
use super::super::widgets::draw::{block, wrap_line};
use super::super::widgets::fields::number_text;
use super::super::widgets::form::{Confirm, Form};
use super::super::widgets::labels::bar;
use super::{Ctx, Screen};
use crate::domain::eligibility::fmt_num;
use crate::domain::Recusal;
use crate::i18n::Lang;
use crate::service::board::AppRow;
use crate::service::evaluation::{Cell, MySheet};
use crate::service::{Service, ServiceError};
use crate::text::{fit, pad};
use crate::tui::ctx::Alert;
use ratatui::layout::{Alignment, Rect};
use ratatui::style::Modifier;
use ratatui::text::{Line, Span, Text};
use ratatui::widgets::Paragraph;
use ratatui::Frame;

/// The longest value one types (e.g. `17.5`, `100`).
const MAX_TYPED: usize = 5;

/// How many times the app tries a save while the database is busy before it gives
/// up (one try per tick of the event loop, each waiting a fifth of a second).
pub const SAVE_TRIES: u32 = 10;

/// A value on the score sheet that is not on disk: its save failed, or is being tried
/// again while the database is busy. The sheet shows it marked, never as saved.
#[derive(Debug, Clone, PartialEq)]
pub struct Unsaved {
    /// The save: `SaveScore`, `Revise` or `Comment`.
    pub effect: Effect,
    /// Tries so far.
    pub tries: u32,
    /// Still being tried (the database was busy); `false` once given up.
    pub retrying: bool,
}

impl Unsaved {
    /// The application, the criterion and whether it is a comment.
    pub fn key(&self) -> Option<(i64, &str, bool)> {
        match &self.effect {
            Effect::SaveScore { app, criterion, .. } | Effect::Revise { app, criterion, .. } => {
                Some((*app, criterion, false))
            }
            Effect::Comment { app, criterion, .. } => Some((*app, criterion, true)),
            _ => None,
        }
    }

    pub fn app(&self) -> Option<i64> {
        self.key().map(|k| k.0)
    }

    /// The value not saved (a score).
    pub fn value(&self) -> Option<f64> {
        match &self.effect {
            Effect::SaveScore { value, .. } | Effect::Revise { value, .. } => Some(*value),
            _ => None,
        }
    }

    /// The comment not saved.
    pub fn comment(&self) -> Option<&str> {
        match &self.effect {
            Effect::Comment { text, .. } => Some(text),
            _ => None,
        }
    }
}

/// The score sheet on screen.
#[derive(Debug, Clone, PartialEq)]
pub struct Panel {
    pub app: i64,
    /// `None` while loading, or when the member is recused.
    pub sheet: Option<MySheet>,
    /// Why the member may not score this candidate.
    pub recused: Option<Recusal>,
    /// The criterion under the cursor.
    pub row: Cursor,
    /// A value being typed for it.
    pub typed: String,
    /// When this sheet was last saved from this terminal.
    pub saved: Option<String>,
}

/// The score sheet's state: the sheet open, the values not saved, and when this
/// terminal last saved.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Sheet {
    /// The sheet shown, if one is open.
    pub panel: Option<Panel>,
    /// Score-sheet values whose save failed or is being tried again.
    pub unsaved: Vec<Unsaved>,
    /// When this terminal last wrote anything (the status line shows it while no
    /// value is unsaved).
    pub last_saved: Option<String>,
}

/// The application a save of the sheet (`SaveScore`, `Revise` or `Comment`) is for;
/// `None` for any other effect.
pub fn save_app(effect: &Effect) -> Option<i64> {
    match effect {
        Effect::SaveScore { app, .. }
        | Effect::Revise { app, .. }
        | Effect::Comment { app, .. } => Some(*app),
        _ => None,
    }
}

/// Loads the acting member's sheet for `app` when it is the one `sheet` shows (else
/// reads nothing); a recused member gets the reason instead of the values.
pub fn load(svc: &Service, sheet: &Sheet, app: i64) -> Result<Option<SheetData>, ServiceError> {
    if sheet.app() != Some(app) {
        return Ok(None);
    }
    match svc.my_sheet(app) {
        Ok(s) => Ok(Some(SheetData::Sheet(s))),
        Err(ServiceError::Recused { why, .. }) => Ok(Some(SheetData::Recused(why))),
        Err(e) => Err(e),
    }
}

/// What became of a typed value.
enum Commit {
    /// Nothing was typed.
    Nothing,
    Saved(Effect),
    /// The sheet is submitted: a reason form is open.
    NeedsReason,
    Invalid,
}

impl Sheet {
    /// The application whose sheet is open.
    pub fn app(&self) -> Option<i64> {
        self.panel.as_ref().map(|p| p.app)
    }

    /// What reloads the sheet shown.
    pub fn load_effect(&self) -> Option<Effect> {
        self.app().map(Effect::LoadSheet)
    }

    /// Opens the sheet for `app`: it and the candidate's details are loaded.
    pub fn open(&mut self, ctx: &mut Ctx, app: i64) -> Vec<Effect> {
        self.forget_given_up();
        *ctx.screen = Screen::Panel;
        self.panel = Some(Panel {
            app,
            sheet: None,
            recused: None,
            row: Cursor::default(),
            typed: String::new(),
            saved: None,
        });
        vec![Effect::LoadSheet(app), Effect::LoadDetail(app)]
    }

    /// The sheet for `app` as loaded. Loaded again after a change elsewhere (the
    /// chair finalised the candidate, closed or opened scoring), it says what
    /// changed, on the status line and over a form open on it.
    pub fn loaded(&mut self, ctx: &mut Ctx, app: i64, data: SheetData) {
        let Some(p) = self.panel.as_mut().filter(|p| p.app == app) else {
            return;
        };
        match data {
            SheetData::Sheet(sheet) => {
                if let Some(change) = p
                    .sheet
                    .as_ref()
                    .and_then(|old| changed(old, &sheet, ctx.lang))
                {
                    if let Some(form) = ctx.form.as_mut() {
                        form.warn(change.clone());
                    }
                    *ctx.message = Some(crate::tui::ctx::Message::Error(change));
                    p.typed.clear();
                }
                p.row.clamp(sheet.criteria.len());
                p.sheet = Some(sheet);
                p.recused = None;
            }
            SheetData::Recused(why) => {
                p.sheet = None;
                p.recused = Some(why);
            }
        }
    }

    /// The sheet for `app` could not be loaded: with nothing to show, back to the
    /// list (the runtime says why).
    pub fn refused(&mut self, ctx: &mut Ctx, app: i64) {
        if self.app() == Some(app) {
            self.panel = None;
            *ctx.screen = Screen::List;
        }
    }

    /// A write went through at `at` (the local time): the status line says when. A
    /// save of the sheet (`save`) loses its mark, the alert goes with the last one,
    /// and the sheet it was for says when it was saved.
    pub fn saved(
        &mut self,
        lang: Lang,
        alert: &mut Option<Alert>,
        at: String,
        save: Option<Effect>,
    ) {
        if let Some(effect) = save {
            let key = Unsaved {
                effect,
                tries: 0,
                retrying: false,
            };
            self.unsaved.retain(|u| u.key() != key.key());
            if self.unsaved.is_empty() {
                *alert = None;
            } else if !self.unsaved.iter().any(|u| u.retrying)
                && alert.as_ref().is_some_and(|a| a.retrying)
            {
                *alert = Some(Alert {
                    text: gave_up_text(self.unsaved.len(), lang),
                    retrying: false,
                });
            }
            if let Some(p) = self.panel.as_mut().filter(|p| key.app() == Some(p.app)) {
                p.saved = Some(at.clone());
            }
        }
        self.last_saved = Some(at);
    }

    /// A save of the sheet that failed: the value stays on the sheet marked not saved
    /// (never beside a saved time) and the alert says why until it is read. A busy
    /// database is tried again on the next ticks, up to [`SAVE_TRIES`] tries. (The
    /// runtime then loads the sheet again, to show what the disk holds.)
    pub fn save_failed(&mut self, ctx: &mut Ctx, failure: SaveFailure) {
        let lang = ctx.lang;
        let SaveFailure {
            effect,
            tries,
            busy,
            error,
        } = failure;
        let retrying = busy && tries < SAVE_TRIES;
        let mark = Unsaved {
            effect,
            tries,
            retrying,
        };
        let app = mark.app();
        self.unsaved.retain(|u| u.key() != mark.key());
        let what = match (mark.value(), mark.comment()) {
            (Some(v), _) => match lang {
                Lang::Zh => format!("分数 {} ", fmt_num(v)),
                Lang::En => format!("The score {} ", fmt_num(v)),
            },
            _ => lang.pick("评语", "The comment ").to_string(),
        };
        self.unsaved.push(mark);
        // No saved time stays beside a value that is not saved.
        if let Some(p) = self.panel.as_mut().filter(|p| Some(p.app) == app) {
            p.saved = None;
        }
        self.last_saved = None;
        let text = if retrying {
            match lang {
                Lang::Zh => {
                    format!("数据库正被占用，正在重试…（{tries}/{SAVE_TRIES}），{what}尚未保存")
                }
                Lang::En => format!(
                    "The database is busy; retrying… ({tries}/{SAVE_TRIES}). {what}is not saved yet"
                ),
            }
        } else if busy {
            match lang {
                Lang::Zh => format!(
                    "{what}未保存：数据库一直被其他程序占用。请稍后重新输入（Esc 关闭）"
                ),
                Lang::En => format!(
                    "{what}was not saved: another program kept the database busy. Type it again in a moment (Esc to dismiss)"
                ),
            }
        } else {
            match lang {
                Lang::Zh => format!("{what}未保存：{error}（Esc 关闭）"),
                Lang::En => format!("{what}was not saved: {error} (Esc to dismiss)"),
            }
        };
        *ctx.alert = Some(Alert { text, retrying });
        *ctx.message = None;
    }

    /// The saves waiting for a busy database, to try again.
    pub fn due(&self) -> Vec<Unsaved> {
        self.unsaved
            .iter()
            .filter(|u| u.retrying)
            .cloned()
            .collect()
    }

    /// Leaving a sheet forgets the values whose save was given up (the alert still
    /// says they were not saved): the sheet shows what the disk holds when it is
    /// opened again. Values still being tried again keep their mark.
    fn forget_given_up(&mut self) {
        self.unsaved.retain(|u| u.retrying);
    }

    /// Saves the typed value of the current criterion, if any.
    fn commit(&mut self, ctx: &mut Ctx) -> Commit {
        let lang = ctx.lang;
        let Some(p) = self.panel.as_mut() else {
            return Commit::Nothing;
        };
        if p.typed.is_empty() {
            return Commit::Nothing;
        }
        let Some(sheet) = p.sheet.as_ref() else {
            return Commit::Nothing;
        };
        let c = &sheet.criteria[p.row.at.min(sheet.criteria.len() - 1)];
        let value = p
            .typed
            .parse::<f64>()
            .ok()
            .filter(|v| sheet.valid(p.row.at, *v));
        let Some(value) = value else {
            let step = fmt_num(sheet.step);
            ctx.error(match lang {
                Lang::Zh => format!("{}须为 0 到 {}，每档 {step} 分", c.name, fmt_num(c.max)),
                Lang::En => format!(
                    "{} must be 0 to {} in steps of {step}",
                    c.name_en,
                    fmt_num(c.max)
                ),
            });
            return Commit::Invalid;
        };
        p.typed.clear();
        let (app, key) = (p.app, c.key.clone());
        let label = lang.pick(&c.name, &c.name_en).to_string();
        if sheet.status == Cell::Submitted {
            if c.value == Some(value) {
                return Commit::Nothing;
            }
            if !sheet.revisable {
                ctx.say(
                    "评审会进行中：已提交的评分须在该候选人的修改轮中修改，由主任委员在讨论后开启",
                    "In the review meeting a submitted sheet is changed in the candidate's revision round, which the chair opens after the discussion",
                );
                return Commit::Invalid;
            }
            ctx.open(Form::revise(lang, app, &key, &label, value));
            return Commit::NeedsReason;
        }
        // Shown at once; the saved sheet replaces it when the save returns.
        if let Some(s) = p.sheet.as_mut() {
            s.criteria[p.row.at].value = Some(value);
        }
        Commit::Saved(Effect::SaveScore {
            app,
            criterion: key,
            value,
        })
    }

    /// Whether the sheet may be changed now; says why not otherwise.
    fn editable(&self, ctx: &mut Ctx) -> bool {
        let Some(p) = self.panel.as_ref() else {
            return false;
        };
        let why = if p.recused.is_some() {
            Some((
                "您已回避该候选人，不能评分",
                "You are recused from this candidate",
            ))
        } else {
            match &p.sheet {
                None => Some(("评分表尚未载入", "The sheet is not loaded yet")),
                Some(s) if s.finalised => Some((
                    "该候选人的结果已确定，评分已锁定",
                    "The result is final; the sheet is locked",
                )),
                Some(s) if !s.session_open => Some((
                    "评分未开放（尚未开始，或已由主任委员结束），评分表不能修改",
                    "Scoring is not open (not yet, or closed by the chair); the sheet cannot change",
                )),
                Some(_) => None,
            }
        };
        match why {
            Some((zh, en)) => {
                ctx.say(zh, en);
                false
            }
            None => true,
        }
    }

    /// A character typed on the sheet (`None`: Backspace): digits (full-width ones
    /// too) and a point build the value; anything else is refused, saying why.
    pub fn type_value(&mut self, ctx: &mut Ctx, c: Option<char>) -> Vec<Effect> {
        match c {
            Some(c) => {
                if crate::text::number_char(c).is_none() {
                    ctx.say(
                        "请输入数字分数，Enter 保存；按 ? 查看按键",
                        "Type a number and Enter to save; press ? for the keys",
                    );
                    return vec![];
                }
                self.add_typed(ctx, &c.to_string())
            }
            None => {
                *ctx.message = None;
                if let Some(p) = self.panel.as_mut() {
                    p.typed.pop();
                }
                vec![]
            }
        }
    }

    /// A text pasted on the sheet: a number for the criterion under the cursor,
    /// whole (then Enter saves it); anything else is refused, saying why.
    pub fn paste_value(&mut self, ctx: &mut Ctx, text: &str) -> Vec<Effect> {
        self.add_typed(ctx, text.trim())
    }

    /// Adds typed or pasted characters to the value being typed, when the sheet may
    /// be changed and they make a number of the sheet's steps.
    fn add_typed(&mut self, ctx: &mut Ctx, added: &str) -> Vec<Effect> {
        if !self.editable(ctx) {
            return vec![];
        }
        let lang = ctx.lang;
        let Some(p) = self.panel.as_mut() else {
            return vec![];
        };
        let half = p.sheet.as_ref().is_some_and(|s| s.step < 1.0);
        let digits = match number_text(&p.typed, added, lang) {
            Ok(d) => d,
            Err(e) => {
                ctx.error(e);
                return vec![];
            }
        };
        if digits.contains('.') && !half {
            ctx.say(
                "本次评分只打整数分",
                "Scores are whole points in these rules",
            );
            return vec![];
        }
        if p.typed.len() + digits.len() > MAX_TYPED {
            ctx.say("分数太长", "That is too long for a score");
            return vec![];
        }
        *ctx.message = None;
        p.typed.push_str(&digits);
        vec![]
    }

    /// Keys of the score sheet. `selected` is the position of the list's cursor and
    /// `at` gives the application at a position of the list, for the next and the
    /// previous candidate; the position the sheet moved to comes back with the
    /// effects, for the list's cursor to follow.
    pub fn update(
        &mut self,
        ctx: &mut Ctx,
        selected: usize,
        at: impl Fn(usize) -> Option<i64>,
        action: Action,
    ) -> (Vec<Effect>, Option<usize>) {
        let lang = ctx.lang;
        let Some(p) = self.panel.as_mut() else {
            *ctx.screen = Screen::List;
            return (vec![Effect::Reload], None);
        };
        let rows = p.sheet.as_ref().map_or(0, |s| s.criteria.len());
        let fx = match action {
            Action::Back => {
                if !p.typed.is_empty() {
                    p.typed.clear();
                    return (vec![], None);
                }
                *ctx.screen = Screen::List;
                self.panel = None;
                self.forget_given_up();
                vec![Effect::Reload]
            }
            Action::Down | Action::Up => {
                let fx = match self.commit(ctx) {
                    Commit::Saved(e) => vec![e],
                    Commit::Nothing => vec![],
                    Commit::NeedsReason | Commit::Invalid => return (vec![], None),
                };
                if let Some(p) = self.panel.as_mut() {
                    p.row.moved(action, rows, 1);
                }
                fx
            }
            Action::StepUp | Action::StepDown => {
                if !self.editable(ctx) {
                    return (vec![], None);
                }
                let Some(p) = self.panel.as_mut() else {
                    return (vec![], None);
                };
                let Some(s) = p.sheet.as_ref() else {
                    return (vec![], None);
                };
                let c = &s.criteria[p.row.at];
                let now = c.value.unwrap_or(0.0);
                let next = if action == Action::StepUp {
                    (now + s.step).min(c.max)
                } else {
                    (now - s.step).max(0.0)
                };
                if c.value == Some(next) {
                    return (vec![], None);
                }
                p.typed = fmt_num(next);
                match self.commit(ctx) {
                    Commit::Saved(e) => vec![e],
                    _ => vec![],
                }
            }
            Action::Submit => {
                if !self.editable(ctx) {
                    return (vec![], None);
                }
                match self.commit(ctx) {
                    Commit::Saved(e) => {
                        if let Some(p) = self.panel.as_mut() {
                            p.row.moved(Action::Down, rows, 1);
                        }
                        return (vec![e], None);
                    }
                    Commit::NeedsReason | Commit::Invalid => return (vec![], None),
                    Commit::Nothing => {}
                }
                let Some(s) = self.panel.as_ref().and_then(|p| p.sheet.as_ref()) else {
                    return (vec![], None);
                };
                if self.unsaved.iter().any(|u| u.app() == Some(s.app_id)) {
                    ctx.say(
                        "还有未保存的分数或评语：保存成功后才能提交",
                        "Some values are not saved yet: the sheet can be submitted once they are",
                    );
                    return (vec![], None);
                }
                if s.status == Cell::Submitted {
                    ctx.say(
                        "评分表已提交；修改分数须输入新分数并写明理由",
                        "The sheet is submitted; type a new value to change it, with a reason",
                    );
                    return (vec![], None);
                }
                let empty: Vec<(String, String)> = s
                    .criteria
                    .iter()
                    .filter(|c| c.value.is_none())
                    .map(|c| (c.key.clone(), lang.pick(&c.name, &c.name_en).to_string()))
                    .collect();
                ctx.open(Form::Confirm(Confirm::Submit {
                    app: s.app_id,
                    name: s.name.clone(),
                    empty,
                }));
                vec![]
            }
            Action::Comment => {
                if !self.editable(ctx) {
                    return (vec![], None);
                }
                let Some(p) = self.panel.as_ref() else {
                    return (vec![], None);
                };
                let Some(c) = p.sheet.as_ref().and_then(|s| s.criteria.get(p.row.at)) else {
                    return (vec![], None);
                };
                if c.value.is_none() {
                    ctx.say(
                        "请先为本项打分，再写评语",
                        "Score the criterion before commenting on it",
                    );
                    return (vec![], None);
                }
                let label = lang.pick(&c.name, &c.name_en);
                ctx.open(Form::comment(lang, p.app, &c.key, label, &c.comment));
                vec![]
            }
            Action::NextCandidate | Action::PrevCandidate => {
                let mut fx = match self.commit(ctx) {
                    Commit::Saved(e) => vec![e],
                    Commit::Nothing => vec![],
                    Commit::NeedsReason | Commit::Invalid => return (vec![], None),
                };
                let next = if action == Action::NextCandidate {
                    selected + 1
                } else {
                    selected.wrapping_sub(1)
                };
                match at(next) {
                    Some(app) => {
                        fx.extend(self.open(ctx, app));
                        return (fx, Some(next));
                    }
                    None => ctx.say("已是名单的一端", "That is the end of the list"),
                }
                fx
            }
            _ => vec![],
        };
        (fx, None)
    }

    /// The rows the score sheet needs: its criteria, the total, the others' totals
    /// and the hint, inside its border.
    pub fn height(&self) -> u16 {
        let criteria = self
            .panel
            .as_ref()
            .and_then(|p| p.sheet.as_ref())
            .map_or(5, |s| s.criteria.len());
        (criteria + 9) as u16
    }

    /// Draws the score sheet: criteria with bars and values (the candidate's details
    /// are beside it). `rows` are the stage list's, for the candidate's name and
    /// grade; `focused`: no form is over the sheet.
    pub fn render(
        &self,
        rows: &[AppRow],
        focused: bool,
        lang: Lang,
        theme: &Theme,
        frame: &mut Frame,
        area: Rect,
    ) {
        let Some(p) = &self.panel else {
            return;
        };
        // The sheet's own candidate, also once they left the stage's list.
        let name = match &p.sheet {
            Some(s) => (s.name.clone(), lang.grade(Some(s.target))),
            None => rows
                .iter()
                .find(|r| r.id == p.app)
                .map(|r| (r.name.clone(), lang.grade(r.target)))
                .unwrap_or_default(),
        };
        let title = match lang {
            Lang::Zh => format!("评分表 · {} · 申报{}", name.0, name.1),
            Lang::En => format!("Score sheet · {} · for {}", name.0, name.1),
        };
        let outer = block(&title, theme, focused);
        let inner = outer.inner(area);
        frame.render_widget(outer, area);
        let width = usize::from(inner.width);
        if let Some(why) = &p.recused {
            let reason = match lang {
                Lang::Zh => why.zh(),
                Lang::En => why.en(),
            };
            let mut lines = vec![
                Line::raw(""),
                Line::styled(
                    lang.pick("回  避", "RECUSED"),
                    theme.error().add_modifier(Modifier::BOLD),
                )
                .alignment(Alignment::Center),
                Line::raw(""),
                Line::styled(
                    lang.pick(
                        "您与该候选人有利害关系，不能评分，也看不到他人的评分。",
                        "You have a conflict with this candidate: you may not score or see scores.",
                    ),
                    theme.base(),
                )
                .alignment(Alignment::Center),
            ];
            lines.push(Line::styled(reason, theme.muted()).alignment(Alignment::Center));
            lines.push(Line::raw(""));
            lines.push(
                Line::styled(
                    lang.pick(
                        "n/p 换一位候选人，Esc 返回",
                        "n/p another candidate, Esc back",
                    ),
                    theme.muted(),
                )
                .alignment(Alignment::Center),
            );
            frame.render_widget(Paragraph::new(lines), inner);
            return;
        }
        let Some(s) = &p.sheet else {
            frame.render_widget(
                Paragraph::new(Line::styled(
                    lang.pick("载入中…", "Loading…"),
                    theme.muted(),
                )),
                inner,
            );
            return;
        };
        // Columns: marker, name, max, bar, value, comment.
        let name_w = match lang {
            Lang::Zh => 10,
            Lang::En => 16,
        };
        let bar_w = width.saturating_sub(name_w + 4 + 6 + 4 + 8).clamp(6, 20);
        let comment_w = width.saturating_sub(1 + name_w + 5 + bar_w + 1 + 7 + 1);
        let mut lines = vec![Line::styled(
            format!(
                " {}{}{}{}{}",
                pad(lang.pick("评分项", "Criterion"), name_w),
                pad(lang.pick("满分", "Max"), 5),
                pad(lang.pick("得分", "Score"), bar_w + 1),
                pad("", 7),
                lang.pick("评语", "Comment")
            ),
            theme.title(),
        )];
        // What was typed but is not on disk, by criterion: the score and the comment.
        let unsaved = |key: &str, comment: bool| {
            self.unsaved
                .iter()
                .find(|u| u.key() == Some((p.app, key, comment)))
        };
        let marks = self
            .unsaved
            .iter()
            .filter(|u| u.app() == Some(p.app))
            .collect::<Vec<_>>();
        for (i, c) in s.criteria.iter().enumerate() {
            let here = i == p.row.at;
            let typing = here && !p.typed.is_empty();
            let lost = unsaved(&c.key, false).filter(|_| !typing);
            let lost_comment = unsaved(&c.key, true);
            let shown = if typing {
                p.typed.parse::<f64>().ok()
            } else {
                lost.and_then(|u| u.value()).or(c.value)
            };
            let (full, empty) = bar(shown.unwrap_or(0.0), c.max, bar_w);
            let value = if typing {
                format!("{}▏", p.typed)
            } else {
                shown.map(fmt_num).unwrap_or_else(|| "–".into())
            };
            let row_style = if here { theme.selected() } else { theme.base() };
            // A value being typed past the maximum shows as wrong before Enter refuses it.
            let over = typing && shown.is_some_and(|v| v > c.max);
            let value_style = if over || lost.is_some() {
                theme.error()
            } else if typing {
                theme.input()
            } else if c.value.is_none() {
                theme.muted()
            } else {
                row_style.add_modifier(Modifier::BOLD)
            };
            lines.push(Line::from(vec![
                Span::styled(if here { "›" } else { " " }, theme.accent()),
                Span::styled(
                    // A cell left between the name and its maximum.
                    pad(&fit(lang.pick(&c.name, &c.name_en), name_w - 1), name_w),
                    row_style,
                ),
                Span::styled(pad(&fmt_num(c.max), 5), theme.muted()),
                Span::styled(full, if over { theme.error() } else { theme.accent() }),
                Span::styled(empty, theme.muted()),
                Span::raw(" "),
                Span::styled(pad(&value, 7), value_style),
                match (lost, lost_comment) {
                    (None, None) => Span::styled(fit(&c.comment, comment_w), theme.muted()),
                    (score, comment) => {
                        let retrying = score.or(comment).is_some_and(|u| u.retrying);
                        let note = match (retrying, comment.and_then(|u| u.comment())) {
                            (true, None) => lang
                                .pick("未保存，正在重试…", "not saved, retrying…")
                                .to_string(),
                            (false, None) => lang.pick("未保存", "not saved").to_string(),
                            (_, Some(text)) => {
                                format!("{}{text}", lang.pick("未保存：", "not saved: "))
                            }
                        };
                        Span::styled(fit(&note, comment_w), theme.error())
                    }
                },
            ]));
        }
        lines.push(Line::raw(""));
        let max_total: f64 = s.criteria.iter().map(|c| c.max * c.weight).sum();
        let status = if s.finalised {
            (
                lang.pick("结果已确定，已锁定", "result final, locked"),
                theme.muted(),
            )
        } else if s.status == Cell::Submitted {
            (lang.pick("已提交", "submitted"), theme.ok())
        } else if s.status == Cell::Draft {
            (
                lang.pick("草稿（每项即时保存）", "draft (each value saved at once)"),
                theme.warn(),
            )
        } else {
            (lang.pick("未开始", "not started"), theme.muted())
        };
        let mut total = vec![
            Span::styled(
                format!(
                    " {} {} / {}   ",
                    lang.pick("合计", "Total"),
                    fmt_num(crate::domain::aggregate::round2(s.total)),
                    fmt_num(max_total)
                ),
                theme.title().add_modifier(Modifier::BOLD),
            ),
            Span::styled(status.0.to_string(), status.1),
        ];
        if !marks.is_empty() {
            // Never a saved time beside a value that is not saved.
            let retrying = marks.iter().any(|u| u.retrying);
            let n = marks.len();
            total.push(Span::styled(
                match (lang, retrying) {
                    (Lang::Zh, true) => format!("  ✗ {n} 项未保存，重试中…"),
                    (Lang::Zh, false) => format!("  ✗ {n} 项未保存"),
                    (Lang::En, true) => format!("  ✗ {n} not saved, retrying…"),
                    (Lang::En, false) => format!("  ✗ {n} not saved"),
                },
                theme.error().add_modifier(Modifier::BOLD),
            ));
        } else if let Some(t) = &p.saved {
            total.push(Span::styled(
                format!("  ✓ {} {t}", lang.pick("已保存", "saved")),
                theme.ok(),
            ));
        }
        lines.push(Line::from(total));
        if !s.session_open && !s.finalised {
            lines.push(Line::styled(
                lang.pick(
                    " 评分未开放：尚未开始，或已由主任委员结束",
                    " Scoring is not open: not yet, or closed by the chair",
                ),
                theme.warn(),
            ));
        }
        if let Some(others) = &s.others {
            let list: Vec<String> = others.iter().map(|t| fmt_num(*t)).collect();
            let text = match lang {
                Lang::Zh if list.is_empty() => " 其他评委尚未提交".to_string(),
                Lang::En if list.is_empty() => " No other member has submitted yet".to_string(),
                Lang::Zh => format!(" 其他评委已提交的合计（匿名）：{}", list.join("  ")),
                Lang::En => format!(" Other members' totals (anonymous): {}", list.join("  ")),
            };
            lines.extend(wrap_line(Line::styled(text, theme.muted()), width, 2));
        }
        let left = s.empty().len();
        let hint = if s.finalised || !s.session_open {
            lang.pick(
                " 评分表已锁定，只能查看；n/p 换一位候选人，Esc 返回",
                " The sheet is locked: read only. n/p another candidate, Esc back",
            )
            .to_string()
        } else if s.status == Cell::Submitted && !s.revisable {
            lang.pick(
                " 已提交。评审会的修改轮开启后可修改",
                " Submitted. It may be changed in the meeting's revision round",
            )
            .to_string()
        } else if s.status == Cell::Submitted {
            lang.pick(
                " 修改已提交的分数：输入新分数后 Enter，须写明理由",
                " To change a submitted value, type it and Enter; a reason is required",
            )
            .to_string()
        } else if left > 0 {
            match lang {
                Lang::Zh => format!(" 还有 {left} 项未打分：输入数字后 Enter 保存并到下一项"),
                Lang::En => format!(" {left} to go: type a number, Enter saves and moves on"),
            }
        } else {
            lang.pick(
                " 各项均已打分：再按 Enter 提交评分表",
                " Every criterion is scored: Enter submits the sheet",
            )
            .to_string()
        };
        lines.push(Line::raw(""));
        lines.extend(wrap_line(Line::styled(hint, theme.accent()), width, 1));
        frame.render_widget(Paragraph::new(Text::from(lines)), inner);
    }
}

/// What changed of a sheet between two loads that the member did not do here: the
/// result finalised, scoring closed or opened (by the chair, in another terminal).
fn changed(old: &MySheet, new: &MySheet, lang: Lang) -> Option<String> {
    let name = &new.name;
    Some(match lang {
        Lang::Zh if new.finalised && !old.finalised => {
            format!("{name} 已由主任委员确定结果，评分表已锁定")
        }
        Lang::En if new.finalised && !old.finalised => {
            format!("The chair finalised {name}'s result; the sheet is locked")
        }
        Lang::Zh if old.session_open && !new.session_open => {
            format!("主任委员已结束评分，{name} 的评分表不能再修改")
        }
        Lang::En if old.session_open && !new.session_open => {
            format!("The chair closed scoring; the sheet for {name} can no longer change")
        }
        Lang::Zh if !old.session_open && new.session_open => "主任委员已开始评分".to_string(),
        Lang::En if !old.session_open && new.session_open => "The chair opened scoring".to_string(),
        _ => return None,
    })
}

/// The alert once every save still marked was given up.
fn gave_up_text(n: usize, lang: Lang) -> String {
    match lang {
        Lang::Zh => format!("{n} 项未保存：数据库一直被其他程序占用。请稍后重新输入（Esc 关闭）"),
        Lang::En => format!(
            "{n} value(s) not saved: another program kept the database busy. Type them again in a moment (Esc to dismiss)"
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Grade;
    use crate::service::evaluation::CriterionScore;
    use crate::tui::app::{handle_key, App, Session};
    use crate::tui::ctx::Message;
    use crate::tui::keymap::Keymap;
    use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

    fn sheet(values: [Option<f64>; 3], status: Cell) -> MySheet {
        let crit = |key: &str, name: &str, max: f64, value| CriterionScore {
            key: key.into(),
            name: name.into(),
            name_en: key.into(),
            max,
            weight: 1.0,
            value,
            comment: String::new(),
        };
        MySheet {
            app_id: 10,
            name: "张伟".into(),
            target: Grade::Junior,
            status,
            criteria: vec![
                crit("political", "政治素质", 20.0, values[0]),
                crit("competence", "业务水平", 25.0, values[1]),
                crit("tenure", "任职年限", 10.0, values[2]),
            ],
            total: values.iter().flatten().sum(),
            step: 0.5,
            session_open: true,
            finalised: false,
            revisable: true,
            others: None,
        }
    }

    fn on_panel(s: MySheet) -> App {
        let mut state = App::new(
            Lang::Zh,
            1,
            vec![],
            crate::service::Clock::on(chrono::NaiveDate::default(), 10, 0, 0),
        );
        let row = |id, name: &str| AppRow {
            id,
            name: name.into(),
            organisation: String::new(),
            category: None,
            current: None,
            target: None,
            status: crate::domain::stage::Status::Active,
            overridden: false,
            test_score: None,
            visits: 0,
            open_objections: 0,
            person_id: id + 100,
        };
        state.state.session = Some(Session::default());
        state.state.stage = crate::domain::Stage::Evaluation;
        state.state.screen = Screen::Panel;
        let b = &mut state.screens;
        b.list.rows = vec![row(10, "张伟"), row(11, "李娜")];
        b.list.rebuild_view();
        b.list.my_cells = [(10, Cell::Draft), (11, Cell::Pending)]
            .into_iter()
            .collect();
        b.sheet.panel = Some(Panel {
            app: 10,
            sheet: Some(s),
            recused: None,
            row: Cursor::default(),
            typed: String::new(),
            saved: None,
        });
        state
    }

    fn press(state: &mut App, code: KeyCode) -> Vec<Effect> {
        handle_key(
            state,
            &Keymap::builtin(),
            KeyEvent::new(code, KeyModifiers::NONE),
        )
    }

    fn typed(state: &mut App, text: &str) {
        for c in text.chars() {
            press(state, KeyCode::Char(c));
        }
    }

    fn panel(state: &App) -> &Panel {
        state.screens.sheet.panel.as_ref().unwrap()
    }

    #[test]
    fn enter_saves_the_typed_value_and_moves_down() {
        let mut s = on_panel(sheet([None, None, None], Cell::Pending));
        typed(&mut s, "17.5");
        assert_eq!(panel(&s).typed, "17.5");
        let fx = press(&mut s, KeyCode::Enter);
        assert_eq!(
            fx,
            vec![Effect::SaveScore {
                app: 10,
                criterion: "political".into(),
                value: 17.5
            }]
        );
        assert_eq!(panel(&s).row.at, 1);
        assert!(panel(&s).typed.is_empty());
        // Shown at once, before the save returns.
        assert_eq!(
            panel(&s).sheet.as_ref().unwrap().criteria[0].value,
            Some(17.5)
        );
    }

    #[test]
    fn values_off_the_range_or_the_step_are_refused_with_a_message() {
        let mut s = on_panel(sheet([None, None, None], Cell::Pending));
        for bad in ["21", "17.3"] {
            typed(&mut s, bad);
            assert!(press(&mut s, KeyCode::Enter).is_empty(), "{bad}");
            assert!(matches!(&s.state.message, Some(Message::Error(m)) if m.contains("政治素质")));
            assert_eq!(panel(&s).row.at, 0, "the cursor stays");
            press(&mut s, KeyCode::Esc);
            assert!(panel(&s).typed.is_empty(), "Esc clears the input first");
        }
        // Letters are not scores; a second point is ignored.
        typed(&mut s, "1x..5");
        assert_eq!(panel(&s).typed, "1.5");
    }

    #[test]
    fn step_keys_save_one_step_and_stop_at_the_bounds() {
        let mut s = on_panel(sheet([Some(20.0), Some(0.0), None], Cell::Draft));
        assert!(
            press(&mut s, KeyCode::Char('l')).is_empty(),
            "already the maximum"
        );
        let fx = press(&mut s, KeyCode::Char('h'));
        assert_eq!(
            fx,
            vec![Effect::SaveScore {
                app: 10,
                criterion: "political".into(),
                value: 19.5
            }]
        );
        press(&mut s, KeyCode::Char('j'));
        assert!(press(&mut s, KeyCode::Left).is_empty(), "already 0");
    }

    #[test]
    fn enter_with_nothing_typed_asks_before_submitting_and_names_empty_criteria() {
        let mut s = on_panel(sheet([Some(18.0), None, None], Cell::Draft));
        assert!(press(&mut s, KeyCode::Enter).is_empty());
        let Some(Form::Confirm(Confirm::Submit { empty, .. })) = &s.state.form else {
            panic!("a confirmation");
        };
        assert_eq!(empty.len(), 2);
        let fx = press(&mut s, KeyCode::Char('y'));
        assert_eq!(
            fx,
            vec![Effect::SubmitSheet {
                app: 10,
                zero: vec!["competence".into(), "tenure".into()]
            }]
        );
        // A full sheet asks too, naming the candidate: Enter twice never submits
        // unasked, and a pasted or second Enter is no answer.
        let mut s = on_panel(sheet([Some(18.0), Some(20.0), Some(8.0)], Cell::Draft));
        assert!(press(&mut s, KeyCode::Enter).is_empty());
        assert!(press(&mut s, KeyCode::Enter).is_empty());
        let Some(Form::Confirm(c @ Confirm::Submit { empty, .. })) = &s.state.form else {
            panic!("a confirmation");
        };
        assert!(empty.is_empty());
        assert!(c.text(Lang::Zh).0.contains("张伟"));
        assert_eq!(
            press(&mut s, KeyCode::Char('y')),
            vec![Effect::SubmitSheet {
                app: 10,
                zero: vec![]
            }]
        );
    }

    #[test]
    fn a_submitted_sheet_changes_only_with_a_reason() {
        let mut s = on_panel(sheet([Some(18.0), Some(20.0), Some(8.0)], Cell::Submitted));
        typed(&mut s, "16");
        assert!(press(&mut s, KeyCode::Enter).is_empty());
        assert!(matches!(
            &s.state.form,
            Some(Form::Fields(f)) if matches!(
                f.purpose,
                crate::tui::widgets::fields::Purpose::Revise { value: 16.0, .. }
            )
        ));
        assert!(press(&mut s, KeyCode::Enter).is_empty(), "no reason yet");
        typed(&mut s, "讨论后");
        assert_eq!(
            press(&mut s, KeyCode::Enter),
            vec![Effect::Revise {
                app: 10,
                criterion: "political".into(),
                value: 16.0,
                reason: "讨论后".into()
            }]
        );
        // Enter with nothing typed does not submit twice.
        assert!(press(&mut s, KeyCode::Enter).is_empty());
        assert!(matches!(s.state.message, Some(Message::Error(_))));
    }

    #[test]
    fn closed_scoring_and_recusal_refuse_typing() {
        let mut closed = sheet([None, None, None], Cell::Pending);
        closed.session_open = false;
        let mut s = on_panel(closed);
        typed(&mut s, "5");
        assert!(panel(&s).typed.is_empty());
        assert!(matches!(s.state.message, Some(Message::Error(_))));
        let mut s = on_panel(sheet([None, None, None], Cell::Pending));
        if let Some(p) = s.screens.sheet.panel.as_mut() {
            p.sheet = None;
            p.recused = Some(crate::domain::Recusal::SameOrganisation);
        }
        typed(&mut s, "5");
        assert!(panel(&s).typed.is_empty());
    }

    #[test]
    fn next_candidate_saves_first_and_after_submitting_the_next_to_score_is_found() {
        let mut s = on_panel(sheet([None, None, None], Cell::Pending));
        typed(&mut s, "12");
        let fx = press(&mut s, KeyCode::Char('n'));
        assert_eq!(
            fx,
            vec![
                Effect::SaveScore {
                    app: 10,
                    criterion: "political".into(),
                    value: 12.0
                },
                Effect::LoadSheet(11),
                Effect::LoadDetail(11)
            ]
        );
        let b = &mut s.screens;
        assert_eq!(b.list.cursor.at, 1);
        // From 李娜, the next still to score wraps round to 张伟 (a draft).
        assert_eq!(b.list.next_to_score(), Some((0, 10)));
        b.list.my_cells.insert(10, Cell::Submitted);
        b.list.my_cells.insert(11, Cell::Submitted);
        assert_eq!(b.list.next_to_score(), None);
    }
}
