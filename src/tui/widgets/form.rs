//! The one form system: a form over a screen and the yes/no questions.

use super::super::i18n::Lang;
use super::super::text_input::TextInput;
use super::fields::{ExportWhat, Field, Fields, Purpose};
use crate::cli::files::Format;
use crate::service::applications::Rating;

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
}

/// A form over the table.
#[derive(Debug, Clone, PartialEq)]
pub enum Form {
    Reason {
        app: i64,
        name: String,
        what: ReasonFor,
        text: TextInput,
    },
    Score {
        app: i64,
        name: String,
        text: TextInput,
        max: f64,
        pass_mark: f64,
    },
    Visit {
        app: i64,
        name: String,
        date: TextInput,
        visitors: TextInput,
        findings: TextInput,
        rating: usize,
        field: usize,
    },
    /// The comment on one criterion of the score sheet.
    Comment {
        app: i64,
        criterion: String,
        label: String,
        text: TextInput,
    },
    /// A new value on a submitted sheet: needs a reason.
    Revise {
        app: i64,
        criterion: String,
        label: String,
        value: f64,
        text: TextInput,
    },
    /// Declare a conflict of interest with the candidate.
    Conflict {
        app: i64,
        name: String,
        /// Whom for: the member themself, or (for the chair) any scorer.
        members: Vec<(i64, String)>,
        member: usize,
        kind: usize,
        reason: TextInput,
        field: usize,
    },
    /// A yes/no question before a step that matters.
    Confirm(Confirm),
    /// A form of fields (the notice, objections, certificates).
    Fields(Box<Fields>),
    /// Discard a half-typed form?
    Discard(Box<Form>),
}

/// Steps confirmed with y / n.
#[derive(Debug, Clone, PartialEq)]
pub enum Confirm {
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
}

/// Conflict kinds a member may declare (the same organisation is found by itself).
pub const CONFLICT_KINDS: [&str; 3] = ["relative", "worked_there", "other"];

pub const RATINGS: [Rating; 3] = [
    Rating::Satisfied,
    Rating::BasicallySatisfied,
    Rating::Unsatisfied,
];

impl Form {
    /// Whether anything has been typed.
    pub fn is_dirty(&self) -> bool {
        match self {
            Form::Reason { text, .. } | Form::Score { text, .. } => !text.trim().is_empty(),
            Form::Visit {
                visitors, findings, ..
            } => !visitors.trim().is_empty() || !findings.trim().is_empty(),
            Form::Comment { text, .. } | Form::Revise { text, .. } => !text.trim().is_empty(),
            Form::Conflict { reason, .. } => !reason.trim().is_empty(),
            Form::Fields(f) => f.is_dirty(),
            Form::Confirm(_) | Form::Discard(_) => false,
        }
    }

    /// The text field being typed into (`None` on a choice).
    pub fn field_mut(&mut self) -> Option<&mut TextInput> {
        match self {
            Form::Reason { text, .. } | Form::Score { text, .. } => Some(text),
            Form::Visit {
                date,
                visitors,
                findings,
                field,
                ..
            } => match field {
                0 => Some(date),
                1 => Some(visitors),
                2 => Some(findings),
                _ => None,
            },
            Form::Comment { text, .. } | Form::Revise { text, .. } => Some(text),
            Form::Conflict { reason, field, .. } => (*field == 2).then_some(reason),
            Form::Fields(f) => f.text_mut(),
            Form::Confirm(_) | Form::Discard(_) => None,
        }
    }

    pub fn multiline(&self) -> bool {
        match self {
            Form::Fields(f) => f.multiline(),
            _ => matches!(self, Form::Reason { .. } | Form::Visit { field: 2, .. }),
        }
    }
}

/// The option `step` places after (or, negative, before) the current one of `n`,
/// going round.
pub fn step_choice(current: usize, step: isize, n: usize) -> usize {
    let n = n.max(1) as isize;
    (current as isize + step).rem_euclid(n) as usize
}

impl Form {
    /// A form of fields.
    pub fn fields(title: String, purpose: Purpose, fields: Vec<Field>) -> Form {
        Form::Fields(Box::new(Fields {
            title,
            purpose,
            fields,
            at: 0,
        }))
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
}
