//! The search popup (`/` on any screen): results on every keystroke, Enter opens the
//! personnel file, Esc closes and leaves everything as it was. Drawn with the query,
//! how many match, and the best matches with the matched characters highlighted (cut
//! by display cells, never mid-character).

use super::super::effect::Effect;
use super::super::keymap::Action;
use super::super::text_input::{Edit, TextInput};
use super::super::theme::Theme;
use super::super::widgets::cursor::{in_view, Cursor};
use super::super::widgets::draw::{block, centred, clear_popup, text_spans};
use crate::i18n::Lang;
use crate::search::{Hit, Reply};
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use ratatui::Frame;
use unicode_width::UnicodeWidthChar;

/// How many matches the popup asks for.
pub const LIMIT: usize = 50;

/// The popup's state.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SearchPopup {
    pub query: TextInput,
    /// The matches for `shown`, best first.
    pub hits: Vec<Hit>,
    pub total: usize,
    /// The query the hits answer (the one typed may be newer).
    pub shown: String,
    /// Why the query cannot run (an unknown filter…), in the screen's language.
    pub error: Option<String>,
    /// The ticket of the search still running, if any.
    pub pending: Option<u64>,
    /// The persons are still being read into the index.
    pub indexing: bool,
    /// The match under the cursor, and the first one shown (the list scrolls to keep
    /// the selected one in view).
    pub cursor: Cursor,
    /// Enter was pressed before the answer to the typed query came: its best match
    /// opens when it does.
    pub open_on_answer: bool,
}

/// What a key did to the popup.
#[derive(Debug, Clone, PartialEq)]
pub enum Step {
    /// It stays open, with these effects.
    Stay(Vec<Effect>),
    /// Esc: it closes.
    Close,
    /// Enter on a match: it closes and that person's file opens.
    Open(i64),
}

impl SearchPopup {
    /// A character typed into the query, at its cursor.
    pub fn type_char(&mut self, c: char) -> Vec<Effect> {
        self.query.insert(c);
        vec![Effect::Search(self.query.to_string())]
    }

    /// A text pasted into the query, whole, at its cursor: one search for all of it.
    pub fn paste(&mut self, text: &str) -> Vec<Effect> {
        self.query.insert_str(&crate::text::pasted(text, false));
        vec![Effect::Search(self.query.to_string())]
    }

    /// Keys of the popup; `page` is the number of matches it shows.
    pub fn update(&mut self, page: usize, action: Action) -> Step {
        let page = page.max(1);
        // Moving the cursor, deleting (a character, the word before the cursor, all
        // of it): a changed query is searched for.
        if let Some(edit) = Edit::of(action) {
            if self.query.apply(edit) {
                return Step::Stay(vec![Effect::Search(self.query.to_string())]);
            }
            return Step::Stay(vec![]);
        }
        if self.cursor.moved(action, self.hits.len(), page) {
            self.cursor.keep_in_view(page);
            return Step::Stay(vec![]);
        }
        match action {
            Action::Back => return Step::Close,
            Action::Submit => {
                // The matches on screen answer an older query: open the best match
                // of the typed one when its answer comes.
                if !self.answered() {
                    self.open_on_answer = true;
                    return Step::Stay(vec![]);
                }
                return match self.hits.get(self.cursor.at) {
                    Some(h) => Step::Open(h.person_id),
                    None => Step::Stay(vec![]),
                };
            }
            _ => {}
        }
        self.keep_in_view(page);
        Step::Stay(vec![])
    }

    /// Takes an answer of the search thread if it answers the search the popup waits
    /// for. Returns whether the popup changed, and the person whose file to open
    /// when Enter was pressed before the answer came.
    pub fn answered_by(&mut self, reply: Reply, lang: Lang) -> (bool, Option<i64>) {
        if self.pending != Some(reply.ticket) {
            return (false, None);
        }
        self.pending = None;
        // An answer comes only from a read index.
        self.indexing = false;
        // New matches start from the best one.
        if self.shown != reply.query {
            self.cursor.reset();
        }
        self.shown = reply.query;
        match reply.outcome {
            Ok(results) => {
                self.hits = results.hits;
                self.total = results.total;
                self.error = None;
            }
            Err(e) => {
                self.hits.clear();
                self.total = 0;
                self.error = Some(match lang {
                    Lang::Zh => e.zh(),
                    Lang::En => e.to_string(),
                });
            }
        }
        self.cursor.clamp(self.hits.len());
        let open = if self.open_on_answer && self.answered() {
            self.open_on_answer = false;
            self.hits.first().map(|h| h.person_id)
        } else {
            None
        };
        (true, open)
    }

    /// How the search thread stands: still reading the persons, failed, or stopped.
    /// Returns whether the popup changed.
    pub fn worker_state(
        &mut self,
        lang: Lang,
        indexing: bool,
        failure: Option<String>,
        running: bool,
    ) -> bool {
        let mut changed = false;
        let failure = failure.map(|f| match lang {
            Lang::Zh => format!("无法读取人员档案：{f}"),
            Lang::En => format!("cannot read the personnel files: {f}"),
        });
        if self.indexing != indexing || failure.is_some() && self.error != failure {
            self.indexing = indexing;
            self.error = failure.or(self.error.take());
            changed = true;
        }
        // A search thread that stopped (it should not) answers nothing more: say so
        // rather than wait.
        if !running {
            self.pending = None;
            self.error = Some(
                lang.pick(
                    "查找意外中断，请按 Esc 后重新查找",
                    "The search stopped unexpectedly: press Esc and search again",
                )
                .to_string(),
            );
            changed = true;
        }
        changed
    }

    /// Draws the popup over the screen. Returns how many matches it has room for (the
    /// page of PgDn and PgUp).
    pub fn render(&self, lang: Lang, theme: &Theme, frame: &mut Frame, area: Rect) -> usize {
        popup(self, lang, theme, frame, area)
    }

    /// Whether the matches shown answer the query as typed.
    pub fn answered(&self) -> bool {
        self.pending.is_none() && self.query == self.shown
    }

    /// Scrolls so that the selected match is among the `rows` shown.
    pub fn keep_in_view(&mut self, rows: usize) {
        self.cursor.keep_in_view(rows);
    }
}

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
fn popup(s: &SearchPopup, lang: Lang, theme: &Theme, frame: &mut Frame, area: Rect) -> usize {
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
    let offset = in_view(s.cursor.at, s.cursor.offset, rows);
    for (i, h) in s.hits.iter().enumerate().skip(offset).take(rows) {
        lines.push(hit_line(h, columns, lang, i == s.cursor.at, theme));
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

#[cfg(test)]
mod tests {
    use super::*;

    fn popup(query: &str) -> SearchPopup {
        SearchPopup {
            query: query.into(),
            ..SearchPopup::default()
        }
    }

    /// A key on a popup of 10 matches a page, and the effects it asked for.
    fn update(s: &mut SearchPopup, action: Action) -> Vec<Effect> {
        match s.update(10, action) {
            Step::Stay(fx) => fx,
            other => panic!("the popup closed: {other:?}"),
        }
    }

    #[test]
    fn words_come_off_the_query_and_it_empties() {
        let mut s = popup("等级:高级  zhang w ");
        assert_eq!(
            update(&mut s, Action::DeleteWord),
            [Effect::Search("等级:高级  zhang ".into())]
        );
        update(&mut s, Action::DeleteWord);
        assert_eq!(s.query, "等级:高级  ");
        assert_eq!(
            update(&mut s, Action::ClearQuery),
            [Effect::Search(String::new())]
        );
        assert!(
            update(&mut s, Action::ClearQuery).is_empty(),
            "nothing to clear"
        );
        assert!(update(&mut s, Action::DeleteWord).is_empty());
    }

    #[test]
    fn the_selection_pages_and_stays_on_the_matches() {
        let mut s = popup("z");
        let hit = |id| crate::search::Hit {
            person_id: id,
            name: String::new(),
            organisation: String::new(),
            position: String::new(),
            county: String::new(),
            township: String::new(),
            masked_id: String::new(),
            category: crate::domain::Category::Secretary,
            grade: None,
            stage: None,
            certified: false,
            kind: crate::search::MatchKind::Fuzzy,
            score: 0,
            highlights: Default::default(),
        };
        s.hits = (0..25).map(hit).collect();
        s.shown = "z".into();
        update(&mut s, Action::PageDown);
        assert_eq!(s.cursor.at, 10);
        update(&mut s, Action::PageDown);
        update(&mut s, Action::PageDown);
        assert_eq!(s.cursor.at, 24);
        update(&mut s, Action::PageUp);
        assert_eq!(s.cursor.at, 14);
        assert_eq!(s.cursor.offset, 14, "the page scrolled up");
        update(&mut s, Action::Down);
        assert_eq!(s.cursor.offset, 14, "in view: no scrolling");
        update(&mut s, Action::Up);
        assert_eq!(s.update(10, Action::Submit), Step::Open(14));
    }

    #[test]
    fn enter_before_the_answer_waits_for_it() {
        let mut s = popup("zhangw");
        s.shown = "zhang".into();
        s.pending = Some(7);
        assert!(update(&mut s, Action::Submit).is_empty());
        assert!(s.open_on_answer);
    }
}
