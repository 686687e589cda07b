//! Stage 6 in the app: starting and closing the public notice, recording objections
//! and taking them through verification, the chair's decisions, the certificate
//! register with inspections and job changes, and the allowance roll.

use super::app::{say, Board, Confirm, Effect, Form, ReasonFor, Screen, State};
use super::fields::{lower_grades, ExportWhat, Field, Fields, Purpose};
use super::i18n::Lang;
use super::keymap::{Action, Keymap};
use super::text_input::TextInput;
use crate::domain::notice::{Channel, Decision, ObjectionState, Step};
use crate::domain::Assessment;
use crate::service::files::Format;
use crate::service::notice::ObjectionRow;

fn form(b: &mut Board, title: String, purpose: Purpose, fields: Vec<Field>) {
    b.form = Some(Form::Fields(Box::new(Fields {
        title,
        purpose,
        fields,
        at: 0,
    })));
}

fn export_form(b: &mut Board, lang: Lang, what: ExportWhat, formats: Vec<Format>) {
    let names = formats
        .iter()
        .map(|f| {
            match f {
                Format::Html => lang.pick("网页 HTML", "web page (HTML)"),
                Format::Md => "Markdown",
                Format::Csv => "CSV",
                Format::Xlsx => "Excel (.xlsx)",
                Format::Json => "JSON",
            }
            .to_string()
        })
        .collect();
    form(
        b,
        lang.pick("导出", "Export").to_string(),
        Purpose::Export { what, formats },
        vec![Field::choice(
            lang.pick("格式（←→ 选择）", "Format (← →)"),
            names,
            0,
        )],
    );
}

/// Stage-6 actions of the list.
pub fn table_action(state: &mut State, keymap: &Keymap, action: Action) -> Vec<Effect> {
    if super::app::refused_here(state, keymap, action) {
        return vec![];
    }
    let lang = state.lang;
    let today = state.today();
    let Some(b) = state.board.as_mut() else {
        return vec![];
    };
    match action {
        Action::StartNotice => {
            // Only finalised candidates not yet in a notice can be published.
            let noticed = |id: i64| {
                b.notice
                    .as_ref()
                    .is_some_and(|n| n.candidates.iter().any(|c| c.app_id == id))
            };
            let waiting = b
                .rows
                .iter()
                .filter(|r| r.status == crate::domain::stage::Status::Active && !noticed(r.id))
                .count();
            if waiting == 0 {
                say(
                    state,
                    "没有等待公示的候选人",
                    "No finalised candidate is waiting for a notice",
                );
                return vec![];
            }
            form(
                b,
                lang.pick("开始结果公示", "Start the public notice")
                    .to_string(),
                Purpose::StartNotice,
                vec![Field::line(
                    lang.pick("公示开始日期", "First day of the notice"),
                    &today.to_string(),
                    true,
                )],
            );
            vec![]
        }
        Action::Objection => {
            let Some((app, name)) = b.current().map(|r| (r.id, r.name.clone())) else {
                say(state, "列表为空", "The list is empty");
                return vec![];
            };
            let now = state.clock.local_now().format("%H:%M").to_string();
            let mut criteria = vec![lang.pick("不涉及", "none").to_string()];
            criteria.extend(
                b.criteria
                    .iter()
                    .map(|(_, zh, en)| lang.pick(zh, en).to_string()),
            );
            form(
                b,
                format!("{} · {name}", lang.pick("登记异议", "Record an objection")),
                Purpose::Objection {
                    app,
                    criteria: b.criteria.iter().map(|c| c.0.clone()).collect(),
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
            );
            vec![]
        }
        Action::Objections => open_register(b, Screen::Objections),
        Action::Certificates => open_register(b, Screen::Certificates),
        Action::CloseNotice => {
            let Some(n) = b.notice.as_ref() else {
                say(state, "尚未开始公示", "No notice has been started");
                return vec![];
            };
            if n.closed {
                say(state, "本次公示已结束", "This notice is already closed");
                return vec![];
            }
            if !n.ended {
                let e = crate::domain::notice::NoticeError::NotEnded(n.end);
                state.message = Some(super::app::Message::Error(match lang {
                    Lang::Zh => e.zh(),
                    Lang::En => e.to_string(),
                }));
                return vec![];
            }
            b.form = Some(Form::Confirm(Confirm::CloseNotice {
                id: n.id,
                candidates: n.candidates.len(),
                end: n.end.to_string(),
            }));
            vec![]
        }
        Action::Export => {
            export_form(
                b,
                lang,
                ExportWhat::Notice,
                vec![Format::Html, Format::Md, Format::Csv, Format::Xlsx],
            );
            vec![]
        }
        _ => vec![],
    }
}

fn open_register(b: &mut Board, screen: Screen) -> Vec<Effect> {
    b.screen = screen;
    b.cursor = 0;
    vec![Effect::LoadRegisters]
}

/// The objections the register shows under its filter.
pub fn visible_objections(b: &Board) -> Vec<&ObjectionRow> {
    b.objections
        .iter()
        .filter(|o| b.objection_filter.is_none_or(|s| o.state == s))
        .collect()
}

/// Rows of the register on screen.
pub fn register_len(b: &Board) -> usize {
    match b.screen {
        Screen::Objections => visible_objections(b).len(),
        Screen::Certificates => b.certificates.len(),
        Screen::Allowance => b.allowance.as_ref().map_or(0, |r| r.rows.len()),
        _ => 0,
    }
}

/// Keys of the objection register, the certificate register and the allowance roll.
pub fn register_update(state: &mut State, action: Action) -> Vec<Effect> {
    if let Some(fx) = super::app::help_or_quit(state, action) {
        return fx;
    }
    let lang = state.lang;
    let today = state.today();
    let Some(b) = state.board.as_mut() else {
        return vec![];
    };
    let n = register_len(b);
    match action {
        Action::Down => b.cursor = (b.cursor + 1).min(n.saturating_sub(1)),
        Action::Up => b.cursor = b.cursor.saturating_sub(1),
        Action::Top => b.cursor = 0,
        Action::Bottom => b.cursor = n.saturating_sub(1),
        Action::Back => {
            b.screen = Screen::List;
            b.revealed_contact = None;
            return vec![Effect::Reload];
        }
        Action::Reveal if b.screen == Screen::Objections => {
            let Some(o) = visible_objections(b).get(b.cursor).map(|o| (*o).clone()) else {
                say(state, "没有选中的异议", "No objection selected");
                return vec![];
            };
            if o.contact_masked.is_empty() {
                say(
                    state,
                    "该异议未留联系方式",
                    "This objection left no contact",
                );
                return vec![];
            }
            return vec![Effect::RevealContact(o.id)];
        }
        Action::NextPane => {
            b.revealed_contact = None;
            let next = if b.screen == Screen::Objections {
                Screen::Certificates
            } else {
                Screen::Objections
            };
            return open_register(b, next);
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
            let i = ORDER
                .iter()
                .position(|s| *s == b.objection_filter)
                .unwrap_or(0);
            b.objection_filter = ORDER[(i + 1) % ORDER.len()];
            b.cursor = 0;
        }
        Action::Verify
        | Action::Uphold
        | Action::Dismiss
        | Action::WithdrawObjection
        | Action::Decide => {
            let Some(o) = visible_objections(b).get(b.cursor).map(|o| (*o).clone()) else {
                say(state, "没有选中的异议", "No objection selected");
                return vec![];
            };
            let title = |zh: &str, en: &str| format!("{} · {}", lang.pick(zh, en), o.candidate);
            match action {
                Action::Verify => {
                    return vec![Effect::ObjectionStep {
                        id: o.id,
                        step: Step::Verify,
                    }]
                }
                Action::Uphold | Action::Dismiss => {
                    let uphold = action == Action::Uphold;
                    let me = b.member.clone();
                    form(
                        b,
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
                                lang.pick("核查情况（必填，Enter 换行）", "Findings (required)"),
                                true,
                            ),
                            Field::line(lang.pick("核查人", "Verified by"), &me, true),
                        ],
                    );
                }
                Action::WithdrawObjection => {
                    b.form = Some(Form::Reason {
                        app: o.id,
                        name: o.candidate.clone(),
                        what: ReasonFor::WithdrawObjection,
                        text: TextInput::default(),
                    });
                }
                _ => {
                    if o.state != ObjectionState::Upheld {
                        say(
                            state,
                            "只有属实的异议需要作出决定",
                            "Only an upheld objection needs a decision",
                        );
                        return vec![];
                    }
                    // Lower grades the candidate does not hold already.
                    let held = b
                        .rows
                        .iter()
                        .find(|r| r.id == o.app_id)
                        .and_then(|r| r.current);
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
                    form(
                        b,
                        title("对属实异议作出决定", "Decide on the upheld objection"),
                        Purpose::Decide {
                            objection: o.id,
                            options,
                        },
                        vec![
                            Field::choice(lang.pick("决定（←→ 选择）", "Decision (← →)"), names, 0),
                            Field::line(lang.pick("理由（必填）", "Reason (required)"), "", true),
                        ],
                    );
                }
            }
        }
        Action::Inspection | Action::JobChange => {
            let Some(c) = b.certificates.get(b.cursor).cloned() else {
                say(state, "没有选中的证书", "No certificate selected");
                return vec![];
            };
            if b.screen != Screen::Certificates {
                return vec![];
            }
            if action == Action::Inspection {
                let last_year = chrono::Datelike::year(&today) - 1;
                form(
                    b,
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
                );
            } else {
                form(
                    b,
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
                            lang.pick("是否离开党务岗位（←→）", "Left party-affairs work (← →)"),
                            vec![
                                lang.pick("否", "no").to_string(),
                                lang.pick("是", "yes").to_string(),
                            ],
                            0,
                        ),
                    ],
                );
            }
        }
        Action::Allowance => {
            b.screen = if b.screen == Screen::Allowance {
                Screen::Certificates
            } else {
                Screen::Allowance
            };
            b.cursor = 0;
            return vec![Effect::LoadRegisters];
        }
        Action::NextTab | Action::PrevTab if b.screen == Screen::Allowance => {
            b.allowance_year += if action == Action::NextTab { 1 } else { -1 };
            b.cursor = 0;
            return vec![Effect::LoadRegisters];
        }
        Action::Export => {
            let what = match b.screen {
                Screen::Objections => ExportWhat::Objections,
                Screen::Allowance => ExportWhat::Allowance(b.allowance_year),
                _ => ExportWhat::Certificates,
            };
            export_form(b, lang, what, vec![Format::Xlsx, Format::Csv]);
        }
        _ => {}
    }
    vec![]
}
