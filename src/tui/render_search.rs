//! Rendering of the search popup: the query, how many match, and the best matches
//! with the matched characters highlighted (cut by display cells, never mid-character).

use super::i18n::Lang;
use super::render::{block, centred, clear_popup};
use super::search::SearchPopup;
use super::theme::Theme;
use crate::search::Hit;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use ratatui::Frame;
use unicode_width::UnicodeWidthChar;

/// `text` as spans of at most `width` cells, the characters at `marks` highlighted,
/// padded with spaces to `width` when `pad` is set.
fn marked(
    text: &str,
    marks: &[usize],
    width: usize,
    base: Style,
    mark: Style,
    pad: bool,
) -> Vec<Span<'static>> {
    let mut spans: Vec<Span> = Vec::new();
    let mut used = 0;
    let total: usize = text.chars().map(|c| c.width().unwrap_or(0)).sum();
    let cut = total > width;
    for (i, c) in text.chars().enumerate() {
        let w = c.width().unwrap_or(0);
        // Leave room for the ellipsis when the text does not fit.
        if used + w > width.saturating_sub(usize::from(cut)) {
            break;
        }
        used += w;
        let style = if marks.contains(&i) { mark } else { base };
        spans.push(Span::styled(c.to_string(), style));
    }
    if cut {
        spans.push(Span::styled("…", base));
        used += 1;
    }
    if pad && used < width {
        spans.push(Span::styled(" ".repeat(width - used), base));
    }
    spans
}

fn hit_line(h: &Hit, lang: Lang, width: usize, selected: bool, theme: &Theme) -> Line<'static> {
    let base = if selected {
        theme.selected()
    } else {
        theme.base()
    };
    let mark = base
        .patch(theme.accent())
        .add_modifier(Modifier::BOLD | Modifier::UNDERLINED);
    let muted = if selected { base } else { theme.muted() };
    let id_w = 6;
    let name_w = 8;
    let org_w = width.saturating_sub(name_w + id_w + 3).clamp(8, 40);
    let pos_w = width.saturating_sub(name_w + org_w + id_w + 3);
    let mut spans = vec![Span::styled(if selected { "›" } else { " " }, theme.accent())];
    spans.extend(marked(&h.name, &h.highlights.name, name_w, base, mark, true));
    spans.push(Span::styled(" ", base));
    spans.extend(marked(
        &h.organisation,
        &h.highlights.organisation,
        org_w,
        base,
        mark,
        true,
    ));
    spans.push(Span::styled(" ", base));
    let detail = if h.highlights.county.is_empty() && h.highlights.township.is_empty() {
        (h.position.clone(), h.highlights.position.clone())
    } else if !h.highlights.county.is_empty() {
        (h.county.clone(), h.highlights.county.clone())
    } else {
        (h.township.clone(), h.highlights.township.clone())
    };
    spans.extend(marked(&detail.0, &detail.1, pos_w, muted, mark, true));
    spans.push(Span::styled(" ", base));
    // The last four characters of the masked ID number: all that is visible.
    let tail: String = h.masked_id.chars().rev().take(4).collect::<Vec<_>>().into_iter().rev().collect();
    let offset = h.masked_id.chars().count().saturating_sub(4);
    let id_marks: Vec<usize> = h
        .highlights
        .id
        .iter()
        .filter_map(|i| i.checked_sub(offset))
        .collect();
    spans.push(Span::styled("…", muted));
    spans.extend(marked(&tail, &id_marks, id_w - 1, muted, mark, true));
    let _ = lang;
    Line::from(spans)
}

/// The popup over the screen.
pub fn popup(s: &SearchPopup, lang: Lang, theme: &Theme, frame: &mut Frame, area: Rect) {
    let w = (area.width * 9 / 10).clamp(60, 110);
    let h = area.height.saturating_sub(4).max(10);
    let rect = centred(area, w, h);
    clear_popup(frame, rect, area);
    let title = lang.pick("查找人员档案", "Find a personnel file");
    let outer = block(title, theme, true)
        .border_style(theme.popup_border())
        .style(theme.popup());
    let inner = outer.inner(rect);
    frame.render_widget(outer, rect);
    let width = usize::from(inner.width);
    let mut lines = vec![Line::from(vec![
        Span::styled("/ ", theme.accent().add_modifier(Modifier::BOLD)),
        Span::styled(format!("{}▏", s.query), theme.input()),
    ])];
    let count = match (&s.error, lang) {
        (Some(e), _) => Line::styled(e.clone(), theme.error()),
        (None, Lang::Zh) => Line::styled(
            format!(
                "共 {} 人{}",
                s.total,
                if s.total > s.hits.len() {
                    format!("，显示前 {}", s.hits.len())
                } else {
                    String::new()
                }
            ),
            theme.muted(),
        ),
        (None, Lang::En) => Line::styled(
            format!(
                "{} match(es){}",
                s.total,
                if s.total > s.hits.len() {
                    format!(", the best {} shown", s.hits.len())
                } else {
                    String::new()
                }
            ),
            theme.muted(),
        ),
    };
    lines.push(count);
    let rows = usize::from(inner.height).saturating_sub(4);
    let offset = s.selected.saturating_sub(rows.saturating_sub(1));
    for (i, h) in s.hits.iter().enumerate().skip(offset).take(rows) {
        lines.push(hit_line(h, lang, width.saturating_sub(1), i == s.selected, theme));
    }
    if s.hits.is_empty() && s.error.is_none() && !s.shown.is_empty() {
        lines.push(Line::styled(
            lang.pick("没有找到", "Nobody found"),
            theme.muted(),
        ));
    }
    frame.render_widget(Paragraph::new(lines), inner);
    let hint = lang.pick(
        " 姓名、拼音、首字母、单位、职务、区县、证件号后四位；grade: stage: county: cat: cert: 筛选 · ↑↓ 选择 · Enter 打开档案 · Esc 关闭 ",
        " name, pinyin, initials, organisation, post, county, ID tail; grade: stage: county: cat: cert: filters · ↑↓ · Enter open · Esc close ",
    );
    let hint_rect = Rect {
        y: rect.y + rect.height.saturating_sub(2),
        x: inner.x,
        width: inner.width,
        height: 1,
    };
    frame.render_widget(
        Paragraph::new(Line::styled(crate::text::fit(hint.trim(), width), theme.muted())),
        hint_rect,
    );
}
