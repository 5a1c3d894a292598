//! What the messenger's writes read under their locks, and the ids they make.

use diesel::sql_types::{Array, Bool, Nullable, Text, Uuid as SqlUuid};
use diesel::{QueryableByName, sql_query};
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use sakura_application::StoreError;
use sakura_application::chats::ChatError;
use sakura_application::ports::{Candidate, ChatFacts};
use sakura_domain::chats::{ChatKind, ReachFacts};
use sakura_domain::users::MessagesPrivacy;
use sakura_domain::{ChatId, UserId};
use uuid::Uuid;

use crate::error;

#[derive(QueryableByName)]
struct CandidateRow {
    #[diesel(sql_type = SqlUuid)]
    id: Uuid,
    #[diesel(sql_type = Text)]
    messages: String,
    #[diesel(sql_type = Bool)]
    friends: bool,
    #[diesel(sql_type = Bool)]
    blocked: bool,
}

/// How `me` stands to each of `others`, in their order. Error: `UnknownUser` if one does not
/// exist.
pub(super) async fn candidates(
    conn: &mut AsyncPgConnection,
    me: UserId,
    others: &[UserId],
) -> Result<Vec<Candidate>, ChatError> {
    let ids: Vec<Uuid> = others.iter().map(UserId::as_uuid).collect();
    let rows: Vec<CandidateRow> = sql_query(
        "SELECT u.id, u.privacy_messages AS messages, \
         EXISTS (SELECT 1 FROM friendships f WHERE f.user_a = least(u.id, $2) \
                 AND f.user_b = greatest(u.id, $2) AND f.state = 'friends') AS friends, \
         EXISTS (SELECT 1 FROM blocks b WHERE (b.blocker_id = $2 AND b.blocked_id = u.id) \
                 OR (b.blocker_id = u.id AND b.blocked_id = $2)) AS blocked \
         FROM users u WHERE u.id = ANY($1)",
    )
    .bind::<Array<SqlUuid>, _>(&ids)
    .bind::<SqlUuid, _>(me.as_uuid())
    .load(conn)
    .await
    .map_err(error::query("read who may be written to"))?;
    others
        .iter()
        .map(|other| {
            let row = rows
                .iter()
                .find(|r| r.id == other.as_uuid())
                .ok_or(ChatError::UnknownUser)?;
            let messages: MessagesPrivacy = row.messages.parse().map_err(|_| {
                StoreError::Other(anyhow::anyhow!(
                    "stored messages privacy {:?}",
                    row.messages
                ))
            })?;
            Ok(Candidate {
                user_id: *other,
                reach: ReachFacts {
                    messages,
                    friends: row.friends,
                    blocked: row.blocked,
                },
            })
        })
        .collect()
}

#[derive(QueryableByName)]
struct LockedChat {
    #[diesel(sql_type = Text)]
    kind: String,
    #[diesel(sql_type = Nullable<SqlUuid>)]
    creator_id: Option<Uuid>,
    #[diesel(sql_type = Nullable<SqlUuid>)]
    last_message_id: Option<Uuid>,
}

#[derive(QueryableByName)]
struct MemberId {
    #[diesel(sql_type = SqlUuid)]
    user_id: Uuid,
}

/// A chat locked for a write by its member `me`.
pub(super) struct Locked {
    /// Its facts.
    pub(super) facts: ChatFacts,
    /// Its newest message.
    pub(super) last_message: Option<Uuid>,
    /// `me`'s `history_from`.
    pub(super) history_from: Uuid,
}

/// The members of `chat`, longest-standing (earliest last join) first.
pub(super) async fn members(
    conn: &mut AsyncPgConnection,
    chat: Uuid,
) -> Result<Vec<UserId>, StoreError> {
    let rows: Vec<MemberId> = sql_query(
        "SELECT user_id FROM chat_members WHERE chat_id = $1 ORDER BY joined_at, user_id",
    )
    .bind::<SqlUuid, _>(chat)
    .load(conn)
    .await
    .map_err(error::query("read members"))?;
    Ok(rows
        .into_iter()
        .map(|r| UserId::from_uuid(r.user_id))
        .collect())
}

/// Locks `chat`'s row (every send and group change of the chat queues here) and reads its
/// facts. Error: `ChatNotFound` unless `me` is a member.
///
/// The membership is read by a statement of its own once the lock is held: one that waited for
/// the lock behind a removal sees the removal committed (under READ COMMITTED a locking
/// statement re-reads only the rows it locks, so a join would still see the member).
pub(super) async fn lock_chat(
    conn: &mut AsyncPgConnection,
    me: UserId,
    chat: ChatId,
) -> Result<Locked, ChatError> {
    let row: Option<LockedChat> =
        sql_query("SELECT kind, creator_id, last_message_id FROM chats WHERE id = $1 FOR UPDATE")
            .bind::<SqlUuid, _>(chat.as_uuid())
            .get_result(conn)
            .await
            .map(Some)
            .or_else(|e| match e {
                diesel::result::Error::NotFound => Ok(None),
                other => Err(other),
            })
            .map_err(error::query("lock the chat"))?;
    let row = row.ok_or(ChatError::ChatNotFound)?;
    let history_from = super::write::membership(conn, me, chat).await?;
    let kind = ChatKind::parse(&row.kind)
        .ok_or_else(|| StoreError::Other(anyhow::anyhow!("stored chat kind {:?}", row.kind)))?;
    Ok(Locked {
        facts: ChatFacts {
            id: chat,
            kind,
            creator: row.creator_id.map(UserId::from_uuid),
            members: members(conn, chat.as_uuid()).await?,
        },
        last_message: row.last_message_id,
        history_from,
    })
}

/// A new message id, greater than the chat's newest `last`: the time-ordered v7 id of now, or,
/// if the clock (another instance's, say) is behind the chat's newest, one a millisecond past
/// it. Made under the chat's lock, so ids rise in commit order.
pub(super) fn next_message_id(last: Option<Uuid>) -> Uuid {
    let now = Uuid::now_v7();
    match last {
        Some(last) if now <= last => {
            let millis = last
                .get_timestamp()
                .map(|t| {
                    let (secs, nanos) = t.to_unix();
                    secs * 1000 + u64::from(nanos) / 1_000_000
                })
                .unwrap_or_default();
            let random = Uuid::new_v4();
            let bytes: [u8; 10] = random.as_bytes()[..10].try_into().unwrap_or([0; 10]);
            uuid::Builder::from_unix_timestamp_millis(millis + 1, &bytes).into_uuid()
        }
        _ => now,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_new_id_is_greater_than_the_newest_even_when_the_clock_is_behind() {
        let ahead = uuid::Builder::from_unix_timestamp_millis(u64::MAX >> 17, &[0; 10]).into_uuid();
        let next = next_message_id(Some(ahead));
        assert!(next > ahead);
        assert_eq!(next.get_version_num(), 7);
        let now = next_message_id(None);
        assert!(next_message_id(Some(now)) > now);
    }
}
