//! Friendship use cases: one file each.

mod change;
mod list_friends;
mod list_requests;
mod mutual_friends;

pub use change::{ChangeFriendship, FriendshipError, FriendshipOutcome, decide};
pub use list_friends::ListFriends;
pub use list_requests::{FriendRequest, ListRequests};
pub use mutual_friends::MutualFriends;
