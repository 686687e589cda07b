//! Themes: a user theme file with a mistake is skipped and said, never stops the app;
//! the theme chosen opens if it loaded, else the default does, saying why.

use pingshen::i18n::Lang;
use pingshen::tui::theme::{self, Theme, ThemeError};
use std::fs;

const DARK: &str = include_str!("../themes/dark.toml");

/// The dark theme's file with one line replaced.
fn dark_with(start: &str, line: &str) -> String {
    let mut done = false;
    let text: Vec<&str> = DARK
        .lines()
        .map(|l| {
            if !done && l.starts_with(start) {
                done = true;
                line
            } else {
                l
            }
        })
        .collect();
    assert!(done, "no line starting {start}");
    text.join("\n") + "\n"
}

/// A folder holding `ocean.toml`, a good theme, and `sunset.toml`, whose accent is
/// not a colour.
fn folder() -> (tempfile::TempDir, String) {
    let dir = tempfile::tempdir().unwrap();
    fs::write(
        dir.path().join("ocean.toml"),
        dark_with("name", r#"name = "ocean""#),
    )
    .unwrap();
    let sunset = dark_with("name", r#"name = "sunset""#);
    let sunset = sunset.replacen("\naccent", "\naccent = \"bleu\"\n#accent", 1);
    let broken = dir.path().join("sunset.toml");
    fs::write(&broken, sunset).unwrap();
    (dir, broken.display().to_string())
}

#[test]
fn a_broken_theme_is_skipped_naming_its_file_and_the_good_one_loads() {
    let (dir, broken) = folder();
    let loaded = theme::load_all(Some(dir.path()));
    let names: Vec<&str> = loaded.themes.iter().map(|t| t.name.as_str()).collect();
    assert_eq!(names, ["dark", "light", "high-contrast", "ocean"]);
    assert_eq!(loaded.skipped.len(), 1, "{:?}", loaded.skipped);
    let error = &loaded.skipped[0].error;
    assert!(
        matches!(error, ThemeError::Colour { key, value, .. } if key == "colours.accent" && value == "bleu"),
        "{error}"
    );
    assert!(error
        .to_string()
        .starts_with(&format!("{broken}: colours.accent:")));
    assert_eq!(
        theme::warning(Lang::En, error),
        format!("a theme file was skipped: {error}")
    );
    assert!(theme::warning(Lang::Zh, error).starts_with("主题文件有误，已跳过："));
}

#[test]
fn a_syntax_error_names_the_line() {
    let dir = tempfile::tempdir().unwrap();
    let text = dark_with("description", "description = \"no end");
    let line = text
        .lines()
        .position(|l| l.starts_with("description"))
        .unwrap()
        + 1;
    fs::write(dir.path().join("mine.toml"), &text).unwrap();
    let loaded = theme::load_all(Some(dir.path()));
    assert_eq!(loaded.themes.len(), 3);
    let message = loaded.skipped[0].error.to_string();
    assert!(
        message.contains(&format!("mine.toml: line {line}: ")),
        "{message}"
    );
}

#[test]
fn the_chosen_theme_opens_if_it_loaded_else_the_default_says_why() {
    let (dir, _) = folder();
    let loaded = theme::load_all(Some(dir.path()));
    let ocean = loaded
        .themes
        .iter()
        .position(|t| t.name == "ocean")
        .unwrap();
    let quietly = |name: Option<&str>| match theme::choose(&loaded, name).unwrap() {
        (index, None) => index,
        (_, Some(note)) => panic!("{note}"),
    };
    assert_eq!(quietly(Some("ocean")), ocean);
    assert_eq!(quietly(Some("light")), 1);
    assert_eq!(quietly(None), 0);
    // The broken one, chosen by its file name or by the name it gives: the default.
    for name in ["sunset", "Sunset "] {
        let (index, note) = theme::choose(&loaded, Some(name)).unwrap();
        assert_eq!(loaded.themes[index], Theme::default_theme());
        let note = note.expect("a note that the default opens");
        assert_eq!(
            note.to_string(),
            "the theme 'sunset' is a file skipped for its mistake; opening the default theme 'dark'"
                .replace("'sunset'", &format!("'{}'", name.trim()))
        );
        assert!(theme::warning(Lang::Zh, &note).starts_with("所选主题无法载入："));
    }
    // A name no file has is still refused, with the names there are.
    let err = theme::choose(&loaded, Some("nope")).unwrap_err();
    assert_eq!(
        err.to_string(),
        "unknown theme 'nope' (available: dark, light, high-contrast, ocean)"
    );
}

#[test]
fn a_theme_folder_that_cannot_be_read_leaves_the_builtins() {
    let file = tempfile::NamedTempFile::new().unwrap();
    let loaded = theme::load_all(Some(file.path()));
    assert_eq!(loaded.themes, theme::load_all(None).themes);
    assert!(matches!(loaded.skipped[0].error, ThemeError::Io { .. }));
}
