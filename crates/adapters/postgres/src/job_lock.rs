//! `PgJobLock`: periodic jobs one instance at a time, through session advisory locks.

use async_trait::async_trait;
use diesel::sql_types::{BigInt, Bool};
use diesel_async::pooled_connection::deadpool::Object;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use sakura_application::StoreError;
use sakura_application::ports::{JobLease, JobLock};

use crate::{PgPool, error};

/// Advisory locks on a connection taken out of the pool for the job's length.
#[derive(Clone)]
pub struct PgJobLock {
    pool: PgPool,
}

impl PgJobLock {
    /// Locks through connections of `pool`.
    pub fn new(pool: PgPool) -> Self {
        Self { pool }
    }
}

/// A stable 64-bit lock key for a job name (FNV-1a), apart from the migration lock's.
fn lock_key(job: &str) -> i64 {
    let hash = job.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |hash, byte| {
        (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3)
    });
    i64::from_ne_bytes(hash.to_ne_bytes())
}

#[derive(diesel::QueryableByName)]
struct Locked {
    #[diesel(sql_type = Bool)]
    locked: bool,
}

/// Holds the connection whose session holds the lock. Dropping it closes that connection
/// instead of returning it to the pool: the session ends, and PostgreSQL releases the lock with
/// it, whatever path the job left by (no `await` is possible in `drop`).
struct Holder(Option<Object<AsyncPgConnection>>);

impl Drop for Holder {
    fn drop(&mut self) {
        if let Some(conn) = self.0.take() {
            drop(Object::take(conn));
        }
    }
}

#[async_trait]
impl JobLock for PgJobLock {
    async fn try_lock(&self, job: &'static str) -> Result<Option<JobLease>, StoreError> {
        let mut conn = self.pool.get().await.map_err(error::pool)?;
        let Locked { locked } = diesel::sql_query("SELECT pg_try_advisory_lock($1) AS locked")
            .bind::<BigInt, _>(lock_key(job))
            .get_result(&mut conn)
            .await
            .map_err(error::query("take a job lock"))?;
        Ok(locked.then(|| JobLease::new(Holder(Some(conn)))))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lock_keys_are_stable_and_differ_per_job() {
        assert_eq!(lock_key("photo_file_sweep"), lock_key("photo_file_sweep"));
        assert_ne!(lock_key("photo_file_sweep"), lock_key("other_job"));
    }
}
