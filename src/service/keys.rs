//! Members' SSH public keys: recorded, removed and listed by the chair or the
//! secretary, each an audited use case; and what sshd is told of them, for the key a
//! client presents (`AuthorizedKeysCommand`) or for all of them (`authorized_keys`).

use super::{AuditNote, Missing, Refusal, Result, Service, ServiceError};
use crate::domain::pubkey::{self, PublicKey};
use crate::domain::Deed;
use rusqlite::{params, Connection, OptionalExtension};
use serde_json::json;
use std::path::Path;

/// A member's key as it is listed: never more than its public parts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MemberKey {
    pub id: i64,
    pub member_id: i64,
    pub member: String,
    pub kind: String,
    pub fingerprint: String,
    pub comment: String,
    /// When it was added, as stored (UTC).
    pub added_at: String,
}

const SELECT: &str =
    "SELECT k.id, k.member_id, m.name, k.key_type, k.fingerprint, k.comment, k.added_at
     FROM member_keys k JOIN members m ON m.id = k.member_id";

fn row(r: &rusqlite::Row) -> rusqlite::Result<MemberKey> {
    Ok(MemberKey {
        id: r.get(0)?,
        member_id: r.get(1)?,
        member: r.get(2)?,
        kind: r.get(3)?,
        fingerprint: r.get(4)?,
        comment: r.get(5)?,
        added_at: r.get(6)?,
    })
}

/// The member who holds the key with this data, if any: (id, name).
pub(crate) fn holder(conn: &Connection, blob: &str) -> rusqlite::Result<Option<(i64, String)>> {
    conn.query_row(
        "SELECT m.id, m.name FROM member_keys k JOIN members m ON m.id = k.member_id
         WHERE k.blob = ?1",
        [blob],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )
    .optional()
}

/// Records `key` for `member` inside the caller's transaction, at `now`; returns its id.
pub(crate) fn insert(
    conn: &Connection,
    member: i64,
    key: &PublicKey,
    now: &str,
) -> rusqlite::Result<i64> {
    conn.execute(
        "INSERT INTO member_keys (member_id, key_type, blob, comment, fingerprint, added_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![
            member,
            key.kind.code(),
            key.base64(),
            key.comment,
            key.fingerprint(),
            now
        ],
    )?;
    Ok(conn.last_insert_rowid())
}

impl Service {
    /// Records the public key in `text` (one OpenSSH key line, as in an `.pub` file;
    /// `file` names where it came from, for a refusal) for the active member
    /// `member`. A key belongs to one member only. The chair or the secretary; audited.
    pub fn add_key(&mut self, member: i64, text: &str, file: &str) -> Result<MemberKey> {
        self.require(Deed::ManageKeys)?;
        let key = pubkey::parse_text(text).map_err(|(line, problem)| Refusal::BadKey {
            file: file.to_string(),
            line,
            problem,
        })?;
        let now = self.stamp();
        self.mutate(|tx, _| {
            let name: String = tx
                .query_row(
                    "SELECT name FROM members WHERE id = ?1 AND active = 1",
                    [member],
                    |r| r.get(0),
                )
                .optional()?
                .ok_or(Missing::Member(member))?;
            if let Some((_, holder)) = holder(tx, &key.base64())? {
                return Err(Refusal::KeyTaken {
                    fingerprint: key.fingerprint(),
                    member: holder,
                }
                .into());
            }
            let id = insert(tx, member, &key, &now)?;
            let added = MemberKey {
                id,
                member_id: member,
                member: name,
                kind: key.kind.code().to_string(),
                fingerprint: key.fingerprint(),
                comment: key.comment.clone(),
                added_at: now.clone(),
            };
            let note = AuditNote::new("add_key", "member_key", id).after(json!({
                "member": member,
                "type": added.kind,
                "fingerprint": added.fingerprint,
                "comment": added.comment,
            }));
            Ok((added, note))
        })
    }

    /// Removes a member's key, named by its fingerprint (`SHA256:…`) or its id. The
    /// chair or the secretary; audited.
    pub fn remove_key(&mut self, which: &str) -> Result<MemberKey> {
        self.require(Deed::ManageKeys)?;
        let which = which.trim().to_string();
        self.mutate(|tx, _| {
            let found = tx
                .query_row(
                    &format!("{SELECT} WHERE k.fingerprint = ?1 OR CAST(k.id AS TEXT) = ?1"),
                    [&which],
                    row,
                )
                .optional()?
                .ok_or_else(|| Missing::Key { key: which.clone() })?;
            tx.execute("DELETE FROM member_keys WHERE id = ?1", [found.id])?;
            let note = AuditNote::new("remove_key", "member_key", found.id).before(json!({
                "member": found.member_id,
                "type": found.kind,
                "fingerprint": found.fingerprint,
                "comment": found.comment,
            }));
            Ok((found, note))
        })
    }

    /// The members' keys (of one member, or of all), by member then as added. The
    /// chair or the secretary; audited, as who looked at them.
    pub fn member_keys(&mut self, member: Option<i64>) -> Result<Vec<MemberKey>> {
        self.require(Deed::ManageKeys)?;
        if let Some(id) = member {
            self.find_member(&id.to_string())?;
        }
        self.mutate(|tx, _| {
            let mut stmt = tx.prepare(&format!(
                "{SELECT} WHERE ?1 IS NULL OR k.member_id = ?1 ORDER BY k.member_id, k.id"
            ))?;
            let keys: Vec<MemberKey> = stmt
                .query_map([member], row)?
                .collect::<rusqlite::Result<_>>()?;
            let note = AuditNote::new("list_keys", "member_key", member.unwrap_or(0))
                .after(json!({"member": member, "keys": keys.len()}));
            Ok((keys, note))
        })
    }

    /// The `authorized_keys` line sshd is given for the key a client presents (its
    /// type and base64 data, as sshd's `%t` and `%k` give them), when it is an active
    /// member's; `None` for any other key. Needs no member: sshd asks it.
    pub fn authorized_line(
        &self,
        forced: &Forced,
        kind: &str,
        data: &str,
    ) -> Result<Option<String>> {
        // The data as sshd gives it, in the one spelling stored.
        let Ok(blob) = base64::Engine::decode(&base64::engine::general_purpose::STANDARD, data)
        else {
            return Ok(None);
        };
        let data = base64::Engine::encode(&base64::engine::general_purpose::STANDARD, blob);
        let found: Option<(i64, String)> = self
            .conn()
            .query_row(
                "SELECT k.member_id, k.key_type FROM member_keys k
                 JOIN members m ON m.id = k.member_id
                 WHERE k.blob = ?1 AND m.active = 1",
                [&data],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?;
        match found {
            Some((member, stored)) if stored == kind => {
                Ok(Some(forced.line(member, &stored, &data)?))
            }
            _ => Ok(None),
        }
    }

    /// The whole `authorized_keys` file: one line per key of an active member.
    pub fn authorized_keys(&self, forced: &Forced) -> Result<String> {
        let mut stmt = self.conn().prepare(
            "SELECT k.member_id, k.key_type, k.blob FROM member_keys k
             JOIN members m ON m.id = k.member_id WHERE m.active = 1
             ORDER BY k.member_id, k.id",
        )?;
        let keys: Vec<(i64, String, String)> = stmt
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
            .collect::<rusqlite::Result<_>>()?;
        let mut out = String::from(
            "# Written by `pingshen keys --write`: each member's keys start pingshen as that\n\
             # member, and nothing else (restrict: no forwarding of ports, agents or X11).\n",
        );
        for (member, kind, data) in keys {
            out.push_str(&forced.line(member, &kind, &data)?);
            out.push('\n');
        }
        Ok(out)
    }
}

/// What sshd's forced command runs: this pingshen, on this database.
#[derive(Debug, Clone, Copy)]
pub struct Forced<'a> {
    /// The pingshen program, an absolute path.
    pub exe: &'a Path,
    /// The database, an absolute path.
    pub db: &'a Path,
}

impl Forced<'_> {
    /// The command sshd runs (through the account's shell) for a key of `member`.
    pub fn command(&self, member: i64) -> Result<String> {
        Ok(format!(
            "{} --db {} ssh-session --member {member}",
            quoted(self.exe)?,
            quoted(self.db)?
        ))
    }

    /// The `authorized_keys` line of one key: the forced command, `restrict` (no port,
    /// agent or X11 forwarding, no `~/.ssh/rc`) with a terminal allowed back, the key,
    /// and a comment naming the member.
    pub fn line(&self, member: i64, kind: &str, data: &str) -> Result<String> {
        Ok(format!(
            "command=\"{}\",restrict,pty {kind} {data} pingshen-member-{member}",
            self.command(member)?
        ))
    }
}

/// A path quoted for the shell that runs the forced command; one holding a double
/// quote (which would end the option), a line break or another control character is
/// refused.
fn quoted(path: &Path) -> Result<String> {
    let text = path.to_string_lossy();
    let unsafe_char = |c: char| c == '"' || c.is_control();
    if text.chars().any(unsafe_char) || path.to_str().is_none() {
        return Err(ServiceError::Invalid(Refusal::UnquotablePath {
            path: crate::text::escape_controls(&text).into_owned(),
        }));
    }
    Ok(shell_words::quote(&text).into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_quoted_for_the_shell_and_a_double_quote_is_refused() {
        let forced = Forced {
            exe: Path::new("/usr/local/bin/pingshen"),
            db: Path::new("/srv/评审 委员会/it's.sqlite3"),
        };
        assert_eq!(
            forced.command(3).unwrap(),
            "/usr/local/bin/pingshen --db '/srv/评审 委员会/it'\\''s.sqlite3' ssh-session --member 3"
        );
        assert!(forced
            .line(3, "ssh-ed25519", "AAAA")
            .unwrap()
            .ends_with(",restrict,pty ssh-ed25519 AAAA pingshen-member-3"));
        for bad in ["/srv/a\"b.sqlite3", "/srv/a\nb.sqlite3", "/srv/a\rb"] {
            let forced = Forced {
                exe: Path::new("/usr/local/bin/pingshen"),
                db: Path::new(bad),
            };
            assert!(
                matches!(
                    forced.command(1),
                    Err(ServiceError::Invalid(Refusal::UnquotablePath { .. }))
                ),
                "{bad:?}"
            );
        }
    }
}
