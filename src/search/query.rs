//! The query language: free-text terms and `key:value` filters.

use super::reading::{char_bit, char_mask};
use crate::domain::{Category, Grade, Stage};
use thiserror::Error;

/// A query that cannot be run, naming what is wrong. Filters are never silently
/// ignored.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum QueryError {
    #[error("unknown filter '{name}:' (filters: {})", FILTER_KEYS)]
    UnknownFilter { name: String },
    #[error("the filter '{filter}:' needs a value (one of: {choices})")]
    MissingValue {
        filter: &'static str,
        choices: String,
    },
    #[error("unknown value '{value}' for '{filter}:' (one of: {choices})")]
    UnknownValue {
        filter: &'static str,
        value: String,
        choices: String,
    },
    #[error("too many words: at most {max}")]
    TooManyWords { max: usize },
}

impl QueryError {
    /// The message in Chinese, for the Chinese screens.
    pub fn zh(&self) -> String {
        match self {
            QueryError::UnknownFilter { name } => {
                format!("未知的筛选条件“{name}:”（可用：{FILTER_KEYS_ZH}）")
            }
            QueryError::MissingValue { filter, choices } => format!(
                "筛选条件“{}:”缺少取值（可选：{}）",
                key_zh(filter),
                choices_zh(choices)
            ),
            QueryError::UnknownValue {
                filter,
                value,
                choices,
            } => format!(
                "筛选条件“{}:”没有“{value}”这个取值（可选：{}）",
                key_zh(filter),
                choices_zh(choices)
            ),
            QueryError::TooManyWords { max } => format!("词语太多：最多 {max} 个"),
        }
    }
}

/// Words of a query beyond filters (one bit each in a `u64`).
const MAX_WORDS: usize = 64;

const FILTER_KEYS: &str = "grade:, stage:, county:, cat:, cert:";

/// The filters' Chinese names, which the parser takes as well as the English ones.
pub const FILTER_KEYS_ZH: &str = "等级:、环节:、区县:、类别:、认证:";

/// A filter's Chinese name.
fn key_zh(filter: &str) -> &'static str {
    match filter {
        "grade" => "等级",
        "stage" => "环节",
        "county" => "区县",
        "cat" => "类别",
        _ => "认证",
    }
}

/// The Chinese spelling of each choice of a list like `senior/高级, none/无`.
fn choices_zh(choices: &str) -> String {
    choices
        .split(", ")
        .map(|c| c.rsplit('/').next().unwrap_or(c))
        .collect::<Vec<_>>()
        .join("、")
}
/// A filter of the query, already resolved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Filter {
    /// Current grade; `None` for persons without one.
    Grade(Option<Grade>),
    /// Stage of the application in the newest open cycle; `None` for no application.
    Stage(Option<Stage>),
    /// Any of these counties (ids of the index's county pool).
    County(Vec<u32>),
    Category(Category),
    Certified(bool),
}

/// One free-text term (a word of the query between spaces), lower case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Term {
    pub text: String,
    pub mask: u64,
    /// The bit of the first character (see `reading::initials_mask`).
    pub first: u64,
    /// A single ASCII letter or digit: spelled exactly when it is an initial.
    pub single: bool,
    /// Has Latin letters, so it is matched against the readings; otherwise against the
    /// text itself.
    pub latin: bool,
    /// Only digits and `x`: may also match the visible tail of the ID number.
    pub id_like: bool,
}

impl Term {
    fn new(text: String) -> Term {
        let mut chars = text.chars();
        let first = chars.next();
        Term {
            mask: char_mask(&text),
            first: first.map_or(0, char_bit),
            single: chars.next().is_none() && first.is_some_and(|c| c.is_ascii_alphanumeric()),
            latin: text.bytes().any(|b| b.is_ascii_alphabetic()),
            id_like: text.chars().all(|c| c.is_ascii_digit() || c == 'x'),
            text,
        }
    }
}

/// A parsed query.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Query {
    pub(crate) terms: Vec<Term>,
    pub(crate) filters: Vec<Filter>,
    /// The terms run together (`zhang w` → `zhangw`), for the name ranks.
    pub(crate) joined: String,
}

impl Query {
    /// Whether every person matching `self` also matches `previous`, so that a search
    /// for `self` may scan only `previous`'s matches: the same filters and more, and the
    /// same terms with the last one grown or more terms after it. A term is matched as
    /// a subsequence (or, against an ID, a substring), so a term that grows by
    /// characters at its end can only lose matches.
    pub(crate) fn narrows(&self, previous: &Query) -> bool {
        if !previous.filters.iter().all(|f| self.filters.contains(f)) {
            return false;
        }
        let Some((last, before)) = previous.terms.split_last() else {
            return true;
        };
        self.terms.len() > before.len()
            && self.terms[..before.len()] == *before
            && self.terms[before.len()].text.starts_with(&last.text)
    }

    /// No terms: only filters, or nothing at all.
    pub fn is_empty(&self) -> bool {
        self.terms.is_empty()
    }
}

/// Full-width forms (typed with a Chinese input method) to ASCII, ASCII to lower case.
fn normalise(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '\u{3000}' => ' ',
            '\u{ff01}'..='\u{ff5e}' => char::from_u32(c as u32 - 0xfee0).unwrap_or(c),
            _ => c,
        })
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

/// Parses a query. `county` resolves a county filter's value to the ids of the
/// counties it names, or gives the list of counties for the error.
pub(crate) fn parse(
    text: &str,
    county: impl Fn(&str) -> Result<Vec<u32>, String>,
) -> Result<Query, QueryError> {
    let text = normalise(text);
    let mut terms = Vec::new();
    let mut filters = Vec::new();
    for word in text.split_whitespace() {
        match word.split_once(':') {
            None => terms.push(Term::new(word.to_string())),
            Some((key, value)) => filters.push(filter(key, value, &county)?),
        }
    }
    if terms.len() > MAX_WORDS {
        return Err(QueryError::TooManyWords { max: MAX_WORDS });
    }
    let joined = terms.iter().map(|t| t.text.as_str()).collect();
    Ok(Query {
        terms,
        filters,
        joined,
    })
}

fn filter(
    key: &str,
    value: &str,
    county: &impl Fn(&str) -> Result<Vec<u32>, String>,
) -> Result<Filter, QueryError> {
    let name = match key {
        "grade" | "等级" | "现等级" => "grade",
        "stage" | "环节" | "阶段" => "stage",
        "county" | "区县" | "区" => "county",
        "cat" | "category" | "类别" | "人员类别" => "cat",
        "cert" | "certified" | "认证" | "已认证" => "cert",
        _ => {
            return Err(QueryError::UnknownFilter {
                name: key.to_string(),
            })
        }
    };
    let choices = || -> String {
        match name {
            "grade" => format!("{}, none/无", Grade::choices()),
            "stage" => {
                let stages: Vec<String> = Stage::ALL
                    .iter()
                    .map(|s| format!("{}/{}", s.code(), s.zh()))
                    .collect();
                format!("{}, none/无", stages.join(", "))
            }
            "cat" => Category::choices(),
            "cert" => "yes/是, no/否".to_string(),
            _ => county(value).err().unwrap_or_default(),
        }
    };
    if value.is_empty() {
        return Err(QueryError::MissingValue {
            filter: name,
            choices: choices(),
        });
    }
    let none = matches!(value, "none" | "无");
    let parsed = match name {
        "grade" if none => Some(Filter::Grade(None)),
        "grade" => Grade::parse(value)
            .or_else(|| by_prefix(value, Grade::ALL, |g| g.code()))
            .or_else(|| by_part(value, Grade::ALL, |g| g.zh()))
            .map(|g| Filter::Grade(Some(g))),
        "stage" if none => Some(Filter::Stage(None)),
        "stage" => Stage::parse(value)
            .or_else(|| by_prefix(value, &Stage::ALL, |s| s.code()))
            .or_else(|| by_part(value, &Stage::ALL, |s| s.zh()))
            .map(|s| Filter::Stage(Some(s))),
        "cat" => Category::parse(value)
            .or_else(|| by_prefix(value, Category::ALL, |c| c.code()))
            .or_else(|| by_part(value, Category::ALL, |c| c.zh()))
            .map(Filter::Category),
        "cert" => match value {
            "yes" | "y" | "true" | "1" | "是" | "已认证" => Some(Filter::Certified(true)),
            "no" | "n" | "false" | "0" | "否" | "未认证" => Some(Filter::Certified(false)),
            _ => None,
        },
        _ => county(value).ok().map(Filter::County),
    };
    parsed.ok_or_else(|| QueryError::UnknownValue {
        filter: name,
        value: value.to_string(),
        choices: choices(),
    })
}

/// The one choice whose code starts with `value` (`sen` → senior), if exactly one does.
fn by_prefix<T: Copy>(value: &str, all: &[T], code: impl Fn(T) -> &'static str) -> Option<T> {
    let mut found = all.iter().copied().filter(|&x| code(x).starts_with(value));
    let first = found.next()?;
    found.next().is_none().then_some(first)
}

/// The one choice whose Chinese name holds `value` (`审核` → 组织审核, as the stage line
/// shortens it), if exactly one does.
fn by_part<T: Copy>(value: &str, all: &[T], zh: impl Fn(T) -> &'static str) -> Option<T> {
    if value.is_ascii() {
        return None;
    }
    let mut found = all.iter().copied().filter(|&x| zh(x).contains(value));
    let first = found.next()?;
    found.next().is_none().then_some(first)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn no_county(_: &str) -> Result<Vec<u32>, String> {
        Err("玄武区".into())
    }

    fn q(text: &str) -> Query {
        parse(text, no_county).unwrap()
    }

    #[test]
    fn terms_and_filters() {
        let query = q("grade:高级 Zhang  w stage:review cat:书记 cert:no");
        let words: Vec<&str> = query.terms.iter().map(|t| t.text.as_str()).collect();
        assert_eq!(words, ["zhang", "w"]);
        assert_eq!(query.joined, "zhangw");
        assert_eq!(
            query.filters,
            [
                Filter::Grade(Some(Grade::Senior)),
                Filter::Stage(Some(Stage::Review)),
                Filter::Category(Category::Secretary),
                Filter::Certified(false)
            ]
        );
    }

    #[test]
    fn values_in_chinese_english_prefixes_and_full_width() {
        assert_eq!(q("grade:sen").filters, [Filter::Grade(Some(Grade::Senior))]);
        assert_eq!(q("grade：无").filters, [Filter::Grade(None)]);
        assert_eq!(
            q("等级:特级").filters,
            [Filter::Grade(Some(Grade::Special))]
        );
        for visit in ["stage:实地走访", "stage:site", "stage:4", "环节:site_visit"] {
            assert_eq!(q(visit).filters, [Filter::Stage(Some(Stage::SiteVisit))]);
        }
        assert_eq!(q("cat:staff").filters, [Filter::Category(Category::Staff)]);
        // The short names of the stage line, and parts of categories.
        assert_eq!(q("环节:审核").filters, [Filter::Stage(Some(Stage::Review))]);
        assert_eq!(q("阶段:公示").filters, [Filter::Stage(Some(Stage::Notice))]);
        assert_eq!(
            q("类别:书记").filters,
            [Filter::Category(Category::Secretary)]
        );
        assert_eq!(
            q("类别:指导员").filters,
            [Filter::Category(Category::Instructor)]
        );
        assert_eq!(q("ｚｗ").terms[0].text, "zw");
    }

    #[test]
    fn bad_filters_are_errors_naming_them() {
        let err = parse("zw colour:red", no_county).unwrap_err();
        assert_eq!(
            err,
            QueryError::UnknownFilter {
                name: "colour".into()
            }
        );
        assert!(err.to_string().contains("colour"), "{err}");
        let err = parse("grade:s", no_county).unwrap_err();
        assert!(
            matches!(&err, QueryError::UnknownValue { filter: "grade", value, .. } if value == "s"),
            "ambiguous prefix: {err:?}"
        );
        assert!(err.to_string().contains("senior/高级"), "{err}");
        assert!(matches!(
            parse("stage:", no_county),
            Err(QueryError::MissingValue {
                filter: "stage",
                ..
            })
        ));
        let err = parse("county:火星", no_county).unwrap_err();
        assert!(err.to_string().contains("玄武区"), "{err}");
        assert!(err.zh().contains("火星"));
        let err = parse("等级:甲", no_county).unwrap_err();
        assert_eq!(
            err.zh(),
            "筛选条件“等级:”没有“甲”这个取值（可选：初级、中级、高级、特级、无）"
        );
        let err = parse("level:3", no_county).unwrap_err();
        assert!(err.zh().contains("等级:、环节:"), "{}", err.zh());
        assert!(matches!(
            parse("cert:maybe", no_county),
            Err(QueryError::UnknownValue { filter: "cert", .. })
        ));
    }

    #[test]
    fn narrowing_needs_the_same_start() {
        assert!(q("zha").narrows(&q("zh")));
        assert!(q("zh w").narrows(&q("zh")));
        assert!(q("zh grade:senior").narrows(&q("zh")));
        assert!(q("anything").narrows(&q("")));
        assert!(!q("zh").narrows(&q("zha")));
        assert!(!q("zw").narrows(&q("zh")));
        assert!(!q("ab cd").narrows(&q("ab c d")));
        assert!(!q("zh").narrows(&q("zh grade:senior")));
    }
}
