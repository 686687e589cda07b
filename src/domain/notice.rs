//! The public notice (公示): objections (异议) and their states, the chair's decision on
//! an upheld objection, and what keeps a notice from being closed. Every refusal is a
//! value with an English and a Chinese text.

use super::grade::Grade;
use chrono::NaiveDate;
use thiserror::Error;

coded_enum!(
    /// Where an objection stands: received -> verifying -> upheld (属实) or dismissed
    /// (不属实); or withdrawn by the objector before a conclusion.
    ObjectionState {
        Received = "received", "已受理", ["受理"];
        Verifying = "verifying", "核查中", ["under_verification", "核查"];
        Upheld = "upheld", "属实", [];
        Dismissed = "dismissed", "不属实", [];
        Withdrawn = "withdrawn", "已撤回", ["撤回"];
    }
);

coded_enum!(
    /// How an objection came in.
    Channel {
        Letter = "letter", "来信", ["信函"];
        Visit = "visit", "来访", [];
        Phone = "phone", "来电", ["电话"];
        Email = "email", "电子邮件", ["邮件"];
    }
);

impl ObjectionState {
    /// Still to be concluded: it keeps the candidate from being certified.
    pub fn is_open(self) -> bool {
        matches!(self, ObjectionState::Received | ObjectionState::Verifying)
    }
}

/// A step of an objection.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step {
    /// The committee starts checking the objection.
    Verify,
    /// Found true (属实), with the written findings and who verified them.
    Uphold {
        findings: String,
        verified_by: String,
    },
    /// Found untrue (不属实), with the written findings and who verified them.
    Dismiss {
        findings: String,
        verified_by: String,
    },
    /// The objector withdraws it; the note says how (e.g. a signed letter).
    Withdraw { note: String },
}

impl Step {
    pub fn code(&self) -> &'static str {
        match self {
            Step::Verify => "verify",
            Step::Uphold { .. } => "uphold",
            Step::Dismiss { .. } => "dismiss",
            Step::Withdraw { .. } => "withdraw",
        }
    }

    /// What the step writes into the objection's findings.
    pub fn findings(&self) -> Option<&str> {
        match self {
            Step::Verify => None,
            Step::Uphold { findings, .. } | Step::Dismiss { findings, .. } => Some(findings),
            Step::Withdraw { note } => Some(note),
        }
    }

    pub fn verified_by(&self) -> Option<&str> {
        match self {
            Step::Uphold { verified_by, .. } | Step::Dismiss { verified_by, .. } => {
                Some(verified_by)
            }
            _ => None,
        }
    }
}

/// The state an objection moves to by `step`, or the rule that refuses it.
pub fn step(state: ObjectionState, step: &Step) -> Result<ObjectionState, NoticeError> {
    if !state.is_open() {
        return Err(NoticeError::ObjectionConcluded(state));
    }
    let blank = |s: &str| s.trim().is_empty();
    match step {
        Step::Verify if state == ObjectionState::Verifying => Err(NoticeError::AlreadyVerifying),
        Step::Verify => Ok(ObjectionState::Verifying),
        Step::Uphold { .. } | Step::Dismiss { .. } if state == ObjectionState::Received => {
            Err(NoticeError::NotVerified)
        }
        Step::Uphold {
            findings,
            verified_by,
        }
        | Step::Dismiss {
            findings,
            verified_by,
        } => {
            if blank(findings) {
                Err(NoticeError::FindingsRequired)
            } else if blank(verified_by) {
                Err(NoticeError::VerifierRequired)
            } else if matches!(step, Step::Uphold { .. }) {
                Ok(ObjectionState::Upheld)
            } else {
                Ok(ObjectionState::Dismissed)
            }
        }
        Step::Withdraw { note } if blank(note) => {
            Err(NoticeError::ReasonRequired("withdraw an objection"))
        }
        Step::Withdraw { .. } => Ok(ObjectionState::Withdrawn),
    }
}

/// The chair's decision on an upheld objection.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    /// The candidate is not certified.
    NotCertify,
    /// The candidate is certified at this lower grade.
    Lower(Grade),
}

impl Decision {
    pub fn code(self) -> &'static str {
        match self {
            Decision::NotCertify => "not_certified",
            Decision::Lower(_) => "lower",
        }
    }

    pub fn grade(self) -> Option<Grade> {
        match self {
            Decision::NotCertify => None,
            Decision::Lower(g) => Some(g),
        }
    }

    pub fn zh(self) -> String {
        match self {
            Decision::NotCertify => "不予认证".into(),
            Decision::Lower(g) => format!("降为{}", g.zh()),
        }
    }

    /// A stored decision: its code and, for `lower`, the grade's code.
    pub fn parse(code: &str, grade: Option<&str>) -> Option<Decision> {
        match code {
            "not_certified" => Some(Decision::NotCertify),
            "lower" => grade.and_then(Grade::parse).map(Decision::Lower),
            _ => None,
        }
    }
}

/// What a decision is checked against.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DecisionContext<'a> {
    pub state: ObjectionState,
    pub already_decided: bool,
    /// The grade proposed on the notice.
    pub proposed: Grade,
    /// The grade the candidate already holds, if any.
    pub held: Option<Grade>,
    /// The grades the rules define.
    pub defined: &'a [Grade],
}

/// Refuses a decision that does not follow the rules: only on an upheld objection, once,
/// with a reason; a lower grade must be a grade the rules define, below the proposed
/// one and above the grade already held.
pub fn check_decision(
    ctx: DecisionContext<'_>,
    decision: Decision,
    reason: &str,
) -> Result<(), NoticeError> {
    if ctx.state != ObjectionState::Upheld {
        return Err(NoticeError::NotUpheld(ctx.state));
    }
    if ctx.already_decided {
        return Err(NoticeError::AlreadyDecided);
    }
    if reason.trim().is_empty() {
        return Err(NoticeError::ReasonRequired("decide on an upheld objection"));
    }
    if let Decision::Lower(g) = decision {
        if g >= ctx.proposed {
            return Err(NoticeError::NotLower {
                proposed: ctx.proposed,
                given: g,
            });
        }
        if !ctx.defined.contains(&g) {
            return Err(NoticeError::GradeUndefined(g));
        }
        if let Some(held) = ctx.held.filter(|h| g <= *h) {
            return Err(NoticeError::AlreadyHeld(held));
        }
    }
    Ok(())
}

/// How the objections on one candidate stand.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ObjectionSummary {
    pub received: usize,
    pub verifying: usize,
    pub upheld: usize,
    /// Upheld objections the chair has not decided on yet.
    pub undecided: usize,
    pub dismissed: usize,
    pub withdrawn: usize,
    /// Objections received after the notice period.
    pub late: usize,
}

impl ObjectionSummary {
    pub fn add(&mut self, state: ObjectionState, decided: bool, late: bool) {
        match state {
            ObjectionState::Received => self.received += 1,
            ObjectionState::Verifying => self.verifying += 1,
            ObjectionState::Upheld => {
                self.upheld += 1;
                if !decided {
                    self.undecided += 1;
                }
            }
            ObjectionState::Dismissed => self.dismissed += 1,
            ObjectionState::Withdrawn => self.withdrawn += 1,
        }
        if late {
            self.late += 1;
        }
    }

    pub fn total(&self) -> usize {
        self.received + self.verifying + self.upheld + self.dismissed + self.withdrawn
    }

    /// Objections still to be concluded.
    pub fn open(&self) -> usize {
        self.received + self.verifying
    }

    /// A short Chinese summary for a table cell: 无 when there is none.
    pub fn zh(&self) -> String {
        if self.total() == 0 {
            return "无".into();
        }
        let parts = [
            (self.received, "已受理"),
            (self.verifying, "核查中"),
            (self.undecided, "属实待决定"),
            (self.upheld - self.undecided, "属实已决定"),
            (self.dismissed, "不属实"),
            (self.withdrawn, "已撤回"),
        ];
        parts
            .iter()
            .filter(|(n, _)| *n > 0)
            .map(|(n, label)| format!("{label} {n}"))
            .collect::<Vec<_>>()
            .join("、")
    }
}

/// A candidate of a notice as closing sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pending {
    pub name: String,
    pub objections: ObjectionSummary,
}

/// Refuses to close a notice before its period has ended (`today` after `end`), or
/// while a candidate still in it has an open objection or an upheld one without the
/// chair's decision; the refusal names them.
pub fn check_close(
    today: NaiveDate,
    end: NaiveDate,
    closed: bool,
    pending: &[Pending],
) -> Result<(), NoticeError> {
    if closed {
        return Err(NoticeError::Closed);
    }
    if today <= end {
        return Err(NoticeError::NotEnded(end));
    }
    let names = |f: fn(&ObjectionSummary) -> usize| -> Vec<String> {
        pending
            .iter()
            .filter(|p| f(&p.objections) > 0)
            .map(|p| p.name.clone())
            .collect()
    };
    let open = names(ObjectionSummary::open);
    let undecided = names(|s| s.undecided);
    if open.is_empty() && undecided.is_empty() {
        Ok(())
    } else {
        Err(NoticeError::Blocked { open, undecided })
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum NoticeError {
    #[error("the objection is {} and can no longer change", .0.code())]
    ObjectionConcluded(ObjectionState),
    #[error("the objection is already under verification")]
    AlreadyVerifying,
    #[error("the objection must be under verification before it is upheld or dismissed")]
    NotVerified,
    #[error("upholding or dismissing an objection needs written findings")]
    FindingsRequired,
    #[error("upholding or dismissing an objection needs who verified it")]
    VerifierRequired,
    #[error("a reason is required to {0}")]
    ReasonRequired(&'static str),
    #[error("only an upheld objection is decided on; this one is {}", .0.code())]
    NotUpheld(ObjectionState),
    #[error("the chair has already decided on this objection")]
    AlreadyDecided,
    #[error("{} is not below the proposed grade {}", .given.code(), .proposed.code())]
    NotLower { proposed: Grade, given: Grade },
    #[error("the rules define no grade {}", .0.code())]
    GradeUndefined(Grade),
    #[error("the candidate already holds {}; decide not certified instead", .0.code())]
    AlreadyHeld(Grade),
    #[error("the notice is closed")]
    Closed,
    #[error("the notice period runs until {0}; it can be closed from the next day")]
    NotEnded(NaiveDate),
    #[error("the notice cannot be closed: {}", blocked_en(.open, .undecided))]
    Blocked {
        /// Candidates with an open objection.
        open: Vec<String>,
        /// Candidates with an upheld objection the chair has not decided on.
        undecided: Vec<String>,
    },
}

fn blocked_en(open: &[String], undecided: &[String]) -> String {
    let mut parts = Vec::new();
    if !open.is_empty() {
        parts.push(format!("open objections on {}", open.join(", ")));
    }
    if !undecided.is_empty() {
        parts.push(format!(
            "upheld objections awaiting the chair's decision on {}",
            undecided.join(", ")
        ));
    }
    parts.join("; ")
}

impl NoticeError {
    /// The refusal in Chinese, for the interface.
    pub fn zh(&self) -> String {
        match self {
            NoticeError::ObjectionConcluded(s) => format!("该异议已办结（{}），不能再办理", s.zh()),
            NoticeError::AlreadyVerifying => "该异议已在核查中".into(),
            NoticeError::NotVerified => "异议须先进入核查，才能认定属实或不属实".into(),
            NoticeError::FindingsRequired => "认定属实或不属实须写明核查结论".into(),
            NoticeError::VerifierRequired => "认定属实或不属实须写明核查人".into(),
            NoticeError::ReasonRequired(_) => "必须写明理由".into(),
            NoticeError::NotUpheld(s) => format!("只有属实的异议才需决定，该异议{}", s.zh()),
            NoticeError::AlreadyDecided => "主任委员已对该异议作出决定".into(),
            NoticeError::NotLower { proposed, given } => {
                format!("{}不低于拟认定等级{}", given.zh(), proposed.zh())
            }
            NoticeError::GradeUndefined(g) => format!("认证规则未设{}等级", g.zh()),
            NoticeError::AlreadyHeld(g) => {
                format!("候选人已持有{}等级，应决定不予认证", g.zh())
            }
            NoticeError::Closed => "公示已结束办理".into(),
            NoticeError::NotEnded(end) => {
                format!("公示期至 {end} 结束，次日起方可结束公示")
            }
            NoticeError::Blocked { open, undecided } => {
                let mut parts = Vec::new();
                if !open.is_empty() {
                    parts.push(format!("{} 尚有异议未办结", open.join("、")));
                }
                if !undecided.is_empty() {
                    parts.push(format!("{} 有属实异议待主任委员决定", undecided.join("、")));
                }
                format!("不能结束公示：{}", parts.join("；"))
            }
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
    use ObjectionState::*;

    fn uphold(findings: &str, by: &str) -> Step {
        Step::Uphold {
            findings: findings.into(),
            verified_by: by.into(),
        }
    }
    fn dismiss(findings: &str, by: &str) -> Step {
        Step::Dismiss {
            findings: findings.into(),
            verified_by: by.into(),
        }
    }

    #[test]
    fn received_is_verified_then_upheld_or_dismissed() {
        assert_eq!(step(Received, &Step::Verify), Ok(Verifying));
        assert_eq!(
            step(Verifying, &uphold("经核查，材料有夸大", "陈静怡、孙丽华")),
            Ok(Upheld)
        );
        assert_eq!(
            step(Verifying, &dismiss("经核查，培训记录属实", "孙丽华")),
            Ok(Dismissed)
        );
    }

    #[test]
    fn a_conclusion_needs_verification_findings_and_a_verifier() {
        assert_eq!(
            step(Received, &uphold("结论", "孙丽华")),
            Err(NoticeError::NotVerified)
        );
        assert_eq!(
            step(Verifying, &uphold("  ", "孙丽华")),
            Err(NoticeError::FindingsRequired)
        );
        assert_eq!(
            step(Verifying, &dismiss("结论", "")),
            Err(NoticeError::VerifierRequired)
        );
        assert_eq!(
            step(Verifying, &Step::Verify),
            Err(NoticeError::AlreadyVerifying)
        );
    }

    #[test]
    fn withdrawn_from_received_or_verifying_with_a_note_and_concluded_ones_stay() {
        let w = |n: &str| Step::Withdraw { note: n.into() };
        assert_eq!(step(Received, &w("异议人书面撤回")), Ok(Withdrawn));
        assert_eq!(step(Verifying, &w("异议人来电撤回")), Ok(Withdrawn));
        assert_eq!(
            step(Received, &w(" ")),
            Err(NoticeError::ReasonRequired("withdraw an objection"))
        );
        for s in [Upheld, Dismissed, Withdrawn] {
            for st in [Step::Verify, uphold("a", "b"), dismiss("a", "b"), w("x")] {
                assert_eq!(step(s, &st), Err(NoticeError::ObjectionConcluded(s)));
            }
        }
        assert!(Received.is_open() && Verifying.is_open());
        assert!(!Upheld.is_open() && !Dismissed.is_open() && !Withdrawn.is_open());
    }

    fn ctx(state: ObjectionState) -> DecisionContext<'static> {
        DecisionContext {
            state,
            already_decided: false,
            proposed: Grade::Senior,
            held: Some(Grade::Junior),
            defined: &[Grade::Junior, Grade::Intermediate, Grade::Senior],
        }
    }

    #[test]
    fn decisions_only_on_upheld_objections_once_and_with_a_reason() {
        let r = "工作实绩材料有夸大";
        assert_eq!(check_decision(ctx(Upheld), Decision::NotCertify, r), Ok(()));
        assert_eq!(
            check_decision(ctx(Upheld), Decision::Lower(Grade::Intermediate), r),
            Ok(())
        );
        assert_eq!(
            check_decision(ctx(Verifying), Decision::NotCertify, r),
            Err(NoticeError::NotUpheld(Verifying))
        );
        assert_eq!(
            check_decision(ctx(Upheld), Decision::NotCertify, ""),
            Err(NoticeError::ReasonRequired("decide on an upheld objection"))
        );
        let decided = DecisionContext {
            already_decided: true,
            ..ctx(Upheld)
        };
        assert_eq!(
            check_decision(decided, Decision::NotCertify, r),
            Err(NoticeError::AlreadyDecided)
        );
    }

    #[test]
    fn a_lower_grade_is_defined_below_the_proposed_and_above_the_held() {
        let r = "理由";
        assert_eq!(
            check_decision(ctx(Upheld), Decision::Lower(Grade::Senior), r),
            Err(NoticeError::NotLower {
                proposed: Grade::Senior,
                given: Grade::Senior
            })
        );
        assert_eq!(
            check_decision(ctx(Upheld), Decision::Lower(Grade::Special), r),
            Err(NoticeError::NotLower {
                proposed: Grade::Senior,
                given: Grade::Special
            })
        );
        assert_eq!(
            check_decision(ctx(Upheld), Decision::Lower(Grade::Junior), r),
            Err(NoticeError::AlreadyHeld(Grade::Junior))
        );
        let sparse = DecisionContext {
            defined: &[Grade::Junior, Grade::Senior],
            held: None,
            ..ctx(Upheld)
        };
        assert_eq!(
            check_decision(sparse, Decision::Lower(Grade::Intermediate), r),
            Err(NoticeError::GradeUndefined(Grade::Intermediate))
        );
        assert_eq!(
            check_decision(sparse, Decision::Lower(Grade::Junior), r),
            Ok(())
        );
    }

    fn d(m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, m, day).unwrap()
    }

    #[test]
    fn closing_waits_for_the_period_and_names_who_blocks_it() {
        let mut open = ObjectionSummary::default();
        open.add(Verifying, false, false);
        let mut undecided = ObjectionSummary::default();
        undecided.add(Upheld, false, false);
        let mut decided = ObjectionSummary::default();
        decided.add(Upheld, true, false);
        decided.add(Dismissed, false, true);
        let p = |name: &str, objections| Pending {
            name: name.into(),
            objections,
        };
        let clear = vec![p("李娜", decided), p("王强", ObjectionSummary::default())];
        assert_eq!(check_close(d(11, 30), d(11, 27), false, &clear), Ok(()));
        assert_eq!(
            check_close(d(11, 27), d(11, 27), false, &clear),
            Err(NoticeError::NotEnded(d(11, 27))),
            "the last day is still in the period"
        );
        assert_eq!(
            check_close(d(11, 30), d(11, 27), true, &clear),
            Err(NoticeError::Closed)
        );
        let mut blocked = clear.clone();
        blocked.push(p("张伟", open));
        blocked.push(p("赵敏", undecided));
        let e = check_close(d(11, 30), d(11, 27), false, &blocked).unwrap_err();
        assert_eq!(
            e,
            NoticeError::Blocked {
                open: vec!["张伟".into()],
                undecided: vec!["赵敏".into()]
            }
        );
        assert_eq!(
            e.to_string(),
            "the notice cannot be closed: open objections on 张伟; upheld objections awaiting the chair's decision on 赵敏"
        );
        assert_eq!(
            e.zh(),
            "不能结束公示：张伟 尚有异议未办结；赵敏 有属实异议待主任委员决定"
        );
    }

    #[test]
    fn summaries_count_states_and_read_in_chinese() {
        let mut s = ObjectionSummary::default();
        assert_eq!(s.zh(), "无");
        s.add(Received, false, true);
        s.add(Upheld, true, false);
        s.add(Upheld, false, false);
        s.add(Withdrawn, false, false);
        assert_eq!((s.total(), s.open(), s.undecided, s.late), (4, 1, 1, 1));
        assert_eq!(s.zh(), "已受理 1、属实待决定 1、属实已决定 1、已撤回 1");
        assert_eq!(ObjectionState::parse("属实"), Some(Upheld));
        assert_eq!(Channel::parse("来电"), Some(Channel::Phone));
        assert_eq!(
            Decision::parse("lower", Some("junior")),
            Some(Decision::Lower(Grade::Junior))
        );
        assert_eq!(Decision::Lower(Grade::Intermediate).zh(), "降为中级");
    }

    #[test]
    fn refusals_read_in_chinese() {
        assert_eq!(
            NoticeError::ObjectionConcluded(Dismissed).zh(),
            "该异议已办结（不属实），不能再办理"
        );
        assert_eq!(
            NoticeError::NotLower {
                proposed: Grade::Intermediate,
                given: Grade::Senior
            }
            .zh(),
            "高级不低于拟认定等级中级"
        );
        assert_eq!(
            NoticeError::NotEnded(d(11, 27)).to_string(),
            "the notice period runs until 2026-11-27; it can be closed from the next day"
        );
    }
}
