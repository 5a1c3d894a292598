//! Block endpoints: one handler per file, mirroring `sakura_application::blocks`.

mod block_user;
mod list_blocks;
mod unblock_user;

pub use block_user::{__path_block_user, block_user};
pub use list_blocks::{__path_list_blocks, list_blocks};
pub use unblock_user::{__path_unblock_user, unblock_user};
