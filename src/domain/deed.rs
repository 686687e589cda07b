//! What a committee role may do: one pure rule, [`may`], over every [`Deed`] the
//! service checks and the screens offer.

use super::Role;

/// Something a committee member does that not every role may do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Deed {
    // Stages 1 to 4: the application.
    PassApplication,
    ReturnApplication,
    RejectApplication,
    RecordFailedTest,
    RefuseCertification,
    OverrideEligibility,
    RecordTestScore,
    RecordSiteVisit,
    RevealIds,
    // Stage 5: the overall evaluation.
    OpenScoring,
    CloseScoring,
    Score,
    DeclareConflict,
    DeclareConflictForOthers,
    SeeProgress,
    SeeConflicts,
    SeeResults,
    FinaliseResult,
    ReopenResult,
    RunMeeting,
    ExportMinutes,
    // Stage 6: the public notice and its objections.
    StartNotice,
    CloseNotice,
    RecordObjection,
    RevealObjectorContact,
    VerifyObjection,
    ConcludeObjection,
    DecideObjection,
    // After certification.
    EnterPriorCertificate,
    RecordInspection,
    RevokeGrade,
    ChangeCertificateStatus,
    RecordJobChange,
    // The cycle, imports and exports.
    CreateCycle,
    ImportData,
    ExportScores,
    ExportOthersSheet,
    ExportAudit,
    // The whole database.
    BackUp,
    Restore,
    // The committee: the keys members log in with over SSH.
    ManageKeys,
}

impl Deed {
    pub const ALL: &'static [Deed] = &[
        Deed::PassApplication,
        Deed::ReturnApplication,
        Deed::RejectApplication,
        Deed::RecordFailedTest,
        Deed::RefuseCertification,
        Deed::OverrideEligibility,
        Deed::RecordTestScore,
        Deed::RecordSiteVisit,
        Deed::RevealIds,
        Deed::OpenScoring,
        Deed::CloseScoring,
        Deed::Score,
        Deed::DeclareConflict,
        Deed::DeclareConflictForOthers,
        Deed::SeeProgress,
        Deed::SeeConflicts,
        Deed::SeeResults,
        Deed::FinaliseResult,
        Deed::ReopenResult,
        Deed::RunMeeting,
        Deed::ExportMinutes,
        Deed::StartNotice,
        Deed::CloseNotice,
        Deed::RecordObjection,
        Deed::RevealObjectorContact,
        Deed::VerifyObjection,
        Deed::ConcludeObjection,
        Deed::DecideObjection,
        Deed::EnterPriorCertificate,
        Deed::RecordInspection,
        Deed::RevokeGrade,
        Deed::ChangeCertificateStatus,
        Deed::RecordJobChange,
        Deed::CreateCycle,
        Deed::ImportData,
        Deed::ExportScores,
        Deed::ExportOthersSheet,
        Deed::ExportAudit,
        Deed::BackUp,
        Deed::Restore,
        Deed::ManageKeys,
    ];

    /// The deed in Chinese, as it follows 不能 (the secretary 不能…).
    pub fn zh(self) -> &'static str {
        match self {
            Deed::PassApplication => "将申请转入下一环节",
            Deed::ReturnApplication => "退回申请补正",
            Deed::RejectApplication => "作出不予通过的决定",
            Deed::RecordFailedTest => "登记测试不合格",
            Deed::RefuseCertification => "作出不予认证的决定",
            Deed::OverrideEligibility => "破格通过资格审核",
            Deed::RecordTestScore => "录入测试成绩",
            Deed::RecordSiteVisit => "登记实地走访",
            Deed::RevealIds => "查看完整证件号码、电话和住址",
            Deed::OpenScoring => "开始评分",
            Deed::CloseScoring => "结束评分",
            Deed::Score => "评分",
            Deed::DeclareConflict => "申报回避",
            Deed::DeclareConflictForOthers => "为其他委员申报回避",
            Deed::SeeProgress => "查看评分进度",
            Deed::SeeConflicts => "查看回避申报",
            Deed::SeeResults => "查看评定结果",
            Deed::FinaliseResult => "确定评定结果",
            Deed::ReopenResult => "重新评定",
            Deed::RunMeeting => "主持评审会",
            Deed::ExportMinutes => "导出会议纪要",
            Deed::StartNotice => "开始公示",
            Deed::CloseNotice => "结束公示",
            Deed::RecordObjection => "登记异议",
            Deed::RevealObjectorContact => "查看异议人联系方式",
            Deed::VerifyObjection => "办理异议核查或撤回",
            Deed::ConcludeObjection => "认定异议属实或不属实",
            Deed::DecideObjection => "对属实的异议作出决定",
            Deed::EnterPriorCertificate => "录入以前取得的等级证书",
            Deed::RecordInspection => "登记年检",
            Deed::RevokeGrade => "取消等级（退出）",
            Deed::ChangeCertificateStatus => "变更证书状态",
            Deed::RecordJobChange => "登记职务变动",
            Deed::CreateCycle => "新建认证年度",
            Deed::ImportData => "导入数据",
            Deed::ExportScores => "导出评分",
            Deed::ExportOthersSheet => "导出其他委员的评分表",
            Deed::ExportAudit => "导出操作日志",
            Deed::BackUp => "备份整个数据库",
            Deed::Restore => "用备份恢复数据库",
            Deed::ManageKeys => "管理委员登录用的公钥",
        }
    }

    /// The deed in English, as it follows "may not".
    pub fn en(self) -> &'static str {
        match self {
            Deed::PassApplication => "pass an application to the next stage",
            Deed::ReturnApplication => "return an application for correction",
            Deed::RejectApplication => "reject an application",
            Deed::RecordFailedTest => "record a failed test",
            Deed::RefuseCertification => "refuse certification",
            Deed::OverrideEligibility => "override an eligibility check",
            Deed::RecordTestScore => "record a test score",
            Deed::RecordSiteVisit => "record a site visit",
            Deed::RevealIds => "reveal ID numbers",
            Deed::OpenScoring => "open scoring",
            Deed::CloseScoring => "close scoring",
            Deed::Score => "score",
            Deed::DeclareConflict => "declare a conflict",
            Deed::DeclareConflictForOthers => "declare a conflict for another member",
            Deed::SeeProgress => "see the scoring progress",
            Deed::SeeConflicts => "see declared conflicts",
            Deed::SeeResults => "see the committee's results",
            Deed::FinaliseResult => "finalise a result",
            Deed::ReopenResult => "reopen a result",
            Deed::RunMeeting => "lead the review meeting",
            Deed::ExportMinutes => "export the meeting's minutes",
            Deed::StartNotice => "start the public notice",
            Deed::CloseNotice => "close the public notice",
            Deed::RecordObjection => "record an objection",
            Deed::RevealObjectorContact => "reveal an objector's contact",
            Deed::VerifyObjection => "record an objection's verification or withdrawal",
            Deed::ConcludeObjection => "conclude an objection (upheld or dismissed)",
            Deed::DecideObjection => "decide on an upheld objection",
            Deed::EnterPriorCertificate => "enter a certificate held from before",
            Deed::RecordInspection => "record an annual inspection",
            Deed::RevokeGrade => "revoke a grade (exit)",
            Deed::ChangeCertificateStatus => "change a certificate's status",
            Deed::RecordJobChange => "record a job-change report",
            Deed::CreateCycle => "create a cycle",
            Deed::ImportData => "import data",
            Deed::ExportScores => "export scores",
            Deed::ExportOthersSheet => "export another member's score sheet",
            Deed::ExportAudit => "export the audit log",
            Deed::BackUp => "back up the whole database",
            Deed::Restore => "restore the database from a backup",
            Deed::ManageKeys => "manage the keys members log in with",
        }
    }

    /// The roles that may do it, in [`Role::ALL`] order.
    pub fn roles(self) -> Vec<Role> {
        Role::ALL
            .iter()
            .copied()
            .filter(|r| may(*r, self))
            .collect()
    }
}

/// Whether a committee member of `role` may do `deed`. The chair may do everything;
/// members decide and score but do not run the session, the notice or the registers;
/// the secretary records and sees but neither decides nor scores.
pub fn may(role: Role, deed: Deed) -> bool {
    use Deed::*;
    match role {
        Role::Chair => true,
        Role::Member => matches!(
            deed,
            PassApplication
                | ReturnApplication
                | RejectApplication
                | RecordFailedTest
                | OverrideEligibility
                | RecordTestScore
                | RecordSiteVisit
                | Score
                | DeclareConflict
                | RecordObjection
                | VerifyObjection
                | ConcludeObjection
        ),
        Role::Secretary => matches!(
            deed,
            RecordTestScore
                | RecordSiteVisit
                | RevealIds
                | SeeProgress
                | SeeConflicts
                | SeeResults
                | RecordObjection
                | RevealObjectorContact
                | VerifyObjection
                | EnterPriorCertificate
                | RecordInspection
                | RecordJobChange
                | CreateCycle
                | ImportData
                | ExportAudit
                | ExportMinutes
                | BackUp
                | Restore
                | ManageKeys
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn all_lists_every_deed_once() {
        let mut seen = std::collections::HashSet::new();
        for d in Deed::ALL {
            assert!(seen.insert(*d), "{d:?} twice");
        }
        // A new deed must be added to ALL too (the texts' matches only catch a new
        // variant, not a missing entry).
        assert_eq!(seen.len(), 41);
    }

    #[test]
    fn the_chair_may_do_everything() {
        assert!(Deed::ALL.iter().all(|d| may(Role::Chair, *d)));
    }

    #[test]
    fn members_decide_and_score_but_do_not_run_the_committee() {
        for d in [
            Deed::PassApplication,
            Deed::ReturnApplication,
            Deed::RejectApplication,
            Deed::RecordFailedTest,
            Deed::OverrideEligibility,
            Deed::Score,
            Deed::DeclareConflict,
            Deed::ConcludeObjection,
        ] {
            assert!(may(Role::Member, d), "{d:?}");
            assert!(!may(Role::Secretary, d), "{d:?}");
        }
        for d in [
            Deed::RefuseCertification,
            Deed::OpenScoring,
            Deed::CloseScoring,
            Deed::FinaliseResult,
            Deed::ReopenResult,
            Deed::DeclareConflictForOthers,
            Deed::StartNotice,
            Deed::CloseNotice,
            Deed::DecideObjection,
            Deed::RevokeGrade,
            Deed::ChangeCertificateStatus,
            Deed::ExportScores,
            Deed::ExportOthersSheet,
        ] {
            assert!(!may(Role::Member, d), "{d:?}");
            assert!(!may(Role::Secretary, d), "{d:?}");
        }
    }

    #[test]
    fn the_secretary_records_and_sees_what_members_may_not() {
        for d in [
            Deed::RevealIds,
            Deed::RevealObjectorContact,
            Deed::SeeProgress,
            Deed::SeeConflicts,
            Deed::SeeResults,
            Deed::EnterPriorCertificate,
            Deed::RecordInspection,
            Deed::RecordJobChange,
            Deed::CreateCycle,
            Deed::ImportData,
            Deed::ExportAudit,
            Deed::BackUp,
            Deed::Restore,
            Deed::ManageKeys,
        ] {
            assert!(may(Role::Secretary, d), "{d:?}");
            assert!(!may(Role::Member, d), "{d:?}");
        }
        for d in [
            Deed::RecordTestScore,
            Deed::RecordSiteVisit,
            Deed::RecordObjection,
            Deed::VerifyObjection,
        ] {
            assert!(Role::ALL.iter().all(|r| may(*r, d)), "{d:?}");
        }
    }

    #[test]
    fn roles_lists_who_may() {
        assert_eq!(Deed::RevealIds.roles(), vec![Role::Chair, Role::Secretary]);
        assert_eq!(Deed::Score.roles(), vec![Role::Chair, Role::Member]);
        assert_eq!(Deed::StartNotice.roles(), vec![Role::Chair]);
    }

    #[test]
    fn every_deed_reads_in_both_languages() {
        for d in Deed::ALL {
            assert!(!d.en().is_empty() && d.en().is_ascii(), "{d:?}");
            assert!(!d.zh().chars().any(|c| c.is_ascii_alphabetic()), "{d:?}");
        }
    }
}
