//! The auth feature: accounts, tokens and sessions.

use sakura_application::auth::{
    ChangePassword, ListSessions, LoginUser, Logout, LogoutAll, RefreshSession, RegisterUser,
    RevokeSession,
};
use sakura_application::users::GetMe;

/// The use cases of the auth endpoints.
pub struct AuthServices {
    /// Sign up.
    pub register: RegisterUser,
    /// Log in.
    pub login: LoginUser,
    /// Rotate a refresh token.
    pub refresh: RefreshSession,
    /// Log out of one device.
    pub logout: Logout,
    /// Log out everywhere.
    pub logout_all: LogoutAll,
    /// List sessions.
    pub list_sessions: ListSessions,
    /// Revoke one session.
    pub revoke_session: RevokeSession,
    /// Change the password.
    pub change_password: ChangePassword,
    /// A token answer shows the user as `GET /users/me` would.
    pub get_me: GetMe,
}
