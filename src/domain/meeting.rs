//! The review meeting (评审会): the chair leads the committee through the session's
//! candidates one by one. Pure parts: the phases of a candidate's turn, the agenda
//! order that makes recused members step out as few times as possible, and the time
//! left on a candidate's turn.

use std::collections::BTreeSet;

coded_enum!(
    /// Where the meeting is with the candidate now discussed.
    Phase {
        Scoring = "scoring", "评分", [];
        Discussion = "discussion", "讨论", [];
        Revision = "revision", "修改轮", [];
    }
);

impl Phase {
    pub fn en(self) -> &'static str {
        match self {
            Phase::Scoring => "scoring",
            Phase::Discussion => "discussion",
            Phase::Revision => "revision round",
        }
    }
}

/// One candidate of the agenda with the members who must recuse from them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Item {
    pub app_id: i64,
    pub recused: BTreeSet<i64>,
}

/// How many times members step out over the agenda taken in this order: a member
/// steps out once for every run of consecutive candidates they must recuse from.
pub fn step_outs<'a>(order: impl IntoIterator<Item = &'a BTreeSet<i64>>) -> usize {
    let empty = BTreeSet::new();
    let mut before = &empty;
    let mut n = 0;
    for set in order {
        n += set.difference(before).count();
        before = set;
    }
    n
}

/// The order the agenda starts in: candidates with the same recused members kept
/// together, and each next group chosen so that as few members as possible step out
/// anew (those with no one to recuse first). Within a group, and between equally good
/// groups, the given order is kept.
pub fn suggested_order(items: &[Item]) -> Vec<i64> {
    let mut groups: Vec<(&BTreeSet<i64>, Vec<i64>)> = Vec::new();
    for item in items {
        match groups.iter_mut().find(|(set, _)| **set == item.recused) {
            Some((_, ids)) => ids.push(item.app_id),
            None => groups.push((&item.recused, vec![item.app_id])),
        }
    }
    let empty = BTreeSet::new();
    let mut current = &empty;
    let mut out = Vec::with_capacity(items.len());
    while !groups.is_empty() {
        // New step-outs first; then, of equals, the group that keeps most of those out
        // already out (so they stay out), then the given order.
        let best = (0..groups.len())
            .min_by_key(|&i| {
                let set = groups[i].0;
                (
                    set.difference(current).count(),
                    std::cmp::Reverse(set.intersection(current).count()),
                    i,
                )
            })
            .unwrap_or(0);
        let (set, ids) = groups.remove(best);
        out.extend(ids);
        current = set;
    }
    out
}

/// Seconds left of a candidate's turn that began `elapsed` seconds ago, with the
/// rules' minutes per candidate and the minutes the chair added; negative when over.
pub fn seconds_left(elapsed: i64, minutes: u32, extra_minutes: u32) -> i64 {
    i64::from(minutes + extra_minutes) * 60 - elapsed
}

/// The time left as a clock: `4:30`, or `-0:45` when the turn is over.
pub fn clock(seconds: i64) -> String {
    let sign = if seconds < 0 { "-" } else { "" };
    let s = seconds.unsigned_abs();
    format!("{sign}{}:{:02}", s / 60, s % 60)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(app_id: i64, recused: &[i64]) -> Item {
        Item {
            app_id,
            recused: recused.iter().copied().collect(),
        }
    }

    fn cost(items: &[Item], order: &[i64]) -> usize {
        step_outs(
            order
                .iter()
                .map(|id| &items.iter().find(|i| i.app_id == *id).unwrap().recused),
        )
    }

    #[test]
    fn step_outs_count_runs_of_recusal() {
        let items = [item(1, &[7]), item(2, &[]), item(3, &[7]), item(4, &[7, 8])];
        // 7 out, back, out again (and stays out while 8 joins): 7, 7, 8.
        assert_eq!(cost(&items, &[1, 2, 3, 4]), 3);
        assert_eq!(cost(&items, &[2, 1, 3, 4]), 2);
    }

    #[test]
    fn the_suggested_order_groups_recusals() {
        let items = [
            item(1, &[3]),
            item(2, &[]),
            item(3, &[5]),
            item(4, &[3]),
            item(5, &[]),
            item(6, &[5]),
            item(7, &[3, 5]),
        ];
        let order = suggested_order(&items);
        assert_eq!(order, vec![2, 5, 1, 4, 7, 3, 6]);
        // 3 steps out once (1, 4, 7), 5 once (7, 3, 6): the least possible, as each of
        // them must step out at least once; the given order costs 5.
        assert_eq!(cost(&items, &order), 2);
        assert_eq!(cost(&items, &[1, 2, 3, 4, 5, 6, 7]), 5);
        let mut sorted = order.clone();
        sorted.sort();
        assert_eq!(sorted, vec![1, 2, 3, 4, 5, 6, 7]);
    }

    #[test]
    fn an_agenda_without_recusals_keeps_its_order() {
        let items = [item(9, &[]), item(4, &[]), item(6, &[])];
        assert_eq!(suggested_order(&items), vec![9, 4, 6]);
        assert!(suggested_order(&[]).is_empty());
    }

    #[test]
    fn time_left_and_its_clock() {
        assert_eq!(seconds_left(30, 5, 0), 270);
        assert_eq!(clock(seconds_left(30, 5, 0)), "4:30");
        assert_eq!(clock(seconds_left(345, 5, 0)), "-0:45");
        assert_eq!(seconds_left(345, 5, 2), 75);
        assert_eq!(clock(0), "0:00");
        assert_eq!(clock(3600), "60:00");
    }
}
