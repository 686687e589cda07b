//! Why the service refused: typed errors carrying the deed, the rule and the data,
//! each rendering itself in Chinese ([`ServiceError::zh`]) and in English
//! ([`ServiceError::en`], also its `Display`).

use super::import::ImportError;
use crate::domain::certificate::CertificateError;
use crate::domain::notice::NoticeError;
use crate::domain::pubkey::KeyError;
use crate::domain::rules::RuleProblem;
use crate::domain::stage::{Position, TransitionError};
use crate::domain::workdays::CalendarError;
use crate::domain::{Deed, Recusal, Role, Stage};
use crate::store::StoreError;
use chrono::NaiveDate;
use thiserror::Error;

/// How to list the members' keys, in both languages' refusals.
pub const KEY_LIST: &str = "pingshen member key list";

/// How to open a cycle, in both languages' refusals.
pub const CYCLE_NEW: &str = "pingshen cycle new --rules FILE --year YEAR";
const CYCLE_NEW_ZH: &str = "pingshen cycle new --rules 规则文件 --year 年度";

#[derive(Debug, Error)]
pub enum ServiceError {
    /// The acting member's role may not do the deed.
    #[error("not allowed: {} may not {}", who(.role), .deed.en())]
    Forbidden { role: Role, deed: Deed },
    /// The deed takes a committee member logged in; the operator of a command is not.
    #[error("not allowed: only {}, logged in, may {}", roles_en(.deed), .deed.en())]
    NotLoggedIn { deed: Deed },
    /// The acting member must recuse from the candidate of application `app`.
    #[error("not allowed: recused: {}", .why.en())]
    Recused { app: i64, why: Recusal },
    /// The scores of application `app` stay inside until its result is final.
    #[error("not allowed: the scores of application #{app} cannot be taken out before its result is final, whether scoring is open or closed")]
    ScoresSealed { app: i64 },
    #[error("not allowed: wrong PIN")]
    WrongPin,
    /// Too many wrong PINs: the member may try again after the time given (HH:MM:SS).
    #[error("too many wrong PINs: locked until {0}")]
    Locked(String),
    #[error("not found: {}", .0.en())]
    NotFound(Missing),
    /// Nothing can be reviewed before a certification cycle is opened.
    #[error("no open certification cycle: create one with `{CYCLE_NEW}`")]
    NoOpenCycle,
    /// A rule of the service refused what was asked.
    #[error("{0}")]
    Invalid(Refusal),
    #[error("refused: {0}")]
    Transition(#[from] TransitionError),
    #[error("refused: {0}")]
    Notice(#[from] NoticeError),
    #[error("refused: {0}")]
    Certificate(#[from] CertificateError),
    #[error("{0}")]
    Calendar(#[from] CalendarError),
    #[error("import refused, the database is unchanged:\n{0}")]
    Import(ImportError),
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<Refusal> for ServiceError {
    fn from(r: Refusal) -> Self {
        ServiceError::Invalid(r)
    }
}

impl From<Missing> for ServiceError {
    fn from(m: Missing) -> Self {
        ServiceError::NotFound(m)
    }
}

impl From<rusqlite::Error> for ServiceError {
    fn from(e: rusqlite::Error) -> Self {
        ServiceError::Store(StoreError::Sqlite(e))
    }
}

impl ServiceError {
    /// The refusal in English (its `Display`).
    pub fn en(&self) -> String {
        self.to_string()
    }

    /// The refusal in Chinese.
    pub fn zh(&self) -> String {
        match self {
            ServiceError::Forbidden { role, deed } => format!(
                "无权操作：{}不能{}（限{}）",
                role.zh(),
                deed.zh(),
                roles_zh(*deed, "、")
            ),
            ServiceError::NotLoggedIn { deed } => {
                format!("须以{}身份登录才能{}", roles_zh(*deed, "或"), deed.zh())
            }
            ServiceError::Recused { why, .. } => why.zh(),
            ServiceError::ScoresSealed { app } => {
                format!("申请 #{app} 的评分在结果确定之前不能导出，无论评分是否结束")
            }
            ServiceError::WrongPin => "口令错误".into(),
            ServiceError::Locked(until) => format!("口令连续错误三次，已锁定至 {until}"),
            ServiceError::NotFound(m) => m.zh(),
            ServiceError::NoOpenCycle => {
                format!("还没有进行中的认证年度：先用 {CYCLE_NEW_ZH} 新建")
            }
            ServiceError::Invalid(r) => r.zh(),
            ServiceError::Transition(e) => e.zh(),
            ServiceError::Notice(e) => e.zh(),
            ServiceError::Certificate(e) => e.zh(),
            ServiceError::Calendar(e) => e.zh(),
            ServiceError::Import(e) => format!("导入被拒绝，数据库未作改动：\n{}", e.zh()),
            ServiceError::Store(e) => e.zh(),
        }
    }
}

/// A role as the subject of an English refusal.
fn who(role: &Role) -> &'static str {
    match role {
        Role::Chair => "the chair",
        Role::Member => "a member",
        Role::Secretary => "the secretary",
    }
}

fn roles_en(deed: &Deed) -> String {
    let who: Vec<&str> = deed.roles().iter().map(who).collect();
    either(&who, ", ", " or ")
}

/// The roles that may do `deed`: all of them (主任委员、秘书), or either of them
/// (主任委员或秘书).
fn roles_zh(deed: Deed, last: &str) -> String {
    let who: Vec<&str> = deed.roles().into_iter().map(Role::zh).collect();
    either(&who, "、", last)
}

/// `a, b or c`: the items joined by `sep`, the last by `last`.
fn either(items: &[&str], sep: &str, last: &str) -> String {
    match items {
        [] => String::new(),
        [only] => only.to_string(),
        [init @ .., end] => format!("{}{last}{end}", init.join(sep)),
    }
}

/// What was looked for and not found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Missing {
    Application(i64),
    Person(i64),
    Member(i64),
    Cycle(i64),
    Notice(i64),
    Objection(i64),
    Certificate(i64),
    Meeting(i64),
    /// No committee member by that name or id; the members there are.
    MemberNamed {
        key: String,
        known: Vec<(i64, String)>,
    },
    /// The open cycle has not started its public notice.
    NoNotice,
    /// No cycle at all, so no rules either.
    NoCycle,
    /// The application is not a candidate of the cycle's overall evaluation.
    NotACandidate {
        app: i64,
        cycle: String,
    },
    /// No member's key with this fingerprint or id.
    Key {
        key: String,
    },
}

impl Missing {
    pub fn en(&self) -> String {
        match self {
            Missing::Application(id) => format!("application #{id}"),
            Missing::Person(id) => format!("person #{id}"),
            Missing::Member(id) => format!("member #{id}"),
            Missing::Cycle(id) => format!("cycle #{id}"),
            Missing::Notice(id) => format!("notice #{id}"),
            Missing::Objection(id) => format!("objection #{id}"),
            Missing::Certificate(id) => format!("certificate #{id}"),
            Missing::Meeting(id) => format!("review meeting #{id}"),
            Missing::MemberNamed { key, known } => {
                let known: Vec<String> = known
                    .iter()
                    .map(|(id, name)| format!("{name} (#{id})"))
                    .collect();
                format!(
                    "no committee member '{key}' (members: {})",
                    known.join(", ")
                )
            }
            Missing::NoNotice => "the open cycle has no public notice yet".into(),
            Missing::NoCycle => "no certification cycle, so no rules yet".into(),
            Missing::NotACandidate { app, cycle } => {
                format!(
                    "application #{app} is not a candidate of the overall evaluation in {cycle}"
                )
            }
            Missing::Key { key } => format!(
                "no member's key '{key}' (give its fingerprint, SHA256:…, or its id: `{KEY_LIST}` lists them)"
            ),
        }
    }

    pub fn zh(&self) -> String {
        let numbered = |what: &str, id: &i64| format!("未找到{what} #{id}");
        match self {
            Missing::Application(id) => numbered("申请", id),
            Missing::Person(id) => numbered("人员", id),
            Missing::Member(id) => numbered("委员", id),
            Missing::Cycle(id) => numbered("认证年度", id),
            Missing::Notice(id) => numbered("公示", id),
            Missing::Objection(id) => numbered("异议", id),
            Missing::Certificate(id) => numbered("证书", id),
            Missing::Meeting(id) => numbered("评审会", id),
            Missing::MemberNamed { key, known } => {
                let known: Vec<String> = known
                    .iter()
                    .map(|(id, name)| format!("{name}（#{id}）"))
                    .collect();
                format!("没有委员“{key}”（委员有：{}）", known.join("、"))
            }
            Missing::NoNotice => "本年度尚未开始公示".into(),
            Missing::NoCycle => "还没有认证年度，因而还没有认证规则".into(),
            Missing::NotACandidate { app, cycle } => {
                format!("申请 #{app} 不是{cycle}综合评定的候选人")
            }
            Missing::Key { key } => format!(
                "没有公钥“{key}”（请给出公钥指纹 SHA256:… 或编号，{KEY_LIST} 可列出全部公钥）"
            ),
        }
    }
}

/// A text given to the service, as a refusal names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    Reason,
    OverrideReason,
    Visitors,
    VisitFindings,
    Criterion,
    Comment,
    ConflictKind,
    ConflictReason,
    ObjectionContent,
    ObjectorName,
    ObjectorContact,
    ObjectionFindings,
    WithdrawalNote,
    Verifier,
    DecisionReason,
    InspectionReason,
    NewOrganisation,
    NewPosition,
    MeetingPlace,
}

impl Field {
    pub fn en(self) -> &'static str {
        match self {
            Field::Reason => "the reason",
            Field::OverrideReason => "the override's reason",
            Field::Visitors => "the visitors",
            Field::VisitFindings | Field::ObjectionFindings => "the findings",
            Field::Criterion => "the criterion",
            Field::Comment => "the comment",
            Field::ConflictKind => "the conflict's kind",
            Field::ConflictReason => "the conflict's reason",
            Field::ObjectionContent => "the objection's content",
            Field::ObjectorName => "the objector's name",
            Field::ObjectorContact => "the objector's contact",
            Field::WithdrawalNote => "the withdrawal note",
            Field::Verifier => "who verified it",
            Field::DecisionReason => "the decision's reason",
            Field::InspectionReason => "the inspection's reason",
            Field::NewOrganisation => "the new organisation",
            Field::NewPosition => "the new position",
            Field::MeetingPlace => "the meeting's place",
        }
    }

    pub fn zh(self) -> &'static str {
        match self {
            Field::Reason => "理由",
            Field::OverrideReason => "破格理由",
            Field::Visitors => "走访人",
            Field::VisitFindings => "走访情况",
            Field::Criterion => "评分项",
            Field::Comment => "评语",
            Field::ConflictKind => "回避类型",
            Field::ConflictReason => "回避理由",
            Field::ObjectionContent => "异议内容",
            Field::ObjectorName => "异议人姓名",
            Field::ObjectorContact => "异议人联系方式",
            Field::ObjectionFindings => "核查结论",
            Field::WithdrawalNote => "撤回说明",
            Field::Verifier => "核查人",
            Field::DecisionReason => "决定理由",
            Field::InspectionReason => "年检理由",
            Field::NewOrganisation => "新单位",
            Field::NewPosition => "新职务",
            Field::MeetingPlace => "会议地点",
        }
    }
}

/// Refuses a text given to the service (a reason, findings, a name...) that holds a
/// control character or a bidirectional control; `multiline` texts may hold `\n` and
/// `\t`. The refusal names the field and the character, never echoing it.
pub fn clean(field: Field, text: &str, multiline: bool) -> Result<(), Refusal> {
    match crate::text::hostile_char(text, multiline) {
        None => Ok(()),
        Some(found) => Err(Refusal::HostileText {
            field,
            found,
            multiline,
        }),
    }
}

/// What is being done to a candidate of the overall evaluation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EvalWork {
    Scoring,
    Changing,
    Commenting,
    Submitting,
    Finalising,
}

impl EvalWork {
    pub fn en(self) -> &'static str {
        match self {
            EvalWork::Scoring => "scores are given",
            EvalWork::Changing => "scores are changed",
            EvalWork::Commenting => "comments are written",
            EvalWork::Submitting => "sheets are submitted",
            EvalWork::Finalising => "a result is finalised",
        }
    }

    pub fn zh(self) -> &'static str {
        match self {
            EvalWork::Scoring => "评分",
            EvalWork::Changing => "修改评分",
            EvalWork::Commenting => "写评语",
            EvalWork::Submitting => "提交评分表",
            EvalWork::Finalising => "确定结果",
        }
    }
}

/// A rule of the service that refused: one variant per refusal, carrying its data.
#[derive(Debug, Clone, PartialEq, Error)]
pub enum Refusal {
    // Texts.
    #[error("{} {}", .field.en(), hostile_en(.found, .multiline))]
    HostileText {
        field: Field,
        found: char,
        multiline: bool,
    },
    // Stages 1 to 4.
    #[error("{name}'s application was changed by someone else meanwhile; look again and retry")]
    ApplicationChanged { name: String },
    #[error("a committee result is reopened with reopen_result")]
    ReopenThroughResult,
    #[error("candidates in the public notice are certified by closing the notice")]
    CertifiedByClosingNotice,
    #[error("at the evaluation stage the result comes from finalising the scores")]
    ResultFromScores,
    #[error("an override needs a written reason")]
    OverrideNeedsReason,
    #[error("an override is only possible at review; the application is at {}", .at.en())]
    OverrideOnlyAtReview { at: Stage },
    #[error("a test score can only be entered at the test stage; the application is at {}", .at.en())]
    TestScoreOnlyAtTest { at: Stage },
    #[error("test score {score} is out of range (0 to {max})")]
    TestScoreOutOfRange { score: f64, max: f64 },
    #[error("a visit can only be recorded at the site-visit stage; the application is at {}", .at.en())]
    VisitOnlyAtSiteVisit { at: Stage },
    #[error("a visit needs the visitors and the findings")]
    VisitIncomplete,
    #[error("the visit date {on} is in the future")]
    VisitInFuture { on: NaiveDate },
    // Stage 5.
    #[error("scoring is already open")]
    ScoringAlreadyOpen,
    #[error("scoring is not open")]
    ScoringNotOpen,
    #[error("scoring is not open{}; the chair opens it", closed_en(.meanwhile))]
    ScoringClosed { meanwhile: bool },
    #[error("scoring is still open; close it before finalising")]
    ScoringStillOpen,
    // The review meeting.
    #[error("a review meeting is already under way")]
    MeetingAlreadyOpen,
    #[error("no review meeting is under way; the chair starts one on stage 5")]
    NoMeeting,
    #[error("no review meeting has been held in the open cycle, so there are no minutes yet")]
    NoMeetingHeld,
    #[error("a review meeting needs scoring to be open; open it first")]
    MeetingNeedsScoring,
    #[error("{name} is not on the meeting's agenda")]
    NotOnAgenda { name: String },
    #[error("no candidate is being discussed; move to one first")]
    NoCandidateNow,
    #[error("{have} of the {need} members present and not recused have submitted; the discussion opens when all have")]
    NotAllSubmitted { have: usize, need: usize },
    #[error("open the discussion of {name} before a revision round")]
    DiscussionFirst { name: String },
    #[error("changes to a submitted sheet are made in the revision round of {name}, which the chair opens after the discussion")]
    RevisionRoundClosed { name: String },
    #[error("the rules give no time to add to a candidate's turn")]
    NoTurnExtension,
    #[error("{} only while the candidate is in evaluation with no final result; {name} is at {} ({})", .work.en(), .at.stage.en(), .at.status.code())]
    NotInEvaluation {
        work: EvalWork,
        name: String,
        at: Position,
    },
    #[error("scores are given only while the candidate is in evaluation with no final result; it was finalised meanwhile")]
    FinalisedMeanwhile,
    #[error("unknown criterion '{key}'")]
    UnknownCriterion { key: String },
    #[error("{criterion} must be 0 to {max} in steps of {step}")]
    ValueOutOfRange {
        criterion: String,
        max: f64,
        step: f64,
    },
    #[error("unknown conflict kind '{kind}' (one of: {})", conflict_kinds(|k| k.code(), ", "))]
    UnknownConflictKind { kind: String },
    #[error("a conflict needs a reason")]
    ConflictNeedsReason,
    #[error("this sheet is submitted; changing it needs a reason")]
    SheetSubmittedNeedsReason,
    #[error("changing a submitted sheet needs a reason")]
    ChangeNeedsReason,
    #[error("the sheet is not submitted; change it directly")]
    SheetNotSubmitted,
    #[error("give the criterion a value before commenting on it")]
    CommentBeforeValue,
    #[error("the sheet is incomplete: {}", .missing.join(", "))]
    SheetIncomplete { missing: Vec<String> },
    #[error("this sheet is already submitted")]
    AlreadySubmitted,
    #[error("no submitted sheets")]
    NoSubmittedSheets,
    #[error("quorum not met: {have} eligible submitted sheet(s), the rules require {need}")]
    QuorumNotMet { have: usize, need: usize },
    // Stage 6.
    #[error("the notice cannot start in the past ({start}, today is {today})")]
    NoticeInPast { start: NaiveDate, today: NaiveDate },
    #[error("no finalised candidate is waiting for the notice")]
    NoCandidateWaiting,
    #[error("an objection needs its content")]
    ObjectionNeedsContent,
    #[error("a named objection needs the objector's name")]
    ObjectionNeedsName,
    #[error("the objection's date {received} is in the future")]
    ObjectionInFuture { received: NaiveDate },
    #[error("the objection's date {received} is before the notice period ({start} to {end})")]
    ObjectionBeforeNotice {
        received: NaiveDate,
        start: NaiveDate,
        end: NaiveDate,
    },
    #[error("{name} is not in a public notice")]
    NotInNotice { name: String },
    #[error("the objection was changed by someone else meanwhile; look again and retry")]
    ObjectionChanged,
    #[error("objection #{id} has a bad state")]
    BadObjectionState { id: i64 },
    // Certificates.
    #[error("{name}'s file has no date for the grade")]
    NoGradeDate { name: String },
    #[error("an inspection of {number} is for a year from {from} to {to}")]
    InspectionYear { number: String, from: i32, to: i32 },
    #[error(
        "person #{person} holds no certificate; job-change reports are for certificate holders"
    )]
    NoCertificateHeld { person: i64 },
    #[error("a change on {change} filed on {filed}: the filing date must be on or after the change and not after today")]
    FilingDate { change: NaiveDate, filed: NaiveDate },
    #[error("a job-change report needs the new post, the new organisation, or that the holder left party-affairs work")]
    JobChangeEmpty,
    // Cycles, members and the demo.
    #[error("the rules file has problems:\n{}", lines(.problems))]
    BadRules { problems: Vec<RuleProblem> },
    #[error("{city} already has a {year} cycle (#{id})")]
    CycleExists { city: String, year: i32, id: i64 },
    #[error("the rules stored with cycle #{cycle} no longer load: {problem}")]
    StoredRulesBroken { cycle: i64, problem: RuleProblem },
    #[error("cycle #{cycle} has a bad date '{date}'")]
    BadCycleDate { cycle: i64, date: String },
    #[error("member #{member} has an unknown role '{role}'")]
    BadRole { member: i64, role: String },
    #[error("unknown fixture {name}")]
    UnknownFixture { name: String },
    #[error("fixture {name}: {problem}")]
    BadFixture { name: String, problem: String },
    #[error("the demo committee needs a chair and a secretary")]
    DemoNeedsChairAndSecretary,
    #[error("the generated city has {have} complete eligible candidates, {want} wanted")]
    TooFewGenerated { have: usize, want: usize },
    /// A file could not be written (its writer's message).
    #[error("not exported: {problem}")]
    NotExported { problem: String },
    // Backups.
    /// A copy to restore failed the checks of `pingshen check`; nothing was replaced.
    #[error("the copy fails the checks ({faults} fault(s)): it was not restored, the database is unchanged")]
    CopyFailsCheck { faults: usize },
    // Members' keys.
    /// A public key given (in `file`, at `line` from 1, or 0 for the whole text) is
    /// not one pingshen takes.
    #[error("{}{}", file_en(.file, .line), .problem.en())]
    BadKey {
        file: String,
        line: usize,
        problem: KeyError,
    },
    /// The key is already recorded, for the member named.
    #[error("the key {fingerprint} is already {member}'s: a key belongs to one member only")]
    KeyTaken { fingerprint: String, member: String },
    /// A path to be written into sshd's forced command holds what cannot be quoted there.
    #[error("{path}: a path with a double quote, a line break or another control character cannot go into sshd's forced command; move the file")]
    UnquotablePath { path: String },
}

fn file_en(file: &str, line: &usize) -> String {
    match line {
        0 => format!("{file}: "),
        n => format!("{file}:{n}: "),
    }
}

fn hostile_en(found: &char, multiline: &bool) -> String {
    crate::text::not_allowed(*found, *multiline)
}

fn closed_en(meanwhile: &bool) -> &'static str {
    if *meanwhile {
        " (it was closed meanwhile)"
    } else {
        ""
    }
}

fn lines(problems: &[RuleProblem]) -> String {
    let lines: Vec<String> = problems.iter().map(|p| p.to_string()).collect();
    lines.join("\n")
}

fn conflict_kinds(name: fn(&crate::domain::ConflictKind) -> &'static str, sep: &str) -> String {
    let names: Vec<&str> = crate::domain::ConflictKind::ALL.iter().map(name).collect();
    names.join(sep)
}

impl Refusal {
    /// The refusal in English (its `Display`).
    pub fn en(&self) -> String {
        self.to_string()
    }

    /// The refusal in Chinese.
    pub fn zh(&self) -> String {
        use Refusal::*;
        match self {
            HostileText {
                field,
                found,
                multiline,
            } => format!(
                "{}{}",
                field.zh(),
                crate::text::not_allowed_zh(*found, *multiline)
            ),
            ApplicationChanged { name } => {
                format!("{name} 的申请已被他人修改，请重新查看后再试")
            }
            ReopenThroughResult => "评定结果只能通过“重新评定”重开".into(),
            CertifiedByClosingNotice => "公示中的候选人在结束公示时认证".into(),
            ResultFromScores => "综合评定环节的结果由确定评分得出".into(),
            OverrideNeedsReason => "破格通过须写明理由".into(),
            OverrideOnlyAtReview { at } => {
                format!("只能在组织审核环节破格通过，该申请现处于{}环节", at.zh())
            }
            TestScoreOnlyAtTest { at } => {
                format!(
                    "只能在培训测试环节录入测试成绩，该申请现处于{}环节",
                    at.zh()
                )
            }
            TestScoreOutOfRange { score, max } => {
                format!("测试成绩 {score} 超出范围（0 到 {max}）")
            }
            VisitOnlyAtSiteVisit { at } => {
                format!("只能在实地走访环节登记走访，该申请现处于{}环节", at.zh())
            }
            VisitIncomplete => "走访须写明走访人和走访情况".into(),
            VisitInFuture { on } => format!("走访日期 {on} 晚于今天"),
            ScoringAlreadyOpen => "评分已经开始".into(),
            MeetingAlreadyOpen => "评审会已在进行中".into(),
            NoMeeting => "评审会没有在进行，须由主任委员在综合评定环节开始".into(),
            NoMeetingHeld => "本年度尚未召开评审会，还没有会议纪要".into(),
            MeetingNeedsScoring => "评审会须在评分开始后召开，请先开始评分".into(),
            NotOnAgenda { name } => format!("{name}不在本次评审会的议程中"),
            NoCandidateNow => "当前没有正在讨论的候选人，请先选定一位".into(),
            NotAllSubmitted { have, need } => format!(
                "出席且无须回避的 {need} 位委员中已有 {have} 位提交评分表，全部提交后方可开始讨论"
            ),
            DiscussionFirst { name } => format!("须先开始对{name}的讨论，才能进入修改轮"),
            RevisionRoundClosed { name } => {
                format!("已提交的评分表须在{name}的修改轮中修改，修改轮由主任委员在讨论后开启")
            }
            NoTurnExtension => "评审规则未规定可延长的时间".into(),
            ScoringNotOpen => "评分尚未开始或已经结束".into(),
            ScoringClosed { meanwhile: false } => {
                "评分尚未开始或已结束，须由主任委员开始评分".into()
            }
            ScoringClosed { meanwhile: true } => {
                "评分已在此期间结束，须由主任委员重新开始评分".into()
            }
            ScoringStillOpen => "评分尚未结束：须先结束评分，再确定结果".into(),
            NotInEvaluation { work, name, at } => format!(
                "{name} 不在综合评定中或结果已经确定（现为{}·{}），不能{}",
                at.stage.zh(),
                at.status.zh(),
                work.zh()
            ),
            FinalisedMeanwhile => "该候选人的结果已在此期间确定，不能再评分".into(),
            UnknownCriterion { key } => format!("没有评分项“{key}”"),
            ValueOutOfRange {
                criterion,
                max,
                step,
            } => format!("{criterion}须为 0 到 {max}，每档 {step} 分"),
            UnknownConflictKind { kind } => format!(
                "没有回避类型“{kind}”（可选：{}）",
                conflict_kinds(|k| k.zh(), "、")
            ),
            ConflictNeedsReason => "必须写明回避理由".into(),
            SheetSubmittedNeedsReason => "评分表已提交，修改须写明理由".into(),
            ChangeNeedsReason => "修改已提交的评分须写明理由".into(),
            SheetNotSubmitted => "评分表尚未提交，可直接修改".into(),
            CommentBeforeValue => "请先为本项打分，再写评语".into(),
            SheetIncomplete { missing } => format!("评分表尚未填完：{}", missing.join("、")),
            AlreadySubmitted => "评分表已提交".into(),
            NoSubmittedSheets => "尚无已提交的评分表".into(),
            QuorumNotMet { have, need } => {
                format!("有效评分表 {have} 份，不足法定人数 {need} 份，不能确定结果")
            }
            NoticeInPast { start, today } => {
                format!("公示不能从过去的日期开始（{start}，今天是 {today}）")
            }
            NoCandidateWaiting => "没有等待公示的候选人".into(),
            ObjectionNeedsContent => "异议须写明内容".into(),
            ObjectionNeedsName => "实名异议须写明异议人姓名".into(),
            ObjectionInFuture { received } => format!("异议日期 {received} 晚于今天"),
            ObjectionBeforeNotice {
                received,
                start,
                end,
            } => format!("异议日期 {received} 早于公示期（{start} 至 {end}）"),
            NotInNotice { name } => format!("{name} 不在公示中"),
            ObjectionChanged => "该异议已被他人修改，请重新查看后再试".into(),
            BadObjectionState { id } => format!("异议 #{id} 的状态无法识别"),
            NoGradeDate { name } => format!("{name} 的档案没有取得等级的日期"),
            InspectionYear { number, from, to } => {
                format!("证书 {number} 的年检年度须在 {from} 至 {to} 年之间")
            }
            NoCertificateHeld { person } => {
                format!("人员 #{person} 未持有证书：职务变动只为持证人登记")
            }
            FilingDate { change, filed } => format!(
                "{change} 的职务变动于 {filed} 报告：报告日期须在变动当日或之后，且不晚于今天"
            ),
            JobChangeEmpty => "职务变动须写明新职务、新单位，或注明已离开党务工作岗位".into(),
            BadRules { problems } => format!("规则文件有问题：\n{}", lines(problems)),
            CycleExists { city, year, id } => format!("{city} 已有 {year} 年度认证（#{id}）"),
            StoredRulesBroken { cycle, problem } => {
                format!("认证年度 #{cycle} 保存的规则已无法读取：{problem}")
            }
            BadCycleDate { cycle, date } => format!("认证年度 #{cycle} 的日期“{date}”无效"),
            BadRole { member, role } => format!("委员 #{member} 的角色“{role}”无法识别"),
            UnknownFixture { name } => format!("没有示例数据 {name}"),
            BadFixture { name, problem } => format!("示例数据 {name} 有误：{problem}"),
            DemoNeedsChairAndSecretary => "示例委员会须有主任委员和秘书".into(),
            TooFewGenerated { have, want } => {
                format!("生成的城市只有 {have} 名材料齐全、符合条件的候选人，需要 {want} 名")
            }
            NotExported { problem } => format!("未能导出：{problem}"),
            CopyFailsCheck { faults } => {
                format!("备份副本未通过检查（{faults} 处问题），未予恢复，数据库未作改动")
            }
            BadKey {
                file,
                line,
                problem,
            } => match line {
                0 => format!("{file}：{}", problem.zh()),
                n => format!("{file} 第 {n} 行：{}", problem.zh()),
            },
            KeyTaken {
                fingerprint,
                member,
            } => format!("公钥 {fingerprint} 已属于{member}：一把公钥只能属于一位委员"),
            UnquotablePath { path } => format!(
                "{path}：含双引号、换行或其他控制字符的路径不能写入 sshd 的强制命令，请移动该文件"
            ),
        }
    }
}
