//! What handlers share: the use cases and the machinery around them.

use std::sync::Arc;

use sakura_application::auth::{
    Authenticate, ChangePassword, ListSessions, LoginUser, Logout, LogoutAll, RefreshSession,
    RegisterUser, RevokeSession,
};
use sakura_application::blocks::{BlockUser, ListBlocks, UnblockUser};
use sakura_application::friends::{ChangeFriendship, ListFriends, ListRequests, MutualFriends};
use sakura_application::notifications::{ListNotifications, MarkNotificationsRead, UnreadCount};
use sakura_application::photos::{
    DeletePhoto, GetMedia, GetPhoto, ListPhotos, SetAvatar, UpdateCaption, UploadPhoto,
};
use sakura_application::ports::DependencyProbe;
use sakura_application::users::{
    GetMe, GetProfile, SearchUsers, SuggestPeople, UpdateMe, UpdateSettings,
};

use crate::telemetry::Metrics;

/// Everything the HTTP handlers need, built once by the server.
pub struct AppState {
    /// Sign up.
    pub register: RegisterUser,
    /// Log in.
    pub login: LoginUser,
    /// Rotate a refresh token.
    pub refresh: RefreshSession,
    /// Log out of one device.
    pub logout: Logout,
    /// Log out everywhere.
    pub logout_all: LogoutAll,
    /// List sessions.
    pub list_sessions: ListSessions,
    /// Revoke one session.
    pub revoke_session: RevokeSession,
    /// Change the password.
    pub change_password: ChangePassword,
    /// Check access tokens.
    pub authenticate: Authenticate,
    /// Read my profile.
    pub get_me: GetMe,
    /// Edit my profile.
    pub update_me: UpdateMe,
    /// Change my settings.
    pub update_settings: UpdateSettings,
    /// Read someone's profile.
    pub get_profile: GetProfile,
    /// Search people.
    pub search_users: SearchUsers,
    /// Suggest people.
    pub suggest_people: SuggestPeople,
    /// Friendship transitions.
    pub change_friendship: ChangeFriendship,
    /// Friends of a user.
    pub list_friends: ListFriends,
    /// Mutual friends.
    pub mutual_friends: MutualFriends,
    /// Pending requests.
    pub list_requests: ListRequests,
    /// Block someone.
    pub block_user: BlockUser,
    /// Unblock someone.
    pub unblock_user: UnblockUser,
    /// My blocks.
    pub list_blocks: ListBlocks,
    /// My notifications.
    pub list_notifications: ListNotifications,
    /// Unread badges.
    pub unread_count: UnreadCount,
    /// Mark notifications read.
    pub mark_notifications_read: MarkNotificationsRead,
    /// Upload a photo.
    pub upload_photo: UploadPhoto,
    /// Read a photo.
    pub get_photo: GetPhoto,
    /// A user's photos.
    pub list_photos: ListPhotos,
    /// Edit a caption.
    pub update_caption: UpdateCaption,
    /// Delete a photo.
    pub delete_photo: DeletePhoto,
    /// Choose or remove an avatar.
    pub set_avatar: SetAvatar,
    /// Serve media bytes.
    pub get_media: GetMedia,
    /// Readiness probes of the dependencies.
    pub probes: Vec<Arc<dyn DependencyProbe>>,
    /// HTTP metrics.
    pub metrics: Arc<Metrics>,
    /// Whether `X-Forwarded-For` comes from a trusted proxy.
    pub trust_proxy: bool,
    /// Whether the refresh cookie is marked `Secure` (always, except for local plain-HTTP dev).
    pub secure_cookies: bool,
}
