//! Who may take which score sheets out of the tool: the rule is the service's, so the
//! command line and the screens meet the same one.

mod common;
use common::{demo_as, member_id};
use pingshen::domain::{Deed, Role};
use pingshen::service::evaluation::Cell;
use pingshen::service::ServiceError;

#[test]
fn a_member_takes_their_own_sheets_even_while_scoring_is_open() {
    let svc = demo_as(Some("陈静怡"));
    let me = member_id(&svc, "陈静怡");
    let sheets = svc.member_sheets(me).unwrap();
    assert_eq!(sheets.withheld, 0);
    let count: i64 = common::db(&svc)
        .query_row(
            "SELECT count(*) FROM sheets WHERE member_id = ?1",
            [me],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(sheets.rows.len() as i64, count, "every sheet of hers");
    assert!(sheets.rows.iter().any(|r| r.status == Cell::Draft));
    let unfinalised = sheets
        .rows
        .iter()
        .filter(|r| {
            svc.application(r.app_id)
                .is_ok_and(|a| a.result_passed.is_none())
        })
        .count();
    assert!(unfinalised > 0, "sheets of candidates still being scored");
    // Another member's sheets are not hers to take.
    let other = member_id(&svc, "孙丽华");
    assert!(matches!(
        svc.member_sheets(other),
        Err(ServiceError::Forbidden {
            role: Role::Member,
            deed: Deed::ExportOthersSheet
        })
    ));
    // Nor are the summaries or the ranking.
    assert!(matches!(
        svc.summaries(None),
        Err(ServiceError::Forbidden {
            role: Role::Member,
            deed: Deed::SeeResults
        })
    ));
    assert!(matches!(
        svc.ranking_sheet(),
        Err(ServiceError::Forbidden {
            role: Role::Member,
            deed: Deed::SeeResults
        })
    ));
}

#[test]
fn the_chair_takes_a_members_sheets_only_where_results_are_final() {
    let svc = demo_as(Some("周明远"));
    let member = member_id(&svc, "陈静怡");
    let sheets = svc.member_sheets(member).unwrap();
    assert!(sheets.withheld > 0);
    for r in &sheets.rows {
        let app = svc.application(r.app_id).unwrap();
        assert!(app.result_passed.is_some(), "{} is not final", r.name);
        assert_eq!(r.status, Cell::Submitted);
        assert_eq!(r.values.len(), sheets.rules.criteria.len());
    }
    // The chair's own sheets are all there.
    let mine = svc.member_sheets(member_id(&svc, "周明远")).unwrap();
    assert_eq!(mine.withheld, 0);
    assert!(mine.rows.len() > sheets.rows.len());
}

#[test]
fn the_secretary_sees_summaries_without_names_but_no_members_sheets() {
    let svc = demo_as(Some("吴婷"));
    assert!(matches!(
        svc.member_sheets(member_id(&svc, "陈静怡")),
        Err(ServiceError::Forbidden {
            role: Role::Secretary,
            deed: Deed::ExportOthersSheet
        })
    ));
    let summaries = svc.summaries(None).unwrap();
    assert!(summaries.withheld > 0);
    assert!(!summaries.results.is_empty());
    for r in &summaries.results {
        assert!(r.visible);
        assert!(r.sheets.iter().all(|s| s.member.is_none()), "{}", r.name);
    }
}
