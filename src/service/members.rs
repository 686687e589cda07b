//! Committee members: PIN hashing and logging in.

use super::{AuditNote, Clock, Result, Service, ServiceError};
use crate::domain::Role;
use crate::store::audit::Actor;
use crate::store::Store;
use argon2::password_hash::{
    rand_core::OsRng, PasswordHash, PasswordHasher, PasswordVerifier, SaltString,
};
use argon2::Argon2;
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
}

/// Checks a new PIN against `policy` and hashes it; the refusal says why.
pub fn hash_new_pin(pin: &str, policy: PinPolicy) -> std::result::Result<String, String> {
    if pin.len() < policy.min_digits {
        return Err(format!("must have at least {} digits", policy.min_digits));
    }
    Ok(hash_pin(pin))
}

/// An argon2id hash of a PIN, in PHC string form.
pub fn hash_pin(pin: &str) -> String {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(pin.as_bytes(), &salt)
        .map(|h| h.to_string())
        .unwrap_or_default()
}

fn pin_matches(pin: &str, hash: &str) -> bool {
    PasswordHash::new(hash)
        .map(|h| {
            Argon2::default()
                .verify_password(pin.as_bytes(), &h)
                .is_ok()
        })
        .unwrap_or(false)
}

/// Wrong PINs in a row before a member is locked out, and for how long. These guard
/// the tool, not the certification rules, so they are not in the rules file.
const MAX_WRONG_PINS: i64 = 3;
const LOCKOUT_SECONDS: i64 = 60;

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
                let known: Vec<String> = all
                    .iter()
                    .map(|m| format!("{} (#{})", m.name, m.id))
                    .collect();
                ServiceError::NotFound(format!(
                    "no committee member '{key}' (members: {})",
                    known.join(", ")
                ))
            })
    }

    /// Logs a member in with their PIN; a wrong PIN is audited. On success the service
    /// acts as that member from then on.
    pub fn login(
        store: Store,
        clock: Clock,
        member_id: i64,
        pin: &str,
    ) -> std::result::Result<Service, Box<(Store, ServiceError)>> {
        let row: Option<(String, String, String, Option<String>)> = match store
            .conn()
            .query_row(
                "SELECT name, role, pin_hash, locked_until FROM members WHERE id = ?1 AND active = 1",
                [member_id],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
            )
            .optional()
        {
            Ok(row) => row,
            Err(e) => return Err(Box::new((store, e.into()))),
        };
        let Some((name, role, hash, locked_until)) = row else {
            return Err(Box::new((
                store,
                ServiceError::NotFound(format!("member #{member_id}")),
            )));
        };
        // A lock is an instant in UTC: it lasts as long from any time zone.
        let now = clock.now();
        let locked = locked_until
            .as_deref()
            .and_then(crate::service::clock::parse_stamp)
            .filter(|u| *u > now);
        if let Some(until) = locked {
            return Err(Box::new((
                store,
                ServiceError::Locked(lock_time(&clock, until)),
            )));
        }
        let Some(parsed_role) = Role::parse(&role) else {
            return Err(Box::new((
                store,
                ServiceError::Forbidden(format!(
                    "member #{member_id} has an unknown role '{role}'"
                )),
            )));
        };
        let mut svc = Service {
            store,
            actor: Actor {
                member_id: Some(member_id),
                name,
            },
            role: Some(parsed_role),
            clock,
            pin_policy: PinPolicy::strong(),
            rules_cache: Default::default(),
        };
        if pin_matches(pin, &hash) {
            let logged = svc.mutate(|tx, _| {
                tx.execute(
                    "UPDATE members SET failed_pins = 0, locked_until = NULL WHERE id = ?1",
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
            let failed: i64 = tx.query_row(
                "UPDATE members SET failed_pins = failed_pins + 1 WHERE id = ?1 RETURNING failed_pins",
                params![member_id],
                |r| r.get(0),
            )?;
            if failed >= MAX_WRONG_PINS {
                let until_at = now + chrono::Duration::seconds(LOCKOUT_SECONDS);
                let until = crate::service::clock::stamp(until_at);
                tx.execute(
                    "UPDATE members SET failed_pins = 0, locked_until = ?1 WHERE id = ?2",
                    params![until, member_id],
                )?;
                return Ok((
                    Some(until.clone()),
                    AuditNote::new("lockout", "member", member_id)
                        .after(json!({"reason": "wrong PIN", "attempts": failed, "locked_until": until})),
                ));
            }
            Ok((
                None,
                AuditNote::new("login_failed", "member", member_id)
                    .after(json!({"reason": "wrong PIN", "attempts": failed})),
            ))
        });
        let err = match audited {
            Ok(Some(until)) => ServiceError::Locked(
                crate::service::clock::parse_stamp(&until)
                    .map(|u| lock_time(&clock, u))
                    .unwrap_or(until),
            ),
            Ok(None) => ServiceError::Forbidden("wrong PIN".into()),
            Err(e) => e,
        };
        Err(Box::new((svc.into_store(), err)))
    }
}

/// The local time a lock ends, as a refusal shows it (`hh:mm:ss`).
fn lock_time(clock: &Clock, until: chrono::DateTime<chrono::Utc>) -> String {
    clock.local(until).format("%H:%M:%S").to_string()
}
