//! `sakura-server`: serve (default), `migrate`, or `healthcheck`.

use std::process::ExitCode;

use sakura_server::{Application, Config, healthcheck, telemetry};

#[tokio::main]
async fn main() -> ExitCode {
    // A missing .env is normal; a broken one is worth knowing about.
    if let Err(error) = dotenvy::dotenv()
        && !error.not_found()
    {
        eprintln!("could not read .env: {error}");
        return ExitCode::FAILURE;
    }
    let config = match Config::from_env() {
        Ok(config) => config,
        Err(error) => {
            eprintln!("{error}");
            return ExitCode::FAILURE;
        }
    };
    let command = std::env::args().nth(1);
    if command.as_deref() == Some("healthcheck") {
        return match healthcheck::check(config.port) {
            Ok(()) => ExitCode::SUCCESS,
            Err(error) => {
                eprintln!("{error:#}");
                ExitCode::FAILURE
            }
        };
    }
    telemetry::init(config.log_format);
    let result = match command.as_deref() {
        None | Some("serve") => serve(config).await,
        Some("migrate") => sakura_server::startup::migrate(&config).await,
        Some(other) => Err(anyhow::anyhow!(
            "unknown command {other:?}; use serve, migrate or healthcheck"
        )),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            tracing::error!(
                error = format!("{error:#}"),
                "sakura-server stopped with an error"
            );
            ExitCode::FAILURE
        }
    }
}

async fn serve(config: Config) -> anyhow::Result<()> {
    Application::build(config).await?.run_until_stopped().await
}
