//! The help overlay: every key of every screen, from the keymap, scrollable.

use super::super::keymap::{key_label, Action, Keymap, Mode};
use super::super::theme::Theme;
use super::super::widgets::draw::{block, centred, clear_popup};
use crate::i18n::Lang;
use crate::text::{pad, wrap_cells};
use ratatui::layout::Rect;
use ratatui::style::Modifier;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use ratatui::Frame;

/// The help overlay's state.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Help {
    pub open: bool,
    pub scroll: u16,
}

/// At least as many lines as the help overlay has (a binding, a title and a gap per
/// mode, and the footer), so scrolling stops near its end.
fn lines_of(keymap: &Keymap) -> u16 {
    (keymap.bindings.len() + 16) as u16
}

impl Help {
    /// Opens the help at its top.
    pub fn show(&mut self) {
        self.open = true;
        self.scroll = 0;
    }

    /// Keys of the help; `page` is the height of a page.
    pub fn update(&mut self, keymap: &Keymap, page: usize, action: Action) {
        let max = lines_of(keymap);
        let page = u16::try_from(page.max(1)).unwrap_or(u16::MAX);
        match action {
            Action::Back | Action::Help | Action::Quit => self.open = false,
            Action::Down => self.scroll = (self.scroll + 1).min(max),
            Action::Up => self.scroll = self.scroll.saturating_sub(1),
            Action::PageDown => self.scroll = self.scroll.saturating_add(page).min(max),
            Action::PageUp => self.scroll = self.scroll.saturating_sub(page),
            Action::Top => self.scroll = 0,
            Action::Bottom => self.scroll = max,
            _ => {}
        }
    }

    /// Draws the help over the screen.
    pub fn render(
        &self,
        lang: Lang,
        theme: &Theme,
        keymap: &Keymap,
        frame: &mut Frame,
        area: Rect,
    ) {
        let mut lines = Vec::new();
        let rect = centred(area, 78, area.height.saturating_sub(2));
        let text_width = usize::from(rect.width.saturating_sub(2 + 18)).max(10);
        for mode in Mode::ALL {
            let (zh, en) = mode.title();
            let title = lang.pick(zh, en);
            lines.push(Line::styled(
                title.to_string(),
                theme.title().add_modifier(Modifier::BOLD),
            ));
            for b in keymap.bindings.iter().filter(|b| b.mode == mode) {
                let keys: Vec<String> = b.keys.iter().map(|k| key_label(k)).collect();
                let mut text = lang.pick(&b.zh, &b.en).to_string();
                if !b.stages.is_empty() {
                    let s: Vec<String> = b.stages.iter().map(|s| s.to_string()).collect();
                    let word = match (lang, b.stages.len()) {
                        (Lang::Zh, _) => "环节",
                        (Lang::En, 1) => "stage",
                        (Lang::En, _) => "stages",
                    };
                    text.push_str(&format!(" [{word} {}]", s.join(",")));
                }
                // Long texts continue under the text column, not under the keys.
                let mut first = true;
                for part in wrap_cells(&text, text_width) {
                    let keys = if first {
                        pad(&keys.join(" "), 16)
                    } else {
                        pad("", 16)
                    };
                    first = false;
                    lines.push(Line::from(vec![
                        Span::styled(format!("  {keys}"), theme.accent()),
                        Span::styled(part, theme.base()),
                    ]));
                }
            }
            lines.push(Line::raw(""));
        }
        lines.push(Line::styled(
            lang.pick("  Ctrl-C 随时退出", "  Ctrl-C quits at any time"),
            theme.muted(),
        ));
        clear_popup(frame, rect, area);
        let height = rect.height.saturating_sub(2) as usize;
        let max_scroll = lines.len().saturating_sub(height) as u16;
        let scroll = self.scroll.min(max_scroll);
        let mut outer = block(lang.pick("帮助 · 按键", "Help · keys"), theme, true)
            .border_style(theme.popup_border())
            .style(theme.popup());
        if scroll < max_scroll {
            outer = outer.title_bottom(Span::styled(
                lang.pick(" ↓ 更多（j/↓ 滚动） ", " ↓ more (j/↓ to scroll) "),
                theme.muted(),
            ));
        }
        let inner = outer.inner(rect);
        frame.render_widget(outer, rect);
        frame.render_widget(Paragraph::new(lines).scroll((scroll, 0)), inner);
    }
}
