//! Chats: direct chats (one per pair, privacy and blocks), groups (create, rename, add, remove,
//! leave, hand-over, deletion), what outsiders and removed members see, `GET /chats` and 401s.

use std::collections::HashSet;

use futures_util::future::join_all;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use uuid::Uuid;

use crate::assert_problem;
use crate::chats_support::{
    CHATS, add_member, added, assert_invalid, chat_ok, chat_path, chat_row_exists, create_chat,
    create_group, direct, get_chat, get_history, group, history, history_ids, id, item_ids,
    member_ids, member_path, members_path, message_path, messages_path, my_chat_ids, my_chats,
    open_direct, people, post_message, reaction_path, read_path, remove_member, rename, say,
    sorted_ids, timestamp,
};
use crate::people_support::{
    all_pages, assert_no_content, befriend, block, get_ok, json_with, person, send, send_json,
    set_privacy,
};
use crate::support::{RegisteredUser, spawn_app};

/// The short `User` of a person `person` registered as `first last`.
fn short(user: &RegisteredUser, first: &str, last: &str) -> Value {
    json!({"id": user.id, "firstName": first, "lastName": last, "avatarUrl": null})
}

/// The `members` of a chat keyed by id.
fn members_by_id(chat: &Value) -> Vec<Value> {
    let mut members = chat["members"].as_array().expect("members").clone();
    members.sort_by_key(|m| m["id"].as_str().unwrap_or_default().to_owned());
    members
}

// ---------------------------------------------------------------------------------------------
// Direct chats.
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn opening_a_direct_chat_creates_it_with_both_members_and_no_title_or_creator() {
    let app = spawn_app().await;
    let aiko = person(&app, "Aiko", "Tanaka").await;
    let ren = person(&app, "Ren", "Sato").await;

    let chat = direct(&app, &aiko, &ren).await;

    assert!(Uuid::parse_str(&id(&chat)).is_ok(), "{chat}");
    assert_eq!(chat["kind"], "direct");
    assert!(chat["title"].is_null(), "{chat}");
    assert!(chat["creatorId"].is_null(), "{chat}");
    assert!(chat["lastMessage"].is_null(), "{chat}");
    assert_eq!(chat["unreadCount"], 0);
    assert!(chat["updatedAt"].as_str().unwrap().ends_with('Z'), "{chat}");
    let mut expected = vec![short(&aiko, "Aiko", "Tanaka"), short(&ren, "Ren", "Sato")];
    expected.sort_by_key(|m| m["id"].as_str().unwrap().to_owned());
    assert_eq!(members_by_id(&chat), expected);
}

#[tokio::test]
async fn opening_the_same_direct_chat_again_from_either_side_answers_200_with_it() {
    let app = spawn_app().await;
    let aiko = person(&app, "Aiko", "Tanaka").await;
    let ren = person(&app, "Ren", "Sato").await;
    let chat = direct(&app, &aiko, &ren).await;

    let again = json_with(open_direct(&app, &aiko, &ren.id).await, 200).await;
    let reverse = json_with(open_direct(&app, &ren, &aiko.id).await, 200).await;

    assert_eq!(id(&again), id(&chat));
    assert_eq!(id(&reverse), id(&chat));
    assert_eq!(reverse["kind"], "direct");
    assert_eq!(my_chat_ids(&app, &aiko).await, [id(&chat)]);
    assert_eq!(my_chat_ids(&app, &ren).await, [id(&chat)]);
}

#[tokio::test]
async fn concurrent_direct_opens_from_both_sides_make_exactly_one_chat() {
    let app = spawn_app().await;
    let aiko = person(&app, "Aiko", "Tanaka").await;
    let ren = person(&app, "Ren", "Sato").await;

    let open = |me: &'static str| {
        let (from, to) = if me == "aiko" {
            (&aiko, &ren)
        } else {
            (&ren, &aiko)
        };
        let app = &app;
        join_all((0..5).map(move |_| async move {
            let response = open_direct(app, from, &to.id).await;
            let status = response.status().as_u16();
            let body: Value = response.json().await.expect("a Chat");
            (status, id(&body))
        }))
    };
    let (left, right) = tokio::join!(open("aiko"), open("ren"));
    let results: Vec<(u16, String)> = left.into_iter().chain(right).collect();

    let created = results.iter().filter(|(s, _)| *s == 201).count();
    let existing = results.iter().filter(|(s, _)| *s == 200).count();
    assert_eq!((created, existing), (1, 9), "{results:?}");
    let chat_ids: HashSet<&String> = results.iter().map(|(_, id)| id).collect();
    assert_eq!(chat_ids.len(), 1, "{results:?}");
    assert_eq!(my_chat_ids(&app, &aiko).await.len(), 1);
}

#[tokio::test]
async fn a_direct_chat_with_an_unknown_user_is_404_user_not_found() {
    let app = spawn_app().await;
    let aiko = person(&app, "Aiko", "Tanaka").await;

    let response = open_direct(&app, &aiko, &Uuid::now_v7().to_string()).await;

    assert_problem(response, 404, "user_not_found").await;
    assert!(my_chat_ids(&app, &aiko).await.is_empty());
}

#[tokio::test]
async fn a_direct_chat_with_myself_or_a_malformed_user_id_is_422_on_user_id() {
    let app = spawn_app().await;
    let aiko = person(&app, "Aiko", "Tanaka").await;

    assert_invalid(open_direct(&app, &aiko, &aiko.id).await, "userId").await;
    assert_invalid(open_direct(&app, &aiko, "not-a-uuid").await, "userId").await;
    assert_invalid(
        create_chat(&app, &aiko, &json!({"kind": "direct"})).await,
        "userId",
    )
    .await;
    assert!(my_chat_ids(&app, &aiko).await.is_empty());
}

#[tokio::test]
async fn messages_nobody_refuses_a_direct_chat_new_or_existing_with_privacy_restricted() {
    let app = spawn_app().await;
    let aiko = person(&app, "Aiko", "Tanaka").await;
    let ren = person(&app, "Ren", "Sato").await;
    let hidden = person(&app, "Kenji", "Mori").await;
    let chat = direct(&app, &aiko, &ren).await;
    set_privacy(&app, &hidden, "messages", "nobody").await;
    set_privacy(&app, &ren, "messages", "nobody").await;

    assert_problem(
        open_direct(&app, &aiko, &hidden.id).await,
        403,
        "privacy_restricted",
    )
    .await;
    assert_problem(
        open_direct(&app, &aiko, &ren.id).await,
        403,
        "privacy_restricted",
    )
    .await;
    assert_problem(
        post_message(&app, &aiko, &id(&chat), &json!({"text": "Hello?"})).await,
        403,
        "privacy_restricted",
    )
    .await;
    assert_eq!(my_chat_ids(&app, &aiko).await, [id(&chat)]);
}

#[tokio::test]
async fn messages_friends_refuses_strangers_and_admits_friends() {
    let app = spawn_app().await;
    let aiko = person(&app, "Aiko", "Tanaka").await;
    let ren = person(&app, "Ren", "Sato").await;
    set_privacy(&app, &ren, "messages", "friends").await;

    assert_problem(
        open_direct(&app, &aiko, &ren.id).await,
        403,
        "privacy_restricted",
    )
    .await;

    befriend(&app, &aiko, &ren).await;
    let chat = direct(&app, &aiko, &ren).await;
    say(&app, &aiko, &id(&chat), "Now we are friends").await;
}

#[tokio::test]
async fn my_own_messages_setting_does_not_stop_me_writing_to_others() {
    let app = spawn_app().await;
    let aiko = person(&app, "Aiko", "Tanaka").await;
    let ren = person(&app, "Ren", "Sato").await;
    set_privacy(&app, &aiko, "messages", "nobody").await;

    let chat = direct(&app, &aiko, &ren).await;

    say(&app, &aiko, &id(&chat), "I write, you may not").await;
}

#[tokio::test]
async fn a_block_in_either_direction_refuses_opening_and_sending_but_keeps_history_readable() {
    let app = spawn_app().await;
    let aiko = person(&app, "Aiko", "Tanaka").await;
    let ren = person(&app, "Ren", "Sato").await;
    let chat = direct(&app, &aiko, &ren).await;
    let chat_id = id(&chat);
    let before = say(&app, &aiko, &chat_id, "Before the block").await;

    assert_no_content(block(&app, &ren, &aiko.id).await).await;

    for (me, other) in [(&aiko, &ren), (&ren, &aiko)] {
        assert_problem(open_direct(&app, me, &other.id).await, 403, "blocked").await;
        assert_problem(
            post_message(&app, me, &chat_id, &json!({"text": "Still there?"})).await,
            403,
            "blocked",
        )
        .await;
        assert_eq!(history_ids(&app, me, &chat_id).await, [id(&before)]);
        chat_ok(&app, me, &chat_id).await;
    }
}

#[tokio::test]
async fn a_block_refuses_a_direct_chat_that_never_existed() {
    let app = spawn_app().await;
    let aiko = person(&app, "Aiko", "Tanaka").await;
    let ren = person(&app, "Ren", "Sato").await;

    assert_no_content(block(&app, &aiko, &ren.id).await).await;

    assert_problem(open_direct(&app, &aiko, &ren.id).await, 403, "blocked").await;
    assert_problem(open_direct(&app, &ren, &aiko.id).await, 403, "blocked").await;
    assert!(my_chat_ids(&app, &aiko).await.is_empty());
}

#[tokio::test]
async fn a_direct_chat_cannot_be_renamed_or_have_members_added_or_removed() {
    let app = spawn_app().await;
    let aiko = person(&app, "Aiko", "Tanaka").await;
    let ren = person(&app, "Ren", "Sato").await;
    let kenji = person(&app, "Kenji", "Mori").await;
    let chat = direct(&app, &aiko, &ren).await;
    let chat_id = id(&chat);

    assert_problem(
        rename(&app, &aiko, &chat_id, "Us").await,
        422,
        "not_a_group",
    )
    .await;
    assert_problem(
        add_member(&app, &aiko, &chat_id, &kenji.id).await,
        422,
        "not_a_group",
    )
    .await;
    assert_problem(
        remove_member(&app, &aiko, &chat_id, &ren.id).await,
        422,
        "not_a_group",
    )
    .await;
    assert_problem(
        remove_member(&app, &aiko, &chat_id, &aiko.id).await,
        422,
        "not_a_group",
    )
    .await;
    let after = chat_ok(&app, &aiko, &chat_id).await;
    assert!(after["title"].is_null());
    assert_eq!(member_ids(&after), sorted_ids(&[&aiko, &ren]));
}

#[tokio::test]
async fn an_unknown_kind_is_422_on_kind() {
    let app = spawn_app().await;
    let aiko = person(&app, "Aiko", "Tanaka").await;
    let ren = person(&app, "Ren", "Sato").await;

    assert_invalid(
        create_chat(&app, &aiko, &json!({"kind": "channel", "userId": ren.id})).await,
        "kind",
    )
    .await;
    assert_invalid(
        create_chat(&app, &aiko, &json!({"userId": ren.id})).await,
        "kind",
    )
    .await;
}

// ---------------------------------------------------------------------------------------------
// Groups: creating.
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn creating_a_group_answers_201_with_title_creator_and_members() {
    let app = spawn_app().await;
    let aiko = person(&app, "Aiko", "Tanaka").await;
    let ren = person(&app, "Ren", "Sato").await;
    let mei = person(&app, "Mei", "Ito").await;

    let chat = group(&app, &aiko, "Hanami 2027", &[&ren, &mei]).await;

    assert!(Uuid::parse_str(&id(&chat)).is_ok());
    assert_eq!(chat["kind"], "group");
    assert_eq!(chat["title"], "Hanami 2027");
    assert_eq!(chat["creatorId"], aiko.id.as_str());
    assert!(chat["lastMessage"].is_null());
    assert_eq!(chat["unreadCount"], 0);
    assert_eq!(member_ids(&chat), sorted_ids(&[&aiko, &ren, &mei]));
    assert!(
        members_by_id(&chat).contains(&short(&mei, "Mei", "Ito")),
        "{chat}"
    );
    // Every member has it.
    for member in [&aiko, &ren, &mei] {
        assert_eq!(my_chat_ids(&app, member).await, [id(&chat)]);
        assert_eq!(
            chat_ok(&app, member, &id(&chat)).await["title"],
            "Hanami 2027"
        );
    }
}

#[tokio::test]
async fn member_ids_may_name_me_and_repeat_people() {
    let app = spawn_app().await;
    let aiko = person(&app, "Aiko", "Tanaka").await;
    let ren = person(&app, "Ren", "Sato").await;
    let mei = person(&app, "Mei", "Ito").await;

    let response = create_group(
        &app,
        &aiko,
        "Repeats",
        &[&aiko.id, &ren.id, &ren.id, &mei.id, &aiko.id],
    )
    .await;

    let chat = json_with(response, 201).await;
    assert_eq!(chat["members"].as_array().unwrap().len(), 3, "{chat}");
    assert_eq!(member_ids(&chat), sorted_ids(&[&aiko, &ren, &mei]));
}

#[tokio::test]
async fn a_group_with_nobody_besides_me_is_422_on_member_ids() {
    let app = spawn_app().await;
    let aiko = person(&app, "Aiko", "Tanaka").await;

    assert_invalid(create_group(&app, &aiko, "Alone", &[]).await, "memberIds").await;
    assert_invalid(
        create_group(&app, &aiko, "Alone", &[&aiko.id, &aiko.id]).await,
        "memberIds",
    )
    .await;
    assert_invalid(
        create_chat(&app, &aiko, &json!({"kind": "group", "title": "Alone"})).await,
        "memberIds",
    )
    .await;
    assert!(my_chat_ids(&app, &aiko).await.is_empty());
}

#[tokio::test]
async fn a_group_naming_500_others_is_422_on_member_ids_before_looking_them_up() {
    let app = spawn_app().await;
    let aiko = person(&app, "Aiko", "Tanaka").await;
    let others: Vec<String> = (0..500).map(|_| Uuid::now_v7().to_string()).collect();
    let refs: Vec<&str> = others.iter().map(String::as_str).collect();

    assert_invalid(
        create_group(&app, &aiko, "Too many", &refs).await,
        "memberIds",
    )
    .await;
}

#[tokio::test]
async fn a_malformed_member_id_is_422_on_member_ids() {
    let app = spawn_app().await;
    let aiko = person(&app, "Aiko", "Tanaka").await;
    let ren = person(&app, "Ren", "Sato").await;

    assert_invalid(
        create_group(&app, &aiko, "Typo", &[&ren.id, "ren"]).await,
        "memberIds",
    )
    .await;
}

#[tokio::test]
async fn a_group_title_empty_blank_or_over_100_characters_is_422_on_title() {
    let app = spawn_app().await;
    let aiko = person(&app, "Aiko", "Tanaka").await;
    let ren = person(&app, "Ren", "Sato").await;
    let long = "桜".repeat(101);

    for title in ["", "   ", "\t \n", long.as_str()] {
        assert_invalid(create_group(&app, &aiko, title, &[&ren.id]).await, "title").await;
    }
    assert_invalid(
        create_chat(
            &app,
            &aiko,
            &json!({"kind": "group", "memberIds": [ren.id]}),
        )
        .await,
        "title",
    )
    .await;
    assert!(my_chat_ids(&app, &aiko).await.is_empty());
}

#[tokio::test]
async fn a_group_title_is_trimmed_kept_in_any_script_and_may_be_100_characters() {
    let app = spawn_app().await;
    let aiko = person(&app, "Aiko", "Tanaka").await;
    let ren = person(&app, "Ren", "Sato").await;
    let hundred = "あ".repeat(100);
    let padded = format!("  {hundred}  ");

    for (sent, kept) in [
        ("桜の会 🌸", "桜の会 🌸"),
        ("Привет", "Привет"),
        ("  שלום עולם  ", "שלום עולם"),
        ("👩‍💻 Devs", "👩‍💻 Devs"),
        (padded.as_str(), hundred.as_str()),
    ] {
        let chat = json_with(create_group(&app, &aiko, sent, &[&ren.id]).await, 201).await;
        assert_eq!(chat["title"], kept);
        assert_eq!(chat_ok(&app, &ren, &id(&chat)).await["title"], kept);
    }
}

#[tokio::test]
async fn a_group_naming_an_unknown_user_is_404_user_not_found_and_makes_nothing() {
    let app = spawn_app().await;
    let aiko = person(&app, "Aiko", "Tanaka").await;
    let ren = person(&app, "Ren", "Sato").await;
    let ghost = Uuid::now_v7().to_string();

    let response = create_group(&app, &aiko, "Ghosts", &[&ren.id, &ghost]).await;

    assert_problem(response, 404, "user_not_found").await;
    assert!(my_chat_ids(&app, &aiko).await.is_empty());
    assert!(my_chat_ids(&app, &ren).await.is_empty());
}

#[tokio::test]
async fn a_group_naming_someone_who_takes_no_messages_or_only_from_friends_is_403() {
    let app = spawn_app().await;
    let aiko = person(&app, "Aiko", "Tanaka").await;
    let ren = person(&app, "Ren", "Sato").await;
    let closed = person(&app, "Kenji", "Mori").await;
    let picky = person(&app, "Mei", "Ito").await;
    set_privacy(&app, &closed, "messages", "nobody").await;
    set_privacy(&app, &picky, "messages", "friends").await;

    assert_problem(
        create_group(&app, &aiko, "Closed", &[&ren.id, &closed.id]).await,
        403,
        "privacy_restricted",
    )
    .await;
    assert_problem(
        create_group(&app, &aiko, "Picky", &[&ren.id, &picky.id]).await,
        403,
        "privacy_restricted",
    )
    .await;
    assert!(my_chat_ids(&app, &ren).await.is_empty());

    befriend(&app, &aiko, &picky).await;
    group(&app, &aiko, "Friends now", &[&ren, &picky]).await;
}

#[tokio::test]
async fn a_group_naming_someone_blocked_either_way_is_403_blocked() {
    let app = spawn_app().await;
    let aiko = person(&app, "Aiko", "Tanaka").await;
    let ren = person(&app, "Ren", "Sato").await;
    let blocker = person(&app, "Kenji", "Mori").await;
    let blocked = person(&app, "Mei", "Ito").await;
    assert_no_content(block(&app, &blocker, &aiko.id).await).await;
    assert_no_content(block(&app, &aiko, &blocked.id).await).await;

    for other in [&blocker, &blocked] {
        assert_problem(
            create_group(&app, &aiko, "Blocked", &[&ren.id, &other.id]).await,
            403,
            "blocked",
        )
        .await;
    }
    assert!(my_chat_ids(&app, &aiko).await.is_empty());
}

// ---------------------------------------------------------------------------------------------
// Groups: renaming.
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn any_member_renames_a_group_and_updated_at_moves() {
    let app = spawn_app().await;
    let aiko = person(&app, "Aiko", "Tanaka").await;
    let ren = person(&app, "Ren", "Sato").await;
    let chat = group(&app, &aiko, "Old name", &[&ren]).await;
    let chat_id = id(&chat);

    let renamed = json_with(rename(&app, &ren, &chat_id, "  New name 🌸 ").await, 200).await;

    assert_eq!(id(&renamed), chat_id);
    assert_eq!(renamed["title"], "New name 🌸");
    assert_eq!(renamed["kind"], "group");
    assert_eq!(renamed["creatorId"], aiko.id.as_str());
    assert!(
        timestamp(&renamed, "updatedAt") > timestamp(&chat, "updatedAt"),
        "{chat} then {renamed}"
    );
    assert_eq!(chat_ok(&app, &aiko, &chat_id).await["title"], "New name 🌸");
}

#[tokio::test]
async fn renaming_to_a_bad_title_is_422_on_title_and_keeps_the_old_one() {
    let app = spawn_app().await;
    let aiko = person(&app, "Aiko", "Tanaka").await;
    let ren = person(&app, "Ren", "Sato").await;
    let chat_id = id(&group(&app, &aiko, "Keep me", &[&ren]).await);

    assert_invalid(rename(&app, &aiko, &chat_id, " ").await, "title").await;
    assert_invalid(
        rename(&app, &aiko, &chat_id, &"x".repeat(101)).await,
        "title",
    )
    .await;
    assert_invalid(
        send_json(&app, Method::PATCH, &chat_path(&chat_id), &json!({}), &aiko).await,
        "title",
    )
    .await;
    assert_eq!(chat_ok(&app, &aiko, &chat_id).await["title"], "Keep me");
}

#[tokio::test]
async fn a_rename_moves_the_group_to_the_top_of_my_chats() {
    let app = spawn_app().await;
    let aiko = person(&app, "Aiko", "Tanaka").await;
    let ren = person(&app, "Ren", "Sato").await;
    let older = id(&group(&app, &aiko, "Older", &[&ren]).await);
    let newer = id(&group(&app, &aiko, "Newer", &[&ren]).await);
    assert_eq!(
        my_chat_ids(&app, &aiko).await,
        [newer.clone(), older.clone()]
    );

    json_with(rename(&app, &ren, &older, "Older, renamed").await, 200).await;

    assert_eq!(my_chat_ids(&app, &aiko).await, [older, newer]);
}

// ---------------------------------------------------------------------------------------------
// Groups: adding members.
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn any_member_adds_someone_who_then_sees_the_chat_and_is_notified() {
    let app = spawn_app().await;
    let aiko = person(&app, "Aiko", "Tanaka").await;
    let ren = person(&app, "Ren", "Sato").await;
    let mei = person(&app, "Mei", "Ito").await;
    let chat = group(&app, &aiko, "Tea", &[&ren]).await;
    let chat_id = id(&chat);

    let after = added(&app, &ren, &chat_id, &mei).await;

    assert_eq!(id(&after), chat_id);
    assert_eq!(member_ids(&after), sorted_ids(&[&aiko, &ren, &mei]));
    assert!(timestamp(&after, "updatedAt") > timestamp(&chat, "updatedAt"));
    assert_eq!(
        my_chat_ids(&app, &mei).await,
        std::slice::from_ref(&chat_id)
    );
    assert_eq!(
        member_ids(&chat_ok(&app, &aiko, &chat_id).await),
        sorted_ids(&[&aiko, &ren, &mei])
    );

    let page = get_ok(&app, "/api/v1/notifications", &mei).await;
    let notification = page["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|n| n["kind"] == "chat_added")
        .unwrap_or_else(|| panic!("no chat_added in {page}"))
        .clone();
    assert_eq!(
        notification["subject"],
        json!({"type": "chat", "id": chat_id})
    );
    assert_eq!(notification["actor"]["id"], ren.id.as_str());
    assert_eq!(notification["read"], false);
}

#[tokio::test]
async fn adding_an_existing_member_answers_200_and_changes_nothing() {
    let app = spawn_app().await;
    let aiko = person(&app, "Aiko", "Tanaka").await;
    let ren = person(&app, "Ren", "Sato").await;
    let chat = group(&app, &aiko, "Tea", &[&ren]).await;
    let chat_id = id(&chat);
    let before = chat_ok(&app, &aiko, &chat_id).await;
    let notes_before = get_ok(&app, "/api/v1/notifications", &ren).await;

    let again = added(&app, &aiko, &chat_id, &ren).await;
    let myself = added(&app, &ren, &chat_id, &ren).await;

    for after in [&again, &myself] {
        assert_eq!(member_ids(after), sorted_ids(&[&aiko, &ren]));
        assert_eq!(after["updatedAt"], before["updatedAt"]);
    }
    let notes_after = get_ok(&app, "/api/v1/notifications", &ren).await;
    assert_eq!(notes_after["items"], notes_before["items"]);
}

#[tokio::test]
async fn adding_an_unknown_or_malformed_user_is_404_or_422() {
    let app = spawn_app().await;
    let aiko = person(&app, "Aiko", "Tanaka").await;
    let ren = person(&app, "Ren", "Sato").await;
    let chat_id = id(&group(&app, &aiko, "Tea", &[&ren]).await);

    assert_problem(
        add_member(&app, &aiko, &chat_id, &Uuid::now_v7().to_string()).await,
        404,
        "user_not_found",
    )
    .await;
    assert_invalid(add_member(&app, &aiko, &chat_id, "nobody").await, "userId").await;
    assert_invalid(
        send_json(
            &app,
            Method::POST,
            &members_path(&chat_id),
            &json!({}),
            &aiko,
        )
        .await,
        "userId",
    )
    .await;
    assert_eq!(
        member_ids(&chat_ok(&app, &aiko, &chat_id).await),
        sorted_ids(&[&aiko, &ren])
    );
}

#[tokio::test]
async fn adding_follows_the_added_users_messages_setting_between_adder_and_added() {
    let app = spawn_app().await;
    let aiko = person(&app, "Aiko", "Tanaka").await;
    let ren = person(&app, "Ren", "Sato").await;
    let closed = person(&app, "Kenji", "Mori").await;
    let picky = person(&app, "Mei", "Ito").await;
    set_privacy(&app, &closed, "messages", "nobody").await;
    set_privacy(&app, &picky, "messages", "friends").await;
    befriend(&app, &ren, &picky).await;
    let chat_id = id(&group(&app, &aiko, "Tea", &[&ren]).await);

    assert_problem(
        add_member(&app, &aiko, &chat_id, &closed.id).await,
        403,
        "privacy_restricted",
    )
    .await;
    // Aiko is no friend of Mei's, Ren is: the one adding is judged.
    assert_problem(
        add_member(&app, &aiko, &chat_id, &picky.id).await,
        403,
        "privacy_restricted",
    )
    .await;
    let after = added(&app, &ren, &chat_id, &picky).await;

    assert_eq!(member_ids(&after), sorted_ids(&[&aiko, &ren, &picky]));
}

#[tokio::test]
async fn adding_someone_blocked_either_way_by_the_adder_is_403_blocked() {
    let app = spawn_app().await;
    let aiko = person(&app, "Aiko", "Tanaka").await;
    let ren = person(&app, "Ren", "Sato").await;
    let blocker = person(&app, "Kenji", "Mori").await;
    let blocked = person(&app, "Mei", "Ito").await;
    assert_no_content(block(&app, &blocker, &aiko.id).await).await;
    assert_no_content(block(&app, &aiko, &blocked.id).await).await;
    let chat_id = id(&group(&app, &aiko, "Tea", &[&ren]).await);

    assert_problem(
        add_member(&app, &aiko, &chat_id, &blocker.id).await,
        403,
        "blocked",
    )
    .await;
    assert_problem(
        add_member(&app, &aiko, &chat_id, &blocked.id).await,
        403,
        "blocked",
    )
    .await;
    // Between Ren and them there is no block.
    let after = added(&app, &ren, &chat_id, &blocker).await;
    assert_eq!(member_ids(&after), sorted_ids(&[&aiko, &ren, &blocker]));
}

#[tokio::test]
async fn a_group_holds_500_members_and_an_add_to_a_full_one_is_409_chat_full() {
    let app = spawn_app().await;
    let started = std::time::Instant::now();
    let creator = person(&app, "Aiko", "Tanaka").await;
    let crowd = people(&app, 500).await;
    eprintln!("registered 501 users in {:?}", started.elapsed());
    let (members, rest) = crowd.split_at(499);
    let ids: Vec<&str> = members.iter().map(|u| u.id.as_str()).collect();

    let chat = json_with(create_group(&app, &creator, "Stadium", &ids).await, 201).await;
    assert_eq!(chat["members"].as_array().unwrap().len(), 500);
    let chat_id = id(&chat);

    assert_problem(
        add_member(&app, &creator, &chat_id, &rest[0].id).await,
        409,
        "chat_full",
    )
    .await;
    assert_problem(
        get_chat(&app, &rest[0], &chat_id).await,
        404,
        "chat_not_found",
    )
    .await;
    // Re-adding a member of a full group is still "changes nothing".
    added(&app, &creator, &chat_id, &members[0]).await;
    // One leaves: there is room for one again.
    assert_no_content(remove_member(&app, &members[1], &chat_id, &members[1].id).await).await;
    let after = added(&app, &creator, &chat_id, &rest[0]).await;
    assert_eq!(after["members"].as_array().unwrap().len(), 500);
    eprintln!("the whole test took {:?}", started.elapsed());
}

// ---------------------------------------------------------------------------------------------
// Groups: removing and leaving.
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn the_creator_removes_a_member_who_loses_the_chat_at_once() {
    let app = spawn_app().await;
    let aiko = person(&app, "Aiko", "Tanaka").await;
    let ren = person(&app, "Ren", "Sato").await;
    let mei = person(&app, "Mei", "Ito").await;
    let chat_id = id(&group(&app, &aiko, "Tea", &[&ren, &mei]).await);
    say(&app, &ren, &chat_id, "I am here").await;

    assert_no_content(remove_member(&app, &aiko, &chat_id, &ren.id).await).await;

    assert_problem(get_chat(&app, &ren, &chat_id).await, 404, "chat_not_found").await;
    assert_problem(
        get_history(&app, &ren, &chat_id).await,
        404,
        "chat_not_found",
    )
    .await;
    assert_problem(
        post_message(&app, &ren, &chat_id, &json!({"text": "Let me back"})).await,
        404,
        "chat_not_found",
    )
    .await;
    assert!(my_chat_ids(&app, &ren).await.is_empty());
    assert_eq!(
        member_ids(&chat_ok(&app, &mei, &chat_id).await),
        sorted_ids(&[&aiko, &mei])
    );
}

#[tokio::test]
async fn only_the_creator_removes_others() {
    let app = spawn_app().await;
    let aiko = person(&app, "Aiko", "Tanaka").await;
    let ren = person(&app, "Ren", "Sato").await;
    let mei = person(&app, "Mei", "Ito").await;
    let chat_id = id(&group(&app, &aiko, "Tea", &[&ren, &mei]).await);

    assert_problem(
        remove_member(&app, &ren, &chat_id, &mei.id).await,
        403,
        "forbidden",
    )
    .await;
    assert_problem(
        remove_member(&app, &ren, &chat_id, &aiko.id).await,
        403,
        "forbidden",
    )
    .await;

    assert_eq!(
        member_ids(&chat_ok(&app, &aiko, &chat_id).await),
        sorted_ids(&[&aiko, &ren, &mei])
    );
}

#[tokio::test]
async fn removing_someone_who_is_not_a_member_is_404_member_not_found() {
    let app = spawn_app().await;
    let aiko = person(&app, "Aiko", "Tanaka").await;
    let ren = person(&app, "Ren", "Sato").await;
    let stranger = person(&app, "Kenji", "Mori").await;
    let chat_id = id(&group(&app, &aiko, "Tea", &[&ren]).await);

    assert_problem(
        remove_member(&app, &aiko, &chat_id, &stranger.id).await,
        404,
        "member_not_found",
    )
    .await;
    assert_problem(
        remove_member(&app, &aiko, &chat_id, &Uuid::now_v7().to_string()).await,
        404,
        "member_not_found",
    )
    .await;
    let response = remove_member(&app, &aiko, &chat_id, "not-a-uuid").await;
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn leaving_answers_204_and_leaving_again_is_404_chat_not_found() {
    let app = spawn_app().await;
    let aiko = person(&app, "Aiko", "Tanaka").await;
    let ren = person(&app, "Ren", "Sato").await;
    let mei = person(&app, "Mei", "Ito").await;
    let chat_id = id(&group(&app, &aiko, "Tea", &[&ren, &mei]).await);

    assert_no_content(remove_member(&app, &ren, &chat_id, &ren.id).await).await;

    assert_problem(
        remove_member(&app, &ren, &chat_id, &ren.id).await,
        404,
        "chat_not_found",
    )
    .await;
    assert_problem(get_chat(&app, &ren, &chat_id).await, 404, "chat_not_found").await;
    assert!(my_chat_ids(&app, &ren).await.is_empty());
    let after = chat_ok(&app, &aiko, &chat_id).await;
    assert_eq!(member_ids(&after), sorted_ids(&[&aiko, &mei]));
    assert_eq!(after["creatorId"], aiko.id.as_str());
}

#[tokio::test]
async fn when_the_creator_leaves_the_member_who_last_joined_earliest_becomes_creator() {
    let app = spawn_app().await;
    let aiko = person(&app, "Aiko", "Tanaka").await;
    let ren = person(&app, "Ren", "Sato").await;
    let mei = person(&app, "Mei", "Ito").await;
    let kenji = person(&app, "Kenji", "Mori").await;
    let chat_id = id(&group(&app, &aiko, "Tea", &[&ren]).await);
    added(&app, &aiko, &chat_id, &mei).await;
    added(&app, &aiko, &chat_id, &kenji).await;
    // Ren, the first to join, leaves and comes back last.
    assert_no_content(remove_member(&app, &ren, &chat_id, &ren.id).await).await;
    added(&app, &aiko, &chat_id, &ren).await;

    assert_no_content(remove_member(&app, &aiko, &chat_id, &aiko.id).await).await;

    let after = chat_ok(&app, &kenji, &chat_id).await;
    assert_eq!(after["creatorId"], mei.id.as_str(), "{after}");
    assert_eq!(member_ids(&after), sorted_ids(&[&ren, &mei, &kenji]));
    // The new creator's power is real, and the old one's is gone.
    assert_no_content(remove_member(&app, &mei, &chat_id, &kenji.id).await).await;
    assert_problem(
        remove_member(&app, &ren, &chat_id, &mei.id).await,
        403,
        "forbidden",
    )
    .await;
}

#[tokio::test]
async fn a_group_lives_on_with_one_member_and_is_deleted_with_the_last() {
    let app = spawn_app().await;
    let aiko = person(&app, "Aiko", "Tanaka").await;
    let ren = person(&app, "Ren", "Sato").await;
    let chat_id = id(&group(&app, &aiko, "Tea", &[&ren]).await);
    say(&app, &ren, &chat_id, "Bye").await;

    assert_no_content(remove_member(&app, &aiko, &chat_id, &aiko.id).await).await;

    let alone = chat_ok(&app, &ren, &chat_id).await;
    assert_eq!(member_ids(&alone), std::slice::from_ref(&ren.id));
    assert_eq!(alone["creatorId"], ren.id.as_str());
    say(&app, &ren, &chat_id, "Anyone?").await;
    assert!(chat_row_exists(&app, &chat_id).await);

    assert_no_content(remove_member(&app, &ren, &chat_id, &ren.id).await).await;

    assert!(
        !chat_row_exists(&app, &chat_id).await,
        "the group outlived its members"
    );
    assert_problem(get_chat(&app, &ren, &chat_id).await, 404, "chat_not_found").await;
    assert_problem(get_chat(&app, &aiko, &chat_id).await, 404, "chat_not_found").await;
}

#[tokio::test]
async fn a_member_removed_and_added_again_sees_only_messages_since_the_new_join() {
    let app = spawn_app().await;
    let aiko = person(&app, "Aiko", "Tanaka").await;
    let ren = person(&app, "Ren", "Sato").await;
    let chat_id = id(&group(&app, &aiko, "Tea", &[&ren]).await);
    say(&app, &aiko, &chat_id, "Before you left").await;
    assert_no_content(remove_member(&app, &aiko, &chat_id, &ren.id).await).await;
    say(&app, &aiko, &chat_id, "While you were away").await;

    added(&app, &aiko, &chat_id, &ren).await;
    let after = say(&app, &aiko, &chat_id, "Welcome back").await;

    assert_eq!(history_ids(&app, &ren, &chat_id).await, [id(&after)]);
    assert_eq!(history_ids(&app, &aiko, &chat_id).await.len(), 3);
    let chat = chat_ok(&app, &ren, &chat_id).await;
    assert_eq!(chat["unreadCount"], 1);
    assert_eq!(chat["lastMessage"]["id"], id(&after).as_str());
}

#[tokio::test]
async fn a_removed_member_no_longer_counts_the_chat_as_unread() {
    let app = spawn_app().await;
    let aiko = person(&app, "Aiko", "Tanaka").await;
    let ren = person(&app, "Ren", "Sato").await;
    let chat_id = id(&group(&app, &aiko, "Tea", &[&ren]).await);
    say(&app, &aiko, &chat_id, "One").await;
    say(&app, &aiko, &chat_id, "Two").await;
    let counts = get_ok(&app, "/api/v1/notifications/unread-count", &ren).await;
    assert_eq!(counts["messages"], 2, "{counts}");

    assert_no_content(remove_member(&app, &aiko, &chat_id, &ren.id).await).await;

    let counts = get_ok(&app, "/api/v1/notifications/unread-count", &ren).await;
    assert_eq!(counts["messages"], 0, "{counts}");
}

// ---------------------------------------------------------------------------------------------
// Outsiders.
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn an_outsider_gets_404_chat_not_found_for_the_chat_and_everything_under_it() {
    let app = spawn_app().await;
    let aiko = person(&app, "Aiko", "Tanaka").await;
    let ren = person(&app, "Ren", "Sato").await;
    let outsider = person(&app, "Kenji", "Mori").await;
    let chat_id = id(&group(&app, &aiko, "Tea", &[&ren]).await);
    let message = id(&say(&app, &aiko, &chat_id, "Members only").await);
    let direct_id = id(&direct(&app, &aiko, &ren).await);
    let private = id(&say(&app, &ren, &direct_id, "Just us").await);

    for (chat, message) in [(&chat_id, &message), (&direct_id, &private)] {
        let calls: Vec<(Method, String, Option<Value>)> = vec![
            (Method::GET, chat_path(chat), None),
            (
                Method::PATCH,
                chat_path(chat),
                Some(json!({"title": "Mine"})),
            ),
            (
                Method::POST,
                members_path(chat),
                Some(json!({"userId": outsider.id})),
            ),
            (Method::DELETE, member_path(chat, &outsider.id), None),
            (Method::DELETE, member_path(chat, &ren.id), None),
            (Method::GET, messages_path(chat), None),
            (
                Method::POST,
                messages_path(chat),
                Some(json!({"text": "Hi"})),
            ),
            (
                Method::PATCH,
                message_path(chat, message),
                Some(json!({"text": "Mine"})),
            ),
            (Method::DELETE, message_path(chat, message), None),
            (Method::PUT, reaction_path(chat, message, "👍"), None),
            (Method::DELETE, reaction_path(chat, message, "👍"), None),
            (
                Method::POST,
                read_path(chat),
                Some(json!({"messageId": message})),
            ),
        ];
        for (method, path, body) in calls {
            let response = match &body {
                Some(body) => send_json(&app, method.clone(), &path, body, &outsider).await,
                None => send(&app, method.clone(), &path, &outsider).await,
            };
            let status = response.status();
            assert_eq!(status, StatusCode::NOT_FOUND, "{method} {path}");
            assert_problem(response, 404, "chat_not_found").await;
        }
    }
    // Nothing changed.
    let chat = chat_ok(&app, &aiko, &chat_id).await;
    assert_eq!(chat["title"], "Tea");
    assert_eq!(member_ids(&chat), sorted_ids(&[&aiko, &ren]));
    let kept = &history(&app, &aiko, &chat_id).await["items"][0];
    assert_eq!(kept["text"], "Members only");
    assert_eq!(kept["reactions"], json!([]));
}

#[tokio::test]
async fn an_unknown_chat_or_a_chat_id_that_is_no_uuid_is_404() {
    let app = spawn_app().await;
    let aiko = person(&app, "Aiko", "Tanaka").await;
    let unknown = Uuid::now_v7().to_string();

    for chat in [unknown.as_str(), "not-a-uuid", "123"] {
        assert_problem(get_chat(&app, &aiko, chat).await, 404, "chat_not_found").await;
        assert_problem(get_history(&app, &aiko, chat).await, 404, "chat_not_found").await;
        assert_problem(
            post_message(&app, &aiko, chat, &json!({"text": "Hi"})).await,
            404,
            "chat_not_found",
        )
        .await;
        assert_problem(
            rename(&app, &aiko, chat, "Mine").await,
            404,
            "chat_not_found",
        )
        .await;
    }
}

#[tokio::test]
async fn a_message_id_that_is_no_uuid_is_404() {
    let app = spawn_app().await;
    let aiko = person(&app, "Aiko", "Tanaka").await;
    let ren = person(&app, "Ren", "Sato").await;
    let chat_id = id(&direct(&app, &aiko, &ren).await);

    let path = message_path(&chat_id, "not-a-uuid");
    let edit = send_json(&app, Method::PATCH, &path, &json!({"text": "x"}), &aiko).await;
    assert_problem(edit, 404, "message_not_found").await;
    assert_problem(
        send(&app, Method::DELETE, &path, &aiko).await,
        404,
        "message_not_found",
    )
    .await;
    let reaction = reaction_path(&chat_id, "not-a-uuid", "👍");
    assert_problem(
        send(&app, Method::PUT, &reaction, &aiko).await,
        404,
        "message_not_found",
    )
    .await;
}

// ---------------------------------------------------------------------------------------------
// GET /chats.
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn my_chats_are_most_recently_active_first_with_last_message_and_unread_count() {
    let app = spawn_app().await;
    let aiko = person(&app, "Aiko", "Tanaka").await;
    let ren = person(&app, "Ren", "Sato").await;
    let mei = person(&app, "Mei", "Ito").await;
    let first = id(&direct(&app, &aiko, &ren).await);
    let second = id(&group(&app, &aiko, "Tea", &[&ren, &mei]).await);
    let third = id(&direct(&app, &mei, &aiko).await);
    assert_eq!(
        my_chat_ids(&app, &aiko).await,
        [third.clone(), second.clone(), first.clone()]
    );

    let one = say(&app, &ren, &first, "Oldest chat, newest message").await;
    say(&app, &ren, &first, "And another").await;
    let two = say(&app, &aiko, &second, "Now the group").await;

    let page = my_chats(&app, &aiko).await;
    assert_eq!(
        item_ids(&page),
        [second.clone(), first.clone(), third.clone()]
    );
    assert!(page["nextCursor"].is_null());
    let items = page["items"].as_array().unwrap();
    assert_eq!(items[0]["lastMessage"]["id"], id(&two).as_str());
    assert_eq!(items[0]["lastMessage"]["text"], "Now the group");
    assert_eq!(items[0]["unreadCount"], 0, "my own message is not unread");
    assert_eq!(items[1]["lastMessage"]["text"], "And another");
    assert_eq!(items[1]["unreadCount"], 2);
    assert!(items[2]["lastMessage"].is_null(), "{}", items[2]);
    assert_eq!(items[2]["unreadCount"], 0);
    assert_ne!(id(&one), id(&items[1]["lastMessage"]));
    // Each sees their own order and counts.
    let rens = my_chats(&app, &ren).await;
    assert_eq!(item_ids(&rens), [second, first]);
    assert_eq!(rens["items"][0]["unreadCount"], 1);
    assert_eq!(rens["items"][1]["unreadCount"], 0);
}

#[tokio::test]
async fn my_chats_page_with_limit_and_cursor_through_every_chat_once() {
    let app = spawn_app().await;
    let aiko = person(&app, "Aiko", "Tanaka").await;
    let others = people(&app, 7).await;
    let mut chats = Vec::new();
    for other in &others {
        chats.push(id(&direct(&app, &aiko, other).await));
    }
    for other in others.iter().take(3) {
        chats.push(id(&group(&app, other, "Party", &[&aiko]).await));
    }
    // Stir: messages in some older chats.
    say(&app, &aiko, &chats[2], "bump").await;
    say(&app, &others[0], &chats[0], "bump").await;

    let first_page = my_chats(&app, &aiko).await;
    let paged = all_pages(&app, CHATS, &aiko, 3).await;
    let paged_ids: Vec<String> = paged.iter().map(id).collect();

    assert_eq!(paged_ids.len(), 10);
    assert_eq!(paged_ids.iter().collect::<HashSet<_>>().len(), 10);
    assert_eq!(paged_ids, item_ids(&first_page));
    assert_eq!(paged_ids[0], chats[0]);
    assert_eq!(paged_ids[1], chats[2]);
    let mut sorted = paged_ids;
    sorted.sort();
    let mut expected = chats.clone();
    expected.sort();
    assert_eq!(sorted, expected);
    // updatedAt never increases down the list.
    for pair in paged.windows(2) {
        assert!(timestamp(&pair[0], "updatedAt") >= timestamp(&pair[1], "updatedAt"));
    }
}

#[tokio::test]
async fn a_chat_updated_while_paging_my_chats_is_not_repeated() {
    let app = spawn_app().await;
    let aiko = person(&app, "Aiko", "Tanaka").await;
    let others = people(&app, 4).await;
    let mut chats = Vec::new();
    for other in &others {
        chats.push(id(&direct(&app, &aiko, other).await));
    }
    let page1 = get_ok(&app, &format!("{CHATS}?limit=2"), &aiko).await;
    assert_eq!(item_ids(&page1), [chats[3].clone(), chats[2].clone()]);
    let cursor = page1["nextCursor"]
        .as_str()
        .expect("a next page")
        .to_owned();

    // A chat already seen becomes the newest.
    say(&app, &others[3], &chats[3], "bump").await;
    let page2 = get_ok(
        &app,
        &format!(
            "{CHATS}?limit=2&cursor={}",
            crate::people_support::encode(&cursor)
        ),
        &aiko,
    )
    .await;

    assert_eq!(item_ids(&page2), [chats[1].clone(), chats[0].clone()]);
}

// ---------------------------------------------------------------------------------------------
// Authentication.
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn every_messenger_endpoint_needs_a_token() {
    let app = spawn_app().await;
    let aiko = person(&app, "Aiko", "Tanaka").await;
    let ren = person(&app, "Ren", "Sato").await;
    let chat_id = id(&group(&app, &aiko, "Tea", &[&ren]).await);
    let message = id(&say(&app, &aiko, &chat_id, "Hi").await);

    let calls: Vec<(Method, String, Option<Value>)> = vec![
        (Method::GET, CHATS.to_owned(), None),
        (
            Method::POST,
            CHATS.to_owned(),
            Some(json!({"kind": "direct", "userId": ren.id})),
        ),
        (Method::GET, chat_path(&chat_id), None),
        (
            Method::PATCH,
            chat_path(&chat_id),
            Some(json!({"title": "x"})),
        ),
        (
            Method::POST,
            members_path(&chat_id),
            Some(json!({"userId": ren.id})),
        ),
        (Method::DELETE, member_path(&chat_id, &ren.id), None),
        (Method::GET, messages_path(&chat_id), None),
        (
            Method::POST,
            messages_path(&chat_id),
            Some(json!({"text": "x"})),
        ),
        (
            Method::PATCH,
            message_path(&chat_id, &message),
            Some(json!({"text": "x"})),
        ),
        (Method::DELETE, message_path(&chat_id, &message), None),
        (Method::PUT, reaction_path(&chat_id, &message, "👍"), None),
        (
            Method::DELETE,
            reaction_path(&chat_id, &message, "👍"),
            None,
        ),
        (
            Method::POST,
            read_path(&chat_id),
            Some(json!({"messageId": message})),
        ),
        (Method::GET, "/api/v1/messages/search?q=hi".to_owned(), None),
        (
            Method::GET,
            format!("/api/v1/messages/search?q=hi&chatId={chat_id}"),
            None,
        ),
    ];
    for (method, path, body) in calls {
        for token in [None, Some("not-a-token")] {
            let mut request = app.request(method.clone(), &path);
            if let Some(body) = &body {
                request = request.json(body);
            }
            if let Some(token) = token {
                request = request.bearer_auth(token);
            }
            let response = request.send().await.expect("request");
            assert_eq!(
                response.status(),
                StatusCode::UNAUTHORIZED,
                "{method} {path} with {token:?}"
            );
        }
    }
    // Nothing happened.
    let chat = chat_ok(&app, &aiko, &chat_id).await;
    assert_eq!(chat["title"], "Tea");
    assert_eq!(member_ids(&chat), sorted_ids(&[&aiko, &ren]));
    assert_eq!(history_ids(&app, &aiko, &chat_id).await, [message]);
}
