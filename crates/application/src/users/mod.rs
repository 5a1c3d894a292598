//! User use cases: one file each.

mod get_me;
mod get_profile;
mod search;
mod suggestions;
mod update_me;
mod update_settings;
mod view;
mod with_presence;

pub use get_me::{GetMe, GetMeError, Me};
pub use get_profile::GetProfile;
pub use search::{MAX_QUERY_CHARS, SearchUsers};
pub use suggestions::{SuggestPeople, SuggestedPerson};
pub use update_me::{UpdateMe, UpdateMeError};
pub use update_settings::{UpdateSettings, UpdateSettingsError};
pub use view::PublicProfile;
pub use with_presence::WithPresence;

use sakura_domain::UserId;

use crate::ReadError;
use crate::pagination::Page;
use crate::ports::PeopleDirectory;

/// Turns a page of user ids into their profiles as `viewer` sees them, keeping order and cursor.
/// Anyone who blocked the viewer is left out: their page is a 404 to the viewer, so no list may
/// show them either (a page may then hold fewer items than asked; the cursor still moves on).
pub(crate) async fn profiles(
    people: &dyn PeopleDirectory,
    viewer: UserId,
    ids: Page<UserId>,
) -> Result<Page<PublicProfile>, ReadError> {
    let cards = people.cards(viewer, &ids.items).await?;
    Ok(Page {
        items: cards
            .iter()
            .filter(|c| !c.blocked_viewer)
            .map(|c| PublicProfile::of(viewer, c))
            .collect(),
        next: ids.next,
    })
}
