//! The statements of the messenger's writes, each run inside the caller's transaction.

use diesel::sql_types::{Array, Bool, Int2, Nullable, Text, Timestamptz, Uuid as SqlUuid};
use diesel::{QueryableByName, sql_query};
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use sakura_application::StoreError;
use sakura_application::chats::{ChatError, ChatInfo, Message};
use sakura_application::ports::{Draft, GroupChange, MessageChange, MessageFacts, SendFacts};
use sakura_domain::chats::search::index_terms;
use sakura_domain::{ChatId, MessageId, PhotoId, UserId};
use time::OffsetDateTime;
use uuid::Uuid;

use super::facts::{self, Locked};
use super::read;
use crate::error;

fn optional<T>(
    result: Result<T, diesel::result::Error>,
) -> Result<Option<T>, diesel::result::Error> {
    match result {
        Ok(value) => Ok(Some(value)),
        Err(diesel::result::Error::NotFound) => Ok(None),
        Err(other) => Err(other),
    }
}

#[derive(QueryableByName)]
struct IdRow {
    #[diesel(sql_type = SqlUuid)]
    id: Uuid,
}

#[derive(QueryableByName)]
struct HistoryFrom {
    #[diesel(sql_type = SqlUuid)]
    history_from: Uuid,
}

/// `me`'s `history_from` in `chat`. Error: `ChatNotFound` unless `me` is a member.
pub(super) async fn membership(
    conn: &mut AsyncPgConnection,
    me: UserId,
    chat: ChatId,
) -> Result<Uuid, ChatError> {
    let row: Option<HistoryFrom> = optional(
        sql_query("SELECT history_from FROM chat_members WHERE chat_id = $1 AND user_id = $2")
            .bind::<SqlUuid, _>(chat.as_uuid())
            .bind::<SqlUuid, _>(me.as_uuid())
            .get_result(conn)
            .await,
    )
    .map_err(error::query("read membership"))?;
    row.map(|r| r.history_from).ok_or(ChatError::ChatNotFound)
}

/// Like [`membership`], and holds the membership until the transaction ends: a removal (which
/// deletes the row) waits for it, and one committed first leaves nothing to find.
pub(super) async fn lock_membership(
    conn: &mut AsyncPgConnection,
    me: UserId,
    chat: ChatId,
) -> Result<Uuid, ChatError> {
    let row: Option<HistoryFrom> = optional(
        sql_query(
            "SELECT history_from FROM chat_members WHERE chat_id = $1 AND user_id = $2 \
             FOR KEY SHARE",
        )
        .bind::<SqlUuid, _>(chat.as_uuid())
        .bind::<SqlUuid, _>(me.as_uuid())
        .get_result(conn)
        .await,
    )
    .map_err(error::query("lock membership"))?;
    row.map(|r| r.history_from).ok_or(ChatError::ChatNotFound)
}

/// The direct chat of the pair, created if missing. The unique pair key decides between
/// concurrent creators: the loser's insert waits for the winner's commit, then does nothing.
pub(super) async fn find_or_create_direct(
    conn: &mut AsyncPgConnection,
    me: UserId,
    other: UserId,
    id: ChatId,
    at: OffsetDateTime,
) -> Result<(Uuid, bool), StoreError> {
    let (low, high) = if me.as_uuid() < other.as_uuid() {
        (me.as_uuid(), other.as_uuid())
    } else {
        (other.as_uuid(), me.as_uuid())
    };
    let inserted: Option<IdRow> = optional(
        sql_query(
            "INSERT INTO chats (id, kind, direct_low, direct_high, created_at, updated_at) \
             VALUES ($1, 'direct', $2, $3, $4, $4) \
             ON CONFLICT (direct_low, direct_high) DO NOTHING RETURNING id",
        )
        .bind::<SqlUuid, _>(id.as_uuid())
        .bind::<SqlUuid, _>(low)
        .bind::<SqlUuid, _>(high)
        .bind::<Timestamptz, _>(at)
        .get_result(conn)
        .await,
    )
    .map_err(error::query("create a direct chat"))?;
    if let Some(row) = inserted {
        add_members(conn, row.id, &[low, high], at, Uuid::nil()).await?;
        return Ok((row.id, true));
    }
    let existing: IdRow =
        sql_query("SELECT id FROM chats WHERE direct_low = $1 AND direct_high = $2")
            .bind::<SqlUuid, _>(low)
            .bind::<SqlUuid, _>(high)
            .get_result(conn)
            .await
            .map_err(error::query("find the direct chat"))?;
    Ok((existing.id, false))
}

/// Adds `users` to `chat` at `at`, seeing the messages after `history_from`; a user who is
/// already a member is left as they are.
async fn add_members(
    conn: &mut AsyncPgConnection,
    chat: Uuid,
    users: &[Uuid],
    at: OffsetDateTime,
    history_from: Uuid,
) -> Result<(), StoreError> {
    sql_query(
        "INSERT INTO chat_members (chat_id, user_id, joined_at, history_from, last_read_id) \
         SELECT $1, u, $3, $4, $4 FROM unnest($2::uuid[]) AS u ON CONFLICT DO NOTHING",
    )
    .bind::<SqlUuid, _>(chat)
    .bind::<Array<SqlUuid>, _>(users)
    .bind::<Timestamptz, _>(at)
    .bind::<SqlUuid, _>(history_from)
    .execute(conn)
    .await
    .map_err(error::query("add chat members"))?;
    Ok(())
}

/// Inserts a new group with its creator and members.
pub(super) async fn insert_group(
    conn: &mut AsyncPgConnection,
    group: &sakura_application::ports::NewGroup,
) -> Result<(), StoreError> {
    sql_query(
        "INSERT INTO chats (id, kind, title, creator_id, created_at, updated_at) \
         VALUES ($1, 'group', $2, $3, $4, $4)",
    )
    .bind::<SqlUuid, _>(group.id.as_uuid())
    .bind::<Text, _>(group.title.as_str())
    .bind::<SqlUuid, _>(group.creator.as_uuid())
    .bind::<Timestamptz, _>(group.at)
    .execute(conn)
    .await
    .map_err(error::query("create a group"))?;
    let mut members = vec![group.creator.as_uuid()];
    members.extend(group.members.iter().map(UserId::as_uuid));
    add_members(conn, group.id.as_uuid(), &members, group.at, Uuid::nil()).await
}

async fn touch(
    conn: &mut AsyncPgConnection,
    chat: Uuid,
    at: OffsetDateTime,
) -> Result<(), StoreError> {
    sql_query("UPDATE chats SET updated_at = greatest(updated_at, $2) WHERE id = $1")
        .bind::<SqlUuid, _>(chat)
        .bind::<Timestamptz, _>(at)
        .execute(conn)
        .await
        .map_err(error::query("touch the chat"))?;
    Ok(())
}

/// Writes a group change the rule allowed. Returns the chat as it was if the change deleted it
/// (its last member left), for the event that tells the leaver.
pub(super) async fn apply_group_change(
    conn: &mut AsyncPgConnection,
    locked: &Locked,
    change: &GroupChange,
    at: OffsetDateTime,
) -> Result<Option<ChatInfo>, StoreError> {
    let chat = locked.facts.id.as_uuid();
    match change {
        GroupChange::Rename(title) => {
            sql_query("UPDATE chats SET title = $2 WHERE id = $1")
                .bind::<SqlUuid, _>(chat)
                .bind::<Text, _>(title.as_str())
                .execute(conn)
                .await
                .map_err(error::query("rename the group"))?;
        }
        GroupChange::Add(user) => {
            // A re-added member starts over: history, unread count and search from now on.
            let from = locked.last_message.unwrap_or(Uuid::nil());
            add_members(conn, chat, &[user.as_uuid()], at, from).await?;
        }
        GroupChange::Remove(user) => {
            let before = read::view(conn, locked_viewer(locked), chat).await.ok();
            sql_query("DELETE FROM chat_members WHERE chat_id = $1 AND user_id = $2")
                .bind::<SqlUuid, _>(chat)
                .bind::<SqlUuid, _>(user.as_uuid())
                .execute(conn)
                .await
                .map_err(error::query("remove a member"))?;
            let rest: Vec<UserId> = locked
                .facts
                .members
                .iter()
                .copied()
                .filter(|m| m != user)
                .collect();
            let Some(heir) = rest.as_slice().first() else {
                sql_query("DELETE FROM chats WHERE id = $1")
                    .bind::<SqlUuid, _>(chat)
                    .execute(conn)
                    .await
                    .map_err(error::query("delete the empty group"))?;
                return Ok(before.map(|view| ChatInfo {
                    members: Vec::new(),
                    updated_at: at,
                    ..view.chat
                }));
            };
            if locked.facts.creator == Some(*user) {
                sql_query("UPDATE chats SET creator_id = $2 WHERE id = $1")
                    .bind::<SqlUuid, _>(chat)
                    .bind::<SqlUuid, _>(heir.as_uuid())
                    .execute(conn)
                    .await
                    .map_err(error::query("hand the group over"))?;
            }
        }
    }
    touch(conn, chat, at).await?;
    Ok(None)
}

/// Any member of the locked chat, to read it as before a removal.
fn locked_viewer(locked: &Locked) -> Uuid {
    locked
        .facts
        .members
        .as_slice()
        .first()
        .map_or(Uuid::nil(), UserId::as_uuid)
}

#[derive(QueryableByName)]
struct Exists {
    #[diesel(sql_type = Bool)]
    found: bool,
}

/// The facts a send by `me` is decided on, read under the chat's lock.
pub(super) async fn send_facts(
    conn: &mut AsyncPgConnection,
    me: UserId,
    locked: &Locked,
    draft: &Draft,
) -> Result<SendFacts, ChatError> {
    let chat = locked.facts.id;
    let peer = match locked.facts.kind {
        sakura_domain::chats::ChatKind::Direct => {
            let other: Vec<UserId> = locked
                .facts
                .members
                .iter()
                .copied()
                .filter(|&m| m != me)
                .collect();
            // The other side's account may be gone: then nobody is reachable.
            match facts::candidates(conn, me, &other).await {
                Ok(mut found) => found.pop(),
                Err(ChatError::UnknownUser) => None,
                Err(other) => return Err(other),
            }
        }
        sakura_domain::chats::ChatKind::Group => None,
    };
    let earlier = match &draft.client_id {
        Some(client_id) => {
            let row: Option<IdRow> = optional(
                sql_query(
                    "SELECT id FROM messages \
                     WHERE chat_id = $1 AND sender_id = $2 AND client_id = $3",
                )
                .bind::<SqlUuid, _>(chat.as_uuid())
                .bind::<SqlUuid, _>(me.as_uuid())
                .bind::<Text, _>(client_id.as_str())
                .get_result(conn)
                .await,
            )
            .map_err(error::query("find an earlier send"))?;
            match row {
                Some(row) => {
                    Some(read::message(conn, chat.as_uuid(), row.id, locked.history_from).await?)
                }
                None => None,
            }
        }
        None => None,
    };
    let foreign_photo = match &earlier {
        Some(_) => None,
        None => foreign_photo(conn, me, &draft.photos).await?,
    };
    let reply_visible = match draft.reply_to {
        Some(reply) => {
            let row: Exists = sql_query(
                "SELECT EXISTS (SELECT 1 FROM messages WHERE chat_id = $1 AND id = $2 \
                 AND id > $3 AND deleted_at IS NULL) AS found",
            )
            .bind::<SqlUuid, _>(chat.as_uuid())
            .bind::<SqlUuid, _>(reply.as_uuid())
            .bind::<SqlUuid, _>(locked.history_from)
            .get_result(conn)
            .await
            .map_err(error::query("find the answered message"))?;
            row.found
        }
        None => false,
    };
    Ok(SendFacts {
        chat: locked.facts.clone(),
        peer: peer.filter(|_| locked.facts.kind == sakura_domain::chats::ChatKind::Direct),
        earlier,
        reply_visible,
        foreign_photo,
    })
}

/// The first of `photos` that is not `me`'s; `me`'s are held (`FOR KEY SHARE`) so none is
/// deleted before the send commits.
async fn foreign_photo(
    conn: &mut AsyncPgConnection,
    me: UserId,
    photos: &[PhotoId],
) -> Result<Option<PhotoId>, ChatError> {
    if photos.is_empty() {
        return Ok(None);
    }
    let ids: Vec<Uuid> = photos.iter().map(PhotoId::as_uuid).collect();
    let mine: Vec<IdRow> = sql_query(
        "SELECT id FROM photos WHERE owner_id = $1 AND id = ANY($2) ORDER BY id FOR KEY SHARE",
    )
    .bind::<SqlUuid, _>(me.as_uuid())
    .bind::<Array<SqlUuid>, _>(&ids)
    .load(conn)
    .await
    .map_err(error::query("hold the sender's photos"))?;
    Ok(photos
        .iter()
        .copied()
        .find(|p| !mine.iter().any(|row| row.id == p.as_uuid())))
}

/// Stores a message with its photos and search terms, and makes it the chat's newest.
pub(super) async fn insert_message(
    conn: &mut AsyncPgConnection,
    me: UserId,
    chat: ChatId,
    id: Uuid,
    draft: &Draft,
) -> Result<(), ChatError> {
    let chat = chat.as_uuid();
    let text = draft.text.as_ref().map(|t| t.as_str());
    let terms: Vec<String> = text.map(index_terms).unwrap_or_default();
    sql_query(
        "INSERT INTO messages (chat_id, id, sender_id, text, client_id, reply_to_id, created_at, \
         search) VALUES ($1, $2, $3, $4, $5, $6, $7, \
         CASE WHEN $4 IS NULL THEN NULL ELSE array_to_tsvector($8::text[]) END)",
    )
    .bind::<SqlUuid, _>(chat)
    .bind::<SqlUuid, _>(id)
    .bind::<SqlUuid, _>(me.as_uuid())
    .bind::<Nullable<Text>, _>(text)
    .bind::<Nullable<Text>, _>(draft.client_id.as_ref().map(|c| c.as_str()))
    .bind::<Nullable<SqlUuid>, _>(draft.reply_to.map(|r| r.as_uuid()))
    .bind::<Timestamptz, _>(draft.at)
    .bind::<Array<Text>, _>(&terms)
    .execute(conn)
    .await
    .map_err(error::query("store a message"))?;
    if !draft.photos.is_empty() {
        let photos: Vec<Uuid> = draft.photos.iter().map(|p| p.as_uuid()).collect();
        let positions: Vec<i16> = (0..photos.len())
            .map(|i| i16::try_from(i).unwrap_or(i16::MAX))
            .collect();
        sql_query(
            "INSERT INTO message_photos (chat_id, message_id, position, photo_id) \
             SELECT $1, $2, p.position, p.photo FROM unnest($3::smallint[], $4::uuid[]) \
             AS p(position, photo)",
        )
        .bind::<SqlUuid, _>(chat)
        .bind::<SqlUuid, _>(id)
        .bind::<Array<Int2>, _>(&positions)
        .bind::<Array<SqlUuid>, _>(&photos)
        .execute(conn)
        .await
        .map_err(error::query("attach photos"))?;
    }
    sql_query("UPDATE chats SET last_message_id = $2, updated_at = greatest(updated_at, $3) WHERE id = $1")
        .bind::<SqlUuid, _>(chat)
        .bind::<SqlUuid, _>(id)
        .bind::<Timestamptz, _>(draft.at)
        .execute(conn)
        .await
        .map_err(error::query("move the chat up"))?;
    Ok(())
}

#[derive(QueryableByName)]
struct UserRow {
    #[diesel(sql_type = SqlUuid)]
    user_id: Uuid,
}

/// Members of `chat` who joined after the message `message` answers: a reply shows them no
/// text of it.
pub(super) async fn reply_hidden_for(
    conn: &mut AsyncPgConnection,
    chat: ChatId,
    message: &Message,
) -> Result<Vec<UserId>, StoreError> {
    let Some(reply) = &message.reply_to else {
        return Ok(Vec::new());
    };
    let rows: Vec<UserRow> =
        sql_query("SELECT user_id FROM chat_members WHERE chat_id = $1 AND history_from >= $2")
            .bind::<SqlUuid, _>(chat.as_uuid())
            .bind::<SqlUuid, _>(reply.id.as_uuid())
            .load(conn)
            .await
            .map_err(error::query("read late joiners"))?;
    Ok(rows
        .into_iter()
        .map(|r| UserId::from_uuid(r.user_id))
        .collect())
}

#[derive(QueryableByName)]
struct LockedMessage {
    #[diesel(sql_type = SqlUuid)]
    sender_id: Uuid,
    #[diesel(sql_type = Bool)]
    deleted: bool,
}

/// Locks a message `me` can see and reads its facts. Error: `MessageNotFound`.
pub(super) async fn lock_message(
    conn: &mut AsyncPgConnection,
    chat: ChatId,
    message: MessageId,
    history_from: Uuid,
) -> Result<MessageFacts, ChatError> {
    let row: Option<LockedMessage> = optional(
        sql_query(
            "SELECT sender_id, deleted_at IS NOT NULL AS deleted FROM messages \
             WHERE chat_id = $1 AND id = $2 AND id > $3 FOR UPDATE",
        )
        .bind::<SqlUuid, _>(chat.as_uuid())
        .bind::<SqlUuid, _>(message.as_uuid())
        .bind::<SqlUuid, _>(history_from)
        .get_result(conn)
        .await,
    )
    .map_err(error::query("lock the message"))?;
    let row = row.ok_or(ChatError::MessageNotFound)?;
    let reactions = read::reactions_of(conn, &[chat.as_uuid()], &[message.as_uuid()])
        .await?
        .remove(&message.as_uuid())
        .unwrap_or_default();
    Ok(MessageFacts {
        sender: UserId::from_uuid(row.sender_id),
        deleted: row.deleted,
        reactions,
    })
}

/// Writes a message change the rule allowed; `false` when there was nothing to change.
pub(super) async fn apply_message_change(
    conn: &mut AsyncPgConnection,
    me: UserId,
    chat: ChatId,
    message: MessageId,
    facts: &MessageFacts,
    change: &MessageChange,
) -> Result<bool, StoreError> {
    let (chat, message) = (chat.as_uuid(), message.as_uuid());
    match change {
        MessageChange::Edit(text, at) => {
            let terms = index_terms(text.as_str());
            sql_query(
                "UPDATE messages SET text = $3, edited_at = $4, \
                 search = array_to_tsvector($5::text[]) WHERE chat_id = $1 AND id = $2",
            )
            .bind::<SqlUuid, _>(chat)
            .bind::<SqlUuid, _>(message)
            .bind::<Text, _>(text.as_str())
            .bind::<Timestamptz, _>(*at)
            .bind::<Array<Text>, _>(&terms)
            .execute(conn)
            .await
            .map_err(error::query("edit a message"))?;
            Ok(true)
        }
        MessageChange::Delete(_) if facts.deleted => Ok(false),
        MessageChange::Delete(at) => {
            for statement in [
                "DELETE FROM message_photos WHERE chat_id = $1 AND message_id = $2",
                "DELETE FROM message_reactions WHERE chat_id = $1 AND message_id = $2",
            ] {
                sql_query(statement)
                    .bind::<SqlUuid, _>(chat)
                    .bind::<SqlUuid, _>(message)
                    .execute(conn)
                    .await
                    .map_err(error::query("clear a deleted message"))?;
            }
            sql_query(
                "UPDATE messages SET text = NULL, search = NULL, deleted_at = $3 \
                 WHERE chat_id = $1 AND id = $2",
            )
            .bind::<SqlUuid, _>(chat)
            .bind::<SqlUuid, _>(message)
            .bind::<Timestamptz, _>(*at)
            .execute(conn)
            .await
            .map_err(error::query("delete a message"))?;
            Ok(true)
        }
        MessageChange::React(emoji, at) => {
            let mine = facts
                .reactions
                .iter()
                .find(|g| g.users.contains(&me))
                .map(|g| &g.emoji);
            if mine == Some(emoji) {
                return Ok(false);
            }
            sql_query(
                "INSERT INTO message_reactions (chat_id, message_id, user_id, emoji, reacted_at) \
                 VALUES ($1, $2, $3, $4, $5) ON CONFLICT (chat_id, message_id, user_id) \
                 DO UPDATE SET emoji = excluded.emoji, reacted_at = excluded.reacted_at",
            )
            .bind::<SqlUuid, _>(chat)
            .bind::<SqlUuid, _>(message)
            .bind::<SqlUuid, _>(me.as_uuid())
            .bind::<Text, _>(emoji.as_str())
            .bind::<Timestamptz, _>(*at)
            .execute(conn)
            .await
            .map_err(error::query("react"))?;
            Ok(true)
        }
        MessageChange::Unreact(emoji, _) => {
            let removed = sql_query(
                "DELETE FROM message_reactions \
                 WHERE chat_id = $1 AND message_id = $2 AND user_id = $3 AND emoji = $4",
            )
            .bind::<SqlUuid, _>(chat)
            .bind::<SqlUuid, _>(message)
            .bind::<SqlUuid, _>(me.as_uuid())
            .bind::<Text, _>(emoji.as_str())
            .execute(conn)
            .await
            .map_err(error::query("remove a reaction"))?;
            Ok(removed > 0)
        }
    }
}

/// Moves `me`'s marker in `chat` forward to `message`; `false` if it was there or further.
/// Errors: `ChatNotFound`, `MessageNotFound` (not in the chat, or before `me` joined).
pub(super) async fn move_marker(
    conn: &mut AsyncPgConnection,
    me: UserId,
    chat: ChatId,
    message: MessageId,
) -> Result<bool, ChatError> {
    let history_from = membership(conn, me, chat).await?;
    let found: Exists = sql_query(
        "SELECT EXISTS (SELECT 1 FROM messages WHERE chat_id = $1 AND id = $2 AND id > $3) \
         AS found",
    )
    .bind::<SqlUuid, _>(chat.as_uuid())
    .bind::<SqlUuid, _>(message.as_uuid())
    .bind::<SqlUuid, _>(history_from)
    .get_result(conn)
    .await
    .map_err(error::query("find the message read"))?;
    if !found.found {
        return Err(ChatError::MessageNotFound);
    }
    let moved = sql_query(
        "UPDATE chat_members SET last_read_id = $3 \
         WHERE chat_id = $1 AND user_id = $2 AND last_read_id < $3",
    )
    .bind::<SqlUuid, _>(chat.as_uuid())
    .bind::<SqlUuid, _>(me.as_uuid())
    .bind::<SqlUuid, _>(message.as_uuid())
    .execute(conn)
    .await
    .map_err(error::query("move the read marker"))?;
    Ok(moved > 0)
}
