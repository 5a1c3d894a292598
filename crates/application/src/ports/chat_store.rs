//! Chats and messages: the messenger's store (PostgreSQL in production).
//!
//! Every write is one transaction that locks what it decides on (the chat's row, or the
//! message's), reads the facts, hands them to the use case's rule and writes exactly what the
//! rule allowed — the change, its notifications and the events `announce` makes of the state
//! after it — before it commits. The rules stay in the use case and the domain; the store
//! guarantees they are applied to facts nobody changes meanwhile.
//!
//! Message ids are made by the store while it holds the chat's lock, each greater than the
//! chat's newest, so within a chat the id order is the order of commits: history pages, read
//! markers and "messages since I joined" all compare ids and never miss a message that
//! committed late.

use async_trait::async_trait;
use sakura_domain::chats::{ChatKind, ChatTitle, ClientId, Emoji, MessageText, ReachFacts};
use sakura_domain::notifications::Notification;
use sakura_domain::{ChatId, MessageId, PhotoId, UserId};
use time::OffsetDateTime;

use crate::chats::{ChatError, ChatSnapshot, ChatView, Message, ReactionGroup};
use crate::events::{Announce, Committed};
use crate::pagination::{Page, PageRequest};

/// A chat as a write finds it under the chat's lock.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChatFacts {
    /// Which chat.
    pub id: ChatId,
    /// Direct or group.
    pub kind: ChatKind,
    /// The group's creator.
    pub creator: Option<UserId>,
    /// Its members, longest-standing (earliest last join) first.
    pub members: Vec<UserId>,
}

/// Someone being added to a chat (or written to), as they stand to the one acting.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Candidate {
    /// Who.
    pub user_id: UserId,
    /// Their `messages` setting, friendship and blocks with the one acting.
    pub reach: ReachFacts,
}

/// A group to create.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewGroup {
    /// Its id.
    pub id: ChatId,
    /// Who creates it (its first member and creator).
    pub creator: UserId,
    /// Its title.
    pub title: ChatTitle,
    /// The other members, without the creator, each once.
    pub members: Vec<UserId>,
    /// When.
    pub at: OffsetDateTime,
}

/// A change of a group.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum GroupChange {
    /// A new title.
    Rename(ChatTitle),
    /// A new member.
    Add(UserId),
    /// A member leaves (themselves) or is removed.
    Remove(UserId),
}

/// What a group change's rule lets the store write.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum GroupVerdict {
    /// Write the change, with these notifications.
    Apply(Vec<Notification>),
    /// Nothing to write (adding someone already a member): answer with the chat as it is.
    Unchanged,
}

/// The facts a send is decided on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SendFacts {
    /// The chat.
    pub chat: ChatFacts,
    /// For a direct chat, the other member as they stand to the sender.
    pub peer: Option<Candidate>,
    /// The sender's earlier message with the same client id, if there is one.
    pub earlier: Option<Message>,
    /// The message answered, if the draft answers one the sender can see (sent in this chat
    /// since the sender joined).
    pub reply_visible: bool,
    /// The first of the draft's photos that is not (or no longer) one of the sender's, if any
    /// (the store holds the sender's photos it found until the send commits).
    pub foreign_photo: Option<PhotoId>,
}

/// A message to store; the store gives it its id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Draft {
    /// The text, if any.
    pub text: Option<MessageText>,
    /// Photos of the sender's, in order.
    pub photos: Vec<PhotoId>,
    /// The message it answers.
    pub reply_to: Option<MessageId>,
    /// The client's id for it, making the send idempotent.
    pub client_id: Option<ClientId>,
    /// When it is sent.
    pub at: OffsetDateTime,
}

/// A group write as committed: the chat after it and the notifications stored with it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GroupCommitted {
    /// The chat after the change, as each member (and a removed user) sees it.
    pub snapshot: ChatSnapshot,
    /// The notifications written with it.
    pub notifications: Vec<Notification>,
}

/// What a send's rule decides.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SendVerdict {
    /// Store the draft.
    Store,
    /// It is a retry: answer with the earlier message, store nothing.
    Repeat,
}

/// What a send did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sent {
    /// The message (the earlier one on a retry).
    pub message: Message,
    /// `false` when it was a retry of an earlier send.
    pub created: bool,
}

/// A message as an edit, a delete or a reaction finds it under its lock.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MessageFacts {
    /// Who sent it.
    pub sender: UserId,
    /// Whether it is deleted.
    pub deleted: bool,
    /// Its reactions now.
    pub reactions: Vec<ReactionGroup>,
}

/// A change of one message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MessageChange {
    /// A new text, at a time.
    Edit(MessageText, OffsetDateTime),
    /// Deleted (its text, photos and reactions go; its place in history stays).
    Delete(OffsetDateTime),
    /// The acting member puts this reaction, replacing theirs.
    React(Emoji, OffsetDateTime),
    /// The acting member takes back their reaction of this emoji (if it is theirs).
    Unreact(Emoji, OffsetDateTime),
}

/// What a message change did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MessageChanged {
    /// The message after it (as the one acting sees it).
    pub message: Message,
    /// The chat's members at commit time.
    pub members: Vec<UserId>,
    /// Members who joined after the answered message (a reply's text is hidden from them).
    pub reply_hidden_for: Vec<UserId>,
    /// `false` when there was nothing to change (a reaction put again, or removed twice).
    pub changed: bool,
}

/// What a read marker move did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MarkerMoved {
    /// The members at commit time.
    pub members: Vec<UserId>,
    /// `false` when the marker was already there or further.
    pub moved: bool,
}

/// The rule a write applies to facts read under a lock; it may only compute.
pub type Rule<'a, F, V> = dyn Fn(&F) -> Result<V, ChatError> + Send + Sync + 'a;

/// The messenger's storage. Every write is one transaction; every read sees only what the viewer
/// may (their chats, messages since they last joined). Errors: `ChatNotFound` wherever the
/// caller is not a member of the chat (or it does not exist), `MessageNotFound` for a message
/// not in the chat or sent before the caller joined, the rule's own error (nothing written) when
/// it refuses, `Unavailable` when the store cannot be reached.
#[async_trait]
pub trait ChatStore: Send + Sync {
    /// The direct chat of `me` and `other`, made (`id`, `at`) if there is none — one per pair
    /// even under concurrent calls from both sides. `allow` judges `other` as they stand to
    /// `me`, new chat or old; `announce` is called only when the chat is created. Returns the
    /// chat as `me` sees it and whether it was created. Error: `UnknownUser`.
    async fn open_direct(
        &self,
        me: UserId,
        other: UserId,
        id: ChatId,
        at: OffsetDateTime,
        allow: &Rule<'_, Candidate, ()>,
        announce: &Announce<'_, ChatSnapshot>,
    ) -> Result<Committed<(ChatView, bool)>, ChatError>;

    /// Creates `group` if `rule` allows it on how each member stands to the creator (read in
    /// the same transaction, in the order of `group.members`), with the notifications the rule
    /// returns and the events `announce` makes. Error: `UnknownUser` if a member does not exist.
    async fn create_group(
        &self,
        group: &NewGroup,
        rule: &Rule<'_, Vec<Candidate>, Vec<Notification>>,
        announce: &Announce<'_, GroupCommitted>,
    ) -> Result<Committed<ChatView>, ChatError>;

    /// Applies `change` by `me` to a group, if `rule` allows it on the chat's facts (and, for
    /// an add, the candidate's, read with them). A removal hands the creator role to the
    /// longest-standing member when the creator goes, and deletes the group with its last
    /// member. Returns the chat as `me` sees it (`None` when `me` left or the group is gone).
    /// Errors: `UnknownUser` (an add of someone who does not exist), `ChatNotFound`.
    async fn change_group(
        &self,
        me: UserId,
        chat: ChatId,
        change: &GroupChange,
        at: OffsetDateTime,
        rule: &Rule<'_, (ChatFacts, Option<Candidate>), GroupVerdict>,
        announce: &Announce<'_, GroupCommitted>,
    ) -> Result<Committed<Option<ChatView>>, ChatError>;

    /// Stores `draft` from `me` in `chat` if `rule` allows it on the facts read under the
    /// chat's lock, and moves the chat up the members' lists. Errors: `ChatNotFound`;
    /// `Invalid` on `photoIds` if a photo went away meanwhile.
    async fn send(
        &self,
        me: UserId,
        chat: ChatId,
        draft: &Draft,
        rule: &Rule<'_, SendFacts, SendVerdict>,
        announce: &Announce<'_, MessageChanged>,
    ) -> Result<Committed<Sent>, ChatError>;

    /// Applies `change` by `me` to a message of `chat` if `rule` allows it on the message's
    /// facts. Errors: `ChatNotFound`, `MessageNotFound`.
    async fn change_message(
        &self,
        me: UserId,
        chat: ChatId,
        message: MessageId,
        change: &MessageChange,
        rule: &Rule<'_, MessageFacts, ()>,
        announce: &Announce<'_, MessageChanged>,
    ) -> Result<Committed<MessageChanged>, ChatError>;

    /// Moves `me`'s read marker in `chat` forward to `message` (never back).
    /// Errors: `ChatNotFound`, `MessageNotFound`.
    async fn mark_read(
        &self,
        me: UserId,
        chat: ChatId,
        message: MessageId,
        announce: &Announce<'_, MarkerMoved>,
    ) -> Result<Committed<MarkerMoved>, ChatError>;

    /// A chat as `viewer` sees it. Error: `ChatNotFound`.
    async fn chat(&self, viewer: UserId, chat: ChatId) -> Result<ChatView, ChatError>;

    /// `viewer`'s chats, most recently active first (keyset on the time of the last activity,
    /// then id).
    async fn chats(&self, viewer: UserId, page: PageRequest) -> Result<Page<ChatView>, ChatError>;

    /// A chat's history as `viewer` sees it, newest first (keyset on id). Error: `ChatNotFound`.
    async fn history(
        &self,
        viewer: UserId,
        chat: ChatId,
        page: PageRequest,
    ) -> Result<Page<Message>, ChatError>;

    /// Messages `viewer` can see holding every term of `terms` (see
    /// [`sakura_domain::chats::search`]), newest first, in one chat or all of theirs; never
    /// deleted ones. Error: `ChatNotFound` for a chat they are not in.
    async fn search(
        &self,
        viewer: UserId,
        terms: &[sakura_domain::chats::search::QueryTerm],
        chat: Option<ChatId>,
        page: PageRequest,
    ) -> Result<Page<Message>, ChatError>;

    /// How many messages others sent in `viewer`'s chats after their read markers.
    async fn unread_total(&self, viewer: UserId) -> Result<u64, ChatError>;
}
