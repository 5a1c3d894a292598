use serde_json::Value;

use crate::people_support::{
    all_ids, assert_no_content, befriend, block, get_ok, ids, json_with, person, request_friend,
    set_city, set_privacy,
};
use crate::support::{RegisteredUser, TestApp, spawn_app};

const SUGGESTIONS: &str = "/api/v1/users/me/suggestions";

/// My suggestions, one big page.
async fn suggestions(app: &TestApp, me: &RegisteredUser) -> Value {
    get_ok(app, &format!("{SUGGESTIONS}?limit=100"), me).await
}

/// Where `id` ranks in `ids`, failing if it is missing.
fn rank(ids: &[String], id: &str) -> usize {
    ids.iter()
        .position(|i| i == id)
        .unwrap_or_else(|| panic!("{id} not suggested: {ids:?}"))
}

/// `person`, befriended with each of `friends`, living in `city`.
async fn friend_of(
    app: &TestApp,
    first: &str,
    friends: &[&RegisteredUser],
    city: Option<&str>,
) -> RegisteredUser {
    let someone = person(app, first, "Suzuki").await;
    for friend in friends {
        befriend(app, &someone, friend).await;
    }
    if let Some(city) = city {
        set_city(app, &someone, city).await;
    }
    someone
}

#[tokio::test]
async fn more_mutual_friends_rank_first_and_each_item_counts_them() {
    let app = spawn_app().await;
    let me = person(&app, "Aiko", "Tanaka").await;
    let [f1, f2, f3] = [
        person(&app, "Ren", "Sato").await,
        person(&app, "Yuki", "Mori").await,
        person(&app, "Kenji", "Ito").await,
    ];
    for f in [&f1, &f2, &f3] {
        befriend(&app, &me, f).await;
    }
    let one = friend_of(&app, "One", &[&f1], None).await;
    let three = friend_of(&app, "Three", &[&f1, &f2, &f3], None).await;
    let two = friend_of(&app, "Two", &[&f2, &f3], None).await;

    let page = suggestions(&app, &me).await;

    let listed = ids(&page);
    assert_eq!(
        listed[..3],
        [three.id.clone(), two.id.clone(), one.id.clone()],
        "{listed:?}"
    );
    let counts: Vec<&Value> = page["items"].as_array().unwrap()[..3]
        .iter()
        .map(|i| &i["mutualFriendsCount"])
        .collect();
    assert_eq!(counts, [3, 2, 1]);
}

#[tokio::test]
async fn with_equal_mutual_friends_my_city_ranks_first() {
    let app = spawn_app().await;
    let me = person(&app, "Aiko", "Tanaka").await;
    set_city(&app, &me, "Kyoto").await;
    let f = person(&app, "Ren", "Sato").await;
    befriend(&app, &me, &f).await;
    let elsewhere = friend_of(&app, "Osaka", &[&f], Some("Osaka")).await;
    let nowhere = friend_of(&app, "Nowhere", &[&f], None).await;
    let local = friend_of(&app, "Kyoto", &[&f], Some("Kyoto")).await;

    let listed = ids(&suggestions(&app, &me).await);

    assert!(
        rank(&listed, &local.id) < rank(&listed, &elsewhere.id),
        "{listed:?}"
    );
    assert!(
        rank(&listed, &local.id) < rank(&listed, &nowhere.id),
        "{listed:?}"
    );
}

#[tokio::test]
async fn mutual_friends_outrank_a_shared_city_and_a_shared_city_outranks_nothing_in_common() {
    let app = spawn_app().await;
    let me = person(&app, "Aiko", "Tanaka").await;
    set_city(&app, &me, "Kyoto").await;
    let f = person(&app, "Ren", "Sato").await;
    befriend(&app, &me, &f).await;
    let stranger = friend_of(&app, "Far", &[], Some("Sapporo")).await;
    let neighbour = friend_of(&app, "Near", &[], Some("Kyoto")).await;
    let mutual = friend_of(&app, "Mutual", &[&f], Some("Osaka")).await;

    let page = suggestions(&app, &me).await;

    let listed = ids(&page);
    assert!(
        rank(&listed, &mutual.id) < rank(&listed, &neighbour.id),
        "{listed:?}"
    );
    let neighbour_item = &page["items"][rank(&listed, &neighbour.id)];
    assert_eq!(neighbour_item["mutualFriendsCount"], 0);
    if let Some(far) = listed.iter().position(|i| *i == stranger.id) {
        assert!(rank(&listed, &neighbour.id) < far, "{listed:?}");
    }
}

#[tokio::test]
async fn suggestions_never_include_me_my_friends_pending_requests_or_blocks() {
    let app = spawn_app().await;
    let me = person(&app, "Aiko", "Tanaka").await;
    let f = person(&app, "Ren", "Sato").await;
    befriend(&app, &me, &f).await;
    let fine = friend_of(&app, "Fine", &[&f], None).await;
    let i_asked = friend_of(&app, "Asked", &[&f], None).await;
    let asked_me = friend_of(&app, "Asker", &[&f], None).await;
    let i_blocked = friend_of(&app, "Blocked", &[&f], None).await;
    let blocked_me = friend_of(&app, "Blocker", &[&f], None).await;
    json_with(request_friend(&app, &me, &i_asked.id).await, 201).await;
    json_with(request_friend(&app, &asked_me, &me.id).await, 201).await;
    assert_no_content(block(&app, &me, &i_blocked.id).await).await;
    assert_no_content(block(&app, &blocked_me, &me.id).await).await;

    let listed = ids(&suggestions(&app, &me).await);

    assert!(listed.contains(&fine.id), "{listed:?}");
    for (who, id) in [
        ("me", &me.id),
        ("my friend", &f.id),
        ("whom I asked", &i_asked.id),
        ("who asked me", &asked_me.id),
        ("whom I blocked", &i_blocked.id),
        ("who blocked me", &blocked_me.id),
    ] {
        assert!(!listed.contains(id), "{who} suggested: {listed:?}");
    }
}

#[tokio::test]
async fn suggestions_are_public_profiles_i_am_not_related_to() {
    let app = spawn_app().await;
    let me = person(&app, "Aiko", "Tanaka").await;
    let f = person(&app, "Ren", "Sato").await;
    befriend(&app, &me, &f).await;
    let candidate = friend_of(&app, "Hanako", &[&f], Some("Kyoto")).await;

    let page = suggestions(&app, &me).await;

    let item = &page["items"][rank(&ids(&page), &candidate.id)];
    assert_eq!(item["firstName"], "Hanako");
    assert_eq!(item["city"], "Kyoto");
    assert_eq!(item["friendship"], "none");
    assert_eq!(item["mutualFriendsCount"], 1);
    assert!(item.get("email").is_none(), "email leaked: {item}");
}

#[tokio::test]
async fn suggestions_page_without_duplicates() {
    let app = spawn_app().await;
    let me = person(&app, "Aiko", "Tanaka").await;
    let f = person(&app, "Ren", "Sato").await;
    befriend(&app, &me, &f).await;
    let mut expected = Vec::new();
    for first in ["Ichi", "Ni", "San", "Shi", "Go"] {
        expected.push(friend_of(&app, first, &[&f], None).await.id);
    }

    let mut listed = all_ids(&app, SUGGESTIONS, &me, 2).await;

    let before = listed.len();
    listed.sort();
    listed.dedup();
    assert_eq!(listed.len(), before, "a duplicate across pages");
    for id in &expected {
        assert!(listed.contains(id), "{id} missing from {listed:?}");
    }
}

#[tokio::test]
async fn a_city_hidden_by_privacy_does_not_make_a_stranger_a_suggestion() {
    let app = spawn_app().await;
    let me = person(&app, "Aiko", "Tanaka").await;
    set_city(&app, &me, "Kyoto").await;
    let public = friend_of(&app, "Public", &[], Some("Kyoto")).await;
    let private = friend_of(&app, "Private", &[], Some("Kyoto")).await;
    set_privacy(&app, &private, "profile", "friends").await;

    let listed = ids(&suggestions(&app, &me).await);

    assert!(listed.contains(&public.id), "{listed:?}");
    // Suggested with no mutual friends would tell me the city they hide from strangers.
    assert!(!listed.contains(&private.id), "{listed:?}");
}
