//! The friends feature: requests and friendships.

use sakura_application::friends::{ChangeFriendship, ListRequests};

/// The use cases of the friendship endpoints.
pub struct FriendServices {
    /// Friendship transitions: request, accept, decline, cancel, unfriend.
    pub change_friendship: ChangeFriendship,
    /// Pending requests.
    pub list_requests: ListRequests,
}
