//! In-memory fakes of every port, for unit tests (feature `testing`).
//!
//! They keep the contract of each port (the documented errors included) but none of the
//! durability: never use them outside tests.

#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

mod chats;
mod events;
mod ext;
mod fakes;
mod photos;
mod social;

pub use chats::InMemoryChats;
pub use events::{InMemoryOutbox, RecordingBus};
pub use ext::{BlockChange, FriendshipChange, SocialGraphExt, UserRepositoryExt};
pub use fakes::*;
pub use photos::{FakeImages, InMemoryBlobs, InMemoryJobLock, InMemoryPhotos};
pub use social::InMemorySocial;
