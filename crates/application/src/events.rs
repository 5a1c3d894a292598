//! Domain events: what happened, announced by use cases after their transaction commits.

use sakura_domain::friends::Relation;
use sakura_domain::notifications::Notification;
use sakura_domain::users::Settings;
use sakura_domain::{SessionId, UserId};

/// Something other parts of the system (mostly realtime sockets) may react to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DomainEvent {
    /// These sessions of the user were revoked: their sockets must close with 4001.
    SessionsRevoked {
        /// Whose sessions.
        user_id: UserId,
        /// Which ones.
        session_ids: Vec<SessionId>,
    },
    /// `user_id`'s relation to `other_user_id` changed (`friendship.updated`, to `user_id`).
    FriendshipUpdated {
        /// Who is told.
        user_id: UserId,
        /// About whom.
        other_user_id: UserId,
        /// The relation now, from `user_id`'s side.
        relation: Relation,
    },
    /// A notification was stored (`notification.new`, to its recipient).
    NotificationCreated(Notification),
    /// A user's settings changed (`settings.updated`, to their other sockets).
    SettingsUpdated {
        /// Whose.
        user_id: UserId,
        /// The settings now in force.
        settings: Settings,
    },
}
