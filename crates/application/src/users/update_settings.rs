//! Changing my theme and privacy.

use std::sync::Arc;

use sakura_domain::UserId;
use sakura_domain::users::Settings;

use crate::errors::ReadError;
use crate::events::DomainEvent;
use crate::ports::{EventPublisher, SettingsPatch, UserRepository};

/// Applies a partial settings update and tells the user's other devices.
#[derive(Clone)]
pub struct UpdateSettings {
    users: Arc<dyn UserRepository>,
    events: Arc<dyn EventPublisher>,
}

impl UpdateSettings {
    /// Wires the use case.
    pub fn new(users: Arc<dyn UserRepository>, events: Arc<dyn EventPublisher>) -> Self {
        Self { users, events }
    }

    /// The settings now in force.
    #[tracing::instrument(name = "update_settings", skip_all, fields(%user_id))]
    pub async fn execute(
        &self,
        user_id: UserId,
        patch: SettingsPatch,
    ) -> Result<Settings, ReadError> {
        let settings = self.users.update_settings(user_id, &patch).await?;
        self.events
            .publish(DomainEvent::SettingsUpdated { user_id, settings })
            .await;
        Ok(settings)
    }
}
