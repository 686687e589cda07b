//! The minutes (会议纪要) of a review meeting held on the demo through the service:
//! attendance and absence, recusals with reasons, results only of final candidates
//! (no values otherwise), sheet totals only when the rules publish them, the changes
//! after discussion with reasons and without names, the audit anchor, the signature
//! lines; never an ID number or a phone; hostile names made harmless in the page, the
//! Word document and the workbook; who may make them.

mod common;
use chrono::Duration;
use common::{db, demo_as, demo_login};
use pingshen::domain::rules::MinutesScores;
use pingshen::domain::{Deed, Role};
use pingshen::i18n::Lang;
use pingshen::service::evaluation::Cell;
use pingshen::service::files::Format;
use pingshen::service::minutes::{self, Minutes, Signer};
use pingshen::service::{Clock, Missing, Refusal, Service, ServiceError};
use std::collections::BTreeSet;
use std::io::Read;

/// The demo committee's scorers: the chair first, then the members.
const SCORERS: [&str; 6] = ["周明远", "陈静怡", "刘志强", "孙丽华", "马晓东", "何欣然"];
/// Who joins the meeting besides the chair (孙丽华 never does), the secretary last.
const JOINING: [&str; 5] = ["陈静怡", "刘志强", "马晓东", "何欣然", "吴婷"];
const REASON_FINAL: &str = "经讨论补看了民主测评材料";
const REASON_OPEN: &str = "讨论后重新核对了工作台账";

fn later(svc: &mut Service, secs: i64) {
    let at = svc.clock().now() + Duration::seconds(secs);
    svc.set_clock(Clock::fixed(at));
}

fn cycle(svc: &Service) -> i64 {
    svc.open_cycle_id().unwrap()
}

/// Every scorer not recused from `app` submits a sheet (those who have not yet), each
/// with values of their own; back as the chair.
fn all_submit(mut svc: Service, app: i64) -> Service {
    let rules = svc.cycle(cycle(&svc)).unwrap().rules;
    for (i, name) in SCORERS.iter().enumerate() {
        svc = demo_login(svc, name);
        match svc.my_sheet(app) {
            Err(ServiceError::Recused { .. }) => continue,
            Err(e) => panic!("{name}: {e:?}"),
            Ok(s) if s.status == Cell::Submitted => continue,
            Ok(_) => {}
        }
        for c in &rules.criteria {
            svc.save_score(app, &c.key, c.max - i as f64).unwrap();
        }
        svc.submit_sheet(app).unwrap();
        later(&mut svc, 10);
    }
    demo_login(svc, "周明远")
}

/// 陈静怡 changes her first criterion on `app` in its revision round, with `reason`.
fn revise(svc: Service, app: i64, reason: &str) -> Service {
    let mut svc = demo_login(svc, "陈静怡");
    let sheet = svc.my_sheet(app).unwrap();
    let c = &sheet.criteria[0];
    let to = if c.value == Some(c.max) {
        c.max - 1.0
    } else {
        c.max
    };
    svc.revise_score(app, &c.key, to, reason).unwrap();
    later(&mut svc, 30);
    demo_login(svc, "周明远")
}

/// A meeting on the demo, ended, as the chair: candidate `revised` scored, discussed,
/// one score changed in its revision round and finalised; `recused` (one member
/// recused, who stepped out and back) scored and finalised; `open` scored, a score
/// changed in its revision round, not final.
struct Held {
    svc: Service,
    revised: i64,
    recused: i64,
    recused_member: String,
    open: i64,
}

fn held() -> Held {
    let mut svc = demo_as(Some("周明远"));
    svc.start_meeting("第一会议室").unwrap();
    later(&mut svc, 60);
    for name in JOINING {
        svc = demo_login(svc, name);
        svc.meeting_heartbeat(None).unwrap();
        later(&mut svc, 5);
    }
    svc = demo_login(svc, "周明远");
    let m = svc.open_meeting(cycle(&svc)).unwrap().unwrap();
    let clear: Vec<i64> = m
        .agenda
        .iter()
        .filter(|a| a.recused.is_empty())
        .map(|a| a.app_id)
        .collect();
    let one = m
        .agenda
        .iter()
        .find(|a| a.recused.len() == 1 && JOINING.contains(&a.recused[0].name.as_str()))
        .expect("a candidate one present member recuses from");
    let (revised, open, recused) = (clear[0], clear[1], one.app_id);
    let recused_member = one.recused[0].name.clone();

    svc.discuss_now(revised).unwrap();
    svc = all_submit(svc, revised);
    svc.open_discussion().unwrap();
    later(&mut svc, 120);
    svc.open_revision().unwrap();
    svc = revise(svc, revised, REASON_FINAL);

    svc.discuss_now(recused).unwrap();
    later(&mut svc, 60);
    svc = all_submit(svc, recused);
    svc.open_discussion().unwrap();
    later(&mut svc, 60);

    svc.discuss_now(open).unwrap();
    svc = all_submit(svc, open);
    svc.open_discussion().unwrap();
    svc.open_revision().unwrap();
    svc = revise(svc, open, REASON_OPEN);

    later(&mut svc, 60);
    svc.end_meeting().unwrap();
    svc.close_scoring().unwrap();
    svc.finalise(revised).unwrap();
    svc.finalise(recused).unwrap();
    later(&mut svc, 60);
    Held {
        svc,
        revised,
        recused,
        recused_member,
        open,
    }
}

fn item(m: &Minutes, app: i64) -> &minutes::Item {
    m.items.iter().find(|i| i.app_id == app).unwrap()
}

fn html(m: &Minutes, lang: Lang) -> String {
    String::from_utf8(minutes::render(m, lang, Format::Html).unwrap()).unwrap()
}

/// The text of the Word document's body.
fn docx_xml(bytes: &[u8]) -> String {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("a zip file");
    let mut xml = String::new();
    zip.by_name("word/document.xml")
        .expect("word/document.xml")
        .read_to_string(&mut xml)
        .unwrap();
    xml
}

/// Every text cell of the workbook, opened as a spreadsheet program would.
fn xlsx_cells(bytes: Vec<u8>) -> Vec<String> {
    use calamine::{Data, Reader, Xlsx};
    let mut book = Xlsx::new(std::io::Cursor::new(bytes)).expect("the workbook opens");
    let mut cells = Vec::new();
    for name in book.sheet_names() {
        let range = book.worksheet_range(&name).unwrap();
        for (_, _, c) in range.used_cells() {
            cells.push(match c {
                Data::String(s) => s.clone(),
                other => other.to_string(),
            });
        }
    }
    cells
}

/// All the minutes say, in every format and both languages.
fn every_output(m: &Minutes) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for lang in [Lang::Zh, Lang::En] {
        out.push((format!("html {lang:?}"), html(m, lang)));
        let docx = minutes::render(m, lang, Format::Docx).unwrap();
        out.push((format!("docx {lang:?}"), docx_xml(&docx)));
        let xlsx = minutes::render(m, lang, Format::Xlsx).unwrap();
        out.push((format!("xlsx {lang:?}"), xlsx_cells(xlsx).join("\n")));
    }
    out
}

#[test]
fn the_minutes_record_the_meeting() {
    let h = held();
    let m = h.svc.minutes(None).unwrap();
    assert_eq!(m.place, "第一会议室");
    assert_eq!(m.city, "南京市");
    assert_eq!(m.chair.as_deref(), Some("周明远"));
    assert_eq!(m.recorder.as_deref(), Some("吴婷"));
    assert!(m.started.is_some() && m.ended > m.started, "{m:?}");
    // Attendance: who joined, in order; absent: the scorer who never did.
    let present: Vec<&str> = m.present.iter().map(|a| a.name.as_str()).collect();
    let mut expected = vec!["周明远"];
    expected.extend(JOINING);
    assert_eq!(present, expected);
    assert!(m.present.iter().all(|a| a.joined.is_some()));
    let absent: Vec<&str> = m.absent.iter().map(|a| a.name.as_str()).collect();
    assert_eq!(absent, ["孙丽华"]);
    assert_eq!((m.scorers, m.scorers_present), (6, 5));
    // The recused member stepped out for that candidate, with the reason, and back.
    assert_eq!(m.recusals.len(), 1, "{:?}", m.recusals);
    let step = &m.recusals[0];
    assert_eq!(step.member, h.recused_member);
    assert_eq!(step.candidate, item(&m, h.recused).name);
    assert!(step.recorded.starts_with("须回避"));
    assert!(!step.reason(Lang::Zh).is_empty() && !step.reason(Lang::Zh).starts_with("须回避"));
    assert!(step.why.is_some(), "the reason is still the one recorded");
    assert!(step.out.is_some() && step.back > step.out);
    // The agenda in its order, with the counts.
    let view = h.svc.meeting(m.meeting_id).unwrap();
    let order: Vec<i64> = view.agenda.iter().map(|a| a.app_id).collect();
    let listed: Vec<i64> = m.items.iter().map(|i| i.app_id).collect();
    assert_eq!(listed, order);
    let r = item(&m, h.recused);
    assert_eq!((r.eligible, r.submitted), (5, 5));
    assert!(item(&m, h.revised).revision && !r.revision && item(&m, h.open).revision);
    assert!(m.revision_held());
    // Results only for the final candidates, as the results give them.
    let results = h.svc.results(m.cycle_id).unwrap();
    for i in &m.items {
        let res = results.iter().find(|x| x.app_id == i.app_id).unwrap();
        match (&i.outcome, res.finalised) {
            (Some(o), Some(passed)) => {
                assert_eq!(o.passed, passed);
                let agg = res.aggregate.as_ref().unwrap();
                assert_eq!(o.result.unwrap().0, agg.result);
                assert_eq!(o.sheets, res.sheets.len());
                assert_eq!(o.threshold, res.threshold);
            }
            (None, None) => {}
            (o, f) => panic!("{}: outcome {o:?}, final {f:?}", i.name),
        }
    }
    assert!(item(&m, h.revised).outcome.is_some() && item(&m, h.recused).outcome.is_some());
    assert!(item(&m, h.open).outcome.is_none());
    // The changes after discussion: the final candidate's only, with the reason.
    assert_eq!(m.changes.len(), 1, "{:?}", m.changes);
    let change = &m.changes[0];
    assert_eq!(change.candidate, item(&m, h.revised).name);
    assert_eq!(change.reason, REASON_FINAL);
    assert_ne!(change.before, Some(change.after));
    assert_eq!(m.changes_withheld, 1, "the open candidate's change");
    // The anchor is the log's head.
    let (id, hash): (i64, String) = db(&h.svc)
        .query_row(
            "SELECT id, hash FROM audit ORDER BY id DESC LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    let anchor = m.anchor.clone().unwrap();
    assert_eq!((anchor.id, anchor.hash.clone()), (id, hash.clone()));
    let written = format!("{id}:{}", &hash[..16]);
    assert_eq!(m.anchor_text().as_deref(), Some(written.as_str()));
    // Signatures: the chair, each member present, the recorder.
    let signs: Vec<(Signer, &str)> = m.signatures.iter().map(|(s, n)| (*s, n.as_str())).collect();
    assert_eq!(
        signs,
        [
            (Signer::Chair, "周明远"),
            (Signer::Member, "陈静怡"),
            (Signer::Member, "刘志强"),
            (Signer::Member, "马晓东"),
            (Signer::Member, "何欣然"),
            (Signer::Recorder, "吴婷"),
        ]
    );
    // The audit log replays clean: making the minutes changed nothing.
    assert_eq!(h.svc.minutes(Some(m.meeting_id)).unwrap(), m);
    assert!(h.svc.check(&[]).unwrap().ok());
}

#[test]
fn the_documents_say_it_in_chinese_or_in_english() {
    let h = held();
    let m = h.svc.minutes(None).unwrap();
    let zh = html(&m, Lang::Zh);
    let anchor = m.anchor_text().unwrap();
    for want in [
        "<html lang=\"zh-CN\">",
        "南京市2026年度党务工作者资格认证评审会会议纪要",
        "第一会议室",
        "缺席：孙丽华（委员）",
        "回避情况",
        REASON_FINAL,
        &anchor,
        "主任委员",
        "记录人",
        "未确定",
        "未审议",
        "去掉一个最高分和一个最低分后的平均分",
        "@page { size: A4",
    ] {
        assert!(zh.contains(want), "{want} missing:\n{zh}");
    }
    let en = html(&m, Lang::En);
    for want in [
        "<html lang=\"en\">",
        "Minutes of the review meeting",
        "Absent: 孙丽华 (member)",
        "Recusals",
        "not final",
        "not taken up",
        "Minutes kept by",
        &anchor,
    ] {
        assert!(en.contains(want), "{want} missing:\n{en}");
    }
    // No stray language: the data taken out, the Chinese holds no Latin word (but
    // the command to check the anchor) and the English no Chinese character.
    let mut data: Vec<String> = vec![m.cycle.clone(), m.city.clone(), m.place.clone()];
    data.extend(m.present.iter().chain(&m.absent).map(|a| a.name.clone()));
    data.extend(
        m.items
            .iter()
            .flat_map(|i| [i.name.clone(), i.organisation.clone()]),
    );
    data.extend(
        m.changes
            .iter()
            .flat_map(|c| [c.reason.clone(), c.criterion.0.clone()]),
    );
    let mut stmt = db(&h.svc).prepare("SELECT reason FROM conflicts").unwrap();
    data.extend(
        stmt.query_map([], |r| r.get::<_, String>(0))
            .unwrap()
            .map(Result::unwrap),
    );
    data.sort_by_key(|d| std::cmp::Reverse(d.chars().count()));
    let strip = |lang: Lang| -> String {
        let form = minutes::form(&m, lang);
        let mut text = format!("{form:?}");
        for d in data.iter().filter(|d| !d.is_empty()) {
            text = text.replace(d.as_str(), " ");
        }
        text
    };
    let zh_left = strip(Lang::Zh)
        .replace(&format!("pingshen check --anchor {anchor}"), " ")
        .replace(&anchor, " ");
    let latin = regex::Regex::new(r#"[A-Za-z]{2,}"#).unwrap();
    let words: BTreeSet<&str> = latin
        .find_iter(&zh_left)
        .map(|w| w.as_str())
        .filter(|w| {
            // The debug form's own words.
            ![
                "Form", "name", "lines", "Title", "Heading", "Note", "Sign", "Header", "Row",
                "Text", "Num",
            ]
            .contains(w)
        })
        .collect();
    assert!(words.is_empty(), "Latin in the Chinese minutes: {words:?}");
    let han = regex::Regex::new(r"\p{Han}").unwrap();
    let en_left = strip(Lang::En);
    let found: Vec<&str> = han.find_iter(&en_left).map(|c| c.as_str()).collect();
    assert!(
        found.is_empty(),
        "Chinese in the English minutes: {found:?}\n{en_left}"
    );
}

#[test]
fn no_values_leave_before_a_result_is_final() {
    let h = held();
    let m = h.svc.minutes(None).unwrap();
    let open = item(&m, h.open);
    assert!(open.outcome.is_none());
    for (what, text) in every_output(&m) {
        assert!(
            !text.contains(REASON_OPEN),
            "{what}: a change to a result not final"
        );
        assert!(
            !text.contains(&format!("{}：有效评分表", open.name))
                && !text.contains(&format!("{}: ", open.name)),
            "{what}: the totals of a result not final"
        );
    }
    // Closing scoring is not enough, and the secretary takes out no more.
    let svc = demo_login(h.svc, "吴婷");
    let by_secretary = svc.minutes(None).unwrap();
    assert!(item(&by_secretary, h.open).outcome.is_none());
    assert!(item(&by_secretary, h.revised).outcome.is_some());
    assert!(by_secretary.changes.iter().all(|c| c.reason != REASON_OPEN));
}

#[test]
fn sheet_totals_appear_only_when_the_rules_publish_them() {
    let h = held();
    let m = h.svc.minutes(None).unwrap();
    assert_eq!(
        m.scores,
        MinutesScores::Totals,
        "the demo rules publish totals"
    );
    let o = item(&m, h.revised).outcome.clone().unwrap();
    let totals = o.totals.unwrap();
    assert_eq!(totals.len(), o.sheets);
    assert!(
        totals.windows(2).all(|w| w[0] >= w[1]),
        "highest first: {totals:?}"
    );
    let page = html(&m, Lang::Zh);
    assert!(page.contains("各表合计（不具名，由高到低）"), "{page}");
    // The same meeting under rules that publish the result only.
    let changed = db(&h.svc)
        .execute(
            "UPDATE cycles SET rules_toml = replace(rules_toml, 'minutes_scores = \"totals\"', 'minutes_scores = \"result\"')",
            [],
        )
        .unwrap();
    assert!(changed >= 1);
    let svc = demo_login(h.svc, "周明远");
    let m = svc.minutes(None).unwrap();
    assert_eq!(m.scores, MinutesScores::Result);
    assert!(m
        .items
        .iter()
        .all(|i| i.outcome.as_ref().is_none_or(|o| o.totals.is_none())));
    assert!(item(&m, h.revised)
        .outcome
        .as_ref()
        .unwrap()
        .result
        .is_some());
    for (what, text) in every_output(&m) {
        assert!(
            !text.contains("各表合计") && !text.contains("totals (unnamed"),
            "{what}"
        );
    }
}

#[test]
fn changes_after_discussion_name_no_member() {
    let h = held();
    let m = h.svc.minutes(None).unwrap();
    let rules = h.svc.cycle(m.cycle_id).unwrap().rules;
    let change = &m.changes[0];
    assert_eq!(change.criterion.0, rules.criteria[0].name);
    assert_eq!(change.criterion.1, rules.criteria[0].name_en);
    for (what, text) in every_output(&m) {
        assert!(text.contains(REASON_FINAL), "{what}");
        if what.starts_with("docx") {
            continue; // one line: the form's row is checked below
        }
        // The change's table holds candidate, criterion, values, reason and time:
        // find its row (a line of the page, a cell of the workbook) and check no
        // member is named in it.
        let row: Vec<&str> = text.lines().filter(|l| l.contains(REASON_FINAL)).collect();
        for line in row {
            for name in SCORERS {
                assert!(
                    !line.contains(name),
                    "{what}: {name} named with the change: {line}"
                );
            }
        }
    }
    let zh = minutes::form(&m, Lang::Zh);
    let row = zh
        .lines
        .iter()
        .find(|l| format!("{l:?}").contains(REASON_FINAL))
        .unwrap();
    for name in SCORERS {
        assert!(!format!("{row:?}").contains(name));
    }
}

#[test]
fn no_id_number_or_phone_anywhere() {
    let h = held();
    let m = h.svc.minutes(None).unwrap();
    let conn = db(&h.svc);
    let mut secrets: Vec<String> = Vec::new();
    for sql in [
        "SELECT id_number FROM persons",
        "SELECT coalesce(phone, '') FROM persons",
        "SELECT coalesce(phone, '') FROM members",
    ] {
        let mut stmt = conn.prepare(sql).unwrap();
        secrets.extend(
            stmt.query_map([], |r| r.get::<_, String>(0))
                .unwrap()
                .map(Result::unwrap)
                .filter(|s| s.len() >= 7),
        );
    }
    assert!(
        secrets.len() > 50,
        "the demo has persons with IDs and phones"
    );
    for (what, text) in every_output(&m) {
        for s in &secrets {
            assert!(!text.contains(s.as_str()), "{what} holds {s}");
        }
        assert!(!text.contains("****"), "{what} holds a masked ID");
    }
}

#[test]
fn hostile_names_are_harmless_in_every_format() {
    let h = held();
    let member = "马晓东<script>alert(1)</script>\u{1b}]0;x\u{7}\u{202e}";
    let candidate = "<img src=x onerror=alert(2)>王\u{9b}2J";
    let conn = db(&h.svc);
    conn.execute(
        "UPDATE members SET name = ?1 WHERE name = '马晓东'",
        [member],
    )
    .unwrap();
    conn.execute(
        "UPDATE persons SET name = ?1 WHERE id = (SELECT person_id FROM applications WHERE id = ?2)",
        rusqlite::params![candidate, h.revised],
    )
    .unwrap();
    let m = h.svc.minutes(None).unwrap();
    assert!(m.present.iter().any(|a| a.name == member));
    assert_eq!(item(&m, h.revised).name, candidate);
    let raw = ['\u{1b}', '\u{7}', '\u{202e}', '\u{9b}'];
    for lang in [Lang::Zh, Lang::En] {
        let page = html(&m, lang);
        assert!(
            !page.contains("<script") && !page.contains("<img"),
            "{page}"
        );
        assert!(page.contains("马晓东&lt;script&gt;alert(1)&lt;/script&gt;&lt;U+001B&gt;"));
        assert!(page.contains("&lt;img src=x onerror=alert(2)&gt;王&lt;U+009B&gt;2J"));
        assert!(!page.chars().any(|c| raw.contains(&c)));
        let xml = docx_xml(&minutes::render(&m, lang, Format::Docx).unwrap());
        assert!(!xml.contains("<script") && !xml.contains("<img"));
        assert!(xml.contains("&lt;script&gt;alert(1)&lt;/script&gt;&lt;U+001B&gt;"));
        assert!(!xml
            .chars()
            .any(|c| raw.contains(&c) || (c < ' ' && c != '\n' && c != '\t' && c != '\r')));
        let cells = xlsx_cells(minutes::render(&m, lang, Format::Xlsx).unwrap());
        assert!(cells
            .iter()
            .any(|c| c.contains("马晓东<script>alert(1)</script><U+001B>]0;x<U+0007><U+202E>")));
        assert!(cells.iter().all(|c| !c.chars().any(|ch| raw.contains(&ch))));
    }
}

#[test]
fn the_word_document_and_the_workbook_hold_the_candidates() {
    let h = held();
    let m = h.svc.minutes(None).unwrap();
    let bytes = minutes::render(&m, Lang::Zh, Format::Docx).unwrap();
    assert_eq!(&bytes[..2], b"PK", "a zip file");
    let xml = docx_xml(&bytes);
    // The candidates the meeting took up (the others are counted in a note).
    assert!(m.items.iter().any(|i| !i.discussed));
    for i in m.items.iter().filter(|i| i.discussed) {
        assert!(
            xml.contains(&i.name),
            "{} missing from the document",
            i.name
        );
    }
    assert!(xml.contains("南京市2026年度党务工作者资格认证评审会会议纪要"));
    assert!(xml.contains("w:tbl"), "tables");
    let cells = xlsx_cells(minutes::render(&m, Lang::Zh, Format::Xlsx).unwrap());
    for i in m.items.iter().filter(|i| i.discussed) {
        assert!(
            cells.contains(&i.name),
            "{} missing from the workbook",
            i.name
        );
    }
    assert!(cells.iter().any(|c| c.contains(&m.anchor_text().unwrap())));
    // Formats the minutes are not made in are refused.
    for f in [Format::Csv, Format::Json, Format::Md] {
        let e = minutes::render(&m, Lang::Zh, f).unwrap_err().to_string();
        assert!(e.contains("html, docx or xlsx"), "{e}");
    }
}

#[test]
fn only_the_chair_and_the_secretary_make_minutes_of_a_meeting_held() {
    // A committee that has held no meeting (the demo has held one).
    let mut svc = pingshen::service::Service::system(
        pingshen::store::Store::open_in_memory().unwrap(),
        "test",
    );
    let ev = pingshen::service::demo::evaluation(&mut svc, 3, 5).unwrap();
    let clock = svc.clock();
    let (chair, pin) = ev.scorers[0].clone();
    let svc = pingshen::service::Service::login(svc.into_store(), clock, chair, &pin)
        .map_err(|e| e.1)
        .unwrap();
    match svc.minutes(None).unwrap_err() {
        ServiceError::Invalid(Refusal::NoMeetingHeld) => {}
        e => panic!("{e:?}"),
    }
    match svc.minutes(Some(999)).unwrap_err() {
        ServiceError::NotFound(Missing::Meeting(999)) => {}
        e => panic!("{e:?}"),
    }
    let h = held();
    let svc = demo_login(h.svc, "陈静怡");
    match svc.minutes(None).unwrap_err() {
        ServiceError::Forbidden { deed, role } => {
            assert_eq!(deed, Deed::ExportMinutes);
            assert_eq!(role, Role::Member);
        }
        e => panic!("{e:?}"),
    }
    let svc = demo_login(svc, "吴婷");
    assert!(svc.minutes(None).is_ok());
}

#[test]
fn the_command_line_writes_the_minutes_for_a_member_with_a_pin() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("m.sqlite3");
    let meeting = {
        let h = held();
        db(&h.svc)
            .execute("VACUUM INTO ?1", [path.to_str().unwrap()])
            .unwrap();
        h.svc.minutes(None).unwrap().meeting_id.to_string()
    };
    let db_arg = path.to_str().unwrap();
    // `export KIND ARGS… --db FILE`, as member `user` (with their PIN on standard
    // input) or as nobody, in the interface language `lang`.
    let export_in = |lang: &str, kind: &str, args: &[&str], user: Option<(&str, &str)>| {
        let mut all = vec!["export", kind];
        all.extend(args);
        all.extend(["--db", db_arg]);
        let pin = match user {
            Some((id, pin)) => {
                all.extend(["--user", id, "--pin-stdin"]);
                format!("{pin}\n")
            }
            None => String::new(),
        };
        let out = common::run_pingshen_with(dir.path(), &all, &pin, &[("PINGSHEN_LANG", lang)]);
        let err = String::from_utf8_lossy(&out.stderr).into_owned();
        (out, err)
    };
    let export =
        |kind: &str, args: &[&str], user: Option<(&str, &str)>| export_in("zh", kind, args, user);
    let secretary = Some(("7", "1007"));
    let (out, err) = export("minutes", &[], None);
    assert!(!out.status.success());
    assert!(err.contains("--user ID and that member's PIN"), "{err}");
    let (out, err) = export("minutes", &["--user", "7"], None);
    assert!(!out.status.success(), "no PIN, no minutes: {err}");
    let (_, err) = export("minutes", &["--format", "csv"], secretary);
    assert!(err.contains("html, docx or xlsx"), "{err}");
    let (_, err) = export("minutes", &["--format", "docx"], secretary);
    assert!(err.contains("needs --out FILE"), "{err}");
    let (out, _) = export("minutes", &[], Some(("2", "1002")));
    assert!(!out.status.success(), "a member is refused");
    // The secretary: the page on standard output in Chinese, the document to a file in
    // English.
    let (out, err) = export("minutes", &[], secretary);
    assert!(out.status.success(), "{err}");
    let page = String::from_utf8(out.stdout).unwrap();
    assert!(page.contains("评审会会议纪要") && page.contains("<html lang=\"zh-CN\">"));
    let file = dir.path().join("minutes.docx");
    let file_arg = file.to_str().unwrap();
    let args = ["--format", "docx", "--out", file_arg, "--meeting", &meeting];
    let (out, err) = export_in("en", "minutes", &args, secretary);
    assert!(out.status.success(), "{err}");
    assert!(err.contains("wrote the minutes of meeting"), "{err}");
    let xml = docx_xml(&std::fs::read(&file).unwrap());
    assert!(xml.contains("Minutes of the review meeting"));
    // --meeting belongs to the minutes.
    let (_, err) = export("ranking", &["--meeting", &meeting], secretary);
    assert!(err.contains("goes with `export minutes`"), "{err}");
}
