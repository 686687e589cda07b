//! PIN attempts against the lockout: twelve terminals at the same moment, the right
//! PIN while locked, clocks reading the lock's instant in other ways, lockouts that
//! grow and a login that resets them, and the PIN policy's length and costs. Every
//! clock is fixed; none reads the system time.

use argon2::password_hash::phc::PasswordHash;
use argon2::Params;
use chrono::{DateTime, Duration, TimeZone, Utc};
use pingshen::service::demo;
use pingshen::service::members::{hash_new_pin, PinError, PinPolicy};
use pingshen::service::{Clock, Service, ServiceError};
use pingshen::store::Store;
use std::sync::{Arc, Barrier};
use std::thread;

/// 孙丽华, an ordinary member of the demo's committee, and her PIN.
const SUN: &str = "孙丽华";
const SUN_PIN: &str = "1004";
const WRONG: &str = "0000";

/// The demo in memory, and 孙丽华's id.
fn demo_store() -> (Store, i64) {
    let svc = demo::in_memory().unwrap();
    let sun = svc.find_member(SUN).unwrap().id;
    (svc.into_store(), sun)
}

/// A login attempt; the store comes back either way.
fn attempt(store: Store, at: Clock, member: i64, pin: &str) -> (Store, Result<(), ServiceError>) {
    match Service::login(store, at, member, pin) {
        Ok(svc) => (svc.into_store(), Ok(())),
        Err(e) => {
            let (store, err) = *e;
            (store, Err(err))
        }
    }
}

fn is_locked(r: &Result<(), ServiceError>) -> bool {
    matches!(r, Err(ServiceError::Locked(_)))
}

fn is_wrong_pin(r: &Result<(), ServiceError>) -> bool {
    matches!(r, Err(ServiceError::WrongPin))
}

/// Gives a member another PIN hash behind the program's back.
fn set_pin_hash(store: &Store, member: i64, hash: &str) {
    store
        .conn()
        .execute(
            "UPDATE members SET pin_hash = ?1 WHERE id = ?2",
            rusqlite::params![hash, member],
        )
        .unwrap();
}

/// A member's row as the lockout sees it: attempts counted, lock, lockouts.
fn lock_state(store: &Store, member: i64) -> (i64, Option<String>, i64) {
    store
        .conn()
        .query_row(
            "SELECT failed_pins, locked_until, lockouts FROM members WHERE id = ?1",
            [member],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .unwrap()
}

/// The audit rows about a member's logins, oldest first: action and `after`.
fn login_audit(store: &Store, member: i64) -> Vec<(String, serde_json::Value)> {
    let mut stmt = store
        .conn()
        .prepare(
            "SELECT action, after FROM audit
             WHERE entity = 'member' AND entity_id = ?1
               AND action IN ('login', 'login_failed', 'lockout')
             ORDER BY id",
        )
        .unwrap();
    let rows = stmt
        .query_map([member.to_string()], |r| {
            let after: Option<String> = r.get(1)?;
            Ok((
                r.get(0)?,
                after
                    .map(|a| serde_json::from_str(&a).unwrap())
                    .unwrap_or(serde_json::Value::Null),
            ))
        })
        .unwrap()
        .collect::<rusqlite::Result<Vec<_>>>()
        .unwrap();
    rows
}

/// Three wrong PINs at `at`; the third must lock. Returns the store.
fn lock_out(mut store: Store, at: Clock, member: i64) -> Store {
    for n in 1..=3 {
        let (s, r) = attempt(store, at, member, WRONG);
        store = s;
        if n < 3 {
            assert!(is_wrong_pin(&r), "attempt {n}: {r:?}");
        } else {
            assert!(is_locked(&r), "attempt {n}: {r:?}");
        }
    }
    store
}

/// The instant a member's lock ends, as stored.
fn locked_until(store: &Store, member: i64) -> DateTime<Utc> {
    let stored = lock_state(store, member).1.expect("locked");
    assert!(stored.ends_with('Z'), "stored in UTC: {stored}");
    DateTime::parse_from_rfc3339(&stored)
        .unwrap()
        .with_timezone(&Utc)
}

#[test]
fn twelve_terminals_sending_wrong_pins_at_once_get_three_checked_and_the_rest_refused() {
    const TERMINALS: usize = 12;
    let dir = tempfile::tempdir().unwrap();
    let path = crate::common::demo_file_in(dir.path());
    let store = Store::open(&path).unwrap();
    let sun = Service::system(store, "test").find_member(SUN).unwrap().id;
    // A real committee's hash (about half a second in a release build): checking a PIN
    // takes long enough that every terminal arrives while the first are being checked.
    let strong = hash_new_pin("246813", PinPolicy::strong()).unwrap();
    let store = Store::open(&path).unwrap();
    set_pin_hash(&store, sun, &strong);
    let audit_before = login_audit(&store, sun).len();
    drop(store);

    let start = Arc::new(Barrier::new(TERMINALS));
    let threads: Vec<_> = (0..TERMINALS)
        .map(|_| {
            let store = Store::open(&path).unwrap();
            let start = start.clone();
            thread::spawn(move || {
                start.wait();
                attempt(store, demo::fixed_clock(), sun, WRONG).1
            })
        })
        .collect();
    let results: Vec<Result<(), ServiceError>> =
        threads.into_iter().map(|t| t.join().unwrap()).collect();

    let wrong = results.iter().filter(|r| is_wrong_pin(r)).count();
    let locked = results.iter().filter(|r| is_locked(r)).count();
    assert_eq!(wrong + locked, TERMINALS, "{results:?}");
    assert_eq!(wrong, 2, "{results:?}");

    // From the audit: three PINs were checked (two failures, then the lockout of the
    // third), and the nine others were refused unchecked and wrote nothing.
    let store = Store::open(&path).unwrap();
    let audit = login_audit(&store, sun);
    let new = &audit[audit_before..];
    let actions: Vec<&str> = new.iter().map(|(a, _)| a.as_str()).collect();
    assert_eq!(
        actions.iter().filter(|a| **a == "login_failed").count(),
        2,
        "{actions:?}"
    );
    assert_eq!(
        actions.iter().filter(|a| **a == "lockout").count(),
        1,
        "{actions:?}"
    );
    assert_eq!(new.len(), 3, "{actions:?}");
    let mut attempts: Vec<i64> = new
        .iter()
        .map(|(_, after)| after["attempts"].as_i64().unwrap())
        .collect();
    attempts.sort();
    assert_eq!(attempts, [1, 2, 3]);
    let (_, lockout) = new.iter().find(|(a, _)| a == "lockout").unwrap();
    assert_eq!(lockout["attempts"], 3);
    assert_eq!(lockout["seconds"], 60);
    // The lock holds for a minute from the moment the third PIN was found wrong.
    assert_eq!(
        locked_until(&store, sun),
        demo::fixed_clock().now() + Duration::seconds(60)
    );
    assert_eq!(lock_state(&store, sun).2, 1);
}

#[test]
fn the_right_pin_while_locked_is_refused_and_writes_nothing() {
    let (store, sun) = demo_store();
    let clock = demo::fixed_clock();
    let mut store = lock_out(store, clock, sun);
    let state = lock_state(&store, sun);
    let rows = crate::common::rows_in(&store, "audit");
    for later in [0, 1, 30, 59] {
        let at = Clock::fixed(clock.now() + Duration::seconds(later));
        let (s, r) = attempt(store, at, sun, SUN_PIN);
        assert!(is_locked(&r), "{later} s: {r:?}");
        // The refusal says when, in the terminal's local time (China Standard Time).
        assert!(r.unwrap_err().to_string().contains("10:43:05"));
        assert_eq!(lock_state(&s, sun), state);
        assert_eq!(crate::common::rows_in(&s, "audit"), rows);
        // Wrong PINs are refused the same way, unchecked and unwritten.
        let (s, r) = attempt(s, at, sun, WRONG);
        assert!(is_locked(&r), "{later} s: {r:?}");
        assert_eq!(lock_state(&s, sun), state);
        assert_eq!(crate::common::rows_in(&s, "audit"), rows);
        store = s;
    }
}

#[test]
fn a_lock_is_an_instant_in_utc_whichever_clock_reads_it() {
    let (store, sun) = demo_store();
    // Locked on a terminal whose clock reads 10:42:05 China Standard Time...
    let locking = Clock::on(demo::anchor(), 10, 42, 5);
    let store = lock_out(store, locking, sun);
    let stored = lock_state(&store, sun).1.unwrap();
    assert_eq!(stored, "2026-11-26T02:43:05Z");
    assert_eq!(
        locked_until(&store, sun),
        locking.now() + Duration::seconds(60)
    );
    // ...the lock lasts exactly a minute for a clock given the instant in UTC
    // (02:43:04Z is 10:43:04 in Beijing: still locked)...
    let utc = |h, m, s| Clock::fixed(Utc.with_ymd_and_hms(2026, 11, 26, h, m, s).unwrap());
    let (store, r) = attempt(store, utc(2, 43, 4), sun, SUN_PIN);
    assert!(is_locked(&r), "{r:?}");
    // ...and for a clock shifted by days and back, still a second short.
    let shifted = Clock::on(demo::anchor(), 10, 43, 4)
        .shifted_days(3)
        .shifted_days(-3);
    let (store, r) = attempt(store, shifted, sun, SUN_PIN);
    assert!(is_locked(&r), "{r:?}");
    // A local wall time of 02:43:05 in Beijing is eight hours before the lock ends:
    // the stored instant is not read as a local time.
    let (store, r) = attempt(store, Clock::on(demo::anchor(), 2, 43, 5), sun, SUN_PIN);
    assert!(is_locked(&r), "{r:?}");
    // At 02:43:05Z (10:43:05 in Beijing) it has passed.
    let (store, r) = attempt(store, utc(2, 43, 5), sun, SUN_PIN);
    assert!(r.is_ok(), "{r:?}");
    assert_eq!(lock_state(&store, sun), (0, None, 0));
}

#[test]
fn each_further_lockout_lasts_twice_as_long_up_to_an_hour_until_a_login() {
    let (mut store, sun) = demo_store();
    let mut now = demo::fixed_clock().now();
    let mut lengths = Vec::new();
    for n in 1..=8 {
        store = lock_out(store, Clock::fixed(now), sun);
        let until = locked_until(&store, sun);
        let length = (until - now).num_seconds();
        lengths.push(length);
        let (_, after) = login_audit(&store, sun).pop().unwrap();
        assert_eq!(after["lockout"], n);
        assert_eq!(after["seconds"], length);
        assert_eq!(lock_state(&store, sun).2, n);
        // A second short of the end, still locked; at the end, the count starts again.
        let (s, r) = attempt(
            store,
            Clock::fixed(until - Duration::seconds(1)),
            sun,
            SUN_PIN,
        );
        assert!(is_locked(&r), "lockout {n}: {r:?}");
        store = s;
        now = until;
    }
    assert_eq!(lengths, [60, 120, 240, 480, 960, 1920, 3600, 3600]);

    // After a lock has passed, a wrong PIN is the first of a new count.
    let (s, r) = attempt(store, Clock::fixed(now), sun, WRONG);
    assert!(is_wrong_pin(&r), "{r:?}");
    let (_, after) = login_audit(&s, sun).pop().unwrap();
    assert_eq!(after["attempts"], 1);
    // A login resets everything: the next lockout is a minute again.
    let (s, r) = attempt(s, Clock::fixed(now), sun, SUN_PIN);
    assert!(r.is_ok(), "{r:?}");
    assert_eq!(lock_state(&s, sun), (0, None, 0));
    let s = lock_out(s, Clock::fixed(now), sun);
    assert_eq!(
        (locked_until(&s, sun) - now).num_seconds(),
        60,
        "a login resets the lockouts"
    );
}

#[test]
fn after_the_lock_passes_the_right_pin_works_and_resets_the_count() {
    let (store, sun) = demo_store();
    let clock = demo::fixed_clock();
    let store = lock_out(store, clock, sun);
    let end = Clock::fixed(clock.now() + Duration::seconds(60));
    let (store, r) = attempt(store, end, sun, SUN_PIN);
    assert!(r.is_ok(), "{r:?}");
    assert_eq!(lock_state(&store, sun), (0, None, 0));
    let (action, _) = login_audit(&store, sun).pop().unwrap();
    assert_eq!(action, "login");
    // Two wrong PINs after a login are two, not a lockout.
    let (store, r) = attempt(store, end, sun, WRONG);
    assert!(is_wrong_pin(&r), "{r:?}");
    let (store, r) = attempt(store, end, sun, WRONG);
    assert!(is_wrong_pin(&r), "{r:?}");
    let (store, r) = attempt(store, end, sun, SUN_PIN);
    assert!(r.is_ok(), "{r:?}");
    assert_eq!(lock_state(&store, sun), (0, None, 0));
}

#[test]
fn a_right_pin_on_the_last_attempt_allowed_logs_in_and_lifts_the_lock() {
    let (store, sun) = demo_store();
    let clock = demo::fixed_clock();
    let (store, _) = attempt(store, clock, sun, WRONG);
    let (store, _) = attempt(store, clock, sun, WRONG);
    let (store, r) = attempt(store, clock, sun, SUN_PIN);
    assert!(r.is_ok(), "{r:?}");
    assert_eq!(lock_state(&store, sun), (0, None, 0));
}

#[test]
fn strong_pins_have_six_digits_and_demo_pins_four() {
    let refused = hash_new_pin("12345", PinPolicy::strong()).unwrap_err();
    assert_eq!(refused, PinError::TooShort { min: 6 });
    assert!(
        refused.to_string().contains("at least 6 digits"),
        "{refused}"
    );
    assert!(hash_new_pin("1234", PinPolicy::demo()).is_ok());
    assert_eq!(
        hash_new_pin("123", PinPolicy::demo()),
        Err(PinError::TooShort { min: 4 })
    );
}

#[test]
fn a_strong_hash_carries_stronger_costs_and_logging_in_follows_them() {
    let strong = hash_new_pin("246813", PinPolicy::strong()).unwrap();
    let cheap = hash_new_pin("2468", PinPolicy::demo()).unwrap();
    let costs = |phc: &str| {
        let hash = PasswordHash::new(phc).unwrap();
        assert_eq!(hash.algorithm.as_str(), "argon2id", "{phc}");
        let p = Params::try_from(&hash).unwrap();
        (p.m_cost(), p.t_cost(), p.p_cost())
    };
    let (sm, st, sp) = costs(&strong);
    let (cm, ct, cp) = costs(&cheap);
    assert!(sm >= 64 * 1024, "strong memory {sm} KiB");
    assert!(sm >= 16 * cm, "strong {sm} KiB against cheap {cm} KiB");
    assert!(st > ct, "strong passes {st} against cheap {ct}");
    assert!(sp >= cp);
    assert!(
        strong.contains(&format!("m={sm},t={st},p={sp}")),
        "{strong}"
    );

    // A member whose hash is strong logs in with it: the PIN is checked with the costs
    // in the hash, whatever hashes the others have.
    let (store, sun) = demo_store();
    set_pin_hash(&store, sun, &strong);
    let clock = demo::fixed_clock();
    let (store, r) = attempt(store, clock, sun, SUN_PIN);
    assert!(is_wrong_pin(&r), "{r:?}");
    let (_, r) = attempt(store, clock, sun, "246813");
    assert!(r.is_ok(), "{r:?}");
}
