//! The configuration file, `<config dir>/pingshen/config.toml` (or the file named by
//! `PINGSHEN_CONFIG`), and how its settings, the environment and the flags are weighed:
//! a flag wins over an environment variable, which wins over the file, which wins over
//! the defaults.

use anyhow::{anyhow, bail, Context, Result};
use serde::Deserialize;
use std::path::{Path, PathBuf};

/// The environment variable naming another configuration file.
pub const CONFIG_VAR: &str = "PINGSHEN_CONFIG";
/// The environment variable naming the database.
pub const DB_VAR: &str = "PINGSHEN_DB";
/// The environment variable naming the colour theme.
pub const THEME_VAR: &str = "PINGSHEN_THEME";
/// The environment variable naming the interface language.
pub const LANG_VAR: &str = "PINGSHEN_LANG";

/// What the configuration file may set; any other key is refused.
#[derive(Debug, Default, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// The database file; a relative path is taken from the file's folder.
    pub database: Option<PathBuf>,
    /// The app's colour theme.
    pub theme: Option<String>,
    /// The interface language, `zh` or `en`.
    pub lang: Option<String>,
    /// A file of the user's own key bindings, overriding the built-in ones (a
    /// relative path is taken from the file's folder); without it the app reads
    /// `keymap.toml` beside this file, if there is one.
    pub keymap: Option<PathBuf>,
}

/// The configuration file's usual place.
pub fn default_path() -> Option<PathBuf> {
    dirs::config_dir().map(|d| d.join("pingshen").join("config.toml"))
}

/// A non-empty environment variable.
pub fn var(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.trim().is_empty())
}

/// Reads the configuration: the file `PINGSHEN_CONFIG` names (which must exist), else
/// the usual file if there is one, else nothing set.
pub fn load() -> Result<Config> {
    match var(CONFIG_VAR) {
        Some(path) => read(Path::new(&path)).with_context(|| format!("(from {CONFIG_VAR})")),
        None => match default_path() {
            Some(path) if path.exists() => read(&path),
            _ => Ok(Config::default()),
        },
    }
}

/// Reads and checks one configuration file.
pub fn read(path: &Path) -> Result<Config> {
    let text = std::fs::read_to_string(path).map_err(|e| {
        anyhow!(
            "{}: cannot read the configuration file: {e}",
            path.display()
        )
    })?;
    let mut config = parse(&text).map_err(|e| anyhow!("{}: {e}", path.display()))?;
    let dir = path.parent().unwrap_or(Path::new("."));
    for file in [&mut config.database, &mut config.keymap]
        .into_iter()
        .flatten()
    {
        if file.is_relative() {
            *file = dir.join(&*file);
        }
    }
    Ok(config)
}

/// Parses the text of a configuration file; an error names the line and column.
pub fn parse(text: &str) -> Result<Config> {
    let config: Config = toml::from_str(text).map_err(|e| {
        let at = e
            .span()
            .map(|s| line_col(text, s.start))
            .map(|(l, c)| format!("line {l}, column {c}: "))
            .unwrap_or_default();
        anyhow!("{at}{}", e.message())
    })?;
    if let Some(l) = &config.lang {
        if crate::i18n::Lang::parse(l).is_none() {
            let line = text
                .lines()
                .position(|t| t.trim_start().starts_with("lang"))
                .map_or(String::new(), |n| format!("line {}: ", n + 1));
            bail!("{line}lang = \"{l}\": unknown language (use zh or en)");
        }
    }
    Ok(config)
}

/// The 1-based line and column of a byte offset.
fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, col)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_key_is_read_and_others_are_refused_by_line() {
        let c = parse("database = \"/x/p.db\"\ntheme = \"light\"\nlang = \"en\"\n").unwrap();
        assert_eq!(c.database.as_deref(), Some(Path::new("/x/p.db")));
        assert_eq!(c.theme.as_deref(), Some("light"));
        assert_eq!(c.lang.as_deref(), Some("en"));
        let e = parse("theme = \"light\"\ncolour = 1\n")
            .unwrap_err()
            .to_string();
        assert!(e.starts_with("line 2, column 1:"), "{e}");
        let e = parse("theme = \"light\"\ndatabase = \n")
            .unwrap_err()
            .to_string();
        assert!(e.starts_with("line 2,"), "{e}");
        let c = parse("keymap = \"k.toml\"\n").unwrap();
        assert_eq!(c.keymap.as_deref(), Some(Path::new("k.toml")));
        let e = parse("\nlang = \"fr\"\n").unwrap_err().to_string();
        assert!(
            e.contains("line 2") && e.contains("unknown language"),
            "{e}"
        );
    }
}
