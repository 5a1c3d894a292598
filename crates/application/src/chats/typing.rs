//! "Someone is typing…": ephemeral, throttled, never stored.

use std::sync::Arc;
use std::time::Duration;

use sakura_domain::ChatId;

use super::ChatError;
use crate::Actor;
use crate::events::DomainEvent;
use crate::ports::{ChatStore, Clock, EventPublisher, Throttle};

/// How often one user's typing in one chat is announced, at most.
pub const TYPING_WINDOW: Duration = Duration::from_secs(2);

/// Tells a chat's other members that a member is typing.
#[derive(Clone)]
pub struct AnnounceTyping {
    store: Arc<dyn ChatStore>,
    throttle: Arc<dyn Throttle>,
    events: Arc<dyn EventPublisher>,
    clock: Arc<dyn Clock>,
}

impl AnnounceTyping {
    /// Wires the use case.
    pub fn new(
        store: Arc<dyn ChatStore>,
        throttle: Arc<dyn Throttle>,
        events: Arc<dyn EventPublisher>,
        clock: Arc<dyn Clock>,
    ) -> Self {
        Self {
            store,
            throttle,
            events,
            clock,
        }
    }

    /// `me` types in `chat`: the other members get `typing`, at most once per
    /// [`TYPING_WINDOW`] per user and chat (across all of `me`'s sockets and every instance;
    /// repeats within the window are dropped). `true` if this one was announced.
    /// Errors: `ChatNotFound` (no such chat, or not a member).
    ///
    /// When the shared throttle is unreachable the typing is announced anyway: a few extra
    /// indicators beat none while Redis is away.
    #[tracing::instrument(name = "announce_typing", skip_all, fields(me = %me.user_id, %chat))]
    pub async fn execute(&self, me: Actor, chat: ChatId) -> Result<bool, ChatError> {
        let view = self.store.chat(me.user_id, chat).await?;
        let key = format!("typing:{chat}:{}", me.user_id);
        let pass = match self.throttle.pass(&key, TYPING_WINDOW).await {
            Ok(pass) => pass,
            Err(error) => {
                tracing::warn!(error = %error, "typing throttle unavailable; letting it through");
                true
            }
        };
        if !pass {
            return Ok(false);
        }
        let others: Vec<_> = view
            .chat
            .members
            .iter()
            .map(|m| m.user_id)
            .filter(|id| *id != me.user_id)
            .collect();
        if !others.is_empty() {
            let event = DomainEvent::Typing {
                chat_id: chat,
                user_id: me.user_id,
            };
            self.events
                .publish(vec![event.to(others, me.session_id, self.clock.now())]);
        }
        Ok(true)
    }
}
