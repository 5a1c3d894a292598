//! Crypto adapters of Sakura's ports.
//!
//! # Layout
//! - [`BcryptPasswordHasher`]: bcrypt on tokio's blocking pool, behind a semaphore sized to the
//!   cores, so a login storm queues instead of starving other requests.
//! - [`JwtAccessTokens`]: HS256 access tokens with `sub`, `sid`, `exp`, `iat`, `jti`.
//! - [`RandomRefreshTokens`]: opaque refresh tokens naming their session, hashed with SHA-256.

mod jwt;
mod password;
mod refresh;

pub use jwt::JwtAccessTokens;
pub use password::BcryptPasswordHasher;
pub use refresh::RandomRefreshTokens;
