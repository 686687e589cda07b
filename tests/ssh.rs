//! Members reach pingshen through OpenSSH, never the file: a real sshd on 127.0.0.1
//! (a temporary host key and configuration, a free high port) lets each member's key
//! in to pingshen alone, as that member. Through `ssh -tt` in a pseudo-terminal a key
//! opens the app as its member after the PIN, and a score entered there reaches the
//! chair's board in another session; without a terminal, a member's permitted export
//! comes on standard output and everything else (a shell, another member's sheet, a
//! file of the server's, another database, forwarding, an unknown or removed key) is
//! refused.
//!
//! Without an sshd (`/usr/sbin/sshd`) the tests say loudly that they were skipped,
//! unless `PINGSHEN_REQUIRE_SSHD` is set (as in CI), when they fail instead.

mod common;

use common::pty::{Term, POLL};
use portable_pty::CommandBuilder;
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

/// How long an SSH session may take to log in, run and end.
const SESSION: Duration = Duration::from_secs(30);
/// How long sshd may take to listen.
const LISTEN: Duration = Duration::from_secs(10);

const ENTER: &str = "\r";

/// Where sshd is, or `None` (and the reason said) when the test cannot run.
fn sshd() -> Option<PathBuf> {
    let found = ["/usr/sbin/sshd", "/usr/local/sbin/sshd", "/sbin/sshd"]
        .into_iter()
        .map(PathBuf::from)
        .find(|p| p.is_file());
    if found.is_none() {
        if std::env::var_os("PINGSHEN_REQUIRE_SSHD").is_some() {
            panic!("PINGSHEN_REQUIRE_SSHD is set and no sshd was found (install openssh-server)");
        }
        eprintln!(
            "\n\n*** SKIPPED: no sshd found (/usr/sbin/sshd): the SSH tests did not run. \
             Install openssh-server, or set PINGSHEN_REQUIRE_SSHD=1 to make this a failure. ***\n"
        );
    }
    found
}

/// The account the tests log in as: the current one (root in CI, where sshd then
/// takes root only with a forced command).
fn account() -> (String, bool) {
    let id = |flag: &str| {
        let out = Command::new("id").arg(flag).output().expect("id runs");
        String::from_utf8_lossy(&out.stdout).trim().to_string()
    };
    (id("-un"), id("-u") == "0")
}

/// A free port on 127.0.0.1 (free a moment ago; sshd is started again on another if
/// it was taken meanwhile).
fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port()
}

/// How sshd lets keys in: the `authorized_keys` file `pingshen keys --write` wrote,
/// or `pingshen keys` asked for each key presented.
#[derive(Clone, Copy, PartialEq)]
enum Keys {
    File,
    Command,
}

/// A demo database with the members' keys recorded, and the keys' files.
struct World {
    dir: tempfile::TempDir,
    db: PathBuf,
    user: String,
    root: bool,
}

impl World {
    fn new() -> World {
        let (dir, db) = common::demo_folder();
        let (user, root) = account();
        let world = World {
            dir,
            db,
            user,
            root,
        };
        // 陈静怡 (#2) and the chair 周明远 (#1) have keys; 刘志强 (#3) had one, removed;
        // a stranger's key was never recorded.
        for name in ["chen", "zhou", "liu", "stranger"] {
            let key = world.key(name);
            let out = Command::new("ssh-keygen")
                .args([
                    "-q",
                    "-t",
                    "ed25519",
                    "-N",
                    "",
                    "-C",
                    &format!("{name}@laptop"),
                ])
                .arg("-f")
                .arg(&key)
                .output()
                .expect("ssh-keygen runs");
            assert!(out.status.success(), "ssh-keygen: {out:?}");
        }
        for (member, name) in [("2", "chen"), ("1", "zhou"), ("3", "liu")] {
            let file = world.public(name);
            let out = world.pingshen(
                &["member", "key", "add", member, file.to_str().unwrap()],
                &["--user", "7", "--pin-stdin"],
                "1007\n",
            );
            assert!(out.status.success(), "{}", text(&out.stderr));
        }
        let liu = fingerprint(&world.public("liu"));
        let out = world.pingshen(
            &["member", "key", "remove", &liu],
            &["--user", "7", "--pin-stdin"],
            "1007\n",
        );
        assert!(out.status.success(), "{}", text(&out.stderr));
        assert!(text(&out.stdout).contains(&liu), "{}", text(&out.stdout));
        let file = world.path("authorized_keys");
        let out = world.pingshen(&["keys", "--write", file.to_str().unwrap()], &[], "");
        assert!(out.status.success(), "{}", text(&out.stderr));
        world
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    fn key(&self, name: &str) -> PathBuf {
        self.path(&format!("{name}_ed25519"))
    }

    fn public(&self, name: &str) -> PathBuf {
        self.path(&format!("{name}_ed25519.pub"))
    }

    /// Runs pingshen on the database here: `args`, `--db`, then `tail`.
    fn pingshen(&self, args: &[&str], tail: &[&str], stdin: &str) -> Output {
        let mut all = args.to_vec();
        all.extend(["--db", self.db.to_str().unwrap()]);
        all.extend(tail);
        common::run_pingshen(self.dir.path(), &all, stdin)
    }

    /// sshd's configuration: 127.0.0.1 only, keys only, no forwarding, a terminal
    /// allowed; the members' keys as `keys` says.
    fn sshd_config(&self, port: u16, keys: Keys) -> String {
        let d = self.dir.path().display();
        let exe = Path::new(env!("CARGO_BIN_EXE_pingshen"))
            .canonicalize()
            .unwrap();
        let keys = match keys {
            Keys::File => format!("AuthorizedKeysFile {d}/authorized_keys\n"),
            Keys::Command => format!(
                "AuthorizedKeysFile none\n\
                 AuthorizedKeysCommand {} keys --db {} -t %t -k %k\n\
                 AuthorizedKeysCommandUser {}\n",
                exe.display(),
                self.db.display(),
                self.user
            ),
        };
        format!(
            "Port {port}\n\
             ListenAddress 127.0.0.1\n\
             HostKey {d}/host_ed25519\n\
             PidFile {d}/sshd.pid\n\
             {keys}\
             StrictModes no\n\
             UsePAM no\n\
             PubkeyAuthentication yes\n\
             PasswordAuthentication no\n\
             KbdInteractiveAuthentication no\n\
             {root}\
             AllowUsers {user}\n\
             DisableForwarding yes\n\
             PermitTTY yes\n\
             LogLevel VERBOSE\n\
             SetEnv LANG=zh_CN.UTF-8 XDG_CONFIG_HOME={d}/config XDG_DATA_HOME={d}/data\n",
            root = if self.root {
                "PermitRootLogin forced-commands-only\n"
            } else {
                ""
            },
            user = self.user,
        )
    }

    /// Starts sshd; it is stopped when what is returned is dropped.
    fn sshd(&self, sshd: &Path, keys: Keys) -> Sshd {
        let host = self.path("host_ed25519");
        if !host.exists() {
            let out = Command::new("ssh-keygen")
                .args(["-q", "-t", "ed25519", "-N", ""])
                .arg("-f")
                .arg(&host)
                .output()
                .expect("ssh-keygen runs");
            assert!(out.status.success(), "ssh-keygen: {out:?}");
        }
        if self.root {
            // sshd running as root wants its privilege separation folder.
            std::fs::create_dir_all("/run/sshd").expect("/run/sshd");
        }
        let mut last = String::new();
        for _ in 0..3 {
            let port = free_port();
            let config = self.path("sshd_config");
            std::fs::write(&config, self.sshd_config(port, keys)).unwrap();
            let log = self.path(&format!("sshd-{port}.log"));
            let child = Command::new(sshd)
                .args(["-D", "-e", "-f"])
                .arg(&config)
                .stdin(Stdio::null())
                .stdout(Stdio::null())
                .stderr(std::fs::File::create(&log).unwrap())
                .spawn()
                .expect("sshd starts");
            let mut running = Sshd { child, port, log };
            if running.listening() {
                return running;
            }
            last = running.log();
        }
        panic!("sshd did not listen; its log:\n{last}");
    }

    /// The options of every ssh client here: this key only, no configuration or known
    /// hosts of the machine's, a bounded wait to connect.
    fn ssh_args(&self, sshd: &Sshd, key: &str) -> Vec<String> {
        let mut args: Vec<String> = [
            "-F",
            "/dev/null",
            "-o",
            "StrictHostKeyChecking=no",
            "-o",
            "UserKnownHostsFile=/dev/null",
            "-o",
            "IdentitiesOnly=yes",
            "-o",
            "LogLevel=ERROR",
            "-o",
            "ConnectTimeout=10",
            "-i",
        ]
        .map(String::from)
        .to_vec();
        args.push(self.key(key).display().to_string());
        args.extend(["-p".to_string(), sshd.port.to_string()]);
        args
    }

    fn at(&self) -> String {
        format!("{}@127.0.0.1", self.user)
    }

    /// `ssh` without a terminal (BatchMode): `command` run with `stdin` given, within
    /// [`SESSION`].
    fn ssh(&self, sshd: &Sshd, key: &str, extra: &[&str], command: &[&str], stdin: &str) -> Output {
        let mut cmd = Command::new("ssh");
        cmd.args(self.ssh_args(sshd, key))
            .args(["-o", "BatchMode=yes"])
            .args(extra)
            // The command's own flags are not the client's options.
            .arg("--")
            .arg(self.at())
            .args(command)
            .env("HOME", self.dir.path());
        bounded(cmd, stdin)
    }

    /// `ssh -tt` in a pseudo-terminal of 120×40: the app, in another session.
    fn ssh_tty(&self, sshd: &Sshd, key: &str) -> Term {
        let mut cmd = CommandBuilder::new("ssh");
        cmd.arg("-tt");
        cmd.args(self.ssh_args(sshd, key));
        cmd.arg(self.at());
        cmd.cwd(self.dir.path());
        cmd.env("HOME", self.dir.path());
        cmd.env("TERM", "xterm-256color");
        let mut term = Term::spawn(cmd, 120, 40);
        term.wait = SESSION;
        term
    }
}

/// A running sshd, stopped when dropped.
struct Sshd {
    child: Child,
    port: u16,
    log: PathBuf,
}

impl Sshd {
    /// Waits until sshd greets a connection on its port, or exits, or [`LISTEN`] ends.
    fn listening(&mut self) -> bool {
        let start = Instant::now();
        while start.elapsed() < LISTEN {
            if let Ok(Some(_)) = self.child.try_wait() {
                return false;
            }
            if let Ok(mut s) = TcpStream::connect(("127.0.0.1", self.port)) {
                let _ = s.set_read_timeout(Some(Duration::from_secs(2)));
                let mut banner = [0u8; 8];
                if s.read_exact(&mut banner).is_ok() && banner.starts_with(b"SSH-") {
                    return true;
                }
            }
            std::thread::sleep(POLL);
        }
        false
    }

    fn log(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }
}

impl Drop for Sshd {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Runs `cmd` with `stdin`, its output read as it comes; killed if it takes longer
/// than [`SESSION`].
fn bounded(mut cmd: Command, stdin: &str) -> Output {
    let mut child = cmd
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the program starts");
    if let Some(mut input) = child.stdin.take() {
        let _ = input.write_all(stdin.as_bytes());
    }
    let drain = |mut r: Box<dyn Read + Send>| {
        std::thread::spawn(move || {
            let mut buf = Vec::new();
            let _ = r.read_to_end(&mut buf);
            buf
        })
    };
    let out = drain(Box::new(child.stdout.take().unwrap()));
    let err = drain(Box::new(child.stderr.take().unwrap()));
    let start = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().expect("the child's status") {
            break status;
        }
        if start.elapsed() > SESSION {
            let _ = child.kill();
            let _ = child.wait();
            panic!("{cmd:?} did not end within {SESSION:?}");
        }
        std::thread::sleep(POLL);
    };
    Output {
        status,
        stdout: out.join().unwrap(),
        stderr: err.join().unwrap(),
    }
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// The fingerprint `ssh-keygen -lf` prints for a key file.
fn fingerprint(public: &Path) -> String {
    let out = Command::new("ssh-keygen")
        .arg("-lf")
        .arg(public)
        .output()
        .expect("ssh-keygen runs");
    text(&out.stdout)
        .split_whitespace()
        .nth(1)
        .expect("a fingerprint")
        .to_string()
}

/// How many logins of the chair (#1) and of 陈静怡 (#2) the audit log holds.
fn logins(db: &Path) -> i64 {
    common::open_db(db)
        .query_row(
            "SELECT count(*) FROM audit WHERE action = 'login' AND actor_id IN (1, 2)",
            [],
            |r| r.get(0),
        )
        .unwrap()
}

/// Waits until the screen passes `ok`, or fails with the screen.
fn wait_until(term: &Term, what: &str, ok: impl Fn(&str) -> bool) {
    let start = Instant::now();
    while !ok(&term.screen()) {
        assert!(
            start.elapsed() < SESSION,
            "{what}; the screen shows:\n{}",
            term.screen()
        );
        std::thread::sleep(POLL);
    }
}

#[test]
fn a_members_key_opens_the_app_as_that_member_and_the_chair_sees_the_score() {
    let Some(sshd_path) = sshd() else { return };
    let world = World::new();
    let sshd = world.sshd(&sshd_path, Keys::File);
    let (app_id, name) = common::unscored_candidate(&world.db, 2);
    let logged_in_before = logins(&world.db);
    let row_of = |screen: &str| -> String {
        screen
            .lines()
            .find(|l| l.contains(name.as_str()))
            .unwrap_or_default()
            .to_string()
    };

    // The chair's key: the login offers the chair alone, the PIN still asked.
    let mut chair = world.ssh_tty(&sshd, "zhou");
    chair.wait_for_all(&["周明远", "口令"]);
    chair.send(&format!("1001{ENTER}"));
    chair.wait_for_all(&["个人申报", "南京市 2026 年度认证"]);
    chair.send("5");
    chair.wait_for("评分进行中");
    chair.send("b");
    chair.wait_for_all(&["评分进度", &name]);
    assert!(row_of(&chair.screen()).contains(" -"), "{}", chair.screen());

    // 陈静怡's key: her PIN, and no other member to choose from instead.
    let mut member = world.ssh_tty(&sshd, "chen");
    member.wait_for_all(&["陈静怡", "口令"]);
    member.esc();
    member.wait_for("选择评委");
    let list = member.screen();
    for (other, role) in [("周明远", "主任委员"), ("吴婷", "秘书"), ("刘志强", "委员")]
    {
        assert!(
            !list.lines().any(|l| l.contains(other) && l.contains(role)),
            "the login over SSH offers {other}:\n{list}"
        );
    }
    member.send(ENTER);
    member.wait_for("口令");
    member.send(&format!("1002{ENTER}"));
    member.wait_for_all(&["个人申报", "南京市 2026 年度认证", "陈静怡"]);
    common::score_by_keys(&mut member, &name);
    // Submitting asks first, naming the candidate.
    member.send(ENTER);
    member.wait_for(&format!("提交评分表 · {name}"));
    member.send("y");
    member.wait_for(&format!("已提交 {name} 的评分表"));

    // The chair's board, in the other session, follows.
    wait_until(&chair, "the chair's board did not show the sheet", |s| {
        row_of(s).contains('✓')
    });
    member.esc();
    member.wait_for("综合评定 · 1 件");
    member.send("q");
    assert!(member.wait_exit(), "the member's session ends cleanly");
    chair.send("q");
    assert!(chair.wait_exit(), "the chair's session ends cleanly");

    let conn = common::open_db(&world.db);
    assert_eq!(common::sheet_status(&conn, app_id, 2), "submitted");
    assert_eq!(
        logins(&world.db),
        logged_in_before + 2,
        "both logins are audited, as their members"
    );
    let log = sshd.log();
    assert!(log.contains("ssh-session --member 2"), "{log}");
}

#[test]
fn over_ssh_a_member_runs_only_what_reads_as_that_member_and_nothing_else() {
    let Some(sshd_path) = sshd() else { return };
    let world = World::new();
    let sshd = world.sshd(&sshd_path, Keys::File);
    let run = |key: &str, command: &[&str], stdin: &str| world.ssh(&sshd, key, &[], command, stdin);

    // Her own score sheet, as .xlsx on standard output: the PIN on the first line.
    let out = run("chen", &["export", "sheet", "--format", "xlsx"], "1002\n");
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(out.stdout.starts_with(b"PK"), "an .xlsx file (a zip)");
    assert!(out.stdout.len() > 1000);
    assert!(
        text(&out.stderr).contains("PIN 口令 陈静怡"),
        "{}",
        text(&out.stderr)
    );
    let out = run("chen", &["export", "sheet"], "1002\n");
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(
        text(&out.stdout).contains("评委：陈静怡"),
        "{}",
        text(&out.stdout)
    );
    // A wrong PIN is a wrong PIN over SSH too.
    let out = run("chen", &["export", "sheet"], "9999\n");
    assert!(!out.status.success());
    assert!(
        text(&out.stderr).contains("wrong PIN"),
        "{}",
        text(&out.stderr)
    );

    // What her role may not export is refused as it is on the server.
    for forbidden in [
        &["export", "sheet", "--member", "周明远"][..],
        &["export", "scores"],
        &["export", "persons", "--reveal-ids"],
    ] {
        let out = run("chen", forbidden, "1002\n");
        assert!(
            !out.status.success(),
            "{forbidden:?}: {}",
            text(&out.stdout)
        );
        assert!(
            text(&out.stderr).contains("not allowed"),
            "{forbidden:?}: {}",
            text(&out.stderr)
        );
        assert!(out.stdout.is_empty(), "{forbidden:?}");
    }

    // No shell, no other command, no file or database of the client's choosing.
    let marker = world.path("written-by-the-client");
    let other_db = world.path("other.sqlite3");
    std::fs::copy(&world.db, &other_db).unwrap();
    for (attack, refusal) in [
        (&["sh", "-c", "id"][..], "不能运行“sh”"),
        (&["bash"], "不能运行“bash”"),
        (&["/bin/sh"], "不能运行“/bin/sh”"),
        (&["id;", "sh"], "不能运行“id;”"),
        (&["import", "committee", "c.csv"], "不能运行“import”"),
        (&["restore", "b.sqlite3"], "不能运行“restore”"),
        (&["init", "--db", "x.sqlite3", "--force"], "不能运行“init”"),
        (&["keys", "--write", "/tmp/x"], "不能运行“keys”"),
        (&["ssh-session", "--member", "1"], "不能运行“ssh-session”"),
        (&["member", "key", "add", "2", "-"], "不能运行“member”"),
        (
            &["cycle", "new", "--rules", "r.toml", "--year", "2027"],
            "不能运行“cycle new”",
        ),
        (&["--db", other_db.to_str().unwrap(), "summary"], "--db"),
        (&["summary", "--db", other_db.to_str().unwrap()], "--db"),
        (
            &["export", "sheet", "--out", marker.to_str().unwrap()],
            "--out",
        ),
        (
            &["export", "sheet", &format!("--out={}", marker.display())],
            "--out",
        ),
        (&["export", "sheet", "--user", "1"], "--user"),
        (&["--user", "1", "export", "sheet"], "--user"),
    ] {
        let out = run("chen", attack, "1002\n");
        let err = text(&out.stderr);
        assert!(
            !out.status.success(),
            "{attack:?} ran: {}",
            text(&out.stdout)
        );
        assert!(err.contains(refusal), "{attack:?}: {err}");
        assert!(err.contains("over SSH"), "{attack:?} in English too: {err}");
        assert!(!text(&out.stdout).contains("uid="), "{attack:?}");
    }
    assert!(!marker.exists(), "no file written where the client said");
    // Whatever the words hold, no shell reads them: `;` and `$(…)` are text.
    let out = run("chen", &["search", "'$(id)'", "';", "id'"], "");
    assert!(!text(&out.stdout).contains("uid="), "{}", text(&out.stdout));
    let out = run("chen", &["export", "sheet;", "id"], "1002\n");
    assert!(!out.status.success());
    assert!(!text(&out.stdout).contains("uid="));

    // What only reads, and needs no member, runs too.
    let out = run("chen", &["summary"], "");
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains(world.db.to_str().unwrap()));
    let out = run("chen", &["search", "zw", "--limit", "3"], "");
    assert!(
        out.status.code().is_some_and(|c| c < 2),
        "{}",
        text(&out.stderr)
    );
    let out = run("chen", &["--version"], "");
    assert!(
        text(&out.stdout).starts_with("pingshen "),
        "{}",
        text(&out.stdout)
    );

    // An unknown key and a removed one are not let in at all.
    for key in ["stranger", "liu"] {
        let out = run(key, &["summary"], "");
        assert_eq!(out.status.code(), Some(255), "{key}: {}", text(&out.stdout));
        assert!(
            text(&out.stderr).contains("Permission denied"),
            "{key}: {}",
            text(&out.stderr)
        );
    }

    // No forwarding: a remote forward is refused outright...
    let out = world.ssh(
        &sshd,
        "chen",
        &["-o", "ExitOnForwardFailure=yes", "-R", "0:127.0.0.1:1"],
        &["summary"],
        "",
    );
    assert!(!out.status.success());
    assert!(
        text(&out.stderr).contains("forwarding failed"),
        "{}",
        text(&out.stderr)
    );
    // ... and a local one carries nothing: sshd refuses each connection through it.
    let local = free_port();
    let mut tunnel = Command::new("ssh");
    tunnel
        .args(world.ssh_args(&sshd, "chen"))
        .args(["-o", "BatchMode=yes", "-N", "-L"])
        .arg(format!("{local}:127.0.0.1:{}", sshd.port))
        .arg(world.at())
        .env("HOME", world.dir.path())
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    let mut tunnel = KillOnDrop(tunnel.spawn().expect("ssh starts"));
    let start = Instant::now();
    let mut through = loop {
        if let Ok(s) = TcpStream::connect(("127.0.0.1", local)) {
            break s;
        }
        assert!(start.elapsed() < SESSION, "the tunnel never listened");
        assert!(tunnel.0.try_wait().unwrap().is_none(), "ssh -L ended");
        std::thread::sleep(POLL);
    };
    through
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    let mut got = Vec::new();
    let _ = through.read_to_end(&mut got);
    assert!(
        !got.starts_with(b"SSH-"),
        "the forward reached sshd: {}",
        text(&got)
    );
    wait_for_log(&sshd, "refused local port forward");
}

/// Kills a child process when dropped.
struct KillOnDrop(Child);

impl Drop for KillOnDrop {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn wait_for_log(sshd: &Sshd, text: &str) {
    let start = Instant::now();
    while !sshd.log().contains(text) {
        assert!(
            start.elapsed() < SESSION,
            "sshd's log never said {text:?}:\n{}",
            sshd.log()
        );
        std::thread::sleep(POLL);
    }
}

/// Why sshd would refuse to run `path` as an AuthorizedKeysCommand: it and every
/// folder above it must be root's and writable by nobody else.
fn unsafe_for_sshd(path: &Path) -> Option<String> {
    use std::os::unix::fs::MetadataExt;
    let path = path.canonicalize().ok()?;
    for p in path.ancestors() {
        let m = std::fs::metadata(p).ok()?;
        if m.uid() != 0 {
            return Some(format!("{} is not owned by root", p.display()));
        }
        if m.mode() & 0o022 != 0 {
            return Some(format!(
                "{} is writable by its group or others",
                p.display()
            ));
        }
    }
    None
}

#[test]
fn sshd_asks_pingshen_keys_for_each_key_presented() {
    let Some(sshd_path) = sshd() else { return };
    let exe = Path::new(env!("CARGO_BIN_EXE_pingshen"));
    let (_, root) = account();
    let why = if !root {
        Some("not running as root, and the command's path must be root's".to_string())
    } else {
        unsafe_for_sshd(exe)
    };
    if let Some(why) = why {
        eprintln!(
            "\n*** SKIPPED the AuthorizedKeysCommand variant: sshd runs such a command only \
             from a root-owned path no one else may write, all the way up: {why} ***\n"
        );
        return;
    }
    let world = World::new();
    let sshd = world.sshd(&sshd_path, Keys::Command);
    let out = world.ssh(&sshd, "chen", &[], &["export", "sheet"], "1002\n");
    assert!(
        out.status.success(),
        "{}\n{}",
        text(&out.stderr),
        sshd.log()
    );
    assert!(text(&out.stdout).contains("评委：陈静怡"));
    let out = world.ssh(&sshd, "chen", &[], &["sh", "-c", "id"], "");
    assert!(!out.status.success());
    assert!(!text(&out.stdout).contains("uid="));
    for key in ["stranger", "liu"] {
        let out = world.ssh(&sshd, key, &[], &["summary"], "");
        assert_eq!(out.status.code(), Some(255), "{key}");
    }
    let log = sshd.log();
    assert!(log.contains("AuthorizedKeysCommand"), "{log}");
}
