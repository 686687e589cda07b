//! Service-level behaviour: who may do what, the stage machine as the committee meets
//! it, recusal, scoring and finalising, the audit chain, exports, logging in and the
//! public notice.
//!
//! Most tests build a small town of their own (two organisations, six candidates, the
//! seven-member committee, one 2026 cycle); one test looks at the full demo city.

mod common;
use common::{
    at, credit_code, day, id_number, login, member_id, row_of, rows_in, rules_with_quorum_of_one,
    table, today,
};
use pingshen::domain::eligibility::{CheckKind, Figure, Outcome};
use pingshen::domain::ids::{check_credit_code, parse_id_number};
use pingshen::domain::notice::Channel;
use pingshen::domain::rules::DEMO_RULES;
use pingshen::domain::stage::{Position, Stage, Status, Transition, TransitionError};
use pingshen::domain::workdays::CalendarError;
use pingshen::domain::{ConflictKind, Deed, Recusal, Role};
use pingshen::service::applications::Rating;
use pingshen::service::export::ExportKind;
use pingshen::service::notice::{NewObjection, Objector};
use pingshen::service::Clock;
use pingshen::service::{demo, EvalWork, Kind, Missing, Refusal, Service, ServiceError};
use pingshen::store::{audit, Store};
use pingshen::table::Table;

// ---------------------------------------------------------------------------------
// A small town
// ---------------------------------------------------------------------------------

/// 刘志强's organisation (the same code as in the demo committee).
const ORG_A: &str = "91320104717809544E";

/// The committee: name, role, own organisation, PIN (the demo's order and PINs).
const COMMITTEE: [(&str, &str, &str, &str); 7] = [
    ("周明远", "主任委员", "", "1001"),
    ("陈静怡", "委员", "", "1002"),
    ("刘志强", "委员", ORG_A, "1003"),
    ("孙丽华", "委员", "", "1004"),
    ("马晓东", "委员", "", "1005"),
    ("何欣然", "委员", "", "1006"),
    ("吴婷", "秘书", "", "1007"),
];

/// The candidates: name, works at ORG_A (else the other organisation), training days
/// in the 12 months before the cycle date (3 are required).
const PEOPLE: [(&str, bool, &str); 6] = [
    ("张伟", true, "4"),
    ("李娜", false, "4"),
    ("王强", false, "4"),
    ("赵敏", false, "4"),
    ("钱军", false, "1"), // fails the training-days check
    ("孙悦", false, "4"),
];

fn person_id_number(i: usize) -> String {
    // 320102, born 1980-01-0N, sequence 01N.
    id_number(&format!("3201021980010{n}01{n}", n = i + 1))
}

fn person_phone(i: usize) -> String {
    format!("1390000100{}", i + 1)
}

struct Town {
    /// Acting as the operator of a command (no role restrictions).
    svc: Service,
    /// Application ids, in `PEOPLE` order (all for 初级 junior).
    apps: Vec<i64>,
    /// Person ids, in `PEOPLE` order.
    persons: Vec<i64>,
}

fn town() -> Town {
    town_with(DEMO_RULES)
}

/// Builds the town with a cycle governed by `rules`.
fn town_with(rules: &str) -> Town {
    assert!(check_credit_code(ORG_A).is_ok());
    let org_b = credit_code("91320102MA1AB0001");
    let mut svc = Service::system(Store::open_in_memory().unwrap(), "test");
    svc.set_today(today());
    svc.set_pin_policy(pingshen::service::members::PinPolicy::demo());
    let orgs = table(
        "orgs.csv",
        &["code", "name", "kind", "county"],
        vec![
            vec![
                ORG_A.into(),
                "南京示例科技有限公司".into(),
                "enterprise".into(),
                "秦淮区".into(),
            ],
            vec![
                org_b.clone(),
                "玄武区示例商会".into(),
                "social".into(),
                "玄武区".into(),
            ],
        ],
    );
    svc.import(Kind::Organisations, &orgs).unwrap();
    let persons = table(
        "persons.csv",
        &[
            "id_number",
            "name",
            "org_code",
            "category",
            "position",
            "post_start",
            "phone",
        ],
        PEOPLE
            .iter()
            .enumerate()
            .map(|(i, (name, at_a, _))| {
                vec![
                    person_id_number(i),
                    name.to_string(),
                    if *at_a {
                        ORG_A.to_string()
                    } else {
                        org_b.clone()
                    },
                    "secretary".into(),
                    "党支部书记".into(),
                    "2019-05-01".into(),
                    person_phone(i),
                ]
            })
            .collect(),
    );
    svc.import(Kind::Persons, &persons).unwrap();
    let training = table(
        "training.csv",
        &["id_number", "date", "days", "title"],
        PEOPLE
            .iter()
            .enumerate()
            .map(|(i, (_, _, days))| {
                vec![
                    person_id_number(i),
                    "2026-03-10".into(),
                    days.to_string(),
                    "党务干部培训班".into(),
                ]
            })
            .collect(),
    );
    svc.import(Kind::Training, &training).unwrap();
    let assessments = table(
        "assessments.csv",
        &["id_number", "year", "grade"],
        (0..PEOPLE.len())
            .map(|i| vec![person_id_number(i), "2025".into(), "competent".into()])
            .collect(),
    );
    svc.import(Kind::Assessments, &assessments).unwrap();
    let committee = table(
        "committee.csv",
        &["name", "role", "org_code", "pin"],
        COMMITTEE
            .iter()
            .map(|(n, r, o, p)| vec![n.to_string(), r.to_string(), o.to_string(), p.to_string()])
            .collect(),
    );
    svc.import(Kind::Committee, &committee).unwrap();
    svc.create_cycle(rules, 2026, day(2026, 9, 1)).unwrap();
    let declarations = table(
        "declarations.csv",
        &["id_number", "target_grade", "declared_on", "statement"],
        (0..PEOPLE.len())
            .map(|i| {
                vec![
                    person_id_number(i),
                    "junior".into(),
                    "2026-09-01".into(),
                    "本人申报初级党务工作者资格。".into(),
                ]
            })
            .collect(),
    );
    svc.import(Kind::Declarations, &declarations).unwrap();
    let ids = |sql: &str| -> Vec<i64> {
        let mut stmt = common::db(&svc).prepare(sql).unwrap();
        let v = stmt
            .query_map([], |r| r.get(0))
            .unwrap()
            .collect::<rusqlite::Result<Vec<i64>>>()
            .unwrap();
        v
    };
    let persons = ids("SELECT id FROM persons ORDER BY id_number");
    let apps = ids(
        "SELECT a.id FROM applications a JOIN persons p ON p.id = a.person_id ORDER BY p.id_number",
    );
    assert_eq!(apps.len(), PEOPLE.len());
    Town { svc, apps, persons }
}

/// Takes an application forwards to `to`, recording a passing test and a visit on the
/// way.
fn walk_to(svc: &mut Service, app: i64, to: Stage) {
    loop {
        let pos = svc.application(app).unwrap().position;
        if pos.stage >= to {
            return;
        }
        match pos.stage {
            Stage::Test => svc.record_test_score(app, 80.0).unwrap(),
            Stage::SiteVisit => {
                svc.record_visit(
                    app,
                    day(2026, 10, 20),
                    "陈静怡、孙丽华",
                    "党建台账完整，党员评价较好。",
                    Rating::Satisfied,
                )
                .unwrap();
            }
            _ => {}
        }
        svc.transition(app, Transition::Advance).unwrap();
    }
}

/// The newest audit row: action, entity, entity id, actor id, after.
fn last_audit(svc: &Service) -> (String, String, String, Option<i64>, Option<String>) {
    common::db(svc)
        .query_row(
            "SELECT action, entity, entity_id, actor_id, after FROM audit ORDER BY id DESC LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)),
        )
        .unwrap()
}

fn pos(stage: Stage, status: Status) -> Position {
    Position { stage, status }
}

const CRITERIA: [&str; 5] = [
    "political",
    "competence",
    "tenure",
    "performance",
    "recognition",
];

/// Saves every criterion of the acting member's sheet and submits it.
fn score_sheet(svc: &mut Service, app: i64, values: [f64; 5]) {
    for (c, v) in CRITERIA.iter().zip(values) {
        svc.save_score(app, c, v).unwrap();
    }
    svc.submit_sheet(app).unwrap();
}

fn reason(s: &str) -> String {
    s.to_string()
}

// ---------------------------------------------------------------------------------
// 1. Roles
// ---------------------------------------------------------------------------------

#[test]
fn the_service_says_what_the_acting_role_may_do_as_its_refusals_do() {
    let Town { mut svc, .. } = town();
    // The operator of a command may do what a command offers.
    assert!(Deed::ALL.iter().all(|d| svc.may(*d)));
    for (name, role) in [
        ("周明远", Role::Chair),
        ("陈静怡", Role::Member),
        ("吴婷", Role::Secretary),
    ] {
        svc = login(svc, name);
        for d in Deed::ALL {
            assert_eq!(svc.may(*d), pingshen::domain::may(role, *d), "{name} {d:?}");
        }
    }
}

#[test]
fn secretary_records_a_test_score_but_cannot_decide_and_a_member_can() {
    let Town { mut svc, apps, .. } = town();
    let app = apps[1];
    walk_to(&mut svc, app, Stage::Test);
    let mut svc = login(svc, "吴婷");
    assert_eq!(svc.role(), Some(Role::Secretary));
    svc.record_test_score(app, 72.5).unwrap();
    assert_eq!(svc.application(app).unwrap().test_score, Some(72.5));

    let row = row_of(&svc, "applications", app);
    let audit_rows = rows_in(&svc, "audit");
    let stage_rows = rows_in(&svc, "stage_records");
    for t in [
        Transition::Advance,
        Transition::Return {
            reason: reason("材料不全"),
        },
        Transition::Reject {
            reason: reason("不符合条件"),
        },
        Transition::Fail {
            reason: reason("未通过"),
        },
    ] {
        let r = svc.transition(app, t.clone());
        assert!(
            matches!(
                &r,
                Err(ServiceError::Forbidden {
                    role: Role::Secretary,
                    ..
                })
            ),
            "{t:?} as the secretary: {r:?}"
        );
    }
    let r = svc.override_eligibility(app, "特批");
    assert!(
        matches!(
            r,
            Err(ServiceError::Forbidden {
                role: Role::Secretary,
                deed: Deed::OverrideEligibility
            })
        ),
        "{r:?}"
    );
    assert_eq!(
        row_of(&svc, "applications", app),
        row,
        "application unchanged"
    );
    assert_eq!(
        rows_in(&svc, "audit"),
        audit_rows,
        "no audit row for a refusal"
    );
    assert_eq!(rows_in(&svc, "stage_records"), stage_rows);
    assert_eq!(
        svc.application(app).unwrap().position,
        pos(Stage::Test, Status::Active)
    );

    let mut svc = login(svc, "陈静怡");
    assert_eq!(svc.role(), Some(Role::Member));
    assert_eq!(
        svc.transition(app, Transition::Advance).unwrap(),
        pos(Stage::SiteVisit, Status::Active)
    );
    assert_eq!(
        svc.application(app).unwrap().position,
        pos(Stage::SiteVisit, Status::Active)
    );
}

// ---------------------------------------------------------------------------------
// 2. Transitions at review, overrides and returns
// ---------------------------------------------------------------------------------

#[test]
fn review_refuses_failing_checks_until_a_written_override_and_returns_need_a_reason() {
    let Town { svc, apps, .. } = town();
    let app = apps[4]; // 钱军: 1 training day, 3 required
    let mut svc = login(svc, "陈静怡");
    let me = member_id(&svc, "陈静怡");
    assert_eq!(
        svc.transition(app, Transition::Advance).unwrap(),
        pos(Stage::Review, Status::Active)
    );

    let a = svc.application(app).unwrap();
    let checks = svc.checklist(&a).unwrap();
    let training = checks
        .iter()
        .find(|c| c.kind == CheckKind::TrainingDays)
        .unwrap();
    assert_eq!(training.outcome, Outcome::Fail);
    assert_eq!(training.actual, Figure::Number(1.0));
    assert_eq!(training.required, Figure::Number(3.0));

    match svc.transition(app, Transition::Advance) {
        Err(ServiceError::Transition(e @ TransitionError::Ineligible(_))) => {
            assert_eq!(e, TransitionError::Ineligible(vec!["training_days".into()]));
            assert!(e.to_string().contains("training_days"), "{e}");
        }
        other => panic!("expected an eligibility refusal, got {other:?}"),
    }

    let r = svc.override_eligibility(app, "   ");
    assert!(
        matches!(r, Err(ServiceError::Invalid(Refusal::OverrideNeedsReason))),
        "{r:?}"
    );
    assert_eq!(svc.application(app).unwrap().override_reason, None);

    svc.override_eligibility(app, "  经市委组织部同意破格申报  ")
        .unwrap();
    assert_eq!(
        svc.transition(app, Transition::Advance).unwrap(),
        pos(Stage::Test, Status::Active)
    );
    assert_eq!(
        svc.application(app).unwrap().override_reason.as_deref(),
        Some("经市委组织部同意破格申报")
    );

    let r = svc.transition(
        app,
        Transition::Return {
            reason: reason("  "),
        },
    );
    assert!(
        matches!(
            r,
            Err(ServiceError::Transition(TransitionError::ReasonRequired(_)))
        ),
        "{r:?}"
    );
    assert_eq!(
        svc.transition(
            app,
            Transition::Return {
                reason: reason("请补充近12个月培训证明")
            }
        )
        .unwrap(),
        pos(Stage::Declaration, Status::Returned)
    );
    let a = svc.application(app).unwrap();
    assert_eq!(a.position, pos(Stage::Declaration, Status::Returned));
    assert_eq!(
        a.override_reason.as_deref(),
        Some("经市委组织部同意破格申报"),
        "the override stays on the application"
    );
    // A corrected declaration is resubmitted to review.
    assert_eq!(
        svc.transition(app, Transition::Advance).unwrap(),
        pos(Stage::Review, Status::Active)
    );

    let mut stmt = common::db(&svc)
        .prepare(
            "SELECT from_stage, to_stage, to_status, action, member_id, reason
             FROM stage_records WHERE application_id = ?1 ORDER BY id",
        )
        .unwrap();
    let records: Vec<(String, String, String, String, Option<i64>, String)> = stmt
        .query_map([app], |r| {
            Ok((
                r.get(0)?,
                r.get(1)?,
                r.get(2)?,
                r.get(3)?,
                r.get(4)?,
                r.get(5)?,
            ))
        })
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap();
    let rec = |f: &str, t: &str, s: &str, a: &str, who: Option<i64>, why: &str| {
        (
            f.to_string(),
            t.to_string(),
            s.to_string(),
            a.to_string(),
            who,
            why.to_string(),
        )
    };
    let me = Some(me);
    assert_eq!(
        records,
        vec![
            // Written by the import of the declaration, by the operator.
            rec("", "declaration", "active", "declare", None, ""),
            rec("declaration", "review", "active", "advance", me, ""),
            rec("review", "test", "active", "advance", me, ""),
            rec(
                "test",
                "declaration",
                "returned",
                "return",
                me,
                "请补充近12个月培训证明"
            ),
            rec("declaration", "review", "active", "advance", me, ""),
        ],
        "one stage record per transition, none for refusals"
    );
}

// ---------------------------------------------------------------------------------
// 3. The training test
// ---------------------------------------------------------------------------------

#[test]
fn test_scores_are_range_checked_the_pass_mark_comes_from_the_rules_and_fail_is_final() {
    // These rules set the junior pass mark at 75 (out of 100).
    let rules = DEMO_RULES.replacen("test_pass_mark = 60", "test_pass_mark = 75", 1);
    assert_ne!(rules, DEMO_RULES);
    let Town { mut svc, apps, .. } = town_with(&rules);
    let (a, b) = (apps[1], apps[2]);
    walk_to(&mut svc, a, Stage::Test);
    walk_to(&mut svc, b, Stage::Test);
    let mut svc = login(svc, "陈静怡");

    for bad in [101.0, -1.0, 100.5, f64::NAN] {
        let r = svc.record_test_score(a, bad);
        assert!(
            matches!(
                &r,
                Err(ServiceError::Invalid(Refusal::TestScoreOutOfRange {
                    max: 100.0,
                    ..
                }))
            ),
            "{bad}: {r:?}"
        );
    }
    assert_eq!(svc.application(a).unwrap().test_score, None);
    let r = svc.transition(a, Transition::Advance);
    assert!(
        matches!(
            r,
            Err(ServiceError::Transition(TransitionError::NoTestScore))
        ),
        "{r:?}"
    );

    svc.record_test_score(a, 74.5).unwrap();
    let r = svc.transition(a, Transition::Advance);
    assert!(
        matches!(
            r,
            Err(ServiceError::Transition(TransitionError::TestNotPassed))
        ),
        "{r:?}"
    );
    assert_eq!(
        svc.application(a).unwrap().position,
        pos(Stage::Test, Status::Active)
    );

    let r = svc.transition(a, Transition::Fail { reason: reason("") });
    assert!(
        matches!(
            r,
            Err(ServiceError::Transition(TransitionError::ReasonRequired(_)))
        ),
        "{r:?}"
    );
    assert_eq!(
        svc.transition(
            a,
            Transition::Fail {
                reason: reason("培训测试74.5分，未达到75分合格线")
            }
        )
        .unwrap(),
        pos(Stage::Test, Status::Failed)
    );
    for t in [
        Transition::Advance,
        Transition::Return {
            reason: reason("重新申报"),
        },
    ] {
        let r = svc.transition(a, t);
        assert!(
            matches!(
                r,
                Err(ServiceError::Transition(TransitionError::Final(
                    Status::Failed
                )))
            ),
            "{r:?}"
        );
    }
    let r = svc.record_test_score(a, 90.0);
    assert!(
        matches!(
            r,
            Err(ServiceError::Invalid(Refusal::TestScoreOnlyAtTest {
                at: Stage::Test
            }))
        ),
        "{r:?}"
    );
    assert_eq!(svc.application(a).unwrap().test_score, Some(74.5));

    // Exactly the pass mark passes.
    svc.record_test_score(b, 75.0).unwrap();
    assert_eq!(
        svc.transition(b, Transition::Advance).unwrap(),
        pos(Stage::SiteVisit, Status::Active)
    );
}

// ---------------------------------------------------------------------------------
// 4. Recusal
// ---------------------------------------------------------------------------------

#[test]
fn recused_members_cannot_score_and_only_the_chair_declares_for_others() {
    let Town {
        mut svc,
        apps,
        persons,
    } = town();
    let (same_org, other) = (apps[0], apps[1]); // 张伟 works at ORG_A, 李娜 elsewhere
    walk_to(&mut svc, same_org, Stage::Evaluation);
    walk_to(&mut svc, other, Stage::Evaluation);
    svc.open_scoring().unwrap();
    let liu = member_id(&svc, "刘志强");
    let chen = member_id(&svc, "陈静怡");
    let sun = member_id(&svc, "孙丽华");
    let why = svc.recusal(liu, same_org).unwrap();
    assert_eq!(why, Some(Recusal::SameOrganisation));
    assert_eq!(svc.recusal(liu, other).unwrap(), None);

    let written = |s: &Service| {
        (
            rows_in(s, "scores"),
            rows_in(s, "sheets"),
            rows_in(s, "audit"),
        )
    };
    let mut svc = login(svc, "刘志强");
    let before = written(&svc);
    let r = svc.save_score(same_org, "political", 15.0);
    assert!(
        matches!(
            &r,
            Err(ServiceError::Recused {
                app,
                why: Recusal::SameOrganisation
            }) if *app == same_org
        ),
        "{r:?}"
    );
    assert_eq!(written(&svc), before, "nothing written");
    svc.save_score(other, "political", 15.0).unwrap();

    let mut svc = login(svc, "陈静怡");
    let conflicts = rows_in(&svc, "conflicts");
    let r = svc.declare_conflict(sun, persons[1], "relative", "系候选人表妹");
    assert!(
        matches!(
            r,
            Err(ServiceError::Forbidden {
                role: Role::Member,
                deed: Deed::DeclareConflictForOthers
            })
        ),
        "{r:?}"
    );
    let r = svc.declare_conflict(chen, persons[1], "friend", "好友");
    assert!(
        matches!(&r, Err(ServiceError::Invalid(Refusal::UnknownConflictKind { kind })) if kind == "friend"),
        "{r:?}"
    );
    let r = svc.declare_conflict(chen, persons[1], "relative", " ");
    assert!(
        matches!(r, Err(ServiceError::Invalid(Refusal::ConflictNeedsReason))),
        "{r:?}"
    );
    assert_eq!(rows_in(&svc, "conflicts"), conflicts);
    svc.declare_conflict(chen, persons[1], "relative", "系候选人表妹")
        .unwrap();
    let before = written(&svc);
    let r = svc.save_score(other, "political", 15.0);
    assert!(
        matches!(
            &r,
            Err(ServiceError::Recused {
                why: Recusal::Declared {
                    kind: ConflictKind::Relative,
                    ..
                },
                ..
            })
        ),
        "{r:?}"
    );
    assert_eq!(written(&svc), before, "nothing written");

    let mut svc = login(svc, "周明远");
    svc.declare_conflict(sun, persons[1], "worked_there", "2024年前在该单位任职")
        .unwrap();
    assert_eq!(
        svc.recusal(sun, other).unwrap(),
        Some(Recusal::Declared {
            kind: ConflictKind::WorkedThere,
            reason: "2024年前在该单位任职".into()
        })
    );
    let mut svc = login(svc, "孙丽华");
    let before = written(&svc);
    let r = svc.save_score(other, "political", 15.0);
    assert!(
        matches!(
            &r,
            Err(ServiceError::Recused {
                why: Recusal::Declared {
                    kind: ConflictKind::WorkedThere,
                    ..
                },
                ..
            })
        ),
        "{r:?}"
    );
    assert_eq!(written(&svc), before);
}

// ---------------------------------------------------------------------------------
// 5. Scoring and finalising
// ---------------------------------------------------------------------------------

#[test]
fn scores_sheets_quorum_and_the_trimmed_mean_by_hand() {
    let Town { mut svc, apps, .. } = town();
    let (good, weak) = (apps[1], apps[2]);
    walk_to(&mut svc, good, Stage::Evaluation);
    walk_to(&mut svc, weak, Stage::Evaluation);
    svc.open_scoring().unwrap();

    // Points per criterion (政治素质 20, 业务水平 25, 任职年限 10, 工作实绩 30,
    // 认可程度 15) and each sheet's total.
    let good_sheets: [(&str, [f64; 5]); 6] = [
        ("陈静怡", [17.5, 21.0, 8.0, 25.0, 12.0]),  // 83.5
        ("刘志强", [15.0, 18.0, 7.0, 22.0, 10.0]),  // 72 (lowest)
        ("孙丽华", [19.0, 24.0, 10.0, 29.0, 14.5]), // 96.5 (highest)
        ("马晓东", [16.0, 20.0, 8.5, 24.0, 12.0]),  // 80.5
        ("周明远", [18.0, 22.0, 9.0, 27.0, 13.5]),  // 89.5
        ("何欣然", [17.0, 20.5, 8.0, 26.0, 13.0]),  // 84.5
    ];
    let weak_sheets: [(&str, [f64; 5]); 5] = [
        ("陈静怡", [10.0, 12.0, 5.0, 15.0, 8.0]),  // 50
        ("刘志强", [11.0, 13.0, 5.0, 17.0, 9.0]),  // 55
        ("孙丽华", [12.0, 14.0, 6.0, 17.0, 9.0]),  // 58
        ("马晓东", [13.0, 15.0, 6.0, 18.0, 10.0]), // 62
        ("周明远", [8.0, 10.0, 4.0, 12.0, 6.0]),   // 40
    ];
    let sheet = |list: &[(&str, [f64; 5])], who: &str| list.iter().find(|s| s.0 == who).unwrap().1;

    // A member: half points, nothing finer, nothing above the maximum.
    let mut svc = login(svc, "陈静怡");
    svc.save_score(good, "political", 17.5).unwrap();
    for bad in [0.25, 20.5, -0.5, 17.3] {
        let r = svc.save_score(good, "political", bad);
        assert!(
            matches!(
                &r,
                Err(ServiceError::Invalid(Refusal::ValueOutOfRange { criterion, max: 20.0, step: 0.5 }))
                    if criterion == "政治素质"
            ),
            "{bad}: {r:?}"
        );
    }
    let r = svc.save_score(good, "charm", 5.0);
    assert!(
        matches!(&r, Err(ServiceError::Invalid(Refusal::UnknownCriterion { key })) if key == "charm"),
        "{r:?}"
    );
    let stored: f64 = common::db(&svc)
        .query_row(
            "SELECT value FROM scores WHERE application_id = ?1 AND criterion = 'political'",
            [good],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(stored, 17.5);
    match svc.submit_sheet(good) {
        Err(ServiceError::Invalid(m)) => assert_eq!(
            m,
            Refusal::SheetIncomplete {
                missing: ["业务水平", "任职年限", "工作实绩", "认可程度"]
                    .map(String::from)
                    .into()
            }
        ),
        other => panic!("expected an incomplete sheet, got {other:?}"),
    }
    score_sheet(&mut svc, good, sheet(&good_sheets, "陈静怡"));
    score_sheet(&mut svc, weak, sheet(&weak_sheets, "陈静怡"));
    let r = svc.save_score(good, "political", 18.0);
    assert!(
        matches!(
            r,
            Err(ServiceError::Invalid(Refusal::SheetSubmittedNeedsReason))
        ),
        "a submitted sheet is locked: {r:?}"
    );
    let r = svc.finalise(good);
    assert!(
        matches!(
            r,
            Err(ServiceError::Forbidden {
                role: Role::Member,
                deed: Deed::FinaliseResult
            })
        ),
        "{r:?}"
    );

    for who in ["刘志强", "孙丽华", "马晓东"] {
        svc = login(svc, who);
        score_sheet(&mut svc, good, sheet(&good_sheets, who));
        score_sheet(&mut svc, weak, sheet(&weak_sheets, who));
    }

    // Four sheets: below the quorum of five. Nothing is finalised while scoring is
    // open.
    let mut svc = login(svc, "周明远");
    let row = row_of(&svc, "applications", good);
    let r = svc.finalise(good);
    assert!(
        matches!(&r, Err(ServiceError::Invalid(Refusal::ScoringStillOpen))),
        "{r:?}"
    );
    svc.close_scoring().unwrap();
    match svc.finalise(good) {
        Err(ServiceError::Invalid(m)) => {
            assert_eq!(m, Refusal::QuorumNotMet { have: 4, need: 5 });
            assert_eq!(
                m.to_string(),
                "quorum not met: 4 eligible submitted sheet(s), the rules require 5"
            );
        }
        other => panic!("expected a quorum refusal, got {other:?}"),
    }
    assert_eq!(row_of(&svc, "applications", good), row, "nothing changed");
    svc.open_scoring().unwrap();
    score_sheet(&mut svc, good, sheet(&good_sheets, "周明远"));
    score_sheet(&mut svc, weak, sheet(&weak_sheets, "周明远"));

    // A sixth sheet for the good candidate; only a draft for the weak one.
    let mut svc = login(svc, "何欣然");
    score_sheet(&mut svc, good, sheet(&good_sheets, "何欣然"));
    svc.save_score(weak, "political", 20.0).unwrap();

    let mut svc = login(svc, "周明远");
    svc.close_scoring().unwrap();
    let agg = svc.finalise(good).unwrap();
    assert_eq!(agg.sheets, 6);
    let mut totals = agg.totals.clone();
    totals.sort_by(f64::total_cmp);
    assert_eq!(totals, vec![72.0, 80.5, 83.5, 84.5, 89.5, 96.5]);
    // Drop 96.5 and 72: (80.5 + 83.5 + 84.5 + 89.5) / 4 = 338 / 4 = 84.5.
    assert!(agg.trimmed);
    assert_eq!(agg.result, 84.5);
    // The plain mean would be 506.5 / 6 = 84.41...
    assert!((agg.mean - 506.5 / 6.0).abs() < 1e-9);
    let a = svc.application(good).unwrap();
    assert_eq!(a.position, pos(Stage::Notice, Status::Active));
    assert_eq!(a.result_passed, Some(true));
    let result: f64 = common::db(&svc)
        .query_row(
            "SELECT result_score FROM applications WHERE id = ?1",
            [good],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(result, 84.5);

    // Five sheets (the draft does not count): drop 62 and 40, (50 + 55 + 58) / 3 = 54.33,
    // below the junior threshold of 60.
    let agg = svc.finalise(weak).unwrap();
    assert_eq!(agg.sheets, 5);
    assert!(agg.trimmed);
    assert_eq!(agg.result, 54.33);
    let a = svc.application(weak).unwrap();
    assert_eq!(a.position, pos(Stage::Evaluation, Status::NotCertified));
    assert_eq!(a.result_passed, Some(false));
    let why: String = common::db(&svc)
        .query_row(
            "SELECT reason FROM stage_records WHERE application_id = ?1 AND action = 'not_certify'",
            [weak],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(why, "综合评定 54.33 未达到 60");
}

#[test]
fn finalising_twice_is_refused_without_writing_anything() {
    // One sheet is a quorum under these rules, to keep the test short.
    let rules = rules_with_quorum_of_one();
    let Town { mut svc, apps, .. } = town_with(&rules);
    let (pass, fail) = (apps[1], apps[2]);
    walk_to(&mut svc, pass, Stage::Evaluation);
    walk_to(&mut svc, fail, Stage::Evaluation);
    let mut svc = login(svc, "周明远");
    svc.open_scoring().unwrap();
    score_sheet(&mut svc, pass, [16.0, 20.0, 8.0, 24.0, 12.0]); // 80
    score_sheet(&mut svc, fail, [8.0, 10.0, 4.0, 12.0, 6.0]); // 40
    svc.close_scoring().unwrap();
    assert_eq!(svc.finalise(pass).unwrap().result, 80.0);
    assert_eq!(svc.finalise(fail).unwrap().result, 40.0);
    for app in [pass, fail] {
        let audit_rows = rows_in(&svc, "audit");
        let r = svc.finalise(app);
        assert!(
            r.is_err(),
            "a second finalise of #{app} must be refused: {r:?}"
        );
        assert_eq!(
            rows_in(&svc, "audit"),
            audit_rows,
            "a refused finalise of #{app} must not append an audit row"
        );
    }
}

// ---------------------------------------------------------------------------------
// 6. The audit chain
// ---------------------------------------------------------------------------------

#[test]
fn each_mutation_appends_one_audit_row_and_only_audit_edits_break_the_chain() {
    let Town { svc, apps, persons } = town();
    let (app, odd) = (apps[1], apps[4]);
    let sun = member_id(&svc, "孙丽华");

    /// Runs one step and checks it appended exactly one audit row with `action`.
    fn step<T: std::fmt::Debug>(
        svc: &mut Service,
        action: &str,
        f: impl FnOnce(&mut Service) -> Result<T, ServiceError>,
    ) {
        let n = rows_in(svc, "audit");
        f(svc).unwrap();
        assert_eq!(rows_in(svc, "audit"), n + 1, "{action}: one audit row");
        assert_eq!(last_audit(svc).0, action);
    }

    let mut svc = login(svc, "周明远");
    assert_eq!(last_audit(&svc).0, "login");
    step(&mut svc, "advance", |s| {
        s.transition(app, Transition::Advance)
    });
    step(&mut svc, "advance", |s| {
        s.transition(app, Transition::Advance)
    });
    step(&mut svc, "test_score", |s| s.record_test_score(app, 88.0));
    // A refused mutation appends nothing.
    let n = rows_in(&svc, "audit");
    assert!(svc.record_test_score(app, 101.0).is_err());
    assert!(svc
        .transition(odd, Transition::Reject { reason: reason("") })
        .is_err());
    assert_eq!(rows_in(&svc, "audit"), n);
    step(&mut svc, "advance", |s| {
        s.transition(app, Transition::Advance)
    });
    step(&mut svc, "record", |s| {
        s.record_visit(
            app,
            day(2026, 11, 2),
            "周明远",
            "台账规范。",
            Rating::BasicallySatisfied,
        )
    });
    step(&mut svc, "advance", |s| {
        s.transition(app, Transition::Advance)
    });
    step(&mut svc, "declare", |s| {
        s.declare_conflict(sun, persons[1], "other", "曾为同一课题组成员")
    });
    step(&mut svc, "open", |s| s.open_scoring());
    step(&mut svc, "score", |s| s.save_score(app, "tenure", 9.5));
    step(&mut svc, "advance", |s| {
        s.transition(odd, Transition::Advance)
    });
    step(&mut svc, "override", |s| {
        s.override_eligibility(odd, "培训停办，经同意破格")
    });
    step(&mut svc, "reveal_ids", |s| {
        s.export(ExportKind::Persons, true)
    });
    let n = rows_in(&svc, "audit");
    svc.export(ExportKind::Persons, false).unwrap();
    assert_eq!(
        rows_in(&svc, "audit"),
        n,
        "a masked export is not a mutation"
    );

    let (rows, faults) = audit::verify(common::db(&svc)).unwrap();
    assert_eq!(rows as i64, rows_in(&svc, "audit"));
    assert!(faults.is_empty(), "{faults:?}");

    // A data row edited behind the program's back leaves the chain intact, but the
    // replayed log names the row.
    common::db(&svc)
        .execute(
            "UPDATE applications SET statement = '改过的陈述' WHERE id = ?1",
            [app],
        )
        .unwrap();
    let report = svc.check(&[]).unwrap();
    assert!(report.audit_faults.is_empty(), "{report:?}");
    assert!(!report.ok());
    assert!(
        report
            .data_faults
            .iter()
            .any(|f| f.starts_with(&format!("applications row {app} differs"))),
        "{:?}",
        report.data_faults
    );

    // An edited audit row is found, by its id.
    common::db(&svc)
        .execute(
            "UPDATE audit SET after = '{\"test_score\":100}' WHERE id = 5",
            [],
        )
        .unwrap();
    let report = svc.check(&[]).unwrap();
    assert!(!report.ok());
    assert_eq!(
        report.audit_faults,
        vec!["audit row 5: content does not match its hash (the row was edited)".to_string()]
    );
}

// ---------------------------------------------------------------------------------
// 7. The demo city
// ---------------------------------------------------------------------------------

#[test]
fn demo_city_covers_every_stage_and_checks_clean() {
    let svc = demo::in_memory().unwrap();
    assert_eq!(svc.today(), demo::anchor());
    assert_eq!(demo::anchor(), day(2026, 11, 26));
    assert!(rows_in(&svc, "applications") >= 60);
    for stage in Stage::SIX {
        let n: i64 = common::db(&svc)
            .query_row(
                "SELECT count(*) FROM applications WHERE stage = ?1",
                [stage.code()],
                |r| r.get(0),
            )
            .unwrap();
        assert!(n >= 1, "no application at {}", stage.code());
    }
    let roles: Vec<(String, String)> = {
        let mut stmt = common::db(&svc)
            .prepare("SELECT name, role FROM members ORDER BY id")
            .unwrap();
        let v = stmt
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap();
        v
    };
    assert_eq!(roles.len(), 7);
    let with = |role: &str| roles.iter().filter(|(_, r)| r == role).count();
    assert_eq!(
        (with("chair"), with("member"), with("secretary")),
        (1, 5, 1)
    );
    assert!(roles.contains(&("周明远".into(), "chair".into())));
    assert!(roles.contains(&("吴婷".into(), "secretary".into())));
    assert!(rows_in(&svc, "conflicts") >= 1);
    assert!(rows_in(&svc, "objections") >= 1);

    let report = svc.check(&[]).unwrap();
    assert!(report.ok(), "{report:?}");
    assert_eq!(report.audit_rows as i64, rows_in(&svc, "audit"));

    let texts = |sql: &str| -> Vec<String> {
        let mut stmt = common::db(&svc).prepare(sql).unwrap();
        let v = stmt
            .query_map([], |r| r.get(0))
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap();
        v
    };
    let ids = texts("SELECT id_number FROM persons");
    assert_eq!(ids.len(), 150);
    for id in &ids {
        assert!(
            parse_id_number(id, demo::anchor()).is_ok(),
            "{id}: {:?}",
            parse_id_number(id, demo::anchor())
        );
    }
    let codes = texts("SELECT code FROM organisations");
    assert_eq!(codes.len(), 40);
    for code in &codes {
        assert!(check_credit_code(code).is_ok(), "{code}");
    }
    assert!(codes.iter().any(|c| c == ORG_A));

    // The demo's notice was started on Monday 2026-11-23 for five working days.
    let (start, end): (String, String) = common::db(&svc)
        .query_row(
            "SELECT start_date, end_date FROM notices ORDER BY id LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!((start.as_str(), end.as_str()), ("2026-11-23", "2026-11-27"));
}

// ---------------------------------------------------------------------------------
// 8. Exports
// ---------------------------------------------------------------------------------

#[test]
fn persons_export_masks_ids_and_phones_and_revealing_is_for_the_chair_and_audited() {
    let Town { svc, .. } = town();
    let col = |t: &Table, name: &str| t.column(name).unwrap();
    let mut svc = login(svc, "陈静怡");
    let before = rows_in(&svc, "audit");
    let t = svc.export(ExportKind::Persons, false).unwrap();
    assert_eq!(t.len(), PEOPLE.len());
    let (id_col, phone_col, name_col) = (col(&t, "id_number"), col(&t, "phone"), col(&t, "name"));
    for row in &t.rows {
        let i = PEOPLE
            .iter()
            .position(|p| p.0 == row.cells[name_col])
            .unwrap();
        let id = person_id_number(i);
        let phone = person_phone(i);
        assert_eq!(
            row.cells[id_col],
            format!("{}{}", "*".repeat(14), &id[14..])
        );
        assert_eq!(
            row.cells[phone_col],
            format!("{}{}", "*".repeat(7), &phone[7..])
        );
    }
    let apps = svc.export(ExportKind::Applications, false).unwrap();
    let a_id = col(&apps, "id_number");
    assert_eq!(apps.len(), PEOPLE.len());
    for row in &apps.rows {
        assert!(
            row.cells[a_id].starts_with(&"*".repeat(14)),
            "{:?}",
            row.cells
        );
        assert_eq!(row.cells[a_id].chars().count(), 18);
    }
    assert_eq!(
        rows_in(&svc, "audit"),
        before,
        "masked exports are not audited"
    );

    let r = svc.export(ExportKind::Persons, true);
    assert!(
        matches!(
            r,
            Err(ServiceError::Forbidden {
                role: Role::Member,
                deed: Deed::RevealIds
            })
        ),
        "{r:?}"
    );
    assert_eq!(rows_in(&svc, "audit"), before);

    let mut svc = login(svc, "周明远");
    let chair = member_id(&svc, "周明远");
    let before = rows_in(&svc, "audit");
    let t = svc.export(ExportKind::Persons, true).unwrap();
    // Revealed, the file is in the columns the persons import takes (the birth date
    // follows from the ID number), so that it imports back.
    let import_columns: Vec<&str> = pingshen::service::Kind::Persons
        .columns()
        .iter()
        .map(|c| c.key)
        .collect();
    assert_eq!(t.headers, import_columns);
    let (id_col, phone_col) = (col(&t, "id_number"), col(&t, "phone"));
    let mut shown: Vec<String> = t.rows.iter().map(|r| r.cells[id_col].clone()).collect();
    shown.sort();
    let mut real: Vec<String> = (0..PEOPLE.len()).map(person_id_number).collect();
    real.sort();
    assert_eq!(shown, real);
    assert!(t.rows.iter().all(|r| r.cells[phone_col].starts_with("139")));
    assert_eq!(rows_in(&svc, "audit"), before + 1);
    let (action, entity, entity_id, actor, after) = last_audit(&svc);
    assert_eq!(
        (action.as_str(), entity.as_str(), entity_id.as_str(), actor),
        ("reveal_ids", "export", "persons", Some(chair))
    );
    assert_eq!(after.as_deref(), Some("{\"rows\":6}"));
}

// ---------------------------------------------------------------------------------
// 9. Logging in
// ---------------------------------------------------------------------------------

#[test]
fn a_wrong_pin_is_refused_audited_and_counted() {
    let Town { svc, .. } = town();
    let chen = member_id(&svc, "陈静怡");
    let failed = |s: &Service| -> i64 {
        common::db(s)
            .query_row(
                "SELECT failed_pins FROM members WHERE id = ?1",
                [chen],
                |r| r.get(0),
            )
            .unwrap()
    };
    let clock = svc.clock();
    let mut store = svc.into_store();
    for attempt in 1..=2 {
        let (back, err) = *Service::login(store, clock, chen, "9999")
            .err()
            .expect("refused");
        assert!(matches!(err, ServiceError::WrongPin), "{err:?}");
        let s = Service::system(back, "test");
        assert_eq!(failed(&s), attempt);
        let (action, entity, entity_id, actor, _) = last_audit(&s);
        assert_eq!(
            (action.as_str(), entity.as_str(), entity_id, actor),
            ("login_failed", "member", chen.to_string(), Some(chen))
        );
        store = s.into_store();
    }
    let s = Service::system(store, "test");
    let failures: i64 = common::db(&s)
        .query_row(
            "SELECT count(*) FROM audit WHERE action = 'login_failed'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(failures, 2);

    // No such member: refused, nothing audited.
    let n = rows_in(&s, "audit");
    let clock = s.clock();
    let (back, err) = *Service::login(s.into_store(), clock, 99, "1002")
        .err()
        .expect("refused");
    assert!(
        matches!(err, ServiceError::NotFound(Missing::Member(99))),
        "{err:?}"
    );
    let s = Service::system(back, "test");
    assert_eq!(rows_in(&s, "audit"), n);

    // The right PIN still works.
    let clock = s.clock();
    let s = match Service::login(s.into_store(), clock, chen, "1002") {
        Ok(s) => s,
        Err(e) => panic!("{}", e.1),
    };
    assert_eq!(s.role(), Some(Role::Member));
    assert_eq!(s.actor().member_id, Some(chen));
    assert_eq!(last_audit(&s).0, "login");
}

// ---------------------------------------------------------------------------------
// 10. The public notice
// ---------------------------------------------------------------------------------

#[test]
fn notice_periods_skip_weekends_and_holidays_and_late_objections_are_flagged() {
    // One sheet is a quorum under these rules, to keep the test short; a year without
    // a holiday calendar is refused.
    let rules = rules_with_quorum_of_one().replacen(
        "missing_calendar = \"weekends_only\"",
        "missing_calendar = \"refuse\"",
        1,
    );
    assert_eq!(rules.matches("quorum = 1").count(), 1);
    assert_eq!(rules.matches("missing_calendar = \"refuse\"").count(), 1);
    let Town { mut svc, apps, .. } = town_with(&rules);
    let (autumn, winter) = (apps[1], apps[2]);
    walk_to(&mut svc, autumn, Stage::Evaluation);
    walk_to(&mut svc, winter, Stage::Evaluation);

    // The autumn notice is started on its first day.
    svc.set_today(day(2026, 9, 29));
    let mut svc = login(svc, "陈静怡");
    let r = svc.start_notice(day(2026, 9, 29));
    assert!(
        matches!(
            r,
            Err(ServiceError::Forbidden {
                role: Role::Member,
                deed: Deed::StartNotice
            })
        ),
        "{r:?}"
    );

    let mut svc = login(svc, "周明远");
    let r = svc.start_notice(day(2026, 9, 29));
    assert!(
        matches!(r, Err(ServiceError::Invalid(Refusal::NoCandidateWaiting))),
        "nobody finalised yet: {r:?}"
    );
    assert_eq!(rows_in(&svc, "notices"), 0);

    svc.open_scoring().unwrap();
    score_sheet(&mut svc, autumn, [16.0, 20.0, 8.0, 24.0, 12.0]); // 80
    svc.close_scoring().unwrap();
    assert_eq!(svc.finalise(autumn).unwrap().result, 80.0);
    // Tue 09-29, Wed 09-30, (Oct 1-7 off) Thu 10-08, Fri 10-09, Sat 10-10 (worked).
    let (first_notice, start, end) = svc.start_notice(day(2026, 9, 29)).unwrap();
    assert_eq!((start, end), (day(2026, 9, 29), day(2026, 10, 10)));
    assert_eq!(
        svc.application(autumn).unwrap().notice_id,
        Some(first_notice)
    );
    assert_eq!(svc.application(winter).unwrap().notice_id, None);

    // The objections come in on the last day of the period and the day after.
    let mut svc = login(svc, "吴婷");
    svc.set_today(day(2026, 10, 11));
    let objection = |app: i64, received_at, channel, objector: Option<Objector>| NewObjection {
        app_id: app,
        received_at,
        channel,
        objector,
        content: "反映材料不实。".into(),
        criterion: None,
    };
    let on_time = svc
        .record_objection(&objection(
            autumn,
            at(2026, 10, 10, 16, 0),
            Channel::Letter,
            Some(Objector {
                name: "赵某".into(),
                contact: "13900001111".into(),
            }),
        ))
        .unwrap();
    let late = svc
        .record_objection(&objection(
            autumn,
            at(2026, 10, 11, 9, 0),
            Channel::Phone,
            None,
        ))
        .unwrap();
    let late_flag = |s: &Service, id: i64| -> bool { s.objection(id).unwrap().late };
    assert!(
        !late_flag(&svc, on_time),
        "the last day of the notice is in time"
    );
    assert!(late_flag(&svc, late));
    let r = svc.record_objection(&objection(
        autumn,
        at(2026, 10, 12, 9, 0),
        Channel::Letter,
        None,
    ));
    assert!(
        matches!(
            &r,
            Err(ServiceError::Invalid(Refusal::ObjectionInFuture { received }))
                if *received == day(2026, 10, 12)
        ),
        "{r:?}"
    );
    let r = svc.record_objection(&objection(
        winter,
        at(2026, 10, 9, 9, 0),
        Channel::Letter,
        None,
    ));
    assert!(
        matches!(r, Err(ServiceError::Invalid(Refusal::NotInNotice { .. }))),
        "not in a notice: {r:?}"
    );

    let mut svc = login(svc, "周明远");
    svc.open_scoring().unwrap();
    score_sheet(&mut svc, winter, [16.0, 20.0, 8.0, 24.0, 12.0]);
    svc.close_scoring().unwrap();
    svc.finalise(winter).unwrap();
    // Mon 11-23 .. Fri 11-27; a notice cannot be started backdated.
    svc.set_today(day(2026, 11, 24));
    let r = svc.start_notice(day(2026, 11, 23));
    assert!(
        matches!(
            &r,
            Err(ServiceError::Invalid(Refusal::NoticeInPast { start, today }))
                if *start == day(2026, 11, 23) && *today == day(2026, 11, 24)
        ),
        "{r:?}"
    );
    svc.set_today(day(2026, 11, 23));
    let (second_notice, start, end) = svc.start_notice(day(2026, 11, 23)).unwrap();
    assert_eq!((start, end), (day(2026, 11, 23), day(2026, 11, 27)));
    assert_eq!(
        svc.application(winter).unwrap().notice_id,
        Some(second_notice)
    );
    assert_eq!(
        svc.application(autumn).unwrap().notice_id,
        Some(first_notice)
    );
    let stored: (String, String) = common::db(&svc)
        .query_row(
            "SELECT start_date, end_date FROM notices WHERE id = ?1",
            [second_notice],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!(stored, ("2026-11-23".to_string(), "2026-11-27".to_string()));

    // A period running into a year the rules have no calendar for is refused.
    let r = svc.start_notice(day(2026, 12, 28));
    assert!(
        matches!(
            r,
            Err(ServiceError::Calendar(CalendarError::MissingYear(2027)))
        ),
        "{r:?}"
    );
    assert_eq!(rows_in(&svc, "notices"), 2);
}

#[test]
fn three_wrong_pins_lock_the_member_out_and_are_audited() {
    let Town { svc, .. } = town();
    let sun = member_id(&svc, "孙丽华");
    let clock = svc.clock();
    let mut store = svc.into_store();
    for _ in 0..2 {
        store = Service::login(store, clock, sun, "0000")
            .err()
            .expect("refused")
            .0;
    }
    let (store, err) = *Service::login(store, clock, sun, "0000")
        .err()
        .expect("refused");
    assert!(err.to_string().contains("locked until"), "{err}");
    let s = Service::system(store, "test");
    let (action, _, _, _, after) = last_audit(&s);
    assert_eq!(action, "lockout");
    assert!(after.unwrap().contains("\"attempts\":3"));
    let audit_rows = rows_in(&s, "audit");
    // While locked, even the right PIN is refused, and nothing more is written.
    let (store, err) = *Service::login(s.into_store(), clock, sun, "1004")
        .err()
        .expect("locked");
    assert!(err.to_string().contains("locked until"), "{err}");
    let s = Service::system(store, "test");
    assert_eq!(rows_in(&s, "audit"), audit_rows);
    // A second before the lock passes the right PIN is still refused; once it has
    // passed, the right PIN works and the count starts again.
    let locked_at = clock;
    let before_end = Clock::fixed(locked_at.now() + chrono::Duration::seconds(59));
    let (store, err) = *Service::login(s.into_store(), before_end, sun, "1004")
        .err()
        .expect("still locked");
    assert!(err.to_string().contains("locked until"), "{err}");
    let after_end = Clock::fixed(locked_at.now() + chrono::Duration::seconds(60));
    let s = Service::login(store, after_end, sun, "1004")
        .ok()
        .expect("unlocked");
    let failed: i64 = common::db(&s)
        .query_row(
            "SELECT failed_pins FROM members WHERE id = ?1",
            [sun],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(failed, 0);
}

#[test]
fn only_the_chair_refuses_certification_and_sheets_are_submitted_once_in_evaluation() {
    let demo = pingshen::service::demo::in_memory().unwrap();
    let as_member = |svc: Service, id: i64| -> Service {
        let clock = svc.clock();
        match Service::login(svc.into_store(), clock, id, &format!("{}", 1000 + id)) {
            Ok(s) => s,
            Err(e) => panic!("login #{id}: {}", e.1),
        }
    };
    let one = |svc: &Service, sql: &str| -> (i64, i64) {
        common::db(svc)
            .query_row(sql, [], |r| Ok((r.get(0)?, r.get(1)?)))
            .unwrap()
    };
    let (noticed, _) = one(
        &demo,
        "SELECT id, 0 FROM applications WHERE notice_id IS NOT NULL LIMIT 1",
    );
    let (evaluated, _) = one(
        &demo,
        "SELECT id, 0 FROM applications WHERE stage = 'evaluation' AND status = 'active' LIMIT 1",
    );
    let (draft_app, draft_member) = one(
        &demo,
        "SELECT application_id, member_id FROM sheets WHERE status = 'draft' LIMIT 1",
    );
    let not_certify = || Transition::NotCertify {
        reason: reason("异议属实"),
    };

    // A member may not refuse certification, at the notice or anywhere.
    let mut svc = as_member(demo, 2);
    let audit = rows_in(&svc, "audit");
    let r = svc.transition(noticed, not_certify());
    assert!(
        matches!(
            r,
            Err(ServiceError::Forbidden {
                role: Role::Member,
                deed: Deed::RefuseCertification
            })
        ),
        "{r:?}"
    );
    // Nor submit a sheet once the result is final.
    let r = svc.submit_sheet(noticed);
    assert!(
        matches!(
            r,
            Err(ServiceError::Invalid(Refusal::NotInEvaluation {
                work: EvalWork::Submitting,
                ..
            }))
        ),
        "{r:?}"
    );
    assert_eq!(rows_in(&svc, "audit"), audit);

    // The chair may not refuse at evaluation: that result comes from the scores.
    let mut svc = as_member(svc, 1);
    let r = svc.transition(evaluated, not_certify());
    assert!(
        matches!(r, Err(ServiceError::Invalid(Refusal::ResultFromScores))),
        "{r:?}"
    );
    assert_eq!(
        svc.application(evaluated).unwrap().position,
        pos(Stage::Evaluation, Status::Active)
    );

    // A draft is submitted once; a second submission is refused.
    let mut svc = as_member(svc, draft_member);
    svc.submit_sheet(draft_app).unwrap();
    let audit = rows_in(&svc, "audit");
    let r = svc.submit_sheet(draft_app);
    assert!(
        matches!(&r, Err(ServiceError::Invalid(Refusal::AlreadySubmitted))),
        "{r:?}"
    );
    assert_eq!(rows_in(&svc, "audit"), audit);
}

// ---------------------------------------------------------------------------------
// 9. The overall evaluation: sessions, independence, changes, results, reopening
// ---------------------------------------------------------------------------------

use pingshen::service::evaluation::{Cell, Session};

/// Two candidates at evaluation (张伟 of ORG_A, where 刘志强 works, and 李娜) with
/// scoring open.
fn evaluation_town(rules: &str) -> (Service, i64, i64) {
    let Town { mut svc, apps, .. } = town_with(rules);
    let (zhang, li) = (apps[0], apps[1]);
    walk_to(&mut svc, zhang, Stage::Evaluation);
    walk_to(&mut svc, li, Stage::Evaluation);
    let mut svc = login(svc, "周明远");
    assert_eq!(svc.session(1).unwrap(), Session::NotOpened);
    svc.open_scoring().unwrap();
    (svc, zhang, li)
}

#[test]
fn scoring_happens_only_in_an_open_session_that_only_the_chair_opens_and_closes() {
    let Town { mut svc, apps, .. } = town();
    let app = apps[1];
    walk_to(&mut svc, app, Stage::Evaluation);
    let mut svc = login(svc, "陈静怡");
    let r = svc.save_score(app, "political", 15.0);
    assert!(
        matches!(
            &r,
            Err(ServiceError::Invalid(Refusal::ScoringClosed {
                meanwhile: false
            }))
        ),
        "{r:?}"
    );
    let r = svc.open_scoring();
    assert!(
        matches!(
            r,
            Err(ServiceError::Forbidden {
                role: Role::Member,
                deed: Deed::OpenScoring
            })
        ),
        "{r:?}"
    );
    assert_eq!(rows_in(&svc, "scores"), 0);

    let mut svc = login(svc, "周明远");
    svc.open_scoring().unwrap();
    assert!(svc.session(1).unwrap().is_open());
    let r = svc.open_scoring();
    assert!(
        matches!(&r, Err(ServiceError::Invalid(Refusal::ScoringAlreadyOpen))),
        "{r:?}"
    );
    let mut svc = login(svc, "陈静怡");
    svc.save_score(app, "political", 15.0).unwrap();
    let r = svc.close_scoring();
    assert!(
        matches!(
            r,
            Err(ServiceError::Forbidden {
                role: Role::Member,
                deed: Deed::CloseScoring
            })
        ),
        "{r:?}"
    );
    let mut svc = login(svc, "周明远");
    assert_eq!(svc.close_scoring().unwrap(), 1, "one draft left open");
    assert!(matches!(svc.session(1).unwrap(), Session::Closed { .. }));
    let mut svc = login(svc, "陈静怡");
    let r = svc.save_score(app, "political", 16.0);
    assert!(
        matches!(
            r,
            Err(ServiceError::Invalid(Refusal::ScoringClosed {
                meanwhile: false
            }))
        ),
        "{r:?}"
    );
    let r = svc.submit_sheet(app);
    assert!(
        matches!(
            r,
            Err(ServiceError::Invalid(Refusal::ScoringClosed {
                meanwhile: false
            }))
        ),
        "{r:?}"
    );
    assert_eq!(
        svc.my_sheet(app).unwrap().criteria[0].value,
        Some(15.0),
        "the draft is kept"
    );
}

#[test]
fn members_see_other_sheets_only_after_submitting_and_the_chair_only_after_closing() {
    let (svc, _, li) = evaluation_town(DEMO_RULES);
    let mut svc = login(svc, "陈静怡");
    score_sheet(&mut svc, li, [16.0, 20.0, 8.0, 24.0, 12.0]); // 80
    let mine = svc.my_sheet(li).unwrap();
    assert_eq!(mine.status, Cell::Submitted);
    assert_eq!(mine.total, 80.0);
    assert_eq!(mine.others, Some(vec![]), "nobody else has submitted");

    let mut svc = login(svc, "孙丽华");
    svc.save_score(li, "political", 18.0).unwrap();
    let mine = svc.my_sheet(li).unwrap();
    assert_eq!(mine.status, Cell::Draft);
    assert_eq!(mine.others, None, "a draft sees nobody else's scores");
    assert_eq!(mine.criteria[0].value, Some(18.0));
    assert_eq!(mine.empty().len(), 4);
    // A member may not read the results or the board at all.
    let r = svc.results(1);
    assert!(
        matches!(
            r,
            Err(ServiceError::Forbidden {
                role: Role::Member,
                deed: Deed::SeeResults
            })
        ),
        "{r:?}"
    );
    let r = svc.progress(1);
    assert!(
        matches!(
            r,
            Err(ServiceError::Forbidden {
                role: Role::Member,
                deed: Deed::SeeProgress
            })
        ),
        "{r:?}"
    );
    for (c, v) in CRITERIA.iter().zip([18.0, 22.0, 9.0, 27.0, 13.0]).skip(1) {
        svc.save_score(li, c, v).unwrap();
    }
    svc.submit_sheet(li).unwrap(); // 89
    assert_eq!(svc.my_sheet(li).unwrap().others, Some(vec![80.0]));

    // The chair sees who has submitted, never the values, while scoring is open.
    let mut svc = login(svc, "周明远");
    score_sheet(&mut svc, li, [17.0, 21.0, 8.0, 26.0, 13.0]); // 85
    assert_eq!(svc.my_sheet(li).unwrap().others, None);
    let results = svc.results(1).unwrap();
    let row = results.iter().find(|r| r.app_id == li).unwrap();
    assert!(!row.visible);
    assert!(row.sheets.is_empty() && row.aggregate.is_none());
    let progress = svc.progress(1).unwrap();
    let names: Vec<&str> = progress.members.iter().map(|m| m.1.as_str()).collect();
    assert_eq!(
        names,
        ["周明远", "陈静怡", "刘志强", "孙丽华", "马晓东", "何欣然"],
        "the secretary does not score"
    );
    let row = progress.rows.iter().find(|r| r.app_id == li).unwrap();
    assert_eq!(row.count(Cell::Submitted), 3);
    assert_eq!(row.count(Cell::Pending), 3);

    // Closed: the chair sees every sheet with its member's name, the secretary without.
    svc.close_scoring().unwrap();
    let results = svc.results(1).unwrap();
    let row = results.iter().find(|r| r.app_id == li).unwrap();
    assert!(row.visible);
    let sheets: Vec<(Option<&str>, f64)> = row
        .sheets
        .iter()
        .map(|s| (s.member.as_deref(), s.total))
        .collect();
    assert_eq!(
        sheets,
        [
            (Some("周明远"), 85.0),
            (Some("陈静怡"), 80.0),
            (Some("孙丽华"), 89.0)
        ]
    );
    let svc = login(svc, "吴婷");
    let results = svc.results(1).unwrap();
    let row = results.iter().find(|r| r.app_id == li).unwrap();
    assert_eq!(row.sheets.len(), 3);
    assert!(row.sheets.iter().all(|s| s.member.is_none()));
}

#[test]
fn a_recused_member_is_refused_the_sheet_and_is_not_counted() {
    let (svc, zhang, li) = evaluation_town(DEMO_RULES);
    let mut svc = login(svc, "刘志强"); // works where 张伟 works
    let audit_rows = rows_in(&svc, "audit");
    for r in [
        svc.my_sheet(zhang).map(|_| ()),
        svc.save_score(zhang, "political", 10.0),
        svc.save_comment(zhang, "political", "好"),
        svc.submit_sheet(zhang),
        svc.revise_score(zhang, "political", 10.0, "讨论后"),
    ] {
        assert!(
            matches!(
                &r,
                Err(ServiceError::Recused {
                    app,
                    why: Recusal::SameOrganisation
                }) if *app == zhang
            ),
            "{r:?}"
        );
    }
    assert_eq!(rows_in(&svc, "audit"), audit_rows, "nothing written");
    assert_eq!(rows_in(&svc, "scores"), 0);
    score_sheet(&mut svc, li, [16.0, 20.0, 8.0, 24.0, 12.0]);

    let svc = login(svc, "周明远");
    let progress = svc.progress(1).unwrap();
    let liu = progress
        .members
        .iter()
        .position(|m| m.1 == "刘志强")
        .unwrap();
    let row = |id| progress.rows.iter().find(|r| r.app_id == id).unwrap();
    assert_eq!(row(zhang).cells[liu], Cell::Recused);
    assert_eq!(row(li).cells[liu], Cell::Submitted);
    let results = svc.results(1).unwrap();
    let z = results.iter().find(|r| r.app_id == zhang).unwrap();
    assert_eq!((z.eligible, z.recused), (5, 1));
}

#[test]
fn recused_sheets_and_missing_sheets_do_not_count_towards_the_result_or_the_quorum() {
    let (svc, zhang, _) = evaluation_town(DEMO_RULES);
    // 刘志强's sheet for 张伟 was written before the conflict was known: the chair
    // declares it afterwards, and the sheet no longer counts.
    let mut svc = login(svc, "孙丽华");
    score_sheet(&mut svc, zhang, [10.0, 10.0, 5.0, 10.0, 5.0]); // 40
    for (who, v) in [
        ("周明远", [16.0, 20.0, 8.0, 24.0, 12.0]), // 80
        ("陈静怡", [17.0, 21.0, 8.0, 26.0, 13.0]), // 85
        ("马晓东", [16.5, 20.0, 8.0, 24.5, 12.0]), // 81
        ("何欣然", [18.0, 22.0, 9.0, 27.0, 13.0]), // 89
    ] {
        svc = login(svc, who);
        score_sheet(&mut svc, zhang, v);
    }
    let mut svc = login(svc, "周明远");
    let sun = member_id(&svc, "孙丽华");
    let person: i64 = common::db(&svc)
        .query_row(
            "SELECT person_id FROM applications WHERE id = ?1",
            [zhang],
            |r| r.get(0),
        )
        .unwrap();
    svc.declare_conflict(sun, person, "relative", "会后发现系候选人表亲")
        .unwrap();
    svc.close_scoring().unwrap();
    let results = svc.results(1).unwrap();
    let z = results.iter().find(|r| r.app_id == zhang).unwrap();
    let a = z.aggregate.as_ref().unwrap();
    // 80, 85, 81, 89: four sheets (刘志强 and 孙丽华 recused), mean 83.75, no trimming
    // below five sheets, and no quorum.
    assert_eq!(a.sheets, 4);
    assert_eq!(a.result, 83.75);
    assert!(!a.trimmed && !a.quorum_met);
    assert_eq!((z.eligible, z.recused), (4, 2));
    let r = svc.finalise(zhang);
    assert!(
        matches!(
            &r,
            Err(ServiceError::Invalid(Refusal::QuorumNotMet {
                have: 4,
                need: 5
            }))
        ),
        "{r:?}"
    );
}

#[test]
fn changing_a_submitted_sheet_needs_a_reason_and_keeps_the_earlier_value() {
    let (svc, _, li) = evaluation_town(DEMO_RULES);
    let mut svc = login(svc, "陈静怡");
    score_sheet(&mut svc, li, [16.0, 20.0, 8.0, 24.0, 12.0]); // 80
    let audit_rows = rows_in(&svc, "audit");
    let r = svc.save_score(li, "performance", 28.0);
    assert!(
        matches!(
            &r,
            Err(ServiceError::Invalid(Refusal::SheetSubmittedNeedsReason))
        ),
        "{r:?}"
    );
    let r = svc.revise_score(li, "performance", 28.0, "  ");
    assert!(
        matches!(r, Err(ServiceError::Invalid(Refusal::ChangeNeedsReason))),
        "{r:?}"
    );
    let r = svc.revise_score(li, "performance", 31.0, "讨论后");
    assert!(
        matches!(
            r,
            Err(ServiceError::Invalid(Refusal::ValueOutOfRange {
                max: 30.0,
                ..
            }))
        ),
        "above the maximum: {r:?}"
    );
    assert_eq!(rows_in(&svc, "audit"), audit_rows, "nothing written");
    svc.revise_score(li, "performance", 28.0, "经讨论，补看了工作实绩材料")
        .unwrap();
    let (action, _, _, _, after) = last_audit(&svc);
    assert_eq!(action, "revise");
    assert!(after.unwrap().contains("补看"));
    svc.save_comment(li, "performance", "实绩突出").unwrap();
    let mine = svc.my_sheet(li).unwrap();
    assert_eq!(mine.total, 84.0);
    assert_eq!(mine.criteria[3].comment, "实绩突出");

    for who in ["周明远", "孙丽华", "马晓东", "何欣然"] {
        svc = login(svc, who);
        score_sheet(&mut svc, li, [16.0, 20.0, 8.0, 24.0, 12.0]);
    }
    let mut svc = login(svc, "周明远");
    svc.close_scoring().unwrap();
    let results = svc.results(1).unwrap();
    let row = results.iter().find(|r| r.app_id == li).unwrap();
    let chen = row
        .sheets
        .iter()
        .find(|s| s.member.as_deref() == Some("陈静怡"))
        .unwrap();
    assert_eq!((chen.first_total, chen.total), (Some(80.0), 84.0));
    assert_eq!(row.revisions.len(), 1);
    let rev = &row.revisions[0];
    assert_eq!(
        (rev.member.as_deref(), rev.before, rev.after),
        (Some("陈静怡"), Some(24.0), 28.0)
    );
    // Closed: no more changes.
    let mut svc = login(svc, "陈静怡");
    let r = svc.revise_score(li, "performance", 27.0, "再议");
    assert!(
        matches!(
            r,
            Err(ServiceError::Invalid(Refusal::ScoringClosed {
                meanwhile: false
            }))
        ),
        "{r:?}"
    );
}

#[test]
fn outliers_and_method_sensitive_results_are_flagged_and_ranked_per_grade() {
    let (svc, zhang, li) = evaluation_town(DEMO_RULES);
    // 李娜 (junior, threshold 60): 81.5, 79, 84.5, 62, 80 — 62 is 18 from the median.
    // 张伟: everyone but 刘志强 (recused) gives 70.
    let mut svc = svc;
    for (who, v) in [
        ("周明远", [16.5, 20.0, 8.0, 25.0, 12.0]),
        ("陈静怡", [16.0, 19.5, 8.0, 24.0, 11.5]),
        ("孙丽华", [17.0, 21.0, 8.5, 25.5, 12.5]),
        ("马晓东", [12.0, 16.0, 6.0, 19.0, 9.0]),
        ("何欣然", [16.0, 20.0, 8.0, 24.0, 12.0]),
    ] {
        svc = login(svc, who);
        score_sheet(&mut svc, li, v);
        score_sheet(&mut svc, zhang, [14.0, 17.5, 7.0, 21.0, 10.5]);
    }
    let mut svc = login(svc, "周明远");
    svc.close_scoring().unwrap();
    let results = svc.results(1).unwrap();
    let row = results.iter().find(|r| r.app_id == li).unwrap();
    let flagged: Vec<(Option<&str>, bool)> = row
        .sheets
        .iter()
        .map(|s| (s.member.as_deref(), s.outlier))
        .collect();
    assert_eq!(
        flagged,
        [
            (Some("周明远"), false),
            (Some("陈静怡"), false),
            (Some("孙丽华"), false),
            (Some("马晓东"), true),
            (Some("何欣然"), false),
        ]
    );
    assert_eq!(row.aggregate.as_ref().unwrap().result, 80.17);
    let ranking = svc.ranking(1).unwrap();
    let lines: Vec<(String, Vec<(usize, f64)>)> = ranking
        .iter()
        .map(|(g, rows)| {
            (
                g.code().to_string(),
                rows.iter().map(|r| (r.rank, r.result)).collect(),
            )
        })
        .collect();
    // Both apply for the junior grade: one ranking, the higher result first, neither
    // needing discussion at the junior threshold of 60.
    assert_eq!(lines, [("junior".to_string(), vec![(1, 80.17), (2, 70.0)])]);
    assert!(results.iter().all(|r| !r.needs_discussion));
}

#[test]
fn a_finalised_result_is_reopened_by_the_chair_with_a_reason_before_its_notice() {
    let rules = rules_with_quorum_of_one();
    let (svc, _, li) = evaluation_town(&rules);
    let mut svc = svc;
    score_sheet(&mut svc, li, [16.0, 20.0, 8.0, 24.0, 12.0]);
    svc.close_scoring().unwrap();
    svc.finalise(li).unwrap();
    assert_eq!(
        svc.application(li).unwrap().position,
        pos(Stage::Notice, Status::Active)
    );
    // Locked once final.
    let r = svc.save_score(li, "political", 10.0);
    assert!(
        matches!(
            r,
            Err(ServiceError::Invalid(Refusal::NotInEvaluation {
                work: EvalWork::Scoring,
                ..
            }))
        ),
        "{r:?}"
    );

    let mut svc = login(svc, "陈静怡");
    let r = svc.reopen_result(li, "复议");
    assert!(
        matches!(
            r,
            Err(ServiceError::Forbidden {
                role: Role::Member,
                deed: Deed::ReopenResult
            })
        ),
        "{r:?}"
    );
    let mut svc = login(svc, "周明远");
    let r = svc.reopen_result(li, " ");
    assert!(matches!(r, Err(ServiceError::Transition(_))), "{r:?}");
    svc.reopen_result(li, "群众来信反映材料有误，重新评定")
        .unwrap();
    let a = svc.application(li).unwrap();
    assert_eq!(a.position, pos(Stage::Evaluation, Status::Active));
    assert_eq!(a.result_passed, None);
    let (action, _, _, _, after) = last_audit(&svc);
    assert_eq!(action, "reopen");
    assert!(after.unwrap().contains("重新评定"));
    // The sheet is still there and counts again once scoring reopens and closes.
    svc.open_scoring().unwrap();
    svc.revise_score(li, "political", 18.0, "重新评定").unwrap();
    svc.close_scoring().unwrap();
    assert_eq!(svc.finalise(li).unwrap().result, 82.0);
    // Once the notice has started, the result can no longer be reopened.
    svc.start_notice(today()).unwrap();
    let r = svc.reopen_result(li, "再议");
    assert!(
        matches!(
            &r,
            Err(ServiceError::Transition(TransitionError::NoticeStarted))
        ),
        "{r:?}"
    );
}
