//! Working-day arithmetic over the rules' calendar: weekends and public holidays are
//! skipped, swapped weekend working days (调休) count as working days.

use super::rules::{Calendar, MissingCalendar};
use chrono::{Datelike, Days, NaiveDate, Weekday};
use thiserror::Error;

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum CalendarError {
    #[error("the rules have no holiday calendar for {0}: add [calendar.{0}] to the rules file")]
    MissingYear(i32),
}

impl CalendarError {
    pub fn zh(&self) -> String {
        match self {
            CalendarError::MissingYear(y) => {
                format!("认证规则没有 {y} 年的节假日安排：请在规则文件中加入 [calendar.{y}]")
            }
        }
    }

    /// The refusal in English (its `Display`).
    pub fn en(&self) -> String {
        self.to_string()
    }
}

/// The warning a period over years without a holiday calendar carries, in Chinese and
/// in English; `None` when every year of it is covered.
pub fn uncovered_warning(years: &[i32]) -> Option<(String, String)> {
    if years.is_empty() {
        return None;
    }
    let list = |sep: &str| {
        years
            .iter()
            .map(|y| y.to_string())
            .collect::<Vec<_>>()
            .join(sep)
    };
    Some((
        format!(
            "规则文件未录入{}年节假日安排，工作日仅按双休日推算，请核对",
            list("、")
        ),
        format!(
            "the rules hold no holiday calendar for {}: working days counted as weekdays only; check the dates",
            list(", ")
        ),
    ))
}

impl Calendar {
    /// Whether `date` is a working day. Refuses a year the rules do not cover, since
    /// its holidays are unknown.
    pub fn is_working_day(&self, date: NaiveDate) -> Result<bool, CalendarError> {
        if !self.years.contains(&date.year()) && self.missing == MissingCalendar::Refuse {
            return Err(CalendarError::MissingYear(date.year()));
        }
        if self.workdays.contains(&date) {
            return Ok(true);
        }
        if self.holidays.contains(&date) {
            return Ok(false);
        }
        Ok(!matches!(date.weekday(), Weekday::Sat | Weekday::Sun))
    }

    /// The first working day on or after `date`.
    pub fn next_working_day(&self, date: NaiveDate) -> Result<NaiveDate, CalendarError> {
        let mut d = date;
        while !self.is_working_day(d)? {
            d = d + Days::new(1);
        }
        Ok(d)
    }

    /// The period of `n` working days starting on `start` (or on the next working day
    /// if `start` is not one): returns its first and last working day, both included.
    pub fn period(
        &self,
        start: NaiveDate,
        n: u32,
    ) -> Result<(NaiveDate, NaiveDate), CalendarError> {
        let first = self.next_working_day(start)?;
        Ok((first, self.add_working_days(first, n.saturating_sub(1))?))
    }

    /// The date `n` working days after `date` (`date` itself not counted).
    pub fn add_working_days(&self, date: NaiveDate, n: u32) -> Result<NaiveDate, CalendarError> {
        let mut d = date;
        let mut left = n;
        while left > 0 {
            d = d + Days::new(1);
            if self.is_working_day(d)? {
                left -= 1;
            }
        }
        Ok(d)
    }

    /// The years from `from` to `to` (both included) the rules hold no holiday
    /// calendar for: their working days, if counted at all, are weekdays only, and a
    /// period over them must say so.
    pub fn uncovered_years(&self, from: NaiveDate, to: NaiveDate) -> Vec<i32> {
        (from.year()..=to.year().max(from.year()))
            .filter(|y| !self.years.contains(y))
            .collect()
    }

    /// Working days from `from` to `to`, both included (0 when `to` is before `from`).
    pub fn working_days_between(
        &self,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<u32, CalendarError> {
        let mut n = 0;
        for d in from.iter_days().take_while(|d| *d <= to) {
            if self.is_working_day(d)? {
                n += 1;
            }
        }
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::rules::{Rules, DEMO_RULES};

    fn cal() -> Calendar {
        Rules::from_toml(DEMO_RULES).unwrap().calendar()
    }
    fn d(m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, m, day).unwrap()
    }

    #[test]
    fn ordinary_week_skips_the_weekend() {
        // Wed 2026-11-18 + 5 working days: Thu, Fri, (Sat, Sun), Mon, Tue, Wed -> 11-25
        assert_eq!(cal().add_working_days(d(11, 18), 5), Ok(d(11, 25)));
        // A 5-day period starting Wed 11-18 ends Tue 11-24.
        assert_eq!(cal().period(d(11, 18), 5), Ok((d(11, 18), d(11, 24))));
    }

    #[test]
    fn national_day_holiday_and_swapped_saturday() {
        // Period of 5 starting Mon 2026-09-28: 28, 29, 30 Sep (Oct 1-7 off), Thu 10-08,
        // Fri 10-09 -> ends 10-09.
        assert_eq!(cal().period(d(9, 28), 5), Ok((d(9, 28), d(10, 9))));
        // Starting Tue 09-29: 29, 30, 10-08, 10-09, Sat 10-10 is a swapped working day.
        assert_eq!(cal().period(d(9, 29), 5), Ok((d(9, 29), d(10, 10))));
        assert_eq!(cal().is_working_day(d(10, 10)), Ok(true));
        assert_eq!(cal().is_working_day(d(10, 11)), Ok(false));
    }

    #[test]
    fn start_on_a_holiday_moves_to_the_next_working_day() {
        // Spring festival 02-15..02-23 (Sun..Mon): first working day Tue 02-24.
        assert_eq!(cal().next_working_day(d(2, 15)), Ok(d(2, 24)));
        assert_eq!(cal().period(d(2, 20), 1), Ok((d(2, 24), d(2, 24))));
        // Sat 02-14 is a swapped working day.
        assert_eq!(cal().next_working_day(d(2, 14)), Ok(d(2, 14)));
    }

    #[test]
    fn counting_working_days() {
        // 2026-05-01..05-10: 1-5 off, Sat 9 is worked, 6 7 8 worked, Sun 10 off -> 4
        assert_eq!(cal().working_days_between(d(5, 1), d(5, 10)), Ok(4));
        assert_eq!(cal().working_days_between(d(5, 10), d(5, 1)), Ok(0));
    }

    #[test]
    fn a_year_without_a_calendar_is_refused() {
        let mut c = cal();
        c.missing = MissingCalendar::Refuse;
        let err = c.add_working_days(d(12, 28), 5).unwrap_err();
        assert_eq!(err, CalendarError::MissingYear(2027));
        assert!(err.to_string().contains("[calendar.2027]"));
    }

    #[test]
    fn a_year_without_a_calendar_counts_weekends_only_when_the_rules_say_so() {
        let mut c = cal();
        c.missing = MissingCalendar::WeekendsOnly;
        // Mon 2027-12-27 + 5 working days: 28 29 30 31 Dec, (Sat 1, Sun 2 Jan 2028),
        // Mon 2028-01-03; New Year's Day is not known, so not skipped.
        let day = |y, m, dd| NaiveDate::from_ymd_opt(y, m, dd).unwrap();
        assert_eq!(
            c.add_working_days(day(2027, 12, 27), 5),
            Ok(day(2028, 1, 3))
        );
        assert_eq!(
            c.period(day(2028, 2, 26), 5),
            Ok((day(2028, 2, 28), day(2028, 3, 3)))
        );
        assert_eq!(
            c.uncovered_years(day(2027, 12, 27), day(2028, 1, 3)),
            vec![2027, 2028]
        );
        // A covered year keeps its holidays.
        assert_eq!(c.is_working_day(d(10, 5)), Ok(false));
        assert!(c.uncovered_years(d(10, 5), d(10, 9)).is_empty());
    }
}
