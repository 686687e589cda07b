//! Rendering of stage 6's registers: objections, certificates and the allowance roll.

use super::app::{Board, State};
use super::i18n::Lang;
use super::notice::visible_objections;
use super::render::{block, wrap_line};
use super::render_eval::table_or;
use super::theme::Theme;
use crate::domain::notice::ObjectionState;
use crate::domain::workdays::uncovered_warning;
use crate::text::fit;
use ratatui::layout::{Constraint, Direction, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Row, Table};
use ratatui::Frame;

/// The stage-6 list's titles, longest first: the notice period and how it stands, in
/// full and in short, each with the warning of a period counted without a holiday
/// calendar (in full, then in brief) when it was.
pub fn notice_labels(b: &Board, lang: Lang) -> Vec<String> {
    let Some(n) = &b.notice else {
        return vec![lang.pick("尚未开始公示", "no notice yet").to_string()];
    };
    let (full, short) = (period_label(n, lang), notice_short(b, lang));
    let Some((zh, en)) = uncovered_warning(&n.uncovered_years) else {
        return vec![full, short];
    };
    let years = n
        .uncovered_years
        .iter()
        .map(|y| y.to_string())
        .collect::<Vec<_>>();
    let brief = match lang {
        Lang::Zh => format!("⚠ 无{}年节假日安排，按双休日计", years.join("、")),
        Lang::En => format!("⚠ no {} holidays: weekdays only", years.join(", ")),
    };
    let warning = format!("⚠ {}", lang.pick(&zh, &en));
    vec![
        format!("{full} {warning}"),
        format!("{full} {brief}"),
        format!("{full} ⚠"),
        format!("{short} {brief}"),
        format!("{short} ⚠"),
    ]
}

fn period_label(n: &crate::service::notice::NoticeView, lang: Lang) -> String {
    match (n.closed, n.ended, lang) {
        (true, _, Lang::Zh) => format!("{} 至 {} 公示已结束", n.start, n.end),
        (true, _, Lang::En) => format!("notice {} to {} closed", n.start, n.end),
        (false, true, Lang::Zh) => format!("公示期 {} 至 {} 已满，待结束公示", n.start, n.end),
        (false, true, Lang::En) => format!("notice {} to {} over: to close", n.start, n.end),
        (false, false, Lang::Zh) => {
            format!(
                "公示期 {} 至 {}，剩 {} 个工作日",
                n.start, n.end, n.days_left
            )
        }
        (false, false, Lang::En) => format!(
            "notice {} to {}, {} working day(s) left",
            n.start, n.end, n.days_left
        ),
    }
}

/// How the notice stands, in a few words.
pub fn notice_short(b: &Board, lang: Lang) -> String {
    match &b.notice {
        None => lang.pick("未公示", "no notice"),
        Some(n) if n.closed => lang.pick("公示已结束", "closed"),
        Some(n) if n.ended => lang.pick("待结束公示", "to close"),
        Some(n) => {
            return match lang {
                Lang::Zh => format!("剩 {} 个工作日", n.days_left),
                Lang::En => format!("{} day(s) left", n.days_left),
            }
        }
    }
    .to_string()
}

fn state_style(s: ObjectionState, theme: &Theme) -> ratatui::style::Style {
    match s {
        ObjectionState::Received | ObjectionState::Verifying => theme.warn(),
        ObjectionState::Upheld => theme.error(),
        _ => theme.muted(),
    }
}

/// Splits the area into a list and a detail pane (beside on wide terminals).
fn split(area: Rect) -> std::rc::Rc<[Rect]> {
    let wide = area.width >= 110;
    Layout::default()
        .direction(if wide {
            Direction::Horizontal
        } else {
            Direction::Vertical
        })
        .constraints([Constraint::Percentage(55), Constraint::Percentage(45)])
        .split(area)
}

fn selected_style(i: usize, cursor: usize, theme: &Theme) -> ratatui::style::Style {
    if i == cursor {
        theme.selected()
    } else {
        theme.base()
    }
}

/// The objection register and the selected objection.
pub fn objections(state: &State, b: &Board, theme: &Theme, frame: &mut Frame, area: Rect) {
    let lang = state.lang;
    let parts = split(area);
    let list = visible_objections(b);
    let filter = b
        .objection_filter
        .map(|s| lang.pick(s.zh(), s.code()).to_string())
        .unwrap_or_else(|| lang.pick("全部", "all").to_string());
    let title = format!(
        "{} · {} {} · {}",
        lang.pick("异议登记簿", "Objection register"),
        list.len(),
        lang.pick("件", "objection(s)"),
        filter
    );
    let outer = block(&title, theme, true);
    let inner = outer.inner(parts[0]);
    frame.render_widget(outer, parts[0]);
    let height = usize::from(inner.height.saturating_sub(1));
    let offset = b.cursor.saturating_sub(height.saturating_sub(1));
    let rows: Vec<Row> = list
        .iter()
        .enumerate()
        .skip(offset)
        .take(height)
        .map(|(i, o)| {
            let late = if o.late {
                lang.pick("逾期", "late")
            } else {
                ""
            };
            Row::new(vec![
                ratatui::widgets::Cell::from(format!("{}", o.id)),
                ratatui::widgets::Cell::from(fit(&o.candidate, 8)),
                ratatui::widgets::Cell::from(o.received_at.clone()),
                ratatui::widgets::Cell::from(lang.pick(o.channel.zh(), o.channel.code())),
                ratatui::widgets::Cell::from(Span::styled(
                    lang.pick(o.state.zh(), o.state.code()),
                    if i == b.cursor {
                        theme.selected()
                    } else {
                        state_style(o.state, theme)
                    },
                )),
                ratatui::widgets::Cell::from(late),
            ])
            .style(selected_style(i, b.cursor, theme))
        })
        .collect();
    let head = Row::new([
        lang.pick("号", "No"),
        lang.pick("候选人", "Name"),
        lang.pick("收到", "Received"),
        lang.pick("渠道", "Channel"),
        lang.pick("状态", "State"),
        "",
    ])
    .style(theme.title());
    let widths = [
        Constraint::Length(3),
        Constraint::Length(8),
        Constraint::Length(16),
        Constraint::Length(8),
        // 核查中, or the longest English state (verifying, dismissed, withdrawn).
        Constraint::Length(match lang {
            Lang::Zh => 6,
            Lang::En => 9,
        }),
        Constraint::Min(4),
    ];
    table_or(
        frame,
        inner,
        theme,
        Table::new(rows, widths).header(head),
        list.is_empty(),
        lang.pick("没有异议", "No objections"),
    );
    // The selected objection in full.
    let outer = block(lang.pick("异议详情", "The objection"), theme, false);
    let inner = outer.inner(parts[1]);
    frame.render_widget(outer, parts[1]);
    let Some(o) = list.get(b.cursor) else {
        return;
    };
    let width = usize::from(inner.width);
    let field = |label: &str, value: String| -> Line<'static> {
        Line::from(vec![
            Span::styled(format!("{label} "), theme.muted()),
            Span::styled(value, theme.base()),
        ])
    };
    // The contact masked, unless the chair or the secretary revealed it (audited).
    let contact = match &b.revealed_contact {
        Some((id, c)) if *id == o.id => c,
        _ => &o.contact_masked,
    };
    let who = if o.named {
        format!("{} {contact}", o.objector)
    } else {
        lang.pick("匿名", "anonymous").to_string()
    };
    let mut lines = vec![
        field(
            lang.pick("候选人", "Candidate"),
            format!(
                "{} · {} · {}",
                o.candidate,
                o.organisation,
                lang.grade(Some(o.proposed))
            ),
        ),
        field(
            lang.pick("收到", "Received"),
            format!(
                "{} · {}{}",
                o.received_at,
                lang.pick(o.channel.zh(), o.channel.code()),
                if o.late {
                    lang.pick(" · 公示期满后收到", " · after the notice period")
                } else {
                    ""
                }
            ),
        ),
        field(lang.pick("异议人", "Objector"), who),
    ];
    if let Some((_, name)) = &o.criterion {
        lines.push(field(lang.pick("涉及", "Concerns"), name.clone()));
    }
    lines.push(field(
        lang.pick("状态", "State"),
        lang.pick(o.state.zh(), o.state.code()).to_string(),
    ));
    lines.push(Line::raw(""));
    lines.push(Line::styled(lang.pick("内容", "Content"), theme.title()));
    for l in o.content.lines() {
        lines.extend(wrap_line(
            Line::styled(l.to_string(), theme.base()),
            width,
            0,
        ));
    }
    if !o.findings.is_empty() {
        lines.push(Line::raw(""));
        lines.push(Line::styled(
            match (&o.verified_by, lang) {
                (v, Lang::Zh) if !v.is_empty() => format!("核查情况（核查人：{v}）"),
                (v, Lang::En) if !v.is_empty() => format!("Findings (verified by {v})"),
                _ => lang.pick("说明", "Note").to_string(),
            },
            theme.title(),
        ));
        for l in o.findings.lines() {
            lines.extend(wrap_line(
                Line::styled(l.to_string(), theme.base()),
                width,
                0,
            ));
        }
    }
    if let Some(d) = o.decision {
        lines.push(Line::raw(""));
        lines.extend(wrap_line(
            Line::styled(
                format!(
                    "{}{}：{}",
                    lang.pick("主任委员决定：", "The chair's decision: "),
                    match lang {
                        Lang::Zh => d.zh(),
                        Lang::En => d.code().to_string(),
                    },
                    o.decision_reason
                ),
                theme.warn(),
            ),
            width,
            2,
        ));
    } else if o.state == ObjectionState::Upheld {
        lines.push(Line::raw(""));
        lines.push(Line::styled(
            lang.pick(
                "待主任委员决定（c）：不予认证或降级",
                "Awaiting the chair's decision (c): not certified or lower",
            ),
            theme.warn(),
        ));
    }
    frame.render_widget(Paragraph::new(lines), inner);
}

/// The certificate register.
pub fn certificates(state: &State, b: &Board, theme: &Theme, frame: &mut Frame, area: Rect) {
    let lang = state.lang;
    let parts = split(area);
    let title = format!(
        "{} · {} {}",
        lang.pick("证书登记簿", "Certificate register"),
        b.certificates.len(),
        lang.pick("本", "certificate(s)")
    );
    let outer = block(&title, theme, true);
    let inner = outer.inner(parts[0]);
    frame.render_widget(outer, parts[0]);
    let height = usize::from(inner.height.saturating_sub(1));
    let offset = b.cursor.saturating_sub(height.saturating_sub(1));
    let rows: Vec<Row> = b
        .certificates
        .iter()
        .enumerate()
        .skip(offset)
        .take(height)
        .map(|(i, c)| {
            let mut status = lang.pick(c.status.zh(), c.status.code()).to_string();
            if c.flagged {
                status.push_str(lang.pick(" 待复核", " review"));
            }
            Row::new(vec![
                c.number.clone(),
                fit(&c.holder, 8),
                lang.grade_short(Some(c.grade)).to_string(),
                c.issued_on.clone(),
                status,
            ])
            .style(if i == b.cursor {
                theme.selected()
            } else if c.flagged {
                theme.warn()
            } else {
                theme.base()
            })
        })
        .collect();
    let head = Row::new([
        lang.pick("证书编号", "Number"),
        lang.pick("持证人", "Holder"),
        lang.pick("等级", "Grade"),
        lang.pick("发证日期", "Issued"),
        lang.pick("状态", "Status"),
    ])
    .style(theme.title());
    let widths = [
        Constraint::Length(16),
        Constraint::Length(8),
        Constraint::Length(4),
        Constraint::Length(10),
        Constraint::Min(6),
    ];
    table_or(
        frame,
        inner,
        theme,
        Table::new(rows, widths).header(head),
        b.certificates.is_empty(),
        lang.pick("尚无证书", "No certificates yet"),
    );
    let outer = block(lang.pick("证书详情", "The certificate"), theme, false);
    let inner = outer.inner(parts[1]);
    frame.render_widget(outer, parts[1]);
    let Some(c) = b.certificates.get(b.cursor) else {
        return;
    };
    let width = usize::from(inner.width);
    let mut lines = vec![
        Line::styled(format!("{} · {}", c.number, c.holder), theme.title()),
        Line::styled(
            format!(
                "{} · {} · {}",
                c.organisation,
                c.county,
                lang.category(Some(c.category))
            ),
            theme.base(),
        ),
        Line::styled(
            format!(
                "{} {} · {} {}",
                lang.grade(Some(c.grade)),
                lang.pick(c.status.zh(), c.status.code()),
                lang.pick("发证", "issued"),
                c.issued_on
            ),
            theme.base(),
        ),
    ];
    if let Some(on) = &c.status_on {
        lines.extend(wrap_line(
            Line::styled(format!("{on} {}", c.status_reason), theme.muted()),
            width,
            2,
        ));
    }
    if let Some((year, outcome)) = &c.last_inspection {
        lines.push(Line::styled(
            format!(
                "{} {year}：{outcome}",
                lang.pick("最近年检", "Last inspection")
            ),
            theme.base(),
        ));
    }
    if c.flagged {
        lines.extend(wrap_line(
            Line::styled(
                lang.pick(
                    "持证人已报告离开党务岗位，请复核证书",
                    "The holder reported leaving party-affairs work: review the certificate",
                ),
                theme.warn(),
            ),
            width,
            2,
        ));
    }
    lines.push(Line::raw(""));
    lines.extend(wrap_line(
        Line::styled(
            lang.pick(
                "n 登记年检 · m 职务变动报告 · a 红领津贴名册",
                "n inspection · m job change · a allowance roll",
            ),
            theme.muted(),
        ),
        width,
        2,
    ));
    frame.render_widget(Paragraph::new(lines), inner);
}

/// The 红领津贴 roll of a year: totals by grade and county, and every holder paid.
pub fn allowance(state: &State, b: &Board, theme: &Theme, frame: &mut Frame, area: Rect) {
    let lang = state.lang;
    let parts = split(area);
    let Some(r) = &b.allowance else {
        return;
    };
    let title = match lang {
        Lang::Zh => format!(
            "{} {} 年度红领津贴 · {} 人 · {} 元",
            r.city, r.year, r.total.holders, r.total.amount
        ),
        Lang::En => format!(
            "Allowance {} · {} holder(s) · {} yuan",
            r.year, r.total.holders, r.total.amount
        ),
    };
    let outer = block(&title, theme, true);
    let inner = outer.inner(parts[0]);
    frame.render_widget(outer, parts[0]);
    let height = usize::from(inner.height.saturating_sub(1));
    let offset = b.cursor.saturating_sub(height.saturating_sub(1));
    let rows: Vec<Row> = r
        .rows
        .iter()
        .enumerate()
        .skip(offset)
        .take(height)
        .map(|(i, x)| {
            Row::new(vec![
                fit(&x.name, 8),
                fit(&x.county, 8),
                lang.grade_short(Some(x.grade)).to_string(),
                x.amount.to_string(),
                x.certificate.clone(),
            ])
            .style(selected_style(i, b.cursor, theme))
        })
        .collect();
    let head = Row::new([
        lang.pick("姓名", "Name"),
        lang.pick("区县", "County"),
        lang.pick("等级", "Grade"),
        lang.pick("金额", "Amount"),
        lang.pick("证书编号", "Certificate"),
    ])
    .style(theme.title());
    let widths = [
        Constraint::Length(8),
        Constraint::Length(8),
        Constraint::Length(4),
        Constraint::Length(7),
        Constraint::Min(10),
    ];
    table_or(
        frame,
        inner,
        theme,
        Table::new(rows, widths).header(head),
        r.rows.is_empty(),
        lang.pick("该年度无人符合发放条件", "Nobody is eligible that year"),
    );
    let outer = block(lang.pick("合计", "Totals"), theme, false);
    let inner = outer.inner(parts[1]);
    frame.render_widget(outer, parts[1]);
    let mut lines = vec![Line::styled(lang.pick("按等级", "By grade"), theme.title())];
    for (g, t) in &r.by_grade {
        lines.push(Line::raw(format!(
            "  {}  {} {} · {} {}",
            lang.grade(Some(*g)),
            t.holders,
            lang.pick("人", "holder(s)"),
            t.amount,
            lang.pick("元", "yuan")
        )));
    }
    lines.push(Line::styled(
        lang.pick("按区县", "By county"),
        theme.title(),
    ));
    for (c, t) in &r.by_county {
        lines.push(Line::raw(format!(
            "  {c}  {} {} · {} {}",
            t.holders,
            lang.pick("人", "holder(s)"),
            t.amount,
            lang.pick("元", "yuan")
        )));
    }
    lines.push(Line::styled(
        lang.pick(
            "[ ] 换年度 · x 导出 · a 返回证书登记簿",
            "[ ] year · x export · a back to the register",
        ),
        theme.muted(),
    ));
    lines.push(Line::styled(
        match lang {
            Lang::Zh => format!(
                "不予发放 {} 人（考核不合格、证书暂停或已离岗等）",
                r.excluded.len()
            ),
            Lang::En => format!(
                "{} left off (assessment, suspended, left the post…)",
                r.excluded.len()
            ),
        },
        theme.muted(),
    ));
    frame.render_widget(Paragraph::new(lines), inner);
}
