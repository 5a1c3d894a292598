//! Sending a message: the one send of REST's `POST /chats/{id}/messages` and the socket's
//! `message.send`.

use std::sync::Arc;

use sakura_domain::chats::{ClientId, MAX_MESSAGE_PHOTOS, MessageText, may_message};
use sakura_domain::{ChatId, MessageId, PhotoId};

use super::ChatError;
use crate::Actor;
use crate::events::DomainEvent;
use crate::ports::{
    ChatStore, Clock, Draft, EventPublisher, MessageChanged, SendFacts, SendVerdict, Sent,
};

/// What a sender asks to send.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MessageInput {
    /// The text, if any.
    pub text: Option<MessageText>,
    /// Photos of mine, in order.
    pub photos: Vec<PhotoId>,
    /// The message it answers.
    pub reply_to: Option<MessageId>,
    /// The client's id for it: a retry with the same one returns the first message.
    pub client_id: Option<ClientId>,
}

/// The rule of a send on the facts read under the chat's lock: a message has text or photos
/// (at most ten, each once); a retry (same client id) is answered with the first message
/// whatever changed since (even a photo of it deleted); otherwise every photo must be the
/// sender's, a direct chat's peer must still be reachable, and a reply must answer a message
/// the sender can see.
pub fn decide(draft: &Draft, facts: &SendFacts) -> Result<SendVerdict, ChatError> {
    // Decided here rather than before the store, so that to a non-member the chat does not
    // exist (404) whatever they send.
    if draft.text.is_none() && draft.photos.is_empty() {
        return Err(ChatError::invalid("text", "write a text or attach photos"));
    }
    check_photo_list(&draft.photos)?;
    if facts.earlier.is_some() {
        return Ok(SendVerdict::Repeat);
    }
    if let Some(id) = facts.foreign_photo {
        return Err(ChatError::invalid(
            "photoIds",
            format!("photo {id} is not one of your photos"),
        ));
    }
    if let Some(peer) = &facts.peer {
        may_message(peer.reach)?;
    }
    if draft.reply_to.is_some() && !facts.reply_visible {
        return Err(ChatError::invalid(
            "replyToId",
            "answer a message of this chat sent since you joined it",
        ));
    }
    Ok(SendVerdict::Store)
}

/// Sends a message to a chat.
#[derive(Clone)]
pub struct SendMessage {
    store: Arc<dyn ChatStore>,
    events: Arc<dyn EventPublisher>,
    clock: Arc<dyn Clock>,
}

impl SendMessage {
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

    /// `me` sends `input` to `chat`; every member gets `message.new`. Returns the message and
    /// whether it is new (`false`: a retry of an earlier send with the same client id).
    /// Errors: `Invalid` on `text` (neither text nor photos), `photoIds` (over 10, twice the
    /// same, not mine) or `replyToId`; `ChatNotFound`; `Unreachable` in a direct chat.
    #[tracing::instrument(name = "send_message", skip_all, fields(me = %me.user_id, %chat))]
    pub async fn execute(
        &self,
        me: Actor,
        chat: ChatId,
        input: MessageInput,
    ) -> Result<Sent, ChatError> {
        let at = self.clock.now();
        let draft = Draft {
            text: input.text,
            photos: input.photos,
            reply_to: input.reply_to,
            client_id: input.client_id,
            at,
        };
        let origin = me.session_id;
        let rule = |facts: &SendFacts| decide(&draft, facts);
        let announce = |sent: &MessageChanged| {
            vec![
                DomainEvent::MessageNew {
                    message: sent.message.clone(),
                    reply_hidden_for: sent.reply_hidden_for.clone(),
                }
                .to(sent.members.clone(), origin, at),
            ]
        };
        Ok(self
            .store
            .send(me.user_id, chat, &draft, &rule, &announce)
            .await?
            .publish(self.events.as_ref()))
    }
}

/// At most ten photos, each once (whose they are, the store reads under the chat's lock: a
/// retry is answered even once a photo of its first send is gone).
fn check_photo_list(ids: &[PhotoId]) -> Result<(), ChatError> {
    if ids.len() > MAX_MESSAGE_PHOTOS {
        return Err(ChatError::invalid(
            "photoIds",
            format!("attach at most {MAX_MESSAGE_PHOTOS} photos"),
        ));
    }
    for (i, id) in ids.iter().enumerate() {
        if ids[..i].contains(id) {
            return Err(ChatError::invalid(
                "photoIds",
                format!("photo {id} is named twice"),
            ));
        }
    }
    Ok(())
}
