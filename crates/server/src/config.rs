//! Configuration from environment variables, validated at start.
//!
//! Every problem names its variable, so a bad deployment stops with one clear line.

use std::path::PathBuf;
use std::time::Duration;

use thiserror::Error;

/// Where the process runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AppEnv {
    /// A developer's machine: pretty logs, a random JWT secret if none is set.
    Development,
    /// Production: JSON logs, a JWT secret is required.
    Production,
}

/// How logs are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogFormat {
    /// For people.
    Pretty,
    /// For log pipelines.
    Json,
}

/// A configuration problem, naming the variable.
#[derive(Debug, Error)]
#[error("invalid configuration: {variable}: {message}")]
pub struct ConfigError {
    /// The environment variable.
    pub variable: &'static str,
    /// What is wrong with it.
    pub message: String,
}

/// A secret that never prints.
#[derive(Clone)]
pub struct Secret(Vec<u8>);

impl Secret {
    /// The bytes, for the one place that needs them.
    pub fn expose(&self) -> &[u8] {
        &self.0
    }
}

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Secret(<redacted>)")
    }
}

/// The whole configuration of a server process.
#[derive(Debug, Clone)]
pub struct Config {
    /// `APP_ENV`.
    pub env: AppEnv,
    /// `HOST`.
    pub host: String,
    /// `PORT` (0 picks a free port).
    pub port: u16,
    /// `DATABASE_URL`, with libpq's `sslmode` and `sslrootcert` (checked at start).
    pub database_url: String,
    /// `DATABASE_POOL_SIZE`.
    pub database_pool_size: usize,
    /// `REDIS_URL` (`rediss://` for TLS).
    pub redis_url: String,
    /// `REDIS_CA_CERT`: a PEM file of the CA certificates a `rediss://` Redis is checked against,
    /// instead of the system's.
    pub redis_ca_cert: Option<PathBuf>,
    /// `REDIS_KEY_PREFIX`: in front of every Redis key.
    pub redis_key_prefix: String,
    /// `JWT_SECRET`.
    pub jwt_secret: Secret,
    /// Whether `jwt_secret` was made up at start (development only).
    pub jwt_secret_generated: bool,
    /// `ACCESS_TOKEN_TTL`.
    pub access_token_ttl: Duration,
    /// `REFRESH_TOKEN_TTL`.
    pub refresh_token_ttl: Duration,
    /// `BCRYPT_COST`.
    pub bcrypt_cost: u32,
    /// `MEDIA_DIR`: where the local blob store keeps photo files.
    pub media_dir: PathBuf,
    /// `S3_*`: when `S3_BUCKET` is set, photos go to this S3-compatible store instead.
    pub s3: Option<sakura_storage::S3Config>,
    /// `CORS_ORIGINS` (comma-separated).
    pub cors_origins: Vec<String>,
    /// `LOG_FORMAT`.
    pub log_format: LogFormat,
    /// `TRUST_PROXY`: read the client address from `X-Forwarded-For`.
    pub trust_proxy: bool,
    /// `COOKIE_SECURE`: mark the refresh cookie `Secure`.
    pub cookie_secure: bool,
    /// `LOGIN_MAX_FAILURES_PER_EMAIL`.
    pub login_max_failures_per_email: u32,
    /// `LOGIN_MAX_FAILURES_PER_IP`.
    pub login_max_failures_per_ip: u32,
    /// `LOGIN_FAILURE_WINDOW`.
    pub login_failure_window: Duration,
    /// `SHUTDOWN_TIMEOUT`: how long in-flight requests get on SIGTERM.
    pub shutdown_timeout: Duration,
    /// `EVENT_RELAY_INTERVAL`: how often the outbox relay looks for events a crash left.
    pub event_relay_interval: Duration,
    /// `EVENT_RELAY_GRACE`: how old an undelivered event must be before the relay takes it
    /// (younger ones are still the committing instance's to publish).
    pub event_relay_grace: Duration,
    /// `MIGRATE_ON_START`: apply pending migrations when `serve` starts (else only check that
    /// none is pending, for deployments that run `sakura-server migrate` as a job).
    pub migrate_on_start: bool,
    /// `PHOTO_SWEEP_INTERVAL`: how often each instance looks for orphan photo files.
    pub photo_sweep_interval: Duration,
    /// `PHOTO_SWEEP_MIN_AGE`: how old an orphan file must be before the sweep removes it.
    pub photo_sweep_min_age: Duration,
    /// `METRICS_ADDR`: when set, `/metrics` (and `/health/*`) are served on this address only,
    /// off the public port.
    pub metrics_addr: Option<std::net::SocketAddr>,
}

struct Env<F> {
    lookup: F,
}

impl<F: Fn(&str) -> Option<String>> Env<F> {
    fn raw(&self, variable: &'static str) -> Option<String> {
        (self.lookup)(variable)
            .map(|v| v.trim().to_owned())
            .filter(|v| !v.is_empty())
    }

    fn string(&self, variable: &'static str, default: &str) -> String {
        self.raw(variable).unwrap_or_else(|| default.to_owned())
    }

    fn parse<T: std::str::FromStr>(
        &self,
        variable: &'static str,
        default: T,
        expected: &str,
    ) -> Result<T, ConfigError> {
        match self.raw(variable) {
            None => Ok(default),
            Some(raw) => raw.parse().map_err(|_| ConfigError {
                variable,
                message: format!("expected {expected}, got {raw:?}"),
            }),
        }
    }

    fn duration(&self, variable: &'static str, default: Duration) -> Result<Duration, ConfigError> {
        match self.raw(variable) {
            None => Ok(default),
            Some(raw) => match humantime::parse_duration(&raw) {
                Ok(d) if !d.is_zero() => Ok(d),
                _ => Err(ConfigError {
                    variable,
                    message: format!(
                        "expected a positive duration like 15m, 1h or 30d, got {raw:?}"
                    ),
                }),
            },
        }
    }

    fn flag(&self, variable: &'static str, default: bool) -> Result<bool, ConfigError> {
        match self.raw(variable).map(|v| v.to_ascii_lowercase()) {
            None => Ok(default),
            Some(v) if matches!(v.as_str(), "1" | "true" | "yes" | "on") => Ok(true),
            Some(v) if matches!(v.as_str(), "0" | "false" | "no" | "off") => Ok(false),
            Some(v) => Err(ConfigError {
                variable,
                message: format!("expected true or false, got {v:?}"),
            }),
        }
    }
}

fn random_secret() -> Secret {
    let mut bytes = Vec::with_capacity(64);
    for _ in 0..4 {
        bytes.extend_from_slice(uuid::Uuid::new_v4().as_bytes());
    }
    Secret(bytes)
}

impl Config {
    /// Reads the process environment.
    pub fn from_env() -> Result<Self, ConfigError> {
        Self::from_lookup(|name| std::env::var(name).ok())
    }

    /// Reads configuration through `lookup` (the environment, or a map in tests).
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Result<Self, ConfigError> {
        let env = Env { lookup };
        let app_env = match env
            .string("APP_ENV", "development")
            .to_ascii_lowercase()
            .as_str()
        {
            "development" | "dev" => AppEnv::Development,
            "production" | "prod" => AppEnv::Production,
            other => {
                return Err(ConfigError {
                    variable: "APP_ENV",
                    message: format!("expected development or production, got {other:?}"),
                });
            }
        };
        let production = app_env == AppEnv::Production;
        let cores = std::thread::available_parallelism().map_or(2, |n| n.get());

        let (jwt_secret, jwt_secret_generated) = match env.raw("JWT_SECRET") {
            Some(secret) if secret.len() >= 32 => (Secret(secret.into_bytes()), false),
            Some(_) => {
                return Err(ConfigError {
                    variable: "JWT_SECRET",
                    message: "must be at least 32 bytes".into(),
                });
            }
            None if production => {
                return Err(ConfigError {
                    variable: "JWT_SECRET",
                    message: "is required when APP_ENV=production".into(),
                });
            }
            None => (random_secret(), true),
        };

        let log_format = match env
            .raw("LOG_FORMAT")
            .map(|v| v.to_ascii_lowercase())
            .as_deref()
        {
            None if production => LogFormat::Json,
            None => LogFormat::Pretty,
            Some("json") => LogFormat::Json,
            Some("pretty") => LogFormat::Pretty,
            Some(other) => {
                return Err(ConfigError {
                    variable: "LOG_FORMAT",
                    message: format!("expected pretty or json, got {other:?}"),
                });
            }
        };

        let database_url = env.string("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/sakura");
        if !(database_url.starts_with("postgres://") || database_url.starts_with("postgresql://")) {
            return Err(ConfigError {
                variable: "DATABASE_URL",
                message: "expected a postgres:// URL".into(),
            });
        }
        // sslmode, sslrootcert (read now) and every other option: a bad one stops the start.
        sakura_postgres::PgConnectOptions::parse(&database_url).map_err(|e| ConfigError {
            variable: "DATABASE_URL",
            message: e.to_string(),
        })?;
        let redis_url = env.string("REDIS_URL", "redis://127.0.0.1:6379");
        if !(redis_url.starts_with("redis://") || redis_url.starts_with("rediss://")) {
            return Err(ConfigError {
                variable: "REDIS_URL",
                message: "expected a redis:// or rediss:// URL".into(),
            });
        }
        let redis_ca_cert = env.raw("REDIS_CA_CERT").map(PathBuf::from);
        if let Some(path) = &redis_ca_cert {
            if !redis_url.starts_with("rediss://") {
                return Err(ConfigError {
                    variable: "REDIS_CA_CERT",
                    message: "is set, so REDIS_URL must be a rediss:// (TLS) URL".into(),
                });
            }
            sakura_redis::read_ca_cert(path).map_err(|e| ConfigError {
                variable: "REDIS_CA_CERT",
                message: format!("{e:#}"),
            })?;
        }
        let database_pool_size =
            env.parse("DATABASE_POOL_SIZE", 2 * cores + 2, "a positive number")?;
        if database_pool_size == 0 {
            return Err(ConfigError {
                variable: "DATABASE_POOL_SIZE",
                message: "must be at least 1".into(),
            });
        }
        let bcrypt_cost = env.parse("BCRYPT_COST", 12, "a number from 4 to 31")?;
        if !(4..=31).contains(&bcrypt_cost) {
            return Err(ConfigError {
                variable: "BCRYPT_COST",
                message: format!("expected a number from 4 to 31, got {bcrypt_cost}"),
            });
        }
        let access_token_ttl = env.duration("ACCESS_TOKEN_TTL", Duration::from_secs(15 * 60))?;
        let refresh_token_ttl =
            env.duration("REFRESH_TOKEN_TTL", Duration::from_secs(30 * 86_400))?;
        if refresh_token_ttl < access_token_ttl {
            return Err(ConfigError {
                variable: "REFRESH_TOKEN_TTL",
                message: "must not be shorter than ACCESS_TOKEN_TTL".into(),
            });
        }

        let s3 = match env.raw("S3_BUCKET") {
            None => None,
            Some(bucket) => {
                let required = |variable: &'static str| {
                    env.raw(variable).ok_or_else(|| ConfigError {
                        variable,
                        message: "is required when S3_BUCKET is set".into(),
                    })
                };
                Some(sakura_storage::S3Config {
                    endpoint: env.raw("S3_ENDPOINT"),
                    bucket,
                    region: env.string("S3_REGION", "us-east-1"),
                    access_key_id: required("S3_ACCESS_KEY_ID")?,
                    secret_access_key: required("S3_SECRET_ACCESS_KEY")?,
                    allow_http: env.flag("S3_ALLOW_HTTP", false)?,
                })
            }
        };

        Ok(Self {
            env: app_env,
            host: env.string("HOST", "127.0.0.1"),
            port: env.parse("PORT", 8080, "a port number from 0 to 65535")?,
            database_url,
            database_pool_size,
            redis_url,
            redis_ca_cert,
            redis_key_prefix: env.string("REDIS_KEY_PREFIX", "sakura:"),
            jwt_secret,
            jwt_secret_generated,
            access_token_ttl,
            refresh_token_ttl,
            bcrypt_cost,
            media_dir: PathBuf::from(env.string("MEDIA_DIR", "./data/media")),
            s3,
            cors_origins: env
                .string("CORS_ORIGINS", "")
                .split(',')
                .map(str::trim)
                .filter(|o| !o.is_empty())
                .map(str::to_owned)
                .collect(),
            log_format,
            trust_proxy: env.flag("TRUST_PROXY", false)?,
            cookie_secure: env.flag("COOKIE_SECURE", true)?,
            login_max_failures_per_email: env.parse(
                "LOGIN_MAX_FAILURES_PER_EMAIL",
                5,
                "a positive number",
            )?,
            login_max_failures_per_ip: env.parse(
                "LOGIN_MAX_FAILURES_PER_IP",
                50,
                "a positive number",
            )?,
            login_failure_window: env
                .duration("LOGIN_FAILURE_WINDOW", Duration::from_secs(15 * 60))?,
            shutdown_timeout: env.duration("SHUTDOWN_TIMEOUT", Duration::from_secs(30))?,
            event_relay_interval: env.duration("EVENT_RELAY_INTERVAL", Duration::from_secs(5))?,
            event_relay_grace: env.duration("EVENT_RELAY_GRACE", Duration::from_secs(10))?,
            migrate_on_start: env.flag("MIGRATE_ON_START", true)?,
            photo_sweep_interval: env
                .duration("PHOTO_SWEEP_INTERVAL", Duration::from_secs(3600))?,
            photo_sweep_min_age: env.duration("PHOTO_SWEEP_MIN_AGE", Duration::from_secs(3600))?,
            metrics_addr: match env.raw("METRICS_ADDR") {
                None => None,
                Some(raw) => Some(raw.parse().map_err(|_| ConfigError {
                    variable: "METRICS_ADDR",
                    message: format!("expected an address and port like 0.0.0.0:9100, got {raw:?}"),
                })?),
            },
        })
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use super::*;

    fn config(vars: &[(&str, &str)]) -> Result<Config, ConfigError> {
        let map: HashMap<String, String> = vars
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect();
        Config::from_lookup(|name| map.get(name).cloned())
    }

    #[test]
    fn defaults_match_the_documented_table() -> anyhow::Result<()> {
        let config = config(&[])?;
        assert_eq!(config.env, AppEnv::Development);
        assert_eq!((config.host.as_str(), config.port), ("127.0.0.1", 8080));
        assert_eq!(
            config.database_url,
            "postgres://postgres@127.0.0.1:5432/sakura"
        );
        assert_eq!(config.redis_url, "redis://127.0.0.1:6379");
        assert_eq!(config.access_token_ttl, Duration::from_secs(900));
        assert_eq!(config.refresh_token_ttl, Duration::from_secs(30 * 86_400));
        assert_eq!(config.bcrypt_cost, 12);
        assert_eq!(config.log_format, LogFormat::Pretty);
        assert!(config.jwt_secret_generated);
        Ok(())
    }

    #[test]
    fn production_refuses_to_start_without_a_jwt_secret() {
        let error = config(&[("APP_ENV", "production")]).unwrap_err();
        assert_eq!(error.variable, "JWT_SECRET");
    }

    #[test]
    fn production_logs_json_by_default() -> anyhow::Result<()> {
        let config = config(&[("APP_ENV", "production"), ("JWT_SECRET", &"s".repeat(32))])?;
        assert_eq!(config.log_format, LogFormat::Json);
        assert!(!config.jwt_secret_generated);
        Ok(())
    }

    #[test]
    fn each_bad_value_names_its_variable() {
        for (variable, value) in [
            ("PORT", "eighty"),
            ("PORT", "70000"),
            ("BCRYPT_COST", "3"),
            ("ACCESS_TOKEN_TTL", "soon"),
            ("JWT_SECRET", "short"),
            ("DATABASE_URL", "mysql://x"),
            ("REDIS_URL", "http://x"),
            ("APP_ENV", "staging"),
            ("LOG_FORMAT", "xml"),
            ("TRUST_PROXY", "maybe"),
            ("DATABASE_POOL_SIZE", "0"),
            ("DATABASE_URL", "postgres://h/sakura?sslmode=verify"),
            (
                "DATABASE_URL",
                "postgres://h/sakura?sslmode=verify-ca&sslrootcert=/nowhere/root.crt",
            ),
            ("REDIS_CA_CERT", "/nowhere/ca.crt"),
        ] {
            let error = config(&[(variable, value)]).unwrap_err();
            assert_eq!(error.variable, variable, "{value}");
            assert!(error.to_string().contains(variable));
        }
    }

    #[test]
    fn tls_settings_name_their_variable_and_what_is_wrong() {
        let error = config(&[("DATABASE_URL", "postgres://h/sakura?sslmode=verify")]).unwrap_err();
        assert!(
            error
                .to_string()
                .contains("DATABASE_URL: sslmode=\"verify\""),
            "{error}"
        );
        let error = config(&[(
            "DATABASE_URL",
            "postgres://h/sakura?sslmode=verify-full&sslrootcert=/nowhere/root.crt",
        )])
        .unwrap_err();
        assert!(error.to_string().contains("/nowhere/root.crt"), "{error}");
        let error = config(&[("REDIS_CA_CERT", "/etc/hostname")]).unwrap_err();
        assert_eq!(error.variable, "REDIS_CA_CERT");
        assert!(error.to_string().contains("rediss://"), "{error}");
        let error = config(&[
            ("REDIS_URL", "rediss://127.0.0.1:6380"),
            ("REDIS_CA_CERT", "/nowhere/ca.crt"),
        ])
        .unwrap_err();
        assert!(error.to_string().contains("/nowhere/ca.crt"), "{error}");
    }

    #[test]
    fn s3_is_used_only_with_a_bucket_and_then_needs_credentials() -> anyhow::Result<()> {
        assert!(config(&[])?.s3.is_none());
        let error = config(&[("S3_BUCKET", "photos")]).unwrap_err();
        assert_eq!(error.variable, "S3_ACCESS_KEY_ID");
        let s3 = config(&[
            ("S3_BUCKET", "photos"),
            ("S3_ACCESS_KEY_ID", "id"),
            ("S3_SECRET_ACCESS_KEY", "very-secret"),
            ("S3_ENDPOINT", "http://127.0.0.1:9000"),
            ("S3_ALLOW_HTTP", "true"),
        ])?
        .s3
        .expect("s3 settings");
        assert_eq!(
            (s3.bucket.as_str(), s3.region.as_str(), s3.allow_http),
            ("photos", "us-east-1", true)
        );
        assert!(!format!("{s3:?}").contains("very-secret"));
        Ok(())
    }

    #[test]
    fn durations_read_like_people_write_them() -> anyhow::Result<()> {
        let config = config(&[("ACCESS_TOKEN_TTL", "5m"), ("REFRESH_TOKEN_TTL", "7d")])?;
        assert_eq!(config.access_token_ttl, Duration::from_secs(300));
        assert_eq!(config.refresh_token_ttl, Duration::from_secs(7 * 86_400));
        Ok(())
    }

    #[test]
    fn secrets_never_print() -> anyhow::Result<()> {
        let config = config(&[("JWT_SECRET", "a-very-secret-value-of-32-bytes-or-more")])?;
        assert!(!format!("{config:?}").contains("very-secret"));
        Ok(())
    }
}
