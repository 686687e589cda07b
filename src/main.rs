use clap::Parser;
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = pingshen::cli::Cli::parse();
    match pingshen::cli::run(cli) {
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
