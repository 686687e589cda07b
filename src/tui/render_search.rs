//! Rendering of the search popup: the query, how many match, and the best matches
//! with the matched characters highlighted (cut by display cells, never mid-character).

use super::i18n::Lang;
use super::render::{block, centred, clear_popup, text_spans};
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

/// Widths of the popup's columns for a line of `width` cells: name, organisation,
/// position, county (0 when too narrow), grade, stage (0 when too narrow), ID tail.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Columns {
    name: usize,
    organisation: usize,
    position: usize,
    county: usize,
    grade: usize,
    stage: usize,
    id: usize,
}

impl Columns {
    fn new(width: usize, lang: Lang) -> Columns {
        let (name, id) = (8, 5);
        let (grade, stage_w) = match lang {
            Lang::Zh => (4, 4),
            Lang::En => (5, 9),
        };
        // The marker and the spaces between the four columns always shown.
        let rest = width.saturating_sub(1 + name + grade + id + 4);
        let wide = rest >= 56;
        let (county, stage) = if wide { (8, stage_w) } else { (0, 0) };
        let rest = rest.saturating_sub(if wide { county + stage + 2 } else { 0 });
        // Organisation and position share what is left (with a space between).
        let position = (rest / 4).clamp(6, 16);
        let organisation = rest.saturating_sub(position + 1);
        Columns {
            name,
            organisation,
            position,
            county,
            grade,
            stage,
            id,
        }
    }
}

/// The column titles, muted, over the matches.
fn header(c: Columns, lang: Lang, theme: &Theme) -> Line<'static> {
    let titles = [
        (lang.pick("姓名", "Name"), c.name),
        (lang.pick("单位", "Organisation"), c.organisation),
        (lang.pick("职务", "Post"), c.position),
        (lang.pick("所在地", "Place"), c.county),
        (lang.pick("等级", "Grade"), c.grade),
        (lang.pick("环节", "Stage"), c.stage),
        (lang.pick("证件", "ID"), c.id),
    ];
    let mut spans = vec![Span::raw(" ")];
    for (i, (t, w)) in titles.into_iter().filter(|(_, w)| *w > 0).enumerate() {
        if i > 0 {
            spans.push(Span::raw(" "));
        }
        spans.extend(marked(t, &[], w, theme.muted(), theme.muted(), true));
    }
    Line::from(spans)
}

fn hit_line(h: &Hit, c: Columns, lang: Lang, selected: bool, theme: &Theme) -> Line<'static> {
    let base = if selected {
        theme.selected()
    } else {
        theme.base()
    };
    let mark = base
        .patch(theme.accent())
        .add_modifier(Modifier::BOLD | Modifier::UNDERLINED);
    let muted = if selected { base } else { theme.muted() };
    let gap = || Span::styled(" ", base);
    let mut spans = vec![Span::styled(
        if selected { "›" } else { " " },
        theme.accent(),
    )];
    spans.extend(marked(
        &h.name,
        &h.highlights.name,
        c.name,
        base,
        mark,
        true,
    ));
    spans.push(gap());
    spans.extend(marked(
        &h.organisation,
        &h.highlights.organisation,
        c.organisation,
        base,
        mark,
        true,
    ));
    spans.push(gap());
    spans.extend(marked(
        &h.position,
        &h.highlights.position,
        c.position,
        muted,
        mark,
        true,
    ));
    // The place: the county, or the township where the query matched that.
    let place = if h.highlights.township.is_empty() {
        (&h.county, &h.highlights.county)
    } else {
        (&h.township, &h.highlights.township)
    };
    if c.county > 0 {
        spans.push(gap());
        spans.extend(marked(place.0, place.1, c.county, muted, mark, true));
    }
    spans.push(gap());
    spans.extend(marked(
        lang.grade_short(h.grade),
        &[],
        c.grade,
        muted,
        mark,
        true,
    ));
    if c.stage > 0 {
        spans.push(gap());
        let stage = h.stage.map_or("", |s| lang.stage_short(s));
        spans.extend(marked(stage, &[], c.stage, muted, mark, true));
    }
    spans.push(gap());
    // The last four characters of the masked ID number: all that is visible.
    let n = h.masked_id.chars().count();
    let offset = n.saturating_sub(4);
    let tail: String = h.masked_id.chars().skip(offset).collect();
    let id_marks: Vec<usize> = h
        .highlights
        .id
        .iter()
        .filter_map(|i| i.checked_sub(offset))
        .collect();
    spans.push(Span::styled("…", muted));
    spans.extend(marked(&tail, &id_marks, c.id - 1, muted, mark, true));
    Line::from(spans)
}

/// The popup over the screen. Returns how many matches it has room for (the page of
/// PgDn and PgUp).
pub fn popup(s: &SearchPopup, lang: Lang, theme: &Theme, frame: &mut Frame, area: Rect) -> usize {
    let w = u16::try_from(u32::from(area.width) * 9 / 10)
        .unwrap_or(u16::MAX)
        .clamp(60, 110);
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
    let mut query = vec![Span::styled(
        "/ ",
        theme.accent().add_modifier(Modifier::BOLD),
    )];
    query.extend(text_spans(&s.query, width.saturating_sub(2), theme.input()));
    let mut lines = vec![Line::from(query)];
    // A query that cannot run says why, over as many lines as that takes.
    if let Some(e) = &s.error {
        for part in crate::text::wrap_cells(e, width.max(1)) {
            lines.push(Line::styled(part, theme.error()));
        }
    }
    let count = match (&s.error, lang) {
        (Some(_), _) => None,
        (None, _) if s.indexing => Some(Line::styled(
            lang.pick("正在读取人员档案……", "Reading the personnel files…"),
            theme.muted(),
        )),
        (None, Lang::Zh) => Some(Line::styled(
            format!(
                "共 {} 人{}",
                s.total,
                if s.total > s.hits.len() {
                    format!("，显示前 {}，继续输入可缩小范围", s.hits.len())
                } else {
                    String::new()
                }
            ),
            theme.muted(),
        )),
        (None, Lang::En) => Some(Line::styled(
            format!(
                "{} match(es){}",
                s.total,
                if s.total > s.hits.len() {
                    format!(", the best {} shown: type more to narrow", s.hits.len())
                } else {
                    String::new()
                }
            ),
            theme.muted(),
        )),
    };
    lines.extend(count);
    let columns = Columns::new(width, lang);
    if !s.hits.is_empty() {
        lines.push(header(columns, lang, theme));
    }
    let rows = usize::from(inner.height).saturating_sub(5);
    let offset = super::search::in_view(s.selected, s.offset, rows);
    for (i, h) in s.hits.iter().enumerate().skip(offset).take(rows) {
        lines.push(hit_line(h, columns, lang, i == s.selected, theme));
    }
    if s.hits.is_empty() && s.error.is_none() && !s.shown.is_empty() {
        lines.push(Line::styled(
            lang.pick("没有找到", "Nobody found"),
            theme.muted(),
        ));
    }
    frame.render_widget(Paragraph::new(lines), inner);
    let hint = lang.pick(
        "汉字、全拼、首字母均可 · 筛选 等级: 环节: 区县: 类别: 认证:",
        "Hanzi, pinyin or initials · filters grade: stage: county: cat: cert:",
    );
    let hint_rect = Rect {
        y: rect.y + rect.height.saturating_sub(2),
        x: inner.x,
        width: inner.width,
        height: 1,
    };
    frame.render_widget(
        Paragraph::new(Line::styled(crate::text::fit(hint, width), theme.muted())),
        hint_rect,
    );
    rows
}
