//! Scoring benchmarks on a database file opened as the app opens it (WAL,
//! `synchronous=FULL`): saving one value of a member's sheet, and the committee's
//! results and ranking of a 60-candidate evaluation with nine submitted sheets each.
//! Run with `cargo bench --bench scoring`.

use criterion::{criterion_group, criterion_main, Criterion};
use pingshen::service::demo;
use pingshen::service::Service;
use pingshen::store::Store;

const CANDIDATES: usize = 60;
const SCORERS: usize = 9;

fn login(store: Store, (member, pin): &(i64, String)) -> Service {
    match Service::login(store, demo::fixed_clock(), *member, pin) {
        Ok(svc) => svc,
        Err(e) => panic!("login as #{member}: {}", e.1),
    }
}

fn benches(c: &mut Criterion) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("evaluation.sqlite3");
    let mut svc = Service::system(Store::open(&path).unwrap(), "bench");
    let ev = demo::evaluation(&mut svc, CANDIDATES, SCORERS).unwrap();

    // One value of a member's draft sheet: the checks, the upsert and its audit row,
    // committed and synced before it returns.
    let mut member = login(svc.into_store(), &ev.scorers[1]);
    let app = ev.apps[0];
    let mut i = 0u32;
    c.bench_function("save_score", |b| {
        b.iter(|| {
            i += 1;
            member
                .save_score(app, "political", f64::from(i % 20))
                .unwrap();
        })
    });

    // Every scorer submits every sheet; the chair closes scoring and sees the results.
    let mut svc = Service::system(member.into_store(), "bench");
    demo::score_all(&mut svc, &ev).unwrap();
    let mut chair = login(svc.into_store(), &ev.scorers[0]);
    chair.close_scoring().unwrap();
    let results = chair.results(ev.cycle_id).unwrap();
    assert_eq!(results.len(), CANDIDATES);
    assert!(results
        .iter()
        .all(|r| r.sheets.len() == SCORERS && r.aggregate.is_some()));
    c.bench_function("results_60x9", |b| {
        b.iter(|| chair.results(ev.cycle_id).unwrap())
    });
    c.bench_function("ranking_60x9", |b| {
        b.iter(|| chair.ranking(ev.cycle_id).unwrap())
    });
}

criterion_group!(scoring, benches);
criterion_main!(scoring);
