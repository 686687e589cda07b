//! Committee members working at the same moment, each on their own connection to one
//! database file: six scorers filling in their sheets for sixty candidates at once, and
//! the chair opening scoring from two terminals at once.

mod common;

use pingshen::domain::rules::Rules;
use pingshen::service::demo::{self, Evaluation};
use pingshen::service::evaluation::Cell;
use pingshen::service::{Refusal, Service, ServiceError};
use pingshen::store::{audit, Store};
use rusqlite::Connection;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::{mpsc, Arc, Barrier};
use std::thread;

/// A database file holding an evaluation ready to score (scoring open), built through
/// the service.
fn evaluation(dir: &Path, candidates: usize, scorers: usize) -> (PathBuf, Evaluation) {
    let path = dir.join("committee.sqlite3");
    let mut svc = Service::system(Store::open(&path).unwrap(), "test");
    let ev = demo::evaluation(&mut svc, candidates, scorers).unwrap();
    assert_eq!(ev.apps.len(), candidates);
    assert_eq!(ev.scorers.len(), scorers);
    (path, ev)
}

/// A member's own connection to the database, logged in with their PIN.
fn login(path: &Path, member: i64, pin: &str) -> Service {
    let store = Store::open(path).unwrap();
    match Service::login(store, demo::fixed_clock(), member, pin) {
        Ok(svc) => svc,
        Err(e) => panic!("login as #{member}: {}", e.1),
    }
}

/// Every row of a query.
fn rows<T>(
    conn: &Connection,
    sql: &str,
    params: impl rusqlite::Params,
    f: impl FnMut(&rusqlite::Row) -> rusqlite::Result<T>,
) -> Vec<T> {
    let mut stmt = conn.prepare(sql).unwrap();
    let all = stmt
        .query_map(params, f)
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap();
    all
}

/// The value scorer `k` gives candidate `i` on criterion `c`: on the rules' step, within
/// the criterion's maximum, and different between neighbouring scorers and candidates.
fn value(rules: &Rules, k: usize, i: usize, c: usize) -> f64 {
    let step = if rules.aggregation.half_points {
        0.5
    } else {
        1.0
    };
    let steps = (rules.criteria[c].max / step) as usize;
    ((k * 7 + i * 3 + c * 5) % (steps + 1)) as f64 * step
}

/// What one scorer's thread did.
#[derive(Debug, Default)]
struct Report {
    scored: BTreeSet<i64>,
    recused: BTreeSet<i64>,
    errors: Vec<String>,
}

#[test]
fn six_members_scoring_sixty_candidates_at_once_lose_nothing_and_keep_the_chain() {
    const CANDIDATES: usize = 60;
    const SCORERS: usize = 6;
    let dir = tempfile::tempdir().unwrap();
    let (path, ev) = evaluation(dir.path(), CANDIDATES, SCORERS);

    // Declared conflicts: each scorer must recuse from a few candidates.
    let mut system = Service::system(Store::open(&path).unwrap(), "test");
    let rules = system.cycle(ev.cycle_id).unwrap().rules;
    let criteria: Vec<String> = rules.criteria.iter().map(|c| c.key.clone()).collect();
    let mut conflicts: BTreeSet<(i64, i64)> = BTreeSet::new();
    for (k, &(member, _)) in ev.scorers.iter().enumerate() {
        for (i, &app) in ev.apps.iter().enumerate() {
            if (i + 2 * k) % 11 == 0 {
                let person = system.application(app).unwrap().person_id;
                system
                    .declare_conflict(member, person, "relative", "候选人的近亲属")
                    .unwrap();
                conflicts.insert((member, app));
            }
        }
    }
    assert!(conflicts.len() >= SCORERS * 5, "{}", conflicts.len());
    let audit_before = common::rows_in(&system, "audit");

    // Every scorer logged in on a connection of their own (here, so that a failed login
    // cannot leave the others waiting at the barrier), starting together; each goes
    // through the candidates from a different place in the list.
    let start = Arc::new(Barrier::new(SCORERS));
    let threads: Vec<_> = ev
        .scorers
        .iter()
        .enumerate()
        .map(|(k, (member, pin))| {
            let mut svc = login(&path, *member, pin);
            let (member, start, apps, rules) =
                (*member, start.clone(), ev.apps.clone(), rules.clone());
            thread::spawn(move || {
                let mut report = Report::default();
                start.wait();
                for n in 0..apps.len() {
                    let i = (n + k * apps.len() / SCORERS) % apps.len();
                    let app = apps[i];
                    match svc.recusal(member, app) {
                        Ok(Some(_)) => {
                            report.recused.insert(app);
                            continue;
                        }
                        Ok(None) => {}
                        Err(e) => report.errors.push(format!("recusal #{app}: {e}")),
                    }
                    let saved = rules.criteria.iter().enumerate().try_for_each(|(c, crit)| {
                        svc.save_score(app, &crit.key, value(&rules, k, i, c))
                    });
                    match saved.and_then(|()| svc.submit_sheet(app)) {
                        Ok(()) => {
                            report.scored.insert(app);
                        }
                        Err(e) => report.errors.push(format!("candidate #{app}: {e}")),
                    }
                }
                report
            })
        })
        .collect();
    let reports: Vec<Report> = threads
        .into_iter()
        .map(|t| t.join().expect("no scorer's thread panicked"))
        .collect();

    // Nobody saw an error, and each skipped exactly the candidates they are recused from.
    let mut expected_sheets = BTreeSet::new();
    let mut expected_scores = BTreeMap::new();
    for (k, ((member, _), report)) in ev.scorers.iter().zip(&reports).enumerate() {
        assert_eq!(report.errors, Vec::<String>::new(), "scorer #{member}");
        let recused: BTreeSet<i64> = conflicts
            .iter()
            .filter(|(m, _)| m == member)
            .map(|(_, a)| *a)
            .collect();
        assert_eq!(report.recused, recused, "scorer #{member} recused");
        assert_eq!(report.scored.len() + recused.len(), CANDIDATES);
        for (i, &app) in ev.apps.iter().enumerate() {
            if recused.contains(&app) {
                continue;
            }
            expected_sheets.insert((app, *member));
            for (c, key) in criteria.iter().enumerate() {
                expected_scores.insert((app, *member, key.clone()), value(&rules, k, i, c));
            }
        }
    }

    // Every expected sheet once, submitted; no other sheet.
    let conn = common::db(&system);
    let sheets: Vec<(i64, i64, String, bool)> = rows(
        conn,
        "SELECT application_id, member_id, status, submitted_at IS NOT NULL FROM sheets
         ORDER BY application_id, member_id",
        [],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
    );
    let wanted: Vec<(i64, i64, String, bool)> = expected_sheets
        .iter()
        .map(|&(a, m)| (a, m, "submitted".to_string(), true))
        .collect();
    assert_eq!(sheets, wanted);

    // Every expected score once, with the value given; no other score.
    let scores: Vec<((i64, i64, String), f64)> = rows(
        conn,
        "SELECT application_id, member_id, criterion, value FROM scores
         ORDER BY application_id, member_id, criterion",
        [],
        |r| Ok(((r.get(0)?, r.get(1)?, r.get(2)?), r.get(3)?)),
    );
    let wanted: Vec<((i64, i64, String), f64)> = expected_scores.into_iter().collect();
    assert_eq!(scores.len(), wanted.len());
    assert_eq!(scores, wanted);

    // The audit: a login, one row per value saved and one per sheet submitted, for each
    // scorer; the chain unbroken.
    let (checked, faults) = audit::verify(conn).unwrap();
    assert_eq!(faults, vec![]);
    let per_sheet = criteria.len() as i64 + 1;
    let new_rows = SCORERS as i64 + expected_sheets.len() as i64 * per_sheet;
    assert_eq!(checked as i64, audit_before + new_rows);
    assert_eq!(common::rows_in(&system, "audit"), audit_before + new_rows);
    let by_actor: Vec<(i64, String, i64)> = rows(
        conn,
        "SELECT actor_id, action, count(*) FROM audit WHERE id > ?1
         GROUP BY actor_id, action ORDER BY actor_id, action",
        [audit_before],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
    );
    let mut wanted = Vec::new();
    for ((member, _), report) in ev.scorers.iter().zip(&reports) {
        let n = report.scored.len() as i64;
        wanted.push((*member, "login".to_string(), 1));
        wanted.push((*member, "score".to_string(), n * criteria.len() as i64));
        wanted.push((*member, "submit".to_string(), n));
    }
    wanted.sort();
    assert_eq!(by_actor, wanted);

    // The chair's board agrees: every cell submitted or recused.
    let (chair, pin) = &ev.scorers[0];
    let board = login(&path, *chair, pin).progress(ev.cycle_id).unwrap();
    assert_eq!(board.rows.len(), CANDIDATES);
    for row in &board.rows {
        for ((member, _), cell) in board.members.iter().zip(&row.cells) {
            let want = if conflicts.contains(&(*member, row.app_id)) {
                Cell::Recused
            } else {
                Cell::Submitted
            };
            assert_eq!(*cell, want, "candidate #{} member #{member}", row.app_id);
        }
    }
}

#[test]
fn the_chair_opening_scoring_from_two_terminals_at_once_opens_it_once() {
    const ROUNDS: usize = 5;
    let dir = tempfile::tempdir().unwrap();
    let (path, ev) = evaluation(dir.path(), 2, 2);
    let (chair, pin) = ev.scorers[0].clone();
    let mut desk = login(&path, chair, &pin);
    let audit_before = common::rows_in(&desk, "audit");

    // Two more terminals of the chair's; the desk closes scoring before each round.
    let start = Arc::new(Barrier::new(3));
    let (tx, rx) = mpsc::channel();
    let terminals: Vec<_> = (0..2)
        .map(|t| {
            let mut svc = login(&path, chair, &pin);
            let (start, tx) = (start.clone(), tx.clone());
            thread::spawn(move || {
                for round in 0..ROUNDS {
                    start.wait();
                    tx.send((round, t, svc.open_scoring())).unwrap();
                }
            })
        })
        .collect();
    drop(tx);
    for round in 0..ROUNDS {
        desk.close_scoring().unwrap();
        start.wait();
        let results: Vec<_> = (0..2).map(|_| rx.recv().unwrap()).collect();
        let opened: Vec<i64> = results
            .iter()
            .filter_map(|(r, _, res)| {
                assert_eq!(*r, round);
                res.as_ref().ok().copied()
            })
            .collect();
        assert_eq!(opened.len(), 1, "round {round}: {results:?}");
        let refused = results.iter().find(|(_, _, res)| res.is_err()).unwrap();
        assert!(
            matches!(
                &refused.2,
                Err(ServiceError::Invalid(Refusal::ScoringAlreadyOpen))
            ),
            "round {round}: {results:?}"
        );
        assert!(desk.session(ev.cycle_id).unwrap().is_open());
    }
    for t in terminals {
        t.join().expect("no terminal's thread panicked");
    }

    // One session per round besides the first, only the last open; the audit has each
    // close and each successful open, and two logins.
    let sessions: (i64, i64) = common::db(&desk)
        .query_row(
            "SELECT count(*), count(*) FILTER (WHERE closed_at IS NULL) FROM scoring_sessions
             WHERE cycle_id = ?1",
            [ev.cycle_id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!(sessions, (1 + ROUNDS as i64, 1));
    let (checked, faults) = audit::verify(common::db(&desk)).unwrap();
    assert_eq!(faults, vec![]);
    let new_rows = 2 + 2 * ROUNDS as i64;
    assert_eq!(checked as i64, audit_before + new_rows);
    let actions: Vec<(String, i64)> = rows(
        common::db(&desk),
        "SELECT action, count(*) FROM audit WHERE id > ?1 GROUP BY action ORDER BY action",
        [audit_before],
        |r| Ok((r.get(0)?, r.get(1)?)),
    );
    assert_eq!(
        actions,
        vec![
            ("close".to_string(), ROUNDS as i64),
            ("login".to_string(), 2),
            ("open".to_string(), ROUNDS as i64),
        ]
    );
}
