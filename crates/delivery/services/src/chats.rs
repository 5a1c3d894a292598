//! The messenger feature: chats, members, messages, reactions, read markers and search.

use sakura_application::chats::{
    ChangeGroup, CreateDirectChat, CreateGroup, DeleteMessage, EditMessage, GetChat, ListChats,
    ListMessages, MarkChatRead, ReactToMessage, SearchMessages, SendMessage,
};

/// The use cases of the messenger endpoints (and, with realtime, of the socket's frames).
pub struct ChatServices {
    /// Open the direct chat with someone.
    pub create_direct: CreateDirectChat,
    /// Create a group.
    pub create_group: CreateGroup,
    /// Read a chat.
    pub get_chat: GetChat,
    /// My chats.
    pub list_chats: ListChats,
    /// Rename a group, add, remove or leave.
    pub change_group: ChangeGroup,
    /// Send a message.
    pub send_message: SendMessage,
    /// A chat's history.
    pub list_messages: ListMessages,
    /// Edit a message.
    pub edit_message: EditMessage,
    /// Delete a message.
    pub delete_message: DeleteMessage,
    /// Put or remove a reaction.
    pub react: ReactToMessage,
    /// Move my read marker.
    pub mark_read: MarkChatRead,
    /// Search messages.
    pub search: SearchMessages,
}
