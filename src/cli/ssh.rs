//! `pingshen ssh-session --member N`: the command sshd forces for a member's key (see
//! `pingshen keys`). Without a command of the client's it opens the app as that
//! member, who still gives their PIN; with one (`ssh pingshen@server export sheet`)
//! it runs one of a few commands that only read, as that member, under the same rules.
//! The client's command is split into words as a shell would, and never given to a
//! shell; anything else is refused.

use super::{must_exist, Cli, Command, CycleCommand, Outcome, Settings};
use anyhow::{bail, Result};
use clap::Parser;
use std::path::{Path, PathBuf};

/// The variable sshd gives a forced command the client's own command in.
pub const ORIGINAL_COMMAND: &str = "SSH_ORIGINAL_COMMAND";

/// The first words of the commands a member may run over SSH.
const OFFERED: &[&str] = &[
    "export",
    "search",
    "summary",
    "columns",
    "cycle",
    "help",
    "--help",
    "-h",
    "--version",
    "-V",
];

/// Why a session or a client's command was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refused {
    /// The forced command names no database of its own (`--db`).
    NoDatabase,
    /// No active committee member has this id.
    NoMember(i64),
    /// The client's command is not text, or a quote in it is never closed.
    Unreadable,
    /// Not one of the commands offered over SSH (a shell, `import`, …).
    NotOffered { command: String },
    /// A flag the client may not choose: the database, who acts, a file on the server.
    Flag { flag: String },
}

impl Refused {
    pub fn en(&self) -> String {
        match self {
            Refused::NoDatabase => {
                "ssh-session needs --db PATH in the forced command (pingshen keys writes it)".into()
            }
            Refused::NoMember(id) => format!("over SSH: no active committee member #{id}"),
            Refused::Unreadable => {
                "over SSH: the command cannot be read (not text, or a quote never closed)".into()
            }
            Refused::NotOffered { command } => format!(
                "over SSH, '{command}' is not offered: only {} (a shell and every other command are refused)",
                offered_en()
            ),
            Refused::Flag { flag } => format!(
                "over SSH, {flag} is not the client's to choose: you act as the member your key belongs to, on the server's database, and exports come on standard output"
            ),
        }
    }

    pub fn zh(&self) -> String {
        match self {
            Refused::NoDatabase => {
                "强制命令中缺少 --db 数据库路径（由 pingshen keys 写入）".into()
            }
            Refused::NoMember(id) => format!("通过 SSH 登录：没有在任的委员 #{id}"),
            Refused::Unreadable => "通过 SSH 登录：无法读取命令（不是文本，或引号未闭合）".into(),
            Refused::NotOffered { command } => format!(
                "通过 SSH 不能运行“{command}”：只能运行 {}（不提供命令行，其他命令一律拒绝）",
                offered_zh()
            ),
            Refused::Flag { flag } => format!(
                "通过 SSH 不能由客户端指定 {flag}：身份即公钥所属的委员，数据库是服务器上的那一个，导出内容从标准输出送回"
            ),
        }
    }

    /// Both languages, Chinese first: the member's locale is not known here.
    fn both(&self) -> String {
        format!("{}\n{}", self.zh(), self.en())
    }
}

fn offered_en() -> &'static str {
    "export (to standard output), search, summary, columns, cycle list, --help and --version"
}

fn offered_zh() -> &'static str {
    "export（输出到标准输出）、search、summary、columns、cycle list、--help 和 --version"
}

/// What the forced command was given: the database and the member the key belongs to.
pub(super) struct Session {
    pub db: PathBuf,
    pub member: i64,
}

/// Checks the forced command's database and member.
pub(super) fn session(settings: &Settings, member: i64) -> Result<Session> {
    let Some(db) = settings.db_flag.clone() else {
        bail!("{}", Refused::NoDatabase.both());
    };
    must_exist(&db)?;
    let store = crate::store::Store::open(&db)?;
    if !crate::service::members::list(&store)?
        .iter()
        .any(|m| m.id == member)
    {
        bail!("{}", Refused::NoMember(member).both());
    }
    Ok(Session { db, member })
}

/// The client's command (`SSH_ORIGINAL_COMMAND`), if it gave one.
pub(super) fn original_command() -> Result<Option<String>> {
    match std::env::var_os(ORIGINAL_COMMAND) {
        None => Ok(None),
        Some(c) => match c.into_string() {
            Ok(c) if c.trim().is_empty() => Ok(None),
            Ok(c) => Ok(Some(c)),
            Err(_) => bail!("{}", Refused::Unreadable.both()),
        },
    }
}

/// The client's command as a command line to run for the member on `db`, once every
/// word of it is one a member may give over SSH. Help and version are printed here.
pub(super) fn client_command(command: &str, db: &Path) -> Result<Cli> {
    let words = shell_words::split(command)
        .map_err(|_| anyhow::anyhow!("{}", Refused::Unreadable.both()))?;
    let first = words.first().cloned().unwrap_or_default();
    if let Some(flag) = ["--db", "--user"]
        .into_iter()
        .find(|f| first.starts_with(f))
    {
        return Err(flag_refused(flag));
    }
    if !OFFERED.contains(&first.as_str()) {
        bail!("{}", Refused::NotOffered { command: first }.both());
    }
    let cli = match Cli::try_parse_from(std::iter::once("pingshen".to_string()).chain(words)) {
        Ok(cli) => cli,
        Err(e) => {
            use clap::error::ErrorKind;
            match e.kind() {
                // Help and the version as clap prints them.
                ErrorKind::DisplayHelp
                | ErrorKind::DisplayVersion
                | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => e.exit(),
                _ => bail!("{}", e.to_string().trim_start_matches("error: ").trim_end()),
            }
        }
    };
    check(&cli)?;
    Ok(Cli {
        db: Some(db.to_path_buf()),
        ..cli
    })
}

fn flag_refused(flag: &str) -> anyhow::Error {
    let flag = flag.to_string();
    anyhow::anyhow!("{}", Refused::Flag { flag }.both())
}

/// Refuses a parsed command a member may not run over SSH, or a flag they may not give.
fn check(cli: &Cli) -> Result<()> {
    let flag = |flag: &str| -> Result<()> { Err(flag_refused(flag)) };
    if cli.db.is_some() {
        return flag("--db");
    }
    if cli.app.user.is_some() {
        return flag("--user");
    }
    match &cli.command {
        Some(Command::Export { out, acting, .. }) => {
            if out.as_deref().is_some_and(|o| o != Path::new("-")) {
                return flag("--out");
            }
            if acting.user.is_some() {
                return flag("--user");
            }
        }
        Some(Command::Search { unneeded, .. })
        | Some(Command::Summary { unneeded })
        | Some(Command::Cycle(CycleCommand::List { unneeded })) => {
            if unneeded.user.is_some() {
                return flag("--user");
            }
        }
        Some(Command::Columns { .. }) => {}
        Some(other) => bail!(
            "{}",
            Refused::NotOffered {
                command: super::command_name(other).to_string()
            }
            .both()
        ),
        None => bail!(
            "{}",
            Refused::NotOffered {
                command: String::new()
            }
            .both()
        ),
    }
    Ok(())
}

/// What a forced command comes to: the app, locked to the member, or the client's
/// command run for them.
pub(super) fn run(settings: &Settings, member: i64, ui: super::Ui) -> Result<Outcome> {
    let s = session(settings, member)?;
    match original_command()? {
        None => super::open_app(
            &s.db,
            &super::Ui {
                user: Some(s.member),
                only: true,
                ..ui
            },
        ),
        Some(command) => super::run_in(client_command(&command, &s.db)?, Some(s.member)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_refusal_reads_in_both_languages() {
        let all = [
            Refused::NoDatabase,
            Refused::NoMember(3),
            Refused::Unreadable,
            Refused::NotOffered {
                command: "bash".into(),
            },
            Refused::Flag {
                flag: "--out".into(),
            },
        ];
        for r in all {
            let zh = r.zh();
            let latin: String = zh
                .replace("pingshen keys", "")
                .replace("ssh-session", "")
                .replace("--db", "")
                .replace("SSH", "")
                .replace("bash", "")
                .replace("--out", "")
                .replace(offered_zh(), "");
            assert!(
                !latin.chars().any(|c| c.is_ascii_alphabetic()),
                "{r:?}: {zh}"
            );
            assert!(r.en().is_ascii(), "{r:?}");
        }
    }

    #[test]
    fn a_shell_or_any_other_command_is_refused_before_it_is_parsed() {
        let db = Path::new("/srv/pingshen.sqlite3");
        for command in [
            "sh -c id",
            "bash",
            "/bin/sh",
            "import committee c.csv",
            "restore b.sqlite3",
            "init --db x",
            "ssh-session --member 1",
            "keys --write /tmp/x",
            "member key add 1 -",
            "rm -rf /",
            "'export",
        ] {
            assert!(client_command(command, db).is_err(), "{command}");
        }
    }

    #[test]
    fn the_client_chooses_no_database_no_member_and_no_server_file() {
        let db = Path::new("/srv/pingshen.sqlite3");
        for command in [
            "export sheet --out /tmp/x",
            "export sheet --out=/tmp/x",
            "--db /other.sqlite3 export sheet",
            "export sheet --db /other.sqlite3",
            "export sheet --user 1",
            "--user 1 export sheet",
            "search 张伟 --user 1",
            "summary --db=/tmp/x",
            "cycle new --rules r.toml --year 2026",
            "export sheet; sh",
        ] {
            assert!(client_command(command, db).is_err(), "{command}");
        }
        let cli = client_command("export sheet --format xlsx", db).unwrap();
        assert_eq!(cli.db.as_deref(), Some(db));
        let cli = client_command("export 'persons' --out -", db).unwrap();
        assert!(matches!(cli.command, Some(Command::Export { .. })));
        let cli = client_command("search '张伟 $(id)'", db).unwrap();
        match cli.command {
            Some(Command::Search { query, .. }) => assert_eq!(query, ["张伟 $(id)"]),
            other => panic!("{other:?}"),
        }
    }
}
