//! End to end: the real binary in a pseudo-terminal, driven by the keyboard alone, its
//! screen read back through a terminal emulator, and the database checked afterwards.

mod common;

use common::pty::{lock, rfind, Term, POLL, WAIT};
use pingshen::domain::eligibility::Outcome;
use pingshen::service::Service;
use pingshen::store::Store;
use portable_pty::CommandBuilder;
use rusqlite::Connection;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

const ENTER: &str = "\r";
const TAB: &str = "\t";
const RIGHT: &str = "\x1b[C";
const CTRL_C: &str = "\x03";

/// A private folder holding a fresh demo database built by the binary.
struct Fixture {
    dir: tempfile::TempDir,
    db: PathBuf,
}

impl Fixture {
    fn new() -> Fixture {
        // The demo's story and the app's clock fixed on the day the tests were written
        // for, whatever day they run.
        let (dir, db) = common::demo_folder();
        Fixture { dir, db }
    }

    fn db_arg(&self) -> &str {
        self.db.to_str().expect("a UTF-8 path")
    }

    fn conn(&self) -> Connection {
        common::open_db(&self.db)
    }
}

/// The binary running in a pseudo-terminal (see [`Term`]), in the fixture's private
/// folder, in Chinese.
struct App {
    term: Term,
}

impl std::ops::Deref for App {
    type Target = Term;
    fn deref(&self) -> &Term {
        &self.term
    }
}

impl std::ops::DerefMut for App {
    fn deref_mut(&mut self) -> &mut Term {
        &mut self.term
    }
}

impl App {
    fn spawn(fx: &Fixture, args: &[&str], cols: u16, rows: u16) -> App {
        let home = fx.dir.path();
        let mut cmd = CommandBuilder::new(env!("CARGO_BIN_EXE_pingshen"));
        cmd.args(args);
        cmd.cwd(home);
        cmd.env("TERM", "xterm-256color");
        cmd.env("LANG", "zh_CN.UTF-8");
        cmd.env_remove("LC_ALL");
        cmd.env_remove("LC_MESSAGES");
        cmd.env("HOME", home);
        cmd.env("XDG_CONFIG_HOME", home.join("config"));
        cmd.env("XDG_DATA_HOME", home.join("data"));
        App {
            term: Term::spawn(cmd, cols, rows),
        }
    }

    /// Narrows the stage table to one name: `f`, the name, Enter.
    fn filter(&mut self, name: &str) {
        self.send(&format!("f{name}{ENTER}"));
    }

    /// Passes the application under the cursor: `a`, and `y` to the question that
    /// names the candidate.
    fn pass(&mut self, name: &str) {
        self.send("a");
        self.wait_for(&format!("通过 · {name}"));
        self.send("y");
    }

    /// Waits for the PIN prompt, types the PIN and waits for the board.
    fn log_in(&mut self, member: &str, pin: &str) {
        self.wait_for_all(&[member, "口令"]);
        self.send(&format!("{pin}{ENTER}"));
        self.wait_for_all(&["个人申报", "南京市 2026 年度认证"]);
    }
}

/// An application at the declaration stage, in progress, complete, meeting every
/// check (so review can pass it), whose name matches no other application's name or
/// organisation (so filtering by it leaves exactly that row).
fn candidate(db: &Path) -> (i64, String) {
    let svc = Service::system(Store::open(db).expect("the database opens"), "e2e");
    let mut stmt = common::db(&svc)
        .prepare(
            "SELECT a.id, p.name, o.name, a.stage = 'declaration' AND a.status = 'active'
             FROM applications a JOIN persons p ON p.id = a.person_id
             JOIN organisations o ON o.id = p.org_id ORDER BY a.id",
        )
        .unwrap();
    let all: Vec<(i64, String, String, bool)> = stmt
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap();
    for (id, name, _, declared) in &all {
        if !declared {
            continue;
        }
        let app = svc.application(*id).unwrap();
        if !svc.missing_fields(&app).unwrap().is_empty() {
            continue;
        }
        if svc
            .checklist(&app)
            .unwrap()
            .iter()
            .any(|c| c.outcome == Outcome::Fail)
        {
            continue;
        }
        let ambiguous = all
            .iter()
            .any(|(other, n, org, _)| other != id && (n.contains(name) || org.contains(name)));
        if !ambiguous {
            return (*id, name.clone());
        }
    }
    panic!("the demo has no complete, eligible declaration in progress");
}

#[test]
fn one_application_through_four_stages_by_keyboard() {
    let fx = Fixture::new();
    let (app_id, name) = candidate(&fx.db);
    let name = name.as_str();

    let mut app = App::spawn(&fx, &["--db", fx.db_arg(), "--user", "1"], 120, 40);
    app.log_in("周明远", "1001");

    // 1 Declaration: pass the complete declaration to review.
    app.filter(name);
    app.wait_for(&format!("个人申报 · 1 件 · 筛选 {name}"));
    app.wait_for("进行中");
    app.pass(name);
    app.wait_for("已办理：组织审核 · 进行中");

    // 2 Review: every check passes.
    app.send("2");
    app.filter(name);
    app.wait_for(&format!("组织审核 · 1 件 · 筛选 {name}"));
    app.pass(name);
    app.wait_for("已办理：培训测试 · 进行中");

    // 3 Test: enter the score, then pass.
    app.send("3");
    app.filter(name);
    app.wait_for(&format!("培训测试 · 1 件 · 筛选 {name}"));
    app.send("e");
    app.wait_for(&format!("培训测试成绩 · {name}"));
    app.send(&format!("85{ENTER}"));
    app.wait_for("成绩已保存");
    app.pass(name);
    app.wait_for("已办理：实地走访 · 进行中");

    // 4 Site visit: record it (today's date, a rating of "basically satisfied"), pass.
    app.send("4");
    app.filter(name);
    app.wait_for(&format!("实地走访 · 1 件 · 筛选 {name}"));
    app.send("v");
    app.wait_for(&format!("登记实地走访 · {name}"));
    app.send(ENTER);
    app.send("陈静怡、孙丽华");
    app.send(TAB);
    app.send("查阅党建台账，与党员代表座谈");
    app.send(TAB);
    app.send(RIGHT);
    app.send(ENTER);
    app.wait_for("走访记录已保存");
    app.pass(name);
    app.wait_for("已办理：综合评定 · 进行中");

    app.send("q");
    assert!(app.wait_exit(), "q exits successfully");
    drop(app);

    // The decisions are in the database.
    let conn = fx.conn();
    let (stage, status, score): (String, String, Option<f64>) = conn
        .query_row(
            "SELECT stage, status, test_score FROM applications WHERE id = ?1",
            [app_id],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .unwrap();
    assert_eq!(
        (stage.as_str(), status.as_str(), score),
        ("evaluation", "active", Some(85.0))
    );
    let visits: Vec<(String, String, String, Option<i64>)> = conn
        .prepare(
            "SELECT visitors, findings, rating, recorded_by FROM site_visits
             WHERE application_id = ?1",
        )
        .unwrap()
        .query_map([app_id], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
        })
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap();
    assert_eq!(
        visits,
        vec![(
            "陈静怡、孙丽华".to_string(),
            "查阅党建台账，与党员代表座谈".to_string(),
            "basically_satisfied".to_string(),
            Some(1)
        )]
    );
    let advances: Vec<(String, String, Option<i64>)> = conn
        .prepare(
            "SELECT from_stage, to_stage, member_id FROM stage_records
             WHERE application_id = ?1 AND action = 'advance' ORDER BY id",
        )
        .unwrap()
        .query_map([app_id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap();
    let expected: Vec<(String, String, Option<i64>)> = [
        ("declaration", "review"),
        ("review", "test"),
        ("test", "site_visit"),
        ("site_visit", "evaluation"),
    ]
    .iter()
    .map(|(a, b)| (a.to_string(), b.to_string(), Some(1)))
    .collect();
    assert_eq!(advances, expected);
    let at_evaluation: i64 = conn
        .query_row(
            "SELECT count(*) FROM applications WHERE stage = 'evaluation'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    drop(conn);

    let check = Command::new(env!("CARGO_BIN_EXE_pingshen"))
        .args(["check", "--db", fx.db_arg()])
        .output()
        .expect("the binary runs");
    assert!(
        check.status.success(),
        "check found faults:\n{}{}",
        String::from_utf8_lossy(&check.stdout),
        String::from_utf8_lossy(&check.stderr)
    );

    // Reopened, the application waits at evaluation.
    let mut app = App::spawn(&fx, &["--db", fx.db_arg(), "--user", "1"], 120, 40);
    app.log_in("周明远", "1001");
    app.send("5");
    app.filter(name);
    app.wait_for_all(&[&format!("综合评定 · 1 件 · 筛选 {name} · 评分"), "进行中"]);
    // Escape clears the filter: the whole stage again, as many as the database holds.
    app.esc();
    app.wait_for(&format!("综合评定 · {at_evaluation} 件"));
    app.send("q");
    assert!(app.wait_exit());
}

#[test]
fn text_pasted_into_the_stage_list_runs_no_key() {
    let fx = Fixture::new();
    let decisions = |fx: &Fixture| -> i64 {
        fx.conn()
            .query_row("SELECT count(*) FROM stage_records", [], |r| r.get(0))
            .unwrap()
    };
    let before = decisions(&fx);
    let mut app = App::spawn(&fx, &["--db", fx.db_arg(), "--user", "1"], 120, 40);
    app.log_in("周明远", "1001");
    app.send("2");
    app.wait_for("组织审核 · 15 件");
    // The terminal's bracketed paste: 王a, then a line break and a y, as a paste.
    app.send("\x1b[200~王a\ry\x1b[201~");
    app.wait_for("粘贴的内容没有使用");
    let screen = app.screen();
    assert!(screen.contains("组织审核 · 15 件"), "{screen}");
    assert!(!screen.contains("通过 ·"), "no question opened:\n{screen}");
    // Two a's typed ask once; n answers no.
    app.send("aa");
    app.wait_for("通过 ·");
    app.send("n");
    app.send("q");
    assert!(app.wait_exit());
    drop(app);
    assert_eq!(decisions(&fx), before, "nothing was decided");
}

#[test]
fn too_small_then_resized_and_ctrl_c_restores_the_terminal() {
    let fx = Fixture::new();
    let mut app = App::spawn(&fx, &["--db", fx.db_arg()], 60, 20);
    app.wait_for_all(&["终端窗口太小", "60×20"]);
    app.resize(120, 40);
    app.wait_for_all(&["登录", "周明远", "演示口令"]);
    app.send(CTRL_C);
    assert!(app.wait_exit(), "Ctrl-C exits successfully");
    let leave = b"\x1b[?1049l";
    app.wait_for_bytes(leave);
    let out = lock(&app.output);
    let left = rfind(&out.raw, leave).unwrap();
    let entered = rfind(&out.raw, b"\x1b[?1049h").expect("the app used the alternate screen");
    assert!(entered < left, "the alternate screen is left last");
    assert!(!out.parser.screen().alternate_screen());
}

#[test]
fn three_wrong_pins_lock_the_member_out() {
    let fx = Fixture::new();
    let mut app = App::spawn(&fx, &["--db", fx.db_arg(), "--user", "1"], 120, 40);
    app.wait_for_all(&["周明远", "口令"]);
    app.send(&format!("0000{ENTER}"));
    app.wait_for("口令错误");
    app.send(&format!("0000{ENTER}0000{ENTER}"));
    app.wait_for("口令连续错误三次，已锁定至");
    // Locked: even the right PIN is refused for now (no login row below).
    app.send(&format!("1001{ENTER}"));
    app.wait_for("已锁定至");
    app.send(CTRL_C);
    assert!(app.wait_exit());
    drop(app);

    let conn = fx.conn();
    let count = |action: &str| -> i64 {
        conn.query_row(
            "SELECT count(*) FROM audit WHERE action = ?1 AND entity = 'member' AND entity_id = '1'",
            [action],
            |r| r.get(0),
        )
        .unwrap()
    };
    assert_eq!(count("login_failed"), 2);
    assert_eq!(count("lockout"), 1);
    assert_eq!(count("login"), 0);
    let locked: Option<String> = conn
        .query_row("SELECT locked_until FROM members WHERE id = 1", [], |r| {
            r.get(0)
        })
        .unwrap();
    assert!(locked.is_some());
}

#[test]
fn a_member_scores_by_keys_while_the_chairs_board_follows() {
    let fx = Fixture::new();
    let (app_id, name) = common::unscored_candidate(&fx.db, 2);
    let row_of = |screen: &str| -> String {
        screen
            .lines()
            .find(|l| l.contains(name.as_str()))
            .unwrap_or_default()
            .to_string()
    };

    // The chair watches the progress board in one terminal.
    let mut chair = App::spawn(&fx, &["--db", fx.db_arg(), "--user", "1"], 120, 40);
    chair.log_in("周明远", "1001");
    chair.send("5");
    chair.wait_for("评分进行中");
    chair.send("b");
    chair.wait_for_all(&["评分进度", "图例与回避申报", &name]);
    let before = row_of(&chair.screen());
    assert!(before.contains(" -"), "{before}");

    // A member scores one candidate in another, by keys alone.
    let mut member = App::spawn(&fx, &["--db", fx.db_arg(), "--user", "2"], 120, 40);
    member.log_in("陈静怡", "1002");
    common::score_by_keys(&mut member, &name);
    // The chair sees the draft without its values.
    chair.wait_for(&name);
    let start = Instant::now();
    while !row_of(&chair.screen()).contains('稿') {
        assert!(
            start.elapsed() < WAIT,
            "the chair's board did not show the draft:\n{}",
            chair.screen()
        );
        std::thread::sleep(POLL);
    }
    member.send(ENTER);
    member.wait_for(&format!("提交评分表 · {name}"));
    member.send("y");
    member.wait_for(&format!("已提交 {name} 的评分表"));

    // Within a second or so the chair's board shows the sheet as submitted.
    let start = Instant::now();
    while !row_of(&chair.screen()).contains('✓') || row_of(&chair.screen()).contains('稿') {
        assert!(
            start.elapsed() < WAIT,
            "the chair's board did not follow:\n{}",
            chair.screen()
        );
        std::thread::sleep(POLL);
    }
    // Esc leaves the sheet (q there is not a score); q quits from the list.
    member.esc();
    member.wait_for("综合评定 · 1 件");
    member.send("q");
    assert!(member.wait_exit());
    chair.send("q");
    assert!(chair.wait_exit());

    // The sheet is stored exactly as typed, once, and submitted.
    let conn = fx.conn();
    assert_eq!(common::sheet_status(&conn, app_id, 2), "submitted");
    let mut stmt = conn
        .prepare("SELECT criterion, value FROM scores WHERE application_id = ?1 AND member_id = 2 ORDER BY id")
        .unwrap();
    let values: Vec<(String, f64)> = stmt
        .query_map([app_id], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(
        values,
        [
            ("political".to_string(), 17.5),
            ("competence".to_string(), 21.0),
            ("tenure".to_string(), 8.0),
            ("performance".to_string(), 26.0),
            ("recognition".to_string(), 12.0),
        ]
    );
    let store = Store::open(&fx.db).unwrap();
    assert!(pingshen::store::audit::verify(store.conn())
        .unwrap()
        .1
        .is_empty());
}

#[test]
fn an_objection_recorded_and_dismissed_by_keys_alone() {
    let fx = Fixture::new();
    let conn = fx.conn();
    // A candidate on the notice with no objection yet, whose name is unique.
    let (app_id, name): (i64, String) = conn
        .query_row(
            "SELECT a.id, p.name FROM applications a JOIN persons p ON p.id = a.person_id
             WHERE a.notice_id IS NOT NULL
               AND NOT EXISTS (SELECT 1 FROM objections o WHERE o.application_id = a.id)
               AND (SELECT count(*) FROM persons q WHERE instr(q.name, p.name) > 0) = 1
             ORDER BY a.id LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .expect("the demo notice has such a candidate");
    drop(conn);
    const CTRL_S: &str = "\x13";

    let mut app = App::spawn(&fx, &["--db", fx.db_arg(), "--user", "2"], 120, 40);
    app.log_in("陈静怡", "1002");
    app.send("6");
    app.wait_for("公示期");
    app.filter(&name);
    app.wait_for(&format!("筛选 {name}"));
    app.send("o");
    app.wait_for(&format!("登记异议 · {name}"));
    // Received (kept), channel: 来电, objector, contact, content.
    app.send(TAB);
    app.send(RIGHT);
    app.send(RIGHT);
    app.send(TAB);
    app.send("钱某");
    app.send(TAB);
    app.send("13900002222");
    app.send(TAB);
    app.send("来电反映该同志培训天数材料存疑");
    app.send(CTRL_S);
    app.wait_for("号异议");
    // The register: verify, then dismiss with findings.
    app.send("b");
    app.wait_for("异议登记簿");
    app.send("G");
    app.wait_for("钱某");
    app.send("v");
    app.wait_for("核查中");
    app.send("d");
    app.wait_for("认定异议不属实");
    app.send("经查阅培训签到记录，培训天数属实");
    app.send(CTRL_S);
    app.wait_for("异议：不属实");
    assert!(
        !app.screen().contains("13900002222"),
        "the contact is never shown in full"
    );
    app.esc();
    app.send("q");
    assert!(app.wait_exit());

    let conn = fx.conn();
    let (state, channel, findings, verified_by, contact): (String, String, String, String, String) =
        conn.query_row(
            "SELECT state, channel, findings, verified_by, objector_contact FROM objections
             WHERE application_id = ?1",
            [app_id],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)),
        )
        .unwrap();
    assert_eq!(state, "dismissed");
    assert_eq!(channel, "phone");
    assert_eq!(findings, "经查阅培训签到记录，培训天数属实");
    assert_eq!(verified_by, "陈静怡");
    assert_eq!(contact, "13900002222", "stored in full");
    let store = Store::open(&fx.db).unwrap();
    assert!(pingshen::store::audit::verify(store.conn())
        .unwrap()
        .1
        .is_empty());
}

#[test]
fn search_by_initials_opens_a_file_and_esc_comes_back() {
    let fx = Fixture::new();
    let mut app = App::spawn(&fx, &["--db", fx.db_arg(), "--user", "1"], 120, 40);
    app.log_in("周明远", "1001");
    app.send("2");
    app.wait_for("组织审核 ·");
    let before = app.screen();
    app.send("/");
    app.wait_for("查找人员档案");
    app.send("zw");
    // The answer to "zw" (a 张 first), not the one to the empty query before it.
    app.wait_for_all(&["/ zw", "│›张"]);
    let screen = app.screen();
    // The selected match: the marker just inside the popup's border.
    let first = screen
        .lines()
        .find(|l| l.contains("│›"))
        .expect("a first result")
        .to_string();
    let name: String = first
        .split("│›")
        .nth(1)
        .unwrap_or_default()
        .split_whitespace()
        .next()
        .unwrap_or_default()
        .to_string();
    assert!(name.starts_with('张'), "{first}");
    app.send(ENTER);
    app.wait_for_all(&["人员档案", &name, "基本情况"]);
    app.esc();
    app.wait_for("组织审核 ·");
    assert_eq!(app.screen(), before, "back exactly where we were");
    app.send("q");
    assert!(app.wait_exit());
}

/// The review meeting in three terminals: the chair leads through three candidates;
/// both members' screens follow, and the member who must recuse from the third is kept
/// out on a 回避 screen, which is recorded.
#[test]
fn the_chair_leads_a_meeting_and_two_members_follow() {
    let fx = Fixture::new();
    let mut chair = App::spawn(&fx, &["--db", fx.db_arg(), "--user", "1"], 120, 40);
    chair.log_in("周明远", "1001");
    let mut chen = App::spawn(&fx, &["--db", fx.db_arg(), "--user", "2"], 120, 40);
    chen.log_in("陈静怡", "1002");
    let mut liu = App::spawn(&fx, &["--db", fx.db_arg(), "--user", "3"], 120, 40);
    liu.log_in("刘志强", "1003");
    chair.send("5");
    chair.wait_for("评分进行中");
    chair.send("M");
    chair.wait_for("开始评审会");
    chair.send("第一会议室\x13");
    chair.wait_for_all(&["评审会议程", "第一会议室"]);
    // The members' apps join on their own.
    chair.wait_for("出席情况（在线 3 人）");
    let agenda: Vec<(i64, String)> = {
        let conn = fx.conn();
        let mut stmt = conn
            .prepare(
                "SELECT g.application_id, p.name FROM meeting_agenda g
                 JOIN applications a ON a.id = g.application_id JOIN persons p ON p.id = a.person_id
                 WHERE g.meeting_id = (SELECT id FROM meetings WHERE ended_at IS NULL)
                 ORDER BY g.position",
            )
            .unwrap();
        stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap()
    };
    let liu_out = |app: i64| -> bool {
        fx.conn()
            .query_row(
                "SELECT EXISTS (SELECT 1 FROM meeting_steps s JOIN members m ON m.id = s.member_id
                 WHERE m.name = '刘志强' AND s.application_id = ?1)",
                [app],
                |r| r.get(0),
            )
            .unwrap()
    };
    // The first two of the agenda, then the last: 刘志强 must recuse from it.
    let last = agenda.len() - 1;
    assert!(!liu_out(agenda[0].0) && !liu_out(agenda[1].0));
    for (keys, i) in [("g\r", 0), ("j\r", 1), ("G\r", last)] {
        let name = &agenda[i].1;
        chair.send(keys);
        chair.wait_for(&format!("{name} · "));
        chen.wait_for_all(&[
            &format!("评分表 · {name}"),
            &format!("会议：现在讨论{name}"),
        ]);
        if liu_out(agenda[i].0) {
            liu.wait_for_all(&["您须回避", &format!("现在讨论{name}")]);
        } else {
            liu.wait_for(&format!("评分表 · {name}"));
        }
    }
    assert!(liu_out(agenda[last].0), "the step out is recorded");
    let reason: String = fx
        .conn()
        .query_row(
            "SELECT s.reason FROM meeting_steps s JOIN members m ON m.id = s.member_id WHERE m.name = '刘志强'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert!(reason.starts_with("须回避"), "{reason}");
    // Back to the first: 刘志强 steps back in, to its sheet.
    chair.send("g\r");
    liu.wait_for(&format!("评分表 · {}", agenda[0].1));
    let back: bool = fx
        .conn()
        .query_row(
            "SELECT back_at IS NOT NULL FROM meeting_steps s JOIN members m ON m.id = s.member_id WHERE m.name = '刘志强'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert!(back, "stepping back in is recorded");
}
