//! Store benchmarks on a 100,000-person synthetic city:
//! importing the persons CSV, opening the database and loading the list, and a single
//! audited write. Run with `cargo bench --bench store`.

use chrono::NaiveDate;
use criterion::{criterion_group, criterion_main, BatchSize, Criterion};
use pingshen::cli::export::write_table;
use pingshen::service::demo::{city_tables, load_city};
use pingshen::service::files::{read_table, Format};
use pingshen::service::{Kind, Service};
use pingshen::store::Store;
use std::path::{Path, PathBuf};
use std::time::Duration;

const PERSONS: usize = 100_000;

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 26).unwrap()
}

/// Writes the synthetic city as CSV files and a full database, once.
fn fixtures(dir: &Path) -> (PathBuf, PathBuf, PathBuf) {
    let city = pingshen::service::demo::gen::generate(PERSONS, 1, 2026);
    for (kind, t) in city_tables(&city) {
        write_table(
            t,
            Format::Csv,
            Some(&dir.join(format!("{}.csv", kind.code()))),
        )
        .unwrap();
    }
    let db = dir.join("city.sqlite3");
    let mut svc = Service::system(Store::open(&db).unwrap(), "bench");
    svc.set_today(today());
    load_city(&mut svc, &city).unwrap();
    (dir.join("organisations.csv"), dir.join("persons.csv"), db)
}

fn benches(c: &mut Criterion) {
    let dir = tempfile::tempdir().unwrap();
    let (orgs_csv, persons_csv, city_db) = fixtures(dir.path());

    let mut g = c.benchmark_group("store");
    g.sample_size(10).measurement_time(Duration::from_secs(30));

    // Import 100,000 persons from CSV into a database holding their organisations.
    let orgs = read_table(&orgs_csv).unwrap();
    let mut n = 0;
    g.bench_function("import_100k_persons_csv", |b| {
        b.iter_batched(
            || {
                n += 1;
                let path = dir.path().join(format!("import-{n}.sqlite3"));
                let mut svc = Service::system(Store::open(&path).unwrap(), "bench");
                svc.import(Kind::Organisations, &orgs).unwrap();
                svc
            },
            |mut svc| {
                let persons = read_table(&persons_csv).unwrap();
                let report = svc.import(Kind::Persons, &persons).unwrap();
                assert_eq!(report.rows, PERSONS);
                svc
            },
            BatchSize::PerIteration,
        )
    });

    // Open the 100,000-person database and load the persons list.
    g.bench_function("open_100k_and_load_list", |b| {
        b.iter(|| {
            let svc = Service::system(Store::open(&city_db).unwrap(), "bench");
            let list = svc.person_list().unwrap();
            assert_eq!(list.len(), PERSONS);
            list
        })
    });
    g.finish();

    // A single audited write (a training-test score) on a file database.
    let demo_path = dir.path().join("demo.sqlite3");
    let mut svc = Service::system(Store::open(&demo_path).unwrap(), "bench");
    svc.set_clock(pingshen::service::demo::fixed_clock());
    pingshen::service::demo::build(&mut svc, today()).unwrap();
    let app: i64 = svc
        .store()
        .conn()
        .query_row(
            "SELECT id FROM applications WHERE stage = 'test' AND status = 'active' LIMIT 1",
            [],
            |r| r.get(0),
        )
        .unwrap();
    let mut i = 0u32;
    c.bench_function("audited_write", |b| {
        b.iter(|| {
            i += 1;
            svc.record_test_score(app, 60.0 + f64::from(i % 40))
                .unwrap();
        })
    });
}

criterion_group!(store, benches);
criterion_main!(store);
