//! Message search: the newest messages I can see that hold every term, a page at a time.
//!
//! A search's cost would follow how many messages match: sorting all of a term's matches by
//! time is cheap for a rare term and hopeless for a common one ("hello" in ten million
//! messages). So it goes in two steps, each bounded:
//!
//! 1. **Walk** the newest searchable messages before the cursor backwards — in one chat along
//!    its primary key, over all chats along `messages_recent` (ids rise with time) — at most
//!    [`WALK`] of them, keeping those that match, in a chat I am in, after I joined it. A common
//!    term fills the page here, whatever the history's size.
//! 2. If the page is not full and the walk did not reach the end, ask the **GIN** index
//!    (`messages_search`, terms and chat) for the matches older than where the walk stopped: a
//!    term rare enough not to fill a page in the walk has few matches to sort.
//!
//! Both steps return keys only; the page's messages are then read by key like any other.

use diesel::sql_types::{BigInt, Nullable, Text, Uuid as SqlUuid};
use diesel::{QueryableByName, sql_query};
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use sakura_application::StoreError;
use sakura_application::chats::Message;
use sakura_domain::{ChatId, UserId};
use uuid::Uuid;

use super::read;
use crate::error;

/// How many of the newest messages step 1 looks at.
const WALK: i64 = 1000;

/// A match, or (with no chat) the id the walk stopped at.
#[derive(QueryableByName)]
struct Hit {
    #[diesel(sql_type = Nullable<SqlUuid>)]
    chat_id: Option<Uuid>,
    #[diesel(sql_type = SqlUuid)]
    id: Uuid,
    #[diesel(sql_type = Nullable<SqlUuid>)]
    viewer_from: Option<Uuid>,
}

/// Up to `limit` messages `viewer` can see — in `chat` (where they see the messages after
/// `from`), or in any of their chats — older than `before` and matching `tsquery`, newest first.
pub(super) async fn search(
    conn: &mut AsyncPgConnection,
    viewer: UserId,
    tsquery: &str,
    chat: Option<(ChatId, Uuid)>,
    before: Uuid,
    limit: i64,
) -> Result<Vec<Message>, StoreError> {
    // In one chat, the walk goes along the primary key: ordering by it says so to the planner,
    // which could otherwise walk every chat's messages and skip the others'.
    let (in_chat, walk_order) = if chat.is_some() {
        ("AND m.chat_id = $4", "m.chat_id DESC, m.id DESC")
    } else {
        ("", "m.id DESC")
    };
    let (chat, after) = chat.map_or((Uuid::nil(), Uuid::nil()), |(c, from)| (c.as_uuid(), from));
    let walked: Vec<Hit> = sql_query(format!(
        "WITH walk AS MATERIALIZED ( \
             SELECT m.chat_id, m.id, m.search FROM messages m \
             WHERE m.search IS NOT NULL AND m.id < $3 AND m.id > $7 {in_chat} \
             ORDER BY {walk_order} LIMIT $6) \
         (SELECT w.chat_id, w.id, cm.history_from AS viewer_from FROM walk w \
          JOIN chat_members cm ON cm.chat_id = w.chat_id AND cm.user_id = $1 \
          WHERE w.id > cm.history_from AND w.search @@ $2::tsquery ORDER BY w.id DESC LIMIT $5) \
         UNION ALL \
         (SELECT NULL, id, NULL FROM walk WHERE (SELECT count(*) FROM walk) = $6 \
          ORDER BY id LIMIT 1)"
    ))
    .bind::<SqlUuid, _>(viewer.as_uuid())
    .bind::<Text, _>(tsquery)
    .bind::<SqlUuid, _>(before)
    .bind::<SqlUuid, _>(chat)
    .bind::<BigInt, _>(limit)
    .bind::<BigInt, _>(WALK)
    .bind::<SqlUuid, _>(after)
    .load(conn)
    .await
    .map_err(error::query("search the newest messages"))?;
    let (mut hits, stopped_at): (Vec<Hit>, Vec<Hit>) =
        walked.into_iter().partition(|h| h.chat_id.is_some());
    let missing = limit - i64::try_from(hits.len()).unwrap_or(limit);
    if let (true, Some(stop)) = (missing > 0, stopped_at.into_iter().next()) {
        let older: Vec<Hit> = sql_query(format!(
            "SELECT m.chat_id, m.id, cm.history_from AS viewer_from FROM messages m \
             JOIN chat_members cm ON cm.chat_id = m.chat_id AND cm.user_id = $1 \
             WHERE m.search @@ $2::tsquery AND m.id > cm.history_from AND m.id < $3 {in_chat} \
             ORDER BY m.id DESC LIMIT $5"
        ))
        .bind::<SqlUuid, _>(viewer.as_uuid())
        .bind::<Text, _>(tsquery)
        .bind::<SqlUuid, _>(stop.id)
        .bind::<SqlUuid, _>(chat)
        .bind::<BigInt, _>(missing)
        .load(conn)
        .await
        .map_err(error::query("search older messages"))?;
        hits.extend(older);
    }
    let keys = hits
        .into_iter()
        .filter_map(|h| Some((h.chat_id?, h.id, h.viewer_from?)))
        .collect::<Vec<_>>();
    let mut messages = read::by_keys(conn, &keys).await?;
    messages.sort_by_key(|m| std::cmp::Reverse(m.id));
    Ok(messages)
}
