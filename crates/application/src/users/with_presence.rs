//! Presence in every user the API returns, looked up once per call.

use std::sync::Arc;

use async_trait::async_trait;
use sakura_domain::UserId;

use crate::StoreError;
use crate::pagination::{Page, PageRequest};
use crate::ports::{
    Dated, PeopleDirectory, Presence, PresenceState, RequestDirection, Suggestion, UserCard,
};

/// A [`PeopleDirectory`] whose cards carry each user's presence: one batch lookup per
/// [`cards`](PeopleDirectory::cards) call, whatever the number of users. Every use case reads
/// people through `cards`, so every profile they return shows presence.
///
/// Presence is not worth failing a request for: when the presence store is down, users show as
/// offline and the failure is logged.
pub struct WithPresence {
    people: Arc<dyn PeopleDirectory>,
    presence: Arc<dyn Presence>,
}

impl WithPresence {
    /// Adds `presence` to the cards of `people`.
    pub fn new(people: Arc<dyn PeopleDirectory>, presence: Arc<dyn Presence>) -> Self {
        Self { people, presence }
    }
}

#[async_trait]
impl PeopleDirectory for WithPresence {
    async fn cards(&self, viewer: UserId, ids: &[UserId]) -> Result<Vec<UserCard>, StoreError> {
        let mut cards = self.people.cards(viewer, ids).await?;
        if cards.is_empty() {
            return Ok(cards);
        }
        let users: Vec<UserId> = cards.iter().map(|c| c.user.id).collect();
        match self.presence.states(&users).await {
            Ok(states) if states.len() == cards.len() => {
                for (card, state) in cards.iter_mut().zip(states) {
                    card.presence = state;
                }
            }
            Ok(states) => tracing::error!(
                asked = users.len(),
                got = states.len(),
                "presence store answered for a different number of users; showing offline"
            ),
            Err(error) => {
                tracing::warn!(error = %error, "presence unavailable; users show as offline");
                for card in &mut cards {
                    card.presence = PresenceState::default();
                }
            }
        }
        Ok(cards)
    }

    async fn friends(
        &self,
        owner: UserId,
        name: Option<&str>,
        page: PageRequest,
    ) -> Result<Page<Dated>, StoreError> {
        self.people.friends(owner, name, page).await
    }

    async fn friend_ids(&self, user: UserId) -> Result<Vec<UserId>, StoreError> {
        self.people.friend_ids(user).await
    }

    async fn mutual_friends(
        &self,
        a: UserId,
        b: UserId,
        page: PageRequest,
    ) -> Result<Page<Dated>, StoreError> {
        self.people.mutual_friends(a, b, page).await
    }

    async fn requests(
        &self,
        me: UserId,
        direction: RequestDirection,
        page: PageRequest,
    ) -> Result<Page<Dated>, StoreError> {
        self.people.requests(me, direction, page).await
    }

    async fn blocks(&self, me: UserId, page: PageRequest) -> Result<Page<Dated>, StoreError> {
        self.people.blocks(me, page).await
    }

    async fn search(
        &self,
        viewer: UserId,
        query: &str,
        page: PageRequest,
    ) -> Result<Page<UserId>, StoreError> {
        self.people.search(viewer, query, page).await
    }

    async fn suggestions(
        &self,
        viewer: UserId,
        page: PageRequest,
    ) -> Result<Page<Suggestion>, StoreError> {
        self.people.suggestions(viewer, page).await
    }
}
