//! Authentication use cases: one file each.

mod authenticate;
mod change_password;
mod list_sessions;
mod login;
mod logout;
mod logout_all;
mod refresh;
mod register;
mod revoke_session;
mod session_tokens;

pub use authenticate::{Authenticate, AuthenticateError, Principal};
pub use change_password::{ChangePassword, ChangePasswordCommand, ChangePasswordError};
pub use list_sessions::{ListSessions, ListSessionsError, SessionView};
pub use login::{LoginCommand, LoginError, LoginLimits, LoginUser};
pub use logout::{Logout, LogoutError, LogoutTarget};
pub use logout_all::{LogoutAll, LogoutAllError};
pub use refresh::{RefreshError, RefreshSession};
pub use register::{RegisterCommand, RegisterError, RegisterUser};
pub use revoke_session::{RevokeSession, RevokeSessionError};
pub use session_tokens::{AuthenticatedSession, SessionTokens};
