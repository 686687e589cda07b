//! After certification: the certificate's status, the annual inspection (年检) and who
//! is paid the 红领津贴 for a year. Pure rules; what a failed inspection does comes from
//! the rules file.

use super::grade::{Assessment, Category, Grade};
use super::rules::{OnFail, Rules};
use thiserror::Error;

coded_enum!(
    /// Where a certificate stands.
    CertStatus {
        Valid = "valid", "有效", [];
        Suspended = "suspended", "暂停", ["暂停使用"];
        Revoked = "revoked", "已撤销", ["撤销"];
        Downgraded = "downgraded", "已降级", ["降级"];
    }
);

impl CertStatus {
    /// A revoked or downgraded certificate never changes again.
    pub fn is_final(self) -> bool {
        matches!(self, CertStatus::Revoked | CertStatus::Downgraded)
    }

    /// Still held: valid or suspended.
    pub fn is_held(self) -> bool {
        !self.is_final()
    }
}

/// What the chair may do to a certificate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CertAction {
    /// Suspend pending a review (e.g. a holder who left party-affairs work).
    Suspend,
    /// Lift a suspension.
    Reinstate,
    /// Exit (退出): the grade is withdrawn.
    Revoke,
}

impl CertAction {
    pub fn code(self) -> &'static str {
        match self {
            CertAction::Suspend => "suspend",
            CertAction::Reinstate => "reinstate",
            CertAction::Revoke => "revoke",
        }
    }
}

/// The status a certificate moves to, or the rule that refuses it. Every change needs
/// a reason.
pub fn change_status(
    status: CertStatus,
    action: CertAction,
    reason: &str,
) -> Result<CertStatus, CertificateError> {
    if status.is_final() {
        return Err(CertificateError::Final(status));
    }
    if reason.trim().is_empty() {
        return Err(CertificateError::ReasonRequired(match action {
            CertAction::Suspend => "suspend a certificate",
            CertAction::Reinstate => "reinstate a certificate",
            CertAction::Revoke => "revoke a certificate",
        }));
    }
    match (action, status) {
        (CertAction::Suspend, CertStatus::Valid) => Ok(CertStatus::Suspended),
        (CertAction::Reinstate, CertStatus::Suspended) => Ok(CertStatus::Valid),
        (CertAction::Revoke, _) => Ok(CertStatus::Revoked),
        (action, status) => Err(CertificateError::WrongStatus {
            action: action.code(),
            status,
        }),
    }
}

/// What an annual inspection does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InspectionOutcome {
    /// Assessed 称职 or better.
    Passed,
    /// Failed; the grade is kept (no allowance that year).
    Kept,
    /// Failed; the grade is lowered to this one.
    Lowered(Grade),
    /// Failed; the grade is revoked (exit).
    Revoked,
}

impl InspectionOutcome {
    pub fn code(self) -> &'static str {
        match self {
            InspectionOutcome::Passed => "passed",
            InspectionOutcome::Kept => "kept",
            InspectionOutcome::Lowered(_) => "lowered",
            InspectionOutcome::Revoked => "revoked",
        }
    }

    pub fn passed(self) -> bool {
        self == InspectionOutcome::Passed
    }

    pub fn zh(self) -> String {
        match self {
            InspectionOutcome::Passed => "合格".into(),
            InspectionOutcome::Kept => "不合格，保留等级".into(),
            InspectionOutcome::Lowered(g) => format!("不合格，降为{}", g.zh()),
            InspectionOutcome::Revoked => "不合格，撤销等级".into(),
        }
    }
}

/// The grade below `grade` that the rules define, if any.
pub fn lower_grade(rules: &Rules, grade: Grade) -> Option<Grade> {
    rules.grades.keys().copied().rfind(|g| *g < grade)
}

/// What the year's assessment does to a holder of `grade`: 称职 or better passes;
/// otherwise the rules' `inspection.on_fail` keeps, lowers or revokes the grade. Lowering
/// the lowest grade the rules define revokes it.
pub fn inspection_outcome(
    assessment: Assessment,
    grade: Grade,
    rules: &Rules,
) -> InspectionOutcome {
    if assessment.is_competent() {
        return InspectionOutcome::Passed;
    }
    match rules.inspection.on_fail {
        OnFail::Keep => InspectionOutcome::Kept,
        OnFail::Revoke => InspectionOutcome::Revoked,
        OnFail::Lower => match lower_grade(rules, grade) {
            Some(g) => InspectionOutcome::Lowered(g),
            None => InspectionOutcome::Revoked,
        },
    }
}

/// Refuses an inspection of a certificate no longer held, or one that revokes without
/// a reason.
pub fn check_inspection(
    status: CertStatus,
    outcome: InspectionOutcome,
    reason: &str,
) -> Result<(), CertificateError> {
    if status.is_final() {
        return Err(CertificateError::Final(status));
    }
    if outcome == InspectionOutcome::Revoked && reason.trim().is_empty() {
        return Err(CertificateError::ReasonRequired("revoke a grade (exit)"));
    }
    Ok(())
}

/// Why a holder is not on the 红领津贴 roll of a year.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exclusion {
    /// Only secretaries and full-time staff are paid.
    Category(Category),
    /// The certificate is suspended (or no longer held).
    Status(CertStatus),
    /// No assessment recorded for the year.
    NotAssessed,
    /// Assessed below 称职.
    Assessed(Assessment),
    /// Reported as having left party-affairs work.
    LeftPost,
}

impl Exclusion {
    pub fn zh(self) -> String {
        match self {
            Exclusion::Category(c) => format!("人员类别为{}", c.zh()),
            Exclusion::Status(s) => format!("证书{}", s.zh()),
            Exclusion::NotAssessed => "本年度未录入考核结果".into(),
            Exclusion::Assessed(a) => format!("年度考核{}", a.zh()),
            Exclusion::LeftPost => "已不在党务工作岗位".into(),
        }
    }

    pub fn en(self) -> String {
        match self {
            Exclusion::Category(c) => format!("category {}", c.code()),
            Exclusion::Status(s) => format!("certificate {}", s.code()),
            Exclusion::NotAssessed => "no assessment for the year".into(),
            Exclusion::Assessed(a) => format!("assessed {}", a.code()),
            Exclusion::LeftPost => "left party-affairs work".into(),
        }
    }
}

/// Whether a certificate holder is paid the allowance for a year: a secretary or staff
/// member, with a valid certificate, assessed 称职 or better that year, still in post.
pub fn allowance_exclusion(
    category: Category,
    status: CertStatus,
    assessment: Option<Assessment>,
    in_post: bool,
) -> Option<Exclusion> {
    if !matches!(category, Category::Secretary | Category::Staff) {
        return Some(Exclusion::Category(category));
    }
    if status != CertStatus::Valid {
        return Some(Exclusion::Status(status));
    }
    if !in_post {
        return Some(Exclusion::LeftPost);
    }
    match assessment {
        None => Some(Exclusion::NotAssessed),
        Some(a) if !a.is_competent() => Some(Exclusion::Assessed(a)),
        Some(_) => None,
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum CertificateError {
    #[error("the certificate is {} and can no longer change", .0.code())]
    Final(CertStatus),
    #[error("cannot {action} a certificate that is {}", .status.code())]
    WrongStatus {
        action: &'static str,
        status: CertStatus,
    },
    #[error("a reason is required to {0}")]
    ReasonRequired(&'static str),
    #[error("the {0} inspection of this certificate is already recorded")]
    AlreadyInspected(i32),
    #[error("the file records {} for {year}, not {}; correct the file first", .recorded.code(), .given.code())]
    AssessmentDiffers {
        year: i32,
        recorded: Assessment,
        given: Assessment,
    },
    #[error("{0} holds no grade")]
    NoGrade(String),
    #[error("{name} already holds a certificate of {}", .grade.code())]
    AlreadyCertified { name: String, grade: Grade },
    #[error("{} are not certified", .0.code())]
    NotCertifiable(Category),
}

impl CertificateError {
    /// The refusal in Chinese, for the interface.
    pub fn zh(&self) -> String {
        match self {
            CertificateError::Final(s) => format!("该证书{}，不能再变更", s.zh()),
            CertificateError::WrongStatus { status, .. } => {
                format!("证书当前{}，不能进行此项操作", status.zh())
            }
            CertificateError::ReasonRequired(_) => "必须写明理由".into(),
            CertificateError::AlreadyInspected(y) => format!("该证书 {y} 年度年检已登记"),
            CertificateError::AssessmentDiffers {
                year,
                recorded,
                given,
            } => format!(
                "人员档案中 {year} 年度考核为{}，与{}不符，请先更正档案",
                recorded.zh(),
                given.zh()
            ),
            CertificateError::NoGrade(name) => format!("{name} 未获得等级"),
            CertificateError::AlreadyCertified { name, grade } => {
                format!("{name} 已持有{}证书", grade.zh())
            }
            CertificateError::NotCertifiable(c) => format!("{}不参加等级认证", c.zh()),
        }
    }

    /// The refusal in English (its `Display`).
    pub fn en(&self) -> String {
        self.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::rules::DEMO_RULES;
    use CertStatus::*;

    fn rules(on_fail: &str) -> Rules {
        let text = DEMO_RULES.replacen(
            "on_fail = \"lower\"",
            &format!("on_fail = \"{on_fail}\""),
            1,
        );
        Rules::from_toml(&text).unwrap()
    }

    #[test]
    fn status_changes_need_a_reason_and_end_at_revocation() {
        assert_eq!(
            change_status(Valid, CertAction::Suspend, "离岗待核"),
            Ok(Suspended)
        );
        assert_eq!(
            change_status(Suspended, CertAction::Reinstate, "复核"),
            Ok(Valid)
        );
        assert_eq!(
            change_status(Suspended, CertAction::Revoke, "退出"),
            Ok(Revoked)
        );
        assert_eq!(
            change_status(Valid, CertAction::Revoke, "退出"),
            Ok(Revoked)
        );
        assert_eq!(
            change_status(Valid, CertAction::Revoke, " "),
            Err(CertificateError::ReasonRequired("revoke a certificate"))
        );
        assert_eq!(
            change_status(Valid, CertAction::Reinstate, "x"),
            Err(CertificateError::WrongStatus {
                action: "reinstate",
                status: Valid
            })
        );
        assert_eq!(
            change_status(Suspended, CertAction::Suspend, "x"),
            Err(CertificateError::WrongStatus {
                action: "suspend",
                status: Suspended
            })
        );
        for s in [Revoked, Downgraded] {
            assert_eq!(
                change_status(s, CertAction::Reinstate, "x"),
                Err(CertificateError::Final(s))
            );
        }
    }

    #[test]
    fn competent_or_better_passes_and_a_fail_follows_the_rules() {
        let lower = rules("lower");
        for a in [Assessment::Excellent, Assessment::Competent] {
            assert_eq!(
                inspection_outcome(a, Grade::Senior, &lower),
                InspectionOutcome::Passed
            );
        }
        assert_eq!(
            inspection_outcome(Assessment::Basic, Grade::Senior, &lower),
            InspectionOutcome::Lowered(Grade::Intermediate)
        );
        assert_eq!(
            inspection_outcome(Assessment::Incompetent, Grade::Junior, &lower),
            InspectionOutcome::Revoked,
            "nothing below the lowest grade"
        );
        assert_eq!(
            inspection_outcome(Assessment::Basic, Grade::Senior, &rules("keep")),
            InspectionOutcome::Kept
        );
        assert_eq!(
            inspection_outcome(Assessment::Incompetent, Grade::Special, &rules("revoke")),
            InspectionOutcome::Revoked
        );
    }

    #[test]
    fn lowering_skips_grades_the_rules_leave_out() {
        let mut r = rules("lower");
        r.grades.remove(&Grade::Intermediate);
        assert_eq!(lower_grade(&r, Grade::Senior), Some(Grade::Junior));
        assert_eq!(lower_grade(&r, Grade::Junior), None);
    }

    #[test]
    fn an_inspection_that_revokes_needs_a_reason() {
        assert_eq!(
            check_inspection(Valid, InspectionOutcome::Revoked, ""),
            Err(CertificateError::ReasonRequired("revoke a grade (exit)"))
        );
        assert_eq!(
            check_inspection(Valid, InspectionOutcome::Revoked, "年度考核不称职"),
            Ok(())
        );
        assert_eq!(
            check_inspection(Suspended, InspectionOutcome::Kept, ""),
            Ok(())
        );
        assert_eq!(
            check_inspection(Downgraded, InspectionOutcome::Passed, ""),
            Err(CertificateError::Final(Downgraded))
        );
    }

    #[test]
    fn the_allowance_goes_to_competent_secretaries_and_staff_in_post() {
        let ok = allowance_exclusion(Category::Staff, Valid, Some(Assessment::Competent), true);
        assert_eq!(ok, None);
        assert_eq!(
            allowance_exclusion(
                Category::Secretary,
                Valid,
                Some(Assessment::Excellent),
                true
            ),
            None
        );
        assert_eq!(
            allowance_exclusion(
                Category::Instructor,
                Valid,
                Some(Assessment::Excellent),
                true
            ),
            Some(Exclusion::Category(Category::Instructor))
        );
        assert_eq!(
            allowance_exclusion(
                Category::Staff,
                Suspended,
                Some(Assessment::Competent),
                true
            ),
            Some(Exclusion::Status(Suspended))
        );
        assert_eq!(
            allowance_exclusion(Category::Staff, Valid, Some(Assessment::Basic), true),
            Some(Exclusion::Assessed(Assessment::Basic))
        );
        assert_eq!(
            allowance_exclusion(Category::Staff, Valid, None, true),
            Some(Exclusion::NotAssessed)
        );
        assert_eq!(
            allowance_exclusion(Category::Staff, Valid, Some(Assessment::Competent), false),
            Some(Exclusion::LeftPost)
        );
        assert_eq!(
            Exclusion::Assessed(Assessment::Basic).zh(),
            "年度考核基本称职"
        );
    }

    #[test]
    fn refusals_read_in_chinese() {
        assert_eq!(
            CertificateError::Final(Revoked).zh(),
            "该证书已撤销，不能再变更"
        );
        assert_eq!(
            CertificateError::AssessmentDiffers {
                year: 2025,
                recorded: Assessment::Competent,
                given: Assessment::Basic
            }
            .to_string(),
            "the file records competent for 2025, not basic; correct the file first"
        );
    }
}
