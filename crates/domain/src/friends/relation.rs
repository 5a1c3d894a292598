//! How a user stands towards another, and what that lets them see.

use super::PairState;
use crate::UserId;
use crate::users::PrivacyLevel;

/// The caller's relation to a user, as `User.friendship` shows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Relation {
    /// The caller themselves.
    Myself,
    /// Nothing.
    None,
    /// The caller asked them.
    OutgoingRequest,
    /// They asked the caller.
    IncomingRequest,
    /// Friends.
    Friends,
    /// The caller blocked them.
    Blocked,
}

impl Relation {
    /// The relation of `viewer` to `owner`, given their pair state and whether the viewer
    /// blocked the owner.
    pub fn between(
        viewer: UserId,
        owner: UserId,
        pair: PairState,
        viewer_blocked_owner: bool,
    ) -> Self {
        if viewer == owner {
            return Self::Myself;
        }
        if viewer_blocked_owner {
            return Self::Blocked;
        }
        match pair {
            PairState::None => Self::None,
            PairState::Friends => Self::Friends,
            PairState::Requested { by } if by == viewer => Self::OutgoingRequest,
            PairState::Requested { .. } => Self::IncomingRequest,
        }
    }

    /// Every relation.
    pub const ALL: &'static [Relation] = &[
        Self::Myself,
        Self::None,
        Self::OutgoingRequest,
        Self::IncomingRequest,
        Self::Friends,
        Self::Blocked,
    ];

    /// Reads a wire spelling back.
    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.iter().copied().find(|r| r.as_str() == text)
    }

    /// The wire spelling.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Myself => "self",
            Self::None => "none",
            Self::OutgoingRequest => "outgoing_request",
            Self::IncomingRequest => "incoming_request",
            Self::Friends => "friends",
            Self::Blocked => "blocked",
        }
    }
}

/// Whether someone with `relation` to the owner may see what the owner shows to `level`.
pub fn can_see(level: PrivacyLevel, relation: Relation) -> bool {
    match relation {
        Relation::Myself => true,
        Relation::Friends => true,
        _ => level == PrivacyLevel::Everyone,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_relation_reads_from_the_viewers_side() {
        let (me, other) = (UserId::new(), UserId::new());
        assert_eq!(
            Relation::between(me, me, PairState::None, false),
            Relation::Myself
        );
        assert_eq!(
            Relation::between(me, other, PairState::None, false),
            Relation::None
        );
        assert_eq!(
            Relation::between(me, other, PairState::Requested { by: me }, false),
            Relation::OutgoingRequest
        );
        assert_eq!(
            Relation::between(me, other, PairState::Requested { by: other }, false),
            Relation::IncomingRequest
        );
        assert_eq!(
            Relation::between(me, other, PairState::Friends, false),
            Relation::Friends
        );
        assert_eq!(
            Relation::between(me, other, PairState::None, true),
            Relation::Blocked
        );
    }

    #[test]
    fn friends_only_content_is_for_friends_and_the_owner() {
        for (relation, allowed) in [
            (Relation::Myself, true),
            (Relation::Friends, true),
            (Relation::None, false),
            (Relation::OutgoingRequest, false),
            (Relation::IncomingRequest, false),
            (Relation::Blocked, false),
        ] {
            assert_eq!(
                can_see(PrivacyLevel::Friends, relation),
                allowed,
                "{relation:?}"
            );
            assert!(can_see(PrivacyLevel::Everyone, relation), "{relation:?}");
        }
    }
}
