//! Auth use cases against in-memory fakes of the ports.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::net::{IpAddr, Ipv4Addr};

use futures_executor::block_on;
use sakura_application::auth::*;
use sakura_application::events::DomainEvent;
use sakura_application::ports::SessionStore;
use sakura_application::testing::AuthWorld;
use sakura_domain::auth::Password;
use sakura_domain::users::{Email, PersonName};

fn register_command(email: &str) -> RegisterCommand {
    RegisterCommand {
        first_name: PersonName::parse("Aiko").unwrap(),
        last_name: PersonName::parse("Tanaka").unwrap(),
        email: Email::parse(email).unwrap(),
        password: Password::parse("katana123").unwrap(),
        user_agent: Some("test-agent".into()),
    }
}

fn login_command(email: &str, password: &str) -> LoginCommand {
    LoginCommand {
        email: email.into(),
        password: password.into(),
        ip: Some(IpAddr::V4(Ipv4Addr::LOCALHOST)),
        user_agent: None,
    }
}

fn principal_of(world: &AuthWorld, session: &AuthenticatedSession) -> Principal {
    block_on(world.authenticate().execute(&session.access_token)).unwrap()
}

#[test]
fn registering_opens_a_session_that_authenticates() -> anyhow::Result<()> {
    let world = AuthWorld::default();
    let session = block_on(
        world
            .register()
            .execute(register_command("aiko@example.com")),
    )?;
    let principal = principal_of(&world, &session);
    assert_eq!(principal.user_id, session.user.id);
    assert_eq!(principal.session_id, session.session_id);
    Ok(())
}

#[test]
fn registering_an_email_taken_in_another_case_is_refused() -> anyhow::Result<()> {
    let world = AuthWorld::default();
    block_on(
        world
            .register()
            .execute(register_command("aiko@example.com")),
    )?;
    let second = block_on(
        world
            .register()
            .execute(register_command("AIKO@Example.com")),
    );
    assert!(matches!(second, Err(RegisterError::EmailTaken)));
    Ok(())
}

#[test]
fn logging_in_with_the_right_password_in_any_email_case_works() -> anyhow::Result<()> {
    let world = AuthWorld::default();
    block_on(
        world
            .register()
            .execute(register_command("aiko@example.com")),
    )?;
    let session = block_on(
        world
            .login()
            .execute(login_command(" AIKO@example.com ", "katana123")),
    )?;
    assert_eq!(session.user.email.as_str(), "aiko@example.com");
    Ok(())
}

#[test]
fn an_unknown_email_and_a_wrong_password_fail_alike_and_both_run_the_hasher() -> anyhow::Result<()>
{
    let world = AuthWorld::default();
    block_on(
        world
            .register()
            .execute(register_command("aiko@example.com")),
    )?;
    let unknown = block_on(
        world
            .login()
            .execute(login_command("nobody@example.com", "katana123")),
    );
    let wrong = block_on(
        world
            .login()
            .execute(login_command("aiko@example.com", "wrong1234")),
    );
    assert!(matches!(unknown, Err(LoginError::InvalidCredentials)));
    assert!(matches!(wrong, Err(LoginError::InvalidCredentials)));
    assert_eq!(*world.hasher.verifications.lock().unwrap(), 2);
    Ok(())
}

#[test]
fn repeated_failures_for_one_email_are_rate_limited_even_with_the_right_password()
-> anyhow::Result<()> {
    let world = AuthWorld::default();
    block_on(
        world
            .register()
            .execute(register_command("aiko@example.com")),
    )?;
    for _ in 0..world.limits.per_email {
        let failed = block_on(
            world
                .login()
                .execute(login_command("aiko@example.com", "wrong1234")),
        );
        assert!(matches!(failed, Err(LoginError::InvalidCredentials)));
    }
    let limited = block_on(
        world
            .login()
            .execute(login_command("aiko@example.com", "katana123")),
    );
    assert!(matches!(limited, Err(LoginError::RateLimited { .. })));
    Ok(())
}

#[test]
fn a_success_clears_earlier_failures_of_the_email() -> anyhow::Result<()> {
    let world = AuthWorld::default();
    block_on(
        world
            .register()
            .execute(register_command("aiko@example.com")),
    )?;
    for _ in 0..world.limits.per_email - 1 {
        let _ = block_on(
            world
                .login()
                .execute(login_command("aiko@example.com", "wrong1234")),
        );
    }
    block_on(
        world
            .login()
            .execute(login_command("aiko@example.com", "katana123")),
    )?;
    for _ in 0..world.limits.per_email - 1 {
        let _ = block_on(
            world
                .login()
                .execute(login_command("aiko@example.com", "wrong1234")),
        );
    }
    block_on(
        world
            .login()
            .execute(login_command("aiko@example.com", "katana123")),
    )?;
    Ok(())
}

#[test]
fn login_answers_unavailable_when_the_session_store_is_down() -> anyhow::Result<()> {
    let world = AuthWorld::default();
    block_on(
        world
            .register()
            .execute(register_command("aiko@example.com")),
    )?;
    world.limiter.outage.set(true);
    world.sessions.outage.set(true);
    let result = block_on(
        world
            .login()
            .execute(login_command("aiko@example.com", "katana123")),
    );
    assert!(matches!(result, Err(LoginError::Unavailable(_))));
    Ok(())
}

#[test]
fn refreshing_rotates_the_token_and_keeps_the_session() -> anyhow::Result<()> {
    let world = AuthWorld::default();
    let first = block_on(
        world
            .register()
            .execute(register_command("aiko@example.com")),
    )?;
    let second = block_on(world.refresh_session().execute(&first.refresh_token))?;
    assert_ne!(second.refresh_token, first.refresh_token);
    assert_eq!(second.session_id, first.session_id);
    let third = block_on(world.refresh_session().execute(&second.refresh_token))?;
    assert_eq!(third.session_id, first.session_id);
    Ok(())
}

#[test]
fn a_rotated_out_refresh_token_presented_again_revokes_the_session() -> anyhow::Result<()> {
    let world = AuthWorld::default();
    let first = block_on(
        world
            .register()
            .execute(register_command("aiko@example.com")),
    )?;
    let second = block_on(world.refresh_session().execute(&first.refresh_token))?;
    world.events.take();

    let reused = block_on(world.refresh_session().execute(&first.refresh_token));
    assert!(matches!(reused, Err(RefreshError::Reused)));
    // The thief's and the owner's newest tokens are both dead now.
    let after = block_on(world.refresh_session().execute(&second.refresh_token));
    assert!(matches!(after, Err(RefreshError::Invalid)));
    let access = block_on(world.authenticate().execute(&second.access_token));
    assert_eq!(access, Err(AuthenticateError::Revoked));
    assert_eq!(
        world.events.take(),
        vec![DomainEvent::SessionsRevoked {
            user_id: first.user.id,
            session_ids: vec![first.session_id]
        }]
    );
    Ok(())
}

#[test]
fn garbage_refresh_tokens_are_invalid() {
    let world = AuthWorld::default();
    let result = block_on(world.refresh_session().execute("garbage"));
    assert!(matches!(result, Err(RefreshError::Invalid)));
}

#[test]
fn logging_out_revokes_only_that_session() -> anyhow::Result<()> {
    let world = AuthWorld::default();
    let phone = block_on(
        world
            .register()
            .execute(register_command("aiko@example.com")),
    )?;
    let laptop = block_on(
        world
            .login()
            .execute(login_command("aiko@example.com", "katana123")),
    )?;
    let target = LogoutTarget::Session {
        user_id: phone.user.id,
        session_id: phone.session_id,
    };
    block_on(world.logout().execute(target))?;

    assert_eq!(
        block_on(world.authenticate().execute(&phone.access_token)),
        Err(AuthenticateError::Revoked)
    );
    assert!(block_on(world.authenticate().execute(&laptop.access_token)).is_ok());
    assert!(matches!(
        block_on(world.refresh_session().execute(&phone.refresh_token)),
        Err(RefreshError::Invalid)
    ));
    Ok(())
}

#[test]
fn logging_out_with_only_a_refresh_token_works_and_a_bad_one_is_refused() -> anyhow::Result<()> {
    let world = AuthWorld::default();
    let session = block_on(
        world
            .register()
            .execute(register_command("aiko@example.com")),
    )?;
    let bad = block_on(
        world
            .logout()
            .execute(LogoutTarget::RefreshToken("nope".into())),
    );
    assert!(matches!(bad, Err(LogoutError::InvalidRefreshToken)));
    block_on(
        world
            .logout()
            .execute(LogoutTarget::RefreshToken(session.refresh_token.clone())),
    )?;
    assert!(!block_on(
        world.sessions.exists(session.user.id, session.session_id)
    )?);
    Ok(())
}

#[test]
fn logout_all_revokes_every_session() -> anyhow::Result<()> {
    let world = AuthWorld::default();
    let phone = block_on(
        world
            .register()
            .execute(register_command("aiko@example.com")),
    )?;
    let laptop = block_on(
        world
            .login()
            .execute(login_command("aiko@example.com", "katana123")),
    )?;
    block_on(world.logout_all().execute(phone.user.id.into()))?;
    for session in [&phone, &laptop] {
        assert_eq!(
            block_on(world.authenticate().execute(&session.access_token)),
            Err(AuthenticateError::Revoked)
        );
    }
    Ok(())
}

#[test]
fn the_sessions_list_marks_the_current_one() -> anyhow::Result<()> {
    let world = AuthWorld::default();
    let phone = block_on(
        world
            .register()
            .execute(register_command("aiko@example.com")),
    )?;
    let laptop = block_on(
        world
            .login()
            .execute(login_command("aiko@example.com", "katana123")),
    )?;
    let list = block_on(
        world
            .list_sessions()
            .execute(&principal_of(&world, &laptop)),
    )?;
    assert_eq!(list.len(), 2);
    let current: Vec<_> = list.iter().filter(|v| v.current).collect();
    assert_eq!(current.len(), 1);
    assert_eq!(current[0].session.id, laptop.session_id);
    assert!(
        list.iter()
            .any(|v| v.session.id == phone.session_id && !v.current)
    );
    Ok(())
}

#[test]
fn revoking_someone_elses_session_is_not_found() -> anyhow::Result<()> {
    let world = AuthWorld::default();
    let aiko = block_on(
        world
            .register()
            .execute(register_command("aiko@example.com")),
    )?;
    let ren = block_on(
        world
            .register()
            .execute(register_command("ren@example.com")),
    )?;
    let result = block_on(
        world
            .revoke_session()
            .execute(&principal_of(&world, &aiko), ren.session_id),
    );
    assert!(matches!(result, Err(RevokeSessionError::NotFound)));
    assert!(block_on(world.authenticate().execute(&ren.access_token)).is_ok());
    Ok(())
}

#[test]
fn changing_the_password_keeps_this_session_and_revokes_the_others() -> anyhow::Result<()> {
    let world = AuthWorld::default();
    let phone = block_on(
        world
            .register()
            .execute(register_command("aiko@example.com")),
    )?;
    let laptop = block_on(
        world
            .login()
            .execute(login_command("aiko@example.com", "katana123")),
    )?;
    let command = ChangePasswordCommand {
        current_password: "katana123".into(),
        new_password: Password::parse("wakizashi456")?,
    };
    block_on(
        world
            .change_password()
            .execute(&principal_of(&world, &laptop), command),
    )?;

    assert!(block_on(world.authenticate().execute(&laptop.access_token)).is_ok());
    assert_eq!(
        block_on(world.authenticate().execute(&phone.access_token)),
        Err(AuthenticateError::Revoked)
    );
    assert!(
        block_on(
            world
                .login()
                .execute(login_command("aiko@example.com", "wakizashi456"))
        )
        .is_ok()
    );
    assert!(matches!(
        block_on(
            world
                .login()
                .execute(login_command("aiko@example.com", "katana123"))
        ),
        Err(LoginError::InvalidCredentials)
    ));
    Ok(())
}

#[test]
fn a_wrong_current_password_changes_nothing() -> anyhow::Result<()> {
    let world = AuthWorld::default();
    let phone = block_on(
        world
            .register()
            .execute(register_command("aiko@example.com")),
    )?;
    let laptop = block_on(
        world
            .login()
            .execute(login_command("aiko@example.com", "katana123")),
    )?;
    let command = ChangePasswordCommand {
        current_password: "wrong1234".into(),
        new_password: Password::parse("wakizashi456")?,
    };
    let result = block_on(
        world
            .change_password()
            .execute(&principal_of(&world, &laptop), command),
    );
    assert!(matches!(result, Err(ChangePasswordError::WrongPassword)));
    assert!(block_on(world.authenticate().execute(&phone.access_token)).is_ok());
    assert!(
        block_on(
            world
                .login()
                .execute(login_command("aiko@example.com", "katana123"))
        )
        .is_ok()
    );
    Ok(())
}

#[test]
fn authentication_survives_a_session_store_outage() -> anyhow::Result<()> {
    let world = AuthWorld::default();
    let session = block_on(
        world
            .register()
            .execute(register_command("aiko@example.com")),
    )?;
    world.sessions.outage.set(true);
    assert!(block_on(world.authenticate().execute(&session.access_token)).is_ok());
    Ok(())
}

#[test]
fn malformed_access_tokens_are_invalid() {
    let world = AuthWorld::default();
    assert_eq!(
        block_on(world.authenticate().execute("x.y")),
        Err(AuthenticateError::Invalid)
    );
}

#[test]
fn a_sign_up_that_cannot_open_a_session_leaves_no_account_behind() -> anyhow::Result<()> {
    let world = AuthWorld::default();
    world.sessions.outage.set(true);
    let failed = block_on(
        world
            .register()
            .execute(register_command("aiko@example.com")),
    );
    assert!(matches!(failed, Err(RegisterError::Unavailable(_))));
    world.sessions.outage.set(false);
    block_on(
        world
            .register()
            .execute(register_command("aiko@example.com")),
    )?;
    Ok(())
}
