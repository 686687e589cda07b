//! The personnel file screen: opened from any list (or from search), six sections
//! and the certification history as tabs, Esc back to exactly where one was. Its
//! state, its keys, its drawing and what it loads.

use super::super::effect::Effect;
use super::super::keymap::Action;
use super::super::theme::Theme;
use super::super::widgets::draw::{block, wrap_line};
use super::{Ctx, Screen};
use crate::domain::eligibility::fmt_num;
use crate::domain::stage::{Stage, Status};
use crate::i18n::Lang;
use crate::service::persons::{PersonFile, Revealed};
use crate::service::{Service, ServiceError};
use crate::text::pad;
use crate::tui::ctx::Message;
use ratatui::layout::{Constraint, Direction, Layout, Rect};
use ratatui::style::Modifier;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Tabs};
use ratatui::Frame;

/// The sections of a file, in tab order.
pub const TABS: usize = 7;

/// How many files Esc can go back through.
const FILES_KEPT: usize = 16;

/// A personnel file on screen, and where Esc goes back to.
#[derive(Debug, Clone, PartialEq)]
pub struct FileView {
    pub file: PersonFile,
    pub tab: usize,
    pub scroll: u16,
    pub revealed: Option<Revealed>,
    pub back: Screen,
    /// The file this one was opened from (by search), which Esc goes back to.
    pub previous: Option<Box<FileView>>,
}

impl FileView {
    /// Keeps at most `n` files in the chain behind `file` (itself included).
    pub fn forget_beyond(file: &mut FileView, n: usize) {
        let mut at = file;
        for _ in 1..n.max(1) {
            match at.previous.as_deref_mut() {
                Some(p) => at = p,
                None => return,
            }
        }
        at.previous = None;
    }
}

/// The file screen's state: the file shown, with the chain of files behind it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Files {
    pub shown: Option<FileView>,
}

/// Reads a person's file.
pub fn load(svc: &Service, person: i64) -> Result<PersonFile, ServiceError> {
    svc.person_file(person)
}

impl Files {
    /// What reloads the file shown.
    pub fn load_effect(&self) -> Option<Effect> {
        self.shown.as_ref().map(|f| Effect::OpenFile(f.file.id))
    }

    /// A file read: shown over the current screen; Esc goes back to the screen it
    /// was opened from.
    pub fn opened(&mut self, ctx: &mut Ctx, file: PersonFile) {
        let person = file.id;
        let back = match (&self.shown, *ctx.screen) {
            (Some(f), Screen::File) => f.back,
            (_, screen) => screen,
        };
        let same = self.shown.as_ref().is_some_and(|f| f.file.id == person);
        let on_file = *ctx.screen == Screen::File;
        let (tab, scroll, revealed, previous) = match self.shown.take() {
            // The same file again (after a change): where one was in it.
            Some(f) if same => (f.tab, f.scroll, f.revealed, f.previous),
            // Another file from a file: Esc comes back to this one, as it was (a
            // long chain forgets its oldest files).
            Some(mut f) if on_file => {
                FileView::forget_beyond(&mut f, FILES_KEPT);
                // What was revealed is masked again once the file is left.
                f.revealed = None;
                (0, 0, None, Some(Box::new(f)))
            }
            _ => (0, 0, None, None),
        };
        self.shown = Some(FileView {
            file,
            tab,
            scroll,
            revealed,
            back,
            previous,
        });
        *ctx.screen = Screen::File;
    }

    /// The ID number, phone and address revealed (and audited).
    pub fn revealed(&mut self, ctx: &mut Ctx, person: i64, revealed: Revealed) {
        if let Some(f) = self.shown.as_mut().filter(|f| f.file.id == person) {
            f.revealed = Some(revealed);
        }
        *ctx.message = Some(Message::Info(
            ctx.lang
                .pick(
                    "已显示完整证件号码（本次查看已记录）",
                    "ID number shown (this view is recorded)",
                )
                .to_string(),
        ));
    }

    /// Keys of the file screen.
    pub fn update(&mut self, ctx: &mut Ctx, action: Action) -> Vec<Effect> {
        let Some(f) = self.shown.as_mut() else {
            *ctx.screen = Screen::List;
            return vec![];
        };
        match action {
            Action::NextTab => {
                f.tab = (f.tab + 1) % TABS;
                f.scroll = 0;
            }
            Action::PrevTab => {
                f.tab = (f.tab + TABS - 1) % TABS;
                f.scroll = 0;
            }
            Action::Down => f.scroll = f.scroll.saturating_add(1).min(500),
            Action::Up => f.scroll = f.scroll.saturating_sub(1),
            // A second r hides again (nothing more is read, nor recorded).
            Action::Reveal if f.revealed.is_some() => {
                f.revealed = None;
                *ctx.message = Some(Message::Info(
                    ctx.lang
                        .pick(
                            "已重新隐藏证件号码、电话和住址",
                            "The ID number, phone and address are hidden again",
                        )
                        .to_string(),
                ));
            }
            Action::Reveal => return vec![Effect::Reveal(f.file.id)],
            Action::Back => match f.previous.take() {
                // Back to the file this one was opened from, read again.
                Some(previous) => {
                    let id = previous.file.id;
                    self.shown = Some(*previous);
                    return vec![Effect::OpenFile(id)];
                }
                None => {
                    *ctx.screen = f.back;
                    self.shown = None;
                }
            },
            _ => {}
        }
        vec![]
    }

    /// Draws the file shown.
    pub fn render(&self, lang: Lang, theme: &Theme, frame: &mut Frame, area: Rect) {
        if let Some(f) = &self.shown {
            draw(f, lang, theme, frame, area);
        }
    }
}

/// The tab titles, in order.
pub fn tab_titles(lang: Lang) -> [&'static str; TABS] {
    [
        lang.pick("基本情况", "Basics"),
        lang.pick("工作经历", "Work"),
        lang.pick("教育培训", "Education"),
        lang.pick("考核评议", "Assessments"),
        lang.pick("薪酬待遇", "Pay"),
        lang.pick("奖励处罚", "Rewards"),
        lang.pick("认证记录", "Certification"),
    ]
}

fn or_dash(s: &str) -> &str {
    if s.is_empty() {
        "—"
    } else {
        s
    }
}

/// A label and a value, the label muted.
fn field(label: &str, value: String, theme: &Theme) -> Line<'static> {
    Line::from(vec![
        Span::styled(pad(label, 12), theme.muted()),
        Span::styled(value, theme.base()),
    ])
}

fn empty(lang: Lang, theme: &Theme) -> Line<'static> {
    Line::styled(lang.pick("（无记录）", "(nothing recorded)"), theme.muted())
}

/// The lines of one section.
fn section(f: &FileView, lang: Lang, theme: &Theme) -> Vec<Line<'static>> {
    let p: &PersonFile = &f.file;
    let mut out = Vec::new();
    match f.tab {
        0 => {
            let (id, phone, address) = match &f.revealed {
                Some(r) => (r.id_number.clone(), r.phone.clone(), r.address.clone()),
                None => (
                    p.id_masked.clone(),
                    p.phone_masked.clone(),
                    lang.pick("（已隐藏）", "(hidden)").to_string(),
                ),
            };
            let rows = [
                (lang.pick("姓名", "Name"), p.name.clone()),
                (
                    lang.pick("性别", "Sex"),
                    p.sex
                        .map(|s| lang.pick(s.zh(), s.code()).to_string())
                        .unwrap_or_default(),
                ),
                (lang.pick("出生日期", "Born"), p.birth_date.clone()),
                (
                    lang.pick("民族", "Ethnicity"),
                    or_dash(&p.ethnicity).to_string(),
                ),
                (
                    lang.pick("学历", "Education"),
                    or_dash(&p.education_level).to_string(),
                ),
                (
                    lang.pick("入党时间", "Joined the Party"),
                    or_dash(&p.party_join_date).to_string(),
                ),
                (lang.pick("职称", "Title"), or_dash(&p.title).to_string()),
                (lang.pick("单位", "Organisation"), p.organisation.clone()),
                (
                    lang.pick("所在地", "County"),
                    format!("{} {}", p.county, p.township).trim().to_string(),
                ),
                (
                    lang.pick("人员类别", "Category"),
                    lang.category(p.category).to_string(),
                ),
                (lang.pick("职务", "Position"), p.position.clone()),
                (lang.pick("任职时间", "In post since"), p.post_start.clone()),
                (
                    lang.pick("在岗", "In post"),
                    lang.pick(
                        if p.in_post { "是" } else { "否" },
                        if p.in_post { "yes" } else { "no" },
                    )
                    .to_string(),
                ),
                (
                    lang.pick("现等级", "Grade"),
                    lang.grade(p.grade).to_string(),
                ),
                (
                    lang.pick("取得时间", "Grade since"),
                    or_dash(&p.grade_since).to_string(),
                ),
                (lang.pick("身份证号", "ID number"), id),
                (lang.pick("联系电话", "Phone"), or_dash(&phone).to_string()),
                (lang.pick("住址", "Address"), or_dash(&address).to_string()),
            ];
            out.extend(rows.into_iter().map(|(l, v)| field(l, v, theme)));
        }
        1 => {
            for (start, end, org, pos) in &p.work {
                out.push(Line::from(vec![
                    Span::styled(
                        format!(
                            "{start} – {} ",
                            if end.is_empty() {
                                lang.pick("至今", "now")
                            } else {
                                end
                            }
                        ),
                        theme.muted(),
                    ),
                    Span::styled(format!("{org} · {pos}"), theme.base()),
                ]));
            }
        }
        2 => {
            out.push(Line::styled(
                lang.pick("学历教育", "Education"),
                theme.title(),
            ));
            for (start, end, school, major, degree) in &p.education {
                out.push(Line::from(vec![
                    Span::styled(format!("{start} – {} ", or_dash(end)), theme.muted()),
                    Span::styled(
                        [school, major, degree]
                            .iter()
                            .filter(|x| !x.is_empty())
                            .map(|x| x.as_str())
                            .collect::<Vec<_>>()
                            .join(" "),
                        theme.base(),
                    ),
                ]));
            }
            out.push(Line::raw(""));
            let days: f64 = p.training.iter().map(|t| t.1).sum();
            out.push(Line::styled(
                match lang {
                    Lang::Zh => format!("培训（共 {} 天）", fmt_num(days)),
                    Lang::En => format!("Training ({} days in all)", fmt_num(days)),
                },
                theme.title(),
            ));
            for (date, d, title, organiser) in &p.training {
                out.push(Line::from(vec![
                    Span::styled(format!("{date} "), theme.muted()),
                    Span::styled(
                        format!(
                            "{} {} {title} {organiser}",
                            fmt_num(*d),
                            lang.pick("天", "d")
                        )
                        .trim_end()
                        .to_string(),
                        theme.base(),
                    ),
                ]));
            }
        }
        3 => {
            for (year, result, remark) in &p.assessments {
                out.push(Line::from(vec![
                    Span::styled(format!("{year} "), theme.muted()),
                    Span::styled(
                        result
                            .map(|a| lang.pick(a.zh(), a.code()).to_string())
                            .unwrap_or_default(),
                        if result.is_some_and(|a| a.is_competent()) {
                            theme.ok()
                        } else {
                            theme.warn()
                        },
                    ),
                    Span::styled(format!(" {remark}"), theme.base()),
                ]));
            }
        }
        4 => {
            for (year, item, amount) in &p.pay {
                out.push(Line::from(vec![
                    Span::styled(format!("{year} "), theme.muted()),
                    Span::styled(
                        format!(
                            "{item} {} {}",
                            crate::domain::number::fmt_money(*amount),
                            lang.pick("元", "yuan")
                        ),
                        theme.base(),
                    ),
                ]));
            }
        }
        5 => {
            for (date, reward, title, issuer) in &p.rewards {
                out.push(Line::from(vec![
                    Span::styled(format!("{date} "), theme.muted()),
                    Span::styled(
                        lang.pick(
                            if *reward { "奖励 " } else { "处罚 " },
                            if *reward { "reward " } else { "penalty " },
                        )
                        .to_string(),
                        if *reward { theme.ok() } else { theme.error() },
                    ),
                    Span::styled(
                        format!("{title} {issuer}").trim_end().to_string(),
                        theme.base(),
                    ),
                ]));
            }
        }
        _ => {
            out.push(Line::styled(
                lang.pick("申报记录", "Applications"),
                theme.title(),
            ));
            for a in &p.applications {
                let stage = Stage::parse(&a.stage).map(|s| lang.stage(s)).unwrap_or("");
                let status = Status::parse(&a.status)
                    .map(|s| lang.status(s))
                    .unwrap_or("");
                let result = a
                    .result
                    .map(|r| format!(" · {} {}", lang.pick("评定", "result"), fmt_num(r)))
                    .unwrap_or_default();
                out.push(Line::styled(
                    format!(
                        "{} · {}{} · {} {}{result}",
                        a.cycle,
                        lang.pick("申报", "for "),
                        lang.grade(a.target),
                        stage,
                        status
                    ),
                    theme.base().add_modifier(Modifier::BOLD),
                ));
                for (date, action, reason) in &a.steps {
                    let reason = if reason.is_empty() {
                        String::new()
                    } else {
                        format!("：{reason}")
                    };
                    out.push(Line::styled(
                        format!("  {date} {}{reason}", lang.action(action)),
                        theme.muted(),
                    ));
                }
            }
            if p.applications.is_empty() {
                out.push(empty(lang, theme));
            }
            out.push(Line::raw(""));
            out.push(Line::styled(
                lang.pick("等级证书", "Certificates"),
                theme.title(),
            ));
            for (number, grade, issued, status) in &p.certificates {
                let status = crate::domain::certificate::CertStatus::parse(status)
                    .map_or(status.as_str(), |c| lang.pick(c.zh(), c.code()));
                out.push(Line::styled(
                    format!("{number} · {} · {issued} · {status}", lang.grade(*grade)),
                    theme.base(),
                ));
            }
            if p.certificates.is_empty() {
                out.push(empty(lang, theme));
            }
            out.push(Line::raw(""));
            out.push(Line::styled(
                lang.pick("年检", "Annual inspections"),
                theme.title(),
            ));
            for (year, assessment, passed, outcome) in &p.inspections {
                let assessment = crate::domain::Assessment::parse(assessment)
                    .map_or(assessment.as_str(), |a| lang.pick(a.zh(), a.code()));
                let outcome = match (outcome.as_str(), lang) {
                    ("kept", Lang::Zh) => "保留等级",
                    ("lowered", Lang::Zh) => "降级",
                    ("revoked", Lang::Zh) => "撤销等级",
                    ("passed", Lang::Zh) => "合格",
                    (o, _) => o,
                };
                out.push(Line::styled(
                    format!(
                        "{year} {assessment} · {} · {outcome}",
                        lang.pick(
                            if *passed { "通过" } else { "未通过" },
                            if *passed { "passed" } else { "failed" }
                        )
                    ),
                    theme.base(),
                ));
            }
            if p.inspections.is_empty() {
                out.push(empty(lang, theme));
            }
            out.push(Line::raw(""));
            out.push(Line::styled(
                lang.pick("职务变动报告", "Job changes"),
                theme.title(),
            ));
            for (date, filed, org, pos, left) in &p.job_changes {
                out.push(Line::styled(
                    format!(
                        "{date} {org} {pos} · {} {filed}{}",
                        lang.pick("报备", "filed"),
                        if *left {
                            lang.pick(" · 已离开党务岗位", " · left party work")
                        } else {
                            ""
                        }
                    ),
                    theme.base(),
                ));
            }
            if p.job_changes.is_empty() {
                out.push(empty(lang, theme));
            }
            return out;
        }
    }
    if out.is_empty() || (f.tab == 2 && p.education.is_empty() && p.training.is_empty()) {
        out.push(empty(lang, theme));
    }
    out
}

/// The file screen.
fn draw(f: &FileView, lang: Lang, theme: &Theme, frame: &mut Frame, area: Rect) {
    let p = &f.file;
    let parts = Layout::default()
        .direction(Direction::Vertical)
        .constraints([Constraint::Length(5), Constraint::Min(3)])
        .split(area);
    let title = lang.pick("人员档案", "Personnel file");
    let outer = block(title, theme, false);
    let inner = outer.inner(parts[0]);
    frame.render_widget(outer, parts[0]);
    let width = usize::from(inner.width);
    let sex = p.sex.map(|s| lang.pick(s.zh(), s.code())).unwrap_or("");
    let age = match lang {
        Lang::Zh => format!("{} 岁", p.age),
        Lang::En => format!("age {}", p.age),
    };
    let cert = p
        .certificates
        .first()
        .map(|c| format!(" · {} {}", lang.pick("证书", "certificate"), c.0))
        .unwrap_or_default();
    let id = f
        .revealed
        .as_ref()
        .map_or(p.id_masked.clone(), |r| r.id_number.clone());
    let mut lines = vec![Line::from(vec![
        Span::styled(p.name.clone(), theme.title().add_modifier(Modifier::BOLD)),
        Span::styled(
            format!("  {sex} · {age} · {}", lang.category(p.category)),
            theme.base(),
        ),
    ])];
    lines.extend(wrap_line(
        Line::styled(
            format!("{} · {} · {}", p.organisation, p.county, p.position),
            theme.base(),
        ),
        width,
        2,
    ));
    lines.push(Line::styled(
        format!(
            "{} {}{cert} · {} {id}",
            lang.pick("现等级", "grade"),
            lang.grade(p.grade),
            lang.pick("身份证", "ID"),
        ),
        theme.muted(),
    ));
    frame.render_widget(Paragraph::new(lines), inner);

    let outer = block(tab_titles(lang)[f.tab % TABS], theme, true);
    let inner = outer.inner(parts[1]);
    frame.render_widget(outer, parts[1]);
    let tabs = Tabs::new(tab_titles(lang).to_vec())
        .select(f.tab)
        .style(theme.muted())
        .highlight_style(theme.selected().add_modifier(Modifier::BOLD))
        .divider("|");
    frame.render_widget(tabs, Rect { height: 1, ..inner });
    let body = Rect {
        y: inner.y + 2,
        height: inner.height.saturating_sub(2),
        ..inner
    };
    let text: Vec<Line> = section(f, lang, theme)
        .into_iter()
        .flat_map(|l| wrap_line(l, usize::from(body.width), 2))
        .collect();
    let max = (text.len() as u16).saturating_sub(body.height);
    frame.render_widget(Paragraph::new(text).scroll((f.scroll.min(max), 0)), body);
}
