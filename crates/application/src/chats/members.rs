//! Renaming a group, adding and removing its members, leaving it.

use std::sync::Arc;

use sakura_domain::chats::{ChatKind, MAX_GROUP_MEMBERS};
use sakura_domain::{ChatId, UserId};
use time::OffsetDateTime;

use super::create::{admit, group_events};
use super::{ChatError, ChatView};
use crate::Actor;
use crate::ports::{
    Candidate, ChatFacts, ChatStore, Clock, EventPublisher, GroupChange, GroupCommitted,
    GroupVerdict,
};

/// The rule of `me` changing a group as `facts` (and, for an add, `candidate`) stand: any member
/// renames or adds (the added person must be reachable by `me`, the group not full); only the
/// creator removes others; anyone may leave.
pub fn decide(
    me: UserId,
    change: &GroupChange,
    facts: &ChatFacts,
    candidate: Option<&Candidate>,
    at: OffsetDateTime,
) -> Result<GroupVerdict, ChatError> {
    if facts.kind == ChatKind::Direct {
        return Err(ChatError::NotAGroup);
    }
    match change {
        GroupChange::Rename(_) => Ok(GroupVerdict::Apply(Vec::new())),
        GroupChange::Add(user) if facts.members.contains(user) => Ok(GroupVerdict::Unchanged),
        GroupChange::Add(_) if facts.members.len() >= MAX_GROUP_MEMBERS => Err(ChatError::ChatFull),
        GroupChange::Add(_) => {
            let candidate = candidate.ok_or(ChatError::UnknownUser)?;
            admit(me, facts.id, at, std::slice::from_ref(candidate)).map(GroupVerdict::Apply)
        }
        GroupChange::Remove(user) if !facts.members.contains(user) => {
            Err(ChatError::MemberNotFound)
        }
        GroupChange::Remove(user) if *user != me && facts.creator != Some(me) => Err(
            ChatError::Forbidden("only the group's creator may remove members"),
        ),
        GroupChange::Remove(_) => Ok(GroupVerdict::Apply(Vec::new())),
    }
}

/// Changes a group: rename, add, remove, leave.
#[derive(Clone)]
pub struct ChangeGroup {
    store: Arc<dyn ChatStore>,
    events: Arc<dyn EventPublisher>,
    clock: Arc<dyn Clock>,
}

impl ChangeGroup {
    /// Wires the use case.
    pub fn new(
        store: Arc<dyn ChatStore>,
        events: Arc<dyn EventPublisher>,
        clock: Arc<dyn Clock>,
    ) -> Self {
        Self {
            store,
            events,
            clock,
        }
    }

    /// `me` applies `change` to `chat`; the chat as `me` then sees it (`None` once `me` is out
    /// of it). Every member and a removed user get `chat.updated`; an added user a `chat_added`.
    /// Errors: `ChatNotFound`, `NotAGroup`, `UnknownUser`, `ChatFull`, `Unreachable`,
    /// `MemberNotFound`, `Forbidden`.
    #[tracing::instrument(name = "change_group", skip_all, fields(me = %me.user_id, %chat))]
    pub async fn execute(
        &self,
        me: Actor,
        chat: ChatId,
        change: GroupChange,
    ) -> Result<Option<ChatView>, ChatError> {
        let at = self.clock.now();
        let origin = me.session_id;
        let removed = match &change {
            GroupChange::Remove(user) => Some(*user),
            _ => None,
        };
        let rule = |(facts, candidate): &(ChatFacts, Option<Candidate>)| {
            decide(me.user_id, &change, facts, candidate.as_ref(), at)
        };
        let announce = |committed: &GroupCommitted| group_events(committed, removed, origin, at);
        Ok(self
            .store
            .change_group(me.user_id, chat, &change, at, &rule, &announce)
            .await?
            .publish(self.events.as_ref()))
    }
}
