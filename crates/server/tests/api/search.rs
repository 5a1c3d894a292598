use futures_util::future::join_all;
use serde_json::Value;

use crate::assert_problem;
use crate::people_support::{
    all_ids, assert_no_content, befriend, block, encode, get_ok, ids, person, set_city, set_privacy,
};
use crate::support::{RegisteredUser, TestApp, spawn_app};

/// `GET /users?q=` as `me`, expecting 200.
async fn search(app: &TestApp, me: &RegisteredUser, q: &str) -> Value {
    get_ok(app, &format!("/api/v1/users?q={}", encode(q)), me).await
}

#[tokio::test]
async fn a_partial_surname_finds_the_person() {
    let app = spawn_app().await;
    let me = person(&app, "Aiko", "Ishikawa").await;
    let hanako = person(&app, "Hanako", "Tanaka").await;
    person(&app, "Ren", "Sato").await;

    let found = search(&app, &me, "Tanak").await;

    assert_eq!(ids(&found), [hanako.id.as_str()]);
    let item = &found["items"][0];
    assert_eq!(item["firstName"], "Hanako");
    assert_eq!(item["friendship"], "none");
    assert!(item.get("email").is_none(), "email leaked: {item}");
}

#[tokio::test]
async fn a_misspelt_name_still_finds_the_person() {
    let app = spawn_app().await;
    let me = person(&app, "Aiko", "Ishikawa").await;
    let hanako = person(&app, "Hanako", "Tanaka").await;
    person(&app, "Ren", "Sato").await;

    assert!(ids(&search(&app, &me, "Tnaaka").await).contains(&hanako.id));
    assert!(ids(&search(&app, &me, "hanako tanaka").await).contains(&hanako.id));
    assert!(ids(&search(&app, &me, "Hanak Tanka").await).contains(&hanako.id));
}

#[tokio::test]
async fn the_best_match_comes_first() {
    let app = spawn_app().await;
    let me = person(&app, "Aiko", "Ishikawa").await;
    person(&app, "Hana", "Tanabe").await;
    let exact = person(&app, "Hanako", "Tanaka").await;
    let partial = person(&app, "Taro", "Tanaka").await;

    let found = ids(&search(&app, &me, "Hanako Tanaka").await);

    assert_eq!(found.first(), Some(&exact.id), "{found:?}");
    assert!(found.contains(&partial.id), "{found:?}");
}

#[tokio::test]
async fn search_never_shows_me() {
    let app = spawn_app().await;
    let me = person(&app, "Hanako", "Tanaka").await;
    let namesake = person(&app, "Hanako", "Tanaka").await;

    assert_eq!(
        ids(&search(&app, &me, "Hanako Tanaka").await),
        [namesake.id.as_str()]
    );
}

#[tokio::test]
async fn search_hides_people_who_blocked_me() {
    let app = spawn_app().await;
    let me = person(&app, "Aiko", "Ishikawa").await;
    let blocker = person(&app, "Hanako", "Tanaka").await;
    let other = person(&app, "Hanako", "Tanaka").await;
    assert_no_content(block(&app, &blocker, &me.id).await).await;

    assert_eq!(
        ids(&search(&app, &me, "Hanako Tanaka").await),
        [other.id.as_str()]
    );
}

#[tokio::test]
async fn results_carry_my_relation_and_respect_profile_privacy() {
    let app = spawn_app().await;
    let me = person(&app, "Aiko", "Ishikawa").await;
    let friend = person(&app, "Hanako", "Tanaka").await;
    let private = person(&app, "Hanako", "Tanaka").await;
    befriend(&app, &me, &friend).await;
    set_city(&app, &private, "Kyoto").await;
    set_privacy(&app, &private, "profile", "friends").await;

    let found = search(&app, &me, "Hanako Tanaka").await;

    let item = |id: &str| {
        found["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|i| i["id"] == id)
            .unwrap_or_else(|| panic!("{id} missing in {found}"))
            .clone()
    };
    assert_eq!(item(&friend.id)["friendship"], "friends");
    assert_eq!(item(&private.id)["friendship"], "none");
    assert!(item(&private.id)["city"].is_null(), "{found}");
}

#[tokio::test]
async fn a_limit_over_100_is_capped_at_100() {
    let app = spawn_app().await;
    let me = person(&app, "Aiko", "Ishikawa").await;
    join_all((0..101).map(|_| person(&app, "Hanako", "Tanaka"))).await;

    let page = get_ok(&app, "/api/v1/users?q=Tanaka&limit=500", &me).await;

    assert_eq!(ids(&page).len(), 100);
    assert!(page["nextCursor"].is_string(), "{}", page["nextCursor"]);
    let default = get_ok(&app, "/api/v1/users?q=Tanaka", &me).await;
    assert_eq!(ids(&default).len(), 20);
}

#[tokio::test]
async fn a_missing_or_blank_q_is_422() {
    let app = spawn_app().await;
    let me = person(&app, "Aiko", "Ishikawa").await;

    for path in [
        "/api/v1/users",
        "/api/v1/users?q=",
        "/api/v1/users?q=%20%20",
    ] {
        let response = app.get(path, Some(&me.access_token)).await;
        assert_eq!(response.status().as_u16(), 422, "{path}");
        assert_problem(response, 422, "validation_failed").await;
    }
}

#[tokio::test]
async fn search_pages_through_every_match_once_even_among_namesakes() {
    let app = spawn_app().await;
    let me = person(&app, "Aiko", "Ishikawa").await;
    let mut expected = Vec::new();
    for first in [
        "Hanako", "Hanako", "Hanako", "Hanako", "Hanae", "Hanami", "Hanna",
    ] {
        expected.push(person(&app, first, "Tanaka").await.id);
    }

    let mut listed = all_ids(&app, "/api/v1/users?q=Hanako%20Tanaka", &me, 2).await;

    listed.sort();
    expected.sort();
    assert_eq!(listed, expected);
}

#[tokio::test]
async fn unrelated_names_and_like_wildcards_find_nobody() {
    let app = spawn_app().await;
    let me = person(&app, "Aiko", "Ishikawa").await;
    person(&app, "Hanako", "Tanaka").await;

    for q in ["Zbigniew Wójcik", "%", "_", "%a%", "\\\\"] {
        let found = search(&app, &me, q).await;
        assert!(ids(&found).is_empty(), "{q} found {found}");
        assert!(found["nextCursor"].is_null(), "{q}: {found}");
    }
}

#[tokio::test]
async fn a_very_long_q_is_answered_without_a_server_error() {
    let app = spawn_app().await;
    let me = person(&app, "Aiko", "Ishikawa").await;

    let path = format!("/api/v1/users?q={}", "Tanaka".repeat(500));
    let response = app.get(&path, Some(&me.access_token)).await;

    let status = response.status().as_u16();
    assert!(
        [200, 422].contains(&status),
        "{status}: {}",
        response.text().await.unwrap()
    );
}
