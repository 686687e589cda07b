//! Labels and marks several screens share: how a member's sheet stands, the scoring
//! session, conflicts of interest, the keys a role may use, and a bar of a value.

use super::super::theme::Theme;
use crate::domain::ConflictKind;
use crate::i18n::Lang;
use crate::service::evaluation::{Cell, Session};
use ratatui::style::Style;

/// A bar of `width` cells filled to `value / max`.
pub fn bar(value: f64, max: f64, width: usize) -> (String, String) {
    let filled = if max > 0.0 {
        ((value / max).clamp(0.0, 1.0) * width as f64).round() as usize
    } else {
        0
    };
    ("█".repeat(filled), "░".repeat(width - filled))
}

/// How a member's sheet for a candidate stands, as a short label.
pub fn cell_label(cell: Cell, lang: Lang) -> &'static str {
    match cell {
        Cell::Submitted => lang.pick("已提交", "submitted"),
        Cell::Draft => lang.pick("草稿", "draft"),
        Cell::Pending => lang.pick("待评", "todo"),
        Cell::Recused => lang.pick("回避", "recused"),
    }
}

/// How a member's sheet for a candidate stands, as a style.
pub fn cell_style(cell: Cell, theme: &Theme) -> Style {
    match cell {
        Cell::Submitted => theme.ok(),
        Cell::Draft => theme.warn(),
        Cell::Pending => theme.muted(),
        Cell::Recused => theme.error(),
    }
}

/// The scoring session as a phrase.
pub fn session_label(s: Option<&Session>, lang: Lang) -> String {
    match s {
        Some(Session::Open { since, .. }) => match lang {
            Lang::Zh => format!("评分进行中（{} 开始）", short_time(since)),
            Lang::En => format!("scoring open (since {})", short_time(since)),
        },
        Some(Session::Closed { at }) => match lang {
            Lang::Zh => format!("评分已结束（{}）", short_time(at)),
            Lang::En => format!("scoring closed ({})", short_time(at)),
        },
        _ => lang.pick("评分未开始", "scoring not opened").to_string(),
    }
}

/// The scoring session in a word or two.
pub fn session_short(s: Option<&Session>, lang: Lang) -> String {
    match s {
        Some(Session::Open { .. }) => lang.pick("评分中", "scoring"),
        Some(Session::Closed { .. }) => lang.pick("评分已结束", "closed"),
        _ => lang.pick("未开始", "not opened"),
    }
    .to_string()
}

/// `2026-11-26 09:30:00` -> `2026-11-26 09:30`.
pub fn short_time(at: &str) -> String {
    let t = at.replace('T', " ");
    t.get(..16).unwrap_or(&t).to_string()
}

/// A kind of conflict of interest, by its code.
pub fn conflict_kind(code: &str, lang: Lang) -> &'static str {
    let kind = ConflictKind::parse(code).unwrap_or(ConflictKind::Other);
    lang.pick(kind.zh(), kind.en())
}
