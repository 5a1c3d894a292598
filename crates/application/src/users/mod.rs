//! User use cases: one file each.

mod get_me;
mod get_profile;
mod search;
mod suggestions;
mod update_me;
mod update_settings;
mod view;

pub use get_me::{GetMe, GetMeError, Me};
pub use get_profile::GetProfile;
pub use search::{MAX_QUERY_CHARS, SearchUsers};
pub use suggestions::{SuggestPeople, SuggestedPerson};
pub use update_me::UpdateMe;
pub use update_settings::UpdateSettings;
pub use view::PublicProfile;

use sakura_domain::UserId;

use crate::errors::ReadError;
use crate::pagination::Page;
use crate::ports::PeopleDirectory;

/// Turns a page of user ids into their profiles as `viewer` sees them, keeping order and cursor.
pub(crate) async fn profiles(
    people: &dyn PeopleDirectory,
    viewer: UserId,
    ids: Page<UserId>,
) -> Result<Page<PublicProfile>, ReadError> {
    let cards = people.cards(viewer, &ids.items).await?;
    Ok(Page {
        items: cards.iter().map(|c| PublicProfile::of(viewer, c)).collect(),
        next: ids.next,
    })
}
