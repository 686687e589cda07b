//! The chair's and the secretary's screens of stage 5: the scoring progress by
//! candidate and member with the declared conflicts, the results with a bar chart of
//! the sheet totals, and the ranking. Their state, their keys, their drawing and what
//! they load.

use super::super::effect::{Effect, OverviewData};
use super::super::keymap::Action;
use super::super::theme::Theme;
use super::super::widgets::cursor::Cursor;
use super::super::widgets::draw::{block, table_or, two_panes, wrap_line};
use super::super::widgets::form::{Confirm, Form, ReasonFor};
use super::super::widgets::labels::{bar, cell_style, conflict_kind, session_label, short_time};
use super::{Ctx, Screen};
use crate::domain::eligibility::fmt_num;
use crate::domain::Grade;
use crate::i18n::Lang;
use crate::service::evaluation::{
    rank_results, Cell, ConflictRow, Progress, RankRow, ResultRow, Session,
};
use crate::service::{Service, ServiceError};
use crate::text::{fit, pad};
use ratatui::layout::{Constraint, Direction, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Row, Table};
use ratatui::Frame;

/// The progress board, the results and the ranking, as far as the actor may see them.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Overview {
    pub progress: Option<Progress>,
    pub results: Vec<ResultRow>,
    pub ranking: Vec<(Grade, Vec<RankRow>)>,
    /// Declared conflicts (chair and secretary).
    pub conflicts: Vec<ConflictRow>,
    /// The row under the cursor on the progress, results or ranking screen.
    pub cursor: Cursor,
}

/// What a key on these screens leads to.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    Effects(Vec<Effect>),
    /// The score sheet of the candidate at `pos` in the stage list.
    Score {
        pos: usize,
        app: i64,
    },
}

/// Loads the scoring session, the progress board, the declared conflicts, the results
/// and the ranking of a cycle.
pub fn load(svc: &Service, cycle: i64) -> Result<OverviewData, ServiceError> {
    let session = svc.session(cycle)?;
    let progress = svc.progress(cycle)?;
    let conflicts = svc.conflicts(cycle)?;
    let results = svc.results(cycle)?;
    let rules = svc.cycle(cycle)?.rules;
    let ranking = rank_results(&results, &rules);
    Ok(OverviewData {
        session,
        progress,
        conflicts,
        results,
        ranking,
    })
}

impl Overview {
    /// What reloads these screens.
    pub fn load_effect(&self) -> Effect {
        // The board, the results and the ranking load together.
        Effect::Load(Screen::Progress)
    }

    /// Opens `screen` (the progress board, the results or the ranking) from its top.
    pub fn open(&mut self, ctx: &mut Ctx, screen: Screen) -> Vec<Effect> {
        *ctx.screen = screen;
        self.cursor.reset();
        vec![self.load_effect()]
    }

    /// What was loaded, shown on `screen`: the cursor stays on its candidate when the
    /// rows move (e.g. after finalising).
    pub fn loaded(&mut self, data: OverviewData, screen: Screen) {
        let keep = self.selected(screen);
        self.progress = Some(data.progress);
        self.conflicts = data.conflicts;
        self.results = data.results;
        self.ranking = data.ranking;
        let at = keep
            .and_then(|id| self.position(screen, id))
            .unwrap_or(self.cursor.at);
        self.cursor.to(at, self.len(screen));
    }

    /// The application under the cursor on `screen`.
    pub fn selected(&self, screen: Screen) -> Option<i64> {
        match screen {
            Screen::Progress => self
                .progress
                .as_ref()
                .and_then(|p| p.rows.get(self.cursor.at))
                .map(|r| r.app_id),
            Screen::Results => self.results.get(self.cursor.at).map(|r| r.app_id),
            Screen::Ranking => self
                .ranking
                .iter()
                .flat_map(|(_, rows)| rows.iter())
                .nth(self.cursor.at)
                .map(|r| r.app_id),
            _ => None,
        }
    }

    /// Where an application is on `screen`.
    fn position(&self, screen: Screen, app: i64) -> Option<usize> {
        match screen {
            Screen::Progress => self
                .progress
                .as_ref()?
                .rows
                .iter()
                .position(|r| r.app_id == app),
            Screen::Results => self.results.iter().position(|r| r.app_id == app),
            Screen::Ranking => self
                .ranking
                .iter()
                .flat_map(|(_, rows)| rows.iter())
                .position(|r| r.app_id == app),
            _ => None,
        }
    }

    /// Rows of `screen`.
    fn len(&self, screen: Screen) -> usize {
        match screen {
            Screen::Progress => self.progress.as_ref().map_or(0, |p| p.rows.len()),
            Screen::Results => self.results.len(),
            Screen::Ranking => self.ranking.iter().map(|(_, r)| r.len()).sum(),
            _ => 0,
        }
    }

    /// Opens scoring, or asks before closing it (saying how many sheets are drafts
    /// or not started, from the progress board).
    pub fn scoring(&self, ctx: &mut Ctx, session: Option<&Session>) -> Vec<Effect> {
        if session.is_some_and(|s| s.is_open()) {
            let (drafts, pending) = self.progress.as_ref().map_or((0, 0), |p| {
                p.rows
                    .iter()
                    .filter(|r| !r.finalised)
                    .fold((0, 0), |(d, n), r| {
                        (d + r.count(Cell::Draft), n + r.count(Cell::Pending))
                    })
            });
            ctx.open(Form::Confirm(Confirm::CloseScoring { drafts, pending }));
            vec![]
        } else {
            let reopen = matches!(session, Some(Session::Closed { .. }));
            ctx.open(Form::Confirm(Confirm::OpenScoring { reopen }));
            vec![]
        }
    }

    /// Keys of the progress board, the results and the ranking. `session` is the
    /// scoring session; `in_list` gives where an application is in the stage list,
    /// if it is there, for its score sheet.
    pub fn update(
        &mut self,
        ctx: &mut Ctx,
        session: Option<&Session>,
        in_list: impl Fn(i64) -> Option<usize>,
        action: Action,
    ) -> Outcome {
        let screen = *ctx.screen;
        let moves = matches!(
            action,
            Action::Down | Action::Up | Action::Top | Action::Bottom
        );
        if moves && self.cursor.moved(action, self.len(screen), 1) {
            return Outcome::Effects(vec![]);
        }
        match action {
            Action::NextPane => {
                let next = match screen {
                    Screen::Progress => Screen::Results,
                    Screen::Results => Screen::Ranking,
                    _ => Screen::Progress,
                };
                return Outcome::Effects(self.open(ctx, next));
            }
            Action::Back => {
                *ctx.screen = Screen::List;
                return Outcome::Effects(vec![Effect::Reload]);
            }
            Action::Session => return Outcome::Effects(self.scoring(ctx, session)),
            Action::ScorePanel => {
                let Some(app) = self.selected(screen) else {
                    return Outcome::Effects(vec![]);
                };
                match in_list(app) {
                    Some(pos) => return Outcome::Score { pos, app },
                    None => ctx.say(
                        "该候选人不在评定环节（结果已确定）",
                        "The candidate is no longer in evaluation (the result is final)",
                    ),
                }
            }
            Action::Finalise => {
                let Some(app) = self.selected(screen) else {
                    return Outcome::Effects(vec![]);
                };
                let Some(r) = self.results.iter().find(|r| r.app_id == app) else {
                    ctx.say("请在结果视图中确定结果", "Finalise from the results view");
                    return Outcome::Effects(vec![]);
                };
                if r.finalised.is_some() {
                    ctx.say("该候选人的结果已确定", "The result is already final");
                    return Outcome::Effects(vec![]);
                }
                let Some(a) = r.aggregate.as_ref() else {
                    ctx.say(
                        "尚无可见的评分：须先结束评分",
                        "No scores to see yet: close scoring first",
                    );
                    return Outcome::Effects(vec![]);
                };
                if !a.quorum_met {
                    let text = match ctx.lang {
                        Lang::Zh => {
                            format!("有效评分表 {} 份，不足法定人数，不能确定结果", a.sheets)
                        }
                        Lang::En => format!(
                            "{} eligible sheet(s): below the quorum, cannot be finalised",
                            a.sheets
                        ),
                    };
                    ctx.error(text);
                    return Outcome::Effects(vec![]);
                }
                ctx.open(Form::Confirm(Confirm::Finalise {
                    app,
                    name: r.name.clone(),
                    result: a.result,
                    threshold: r.threshold,
                    discuss: r.needs_discussion || r.sheets.iter().any(|s| s.outlier),
                }));
            }
            Action::Reopen => {
                let Some(app) = self.selected(screen) else {
                    return Outcome::Effects(vec![]);
                };
                let Some(r) = self.results.iter().find(|r| r.app_id == app) else {
                    return Outcome::Effects(vec![]);
                };
                if r.finalised.is_none() {
                    ctx.say(
                        "只有已确定的结果才能重新评定",
                        "Only a final result can be reopened",
                    );
                    return Outcome::Effects(vec![]);
                }
                ctx.open(Form::reason(ctx.lang, app, &r.name, ReasonFor::Reopen));
            }
            _ => {}
        }
        Outcome::Effects(vec![])
    }

    /// Draws `screen` (the progress board, the results or the ranking); `session` is
    /// the scoring session.
    pub fn render(
        &self,
        screen: Screen,
        session: Option<&Session>,
        lang: Lang,
        theme: &Theme,
        frame: &mut Frame,
        area: Rect,
    ) {
        match screen {
            Screen::Progress => self.progress(session, lang, theme, frame, area),
            Screen::Results => self.results(session, lang, theme, frame, area),
            _ => self.ranking(lang, theme, frame, area),
        }
    }

    /// The chair's board: candidates by members, who has submitted, who is recused.
    fn progress(
        &self,
        session: Option<&Session>,
        lang: Lang,
        theme: &Theme,
        frame: &mut Frame,
        area: Rect,
    ) {
        let title = format!(
            "{} · {}",
            lang.pick("评分进度", "Scoring progress"),
            session_label(session, lang)
        );
        let conflicts_h = if self.conflicts.is_empty() {
            3
        } else {
            (self.conflicts.len() as u16 + 3).min(area.height / 3)
        };
        let parts = Layout::default()
            .direction(Direction::Vertical)
            .constraints([Constraint::Min(5), Constraint::Length(conflicts_h)])
            .split(area);
        let outer = block(&title, theme, true);
        let inner = outer.inner(parts[0]);
        frame.render_widget(outer, parts[0]);
        let Some(p) = &self.progress else {
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
        let offset = self.cursor.at.saturating_sub(height.saturating_sub(1));
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
                let style = if i == self.cursor.at {
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
        for c in &self.conflicts {
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
    fn results(
        &self,
        session: Option<&Session>,
        lang: Lang,
        theme: &Theme,
        frame: &mut Frame,
        area: Rect,
    ) {
        let parts = two_panes(area, (58, 42), (50, 50));
        let title = format!(
            "{} · {}",
            lang.pick("评定结果", "Results"),
            session_label(session, lang)
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
        let offset = self.cursor.at.saturating_sub(height.saturating_sub(1));
        let rows: Vec<Row> = self
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
                let style = if i == self.cursor.at {
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
            self.results.is_empty(),
            lang.pick("没有处于综合评定的候选人", "No candidate is in evaluation"),
        );
        let selected = self.results.get(self.cursor.at);
        self.result_detail(selected, lang, theme, frame, parts[1]);
    }

    fn result_detail(
        &self,
        r: Option<&ResultRow>,
        lang: Lang,
        theme: &Theme,
        frame: &mut Frame,
        area: Rect,
    ) {
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
            let done = self
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
                            Lang::Zh => {
                                format!("⚠ 需讨论：不同计算方法结论不一（{}）", by.join("、"))
                            }
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
    fn ranking(&self, lang: Lang, theme: &Theme, frame: &mut Frame, area: Rect) {
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
        let offset = self.cursor.at.saturating_sub(height.saturating_sub(1));
        let rows: Vec<Row> = self
            .ranking
            .iter()
            .flat_map(|(g, rows)| rows.iter().enumerate().map(move |(k, r)| (g, k, r)))
            .enumerate()
            .skip(offset)
            .take(height)
            .map(|(i, (g, k, r))| {
                let style = if i == self.cursor.at {
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
            self.ranking.is_empty(),
            empty,
        );
    }
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
