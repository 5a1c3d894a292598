//! Searching my messages.

use std::sync::Arc;

use sakura_domain::chats::search::query_terms;
use sakura_domain::{ChatId, UserId};

use super::{ChatError, Message};
use crate::pagination::{Page, PageRequest};
use crate::ports::ChatStore;

/// Longest query, in characters.
pub const MAX_QUERY_CHARS: usize = 200;

/// Full-text search over the messages I can see.
#[derive(Clone)]
pub struct SearchMessages {
    store: Arc<dyn ChatStore>,
}

impl SearchMessages {
    /// Wires the use case.
    pub fn new(store: Arc<dyn ChatStore>) -> Self {
        Self { store }
    }

    /// Messages of `me`'s chats (or of `chat`) since I joined each, not deleted, holding every
    /// word of `query` (by prefix; characters of scripts without spaces as typed), newest
    /// first. Errors: `Invalid` on `q` (empty, over 200 characters, no word in it),
    /// `ChatNotFound` for a chat I am not in.
    pub async fn execute(
        &self,
        me: UserId,
        query: &str,
        chat: Option<ChatId>,
        page: PageRequest,
    ) -> Result<Page<Message>, ChatError> {
        if query.chars().count() > MAX_QUERY_CHARS {
            return Err(ChatError::invalid(
                "q",
                format!("must be at most {MAX_QUERY_CHARS} characters"),
            ));
        }
        let terms = query_terms(query);
        if terms.is_empty() {
            return Err(ChatError::invalid("q", "must hold at least one word"));
        }
        self.store.search(me, &terms, chat, page).await
    }
}
