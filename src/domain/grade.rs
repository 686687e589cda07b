//! Grades, worker categories and annual assessment results.
//!
//! Each enum has a stable English code (stored in the database and the rules file),
//! a Chinese label (shown in the interface) and parses from either.

/// Defines an enum with its English code and Chinese label, and parsing from either
/// (used by the other domain modules too).
macro_rules! coded_enum {
    ($(#[$meta:meta])* $name:ident { $($variant:ident = $code:literal, $zh:literal, [$($alias:literal),*];)+ }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, ::serde::Serialize, ::serde::Deserialize)]
        #[serde(rename_all = "snake_case")]
        pub enum $name { $($variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The stable English code, as stored.
            pub fn code(self) -> &'static str {
                match self { $($name::$variant => $code),+ }
            }

            /// The Chinese label.
            pub fn zh(self) -> &'static str {
                match self { $($name::$variant => $zh),+ }
            }

            /// Parses an English code or a Chinese label (or a known alias), ignoring
            /// surrounding spaces and ASCII case.
            pub fn parse(text: &str) -> Option<$name> {
                let t = text.trim();
                $(
                    if t.eq_ignore_ascii_case($code) || t == $zh $(|| t.eq_ignore_ascii_case($alias))* {
                        return Some($name::$variant);
                    }
                )+
                None
            }

            /// Every accepted spelling, for error messages.
            pub fn choices() -> String {
                let v: Vec<String> = Self::ALL.iter().map(|x| format!("{}/{}", x.code(), x.zh())).collect();
                v.join(", ")
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.zh())
            }
        }
    };
}

coded_enum!(
    /// Certification grade (资格等级), lowest first; the order is the derive order.
    Grade {
        Junior = "junior", "初级", ["初级党务工作者"];
        Intermediate = "intermediate", "中级", ["中级党务工作者"];
        Senior = "senior", "高级", ["高级党务工作者"];
        Special = "special", "特级", ["特级党务工作者"];
    }
);

coded_enum!(
    /// Kind of worker (人员类别).
    Category {
        Secretary = "secretary", "党组织书记", ["书记", "专职副书记"];
        Staff = "staff", "专职党务工作人员", ["专职党务工作者", "党务工作人员"];
        Instructor = "instructor", "党建工作指导员", ["指导员"];
    }
);

coded_enum!(
    /// Annual assessment result (年度考核等级), best first.
    Assessment {
        Excellent = "excellent", "优秀", [];
        Competent = "competent", "称职", [];
        Basic = "basic", "基本称职", ["basically_competent"];
        Incompetent = "incompetent", "不称职", [];
    }
);

coded_enum!(
    /// Sex, as carried by the resident ID number.
    Sex {
        Male = "male", "男", ["m"];
        Female = "female", "女", ["f"];
    }
);

coded_enum!(
    /// A committee member's role.
    Role {
        Chair = "chair", "主任委员", ["主任"];
        Member = "member", "委员", ["评委"];
        Secretary = "secretary", "秘书", [];
    }
);

impl Grade {
    /// The next grade up, if any.
    pub fn next(self) -> Option<Grade> {
        match self {
            Grade::Junior => Some(Grade::Intermediate),
            Grade::Intermediate => Some(Grade::Senior),
            Grade::Senior => Some(Grade::Special),
            Grade::Special => None,
        }
    }
}

impl Category {
    /// Instructors are assessed and funded, never graded.
    pub fn is_certifiable(self) -> bool {
        !matches!(self, Category::Instructor)
    }
}

impl Assessment {
    /// 称职 or better: the bar for the allowance and for passing an annual inspection.
    pub fn is_competent(self) -> bool {
        matches!(self, Assessment::Excellent | Assessment::Competent)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grades_are_ordered_lowest_first() {
        assert!(Grade::Junior < Grade::Intermediate);
        assert!(Grade::Intermediate < Grade::Senior);
        assert!(Grade::Senior < Grade::Special);
        assert_eq!(Grade::Senior.next(), Some(Grade::Special));
        assert_eq!(Grade::Special.next(), None);
    }

    #[test]
    fn parse_accepts_english_codes_and_chinese_labels() {
        assert_eq!(Grade::parse("senior"), Some(Grade::Senior));
        assert_eq!(Grade::parse(" 高级 "), Some(Grade::Senior));
        assert_eq!(Grade::parse("SENIOR"), Some(Grade::Senior));
        assert_eq!(Grade::parse("超级"), None);
        assert_eq!(Category::parse("党组织书记"), Some(Category::Secretary));
        assert_eq!(Category::parse("staff"), Some(Category::Staff));
        assert_eq!(Assessment::parse("基本称职"), Some(Assessment::Basic));
        assert_eq!(Sex::parse("女"), Some(Sex::Female));
    }

    #[test]
    fn instructors_are_never_certified_and_competence_bar() {
        assert!(!Category::Instructor.is_certifiable());
        assert!(Category::Staff.is_certifiable());
        assert!(Assessment::Competent.is_competent());
        assert!(!Assessment::Basic.is_competent());
        assert!(
            Assessment::Excellent < Assessment::Incompetent,
            "best first"
        );
    }

    #[test]
    fn choices_lists_both_spellings() {
        assert_eq!(
            Assessment::choices(),
            "excellent/优秀, competent/称职, basic/基本称职, incompetent/不称职"
        );
    }
}
