//! `pingshen search`: the app's search, headless, one match per line or as JSON.

use crate::search::{Hit, SearchIndex};
use crate::service::Service;
use crate::text::pad;
use anyhow::{bail, Result};
use unicode_width::UnicodeWidthStr;

/// Builds the index, runs the query and prints the best `limit` matches.
pub fn run(svc: &Service, query: &str, limit: usize, json: bool) -> Result<()> {
    if limit == 0 {
        bail!("--limit must be at least 1");
    }
    let index = SearchIndex::build(svc.conn())?;
    let results = index.search(query, limit)?;
    if json {
        println!("{}", serde_json::to_string_pretty(&results.hits)?);
    } else {
        print!("{}", lines(&results.hits));
    }
    if results.total == 0 {
        eprintln!("no match for '{query}'");
    } else if results.total > results.hits.len() {
        eprintln!(
            "{} of {} matches shown (--limit N for more)",
            results.hits.len(),
            results.total
        );
    }
    Ok(())
}

/// One line per hit: name, organisation, position, masked ID number and score, in
/// columns as wide as their widest cell.
fn lines(hits: &[Hit]) -> String {
    let cells: Vec<[String; 5]> = hits
        .iter()
        .map(|h| {
            [
                h.name.clone(),
                h.organisation.clone(),
                h.position.clone(),
                h.masked_id.clone(),
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
