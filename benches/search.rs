//! Search benchmarks on a 100,000-person city from `pingshen gen`: building the index,
//! its memory, and the latency of every keystroke while typing realistic queries (p50
//! and p99), with the design's parts switched off one at a time and with nucleo-matcher
//! in place of SkimMatcherV2; then `pingshen search` as a whole process against
//! `fzf --filter` when fzf is installed. Run with `cargo bench --bench search`.
//!
//! Memory is measured by a counting global allocator: the bytes still allocated after
//! the index is built minus those allocated before (SQLite's own cache is allocated by
//! SQLite, not counted), next to the index's own estimate from its capacities.

use chrono::NaiveDate;
use criterion::{criterion_group, criterion_main, Criterion};
use nucleo_matcher::{Config, Matcher, Utf32Str};
use pingshen::search::{Cancel, Scorer, SearchIndex, SearchWorker, Session, Tuning};
use pingshen::service::demo::load_city;
use pingshen::service::Service;
use pingshen::store::Store;
use pinyin::ToPinyin;
use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::RefCell;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

const PERSONS: usize = 100_000;
const LIMIT: usize = 50;

/// Counts the bytes allocated through Rust's allocator and not yet freed.
struct Counting;

static LIVE: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let p = unsafe { System.alloc(layout) };
        if !p.is_null() {
            LIVE.fetch_add(layout.size(), Ordering::Relaxed);
        }
        p
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) };
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let p = unsafe { System.realloc(ptr, layout, new_size) };
        if !p.is_null() {
            LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
            LIVE.fetch_add(new_size, Ordering::Relaxed);
        }
        p
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// The synthetic city as a database file: a copy of `PINGSHEN_BENCH_DB`, or built.
fn city_db(dir: &Path) -> PathBuf {
    let path = dir.join("city.sqlite3");
    if let Some(from) = std::env::var_os("PINGSHEN_BENCH_DB") {
        std::fs::copy(&from, &path).unwrap();
        return path;
    }
    let city = pingshen::service::demo::gen::generate(PERSONS, 1, 2026);
    let mut svc = Service::system(Store::open(&path).unwrap(), "bench");
    svc.set_today(NaiveDate::from_ymd_opt(2026, 11, 26).unwrap());
    load_city(&mut svc, &city).unwrap();
    path
}

/// Full pinyin (first readings) and initials of a text.
fn spell(text: &str, chars: usize) -> (String, String) {
    let readings: Vec<&str> = text
        .to_pinyin()
        .flatten()
        .take(chars)
        .map(|p| p.plain())
        .collect();
    let initials = readings.iter().filter_map(|r| r.get(..1)).collect();
    (readings.concat(), initials)
}

/// The queries typed, character by character: a name in Hanzi, its full pinyin, its
/// initials, an organisation's initials, and a filter with a name.
fn queries(svc: &Service) -> Vec<(&'static str, String)> {
    // A common three-character name of a secretary, and the organisation of another.
    let name: String = svc
        .store()
        .conn()
        .query_row(
            "SELECT name FROM persons WHERE length(name) = 3 AND name LIKE '张%'
             ORDER BY id LIMIT 1 OFFSET 10",
            [],
            |r| r.get(0),
        )
        .unwrap();
    let org: String = svc
        .store()
        .conn()
        .query_row(
            "SELECT name FROM organisations WHERE name LIKE '南京%软件%' ORDER BY id LIMIT 1",
            [],
            |r| r.get(0),
        )
        .unwrap();
    let (full, initials) = spell(&name, 3);
    let (_, org_initials) = spell(&org, 6);
    vec![
        ("name in Hanzi", name.clone()),
        ("full pinyin", full.clone()),
        ("initials", initials),
        ("organisation initials", org_initials),
        ("filter + name", format!("grade:senior {full}")),
        // The first letters of the commonest surname: half the persons and more.
        ("one and two letters", "zh".to_string()),
    ]
}

/// Every prefix of a query, one more character each (what each keystroke asks for).
fn keystrokes(query: &str) -> Vec<String> {
    let chars: Vec<char> = query.chars().collect();
    (1..=chars.len())
        .map(|n| chars[..n].iter().collect())
        .collect()
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i]
}

fn ms(d: Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1000.0)
}

/// Types each query `reps` times, one search per keystroke, and prints p50 and p99
/// per query and over all.
fn typing(title: &str, queries: &[(&str, String)], reps: usize, mut search: impl FnMut(&str)) {
    println!("\n{title}");
    let mut everything = Vec::new();
    let mut firsts = Vec::new();
    for (kind, query) in queries {
        let mut times = Vec::new();
        for _ in 0..reps {
            for (k, text) in keystrokes(query).iter().enumerate() {
                let start = Instant::now();
                search(text);
                let took = start.elapsed();
                times.push(took);
                if k == 0 {
                    firsts.push(took);
                }
            }
        }
        times.sort();
        println!(
            "  {kind:<22} {query:<26} p50 {:>9}  p99 {:>9}  ({} keystrokes)",
            ms(percentile(&times, 0.5)),
            ms(percentile(&times, 0.99)),
            times.len()
        );
        everything.extend(times);
    }
    everything.sort();
    firsts.sort();
    for (what, times) in [
        ("all keystrokes", &everything),
        ("first keystrokes (no narrowing)", &firsts),
    ] {
        println!(
            "  {what:<49} p50 {:>9}  p99 {:>9}",
            ms(percentile(times, 0.5)),
            ms(percentile(times, 0.99))
        );
    }
}

/// The machine's load average over the last minute (other processes share the cores).
fn load() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .ok()
        .and_then(|l| l.split_whitespace().next().map(str::to_string))
        .unwrap_or_else(|| "?".into())
}

/// nucleo-matcher behind the same interface, one matcher per thread.
struct Nucleo;

thread_local! {
    static NUCLEO: RefCell<(Matcher, Vec<char>, Vec<char>)> = RefCell::new((
        Matcher::new(Config::DEFAULT),
        Vec::new(),
        Vec::new(),
    ));
}

impl Scorer for Nucleo {
    fn score(&self, text: &str, term: &str) -> Option<i64> {
        NUCLEO.with(|n| {
            let (matcher, hay, needle) = &mut *n.borrow_mut();
            matcher
                .fuzzy_match(Utf32Str::new(text, hay), Utf32Str::new(term, needle))
                .map(i64::from)
        })
    }
    fn indices(&self, text: &str, term: &str) -> Option<(i64, Vec<usize>)> {
        NUCLEO.with(|n| {
            let (matcher, hay, needle) = &mut *n.borrow_mut();
            let mut at = Vec::new();
            let score = matcher.fuzzy_indices(
                Utf32Str::new(text, hay),
                Utf32Str::new(term, needle),
                &mut at,
            )?;
            Some((
                i64::from(score),
                at.into_iter().map(|i| i as usize).collect(),
            ))
        })
    }
}

/// A write that changes one person: person 1's position, one way or back.
fn change_one(conn: &rusqlite::Connection, flip: bool) {
    let post = if flip {
        "党委专职副书记"
    } else {
        "党支部书记"
    };
    conn.execute("UPDATE persons SET position = ?1 WHERE id = 1", [post])
        .unwrap();
}

fn run_session(index: &SearchIndex, session: &mut Session, text: &str) {
    // Filters are typed a character at a time too: `grade:s` is an error until `se`.
    let _ = session.search(index, text, LIMIT, &Cancel::never());
}

/// Median wall time of a command over `n` runs.
fn median_run(n: usize, mut command: impl FnMut() -> Command) -> Duration {
    let mut times: Vec<Duration> = (0..n)
        .map(|_| {
            let start = Instant::now();
            let status = command()
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .status()
                .unwrap();
            assert!(status.success() || status.code() == Some(1));
            start.elapsed()
        })
        .collect();
    times.sort();
    times[n / 2]
}

/// `pingshen search` as a whole process against `fzf --filter` over the same names and
/// organisations written as lines, on queries both can answer (fzf has no pinyin).
fn against_fzf(dir: &Path, db: &Path) {
    if Command::new("fzf").arg("--version").output().is_err() {
        println!("\nfzf is not installed: the comparison with fzf --filter is skipped");
        return;
    }
    let conn = rusqlite::Connection::open(db).unwrap();
    let lines: Vec<String> = conn
        .prepare("SELECT p.name || ' ' || o.name FROM persons p JOIN organisations o ON o.id = p.org_id ORDER BY p.id")
        .unwrap()
        .query_map([], |r| r.get::<_, String>(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    let file = dir.join("lines.txt");
    std::fs::write(&file, lines.join("\n") + "\n").unwrap();
    println!("\nwhole process, median of 9 runs: pingshen search --limit 20 against fzf --filter ({} lines)", lines.len());
    for query in ["张伟", "软件", "南京钟山", "王芳 物流"] {
        let ours = median_run(9, || {
            let mut c = Command::new(env!("CARGO_BIN_EXE_pingshen"));
            c.arg("--db")
                .arg(db)
                .args(["search", "--limit", "20", query]);
            c
        });
        let theirs = median_run(9, || {
            let mut c = Command::new("fzf");
            c.args(["--filter", query])
                .stdin(std::fs::File::open(&file).unwrap());
            c
        });
        println!(
            "  {query:<10} pingshen {:>9}   fzf {:>9}   ratio {:.1}",
            ms(ours),
            ms(theirs),
            ours.as_secs_f64() / theirs.as_secs_f64()
        );
    }
}

fn benches(c: &mut Criterion) {
    let dir = tempfile::tempdir().unwrap();
    let db = city_db(dir.path());
    let svc = Service::system(Store::open(&db).unwrap(), "bench");

    // Memory: bytes still allocated once the index is built, and the index's estimate.
    let before = LIVE.load(Ordering::SeqCst);
    let start = Instant::now();
    let index = SearchIndex::build(svc.store().conn()).unwrap();
    let took = start.elapsed();
    let retained = LIVE.load(Ordering::SeqCst).saturating_sub(before);
    println!(
        "\nindex of {} persons: built in {} (first build), {:.1} MB allocated and kept (counting allocator), {:.1} MB by capacities",
        index.len(),
        ms(took),
        retained as f64 / 1e6,
        index.heap_bytes() as f64 / 1e6
    );

    let persons = index.len();
    // The index kept with the database: the first open builds and keeps it, later
    // ones read it back.
    let start = Instant::now();
    let kept = SearchIndex::open(svc.store().conn()).unwrap();
    println!(
        "first open (build from the tables and keep): {}",
        ms(start.elapsed())
    );
    drop(kept);
    let mut opens: Vec<Duration> = (0..5)
        .map(|_| {
            let start = Instant::now();
            let kept = SearchIndex::open(svc.store().conn()).unwrap();
            let took = start.elapsed();
            drop(kept);
            took
        })
        .collect();
    opens.sort();
    println!("open the kept index, median of 5: {}", ms(opens[2]));

    // The app's first `/`: a worker reading the file on its own thread, until the
    // answer to the empty query arrives.
    let mut firsts: Vec<Duration> = (0..5)
        .map(|_| {
            let start = Instant::now();
            let opened = SearchWorker::open(&db);
            opened.search("", LIMIT);
            opened.recv_timeout(Duration::from_secs(60)).unwrap();
            let took = start.elapsed();
            drop(opened);
            took
        })
        .collect();
    firsts.sort();
    println!(
        "first `/` on the file (kept index), median of 5: {} from starting the search thread to the first answer",
        ms(firsts[2])
    );

    // After a write: one person changed, the index brought up to date.
    let mut synced = SearchIndex::open(svc.store().conn()).unwrap();
    let mut syncs: Vec<Duration> = (0..21)
        .map(|k| {
            change_one(svc.store().conn(), k % 2 == 0);
            let start = Instant::now();
            assert_eq!(synced.sync(svc.store().conn()).unwrap(), 1);
            start.elapsed()
        })
        .collect();
    syncs.sort();
    println!(
        "sync after one person changed (through the change log), median of 21: {}, max {}",
        ms(syncs[10]),
        ms(syncs[20])
    );
    drop(synced);

    let queries = queries(&svc);
    println!("load average before the keystrokes: {}", load());

    // Per keystroke, end to end through the worker thread (submit, then wait for the
    // reply), as the app does.
    let worker = SearchWorker::spawn(SearchIndex::open(svc.store().conn()).unwrap());
    typing(
        "per keystroke through the search worker (SkimMatcherV2, every part of the design on)",
        &queries,
        30,
        |text| {
            let ticket = worker.search(text, LIMIT);
            loop {
                match worker.recv_timeout(Duration::from_secs(5)) {
                    Some(reply) if reply.ticket == ticket => break,
                    Some(_) => {}
                    None => panic!("no reply for {text}"),
                }
            }
        },
    );
    drop(worker);

    let modes: [(&str, Tuning, usize); 5] = [
        (
            "everything on (session called directly)",
            Tuning::default(),
            30,
        ),
        (
            "without narrowing (every keystroke scans all)",
            Tuning {
                narrowing: false,
                ..Tuning::default()
            },
            10,
        ),
        (
            "one thread",
            Tuning {
                threads: 1,
                ..Tuning::default()
            },
            10,
        ),
        (
            "without the mask and subsequence prefilter",
            Tuning {
                prefilter: false,
                ..Tuning::default()
            },
            10,
        ),
        (
            "sorting every match instead of keeping the best N",
            Tuning {
                top_n: false,
                ..Tuning::default()
            },
            10,
        ),
    ];
    let modes = if persons > 200_000 {
        println!("\n{persons} persons: the variants of the design and nucleo-matcher are left out");
        &modes[..0]
    } else {
        &modes[..]
    };
    for &(title, tuning, reps) in modes {
        let mut session = Session::new();
        session.tune(tuning);
        typing(title, &queries, reps, |text| {
            run_session(&index, &mut session, text)
        });
    }
    if persons <= 200_000 {
        nucleo_typing(&index, &queries);
    }

    println!("\nload average after the keystrokes: {}", load());
    against_fzf(dir.path(), &db);
    criterion_part(c, &svc, &index, &queries);
}

fn nucleo_typing(index: &SearchIndex, queries: &[(&'static str, String)]) {
    let mut nucleo = Session::with_scorer(Arc::new(Nucleo));
    typing(
        "nucleo-matcher in place of SkimMatcherV2 (everything else on)",
        queries,
        30,
        |text| run_session(index, &mut nucleo, text),
    );
    let mut nucleo_full = Session::with_scorer(Arc::new(Nucleo));
    nucleo_full.tune(Tuning {
        narrowing: false,
        ..Tuning::default()
    });
    typing("nucleo-matcher without narrowing", queries, 10, |text| {
        run_session(index, &mut nucleo_full, text)
    });
}

fn criterion_part(
    c: &mut Criterion,
    svc: &Service,
    index: &SearchIndex,
    queries: &[(&'static str, String)],
) {
    let mut g = c.benchmark_group("search");
    g.sample_size(10).measurement_time(Duration::from_secs(20));
    g.bench_function("build_index_from_the_tables", |b| {
        b.iter(|| SearchIndex::build(svc.store().conn()).unwrap())
    });
    g.bench_function("open_the_kept_index", |b| {
        b.iter(|| SearchIndex::open(svc.store().conn()).unwrap())
    });
    // Bringing the index up to date after a write (what the app does on the next `/`
    // after a change): the persons noted as changed read again.
    let mut synced = svc.search_index().unwrap();
    g.bench_function("sync_index_nothing_changed", |b| {
        b.iter(|| synced.sync(svc.store().conn()).unwrap())
    });
    let mut flip = false;
    g.bench_function("sync_index_one_person_changed", |b| {
        b.iter(|| {
            flip = !flip;
            change_one(svc.store().conn(), flip);
            assert_eq!(synced.sync(svc.store().conn()).unwrap(), 1);
        })
    });
    for (kind, query) in queries {
        g.bench_function(format!("whole query, no narrowing: {kind}"), |b| {
            b.iter(|| index.search(query, LIMIT).unwrap())
        });
    }
    g.finish();
}

criterion_group!(search, benches);
criterion_main!(search);
