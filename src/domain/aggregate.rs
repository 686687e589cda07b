//! Aggregation of committee score sheets and ranking, per the rules.

use super::rules::{Method, Rules};
use chrono::NaiveDate;
use serde::Serialize;
use std::cmp::Ordering;
use std::collections::BTreeMap;

const EPS: f64 = 1e-9;

/// One member's submitted sheet for a candidate: points per criterion key.
#[derive(Debug, Clone, PartialEq)]
pub struct Sheet {
    pub member_id: i64,
    pub values: BTreeMap<String, f64>,
}

impl Sheet {
    /// The sheet total: the sum of points times each criterion's weight.
    pub fn total(&self, rules: &Rules) -> f64 {
        rules
            .criteria
            .iter()
            .map(|c| self.values.get(&c.key).copied().unwrap_or(0.0) * c.weight)
            .sum()
    }
}

/// Statistics of a candidate's sheets and the result under the rules' method.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Aggregate {
    pub sheets: usize,
    /// Sheet totals, in the order given.
    pub totals: Vec<f64>,
    pub mean: f64,
    /// Mean after dropping one highest and one lowest total (needs >= 3 sheets).
    pub trimmed_mean: Option<f64>,
    pub median: f64,
    /// Highest minus lowest total.
    pub spread: f64,
    /// Population standard deviation of the totals.
    pub std_dev: f64,
    /// The result under the rules' method.
    pub result: f64,
    /// Whether the result dropped the extremes.
    pub trimmed: bool,
    /// Mean points per criterion (for tie-breaks and display).
    pub criterion_means: BTreeMap<String, f64>,
    /// Whether there are enough sheets to finalise.
    pub quorum_met: bool,
}

/// Aggregates the sheets; `None` when there are none.
pub fn aggregate(sheets: &[Sheet], rules: &Rules) -> Option<Aggregate> {
    if sheets.is_empty() {
        return None;
    }
    let n = sheets.len();
    let totals: Vec<f64> = sheets.iter().map(|s| s.total(rules)).collect();
    let mut sorted = totals.clone();
    sorted.sort_by(f64::total_cmp);
    let mean = sorted.iter().sum::<f64>() / n as f64;
    let trimmed_mean = (n >= 3).then(|| sorted[1..n - 1].iter().sum::<f64>() / (n - 2) as f64);
    let median = if n % 2 == 1 {
        sorted[n / 2]
    } else {
        (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0
    };
    let spread = sorted[n - 1] - sorted[0];
    let std_dev = (sorted.iter().map(|t| (t - mean).powi(2)).sum::<f64>() / n as f64).sqrt();
    let trimmed = rules.aggregation.method == Method::TrimmedMean
        && n >= rules.aggregation.trim_min_scorers
        && trimmed_mean.is_some();
    let result = if trimmed {
        trimmed_mean.unwrap_or(mean)
    } else {
        mean
    };
    let criterion_means = rules
        .criteria
        .iter()
        .map(|c| {
            let sum: f64 = sheets
                .iter()
                .map(|s| s.values.get(&c.key).copied().unwrap_or(0.0))
                .sum();
            (c.key.clone(), sum / n as f64)
        })
        .collect();
    Some(Aggregate {
        sheets: n,
        totals,
        mean,
        trimmed_mean,
        median,
        spread,
        std_dev,
        result: round2(result),
        trimmed,
        criterion_means,
        quorum_met: n >= rules.aggregation.quorum,
    })
}

impl Aggregate {
    /// For each total (in the order given), whether it lies further than the rules'
    /// `outlier_points` from the median: a sheet to discuss.
    pub fn outliers(&self, rules: &Rules) -> Vec<bool> {
        let d = rules.aggregation.outlier_points;
        self.totals
            .iter()
            .map(|t| (t - self.median).abs() > d + EPS)
            .collect()
    }

    /// The result under each method: mean, trimmed mean (with three sheets or more)
    /// and median, rounded as results are.
    pub fn by_method(&self) -> Vec<(&'static str, f64)> {
        let mut out = vec![("mean", round2(self.mean))];
        if let Some(t) = self.trimmed_mean {
            out.push(("trimmed_mean", round2(t)));
        }
        out.push(("median", round2(self.median)));
        out
    }

    /// Whether pass or fail at the threshold depends on the method: the committee
    /// should discuss the candidate before finalising.
    pub fn method_sensitive(&self, threshold: f64) -> bool {
        let passes: Vec<bool> = self
            .by_method()
            .iter()
            .map(|(_, v)| reaches(*v, threshold))
            .collect();
        passes.iter().any(|p| *p) && passes.iter().any(|p| !*p)
    }
}

/// How a candidate's result was computed under the rules, as the forms and the
/// minutes state it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MethodUsed {
    /// One highest and one lowest total dropped, the rest averaged.
    Trimmed,
    /// The rules trim, but fewer sheets than `min` were submitted: a plain mean.
    TooFewToTrim { min: usize },
    /// The rules take the plain mean.
    Mean,
}

impl MethodUsed {
    /// The method of `rules` as applied to a result that did (or did not) drop the
    /// extremes.
    pub fn of(rules: &Rules, trimmed: bool) -> MethodUsed {
        match (rules.aggregation.method, trimmed) {
            (_, true) => MethodUsed::Trimmed,
            (Method::TrimmedMean, false) => MethodUsed::TooFewToTrim {
                min: rules.aggregation.trim_min_scorers,
            },
            (Method::Mean, false) => MethodUsed::Mean,
        }
    }

    pub fn zh(self) -> String {
        match self {
            MethodUsed::Trimmed => "去掉一个最高分和一个最低分后的平均分".into(),
            MethodUsed::TooFewToTrim { min } => {
                format!("算术平均分（有效评分表不足{min}份，不去掉最高最低分）")
            }
            MethodUsed::Mean => "算术平均分".into(),
        }
    }

    pub fn en(self) -> String {
        match self {
            MethodUsed::Trimmed => "mean after dropping one highest and one lowest total".into(),
            MethodUsed::TooFewToTrim { min } => {
                format!("plain mean (fewer than {min} eligible sheets: nothing dropped)")
            }
            MethodUsed::Mean => "plain mean".into(),
        }
    }
}

/// Rounds to two decimals, the precision results are shown and compared at.
pub fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

/// A candidate to rank within a grade.
#[derive(Debug, Clone, PartialEq)]
pub struct Candidate {
    pub application_id: i64,
    pub score: f64,
    pub criterion_means: BTreeMap<String, f64>,
    pub post_start: NaiveDate,
}

/// A ranked candidate: equal after every tie-break means equal rank (1, 1, 3).
#[derive(Debug, Clone, PartialEq)]
pub struct Ranked {
    pub rank: usize,
    pub candidate: Candidate,
}

fn compare(a: &Candidate, b: &Candidate, rules: &Rules) -> Ordering {
    let by_score = cmp_desc(a.score, b.score);
    if by_score != Ordering::Equal {
        return by_score;
    }
    for key in &rules.aggregation.tie_break {
        let o = if key == "post_start" {
            a.post_start.cmp(&b.post_start)
        } else if let Some(c) = key.strip_prefix("criterion:") {
            let get = |x: &Candidate| x.criterion_means.get(c).copied().unwrap_or(0.0);
            cmp_desc(get(a), get(b))
        } else {
            Ordering::Equal
        };
        if o != Ordering::Equal {
            return o;
        }
    }
    Ordering::Equal
}

/// Higher first, equal within EPS.
fn cmp_desc(a: f64, b: f64) -> Ordering {
    if (a - b).abs() < EPS {
        Ordering::Equal
    } else {
        b.total_cmp(&a)
    }
}

/// Ranks candidates by score, then the rules' tie-break order.
pub fn rank(mut candidates: Vec<Candidate>, rules: &Rules) -> Vec<Ranked> {
    candidates.sort_by(|a, b| compare(a, b, rules).then(a.application_id.cmp(&b.application_id)));
    let mut out: Vec<Ranked> = Vec::with_capacity(candidates.len());
    for (i, c) in candidates.into_iter().enumerate() {
        let rank = match out.last() {
            Some(prev) if compare(&prev.candidate, &c, rules) == Ordering::Equal => prev.rank,
            _ => i + 1,
        };
        out.push(Ranked { rank, candidate: c });
    }
    out
}

/// Whether a result reaches a threshold (compared at two decimals).
pub fn reaches(result: f64, threshold: f64) -> bool {
    round2(result) + EPS >= threshold
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::rules::DEMO_RULES;

    fn rules() -> Rules {
        Rules::from_toml(DEMO_RULES).unwrap()
    }
    /// A sheet with the five demo criteria in rules order.
    fn sheet(id: i64, v: [f64; 5]) -> Sheet {
        let keys = [
            "political",
            "competence",
            "tenure",
            "performance",
            "recognition",
        ];
        Sheet {
            member_id: id,
            values: keys.iter().map(|k| k.to_string()).zip(v).collect(),
        }
    }

    #[test]
    fn trimmed_mean_of_seven_sheets_by_hand() {
        // totals: 85, 80, 90, 70, 95, 88, 82
        let sheets = vec![
            sheet(1, [17.0, 21.0, 8.0, 26.0, 13.0]),
            sheet(2, [16.0, 20.0, 8.0, 24.0, 12.0]),
            sheet(3, [18.0, 22.0, 9.0, 27.0, 14.0]),
            sheet(4, [14.0, 17.0, 7.0, 21.0, 11.0]),
            sheet(5, [19.0, 24.0, 9.5, 28.5, 14.0]),
            sheet(6, [17.5, 22.0, 8.5, 26.0, 14.0]),
            sheet(7, [16.5, 20.5, 8.0, 25.0, 12.0]),
        ];
        let a = aggregate(&sheets, &rules()).unwrap();
        assert_eq!(a.totals, vec![85.0, 80.0, 90.0, 70.0, 95.0, 88.0, 82.0]);
        // drop 95 and 70: (85+80+90+88+82)/5 = 425/5 = 85
        assert_eq!(a.trimmed_mean, Some(85.0));
        assert_eq!(a.result, 85.0);
        assert!(a.trimmed);
        // mean 590/7 = 84.2857...
        assert!((a.mean - 590.0 / 7.0).abs() < 1e-9);
        assert_eq!(a.median, 85.0);
        assert_eq!(a.spread, 25.0);
        assert!(a.quorum_met);
        // tenure: 8 + 8 + 9 + 7 + 9.5 + 8.5 + 8 = 58
        assert_eq!(a.criterion_means["tenure"], 58.0 / 7.0);
    }

    #[test]
    fn fewer_than_trim_minimum_uses_plain_mean() {
        // totals 80, 70, 90, 60: below 5 sheets, mean = 75; trimmed would be 75 too, so
        // use an uneven set: 80, 70, 99 -> mean 83, trimmed 80
        let sheets = vec![
            sheet(1, [16.0, 20.0, 8.0, 24.0, 12.0]),
            sheet(2, [14.0, 17.0, 7.0, 21.0, 11.0]),
            sheet(3, [20.0, 25.0, 10.0, 30.0, 14.0]),
        ];
        let a = aggregate(&sheets, &rules()).unwrap();
        assert_eq!(a.result, 83.0);
        assert_eq!(a.trimmed_mean, Some(80.0));
        assert!(!a.trimmed);
        assert!(!a.quorum_met, "quorum is 5");
        let mut r = rules();
        r.aggregation.trim_min_scorers = 3;
        assert_eq!(aggregate(&sheets, &r).unwrap().result, 80.0);
        r.aggregation.method = Method::Mean;
        assert_eq!(aggregate(&sheets, &r).unwrap().result, 83.0);
    }

    #[test]
    fn weights_multiply_points() {
        let mut r = rules();
        r.criteria[3].weight = 2.0; // performance counts double
        let s = sheet(1, [10.0, 10.0, 5.0, 20.0, 5.0]);
        assert_eq!(s.total(&r), 10.0 + 10.0 + 5.0 + 40.0 + 5.0);
        assert!(aggregate(&[], &r).is_none());
    }

    #[test]
    fn ranking_breaks_ties_by_rules_order() {
        let d = |y| NaiveDate::from_ymd_opt(y, 1, 1).unwrap();
        let cand = |id, score, perf, pol, start| Candidate {
            application_id: id,
            score,
            criterion_means: [
                ("performance".to_string(), perf),
                ("political".to_string(), pol),
            ]
            .into_iter()
            .collect(),
            post_start: d(start),
        };
        let ranked = rank(
            vec![
                cand(1, 80.0, 25.0, 15.0, 2018),
                cand(2, 85.0, 20.0, 15.0, 2018),
                cand(3, 80.0, 26.0, 15.0, 2018), // wins the tie on performance
                cand(4, 80.0, 25.0, 16.0, 2018), // beats 1 on political
                cand(5, 80.0, 25.0, 15.0, 2015), // beats 1 on earlier post start
                cand(6, 80.0, 25.0, 15.0, 2018), // equal to 1 in every respect
            ],
            &rules(),
        );
        let order: Vec<(i64, usize)> = ranked
            .iter()
            .map(|r| (r.candidate.application_id, r.rank))
            .collect();
        assert_eq!(order, vec![(2, 1), (3, 2), (4, 3), (5, 4), (1, 5), (6, 5)]);
    }

    #[test]
    fn five_sheets_with_half_points_by_hand() {
        // totals: 81.5, 79, 84.5, 62, 80
        let sheets = vec![
            sheet(1, [16.5, 20.0, 8.0, 25.0, 12.0]),
            sheet(2, [16.0, 19.5, 8.0, 24.0, 11.5]),
            sheet(3, [17.0, 21.0, 8.5, 25.5, 12.5]),
            sheet(4, [12.0, 16.0, 6.0, 19.0, 9.0]),
            sheet(5, [16.0, 20.0, 8.0, 24.0, 12.0]),
        ];
        let r = rules();
        let a = aggregate(&sheets, &r).unwrap();
        assert_eq!(a.totals, vec![81.5, 79.0, 84.5, 62.0, 80.0]);
        // mean 387/5 = 77.4; trimmed drops 84.5 and 62: (81.5+79+80)/3 = 80.1666…
        assert!((a.mean - 77.4).abs() < 1e-9);
        assert_eq!(a.result, 80.17);
        assert!(a.trimmed && a.quorum_met);
        assert_eq!(a.median, 80.0);
        assert_eq!(a.spread, 22.5);
        // population sd: deviations 4.1, 1.6, 7.1, -15.4, 2.6; squares 16.81 + 2.56 +
        // 50.41 + 237.16 + 6.76 = 313.7
        assert!((a.std_dev - (313.7f64 / 5.0).sqrt()).abs() < 1e-9);
        // 62 is 18 from the median 80; the rules flag more than 10
        assert_eq!(a.outliers(&r), vec![false, false, false, true, false]);
        // senior needs 80 (demo rules): the mean 77.4 fails, trimmed 80.17 and the
        // median 80 pass, so the method decides the outcome
        assert_eq!(
            a.by_method(),
            vec![("mean", 77.4), ("trimmed_mean", 80.17), ("median", 80.0)]
        );
        assert!(a.method_sensitive(80.0));
        assert!(!a.method_sensitive(75.0));
        assert!(!a.method_sensitive(85.0));
    }

    #[test]
    fn tied_results_share_a_rank_after_every_tie_break() {
        // Two candidates with equal sheets aggregate equally and rank equal.
        let r = rules();
        let s = [17.0, 21.0, 8.0, 26.0, 13.0];
        let a = aggregate(&[sheet(1, s), sheet(2, s)], &r).unwrap();
        let b = aggregate(&[sheet(1, s), sheet(3, s)], &r).unwrap();
        let d = NaiveDate::from_ymd_opt(2019, 3, 1).unwrap();
        let cand = |id, x: &Aggregate| Candidate {
            application_id: id,
            score: x.result,
            criterion_means: x.criterion_means.clone(),
            post_start: d,
        };
        let ranked = rank(vec![cand(9, &a), cand(4, &b)], &r);
        assert_eq!(ranked[0].rank, 1);
        assert_eq!(ranked[1].rank, 1);
        assert_eq!(ranked[0].candidate.application_id, 4, "ties list by id");
    }

    #[test]
    fn threshold_compared_at_two_decimals() {
        assert!(reaches(79.999, 80.0));
        assert!(!reaches(79.99, 80.0));
    }
}
