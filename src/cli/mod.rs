//! The command line: argument parsing and the non-interactive subcommands.

mod backup;
pub mod export;
mod search;

use crate::domain::rules::Rules;
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
use clap::{Parser, Subcommand};
use std::path::{Path, PathBuf};

#[derive(Debug, Parser)]
#[command(
    name = "pingshen",
    version,
    about = "评审 — certification review for party-affairs workers (党务工作者资格认证评审)"
)]
pub struct Cli {
    /// Database file (default: the platform's data directory, pingshen/pingshen.sqlite3).
    #[arg(long, global = true, value_name = "PATH")]
    pub db: Option<PathBuf>,
    /// Log in as this committee member (their id); the PIN is still asked.
    #[arg(long, global = true, value_name = "ID")]
    pub user: Option<i64>,
    /// Read the member's PIN from the first line of standard input (for scripts)
    /// instead of asking for it on the terminal.
    #[arg(long, global = true)]
    pub pin_stdin: bool,
    /// Colour theme: dark, light, high-contrast, or a theme in the config folder.
    #[arg(long, global = true, value_name = "NAME")]
    pub theme: Option<String>,
    /// Interface language: zh (default) or en; without it LANG is respected.
    #[arg(long, global = true, value_name = "LANG")]
    pub lang: Option<String>,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Create a fresh demo database from the built-in fixtures and open it.
    Demo {
        /// The day the demo's story is told for (YYYY-MM-DD; default today): its
        /// notice runs on that day, and the app opens on it.
        #[arg(long, value_name = "DATE", value_parser = parse_day)]
        today: Option<chrono::NaiveDate>,
    },
    /// Create a database (empty, or the demo city with --demo) without opening it.
    Init {
        /// Fill it with the demo city.
        #[arg(long)]
        demo: bool,
        /// With --demo: the day its story is told for (YYYY-MM-DD; default today).
        #[arg(long, value_name = "DATE", value_parser = parse_day, requires = "demo")]
        today: Option<chrono::NaiveDate>,
        /// Replace an existing file.
        #[arg(long)]
        force: bool,
    },
    /// Certification cycles.
    #[command(subcommand)]
    Cycle(CycleCommand),
    /// Validate a rules file and print its problems with their key paths.
    Rules {
        /// The rules file (TOML).
        file: PathBuf,
    },
    /// Import a file: organisations, persons, education, work_history, training,
    /// assessments, pay, rewards, declarations or committee (.csv, .xlsx or .json).
    Import { kind: String, file: PathBuf },
    /// Export persons, applications, scores or audit as CSV, JSON or .xlsx; the
    /// printed forms of the overall evaluation: a member's score sheet (sheet), the
    /// candidates' summary sheets (summary) or the ranking, as CSV or .xlsx; the
    /// published notice (notice) as CSV, .xlsx, Markdown or HTML; the certificate
    /// register (certificates), the objection register (objections) or the allowance
    /// roll of a year (allowance), as CSV or .xlsx.
    Export {
        kind: String,
        #[arg(long, value_enum, default_value = "csv")]
        format: Format,
        /// Output file (standard output when absent; required for xlsx).
        #[arg(long)]
        out: Option<PathBuf>,
        /// Show full ID numbers and phone numbers (audited).
        #[arg(long)]
        reveal_ids: bool,
        /// With `sheet`: the committee member, by name or id.
        #[arg(long, value_name = "NAME_OR_ID")]
        member: Option<String>,
        /// With `summary`: only this application's sheet.
        #[arg(long, value_name = "ID")]
        app: Option<i64>,
        /// With `notice`: this notice (default: the open cycle's newest).
        #[arg(long, value_name = "ID")]
        notice: Option<i64>,
        /// With `allowance`: the year of the roll.
        #[arg(long, value_name = "YEAR")]
        year: Option<i32>,
    },
    /// Check the database: integrity, foreign keys and the audit hash chain; prints the
    /// log's anchor (last row and hash) to write down, and checks anchors written
    /// down before.
    Check {
        /// An anchor printed by an earlier check (`ROW:HASH`, the hash at least 12
        /// hex digits): fails if that row was removed or any row up to it changed.
        #[arg(long, value_name = "ROW:HASH")]
        anchor: Vec<crate::store::audit::Anchor>,
    },
    /// Take a consistent copy of the whole database into FILE, even while others are
    /// writing, and check it (the chair or the secretary, with --user and the PIN).
    Backup {
        file: PathBuf,
        /// Replace an existing FILE.
        #[arg(long)]
        force: bool,
    },
    /// Put the backup FILE back onto the database once it passes every check of
    /// `check`, and while nobody is writing; the database as it was is kept as
    /// NAME.before-restore (the chair or the secretary, with --user and the PIN).
    Restore { file: PathBuf },
    /// Write a deterministic synthetic city of any size (for benchmarks).
    Gen {
        #[arg(long, default_value_t = 1000)]
        persons: usize,
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Write the tables as CSV files into this folder instead of a database.
        #[arg(long, value_name = "DIR")]
        csv: Option<PathBuf>,
    },
    /// Search persons by name, organisation, position, county or township, or the last
    /// digits of the ID number — in Hanzi, pinyin or initials — with filters such as
    /// grade:senior, stage:review, county:玄武, cat:secretary, cert:yes.
    Search {
        /// The most matches to print.
        #[arg(long, default_value_t = 20, value_name = "N")]
        limit: usize,
        /// Print a JSON array instead of one line per match.
        #[arg(long)]
        json: bool,
        /// The query; several words make one query (`pingshen search zhang w`).
        #[arg(required = true, num_args = 1.., value_name = "QUERY")]
        query: Vec<String>,
    },
    /// Print a summary of the database.
    Summary,
    /// List the columns of import files (all kinds, or one), as Markdown.
    Columns { kind: Option<String> },
}

#[derive(Debug, Subcommand)]
pub enum CycleCommand {
    /// Create a cycle governed by a rules file (the rules are stored with it).
    New {
        #[arg(long)]
        rules: PathBuf,
        #[arg(long)]
        year: i32,
        /// Reference date for eligibility (default: YEAR-09-01).
        #[arg(long)]
        date: Option<String>,
    },
    /// List the cycles.
    List,
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
    let pin = read_pin(who.pin_stdin, &format!("{name} (#{id})"))?;
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

/// A PIN: the first line of standard input with `--pin-stdin`, else asked for on the
/// terminal without echo.
fn read_pin(from_stdin: bool, who: &str) -> Result<String> {
    use std::io::{BufRead, IsTerminal};
    let pin = if from_stdin {
        let mut line = String::new();
        std::io::stdin()
            .lock()
            .read_line(&mut line)
            .context("--pin-stdin: cannot read standard input")?;
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
    if !path.exists() {
        bail!(
            "{}: no such database (create one with `pingshen init --db FILE` or `pingshen demo`)",
            path.display()
        );
    }
    let store = Store::open(path)?;
    Ok(Service::system(store, what))
}

/// What the command line leaves to the program's top: opening the full-screen app on a
/// database, as this member, in this theme and language.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpenApp {
    pub db: PathBuf,
    pub user: Option<i64>,
    pub theme: Option<String>,
    pub lang: crate::i18n::Lang,
}

/// Runs a parsed command line. Returns the app to open, when the command opens it in a
/// terminal (`pingshen`, `pingshen demo`); every other command is done on return.
pub fn run(cli: Cli) -> Result<Option<OpenApp>> {
    let db = cli.db.clone();
    let ui = Ui {
        user: cli.user,
        theme: cli.theme.clone(),
        lang: match &cli.lang {
            None => crate::i18n::Lang::from_env(),
            Some(l) => crate::i18n::Lang::parse(l)
                .ok_or_else(|| anyhow!("--lang {l}: unknown language (use zh or en)"))?,
        },
    };
    let db_or_default = || db.clone().unwrap_or_else(default_db);
    let who = Who {
        user: cli.user,
        pin_stdin: cli.pin_stdin,
    };
    let ran = match cli.command {
        None => {
            // First run on the default database: create it.
            let path = db_or_default();
            if !path.exists() {
                if db.is_some() {
                    // A mistyped --db must not become a new empty database.
                    open(&path, "cli")?;
                }
                Store::open(&path)?;
            }
            return open_app(&path, &ui);
        }
        Some(Command::Summary) => summary(&open(&db_or_default(), "cli")?),
        Some(Command::Search { limit, json, query }) => search::run(
            &open(&db_or_default(), "cli")?,
            &query.join(" "),
            limit,
            json,
        ),
        Some(Command::Demo { today }) => {
            let path = db.clone().unwrap_or_else(default_demo_db);
            // It replaces an earlier demo, and nothing else.
            if path.exists() && !crate::service::demo::is_demo_file(&path) {
                bail!(
                    "{}: not a demo database; `pingshen demo` replaces only an earlier demo (choose another --db, or remove the file yourself)",
                    path.display()
                );
            }
            create_demo(&path, true, today)?;
            return open_app(&path, &ui);
        }
        Some(Command::Init { demo, force, today }) => {
            let path = db.clone().ok_or_else(|| anyhow!("init needs --db FILE"))?;
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
            println!("created {}", path.display());
            Ok(())
        }
        Some(Command::Cycle(CycleCommand::New { rules, year, date })) => {
            let text = std::fs::read_to_string(&rules)
                .with_context(|| format!("{}: cannot read", rules.display()))?;
            let date = match date {
                Some(d) => {
                    crate::domain::ids::parse_date(&d).map_err(|e| anyhow!("--date: {e}"))?
                }
                None => chrono::NaiveDate::from_ymd_opt(year, 9, 1)
                    .ok_or_else(|| anyhow!("--year {year} is not a year"))?,
            };
            let mut svc = open_as(&db_or_default(), who, "cycle new")?;
            let id = svc
                .create_cycle(&text, year, date)
                .map_err(|e| anyhow!("{}: {e}", rules.display()))?;
            println!("created cycle #{id} ({year}, eligibility date {date})");
            Ok(())
        }
        Some(Command::Cycle(CycleCommand::List)) => {
            let svc = open(&db_or_default(), "cli")?;
            for c in crate::service::cycle::list(svc.store())? {
                println!(
                    "#{}  {}  {}  {}  {}",
                    c.id, c.year, c.name, c.cycle_date, c.status
                );
            }
            Ok(())
        }
        Some(Command::Rules { file }) => {
            let text = std::fs::read_to_string(&file)
                .with_context(|| format!("{}: cannot read", file.display()))?;
            match Rules::from_toml(&text) {
                Ok(r) => {
                    println!(
                        "{}: valid — {} ({} grades, {} criteria, total {}, notice {} working days, calendar years: {})",
                        file.display(),
                        r.city.name,
                        r.grades.len(),
                        r.criteria.len(),
                        r.total_max(),
                        r.notice.working_days,
                        r.calendar.keys().cloned().collect::<Vec<_>>().join(", ")
                    );
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
        Some(Command::Import { kind, file }) => {
            let k = parse_kind(&kind)?;
            let table = files::read_table(&file)?;
            let mut svc = open_as(&db_or_default(), who, "import")?;
            let report = svc.import(k, &table)?;
            println!(
                "imported {} {} row(s) from {}",
                report.rows,
                k.code(),
                file.display()
            );
            Ok(())
        }
        Some(Command::Export {
            kind,
            format,
            out,
            reveal_ids,
            member,
            app,
            notice,
            year,
        }) => {
            if let Some(k) = crate::service::export::import_shaped(&kind) {
                // A file in the import's columns, to import back (README: Files both ways).
                if member.is_some() || app.is_some() || notice.is_some() || year.is_some() {
                    bail!("--member, --app, --notice and --year go with other exports");
                }
                let svc = open_as(&db_or_default(), who, &format!("export {kind}"))?;
                return export::import_shaped(svc, k, format, out.as_deref(), reveal_ids)
                    .map(|()| None);
            }
            let all = || -> Vec<String> {
                ExportKind::ALL
                    .iter()
                    .map(|k| k.code().to_string())
                    .chain(FormKind::ALL.iter().map(|k| k.code().to_string()))
                    .chain(RegisterKind::ALL.iter().map(|k| k.code().to_string()))
                    .chain(Kind::ALL.map(crate::service::export::import_shaped_code))
                    .collect()
            };
            let register = RegisterKind::parse(&kind);
            match (ExportKind::parse(&kind), FormKind::parse(&kind), register) {
                (None, None, None) => bail!(
                    "unknown export kind '{kind}' (one of: {})",
                    all().join(", ")
                ),
                _ if format == Format::Xlsx && out.is_none() => {
                    bail!("an .xlsx export needs --out FILE")
                }
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
                        open_as(&db_or_default(), who, &format!("export {kind}"))?
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
                        open_as(&db_or_default(), who, &format!("export {kind}"))?
                    };
                    export_table(svc, k, format, out.as_deref(), reveal_ids)
                }
                (None, Some(form), None) => {
                    if reveal_ids {
                        bail!("--reveal-ids goes with the persons export");
                    }
                    let svc = open_as(&db_or_default(), who, &format!("export {kind}"))?;
                    export::forms(&svc, form, member.as_deref(), app, format, out.as_deref())
                }
            }
        }
        Some(Command::Columns { kind }) => {
            let kinds = match kind {
                None => Kind::ALL.to_vec(),
                Some(k) => vec![parse_kind(&k)?],
            };
            print!("{}", columns_markdown(&kinds));
            Ok(())
        }
        Some(Command::Check { anchor }) => {
            let path = db_or_default();
            let report = open(&path, "cli check")?.check(&anchor)?;
            print_check(&path, &report);
            if !report.ok() {
                bail!("{}: the check found faults", path.display());
            }
            Ok(())
        }
        Some(Command::Backup { file, force }) => {
            backup::backup(&db_or_default(), who, &file, force)
        }
        Some(Command::Restore { file }) => backup::restore(&db_or_default(), who, &file),
        Some(Command::Gen { persons, seed, csv }) => {
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
                println!("wrote {persons} persons as CSV into {}", dir.display());
                return Ok(None);
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
            println!(
                "wrote {persons} persons (seed {seed}) to {}",
                path.display()
            );
            Ok(())
        }
    };
    ran?;
    Ok(None)
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
            eprintln!("{note}");
        }
    }
    export::write_table(&table, format, out)?;
    if let Some(out) = out {
        eprintln!(
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
    theme: Option<String>,
    lang: crate::i18n::Lang,
}

/// The full-screen app to open when run in a terminal; prints the summary otherwise
/// (pipes, scripts).
fn open_app(path: &Path, ui: &Ui) -> Result<Option<OpenApp>> {
    use std::io::IsTerminal;
    if std::io::stdout().is_terminal() && std::io::stdin().is_terminal() {
        return Ok(Some(OpenApp {
            db: path.to_path_buf(),
            user: ui.user,
            theme: ui.theme.clone(),
            lang: ui.lang,
        }));
    }
    println!(
        "pingshen: {} (not a terminal: printing a summary instead of opening the app)",
        path.display()
    );
    summary(&open(path, "cli")?)?;
    Ok(None)
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

fn print_check(path: &Path, r: &CheckReport) {
    println!("{}", path.display());
    let status = |v: &Vec<String>| {
        if v.is_empty() {
            "ok".to_string()
        } else {
            format!("{} fault(s)", v.len())
        }
    };
    println!("  integrity_check     {}", status(&r.integrity));
    println!("  foreign_key_check   {}", status(&r.foreign_keys));
    println!(
        "  audit chain         {} row(s), {}",
        r.audit_rows,
        status(&r.audit_faults)
    );
    println!(
        "  committee data      {} (every row of the committee's tables as the log recorded it)",
        status(&r.data_faults)
    );
    for a in &r.anchors_held {
        println!("  anchor {a:<13} held: that row and every row before it are unchanged");
    }
    if let Some(head) = &r.audit_head {
        // The first 16 hex digits are plenty to write down; the check takes 12 to 64.
        println!(
            "  anchor              {}:{}   (note it in the minutes; later: pingshen check --anchor {}:{})",
            head.id,
            &head.hash[..16.min(head.hash.len())],
            head.id,
            &head.hash[..16.min(head.hash.len())]
        );
    }
    for line in r
        .integrity
        .iter()
        .chain(&r.foreign_keys)
        .chain(&r.audit_faults)
        .chain(&r.data_faults)
    {
        println!("    {}", escape_controls(line));
    }
}

/// What opening the app shows until the screens land.
fn summary(svc: &Service) -> Result<()> {
    let path = svc
        .store()
        .path()
        .map(|p| p.display().to_string())
        .unwrap_or_default();
    println!("pingshen 评审 — {path}");
    let counts = crate::service::summary(svc.store())?;
    println!(
        "  组织 organisations {}   人员 persons {}   评委 committee {}",
        counts.organisations, counts.persons, counts.members
    );
    match svc.open_cycle() {
        Err(_) => println!("  no open certification cycle (create one: pingshen cycle new --rules FILE --year YEAR)"),
        Ok(cycle) => {
            println!("  {} (#{}, eligibility date {})", escape_controls(&cycle.name), cycle.id, cycle.cycle_date);
            for c in crate::service::summary::stage_counts(svc.store(), cycle.id)? {
                println!(
                    "  {}. {} {} {:>4}   (stopped here: {})",
                    c.stage.number(),
                    pad(c.stage.zh(), 10),
                    pad(c.stage.en(), 20),
                    c.here,
                    c.stopped
                );
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
                println!(
                    "  公示期 notice: {} 至 {}，{zh} ({en}); today 今天 {}",
                    n.start,
                    n.end,
                    svc.today()
                );
                if let Some((zh, en)) =
                    crate::domain::workdays::uncovered_warning(&n.uncovered_years)
                {
                    println!("  ⚠ {zh} ({en})");
                }
            }
        }
    }
    let members: Vec<String> = crate::service::members::list(svc.store())?
        .into_iter()
        .map(|m| format!("#{} {}（{}）", m.id, escape_controls(&m.name), m.role.zh()))
        .collect();
    if !members.is_empty() {
        println!("  committee 评委 (--user ID): {}", members.join("  "));
    }
    if crate::service::demo::is_demo(svc.store()) {
        let pins: Vec<String> = crate::service::demo::demo_pins()
            .into_iter()
            .map(|(name, role, pin)| format!("{name}（{role}）{pin}"))
            .collect();
        println!("  demo PINs 演示口令: {}", pins.join("  "));
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
