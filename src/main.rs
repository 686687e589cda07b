use clap::Parser;
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = pingshen::cli::Cli::parse();
    match pingshen::cli::run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("pingshen: {e:#}");
            ExitCode::FAILURE
        }
    }
}
