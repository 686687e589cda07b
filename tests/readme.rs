//! The README documents every import column exactly as the importers accept them.

use pingshen::cli::columns_markdown;
use pingshen::service::Kind;

#[test]
fn readme_lists_every_import_column() {
    let readme = include_str!("../README.md");
    let expected = columns_markdown(&Kind::ALL);
    assert!(
        readme.contains(&expected),
        "README's file formats are out of date; paste the output of `pingshen columns`"
    );
}

#[test]
fn readme_shows_the_two_start_commands() {
    let readme = include_str!("../README.md");
    assert!(readme.contains("cargo run --release -- demo"));
    assert!(readme.contains("cargo test"));
}
