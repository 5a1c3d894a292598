//! `PgUserRepository`, `PgProbe`, `ensure_database` and `run_migrations` against the real
//! PostgreSQL: each test gets a fresh migrated database of its own.

use anyhow::Context;
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};
use sakura_application::StoreError;
use sakura_application::ports::{
    DependencyProbe, EMAIL_KEY, NewUser, PasswordHash, UserRepository,
};
use sakura_domain::UserId;
use sakura_domain::users::{
    Email, MessagesPrivacy, PersonName, PrivacyLevel, Settings, Theme, User,
};
use sakura_postgres::{
    PgPool, PgProbe, PgUserRepository, connect, ensure_database, run_migrations,
};
use sakura_test_services::TestDatabase;
use uuid::Uuid;

fn user_named(first: &str, last: &str, email: &str) -> anyhow::Result<User> {
    Ok(User {
        id: UserId::new(),
        first_name: PersonName::parse(first)?,
        last_name: PersonName::parse(last)?,
        email: Email::parse(email)?,
        bio: None,
        city: None,
        birth_date: None,
        settings: Settings::default(),
        created_at: sakura_domain::clock::now(),
    })
}

fn user_with_email(email: &str) -> anyhow::Result<User> {
    user_named("Aiko", "Tanaka", email)
}

fn new_user(user: &User, hash: &str) -> NewUser {
    NewUser {
        user: user.clone(),
        password_hash: PasswordHash(hash.to_owned()),
    }
}

fn pool(db: &TestDatabase) -> anyhow::Result<PgPool> {
    connect(db.url(), 4)
}

fn repository(db: &TestDatabase) -> anyhow::Result<PgUserRepository> {
    Ok(PgUserRepository::new(pool(db)?))
}

/// `DATABASE_URL` with the database name replaced.
fn url_of_database(name: &str) -> anyhow::Result<String> {
    let base = sakura_test_services::database_url();
    let (server, rest) = base
        .rsplit_once('/')
        .context("DATABASE_URL has a database name")?;
    let query = rest
        .split_once('?')
        .map(|(_, q)| format!("?{q}"))
        .unwrap_or_default();
    Ok(format!("{server}/{name}{query}"))
}

async fn database_exists(name: &str) -> anyhow::Result<bool> {
    #[derive(diesel::QueryableByName)]
    struct Found {
        #[diesel(sql_type = diesel::sql_types::Bool)]
        exists: bool,
    }
    let mut conn = AsyncPgConnection::establish(&url_of_database("postgres")?).await?;
    let found: Found =
        diesel::sql_query("SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1) AS exists")
            .bind::<diesel::sql_types::Text, _>(name)
            .get_result(&mut conn)
            .await?;
    Ok(found.exists)
}

async fn drop_database(name: &str) -> anyhow::Result<()> {
    let mut conn = AsyncPgConnection::establish(&url_of_database("postgres")?).await?;
    diesel::sql_query(format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"))
        .execute(&mut conn)
        .await?;
    Ok(())
}

#[tokio::test]
async fn a_created_user_is_found_by_id_exactly_as_stored() -> anyhow::Result<()> {
    let db = TestDatabase::new(run_migrations).await;
    let users = repository(&db)?;
    let user = user_with_email("aiko@example.com")?;

    users.create(&new_user(&user, "$2b$04$hash")).await?;
    let found = users
        .find_by_id(user.id)
        .await?
        .context("the user was stored")?;

    assert_eq!(found, user);
    assert_eq!(found.created_at, user.created_at);
    assert_eq!(found.settings, Settings::default());
    assert_eq!(found.settings.theme, Theme::Light);
    assert_eq!(found.settings.privacy.profile, PrivacyLevel::Everyone);
    assert_eq!(found.settings.privacy.messages, MessagesPrivacy::Everyone);
    Ok(())
}

#[tokio::test]
async fn non_default_settings_round_trip() -> anyhow::Result<()> {
    let db = TestDatabase::new(run_migrations).await;
    let users = repository(&db)?;
    let mut user = user_with_email("dark@example.com")?;
    user.settings.theme = Theme::Dark;
    user.settings.privacy.friends = PrivacyLevel::Friends;
    user.settings.privacy.messages = MessagesPrivacy::Nobody;

    users.create(&new_user(&user, "h")).await?;
    let found = users
        .find_by_id(user.id)
        .await?
        .context("the user was stored")?;

    assert_eq!(found.settings, user.settings);
    Ok(())
}

#[tokio::test]

async fn profile_fields_given_at_creation_round_trip() -> anyhow::Result<()> {
    let db = TestDatabase::new(run_migrations).await;
    let users = repository(&db)?;
    let mut user = user_with_email("profile@example.com")?;
    user.bio = Some("Walks the way of the sword.".to_owned());
    user.city = Some("Kyoto".to_owned());
    user.birth_date = Some(time::macros::date!(1990 - 04 - 01));

    users.create(&new_user(&user, "h")).await?;
    let found = users
        .find_by_id(user.id)
        .await?
        .context("the user was stored")?;

    assert_eq!(found, user);
    Ok(())
}

#[tokio::test]
async fn an_email_differing_only_in_case_is_a_conflict() -> anyhow::Result<()> {
    let db = TestDatabase::new(run_migrations).await;
    let users = repository(&db)?;
    users
        .create(&new_user(&user_with_email("aiko@example.com")?, "h1"))
        .await?;

    let second = users
        .create(&new_user(&user_with_email("Aiko@EXAMPLE.com")?, "h2"))
        .await;

    assert!(
        matches!(&second, Err(e) if e.is_conflict_on(EMAIL_KEY)),
        "got {second:?}"
    );
    Ok(())
}

#[tokio::test]
async fn credentials_are_found_by_the_normalized_email() -> anyhow::Result<()> {
    let db = TestDatabase::new(run_migrations).await;
    let users = repository(&db)?;
    let user = user_with_email("Aiko.Tanaka@Example.com")?;
    users.create(&new_user(&user, "$2b$04$secret")).await?;

    let found = users
        .find_credentials_by_email(&user.email.normalized())
        .await?;

    let (found_user, hash) = found.context("found by aiko.tanaka@example.com")?;
    assert_eq!(found_user, user);
    assert_eq!(found_user.email.as_str(), "Aiko.Tanaka@Example.com");
    assert_eq!(hash, PasswordHash("$2b$04$secret".to_owned()));
    Ok(())
}

#[tokio::test]
async fn credentials_for_an_unknown_email_are_none() -> anyhow::Result<()> {
    let db = TestDatabase::new(run_migrations).await;
    let users = repository(&db)?;
    users
        .create(&new_user(&user_with_email("aiko@example.com")?, "h"))
        .await?;

    let found = users
        .find_credentials_by_email("nobody@example.com")
        .await?;

    assert!(found.is_none());
    Ok(())
}

#[tokio::test]
async fn an_email_with_non_ascii_capitals_is_found_by_its_normalized_form() -> anyhow::Result<()> {
    let db = TestDatabase::new(run_migrations).await;
    let users = repository(&db)?;
    let user = user_with_email("Ärger@Example.com")?;
    users.create(&new_user(&user, "h")).await?;

    let found = users
        .find_credentials_by_email(&user.email.normalized())
        .await?;

    assert_eq!(found.map(|(u, _)| u.id), Some(user.id));
    Ok(())
}

#[tokio::test]

async fn an_email_ending_in_a_greek_capital_sigma_is_found_by_its_normalized_form()
-> anyhow::Result<()> {
    let db = TestDatabase::new(run_migrations).await;
    let users = repository(&db)?;
    let user = user_with_email("ΟΔΥΣΣΕΥΣ@example.gr")?;
    users.create(&new_user(&user, "h")).await?;

    let found = users
        .find_credentials_by_email(&user.email.normalized())
        .await?;

    assert_eq!(found.map(|(u, _)| u.id), Some(user.id));
    Ok(())
}

#[tokio::test]
async fn an_unknown_id_is_not_found() -> anyhow::Result<()> {
    let db = TestDatabase::new(run_migrations).await;
    let users = repository(&db)?;
    users
        .create(&new_user(&user_with_email("aiko@example.com")?, "h"))
        .await?;

    let found = users.find_by_id(UserId::new()).await?;

    assert!(found.is_none());
    Ok(())
}

#[tokio::test]
async fn a_new_password_hash_replaces_the_old_one() -> anyhow::Result<()> {
    let db = TestDatabase::new(run_migrations).await;
    let users = repository(&db)?;
    let user = user_with_email("aiko@example.com")?;
    users.create(&new_user(&user, "old-hash")).await?;
    assert_eq!(
        users.password_hash(user.id).await?,
        Some(PasswordHash("old-hash".to_owned()))
    );

    users
        .set_password_hash(user.id, &PasswordHash("new-hash".to_owned()))
        .await?;

    assert_eq!(
        users.password_hash(user.id).await?,
        Some(PasswordHash("new-hash".to_owned()))
    );
    let (_, by_email) = users
        .find_credentials_by_email("aiko@example.com")
        .await?
        .context("still found by email")?;
    assert_eq!(by_email, PasswordHash("new-hash".to_owned()));
    Ok(())
}

#[tokio::test]
async fn the_password_hash_of_an_unknown_user_is_none() -> anyhow::Result<()> {
    let db = TestDatabase::new(run_migrations).await;
    let users = repository(&db)?;

    let hash = users.password_hash(UserId::new()).await?;

    assert!(hash.is_none());
    Ok(())
}

#[tokio::test]
async fn setting_the_password_hash_of_an_unknown_user_is_not_found() -> anyhow::Result<()> {
    let db = TestDatabase::new(run_migrations).await;
    let users = repository(&db)?;

    let result = users
        .set_password_hash(UserId::new(), &PasswordHash("h".to_owned()))
        .await;

    assert!(
        matches!(result, Err(StoreError::NotFound)),
        "got {result:?}"
    );
    Ok(())
}

#[tokio::test]
async fn deleting_a_user_answers_true_then_false_and_forgets_them() -> anyhow::Result<()> {
    let db = TestDatabase::new(run_migrations).await;
    let users = repository(&db)?;
    let user = user_with_email("aiko@example.com")?;
    users.create(&new_user(&user, "h")).await?;

    let first = users.delete(user.id).await?;
    let second = users.delete(user.id).await?;

    assert!(first);
    assert!(!second);
    assert_eq!(users.find_by_id(user.id).await?, None);
    assert!(
        users
            .find_credentials_by_email("aiko@example.com")
            .await?
            .is_none()
    );
    Ok(())
}

#[tokio::test]
async fn a_deleted_users_email_can_be_registered_again() -> anyhow::Result<()> {
    let db = TestDatabase::new(run_migrations).await;
    let users = repository(&db)?;
    let gone = user_with_email("aiko@example.com")?;
    users.create(&new_user(&gone, "h")).await?;
    users.delete(gone.id).await?;
    let again = user_with_email("Aiko@example.com")?;

    users.create(&new_user(&again, "h2")).await?;

    assert_eq!(users.find_by_id(again.id).await?, Some(again));
    Ok(())
}

#[tokio::test]
async fn deleting_one_user_leaves_the_others() -> anyhow::Result<()> {
    let db = TestDatabase::new(run_migrations).await;
    let users = repository(&db)?;
    let aiko = user_with_email("aiko@example.com")?;
    let kenji = user_with_email("kenji@example.com")?;
    users.create(&new_user(&aiko, "h")).await?;
    users.create(&new_user(&kenji, "h")).await?;

    users.delete(aiko.id).await?;

    assert_eq!(users.find_by_id(kenji.id).await?, Some(kenji));
    Ok(())
}

#[tokio::test]
async fn names_in_non_latin_scripts_round_trip() -> anyhow::Result<()> {
    let db = TestDatabase::new(run_migrations).await;
    let users = repository(&db)?;
    let people = [
        user_named("愛子", "田中", "tanaka@example.jp")?,
        user_named("Дмитрий", "Шостакович", "dmitri@example.ru")?,
        user_named("देवी", "शर्मा", "devi@example.in")?,
        user_named("ธนา", "ใจดี", "thana@example.th")?,
        user_named("Ζωή", "Παπαδοπούλου", "zoe@example.gr")?,
        user_named("محمد", "عبد الله", "mohammed@example.sa")?,
        user_named("지민", "김", "jimin@example.kr")?,
    ];
    for person in &people {
        users.create(&new_user(person, "h")).await?;
    }

    for person in &people {
        let found = users.find_by_id(person.id).await?.context("stored")?;
        assert_eq!(found.first_name, person.first_name);
        assert_eq!(found.last_name, person.last_name);
    }
    Ok(())
}

#[tokio::test]
async fn the_probe_answers_ok_on_a_live_database() -> anyhow::Result<()> {
    let db = TestDatabase::new(run_migrations).await;
    let probe = PgProbe::new(pool(&db)?);

    let result = probe.check().await;

    assert!(result.is_ok(), "got {result:?}");
    assert_eq!(probe.name(), "postgres");
    Ok(())
}

#[tokio::test]
async fn the_probe_reports_a_missing_database_as_unavailable() -> anyhow::Result<()> {
    let url = url_of_database(&format!("sakura_missing_{}", Uuid::new_v4().simple()))?;
    let probe = PgProbe::new(connect(&url, 2)?);

    let result = tokio::time::timeout(std::time::Duration::from_secs(10), probe.check())
        .await
        .context("the probe hung")?;

    assert!(
        matches!(result, Err(StoreError::Unavailable(_))),
        "got {result:?}"
    );
    Ok(())
}

#[tokio::test]
async fn a_repository_on_a_missing_database_is_unavailable() -> anyhow::Result<()> {
    let url = url_of_database(&format!("sakura_missing_{}", Uuid::new_v4().simple()))?;
    let users = PgUserRepository::new(connect(&url, 2)?);

    let result = tokio::time::timeout(
        std::time::Duration::from_secs(10),
        users.find_by_id(UserId::new()),
    )
    .await
    .context("the repository hung")?;

    assert!(
        matches!(result, Err(StoreError::Unavailable(_))),
        "got {result:?}"
    );
    Ok(())
}

#[tokio::test]
async fn a_repository_on_a_closed_port_is_unavailable() -> anyhow::Result<()> {
    let users = PgUserRepository::new(connect("postgres://postgres@127.0.0.1:1/sakura", 2)?);

    let result = tokio::time::timeout(
        std::time::Duration::from_secs(10),
        users.find_by_id(UserId::new()),
    )
    .await
    .context("the repository hung")?;

    assert!(
        matches!(result, Err(StoreError::Unavailable(_))),
        "got {result:?}"
    );
    Ok(())
}

#[tokio::test]
async fn ensure_database_creates_a_missing_database_and_is_idempotent() -> anyhow::Result<()> {
    let name = format!("sakura_ensure_{}", Uuid::new_v4().simple());
    let url = url_of_database(&name)?;
    assert!(!database_exists(&name).await?);

    let first = ensure_database(&url).await;
    let created = database_exists(&name).await;
    let second = ensure_database(&url).await;
    let still_there = database_exists(&name).await;
    drop_database(&name).await?;

    first?;
    assert!(created?, "the database was created");
    second?;
    assert!(still_there?, "the second call kept it");
    Ok(())
}

#[tokio::test]
async fn migrations_rerun_on_a_migrated_database_change_nothing() -> anyhow::Result<()> {
    let db = TestDatabase::new(run_migrations).await;
    let users = repository(&db)?;
    let user = user_with_email("aiko@example.com")?;
    users.create(&new_user(&user, "h")).await?;

    run_migrations(db.url()).await?;
    run_migrations(db.url()).await?;

    assert_eq!(users.find_by_id(user.id).await?, Some(user));
    Ok(())
}

#[tokio::test]

async fn a_connection_lost_mid_query_is_unavailable() -> anyhow::Result<()> {
    let db = TestDatabase::new(run_migrations).await;
    let users = repository(&db)?;
    users.find_by_id(UserId::new()).await?;
    // Another session holds the table so the repository's next query waits on it, then the
    // server drops the waiting connection as it would on a restart or failover.
    let mut locker = AsyncPgConnection::establish(db.url()).await?;
    diesel::sql_query("BEGIN").execute(&mut locker).await?;
    diesel::sql_query("LOCK TABLE users IN ACCESS EXCLUSIVE MODE")
        .execute(&mut locker)
        .await?;
    let waiting = tokio::spawn({
        let users = users.clone();
        async move { users.find_by_id(UserId::new()).await }
    });
    let mut admin = AsyncPgConnection::establish(db.url()).await?;
    let mut terminated = 0;
    for _ in 0..50 {
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        terminated = diesel::sql_query(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity \
             WHERE datname = current_database() AND wait_event_type = 'Lock' AND pid <> pg_backend_pid()",
        )
        .execute(&mut admin)
        .await?;
        if terminated > 0 {
            break;
        }
    }
    anyhow::ensure!(
        terminated > 0,
        "the repository's query never waited on the lock"
    );

    let result = tokio::time::timeout(std::time::Duration::from_secs(10), waiting).await??;

    assert!(
        matches!(result, Err(StoreError::Unavailable(_))),
        "got {result:?}"
    );
    Ok(())
}

#[tokio::test]
async fn two_concurrent_registrations_of_one_email_store_one_user() -> anyhow::Result<()> {
    let db = TestDatabase::new(run_migrations).await;
    let users = repository(&db)?;
    let first = new_user(&user_with_email("aiko@example.com")?, "h1");
    let second = new_user(&user_with_email("AIKO@example.com")?, "h2");

    let (one, other) = tokio::join!(users.create(&first), users.create(&second));

    let outcomes = (one, other);
    assert!(
        matches!(
            outcomes,
            (Ok(()), Err(StoreError::Conflict(_))) | (Err(StoreError::Conflict(_)), Ok(()))
        ),
        "got {outcomes:?}"
    );
    let (stored, _) = users
        .find_credentials_by_email("aiko@example.com")
        .await?
        .context("one of them was stored")?;
    assert!(stored.id == first.user.id || stored.id == second.user.id);
    Ok(())
}
