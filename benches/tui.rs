//! Full-screen app benchmarks: the first frame after opening a database (the demo, and
//! a 100,000-person city), one frame of a 100,000-row stage table, and typing one
//! filter character on that table. Run with `cargo bench --bench tui`.

use chrono::NaiveDate;
use criterion::{criterion_group, criterion_main, BatchSize, Criterion};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use pingshen::domain::stage::Status;
use pingshen::domain::{Category, Grade, Role};
use pingshen::i18n::Lang;
use pingshen::service::board::AppRow;
use pingshen::service::{Kind, Service};
use pingshen::store::Store;
use pingshen::table::Table;
use pingshen::tui::app::{handle_key, App, LoginItem, Session};
use pingshen::tui::keymap::Keymap;
use pingshen::tui::render::render;
use pingshen::tui::theme::Theme;
use pingshen::tui::Runtime;
use ratatui::backend::TestBackend;
use ratatui::Terminal;
use std::path::{Path, PathBuf};
use std::time::Duration;

const PERSONS: usize = 100_000;
const ROWS: usize = 100_000;

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 26).unwrap()
}

/// The demo database, built once.
fn demo_db(dir: &Path) -> PathBuf {
    let path = dir.join("demo.sqlite3");
    let mut svc = Service::system(Store::open(&path).unwrap(), "bench");
    svc.set_clock(pingshen::service::demo::fixed_clock());
    pingshen::service::demo::build(&mut svc, today()).unwrap();
    path
}

/// A 100,000-person city with the demo committee (so the login list is not empty),
/// built once.
fn city_db(dir: &Path) -> PathBuf {
    let path = dir.join("city.sqlite3");
    let city = pingshen::service::demo::gen::generate(PERSONS, 1, 2026);
    let mut svc = Service::system(Store::open(&path).unwrap(), "bench");
    svc.set_today(today());
    pingshen::service::demo::load_city(&mut svc, &city).unwrap();
    // The demo committee, without the organisation only the demo city has.
    let mut lines = pingshen::service::demo::COMMITTEE_CSV.lines();
    let headers: Vec<&str> = lines.next().unwrap().split(',').collect();
    let org = headers.iter().position(|h| *h == "org_code").unwrap();
    let mut committee = Table::new("committee.csv", &headers);
    for line in lines.filter(|l| !l.trim().is_empty()) {
        let mut cells: Vec<String> = line.split(',').map(str::to_string).collect();
        cells[org].clear();
        committee.push(cells);
    }
    svc.import(Kind::Committee, &committee).unwrap();
    path
}

/// Opens a database and draws the login screen once, as the app does on start.
fn first_frame(db: &Path, theme: &Theme, keymap: &Keymap) -> (Runtime, Terminal<TestBackend>) {
    let store = Store::open(db).unwrap();
    let rt = Runtime::new(store, db);
    let state = rt.initial_state(Lang::Zh, 3, None).unwrap();
    let mut terminal = Terminal::new(TestBackend::new(120, 40)).unwrap();
    terminal
        .draw(|f| {
            render(&state, theme, keymap, f);
        })
        .unwrap();
    (rt, terminal)
}

/// `n` stage-table rows with varied names, organisations, grades and flags.
fn synthetic_rows(n: usize) -> Vec<AppRow> {
    const SURNAMES: [&str; 16] = [
        "王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱", "胡",
        "欧阳",
    ];
    const GIVEN: [&str; 16] = [
        "伟", "芳", "静", "敏", "磊", "洋", "艳", "军", "杰", "娟", "涛", "明", "霞", "鹏", "婷",
        "宇",
    ];
    const PLACES: [&str; 8] = [
        "南京",
        "鼓楼区",
        "玄武区",
        "秦淮区",
        "建邺区",
        "栖霞区",
        "雨花台区",
        "江宁区",
    ];
    const TRADES: [&str; 8] = [
        "软件科技有限公司",
        "物流有限公司",
        "人力资源服务股份有限公司",
        "文化传媒有限公司",
        "青年企业家协会",
        "社会工作服务中心",
        "智能制造股份有限公司",
        "建设工程有限公司",
    ];
    const CATEGORIES: [Category; 3] = [Category::Secretary, Category::Staff, Category::Instructor];
    const GRADES: [Grade; 4] = [
        Grade::Junior,
        Grade::Intermediate,
        Grade::Senior,
        Grade::Special,
    ];
    (0..n)
        .map(|i| {
            let name = format!(
                "{}{}{}",
                SURNAMES[i % 16],
                GIVEN[(i / 16) % 16],
                if i % 3 == 0 {
                    GIVEN[(i / 256) % 16]
                } else {
                    ""
                }
            );
            let organisation = format!(
                "{}{}{}",
                PLACES[(i / 7) % 8],
                ["华宇", "恒信", "金陵", "紫金", "钟山", "宁海"][(i / 56) % 6],
                TRADES[(i / 3) % 8]
            );
            let current = match i % 5 {
                0 => None,
                k => Some(GRADES[k - 1]),
            };
            AppRow {
                id: i as i64 + 1,
                person_id: i as i64 + 1,
                name,
                organisation,
                category: Some(CATEGORIES[i % 3]),
                current,
                target: Some(current.and_then(Grade::next).unwrap_or(Grade::Junior)),
                status: match i % 23 {
                    0 => Status::Returned,
                    1 => Status::Rejected,
                    _ => Status::Active,
                },
                overridden: i % 97 == 0,
                test_score: (i % 4 == 0).then_some(60.0 + (i % 40) as f64),
                visits: (i % 6 == 0) as i64,
                open_objections: (i % 211 == 0) as i64,
            }
        })
        .collect()
}

/// A signed-in state whose stage table holds `ROWS` rows, the cursor in the middle,
/// and a real application's detail beside it.
fn big_board(demo: &Path) -> App {
    let svc = Service::system(Store::open(demo).unwrap(), "bench");
    let app: i64 = svc
        .store()
        .conn()
        .query_row(
            "SELECT id FROM applications WHERE stage = 'site_visit' ORDER BY id LIMIT 1",
            [],
            |r| r.get(0),
        )
        .unwrap();
    let detail = svc.detail(app).unwrap();
    let members = vec![LoginItem {
        id: 1,
        name: "周明远".into(),
        role: Role::Chair,
    }];
    let mut ui = App::new(Lang::Zh, 3, members, pingshen::service::demo::fixed_clock());
    ui.signed_in(
        Session {
            member: "周明远".into(),
            role: Some(Role::Chair),
            cycle: "南京市 2026 年度认证".into(),
            cycle_id: 1,
            db_name: "city.sqlite3".into(),
            allowed: pingshen::domain::Deed::ALL.to_vec(),
            ..Session::default()
        },
        2025,
    );
    ui.state.stage = pingshen::domain::Stage::SiteVisit;
    let list = &mut ui.screens.list;
    list.counts = [0, 0, 0, ROWS, 0, 0, 0];
    list.rows = synthetic_rows(ROWS);
    list.detail = Some(detail);
    list.rebuild_view();
    list.cursor.at = ROWS / 2;
    ui
}

fn benches(c: &mut Criterion) {
    let dir = tempfile::tempdir().unwrap();
    let demo = demo_db(dir.path());
    let city = city_db(dir.path());
    let theme = Theme::default_theme();
    let keymap = Keymap::builtin();

    let mut g = c.benchmark_group("tui");
    g.sample_size(30)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(4));

    // Open the demo database and draw the login screen.
    g.bench_function("first_frame_demo", |b| {
        b.iter_with_large_drop(|| first_frame(&demo, &theme, &keymap))
    });

    // The same on a 100,000-person database.
    g.bench_function("first_frame_100k", |b| {
        b.iter_with_large_drop(|| first_frame(&city, &theme, &keymap))
    });

    // One frame of a 100,000-row stage table at 200x60. The cursor moves between two
    // rows so each frame has something to redraw, as when scrolling.
    let mut state = big_board(&demo);
    let mut terminal = Terminal::new(TestBackend::new(200, 60)).unwrap();
    let mut i = 0usize;
    g.bench_function("board_frame_100k_rows", |b| {
        b.iter(|| {
            i += 1;
            state.screens.list.cursor.at = ROWS / 2 + i % 2;
            terminal
                .draw(|f| {
                    render(&state, &theme, &keymap, f);
                })
                .unwrap();
        })
    });
    let shown = terminal.backend().buffer().content().len();
    assert_eq!(shown, 200 * 60);

    // Type one character into the filter of that table: the view is rebuilt.
    state.screens.list.filtering = true;
    state.screens.list.filter.clear();
    state.screens.list.rebuild_view();
    let key = KeyEvent::new(KeyCode::Char('张'), KeyModifiers::NONE);
    g.bench_function("update_filter_100k", |b| {
        b.iter_batched(
            || state.clone(),
            |mut s| {
                handle_key(&mut s, &keymap, key);
                debug_assert!(s.screens.list.view.len() < ROWS);
                s
            },
            BatchSize::PerIteration,
        )
    });
    g.finish();
}

criterion_group!(tui, benches);
criterion_main!(tui);
