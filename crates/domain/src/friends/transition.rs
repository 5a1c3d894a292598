//! The friendship state machine.

use thiserror::Error;
use time::OffsetDateTime;

use crate::UserId;
use crate::notifications::{Notification, NotificationKind, Subject};

/// Where a pair of users stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PairState {
    /// Nothing between them.
    None,
    /// One asked the other to be friends.
    Requested {
        /// Who asked.
        by: UserId,
    },
    /// Friends.
    Friends,
}

/// What a user does about another.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FriendAction {
    /// Ask to be friends (accepts at once if the other already asked).
    Request,
    /// Accept the other's request.
    Accept,
    /// Turn the other's request down.
    Decline,
    /// Withdraw my own request.
    Cancel,
    /// End the friendship.
    Unfriend,
}

/// Why an action is not possible now.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Error)]
pub enum FriendshipError {
    /// One cannot befriend oneself: the action was aimed at my own id.
    #[error("{}", self_message(*.0))]
    ToSelf(FriendAction),
    /// Already friends.
    #[error("you are already friends")]
    AlreadyFriends,
    /// I already asked.
    #[error("you already sent a friend request")]
    AlreadyRequested,
    /// There is no request from the other to answer (or mine to cancel).
    #[error("there is no such friend request")]
    NoRequest,
    /// There is no friendship to end.
    #[error("you are not friends")]
    NotFriends,
    /// One of them blocked the other.
    #[error("you cannot do that with this user")]
    Blocked,
}

/// What to say when `action` is aimed at oneself, in the words of that action.
fn self_message(action: FriendAction) -> &'static str {
    match action {
        FriendAction::Request => "you cannot send a friend request to yourself",
        FriendAction::Accept => "you cannot accept a friend request from yourself",
        FriendAction::Decline => "you cannot decline a friend request from yourself",
        FriendAction::Cancel => "you cannot cancel a friend request to yourself",
        FriendAction::Unfriend => "you cannot unfriend yourself",
    }
}

/// Which notification an action sends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NoticeKind {
    /// Someone asked to be friends.
    FriendRequest,
    /// Someone accepted a request.
    FriendAccepted,
}

/// A notification to create along with the change.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Notice {
    /// Who gets it.
    pub recipient: UserId,
    /// Who caused it.
    pub actor: UserId,
    /// What it says.
    pub kind: NoticeKind,
}

impl Notice {
    /// The notification this notice becomes, made `at` the moment of the change. It is about
    /// the person who acted, so tapping it opens their page.
    pub fn into_notification(self, at: OffsetDateTime) -> Notification {
        let kind = match self.kind {
            NoticeKind::FriendRequest => NotificationKind::FriendRequest,
            NoticeKind::FriendAccepted => NotificationKind::FriendAccepted,
        };
        Notification::new(
            self.recipient,
            self.actor,
            kind,
            Subject::User(self.actor),
            at,
        )
    }
}

/// The result of an allowed action.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Transition {
    /// The pair's new state.
    pub next: PairState,
    /// The notification to create, if any.
    pub notice: Option<Notice>,
}

/// Applies `action` by `me` towards `other` to `current`. `blocked` is whether either blocked
/// the other: then only withdrawing or ending things is allowed.
pub fn transition(
    me: UserId,
    other: UserId,
    current: PairState,
    action: FriendAction,
    blocked: bool,
) -> Result<Transition, FriendshipError> {
    use FriendAction as A;
    use PairState as S;
    if me == other {
        return Err(FriendshipError::ToSelf(action));
    }
    let notice = |recipient, kind| {
        Some(Notice {
            recipient,
            actor: me,
            kind,
        })
    };
    match (action, current) {
        (A::Request | A::Accept, _) if blocked => Err(FriendshipError::Blocked),
        (A::Request, S::None) => Ok(Transition {
            next: S::Requested { by: me },
            notice: notice(other, NoticeKind::FriendRequest),
        }),
        // They asked first: asking back is saying yes.
        (A::Request | A::Accept, S::Requested { by }) if by == other => Ok(Transition {
            next: S::Friends,
            notice: notice(other, NoticeKind::FriendAccepted),
        }),
        (A::Request, S::Requested { .. }) => Err(FriendshipError::AlreadyRequested),
        (A::Request, S::Friends) => Err(FriendshipError::AlreadyFriends),
        (A::Accept | A::Decline, S::Friends) => Err(FriendshipError::AlreadyFriends),
        (A::Decline, S::Requested { by }) if by == other => Ok(Transition {
            next: S::None,
            notice: None,
        }),
        (A::Cancel, S::Requested { by }) if by == me => Ok(Transition {
            next: S::None,
            notice: None,
        }),
        (A::Accept | A::Decline | A::Cancel, _) => Err(FriendshipError::NoRequest),
        (A::Unfriend, S::Friends) => Ok(Transition {
            next: S::None,
            notice: None,
        }),
        (A::Unfriend, _) => Err(FriendshipError::NotFriends),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pair() -> (UserId, UserId) {
        (UserId::new(), UserId::new())
    }

    #[test]
    fn a_request_to_a_stranger_becomes_pending_and_notifies_them() {
        let (me, other) = pair();
        let t = transition(me, other, PairState::None, FriendAction::Request, false).unwrap();
        assert_eq!(t.next, PairState::Requested { by: me });
        assert_eq!(
            t.notice,
            Some(Notice {
                recipient: other,
                actor: me,
                kind: NoticeKind::FriendRequest
            })
        );
    }

    #[test]
    fn requesting_someone_who_requested_me_makes_us_friends() {
        let (me, other) = pair();
        let t = transition(
            me,
            other,
            PairState::Requested { by: other },
            FriendAction::Request,
            false,
        )
        .unwrap();
        assert_eq!(t.next, PairState::Friends);
        assert_eq!(
            t.notice.map(|n| (n.recipient, n.kind)),
            Some((other, NoticeKind::FriendAccepted))
        );
    }

    #[test]
    fn requesting_twice_or_a_friend_is_refused() {
        let (me, other) = pair();
        let again = transition(
            me,
            other,
            PairState::Requested { by: me },
            FriendAction::Request,
            false,
        );
        assert_eq!(again, Err(FriendshipError::AlreadyRequested));
        let friend = transition(me, other, PairState::Friends, FriendAction::Request, false);
        assert_eq!(friend, Err(FriendshipError::AlreadyFriends));
    }

    #[test]
    fn any_action_on_myself_is_refused_in_its_own_words() {
        let me = UserId::new();
        let cases = [
            (FriendAction::Request, "send a friend request to yourself"),
            (
                FriendAction::Accept,
                "accept a friend request from yourself",
            ),
            (
                FriendAction::Decline,
                "decline a friend request from yourself",
            ),
            (FriendAction::Cancel, "cancel a friend request to yourself"),
            (FriendAction::Unfriend, "unfriend yourself"),
        ];
        for (action, words) in cases {
            let refused = transition(me, me, PairState::None, action, false);
            assert_eq!(refused, Err(FriendshipError::ToSelf(action)));
            let message = refused.unwrap_err().to_string();
            assert_eq!(message, format!("you cannot {words}"), "{action:?}");
        }
    }

    #[test]
    fn blocks_stop_requests_and_accepts_but_not_withdrawals() {
        let (me, other) = pair();
        assert_eq!(
            transition(me, other, PairState::None, FriendAction::Request, true),
            Err(FriendshipError::Blocked)
        );
        assert_eq!(
            transition(
                me,
                other,
                PairState::Requested { by: other },
                FriendAction::Accept,
                true
            ),
            Err(FriendshipError::Blocked)
        );
        assert!(
            transition(
                me,
                other,
                PairState::Requested { by: me },
                FriendAction::Cancel,
                true
            )
            .is_ok()
        );
        assert!(transition(me, other, PairState::Friends, FriendAction::Unfriend, true).is_ok());
    }

    #[test]
    fn accepting_their_request_makes_friends_and_notifies_them() {
        let (me, other) = pair();
        let t = transition(
            me,
            other,
            PairState::Requested { by: other },
            FriendAction::Accept,
            false,
        )
        .unwrap();
        assert_eq!(t.next, PairState::Friends);
        assert_eq!(t.notice.map(|n| n.kind), Some(NoticeKind::FriendAccepted));
    }

    #[test]
    fn i_cannot_accept_or_decline_my_own_request_or_a_missing_one() {
        let (me, other) = pair();
        for action in [FriendAction::Accept, FriendAction::Decline] {
            for state in [PairState::Requested { by: me }, PairState::None] {
                assert_eq!(
                    transition(me, other, state, action, false),
                    Err(FriendshipError::NoRequest)
                );
            }
        }
    }

    #[test]
    fn declining_their_request_clears_it_quietly() {
        let (me, other) = pair();
        let t = transition(
            me,
            other,
            PairState::Requested { by: other },
            FriendAction::Decline,
            false,
        )
        .unwrap();
        assert_eq!(
            t,
            Transition {
                next: PairState::None,
                notice: None
            }
        );
    }

    #[test]
    fn i_can_cancel_only_my_own_request() {
        let (me, other) = pair();
        let t = transition(
            me,
            other,
            PairState::Requested { by: me },
            FriendAction::Cancel,
            false,
        )
        .unwrap();
        assert_eq!(t.next, PairState::None);
        for state in [
            PairState::Requested { by: other },
            PairState::None,
            PairState::Friends,
        ] {
            let result = transition(me, other, state, FriendAction::Cancel, false);
            assert!(result.is_err(), "{state:?}");
        }
    }

    #[test]
    fn unfriending_ends_a_friendship_and_nothing_else() {
        let (me, other) = pair();
        let t = transition(me, other, PairState::Friends, FriendAction::Unfriend, false).unwrap();
        assert_eq!(t.next, PairState::None);
        for state in [
            PairState::None,
            PairState::Requested { by: me },
            PairState::Requested { by: other },
        ] {
            assert_eq!(
                transition(me, other, state, FriendAction::Unfriend, false),
                Err(FriendshipError::NotFriends)
            );
        }
    }

    #[test]
    fn a_notice_becomes_an_unread_notification_about_the_one_who_acted() {
        let (me, other) = pair();
        let at = crate::clock::now();
        let notice = Notice {
            recipient: other,
            actor: me,
            kind: NoticeKind::FriendAccepted,
        };
        let n = notice.into_notification(at);
        assert_eq!(
            (
                n.recipient,
                n.actor,
                n.kind,
                n.subject,
                n.created_at,
                n.read
            ),
            (
                other,
                me,
                NotificationKind::FriendAccepted,
                Subject::User(me),
                at,
                false
            )
        );
    }

    #[test]
    fn accepting_or_declining_when_already_friends_says_so() {
        let (me, other) = pair();
        for action in [FriendAction::Accept, FriendAction::Decline] {
            assert_eq!(
                transition(me, other, PairState::Friends, action, false),
                Err(FriendshipError::AlreadyFriends)
            );
        }
    }
}
