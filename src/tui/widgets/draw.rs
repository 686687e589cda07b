//! Drawing helpers every screen uses: blocks, popups, wrapped lines, tables.

use super::super::keymap::{key_label, Action, Keymap, Mode};
use super::super::text_input::{TextInput, CURSOR};
use super::super::theme::Theme;
use crate::i18n::Lang;
use crate::text::{is_word, word_start};
use ratatui::layout::{Alignment, Rect};
use ratatui::style::Modifier;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Borders, Clear, Paragraph, Table};
use ratatui::Frame;
use unicode_width::UnicodeWidthStr;

/// Clears a popup's rectangle and one column on each side, so that no wide character
/// of the screen below is left cut in half by the popup's border.
pub fn clear_popup(frame: &mut Frame, rect: Rect, area: Rect) {
    let x = rect.x.saturating_sub(1).max(area.x);
    let right = (rect.x + rect.width + 1).min(area.x + area.width);
    frame.render_widget(
        Clear,
        Rect {
            x,
            width: right - x,
            ..rect
        },
    );
}

/// A rectangle of `w` x `h` centred in `area`.
pub fn centred(area: Rect, w: u16, h: u16) -> Rect {
    let w = w.min(area.width);
    let h = h.min(area.height);
    Rect {
        x: area.x + (area.width - w) / 2,
        y: area.y + (area.height - h) / 2,
        width: w,
        height: h,
    }
}

pub fn block<'a>(title: &'a str, theme: &Theme, focused: bool) -> Block<'a> {
    Block::default()
        .borders(Borders::ALL)
        .border_type(BorderType::Rounded)
        .border_style(theme.border(focused))
        .title(Span::styled(format!(" {title} "), theme.title()))
}

/// A one-line text in `width` cells with the cursor where it is (kept in view).
pub fn text_spans(
    text: &TextInput,
    width: usize,
    style: ratatui::style::Style,
) -> Vec<Span<'static>> {
    let (before, after) = text.view(width);
    vec![
        Span::styled(before.to_string(), style),
        Span::styled(CURSOR, style),
        Span::styled(after.to_string(), style),
    ]
}

/// Wraps a styled line at `width` cells; continuation lines start with `indent`
/// spaces. Wide characters are never split; an English word moves to the next line
/// whole (unless it is longer than a line); and, as Chinese typesetting wants, a
/// closing bracket or punctuation mark never starts a line (the character before it
/// goes down with it), nor does an opening one end a line.
pub fn wrap_line(line: Line<'static>, width: usize, indent: usize) -> Vec<Line<'static>> {
    use unicode_width::UnicodeWidthChar;
    if line.width() <= width || width <= indent + 2 {
        return vec![line];
    }
    let cells = |c: char| c.width().unwrap_or(0);
    let chars: Vec<(char, Style)> = line
        .spans
        .iter()
        .flat_map(|s| s.content.chars().map(move |c| (c, s.style)))
        .collect();
    let mut out: Vec<Line<'static>> = Vec::new();
    let mut current: Vec<(char, Style)> = Vec::new();
    // Characters of the indent at the start of `current`, which are never broken.
    let mut lead = 0;
    let mut used = 0;
    for (c, style) in chars {
        let w = cells(c);
        if used + w > width && current.len() > lead {
            let mut cut = current.len();
            if closes(c) && cut > lead + 1 {
                cut -= 1;
            }
            // Never inside a word or a number (`80`, `83.88`): the whole of it goes
            // down, from after the last space or wide character.
            let next = current.get(cut).map_or(c, |(x, _)| *x);
            if is_word(next) && cut > lead && is_word(current[cut - 1].0) {
                let start = word_start(current[lead..cut].iter().map(|(x, _)| *x));
                if start > 0 {
                    cut = lead + start;
                }
            }
            // Nor does an opening bracket end one.
            while cut > lead + 1 && opens(current[cut - 1].0) {
                cut -= 1;
            }
            let mut carried = current.split_off(cut);
            while current.last().is_some_and(|(x, _)| *x == ' ') && current.len() > lead {
                current.pop();
            }
            while carried.first().is_some_and(|(x, _)| *x == ' ') {
                carried.remove(0);
            }
            // A word longer than a line is cut where it reaches the edge after all.
            let carried_w: usize = carried.iter().map(|(x, _)| cells(*x)).sum();
            if indent + carried_w + w > width {
                current.append(&mut carried);
            }
            out.push(styled_line(&current));
            current = vec![(' ', Style::default()); indent];
            lead = indent;
            current.extend(carried);
            used = current.iter().map(|(x, _)| cells(*x)).sum();
        }
        current.push((c, style));
        used += w;
    }
    out.push(styled_line(&current));
    out
}

/// An opening bracket or quotation mark, which must not end a line.
fn opens(c: char) -> bool {
    "（《「『【〈“‘([{".contains(c)
}

/// A closing bracket or punctuation mark, which must not start a line.
fn closes(c: char) -> bool {
    "，。、；：！？）》」』】〉”’….,;:!?)]}%".contains(c)
}

/// Characters with their styles as a line of spans, one span per run of a style.
fn styled_line(chars: &[(char, Style)]) -> Line<'static> {
    let mut spans: Vec<Span<'static>> = Vec::new();
    let mut run = String::new();
    let mut style = chars.first().map(|(_, s)| *s).unwrap_or_default();
    for &(c, s) in chars {
        if s != style && !run.is_empty() {
            spans.push(Span::styled(std::mem::take(&mut run), style));
        }
        style = s;
        run.push(c);
    }
    if !run.is_empty() {
        spans.push(Span::styled(run, style));
    }
    Line::from(spans)
}

/// Draws a table, or when it has no rows a centred note instead.
pub fn table_or(
    frame: &mut Frame,
    area: Rect,
    theme: &Theme,
    table: Table,
    empty: bool,
    note: &str,
) {
    if empty {
        frame.render_widget(
            Paragraph::new(Line::styled(note.to_string(), theme.muted()))
                .alignment(Alignment::Center),
            area,
        );
    } else {
        frame.render_widget(table.column_spacing(1), area);
    }
}

/// How many rows `lines` take when wrapped at `width` cells.
pub fn wrapped_height(lines: &[Line], width: u16) -> u16 {
    let w = usize::from(width.max(1));
    lines
        .iter()
        .map(|l| l.width().max(1).div_ceil(w) as u16)
        .sum()
}

pub fn hints(
    keymap: &Keymap,
    mode: Mode,
    stage: Option<usize>,
    lang: Lang,
    theme: &Theme,
) -> Line<'static> {
    hints_only(keymap, mode, stage, lang, theme, None, usize::MAX)
}

/// The hint line of a mode, optionally only for some actions, in at most `width`
/// cells: when they do not all fit, whole hints are left out from the end, but the
/// one for help (which lists every key) stays.
pub fn hints_only(
    keymap: &Keymap,
    mode: Mode,
    stage: Option<usize>,
    lang: Lang,
    theme: &Theme,
    only: Option<&[Action]>,
    width: usize,
) -> Line<'static> {
    let mut shown: Vec<(String, String, bool)> = keymap
        .for_mode(mode, stage)
        .filter(|b| b.hint && only.is_none_or(|o| o.contains(&b.action)))
        .map(|b| {
            (
                key_label(&b.keys[0]),
                format!(" {}  ", b.hint_text(lang.zh())),
                b.action == Action::Help,
            )
        })
        .collect();
    let cells = |h: &[(String, String, bool)]| -> usize {
        h.iter()
            .map(|(k, t, _)| k.width() + t.trim_end().width() + 2)
            .sum::<usize>()
            .saturating_sub(2)
    };
    while cells(&shown) > width {
        let Some(last) = shown.iter().rposition(|(_, _, help)| !help) else {
            break;
        };
        shown.remove(last);
    }
    let mut spans = Vec::new();
    for (key, text, _) in shown {
        spans.push(Span::styled(
            key,
            theme.accent().add_modifier(Modifier::BOLD),
        ));
        spans.push(Span::styled(text, theme.status()));
    }
    Line::from(spans)
}

/// Text in brackets: full-width in Chinese, ASCII in English.
pub fn paren(lang: Lang, text: &str) -> String {
    match lang {
        Lang::Zh => format!("（{text}）"),
        Lang::En => format!(" ({text})"),
    }
}

/// Two panes: side by side on a wide terminal (110 cells or more), one above the other
/// otherwise, each pair of percentages for the first and the second.
pub fn two_panes(area: Rect, wide: (u16, u16), narrow: (u16, u16)) -> [Rect; 2] {
    use ratatui::layout::{Constraint, Direction, Layout};
    let is_wide = area.width >= 110;
    let (a, b) = if is_wide { wide } else { narrow };
    let parts = Layout::default()
        .direction(if is_wide {
            Direction::Horizontal
        } else {
            Direction::Vertical
        })
        .constraints([Constraint::Percentage(a), Constraint::Percentage(b)])
        .split(area);
    [parts[0], parts[1]]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn wrapped(text: &str, width: usize, indent: usize) -> Vec<String> {
        wrap_line(Line::raw(text.to_string()), width, indent)
            .iter()
            .map(|l| l.spans.iter().map(|s| s.content.as_ref()).collect())
            .collect()
    }

    #[test]
    fn english_words_move_down_whole() {
        assert_eq!(
            wrapped("0 received, 1 dismissed", 14, 0),
            ["0 received, 1", "dismissed"]
        );
        assert_eq!(
            wrapped("at least competent required", 20, 2),
            ["at least competent", "  required"]
        );
        // A word longer than the line is cut at the edge.
        assert_eq!(wrapped("abcdefghijkl", 5, 0), ["abcde", "fghij", "kl"]);
    }

    #[test]
    fn closing_marks_never_start_a_line() {
        // "（符合）" at the edge: the bracket takes 合 down with it.
        assert_eq!(
            wrapped("任职年限：7.8，要求不少于 1（符合）", 30, 1),
            ["任职年限：7.8，要求不少于 1", " （符合）"]
        );
        assert_eq!(wrapped("一二三四五，六", 10, 0), ["一二三四", "五，六"]);
        // Styles survive the wrap.
        let line = Line::from(vec![
            Span::styled("甲乙丙", Style::default().add_modifier(Modifier::BOLD)),
            Span::raw("丁戊己"),
        ]);
        let out = wrap_line(line, 8, 0);
        assert_eq!(out.len(), 2);
        assert_eq!(out[0].spans[0].content, "甲乙丙");
        assert!(out[0].spans[0].style.add_modifier.contains(Modifier::BOLD));
        assert_eq!(out[0].spans[1].content, "丁");
        assert_eq!(out[1].spans[0].content, "戊己");
    }
}
