//! Auth endpoints: one handler per file, mirroring `sakura_application::auth`.

mod change_password;
mod cookie;
mod list_sessions;
mod login;
mod logout;
mod logout_all;
mod refresh;
mod register;
mod revoke_session;
mod validate;

pub use change_password::{__path_change_password, ChangePasswordRequest, change_password};
pub use list_sessions::{__path_list_sessions, list_sessions};
pub use login::{__path_login, LoginRequest, login};
pub use logout::{__path_logout, logout};
pub use logout_all::{__path_logout_all, logout_all};
pub use refresh::{__path_refresh, RefreshRequest, refresh};
pub use register::{__path_register, RegisterRequest, register};
pub use revoke_session::{__path_revoke_session, revoke_session};
