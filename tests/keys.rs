//! Members' SSH keys: read as OpenSSH writes them, fingerprinted as `ssh-keygen -l`
//! does, held by one member only, managed by the chair or the secretary alone, every
//! change audited and checked; given in the committee import too; and what sshd is
//! told of them through `pingshen keys`.

mod common;

use common::{count, db, demo_as, last_action, login, rows_in};
use pingshen::domain::pubkey::{parse_line, KeyError, KeyType};
use pingshen::domain::{Deed, Role};
use pingshen::service::import::{Kind, RowProblem};
use pingshen::service::keys::Forced;
use pingshen::service::{Missing, Refusal, ServiceError};
use std::path::{Path, PathBuf};
use std::process::Command;

/// A fresh ed25519 key made by ssh-keygen in `dir`: its public line and its
/// fingerprint as `ssh-keygen -lf` prints it.
fn keygen(dir: &Path, name: &str, kind: &str) -> (String, String) {
    let key = dir.join(name);
    let mut args = vec!["-q", "-t", kind, "-N", "", "-C", "chen@laptop"];
    if kind == "rsa" {
        args.extend(["-b", "3072"]);
    }
    let out = Command::new("ssh-keygen")
        .args(&args)
        .arg("-f")
        .arg(&key)
        .output()
        .expect("ssh-keygen runs");
    assert!(out.status.success(), "{out:?}");
    let public = PathBuf::from(format!("{}.pub", key.display()));
    let line = std::fs::read_to_string(&public).unwrap();
    let out = Command::new("ssh-keygen")
        .arg("-lf")
        .arg(&public)
        .output()
        .unwrap();
    let fingerprint = String::from_utf8_lossy(&out.stdout)
        .split_whitespace()
        .nth(1)
        .unwrap()
        .to_string();
    (line, fingerprint)
}

#[test]
fn keys_from_ssh_keygen_read_with_the_fingerprint_it_prints() {
    let dir = tempfile::tempdir().unwrap();
    for (kind, expected) in [
        ("ed25519", KeyType::Ed25519),
        ("ecdsa", KeyType::EcdsaP256),
        ("rsa", KeyType::Rsa),
    ] {
        let (line, fingerprint) = keygen(dir.path(), kind, kind);
        let key = parse_line(&line).unwrap();
        assert_eq!(key.kind, expected, "{line}");
        assert_eq!(key.fingerprint(), fingerprint, "{kind}");
        assert_eq!(key.comment, "chen@laptop");
        assert!(line.contains(&key.base64()));
    }
    // A short RSA key is refused for its length.
    let key = dir.path().join("short");
    let ok = Command::new("ssh-keygen")
        .args(["-q", "-t", "rsa", "-b", "1024", "-N", "", "-f"])
        .arg(&key)
        .status()
        .unwrap()
        .success();
    if ok {
        let line = std::fs::read_to_string(dir.path().join("short.pub")).unwrap();
        assert_eq!(
            parse_line(&line),
            Err(KeyError::RsaTooShort {
                bits: 1024,
                min: 2048
            })
        );
    }
}

#[test]
fn the_chair_or_the_secretary_adds_removes_and_lists_keys_each_audited() {
    let dir = tempfile::tempdir().unwrap();
    let (line, fingerprint) = keygen(dir.path(), "chen", "ed25519");
    let mut svc = login(demo_as(None), "吴婷");
    let chen = svc.find_member("陈静怡").unwrap().id;
    let audits = rows_in(db(&svc), "audit");
    let key = svc.add_key(chen, &line, "chen.pub").unwrap();
    assert_eq!(key.member, "陈静怡");
    assert_eq!(key.fingerprint, fingerprint);
    assert_eq!(key.kind, "ssh-ed25519");
    assert_eq!(key.added_at, svc.stamp(), "added on the service's clock");
    assert_eq!(
        last_action(db(&svc)),
        ("add_key".into(), "member_key".into())
    );
    assert_eq!(rows_in(db(&svc), "audit"), audits + 1);
    assert_eq!(rows_in(db(&svc), "member_keys"), 1);

    // The same key again, for her or for anyone else: refused, nothing written.
    let liu = svc.find_member("刘志强").unwrap().id;
    for member in [chen, liu] {
        match svc.add_key(member, &line, "chen.pub") {
            Err(ServiceError::Invalid(Refusal::KeyTaken {
                fingerprint: f,
                member: m,
            })) => {
                assert_eq!(f, fingerprint);
                assert_eq!(m, "陈静怡");
            }
            other => panic!("{other:?}"),
        }
    }
    assert_eq!(rows_in(db(&svc), "audit"), audits + 1);
    // What is not a key says so, and where.
    match svc.add_key(chen, "\n\nssh-ed25519 not-base64!", "bad.pub") {
        Err(e @ ServiceError::Invalid(Refusal::BadKey { line: 3, .. })) => {
            assert!(e.en().starts_with("bad.pub:3: the key data are not base64"));
            assert!(e.zh().starts_with("bad.pub 第 3 行："), "{}", e.zh());
        }
        other => panic!("{other:?}"),
    }
    assert!(matches!(
        svc.add_key(99, &keygen(dir.path(), "other", "ed25519").0, "o.pub"),
        Err(ServiceError::NotFound(Missing::Member(99)))
    ));

    let listed = svc.member_keys(None).unwrap();
    assert_eq!(listed, vec![key.clone()]);
    assert_eq!(svc.member_keys(Some(liu)).unwrap(), vec![]);
    assert_eq!(
        last_action(db(&svc)),
        ("list_keys".into(), "member_key".into())
    );

    // Removed by its fingerprint (or its id), audited with what it was.
    let removed = svc.remove_key(&fingerprint).unwrap();
    assert_eq!(removed, key);
    assert_eq!(rows_in(db(&svc), "member_keys"), 0);
    let before: String = db(&svc)
        .query_row(
            "SELECT before FROM audit WHERE action = 'remove_key'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert!(before.contains(&fingerprint), "{before}");
    assert!(matches!(
        svc.remove_key(&fingerprint),
        Err(ServiceError::NotFound(Missing::Key { .. }))
    ));
    let again = svc.add_key(chen, &line, "chen.pub").unwrap();
    assert_eq!(svc.remove_key(&again.id.to_string()).unwrap().id, again.id);

    // The log still matches every row, the keys' among them.
    assert!(svc.check(&[]).unwrap().ok());
}

#[test]
fn members_may_not_manage_keys_not_even_their_own() {
    assert_eq!(Deed::ManageKeys.roles(), vec![Role::Chair, Role::Secretary]);
    let dir = tempfile::tempdir().unwrap();
    let (line, _) = keygen(dir.path(), "chen", "ed25519");
    let mut svc = login(demo_as(None), "陈静怡");
    let me = svc.find_member("陈静怡").unwrap().id;
    let audits = rows_in(db(&svc), "audit");
    for refused in [
        svc.add_key(me, &line, "chen.pub").map(|_| ()),
        svc.remove_key("1").map(|_| ()),
        svc.member_keys(Some(me)).map(|_| ()),
    ] {
        assert!(
            matches!(
                refused,
                Err(ServiceError::Forbidden {
                    role: Role::Member,
                    deed: Deed::ManageKeys
                })
            ),
            "{refused:?}"
        );
    }
    assert_eq!(rows_in(db(&svc), "audit"), audits, "nothing written");
    // The chair may.
    let mut chair = login(svc_of(svc), "周明远");
    chair.add_key(me, &line, "chen.pub").unwrap();
}

fn svc_of(svc: pingshen::service::Service) -> pingshen::service::Service {
    let clock = svc.clock();
    let mut s = pingshen::service::Service::system(svc.into_store(), "test");
    s.set_clock(clock);
    s
}

/// The demo as the secretary, with 陈静怡's key recorded: the folder of the keys, the
/// service, her id, her key's line and a stranger's.
fn chens_key_recorded() -> (
    tempfile::TempDir,
    pingshen::service::Service,
    i64,
    String,
    String,
) {
    let dir = tempfile::tempdir().unwrap();
    let (line, _) = keygen(dir.path(), "chen", "ed25519");
    let (stranger, _) = keygen(dir.path(), "stranger", "ed25519");
    let mut svc = login(demo_as(None), "吴婷");
    let chen = svc.find_member("陈静怡").unwrap().id;
    svc.add_key(chen, &line, "chen.pub").unwrap();
    (dir, svc, chen, line, stranger)
}

#[test]
fn a_key_changed_outside_pingshen_fails_the_check() {
    let (_dir, svc, _, _, stranger) = chens_key_recorded();
    let data = parse_line(&stranger).unwrap().base64();
    // Someone with the file puts their own key in 陈静怡's place.
    db(&svc)
        .execute("UPDATE member_keys SET blob = ?1", [&data])
        .unwrap();
    let report = svc.check(&[]).unwrap();
    assert!(!report.ok());
    assert!(
        report.data_faults.iter().any(|f| f.contains("member_keys")),
        "{:?}",
        report.data_faults
    );
}

#[test]
fn the_committee_import_takes_a_public_key_column() {
    let dir = tempfile::tempdir().unwrap();
    let (a, fa) = keygen(dir.path(), "a", "ed25519");
    let (b, _) = keygen(dir.path(), "b", "ed25519");
    let mut svc = pingshen::service::Service::system(
        pingshen::store::Store::open_in_memory().unwrap(),
        "test",
    );
    svc.set_clock(pingshen::service::Clock::on(common::today(), 10, 0, 0));
    svc.set_pin_policy(pingshen::service::members::PinPolicy::demo());
    let headers = ["姓名", "角色", "口令", "公钥"];
    let rows = |r: &[[&str; 4]]| -> Vec<Vec<String>> {
        r.iter()
            .map(|row| row.iter().map(|c| c.trim().to_string()).collect())
            .collect()
    };
    // Problems first: a bad key, the same key twice.
    let table = common::table(
        "committee.csv",
        &headers,
        rows(&[
            ["赵主任", "chair", "246813", &a],
            ["钱委员", "member", "135792", "ssh-dss AAAA"],
            ["孙委员", "member", "135790", &a],
            ["李秘书", "secretary", "975310", ""],
        ]),
    );
    match svc.import(Kind::Committee, &table) {
        Err(ServiceError::Import(e)) => {
            let problems: Vec<(usize, &RowProblem)> =
                e.errors.iter().map(|r| (r.line, &r.problem)).collect();
            assert!(
                matches!(
                    problems.as_slice(),
                    [
                        (3, RowProblem::BadKey(KeyError::UnknownType { .. })),
                        (4, RowProblem::Duplicate { first: 2, .. })
                    ]
                ),
                "{problems:?}"
            );
            assert!(e.errors.iter().all(|r| r.column == "公钥"));
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(rows_in(db(&svc), "members"), 0, "all or nothing");
    let table = common::table(
        "committee.csv",
        &headers,
        rows(&[
            ["赵主任", "chair", "246813", &a],
            ["钱委员", "member", "135792", &b],
            ["李秘书", "secretary", "975310", ""],
        ]),
    );
    svc.import(Kind::Committee, &table).unwrap();
    assert_eq!(rows_in(db(&svc), "member_keys"), 2);
    assert_eq!(
        count(
            db(&svc),
            &format!(
                "SELECT count(*) FROM member_keys k JOIN members m ON m.id = k.member_id
                 WHERE m.name = '赵主任' AND k.fingerprint = '{fa}'"
            )
        ),
        1
    );
    // The committee's export gives each member's key back, to import again.
    let exported = svc.export_for_import(Kind::Committee, false).unwrap();
    let at = exported
        .headers
        .iter()
        .position(|h| h == "ssh_key")
        .unwrap();
    let keys: Vec<&str> = exported.rows.iter().map(|r| r.cells[at].as_str()).collect();
    assert_eq!(keys, [a.trim(), b.trim(), ""]);
    // A key already held is refused in a later import, naming its holder.
    let table = common::table(
        "more.csv",
        &headers,
        rows(&[["周委员", "member", "864200", &a]]),
    );
    match svc.import(Kind::Committee, &table) {
        Err(ServiceError::Import(e)) => assert!(
            matches!(&e.errors[0].problem, RowProblem::KeyTaken { member, .. } if member == "赵主任"),
            "{e}"
        ),
        other => panic!("{other:?}"),
    }
    assert!(svc.check(&[]).unwrap().ok());
}

#[test]
fn sshd_is_given_the_line_of_an_active_members_key_and_nothing_for_others() {
    let (_dir, svc, chen, line, stranger) = chens_key_recorded();
    let forced = Forced {
        exe: Path::new("/usr/local/bin/pingshen"),
        db: Path::new("/srv/pingshen/评审.sqlite3"),
    };
    let key = parse_line(&line).unwrap();
    let given = svc
        .authorized_line(&forced, "ssh-ed25519", &key.base64())
        .unwrap()
        .expect("her key is known");
    assert_eq!(
        given,
        format!(
            "command=\"/usr/local/bin/pingshen --db /srv/pingshen/评审.sqlite3 ssh-session --member {chen}\",restrict,pty ssh-ed25519 {} pingshen-member-{chen}",
            key.base64()
        )
    );
    // Another type for the same data, another key, data that are not base64: nothing.
    assert_eq!(
        svc.authorized_line(&forced, "ssh-rsa", &key.base64())
            .unwrap(),
        None
    );
    let other = parse_line(&stranger).unwrap();
    assert_eq!(
        svc.authorized_line(&forced, "ssh-ed25519", &other.base64())
            .unwrap(),
        None
    );
    assert_eq!(
        svc.authorized_line(&forced, "ssh-ed25519", "!!").unwrap(),
        None
    );
    let file = svc.authorized_keys(&forced).unwrap();
    assert_eq!(
        file.lines()
            .filter(|l| !l.starts_with('#'))
            .collect::<Vec<_>>(),
        [given.as_str()]
    );
    // A member no longer active is let in no more.
    db(&svc)
        .execute("UPDATE members SET active = 0 WHERE id = ?1", [chen])
        .unwrap();
    assert_eq!(
        svc.authorized_line(&forced, "ssh-ed25519", &key.base64())
            .unwrap(),
        None
    );
    assert!(!svc
        .authorized_keys(&forced)
        .unwrap()
        .contains("ssh-ed25519"));
}

#[test]
fn member_key_and_keys_on_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    common::init_demo(d, "demo.db");
    let (_, fingerprint) = keygen(d, "chen", "ed25519");
    let run = |args: &[&str], stdin: &str| {
        let mut all = args.to_vec();
        all.extend(["--db", "demo.db"]);
        common::run_pingshen(d, &all, stdin)
    };
    let out_text = |o: &std::process::Output| String::from_utf8_lossy(&o.stdout).into_owned();
    let err_text = |o: &std::process::Output| String::from_utf8_lossy(&o.stderr).into_owned();

    // A member may not add a key, even their own.
    let out = run(
        &[
            "member",
            "key",
            "add",
            "陈静怡",
            "chen.pub",
            "--user",
            "2",
            "--pin-stdin",
        ],
        "1002\n",
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(
        err_text(&out).contains("may not manage the keys"),
        "{}",
        err_text(&out)
    );
    // The secretary adds it from standard input: the PIN first, then the key.
    let key = std::fs::read_to_string(d.join("chen.pub")).unwrap();
    let out = run(
        &[
            "member",
            "key",
            "add",
            "陈静怡",
            "-",
            "--user",
            "7",
            "--pin-stdin",
        ],
        &format!("1007\n{key}"),
    );
    assert!(out.status.success(), "{}", err_text(&out));
    assert!(out_text(&out).contains(&fingerprint), "{}", out_text(&out));
    let out = run(
        &["member", "key", "list", "--user", "1", "--pin-stdin"],
        "1001\n",
    );
    assert!(out.status.success(), "{}", err_text(&out));
    let listed = out_text(&out);
    assert!(
        listed.contains("陈静怡")
            && listed.contains(&fingerprint)
            && listed.contains("chen@laptop"),
        "{listed}"
    );
    let data = key.split_whitespace().nth(1).unwrap();
    assert!(
        !listed.contains(data),
        "the list shows fingerprints, not keys"
    );

    // sshd's lookup: the line for her key, nothing and exit 1 for another.
    let out = run(&["keys", "-t", "ssh-ed25519", "-k", data], "");
    assert!(out.status.success(), "{}", err_text(&out));
    let line = out_text(&out);
    assert_eq!(line.lines().count(), 1);
    assert!(
        line.contains("ssh-session --member 2\",restrict,pty ssh-ed25519"),
        "{line}"
    );
    let exe = Path::new(env!("CARGO_BIN_EXE_pingshen"))
        .canonicalize()
        .unwrap();
    assert!(
        line.starts_with(&format!("command=\"{}", exe.display())),
        "{line}"
    );
    let (other, _) = keygen(d, "other", "ed25519");
    let other = other.split_whitespace().nth(1).unwrap().to_string();
    let out = run(&["keys", "-t", "ssh-ed25519", "-k", &other], "");
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(out_text(&out), "");

    // The whole file, private.
    let out = run(&["keys", "--write", "authorized_keys"], "");
    assert!(out.status.success(), "{}", err_text(&out));
    let written = std::fs::read_to_string(d.join("authorized_keys")).unwrap();
    assert!(written.contains(line.trim()), "{written}");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(d.join("authorized_keys"))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    // A database whose path cannot be quoted into the forced command is refused.
    let odd = "a\"b.db";
    std::fs::copy(d.join("demo.db"), d.join(odd)).unwrap();
    let out = common::run_pingshen(d, &["keys", "--write", "ak2", "--db", odd], "");
    assert_eq!(out.status.code(), Some(1));
    assert!(
        err_text(&out).contains("double quote"),
        "{}",
        err_text(&out)
    );
    assert!(!d.join("ak2").exists());

    // Removed by its fingerprint, she is let in no more.
    let out = run(
        &[
            "member",
            "key",
            "remove",
            &fingerprint,
            "--user",
            "7",
            "--pin-stdin",
        ],
        "1007\n",
    );
    assert!(out.status.success(), "{}", err_text(&out));
    let out = run(&["keys", "-t", "ssh-ed25519", "-k", data], "");
    assert_eq!(out.status.code(), Some(1));
    let out = run(&["check"], "");
    assert!(out.status.success(), "{}", out_text(&out));
}
