//! The city's certification rules: a TOML file, validated on load, every number of
//! the procedure (thresholds, weights, days, amounts) comes from here.

use super::grade::{Assessment, Grade};
use super::ids::parse_date;
use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rules {
    pub city: City,
    pub grades: BTreeMap<Grade, GradeRule>,
    pub criteria: Vec<Criterion>,
    pub aggregation: Aggregation,
    #[serde(default)]
    pub notice: Notice,
    #[serde(default)]
    pub certificates: Certificates,
    #[serde(default)]
    pub inspection: Inspection,
    /// The review meeting: time per candidate, what the minutes publish.
    #[serde(default)]
    pub meeting: Meeting,
    /// Public holidays and swapped working days, by year (`[calendar.2026]`).
    #[serde(default)]
    pub calendar: BTreeMap<String, CalendarYear>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct City {
    /// e.g. 南京市
    pub name: String,
    /// Short code used in certificate numbers, e.g. NJ.
    pub code: String,
    /// True when the figures are invented examples, not a city's published rules.
    #[serde(default)]
    pub example: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GradeRule {
    /// Minimum years in the current post.
    pub min_years: f64,
    /// Minimum training days in the 12 months before the cycle date.
    #[serde(default = "default_training_days")]
    pub min_training_days: f64,
    /// Training-test pass mark, out of `test_max`.
    pub test_pass_mark: f64,
    #[serde(default = "default_test_max")]
    pub test_max: f64,
    /// Grade that must be held before applying for this one.
    #[serde(default)]
    pub prior_grade: Option<Grade>,
    /// Years the prior grade must have been held.
    #[serde(default)]
    pub prior_years: f64,
    /// Minimum aggregate committee score (on the scale of the criteria total).
    pub pass_threshold: f64,
    /// 红领津贴: yearly allowance in yuan.
    pub allowance: u32,
    /// Grade code inside certificate numbers, e.g. GJ.
    pub cert_code: String,
    /// Optional: the latest annual assessment must be at least this good.
    #[serde(default)]
    pub min_assessment: Option<Assessment>,
}

fn default_training_days() -> f64 {
    3.0
}
fn default_test_max() -> f64 {
    100.0
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Criterion {
    /// Stable key, e.g. `political`.
    pub key: String,
    /// Chinese name, e.g. 政治素质.
    pub name: String,
    /// English name.
    pub name_en: String,
    /// Maximum points a member may give.
    pub max: f64,
    /// Multiplier of the points in the sheet total.
    #[serde(default = "default_weight")]
    pub weight: f64,
}

fn default_weight() -> f64 {
    1.0
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Method {
    Mean,
    TrimmedMean,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Aggregation {
    pub method: Method,
    /// With `trimmed_mean`: trim only when at least this many sheets were submitted.
    #[serde(default = "default_trim_min")]
    pub trim_min_scorers: usize,
    /// Eligible submitted sheets needed to finalise a result.
    pub quorum: usize,
    /// Whether members may give half points.
    #[serde(default)]
    pub half_points: bool,
    /// Tie-break order after the aggregate: `criterion:<key>` (higher first) or
    /// `post_start` (earlier first).
    #[serde(default)]
    pub tie_break: Vec<String>,
    /// A sheet whose total is more than this many points from the median of the
    /// candidate's sheets is flagged for discussion.
    pub outlier_points: f64,
}

fn default_trim_min() -> usize {
    5
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Notice {
    #[serde(default = "default_notice_days")]
    pub working_days: u32,
    /// Where objections are sent, printed on the published list.
    #[serde(default)]
    pub objection_contact: String,
    /// What to do with a year the rules hold no `[calendar.YEAR]` for.
    #[serde(default)]
    pub missing_calendar: MissingCalendar,
}

/// Working days of a year whose holidays the rules do not list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum MissingCalendar {
    /// Refuse to count them: the secretary adds the year's calendar first.
    #[default]
    Refuse,
    /// Count Saturdays and Sundays as days off, no holidays, and warn wherever such a
    /// period is shown.
    WeekendsOnly,
}

fn default_notice_days() -> u32 {
    5
}

impl Default for Notice {
    fn default() -> Self {
        Notice {
            working_days: default_notice_days(),
            objection_contact: String::new(),
            missing_calendar: MissingCalendar::default(),
        }
    }
}

/// The review meeting (评审会).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Meeting {
    /// Minutes each candidate's turn takes; without it the meeting keeps no time.
    #[serde(default)]
    pub minutes_per_candidate: Option<u32>,
    /// Minutes the chair adds to a turn at a time; without it a turn is not extended.
    #[serde(default)]
    pub extend_minutes: Option<u32>,
    /// What the minutes (会议纪要) publish of the scores: the committee's result only,
    /// or also each eligible sheet's total, without the member's name.
    #[serde(default)]
    pub minutes_scores: MinutesScores,
}

/// What of the scores the minutes publish within the committee.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MinutesScores {
    /// The committee's result and the aggregation used.
    #[default]
    Result,
    /// Also each eligible sheet's total, unnamed.
    Totals,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Certificates {
    /// `{city}`, `{year}`, `{grade}` and `{seq}` (zero-padded to `seq_width`).
    #[serde(default = "default_cert_format")]
    pub format: String,
    #[serde(default = "default_seq_width")]
    pub seq_width: usize,
}

fn default_cert_format() -> String {
    "{city}-{year}-{grade}-{seq}".into()
}
fn default_seq_width() -> usize {
    4
}

impl Default for Certificates {
    fn default() -> Self {
        Certificates {
            format: default_cert_format(),
            seq_width: default_seq_width(),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum OnFail {
    Keep,
    #[default]
    Lower,
    Revoke,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct Inspection {
    /// What a failed annual inspection does to the grade.
    #[serde(default)]
    pub on_fail: OnFail,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct CalendarYear {
    /// Days off: single dates `2026-10-01` or ranges `2026-10-01..2026-10-07`.
    #[serde(default)]
    pub holidays: Vec<String>,
    /// Weekend days that are working days (调休).
    #[serde(default)]
    pub workdays: Vec<String>,
}

/// One problem found in a rules file, with the key path it concerns.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleProblem {
    pub path: String,
    pub message: String,
}

impl std::fmt::Display for RuleProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.path, self.message)
    }
}

/// The holidays and swapped working days of the years a rules file covers.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Calendar {
    pub years: BTreeSet<i32>,
    pub holidays: BTreeSet<NaiveDate>,
    pub workdays: BTreeSet<NaiveDate>,
    /// Years not in `years`.
    pub missing: MissingCalendar,
}

impl Rules {
    /// Parses and validates a rules file; every problem is reported with its key path.
    pub fn from_toml(text: &str) -> Result<Rules, Vec<RuleProblem>> {
        let rules: Rules = toml::from_str(text).map_err(|e| {
            let span = e
                .span()
                .map(|s| {
                    let line = text[..s.start.min(text.len())].matches('\n').count() + 1;
                    format!("line {line}")
                })
                .unwrap_or_else(|| "file".into());
            vec![RuleProblem {
                path: span,
                message: e.message().trim().to_string(),
            }]
        })?;
        let problems = rules.validate();
        if problems.is_empty() {
            Ok(rules)
        } else {
            Err(problems)
        }
    }

    /// Serialises the rules back to TOML (comments are lost; the stored cycle keeps
    /// the original text).
    pub fn to_toml(&self) -> String {
        toml::to_string(self).unwrap_or_default()
    }

    /// The highest possible sheet total: the sum of each criterion's maximum times its
    /// weight.
    pub fn total_max(&self) -> f64 {
        self.criteria.iter().map(|c| c.max * c.weight).sum()
    }

    pub fn grade(&self, grade: Grade) -> Option<&GradeRule> {
        self.grades.get(&grade)
    }

    pub fn criterion(&self, key: &str) -> Option<&Criterion> {
        self.criteria.iter().find(|c| c.key == key)
    }

    /// The calendar of holidays and swapped working days (valid rules only).
    pub fn calendar(&self) -> Calendar {
        let mut cal = Calendar {
            missing: self.notice.missing_calendar,
            ..Calendar::default()
        };
        for (year, y) in &self.calendar {
            if let Ok(year) = year.parse() {
                cal.years.insert(year);
            }
            for entry in &y.holidays {
                if let Ok(days) = expand_dates(entry) {
                    cal.holidays.extend(days);
                }
            }
            for entry in &y.workdays {
                if let Ok(days) = expand_dates(entry) {
                    cal.workdays.extend(days);
                }
            }
        }
        cal
    }

    /// Every problem of a parsed rules file, each with its key path.
    pub fn validate(&self) -> Vec<RuleProblem> {
        let mut out = Vec::new();
        let mut bad = |path: String, message: &str| {
            out.push(RuleProblem {
                path,
                message: message.to_string(),
            })
        };
        if self.city.name.trim().is_empty() {
            bad("city.name".into(), "must not be empty");
        }
        // Texts printed on screens and on the published notice carry no control
        // characters.
        let texts = [
            ("city.name".to_string(), &self.city.name, false),
            (
                "notice.objection_contact".to_string(),
                &self.notice.objection_contact,
                false,
            ),
        ]
        .into_iter()
        .chain(self.criteria.iter().enumerate().flat_map(|(i, c)| {
            [
                (format!("criteria[{i}].name"), &c.name, false),
                (format!("criteria[{i}].name_en"), &c.name_en, false),
            ]
        }));
        for (path, text, multiline) in texts {
            if let Some(c) = crate::text::hostile_char(text, multiline) {
                bad(
                    path,
                    &format!("the text {}", crate::text::not_allowed(c, multiline)),
                );
            }
        }
        if self.city.code.is_empty() || !self.city.code.chars().all(|c| c.is_ascii_alphanumeric()) {
            bad("city.code".into(), "must be letters and digits, e.g. NJ");
        }
        if self.criteria.is_empty() {
            bad("criteria".into(), "at least one criterion is needed");
        }
        let mut keys = BTreeSet::new();
        for (i, c) in self.criteria.iter().enumerate() {
            let p = format!("criteria[{i}]");
            if c.key.trim().is_empty() {
                bad(format!("{p}.key"), "must not be empty");
            } else if !keys.insert(c.key.as_str()) {
                bad(format!("{p}.key"), &format!("'{}' is used twice", c.key));
            }
            if c.name.trim().is_empty() {
                bad(format!("{p}.name"), "must not be empty");
            }
            if c.max.is_nan() || c.max <= 0.0 {
                bad(format!("{p}.max"), "must be > 0");
            }
            if c.weight.is_nan() || c.weight <= 0.0 {
                bad(format!("{p}.weight"), "must be > 0");
            }
        }
        let total = self.total_max();
        if self.grades.is_empty() {
            bad("grades".into(), "at least one grade is needed");
        }
        for (grade, g) in &self.grades {
            let p = format!("grades.{}", grade.code());
            for (key, value) in [
                ("min_years", g.min_years),
                ("min_training_days", g.min_training_days),
                ("prior_years", g.prior_years),
                ("test_pass_mark", g.test_pass_mark),
                ("pass_threshold", g.pass_threshold),
            ] {
                if value.is_nan() || value < 0.0 {
                    bad(format!("{p}.{key}"), "must be >= 0");
                }
            }
            if g.test_max.is_nan() || g.test_max <= 0.0 {
                bad(format!("{p}.test_max"), "must be > 0");
            } else if g.test_pass_mark > g.test_max {
                bad(
                    format!("{p}.test_pass_mark"),
                    &format!("must be <= test_max ({})", g.test_max),
                );
            }
            if g.pass_threshold > total && total > 0.0 {
                bad(
                    format!("{p}.pass_threshold"),
                    &format!("must be <= the criteria total ({total})"),
                );
            }
            if let Some(prior) = g.prior_grade {
                if prior >= *grade {
                    bad(format!("{p}.prior_grade"), "must be a lower grade");
                } else if !self.grades.contains_key(&prior) {
                    bad(
                        format!("{p}.prior_grade"),
                        &format!("grade '{}' is not defined in [grades]", prior.code()),
                    );
                }
            } else if g.prior_years > 0.0 {
                bad(format!("{p}.prior_years"), "is set but prior_grade is not");
            }
            if g.cert_code.is_empty() || !g.cert_code.chars().all(|c| c.is_ascii_alphanumeric()) {
                bad(
                    format!("{p}.cert_code"),
                    "must be letters and digits, e.g. GJ",
                );
            }
        }
        let a = &self.aggregation;
        if a.outlier_points.is_nan() || a.outlier_points <= 0.0 {
            bad("aggregation.outlier_points".into(), "must be > 0");
        }
        if a.quorum == 0 {
            bad("aggregation.quorum".into(), "must be >= 1");
        }
        for (key, minutes) in [
            ("minutes_per_candidate", self.meeting.minutes_per_candidate),
            ("extend_minutes", self.meeting.extend_minutes),
        ] {
            if minutes == Some(0) {
                bad(
                    format!("meeting.{key}"),
                    "must be >= 1 (leave it out for none)",
                );
            }
        }
        if self.meeting.extend_minutes.is_some() && self.meeting.minutes_per_candidate.is_none() {
            bad(
                "meeting.extend_minutes".into(),
                "is set but minutes_per_candidate is not",
            );
        }
        if a.method == Method::TrimmedMean && a.trim_min_scorers < 3 {
            bad(
                "aggregation.trim_min_scorers".into(),
                "must be >= 3 (trimming drops two sheets)",
            );
        }
        for (i, t) in a.tie_break.iter().enumerate() {
            let ok = t == "post_start"
                || t.strip_prefix("criterion:")
                    .is_some_and(|k| self.criterion(k).is_some());
            if !ok {
                bad(
                    format!("aggregation.tie_break[{i}]"),
                    &format!("'{t}' is neither post_start nor criterion:<a criterion key>"),
                );
            }
        }
        if self.notice.working_days == 0 {
            bad("notice.working_days".into(), "must be >= 1");
        }
        if !self.certificates.format.contains("{seq}") {
            bad("certificates.format".into(), "must contain {seq}");
        }
        if self.certificates.seq_width == 0 || self.certificates.seq_width > 9 {
            bad("certificates.seq_width".into(), "must be between 1 and 9");
        }
        for (year, y) in &self.calendar {
            let Ok(yr) = year.parse::<i32>() else {
                bad(
                    format!("calendar.{year}"),
                    "the table name must be a year, e.g. [calendar.2026]",
                );
                continue;
            };
            let mut holidays = BTreeSet::new();
            for (i, entry) in y.holidays.iter().enumerate() {
                let p = format!("calendar.{year}.holidays[{i}]");
                match expand_dates(entry) {
                    Err(e) => bad(p, &e),
                    Ok(days) => {
                        if days.iter().any(|d| d.year() != yr) {
                            bad(p, &format!("'{entry}' is not in {yr}"));
                        }
                        holidays.extend(days);
                    }
                }
            }
            for (i, entry) in y.workdays.iter().enumerate() {
                let p = format!("calendar.{year}.workdays[{i}]");
                match expand_dates(entry) {
                    Err(e) => bad(p, &e),
                    Ok(days) => {
                        for d in days {
                            if d.year() != yr {
                                bad(p.clone(), &format!("{d} is not in {yr}"));
                            } else if d.weekday().number_from_monday() < 6 {
                                bad(p.clone(), &format!("{d} is not a Saturday or Sunday"));
                            } else if holidays.contains(&d) {
                                bad(p.clone(), &format!("{d} is also listed as a holiday"));
                            }
                        }
                    }
                }
            }
        }
        out
    }

    /// The certificate number for a grade, year and sequence number.
    pub fn certificate_number(&self, grade: Grade, year: i32, seq: u32) -> String {
        let code = self
            .grade(grade)
            .map(|g| g.cert_code.as_str())
            .unwrap_or("");
        self.certificates
            .format
            .replace("{city}", &self.city.code)
            .replace("{year}", &year.to_string())
            .replace("{grade}", code)
            .replace(
                "{seq}",
                &format!("{seq:0width$}", width = self.certificates.seq_width),
            )
    }
}

/// A date `2026-10-01` or an inclusive range `2026-10-01..2026-10-07`.
fn expand_dates(entry: &str) -> Result<Vec<NaiveDate>, String> {
    match entry.split_once("..") {
        None => Ok(vec![parse_date(entry)?]),
        Some((a, b)) => {
            let (a, b) = (parse_date(a)?, parse_date(b)?);
            if b < a {
                return Err(format!("range '{entry}' ends before it starts"));
            }
            if (b - a).num_days() > 31 {
                return Err(format!("range '{entry}' is longer than 31 days"));
            }
            Ok(a.iter_days().take_while(|d| *d <= b).collect())
        }
    }
}

/// The demo rules, compiled in (invented example values, not any city's).
pub const DEMO_RULES: &str = include_str!("../../fixtures/rules/demo-nanjing.toml");

#[cfg(test)]
mod tests {
    use super::*;

    fn demo() -> Rules {
        Rules::from_toml(DEMO_RULES).expect("demo rules are valid")
    }

    #[test]
    fn demo_rules_load_with_documented_values() {
        let r = demo();
        assert_eq!(r.city.name, "南京市");
        assert!(r.city.example);
        assert_eq!(r.grades.len(), 4);
        let senior = r.grade(Grade::Senior).unwrap();
        assert_eq!(senior.min_years, 5.0);
        assert_eq!(senior.prior_grade, Some(Grade::Intermediate));
        assert_eq!(senior.prior_years, 2.0);
        assert_eq!(senior.pass_threshold, 80.0);
        assert_eq!(senior.allowance, 4800);
        assert_eq!(r.total_max(), 100.0);
        assert_eq!(r.criteria.len(), 5);
        assert_eq!(r.aggregation.method, Method::TrimmedMean);
        assert_eq!(r.aggregation.quorum, 5);
        assert_eq!(r.notice.working_days, 5);
    }

    #[test]
    fn demo_calendar_has_2026_holidays_and_swapped_days() {
        let cal = demo().calendar();
        let d = |m, day| NaiveDate::from_ymd_opt(2026, m, day).unwrap();
        assert!(cal.years.contains(&2026));
        assert!(cal.holidays.contains(&d(10, 7)));
        assert!(cal.holidays.contains(&d(2, 15)));
        assert!(cal.workdays.contains(&d(10, 10)));
        assert!(cal.workdays.contains(&d(1, 4)));
        assert_eq!(cal.holidays.len(), 3 + 9 + 3 + 5 + 3 + 3 + 7);
        assert_eq!(cal.workdays.len(), 6);
    }

    #[test]
    fn problems_name_their_key_path() {
        let text = DEMO_RULES
            .replacen("min_years = 5", "min_years = -1", 1)
            .replacen(
                "prior_grade = \"intermediate\"",
                "prior_grade = \"special\"",
                1,
            );
        let problems = Rules::from_toml(&text).unwrap_err();
        let lines: Vec<String> = problems.iter().map(|p| p.to_string()).collect();
        assert!(
            lines.contains(&"grades.senior.min_years: must be >= 0".to_string()),
            "{lines:?}"
        );
        assert!(
            lines.contains(&"grades.senior.prior_grade: must be a lower grade".to_string()),
            "{lines:?}"
        );
    }

    #[test]
    fn unknown_keys_and_wrong_types_are_refused_with_a_line() {
        let text = DEMO_RULES.replacen("[aggregation]", "[aggregation]\nmethd = \"mean\"", 1);
        let p = Rules::from_toml(&text).unwrap_err();
        assert!(p[0].path.starts_with("line "), "{p:?}");
        assert!(p[0].message.contains("methd"), "{p:?}");
        let p = Rules::from_toml("city = 3").unwrap_err();
        assert_eq!(p.len(), 1);
    }

    #[test]
    fn calendar_and_tie_break_problems() {
        let mut r = demo();
        r.calendar
            .get_mut("2026")
            .unwrap()
            .workdays
            .push("2026-10-12".into());
        r.calendar
            .get_mut("2026")
            .unwrap()
            .holidays
            .push("2027-01-01".into());
        r.aggregation.tie_break.push("criterion:charm".into());
        r.aggregation.quorum = 0;
        let lines: Vec<String> = r.validate().iter().map(|p| p.to_string()).collect();
        assert!(
            lines.iter().any(|l| l
                .starts_with("calendar.2026.workdays[6]: 2026-10-12 is not a Saturday or Sunday")),
            "{lines:?}"
        );
        assert!(
            lines
                .iter()
                .any(|l| l.starts_with("calendar.2026.holidays[7]: '2027-01-01' is not in 2026")),
            "{lines:?}"
        );
        assert!(
            lines
                .iter()
                .any(|l| l.starts_with("aggregation.tie_break[3]")),
            "{lines:?}"
        );
        assert!(lines.contains(&"aggregation.quorum: must be >= 1".to_string()));
    }

    #[test]
    fn certificate_numbers_follow_the_format() {
        let r = demo();
        assert_eq!(
            r.certificate_number(Grade::Senior, 2026, 7),
            "NJ-2026-GJ-0007"
        );
        assert_eq!(
            r.certificate_number(Grade::Junior, 2026, 12),
            "NJ-2026-CJ-0012"
        );
    }

    #[test]
    fn stored_rules_round_trip() {
        let r = demo();
        assert_eq!(Rules::from_toml(&r.to_toml()).unwrap(), r);
    }
}
