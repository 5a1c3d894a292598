//! Reading chats and messages as a member sees them: the queries every read and every write's
//! "state after" share.

use std::collections::HashMap;

use anyhow::anyhow;
use diesel::sql_types::{Array, BigInt, Bool, Nullable, Text, Timestamptz, Uuid as SqlUuid};
use diesel::{QueryableByName, sql_query};
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use sakura_application::StoreError;
use sakura_application::chats::{
    ChatInfo, ChatSnapshot, ChatView, ChatViewer, Member, Message, ReactionGroup, ReplyPreview,
};
use sakura_domain::chats::{ChatKind, ChatTitle, ClientId, Emoji, MessageText};
use sakura_domain::photos::Photo;
use sakura_domain::{ChatId, MessageId, UserId};
use time::OffsetDateTime;
use uuid::Uuid;

use crate::error;
use crate::photos::{PhotoRow, to_photo};

fn corrupt(what: impl std::fmt::Display) -> StoreError {
    StoreError::Other(anyhow!("stored chat data: {what}"))
}

/// The columns of a message row with its reply preview, and the reader's `history_from` in
/// that chat (a reply to a message from before it shows no text).
pub(super) const MESSAGE_COLUMNS: &str = "m.chat_id, m.id, m.sender_id, m.text, m.client_id, \
     m.created_at, m.edited_at, m.deleted_at IS NOT NULL AS deleted, r.id AS reply_id, \
     r.sender_id AS reply_sender, left(r.text, 200) AS reply_text, \
     r.deleted_at IS NOT NULL AS reply_deleted";

/// The join that brings a message's reply preview.
pub(super) const REPLY_JOIN: &str =
    "LEFT JOIN messages r ON r.chat_id = m.chat_id AND r.id = m.reply_to_id";

#[derive(QueryableByName)]
pub(super) struct MessageRow {
    #[diesel(sql_type = SqlUuid)]
    chat_id: Uuid,
    #[diesel(sql_type = SqlUuid)]
    id: Uuid,
    #[diesel(sql_type = SqlUuid)]
    sender_id: Uuid,
    #[diesel(sql_type = Nullable<Text>)]
    text: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    client_id: Option<String>,
    #[diesel(sql_type = Timestamptz)]
    created_at: OffsetDateTime,
    #[diesel(sql_type = Nullable<Timestamptz>)]
    edited_at: Option<OffsetDateTime>,
    #[diesel(sql_type = Bool)]
    deleted: bool,
    #[diesel(sql_type = Nullable<SqlUuid>)]
    reply_id: Option<Uuid>,
    #[diesel(sql_type = Nullable<SqlUuid>)]
    reply_sender: Option<Uuid>,
    #[diesel(sql_type = Nullable<Text>)]
    reply_text: Option<String>,
    #[diesel(sql_type = Nullable<Bool>)]
    reply_deleted: Option<bool>,
    /// The reader's `history_from` in the message's chat.
    #[diesel(sql_type = SqlUuid)]
    viewer_from: Uuid,
}

#[derive(QueryableByName)]
struct PhotoOfMessage {
    #[diesel(sql_type = SqlUuid)]
    message_id: Uuid,
    #[diesel(embed)]
    photo: PhotoRow,
}

#[derive(QueryableByName)]
struct ReactionRow {
    #[diesel(sql_type = SqlUuid)]
    message_id: Uuid,
    #[diesel(sql_type = Text)]
    emoji: String,
    #[diesel(sql_type = Array<SqlUuid>)]
    users: Vec<Uuid>,
}

/// The photos of these messages, in order, by message.
async fn photos_of(
    conn: &mut AsyncPgConnection,
    chats: &[Uuid],
    ids: &[Uuid],
) -> Result<HashMap<Uuid, Vec<Photo>>, StoreError> {
    let rows: Vec<PhotoOfMessage> = sql_query(
        "SELECT mp.message_id, p.* FROM message_photos mp JOIN photos p ON p.id = mp.photo_id \
         WHERE (mp.chat_id, mp.message_id) IN (SELECT * FROM unnest($1::uuid[], $2::uuid[])) \
         ORDER BY mp.message_id, mp.position",
    )
    .bind::<Array<SqlUuid>, _>(chats)
    .bind::<Array<SqlUuid>, _>(ids)
    .load(conn)
    .await
    .map_err(error::query("read message photos"))?;
    let mut by_message: HashMap<Uuid, Vec<Photo>> = HashMap::new();
    for row in rows {
        by_message
            .entry(row.message_id)
            .or_default()
            .push(to_photo(row.photo)?);
    }
    Ok(by_message)
}

/// The reactions of these messages by message: most used first, then the emoji first used
/// earliest; each group's users in the order they reacted.
pub(super) async fn reactions_of(
    conn: &mut AsyncPgConnection,
    chats: &[Uuid],
    ids: &[Uuid],
) -> Result<HashMap<Uuid, Vec<ReactionGroup>>, StoreError> {
    let rows: Vec<ReactionRow> = sql_query(
        "SELECT message_id, emoji, array_agg(user_id ORDER BY reacted_at, user_id) AS users \
         FROM message_reactions \
         WHERE (chat_id, message_id) IN (SELECT * FROM unnest($1::uuid[], $2::uuid[])) \
         GROUP BY message_id, emoji \
         ORDER BY message_id, count(*) DESC, min(reacted_at), emoji",
    )
    .bind::<Array<SqlUuid>, _>(chats)
    .bind::<Array<SqlUuid>, _>(ids)
    .load(conn)
    .await
    .map_err(error::query("read reactions"))?;
    let mut by_message: HashMap<Uuid, Vec<ReactionGroup>> = HashMap::new();
    for row in rows {
        let emoji = Emoji::parse(&row.emoji).map_err(corrupt)?;
        by_message
            .entry(row.message_id)
            .or_default()
            .push(ReactionGroup {
                emoji,
                users: row.users.into_iter().map(UserId::from_uuid).collect(),
            });
    }
    Ok(by_message)
}

/// Messages from their rows, with their photos and reactions (two more queries for them all).
pub(super) async fn assemble(
    conn: &mut AsyncPgConnection,
    rows: Vec<MessageRow>,
) -> Result<Vec<Message>, StoreError> {
    if rows.is_empty() {
        return Ok(Vec::new());
    }
    let chats: Vec<Uuid> = rows.iter().map(|r| r.chat_id).collect();
    let ids: Vec<Uuid> = rows.iter().map(|r| r.id).collect();
    let mut photos = photos_of(conn, &chats, &ids).await?;
    let mut reactions = reactions_of(conn, &chats, &ids).await?;
    rows.into_iter()
        .map(|row| {
            let text = row
                .text
                .as_deref()
                .map(MessageText::parse)
                .transpose()
                .map_err(corrupt)?;
            let client_id = row
                .client_id
                .as_deref()
                .map(ClientId::parse)
                .transpose()
                .map_err(corrupt)?;
            let reply_to = match (row.reply_id, row.reply_sender) {
                (Some(id), Some(sender)) => Some(ReplyPreview {
                    id: MessageId::from_uuid(id),
                    sender: UserId::from_uuid(sender),
                    excerpt: row.reply_text.filter(|_| id > row.viewer_from),
                    deleted: row.reply_deleted.unwrap_or(false),
                }),
                _ => None,
            };
            Ok(Message {
                id: MessageId::from_uuid(row.id),
                chat_id: ChatId::from_uuid(row.chat_id),
                sender: UserId::from_uuid(row.sender_id),
                text,
                photos: photos.remove(&row.id).unwrap_or_default(),
                reply_to,
                reactions: reactions.remove(&row.id).unwrap_or_default(),
                client_id,
                created_at: row.created_at,
                edited_at: row.edited_at,
                deleted: row.deleted,
            })
        })
        .collect()
}

/// One message of a chat as a reader whose history starts after `viewer_from` sees it.
pub(super) async fn message(
    conn: &mut AsyncPgConnection,
    chat: Uuid,
    id: Uuid,
    viewer_from: Uuid,
) -> Result<Message, StoreError> {
    let rows: Vec<MessageRow> = sql_query(format!(
        "SELECT {MESSAGE_COLUMNS}, $3 AS viewer_from FROM messages m {REPLY_JOIN} \
         WHERE m.chat_id = $1 AND m.id = $2"
    ))
    .bind::<SqlUuid, _>(chat)
    .bind::<SqlUuid, _>(id)
    .bind::<SqlUuid, _>(viewer_from)
    .load(conn)
    .await
    .map_err(error::query("read a message"))?;
    assemble(conn, rows)
        .await?
        .pop()
        .ok_or(StoreError::NotFound)
}

#[derive(QueryableByName)]
pub(super) struct ChatRow {
    #[diesel(sql_type = SqlUuid)]
    pub(super) id: Uuid,
    #[diesel(sql_type = Text)]
    kind: String,
    #[diesel(sql_type = Nullable<Text>)]
    title: Option<String>,
    #[diesel(sql_type = Nullable<SqlUuid>)]
    creator_id: Option<Uuid>,
    #[diesel(sql_type = Timestamptz)]
    pub(super) updated_at: OffsetDateTime,
    #[diesel(sql_type = Nullable<SqlUuid>)]
    last_message_id: Option<Uuid>,
    /// The reader's `history_from`.
    #[diesel(sql_type = SqlUuid)]
    history_from: Uuid,
    #[diesel(sql_type = BigInt)]
    unread: i64,
}

/// The unread count of the member `cm` in the chat `c`: others' live messages after their
/// marker, counted on `messages_unread` (an index-only range scan over what is unread, skipped
/// when nothing is newer than the marker), so it costs what is unread, never the history's
/// length. Counters kept in the send transaction were the other way: they would make every
/// send write a row per member (500 in a full group) to save reads that the index makes cheap.
macro_rules! unread {
    () => {
        "CASE WHEN c.last_message_id IS NULL OR c.last_message_id <= cm.last_read_id THEN 0 \
         ELSE (SELECT count(*) FROM messages u WHERE u.chat_id = cm.chat_id \
         AND u.id > cm.last_read_id AND u.deleted_at IS NULL AND u.sender_id <> cm.user_id) END"
    };
}
pub(super) use unread;

/// The columns of a [`ChatRow`] for the member `cm` of the chat `c`.
pub(super) const CHAT_COLUMNS: &str = concat!(
    "c.id, c.kind, c.title, c.creator_id, c.updated_at, c.last_message_id, cm.history_from, ",
    unread!(),
    " AS unread"
);

#[derive(QueryableByName)]
struct MemberRow {
    #[diesel(sql_type = SqlUuid)]
    chat_id: Uuid,
    #[diesel(sql_type = SqlUuid)]
    user_id: Uuid,
    #[diesel(sql_type = Text)]
    first_name: String,
    #[diesel(sql_type = Text)]
    last_name: String,
    #[diesel(sql_type = Nullable<Text>)]
    avatar_key: Option<String>,
}

/// The members of these chats, longest-standing first: names and avatars only, in one query.
async fn members_of(
    conn: &mut AsyncPgConnection,
    chats: &[Uuid],
) -> Result<HashMap<Uuid, Vec<Member>>, StoreError> {
    let rows: Vec<MemberRow> = sql_query(
        "SELECT cm.chat_id, u.id AS user_id, u.first_name, u.last_name, \
         p.thumbnail_key AS avatar_key \
         FROM chat_members cm JOIN users u ON u.id = cm.user_id \
         LEFT JOIN photos p ON p.id = u.avatar_photo_id \
         WHERE cm.chat_id = ANY($1) ORDER BY cm.chat_id, cm.joined_at, cm.user_id",
    )
    .bind::<Array<SqlUuid>, _>(chats)
    .load(conn)
    .await
    .map_err(error::query("read chat members"))?;
    let mut by_chat: HashMap<Uuid, Vec<Member>> = HashMap::new();
    for row in rows {
        by_chat.entry(row.chat_id).or_default().push(Member {
            user_id: UserId::from_uuid(row.user_id),
            first_name: row.first_name,
            last_name: row.last_name,
            avatar_key: row.avatar_key,
        });
    }
    Ok(by_chat)
}

fn info(row: &ChatRow, members: Vec<Member>) -> Result<ChatInfo, StoreError> {
    Ok(ChatInfo {
        id: ChatId::from_uuid(row.id),
        kind: ChatKind::parse(&row.kind).ok_or_else(|| corrupt(&row.kind))?,
        title: row
            .title
            .as_deref()
            .map(ChatTitle::parse)
            .transpose()
            .map_err(corrupt)?,
        creator: row.creator_id.map(UserId::from_uuid),
        members,
        updated_at: row.updated_at,
    })
}

/// The last messages of these chats that their readers can see, by chat.
async fn last_messages(
    conn: &mut AsyncPgConnection,
    rows: &[ChatRow],
) -> Result<HashMap<ChatId, Message>, StoreError> {
    let keys: Vec<_> = rows
        .iter()
        .filter_map(|row| {
            let last = row
                .last_message_id
                .filter(|&last| last > row.history_from)?;
            Some((row.id, last, row.history_from))
        })
        .collect();
    Ok(by_keys(conn, &keys)
        .await?
        .into_iter()
        .map(|m| (m.chat_id, m))
        .collect())
}

/// The messages at these keys — chat, message and the reader's `history_from` there — in no
/// particular order.
pub(super) async fn by_keys(
    conn: &mut AsyncPgConnection,
    keys: &[(Uuid, Uuid, Uuid)],
) -> Result<Vec<Message>, StoreError> {
    if keys.is_empty() {
        return Ok(Vec::new());
    }
    let chats: Vec<Uuid> = keys.iter().map(|k| k.0).collect();
    let ids: Vec<Uuid> = keys.iter().map(|k| k.1).collect();
    let froms: Vec<Uuid> = keys.iter().map(|k| k.2).collect();
    let rows: Vec<MessageRow> = sql_query(format!(
        "SELECT {MESSAGE_COLUMNS}, w.viewer_from FROM \
         unnest($1::uuid[], $2::uuid[], $3::uuid[]) AS w(chat_id, id, viewer_from) \
         JOIN messages m ON m.chat_id = w.chat_id AND m.id = w.id {REPLY_JOIN}"
    ))
    .bind::<Array<SqlUuid>, _>(&chats)
    .bind::<Array<SqlUuid>, _>(&ids)
    .bind::<Array<SqlUuid>, _>(&froms)
    .load(conn)
    .await
    .map_err(error::query("read messages"))?;
    assemble(conn, rows).await
}

/// Chat views from their rows (members and last messages in a query each for them all).
pub(super) async fn views(
    conn: &mut AsyncPgConnection,
    rows: Vec<ChatRow>,
) -> Result<Vec<ChatView>, StoreError> {
    if rows.is_empty() {
        return Ok(Vec::new());
    }
    let ids: Vec<Uuid> = rows.iter().map(|r| r.id).collect();
    let mut members = members_of(conn, &ids).await?;
    let mut last = last_messages(conn, &rows).await?;
    rows.iter()
        .map(|row| {
            let chat = info(row, members.remove(&row.id).unwrap_or_default())?;
            Ok(ChatView {
                last_message: last.remove(&chat.id),
                unread: u64::try_from(row.unread).unwrap_or(0),
                chat,
            })
        })
        .collect()
}

/// One chat as its member `viewer` sees it. Error: `NotFound` unless `viewer` is a member.
pub(super) async fn view(
    conn: &mut AsyncPgConnection,
    viewer: Uuid,
    chat: Uuid,
) -> Result<ChatView, StoreError> {
    let rows: Vec<ChatRow> = sql_query(format!(
        "SELECT {CHAT_COLUMNS} FROM chat_members cm JOIN chats c ON c.id = cm.chat_id \
         WHERE cm.chat_id = $1 AND cm.user_id = $2"
    ))
    .bind::<SqlUuid, _>(chat)
    .bind::<SqlUuid, _>(viewer)
    .load(conn)
    .await
    .map_err(error::query("read a chat"))?;
    views(conn, rows).await?.pop().ok_or(StoreError::NotFound)
}

#[derive(QueryableByName)]
struct ViewerRow {
    #[diesel(sql_type = SqlUuid)]
    user_id: Uuid,
    #[diesel(sql_type = Bool)]
    hidden: bool,
    #[diesel(sql_type = BigInt)]
    unread: i64,
}

/// A chat as every member sees it (and `removed`, who no longer does): what `chat.updated`
/// carries. A chat that no longer exists (its last member left) reads with no members.
pub(super) async fn snapshot(
    conn: &mut AsyncPgConnection,
    chat: Uuid,
    removed: Option<UserId>,
    gone: Option<ChatInfo>,
) -> Result<ChatSnapshot, StoreError> {
    let mut viewers: Vec<ChatViewer> = Vec::new();
    let (chat_info, last_message) = if let Some(info) = gone {
        (info, None)
    } else {
        let rows: Vec<ViewerRow> = sql_query(concat!(
            "SELECT cm.user_id, coalesce(c.last_message_id <= cm.history_from, true) AS hidden, ",
            unread!(),
            " AS unread FROM chat_members cm JOIN chats c ON c.id = cm.chat_id \
             WHERE cm.chat_id = $1"
        ))
        .bind::<SqlUuid, _>(chat)
        .load(conn)
        .await
        .map_err(error::query("read chat readers"))?;
        viewers.extend(rows.into_iter().map(|r| ChatViewer {
            user_id: UserId::from_uuid(r.user_id),
            unread: u64::try_from(r.unread).unwrap_or(0),
            last_message_hidden: r.hidden,
        }));
        let head: Vec<ChatRow> = sql_query(
            "SELECT c.id, c.kind, c.title, c.creator_id, c.updated_at, c.last_message_id, \
             $2 AS history_from, 0::bigint AS unread FROM chats c WHERE c.id = $1",
        )
        .bind::<SqlUuid, _>(chat)
        .bind::<SqlUuid, _>(Uuid::nil())
        .load(conn)
        .await
        .map_err(error::query("read a chat"))?;
        let mut view = views(conn, head).await?;
        let view = view.pop().ok_or(StoreError::NotFound)?;
        (view.chat, view.last_message)
    };
    if let Some(user) = removed.filter(|u| !viewers.iter().any(|v| v.user_id == *u)) {
        viewers.push(ChatViewer {
            user_id: user,
            unread: 0,
            last_message_hidden: true,
        });
    }
    Ok(ChatSnapshot {
        chat: chat_info,
        last_message,
        viewers,
    })
}
