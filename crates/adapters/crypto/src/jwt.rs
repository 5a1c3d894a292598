//! HS256 access tokens.

use jsonwebtoken::errors::ErrorKind;
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation, decode, encode};
use sakura_application::ports::{AccessClaims, AccessTokenError, AccessTokens, IssuedAccessToken};
use sakura_domain::{SessionId, UserId};
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use uuid::Uuid;

#[derive(Debug, Serialize, Deserialize)]
struct Claims {
    sub: Uuid,
    sid: Uuid,
    exp: i64,
    iat: i64,
    jti: Uuid,
}

/// Signs and checks access tokens with a shared HS256 secret.
pub struct JwtAccessTokens {
    encoding: EncodingKey,
    decoding: DecodingKey,
    validation: Validation,
    ttl: time::Duration,
}

impl JwtAccessTokens {
    /// Shortest secret accepted: 256 bits, as HS256 calls for.
    pub const MIN_SECRET_BYTES: usize = 32;

    /// A signer with `secret` (at least 32 bytes) for tokens living `ttl`.
    pub fn new(secret: &[u8], ttl: time::Duration) -> anyhow::Result<Self> {
        anyhow::ensure!(
            secret.len() >= Self::MIN_SECRET_BYTES,
            "JWT secret must be at least {} bytes",
            Self::MIN_SECRET_BYTES
        );
        let mut validation = Validation::new(Algorithm::HS256);
        // jsonwebtoken's default leeway is 60 s; the contract allows at most 1 s.
        validation.leeway = 0;
        validation.set_required_spec_claims(&["exp", "sub"]);
        Ok(Self {
            encoding: EncodingKey::from_secret(secret),
            decoding: DecodingKey::from_secret(secret),
            validation,
            ttl,
        })
    }
}

impl AccessTokens for JwtAccessTokens {
    fn issue(&self, user_id: UserId, session_id: SessionId) -> IssuedAccessToken {
        let now = OffsetDateTime::now_utc()
            .replace_nanosecond(0)
            .unwrap_or_else(|_| OffsetDateTime::now_utc());
        let expires_at = now + self.ttl;
        let claims = Claims {
            sub: user_id.as_uuid(),
            sid: session_id.as_uuid(),
            exp: expires_at.unix_timestamp(),
            iat: now.unix_timestamp(),
            jti: Uuid::new_v4(),
        };
        // HS256 over a serde struct of plain fields cannot fail; a failure would be a bug in the
        // library, and an unusable token is then the honest answer (it will be refused).
        let token = encode(&Header::new(Algorithm::HS256), &claims, &self.encoding).unwrap_or_else(
            |error| {
                tracing::error!(error = %error, "signing an access token failed");
                String::new()
            },
        );
        IssuedAccessToken { token, expires_at }
    }

    fn verify(&self, token: &str) -> Result<AccessClaims, AccessTokenError> {
        let data =
            decode::<Claims>(token, &self.decoding, &self.validation).map_err(|e| {
                match e.kind() {
                    ErrorKind::ExpiredSignature => AccessTokenError::Expired,
                    _ => AccessTokenError::Invalid,
                }
            })?;
        let expires_at = OffsetDateTime::from_unix_timestamp(data.claims.exp)
            .map_err(|_| AccessTokenError::Invalid)?;
        // jsonwebtoken accepts a token during its `exp` second; the contract refuses it from
        // `exp` on.
        if expires_at <= OffsetDateTime::now_utc() {
            return Err(AccessTokenError::Expired);
        }
        Ok(AccessClaims {
            user_id: UserId::from_uuid(data.claims.sub),
            session_id: SessionId::from_uuid(data.claims.sid),
            expires_at,
        })
    }

    fn ttl(&self) -> time::Duration {
        self.ttl
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SECRET: &[u8] = b"0123456789abcdef0123456789abcdef";

    #[test]
    fn an_issued_token_verifies_to_its_claims() -> anyhow::Result<()> {
        let tokens = JwtAccessTokens::new(SECRET, time::Duration::minutes(15))?;
        let (user, session) = (UserId::new(), SessionId::new());
        let issued = tokens.issue(user, session);
        let claims = tokens.verify(&issued.token).map_err(anyhow::Error::new)?;
        assert_eq!(claims.user_id, user);
        assert_eq!(claims.session_id, session);
        assert_eq!(claims.expires_at, issued.expires_at);
        Ok(())
    }

    #[test]
    fn a_token_carries_sub_sid_exp_iat_and_jti() -> anyhow::Result<()> {
        use base64::Engine;
        let tokens = JwtAccessTokens::new(SECRET, time::Duration::minutes(15))?;
        let issued = tokens.issue(UserId::new(), SessionId::new());
        let payload = issued.token.split('.').nth(1).unwrap_or_default();
        let json = base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(payload)?;
        let text = String::from_utf8(json)?;
        for claim in ["\"sub\"", "\"sid\"", "\"exp\"", "\"iat\"", "\"jti\""] {
            assert!(text.contains(claim), "{claim} missing in {text}");
        }
        Ok(())
    }

    #[test]
    fn an_expired_token_is_refused_as_expired() -> anyhow::Result<()> {
        let tokens = JwtAccessTokens::new(SECRET, time::Duration::seconds(-1))?;
        let issued = tokens.issue(UserId::new(), SessionId::new());
        assert_eq!(tokens.verify(&issued.token), Err(AccessTokenError::Expired));
        Ok(())
    }

    #[test]
    fn a_token_signed_with_another_secret_is_invalid() -> anyhow::Result<()> {
        let ours = JwtAccessTokens::new(SECRET, time::Duration::minutes(15))?;
        let theirs = JwtAccessTokens::new(
            b"another secret that is long enough!!",
            time::Duration::minutes(15),
        )?;
        let issued = theirs.issue(UserId::new(), SessionId::new());
        assert_eq!(ours.verify(&issued.token), Err(AccessTokenError::Invalid));
        assert_eq!(ours.verify("not.a.jwt"), Err(AccessTokenError::Invalid));
        Ok(())
    }

    #[test]
    fn a_short_secret_is_refused() {
        assert!(JwtAccessTokens::new(b"short", time::Duration::minutes(15)).is_err());
    }
}
