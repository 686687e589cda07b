//! Stage 6 in the app: starting and closing the public notice, recording objections
//! and taking them through verification, the chair's decisions, the certificate
//! register with inspections and job changes, and the allowance roll.

use super::app::{say, Confirm, Effect, Form, Screen, State};
use super::effect::ExportWhat;
use super::fields::{Field, Purpose};
use super::keymap::{Action, Keymap};
use crate::domain::notice::Channel;
use crate::i18n::Lang;
use crate::service::files::Format;

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
            b.form = Some(Form::fields(
                lang.pick("开始结果公示", "Start the public notice")
                    .to_string(),
                Purpose::StartNotice,
                vec![Field::line(
                    lang.pick("公示开始日期", "First day of the notice"),
                    &today.to_string(),
                    true,
                )],
            ));
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
            b.form = Some(Form::fields(
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
            ));
            vec![]
        }
        Action::Objections => b
            .registers
            .open(&mut super::app::ctx!(state, b), Screen::Objections),
        Action::Certificates => b
            .registers
            .open(&mut super::app::ctx!(state, b), Screen::Certificates),
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
            b.form = Some(Form::export(
                lang,
                ExportWhat::Notice,
                vec![Format::Html, Format::Md, Format::Csv, Format::Xlsx],
            ));
            vec![]
        }
        _ => vec![],
    }
}
