//! Refresh sessions in Redis.
//!
//! Keys, per user and session:
//! - `session:{user}:{session}` — a hash: `token` (SHA-256 of the current refresh token),
//!   `created_at`, `last_used_at`, `expires_at` (unix ms), `user_agent`. Expires with the token.
//! - `session:{user}:{session}:rotated` — a list of the last rotated-out token hashes, so a
//!   replayed old token is recognised as theft rather than as garbage.
//! - `user_sessions:{user}` — a set of the user's session ids, for listing and logout-all.

use std::collections::HashMap;

use anyhow::Context;
use async_trait::async_trait;
use deadpool_redis::redis::{self, Script};
use sakura_application::StoreError;
use sakura_application::ports::{RefreshTokenHash, RotateOutcome, SessionStore, TokenStatus};
use sakura_domain::auth::Session;
use sakura_domain::{SessionId, UserId};
use time::OffsetDateTime;

use crate::{Keys, RedisPool, error};

/// How many rotated-out token hashes a session remembers. A token older than that is simply
/// unknown: by then it has been superseded for days.
const ROTATED_KEPT: usize = 64;

/// Swaps the current token if it matches; revokes the session if an old one is replayed.
/// KEYS: session, rotated, user set. ARGV: presented, next, now ms, expires ms, session id, kept.
const ROTATE: &str = r"
if redis.call('EXISTS', KEYS[1]) == 0 then return {'unknown'} end
local current = redis.call('HGET', KEYS[1], 'token')
if current == ARGV[1] then
  redis.call('HSET', KEYS[1], 'token', ARGV[2], 'last_used_at', ARGV[3], 'expires_at', ARGV[4])
  redis.call('LPUSH', KEYS[2], ARGV[1])
  redis.call('LTRIM', KEYS[2], 0, tonumber(ARGV[6]) - 1)
  redis.call('PEXPIREAT', KEYS[1], ARGV[4])
  redis.call('PEXPIREAT', KEYS[2], ARGV[4])
  if redis.call('PEXPIRETIME', KEYS[3]) < tonumber(ARGV[4]) then
    redis.call('PEXPIREAT', KEYS[3], ARGV[4])
  end
  local out = {'rotated'}
  for _, v in ipairs(redis.call('HGETALL', KEYS[1])) do table.insert(out, v) end
  return out
end
if redis.call('LPOS', KEYS[2], ARGV[1]) then
  redis.call('DEL', KEYS[1], KEYS[2])
  redis.call('SREM', KEYS[3], ARGV[5])
  return {'reused'}
end
return {'unknown'}
";

/// The session store on Redis.
#[derive(Clone)]
pub struct RedisSessionStore {
    pool: RedisPool,
    keys: Keys,
}

fn unix_ms(at: OffsetDateTime) -> i64 {
    i64::try_from(at.unix_timestamp_nanos() / 1_000_000).unwrap_or(i64::MAX)
}

fn from_unix_ms(ms: &str) -> anyhow::Result<OffsetDateTime> {
    let ms: i128 = ms.parse().context("timestamp")?;
    OffsetDateTime::from_unix_timestamp_nanos(ms * 1_000_000).context("timestamp range")
}

fn parse_session(
    user_id: UserId,
    session_id: SessionId,
    fields: &HashMap<String, String>,
) -> Result<Session, StoreError> {
    let field = |name: &str| {
        fields
            .get(name)
            .with_context(|| format!("session field {name} missing"))
    };
    let parsed = (|| -> anyhow::Result<Session> {
        Ok(Session {
            id: session_id,
            user_id,
            created_at: from_unix_ms(field("created_at")?)?,
            last_used_at: from_unix_ms(field("last_used_at")?)?,
            expires_at: from_unix_ms(field("expires_at")?)?,
            user_agent: fields
                .get("user_agent")
                .filter(|ua| !ua.is_empty())
                .cloned(),
        })
    })();
    parsed.map_err(StoreError::Other)
}

impl RedisSessionStore {
    /// A store on `pool` with keys under `prefix`.
    pub fn new(pool: RedisPool, prefix: &str) -> Self {
        Self {
            pool,
            keys: Keys::new(prefix),
        }
    }

    fn session_key(&self, user_id: UserId, session_id: SessionId) -> String {
        self.keys
            .key(format_args!("session:{user_id}:{session_id}"))
    }

    fn rotated_key(&self, user_id: UserId, session_id: SessionId) -> String {
        self.keys
            .key(format_args!("session:{user_id}:{session_id}:rotated"))
    }

    fn user_key(&self, user_id: UserId) -> String {
        self.keys.key(format_args!("user_sessions:{user_id}"))
    }

    async fn conn(&self) -> Result<deadpool_redis::Connection, StoreError> {
        self.pool.get().await.map_err(error::pool)
    }
}

#[async_trait]
impl SessionStore for RedisSessionStore {
    async fn create(
        &self,
        session: &Session,
        token_hash: &RefreshTokenHash,
    ) -> Result<(), StoreError> {
        let key = self.session_key(session.user_id, session.id);
        let user_key = self.user_key(session.user_id);
        let expires = unix_ms(session.expires_at);
        let mut conn = self.conn().await?;
        redis::pipe()
            .atomic()
            .cmd("HSET")
            .arg(&key)
            .arg("token")
            .arg(&token_hash.0)
            .arg("created_at")
            .arg(unix_ms(session.created_at))
            .arg("last_used_at")
            .arg(unix_ms(session.last_used_at))
            .arg("expires_at")
            .arg(expires)
            .arg("user_agent")
            .arg(session.user_agent.as_deref().unwrap_or(""))
            .ignore()
            .cmd("PEXPIREAT")
            .arg(&key)
            .arg(expires)
            .ignore()
            .cmd("SADD")
            .arg(&user_key)
            .arg(session.id.to_string())
            .ignore()
            // The set lives as long as its longest-lived session.
            .cmd("PEXPIREAT")
            .arg(&user_key)
            .arg(expires)
            .arg("GT")
            .ignore()
            .cmd("PEXPIREAT")
            .arg(&user_key)
            .arg(expires)
            .arg("NX")
            .ignore()
            .query_async::<()>(&mut conn)
            .await
            .map_err(error::command("create session"))
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
        let mut conn = self.conn().await?;
        let answer: Vec<String> = Script::new(ROTATE)
            .key(self.session_key(user_id, session_id))
            .key(self.rotated_key(user_id, session_id))
            .key(self.user_key(user_id))
            .arg(&presented.0)
            .arg(&next.0)
            .arg(unix_ms(now))
            .arg(unix_ms(expires_at))
            .arg(session_id.to_string())
            .arg(ROTATED_KEPT)
            .invoke_async(&mut conn)
            .await
            .map_err(error::command("rotate refresh token"))?;
        match answer.first().map(String::as_str) {
            Some("rotated") => {
                let fields: HashMap<String, String> = answer[1..]
                    .chunks_exact(2)
                    .map(|pair| (pair[0].clone(), pair[1].clone()))
                    .collect();
                Ok(RotateOutcome::Rotated(parse_session(
                    user_id, session_id, &fields,
                )?))
            }
            Some("reused") => Ok(RotateOutcome::Reused),
            _ => Ok(RotateOutcome::Unknown),
        }
    }

    async fn token_status(
        &self,
        user_id: UserId,
        session_id: SessionId,
        presented: &RefreshTokenHash,
    ) -> Result<TokenStatus, StoreError> {
        let mut conn = self.conn().await?;
        let (current, position): (Option<String>, Option<i64>) = redis::pipe()
            .cmd("HGET")
            .arg(self.session_key(user_id, session_id))
            .arg("token")
            .cmd("LPOS")
            .arg(self.rotated_key(user_id, session_id))
            .arg(&presented.0)
            .query_async(&mut conn)
            .await
            .map_err(error::command("check refresh token"))?;
        Ok(match (current, position) {
            (Some(current), _) if current == presented.0 => TokenStatus::Current,
            (Some(_), Some(_)) => TokenStatus::RotatedOut,
            _ => TokenStatus::Unknown,
        })
    }

    async fn exists(&self, user_id: UserId, session_id: SessionId) -> Result<bool, StoreError> {
        let mut conn = self.conn().await?;
        redis::cmd("EXISTS")
            .arg(self.session_key(user_id, session_id))
            .query_async(&mut conn)
            .await
            .map_err(error::command("check session"))
    }

    async fn list(&self, user_id: UserId) -> Result<Vec<Session>, StoreError> {
        let mut conn = self.conn().await?;
        let user_key = self.user_key(user_id);
        let ids: Vec<String> = redis::cmd("SMEMBERS")
            .arg(&user_key)
            .query_async(&mut conn)
            .await
            .map_err(error::command("list sessions"))?;
        let ids: Vec<SessionId> = ids.iter().filter_map(|id| id.parse().ok()).collect();
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let mut pipe = redis::pipe();
        for id in &ids {
            pipe.cmd("HGETALL").arg(self.session_key(user_id, *id));
        }
        let all: Vec<HashMap<String, String>> = pipe
            .query_async(&mut conn)
            .await
            .map_err(error::command("read sessions"))?;
        let mut sessions = Vec::with_capacity(ids.len());
        let mut expired = Vec::new();
        for (id, fields) in ids.into_iter().zip(all) {
            if fields.is_empty() {
                expired.push(id.to_string());
            } else {
                sessions.push(parse_session(user_id, id, &fields)?);
            }
        }
        if !expired.is_empty() {
            // Sessions that lapsed on their own leave their id behind; tidy up.
            redis::cmd("SREM")
                .arg(&user_key)
                .arg(&expired)
                .query_async::<()>(&mut conn)
                .await
                .map_err(error::command("forget expired sessions"))?;
        }
        sessions.sort_by_key(|s| s.created_at);
        Ok(sessions)
    }

    async fn revoke(&self, user_id: UserId, session_id: SessionId) -> Result<bool, StoreError> {
        let mut conn = self.conn().await?;
        let (deleted,): (u32,) = redis::pipe()
            .atomic()
            .cmd("DEL")
            .arg(self.session_key(user_id, session_id))
            .cmd("DEL")
            .arg(self.rotated_key(user_id, session_id))
            .ignore()
            .cmd("SREM")
            .arg(self.user_key(user_id))
            .arg(session_id.to_string())
            .ignore()
            .query_async(&mut conn)
            .await
            .map_err(error::command("revoke session"))?;
        Ok(deleted > 0)
    }

    async fn revoke_all(
        &self,
        user_id: UserId,
        keep: Option<SessionId>,
    ) -> Result<Vec<SessionId>, StoreError> {
        let mut conn = self.conn().await?;
        let ids: Vec<String> = redis::cmd("SMEMBERS")
            .arg(self.user_key(user_id))
            .query_async(&mut conn)
            .await
            .map_err(error::command("list sessions"))?;
        let doomed: Vec<SessionId> = ids
            .iter()
            .filter_map(|id| id.parse().ok())
            .filter(|id| Some(*id) != keep)
            .collect();
        if doomed.is_empty() {
            return Ok(Vec::new());
        }
        let mut pipe = redis::pipe();
        pipe.atomic();
        for id in &doomed {
            pipe.cmd("DEL").arg(self.session_key(user_id, *id));
            pipe.cmd("DEL").arg(self.rotated_key(user_id, *id)).ignore();
            pipe.cmd("SREM")
                .arg(self.user_key(user_id))
                .arg(id.to_string())
                .ignore();
        }
        let deleted: Vec<u32> = pipe
            .query_async(&mut conn)
            .await
            .map_err(error::command("revoke sessions"))?;
        Ok(doomed
            .into_iter()
            .zip(deleted)
            .filter(|(_, d)| *d > 0)
            .map(|(id, _)| id)
            .collect())
    }
}
