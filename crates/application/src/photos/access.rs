//! Who may see whose photos.

use sakura_domain::UserId;
use sakura_domain::friends::{Relation, can_see};

use super::PhotoChangeError;
use crate::ReadError;
use crate::ports::PeopleDirectory;

/// `Ok` when `viewer` may see `owner`'s photos: `NotFound` if the owner is unknown or blocked
/// the viewer, `Hidden` if the owner's photo privacy excludes them.
pub(crate) async fn may_see_photos(
    people: &dyn PeopleDirectory,
    viewer: UserId,
    owner: UserId,
) -> Result<(), ReadError> {
    let card = people.cards(viewer, &[owner]).await?.into_iter().next();
    let card = card
        .filter(|c| !c.blocked_viewer)
        .ok_or(ReadError::NotFound)?;
    let relation = Relation::between(viewer, owner, card.pair, card.viewer_blocked);
    if can_see(card.user.settings.privacy.photos, relation) {
        Ok(())
    } else {
        Err(ReadError::Hidden)
    }
}

/// Why `me` may not change a photo of `owner`'s: `NotFound` when the owner blocked `me` (who
/// must not learn that the photo exists, as reading it answers), else `Forbidden`.
pub(crate) async fn not_yours(
    people: &dyn PeopleDirectory,
    me: UserId,
    owner: UserId,
) -> PhotoChangeError {
    match may_see_photos(people, me, owner).await {
        Ok(()) | Err(ReadError::Hidden) => PhotoChangeError::Forbidden,
        Err(ReadError::NotFound) => PhotoChangeError::NotFound,
        Err(ReadError::Unavailable(e)) => PhotoChangeError::Unavailable(e),
        Err(ReadError::Unexpected(e)) => PhotoChangeError::Unexpected(e),
    }
}
