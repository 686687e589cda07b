//! OpenSSH public keys as members hand them in (the line of an `id_ed25519.pub`): the
//! type, the key data (base64) and the comment, checked as far as it can be without any
//! cryptography, and the fingerprint `ssh-keygen -l` prints for it.

use base64::engine::general_purpose::{STANDARD, STANDARD_NO_PAD};
use base64::Engine;
use sha2::{Digest, Sha256};

/// The longest key line taken: an RSA key of 16384 bits is under 3 000 characters.
pub const MAX_LINE: usize = 16 * 1024;
/// The shortest RSA modulus taken, in bits.
pub const MIN_RSA_BITS: usize = 2048;

/// The types of public key OpenSSH logs in with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum KeyType {
    Ed25519,
    SkEd25519,
    EcdsaP256,
    EcdsaP384,
    EcdsaP521,
    SkEcdsaP256,
    Rsa,
}

impl KeyType {
    pub const ALL: [KeyType; 7] = [
        KeyType::Ed25519,
        KeyType::SkEd25519,
        KeyType::EcdsaP256,
        KeyType::EcdsaP384,
        KeyType::EcdsaP521,
        KeyType::SkEcdsaP256,
        KeyType::Rsa,
    ];

    /// The name OpenSSH writes before the key (and inside it).
    pub fn code(self) -> &'static str {
        match self {
            KeyType::Ed25519 => "ssh-ed25519",
            KeyType::SkEd25519 => "sk-ssh-ed25519@openssh.com",
            KeyType::EcdsaP256 => "ecdsa-sha2-nistp256",
            KeyType::EcdsaP384 => "ecdsa-sha2-nistp384",
            KeyType::EcdsaP521 => "ecdsa-sha2-nistp521",
            KeyType::SkEcdsaP256 => "sk-ecdsa-sha2-nistp256@openssh.com",
            KeyType::Rsa => "ssh-rsa",
        }
    }

    pub fn parse(text: &str) -> Option<KeyType> {
        KeyType::ALL.into_iter().find(|k| k.code() == text)
    }

    /// Every type's name, joined by `sep`.
    pub fn names(sep: &str) -> String {
        let names: Vec<&str> = KeyType::ALL.iter().map(|k| k.code()).collect();
        names.join(sep)
    }

    /// The curve an ECDSA key names inside its data.
    fn curve(self) -> Option<&'static str> {
        match self {
            KeyType::EcdsaP256 | KeyType::SkEcdsaP256 => Some("nistp256"),
            KeyType::EcdsaP384 => Some("nistp384"),
            KeyType::EcdsaP521 => Some("nistp521"),
            _ => None,
        }
    }
}

/// A public key: its type, its data and the comment after it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PublicKey {
    pub kind: KeyType,
    /// The key data, decoded (the "blob" sshd hashes and compares).
    pub blob: Vec<u8>,
    pub comment: String,
}

impl PublicKey {
    /// The key data as OpenSSH writes it (base64 with padding).
    pub fn base64(&self) -> String {
        STANDARD.encode(&self.blob)
    }

    /// `SHA256:` and the unpadded base64 of the SHA-256 of the key data, as
    /// `ssh-keygen -l` and sshd's log show it.
    pub fn fingerprint(&self) -> String {
        fingerprint(&self.blob)
    }
}

/// The SHA-256 fingerprint of key data (see [`PublicKey::fingerprint`]).
pub fn fingerprint(blob: &[u8]) -> String {
    format!("SHA256:{}", STANDARD_NO_PAD.encode(Sha256::digest(blob)))
}

/// Why a public key was not taken. Texts found are carried shortened, never echoed
/// whole.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum KeyError {
    #[error("no public key: the text holds no key line")]
    Empty,
    #[error("the text holds {count} key lines: give one key at a time")]
    Several { count: usize },
    #[error("the key line is longer than {max} characters")]
    TooLong { max: usize },
    #[error("this is a private key: give the public key (the .pub file) instead, and never hand out the private key")]
    PrivateKey,
    /// Options (`from=…`, `command=…`) before the type, as in an `authorized_keys` line.
    #[error("options before the key type ({found}) are not taken: pingshen writes each key's options itself")]
    Options { found: String },
    #[error("unknown key type '{found}' (one of: {})", KeyType::names(", "))]
    UnknownType { found: String },
    #[error("the {} key has no key data after its type", .kind.code())]
    NoKeyData { kind: KeyType },
    /// `at`: the first character (from 1) that is not base64, when known.
    #[error("the key data are not base64{}", at_en(.at))]
    NotBase64 { at: Option<usize> },
    /// The line says one type, the key data another.
    #[error("the line says {line} but the key data hold a {blob} key")]
    TypeMismatch { line: String, blob: String },
    #[error("the key data are not those of a {} key (cut short, or with more after them)", .kind.code())]
    Malformed { kind: KeyType },
    #[error("the ssh-rsa key has {bits} bits; at least {min} are needed")]
    RsaTooShort { bits: usize, min: usize },
    #[error("the key's comment {}", crate::text::not_allowed(*.found, false))]
    HostileComment { found: char },
}

fn at_en(at: &Option<usize>) -> String {
    at.map(|n| format!(" (at character {n})"))
        .unwrap_or_default()
}

impl KeyError {
    /// The refusal in English (its `Display`).
    pub fn en(&self) -> String {
        self.to_string()
    }

    /// The refusal in Chinese.
    pub fn zh(&self) -> String {
        match self {
            KeyError::Empty => "没有公钥：其中没有公钥行".into(),
            KeyError::Several { count } => {
                format!("其中有 {count} 行公钥：一次只能给一把公钥")
            }
            KeyError::TooLong { max } => format!("公钥行超过 {max} 个字符"),
            KeyError::PrivateKey => "这是私钥：请提供公钥（.pub 文件），私钥不要交给任何人".into(),
            KeyError::Options { found } => {
                format!("公钥类型前带有选项（{found}），不予接受：每把公钥的选项由本程序写入")
            }
            KeyError::UnknownType { found } => format!(
                "不支持的公钥类型“{found}”（可用：{}）",
                KeyType::names("、")
            ),
            KeyError::NoKeyData { kind } => format!("{} 类型之后缺少公钥数据", kind.code()),
            KeyError::NotBase64 { at } => format!(
                "公钥数据不是有效的 base64{}",
                at.map(|n| format!("（第 {n} 个字符处）"))
                    .unwrap_or_default()
            ),
            KeyError::TypeMismatch { line, blob } => {
                format!("行首写的类型是 {line}，公钥数据中的类型却是 {blob}")
            }
            KeyError::Malformed { kind } => {
                format!(
                    "公钥数据不是 {} 公钥的格式（不完整，或后面还有多余内容）",
                    kind.code()
                )
            }
            KeyError::RsaTooShort { bits, min } => {
                format!("ssh-rsa 公钥只有 {bits} 位，至少须 {min} 位")
            }
            KeyError::HostileComment { found } => {
                format!("公钥注释{}", crate::text::not_allowed_zh(*found, false))
            }
        }
    }
}

/// At most this many characters of a text found are carried in a refusal.
const SHOWN: usize = 40;

fn shown(text: &str) -> String {
    let mut s: String = text.chars().take(SHOWN).collect();
    if text.chars().count() > SHOWN {
        s.push('…');
    }
    s
}

/// The one key of a text (a `.pub` file, or what was pasted): blank lines and `#`
/// comments are skipped. A refusal comes with the line it is about (from 1; 0 for the
/// whole text).
pub fn parse_text(text: &str) -> Result<PublicKey, (usize, KeyError)> {
    if text.contains("PRIVATE KEY-----") {
        return Err((0, KeyError::PrivateKey));
    }
    let lines: Vec<(usize, &str)> = text
        .lines()
        .enumerate()
        .map(|(i, l)| (i + 1, l.trim()))
        .filter(|(_, l)| !l.is_empty() && !l.starts_with('#'))
        .collect();
    match lines.as_slice() {
        [] => Err((0, KeyError::Empty)),
        [(n, line)] => parse_line(line).map_err(|e| (*n, e)),
        [_, (n, _), ..] => Err((*n, KeyError::Several { count: lines.len() })),
    }
}

/// One key line: `TYPE BASE64 [COMMENT]`.
pub fn parse_line(line: &str) -> Result<PublicKey, KeyError> {
    let line = line.trim();
    if line.len() > MAX_LINE {
        return Err(KeyError::TooLong { max: MAX_LINE });
    }
    let mut words = line.split_ascii_whitespace();
    let first = words.next().ok_or(KeyError::Empty)?;
    let Some(kind) = KeyType::parse(first) else {
        // `from="…",no-pty ssh-ed25519 AAAA…`: a type further on, options before it.
        let offset = |w: &str| w.as_ptr() as usize - line.as_ptr() as usize;
        if let Some(typed) = line
            .split_ascii_whitespace()
            .skip(1)
            .find(|w| KeyType::parse(w).is_some())
        {
            let found = shown(line[..offset(typed)].trim());
            return Err(KeyError::Options { found });
        }
        return Err(KeyError::UnknownType {
            found: shown(first),
        });
    };
    let data = words.next().ok_or(KeyError::NoKeyData { kind })?;
    let blob = STANDARD.decode(data).map_err(|e| KeyError::NotBase64 {
        at: match e {
            base64::DecodeError::InvalidByte(at, _)
            | base64::DecodeError::InvalidLastSymbol(at, _) => Some(at + 1),
            _ => None,
        },
    })?;
    check_blob(kind, &blob)?;
    // The comment: the rest of the line after the key data, as written.
    let after = data.as_ptr() as usize - line.as_ptr() as usize + data.len();
    let comment = line[after..].trim();
    if let Some(found) = crate::text::hostile_char(comment, false) {
        return Err(KeyError::HostileComment { found });
    }
    Ok(PublicKey {
        kind,
        blob,
        comment: comment.to_string(),
    })
}

/// Reads the SSH wire strings of key data (a 4-byte big-endian length, the bytes).
struct Wire<'a>(&'a [u8]);

impl<'a> Wire<'a> {
    fn string(&mut self) -> Option<&'a [u8]> {
        let len: [u8; 4] = self.0.get(..4)?.try_into().ok()?;
        let len = u32::from_be_bytes(len) as usize;
        let value = self.0.get(4..4 + len)?;
        self.0 = &self.0[4 + len..];
        Some(value)
    }
}

/// Checks that the key data are of `kind`: its name first, then the parts a key of that
/// type has, nothing after them.
fn check_blob(kind: KeyType, blob: &[u8]) -> Result<(), KeyError> {
    let malformed = KeyError::Malformed { kind };
    let mut wire = Wire(blob);
    let named = wire.string().ok_or(malformed.clone())?;
    if named != kind.code().as_bytes() {
        let blob = String::from_utf8_lossy(named);
        let blob = match KeyType::parse(&blob) {
            Some(k) => k.code().to_string(),
            None => shown(&crate::text::escape_controls(&blob)),
        };
        return Err(KeyError::TypeMismatch {
            line: kind.code().to_string(),
            blob,
        });
    }
    let parts: Option<Vec<&[u8]>> = match kind {
        KeyType::Ed25519 => (0..1).map(|_| wire.string()).collect(),
        KeyType::SkEd25519 | KeyType::EcdsaP256 | KeyType::EcdsaP384 | KeyType::EcdsaP521 => {
            (0..2).map(|_| wire.string()).collect()
        }
        KeyType::SkEcdsaP256 => (0..3).map(|_| wire.string()).collect(),
        KeyType::Rsa => (0..2).map(|_| wire.string()).collect(),
    };
    let parts = parts.ok_or(malformed.clone())?;
    if !wire.0.is_empty() {
        return Err(malformed);
    }
    match kind {
        KeyType::Ed25519 | KeyType::SkEd25519 if parts[0].len() != 32 => Err(malformed),
        _ if kind.curve().is_some_and(|c| parts[0] != c.as_bytes()) => Err(malformed),
        KeyType::Rsa => {
            let n = parts[1];
            let n = &n[n.iter().take_while(|b| **b == 0).count()..];
            let bits = match n.first() {
                None => 0,
                Some(top) => n.len() * 8 - top.leading_zeros() as usize,
            };
            if bits < MIN_RSA_BITS {
                Err(KeyError::RsaTooShort {
                    bits,
                    min: MIN_RSA_BITS,
                })
            } else {
                Ok(())
            }
        }
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Key data of `kind` made of SSH wire strings.
    fn blob(parts: &[&[u8]]) -> Vec<u8> {
        let mut out = Vec::new();
        for p in parts {
            out.extend((p.len() as u32).to_be_bytes());
            out.extend(*p);
        }
        out
    }

    fn line(kind: &str, parts: &[&[u8]], comment: &str) -> String {
        format!("{kind} {} {comment}", STANDARD.encode(blob(parts)))
    }

    const ED: &[u8] = &[7; 32];

    #[test]
    fn an_ed25519_line_reads_with_its_comment() {
        let text = line("ssh-ed25519", &[b"ssh-ed25519", ED], "chen@laptop  2026");
        let key = parse_line(&text).unwrap();
        assert_eq!(key.kind, KeyType::Ed25519);
        assert_eq!(key.comment, "chen@laptop  2026");
        assert_eq!(key.blob, blob(&[b"ssh-ed25519", ED]));
        assert!(text.contains(&key.base64()));
        assert!(key.fingerprint().starts_with("SHA256:"));
        assert!(!key.fingerprint().ends_with('='));
        assert_eq!(key.fingerprint().len(), "SHA256:".len() + 43);
    }

    #[test]
    fn a_fingerprint_is_the_unpadded_base64_of_the_sha256() {
        // sha256("") = e3b0c442…, whose base64 is 47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=
        assert_eq!(
            fingerprint(b""),
            "SHA256:47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU"
        );
    }

    #[test]
    fn ecdsa_and_security_keys_read_and_must_name_their_curve() {
        let ok = line(
            "ecdsa-sha2-nistp256",
            &[b"ecdsa-sha2-nistp256", b"nistp256", &[4; 65]],
            "",
        );
        assert_eq!(parse_line(&ok).unwrap().kind, KeyType::EcdsaP256);
        let wrong = line(
            "ecdsa-sha2-nistp256",
            &[b"ecdsa-sha2-nistp256", b"nistp384", &[4; 97]],
            "",
        );
        assert_eq!(
            parse_line(&wrong),
            Err(KeyError::Malformed {
                kind: KeyType::EcdsaP256
            })
        );
        let sk = line(
            "sk-ssh-ed25519@openssh.com",
            &[b"sk-ssh-ed25519@openssh.com", ED, b"ssh:"],
            "yubikey",
        );
        assert_eq!(parse_line(&sk).unwrap().kind, KeyType::SkEd25519);
        let sk_ecdsa = line(
            "sk-ecdsa-sha2-nistp256@openssh.com",
            &[
                b"sk-ecdsa-sha2-nistp256@openssh.com",
                b"nistp256",
                &[4; 65],
                b"ssh:",
            ],
            "",
        );
        assert_eq!(parse_line(&sk_ecdsa).unwrap().kind, KeyType::SkEcdsaP256);
    }

    #[test]
    fn rsa_keys_need_2048_bits() {
        let mut n = vec![0u8];
        n.extend([0xff; 256]);
        let ok = line("ssh-rsa", &[b"ssh-rsa", &[1, 0, 1], &n], "");
        assert_eq!(parse_line(&ok).unwrap().kind, KeyType::Rsa);
        let short = line("ssh-rsa", &[b"ssh-rsa", &[1, 0, 1], &[0x7f; 128]], "");
        assert_eq!(
            parse_line(&short),
            Err(KeyError::RsaTooShort {
                bits: 1023,
                min: 2048
            })
        );
    }

    #[test]
    fn what_is_not_a_public_key_line_is_refused_by_name() {
        let ed = line("ssh-ed25519", &[b"ssh-ed25519", ED], "");
        let data = ed.split(' ').nth(1).unwrap();
        assert_eq!(
            parse_line(&format!("ssh-rsa {data}")),
            Err(KeyError::TypeMismatch {
                line: "ssh-rsa".into(),
                blob: "ssh-ed25519".into()
            })
        );
        assert_eq!(
            parse_line(&format!("ssh-dss {data}")),
            Err(KeyError::UnknownType {
                found: "ssh-dss".into()
            })
        );
        assert_eq!(
            parse_line("ssh-ed25519"),
            Err(KeyError::NoKeyData {
                kind: KeyType::Ed25519
            })
        );
        assert_eq!(
            parse_line("ssh-ed25519 AAAA!AAA"),
            Err(KeyError::NotBase64 { at: Some(5) })
        );
        assert_eq!(
            parse_line(&format!("command=\"sh\",no-pty {ed}")),
            Err(KeyError::Options {
                found: "command=\"sh\",no-pty".into()
            })
        );
        let cut = STANDARD.encode(&blob(&[b"ssh-ed25519", ED])[..20]);
        assert_eq!(
            parse_line(&format!("ssh-ed25519 {cut}")),
            Err(KeyError::Malformed {
                kind: KeyType::Ed25519
            })
        );
        let mut longer = blob(&[b"ssh-ed25519", ED]);
        longer.push(0);
        assert_eq!(
            parse_line(&format!("ssh-ed25519 {}", STANDARD.encode(longer))),
            Err(KeyError::Malformed {
                kind: KeyType::Ed25519
            })
        );
        assert_eq!(
            parse_line(&format!("{ed} evil\u{1b}[2J")),
            Err(KeyError::HostileComment { found: '\u{1b}' })
        );
        assert_eq!(
            parse_line(&"A".repeat(MAX_LINE + 1)),
            Err(KeyError::TooLong { max: MAX_LINE })
        );
    }

    #[test]
    fn a_text_gives_its_one_key_or_says_which_line() {
        let ed = line("ssh-ed25519", &[b"ssh-ed25519", ED], "a");
        let text = format!("# my key\n\n{ed}\n");
        assert_eq!(parse_text(&text).unwrap().comment, "a");
        assert_eq!(parse_text("\n# nothing\n"), Err((0, KeyError::Empty)));
        assert_eq!(
            parse_text(&format!("{ed}\n{ed}\n")),
            Err((2, KeyError::Several { count: 2 }))
        );
        assert_eq!(
            parse_text("\n\nssh-ed25519 ###"),
            Err((3, KeyError::NotBase64 { at: Some(1) }))
        );
        assert_eq!(
            parse_text(
                "-----BEGIN OPENSSH PRIVATE KEY-----\nb3Blbn\n-----END OPENSSH PRIVATE KEY-----\n"
            ),
            Err((0, KeyError::PrivateKey))
        );
    }
}
