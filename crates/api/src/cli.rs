//! The `koppel` command line: `serve`, `migrate`, `seed-demo` and `openapi`.

use std::io::Write;
use std::path::PathBuf;

use anyhow::Context;
use clap::{Parser, Subcommand};
use secrecy::ExposeSecret;

use crate::config::Settings;
use crate::startup::Application;
use crate::{openapi, seed, store, telemetry};

/// Koppel: couples GP trainees to GP trainers and runs the placement lottery.
#[derive(Debug, Parser)]
#[command(name = "koppel", version, about)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// Subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Migrate the database and serve the API and the SPA until stopped (SIGINT/SIGTERM).
    Serve(#[command(flatten)] Box<Settings>),
    /// Apply pending database migrations and exit.
    Migrate(#[command(flatten)] Box<Settings>),
    /// Migrate, then create the demo institute with one account per role (idempotent) and print
    /// the accounts.
    SeedDemo(#[command(flatten)] Box<Settings>),
    /// Print the OpenAPI document (or write it to a file).
    Openapi {
        /// Write to this file instead of standard output.
        #[arg(long)]
        output: Option<PathBuf>,
    },
}

/// Runs a parsed command line.
pub async fn run(cli: Cli) -> anyhow::Result<()> {
    match cli.command {
        Command::Serve(settings) => {
            telemetry::init(settings.log_format);
            let application = Application::build(*settings.clone()).await?;
            tracing::info!(
                "Koppel listens on http://{}:{} (API docs at /api/docs/)",
                settings
                    .bind
                    .rsplit_once(':')
                    .map_or("127.0.0.1", |(host, _)| host),
                application.port()
            );
            application.run_until_stopped().await?;
            tracing::info!("stopped");
            Ok(())
        }
        Command::Migrate(settings) => {
            telemetry::init(settings.log_format);
            let db = store::connect(settings.database_url.expose_secret()).await?;
            store::migrate(&db).await?;
            tracing::info!("migrations applied");
            Ok(())
        }
        Command::SeedDemo(settings) => {
            telemetry::init(settings.log_format);
            let db = store::connect(settings.database_url.expose_secret()).await?;
            store::migrate(&db).await?;
            let accounts = seed::seed_demo(&db).await?;
            let mut out = std::io::stdout().lock();
            writeln!(
                out,
                "Demo institute '{}'. Accounts (password '{}'):",
                seed::DEMO_INSTITUTE,
                seed::DEMO_PASSWORD
            )?;
            for account in accounts {
                let state = if account.created { "created" } else { "exists" };
                writeln!(
                    out,
                    "  {:<13} {:<28} ({state})",
                    account.role.as_str(),
                    account.email
                )?;
            }
            Ok(())
        }
        Command::Openapi { output } => {
            let json = openapi::to_json(&openapi::document())?;
            match output {
                Some(path) => std::fs::write(&path, json)
                    .with_context(|| format!("cannot write {}", path.display()))?,
                None => std::io::stdout().lock().write_all(json.as_bytes())?,
            }
            Ok(())
        }
    }
}
