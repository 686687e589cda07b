//! The house keeps its floors: SQL only in the store and the service, the app and the
//! command line side by side on the service without importing each other, the domain
//! pure, and no module of the app importing a sibling that imports it back.

mod common;

use common::rust_files;
use regex::Regex;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

fn src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

/// Every source file with its path under `src/` (with `/` separators) and its text.
fn sources() -> Vec<(String, String)> {
    let mut files = Vec::new();
    rust_files(&src(), &mut files);
    let mut out: Vec<(String, String)> = files
        .into_iter()
        .map(|f| {
            let rel = f
                .strip_prefix(src())
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            (rel, std::fs::read_to_string(&f).unwrap())
        })
        .collect();
    out.sort();
    out
}

/// The code of a file without its unit tests and comments.
fn code(text: &str) -> String {
    let text = text.split("#[cfg(test)]").next().unwrap_or("");
    text.lines()
        .filter(|l| !l.trim_start().starts_with("//"))
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn only_the_store_and_the_service_speak_sql() {
    // Written in pieces so that this file does not find itself.
    let sql = Regex::new(
        &[
            r#""[^"]*\b(SELECT|INSERT INTO|UPDATE \w+ SET|DELETE FROM|CREATE TABLE|PRAGMA)\b"#,
            r"|\.(prepare|execute|execute_batch|query_row|pragma_update)\(",
        ]
        .concat(),
    )
    .unwrap();
    let mut found = Vec::new();
    for (file, text) in sources() {
        if file.starts_with("store/") || file.starts_with("service/") {
            continue;
        }
        for (n, line) in code(&text).lines().enumerate() {
            if sql.is_match(line) {
                found.push(format!("src/{file}:{}: {}", n + 1, line.trim()));
            }
        }
    }
    assert!(
        found.is_empty(),
        "SQL outside store/ and service/:\n{}",
        found.join("\n")
    );
}

#[test]
fn the_app_and_the_command_line_do_not_import_each_other() {
    let rules: [(&str, &[&str]); 6] = [
        ("tui/", &["crate::cli"]),
        ("cli/", &["crate::tui"]),
        ("service/", &["crate::tui", "crate::cli"]),
        ("store/", &["crate::tui", "crate::cli", "crate::service"]),
        ("search/", &["crate::tui", "crate::cli", "crate::service"]),
        (
            "domain/",
            &[
                "crate::tui",
                "crate::cli",
                "crate::service",
                "crate::store",
                "crate::search",
            ],
        ),
    ];
    let mut found = Vec::new();
    for (file, text) in sources() {
        for (dir, banned) in rules {
            if !file.starts_with(dir) {
                continue;
            }
            for (n, line) in code(&text).lines().enumerate() {
                if let Some(b) = banned.iter().find(|b| line.contains(*b)) {
                    found.push(format!("src/{file}:{}: {b} in {dir}", n + 1));
                }
            }
        }
    }
    assert!(found.is_empty(), "layers crossed:\n{}", found.join("\n"));
}

/// The module path of a file under `src/` (`tui/screens/mod.rs` is `tui::screens`).
fn module_of(file: &str) -> Vec<String> {
    let mut parts: Vec<String> = file
        .trim_end_matches(".rs")
        .split('/')
        .map(String::from)
        .collect();
    if parts.last().is_some_and(|p| p == "mod") {
        parts.pop();
    }
    parts
}

/// A module path: `["tui", "screens", "login"]`.
type Module = Vec<String>;

/// Which modules of the app each module of the app refers to: (from, to).
fn app_references() -> Vec<(Module, Module)> {
    let files: Vec<(String, String)> = sources()
        .into_iter()
        .filter(|(f, _)| f.starts_with("tui/"))
        .collect();
    let modules: BTreeSet<Module> = files.iter().map(|(f, _)| module_of(f)).collect();
    let path = Regex::new(r"\b(crate::tui|super(?:::super)*)((?:::[a-z_0-9]+)+)").unwrap();
    let braces = Regex::new(r"\b(crate::tui|super(?:::super)*)::\{([^{}]*)\}").unwrap();
    let mut refs = Vec::new();
    for (file, text) in &files {
        let me = module_of(file);
        let is_mod = file.ends_with("mod.rs");
        // `super` of a file `a/b.rs` is `a`; of `a/b/mod.rs` it is `a` as well.
        let parent: Module = me[..me.len() - 1].to_vec();
        // `use super::{a::X, b}` names `super::a` and `super::b`.
        let plain = code(text);
        let code = braces.replace_all(&plain, |c: &regex::Captures| {
            c[2].split(',')
                .filter_map(|item| item.trim().split("::").next())
                .filter(|first| !first.is_empty())
                .map(|first| format!("{}::{first}", &c[1]))
                .collect::<Vec<_>>()
                .join(" ")
        });
        for c in path.captures_iter(&code) {
            let base: Module = match &c[1] {
                "crate::tui" => vec!["tui".into()],
                s => {
                    let ups = s.matches("super").count();
                    parent[..parent.len() + 1 - ups].to_vec()
                }
            };
            let mut target = base;
            target.extend(c[2].split("::").filter(|s| !s.is_empty()).map(String::from));
            // The longest prefix that is a module.
            while !target.is_empty() && !modules.contains(&target) {
                target.pop();
            }
            if !target.is_empty() {
                refs.push((me.clone(), target));
            }
        }
        // A `mod.rs` names its own children without `super`.
        if is_mod {
            for m in modules
                .iter()
                .filter(|m| m.len() == me.len() + 1 && m.starts_with(&me))
            {
                let child = m.last().unwrap();
                let bare = Regex::new(&format!(r"(?m)(^|[^:\w]){child}::")).unwrap();
                if bare.is_match(&code) {
                    refs.push((me.clone(), m.clone()));
                }
            }
        }
    }
    refs
}

#[test]
fn no_module_of_the_app_imports_a_sibling_that_imports_it_back() {
    let refs = app_references();
    // Edges between siblings: the two children of the deepest common parent on the
    // way from the one that refers to the one referred to. A parent's own file (its
    // `mod.rs`) counts as a sibling of its children, named "(mod)".
    let mut edges: BTreeMap<Module, BTreeSet<(String, String)>> = BTreeMap::new();
    for (from, to) in &refs {
        let common = from.iter().zip(to).take_while(|(a, b)| a == b).count();
        let parent = from[..common].to_vec();
        let side = |m: &Module| m.get(common).cloned().unwrap_or_else(|| "(mod)".into());
        let (a, b) = (side(from), side(to));
        if a != b {
            edges.entry(parent).or_default().insert((a, b));
        }
    }
    let mut cycles = Vec::new();
    for (parent, e) in &edges {
        for (a, b) in e {
            if a < b && e.contains(&(b.clone(), a.clone())) {
                cycles.push(format!("{}: {a} <-> {b}", parent.join("::")));
            }
        }
    }
    assert!(
        cycles.is_empty(),
        "modules importing each other:\n{}",
        cycles.join("\n")
    );
}

#[test]
fn screens_do_not_reach_up_into_the_app() {
    // A screen gets what it shares with the others as a context, never the app's
    // state, its drawing or its runtime.
    let refs = app_references();
    let above = ["app", "render", "runtime"];
    let found: Vec<String> = refs
        .iter()
        .filter(|(from, to)| {
            from.get(1)
                .is_some_and(|m| m == "screens" || m == "widgets")
                && to.len() == 2
                && (above.contains(&to[1].as_str()) || to == &["tui".to_string()])
        })
        .map(|(from, to)| format!("{} -> {}", from.join("::"), to.join("::")))
        .collect();
    assert!(
        found.is_empty(),
        "screens reaching up:\n{}",
        found.join("\n")
    );
}
