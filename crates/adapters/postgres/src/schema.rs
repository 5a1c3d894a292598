//! Diesel table definitions, mirroring `migrations/`.

diesel::table! {
    users (id) {
        id -> Uuid,
        first_name -> Text,
        last_name -> Text,
        email -> Text,
        email_normalized -> Text,
        password_hash -> Text,
        bio -> Nullable<Text>,
        city -> Nullable<Text>,
        birth_date -> Nullable<Date>,
        theme -> Text,
        privacy_profile -> Text,
        privacy_friends -> Text,
        privacy_photos -> Text,
        privacy_messages -> Text,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
        /// Generated: `lower(first_name || ' ' || last_name)`, what name search matches.
        search_name -> Text,
        /// One of the user's photos, or none.
        avatar_photo_id -> Nullable<Uuid>,
    }
}

diesel::table! {
    /// Photo metadata; the bytes live in the blob store under the two keys.
    photos (id) {
        id -> Uuid,
        owner_id -> Uuid,
        original_key -> Text,
        original_type -> Text,
        original_width -> Int4,
        original_height -> Int4,
        original_size -> Int8,
        thumbnail_key -> Text,
        thumbnail_type -> Text,
        thumbnail_width -> Int4,
        thumbnail_height -> Int4,
        thumbnail_size -> Int8,
        caption -> Nullable<Text>,
        created_at -> Timestamptz,
    }
}

diesel::table! {
    /// One row per unordered pair (`user_a < user_b`): a pending request or a friendship.
    friendships (user_a, user_b) {
        user_a -> Uuid,
        user_b -> Uuid,
        state -> Text,
        requested_by -> Uuid,
        created_at -> Timestamptz,
        friends_since -> Nullable<Timestamptz>,
    }
}

diesel::table! {
    blocks (blocker_id, blocked_id) {
        blocker_id -> Uuid,
        blocked_id -> Uuid,
        created_at -> Timestamptz,
    }
}

diesel::table! {
    notifications (id) {
        id -> Uuid,
        recipient_id -> Uuid,
        actor_id -> Uuid,
        kind -> Text,
        subject_type -> Text,
        subject_id -> Uuid,
        created_at -> Timestamptz,
        read_at -> Nullable<Timestamptz>,
    }
}

diesel::allow_tables_to_appear_in_same_query!(photos, users, friendships, blocks, notifications);

diesel::table! {
    /// Events written with their change, until the bus has them.
    event_outbox (id) {
        id -> Uuid,
        kind -> Text,
        payload -> Jsonb,
        recipients -> Array<Uuid>,
        origin_session_id -> Nullable<Uuid>,
        occurred_at -> Timestamptz,
        claimed_until -> Nullable<Timestamptz>,
    }
}

diesel::table! {
    /// Direct chats (one per pair, `direct_low < direct_high`) and groups.
    chats (id) {
        id -> Uuid,
        kind -> Text,
        title -> Nullable<Text>,
        creator_id -> Nullable<Uuid>,
        direct_low -> Nullable<Uuid>,
        direct_high -> Nullable<Uuid>,
        last_message_id -> Nullable<Uuid>,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    /// Who is in which chat, since which message, read up to which.
    chat_members (chat_id, user_id) {
        chat_id -> Uuid,
        user_id -> Uuid,
        joined_at -> Timestamptz,
        history_from -> Uuid,
        last_read_id -> Uuid,
    }
}

/// PostgreSQL's `tsvector`, which diesel does not name (only SQL reads and writes it).
#[derive(diesel::sql_types::SqlType, diesel::query_builder::QueryId)]
#[diesel(postgres_type(name = "tsvector"))]
pub struct Tsvector;

diesel::table! {
    use diesel::sql_types::*;
    use super::Tsvector;

    /// Chat messages, keyed by chat and id.
    messages (chat_id, id) {
        chat_id -> Uuid,
        id -> Uuid,
        sender_id -> Uuid,
        text -> Nullable<Text>,
        client_id -> Nullable<Text>,
        reply_to_id -> Nullable<Uuid>,
        created_at -> Timestamptz,
        edited_at -> Nullable<Timestamptz>,
        deleted_at -> Nullable<Timestamptz>,
        /// The search terms; written through SQL only.
        search -> Nullable<Tsvector>,
    }
}

diesel::table! {
    /// The photos of a message, in order.
    message_photos (chat_id, message_id, position) {
        chat_id -> Uuid,
        message_id -> Uuid,
        position -> Int2,
        photo_id -> Uuid,
    }
}

diesel::table! {
    /// One reaction per member and message.
    message_reactions (chat_id, message_id, user_id) {
        chat_id -> Uuid,
        message_id -> Uuid,
        user_id -> Uuid,
        emoji -> Text,
        reacted_at -> Timestamptz,
    }
}
