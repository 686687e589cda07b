use clap::Parser;
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = pingshen::cli::Cli::parse();
    // The command line runs its command, or says which app to open: the app is opened
    // here, above both.
    let ran = pingshen::cli::run(cli).and_then(|open| match open {
        None => Ok(()),
        Some(app) => pingshen::tui::run(pingshen::tui::Options {
            db: app.db,
            user: app.user,
            theme: app.theme,
            lang: app.lang,
        }),
    });
    match ran {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            // An error may quote data: never a raw control character to the terminal.
            let text = format!("{e:#}");
            eprintln!(
                "pingshen: {}",
                pingshen::text::escape_controls_keep_lines(&text)
            );
            ExitCode::FAILURE
        }
    }
}
