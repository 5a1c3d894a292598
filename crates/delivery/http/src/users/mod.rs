//! User endpoints: one handler per file, mirroring `sakura_application::users`.

mod get_me;

pub use get_me::{__path_get_me, get_me};
