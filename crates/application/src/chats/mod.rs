//! The messenger: direct and group chats, messages, replies, reactions, read markers, search.
//!
//! Each write's rule is here (a pure function of the facts the store read under its lock), and
//! each write's events are made here from the state the store committed (see
//! [`crate::ports::ChatStore`]), so the realtime delivery builds every frame from the event
//! alone: recipients are the members at commit time, the origin is the acting session.
//!
//! # Layout
//! - `create`: [`CreateDirectChat`] (one per pair) and [`CreateGroup`].
//! - `get`, `list`: [`GetChat`], [`ListChats`].
//! - `members`: [`ChangeGroup`] — rename, add, remove or leave.
//! - `send`: [`SendMessage`], the one send of REST and the socket's `message.send`.
//! - `history`, `search`: [`ListMessages`], [`SearchMessages`].
//! - `change`: [`EditMessage`], [`DeleteMessage`], [`ReactToMessage`].
//! - `read`: [`MarkChatRead`].

mod change;
mod create;
mod get;
mod history;
mod list;
mod members;
mod read;
mod search;
mod send;
mod typing;

use sakura_domain::chats::{ChatKind, ChatTitle, ClientId, Emoji, MessageText, Unreachable};
use sakura_domain::photos::Photo;
use sakura_domain::{ChatId, MessageId, UserId};
use thiserror::Error;
use time::OffsetDateTime;

#[cfg(feature = "testing")]
pub(crate) use change::react;

/// Each write's rule and announcement as a pure function: the use cases hand them to the store
/// under its lock, and a store's own tests drive it with the very same ones.
pub mod rules {
    pub use super::change::{decide_change, decide_own, decide_reaction, react};
    pub use super::create::{admit, group_events};
    pub use super::members::decide as decide_group;
    pub use super::send::decide as decide_send;
}
pub use change::{DeleteMessage, EditMessage, ReactToMessage};
pub use create::{CreateDirectChat, CreateGroup};
pub use get::GetChat;
pub use history::ListMessages;
pub use list::ListChats;
pub use members::ChangeGroup;
pub use read::MarkChatRead;
pub use search::SearchMessages;
pub use send::{MessageInput, SendMessage};
pub use typing::{AnnounceTyping, TYPING_WINDOW};

use crate::StoreError;

/// Why a messenger use case failed. One enum for the feature: its use cases share most cases
/// (a chat the caller is not in, a refused recipient), and each documents which it returns.
#[derive(Debug, Error)]
pub enum ChatError {
    /// A user named (to write to or to add) does not exist.
    #[error("no such user")]
    UnknownUser,
    /// No such chat, or the caller is not a member.
    #[error("no such chat")]
    ChatNotFound,
    /// No such message in the chat, deleted where that matters, or sent before the caller
    /// joined.
    #[error("no such message")]
    MessageNotFound,
    /// The user to remove is not a member.
    #[error("no such member")]
    MemberNotFound,
    /// Renaming, adding or removing members of a direct chat.
    #[error("a direct chat cannot be renamed, joined or left")]
    NotAGroup,
    /// A block or the recipient's `messages` setting refuses it.
    #[error(transparent)]
    Unreachable(#[from] Unreachable),
    /// Someone else's message, or a removal by a member who is not the creator.
    #[error("{0}")]
    Forbidden(&'static str),
    /// The group has 500 members.
    #[error("the group is full")]
    ChatFull,
    /// The message already has reactions of 20 distinct emoji.
    #[error("too many distinct reactions")]
    TooManyReactions,
    /// A field that only the stored state shows to be wrong (a reply, photos, members).
    #[error("{field}: {message}")]
    Invalid {
        /// The request's field (camelCase, as on the wire).
        field: &'static str,
        /// What is wrong with it.
        message: String,
    },
    /// A dependency is down.
    #[error("a dependency is unavailable")]
    Unavailable(#[source] anyhow::Error),
    /// A bug or an unexpected failure.
    #[error(transparent)]
    Unexpected(#[from] anyhow::Error),
}

crate::from_store_error!(ChatError, StoreError::NotFound => Self::ChatNotFound);

impl ChatError {
    /// A field error.
    pub fn invalid(field: &'static str, message: impl Into<String>) -> Self {
        Self::Invalid {
            field,
            message: message.into(),
        }
    }
}

/// A member as a chat shows them: a name and a face, nothing a profile's privacy hides.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Member {
    /// Who.
    pub user_id: UserId,
    /// First name.
    pub first_name: String,
    /// Last name.
    pub last_name: String,
    /// The blob key of their avatar's thumbnail.
    pub avatar_key: Option<String>,
}

/// What a chat is, apart from anyone's view of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChatInfo {
    /// Id.
    pub id: ChatId,
    /// Direct or group.
    pub kind: ChatKind,
    /// A group's title.
    pub title: Option<ChatTitle>,
    /// A group's creator.
    pub creator: Option<UserId>,
    /// Its members, longest-standing first.
    pub members: Vec<Member>,
    /// The time of the last message or change.
    pub updated_at: OffsetDateTime,
}

/// The message a reply answers, as the reply shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReplyPreview {
    /// Its id.
    pub id: MessageId,
    /// Who sent it.
    pub sender: UserId,
    /// Its first 200 characters; `None` once deleted (or for photos only, or for a reader who
    /// joined after it).
    pub excerpt: Option<String>,
    /// Whether it was deleted since.
    pub deleted: bool,
}

/// The members who reacted to a message with one emoji.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReactionGroup {
    /// The emoji.
    pub emoji: Emoji,
    /// Who reacted with it, earliest first.
    pub users: Vec<UserId>,
}

/// A chat message. Reactions name who reacted, so each reader's "reacted by me" follows from
/// the same value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message {
    /// Id (increasing in the chat's history order).
    pub id: MessageId,
    /// Its chat.
    pub chat_id: ChatId,
    /// Who sent it.
    pub sender: UserId,
    /// Its text, if any (none once deleted).
    pub text: Option<MessageText>,
    /// Its photos, in order (none once deleted).
    pub photos: Vec<Photo>,
    /// The message it answers.
    pub reply_to: Option<ReplyPreview>,
    /// Its reactions, most used first (none once deleted).
    pub reactions: Vec<ReactionGroup>,
    /// The sender's client id for it.
    pub client_id: Option<ClientId>,
    /// When it was sent.
    pub created_at: OffsetDateTime,
    /// When its text was last edited.
    pub edited_at: Option<OffsetDateTime>,
    /// Whether it was deleted.
    pub deleted: bool,
}

impl Message {
    /// The message as a reader sees it who may not see the answered message's text.
    #[must_use]
    pub fn without_reply_text(mut self) -> Self {
        if let Some(reply) = &mut self.reply_to {
            reply.excerpt = None;
        }
        self
    }
}

/// A chat as one member sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChatView {
    /// The chat.
    pub chat: ChatInfo,
    /// Its newest message the member can see.
    pub last_message: Option<Message>,
    /// Others' messages after the member's read marker.
    pub unread: u64,
}

/// One reader of a [`ChatSnapshot`]: what differs between members.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ChatViewer {
    /// Who.
    pub user_id: UserId,
    /// Their unread count.
    pub unread: u64,
    /// Whether the chat's last message was sent before they joined (or they are no longer a
    /// member): then they see none.
    pub last_message_hidden: bool,
}

/// A chat as every member (and a just-removed user) sees it, as a change committed it: what
/// `chat.updated` carries, so each recipient's frame needs no query.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChatSnapshot {
    /// The chat.
    pub chat: ChatInfo,
    /// Its newest message.
    pub last_message: Option<Message>,
    /// Each reader.
    pub viewers: Vec<ChatViewer>,
}

impl ChatSnapshot {
    /// The chat as `user` sees it, if they are one of its viewers.
    pub fn view_for(&self, user: UserId) -> Option<ChatView> {
        let viewer = self.viewers.iter().find(|v| v.user_id == user)?;
        Some(ChatView {
            chat: self.chat.clone(),
            last_message: if viewer.last_message_hidden {
                None
            } else {
                self.last_message.clone()
            },
            unread: viewer.unread,
        })
    }

    /// The ids of its members.
    pub fn member_ids(&self) -> Vec<UserId> {
        self.chat.members.iter().map(|m| m.user_id).collect()
    }
}
