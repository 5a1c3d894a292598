//! The users feature: my page, other people's pages, settings, search, suggestions.

use sakura_application::friends::{ListFriends, MutualFriends};
use sakura_application::users::{
    GetMe, GetProfile, SearchUsers, SuggestPeople, UpdateMe, UpdateSettings,
};

/// The use cases of the user endpoints.
pub struct UserServices {
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
    /// Friends of a user (`/users/{id}/friends`).
    pub list_friends: ListFriends,
    /// Mutual friends (`/users/{id}/friends/mutual`).
    pub mutual_friends: MutualFriends,
}
