//! The messenger in PostgreSQL: chats, members, messages, photos of messages, reactions.
//!
//! Writes lock what they decide on: a send or a group change locks the chat's row (so a chat's
//! sends queue there, message ids rise in commit order and `clientId` retries cannot race), an
//! edit, a delete or a reaction the message's row, a read marker the member's row. Reads see a
//! chat only through the reader's membership and its messages only after their `history_from`.
//! See the migration for the indexes each query rests on.

mod facts;
mod read;
mod search;
mod write;

use async_trait::async_trait;
use diesel::sql_query;
use diesel::sql_types::{BigInt, Timestamptz, Uuid as SqlUuid};
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use sakura_application::StoreError;
use sakura_application::chats::{ChatError, ChatSnapshot, ChatView, Message};
use sakura_application::events::{Announce, Committed};
use sakura_application::pagination::{Cursor, Page, PageRequest};
use sakura_application::ports::{
    Candidate, ChatFacts, ChatStore, Draft, GroupChange, GroupCommitted, GroupVerdict, MarkerMoved,
    MessageChange, MessageChanged, NewGroup, Rule, SendFacts, SendVerdict, Sent,
};
use sakura_domain::chats::search::QueryTerm;
use sakura_domain::{ChatId, MessageId, UserId};
use time::OffsetDateTime;
use uuid::Uuid;

use crate::PgPool;
use crate::error::{self, Tx};
use read::{CHAT_COLUMNS, ChatRow, MESSAGE_COLUMNS, MessageRow, REPLY_JOIN};

/// The messenger's store on PostgreSQL.
#[derive(Clone)]
pub struct PgChatStore {
    pool: PgPool,
}

impl PgChatStore {
    /// A store over `pool`.
    pub fn new(pool: PgPool) -> Self {
        Self { pool }
    }

    async fn conn(
        &self,
    ) -> Result<diesel_async::pooled_connection::deadpool::Object<AsyncPgConnection>, ChatError>
    {
        self.pool
            .get()
            .await
            .map_err(|e| ChatError::from(error::pool(e)))
    }
}

type TxError = Tx<ChatError>;

impl From<ChatError> for TxError {
    fn from(error: ChatError) -> Self {
        Tx(error)
    }
}

/// Runs `body` as one transaction whose error is a [`ChatError`].
macro_rules! transaction {
    ($conn:expr, |$c:ident| $body:expr) => {{
        use diesel_async::AsyncConnection;
        $conn
            .transaction(async move |$c| -> Result<_, TxError> { $body })
            .await
            .map_err(|Tx(e)| e)
    }};
}

/// The keyset of `GET /chats`: the time of the last activity in microseconds, then the id.
fn chat_cursor(view: &ChatView) -> Cursor {
    Cursor {
        key: i64::try_from(view.chat.updated_at.unix_timestamp_nanos() / 1000).unwrap_or(i64::MAX),
        id: view.chat.id.as_uuid(),
    }
}

fn micros(key: i64) -> OffsetDateTime {
    OffsetDateTime::from_unix_timestamp_nanos(i128::from(key) * 1000)
        .unwrap_or(OffsetDateTime::UNIX_EPOCH)
}

/// The keyset of history and search: the message id alone (ids rise with time).
fn message_cursor(message: &Message) -> Cursor {
    Cursor {
        key: 0,
        id: message.id.as_uuid(),
    }
}

/// The `tsquery` of `terms`: every term, quoted as a lexeme (so nothing in it is query syntax),
/// with `:*` where a prefix matches.
fn tsquery(terms: &[QueryTerm]) -> String {
    terms
        .iter()
        .map(|t| {
            let quoted = t.text.replace('\\', "\\\\").replace('\'', "''");
            if t.prefix {
                format!("'{quoted}':*")
            } else {
                format!("'{quoted}'")
            }
        })
        .collect::<Vec<_>>()
        .join(" & ")
}

#[derive(diesel::QueryableByName)]
struct Total {
    #[diesel(sql_type = BigInt)]
    total: i64,
}

#[async_trait]
impl ChatStore for PgChatStore {
    async fn open_direct(
        &self,
        me: UserId,
        other: UserId,
        id: ChatId,
        at: OffsetDateTime,
        allow: &Rule<'_, Candidate, ()>,
        announce: &Announce<'_, ChatSnapshot>,
    ) -> Result<Committed<(ChatView, bool)>, ChatError> {
        let mut conn = self.conn().await?;
        transaction!(conn, |c| {
            let candidate = facts::candidates(c, me, &[other]).await?;
            let candidate = candidate.as_slice().first().ok_or(ChatError::UnknownUser)?;
            allow(candidate)?;
            let (chat, created) = write::find_or_create_direct(c, me, other, id, at).await?;
            let view = read::view(c, me.as_uuid(), chat).await?;
            let events = if created {
                announce(&read::snapshot(c, chat, None, None).await?)
            } else {
                Vec::new()
            };
            crate::outbox::append(c, &events).await?;
            Ok(Committed::new((view, created), events))
        })
    }

    async fn create_group(
        &self,
        group: &NewGroup,
        rule: &Rule<'_, Vec<Candidate>, Vec<sakura_domain::notifications::Notification>>,
        announce: &Announce<'_, GroupCommitted>,
    ) -> Result<Committed<ChatView>, ChatError> {
        let mut conn = self.conn().await?;
        transaction!(conn, |c| {
            let candidates = facts::candidates(c, group.creator, &group.members).await?;
            let notifications = rule(&candidates)?;
            write::insert_group(c, group).await?;
            for notification in &notifications {
                crate::notifications::insert(c, notification).await?;
            }
            let chat = group.id.as_uuid();
            let view = read::view(c, group.creator.as_uuid(), chat).await?;
            let committed = GroupCommitted {
                snapshot: read::snapshot(c, chat, None, None).await?,
                notifications,
            };
            let events = announce(&committed);
            crate::outbox::append(c, &events).await?;
            Ok(Committed::new(view, events))
        })
    }

    async fn change_group(
        &self,
        me: UserId,
        chat: ChatId,
        change: &GroupChange,
        at: OffsetDateTime,
        rule: &Rule<'_, (ChatFacts, Option<Candidate>), GroupVerdict>,
        announce: &Announce<'_, GroupCommitted>,
    ) -> Result<Committed<Option<ChatView>>, ChatError> {
        let mut conn = self.conn().await?;
        transaction!(conn, |c| {
            let locked = facts::lock_chat(c, me, chat).await?;
            let candidate = match change {
                GroupChange::Add(user) => match facts::candidates(c, me, &[*user]).await {
                    Ok(mut found) => found.pop(),
                    Err(ChatError::UnknownUser) => None,
                    Err(other) => return Err(Tx(other)),
                },
                _ => None,
            };
            let verdict = rule(&(locked.facts.clone(), candidate))?;
            let notifications = match verdict {
                GroupVerdict::Unchanged => {
                    let view = read::view(c, me.as_uuid(), chat.as_uuid()).await?;
                    return Ok(Committed::new(Some(view), Vec::new()));
                }
                GroupVerdict::Apply(notifications) => notifications,
            };
            let gone = write::apply_group_change(c, &locked, change, at).await?;
            for notification in &notifications {
                crate::notifications::insert(c, notification).await?;
            }
            let removed = match change {
                GroupChange::Remove(user) => Some(*user),
                _ => None,
            };
            let snapshot = read::snapshot(c, chat.as_uuid(), removed, gone).await?;
            let view = snapshot.view_for(me).filter(|_| removed != Some(me));
            let committed = GroupCommitted {
                snapshot,
                notifications,
            };
            let events = announce(&committed);
            crate::outbox::append(c, &events).await?;
            Ok(Committed::new(view, events))
        })
    }

    async fn send(
        &self,
        me: UserId,
        chat: ChatId,
        draft: &Draft,
        rule: &Rule<'_, SendFacts, SendVerdict>,
        announce: &Announce<'_, MessageChanged>,
    ) -> Result<Committed<Sent>, ChatError> {
        let mut conn = self.conn().await?;
        transaction!(conn, |c| {
            let locked = facts::lock_chat(c, me, chat).await?;
            let facts = write::send_facts(c, me, &locked, draft).await?;
            match rule(&facts)? {
                SendVerdict::Repeat => {
                    let message = facts.earlier.ok_or_else(|| {
                        StoreError::Other(anyhow::anyhow!("a repeat without an earlier message"))
                    })?;
                    Ok(Committed::new(
                        Sent {
                            message,
                            created: false,
                        },
                        Vec::new(),
                    ))
                }
                SendVerdict::Store => {
                    let id = facts::next_message_id(locked.last_message);
                    write::insert_message(c, me, chat, id, draft).await?;
                    let message = read::message(c, chat.as_uuid(), id, locked.history_from).await?;
                    let changed = MessageChanged {
                        reply_hidden_for: write::reply_hidden_for(c, chat, &message).await?,
                        members: locked.facts.members.clone(),
                        message,
                        changed: true,
                    };
                    let events = announce(&changed);
                    crate::outbox::append(c, &events).await?;
                    Ok(Committed::new(
                        Sent {
                            message: changed.message,
                            created: true,
                        },
                        events,
                    ))
                }
            }
        })
    }

    async fn change_message(
        &self,
        me: UserId,
        chat: ChatId,
        message: MessageId,
        change: &MessageChange,
        rule: &Rule<'_, sakura_application::ports::MessageFacts, ()>,
        announce: &Announce<'_, MessageChanged>,
    ) -> Result<Committed<MessageChanged>, ChatError> {
        let mut conn = self.conn().await?;
        transaction!(conn, |c| {
            let history_from = write::lock_membership(c, me, chat).await?;
            let facts = write::lock_message(c, chat, message, history_from).await?;
            rule(&facts)?;
            let changed = write::apply_message_change(c, me, chat, message, &facts, change).await?;
            let message = read::message(c, chat.as_uuid(), message.as_uuid(), history_from).await?;
            let done = MessageChanged {
                reply_hidden_for: write::reply_hidden_for(c, chat, &message).await?,
                members: facts::members(c, chat.as_uuid()).await?,
                message,
                changed,
            };
            let events = announce(&done);
            crate::outbox::append(c, &events).await?;
            Ok(Committed::new(done, events))
        })
    }

    async fn mark_read(
        &self,
        me: UserId,
        chat: ChatId,
        message: MessageId,
        announce: &Announce<'_, MarkerMoved>,
    ) -> Result<Committed<MarkerMoved>, ChatError> {
        let mut conn = self.conn().await?;
        transaction!(conn, |c| {
            let moved = write::move_marker(c, me, chat, message).await?;
            let done = MarkerMoved {
                members: facts::members(c, chat.as_uuid()).await?,
                moved,
            };
            let events = announce(&done);
            crate::outbox::append(c, &events).await?;
            Ok(Committed::new(done, events))
        })
    }

    async fn chat(&self, viewer: UserId, chat: ChatId) -> Result<ChatView, ChatError> {
        let mut conn = self.conn().await?;
        Ok(read::view(&mut conn, viewer.as_uuid(), chat.as_uuid()).await?)
    }

    async fn chats(&self, viewer: UserId, page: PageRequest) -> Result<Page<ChatView>, ChatError> {
        let mut conn = self.conn().await?;
        let (after_at, after_id) = match page.after {
            Some(cursor) => (micros(cursor.key), cursor.id),
            // Past every chat: the first page.
            None => (micros(i64::MAX / 1000), Uuid::max()),
        };
        let rows: Vec<ChatRow> = sql_query(format!(
            "SELECT {CHAT_COLUMNS} FROM chat_members cm JOIN chats c ON c.id = cm.chat_id \
             WHERE cm.user_id = $1 AND (c.updated_at, c.id) < ($2, $3) \
             ORDER BY c.updated_at DESC, c.id DESC LIMIT $4"
        ))
        .bind::<SqlUuid, _>(viewer.as_uuid())
        .bind::<Timestamptz, _>(after_at)
        .bind::<SqlUuid, _>(after_id)
        .bind::<BigInt, _>(i64::try_from(page.fetch()).unwrap_or(i64::MAX))
        .load(&mut conn)
        .await
        .map_err(error::query("list chats"))?;
        let views = read::views(&mut conn, rows).await?;
        Ok(Page::from_rows(views, page, chat_cursor))
    }

    async fn history(
        &self,
        viewer: UserId,
        chat: ChatId,
        page: PageRequest,
    ) -> Result<Page<Message>, ChatError> {
        let mut conn = self.conn().await?;
        let history_from = write::membership(&mut conn, viewer, chat).await?;
        let before = page.after.map_or(Uuid::max(), |c| c.id);
        let rows: Vec<MessageRow> = sql_query(format!(
            "SELECT {MESSAGE_COLUMNS}, $2 AS viewer_from FROM messages m {REPLY_JOIN} \
             WHERE m.chat_id = $1 AND m.id > $2 AND m.id < $3 ORDER BY m.id DESC LIMIT $4"
        ))
        .bind::<SqlUuid, _>(chat.as_uuid())
        .bind::<SqlUuid, _>(history_from)
        .bind::<SqlUuid, _>(before)
        .bind::<BigInt, _>(i64::try_from(page.fetch()).unwrap_or(i64::MAX))
        .load(&mut conn)
        .await
        .map_err(error::query("read history"))?;
        let messages = read::assemble(&mut conn, rows).await?;
        Ok(Page::from_rows(messages, page, message_cursor))
    }

    async fn search(
        &self,
        viewer: UserId,
        terms: &[QueryTerm],
        chat: Option<ChatId>,
        page: PageRequest,
    ) -> Result<Page<Message>, ChatError> {
        let mut conn = self.conn().await?;
        let chat = match chat {
            Some(chat) => Some((chat, write::membership(&mut conn, viewer, chat).await?)),
            None => None,
        };
        let before = page.after.map_or(Uuid::max(), |c| c.id);
        let limit = i64::try_from(page.fetch()).unwrap_or(i64::MAX);
        let messages =
            search::search(&mut conn, viewer, &tsquery(terms), chat, before, limit).await?;
        Ok(Page::from_rows(messages, page, message_cursor))
    }

    async fn unread_total(&self, viewer: UserId) -> Result<u64, ChatError> {
        let mut conn = self.conn().await?;
        let total: Total = sql_query(concat!(
            "SELECT coalesce(sum(",
            read::unread!(),
            "), 0)::bigint AS total FROM chat_members cm JOIN chats c ON c.id = cm.chat_id \
             WHERE cm.user_id = $1"
        ))
        .bind::<SqlUuid, _>(viewer.as_uuid())
        .get_result(&mut conn)
        .await
        .map_err(error::query("count unread messages"))?;
        Ok(u64::try_from(total.total).unwrap_or(0))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_query_is_quoted_lexemes_so_nothing_typed_is_query_syntax() {
        let terms = [
            QueryTerm {
                text: "it's".into(),
                prefix: true,
            },
            QueryTerm {
                text: "北京".into(),
                prefix: false,
            },
            QueryTerm {
                text: "a\\b|!".into(),
                prefix: true,
            },
        ];
        assert_eq!(tsquery(&terms), "'it''s':* & '北京' & 'a\\\\b|!':*");
    }
}
