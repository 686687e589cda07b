//! Colour themes for the full-screen screens.
//!
//! A theme is a TOML file with a `name`, a `description` and a `[colours]` table that
//! gives a colour for every role the screens use (all roles are required, unknown keys
//! are refused):
//!
//! ```toml
//! name = "ocean"
//! description = "Deep blue"
//!
//! [colours]
//! background = "#0b1a2a"   # 24-bit colour
//! foreground = "white"     # a colour name
//! muted      = 245         # a 256-colour palette entry, also written "ansi:245"
//! border     = "reset"     # the terminal's own default colour
//! # ... and every other role of [`Theme`]
//! ```
//!
//! Three themes are built in (`dark`, the default, `light` and `high-contrast`); users
//! add their own as `*.toml` files in [`user_dir`], where a file whose `name` is that
//! of a built-in theme replaces it.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use crate::i18n::Lang;
use ratatui::style::{Color, Modifier, Style};
use serde::Deserialize;
use thiserror::Error;

/// The built-in themes: name and file text, the default first.
const BUILTINS: [(&str, &str); 3] = [
    ("dark", include_str!("../../themes/dark.toml")),
    ("light", include_str!("../../themes/light.toml")),
    (
        "high-contrast",
        include_str!("../../themes/high-contrast.toml"),
    ),
];

const BUILTIN_NAMES: [&str; 3] = [BUILTINS[0].0, BUILTINS[1].0, BUILTINS[2].0];

/// What went wrong loading or choosing a theme; every message names the file (or the
/// theme) it concerns.
#[derive(Debug, Error)]
pub enum ThemeError {
    /// A colour value that is not a colour, with its key path (`colours.accent`).
    #[error(
        "{file}: {key}: '{value}' is not a colour (use #rrggbb, a colour name such as lightblue, or 0-255)"
    )]
    Colour {
        file: String,
        key: String,
        value: String,
    },
    /// A file that is not valid TOML or not a theme: a syntax error, a missing or
    /// unknown key, a value of the wrong type, an empty name.
    #[error("{file}: {}{message}", .line.map(|l| format!("line {l}: ")).unwrap_or_default())]
    Invalid {
        file: String,
        line: Option<usize>,
        message: String,
    },
    /// A theme folder or file that cannot be read.
    #[error("{}: {error}", .path.display())]
    Io { path: PathBuf, error: io::Error },
    /// Two user theme files with the same theme name.
    #[error("{first} and {second} both define the theme '{name}'; rename one of them")]
    Duplicate {
        name: String,
        first: String,
        second: String,
    },
    /// The theme chosen is a file that was skipped (and said so): the default opens.
    #[error("the theme '{name}' is a file skipped for its mistake; opening the default theme '{default}'")]
    Skipped { name: String, default: String },
    /// A theme name that is not among the available themes.
    #[error("unknown theme '{name}' (available: {})", .available.join(", "))]
    Unknown {
        name: String,
        available: Vec<String>,
    },
}

/// Declares the colour roles once: the public [`Theme`] fields, the `[colours]` table
/// of a theme file and the list of role names all come from this list.
macro_rules! colour_roles {
    ($($(#[$doc:meta])* $role:ident,)+) => {
        /// A complete colour theme: one colour per role.
        #[derive(Debug, Clone, PartialEq, Eq)]
        pub struct Theme {
            /// The name users choose the theme by.
            pub name: String,
            /// One line shown next to the name when themes are listed.
            pub description: String,
            $($(#[$doc])* pub $role: Color,)+
        }

        /// The `[colours]` table as written; values are checked one by one so that an
        /// error can name its key.
        #[derive(Deserialize)]
        #[serde(deny_unknown_fields)]
        struct ColourTable {
            $($role: toml::Value,)+
        }

        impl Theme {
            /// The names of the colour roles, as written in a theme file.
            pub const ROLES: &'static [&'static str] = &[$(stringify!($role)),+];

            /// The theme without a colour (`NO_COLOR`, a monochrome terminal): every
            /// role in the terminal's own colours; what is selected shows in reverse
            /// video instead.
            pub fn without_colour(&self) -> Theme {
                Theme {
                    name: self.name.clone(),
                    description: self.description.clone(),
                    $($role: Color::Reset,)+
                }
            }

            /// Every role with its colour, in the order of [`Theme::ROLES`].
            pub fn roles(&self) -> Vec<(&'static str, Color)> {
                vec![$((stringify!($role), self.$role)),+]
            }

            fn from_parts(
                file: &str,
                name: String,
                description: String,
                colours: &ColourTable,
            ) -> Result<Theme, ThemeError> {
                Ok(Theme {
                    name,
                    description,
                    $($role: colour(file, stringify!($role), &colours.$role)?,)+
                })
            }
        }
    };
}

colour_roles! {
    /// The screen's background.
    background,
    /// Ordinary text.
    foreground,
    /// Secondary text: hints, counts, dates.
    muted,
    /// The borders of panes that do not have the focus.
    border,
    /// The border of the pane that has the focus.
    border_focused,
    /// Pane titles.
    title,
    /// The current stage and the keys in hints.
    accent,
    /// The background of the selected row.
    selection_bg,
    /// The text of the selected row.
    selection_fg,
    /// The background of table headers.
    header_bg,
    /// The text of table headers.
    header_fg,
    /// The background of the status bar.
    status_bg,
    /// The text of the status bar.
    status_fg,
    /// Passed, complete, in order.
    ok,
    /// Pending, flagged, needs a look.
    warn,
    /// Failed, refused, an error.
    error,
    /// Stages already completed.
    stage_done,
    /// The stage an application is at.
    stage_current,
    /// Stages still to come.
    stage_todo,
    /// The background of input fields.
    input_bg,
    /// The text of input fields.
    input_fg,
    /// The background of pop-ups.
    popup_bg,
    /// The border of pop-ups.
    popup_border,
}

/// A theme file as written.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ThemeFile {
    name: toml::Spanned<String>,
    description: String,
    colours: ColourTable,
}

impl Theme {
    /// Parses a theme file; `source` is the file name shown in errors.
    pub fn parse(source: &str, text: &str) -> Result<Theme, ThemeError> {
        let file: ThemeFile = toml::from_str(text).map_err(|e| ThemeError::Invalid {
            file: source.to_string(),
            line: e.span().map(|span| line_of(text, span.start)),
            message: e.message().trim().to_string(),
        })?;
        let name = file.name.get_ref().trim().to_string();
        if name.is_empty() {
            return Err(ThemeError::Invalid {
                file: source.to_string(),
                line: Some(line_of(text, file.name.span().start)),
                message: "name: a theme needs a name".to_string(),
            });
        }
        let description = file.description.trim().to_string();
        Theme::from_parts(source, name, description, &file.colours)
    }

    /// A built-in theme by name (`dark`, `light`, `high-contrast`); case is ignored.
    pub fn builtin(name: &str) -> Option<Theme> {
        BUILTINS
            .iter()
            .find(|(builtin, _)| same_name(builtin, name))
            .map(|(builtin, text)| {
                Theme::parse(&format!("{builtin}.toml"), text)
                    .expect("the built-in themes are valid")
            })
    }

    /// The names of the built-in themes, the default first.
    pub fn builtin_names() -> &'static [&'static str] {
        &BUILTIN_NAMES
    }

    /// The default theme: `dark`.
    pub fn default_theme() -> Theme {
        Theme::builtin(BUILTIN_NAMES[0]).expect("the default theme is built in")
    }

    /// Ordinary text on the screen's background.
    pub fn base(&self) -> Style {
        Style::new().fg(self.foreground).bg(self.background)
    }

    /// Secondary text (colour only, so it keeps the background it is drawn on).
    pub fn muted(&self) -> Style {
        Style::new().fg(self.muted)
    }

    /// The selected row.
    pub fn selected(&self) -> Style {
        let style = Style::new().fg(self.selection_fg).bg(self.selection_bg);
        // Without colours, reverse video marks the selection.
        if self.selection_fg == self.selection_bg {
            style.add_modifier(ratatui::style::Modifier::REVERSED)
        } else {
            style
        }
    }

    /// A pane border, in the focused colour if the pane has the focus.
    pub fn border(&self, focused: bool) -> Style {
        Style::new().fg(if focused {
            self.border_focused
        } else {
            self.border
        })
    }

    /// A pane title, in bold.
    pub fn title(&self) -> Style {
        Style::new().fg(self.title).add_modifier(Modifier::BOLD)
    }

    /// The current stage and the keys in hints, in bold.
    pub fn accent(&self) -> Style {
        Style::new().fg(self.accent).add_modifier(Modifier::BOLD)
    }

    /// Passed and in-order values (colour only).
    pub fn ok(&self) -> Style {
        Style::new().fg(self.ok)
    }

    /// Pending and flagged values (colour only).
    pub fn warn(&self) -> Style {
        Style::new().fg(self.warn)
    }

    /// Failures, refusals and errors (colour only).
    pub fn error(&self) -> Style {
        Style::new().fg(self.error)
    }

    /// A table header, in bold.
    pub fn header(&self) -> Style {
        Style::new()
            .fg(self.header_fg)
            .bg(self.header_bg)
            .add_modifier(Modifier::BOLD)
    }

    /// The status bar.
    pub fn status(&self) -> Style {
        Style::new().fg(self.status_fg).bg(self.status_bg)
    }

    /// An input field.
    pub fn input(&self) -> Style {
        Style::new().fg(self.input_fg).bg(self.input_bg)
    }

    /// The inside of a pop-up: ordinary text on the pop-up background.
    pub fn popup(&self) -> Style {
        Style::new().fg(self.foreground).bg(self.popup_bg)
    }

    /// The border of a pop-up.
    pub fn popup_border(&self) -> Style {
        Style::new().fg(self.popup_border).bg(self.popup_bg)
    }

    /// A completed stage (colour only).
    pub fn stage_done(&self) -> Style {
        Style::new().fg(self.stage_done)
    }

    /// The current stage, in bold.
    pub fn stage_current(&self) -> Style {
        Style::new()
            .fg(self.stage_current)
            .add_modifier(Modifier::BOLD)
    }

    /// A stage still to come (colour only).
    pub fn stage_todo(&self) -> Style {
        Style::new().fg(self.stage_todo)
    }
}

impl Default for Theme {
    fn default() -> Theme {
        Theme::default_theme()
    }
}

/// A user theme file skipped for a mistake, and the names it may have been chosen
/// by: its file name and, if it got that far, the `name` it gives.
#[derive(Debug)]
pub struct Skipped {
    pub names: Vec<String>,
    pub error: ThemeError,
}

/// The themes that loaded, and the user theme files that did not.
#[derive(Debug)]
pub struct Loaded {
    pub themes: Vec<Theme>,
    pub skipped: Vec<Skipped>,
}

/// All themes: the built-ins, then the user themes of `dir` (every `*.toml`; a user
/// theme with a built-in's name replaces it). Missing dir = built-ins only. A user file with a mistake is
/// skipped, and what is wrong with it (its file, line and key) kept in
/// [`Loaded::skipped`]; so is a folder that cannot be read.
///
/// User themes come in file-name order; of two user files with the same theme name
/// the first is kept and the second skipped, saying which, so that neither silently
/// wins.
pub fn load_all(dir: Option<&Path>) -> Loaded {
    let mut loaded = Loaded {
        themes: BUILTIN_NAMES
            .iter()
            .filter_map(|name| Theme::builtin(name))
            .collect(),
        skipped: Vec::new(),
    };
    let Some(dir) = dir else {
        return loaded;
    };
    let skip = |names: Vec<String>, error: ThemeError| Skipped { names, error };
    let io_error = |path: &Path, error| ThemeError::Io {
        path: path.to_path_buf(),
        error,
    };
    let entries = match fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return loaded,
        Err(e) => {
            loaded.skipped.push(skip(Vec::new(), io_error(dir, e)));
            return loaded;
        }
    };
    let mut files = Vec::new();
    for entry in entries {
        let path = match entry {
            Ok(entry) => entry.path(),
            Err(e) => {
                loaded.skipped.push(skip(Vec::new(), io_error(dir, e)));
                continue;
            }
        };
        let is_toml = path
            .extension()
            .is_some_and(|ext| ext.eq_ignore_ascii_case("toml"));
        if is_toml && path.is_file() {
            files.push(path);
        }
    }
    files.sort();

    // Theme name and file of every user theme read so far.
    let mut seen: Vec<(String, String)> = Vec::new();
    for path in files {
        let file = path.display().to_string();
        let mut names: Vec<String> = path
            .file_stem()
            .map(|stem| stem.to_string_lossy().into_owned())
            .into_iter()
            .collect();
        let text = match fs::read_to_string(&path) {
            Ok(text) => text,
            Err(e) => {
                loaded.skipped.push(skip(names, io_error(&path, e)));
                continue;
            }
        };
        let theme = match Theme::parse(&file, &text) {
            Ok(theme) => theme,
            Err(error) => {
                names.extend(declared_name(&text));
                loaded.skipped.push(skip(names, error));
                continue;
            }
        };
        if let Some((_, first)) = seen.iter().find(|(name, _)| same_name(name, &theme.name)) {
            let error = ThemeError::Duplicate {
                name: theme.name,
                first: first.clone(),
                second: file,
            };
            loaded.skipped.push(skip(Vec::new(), error));
            continue;
        }
        seen.push((theme.name.clone(), file));
        match loaded
            .themes
            .iter_mut()
            .find(|t| same_name(&t.name, &theme.name))
        {
            Some(builtin) => *builtin = theme,
            None => loaded.themes.push(theme),
        }
    }
    loaded
}

/// The `name` a theme file gives, if it is TOML enough to tell.
fn declared_name(text: &str) -> Option<String> {
    let table: toml::Table = toml::from_str(text).ok()?;
    let name = table.get("name")?.as_str()?.trim();
    (!name.is_empty()).then(|| name.to_string())
}

/// The index of the theme to open: the one named `wanted`, or the default (the first)
/// when none is. A `wanted` that names a skipped file opens the default too, with
/// [`ThemeError::Skipped`] to say so; a name no theme has is refused, listing the
/// available ones.
pub fn choose(
    loaded: &Loaded,
    wanted: Option<&str>,
) -> Result<(usize, Option<ThemeError>), ThemeError> {
    let Some(wanted) = wanted else {
        return Ok((0, None));
    };
    let chosen = select(&loaded.themes, wanted);
    if let Ok(theme) = &chosen {
        let index = loaded.themes.iter().position(|t| t.name == theme.name);
        return Ok((index.unwrap_or(0), None));
    }
    let broken = loaded
        .skipped
        .iter()
        .find(|s| s.names.iter().any(|n| same_name(n, wanted.trim())));
    match broken {
        Some(_) => Ok((
            0,
            Some(ThemeError::Skipped {
                name: wanted.trim().to_string(),
                default: loaded.themes[0].name.clone(),
            }),
        )),
        None => chosen.map(|_| (0, None)),
    }
}

/// A warning of the themes, to print before the app opens.
pub fn warning(lang: Lang, error: &ThemeError) -> String {
    let lead = match error {
        ThemeError::Skipped { .. } => {
            lang.pick("所选主题无法载入", "the theme chosen cannot be loaded")
        }
        _ => lang.pick("主题文件有误，已跳过", "a theme file was skipped"),
    };
    let sep = lang.pick("：", ": ");
    crate::text::escape_controls(&format!("{lead}{sep}{error}")).into_owned()
}

/// Picks a theme by name from the list; unknown name -> ThemeError::Unknown listing the
/// available names. Case is ignored.
pub fn select(themes: &[Theme], name: &str) -> Result<Theme, ThemeError> {
    let wanted = name.trim();
    themes
        .iter()
        .find(|theme| same_name(&theme.name, wanted))
        .cloned()
        .ok_or_else(|| ThemeError::Unknown {
            name: wanted.to_string(),
            available: themes.iter().map(|theme| theme.name.clone()).collect(),
        })
}

/// The user theme folder: the platform config dir + "pingshen/themes".
pub fn user_dir() -> Option<PathBuf> {
    dirs::config_dir().map(|config| config.join("pingshen").join("themes"))
}

fn same_name(a: &str, b: &str) -> bool {
    a.eq_ignore_ascii_case(b)
}

/// The 1-based line of a byte offset.
fn line_of(text: &str, offset: usize) -> usize {
    let end = offset.min(text.len());
    text.as_bytes()[..end]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
        + 1
}

/// Checks one value of the `[colours]` table.
fn colour(file: &str, role: &str, value: &toml::Value) -> Result<Color, ThemeError> {
    let parsed = match value {
        toml::Value::String(text) => colour_from_text(text),
        toml::Value::Integer(index) => u8::try_from(*index).ok().map(Color::Indexed),
        _ => None,
    };
    parsed.ok_or_else(|| ThemeError::Colour {
        file: file.to_string(),
        key: format!("colours.{role}"),
        value: match value {
            toml::Value::String(text) => text.clone(),
            other => other.to_string(),
        },
    })
}

/// `#rrggbb`, a colour name (case, `-`, `_` and spaces ignored), `reset` or `ansi:NN`.
fn colour_from_text(text: &str) -> Option<Color> {
    let text = text.trim();
    if let Some(hex) = text.strip_prefix('#') {
        if hex.len() != 6 || !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
            return None;
        }
        let channel = |i: usize| u8::from_str_radix(&hex[i..i + 2], 16).ok();
        return Some(Color::Rgb(channel(0)?, channel(2)?, channel(4)?));
    }
    let lower = text.to_ascii_lowercase();
    if let Some(index) = lower.strip_prefix("ansi:") {
        if index.is_empty() || !index.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        return index.parse().ok().map(Color::Indexed);
    }
    let key: String = lower
        .chars()
        .filter(|c| !matches!(c, '-' | '_' | ' '))
        .collect();
    let colour = match key.as_str() {
        "reset" => Color::Reset,
        "black" => Color::Black,
        "red" => Color::Red,
        "green" => Color::Green,
        "yellow" => Color::Yellow,
        "blue" => Color::Blue,
        "magenta" => Color::Magenta,
        "cyan" => Color::Cyan,
        "gray" | "grey" => Color::Gray,
        "darkgray" | "darkgrey" => Color::DarkGray,
        "lightred" => Color::LightRed,
        "lightgreen" => Color::LightGreen,
        "lightyellow" => Color::LightYellow,
        "lightblue" => Color::LightBlue,
        "lightmagenta" => Color::LightMagenta,
        "lightcyan" => Color::LightCyan,
        "white" => Color::White,
        _ => return None,
    };
    Some(colour)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The dark theme's file with the line of `key` replaced by `line` (or removed when
    /// `line` is empty).
    fn dark_with(key: &str, line: &str) -> String {
        let mut found = false;
        let text: Vec<&str> = BUILTINS[0]
            .1
            .lines()
            .filter_map(|l| {
                let is_key = l.split('=').next().map(str::trim) == Some(key);
                if is_key {
                    found = true;
                    (!line.is_empty()).then_some(line)
                } else {
                    Some(l)
                }
            })
            .collect();
        assert!(found, "no line for {key}");
        text.join("\n")
    }

    /// The 1-based line of the first line of `text` starting with `start`.
    fn line_starting(text: &str, start: &str) -> usize {
        text.lines().position(|l| l.starts_with(start)).unwrap() + 1
    }

    fn parse_colour(value: &str) -> Result<Color, ThemeError> {
        Theme::parse("t.toml", &dark_with("accent", &format!("accent = {value}")))
            .map(|theme| theme.accent)
    }

    /// The 24-bit value of a colour whose value is fixed: `#rrggbb`, or an entry 16-255
    /// of the 256-colour palette (the 6x6x6 cube and the grey ramp, as xterm defines
    /// them). Names, entries 0-15 and `reset` depend on the terminal.
    fn rgb(colour: Color) -> Option<[u8; 3]> {
        const LEVELS: [u8; 6] = [0, 95, 135, 175, 215, 255];
        match colour {
            Color::Rgb(r, g, b) => Some([r, g, b]),
            Color::Indexed(i @ 16..=231) => {
                let i = usize::from(i - 16);
                Some([LEVELS[i / 36], LEVELS[i / 6 % 6], LEVELS[i % 6]])
            }
            Color::Indexed(i @ 232..=255) => {
                let grey = 8 + 10 * (i - 232);
                Some([grey, grey, grey])
            }
            _ => None,
        }
    }

    /// WCAG 2 relative luminance.
    fn luminance(colour: Color) -> f64 {
        let channel = |c: u8| {
            let c = f64::from(c) / 255.0;
            if c <= 0.03928 {
                c / 12.92
            } else {
                ((c + 0.055) / 1.055).powf(2.4)
            }
        };
        let [r, g, b] = rgb(colour).unwrap_or_else(|| panic!("{colour:?} has no fixed value"));
        0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)
    }

    /// WCAG 2 contrast ratio, 1 to 21.
    fn contrast(a: Color, b: Color) -> f64 {
        let (a, b) = (luminance(a), luminance(b));
        (a.max(b) + 0.05) / (a.min(b) + 0.05)
    }

    /// The pairs of text and background colour that must be readable: the four filled
    /// styles, input and pop-up text, and every text colour on each surface it can be
    /// drawn on (background, status bar, pop-up).
    fn text_pairs(t: &Theme) -> Vec<(String, Color, Color)> {
        let mut pairs = vec![
            ("base".to_string(), t.foreground, t.background),
            ("selection".to_string(), t.selection_fg, t.selection_bg),
            ("header".to_string(), t.header_fg, t.header_bg),
            ("status".to_string(), t.status_fg, t.status_bg),
            ("input".to_string(), t.input_fg, t.input_bg),
        ];
        let texts = [
            ("foreground", t.foreground),
            ("muted", t.muted),
            ("title", t.title),
            ("accent", t.accent),
            ("ok", t.ok),
            ("warn", t.warn),
            ("error", t.error),
            ("stage_done", t.stage_done),
            ("stage_current", t.stage_current),
            ("stage_todo", t.stage_todo),
        ];
        let surfaces = [
            ("background", t.background),
            ("status_bg", t.status_bg),
            ("popup_bg", t.popup_bg),
        ];
        for (text, fg) in texts {
            for (surface, bg) in surfaces {
                pairs.push((format!("{text} on {surface}"), fg, bg));
            }
        }
        pairs
    }

    #[test]
    fn builtins_parse_and_are_distinct() {
        let themes: Vec<Theme> = Theme::builtin_names()
            .iter()
            .map(|name| Theme::builtin(name).unwrap())
            .collect();
        assert_eq!(Theme::builtin_names(), ["dark", "light", "high-contrast"]);
        for (theme, name) in themes.iter().zip(Theme::builtin_names()) {
            assert_eq!(&theme.name, name);
            assert!(!theme.description.is_empty(), "{name}");
            assert_eq!(theme.roles().len(), Theme::ROLES.len());
        }
        for (i, a) in themes.iter().enumerate() {
            for b in &themes[i + 1..] {
                assert_ne!(a.roles(), b.roles(), "{} and {}", a.name, b.name);
            }
        }
        assert_eq!(Theme::default_theme(), themes[0]);
        assert_eq!(Theme::default(), themes[0]);
        assert_eq!(Theme::builtin("High-Contrast").unwrap(), themes[2]);
        assert_eq!(Theme::builtin("ocean"), None);
    }

    #[test]
    fn every_colour_form_parses() {
        let cases = [
            (r##""#1E20a0""##, Color::Rgb(0x1e, 0x20, 0xa0)),
            (r##"" #000000 ""##, Color::Rgb(0, 0, 0)),
            ("0", Color::Indexed(0)),
            ("110", Color::Indexed(110)),
            ("255", Color::Indexed(255)),
            (r#""ansi:42""#, Color::Indexed(42)),
            (r#""ANSI:7""#, Color::Indexed(7)),
            (r#""reset""#, Color::Reset),
            (r#""Reset""#, Color::Reset),
            (r#""black""#, Color::Black),
            (r#""red""#, Color::Red),
            (r#""green""#, Color::Green),
            (r#""yellow""#, Color::Yellow),
            (r#""blue""#, Color::Blue),
            (r#""magenta""#, Color::Magenta),
            (r#""cyan""#, Color::Cyan),
            (r#""gray""#, Color::Gray),
            (r#""grey""#, Color::Gray),
            (r#""darkgray""#, Color::DarkGray),
            (r#""Dark_Grey""#, Color::DarkGray),
            (r#""lightred""#, Color::LightRed),
            (r#""lightgreen""#, Color::LightGreen),
            (r#""light-yellow""#, Color::LightYellow),
            (r#""LightBlue""#, Color::LightBlue),
            (r#""light_blue""#, Color::LightBlue),
            (r#""LIGHTMAGENTA""#, Color::LightMagenta),
            (r#""lightcyan""#, Color::LightCyan),
            (r#""white""#, Color::White),
        ];
        for (value, expected) in cases {
            assert_eq!(parse_colour(value).unwrap(), expected, "{value}");
        }
        let refused = [
            r##""#12345""##,
            r##""#1234567""##,
            r##""#12345g""##,
            r##""#ééé""##,
            r#""bleu""#,
            r#""""#,
            r#""ansi:""#,
            r#""ansi:256""#,
            r#""ansi:+1""#,
            r#""ansi:-1""#,
            r#""ansi: 1""#,
            r#""42""#,
            "256",
            "-1",
            "1.5",
            "true",
            "[1, 2, 3]",
        ];
        for value in refused {
            let err = parse_colour(value).unwrap_err();
            assert!(matches!(err, ThemeError::Colour { .. }), "{value}: {err}");
        }
    }

    #[test]
    fn a_bad_colour_names_the_file_and_key() {
        let text = dark_with("accent", r#"accent = "bleu""#);
        let err = Theme::parse("themes/ocean.toml", &text).unwrap_err();
        assert_eq!(
            err.to_string(),
            "themes/ocean.toml: colours.accent: 'bleu' is not a colour \
             (use #rrggbb, a colour name such as lightblue, or 0-255)"
        );
        let text = dark_with("popup_bg", "popup_bg = 300");
        let err = Theme::parse("mine.toml", &text).unwrap_err();
        assert!(
            err.to_string()
                .starts_with("mine.toml: colours.popup_bg: '300' is not a colour"),
            "{err}"
        );
    }

    #[test]
    fn a_missing_field_names_the_file_and_line() {
        let text = dark_with("accent", "");
        let err = Theme::parse("mytheme.toml", &text).unwrap_err();
        let line = line_starting(&text, "[colours]");
        assert_eq!(
            err.to_string(),
            format!("mytheme.toml: line {line}: missing field `accent`")
        );

        let text = dark_with("description", "");
        let err = Theme::parse("mytheme.toml", &text).unwrap_err();
        assert!(
            err.to_string().starts_with("mytheme.toml: line ")
                && err.to_string().ends_with("missing field `description`"),
            "{err}"
        );
    }

    #[test]
    fn an_unknown_field_names_the_file_and_line() {
        let text = dark_with("accent", "accent = 80\nacent = 81");
        let err = Theme::parse("mytheme.toml", &text).unwrap_err();
        let line = line_starting(&text, "acent");
        assert!(
            err.to_string()
                .starts_with(&format!("mytheme.toml: line {line}: unknown field `acent`")),
            "{err}"
        );

        let text = format!("author = \"me\"\n{}", BUILTINS[0].1);
        let err = Theme::parse("mytheme.toml", &text).unwrap_err();
        assert!(
            err.to_string()
                .starts_with("mytheme.toml: line 1: unknown field `author`"),
            "{err}"
        );
    }

    #[test]
    fn other_bad_files_name_the_file_and_line() {
        let text = dark_with("name", "name = 7");
        let err = Theme::parse("mytheme.toml", &text).unwrap_err();
        let line = line_starting(&text, "name");
        assert!(
            err.to_string()
                .starts_with(&format!("mytheme.toml: line {line}: invalid type")),
            "{err}"
        );

        let text = dark_with("name", r#"name = "  ""#);
        let err = Theme::parse("mytheme.toml", &text).unwrap_err();
        assert_eq!(
            err.to_string(),
            format!("mytheme.toml: line {line}: name: a theme needs a name")
        );

        let text = dark_with("warn", "warn = ");
        let err = Theme::parse("mytheme.toml", &text).unwrap_err();
        let line = line_starting(&text, "warn");
        assert!(
            err.to_string()
                .starts_with(&format!("mytheme.toml: line {line}: ")),
            "{err}"
        );
    }

    #[test]
    fn load_all_adds_user_themes_and_overrides_builtins() {
        let builtins = load_all(None).themes;
        let names: Vec<&str> = builtins.iter().map(|t| t.name.as_str()).collect();
        assert_eq!(names, Theme::builtin_names());

        let dir = tempfile::tempdir().unwrap();
        let missing = dir.path().join("themes");
        assert_eq!(load_all(Some(&missing)).themes, builtins);

        fs::create_dir(&missing).unwrap();
        let ocean = dark_with("name", r#"name = "ocean""#);
        fs::write(missing.join("ocean.toml"), &ocean).unwrap();
        let my_dark = dark_with("description", r#"description = "my own dark""#);
        fs::write(missing.join("my-dark.toml"), &my_dark).unwrap();
        fs::write(missing.join("notes.txt"), "not a theme").unwrap();
        fs::create_dir(missing.join("old.toml")).unwrap();

        let loaded = load_all(Some(&missing));
        assert!(loaded.skipped.is_empty(), "{:?}", loaded.skipped);
        let themes = loaded.themes;
        let names: Vec<&str> = themes.iter().map(|t| t.name.as_str()).collect();
        assert_eq!(names, ["dark", "light", "high-contrast", "ocean"]);
        assert_eq!(themes[0].description, "my own dark");
        assert_eq!(select(&themes, "dark").unwrap().description, "my own dark");
        assert_eq!(themes[3], Theme::parse("ocean.toml", &ocean).unwrap());
        assert_eq!(themes[1], Theme::builtin("light").unwrap());
    }

    #[test]
    fn load_all_skips_a_bad_user_file_naming_it() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("ocean.toml");
        fs::write(&path, dark_with("accent", r#"accent = "bleu""#)).unwrap();
        let loaded = load_all(Some(dir.path()));
        assert_eq!(loaded.themes, load_all(None).themes);
        let [skipped] = &loaded.skipped[..] else {
            panic!("{:?}", loaded.skipped);
        };
        let err = &skipped.error;
        assert!(
            err.to_string().starts_with(&format!(
                "{}: colours.accent: 'bleu' is not a colour",
                path.display()
            )),
            "{err}"
        );
    }

    #[test]
    fn load_all_keeps_the_first_of_two_user_files_with_one_name() {
        let dir = tempfile::tempdir().unwrap();
        let ocean = dark_with("name", r#"name = "ocean""#);
        fs::write(dir.path().join("a.toml"), &ocean).unwrap();
        let other = ocean.replacen("description = ", "description = \"b\" #", 1);
        fs::write(dir.path().join("b.toml"), &other).unwrap();
        let loaded = load_all(Some(dir.path()));
        let ocean = select(&loaded.themes, "ocean").unwrap();
        assert_eq!(
            ocean,
            Theme::parse("a.toml", &dark_with("name", r#"name = "ocean""#)).unwrap()
        );
        assert_eq!(loaded.skipped.len(), 1);
        let err = &loaded.skipped[0].error;
        assert!(matches!(err, ThemeError::Duplicate { .. }), "{err}");
        let message = err.to_string();
        assert!(message.contains("a.toml") && message.contains("b.toml"));
        assert!(message.contains("'ocean'"), "{message}");
    }

    #[test]
    fn load_all_reports_a_theme_folder_that_is_a_file() {
        let file = tempfile::NamedTempFile::new().unwrap();
        let loaded = load_all(Some(file.path()));
        assert_eq!(loaded.themes, load_all(None).themes);
        let err = &loaded.skipped[0].error;
        assert!(matches!(err, ThemeError::Io { .. }), "{err}");
        assert!(err
            .to_string()
            .starts_with(&file.path().display().to_string()));
    }

    #[test]
    fn select_picks_by_name_and_lists_the_available_ones() {
        let mut themes = load_all(None).themes;
        themes.push(Theme::parse("ocean.toml", &dark_with("name", r#"name = "ocean""#)).unwrap());
        assert_eq!(select(&themes, "light").unwrap().name, "light");
        assert_eq!(select(&themes, " Ocean ").unwrap().name, "ocean");
        let err = select(&themes, "sunset").unwrap_err();
        assert_eq!(
            err.to_string(),
            "unknown theme 'sunset' (available: dark, light, high-contrast, ocean)"
        );
    }

    #[test]
    fn high_contrast_meets_wcag_aaa() {
        let theme = Theme::builtin("high-contrast").unwrap();
        for (_, colour) in theme.roles() {
            assert!(matches!(colour, Color::Rgb(..)), "{colour:?} is not hex");
        }
        let required = [
            ("base", theme.base()),
            ("selection", theme.selected()),
            ("header", theme.header()),
            ("status", theme.status()),
        ];
        for (what, style) in required {
            let ratio = contrast(style.fg.unwrap(), style.bg.unwrap());
            assert!(ratio >= 7.0, "{what}: {ratio:.2}");
        }
        for (what, fg, bg) in text_pairs(&theme) {
            let ratio = contrast(fg, bg);
            assert!(ratio >= 7.0, "{what}: {ratio:.2}");
        }
        // Only pure black and white, bright yellow and cyan.
        let palette = [[0, 0, 0], [255, 255, 255], [255, 255, 0], [0, 255, 255]];
        for (role, colour) in theme.roles() {
            assert!(palette.contains(&rgb(colour).unwrap()), "{role}");
        }
    }

    #[test]
    fn dark_selection_is_readable() {
        let theme = Theme::builtin("dark").unwrap();
        let ratio = contrast(theme.selection_fg, theme.selection_bg);
        assert!(ratio >= 4.5, "{ratio:.2}");
    }

    #[test]
    fn dark_and_light_text_meets_wcag_aa_everywhere() {
        for name in ["dark", "light"] {
            let theme = Theme::builtin(name).unwrap();
            for (what, fg, bg) in text_pairs(&theme) {
                let ratio = contrast(fg, bg);
                assert!(ratio >= 4.5, "{name}: {what}: {ratio:.2}");
            }
            // The selected row stands out from the rows around it.
            let ratio = contrast(theme.selection_bg, theme.background);
            assert!(ratio >= 2.0, "{name}: selection: {ratio:.2}");
        }
    }

    #[test]
    fn dark_and_light_look_alike_on_256_colour_and_truecolour_terminals() {
        // Palette entries 16-255 have the same value everywhere; 24-bit colours need a
        // truecolour terminal and entries 0-15 follow the terminal's own scheme.
        for name in ["dark", "light"] {
            let theme = Theme::builtin(name).unwrap();
            for (role, colour) in theme.roles() {
                assert!(
                    matches!(colour, Color::Indexed(16..=255)),
                    "{name}: {role}: {colour:?}"
                );
            }
        }
    }

    #[test]
    fn styles_use_their_roles() {
        let t = Theme::default_theme();
        assert_eq!(t.base(), Style::new().fg(t.foreground).bg(t.background));
        assert_eq!(t.selected().fg, Some(t.selection_fg));
        assert_eq!(t.selected().bg, Some(t.selection_bg));
        assert_eq!(t.border(false).fg, Some(t.border));
        assert_eq!(t.border(true).fg, Some(t.border_focused));
        assert_eq!(t.muted(), Style::new().fg(t.muted));
        assert_eq!(t.title().fg, Some(t.title));
        assert!(t.title().add_modifier.contains(Modifier::BOLD));
        assert_eq!(t.accent().fg, Some(t.accent));
        assert_eq!(t.ok().fg, Some(t.ok));
        assert_eq!(t.warn().fg, Some(t.warn));
        assert_eq!(t.error().fg, Some(t.error));
        assert_eq!(
            (t.header().fg, t.header().bg),
            (Some(t.header_fg), Some(t.header_bg))
        );
        assert_eq!(
            (t.status().fg, t.status().bg),
            (Some(t.status_fg), Some(t.status_bg))
        );
        assert_eq!(
            (t.input().fg, t.input().bg),
            (Some(t.input_fg), Some(t.input_bg))
        );
        assert_eq!(
            (t.popup().fg, t.popup().bg),
            (Some(t.foreground), Some(t.popup_bg))
        );
        assert_eq!(t.popup_border().fg, Some(t.popup_border));
        assert_eq!(t.stage_done().fg, Some(t.stage_done));
        assert_eq!(t.stage_current().fg, Some(t.stage_current));
        assert_eq!(t.stage_todo().fg, Some(t.stage_todo));
        // Colour-only styles keep the background they are drawn on.
        for style in [t.muted(), t.accent(), t.ok(), t.warn(), t.error()] {
            assert_eq!(style.bg, None);
        }
    }

    #[test]
    fn the_user_folder_is_under_the_config_dir() {
        if let Some(dir) = user_dir() {
            assert!(
                dir.ends_with(Path::new("pingshen").join("themes")),
                "{dir:?}"
            );
            assert_eq!(
                dir.parent().unwrap().parent(),
                dirs::config_dir().as_deref()
            );
        }
    }
}
