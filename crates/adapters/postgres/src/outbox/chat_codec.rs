//! The stored form of the messenger's event payloads: messages and chats as plain data.
//! As for the rest of the codec: add fields as optional, never rename one.

use sakura_application::StoreError;
use sakura_application::chats::{
    ChatInfo, ChatSnapshot, ChatViewer, Member, Message, ReactionGroup, ReplyPreview,
};
use sakura_domain::chats::{ChatKind, ChatTitle, ClientId, Emoji, MessageText};
use sakura_domain::photos::{Caption, Photo, Rendition};
use sakura_domain::{ChatId, MessageId, PhotoId, UserId};
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use uuid::Uuid;

use super::codec::corrupt;

#[derive(Serialize, Deserialize)]
pub(super) struct StoredRendition {
    key: String,
    content_type: String,
    width: u32,
    height: u32,
    size: u64,
}

#[derive(Serialize, Deserialize)]
pub(super) struct StoredPhoto {
    id: Uuid,
    owner: Uuid,
    original: StoredRendition,
    thumbnail: StoredRendition,
    caption: Option<String>,
    #[serde(with = "time::serde::rfc3339")]
    created_at: OffsetDateTime,
}

#[derive(Serialize, Deserialize)]
pub(super) struct StoredReply {
    id: Uuid,
    sender: Uuid,
    excerpt: Option<String>,
    deleted: bool,
}

#[derive(Serialize, Deserialize)]
pub(super) struct StoredReaction {
    emoji: String,
    users: Vec<Uuid>,
}

#[derive(Serialize, Deserialize)]
pub(super) struct StoredMessage {
    id: Uuid,
    chat_id: Uuid,
    sender: Uuid,
    text: Option<String>,
    photos: Vec<StoredPhoto>,
    reply_to: Option<StoredReply>,
    reactions: Vec<StoredReaction>,
    client_id: Option<String>,
    #[serde(with = "time::serde::rfc3339")]
    created_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339::option")]
    edited_at: Option<OffsetDateTime>,
    deleted: bool,
}

#[derive(Serialize, Deserialize)]
pub(super) struct StoredMember {
    user_id: Uuid,
    first_name: String,
    last_name: String,
    avatar_key: Option<String>,
}

#[derive(Serialize, Deserialize)]
pub(super) struct StoredViewer {
    user_id: Uuid,
    unread: u64,
    last_message_hidden: bool,
}

#[derive(Serialize, Deserialize)]
pub(super) struct StoredChat {
    id: Uuid,
    kind: String,
    title: Option<String>,
    creator: Option<Uuid>,
    members: Vec<StoredMember>,
    #[serde(with = "time::serde::rfc3339")]
    updated_at: OffsetDateTime,
    last_message: Option<StoredMessage>,
    viewers: Vec<StoredViewer>,
}

fn rendition(r: &Rendition) -> StoredRendition {
    StoredRendition {
        key: r.key.clone(),
        content_type: r.content_type.clone(),
        width: r.width,
        height: r.height,
        size: r.size,
    }
}

fn read_rendition(r: StoredRendition) -> Rendition {
    Rendition {
        key: r.key,
        content_type: r.content_type,
        width: r.width,
        height: r.height,
        size: r.size,
    }
}

/// The stored form of reactions.
pub(super) fn reactions(groups: &[ReactionGroup]) -> Vec<StoredReaction> {
    groups
        .iter()
        .map(|g| StoredReaction {
            emoji: g.emoji.as_str().to_owned(),
            users: g.users.iter().map(UserId::as_uuid).collect(),
        })
        .collect()
}

/// Reactions read back.
pub(super) fn read_reactions(
    stored: Vec<StoredReaction>,
) -> Result<Vec<ReactionGroup>, StoreError> {
    stored
        .into_iter()
        .map(|g| {
            Ok(ReactionGroup {
                emoji: Emoji::parse(&g.emoji).map_err(corrupt)?,
                users: g.users.into_iter().map(UserId::from_uuid).collect(),
            })
        })
        .collect()
}

/// The stored form of a message.
pub(super) fn message(m: &Message) -> StoredMessage {
    StoredMessage {
        id: m.id.as_uuid(),
        chat_id: m.chat_id.as_uuid(),
        sender: m.sender.as_uuid(),
        text: m.text.as_ref().map(|t| t.as_str().to_owned()),
        photos: m
            .photos
            .iter()
            .map(|p| StoredPhoto {
                id: p.id.as_uuid(),
                owner: p.owner.as_uuid(),
                original: rendition(&p.original),
                thumbnail: rendition(&p.thumbnail),
                caption: p.caption.as_ref().map(|c| c.as_str().to_owned()),
                created_at: p.created_at,
            })
            .collect(),
        reply_to: m.reply_to.as_ref().map(|r| StoredReply {
            id: r.id.as_uuid(),
            sender: r.sender.as_uuid(),
            excerpt: r.excerpt.clone(),
            deleted: r.deleted,
        }),
        reactions: reactions(&m.reactions),
        client_id: m.client_id.as_ref().map(|c| c.as_str().to_owned()),
        created_at: m.created_at,
        edited_at: m.edited_at,
        deleted: m.deleted,
    }
}

/// A message read back.
pub(super) fn read_message(m: StoredMessage) -> Result<Message, StoreError> {
    let mut photos = Vec::with_capacity(m.photos.len());
    for p in m.photos {
        photos.push(Photo {
            id: PhotoId::from_uuid(p.id),
            owner: UserId::from_uuid(p.owner),
            original: read_rendition(p.original),
            thumbnail: read_rendition(p.thumbnail),
            caption: p
                .caption
                .as_deref()
                .map(Caption::parse)
                .transpose()
                .map_err(corrupt)?
                .flatten(),
            created_at: p.created_at,
        });
    }
    Ok(Message {
        id: MessageId::from_uuid(m.id),
        chat_id: ChatId::from_uuid(m.chat_id),
        sender: UserId::from_uuid(m.sender),
        text: m
            .text
            .as_deref()
            .map(MessageText::parse)
            .transpose()
            .map_err(corrupt)?,
        photos,
        reply_to: m.reply_to.map(|r| ReplyPreview {
            id: MessageId::from_uuid(r.id),
            sender: UserId::from_uuid(r.sender),
            excerpt: r.excerpt,
            deleted: r.deleted,
        }),
        reactions: read_reactions(m.reactions)?,
        client_id: m
            .client_id
            .as_deref()
            .map(ClientId::parse)
            .transpose()
            .map_err(corrupt)?,
        created_at: m.created_at,
        edited_at: m.edited_at,
        deleted: m.deleted,
    })
}

/// The stored form of a chat snapshot.
pub(super) fn chat(s: &ChatSnapshot) -> StoredChat {
    StoredChat {
        id: s.chat.id.as_uuid(),
        kind: s.chat.kind.as_str().to_owned(),
        title: s.chat.title.as_ref().map(|t| t.as_str().to_owned()),
        creator: s.chat.creator.map(|c| c.as_uuid()),
        members: s
            .chat
            .members
            .iter()
            .map(|m| StoredMember {
                user_id: m.user_id.as_uuid(),
                first_name: m.first_name.clone(),
                last_name: m.last_name.clone(),
                avatar_key: m.avatar_key.clone(),
            })
            .collect(),
        updated_at: s.chat.updated_at,
        last_message: s.last_message.as_ref().map(message),
        viewers: s
            .viewers
            .iter()
            .map(|v| StoredViewer {
                user_id: v.user_id.as_uuid(),
                unread: v.unread,
                last_message_hidden: v.last_message_hidden,
            })
            .collect(),
    }
}

/// A chat snapshot read back.
pub(super) fn read_chat(c: StoredChat) -> Result<ChatSnapshot, StoreError> {
    Ok(ChatSnapshot {
        chat: ChatInfo {
            id: ChatId::from_uuid(c.id),
            kind: ChatKind::parse(&c.kind).ok_or_else(|| corrupt(&c.kind))?,
            title: c
                .title
                .as_deref()
                .map(ChatTitle::parse)
                .transpose()
                .map_err(corrupt)?,
            creator: c.creator.map(UserId::from_uuid),
            members: c
                .members
                .into_iter()
                .map(|m| Member {
                    user_id: UserId::from_uuid(m.user_id),
                    first_name: m.first_name,
                    last_name: m.last_name,
                    avatar_key: m.avatar_key,
                })
                .collect(),
            updated_at: c.updated_at,
        },
        last_message: c.last_message.map(read_message).transpose()?,
        viewers: c
            .viewers
            .into_iter()
            .map(|v| ChatViewer {
                user_id: UserId::from_uuid(v.user_id),
                unread: v.unread,
                last_message_hidden: v.last_message_hidden,
            })
            .collect(),
    })
}
