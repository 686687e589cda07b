//! Committee members: PIN hashing and logging in.

use super::{AuditNote, Clock, Missing, Refusal, Result, Service, ServiceError};
use crate::domain::Role;
use crate::service::clock::{parse_stamp, stamp};
use crate::store::audit::Actor;
use crate::store::Store;
use argon2::password_hash::phc::PasswordHash;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use argon2::{Algorithm, Argon2, Params, Version};
use chrono::{DateTime, Utc};
use rusqlite::{params, OptionalExtension};
use serde_json::json;

/// How new PINs are made: how many digits at least, and how costly their hash is. The
/// cost is kept inside each hash (PHC string), so verifying follows the hash.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PinPolicy {
    pub min_digits: usize,
    /// Cheap hashes, for the demo and tests only.
    pub cheap: bool,
}

impl PinPolicy {
    /// For real committees.
    pub fn strong() -> PinPolicy {
        PinPolicy {
            min_digits: 6,
            cheap: false,
        }
    }

    /// For the demo (its PINs are documented) and tests.
    pub fn demo() -> PinPolicy {
        PinPolicy {
            min_digits: 4,
            cheap: true,
        }
    }

    /// The argon2id costs of a new hash under this policy.
    fn params(self) -> std::result::Result<Params, argon2::Error> {
        if self.cheap {
            Params::new(CHEAP_MEMORY_KIB, CHEAP_PASSES, ARGON2_LANES, None)
        } else {
            Params::new(STRONG_MEMORY_KIB, STRONG_PASSES, ARGON2_LANES, None)
        }
    }
}

/// argon2id costs of a real committee's PIN hash: 64 MiB, 10 passes, one lane. One
/// verification costs about half a second (0.57 to 0.62 s of CPU time in a release
/// build on the two-core machine it was measured on), so that someone holding a copy
/// of the database file pays that for every PIN guessed offline, and 64 MiB of memory
/// for each guess in flight. (The argon2 crate computes lanes one after another, so
/// more lanes would not make logging in faster.)
const STRONG_MEMORY_KIB: u32 = 64 * 1024;
const STRONG_PASSES: u32 = 10;
const ARGON2_LANES: u32 = 1;
/// argon2id costs of the demo's and the tests' PIN hashes: about a millisecond.
const CHEAP_MEMORY_KIB: u32 = 1024;
const CHEAP_PASSES: u32 = 1;

/// Why a new PIN was not hashed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PinError {
    /// Shorter than the policy allows.
    #[error("must have at least {min} digits")]
    TooShort { min: usize },
    /// argon2 refused the policy's costs (its message).
    #[error("cannot set the hash's costs: {problem}")]
    Costs { problem: String },
    /// argon2 could not hash the PIN (its message).
    #[error("cannot hash it: {problem}")]
    Hash { problem: String },
}

impl PinError {
    /// The refusal in English (its `Display`).
    pub fn en(&self) -> String {
        self.to_string()
    }

    /// The refusal in Chinese.
    pub fn zh(&self) -> String {
        match self {
            PinError::TooShort { min } => format!("口令至少须有 {min} 位数字"),
            PinError::Costs { problem } => format!("无法设定口令散列的强度：{problem}"),
            PinError::Hash { problem } => format!("无法计算口令的散列：{problem}"),
        }
    }
}

/// Checks a new PIN against `policy` and hashes it (argon2id, PHC string form, with
/// the policy's costs inside); the refusal says why.
pub fn hash_new_pin(pin: &str, policy: PinPolicy) -> std::result::Result<String, PinError> {
    if pin.chars().count() < policy.min_digits {
        return Err(PinError::TooShort {
            min: policy.min_digits,
        });
    }
    let params = policy.params().map_err(|e| PinError::Costs {
        problem: e.to_string(),
    })?;
    // A fresh random salt from the operating system with each hash.
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
        .hash_password(pin.as_bytes())
        .map(|h| h.to_string())
        .map_err(|e| PinError::Hash {
            problem: e.to_string(),
        })
}

/// Whether `pin` is the one `hash` was made from. The algorithm, version and costs
/// are the hash's own (read from its PHC string), not `Argon2::default()`'s: the
/// verifier recomputes with `hash`'s parameters.
fn pin_matches(pin: &str, hash: &str) -> bool {
    PasswordHash::new(hash)
        .map(|h| {
            Argon2::default()
                .verify_password(pin.as_bytes(), &h)
                .is_ok()
        })
        .unwrap_or(false)
}

/// Wrong PINs in a row before a member is locked out, and for how long: the first
/// lock lasts a minute, each further one twice the one before, up to an hour, until
/// the member logs in. These guard the tool, not the certification rules, so they
/// are not in the rules file.
const MAX_WRONG_PINS: i64 = 3;
const FIRST_LOCKOUT_SECONDS: i64 = 60;
const LONGEST_LOCKOUT_SECONDS: i64 = 3600;

/// How long the lock after `earlier` lockouts (since the last login) lasts.
fn lockout_length(earlier: i64) -> chrono::Duration {
    let doublings = earlier.clamp(0, 30) as u32;
    let seconds = FIRST_LOCKOUT_SECONDS
        .saturating_mul(1_i64 << doublings)
        .min(LONGEST_LOCKOUT_SECONDS);
    chrono::Duration::seconds(seconds)
}

/// What the write that comes before a PIN is checked decided.
enum Admission {
    /// Locked until then: the PIN is not checked.
    Locked(DateTime<Utc>),
    /// This attempt is counted (the `attempt`-th in a row) and its PIN may be checked.
    Admitted {
        name: String,
        role: Role,
        hash: String,
        attempt: i64,
    },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Member {
    pub id: i64,
    pub name: String,
    pub role: Role,
    pub org_id: Option<i64>,
}

/// Every active member, chair first.
pub fn list(store: &Store) -> Result<Vec<Member>> {
    let mut stmt = store.conn().prepare(
        "SELECT id, name, role, org_id FROM members WHERE active = 1
         ORDER BY CASE role WHEN 'chair' THEN 0 WHEN 'member' THEN 1 ELSE 2 END, id",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok(Member {
            id: r.get(0)?,
            name: r.get(1)?,
            role: Role::parse(&r.get::<_, String>(2)?).unwrap_or(Role::Member),
            org_id: r.get(3)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

impl Service {
    /// The active committee member with this name or, failing that, this id.
    pub fn find_member(&self, name_or_id: &str) -> Result<Member> {
        let key = name_or_id.trim();
        let all = list(self.store())?;
        let by_id = key.parse::<i64>().ok();
        all.iter()
            .find(|m| m.name == key)
            .or_else(|| all.iter().find(|m| Some(m.id) == by_id))
            .cloned()
            .ok_or_else(|| {
                ServiceError::NotFound(Missing::MemberNamed {
                    key: key.to_string(),
                    known: all.iter().map(|m| (m.id, m.name.clone())).collect(),
                })
            })
    }

    /// Logs a member in with their PIN. On success the service acts as that member
    /// from then on.
    ///
    /// The attempt is counted, and the lock checked, in one write transaction before
    /// the PIN is verified, so that terminals trying PINs at the same moment never
    /// get more than [`MAX_WRONG_PINS`] verified in a row: the attempt that reaches the
    /// limit locks the member while its PIN is checked (a right PIN lifts the lock
    /// again). A refusal because of a lock writes nothing; a login, a wrong PIN and a
    /// lockout are audited.
    pub fn login(
        mut store: Store,
        clock: Clock,
        member_id: i64,
        pin: &str,
    ) -> std::result::Result<Service, Box<(Store, ServiceError)>> {
        let admitted = store.write(|tx| admit(tx, clock.now(), member_id));
        let (name, role, hash, attempt) = match admitted {
            Ok(Admission::Admitted {
                name,
                role,
                hash,
                attempt,
            }) => (name, role, hash, attempt),
            Ok(Admission::Locked(until)) => {
                return Err(Box::new((
                    store,
                    ServiceError::Locked(lock_time(&clock, until)),
                )))
            }
            Err(e) => return Err(Box::new((store, e))),
        };
        let mut svc = Service {
            store,
            actor: Actor {
                member_id: Some(member_id),
                name,
            },
            role: Some(role),
            clock,
            pin_policy: PinPolicy::strong(),
            rules_cache: Default::default(),
        };
        if pin_matches(pin, &hash) {
            let logged = svc.mutate(|tx, _| {
                tx.execute(
                    "UPDATE members SET failed_pins = 0, locked_until = NULL, lockouts = 0
                     WHERE id = ?1",
                    [member_id],
                )?;
                Ok(((), AuditNote::new("login", "member", member_id)))
            });
            return match logged {
                Ok(()) => Ok(svc),
                Err(e) => Err(Box::new((svc.into_store(), e))),
            };
        }
        let audited = svc.mutate(|tx, _| {
            let (locked_until, lockouts): (Option<String>, i64) = tx.query_row(
                "SELECT locked_until, lockouts FROM members WHERE id = ?1",
                [member_id],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )?;
            // The attempt that reached the limit locks for good, unless a right PIN
            // tried meanwhile has lifted its lock.
            if attempt >= MAX_WRONG_PINS && locked_until.is_some() {
                let length = lockout_length(lockouts);
                let until = stamp(clock.now() + length);
                tx.execute(
                    "UPDATE members SET locked_until = ?1, lockouts = lockouts + 1 WHERE id = ?2",
                    params![until, member_id],
                )?;
                return Ok((
                    Some(until.clone()),
                    AuditNote::new("lockout", "member", member_id).after(json!({
                        "reason": "wrong PIN",
                        "attempts": attempt,
                        "locked_until": until,
                        "lockout": lockouts + 1,
                        "seconds": length.num_seconds(),
                    })),
                ));
            }
            Ok((
                None,
                AuditNote::new("login_failed", "member", member_id)
                    .after(json!({"reason": "wrong PIN", "attempts": attempt})),
            ))
        });
        let err = match audited {
            Ok(Some(until)) => ServiceError::Locked(
                parse_stamp(&until)
                    .map(|u| lock_time(&clock, u))
                    .unwrap_or(until),
            ),
            Ok(None) => ServiceError::WrongPin,
            Err(e) => e,
        };
        Err(Box::new((svc.into_store(), err)))
    }
}

/// Inside the write transaction before a PIN is checked: refuses a member who is
/// locked at `now`, otherwise counts the attempt (a lock that has passed starts a new
/// count) and, when it is the last one allowed, locks the member while it is checked.
fn admit(tx: &rusqlite::Transaction, now: DateTime<Utc>, member_id: i64) -> Result<Admission> {
    let row: Option<(String, String, String, i64, Option<String>, i64)> = tx
        .query_row(
            "SELECT name, role, pin_hash, failed_pins, locked_until, lockouts
             FROM members WHERE id = ?1 AND active = 1",
            [member_id],
            |r| {
                Ok((
                    r.get(0)?,
                    r.get(1)?,
                    r.get(2)?,
                    r.get(3)?,
                    r.get(4)?,
                    r.get(5)?,
                ))
            },
        )
        .optional()?;
    let Some((name, role, hash, failed, locked_until, lockouts)) = row else {
        return Err(ServiceError::NotFound(Missing::Member(member_id)));
    };
    // A lock is an instant in UTC: it lasts as long from any time zone.
    let lock = locked_until.as_deref().and_then(parse_stamp);
    if let Some(until) = lock.filter(|u| *u > now) {
        return Ok(Admission::Locked(until));
    }
    let Some(role) = Role::parse(&role) else {
        return Err(Refusal::BadRole {
            member: member_id,
            role,
        }
        .into());
    };
    let failed = if lock.is_some() { 0 } else { failed };
    if failed >= MAX_WRONG_PINS {
        // The limit is reached without a lock (a file written otherwise): lock now.
        let until = now + lockout_length(lockouts);
        tx.execute(
            "UPDATE members SET locked_until = ?1 WHERE id = ?2",
            params![stamp(until), member_id],
        )?;
        return Ok(Admission::Locked(until));
    }
    let attempt = failed + 1;
    let until = (attempt >= MAX_WRONG_PINS).then(|| stamp(now + lockout_length(lockouts)));
    tx.execute(
        "UPDATE members SET failed_pins = ?1, locked_until = ?2 WHERE id = ?3",
        params![attempt, until, member_id],
    )?;
    Ok(Admission::Admitted {
        name,
        role,
        hash,
        attempt,
    })
}

/// The local time a lock ends, as a refusal shows it (`hh:mm:ss`).
fn lock_time(clock: &Clock, until: DateTime<Utc>) -> String {
    clock.local(until).format("%H:%M:%S").to_string()
}
