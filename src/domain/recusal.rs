//! Recusal (回避): why a member may not score a candidate.

coded_enum!(
    /// The kind of a declared conflict of interest.
    ConflictKind {
        Relative = "relative", "亲属关系", [];
        WorkedThere = "worked_there", "三年内曾在该单位工作", [];
        SameOrg = "same_org", "同一单位", [];
        Other = "other", "其他", [];
    }
);

impl ConflictKind {
    pub fn en(self) -> &'static str {
        match self {
            ConflictKind::Relative => "relative",
            ConflictKind::WorkedThere => "worked there within 3 years",
            ConflictKind::SameOrg => "same organisation",
            ConflictKind::Other => "other",
        }
    }
}

/// Why a member must recuse from a candidate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Recusal {
    /// The member works in the candidate's organisation.
    SameOrganisation,
    /// The member (or the chair for them) declared a conflict.
    Declared { kind: ConflictKind, reason: String },
}

impl Recusal {
    pub fn zh(&self) -> String {
        match self {
            Recusal::SameOrganisation => "须回避：与候选人在同一单位".into(),
            Recusal::Declared { kind, reason } => {
                format!("须回避：已申报回避（{}）：{reason}", kind.zh())
            }
        }
    }

    pub fn en(&self) -> String {
        match self {
            Recusal::SameOrganisation => "same organisation as the candidate".into(),
            Recusal::Declared { kind, reason } => {
                format!("declared conflict ({}): {reason}", kind.en())
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_recusal_says_why_in_both_languages() {
        let r = Recusal::Declared {
            kind: ConflictKind::WorkedThere,
            reason: "2024年前在该单位任职".into(),
        };
        assert_eq!(
            r.zh(),
            "须回避：已申报回避（三年内曾在该单位工作）：2024年前在该单位任职"
        );
        assert_eq!(
            r.en(),
            "declared conflict (worked there within 3 years): 2024年前在该单位任职"
        );
        assert_eq!(
            Recusal::SameOrganisation.en(),
            "same organisation as the candidate"
        );
    }

    #[test]
    fn conflict_kinds_parse_from_their_codes() {
        for k in ConflictKind::ALL {
            assert_eq!(ConflictKind::parse(k.code()), Some(*k));
        }
        assert_eq!(ConflictKind::parse("friend"), None);
    }
}
