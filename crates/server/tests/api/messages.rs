//! Messages: sending (texts kept exactly, limits, photos, idempotent `clientId`), history and its
//! pages, replies, edits, deletion, reactions, read markers and unread counts.

use std::collections::HashSet;

use futures_util::future::join_all;
use reqwest::Method;
use serde_json::{Value, json};
use uuid::Uuid;

use crate::assert_problem;
use crate::chats_support::{
    add_member, added, assert_invalid, chat_ok, delete_message, direct, edit, group, history,
    history_ids, id, in_history, item_ids, mark_read, message_path, messages_path, my_chats,
    people, post_message, react, reacted, reaction_triples, read_path, remove_member, say, say_all,
    timestamp, triple, unreact, unread, unread_messages,
};
use crate::people_support::{
    all_pages, assert_no_content, encode, get_ok, json_with, person, send_json,
};
use crate::photos_support::{id_of, upload_png};
use crate::support::{RegisteredUser, TestApp, spawn_app};

/// Two people in a direct chat: `(aiko, ren, chat id)`.
async fn pair(app: &TestApp) -> (RegisteredUser, RegisteredUser, String) {
    let aiko = person(app, "Aiko", "Tanaka").await;
    let ren = person(app, "Ren", "Sato").await;
    let chat = id(&direct(app, &aiko, &ren).await);
    (aiko, ren, chat)
}

/// `n` numbered texts: `"message 0"`, `"message 1"`, …
fn numbered(n: usize) -> Vec<String> {
    (0..n).map(|i| format!("message {i}")).collect()
}

/// Sends `body` as `me`, expecting 201; returns the `Message`.
async fn sent(app: &TestApp, me: &RegisteredUser, chat: &str, body: Value) -> Value {
    json_with(post_message(app, me, chat, &body).await, 201).await
}

// ---------------------------------------------------------------------------------------------
// Sending.
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn sending_answers_201_with_the_whole_message() {
    let app = spawn_app().await;
    let (aiko, _ren, chat) = pair(&app).await;

    let message = say(&app, &aiko, &chat, "See you under the cherry trees 🌸").await;

    let mut keys: Vec<&str> = message
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    keys.sort_unstable();
    assert_eq!(
        keys,
        [
            "chatId",
            "clientId",
            "createdAt",
            "deleted",
            "editedAt",
            "id",
            "photos",
            "reactions",
            "replyTo",
            "senderId",
            "text"
        ]
    );
    assert!(Uuid::parse_str(&id(&message)).is_ok());
    assert_eq!(message["chatId"], chat.as_str());
    assert_eq!(message["senderId"], aiko.id.as_str());
    assert_eq!(message["text"], "See you under the cherry trees 🌸");
    assert_eq!(message["photos"], json!([]));
    assert!(message["replyTo"].is_null());
    assert_eq!(message["reactions"], json!([]));
    assert!(message["clientId"].is_null());
    assert!(message["createdAt"].as_str().unwrap().ends_with('Z'));
    assert!(message["editedAt"].is_null());
    assert_eq!(message["deleted"], false);
}

#[tokio::test]
async fn a_sent_message_shows_in_history_and_as_the_chats_last_message() {
    let app = spawn_app().await;
    let (aiko, ren, chat) = pair(&app).await;

    let message = say(&app, &aiko, &chat, "Hello").await;

    let page = history(&app, &ren, &chat).await;
    assert_eq!(page["items"], json!([message]));
    assert!(page["nextCursor"].is_null());
    let seen = chat_ok(&app, &ren, &chat).await;
    assert_eq!(seen["lastMessage"], message);
    assert!(timestamp(&seen, "updatedAt") >= timestamp(&message, "createdAt"));
}

#[tokio::test]
async fn text_is_trimmed_and_otherwise_kept_byte_for_byte() {
    let app = spawn_app().await;
    let (aiko, ren, chat) = pair(&app).await;
    let texts = [
        "👩‍👩‍👧‍👦 family, 🏳️‍🌈 flag, 👍🏽 tone",
        "東京タワーで会いましょう",
        "مرحبا بالعالم",
        "שלום\u{200F} עולם",
        "line one\nline two\n\n\tindented",
        "e\u{301} (combining) vs é",
        "  spaces  inside  ",
    ];

    for text in texts {
        let message = say(&app, &aiko, &chat, &format!(" \n\t{text}\t \n")).await;
        assert_eq!(message["text"], text.trim(), "{text:?}");
        assert_eq!(
            in_history(&app, &ren, &chat, &id(&message)).await["text"],
            text.trim()
        );
    }
}

#[tokio::test]
async fn text_may_be_4000_characters_after_trimming_but_not_4001() {
    let app = spawn_app().await;
    let (aiko, _ren, chat) = pair(&app).await;
    let full = "あ".repeat(4000);

    let message = say(&app, &aiko, &chat, &format!("  {full}\n")).await;
    assert_eq!(message["text"], full.as_str());

    assert_invalid(
        post_message(&app, &aiko, &chat, &json!({"text": "あ".repeat(4001)})).await,
        "text",
    )
    .await;
    assert_invalid(
        post_message(&app, &aiko, &chat, &json!({"text": "a".repeat(4001)})).await,
        "text",
    )
    .await;
    assert_eq!(history_ids(&app, &aiko, &chat).await, [id(&message)]);
}

#[tokio::test]
async fn a_message_with_neither_text_nor_photos_is_422_on_text() {
    let app = spawn_app().await;
    let (aiko, _ren, chat) = pair(&app).await;

    for body in [
        json!({}),
        json!({"text": ""}),
        json!({"text": "   \n\t "}),
        json!({"text": null}),
        json!({"photoIds": []}),
        json!({"text": " ", "photoIds": []}),
        json!({"clientId": "only-an-id"}),
    ] {
        assert_invalid(post_message(&app, &aiko, &chat, &body).await, "text").await;
    }
    assert!(history_ids(&app, &aiko, &chat).await.is_empty());
}

#[tokio::test]
async fn control_characters_other_than_newline_and_tab_are_422_on_text() {
    let app = spawn_app().await;
    let (aiko, _ren, chat) = pair(&app).await;

    for text in [
        "bell\u{7}",
        "nul\u{0}byte",
        "esc\u{1b}[31m",
        "del\u{7f}",
        "\u{8}back",
    ] {
        assert_invalid(
            post_message(&app, &aiko, &chat, &json!({"text": text})).await,
            "text",
        )
        .await;
    }
    let fine = say(&app, &aiko, &chat, "tab\there\nnewline").await;
    assert_eq!(fine["text"], "tab\there\nnewline");
    assert_eq!(history_ids(&app, &aiko, &chat).await, [id(&fine)]);
}

#[tokio::test]
async fn up_to_10_of_my_photos_come_in_the_order_given() {
    let app = spawn_app().await;
    let (aiko, ren, chat) = pair(&app).await;
    let mut photos = Vec::new();
    for _ in 0..10 {
        photos.push(id_of(&upload_png(&app, &aiko).await));
    }
    photos.reverse();
    photos.swap(2, 7);

    let message = sent(
        &app,
        &aiko,
        &chat,
        json!({"text": "Our trip", "photoIds": photos}),
    )
    .await;

    let got: Vec<String> = message["photos"]
        .as_array()
        .unwrap()
        .iter()
        .map(id)
        .collect();
    assert_eq!(got, photos);
    assert_eq!(message["photos"][0]["ownerId"], aiko.id.as_str());
    assert!(
        message["photos"][0]["url"]
            .as_str()
            .unwrap()
            .starts_with("/media/")
    );
    let seen = in_history(&app, &ren, &chat, &id(&message)).await;
    let seen_ids: Vec<String> = seen["photos"].as_array().unwrap().iter().map(id).collect();
    assert_eq!(seen_ids, photos);
}

#[tokio::test]
async fn eleven_photos_someone_elses_or_unknown_photos_are_422_on_photo_ids() {
    let app = spawn_app().await;
    let (aiko, ren, chat) = pair(&app).await;
    let mut mine = Vec::new();
    for _ in 0..11 {
        mine.push(id_of(&upload_png(&app, &aiko).await));
    }
    let theirs = id_of(&upload_png(&app, &ren).await);

    for photo_ids in [
        json!(mine),
        json!([mine[0], theirs]),
        json!([Uuid::now_v7().to_string()]),
        json!(["not-a-uuid"]),
    ] {
        assert_invalid(
            post_message(
                &app,
                &aiko,
                &chat,
                &json!({"text": "x", "photoIds": photo_ids}),
            )
            .await,
            "photoIds",
        )
        .await;
    }
    assert!(history_ids(&app, &aiko, &chat).await.is_empty());
}

#[tokio::test]
async fn a_photos_only_message_has_null_text() {
    let app = spawn_app().await;
    let (aiko, ren, chat) = pair(&app).await;
    let photo = id_of(&upload_png(&app, &aiko).await);

    let message = sent(&app, &aiko, &chat, json!({"photoIds": [photo]})).await;

    assert!(message["text"].is_null(), "{message}");
    assert_eq!(message["photos"][0]["id"], photo.as_str());
    let seen = in_history(&app, &ren, &chat, &id(&message)).await;
    assert!(seen["text"].is_null());
    // Blank text with a photo is a photos-only message too.
    let blank = sent(
        &app,
        &aiko,
        &chat,
        json!({"text": "  ", "photoIds": [photo]}),
    )
    .await;
    assert!(blank["text"].is_null(), "{blank}");
}

// ---------------------------------------------------------------------------------------------
// clientId.
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn a_retry_with_the_same_client_id_answers_200_with_the_first_message() {
    let app = spawn_app().await;
    let (aiko, _ren, chat) = pair(&app).await;
    let body = json!({"text": "Only once", "clientId": "b7c1c9a4-1"});

    let first = sent(&app, &aiko, &chat, body.clone()).await;
    let retry = json_with(post_message(&app, &aiko, &chat, &body).await, 200).await;
    // Even when the retry carries another text, the first message stands.
    let changed = json_with(
        post_message(
            &app,
            &aiko,
            &chat,
            &json!({"text": "Something else", "clientId": "b7c1c9a4-1"}),
        )
        .await,
        200,
    )
    .await;

    assert_eq!(first["clientId"], "b7c1c9a4-1");
    assert_eq!(retry, first);
    assert_eq!(changed, first);
    assert_eq!(history_ids(&app, &aiko, &chat).await, [id(&first)]);
}

#[tokio::test]
async fn a_client_id_is_per_sender_and_per_chat() {
    let app = spawn_app().await;
    let (aiko, ren, chat) = pair(&app).await;
    let mei = person(&app, "Mei", "Ito").await;
    let other_chat = id(&direct(&app, &aiko, &mei).await);
    let body = json!({"text": "Same id", "clientId": "shared-1"});

    let mine = sent(&app, &aiko, &chat, body.clone()).await;
    let theirs = sent(&app, &ren, &chat, body.clone()).await;
    let elsewhere = sent(&app, &aiko, &other_chat, body.clone()).await;

    assert_ne!(id(&mine), id(&theirs));
    assert_ne!(id(&mine), id(&elsewhere));
    assert_eq!(theirs["senderId"], ren.id.as_str());
    assert_eq!(
        history_ids(&app, &aiko, &chat).await,
        [id(&theirs), id(&mine)]
    );
}

#[tokio::test]
async fn ten_concurrent_sends_with_one_client_id_make_one_message() {
    let app = spawn_app().await;
    let (aiko, ren, chat) = pair(&app).await;
    let body = json!({"text": "Racing retries", "clientId": "race-42"});

    let results = join_all((0..10).map(|_| async {
        let response = post_message(&app, &aiko, &chat, &body).await;
        let status = response.status().as_u16();
        let message: Value = response.json().await.expect("a Message");
        (status, message)
    }))
    .await;

    let statuses: Vec<u16> = results.iter().map(|(s, _)| *s).collect();
    assert_eq!(
        statuses.iter().filter(|s| **s == 201).count(),
        1,
        "{statuses:?}"
    );
    assert_eq!(
        statuses.iter().filter(|s| **s == 200).count(),
        9,
        "{statuses:?}"
    );
    let ids: HashSet<String> = results.iter().map(|(_, m)| id(m)).collect();
    assert_eq!(ids.len(), 1, "{results:?}");
    assert_eq!(history_ids(&app, &ren, &chat).await.len(), 1);
    assert_eq!(unread(&app, &ren, &chat).await, 1);
}

#[tokio::test]
async fn a_client_id_over_64_characters_is_422_on_client_id() {
    let app = spawn_app().await;
    let (aiko, _ren, chat) = pair(&app).await;

    assert_invalid(
        post_message(
            &app,
            &aiko,
            &chat,
            &json!({"text": "x", "clientId": "c".repeat(65)}),
        )
        .await,
        "clientId",
    )
    .await;
    let ok = sent(
        &app,
        &aiko,
        &chat,
        json!({"text": "x", "clientId": "c".repeat(64)}),
    )
    .await;
    assert_eq!(ok["clientId"], "c".repeat(64));
}

// ---------------------------------------------------------------------------------------------
// Replies.
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn a_reply_carries_the_first_200_characters_of_the_original() {
    let app = spawn_app().await;
    let (aiko, ren, chat) = pair(&app).await;
    let long = "桜".repeat(150) + &"b".repeat(150);
    let original = say(&app, &aiko, &chat, &long).await;

    let reply = sent(
        &app,
        &ren,
        &chat,
        json!({"text": "Indeed", "replyToId": id(&original)}),
    )
    .await;

    let expected_excerpt = "桜".repeat(150) + &"b".repeat(50);
    assert_eq!(
        reply["replyTo"],
        json!({"id": id(&original), "senderId": aiko.id, "text": expected_excerpt, "deleted": false})
    );
    assert_eq!(
        in_history(&app, &aiko, &chat, &id(&reply)).await["replyTo"],
        reply["replyTo"]
    );
    // A short original is quoted whole.
    let short = say(&app, &aiko, &chat, "Shall we meet at Ueno?").await;
    let answer = sent(
        &app,
        &ren,
        &chat,
        json!({"text": "Yes", "replyToId": id(&short)}),
    )
    .await;
    assert_eq!(answer["replyTo"]["text"], "Shall we meet at Ueno?");
}

#[tokio::test]
async fn a_reply_to_a_message_deleted_since_shows_it_deleted_without_text() {
    let app = spawn_app().await;
    let (aiko, ren, chat) = pair(&app).await;
    let original = say(&app, &aiko, &chat, "Regrettable").await;
    let reply = sent(
        &app,
        &ren,
        &chat,
        json!({"text": "Hm", "replyToId": id(&original)}),
    )
    .await;

    assert_no_content(delete_message(&app, &aiko, &chat, &id(&original)).await).await;

    let seen = in_history(&app, &ren, &chat, &id(&reply)).await;
    assert_eq!(
        seen["replyTo"],
        json!({"id": id(&original), "senderId": aiko.id, "text": null, "deleted": true})
    );
    assert_eq!(seen["text"], "Hm");
}

#[tokio::test]
async fn replying_to_a_message_of_another_chat_or_an_unknown_one_is_422_on_reply_to_id() {
    let app = spawn_app().await;
    let (aiko, ren, chat) = pair(&app).await;
    let mei = person(&app, "Mei", "Ito").await;
    let other_chat = id(&direct(&app, &aiko, &mei).await);
    let elsewhere = say(&app, &aiko, &other_chat, "Other chat").await;

    for reply_to in [
        id(&elsewhere),
        Uuid::now_v7().to_string(),
        "not-a-uuid".to_owned(),
    ] {
        assert_invalid(
            post_message(
                &app,
                &ren,
                &chat,
                &json!({"text": "Re", "replyToId": reply_to}),
            )
            .await,
            "replyToId",
        )
        .await;
    }
}

#[tokio::test]
async fn replying_to_a_message_sent_before_i_joined_is_422_on_reply_to_id() {
    let app = spawn_app().await;
    let aiko = person(&app, "Aiko", "Tanaka").await;
    let ren = person(&app, "Ren", "Sato").await;
    let late = person(&app, "Mei", "Ito").await;
    let chat = id(&group(&app, &aiko, "Tea", &[&ren]).await);
    let before = say(&app, &aiko, &chat, "Before Mei").await;
    added(&app, &aiko, &chat, &late).await;
    let after = say(&app, &aiko, &chat, "After Mei").await;

    assert_invalid(
        post_message(
            &app,
            &late,
            &chat,
            &json!({"text": "Re", "replyToId": id(&before)}),
        )
        .await,
        "replyToId",
    )
    .await;
    let ok = sent(
        &app,
        &late,
        &chat,
        json!({"text": "Re", "replyToId": id(&after)}),
    )
    .await;
    assert_eq!(ok["replyTo"]["id"], id(&after).as_str());
    // Ren was there: he may.
    sent(
        &app,
        &ren,
        &chat,
        json!({"text": "Re", "replyToId": id(&before)}),
    )
    .await;
}

// ---------------------------------------------------------------------------------------------
// Editing and deleting.
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn editing_my_message_answers_200_with_the_new_text_and_edited_at() {
    let app = spawn_app().await;
    let (aiko, ren, chat) = pair(&app).await;
    let message = say(&app, &aiko, &chat, "See you at five").await;

    let edited = json_with(
        edit(&app, &aiko, &chat, &id(&message), "  See you at six 🌸 ").await,
        200,
    )
    .await;

    assert_eq!(id(&edited), id(&message));
    assert_eq!(edited["text"], "See you at six 🌸");
    assert!(edited["editedAt"].is_string(), "{edited}");
    assert!(timestamp(&edited, "editedAt") >= timestamp(&message, "createdAt"));
    assert_eq!(edited["createdAt"], message["createdAt"]);
    assert_eq!(edited["senderId"], aiko.id.as_str());
    assert_eq!(in_history(&app, &ren, &chat, &id(&message)).await, edited);
}

#[tokio::test]
async fn editing_someone_elses_message_is_403_forbidden() {
    let app = spawn_app().await;
    let (aiko, ren, chat) = pair(&app).await;
    let message = say(&app, &aiko, &chat, "Mine").await;

    assert_problem(
        edit(&app, &ren, &chat, &id(&message), "Ours").await,
        403,
        "forbidden",
    )
    .await;

    let kept = in_history(&app, &aiko, &chat, &id(&message)).await;
    assert_eq!(kept["text"], "Mine");
    assert!(kept["editedAt"].is_null());
}

#[tokio::test]
async fn editing_a_deleted_or_unknown_message_is_404_message_not_found() {
    let app = spawn_app().await;
    let (aiko, _ren, chat) = pair(&app).await;
    let message = say(&app, &aiko, &chat, "Soon gone").await;
    assert_no_content(delete_message(&app, &aiko, &chat, &id(&message)).await).await;

    assert_problem(
        edit(&app, &aiko, &chat, &id(&message), "Back").await,
        404,
        "message_not_found",
    )
    .await;
    assert_problem(
        edit(&app, &aiko, &chat, &Uuid::now_v7().to_string(), "Who").await,
        404,
        "message_not_found",
    )
    .await;
    assert!(in_history(&app, &aiko, &chat, &id(&message)).await["text"].is_null());
}

#[tokio::test]
async fn a_message_of_another_chat_is_404_message_not_found_in_this_one() {
    let app = spawn_app().await;
    let (aiko, ren, chat) = pair(&app).await;
    let mei = person(&app, "Mei", "Ito").await;
    let other_chat = id(&direct(&app, &aiko, &mei).await);
    let elsewhere = say(&app, &aiko, &other_chat, "Other chat").await;

    assert_problem(
        edit(&app, &aiko, &chat, &id(&elsewhere), "Moved?").await,
        404,
        "message_not_found",
    )
    .await;
    assert_problem(
        delete_message(&app, &aiko, &chat, &id(&elsewhere)).await,
        404,
        "message_not_found",
    )
    .await;
    assert_problem(
        react(&app, &ren, &chat, &id(&elsewhere), "👍").await,
        404,
        "message_not_found",
    )
    .await;
    assert_eq!(
        in_history(&app, &mei, &other_chat, &id(&elsewhere)).await["text"],
        "Other chat"
    );
}

#[tokio::test]
async fn an_edit_to_blank_too_long_or_control_text_is_422_on_text() {
    let app = spawn_app().await;
    let (aiko, _ren, chat) = pair(&app).await;
    let message = id(&say(&app, &aiko, &chat, "Keep me").await);

    for text in ["", "   ", "\u{7}", &"a".repeat(4001)] {
        assert_invalid(edit(&app, &aiko, &chat, &message, text).await, "text").await;
    }
    assert_invalid(
        send_json(
            &app,
            Method::PATCH,
            &message_path(&chat, &message),
            &json!({}),
            &aiko,
        )
        .await,
        "text",
    )
    .await;
    let kept = in_history(&app, &aiko, &chat, &message).await;
    assert_eq!(kept["text"], "Keep me");
    assert!(kept["editedAt"].is_null());
}

#[tokio::test]
async fn deleting_my_message_leaves_a_marker_in_its_place() {
    let app = spawn_app().await;
    let (aiko, ren, chat) = pair(&app).await;
    let photo = id_of(&upload_png(&app, &aiko).await);
    let before = say(&app, &aiko, &chat, "Before").await;
    let doomed = sent(
        &app,
        &aiko,
        &chat,
        json!({"text": "Oops", "photoIds": [photo]}),
    )
    .await;
    reacted(&app, &ren, &chat, &id(&doomed), "😮").await;
    let after = say(&app, &ren, &chat, "After").await;

    assert_no_content(delete_message(&app, &aiko, &chat, &id(&doomed)).await).await;

    assert_eq!(
        history_ids(&app, &ren, &chat).await,
        [id(&after), id(&doomed), id(&before)]
    );
    let marker = in_history(&app, &ren, &chat, &id(&doomed)).await;
    assert_eq!(marker["deleted"], true);
    assert!(marker["text"].is_null(), "{marker}");
    assert_eq!(marker["photos"], json!([]));
    assert_eq!(marker["reactions"], json!([]));
    assert_eq!(marker["senderId"], aiko.id.as_str());
    assert_eq!(marker["createdAt"], doomed["createdAt"]);
}

#[tokio::test]
async fn deleting_someone_elses_message_is_403_forbidden() {
    let app = spawn_app().await;
    let (aiko, ren, chat) = pair(&app).await;
    let message = say(&app, &aiko, &chat, "Mine").await;

    assert_problem(
        delete_message(&app, &ren, &chat, &id(&message)).await,
        403,
        "forbidden",
    )
    .await;
    assert_problem(
        delete_message(&app, &aiko, &chat, &Uuid::now_v7().to_string()).await,
        404,
        "message_not_found",
    )
    .await;
    assert_eq!(
        in_history(&app, &aiko, &chat, &id(&message)).await["deleted"],
        false
    );
}

#[tokio::test]
async fn a_deleted_last_message_shows_as_a_marker_in_the_chat() {
    let app = spawn_app().await;
    let (aiko, ren, chat) = pair(&app).await;
    let message = say(&app, &aiko, &chat, "Secret").await;

    assert_no_content(delete_message(&app, &aiko, &chat, &id(&message)).await).await;

    let seen = chat_ok(&app, &ren, &chat).await;
    let last = &seen["lastMessage"];
    assert_eq!(last["id"], id(&message).as_str(), "{seen}");
    assert_eq!(last["deleted"], true, "{seen}");
    assert!(last["text"].is_null(), "{seen}");
    assert!(!seen.to_string().contains("Secret"), "{seen}");
}

// ---------------------------------------------------------------------------------------------
// History.
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn history_is_newest_first_20_a_page_and_pages_through_every_message_once() {
    let app = spawn_app().await;
    let (aiko, ren, chat) = pair(&app).await;
    let mut sent_ids = Vec::new();
    for (i, text) in numbered(25).iter().enumerate() {
        let sender = if i % 3 == 0 { &ren } else { &aiko };
        sent_ids.push(id(&say(&app, sender, &chat, text).await));
    }
    let newest_first: Vec<String> = sent_ids.iter().rev().cloned().collect();

    let first = history(&app, &aiko, &chat).await;
    assert_eq!(item_ids(&first), newest_first[..20]);
    assert!(first["nextCursor"].is_string(), "{first}");

    for limit in [1, 7, 25, 100] {
        let all = all_pages(&app, &messages_path(&chat), &ren, limit).await;
        let ids: Vec<String> = all.iter().map(id).collect();
        assert_eq!(ids, newest_first, "limit {limit}");
    }
}

#[tokio::test]
async fn paging_back_while_messages_arrive_neither_repeats_nor_skips() {
    let app = spawn_app().await;
    let (aiko, ren, chat) = pair(&app).await;
    let old: Vec<String> = say_all(&app, &aiko, &chat, &numbered(10))
        .await
        .iter()
        .map(id)
        .collect();

    let page1 = get_ok(&app, &format!("{}?limit=4", messages_path(&chat)), &ren).await;
    assert_eq!(
        item_ids(&page1),
        old[6..].iter().rev().cloned().collect::<Vec<_>>()
    );
    let mut cursor = page1["nextCursor"].as_str().expect("a cursor").to_owned();
    say_all(&app, &aiko, &chat, &numbered(5)).await;

    let mut rest = Vec::new();
    loop {
        let page = get_ok(
            &app,
            &format!(
                "{}?limit=4&cursor={}",
                messages_path(&chat),
                encode(&cursor)
            ),
            &ren,
        )
        .await;
        rest.extend(item_ids(&page));
        match page["nextCursor"].as_str() {
            Some(next) => cursor = next.to_owned(),
            None => break,
        }
    }

    let expected: Vec<String> = old[..6].iter().rev().cloned().collect();
    assert_eq!(rest, expected);
}

#[tokio::test]
async fn a_member_added_later_sees_only_messages_since_joining() {
    let app = spawn_app().await;
    let aiko = person(&app, "Aiko", "Tanaka").await;
    let ren = person(&app, "Ren", "Sato").await;
    let late = person(&app, "Mei", "Ito").await;
    let chat = id(&group(&app, &aiko, "Tea", &[&ren]).await);
    say_all(&app, &aiko, &chat, &numbered(3)).await;

    added(&app, &ren, &chat, &late).await;
    let after = say(&app, &ren, &chat, "Welcome, Mei").await;

    assert_eq!(history_ids(&app, &late, &chat).await, [id(&after)]);
    assert_eq!(history_ids(&app, &aiko, &chat).await.len(), 4);
    let seen = chat_ok(&app, &late, &chat).await;
    assert_eq!(seen["lastMessage"]["id"], id(&after).as_str());
}

#[tokio::test]
async fn a_member_added_later_sees_an_empty_history_and_no_last_message() {
    let app = spawn_app().await;
    let aiko = person(&app, "Aiko", "Tanaka").await;
    let ren = person(&app, "Ren", "Sato").await;
    let late = person(&app, "Mei", "Ito").await;
    let chat = id(&group(&app, &aiko, "Tea", &[&ren]).await);
    say(&app, &aiko, &chat, "Before Mei").await;

    added(&app, &aiko, &chat, &late).await;

    let page = history(&app, &late, &chat).await;
    assert_eq!(page["items"], json!([]));
    assert!(page["nextCursor"].is_null());
    let seen = chat_ok(&app, &late, &chat).await;
    assert!(seen["lastMessage"].is_null(), "{seen}");
    assert_eq!(seen["unreadCount"], 0);
}

#[tokio::test]
async fn a_bad_limit_or_cursor_is_422() {
    let app = spawn_app().await;
    let (aiko, _ren, chat) = pair(&app).await;

    for query in ["limit=0", "limit=abc", "limit=-1", "cursor=garbage"] {
        let response = status_of(&app, &format!("{}?{query}", messages_path(&chat)), &aiko).await;
        assert_eq!(response, 422, "{query}");
    }
    // Above the maximum is the maximum, as on every list.
    let response = status_of(&app, &format!("{}?limit=101", messages_path(&chat)), &aiko).await;
    assert_eq!(response, 200);
}

/// The status of a GET as `me`.
async fn status_of(app: &TestApp, path: &str, me: &RegisteredUser) -> u16 {
    app.get(path, Some(&me.access_token))
        .await
        .status()
        .as_u16()
}

// ---------------------------------------------------------------------------------------------
// Reactions.
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn putting_a_reaction_answers_200_with_the_reactions_and_is_idempotent() {
    let app = spawn_app().await;
    let (aiko, ren, chat) = pair(&app).await;
    let message = id(&say(&app, &aiko, &chat, "Sakura!").await);

    let body = json_with(react(&app, &ren, &chat, &message, "👍").await, 200).await;
    assert_eq!(
        body,
        json!({"reactions": [{"emoji": "👍", "count": 1, "reactedByMe": true}]})
    );
    assert_eq!(
        reacted(&app, &ren, &chat, &message, "👍").await,
        [triple("👍", 1, true)]
    );
}

#[tokio::test]
async fn reactions_of_several_members_are_listed_most_used_first() {
    let app = spawn_app().await;
    let aiko = person(&app, "Aiko", "Tanaka").await;
    let others = people(&app, 3).await;
    let refs: Vec<&RegisteredUser> = others.iter().collect();
    let chat = id(&group(&app, &aiko, "Tea", &refs).await);
    let message = id(&say(&app, &aiko, &chat, "Vote").await);

    reacted(&app, &aiko, &chat, &message, "🎉").await;
    reacted(&app, &others[0], &chat, &message, "❤️").await;
    reacted(&app, &others[1], &chat, &message, "❤️").await;
    let seen = reacted(&app, &others[2], &chat, &message, "🎉").await;
    assert_eq!(seen.len(), 2, "{seen:?}");
    let more = reacted(&app, &others[2], &chat, &message, "❤️").await;

    // Moving others[2] from 🎉 to ❤️ makes ❤️ 3, 🎉 1.
    assert_eq!(more, [triple("❤️", 3, true), triple("🎉", 1, false)]);
    let mine = in_history(&app, &aiko, &chat, &message).await;
    assert_eq!(
        reaction_triples(&mine["reactions"]),
        [triple("❤️", 3, false), triple("🎉", 1, true)]
    );
}

#[tokio::test]
async fn a_second_members_different_emoji_is_listed_beside_the_first() {
    let app = spawn_app().await;
    let (aiko, ren, chat) = pair(&app).await;
    let message = id(&say(&app, &aiko, &chat, "Both").await);

    reacted(&app, &aiko, &chat, &message, "👍").await;
    let both = reacted(&app, &ren, &chat, &message, "😂").await;

    let mut sorted = both;
    sorted.sort();
    let mut expected = vec![triple("👍", 1, false), triple("😂", 1, true)];
    expected.sort();
    assert_eq!(sorted, expected);
}

#[tokio::test]
async fn putting_another_emoji_replaces_mine() {
    let app = spawn_app().await;
    let (aiko, ren, chat) = pair(&app).await;
    let message = id(&say(&app, &aiko, &chat, "Hmm").await);

    reacted(&app, &ren, &chat, &message, "👍").await;
    let replaced = reacted(&app, &ren, &chat, &message, "🔥").await;

    assert_eq!(replaced, [triple("🔥", 1, true)]);
    let seen = in_history(&app, &aiko, &chat, &message).await;
    assert_eq!(
        reaction_triples(&seen["reactions"]),
        [triple("🔥", 1, false)]
    );
}

#[tokio::test]
async fn removing_my_reaction_answers_200_without_it_and_is_idempotent() {
    let app = spawn_app().await;
    let (aiko, ren, chat) = pair(&app).await;
    let message = id(&say(&app, &aiko, &chat, "Hmm").await);
    reacted(&app, &ren, &chat, &message, "👍").await;
    reacted(&app, &aiko, &chat, &message, "😂").await;

    let after = json_with(unreact(&app, &ren, &chat, &message, "👍").await, 200).await;
    assert_eq!(
        reaction_triples(&after["reactions"]),
        [triple("😂", 1, false)]
    );

    // I have none left: nothing changes.
    let again = json_with(unreact(&app, &ren, &chat, &message, "👍").await, 200).await;
    assert_eq!(again, after);
    // Removing an emoji I did not put leaves the other member's.
    let other = json_with(unreact(&app, &ren, &chat, &message, "😂").await, 200).await;
    assert_eq!(
        reaction_triples(&other["reactions"]),
        [triple("😂", 1, false)]
    );
    let seen = in_history(&app, &aiko, &chat, &message).await;
    assert_eq!(
        reaction_triples(&seen["reactions"]),
        [triple("😂", 1, true)]
    );
}

#[tokio::test]
async fn emoji_with_skin_tones_vs16_zwj_and_flags_count_as_one() {
    let app = spawn_app().await;
    let (aiko, ren, chat) = pair(&app).await;
    let message = id(&say(&app, &aiko, &chat, "Many forms").await);

    for emoji in ["👍🏽", "❤️", "👩‍💻", "🇯🇵", "👨‍👩‍👧‍👦", "🏳️‍🌈", "1️⃣", "🌸"]
    {
        assert_eq!(
            reacted(&app, &ren, &chat, &message, emoji).await,
            [triple(emoji, 1, true)],
            "{emoji}"
        );
    }
}

#[tokio::test]
async fn anything_but_exactly_one_emoji_is_422() {
    let app = spawn_app().await;
    let (aiko, ren, chat) = pair(&app).await;
    let message = id(&say(&app, &aiko, &chat, "Pick one").await);

    for not_one in ["ab", "👍👍", "x", "👍a", " ", "🇯", "😀 ", "あ", "%"] {
        let response = react(&app, &ren, &chat, &message, not_one).await;
        assert_eq!(response.status().as_u16(), 422, "{not_one:?}");
        assert_problem(response, 422, "validation_failed").await;
    }
    assert_eq!(
        in_history(&app, &ren, &chat, &message).await["reactions"],
        json!([])
    );
}

#[tokio::test]
async fn an_empty_emoji_is_refused() {
    let app = spawn_app().await;
    let (aiko, ren, chat) = pair(&app).await;
    let message = id(&say(&app, &aiko, &chat, "Nothing").await);

    let response = react(&app, &ren, &chat, &message, "").await;

    // `/reactions/` names no emoji: refused as invalid (or as no such resource).
    let status = response.status().as_u16();
    assert!(status == 422 || status == 404, "{status}");
    assert_eq!(
        in_history(&app, &ren, &chat, &message).await["reactions"],
        json!([])
    );
}

#[tokio::test]
async fn a_deleted_message_takes_no_reaction() {
    let app = spawn_app().await;
    let (aiko, ren, chat) = pair(&app).await;
    let message = id(&say(&app, &aiko, &chat, "Gone").await);
    reacted(&app, &ren, &chat, &message, "👍").await;
    assert_no_content(delete_message(&app, &aiko, &chat, &message).await).await;

    assert_problem(
        react(&app, &ren, &chat, &message, "😢").await,
        404,
        "message_not_found",
    )
    .await;
    assert_problem(
        unreact(&app, &ren, &chat, &message, "👍").await,
        404,
        "message_not_found",
    )
    .await;
    assert_problem(
        react(&app, &ren, &chat, &Uuid::now_v7().to_string(), "👍").await,
        404,
        "message_not_found",
    )
    .await;
}

#[tokio::test]
async fn a_21st_distinct_emoji_is_409_too_many_reactions() {
    let app = spawn_app().await;
    let creator = person(&app, "Aiko", "Tanaka").await;
    let others = people(&app, 21).await;
    let refs: Vec<&RegisteredUser> = others.iter().collect();
    let chat = id(&group(&app, &creator, "Emoji party", &refs).await);
    let message = id(&say(&app, &creator, &chat, "React!").await);
    let emoji = [
        "😀", "😂", "😍", "😎", "😭", "😡", "👍", "👎", "🙏", "👏", "🔥", "🎉", "💯", "🌸", "🍣",
        "🗼", "🐱", "🐶", "🍺", "⚽", "🚀",
    ];

    for (member, e) in others.iter().zip(emoji.iter()).take(20) {
        reacted(&app, member, &chat, &message, e).await;
    }

    assert_problem(
        react(&app, &others[20], &chat, &message, emoji[20]).await,
        409,
        "too_many_reactions",
    )
    .await;
    // One of the 20 is still open to anyone.
    let joined = reacted(&app, &others[20], &chat, &message, emoji[0]).await;
    assert_eq!(joined.len(), 20);
    assert_eq!(joined[0], triple(emoji[0], 2, true));
    // A new emoji from someone else is still a 21st.
    assert_problem(
        react(&app, &creator, &chat, &message, emoji[20]).await,
        409,
        "too_many_reactions",
    )
    .await;
    // But the only holder of an emoji swapping it for a new one leaves 20 distinct: allowed.
    let swapped = reacted(&app, &others[1], &chat, &message, emoji[20]).await;
    assert_eq!(swapped.len(), 20, "{swapped:?}");
    assert!(swapped.contains(&triple(emoji[20], 1, true)), "{swapped:?}");
    assert!(
        !swapped.iter().any(|(e, _, _)| e == emoji[1]),
        "{swapped:?}"
    );
}

#[tokio::test]
async fn ten_members_reacting_at_once_count_ten() {
    let app = spawn_app().await;
    let creator = person(&app, "Aiko", "Tanaka").await;
    let others = people(&app, 10).await;
    let refs: Vec<&RegisteredUser> = others.iter().collect();
    let chat = id(&group(&app, &creator, "Race", &refs).await);
    let message = id(&say(&app, &creator, &chat, "Race me").await);

    let statuses = join_all(others.iter().map(|m| async {
        react(&app, m, &chat, &message, "🔥")
            .await
            .status()
            .as_u16()
    }))
    .await;

    assert!(statuses.iter().all(|s| *s == 200), "{statuses:?}");
    let seen = in_history(&app, &creator, &chat, &message).await;
    assert_eq!(
        reaction_triples(&seen["reactions"]),
        [triple("🔥", 10, false)]
    );
    let theirs = in_history(&app, &others[3], &chat, &message).await;
    assert_eq!(
        reaction_triples(&theirs["reactions"]),
        [triple("🔥", 10, true)]
    );
}

// ---------------------------------------------------------------------------------------------
// Read markers and unread counts.
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn unread_counts_others_messages_after_my_marker_and_reading_lowers_it() {
    let app = spawn_app().await;
    let (aiko, ren, chat) = pair(&app).await;
    let sent: Vec<String> = say_all(&app, &ren, &chat, &numbered(3))
        .await
        .iter()
        .map(id)
        .collect();
    say(&app, &aiko, &chat, "My own does not count").await;
    assert_eq!(unread(&app, &aiko, &chat).await, 3);
    assert_eq!(unread(&app, &ren, &chat).await, 1);

    assert_no_content(mark_read(&app, &aiko, &chat, &sent[1]).await).await;
    assert_eq!(unread(&app, &aiko, &chat).await, 1);
    assert_eq!(my_chats(&app, &aiko).await["items"][0]["unreadCount"], 1);

    assert_no_content(mark_read(&app, &aiko, &chat, &sent[2]).await).await;
    assert_eq!(unread(&app, &aiko, &chat).await, 0);
    assert_eq!(
        unread(&app, &ren, &chat).await,
        1,
        "Ren's marker did not move"
    );
}

#[tokio::test]
async fn reading_up_to_my_own_message_reads_everything_before_it() {
    let app = spawn_app().await;
    let (aiko, ren, chat) = pair(&app).await;
    say_all(&app, &ren, &chat, &numbered(2)).await;
    let mine = say(&app, &aiko, &chat, "Replying").await;
    say(&app, &ren, &chat, "And one more").await;

    assert_no_content(mark_read(&app, &aiko, &chat, &id(&mine)).await).await;

    assert_eq!(unread(&app, &aiko, &chat).await, 1);
}

#[tokio::test]
async fn moving_the_read_marker_back_changes_nothing() {
    let app = spawn_app().await;
    let (aiko, ren, chat) = pair(&app).await;
    let sent: Vec<String> = say_all(&app, &ren, &chat, &numbered(4))
        .await
        .iter()
        .map(id)
        .collect();
    assert_no_content(mark_read(&app, &aiko, &chat, &sent[2]).await).await;
    assert_eq!(unread(&app, &aiko, &chat).await, 1);

    assert_no_content(mark_read(&app, &aiko, &chat, &sent[0]).await).await;

    assert_eq!(unread(&app, &aiko, &chat).await, 1);
}

#[tokio::test]
async fn marking_read_an_unknown_or_another_chats_message_is_404_message_not_found() {
    let app = spawn_app().await;
    let (aiko, ren, chat) = pair(&app).await;
    let mei = person(&app, "Mei", "Ito").await;
    let other_chat = id(&direct(&app, &aiko, &mei).await);
    let elsewhere = id(&say(&app, &mei, &other_chat, "Elsewhere").await);
    say(&app, &ren, &chat, "Unread").await;

    assert_problem(
        mark_read(&app, &aiko, &chat, &Uuid::now_v7().to_string()).await,
        404,
        "message_not_found",
    )
    .await;
    assert_problem(
        mark_read(&app, &aiko, &chat, &elsewhere).await,
        404,
        "message_not_found",
    )
    .await;
    assert_eq!(unread(&app, &aiko, &chat).await, 1);
    assert_eq!(unread(&app, &aiko, &other_chat).await, 1);
}

#[tokio::test]
async fn a_malformed_or_missing_message_id_on_read_is_422() {
    let app = spawn_app().await;
    let (aiko, _ren, chat) = pair(&app).await;

    assert_invalid(
        mark_read(&app, &aiko, &chat, "not-a-uuid").await,
        "messageId",
    )
    .await;
    assert_invalid(
        send_json(&app, Method::POST, &read_path(&chat), &json!({}), &aiko).await,
        "messageId",
    )
    .await;
}

#[tokio::test]
async fn the_unread_messages_count_is_the_sum_over_my_chats() {
    let app = spawn_app().await;
    let aiko = person(&app, "Aiko", "Tanaka").await;
    let ren = person(&app, "Ren", "Sato").await;
    let mei = person(&app, "Mei", "Ito").await;
    let one = id(&direct(&app, &aiko, &ren).await);
    let two = id(&group(&app, &mei, "Tea", &[&aiko, &ren]).await);
    assert_eq!(unread_messages(&app, &aiko).await, 0);

    say_all(&app, &ren, &one, &numbered(2)).await;
    say(&app, &mei, &two, "Tea?").await;
    let last = say(&app, &ren, &two, "Yes").await;
    say(&app, &aiko, &two, "Mine").await;

    assert_eq!(unread_messages(&app, &aiko).await, 4);
    assert_eq!(unread_messages(&app, &ren).await, 2);
    assert_eq!(unread_messages(&app, &mei).await, 2);
    let counts = get_ok(&app, "/api/v1/notifications/unread-count", &aiko).await;
    assert!(counts["notifications"].is_u64(), "{counts}");

    assert_no_content(mark_read(&app, &aiko, &two, &id(&last)).await).await;
    assert_eq!(unread_messages(&app, &aiko).await, 2);
}

#[tokio::test]
async fn a_member_added_later_does_not_count_earlier_messages_as_unread() {
    let app = spawn_app().await;
    let aiko = person(&app, "Aiko", "Tanaka").await;
    let ren = person(&app, "Ren", "Sato").await;
    let late = person(&app, "Mei", "Ito").await;
    let chat = id(&group(&app, &aiko, "Tea", &[&ren]).await);
    say_all(&app, &aiko, &chat, &numbered(5)).await;

    added(&app, &aiko, &chat, &late).await;
    assert_eq!(unread(&app, &late, &chat).await, 0);
    assert_eq!(unread_messages(&app, &late).await, 0);

    say(&app, &ren, &chat, "Hi Mei").await;
    assert_eq!(unread(&app, &late, &chat).await, 1);
    assert_eq!(unread_messages(&app, &late).await, 1);
    assert_eq!(unread(&app, &ren, &chat).await, 5);
}

#[tokio::test]
async fn a_deleted_unread_message_is_not_counted_or_is_counted_consistently() {
    let app = spawn_app().await;
    let (aiko, ren, chat) = pair(&app).await;
    say(&app, &ren, &chat, "One").await;
    let two = say(&app, &ren, &chat, "Two").await;
    let before = unread(&app, &aiko, &chat).await;
    assert_eq!(before, 2);

    assert_no_content(delete_message(&app, &ren, &chat, &id(&two)).await).await;

    // The contract leaves it open whether a marker counts; the two views must agree.
    let after = unread(&app, &aiko, &chat).await;
    assert!(after == 1 || after == 2, "{after}");
    assert_eq!(unread_messages(&app, &aiko).await, after);
}

#[tokio::test]
async fn only_a_member_may_mark_read_and_a_removed_member_cannot_react() {
    let app = spawn_app().await;
    let aiko = person(&app, "Aiko", "Tanaka").await;
    let ren = person(&app, "Ren", "Sato").await;
    let chat = id(&group(&app, &aiko, "Tea", &[&ren]).await);
    let message = id(&say(&app, &aiko, &chat, "Hi").await);
    assert_no_content(remove_member(&app, &aiko, &chat, &ren.id).await).await;

    assert_problem(
        mark_read(&app, &ren, &chat, &message).await,
        404,
        "chat_not_found",
    )
    .await;
    assert_problem(
        react(&app, &ren, &chat, &message, "👍").await,
        404,
        "chat_not_found",
    )
    .await;
    assert_problem(
        add_member(&app, &ren, &chat, &ren.id).await,
        404,
        "chat_not_found",
    )
    .await;
}

/// To someone outside the chat it does not exist, whatever they send: a bad body or emoji is
/// 404 for them, and 422 only for a member.
#[tokio::test]
async fn a_bad_body_from_outside_the_chat_is_404_and_422_only_for_a_member() {
    let app = spawn_app().await;
    let (aiko, _ren, chat) = pair(&app).await;
    let kenji = person(&app, "Kenji", "Mori").await;
    let message = id(&say(&app, &aiko, &chat, "Hi").await);
    let long = "x".repeat(4001);
    let requests = [
        (Method::POST, messages_path(&chat), json!({"text": long})),
        (Method::POST, messages_path(&chat), json!({})),
        (
            Method::PATCH,
            message_path(&chat, &message),
            json!({"text": "  "}),
        ),
        (
            Method::POST,
            read_path(&chat),
            json!({"messageId": "not-an-id"}),
        ),
        (
            Method::PATCH,
            crate::chats_support::chat_path(&chat),
            json!({}),
        ),
    ];
    for (method, path, body) in &requests {
        assert_problem(
            send_json(&app, method.clone(), path, body, &kenji).await,
            404,
            "chat_not_found",
        )
        .await;
        assert_eq!(
            send_json(&app, method.clone(), path, body, &aiko)
                .await
                .status()
                .as_u16(),
            422,
            "{method} {path} {body}"
        );
    }
    assert_problem(
        react(&app, &kenji, &chat, &message, "abc").await,
        404,
        "chat_not_found",
    )
    .await;
    assert_eq!(
        react(&app, &aiko, &chat, &message, "abc")
            .await
            .status()
            .as_u16(),
        422
    );
    assert_eq!(item_ids(&history(&app, &aiko, &chat).await), vec![message]);
}
