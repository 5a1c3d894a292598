//! The blocks feature.

use sakura_application::blocks::{BlockUser, ListBlocks, UnblockUser};

/// The use cases of the block endpoints.
pub struct BlockServices {
    /// Block someone.
    pub block_user: BlockUser,
    /// Unblock someone.
    pub unblock_user: UnblockUser,
    /// My blocks.
    pub list_blocks: ListBlocks,
}
