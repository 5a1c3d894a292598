use reqwest::Method;
use serde_json::{Value, json};

use crate::assert_problem;
use crate::people_support::{
    all_ids, assert_no_content, befriend, block, friendship, get_ok, ids, json_with, person,
    profile, request_friend, send, send_json, set_city, set_privacy,
};
use crate::support::{RegisteredUser, TestApp, spawn_app};

/// `POST /friends/requests/{from}/{action}` as `me`.
async fn answer(app: &TestApp, me: &RegisteredUser, from: &str, action: &str) -> reqwest::Response {
    send(
        app,
        Method::POST,
        &format!("/api/v1/friends/requests/{from}/{action}"),
        me,
    )
    .await
}

/// My pending requests in `direction`.
async fn requests(app: &TestApp, me: &RegisteredUser, direction: &str) -> Value {
    get_ok(
        app,
        &format!("/api/v1/friends/requests?direction={direction}"),
        me,
    )
    .await
}

/// The ids on `owner`'s friends list as `viewer` sees it (every page).
async fn friend_ids(app: &TestApp, viewer: &RegisteredUser, owner: &str) -> Vec<String> {
    all_ids(app, &format!("/api/v1/users/{owner}/friends"), viewer, 100).await
}

/// `n` people named `Kenji Frienda`, `Kenji Friendb`, ...
async fn people(app: &TestApp, n: usize) -> Vec<RegisteredUser> {
    let mut out = Vec::new();
    for i in 0..n {
        let last = format!("Friend{}", char::from(b'a' + u8::try_from(i).unwrap()));
        out.push(person(app, "Kenji", &last).await);
    }
    out
}

#[tokio::test]
async fn sending_a_request_answers_201_with_outgoing_request_and_the_user() {
    let app = spawn_app().await;
    let me = person(&app, "Aiko", "Tanaka").await;
    let them = person(&app, "Ren", "Sato").await;

    let body = json_with(request_friend(&app, &me, &them.id).await, 201).await;

    assert_eq!(body["userId"], them.id.as_str());
    assert_eq!(body["friendship"], "outgoing_request");
    assert_eq!(body["user"]["id"], them.id.as_str());
    assert_eq!(body["user"]["firstName"], "Ren");
    assert_eq!(body["user"]["friendship"], "outgoing_request");
    assert!(body["user"].get("email").is_none(), "email leaked: {body}");
}

#[tokio::test]
async fn the_201_of_a_request_carries_what_the_requests_list_shows() {
    let app = spawn_app().await;
    let me = person(&app, "Aiko", "Tanaka").await;
    let them = person(&app, "Ren", "Sato").await;

    let sent = json_with(request_friend(&app, &me, &them.id).await, 201).await;
    let listed = requests(&app, &me, "outgoing").await;

    assert_eq!(sent["direction"], "outgoing");
    assert_eq!(sent["createdAt"], listed["items"][0]["createdAt"]);
    assert_eq!(sent["user"], listed["items"][0]["user"]);
    // Accepting their request by sending mine makes us friends: no request to describe.
    let back = json_with(request_friend(&app, &them, &me.id).await, 200).await;
    assert_eq!(back["friendship"], "friends");
    assert!(back.get("direction").is_none(), "{back}");
    assert!(back.get("createdAt").is_none(), "{back}");
}

#[tokio::test]
async fn my_friends_are_listed_at_users_me_friends() {
    let app = spawn_app().await;
    let me = person(&app, "Aiko", "Tanaka").await;
    let them = person(&app, "Ren", "Sato").await;
    befriend(&app, &me, &them).await;

    let mine = get_ok(&app, "/api/v1/users/me/friends", &me).await;

    assert_eq!(ids(&mine), [them.id.as_str()]);
    let response = send(&app, Method::GET, "/api/v1/users/not-a-user/friends", &me).await;
    assert_problem(response, 404, "user_not_found").await;
}

#[tokio::test]
async fn a_request_is_outgoing_for_me_and_incoming_for_them() {
    let app = spawn_app().await;
    let me = person(&app, "Aiko", "Tanaka").await;
    let them = person(&app, "Ren", "Sato").await;
    json_with(request_friend(&app, &me, &them.id).await, 201).await;

    let mine = requests(&app, &me, "outgoing").await;
    let theirs = requests(&app, &them, "incoming").await;

    assert_eq!(ids(&mine), [them.id.as_str()]);
    assert_eq!(mine["items"][0]["direction"], "outgoing");
    assert_eq!(mine["items"][0]["user"]["friendship"], "outgoing_request");
    assert!(
        mine["items"][0]["createdAt"]
            .as_str()
            .unwrap()
            .ends_with('Z')
    );
    assert_eq!(ids(&theirs), [me.id.as_str()]);
    assert_eq!(theirs["items"][0]["direction"], "incoming");
    assert_eq!(theirs["items"][0]["user"]["friendship"], "incoming_request");
    assert!(ids(&requests(&app, &me, "incoming").await).is_empty());
    assert!(ids(&requests(&app, &them, "outgoing").await).is_empty());
    assert_eq!(friendship(&app, &me, &them.id).await, "outgoing_request");
    assert_eq!(friendship(&app, &them, &me.id).await, "incoming_request");
}

#[tokio::test]
async fn the_requests_list_defaults_to_incoming_and_refuses_other_directions() {
    let app = spawn_app().await;
    let me = person(&app, "Aiko", "Tanaka").await;
    let them = person(&app, "Ren", "Sato").await;
    json_with(request_friend(&app, &them, &me.id).await, 201).await;
    let other = person(&app, "Yuki", "Mori").await;
    json_with(request_friend(&app, &me, &other.id).await, 201).await;

    let default = get_ok(&app, "/api/v1/friends/requests", &me).await;
    assert_eq!(ids(&default), [them.id.as_str()]);

    let response = app
        .get(
            "/api/v1/friends/requests?direction=sideways",
            Some(&me.access_token),
        )
        .await;
    assert_problem(response, 422, "validation_failed").await;
}

#[tokio::test]
async fn accepting_makes_us_friends_on_both_sides_and_clears_the_request() {
    let app = spawn_app().await;
    let me = person(&app, "Aiko", "Tanaka").await;
    let them = person(&app, "Ren", "Sato").await;
    json_with(request_friend(&app, &them, &me.id).await, 201).await;

    let body = json_with(answer(&app, &me, &them.id, "accept").await, 200).await;

    assert_eq!(body["userId"], them.id.as_str());
    assert_eq!(body["friendship"], "friends");
    assert_eq!(body["user"]["id"], them.id.as_str());
    assert_eq!(body["user"]["friendship"], "friends");
    assert_eq!(body["user"]["friendsCount"], 1);
    assert_eq!(friendship(&app, &me, &them.id).await, "friends");
    assert_eq!(friendship(&app, &them, &me.id).await, "friends");
    assert!(ids(&requests(&app, &me, "incoming").await).is_empty());
    assert!(ids(&requests(&app, &them, "outgoing").await).is_empty());
    assert_eq!(friend_ids(&app, &me, &me.id).await, [them.id.as_str()]);
    assert_eq!(friend_ids(&app, &them, &them.id).await, [me.id.as_str()]);
}

#[tokio::test]
async fn requesting_someone_who_requested_me_makes_us_friends_at_once() {
    let app = spawn_app().await;
    let me = person(&app, "Aiko", "Tanaka").await;
    let them = person(&app, "Ren", "Sato").await;
    json_with(request_friend(&app, &them, &me.id).await, 201).await;

    let body = json_with(request_friend(&app, &me, &them.id).await, 200).await;

    assert_eq!(body["userId"], them.id.as_str());
    assert_eq!(body["friendship"], "friends");
    assert_eq!(friendship(&app, &them, &me.id).await, "friends");
    assert!(ids(&requests(&app, &me, "incoming").await).is_empty());
    assert!(ids(&requests(&app, &them, "outgoing").await).is_empty());
}

#[tokio::test]
async fn declining_removes_the_request_and_leaves_us_strangers_free_to_ask_again() {
    let app = spawn_app().await;
    let me = person(&app, "Aiko", "Tanaka").await;
    let them = person(&app, "Ren", "Sato").await;
    json_with(request_friend(&app, &them, &me.id).await, 201).await;

    assert_no_content(answer(&app, &me, &them.id, "decline").await).await;

    assert!(ids(&requests(&app, &me, "incoming").await).is_empty());
    assert!(ids(&requests(&app, &them, "outgoing").await).is_empty());
    assert_eq!(friendship(&app, &me, &them.id).await, "none");
    assert_eq!(friendship(&app, &them, &me.id).await, "none");
    json_with(request_friend(&app, &them, &me.id).await, 201).await;
    assert_no_content(answer(&app, &me, &them.id, "decline").await).await;
    json_with(request_friend(&app, &me, &them.id).await, 201).await;
}

#[tokio::test]
async fn cancelling_my_request_removes_it_for_both() {
    let app = spawn_app().await;
    let me = person(&app, "Aiko", "Tanaka").await;
    let them = person(&app, "Ren", "Sato").await;
    json_with(request_friend(&app, &me, &them.id).await, 201).await;

    let path = format!("/api/v1/friends/requests/{}", them.id);
    assert_no_content(send(&app, Method::DELETE, &path, &me).await).await;

    assert!(ids(&requests(&app, &me, "outgoing").await).is_empty());
    assert!(ids(&requests(&app, &them, "incoming").await).is_empty());
    assert_eq!(friendship(&app, &them, &me.id).await, "none");
    // A cancelled request can be sent again.
    json_with(request_friend(&app, &me, &them.id).await, 201).await;
}

#[tokio::test]
async fn unfriending_ends_the_friendship_on_both_sides() {
    let app = spawn_app().await;
    let me = person(&app, "Aiko", "Tanaka").await;
    let them = person(&app, "Ren", "Sato").await;
    befriend(&app, &me, &them).await;

    let path = format!("/api/v1/friends/{}", them.id);
    assert_no_content(send(&app, Method::DELETE, &path, &me).await).await;

    assert_eq!(friendship(&app, &me, &them.id).await, "none");
    assert_eq!(friendship(&app, &them, &me.id).await, "none");
    assert!(friend_ids(&app, &me, &me.id).await.is_empty());
    assert!(friend_ids(&app, &them, &them.id).await.is_empty());
}

#[tokio::test]
async fn friend_counts_follow_accepts_and_unfriends() {
    let app = spawn_app().await;
    let me = person(&app, "Aiko", "Tanaka").await;
    let [a, b] = [
        person(&app, "Ren", "Sato").await,
        person(&app, "Yuki", "Mori").await,
    ];
    befriend(&app, &me, &a).await;
    befriend(&app, &b, &me).await;

    assert_eq!(
        get_ok(&app, "/api/v1/users/me", &me).await["friendsCount"],
        2
    );
    assert_eq!(profile(&app, &a, &me.id).await["friendsCount"], 2);
    assert_eq!(profile(&app, &me, &a.id).await["friendsCount"], 1);

    let path = format!("/api/v1/friends/{}", me.id);
    assert_no_content(send(&app, Method::DELETE, &path, &a).await).await;

    assert_eq!(
        get_ok(&app, "/api/v1/users/me", &me).await["friendsCount"],
        1
    );
    assert_eq!(profile(&app, &me, &a.id).await["friendsCount"], 0);
}

#[tokio::test]
async fn a_request_to_myself_is_422_cannot_befriend_self() {
    let app = spawn_app().await;
    let me = person(&app, "Aiko", "Tanaka").await;

    assert_problem(
        request_friend(&app, &me, &me.id).await,
        422,
        "cannot_befriend_self",
    )
    .await;
}

#[tokio::test]
async fn a_request_to_an_unknown_user_is_404_user_not_found() {
    let app = spawn_app().await;
    let me = person(&app, "Aiko", "Tanaka").await;
    let unknown = uuid::Uuid::now_v7().to_string();

    assert_problem(
        request_friend(&app, &me, &unknown).await,
        404,
        "user_not_found",
    )
    .await;
}

#[tokio::test]
async fn a_malformed_or_missing_user_id_is_422_validation_failed() {
    let app = spawn_app().await;
    let me = person(&app, "Aiko", "Tanaka").await;

    assert_problem(
        request_friend(&app, &me, "not-a-uuid").await,
        422,
        "validation_failed",
    )
    .await;
    let empty = send_json(
        &app,
        Method::POST,
        "/api/v1/friends/requests",
        &json!({}),
        &me,
    )
    .await;
    assert_problem(empty, 422, "validation_failed").await;
}

#[tokio::test]
async fn a_request_to_a_friend_is_409_already_friends() {
    let app = spawn_app().await;
    let me = person(&app, "Aiko", "Tanaka").await;
    let them = person(&app, "Ren", "Sato").await;
    befriend(&app, &them, &me).await;

    assert_problem(
        request_friend(&app, &me, &them.id).await,
        409,
        "already_friends",
    )
    .await;
    assert_problem(
        request_friend(&app, &them, &me.id).await,
        409,
        "already_friends",
    )
    .await;
}

#[tokio::test]
async fn a_second_request_is_409_already_requested() {
    let app = spawn_app().await;
    let me = person(&app, "Aiko", "Tanaka").await;
    let them = person(&app, "Ren", "Sato").await;
    json_with(request_friend(&app, &me, &them.id).await, 201).await;

    assert_problem(
        request_friend(&app, &me, &them.id).await,
        409,
        "already_requested",
    )
    .await;
    assert_eq!(ids(&requests(&app, &them, "incoming").await).len(), 1);
}

#[tokio::test]
async fn a_request_to_someone_i_blocked_is_403_blocked() {
    let app = spawn_app().await;
    let me = person(&app, "Aiko", "Tanaka").await;
    let them = person(&app, "Ren", "Sato").await;
    assert_no_content(block(&app, &me, &them.id).await).await;

    assert_problem(request_friend(&app, &me, &them.id).await, 403, "blocked").await;
}

#[tokio::test]
async fn a_request_to_someone_who_blocked_me_is_403_blocked() {
    let app = spawn_app().await;
    let me = person(&app, "Aiko", "Tanaka").await;
    let them = person(&app, "Ren", "Sato").await;
    assert_no_content(block(&app, &them, &me.id).await).await;

    assert_problem(request_friend(&app, &me, &them.id).await, 403, "blocked").await;
    assert!(ids(&requests(&app, &them, "incoming").await).is_empty());
}

#[tokio::test]
async fn accepting_without_an_incoming_request_is_404_request_not_found() {
    let app = spawn_app().await;
    let me = person(&app, "Aiko", "Tanaka").await;
    let them = person(&app, "Ren", "Sato").await;

    assert_problem(
        answer(&app, &me, &them.id, "accept").await,
        404,
        "request_not_found",
    )
    .await;
    // My own outgoing request is not mine to accept.
    json_with(request_friend(&app, &me, &them.id).await, 201).await;
    assert_problem(
        answer(&app, &me, &them.id, "accept").await,
        404,
        "request_not_found",
    )
    .await;
    assert_eq!(friendship(&app, &me, &them.id).await, "outgoing_request");
}

#[tokio::test]
async fn declining_without_an_incoming_request_is_404_request_not_found() {
    let app = spawn_app().await;
    let me = person(&app, "Aiko", "Tanaka").await;
    let them = person(&app, "Ren", "Sato").await;

    assert_problem(
        answer(&app, &me, &them.id, "decline").await,
        404,
        "request_not_found",
    )
    .await;
    json_with(request_friend(&app, &me, &them.id).await, 201).await;
    assert_problem(
        answer(&app, &me, &them.id, "decline").await,
        404,
        "request_not_found",
    )
    .await;
    assert_eq!(friendship(&app, &them, &me.id).await, "incoming_request");
}

#[tokio::test]
async fn cancelling_without_an_outgoing_request_is_404_request_not_found() {
    let app = spawn_app().await;
    let me = person(&app, "Aiko", "Tanaka").await;
    let them = person(&app, "Ren", "Sato").await;
    let path = format!("/api/v1/friends/requests/{}", them.id);

    assert_problem(
        send(&app, Method::DELETE, &path, &me).await,
        404,
        "request_not_found",
    )
    .await;
    // Their request to me is not mine to cancel.
    json_with(request_friend(&app, &them, &me.id).await, 201).await;
    assert_problem(
        send(&app, Method::DELETE, &path, &me).await,
        404,
        "request_not_found",
    )
    .await;
    assert_eq!(friendship(&app, &me, &them.id).await, "incoming_request");
}

#[tokio::test]
async fn unfriending_someone_who_is_not_my_friend_is_404_not_friends() {
    let app = spawn_app().await;
    let me = person(&app, "Aiko", "Tanaka").await;
    let them = person(&app, "Ren", "Sato").await;
    let path = format!("/api/v1/friends/{}", them.id);

    assert_problem(
        send(&app, Method::DELETE, &path, &me).await,
        404,
        "not_friends",
    )
    .await;
    // A pending request is not a friendship either.
    json_with(request_friend(&app, &me, &them.id).await, 201).await;
    assert_problem(
        send(&app, Method::DELETE, &path, &me).await,
        404,
        "not_friends",
    )
    .await;
    assert_eq!(friendship(&app, &me, &them.id).await, "outgoing_request");
}

#[tokio::test]
async fn the_friends_list_is_newest_friendship_first_and_pages_without_duplicates() {
    let app = spawn_app().await;
    let me = person(&app, "Aiko", "Tanaka").await;
    let friends = people(&app, 5).await;
    for friend in &friends {
        befriend(&app, friend, &me).await;
    }

    let listed = all_ids(&app, &format!("/api/v1/users/{}/friends", me.id), &me, 2).await;

    let newest_first: Vec<String> = friends.iter().rev().map(|f| f.id.clone()).collect();
    assert_eq!(listed, newest_first);
    let first = get_ok(
        &app,
        &format!("/api/v1/users/{}/friends?limit=2", me.id),
        &me,
    )
    .await;
    assert_eq!(ids(&first).len(), 2);
    assert!(first["nextCursor"].is_string());
    assert_eq!(first["items"][0]["friendship"], "friends");
}

#[tokio::test]
async fn the_q_filter_narrows_a_friends_list_by_name() {
    let app = spawn_app().await;
    let me = person(&app, "Aiko", "Tanaka").await;
    let hanako = person(&app, "Hanako", "Yamamoto").await;
    let ren = person(&app, "Ren", "Sato").await;
    let yuki = person(&app, "Yuki", "Yamada").await;
    for friend in [&hanako, &ren, &yuki] {
        befriend(&app, &me, friend).await;
    }
    let viewer = person(&app, "Kenji", "Ito").await;

    let path = format!("/api/v1/users/{}/friends?q=Hanako", me.id);
    assert_eq!(
        ids(&get_ok(&app, &path, &viewer).await),
        [hanako.id.as_str()]
    );
    let path = format!("/api/v1/users/{}/friends?q=sato", me.id);
    assert_eq!(ids(&get_ok(&app, &path, &viewer).await), [ren.id.as_str()]);
    let path = format!("/api/v1/users/{}/friends?q=Zebedee", me.id);
    assert!(ids(&get_ok(&app, &path, &viewer).await).is_empty());
}

#[tokio::test]
async fn mutual_friends_are_the_friends_we_share() {
    let app = spawn_app().await;
    let me = person(&app, "Aiko", "Tanaka").await;
    let them = person(&app, "Ren", "Sato").await;
    let [shared_a, shared_b, only_mine, only_theirs] = [
        person(&app, "Hanako", "Ito").await,
        person(&app, "Yuki", "Mori").await,
        person(&app, "Kenji", "Abe").await,
        person(&app, "Mei", "Ono").await,
    ];
    for f in [&shared_a, &shared_b, &only_mine] {
        befriend(&app, &me, f).await;
    }
    for f in [&shared_a, &shared_b, &only_theirs] {
        befriend(&app, &them, f).await;
    }

    let mutual = get_ok(
        &app,
        &format!("/api/v1/users/{}/friends/mutual", them.id),
        &me,
    )
    .await;

    let mut got = ids(&mutual);
    got.sort();
    let mut expected = vec![shared_a.id.clone(), shared_b.id.clone()];
    expected.sort();
    assert_eq!(got, expected);
    assert!(mutual["nextCursor"].is_null());
    let paged = all_ids(
        &app,
        &format!("/api/v1/users/{}/friends/mutual", them.id),
        &me,
        1,
    )
    .await;
    assert_eq!(paged.len(), 2);
    assert_ne!(paged[0], paged[1]);
}

#[tokio::test]
async fn a_friends_only_list_is_403_for_strangers_but_open_to_friends_and_the_owner() {
    let app = spawn_app().await;
    let owner = person(&app, "Aiko", "Tanaka").await;
    let friend = person(&app, "Ren", "Sato").await;
    let stranger = person(&app, "Yuki", "Mori").await;
    befriend(&app, &owner, &friend).await;
    set_privacy(&app, &owner, "friends", "friends").await;
    let path = format!("/api/v1/users/{}/friends", owner.id);

    let response = app.get(&path, Some(&stranger.access_token)).await;
    assert_problem(response, 403, "privacy_restricted").await;
    assert_eq!(
        ids(&get_ok(&app, &path, &friend).await),
        [friend.id.as_str()]
    );
    assert_eq!(
        ids(&get_ok(&app, &path, &owner).await),
        [friend.id.as_str()]
    );
}

#[tokio::test]
async fn the_friends_and_mutual_friends_of_an_unknown_user_or_one_who_blocked_me_are_404() {
    let app = spawn_app().await;
    let owner = person(&app, "Aiko", "Tanaka").await;
    let me = person(&app, "Ren", "Sato").await;
    assert_no_content(block(&app, &owner, &me.id).await).await;
    let unknown = uuid::Uuid::now_v7().to_string();

    for id in [owner.id.as_str(), unknown.as_str()] {
        for list in ["friends", "friends/mutual"] {
            let path = format!("/api/v1/users/{id}/{list}");
            let response = app.get(&path, Some(&me.access_token)).await;
            assert_eq!(response.status().as_u16(), 404, "{path}");
            assert_problem(response, 404, "user_not_found").await;
        }
    }
}

#[tokio::test]
async fn bad_limits_and_cursors_are_422_on_every_list() {
    let app = spawn_app().await;
    let me = person(&app, "Aiko", "Tanaka").await;
    let lists = [
        format!("/api/v1/users/{}/friends?", me.id),
        format!("/api/v1/users/{}/friends/mutual?", me.id),
        "/api/v1/users?q=Tanaka&".to_owned(),
        "/api/v1/users/me/suggestions?".to_owned(),
        "/api/v1/friends/requests?".to_owned(),
        "/api/v1/blocks?".to_owned(),
        "/api/v1/notifications?".to_owned(),
    ];

    for list in &lists {
        for query in ["limit=0", "limit=ten", "limit=-1", "cursor=garbage"] {
            let path = format!("{list}{query}");
            let response = app.get(&path, Some(&me.access_token)).await;
            assert_eq!(response.status().as_u16(), 422, "{path}");
            assert_problem(response, 422, "validation_failed").await;
        }
    }
}

#[tokio::test]
async fn crossing_requests_sent_at_once_end_in_exactly_one_friendship() {
    let app = spawn_app().await;
    for _ in 0..5 {
        let a = person(&app, "Aiko", "Tanaka").await;
        let b = person(&app, "Ren", "Sato").await;

        let (ab, ba) = tokio::join!(
            request_friend(&app, &a, &b.id),
            request_friend(&app, &b, &a.id)
        );

        let statuses = [ab.status().as_u16(), ba.status().as_u16()];
        let bodies = [ab.text().await.unwrap(), ba.text().await.unwrap()];
        for (status, body) in statuses.iter().zip(&bodies) {
            assert!([200, 201].contains(status), "{status}: {body}");
        }
        assert!(
            bodies
                .iter()
                .any(|b| b.contains(r#""friendship":"friends""#)),
            "neither answer made us friends: {bodies:?}"
        );
        assert_eq!(friendship(&app, &a, &b.id).await, "friends");
        assert_eq!(friendship(&app, &b, &a.id).await, "friends");
        assert_eq!(friend_ids(&app, &a, &a.id).await, [b.id.as_str()]);
        assert_eq!(friend_ids(&app, &b, &b.id).await, [a.id.as_str()]);
        assert_eq!(
            get_ok(&app, "/api/v1/users/me", &a).await["friendsCount"],
            1
        );
        assert!(ids(&requests(&app, &a, "incoming").await).is_empty());
        assert!(ids(&requests(&app, &b, "incoming").await).is_empty());
    }
}

#[tokio::test]
async fn incoming_requests_are_newest_first_and_page() {
    let app = spawn_app().await;
    let me = person(&app, "Aiko", "Tanaka").await;
    let senders = people(&app, 3).await;
    for sender in &senders {
        json_with(request_friend(&app, sender, &me.id).await, 201).await;
    }

    let listed = all_ids(&app, "/api/v1/friends/requests?direction=incoming", &me, 2).await;

    let newest_first: Vec<String> = senders.iter().rev().map(|s| s.id.clone()).collect();
    assert_eq!(listed, newest_first);
}

#[tokio::test]
async fn a_friends_list_shows_each_friend_as_the_viewer_relates_to_them() {
    let app = spawn_app().await;
    let owner = person(&app, "Aiko", "Tanaka").await;
    let viewer = person(&app, "Ren", "Sato").await;
    let common = person(&app, "Yuki", "Mori").await;
    let private = person(&app, "Kenji", "Ito").await;
    for friend in [&viewer, &common, &private] {
        befriend(&app, &owner, friend).await;
    }
    befriend(&app, &viewer, &common).await;
    set_city(&app, &private, "Kyoto").await;
    set_privacy(&app, &private, "profile", "friends").await;

    let page = get_ok(
        &app,
        &format!("/api/v1/users/{}/friends", owner.id),
        &viewer,
    )
    .await;

    let item = |id: &str| {
        page["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|i| i["id"] == id)
            .unwrap_or_else(|| panic!("{id} missing in {page}"))
            .clone()
    };
    assert_eq!(item(&viewer.id)["friendship"], "self");
    assert_eq!(item(&common.id)["friendship"], "friends");
    assert_eq!(item(&private.id)["friendship"], "none");
    assert!(item(&private.id)["city"].is_null(), "{page}");
    assert!(item(&private.id).get("email").is_none(), "{page}");
}

#[tokio::test]
async fn the_same_request_sent_twice_at_once_is_one_request_and_one_409() {
    let app = spawn_app().await;
    for _ in 0..5 {
        let a = person(&app, "Aiko", "Tanaka").await;
        let b = person(&app, "Ren", "Sato").await;

        let (first, second) = tokio::join!(
            request_friend(&app, &a, &b.id),
            request_friend(&app, &a, &b.id)
        );

        let mut statuses = [first.status().as_u16(), second.status().as_u16()];
        statuses.sort_unstable();
        assert_eq!(statuses, [201, 409]);
        assert_eq!(ids(&requests(&app, &b, "incoming").await), [a.id.as_str()]);
        let notified = get_ok(&app, "/api/v1/notifications", &b).await;
        assert_eq!(ids(&notified).len(), 1, "{notified}");
    }
}

#[tokio::test]
async fn accepting_while_the_sender_cancels_leaves_one_consistent_outcome() {
    let app = spawn_app().await;
    for _ in 0..5 {
        let a = person(&app, "Aiko", "Tanaka").await;
        let b = person(&app, "Ren", "Sato").await;
        json_with(request_friend(&app, &a, &b.id).await, 201).await;

        let cancel_path = format!("/api/v1/friends/requests/{}", b.id);
        let (cancel, accept) = tokio::join!(
            send(&app, Method::DELETE, &cancel_path, &a),
            answer(&app, &b, &a.id, "accept"),
        );

        let outcome = (cancel.status().as_u16(), accept.status().as_u16());
        let (seen_by_a, seen_by_b) = (
            friendship(&app, &a, &b.id).await,
            friendship(&app, &b, &a.id).await,
        );
        match outcome {
            (204, 404) => assert_eq!((seen_by_a.as_str(), seen_by_b.as_str()), ("none", "none")),
            (404, 200) => {
                assert_eq!(
                    (seen_by_a.as_str(), seen_by_b.as_str()),
                    ("friends", "friends")
                );
            }
            other => panic!("cancel/accept answered {other:?}"),
        }
    }
}
