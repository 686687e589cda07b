//! The public notice and what follows it, as the committee meets them through the
//! service layer: objections and their refusals, the chair's decisions, closing the
//! notice with gap-free certificate numbers (also from two terminals at once), annual
//! inspections, job changes and the allowance roll.
//!
//! The town: seven candidates of one 2026 cycle — four for 初级 junior, three holders of
//! 初级 for 中级 intermediate — and three holders certified before, under the demo rules
//! with a quorum of one sheet.

use chrono::{NaiveDate, NaiveDateTime};
mod common;
use common::{
    credit_code, id_number, last_action, login, member_id, rows_in, rules_with_quorum_of_one, table,
};
use pingshen::domain::certificate::{CertAction, CertStatus, CertificateError, InspectionOutcome};
use pingshen::domain::notice::{Channel, Decision, NoticeError, ObjectionState, Step};
use pingshen::domain::stage::{Position, Stage, Status, Transition};
use pingshen::domain::{Assessment, Deed, Grade};
use pingshen::service::applications::Rating;
use pingshen::service::certificates::{CertificateFilter, NewJobChange};
use pingshen::service::notice::{NewObjection, ObjectionFilter, Objector};
use pingshen::service::{Kind, Missing, Refusal, Service, ServiceError};
use pingshen::store::Store;
use std::path::Path;

fn day(m: u32, d: u32) -> NaiveDate {
    common::day(2026, m, d)
}

fn at(m: u32, d: u32, h: u32) -> NaiveDateTime {
    common::at(2026, m, d, h, 0)
}

/// The committee: name, role, PIN.
const COMMITTEE: [(&str, &str, &str); 7] = [
    ("周明远", "chair", "1001"),
    ("陈静怡", "member", "1002"),
    ("刘志强", "member", "1003"),
    ("孙丽华", "member", "1004"),
    ("马晓东", "member", "1005"),
    ("何欣然", "member", "1006"),
    ("吴婷", "secretary", "1007"),
];

/// Name, organisation (0 or 1), category, grade held and since when, grade applied for.
type Person = (
    &'static str,
    usize,
    &'static str,
    Option<(&'static str, &'static str)>,
    Option<&'static str>,
);

const PEOPLE: [Person; 10] = [
    ("张伟", 0, "secretary", None, Some("junior")),
    ("李娜", 1, "staff", None, Some("junior")),
    ("王强", 0, "secretary", None, Some("junior")),
    ("赵敏", 1, "secretary", None, Some("junior")),
    (
        "钱军",
        0,
        "secretary",
        Some(("junior", "2022-03-01")),
        Some("intermediate"),
    ),
    (
        "孙悦",
        1,
        "staff",
        Some(("junior", "2022-03-01")),
        Some("intermediate"),
    ),
    (
        "周洁",
        0,
        "staff",
        Some(("junior", "2022-03-01")),
        Some("intermediate"),
    ),
    (
        "吴刚",
        1,
        "staff",
        Some(("intermediate", "2021-06-01")),
        None,
    ),
    ("郑丽", 0, "secretary", Some(("senior", "2020-06-01")), None),
    ("冯涛", 1, "secretary", Some(("junior", "2023-06-01")), None),
];

const ORGS: [(&str, &str); 2] = [
    ("南京示例科技有限公司", "秦淮区"),
    ("玄武区示例商会", "玄武区"),
];

fn org_code(i: usize) -> String {
    credit_code(&format!("91320102MA1AB000{}", i + 1))
}

fn id_of(i: usize) -> String {
    // 320102, born 1980-MM-15, sequence 01N.
    id_number(&format!("3201021980{:02}1501{}", i + 1, i % 10))
}

fn phone_of(i: usize) -> String {
    format!("1390000200{i}")
}

/// The town on `store`, acting as the operator.
fn town_on(store: Store, rules: &str) -> Service {
    let mut svc = Service::system(store, "test");
    let today = day(11, 2);
    svc.set_today(today);
    svc.set_pin_policy(pingshen::service::members::PinPolicy::demo());
    let orgs = (0..2)
        .map(|i| {
            vec![
                org_code(i),
                ORGS[i].0.into(),
                "enterprise".into(),
                ORGS[i].1.into(),
            ]
        })
        .collect();
    svc.import(
        Kind::Organisations,
        &table("t.csv", &["code", "name", "kind", "county"], orgs),
    )
    .unwrap();
    let persons = PEOPLE
        .iter()
        .enumerate()
        .map(|(i, (name, org, category, held, _))| {
            vec![
                id_of(i),
                name.to_string(),
                org_code(*org),
                category.to_string(),
                "党支部书记".into(),
                "2019-05-01".into(),
                held.map_or(String::new(), |h| h.0.into()),
                held.map_or(String::new(), |h| h.1.into()),
                phone_of(i),
                format!("南京市秦淮区示例路{}号", i + 1),
            ]
        })
        .collect();
    svc.import(
        Kind::Persons,
        &table(
            "t.csv",
            &[
                "id_number",
                "name",
                "org_code",
                "category",
                "position",
                "post_start",
                "current_grade",
                "grade_since",
                "phone",
                "address",
            ],
            persons,
        ),
    )
    .unwrap();
    let each = |f: &dyn Fn(usize) -> Vec<String>| (0..PEOPLE.len()).map(f).collect();
    svc.import(
        Kind::Training,
        &table(
            "t.csv",
            &["id_number", "date", "days", "title"],
            each(&|i| {
                vec![
                    id_of(i),
                    "2026-03-10".into(),
                    "4".into(),
                    "党务干部培训班".into(),
                ]
            }),
        ),
    )
    .unwrap();
    svc.import(
        Kind::Assessments,
        &table(
            "t.csv",
            &["id_number", "year", "grade"],
            each(&|i| vec![id_of(i), "2025".into(), "competent".into()]),
        ),
    )
    .unwrap();
    let committee = COMMITTEE
        .iter()
        .map(|(n, r, p)| vec![n.to_string(), r.to_string(), p.to_string()])
        .collect();
    svc.import(
        Kind::Committee,
        &table("t.csv", &["name", "role", "pin"], committee),
    )
    .unwrap();
    svc.create_cycle(rules, 2026, day(9, 1)).unwrap();
    let declarations = PEOPLE
        .iter()
        .enumerate()
        .filter_map(|(i, p)| {
            p.4.map(|target| {
                vec![
                    id_of(i),
                    target.into(),
                    "2026-09-01".into(),
                    "本人申报党务工作者资格。".into(),
                ]
            })
        })
        .collect();
    svc.import(
        Kind::Declarations,
        &table(
            "t.csv",
            &["id_number", "target_grade", "declared_on", "statement"],
            declarations,
        ),
    )
    .unwrap();
    svc
}

/// Logs in as a committee member (by name), keeping the date acted on.
fn app_of(svc: &Service, name: &str) -> i64 {
    common::db(svc)
        .query_row(
            "SELECT a.id FROM applications a JOIN persons p ON p.id = a.person_id WHERE p.name = ?1",
            [name],
            |r| r.get(0),
        )
        .unwrap()
}

fn person_of(svc: &Service, name: &str) -> i64 {
    common::db(svc)
        .query_row("SELECT id FROM persons WHERE name = ?1", [name], |r| {
            r.get(0)
        })
        .unwrap()
}

/// Takes every candidate to the evaluation, scores them all 80 (as the chair, in one
/// session) and finalises those named in `first`; returns the chair's service.
fn evaluated(svc: Service, first: &[&str]) -> Service {
    let mut svc = login(svc, "周明远");
    let apps: Vec<i64> = PEOPLE
        .iter()
        .filter(|p| p.4.is_some())
        .map(|p| app_of(&svc, p.0))
        .collect();
    for &app in &apps {
        while svc.application(app).unwrap().position.stage < Stage::Evaluation {
            match svc.application(app).unwrap().position.stage {
                Stage::Test => svc.record_test_score(app, 80.0).unwrap(),
                Stage::SiteVisit => svc
                    .record_visit(
                        app,
                        day(10, 20),
                        "陈静怡、孙丽华",
                        "台账完整。",
                        Rating::Satisfied,
                    )
                    .map(|_| ())
                    .unwrap(),
                _ => {}
            }
            svc.transition(app, Transition::Advance).unwrap();
        }
    }
    svc.open_scoring().unwrap();
    for &app in &apps {
        for (c, v) in [
            "political",
            "competence",
            "tenure",
            "performance",
            "recognition",
        ]
        .iter()
        .zip([16.0, 20.0, 8.0, 24.0, 12.0])
        {
            svc.save_score(app, c, v).unwrap();
        }
        svc.submit_sheet(app).unwrap();
    }
    svc.close_scoring().unwrap();
    for name in first {
        svc.finalise(app_of(&svc, name)).unwrap();
    }
    svc
}

const CANDIDATES: [&str; 7] = ["张伟", "李娜", "王强", "赵敏", "钱军", "孙悦", "周洁"];

/// The town with all seven candidates in one notice, Mon 11-23 to Fri 11-27; today is
/// the notice's first day and the chair is logged in.
fn noticed() -> (Service, i64) {
    let mut svc = evaluated(
        town_on(
            Store::open_in_memory().unwrap(),
            &rules_with_quorum_of_one(),
        ),
        &CANDIDATES,
    );
    svc.set_today(day(11, 23));
    let (notice, start, end) = svc.start_notice(day(11, 23)).unwrap();
    assert_eq!((start, end), (day(11, 23), day(11, 27)));
    (svc, notice)
}

fn objection(app: i64, received_at: NaiveDateTime, named: bool) -> NewObjection {
    NewObjection {
        app_id: app,
        received_at,
        channel: if named {
            Channel::Letter
        } else {
            Channel::Phone
        },
        objector: named.then(|| Objector {
            name: "赵某".into(),
            contact: "13911112222".into(),
        }),
        content: "反映工作实绩材料有夸大。".into(),
        criterion: Some("performance".into()),
    }
}

fn uphold(findings: &str) -> Step {
    Step::Uphold {
        findings: findings.into(),
        verified_by: "陈静怡、孙丽华".into(),
    }
}

fn refused_by<T: std::fmt::Debug>(r: Result<T, ServiceError>, e: NoticeError) {
    match r {
        Err(ServiceError::Notice(got)) => assert_eq!(got, e),
        other => panic!("expected {e:?}, got {other:?}"),
    }
}

fn forbidden<T: std::fmt::Debug>(r: Result<T, ServiceError>, deed: Deed) {
    assert!(
        matches!(&r, Err(ServiceError::Forbidden { deed: d, .. }) if *d == deed),
        "{deed:?}: {r:?}"
    );
}

#[test]
fn the_notice_screen_counts_working_days_left_across_a_holiday_and_a_swapped_saturday() {
    let mut svc = evaluated(
        town_on(
            Store::open_in_memory().unwrap(),
            &rules_with_quorum_of_one(),
        ),
        &["张伟"],
    );
    // Tue 09-29, Wed 09-30, (Oct 1-7 off) Thu 10-08, Fri 10-09, Sat 10-10 (worked).
    svc.set_today(day(9, 28));
    let (id, _, end) = svc.start_notice(day(9, 29)).unwrap();
    assert_eq!(end, day(10, 10));
    let left = |svc: &mut Service, today: NaiveDate| {
        svc.set_today(today);
        let n = svc.notice(id).unwrap();
        assert_eq!(n.working_days, 5);
        (n.days_left, n.ended)
    };
    assert_eq!(left(&mut svc, day(9, 28)), (5, false), "before it starts");
    assert_eq!(left(&mut svc, day(9, 30)), (4, false));
    assert_eq!(left(&mut svc, day(10, 3)), (3, false), "a holiday");
    assert_eq!(
        left(&mut svc, day(10, 10)),
        (1, false),
        "the swapped Saturday"
    );
    assert_eq!(left(&mut svc, day(10, 11)), (0, true));
    let n = svc.latest_notice().unwrap();
    assert_eq!(n.candidates.len(), 1);
    let c = &n.candidates[0];
    assert_eq!(
        (c.name.as_str(), c.proposed, c.grade()),
        ("张伟", Grade::Junior, Grade::Junior)
    );
    assert_eq!(c.objections.total(), 0);
    assert!(c.pending() && c.certificate.is_none());
    assert_eq!(n.city, "南京市");
    assert!(n.objection_contact.contains("组织二处"));
}

#[test]
fn objections_move_received_verifying_upheld_or_dismissed_every_step_audited() {
    let (svc, _) = noticed();
    let (zhang, li) = (app_of(&svc, "张伟"), app_of(&svc, "李娜"));
    let mut svc = login(svc, "吴婷");
    svc.set_today(day(11, 25));
    let a = svc
        .record_objection(&objection(zhang, at(11, 24, 10), true))
        .unwrap();
    let b = svc
        .record_objection(&objection(li, at(11, 25, 9), false))
        .unwrap();
    assert_eq!(last_action(&svc), ("record".into(), "objection".into()));

    // The register masks the contact and filters by state.
    let row = svc.objection(a).unwrap();
    assert_eq!(row.contact_masked, "*******2222");
    assert_eq!(row.objector, "赵某");
    assert_eq!(
        row.criterion,
        Some(("performance".into(), "工作实绩".into()))
    );
    assert_eq!((row.state, row.late), (ObjectionState::Received, false));
    let anonymous = svc.objection(b).unwrap();
    assert!(!anonymous.named && anonymous.contact_masked.is_empty());

    // The secretary may see the full contact to verify, and that is audited.
    let before = rows_in(&svc, "audit");
    assert_eq!(svc.reveal_objection_contact(a).unwrap(), "13911112222");
    assert_eq!(rows_in(&svc, "audit"), before + 1);
    assert_eq!(last_action(&svc), ("reveal".into(), "objection".into()));
    assert_eq!(svc.reveal_objection_contact(b).unwrap(), "", "anonymous");
    assert!(matches!(
        svc.reveal_objection_contact(9999),
        Err(ServiceError::NotFound(Missing::Objection(9999)))
    ));

    // The secretary records the verification but does not conclude.
    let before = rows_in(&svc, "audit");
    assert_eq!(
        svc.objection_step(a, &Step::Verify).unwrap(),
        ObjectionState::Verifying
    );
    assert_eq!(rows_in(&svc, "audit"), before + 1);
    assert_eq!(last_action(&svc), ("verify".into(), "objection".into()));
    forbidden(
        svc.objection_step(a, &uphold("经核查属实")),
        Deed::ConcludeObjection,
    );

    let mut svc = login(svc, "陈静怡");
    forbidden(svc.reveal_objection_contact(a), Deed::RevealObjectorContact);
    refused_by(
        svc.objection_step(b, &uphold("经核查属实")),
        NoticeError::NotVerified,
    );
    refused_by(
        svc.objection_step(a, &uphold("  ")),
        NoticeError::FindingsRequired,
    );
    refused_by(
        svc.objection_step(
            a,
            &Step::Dismiss {
                findings: "不属实".into(),
                verified_by: " ".into(),
            },
        ),
        NoticeError::VerifierRequired,
    );
    let before = rows_in(&svc, "audit");
    assert_eq!(
        svc.objection_step(a, &uphold("经核查，申报的工作实绩有夸大。"))
            .unwrap(),
        ObjectionState::Upheld
    );
    assert_eq!(rows_in(&svc, "audit"), before + 1);
    let row = svc.objection(a).unwrap();
    assert_eq!(row.findings, "经核查，申报的工作实绩有夸大。");
    assert_eq!(row.verified_by, "陈静怡、孙丽华");
    refused_by(
        svc.objection_step(a, &Step::Verify),
        NoticeError::ObjectionConcluded(ObjectionState::Upheld),
    );
    // Withdrawn needs a note; then it is concluded.
    refused_by(
        svc.objection_step(b, &Step::Withdraw { note: "".into() }),
        NoticeError::ReasonRequired("withdraw an objection"),
    );
    svc.objection_step(
        b,
        &Step::Withdraw {
            note: "反映人来电撤回".into(),
        },
    )
    .unwrap();

    let by_state = |svc: &Service, s| {
        svc.objections(&ObjectionFilter {
            state: Some(s),
            ..ObjectionFilter::default()
        })
        .unwrap()
        .into_iter()
        .map(|o| o.id)
        .collect::<Vec<_>>()
    };
    assert_eq!(by_state(&svc, ObjectionState::Upheld), vec![a]);
    assert_eq!(by_state(&svc, ObjectionState::Withdrawn), vec![b]);
    assert!(svc
        .objections(&ObjectionFilter {
            open_only: true,
            ..ObjectionFilter::default()
        })
        .unwrap()
        .is_empty());
    let n = svc.latest_notice().unwrap();
    let zhang_row = n.candidates.iter().find(|c| c.app_id == zhang).unwrap();
    assert_eq!(
        (zhang_row.objections.upheld, zhang_row.objections.undecided),
        (1, 1)
    );
    // Nobody can record an objection dated in the future, or before the period.
    let r = svc.record_objection(&objection(li, at(11, 26, 9), true));
    assert!(
        matches!(
            &r,
            Err(ServiceError::Invalid(Refusal::ObjectionInFuture { received })) if *received == day(11, 26)
        ),
        "{r:?}"
    );
    let r = svc.record_objection(&objection(li, at(11, 20, 9), true));
    assert!(
        matches!(
            &r,
            Err(ServiceError::Invalid(Refusal::ObjectionBeforeNotice { received, .. })) if *received == day(11, 20)
        ),
        "{r:?}"
    );
    let mut unnamed = objection(li, at(11, 25, 9), true);
    unnamed.objector = Some(Objector {
        name: " ".into(),
        contact: "x".into(),
    });
    assert!(matches!(
        svc.record_objection(&unnamed),
        Err(ServiceError::Invalid(Refusal::ObjectionNeedsName))
    ));
}

#[test]
fn closing_waits_for_the_period_objections_and_decisions_then_certifies_in_order() {
    let (svc, notice) = noticed();
    let apps: Vec<i64> = CANDIDATES.iter().map(|n| app_of(&svc, n)).collect();
    let (zhang, li, wang, qian) = (apps[0], apps[1], apps[2], apps[4]);
    let mut svc = login(svc, "吴婷");
    svc.set_today(day(11, 27));
    let open = svc
        .record_objection(&objection(zhang, at(11, 24, 10), true))
        .unwrap();
    let upheld = svc
        .record_objection(&objection(li, at(11, 25, 10), true))
        .unwrap();
    let lowered = svc
        .record_objection(&objection(qian, at(11, 26, 10), false))
        .unwrap();
    // One more the day after the period: recorded, flagged late, and blocking like any.
    svc.set_today(day(11, 30));
    let late = svc
        .record_objection(&objection(wang, at(11, 30, 9), true))
        .unwrap();
    assert!(svc.objection(late).unwrap().late);

    let mut svc = login(svc, "陈静怡");
    for id in [upheld, lowered, late] {
        svc.objection_step(id, &Step::Verify).unwrap();
    }
    svc.objection_step(upheld, &uphold("培训证明系补开。"))
        .unwrap();
    svc.objection_step(lowered, &uphold("任职年限材料不实。"))
        .unwrap();
    svc.objection_step(
        late,
        &Step::Dismiss {
            findings: "逾期反映，经核查不属实。".into(),
            verified_by: "孙丽华".into(),
        },
    )
    .unwrap();
    // A member neither decides nor closes, and nobody certifies a candidate alone.
    forbidden(
        svc.decide_objection(upheld, Decision::NotCertify, "理由"),
        Deed::DecideObjection,
    );
    forbidden(svc.close_notice(notice), Deed::CloseNotice);
    let r = svc.transition(zhang, Transition::Advance);
    assert!(
        matches!(
            &r,
            Err(ServiceError::Invalid(Refusal::CertifiedByClosingNotice))
        ),
        "{r:?}"
    );

    let mut svc = login(svc, "周明远");
    svc.set_today(day(11, 27));
    refused_by(svc.close_notice(notice), NoticeError::NotEnded(day(11, 27)));
    svc.set_today(day(11, 30));
    let before = rows_in(&svc, "audit");
    refused_by(
        svc.close_notice(notice),
        NoticeError::Blocked {
            open: vec!["张伟".into()],
            undecided: vec!["钱军".into(), "李娜".into()],
        },
    );
    assert_eq!(rows_in(&svc, "audit"), before, "a refusal writes nothing");
    let e = svc.close_notice(notice).unwrap_err();
    assert_eq!(
        e.zh(),
        "不能结束公示：张伟 尚有异议未办结；钱军、李娜 有属实异议待主任委员决定"
    );

    // The chair's decisions: a lower grade must be defined, lower and above the held one.
    refused_by(
        svc.decide_objection(lowered, Decision::Lower(Grade::Junior), "材料不实"),
        NoticeError::AlreadyHeld(Grade::Junior),
    );
    refused_by(
        svc.decide_objection(lowered, Decision::Lower(Grade::Senior), "材料不实"),
        NoticeError::NotLower {
            proposed: Grade::Intermediate,
            given: Grade::Senior,
        },
    );
    refused_by(
        svc.decide_objection(upheld, Decision::NotCertify, " "),
        NoticeError::ReasonRequired("decide on an upheld objection"),
    );
    refused_by(
        svc.decide_objection(late, Decision::NotCertify, "理由"),
        NoticeError::NotUpheld(ObjectionState::Dismissed),
    );
    svc.decide_objection(upheld, Decision::NotCertify, "培训证明不实，不予认证")
        .unwrap();
    assert_eq!(
        svc.application(li).unwrap().position,
        Position {
            stage: Stage::Notice,
            status: Status::NotCertified
        }
    );
    refused_by(
        svc.decide_objection(upheld, Decision::NotCertify, "再次"),
        NoticeError::AlreadyDecided,
    );
    // Lowering 钱军 (初级 held, 中级 proposed) is refused since he already holds 初级:
    // the rules here define every grade, so not certifying is the only decision.
    svc.decide_objection(lowered, Decision::NotCertify, "任职年限材料不实")
        .unwrap();

    // Still the open objection on 张伟; withdrawn, the notice closes.
    refused_by(
        svc.close_notice(notice),
        NoticeError::Blocked {
            open: vec!["张伟".into()],
            undecided: vec![],
        },
    );
    svc.objection_step(
        open,
        &Step::Withdraw {
            note: "反映人书面撤回".into(),
        },
    )
    .unwrap();
    let report = svc.close_notice(notice).unwrap();
    assert_eq!(last_action(&svc), ("close".into(), "notice".into()));
    let issued: Vec<(&str, Grade, &str)> = report
        .certified
        .iter()
        .map(|c| (c.name.as_str(), c.grade, c.number.as_str()))
        .collect();
    assert_eq!(
        issued,
        vec![
            ("孙悦", Grade::Intermediate, "NJ-2026-ZJ-0001"),
            ("周洁", Grade::Intermediate, "NJ-2026-ZJ-0002"),
            ("张伟", Grade::Junior, "NJ-2026-CJ-0001"),
            ("王强", Grade::Junior, "NJ-2026-CJ-0002"),
            ("赵敏", Grade::Junior, "NJ-2026-CJ-0003"),
        ]
    );
    assert_eq!(
        report.not_certified,
        vec!["钱军".to_string(), "李娜".to_string()]
    );
    assert_eq!(
        svc.application(zhang).unwrap().position,
        Position {
            stage: Stage::Certified,
            status: Status::Done
        }
    );
    let held: Option<String> = common::db(&svc)
        .query_row(
            "SELECT current_grade || ' ' || grade_since FROM persons WHERE name = '孙悦'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(held.as_deref(), Some("intermediate 2026-11-30"));
    let n = svc.notice(notice).unwrap();
    assert!(n.closed);
    let sun = n.candidates.iter().find(|c| c.name == "孙悦").unwrap();
    assert_eq!(sun.certificate.as_deref(), Some("NJ-2026-ZJ-0001"));
    // Closed is closed.
    refused_by(svc.close_notice(notice), NoticeError::Closed);
    refused_by(svc.objection_step(open, &Step::Verify), NoticeError::Closed);
    let r = svc.record_objection(&objection(wang, at(11, 30, 10), true));
    assert!(r.is_err(), "{r:?}");
    assert!(svc.check(&[]).unwrap().ok());
}

#[test]
fn a_lowered_grade_is_certified_at_the_lower_grade() {
    // A senior candidate who holds nothing lower than junior: lowered to intermediate.
    let text = rules_with_quorum_of_one().replacen(
        "prior_grade = \"intermediate\"\nprior_years = 2",
        "prior_grade = \"junior\"\nprior_years = 2",
        1,
    );
    assert_ne!(text, rules_with_quorum_of_one());
    let svc = town_on(Store::open_in_memory().unwrap(), &text);
    // 周洁 holds junior: make her application one for senior instead.
    common::db(&svc)
        .execute(
            "UPDATE applications SET target_grade = 'senior' WHERE person_id = (SELECT id FROM persons WHERE name = '周洁')",
            [],
        )
        .unwrap();
    let mut svc = evaluated(svc, &["周洁"]);
    svc.set_today(day(11, 23));
    let (notice, ..) = svc.start_notice(day(11, 23)).unwrap();
    let app = app_of(&svc, "周洁");
    let mut svc = login(svc, "吴婷");
    svc.set_today(day(11, 24));
    let id = svc
        .record_objection(&objection(app, at(11, 24, 9), true))
        .unwrap();
    let mut svc = login(svc, "孙丽华");
    svc.objection_step(id, &Step::Verify).unwrap();
    svc.objection_step(id, &uphold("高级条件中的工作实绩不足。"))
        .unwrap();
    let mut svc = login(svc, "周明远");
    svc.decide_objection(
        id,
        Decision::Lower(Grade::Intermediate),
        "工作实绩达到中级条件",
    )
    .unwrap();
    let row = svc.objection(id).unwrap();
    assert_eq!(row.decision, Some(Decision::Lower(Grade::Intermediate)));
    assert_eq!(row.decided_by, "周明远");
    let c = svc.notice(notice).unwrap().candidates.remove(0);
    assert_eq!(
        (c.proposed, c.lowered, c.grade()),
        (
            Grade::Senior,
            Some(Grade::Intermediate),
            Grade::Intermediate
        )
    );
    svc.set_today(day(11, 30));
    let report = svc.close_notice(notice).unwrap();
    assert_eq!(report.certified[0].number, "NJ-2026-ZJ-0001");
    assert_eq!(report.certified[0].grade, Grade::Intermediate);
}

/// Builds the town in a database file, with two notices: the first holds 张伟, 李娜,
/// 钱军 and 孙悦; the second 王强, 赵敏 and 周洁. Both end on Fri 11-27.
fn two_notices(path: &Path) -> (i64, i64) {
    let svc = town_on(Store::open(path).unwrap(), &rules_with_quorum_of_one());
    let mut svc = evaluated(svc, &["张伟", "李娜", "钱军", "孙悦"]);
    svc.set_today(day(11, 23));
    let (first, ..) = svc.start_notice(day(11, 23)).unwrap();
    for name in ["王强", "赵敏", "周洁"] {
        svc.finalise(app_of(&svc, name)).unwrap();
    }
    let (second, ..) = svc.start_notice(day(11, 23)).unwrap();
    (first, second)
}

#[test]
fn two_terminals_closing_notices_at_once_get_unique_gap_free_numbers() {
    for round in 0..3 {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("town.db");
        let (first, second) = two_notices(&path);
        let chair = {
            let s = Service::system(Store::open(&path).unwrap(), "test");
            member_id(&s, "周明远")
        };
        let barrier = std::sync::Arc::new(std::sync::Barrier::new(2));
        let threads: Vec<_> = [first, second]
            .into_iter()
            .map(|notice| {
                let (path, barrier) = (path.clone(), barrier.clone());
                std::thread::spawn(move || {
                    // Each terminal has its own connection.
                    let store = Store::open(&path).unwrap();
                    let mut svc = Service::login(
                        store,
                        pingshen::service::demo::fixed_clock(),
                        chair,
                        "1001",
                    )
                    .map_err(|e| e.1)
                    .unwrap();
                    svc.set_today(day(11, 30));
                    barrier.wait();
                    svc.close_notice(notice).unwrap()
                })
            })
            .collect();
        let reports: Vec<_> = threads.into_iter().map(|t| t.join().unwrap()).collect();
        assert_eq!(
            reports[0].certified.len() + reports[1].certified.len(),
            7,
            "round {round}"
        );
        let svc = Service::system(Store::open(&path).unwrap(), "test");
        for (grade, code, n) in [("junior", "CJ", 4u32), ("intermediate", "ZJ", 3)] {
            let mut stmt = common::db(&svc)
                .prepare("SELECT seq, number FROM certificates WHERE grade = ?1 ORDER BY seq")
                .unwrap();
            let rows: Vec<(u32, String)> = stmt
                .query_map([grade], |r| Ok((r.get(0)?, r.get(1)?)))
                .unwrap()
                .collect::<rusqlite::Result<_>>()
                .unwrap();
            let seqs: Vec<u32> = rows.iter().map(|r| r.0).collect();
            assert_eq!(seqs, (1..=n).collect::<Vec<_>>(), "{grade}, round {round}");
            for (seq, number) in rows {
                assert_eq!(number, format!("NJ-2026-{code}-{seq:04}"));
            }
        }
        assert!(svc.check(&[]).unwrap().ok());
    }
}

fn cert_of(svc: &Service, name: &str) -> i64 {
    let p = person_of(svc, name);
    svc.certificates(&CertificateFilter {
        person_id: Some(p),
        status: Some(CertStatus::Valid),
        ..CertificateFilter::default()
    })
    .unwrap()
    .last()
    .unwrap()
    .id
}

/// The three earlier holders' certificates entered; the secretary logged in.
fn holders(rules: &str) -> Service {
    let svc = town_on(Store::open_in_memory().unwrap(), rules);
    let mut svc = login(svc, "吴婷");
    for name in ["吴刚", "郑丽", "冯涛"] {
        svc.enter_prior_certificate(person_of(&svc, name)).unwrap();
    }
    svc
}

#[test]
fn earlier_holders_are_entered_once_with_numbers_of_their_year() {
    let mut svc = holders(&rules_with_quorum_of_one());
    let numbers: Vec<String> = svc
        .certificates(&CertificateFilter::default())
        .unwrap()
        .into_iter()
        .map(|c| c.number)
        .collect();
    assert_eq!(
        numbers,
        vec!["NJ-2020-GJ-0001", "NJ-2021-ZJ-0001", "NJ-2023-CJ-0001"]
    );
    let r = svc.enter_prior_certificate(person_of(&svc, "吴刚"));
    assert!(
        matches!(
            r,
            Err(ServiceError::Certificate(
                CertificateError::AlreadyCertified { .. }
            ))
        ),
        "{r:?}"
    );
    let r = svc.enter_prior_certificate(person_of(&svc, "张伟"));
    assert!(
        matches!(
            r,
            Err(ServiceError::Certificate(CertificateError::NoGrade(_)))
        ),
        "{r:?}"
    );
    let mut svc = login(svc, "陈静怡");
    forbidden(
        svc.enter_prior_certificate(person_of(&svc, "钱军")),
        Deed::EnterPriorCertificate,
    );
}

#[test]
fn annual_inspections_pass_keep_lower_or_revoke_as_the_rules_say() {
    let mut svc = holders(&rules_with_quorum_of_one()); // on_fail = "lower"
    let (wu, zheng, feng) = (
        cert_of(&svc, "吴刚"),
        cert_of(&svc, "郑丽"),
        cert_of(&svc, "冯涛"),
    );
    // 吴刚's file says 称职 for 2025: the inspection must agree.
    let r = svc.record_inspection(wu, 2025, Assessment::Basic, "");
    assert!(
        matches!(
            r,
            Err(ServiceError::Certificate(
                CertificateError::AssessmentDiffers { .. }
            ))
        ),
        "{r:?}"
    );
    assert_eq!(
        svc.record_inspection(wu, 2025, Assessment::Competent, "")
            .unwrap(),
        InspectionOutcome::Passed
    );
    let r = svc.record_inspection(wu, 2025, Assessment::Competent, "");
    assert!(
        matches!(
            r,
            Err(ServiceError::Certificate(
                CertificateError::AlreadyInspected(2025)
            ))
        ),
        "{r:?}"
    );
    // A 2026 assessment of 基本称职 lowers 郑丽's 高级 to 中级 with a new certificate, and
    // goes into her file.
    let out = svc
        .record_inspection(zheng, 2026, Assessment::Basic, "")
        .unwrap();
    assert_eq!(out, InspectionOutcome::Lowered(Grade::Intermediate));
    let old = svc.certificate(zheng).unwrap();
    assert_eq!(old.status, CertStatus::Downgraded);
    assert!(
        old.status_reason.contains("基本称职"),
        "{}",
        old.status_reason
    );
    let new = svc.certificate(cert_of(&svc, "郑丽")).unwrap();
    assert_eq!(
        (new.grade, new.number.as_str()),
        (Grade::Intermediate, "NJ-2026-ZJ-0001")
    );
    let file: (String, String) = common::db(&svc)
        .query_row(
            "SELECT p.current_grade, a.grade FROM persons p JOIN assessments a ON a.person_id = p.id AND a.year = 2026 WHERE p.name = '郑丽'",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!(file, ("intermediate".into(), "basic".into()));
    let rows = svc.inspections(Some(2026)).unwrap();
    assert_eq!(rows[0].new_number.as_deref(), Some("NJ-2026-ZJ-0001"));
    // Failing the lowest grade revokes it: the chair's decision, with a reason.
    forbidden(
        svc.record_inspection(feng, 2026, Assessment::Incompetent, "年度考核不称职"),
        Deed::RevokeGrade,
    );
    let mut svc = login(svc, "周明远");
    let r = svc.record_inspection(feng, 2026, Assessment::Incompetent, " ");
    assert!(
        matches!(
            r,
            Err(ServiceError::Certificate(CertificateError::ReasonRequired(
                _
            )))
        ),
        "{r:?}"
    );
    assert_eq!(
        svc.record_inspection(feng, 2026, Assessment::Incompetent, "年度考核不称职，退出")
            .unwrap(),
        InspectionOutcome::Revoked
    );
    assert_eq!(svc.certificate(feng).unwrap().status, CertStatus::Revoked);
    let grade: Option<String> = common::db(&svc)
        .query_row(
            "SELECT current_grade FROM persons WHERE name = '冯涛'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(grade, None);
    // A member records no inspection.
    let mut svc = login(svc, "孙丽华");
    forbidden(
        svc.record_inspection(wu, 2026, Assessment::Competent, ""),
        Deed::RecordInspection,
    );

    // Under on_fail = "keep" the grade stays.
    let mut svc = holders(&rules_with_quorum_of_one().replacen(
        "on_fail = \"lower\"",
        "on_fail = \"keep\"",
        1,
    ));
    let zheng = cert_of(&svc, "郑丽");
    assert_eq!(
        svc.record_inspection(zheng, 2026, Assessment::Basic, "")
            .unwrap(),
        InspectionOutcome::Kept
    );
    assert_eq!(svc.certificate(zheng).unwrap().status, CertStatus::Valid);
}

#[test]
fn the_chair_suspends_reinstates_and_revokes_with_reasons() {
    let svc = holders(&rules_with_quorum_of_one());
    let wu = cert_of(&svc, "吴刚");
    let mut svc = login(svc, "吴婷");
    forbidden(
        svc.change_certificate(wu, CertAction::Suspend, "待核"),
        Deed::ChangeCertificateStatus,
    );
    let mut svc = login(svc, "周明远");
    let r = svc.change_certificate(wu, CertAction::Revoke, "");
    assert!(
        matches!(
            r,
            Err(ServiceError::Certificate(CertificateError::ReasonRequired(
                _
            )))
        ),
        "{r:?}"
    );
    assert_eq!(
        svc.change_certificate(wu, CertAction::Suspend, "离岗待核")
            .unwrap(),
        CertStatus::Suspended
    );
    assert_eq!(
        svc.change_certificate(wu, CertAction::Reinstate, "复核后恢复")
            .unwrap(),
        CertStatus::Valid
    );
    assert_eq!(
        svc.change_certificate(wu, CertAction::Revoke, "本人申请退出")
            .unwrap(),
        CertStatus::Revoked
    );
    let c = svc.certificate(wu).unwrap();
    assert_eq!(
        (c.status_reason.as_str(), c.status_on.as_deref()),
        ("本人申请退出", Some("2026-11-02"))
    );
    let r = svc.change_certificate(wu, CertAction::Reinstate, "x");
    assert!(
        matches!(
            r,
            Err(ServiceError::Certificate(CertificateError::Final(
                CertStatus::Revoked
            )))
        ),
        "{r:?}"
    );
}

#[test]
fn job_changes_flag_a_holder_who_left_and_the_allowance_roll_follows_the_rules_with_quorum_of_one()
{
    // Amounts come from the rules: change one.
    let text = rules_with_quorum_of_one().replacen("allowance = 2400", "allowance = 2500", 1);
    assert_ne!(text, rules_with_quorum_of_one());
    let mut svc = holders(&text);
    let (wu, zheng, feng) = (
        person_of(&svc, "吴刚"),
        person_of(&svc, "郑丽"),
        person_of(&svc, "冯涛"),
    );
    let roll = svc.allowance_roll(2025).unwrap();
    let paid: Vec<(&str, u32)> = roll
        .rows
        .iter()
        .map(|r| (r.name.as_str(), r.amount))
        .collect();
    // By county in pinyin order (秦淮区 qinhuai before 玄武区 xuanwu), then highest
    // grade first.
    assert_eq!(paid, vec![("郑丽", 4800), ("吴刚", 3600), ("冯涛", 2500)]);
    assert_eq!((roll.total.holders, roll.total.amount), (3, 10900));
    assert_eq!(
        roll.by_grade
            .iter()
            .map(|(g, s)| (*g, s.amount))
            .collect::<Vec<_>>(),
        vec![
            (Grade::Senior, 4800),
            (Grade::Intermediate, 3600),
            (Grade::Junior, 2500),
        ]
    );
    let counties: Vec<(&str, usize, u64)> = roll
        .by_county
        .iter()
        .map(|(c, s)| (c.as_str(), s.holders, s.amount))
        .collect();
    assert_eq!(counties, vec![("秦淮区", 1, 4800), ("玄武区", 2, 6100)]);
    // Nobody was assessed for 2026 yet; in 2022 冯涛 held no certificate.
    assert!(svc.allowance_roll(2026).unwrap().rows.is_empty());
    assert!(!svc
        .allowance_roll(2022)
        .unwrap()
        .rows
        .iter()
        .any(|r| r.name == "冯涛"));

    // 吴刚 leaves party-affairs work: flagged, and off the roll.
    let r = svc.record_job_change(&NewJobChange {
        person_id: wu,
        change_date: day(10, 1),
        filed_on: day(9, 30),
        new_organisation: String::new(),
        new_position: "行政部经理".into(),
        left_party_work: true,
    });
    assert!(
        matches!(r, Err(ServiceError::Invalid(Refusal::FilingDate { .. }))),
        "filed before the change: {r:?}"
    );
    svc.record_job_change(&NewJobChange {
        person_id: wu,
        change_date: day(10, 1),
        filed_on: day(10, 9),
        new_organisation: String::new(),
        new_position: "行政部经理".into(),
        left_party_work: true,
    })
    .unwrap();
    let flagged = svc
        .certificates(&CertificateFilter {
            flagged_only: true,
            ..CertificateFilter::default()
        })
        .unwrap();
    assert_eq!(
        flagged
            .iter()
            .map(|c| c.holder.as_str())
            .collect::<Vec<_>>(),
        vec!["吴刚"]
    );
    assert!(svc.job_changes().unwrap()[0].flagged);
    let roll = svc.allowance_roll(2025).unwrap();
    assert!(!roll.rows.iter().any(|r| r.name == "吴刚"));
    assert_eq!(roll.excluded[0].name, "吴刚");
    assert_eq!(roll.excluded[0].why.zh(), "已不在党务工作岗位");

    // 郑丽 moves to the other organisation as its secretary: her file follows.
    svc.record_job_change(&NewJobChange {
        person_id: zheng,
        change_date: day(10, 1),
        filed_on: day(10, 9),
        new_organisation: ORGS[1].0.into(),
        new_position: "党委书记".into(),
        left_party_work: false,
    })
    .unwrap();
    let roll = svc.allowance_roll(2025).unwrap();
    let z = roll.rows.iter().find(|r| r.name == "郑丽").unwrap();
    assert_eq!(
        (z.county.as_str(), z.organisation.as_str()),
        ("玄武区", ORGS[1].0)
    );
    // Someone holding no certificate has no job-change report here; members record none.
    let r = svc.record_job_change(&NewJobChange {
        person_id: person_of(&svc, "张伟"),
        change_date: day(10, 1),
        filed_on: day(10, 9),
        new_organisation: String::new(),
        new_position: "党委书记".into(),
        left_party_work: false,
    });
    assert!(
        matches!(
            r,
            Err(ServiceError::Invalid(Refusal::NoCertificateHeld { .. }))
        ),
        "{r:?}"
    );
    let mut svc = login(svc, "马晓东");
    forbidden(
        svc.record_job_change(&NewJobChange {
            person_id: feng,
            change_date: day(10, 1),
            filed_on: day(10, 9),
            new_organisation: String::new(),
            new_position: "党委书记".into(),
            left_party_work: false,
        }),
        Deed::RecordJobChange,
    );
}
