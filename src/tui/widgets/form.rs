//! The one form system: a form of fields over a screen, the yes/no questions before
//! a step that matters, and the question whether to throw away what was typed. How a
//! form is typed in, moved through, submitted and drawn lives here, once.

use super::super::effect::Effect;
use super::super::effect::ExportWhat;
use super::super::keymap::{Action, Keymap, Mode};
use super::super::text_input::{Edit, TextInput, CURSOR};
use super::super::theme::Theme;
use super::draw::{block, centred, clear_popup, hints_only, wrapped_height};
pub use super::fields::{step_choice, ReasonFor, CONFLICT_KINDS, RATINGS};
use super::fields::{Field, Fields, Kind, Purpose};
use crate::domain::eligibility::fmt_num;
use crate::i18n::Lang;
use crate::service::files::Format;
use chrono::NaiveDate;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};
use ratatui::Frame;
use unicode_width::UnicodeWidthStr;

/// A form over a screen.
#[derive(Debug, Clone, PartialEq)]
pub enum Form {
    /// A form of fields.
    Fields(Box<Fields>),
    /// A yes/no question before a step that matters.
    Confirm(Confirm),
    /// Discard a half-typed form?
    Discard(Box<Form>),
    /// Quit with input not saved (Ctrl-C)? The form over the screen, if any, comes
    /// back on a no.
    Quit(Option<Box<Form>>),
}

/// Steps confirmed with y / n: every step that changes a candidate's standing, a
/// sheet or the scoring session asks first, naming the candidate and what follows
/// (the steps that need a reason ask for it in a form of their own).
#[derive(Debug, Clone, PartialEq)]
pub enum Confirm {
    /// Pass an application on to the next stage.
    Pass {
        app: i64,
        name: String,
        /// The stage it goes on to (`None`: the last one).
        to: Option<crate::domain::Stage>,
    },
    /// Open scoring (again, when `reopen`: it was closed before).
    OpenScoring {
        reopen: bool,
    },
    /// Submit a sheet with empty criteria, which count as 0.
    Submit {
        app: i64,
        name: String,
        empty: Vec<(String, String)>,
    },
    Finalise {
        app: i64,
        name: String,
        result: f64,
        threshold: f64,
        discuss: bool,
    },
    CloseScoring {
        drafts: usize,
        pending: usize,
    },
    /// Close the notice: certify its candidates.
    CloseNotice {
        id: i64,
        candidates: usize,
        end: String,
    },
    /// End the review meeting, with candidates not yet discussed.
    EndMeeting {
        undiscussed: usize,
    },
}

impl Confirm {
    /// The effect of a yes.
    pub fn effect(&self) -> Effect {
        match self {
            Confirm::Pass { app, .. } => Effect::Transition {
                app: *app,
                transition: crate::domain::stage::Transition::Advance,
            },
            Confirm::OpenScoring { .. } => Effect::OpenScoring,
            Confirm::Submit { app, empty, .. } => Effect::SubmitSheet {
                app: *app,
                zero: empty.iter().map(|(k, _)| k.clone()).collect(),
            },
            Confirm::Finalise { app, .. } => Effect::Finalise(*app),
            Confirm::CloseScoring { .. } => Effect::CloseScoring,
            Confirm::CloseNotice { id, .. } => Effect::CloseNotice(*id),
            Confirm::EndMeeting { .. } => Effect::Meeting(super::super::effect::MeetingStep::End),
        }
    }

    /// The question's title and text: what the step does, and to whom.
    pub fn text(&self, lang: Lang) -> (String, String) {
        match (self, lang) {
            (Confirm::Pass { name, to, .. }, _) => {
                let title = format!("{} · {name}", lang.pick("通过", "Pass"));
                let text = match (lang, to) {
                    (Lang::Zh, Some(to)) => format!(
                        "通过后，{name} 的申请进入「{}」环节，本环节不再办理。通过吗？",
                        to.zh()
                    ),
                    (Lang::En, Some(to)) => format!(
                        "{name}'s application moves on to {}; nothing more is done at this stage. Pass?",
                        to.en()
                    ),
                    (Lang::Zh, None) => format!("通过后，{name} 的申请办结。通过吗？"),
                    (Lang::En, None) => format!("{name}'s application is done. Pass?"),
                };
                (title, text)
            }
            (Confirm::OpenScoring { reopen }, _) => (
                lang.pick("开始评分", "Open scoring").to_string(),
                match (lang, reopen) {
                    (Lang::Zh, false) => "开始后，各评委可为综合评定环节的候选人打分。开始评分吗？".to_string(),
                    (Lang::En, false) => "Members can then score the candidates in evaluation. Open scoring?".to_string(),
                    (Lang::Zh, true) => "评分已结束过。重新开始后，评委可再次打分和修改评分表，尚未确定的结果随之改变。重新开始评分吗？".to_string(),
                    (Lang::En, true) => "Scoring was closed. Opened again, members can score and change their sheets again, and results not yet final may change. Open scoring again?".to_string(),
                },
            ),
            (Confirm::Submit { name, empty, .. }, _) if empty.is_empty() => (
                format!("{} · {name}", lang.pick("提交评分表", "Submit the sheet")),
                match lang {
                    Lang::Zh => format!("提交后，{name} 的评分表计入结果，修改须写明理由。提交吗？"),
                    Lang::En => format!("Submitted, the sheet for {name} counts towards the result; a change then needs a reason. Submit?"),
                },
            ),
            (Confirm::Submit { name, empty, .. }, _) => {
                let list: Vec<&str> = empty.iter().map(|e| e.1.as_str()).collect();
                (
                    format!("{} · {name}", lang.pick("提交评分表", "Submit the sheet")),
                    match lang {
                        Lang::Zh => format!(
                            "以下评分项尚未打分：{}。提交后这些项记为 0 分。仍要提交吗？",
                            list.join("、")
                        ),
                        Lang::En => format!(
                            "Not scored yet: {}. Submitting counts them as 0. Submit anyway?",
                            list.join(", ")
                        ),
                    },
                )
            }
            (
                Confirm::Finalise {
                    name,
                    result,
                    threshold,
                    discuss,
                    ..
                },
                _,
            ) => {
                let passes = crate::domain::aggregate::reaches(*result, *threshold);
                let (result, threshold) = (fmt_num(*result), fmt_num(*threshold));
                let mut t = match (lang, passes) {
                    (Lang::Zh, true) => format!(
                        "结果 {result} 达到分数线 {threshold}：确定后进入结果公示，评分锁定。"
                    ),
                    (Lang::Zh, false) => format!(
                        "结果 {result} 未达到分数线 {threshold}：确定后不予认证，评分锁定。"
                    ),
                    (Lang::En, true) => format!(
                        "Result {result} reaches the threshold {threshold}: it moves to the public notice and the scores lock."
                    ),
                    (Lang::En, false) => format!(
                        "Result {result} is below the threshold {threshold}: not certified, and the scores lock."
                    ),
                };
                if *discuss {
                    t.push_str(lang.pick(
                        " 注意：该候选人被标记为需讨论。",
                        " Note: the candidate is flagged for discussion.",
                    ));
                }
                (format!("{} · {name}", lang.pick("确定结果", "Finalise")), t)
            }
            (Confirm::CloseNotice { candidates, end, .. }, Lang::Zh) => (
                "结束公示".to_string(),
                format!(
                    "公示期至 {end}。结束后，没有未办结异议的 {candidates} 名候选人中符合条件者将按公示等级获颁证书，证书编号按顺序生成；有未办结异议时不能结束。结束公示吗？"
                ),
            ),
            (Confirm::CloseNotice { candidates, end, .. }, Lang::En) => (
                "Close the notice".to_string(),
                format!(
                    "The notice ran to {end}. Closing certifies its {candidates} candidate(s) without an open objection at the notified grade, with certificate numbers in sequence; it is refused while any objection is open. Close the notice?"
                ),
            ),
            (Confirm::EndMeeting { undiscussed }, Lang::Zh) => (
                "结束评审会".to_string(),
                match undiscussed {
                    0 => "所有候选人均已讨论。结束评审会后可导出会议纪要。确定结束？".to_string(),
                    n => format!("还有 {n} 位候选人未讨论。结束评审会后可导出会议纪要。确定结束？"),
                },
            ),
            (Confirm::EndMeeting { undiscussed }, Lang::En) => (
                "End the review meeting".to_string(),
                match undiscussed {
                    0 => "Every candidate has been discussed. The minutes can be exported once the meeting ends. End it?".to_string(),
                    n => format!("{n} candidate(s) not discussed yet. The minutes can be exported once the meeting ends. End it?"),
                },
            ),
            (Confirm::CloseScoring { drafts, pending }, Lang::Zh) => (
                "结束评分".to_string(),
                format!(
                    "结束后评委不能再打分或修改，主任委员可查看各评分表。尚有 {drafts} 份草稿、{pending} 份未评，均不计入。结束评分吗？"
                ),
            ),
            (Confirm::CloseScoring { drafts, pending }, Lang::En) => (
                "Close scoring".to_string(),
                format!(
                    "Members can no longer score or change sheets; the chair sees every sheet. {drafts} draft(s) and {pending} unscored sheet(s) will not count. Close scoring?"
                ),
            ),
        }
    }
}

/// What an action did to a form.
#[derive(Debug, Clone, PartialEq)]
pub enum Step {
    /// The form stays as it is now.
    Stay,
    /// The form closes.
    Close,
    /// The form closes and this is done.
    Done(Effect),
    /// The form stays; this is what is wrong.
    Refused(String),
}

impl Form {
    /// A form of fields.
    pub fn fields(title: String, purpose: Purpose, fields: Vec<Field>) -> Form {
        Form::Fields(Box::new(Fields::new(title, purpose, fields)))
    }

    /// The reason for a decision on `name`'s application (or objection).
    pub fn reason(lang: Lang, app: i64, name: &str, what: ReasonFor) -> Form {
        Form::fields(
            format!("{} · {name}", what.title(lang)),
            Purpose::Reason { app, what },
            vec![Field::lines(
                lang.pick(
                    "理由（必填，Enter 换行，Ctrl-S 提交）",
                    "Reason (required; Enter = new line, Ctrl-S = submit)",
                ),
                false,
            )],
        )
    }

    /// The training-test score, showing the one recorded (if any).
    pub fn score(lang: Lang, app: i64, name: &str, score: &str, max: f64, pass_mark: f64) -> Form {
        let label = match lang {
            Lang::Zh => format!("成绩（0–{}，合格线 {}）", fmt_num(max), fmt_num(pass_mark)),
            Lang::En => format!(
                "Score (0–{}, pass mark {})",
                fmt_num(max),
                fmt_num(pass_mark)
            ),
        };
        Form::fields(
            format!(
                "{} · {name}",
                lang.pick("培训测试成绩", "Training-test score")
            ),
            Purpose::Score { app, max },
            vec![Field::number(&label, score).typed()],
        )
    }

    /// A site visit, dated `today` unless changed.
    pub fn visit(lang: Lang, app: i64, name: &str, today: NaiveDate) -> Form {
        Form::fields(
            format!(
                "{} · {name}",
                lang.pick("登记实地走访", "Record a site visit")
            ),
            Purpose::Visit { app },
            vec![
                Field::line(
                    lang.pick("走访日期", "Visit date"),
                    &today.to_string(),
                    false,
                ),
                Field::line(lang.pick("走访人员", "Visitors"), "", false),
                Field::lines(
                    lang.pick("走访情况（可多行）", "Findings (several lines)"),
                    false,
                ),
                Field::choice(
                    lang.pick("评价（←→ 选择）", "Rating (← → to choose)"),
                    RATINGS
                        .iter()
                        .map(|r| lang.rating(r.code()).to_string())
                        .collect(),
                    0,
                ),
            ],
        )
    }

    /// The comment on a criterion (`label`) of the sheet, showing the one saved.
    pub fn comment(lang: Lang, app: i64, criterion: &str, label: &str, text: &str) -> Form {
        Form::fields(
            format!("{} · {label}", lang.pick("评语", "Comment")),
            Purpose::Comment {
                app,
                criterion: criterion.to_string(),
            },
            vec![Field::line(
                lang.pick(
                    "评语（Enter 保存，可留空）",
                    "Comment (Enter saves; may be empty)",
                ),
                text,
                false,
            )
            .typed()],
        )
    }

    /// A new value on a submitted sheet, which needs a reason.
    pub fn revise(lang: Lang, app: i64, criterion: &str, label: &str, value: f64) -> Form {
        let note = match lang {
            Lang::Zh => format!("新分数 {}。评分表已提交，修改须写明理由，原分数留痕。", fmt_num(value)),
            Lang::En => format!(
                "New value {}. The sheet is submitted: a change needs a reason, and the earlier value is kept.",
                fmt_num(value)
            ),
        };
        Form::fields(
            format!(
                "{} · {label}",
                lang.pick("修改已提交的评分", "Change a submitted score")
            ),
            Purpose::Revise {
                app,
                criterion: criterion.to_string(),
                value,
            },
            vec![
                Field::note(&note),
                Field::line(
                    lang.pick("理由（必填，Enter 保存）", "Reason (required; Enter saves)"),
                    "",
                    false,
                ),
            ],
        )
    }

    /// A conflict of interest with `name`: for one of `members` (`member` chosen
    /// first), of a kind (`kinds`: the labels of [`CONFLICT_KINDS`]); `choose_member`
    /// puts the cursor on the member (the chair), else on the kind.
    pub fn conflict(
        lang: Lang,
        app: i64,
        name: &str,
        members: Vec<(i64, String)>,
        member: usize,
        kinds: Vec<String>,
        choose_member: bool,
    ) -> Form {
        let (ids, names) = members.into_iter().unzip();
        let mut f = Fields::new(
            format!("{} · {name}", lang.pick("申报回避", "Declare a conflict")),
            Purpose::Conflict { app, members: ids },
            vec![
                Field::choice(
                    lang.pick("评委（←→ 选择）", "Member (← → to choose)"),
                    names,
                    member,
                ),
                Field::choice(
                    lang.pick("回避情形（←→ 选择）", "Kind (← → to choose)"),
                    kinds,
                    0,
                ),
                Field::line(lang.pick("理由（必填）", "Reason (required)"), "", false),
            ],
        );
        f.at = if choose_member { 0 } else { 1 };
        Form::Fields(Box::new(f))
    }

    /// The export form: the formats to choose from.
    pub fn export(lang: Lang, what: ExportWhat, formats: Vec<Format>) -> Form {
        let names = formats
            .iter()
            .map(|f| {
                match f {
                    Format::Html => lang.pick("网页 HTML", "web page (HTML)"),
                    Format::Md => "Markdown",
                    Format::Csv => "CSV",
                    Format::Xlsx => "Excel (.xlsx)",
                    Format::Json => "JSON",
                    Format::Docx => "Word (.docx)",
                }
                .to_string()
            })
            .collect();
        Form::fields(
            lang.pick("导出", "Export").to_string(),
            Purpose::Export { what, formats },
            vec![Field::choice(
                lang.pick("格式（←→ 选择）", "Format (← →)"),
                names,
                0,
            )],
        )
    }

    /// Puts a warning over the form: what changed under it since it opened (said
    /// before it is saved).
    pub fn warn(&mut self, text: String) {
        if let Form::Fields(f) = self {
            f.warn(text);
        }
    }

    /// Whether anything has been typed.
    pub fn is_dirty(&self) -> bool {
        match self {
            Form::Fields(f) => f.is_dirty(),
            Form::Confirm(_) | Form::Discard(_) | Form::Quit(_) => false,
        }
    }

    /// The form's fields (none on a question).
    pub fn as_fields(&self) -> Option<&Fields> {
        match self {
            Form::Fields(f) => Some(f),
            _ => None,
        }
    }

    /// The text field being typed into (`None` on a choice or a question).
    pub fn field_mut(&mut self) -> Option<&mut TextInput> {
        match self {
            Form::Fields(f) => f.text_mut(),
            Form::Confirm(_) | Form::Discard(_) | Form::Quit(_) => None,
        }
    }

    pub fn multiline(&self) -> bool {
        self.as_fields().is_some_and(Fields::multiline)
    }

    /// A text pasted: into the field being edited, whole; never an answer to a
    /// question (a pasted `y` says nothing).
    pub fn paste(&mut self, text: &str, lang: Lang) -> Step {
        match self {
            Form::Fields(f) => match f.paste(text, lang) {
                Ok(()) => Step::Stay,
                Err(e) => Step::Refused(e),
            },
            Form::Confirm(_) | Form::Discard(_) | Form::Quit(_) => Step::Refused(
                lang.pick(
                    "粘贴的内容没有使用：请按 y 或 n 回答",
                    "The pasted text was not used: answer with y or n",
                )
                .to_string(),
            ),
        }
    }

    /// A character typed: into the field being edited, at its cursor, or the answer
    /// to a yes/no question.
    pub fn type_char(&mut self, c: char, lang: Lang) -> Step {
        match self {
            Form::Confirm(confirm) => match c {
                'y' | 'Y' => Step::Done(confirm.effect()),
                'n' | 'N' => Step::Close,
                _ => Step::Stay,
            },
            Form::Discard(inner) => {
                match c {
                    'y' | 'Y' => return Step::Close,
                    'n' | 'N' => *self = (**inner).clone(),
                    _ => {}
                }
                Step::Stay
            }
            Form::Quit(_) => match c {
                'y' | 'Y' => Step::Done(Effect::Quit),
                'n' | 'N' => self.back_from_quit(),
                _ => Step::Stay,
            },
            Form::Fields(f) => match f.type_char(c, lang) {
                Ok(()) => Step::Stay,
                Err(e) => Step::Refused(e),
            },
        }
    }

    /// No to quitting: the form asked over comes back (none: the question closes).
    fn back_from_quit(&mut self) -> Step {
        match self {
            Form::Quit(Some(inner)) => {
                *self = (**inner).clone();
                Step::Stay
            }
            _ => Step::Close,
        }
    }

    /// A cursor move or deletion in the field being edited; on a choice, → chooses
    /// the next option and ← the one before.
    pub fn edit(&mut self, edit: Edit) {
        let Form::Fields(f) = self else {
            return;
        };
        match f.text_mut() {
            Some(field) => {
                field.apply(edit);
            }
            None if edit == Edit::Right => f.choose(1),
            None if edit == Edit::Left => f.choose(-1),
            None => {}
        }
    }

    /// An action on the form (editing keys go to [`Form::edit`]).
    pub fn update(&mut self, action: Action, lang: Lang, today: NaiveDate) -> Step {
        let f = match self {
            Form::Discard(inner) => {
                if action == Action::Back {
                    *self = (**inner).clone();
                }
                return Step::Stay;
            }
            Form::Confirm(_) => {
                return if action == Action::Back {
                    Step::Close
                } else {
                    Step::Stay
                };
            }
            Form::Quit(_) if action == Action::Back => return self.back_from_quit(),
            Form::Quit(_) => return Step::Stay,
            Form::Fields(f) => f,
        };
        match action {
            Action::Back => {
                if f.is_dirty() {
                    *self = Form::Discard(Box::new(self.clone()));
                    Step::Stay
                } else {
                    Step::Close
                }
            }
            Action::LineDown | Action::LineUp => {
                let up = action == Action::LineUp;
                let moved = f
                    .text_mut()
                    .is_some_and(|t| t.as_str().contains('\n') && t.move_line(up));
                if !moved {
                    if up {
                        f.prev()
                    } else {
                        f.next()
                    }
                }
                Step::Stay
            }
            Action::NextField => {
                f.next();
                Step::Stay
            }
            Action::PrevField => {
                f.prev();
                Step::Stay
            }
            Action::Submit if f.multiline() => {
                if let Some(t) = f.text_mut() {
                    t.insert('\n');
                }
                Step::Stay
            }
            Action::Submit if !f.last() => {
                f.next();
                Step::Stay
            }
            Action::Submit | Action::Save => match f.submit(lang, today) {
                Ok(effect) => Step::Done(effect),
                Err(e) if e.is_empty() => Step::Stay,
                Err(e) => Step::Refused(e),
            },
            _ => Step::Stay,
        }
    }

    /// Draws the form over the screen.
    pub fn render(
        &self,
        lang: Lang,
        theme: &Theme,
        keymap: &Keymap,
        frame: &mut Frame,
        area: Rect,
    ) {
        let form = self;
        // The form's lines, and where the cursor is among them.
        let mut body = FormBody::default();
        let field = |body: &mut FormBody, label: String, value: &TextInput, active: bool| {
            let style = if active { theme.input() } else { theme.base() };
            body.lines.push(Line::styled(
                label,
                if active {
                    theme.accent()
                } else {
                    theme.muted()
                },
            ));
            if !active {
                for l in value.split('\n') {
                    body.lines.push(Line::styled(format!(" {l}"), style));
                }
                return;
            }
            // The cursor is drawn between the characters it stands between, on its line.
            let before: Vec<&str> = value.before().split('\n').collect();
            let after: Vec<&str> = value.after().split('\n').collect();
            let (head, tail) = (before.len() - 1, &after[1..]);
            for l in &before[..head] {
                body.lines.push(Line::styled(format!(" {l}"), style));
            }
            let start = format!(" {}", before[head]);
            body.cursor = Some((body.lines.len(), start.width()));
            body.lines
                .push(Line::styled(format!("{start}{CURSOR}{}", after[0]), style));
            for l in tail {
                body.lines.push(Line::styled(format!(" {l}"), style));
            }
        };
        let title = match form {
            Form::Fields(f) => {
                if let Some(w) = &f.warning {
                    body.lines
                        .push(Line::styled(format!("! {w}"), theme.error()));
                }
                for (i, fl) in f.fields.iter().enumerate() {
                    match &fl.kind {
                        Kind::Choice(options) => {
                            body.lines.push(Line::styled(
                                fl.label.clone(),
                                if i == f.at {
                                    theme.accent()
                                } else {
                                    theme.muted()
                                },
                            ));
                            let mut spans = vec![Span::raw(" ")];
                            for (k, o) in options.iter().enumerate() {
                                let st = if k == fl.choice {
                                    theme.selected()
                                } else {
                                    theme.base()
                                };
                                // The chosen option is marked in text too, not by
                                // its colour alone.
                                let shown = if k == fl.choice {
                                    format!("[{o}]")
                                } else {
                                    format!(" {o} ")
                                };
                                spans.push(Span::styled(shown, st));
                                spans.push(Span::raw(" "));
                            }
                            body.lines.push(Line::from(spans));
                        }
                        Kind::Note => body
                            .lines
                            .push(Line::styled(fl.label.clone(), theme.warn())),
                        _ => field(&mut body, fl.label.clone(), &fl.text, i == f.at),
                    }
                }
                f.title.clone()
            }
            Form::Confirm(c) => {
                let (title, text) = c.text(lang);
                body.lines.push(Line::styled(text, theme.base()));
                title
            }
            // The questions about what was typed: their words, and their title.
            Form::Discard(_) | Form::Quit(_) => {
                let (text, title) = match form {
                    Form::Discard(_) => (
                        (
                            "已输入的内容尚未保存。放弃吗？ y 放弃 / n 继续编辑",
                            "What you typed is not saved. Discard it? y = discard / n = keep editing",
                        ),
                        ("放弃输入？", "Discard the entry?"),
                    ),
                    _ => (
                        (
                            "还有输入尚未保存，退出会丢失。退出吗？ y 退出 / n 继续",
                            "Some input is not saved and is lost on quitting. Quit? y = quit / n = go on",
                        ),
                        ("退出？", "Quit?"),
                    ),
                };
                body.lines
                    .push(Line::styled(lang.pick(text.0, text.1), theme.warn()));
                lang.pick(title.0, title.1).to_string()
            }
        };
        let FormBody { mut lines, cursor } = body;
        lines.push(Line::raw(""));
        // Only the keys that do something in this form.
        let keys: &[Action] = match form {
            Form::Fields(f) => f.keys(),
            Form::Confirm(_) | Form::Discard(_) | Form::Quit(_) => &[],
        };
        if let Form::Confirm(_) = form {
            lines.push(Line::styled(
                lang.pick("y 确定    n / Esc 取消", "y = yes    n / Esc = no"),
                theme.accent(),
            ));
        }
        let hint = (!keys.is_empty()).then(|| {
            hints_only(
                keymap,
                Mode::Input,
                None,
                lang,
                theme,
                Some(keys),
                usize::MAX,
            )
        });
        let hint_h = u16::from(hint.is_some());
        // The form leaves the header and the status lines in view; one taller than that
        // scrolls its fields, the key hints staying on its last line.
        let max_h = area.height.saturating_sub(4).max(area.height.min(10));
        let rect = centred(area, 70, max_h);
        let h = (wrapped_height(&lines, rect.width.saturating_sub(2)) + hint_h + 2).min(max_h);
        let rect = centred(area, 70, h);
        clear_popup(frame, rect, area);
        let outer = block(&title, theme, true)
            .border_style(theme.popup_border())
            .style(theme.popup());
        let inner = outer.inner(rect);
        frame.render_widget(outer, rect);
        let body = Rect {
            height: inner.height.saturating_sub(hint_h),
            ..inner
        };
        if let Some(hint) = hint {
            frame.render_widget(
                Paragraph::new(hint),
                Rect {
                    y: body.y + body.height,
                    height: hint_h.min(inner.height),
                    ..inner
                },
            );
        }
        // Scrolled to keep the cursor's row in view.
        let scroll = cursor.map_or(0, |(line, cells)| {
            let width = body.width.max(1);
            let row = wrapped_height(&lines[..line], width) + (cells / usize::from(width)) as u16;
            (row + 1).saturating_sub(body.height)
        });
        frame.render_widget(
            Paragraph::new(lines)
                .wrap(Wrap { trim: false })
                .scroll((scroll, 0)),
            body,
        );
    }
}

/// The lines of a form, and the cursor's line among them with the cells before it.
#[derive(Default)]
struct FormBody {
    lines: Vec<Line<'static>>,
    cursor: Option<(usize, usize)>,
}
