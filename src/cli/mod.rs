//! The command line: argument parsing and the non-interactive subcommands.
//!
//! Everything a command prints goes through [`outln!`] and [`out!`], which return the
//! write's error, so a closed pipe (`pingshen summary | head -1`) ends the command
//! quietly at the top instead of panicking; notes on standard error go through
//! [`note!`], which never fails.

/// `writeln!` to standard output, returning the `io::Result`.
macro_rules! outln {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        writeln!(std::io::stdout().lock(), $($arg)*)
    }};
}

/// `write!` to standard output, returning the `io::Result`.
macro_rules! out {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        write!(std::io::stdout().lock(), $($arg)*)
    }};
}

/// `eprintln!` that never panics: a closed standard error loses the note, nothing else.
macro_rules! note {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stderr().lock(), $($arg)*);
    }};
}

mod backup;
pub mod config;
pub mod export;
mod keys;
mod search;
pub mod ssh;

use crate::domain::rules::Rules;
use crate::i18n::Lang;
use crate::service::check::CheckReport;
use crate::service::export::ExportKind;
use crate::service::files::{self, Format};
use crate::service::forms::FormKind;
use crate::service::registers::RegisterKind;
use crate::service::{Kind, Service};
use crate::store::Store;
use crate::text::escape_controls;
use crate::text::pad;
use anyhow::{anyhow, bail, Context, Result};
use clap::builder::{PossibleValue, StringValueParser, TypedValueParser};
use clap::{Args, CommandFactory, Parser, Subcommand};
use std::path::{Path, PathBuf};

const EXAMPLES: &str = "\
Examples 示例:
  pingshen demo                                   open a fresh demo 打开演示
  pingshen init --db 南京.sqlite3                 create an empty database 新建数据库
  pingshen --db 南京.sqlite3 --user 1             open the app as member #1 以评委身份打开
  pingshen import persons 人员.xlsx --user 7      import the persons 导入人员
  pingshen search 张伟 grade:senior               find a person 查找人员
  pingshen completions bash > ~/.local/share/bash-completion/completions/pingshen

Settings 设置: --db, PINGSHEN_DB, or `database` in <config folder>/pingshen/config.toml
(PINGSHEN_CONFIG names another file); flags win over the environment, the
environment over the file.
Exit codes 退出码: 0 done; 1 an error; 2 a usage error; search: 0 found, 1 nothing
found, 2 an error.";

#[derive(Debug, Parser)]
#[command(
    name = "pingshen",
    version,
    about = "评审 — certification review for party-affairs workers (党务工作者资格认证评审)",
    long_about = "评审 — certification review for party-affairs workers (党务工作者资格认证评审).\n\n\
        Without a command, opens the full-screen app on the database (on a pipe, prints its \
        summary instead). The commands below import, export, check and search the same \
        database; those that change anything or show protected data act as a committee \
        member (--user ID and that member's PIN).",
    after_help = EXAMPLES
)]
pub struct Cli {
    /// Database file [env: PINGSHEN_DB; config: database; default: the platform's data
    /// folder, pingshen/pingshen.sqlite3]
    #[arg(long, global = true, value_name = "PATH")]
    pub db: Option<PathBuf>,
    #[command(flatten)]
    pub app: AppArgs,
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// How the full-screen app opens: who logs in, its theme and language.
#[derive(Debug, Clone, Default, Args)]
pub struct AppArgs {
    /// Log in to the app as this committee member (their id; `pingshen summary` lists
    /// them); the PIN is still asked
    #[arg(long, value_name = "ID")]
    pub user: Option<i64>,
    /// Colour theme: dark, light, high-contrast, or a theme in the config folder
    /// [env: PINGSHEN_THEME; config: theme]
    #[arg(long, value_name = "NAME")]
    pub theme: Option<String>,
    /// Interface language: zh or en [env: PINGSHEN_LANG; config: lang; else LC_ALL,
    /// LC_MESSAGES or LANG: en…, C and POSIX give English; default zh]
    #[arg(long, value_name = "LANG")]
    pub lang: Option<String>,
}

/// Who a command acts as: a committee member, by id, who gives their PIN.
#[derive(Debug, Clone, Copy, Default, Args)]
pub struct Member {
    /// Act as this committee member (their id; `pingshen summary` lists them); their
    /// PIN is asked on the terminal, or read with --pin-stdin
    #[arg(long, value_name = "ID")]
    pub user: Option<i64>,
    /// Read the member's PIN from the first line of standard input (for scripts)
    #[arg(long)]
    pub pin_stdin: bool,
}

/// `--user` and `--pin-stdin` on a command that needs no member: accepted, so that
/// scripts giving them to every command keep working, and ignored; not in the help.
#[derive(Debug, Clone, Copy, Default, Args)]
pub struct Unneeded {
    #[arg(long = "user", id = "unneeded_user", value_name = "ID", hide = true)]
    user: Option<i64>,
    #[arg(long = "pin-stdin", id = "unneeded_pin_stdin", hide = true)]
    pin_stdin: bool,
}

/// A name from a list the help and the shell completions show, checked by the command
/// itself (so that its message can say more than clap's).
#[derive(Clone)]
struct OneOf(fn() -> Vec<&'static str>);

impl TypedValueParser for OneOf {
    type Value = String;

    fn parse_ref(
        &self,
        cmd: &clap::Command,
        arg: Option<&clap::Arg>,
        value: &std::ffi::OsStr,
    ) -> Result<String, clap::Error> {
        StringValueParser::new().parse_ref(cmd, arg, value)
    }

    fn possible_values(&self) -> Option<Box<dyn Iterator<Item = PossibleValue> + '_>> {
        Some(Box::new((self.0)().into_iter().map(PossibleValue::new)))
    }
}

/// The kinds of import file.
fn import_kinds() -> Vec<&'static str> {
    Kind::ALL.iter().map(|k| k.code()).collect()
}

/// The kinds of export: tables, printed forms, the notice and the registers.
fn export_kinds() -> Vec<&'static str> {
    ExportKind::ALL
        .iter()
        .map(|k| k.code())
        .chain(FormKind::ALL.iter().map(|k| k.code()))
        .chain(RegisterKind::ALL.iter().map(|k| k.code()))
        .chain([crate::service::minutes::KIND])
        .chain(Kind::ALL.map(crate::service::export::import_shaped_code))
        .collect()
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Create a fresh demo database from the built-in fixtures and open it
    #[command(
        after_help = "Examples:\n  pingshen demo\n  pingshen demo --today 2026-11-26 --lang en\n  \
        pingshen demo --db 演示.sqlite3 --user 1\n\n\
        Without --db the demo is <data folder>/pingshen/demo.sqlite3 (PINGSHEN_DB and the \
        config file name the working database, not the demo). It replaces an earlier demo \
        and refuses to replace anything else."
    )]
    Demo {
        /// The day the demo's story is told for (YYYY-MM-DD; default today): its
        /// notice runs on that day, and the app opens on it
        #[arg(long, value_name = "DATE", value_parser = parse_day)]
        today: Option<chrono::NaiveDate>,
        #[command(flatten)]
        app: AppArgs,
    },
    /// Create a database (empty, or the demo city with --demo) without opening it
    #[command(after_help = "Examples:\n  pingshen init --db 南京.sqlite3\n  \
        pingshen init --db 演示.sqlite3 --demo --today 2026-11-26\n  \
        pingshen init --db 南京.sqlite3 --force\n\n\
        The file is --db, else PINGSHEN_DB, else `database` in the config file.")]
    Init {
        /// Fill it with the demo city
        #[arg(long)]
        demo: bool,
        /// With --demo: the day its story is told for (YYYY-MM-DD; default today)
        #[arg(long, value_name = "DATE", value_parser = parse_day, requires = "demo")]
        today: Option<chrono::NaiveDate>,
        /// Replace an existing file
        #[arg(long)]
        force: bool,
    },
    /// Certification cycles: create one, list them
    #[command(subcommand)]
    Cycle(CycleCommand),
    /// Validate a rules file and print its problems with their key paths
    #[command(after_help = "Example:\n  pingshen rules 2026评审规则.toml")]
    Rules {
        /// The rules file (TOML; see the README's \"The rules file\")
        #[arg(value_name = "FILE")]
        file: PathBuf,
    },
    /// Import a file (.csv UTF-8 or GBK, .xlsx, .json), all or nothing
    #[command(
        after_help = "Examples:\n  pingshen import organisations 组织.csv --user 7\n  \
        pingshen import persons 人员.xlsx --user 7\n  \
        echo 1007 | pingshen import education 学历.csv --user 7 --pin-stdin\n\n\
        Import order: organisations, persons, their file sections (education, work_history, \
        training, assessments, pay, rewards), committee, then declarations once a cycle \
        exists. `pingshen columns KIND` lists a kind's columns."
    )]
    Import {
        /// What the file holds
        #[arg(value_name = "KIND", value_parser = OneOf(import_kinds))]
        kind: String,
        /// The file to import: .csv (UTF-8 or GBK), .xlsx (first sheet) or .json
        #[arg(value_name = "FILE")]
        file: PathBuf,
        #[command(flatten)]
        member: Member,
    },
    /// Export tables, the printed forms, the notice and the registers
    #[command(
        long_about = "Export persons, applications, scores or audit as CSV, JSON or .xlsx; the \
            printed forms of the overall evaluation: a member's score sheet (sheet), the \
            candidates' summary sheets (summary) or the ranking, as CSV or .xlsx; the \
            published notice (notice) as CSV, .xlsx, Markdown or HTML; the certificate \
            register (certificates), the objection register (objections) or the allowance \
            roll of a year (allowance), as CSV or .xlsx; the minutes of a review meeting \
            (minutes: the chair or the secretary) as a web page to print, .docx or .xlsx.\n\n\
            Only the masked persons export and the published notice need no member.",
        after_help = "Examples:\n  pingshen export persons > 人员.csv\n  \
            pingshen export scores --format xlsx --out 评分.xlsx --user 1\n  \
            pingshen export sheet --member 陈静怡 --user 2\n  \
            pingshen export notice --format html --out 公示.html\n  \
            pingshen export minutes --format docx --out 会议纪要.docx --user 7\n  \
            pingshen export allowance --year 2025 --format xlsx --out 津贴.xlsx --user 1"
    )]
    Export {
        /// What to export
        #[arg(value_name = "KIND", value_parser = OneOf(export_kinds))]
        kind: String,
        /// The file format (default csv; md: the notice only; html: the notice and the
        /// minutes; docx: the minutes only, which default to html)
        #[arg(long, value_enum, value_name = "FORMAT")]
        format: Option<Format>,
        /// Output file (standard output when absent or `-`; xlsx and docx need FILE or `-`)
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
        /// With persons: show full ID numbers and phone numbers (chair or secretary;
        /// audited)
        #[arg(long)]
        reveal_ids: bool,
        /// With `sheet`: the committee member, by name or id (default: the member acting)
        #[arg(long, value_name = "NAME_OR_ID")]
        member: Option<String>,
        /// With `summary`: only this application's sheet
        #[arg(long, value_name = "ID")]
        app: Option<i64>,
        /// With `notice`: this notice (default: the open cycle's newest)
        #[arg(long, value_name = "ID")]
        notice: Option<i64>,
        /// With `allowance`: the year of the roll
        #[arg(long, value_name = "YEAR")]
        year: Option<i32>,
        /// With `minutes`: this review meeting (default: the open cycle's latest)
        #[arg(long, value_name = "ID")]
        meeting: Option<i64>,
        #[command(flatten)]
        acting: Member,
    },
    /// Check the database: integrity, foreign keys and the audit hash chain
    #[command(
        long_about = "Check the database: integrity, foreign keys and the audit hash chain; \
            prints the log's anchor (last row and hash) to write down, and checks anchors \
            written down before. Exits 1 on any fault.",
        after_help = "Examples:\n  pingshen check\n  pingshen check --anchor 1234:9f86d081884c7d65"
    )]
    Check {
        /// An anchor printed by an earlier check (`ROW:HASH`, the hash at least 12
        /// hex digits): fails if that row was removed or any row up to it changed
        #[arg(long, value_name = "ROW:HASH")]
        anchor: Vec<crate::store::audit::Anchor>,
        #[command(flatten)]
        unneeded: Unneeded,
    },
    /// Take a consistent copy of the whole database, even while others write, and check it
    #[command(
        long_about = "Take a consistent copy of the whole database into FILE, even while \
            others are writing (SQLite's online backup), and check it as `pingshen check` \
            does; an existing FILE is refused without --force. The chair or the secretary, \
            with --user and the PIN.",
        after_help = "Example:\n  pingshen backup 评审备份-2026-12-06.sqlite3 --user 7"
    )]
    Backup {
        /// The copy to write
        #[arg(value_name = "FILE")]
        file: PathBuf,
        /// Replace an existing FILE
        #[arg(long)]
        force: bool,
        #[command(flatten)]
        member: Member,
    },
    /// Put a backup back onto the database once it passes every check
    #[command(
        long_about = "Put the backup FILE back onto the database once it passes every check \
            of `pingshen check`, and only while nobody is writing; the database as it was \
            is kept as NAME.before-restore. The chair or the secretary, with --user and \
            the PIN.",
        after_help = "Example:\n  pingshen restore 评审备份-2026-12-06.sqlite3 --user 7"
    )]
    Restore {
        /// The backup to put back
        #[arg(value_name = "FILE")]
        file: PathBuf,
        #[command(flatten)]
        member: Member,
    },
    /// Write a deterministic synthetic city of any size (for benchmarks)
    #[command(
        after_help = "Examples:\n  pingshen gen --persons 5000 --seed 7 --db 大城市.sqlite3\n  \
        pingshen gen --persons 200 --csv 合成数据/"
    )]
    Gen {
        /// How many persons the city has
        #[arg(long, default_value_t = 1000, value_name = "N")]
        persons: usize,
        /// The seed: the same seed and size give the same city
        #[arg(long, default_value_t = 1, value_name = "SEED")]
        seed: u64,
        /// Write the tables as CSV files into this folder instead of a database
        #[arg(long, value_name = "DIR")]
        csv: Option<PathBuf>,
    },
    /// Search persons as the app does; exits 0 on a match, 1 on none, 2 on an error
    #[command(
        long_about = "Search persons by name, organisation, position, county or township, or \
            the last digits of the ID number — in Hanzi, pinyin or initials — with filters \
            such as grade:senior, stage:review, county:玄武, cat:secretary, cert:yes.\n\n\
            Exits 0 when something matched, 1 when nothing did, 2 on an error (as grep).",
        after_help = "Examples:\n  pingshen search 张伟\n  pingshen search zhang w\n  \
            pingshen search zw grade:senior county:玄武 --json"
    )]
    Search {
        /// The most matches to print
        #[arg(long, default_value_t = 20, value_name = "N")]
        limit: usize,
        /// Print a JSON array instead of one line per match
        #[arg(long)]
        json: bool,
        /// The query; several words make one query (`pingshen search zhang w`)
        #[arg(required = true, num_args = 1.., value_name = "QUERY")]
        query: Vec<String>,
        #[command(flatten)]
        unneeded: Unneeded,
    },
    /// Print a summary of the database, with the committee members' ids
    #[command(after_help = "Example:\n  pingshen summary --db 南京.sqlite3")]
    Summary {
        #[command(flatten)]
        unneeded: Unneeded,
    },
    /// List the columns of import files (all kinds, or one), as Markdown
    #[command(after_help = "Examples:\n  pingshen columns\n  pingshen columns persons")]
    Columns {
        /// Only this kind's columns
        #[arg(value_name = "KIND", value_parser = OneOf(import_kinds))]
        kind: Option<String>,
    },
    /// Committee members: the SSH keys they log in with
    #[command(subcommand)]
    Member(MemberCommand),
    /// For sshd: the authorized_keys line of the key a client presents, or the whole file
    #[command(
        long_about = "For sshd: with -t and -k (sshd's AuthorizedKeysCommand with %t %k), prints \
            the authorized_keys line of the key presented when it is an active member's, and \
            exits 1 printing nothing for any other key; with --write FILE, writes the whole \
            authorized_keys file (atomically, mode 0600). Each line forces `pingshen --db DB \
            ssh-session --member ID` with `restrict,pty`: the member gets pingshen, never a \
            shell, and no forwarding of ports, agents or X11.",
        after_help = "Examples:\n  \
            pingshen keys --db /srv/pingshen/评审.sqlite3 -t ssh-ed25519 -k AAAAC3NzaC1lZDI1NTE5AAAA…\n  \
            pingshen keys --db /srv/pingshen/评审.sqlite3 --write /home/pingshen/.ssh/authorized_keys\n\n\
            In sshd_config: AuthorizedKeysCommand /usr/local/bin/pingshen keys --db DB -t %t -k %k\n\
            (see the README's Deployment).",
        group(clap::ArgGroup::new("mode").required(true).args(["key_type", "write"]))
    )]
    Keys {
        /// The type of the key presented (sshd's %t)
        #[arg(short = 't', long = "type", value_name = "TYPE", requires = "key")]
        key_type: Option<String>,
        /// The key presented, in base64 (sshd's %k)
        #[arg(
            short = 'k',
            long = "key",
            value_name = "BASE64",
            requires = "key_type"
        )]
        key: Option<String>,
        /// Write the whole authorized_keys file instead
        #[arg(long, value_name = "FILE", conflicts_with_all = ["key_type", "key"])]
        write: Option<PathBuf>,
        #[command(flatten)]
        unneeded: Unneeded,
    },
    /// The command sshd forces for a member's key: the app, or a command that only reads
    #[command(
        hide = true,
        long_about = "The command sshd forces for a member's key (written by `pingshen keys`). \
            Without SSH_ORIGINAL_COMMAND it opens the app as that member, who gives their PIN; \
            with one, it runs it as that member if it is export (to standard output), search, \
            summary, columns, cycle list, --help or --version, and refuses anything else. \
            The PIN of such a command is asked on the terminal (ssh -t) or read from the first \
            line of standard input.",
        after_help = "Example (as sshd runs it):\n  \
            pingshen ssh-session --member 2 --db /srv/pingshen/评审.sqlite3"
    )]
    SshSession {
        /// The committee member the key belongs to
        #[arg(long, value_name = "ID")]
        member: i64,
    },
    /// Print the shell completion script for bash, zsh, fish or PowerShell
    #[command(after_help = "Examples:\n  \
        pingshen completions bash > ~/.local/share/bash-completion/completions/pingshen\n  \
        pingshen completions zsh > ~/.zfunc/_pingshen\n  \
        pingshen completions fish > ~/.config/fish/completions/pingshen.fish")]
    Completions {
        /// The shell
        #[arg(value_name = "SHELL")]
        shell: clap_complete::Shell,
    },
    /// Print the manual page (roff)
    #[command(after_help = "Examples:\n  pingshen man | man -l -\n  \
        pingshen man > ~/.local/share/man/man1/pingshen.1")]
    Man,
}

#[derive(Debug, Subcommand)]
pub enum MemberCommand {
    /// The SSH public keys members log in with: add, remove, list
    #[command(subcommand)]
    Key(KeyCommand),
}

#[derive(Debug, Subcommand)]
pub enum KeyCommand {
    /// Record a member's SSH public key (chair or secretary; audited)
    #[command(
        long_about = "Record a member's SSH public key: one OpenSSH key line (ssh-ed25519, \
            ecdsa-sha2-*, ssh-rsa of 2048 bits or more, sk-* security keys), as in the \
            member's .pub file, without options before the type. A key belongs to one member \
            only. The chair or the secretary, with --user and the PIN; audited. Then \
            `pingshen keys --write` (or sshd's AuthorizedKeysCommand) lets the member in.",
        after_help = "Examples:\n  pingshen member key add 陈静怡 陈静怡.pub --user 7\n  \
            pingshen member key add 2 - --user 7 < id_ed25519.pub\n\n\
            With --pin-stdin and FILE `-`, the PIN is the first line of standard input and \
            the key follows."
    )]
    Add {
        /// The member, by name or id
        #[arg(value_name = "MEMBER")]
        member: String,
        /// The public key file (`-`: standard input)
        #[arg(value_name = "FILE")]
        file: PathBuf,
        #[command(flatten)]
        acting: Member,
    },
    /// Remove a member's key, by its fingerprint or id (chair or secretary; audited)
    #[command(after_help = "Examples:\n  \
        pingshen member key remove SHA256:47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU --user 7\n  \
        pingshen member key remove 3 --user 7")]
    Remove {
        /// The key's fingerprint (SHA256:…, as `ssh-keygen -lf KEY` prints it) or id
        #[arg(value_name = "FINGERPRINT_OR_ID")]
        key: String,
        #[command(flatten)]
        acting: Member,
    },
    /// List the members' keys: member, type, fingerprint, added, comment (chair or secretary)
    #[command(after_help = "Examples:\n  pingshen member key list --user 7\n  \
        pingshen member key list 陈静怡 --user 1")]
    List {
        /// Only this member's keys (by name or id)
        #[arg(value_name = "MEMBER")]
        member: Option<String>,
        #[command(flatten)]
        acting: Member,
    },
}

#[derive(Debug, Subcommand)]
pub enum CycleCommand {
    /// Create a cycle governed by a rules file (the rules are stored with it)
    #[command(
        after_help = "Example:\n  pingshen cycle new --rules 2026评审规则.toml --year 2026 --user 1"
    )]
    New {
        /// The rules file (TOML), checked as `pingshen rules` does
        #[arg(long, value_name = "FILE")]
        rules: PathBuf,
        /// The cycle's year
        #[arg(long, value_name = "YEAR")]
        year: i32,
        /// Reference date for eligibility (YYYY-MM-DD; default YEAR-09-01)
        #[arg(long, value_name = "DATE")]
        date: Option<String>,
        #[command(flatten)]
        member: Member,
    },
    /// List the cycles
    #[command(after_help = "Example:\n  pingshen cycle list")]
    List {
        #[command(flatten)]
        unneeded: Unneeded,
    },
}

impl Cli {
    /// The exit code of a failure: 2 for `search` (as grep), 1 for every other command.
    pub fn failure_code(&self) -> u8 {
        match self.command {
            Some(Command::Search { .. }) => 2,
            _ => 1,
        }
    }
}

/// What a command came to, for the program's exit code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// Done: exit 0.
    Done,
    /// A search that found nothing: exit 1.
    NoMatch,
    /// The full-screen app to open.
    Open(OpenApp),
}

/// Whether an error is a closed pipe: the reader wanted no more, nothing went wrong.
pub fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(|c| {
        c.downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    })
}

/// The default database path.
pub fn default_db() -> PathBuf {
    dirs::data_dir()
        .unwrap_or_else(|| PathBuf::from("."))
        .join("pingshen")
        .join("pingshen.sqlite3")
}

fn default_demo_db() -> PathBuf {
    dirs::data_dir()
        .unwrap_or_else(|| PathBuf::from("."))
        .join("pingshen")
        .join("demo.sqlite3")
}

/// Who a command acts as: a committee member, by id, who gives their PIN.
#[derive(Debug, Clone, Copy)]
struct Who {
    user: Option<i64>,
    pin_stdin: bool,
    /// Ask for a PIN read from standard input on standard error (over SSH).
    prompt: bool,
}

/// Opens an existing database as a committee member: `--user ID` and that member's
/// PIN (asked on the terminal without echo, or read from standard input with
/// `--pin-stdin`). From then on the service's rules for that member's role apply, and
/// the audit log names them; a wrong PIN counts towards the lockout as in the app.
fn open_as(path: &Path, who: Who, what: &str) -> Result<Service> {
    let svc = open(path, what)?;
    let members = crate::service::members::list(svc.store())?;
    if members.is_empty() {
        // A database being set up has no committee yet, and nothing to protect: its
        // operator imports the organisations, persons and the committee itself.
        return Ok(svc);
    }
    let Some(id) = who.user else {
        bail!(
            "{what} acts as a committee member: give --user ID and that member's PIN (`pingshen summary` lists the members' ids)"
        );
    };
    let name = members
        .into_iter()
        .find(|m| m.id == id)
        .map(|m| m.name)
        .ok_or_else(|| anyhow!("--user {id}: no such committee member"))?;
    let pin = read_pin(who, &format!("{name} (#{id})"))?;
    let clock = svc.clock();
    Service::login(svc.into_store(), clock, id, &pin).map_err(|e| {
        let (_, e) = *e;
        match e {
            crate::service::ServiceError::Locked(until) => {
                anyhow!("{name} (#{id}): too many wrong PINs, locked until {until}")
            }
            other => anyhow!("{name} (#{id}): {other}"),
        }
    })
}

/// A PIN: the first line of standard input with `--pin-stdin` (asked for on standard
/// error over SSH), else asked for on the terminal without echo.
fn read_pin(asked: Who, who: &str) -> Result<String> {
    use std::io::{BufRead, IsTerminal};
    let pin = if asked.pin_stdin {
        if asked.prompt {
            use std::io::Write as _;
            let mut err = std::io::stderr().lock();
            let _ = write!(err, "PIN 口令 {who}: ");
            let _ = err.flush();
        }
        let mut line = String::new();
        std::io::stdin()
            .lock()
            .read_line(&mut line)
            .context("--pin-stdin: cannot read standard input")?;
        if asked.prompt {
            note!("");
        }
        line
    } else {
        if !std::io::stdin().is_terminal() {
            bail!("{who}: no terminal to ask for the PIN on; use --pin-stdin to give it on standard input");
        }
        rpassword::prompt_password(format!("PIN 口令 {who}: "))
            .context("cannot read the PIN from the terminal")?
    };
    let pin = pin.trim_end_matches(['\r', '\n']).to_string();
    if pin.is_empty() {
        bail!("{who}: no PIN given");
    }
    Ok(pin)
}

/// Opens an existing database; a missing file is an error, not a new empty database.
fn open(path: &Path, what: &str) -> Result<Service> {
    must_exist(path)?;
    let store = Store::open(path)?;
    Ok(Service::system(store, what))
}

/// Refuses a database file that does not exist: opening the store would create it, and
/// only `init` and `demo` create a database.
fn must_exist(path: &Path) -> Result<()> {
    if !path.exists() {
        bail!(
            "{}: no such database; `pingshen init --db {}` creates an empty one, `pingshen demo` a demo (another database: --db PATH, {} or `database` in the configuration file)",
            path.display(),
            path.display(),
            config::DB_VAR
        );
    }
    Ok(())
}

/// What the command line leaves to the program's top: opening the full-screen app on a
/// database, as this member, in this theme and language.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpenApp {
    pub db: PathBuf,
    pub user: Option<i64>,
    /// The login offers `user` alone (over SSH: the member the key belongs to).
    pub only: bool,
    pub theme: Option<String>,
    pub lang: crate::i18n::Lang,
    /// The user's key bindings: the configuration's `keymap`, else `keymap.toml` in
    /// the configuration folder when it is there.
    pub keymap: Option<PathBuf>,
}

/// The settings a command runs with, each from the first of: its flag, its environment
/// variable, the configuration file, the default.
struct Settings {
    /// The database given (flag, `PINGSHEN_DB` or the file's `database`), if any.
    db: Option<PathBuf>,
    /// The database given on the command line, if any.
    db_flag: Option<PathBuf>,
    config: config::Config,
    /// Over SSH: the member the key belongs to, whom every command acts as.
    remote: Option<i64>,
}

impl Settings {
    fn new(db_flag: Option<PathBuf>, config: config::Config) -> Settings {
        let db = db_flag
            .clone()
            .or_else(|| config::var(config::DB_VAR).map(PathBuf::from))
            .or_else(|| config.database.clone());
        Settings {
            db,
            db_flag,
            config,
            remote: None,
        }
    }

    /// The database, or the default one.
    fn db_or_default(&self) -> PathBuf {
        self.db.clone().unwrap_or_else(default_db)
    }

    /// How the app looks and who logs in.
    fn ui(&self, app: &AppArgs) -> Result<Ui> {
        let theme = app
            .theme
            .clone()
            .or_else(|| config::var(config::THEME_VAR))
            .or_else(|| self.config.theme.clone());
        let keymap = self.config.keymap.clone().or_else(|| {
            config::default_path()
                .map(|p| p.with_file_name("keymap.toml"))
                .filter(|p| p.exists())
        });
        Ok(Ui {
            user: app.user,
            only: false,
            theme,
            lang: self.lang(app.lang.as_deref())?,
            keymap,
        })
    }

    /// The interface language: the flag, `PINGSHEN_LANG`, the file's `lang`, the
    /// locale.
    fn lang(&self, flag: Option<&str>) -> Result<Lang> {
        Ok(match (flag, config::var(config::LANG_VAR)) {
            (Some(l), _) => Lang::parse(l)
                .ok_or_else(|| anyhow!("--lang {l}: unknown language (use zh or en)"))?,
            (None, Some(l)) => Lang::parse(&l).ok_or_else(|| {
                anyhow!("{}={l}: unknown language (use zh or en)", config::LANG_VAR)
            })?,
            // The file's language was checked when it was read.
            (None, None) => match self.config.lang.as_deref().and_then(Lang::parse) {
                Some(l) => l,
                None => Lang::from_env(),
            },
        })
    }
}

/// The flags of the app given before a command they mean nothing to.
fn refuse_app_flags(app: &AppArgs, command: &str) -> Result<()> {
    let given: Vec<&str> = [
        (app.user.is_some(), "--user"),
        (app.theme.is_some(), "--theme"),
        (app.lang.is_some(), "--lang"),
    ]
    .into_iter()
    .filter_map(|(given, flag)| given.then_some(flag))
    .collect();
    if !given.is_empty() {
        bail!(
            "{} before `{command}`: these go with the app (`pingshen` or `pingshen demo`){}",
            given.join(", "),
            if app.user.is_some() {
                "; a command acting as a member takes --user after its name"
            } else {
                ""
            }
        );
    }
    Ok(())
}

/// Runs a parsed command line. Returns the app to open, when the command opens it in a
/// terminal (`pingshen`, `pingshen demo`), or what the command came to.
pub fn run(cli: Cli) -> Result<Outcome> {
    run_in(cli, None)
}

/// Runs a command line; over SSH (`remote`: the member the key belongs to) every
/// command acts as that member.
fn run_in(cli: Cli, remote: Option<i64>) -> Result<Outcome> {
    let Cli { db, app, command } = cli;
    // What needs no database needs no settings either: a broken configuration file
    // must not stand in the way of the completions or the manual.
    match &command {
        Some(Command::Completions { shell }) => {
            let mut script = Vec::new();
            clap_complete::generate(*shell, &mut Cli::command(), "pingshen", &mut script);
            std::io::Write::write_all(&mut std::io::stdout().lock(), &script)?;
            return Ok(Outcome::Done);
        }
        Some(Command::Man) => {
            let mut page = Vec::new();
            clap_mangen::Man::new(Cli::command()).render(&mut page)?;
            std::io::Write::write_all(&mut std::io::stdout().lock(), &page)?;
            return Ok(Outcome::Done);
        }
        _ => {}
    }
    let settings = Settings {
        remote,
        ..Settings::new(db, config::load()?)
    };
    match command {
        None => open_app(&settings.db_or_default(), &settings.ui(&app)?),
        Some(Command::Demo { today, app: own }) => {
            let app = AppArgs {
                user: own.user.or(app.user),
                theme: own.theme.or(app.theme),
                lang: own.lang.or(app.lang),
            };
            let ui = settings.ui(&app)?;
            let path = settings.db_flag.clone().unwrap_or_else(default_demo_db);
            // It replaces an earlier demo, and nothing else.
            if path.exists() && !crate::service::demo::is_demo_file(&path) {
                bail!(
                    "{}: not a demo database; `pingshen demo` replaces only an earlier demo (choose another --db, or remove the file yourself)",
                    path.display()
                );
            }
            create_demo(&path, true, today)?;
            open_app(&path, &ui)
        }
        Some(command) => {
            // `pingshen --user 7 import …` means `pingshen import … --user 7`; the
            // app's other flags mean nothing to a command.
            let acts = matches!(
                command,
                Command::Import { .. }
                    | Command::Export { .. }
                    | Command::Backup { .. }
                    | Command::Restore { .. }
                    | Command::Cycle(CycleCommand::New { .. })
                    | Command::Member(_)
            );
            if let Command::SshSession { member } = command {
                refuse_app_flags(&app, "ssh-session")?;
                let ui = settings.ui(&AppArgs::default())?;
                return ssh::run(&settings, member, ui);
            }
            let unused = AppArgs {
                user: app.user.filter(|_| !acts),
                ..app.clone()
            };
            refuse_app_flags(&unused, command_name(&command))?;
            run_command(command, &settings, app.user)
        }
    }
}

/// A command's name, for messages.
fn command_name(command: &Command) -> &'static str {
    match command {
        Command::Demo { .. } => "demo",
        Command::Init { .. } => "init",
        Command::Cycle(CycleCommand::New { .. }) => "cycle new",
        Command::Cycle(CycleCommand::List { .. }) => "cycle list",
        Command::Rules { .. } => "rules",
        Command::Import { .. } => "import",
        Command::Export { .. } => "export",
        Command::Check { .. } => "check",
        Command::Backup { .. } => "backup",
        Command::Restore { .. } => "restore",
        Command::Gen { .. } => "gen",
        Command::Search { .. } => "search",
        Command::Summary { .. } => "summary",
        Command::Columns { .. } => "columns",
        Command::Completions { .. } => "completions",
        Command::Man => "man",
        Command::Member(MemberCommand::Key(KeyCommand::Add { .. })) => "member key add",
        Command::Member(MemberCommand::Key(KeyCommand::Remove { .. })) => "member key remove",
        Command::Member(MemberCommand::Key(KeyCommand::List { .. })) => "member key list",
        Command::Keys { .. } => "keys",
        Command::SshSession { .. } => "ssh-session",
    }
}

/// Runs a command that does not open the app; `user` is a `--user` given before it.
fn run_command(command: Command, settings: &Settings, user: Option<i64>) -> Result<Outcome> {
    let db = settings.db.clone();
    let db_or_default = || settings.db_or_default();
    let who = |m: Member| match settings.remote {
        // Over SSH: the member the key belongs to, their PIN asked on the terminal
        // (`ssh -t`) or read from the first line of standard input.
        Some(id) => Who {
            user: Some(id),
            pin_stdin: m.pin_stdin || !std::io::IsTerminal::is_terminal(&std::io::stdin()),
            prompt: true,
        },
        None => Who {
            user: m.user.or(user),
            pin_stdin: m.pin_stdin,
            prompt: false,
        },
    };
    let ran = match command {
        Command::Demo { .. }
        | Command::Completions { .. }
        | Command::Man
        | Command::SshSession { .. } => {
            unreachable!("run() handles them")
        }
        Command::Member(MemberCommand::Key(k)) => match k {
            KeyCommand::Add {
                member,
                file,
                acting,
            } => keys::add(&db_or_default(), who(acting), &member, &file),
            KeyCommand::Remove { key, acting } => keys::remove(&db_or_default(), who(acting), &key),
            KeyCommand::List { member, acting } => {
                keys::list(&db_or_default(), who(acting), member.as_deref())
            }
        },
        Command::Keys {
            key_type,
            key,
            write,
            ..
        } => match (write, key_type, key) {
            (Some(file), _, _) => keys::write(&db_or_default(), &file),
            (None, Some(t), Some(k)) => {
                if !keys::lookup(&db_or_default(), &t, &k)? {
                    return Ok(Outcome::NoMatch);
                }
                Ok(())
            }
            _ => unreachable!("clap requires --write, or -t with -k"),
        },
        Command::Summary { .. } => summary(&open(&db_or_default(), "cli")?),
        Command::Search {
            limit, json, query, ..
        } => {
            let found = search::run(
                &open(&db_or_default(), "cli")?,
                &query.join(" "),
                limit,
                json,
            )?;
            if !found {
                return Ok(Outcome::NoMatch);
            }
            Ok(())
        }
        Command::Init { demo, force, today } => {
            let path = db.clone().ok_or_else(|| {
                anyhow!(
                    "init needs --db FILE (or {}, or `database` in the configuration file)",
                    config::DB_VAR
                )
            })?;
            if demo {
                create_demo(&path, force, today)?;
            } else {
                if path.exists() && !force {
                    bail!(
                        "{}: already exists (use --force to replace it)",
                        path.display()
                    );
                }
                remove_db(&path)?;
                Store::open(&path)?;
            }
            outln!("created {}", path.display())?;
            Ok(())
        }
        Command::Cycle(CycleCommand::New {
            rules,
            year,
            date,
            member,
        }) => {
            let text = std::fs::read_to_string(&rules)
                .with_context(|| format!("{}: cannot read", rules.display()))?;
            let date = match date {
                Some(d) => {
                    crate::domain::ids::parse_date(&d).map_err(|e| anyhow!("--date: {e}"))?
                }
                None => chrono::NaiveDate::from_ymd_opt(year, 9, 1)
                    .ok_or_else(|| anyhow!("--year {year} is not a year"))?,
            };
            let mut svc = open_as(&db_or_default(), who(member), "cycle new")?;
            let id = svc
                .create_cycle(&text, year, date)
                .map_err(|e| anyhow!("{}: {e}", rules.display()))?;
            outln!("created cycle #{id} ({year}, eligibility date {date})")?;
            Ok(())
        }
        Command::Cycle(CycleCommand::List { .. }) => {
            let svc = open(&db_or_default(), "cli")?;
            for c in crate::service::cycle::list(svc.store())? {
                outln!(
                    "#{}  {}  {}  {}  {}",
                    c.id,
                    c.year,
                    c.name,
                    c.cycle_date,
                    c.status
                )?;
            }
            Ok(())
        }
        Command::Rules { file } => {
            let text = std::fs::read_to_string(&file)
                .with_context(|| format!("{}: cannot read", file.display()))?;
            match Rules::from_toml(&text) {
                Ok(r) => {
                    outln!(
                        "{}: valid — {} ({} grades, {} criteria, total {}, notice {} working days, calendar years: {})",
                        file.display(),
                        r.city.name,
                        r.grades.len(),
                        r.criteria.len(),
                        r.total_max(),
                        r.notice.working_days,
                        r.calendar.keys().cloned().collect::<Vec<_>>().join(", ")
                    )?;
                    Ok(())
                }
                Err(problems) => {
                    let lines: Vec<String> = problems
                        .iter()
                        .map(|p| format!("{}: {p}", file.display()))
                        .collect();
                    bail!("{}\n{} problem(s)", lines.join("\n"), problems.len())
                }
            }
        }
        Command::Import { kind, file, member } => {
            let k = parse_kind(&kind)?;
            let table = files::read_table(&file)?;
            let mut svc = open_as(&db_or_default(), who(member), "import")?;
            let report = svc.import(k, &table)?;
            outln!(
                "imported {} {} row(s) from {}",
                report.rows,
                k.code(),
                file.display()
            )?;
            Ok(())
        }
        Command::Export {
            kind,
            format,
            out,
            reveal_ids,
            member,
            app,
            notice,
            year,
            meeting,
            acting,
        } => {
            // `--out -`, or no --out over SSH: standard output, for a binary file too.
            let dash = out.as_deref() == Some(Path::new("-"));
            let out = out.filter(|_| !dash);
            let binary_to_stdout = |format: Format| -> Result<()> {
                if !dash && settings.remote.is_none() {
                    bail!(
                        "a .{} export needs --out FILE (or --out - for standard output)",
                        format.ext()
                    );
                }
                if std::io::IsTerminal::is_terminal(&std::io::stdout()) {
                    bail!("a .{} file is not for a terminal: send standard output to a file (`> 评分表.{}`) or give --out FILE", format.ext(), format.ext());
                }
                Ok(())
            };
            if kind == crate::service::minutes::KIND {
                if reveal_ids
                    || member.is_some()
                    || app.is_some()
                    || notice.is_some()
                    || year.is_some()
                {
                    bail!(
                        "--reveal-ids, --member, --app, --notice and --year go with other exports"
                    );
                }
                let format = format.unwrap_or(Format::Html);
                crate::service::minutes::require_minutes_format(format)?;
                if format != Format::Html && out.is_none() {
                    binary_to_stdout(format)?;
                }
                // The interface's language, as the app's without its flag.
                let lang = settings.lang(None)?;
                let svc = open_as(&db_or_default(), who(acting), "export minutes")?;
                return export::minutes(&svc, meeting, lang, format, out.as_deref())
                    .map(|()| Outcome::Done);
            }
            if meeting.is_some() {
                bail!("--meeting goes with `export minutes`");
            }
            let format = format.unwrap_or(Format::Csv);
            if format == Format::Xlsx && out.is_none() {
                binary_to_stdout(format)?;
            }
            if let Some(k) = crate::service::export::import_shaped(&kind) {
                // A file in the import's columns, to import back (README: Files both ways).
                if member.is_some() || app.is_some() || notice.is_some() || year.is_some() {
                    bail!("--member, --app, --notice and --year go with other exports");
                }
                let svc = open_as(&db_or_default(), who(acting), &format!("export {kind}"))?;
                export::import_shaped(svc, k, format, out.as_deref(), reveal_ids)
            } else {
                let register = RegisterKind::parse(&kind);
                match (ExportKind::parse(&kind), FormKind::parse(&kind), register) {
                    (None, None, None) => bail!(
                        "unknown export kind '{kind}' (one of: {})",
                        export_kinds().join(", ")
                    ),
                    _ if register.is_none() && (notice.is_some() || year.is_some()) => {
                        bail!("--notice goes with `export notice`, --year with `export allowance`")
                    }
                    (_, _, Some(r)) => {
                        if reveal_ids || member.is_some() || app.is_some() {
                            bail!("--reveal-ids, --member and --app go with other exports");
                        }
                        // The published notice is public; the registers are not.
                        let svc = if r == RegisterKind::Notice {
                            open(&db_or_default(), "cli export")?
                        } else {
                            open_as(&db_or_default(), who(acting), &format!("export {kind}"))?
                        };
                        export::register(&svc, r, notice, year, format, out.as_deref())
                    }
                    (Some(k), _, _) => {
                        if member.is_some() || app.is_some() {
                            bail!("--member and --app go with the sheet and summary exports");
                        }
                        // Only the masked persons export is open to whoever can read the file.
                        let svc = if k == ExportKind::Persons && !reveal_ids {
                            open(&db_or_default(), "cli export")?
                        } else {
                            open_as(&db_or_default(), who(acting), &format!("export {kind}"))?
                        };
                        export_table(svc, k, format, out.as_deref(), reveal_ids)
                    }
                    (None, Some(form), None) => {
                        if reveal_ids {
                            bail!("--reveal-ids goes with the persons export");
                        }
                        let svc =
                            open_as(&db_or_default(), who(acting), &format!("export {kind}"))?;
                        export::forms(&svc, form, member.as_deref(), app, format, out.as_deref())
                    }
                }
            }
        }
        Command::Backup {
            file,
            force,
            member,
        } => backup::backup(&db_or_default(), who(member), &file, force),
        Command::Restore { file, member } => backup::restore(&db_or_default(), who(member), &file),
        Command::Columns { kind } => {
            let kinds = match kind {
                None => Kind::ALL.to_vec(),
                Some(k) => vec![parse_kind(&k)?],
            };
            out!("{}", columns_markdown(&kinds))?;
            Ok(())
        }
        Command::Check { anchor, .. } => {
            let path = db_or_default();
            let report = open(&path, "cli check")?.check(&anchor)?;
            print_check(&path, &report)?;
            if !report.ok() {
                bail!("{}: the check found faults", path.display());
            }
            Ok(())
        }
        Command::Gen { persons, seed, csv } => {
            if persons == 0 {
                bail!("--persons must be at least 1");
            }
            let year = 2026;
            let city = crate::service::demo::gen::generate(persons, seed, year);
            if let Some(dir) = csv {
                std::fs::create_dir_all(&dir)
                    .with_context(|| format!("{}: cannot create", dir.display()))?;
                for (kind, t) in crate::service::demo::city_tables(&city) {
                    export::write_table(
                        t,
                        Format::Csv,
                        Some(&dir.join(format!("{}.csv", kind.code()))),
                    )?;
                }
                outln!("wrote {persons} persons as CSV into {}", dir.display())?;
                return Ok(Outcome::Done);
            }
            let path = db
                .clone()
                .ok_or_else(|| anyhow!("gen needs --db FILE (or --csv DIR)"))?;
            if path.exists() {
                bail!(
                    "{}: already exists; gen writes a new database",
                    path.display()
                );
            }
            build_fresh(&path, "gen", |svc| {
                crate::service::demo::load_city(svc, &city)
            })?;
            outln!(
                "wrote {persons} persons (seed {seed}) to {}",
                path.display()
            )?;
            Ok(())
        }
    };
    ran?;
    Ok(Outcome::Done)
}

/// Exports a table of persons, applications, scores or the audit log.
fn export_table(
    mut svc: Service,
    kind: ExportKind,
    format: Format,
    out: Option<&Path>,
    reveal_ids: bool,
) -> Result<()> {
    let table = svc.export(kind, reveal_ids)?;
    if kind == ExportKind::Scores {
        if let Some(note) = export::withheld_note(svc.scores_withheld()?) {
            note!("{note}");
        }
    }
    export::write_table(&table, format, out)?;
    if let Some(out) = out {
        note!(
            "wrote {} {} row(s) to {}",
            table.len(),
            kind.code(),
            out.display()
        );
    }
    Ok(())
}

/// How the app looks and who logs in.
struct Ui {
    user: Option<i64>,
    /// The login offers `user` alone.
    only: bool,
    theme: Option<String>,
    lang: crate::i18n::Lang,
    keymap: Option<PathBuf>,
}

/// The full-screen app to open when run in a terminal; prints the summary otherwise
/// (pipes, scripts). The database must exist: only `init` and `demo` create one.
fn open_app(path: &Path, ui: &Ui) -> Result<Outcome> {
    use std::io::IsTerminal;
    must_exist(path)?;
    if std::io::stdout().is_terminal() && std::io::stdin().is_terminal() {
        return Ok(Outcome::Open(OpenApp {
            db: path.to_path_buf(),
            user: ui.user,
            only: ui.only,
            theme: ui.theme.clone(),
            lang: ui.lang,
            keymap: ui.keymap.clone(),
        }));
    }
    outln!(
        "pingshen: {} (not a terminal: printing a summary instead of opening the app)",
        path.display()
    )?;
    summary(&open(path, "cli")?)?;
    Ok(Outcome::Done)
}

/// Removes a database file and its WAL companions.
fn remove_db(path: &Path) -> Result<()> {
    for suffix in ["", "-wal", "-shm"] {
        let p = PathBuf::from(format!("{}{suffix}", path.display()));
        if p.exists() {
            std::fs::remove_file(&p).with_context(|| format!("{}: cannot remove", p.display()))?;
        }
    }
    Ok(())
}

fn create_demo(path: &Path, replace: bool, today: Option<chrono::NaiveDate>) -> Result<()> {
    if path.exists() && !replace {
        bail!(
            "{}: already exists (use --force to replace it)",
            path.display()
        );
    }
    // SQLite keeps a WAL database's `-shm` file while any connection has it open, and
    // removes it when the last one closes. Replacing the demo under a running app would
    // leave that app saving into the file replaced, shown as saved, lost to the new demo.
    let shm = PathBuf::from(format!("{}-shm", path.display()));
    if path.exists() && shm.exists() {
        bail!(
            "{}: the demo is open in another pingshen (its -shm file is there); close it \
             first, or build another demo with --db FILE (if no pingshen has it open, the \
             last one was killed: delete {} and try again)",
            path.display(),
            shm.display()
        );
    }
    build_fresh(path, "demo", |svc| {
        let today = today.unwrap_or_else(|| svc.today());
        crate::service::demo::build(svc, today)
    })
}

/// A day given on the command line (`--today`): a calendar date between 2000 and
/// 2099, the years the demo's story can be told in.
fn parse_day(text: &str) -> Result<chrono::NaiveDate, String> {
    let day = crate::domain::ids::parse_date(text).map_err(|e| e.to_string())?;
    if !(2000..=2099).contains(&chrono::Datelike::year(&day)) {
        return Err(format!("{day} is not between 2000-01-01 and 2099-12-31"));
    }
    Ok(day)
}

/// Builds a database in a temporary file next to `path`, then moves it into place, so
/// a failed or interrupted build never leaves a half-made database behind.
fn build_fresh(
    path: &Path,
    actor: &str,
    fill: impl FnOnce(&mut Service) -> crate::service::Result<()>,
) -> Result<()> {
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir).with_context(|| format!("{}: cannot create", dir.display()))?;
    let name = path
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or("pingshen");
    let tmp = dir.join(format!(".{name}.building"));
    remove_db(&tmp)?;
    let built = (|| -> Result<()> {
        let mut svc = Service::system(Store::open(&tmp)?, actor);
        fill(&mut svc)?;
        svc.store().leave_wal()?;
        Ok(())
    })();
    if let Err(e) = built {
        remove_db(&tmp)?;
        return Err(e);
    }
    remove_db(path)?;
    std::fs::rename(&tmp, path).with_context(|| {
        format!(
            "{}: cannot move the new database into place",
            path.display()
        )
    })?;
    Ok(())
}

fn print_check(path: &Path, r: &CheckReport) -> Result<()> {
    outln!("{}", path.display())?;
    let status = |v: &Vec<String>| {
        if v.is_empty() {
            "ok".to_string()
        } else {
            format!("{} fault(s)", v.len())
        }
    };
    outln!("  integrity_check     {}", status(&r.integrity))?;
    outln!("  foreign_key_check   {}", status(&r.foreign_keys))?;
    outln!(
        "  audit chain         {} row(s), {}",
        r.audit_rows,
        status(&r.audit_faults)
    )?;
    outln!(
        "  committee data      {} (every row of the committee's tables as the log recorded it)",
        status(&r.data_faults)
    )?;
    for a in &r.anchors_held {
        outln!("  anchor {a:<13} held: that row and every row before it are unchanged")?;
    }
    if let Some(head) = &r.audit_head {
        // The first 16 hex digits are plenty to write down; the check takes 12 to 64.
        outln!(
            "  anchor              {}:{}   (note it in the minutes; later: pingshen check --anchor {}:{})",
            head.id,
            &head.hash[..16.min(head.hash.len())],
            head.id,
            &head.hash[..16.min(head.hash.len())]
        )?;
    }
    for line in r
        .integrity
        .iter()
        .chain(&r.foreign_keys)
        .chain(&r.audit_faults)
        .chain(&r.data_faults)
    {
        outln!("    {}", escape_controls(line))?;
    }
    Ok(())
}

/// What opening the app shows until the screens land.
fn summary(svc: &Service) -> Result<()> {
    let path = svc
        .store()
        .path()
        .map(|p| p.display().to_string())
        .unwrap_or_default();
    outln!("pingshen 评审 — {path}")?;
    let counts = crate::service::summary(svc.store())?;
    outln!(
        "  组织 organisations {}   人员 persons {}   评委 committee {}",
        counts.organisations,
        counts.persons,
        counts.members
    )?;
    match svc.open_cycle() {
        Err(_) => outln!("  no open certification cycle (create one: pingshen cycle new --rules FILE --year YEAR)")?,
        Ok(cycle) => {
            outln!("  {} (#{}, eligibility date {})", escape_controls(&cycle.name), cycle.id, cycle.cycle_date)?;
            for c in crate::service::summary::stage_counts(svc.store(), cycle.id)? {
                outln!(
                    "  {}. {} {} {:>4}   (stopped here: {})",
                    c.stage.number(),
                    pad(c.stage.zh(), 10),
                    pad(c.stage.en(), 20),
                    c.here,
                    c.stopped
                )?;
            }
            if let Ok(n) = svc.latest_notice() {
                let (zh, en) = if n.closed {
                    ("已结束".to_string(), "closed".to_string())
                } else if n.ended {
                    ("已满，待结束公示".to_string(), "over, to close".to_string())
                } else {
                    (
                        format!("剩 {} 个工作日", n.days_left),
                        format!("{} working day(s) left", n.days_left),
                    )
                };
                outln!(
                    "  公示期 notice: {} 至 {}，{zh} ({en}); today 今天 {}",
                    n.start,
                    n.end,
                    svc.today()
                )?;
                if let Some((zh, en)) =
                    crate::domain::workdays::uncovered_warning(&n.uncovered_years)
                {
                    outln!("  ⚠ {zh} ({en})")?;
                }
            }
        }
    }
    let members: Vec<String> = crate::service::members::list(svc.store())?
        .into_iter()
        .map(|m| format!("#{} {}（{}）", m.id, escape_controls(&m.name), m.role.zh()))
        .collect();
    if !members.is_empty() {
        outln!("  committee 评委 (--user ID): {}", members.join("  "))?;
    }
    if crate::service::demo::is_demo(svc.store()) {
        let pins: Vec<String> = crate::service::demo::demo_pins()
            .into_iter()
            .map(|(name, role, pin)| format!("{name}（{role}）{pin}"))
            .collect();
        outln!("  demo PINs 演示口令: {}", pins.join("  "))?;
    }
    Ok(())
}

fn parse_kind(kind: &str) -> Result<Kind> {
    Kind::parse(kind).ok_or_else(|| {
        let all: Vec<&str> = Kind::ALL.iter().map(|k| k.code()).collect();
        anyhow!("unknown import kind '{kind}' (one of: {})", all.join(", "))
    })
}

/// The columns of import files as Markdown tables (the README's file formats).
pub fn columns_markdown(kinds: &[Kind]) -> String {
    let mut out = String::new();
    for k in kinds {
        out.push_str(&format!(
            "#### `{}`\n\n| column | Chinese header | required | meaning |\n|---|---|---|---|\n",
            k.code()
        ));
        for c in k.columns() {
            out.push_str(&format!(
                "| `{}` | {} | {} | {} |\n",
                c.key,
                c.zh.join(" / "),
                if c.required { "yes" } else { "" },
                c.doc
            ));
        }
        out.push('\n');
    }
    out
}
