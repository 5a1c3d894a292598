//! One chat.

use std::sync::Arc;

use sakura_domain::{ChatId, UserId};

use super::{ChatError, ChatView};
use crate::ports::ChatStore;

/// Reads one of my chats.
#[derive(Clone)]
pub struct GetChat {
    store: Arc<dyn ChatStore>,
}

impl GetChat {
    /// Wires the use case.
    pub fn new(store: Arc<dyn ChatStore>) -> Self {
        Self { store }
    }

    /// `chat` as `me` sees it. Error: `ChatNotFound` unless `me` is a member.
    pub async fn execute(&self, me: UserId, chat: ChatId) -> Result<ChatView, ChatError> {
        self.store.chat(me, chat).await
    }
}
