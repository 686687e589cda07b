//! Writing exports: to a file, or to standard output, with what was written reported
//! on standard error. What goes into them is the service's business.

use crate::i18n::Lang;
use crate::service::files::{self, Format};
use crate::service::forms::{self, FormKind};
use crate::service::minutes;
use crate::service::registers::{self, RegisterKind};
use crate::service::{Kind, Service};
use crate::table::Table;
use crate::text::escape_controls_keep_lines;
use anyhow::{bail, Result};
use std::borrow::Cow;
use std::io::{IsTerminal, Write};
use std::path::Path;

/// Writes bytes to `out` atomically, or to standard output when `out` is `None`.
/// On a terminal, control characters and bidirectional controls in the text (line
/// breaks and tabs excepted) are shown as `<U+001B>`; a pipe or a file gets the
/// bytes as they are.
pub fn emit(bytes: &[u8], out: Option<&Path>) -> Result<()> {
    match out {
        Some(path) => files::write_atomically(path, bytes),
        None => {
            let mut stdout = std::io::stdout().lock();
            let escaped = match std::str::from_utf8(bytes) {
                Ok(text) if stdout.is_terminal() => escape_controls_keep_lines(text),
                _ => Cow::Borrowed(""),
            };
            match escaped {
                Cow::Owned(text) => stdout.write_all(text.as_bytes())?,
                Cow::Borrowed(_) => stdout.write_all(bytes)?,
            }
            stdout.flush()?;
            Ok(())
        }
    }
}

/// Writes a table; to standard output when `out` is `None` (for .xlsx, the caller
/// has made sure that is no terminal).
pub fn write_table(table: &Table, format: Format, out: Option<&Path>) -> Result<()> {
    emit(&files::table_bytes(table, format)?, out)
}

/// The note for candidates left out because their scores may not be seen yet.
pub fn withheld_note(n: usize) -> Option<String> {
    (n > 0).then(|| {
        format!(
            "left out {n} candidate(s) whose result is not final: their scores cannot be seen while scoring is open"
        )
    })
}

/// Builds the printed forms of `kind` and writes them; notes on what was left out go
/// to standard error.
pub fn forms(
    svc: &Service,
    kind: FormKind,
    member: Option<&str>,
    app: Option<i64>,
    format: Format,
    out: Option<&Path>,
) -> Result<()> {
    forms::require_form_format(kind.code(), format)?;
    if member.is_some() && kind != FormKind::Sheet {
        bail!("--member goes with `export sheet`");
    }
    if app.is_some() && kind != FormKind::Summary {
        bail!("--app goes with `export summary`");
    }
    let built = forms::build(svc, kind, member, app)?;
    for note in &built.notes {
        note!("{note}");
    }
    if let Some(note) = withheld_note(built.withheld) {
        note!("{note}");
    }
    emit(&forms::forms_bytes(&built.forms, format)?, out)?;
    if let Some(out) = out {
        note!("wrote {} to {}", built.what, out.display());
    }
    Ok(())
}

/// Builds a document of the notice and after and writes it; what was written goes to
/// standard error.
pub fn register(
    svc: &Service,
    kind: RegisterKind,
    notice: Option<i64>,
    year: Option<i32>,
    format: Format,
    out: Option<&Path>,
) -> Result<()> {
    let (bytes, what) = registers::render(svc, kind, notice, year, format)?;
    emit(&bytes, out)?;
    if let Some(out) = out {
        note!("wrote {what} to {}", out.display());
    }
    Ok(())
}

/// Makes the minutes of a review meeting and writes them; what was written goes to
/// standard error.
pub fn minutes(
    svc: &Service,
    meeting: Option<i64>,
    lang: Lang,
    format: Format,
    out: Option<&Path>,
) -> Result<()> {
    let m = svc.minutes(meeting)?;
    emit(&minutes::render(&m, lang, format)?, out)?;
    if let Some(out) = out {
        note!("wrote {} to {}", minutes::described(&m), out.display());
    }
    Ok(())
}

/// Writes the import-shaped file of `kind` (see [`Service::export_for_import`]); what
/// was written, and what a masked file cannot do, goes to standard error.
pub fn import_shaped(
    mut svc: Service,
    kind: Kind,
    format: Format,
    out: Option<&Path>,
    reveal_ids: bool,
) -> Result<()> {
    let table = svc.export_for_import(kind, reveal_ids)?;
    write_table(&table, format, out)?;
    let code = crate::service::export::import_shaped_code(kind);
    if let Some(out) = out {
        note!("wrote {} {code} row(s) to {}", table.len(), out.display());
    }
    let has_ids = kind.columns().first().is_some_and(|c| c.key == "id_number");
    if has_ids && !reveal_ids {
        note!(
            "the ID numbers are masked: to import this file back, export it with --reveal-ids (chair or secretary)"
        );
    }
    if kind == Kind::Committee {
        note!("the committee file holds no PINs: write a new PIN for each member in the pin column before importing it");
    }
    Ok(())
}
