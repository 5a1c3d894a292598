//! `PgChatStore` against the real PostgreSQL: direct chats (one per pair, also when both sides
//! open it at once), groups and their members, sends (ids in commit order, `clientId` retries,
//! replies), history pages, reactions, edits and deletes, read markers and unread counts, search
//! (both of its steps: the walk over the newest messages and the index for older ones) and the
//! events writes record in the outbox. Each test gets a fresh database.
//!
//! The store is driven as the use cases drive it: the rules and announcements passed to it are
//! those of `sakura_application::chats::rules`.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::HashSet;

use anyhow::{Context, ensure};
use diesel::sql_types::{Array, BigInt, Text, Timestamptz, Uuid as SqlUuid};
use diesel_async::RunQueryDsl;
use sakura_application::chats::rules::{
    admit, decide_change, decide_group, decide_send, group_events,
};
use sakura_application::chats::{ChatError, ChatView, Message, ReactionGroup};
use sakura_application::events::{Committed, DomainEvent, EventEnvelope};
use sakura_application::pagination::{Page, PageRequest};
use sakura_application::ports::{
    BlobKey, Candidate, ChatFacts, ChatStore, Draft, GroupChange, GroupCommitted, MarkerMoved,
    MediaKind, MessageChange, MessageChanged, MessageFacts, NewGroup, NewUser, Outbox,
    PasswordHash, PhotoRepository, SendFacts, Sent, UserRepository,
};
use sakura_application::testing::SocialGraphExt;
use sakura_domain::chats::search::{index_terms, query_terms};
use sakura_domain::chats::{
    ChatKind, ChatTitle, ClientId, Emoji, MessageText, Unreachable, may_message,
};
use sakura_domain::clock::now;
use sakura_domain::photos::{Photo, Rendition};
use sakura_domain::users::{Email, PersonName, Settings, User};
use sakura_domain::{ChatId, MessageId, PhotoId, UserId};
use sakura_postgres::{
    PgChatStore, PgOutbox, PgPhotoRepository, PgPool, PgSocialGraph, PgUserRepository, connect,
    run_migrations,
};
use sakura_test_services::TestDatabase;
use time::{Duration, OffsetDateTime};
use uuid::Uuid;

// ---- the use cases' rules and announcements ----

/// `CreateDirectChat`'s rule: the other side must be reachable.
fn reachable(candidate: &Candidate) -> Result<(), ChatError> {
    may_message(candidate.reach).map_err(ChatError::from)
}

// ---- the store driven as the use cases drive it (any store: concurrent tests use two) ----

async fn open_direct(
    store: &dyn ChatStore,
    me: UserId,
    other: UserId,
) -> Result<Committed<(ChatView, bool)>, ChatError> {
    let at = now();
    let announce = |snapshot: &sakura_application::chats::ChatSnapshot| {
        vec![DomainEvent::ChatUpdated(snapshot.clone()).to(snapshot.member_ids(), None, at)]
    };
    store
        .open_direct(me, other, ChatId::new(), at, &reachable, &announce)
        .await
}

async fn change_group(
    store: &dyn ChatStore,
    me: UserId,
    chat: ChatId,
    change: GroupChange,
    at: OffsetDateTime,
) -> Result<Committed<Option<ChatView>>, ChatError> {
    let removed = match &change {
        GroupChange::Remove(user) => Some(*user),
        _ => None,
    };
    let rule = |(facts, candidate): &(ChatFacts, Option<Candidate>)| {
        decide_group(me, &change, facts, candidate.as_ref(), at)
    };
    let announce = |committed: &GroupCommitted| group_events(committed, removed, None, at);
    store
        .change_group(me, chat, &change, at, &rule, &announce)
        .await
}

async fn send_draft(
    store: &dyn ChatStore,
    me: UserId,
    chat: ChatId,
    draft: &Draft,
) -> Result<Committed<Sent>, ChatError> {
    let at = draft.at;
    let rule = |facts: &SendFacts| decide_send(draft, facts);
    let announce = |sent: &MessageChanged| {
        vec![
            DomainEvent::MessageNew {
                message: sent.message.clone(),
                reply_hidden_for: sent.reply_hidden_for.clone(),
            }
            .to(sent.members.clone(), None, at),
        ]
    };
    store.send(me, chat, draft, &rule, &announce).await
}

async fn change_message(
    store: &dyn ChatStore,
    me: UserId,
    chat: ChatId,
    message: MessageId,
    change: &MessageChange,
) -> Result<Committed<MessageChanged>, ChatError> {
    let at = now();
    let rule = |facts: &MessageFacts| decide_change(me, change, facts);
    let announce = |done: &MessageChanged| {
        if !done.changed {
            return Vec::new();
        }
        let m = &done.message;
        let event = match change {
            MessageChange::Edit(..) => DomainEvent::MessageEdited {
                message: m.clone(),
                reply_hidden_for: done.reply_hidden_for.clone(),
            },
            MessageChange::Delete(_) => DomainEvent::MessageDeleted {
                chat_id: m.chat_id,
                message_id: m.id,
            },
            MessageChange::React(..) | MessageChange::Unreact(..) => {
                DomainEvent::MessageReactions {
                    chat_id: m.chat_id,
                    message_id: m.id,
                    reactions: m.reactions.clone(),
                }
            }
        };
        vec![event.to(done.members.clone(), None, at)]
    };
    store
        .change_message(me, chat, message, change, &rule, &announce)
        .await
}

fn message_text(text: &str) -> MessageText {
    MessageText::parse(text).unwrap()
}

fn emoji(emoji: &str) -> Emoji {
    Emoji::parse(emoji).unwrap()
}

fn client_id(id: &str) -> ClientId {
    ClientId::parse(id).unwrap()
}

/// A text message, sent now.
fn draft(text: &str) -> Draft {
    Draft {
        text: Some(message_text(text)),
        photos: Vec::new(),
        reply_to: None,
        client_id: None,
        at: now(),
    }
}

fn page(limit: usize) -> PageRequest {
    PageRequest { limit, after: None }
}

fn texts(messages: &[Message]) -> Vec<&str> {
    messages
        .iter()
        .map(|m| m.text.as_ref().map_or("", MessageText::as_str))
        .collect()
}

fn ids(messages: &[Message]) -> Vec<MessageId> {
    messages.iter().map(|m| m.id).collect()
}

fn member_ids(view: &ChatView) -> Vec<UserId> {
    view.chat.members.iter().map(|m| m.user_id).collect()
}

/// Reactions as (emoji, who) sets, for comparisons that do not depend on who came first.
fn reaction_sets(reactions: &[ReactionGroup]) -> HashSet<(String, Vec<UserId>)> {
    reactions
        .iter()
        .map(|g| {
            let mut users = g.users.clone();
            users.sort();
            (g.emoji.as_str().to_owned(), users)
        })
        .collect()
}

#[derive(diesel::QueryableByName)]
struct Count {
    #[diesel(sql_type = BigInt)]
    n: i64,
}

/// A fresh database with the users, the chats and the outbox on it.
struct World {
    _db: TestDatabase,
    pool: PgPool,
    users: PgUserRepository,
    chats: PgChatStore,
    outbox: PgOutbox,
}

impl World {
    async fn new() -> anyhow::Result<Self> {
        let db = TestDatabase::new(run_migrations).await;
        let pool = connect(db.url(), 8)?;
        Ok(Self {
            users: PgUserRepository::new(pool.clone()),
            chats: PgChatStore::new(pool.clone()),
            outbox: PgOutbox::new(pool.clone()),
            pool,
            _db: db,
        })
    }

    /// Another store over the same pool, as a second instance of the server would have.
    fn other_store(&self) -> PgChatStore {
        PgChatStore::new(self.pool.clone())
    }

    async fn user(&self, first: &str) -> anyhow::Result<UserId> {
        let user = User {
            id: UserId::new(),
            first_name: PersonName::parse(first)?,
            last_name: PersonName::parse("Sato")?,
            email: Email::parse(&format!("u{}@example.com", Uuid::new_v4().simple()))?,
            bio: None,
            city: None,
            birth_date: None,
            settings: Settings::default(),
            created_at: now(),
        };
        self.users
            .create(&NewUser {
                user: user.clone(),
                password_hash: PasswordHash("x".into()),
            })
            .await?;
        Ok(user.id)
    }

    /// Stores a photo of `owner`, as an upload would.
    async fn photo(&self, owner: UserId) -> anyhow::Result<Photo> {
        let rendition = |kind: MediaKind, width, height| Rendition {
            key: BlobKey::random(kind).as_str().to_owned(),
            content_type: kind.content_type().to_owned(),
            width,
            height,
            size: 4_096,
        };
        let photo = Photo {
            id: PhotoId::new(),
            owner,
            original: rendition(MediaKind::Jpeg, 1200, 800),
            thumbnail: rendition(MediaKind::WebP, 320, 213),
            caption: None,
            created_at: now(),
        };
        PgPhotoRepository::new(self.pool.clone())
            .create(&photo)
            .await?;
        Ok(photo)
    }

    async fn direct(&self, me: UserId, other: UserId) -> anyhow::Result<ChatId> {
        Ok(open_direct(&self.chats, me, other).await?.value.0.chat.id)
    }

    /// Creates a group of `creator` and `members` at `at`.
    async fn group_at(
        &self,
        creator: UserId,
        members: &[UserId],
        at: OffsetDateTime,
    ) -> Result<Committed<ChatView>, ChatError> {
        let group = NewGroup {
            id: ChatId::new(),
            creator,
            title: ChatTitle::parse("Hanami").unwrap(),
            members: members.to_vec(),
            at,
        };
        let rule = |candidates: &Vec<Candidate>| admit(creator, group.id, at, candidates);
        let announce = |committed: &GroupCommitted| group_events(committed, None, None, at);
        self.chats.create_group(&group, &rule, &announce).await
    }

    async fn group(&self, creator: UserId, members: &[UserId]) -> anyhow::Result<ChatId> {
        Ok(self.group_at(creator, members, now()).await?.value.chat.id)
    }

    /// `me` changes a group at `at`, as `ChangeGroup` does.
    async fn change_group_at(
        &self,
        me: UserId,
        chat: ChatId,
        change: GroupChange,
        at: OffsetDateTime,
    ) -> Result<Committed<Option<ChatView>>, ChatError> {
        change_group(&self.chats, me, chat, change, at).await
    }

    async fn add(
        &self,
        me: UserId,
        chat: ChatId,
        user: UserId,
    ) -> Result<Option<ChatView>, ChatError> {
        Ok(self
            .change_group_at(me, chat, GroupChange::Add(user), now())
            .await?
            .value)
    }

    async fn remove(
        &self,
        me: UserId,
        chat: ChatId,
        user: UserId,
    ) -> Result<Option<ChatView>, ChatError> {
        Ok(self
            .change_group_at(me, chat, GroupChange::Remove(user), now())
            .await?
            .value)
    }

    async fn send_draft(&self, me: UserId, chat: ChatId, draft: &Draft) -> Result<Sent, ChatError> {
        Ok(send_draft(&self.chats, me, chat, draft).await?.value)
    }

    /// `me` sends `text` to `chat`; it must be stored.
    async fn send(&self, me: UserId, chat: ChatId, text: &str) -> anyhow::Result<Message> {
        let sent = self.send_draft(me, chat, &draft(text)).await?;
        ensure!(sent.created, "a send without a client id is always new");
        Ok(sent.message)
    }

    /// `n` messages of noise ("noise 0", "noise 1"...) from `sender` in `chat`, written with
    /// SQL for speed but as the store writes them: ids rising past the chat's newest, the text's
    /// search terms, the chat's `last_message_id` moved to the last.
    async fn noise(&self, sender: UserId, chat: ChatId, n: usize) -> anyhow::Result<()> {
        let ids: Vec<Uuid> = (0..n).map(|_| Uuid::now_v7()).collect();
        let texts: Vec<String> = (0..n).map(|i| format!("noise {i}")).collect();
        let terms: Vec<String> = texts.iter().map(|t| index_terms(t).join(" ")).collect();
        let mut conn = self.pool.get().await?;
        diesel::sql_query(
            "INSERT INTO messages (chat_id, id, sender_id, text, created_at, search) \
             SELECT $1, n.id, $2, n.text, $3, array_to_tsvector(string_to_array(n.terms, ' ')) \
             FROM unnest($4::uuid[], $5::text[], $6::text[]) AS n(id, text, terms)",
        )
        .bind::<SqlUuid, _>(chat.as_uuid())
        .bind::<SqlUuid, _>(sender.as_uuid())
        .bind::<Timestamptz, _>(now())
        .bind::<Array<SqlUuid>, _>(&ids)
        .bind::<Array<Text>, _>(&texts)
        .bind::<Array<Text>, _>(&terms)
        .execute(&mut conn)
        .await
        .context("insert noise")?;
        diesel::sql_query(
            "UPDATE chats SET last_message_id = $2, updated_at = greatest(updated_at, $3) \
             WHERE id = $1",
        )
        .bind::<SqlUuid, _>(chat.as_uuid())
        .bind::<SqlUuid, _>(ids.last().copied().unwrap_or_else(Uuid::nil))
        .bind::<Timestamptz, _>(now())
        .execute(&mut conn)
        .await
        .context("make the noise the chat's newest")?;
        Ok(())
    }

    async fn change_message(
        &self,
        me: UserId,
        chat: ChatId,
        message: MessageId,
        change: MessageChange,
    ) -> Result<MessageChanged, ChatError> {
        Ok(change_message(&self.chats, me, chat, message, &change)
            .await?
            .value)
    }

    async fn react(
        &self,
        me: UserId,
        chat: ChatId,
        message: MessageId,
        with: &str,
    ) -> Result<MessageChanged, ChatError> {
        let change = MessageChange::React(emoji(with), now());
        self.change_message(me, chat, message, change).await
    }

    async fn unreact(
        &self,
        me: UserId,
        chat: ChatId,
        message: MessageId,
        with: &str,
    ) -> Result<MessageChanged, ChatError> {
        let change = MessageChange::Unreact(emoji(with), now());
        self.change_message(me, chat, message, change).await
    }

    async fn delete(
        &self,
        me: UserId,
        chat: ChatId,
        message: MessageId,
    ) -> Result<MessageChanged, ChatError> {
        let change = MessageChange::Delete(now());
        self.change_message(me, chat, message, change).await
    }

    /// `me` has read `chat` up to `message`; whether the marker moved.
    async fn mark_read(
        &self,
        me: UserId,
        chat: ChatId,
        message: MessageId,
    ) -> Result<bool, ChatError> {
        let at = now();
        let announce = |moved: &MarkerMoved| {
            if !moved.moved {
                return Vec::new();
            }
            vec![
                DomainEvent::ChatRead {
                    chat_id: chat,
                    user_id: me,
                    message_id: message,
                }
                .to(moved.members.clone(), None, at),
            ]
        };
        Ok(self
            .chats
            .mark_read(me, chat, message, &announce)
            .await?
            .value
            .moved)
    }

    async fn unread(&self, viewer: UserId, chat: ChatId) -> anyhow::Result<u64> {
        Ok(self.chats.chat(viewer, chat).await?.unread)
    }

    /// The whole history `viewer` sees of `chat`, read `limit` at a time.
    async fn history(
        &self,
        viewer: UserId,
        chat: ChatId,
        limit: usize,
    ) -> anyhow::Result<Vec<Message>> {
        let mut all = Vec::new();
        let mut request = page(limit);
        for _ in 0..10_000 {
            let page = self.chats.history(viewer, chat, request).await?;
            ensure!(page.items.len() <= limit, "a page longer than asked");
            all.extend(page.items);
            match page.next {
                Some(next) => request.after = Some(next),
                None => return Ok(all),
            }
        }
        anyhow::bail!("history never ends")
    }

    async fn search_page(
        &self,
        viewer: UserId,
        query: &str,
        chat: Option<ChatId>,
        request: PageRequest,
    ) -> Result<Page<Message>, ChatError> {
        let terms = query_terms(query);
        assert!(!terms.is_empty(), "{query:?} holds no term");
        self.chats.search(viewer, &terms, chat, request).await
    }

    /// Every message `viewer` finds with `query` (in `chat`, or all their chats), read `limit`
    /// at a time.
    async fn search(
        &self,
        viewer: UserId,
        query: &str,
        chat: Option<ChatId>,
        limit: usize,
    ) -> anyhow::Result<Vec<Message>> {
        let mut all = Vec::new();
        let mut request = page(limit);
        for _ in 0..10_000 {
            let page = self.search_page(viewer, query, chat, request).await?;
            ensure!(page.items.len() <= limit, "a page longer than asked");
            all.extend(page.items);
            match page.next {
                Some(next) => request.after = Some(next),
                None => return Ok(all),
            }
        }
        anyhow::bail!("search never ends")
    }

    /// The events in the outbox, oldest first.
    async fn events(&self) -> anyhow::Result<Vec<EventEnvelope>> {
        let at = now() + Duration::seconds(1);
        Ok(self
            .outbox
            .claim(at, at, Duration::seconds(30), 10_000)
            .await?)
    }

    /// Waits until `n` statements of this database wait on a lock.
    async fn wait_for_lock_waits(&self, n: i64) -> anyhow::Result<()> {
        let mut conn = self.pool.get().await?;
        for _ in 0..1_000 {
            let waiting: Count = diesel::sql_query(
                "SELECT count(*) AS n FROM pg_stat_activity \
                 WHERE datname = current_database() AND wait_event_type = 'Lock'",
            )
            .get_result(&mut conn)
            .await?;
            if waiting.n >= n {
                return Ok(());
            }
            tokio::time::sleep(std::time::Duration::from_millis(10)).await;
        }
        anyhow::bail!("nothing ever waited on the lock")
    }

    /// How many events the outbox holds (read without claiming them).
    async fn outbox_rows(&self) -> anyhow::Result<i64> {
        let mut conn = self.pool.get().await?;
        let count: Count = diesel::sql_query("SELECT count(*) AS n FROM event_outbox")
            .get_result(&mut conn)
            .await?;
        Ok(count.n)
    }

    async fn count(&self, sql: &str, chat: ChatId) -> anyhow::Result<i64> {
        let mut conn = self.pool.get().await?;
        let count: Count = diesel::sql_query(sql)
            .bind::<SqlUuid, _>(chat.as_uuid())
            .get_result(&mut conn)
            .await
            .context(sql.to_owned())?;
        Ok(count.n)
    }
}

// ---- direct chats ----

#[tokio::test]
async fn opening_a_direct_chat_from_either_side_gives_the_same_chat() -> anyhow::Result<()> {
    let w = World::new().await?;
    let (aiko, ben) = (w.user("Aiko").await?, w.user("Ben").await?);

    let (first, created) = open_direct(&w.chats, aiko, ben).await?.value;
    let (from_ben, created_again) = open_direct(&w.chats, ben, aiko).await?.value;
    let (from_aiko, created_thrice) = open_direct(&w.chats, aiko, ben).await?.value;

    assert!(created && !created_again && !created_thrice);
    assert_eq!(from_ben.chat.id, first.chat.id);
    assert_eq!(from_aiko.chat.id, first.chat.id);
    assert_eq!(first.chat.kind, ChatKind::Direct);
    assert_eq!((first.chat.title.clone(), first.chat.creator), (None, None));
    assert_eq!(
        member_ids(&first).into_iter().collect::<HashSet<_>>(),
        HashSet::from([aiko, ben])
    );
    assert_eq!((first.last_message.clone(), first.unread), (None, 0));
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn opening_a_direct_chat_from_both_sides_at_once_makes_one_chat() -> anyhow::Result<()> {
    let w = World::new().await?;
    let other = w.other_store();
    let mut pairs = Vec::new();
    for _ in 0..10 {
        let (aiko, ben) = (w.user("Aiko").await?, w.user("Ben").await?);

        let (from_aiko, from_ben) = tokio::join!(
            open_direct(&w.chats, aiko, ben),
            open_direct(&other, ben, aiko)
        );

        let ((a, a_created), (b, b_created)) = (from_aiko?.value, from_ben?.value);
        assert_eq!(a.chat.id, b.chat.id);
        assert!(a_created ^ b_created, "exactly one created it");
        pairs.push(a.chat.id);
    }

    for chat in &pairs {
        let members = w
            .count(
                "SELECT count(*) AS n FROM chat_members WHERE chat_id = $1",
                *chat,
            )
            .await?;
        assert_eq!(members, 2);
    }
    let mut conn = w.pool.get().await?;
    let chats: Count = diesel::sql_query("SELECT count(*) AS n FROM chats WHERE kind = 'direct'")
        .get_result(&mut conn)
        .await?;
    assert_eq!(chats.n, 10);
    let created_events = w
        .events()
        .await?
        .into_iter()
        .filter(|e| e.kind() == "chat.updated")
        .count();
    assert_eq!(created_events, 10, "one chat.updated per chat created");
    Ok(())
}

#[tokio::test]
async fn a_direct_chat_with_nobody_or_with_someone_blocked_is_refused() -> anyhow::Result<()> {
    let w = World::new().await?;
    let graph = PgSocialGraph::new(w.pool.clone());
    let (aiko, ben) = (w.user("Aiko").await?, w.user("Ben").await?);
    let chat = w.direct(aiko, ben).await?;

    let ghost = open_direct(&w.chats, aiko, UserId::new()).await;
    graph.block_now(ben, aiko).await?;
    let reopened = open_direct(&w.chats, aiko, ben).await;
    let written = w.send_draft(aiko, chat, &draft("hello?")).await;

    assert!(matches!(ghost, Err(ChatError::UnknownUser)), "{ghost:?}");
    assert!(
        matches!(reopened, Err(ChatError::Unreachable(Unreachable::Blocked))),
        "{reopened:?}"
    );
    assert!(
        matches!(written, Err(ChatError::Unreachable(Unreachable::Blocked))),
        "{written:?}"
    );
    assert!(w.history(ben, chat, 10).await?.is_empty());
    Ok(())
}

// ---- groups ----

#[tokio::test]
async fn a_group_is_created_with_its_members_who_are_each_told() -> anyhow::Result<()> {
    let w = World::new().await?;
    let (aiko, ben, chie) = (
        w.user("Aiko").await?,
        w.user("Ben").await?,
        w.user("Chie").await?,
    );

    let created = w.group_at(aiko, &[ben, chie], now()).await?;

    let view = &created.value;
    assert_eq!(view.chat.kind, ChatKind::Group);
    assert_eq!(
        view.chat.title.as_ref().map(ChatTitle::as_str),
        Some("Hanami")
    );
    assert_eq!(view.chat.creator, Some(aiko));
    assert_eq!(
        member_ids(view).into_iter().collect::<HashSet<_>>(),
        HashSet::from([aiko, ben, chie])
    );
    let told: HashSet<_> = created
        .events
        .iter()
        .map(|e| (e.kind(), e.recipients.clone()))
        .filter(|(kind, _)| *kind == "notification.new")
        .collect();
    assert_eq!(
        told,
        HashSet::from([
            ("notification.new", vec![ben]),
            ("notification.new", vec![chie])
        ])
    );
    assert_eq!(
        w.chats.chat(chie, view.chat.id).await?.chat.id,
        view.chat.id
    );
    Ok(())
}

#[tokio::test]
async fn a_group_with_someone_unknown_is_not_created() -> anyhow::Result<()> {
    let w = World::new().await?;
    let aiko = w.user("Aiko").await?;

    let refused = w.group_at(aiko, &[UserId::new()], now()).await;

    assert!(
        matches!(refused, Err(ChatError::UnknownUser)),
        "{refused:?}"
    );
    assert!(w.chats.chats(aiko, page(10)).await?.items.is_empty());
    Ok(())
}

#[tokio::test]
async fn an_added_member_sees_the_chat_and_a_removed_one_no_longer_does() -> anyhow::Result<()> {
    let w = World::new().await?;
    let (aiko, ben, chie, dai) = (
        w.user("Aiko").await?,
        w.user("Ben").await?,
        w.user("Chie").await?,
        w.user("Dai").await?,
    );
    let chat = w.group(aiko, &[ben, chie]).await?;
    let hello = w.send(ben, chat, "hello all").await?;

    let after_add = w.add(ben, chat, dai).await?.context("ben stays in")?;
    let after_remove = w.remove(aiko, chat, chie).await?.context("aiko stays in")?;

    assert!(member_ids(&after_add).contains(&dai));
    assert_eq!(
        member_ids(&after_remove)
            .into_iter()
            .collect::<HashSet<_>>(),
        HashSet::from([aiko, ben, dai])
    );
    assert_eq!(w.chats.chat(dai, chat).await?.chat.id, chat);
    let history = w.chats.history(chie, chat, page(10)).await;
    assert!(
        matches!(history, Err(ChatError::ChatNotFound)),
        "{history:?}"
    );
    let view = w.chats.chat(chie, chat).await;
    assert!(matches!(view, Err(ChatError::ChatNotFound)), "{view:?}");
    let sent = w.send_draft(chie, chat, &draft("still here?")).await;
    assert!(matches!(sent, Err(ChatError::ChatNotFound)), "{sent:?}");
    let reacted = w.react(chie, chat, hello.id, "👍").await;
    assert!(
        matches!(reacted, Err(ChatError::ChatNotFound)),
        "{reacted:?}"
    );
    let read = w.mark_read(chie, chat, hello.id).await;
    assert!(matches!(read, Err(ChatError::ChatNotFound)), "{read:?}");
    let found = w.search_page(chie, "hello", Some(chat), page(10)).await;
    assert!(matches!(found, Err(ChatError::ChatNotFound)), "{found:?}");
    assert!(w.search(chie, "hello", None, 10).await?.is_empty());
    assert!(w.chats.chats(chie, page(10)).await?.items.is_empty());
    assert_eq!(w.chats.unread_total(chie).await?, 0);
    Ok(())
}

#[tokio::test]
async fn adding_a_member_again_changes_nothing_and_announces_nothing() -> anyhow::Result<()> {
    let w = World::new().await?;
    let (aiko, ben) = (w.user("Aiko").await?, w.user("Ben").await?);
    let chat = w.group(aiko, &[ben]).await?;

    let again = w
        .change_group_at(aiko, chat, GroupChange::Add(ben), now())
        .await?;

    assert!(again.events.is_empty());
    let view = again.value.context("aiko is a member")?;
    assert_eq!(view.chat.members.len(), 2);
    assert_eq!(
        w.count(
            "SELECT count(*) AS n FROM chat_members WHERE chat_id = $1",
            chat
        )
        .await?,
        2
    );
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_members_adding_the_same_person_at_once_add_them_once() -> anyhow::Result<()> {
    let w = World::new().await?;
    let (aiko, ben, chie) = (
        w.user("Aiko").await?,
        w.user("Ben").await?,
        w.user("Chie").await?,
    );
    let chat = w.group(aiko, &[ben]).await?;

    let (one, two) = tokio::join!(
        w.change_group_at(aiko, chat, GroupChange::Add(chie), now()),
        w.change_group_at(ben, chat, GroupChange::Add(chie), now())
    );

    let (one, two) = (one?, two?);
    assert!(
        one.events.is_empty() ^ two.events.is_empty(),
        "one added her, the other found her there"
    );
    assert_eq!(
        w.count(
            "SELECT count(*) AS n FROM chat_members WHERE chat_id = $1",
            chat
        )
        .await?,
        3
    );
    let mut conn = w.pool.get().await?;
    let told: Count = diesel::sql_query(
        "SELECT count(*) AS n FROM notifications WHERE recipient_id = $1 AND kind = 'chat_added'",
    )
    .bind::<SqlUuid, _>(chie.as_uuid())
    .get_result(&mut conn)
    .await?;
    assert_eq!(told.n, 1, "Chie is told once");
    Ok(())
}

#[tokio::test]
async fn a_member_who_leaves_gets_no_view_and_can_no_longer_read() -> anyhow::Result<()> {
    let w = World::new().await?;
    let (aiko, ben, chie) = (
        w.user("Aiko").await?,
        w.user("Ben").await?,
        w.user("Chie").await?,
    );
    let chat = w.group(aiko, &[ben, chie]).await?;
    w.send(aiko, chat, "before you go").await?;

    let left = w
        .change_group_at(ben, chat, GroupChange::Remove(ben), now())
        .await?;

    assert_eq!(left.value, None);
    let told = left
        .events
        .iter()
        .find(|e| e.kind() == "chat.updated")
        .context("chat.updated")?;
    assert!(told.recipients.contains(&ben), "the leaver hears of it");
    let history = w.chats.history(ben, chat, page(10)).await;
    assert!(
        matches!(history, Err(ChatError::ChatNotFound)),
        "{history:?}"
    );
    assert_eq!(
        member_ids(&w.chats.chat(aiko, chat).await?)
            .into_iter()
            .collect::<HashSet<_>>(),
        HashSet::from([aiko, chie])
    );
    Ok(())
}

#[tokio::test]
async fn the_creator_leaving_hands_the_group_to_the_longest_standing_member() -> anyhow::Result<()>
{
    let w = World::new().await?;
    // Chie registers first: her id is the smallest, so only the join times can put Ben first.
    let chie = w.user("Chie").await?;
    let (aiko, ben) = (w.user("Aiko").await?, w.user("Ben").await?);
    let start = now() - Duration::minutes(10);
    let chat = w.group_at(aiko, &[ben], start).await?.value.chat.id;
    let later = start + Duration::minutes(5);
    w.change_group_at(aiko, chat, GroupChange::Add(chie), later)
        .await?
        .value
        .context("aiko stays")?;

    let left = w
        .change_group_at(aiko, chat, GroupChange::Remove(aiko), now())
        .await?;

    assert_eq!(left.value, None);
    let view = w.chats.chat(ben, chat).await?;
    assert_eq!(view.chat.creator, Some(ben));
    assert_eq!(member_ids(&view), vec![ben, chie]);
    // Ben's facts say he is the creator now: he may remove Chie, and Chie may not remove him.
    let refused = w.remove(chie, chat, ben).await;
    assert!(
        matches!(refused, Err(ChatError::Forbidden(_))),
        "{refused:?}"
    );
    let removed = w.remove(ben, chat, chie).await?.context("ben stays")?;
    assert_eq!(member_ids(&removed), vec![ben]);
    Ok(())
}

/// Showed a production bug, fixed: `change_message` checked the membership with a plain read
/// and nothing held it, so a member removed between that read and the commit still got their
/// reaction (or edit, or delete) written and announced to members who no longer included them.
/// Now `write::lock_membership` holds the membership (FOR KEY SHARE): a removal that comes
/// while the reaction waits (here on the message's row, locked from outside) waits for it, so
/// the reaction is stored by a member and the removal follows.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_removal_waits_for_the_reaction_of_the_member_it_removes() -> anyhow::Result<()> {
    let w = World::new().await?;
    let (aiko, ben, chie) = (
        w.user("Aiko").await?,
        w.user("Ben").await?,
        w.user("Chie").await?,
    );
    let chat = w.group(aiko, &[ben, chie]).await?;
    let message = w.send(aiko, chat, "react to me").await?.id;
    let mut blocker = w.pool.get().await?;
    diesel::sql_query("BEGIN").execute(&mut blocker).await?;
    diesel::sql_query("SELECT 1 FROM messages WHERE chat_id = $1 AND id = $2 FOR UPDATE")
        .bind::<SqlUuid, _>(chat.as_uuid())
        .bind::<SqlUuid, _>(message.as_uuid())
        .execute(&mut blocker)
        .await?;

    let store = w.other_store();
    let reaction = tokio::spawn(async move {
        let change = MessageChange::React(emoji("👍"), now());
        change_message(&store, ben, chat, message, &change).await
    });
    w.wait_for_lock_waits(1).await?;
    let remover = w.other_store();
    let removal = tokio::spawn(async move {
        change_group(&remover, aiko, chat, GroupChange::Remove(ben), now()).await
    });
    w.wait_for_lock_waits(2).await?;
    assert!(!removal.is_finished(), "the removal did not wait");
    diesel::sql_query("ROLLBACK").execute(&mut blocker).await?;
    let reaction = reaction.await?;
    let removal = removal.await?;

    let reaction = reaction
        .map_err(|e| anyhow::anyhow!("the reaction failed: {e}"))?
        .value;
    assert!(reaction.members.contains(&ben), "{:?}", reaction.members);
    let _ = removal.map_err(|e| anyhow::anyhow!("the removal failed: {e}"))?;
    let stored = w.history(aiko, chat, 10).await?[0].reactions.clone();
    assert_eq!(
        reaction_sets(&stored),
        reaction_sets(&reaction.message.reactions)
    );
    assert_eq!(
        stored.iter().map(|g| g.users.clone()).collect::<Vec<_>>(),
        vec![vec![ben]]
    );
    let members = w.chats.chat(aiko, chat).await?;
    assert!(!member_ids(&members).contains(&ben));
    Ok(())
}

/// Showed a production bug, fixed: `facts::lock_chat` now reads the membership after the lock.
///
/// A send reads the sender's membership in the statement that locks the chat's row
/// (`facts::lock_chat`: `... JOIN chat_members cm ... FOR UPDATE OF c`). Under READ COMMITTED,
/// a statement that waited for that lock rechecks only the locked row (`c`) at its newest
/// version; the joined `chat_members` row is the one its snapshot saw before it waited. So a
/// send that queued behind the removal of its sender still finds them a member once the
/// removal commits, and stores a message from someone no longer in the chat (announced to
/// members that exclude them). Here the removal is held, with the chat locked, on the removed
/// member's row (locked from outside) while the send queues behind it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_send_queued_behind_the_removal_of_its_sender_is_refused() -> anyhow::Result<()> {
    let w = World::new().await?;
    let (aiko, ben, chie) = (
        w.user("Aiko").await?,
        w.user("Ben").await?,
        w.user("Chie").await?,
    );
    let chat = w.group(aiko, &[ben, chie]).await?;
    let mut blocker = w.pool.get().await?;
    diesel::sql_query("BEGIN").execute(&mut blocker).await?;
    diesel::sql_query("SELECT 1 FROM chat_members WHERE chat_id = $1 AND user_id = $2 FOR UPDATE")
        .bind::<SqlUuid, _>(chat.as_uuid())
        .bind::<SqlUuid, _>(ben.as_uuid())
        .execute(&mut blocker)
        .await?;

    let remover = w.other_store();
    let removal = tokio::spawn(async move {
        change_group(&remover, aiko, chat, GroupChange::Remove(ben), now()).await
    });
    w.wait_for_lock_waits(1).await?;
    let store = w.other_store();
    let send =
        tokio::spawn(
            async move { send_draft(&store, ben, chat, &draft("am I still here?")).await },
        );
    w.wait_for_lock_waits(2).await?;
    diesel::sql_query("ROLLBACK").execute(&mut blocker).await?;
    removal.await??.value.context("aiko stays")?;
    let sent = send.await?;

    let history = w.history(aiko, chat, 10).await?;
    assert!(
        matches!(sent, Err(ChatError::ChatNotFound)),
        "a removed member's message was stored: {:?}",
        sent.map(|s| s.value.message)
    );
    assert!(history.is_empty(), "{:?}", texts(&history));
    Ok(())
}

#[tokio::test]
async fn the_last_member_leaving_deletes_the_group_with_its_messages() -> anyhow::Result<()> {
    let w = World::new().await?;
    let (aiko, ben) = (w.user("Aiko").await?, w.user("Ben").await?);
    let chat = w.group(aiko, &[ben]).await?;
    w.send(ben, chat, "bye").await?;

    w.remove(ben, chat, ben).await?;
    let last = w.remove(aiko, chat, aiko).await?;

    assert_eq!(last, None);
    assert_eq!(
        w.count("SELECT count(*) AS n FROM chats WHERE id = $1", chat)
            .await?,
        0
    );
    assert_eq!(
        w.count(
            "SELECT count(*) AS n FROM messages WHERE chat_id = $1",
            chat
        )
        .await?,
        0
    );
    Ok(())
}

#[tokio::test]
async fn a_direct_chat_cannot_be_changed_like_a_group() -> anyhow::Result<()> {
    let w = World::new().await?;
    let (aiko, ben, chie) = (
        w.user("Aiko").await?,
        w.user("Ben").await?,
        w.user("Chie").await?,
    );
    let chat = w.direct(aiko, ben).await?;

    let added = w.add(aiko, chat, chie).await;
    let left = w.remove(aiko, chat, aiko).await;

    assert!(matches!(added, Err(ChatError::NotAGroup)), "{added:?}");
    assert!(matches!(left, Err(ChatError::NotAGroup)), "{left:?}");
    assert_eq!(w.chats.chat(aiko, chat).await?.chat.members.len(), 2);
    Ok(())
}

// ---- sending ----

#[tokio::test]
async fn message_ids_rise_in_the_order_of_sending() -> anyhow::Result<()> {
    let w = World::new().await?;
    let (aiko, ben) = (w.user("Aiko").await?, w.user("Ben").await?);
    let chat = w.direct(aiko, ben).await?;

    let mut sent = Vec::new();
    for i in 0..6 {
        let sender = if i % 2 == 0 { aiko } else { ben };
        sent.push(w.send(sender, chat, &format!("message {i}")).await?);
    }

    assert!(sent.windows(2).all(|pair| pair[0].id < pair[1].id));
    let history = w.history(aiko, chat, 100).await?;
    assert_eq!(
        ids(&history),
        ids(&sent).into_iter().rev().collect::<Vec<_>>()
    );
    assert_eq!(history.as_slice().first(), sent.last());
    let view = w.chats.chat(ben, chat).await?;
    assert_eq!(view.last_message.as_ref(), sent.last());
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_sends_all_land_with_distinct_rising_ids() -> anyhow::Result<()> {
    let w = World::new().await?;
    let (aiko, ben) = (w.user("Aiko").await?, w.user("Ben").await?);
    let chat = w.group(aiko, &[ben]).await?;

    let mut tasks = tokio::task::JoinSet::new();
    for i in 0..12 {
        let store = if i % 2 == 0 {
            w.chats.clone()
        } else {
            w.other_store()
        };
        let sender = if i % 3 == 0 { aiko } else { ben };
        tasks.spawn(
            async move { send_draft(&store, sender, chat, &draft(&format!("race {i}"))).await },
        );
    }
    let mut sent = Vec::new();
    for result in tasks.join_all().await {
        sent.push(result?.value.message);
    }

    let history = w.history(ben, chat, 5).await?;
    assert_eq!(history.len(), 12);
    assert!(history.windows(2).all(|pair| pair[0].id > pair[1].id));
    sent.sort_by_key(|m| std::cmp::Reverse(m.id));
    assert_eq!(history, sent);
    let view = w.chats.chat(aiko, chat).await?;
    assert_eq!(view.last_message.map(|m| m.id), Some(history[0].id));
    Ok(())
}

#[tokio::test]
async fn a_retry_with_the_same_client_id_returns_the_first_message() -> anyhow::Result<()> {
    let w = World::new().await?;
    let (aiko, ben) = (w.user("Aiko").await?, w.user("Ben").await?);
    let chat = w.group(aiko, &[ben]).await?;
    let elsewhere = w.direct(aiko, ben).await?;
    let first = Draft {
        client_id: Some(client_id("c-1")),
        ..draft("hello")
    };

    let sent = w.send_draft(aiko, chat, &first).await?;
    let retry = send_draft(
        &w.chats,
        aiko,
        chat,
        &Draft {
            client_id: Some(client_id("c-1")),
            ..draft("hello, edited before the retry")
        },
    )
    .await?;
    let bens = w.send_draft(ben, chat, &first).await?;
    let other_chat = w.send_draft(aiko, elsewhere, &first).await?;

    assert!(sent.created);
    assert!(!retry.value.created);
    assert_eq!(retry.value.message, sent.message);
    assert!(retry.events.is_empty(), "a retry announces nothing");
    assert_eq!(sent.message.client_id, Some(client_id("c-1")));
    assert!(bens.created, "client ids are per sender");
    assert!(other_chat.created, "client ids are per chat");
    assert_eq!(texts(&w.history(aiko, chat, 10).await?), ["hello", "hello"]);
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_sends_with_the_same_client_id_store_one_message() -> anyhow::Result<()> {
    let w = World::new().await?;
    let (aiko, ben) = (w.user("Aiko").await?, w.user("Ben").await?);
    let chat = w.direct(aiko, ben).await?;
    let other = w.other_store();

    for round in 0..5 {
        let attempt = Draft {
            client_id: Some(client_id(&format!("retry-{round}"))),
            ..draft(&format!("round {round}"))
        };

        let (one, two) = tokio::join!(
            send_draft(&w.chats, aiko, chat, &attempt),
            send_draft(&other, aiko, chat, &attempt)
        );

        let (one, two) = (one?.value, two?.value);
        assert!(one.created ^ two.created, "exactly one stored it");
        assert_eq!(one.message, two.message);
    }
    let history = w.history(ben, chat, 100).await?;
    assert_eq!(
        texts(&history),
        ["round 4", "round 3", "round 2", "round 1", "round 0"]
    );
    Ok(())
}

#[tokio::test]
async fn a_reply_shows_a_preview_of_the_message_it_answers() -> anyhow::Result<()> {
    let w = World::new().await?;
    let (aiko, ben) = (w.user("Aiko").await?, w.user("Ben").await?);
    let chat = w.group(aiko, &[ben]).await?;
    let long = "桜".repeat(150) + &"a".repeat(150);
    let question = w.send(aiko, chat, &long).await?;

    let answer = w
        .send_draft(
            ben,
            chat,
            &Draft {
                reply_to: Some(question.id),
                ..draft("yes")
            },
        )
        .await?
        .message;

    let preview = answer.reply_to.clone().context("a reply preview")?;
    assert_eq!(preview.id, question.id);
    assert_eq!(preview.sender, aiko);
    let expected: String = long.chars().take(200).collect();
    assert_eq!(preview.excerpt.as_deref(), Some(expected.as_str()));
    assert!(!preview.deleted);
    let history = w.history(aiko, chat, 10).await?;
    assert_eq!(history[0], answer);
    Ok(())
}

#[tokio::test]
async fn replying_to_a_message_of_another_chat_is_refused_and_writes_nothing() -> anyhow::Result<()>
{
    let w = World::new().await?;
    let (aiko, ben) = (w.user("Aiko").await?, w.user("Ben").await?);
    let chat = w.group(aiko, &[ben]).await?;
    let elsewhere = w.direct(aiko, ben).await?;
    let there = w.send(aiko, elsewhere, "over here").await?;
    let events_before = w.outbox_rows().await?;

    let refused = w
        .send_draft(
            aiko,
            chat,
            &Draft {
                reply_to: Some(there.id),
                ..draft("answering across chats")
            },
        )
        .await;
    let unknown = w
        .send_draft(
            aiko,
            chat,
            &Draft {
                reply_to: Some(MessageId::new()),
                ..draft("answering nothing")
            },
        )
        .await;

    assert!(
        matches!(
            refused,
            Err(ChatError::Invalid {
                field: "replyToId",
                ..
            })
        ),
        "{refused:?}"
    );
    assert!(
        matches!(
            unknown,
            Err(ChatError::Invalid {
                field: "replyToId",
                ..
            })
        ),
        "{unknown:?}"
    );
    assert!(w.history(aiko, chat, 10).await?.is_empty());
    assert_eq!(w.outbox_rows().await?, events_before);
    Ok(())
}

#[tokio::test]
async fn a_message_of_photos_reads_them_back_in_order_and_loses_them_when_deleted()
-> anyhow::Result<()> {
    let w = World::new().await?;
    let (aiko, ben) = (w.user("Aiko").await?, w.user("Ben").await?);
    let chat = w.direct(aiko, ben).await?;
    let (first, second) = (w.photo(aiko).await?, w.photo(aiko).await?);

    let sent = w
        .send_draft(
            aiko,
            chat,
            &Draft {
                text: None,
                photos: vec![second.id, first.id],
                ..draft("unused")
            },
        )
        .await?
        .message;
    let vanished = w
        .send_draft(
            aiko,
            chat,
            &Draft {
                photos: vec![PhotoId::new()],
                ..draft("with a photo that is gone")
            },
        )
        .await;

    assert_eq!(sent.text, None);
    assert_eq!(sent.photos, [second.clone(), first.clone()]);
    assert!(
        matches!(
            vanished,
            Err(ChatError::Invalid {
                field: "photoIds",
                ..
            })
        ),
        "{vanished:?}"
    );
    let history = w.history(ben, chat, 10).await?;
    assert_eq!(ids(&history), [sent.id], "the refused send left nothing");
    assert_eq!(history[0].photos, [second, first]);
    w.delete(aiko, chat, sent.id).await?;
    assert!(w.history(ben, chat, 10).await?[0].photos.is_empty());
    Ok(())
}

// ---- history ----

#[tokio::test]
async fn history_pages_newest_first_and_keep_their_place_while_messages_arrive()
-> anyhow::Result<()> {
    let w = World::new().await?;
    let (aiko, ben) = (w.user("Aiko").await?, w.user("Ben").await?);
    let chat = w.direct(aiko, ben).await?;
    for i in 1..=7 {
        w.send(aiko, chat, &format!("m{i}")).await?;
    }

    let first = w.chats.history(ben, chat, page(3)).await?;
    w.send(ben, chat, "m8").await?;
    w.send(aiko, chat, "m9").await?;
    let second = w
        .chats
        .history(
            ben,
            chat,
            PageRequest {
                limit: 3,
                after: first.next,
            },
        )
        .await?;
    let third = w
        .chats
        .history(
            ben,
            chat,
            PageRequest {
                limit: 3,
                after: second.next,
            },
        )
        .await?;

    assert_eq!(texts(&first.items), ["m7", "m6", "m5"]);
    assert_eq!(texts(&second.items), ["m4", "m3", "m2"]);
    assert_eq!(texts(&third.items), ["m1"]);
    assert_eq!(third.next, None);
    assert_eq!(
        texts(&w.history(ben, chat, 2).await?),
        ["m9", "m8", "m7", "m6", "m5", "m4", "m3", "m2", "m1"]
    );
    Ok(())
}

#[tokio::test]
async fn a_member_who_rejoins_sees_only_what_was_sent_after_they_joined() -> anyhow::Result<()> {
    let w = World::new().await?;
    let (aiko, ben, chie) = (
        w.user("Aiko").await?,
        w.user("Ben").await?,
        w.user("Chie").await?,
    );
    let chat = w.group(aiko, &[ben, chie]).await?;
    let old = w.send(aiko, chat, "lantern before").await?;
    w.remove(aiko, chat, chie).await?;
    w.send(ben, chat, "lantern while away").await?;

    let rejoined = w.add(aiko, chat, chie).await?;
    let view_on_return = w.chats.chat(chie, chat).await?;
    let reply = w
        .send_draft(
            aiko,
            chat,
            &Draft {
                reply_to: Some(old.id),
                ..draft("lantern reply to the old one")
            },
        )
        .await?
        .message;
    let after = w.send(ben, chat, "lantern after return").await?;

    assert!(rejoined.is_some());
    assert_eq!(view_on_return.last_message, None);
    assert_eq!(view_on_return.unread, 0);
    let history = w.history(chie, chat, 10).await?;
    assert_eq!(
        texts(&history),
        ["lantern after return", "lantern reply to the old one"]
    );
    let preview = history[1].reply_to.clone().context("a reply preview")?;
    assert_eq!((preview.id, preview.excerpt), (old.id, None));
    assert_eq!(
        reply.reply_to.and_then(|r| r.excerpt).as_deref(),
        Some("lantern before"),
        "the sender still sees what they answer"
    );
    assert_eq!(w.unread(chie, chat).await?, 2);
    assert_eq!(w.chats.unread_total(chie).await?, 2);
    assert_eq!(
        w.chats.chat(chie, chat).await?.last_message.map(|m| m.id),
        Some(after.id)
    );
    assert_eq!(
        ids(&w.search(chie, "lantern", Some(chat), 10).await?),
        ids(&history)
    );
    assert_eq!(
        ids(&w.search(chie, "lantern", None, 10).await?),
        ids(&history)
    );
    assert!(w.search(chie, "away", None, 10).await?.is_empty());
    let marked = w.mark_read(chie, chat, old.id).await;
    assert!(
        matches!(marked, Err(ChatError::MessageNotFound)),
        "{marked:?}"
    );
    let reacted = w.react(chie, chat, old.id, "👍").await;
    assert!(
        matches!(reacted, Err(ChatError::MessageNotFound)),
        "{reacted:?}"
    );
    let answered = w
        .send_draft(
            chie,
            chat,
            &Draft {
                reply_to: Some(old.id),
                ..draft("what was that?")
            },
        )
        .await;
    assert!(
        matches!(
            answered,
            Err(ChatError::Invalid {
                field: "replyToId",
                ..
            })
        ),
        "{answered:?}"
    );
    Ok(())
}

#[tokio::test]
async fn my_chats_list_the_most_recently_active_first_page_by_page() -> anyhow::Result<()> {
    let w = World::new().await?;
    let (aiko, ben) = (w.user("Aiko").await?, w.user("Ben").await?);
    let oldest = w
        .group_at(aiko, &[ben], now() - Duration::minutes(3))
        .await?
        .value
        .chat
        .id;
    let middle = w
        .group_at(aiko, &[ben], now() - Duration::minutes(2))
        .await?
        .value
        .chat
        .id;
    let newest = w
        .group_at(aiko, &[ben], now() - Duration::minutes(1))
        .await?
        .value
        .chat
        .id;
    w.send(ben, oldest, "wake up").await?;

    let mut seen = Vec::new();
    let mut request = page(1);
    loop {
        let page = w.chats.chats(aiko, request).await?;
        seen.extend(page.items.iter().map(|v| (v.chat.id, v.unread)));
        match page.next {
            Some(next) => request.after = Some(next),
            None => break,
        }
        ensure!(seen.len() <= 3, "more pages than chats");
    }

    assert_eq!(seen, [(oldest, 1), (newest, 0), (middle, 0)]);
    Ok(())
}

// ---- reactions ----

#[tokio::test]
async fn a_reaction_is_put_replaced_and_taken_back() -> anyhow::Result<()> {
    let w = World::new().await?;
    let (aiko, ben, chie) = (
        w.user("Aiko").await?,
        w.user("Ben").await?,
        w.user("Chie").await?,
    );
    let chat = w.group(aiko, &[ben, chie]).await?;
    let message = w.send(aiko, chat, "sakura season").await?.id;

    let put = w.react(ben, chat, message, "👍").await?;
    let replaced = w.react(ben, chat, message, "🎉").await?;
    let again = w.react(ben, chat, message, "🎉").await?;
    let joined = w.react(chie, chat, message, "🎉").await?;
    let own = w.react(aiko, chat, message, "👍").await?;

    assert!(put.changed && replaced.changed && !again.changed && joined.changed);
    assert_eq!(put.message.reactions[0].emoji, emoji("👍"));
    assert_eq!(put.message.reactions[0].users, vec![ben]);
    assert_eq!(replaced.message.reactions.len(), 1);
    assert_eq!(replaced.message.reactions[0].emoji, emoji("🎉"));
    assert_eq!(
        own.message.reactions,
        vec![
            ReactionGroup {
                emoji: emoji("🎉"),
                users: vec![ben, chie],
            },
            ReactionGroup {
                emoji: emoji("👍"),
                users: vec![aiko],
            },
        ],
        "most used first, each group's users in the order they reacted"
    );
    assert_eq!(
        w.history(chie, chat, 10).await?[0].reactions,
        own.message.reactions
    );

    let not_mine = w.unreact(ben, chat, message, "👍").await?;
    let taken_back = w.unreact(ben, chat, message, "🎉").await?;
    let twice = w.unreact(ben, chat, message, "🎉").await?;

    assert!(!not_mine.changed && taken_back.changed && !twice.changed);
    assert_eq!(
        reaction_sets(&taken_back.message.reactions),
        HashSet::from([("🎉".to_owned(), vec![chie]), ("👍".to_owned(), vec![aiko])])
    );
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_reactions_of_different_members_are_all_kept() -> anyhow::Result<()> {
    let w = World::new().await?;
    let creator = w.user("Aiko").await?;
    let mut members = Vec::new();
    for _ in 0..7 {
        members.push(w.user("Ben").await?);
    }
    let chat = w.group(creator, &members).await?;
    let everyone: Vec<UserId> = std::iter::once(creator).chain(members).collect();

    for round in 0..3 {
        let message = w
            .send(creator, chat, &format!("react to {round}"))
            .await?
            .id;
        let mut tasks = tokio::task::JoinSet::new();
        for (i, &member) in everyone.iter().enumerate() {
            let store = if i % 2 == 0 {
                w.chats.clone()
            } else {
                w.other_store()
            };
            let with = if i % 2 == 0 { "👍" } else { "❤️" };
            tasks.spawn(async move {
                let change = MessageChange::React(emoji(with), now());
                change_message(&store, member, chat, message, &change).await
            });
        }
        for result in tasks.join_all().await {
            assert!(result?.value.changed);
        }

        let stored = w.history(creator, chat, 1).await?;
        let (even, odd): (Vec<_>, Vec<_>) =
            everyone.iter().enumerate().partition(|(i, _)| i % 2 == 0);
        let sorted = |half: Vec<(usize, &UserId)>| {
            let mut users: Vec<UserId> = half.into_iter().map(|(_, &u)| u).collect();
            users.sort();
            users
        };
        assert_eq!(
            reaction_sets(&stored[0].reactions),
            HashSet::from([
                ("👍".to_owned(), sorted(even)),
                ("❤️".to_owned(), sorted(odd))
            ])
        );
    }
    Ok(())
}

// ---- edit and delete ----

#[tokio::test]
async fn an_edit_changes_the_text_sets_edited_at_and_what_search_finds() -> anyhow::Result<()> {
    let w = World::new().await?;
    let (aiko, ben) = (w.user("Aiko").await?, w.user("Ben").await?);
    let chat = w.direct(aiko, ben).await?;
    let message = w.send(aiko, chat, "see you at the station").await?;
    let at = now() + Duration::seconds(1);

    let edited = w
        .change_message(
            aiko,
            chat,
            message.id,
            MessageChange::Edit(message_text("see you at the temple"), at),
        )
        .await?;
    let by_ben = w
        .change_message(
            ben,
            chat,
            message.id,
            MessageChange::Edit(message_text("hijacked"), at),
        )
        .await;

    assert!(edited.changed);
    assert_eq!(edited.message.edited_at, Some(at));
    assert_eq!(edited.message.created_at, message.created_at);
    assert!(matches!(by_ben, Err(ChatError::Forbidden(_))), "{by_ben:?}");
    let history = w.history(ben, chat, 10).await?;
    assert_eq!(texts(&history), ["see you at the temple"]);
    assert_eq!(history[0].edited_at, Some(at));
    assert_eq!(ids(&w.search(ben, "temple", None, 10).await?), [message.id]);
    assert!(w.search(ben, "station", None, 10).await?.is_empty());
    Ok(())
}

#[tokio::test]
async fn a_deleted_message_keeps_its_place_but_loses_its_text_reactions_and_matches()
-> anyhow::Result<()> {
    let w = World::new().await?;
    let (aiko, ben) = (w.user("Aiko").await?, w.user("Ben").await?);
    let chat = w.group(aiko, &[ben]).await?;
    let first = w.send(aiko, chat, "umbrella one").await?;
    let doomed = w.send(aiko, chat, "umbrella secret").await?;
    w.react(ben, chat, doomed.id, "👍").await?;
    let reply = w
        .send_draft(
            aiko,
            chat,
            &Draft {
                reply_to: Some(doomed.id),
                ..draft("umbrella reply")
            },
        )
        .await?
        .message;
    assert_eq!(w.unread(ben, chat).await?, 3);

    let by_ben = w.delete(ben, chat, doomed.id).await;
    let deleted = w.delete(aiko, chat, doomed.id).await?;
    let again = w.delete(aiko, chat, doomed.id).await?;

    assert!(matches!(by_ben, Err(ChatError::Forbidden(_))), "{by_ben:?}");
    assert!(deleted.changed && !again.changed);
    let history = w.history(ben, chat, 10).await?;
    assert_eq!(ids(&history), [reply.id, doomed.id, first.id]);
    let gone = &history[1];
    assert!(gone.deleted);
    assert_eq!(gone.text, None);
    assert!(gone.reactions.is_empty());
    let preview = history[0]
        .reply_to
        .clone()
        .context("the reply keeps its preview")?;
    assert!(preview.deleted);
    assert_eq!(preview.excerpt, None);
    assert_eq!(
        w.unread(ben, chat).await?,
        2,
        "a deleted message is not unread"
    );
    assert_eq!(w.chats.unread_total(ben).await?, 2);
    assert!(w.search(ben, "secret", None, 10).await?.is_empty());
    assert!(w.search(ben, "secret", Some(chat), 10).await?.is_empty());
    assert_eq!(
        ids(&w.search(ben, "umbrella", Some(chat), 10).await?),
        [reply.id, first.id]
    );
    let edited = w
        .change_message(
            aiko,
            chat,
            doomed.id,
            MessageChange::Edit(message_text("back again"), now()),
        )
        .await;
    assert!(
        matches!(edited, Err(ChatError::MessageNotFound)),
        "{edited:?}"
    );
    let reacted = w.react(ben, chat, doomed.id, "🎉").await;
    assert!(
        matches!(reacted, Err(ChatError::MessageNotFound)),
        "{reacted:?}"
    );
    Ok(())
}

#[tokio::test]
async fn a_message_of_another_chat_is_not_found_for_a_change() -> anyhow::Result<()> {
    let w = World::new().await?;
    let (aiko, ben) = (w.user("Aiko").await?, w.user("Ben").await?);
    let chat = w.group(aiko, &[ben]).await?;
    let elsewhere = w.direct(aiko, ben).await?;
    let there = w.send(aiko, elsewhere, "over here").await?;

    let reacted = w.react(ben, chat, there.id, "👍").await;
    let deleted = w.delete(aiko, chat, there.id).await;
    let marked = w.mark_read(ben, chat, there.id).await;

    assert!(
        matches!(reacted, Err(ChatError::MessageNotFound)),
        "{reacted:?}"
    );
    assert!(
        matches!(deleted, Err(ChatError::MessageNotFound)),
        "{deleted:?}"
    );
    assert!(
        matches!(marked, Err(ChatError::MessageNotFound)),
        "{marked:?}"
    );
    assert!(!w.history(ben, elsewhere, 10).await?[0].deleted);
    Ok(())
}

// ---- read markers and unread counts ----

#[tokio::test]
async fn unread_counts_follow_the_read_markers_per_chat_and_in_total() -> anyhow::Result<()> {
    let w = World::new().await?;
    let (aiko, ben, chie) = (
        w.user("Aiko").await?,
        w.user("Ben").await?,
        w.user("Chie").await?,
    );
    let direct = w.direct(aiko, ben).await?;
    let group = w.group(aiko, &[ben, chie]).await?;
    let d1 = w.send(ben, direct, "one").await?;
    let d2 = w.send(ben, direct, "two").await?;
    w.send(ben, direct, "three").await?;
    w.send(chie, group, "four").await?;
    w.send(aiko, group, "mine are never unread").await?;
    let g3 = w.send(chie, group, "five").await?;

    assert_eq!(w.unread(aiko, direct).await?, 3);
    assert_eq!(w.unread(aiko, group).await?, 2);
    assert_eq!(w.chats.unread_total(aiko).await?, 5);
    assert_eq!(w.unread(ben, direct).await?, 0);
    assert_eq!(w.unread(ben, group).await?, 3);

    assert!(w.mark_read(aiko, direct, d2.id).await?);
    assert!(
        !w.mark_read(aiko, direct, d1.id).await?,
        "a marker never moves back"
    );
    assert!(!w.mark_read(aiko, direct, d2.id).await?);
    assert!(w.mark_read(aiko, group, g3.id).await?);

    assert_eq!(w.unread(aiko, direct).await?, 1);
    assert_eq!(w.unread(aiko, group).await?, 0);
    assert_eq!(w.chats.unread_total(aiko).await?, 1);
    assert_eq!(w.unread(ben, group).await?, 3, "markers are per member");
    let listed: HashSet<_> = w
        .chats
        .chats(aiko, page(10))
        .await?
        .items
        .iter()
        .map(|v| (v.chat.id, v.unread))
        .collect();
    assert_eq!(listed, HashSet::from([(direct, 1), (group, 0)]));
    Ok(())
}

#[tokio::test]
async fn sending_does_not_move_my_read_marker() -> anyhow::Result<()> {
    let w = World::new().await?;
    let (aiko, ben) = (w.user("Aiko").await?, w.user("Ben").await?);
    let chat = w.direct(aiko, ben).await?;
    w.send(ben, chat, "one").await?;
    w.send(ben, chat, "two").await?;

    let mine = w.send(aiko, chat, "an answer before reading").await?;

    assert_eq!(w.unread(aiko, chat).await?, 2);
    assert!(w.mark_read(aiko, chat, mine.id).await?);
    assert_eq!(
        w.unread(aiko, chat).await?,
        0,
        "reading up to mine reads what came before"
    );
    Ok(())
}

#[tokio::test]
async fn a_moved_read_marker_is_announced_once() -> anyhow::Result<()> {
    let w = World::new().await?;
    let (aiko, ben) = (w.user("Aiko").await?, w.user("Ben").await?);
    let chat = w.direct(aiko, ben).await?;
    let message = w.send(ben, chat, "read me").await?;

    w.mark_read(aiko, chat, message.id).await?;
    w.mark_read(aiko, chat, message.id).await?;

    let reads: Vec<_> = w
        .events()
        .await?
        .into_iter()
        .filter(|e| e.kind() == "chat.read")
        .collect();
    assert_eq!(reads.len(), 1);
    assert_eq!(
        reads[0].payload,
        DomainEvent::ChatRead {
            chat_id: chat,
            user_id: aiko,
            message_id: message.id,
        }
    );
    Ok(())
}

// ---- search ----

#[tokio::test]
async fn search_matches_every_word_by_prefix_in_any_script() -> anyhow::Result<()> {
    let w = World::new().await?;
    let (aiko, ben) = (w.user("Aiko").await?, w.user("Ben").await?);
    let chat = w.direct(aiko, ben).await?;
    let hello_world = w.send(aiko, chat, "Hello, wide world!").await?.id;
    let hello_there = w.send(ben, chat, "hello there").await?.id;
    let privet = w.send(aiko, chat, "Привет, как дела?").await?.id;
    let beijing = w.send(ben, chat, "我爱北京天安门").await?.id;
    let peace = w.send(aiko, chat, "world peace").await?.id;

    let found = async |query: &str| -> anyhow::Result<Vec<MessageId>> {
        Ok(ids(&w.search(ben, query, Some(chat), 10).await?))
    };
    assert_eq!(found("hel").await?, [hello_there, hello_world]);
    assert_eq!(found("HELLO").await?, [hello_there, hello_world]);
    assert_eq!(found("hello world").await?, [hello_world]);
    assert_eq!(found("wor").await?, [peace, hello_world]);
    assert_eq!(found("привет").await?, [privet]);
    assert_eq!(found("ПРИВ").await?, [privet]);
    assert_eq!(found("дела").await?, [privet]);
    assert_eq!(found("北京").await?, [beijing]);
    assert_eq!(found("天安门").await?, [beijing]);
    assert_eq!(found("北").await?, [beijing]);
    assert!(found("京北").await?.is_empty());
    assert!(found("hello peace").await?.is_empty());
    assert!(
        found("orld").await?.is_empty(),
        "a word matches by its beginning only"
    );
    assert_eq!(
        ids(&w.search(aiko, "hel", None, 10).await?),
        [hello_there, hello_world]
    );
    Ok(())
}

#[tokio::test]
async fn a_query_is_never_read_as_query_syntax() -> anyhow::Result<()> {
    let w = World::new().await?;
    let (aiko, ben) = (w.user("Aiko").await?, w.user("Ben").await?);
    let chat = w.direct(aiko, ben).await?;
    let quoted = w.send(aiko, chat, "it's a trap | !").await?.id;

    assert_eq!(ids(&w.search(ben, "it's", None, 10).await?), [quoted]);
    assert!(w.search(ben, "trap & !nothing", None, 10).await?.is_empty());
    Ok(())
}

#[tokio::test]
async fn search_pages_newest_first_without_gaps_or_repeats() -> anyhow::Result<()> {
    let w = World::new().await?;
    let (aiko, ben) = (w.user("Aiko").await?, w.user("Ben").await?);
    let direct = w.direct(aiko, ben).await?;
    let group = w.group(aiko, &[ben]).await?;
    let mut expected = Vec::new();
    for i in 0..9 {
        let chat = if i % 3 == 0 { group } else { direct };
        expected.push(w.send(aiko, chat, &format!("matcha number {i}")).await?.id);
        w.send(ben, chat, &format!("tea number {i}")).await?;
    }
    expected.reverse();

    for limit in [1, 2, 4, 9, 10] {
        assert_eq!(
            ids(&w.search(ben, "matcha", None, limit).await?),
            expected,
            "pages of {limit}"
        );
    }
    let first = w.search_page(ben, "matcha", None, page(4)).await?;
    assert_eq!(ids(&first.items), expected[..4]);
    assert!(first.next.is_some());
    Ok(())
}

#[tokio::test]
async fn search_in_a_chat_i_am_not_in_is_chat_not_found() -> anyhow::Result<()> {
    let w = World::new().await?;
    let (aiko, ben, chie) = (
        w.user("Aiko").await?,
        w.user("Ben").await?,
        w.user("Chie").await?,
    );
    let chat = w.direct(aiko, ben).await?;
    w.send(aiko, chat, "private matters").await?;

    let found = w.search_page(chie, "private", Some(chat), page(10)).await;

    assert!(matches!(found, Err(ChatError::ChatNotFound)), "{found:?}");
    assert!(w.search(chie, "private", None, 10).await?.is_empty());
    Ok(())
}

/// The newest 1,000 searchable messages are walked, older ones come from the index: this puts
/// matches on both sides of that line and right at it. Oldest first, the chat holds: `kiwi 0`,
/// 60 of noise, `kiwi 1` to `kiwi 4`, 995 of noise, a deleted `kiwi`, `kiwi 5`, `kiwi 6`. From
/// the newest, `kiwi 2` is then the 1,000th searchable message (the deleted one is not
/// searchable) and `kiwi 1` the 1,001st. Chie left and came back right after `kiwi 0`: her
/// walk is full too, and the index must not give her `kiwi 0`.
#[tokio::test]
async fn search_in_one_chat_finds_matches_on_both_sides_of_the_walk() -> anyhow::Result<()> {
    let w = World::new().await?;
    let (aiko, ben, chie) = (
        w.user("Aiko").await?,
        w.user("Ben").await?,
        w.user("Chie").await?,
    );
    let chat = w.group(aiko, &[ben, chie]).await?;
    let other_chat = w.direct(aiko, ben).await?;
    let mut expected = Vec::new();
    let kiwi_0 = w.send(aiko, chat, "kiwi 0").await?.id;
    expected.push(kiwi_0);
    w.remove(chie, chat, chie).await?;
    w.add(aiko, chat, chie).await?;
    w.send(aiko, other_chat, "kiwi elsewhere, early").await?;
    w.noise(ben, chat, 60).await?;
    for i in 1..=4 {
        expected.push(w.send(aiko, chat, &format!("kiwi {i}")).await?.id);
    }
    w.noise(ben, chat, 995).await?;
    let deleted = w.send(aiko, chat, "kiwi deleted").await?.id;
    w.delete(aiko, chat, deleted).await?;
    for i in 5..=6 {
        expected.push(w.send(aiko, chat, &format!("kiwi {i}")).await?.id);
    }
    w.send(aiko, other_chat, "kiwi elsewhere, late").await?;
    expected.reverse();

    for limit in [1, 2, 3, 4, 5, 7, 8, 100] {
        let found = w.search(ben, "kiwi", Some(chat), limit).await?;
        assert_eq!(
            ids(&found),
            expected,
            "pages of {limit}: {:?}",
            texts(&found)
        );
        let found = w.search(chie, "kiwi", Some(chat), limit).await?;
        assert_eq!(
            ids(&found),
            expected[..expected.len() - 1],
            "Chie's pages of {limit}: {:?}",
            texts(&found)
        );
    }
    assert_eq!(expected.last(), Some(&kiwi_0));
    Ok(())
}

/// The same across all my chats, where the walk goes over everyone's newest messages (mostly
/// in a chat I am not in), and with matches I may not see on both sides of the line: in a
/// chat I am not in, in one I left, and in one from before I rejoined it.
#[tokio::test]
async fn search_across_my_chats_finds_matches_on_both_sides_of_the_walk() -> anyhow::Result<()> {
    let w = World::new().await?;
    let (me, aiko, ben, stranger) = (
        w.user("Mei").await?,
        w.user("Aiko").await?,
        w.user("Ben").await?,
        w.user("Sora").await?,
    );
    let group = w.group(aiko, &[me, ben]).await?;
    let direct = w.direct(me, aiko).await?;
    let theirs = w.direct(aiko, stranger).await?;
    let left = w.group(ben, &[me, aiko]).await?;
    let rejoined = w.group(ben, &[me]).await?;
    let mut expected = Vec::new();

    expected.push(w.send(aiko, group, "kiwi early in the group").await?.id);
    expected.push(w.send(me, direct, "kiwi early, mine").await?.id);
    w.send(aiko, theirs, "kiwi early, not my chat").await?;
    w.send(aiko, left, "kiwi early, in the chat I leave")
        .await?;
    w.remove(ben, rejoined, me).await?;
    w.send(ben, rejoined, "kiwi while I was away").await?;
    w.add(ben, rejoined, me).await?;
    w.noise(stranger, theirs, 40).await?;
    for i in 1..=3 {
        let chat = if i == 2 { direct } else { group };
        expected.push(w.send(aiko, chat, &format!("kiwi {i}")).await?.id);
    }
    expected.push(w.send(ben, rejoined, "kiwi since I came back").await?.id);
    // From the newest, "kiwi since I came back" is the 1,000th searchable message, `kiwi 3`
    // the 1,001st.
    w.noise(stranger, theirs, 995).await?;
    w.send(aiko, theirs, "kiwi late, not my chat").await?;
    w.send(aiko, left, "kiwi late, in the chat I leave").await?;
    expected.push(w.send(ben, group, "Kiwi late in the group").await?.id);
    expected.push(w.send(aiko, direct, "kiwi late, to me").await?.id);
    w.remove(me, left, me).await?;
    expected.reverse();

    for limit in [1, 2, 3, 4, 6, 7, 100] {
        let found = w.search(me, "kiwi", None, limit).await?;
        assert_eq!(
            ids(&found),
            expected,
            "pages of {limit}: {:?}",
            texts(&found)
        );
    }
    let in_group = w.search(me, "kiwi", Some(group), 2).await?;
    assert_eq!(
        texts(&in_group),
        [
            "Kiwi late in the group",
            "kiwi 3",
            "kiwi 1",
            "kiwi early in the group"
        ]
    );
    Ok(())
}

// ---- events ----

#[tokio::test]
async fn a_send_records_its_message_new_event_in_the_outbox() -> anyhow::Result<()> {
    let w = World::new().await?;
    let (aiko, ben, chie) = (
        w.user("Aiko").await?,
        w.user("Ben").await?,
        w.user("Chie").await?,
    );
    let chat = w.group(aiko, &[ben, chie]).await?;
    let attempt = Draft {
        client_id: Some(client_id("once")),
        ..draft("hello, outbox")
    };

    let sent = send_draft(&w.chats, aiko, chat, &attempt).await?;
    let retry = send_draft(&w.chats, aiko, chat, &attempt).await?;

    let news: Vec<_> = w
        .events()
        .await?
        .into_iter()
        .filter(|e| e.kind() == "message.new")
        .collect();
    assert!(!retry.value.created);
    assert_eq!(news.len(), 1, "the retry records nothing");
    assert_eq!(
        news, sent.events,
        "the outbox holds what the write committed"
    );
    let DomainEvent::MessageNew { message, .. } = &news[0].payload else {
        anyhow::bail!("not a message.new: {:?}", news[0]);
    };
    assert_eq!(*message, sent.value.message);
    assert_eq!(
        news[0].recipients.iter().copied().collect::<HashSet<_>>(),
        HashSet::from([aiko, ben, chie])
    );
    Ok(())
}

#[tokio::test]
async fn group_and_message_changes_record_their_events() -> anyhow::Result<()> {
    let w = World::new().await?;
    let (aiko, ben, chie) = (
        w.user("Aiko").await?,
        w.user("Ben").await?,
        w.user("Chie").await?,
    );
    let chat = w.group(aiko, &[ben]).await?;

    w.add(aiko, chat, chie).await?;
    let message = w.send(ben, chat, "hi").await?.id;
    w.react(chie, chat, message, "👍").await?;
    w.react(chie, chat, message, "👍").await?;
    w.change_message(
        ben,
        chat,
        message,
        MessageChange::Edit(message_text("hi all"), now()),
    )
    .await?;
    w.delete(ben, chat, message).await?;
    w.remove(aiko, chat, chie).await?;

    let kinds: Vec<_> = w
        .events()
        .await?
        .iter()
        .map(|e| (e.kind(), e.recipients.len()))
        .collect();
    assert_eq!(
        kinds,
        [
            ("chat.updated", 2),
            ("notification.new", 1),
            ("chat.updated", 3),
            ("notification.new", 1),
            ("message.new", 3),
            ("message.reactions", 3),
            ("message.edited", 3),
            ("message.deleted", 3),
            ("chat.updated", 3),
        ],
        "the second, unchanged reaction records nothing; the removed member hears of it"
    );
    Ok(())
}
