//! Eligibility for a grade: a checklist of named checks, each with the required
//! figure, the actual figure and an outcome, computed from the rules.

use super::grade::{Assessment, Category, Grade};
use super::rules::Rules;
use chrono::{Datelike, Months, NaiveDate};
use serde::Serialize;

/// What the checklist needs to know about a person.
#[derive(Debug, Clone, PartialEq)]
pub struct Record {
    pub category: Category,
    pub post_start: NaiveDate,
    /// Grade currently held and the date it was awarded.
    pub current_grade: Option<(Grade, NaiveDate)>,
    /// Training: date and days.
    pub training: Vec<(NaiveDate, f64)>,
    /// Annual assessments by year.
    pub assessments: Vec<(i32, Assessment)>,
    /// Training-test score of this application, once recorded.
    pub test_score: Option<f64>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CheckKind {
    Category,
    GradeDefined,
    Progression,
    YearsInPost,
    PriorGrade,
    TrainingDays,
    Assessment,
    TestScore,
}

impl CheckKind {
    pub const ALL: [CheckKind; 8] = [
        CheckKind::Category,
        CheckKind::GradeDefined,
        CheckKind::Progression,
        CheckKind::YearsInPost,
        CheckKind::PriorGrade,
        CheckKind::TrainingDays,
        CheckKind::Assessment,
        CheckKind::TestScore,
    ];

    pub fn from_code(code: &str) -> Option<CheckKind> {
        CheckKind::ALL.into_iter().find(|k| k.code() == code)
    }

    pub fn code(self) -> &'static str {
        match self {
            CheckKind::Category => "category",
            CheckKind::GradeDefined => "grade_defined",
            CheckKind::Progression => "progression",
            CheckKind::YearsInPost => "years_in_post",
            CheckKind::PriorGrade => "prior_grade",
            CheckKind::TrainingDays => "training_days",
            CheckKind::Assessment => "assessment",
            CheckKind::TestScore => "test_score",
        }
    }
    pub fn zh(self) -> &'static str {
        match self {
            CheckKind::Category => "人员类别",
            CheckKind::GradeDefined => "等级设置",
            CheckKind::Progression => "申报等级",
            CheckKind::YearsInPost => "任职年限",
            CheckKind::PriorGrade => "已获等级",
            CheckKind::TrainingDays => "近12个月培训天数",
            CheckKind::Assessment => "年度考核",
            CheckKind::TestScore => "培训测试成绩",
        }
    }
    pub fn en(self) -> &'static str {
        match self {
            CheckKind::Category => "category",
            CheckKind::GradeDefined => "grade in rules",
            CheckKind::Progression => "target grade",
            CheckKind::YearsInPost => "years in post",
            CheckKind::PriorGrade => "prior grade",
            CheckKind::TrainingDays => "training days (12 months)",
            CheckKind::Assessment => "annual assessment",
            CheckKind::TestScore => "training-test score",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    Pass,
    Fail,
    /// Not yet known (e.g. the test has not been taken).
    Pending,
}

/// A figure of a check, language-neutral until rendered.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Figure {
    Number(f64),
    Category(Category),
    Grade(Option<Grade>),
    /// A grade held for some years.
    GradeHeld(Option<Grade>, f64),
    Assessment(Option<Assessment>),
    Text(String),
}

impl Figure {
    pub fn text(&self, zh: bool) -> String {
        let grade = |g: &Option<Grade>| match (g, zh) {
            (Some(g), true) => g.zh().to_string(),
            (Some(g), false) => g.code().to_string(),
            (None, true) => "无".into(),
            (None, false) => "none".into(),
        };
        match self {
            Figure::Number(n) => fmt_num(*n),
            Figure::Category(c) => if zh { c.zh() } else { c.code() }.to_string(),
            Figure::Grade(g) => grade(g),
            Figure::GradeHeld(g, years) => match g {
                Some(_) => format!("{} {}", grade(g), fmt_num(*years)),
                None => grade(g),
            },
            Figure::Assessment(Some(a)) => if zh { a.zh() } else { a.code() }.to_string(),
            Figure::Assessment(None) => if zh { "无记录" } else { "none" }.to_string(),
            Figure::Text(t) => t.clone(),
        }
    }
}

pub use super::number::fmt_num;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Check {
    pub kind: CheckKind,
    pub required: Figure,
    pub actual: Figure,
    pub outcome: Outcome,
}

impl Check {
    /// One line such as `years in post 2.4 < 3 required` or
    /// `任职年限 2.4，要求不少于 3（不符合）`.
    pub fn describe(&self, zh: bool) -> String {
        let (req, act) = (self.required.text(zh), self.actual.text(zh));
        if zh {
            let verdict = match self.outcome {
                Outcome::Pass => "符合",
                Outcome::Fail => "不符合",
                Outcome::Pending => "待定",
            };
            let body = match self.kind {
                CheckKind::Category if self.outcome == Outcome::Fail => {
                    format!("{act}，不参加等级认证")
                }
                CheckKind::Category => act,
                CheckKind::GradeDefined => format!("规则中没有 {req}"),
                CheckKind::Progression => format!("现等级 {act}，申报 {req}"),
                CheckKind::Assessment => format!("{act}，要求不低于 {req}"),
                CheckKind::TestScore if self.outcome == Outcome::Pending => {
                    format!("未录入，合格线 {req}")
                }
                _ => format!("{act}，要求不少于 {req}"),
            };
            format!("{}：{body}（{verdict}）", self.kind.zh())
        } else {
            match (self.kind, self.outcome) {
                (CheckKind::Category, Outcome::Fail) => format!("category {act} is not certified"),
                (CheckKind::Category, _) => format!("category {act}"),
                (CheckKind::GradeDefined, _) => format!("the rules have no grade {req}"),
                (CheckKind::Progression, Outcome::Fail) => {
                    format!("target grade {req} is not above the held {act}")
                }
                (CheckKind::Progression, _) => format!("target grade {req} above the held {act}"),
                (CheckKind::TestScore, Outcome::Pending) => {
                    format!("training-test score not entered, pass mark {req}")
                }
                (kind, Outcome::Fail) => format!("{} {act} < {req} required", kind.en()),
                (kind, _) => format!("{} {act} >= {req} required", kind.en()),
            }
        }
    }
}

/// Whole years (by completed months) from `from` to `to`; negative spans give 0.
pub fn years_between(from: NaiveDate, to: NaiveDate) -> f64 {
    if to <= from {
        return 0.0;
    }
    let mut months = (to.year() - from.year()) * 12 + to.month() as i32 - from.month() as i32;
    if to.day() < from.day() {
        months -= 1;
    }
    f64::from(months.max(0)) / 12.0
}

/// Training days in the 12 months up to and including `date`.
pub fn training_days(training: &[(NaiveDate, f64)], date: NaiveDate) -> f64 {
    let from = date - Months::new(12);
    training
        .iter()
        .filter(|(d, _)| *d > from && *d <= date)
        .map(|(_, days)| days)
        .sum()
}

/// The checklist for applying for `target` at `date` (the cycle date).
pub fn checklist(rec: &Record, target: Grade, rules: &Rules, date: NaiveDate) -> Vec<Check> {
    let mut out = Vec::new();
    let pass = |ok: bool| if ok { Outcome::Pass } else { Outcome::Fail };
    out.push(Check {
        kind: CheckKind::Category,
        required: Figure::Text("secretary|staff".into()),
        actual: Figure::Category(rec.category),
        outcome: pass(rec.category.is_certifiable()),
    });
    let Some(rule) = rules.grade(target) else {
        out.push(Check {
            kind: CheckKind::GradeDefined,
            required: Figure::Grade(Some(target)),
            actual: Figure::Text("-".into()),
            outcome: Outcome::Fail,
        });
        return out;
    };
    let held = rec.current_grade.map(|(g, _)| g);
    out.push(Check {
        kind: CheckKind::Progression,
        required: Figure::Grade(Some(target)),
        actual: Figure::Grade(held),
        outcome: pass(held.is_none_or(|g| g < target)),
    });
    let years = years_between(rec.post_start, date);
    out.push(Check {
        kind: CheckKind::YearsInPost,
        required: Figure::Number(rule.min_years),
        actual: Figure::Number(years),
        outcome: pass(years + 1e-9 >= rule.min_years),
    });
    if let Some(prior) = rule.prior_grade {
        let held_years = rec
            .current_grade
            .map(|(_, since)| years_between(since, date))
            .unwrap_or(0.0);
        let ok = held.is_some_and(|g| g >= prior) && held_years + 1e-9 >= rule.prior_years;
        out.push(Check {
            kind: CheckKind::PriorGrade,
            required: Figure::GradeHeld(Some(prior), rule.prior_years),
            actual: Figure::GradeHeld(held, held_years),
            outcome: pass(ok),
        });
    }
    let days = training_days(&rec.training, date);
    out.push(Check {
        kind: CheckKind::TrainingDays,
        required: Figure::Number(rule.min_training_days),
        actual: Figure::Number(days),
        outcome: pass(days + 1e-9 >= rule.min_training_days),
    });
    if let Some(min) = rule.min_assessment {
        // The latest assessment before the cycle year.
        let latest = rec
            .assessments
            .iter()
            .filter(|(y, _)| *y < date.year())
            .max_by_key(|(y, _)| *y)
            .map(|(_, a)| *a);
        out.push(Check {
            kind: CheckKind::Assessment,
            required: Figure::Assessment(Some(min)),
            actual: Figure::Assessment(latest),
            // Assessment derives best-first order.
            outcome: pass(latest.is_some_and(|a| a <= min)),
        });
    }
    out.push(Check {
        kind: CheckKind::TestScore,
        required: Figure::Number(rule.test_pass_mark),
        actual: rec
            .test_score
            .map(Figure::Number)
            .unwrap_or(Figure::Text("-".into())),
        outcome: match rec.test_score {
            None => Outcome::Pending,
            Some(s) => pass(s + 1e-9 >= rule.test_pass_mark),
        },
    });
    out
}

/// Codes of the checks that fail (pending ones are not failures).
pub fn failing(checks: &[Check]) -> Vec<String> {
    checks
        .iter()
        .filter(|c| c.outcome == Outcome::Fail)
        .map(|c| c.kind.code().to_string())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::rules::DEMO_RULES;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }
    fn rules() -> Rules {
        Rules::from_toml(DEMO_RULES).unwrap()
    }
    fn record() -> Record {
        Record {
            category: Category::Secretary,
            post_start: d(2023, 5, 1),
            current_grade: Some((Grade::Junior, d(2024, 6, 1))),
            training: vec![
                (d(2026, 3, 10), 2.0),
                (d(2025, 12, 1), 1.0),
                (d(2025, 8, 1), 5.0),
            ],
            assessments: vec![(2024, Assessment::Excellent), (2025, Assessment::Competent)],
            test_score: None,
        }
    }
    fn find(checks: &[Check], k: CheckKind) -> &Check {
        checks.iter().find(|c| c.kind == k).unwrap()
    }

    #[test]
    fn years_by_completed_months() {
        assert_eq!(years_between(d(2023, 5, 1), d(2026, 5, 1)), 3.0);
        assert_eq!(years_between(d(2023, 5, 2), d(2026, 5, 1)), 35.0 / 12.0);
        assert_eq!(years_between(d(2026, 5, 1), d(2023, 5, 1)), 0.0);
        assert_eq!(fmt_num(35.0 / 12.0), "2.92");
    }

    #[test]
    fn training_window_is_the_twelve_months_before() {
        let t = record().training;
        // 2025-08-01 is outside the window ending 2026-09-01 (window starts after 2025-09-01).
        assert_eq!(training_days(&t, d(2026, 9, 1)), 3.0);
        assert_eq!(training_days(&t, d(2026, 3, 9)), 6.0);
    }

    #[test]
    fn intermediate_with_short_tenure_fails_years_and_prior_grade() {
        // Cycle date 2026-09-01: in post 3 years 4 months; junior held 2 years 3 months.
        let c = checklist(&record(), Grade::Intermediate, &rules(), d(2026, 9, 1));
        assert_eq!(find(&c, CheckKind::YearsInPost).outcome, Outcome::Pass);
        assert_eq!(find(&c, CheckKind::PriorGrade).outcome, Outcome::Pass);
        assert_eq!(find(&c, CheckKind::TrainingDays).outcome, Outcome::Pass);
        assert_eq!(find(&c, CheckKind::Assessment).outcome, Outcome::Pass);
        assert_eq!(find(&c, CheckKind::TestScore).outcome, Outcome::Pending);
        assert!(failing(&c).is_empty());

        let mut rec = record();
        rec.post_start = d(2024, 4, 15);
        rec.current_grade = Some((Grade::Junior, d(2025, 6, 1)));
        let c = checklist(&rec, Grade::Intermediate, &rules(), d(2026, 9, 1));
        let years = find(&c, CheckKind::YearsInPost);
        assert_eq!(years.outcome, Outcome::Fail);
        assert_eq!(years.describe(false), "years in post 2.33 < 3 required");
        assert_eq!(
            years.describe(true),
            "任职年限：2.33，要求不少于 3（不符合）"
        );
        assert_eq!(
            find(&c, CheckKind::PriorGrade).describe(false),
            "prior grade junior 1.25 < junior 2 required"
        );
        assert_eq!(failing(&c), vec!["years_in_post", "prior_grade"]);
    }

    #[test]
    fn instructors_and_non_progression_fail() {
        let mut rec = record();
        rec.category = Category::Instructor;
        let c = checklist(&rec, Grade::Junior, &rules(), d(2026, 9, 1));
        assert_eq!(failing(&c), vec!["category", "progression"]);
    }

    #[test]
    fn training_and_assessment_thresholds_come_from_rules() {
        let mut rec = record();
        rec.training = vec![(d(2026, 3, 10), 2.5)];
        rec.assessments = vec![(2025, Assessment::Basic)];
        let mut r = rules();
        let c = checklist(&rec, Grade::Intermediate, &r, d(2026, 9, 1));
        assert_eq!(
            find(&c, CheckKind::TrainingDays).describe(false),
            "training days (12 months) 2.5 < 3 required"
        );
        assert_eq!(find(&c, CheckKind::Assessment).outcome, Outcome::Fail);
        r.grades
            .get_mut(&Grade::Intermediate)
            .unwrap()
            .min_training_days = 2.0;
        r.grades
            .get_mut(&Grade::Intermediate)
            .unwrap()
            .min_assessment = None;
        let c = checklist(&rec, Grade::Intermediate, &r, d(2026, 9, 1));
        assert_eq!(find(&c, CheckKind::TrainingDays).outcome, Outcome::Pass);
        assert!(c.iter().all(|x| x.kind != CheckKind::Assessment));
    }

    #[test]
    fn test_score_against_pass_mark() {
        let mut rec = record();
        rec.test_score = Some(59.5);
        let c = checklist(&rec, Grade::Intermediate, &rules(), d(2026, 9, 1));
        assert_eq!(find(&c, CheckKind::TestScore).outcome, Outcome::Fail);
        rec.test_score = Some(60.0);
        let c = checklist(&rec, Grade::Intermediate, &rules(), d(2026, 9, 1));
        assert_eq!(find(&c, CheckKind::TestScore).outcome, Outcome::Pass);
    }

    #[test]
    fn a_grade_missing_from_the_rules_fails() {
        let mut r = rules();
        r.grades.remove(&Grade::Special);
        let c = checklist(&record(), Grade::Special, &r, d(2026, 9, 1));
        assert_eq!(failing(&c), vec!["grade_defined"]);
    }
}
