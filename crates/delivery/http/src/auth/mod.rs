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

pub use change_password::{ChangePasswordRequest, __path_change_password, change_password};
pub use list_sessions::{__path_list_sessions, list_sessions};
pub use login::{LoginRequest, __path_login, login};
pub use logout::{__path_logout, logout};
pub use logout_all::{__path_logout_all, logout_all};
pub use refresh::{RefreshRequest, __path_refresh, refresh};
pub use register::{RegisterRequest, __path_register, register};
pub use revoke_session::{__path_revoke_session, revoke_session};
