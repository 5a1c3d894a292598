//! `sakura-server`: serve (default), `migrate`, or `healthcheck`.

use std::process::ExitCode;

use sakura_server::config::LogFormat;
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
    let command = std::env::args().nth(1);
    // The container's health check and a migration job need only a port or a database URL:
    // they must not demand the server's secrets.
    if command.as_deref() == Some("healthcheck") {
        let port = std::env::var("PORT")
            .ok()
            .and_then(|p| p.parse().ok())
            .unwrap_or(8080);
        let host = std::env::var("HOST").unwrap_or_default();
        return match healthcheck::check(&host, port) {
            Ok(()) => ExitCode::SUCCESS,
            Err(error) => {
                eprintln!("{error:#}");
                ExitCode::FAILURE
            }
        };
    }
    if command.as_deref() == Some("migrate") {
        let url = std::env::var("DATABASE_URL")
            .ok()
            .filter(|u| !u.is_empty())
            .unwrap_or_else(|| "postgres://postgres@127.0.0.1:5432/sakura".to_owned());
        telemetry::init(if std::env::var("LOG_FORMAT").is_ok_and(|f| f == "json") {
            LogFormat::Json
        } else {
            LogFormat::Pretty
        });
        // Bad TLS settings (sslmode, sslrootcert) stop here, naming the variable.
        if let Err(error) = sakura_postgres::PgConnectOptions::parse(&url) {
            eprintln!("invalid configuration: DATABASE_URL: {error}");
            return ExitCode::FAILURE;
        }
        return match sakura_server::startup::migrate(&url).await {
            Ok(()) => ExitCode::SUCCESS,
            Err(error) => {
                tracing::error!(error = format!("{error:#}"), "migration failed");
                ExitCode::FAILURE
            }
        };
    }
    let config = match Config::from_env() {
        Ok(config) => config,
        Err(error) => {
            eprintln!("{error}");
            return ExitCode::FAILURE;
        }
    };
    telemetry::init(config.log_format);
    let result = match command.as_deref() {
        None | Some("serve") => serve(config).await,
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
