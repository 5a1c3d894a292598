//! Moving my read marker.

use std::sync::Arc;

use sakura_domain::{ChatId, MessageId};

use super::ChatError;
use crate::Actor;
use crate::events::DomainEvent;
use crate::ports::{ChatStore, Clock, EventPublisher, MarkerMoved};

/// Marks a chat read up to a message.
#[derive(Clone)]
pub struct MarkChatRead {
    store: Arc<dyn ChatStore>,
    events: Arc<dyn EventPublisher>,
    clock: Arc<dyn Clock>,
}

impl MarkChatRead {
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

    /// `me` has read `chat` up to `message`; the marker only moves forward, and when it moves
    /// the members get `chat.read`. Errors: `ChatNotFound`, `MessageNotFound` (not of this chat,
    /// or before I joined).
    #[tracing::instrument(name = "mark_chat_read", skip_all, fields(me = %me.user_id, %chat, %message))]
    pub async fn execute(
        &self,
        me: Actor,
        chat: ChatId,
        message: MessageId,
    ) -> Result<(), ChatError> {
        let at = self.clock.now();
        let origin = me.session_id;
        let announce = |moved: &MarkerMoved| {
            if !moved.moved {
                return Vec::new();
            }
            vec![
                DomainEvent::ChatRead {
                    chat_id: chat,
                    user_id: me.user_id,
                    message_id: message,
                }
                .to(moved.members.clone(), origin, at),
            ]
        };
        self.store
            .mark_read(me.user_id, chat, message, &announce)
            .await?
            .publish(self.events.as_ref());
        Ok(())
    }
}
