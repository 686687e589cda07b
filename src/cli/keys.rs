//! `pingshen member key add|remove|list`: the keys members log in with over SSH; and
//! `pingshen keys`: what sshd is told of them.

use super::{open, open_as, Who};
use crate::service::keys::{Forced, MemberKey};
use crate::text::{escape_controls, pad};
use anyhow::{Context, Result};
use std::io::Read;
use std::path::{Path, PathBuf};

/// Records the key in `file` (`-`: standard input, after the PIN when that is read
/// there too) for the member named or numbered `member`.
pub(super) fn add(db: &Path, who: Who, member: &str, file: &Path) -> Result<()> {
    let mut svc = open_as(db, who, "member key add")?;
    let member = svc.find_member(member)?;
    let (text, shown) = if file == Path::new("-") {
        let mut text = String::new();
        std::io::stdin()
            .read_to_string(&mut text)
            .context("-: cannot read the key from standard input")?;
        (text, "-".to_string())
    } else {
        let text = std::fs::read_to_string(file)
            .with_context(|| format!("{}: cannot read", file.display()))?;
        (text, file.display().to_string())
    };
    let key = svc.add_key(member.id, &text, &shown)?;
    outln!("added {}", described(&key))?;
    Ok(())
}

/// Removes the key with this fingerprint or id.
pub(super) fn remove(db: &Path, who: Who, key: &str) -> Result<()> {
    let mut svc = open_as(db, who, "member key remove")?;
    let key = svc.remove_key(key)?;
    outln!("removed {}", described(&key))?;
    Ok(())
}

/// Lists the keys, of one member or of all: member, type, fingerprint, comment and
/// when added (in the clock's zone).
pub(super) fn list(db: &Path, who: Who, member: Option<&str>) -> Result<()> {
    let mut svc = open_as(db, who, "member key list")?;
    let member = member.map(|m| svc.find_member(m)).transpose()?;
    let keys = svc.member_keys(member.map(|m| m.id))?;
    if keys.is_empty() {
        note!("no keys recorded");
        return Ok(());
    }
    for k in &keys {
        outln!(
            "#{:<4} {} #{:<3} {:<36} {}  {}  {}",
            k.id,
            pad(&escape_controls(&k.member), 10),
            k.member_id,
            k.kind,
            k.fingerprint,
            svc.show_time(&k.added_at),
            escape_controls(&k.comment)
        )?;
    }
    Ok(())
}

/// `key #3 of 陈静怡 (#2): ssh-ed25519 SHA256:… chen@laptop`.
fn described(key: &MemberKey) -> String {
    let comment = if key.comment.is_empty() {
        String::new()
    } else {
        format!(" {}", escape_controls(&key.comment))
    };
    format!(
        "key #{} of {} (#{}): {} {}{comment}",
        key.id,
        escape_controls(&key.member),
        key.member_id,
        key.kind,
        key.fingerprint
    )
}

/// The absolute paths sshd's forced command names: this program and the database.
fn forced_paths(db: &Path) -> Result<(PathBuf, PathBuf)> {
    super::must_exist(db)?;
    let exe = std::env::current_exe()
        .and_then(|p| p.canonicalize())
        .context("cannot tell where this pingshen program is")?;
    let db = db
        .canonicalize()
        .with_context(|| format!("{}: cannot tell its absolute path", db.display()))?;
    Ok((exe, db))
}

/// For sshd's `AuthorizedKeysCommand … -t %t -k %k`: prints the `authorized_keys`
/// line of the key presented when it is a member's, and `false` (nothing printed) for
/// any other key.
pub(super) fn lookup(db: &Path, kind: &str, data: &str) -> Result<bool> {
    let (exe, db) = forced_paths(db)?;
    let svc = open(&db, "cli keys")?;
    let forced = Forced { exe: &exe, db: &db };
    match svc.authorized_line(&forced, kind, data)? {
        Some(line) => {
            outln!("{line}")?;
            Ok(true)
        }
        None => Ok(false),
    }
}

/// Writes the whole `authorized_keys` file: into a temporary file beside it, made
/// private (0600), then moved over it.
pub(super) fn write(db: &Path, file: &Path) -> Result<()> {
    let (exe, db) = forced_paths(db)?;
    let svc = open(&db, "cli keys")?;
    let text = svc.authorized_keys(&Forced { exe: &exe, db: &db })?;
    crate::service::files::write_atomically(file, text.as_bytes())?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(file, std::fs::Permissions::from_mode(0o600))
            .with_context(|| format!("{}: cannot make it private", file.display()))?;
    }
    let keys = text.lines().filter(|l| !l.starts_with('#')).count();
    note!("wrote {keys} key(s) to {}", file.display());
    Ok(())
}
