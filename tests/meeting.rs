//! The review meeting (评审会) through the service: the agenda and its order, moving
//! to a candidate with the recused stepping out (audited), presence, the rounds, the
//! time per candidate, and who may do what.

mod common;
use chrono::Duration;
use common::{count, demo_as, login};
use pingshen::domain::meeting::{step_outs, Phase};
use pingshen::domain::{Deed, Role};
use pingshen::service::evaluation::Cell;
use pingshen::service::{Clock, Refusal, Service, ServiceError};
use std::collections::BTreeSet;

fn refusal(e: ServiceError) -> Refusal {
    match e {
        ServiceError::Invalid(r) => r,
        e => panic!("expected a refusal, got {e:?}"),
    }
}

fn later(svc: &mut Service, secs: i64) {
    let at = svc.clock().now() + Duration::seconds(secs);
    svc.set_clock(Clock::fixed(at));
}

/// The demo as the chair with a meeting started in 第一会议室.
fn started() -> Service {
    let mut svc = demo_as(Some("周明远"));
    svc.start_meeting("第一会议室").unwrap();
    svc
}

fn cycle(svc: &Service) -> i64 {
    svc.open_cycle_id().unwrap()
}

/// The open meeting's agenda, in order.
fn agenda(svc: &Service) -> Vec<i64> {
    let m = svc.open_meeting(cycle(svc)).unwrap().expect("a meeting");
    m.agenda.iter().map(|a| a.app_id).collect()
}

/// Each member of the demo committee joins the meeting (their app's first heartbeat).
fn all_join(svc: Service) -> Service {
    let mut svc = svc;
    for name in [
        "陈静怡",
        "刘志强",
        "孙丽华",
        "马晓东",
        "何欣然",
        "吴婷",
        "周明远",
    ] {
        svc = login(svc, name);
        svc.meeting_heartbeat(None).unwrap();
    }
    svc
}

#[test]
fn the_agenda_holds_the_sessions_candidates_ordered_for_fewest_step_outs() {
    let svc = started();
    let m = svc.open_meeting(cycle(&svc)).unwrap().expect("a meeting");
    assert_eq!(m.place, "第一会议室");
    assert_eq!(m.current, None);
    assert_eq!(m.phase, Phase::Scoring);
    let results = svc.results(cycle(&svc)).unwrap();
    let open: BTreeSet<i64> = results
        .iter()
        .filter(|r| r.finalised.is_none())
        .map(|r| r.app_id)
        .collect();
    let agenda: BTreeSet<i64> = m.agenda.iter().map(|a| a.app_id).collect();
    assert_eq!(agenda, open, "every candidate without a result, once");
    assert!(
        m.agenda.iter().any(|a| !a.recused.is_empty()),
        "the demo has recusals"
    );
    // The chair sees why each must recuse.
    assert!(m
        .agenda
        .iter()
        .flat_map(|a| &a.recused)
        .all(|r| r.why.is_some()));
    let sets: Vec<BTreeSet<i64>> = m
        .agenda
        .iter()
        .map(|a| a.recused.iter().map(|r| r.member_id).collect())
        .collect();
    let given: Vec<BTreeSet<i64>> = results
        .iter()
        .filter(|r| r.finalised.is_none())
        .map(|r| sets[m.agenda.iter().position(|a| a.app_id == r.app_id).unwrap()].clone())
        .collect();
    let distinct: BTreeSet<i64> = sets.iter().flatten().copied().collect();
    assert_eq!(
        step_outs(&sets),
        distinct.len(),
        "each recused member steps out once"
    );
    assert!(step_outs(&sets) <= step_outs(&given));
    // The chair is present from the start; nobody else yet.
    let joined: Vec<&str> = m
        .attendees
        .iter()
        .filter(|a| a.joined)
        .map(|a| a.name.as_str())
        .collect();
    assert_eq!(joined, ["周明远"]);
}

#[test]
fn only_the_chair_leads_and_one_meeting_at_a_time() {
    let mut svc = started();
    assert_eq!(
        refusal(svc.start_meeting("").unwrap_err()),
        Refusal::MeetingAlreadyOpen
    );
    let first = svc.open_meeting(cycle(&svc)).unwrap().unwrap().agenda[0].app_id;
    for name in ["陈静怡", "吴婷"] {
        svc = login(svc, name);
        match svc.discuss_now(first).unwrap_err() {
            ServiceError::Forbidden { deed, role } => {
                assert_eq!(deed, Deed::RunMeeting);
                assert_ne!(role, Role::Chair);
            }
            e => panic!("{e:?}"),
        }
        assert!(svc.end_meeting().is_err());
        assert!(svc.start_meeting("").is_err());
    }
}

#[test]
fn a_meeting_needs_open_scoring() {
    let mut svc = demo_as(Some("周明远"));
    svc.close_scoring().unwrap();
    assert_eq!(
        refusal(svc.start_meeting("").unwrap_err()),
        Refusal::MeetingNeedsScoring
    );
}

#[test]
fn moving_to_a_candidate_steps_the_recused_out_and_back_with_the_reason_audited() {
    let mut svc = started();
    let m = svc.open_meeting(cycle(&svc)).unwrap().unwrap();
    let (i, row) = m
        .agenda
        .iter()
        .enumerate()
        .find(|(_, a)| !a.recused.is_empty())
        .expect("a candidate with a recusal");
    let recused = row.recused[0].member_id;
    let app = row.app_id;
    let audit_before = count(&svc, "SELECT count(*) FROM audit");
    svc.discuss_now(app).unwrap();
    assert_eq!(count(&svc, "SELECT count(*) FROM audit"), audit_before + 1);
    let (action, after): (String, String) = common::db(&svc)
        .query_row(
            "SELECT action, after FROM audit ORDER BY id DESC LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!(action, "discuss");
    assert!(after.contains(&format!("{recused}")), "{after}");
    let (reason, back): (String, Option<String>) = common::db(&svc)
        .query_row(
            "SELECT reason, back_at FROM meeting_steps WHERE member_id = ?1 AND application_id = ?2",
            [recused, app],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert!(reason.starts_with("须回避"), "{reason}");
    assert_eq!(back, None, "still out");
    let now = svc.open_meeting(cycle(&svc)).unwrap().unwrap();
    assert_eq!(now.current, Some(i));
    // The recused member's app knows why they are out.
    let name = now
        .attendees
        .iter()
        .find(|a| a.member_id == recused)
        .unwrap()
        .name
        .clone();
    svc = login(svc, &name);
    let theirs = svc.open_meeting(cycle(&svc)).unwrap().unwrap();
    assert!(theirs.my_recusal.is_some());
    assert_eq!(theirs.current_row().unwrap().app_id, app);
    // A member sees who recuses, not why.
    assert!(theirs
        .agenda
        .iter()
        .flat_map(|a| &a.recused)
        .all(|r| r.why.is_none()));
    svc = login(svc, "周明远");
    let next = now
        .agenda
        .iter()
        .find(|a| a.recused.iter().all(|r| r.member_id != recused))
        .unwrap()
        .app_id;
    svc.discuss_now(next).unwrap();
    let back: Option<String> = common::db(&svc)
        .query_row(
            "SELECT back_at FROM meeting_steps WHERE member_id = ?1 AND application_id = ?2",
            [recused, app],
            |r| r.get(0),
        )
        .unwrap();
    assert!(back.is_some(), "stepped back in");
    // The audit log replays clean over the meeting's rows.
    let report = svc.check(&[]).unwrap();
    assert!(report.ok(), "{report:?}");
}

#[test]
fn presence_says_who_is_connected_without_an_audit_row_each_time() {
    let mut svc = started();
    let first = svc.open_meeting(cycle(&svc)).unwrap().unwrap().agenda[0].app_id;
    svc = login(svc, "陈静怡");
    let audit0 = count(&svc, "SELECT count(*) FROM audit");
    svc.meeting_heartbeat(Some(first)).unwrap();
    assert_eq!(
        count(&svc, "SELECT count(*) FROM audit"),
        audit0 + 1,
        "joined"
    );
    for _ in 0..3 {
        later(&mut svc, 2);
        svc.meeting_heartbeat(Some(first)).unwrap();
    }
    assert_eq!(
        count(&svc, "SELECT count(*) FROM audit"),
        audit0 + 1,
        "presence is not audited"
    );
    svc = login(svc, "周明远");
    later(&mut svc, 6);
    let m = svc.open_meeting(cycle(&svc)).unwrap().unwrap();
    let chen = m.attendees.iter().find(|a| a.name == "陈静怡").unwrap();
    assert!(chen.joined && chen.connected);
    assert!(chen.viewing.is_some(), "the chair sees what they look at");
    let liu = m.attendees.iter().find(|a| a.name == "刘志强").unwrap();
    assert!(!liu.joined && !liu.connected);
    later(&mut svc, 20);
    let m = svc.open_meeting(cycle(&svc)).unwrap().unwrap();
    let chen = m.attendees.iter().find(|a| a.name == "陈静怡").unwrap();
    assert!(
        chen.joined && !chen.connected,
        "gone quiet: no longer connected"
    );
    // A member is not shown what others look at.
    svc = login(svc, "刘志强");
    let m = svc.open_meeting(cycle(&svc)).unwrap().unwrap();
    assert!(m
        .attendees
        .iter()
        .all(|a| a.viewing.is_none() && a.sheet.is_none()));
    let report = svc.check(&[]).unwrap();
    assert!(report.ok(), "{report:?}");
}

#[test]
fn rounds_discussion_after_all_present_submitted_then_revisions_with_reasons() {
    let mut svc = all_join(started());
    let m = svc.open_meeting(cycle(&svc)).unwrap().unwrap();
    let row = m
        .agenda
        .iter()
        .find(|a| a.recused.is_empty())
        .unwrap()
        .clone();
    let app = row.app_id;
    svc.discuss_now(app).unwrap();
    let pending: Vec<String> = svc
        .open_meeting(cycle(&svc))
        .unwrap()
        .unwrap()
        .attendees
        .iter()
        .filter(|a| a.sheet.is_some_and(|c| c != Cell::Submitted))
        .map(|a| a.name.clone())
        .collect();
    assert!(!pending.is_empty(), "some have yet to submit");
    match refusal(svc.open_discussion().unwrap_err()) {
        Refusal::NotAllSubmitted { have, need } => assert!(have < need),
        r => panic!("{r:?}"),
    }
    assert!(matches!(
        refusal(svc.open_revision().unwrap_err()),
        Refusal::DiscussionFirst { .. }
    ));
    let rules = svc.cycle(cycle(&svc)).unwrap().rules;
    for name in &pending {
        svc = login(svc, name);
        for c in &rules.criteria {
            svc.save_score(app, &c.key, c.max - 2.0).unwrap();
        }
        svc.submit_sheet(app).unwrap();
    }
    // Before the revision round a submitted sheet does not change.
    let reviser = pending[0].clone();
    svc = login(svc, &reviser);
    let c = &rules.criteria[0];
    assert!(matches!(
        refusal(svc.revise_score(app, &c.key, c.max, "讨论后").unwrap_err()),
        Refusal::RevisionRoundClosed { .. }
    ));
    svc = login(svc, "周明远");
    svc.open_discussion().unwrap();
    assert_eq!(
        svc.open_meeting(cycle(&svc)).unwrap().unwrap().phase,
        Phase::Discussion
    );
    svc.open_revision().unwrap();
    svc = login(svc, &reviser);
    svc.revise_score(app, &c.key, c.max, "经讨论补看了民主测评材料")
        .unwrap();
    // On another candidate the round is not open.
    let other = m.agenda.iter().find(|a| a.app_id != app).unwrap().app_id;
    if svc
        .my_sheet(other)
        .is_ok_and(|s| s.status == Cell::Submitted)
    {
        assert!(svc.revise_score(other, &c.key, c.max, "x").is_err());
    }
    svc = login(svc, "周明远");
    let row = svc
        .open_meeting(cycle(&svc))
        .unwrap()
        .unwrap()
        .current_row()
        .cloned()
        .unwrap();
    assert!(row.discussion && row.revision && row.discussed);
    assert_eq!(row.submitted, row.eligible);
    // Both rounds, side by side, once the results may be seen.
    svc.end_meeting().unwrap();
    svc.close_scoring().unwrap();
    let result = svc
        .results(cycle(&svc))
        .unwrap()
        .into_iter()
        .find(|r| r.app_id == app)
        .unwrap();
    let changed = result
        .sheets
        .iter()
        .find(|s| s.member.as_deref() == Some(reviser.as_str()))
        .unwrap();
    assert!(changed.first_total.is_some_and(|f| f < changed.total));
    assert_eq!(result.revisions.len(), 1);
    assert_eq!(result.revisions[0].reason, "经讨论补看了民主测评材料");
    let report = svc.check(&[]).unwrap();
    assert!(report.ok(), "{report:?}");
}

#[test]
fn each_turn_has_the_rules_time_which_the_chair_extends() {
    let mut svc = started();
    let rules = svc.cycle(cycle(&svc)).unwrap().rules;
    let minutes = rules
        .meeting
        .minutes_per_candidate
        .expect("the demo rules give a time");
    let extend = rules.meeting.extend_minutes.expect("and an extension");
    let m = svc.open_meeting(cycle(&svc)).unwrap().unwrap();
    assert_eq!(m.seconds_left, None, "no turn yet");
    assert!(matches!(
        refusal(svc.extend_turn().unwrap_err()),
        Refusal::NoCandidateNow
    ));
    svc.discuss_now(m.agenda[0].app_id).unwrap();
    later(&mut svc, 90);
    let left = svc.open_meeting(cycle(&svc)).unwrap().unwrap().seconds_left;
    assert_eq!(left, Some(i64::from(minutes) * 60 - 90));
    assert_eq!(svc.extend_turn().unwrap(), extend);
    let left = svc.open_meeting(cycle(&svc)).unwrap().unwrap().seconds_left;
    assert_eq!(left, Some(i64::from(minutes + extend) * 60 - 90));
    // A new turn starts its own time.
    svc.discuss_now(m.agenda[1].app_id).unwrap();
    let now = svc.open_meeting(cycle(&svc)).unwrap().unwrap();
    assert_eq!(now.seconds_left, Some(i64::from(minutes) * 60));
    assert_eq!(now.extra_minutes, 0);
}

#[test]
fn the_chair_reorders_the_agenda() {
    let mut svc = started();
    let before = agenda(&svc);
    svc.move_on_agenda(before[0], 1).unwrap();
    let after = agenda(&svc);
    assert_eq!(after[0], before[1]);
    assert_eq!(after[1], before[0]);
    assert_eq!(after[2..], before[2..]);
    // At the top, up does nothing.
    svc.move_on_agenda(after[0], -1).unwrap();
    assert_eq!(agenda(&svc), after);
    svc = login(svc, "陈静怡");
    assert!(matches!(
        svc.move_on_agenda(after[0], 1),
        Err(ServiceError::Forbidden {
            deed: Deed::RunMeeting,
            ..
        })
    ));
    assert_eq!(agenda(&svc), after, "a member's try changed nothing");
}

#[test]
fn ended_meetings_take_no_heartbeats_and_free_revisions() {
    let mut svc = started();
    svc.end_meeting().unwrap();
    assert!(svc.open_meeting(cycle(&svc)).unwrap().is_none());
    assert!(svc
        .latest_meeting(cycle(&svc))
        .unwrap()
        .unwrap()
        .ended_at
        .is_some());
    svc = login(svc, "陈静怡");
    assert_eq!(svc.meeting_heartbeat(None).unwrap(), None);
    assert_eq!(
        refusal(login(svc, "周明远").end_meeting().unwrap_err()),
        Refusal::NoMeeting
    );
}
