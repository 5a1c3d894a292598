//! Message search: any script, word prefixes, every word must match, only what I can see (my
//! chats, since I joined, not deleted), `chatId`, validation and pages.

use std::collections::HashSet;

use serde_json::Value;
use uuid::Uuid;

use crate::assert_problem;
use crate::chats_support::{
    added, assert_invalid, delete_message, direct, edit, found, group, id, item_ids, remove_member,
    say, search,
};
use crate::people_support::{all_pages, assert_no_content, json_with, person};
use crate::support::{RegisteredUser, TestApp, spawn_app};

/// Two people in a direct chat: `(aiko, ren, chat id)`.
async fn pair(app: &TestApp) -> (RegisteredUser, RegisteredUser, String) {
    let aiko = person(app, "Aiko", "Tanaka").await;
    let ren = person(app, "Ren", "Sato").await;
    let chat = id(&direct(app, &aiko, &ren).await);
    (aiko, ren, chat)
}

/// The ids found for `q` as `me` within `chat`, expecting 200.
async fn found_in(app: &TestApp, me: &RegisteredUser, q: &str, chat: &str) -> Vec<String> {
    item_ids(&json_with(search(app, me, q, Some(chat)).await, 200).await)
}

#[tokio::test]
async fn a_latin_word_finds_the_message_as_a_message() {
    let app = spawn_app().await;
    let (aiko, ren, chat) = pair(&app).await;
    let hit = say(&app, &aiko, &chat, "Shall we meet at Ueno park?").await;
    say(&app, &aiko, &chat, "Something else entirely").await;

    let page = json_with(search(&app, &ren, "ueno", None).await, 200).await;

    assert_eq!(item_ids(&page), [id(&hit)]);
    assert!(page["nextCursor"].is_null());
    let item = &page["items"][0];
    assert_eq!(item["chatId"], chat.as_str());
    assert_eq!(item["senderId"], aiko.id.as_str());
    assert_eq!(item["text"], "Shall we meet at Ueno park?");
    assert_eq!(item["deleted"], false);
    assert_eq!(found(&app, &aiko, "Ueno").await, [id(&hit)]);
}

#[tokio::test]
async fn search_is_case_insensitive_in_any_case_and_script() {
    let app = spawn_app().await;
    let (aiko, ren, chat) = pair(&app).await;
    let latin = say(&app, &aiko, &chat, "Hanami at SHINJUKU Gyoen").await;
    let cyrillic = say(&app, &aiko, &chat, "Привет, как дела?").await;
    let greek = say(&app, &aiko, &chat, "Καλημέρα κόσμε").await;

    assert_eq!(found(&app, &ren, "shinjuku").await, [id(&latin)]);
    assert_eq!(found(&app, &ren, "HANAMI").await, [id(&latin)]);
    assert_eq!(found(&app, &ren, "привет").await, [id(&cyrillic)]);
    assert_eq!(found(&app, &ren, "ПРИВЕТ").await, [id(&cyrillic)]);
    assert_eq!(found(&app, &ren, "дела").await, [id(&cyrillic)]);
    assert_eq!(found(&app, &ren, "κόσμε").await, [id(&greek)]);
}

#[tokio::test]
async fn japanese_and_chinese_match_on_the_characters_typed() {
    let app = spawn_app().await;
    let (aiko, ren, chat) = pair(&app).await;
    let tower = say(&app, &aiko, &chat, "東京タワーで会いましょう").await;
    let chinese = say(&app, &aiko, &chat, "我们明天去北京").await;
    say(&app, &aiko, &chat, "大阪城へ行こう").await;

    assert_eq!(found(&app, &ren, "東京").await, [id(&tower)]);
    assert_eq!(found(&app, &ren, "タワー").await, [id(&tower)]);
    assert_eq!(found(&app, &ren, "東京タワー").await, [id(&tower)]);
    assert_eq!(found(&app, &ren, "北京").await, [id(&chinese)]);
    assert!(found(&app, &ren, "名古屋").await.is_empty());
}

#[tokio::test]
async fn a_word_prefix_matches() {
    let app = spawn_app().await;
    let (aiko, ren, chat) = pair(&app).await;
    let hit = say(&app, &aiko, &chat, "The sakura are blooming").await;
    let cyrillic = say(&app, &aiko, &chat, "Приветствую всех").await;

    assert_eq!(found(&app, &ren, "sakur").await, [id(&hit)]);
    assert_eq!(found(&app, &ren, "Bloom").await, [id(&hit)]);
    assert_eq!(found(&app, &ren, "привет").await, [id(&cyrillic)]);
    // A prefix, not any substring of a word.
    assert!(found(&app, &ren, "akura").await.is_empty());
}

#[tokio::test]
async fn every_word_of_the_query_must_match() {
    let app = spawn_app().await;
    let (aiko, ren, chat) = pair(&app).await;
    let both = say(&app, &aiko, &chat, "Picnic in Ueno on Sunday").await;
    let one = say(&app, &aiko, &chat, "Picnic in Yoyogi").await;

    assert_eq!(found(&app, &ren, "picnic ueno").await, [id(&both)]);
    assert_eq!(found(&app, &ren, "ueno  PICNIC").await, [id(&both)]);
    assert_eq!(found(&app, &ren, "picnic").await, [id(&one), id(&both)]);
    assert!(found(&app, &ren, "picnic shibuya").await.is_empty());
}

#[tokio::test]
async fn results_are_newest_first_across_my_chats() {
    let app = spawn_app().await;
    let (aiko, ren, chat) = pair(&app).await;
    let mei = person(&app, "Mei", "Ito").await;
    let other = id(&group(&app, &mei, "Tea", &[&aiko]).await);
    let first = say(&app, &ren, &chat, "matcha one").await;
    let second = say(&app, &mei, &other, "matcha two").await;
    let third = say(&app, &aiko, &chat, "matcha three").await;

    assert_eq!(
        found(&app, &aiko, "matcha").await,
        [id(&third), id(&second), id(&first)]
    );
    assert_eq!(found(&app, &ren, "matcha").await, [id(&third), id(&first)]);
    assert_eq!(found(&app, &mei, "matcha").await, [id(&second)]);
}

#[tokio::test]
async fn deleted_messages_are_never_found_and_edits_are_found_by_their_new_text() {
    let app = spawn_app().await;
    let (aiko, ren, chat) = pair(&app).await;
    let gone = say(&app, &aiko, &chat, "secret rendezvous").await;
    let changed = say(&app, &aiko, &chat, "meet at shibuya").await;

    assert_no_content(delete_message(&app, &aiko, &chat, &id(&gone)).await).await;
    json_with(
        edit(&app, &aiko, &chat, &id(&changed), "meet at harajuku").await,
        200,
    )
    .await;

    assert!(found(&app, &ren, "rendezvous").await.is_empty());
    assert!(found(&app, &aiko, "secret").await.is_empty());
    assert!(found(&app, &ren, "shibuya").await.is_empty());
    assert_eq!(found(&app, &ren, "harajuku").await, [id(&changed)]);
}

#[tokio::test]
async fn chats_i_am_not_in_are_never_searched() {
    let app = spawn_app().await;
    let (aiko, ren, chat) = pair(&app).await;
    let outsider = person(&app, "Kenji", "Mori").await;
    say(&app, &aiko, &chat, "okonomiyaki tonight").await;

    assert!(found(&app, &outsider, "okonomiyaki").await.is_empty());
    assert_eq!(found(&app, &ren, "okonomiyaki").await.len(), 1);
}

#[tokio::test]
async fn chats_i_left_or_was_removed_from_are_never_searched() {
    let app = spawn_app().await;
    let aiko = person(&app, "Aiko", "Tanaka").await;
    let ren = person(&app, "Ren", "Sato").await;
    let mei = person(&app, "Mei", "Ito").await;
    let chat = id(&group(&app, &aiko, "Tea", &[&ren, &mei]).await);
    say(&app, &aiko, &chat, "takoyaki party").await;
    assert_eq!(found(&app, &ren, "takoyaki").await.len(), 1);
    assert_eq!(found(&app, &mei, "takoyaki").await.len(), 1);

    assert_no_content(remove_member(&app, &ren, &chat, &ren.id).await).await;
    assert_no_content(remove_member(&app, &aiko, &chat, &mei.id).await).await;

    assert!(found(&app, &ren, "takoyaki").await.is_empty());
    assert!(found(&app, &mei, "takoyaki").await.is_empty());
    assert_eq!(found(&app, &aiko, "takoyaki").await.len(), 1);
}

#[tokio::test]
async fn messages_from_before_i_joined_are_never_found() {
    let app = spawn_app().await;
    let aiko = person(&app, "Aiko", "Tanaka").await;
    let ren = person(&app, "Ren", "Sato").await;
    let late = person(&app, "Mei", "Ito").await;
    let chat = id(&group(&app, &aiko, "Tea", &[&ren]).await);
    say(&app, &aiko, &chat, "onsen before Mei").await;
    added(&app, &aiko, &chat, &late).await;
    let after = say(&app, &aiko, &chat, "onsen after Mei").await;

    assert_eq!(found(&app, &late, "onsen").await, [id(&after)]);
    assert_eq!(found(&app, &ren, "onsen").await.len(), 2);
}

#[tokio::test]
async fn after_rejoining_only_messages_since_the_new_join_are_found() {
    let app = spawn_app().await;
    let aiko = person(&app, "Aiko", "Tanaka").await;
    let ren = person(&app, "Ren", "Sato").await;
    let chat = id(&group(&app, &aiko, "Tea", &[&ren]).await);
    say(&app, &aiko, &chat, "ramen first time").await;
    assert_no_content(remove_member(&app, &aiko, &chat, &ren.id).await).await;
    say(&app, &aiko, &chat, "ramen while away").await;
    added(&app, &aiko, &chat, &ren).await;
    let back = say(&app, &aiko, &chat, "ramen once back").await;

    assert_eq!(found(&app, &ren, "ramen").await, [id(&back)]);
}

#[tokio::test]
async fn chat_id_narrows_the_search_to_one_chat() {
    let app = spawn_app().await;
    let (aiko, ren, chat) = pair(&app).await;
    let mei = person(&app, "Mei", "Ito").await;
    let other = id(&direct(&app, &aiko, &mei).await);
    let here = say(&app, &ren, &chat, "sushi here").await;
    let there = say(&app, &mei, &other, "sushi there").await;

    assert_eq!(found_in(&app, &aiko, "sushi", &chat).await, [id(&here)]);
    assert_eq!(found_in(&app, &aiko, "sushi", &other).await, [id(&there)]);
    assert_eq!(found(&app, &aiko, "sushi").await.len(), 2);
}

#[tokio::test]
async fn a_chat_id_of_a_chat_i_am_not_in_is_404_chat_not_found() {
    let app = spawn_app().await;
    let (aiko, _ren, chat) = pair(&app).await;
    let outsider = person(&app, "Kenji", "Mori").await;
    say(&app, &aiko, &chat, "udon").await;

    assert_problem(
        search(&app, &outsider, "udon", Some(&chat)).await,
        404,
        "chat_not_found",
    )
    .await;
    assert_problem(
        search(&app, &aiko, "udon", Some(&Uuid::now_v7().to_string())).await,
        404,
        "chat_not_found",
    )
    .await;
}

#[tokio::test]
async fn a_left_chat_given_as_chat_id_is_404_chat_not_found() {
    let app = spawn_app().await;
    let aiko = person(&app, "Aiko", "Tanaka").await;
    let ren = person(&app, "Ren", "Sato").await;
    let chat = id(&group(&app, &aiko, "Tea", &[&ren]).await);
    say(&app, &aiko, &chat, "soba").await;
    assert_no_content(remove_member(&app, &ren, &chat, &ren.id).await).await;

    assert_problem(
        search(&app, &ren, "soba", Some(&chat)).await,
        404,
        "chat_not_found",
    )
    .await;
}

#[tokio::test]
async fn a_missing_or_blank_query_is_422_on_q() {
    let app = spawn_app().await;
    let (aiko, _ren, chat) = pair(&app).await;
    say(&app, &aiko, &chat, "anything").await;

    for path in [
        "/api/v1/messages/search".to_owned(),
        "/api/v1/messages/search?q=".to_owned(),
        "/api/v1/messages/search?q=%20%20".to_owned(),
        format!("/api/v1/messages/search?chatId={chat}"),
    ] {
        let response = app.get(&path, Some(&aiko.access_token)).await;
        assert_invalid(response, "q").await;
    }
}

#[tokio::test]
async fn a_malformed_chat_id_is_refused() {
    let app = spawn_app().await;
    let (aiko, _ren, _chat) = pair(&app).await;

    let response = search(&app, &aiko, "hello", Some("not-a-uuid")).await;

    assert_invalid(response, "chatId").await;
}

#[tokio::test]
async fn search_results_page_through_every_match_once() {
    let app = spawn_app().await;
    let (aiko, ren, chat) = pair(&app).await;
    let mut hits = Vec::new();
    for i in 0..12 {
        hits.push(id(
            &say(&app, &aiko, &chat, &format!("kaiseki course {i}")).await
        ));
        say(&app, &ren, &chat, &format!("unrelated {i}")).await;
    }
    hits.reverse();

    let first = json_with(search(&app, &ren, "kaiseki", None).await, 200).await;
    let all: Vec<Value> = all_pages(&app, "/api/v1/messages/search?q=kaiseki", &ren, 5).await;
    let ids: Vec<String> = all.iter().map(id).collect();

    assert_eq!(item_ids(&first), hits);
    assert_eq!(ids, hits);
    assert_eq!(ids.iter().collect::<HashSet<_>>().len(), 12);
    let narrowed = all_pages(
        &app,
        &format!("/api/v1/messages/search?q=kaiseki&chatId={chat}"),
        &ren,
        4,
    )
    .await;
    assert_eq!(narrowed.iter().map(id).collect::<Vec<_>>(), hits);
}

#[tokio::test]
async fn punctuation_and_emoji_in_the_query_do_not_break_it() {
    let app = spawn_app().await;
    let (aiko, ren, chat) = pair(&app).await;
    let hit = say(&app, &aiko, &chat, "Let's go to the izakaya! 🍺").await;

    assert_eq!(found(&app, &ren, "izakaya!").await, [id(&hit)]);
    assert_eq!(found(&app, &ren, "let's izakaya").await, [id(&hit)]);
    // Operators of a query language are plain text here.
    for q in [
        "izakaya & | !",
        "izakaya:*",
        "'izakaya'",
        "izakaya (",
        "izakaya \\",
    ] {
        let response = search(&app, &ren, q, None).await;
        assert_eq!(response.status().as_u16(), 200, "{q}");
    }
}
