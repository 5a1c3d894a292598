//! Social-graph use cases against in-memory fakes: events after changes, privacy, blocks.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::Arc;

use futures_executor::block_on;
use sakura_application::ReadError;
use sakura_application::blocks::{BlockUser, UnblockError, UnblockUser};
use sakura_application::events::DomainEvent;
use sakura_application::friends::{ChangeFriendship, FriendshipError, ListFriends};
use sakura_application::notifications::{
    ListNotifications, MarkNotificationsRead, MarkRead, MarkReadError,
};
use sakura_application::pagination::PageRequest;
use sakura_application::ports::{NewUser, PasswordHash, SettingsPatch, UserRepository};
use sakura_application::testing::{FakeClock, InMemorySocial, InMemoryUsers, RecordingEvents};
use sakura_application::users::{GetProfile, UpdateSettings};
use sakura_domain::UserId;
use sakura_domain::friends::{self, FriendAction, Relation};
use sakura_domain::notifications::NotificationKind;
use sakura_domain::users::{Email, PersonName, PrivacyLevel, Settings, Theme, User};

struct World {
    users: Arc<InMemoryUsers>,
    social: Arc<InMemorySocial>,
    events: Arc<RecordingEvents>,
    clock: Arc<FakeClock>,
}

impl World {
    fn new() -> Self {
        let users = Arc::new(InMemoryUsers::default());
        Self {
            social: Arc::new(InMemorySocial::new(users.clone())),
            users,
            events: Arc::default(),
            clock: Arc::default(),
        }
    }

    fn user(&self, name: &str) -> UserId {
        let user = User {
            id: UserId::new(),
            first_name: PersonName::parse(name).unwrap(),
            last_name: PersonName::parse("Tanaka").unwrap(),
            email: Email::parse(&format!("{}@example.com", UserId::new())).unwrap(),
            bio: Some("about me".into()),
            city: None,
            birth_date: None,
            settings: Settings::default(),
            created_at: sakura_domain::clock::now(),
        };
        let id = user.id;
        block_on(self.users.create(&NewUser {
            user,
            password_hash: PasswordHash("x".into()),
        }))
        .unwrap();
        id
    }

    fn change(&self) -> ChangeFriendship {
        ChangeFriendship::new(
            self.social.clone(),
            self.social.clone(),
            self.events.clone(),
            self.clock.clone(),
        )
    }

    fn act(
        &self,
        me: UserId,
        other: UserId,
        action: FriendAction,
    ) -> Result<Relation, FriendshipError> {
        block_on(self.change().execute(me.into(), other, action)).map(|o| o.relation)
    }

    fn befriend(&self, a: UserId, b: UserId) {
        self.act(a, b, FriendAction::Request).unwrap();
        self.act(b, a, FriendAction::Accept).unwrap();
        self.events.take();
    }

    fn block(&self, blocker: UserId, blocked: UserId) -> bool {
        let block = BlockUser::new(self.social.clone(), self.events.clone(), self.clock.clone());
        block_on(block.execute(blocker.into(), blocked)).unwrap()
    }

    fn set_friends_privacy(&self, user: UserId, level: PrivacyLevel) {
        let patch = SettingsPatch {
            friends: Some(level),
            ..SettingsPatch::default()
        };
        let update =
            UpdateSettings::new(self.users.clone(), self.events.clone(), self.clock.clone());
        block_on(update.execute(user.into(), patch)).unwrap();
        self.events.take();
    }

    fn friends_of(&self, viewer: UserId, owner: UserId) -> Result<usize, ReadError> {
        block_on(ListFriends::new(self.social.clone()).execute(
            viewer,
            owner,
            None,
            PageRequest::first(),
        ))
        .map(|p| p.items.len())
    }
}

#[test]
fn a_request_tells_both_users_and_notifies_the_recipient() {
    let world = World::new();
    let (aiko, ren) = (world.user("Aiko"), world.user("Ren"));
    assert_eq!(
        world.act(aiko, ren, FriendAction::Request).unwrap(),
        Relation::OutgoingRequest
    );
    let events = world.events.take();
    assert!(events.contains(&DomainEvent::FriendshipUpdated {
        user_id: aiko,
        other_user_id: ren,
        relation: Relation::OutgoingRequest
    }));
    assert!(events.contains(&DomainEvent::FriendshipUpdated {
        user_id: ren,
        other_user_id: aiko,
        relation: Relation::IncomingRequest
    }));
    let notified: Vec<_> = events
        .iter()
        .filter_map(|e| match e {
            DomainEvent::NotificationCreated(n) => Some((n.recipient, n.actor, n.kind)),
            _ => None,
        })
        .collect();
    assert_eq!(notified, vec![(ren, aiko, NotificationKind::FriendRequest)]);
}

#[test]
fn requesting_someone_who_requested_me_makes_us_friends_and_notifies_them() {
    let world = World::new();
    let (aiko, ren) = (world.user("Aiko"), world.user("Ren"));
    world.act(ren, aiko, FriendAction::Request).unwrap();
    world.events.take();
    assert_eq!(
        world.act(aiko, ren, FriendAction::Request).unwrap(),
        Relation::Friends
    );
    let kinds: Vec<_> = world
        .social
        .notifications()
        .iter()
        .map(|n| (n.recipient, n.kind))
        .collect();
    assert_eq!(
        kinds,
        vec![
            (aiko, NotificationKind::FriendRequest),
            (ren, NotificationKind::FriendAccepted)
        ]
    );
}

#[test]
fn a_refused_action_changes_nothing_and_publishes_nothing() {
    let world = World::new();
    let (aiko, ren) = (world.user("Aiko"), world.user("Ren"));
    world.act(aiko, ren, FriendAction::Request).unwrap();
    world.events.take();
    let again = world.act(aiko, ren, FriendAction::Request);
    assert!(matches!(
        again,
        Err(FriendshipError::Rule(
            friends::FriendshipError::AlreadyRequested
        ))
    ));
    assert!(world.events.take().is_empty());
    assert_eq!(world.social.notifications().len(), 1);
}

#[test]
fn requesting_myself_or_a_stranger_who_does_not_exist_is_refused() {
    let world = World::new();
    let aiko = world.user("Aiko");
    assert!(matches!(
        world.act(aiko, aiko, FriendAction::Request),
        Err(FriendshipError::Rule(friends::FriendshipError::ToSelf(
            FriendAction::Request
        )))
    ));
    assert!(matches!(
        world.act(aiko, UserId::new(), FriendAction::Request),
        Err(FriendshipError::UnknownUser)
    ));
}

#[test]
fn someone_who_blocked_me_refuses_my_requests_and_hides_their_page_and_friends() {
    let world = World::new();
    let (aiko, ren) = (world.user("Aiko"), world.user("Ren"));
    world.block(ren, aiko);
    assert!(matches!(
        world.act(aiko, ren, FriendAction::Request),
        Err(FriendshipError::Rule(friends::FriendshipError::Blocked))
    ));
    let profile = block_on(GetProfile::new(world.social.clone()).execute(aiko, ren));
    assert!(matches!(profile, Err(ReadError::NotFound)));
    assert!(matches!(
        world.friends_of(aiko, ren),
        Err(ReadError::NotFound)
    ));
}

#[test]
fn i_cannot_request_someone_i_blocked() {
    let world = World::new();
    let (aiko, ren) = (world.user("Aiko"), world.user("Ren"));
    world.block(aiko, ren);
    assert!(matches!(
        world.act(aiko, ren, FriendAction::Request),
        Err(FriendshipError::Rule(friends::FriendshipError::Blocked))
    ));
}

#[test]
fn blocking_ends_a_friendship_and_the_blocked_user_only_learns_it_ended() {
    let world = World::new();
    let (aiko, ren) = (world.user("Aiko"), world.user("Ren"));
    world.befriend(aiko, ren);
    assert!(world.block(aiko, ren));
    let events = world.events.take();
    assert_eq!(
        events,
        vec![
            DomainEvent::FriendshipUpdated {
                user_id: aiko,
                other_user_id: ren,
                relation: Relation::Blocked
            },
            DomainEvent::FriendshipUpdated {
                user_id: ren,
                other_user_id: aiko,
                relation: Relation::None
            },
        ]
    );
    assert_eq!(world.friends_of(aiko, aiko).unwrap(), 0);
    assert!(!world.block(aiko, ren), "blocking again is not a new block");
}

#[test]
fn unblocking_someone_i_did_not_block_is_not_found() {
    let world = World::new();
    let (aiko, ren) = (world.user("Aiko"), world.user("Ren"));
    let unblock = UnblockUser::new(
        world.social.clone(),
        world.events.clone(),
        world.clock.clone(),
    );
    assert!(matches!(
        block_on(unblock.execute(aiko.into(), ren)),
        Err(UnblockError::NotBlocked)
    ));
    world.block(aiko, ren);
    block_on(unblock.execute(aiko.into(), ren)).unwrap();
}

#[test]
fn a_friends_only_friends_list_is_hidden_from_strangers_but_not_from_friends_or_the_owner() {
    let world = World::new();
    let (aiko, ren, kenji) = (world.user("Aiko"), world.user("Ren"), world.user("Kenji"));
    world.befriend(aiko, ren);
    world.set_friends_privacy(aiko, PrivacyLevel::Friends);
    assert!(matches!(
        world.friends_of(kenji, aiko),
        Err(ReadError::Hidden)
    ));
    assert_eq!(world.friends_of(ren, aiko).unwrap(), 1);
    assert_eq!(world.friends_of(aiko, aiko).unwrap(), 1);
}

#[test]
fn a_pending_request_does_not_unlock_friends_only_content() {
    let world = World::new();
    let (aiko, ren) = (world.user("Aiko"), world.user("Ren"));
    world.set_friends_privacy(aiko, PrivacyLevel::Friends);
    world.act(ren, aiko, FriendAction::Request).unwrap();
    assert!(matches!(
        world.friends_of(ren, aiko),
        Err(ReadError::Hidden)
    ));
}

#[test]
fn changing_settings_tells_the_users_other_devices_the_settings_now_in_force() {
    let world = World::new();
    let aiko = world.user("Aiko");
    let patch = SettingsPatch {
        theme: Some(Theme::Dark),
        ..SettingsPatch::default()
    };
    let settings = block_on(
        UpdateSettings::new(
            world.users.clone(),
            world.events.clone(),
            world.clock.clone(),
        )
        .execute(aiko.into(), patch),
    )
    .unwrap();
    assert_eq!(settings.theme, Theme::Dark);
    assert_eq!(settings.privacy.profile, PrivacyLevel::Everyone);
    assert_eq!(
        world.events.take(),
        vec![DomainEvent::SettingsUpdated {
            user_id: aiko,
            settings
        }]
    );
}

#[test]
fn marking_someone_elses_notification_marks_nothing() {
    let world = World::new();
    let (aiko, ren, kenji) = (world.user("Aiko"), world.user("Ren"), world.user("Kenji"));
    world.act(aiko, ren, FriendAction::Request).unwrap();
    world.act(aiko, kenji, FriendAction::Request).unwrap();
    let notes = world.social.notifications();
    let (rens, kenjis) = (notes[0].id, notes[1].id);
    let mark = MarkNotificationsRead::new(
        world.social.clone(),
        world.events.clone(),
        world.clock.clone(),
    );
    let result = block_on(mark.execute(ren, MarkRead::Ids(vec![rens, kenjis])));
    assert!(matches!(result, Err(MarkReadError::UnknownNotification)));
    assert!(world.social.notifications().iter().all(|n| !n.read));
    block_on(mark.execute(ren, MarkRead::Ids(vec![rens]))).unwrap();
    let list = block_on(
        ListNotifications::new(world.social.clone(), world.social).execute(
            ren,
            true,
            PageRequest::first(),
        ),
    )
    .unwrap();
    assert!(list.items.is_empty());
    let read: Vec<_> = world
        .events
        .take()
        .into_iter()
        .filter(|e| matches!(e, DomainEvent::NotificationsRead { .. }))
        .collect();
    assert_eq!(
        read,
        [DomainEvent::NotificationsRead {
            user_id: ren,
            ids: Some(vec![rens]),
        }],
        "the refused call announces nothing, the accepted one its ids"
    );
}

/// A presence store that knows who is online and counts its lookups.
#[derive(Default)]
struct KnownPresence {
    online: std::sync::Mutex<Vec<UserId>>,
    lookups: std::sync::atomic::AtomicUsize,
}

#[async_trait::async_trait]
impl sakura_application::ports::Presence for KnownPresence {
    async fn hold(
        &self,
        user: UserId,
        _: time::OffsetDateTime,
    ) -> Result<bool, sakura_application::StoreError> {
        self.online.lock().unwrap().push(user);
        Ok(true)
    }
    async fn release(
        &self,
        _: UserId,
        _: time::OffsetDateTime,
    ) -> Result<bool, sakura_application::StoreError> {
        Ok(false)
    }
    async fn renew(
        &self,
        _: &[UserId],
        _: time::OffsetDateTime,
    ) -> Result<(), sakura_application::StoreError> {
        Ok(())
    }
    async fn sweep(
        &self,
        _: time::OffsetDateTime,
        _: usize,
    ) -> Result<Vec<(UserId, time::OffsetDateTime)>, sakura_application::StoreError> {
        Ok(Vec::new())
    }
    async fn states(
        &self,
        users: &[UserId],
    ) -> Result<Vec<sakura_application::ports::PresenceState>, sakura_application::StoreError> {
        self.lookups
            .fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        let online = self.online.lock().unwrap();
        Ok(users
            .iter()
            .map(|u| sakura_application::ports::PresenceState {
                online: online.contains(u),
                last_seen_at: None,
            })
            .collect())
    }
}

#[test]
fn profiles_show_presence_in_one_lookup_and_hide_it_across_a_block() {
    use sakura_application::ports::Presence;
    let world = World::new();
    let (aiko, ren, kenji) = (world.user("Aiko"), world.user("Ren"), world.user("Kenji"));
    let presence = Arc::new(KnownPresence::default());
    block_on(presence.hold(
        ren,
        sakura_application::ports::Clock::now(world.clock.as_ref()),
    ))
    .unwrap();
    let people = Arc::new(sakura_application::users::WithPresence::new(
        world.social.clone(),
        presence.clone(),
    ));
    let profiles = GetProfile::new(people.clone());
    assert!(block_on(profiles.execute(aiko, ren)).unwrap().online);
    assert!(!block_on(profiles.execute(aiko, kenji)).unwrap().online);
    assert_eq!(
        presence.lookups.load(std::sync::atomic::Ordering::SeqCst),
        2
    );
    block_on(
        BlockUser::new(world.social.clone(), world.events.clone(), world.clock)
            .execute(aiko.into(), ren),
    )
    .unwrap();
    let cards = block_on(sakura_application::ports::PeopleDirectory::cards(
        people.as_ref(),
        aiko,
        &[ren],
    ))
    .unwrap();
    assert!(cards[0].presence.online, "the card carries the state");
    let seen = sakura_application::users::PublicProfile::of(aiko, &cards[0]);
    assert!(!seen.online, "a blocked user's presence is hidden");
}
