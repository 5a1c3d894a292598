use reqwest::Method;

use crate::assert_problem;
use crate::people_support::{
    all_ids, assert_no_content, befriend, block, friendship, get_ok, ids, json_with, person,
    request_friend, send,
};
use crate::support::{RegisteredUser, TestApp, spawn_app};

/// `DELETE /blocks/{id}` as `me`.
async fn unblock(app: &TestApp, me: &RegisteredUser, id: &str) -> reqwest::Response {
    send(app, Method::DELETE, &format!("/api/v1/blocks/{id}"), me).await
}

/// The ids on my block list.
async fn blocked_ids(app: &TestApp, me: &RegisteredUser) -> Vec<String> {
    ids(&get_ok(app, "/api/v1/blocks", me).await)
}

/// Pending request ids of `me` in `direction`.
async fn pending(app: &TestApp, me: &RegisteredUser, direction: &str) -> Vec<String> {
    ids(&get_ok(
        app,
        &format!("/api/v1/friends/requests?direction={direction}"),
        me,
    )
    .await)
}

#[tokio::test]
async fn blocking_answers_204_and_lists_the_user_with_when() {
    let app = spawn_app().await;
    let me = person(&app, "Aiko", "Tanaka").await;
    let them = person(&app, "Ren", "Sato").await;

    assert_no_content(block(&app, &me, &them.id).await).await;

    let list = get_ok(&app, "/api/v1/blocks", &me).await;
    assert_eq!(ids(&list), [them.id.as_str()]);
    let item = &list["items"][0];
    assert_eq!(item["user"]["firstName"], "Ren");
    assert_eq!(item["user"]["friendship"], "blocked");
    assert!(item["blockedAt"].as_str().unwrap().ends_with('Z'), "{item}");
    assert!(list["nextCursor"].is_null());
    assert!(blocked_ids(&app, &them).await.is_empty());
}

#[tokio::test]
async fn blocking_twice_is_204_again_and_listed_once() {
    let app = spawn_app().await;
    let me = person(&app, "Aiko", "Tanaka").await;
    let them = person(&app, "Ren", "Sato").await;
    assert_no_content(block(&app, &me, &them.id).await).await;

    assert_no_content(block(&app, &me, &them.id).await).await;

    assert_eq!(blocked_ids(&app, &me).await, [them.id.as_str()]);
}

#[tokio::test]
async fn blocking_myself_is_422_cannot_block_self() {
    let app = spawn_app().await;
    let me = person(&app, "Aiko", "Tanaka").await;

    assert_problem(block(&app, &me, &me.id).await, 422, "cannot_block_self").await;
}

#[tokio::test]
async fn blocking_an_unknown_user_is_404_user_not_found() {
    let app = spawn_app().await;
    let me = person(&app, "Aiko", "Tanaka").await;
    let unknown = uuid::Uuid::now_v7().to_string();

    assert_problem(block(&app, &me, &unknown).await, 404, "user_not_found").await;
    assert_problem(
        block(&app, &me, "not-a-uuid").await,
        422,
        "validation_failed",
    )
    .await;
}

#[tokio::test]
async fn blocking_ends_a_friendship_on_both_sides() {
    let app = spawn_app().await;
    let me = person(&app, "Aiko", "Tanaka").await;
    let them = person(&app, "Ren", "Sato").await;
    befriend(&app, &me, &them).await;

    assert_no_content(block(&app, &them, &me.id).await).await;

    assert_eq!(friendship(&app, &them, &me.id).await, "blocked");
    let mine = all_ids(&app, &format!("/api/v1/users/{}/friends", me.id), &me, 100).await;
    assert!(mine.is_empty(), "{mine:?}");
    let theirs = all_ids(
        &app,
        &format!("/api/v1/users/{}/friends", them.id),
        &them,
        100,
    )
    .await;
    assert!(theirs.is_empty(), "{theirs:?}");
    assert_eq!(
        get_ok(&app, "/api/v1/users/me", &me).await["friendsCount"],
        0
    );
    assert_eq!(
        get_ok(&app, "/api/v1/users/me", &them).await["friendsCount"],
        0
    );
}

#[tokio::test]
async fn blocking_ends_pending_requests_both_ways() {
    let app = spawn_app().await;
    let me = person(&app, "Aiko", "Tanaka").await;
    let asked_me = person(&app, "Ren", "Sato").await;
    let i_asked = person(&app, "Yuki", "Mori").await;
    json_with(request_friend(&app, &asked_me, &me.id).await, 201).await;
    json_with(request_friend(&app, &me, &i_asked.id).await, 201).await;

    assert_no_content(block(&app, &me, &asked_me.id).await).await;
    assert_no_content(block(&app, &me, &i_asked.id).await).await;

    assert!(pending(&app, &me, "incoming").await.is_empty());
    assert!(pending(&app, &me, "outgoing").await.is_empty());
    assert!(pending(&app, &asked_me, "outgoing").await.is_empty());
    assert!(pending(&app, &i_asked, "incoming").await.is_empty());
}

#[tokio::test]
async fn the_blocked_user_cannot_see_the_blocker_but_the_blocker_sees_them_as_blocked() {
    let app = spawn_app().await;
    let me = person(&app, "Aiko", "Tanaka").await;
    let them = person(&app, "Ren", "Sato").await;

    assert_no_content(block(&app, &me, &them.id).await).await;

    let response = app
        .get(
            &format!("/api/v1/users/{}", me.id),
            Some(&them.access_token),
        )
        .await;
    assert_problem(response, 404, "user_not_found").await;
    assert_eq!(friendship(&app, &me, &them.id).await, "blocked");
}

#[tokio::test]
async fn unblocking_answers_204_and_leaves_us_strangers() {
    let app = spawn_app().await;
    let me = person(&app, "Aiko", "Tanaka").await;
    let them = person(&app, "Ren", "Sato").await;
    befriend(&app, &me, &them).await;
    assert_no_content(block(&app, &me, &them.id).await).await;

    assert_no_content(unblock(&app, &me, &them.id).await).await;

    assert!(blocked_ids(&app, &me).await.is_empty());
    assert_eq!(friendship(&app, &me, &them.id).await, "none");
    assert_eq!(friendship(&app, &them, &me.id).await, "none");
    json_with(request_friend(&app, &them, &me.id).await, 201).await;
}

#[tokio::test]
async fn unblocking_someone_not_blocked_is_404_block_not_found() {
    let app = spawn_app().await;
    let me = person(&app, "Aiko", "Tanaka").await;
    let them = person(&app, "Ren", "Sato").await;

    assert_problem(unblock(&app, &me, &them.id).await, 404, "block_not_found").await;
    // Their block of me is not mine to lift.
    assert_no_content(block(&app, &them, &me.id).await).await;
    assert_problem(unblock(&app, &me, &them.id).await, 404, "block_not_found").await;
    let response = app
        .get(
            &format!("/api/v1/users/{}", them.id),
            Some(&me.access_token),
        )
        .await;
    assert_problem(response, 404, "user_not_found").await;
}

#[tokio::test]
async fn the_block_list_is_newest_first_and_pages() {
    let app = spawn_app().await;
    let me = person(&app, "Aiko", "Tanaka").await;
    let mut blocked = Vec::new();
    for last in ["Sato", "Mori", "Ito"] {
        let them = person(&app, "Ren", last).await;
        assert_no_content(block(&app, &me, &them.id).await).await;
        blocked.push(them.id);
    }

    let listed = all_ids(&app, "/api/v1/blocks", &me, 2).await;

    blocked.reverse();
    assert_eq!(listed, blocked);
}

#[tokio::test]
async fn two_people_may_block_each_other_and_one_unblock_leaves_the_other_block() {
    let app = spawn_app().await;
    let me = person(&app, "Aiko", "Tanaka").await;
    let them = person(&app, "Ren", "Sato").await;
    assert_no_content(block(&app, &them, &me.id).await).await;

    assert_no_content(block(&app, &me, &them.id).await).await;
    assert_no_content(unblock(&app, &them, &me.id).await).await;

    assert_eq!(blocked_ids(&app, &me).await, [them.id.as_str()]);
    let response = app
        .get(
            &format!("/api/v1/users/{}", me.id),
            Some(&them.access_token),
        )
        .await;
    assert_problem(response, 404, "user_not_found").await;
}

#[tokio::test]
async fn someone_who_blocked_me_is_not_shown_to_me_in_another_users_friends_list() {
    let app = spawn_app().await;
    let me = person(&app, "Aiko", "Tanaka").await;
    let owner = person(&app, "Ren", "Sato").await;
    let blocker = person(&app, "Yuki", "Mori").await;
    let other = person(&app, "Kenji", "Ito").await;
    befriend(&app, &owner, &blocker).await;
    befriend(&app, &owner, &other).await;
    assert_no_content(block(&app, &blocker, &me.id).await).await;

    let listed = all_ids(
        &app,
        &format!("/api/v1/users/{}/friends", owner.id),
        &me,
        100,
    )
    .await;

    assert_eq!(
        listed,
        [other.id.as_str()],
        "the blocker {} is visible to me",
        blocker.id
    );
}

#[tokio::test]
async fn blocking_while_being_requested_ends_with_no_pending_request() {
    let app = spawn_app().await;
    for _ in 0..5 {
        let me = person(&app, "Aiko", "Tanaka").await;
        let them = person(&app, "Ren", "Sato").await;

        let (blocked, requested) = tokio::join!(
            block(&app, &me, &them.id),
            request_friend(&app, &them, &me.id)
        );

        assert_eq!(blocked.status().as_u16(), 204);
        let status = requested.status().as_u16();
        assert!(
            [201, 403].contains(&status),
            "the request answered {status}"
        );
        assert!(pending(&app, &me, "incoming").await.is_empty());
        assert!(pending(&app, &them, "outgoing").await.is_empty());
        assert_eq!(friendship(&app, &me, &them.id).await, "blocked");
    }
}
