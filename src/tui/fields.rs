//! Forms made of fields (lines of text, several lines, a choice), for the notice,
//! objections and the certificate register: one way to type, move between fields,
//! choose, check and submit them.

use super::app::Effect;
use super::i18n::Lang;
use super::text_input::TextInput;
use crate::domain::notice::{Channel, Decision, Step};
use crate::domain::{Assessment, Grade};
use crate::service::certificates::NewJobChange;
use crate::service::notice::{NewObjection, Objector};
use chrono::{NaiveDate, NaiveDateTime};

/// What a field holds.
#[derive(Debug, Clone, PartialEq)]
pub enum Kind {
    /// One line of text.
    Line,
    /// Several lines (Enter starts a new line).
    Lines,
    /// One of the options (← → choose).
    Choice(Vec<String>),
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
}

/// Which register an export is of.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExportWhat {
    Notice,
    Objections,
    Certificates,
    Allowance(i32),
}

/// What a submitted form does.
#[derive(Debug, Clone, PartialEq)]
pub enum Purpose {
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
}

impl Fields {
    pub fn is_dirty(&self) -> bool {
        self.fields.iter().any(|f| f.text != f.initial)
    }

    pub fn text_mut(&mut self) -> Option<&mut TextInput> {
        let f = self.fields.get_mut(self.at)?;
        match f.kind {
            Kind::Line | Kind::Lines => Some(&mut f.text),
            Kind::Choice(_) => None,
        }
    }

    pub fn multiline(&self) -> bool {
        self.fields
            .get(self.at)
            .is_some_and(|f| f.kind == Kind::Lines)
    }

    pub fn next(&mut self) {
        self.at = (self.at + 1) % self.fields.len();
    }

    pub fn prev(&mut self) {
        self.at = (self.at + self.fields.len() - 1) % self.fields.len();
    }

    pub fn last(&self) -> bool {
        self.at + 1 == self.fields.len()
    }

    /// The next (`step` 1) or previous (-1) option of the current choice.
    pub fn choose(&mut self, step: isize) {
        if let Some(f) = self.fields.get_mut(self.at) {
            if let Kind::Choice(options) = &f.kind {
                f.choice = super::app::step_choice(f.choice, step, options.len());
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

/// The grades below `g`, highest first.
pub fn lower_grades(g: Grade) -> Vec<Grade> {
    Grade::ALL
        .iter()
        .rev()
        .copied()
        .filter(|x| *x < g)
        .collect()
}
