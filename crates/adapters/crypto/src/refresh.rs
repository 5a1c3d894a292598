//! Opaque refresh tokens.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use rand::RngCore;
use sakura_application::ports::{OpenedRefreshToken, RefreshTokenHash, RefreshTokens};
use sakura_domain::{SessionId, UserId};
use sha2::{Digest, Sha256};
use uuid::Uuid;

/// Makes refresh tokens as base64url(user id ‖ session id ‖ 256 random bits).
///
/// The ids let the store find the session without an index from token to session; the random
/// part is the secret. Only its SHA-256 is ever stored: a fast hash suffices because the input is
/// 256 random bits, not a guessable password.
#[derive(Debug, Default, Clone, Copy)]
pub struct RandomRefreshTokens;

const SECRET_BYTES: usize = 32;
const TOKEN_BYTES: usize = 16 + 16 + SECRET_BYTES;

fn hash(token: &str) -> RefreshTokenHash {
    let digest = Sha256::digest(token.as_bytes());
    RefreshTokenHash(URL_SAFE_NO_PAD.encode(digest))
}

impl RefreshTokens for RandomRefreshTokens {
    fn generate(&self, user_id: UserId, session_id: SessionId) -> (String, RefreshTokenHash) {
        let mut bytes = [0_u8; TOKEN_BYTES];
        bytes[..16].copy_from_slice(user_id.as_uuid().as_bytes());
        bytes[16..32].copy_from_slice(session_id.as_uuid().as_bytes());
        rand::rng().fill_bytes(&mut bytes[32..]);
        let token = URL_SAFE_NO_PAD.encode(bytes);
        let hash = hash(&token);
        (token, hash)
    }

    fn open(&self, token: &str) -> Option<OpenedRefreshToken> {
        if token.len() > 128 {
            return None;
        }
        let bytes = URL_SAFE_NO_PAD.decode(token).ok()?;
        if bytes.len() != TOKEN_BYTES {
            return None;
        }
        let user_id = Uuid::from_slice(&bytes[..16]).ok()?;
        let session_id = Uuid::from_slice(&bytes[16..32]).ok()?;
        Some(OpenedRefreshToken {
            user_id: UserId::from_uuid(user_id),
            session_id: SessionId::from_uuid(session_id),
            hash: hash(token),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_token_opens_to_its_session_and_hash() {
        let (user, session) = (UserId::new(), SessionId::new());
        let (token, hash) = RandomRefreshTokens.generate(user, session);
        let opened = RandomRefreshTokens.open(&token).unwrap();
        assert_eq!((opened.user_id, opened.session_id), (user, session));
        assert_eq!(opened.hash, hash);
        assert!(!hash.0.contains(&token));
    }

    #[test]
    fn two_tokens_for_the_same_session_differ() {
        let (user, session) = (UserId::new(), SessionId::new());
        let (first, _) = RandomRefreshTokens.generate(user, session);
        let (second, _) = RandomRefreshTokens.generate(user, session);
        assert_ne!(first, second);
    }

    #[test]
    fn strangers_do_not_open() {
        for token in [
            "",
            "abc",
            "!!!!",
            &"A".repeat(200),
            &URL_SAFE_NO_PAD.encode([0_u8; 63]),
        ] {
            assert!(RandomRefreshTokens.open(token).is_none(), "{token}");
        }
    }
}
