use std::collections::{HashMap, HashSet};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use async_trait::async_trait;
use sakura_domain::auth::{Password, Session};
use sakura_domain::users::{Settings, User};
use sakura_domain::{SessionId, UserId};
use time::OffsetDateTime;

use crate::StoreError;
use crate::auth::{
    Authenticate, ChangePassword, ListSessions, LoginLimits, LoginUser, Logout, LogoutAll,
    RefreshSession, RegisterUser, RevokeSession, SessionTokens,
};
use crate::events::{Announce, Committed, DomainEvent, EventEnvelope};
use crate::ports::*;

/// A switch that makes a fake answer `Unavailable`, to test degraded paths.
#[derive(Debug, Default, Clone)]
pub struct Outage(Arc<AtomicBool>);

impl Outage {
    pub fn set(&self, down: bool) {
        self.0.store(down, Ordering::SeqCst);
    }

    fn check(&self) -> Result<(), StoreError> {
        if self.0.load(Ordering::SeqCst) {
            Err(StoreError::unavailable(anyhow::anyhow!("fake outage")))
        } else {
            Ok(())
        }
    }
}

#[derive(Default)]
pub struct InMemoryUsers {
    users: Mutex<HashMap<UserId, (User, PasswordHash)>>,
    pub outage: Outage,
}

#[async_trait]
impl UserRepository for InMemoryUsers {
    async fn create(&self, new_user: &NewUser) -> Result<(), StoreError> {
        self.outage.check()?;
        let mut users = self.users.lock().unwrap();
        let email = new_user.user.email.normalized();
        if users.values().any(|(u, _)| u.email.normalized() == email) {
            return Err(StoreError::conflict(EMAIL_KEY));
        }
        users.insert(
            new_user.user.id,
            (new_user.user.clone(), new_user.password_hash.clone()),
        );
        Ok(())
    }

    async fn find_by_id(&self, id: UserId) -> Result<Option<User>, StoreError> {
        self.outage.check()?;
        Ok(self.users.lock().unwrap().get(&id).map(|(u, _)| u.clone()))
    }

    async fn find_credentials_by_email(
        &self,
        normalized_email: &str,
    ) -> Result<Option<(User, PasswordHash)>, StoreError> {
        self.outage.check()?;
        Ok(self
            .users
            .lock()
            .unwrap()
            .values()
            .find(|(u, _)| u.email.normalized() == normalized_email)
            .cloned())
    }

    async fn password_hash(&self, id: UserId) -> Result<Option<PasswordHash>, StoreError> {
        self.outage.check()?;
        Ok(self.users.lock().unwrap().get(&id).map(|(_, h)| h.clone()))
    }

    async fn update_profile(
        &self,
        id: UserId,
        patch: &ProfilePatch,
        _at: OffsetDateTime,
    ) -> Result<User, StoreError> {
        self.outage.check()?;
        let mut users = self.users.lock().unwrap();
        let (user, _) = users.get_mut(&id).ok_or(StoreError::NotFound)?;
        if let Some(name) = &patch.first_name {
            user.first_name = name.clone();
        }
        if let Some(name) = &patch.last_name {
            user.last_name = name.clone();
        }
        if let Some(bio) = &patch.bio {
            user.bio = bio.clone();
        }
        if let Some(city) = &patch.city {
            user.city = city.clone();
        }
        if let Some(date) = patch.birth_date {
            user.birth_date = date;
        }
        Ok(user.clone())
    }

    async fn update_settings(
        &self,
        id: UserId,
        patch: &SettingsPatch,
        _at: OffsetDateTime,
        announce: &Announce<'_, Settings>,
    ) -> Result<Committed<Settings>, StoreError> {
        self.outage.check()?;
        let mut users = self.users.lock().unwrap();
        let (user, _) = users.get_mut(&id).ok_or(StoreError::NotFound)?;
        let settings = &mut user.settings;
        settings.theme = patch.theme.unwrap_or(settings.theme);
        settings.privacy.profile = patch.profile.unwrap_or(settings.privacy.profile);
        settings.privacy.friends = patch.friends.unwrap_or(settings.privacy.friends);
        settings.privacy.photos = patch.photos.unwrap_or(settings.privacy.photos);
        settings.privacy.messages = patch.messages.unwrap_or(settings.privacy.messages);
        Ok(Committed::new(*settings, announce(settings)))
    }

    async fn delete(&self, id: UserId) -> Result<bool, StoreError> {
        self.outage.check()?;
        Ok(self.users.lock().unwrap().remove(&id).is_some())
    }

    async fn set_password_hash(&self, id: UserId, hash: &PasswordHash) -> Result<(), StoreError> {
        self.outage.check()?;
        let mut users = self.users.lock().unwrap();
        let entry = users.get_mut(&id).ok_or(StoreError::NotFound)?;
        entry.1 = hash.clone();
        Ok(())
    }
}

/// "Hashes" by prefixing; counts verifications so tests can see the dummy path ran.
#[derive(Default)]
pub struct FakeHasher {
    pub verifications: Mutex<u32>,
}

#[async_trait]
impl PasswordHasher for FakeHasher {
    async fn hash(&self, password: &Password) -> Result<PasswordHash, HashError> {
        Ok(PasswordHash(format!("fake${}", password.expose())))
    }

    async fn verify(
        &self,
        candidate: &str,
        hash: Option<&PasswordHash>,
    ) -> Result<bool, HashError> {
        *self.verifications.lock().unwrap() += 1;
        Ok(hash.is_some_and(|h| h.0 == format!("fake${candidate}")))
    }
}

pub struct FakeAccessTokens {
    pub ttl: time::Duration,
}

impl Default for FakeAccessTokens {
    fn default() -> Self {
        Self {
            ttl: time::Duration::minutes(15),
        }
    }
}

impl AccessTokens for FakeAccessTokens {
    fn issue(&self, user_id: UserId, session_id: SessionId) -> IssuedAccessToken {
        let expires_at = OffsetDateTime::now_utc() + self.ttl;
        IssuedAccessToken {
            token: format!(
                "access.{user_id}.{session_id}.{}",
                expires_at.unix_timestamp()
            ),
            expires_at,
        }
    }

    fn verify(&self, token: &str) -> Result<AccessClaims, AccessTokenError> {
        let parts: Vec<&str> = token.split('.').collect();
        let [_, user, session, exp] = parts.as_slice() else {
            return Err(AccessTokenError::Invalid);
        };
        let exp: i64 = exp.parse().map_err(|_| AccessTokenError::Invalid)?;
        let expires_at =
            OffsetDateTime::from_unix_timestamp(exp).map_err(|_| AccessTokenError::Invalid)?;
        if expires_at <= OffsetDateTime::now_utc() {
            return Err(AccessTokenError::Expired);
        }
        Ok(AccessClaims {
            user_id: user.parse().map_err(|_| AccessTokenError::Invalid)?,
            session_id: session.parse().map_err(|_| AccessTokenError::Invalid)?,
            expires_at,
        })
    }

    fn ttl(&self) -> time::Duration {
        self.ttl
    }
}

/// Tokens are `user.session.counter`; the hash is the token reversed.
#[derive(Default)]
pub struct FakeRefreshTokens {
    counter: Mutex<u64>,
}

impl RefreshTokens for FakeRefreshTokens {
    fn generate(&self, user_id: UserId, session_id: SessionId) -> (String, RefreshTokenHash) {
        let mut counter = self.counter.lock().unwrap();
        *counter += 1;
        let token = format!("{user_id}.{session_id}.{counter}");
        let hash = RefreshTokenHash(token.chars().rev().collect());
        (token, hash)
    }

    fn open(&self, token: &str) -> Option<OpenedRefreshToken> {
        let mut parts = token.split('.');
        let user_id = parts.next()?.parse().ok()?;
        let session_id = parts.next()?.parse().ok()?;
        parts.next()?;
        Some(OpenedRefreshToken {
            user_id,
            session_id,
            hash: RefreshTokenHash(token.chars().rev().collect()),
        })
    }
}

struct StoredSession {
    session: Session,
    current: RefreshTokenHash,
    rotated: HashSet<RefreshTokenHash>,
}

#[derive(Default)]
pub struct InMemorySessions {
    sessions: Mutex<HashMap<(UserId, SessionId), StoredSession>>,
    pub outage: Outage,
}

#[async_trait]
impl SessionStore for InMemorySessions {
    async fn create(
        &self,
        session: &Session,
        token_hash: &RefreshTokenHash,
    ) -> Result<(), StoreError> {
        self.outage.check()?;
        self.sessions.lock().unwrap().insert(
            (session.user_id, session.id),
            StoredSession {
                session: session.clone(),
                current: token_hash.clone(),
                rotated: HashSet::new(),
            },
        );
        Ok(())
    }

    async fn rotate(
        &self,
        user_id: UserId,
        session_id: SessionId,
        presented: &RefreshTokenHash,
        next: &RefreshTokenHash,
        now: OffsetDateTime,
        expires_at: OffsetDateTime,
    ) -> Result<RotateOutcome, StoreError> {
        self.outage.check()?;
        let mut sessions = self.sessions.lock().unwrap();
        let Some(stored) = sessions.get_mut(&(user_id, session_id)) else {
            return Ok(RotateOutcome::Unknown);
        };
        if stored.current == *presented {
            let old = std::mem::replace(&mut stored.current, next.clone());
            stored.rotated.insert(old);
            stored.session.last_used_at = now;
            stored.session.expires_at = expires_at;
            Ok(RotateOutcome::Rotated(stored.session.clone()))
        } else if stored.rotated.contains(presented) {
            sessions.remove(&(user_id, session_id));
            Ok(RotateOutcome::Reused)
        } else {
            Ok(RotateOutcome::Unknown)
        }
    }

    async fn token_status(
        &self,
        user_id: UserId,
        session_id: SessionId,
        presented: &RefreshTokenHash,
    ) -> Result<TokenStatus, StoreError> {
        self.outage.check()?;
        let sessions = self.sessions.lock().unwrap();
        Ok(match sessions.get(&(user_id, session_id)) {
            Some(s) if s.current == *presented => TokenStatus::Current,
            Some(s) if s.rotated.contains(presented) => TokenStatus::RotatedOut,
            _ => TokenStatus::Unknown,
        })
    }

    async fn exists(&self, user_id: UserId, session_id: SessionId) -> Result<bool, StoreError> {
        self.outage.check()?;
        Ok(self
            .sessions
            .lock()
            .unwrap()
            .contains_key(&(user_id, session_id)))
    }

    async fn list(&self, user_id: UserId) -> Result<Vec<Session>, StoreError> {
        self.outage.check()?;
        let mut list: Vec<Session> = self
            .sessions
            .lock()
            .unwrap()
            .values()
            .filter(|s| s.session.user_id == user_id)
            .map(|s| s.session.clone())
            .collect();
        list.sort_by_key(|s| s.created_at);
        Ok(list)
    }

    async fn revoke(&self, user_id: UserId, session_id: SessionId) -> Result<bool, StoreError> {
        self.outage.check()?;
        Ok(self
            .sessions
            .lock()
            .unwrap()
            .remove(&(user_id, session_id))
            .is_some())
    }

    async fn revoke_all(
        &self,
        user_id: UserId,
        keep: Option<SessionId>,
    ) -> Result<Vec<SessionId>, StoreError> {
        self.outage.check()?;
        let mut sessions = self.sessions.lock().unwrap();
        let doomed: Vec<SessionId> = sessions
            .keys()
            .filter(|(u, s)| *u == user_id && Some(*s) != keep)
            .map(|(_, s)| *s)
            .collect();
        for id in &doomed {
            sessions.remove(&(user_id, *id));
        }
        Ok(doomed)
    }
}

#[derive(Default)]
pub struct InMemoryLimiter {
    failures: Mutex<HashMap<String, u32>>,
    pub outage: Outage,
}

#[async_trait]
impl FailureLimiter for InMemoryLimiter {
    async fn retry_after(&self, rules: &[LimitRule]) -> Result<Option<Duration>, StoreError> {
        self.outage.check()?;
        let failures = self.failures.lock().unwrap();
        Ok(rules
            .iter()
            .filter(|r| failures.get(&r.key).copied().unwrap_or(0) >= r.limit)
            .map(|r| r.window)
            .max())
    }

    async fn record_failure(&self, rules: &[LimitRule]) -> Result<(), StoreError> {
        self.outage.check()?;
        let mut failures = self.failures.lock().unwrap();
        for rule in rules {
            *failures.entry(rule.key.clone()).or_default() += 1;
        }
        Ok(())
    }

    async fn clear(&self, rule: &LimitRule) -> Result<(), StoreError> {
        self.outage.check()?;
        self.failures.lock().unwrap().remove(&rule.key);
        Ok(())
    }
}

#[derive(Default)]
pub struct RecordingEvents {
    pub events: Mutex<Vec<EventEnvelope>>,
}

impl RecordingEvents {
    /// The payloads published since the last take, in order.
    pub fn take(&self) -> Vec<DomainEvent> {
        self.take_envelopes()
            .into_iter()
            .map(|e| e.payload)
            .collect()
    }

    /// The envelopes published since the last take, in order.
    pub fn take_envelopes(&self) -> Vec<EventEnvelope> {
        std::mem::take(&mut self.events.lock().unwrap())
    }
}

impl EventPublisher for RecordingEvents {
    fn publish(&self, events: Vec<EventEnvelope>) {
        self.events.lock().unwrap().extend(events);
    }
}

/// A clock that stands still until told to move.
pub struct FakeClock {
    now: Mutex<OffsetDateTime>,
}

impl Default for FakeClock {
    fn default() -> Self {
        Self {
            now: Mutex::new(sakura_domain::clock::now()),
        }
    }
}

impl FakeClock {
    /// Moves time forward.
    pub fn advance(&self, by: time::Duration) {
        *self.now.lock().unwrap() += by;
    }
}

impl Clock for FakeClock {
    fn now(&self) -> OffsetDateTime {
        *self.now.lock().unwrap()
    }
}

/// Every fake, wired into every auth use case, for tests that walk through several of them.
pub struct AuthWorld {
    pub users: Arc<InMemoryUsers>,
    pub hasher: Arc<FakeHasher>,
    pub sessions: Arc<InMemorySessions>,
    pub limiter: Arc<InMemoryLimiter>,
    pub events: Arc<RecordingEvents>,
    pub access: Arc<FakeAccessTokens>,
    pub refresh: Arc<FakeRefreshTokens>,
    pub clock: Arc<FakeClock>,
    pub limits: LoginLimits,
}

impl Default for AuthWorld {
    fn default() -> Self {
        Self {
            users: Arc::default(),
            hasher: Arc::default(),
            sessions: Arc::default(),
            limiter: Arc::default(),
            events: Arc::default(),
            access: Arc::default(),
            refresh: Arc::default(),
            clock: Arc::default(),
            limits: LoginLimits {
                per_email: 3,
                per_ip: 10,
                window: Duration::from_secs(60),
            },
        }
    }
}

impl AuthWorld {
    pub fn tokens(&self) -> SessionTokens {
        SessionTokens::new(
            self.sessions.clone(),
            self.access.clone(),
            self.refresh.clone(),
            time::Duration::days(30),
            self.clock.clone(),
        )
    }

    pub fn register(&self) -> RegisterUser {
        RegisterUser::new(self.users.clone(), self.hasher.clone(), self.tokens())
    }

    pub fn login(&self) -> LoginUser {
        LoginUser::new(
            self.users.clone(),
            self.hasher.clone(),
            self.limiter.clone(),
            self.tokens(),
            self.limits,
        )
    }

    pub fn refresh_session(&self) -> RefreshSession {
        RefreshSession::new(self.users.clone(), self.tokens(), self.events.clone())
    }

    pub fn logout(&self) -> Logout {
        Logout::new(
            self.sessions.clone(),
            self.refresh.clone(),
            self.events.clone(),
            self.clock.clone(),
        )
    }

    pub fn logout_all(&self) -> LogoutAll {
        LogoutAll::new(
            self.sessions.clone(),
            self.events.clone(),
            self.clock.clone(),
        )
    }

    pub fn list_sessions(&self) -> ListSessions {
        ListSessions::new(self.sessions.clone())
    }

    pub fn revoke_session(&self) -> RevokeSession {
        RevokeSession::new(
            self.sessions.clone(),
            self.events.clone(),
            self.clock.clone(),
        )
    }

    pub fn change_password(&self) -> ChangePassword {
        ChangePassword::new(
            self.users.clone(),
            self.hasher.clone(),
            self.sessions.clone(),
            self.limiter.clone(),
            self.events.clone(),
            self.clock.clone(),
            self.limits,
        )
    }

    pub fn authenticate(&self) -> Authenticate {
        Authenticate::new(self.access.clone(), self.sessions.clone())
    }
}
