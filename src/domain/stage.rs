//! The six-stage certification procedure as an explicit state machine.
//!
//! declaration -> review -> test -> site visit -> evaluation -> notice -> certified.
//! Besides advancing, an application can be returned for correction (back to the
//! declaration, reason required), rejected (reason required, final for the cycle),
//! failed (the training test, final for the cycle), withdrawn by the applicant, or not
//! certified after the notice. Every refusal is a value naming the rule.

use super::Deed;
use serde::{Deserialize, Serialize};
use std::fmt;
use thiserror::Error;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Stage {
    Declaration,
    Review,
    Test,
    SiteVisit,
    Evaluation,
    Notice,
    Certified,
}

impl Stage {
    /// The six stages and the outcome, in order.
    pub const ALL: [Stage; 7] = [
        Stage::Declaration,
        Stage::Review,
        Stage::Test,
        Stage::SiteVisit,
        Stage::Evaluation,
        Stage::Notice,
        Stage::Certified,
    ];

    /// The six working stages, in order (Certified is the outcome, not a stage).
    pub const SIX: [Stage; 6] = {
        let a = Stage::ALL;
        [a[0], a[1], a[2], a[3], a[4], a[5]]
    };

    pub fn code(self) -> &'static str {
        match self {
            Stage::Declaration => "declaration",
            Stage::Review => "review",
            Stage::Test => "test",
            Stage::SiteVisit => "site_visit",
            Stage::Evaluation => "evaluation",
            Stage::Notice => "notice",
            Stage::Certified => "certified",
        }
    }

    pub fn zh(self) -> &'static str {
        match self {
            Stage::Declaration => "个人申报",
            Stage::Review => "组织审核",
            Stage::Test => "培训测试",
            Stage::SiteVisit => "实地走访",
            Stage::Evaluation => "综合评定",
            Stage::Notice => "结果公示",
            Stage::Certified => "已认证",
        }
    }

    pub fn en(self) -> &'static str {
        match self {
            Stage::Declaration => "Declaration",
            Stage::Review => "Review",
            Stage::Test => "Training test",
            Stage::SiteVisit => "Site visit",
            Stage::Evaluation => "Overall evaluation",
            Stage::Notice => "Public notice",
            Stage::Certified => "Certified",
        }
    }

    /// 1-based number of the stage (Certified is 7).
    pub fn number(self) -> usize {
        self as usize + 1
    }

    pub fn parse(text: &str) -> Option<Stage> {
        let t = text.trim();
        Stage::ALL.into_iter().find(|s| {
            t.eq_ignore_ascii_case(s.code()) || t == s.zh() || t == s.number().to_string()
        })
    }

    pub fn next(self) -> Option<Stage> {
        match self {
            Stage::Declaration => Some(Stage::Review),
            Stage::Review => Some(Stage::Test),
            Stage::Test => Some(Stage::SiteVisit),
            Stage::SiteVisit => Some(Stage::Evaluation),
            Stage::Evaluation => Some(Stage::Notice),
            Stage::Notice => Some(Stage::Certified),
            Stage::Certified => None,
        }
    }
}

impl fmt::Display for Stage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.zh())
    }
}

/// Where an application stands at its stage.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// In progress at its stage.
    Active,
    /// Sent back to the declaration for correction; resubmitting moves it on.
    Returned,
    /// Refused at review; final for the cycle.
    Rejected,
    /// Failed the training test; final for the cycle.
    Failed,
    /// Withdrawn by the applicant.
    Withdrawn,
    /// Not certified after the committee's result or the notice.
    NotCertified,
    /// Certified: the procedure is complete.
    Done,
}

impl Status {
    pub fn en(self) -> &'static str {
        match self {
            Status::Active => "active",
            Status::Returned => "returned for correction",
            Status::Rejected => "rejected",
            Status::Failed => "failed the test",
            Status::Withdrawn => "withdrawn",
            Status::NotCertified => "not certified",
            Status::Done => "certified",
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Status::Active => "active",
            Status::Returned => "returned",
            Status::Rejected => "rejected",
            Status::Failed => "failed",
            Status::Withdrawn => "withdrawn",
            Status::NotCertified => "not_certified",
            Status::Done => "done",
        }
    }

    pub fn zh(self) -> &'static str {
        match self {
            Status::Active => "进行中",
            Status::Returned => "退回补正",
            Status::Rejected => "不予通过",
            Status::Failed => "测试未通过",
            Status::Withdrawn => "已撤回",
            Status::NotCertified => "未予认证",
            Status::Done => "已认证",
        }
    }

    pub fn parse(text: &str) -> Option<Status> {
        [
            Status::Active,
            Status::Returned,
            Status::Rejected,
            Status::Failed,
            Status::Withdrawn,
            Status::NotCertified,
            Status::Done,
        ]
        .into_iter()
        .find(|s| text == s.code() || text == s.zh())
    }

    /// No further transition is possible in this cycle.
    pub fn is_final(self) -> bool {
        !matches!(self, Status::Active | Status::Returned)
    }
}

/// The position of an application in the procedure.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Position {
    pub stage: Stage,
    pub status: Status,
}

impl Position {
    pub const START: Position = Position {
        stage: Stage::Declaration,
        status: Status::Active,
    };
}

/// What may be done to an application.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Transition {
    /// Move to the next stage (or resubmit a returned declaration).
    Advance,
    /// Back to the declaration for correction.
    Return { reason: String },
    /// Refuse at review, final for the cycle.
    Reject { reason: String },
    /// The training test was failed, final for the cycle.
    Fail { reason: String },
    /// The committee's result or the notice does not certify.
    NotCertify { reason: String },
    /// The applicant withdraws.
    Withdraw { reason: String },
    /// The chair reopens a finalised committee result (before its notice starts).
    Reopen { reason: String },
}

impl Transition {
    pub fn code(&self) -> &'static str {
        match self {
            Transition::Advance => "advance",
            Transition::Return { .. } => "return",
            Transition::Reject { .. } => "reject",
            Transition::Fail { .. } => "fail",
            Transition::NotCertify { .. } => "not_certify",
            Transition::Withdraw { .. } => "withdraw",
            Transition::Reopen { .. } => "reopen",
        }
    }

    pub fn reason(&self) -> Option<&str> {
        match self {
            Transition::Advance => None,
            Transition::Return { reason }
            | Transition::Reject { reason }
            | Transition::Fail { reason }
            | Transition::NotCertify { reason }
            | Transition::Withdraw { reason }
            | Transition::Reopen { reason } => Some(reason),
        }
    }
}

/// What a declaration may lack before it can pass to review.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Lack {
    Position,
    Phone,
    Statement,
    Assessments,
}

impl Lack {
    pub fn zh(self) -> &'static str {
        match self {
            Lack::Position => "职务",
            Lack::Phone => "联系电话",
            Lack::Statement => "个人陈述",
            Lack::Assessments => "年度考核",
        }
    }

    pub fn en(self) -> &'static str {
        match self {
            Lack::Position => "position",
            Lack::Phone => "phone",
            Lack::Statement => "statement",
            Lack::Assessments => "assessments",
        }
    }

    fn list_zh(v: &[Lack]) -> String {
        v.iter().map(|l| l.zh()).collect::<Vec<_>>().join("、")
    }

    fn list_en(v: &[Lack]) -> String {
        v.iter().map(|l| l.en()).collect::<Vec<_>>().join(", ")
    }
}

/// Facts about an application that decide whether it may advance; the service layer
/// gathers them from the store.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Facts {
    /// What the declaration still lacks (empty = complete).
    pub missing_fields: Vec<Lack>,
    /// Names of failing eligibility checks.
    pub failing_checks: Vec<String>,
    /// A written override of failing checks exists.
    pub override_reason: Option<String>,
    /// Training-test score and whether it reaches the pass mark.
    pub test_passed: Option<bool>,
    /// A site visit has been recorded.
    pub visit_recorded: bool,
    /// The committee's result is final and reaches the target grade's threshold.
    pub result_passed: Option<bool>,
    /// Objections still open, and upheld ones the chair has not decided on yet.
    pub open_objections: usize,
    pub upheld_objections: usize,
    /// The notice period has ended.
    pub notice_ended: bool,
    /// The candidate's public notice has started.
    pub notice_started: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum TransitionError {
    #[error("the application is final ({}); no further step is possible this cycle", .0.en())]
    Final(Status),
    #[error("a reason is required to {0}")]
    ReasonRequired(&'static str),
    #[error("the declaration is incomplete; missing: {}", Lack::list_en(.0))]
    Incomplete(Vec<Lack>),
    #[error("eligibility checks fail ({}); passing needs a written override", .0.join(", "))]
    Ineligible(Vec<String>),
    #[error("no training-test score has been recorded")]
    NoTestScore,
    #[error("the training-test score is below the pass mark; record a fail instead")]
    TestNotPassed,
    #[error("no site visit has been recorded")]
    NoVisit,
    #[error("the committee's result is not final")]
    NoResult,
    #[error("the committee's result does not reach the threshold of the target grade")]
    ResultNotPassed,
    #[error("the notice period has not ended")]
    NoticeOpen,
    #[error("{0} objection(s) are still open")]
    OpenObjections(usize),
    #[error(
        "{0} objection(s) were upheld; the chair must decide (not certified or a lower grade)"
    )]
    UpheldObjections(usize),
    #[error("the public notice has started; the result can no longer be reopened")]
    NoticeStarted,
    #[error("only a finalised committee result can be reopened")]
    NotFinalised,
    #[error("cannot {} at the {} stage", .deed.en(), .stage.en())]
    WrongStage { deed: Deed, stage: Stage },
}

impl TransitionError {
    /// The refusal in Chinese, for the interface.
    pub fn zh(&self) -> String {
        let checks = |codes: &[String]| -> String {
            codes
                .iter()
                .map(|c| {
                    crate::domain::eligibility::CheckKind::from_code(c)
                        .map_or(c.as_str(), |k| k.zh())
                })
                .collect::<Vec<_>>()
                .join("、")
        };
        match self {
            TransitionError::Final(s) => {
                // 已撤回 and 已认证 say 已 themselves.
                let done = if s.zh().starts_with('已') { "" } else { "已" };
                format!("该申请{done}{}，本周期不能再办理", s.zh())
            }
            TransitionError::ReasonRequired(_) => "必须写明理由".into(),
            TransitionError::Incomplete(v) => format!("申报材料不全，缺少：{}", Lack::list_zh(v)),
            TransitionError::Ineligible(v) => {
                format!("资格条件不符合（{}），通过须先写明破格理由", checks(v))
            }
            TransitionError::NoTestScore => "尚未录入培训测试成绩".into(),
            TransitionError::TestNotPassed => "测试成绩低于合格线，应记录为测试不合格".into(),
            TransitionError::NoVisit => "尚未登记实地走访".into(),
            TransitionError::NoResult => "综合评定结果尚未确定".into(),
            TransitionError::ResultNotPassed => "综合评定结果未达到申报等级的分数线".into(),
            TransitionError::NoticeOpen => "公示期尚未结束".into(),
            TransitionError::OpenObjections(n) => format!("尚有 {n} 件异议未办结"),
            TransitionError::UpheldObjections(n) => {
                format!("有 {n} 件异议属实，须由主任委员决定不予认证或降级")
            }
            TransitionError::NoticeStarted => "公示已开始，不能再重新评定".into(),
            TransitionError::NotFinalised => "只有已确定的评定结果才能重新评定".into(),
            TransitionError::WrongStage { deed, stage } => {
                format!("{}环节不能{}", stage.zh(), deed.zh())
            }
        }
    }

    /// The refusal in English (its `Display`).
    pub fn en(&self) -> String {
        self.to_string()
    }
}

/// Applies a transition, or says which rule refuses it.
pub fn apply(pos: Position, t: &Transition, facts: &Facts) -> Result<Position, TransitionError> {
    if let Transition::Reopen { reason } = t {
        return reopen(pos, reason, facts);
    }
    if pos.status.is_final() {
        return Err(TransitionError::Final(pos.status));
    }
    if let Some(reason) = t.reason() {
        if reason.trim().is_empty() {
            let what = match t {
                Transition::Return { .. } => "return for correction",
                Transition::Reject { .. } => "reject",
                Transition::Fail { .. } => "record a fail",
                Transition::NotCertify { .. } => "refuse certification",
                _ => "withdraw",
            };
            return Err(TransitionError::ReasonRequired(what));
        }
    }
    let at = |status| Position {
        stage: pos.stage,
        status,
    };
    match t {
        Transition::Reopen { reason } => reopen(pos, reason, facts),
        Transition::Withdraw { .. } => Ok(at(Status::Withdrawn)),
        Transition::Return { .. } => match pos.stage {
            Stage::Review | Stage::Test | Stage::SiteVisit if pos.status == Status::Active => {
                Ok(Position {
                    stage: Stage::Declaration,
                    status: Status::Returned,
                })
            }
            Stage::Declaration if pos.status == Status::Active => Ok(at(Status::Returned)),
            _ => Err(TransitionError::WrongStage {
                deed: Deed::ReturnApplication,
                stage: pos.stage,
            }),
        },
        Transition::Reject { .. } => match pos.stage {
            Stage::Declaration | Stage::Review => Ok(at(Status::Rejected)),
            _ => Err(TransitionError::WrongStage {
                deed: Deed::RejectApplication,
                stage: pos.stage,
            }),
        },
        Transition::Fail { .. } => match pos.stage {
            Stage::Test => Ok(at(Status::Failed)),
            _ => Err(TransitionError::WrongStage {
                deed: Deed::RecordFailedTest,
                stage: pos.stage,
            }),
        },
        Transition::NotCertify { .. } => match pos.stage {
            Stage::Evaluation | Stage::Notice => Ok(at(Status::NotCertified)),
            _ => Err(TransitionError::WrongStage {
                deed: Deed::RefuseCertification,
                stage: pos.stage,
            }),
        },
        Transition::Advance => {
            check_advance(pos.stage, facts)?;
            let stage = pos.stage.next().ok_or(TransitionError::WrongStage {
                deed: Deed::PassApplication,
                stage: pos.stage,
            })?;
            let status = if stage == Stage::Certified {
                Status::Done
            } else {
                Status::Active
            };
            Ok(Position { stage, status })
        }
    }
}

/// Back to evaluation from a finalised result: one that passed (waiting for its
/// notice) or one that did not (not certified at evaluation).
fn reopen(pos: Position, reason: &str, facts: &Facts) -> Result<Position, TransitionError> {
    if reason.trim().is_empty() {
        return Err(TransitionError::ReasonRequired("reopen a result"));
    }
    let finalised = matches!(
        (pos.stage, pos.status),
        (Stage::Notice, Status::Active) | (Stage::Evaluation, Status::NotCertified)
    ) && facts.result_passed.is_some();
    if !finalised {
        return Err(TransitionError::NotFinalised);
    }
    if facts.notice_started {
        return Err(TransitionError::NoticeStarted);
    }
    Ok(Position {
        stage: Stage::Evaluation,
        status: Status::Active,
    })
}

/// The requirement of each stage before it may be left forwards.
fn check_advance(stage: Stage, f: &Facts) -> Result<(), TransitionError> {
    match stage {
        Stage::Declaration if !f.missing_fields.is_empty() => {
            Err(TransitionError::Incomplete(f.missing_fields.clone()))
        }
        Stage::Review
            if !f.failing_checks.is_empty()
                && f.override_reason
                    .as_deref()
                    .is_none_or(|r| r.trim().is_empty()) =>
        {
            Err(TransitionError::Ineligible(f.failing_checks.clone()))
        }
        Stage::Test => match f.test_passed {
            None => Err(TransitionError::NoTestScore),
            Some(false) => Err(TransitionError::TestNotPassed),
            Some(true) => Ok(()),
        },
        Stage::SiteVisit if !f.visit_recorded => Err(TransitionError::NoVisit),
        Stage::Evaluation => match f.result_passed {
            None => Err(TransitionError::NoResult),
            Some(false) => Err(TransitionError::ResultNotPassed),
            Some(true) => Ok(()),
        },
        Stage::Notice if !f.notice_ended => Err(TransitionError::NoticeOpen),
        Stage::Notice if f.open_objections > 0 => {
            Err(TransitionError::OpenObjections(f.open_objections))
        }
        Stage::Notice if f.upheld_objections > 0 => {
            Err(TransitionError::UpheldObjections(f.upheld_objections))
        }
        Stage::Certified => Err(TransitionError::WrongStage {
            deed: Deed::PassApplication,
            stage,
        }),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pos(stage: Stage) -> Position {
        Position {
            stage,
            status: Status::Active,
        }
    }
    #[test]
    fn reopen_only_a_finalised_result_before_its_notice() {
        let notice = Position {
            stage: Stage::Notice,
            status: Status::Active,
        };
        let refused = Position {
            stage: Stage::Evaluation,
            status: Status::NotCertified,
        };
        let back = Position {
            stage: Stage::Evaluation,
            status: Status::Active,
        };
        let reopen = |r: &str| Transition::Reopen { reason: r.into() };
        let finalised = Facts {
            result_passed: Some(true),
            ..Facts::default()
        };
        assert_eq!(apply(notice, &reopen("复议"), &finalised), Ok(back));
        assert_eq!(apply(refused, &reopen("复议"), &finalised), Ok(back));
        assert_eq!(
            apply(notice, &reopen("  "), &finalised),
            Err(TransitionError::ReasonRequired("reopen a result"))
        );
        let started = Facts {
            notice_started: true,
            ..finalised.clone()
        };
        assert_eq!(
            apply(notice, &reopen("复议"), &started),
            Err(TransitionError::NoticeStarted)
        );
        // A candidate still being scored, or refused at review, has nothing to reopen.
        assert_eq!(
            apply(back, &reopen("复议"), &finalised),
            Err(TransitionError::NotFinalised)
        );
        let rejected = Position {
            stage: Stage::Review,
            status: Status::Rejected,
        };
        assert_eq!(
            apply(rejected, &reopen("复议"), &Facts::default()),
            Err(TransitionError::NotFinalised)
        );
    }

    fn all_met() -> Facts {
        Facts {
            test_passed: Some(true),
            visit_recorded: true,
            result_passed: Some(true),
            notice_ended: true,
            ..Facts::default()
        }
    }
    fn reason(s: &str) -> String {
        s.to_string()
    }

    #[test]
    fn happy_path_walks_all_six_stages_to_certified() {
        let mut p = Position::START;
        let mut seen = vec![p.stage];
        while p.stage != Stage::Certified {
            p = apply(p, &Transition::Advance, &all_met()).unwrap();
            seen.push(p.stage);
        }
        assert_eq!(seen.len(), 7);
        assert_eq!(p.status, Status::Done);
        assert_eq!(
            apply(p, &Transition::Advance, &all_met()),
            Err(TransitionError::Final(Status::Done))
        );
    }

    #[test]
    fn each_stage_requirement_refuses_advance() {
        let refusals: Vec<(Stage, Facts, TransitionError)> = vec![
            (
                Stage::Declaration,
                Facts {
                    missing_fields: vec![Lack::Position],
                    ..all_met()
                },
                TransitionError::Incomplete(vec![Lack::Position]),
            ),
            (
                Stage::Review,
                Facts {
                    failing_checks: vec!["years_in_post".into()],
                    ..all_met()
                },
                TransitionError::Ineligible(vec!["years_in_post".into()]),
            ),
            (
                Stage::Test,
                Facts {
                    test_passed: None,
                    ..all_met()
                },
                TransitionError::NoTestScore,
            ),
            (
                Stage::Test,
                Facts {
                    test_passed: Some(false),
                    ..all_met()
                },
                TransitionError::TestNotPassed,
            ),
            (
                Stage::SiteVisit,
                Facts {
                    visit_recorded: false,
                    ..all_met()
                },
                TransitionError::NoVisit,
            ),
            (
                Stage::Evaluation,
                Facts {
                    result_passed: None,
                    ..all_met()
                },
                TransitionError::NoResult,
            ),
            (
                Stage::Evaluation,
                Facts {
                    result_passed: Some(false),
                    ..all_met()
                },
                TransitionError::ResultNotPassed,
            ),
            (
                Stage::Notice,
                Facts {
                    notice_ended: false,
                    ..all_met()
                },
                TransitionError::NoticeOpen,
            ),
            (
                Stage::Notice,
                Facts {
                    open_objections: 2,
                    ..all_met()
                },
                TransitionError::OpenObjections(2),
            ),
            (
                Stage::Notice,
                Facts {
                    upheld_objections: 1,
                    ..all_met()
                },
                TransitionError::UpheldObjections(1),
            ),
        ];
        for (stage, facts, expected) in refusals {
            assert_eq!(
                apply(pos(stage), &Transition::Advance, &facts),
                Err(expected),
                "{stage:?}"
            );
        }
        // A written override lets review pass despite a failing check.
        let f = Facts {
            override_reason: Some("市委组织部特批".into()),
            failing_checks: vec!["years_in_post".into()],
            ..all_met()
        };
        assert_eq!(
            apply(pos(Stage::Review), &Transition::Advance, &f),
            Ok(pos(Stage::Test))
        );
    }

    #[test]
    fn return_goes_back_to_declaration_and_resubmission_continues() {
        let p = apply(
            pos(Stage::Review),
            &Transition::Return {
                reason: reason("缺少培训证明"),
            },
            &all_met(),
        )
        .unwrap();
        assert_eq!(
            p,
            Position {
                stage: Stage::Declaration,
                status: Status::Returned
            }
        );
        let p = apply(p, &Transition::Advance, &all_met()).unwrap();
        assert_eq!(p, pos(Stage::Review));
    }

    #[test]
    fn reasons_are_required() {
        for t in [
            Transition::Return {
                reason: reason(" "),
            },
            Transition::Reject { reason: reason("") },
        ] {
            assert!(matches!(
                apply(pos(Stage::Review), &t, &all_met()),
                Err(TransitionError::ReasonRequired(_))
            ));
        }
    }

    #[test]
    fn reject_fail_and_withdraw_are_final() {
        let r = apply(
            pos(Stage::Review),
            &Transition::Reject {
                reason: reason("不符合条件"),
            },
            &all_met(),
        )
        .unwrap();
        assert_eq!(r.status, Status::Rejected);
        assert_eq!(
            apply(r, &Transition::Advance, &all_met()),
            Err(TransitionError::Final(Status::Rejected))
        );
        let f = apply(
            pos(Stage::Test),
            &Transition::Fail {
                reason: reason("52分"),
            },
            &all_met(),
        )
        .unwrap();
        assert_eq!(f.status, Status::Failed);
        let w = apply(
            pos(Stage::SiteVisit),
            &Transition::Withdraw {
                reason: reason("本人申请"),
            },
            &all_met(),
        )
        .unwrap();
        assert_eq!(
            w,
            Position {
                stage: Stage::SiteVisit,
                status: Status::Withdrawn
            }
        );
    }

    #[test]
    fn actions_in_the_wrong_stage_name_the_stage() {
        let e = apply(
            pos(Stage::Evaluation),
            &Transition::Reject {
                reason: reason("x"),
            },
            &all_met(),
        )
        .unwrap_err();
        assert_eq!(
            e.to_string(),
            "cannot reject an application at the Overall evaluation stage"
        );
        assert!(apply(
            pos(Stage::Review),
            &Transition::Fail {
                reason: reason("x")
            },
            &all_met()
        )
        .is_err());
        assert!(apply(
            pos(Stage::Notice),
            &Transition::Return {
                reason: reason("x")
            },
            &all_met()
        )
        .is_err());
    }

    #[test]
    fn refusals_read_in_chinese_with_the_checks_named() {
        let e = TransitionError::Ineligible(vec!["prior_grade".into(), "training_days".into()]);
        assert_eq!(
            e.zh(),
            "资格条件不符合（已获等级、近12个月培训天数），通过须先写明破格理由"
        );
        assert_eq!(
            TransitionError::Final(Status::Rejected).zh(),
            "该申请已不予通过，本周期不能再办理"
        );
        assert_eq!(
            TransitionError::WrongStage {
                deed: Deed::RejectApplication,
                stage: Stage::Evaluation
            }
            .zh(),
            "综合评定环节不能作出不予通过的决定"
        );
    }

    #[test]
    fn stage_parse_and_labels() {
        assert_eq!(Stage::parse("site_visit"), Some(Stage::SiteVisit));
        assert_eq!(Stage::parse("组织审核"), Some(Stage::Review));
        assert_eq!(Stage::parse("6"), Some(Stage::Notice));
        assert_eq!(Stage::Notice.number(), 6);
        assert_eq!(Status::parse("returned"), Some(Status::Returned));
    }
}
