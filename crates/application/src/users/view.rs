//! A user as someone else sees them: privacy applied here, in the use cases, not in handlers.

use sakura_domain::UserId;
use sakura_domain::friends::{Relation, can_see};
use sakura_domain::users::User;
use time::{Date, OffsetDateTime};

use crate::ports::UserCard;

/// A user's public profile as one viewer may see it. Hidden fields are `None`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PublicProfile {
    /// Id.
    pub id: UserId,
    /// First name (always visible: people find each other by name).
    pub first_name: String,
    /// Last name.
    pub last_name: String,
    /// The blob key of their avatar (always visible, like the name).
    pub avatar_key: Option<String>,
    /// Bio, if the viewer may see the profile.
    pub bio: Option<String>,
    /// City, if the viewer may see the profile.
    pub city: Option<String>,
    /// Birth date, if the viewer may see the profile.
    pub birth_date: Option<Date>,
    /// Whether they have a socket open (hidden across a block).
    pub online: bool,
    /// When their last socket closed (`None` while online, if never seen, or across a block).
    pub last_seen_at: Option<OffsetDateTime>,
    /// Their number of friends, if the viewer may see their friends.
    pub friends_count: Option<u64>,
    /// Their number of photos, if the viewer may see their photos.
    pub photos_count: Option<u64>,
    /// The viewer's relation to them.
    pub relation: Relation,
}

impl PublicProfile {
    /// The view of `card` for the viewer it was read for.
    pub fn of(viewer: UserId, card: &UserCard) -> Self {
        let user = &card.user;
        let relation = Relation::between(viewer, user.id, card.pair, card.viewer_blocked);
        let privacy = user.settings.privacy;
        let profile = can_see(privacy.profile, relation);
        let hidden = card.blocked_viewer || card.viewer_blocked;
        Self {
            id: user.id,
            first_name: user.first_name.as_str().to_owned(),
            last_name: user.last_name.as_str().to_owned(),
            avatar_key: card.avatar_key.clone(),
            bio: user.bio.clone().filter(|_| profile),
            city: user.city.clone().filter(|_| profile),
            birth_date: user.birth_date.filter(|_| profile),
            // Someone who blocked the viewer, or whom the viewer blocked, shows no presence.
            online: card.presence.online && !hidden,
            last_seen_at: card.presence.last_seen_at.filter(|_| !hidden),
            friends_count: can_see(privacy.friends, relation).then_some(card.friends_count),
            photos_count: can_see(privacy.photos, relation).then_some(card.photos_count),
            relation,
        }
    }

    /// My own profile, seen by me, from my own card (`None`: no card, so no counts yet).
    pub fn own(user: &User, card: Option<&UserCard>) -> Self {
        Self::of(
            user.id,
            &UserCard {
                user: user.clone(),
                presence: Default::default(),
                pair: sakura_domain::friends::PairState::None,
                viewer_blocked: false,
                blocked_viewer: false,
                friends_count: card.map_or(0, |c| c.friends_count),
                photos_count: card.map_or(0, |c| c.photos_count),
                avatar_key: card.and_then(|c| c.avatar_key.clone()),
            },
        )
    }
}

#[cfg(test)]
mod tests {
    use sakura_domain::friends::PairState;
    use sakura_domain::users::{Email, PersonName, PrivacyLevel, Settings};

    use super::*;

    fn card(pair: PairState, privacy: PrivacyLevel) -> (UserId, UserCard) {
        let mut settings = Settings::default();
        settings.privacy.profile = privacy;
        settings.privacy.friends = privacy;
        settings.privacy.photos = privacy;
        let user = User {
            id: UserId::new(),
            first_name: PersonName::parse("Aiko").unwrap(),
            last_name: PersonName::parse("Tanaka").unwrap(),
            email: Email::parse("aiko@example.com").unwrap(),
            bio: Some("bio".into()),
            city: Some("Kyoto".into()),
            birth_date: Some(time::macros::date!(1990 - 01 - 01)),
            settings,
            created_at: sakura_domain::clock::now(),
        };
        let card = UserCard {
            user,
            pair,
            viewer_blocked: false,
            blocked_viewer: false,
            friends_count: 3,
            photos_count: 4,
            avatar_key: None,
            presence: Default::default(),
        };
        (UserId::new(), card)
    }

    #[test]
    fn friends_only_fields_are_hidden_from_strangers() {
        let (viewer, card) = card(PairState::None, PrivacyLevel::Friends);
        let view = PublicProfile::of(viewer, &card);
        assert_eq!((view.bio, view.city, view.birth_date), (None, None, None));
        assert_eq!((view.friends_count, view.photos_count), (None, None));
        assert_eq!(view.first_name, "Aiko");
        assert_eq!(view.relation, Relation::None);
    }

    #[test]
    fn friends_see_friends_only_fields() {
        let (viewer, card) = card(PairState::Friends, PrivacyLevel::Friends);
        let view = PublicProfile::of(viewer, &card);
        assert_eq!(view.city.as_deref(), Some("Kyoto"));
        assert_eq!(view.friends_count, Some(3));
        assert_eq!(view.relation, Relation::Friends);
    }

    #[test]
    fn a_pending_request_is_not_friendship() {
        let (viewer, card) = card(
            PairState::Requested { by: UserId::new() },
            PrivacyLevel::Friends,
        );
        assert_eq!(PublicProfile::of(viewer, &card).bio, None);
    }

    #[test]
    fn everyone_sees_public_fields() {
        let (viewer, card) = card(PairState::None, PrivacyLevel::Everyone);
        let view = PublicProfile::of(viewer, &card);
        assert_eq!(view.bio.as_deref(), Some("bio"));
        assert_eq!(view.photos_count, Some(4));
    }

    #[test]
    fn i_see_all_of_my_own_profile() {
        let (_, card) = card(PairState::None, PrivacyLevel::Friends);
        let view = PublicProfile::own(&card.user, Some(&card));
        assert_eq!(view.relation, Relation::Myself);
        assert_eq!(view.city.as_deref(), Some("Kyoto"));
    }
}
