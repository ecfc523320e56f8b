//! The `koppel` binary: see `koppel --help`.

use clap::Parser;

#[tokio::main]
async fn main() -> std::process::ExitCode {
    let cli = koppel_api::cli::Cli::parse();
    match koppel_api::cli::run(cli).await {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(error) => {
            // Logging may not be set up yet when configuration fails, so stderr it is.
            eprintln!("koppel: {error:#}");
            std::process::ExitCode::FAILURE
        }
    }
}
