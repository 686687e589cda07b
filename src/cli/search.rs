//! `pingshen search`: the app's search, headless, one match per line or as JSON.

use crate::search::Hit;
use crate::service::Service;
use crate::text::{escape_controls, json_escape_controls, pad};
use anyhow::{bail, Result};
use std::io::Write;
use unicode_width::UnicodeWidthStr;

/// Builds the index, runs the query and prints the best `limit` matches; tells whether
/// anything matched.
pub fn run(svc: &Service, query: &str, limit: usize, json: bool) -> Result<bool> {
    if limit == 0 {
        bail!("--limit must be at least 1");
    }
    let index = svc.search_index()?;
    let results = index.search(query, limit)?;
    if json {
        // serde escapes C0 controls but leaves DEL, C1 and bidirectional controls raw.
        let json = serde_json::to_string_pretty(&results.hits)?;
        // Written, not printed: a closed pipe (`| head`) is an error, not a panic.
        writeln!(std::io::stdout().lock(), "{}", json_escape_controls(&json))?;
    } else {
        write!(std::io::stdout().lock(), "{}", lines(&results.hits))?;
    }
    if results.total == 0 {
        note!("no match for '{}'", escape_controls(query));
    } else if results.total > results.hits.len() {
        note!(
            "{} of {} matches shown (--limit N for more)",
            results.hits.len(),
            results.total
        );
    }
    // The process ends here: freeing every text of a large index one by one would
    // cost more than the search (a tenth of a second at a million persons).
    std::mem::forget(index);
    Ok(results.total > 0)
}

/// One line per hit: name, organisation, position, masked ID number and score, in
/// columns as wide as their widest cell. Control characters and bidirectional
/// controls that reached the database are shown as `<U+001B>`, never sent raw.
fn lines(hits: &[Hit]) -> String {
    let cells: Vec<[String; 5]> = hits
        .iter()
        .map(|h| {
            [
                escape_controls(&h.name).into_owned(),
                escape_controls(&h.organisation).into_owned(),
                escape_controls(&h.position).into_owned(),
                escape_controls(&h.masked_id).into_owned(),
                h.score.to_string(),
            ]
        })
        .collect();
    let widths: Vec<usize> = (0..5)
        .map(|c| cells.iter().map(|r| r[c].width()).max().unwrap_or(0))
        .collect();
    let mut out = String::new();
    for row in &cells {
        let padded: Vec<String> = row
            .iter()
            .zip(&widths)
            .enumerate()
            .map(|(c, (cell, &w))| match c {
                4 => format!("{cell:>w$}"),
                _ => pad(cell, w),
            })
            .collect();
        out.push_str(padded.join("  ").trim_end());
        out.push('\n');
    }
    out
}
