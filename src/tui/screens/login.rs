//! The login screen: the committee's members to choose from (filtered as one types),
//! then the PIN. Its state, its keys and its drawing.

use super::super::effect::Effect;
use super::super::keymap::{Action, Keymap, Mode};
use super::super::text_input::{Edit, TextInput};
use super::super::theme::Theme;
use super::super::widgets::cursor::Cursor;
use super::super::widgets::draw::{block, centred, hints, text_spans, wrap_line};
use crate::i18n::Lang;
use crate::text::pad;
use ratatui::layout::{Constraint, Direction, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use ratatui::Frame;
use unicode_width::UnicodeWidthStr;

/// A member on the login list.
#[derive(Debug, Clone, PartialEq)]
pub struct LoginItem {
    pub id: i64,
    pub name: String,
    pub role: crate::domain::Role,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct LoginState {
    pub members: Vec<LoginItem>,
    pub filter: TextInput,
    /// Index into `visible()`.
    pub cursor: Cursor,
    /// The member chosen, whose PIN is being typed.
    pub chosen: Option<usize>,
    pub pin: String,
    pub message: Option<String>,
    /// Demo PINs to show (demo databases only).
    pub demo_pins: Vec<(String, String, String)>,
}

impl LoginState {
    /// Members matching the filter (fuzzy, by name and role), best first.
    pub fn visible(&self) -> Vec<usize> {
        if self.filter.is_empty() {
            return (0..self.members.len()).collect();
        }
        use fuzzy_matcher::skim::SkimMatcherV2;
        use fuzzy_matcher::FuzzyMatcher;
        let m = SkimMatcherV2::default();
        let mut scored: Vec<(i64, usize)> = self
            .members
            .iter()
            .enumerate()
            .filter_map(|(i, x)| {
                let text = format!("{} {} {}", x.name, x.role.zh(), x.role.code());
                m.fuzzy_match(&text, &self.filter).map(|s| (s, i))
            })
            .collect();
        scored.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
        scored.into_iter().map(|(_, i)| i).collect()
    }
}

impl LoginState {
    /// Offers the member `id` alone, chosen, their PIN to type (over SSH, where the
    /// key has told who it is): going back shows no other member to choose.
    pub fn keep_only(&mut self, id: i64) {
        self.members.retain(|m| m.id == id);
        self.cursor.reset();
        self.chosen = (!self.members.is_empty()).then_some(0);
    }

    /// A character typed: a digit of the PIN, or the filter of the list.
    pub fn type_char(&mut self, c: char) {
        if self.chosen.is_some() {
            if c.is_ascii_digit() && self.pin.len() < 8 {
                self.pin.push(c);
            }
        } else {
            self.filter.insert(c);
            self.cursor.reset();
        }
    }

    /// A text pasted: the PIN's digits (full-width ones too), or the filter, whole.
    pub fn paste(&mut self, text: &str) {
        if self.chosen.is_some() {
            for c in text.chars().filter_map(crate::text::number_char) {
                if c != '.' {
                    self.type_char(c);
                }
            }
        } else {
            self.filter.insert_str(&crate::text::pasted(text, false));
            self.cursor.reset();
        }
    }

    /// Keys of the login screen.
    pub fn update(&mut self, lang: Lang, action: Action) -> Vec<Effect> {
        let l = self;
        if let Some(edit) = Edit::of(action) {
            if l.chosen.is_none() {
                if l.filter.apply(edit) {
                    l.cursor.reset();
                }
            } else if edit == Edit::Backspace {
                l.pin.pop();
            }
            return vec![];
        }
        let n = l.visible().len();
        match action {
            Action::Up | Action::Down if l.chosen.is_none() => {
                l.cursor.moved(action, n, 1);
            }

            Action::Back => {
                if l.chosen.is_some() {
                    l.chosen = None;
                    l.pin.clear();
                } else {
                    l.filter.clear();
                    l.cursor.reset();
                }
                l.message = None;
            }
            Action::Submit => match l.chosen {
                None => {
                    if let Some(&i) = l.visible().get(l.cursor.at) {
                        l.chosen = Some(i);
                        l.pin.clear();
                        l.message = None;
                    }
                }
                Some(i) => {
                    if l.pin.is_empty() {
                        l.message = Some(lang.pick("请输入口令", "Type your PIN").into());
                    } else {
                        let pin = std::mem::take(&mut l.pin);
                        return vec![Effect::Login {
                            member: l.members[i].id,
                            pin,
                        }];
                    }
                }
            },
            _ => {}
        }
        vec![]
    }

    /// Draws the login screen.
    pub fn render(
        &self,
        lang: Lang,
        theme: &Theme,
        keymap: &Keymap,
        frame: &mut Frame,
        area: Rect,
    ) {
        let l = self;
        let has_pins = !l.demo_pins.is_empty();
        // A long message (no open cycle, say) wraps onto more lines.
        // Wrapped here, in cells and by word, never cutting a wide character.
        let message = l
            .message
            .as_ref()
            .map(|m| wrap_line(Line::styled(m.clone(), theme.error()), 62, 0));
        let message_h = message.as_ref().map_or(1, |m| (m.len() as u16).max(1));
        let h = if has_pins { 22 } else { 17 } + message_h - 1;
        let rect = centred(area, 64, h);
        let outer = block(
            lang.pick("pingshen 评审 · 登录", "pingshen · log in"),
            theme,
            true,
        );
        let inner = outer.inner(rect);
        frame.render_widget(outer, rect);
        let parts = Layout::default()
            .direction(Direction::Vertical)
            .constraints([
                Constraint::Length(1),
                Constraint::Length(1),
                Constraint::Min(4),
                Constraint::Length(1),
                Constraint::Length(message_h),
                Constraint::Length(if has_pins { 5 } else { 0 }),
                Constraint::Length(1),
            ])
            .split(inner);
        let label = lang.pick("评委 ", "Member ");
        let mut spans = vec![Span::styled(label, theme.title())];
        if l.filter.is_empty() {
            spans.push(Span::styled(
                lang.pick("输入姓名筛选评委…", "type to filter the members…"),
                theme.muted(),
            ));
        } else if l.chosen.is_some() {
            // The PIN is being typed: the filter without its cursor.
            spans.push(Span::styled(l.filter.to_string(), theme.input()));
        } else {
            let room = usize::from(parts[0].width).saturating_sub(label.width());
            spans.extend(text_spans(&l.filter, room, theme.input()));
        }
        frame.render_widget(Paragraph::new(Line::from(spans)), parts[0]);
        let visible = l.visible();
        let list_h = parts[2].height as usize;
        let start = l.cursor.at.saturating_sub(list_h.saturating_sub(1));
        let lines: Vec<Line> = visible
            .iter()
            .enumerate()
            .skip(start)
            .take(list_h)
            .map(|(pos, &i)| {
                let m = &l.members[i];
                let chosen = l.chosen == Some(i);
                let style = if pos == l.cursor.at && l.chosen.is_none() || chosen {
                    theme.selected()
                } else {
                    theme.base()
                };
                Line::from(vec![
                    Span::styled(
                        format!(
                            " {} ",
                            if chosen {
                                "▶"
                            } else if pos == l.cursor.at && l.chosen.is_none() {
                                "›"
                            } else {
                                " "
                            }
                        ),
                        style,
                    ),
                    Span::styled(format!("{}  ", pad(&m.name, 10)), style),
                    Span::styled(lang.role(m.role).to_string(), style.patch(theme.muted())),
                ])
            })
            .collect();
        let lines = if l.members.is_empty() {
            vec![
                Line::styled(
                    lang.pick(
                        "  数据库中还没有评委。",
                        "  The database has no committee yet.",
                    ),
                    theme.warn(),
                ),
                Line::styled(
                    lang.pick(
                        "  先导入评委名单：pingshen import committee 文件",
                        "  Import it first: pingshen import committee FILE",
                    ),
                    theme.muted(),
                ),
            ]
        } else if lines.is_empty() {
            vec![Line::styled(
                lang.pick("  没有匹配的评委", "  no member matches"),
                theme.muted(),
            )]
        } else {
            lines
        };
        frame.render_widget(Paragraph::new(lines), parts[2]);
        let pin_line = match l.chosen {
            None => Line::styled(
                lang.pick("↑↓ 选择评委，Enter 确认", "↑↓ choose, Enter to confirm"),
                theme.muted(),
            ),
            Some(i) => Line::from(vec![
                Span::styled(
                    format!("{} {} ", l.members[i].name, lang.pick("口令", "PIN")),
                    theme.title(),
                ),
                Span::styled(format!("{}▏", "●".repeat(l.pin.len())), theme.input()),
            ]),
        };
        frame.render_widget(Paragraph::new(pin_line), parts[3]);
        if let Some(m) = message {
            frame.render_widget(Paragraph::new(m), parts[4]);
        }
        if has_pins {
            let mut lines = vec![Line::styled(
                lang.pick("演示数据库 · 演示口令：", "Demo database · demo PINs:"),
                theme.warn(),
            )];
            let pins: Vec<String> = l
                .demo_pins
                .iter()
                .map(|(n, _, p)| format!("{n} {p}"))
                .collect();
            for chunk in pins.chunks(4) {
                lines.push(Line::styled(
                    format!("  {}", chunk.join("   ")),
                    theme.muted(),
                ));
            }
            frame.render_widget(Paragraph::new(lines), parts[5]);
        }
        frame.render_widget(
            Paragraph::new(hints(keymap, Mode::Login, None, lang, theme)),
            parts[6],
        );
    }
}
