//! The notice registers of stage 6: the objection register, the certificate register
//! and the allowance roll. Its state, its keys, its drawing and what it loads.

use super::super::effect::ExportWhat;
use super::super::effect::{Effect, RegisterData};
use super::super::keymap::Action;
use super::super::theme::Theme;
use super::super::widgets::cursor::Cursor;
use super::super::widgets::draw::{block, table_or, wrap_line};
use super::super::widgets::fields::{lower_grades, Field, Purpose};
use super::super::widgets::form::{Form, ReasonFor};
use super::{Ctx, Screen};
use crate::domain::notice::{Decision, ObjectionState, Step};
use crate::domain::number::fmt_money;
use crate::domain::{Assessment, Grade};
use crate::i18n::Lang;
use crate::service::certificates::{AllowanceRoll, CertificateFilter, CertificateRow};
use crate::service::files::Format;
use crate::service::notice::{ObjectionFilter, ObjectionRow};
use crate::service::{Service, ServiceError};
use crate::text::fit;
use crate::tui::ctx::Message;
use ratatui::layout::{Constraint, Direction, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Row, Table};
use ratatui::Frame;

/// The registers' state.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Registers {
    pub objections: Vec<ObjectionRow>,
    /// The objections shown: those in one state, or all.
    pub filter: Option<ObjectionState>,
    /// An objector's contact revealed (objection id, contact) until the register is
    /// left.
    pub revealed_contact: Option<(i64, String)>,
    pub certificates: Vec<CertificateRow>,
    /// The allowance roll of `year`, loaded while it is shown.
    pub allowance: Option<AllowanceRoll>,
    pub year: i32,
    /// The row under the cursor.
    pub cursor: Cursor,
}

/// Loads the objection register, the certificate register and (when `allowance`
/// names a year) that year's allowance roll.
pub fn load(svc: &Service, allowance: Option<i32>) -> Result<RegisterData, ServiceError> {
    Ok(RegisterData {
        objections: svc.objections(&ObjectionFilter::default())?,
        certificates: svc.certificates(&CertificateFilter::default())?,
        allowance: allowance.map(|y| svc.allowance_roll(y)).transpose()?,
    })
}

impl Registers {
    /// A register opened on the allowance roll of `year` when it is shown.
    pub fn new(year: i32) -> Registers {
        Registers {
            year,
            ..Registers::default()
        }
    }

    /// What to load for `screen`.
    pub fn load_effect(&self, screen: Screen) -> Effect {
        Effect::Load(screen)
    }

    /// Opens `screen` (one of the registers) from its top.
    pub fn open(&mut self, ctx: &mut Ctx, screen: Screen) -> Vec<Effect> {
        *ctx.screen = screen;
        self.cursor.reset();
        vec![self.load_effect(screen)]
    }

    /// The registers as loaded, on `screen`.
    pub fn loaded(&mut self, data: RegisterData, screen: Screen) {
        self.objections = data.objections;
        self.certificates = data.certificates;
        self.allowance = data.allowance;
        self.cursor.clamp(self.len(screen));
    }

    /// An objector's contact, revealed (and audited) at the member's request.
    pub fn contact_revealed(&mut self, ctx: &mut Ctx, objection: i64, contact: String) {
        self.revealed_contact = Some((objection, contact));
        *ctx.message = Some(Message::Info(
            ctx.lang
                .pick(
                    "已显示异议人联系方式（本次查看已记录）",
                    "The objector's contact is shown (this view is recorded)",
                )
                .to_string(),
        ));
    }

    /// The objections the register shows under its filter.
    pub fn visible_objections(&self) -> Vec<&ObjectionRow> {
        self.objections
            .iter()
            .filter(|o| self.filter.is_none_or(|s| o.state == s))
            .collect()
    }

    /// Rows of the register on `screen`.
    pub fn len(&self, screen: Screen) -> usize {
        match screen {
            Screen::Objections => self.visible_objections().len(),
            Screen::Certificates => self.certificates.len(),
            Screen::Allowance => self.allowance.as_ref().map_or(0, |r| r.rows.len()),
            _ => 0,
        }
    }

    /// Draws the register on `screen`.
    pub fn render(&self, screen: Screen, lang: Lang, theme: &Theme, frame: &mut Frame, area: Rect) {
        match screen {
            Screen::Objections => self.objections(lang, theme, frame, area),
            Screen::Allowance => self.allowance(lang, theme, frame, area),
            _ => self.certificates(lang, theme, frame, area),
        }
    }
    /// Keys of the objection register, the certificate register and the allowance
    /// roll. `held` gives the grade a candidate holds already (by application).
    pub fn update(
        &mut self,
        ctx: &mut Ctx,
        held: impl Fn(i64) -> Option<Grade>,
        action: Action,
    ) -> Vec<Effect> {
        let lang = ctx.lang;
        let today = ctx.today();
        let screen = *ctx.screen;
        let moves = matches!(
            action,
            Action::Down | Action::Up | Action::Top | Action::Bottom
        );
        if moves && self.cursor.moved(action, self.len(screen), 1) {
            return vec![];
        }
        match action {
            Action::Back => {
                *ctx.screen = Screen::List;
                self.revealed_contact = None;
                return vec![Effect::Reload];
            }
            Action::Reveal if screen == Screen::Objections => {
                let Some(o) = self.selected_objection() else {
                    ctx.say("没有选中的异议", "No objection selected");
                    return vec![];
                };
                if o.contact_masked.is_empty() {
                    ctx.say("该异议未留联系方式", "This objection left no contact");
                    return vec![];
                }
                return vec![Effect::RevealContact(o.id)];
            }
            Action::NextPane => {
                self.revealed_contact = None;
                let next = if screen == Screen::Objections {
                    Screen::Certificates
                } else {
                    Screen::Objections
                };
                return self.open(ctx, next);
            }
            Action::Filter => {
                const ORDER: [Option<ObjectionState>; 6] = [
                    None,
                    Some(ObjectionState::Received),
                    Some(ObjectionState::Verifying),
                    Some(ObjectionState::Upheld),
                    Some(ObjectionState::Dismissed),
                    Some(ObjectionState::Withdrawn),
                ];
                let i = ORDER.iter().position(|s| *s == self.filter).unwrap_or(0);
                self.filter = ORDER[(i + 1) % ORDER.len()];
                self.cursor.reset();
            }
            Action::Verify
            | Action::Uphold
            | Action::Dismiss
            | Action::WithdrawObjection
            | Action::Decide => {
                let Some(o) = self.selected_objection() else {
                    ctx.say("没有选中的异议", "No objection selected");
                    return vec![];
                };
                let title = |zh: &str, en: &str| format!("{} · {}", lang.pick(zh, en), o.candidate);
                // A step the objection's state refuses whatever is typed (upholding one
                // not yet being verified) is refused before a form opens for nothing.
                let probe = match action {
                    Action::Uphold => Some(Step::Uphold {
                        findings: "-".into(),
                        verified_by: "-".into(),
                    }),
                    Action::Dismiss => Some(Step::Dismiss {
                        findings: "-".into(),
                        verified_by: "-".into(),
                    }),
                    Action::WithdrawObjection => Some(Step::Withdraw { note: "-".into() }),
                    _ => None,
                };
                if let Some(Err(e)) = probe.map(|p| crate::domain::notice::step(o.state, &p)) {
                    ctx.error(match lang {
                        Lang::Zh => format!("{}：{}", o.candidate, e.zh()),
                        Lang::En => format!("{}: {}", o.candidate, e.en()),
                    });
                    return vec![];
                }
                match action {
                    Action::Verify => {
                        return vec![Effect::ObjectionStep {
                            id: o.id,
                            step: Step::Verify,
                        }]
                    }
                    Action::Uphold | Action::Dismiss => {
                        let uphold = action == Action::Uphold;
                        let me = ctx.session.member.to_string();
                        ctx.open(Form::fields(
                            if uphold {
                                title("认定异议属实", "Uphold the objection")
                            } else {
                                title("认定异议不属实", "Dismiss the objection")
                            },
                            Purpose::Verdict {
                                objection: o.id,
                                uphold,
                            },
                            vec![
                                Field::lines(
                                    lang.pick(
                                        "核查情况（必填，Enter 换行）",
                                        "Findings (required)",
                                    ),
                                    true,
                                ),
                                Field::line(lang.pick("核查人", "Verified by"), &me, true),
                            ],
                        ));
                    }
                    Action::WithdrawObjection => {
                        ctx.open(Form::reason(
                            lang,
                            o.id,
                            &o.candidate,
                            ReasonFor::WithdrawObjection,
                        ));
                    }
                    _ => {
                        if o.state != ObjectionState::Upheld {
                            ctx.say(
                                "只有属实的异议需要作出决定",
                                "Only an upheld objection needs a decision",
                            );
                            return vec![];
                        }
                        // Lower grades the candidate does not hold already.
                        let held = held(o.app_id);
                        let mut options = vec![Decision::NotCertify];
                        options.extend(
                            lower_grades(o.proposed)
                                .into_iter()
                                .filter(|g| held.is_none_or(|h| *g > h))
                                .map(Decision::Lower),
                        );
                        let names = options
                            .iter()
                            .map(|d| match (d, lang) {
                                (Decision::NotCertify, _) => {
                                    lang.pick("不予认证", "not certified").to_string()
                                }
                                (Decision::Lower(g), Lang::Zh) => format!("降为{}", g.zh()),
                                (Decision::Lower(g), Lang::En) => format!("lower to {}", g.code()),
                            })
                            .collect();
                        ctx.open(Form::fields(
                            title("对属实异议作出决定", "Decide on the upheld objection"),
                            Purpose::Decide {
                                objection: o.id,
                                options,
                            },
                            vec![
                                Field::choice(
                                    lang.pick("决定（←→ 选择）", "Decision (← →)"),
                                    names,
                                    0,
                                ),
                                Field::line(
                                    lang.pick("理由（必填）", "Reason (required)"),
                                    "",
                                    true,
                                ),
                            ],
                        ));
                    }
                }
            }
            Action::Inspection | Action::JobChange => {
                let Some(c) = self.certificates.get(self.cursor.at).cloned() else {
                    ctx.say("没有选中的证书", "No certificate selected");
                    return vec![];
                };
                if screen != Screen::Certificates {
                    return vec![];
                }
                ctx.open(if action == Action::Inspection {
                    let last_year = chrono::Datelike::year(&today) - 1;
                    Form::fields(
                        format!(
                            "{} · {} {}",
                            lang.pick("登记年检", "Annual inspection"),
                            c.holder,
                            c.number
                        ),
                        Purpose::Inspection { certificate: c.id },
                        vec![
                            Field::line(lang.pick("年度", "Year"), &last_year.to_string(), true),
                            Field::choice(
                                lang.pick("年度考核结果（←→ 选择）", "Assessment (← →)"),
                                Assessment::ALL
                                    .iter()
                                    .map(|a| lang.pick(a.zh(), a.code()).to_string())
                                    .collect(),
                                1,
                            ),
                            Field::line(
                                lang.pick("说明（撤销等级时必填）", "Reason (required to revoke)"),
                                "",
                                false,
                            ),
                        ],
                    )
                } else {
                    Form::fields(
                        format!(
                            "{} · {}",
                            lang.pick("职务变动报告", "Job-change report"),
                            c.holder
                        ),
                        Purpose::JobChange {
                            person: c.person_id,
                        },
                        vec![
                            Field::line(
                                lang.pick("变动日期", "Changed on"),
                                &today.to_string(),
                                true,
                            ),
                            Field::line(
                                lang.pick("报县级组织部门日期", "Filed with the county on"),
                                &today.to_string(),
                                true,
                            ),
                            Field::line(
                                lang.pick("新单位（不变留空）", "New organisation (empty: same)"),
                                "",
                                false,
                            ),
                            Field::line(
                                lang.pick("新职务（不变留空）", "New post (empty: same)"),
                                "",
                                false,
                            ),
                            Field::choice(
                                lang.pick(
                                    "是否离开党务岗位（←→）",
                                    "Left party-affairs work (← →)",
                                ),
                                vec![
                                    lang.pick("否", "no").to_string(),
                                    lang.pick("是", "yes").to_string(),
                                ],
                                0,
                            ),
                        ],
                    )
                });
            }
            Action::Allowance => {
                let next = if screen == Screen::Allowance {
                    Screen::Certificates
                } else {
                    Screen::Allowance
                };
                return self.open(ctx, next);
            }
            Action::NextTab | Action::PrevTab if screen == Screen::Allowance => {
                self.year += if action == Action::NextTab { 1 } else { -1 };
                self.cursor.reset();
                return vec![self.load_effect(screen)];
            }
            Action::Export => {
                let what = match screen {
                    Screen::Objections => ExportWhat::Objections,
                    Screen::Allowance => ExportWhat::Allowance(self.year),
                    _ => ExportWhat::Certificates,
                };
                ctx.open(Form::export(lang, what, vec![Format::Xlsx, Format::Csv]));
            }
            _ => {}
        }
        vec![]
    }

    /// The objection under the cursor.
    fn selected_objection(&self) -> Option<ObjectionRow> {
        self.visible_objections()
            .get(self.cursor.at)
            .map(|o| (*o).clone())
    }

    /// The objection register and the selected objection.
    pub fn objections(&self, lang: Lang, theme: &Theme, frame: &mut Frame, area: Rect) {
        let parts = split(area);
        let list = self.visible_objections();
        let filter = self
            .filter
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
        let offset = self.cursor.at.saturating_sub(height.saturating_sub(1));
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
                        if i == self.cursor.at {
                            theme.selected()
                        } else {
                            state_style(o.state, theme)
                        },
                    )),
                    ratatui::widgets::Cell::from(late),
                ])
                .style(selected_style(i, self.cursor.at, theme))
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
        let Some(o) = list.get(self.cursor.at) else {
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
        let contact = match &self.revealed_contact {
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
    pub fn certificates(&self, lang: Lang, theme: &Theme, frame: &mut Frame, area: Rect) {
        let parts = split(area);
        let title = format!(
            "{} · {} {}",
            lang.pick("证书登记簿", "Certificate register"),
            self.certificates.len(),
            lang.pick("本", "certificate(s)")
        );
        let outer = block(&title, theme, true);
        let inner = outer.inner(parts[0]);
        frame.render_widget(outer, parts[0]);
        let height = usize::from(inner.height.saturating_sub(1));
        let offset = self.cursor.at.saturating_sub(height.saturating_sub(1));
        let rows: Vec<Row> = self
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
                .style(if i == self.cursor.at {
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
            self.certificates.is_empty(),
            lang.pick("尚无证书", "No certificates yet"),
        );
        let outer = block(lang.pick("证书详情", "The certificate"), theme, false);
        let inner = outer.inner(parts[1]);
        frame.render_widget(outer, parts[1]);
        let Some(c) = self.certificates.get(self.cursor.at) else {
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
    pub fn allowance(&self, lang: Lang, theme: &Theme, frame: &mut Frame, area: Rect) {
        let parts = split(area);
        let Some(r) = &self.allowance else {
            return;
        };
        let title = match lang {
            Lang::Zh => format!(
                "{} {} 年度红领津贴 · {} 人 · {} 元",
                r.city,
                r.year,
                r.total.holders,
                fmt_money(r.total.amount as f64)
            ),
            Lang::En => format!(
                "Allowance {} · {} holder(s) · {} yuan",
                r.year,
                r.total.holders,
                fmt_money(r.total.amount as f64)
            ),
        };
        let outer = block(&title, theme, true);
        let inner = outer.inner(parts[0]);
        frame.render_widget(outer, parts[0]);
        let height = usize::from(inner.height.saturating_sub(1));
        let offset = self.cursor.at.saturating_sub(height.saturating_sub(1));
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
                    fmt_money(f64::from(x.amount)),
                    x.certificate.clone(),
                ])
                .style(selected_style(i, self.cursor.at, theme))
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
                fmt_money(t.amount as f64),
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
                fmt_money(t.amount as f64),
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
