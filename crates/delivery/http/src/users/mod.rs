//! User endpoints: one handler per file, mirroring `sakura_application::users`.

mod get_me;
mod get_settings;
mod get_user;
mod list_friends;
mod mutual_friends;
mod search;
mod suggestions;
mod update_me;
mod update_settings;

pub use get_me::{__path_get_me, get_me};
pub use get_settings::{__path_get_settings, get_settings};
pub use get_user::{__path_get_user, get_user};
pub use list_friends::{__path_list_friends, list_friends};
pub use mutual_friends::{__path_mutual_friends, mutual_friends};
pub use search::{__path_search, search};
pub use suggestions::{__path_suggestions, suggestions};
pub use update_me::{__path_update_me, UpdateMeRequest, update_me};
pub use update_settings::{
    __path_update_settings, PrivacyPatchRequest, UpdateSettingsRequest, update_settings,
};
