//! The documents of the public notice and after: the published notice (公示名单) as
//! CSV, .xlsx, Markdown or a self-contained web page; the certificate register, the
//! objection register and the 红领津贴 roll as CSV or .xlsx. The service decides what
//! there is; this module only lays it out.
//!
//! The published notice carries what may be published — name, sex, organisation,
//! position, the proposed grade, the period and where to send objections — and never an
//! ID number, phone number, address or score.

use super::files::{self, Format};
use super::forms::{self, Form, Line, Value, CHECK_FOOTER};
use crate::domain::grade::Grade;
use crate::i18n::Lang;
use crate::service::certificates::{AllowanceRoll, CertificateFilter, CertificateRow, Subtotal};
use crate::service::notice::{NoticeView, ObjectionFilter, ObjectionRow};
use crate::service::Service;
use crate::text::{escape_controls, escape_controls_keep_lines};
use anyhow::{bail, Result};
use chrono::{Datelike, NaiveDate};
use std::path::Path;

/// The documents that can be exported.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RegisterKind {
    Notice,
    Certificates,
    Objections,
    Allowance,
}

impl RegisterKind {
    pub const ALL: [RegisterKind; 4] = [
        RegisterKind::Notice,
        RegisterKind::Certificates,
        RegisterKind::Objections,
        RegisterKind::Allowance,
    ];

    pub fn code(self) -> &'static str {
        match self {
            RegisterKind::Notice => "notice",
            RegisterKind::Certificates => "certificates",
            RegisterKind::Objections => "objections",
            RegisterKind::Allowance => "allowance",
        }
    }

    pub fn parse(text: &str) -> Option<RegisterKind> {
        RegisterKind::ALL
            .into_iter()
            .find(|k| k.code() == text.trim())
    }
}

/// A date as written in Chinese documents: 2026年11月23日.
pub fn zh_date(d: NaiveDate) -> String {
    format!("{}年{}月{}日", d.year(), d.month(), d.day())
}

fn text(s: impl Into<String>) -> Value {
    Value::text(s)
}

fn seq(i: usize) -> Value {
    Value::Num((i + 1) as f64)
}

fn headings(names: &[&str]) -> Line {
    Line::Header(names.iter().map(|s| s.to_string()).collect())
}

/// The list as published (公示名单): the period, where to send objections and one row
/// per candidate of the notice, highest grade first.
pub fn notice_form(n: &NoticeView) -> Form {
    let mut lines = vec![
        Line::Title(format!("{}{}年度党务工作者资格认证结果公示", n.city, n.year)),
        Line::Note(format!(
            "经个人申报、组织审核、培训测试、实地走访、综合评定，拟认定以下 {} 名同志相应等级的党务工作者资格，现予公示。",
            n.candidates.len()
        )),
        headings(&["序号", "姓名", "性别", "单位", "职务", "拟认定等级"]),
    ];
    for (i, c) in n.candidates.iter().enumerate() {
        lines.push(Line::Row(vec![
            seq(i),
            text(&c.name),
            text(c.sex.zh()),
            text(&c.organisation),
            text(&c.position),
            text(c.proposed.zh()),
        ]));
    }
    lines.push(Line::Note(format!(
        "公示期：{}至{}（{}个工作日）。",
        zh_date(n.start),
        zh_date(n.end),
        n.working_days
    )));
    let mut objections =
        "公示期间，对公示对象有异议的，请以书面形式实名反映，并提供必要的证明材料".to_string();
    if n.objection_contact.trim().is_empty() {
        objections.push('。');
    } else {
        objections.push_str(&format!("。受理单位：{}", n.objection_contact.trim()));
    }
    lines.push(Line::Note(objections));
    lines.push(Line::Sign(format!(
        "{}党务工作者资格认证评审委员会",
        n.city
    )));
    lines.push(Line::Sign(zh_date(n.start)));
    Form {
        name: "公示名单".into(),
        lines,
    }
}

/// The certificate register (等级证书登记表).
pub fn certificates_form(rows: &[CertificateRow], today: NaiveDate) -> Form {
    let mut lines = vec![
        Line::Title("党务工作者等级证书登记表".into()),
        Line::Note(format!("截至 {}，共 {} 本", zh_date(today), rows.len())),
        headings(&[
            "序号",
            "证书编号",
            "姓名",
            "性别",
            "单位",
            "区县",
            "人员类别",
            "等级",
            "发证日期",
            "状态",
            "状态变更日期",
            "变更原因",
            "最近年检",
            "待复核",
        ]),
    ];
    for (i, c) in rows.iter().enumerate() {
        lines.push(Line::Row(vec![
            seq(i),
            text(&c.number),
            text(&c.holder),
            text(c.sex.zh()),
            text(&c.organisation),
            text(&c.county),
            text(c.category.zh()),
            text(c.grade.zh()),
            text(&c.issued_on),
            text(c.status.zh()),
            text(c.status_on.clone().unwrap_or_default()),
            text(&c.status_reason),
            text(
                c.last_inspection
                    .as_ref()
                    .map(|(y, o)| format!("{y} {}", outcome_zh(o)))
                    .unwrap_or_default(),
            ),
            text(if c.flagged {
                "已离开党务岗位，待复核"
            } else {
                ""
            }),
        ]));
    }
    lines.push(Line::Note(CHECK_FOOTER.into()));
    Form {
        name: "证书登记表".into(),
        lines,
    }
}

fn outcome_zh(code: &str) -> &str {
    match code {
        "passed" => "合格",
        "kept" => "不合格（保留等级）",
        "lowered" => "不合格（降级）",
        "revoked" => "不合格（撤销）",
        other => other,
    }
}

/// The objection register (异议登记表), contacts masked.
pub fn objections_form(rows: &[ObjectionRow], title: &str) -> Form {
    let mut lines = vec![
        Line::Title(format!("{title} 公示异议登记表")),
        Line::Note("反映人联系方式只显示末四位。".into()),
        headings(&[
            "序号",
            "受理时间",
            "被反映人",
            "单位",
            "拟认定等级",
            "方式",
            "署名",
            "反映人",
            "联系方式",
            "反映内容",
            "涉及项目",
            "逾期",
            "状态",
            "核查结论",
            "核查人",
            "处理决定",
            "决定理由",
        ]),
    ];
    for (i, o) in rows.iter().enumerate() {
        lines.push(Line::Row(vec![
            seq(i),
            text(&o.received_at),
            text(&o.candidate),
            text(&o.organisation),
            text(o.proposed.zh()),
            text(o.channel.zh()),
            text(if o.named { "实名" } else { "匿名" }),
            text(&o.objector),
            text(&o.contact_masked),
            text(&o.content),
            text(
                o.criterion
                    .as_ref()
                    .map(|c| c.1.clone())
                    .unwrap_or_default(),
            ),
            text(if o.late { "是" } else { "" }),
            text(o.state.zh()),
            text(&o.findings),
            text(&o.verified_by),
            text(o.decision.map(|d| d.zh()).unwrap_or_default()),
            text(&o.decision_reason),
        ]));
    }
    lines.push(Line::Note(CHECK_FOOTER.into()));
    Form {
        name: "异议登记表".into(),
        lines,
    }
}

fn subtotal_row(label: String, s: &Subtotal) -> Line {
    Line::Row(vec![
        text(label),
        Value::Num(s.holders as f64),
        Value::Num(s.amount as f64),
    ])
}

/// The 红领津贴 roll of a year: the roll, totals by grade and by county, and the
/// holders left off with the reason.
pub fn allowance_forms(r: &AllowanceRoll) -> Vec<Form> {
    let title = format!("{}{}年度红领津贴", r.city, r.year);
    let mut roll = vec![
        Line::Title(format!("{title}发放名册")),
        headings(&[
            "序号",
            "区县",
            "姓名",
            "单位",
            "人员类别",
            "等级",
            "证书编号",
            "年度考核",
            "金额(元)",
        ]),
    ];
    for (i, a) in r.rows.iter().enumerate() {
        roll.push(Line::Row(vec![
            seq(i),
            text(&a.county),
            text(&a.name),
            text(&a.organisation),
            text(a.category.zh()),
            text(a.grade.zh()),
            text(&a.certificate),
            text(a.assessment.zh()),
            Value::Num(f64::from(a.amount)),
        ]));
    }
    roll.push(Line::Note(format!(
        "合计 {} 人，{} 元",
        r.total.holders,
        crate::domain::number::fmt_money(r.total.amount as f64)
    )));
    roll.push(Line::Note(CHECK_FOOTER.into()));
    let totals = |name: &str, head: &str, groups: Vec<(String, &Subtotal)>| -> Form {
        let mut lines = vec![
            Line::Title(format!("{title}汇总（{name}）")),
            headings(&[head, "人数", "金额(元)"]),
        ];
        lines.extend(groups.into_iter().map(|(g, s)| subtotal_row(g, s)));
        lines.push(subtotal_row("合计".into(), &r.total));
        Form {
            name: format!("{name}汇总"),
            lines,
        }
    };
    let mut left = vec![
        Line::Title(format!("{title}未列入名册人员")),
        headings(&["序号", "证书编号", "姓名", "原因"]),
    ];
    for (i, e) in r.excluded.iter().enumerate() {
        left.push(Line::Row(vec![
            seq(i),
            text(&e.certificate),
            text(&e.name),
            text(e.why.zh()),
        ]));
    }
    vec![
        Form {
            name: "发放名册".into(),
            lines: roll,
        },
        totals(
            "按等级",
            "等级",
            r.by_grade
                .iter()
                .map(|(g, s): &(Grade, Subtotal)| (g.zh().to_string(), s))
                .collect(),
        ),
        totals(
            "按区县",
            "区县",
            r.by_county.iter().map(|(c, s)| (c.clone(), s)).collect(),
        ),
        Form {
            name: "未列入名册".into(),
            lines: left,
        },
    ]
}

/// A cell of a Markdown table: pipes escaped, line breaks and tabs made spaces, and
/// any other control character or bidirectional control shown as `<U+001B>`.
fn md_cell(s: &str) -> String {
    let flat = s.replace('|', "\\|").replace(['\n', '\r', '\t'], " ");
    escape_controls(&flat).into_owned()
}

/// A form as Markdown: the title as a heading, notes and signature lines as
/// paragraphs, the table as a pipe table.
pub fn markdown(form: &Form) -> String {
    let mut out = String::new();
    let mut in_table = false;
    for line in &form.lines {
        let row = matches!(line, Line::Header(_) | Line::Row(_));
        if in_table && !row {
            out.push('\n');
        }
        in_table = row;
        match line {
            Line::Title(t) => out.push_str(&format!("# {}\n\n", md_cell(t))),
            Line::Heading(t) => out.push_str(&format!("## {}\n\n", md_cell(t))),
            Line::Note(t) | Line::Sign(t) => out.push_str(&format!("{}\n\n", md_cell(t))),
            Line::Header(h) => {
                let cells: Vec<String> = h.iter().map(|c| md_cell(c)).collect();
                out.push_str(&format!(
                    "| {} |\n|{}\n",
                    cells.join(" | "),
                    "---|".repeat(h.len())
                ));
            }
            Line::Row(cells) => {
                let cells: Vec<String> = cells.iter().map(|c| md_cell(&c.shown())).collect();
                out.push_str(&format!("| {} |\n", cells.join(" | ")));
            }
        }
    }
    out
}

/// Text for HTML: the markup characters as entities, and control characters and
/// bidirectional controls (line breaks and tabs excepted) shown as `<U+001B>`.
fn html_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in escape_controls_keep_lines(s).chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

const PAGE_STYLE: &str = "
body { font-family: \"Noto Serif CJK SC\", \"Source Han Serif SC\", \"Songti SC\", SimSun, \"Noto Sans CJK SC\", \"Microsoft YaHei\", \"PingFang SC\", serif;
       color: #111; background: #fff; line-height: 1.9; font-size: 16px; max-width: 960px; margin: 2.5em auto; padding: 0 1.5em; }
h1 { text-align: center; font-size: 1.6em; font-weight: bold; letter-spacing: 0.05em; margin: 0 0 1.2em; }
h2 { font-size: 1.1em; font-weight: bold; margin: 1.4em 0 0.4em; page-break-after: avoid; }
p { text-indent: 2em; margin: 0.5em 0; }
p.sign { text-align: right; text-indent: 0; margin: 0.2em 0; }
p.sign.first { margin-top: 2.5em; }
table { border-collapse: collapse; width: 100%; margin: 1em 0 1.2em; }
th, td { border: 1px solid #444; padding: 0.35em 0.6em; text-align: center; vertical-align: middle; }
th { background: #f0f0f0; font-weight: bold; }
td.text { text-align: left; }
@page { size: A4; margin: 2cm 1.8cm; }
@media print {
  body { max-width: none; margin: 0; padding: 0; font-size: 12pt; }
  th { background: none; }
  thead { display: table-header-group; }
  tr { page-break-inside: avoid; }
}
";

/// A form as a self-contained web page, readable in Chinese on screen and on paper:
/// UTF-8, the style inline, no scripts, nothing fetched.
pub fn html(form: &Form) -> String {
    html_in(form, Lang::Zh)
}

/// Which columns of each table of a form hold longer text (set flush left; short ones
/// centred): per table, one flag per column.
fn wide_columns(form: &Form) -> Vec<Vec<bool>> {
    let mut tables: Vec<Vec<bool>> = Vec::new();
    let mut in_table = false;
    for line in &form.lines {
        match line {
            Line::Header(_) | Line::Row(_) if !in_table => {
                tables.push(Vec::new());
                in_table = true;
            }
            Line::Header(_) | Line::Row(_) => {}
            _ => in_table = false,
        }
        if let (Line::Row(cells), Some(wide)) = (line, tables.last_mut()) {
            wide.resize(wide.len().max(cells.len()), false);
            for (i, c) in cells.iter().enumerate() {
                wide[i] |= matches!(c, Value::Text(t) if t.chars().count() > 6);
            }
        }
    }
    tables
}

/// A form as a self-contained web page in `lang` (see [`html`]).
pub fn html_in(form: &Form, lang: Lang) -> String {
    let title = form
        .lines
        .iter()
        .find_map(|l| match l {
            Line::Title(t) => Some(t.as_str()),
            _ => None,
        })
        .unwrap_or(&form.name);
    let mut wide = wide_columns(form).into_iter();
    let mut columns: Vec<bool> = Vec::new();
    let mut body = String::new();
    let mut in_table = false;
    let mut signed = false;
    for line in &form.lines {
        let row = matches!(line, Line::Header(_) | Line::Row(_));
        if in_table && !row {
            body.push_str("</tbody>\n</table>\n");
            in_table = false;
        }
        if row && !in_table {
            columns = wide.next().unwrap_or_default();
            body.push_str("<table>\n");
            if matches!(line, Line::Row(_)) {
                body.push_str("<tbody>\n");
            }
            in_table = true;
        }
        let first_sign = matches!(line, Line::Sign(_)) && !signed;
        signed = matches!(line, Line::Sign(_));
        match line {
            Line::Title(t) => body.push_str(&format!("<h1>{}</h1>\n", html_text(t))),
            Line::Heading(t) => body.push_str(&format!("<h2>{}</h2>\n", html_text(t))),
            Line::Note(t) => body.push_str(&format!("<p>{}</p>\n", html_text(t))),
            Line::Sign(t) => body.push_str(&format!(
                "<p class=\"sign{}\">{}</p>\n",
                if first_sign { " first" } else { "" },
                html_text(t)
            )),
            Line::Header(h) => {
                body.push_str("<thead>\n<tr>");
                for c in h {
                    body.push_str(&format!("<th>{}</th>", html_text(c)));
                }
                body.push_str("</tr>\n</thead>\n<tbody>\n");
            }
            Line::Row(cells) => {
                body.push_str("<tr>");
                for (i, c) in cells.iter().enumerate() {
                    let class = if columns.get(i).copied().unwrap_or(false) {
                        " class=\"text\""
                    } else {
                        ""
                    };
                    body.push_str(&format!("<td{class}>{}</td>", html_text(&c.shown())));
                }
                body.push_str("</tr>\n");
            }
        }
    }
    if in_table {
        body.push_str("</tbody>\n</table>\n");
    }
    format!(
        "<!DOCTYPE html>\n<html lang=\"{}\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>{}</title>\n<style>{PAGE_STYLE}</style>\n</head>\n<body>\n{body}</body>\n</html>\n",
        lang.pick("zh-CN", "en"),
        html_text(title)
    )
}

/// Builds a document and writes it to the file `out`; returns what was written, in a
/// few words.
pub fn write(
    svc: &Service,
    kind: RegisterKind,
    notice: Option<i64>,
    year: Option<i32>,
    format: Format,
    out: &Path,
) -> Result<String> {
    let (bytes, what) = render(svc, kind, notice, year, format)?;
    files::write_atomically(out, &bytes)?;
    Ok(what)
}

/// Builds a document as the bytes of a file in `format`, and says what it holds, in a
/// few words.
pub fn render(
    svc: &Service,
    kind: RegisterKind,
    notice: Option<i64>,
    year: Option<i32>,
    format: Format,
) -> Result<(Vec<u8>, String)> {
    if notice.is_some() && kind != RegisterKind::Notice {
        bail!("--notice goes with `export notice`");
    }
    if year.is_some() && kind != RegisterKind::Allowance {
        bail!("--year goes with `export allowance`");
    }
    if kind != RegisterKind::Notice {
        forms::require_form_format(kind.code(), format)?;
    } else if matches!(format, Format::Json | Format::Docx) {
        bail!("the published notice is exported as csv, xlsx, md or html");
    }
    let (forms, what) = match kind {
        RegisterKind::Notice => {
            let n = match notice {
                Some(id) => svc.notice(id)?,
                None => svc.latest_notice()?,
            };
            let mut what = format!(
                "the notice of {} candidate(s), {} to {}",
                n.candidates.len(),
                n.start,
                n.end
            );
            if let Some((_, en)) = crate::domain::workdays::uncovered_warning(&n.uncovered_years) {
                what.push_str(&format!(" (warning: {en})"));
            }
            (vec![notice_form(&n)], what)
        }
        RegisterKind::Certificates => {
            let rows = svc.certificates(&CertificateFilter::default())?;
            let what = format!("{} certificate(s)", rows.len());
            (vec![certificates_form(&rows, svc.today())], what)
        }
        RegisterKind::Objections => {
            let rows = svc.objections(&ObjectionFilter::default())?;
            let title = svc.open_cycle().map(|c| c.name).unwrap_or_default();
            let what = format!("{} objection(s)", rows.len());
            (vec![objections_form(&rows, &title)], what)
        }
        RegisterKind::Allowance => {
            let Some(year) = year else {
                bail!("`export allowance` needs --year YEAR");
            };
            let roll = svc.allowance_roll(year)?;
            let what = format!(
                "the {year} allowance roll: {} holder(s), {} yuan ({} left off)",
                roll.total.holders,
                roll.total.amount,
                roll.excluded.len()
            );
            (allowance_forms(&roll), what)
        }
    };
    let bytes = match format {
        Format::Md => markdown(&forms[0]).into_bytes(),
        Format::Html => html(&forms[0]).into_bytes(),
        _ => forms::forms_bytes(&forms, format)?,
    };
    Ok((bytes, what))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form() -> Form {
        Form {
            name: "t".into(),
            lines: vec![
                Line::Title("标题 <公示>".into()),
                Line::Note("说明 a|b".into()),
                Line::Header(vec!["序号".into(), "单位".into()]),
                Line::Row(vec![
                    Value::Num(1.0),
                    text("南京\"示例\"科技有限公司&分公司"),
                ]),
                Line::Row(vec![Value::Num(2.0), text("商会")]),
                Line::Sign("评审委员会".into()),
                Line::Sign(zh_date(NaiveDate::from_ymd_opt(2026, 11, 23).unwrap())),
            ],
        }
    }

    #[test]
    fn markdown_escapes_pipes_and_ends_the_table_with_a_blank_line() {
        let md = markdown(&form());
        assert_eq!(
            md,
            "# 标题 <公示>\n\n说明 a\\|b\n\n| 序号 | 单位 |\n|---|---|\n| 1 | 南京\"示例\"科技有限公司&分公司 |\n| 2 | 商会 |\n\n评审委员会\n\n2026年11月23日\n\n"
        );
    }

    #[test]
    fn html_escapes_text_aligns_long_columns_left_and_signs_at_the_right() {
        let page = html(&form());
        assert!(page.contains("<title>标题 &lt;公示&gt;</title>"));
        assert!(page.contains(
            "<tr><td>1</td><td class=\"text\">南京&quot;示例&quot;科技有限公司&amp;分公司</td></tr>"
        ));
        assert!(
            page.contains("<tr><td>2</td><td class=\"text\">商会</td></tr>"),
            "the whole column"
        );
        assert!(page.contains("</tbody>\n</table>\n<p class=\"sign first\">评审委员会</p>\n<p class=\"sign\">2026年11月23日</p>"));
    }
}
