//! Redis errors, in the store's terms.

use deadpool_redis::redis::RedisError;
use sakura_application::StoreError;

/// Maps a command error, naming what was being done.
pub(crate) fn command(context: &'static str) -> impl FnOnce(RedisError) -> StoreError {
    move |error| {
        let connection_level = error.is_io_error()
            || error.is_connection_refusal()
            || error.is_timeout()
            || error.is_connection_dropped()
            || error.is_unrecoverable_error();
        let error = anyhow::Error::new(error).context(context);
        if connection_level {
            StoreError::Unavailable(error)
        } else {
            StoreError::Other(error)
        }
    }
}

/// Maps a failure to get a pooled connection: Redis is down or saturated.
pub(crate) fn pool(error: deadpool_redis::PoolError) -> StoreError {
    StoreError::unavailable(anyhow::Error::new(error).context("get a Redis connection"))
}
