//! Ports: what the use cases need from the outside world. One trait per file.

mod access_tokens;
mod blob_store;
mod broadcast;
mod chat_store;
mod clock;
mod event_bus;
mod event_publisher;
mod health;
mod image_processor;
mod job_lock;
mod notification_store;
mod outbox;
mod password_hasher;
mod people_directory;
mod photo_repository;
mod presence;
mod rate_limiter;
mod refresh_tokens;
mod session_store;
mod social_graph;
mod throttle;
mod user_repository;

pub use access_tokens::{AccessClaims, AccessTokenError, AccessTokens, IssuedAccessToken};
pub use blob_store::{BlobKey, BlobStore, MediaKind, StoredBlob};
pub use broadcast::{Broadcast, BroadcastListener, Replay, Sequenced, UserEvent, position_order};
pub use chat_store::{
    Candidate, ChatFacts, ChatStore, Draft, GroupChange, GroupCommitted, GroupVerdict, MarkerMoved,
    MessageChange, MessageChanged, MessageFacts, NewGroup, Rule, SendFacts, SendVerdict, Sent,
};
pub use clock::{Clock, SystemClock};
pub use event_bus::EventBus;
pub use event_publisher::EventPublisher;
pub use health::DependencyProbe;
pub use image_processor::{EncodedImage, ImageError, ImageProcessor, ProcessedImage};
pub use job_lock::{JobLease, JobLock};
pub use notification_store::NotificationStore;
pub use outbox::Outbox;
pub use password_hasher::{HashError, PasswordHash, PasswordHasher};
pub use people_directory::{Dated, PeopleDirectory, RequestDirection, Suggestion, UserCard};
pub use photo_repository::PhotoRepository;
pub use presence::{Presence, PresenceState};
pub use rate_limiter::{FailureLimiter, LimitRule};
pub use refresh_tokens::{OpenedRefreshToken, RefreshTokenHash, RefreshTokens};
pub use session_store::{RotateOutcome, SessionStore, TokenStatus};
pub use social_graph::{
    BlockChanged, DecideFriendship, FriendshipChanged, FriendshipDecision, GraphError, PairFacts,
    SocialGraph,
};
pub use throttle::Throttle;
pub use user_repository::{EMAIL_KEY, NewUser, ProfilePatch, SettingsPatch, UserRepository};
