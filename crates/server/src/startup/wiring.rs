//! Wiring: the adapters as ports, then one function per feature turning them into that feature's
//! services. [`app_data`] names each feature once.

use std::sync::Arc;

use sakura_application::auth::{
    Authenticate, ChangePassword, ListSessions, LoginLimits, LoginUser, Logout, LogoutAll,
    RefreshSession, RegisterUser, RevokeSession, SessionTokens,
};
use sakura_application::blocks::{BlockUser, ListBlocks, UnblockUser};
use sakura_application::chats::{
    ChangeGroup, CreateDirectChat, CreateGroup, DeleteMessage, EditMessage, GetChat, ListChats,
    ListMessages, MarkChatRead, ReactToMessage, SearchMessages, SendMessage,
};
use sakura_application::friends::{ChangeFriendship, ListFriends, ListRequests, MutualFriends};
use sakura_application::notifications::{ListNotifications, MarkNotificationsRead, UnreadCount};
use sakura_application::photos::{
    DeletePhoto, GetMedia, GetPhoto, ListPhotos, SetAvatar, UpdateCaption, UploadPhoto,
};
use sakura_application::ports::{
    AccessTokens, BlobStore, ChatStore, Clock, DependencyProbe, EventPublisher, FailureLimiter,
    ImageProcessor, NotificationStore, PasswordHasher, PeopleDirectory, PhotoRepository,
    RefreshTokens, SessionStore, SocialGraph, UserRepository,
};
use sakura_application::users::{
    GetMe, GetProfile, SearchUsers, SuggestPeople, UpdateMe, UpdateSettings,
};
use sakura_http::{AppData, HttpConfig, HttpMetrics};
use sakura_services::{
    AuthServices, Authentication, BlockServices, ChatServices, FriendServices, MetricsRegistry,
    NotificationServices, OpsServices, PhotoServices, UserServices,
};

use crate::config::Config;

/// Every port, as the adapters implement it, plus the settings use cases take.
pub(crate) struct Ports {
    pub(crate) users: Arc<dyn UserRepository>,
    pub(crate) graph: Arc<dyn SocialGraph>,
    pub(crate) people: Arc<dyn PeopleDirectory>,
    pub(crate) notifications: Arc<dyn NotificationStore>,
    pub(crate) chats: Arc<dyn ChatStore>,
    pub(crate) photos: Arc<dyn PhotoRepository>,
    pub(crate) blobs: Arc<dyn BlobStore>,
    pub(crate) images: Arc<dyn ImageProcessor>,
    pub(crate) sessions: Arc<dyn SessionStore>,
    pub(crate) limiter: Arc<dyn FailureLimiter>,
    pub(crate) hasher: Arc<dyn PasswordHasher>,
    pub(crate) access: Arc<dyn AccessTokens>,
    pub(crate) refresh: Arc<dyn RefreshTokens>,
    pub(crate) events: Arc<dyn EventPublisher>,
    pub(crate) clock: Arc<dyn Clock>,
    pub(crate) probes: Vec<Arc<dyn DependencyProbe>>,
    pub(crate) limits: LoginLimits,
    pub(crate) refresh_ttl: time::Duration,
}

/// What the HTTP and WebSocket handlers read: HTTP's own settings, then each feature once.
pub(crate) fn app_data(ports: &Ports, config: &Config, metrics: &Arc<MetricsRegistry>) -> AppData {
    AppData::default()
        .with(HttpConfig {
            trust_proxy: config.trust_proxy,
            secure_cookies: config.cookie_secure,
        })
        .with(HttpMetrics::new(metrics))
        .with(authentication(ports))
        .with(ops(ports, metrics))
        .with(auth(ports))
        .with(users(ports))
        .with(friends(ports))
        .with(blocks(ports))
        .with(photos(ports))
        .with(notifications(ports))
        .with(chats(ports))
}

fn authentication(p: &Ports) -> Authentication {
    Authentication::new(Authenticate::new(p.access.clone(), p.sessions.clone()))
}

fn ops(p: &Ports, metrics: &Arc<MetricsRegistry>) -> OpsServices {
    OpsServices {
        probes: p.probes.clone(),
        metrics: metrics.clone(),
    }
}

fn auth(p: &Ports) -> AuthServices {
    let tokens = SessionTokens::new(
        p.sessions.clone(),
        p.access.clone(),
        p.refresh.clone(),
        p.refresh_ttl,
        p.clock.clone(),
    );
    AuthServices {
        register: RegisterUser::new(p.users.clone(), p.hasher.clone(), tokens.clone()),
        login: LoginUser::new(
            p.users.clone(),
            p.hasher.clone(),
            p.limiter.clone(),
            tokens.clone(),
            p.limits,
        ),
        refresh: RefreshSession::new(p.users.clone(), tokens, p.events.clone()),
        logout: Logout::new(
            p.sessions.clone(),
            p.refresh.clone(),
            p.events.clone(),
            p.clock.clone(),
        ),
        logout_all: LogoutAll::new(p.sessions.clone(), p.events.clone(), p.clock.clone()),
        list_sessions: ListSessions::new(p.sessions.clone()),
        revoke_session: RevokeSession::new(p.sessions.clone(), p.events.clone(), p.clock.clone()),
        change_password: ChangePassword::new(
            p.users.clone(),
            p.hasher.clone(),
            p.sessions.clone(),
            p.limiter.clone(),
            p.events.clone(),
            p.clock.clone(),
            p.limits,
        ),
        get_me: GetMe::new(p.users.clone(), p.people.clone()),
    }
}

fn users(p: &Ports) -> UserServices {
    UserServices {
        get_me: GetMe::new(p.users.clone(), p.people.clone()),
        update_me: UpdateMe::new(p.users.clone(), p.clock.clone()),
        update_settings: UpdateSettings::new(p.users.clone(), p.events.clone(), p.clock.clone()),
        get_profile: GetProfile::new(p.people.clone()),
        search_users: SearchUsers::new(p.people.clone()),
        suggest_people: SuggestPeople::new(p.people.clone()),
        list_friends: ListFriends::new(p.people.clone()),
        mutual_friends: MutualFriends::new(p.people.clone()),
    }
}

fn friends(p: &Ports) -> FriendServices {
    FriendServices {
        change_friendship: ChangeFriendship::new(
            p.graph.clone(),
            p.people.clone(),
            p.events.clone(),
            p.clock.clone(),
        ),
        list_requests: ListRequests::new(p.people.clone()),
    }
}

fn blocks(p: &Ports) -> BlockServices {
    BlockServices {
        block_user: BlockUser::new(p.graph.clone(), p.events.clone(), p.clock.clone()),
        unblock_user: UnblockUser::new(p.graph.clone(), p.events.clone(), p.clock.clone()),
        list_blocks: ListBlocks::new(p.people.clone()),
    }
}

fn photos(p: &Ports) -> PhotoServices {
    PhotoServices {
        upload_photo: UploadPhoto::new(
            p.photos.clone(),
            p.blobs.clone(),
            p.images.clone(),
            p.clock.clone(),
        ),
        get_photo: GetPhoto::new(p.photos.clone(), p.people.clone()),
        list_photos: ListPhotos::new(p.photos.clone(), p.people.clone()),
        update_caption: UpdateCaption::new(p.photos.clone(), p.people.clone()),
        delete_photo: DeletePhoto::new(p.photos.clone(), p.blobs.clone(), p.people.clone()),
        set_avatar: SetAvatar::new(p.photos.clone(), p.people.clone()),
        get_media: GetMedia::new(p.blobs.clone()),
        get_me: GetMe::new(p.users.clone(), p.people.clone()),
    }
}

fn notifications(p: &Ports) -> NotificationServices {
    NotificationServices {
        list_notifications: ListNotifications::new(p.notifications.clone(), p.people.clone()),
        unread_count: UnreadCount::new(p.notifications.clone(), p.chats.clone()),
        mark_notifications_read: MarkNotificationsRead::new(
            p.notifications.clone(),
            p.events.clone(),
            p.clock.clone(),
        ),
    }
}

fn chats(p: &Ports) -> ChatServices {
    let (store, events, clock) = (&p.chats, &p.events, &p.clock);
    ChatServices {
        create_direct: CreateDirectChat::new(store.clone(), events.clone(), clock.clone()),
        create_group: CreateGroup::new(store.clone(), events.clone(), clock.clone()),
        get_chat: GetChat::new(store.clone()),
        list_chats: ListChats::new(store.clone()),
        change_group: ChangeGroup::new(store.clone(), events.clone(), clock.clone()),
        send_message: SendMessage::new(store.clone(), events.clone(), clock.clone()),
        list_messages: ListMessages::new(store.clone()),
        edit_message: EditMessage::new(store.clone(), events.clone(), clock.clone()),
        delete_message: DeleteMessage::new(store.clone(), events.clone(), clock.clone()),
        react: ReactToMessage::new(store.clone(), events.clone(), clock.clone()),
        mark_read: MarkChatRead::new(store.clone(), events.clone(), clock.clone()),
        search: SearchMessages::new(store.clone()),
    }
}
