//! Independence without exceptions: while a candidate's result is not final, no export
//! of any kind — the tables, the audit log, the printed forms, their CSV and JSON, the
//! refusals — carries a score value, comment or reason of a member other than the one
//! asking. Performed on the demo (an open scoring session with drafts and submitted
//! sheets, and candidates whose results are final) as every member and as the
//! operator. The demo runs on its own fixed clock.

use crate::common::{csv_records, demo_as};
use pingshen::cli::export;
use pingshen::domain::Role;
use pingshen::service::export::{ExportKind, WITHHELD};
use pingshen::service::files::{self, Format};
use pingshen::service::forms::FormKind;
use pingshen::service::{members, Service, ServiceError};
use pingshen::table::Table;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::Path;

/// One stored score: (application, member, criterion) -> (value, comment).
type Scores = BTreeMap<(i64, i64, String), (f64, String)>;

/// What the database holds, read once behind the service's back.
struct Truth {
    scores: Scores,
    /// Applications whose result is final.
    finals: BTreeSet<i64>,
    /// Member id by name, and name by id.
    member_ids: HashMap<String, i64>,
    /// Candidate's name by application, for the applications that were scored.
    candidates: HashMap<String, i64>,
}

impl Truth {
    fn read(svc: &Service) -> Truth {
        let conn = crate::common::db(svc);
        let mut stmt = conn
            .prepare("SELECT application_id, member_id, criterion, value, comment FROM scores")
            .unwrap();
        let scores: Scores = stmt
            .query_map([], |r| {
                Ok(((r.get(0)?, r.get(1)?, r.get(2)?), (r.get(3)?, r.get(4)?)))
            })
            .unwrap()
            .map(Result::unwrap)
            .collect();
        let mut stmt = conn
            .prepare("SELECT id FROM applications WHERE result_passed IS NOT NULL")
            .unwrap();
        let finals = stmt
            .query_map([], |r| r.get(0))
            .unwrap()
            .map(Result::unwrap)
            .collect();
        let mut stmt = conn
            .prepare(
                "SELECT DISTINCT p.name, a.id FROM scores s JOIN applications a ON a.id = s.application_id
                 JOIN persons p ON p.id = a.person_id",
            )
            .unwrap();
        let candidates: HashMap<String, i64> = stmt
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .unwrap()
            .map(Result::unwrap)
            .collect();
        let scored: BTreeSet<i64> = scores.keys().map(|(a, _, _)| *a).collect();
        assert_eq!(candidates.len(), scored.len(), "one name per candidate");
        let member_ids = members::list(svc.store())
            .unwrap()
            .into_iter()
            .map(|m| (m.name, m.id))
            .collect();
        Truth {
            scores,
            finals,
            member_ids,
            candidates,
        }
    }

    /// Whether `actor` may be shown the value `member` gave for `app`.
    fn may_see(&self, actor: Option<i64>, app: i64, member: i64) -> bool {
        actor == Some(member) || self.finals.contains(&app)
    }

    /// The scores `actor` must never be shown: other members' on candidates whose
    /// result is not final.
    fn secret(&self, actor: Option<i64>) -> Scores {
        self.scores
            .iter()
            .filter(|((a, m, _), _)| !self.may_see(actor, *a, *m))
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect()
    }
}

const EVERYONE: [Option<&str>; 8] = [
    None,
    Some("周明远"),
    Some("陈静怡"),
    Some("刘志强"),
    Some("孙丽华"),
    Some("马晓东"),
    Some("何欣然"),
    Some("吴婷"),
];

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() < 1e-6
}

/// A refusal names no secret: no number in it (other than an `#id`) is a secret
/// value, and no secret comment is in it.
fn check_refusal(e: &ServiceError, secret: &Scores) {
    let text = e.to_string();
    let mut numbers = Vec::new();
    let mut token = String::new();
    let mut after_hash = false;
    for ch in text.chars().chain([' ']) {
        if ch.is_ascii_digit() || (ch == '.' && !token.is_empty()) {
            token.push(ch);
        } else {
            if !token.is_empty() && !after_hash {
                if let Ok(n) = token.trim_end_matches('.').parse::<f64>() {
                    numbers.push(n);
                }
            }
            token.clear();
            after_hash = ch == '#';
        }
    }
    for ((a, m, c), (v, comment)) in secret {
        assert!(
            !numbers.iter().any(|n| close(*n, *v)),
            "a refusal shows #{a} {m} {c}'s value {v}: {text}"
        );
        assert!(
            comment.is_empty() || !text.contains(comment.as_str()),
            "a refusal shows a comment: {text}"
        );
    }
}

/// A table written as CSV and as JSON and read back: what a file would hold.
fn through_files(table: &Table, dir: &Path) -> Vec<Table> {
    let mut out = Vec::new();
    for (format, ext) in [(Format::Csv, "csv"), (Format::Json, "json")] {
        let path = dir.join(format!("{}.{ext}", table.source));
        export::write_table(table, format, Some(&path)).unwrap();
        let text = std::fs::read_to_string(&path).unwrap();
        let back = match format {
            Format::Csv => files::parse_csv(ext, &text).unwrap(),
            _ => {
                // JSON: check it is the same table, cell by cell.
                let items: Vec<serde_json::Map<String, Value>> =
                    serde_json::from_str(&text).unwrap();
                let mut t = Table::new(ext, &[]);
                t.headers = table.headers.clone();
                for item in items {
                    t.push(
                        t.headers
                            .iter()
                            .map(|h| match &item[h] {
                                Value::Null => String::new(),
                                Value::String(s) => s.clone(),
                                v => v.to_string(),
                            })
                            .collect(),
                    );
                }
                t
            }
        };
        assert_eq!(back.headers, table.headers);
        assert_eq!(back.len(), table.len());
        out.push(back);
    }
    out
}

fn cell<'a>(t: &Table, row: &'a [String], name: &str) -> &'a str {
    &row[t.column(name).unwrap_or_else(|| panic!("no column {name}"))]
}

/// Every (app, member, criterion, value) the scores export shows, checked against
/// the truth; returns what it shows.
fn scores_shown(t: &Table, truth: &Truth) -> BTreeSet<(i64, i64, String)> {
    let mut shown = BTreeSet::new();
    for r in &t.rows {
        let app: i64 = cell(t, &r.cells, "application_id").parse().unwrap();
        let member = truth.member_ids[cell(t, &r.cells, "member")];
        let criterion = cell(t, &r.cells, "criterion").to_string();
        let value: f64 = cell(t, &r.cells, "value").parse().unwrap();
        let (stored, comment) = &truth.scores[&(app, member, criterion.clone())];
        assert!(close(value, *stored));
        assert_eq!(cell(t, &r.cells, "comment"), comment);
        shown.insert((app, member, criterion));
    }
    shown
}

/// The JSON notes of an audit row hold no score content: no value, comment, reason
/// or result.
fn note_keys(note: &str) -> BTreeSet<String> {
    fn walk(v: &Value, keys: &mut BTreeSet<String>) {
        match v {
            Value::Object(m) => {
                for (k, v) in m {
                    keys.insert(k.clone());
                    walk(v, keys);
                }
            }
            Value::Array(a) => a.iter().for_each(|v| walk(v, keys)),
            _ => {}
        }
    }
    let mut keys = BTreeSet::new();
    if let Ok(v) = serde_json::from_str::<Value>(note) {
        walk(&v, &mut keys);
    }
    keys
}

/// The application an audit row is about, if any.
fn audited_app(entity: &str, entity_id: &str) -> Option<i64> {
    match entity {
        "application" => entity_id.parse().ok(),
        "sheet" => entity_id.split('/').next()?.parse().ok(),
        _ => None,
    }
}

/// Checks the audit export as `actor`: score content about an unfinished candidate
/// by someone else is withheld, and so is every hash that covers it; the rest is as
/// stored. Returns how many rows of score content were shown and withheld.
fn check_audit(t: &Table, svc: &Service, truth: &Truth, actor: Option<i64>) -> (usize, usize) {
    let score_actions = ["score", "revise", "comment", "finalise"];
    let content = ["value", "comment", "result", "threshold"];
    let stored: Vec<(String, String, String)> = {
        let mut stmt = crate::common::db(svc)
            .prepare(
                "SELECT coalesce(before, ''), coalesce(after, ''), hash FROM audit ORDER BY id",
            )
            .unwrap();
        stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .unwrap()
            .map(Result::unwrap)
            .collect()
    };
    assert_eq!(t.len(), stored.len(), "every row is kept");
    let (mut shown, mut withheld) = (0, 0);
    let mut chain_broken = false;
    for (r, (before, after, hash)) in t.rows.iter().zip(&stored) {
        let c = &r.cells;
        let action = cell(t, c, "action");
        let app = audited_app(cell(t, c, "entity"), cell(t, c, "entity_id"));
        let by: Option<i64> = cell(t, c, "actor_id").parse().ok();
        assert!(!cell(t, c, "actor").is_empty() && !cell(t, c, "at").is_empty());
        let about_scores = score_actions.contains(&action);
        let own = by.is_some() && by == actor && action != "finalise";
        let hidden = match app {
            Some(app) if about_scores => !(own || truth.finals.contains(&app)),
            _ => false,
        };
        let (b, a) = (cell(t, c, "before"), cell(t, c, "after"));
        if hidden {
            withheld += 1;
            for (shown, stored) in [(b, before), (a, after)] {
                if !stored.is_empty() {
                    assert_eq!(shown, WITHHELD, "row {}: {action}", cell(t, c, "id"));
                }
            }
            chain_broken = true;
        } else {
            assert_eq!((b, a), (before.as_str(), after.as_str()));
            if about_scores && app.is_some() {
                shown += 1;
            }
            // Nothing about an unfinished candidate by someone else slips through
            // under another action.
            if let Some(app) = app.filter(|a| !truth.finals.contains(a)) {
                if !own {
                    for note in [b, a] {
                        let keys = note_keys(note);
                        assert!(
                            content.iter().all(|k| !keys.contains(*k)),
                            "#{app} {action}: {note}"
                        );
                    }
                }
            }
        }
        if chain_broken {
            assert_eq!(cell(t, c, "hash"), WITHHELD);
        } else {
            assert_eq!(cell(t, c, "hash"), hash);
        }
    }
    (shown, withheld)
}

/// A printed form written as CSV through the command line's writer.
fn form_csv(
    svc: &Service,
    kind: FormKind,
    member: Option<&str>,
    app: Option<i64>,
    dir: &Path,
) -> Result<Vec<Vec<String>>, String> {
    let path = dir.join(format!("{}.csv", kind.code()));
    export::forms(svc, kind, member, app, Format::Csv, Some(&path)).map_err(|e| e.to_string())?;
    Ok(csv_records(std::fs::read(&path).unwrap()))
}

#[test]
fn no_export_shows_another_members_value_before_the_result_is_final() {
    for name in EVERYONE {
        let mut svc = demo_as(name);
        let truth = Truth::read(&svc);
        let me = name.map(|n| truth.member_ids[n]);
        let secret = truth.secret(me);
        assert!(
            secret.keys().any(|(a, _, _)| !truth.finals.contains(a)),
            "the demo has scores still being given"
        );
        let dir = tempfile::tempdir().unwrap();
        let role = svc.role();
        let who = name.unwrap_or("the operator");

        // The tables, as built and as written to CSV and JSON.
        for kind in ExportKind::ALL {
            let table = match svc.export(kind, false) {
                Ok(t) => t,
                Err(e) => {
                    check_refusal(&e, &secret);
                    continue;
                }
            };
            let mut tables = through_files(&table, dir.path());
            tables.insert(0, table);
            for t in &tables {
                match kind {
                    ExportKind::Scores => {
                        let shown = scores_shown(t, &truth);
                        for (a, m, c) in &shown {
                            assert!(truth.may_see(me, *a, *m), "{who}: #{a} {m} {c}");
                        }
                        // Final candidates' values and the chair's own are there.
                        let expected: BTreeSet<(i64, i64, String)> = truth
                            .scores
                            .keys()
                            .filter(|(a, m, _)| truth.may_see(me, *a, *m))
                            .cloned()
                            .collect();
                        assert_eq!(shown, expected, "{who}");
                        assert!(shown.iter().any(|(a, _, _)| truth.finals.contains(a)));
                        if me.is_some() {
                            assert!(shown
                                .iter()
                                .any(|(a, m, _)| Some(*m) == me && !truth.finals.contains(a)));
                        }
                    }
                    ExportKind::Audit => {
                        let (shown, withheld) = check_audit(t, &svc, &truth, me);
                        assert!(withheld > 0, "{who}: the demo's drafts are withheld");
                        assert!(shown > 0, "{who}: final candidates' scores are shown");
                    }
                    ExportKind::Applications => {
                        for r in &t.rows {
                            let app: i64 = cell(t, &r.cells, "id").parse().unwrap();
                            if !truth.finals.contains(&app) {
                                assert_eq!(cell(t, &r.cells, "result_score"), "", "#{app}");
                            } else if !cell(t, &r.cells, "result_passed").is_empty() {
                                assert_ne!(cell(t, &r.cells, "result_score"), "", "#{app}");
                            }
                        }
                    }
                    ExportKind::Persons => {}
                }
            }
        }

        // Every member's score sheets, as the service gives them and as printed.
        for (member_name, &member) in &truth.member_ids {
            match svc.member_sheets(member) {
                Err(e) => {
                    let scorer = matches!(role, Some(Role::Chair) | Some(Role::Member));
                    assert!(!scorer || me != Some(member), "{who} may take their own");
                    check_refusal(&e, &secret);
                }
                Ok(sheets) => {
                    for r in &sheets.rows {
                        assert!(truth.may_see(me, r.app_id, member), "{who}: #{}", r.app_id);
                        for (c, v) in sheets.rules.criteria.iter().zip(&r.values) {
                            let stored = truth.scores.get(&(r.app_id, member, c.key.clone()));
                            assert_eq!(v.is_some(), stored.is_some());
                            if let (Some(v), Some((s, _))) = (v, stored) {
                                assert!(close(*v, *s));
                            }
                        }
                    }
                    if me == Some(member) {
                        assert_eq!(sheets.withheld, 0);
                    }
                    let rows = form_csv(&svc, FormKind::Sheet, Some(member_name), None, dir.path())
                        .unwrap();
                    let n = sheets.rules.criteria.len();
                    let mut printed = 0;
                    for row in &rows {
                        let Some(&app) = row.get(1).and_then(|c| truth.candidates.get(c)) else {
                            continue;
                        };
                        printed += 1;
                        assert!(truth.may_see(me, app, member), "{who}: {row:?}");
                        for (i, c) in sheets.rules.criteria.iter().enumerate() {
                            let (s, _) = &truth.scores[&(app, member, c.key.clone())];
                            assert!(close(row[4 + i].parse().unwrap(), *s), "{row:?}");
                        }
                        assert!(row.len() > 4 + n);
                    }
                    assert_eq!(printed, sheets.rows.len());
                }
            }
        }

        // The summaries and the ranking: final results only, for whoever may see them.
        match svc.summaries(None) {
            Err(e) => check_refusal(&e, &secret),
            Ok(s) => {
                assert!(s.withheld > 0);
                assert!(!s.results.is_empty());
                for r in &s.results {
                    assert!(truth.finals.contains(&r.app_id), "{who}: {}", r.name);
                }
                let rows = form_csv(&svc, FormKind::Summary, None, None, dir.path()).unwrap();
                let named: Vec<i64> = rows
                    .iter()
                    .filter_map(|r| r.first()?.strip_prefix("候选人："))
                    .map(|c| {
                        let name = c.split('　').next().unwrap();
                        truth.candidates[name]
                    })
                    .collect();
                assert_eq!(named.len(), s.results.len());
                assert!(named.iter().all(|a| truth.finals.contains(a)), "{who}");
            }
        }
        for app in truth.candidates.values() {
            match svc.summaries(Some(*app)) {
                Ok(s) => assert!(truth.finals.contains(app) && s.results.len() == 1),
                Err(e) => {
                    check_refusal(&e, &secret);
                    if let Err(e) = form_csv(&svc, FormKind::Summary, None, Some(*app), dir.path())
                    {
                        assert!(!secret
                            .iter()
                            .any(|(_, (_, c))| !c.is_empty() && e.contains(c)));
                    }
                }
            }
        }
        match svc.ranking_sheet() {
            Err(e) => check_refusal(&e, &secret),
            Ok(s) => {
                assert!(s.withheld > 0);
                let ranked: Vec<i64> = s
                    .grades
                    .iter()
                    .flat_map(|(_, _, rows)| rows.iter().map(|r| r.app_id))
                    .collect();
                assert!(!ranked.is_empty());
                assert!(ranked.iter().all(|a| truth.finals.contains(a)), "{who}");
                let rows = form_csv(&svc, FormKind::Ranking, None, None, dir.path()).unwrap();
                let printed: Vec<i64> = rows
                    .iter()
                    .filter_map(|r| truth.candidates.get(r.get(2)?).copied())
                    .collect();
                assert_eq!(printed.len(), ranked.len());
                assert!(printed.iter().all(|a| truth.finals.contains(a)), "{who}");
            }
        }
        // Nobody is refused the audit log or the scores silently by role alone.
        if role.is_none() {
            assert!(svc.export(ExportKind::Audit, false).is_ok());
        }
    }
}

#[test]
fn closing_scoring_does_not_let_unfinished_values_out() {
    let mut svc = demo_as(Some("周明远"));
    let truth = Truth::read(&svc);
    let me = truth.member_ids["周明远"];
    svc.close_scoring().unwrap();
    let t = svc.export(ExportKind::Scores, false).unwrap();
    for (a, m, c) in scores_shown(&t, &truth) {
        assert!(truth.may_see(Some(me), a, m), "#{a} {m} {c}");
    }
    let t = svc.export(ExportKind::Audit, false).unwrap();
    let (_, withheld) = check_audit(&t, &svc, &truth, Some(me));
    assert!(withheld > 0);
    let s = svc.summaries(None).unwrap();
    assert!(s.results.iter().all(|r| truth.finals.contains(&r.app_id)));
    let r = svc.ranking_sheet().unwrap();
    assert!(r
        .grades
        .iter()
        .all(|(_, _, rows)| rows.iter().all(|x| truth.finals.contains(&x.app_id))));
}

#[test]
fn the_others_totals_a_member_sees_are_in_no_ones_order() {
    let mut checked = 0;
    for name in ["陈静怡", "刘志强", "孙丽华", "马晓东", "何欣然"] {
        let svc = demo_as(Some(name));
        let truth = Truth::read(&svc);
        let me = truth.member_ids[name];
        let cycle = crate::common::db(&svc).query_row(
            "SELECT cycle_id FROM scoring_sessions WHERE closed_at IS NULL",
            [],
            |r| r.get::<_, i64>(0),
        );
        let cells = svc.my_cells(cycle.unwrap()).unwrap();
        for (app, cell) in cells {
            let Ok(sheet) = svc.my_sheet(app) else {
                continue;
            };
            // Only the member's own values on the sheet itself.
            for c in &sheet.criteria {
                let stored = truth.scores.get(&(app, me, c.key.clone()));
                assert_eq!(c.value, stored.map(|(v, _)| *v), "{name} #{app}");
            }
            let Some(others) = sheet.others else {
                assert_ne!(cell, pingshen::service::evaluation::Cell::Submitted);
                continue;
            };
            let rules = svc
                .cycle(svc.application(app).unwrap().cycle_id)
                .unwrap()
                .rules;
            let mut expected: Vec<f64> = svc
                .eligible_sheets(app)
                .unwrap()
                .iter()
                .filter(|s| s.member_id != me)
                .map(|s| s.total(&rules))
                .collect();
            let committee_order = expected.clone();
            expected.sort_by(|a, b| b.total_cmp(a));
            assert_eq!(others, expected, "{name} #{app}: highest first");
            if committee_order != expected {
                checked += 1;
            }
        }
    }
    assert!(
        checked > 0,
        "the demo shows some member others' totals whose committee order is not theirs"
    );
}
