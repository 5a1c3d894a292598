DROP TABLE message_reactions;
DROP TABLE message_photos;
DROP TABLE messages;
DROP TABLE chat_members;
DROP TABLE chats;
