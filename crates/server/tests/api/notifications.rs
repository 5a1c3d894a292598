use reqwest::Method;
use serde_json::{Value, json};

use crate::assert_problem;
use crate::people_support::{
    all_ids, assert_no_content, befriend, get_ok, ids, json_with, person, request_friend, send_json,
};
use crate::support::{RegisteredUser, TestApp, spawn_app};

const NOTIFICATIONS: &str = "/api/v1/notifications";

/// My notifications, one page.
async fn notifications(app: &TestApp, me: &RegisteredUser) -> Value {
    get_ok(app, NOTIFICATIONS, me).await
}

/// My unread notifications, one page.
async fn unread(app: &TestApp, me: &RegisteredUser) -> Value {
    get_ok(app, &format!("{NOTIFICATIONS}?unread=true"), me).await
}

/// `{notifications, messages}`.
async fn unread_count(app: &TestApp, me: &RegisteredUser) -> Value {
    get_ok(app, &format!("{NOTIFICATIONS}/unread-count"), me).await
}

/// `POST /notifications/read` with `body` as `me`.
async fn mark_read(app: &TestApp, me: &RegisteredUser, body: Value) -> reqwest::Response {
    send_json(
        app,
        Method::POST,
        &format!("{NOTIFICATIONS}/read"),
        &body,
        me,
    )
    .await
}

/// `me` gets one friend request from each of `n` new people; returns them oldest first.
async fn requested_by(app: &TestApp, me: &RegisteredUser, n: usize) -> Vec<RegisteredUser> {
    let mut senders = Vec::new();
    for first in ["Ren", "Yuki", "Kenji", "Mei", "Sora"].into_iter().take(n) {
        let sender = person(app, first, "Sato").await;
        json_with(request_friend(app, &sender, &me.id).await, 201).await;
        senders.push(sender);
    }
    senders
}

#[tokio::test]
async fn a_friend_request_notifies_the_requested_user() {
    let app = spawn_app().await;
    let me = person(&app, "Aiko", "Tanaka").await;
    let sender = person(&app, "Ren", "Sato").await;

    json_with(request_friend(&app, &sender, &me.id).await, 201).await;

    let page = notifications(&app, &me).await;
    let items = page["items"].as_array().unwrap();
    assert_eq!(items.len(), 1, "{page}");
    let n = &items[0];
    assert!(uuid::Uuid::parse_str(n["id"].as_str().unwrap()).is_ok());
    assert_eq!(n["kind"], "friend_request");
    assert_eq!(
        n["actor"],
        json!({"id": sender.id, "firstName": "Ren", "lastName": "Sato", "avatarUrl": null})
    );
    assert_eq!(n["subject"], json!({"type": "user", "id": sender.id}));
    assert_eq!(n["read"], false);
    assert!(n["createdAt"].as_str().unwrap().ends_with('Z'), "{n}");
    assert!(ids(&notifications(&app, &sender).await).is_empty());
}

#[tokio::test]
async fn accepting_notifies_the_requester_with_friend_accepted() {
    let app = spawn_app().await;
    let requester = person(&app, "Aiko", "Tanaka").await;
    let accepter = person(&app, "Ren", "Sato").await;

    befriend(&app, &requester, &accepter).await;

    let page = notifications(&app, &requester).await;
    let items = page["items"].as_array().unwrap();
    assert_eq!(items.len(), 1, "{page}");
    assert_eq!(items[0]["kind"], "friend_accepted");
    assert_eq!(items[0]["actor"]["id"], accepter.id.as_str());
    assert_eq!(items[0]["actor"]["firstName"], "Ren");
    assert_eq!(
        items[0]["subject"],
        json!({"type": "user", "id": accepter.id})
    );
    assert_eq!(items[0]["read"], false);
}

#[tokio::test]
async fn notifications_are_newest_first_and_page() {
    let app = spawn_app().await;
    let me = person(&app, "Aiko", "Tanaka").await;
    let senders = requested_by(&app, &me, 3).await;

    let page = notifications(&app, &me).await;
    let actors: Vec<&str> = page["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["actor"]["id"].as_str().unwrap())
        .collect();

    let newest_first: Vec<&str> = senders.iter().rev().map(|s| s.id.as_str()).collect();
    assert_eq!(actors, newest_first);
    let paged = all_ids(&app, NOTIFICATIONS, &me, 2).await;
    assert_eq!(paged, ids(&page));
}

#[tokio::test]
async fn the_unread_count_counts_unread_notifications_and_no_messages_yet() {
    let app = spawn_app().await;
    let me = person(&app, "Aiko", "Tanaka").await;
    assert_eq!(
        unread_count(&app, &me).await,
        json!({"notifications": 0, "messages": 0})
    );

    requested_by(&app, &me, 2).await;

    assert_eq!(
        unread_count(&app, &me).await,
        json!({"notifications": 2, "messages": 0})
    );
}

#[tokio::test]
async fn marking_ids_read_marks_only_those() {
    let app = spawn_app().await;
    let me = person(&app, "Aiko", "Tanaka").await;
    requested_by(&app, &me, 3).await;
    let all = ids(&notifications(&app, &me).await);

    assert_no_content(mark_read(&app, &me, json!({"ids": [all[0], all[2]]})).await).await;

    assert_eq!(ids(&unread(&app, &me).await), [all[1].as_str()]);
    assert_eq!(unread_count(&app, &me).await["notifications"], 1);
    let page = notifications(&app, &me).await;
    let read: Vec<&Value> = page["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| &n["read"])
        .collect();
    assert_eq!(read, [true, false, true]);
}

#[tokio::test]
async fn marking_all_read_clears_my_unread_list_and_count_only() {
    let app = spawn_app().await;
    let me = person(&app, "Aiko", "Tanaka").await;
    let other = person(&app, "Hanako", "Mori").await;
    requested_by(&app, &me, 2).await;
    requested_by(&app, &other, 1).await;

    assert_no_content(mark_read(&app, &me, json!({"all": true})).await).await;

    assert!(ids(&unread(&app, &me).await).is_empty());
    assert_eq!(unread_count(&app, &me).await["notifications"], 0);
    assert_eq!(ids(&notifications(&app, &me).await).len(), 2);
    assert_eq!(unread_count(&app, &other).await["notifications"], 1);
}

#[tokio::test]
async fn someone_elses_or_an_unknown_id_is_404_and_nothing_is_marked() {
    let app = spawn_app().await;
    let me = person(&app, "Aiko", "Tanaka").await;
    let other = person(&app, "Hanako", "Mori").await;
    requested_by(&app, &me, 1).await;
    requested_by(&app, &other, 1).await;
    let mine = ids(&notifications(&app, &me).await);
    let theirs = ids(&notifications(&app, &other).await);

    let response = mark_read(&app, &me, json!({"ids": [mine[0], theirs[0]]})).await;

    assert_problem(response, 404, "notification_not_found").await;
    assert_eq!(unread_count(&app, &me).await["notifications"], 1);
    assert_eq!(unread_count(&app, &other).await["notifications"], 1);
    assert_eq!(ids(&unread(&app, &me).await), mine);
    let unknown = uuid::Uuid::now_v7().to_string();
    let response = mark_read(&app, &me, json!({"ids": [mine[0], unknown]})).await;
    assert_problem(response, 404, "notification_not_found").await;
    assert_eq!(unread_count(&app, &me).await["notifications"], 1);
}

#[tokio::test]
async fn marking_with_neither_ids_nor_all_is_422() {
    let app = spawn_app().await;
    let me = person(&app, "Aiko", "Tanaka").await;
    requested_by(&app, &me, 1).await;

    assert_problem(
        mark_read(&app, &me, json!({})).await,
        422,
        "validation_failed",
    )
    .await;
    let malformed = mark_read(&app, &me, json!({"ids": ["not-a-uuid"]})).await;
    assert_problem(malformed, 422, "validation_failed").await;
    assert_eq!(unread_count(&app, &me).await["notifications"], 1);
}

#[tokio::test]
async fn marking_an_id_twice_or_an_already_read_one_is_fine() {
    let app = spawn_app().await;
    let me = person(&app, "Aiko", "Tanaka").await;
    requested_by(&app, &me, 2).await;
    let all = ids(&notifications(&app, &me).await);

    assert_no_content(mark_read(&app, &me, json!({"ids": [all[0], all[0]]})).await).await;
    assert_no_content(mark_read(&app, &me, json!({"ids": [all[0]]})).await).await;

    assert_eq!(ids(&unread(&app, &me).await), [all[1].as_str()]);
}
