//! In-memory fakes of the social-graph ports.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use async_trait::async_trait;
use sakura_domain::friends::PairState;
use sakura_domain::notifications::Notification;
use sakura_domain::{NotificationId, UserId};
use time::OffsetDateTime;

use super::InMemoryUsers;
use crate::StoreError;
use crate::events::{Announce, Committed, EventEnvelope};
use crate::pagination::{Cursor, Page, PageRequest};
use crate::ports::*;

#[derive(Default)]
struct Graph {
    pairs: HashMap<(UserId, UserId), (PairState, OffsetDateTime)>,
    blocks: HashMap<(UserId, UserId), OffsetDateTime>,
    notifications: Vec<Notification>,
    outbox: Vec<EventEnvelope>,
}

/// Friendships, blocks and notifications in memory, over the users of an [`InMemoryUsers`].
pub struct InMemorySocial {
    users: Arc<InMemoryUsers>,
    graph: Mutex<Graph>,
}

fn key(a: UserId, b: UserId) -> (UserId, UserId) {
    if a < b { (a, b) } else { (b, a) }
}

fn ms(at: OffsetDateTime) -> i64 {
    i64::try_from(at.unix_timestamp_nanos() / 1_000_000).unwrap_or(i64::MAX)
}

fn dated_page(mut rows: Vec<Dated>, page: PageRequest) -> Page<Dated> {
    rows.sort_by_key(|d| std::cmp::Reverse((d.at, d.user_id)));
    if let Some(after) = page.after {
        rows.retain(|d| (ms(d.at), d.user_id.as_uuid()) < (after.key, after.id));
    }
    rows.truncate(page.fetch());
    Page::from_rows(rows, page, |d| Cursor {
        key: ms(d.at),
        id: d.user_id.as_uuid(),
    })
}

impl InMemorySocial {
    pub fn new(users: Arc<InMemoryUsers>) -> Self {
        Self {
            users,
            graph: Mutex::default(),
        }
    }

    fn state(graph: &Graph, a: UserId, b: UserId) -> PairState {
        graph
            .pairs
            .get(&key(a, b))
            .map_or(PairState::None, |(s, _)| *s)
    }

    fn friends_of(graph: &Graph, user: UserId) -> Vec<Dated> {
        graph
            .pairs
            .iter()
            .filter(|(_, (s, _))| *s == PairState::Friends)
            .filter_map(|((a, b), (_, at))| {
                let other = if *a == user {
                    *b
                } else if *b == user {
                    *a
                } else {
                    return None;
                };
                Some(Dated {
                    user_id: other,
                    at: *at,
                })
            })
            .collect()
    }

    pub fn notifications(&self) -> Vec<Notification> {
        self.graph.lock().unwrap().notifications.clone()
    }
}

impl InMemorySocial {
    fn facts(graph: &Graph, me: UserId, other: UserId) -> PairFacts {
        PairFacts {
            state: Self::state(graph, me, other),
            me_blocked_other: graph.blocks.contains_key(&(me, other)),
            other_blocked_me: graph.blocks.contains_key(&(other, me)),
        }
    }

    /// The events written with the changes so far (the outbox), oldest first.
    pub fn written_events(&self) -> Vec<EventEnvelope> {
        self.graph.lock().unwrap().outbox.clone()
    }
}

#[async_trait]
impl SocialGraph for InMemorySocial {
    async fn change_friendship(
        &self,
        me: UserId,
        other: UserId,
        decide: &DecideFriendship<'_>,
    ) -> Result<Committed<FriendshipChanged>, GraphError> {
        if self.users.find_by_id(other).await?.is_none() {
            return Err(GraphError::UnknownUser);
        }
        let mut graph = self.graph.lock().unwrap();
        let before = Self::facts(&graph, me, other);
        let decision = decide(&before)?;
        match decision.next {
            PairState::None => {
                graph.pairs.remove(&key(me, other));
            }
            next => {
                graph.pairs.insert(key(me, other), (next, decision.at));
            }
        }
        graph.notifications.extend(decision.notification.clone());
        graph.outbox.extend(decision.events.iter().cloned());
        let after = PairFacts {
            state: decision.next,
            ..before
        };
        Ok(Committed::new(
            FriendshipChanged {
                before,
                after,
                notification: decision.notification,
            },
            decision.events,
        ))
    }

    async fn block(
        &self,
        blocker: UserId,
        blocked: UserId,
        at: OffsetDateTime,
        announce: &Announce<'_, PairFacts>,
    ) -> Result<Committed<BlockChanged>, GraphError> {
        if self.users.find_by_id(blocked).await?.is_none() {
            return Err(GraphError::UnknownUser);
        }
        let mut graph = self.graph.lock().unwrap();
        let before = Self::facts(&graph, blocker, blocked);
        graph.pairs.remove(&key(blocker, blocked));
        let created = !graph.blocks.contains_key(&(blocker, blocked));
        graph.blocks.entry((blocker, blocked)).or_insert(at);
        let events = announce(&before);
        graph.outbox.extend(events.iter().cloned());
        Ok(Committed::new(BlockChanged { created, before }, events))
    }

    async fn unblock(
        &self,
        blocker: UserId,
        blocked: UserId,
        announce: &Announce<'_, ()>,
    ) -> Result<Committed<bool>, StoreError> {
        let mut graph = self.graph.lock().unwrap();
        if graph.blocks.remove(&(blocker, blocked)).is_none() {
            return Ok(Committed::new(false, Vec::new()));
        }
        let events = announce(&());
        graph.outbox.extend(events.iter().cloned());
        Ok(Committed::new(true, events))
    }

    async fn pair(&self, me: UserId, other: UserId) -> Result<PairFacts, StoreError> {
        let graph = self.graph.lock().unwrap();
        Ok(Self::facts(&graph, me, other))
    }
}

#[async_trait]
impl PeopleDirectory for InMemorySocial {
    async fn cards(&self, viewer: UserId, ids: &[UserId]) -> Result<Vec<UserCard>, StoreError> {
        let mut cards = Vec::new();
        for id in ids {
            let Some(user) = self.users.find_by_id(*id).await? else {
                continue;
            };
            let graph = self.graph.lock().unwrap();
            cards.push(UserCard {
                presence: Default::default(),
                pair: if *id == viewer {
                    PairState::None
                } else {
                    Self::state(&graph, viewer, *id)
                },
                viewer_blocked: graph.blocks.contains_key(&(viewer, *id)),
                blocked_viewer: graph.blocks.contains_key(&(*id, viewer)),
                friends_count: Self::friends_of(&graph, *id).len() as u64,
                photos_count: 0,
                avatar_key: None,
                user,
            });
        }
        Ok(cards)
    }

    async fn friends(
        &self,
        owner: UserId,
        _name: Option<&str>,
        page: PageRequest,
    ) -> Result<Page<Dated>, StoreError> {
        let graph = self.graph.lock().unwrap();
        Ok(dated_page(Self::friends_of(&graph, owner), page))
    }

    async fn friend_ids(&self, user: UserId) -> Result<Vec<UserId>, StoreError> {
        let graph = self.graph.lock().unwrap();
        Ok(Self::friends_of(&graph, user)
            .into_iter()
            .map(|d| d.user_id)
            .collect())
    }

    async fn mutual_friends(
        &self,
        a: UserId,
        b: UserId,
        page: PageRequest,
    ) -> Result<Page<Dated>, StoreError> {
        let graph = self.graph.lock().unwrap();
        let of_b: Vec<UserId> = Self::friends_of(&graph, b)
            .iter()
            .map(|d| d.user_id)
            .collect();
        let mutual = Self::friends_of(&graph, a)
            .into_iter()
            .filter(|d| of_b.contains(&d.user_id))
            .collect();
        Ok(dated_page(mutual, page))
    }

    async fn requests(
        &self,
        me: UserId,
        direction: RequestDirection,
        page: PageRequest,
    ) -> Result<Page<Dated>, StoreError> {
        let graph = self.graph.lock().unwrap();
        let rows = graph
            .pairs
            .iter()
            .filter_map(|((a, b), (state, at))| {
                let other = if *a == me {
                    *b
                } else if *b == me {
                    *a
                } else {
                    return None;
                };
                let PairState::Requested { by } = state else {
                    return None;
                };
                let wanted = match direction {
                    RequestDirection::Incoming => *by == other,
                    RequestDirection::Outgoing => *by == me,
                };
                wanted.then_some(Dated {
                    user_id: other,
                    at: *at,
                })
            })
            .collect();
        Ok(dated_page(rows, page))
    }

    async fn blocks(&self, me: UserId, page: PageRequest) -> Result<Page<Dated>, StoreError> {
        let graph = self.graph.lock().unwrap();
        let rows = graph
            .blocks
            .iter()
            .filter(|((blocker, _), _)| *blocker == me)
            .map(|((_, blocked), at)| Dated {
                user_id: *blocked,
                at: *at,
            })
            .collect();
        Ok(dated_page(rows, page))
    }

    async fn search(
        &self,
        _viewer: UserId,
        _query: &str,
        _page: PageRequest,
    ) -> Result<Page<UserId>, StoreError> {
        Ok(Page {
            items: Vec::new(),
            next: None,
        })
    }

    async fn suggestions(
        &self,
        _viewer: UserId,
        _page: PageRequest,
    ) -> Result<Page<Suggestion>, StoreError> {
        Ok(Page {
            items: Vec::new(),
            next: None,
        })
    }
}

#[async_trait]
impl NotificationStore for InMemorySocial {
    async fn list(
        &self,
        recipient: UserId,
        unread_only: bool,
        page: PageRequest,
    ) -> Result<Page<Notification>, StoreError> {
        let graph = self.graph.lock().unwrap();
        let mut rows: Vec<Notification> = graph
            .notifications
            .iter()
            .filter(|n| n.recipient == recipient && !(unread_only && n.read))
            .filter(|n| page.after.is_none_or(|c| n.id.as_uuid() < c.id))
            .cloned()
            .collect();
        rows.sort_by_key(|n| std::cmp::Reverse(n.id));
        rows.truncate(page.fetch());
        Ok(Page::from_rows(rows, page, |n| Cursor {
            key: 0,
            id: n.id.as_uuid(),
        }))
    }

    async fn unread_count(&self, recipient: UserId) -> Result<u64, StoreError> {
        let graph = self.graph.lock().unwrap();
        Ok(graph
            .notifications
            .iter()
            .filter(|n| n.recipient == recipient && !n.read)
            .count() as u64)
    }

    async fn mark_read(
        &self,
        recipient: UserId,
        ids: &[NotificationId],
        _at: OffsetDateTime,
    ) -> Result<(), StoreError> {
        let mut graph = self.graph.lock().unwrap();
        let mine = |n: &Notification| n.recipient == recipient && ids.contains(&n.id);
        let found = graph.notifications.iter().filter(|n| mine(n)).count();
        let mut distinct = ids.to_vec();
        distinct.sort();
        distinct.dedup();
        if found < distinct.len() {
            return Err(StoreError::NotFound);
        }
        graph
            .notifications
            .iter_mut()
            .filter(|n| mine(n))
            .for_each(|n| n.read = true);
        Ok(())
    }

    async fn mark_all_read(
        &self,
        recipient: UserId,
        _at: OffsetDateTime,
    ) -> Result<(), StoreError> {
        let mut graph = self.graph.lock().unwrap();
        graph
            .notifications
            .iter_mut()
            .filter(|n| n.recipient == recipient)
            .for_each(|n| n.read = true);
        Ok(())
    }
}
