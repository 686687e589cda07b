//! Person search: pinyin, initials and mixes, surname readings, polyphonic characters,
//! filters, ranking, masked ID numbers, narrowing, cancellation, updates, and the
//! `pingshen search` command. Only generated data: the demo city and `gen` cities.

mod common;

use pingshen::domain::{Category, Grade, Stage};
use pingshen::search::{
    Cancel, Generation, Hit, MatchKind, PersonRecord, QueryError, Results, Scorer, SearchIndex,
    SearchWorker, Session, Skim,
};
use pingshen::service::Service;
use pingshen::store::Store;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, OnceLock};
use std::time::Duration;

/// The demo database, built once into a file that lives as long as the tests.
fn demo_db() -> &'static Path {
    static DB: OnceLock<(tempfile::TempDir, PathBuf)> = OnceLock::new();
    &DB.get_or_init(common::demo_file).1
}

/// A copy of the demo database of one's own, to change (the folder holds it).
fn demo_copy() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let copy = dir.path().join("demo.sqlite3");
    std::fs::copy(demo_db(), &copy).unwrap();
    (dir, copy)
}

fn conn() -> rusqlite::Connection {
    common::open_db(demo_db())
}

/// The demo's search index, built once.
fn index() -> &'static SearchIndex {
    static INDEX: OnceLock<SearchIndex> = OnceLock::new();
    INDEX.get_or_init(|| SearchIndex::build(&conn()).unwrap())
}

fn search(query: &str) -> Results {
    index().search(query, 200).unwrap()
}

fn names(r: &Results) -> Vec<&str> {
    r.hits.iter().map(|h| h.name.as_str()).collect()
}

fn hit<'a>(r: &'a Results, name: &str) -> Option<&'a Hit> {
    r.hits.iter().find(|h| h.name == name)
}

/// The rank a name gets for a query (`None` when not found).
fn kind_of(query: &str, name: &str) -> Option<MatchKind> {
    hit(&search(query), name).map(|h| h.kind)
}

/// The demo person whose name starts with `surname`.
fn named(surname: &str) -> String {
    conn()
        .query_row(
            "SELECT name FROM persons WHERE name LIKE ?1 || '%' ORDER BY id LIMIT 1",
            [surname],
            |r| r.get(0),
        )
        .unwrap()
}

fn count(sql: &str) -> usize {
    common::count(&conn(), sql) as usize
}

/// Persons of a generated city as index records (no database needed).
fn city(persons: usize, seed: u64) -> Vec<PersonRecord> {
    let city = pingshen::service::demo::gen::generate(persons, seed, 2026);
    let col = |t: &pingshen::table::Table, name: &str| t.column(name).unwrap();
    let o = &city.organisations;
    let orgs: std::collections::HashMap<&str, &Vec<String>> = o
        .rows
        .iter()
        .map(|r| (r.cells[col(o, "code")].as_str(), &r.cells))
        .collect();
    let p = &city.persons;
    p.rows
        .iter()
        .enumerate()
        .map(|(i, r)| {
            let cell = |name: &str| r.cells[col(p, name)].clone();
            let org = orgs[cell("org_code").as_str()];
            PersonRecord {
                person_id: i as i64 + 1,
                name: cell("name"),
                id_number: cell("id_number"),
                organisation: org[col(o, "name")].clone(),
                county: org[col(o, "county")].clone(),
                township: org[col(o, "township")].clone(),
                position: cell("position"),
                category: Category::parse(&cell("category")).unwrap(),
                grade: Grade::parse(&cell("current_grade")),
                stage: None,
                certified: Grade::parse(&cell("current_grade")).is_some(),
            }
        })
        .collect()
}

#[test]
fn full_pinyin_initials_hanzi_and_mixes_find_a_name() {
    for query in [
        "zhanghao", "zh", "张浩", "张h", "zhang h", "zhangh", "zhang浩", "张hao",
    ] {
        let r = search(query);
        assert!(hit(&r, "张浩").is_some(), "{query}: {:?}", names(&r));
    }
    for exact in [
        "zhanghao", "张浩", "张h", "zhang h", "zhangh", "zhang浩", "zh h", "zhh",
    ] {
        assert_eq!(kind_of(exact, "张浩"), Some(MatchKind::Exact), "{exact}");
    }
    assert_eq!(kind_of("zhang", "张浩"), Some(MatchKind::Prefix));
    assert_eq!(kind_of("hao", "张浩"), Some(MatchKind::Fuzzy));
    // Initials only at the start of a syllable: `ag` is inside zhang.
    assert!(hit(&search("ag"), "张浩").is_none());
}

#[test]
fn surnames_are_read_as_surnames() {
    let surnames = [
        ("单", "shan", "dan"),
        ("曾", "zeng", "ceng"),
        ("区", "ou", "qu"),
        ("解", "xie", "jie"),
        ("仇", "qiu", "chou"),
        ("查", "zha", "cha"),
        ("朴", "piao", "pu"),
        ("覃", "qin", "tan"),
        ("尉迟", "yuchi", "weichi"),
    ];
    for (surname, right, wrong) in surnames {
        let name = named(surname);
        assert!(
            kind_of(right, &name) >= Some(MatchKind::Prefix),
            "{name} by {right}"
        );
        assert!(
            kind_of(wrong, &name) < Some(MatchKind::Prefix),
            "{name} should not be spelled {wrong}"
        );
    }
    // The readings of 尉 and 迟 apart from the compound: 尉 alone is Wei.
    let index = SearchIndex::from_records(vec![record(1, "尉楠", "南京钟山软件有限公司")]);
    let r = index.search("weinan", 5).unwrap();
    assert_eq!(r.hits[0].kind, MatchKind::Exact);
}

#[test]
fn polyphonic_given_names_match_under_every_reading() {
    let name = named("李行");
    assert!(name.starts_with("李行"), "{name}");
    assert!(kind_of("lixing", &name) >= Some(MatchKind::Prefix));
    assert!(kind_of("lihang", &name) >= Some(MatchKind::Prefix));
    assert_eq!(kind_of("xuxing", "徐行"), Some(MatchKind::Exact));
    assert_eq!(kind_of("xuhang", "徐行"), Some(MatchKind::Exact));
    // Given names of a generated city with 乐, 长, 重, 朝: every reading counts.
    let records = city(3000, 7);
    let index = SearchIndex::from_records(records.clone());
    for (ch, readings) in [
        ('乐', ["le", "yue"]),
        ('长', ["chang", "zhang"]),
        ('重', ["zhong", "chong"]),
        ('朝', ["chao", "zhao"]),
    ] {
        let r = records
            .iter()
            .find(|r| r.name.chars().nth(1) == Some(ch) && r.name.chars().count() == 2)
            .unwrap_or_else(|| panic!("a name with {ch}"));
        for reading in readings {
            let query = format!("{}{reading}", &r.name[..r.name.len() - ch.len_utf8()]);
            let found = index.search(&query, 500).unwrap();
            let h = found.hits.iter().find(|h| h.person_id == r.person_id);
            assert_eq!(
                h.map(|h| h.kind),
                Some(MatchKind::Exact),
                "{query} for {}",
                r.name
            );
        }
    }
}

fn record(id: i64, name: &str, organisation: &str) -> PersonRecord {
    PersonRecord {
        person_id: id,
        name: name.into(),
        id_number: format!("32010219800101{:03}X", id % 1000),
        organisation: organisation.into(),
        county: "玄武区".into(),
        township: "新街口街道".into(),
        position: "党支部书记".into(),
        category: Category::Secretary,
        grade: None,
        stage: None,
        certified: false,
    }
}

#[test]
fn place_and_company_words_match_by_their_usual_reading() {
    // Generated persons, moved to organisations named with the words.
    let mut records = city(40, 3);
    for (r, org) in records.iter_mut().zip([
        "南京重庆商会",
        "长沙商会南京分会",
        "南京瑞丰村镇银行股份有限公司",
    ]) {
        r.organisation = org.to_string();
    }
    let index = SearchIndex::from_records(records);
    let orgs = |q: &str| -> Vec<String> {
        let r = index.search(q, 100).unwrap();
        r.hits.iter().map(|h| h.organisation.clone()).collect()
    };
    assert!(orgs("chongqing").contains(&"南京重庆商会".to_string()));
    assert!(!orgs("zhongqing").contains(&"南京重庆商会".to_string()));
    assert!(orgs("changsha").contains(&"长沙商会南京分会".to_string()));
    assert!(!orgs("zhangsha").contains(&"长沙商会南京分会".to_string()));
    assert!(orgs("yinhang").contains(&"南京瑞丰村镇银行股份有限公司".to_string()));
    assert!(!orgs("yinxing").contains(&"南京瑞丰村镇银行股份有限公司".to_string()));
    let r = index.search("cqsh", 5).unwrap();
    assert_eq!(r.hits[0].organisation, "南京重庆商会");
    assert_eq!(r.hits[0].highlights.organisation, vec![2, 3, 4, 5]);
}

#[test]
fn organisations_match_by_initials_and_words_across_fields() {
    let r = search("njrj");
    assert!(r.total > 0);
    for h in &r.hits {
        let spelled = h.organisation.contains('南') && h.organisation.contains('软');
        let anywhere = !h.highlights.organisation.is_empty() || !h.highlights.name.is_empty();
        assert!(spelled || anywhere, "{h:?}");
    }
    let first = &r.hits[0];
    assert!(first.organisation.starts_with("南京"), "{first:?}");
    // The highlighted characters of the organisation spell n, j, r, j.
    let chars: Vec<char> = first.organisation.chars().collect();
    let lit: String = first
        .highlights
        .organisation
        .iter()
        .map(|&i| chars[i])
        .collect();
    assert_eq!(lit.chars().count(), 4, "{lit}");
    // A name and a county in one query: both must match.
    let r = search("zhanghao 智达");
    assert_eq!(names(&r), ["张浩"]);
    assert_eq!(r.hits[0].highlights.organisation, vec![2, 3]);
    assert_eq!(r.hits[0].highlights.name, vec![0, 1]);
}

#[test]
fn each_filter_narrows_and_unknown_ones_are_errors() {
    let all = |q: &str| index().search(q, 10_000).unwrap();
    let senior = all("grade:高级");
    assert_eq!(
        senior.total,
        count("SELECT count(*) FROM persons WHERE current_grade = 'senior'")
    );
    assert!(senior.hits.iter().all(|h| h.grade == Some(Grade::Senior)));
    assert_eq!(all("grade:senior").total, senior.total);
    assert_eq!(
        all("grade:none").total,
        count("SELECT count(*) FROM persons WHERE current_grade IS NULL")
    );

    let review = all("stage:review");
    let in_review = "SELECT count(*) FROM applications WHERE stage = 'review' AND cycle_id = (SELECT max(id) FROM cycles)";
    assert_eq!(review.total, count(in_review));
    assert!(review.total > 0);
    assert!(review.hits.iter().all(|h| h.stage == Some(Stage::Review)));
    assert_eq!(all("stage:组织审核").total, review.total);
    assert_eq!(all("stage:2").total, review.total);

    let xuanwu = all("county:玄武");
    let in_xuanwu = "SELECT count(*) FROM persons p JOIN organisations o ON o.id = p.org_id WHERE o.county = '玄武区'";
    assert_eq!(xuanwu.total, count(in_xuanwu));
    assert!(xuanwu.hits.iter().all(|h| h.county == "玄武区"));
    assert_eq!(all("county:xuanwu").total, xuanwu.total);
    assert_eq!(all("county:xw").total, xuanwu.total);

    let secretaries = all("cat:secretary");
    assert_eq!(
        secretaries.total,
        count("SELECT count(*) FROM persons WHERE category = 'secretary'")
    );
    assert!(secretaries
        .hits
        .iter()
        .all(|h| h.category == Category::Secretary));
    assert_eq!(all("cat:党组织书记").total, secretaries.total);

    let certified = all("cert:yes");
    assert_eq!(
        certified.total,
        count("SELECT count(*) FROM persons WHERE current_grade IS NOT NULL")
    );
    assert!(certified.hits.iter().all(|h| h.certified));
    assert_eq!(all("cert:no").total + certified.total, index().len());

    // Filters and words together.
    let both = all("cat:secretary grade:senior z");
    assert!(both.total > 0);
    assert!(both
        .hits
        .iter()
        .all(|h| h.category == Category::Secretary && h.grade == Some(Grade::Senior)));

    assert_eq!(
        index().search("zw colour:red", 5).unwrap_err(),
        QueryError::UnknownFilter {
            name: "colour".into()
        }
    );
    let err = index().search("county:火星", 5).unwrap_err();
    assert!(
        matches!(
            &err,
            QueryError::UnknownValue {
                filter: "county",
                ..
            }
        ),
        "{err:?}"
    );
    assert!(
        err.to_string().contains("玄武区"),
        "the choices are listed: {err}"
    );
    assert!(matches!(
        index().search("stage:someday", 5),
        Err(QueryError::UnknownValue {
            filter: "stage",
            ..
        })
    ));
}

#[test]
fn ranking_puts_whole_names_first_then_starts_then_the_rest() {
    let mut records = city(7, 11);
    let names = ["张伟", "张伟明", "李张伟", "张大伟", "周伟", "章伟", "张立"];
    for (r, name) in records.iter_mut().zip(names) {
        r.name = name.to_string();
        r.organisation = "南京钟山软件有限公司".into();
    }
    let index = SearchIndex::from_records(records);
    let r = index.search("zhangwei", 10).unwrap();
    let got: Vec<(&str, MatchKind)> = r.hits.iter().map(|h| (h.name.as_str(), h.kind)).collect();
    assert_eq!(
        got[..3],
        [
            ("张伟", MatchKind::Exact),
            ("章伟", MatchKind::Exact),
            ("张伟明", MatchKind::Prefix),
        ],
        "exact ties by name, then prefix: {got:?}"
    );
    assert!(
        got[3..].iter().all(|(_, k)| *k == MatchKind::Fuzzy),
        "{got:?}"
    );
    // Spelled only through 立's rare reading wei: found, but never as a whole name.
    assert!(got[3..].contains(&("张立", MatchKind::Fuzzy)), "{got:?}");
    assert!(!got.iter().any(|(n, _)| *n == "周伟"), "zhou is not zhang");
    // An exact name beats a scattered one; a start beats a middle.
    let r = index.search("张伟", 10).unwrap();
    assert_eq!(r.hits[0].name, "张伟");
    assert!(
        r.hits.iter().position(|h| h.name == "张大伟")
            > r.hits.iter().position(|h| h.name == "张伟明")
    );
    let r = index.search("zhang", 10).unwrap();
    let last_prefix = r
        .hits
        .iter()
        .rposition(|h| h.kind == MatchKind::Prefix)
        .unwrap();
    let middle = r.hits.iter().position(|h| h.name == "李张伟").unwrap();
    assert!(middle > last_prefix, "prefix before substring");
    // Highlights are character indices of the name.
    let h = &index.search("zw", 1).unwrap().hits[0];
    assert_eq!(
        (h.name.as_str(), h.highlights.name.clone()),
        ("张伟", vec![0, 1])
    );
}

#[test]
fn id_numbers_only_leave_the_index_masked() {
    let conn = conn();
    let mut stmt = conn.prepare("SELECT id_number FROM persons").unwrap();
    let ids: Vec<String> = stmt
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    let everyone = index().search("", 10_000).unwrap();
    assert_eq!(everyone.hits.len(), ids.len());
    let shown = format!("{everyone:?}") + &serde_json::to_string(&everyone).unwrap();
    for id in &ids {
        assert!(!shown.contains(id.as_str()), "{id} leaked");
        assert!(!shown.contains(&id[..14]), "the hidden part of {id} leaked");
    }
    for h in &everyone.hits {
        assert_eq!(h.masked_id.len(), 18);
        assert!(h.masked_id.starts_with("**************"), "{}", h.masked_id);
    }
    // The visible tail can be searched, the hidden part cannot.
    let id = &ids[0];
    let tail = &id[14..];
    let r = search(&tail.to_lowercase());
    let h = r.hits.iter().find(|h| h.masked_id.ends_with(tail)).unwrap();
    assert_eq!(h.highlights.id, vec![14, 15, 16, 17]);
    let hidden = &id[6..14];
    assert!(search(hidden)
        .hits
        .iter()
        .all(|h| !h.masked_id.contains(hidden)));
}

/// Types `query` one character at a time into a session and checks every keystroke
/// against a fresh search of the same text.
fn type_and_compare(index: &SearchIndex, session: &mut Session, query: &str) -> usize {
    let chars: Vec<char> = query.chars().collect();
    let mut narrowed = 0;
    for n in 1..=chars.len() {
        let text: String = chars[..n].iter().collect();
        let typed = session.search(index, &text, 30, &Cancel::never());
        let fresh = index.search(&text, 30);
        match (typed, fresh) {
            (Ok(Some(typed)), Ok(fresh)) => {
                narrowed += usize::from(typed.narrowed);
                assert_eq!(typed.total, fresh.total, "{text}");
                assert_eq!(typed.hits, fresh.hits, "{text}");
            }
            (Err(a), Err(b)) => assert_eq!(a, b, "{text}"),
            (a, b) => panic!("{text}: {a:?} against {b:?}"),
        }
    }
    narrowed
}

#[test]
fn narrowing_returns_exactly_what_a_fresh_search_returns() {
    let records = city(2500, 5);
    let index = SearchIndex::from_records(records.clone());
    let mut session = Session::new();
    let mut narrowed = 0;
    let spell = |s: &str| -> (String, String) {
        use pinyin::ToPinyin;
        let r: Vec<&str> = s.to_pinyin().flatten().map(|p| p.plain()).collect();
        (r.concat(), r.iter().filter_map(|x| x.get(..1)).collect())
    };
    for r in records.iter().step_by(97) {
        let (full, initials) = spell(&r.name);
        let (_, org) = spell(&r.organisation);
        for query in [
            r.name.clone(),
            full.clone(),
            initials.clone(),
            org.chars().take(6).collect(),
            format!("{} {}", initials, &r.county),
            format!("grade:senior {full}"),
            format!("cat:staff {initials} {}", &r.id_number[14..].to_lowercase()),
            format!(
                "{}{}",
                r.name.chars().next().unwrap(),
                &full[full.len() - 2..]
            ),
        ] {
            narrowed += type_and_compare(&index, &mut session, &query);
        }
    }
    assert!(narrowed > 100, "the narrowing path ran ({narrowed} times)");
}

/// A matcher that cancels the search after a number of calls.
struct CancelAfter {
    calls: AtomicUsize,
    after: usize,
    generation: Generation,
    inner: Skim,
}

impl Scorer for CancelAfter {
    fn score(&self, text: &str, term: &str) -> Option<i64> {
        if self.calls.fetch_add(1, Ordering::SeqCst) + 1 == self.after {
            self.generation.cancel_all();
        }
        self.inner.score(text, term)
    }
    fn indices(&self, text: &str, term: &str) -> Option<(i64, Vec<usize>)> {
        self.inner.indices(text, term)
    }
}

#[test]
fn a_newer_search_cancels_the_running_one() {
    let index = SearchIndex::from_records(city(8000, 2));
    // Cancelled before it starts.
    let generation = Generation::new();
    let first = generation.next();
    let _second = generation.next();
    assert!(first.is_cancelled());
    assert_eq!(
        Session::new().search(&index, "z", 10, &first).unwrap(),
        None
    );
    // Cancelled while the matcher runs: the scan stops and returns nothing.
    let generation = Generation::new();
    let scorer = Arc::new(CancelAfter {
        calls: AtomicUsize::new(0),
        after: 50,
        generation: generation.clone(),
        inner: Skim::default(),
    });
    let mut session = Session::with_scorer(scorer.clone());
    let cancel = generation.next();
    // Every match asked for, so the matcher runs on many texts.
    let all = index.len();
    assert_eq!(session.search(&index, "an", all, &cancel).unwrap(), None);
    let calls = scorer.calls.load(Ordering::SeqCst);
    assert!((50..5000).contains(&calls), "stopped early ({calls} calls)");
    // The cancelled search left nothing behind: the next one is a fresh scan.
    let ok = session
        .search(&index, "an", 10, &Cancel::never())
        .unwrap()
        .unwrap();
    assert!(!ok.narrowed);
    assert_eq!(ok, index.search("an", 10).unwrap());

    // Through the worker: the last of many quick searches is the one answered.
    let worker = SearchWorker::spawn(index);
    let queries = [
        "z", "zh", "zha", "zhan", "zhang", "zhangw", "zhangwe", "zhangwei",
    ];
    let tickets: Vec<u64> = queries.iter().map(|q| worker.search(q, 20)).collect();
    let last = *tickets.last().unwrap();
    let mut seen = Vec::new();
    loop {
        let reply = worker
            .recv_timeout(Duration::from_secs(30))
            .expect("a reply");
        seen.push(reply.ticket);
        if reply.ticket == last {
            assert_eq!(reply.query, "zhangwei");
            let results = reply.outcome.unwrap();
            assert_eq!(results, worker_free_search("zhangwei"));
            break;
        }
    }
    assert!(
        seen.windows(2).all(|w| w[0] < w[1]),
        "replies in order: {seen:?}"
    );
    let bad = worker.search("grade:superb", 5);
    let reply = worker.recv_timeout(Duration::from_secs(30)).unwrap();
    assert_eq!(reply.ticket, bad);
    assert!(matches!(
        reply.outcome,
        Err(QueryError::UnknownValue { .. })
    ));
}

fn worker_free_search(query: &str) -> Results {
    SearchIndex::from_records(city(8000, 2))
        .search(query, 20)
        .unwrap()
}

#[test]
fn updates_and_removals_are_seen_by_the_next_search() {
    let mut index = SearchIndex::from_records(city(200, 4));
    let before = index.len();
    let mut session = Session::new();
    let found = session
        .search(&index, "ouyang", 10, &Cancel::never())
        .unwrap()
        .unwrap();
    let person = found.hits[0].person_id;
    // Renamed: found by the new name only, and the session does not narrow across it.
    let mut r = record(person, "查晓明", "南京钟山软件有限公司");
    r.grade = Some(Grade::Special);
    index.upsert(r);
    assert_eq!(index.len(), before);
    let now = session
        .search(&index, "ouyangx", 10, &Cancel::never())
        .unwrap()
        .unwrap();
    assert!(!now.narrowed);
    assert!(now.hits.iter().all(|h| h.person_id != person));
    let r = index.search("zhaxiaoming grade:special", 5).unwrap();
    assert_eq!(r.hits[0].person_id, person);
    assert_eq!(r.hits[0].kind, MatchKind::Exact);
    assert!(index.remove(person));
    assert!(!index.contains(person));
    assert!(index.search("zhaxiaoming", 5).unwrap().hits.is_empty());
    assert_eq!(index.len(), before - 1);
    // A new person joins.
    index.upsert(record(9999, "覃小敏", "南京钟山软件有限公司"));
    assert_eq!(index.search("qinxm", 5).unwrap().hits[0].person_id, 9999);
}

#[test]
fn refresh_reads_one_person_again_from_the_database() {
    let (_dir, copy) = demo_copy();
    let svc = Service::system(Store::open(&copy).unwrap(), "test");
    let mut index = svc.search_index().unwrap();
    let (id, name): (i64, String) = common::db(&svc)
        .query_row(
            "SELECT id, name FROM persons ORDER BY id LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    common::db(&svc)
        .execute(
            "UPDATE persons SET position = '党委专职副书记' WHERE id = ?1",
            [id],
        )
        .unwrap();
    index.refresh(common::db(&svc), id).unwrap();
    let r = index.search(&name, 5).unwrap();
    assert_eq!(r.hits[0].position, "党委专职副书记");
    index.refresh(common::db(&svc), 1_000_000).unwrap();
    assert!(!index.contains(1_000_000));
    // Through the worker.
    let worker = SearchWorker::spawn(index);
    common::db(&svc)
        .execute(
            "UPDATE persons SET position = '党总支书记' WHERE id = ?1",
            [id],
        )
        .unwrap();
    worker.refresh(common::db(&svc), id).unwrap();
    let ticket = worker.search(&name, 5);
    let reply = worker.recv_timeout(Duration::from_secs(30)).unwrap();
    assert_eq!(reply.ticket, ticket);
    assert_eq!(reply.outcome.unwrap().hits[0].position, "党总支书记");
}

#[test]
fn the_search_command_prints_masked_matches_and_refuses_bad_queries() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("demo.sqlite3");
    let db = db.to_str().unwrap();
    common::init_demo(dir.path(), db);
    let out = common::run_pingshen(dir.path(), &["--db", db, "search", "zhang", "h"], "");
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    let line = text.lines().find(|l| l.starts_with("张浩")).unwrap();
    assert!(line.contains("南京智达鑫物业管理有限公司"), "{line}");
    assert!(line.contains("**************2778"), "{line}");
    let full_id = regex_like_full_id(&text);
    assert!(full_id.is_none(), "a full ID number in {text}");

    let out = common::run_pingshen(
        dir.path(),
        &["--db", db, "search", "--json", "--limit", "3", "z"],
        "",
    );
    assert!(out.status.success());
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let hits = json.as_array().unwrap();
    assert_eq!(hits.len(), 3);
    for h in hits {
        let id = h["masked_id"].as_str().unwrap();
        assert!(id.starts_with("**************"), "{id}");
    }
    assert!(regex_like_full_id(&String::from_utf8_lossy(&out.stdout)).is_none());

    let out = common::run_pingshen(dir.path(), &["--db", db, "search", "colour:red"], "");
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("unknown filter 'colour:'"), "{err}");

    let out = common::run_pingshen(dir.path(), &["--db", "missing.sqlite3", "search", "zw"], "");
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("no such database"));
}

/// The first run of 17 digits followed by a digit or X: a full ID number.
fn regex_like_full_id(text: &str) -> Option<String> {
    let chars: Vec<char> = text.chars().collect();
    chars.windows(18).find_map(|w| {
        let ok =
            w[..17].iter().all(char::is_ascii_digit) && (w[17].is_ascii_digit() || w[17] == 'X');
        ok.then(|| w.iter().collect())
    })
}

#[test]
fn a_search_after_an_empty_query_finds_what_a_fresh_one_finds() {
    // The app's popup searches "" on opening, then each keystroke.
    let index = index();
    let never = pingshen::search::Cancel::never();
    let mut session = Session::new();
    let empty = session.search(index, "", 20, &never).unwrap().unwrap();
    let _ = empty;
    for query in ["o", "oy"] {
        let typed = session.search(index, query, 20, &never).unwrap().unwrap();
        assert_eq!(names(&typed), names(&search(query)), "{query}");
    }
    assert!(!names(&search("oy")).is_empty(), "the demo has 欧阳…");
}

#[test]
fn an_index_builds_from_a_database_in_memory_and_leaves_a_file_s_settings_alone() {
    let svc = pingshen::service::demo::in_memory().unwrap();
    let index = svc.search_index().unwrap();
    assert_eq!(index.len(), count("SELECT count(*) FROM persons"));
    let file = conn();
    let mmap = |c: &rusqlite::Connection| -> i64 {
        c.pragma_query_value(None, "mmap_size", |r| r.get(0))
            .unwrap()
    };
    let before = mmap(&file);
    SearchIndex::build(&file).unwrap();
    assert_eq!(mmap(&file), before);
}

#[test]
fn sync_reindexes_only_who_changed_and_drops_who_is_gone() {
    let (_dir, copy) = demo_copy();
    let conn = common::open_db(&copy);
    let mut index = SearchIndex::build(&conn).unwrap();
    assert_eq!(index.sync(&conn).unwrap(), 0, "nothing changed");
    let id: i64 = conn
        .query_row("SELECT id FROM persons ORDER BY id LIMIT 1", [], |r| {
            r.get(0)
        })
        .unwrap();
    conn.execute("UPDATE persons SET name = '欧阳测试' WHERE id = ?1", [id])
        .unwrap();
    assert_eq!(index.sync(&conn).unwrap(), 1);
    let r = index.search("oycs", 5).unwrap();
    assert_eq!(r.hits.first().map(|h| h.person_id), Some(id));
    // A person gone from the database leaves the index.
    conn.execute_batch("PRAGMA foreign_keys = OFF").unwrap();
    conn.execute("DELETE FROM persons WHERE id = ?1", [id])
        .unwrap();
    assert_eq!(index.sync(&conn).unwrap(), 1);
    assert!(!index.contains(id));
    assert!(index.search("oycs", 5).unwrap().hits.is_empty());
}

#[test]
fn a_worker_reads_its_own_file_and_follows_changes() {
    let (_dir, copy) = demo_copy();
    let worker = SearchWorker::open(&copy);
    let ticket = worker.search("oy", 5);
    let reply = worker.recv_timeout(Duration::from_secs(30)).unwrap();
    assert!(worker.is_ready() && worker.failure().is_none());
    assert_eq!(reply.ticket, ticket);
    let hits = reply.outcome.unwrap().hits;
    assert!(hits[0].name.starts_with("欧阳"), "{hits:?}");
    let conn = common::open_db(&copy);
    conn.execute(
        "UPDATE persons SET position = '党委专职副书记' WHERE id = ?1",
        [hits[0].person_id],
    )
    .unwrap();
    worker.sync(&conn).unwrap();
    worker.search(&hits[0].name, 5);
    let reply = worker.recv_timeout(Duration::from_secs(30)).unwrap();
    assert_eq!(reply.outcome.unwrap().hits[0].position, "党委专职副书记");
}

#[test]
fn a_worker_whose_file_cannot_be_read_says_where() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("gone.sqlite3");
    let worker = SearchWorker::open(&missing);
    worker.search("zw", 5);
    let reply = worker.recv_timeout(Duration::from_secs(30)).unwrap();
    assert!(reply.outcome.unwrap().hits.is_empty());
    let failure = worker.failure().expect("a failure");
    assert!(failure.contains("gone.sqlite3"), "{failure}");
}

#[test]
fn a_replaced_index_is_never_narrowed_from_the_old_one() {
    // Two cities of the same size: their indexes count the same number of changes.
    let worker = SearchWorker::spawn(SearchIndex::from_records(city(2000, 1)));
    let ask = |text: &str| {
        let ticket = worker.search(text, 50);
        let reply = worker.recv_timeout(Duration::from_secs(30)).unwrap();
        assert_eq!(reply.ticket, ticket);
        reply.outcome.unwrap()
    };
    ask("z");
    let other = city(2000, 2);
    worker.replace(SearchIndex::from_records(other.clone()));
    let got = ask("zh");
    let fresh = SearchIndex::from_records(other).search("zh", 50).unwrap();
    assert!(!got.narrowed, "started afresh");
    assert_eq!(names(&got), names(&fresh));
    assert_eq!(got.total, fresh.total);
}

/// One case of `tests/fixtures/hard_names.toml`.
#[derive(serde::Deserialize)]
struct HardCase {
    query: String,
    #[serde(default)]
    top: Vec<String>,
    #[serde(default)]
    found: Vec<String>,
    #[serde(default)]
    absent: Vec<String>,
}

#[derive(serde::Deserialize)]
struct HardNames {
    persons: Vec<String>,
    case: Vec<HardCase>,
}

#[test]
fn hard_names_rank_as_the_held_out_file_expects() {
    let file: HardNames =
        toml::from_str(include_str!("fixtures/hard_names.toml")).expect("the file parses");
    let records: Vec<PersonRecord> = file
        .persons
        .iter()
        .enumerate()
        .map(|(i, name)| {
            let mut r = record(i as i64 + 1, name, "");
            (r.county, r.township, r.position) = (String::new(), String::new(), String::new());
            r
        })
        .collect();
    let index = SearchIndex::from_records(records);
    let mut wrong = Vec::new();
    for case in &file.case {
        let r = index.search(&case.query, 100).unwrap();
        let got: Vec<(&str, MatchKind)> =
            r.hits.iter().map(|h| (h.name.as_str(), h.kind)).collect();
        let first: Vec<&str> = got.iter().take(case.top.len()).map(|g| g.0).collect();
        if first != case.top {
            wrong.push(format!("{}: top {:?}, got {got:?}", case.query, case.top));
        }
        for name in &case.found {
            match got.iter().position(|g| g.0 == name) {
                None => wrong.push(format!("{}: {name} not found: {got:?}", case.query)),
                Some(at) if at < case.top.len() || got[at].1 >= MatchKind::Prefix => {
                    wrong.push(format!("{}: {name} ranked as spelled: {got:?}", case.query))
                }
                Some(_) => {}
            }
        }
        for name in &case.absent {
            if got.iter().any(|g| g.0 == name) {
                wrong.push(format!("{}: {name} found: {got:?}", case.query));
            }
        }
    }
    assert!(wrong.is_empty(), "{wrong:#?}");
}

#[test]
fn on_the_demo_zg_ranks_nobody_above_zhuge_who_does_not_read_z_g() {
    let r = search("zg");
    let zhuge = r
        .hits
        .iter()
        .position(|h| h.name.starts_with("诸葛"))
        .unwrap_or_else(|| panic!("诸葛 is found: {:?}", names(&r)));
    // Above 诸葛: names whose first two characters have a usual reading starting with
    // z and with g (the dictionary's first, or a surname's).
    let reads = |c: char, letter: char| {
        use pinyin::{ToPinyin, ToPinyinMulti};
        let first = c.to_pinyin().map(|p| p.plain().starts_with(letter));
        let surname = ['曾', '查', '翟', '仇', '解', '单', '朴'].contains(&c)
            && c.to_pinyin_multi()
                .into_iter()
                .flatten()
                .any(|p| p.plain().starts_with(letter));
        first == Some(true) || surname
    };
    for h in &r.hits[..zhuge] {
        let mut chars = h.name.chars();
        let (a, b) = (chars.next().unwrap(), chars.next().unwrap());
        assert!(
            reads(a, 'z') && reads(b, 'g') && h.kind >= MatchKind::Prefix,
            "{} ({:?}) above 诸葛: {:?}",
            h.name,
            h.kind,
            names(&r)
        );
    }
}

#[test]
fn the_index_kept_with_the_database_follows_each_change_by_itself() {
    let (_dir, copy) = demo_copy();
    let conn = common::open_db(&copy);
    let kept =
        |conn: &rusqlite::Connection| common::count(conn, "SELECT count(*) FROM search_index");
    assert_eq!(kept(&conn), 0, "a database from before keeps none");
    // The first open builds it from the tables and keeps it.
    let mut index = SearchIndex::open(&conn).unwrap();
    assert_eq!(kept(&conn), 1);
    assert_eq!(
        common::count(&conn, "SELECT count(*) FROM search_changes"),
        0,
        "the changes it holds are forgotten"
    );
    let fresh = |query: &str| {
        SearchIndex::build(&conn)
            .unwrap()
            .search(query, 20)
            .unwrap()
    };
    assert_eq!(
        SearchIndex::open(&conn).unwrap().search("oy", 20).unwrap(),
        fresh("oy")
    );
    let id: i64 = conn
        .query_row("SELECT id FROM persons ORDER BY id LIMIT 1", [], |r| {
            r.get(0)
        })
        .unwrap();
    // A write noted person by person: the sync reads that one person, even when the
    // write left the row as it was (the full comparison would find no change).
    conn.execute("UPDATE persons SET position = position WHERE id = ?1", [id])
        .unwrap();
    assert_eq!(index.sync(&conn).unwrap(), 1);
    conn.execute("UPDATE persons SET name = '欧阳测试' WHERE id = ?1", [id])
        .unwrap();
    assert_eq!(index.sync(&conn).unwrap(), 1);
    assert_eq!(index.search("oycs", 5).unwrap().hits[0].person_id, id);
    // An organisation renamed: its persons, and only they, are read again.
    let (org, members): (i64, i64) = conn
        .query_row(
            "SELECT org_id, count(*) FROM persons GROUP BY org_id ORDER BY 2 DESC LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    conn.execute(
        "UPDATE organisations SET name = '测试改名有限公司' WHERE id = ?1",
        [org],
    )
    .unwrap();
    assert_eq!(index.sync(&conn).unwrap(), members as usize);
    // Another start takes the kept index and the changes since: what a build finds.
    for query in ["oycs", "csgm", "zw", "grade:senior"] {
        assert_eq!(
            SearchIndex::open(&conn).unwrap().search(query, 20).unwrap(),
            fresh(query),
            "{query}"
        );
        assert_eq!(index.search(query, 20).unwrap(), fresh(query), "{query}");
    }
    // A new cycle changes everyone's stage: everyone is read again.
    conn.execute("UPDATE cycles SET status = 'closed'", [])
        .unwrap();
    assert!(index.sync(&conn).unwrap() > 0);
    assert_eq!(index.search("stage:none", 20).unwrap(), fresh("stage:none"));
    assert_eq!(
        SearchIndex::open(&conn)
            .unwrap()
            .search("stage:none", 20)
            .unwrap(),
        fresh("stage:none")
    );
}
