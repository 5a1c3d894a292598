//! Block use cases: one file each.

mod block_user;
mod list_blocks;
mod unblock_user;

pub use block_user::{BlockError, BlockUser};
pub use list_blocks::{BlockedUser, ListBlocks};
pub use unblock_user::{UnblockError, UnblockUser};
