//! Events leave through the transactional outbox: a committed change's events are delivered and
//! cleared right away, and what a crash left behind is delivered by the relay.

use std::time::Duration;

use reqwest::StatusCode;
use serde_json::json;
use tokio_postgres::NoTls;

use crate::support::{TestApp, spawn_app, spawn_app_with};

async fn db(app: &TestApp) -> tokio_postgres::Client {
    let (client, connection) = tokio_postgres::connect(app.db.url(), NoTls)
        .await
        .expect("connect to the test database");
    tokio::spawn(connection);
    client
}

async fn outbox_rows(client: &tokio_postgres::Client) -> i64 {
    client
        .query_one("SELECT count(*) FROM event_outbox", &[])
        .await
        .expect("count outbox rows")
        .get(0)
}

/// Waits until the outbox holds `rows` rows; panics after 10 s.
async fn wait_for_rows(client: &tokio_postgres::Client, rows: i64) {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    loop {
        let now = outbox_rows(client).await;
        if now == rows {
            return;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "the outbox still holds {now} rows, expected {rows}"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

#[tokio::test]
async fn a_friend_requests_events_are_delivered_and_cleared_from_the_outbox() {
    let app = spawn_app().await;
    let client = db(&app).await;
    let (aiko, ren) = (app.register().await, app.register().await);

    let response = app
        .post_json(
            "/api/v1/friends/requests",
            &json!({"userId": ren.id}),
            Some(&aiko.access_token),
        )
        .await;

    assert_eq!(response.status(), StatusCode::CREATED);
    wait_for_rows(&client, 0).await;
}

#[tokio::test]
async fn the_relay_delivers_what_a_crash_left_and_keeps_what_it_cannot_read() {
    let app = spawn_app_with(&[
        ("EVENT_RELAY_INTERVAL", "50ms"),
        ("EVENT_RELAY_GRACE", "1s"),
    ])
    .await;
    let client = db(&app).await;
    let aiko = app.register().await;
    let plant = "INSERT INTO event_outbox (id, kind, payload, recipients, occurred_at) \
                 VALUES (gen_random_uuid(), $1, $2::text::jsonb, ARRAY[$3::text::uuid], \
                 now() - interval '1 minute')";
    let left_by_a_crash = json!({
        "kind": "settings_updated", "user_id": aiko.id, "theme": "dark",
        "profile": "everyone", "friends": "everyone", "photos": "everyone",
        "messages": "everyone"
    });
    let unreadable = json!({"kind": "from_a_future_build"});
    for payload in [&left_by_a_crash, &unreadable] {
        client
            .execute(
                plant,
                &[&"settings.updated", &payload.to_string(), &aiko.id],
            )
            .await
            .expect("plant an outbox row");
    }

    // The readable one is delivered and cleared; the unreadable one stays for a build that can
    // read it, and the server keeps serving.
    wait_for_rows(&client, 1).await;
    let left: String = client
        .query_one("SELECT payload->>'kind' FROM event_outbox", &[])
        .await
        .expect("the row left")
        .get(0);
    assert_eq!(left, "from_a_future_build");
    let me = app.get("/api/v1/users/me", Some(&aiko.access_token)).await;
    assert_eq!(me.status(), StatusCode::OK);
}
