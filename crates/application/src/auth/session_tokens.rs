//! Starting a session and issuing its token pair: shared by register, login and refresh.

use std::sync::Arc;

use sakura_domain::auth::Session;
use sakura_domain::users::User;
use sakura_domain::{SessionId, UserId};
use time::OffsetDateTime;

use crate::StoreError;
use crate::ports::{AccessTokens, Clock, RefreshTokens, SessionStore};

/// The answer to a successful register, login or refresh.
#[derive(Debug, Clone)]
pub struct AuthenticatedSession {
    /// Who is now logged in.
    pub user: User,
    /// Their session.
    pub session_id: SessionId,
    /// A signed access token.
    pub access_token: String,
    /// When it expires.
    pub access_token_expires_at: OffsetDateTime,
    /// The opaque refresh token (returned once, stored only as a hash).
    pub refresh_token: String,
    /// When it expires unless used.
    pub refresh_token_expires_at: OffsetDateTime,
}

/// Opens sessions and signs their tokens.
#[derive(Clone)]
pub struct SessionTokens {
    sessions: Arc<dyn SessionStore>,
    access: Arc<dyn AccessTokens>,
    refresh: Arc<dyn RefreshTokens>,
    refresh_ttl: time::Duration,
    clock: Arc<dyn Clock>,
}

impl SessionTokens {
    /// Longest `User-Agent` kept with a session.
    const USER_AGENT_MAX: usize = 256;

    /// Builds the service; refresh tokens live `refresh_ttl` from their last use.
    pub fn new(
        sessions: Arc<dyn SessionStore>,
        access: Arc<dyn AccessTokens>,
        refresh: Arc<dyn RefreshTokens>,
        refresh_ttl: time::Duration,
        clock: Arc<dyn Clock>,
    ) -> Self {
        Self {
            sessions,
            access,
            refresh,
            refresh_ttl,
            clock,
        }
    }

    /// The clock sessions are dated by.
    pub(crate) fn clock(&self) -> &Arc<dyn Clock> {
        &self.clock
    }

    /// The session store, for use cases that manage sessions.
    pub(crate) fn sessions(&self) -> &Arc<dyn SessionStore> {
        &self.sessions
    }

    /// The refresh-token codec.
    pub(crate) fn refresh_tokens(&self) -> &Arc<dyn RefreshTokens> {
        &self.refresh
    }

    /// How long a refresh token lives.
    pub(crate) fn refresh_ttl(&self) -> time::Duration {
        self.refresh_ttl
    }

    /// Opens a new session for `user` on the device that sent `user_agent`.
    pub async fn start(
        &self,
        user: User,
        user_agent: Option<&str>,
    ) -> Result<AuthenticatedSession, StoreError> {
        let now = self.clock.now();
        let session = Session {
            id: SessionId::new(),
            user_id: user.id,
            created_at: now,
            last_used_at: now,
            expires_at: now + self.refresh_ttl,
            user_agent: user_agent.map(|ua| ua.chars().take(Self::USER_AGENT_MAX).collect()),
        };
        let (refresh_token, hash) = self.refresh.generate(user.id, session.id);
        self.sessions.create(&session, &hash).await?;
        Ok(self.answer(user, session.id, refresh_token, session.expires_at))
    }

    /// Signs the access token of an existing session and bundles the answer.
    pub(crate) fn answer(
        &self,
        user: User,
        session_id: SessionId,
        refresh_token: String,
        refresh_token_expires_at: OffsetDateTime,
    ) -> AuthenticatedSession {
        let access = self.access.issue(user.id, session_id);
        AuthenticatedSession {
            user,
            session_id,
            access_token: access.token,
            access_token_expires_at: access.expires_at,
            refresh_token,
            refresh_token_expires_at,
        }
    }

    /// A new refresh token for an existing session.
    pub(crate) fn next_refresh_token(
        &self,
        user_id: UserId,
        session_id: SessionId,
    ) -> (String, crate::ports::RefreshTokenHash) {
        self.refresh.generate(user_id, session_id)
    }
}
