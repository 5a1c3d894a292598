//! The messenger on the wire: chats, messages, replies and reactions, as one reader sees them.

use sakura_application::chats::{ChatView, Message, ReactionGroup, ReplyPreview};
use sakura_domain::UserId;
use sakura_domain::chats::ChatKind;
use serde::Serialize;
use time::OffsetDateTime;
use utoipa::ToSchema;
use uuid::Uuid;

use super::{PhotoDto, UserSummaryDto, media_url};

/// A chat's kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ChatKindDto {
    /// Between two people: no title, no creator.
    Direct,
    /// A titled group of 2–500 members.
    Group,
}

impl From<ChatKind> for ChatKindDto {
    fn from(kind: ChatKind) -> Self {
        match kind {
            ChatKind::Direct => Self::Direct,
            ChatKind::Group => Self::Group,
        }
    }
}

/// A chat as I see it.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ChatDto {
    /// Id.
    #[schema(example = "0192f5e1-2d3c-7a4b-8e5f-6a7b8c9d0e1f")]
    pub id: Uuid,
    /// `direct` or `group`.
    pub kind: ChatKindDto,
    /// A group's title; `null` for a direct chat.
    #[schema(example = "Hanami 2027")]
    pub title: Option<String>,
    /// A group's creator (who may remove members); `null` for a direct chat.
    #[schema(example = "0192f5e0-7c1a-7b3e-9d4f-2a6b8c0d1e2f")]
    pub creator_id: Option<Uuid>,
    /// Its members, longest-standing first.
    pub members: Vec<UserSummaryDto>,
    /// Its newest message I can see; `null` while there is none.
    pub last_message: Option<MessageDto>,
    /// Messages others sent after my read marker (since I joined).
    #[schema(example = 2)]
    pub unread_count: u64,
    /// The time of the last message or change (rename, member added or removed).
    #[serde(with = "time::serde::rfc3339")]
    #[schema(example = "2026-11-24T10:00:00Z", value_type = String, format = DateTime)]
    pub updated_at: OffsetDateTime,
}

impl ChatDto {
    /// `view` as `reader` sees it.
    pub fn new(view: &ChatView, reader: UserId) -> Self {
        let chat = &view.chat;
        Self {
            id: chat.id.as_uuid(),
            kind: chat.kind.into(),
            title: chat.title.as_ref().map(|t| t.as_str().to_owned()),
            creator_id: chat.creator.map(|c| c.as_uuid()),
            members: chat
                .members
                .iter()
                .map(|m| UserSummaryDto {
                    id: m.user_id.as_uuid(),
                    first_name: m.first_name.clone(),
                    last_name: m.last_name.clone(),
                    avatar_url: m.avatar_key.as_deref().map(media_url),
                })
                .collect(),
            last_message: view
                .last_message
                .as_ref()
                .map(|m| MessageDto::new(m, reader)),
            unread_count: view.unread,
            updated_at: chat.updated_at,
        }
    }
}

/// A chat message as I see it.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct MessageDto {
    /// Id (time-ordered: later messages of a chat have greater ids).
    #[schema(example = "0192f5e2-0a1b-7c2d-8e3f-4a5b6c7d8e9f")]
    pub id: Uuid,
    /// Its chat.
    #[schema(example = "0192f5e1-2d3c-7a4b-8e5f-6a7b8c9d0e1f")]
    pub chat_id: Uuid,
    /// Who sent it.
    #[schema(example = "0192f5e0-7c1a-7b3e-9d4f-2a6b8c0d1e2f")]
    pub sender_id: Uuid,
    /// Its text; `null` for photos only, and once deleted.
    #[schema(example = "See you under the cherry trees 🌸")]
    pub text: Option<String>,
    /// Its photos, in the order sent (none once deleted).
    pub photos: Vec<PhotoDto>,
    /// The message it answers.
    pub reply_to: Option<ReplyDto>,
    /// Reactions, most used first (none once deleted).
    pub reactions: Vec<ReactionDto>,
    /// The sender's id for the send, which made it idempotent.
    #[schema(example = "b7c1c9a4-1")]
    pub client_id: Option<String>,
    /// When it was sent.
    #[serde(with = "time::serde::rfc3339")]
    #[schema(example = "2026-11-24T10:00:00Z", value_type = String, format = DateTime)]
    pub created_at: OffsetDateTime,
    /// When its text was last edited.
    #[serde(with = "time::serde::rfc3339::option")]
    #[schema(example = "2026-11-24T10:05:00Z", value_type = Option<String>, format = DateTime)]
    pub edited_at: Option<OffsetDateTime>,
    /// Whether it was deleted (it keeps its place in history).
    pub deleted: bool,
}

impl MessageDto {
    /// `message` as `reader` sees it (`reactedByMe` is theirs).
    pub fn new(message: &Message, reader: UserId) -> Self {
        Self {
            id: message.id.as_uuid(),
            chat_id: message.chat_id.as_uuid(),
            sender_id: message.sender.as_uuid(),
            text: message.text.as_ref().map(|t| t.as_str().to_owned()),
            photos: message.photos.iter().map(PhotoDto::from).collect(),
            reply_to: message.reply_to.as_ref().map(ReplyDto::from),
            reactions: ReactionDto::list(&message.reactions, reader),
            client_id: message.client_id.as_ref().map(|c| c.as_str().to_owned()),
            created_at: message.created_at,
            edited_at: message.edited_at,
            deleted: message.deleted,
        }
    }
}

/// The message a reply answers.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ReplyDto {
    /// Its id.
    #[schema(example = "0192f5e2-0a1b-7c2d-8e3f-4a5b6c7d8e9f")]
    pub id: Uuid,
    /// Who sent it.
    #[schema(example = "0192f5e0-7c1a-7b3e-9d4f-2a6b8c0d1e2f")]
    pub sender_id: Uuid,
    /// Its first 200 characters; `null` once deleted or for photos only.
    #[schema(example = "Shall we meet at Ueno?")]
    pub text: Option<String>,
    /// Whether it was deleted since.
    pub deleted: bool,
}

impl From<&ReplyPreview> for ReplyDto {
    fn from(reply: &ReplyPreview) -> Self {
        Self {
            id: reply.id.as_uuid(),
            sender_id: reply.sender.as_uuid(),
            text: reply.excerpt.clone(),
            deleted: reply.deleted,
        }
    }
}

/// Reactions of one emoji.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ReactionDto {
    /// The emoji (one grapheme cluster).
    #[schema(example = "👍")]
    pub emoji: String,
    /// How many members reacted with it.
    #[schema(example = 3)]
    pub count: u64,
    /// Whether I am one of them.
    pub reacted_by_me: bool,
}

impl ReactionDto {
    /// `groups` (most used first) as `reader` sees them.
    pub fn list(groups: &[ReactionGroup], reader: UserId) -> Vec<Self> {
        groups
            .iter()
            .map(|g| Self {
                emoji: g.emoji.as_str().to_owned(),
                count: g.users.len() as u64,
                reacted_by_me: g.users.contains(&reader),
            })
            .collect()
    }
}

/// A message's reactions, as a reaction change answers.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ReactionsDto {
    /// Reactions, most used first.
    pub reactions: Vec<ReactionDto>,
}
