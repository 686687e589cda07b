//! Forms made of fields (lines of text, several lines, a number, a choice, a note):
//! every form of the app, one way to type, move between fields, choose, check and
//! submit them.

use super::super::effect::{Effect, ExportWhat};
use super::super::keymap::Action;
use super::super::text_input::TextInput;
use crate::domain::notice::{Channel, Decision, Step};
use crate::domain::stage::Transition;
use crate::domain::{Assessment, Grade};
use crate::i18n::Lang;
use crate::service::applications::Rating;
use crate::service::certificates::NewJobChange;
use crate::service::notice::{NewObjection, Objector};
use chrono::{NaiveDate, NaiveDateTime};

/// Which decision a reason form is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReasonFor {
    Return,
    Reject,
    Fail,
    Override,
    Withdraw,
    Reopen,
    /// The objector withdraws an objection (`app` holds the objection's id).
    WithdrawObjection,
}

impl ReasonFor {
    pub fn title(self, lang: Lang) -> &'static str {
        match self {
            ReasonFor::Return => lang.pick("退回补正", "Return for correction"),
            ReasonFor::Reject => lang.pick("不予通过", "Reject"),
            ReasonFor::Fail => lang.pick("测试不合格", "Record a failed test"),
            ReasonFor::Override => lang.pick("破格通过", "Override failing checks"),
            ReasonFor::Withdraw => lang.pick("本人撤回", "Withdrawn by the applicant"),
            ReasonFor::Reopen => lang.pick("重新评定", "Reopen the result"),
            ReasonFor::WithdrawObjection => lang.pick("异议撤回", "Objection withdrawn"),
        }
    }

    /// The effect of the decision with its reason.
    pub fn effect(self, app: i64, reason: String) -> Effect {
        let transition = |transition| Effect::Transition { app, transition };
        match self {
            ReasonFor::Override => Effect::Override { app, reason },
            ReasonFor::Return => transition(Transition::Return { reason }),
            ReasonFor::Reject => transition(Transition::Reject { reason }),
            ReasonFor::Fail => transition(Transition::Fail { reason }),
            ReasonFor::Withdraw => transition(Transition::Withdraw { reason }),
            ReasonFor::Reopen => Effect::Reopen { app, reason },
            ReasonFor::WithdrawObjection => Effect::ObjectionStep {
                id: app,
                step: crate::domain::notice::Step::Withdraw { note: reason },
            },
        }
    }
}

/// Conflict kinds a member may declare (the same organisation is found by itself).
pub const CONFLICT_KINDS: [&str; 3] = ["relative", "worked_there", "other"];

pub const RATINGS: [Rating; 3] = [
    Rating::Satisfied,
    Rating::BasicallySatisfied,
    Rating::Unsatisfied,
];

/// The option `step` places after (or, negative, before) the current one of `n`,
/// going round.
pub fn step_choice(current: usize, step: isize, n: usize) -> usize {
    let n = n.max(1) as isize;
    (current as isize + step).rem_euclid(n) as usize
}

/// What a field holds.
#[derive(Debug, Clone, PartialEq)]
pub enum Kind {
    /// One line of text.
    Line,
    /// Several lines (Enter starts a new line).
    Lines,
    /// One of the options (← → choose).
    Choice(Vec<String>),
    /// A number: only digits and one decimal point can be typed.
    Number,
    /// A line to read (a warning), not a field to fill in.
    Note,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Field {
    pub label: String,
    pub kind: Kind,
    pub text: TextInput,
    pub choice: usize,
    pub required: bool,
    /// The text the field started with, to tell whether anything was typed.
    pub initial: String,
}

impl Field {
    pub fn line(label: &str, text: &str, required: bool) -> Field {
        Field {
            label: label.to_string(),
            kind: Kind::Line,
            text: text.into(),
            choice: 0,
            required,
            initial: text.to_string(),
        }
    }
    pub fn lines(label: &str, required: bool) -> Field {
        Field {
            kind: Kind::Lines,
            ..Field::line(label, "", required)
        }
    }
    pub fn choice(label: &str, options: Vec<String>, chosen: usize) -> Field {
        Field {
            kind: Kind::Choice(options),
            choice: chosen,
            ..Field::line(label, "", false)
        }
    }
    /// A number field showing `text` (a value already recorded).
    pub fn number(label: &str, text: &str) -> Field {
        Field {
            kind: Kind::Number,
            ..Field::line(label, text, false)
        }
    }
    /// A warning line above the fields.
    pub fn note(text: &str) -> Field {
        Field {
            kind: Kind::Note,
            ..Field::line(text, "", false)
        }
    }
    /// The field counts as typed in whenever it holds text, even text it was opened
    /// with (a score or a comment recorded before).
    pub fn typed(mut self) -> Field {
        self.initial.clear();
        self
    }

    /// Whether the cursor can stand on the field.
    fn editable(&self) -> bool {
        self.kind != Kind::Note
    }
}

/// What a submitted form does.
#[derive(Debug, Clone, PartialEq)]
pub enum Purpose {
    /// Start the review meeting: where it meets.
    StartMeeting,
    /// A decision that needs a reason (return, reject, a failed test…).
    Reason {
        app: i64,
        what: ReasonFor,
    },
    /// The training-test score, up to `max`.
    Score {
        app: i64,
        max: f64,
    },
    /// A site visit: date, visitors, findings and rating.
    Visit {
        app: i64,
    },
    /// The comment on one criterion of the score sheet.
    Comment {
        app: i64,
        criterion: String,
    },
    /// A new value on a submitted sheet, with its reason.
    Revise {
        app: i64,
        criterion: String,
        value: f64,
    },
    /// A conflict of interest: for which member (the chair may choose any scorer), of
    /// which kind, and why.
    Conflict {
        app: i64,
        members: Vec<i64>,
    },
    StartNotice,
    Objection {
        app: i64,
        /// The rules' criterion keys, in the order of the choice after 无.
        criteria: Vec<String>,
    },
    Verdict {
        objection: i64,
        uphold: bool,
    },
    Decide {
        objection: i64,
        /// The choices: not certified, then the lower grades.
        options: Vec<Decision>,
    },
    Export {
        what: ExportWhat,
        formats: Vec<crate::service::files::Format>,
    },
    Inspection {
        certificate: i64,
    },
    JobChange {
        person: i64,
    },
}

/// A form of fields.
#[derive(Debug, Clone, PartialEq)]
pub struct Fields {
    pub title: String,
    pub purpose: Purpose,
    pub fields: Vec<Field>,
    /// The field being edited.
    pub at: usize,
    /// What changed under the form since it opened (another terminal's work), said
    /// above its fields until it is saved or closed.
    pub warning: Option<String>,
}

impl Fields {
    /// A form of `fields` with the cursor on the first that can be filled in.
    pub fn new(title: String, purpose: Purpose, fields: Vec<Field>) -> Fields {
        let at = fields.iter().position(Field::editable).unwrap_or(0);
        Fields {
            title,
            purpose,
            fields,
            at,
            warning: None,
        }
    }

    /// The application (the candidate) the form is about, if it is about one.
    pub fn app(&self) -> Option<i64> {
        match &self.purpose {
            Purpose::Reason {
                what: ReasonFor::WithdrawObjection,
                ..
            } => None,
            Purpose::Reason { app, .. }
            | Purpose::Score { app, .. }
            | Purpose::Visit { app }
            | Purpose::Comment { app, .. }
            | Purpose::Revise { app, .. }
            | Purpose::Conflict { app, .. }
            | Purpose::Objection { app, .. } => Some(*app),
            _ => None,
        }
    }

    /// A warning over the form: what changed under it since it opened.
    pub fn warn(&mut self, text: String) {
        self.warning = Some(text);
    }

    pub fn is_dirty(&self) -> bool {
        self.fields
            .iter()
            .any(|f| f.text.trim() != f.initial.trim())
    }

    pub fn text_mut(&mut self) -> Option<&mut TextInput> {
        let f = self.fields.get_mut(self.at)?;
        match f.kind {
            Kind::Line | Kind::Lines | Kind::Number => Some(&mut f.text),
            Kind::Choice(_) | Kind::Note => None,
        }
    }

    /// A character typed into the field under the cursor, at its cursor. A number
    /// field takes digits (full-width ones as digits) and one decimal point, and
    /// refuses anything else with the reason, in `lang`.
    pub fn type_char(&mut self, c: char, lang: Lang) -> Result<(), String> {
        let number = self
            .fields
            .get(self.at)
            .is_some_and(|f| f.kind == Kind::Number);
        let c = if number {
            let text = self.fields[self.at].text.as_str();
            number_text(text, &c.to_string(), lang)?
                .chars()
                .next()
                .unwrap_or(c)
        } else {
            c
        };
        if let Some(field) = self.text_mut() {
            field.insert(c);
        }
        Ok(())
    }

    /// A text pasted into the field under the cursor: all of it at once, at its
    /// cursor, none of it run as keys. A field of one line takes its line breaks as
    /// spaces; a number field takes it only when it makes a number; a choice takes
    /// nothing (the reason comes back, in `lang`).
    pub fn paste(&mut self, text: &str, lang: Lang) -> Result<(), String> {
        let Some(f) = self.fields.get(self.at) else {
            return Ok(());
        };
        let text = match f.kind {
            Kind::Number => number_text(f.text.as_str(), text.trim(), lang)?,
            Kind::Lines => crate::text::pasted(text, true),
            Kind::Line => crate::text::pasted(text, false),
            Kind::Choice(_) | Kind::Note => {
                return Err(lang
                    .pick(
                        "这里是选项，不能粘贴文字：用 ←→ 选择",
                        "This is a choice, not a text: choose with ← →",
                    )
                    .to_string())
            }
        };
        if let Some(field) = self.text_mut() {
            field.insert_str(&text);
        }
        Ok(())
    }

    /// The keys the form's hint line shows.
    pub fn keys(&self) -> &'static [Action] {
        match self.purpose {
            Purpose::Reason { .. } => &[Action::Save, Action::Back],
            Purpose::Score { .. } | Purpose::Comment { .. } | Purpose::Revise { .. } => {
                &[Action::Submit, Action::Back]
            }
            Purpose::Conflict { .. } => &[Action::NextField, Action::Submit, Action::Back],
            _ => &[Action::NextField, Action::Save, Action::Back],
        }
    }

    pub fn multiline(&self) -> bool {
        self.fields
            .get(self.at)
            .is_some_and(|f| f.kind == Kind::Lines)
    }

    /// The cursor to the next field that can be filled in (round to the first).
    pub fn next(&mut self) {
        self.step(1);
    }

    pub fn prev(&mut self) {
        self.step(-1);
    }

    fn step(&mut self, by: isize) {
        let n = self.fields.len();
        for _ in 0..n {
            self.at = step_choice(self.at, by, n);
            if self.fields[self.at].editable() {
                return;
            }
        }
    }

    pub fn last(&self) -> bool {
        self.at + 1 == self.fields.len()
    }

    /// The next (`step` 1) or previous (-1) option of the current choice.
    pub fn choose(&mut self, step: isize) {
        if let Some(f) = self.fields.get_mut(self.at) {
            if let Kind::Choice(options) = &f.kind {
                f.choice = step_choice(f.choice, step, options.len());
            }
        }
    }

    fn text(&self, i: usize) -> String {
        self.fields
            .get(i)
            .map(|f| f.text.trim().to_string())
            .unwrap_or_default()
    }

    fn chosen(&self, i: usize) -> usize {
        self.fields.get(i).map_or(0, |f| f.choice)
    }

    /// Checks the fields and makes the effect, or says what is wrong (in the screen's
    /// language).
    pub fn submit(&self, lang: Lang, today: NaiveDate) -> Result<Effect, String> {
        let say = |zh: &str, en: &str| Err(lang.pick(zh, en).to_string());
        if let Some(f) = self
            .fields
            .iter()
            .find(|f| f.required && f.text.trim().is_empty())
        {
            return Err(match lang {
                Lang::Zh => format!("请填写：{}", f.label),
                Lang::En => format!("Fill in: {}", f.label),
            });
        }
        let date = |i: usize| -> Result<NaiveDate, String> {
            crate::domain::ids::parse_date(&self.text(i)).map_err(|_| match lang {
                Lang::Zh => format!("{}不是日期（例：2026-11-26）", self.fields[i].label),
                Lang::En => format!("{} is not a date (e.g. 2026-11-26)", self.fields[i].label),
            })
        };
        Ok(match &self.purpose {
            Purpose::StartMeeting => Effect::Meeting(super::super::effect::MeetingStep::Start {
                place: self.text(0),
            }),
            Purpose::Reason { app, what } => {
                let reason = self.text(0);
                if reason.is_empty() {
                    return say("必须写明理由", "A reason is required");
                }
                what.effect(*app, reason)
            }
            Purpose::Score { app, max } => match self.text(0).parse::<f64>() {
                Ok(s) if (0.0..=*max).contains(&s) => Effect::Score {
                    app: *app,
                    score: s,
                },
                _ => {
                    return Err(match lang {
                        Lang::Zh => format!("成绩须为 0 到 {max} 之间的数"),
                        Lang::En => format!("The score must be a number from 0 to {max}"),
                    })
                }
            },
            Purpose::Visit { app } => {
                let Ok(d) = crate::domain::ids::parse_date(&self.text(0)) else {
                    return say(
                        "走访日期无效（格式 2026-11-20）",
                        "The visit date is not a date (e.g. 2026-11-20)",
                    );
                };
                if d > today {
                    return say(
                        "走访日期不能晚于今天",
                        "The visit date cannot be in the future",
                    );
                }
                let (visitors, findings) = (self.text(1), self.text(2));
                if visitors.is_empty() || findings.is_empty() {
                    return say(
                        "请填写走访人员和走访情况",
                        "Fill in the visitors and the findings",
                    );
                }
                Effect::Visit {
                    app: *app,
                    date: d,
                    visitors,
                    findings,
                    rating: RATINGS[self.chosen(3) % RATINGS.len()],
                }
            }
            Purpose::Comment { app, criterion } => Effect::Comment {
                app: *app,
                criterion: criterion.clone(),
                text: self.text(0),
            },
            Purpose::Revise {
                app,
                criterion,
                value,
            } => {
                let reason = self.text(1);
                if reason.is_empty() {
                    return say(
                        "修改已提交的评分须写明理由",
                        "Changing a submitted sheet needs a reason",
                    );
                }
                Effect::Revise {
                    app: *app,
                    criterion: criterion.clone(),
                    value: *value,
                    reason,
                }
            }
            Purpose::Conflict { app, members } => {
                let reason = self.text(2);
                if reason.is_empty() {
                    return say("必须写明回避理由", "A conflict needs a reason");
                }
                let Some(member) = members.get(self.chosen(0)) else {
                    return Err(String::new());
                };
                let kinds = CONFLICT_KINDS;
                Effect::Conflict {
                    member: *member,
                    app: *app,
                    kind: kinds[self.chosen(1) % kinds.len()],
                    reason,
                }
            }
            Purpose::StartNotice => Effect::StartNotice(date(0)?),
            Purpose::Objection { app, criteria } => {
                let text = self.text(0);
                let received = NaiveDateTime::parse_from_str(&text, "%Y-%m-%d %H:%M")
                    .or_else(|_| date(0).map(|d| d.and_hms_opt(0, 0, 0).unwrap_or_default()))
                    .map_err(|_| match lang {
                        Lang::Zh => "收到时间格式为 2026-11-26 10:30".to_string(),
                        Lang::En => "The time received is like 2026-11-26 10:30".to_string(),
                    })?;
                let name = self.text(2);
                let objector = (!name.is_empty()).then(|| Objector {
                    name,
                    contact: self.text(3),
                });
                Effect::RecordObjection(NewObjection {
                    app_id: *app,
                    received_at: received,
                    channel: Channel::ALL[self.chosen(1) % Channel::ALL.len()],
                    objector,
                    content: self.text(4),
                    criterion: self
                        .chosen(5)
                        .checked_sub(1)
                        .and_then(|i| criteria.get(i).cloned()),
                })
            }
            Purpose::Verdict { objection, uphold } => {
                let (findings, verified_by) = (self.text(0), self.text(1));
                Effect::ObjectionStep {
                    id: *objection,
                    step: if *uphold {
                        Step::Uphold {
                            findings,
                            verified_by,
                        }
                    } else {
                        Step::Dismiss {
                            findings,
                            verified_by,
                        }
                    },
                }
            }
            Purpose::Decide { objection, options } => Effect::Decide {
                id: *objection,
                decision: options[self.chosen(0) % options.len().max(1)],
                reason: self.text(1),
            },
            Purpose::Export { what, formats } => Effect::Export {
                what: *what,
                format: formats[self.chosen(0) % formats.len().max(1)],
            },
            Purpose::Inspection { certificate } => {
                let year: i32 = self.text(0).parse().map_err(|_| match lang {
                    Lang::Zh => "年度须为四位数字，例如 2025".to_string(),
                    Lang::En => "The year is four digits, e.g. 2025".to_string(),
                })?;
                Effect::Inspection {
                    certificate: *certificate,
                    year,
                    assessment: Assessment::ALL[self.chosen(1) % Assessment::ALL.len()],
                    reason: self.text(2),
                }
            }
            Purpose::JobChange { person } => {
                let change = date(0)?;
                let filed = date(1)?;
                if filed > today || change > today {
                    return Err(lang
                        .pick("日期不能晚于今天", "The dates cannot be in the future")
                        .to_string());
                }
                Effect::JobChange(NewJobChange {
                    person_id: *person,
                    change_date: change,
                    filed_on: filed,
                    new_organisation: self.text(2),
                    new_position: self.text(3),
                    left_party_work: self.chosen(4) == 1,
                })
            }
        })
    }
}

/// What `added` (typed or pasted) puts into a number that holds `held`: its digits
/// and decimal point in ASCII (full-width ones taken as digits); refused, saying why
/// in `lang`, when a character cannot be part of a number or a second decimal point
/// would make it `1.2.3`.
pub fn number_text(held: &str, added: &str, lang: Lang) -> Result<String, String> {
    let mut points = held.matches('.').count();
    let mut out = String::with_capacity(added.len());
    for c in added.chars() {
        let Some(d) = crate::text::number_char(c) else {
            return Err(match lang {
                Lang::Zh => format!("“{c}”不是数字：这里只能输入数字和一个小数点"),
                Lang::En => {
                    format!("“{c}” is not a digit: a number takes digits and one decimal point")
                }
            });
        };
        if d == '.' {
            points += 1;
            if points > 1 {
                return Err(lang
                    .pick(
                        "一个数只能有一个小数点",
                        "A number has one decimal point at most",
                    )
                    .to_string());
            }
        }
        out.push(d);
    }
    Ok(out)
}

/// The grades below `g`, highest first.
pub fn lower_grades(g: Grade) -> Vec<Grade> {
    Grade::ALL
        .iter()
        .rev()
        .copied()
        .filter(|x| *x < g)
        .collect()
}
