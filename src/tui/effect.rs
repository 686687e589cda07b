//! What a screen asks the runtime to do: writes and loads through the service. Their
//! results come back to the screens as events.

use crate::domain::stage::Transition;
use crate::i18n::Lang;
use crate::service::applications::Rating;
use chrono::NaiveDate;

/// What the runtime must do for the state.
#[derive(Debug, Clone, PartialEq)]
pub enum Effect {
    /// Log in the member with the PIN.
    Login {
        member: i64,
        pin: String,
    },
    /// Reload the counts and the rows of the current stage.
    Reload,
    /// Load the detail of an application.
    LoadDetail(i64),
    Transition {
        app: i64,
        transition: Transition,
    },
    Override {
        app: i64,
        reason: String,
    },
    Score {
        app: i64,
        score: f64,
    },
    Visit {
        app: i64,
        date: NaiveDate,
        visitors: String,
        findings: String,
        rating: Rating,
    },
    /// Load the acting member's sheet for the panel.
    LoadSheet(i64),
    SaveScore {
        app: i64,
        criterion: String,
        value: f64,
    },
    Revise {
        app: i64,
        criterion: String,
        value: f64,
        reason: String,
    },
    Comment {
        app: i64,
        criterion: String,
        text: String,
    },
    /// Submit the sheet, first giving 0 to the criteria listed.
    SubmitSheet {
        app: i64,
        zero: Vec<String>,
    },
    OpenScoring,
    CloseScoring,
    /// Open a person's file.
    OpenFile(i64),
    StartNotice(NaiveDate),
    RecordObjection(crate::service::notice::NewObjection),
    ObjectionStep {
        id: i64,
        step: crate::domain::notice::Step,
    },
    Decide {
        id: i64,
        decision: crate::domain::notice::Decision,
        reason: String,
    },
    CloseNotice(i64),
    Export {
        what: ExportWhat,
        format: crate::service::files::Format,
    },
    Inspection {
        certificate: i64,
        year: i32,
        assessment: crate::domain::Assessment,
        reason: String,
    },
    JobChange(crate::service::certificates::NewJobChange),
    /// Load what a screen shows (see `screens::load`).
    Load(crate::tui::keymap::Screen),
    /// Search the personnel files (on the search thread).
    Search(String),
    /// Reveal the file's ID number, phone and address (audited).
    Reveal(i64),
    /// Reveal an objector's full contact (audited).
    RevealContact(i64),
    Finalise(i64),
    Reopen {
        app: i64,
        reason: String,
    },
    Conflict {
        member: i64,
        app: i64,
        kind: &'static str,
        reason: String,
    },
    /// A step of the review meeting (the chair's).
    Meeting(MeetingStep),
    /// To a candidate's score sheet on stage 5, the list's cursor on them (following
    /// the meeting, or a member looking at another candidate).
    Follow(i64),
    Quit,
}

/// What the chair does in the review meeting.
#[derive(Debug, Clone, PartialEq)]
pub enum MeetingStep {
    Start {
        place: String,
    },
    /// Move to this candidate of the agenda.
    Discuss(i64),
    /// Move a candidate up (-1) or down (+1) the agenda.
    Move {
        app: i64,
        by: i64,
    },
    Discussion,
    Revision,
    Extend,
    End,
}

impl Effect {
    /// The application (the candidate) a write is about, if it is about one.
    pub fn app(&self) -> Option<i64> {
        match self {
            Effect::Transition { app, .. }
            | Effect::Override { app, .. }
            | Effect::Score { app, .. }
            | Effect::Visit { app, .. }
            | Effect::SaveScore { app, .. }
            | Effect::Revise { app, .. }
            | Effect::Comment { app, .. }
            | Effect::SubmitSheet { app, .. }
            | Effect::Reopen { app, .. }
            | Effect::Conflict { app, .. }
            | Effect::Finalise(app) => Some(*app),
            Effect::RecordObjection(o) => Some(o.app_id),
            _ => None,
        }
    }
}

/// The registers of stage 6 as loaded.
#[derive(Debug, Clone, PartialEq)]
pub struct RegisterData {
    pub objections: Vec<crate::service::notice::ObjectionRow>,
    pub certificates: Vec<crate::service::certificates::CertificateRow>,
    pub allowance: Option<crate::service::certificates::AllowanceRoll>,
}

/// The acting member's score sheet for a candidate as loaded.
#[derive(Debug, Clone, PartialEq)]
pub enum SheetData {
    Sheet(crate::service::evaluation::MySheet),
    /// The member is recused from the candidate: why.
    Recused(crate::domain::Recusal),
}

/// The chair's and the secretary's screens of stage 5 as loaded.
#[derive(Debug, Clone, PartialEq)]
pub struct OverviewData {
    /// The scoring session (the stage list shows it too).
    pub session: crate::service::evaluation::Session,
    pub progress: crate::service::evaluation::Progress,
    pub conflicts: Vec<crate::service::evaluation::ConflictRow>,
    pub results: Vec<crate::service::evaluation::ResultRow>,
    pub ranking: Vec<(
        crate::domain::Grade,
        Vec<crate::service::evaluation::RankRow>,
    )>,
}

/// A save of the score sheet that failed.
#[derive(Debug, Clone, PartialEq)]
pub struct SaveFailure {
    /// The save: `SaveScore`, `Revise` or `Comment`.
    pub effect: Effect,
    /// Tries so far.
    pub tries: u32,
    /// The database was held by another connection, so nothing was written.
    pub busy: bool,
    /// The refusal, in the interface language.
    pub error: String,
}

/// A stage as loaded for the list.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ListData {
    pub counts: [usize; 7],
    pub rows: Vec<crate::service::board::AppRow>,
    /// Stage 6: the newest notice (`None` when it was not read).
    pub notice: Option<Option<crate::service::notice::NoticeView>>,
    /// Stage 5: the scoring session and the acting member's own sheets (read only
    /// there), and the chair's board when the member may see it.
    pub session: Option<crate::service::evaluation::Session>,
    pub my_cells: std::collections::HashMap<i64, crate::service::evaluation::Cell>,
    pub progress: Option<crate::service::evaluation::Progress>,
}

/// Which register an export is of.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExportWhat {
    Notice,
    Objections,
    Certificates,
    Allowance(i32),
    /// The minutes of the cycle's latest review meeting, in this language.
    Minutes(crate::i18n::Lang),
}

/// What a write did, as the status line says it.
#[derive(Debug, Clone, PartialEq)]
pub enum Done {
    /// The application now stands at this stage and status.
    Moved(crate::domain::stage::Position),
    Overridden,
    TestScore,
    Visit,
    Score(f64),
    Revised(f64),
    Comment,
    /// A sheet submitted, and the next candidate still to score (if any).
    Submitted {
        name: String,
        next: Option<String>,
    },
    ScoringOpen,
    /// A step of the meeting done.
    Meeting(MeetingStep),
    /// Scoring closed with this many drafts not submitted.
    ScoringClosed {
        drafts: usize,
    },
    Finalised {
        name: String,
        result: f64,
        passed: bool,
    },
    Reopened,
    Conflict,
    /// The notice runs from `first` to `last`; `warning` when it was counted without
    /// a year's holidays.
    NoticeStarted {
        first: chrono::NaiveDate,
        last: chrono::NaiveDate,
        warning: Option<(String, String)>,
    },
    Objection {
        id: i64,
        late: bool,
    },
    ObjectionStep {
        id: i64,
        state: crate::domain::notice::ObjectionState,
    },
    Decided(crate::domain::notice::Decision),
    NoticeClosed {
        certified: usize,
        not_certified: usize,
    },
    Exported(std::path::PathBuf),
    Inspection {
        year: i32,
        outcome: crate::domain::certificate::InspectionOutcome,
    },
    JobChange {
        left_party_work: bool,
    },
}

impl Done {
    /// The status line's words, in `lang`, naming the candidate `name` the write was
    /// about (when the words do not already).
    pub fn text_about(&self, lang: Lang, name: Option<&str>) -> String {
        let text = self.text(lang);
        match name {
            Some(n) if !n.is_empty() && !text.contains(n) => match lang {
                Lang::Zh => format!("{n}：{text}"),
                Lang::En => format!("{n}: {text}"),
            },
            _ => text,
        }
    }

    /// The status line's words, in `lang`.
    pub fn text(&self, lang: Lang) -> String {
        use crate::domain::eligibility::fmt_num;
        let zh = lang == Lang::Zh;
        let pick = |z: String, e: String| if zh { z } else { e };
        match self {
            Done::Moved(p) => pick(
                format!("已办理：{} · {}", p.stage.zh(), p.status.zh()),
                format!("Done: now {} · {}", p.stage.en(), lang.status(p.status)),
            ),
            Done::Overridden => lang
                .pick(
                    "已记录破格理由，可按 a 通过",
                    "Override recorded; press a to pass",
                )
                .into(),
            Done::TestScore => lang.pick("成绩已保存", "Score saved").into(),
            Done::Visit => lang.pick("走访记录已保存", "Visit recorded").into(),
            Done::Score(v) => pick(
                format!("已保存 {}", fmt_num(*v)),
                format!("Saved {}", fmt_num(*v)),
            ),
            Done::Revised(v) => pick(
                format!("已修改为 {}，原分数与理由已留痕", fmt_num(*v)),
                format!(
                    "Changed to {}; the earlier value and the reason are kept",
                    fmt_num(*v)
                ),
            ),
            Done::Comment => lang.pick("评语已保存", "Comment saved").into(),
            Done::Submitted {
                name,
                next: Some(next),
            } => pick(
                format!("已提交 {name} 的评分表；下一位：{next}"),
                format!("Submitted the sheet for {name}; next: {next}"),
            ),
            Done::Submitted { name, next: None } => pick(
                format!("已提交 {name} 的评分表；名单中已没有待评的候选人"),
                format!("Submitted the sheet for {name}; nobody in the list is left to score"),
            ),
            Done::ScoringOpen => lang.pick("已开始评分", "Scoring is open").into(),
            Done::Meeting(step) => match step {
                MeetingStep::Start { .. } => lang
                    .pick(
                        "评审会已开始：选定候选人后按 Enter 开始讨论",
                        "The meeting has begun: select a candidate and press Enter",
                    )
                    .into(),
                MeetingStep::Discuss(_) => lang
                    .pick("已转到该候选人，委员终端随之切换", "Moved on; members' screens follow")
                    .into(),
                MeetingStep::Move { .. } => lang.pick("议程顺序已调整", "The agenda is reordered").into(),
                MeetingStep::Discussion => lang.pick("已开始讨论", "The discussion is open").into(),
                MeetingStep::Revision => lang
                    .pick(
                        "修改轮已开启：委员可修改已提交的评分（须写明理由）",
                        "The revision round is open: members may change submitted sheets, with a reason",
                    )
                    .into(),
                MeetingStep::Extend => lang.pick("本位候选人的时间已延长", "The turn is extended").into(),
                MeetingStep::End => lang.pick("评审会已结束", "The meeting has ended").into(),
            },
            Done::ScoringClosed { drafts } => pick(
                format!("评分已结束；{drafts} 份草稿未提交，不计入结果"),
                format!("Scoring is closed; {drafts} draft(s) not submitted do not count"),
            ),
            Done::Finalised {
                name,
                result,
                passed: true,
            } => pick(
                format!("{name} 结果 {}，达到分数线，进入结果公示", fmt_num(*result)),
                format!(
                    "{name}: {}, passes; moved to the public notice",
                    fmt_num(*result)
                ),
            ),
            Done::Finalised {
                name,
                result,
                passed: false,
            } => pick(
                format!("{name} 结果 {}，未达到分数线，不予认证", fmt_num(*result)),
                format!(
                    "{name}: {}, below the threshold; not certified",
                    fmt_num(*result)
                ),
            ),
            Done::Reopened => lang
                .pick(
                    "已重新评定：候选人回到综合评定环节",
                    "Reopened: the candidate is back in evaluation",
                )
                .into(),
            Done::Conflict => lang.pick("已申报回避", "Conflict declared").into(),
            Done::NoticeStarted {
                first,
                last,
                warning,
            } => {
                let (wzh, wen) = warning.as_ref().map_or_else(Default::default, |(zh, en)| {
                    (format!("（{zh}）"), format!(" ({en})"))
                });
                pick(
                    format!("公示已开始：{first} 至 {last}{wzh}"),
                    format!("The notice runs from {first} to {last}{wen}"),
                )
            }
            Done::Objection { id, late } => pick(
                format!(
                    "已登记第 {id} 号异议{}",
                    if *late {
                        "（公示期满后收到，已标记）"
                    } else {
                        ""
                    }
                ),
                format!(
                    "Objection {id} recorded{}",
                    if *late {
                        " (after the period: flagged late)"
                    } else {
                        ""
                    }
                ),
            ),
            Done::ObjectionStep { id, state } => pick(
                format!("第 {id} 号异议：{}", state.zh()),
                format!("Objection {id}: {}", state.code()),
            ),
            Done::Decided(d) => pick(
                format!("已作出决定：{}", d.zh()),
                format!("Decided: {}", d.code()),
            ),
            Done::NoticeClosed {
                certified,
                not_certified,
            } => pick(
                format!("公示已结束：{certified} 人获颁证书，{not_certified} 人未予认证"),
                format!("Notice closed: {certified} certified, {not_certified} not certified"),
            ),
            Done::Exported(path) => pick(
                format!("已导出：{}", path.display()),
                format!("Exported: {}", path.display()),
            ),
            Done::Inspection { year, outcome } => pick(
                format!("{year} 年检：{}", outcome.zh()),
                format!("Inspection {year}: {}", outcome.code()),
            ),
            Done::JobChange { left_party_work } => pick(
                if *left_party_work {
                    "职务变动已登记：已离开党务岗位，证书待复核".into()
                } else {
                    "职务变动已登记".into()
                },
                "Job change recorded".into(),
            ),
        }
    }
}
