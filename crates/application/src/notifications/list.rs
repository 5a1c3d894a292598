//! My notifications.

use std::sync::Arc;

use sakura_domain::UserId;
use sakura_domain::notifications::Notification;

use crate::ReadError;
use crate::pagination::{Page, PageRequest};
use crate::ports::{NotificationStore, PeopleDirectory};
use crate::users::PublicProfile;

/// A notification with who caused it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotificationView {
    /// The notification.
    pub notification: Notification,
    /// Its actor as the recipient sees them (`None` if the account is gone or blocked the
    /// recipient since).
    pub actor: Option<PublicProfile>,
}

/// Lists the caller's notifications, newest first.
#[derive(Clone)]
pub struct ListNotifications {
    notifications: Arc<dyn NotificationStore>,
    people: Arc<dyn PeopleDirectory>,
}

impl ListNotifications {
    /// Wires the use case.
    pub fn new(
        notifications: Arc<dyn NotificationStore>,
        people: Arc<dyn PeopleDirectory>,
    ) -> Self {
        Self {
            notifications,
            people,
        }
    }

    /// One notification of `me` as [`ListNotifications::execute`] would show it (the
    /// `notification.new` frame).
    pub async fn view(
        &self,
        me: UserId,
        notification: Notification,
    ) -> Result<NotificationView, ReadError> {
        let cards = self.people.cards(me, &[notification.actor]).await?;
        let actor = cards
            .iter()
            .find(|c| c.user.id == notification.actor && !c.blocked_viewer)
            .map(|c| PublicProfile::of(me, c));
        Ok(NotificationView {
            notification,
            actor,
        })
    }

    /// A page of `me`'s notifications; only unread ones if `unread_only`.
    pub async fn execute(
        &self,
        me: UserId,
        unread_only: bool,
        page: PageRequest,
    ) -> Result<Page<NotificationView>, ReadError> {
        let page = self.notifications.list(me, unread_only, page).await?;
        let mut actors: Vec<UserId> = page.items.iter().map(|n| n.actor).collect();
        actors.sort();
        actors.dedup();
        let cards = self.people.cards(me, &actors).await?;
        Ok(page.map(|notification| {
            let actor = cards
                .iter()
                .find(|c| c.user.id == notification.actor && !c.blocked_viewer)
                .map(|c| PublicProfile::of(me, c));
            NotificationView {
                notification,
                actor,
            }
        }))
    }
}
