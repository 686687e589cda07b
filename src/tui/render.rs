//! Rendering: the frame around the screens (the header, the status line, the form and
//! the overlays) and the screen shown; every screen is a function of its state, and
//! nothing here changes it.

use super::app::{App, Message, Pane, Screens, Session, State, View};
use super::keymap::{Action, Keymap, Mode};
use super::text_input::CURSOR;
use super::theme::Theme;
pub use super::widgets::draw::{
    block, centred, clear_popup, hints, hints_only, paren, text_spans, wrap_line, wrapped_height,
};
use crate::domain::stage::Stage;
use crate::i18n::Lang;
use crate::text::fit;
use ratatui::layout::{Alignment, Constraint, Direction, Layout, Rect};
use ratatui::style::Modifier;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph};
use ratatui::Frame;

pub use super::state::{MIN_HEIGHT, MIN_WIDTH};

/// Draws the whole screen. Returns the number of table rows visible (of the search
/// popup's matches while it is open), for paging.
pub fn render(ui: &App, theme: &Theme, keymap: &Keymap, frame: &mut Frame) -> usize {
    let (state, screens) = (&ui.state, &ui.screens);
    let area = frame.area();
    frame.render_widget(Block::default().style(theme.base()), area);
    if area.width < MIN_WIDTH || area.height < MIN_HEIGHT {
        too_small(state.lang, theme, frame, area);
        return 0;
    }
    let mut rows = match &state.session {
        None => {
            screens.login.render(state.lang, theme, keymap, frame, area);
            0
        }
        Some(session) => board(ui, session, theme, keymap, frame, area),
    };
    if let Some(search) = &screens.search {
        rows = search.render(state.lang, theme, frame, area);
    }
    if screens.help.open {
        screens.help.render(state.lang, theme, keymap, frame, area);
    }
    if let Some(at) = caret(frame.buffer_mut()) {
        frame.set_cursor_position(at);
    }
    rows
}

/// Where the caret of the field being typed in was drawn, if one is on screen: the
/// terminal's own cursor goes there, so that a Chinese input method opens its
/// candidate window beside the text (the terminal hides its cursor otherwise).
fn caret(buffer: &ratatui::buffer::Buffer) -> Option<ratatui::layout::Position> {
    buffer
        .area
        .positions()
        .find(|p| buffer[*p].symbol() == CURSOR)
}

fn too_small(lang: Lang, theme: &Theme, frame: &mut Frame, area: Rect) {
    let text = match lang {
        Lang::Zh => format!(
            "终端窗口太小\n需要至少 {MIN_WIDTH}×{MIN_HEIGHT}，当前 {}×{}\n请放大窗口",
            area.width, area.height
        ),
        Lang::En => format!(
            "Terminal too small\nneeds at least {MIN_WIDTH}×{MIN_HEIGHT}, now {}×{}\nplease enlarge it",
            area.width, area.height
        ),
    };
    let y = area.height / 2;
    let rect = Rect {
        x: area.x,
        y: area.y + y.saturating_sub(1),
        width: area.width,
        height: 3.min(area.height),
    };
    frame.render_widget(
        Paragraph::new(text)
            .alignment(Alignment::Center)
            .style(theme.warn()),
        rect,
    );
}

fn board(
    ui: &App,
    session: &Session,
    theme: &Theme,
    keymap: &Keymap,
    frame: &mut Frame,
    area: Rect,
) -> usize {
    let state = &ui.state;
    let rows = Layout::default()
        .direction(Direction::Vertical)
        .constraints([
            Constraint::Length(2),
            Constraint::Min(5),
            Constraint::Length(2),
        ])
        .split(area);
    header(state, session, &ui.screens, theme, frame, rows[0]);
    let view = View {
        lang: state.lang,
        theme,
        stage: state.stage,
        session,
        page: state.page,
        focused: state.form.is_none(),
        now: state.clock.now(),
    };
    let visible = ui.screens.render(&view, state.screen, frame, rows[1]);
    status(ui, session, theme, keymap, frame, rows[2]);
    if let Some(form) = &state.form {
        form.render(state.lang, theme, keymap, frame, area);
    }
    visible
}

fn header(
    state: &State,
    session: &Session,
    screens: &Screens,
    theme: &Theme,
    frame: &mut Frame,
    area: Rect,
) {
    let lang = state.lang;
    let counts = &screens.list.counts;
    let title = Line::from(vec![
        Span::styled(
            " pingshen 评审 ",
            theme.header().add_modifier(Modifier::BOLD),
        ),
        Span::styled(format!(" {} ", session.cycle), theme.header()),
    ]);
    frame.render_widget(
        Paragraph::new(title).style(theme.header()),
        Rect { height: 1, ..area },
    );
    // Full stage names when they fit, short ones otherwise, tight as a last resort.
    let build = |full: bool, tight: bool, labelled: bool| -> Vec<Span<'static>> {
        let mut spans = vec![Span::raw(" ")];
        for (i, s) in Stage::SIX.iter().enumerate() {
            let n = i + 1;
            let label = if full {
                lang.stage(*s)
            } else {
                lang.stage_short(*s)
            };
            let style = if n == state.stage.number() {
                theme
                    .stage_current()
                    .patch(theme.selected())
                    .add_modifier(Modifier::BOLD)
            } else {
                theme.stage_todo()
            };
            let text = if tight {
                format!("{n}{label}{}", counts[i])
            } else {
                format!(" {n} {label} {} ", counts[i])
            };
            spans.push(Span::styled(text, style));
            if n < 6 {
                spans.push(Span::styled("›", theme.muted()));
            }
        }
        let certified = if !labelled {
            format!(" ✓{}", counts[6])
        } else {
            format!("  ✓ {} {}", lang.stage(Stage::Certified), counts[6])
        };
        spans.push(Span::styled(certified, theme.stage_done()));
        spans
    };
    let fits = |spans: &Vec<Span>| {
        spans.iter().map(|s| s.width()).sum::<usize>() <= usize::from(area.width)
    };
    let spans = [
        (true, false, true),
        (false, false, true),
        (false, false, false),
        (false, true, false),
    ]
    .into_iter()
    .map(|(full, tight, labelled)| build(full, tight, labelled))
    .find(|s| fits(s))
    .unwrap_or_else(|| build(false, true, false));
    frame.render_widget(
        Paragraph::new(Line::from(spans)),
        Rect {
            y: area.y + 1,
            height: 1,
            ..area
        },
    );
}

fn status(
    ui: &App,
    session: &Session,
    theme: &Theme,
    keymap: &Keymap,
    frame: &mut Frame,
    area: Rect,
) {
    let (state, screens) = (&ui.state, &ui.screens);
    let lang = state.lang;
    let stage = state.stage.number();
    let role = session.role.map(|r| lang.role(r)).unwrap_or("");
    // A saved time only when nothing typed is waiting to be saved.
    let (saved, saved_style) = match screens.sheet.unsaved.len() {
        0 => (
            screens
                .sheet
                .last_saved
                .as_ref()
                .map(|t| format!(" · {} {t}", lang.pick("已保存", "saved")))
                .unwrap_or_default(),
            theme.status(),
        ),
        n => (
            match lang {
                Lang::Zh => format!(" · ✗ {n} 项未保存"),
                Lang::En => format!(" · ✗ {n} not saved"),
            },
            theme.error().add_modifier(Modifier::BOLD),
        ),
    };
    let mut left = format!(" {} · {role} · {}", session.member, session.db_name);
    // The review meeting, when one is under way.
    let meeting = screens.meeting.status(lang, state.clock.now());
    if let Some(m) = &meeting {
        left = format!(" {} · {role} · {m}", session.member);
    }
    frame.render_widget(
        Paragraph::new(Line::from(vec![
            Span::styled(left, theme.status()),
            Span::styled(saved, saved_style),
        ]))
        .style(theme.status()),
        Rect { height: 1, ..area },
    );
    // The second line: a message when there is one (it has the whole width), else
    // the keys that matter here.
    let width = usize::from(area.width).saturating_sub(2);
    let line = match &state.message {
        Some(Message::Info(m)) => Line::styled(format!(" {}", fit(m, width)), theme.ok()),
        Some(Message::Error(m)) => Line::styled(format!(" {}", fit(m, width)), theme.error()),
        // A failed save's message, until it is read (Esc) or the value is saved.
        None if state.alert.is_some() => {
            let a = state.alert.as_ref().expect("an alert");
            let style = if a.retrying {
                theme.warn()
            } else {
                theme.error()
            };
            Line::styled(format!(" {}", fit(&a.text, width)), style)
        }
        None => match ui.mode() {
            Mode::Table if screens.list.pane == Pane::Detail => Line::styled(
                lang.pick(
                    " j/k 滚动详情  Esc/Tab 返回列表",
                    " j/k scroll the details  Esc/Tab back to the list",
                ),
                theme.status(),
            ),
            Mode::Input if state.form.is_none() => hints_only(
                keymap,
                Mode::Input,
                None,
                lang,
                theme,
                Some(&[Action::Submit, Action::Back]),
                width,
            ),
            // A form shows its own keys.
            Mode::Input => Line::raw(""),
            // Only the keys whose deeds the service allows the member: the
            // secretary records but does not decide or score; members do not run
            // the session.
            mode => {
                let allowed: Vec<Action> = keymap
                    .for_mode(mode, Some(stage))
                    .map(|x| x.action)
                    .filter(|a| a.deed(mode, stage).is_none_or(|d| session.may(d)))
                    .collect();
                hints_only(
                    keymap,
                    mode,
                    Some(stage),
                    lang,
                    theme,
                    Some(&allowed),
                    width,
                )
            }
        },
    };
    frame.render_widget(
        Paragraph::new(line).style(theme.status()),
        Rect {
            y: area.y + 1,
            height: 1,
            ..area
        },
    );
}
