//! The help overlay: every key of every screen, from the keymap, the keys of the
//! screen it was opened on first; scrollable, and filtered by what `/` types.

use super::super::keymap::{key_label, Action, Binding, Keymap, Mode};
use super::super::text_input::{Edit, TextInput, CURSOR};
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
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Help {
    pub open: bool,
    pub scroll: u16,
    /// The mode of the screen it was opened on: its keys come first.
    pub first: Option<Mode>,
    /// What the keys shown must contain (in their keys or their text).
    pub filter: TextInput,
    /// The filter is being typed.
    pub filtering: bool,
}

/// At least as many lines as the help overlay has (a binding, a title and a gap per
/// mode, and the footer), so scrolling stops near its end.
fn lines_of(keymap: &Keymap) -> u16 {
    (keymap.bindings.len() + 20) as u16
}

impl Help {
    /// Opens the help at its top, the keys of `mode` first.
    pub fn show(&mut self, mode: Mode) {
        *self = Help {
            open: true,
            first: Some(mode),
            ..Help::default()
        };
    }

    /// The modes in the order shown: the screen's own first.
    fn modes(&self) -> Vec<Mode> {
        let mut modes: Vec<Mode> = self.first.into_iter().collect();
        modes.extend(Mode::ALL.iter().copied().filter(|m| Some(*m) != self.first));
        modes
    }

    /// Whether a binding is shown under the filter.
    fn shows(&self, b: &Binding) -> bool {
        let f = self.filter.trim().to_lowercase();
        f.is_empty()
            || b.zh.to_lowercase().contains(&f)
            || b.en.to_lowercase().contains(&f)
            || b.keys
                .iter()
                .any(|k| k.to_lowercase() == f || key_label(k).to_lowercase() == f)
    }

    /// A character typed into the filter.
    pub fn type_char(&mut self, c: char) {
        self.filter.insert(c);
        self.scroll = 0;
    }

    /// A text pasted into the filter.
    pub fn paste(&mut self, text: &str) {
        self.filter.insert_str(&crate::text::pasted(text, false));
        self.scroll = 0;
    }

    /// A key while the filter is typed: edits change it, Enter keeps it, Esc empties
    /// it.
    pub fn filter_key(&mut self, action: Action) {
        if let Some(edit) = Edit::of(action) {
            self.filter.apply(edit);
            self.scroll = 0;
            return;
        }
        match action {
            Action::Back => {
                self.filter.clear();
                self.filtering = false;
            }
            Action::Submit | Action::Save => self.filtering = false,
            _ => {}
        }
    }

    /// Keys of the help; `page` is the height of a page.
    pub fn update(&mut self, keymap: &Keymap, page: usize, action: Action) {
        let max = lines_of(keymap);
        let page = u16::try_from(page.max(1)).unwrap_or(u16::MAX);
        match action {
            Action::Filter => self.filtering = true,
            Action::Back if !self.filter.is_empty() => {
                self.filter.clear();
                self.scroll = 0;
            }
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
        if self.filtering || !self.filter.is_empty() {
            let caret = if self.filtering { CURSOR } else { "" };
            lines.push(Line::styled(
                format!(
                    "{}{}{caret}",
                    lang.pick("筛选：", "Filter: "),
                    self.filter.as_str()
                ),
                theme.accent(),
            ));
            lines.push(Line::raw(""));
        }
        let mut shown = 0;
        for mode in self.modes() {
            let bindings: Vec<&Binding> = keymap
                .bindings
                .iter()
                .filter(|b| b.mode == mode && self.shows(b))
                .collect();
            if bindings.is_empty() {
                continue;
            }
            shown += bindings.len();
            let (zh, en) = mode.title();
            let mut title = lang.pick(zh, en).to_string();
            if Some(mode) == self.first {
                title.push_str(lang.pick("（本屏幕）", " (this screen)"));
            }
            lines.push(Line::styled(
                title,
                theme.title().add_modifier(Modifier::BOLD),
            ));
            for b in bindings {
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
        if shown == 0 {
            lines.push(Line::styled(
                lang.pick("没有符合筛选的按键", "No key matches the filter"),
                theme.muted(),
            ));
            lines.push(Line::raw(""));
        }
        for (zh, en) in [
            ("  / 筛选按键", "  / filters the keys"),
            (
                "  Ctrl-C 退出（有未保存的输入时先询问）",
                "  Ctrl-C quits (asking first when input is not saved)",
            ),
            (
                "  Ctrl-Z 暂停到后台（在终端里把它调回前台即可继续）",
                "  Ctrl-Z suspends (fg in the shell comes back)",
            ),
        ] {
            lines.push(Line::styled(lang.pick(zh, en), theme.muted()));
        }
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
