//! The one clock of the program. Every "now" and "today" — audit times, decision
//! times, notice periods, lockouts, the checks that a date is not in the future, the
//! demo's story — is read from a [`Clock`], and this is the only module that reads the
//! system time (a test in `tests/clock.rs` holds every other file to that).
//!
//! The real program runs on the system clock in UTC and shows local time; tests and
//! the demo's story pass a fixed clock of their own. Times are stored in UTC as
//! RFC 3339 (`2026-11-26T02:42:05Z`), so that a lock or a decision means the same
//! instant whatever the time zone of the terminal that reads it.

use chrono::{DateTime, Duration, FixedOffset, Local, NaiveDate, NaiveDateTime, TimeZone, Utc};

/// China Standard Time, the zone of every fixed clock (tests, the demo's story).
pub fn china() -> FixedOffset {
    FixedOffset::east_opt(8 * 3600).expect("UTC+8 is a valid offset")
}

/// Where a clock's time comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Source {
    /// The system clock, moved by whole days (a demo built for another day).
    System { shift_days: i64 },
    /// A fixed instant, moved only when told.
    Fixed(DateTime<Utc>),
}

/// The zone local times are shown in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Zone {
    /// The machine's local zone (the real program).
    Machine,
    Fixed(FixedOffset),
}

/// The time, for everything that needs it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Clock {
    source: Source,
    zone: Zone,
}

impl Clock {
    /// The system clock, in UTC, shown in the machine's local zone.
    pub fn system() -> Clock {
        Clock {
            source: Source::System { shift_days: 0 },
            zone: Zone::Machine,
        }
    }

    /// A clock standing still at `at`, shown in China Standard Time.
    pub fn fixed(at: DateTime<Utc>) -> Clock {
        Clock {
            source: Source::Fixed(at),
            zone: Zone::Fixed(china()),
        }
    }

    /// A clock standing still at a local time of China Standard Time.
    pub fn at_local(at: NaiveDateTime) -> Clock {
        Clock::fixed(local_to_utc(china(), at))
    }

    /// A clock standing still on `date` at `hh:mm:ss`, China Standard Time.
    pub fn on(date: NaiveDate, hh: u32, mm: u32, ss: u32) -> Clock {
        Clock::at_local(date.and_hms_opt(hh, mm, ss).unwrap_or_default())
    }

    /// The same clock moved by whole days: a day's shift keeps the time of day, so a
    /// demo built for another day runs on that day at the real hour.
    pub fn shifted_days(self, days: i64) -> Clock {
        let source = match self.source {
            Source::System { shift_days } => Source::System {
                shift_days: shift_days + days,
            },
            Source::Fixed(at) => Source::Fixed(at + Duration::days(days)),
        };
        Clock { source, ..self }
    }

    /// Whether this clock follows the system's (the real program).
    pub fn is_running(&self) -> bool {
        matches!(self.source, Source::System { .. })
    }

    /// The current instant, in UTC.
    pub fn now(&self) -> DateTime<Utc> {
        match self.source {
            Source::System { shift_days } => Utc::now() + Duration::days(shift_days),
            Source::Fixed(at) => at,
        }
    }

    /// The current local time (the zone the screens show).
    pub fn local_now(&self) -> NaiveDateTime {
        self.local(self.now())
    }

    /// The local date: the "today" rules are applied on.
    pub fn today(&self) -> NaiveDate {
        self.local_now().date()
    }

    /// The current instant as stored: RFC 3339 in UTC, to the second.
    pub fn stamp(&self) -> String {
        stamp(self.now())
    }

    /// `at` in the local zone.
    pub fn local(&self, at: DateTime<Utc>) -> NaiveDateTime {
        match self.zone {
            Zone::Machine => at.with_timezone(&Local).naive_local(),
            Zone::Fixed(z) => at.with_timezone(&z).naive_local(),
        }
    }

    /// The instant of a local time.
    pub fn from_local(&self, at: NaiveDateTime) -> DateTime<Utc> {
        match self.zone {
            Zone::Machine => Local
                .from_local_datetime(&at)
                .earliest()
                .map(|t| t.with_timezone(&Utc))
                .unwrap_or_else(|| Utc.from_utc_datetime(&at)),
            Zone::Fixed(z) => local_to_utc(z, at),
        }
    }

    /// A stored time shown in the local zone, `YYYY-MM-DD hh:mm:ss`. Times stored
    /// before they were kept in UTC (no `T…Z`) are shown as they were written.
    pub fn show(&self, stored: &str) -> String {
        match parse_stamp(stored) {
            Some(at) => self.local(at).format("%Y-%m-%d %H:%M:%S").to_string(),
            None => stored.to_string(),
        }
    }
}

fn local_to_utc(zone: FixedOffset, at: NaiveDateTime) -> DateTime<Utc> {
    zone.from_local_datetime(&at)
        .single()
        .map(|t| t.with_timezone(&Utc))
        .unwrap_or_else(|| Utc.from_utc_datetime(&at))
}

/// An instant as stored.
pub fn stamp(at: DateTime<Utc>) -> String {
    at.format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

/// A stored instant (`YYYY-MM-DDThh:mm:ssZ`).
pub fn parse_stamp(stored: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(stored)
        .ok()
        .map(|t| t.with_timezone(&Utc))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn a_fixed_clock_stands_still_and_stores_utc() {
        let c = Clock::on(day(2026, 11, 26), 10, 42, 5);
        assert_eq!(c.stamp(), "2026-11-26T02:42:05Z");
        assert_eq!(c.now(), c.now());
        assert_eq!(c.today(), day(2026, 11, 26));
        assert_eq!(c.show(&c.stamp()), "2026-11-26 10:42:05");
        assert!(!c.is_running());
    }

    #[test]
    fn the_local_date_is_the_day_in_the_clocks_zone() {
        // 01:30 in Beijing is still the previous day in UTC.
        let c = Clock::on(day(2028, 2, 29), 1, 30, 0);
        assert_eq!(c.today(), day(2028, 2, 29));
        assert_eq!(c.now().date_naive(), day(2028, 2, 28));
        assert_eq!(c.stamp(), "2028-02-28T17:30:00Z");
    }

    #[test]
    fn shifting_by_days_keeps_the_time_of_day() {
        let c = Clock::on(day(2026, 11, 26), 9, 0, 0).shifted_days(95);
        assert_eq!(c.local_now(), day(2027, 3, 1).and_hms_opt(9, 0, 0).unwrap());
        let back = c.shifted_days(-95);
        assert_eq!(back.today(), day(2026, 11, 26));
    }

    #[test]
    fn legacy_times_are_shown_as_written() {
        let c = Clock::on(day(2026, 11, 26), 9, 0, 0);
        assert_eq!(c.show("2026-11-20 08:15:00"), "2026-11-20 08:15:00");
        assert_eq!(parse_stamp("2026-11-20 08:15:00"), None);
    }

    #[test]
    fn local_times_round_trip() {
        let c = Clock::on(day(2026, 11, 26), 9, 0, 0);
        let t = day(2031, 7, 1).and_hms_opt(23, 59, 0).unwrap();
        assert_eq!(c.local(c.from_local(t)), t);
    }

    #[test]
    fn the_system_clock_is_shown_in_the_machines_zone() {
        let c = Clock::system();
        assert!(c.is_running());
        let t = c.now();
        assert_eq!(c.local(t), t.with_timezone(&Local).naive_local());
    }
}
