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
    }
}
