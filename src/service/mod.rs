//! Use cases. Each mutation is one transaction together with its audit row, and every
//! rule about who may do what is enforced here, so the screens, the commands and the
//! tests all meet the same rule.

pub mod applications;
pub mod backup;
pub mod board;
pub mod certificates;
pub mod check;
pub mod clock;
pub mod cycle;
pub mod demo;
mod error;
pub mod evaluation;
pub mod export;
pub mod files;
pub mod forms;
pub mod import;
mod index;
pub mod keys;
pub mod meeting;
pub mod members;
pub mod minutes;
pub mod notice;
pub mod persons;
pub mod registers;
pub mod scoring;
pub mod sheets_export;
pub mod summary;

use crate::domain::{Deed, Role};
use crate::store::audit::{self, Actor, Entry};
use crate::store::Store;
use chrono::NaiveDate;
pub use clock::Clock;
pub use error::{clean, EvalWork, Field, Missing, Refusal, ServiceError};
use rusqlite::Connection;
use serde_json::Value;

pub use import::{ImportError, ImportReport, Kind};
pub use summary::{summary, StageCount, Summary};

pub type Result<T, E = ServiceError> = std::result::Result<T, E>;

/// An open database and the person acting on it.
pub struct Service {
    store: Store,
    actor: Actor,
    /// `None` for the operator of a command (import, demo set-up), who is not a
    /// committee member.
    role: Option<Role>,
    /// The one clock: every "now" and "today" of the service comes from it.
    clock: Clock,
    /// How new PINs are made (committee import).
    pin_policy: members::PinPolicy,
    /// Parsed rules of the cycles read so far (stored rules never change).
    rules_cache: std::cell::RefCell<std::collections::HashMap<i64, crate::domain::rules::Rules>>,
}

impl Service {
    /// Acts as the operator of a command line, not as a committee member, on the
    /// database's clock ([`clock_for`]).
    pub fn system(store: Store, what: &str) -> Service {
        let clock = clock_for(&store);
        Service {
            store,
            actor: Actor::system(what),
            role: None,
            clock,
            pin_policy: members::PinPolicy::strong(),
            rules_cache: Default::default(),
        }
    }

    /// Makes new PINs under `policy` from now on (the demo and tests use cheap ones).
    pub fn set_pin_policy(&mut self, policy: members::PinPolicy) {
        self.pin_policy = policy;
    }

    pub fn pin_policy(&self) -> members::PinPolicy {
        self.pin_policy
    }

    /// Runs on `clock` from now on.
    pub fn set_clock(&mut self, clock: Clock) {
        self.clock = clock;
    }

    /// Stops the clock on `date` at 10:00 (China Standard Time): applies the rules as
    /// on that day (tests).
    pub fn set_today(&mut self, date: NaiveDate) {
        self.clock = Clock::on(date, 10, 0, 0);
    }

    pub fn clock(&self) -> Clock {
        self.clock
    }

    /// The local date rules are applied on.
    pub fn today(&self) -> NaiveDate {
        self.clock.today()
    }

    /// The current instant, as stored.
    pub fn stamp(&self) -> String {
        self.clock.stamp()
    }

    /// A stored time in the local zone, as screens show it.
    pub fn show_time(&self, stored: &str) -> String {
        self.clock.show(stored)
    }

    pub fn store(&self) -> &Store {
        &self.store
    }

    /// The connection, for the use cases; callers outside the service go through them
    /// (or, to look at what is stored on purpose, through [`Service::store`]).
    pub(crate) fn conn(&self) -> &Connection {
        self.store.conn()
    }

    pub fn actor(&self) -> &Actor {
        &self.actor
    }

    pub fn role(&self) -> Option<Role> {
        self.role
    }

    pub fn into_store(self) -> Store {
        self.store
    }

    /// Runs one mutation in a single IMMEDIATE transaction that also appends the audit
    /// row it returns.
    fn mutate<T>(
        &mut self,
        mut f: impl FnMut(&Connection, &Actor) -> Result<(T, AuditNote)>,
    ) -> Result<T> {
        let actor = self.actor.clone();
        let at = self.clock.stamp();
        self.store.write(|tx| {
            let (value, note) = f(tx, &actor)?;
            audit::append(
                tx,
                &at,
                &actor,
                Entry {
                    action: note.action,
                    entity: note.entity,
                    entity_id: note.entity_id,
                    before: note.before,
                    after: note.after,
                },
            )?;
            Ok(value)
        })
    }

    /// Whether the acting member may do `deed` ([`crate::domain::may`]); the
    /// operator of a command may do anything a command offers. The screens ask this
    /// before offering a key.
    pub fn may(&self, deed: Deed) -> bool {
        self.role.is_none_or(|r| crate::domain::may(r, deed))
    }

    /// Refuses unless the acting member may do `deed` (see [`Service::may`]).
    fn require(&self, deed: Deed) -> Result<()> {
        match self.role {
            Some(role) if !self.may(deed) => Err(ServiceError::Forbidden { role, deed }),
            _ => Ok(()),
        }
    }
}

/// The clock a database runs on: the system clock, moved by the days a demo built for
/// another day (`pingshen demo --today`) was moved, so that the app and every command
/// on that database see the demo's day.
pub fn clock_for(store: &Store) -> Clock {
    let shift = store
        .conn()
        .query_row(
            "SELECT value FROM meta WHERE key = 'clock_shift_days'",
            [],
            |r| r.get::<_, String>(0),
        )
        .ok()
        .and_then(|v| v.parse::<i64>().ok())
        .unwrap_or(0);
    Clock::system().shifted_days(shift)
}

/// What the audit row of a mutation says.
pub struct AuditNote {
    pub action: &'static str,
    pub entity: &'static str,
    pub entity_id: String,
    pub before: Option<Value>,
    pub after: Option<Value>,
}

impl AuditNote {
    pub fn new(action: &'static str, entity: &'static str, id: impl ToString) -> AuditNote {
        AuditNote {
            action,
            entity,
            entity_id: id.to_string(),
            before: None,
            after: None,
        }
    }
    pub fn before(mut self, v: Value) -> Self {
        self.before = Some(v);
        self
    }
    pub fn after(mut self, v: Value) -> Self {
        self.after = Some(v);
        self
    }
}
