//! Friendships and blocks in PostgreSQL: the writes of the social graph.
//!
//! Every write is one transaction: the pair is locked, its facts read, the use case's decision
//! called with them, and what it returned (state, notification, outbox events) written before
//! the commit. Every write first takes a transaction-level advisory lock on the
//! pair, then locks the pair's `friendships` row. The row lock alone cannot serialise writers
//! when there is no row yet (a request racing a block would both see "nothing" and both
//! commit, leaving a pending request between blocked users); the pair lock can.

use anyhow::anyhow;
use async_trait::async_trait;
use diesel::dsl::exists;
use diesel::prelude::*;
use diesel::sql_types::BigInt;
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};
use sakura_application::StoreError;
use sakura_application::events::{Announce, Committed};
use sakura_application::ports::{
    BlockChanged, DecideFriendship, FriendshipChanged, GraphError, PairFacts, SocialGraph,
};
use sakura_domain::UserId;
use sakura_domain::friends::{FriendshipError, PairState};
use time::OffsetDateTime;
use uuid::Uuid;

use crate::error::{self, Tx};
use crate::schema::{blocks, friendships, users};
use crate::{PgPool, notifications, outbox};

/// How many times `apply` runs when a concurrent transaction inserted the same pair first.
const ATTEMPTS: usize = 3;

type TxError = Tx<GraphError>;

impl From<FriendshipError> for TxError {
    fn from(e: FriendshipError) -> Self {
        Tx(GraphError::Rule(e))
    }
}

/// A pair in storage order: PostgreSQL compares uuids bytewise, as `Uuid`'s `Ord` does.
fn normalise(x: UserId, y: UserId) -> (Uuid, Uuid) {
    let (x, y) = (x.as_uuid(), y.as_uuid());
    if x < y { (x, y) } else { (y, x) }
}

/// The advisory-lock key of a normalised pair. The low halves of v7 ids are random, so mixing
/// them spreads pairs over the key space; a collision only serialises two unrelated pairs.
fn pair_lock_key((a, b): (Uuid, Uuid)) -> i64 {
    let (_, a_low) = a.as_u64_pair();
    let (_, b_low) = b.as_u64_pair();
    (a_low ^ b_low.rotate_left(29)) as i64
}

/// Reads a `friendships` row's state.
pub(crate) fn pair_state(state: &str, requested_by: Uuid) -> Result<PairState, StoreError> {
    match state {
        "friends" => Ok(PairState::Friends),
        "pending" => Ok(PairState::Requested {
            by: UserId::from_uuid(requested_by),
        }),
        other => Err(StoreError::Other(anyhow!(
            "stored friendship state {other:?}"
        ))),
    }
}

async fn lock_pair(conn: &mut AsyncPgConnection, pair: (Uuid, Uuid)) -> Result<(), StoreError> {
    diesel::sql_query("SELECT pg_advisory_xact_lock($1)")
        .bind::<BigInt, _>(pair_lock_key(pair))
        .execute(conn)
        .await
        .map_err(error::query("lock the pair"))?;
    Ok(())
}

async fn user_exists(conn: &mut AsyncPgConnection, id: UserId) -> Result<bool, StoreError> {
    diesel::select(exists(users::table.find(id.as_uuid())))
        .get_result(conn)
        .await
        .map_err(error::query("look up the other user"))
}

/// The pair's state, its row locked until the transaction ends.
async fn lock_state(
    conn: &mut AsyncPgConnection,
    pair: (Uuid, Uuid),
) -> Result<PairState, StoreError> {
    let row: Option<(String, Uuid)> = friendships::table
        .find(pair)
        .select((friendships::state, friendships::requested_by))
        .for_update()
        .first(conn)
        .await
        .optional()
        .map_err(error::query("lock the friendship"))?;
    match row {
        Some((state, requested_by)) => pair_state(&state, requested_by),
        None => Ok(PairState::None),
    }
}

/// Whether `x` blocked `y`, and whether `y` blocked `x`.
async fn blocks_between(
    conn: &mut AsyncPgConnection,
    x: UserId,
    y: UserId,
) -> Result<(bool, bool), StoreError> {
    let (x, y) = (x.as_uuid(), y.as_uuid());
    let blockers: Vec<Uuid> = blocks::table
        .filter(
            (blocks::blocker_id.eq(x).and(blocks::blocked_id.eq(y)))
                .or(blocks::blocker_id.eq(y).and(blocks::blocked_id.eq(x))),
        )
        .select(blocks::blocker_id)
        .load(conn)
        .await
        .map_err(error::query("read blocks"))?;
    Ok((blockers.contains(&x), blockers.contains(&y)))
}

async fn delete_pair(conn: &mut AsyncPgConnection, pair: (Uuid, Uuid)) -> Result<(), StoreError> {
    diesel::delete(friendships::table.find(pair))
        .execute(conn)
        .await
        .map_err(error::query("delete friendship"))?;
    Ok(())
}

/// Stores the pair's new state over `before`.
async fn write_state(
    conn: &mut AsyncPgConnection,
    pair: (Uuid, Uuid),
    before: PairState,
    after: PairState,
    now: OffsetDateTime,
) -> Result<(), StoreError> {
    match (before, after) {
        (PairState::None, PairState::None) => {}
        (_, PairState::None) => delete_pair(conn, pair).await?,
        (PairState::None, PairState::Requested { by }) => {
            diesel::insert_into(friendships::table)
                .values((
                    friendships::user_a.eq(pair.0),
                    friendships::user_b.eq(pair.1),
                    friendships::state.eq("pending"),
                    friendships::requested_by.eq(by.as_uuid()),
                    friendships::created_at.eq(now),
                ))
                .execute(conn)
                .await
                // A concurrent first request of the same pair surfaces as `Conflict`.
                .map_err(error::query("insert friend request"))?;
        }
        (PairState::Requested { .. }, PairState::Friends) => {
            diesel::update(friendships::table.find(pair))
                .set((
                    friendships::state.eq("friends"),
                    friendships::friends_since.eq(now),
                ))
                .execute(conn)
                .await
                .map_err(error::query("accept friend request"))?;
        }
        (before, after) => {
            return Err(StoreError::Other(anyhow!(
                "no stored form for the transition {before:?} -> {after:?}"
            )));
        }
    }
    Ok(())
}

/// The pair's facts, its row locked until the transaction ends.
async fn lock_facts(
    conn: &mut AsyncPgConnection,
    me: UserId,
    other: UserId,
) -> Result<PairFacts, StoreError> {
    let state = lock_state(conn, normalise(me, other)).await?;
    let (me_blocked_other, other_blocked_me) = blocks_between(conn, me, other).await?;
    Ok(PairFacts {
        state,
        me_blocked_other,
        other_blocked_me,
    })
}

/// One attempt of [`SocialGraph::change_friendship`], as one transaction.
async fn change_once(
    conn: &mut AsyncPgConnection,
    me: UserId,
    other: UserId,
    decide: &DecideFriendship<'_>,
) -> Result<Committed<FriendshipChanged>, TxError> {
    conn.transaction(async move |c| {
        let pair = normalise(me, other);
        lock_pair(c, pair).await?;
        if !user_exists(c, other).await? {
            return Err(Tx(GraphError::UnknownUser));
        }
        let before = lock_facts(c, me, other).await?;
        let decision = decide(&before)?;
        write_state(c, pair, before.state, decision.next, decision.at).await?;
        if let Some(notification) = &decision.notification {
            notifications::insert(c, notification).await?;
        }
        outbox::append(c, &decision.events).await?;
        let after = PairFacts {
            state: decision.next,
            ..before
        };
        Ok(Committed::new(
            FriendshipChanged {
                before,
                after,
                notification: decision.notification,
            },
            decision.events,
        ))
    })
    .await
}

/// The social graph on PostgreSQL.
#[derive(Clone)]
pub struct PgSocialGraph {
    pool: PgPool,
}

impl PgSocialGraph {
    /// A graph on `pool`.
    pub fn new(pool: PgPool) -> Self {
        Self { pool }
    }
}

#[async_trait]
impl SocialGraph for PgSocialGraph {
    async fn change_friendship(
        &self,
        me: UserId,
        other: UserId,
        decide: &DecideFriendship<'_>,
    ) -> Result<Committed<FriendshipChanged>, GraphError> {
        let mut conn = self.pool.get().await.map_err(error::pool)?;
        let mut attempt = 1;
        loop {
            match change_once(&mut conn, me, other, decide).await {
                // Someone inserted the pair's row between our read and our insert: the retry
                // reads it and decides again on the state it now has.
                Err(Tx(GraphError::Store(StoreError::Conflict(_)))) if attempt < ATTEMPTS => {
                    attempt += 1;
                }
                result => return result.map_err(|Tx(e)| e),
            }
        }
    }

    async fn block(
        &self,
        blocker: UserId,
        blocked: UserId,
        at: OffsetDateTime,
        announce: &Announce<'_, PairFacts>,
    ) -> Result<Committed<BlockChanged>, GraphError> {
        let mut conn = self.pool.get().await.map_err(error::pool)?;
        conn.transaction(async move |c| {
            let pair = normalise(blocker, blocked);
            lock_pair(c, pair).await?;
            if !user_exists(c, blocked).await? {
                return Err(Tx(GraphError::UnknownUser));
            }
            let before = lock_facts(c, blocker, blocked).await?;
            if before.state != PairState::None {
                delete_pair(c, pair).await?;
            }
            let inserted = diesel::insert_into(blocks::table)
                .values((
                    blocks::blocker_id.eq(blocker.as_uuid()),
                    blocks::blocked_id.eq(blocked.as_uuid()),
                    blocks::created_at.eq(at),
                ))
                .on_conflict_do_nothing()
                .execute(c)
                .await
                .map_err(error::query("insert block"))?;
            let events = announce(&before);
            outbox::append(c, &events).await?;
            let change = BlockChanged {
                created: inserted == 1,
                before,
            };
            Ok::<_, TxError>(Committed::new(change, events))
        })
        .await
        .map_err(|Tx(e)| e)
    }

    async fn unblock(
        &self,
        blocker: UserId,
        blocked: UserId,
        announce: &Announce<'_, ()>,
    ) -> Result<Committed<bool>, StoreError> {
        let mut conn = self.pool.get().await.map_err(error::pool)?;
        conn.transaction(async move |c| {
            let deleted =
                diesel::delete(blocks::table.find((blocker.as_uuid(), blocked.as_uuid())))
                    .execute(c)
                    .await
                    .map_err(error::query("delete block"))?;
            if deleted == 0 {
                return Ok(Committed::new(false, Vec::new()));
            }
            let events = announce(&());
            outbox::append(c, &events).await?;
            Ok::<_, Tx<StoreError>>(Committed::new(true, events))
        })
        .await
        .map_err(|Tx(e)| e)
    }

    async fn pair(&self, me: UserId, other: UserId) -> Result<PairFacts, StoreError> {
        let mut conn = self.pool.get().await.map_err(error::pool)?;
        let pair = normalise(me, other);
        let row: Option<(String, Uuid)> = friendships::table
            .find(pair)
            .select((friendships::state, friendships::requested_by))
            .first(&mut conn)
            .await
            .optional()
            .map_err(error::query("read the friendship"))?;
        let state = match row {
            Some((state, requested_by)) => pair_state(&state, requested_by)?,
            None => PairState::None,
        };
        let (me_blocked_other, other_blocked_me) = blocks_between(&mut conn, me, other).await?;
        Ok(PairFacts {
            state,
            me_blocked_other,
            other_blocked_me,
        })
    }
}
