//! Suggestions from stored snapshots (see the `suggestion_snapshots` migration).
//!
//! A page is read from the viewer's snapshot of candidates. A snapshot that is missing or out of
//! date is recomputed first, by one query, while the reader waits, when the last computation was
//! cheap (so small neighbourhoods are always exact); when it was costly (someone with thousands
//! of friends, whose neighbourhood changes all the time), the reader gets the stored candidates
//! and the recomputation runs in the background, once at a time per user and instance. Either
//! way a page leaves out new friends, pending requests and blocks: they are checked live.

use std::collections::HashSet;
use std::sync::{Arc, Mutex, PoisonError};

use diesel::OptionalExtension;
use diesel::sql_types::{BigInt, Bool, Integer, Nullable, Uuid as SqlUuid};
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};
use sakura_application::StoreError;
use sakura_application::pagination::{Cursor, Page, PageRequest};
use sakura_application::ports::Suggestion;
use sakura_domain::UserId;
use tracing::Instrument;
use uuid::Uuid;

use super::sql::{SUGGESTIONS_COMPUTE, SUGGESTIONS_PAGE};
use super::{START, fetch};
use crate::{PgPool, error};

/// How many candidates a snapshot keeps: a few pages of the best ones. Someone with more
/// candidates than this sees the best ones; everyone else sees all of theirs.
pub(crate) const SNAPSHOT_SIZE: i64 = 200;

/// Above this many friend-of-friend rows walked last time (about 6 µs each), recomputing runs in
/// the background: a reader never waits much more than 10 ms for it.
pub(crate) const SYNC_WORK: i64 = 2_000;

/// The namespace of the suggestions' advisory locks (the two-key form, apart from pair locks).
const LOCK_SPACE: i32 = 0x5347; // "SG"

#[derive(diesel::QueryableByName)]
struct Header {
    #[diesel(sql_type = BigInt)]
    version: i64,
    #[diesel(sql_type = Nullable<BigInt>)]
    computed_version: Option<i64>,
    #[diesel(sql_type = BigInt)]
    work: i64,
}

impl Header {
    fn current(&self) -> bool {
        self.computed_version == Some(self.version)
    }
}

#[derive(diesel::QueryableByName)]
struct Computed {
    #[diesel(sql_type = BigInt)]
    work: i64,
    #[diesel(sql_type = BigInt)]
    candidates: i64,
    #[diesel(sql_type = BigInt)]
    stored: i64,
}

#[derive(diesel::QueryableByName)]
struct SuggestionRow {
    #[diesel(sql_type = SqlUuid)]
    id: Uuid,
    #[diesel(sql_type = BigInt)]
    mutual: i64,
    #[diesel(sql_type = BigInt)]
    key: i64,
}

/// The advisory-lock key of `user`'s snapshot within [`LOCK_SPACE`]: the random low bits of
/// the id (a collision only serialises two users' recomputations).
fn lock_key(user: Uuid) -> i32 {
    let (_, low) = user.as_u64_pair();
    low as i32
}

async fn header(conn: &mut AsyncPgConnection, user: Uuid) -> Result<Option<Header>, StoreError> {
    diesel::sql_query(
        "SELECT version, computed_version, work FROM suggestion_snapshots WHERE user_id = $1",
    )
    .bind::<SqlUuid, _>(user)
    .get_result(conn)
    .await
    .optional()
    .map_err(error::query("read the suggestions snapshot"))
}

/// A failure inside [`refresh`]'s transaction (diesel's own errors need a `From`).
struct TxError(StoreError);

impl From<diesel::result::Error> for TxError {
    fn from(e: diesel::result::Error) -> Self {
        Self(error::query("suggestions transaction")(e))
    }
}

impl From<StoreError> for TxError {
    fn from(e: StoreError) -> Self {
        Self(e)
    }
}

/// Recomputes `user`'s snapshot unless it is current. The snapshot's row must exist and be
/// committed first: a graph change committed after the version is read here bumps it, so the
/// result is stored as out of date and computed again next time rather than trusted.
pub(crate) async fn refresh(conn: &mut AsyncPgConnection, user: Uuid) -> Result<(), StoreError> {
    conn.transaction(async move |c| {
        // One recomputation per user at a time; the second finds the first's result current.
        diesel::sql_query("SELECT pg_advisory_xact_lock($1, $2)")
            .bind::<Integer, _>(LOCK_SPACE)
            .bind::<Integer, _>(lock_key(user))
            .execute(c)
            .await?;
        let Some(before) = header(c, user).await? else {
            return Ok(()); // the user was deleted meanwhile
        };
        if before.current() {
            return Ok(());
        }
        diesel::sql_query("DELETE FROM suggestion_entries WHERE user_id = $1")
            .bind::<SqlUuid, _>(user)
            .execute(c)
            .await?;
        let computed: Computed = diesel::sql_query(SUGGESTIONS_COMPUTE)
            .bind::<SqlUuid, _>(user)
            .bind::<BigInt, _>(SNAPSHOT_SIZE)
            .get_result(c)
            .await
            .map_err(error::query("compute suggestions"))?;
        diesel::sql_query(
            "UPDATE suggestion_snapshots \
             SET computed_version = $2, computed_at = now(), work = $3, complete = $4 \
             WHERE user_id = $1",
        )
        .bind::<SqlUuid, _>(user)
        .bind::<BigInt, _>(before.version)
        .bind::<BigInt, _>(computed.work)
        .bind::<Bool, _>(computed.candidates <= computed.stored)
        .execute(c)
        .await
        .map_err(error::query("store the suggestions snapshot"))?;
        Ok(())
    })
    .await
    .map_err(|TxError(e)| e)
}

/// The users whose snapshots are being recomputed in the background by this instance.
#[derive(Clone, Default)]
pub(crate) struct InFlight(Arc<Mutex<HashSet<Uuid>>>);

impl InFlight {
    /// Marks `user` in flight; false if they already were.
    fn start(&self, user: Uuid) -> bool {
        self.0
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .insert(user)
    }

    fn finish(&self, user: Uuid) {
        self.0
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .remove(&user);
    }
}

/// Clears a user's in-flight mark however the background task ends.
struct Finish(InFlight, Uuid);

impl Drop for Finish {
    fn drop(&mut self) {
        self.0.finish(self.1);
    }
}

/// Makes `user`'s snapshot usable for a page: computed now if missing or cheap, else in the
/// background (the stored one serves meanwhile).
pub(crate) async fn prepare(
    conn: &mut AsyncPgConnection,
    pool: &PgPool,
    in_flight: &InFlight,
    sync_work: i64,
    user: Uuid,
) -> Result<(), StoreError> {
    let found = header(conn, user).await?;
    match found {
        Some(h) if h.current() => Ok(()),
        Some(h) if h.computed_version.is_some() && h.work > sync_work => {
            if in_flight.start(user) {
                let pool = pool.clone();
                let guard = Finish(in_flight.clone(), user);
                let refresh_in_background = async move {
                    let _guard = guard;
                    let result = match pool.get().await {
                        Ok(mut conn) => refresh(&mut conn, user).await,
                        Err(e) => Err(error::pool(e)),
                    };
                    if let Err(e) = result {
                        tracing::warn!(user = %user, error = %e, "recomputing suggestions failed");
                    }
                };
                // Caused by this read: its lines carry the request's span.
                tokio::spawn(refresh_in_background.instrument(tracing::Span::current()));
            }
            Ok(())
        }
        Some(_) => refresh(conn, user).await,
        None => {
            // Committed on its own before computing (see `refresh`).
            diesel::sql_query(
                "INSERT INTO suggestion_snapshots (user_id) VALUES ($1) ON CONFLICT DO NOTHING",
            )
            .bind::<SqlUuid, _>(user)
            .execute(conn)
            .await
            .map_err(error::query("create the suggestions snapshot"))?;
            refresh(conn, user).await
        }
    }
}

/// A page of `user`'s suggestions from their snapshot.
pub(crate) async fn page(
    conn: &mut AsyncPgConnection,
    user: Uuid,
    page: PageRequest,
) -> Result<Page<Suggestion>, StoreError> {
    let after = page.after.unwrap_or(START);
    let rows: Vec<SuggestionRow> = diesel::sql_query(SUGGESTIONS_PAGE)
        .bind::<SqlUuid, _>(user)
        .bind::<BigInt, _>(after.key)
        .bind::<SqlUuid, _>(after.id)
        .bind::<BigInt, _>(fetch(page))
        .load(conn)
        .await
        .map_err(error::query("suggest people"))?;
    Ok(Page::from_rows(rows, page, |r| Cursor {
        key: r.key,
        id: r.id,
    })
    .map(|r| Suggestion {
        user_id: UserId::from_uuid(r.id),
        mutual_friends: u64::try_from(r.mutual).unwrap_or(0),
    }))
}
