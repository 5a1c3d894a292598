//! What handlers share: the use cases and the machinery around them.

use std::sync::Arc;

use sakura_application::auth::{
    Authenticate, ChangePassword, ListSessions, LoginUser, Logout, LogoutAll, RefreshSession,
    RegisterUser, RevokeSession,
};
use sakura_application::ports::DependencyProbe;
use sakura_application::users::GetMe;

use crate::telemetry::Metrics;

/// Everything the HTTP handlers need, built once by the server.
pub struct AppState {
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
    /// Check access tokens.
    pub authenticate: Authenticate,
    /// Read my profile.
    pub get_me: GetMe,
    /// Readiness probes of the dependencies.
    pub probes: Vec<Arc<dyn DependencyProbe>>,
    /// HTTP metrics.
    pub metrics: Arc<Metrics>,
    /// Whether `X-Forwarded-For` comes from a trusted proxy.
    pub trust_proxy: bool,
    /// Whether the refresh cookie is marked `Secure` (always, except for local plain-HTTP dev).
    pub secure_cookies: bool,
}
