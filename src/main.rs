use clap::Parser;
use std::process::ExitCode;

/// Exit codes: 0 done (for `search`: something matched), 1 an error (for `search`:
/// nothing matched), 2 a usage error (clap's own) or, for `search`, an error. A closed
/// pipe ends the command quietly with 0: the reader wanted no more.
fn main() -> ExitCode {
    let cli = pingshen::cli::Cli::parse();
    let failure = cli.failure_code();
    // The command line runs its command, or says which app to open: the app is opened
    // here, above both.
    let ran = pingshen::cli::run(cli).and_then(|outcome| match outcome {
        pingshen::cli::Outcome::Open(app) => pingshen::tui::run(pingshen::tui::Options {
            db: app.db,
            user: app.user,
            only: app.only,
            theme: app.theme,
            lang: app.lang,
            keymap: app.keymap,
        })
        .map(|()| pingshen::cli::Outcome::Done),
        other => Ok(other),
    });
    match ran {
        Ok(pingshen::cli::Outcome::NoMatch) => ExitCode::from(1),
        Ok(_) => ExitCode::SUCCESS,
        Err(e) if pingshen::cli::is_broken_pipe(&e) => ExitCode::SUCCESS,
        Err(e) => {
            // An error may quote data: never a raw control character to the terminal.
            let text = format!("{e:#}");
            let text = pingshen::text::escape_controls_keep_lines(&text);
            // A closed standard error loses the message, and the exit code still says.
            let _ = std::io::Write::write_all(
                &mut std::io::stderr().lock(),
                format!("pingshen: {text}\n").as_bytes(),
            );
            ExitCode::from(failure)
        }
    }
}
