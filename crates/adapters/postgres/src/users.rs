//! Users in PostgreSQL.

use anyhow::Context;
use async_trait::async_trait;
use diesel::prelude::*;
use diesel_async::{AsyncConnection, RunQueryDsl};
use sakura_application::StoreError;
use sakura_application::events::{Announce, Committed};
use sakura_application::ports::{
    NewUser, PasswordHash, ProfilePatch, SettingsPatch, UserRepository,
};
use sakura_domain::UserId;
use sakura_domain::users::{Email, PersonName, Privacy, Settings, User};
use time::{Date, OffsetDateTime};
use uuid::Uuid;

use crate::PgPool;
use crate::error::{self, Tx};
use crate::outbox;
use crate::schema::users;

/// A `users` row as read.
#[derive(Queryable, Selectable)]
#[diesel(table_name = users, check_for_backend(diesel::pg::Pg))]
pub(crate) struct UserRow {
    id: Uuid,
    first_name: String,
    last_name: String,
    email: String,
    bio: Option<String>,
    city: Option<String>,
    birth_date: Option<Date>,
    theme: String,
    privacy_profile: String,
    privacy_friends: String,
    privacy_photos: String,
    privacy_messages: String,
    created_at: OffsetDateTime,
}

impl TryFrom<UserRow> for User {
    type Error = anyhow::Error;

    fn try_from(row: UserRow) -> Result<Self, Self::Error> {
        Ok(User {
            id: UserId::from_uuid(row.id),
            first_name: PersonName::parse(&row.first_name).context("stored first_name")?,
            last_name: PersonName::parse(&row.last_name).context("stored last_name")?,
            email: Email::parse(&row.email).context("stored email")?,
            bio: row.bio,
            city: row.city,
            birth_date: row.birth_date,
            settings: Settings {
                theme: row.theme.parse().context("stored theme")?,
                privacy: Privacy {
                    profile: row
                        .privacy_profile
                        .parse()
                        .context("stored privacy_profile")?,
                    friends: row
                        .privacy_friends
                        .parse()
                        .context("stored privacy_friends")?,
                    photos: row
                        .privacy_photos
                        .parse()
                        .context("stored privacy_photos")?,
                    messages: row
                        .privacy_messages
                        .parse()
                        .context("stored privacy_messages")?,
                },
            },
            created_at: row.created_at,
        })
    }
}

#[derive(Insertable)]
#[diesel(table_name = users)]
struct NewUserRow<'a> {
    id: Uuid,
    first_name: &'a str,
    last_name: &'a str,
    email: &'a str,
    email_normalized: &'a str,
    password_hash: &'a str,
    bio: Option<&'a str>,
    city: Option<&'a str>,
    birth_date: Option<Date>,
    theme: &'a str,
    privacy_profile: &'a str,
    privacy_friends: &'a str,
    privacy_photos: &'a str,
    privacy_messages: &'a str,
    created_at: OffsetDateTime,
    updated_at: OffsetDateTime,
}

/// Only the fields a patch sets; `updated_at` always changes, so the set is never empty.
#[derive(AsChangeset)]
#[diesel(table_name = users)]
struct ProfileChangeset<'a> {
    first_name: Option<&'a str>,
    last_name: Option<&'a str>,
    bio: Option<Option<&'a str>>,
    city: Option<Option<&'a str>>,
    birth_date: Option<Option<Date>>,
    updated_at: OffsetDateTime,
}

#[derive(AsChangeset)]
#[diesel(table_name = users)]
struct SettingsChangeset {
    theme: Option<&'static str>,
    privacy_profile: Option<&'static str>,
    privacy_friends: Option<&'static str>,
    privacy_photos: Option<&'static str>,
    privacy_messages: Option<&'static str>,
    updated_at: OffsetDateTime,
}

fn to_user(row: UserRow) -> Result<User, StoreError> {
    User::try_from(row).map_err(StoreError::Other)
}

/// The user repository on PostgreSQL.
#[derive(Clone)]
pub struct PgUserRepository {
    pool: PgPool,
}

impl PgUserRepository {
    /// A repository on `pool`.
    pub fn new(pool: PgPool) -> Self {
        Self { pool }
    }
}

#[async_trait]
impl UserRepository for PgUserRepository {
    async fn create(&self, new_user: &NewUser) -> Result<(), StoreError> {
        let user = &new_user.user;
        let settings = &user.settings;
        // Rust normalises, not PostgreSQL's lower(): the two disagree (a final sigma, non-UTF-8
        // collations), and login looks users up by `Email::normalized`.
        let normalized = user.email.normalized();
        let row = NewUserRow {
            id: user.id.as_uuid(),
            first_name: user.first_name.as_str(),
            last_name: user.last_name.as_str(),
            email: user.email.as_str(),
            email_normalized: &normalized,
            password_hash: &new_user.password_hash.0,
            bio: user.bio.as_deref(),
            city: user.city.as_deref(),
            birth_date: user.birth_date,
            theme: settings.theme.as_str(),
            privacy_profile: settings.privacy.profile.as_str(),
            privacy_friends: settings.privacy.friends.as_str(),
            privacy_photos: settings.privacy.photos.as_str(),
            privacy_messages: settings.privacy.messages.as_str(),
            created_at: user.created_at,
            updated_at: user.created_at,
        };
        let mut conn = self.pool.get().await.map_err(error::pool)?;
        diesel::insert_into(users::table)
            .values(&row)
            .execute(&mut conn)
            .await
            .map_err(error::query("insert user"))?;
        Ok(())
    }

    async fn find_by_id(&self, id: UserId) -> Result<Option<User>, StoreError> {
        let mut conn = self.pool.get().await.map_err(error::pool)?;
        users::table
            .find(id.as_uuid())
            .select(UserRow::as_select())
            .first(&mut conn)
            .await
            .optional()
            .map_err(error::query("find user by id"))?
            .map(to_user)
            .transpose()
    }

    async fn find_credentials_by_email(
        &self,
        normalized_email: &str,
    ) -> Result<Option<(User, PasswordHash)>, StoreError> {
        let mut conn = self.pool.get().await.map_err(error::pool)?;
        let found: Option<(UserRow, String)> = users::table
            .filter(users::email_normalized.eq(normalized_email))
            .select((UserRow::as_select(), users::password_hash))
            .first(&mut conn)
            .await
            .optional()
            .map_err(error::query("find user by email"))?;
        found
            .map(|(row, hash)| Ok((to_user(row)?, PasswordHash(hash))))
            .transpose()
    }

    async fn password_hash(&self, id: UserId) -> Result<Option<PasswordHash>, StoreError> {
        let mut conn = self.pool.get().await.map_err(error::pool)?;
        let hash: Option<String> = users::table
            .find(id.as_uuid())
            .select(users::password_hash)
            .first(&mut conn)
            .await
            .optional()
            .map_err(error::query("read password hash"))?;
        Ok(hash.map(PasswordHash))
    }

    async fn update_profile(
        &self,
        id: UserId,
        patch: &ProfilePatch,
        at: OffsetDateTime,
    ) -> Result<User, StoreError> {
        let changes = ProfileChangeset {
            first_name: patch.first_name.as_ref().map(PersonName::as_str),
            last_name: patch.last_name.as_ref().map(PersonName::as_str),
            bio: patch.bio.as_ref().map(Option::as_deref),
            city: patch.city.as_ref().map(Option::as_deref),
            birth_date: patch.birth_date,
            updated_at: at,
        };
        let mut conn = self.pool.get().await.map_err(error::pool)?;
        let row = diesel::update(users::table.find(id.as_uuid()))
            .set(&changes)
            .returning(UserRow::as_select())
            .get_result(&mut conn)
            .await
            .map_err(error::query("update profile"))?;
        to_user(row)
    }

    async fn update_settings(
        &self,
        id: UserId,
        patch: &SettingsPatch,
        at: OffsetDateTime,
        announce: &Announce<'_, Settings>,
    ) -> Result<Committed<Settings>, StoreError> {
        let changes = SettingsChangeset {
            theme: patch.theme.map(|v| v.as_str()),
            privacy_profile: patch.profile.map(|v| v.as_str()),
            privacy_friends: patch.friends.map(|v| v.as_str()),
            privacy_photos: patch.photos.map(|v| v.as_str()),
            privacy_messages: patch.messages.map(|v| v.as_str()),
            updated_at: at,
        };
        let mut conn = self.pool.get().await.map_err(error::pool)?;
        conn.transaction(async |c| {
            let row = diesel::update(users::table.find(id.as_uuid()))
                .set(&changes)
                .returning(UserRow::as_select())
                .get_result(c)
                .await
                .map_err(error::query("update settings"))?;
            let settings = to_user(row)?.settings;
            let events = announce(&settings);
            outbox::append(c, &events).await?;
            Ok::<_, Tx<StoreError>>(Committed::new(settings, events))
        })
        .await
        .map_err(|Tx(e)| e)
    }

    async fn delete(&self, id: UserId) -> Result<bool, StoreError> {
        let mut conn = self.pool.get().await.map_err(error::pool)?;
        let deleted = diesel::delete(users::table.find(id.as_uuid()))
            .execute(&mut conn)
            .await
            .map_err(error::query("delete user"))?;
        Ok(deleted > 0)
    }

    async fn set_password_hash(&self, id: UserId, hash: &PasswordHash) -> Result<(), StoreError> {
        let mut conn = self.pool.get().await.map_err(error::pool)?;
        let updated = diesel::update(users::table.find(id.as_uuid()))
            .set((
                users::password_hash.eq(&hash.0),
                users::updated_at.eq(diesel::dsl::now),
            ))
            .execute(&mut conn)
            .await
            .map_err(error::query("update password hash"))?;
        if updated == 0 {
            Err(StoreError::NotFound)
        } else {
            Ok(())
        }
    }
}
