//! Interface language: every label in Chinese (the default) and English.

use crate::domain::stage::{Stage, Status};
use crate::domain::{Category, Grade, Role};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lang {
    #[default]
    Zh,
    En,
}

impl Lang {
    /// `zh`, `zh-CN`, `en`, `en_US.UTF-8`... anything else is refused.
    pub fn parse(text: &str) -> Option<Lang> {
        let t = text.trim().to_ascii_lowercase();
        if t.starts_with("zh") {
            Some(Lang::Zh)
        } else if t.starts_with("en") || t == "c" || t == "posix" {
            Some(Lang::En)
        } else {
            None
        }
    }

    /// From the environment (`LC_ALL`, `LC_MESSAGES`, `LANG`, the first one set):
    /// English for `en…`, `C` and `POSIX` (also `C.UTF-8`), Chinese otherwise and when
    /// none is set.
    pub fn from_env() -> Lang {
        let vars = ["LC_ALL", "LC_MESSAGES", "LANG"].map(|v| std::env::var(v).ok());
        Lang::from_locale(vars.iter().flatten().map(String::as_str))
    }

    /// The language of the first non-empty locale name (see [`Lang::from_env`]).
    pub fn from_locale<'a>(mut names: impl Iterator<Item = &'a str>) -> Lang {
        let Some(name) = names.find(|n| !n.trim().is_empty()) else {
            return Lang::Zh;
        };
        // `en_US.UTF-8@euro` → `en_us`; `C.UTF-8` → `c`.
        let base = name.trim().split(['.', '@']).next().unwrap_or_default();
        let base = base.to_ascii_lowercase();
        if base.starts_with("en") || base == "c" || base == "posix" {
            Lang::En
        } else {
            Lang::Zh
        }
    }

    pub fn other(self) -> Lang {
        match self {
            Lang::Zh => Lang::En,
            Lang::En => Lang::Zh,
        }
    }

    pub fn zh(self) -> bool {
        self == Lang::Zh
    }

    /// Picks the Chinese or the English text.
    pub fn pick<'a>(self, zh: &'a str, en: &'a str) -> &'a str {
        match self {
            Lang::Zh => zh,
            Lang::En => en,
        }
    }

    pub fn stage(self, s: Stage) -> &'static str {
        match self {
            Lang::Zh => s.zh(),
            Lang::En => s.en(),
        }
    }

    /// Short stage names for the stepper on narrow terminals.
    pub fn stage_short(self, s: Stage) -> &'static str {
        let (zh, en) = match s {
            Stage::Declaration => ("申报", "Declare"),
            Stage::Review => ("审核", "Review"),
            Stage::Test => ("测试", "Test"),
            Stage::SiteVisit => ("走访", "Visit"),
            Stage::Evaluation => ("评定", "Evaluate"),
            Stage::Notice => ("公示", "Notice"),
            Stage::Certified => ("认证", "Certified"),
        };
        self.pick(zh, en)
    }

    pub fn status(self, s: Status) -> &'static str {
        match self {
            Lang::Zh => s.zh(),
            Lang::En => match s {
                Status::Active => "in progress",
                Status::Returned => "returned",
                Status::Rejected => "rejected",
                Status::Failed => "test failed",
                Status::Withdrawn => "withdrawn",
                Status::NotCertified => "not certified",
                Status::Done => "certified",
            },
        }
    }

    pub fn grade(self, g: Option<Grade>) -> &'static str {
        match (g, self) {
            (None, Lang::Zh) => "无",
            (None, Lang::En) => "none",
            (Some(g), Lang::Zh) => g.zh(),
            (Some(g), Lang::En) => match g {
                Grade::Junior => "junior",
                Grade::Intermediate => "intermediate",
                Grade::Senior => "senior",
                Grade::Special => "special",
            },
        }
    }

    /// Grades as short as a table column wants them.
    pub fn grade_short(self, g: Option<Grade>) -> &'static str {
        match (g, self) {
            (_, Lang::Zh) => self.grade(g),
            (None, Lang::En) => "-",
            (Some(Grade::Junior), Lang::En) => "Jr",
            (Some(Grade::Intermediate), Lang::En) => "Int",
            (Some(Grade::Senior), Lang::En) => "Sr",
            (Some(Grade::Special), Lang::En) => "Sp",
        }
    }

    pub fn category(self, c: Option<Category>) -> &'static str {
        match (c, self) {
            (None, _) => "",
            (Some(c), Lang::Zh) => match c {
                Category::Secretary => "书记",
                Category::Staff => "专职人员",
                Category::Instructor => "指导员",
            },
            (Some(c), Lang::En) => match c {
                Category::Secretary => "secretary",
                Category::Staff => "staff",
                Category::Instructor => "instructor",
            },
        }
    }

    pub fn role(self, r: Role) -> &'static str {
        match self {
            Lang::Zh => r.zh(),
            Lang::En => match r {
                Role::Chair => "chair",
                Role::Member => "member",
                Role::Secretary => "secretary",
            },
        }
    }

    pub fn rating(self, code: &str) -> &'static str {
        match (code, self) {
            ("satisfied", Lang::Zh) => "满意",
            ("basically_satisfied", Lang::Zh) => "基本满意",
            ("unsatisfied", Lang::Zh) => "不满意",
            ("satisfied", Lang::En) => "satisfied",
            ("basically_satisfied", Lang::En) => "basically satisfied",
            ("unsatisfied", Lang::En) => "unsatisfied",
            _ => "",
        }
    }

    /// A stage-record action code, for the history.
    pub fn action(self, code: &str) -> &'static str {
        let (zh, en) = match code {
            "declare" => ("申报", "declared"),
            "advance" => ("通过", "passed"),
            "return" => ("退回补正", "returned"),
            "reject" => ("不予通过", "rejected"),
            "fail" => ("测试未通过", "failed"),
            "withdraw" => ("撤回", "withdrawn"),
            "not_certify" => ("未予认证", "not certified"),
            "reopen" => ("重新评定", "reopened"),
            _ => ("", ""),
        };
        self.pick(zh, en)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn languages_parse_from_flags_and_locales() {
        assert_eq!(Lang::parse("zh-CN"), Some(Lang::Zh));
        assert_eq!(Lang::parse("en_US.UTF-8"), Some(Lang::En));
        assert_eq!(Lang::parse("fr"), None);
        assert_eq!(Lang::Zh.other(), Lang::En);
    }

    #[test]
    fn the_locale_gives_english_for_en_c_and_posix_and_chinese_otherwise() {
        for (names, lang) in [
            (&["C"][..], Lang::En),
            (&["POSIX"], Lang::En),
            (&["C.UTF-8"], Lang::En),
            (&["en_US.UTF-8"], Lang::En),
            (&["zh_CN.UTF-8"], Lang::Zh),
            (&["zh_TW"], Lang::Zh),
            (&[], Lang::Zh),
            (&["", "C"], Lang::En),
            (&["zh_CN.UTF-8", "C"], Lang::Zh),
        ] {
            assert_eq!(Lang::from_locale(names.iter().copied()), lang, "{names:?}");
        }
    }

    #[test]
    fn every_stage_and_status_has_both_labels() {
        for s in Stage::SIX {
            assert!(!Lang::Zh.stage(s).is_empty() && !Lang::En.stage(s).is_empty());
            assert!(!Lang::Zh.stage_short(s).is_empty() && !Lang::En.stage_short(s).is_empty());
        }
        assert_eq!(Lang::En.status(Status::Returned), "returned");
        assert_eq!(Lang::Zh.grade(Some(Grade::Senior)), "高级");
    }
}
