//! Events after commit: the envelopes use cases write, and the relay that heals what a crash or
//! a bus outage left in the outbox.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::Arc;
use std::sync::atomic::Ordering;

use futures_executor::block_on;
use sakura_application::Actor;
use sakura_application::events::relay::{self, RelayOutbox, RelaySettings};
use sakura_application::events::{DomainEvent, EventEnvelope};
use sakura_application::friends::ChangeFriendship;
use sakura_application::ports::{Clock, NewUser, PasswordHash, UserRepository};
use sakura_application::testing::{
    FakeClock, InMemoryOutbox, InMemorySocial, InMemoryUsers, RecordingBus, RecordingEvents,
};
use sakura_domain::friends::FriendAction;
use sakura_domain::users::{Email, PersonName, Settings, User};
use sakura_domain::{SessionId, UserId};
use time::Duration;

fn user(users: &InMemoryUsers) -> UserId {
    let user = User {
        id: UserId::new(),
        first_name: PersonName::parse("Aiko").unwrap(),
        last_name: PersonName::parse("Tanaka").unwrap(),
        email: Email::parse(&format!("{}@example.com", UserId::new())).unwrap(),
        bio: None,
        city: None,
        birth_date: None,
        settings: Settings::default(),
        created_at: sakura_domain::clock::now(),
    };
    let id = user.id;
    block_on(users.create(&NewUser {
        user,
        password_hash: PasswordHash("x".into()),
    }))
    .unwrap();
    id
}

#[test]
fn a_use_case_writes_the_events_it_publishes_with_their_origin_time_and_recipients() {
    let users = Arc::new(InMemoryUsers::default());
    let social = Arc::new(InMemorySocial::new(users.clone()));
    let events = Arc::new(RecordingEvents::default());
    let clock = Arc::new(FakeClock::default());
    let change = ChangeFriendship::new(
        social.clone(),
        social.clone(),
        events.clone(),
        clock.clone(),
    );
    let (aiko, ren) = (user(&users), user(&users));
    let session = SessionId::new();
    let me = Actor {
        user_id: aiko,
        session_id: Some(session),
    };

    block_on(change.execute(me, ren, FriendAction::Request)).unwrap();

    let published = events.take_envelopes();
    assert_eq!(
        published,
        social.written_events(),
        "published what was committed"
    );
    assert_eq!(published.len(), 3);
    assert!(
        published
            .iter()
            .all(|e| e.origin == Some(session) && e.at == clock.now())
    );
    let recipients: Vec<_> = published.iter().map(|e| e.recipients.clone()).collect();
    assert_eq!(recipients, [vec![aiko], vec![ren], vec![ren]]);
    assert!(matches!(
        &published[2].payload,
        DomainEvent::NotificationCreated(n) if n.recipient == ren && n.actor == aiko
    ));
}

fn event_at(clock: &FakeClock, ago: Duration) -> EventEnvelope {
    let user = UserId::new();
    DomainEvent::SettingsUpdated {
        user_id: user,
        settings: Settings::default(),
    }
    .to(vec![user], None, clock.now() - ago)
}

struct Relay {
    outbox: Arc<InMemoryOutbox>,
    bus: Arc<RecordingBus>,
    clock: Arc<FakeClock>,
    relay: RelayOutbox,
}

fn relay(batch: usize) -> Relay {
    let outbox = Arc::new(InMemoryOutbox::default());
    let bus = Arc::new(RecordingBus::default());
    let clock = Arc::new(FakeClock::default());
    let relay = RelayOutbox::new(
        outbox.clone(),
        bus.clone(),
        clock.clone(),
        RelaySettings {
            grace: Duration::seconds(10),
            lease: Duration::seconds(30),
            batch,
        },
    );
    Relay {
        outbox,
        bus,
        clock,
        relay,
    }
}

#[test]
fn the_relay_delivers_stale_events_and_clears_them_but_leaves_fresh_ones() {
    let r = relay(100);
    let stale = event_at(&r.clock, Duration::minutes(1));
    let fresh = event_at(&r.clock, Duration::seconds(1));
    r.outbox.append(&[stale.clone(), fresh.clone()]);

    assert_eq!(block_on(r.relay.run_once()).unwrap(), 1);

    assert_eq!(*r.bus.delivered.lock().unwrap(), vec![stale]);
    assert_eq!(r.outbox.pending(), vec![fresh]);
    r.clock.advance(Duration::seconds(10));
    assert_eq!(
        block_on(r.relay.run_once()).unwrap(),
        1,
        "once past its grace"
    );
    assert!(r.outbox.pending().is_empty());
}

#[test]
fn while_the_bus_is_down_nothing_is_cleared_and_the_lease_brings_it_back() {
    let r = relay(100);
    let stale = event_at(&r.clock, Duration::minutes(1));
    r.outbox.append(std::slice::from_ref(&stale));
    r.bus.down.store(true, Ordering::SeqCst);

    assert!(block_on(r.relay.run_once()).is_err());
    assert_eq!(r.outbox.pending(), vec![stale.clone()]);

    r.bus.down.store(false, Ordering::SeqCst);
    assert_eq!(block_on(r.relay.run_once()).unwrap(), 0, "still leased");
    r.clock.advance(Duration::seconds(31));
    assert_eq!(block_on(r.relay.run_once()).unwrap(), 1);
    assert_eq!(*r.bus.delivered.lock().unwrap(), vec![stale]);
    assert!(r.outbox.pending().is_empty());
}

#[test]
fn a_full_batch_tells_the_caller_to_come_back_at_once() {
    let r = relay(2);
    let events: Vec<_> = (0..5)
        .map(|_| event_at(&r.clock, Duration::minutes(1)))
        .collect();
    r.outbox.append(&events);

    let counts: Vec<_> = (0..4)
        .map(|_| block_on(r.relay.run_once()).unwrap())
        .collect();

    assert_eq!(counts, [2, 2, 1, 0]);
    assert_eq!(r.relay.batch(), 2);
    assert_eq!(*r.bus.delivered.lock().unwrap(), events, "oldest first");
}

#[test]
fn delivering_after_commit_clears_only_what_the_bus_took() {
    let outbox = InMemoryOutbox::default();
    let bus = RecordingBus::default();
    let clock = FakeClock::default();
    let events = vec![
        event_at(&clock, Duration::ZERO),
        event_at(&clock, Duration::ZERO),
    ];
    outbox.append(&events);

    bus.down.store(true, Ordering::SeqCst);
    assert!(block_on(relay::deliver(&bus, &outbox, &events)).is_err());
    assert_eq!(outbox.pending(), events);

    bus.down.store(false, Ordering::SeqCst);
    block_on(relay::deliver(&bus, &outbox, &events)).unwrap();
    assert!(outbox.pending().is_empty());
    assert_eq!(*bus.delivered.lock().unwrap(), events);
}

#[test]
fn a_grace_longer_than_the_calendar_relays_nothing_and_does_not_overflow() {
    let outbox = Arc::new(InMemoryOutbox::default());
    let clock = Arc::new(FakeClock::default());
    outbox.append(&[event_at(&clock, Duration::days(365))]);
    let relay = RelayOutbox::new(
        outbox.clone(),
        Arc::new(RecordingBus::default()),
        clock,
        RelaySettings {
            grace: Duration::MAX,
            ..RelaySettings::default()
        },
    );

    assert_eq!(block_on(relay.run_once()).unwrap(), 0);
    assert_eq!(outbox.pending().len(), 1);
}
