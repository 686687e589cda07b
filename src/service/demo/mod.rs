//! The demo city: fixtures compiled into the binary, loaded through the importers, then
//! a 2026 cycle walked through the service layer so that applications stand at every
//! stage, with scores, conflicts and objections; then the certificate register with
//! inspections and job changes.

pub mod gen;

use self::gen::City;
use super::Clock;
use super::{Kind, Missing, Refusal, Result, Service, ServiceError};
use crate::domain::certificate::CertStatus;
use crate::domain::eligibility::Outcome;
use crate::domain::notice::{Channel, Step};
use crate::domain::rules::{Rules, DEMO_RULES};
use crate::domain::stage::{Stage, Transition};
use crate::domain::Assessment;
use crate::domain::Grade;
use crate::service::applications::Rating;
use crate::service::certificates::{CertificateFilter, NewJobChange};
use crate::service::notice::{NewObjection, Objector};
use crate::store::Store;
use crate::table::Table;
use chrono::{Datelike, NaiveDate, NaiveDateTime};

/// The demo's committee, with the demo PINs (documented in the README).
pub const COMMITTEE_CSV: &str = include_str!("../../../fixtures/demo/committee.csv");

macro_rules! fixture {
    ($name:literal) => {
        (
            $name,
            include_str!(concat!("../../../fixtures/demo/", $name, ".csv")),
        )
    };
}

/// The demo city's tables, in import order.
const CITY: [(&str, &str); 8] = [
    fixture!("organisations"),
    fixture!("persons"),
    fixture!("education"),
    fixture!("work_history"),
    fixture!("training"),
    fixture!("assessments"),
    fixture!("pay"),
    fixture!("rewards"),
];

/// The day the demo's fixtures were written for. A demo is built for any day: every
/// date of its story moves by the days between that day and this one.
pub fn anchor() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 26).unwrap_or_default()
}

/// The clock tests and benchmarks run the demo on: the anchor day, 10:42:05 China
/// Standard Time.
pub fn fixed_clock() -> Clock {
    Clock::on(anchor(), 10, 42, 5)
}

/// The demo's story, told for the day a demo is built for: dates written in the
/// anchor's terms move to that day, and the story's clock only goes forward, so that
/// every history and audit time it writes is in order and before that day.
struct Story {
    /// Days from the anchor to the demo's day.
    shift: i64,
    /// Years from the anchor's cycle (2026) to the demo's.
    years: i32,
    today: NaiveDate,
    /// The story's time so far (local).
    last: NaiveDateTime,
}

impl Story {
    fn new(today: NaiveDate) -> Story {
        let shift = (today - anchor()).num_days();
        let mut story = Story {
            shift,
            years: 0,
            today,
            last: NaiveDateTime::default(),
        };
        story.years = story.date(2026, 9, 1).year() - 2026;
        story
    }

    /// A date of the anchor's story, moved to the demo's.
    fn date(&self, y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default() + days(self.shift)
    }

    /// A year of the anchor's story (2026 is the cycle's), moved to the demo's.
    fn year(&self, y: i32) -> i32 {
        y + self.years
    }

    /// Moves the story's clock to `at` (local time), or a second past where it
    /// stands if the story is already later.
    fn at(&mut self, svc: &mut Service, at: NaiveDateTime) {
        self.last = at.max(self.last + chrono::Duration::seconds(1));
        svc.set_clock(Clock::at_local(self.last));
    }

    /// The anchor's date `m`-`d` of 2026 at `hh:mm`, moved; see [`Story::at`].
    fn on(&mut self, svc: &mut Service, (m, d): (u32, u32), hh: u32, mm: u32) {
        let at = self
            .date(2026, m, d)
            .and_hms_opt(hh, mm, 0)
            .unwrap_or_default();
        self.at(svc, at);
    }

    /// Moves the story's clock on by `secs` seconds.
    fn tick(&mut self, svc: &mut Service, secs: i64) {
        let at = self.last + chrono::Duration::seconds(secs);
        self.at(svc, at);
    }

    /// A fixture table with its dates moved: every `YYYY-MM-DD` cell by the story's
    /// days, every `year` column by its years (ID numbers, and so birth dates, stay).
    fn moved(&self, mut table: Table) -> Table {
        let years: Vec<bool> = table.headers.iter().map(|h| h == "year").collect();
        for row in &mut table.rows {
            for (i, cell) in row.cells.iter_mut().enumerate() {
                if years.get(i) == Some(&true) {
                    if let Ok(y) = cell.parse::<i32>() {
                        *cell = self.year(y).to_string();
                    }
                } else if cell.len() == 10 {
                    if let Ok(d) = NaiveDate::parse_from_str(cell, "%Y-%m-%d") {
                        *cell = (d + days(self.shift)).to_string();
                    }
                }
            }
        }
        table
    }
}

/// `n` days, forwards or back.
fn days(n: i64) -> chrono::Duration {
    chrono::Duration::days(n)
}

/// The first day of the notice the demo shows running on `today`: today's (or the
/// next) working day is the last but one of the rules' period, counted with the rules'
/// calendar, so that objections have come in and working days are left.
fn notice_start(rules: &Rules, today: NaiveDate) -> Result<NaiveDate> {
    let cal = rules.calendar();
    let first = cal.next_working_day(today)?;
    let mut before = rules.notice.working_days.saturating_sub(2);
    let mut day = first;
    while before > 0 {
        day -= days(1);
        if cal.is_working_day(day)? {
            before -= 1;
        }
    }
    Ok(day)
}

fn kind_of(name: &str) -> Result<Kind> {
    Kind::parse(name).ok_or_else(|| {
        Refusal::UnknownFixture {
            name: name.to_string(),
        }
        .into()
    })
}

fn csv_table(name: &str, text: &str) -> Result<Table> {
    let bad = |e: csv::Error| Refusal::BadFixture {
        name: name.to_string(),
        problem: e.to_string(),
    };
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(text.as_bytes());
    let headers = reader
        .headers()
        .map_err(bad)?
        .iter()
        .map(str::to_string)
        .collect();
    let mut table = Table {
        source: format!("{name}.csv"),
        headers,
        rows: Vec::new(),
        numeric: Vec::new(),
    };
    for rec in reader.records() {
        let rec = rec.map_err(bad)?;
        table.push(rec.iter().map(str::to_string).collect());
    }
    Ok(table)
}

/// A generated city's tables, in import order.
pub fn city_tables(city: &City) -> [(Kind, &Table); 8] {
    [
        (Kind::Organisations, &city.organisations),
        (Kind::Persons, &city.persons),
        (Kind::Education, &city.education),
        (Kind::WorkHistory, &city.work_history),
        (Kind::Training, &city.training),
        (Kind::Assessments, &city.assessments),
        (Kind::Pay, &city.pay),
        (Kind::Rewards, &city.rewards),
    ]
}

/// Imports a generated city (organisations, persons and the file sections).
pub fn load_city(svc: &mut Service, city: &City) -> Result<()> {
    for (kind, t) in city_tables(city) {
        svc.import(kind, t)?;
    }
    Ok(())
}

/// The demo's cycle under the demo rules: the anchor's 2026 cycle, eligibility as on
/// its 1 September, moved to the demo's day.
fn demo_cycle(svc: &mut Service, story: &mut Story) -> Result<i64> {
    story.on(svc, (8, 31), 10, 30);
    let date = story.date(2026, 9, 1);
    svc.create_cycle(DEMO_RULES, date.year(), date)
}

/// Builds the whole demo database, its story told for `today`: declarations a few
/// months back, decisions in order after them, the review session, and a public
/// notice running on `today` with working days left. Every time the story writes lies
/// before `today`; the service's clock is given back as it was. A demo built for
/// another day than the clock's runs on that day ([`super::clock_for`]).
pub fn build(svc: &mut Service, today: NaiveDate) -> Result<()> {
    let clock = svc.clock();
    // The demo's PINs are documented four-digit ones.
    svc.set_pin_policy(super::members::PinPolicy::demo());
    let mut story = Story::new(today);
    let built = tell(svc, &mut story);
    svc.set_clock(clock);
    built?;
    let shift = (today - clock.today()).num_days();
    svc.conn().execute(
        "INSERT OR REPLACE INTO meta (key, value) VALUES ('demo', '1'), ('clock_shift_days', ?1)",
        [shift.to_string()],
    )?;
    Ok(())
}

fn tell(svc: &mut Service, story: &mut Story) -> Result<()> {
    story.on(svc, (8, 31), 9, 0);
    for (name, text) in CITY {
        let table = story.moved(csv_table(name, text)?);
        svc.import(kind_of(name)?, &table)?;
        story.tick(svc, 60);
    }
    story.on(svc, (8, 31), 10, 0);
    svc.import(Kind::Committee, &csv_table("committee", COMMITTEE_CSV)?)?;
    let cycle = demo_cycle(svc, story)?;
    // Candidates who meet every check first, then a few who do not.
    let (good, bad) = next_grades(svc, cycle)?;
    declare(
        svc,
        story,
        good.iter().take(58).chain(bad.iter().take(8)),
        false,
    )?;
    walk(svc, story)
}

/// Whether the file at `path` is a database built as the demo (false for anything
/// else: another database, a file that is no database, one that cannot be opened).
pub fn is_demo_file(path: &std::path::Path) -> bool {
    Store::open(path).is_ok_and(|store| is_demo(&store))
}

/// Whether a database was built as the demo.
pub fn is_demo(store: &Store) -> bool {
    store
        .conn()
        .query_row("SELECT value FROM meta WHERE key = 'demo'", [], |r| {
            r.get::<_, String>(0)
        })
        .is_ok_and(|v| v == "1")
}

/// The demo committee's names, roles and PINs, as documented.
pub fn demo_pins() -> Vec<(String, String, String)> {
    COMMITTEE_CSV
        .lines()
        .skip(1)
        .filter_map(|l| {
            let f: Vec<&str> = l.split(',').collect();
            Some((
                f.first()?.to_string(),
                f.get(1)?.to_string(),
                f.get(3)?.to_string(),
            ))
        })
        .collect()
}

/// A person who may declare (by ID number) and the grade they would apply for.
type Declarant = (String, Grade);

/// Certifiable persons and the next grade each may apply for: those who meet every
/// check of the cycle's rules, then those who do not, each in id order.
fn next_grades(svc: &Service, cycle_id: i64) -> Result<(Vec<Declarant>, Vec<Declarant>)> {
    let cycle = svc.cycle(cycle_id)?;
    let mut stmt = svc
        .conn()
        .prepare("SELECT id, id_number, current_grade FROM persons ORDER BY id")?;
    let persons: Vec<(i64, String, Option<String>)> = stmt
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
        .collect::<rusqlite::Result<_>>()?;
    drop(stmt);
    let (mut good, mut bad) = (Vec::new(), Vec::new());
    for (id, id_number, grade) in persons {
        let target = match grade.as_deref().and_then(Grade::parse) {
            None => Grade::Junior,
            Some(g) => match g.next() {
                Some(n) => n,
                None => continue,
            },
        };
        let rec = super::applications::record(svc.conn(), id, None)?;
        let checks =
            crate::domain::eligibility::checklist(&rec, target, &cycle.rules, cycle.cycle_date);
        if checks.iter().all(|c| c.outcome != Outcome::Fail) {
            good.push((id_number, target));
        } else {
            bad.push((id_number, target));
        }
    }
    Ok((good, bad))
}

/// Declares the candidates picked into the open cycle. With `complete` false, every
/// 17th declaration is still missing its statement.
fn declare<'a>(
    svc: &mut Service,
    story: &mut Story,
    picked: impl Iterator<Item = &'a Declarant>,
    complete: bool,
) -> Result<()> {
    let mut table = Table::new(
        "declarations.csv",
        &["id_number", "target_grade", "declared_on", "statement"],
    );
    for (i, (id_number, target)) in picked.enumerate() {
        let day = story.date(2026, 9, 1 + (i as u32 % 20));
        let statement = if !complete && i % 17 == 16 {
            String::new() // a declaration still missing its statement
        } else {
            format!(
                "本人申报{}党务工作者资格，任现职以来认真履行党建工作职责。",
                target.zh()
            )
        };
        table.push(vec![
            id_number.clone(),
            target.code().into(),
            day.to_string(),
            statement,
        ]);
    }
    story.on(svc, (9, 21), 9, 0);
    svc.import(Kind::Declarations, &table)?;
    Ok(())
}

/// Committee members by role, in list order: (chair, members, secretary).
fn committee(svc: &Service) -> Result<(i64, Vec<i64>, i64)> {
    let all = super::members::list(svc.store())?;
    let pick = |r: crate::domain::Role| all.iter().filter(move |m| m.role == r).map(|m| m.id);
    let chair = pick(crate::domain::Role::Chair).next();
    let secretary = pick(crate::domain::Role::Secretary).next();
    match (chair, secretary) {
        (Some(c), Some(s)) => Ok((c, pick(crate::domain::Role::Member).collect(), s)),
        _ => Err(Refusal::DemoNeedsChairAndSecretary.into()),
    }
}

/// Acts as a committee member for a while (the demo knows its own PINs).
fn as_member<T>(
    svc: &mut Service,
    member: i64,
    f: impl FnOnce(&mut Service) -> Result<T>,
) -> Result<T> {
    let saved = (svc.actor.clone(), svc.role);
    let m = super::members::list(svc.store())?
        .into_iter()
        .find(|m| m.id == member)
        .ok_or(ServiceError::NotFound(Missing::Member(member)))?;
    svc.actor = crate::store::audit::Actor {
        member_id: Some(m.id),
        name: m.name,
    };
    svc.role = Some(m.role);
    let out = f(svc);
    (svc.actor, svc.role) = saved;
    out
}

fn reason(s: &str) -> String {
    s.to_string()
}

/// A deterministic spread of points for a candidate of `quality` (0..1) by a member.
fn points(max: f64, quality: f64, member: i64, criterion: usize) -> f64 {
    let wobble = (((member * 7 + criterion as i64 * 3) % 5) as f64 - 2.0) * 0.03;
    let v = (max * (quality + wobble)).clamp(0.0, max);
    (v * 2.0).round() / 2.0
}

/// A member's sheet for a candidate with the demo's spread of points, submitted or left
/// a draft.
fn fill_sheet(svc: &mut Service, member: i64, app: i64, rules: &Rules, submit: bool) -> Result<()> {
    let quality = 0.62 + ((app * 13) % 33) as f64 / 100.0;
    as_member(svc, member, |svc| {
        for (ci, c) in rules.criteria.iter().enumerate() {
            svc.save_score(app, &c.key, points(c.max, quality, member, ci))?;
        }
        if submit {
            svc.submit_sheet(app)?;
        }
        Ok(())
    })
}

/// Takes an application one stage on, recording what that stage needs first: a
/// passing test, or a site visit on `visited` with its findings.
fn step(svc: &mut Service, app: i64, visited: NaiveDate) -> Result<()> {
    match svc.application(app)?.position.stage {
        Stage::Test => {
            let score = 62.0 + (app * 7 % 36) as f64;
            svc.record_test_score(app, score)?;
        }
        Stage::SiteVisit => {
            svc.record_visit(
                app,
                visited,
                "陈静怡、刘志强",
                "党组织设置规范，“三会一课”记录完整，党员群众评价较好。",
                if app % 5 == 0 {
                    Rating::BasicallySatisfied
                } else {
                    Rating::Satisfied
                },
            )?;
        }
        _ => {}
    }
    svc.transition(app, Transition::Advance).map(|_| ())
}

/// Takes an application forwards to `to`, a stage at a time, at the story's clock
/// (tests and benchmarks, where the order of the days does not matter).
fn advance(svc: &mut Service, app: i64, to: Stage) -> Result<()> {
    while svc.application(app)?.position.stage < to {
        let visited = svc.today();
        step(svc, app, visited)?;
    }
    Ok(())
}

/// Walks the demo applications to their stages, a stage at a time across all of
/// them, as a committee works through a year: reviews in September, the training
/// test in October, site visits at the end of it, the review session in November and
/// the public notice running on the demo's day.
fn walk(svc: &mut Service, story: &mut Story) -> Result<()> {
    let (chair, members, secretary) = committee(svc)?;
    let mut stmt = svc
        .conn()
        .prepare("SELECT id FROM applications ORDER BY id")?;
    let apps: Vec<i64> = stmt
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    drop(stmt);
    let (good, bad) = apps.split_at(apps.len().saturating_sub(8));
    // Good candidates, by final stage: 8 declared, 8 in review, 8 at the test, 8 at the
    // site visit, 14 in evaluation, 12 finalised for the notice.
    let plan = [
        (Stage::Declaration, 8),
        (Stage::Review, 8),
        (Stage::Test, 8),
        (Stage::SiteVisit, 8),
        (Stage::Evaluation, 14),
        (Stage::Notice, 12),
    ];
    // (application, the stage it is walked to, its place in its group)
    let mut walked: Vec<(i64, Stage, usize)> = Vec::new();
    // The evaluation and notice groups, and the size of the first.
    let mut evaluation: Vec<i64> = Vec::new();
    let mut in_evaluation = 0;
    let mut rest = good;
    for (stage, n) in plan {
        let (g, r) = rest.split_at(n.min(rest.len()));
        if stage >= Stage::Evaluation {
            evaluation.extend(g);
        }
        if stage == Stage::Evaluation {
            in_evaluation = g.len();
        }
        for (i, &app) in g.iter().enumerate() {
            // A declaration still missing a field stays where it is.
            if svc.missing_fields(&svc.application(app)?)?.is_empty() {
                walked.push((app, stage, i));
            }
        }
        rest = r;
    }
    let mut ineligible = Vec::new();
    for (i, &app) in bad.iter().enumerate() {
        if svc.missing_fields(&svc.application(app)?)?.is_empty() {
            ineligible.push((app, i));
        }
    }
    let scorers: Vec<i64> = std::iter::once(chair)
        .chain(members.iter().copied())
        .collect();
    let reaches = |stage: Stage, to: Stage| stage.min(Stage::Evaluation) >= to;
    as_member(svc, chair, |svc| {
        // Submitted for review: everyone complete, the two to be returned included.
        story.on(svc, (9, 21), 14, 0);
        for &(app, stage, i) in &walked {
            if reaches(stage, Stage::Review) || (stage == Stage::Declaration && i < 2) {
                svc.transition(app, Transition::Advance)?;
                story.tick(svc, 120);
            }
        }
        for &(app, _) in &ineligible {
            svc.transition(app, Transition::Advance)?;
            story.tick(svc, 120);
        }
        // The review: two returned for correction, the eligible passed, two
        // ineligible rejected, one passed on a written override, the rest waiting.
        story.on(svc, (9, 24), 9, 0);
        for &(app, stage, i) in &walked {
            if stage == Stage::Declaration && i < 2 {
                svc.transition(
                    app,
                    Transition::Return {
                        reason: reason("培训证明材料不全，请补充近12个月培训记录"),
                    },
                )?;
            } else if reaches(stage, Stage::Test) {
                svc.transition(app, Transition::Advance)?;
            }
            story.tick(svc, 180);
        }
        for &(app, i) in &ineligible {
            match i {
                0 | 1 => svc
                    .transition(
                        app,
                        Transition::Reject {
                            reason: reason("任职年限或已获等级不符合申报条件"),
                        },
                    )
                    .map(|_| ())?,
                2 => {
                    svc.override_eligibility(
                        app,
                        "近12个月培训天数不足系因疫情期间培训停办，经市委组织部同意破格",
                    )?;
                    svc.transition(app, Transition::Advance)?;
                }
                _ => {}
            }
            story.tick(svc, 180);
        }
        // The training test's results: one below the pass mark still to decide, one
        // failed, two passed and waiting.
        story.on(svc, (10, 15), 9, 0);
        for &(app, stage, i) in &walked {
            match (stage, i) {
                (Stage::Test, 0) => svc.record_test_score(app, 48.0)?,
                (Stage::Test, 1) => {
                    svc.record_test_score(app, 55.0)?;
                    svc.transition(
                        app,
                        Transition::Fail {
                            reason: reason("培训测试55分，未达到60分合格线"),
                        },
                    )?;
                }
                (Stage::Test, 2) | (Stage::Test, 3) => svc.record_test_score(app, 81.5)?,
                (stage, _) if reaches(stage, Stage::SiteVisit) => {
                    step(svc, app, story.date(2026, 10, 15))?
                }
                _ => {}
            }
            story.tick(svc, 120);
        }
        // Site visits of the last week of October, recorded after it; one candidate
        // withdrew.
        story.on(svc, (10, 28), 9, 0);
        for &(app, stage, i) in &walked {
            if reaches(stage, Stage::Evaluation) {
                step(svc, app, story.date(2026, 10, 20 + (app % 8) as u32))?;
            } else if (stage, i) == (Stage::SiteVisit, 2) {
                svc.transition(
                    app,
                    Transition::Withdraw {
                        reason: reason("本人因工作调动申请撤回"),
                    },
                )?;
            }
            story.tick(svc, 120);
        }
        // Two visits of early November, recorded the same afternoon.
        story.on(svc, (11, 3), 16, 0);
        for &(app, stage, i) in &walked {
            if stage == Stage::SiteVisit && i < 2 {
                svc.record_visit(
                    app,
                    story.date(2026, 11, 3),
                    "周明远、孙丽华",
                    "走访所在单位，查阅党建台账，与党员代表座谈。",
                    Rating::Satisfied,
                )?;
                story.tick(svc, 300);
            }
        }
        Ok(())
    })?;
    // Conflicts of interest: a relative, and a recent former employer.
    let person_of = |svc: &Service, app: i64| svc.application(app).map(|a| a.person_id);
    story.on(svc, (11, 4), 10, 0);
    if let (Some(&m1), Some(&m2), Some(&a1), Some(&a2)) = (
        members.first(),
        members.get(1),
        evaluation.get(1),
        evaluation.get(5),
    ) {
        let p1 = person_of(svc, a1)?;
        let p2 = person_of(svc, a2)?;
        as_member(svc, m1, |svc| {
            svc.declare_conflict(m1, p1, "relative", "系候选人配偶的兄弟（姻亲）")
        })?;
        story.tick(svc, 600);
        let worked = format!("{}年前在候选人所在单位任职", story.year(2024));
        as_member(svc, m2, |svc| {
            svc.declare_conflict(m2, p2, "worked_there", &worked)
        })?;
    }
    // Scoring, in two sessions. The first, closed, was a review meeting (评审会): the
    // chair led the committee through the notice group one by one, the recused
    // stepped out, and after the first candidate's discussion a revision round
    // changed one value with its reason. The second, still open, has the evaluation
    // group in progress: some sheets submitted, some drafts, some pending.
    let rules = svc.open_cycle()?.rules;
    let scoring: Vec<(usize, i64)> = evaluation
        .iter()
        .copied()
        .enumerate()
        .filter(|(_, app)| {
            // Some are held back at an earlier stage.
            svc.application(*app)
                .is_ok_and(|a| a.position.stage == Stage::Evaluation)
        })
        .collect();
    let in_notice = |k: usize| k >= in_evaluation;
    // The meeting.
    story.on(svc, (11, 5), 9, 0);
    as_member(svc, chair, |svc| svc.open_scoring().map(|_| ()))?;
    // A member declares a conflict with one of the notice group as the meeting
    // gathers: they step out for that candidate.
    let third = scoring
        .iter()
        .rfind(|(k, _)| in_notice(*k))
        .map(|(_, a)| *a);
    if let (Some(&m3), Some(app)) = (members.get(2), third) {
        story.tick(svc, 120);
        let person = person_of(svc, app)?;
        as_member(svc, m3, |svc| {
            svc.declare_conflict(m3, person, "other", "曾为候选人所在单位提供党建咨询服务")
        })?;
    }
    story.tick(svc, 300);
    as_member(svc, chair, |svc| {
        svc.start_meeting("市委组织部第一会议室").map(|_| ())
    })?;
    for &m in scorers.iter().chain(std::iter::once(&secretary)) {
        story.tick(svc, 20);
        as_member(svc, m, |svc| svc.meeting_heartbeat(None).map(|_| ()))?;
    }
    let cycle_id = svc.open_cycle_id()?;
    // The meeting took the notice group; the rest waited for the next session.
    let agenda: Vec<i64> = svc
        .open_meeting(cycle_id)?
        .map(|m| m.agenda.iter().map(|a| a.app_id).collect::<Vec<_>>())
        .unwrap_or_default()
        .into_iter()
        .filter(|a| scoring.iter().any(|(k, x)| x == a && in_notice(*k)))
        .collect();
    for (turn, &app) in agenda.iter().enumerate() {
        story.tick(svc, 60);
        as_member(svc, chair, |svc| svc.discuss_now(app))?;
        for &m in &scorers {
            if svc.recusal(m, app)?.is_some() {
                continue;
            }
            story.tick(svc, 45);
            fill_sheet(svc, m, app, &rules, true)?;
        }
        story.tick(svc, 120);
        as_member(svc, chair, |svc| svc.open_discussion())?;
        story.tick(svc, 240);
        if turn == 0 {
            as_member(svc, chair, |svc| svc.open_revision())?;
            if let (Some(&m), Some(c)) = (
                members
                    .iter()
                    .find(|m| svc.recusal(**m, app).is_ok_and(|r| r.is_none())),
                rules.criteria.last(),
            ) {
                story.tick(svc, 60);
                as_member(svc, m, |svc| {
                    svc.save_comment(app, &c.key, "群众评议结果较好")?;
                    svc.revise_score(app, &c.key, c.max - 1.0, "经会议讨论，补看了群众评议材料")
                })?;
            }
        }
    }
    story.tick(svc, 300);
    as_member(svc, chair, |svc| {
        svc.end_meeting()?;
        svc.close_scoring()?;
        for &(k, app) in &scoring {
            if in_notice(k) {
                svc.finalise(app)?;
            }
        }
        Ok(())
    })?;
    // The open session.
    story.on(svc, (11, 9), 9, 0);
    as_member(svc, chair, |svc| svc.open_scoring().map(|_| ()))?;
    for &(k, app) in scoring.iter().filter(|(k, _)| !in_notice(*k)) {
        let sheets = [0, 2, 4, 6][k % 4];
        for &m in scorers.iter().take(sheets) {
            if svc.recusal(m, app)?.is_some() {
                continue;
            }
            story.tick(svc, 60);
            // The last scorer leaves a draft.
            fill_sheet(svc, m, app, &rules, m != scorers[sheets - 1])?;
        }
    }
    // The notice, running on the demo's day with working days left.
    let start = notice_start(&rules, story.today)?;
    let cal = rules.calendar();
    // The notice's working days before the demo's day (at least its first).
    let second = cal
        .add_working_days(start, 1)?
        .min(story.today - days(1))
        .max(start);
    let third = cal
        .add_working_days(start, 2)?
        .min(story.today - days(1))
        .max(second);
    story.at(svc, start.and_hms_opt(9, 0, 0).unwrap_or_default());
    as_member(svc, chair, |svc| svc.start_notice(start).map(|_| ()))?;
    let mut stmt = svc
        .conn()
        .prepare("SELECT id FROM applications WHERE notice_id IS NOT NULL ORDER BY id")?;
    let noticed: Vec<i64> = stmt
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    drop(stmt);
    let at = |d: NaiveDate, h: u32, m: u32| d.and_hms_opt(h, m, 0).unwrap_or_default();
    // Three objections: a named letter under verification, an anonymous call found
    // untrue, and an e-mail received the day before the demo's.
    let objection = |app: i64,
                     received_at,
                     channel,
                     objector: Option<(&str, &str)>,
                     content: &str,
                     criterion: Option<&str>| NewObjection {
        app_id: app,
        received_at,
        channel,
        objector: objector.map(|(name, contact)| Objector {
            name: name.into(),
            contact: contact.into(),
        }),
        content: content.into(),
        criterion: criterion.map(String::from),
    };
    let received = [
        (noticed.first(), at(second, 10, 30)),
        (noticed.get(3), at(third, 15, 30)),
        (noticed.get(6), at(third, 17, 0)),
    ];
    let mut recorded = Vec::new();
    as_member(svc, secretary, |svc| {
        if let (Some(&a), when) = received[0] {
            story.at(svc, when + chrono::Duration::minutes(10));
            recorded.push(svc.record_objection(&objection(
                a,
                when,
                Channel::Letter,
                Some(("赵某某", "13900001111")),
                "反映该同志所在单位党组织近两年未按期换届，工作实绩材料有夸大。",
                Some("performance"),
            ))?);
        }
        if let (Some(&a), when) = received[1] {
            story.at(svc, when + chrono::Duration::minutes(10));
            recorded.push(svc.record_objection(&objection(
                a,
                when,
                Channel::Phone,
                None,
                "匿名来电反映该同志培训天数材料存疑。",
                None,
            ))?);
        }
        if let (Some(&a), when) = received[2] {
            story.at(svc, when + chrono::Duration::minutes(10));
            recorded.push(svc.record_objection(&objection(
                a,
                when,
                Channel::Email,
                Some(("钱某", "qian.demo@example.com")),
                "反映该同志兼任单位行政职务，专职从事党务工作的时间不足。",
                Some("tenure"),
            ))?);
        }
        story.at(svc, at(third, 17, 30));
        for &id in recorded.iter().take(2) {
            svc.objection_step(id, &Step::Verify)?;
            story.tick(svc, 60);
        }
        Ok(())
    })?;
    if let (Some(&id), Some(&m)) = (recorded.get(1), members.get(2)) {
        story.at(svc, at(third, 18, 0));
        as_member(svc, m, |svc| {
            svc.objection_step(
                id,
                &Step::Dismiss {
                    findings:
                        "经查阅培训签到表和结业证书，并向主办单位核实，近12个月培训4天，材料属实。"
                            .into(),
                    verified_by: "孙丽华、马晓东".into(),
                },
            )
            .map(|_| ())
        })?;
    }
    story.at(svc, at(story.today - days(1), 18, 30));
    after_certification(svc, story, chair, secretary)
}

/// The register of holders certified before this cycle, their 2025 annual inspections
/// (of holders who are not candidates this year) and two job-change reports.
fn after_certification(
    svc: &mut Service,
    story: &mut Story,
    chair: i64,
    secretary: i64,
) -> Result<()> {
    let inspected = story.year(2025);
    let mut stmt = svc.conn().prepare(
        "SELECT p.id, p.current_grade, p.grade_since,
                (SELECT a.grade FROM assessments a WHERE a.person_id = p.id AND a.year = ?1),
                EXISTS (SELECT 1 FROM applications x WHERE x.person_id = p.id)
         FROM persons p WHERE p.current_grade IS NOT NULL ORDER BY p.grade_since, p.id",
    )?;
    type Holder = (i64, String, String, Option<String>, bool);
    let holders: Vec<Holder> = stmt
        .query_map([inspected], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
        })?
        .collect::<rusqlite::Result<_>>()?;
    drop(stmt);
    let cycle_year = story.year(2026).to_string();
    let mut inspect = Vec::new();
    as_member(svc, secretary, |svc| {
        for (person, _, since, assessed, candidate) in &holders {
            let (cert, _) = svc.enter_prior_certificate(*person)?;
            let assessed = assessed.as_deref().and_then(Assessment::parse);
            if let (Some(a), false, true) = (assessed, *candidate, *since < cycle_year) {
                inspect.push((cert, a));
            }
        }
        Ok(())
    })?;
    for (cert, assessment) in inspect {
        // A failed inspection of the lowest grade revokes it: the chair's, with a reason.
        let who = if assessment.is_competent() {
            secretary
        } else {
            chair
        };
        as_member(svc, who, |svc| {
            svc.record_inspection(
                cert,
                inspected,
                assessment,
                "经评审委员会研究，按认证办法处理",
            )
            .map(|_| ())
        })?;
    }
    let movers: Vec<i64> = holders
        .iter()
        .filter(|h| !h.4)
        .map(|h| h.0)
        .filter(|p| {
            svc.certificates(&CertificateFilter {
                person_id: Some(*p),
                status: Some(CertStatus::Valid),
                ..CertificateFilter::default()
            })
            .is_ok_and(|c| !c.is_empty())
        })
        .take(2)
        .collect();
    let day = |m, d| story.date(2026, m, d);
    as_member(svc, secretary, |svc| {
        if let Some(&p) = movers.first() {
            svc.record_job_change(&NewJobChange {
                person_id: p,
                change_date: day(6, 1),
                filed_on: day(6, 8),
                new_organisation: String::new(),
                new_position: "党委专职副书记".into(),
                left_party_work: false,
            })?;
        }
        if let Some(&p) = movers.get(1) {
            svc.record_job_change(&NewJobChange {
                person_id: p,
                change_date: day(10, 12),
                filed_on: day(10, 20),
                new_organisation: String::new(),
                new_position: "行政部经理".into(),
                left_party_work: true,
            })?;
        }
        Ok(())
    })
}

/// A fresh in-memory demo database (for tests).
/// A fresh in-memory demo database (for tests), built for the anchor day and running
/// on [`fixed_clock`].
pub fn in_memory() -> Result<Service> {
    let mut svc = Service::system(Store::open_in_memory()?, "demo");
    svc.set_clock(fixed_clock());
    build(&mut svc, anchor())?;
    Ok(svc)
}

/// An overall evaluation ready to be scored, for tests and benchmarks.
#[derive(Debug, Clone)]
pub struct Evaluation {
    pub cycle_id: i64,
    /// The candidates in evaluation, in id order.
    pub apps: Vec<i64>,
    /// The scorers (member id, PIN), the chair first.
    pub scorers: Vec<(i64, String)>,
}

/// Builds, through the service, a generated city whose eligible persons declare,
/// `candidates` of them walked to the overall evaluation, a committee of a chair,
/// `scorers - 1` members and a secretary (PINs 2001, 2002 and on, in that order), and
/// scoring opened by the chair; the story told for the anchor day, and the service
/// left on [`fixed_clock`].
pub fn evaluation(svc: &mut Service, candidates: usize, scorers: usize) -> Result<Evaluation> {
    let mut story = Story::new(anchor());
    svc.set_pin_policy(super::members::PinPolicy::demo());
    story.on(svc, (8, 31), 9, 0);
    load_city(svc, &gen::generate(candidates * 3 + 30, 7, 2026))?;
    let mut table = Table::new("committee.csv", &["name", "role", "pin"]);
    for i in 0..=scorers {
        let role = match i {
            0 => "chair",
            i if i == scorers => "secretary",
            _ => "member",
        };
        table.push(vec![
            format!("评委{:02}", i + 1),
            role.into(),
            (2001 + i).to_string(),
        ]);
    }
    svc.import(Kind::Committee, &table)?;
    let cycle_id = demo_cycle(svc, &mut story)?;
    // Every eligible person declares; the first with a complete file go forward.
    let (good, _) = next_grades(svc, cycle_id)?;
    declare(svc, &mut story, good.iter(), true)?;
    let mut stmt = svc
        .conn()
        .prepare("SELECT id FROM applications WHERE cycle_id = ?1 ORDER BY id")?;
    let declared: Vec<i64> = stmt
        .query_map([cycle_id], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    drop(stmt);
    let mut apps = Vec::with_capacity(candidates);
    for app in declared {
        if apps.len() < candidates && svc.missing_fields(&svc.application(app)?)?.is_empty() {
            apps.push(app);
        }
    }
    if apps.len() < candidates {
        return Err(Refusal::TooFewGenerated {
            have: apps.len(),
            want: candidates,
        }
        .into());
    }
    let (chair, _, _) = committee(svc)?;
    story.on(svc, (10, 28), 9, 0);
    as_member(svc, chair, |svc| {
        for &app in &apps {
            advance(svc, app, Stage::Evaluation)?;
        }
        svc.open_scoring().map(|_| ())
    })?;
    svc.set_clock(fixed_clock());
    let pins: std::collections::HashMap<&str, &str> = table
        .rows
        .iter()
        .map(|r| (r.cells[0].as_str(), r.cells[2].as_str()))
        .collect();
    let scorers = super::members::list(svc.store())?
        .into_iter()
        .filter(|m| m.role != crate::domain::Role::Secretary)
        .map(|m| (m.id, pins.get(m.name.as_str()).unwrap_or(&"").to_string()))
        .collect();
    Ok(Evaluation {
        cycle_id,
        apps,
        scorers,
    })
}

/// Every scorer of an [`evaluation`] scores and submits each candidate they are not
/// recused from, with the demo's spread of points.
pub fn score_all(svc: &mut Service, ev: &Evaluation) -> Result<()> {
    let rules = svc.cycle(ev.cycle_id)?.rules;
    for &app in &ev.apps {
        for &(m, _) in &ev.scorers {
            if svc.recusal(m, app)?.is_none() {
                fill_sheet(svc, m, app, &rules, true)?;
            }
        }
    }
    Ok(())
}
