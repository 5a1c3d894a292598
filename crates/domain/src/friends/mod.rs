//! Friendships: a mutual relation that starts with a request.
//!
//! The state of a pair of users is one [`PairState`]; every action moves it through
//! [`transition`], which also says whom to notify. Storage applies the result under a row lock,
//! so the rules here hold under concurrency too.

mod relation;
mod transition;

pub use relation::{Relation, can_see};
pub use transition::{
    FriendAction, FriendshipError, Notice, NoticeKind, PairState, Transition, transition,
};
