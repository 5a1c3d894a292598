//! A chat's history.

use std::sync::Arc;

use sakura_domain::{ChatId, UserId};

use super::{ChatError, Message};
use crate::pagination::{Page, PageRequest};
use crate::ports::ChatStore;

/// Pages back through a chat's messages.
#[derive(Clone)]
pub struct ListMessages {
    store: Arc<dyn ChatStore>,
}

impl ListMessages {
    /// Wires the use case.
    pub fn new(store: Arc<dyn ChatStore>) -> Self {
        Self { store }
    }

    /// A page of `chat`'s messages `me` can see (since I last joined), newest first; a page
    /// keeps its place while new messages arrive (keyset on the message id).
    /// Error: `ChatNotFound` unless `me` is a member.
    pub async fn execute(
        &self,
        me: UserId,
        chat: ChatId,
        page: PageRequest,
    ) -> Result<Page<Message>, ChatError> {
        self.store.history(me, chat, page).await
    }
}
