//! Driver errors, in the store's terms.

use diesel::result::{DatabaseErrorKind, Error as DieselError};
use sakura_application::StoreError;

/// Whether the error means the connection (or the server) went away rather than the query
/// being wrong. diesel-async reports a dropped socket as `DatabaseErrorKind::UnableToSendCommand` and a server
/// shutting connections down (restart, failover, `pg_terminate_backend`) as an unknown database
/// error; it never produces `ClosedConnection`, but other backends might.
fn connection_lost(error: &DieselError) -> bool {
    match error {
        DieselError::BrokenTransactionManager => true,
        DieselError::DatabaseError(
            DatabaseErrorKind::UnableToSendCommand | DatabaseErrorKind::ClosedConnection,
            _,
        ) => true,
        DieselError::DatabaseError(_, info) => {
            let message = info.message();
            message.starts_with("terminating connection")
                || message.contains("connection closed")
                || message.starts_with("the database system is")
        }
        _ => false,
    }
}

/// Maps a query error, naming what was being done.
pub(crate) fn query(context: &'static str) -> impl FnOnce(DieselError) -> StoreError {
    move |error| match error {
        DieselError::NotFound => StoreError::NotFound,
        DieselError::DatabaseError(DatabaseErrorKind::UniqueViolation, info) => {
            StoreError::conflict(info.constraint_name().unwrap_or_default())
        }
        // A row it refers to went away meanwhile (a photo deleted while it became an avatar...).
        DieselError::DatabaseError(DatabaseErrorKind::ForeignKeyViolation, _) => {
            StoreError::NotFound
        }
        error if connection_lost(&error) => {
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

/// The error of a transaction's body: a port's error `E`, which diesel's own failures (begin,
/// commit, a query inside) turn into through [`StoreError`]. `conn.transaction` needs
/// `From<diesel::result::Error>`, which another crate's type cannot get here.
pub(crate) struct Tx<E>(pub E);

impl<E: From<StoreError>> From<DieselError> for Tx<E> {
    fn from(error: DieselError) -> Self {
        Self(E::from(query("transaction")(error)))
    }
}

impl<E: From<StoreError>> From<StoreError> for Tx<E> {
    fn from(error: StoreError) -> Self {
        Self(E::from(error))
    }
}
