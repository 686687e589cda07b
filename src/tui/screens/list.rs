//! The stage list: the applications of one stage, filtered and sorted, with the
//! details of the one under the cursor; the stage's decisions on it, and at stages 5
//! and 6 the keys that open the score sheet, the chair's board, the notice and its
//! registers. Its state, its keys, its drawing and what it loads.

use super::login::LoginItem;
use super::{Ctx, Screen};
use crate::domain::eligibility::{fmt_num, Outcome as CheckOutcome};
use crate::domain::notice::Channel;
use crate::domain::stage::{Stage, Status, Transition};
use crate::domain::workdays::uncovered_warning;
use crate::domain::Deed;
use crate::i18n::Lang;
use crate::service::board::{AppRow, Detail};
use crate::service::evaluation::{Cell, Session};
use crate::service::files::Format;
use crate::service::notice::NoticeView;
use crate::service::{Service, ServiceError};
use crate::text::fit;
use crate::tui::ctx::Message;
use crate::tui::effect::{Effect, ExportWhat, ListData};
use crate::tui::keymap::{Action, Keymap};
use crate::tui::text_input::{Edit, TextInput, CURSOR};
use crate::tui::theme::Theme;
use crate::tui::widgets::cursor::{in_view, Cursor};
use crate::tui::widgets::draw::{block, paren, wrap_line};
use crate::tui::widgets::fields::{Field, Purpose, ReasonFor, CONFLICT_KINDS};
use crate::tui::widgets::form::{Confirm, Form};
use crate::tui::widgets::labels::{cell_label, conflict_kind, session_label, session_short};
use ratatui::layout::{Alignment, Constraint, Rect};
use ratatui::style::Modifier;
use ratatui::text::{Line, Span, Text};
use ratatui::widgets::{Cell as TableCell, Paragraph, Row, Table};
use ratatui::Frame;
use std::collections::HashMap;
use unicode_width::UnicodeWidthStr;

/// The list's state.
#[derive(Debug, Clone, Default)]
pub struct List {
    /// Applications at each stage (and certified), for the header.
    pub counts: [usize; 7],
    /// Rows of the current stage, as loaded.
    pub rows: Vec<AppRow>,
    /// Indices into `rows`, filtered and sorted.
    pub view: Vec<usize>,
    /// The row under the cursor (in `view`), and the first row shown.
    pub cursor: Cursor,
    pub sort: Sort,
    pub filter: TextInput,
    pub filtering: bool,
    /// Lower-case "name organisation" of each row, made once per load for filtering.
    pub keys: Vec<String>,
    /// Each row's name and organisation in dictionary (pinyin) order, for sorting;
    /// made when a sort by either first needs them after a load.
    pub order: Vec<(String, String)>,
    /// The filter `view` was built for, so a longer filter narrows it instead of
    /// scanning every row again.
    pub view_filter: Option<String>,
    pub pane: Pane,
    pub detail: Option<Detail>,
    pub detail_scroll: u16,
    /// Stage 6: the newest notice.
    pub notice: Option<NoticeView>,
    /// Stage 5: the acting member's own sheet state per candidate, and the scoring
    /// session.
    pub my_cells: HashMap<i64, Cell>,
    pub session: Option<Session>,
}

/// What a key on the list asks of the other screens.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    Effects(Vec<Effect>),
    /// The acting member's score sheet for an application.
    Sheet(i64),
    /// The chair's board, the results or the ranking.
    Overview(Screen),
    /// Open or close scoring.
    Scoring,
    /// One of the registers.
    Registers(Screen),
    /// The personnel file behind the current row.
    PersonFile,
}

/// Reads the stage's counts and rows, and what stage 5 or 6 shows beside them.
pub fn load(svc: &Service, cycle: i64, stage: Stage) -> Result<ListData, ServiceError> {
    let mut data = ListData {
        counts: svc.stage_counts(cycle)?,
        rows: svc.stage_rows(cycle, stage)?,
        ..ListData::default()
    };
    if stage == Stage::Notice {
        data.notice = Some(match svc.latest_notice() {
            Ok(n) => Some(n),
            Err(ServiceError::NotFound(_)) => None,
            Err(e) => return Err(e),
        });
    }
    if stage == Stage::Evaluation {
        data.session = Some(svc.session(cycle)?);
        data.my_cells = svc.my_cells(cycle)?;
        if svc.may(crate::domain::Deed::SeeProgress) {
            data.progress = Some(svc.progress(cycle)?);
        }
    }
    Ok(data)
}

/// Reads the details of an application.
pub fn load_detail(svc: &Service, app: i64) -> Result<Detail, ServiceError> {
    svc.detail(app)
}

/// Refuses (with a message) an action the keymap does not give the current stage.
pub fn refused_here(ctx: &mut Ctx, keymap: &Keymap, action: Action) -> bool {
    if keymap.applies(action, ctx.stage.number()) {
        return false;
    }
    ctx.say(
        "本环节没有这项操作，按 ? 查看本环节的按键",
        "Not at this stage; press ? for this stage's keys",
    );
    true
}

/// The conflict form: the chair declares for any scorer, a member for themself.
pub fn conflict_form(ctx: &mut Ctx, members: &[LoginItem], app: i64, name: &str) {
    // Whoever may declare for others chooses among those who score.
    let chair = ctx.may(Deed::DeclareConflictForOthers);
    let me = ctx.session.member_id;
    let members: Vec<(i64, String)> = members
        .iter()
        .filter(|m| match chair {
            true => crate::domain::may(m.role, Deed::Score),
            false => m.id == me,
        })
        .map(|m| (m.id, m.name.clone()))
        .collect();
    if members.is_empty() {
        ctx.say("只有评委可以申报回避", "Only scorers declare conflicts");
        return;
    }
    let member = members.iter().position(|m| m.0 == me).unwrap_or(0);
    let lang = ctx.lang;
    let kinds = CONFLICT_KINDS
        .iter()
        .map(|k| conflict_kind(k, lang).to_string())
        .collect();
    ctx.open(Form::conflict(
        lang, app, name, members, member, kinds, chair,
    ));
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Sort {
    #[default]
    Declared,
    Name,
    Organisation,
    Status,
}

impl Sort {
    fn next(self) -> Sort {
        match self {
            Sort::Declared => Sort::Name,
            Sort::Name => Sort::Organisation,
            Sort::Organisation => Sort::Status,
            Sort::Status => Sort::Declared,
        }
    }
    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            Sort::Declared => lang.pick("按申报顺序", "by declaration"),
            Sort::Name => lang.pick("按姓名", "by name"),
            Sort::Organisation => lang.pick("按单位", "by organisation"),
            Sort::Status => lang.pick("按状态", "by status"),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Pane {
    #[default]
    Table,
    Detail,
}

impl List {
    /// The application under the cursor.
    pub fn current(&self) -> Option<&AppRow> {
        self.view
            .get(self.cursor.at)
            .and_then(|i| self.rows.get(*i))
    }

    /// Recomputes the filtered, sorted view, keeping the cursor on the same row when
    /// it is still there.
    pub fn rebuild_view(&mut self) {
        let keep = self.current().map(|r| r.id);
        // New rows (a reload clears the keys) need new keys and a full scan.
        if self.keys.len() != self.rows.len() || self.keys.is_empty() {
            self.view_filter = None;
            self.keys = self
                .rows
                .iter()
                .map(|r| format!("{} {}", r.name, r.organisation).to_lowercase())
                .collect();
            // Made when a sort by name or organisation first needs them.
            self.order.clear();
        }
        if matches!(self.sort, Sort::Name | Sort::Organisation)
            && self.order.len() != self.rows.len()
        {
            self.order = self
                .rows
                .iter()
                .map(|r| {
                    (
                        crate::search::name_order(&r.name),
                        crate::search::text_order(&r.organisation),
                    )
                })
                .collect();
        }
        let f = self.filter.trim().to_lowercase();
        // A filter that only grew keeps a subset of the current view, in its order.
        let narrowing = self
            .view_filter
            .as_ref()
            .is_some_and(|old| !old.is_empty() && f.starts_with(old.as_str()));
        let candidates: Vec<usize> = if narrowing {
            std::mem::take(&mut self.view)
        } else {
            (0..self.rows.len()).collect()
        };
        let mut view: Vec<usize> = candidates
            .into_iter()
            .filter(|i| f.is_empty() || self.keys[*i].contains(&f))
            .collect();
        if !narrowing {
            let (rows, order) = (&self.rows, &self.order);
            match self.sort {
                Sort::Declared => {}
                Sort::Name => view.sort_by(|a, b| order[*a].0.cmp(&order[*b].0)),
                Sort::Organisation => view.sort_by(|a, b| order[*a].1.cmp(&order[*b].1)),
                Sort::Status => view.sort_by_key(|i| rows[*i].status.code()),
            }
        }
        self.view = view;
        self.view_filter = Some(f);
        self.cursor.at = keep
            .and_then(|id| self.view.iter().position(|i| self.rows[*i].id == id))
            .unwrap_or(0)
            .min(self.view.len().saturating_sub(1));
    }

    /// Forgets the view's filter, e.g. after the sort order changed.
    pub fn invalidate_view(&mut self) {
        self.view_filter = None;
    }

    fn move_to(&mut self, index: usize, page: usize) -> Vec<Effect> {
        let index = index.min(self.view.len().saturating_sub(1));
        // Scroll only when the cursor would leave the visible rows.
        self.cursor.offset = in_view(index, self.cursor.offset, page);
        if index == self.cursor.at
            && self.detail.as_ref().map(|d| d.app.id) == self.current().map(|r| r.id)
        {
            return vec![];
        }
        self.cursor.at = index;
        self.detail_scroll = 0;
        self.current()
            .map(|r| vec![Effect::LoadDetail(r.id)])
            .unwrap_or_default()
    }

    /// Draws the table of the stage; returns how many rows it shows.
    pub fn render_table(
        &self,
        lang: Lang,
        stage: Option<Stage>,
        focused: bool,
        theme: &Theme,
        frame: &mut Frame,
        area: Rect,
    ) -> usize {
        let stage = stage.unwrap_or(Stage::Declaration);
        let mut title = format!(
            "{} · {} {}",
            lang.stage(stage),
            self.view.len(),
            lang.pick("件", "applications")
        );
        if self.sort != Sort::Declared {
            title.push_str(&format!(" · {}", self.sort.label(lang)));
        }
        if self.filtering || !self.filter.is_empty() {
            title.push_str(&format!(" · {} ", lang.pick("筛选", "filter")));
            if self.filtering {
                // As much of the filter as the title has room for, with the cursor.
                let room = usize::from(area.width)
                    .saturating_sub(6 + title.width())
                    .max(12);
                let (before, after) = self.filter.view(room);
                title.push_str(&format!("{before}{CURSOR}{after}"));
            } else {
                title.push_str(&self.filter);
            }
        }
        // How scoring or the notice stands, in full when it fits, else in short.
        let labels = match stage {
            Stage::Evaluation => vec![
                session_label(self.session.as_ref(), lang),
                session_short(self.session.as_ref(), lang),
            ],
            Stage::Notice => self.notice_labels(lang),
            _ => vec![],
        };
        let room = usize::from(area.width).saturating_sub(6);
        if let Some(l) = labels
            .iter()
            .find(|l| title.width() + 3 + l.width() <= room)
        {
            title.push_str(&format!(" · {l}"));
        }
        let outer = block(&title, theme, self.pane == Pane::Table && focused);
        let inner = outer.inner(area);
        frame.render_widget(outer, area);
        let height = inner.height.saturating_sub(1) as usize;
        // Keep the cursor in view; only the visible rows are built.
        let offset = in_view(self.cursor.at, self.cursor.offset, height);
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
        let rows: Vec<Row> = self
            .view
            .iter()
            .enumerate()
            .skip(offset)
            .take(height)
            .map(|(pos, &i)| {
                let r = &self.rows[i];
                let status_style = match r.status {
                    Status::Active | Status::Done => theme.base(),
                    Status::Returned => theme.warn(),
                    _ => theme.error(),
                };
                let style = if pos == self.cursor.at {
                    theme.selected()
                } else {
                    theme.base()
                };
                Row::new(vec![
                    TableCell::from(fit(&r.name, name_w)),
                    TableCell::from(fit(&r.organisation, org_width)),
                    TableCell::from(fit(lang.category(r.category), cat_w)),
                    TableCell::from(fit(
                        &format!(
                            "{}→{}",
                            lang.grade_short(r.current),
                            lang.grade_short(r.target)
                        ),
                        grade_w,
                    )),
                    TableCell::from(Span::styled(
                        fit(lang.status(r.status), status_w),
                        if pos == self.cursor.at {
                            style
                        } else {
                            status_style
                        },
                    )),
                    TableCell::from(Span::styled(
                        fit(
                            &flags(
                                r,
                                lang,
                                self.my_cells
                                    .get(&r.id)
                                    .copied()
                                    .filter(|_| stage == Stage::Evaluation),
                            ),
                            flags_w,
                        ),
                        if pos == self.cursor.at {
                            style
                        } else {
                            theme.warn()
                        },
                    )),
                ])
                .style(style)
            })
            .collect();
        if self.view.is_empty() {
            let text = if self.filter.is_empty() {
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

    /// The details of the application under the cursor, line by line before wrapping
    /// (none while they are not loaded).
    fn detail_lines(&self, lang: Lang, theme: &Theme) -> Vec<Line<'static>> {
        let Some(d) = self
            .detail
            .as_ref()
            .filter(|d| Some(d.app.id) == self.current().map(|r| r.id))
        else {
            return vec![];
        };
        let label =
            |zh: &str, en: &str| Span::styled(format!("{} ", lang.pick(zh, en)), theme.muted());
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
                    d.missing
                        .iter()
                        .map(|l| lang.pick(l.zh(), l.en()))
                        .collect::<Vec<_>>()
                        .join(lang.pick("、", ", "))
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
                CheckOutcome::Pass => ("✓", theme.ok()),
                CheckOutcome::Fail => ("✗", theme.error()),
                CheckOutcome::Pending => ("…", theme.warn()),
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
        if let Some((n, c)) = self.notice.as_ref().and_then(|n| {
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
        lines
    }

    /// How far the details can scroll: their lines wrapped at the narrowest the pane
    /// is drawn (42 cells, beside the table on a 110-column terminal). The pane itself
    /// never scrolls past its last line; this keeps the count from running far past
    /// it, so that k answers at once.
    fn detail_scroll_max(&self, lang: Lang) -> u16 {
        const NARROWEST: usize = 42;
        // Styles do not change how lines wrap: any theme counts, made once.
        static COUNTING: std::sync::LazyLock<Theme> = std::sync::LazyLock::new(Theme::default);
        let rows: usize = self
            .detail_lines(lang, &COUNTING)
            .iter()
            .map(|l| l.width().max(1).div_ceil(NARROWEST))
            .sum();
        u16::try_from(rows).unwrap_or(u16::MAX)
    }

    /// Draws the details of the application under the cursor.
    pub fn render_detail(
        &self,
        lang: Lang,
        focused: bool,
        theme: &Theme,
        frame: &mut Frame,
        area: Rect,
    ) {
        let outer = block(
            lang.pick("详情", "Details"),
            theme,
            self.pane == Pane::Detail && focused,
        );
        let inner = outer.inner(area);
        frame.render_widget(outer, area);
        let lines = self.detail_lines(lang, theme);
        // Wrapped here rather than by the paragraph, so that a wide character never
        // lands on the border and continuation lines keep an indent.
        let lines: Vec<Line> = lines
            .into_iter()
            .flat_map(|l| wrap_line(l, usize::from(inner.width), 3))
            .collect();
        // Never scroll past the last line.
        let total = lines.len() as u16;
        let scroll = self.detail_scroll.min(total.saturating_sub(inner.height));
        frame.render_widget(Paragraph::new(Text::from(lines)).scroll((scroll, 0)), inner);
    }

    /// The stage-6 list's titles, longest first: the notice period and how it stands, in
    /// full and in short, each with the warning of a period counted without a holiday
    /// calendar (in full, then in brief) when it was.
    pub fn notice_labels(&self, lang: Lang) -> Vec<String> {
        let Some(n) = &self.notice else {
            return vec![lang.pick("尚未开始公示", "no notice yet").to_string()];
        };
        let (full, short) = (period_label(n, lang), self.notice_short(lang));
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

    /// How the notice stands, in a few words.
    pub fn notice_short(&self, lang: Lang) -> String {
        match &self.notice {
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

impl List {
    /// The stage as loaded: the rows again (the cursor kept on the same application
    /// when it is still there), the counts, and what stage 5 or 6 shows.
    pub fn loaded(&mut self, data: ListData) {
        self.counts = data.counts;
        self.rows = data.rows;
        if let Some(notice) = data.notice {
            self.notice = notice;
        }
        if let Some(session) = data.session {
            self.session = Some(session);
            self.my_cells = data.my_cells;
        }
        self.keys.clear();
        self.rebuild_view();
        if self.current().is_none() {
            self.detail = None;
        }
    }

    /// The details of an application, as loaded.
    pub fn detail_loaded(&mut self, detail: Detail) {
        self.detail = Some(detail);
    }

    /// What loads the details of the row under the cursor.
    pub fn detail_effect(&self) -> Vec<Effect> {
        self.current()
            .map(|r| vec![Effect::LoadDetail(r.id)])
            .unwrap_or_default()
    }

    /// Another stage: from the top, unfiltered, the table focused.
    pub fn go_to_stage(&mut self) {
        self.cursor.reset();
        self.filter.clear();
        self.detail = None;
        self.detail_scroll = 0;
        self.pane = Pane::Table;
    }

    /// A character typed into the filter.
    pub fn type_filter(&mut self, c: char) -> Vec<Effect> {
        self.filter.insert(c);
        self.filter_changed()
    }

    /// A click on the row shown at `index` of the view: the cursor goes there.
    pub fn click(&mut self, index: usize, page: usize) -> Vec<Effect> {
        if index >= self.view.len() {
            return vec![];
        }
        self.pane = Pane::Table;
        self.move_to(index, page)
    }

    /// A text pasted into the filter, whole, at its cursor.
    pub fn paste_filter(&mut self, text: &str) -> Vec<Effect> {
        self.filter.insert_str(&crate::text::pasted(text, false));
        self.filter_changed()
    }

    /// A cursor move or deletion in the filter.
    pub fn edit_filter(&mut self, edit: Edit) -> Vec<Effect> {
        if self.filter.apply(edit) {
            self.filter_changed()
        } else {
            vec![]
        }
    }

    /// A key while the filter is typed: Esc clears it, Enter keeps it.
    pub fn filter_key(&mut self, action: Action) -> Vec<Effect> {
        match action {
            Action::Back => {
                self.filter.clear();
                self.filtering = false;
                self.rebuild_view();
            }
            Action::Submit | Action::Save => self.filtering = false,
            _ => {}
        }
        self.detail_effect()
    }

    /// The filter changed: the view again, from its top, and the current row's
    /// details.
    fn filter_changed(&mut self) -> Vec<Effect> {
        self.rebuild_view();
        self.cursor.offset = 0;
        self.detail_effect()
    }

    /// After a sheet is submitted: the next candidate in the list still to score
    /// (draft or not started, not recused), searching forwards then from the top.
    pub fn next_to_score(&self) -> Option<(usize, i64)> {
        let n = self.view.len();
        (1..=n)
            .map(|k| (self.cursor.at + k) % n)
            .map(|pos| (pos, self.rows[self.view[pos]].id))
            .find(|(_, id)| {
                matches!(
                    self.my_cells.get(id),
                    Some(Cell::Pending) | Some(Cell::Draft)
                )
            })
    }

    /// The list's ids in the order shown.
    pub fn ids(&self) -> Vec<i64> {
        self.view.iter().map(|i| self.rows[*i].id).collect()
    }

    /// Keys of the list.
    pub fn update(
        &mut self,
        ctx: &mut Ctx,
        keymap: &Keymap,
        members: &[LoginItem],
        action: Action,
    ) -> Outcome {
        let lang = ctx.lang;
        let page = ctx.page.max(2);
        let today = ctx.today();
        let stage = ctx.stage;
        match action {
            Action::ScorePanel
            | Action::Progress
            | Action::Results
            | Action::Session
            | Action::Conflict
            | Action::Reopen => return self.stage5(ctx, keymap, members, action),
            Action::PersonFile => return Outcome::PersonFile,
            Action::StartNotice
            | Action::Objection
            | Action::Objections
            | Action::Certificates
            | Action::CloseNotice
            | Action::Export => return self.stage6(ctx, keymap, action),
            _ => {}
        }
        let none = Outcome::Effects(vec![]);
        if self.pane == Pane::Detail {
            match action {
                Action::Down => {
                    let max = self.detail_scroll_max(lang);
                    self.detail_scroll = (self.detail_scroll + 1).min(max);
                    return none;
                }
                Action::Up => {
                    self.detail_scroll = self.detail_scroll.saturating_sub(1);
                    return none;
                }
                Action::Back | Action::NextPane | Action::PrevPane => {
                    self.pane = Pane::Table;
                    return none;
                }
                _ => {}
            }
        }
        let needs_row = matches!(
            action,
            Action::Advance
                | Action::Score
                | Action::Visit
                | Action::Override
                | Action::Return
                | Action::Reject
                | Action::Withdraw
        );
        if needs_row {
            return Outcome::Effects(self.decide(ctx, keymap, action, today));
        }
        let n = self.view.len();
        Outcome::Effects(match action {
            Action::Down => self.move_to(self.cursor.at + 1, page),
            Action::Up => self.move_to(self.cursor.at.saturating_sub(1), page),
            Action::Top => self.move_to(0, page),
            Action::Bottom => self.move_to(n.saturating_sub(1), page),
            Action::PageDown => self.move_to(self.cursor.at + page / 2, page),
            Action::PageUp => self.move_to(self.cursor.at.saturating_sub(page / 2), page),
            Action::NextPane | Action::PrevPane | Action::Open => {
                self.pane = Pane::Detail;
                self.detail_effect()
            }
            Action::Back => {
                *ctx.message = None;
                if self.filter.is_empty() {
                    return none;
                }
                self.filter.clear();
                self.rebuild_view();
                self.detail_effect()
            }
            Action::Filter => {
                self.filtering = true;
                vec![]
            }
            Action::Sort => {
                self.sort = self.sort.next();
                self.invalidate_view();
                self.rebuild_view();
                *ctx.message = Some(Message::Info(self.sort.label(lang).to_string()));
                vec![]
            }
            _ => {
                let _ = stage;
                vec![]
            }
        })
    }

    /// A decision on the application under the cursor: done at once (pass), or its
    /// form opened (a reason, a score, a visit), unless the stage refuses it anyway.
    fn decide(
        &mut self,
        ctx: &mut Ctx,
        keymap: &Keymap,
        action: Action,
        today: chrono::NaiveDate,
    ) -> Vec<Effect> {
        let lang = ctx.lang;
        let stage = ctx.stage;
        if refused_here(ctx, keymap, action) {
            return vec![];
        }
        let Some(row) = self.current().cloned() else {
            ctx.say("列表为空", "The list is empty");
            return vec![];
        };
        if row.status.is_final() {
            ctx.error(match lang {
                Lang::Zh => format!("{} 的申请已{}，本周期不能再办理", row.name, row.status.zh()),
                Lang::En => format!(
                    "{}'s application is {}; nothing more can be done this cycle",
                    row.name,
                    lang.status(row.status)
                ),
            });
            return vec![];
        }
        // A step the stage rules refuse whatever the reason (returning a declaration
        // already returned, say) is refused before a reason is typed for nothing.
        let step = |reason: String| match action {
            Action::Return => Some(Transition::Return { reason }),
            Action::Reject if stage == Stage::Test => Some(Transition::Fail { reason }),
            Action::Reject => Some(Transition::Reject { reason }),
            Action::Withdraw => Some(Transition::Withdraw { reason }),
            _ => None,
        };
        if let Some(t) = step("-".into()) {
            let at = stage;
            let pos = crate::domain::stage::Position {
                stage: at,
                status: row.status,
            };
            let facts = crate::domain::stage::Facts::default();
            if let Err(e) = crate::domain::stage::apply(pos, &t, &facts) {
                ctx.error(match lang {
                    Lang::Zh => e.zh(),
                    Lang::En => e.to_string(),
                });
                return vec![];
            }
        }
        let name = row.name.clone();
        let reason = |what| Form::reason(lang, row.id, &name, what);
        ctx.open(match action {
            Action::Advance => Form::Confirm(Confirm::Pass {
                app: row.id,
                name: name.clone(),
                to: stage.next().filter(|s| *s != Stage::Certified),
            }),
            Action::Return => reason(ReasonFor::Return),
            Action::Reject if stage == Stage::Test => reason(ReasonFor::Fail),
            Action::Reject => reason(ReasonFor::Reject),
            Action::Override => reason(ReasonFor::Override),
            Action::Withdraw => reason(ReasonFor::Withdraw),
            Action::Score => {
                let (max, pass_mark) = self
                    .detail
                    .as_ref()
                    .filter(|d| d.app.id == row.id)
                    .map(|d| (d.test_max.unwrap_or(100.0), d.pass_mark.unwrap_or(0.0)))
                    .unwrap_or((100.0, 0.0));
                let score = row.test_score.map(fmt_num).unwrap_or_default();
                Form::score(lang, row.id, &name, &score, max, pass_mark)
            }
            _ => Form::visit(lang, row.id, &name, today),
        });
        vec![]
    }

    /// Stage-5 keys (and reopening at stage 6): the score sheet, the chair's board and
    /// the results, the scoring session, the conflict form and reopening a result.
    fn stage5(
        &mut self,
        ctx: &mut Ctx,
        keymap: &Keymap,
        members: &[LoginItem],
        action: Action,
    ) -> Outcome {
        if refused_here(ctx, keymap, action) {
            return Outcome::Effects(vec![]);
        }
        let current = self.current().map(|r| (r.id, r.name.clone()));
        match action {
            Action::ScorePanel => match current {
                Some((app, _)) => return Outcome::Sheet(app),
                None => ctx.say("列表为空", "The list is empty"),
            },
            Action::Progress => return Outcome::Overview(Screen::Progress),
            Action::Results => return Outcome::Overview(Screen::Results),
            Action::Session => return Outcome::Scoring,
            Action::Conflict => {
                if let Some((app, name)) = current {
                    conflict_form(ctx, members, app, &name);
                }
            }
            Action::Reopen => match current {
                // A candidate whose notice has started cannot be reopened: say so
                // before a reason is typed.
                Some((app, _)) if self.noticed(app) => {
                    let e = crate::domain::stage::TransitionError::NoticeStarted;
                    ctx.error(match ctx.lang {
                        Lang::Zh => e.zh(),
                        Lang::En => e.to_string(),
                    });
                }
                Some((app, name)) => {
                    let lang = ctx.lang;
                    ctx.open(Form::reason(lang, app, &name, ReasonFor::Reopen));
                }
                None => {}
            },
            _ => {}
        }
        Outcome::Effects(vec![])
    }

    /// Whether an application is in the newest notice.
    fn noticed(&self, app: i64) -> bool {
        self.notice
            .as_ref()
            .is_some_and(|n| n.candidates.iter().any(|c| c.app_id == app))
    }

    /// Stage-6 keys: starting and closing the notice, recording an objection, the
    /// registers, and exporting the notice.
    fn stage6(&mut self, ctx: &mut Ctx, keymap: &Keymap, action: Action) -> Outcome {
        if refused_here(ctx, keymap, action) {
            return Outcome::Effects(vec![]);
        }
        let lang = ctx.lang;
        let today = ctx.today();
        match action {
            Action::StartNotice => {
                // Only finalised candidates not yet in a notice can be published.
                let waiting = self
                    .rows
                    .iter()
                    .filter(|r| r.status == Status::Active && !self.noticed(r.id))
                    .count();
                if waiting == 0 {
                    ctx.say(
                        "没有等待公示的候选人",
                        "No finalised candidate is waiting for a notice",
                    );
                    return Outcome::Effects(vec![]);
                }
                ctx.open(Form::fields(
                    lang.pick("开始结果公示", "Start the public notice")
                        .to_string(),
                    Purpose::StartNotice,
                    vec![Field::line(
                        lang.pick("公示开始日期", "First day of the notice"),
                        &today.to_string(),
                        true,
                    )],
                ));
            }
            Action::Objection => {
                let Some((app, name)) = self.current().map(|r| (r.id, r.name.clone())) else {
                    ctx.say("列表为空", "The list is empty");
                    return Outcome::Effects(vec![]);
                };
                let now = ctx.clock.local_now().format("%H:%M").to_string();
                let mut criteria = vec![lang.pick("不涉及", "none").to_string()];
                criteria.extend(
                    ctx.session
                        .criteria
                        .iter()
                        .map(|(_, zh, en)| lang.pick(zh, en).to_string()),
                );
                let keys = ctx.session.criteria.iter().map(|c| c.0.clone()).collect();
                ctx.open(Form::fields(
                    format!("{} · {name}", lang.pick("登记异议", "Record an objection")),
                    Purpose::Objection {
                        app,
                        criteria: keys,
                    },
                    vec![
                        Field::line(
                            lang.pick("收到时间", "Received"),
                            &format!("{today} {now}"),
                            true,
                        ),
                        Field::choice(
                            lang.pick("渠道（←→ 选择）", "Channel (← →)"),
                            Channel::ALL
                                .iter()
                                .map(|c| lang.pick(c.zh(), c.code()).to_string())
                                .collect(),
                            0,
                        ),
                        Field::line(
                            lang.pick("异议人姓名（匿名留空）", "Objector (empty if anonymous)"),
                            "",
                            false,
                        ),
                        Field::line(
                            lang.pick("联系方式（保存后只显示后四位）", "Contact (shown masked)"),
                            "",
                            false,
                        ),
                        Field::lines(
                            lang.pick("异议内容（Enter 换行）", "Content (Enter = new line)"),
                            true,
                        ),
                        Field::choice(
                            lang.pick("涉及评分项（←→ 选择）", "Criterion concerned (← →)"),
                            criteria,
                            0,
                        ),
                    ],
                ));
            }
            Action::Objections => return Outcome::Registers(Screen::Objections),
            Action::Certificates => return Outcome::Registers(Screen::Certificates),
            Action::CloseNotice => {
                let Some(n) = self.notice.as_ref() else {
                    ctx.say("尚未开始公示", "No notice has been started");
                    return Outcome::Effects(vec![]);
                };
                if n.closed {
                    ctx.say("本次公示已结束", "This notice is already closed");
                    return Outcome::Effects(vec![]);
                }
                if !n.ended {
                    let e = crate::domain::notice::NoticeError::NotEnded(n.end);
                    ctx.error(match lang {
                        Lang::Zh => e.zh(),
                        Lang::En => e.to_string(),
                    });
                    return Outcome::Effects(vec![]);
                }
                let confirm = Confirm::CloseNotice {
                    id: n.id,
                    candidates: n.candidates.len(),
                    end: n.end.to_string(),
                };
                ctx.open(Form::Confirm(confirm));
            }
            Action::Export => {
                ctx.open(Form::export(
                    lang,
                    ExportWhat::Notice,
                    vec![Format::Html, Format::Md, Format::Csv, Format::Xlsx],
                ));
            }
            _ => {}
        }
        Outcome::Effects(vec![])
    }
}
