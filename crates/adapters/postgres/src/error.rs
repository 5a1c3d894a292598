//! Driver errors, in the store's terms.

use diesel::result::{DatabaseErrorKind, Error as DieselError};
use sakura_application::StoreError;

/// Maps a query error, naming what was being done.
pub(crate) fn query(context: &'static str) -> impl FnOnce(DieselError) -> StoreError {
    move |error| match error {
        DieselError::NotFound => StoreError::NotFound,
        DieselError::DatabaseError(DatabaseErrorKind::UniqueViolation, _) => StoreError::Conflict,
        DieselError::DatabaseError(DatabaseErrorKind::ClosedConnection, _)
        | DieselError::BrokenTransactionManager => {
            StoreError::unavailable(anyhow::Error::new(error).context(context))
        }
        other => StoreError::Other(anyhow::Error::new(other).context(context)),
    }
}

/// Maps a failure to get a pooled connection: the database is down or saturated.
pub(crate) fn pool(
    error: deadpool::managed::PoolError<diesel_async::pooled_connection::PoolError>,
) -> StoreError {
    StoreError::unavailable(anyhow::Error::new(error).context("get a database connection"))
}
