//! Rendering of a personnel file: a header with who the person is, then the six
//! sections of the file and the certification history as tabs.

use super::app::{FileView, State};
use super::i18n::Lang;
use super::render::{block, wrap_line};
use super::theme::Theme;
use crate::domain::eligibility::fmt_num;
use crate::domain::stage::{Stage, Status};
use crate::service::persons::PersonFile;
use crate::text::pad;
use ratatui::layout::{Constraint, Direction, Layout, Rect};
use ratatui::style::Modifier;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Tabs};
use ratatui::Frame;

/// The tab titles, in order.
pub fn tab_titles(lang: Lang) -> [&'static str; super::file::TABS] {
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
                        format!("{item} {} {}", fmt_num(*amount), lang.pick("元", "yuan")),
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
pub fn file(state: &State, f: &FileView, theme: &Theme, frame: &mut Frame, area: Rect) {
    let lang = state.lang;
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

    let outer = block(tab_titles(lang)[f.tab % super::file::TABS], theme, true);
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
