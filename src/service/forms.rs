//! The printed forms of the overall evaluation (综合评定) as CSV or .xlsx: a member's
//! score sheets (评分表), the candidates' summary sheets (汇总表) and the ranking
//! (排名表). The service decides what may be shown; this module only lays it out.

use super::files::Format;
use crate::domain::aggregate::{round2, MethodUsed};
use crate::domain::number::fmt_num;
use crate::domain::rules::{Criterion, Rules};
use crate::service::evaluation::{Cell, ResultRow};
use crate::service::sheets_export::{MemberSheets, RankingSheet};
use crate::service::Service;
use crate::text::{csv_text_cell, escape_controls, escape_controls_keep_lines};
use anyhow::{bail, Result};
use rust_xlsxwriter::{Format as XFormat, FormatAlign, FormatBorder, Workbook};
use std::collections::HashSet;
use unicode_width::UnicodeWidthStr;

/// The forms that can be exported.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FormKind {
    Sheet,
    Summary,
    Ranking,
}

impl FormKind {
    pub const ALL: [FormKind; 3] = [FormKind::Sheet, FormKind::Summary, FormKind::Ranking];

    pub fn code(self) -> &'static str {
        match self {
            FormKind::Sheet => "sheet",
            FormKind::Summary => "summary",
            FormKind::Ranking => "ranking",
        }
    }

    pub fn parse(text: &str) -> Option<FormKind> {
        FormKind::ALL.into_iter().find(|k| k.code() == text.trim())
    }
}

/// One cell of a form.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Text(String),
    Num(f64),
}

impl Value {
    pub(crate) fn text(s: impl Into<String>) -> Value {
        Value::Text(s.into())
    }

    /// A number rounded to two decimals, the precision results are shown at.
    pub(crate) fn num(n: f64) -> Value {
        Value::Num(round2(n))
    }

    pub(crate) fn shown(&self) -> String {
        match self {
            Value::Text(s) => s.clone(),
            Value::Num(n) => fmt_num(*n),
        }
    }
}

/// One line of a form.
#[derive(Debug, Clone, PartialEq)]
pub enum Line {
    /// The title, across the whole width.
    Title(String),
    /// The heading of a part of a document, across the whole width.
    Heading(String),
    /// A line of text across the whole width: who, signatures, remarks.
    Note(String),
    /// A line set at the right: who issues the form, and the date.
    Sign(String),
    /// Column headings.
    Header(Vec<String>),
    Row(Vec<Value>),
}

/// A printed form: one worksheet in .xlsx, one block in CSV.
#[derive(Debug, Clone, PartialEq)]
pub struct Form {
    /// The worksheet's name (made valid and unique when written).
    pub name: String,
    pub lines: Vec<Line>,
}

const MEMBER_FOOTER: &str = "评委签字：______ 日期：______";
pub(crate) const CHECK_FOOTER: &str = "填表人：____ 日期：____ 复核人：____ 日期：____";

/// A criterion's heading with its maximum, and its weight when it is not 1.
fn criterion_head(c: &Criterion) -> String {
    if c.weight == 1.0 {
        format!("{}({})", c.name, fmt_num(c.max))
    } else {
        format!("{}({}×{})", c.name, fmt_num(c.max), fmt_num(c.weight))
    }
}

fn total_head(rules: &Rules) -> String {
    format!("合计({})", fmt_num(rules.total_max()))
}

/// One member's score sheets: a row per candidate they scored.
pub fn member_form(s: &MemberSheets) -> Form {
    let mut header: Vec<String> = ["序号", "姓名", "单位", "申报等级"]
        .map(String::from)
        .to_vec();
    header.extend(s.rules.criteria.iter().map(criterion_head));
    header.extend([total_head(&s.rules), "状态".into(), "评语".into()]);
    let mut lines = vec![
        Line::Title(format!("{} 综合评定评分表", s.cycle)),
        Line::Note(format!("评委：{}", s.member)),
        Line::Header(header),
    ];
    for (i, r) in s.rows.iter().enumerate() {
        let mut cells = vec![
            Value::Num((i + 1) as f64),
            Value::text(&r.name),
            Value::text(&r.organisation),
            Value::text(r.target.zh()),
        ];
        cells.extend(r.values.iter().map(|v| match v {
            Some(v) => Value::num(*v),
            None => Value::text(""),
        }));
        let status = match r.status {
            Cell::Submitted => "已提交",
            _ => "草稿",
        };
        let comments: Vec<String> = r
            .comments
            .iter()
            .map(|(c, text)| format!("{c}：{text}"))
            .collect();
        cells.extend([
            Value::num(r.total),
            Value::text(if r.recused {
                format!("{status}（回避，不计入）")
            } else {
                status.to_string()
            }),
            Value::text(comments.join("；")),
        ]);
        lines.push(Line::Row(cells));
    }
    lines.push(Line::Note(MEMBER_FOOTER.into()));
    Form {
        name: format!("评分表 {}", s.member),
        lines,
    }
}

/// The name of the rules' aggregation method, as the form states it.
fn method_name(rules: &Rules, trimmed: bool) -> String {
    MethodUsed::of(rules, trimmed).zh()
}

fn yes_no(b: bool) -> &'static str {
    if b {
        "是"
    } else {
        "否"
    }
}

/// Whether the committee's result is fixed, and what it is.
fn result_state(finalised: Option<bool>) -> &'static str {
    match finalised {
        Some(true) => "已确定：通过",
        Some(false) => "已确定：未通过",
        None => "未确定",
    }
}

/// A candidate's summary sheet: criteria by members, totals, then the aggregate.
pub fn summary_form(cycle: &str, rules: &Rules, r: &ResultRow) -> Form {
    let members: Vec<String> = r
        .sheets
        .iter()
        .enumerate()
        .map(|(i, s)| s.member.clone().unwrap_or_else(|| format!("评委{}", i + 1)))
        .collect();
    let mut header = vec!["评分项目".to_string(), "满分".to_string()];
    header.extend(members.iter().cloned());
    let agg = r.aggregate.as_ref();
    if agg.is_some() {
        header.push("平均分".into());
    }
    let mut lines = vec![
        Line::Title(format!("{cycle} 综合评定汇总表")),
        Line::Note(format!(
            "候选人：{}　单位：{}　申报等级：{}",
            r.name,
            r.organisation,
            r.target.zh()
        )),
        Line::Header(header),
    ];
    for c in &rules.criteria {
        let mut cells = vec![Value::text(&c.name), Value::num(c.max)];
        cells.extend(r.sheets.iter().map(|s| match s.values.get(&c.key) {
            Some(v) => Value::num(*v),
            None => Value::text(""),
        }));
        if let Some(mean) = agg.and_then(|a| a.criterion_means.get(&c.key)) {
            cells.push(Value::num(*mean));
        }
        lines.push(Line::Row(cells));
    }
    let mut totals = vec![Value::text("合计"), Value::num(rules.total_max())];
    totals.extend(r.sheets.iter().map(|s| Value::num(s.total)));
    if let Some(a) = agg {
        totals.push(Value::num(a.mean));
    }
    lines.push(Line::Row(totals));
    let stat = |label: &str, v: Value| Line::Row(vec![Value::text(label), v]);
    lines.push(stat("有效评分表(份)", Value::Num(r.sheets.len() as f64)));
    lines.push(stat("回避(人)", Value::Num(r.recused as f64)));
    match agg {
        None => lines.push(Line::Note("无有效评分表，不能评定".into())),
        Some(a) => {
            lines.push(stat("平均分", Value::num(a.mean)));
            lines.push(stat(
                "去掉最高最低分后平均分",
                a.trimmed_mean.map(Value::num).unwrap_or(Value::text("—")),
            ));
            lines.push(stat("中位数", Value::num(a.median)));
            lines.push(stat("极差", Value::num(a.spread)));
            lines.push(stat("标准差", Value::num(a.std_dev)));
            lines.push(Line::Note(format!(
                "评定方法：{}",
                method_name(rules, a.trimmed)
            )));
            lines.push(stat("评定结果", Value::num(a.result)));
            lines.push(stat("通过分数线", Value::num(r.threshold)));
            lines.push(stat(
                "是否达到分数线",
                Value::text(yes_no(r.passes().unwrap_or(false))),
            ));
            lines.push(stat(
                "是否达到法定人数",
                Value::text(format!(
                    "{}（至少{}份）",
                    yes_no(a.quorum_met),
                    rules.aggregation.quorum
                )),
            ));
        }
    }
    lines.push(stat("结果状态", Value::text(result_state(r.finalised))));
    let far: Vec<&str> = r
        .sheets
        .iter()
        .zip(&members)
        .filter(|(s, _)| s.outlier)
        .map(|(_, m)| m.as_str())
        .collect();
    if !far.is_empty() {
        lines.push(Line::Note(format!(
            "偏离中位数超过{}分（需讨论）：{}",
            fmt_num(rules.aggregation.outlier_points),
            far.join("、")
        )));
    }
    if r.needs_discussion {
        lines.push(Line::Note(
            "按不同计算方法，是否达到分数线结论不同（需讨论）".into(),
        ));
    }
    for rev in &r.revisions {
        let criterion = rules
            .criterion(&rev.criterion)
            .map(|c| c.name.as_str())
            .unwrap_or(&rev.criterion);
        lines.push(Line::Note(format!(
            "提交后修改：{}{} {} → {}，理由：{}（{}）",
            rev.member.as_deref().unwrap_or("评委"),
            criterion,
            rev.before.map(fmt_num).unwrap_or_default(),
            fmt_num(rev.after),
            rev.reason,
            rev.at
        )));
    }
    lines.push(Line::Note(CHECK_FOOTER.into()));
    Form {
        name: format!("{} {}", r.app_id, r.name),
        lines,
    }
}

/// The ranking per grade, highest grade first.
pub fn ranking_form(s: &RankingSheet) -> Form {
    let mut lines = vec![
        Line::Title(format!("{} 综合评定排名表", s.cycle)),
        Line::Header(
            [
                "申报等级",
                "名次",
                "姓名",
                "单位",
                "评定结果",
                "通过分数线",
                "是否达到分数线",
                "结果状态",
            ]
            .map(String::from)
            .to_vec(),
        ),
    ];
    for (grade, threshold, rows) in &s.grades {
        for r in rows {
            lines.push(Line::Row(vec![
                Value::text(grade.zh()),
                Value::Num(r.rank as f64),
                Value::text(&r.name),
                Value::text(&r.organisation),
                Value::num(r.result),
                Value::num(*threshold),
                Value::text(yes_no(r.passes)),
                Value::text(result_state(r.finalised)),
            ]));
        }
    }
    lines.push(Line::Note(CHECK_FOOTER.into()));
    Form {
        name: "排名表".into(),
        lines,
    }
}

/// Refuses a format a printed form is not made in: CSV and .xlsx only.
pub fn require_form_format(kind: &str, format: Format) -> Result<()> {
    if !matches!(format, Format::Csv | Format::Xlsx) {
        bail!("the {kind} export is a printed form: use --format csv or xlsx");
    }
    Ok(())
}

/// Forms as the bytes of a CSV or .xlsx file.
pub fn forms_bytes(forms: &[Form], format: Format) -> Result<Vec<u8>> {
    match format {
        Format::Xlsx => xlsx(forms),
        _ => csv(forms),
    }
}

/// The forms of one export, and what to tell whoever asked for them.
#[derive(Debug, Clone, PartialEq)]
pub struct Built {
    pub forms: Vec<Form>,
    /// Candidates left out because their scores may not be seen yet.
    pub withheld: usize,
    /// What the forms hold, in a few words.
    pub what: String,
    /// Remarks on what the forms lack, to show before they are written.
    pub notes: Vec<String>,
}

/// Builds the forms of `kind`: a member's sheets (`member`, by name or id), the
/// summary sheets (of one application, `app`, or all) or the ranking.
pub fn build(
    svc: &Service,
    kind: FormKind,
    member: Option<&str>,
    app: Option<i64>,
) -> Result<Built> {
    let mut notes = Vec::new();
    let (forms, withheld, what) = match kind {
        FormKind::Sheet => {
            // Without --member, the sheets of the member acting (over SSH, the one
            // the key belongs to).
            let m = match (member, svc.actor().member_id) {
                (Some(member), _) => svc.find_member(member)?,
                (None, Some(me)) => svc.find_member(&me.to_string())?,
                (None, None) => bail!("`export sheet` needs --member NAME_OR_ID"),
            };
            let sheets = svc.member_sheets(m.id)?;
            if sheets.rows.is_empty() && sheets.withheld == 0 {
                notes.push(format!(
                    "{} has no score sheets in {}",
                    escape_controls(&sheets.member),
                    escape_controls(&sheets.cycle)
                ));
            }
            let what = format!(
                "{} sheet(s) of {}",
                sheets.rows.len(),
                escape_controls(&sheets.member)
            );
            (vec![member_form(&sheets)], sheets.withheld, what)
        }
        FormKind::Summary => {
            let s = svc.summaries(app)?;
            let forms: Vec<Form> = s
                .results
                .iter()
                .map(|r| summary_form(&s.cycle, &s.rules, r))
                .collect();
            let what = format!("{} summary sheet(s)", forms.len());
            (forms, s.withheld, what)
        }
        FormKind::Ranking => {
            let s = svc.ranking_sheet()?;
            if s.unscored > 0 {
                notes.push(format!(
                    "not ranked: {} candidate(s) without an eligible submitted sheet",
                    s.unscored
                ));
            }
            let n: usize = s.grades.iter().map(|(_, _, rows)| rows.len()).sum();
            (
                vec![ranking_form(&s)],
                s.withheld,
                format!("{n} ranked candidate(s)"),
            )
        }
    };
    Ok(Built {
        forms,
        withheld,
        what,
        notes,
    })
}

/// The forms as CSV, one block after another with a blank line between them.
pub fn csv(forms: &[Form]) -> Result<Vec<u8>> {
    let mut bytes = Vec::new();
    for (i, form) in forms.iter().enumerate() {
        if i > 0 {
            bytes.push(b'\n');
        }
        let mut w = ::csv::WriterBuilder::new()
            .flexible(true)
            .from_writer(Vec::new());
        // Text that a spreadsheet would run as a formula gets a leading `'`; numbers
        // (negative ones too) stay numbers.
        let text = |t: &str| csv_text_cell(t).into_owned();
        for line in &form.lines {
            match line {
                Line::Title(t) | Line::Heading(t) | Line::Note(t) | Line::Sign(t) => {
                    w.write_record([text(t)])?
                }
                Line::Header(h) => w.write_record(h.iter().map(|c| text(c)))?,
                Line::Row(cells) => w.write_record(cells.iter().map(|c| match c {
                    Value::Text(t) => text(t),
                    Value::Num(_) => c.shown(),
                }))?,
            }
        }
        bytes.extend(w.into_inner().map_err(|e| anyhow::anyhow!("{e}"))?);
    }
    Ok(bytes)
}

/// A valid worksheet name not yet `used`: without `[]:*?/\`, not starting or ending
/// with an apostrophe, at most 31 characters, unique regardless of case.
fn sheet_name(wanted: &str, used: &mut HashSet<String>) -> String {
    let clean: String = wanted
        .chars()
        .map(|c| if "[]:*?/\\".contains(c) { '_' } else { c })
        .collect();
    let clean = clean.trim().trim_matches('\'');
    let base = if clean.is_empty() { "Sheet" } else { clean };
    let mut n = 1;
    loop {
        let suffix = if n == 1 {
            String::new()
        } else {
            format!(" ({n})")
        };
        let keep = 31 - suffix.chars().count();
        let name: String = base.chars().take(keep).collect::<String>() + &suffix;
        let name = name.trim_end_matches('\'').to_string();
        if !name.eq_ignore_ascii_case("history") && used.insert(name.to_lowercase()) {
            return name;
        }
        n += 1;
    }
}

/// The widest text of each column of the headings and rows among `lines`, in
/// terminal cells (a Chinese character is two), the longest line of a text of several.
fn column_widths<'a>(lines: impl IntoIterator<Item = &'a Line>) -> Vec<usize> {
    let mut widths: Vec<usize> = Vec::new();
    for line in lines {
        let cells: Vec<String> = match line {
            Line::Header(h) => h.clone(),
            Line::Row(cells) => cells.iter().map(Value::shown).collect(),
            _ => continue,
        };
        for (i, c) in cells.iter().enumerate() {
            if widths.len() <= i {
                widths.push(0);
            }
            let longest = c.lines().map(|l| l.width()).max().unwrap_or(0);
            widths[i] = widths[i].max(longest);
        }
    }
    widths
}

/// The forms as a workbook: a worksheet each, the title on top across the table,
/// bold headings, numbers as numbers, columns as wide as their text, control
/// characters shown escaped.
pub fn xlsx(forms: &[Form]) -> Result<Vec<u8>> {
    let mut book = Workbook::new();
    let title = XFormat::new()
        .set_bold()
        .set_font_size(14)
        .set_align(FormatAlign::Center)
        .set_align(FormatAlign::VerticalCenter);
    let note = XFormat::new().set_align(FormatAlign::Left);
    let heading = XFormat::new().set_bold().set_align(FormatAlign::Left);
    let sign = XFormat::new().set_align(FormatAlign::Right);
    let head = XFormat::new()
        .set_bold()
        .set_border(FormatBorder::Thin)
        .set_align(FormatAlign::Center)
        .set_align(FormatAlign::VerticalCenter)
        .set_text_wrap();
    let body = XFormat::new()
        .set_border(FormatBorder::Thin)
        .set_align(FormatAlign::VerticalCenter)
        .set_text_wrap();
    // Control characters and bidirectional controls shown as `<U+001B>`: a cell
    // carries no such thing.
    let shown = |t: &str| escape_controls_keep_lines(t).into_owned();
    let mut used = HashSet::new();
    for form in forms {
        let sheet = book.add_worksheet();
        sheet.set_name(sheet_name(&form.name, &mut used))?;
        sheet
            .set_landscape()
            .set_paper_size(9)
            .set_print_fit_to_pages(1, 0);
        let widths = column_widths(&form.lines);
        let last_col = widths.len().saturating_sub(1) as u16;
        for (i, w) in widths.iter().enumerate() {
            sheet.set_column_width(i as u16, (*w + 2).clamp(6, 40) as f64)?;
        }
        for (r, line) in form.lines.iter().enumerate() {
            let r = r as u32;
            match line {
                Line::Title(t) | Line::Heading(t) | Line::Note(t) | Line::Sign(t) => {
                    let f = match line {
                        Line::Title(_) => {
                            sheet.set_row_height(r, 28)?;
                            &title
                        }
                        Line::Heading(_) => &heading,
                        Line::Sign(_) => &sign,
                        _ => &note,
                    };
                    if last_col > 0 {
                        sheet.merge_range(r, 0, r, last_col, &shown(t), f)?;
                    } else {
                        sheet.write_string_with_format(r, 0, shown(t), f)?;
                    }
                }
                Line::Header(h) => {
                    for (c, text) in h.iter().enumerate() {
                        sheet.write_string_with_format(r, c as u16, shown(text), &head)?;
                    }
                }
                Line::Row(cells) => {
                    for (c, v) in cells.iter().enumerate() {
                        match v {
                            Value::Num(n) => {
                                sheet.write_number_with_format(r, c as u16, *n, &body)?
                            }
                            Value::Text(t) => {
                                sheet.write_string_with_format(r, c as u16, shown(t), &body)?
                            }
                        };
                    }
                }
            }
        }
    }
    Ok(book.save_to_buffer()?)
}

/// A4 in twentieths of a point, and the margins of a printed page (2 cm, 1.8 cm).
const A4: (u32, u32) = (11906, 16838);
const MARGIN_TOP: i32 = 1134;
const MARGIN_SIDE: i32 = 1021;
/// Tables are set in 10.5 pt (五号), in half-points; a terminal cell (half a Chinese
/// character) of it is this many twentieths of a point wide.
const TABLE_SIZE: usize = 21;
const CELL: usize = TABLE_SIZE * 5;

/// Text for a Word document: control characters and bidirectional controls shown
/// as `<U+001B>` (XML cannot carry most of them, and none belongs in a document),
/// line breaks and tabs kept; the markup characters are escaped by the writer.
fn docx_runs(text: &str, bold: bool, size: Option<usize>) -> Vec<docx_rs::Run> {
    escape_controls_keep_lines(text)
        .split('\n')
        .enumerate()
        .map(|(i, part)| {
            let mut run = docx_rs::Run::new();
            if i > 0 {
                run = run.add_break(docx_rs::BreakType::TextWrapping);
            }
            run = run.add_text(part.replace('\r', ""));
            if bold {
                run = run.bold();
            }
            match size {
                Some(size) => run.size(size),
                None => run,
            }
        })
        .collect()
}

fn docx_paragraph(text: &str, bold: bool, size: Option<usize>) -> docx_rs::Paragraph {
    docx_runs(text, bold, size)
        .into_iter()
        .fold(docx_rs::Paragraph::new(), |p, r| p.add_run(r))
}

/// The rows of one table of a form as a Word table as wide as the page, each column
/// as wide as its longest text allows.
fn docx_table(rows: &[&Line]) -> docx_rs::Table {
    use docx_rs::{AlignmentType, TableCell, TableRow, VAlignType, WidthType};
    let cells_of = |line: &Line| -> Vec<(String, bool, bool)> {
        match line {
            Line::Header(h) => h.iter().map(|c| (c.clone(), true, false)).collect(),
            Line::Row(cells) => cells
                .iter()
                .map(|c| {
                    (
                        c.shown(),
                        false,
                        matches!(c, Value::Text(t) if t.chars().count() > 6),
                    )
                })
                .collect(),
            _ => Vec::new(),
        }
    };
    // Each column gets room for up to 8 cells of its text (a narrow column wraps
    // headings of more), with padding; what the page has left goes to the columns
    // whose text is longer, in proportion to what they lack.
    let widest = column_widths(rows.iter().copied());
    let page = (A4.0 as i32 - 2 * MARGIN_SIDE) as usize;
    let base: Vec<usize> = widest.iter().map(|w| (w.min(&8) + 2) * CELL).collect();
    let lack: Vec<usize> = widest
        .iter()
        .zip(&base)
        .map(|(w, b)| ((w + 2) * CELL).saturating_sub(*b))
        .collect();
    let (base_sum, lack_sum) = (base.iter().sum::<usize>(), lack.iter().sum::<usize>());
    let grid: Vec<usize> = if base_sum >= page || lack_sum == 0 {
        base.iter().map(|b| page * b / base_sum.max(1)).collect()
    } else {
        let spare = (page - base_sum).min(lack_sum);
        let left = page - base_sum - spare;
        base.iter()
            .zip(&lack)
            .map(|(b, l)| b + spare * l / lack_sum + left * b / base_sum)
            .collect()
    };
    let table_rows = rows
        .iter()
        .map(|line| {
            let cells = cells_of(line)
                .into_iter()
                .enumerate()
                .map(|(i, (text, head, left))| {
                    let align = if left {
                        AlignmentType::Left
                    } else {
                        AlignmentType::Center
                    };
                    TableCell::new()
                        .width(grid.get(i).copied().unwrap_or(0), WidthType::Dxa)
                        .vertical_align(VAlignType::Center)
                        .add_paragraph(docx_paragraph(&text, head, Some(TABLE_SIZE)).align(align))
                })
                .collect();
            let row = TableRow::new(cells).row_height(454.0);
            if matches!(line, Line::Header(_)) {
                row.cant_split()
            } else {
                row
            }
        })
        .collect();
    docx_rs::Table::new(table_rows)
        .set_grid(grid.clone())
        .width(page, WidthType::Dxa)
}

/// A form as a Word document (.docx), A4 portrait: the title centred, headings bold,
/// notes as indented paragraphs, tables ruled, signature lines at the right. One
/// document, whatever number of tables the form holds.
pub fn docx(form: &Form) -> Result<Vec<u8>> {
    use docx_rs::{AlignmentType, Docx, LineSpacing, PageMargin, RunFonts, SpecialIndentType};
    let mut doc = Docx::new()
        .page_size(A4.0, A4.1)
        .page_margin(
            PageMargin::new()
                .top(MARGIN_TOP)
                .bottom(MARGIN_TOP)
                .left(MARGIN_SIDE)
                .right(MARGIN_SIDE),
        )
        .default_fonts(
            RunFonts::new()
                .east_asia("SimSun")
                .ascii("Times New Roman")
                .hi_ansi("Times New Roman"),
        )
        .default_size(24)
        .default_line_spacing(LineSpacing::new().line(360));
    let mut table: Vec<&Line> = Vec::new();
    let mut signed = false;
    for line in &form.lines {
        if matches!(line, Line::Header(_) | Line::Row(_)) {
            table.push(line);
            continue;
        }
        if !table.is_empty() {
            doc = doc.add_table(docx_table(&table));
            table.clear();
        }
        let first_sign = matches!(line, Line::Sign(_)) && !signed;
        signed = matches!(line, Line::Sign(_));
        let p = match line {
            Line::Title(t) => docx_paragraph(t, true, Some(36))
                .align(AlignmentType::Center)
                .line_spacing(LineSpacing::new().after(240)),
            Line::Heading(t) => docx_paragraph(t, true, Some(26))
                .keep_next(true)
                .line_spacing(LineSpacing::new().before(240).after(120)),
            Line::Note(t) => docx_paragraph(t, false, None).indent(
                None,
                Some(SpecialIndentType::FirstLine(480)),
                None,
                None,
            ),
            Line::Sign(t) => {
                let p = docx_paragraph(t, false, None).align(AlignmentType::Right);
                if first_sign {
                    p.line_spacing(LineSpacing::new().before(480))
                } else {
                    p
                }
            }
            Line::Header(_) | Line::Row(_) => continue,
        };
        doc = doc.add_paragraph(p);
    }
    if !table.is_empty() {
        doc = doc.add_table(docx_table(&table));
    }
    let mut bytes = std::io::Cursor::new(Vec::new());
    doc.build()
        .pack(&mut bytes)
        .map_err(|e| anyhow::anyhow!("cannot write the .docx: {e}"))?;
    Ok(bytes.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sheet_names_are_valid_and_unique() {
        let mut used = HashSet::new();
        let a = sheet_name("12 欧阳[测试]/甲:乙*?\\", &mut used);
        assert_eq!(a, "12 欧阳_测试__甲_乙___");
        let long = "很".repeat(40);
        let b = sheet_name(&long, &mut used);
        assert_eq!(b.chars().count(), 31);
        let c = sheet_name(&long, &mut used);
        assert_eq!(c.chars().count(), 31);
        assert!(c.ends_with(" (2)"), "{c}");
        assert_ne!(b, c);
        assert_eq!(sheet_name("SHEET", &mut used), "SHEET");
        assert_eq!(sheet_name("sheet", &mut used), "sheet (2)");
        assert_eq!(sheet_name("'History'", &mut used), "History (2)");
        assert_eq!(
            sheet_name("''", &mut used),
            "Sheet (3)",
            "blank, and taken twice"
        );
    }

    #[test]
    fn numbers_show_at_most_two_decimals() {
        assert_eq!(fmt_num(86.3333), "86.33");
        assert_eq!(fmt_num(18.0), "18");
        assert_eq!(fmt_num(17.5), "17.5");
        assert_eq!(fmt_num(70.625), "70.63");
    }
}
