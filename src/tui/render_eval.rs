//! Rendering of stage 5: the score sheet, the chair's progress board, the results
//! with a bar chart of the sheet totals, and the ranking.

use super::app::{Board, State};
use super::i18n::Lang;
use super::render::{block, wrap_line};
use super::theme::Theme;
pub use super::widgets::draw::table_or;
use super::widgets::labels::{bar, cell_style, conflict_kind, session_label, short_time};
use crate::domain::eligibility::fmt_num;
use crate::service::evaluation::{Cell, ResultRow};
use crate::text::{fit, pad};
use ratatui::layout::{Constraint, Direction, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Row, Table};
use ratatui::Frame;

/// The chair's board: candidates by members, who has submitted, who is recused.
pub fn progress(state: &State, b: &Board, theme: &Theme, frame: &mut Frame, area: Rect) {
    let lang = state.lang;
    let title = format!(
        "{} · {}",
        lang.pick("评分进度", "Scoring progress"),
        session_label(b.session.as_ref(), lang)
    );
    let conflicts_h = if b.conflicts.is_empty() {
        3
    } else {
        (b.conflicts.len() as u16 + 3).min(area.height / 3)
    };
    let parts = Layout::default()
        .direction(Direction::Vertical)
        .constraints([Constraint::Min(5), Constraint::Length(conflicts_h)])
        .split(area);
    let outer = block(&title, theme, true);
    let inner = outer.inner(parts[0]);
    frame.render_widget(outer, parts[0]);
    let Some(p) = &b.progress else {
        return;
    };
    let n = p.members.len().max(1);
    let fixed = 8 + 1 + 4 + 1 + 6 + 1 + 8;
    let mw = ((usize::from(inner.width).saturating_sub(fixed)) / n)
        .saturating_sub(1)
        .clamp(3, 6);
    let mut widths = vec![Constraint::Length(8), Constraint::Length(4)];
    widths.extend(std::iter::repeat_n(
        Constraint::Length(mw as u16),
        p.members.len(),
    ));
    widths.push(Constraint::Length(6));
    widths.push(Constraint::Min(6));
    let mut head = vec![
        lang.pick("姓名", "Name").to_string(),
        lang.pick("等级", "Grade").to_string(),
    ];
    head.extend(p.members.iter().map(|(_, m)| fit(m, mw)));
    head.push(lang.pick("已交", "Done").to_string());
    head.push(lang.pick("状态", "State").to_string());
    let height = usize::from(inner.height.saturating_sub(1));
    let offset = b.cursor.saturating_sub(height.saturating_sub(1));
    let rows: Vec<Row> = p
        .rows
        .iter()
        .enumerate()
        .skip(offset)
        .take(height)
        .map(|(i, r)| {
            let mut cells = vec![
                ratatui::widgets::Cell::from(fit(&r.name, 8)),
                ratatui::widgets::Cell::from(lang.grade_short(Some(r.target))),
            ];
            for c in &r.cells {
                let text = match c {
                    Cell::Submitted => "✓",
                    Cell::Draft => lang.pick("稿", "d"),
                    Cell::Pending => "-",
                    Cell::Recused => lang.pick("避", "R"),
                };
                cells.push(ratatui::widgets::Cell::from(Span::styled(
                    format!(" {text}"),
                    cell_style(*c, theme),
                )));
            }
            let eligible = r.cells.len() - r.count(Cell::Recused);
            let done = r.count(Cell::Submitted);
            let enough = done >= p.quorum;
            cells.push(ratatui::widgets::Cell::from(Span::styled(
                format!("{done}/{eligible}"),
                if enough { theme.ok() } else { theme.warn() },
            )));
            let state_text = if r.finalised {
                lang.pick("已确定", "final")
            } else if enough {
                lang.pick("达法定人数", "quorum")
            } else {
                lang.pick("评分中", "scoring")
            };
            cells.push(ratatui::widgets::Cell::from(state_text));
            let style = if i == b.cursor {
                theme.selected()
            } else {
                theme.base()
            };
            Row::new(cells).style(style)
        })
        .collect();
    table_or(
        frame,
        inner,
        theme,
        Table::new(rows, widths).header(Row::new(head).style(theme.title())),
        p.rows.is_empty(),
        lang.pick("没有处于综合评定的候选人", "No candidate is in evaluation"),
    );
    // Legend and the declared conflicts.
    let outer = block(
        lang.pick("图例与回避申报", "Legend and declared conflicts"),
        theme,
        false,
    );
    let inner = outer.inner(parts[1]);
    frame.render_widget(outer, parts[1]);
    let width = usize::from(inner.width);
    let mut lines = vec![Line::from(vec![
        Span::styled("✓ ", theme.ok()),
        Span::raw(lang.pick("已提交  ", "submitted  ")),
        Span::styled(lang.pick("稿 ", "d "), theme.warn()),
        Span::raw(lang.pick("草稿  ", "draft  ")),
        Span::styled("- ", theme.muted()),
        Span::raw(lang.pick("待评  ", "to score  ")),
        Span::styled(lang.pick("避 ", "R "), theme.error()),
        Span::raw(match lang {
            Lang::Zh => format!("回避    法定人数 {}", p.quorum),
            Lang::En => format!("recused    quorum {}", p.quorum),
        }),
    ])];
    for c in &b.conflicts {
        let kind = conflict_kind(&c.kind, lang);
        lines.push(Line::styled(
            fit(
                &format!("{} — {}（{kind}）：{}", c.member, c.candidate, c.reason),
                width,
            ),
            theme.base(),
        ));
    }
    frame.render_widget(Paragraph::new(lines), inner);
}

/// Results: the statistics of every candidate and, for the one under the cursor, the
/// sheets as a bar chart, the flags and the changes after submission.
pub fn results(state: &State, b: &Board, theme: &Theme, frame: &mut Frame, area: Rect) {
    let lang = state.lang;
    let wide = area.width >= 110;
    let parts = Layout::default()
        .direction(if wide {
            Direction::Horizontal
        } else {
            Direction::Vertical
        })
        .constraints(if wide {
            [Constraint::Percentage(58), Constraint::Percentage(42)]
        } else {
            [Constraint::Percentage(50), Constraint::Percentage(50)]
        })
        .split(area);
    let title = format!(
        "{} · {}",
        lang.pick("评定结果", "Results"),
        session_label(b.session.as_ref(), lang)
    );
    let outer = block(&title, theme, true);
    let inner = outer.inner(parts[0]);
    frame.render_widget(outer, parts[0]);
    let full = inner.width >= 76;
    let mut widths = vec![
        Constraint::Length(8),
        Constraint::Length(4),
        Constraint::Length(3),
        Constraint::Length(6),
        Constraint::Length(6),
        Constraint::Length(6),
    ];
    let mut head = vec![
        lang.pick("姓名", "Name"),
        lang.pick("等级", "Grade"),
        lang.pick("份", "N"),
        lang.pick("平均", "Mean"),
        lang.pick("去极值", "Trim"),
        lang.pick("中位", "Median"),
    ];
    if full {
        widths.extend([Constraint::Length(5), Constraint::Length(6)]);
        head.extend([lang.pick("极差", "Range"), lang.pick("标准差", "SD")]);
    }
    widths.extend([Constraint::Length(6), Constraint::Min(6)]);
    head.extend([lang.pick("结果", "Result"), lang.pick("判定", "Verdict")]);
    let height = usize::from(inner.height.saturating_sub(1));
    let offset = b.cursor.saturating_sub(height.saturating_sub(1));
    let rows: Vec<Row> = b
        .results
        .iter()
        .enumerate()
        .skip(offset)
        .take(height)
        .map(|(i, r)| {
            let num = |x: Option<f64>| x.map(|v| fmt_num(crate::domain::aggregate::round2(v)));
            let a = r.aggregate.as_ref();
            let mut cells: Vec<String> = vec![
                fit(&r.name, 8),
                lang.grade_short(Some(r.target)).to_string(),
                a.map_or("-".into(), |a| a.sheets.to_string()),
                num(a.map(|a| a.mean)).unwrap_or_default(),
                num(a.and_then(|a| a.trimmed_mean)).unwrap_or_default(),
                num(a.map(|a| a.median)).unwrap_or_default(),
            ];
            if full {
                cells.push(num(a.map(|a| a.spread)).unwrap_or_default());
                cells.push(num(a.map(|a| a.std_dev)).unwrap_or_default());
            }
            cells.push(num(a.map(|a| a.result)).unwrap_or_default());
            cells.push(verdict(r, lang));
            let style = if i == b.cursor {
                theme.selected()
            } else if r.needs_discussion || r.sheets.iter().any(|s| s.outlier) {
                theme.warn()
            } else {
                theme.base()
            };
            Row::new(cells).style(style)
        })
        .collect();
    table_or(
        frame,
        inner,
        theme,
        Table::new(rows, widths).header(Row::new(head).style(theme.title())),
        b.results.is_empty(),
        lang.pick("没有处于综合评定的候选人", "No candidate is in evaluation"),
    );
    let selected = b.results.get(b.cursor);
    result_detail(state, b, selected, theme, frame, parts[1]);
}

fn verdict(r: &ResultRow, lang: Lang) -> String {
    let mut v = match (r.finalised, r.passes()) {
        (Some(true), _) => lang.pick("已定·通过", "final·pass").to_string(),
        (Some(false), _) => lang.pick("已定·未过", "final·fail").to_string(),
        (None, Some(_)) if r.aggregate.as_ref().is_some_and(|a| !a.quorum_met) => {
            lang.pick("人数不足", "no quorum").to_string()
        }
        (None, Some(true)) => lang.pick("达线", "passes").to_string(),
        (None, Some(false)) => lang.pick("未达线", "below").to_string(),
        (None, None) if !r.visible => lang.pick("评分中", "scoring").to_string(),
        (None, None) => lang.pick("无评分", "no sheets").to_string(),
    };
    if r.needs_discussion {
        v.push_str(lang.pick(" 需讨论", " discuss"));
    } else if r.sheets.iter().any(|s| s.outlier) {
        v.push_str(lang.pick(" 有偏离", " outlier"));
    }
    v
}

fn result_detail(
    state: &State,
    b: &Board,
    r: Option<&ResultRow>,
    theme: &Theme,
    frame: &mut Frame,
    area: Rect,
) {
    let lang = state.lang;
    let outer = block(lang.pick("评分表合计", "Sheet totals"), theme, false);
    let inner = outer.inner(area);
    frame.render_widget(outer, area);
    let Some(r) = r else {
        return;
    };
    let width = usize::from(inner.width);
    let mut lines = wrap_line(
        Line::styled(
            match lang {
                Lang::Zh => format!(
                    "{} · 申报{} · 分数线 {} · 有效评委 {} 人，回避 {} 人",
                    r.name,
                    lang.grade(Some(r.target)),
                    fmt_num(r.threshold),
                    r.eligible,
                    r.recused
                ),
                Lang::En => format!(
                    "{} · for {} · threshold {} · {} eligible, {} recused",
                    r.name,
                    lang.grade(Some(r.target)),
                    fmt_num(r.threshold),
                    r.eligible,
                    r.recused
                ),
            },
            theme.title(),
        ),
        width,
        2,
    );
    if !r.visible {
        let done = b
            .progress
            .as_ref()
            .and_then(|p| p.rows.iter().find(|x| x.app_id == r.app_id))
            .map(|x| x.count(Cell::Submitted))
            .unwrap_or(0);
        lines.push(Line::raw(""));
        lines.extend(wrap_line(
            Line::styled(
                match lang {
                    Lang::Zh => format!(
                        "评分进行中：为保证独立评分，结束评分后方可查看分数。已提交 {done}/{} 份。",
                        r.eligible
                    ),
                    Lang::En => format!(
                        "Scoring is open: to keep scoring independent, scores are shown once it closes. {done}/{} submitted.",
                        r.eligible
                    ),
                },
                theme.warn(),
            ),
            width,
            0,
        ));
        frame.render_widget(Paragraph::new(lines), inner);
        return;
    }
    // The bar chart of the sheet totals: one bar per sheet, names for the chair.
    let max: f64 = 100.0_f64.max(r.sheets.iter().map(|s| s.total).fold(0.0, f64::max));
    let label_w = 8;
    let bar_w = width.saturating_sub(label_w + 8 + 10).clamp(5, 40);
    for (i, s) in r.sheets.iter().enumerate() {
        let who = match (&s.member, lang) {
            (Some(m), _) => m.clone(),
            (None, Lang::Zh) => format!("评委{}", i + 1),
            (None, Lang::En) => format!("Member {}", i + 1),
        };
        let (full, empty) = bar(s.total, max, bar_w);
        let mut spans = vec![
            Span::styled(pad(&fit(&who, label_w), label_w), theme.base()),
            Span::styled(
                full,
                if s.outlier {
                    theme.warn()
                } else {
                    theme.accent()
                },
            ),
            Span::styled(empty, theme.muted()),
            Span::styled(format!(" {:>6}", fmt_num(s.total)), theme.base()),
        ];
        if s.outlier {
            spans.push(Span::styled(lang.pick(" 偏离", " far"), theme.warn()));
        }
        if let Some(first) = s.first_total {
            spans.push(Span::styled(
                match lang {
                    Lang::Zh => format!(" 原{}", fmt_num(first)),
                    Lang::En => format!(" was {}", fmt_num(first)),
                },
                theme.muted(),
            ));
        }
        lines.push(Line::from(spans));
    }
    if let Some(a) = &r.aggregate {
        lines.push(Line::raw(""));
        let method = if a.trimmed {
            lang.pick("去掉最高、最低分后平均", "trimmed mean")
        } else {
            lang.pick("算术平均", "mean")
        };
        let passes = r.passes().unwrap_or(false);
        let text = match lang {
            Lang::Zh => format!(
                "结果 {}（{method}）{} 分数线 {}：{}",
                fmt_num(a.result),
                if passes { "≥" } else { "<" },
                fmt_num(r.threshold),
                if passes { "达到" } else { "未达到" }
            ),
            Lang::En => format!(
                "Result {} ({method}) {} threshold {}: {}",
                fmt_num(a.result),
                if passes { "≥" } else { "<" },
                fmt_num(r.threshold),
                if passes { "passes" } else { "below" }
            ),
        };
        lines.extend(wrap_line(
            Line::styled(text, if passes { theme.ok() } else { theme.error() }),
            width,
            2,
        ));
        if !a.quorum_met {
            lines.push(Line::styled(
                lang.pick(
                    "有效评分表不足法定人数，不能确定结果",
                    "Below the quorum: cannot be finalised",
                ),
                theme.error(),
            ));
        }
        if r.needs_discussion {
            let by: Vec<String> = a
                .by_method()
                .iter()
                .map(|(m, v)| {
                    let name = match (*m, lang) {
                        ("mean", Lang::Zh) => "平均",
                        ("trimmed_mean", Lang::Zh) => "去极值",
                        ("median", Lang::Zh) => "中位数",
                        (m, _) => m,
                    };
                    format!("{name} {}", fmt_num(*v))
                })
                .collect();
            lines.extend(wrap_line(
                Line::styled(
                    match lang {
                        Lang::Zh => format!("⚠ 需讨论：不同计算方法结论不一（{}）", by.join("、")),
                        Lang::En => format!(
                            "⚠ Needs discussion: the methods disagree ({})",
                            by.join(", ")
                        ),
                    },
                    theme.warn(),
                ),
                width,
                2,
            ));
        }
        if r.sheets.iter().any(|s| s.outlier) {
            lines.push(Line::styled(
                lang.pick(
                    "⚠ 有评分表偏离中位数较多，建议讨论",
                    "⚠ A sheet lies far from the median: discuss it",
                ),
                theme.warn(),
            ));
        }
    } else {
        lines.push(Line::styled(
            lang.pick("尚无有效评分表", "No eligible submitted sheet"),
            theme.muted(),
        ));
    }
    if !r.revisions.is_empty() {
        lines.push(Line::raw(""));
        lines.push(Line::styled(
            lang.pick(
                "提交后的修改（讨论前后）",
                "Changes after submission (before and after discussion)",
            ),
            theme.title(),
        ));
        for v in &r.revisions {
            let who = v
                .member
                .clone()
                .unwrap_or_else(|| lang.pick("评委", "member").into());
            let text = format!(
                "{who} {} {}→{}：{}（{}）",
                lang.pick(&v.label.0, &v.label.1),
                v.before.map(fmt_num).unwrap_or_else(|| "–".into()),
                fmt_num(v.after),
                v.reason,
                short_time(&v.at)
            );
            lines.extend(wrap_line(Line::styled(text, theme.muted()), width, 2));
        }
    }
    frame.render_widget(Paragraph::new(lines), inner);
}

/// The ranking per grade, highest grade first.
pub fn ranking(state: &State, b: &Board, theme: &Theme, frame: &mut Frame, area: Rect) {
    let lang = state.lang;
    let outer = block(
        lang.pick("排名（按申报等级）", "Ranking by grade"),
        theme,
        true,
    );
    let inner = outer.inner(area);
    frame.render_widget(outer, area);
    let org_w = usize::from(inner.width)
        .saturating_sub(6 + 4 + 8 + 7 + 6 + 10 + 6)
        .max(8);
    let widths = [
        Constraint::Length(6),
        Constraint::Length(4),
        Constraint::Length(8),
        Constraint::Length(org_w as u16),
        Constraint::Length(7),
        Constraint::Length(6),
        Constraint::Min(8),
    ];
    let head = Row::new([
        lang.pick("等级", "Grade"),
        lang.pick("名次", "Rank"),
        lang.pick("姓名", "Name"),
        lang.pick("单位", "Organisation"),
        lang.pick("结果", "Result"),
        lang.pick("达线", "Passes"),
        lang.pick("状态", "State"),
    ])
    .style(theme.title());
    let height = usize::from(inner.height.saturating_sub(1));
    let offset = b.cursor.saturating_sub(height.saturating_sub(1));
    let rows: Vec<Row> = b
        .ranking
        .iter()
        .flat_map(|(g, rows)| rows.iter().enumerate().map(move |(k, r)| (g, k, r)))
        .enumerate()
        .skip(offset)
        .take(height)
        .map(|(i, (g, k, r))| {
            let style = if i == b.cursor {
                theme.selected()
            } else {
                theme.base()
            };
            Row::new(vec![
                if k == 0 {
                    lang.grade(Some(*g)).to_string()
                } else {
                    String::new()
                },
                r.rank.to_string(),
                fit(&r.name, 8),
                fit(&r.organisation, org_w),
                fmt_num(r.result),
                lang.pick(
                    if r.passes { "是" } else { "否" },
                    if r.passes { "yes" } else { "no" },
                )
                .to_string(),
                match r.finalised {
                    Some(_) => lang.pick("已确定", "final"),
                    None => lang.pick("待确定", "open"),
                }
                .to_string(),
            ])
            .style(style)
        })
        .collect();
    let empty = lang.pick(
        "结束评分后，达到法定人数的候选人在此排名",
        "Candidates with a quorum are ranked here once scoring closes",
    );
    table_or(
        frame,
        inner,
        theme,
        Table::new(rows, widths).header(head),
        b.ranking.is_empty(),
        empty,
    );
}
