//! Notifications in PostgreSQL.
//!
//! Ids are UUID v7, so "newest first" is `id DESC` and the keyset needs only the id: cursors
//! carry `key = 0`.

use anyhow::anyhow;
use async_trait::async_trait;
use diesel::prelude::*;
use diesel_async::AsyncPgConnection;
use diesel_async::{AsyncConnection, RunQueryDsl};
use sakura_application::StoreError;
use sakura_application::pagination::{Cursor, Page, PageRequest};
use sakura_application::ports::NotificationStore;
use sakura_domain::notifications::{Notification, Subject};
use sakura_domain::{NotificationId, UserId};
use time::OffsetDateTime;
use uuid::Uuid;

use crate::PgPool;
use crate::error;
use crate::schema::notifications;

/// A `notifications` row as read.
#[derive(Queryable, Selectable)]
#[diesel(table_name = notifications, check_for_backend(diesel::pg::Pg))]
struct NotificationRow {
    id: Uuid,
    recipient_id: Uuid,
    actor_id: Uuid,
    kind: String,
    subject_type: String,
    subject_id: Uuid,
    created_at: OffsetDateTime,
    read_at: Option<OffsetDateTime>,
}

impl TryFrom<NotificationRow> for Notification {
    type Error = StoreError;

    fn try_from(row: NotificationRow) -> Result<Self, Self::Error> {
        Ok(Notification {
            id: NotificationId::from_uuid(row.id),
            recipient: UserId::from_uuid(row.recipient_id),
            actor: UserId::from_uuid(row.actor_id),
            kind: row
                .kind
                .parse()
                .map_err(|e: String| StoreError::Other(anyhow!(e).context("stored kind")))?,
            subject: Subject::from_parts(&row.subject_type, row.subject_id)
                .map_err(|e| StoreError::Other(anyhow!(e).context("stored subject")))?,
            created_at: row.created_at,
            read: row.read_at.is_some(),
        })
    }
}

/// Stores a notification inside the caller's transaction: the one insert every write that
/// notifies (friendships, likes, comments, chats) shares.
pub(crate) async fn insert(
    conn: &mut AsyncPgConnection,
    notification: &Notification,
) -> Result<(), StoreError> {
    diesel::insert_into(notifications::table)
        .values((
            notifications::id.eq(notification.id.as_uuid()),
            notifications::recipient_id.eq(notification.recipient.as_uuid()),
            notifications::actor_id.eq(notification.actor.as_uuid()),
            notifications::kind.eq(notification.kind.as_str()),
            notifications::subject_type.eq(notification.subject.kind()),
            notifications::subject_id.eq(notification.subject.id()),
            notifications::created_at.eq(notification.created_at),
            notifications::read_at.eq(notification.read.then_some(notification.created_at)),
        ))
        .execute(conn)
        .await
        .map_err(error::query("insert notification"))?;
    Ok(())
}

/// Why `mark_read` rolled back.
enum MarkError {
    /// Some id is not the recipient's.
    NotTheirs,
    /// The query failed.
    Query(diesel::result::Error),
}

impl From<diesel::result::Error> for MarkError {
    fn from(e: diesel::result::Error) -> Self {
        Self::Query(e)
    }
}

/// The notification store on PostgreSQL.
#[derive(Clone)]
pub struct PgNotificationStore {
    pool: PgPool,
}

impl PgNotificationStore {
    /// A store on `pool`.
    pub fn new(pool: PgPool) -> Self {
        Self { pool }
    }
}

#[async_trait]
impl NotificationStore for PgNotificationStore {
    async fn list(
        &self,
        recipient: UserId,
        unread_only: bool,
        page: PageRequest,
    ) -> Result<Page<Notification>, StoreError> {
        let mut query = notifications::table
            .filter(notifications::recipient_id.eq(recipient.as_uuid()))
            .select(NotificationRow::as_select())
            .order(notifications::id.desc())
            .limit(i64::try_from(page.fetch()).unwrap_or(i64::MAX))
            .into_boxed();
        if unread_only {
            query = query.filter(notifications::read_at.is_null());
        }
        if let Some(after) = page.after {
            query = query.filter(notifications::id.lt(after.id));
        }
        let mut conn = self.pool.get().await.map_err(error::pool)?;
        let rows: Vec<NotificationRow> = query
            .load(&mut conn)
            .await
            .map_err(error::query("list notifications"))?;
        let items = rows
            .into_iter()
            .map(Notification::try_from)
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Page::from_rows(items, page, |n| Cursor {
            key: 0,
            id: n.id.as_uuid(),
        }))
    }

    async fn unread_count(&self, recipient: UserId) -> Result<u64, StoreError> {
        let mut conn = self.pool.get().await.map_err(error::pool)?;
        let count: i64 = notifications::table
            .filter(notifications::recipient_id.eq(recipient.as_uuid()))
            .filter(notifications::read_at.is_null())
            .count()
            .get_result(&mut conn)
            .await
            .map_err(error::query("count unread notifications"))?;
        Ok(u64::try_from(count).unwrap_or(0))
    }

    async fn mark_read(
        &self,
        recipient: UserId,
        ids: &[NotificationId],
        at: OffsetDateTime,
    ) -> Result<(), StoreError> {
        let mut ids: Vec<Uuid> = ids.iter().map(NotificationId::as_uuid).collect();
        ids.sort_unstable();
        ids.dedup();
        if ids.is_empty() {
            return Ok(());
        }
        let recipient = recipient.as_uuid();
        let mut conn = self.pool.get().await.map_err(error::pool)?;
        let marked = conn
            .transaction(async |c| {
                let theirs: i64 = notifications::table
                    .filter(notifications::recipient_id.eq(recipient))
                    .filter(notifications::id.eq_any(&ids))
                    .count()
                    .get_result(c)
                    .await?;
                if usize::try_from(theirs).ok() != Some(ids.len()) {
                    return Err(MarkError::NotTheirs);
                }
                diesel::update(
                    notifications::table
                        .filter(notifications::recipient_id.eq(recipient))
                        .filter(notifications::id.eq_any(&ids))
                        .filter(notifications::read_at.is_null()),
                )
                .set(notifications::read_at.eq(at))
                .execute(c)
                .await?;
                Ok(())
            })
            .await;
        match marked {
            Ok(()) => Ok(()),
            Err(MarkError::NotTheirs) => Err(StoreError::NotFound),
            Err(MarkError::Query(e)) => Err(error::query("mark notifications read")(e)),
        }
    }

    async fn mark_all_read(&self, recipient: UserId, at: OffsetDateTime) -> Result<(), StoreError> {
        let mut conn = self.pool.get().await.map_err(error::pool)?;
        diesel::update(
            notifications::table
                .filter(notifications::recipient_id.eq(recipient.as_uuid()))
                .filter(notifications::read_at.is_null()),
        )
        .set(notifications::read_at.eq(at))
        .execute(&mut conn)
        .await
        .map_err(error::query("mark all notifications read"))?;
        Ok(())
    }
}
