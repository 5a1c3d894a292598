//! My chats.

use std::sync::Arc;

use sakura_domain::UserId;

use super::{ChatError, ChatView};
use crate::pagination::{Page, PageRequest};
use crate::ports::ChatStore;

/// Lists my chats, most recently active first.
#[derive(Clone)]
pub struct ListChats {
    store: Arc<dyn ChatStore>,
}

impl ListChats {
    /// Wires the use case.
    pub fn new(store: Arc<dyn ChatStore>) -> Self {
        Self { store }
    }

    /// A page of `me`'s chats, each with its last message and my unread count.
    pub async fn execute(
        &self,
        me: UserId,
        page: PageRequest,
    ) -> Result<Page<ChatView>, ChatError> {
        self.store.chats(me, page).await
    }
}
