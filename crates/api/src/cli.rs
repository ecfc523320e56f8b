//! The `koppel` command line: `serve`, `migrate`, `seed-demo`, `mail-sink`, `solve`,
//! `verify-coupling`, `verify-lottery`, `simulate-lottery`, `totp-code`, `reset-two-factor` and `openapi`.

use std::io::Write;
use std::path::PathBuf;

use anyhow::Context;
use clap::{Parser, Subcommand, ValueEnum};
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
    SeedDemo {
        /// Settings.
        #[command(flatten)]
        settings: Box<Settings>,
        /// Also give each of the demo round's trainees an account (their e-mail address, the demo
        /// password), for load tests.
        #[arg(long)]
        trainee_accounts: bool,
    },
    /// Run a local SMTP sink for development: every mail sent to it is printed and written to
    /// FOLDER as JSON. Point `KOPPEL_SMTP_URL` at it (`smtp://127.0.0.1:2525`) to read
    /// invitations and reset mails, whose links the outbox never shows.
    MailSink {
        /// Address to listen on.
        #[arg(long, default_value = "127.0.0.1:2525")]
        bind: String,
        /// Folder for the received mails.
        #[arg(long, default_value = "data/mail")]
        folder: PathBuf,
    },
    /// Solve a matcher instance: read JSON from FILE (or standard input), write the result as JSON
    /// to standard output. Bad input exits with status 1 and names the field.
    Solve {
        /// Which problem.
        #[arg(value_enum)]
        problem: Problem,
        /// Instance file; standard input when absent or `-`.
        file: Option<PathBuf>,
    },
    /// Check a coupling's proof of optimality: a verification document (`GET
    /// /api/v1/rounds/{id}/coupling-runs/{run}/verification`, or `{"input": ..., "result": ...}`
    /// with a `koppel solve coupling` output as the result). Prints `verified` with the coupling's
    /// measures, or what does not hold (exit 1). No solver runs: only integer checks.
    VerifyCoupling {
        /// The verification document (JSON); standard input when `-`.
        file: PathBuf,
    },
    /// Recompute a drawn lottery from its public verification document (`GET
    /// /api/v1/lotteries/{id}/verification`): the seed against its commitment, the inputs against
    /// their hash, the outcome against a fresh draw. Prints `verified` or what differs (exit 1).
    VerifyLottery {
        /// The verification document (JSON); standard input when `-`.
        file: PathBuf,
    },
    /// Estimate each candidate's chance of a place and of their first preference: N draws with
    /// fresh random seeds on the inputs of a verification document. Progress on standard error,
    /// the result as JSON on standard output.
    SimulateLottery {
        /// The verification document (JSON); standard input when `-`.
        file: PathBuf,
        /// Number of draws.
        #[arg(long, default_value_t = 1000)]
        draws: u32,
    },
    /// Print the current two-factor code of a base32 secret, as an authenticator app would (for
    /// the demo administrator, and for scripts that sign in).
    TotpCode {
        /// The secret (base32); the demo administrator's when absent.
        #[arg(default_value = seed::DEMO_ADMIN_TOTP_SECRET)]
        secret: String,
    },
    /// Turn off an account's two-factor sign-in, for someone who lost both the app and the
    /// recovery codes (after checking who asks). Their sign-ins end; an account that must use
    /// it enrols again at the next sign-in.
    ResetTwoFactor {
        /// The account's e-mail address.
        email: String,
        /// Database and logging settings.
        #[command(flatten)]
        settings: Box<Settings>,
    },
    /// Print the OpenAPI document (or write it to a file).
    Openapi {
        /// Write to this file instead of standard output.
        #[arg(long)]
        output: Option<PathBuf>,
    },
}

/// The problems `koppel solve` knows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Problem {
    /// The final coupling.
    Coupling,
    /// The interview proposal.
    Interviews,
    /// The placement lottery.
    Lottery,
}

/// Solves one instance given as JSON; the result as pretty JSON.
pub fn solve_json(problem: Problem, json: &[u8]) -> anyhow::Result<String> {
    use koppel_matcher::{coupling, from_json, interviews, lottery};
    let output = match problem {
        Problem::Coupling => serde_json::to_string_pretty(&coupling::solve(&from_json(json)?)?)?,
        Problem::Interviews => {
            serde_json::to_string_pretty(&interviews::propose(&from_json(json)?)?)?
        }
        Problem::Lottery => serde_json::to_string_pretty(&lottery::draw(&from_json(json)?)?)?,
    };
    Ok(output)
}

fn read_verification(
    file: &std::path::Path,
) -> anyhow::Result<crate::services::lotteries::LotteryVerification> {
    let json = read_file_or_stdin(file)?;
    serde_json::from_slice(&json).context("not a lottery verification document")
}

/// A file's bytes, or standard input's for `-`.
fn read_file_or_stdin(file: &std::path::Path) -> anyhow::Result<Vec<u8>> {
    if file.as_os_str() == "-" {
        let mut buffer = Vec::new();
        std::io::Read::read_to_end(&mut std::io::stdin().lock(), &mut buffer)?;
        Ok(buffer)
    } else {
        std::fs::read(file).with_context(|| format!("cannot read {}", file.display()))
    }
}

/// What `verify-coupling` reads: a verification document, whose `format` is optional here.
#[derive(Debug, serde::Deserialize)]
struct CouplingDocument {
    input: koppel_matcher::coupling::CouplingInput,
    result: koppel_matcher::coupling::CertifiedCoupling,
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
        Command::MailSink { bind, folder } => {
            let (_, address) =
                crate::mail_sink::MailSink::start(&bind, Some(folder.clone())).await?;
            writeln!(
                std::io::stdout().lock(),
                "mail sink on smtp://{address}: mails are printed here and written to {}",
                folder.display()
            )?;
            tokio::signal::ctrl_c().await?;
            Ok(())
        }
        Command::Migrate(settings) => {
            telemetry::init(settings.log_format);
            let db = store::connect(settings.database_url.expose_secret()).await?;
            store::migrate(&db).await?;
            tracing::info!("migrations applied");
            Ok(())
        }
        Command::SeedDemo {
            settings,
            trainee_accounts,
        } => {
            telemetry::init(settings.log_format);
            let db = store::connect(settings.database_url.expose_secret()).await?;
            store::migrate(&db).await?;
            let accounts = seed::seed_demo(&db, &settings.totp_sealing_key()).await?;
            if trainee_accounts {
                let created = seed::seed_trainee_accounts(&db).await?;
                tracing::info!(created, "accounts for the demo trainees");
            }
            let mut out = std::io::stdout().lock();
            writeln!(
                out,
                "Demo institute '{}'. Accounts (password '{}'; the admin's second factor: `koppel totp-code` prints its code, or add the secret {} to an authenticator app):",
                seed::DEMO_INSTITUTE,
                seed::DEMO_PASSWORD,
                seed::DEMO_ADMIN_TOTP_SECRET,
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
        Command::TotpCode { secret } => {
            let secret = crate::auth::totp::TotpSecret::from_base32(&secret)
                .context("the secret must be 32 base32 characters (20 bytes)")?;
            let code = secret.code(crate::auth::totp::step_of(chrono::Utc::now()));
            writeln!(std::io::stdout().lock(), "{code}")?;
            Ok(())
        }
        Command::ResetTwoFactor { email, settings } => {
            telemetry::init(settings.log_format);
            let db = store::connect(settings.database_url.expose_secret()).await?;
            store::migrate(&db).await?;
            let address = koppel_domain::EmailAddress::parse(&email)?;
            let user = store::users::find_by_email(&db, &address)
                .await?
                .with_context(|| format!("no account has the address {email}"))?;
            crate::services::two_factor::reset(&db, user.id).await?;
            writeln!(
                std::io::stdout().lock(),
                "two-factor sign-in of {email} is off; its sign-ins have ended"
            )?;
            Ok(())
        }
        Command::Solve { problem, file } => {
            let json = match file.as_deref() {
                Some(path) if path.as_os_str() != "-" => std::fs::read(path)
                    .with_context(|| format!("cannot read {}", path.display()))?,
                _ => {
                    let mut buffer = Vec::new();
                    std::io::Read::read_to_end(&mut std::io::stdin().lock(), &mut buffer)?;
                    buffer
                }
            };
            let output = solve_json(problem, &json)?;
            let mut out = std::io::stdout().lock();
            writeln!(out, "{output}")?;
            Ok(())
        }
        Command::VerifyCoupling { file } => {
            let json = read_file_or_stdin(&file)?;
            let document: CouplingDocument = koppel_matcher::from_json(&json).map_err(|error| {
                anyhow::anyhow!("not a coupling verification document: {error}")
            })?;
            let mut out = std::io::stdout().lock();
            match koppel_matcher::coupling::verify(&document.input, &document.result) {
                Ok(verified) => {
                    writeln!(
                        out,
                        "verified: optimal ({} coupled, total rank {}, worst rank {})",
                        verified.matched, verified.total_rank, verified.worst_rank
                    )?;
                    Ok(())
                }
                Err(reason) => {
                    writeln!(out, "NOT VERIFIED: {reason}")?;
                    anyhow::bail!("the coupling does not verify")
                }
            }
        }
        Command::VerifyLottery { file } => {
            let document = read_verification(&file)?;
            let differences = crate::services::lotteries::verify(&document);
            let mut out = std::io::stdout().lock();
            if differences.is_empty() {
                writeln!(
                    out,
                    "verified: '{}' follows from its seed and inputs",
                    document.name
                )?;
                Ok(())
            } else {
                for difference in &differences {
                    writeln!(out, "DIFFERS: {difference}")?;
                }
                anyhow::bail!(
                    "the lottery does not verify ({} difference(s))",
                    differences.len()
                )
            }
        }
        Command::SimulateLottery { file, draws } => {
            let document = read_verification(&file)?;
            if !(1..=crate::services::lotteries::MAX_SIMULATION_DRAWS).contains(&draws) {
                anyhow::bail!(
                    "--draws must be 1-{}",
                    crate::services::lotteries::MAX_SIMULATION_DRAWS
                );
            }
            let chances = crate::services::lotteries::simulate(
                &document.inputs.locations,
                &document.inputs.candidates,
                draws,
                &|done| eprint!("\r{done}/{draws} draws"),
            )?;
            eprintln!();
            let mut out = std::io::stdout().lock();
            writeln!(out, "{}", serde_json::to_string_pretty(&chances)?)?;
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
