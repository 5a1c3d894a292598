//! What the messenger tests share: paths, opening direct chats and groups, sending and reading
//! messages, members, reactions, read markers, unread counts, many users at once, and a look at
//! the `chats` table.

use futures_util::future::join_all;
use reqwest::{Method, Response};
use serde_json::{Value, json};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;
use tokio_postgres::NoTls;

use crate::assert_problem;
use crate::people_support::{encode, get_ok, json_with, person, send, send_json};
use crate::support::{RegisteredUser, TestApp};

/// `/api/v1/chats`.
pub const CHATS: &str = "/api/v1/chats";

// ---------------------------------------------------------------------------------------------
// Paths.
// ---------------------------------------------------------------------------------------------

/// `/api/v1/chats/{chat}`.
pub fn chat_path(chat: &str) -> String {
    format!("{CHATS}/{chat}")
}

/// `/api/v1/chats/{chat}/members`.
pub fn members_path(chat: &str) -> String {
    format!("{CHATS}/{chat}/members")
}

/// `/api/v1/chats/{chat}/members/{user}`.
pub fn member_path(chat: &str, user: &str) -> String {
    format!("{CHATS}/{chat}/members/{user}")
}

/// `/api/v1/chats/{chat}/messages`.
pub fn messages_path(chat: &str) -> String {
    format!("{CHATS}/{chat}/messages")
}

/// `/api/v1/chats/{chat}/messages/{message}`.
pub fn message_path(chat: &str, message: &str) -> String {
    format!("{CHATS}/{chat}/messages/{message}")
}

/// `/api/v1/chats/{chat}/messages/{message}/reactions/{emoji}`, the emoji percent-encoded.
pub fn reaction_path(chat: &str, message: &str, emoji: &str) -> String {
    format!(
        "{CHATS}/{chat}/messages/{message}/reactions/{}",
        encode(emoji)
    )
}

/// `/api/v1/chats/{chat}/read`.
pub fn read_path(chat: &str) -> String {
    format!("{CHATS}/{chat}/read")
}

// ---------------------------------------------------------------------------------------------
// Values.
// ---------------------------------------------------------------------------------------------

/// The `id` of a JSON object (a chat, a message) as a string.
pub fn id(value: &Value) -> String {
    value["id"]
        .as_str()
        .unwrap_or_else(|| panic!("id in {value}"))
        .to_owned()
}

/// The member ids of a `Chat`, sorted.
pub fn member_ids(chat: &Value) -> Vec<String> {
    let mut ids: Vec<String> = chat["members"]
        .as_array()
        .unwrap_or_else(|| panic!("members in {chat}"))
        .iter()
        .map(|m| m["id"].as_str().expect("member id").to_owned())
        .collect();
    ids.sort();
    ids
}

/// These users' ids, sorted (to compare with [`member_ids`]).
pub fn sorted_ids(users: &[&RegisteredUser]) -> Vec<String> {
    let mut ids: Vec<String> = users.iter().map(|u| u.id.clone()).collect();
    ids.sort();
    ids
}

/// A timestamp field (RFC 3339) of `value`.
pub fn timestamp(value: &Value, field: &str) -> OffsetDateTime {
    let raw = value[field]
        .as_str()
        .unwrap_or_else(|| panic!("{field} in {value}"));
    OffsetDateTime::parse(raw, &Rfc3339).unwrap_or_else(|e| panic!("{field} {raw}: {e}"))
}

/// The page's item ids, in order.
pub fn item_ids(page: &Value) -> Vec<String> {
    page["items"]
        .as_array()
        .unwrap_or_else(|| panic!("items in {page}"))
        .iter()
        .map(id)
        .collect()
}

/// Asserts a 422 `validation_failed` naming `field` among its errors; returns the body.
pub async fn assert_invalid(response: Response, field: &str) -> Value {
    let body = assert_problem(response, 422, "validation_failed").await;
    let fields: Vec<&str> = body["errors"]
        .as_array()
        .unwrap_or_else(|| panic!("errors in {body}"))
        .iter()
        .filter_map(|e| e["field"].as_str())
        .collect();
    assert!(
        fields.contains(&field),
        "{field} not among {fields:?}: {body}"
    );
    body
}

// ---------------------------------------------------------------------------------------------
// People.
// ---------------------------------------------------------------------------------------------

/// `n` new people, registered concurrently in batches of 50.
pub async fn people(app: &TestApp, n: usize) -> Vec<RegisteredUser> {
    let mut users = Vec::with_capacity(n);
    let mut left = n;
    while left > 0 {
        let batch = left.min(50);
        users.extend(join_all((0..batch).map(|_| person(app, "Hana", "Mori"))).await);
        left -= batch;
    }
    users
}

// ---------------------------------------------------------------------------------------------
// Chats.
// ---------------------------------------------------------------------------------------------

/// `POST /chats` with `body` as `me`.
pub async fn create_chat(app: &TestApp, me: &RegisteredUser, body: &Value) -> Response {
    send_json(app, Method::POST, CHATS, body, me).await
}

/// `POST /chats {kind: "direct", userId}` as `me`.
pub async fn open_direct(app: &TestApp, me: &RegisteredUser, user_id: &str) -> Response {
    create_chat(app, me, &json!({"kind": "direct", "userId": user_id})).await
}

/// Opens a new direct chat between `me` and `other`, expecting 201; returns the `Chat`.
pub async fn direct(app: &TestApp, me: &RegisteredUser, other: &RegisteredUser) -> Value {
    json_with(open_direct(app, me, &other.id).await, 201).await
}

/// `POST /chats {kind: "group", title, memberIds}` as `me`.
pub async fn create_group(
    app: &TestApp,
    me: &RegisteredUser,
    title: &str,
    member_ids: &[&str],
) -> Response {
    create_chat(
        app,
        me,
        &json!({"kind": "group", "title": title, "memberIds": member_ids}),
    )
    .await
}

/// A group `me` creates with `members`, expecting 201; returns the `Chat`.
pub async fn group(
    app: &TestApp,
    me: &RegisteredUser,
    title: &str,
    members: &[&RegisteredUser],
) -> Value {
    let ids: Vec<&str> = members.iter().map(|m| m.id.as_str()).collect();
    json_with(create_group(app, me, title, &ids).await, 201).await
}

/// `GET /chats/{chat}` as `me`.
pub async fn get_chat(app: &TestApp, me: &RegisteredUser, chat: &str) -> Response {
    send(app, Method::GET, &chat_path(chat), me).await
}

/// `GET /chats/{chat}` as `me`, expecting 200.
pub async fn chat_ok(app: &TestApp, me: &RegisteredUser, chat: &str) -> Value {
    json_with(get_chat(app, me, chat).await, 200).await
}

/// `GET /chats` (first page) as `me`.
pub async fn my_chats(app: &TestApp, me: &RegisteredUser) -> Value {
    get_ok(app, CHATS, me).await
}

/// The ids of my chats (first page), most recently active first.
pub async fn my_chat_ids(app: &TestApp, me: &RegisteredUser) -> Vec<String> {
    item_ids(&my_chats(app, me).await)
}

/// `PATCH /chats/{chat} {title}` as `me`.
pub async fn rename(app: &TestApp, me: &RegisteredUser, chat: &str, title: &str) -> Response {
    send_json(
        app,
        Method::PATCH,
        &chat_path(chat),
        &json!({"title": title}),
        me,
    )
    .await
}

/// `POST /chats/{chat}/members {userId}` as `me`.
pub async fn add_member(app: &TestApp, me: &RegisteredUser, chat: &str, user: &str) -> Response {
    send_json(
        app,
        Method::POST,
        &members_path(chat),
        &json!({"userId": user}),
        me,
    )
    .await
}

/// Adds `user` to `chat` as `me`, expecting 200; returns the `Chat`.
pub async fn added(app: &TestApp, me: &RegisteredUser, chat: &str, user: &RegisteredUser) -> Value {
    json_with(add_member(app, me, chat, &user.id).await, 200).await
}

/// `DELETE /chats/{chat}/members/{user}` as `me`.
pub async fn remove_member(app: &TestApp, me: &RegisteredUser, chat: &str, user: &str) -> Response {
    send(app, Method::DELETE, &member_path(chat, user), me).await
}

// ---------------------------------------------------------------------------------------------
// Messages.
// ---------------------------------------------------------------------------------------------

/// `POST /chats/{chat}/messages` with `body` as `me`.
pub async fn post_message(
    app: &TestApp,
    me: &RegisteredUser,
    chat: &str,
    body: &Value,
) -> Response {
    send_json(app, Method::POST, &messages_path(chat), body, me).await
}

/// Sends `text` to `chat` as `me`, expecting 201; returns the `Message`.
pub async fn say(app: &TestApp, me: &RegisteredUser, chat: &str, text: &str) -> Value {
    json_with(
        post_message(app, me, chat, &json!({"text": text})).await,
        201,
    )
    .await
}

/// Sends `texts` one after another as `me`; returns the messages in the order sent.
pub async fn say_all(
    app: &TestApp,
    me: &RegisteredUser,
    chat: &str,
    texts: &[String],
) -> Vec<Value> {
    let mut sent = Vec::with_capacity(texts.len());
    for text in texts {
        sent.push(say(app, me, chat, text).await);
    }
    sent
}

/// `GET /chats/{chat}/messages` as `me`.
pub async fn get_history(app: &TestApp, me: &RegisteredUser, chat: &str) -> Response {
    send(app, Method::GET, &messages_path(chat), me).await
}

/// The first page of `chat`'s history as `me`, expecting 200.
pub async fn history(app: &TestApp, me: &RegisteredUser, chat: &str) -> Value {
    json_with(get_history(app, me, chat).await, 200).await
}

/// The message ids of the first page of `chat`'s history as `me`, newest first.
pub async fn history_ids(app: &TestApp, me: &RegisteredUser, chat: &str) -> Vec<String> {
    item_ids(&history(app, me, chat).await)
}

/// The message with id `message` on the first page of `chat`'s history as `me`.
pub async fn in_history(app: &TestApp, me: &RegisteredUser, chat: &str, message: &str) -> Value {
    let page = history(app, me, chat).await;
    page["items"]
        .as_array()
        .expect("items")
        .iter()
        .find(|m| m["id"] == message)
        .unwrap_or_else(|| panic!("{message} not in {page}"))
        .clone()
}

/// `PATCH /chats/{chat}/messages/{message} {text}` as `me`.
pub async fn edit(
    app: &TestApp,
    me: &RegisteredUser,
    chat: &str,
    message: &str,
    text: &str,
) -> Response {
    send_json(
        app,
        Method::PATCH,
        &message_path(chat, message),
        &json!({"text": text}),
        me,
    )
    .await
}

/// `DELETE /chats/{chat}/messages/{message}` as `me`.
pub async fn delete_message(
    app: &TestApp,
    me: &RegisteredUser,
    chat: &str,
    message: &str,
) -> Response {
    send(app, Method::DELETE, &message_path(chat, message), me).await
}

// ---------------------------------------------------------------------------------------------
// Reactions.
// ---------------------------------------------------------------------------------------------

/// `PUT .../reactions/{emoji}` as `me`.
pub async fn react(
    app: &TestApp,
    me: &RegisteredUser,
    chat: &str,
    message: &str,
    emoji: &str,
) -> Response {
    send(app, Method::PUT, &reaction_path(chat, message, emoji), me).await
}

/// `DELETE .../reactions/{emoji}` as `me`.
pub async fn unreact(
    app: &TestApp,
    me: &RegisteredUser,
    chat: &str,
    message: &str,
    emoji: &str,
) -> Response {
    send(
        app,
        Method::DELETE,
        &reaction_path(chat, message, emoji),
        me,
    )
    .await
}

/// `reactions` as `(emoji, count, reactedByMe)` triples, in the order given.
pub fn reaction_triples(reactions: &Value) -> Vec<(String, u64, bool)> {
    reactions
        .as_array()
        .unwrap_or_else(|| panic!("reactions: {reactions}"))
        .iter()
        .map(|r| {
            (
                r["emoji"].as_str().expect("emoji").to_owned(),
                r["count"].as_u64().expect("count"),
                r["reactedByMe"].as_bool().expect("reactedByMe"),
            )
        })
        .collect()
}

/// Reacts with `emoji` as `me`, expecting 200; returns the reactions as triples.
pub async fn reacted(
    app: &TestApp,
    me: &RegisteredUser,
    chat: &str,
    message: &str,
    emoji: &str,
) -> Vec<(String, u64, bool)> {
    let body = json_with(react(app, me, chat, message, emoji).await, 200).await;
    reaction_triples(&body["reactions"])
}

/// A `(emoji, count, reactedByMe)` triple.
pub fn triple(emoji: &str, count: u64, mine: bool) -> (String, u64, bool) {
    (emoji.to_owned(), count, mine)
}

// ---------------------------------------------------------------------------------------------
// Read markers and unread counts.
// ---------------------------------------------------------------------------------------------

/// `POST /chats/{chat}/read {messageId}` as `me`.
pub async fn mark_read(app: &TestApp, me: &RegisteredUser, chat: &str, message: &str) -> Response {
    send_json(
        app,
        Method::POST,
        &read_path(chat),
        &json!({"messageId": message}),
        me,
    )
    .await
}

/// `unreadCount` of `chat` as `GET /chats/{chat}` shows it to `me`.
pub async fn unread(app: &TestApp, me: &RegisteredUser, chat: &str) -> u64 {
    let chat = chat_ok(app, me, chat).await;
    chat["unreadCount"]
        .as_u64()
        .unwrap_or_else(|| panic!("unreadCount in {chat}"))
}

/// `messages` of `GET /notifications/unread-count` as `me`.
pub async fn unread_messages(app: &TestApp, me: &RegisteredUser) -> u64 {
    let counts = get_ok(app, "/api/v1/notifications/unread-count", me).await;
    counts["messages"]
        .as_u64()
        .unwrap_or_else(|| panic!("messages in {counts}"))
}

// ---------------------------------------------------------------------------------------------
// Search.
// ---------------------------------------------------------------------------------------------

/// `GET /messages/search?q=` (and `chatId` if given) as `me`.
pub async fn search(app: &TestApp, me: &RegisteredUser, q: &str, chat: Option<&str>) -> Response {
    let mut path = format!("/api/v1/messages/search?q={}", encode(q));
    if let Some(chat) = chat {
        path.push_str(&format!("&chatId={chat}"));
    }
    send(app, Method::GET, &path, me).await
}

/// The ids of the first page found for `q` as `me`, expecting 200.
pub async fn found(app: &TestApp, me: &RegisteredUser, q: &str) -> Vec<String> {
    item_ids(&json_with(search(app, me, q, None).await, 200).await)
}

// ---------------------------------------------------------------------------------------------
// The database.
// ---------------------------------------------------------------------------------------------

/// Whether the `chats` table still holds `chat`.
pub async fn chat_row_exists(app: &TestApp, chat: &str) -> bool {
    let (client, connection) = tokio_postgres::connect(app.db.url(), NoTls)
        .await
        .expect("connect to the test database");
    tokio::spawn(connection);
    let rows: i64 = client
        .query_one("SELECT count(*) FROM chats WHERE id::text = $1", &[&chat])
        .await
        .expect("count chats")
        .get(0);
    rows == 1
}
