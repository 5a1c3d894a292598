//! Changing my theme and privacy.

use std::sync::Arc;

use sakura_domain::users::Settings;
use thiserror::Error;

use crate::events::DomainEvent;
use crate::ports::{Clock, EventPublisher, SettingsPatch, UserRepository};
use crate::{Actor, StoreError};

/// Why a settings change failed.
#[derive(Debug, Error)]
pub enum UpdateSettingsError {
    /// The account is gone (deleted while the token lives on).
    #[error("no such user")]
    UnknownUser,
    /// A dependency is down.
    #[error("a dependency is unavailable")]
    Unavailable(#[source] anyhow::Error),
    /// A bug or an unexpected failure.
    #[error(transparent)]
    Unexpected(#[from] anyhow::Error),
}

crate::from_store_error!(UpdateSettingsError, StoreError::NotFound => Self::UnknownUser);

/// Applies a partial settings update and tells the user's other devices.
#[derive(Clone)]
pub struct UpdateSettings {
    users: Arc<dyn UserRepository>,
    events: Arc<dyn EventPublisher>,
    clock: Arc<dyn Clock>,
}

impl UpdateSettings {
    /// Wires the use case.
    pub fn new(
        users: Arc<dyn UserRepository>,
        events: Arc<dyn EventPublisher>,
        clock: Arc<dyn Clock>,
    ) -> Self {
        Self {
            users,
            events,
            clock,
        }
    }

    /// The settings now in force.
    #[tracing::instrument(name = "update_settings", skip_all, fields(user_id = %actor.user_id))]
    pub async fn execute(
        &self,
        actor: Actor,
        patch: SettingsPatch,
    ) -> Result<Settings, UpdateSettingsError> {
        let Actor {
            user_id,
            session_id: origin,
        } = actor;
        let at = self.clock.now();
        let announce = |settings: &Settings| {
            vec![
                DomainEvent::SettingsUpdated {
                    user_id,
                    settings: *settings,
                }
                .to(vec![user_id], origin, at),
            ]
        };
        Ok(self
            .users
            .update_settings(user_id, &patch, at, &announce)
            .await?
            .publish(self.events.as_ref()))
    }
}
