//! Rendering: every screen is a function of the state; nothing here changes it.

use super::app::{Board, Message, Pane, Screen, State};
use super::i18n::Lang;
use super::keymap::{Action, Keymap, Mode};
use super::text_input::CURSOR;
use super::theme::Theme;
pub use super::widgets::draw::{
    block, centred, clear_popup, hints, hints_only, paren, text_spans, wrap_line, wrapped_height,
};
use super::widgets::labels::{cell_label, role_allows, session_label, session_short};
use crate::domain::eligibility::{fmt_num, Outcome};
use crate::domain::stage::{Stage, Status};
use crate::text::fit;
use ratatui::layout::{Alignment, Constraint, Direction, Layout, Rect};
use ratatui::style::Modifier;
use ratatui::text::{Line, Span, Text};
use ratatui::widgets::{Block, Cell, Paragraph, Row, Table};
use ratatui::Frame;
use unicode_width::UnicodeWidthStr;

/// Actions that decide on an application (chair and members only).
const DECISIONS: [Action; 4] = [
    Action::Advance,
    Action::Return,
    Action::Reject,
    Action::Override,
];

/// The smallest terminal the layout is made for.
pub const MIN_WIDTH: u16 = 80;
pub const MIN_HEIGHT: u16 = 24;

/// Draws the whole screen. Returns the number of table rows visible (of the search
/// popup's matches while it is open), for paging.
pub fn render(state: &State, theme: &Theme, keymap: &Keymap, frame: &mut Frame) -> usize {
    let area = frame.area();
    frame.render_widget(Block::default().style(theme.base()), area);
    if area.width < MIN_WIDTH || area.height < MIN_HEIGHT {
        too_small(state.lang, theme, frame, area);
        return 0;
    }
    let mut rows = match &state.board {
        None => {
            state.login.render(state.lang, theme, keymap, frame, area);
            0
        }
        Some(b) => board(state, b, theme, keymap, frame, area),
    };
    if let Some(search) = &state.search {
        rows = search.render(state.lang, theme, frame, area);
    }
    if state.help.open {
        state.help.render(state.lang, theme, keymap, frame, area);
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
    state: &State,
    b: &Board,
    theme: &Theme,
    keymap: &Keymap,
    frame: &mut Frame,
    area: Rect,
) -> usize {
    let lang = state.lang;
    let rows = Layout::default()
        .direction(Direction::Vertical)
        .constraints([
            Constraint::Length(2),
            Constraint::Min(5),
            Constraint::Length(2),
        ])
        .split(area);
    header(state, b, theme, frame, rows[0]);
    // The detail pane sits beside the table on wide terminals, below it otherwise.
    let wide = area.width >= 110;
    let body = Layout::default()
        .direction(if wide {
            Direction::Horizontal
        } else {
            Direction::Vertical
        })
        .constraints(match (wide, b.screen) {
            (true, _) => [Constraint::Percentage(60), Constraint::Percentage(40)],
            // The whole score sheet stays in view; the details get the rest.
            (false, Screen::Panel) => [Constraint::Length(b.sheet.height()), Constraint::Min(3)],
            (false, _) => [Constraint::Percentage(55), Constraint::Percentage(45)],
        })
        .split(rows[1]);
    let visible = match b.screen {
        Screen::List => {
            let visible = table(state, b, theme, frame, body[0]);
            detail(state, b, theme, frame, body[1]);
            visible
        }
        Screen::Panel => {
            b.sheet
                .render(&b.rows, b.form.is_none(), lang, theme, frame, body[0]);
            detail(state, b, theme, frame, body[1]);
            state.page
        }
        Screen::Progress | Screen::Results | Screen::Ranking => {
            let session = b.session.as_ref();
            b.overview
                .render(b.screen, session, lang, theme, frame, rows[1]);
            state.page
        }
        Screen::File => {
            b.files.render(lang, theme, frame, rows[1]);
            state.page
        }
        Screen::Objections => {
            b.registers.render(b.screen, lang, theme, frame, rows[1]);
            state.page
        }
        Screen::Certificates => {
            b.registers.render(b.screen, lang, theme, frame, rows[1]);
            state.page
        }
        Screen::Allowance => {
            b.registers.render(b.screen, lang, theme, frame, rows[1]);
            state.page
        }
    };
    status(state, b, theme, keymap, frame, rows[2]);
    if let Some(form) = &b.form {
        form.render(lang, theme, keymap, frame, area);
    }
    visible
}

fn header(state: &State, b: &Board, theme: &Theme, frame: &mut Frame, area: Rect) {
    let lang = state.lang;
    let title = Line::from(vec![
        Span::styled(
            " pingshen 评审 ",
            theme.header().add_modifier(Modifier::BOLD),
        ),
        Span::styled(format!(" {} ", b.cycle), theme.header()),
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
            let style = if n == b.stage {
                theme
                    .stage_current()
                    .patch(theme.selected())
                    .add_modifier(Modifier::BOLD)
            } else {
                theme.stage_todo()
            };
            let text = if tight {
                format!("{n}{label}{}", b.counts[i])
            } else {
                format!(" {n} {label} {} ", b.counts[i])
            };
            spans.push(Span::styled(text, style));
            if n < 6 {
                spans.push(Span::styled("›", theme.muted()));
            }
        }
        let certified = if !labelled {
            format!(" ✓{}", b.counts[6])
        } else {
            format!("  ✓ {} {}", lang.stage(Stage::Certified), b.counts[6])
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

/// The flags of a row. At the evaluation every candidate has a visit and a test
/// score: the acting member's own sheet state is shown instead.
fn flags(
    row: &crate::service::board::AppRow,
    lang: Lang,
    mine: Option<crate::service::evaluation::Cell>,
) -> String {
    let mut f = Vec::new();
    if let Some(cell) = mine {
        f.push(cell_label(cell, lang));
    }
    if row.overridden {
        f.push(lang.pick("破格", "ovr"));
    }
    if row.open_objections > 0 {
        f.push(lang.pick("异议", "obj"));
    }
    if row.visits > 0 && mine.is_none() {
        f.push(lang.pick("走访", "visit"));
    }
    if row.test_score.is_some() && mine.is_none() {
        f.push(lang.pick("成绩", "score"));
    }
    f.join(" ")
}

fn table(state: &State, b: &Board, theme: &Theme, frame: &mut Frame, area: Rect) -> usize {
    let lang = state.lang;
    let stage = state.stage().unwrap_or(Stage::Declaration);
    let mut title = format!(
        "{} · {} {}",
        lang.stage(stage),
        b.view.len(),
        lang.pick("件", "applications")
    );
    if b.sort != super::app::Sort::Declared {
        title.push_str(&format!(" · {}", b.sort.label(lang)));
    }
    if b.filtering || !b.filter.is_empty() {
        title.push_str(&format!(" · {} ", lang.pick("筛选", "filter")));
        if b.filtering {
            // As much of the filter as the title has room for, with the cursor.
            let room = usize::from(area.width)
                .saturating_sub(6 + title.width())
                .max(12);
            let (before, after) = b.filter.view(room);
            title.push_str(&format!("{before}{CURSOR}{after}"));
        } else {
            title.push_str(&b.filter);
        }
    }
    // How scoring or the notice stands, in full when it fits, else in short.
    let labels = match stage {
        Stage::Evaluation => vec![
            session_label(b.session.as_ref(), lang),
            session_short(b.session.as_ref(), lang),
        ],
        Stage::Notice => super::render_notice::notice_labels(b, lang),
        _ => vec![],
    };
    let room = usize::from(area.width).saturating_sub(6);
    if let Some(l) = labels
        .iter()
        .find(|l| title.width() + 3 + l.width() <= room)
    {
        title.push_str(&format!(" · {l}"));
    }
    let outer = block(&title, theme, b.pane == Pane::Table && b.form.is_none());
    let inner = outer.inner(area);
    frame.render_widget(outer, area);
    let height = inner.height.saturating_sub(1) as usize;
    // Keep the cursor in view; only the visible rows are built.
    let offset = if b.selected < b.offset {
        b.selected
    } else if b.selected >= b.offset + height.max(1) {
        b.selected + 1 - height.max(1)
    } else {
        b.offset
    };
    // Fixed columns sized for the language; the organisation takes the rest.
    let [name_w, cat_w, grade_w, status_w, flags_w]: [usize; 5] = match lang {
        Lang::Zh => [8, 8, 10, 10, 14],
        Lang::En => [8, 10, 9, 13, 15],
    };
    let org_width = (inner.width as usize)
        .saturating_sub(name_w + cat_w + grade_w + status_w + flags_w + 5)
        .max(8);
    let widths = [
        Constraint::Length(name_w as u16),
        Constraint::Length(org_width as u16),
        Constraint::Length(cat_w as u16),
        Constraint::Length(grade_w as u16),
        Constraint::Length(status_w as u16),
        Constraint::Length(flags_w as u16),
    ];
    let head = Row::new([
        lang.pick("姓名", "Name"),
        // The English word shortened where the column is narrow, never cut.
        if org_width >= 12 {
            lang.pick("单位", "Organisation")
        } else {
            lang.pick("单位", "Org.")
        },
        lang.pick("类别", "Category"),
        lang.pick("等级", "Grade"),
        lang.pick("状态", "Status"),
        lang.pick("标记", "Flags"),
    ])
    .style(theme.title());
    let rows: Vec<Row> = b
        .view
        .iter()
        .enumerate()
        .skip(offset)
        .take(height)
        .map(|(pos, &i)| {
            let r = &b.rows[i];
            let status_style = match r.status {
                Status::Active | Status::Done => theme.base(),
                Status::Returned => theme.warn(),
                _ => theme.error(),
            };
            let style = if pos == b.selected {
                theme.selected()
            } else {
                theme.base()
            };
            Row::new(vec![
                Cell::from(fit(&r.name, name_w)),
                Cell::from(fit(&r.organisation, org_width)),
                Cell::from(fit(lang.category(r.category), cat_w)),
                Cell::from(fit(
                    &format!(
                        "{}→{}",
                        lang.grade_short(r.current),
                        lang.grade_short(r.target)
                    ),
                    grade_w,
                )),
                Cell::from(Span::styled(
                    fit(lang.status(r.status), status_w),
                    if pos == b.selected {
                        style
                    } else {
                        status_style
                    },
                )),
                Cell::from(Span::styled(
                    fit(
                        &flags(
                            r,
                            lang,
                            b.my_cells
                                .get(&r.id)
                                .copied()
                                .filter(|_| stage == Stage::Evaluation),
                        ),
                        flags_w,
                    ),
                    if pos == b.selected {
                        style
                    } else {
                        theme.warn()
                    },
                )),
            ])
            .style(style)
        })
        .collect();
    if b.view.is_empty() {
        let text = if b.filter.is_empty() {
            lang.pick("本环节暂无申请", "No applications at this stage")
        } else {
            lang.pick(
                "没有符合筛选条件的申请",
                "No application matches the filter",
            )
        };
        frame.render_widget(
            Paragraph::new(Line::styled(text, theme.muted())).alignment(Alignment::Center),
            inner,
        );
        return height;
    }
    frame.render_widget(
        Table::new(rows, widths).header(head).column_spacing(1),
        inner,
    );
    height
}

fn detail(state: &State, b: &Board, theme: &Theme, frame: &mut Frame, area: Rect) {
    let lang = state.lang;
    let outer = block(
        lang.pick("详情", "Details"),
        theme,
        b.pane == Pane::Detail && b.form.is_none(),
    );
    let inner = outer.inner(area);
    frame.render_widget(outer, area);
    let Some(d) = b
        .detail
        .as_ref()
        .filter(|d| Some(d.app.id) == b.current().map(|r| r.id))
    else {
        return;
    };
    let label = |zh: &str, en: &str| Span::styled(format!("{} ", lang.pick(zh, en)), theme.muted());
    let mut lines: Vec<Line> = vec![
        Line::from(vec![
            Span::styled(
                d.app.name.clone(),
                theme.title().add_modifier(Modifier::BOLD),
            ),
            Span::styled(
                format!(
                    "  {} · {} · {}",
                    if d.sex == "male" {
                        lang.pick("男", "male")
                    } else {
                        lang.pick("女", "female")
                    },
                    d.birth,
                    match lang {
                        Lang::Zh => format!("申报{}", lang.grade(Some(d.app.target))),
                        Lang::En => format!("for {}", lang.grade(Some(d.app.target))),
                    }
                ),
                theme.base(),
            ),
        ]),
        Line::from(vec![
            label("单位", "Org."),
            Span::raw(format!("{} · {}", d.organisation, d.county)),
        ]),
        Line::from(vec![
            label("职务", "Post"),
            Span::raw(format!(
                "{}{}",
                d.position,
                paren(
                    lang,
                    &format!("{}{}", lang.pick("任职自 ", "since "), d.post_start)
                )
            )),
        ]),
        Line::from(vec![
            label("身份证", "ID"),
            Span::raw(d.id_tail.clone()),
            label("  电话", "  Phone"),
            Span::raw(d.phone_tail.clone()),
        ]),
        Line::from(vec![
            label("状态", "Status"),
            Span::raw(format!(
                "{} · {}",
                lang.stage(d.app.position.stage),
                lang.status(d.app.position.status)
            )),
        ]),
    ];
    if let Some(r) = &d.app.override_reason {
        lines.push(Line::from(vec![
            Span::styled(lang.pick("⚑ 破格：", "⚑ Override: "), theme.warn()),
            Span::raw(r.clone()),
        ]));
    }
    if !d.missing.is_empty() {
        lines.push(Line::styled(
            format!(
                "{}{}",
                lang.pick("缺少：", "Missing: "),
                d.missing.join("、")
            ),
            theme.error(),
        ));
    }
    // The declaration itself.
    let statement = if d.app.statement.trim().is_empty() {
        lang.pick("（未填写个人陈述）", "(no statement)")
            .to_string()
    } else {
        d.app.statement.trim().to_string()
    };
    lines.push(Line::from(vec![
        label("申报", "Declared"),
        Span::raw(format!("{} · {}", d.declared_on, statement)),
    ]));
    lines.push(Line::styled(
        lang.pick("资格条件", "Eligibility"),
        theme.title(),
    ));
    for c in &d.checks {
        let (mark, style) = match c.outcome {
            Outcome::Pass => ("✓", theme.ok()),
            Outcome::Fail => ("✗", theme.error()),
            Outcome::Pending => ("…", theme.warn()),
        };
        lines.push(Line::from(vec![
            Span::styled(format!(" {mark} "), style),
            Span::raw(c.describe(lang.zh())),
        ]));
    }
    let test = match (d.app.test_score, d.pass_mark) {
        (Some(s), Some(m)) => format!(
            "{} / {}{}",
            fmt_num(s),
            fmt_num(d.test_max.unwrap_or(100.0)),
            paren(
                lang,
                &format!("{} {}", lang.pick("合格线", "pass mark"), fmt_num(m))
            )
        ),
        (None, Some(m)) => format!(
            "{}{}",
            lang.pick("未录入", "not entered"),
            paren(
                lang,
                &format!("{} {}", lang.pick("合格线", "pass mark"), fmt_num(m))
            )
        ),
        _ => "-".into(),
    };
    lines.push(Line::from(vec![
        label("培训", "Training"),
        Span::raw(format!(
            "{} {}",
            fmt_num(d.training_days),
            lang.pick("天/12个月", "days / 12 months")
        )),
    ]));
    lines.push(Line::from(vec![label("测试", "Test"), Span::raw(test)]));
    // On the notice: its period (with the warning of one counted without a holiday
    // calendar), and how the objections to the candidate stand.
    if let Some((n, c)) = b.notice.as_ref().and_then(|n| {
        n.candidates
            .iter()
            .find(|c| c.app_id == d.app.id)
            .map(|c| (n, c))
    }) {
        let mut period = vec![
            label("公示", "Notice"),
            Span::raw(format!("{} {} {}", n.start, lang.pick("至", "to"), n.end)),
        ];
        if let Some((zh, en)) = crate::domain::workdays::uncovered_warning(&n.uncovered_years) {
            period.push(Span::styled(
                format!(" ⚠ {}", lang.pick(&zh, &en)),
                theme.warn(),
            ));
        }
        lines.push(Line::from(period));
        let o = &c.objections;
        let text = match lang {
            Lang::Zh => o.zh(),
            Lang::En if o.total() == 0 => "none".to_string(),
            Lang::En => format!(
                "{} open, {} upheld ({} undecided), {} dismissed, {} withdrawn",
                o.open(),
                o.upheld,
                o.undecided,
                o.dismissed,
                o.withdrawn
            ),
        };
        lines.push(Line::from(vec![
            label("异议", "Objections"),
            Span::styled(
                text,
                if o.open() + o.undecided > 0 {
                    theme.warn()
                } else {
                    theme.base()
                },
            ),
        ]));
        if let Some(n) = &c.certificate {
            lines.push(Line::from(vec![
                label("证书", "Certificate"),
                Span::raw(n.clone()),
            ]));
        }
    }
    if let (Some(r), Some(passed)) = (d.app.result_score, d.app.result_passed) {
        let threshold = d
            .threshold
            .map(|t| {
                paren(
                    lang,
                    &format!("{} {}", lang.pick("分数线", "threshold"), fmt_num(t)),
                )
            })
            .unwrap_or_default();
        lines.push(Line::from(vec![
            label("评定", "Result"),
            Span::raw(format!("{}{threshold} ", fmt_num(r))),
            Span::styled(
                if passed {
                    lang.pick("达到", "passes")
                } else {
                    lang.pick("未达到", "below")
                },
                if passed { theme.ok() } else { theme.error() },
            ),
        ]));
    }
    if !d.assessments.is_empty() {
        let list: Vec<String> = d
            .assessments
            .iter()
            .map(|(y, g)| {
                let g = crate::domain::Assessment::parse(g).map_or(g.clone(), |a| {
                    if lang.zh() {
                        a.zh().to_string()
                    } else {
                        a.code().to_string()
                    }
                });
                format!("{y} {g}")
            })
            .collect();
        lines.push(Line::from(vec![
            label("考核", "Assessed"),
            Span::raw(list.join(lang.pick("；", "; "))),
        ]));
    }
    for (date, days, title) in d.training.iter().take(4) {
        lines.push(Line::styled(
            format!(
                "   {date} {} {} {title}",
                fmt_num(*days),
                lang.pick("天", "d")
            ),
            theme.muted(),
        ));
    }
    for v in &d.visits {
        lines.push(Line::from(vec![
            label("走访", "Visit"),
            Span::raw(format!(
                "{} · {} · {}",
                v.date,
                v.visitors,
                lang.rating(&v.rating)
            )),
        ]));
        for f in v.findings.lines() {
            lines.push(Line::styled(format!("   {f}"), theme.muted()));
        }
    }
    lines.push(Line::styled(
        lang.pick("办理记录", "History"),
        theme.title(),
    ));
    for h in &d.history {
        let mut spans = vec![
            Span::styled(
                format!(" {} ", h.at.get(..16).unwrap_or(&h.at)),
                theme.muted(),
            ),
            Span::raw(format!("{} {}", lang.action(&h.action), h.member)),
        ];
        if !h.reason.is_empty() {
            spans.push(Span::styled(
                format!("{}{}", lang.pick("：", ": "), h.reason),
                theme.muted(),
            ));
        }
        lines.push(Line::from(spans));
    }
    // Wrapped here rather than by the paragraph, so that a wide character never
    // lands on the border and continuation lines keep an indent.
    let lines: Vec<Line> = lines
        .into_iter()
        .flat_map(|l| wrap_line(l, usize::from(inner.width), 3))
        .collect();
    // Never scroll past the last line.
    let total = lines.len() as u16;
    let scroll = b.detail_scroll.min(total.saturating_sub(inner.height));
    frame.render_widget(Paragraph::new(Text::from(lines)).scroll((scroll, 0)), inner);
}

fn status(state: &State, b: &Board, theme: &Theme, keymap: &Keymap, frame: &mut Frame, area: Rect) {
    let lang = state.lang;
    let role = b.role.map(|r| lang.role(r)).unwrap_or("");
    // A saved time only when nothing typed is waiting to be saved.
    let (saved, saved_style) = match b.sheet.unsaved.len() {
        0 => (
            b.sheet
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
    let left = format!(" {} · {role} · {}", b.member, b.db_name);
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
        None => match state.mode() {
            Mode::Table if b.pane == Pane::Detail => Line::styled(
                lang.pick(
                    " j/k 滚动详情  Esc/Tab 返回列表",
                    " j/k scroll the details  Esc/Tab back to the list",
                ),
                theme.status(),
            ),
            Mode::Input if b.form.is_none() => hints_only(
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
            // Only the keys the role may use: the secretary records but does not
            // decide or score; members do not run the session.
            mode => {
                let secretary = b.role == Some(crate::domain::Role::Secretary);
                let allowed: Vec<Action> = keymap
                    .for_mode(mode, Some(b.stage))
                    .map(|x| x.action)
                    .filter(|a| !(secretary && DECISIONS.contains(a)))
                    .filter(|a| role_allows(b.role, *a))
                    .collect();
                hints_only(
                    keymap,
                    mode,
                    Some(b.stage),
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
