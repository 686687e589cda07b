//! Use cases. Each mutation is one transaction together with its audit row, and every
//! rule about who may do what is enforced here, so the screens, the commands and the
//! tests all meet the same rule.

pub mod applications;
pub mod board;
pub mod certificates;
pub mod check;
pub mod clock;
pub mod cycle;
pub mod demo;
pub mod evaluation;
pub mod export;
pub mod files;
pub mod forms;
pub mod import;
mod index;
pub mod members;
pub mod notice;
pub mod persons;
pub mod registers;
pub mod scoring;
pub mod sheets_export;
pub mod summary;

use crate::domain::certificate::CertificateError;
use crate::domain::notice::NoticeError;
use crate::domain::stage::TransitionError;
use crate::domain::workdays::CalendarError;
use crate::domain::Role;
use crate::store::audit::{self, Actor, Entry};
use crate::store::{Store, StoreError};
use chrono::NaiveDate;
pub use clock::Clock;
use rusqlite::Connection;
use serde_json::Value;
use thiserror::Error;

pub use import::{ImportError, ImportReport, Kind};
pub use summary::{summary, StageCount, Summary};

#[derive(Debug, Error)]
pub enum ServiceError {
    #[error("not allowed: {0}")]
    Forbidden(String),
    #[error("not found: {0}")]
    NotFound(String),
    /// Nothing can be reviewed before a certification cycle is opened.
    #[error("no open certification cycle: create one with `pingshen cycle new --rules FILE --year YEAR`")]
    NoOpenCycle,
    /// Too many wrong PINs: the member may try again after the time given (HH:MM:SS).
    #[error("too many wrong PINs: locked until {0}")]
    Locked(String),
    #[error("{0}")]
    Invalid(String),
    #[error("refused: {0}")]
    Transition(#[from] TransitionError),
    #[error("refused: {0}")]
    Notice(#[from] NoticeError),
    #[error("refused: {0}")]
    Certificate(#[from] CertificateError),
    #[error("{0}")]
    Calendar(#[from] CalendarError),
    #[error("import refused, the database is unchanged:\n{0}")]
    Import(ImportError),
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl ServiceError {
    /// The refusal in Chinese where the rule that refused has a Chinese text (stage,
    /// notice and certificate rules); `None` for the others.
    pub fn zh(&self) -> Option<String> {
        match self {
            ServiceError::Transition(e) => Some(e.zh()),
            ServiceError::Notice(e) => Some(e.zh()),
            ServiceError::Certificate(e) => Some(e.zh()),
            ServiceError::NoOpenCycle => Some(
                "还没有进行中的认证年度：先用 pingshen cycle new --rules 规则文件 --year 年度 新建"
                    .into(),
            ),
            _ => None,
        }
    }
}

impl From<rusqlite::Error> for ServiceError {
    fn from(e: rusqlite::Error) -> Self {
        ServiceError::Store(StoreError::Sqlite(e))
    }
}

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

    /// Refuses unless the actor is a committee member with one of `roles`; the
    /// operator of a command may do anything a command offers.
    fn require(&self, roles: &[Role], what: &str) -> Result<()> {
        match self.role {
            None => Ok(()),
            Some(r) if roles.contains(&r) => Ok(()),
            Some(r) => Err(ServiceError::Forbidden(format!(
                "{} ({}) may not {what}",
                r.zh(),
                r.code()
            ))),
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

/// What a role may not do, in Chinese: the `what` of a refusal by `Service::require`,
/// kept beside it so that the two wordings change together.
pub fn forbidden_zh(what: &str) -> Option<&'static str> {
    Some(match what {
        "reveal ID numbers" => "查看完整证件号码、电话和住址（限主任委员、秘书）",
        "reveal an objector's contact" => "查看异议人联系方式（限主任委员、秘书）",
        "record a site visit" => "登记实地走访",
        "record a test score" => "录入测试成绩",
        "override an eligibility check" => "破格通过资格审核",
        "refuse certification" => "作出不予认证的决定",
        "open scoring" | "close scoring" => "开始或结束评分",
        "finalise a result" => "确定评定结果",
        "reopen a result" => "重新评定",
        "see the scoring progress" => "查看评分进度",
        "see the committee's results" => "查看评定结果",
        "see declared conflicts" => "查看回避申报",
        "start the public notice" => "开始公示",
        "close the public notice" => "结束公示",
        "record an objection" => "登记异议",
        "record an objection's verification or withdrawal" => "办理异议核查或撤回",
        "conclude an objection (upheld or dismissed)" => "认定异议属实或不属实",
        "decide on an upheld objection" => "对属实的异议作出决定",
        "record an annual inspection" => "登记年检",
        "record a job-change report" => "登记职务变动",
        "change a certificate's status" => "变更证书状态",
        _ => return None,
    })
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
