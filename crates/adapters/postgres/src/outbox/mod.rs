//! The transactional outbox in PostgreSQL: events are appended inside the transaction of their
//! change ([`append`]) and deleted once the bus has them ([`PgOutbox`]).
//!
//! Claims are leases rather than held row locks: the claim runs `FOR UPDATE SKIP LOCKED` in its
//! own short statement and stamps `claimed_until`, so a relay never keeps a transaction open
//! across a network call, and a relay that dies mid-delivery frees its batch when the lease ends.

mod chat_codec;
mod codec;

use async_trait::async_trait;
use diesel::prelude::*;
use diesel::sql_types::{Array, BigInt, Jsonb, Nullable, Timestamptz, Uuid as SqlUuid};
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use sakura_application::StoreError;
use sakura_application::events::EventEnvelope;
use sakura_application::ports::Outbox;
use sakura_domain::{EventId, SessionId, UserId};
use time::{Duration, OffsetDateTime};
use uuid::Uuid;

use crate::PgPool;
use crate::error;
use crate::schema::event_outbox;

/// Writes `events` inside the caller's transaction: they commit, or roll back, with the change.
pub(crate) async fn append(
    conn: &mut AsyncPgConnection,
    events: &[EventEnvelope],
) -> Result<(), StoreError> {
    if events.is_empty() {
        return Ok(());
    }
    let mut rows = Vec::with_capacity(events.len());
    for event in events {
        rows.push((
            event_outbox::id.eq(event.id.as_uuid()),
            event_outbox::kind.eq(event.kind()),
            event_outbox::payload.eq(codec::encode(&event.payload)?),
            event_outbox::recipients.eq(event
                .recipients
                .iter()
                .map(UserId::as_uuid)
                .collect::<Vec<_>>()),
            event_outbox::origin_session_id.eq(event.origin.map(|s| s.as_uuid())),
            event_outbox::occurred_at.eq(event.at),
        ));
    }
    diesel::insert_into(event_outbox::table)
        .values(rows)
        .execute(conn)
        .await
        .map_err(error::query("append events to the outbox"))?;
    Ok(())
}

#[derive(QueryableByName)]
struct ClaimedRow {
    #[diesel(sql_type = SqlUuid)]
    id: Uuid,
    #[diesel(sql_type = Jsonb)]
    payload: serde_json::Value,
    #[diesel(sql_type = Array<SqlUuid>)]
    recipients: Vec<Uuid>,
    #[diesel(sql_type = Nullable<SqlUuid>)]
    origin_session_id: Option<Uuid>,
    #[diesel(sql_type = Timestamptz)]
    occurred_at: OffsetDateTime,
}

impl TryFrom<ClaimedRow> for EventEnvelope {
    type Error = StoreError;

    fn try_from(row: ClaimedRow) -> Result<Self, StoreError> {
        Ok(EventEnvelope {
            id: EventId::from_uuid(row.id),
            at: row.occurred_at,
            recipients: row.recipients.into_iter().map(UserId::from_uuid).collect(),
            origin: row.origin_session_id.map(SessionId::from_uuid),
            payload: codec::decode(row.payload)?,
        })
    }
}

/// Claims the oldest unclaimed (or lease-expired) rows older than `$1`, until `$2`.
const CLAIM: &str = "\
UPDATE event_outbox SET claimed_until = $2
WHERE id IN (
    SELECT id FROM event_outbox
    WHERE occurred_at < $1 AND (claimed_until IS NULL OR claimed_until < $3)
    ORDER BY id
    LIMIT $4
    FOR UPDATE SKIP LOCKED
)
RETURNING id, payload, recipients, origin_session_id, occurred_at";

/// The outbox on PostgreSQL.
#[derive(Clone)]
pub struct PgOutbox {
    pool: PgPool,
}

impl PgOutbox {
    /// An outbox on `pool`.
    pub fn new(pool: PgPool) -> Self {
        Self { pool }
    }
}

#[async_trait]
impl Outbox for PgOutbox {
    async fn claim(
        &self,
        before: OffsetDateTime,
        now: OffsetDateTime,
        lease: Duration,
        limit: usize,
    ) -> Result<Vec<EventEnvelope>, StoreError> {
        let mut conn = self.pool.get().await.map_err(error::pool)?;
        let limit = i64::try_from(limit).unwrap_or(i64::MAX);
        let mut rows: Vec<ClaimedRow> = diesel::sql_query(CLAIM)
            .bind::<Timestamptz, _>(before)
            .bind::<Timestamptz, _>(now + lease)
            .bind::<Timestamptz, _>(now)
            .bind::<BigInt, _>(limit)
            .load(&mut conn)
            .await
            .map_err(error::query("claim outbox events"))?;
        // RETURNING gives no order: deliver oldest first, as they happened.
        rows.sort_by_key(|row| row.id);
        let mut events = Vec::with_capacity(rows.len());
        for row in rows {
            let id = row.id;
            match EventEnvelope::try_from(row) {
                Ok(event) => events.push(event),
                // A row no build can read would block nobody (it is skipped while leased) but
                // would come back forever: say so loudly, once per lease.
                Err(error) => {
                    tracing::error!(event_id = %id, error = %error, "unreadable outbox event")
                }
            }
        }
        Ok(events)
    }

    async fn mark_delivered(&self, ids: &[EventId]) -> Result<(), StoreError> {
        if ids.is_empty() {
            return Ok(());
        }
        let ids: Vec<Uuid> = ids.iter().map(EventId::as_uuid).collect();
        let mut conn = self.pool.get().await.map_err(error::pool)?;
        diesel::delete(event_outbox::table.filter(event_outbox::id.eq_any(ids)))
            .execute(&mut conn)
            .await
            .map_err(error::query("clear delivered outbox events"))?;
        Ok(())
    }
}
