//! Rendering of stage 6's registers: objections, certificates and the allowance roll.

use super::app::Board;
use crate::domain::workdays::uncovered_warning;
use crate::i18n::Lang;

/// The stage-6 list's titles, longest first: the notice period and how it stands, in
/// full and in short, each with the warning of a period counted without a holiday
/// calendar (in full, then in brief) when it was.
pub fn notice_labels(b: &Board, lang: Lang) -> Vec<String> {
    let Some(n) = &b.notice else {
        return vec![lang.pick("尚未开始公示", "no notice yet").to_string()];
    };
    let (full, short) = (period_label(n, lang), notice_short(b, lang));
    let Some((zh, en)) = uncovered_warning(&n.uncovered_years) else {
        return vec![full, short];
    };
    let years = n
        .uncovered_years
        .iter()
        .map(|y| y.to_string())
        .collect::<Vec<_>>();
    let brief = match lang {
        Lang::Zh => format!("⚠ 无{}年节假日安排，按双休日计", years.join("、")),
        Lang::En => format!("⚠ no {} holidays: weekdays only", years.join(", ")),
    };
    let warning = format!("⚠ {}", lang.pick(&zh, &en));
    vec![
        format!("{full} {warning}"),
        format!("{full} {brief}"),
        format!("{full} ⚠"),
        format!("{short} {brief}"),
        format!("{short} ⚠"),
    ]
}

fn period_label(n: &crate::service::notice::NoticeView, lang: Lang) -> String {
    match (n.closed, n.ended, lang) {
        (true, _, Lang::Zh) => format!("{} 至 {} 公示已结束", n.start, n.end),
        (true, _, Lang::En) => format!("notice {} to {} closed", n.start, n.end),
        (false, true, Lang::Zh) => format!("公示期 {} 至 {} 已满，待结束公示", n.start, n.end),
        (false, true, Lang::En) => format!("notice {} to {} over: to close", n.start, n.end),
        (false, false, Lang::Zh) => {
            format!(
                "公示期 {} 至 {}，剩 {} 个工作日",
                n.start, n.end, n.days_left
            )
        }
        (false, false, Lang::En) => format!(
            "notice {} to {}, {} working day(s) left",
            n.start, n.end, n.days_left
        ),
    }
}

/// How the notice stands, in a few words.
pub fn notice_short(b: &Board, lang: Lang) -> String {
    match &b.notice {
        None => lang.pick("未公示", "no notice"),
        Some(n) if n.closed => lang.pick("公示已结束", "closed"),
        Some(n) if n.ended => lang.pick("待结束公示", "to close"),
        Some(n) => {
            return match lang {
                Lang::Zh => format!("剩 {} 个工作日", n.days_left),
                Lang::En => format!("{} day(s) left", n.days_left),
            }
        }
    }
    .to_string()
}
