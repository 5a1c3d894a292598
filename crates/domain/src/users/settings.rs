//! What a user chose: the look of the app and who may see and reach them.

use std::fmt;
use std::str::FromStr;

use thiserror::Error;

/// A value that names no known setting option.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("unknown value {0:?}")]
pub struct UnknownSettingValue(pub String);

macro_rules! string_enum {
    ($(#[$doc:meta])* $name:ident { $($(#[$vdoc:meta])* $variant:ident => $text:literal),+ $(,)? }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
        pub enum $name {
            $($(#[$vdoc])* $variant),+
        }

        impl $name {
            /// Every option, in the order a client would list them.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The wire and storage spelling.
            pub const fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $text),+
                }
            }
        }

        impl FromStr for $name {
            type Err = UnknownSettingValue;

            fn from_str(s: &str) -> Result<Self, Self::Err> {
                match s {
                    $($text => Ok($name::$variant),)+
                    other => Err(UnknownSettingValue(other.to_owned())),
                }
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

string_enum!(
    /// The colour theme of the app, kept on the server so every device agrees.
    Theme {
        /// Dark text on light backgrounds (the default).
        #[default]
        Light => "light",
        /// Light text on dark backgrounds.
        Dark => "dark",
    }
);

string_enum!(
    /// Who may see a part of a profile.
    PrivacyLevel {
        /// Anyone signed in (the default).
        #[default]
        Everyone => "everyone",
        /// Only friends.
        Friends => "friends",
    }
);

string_enum!(
    /// Who may start a conversation with a user.
    MessagesPrivacy {
        /// Anyone signed in (the default).
        #[default]
        Everyone => "everyone",
        /// Only friends.
        Friends => "friends",
        /// No one.
        Nobody => "nobody",
    }
);

/// Who may see what of a user's page and who may write to them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Privacy {
    /// Bio, city, birth date.
    pub profile: PrivacyLevel,
    /// The friends list.
    pub friends: PrivacyLevel,
    /// The photos.
    pub photos: PrivacyLevel,
    /// Direct messages and being added to chats.
    pub messages: MessagesPrivacy,
}

/// A user's settings, stored on the server.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Settings {
    /// The colour theme.
    pub theme: Theme,
    /// Privacy choices.
    pub privacy: Privacy,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn options_round_trip_through_their_spelling() {
        for theme in Theme::ALL {
            assert_eq!(theme.as_str().parse::<Theme>().unwrap(), *theme);
        }
        for level in MessagesPrivacy::ALL {
            assert_eq!(level.as_str().parse::<MessagesPrivacy>().unwrap(), *level);
        }
    }

    #[test]
    fn nobody_is_only_a_messages_option() {
        assert!("nobody".parse::<PrivacyLevel>().is_err());
        assert_eq!(
            "nobody".parse::<MessagesPrivacy>().unwrap(),
            MessagesPrivacy::Nobody
        );
    }

    #[test]
    fn defaults_are_light_and_open() {
        let settings = Settings::default();
        assert_eq!(settings.theme, Theme::Light);
        assert_eq!(settings.privacy.profile, PrivacyLevel::Everyone);
        assert_eq!(settings.privacy.messages, MessagesPrivacy::Everyone);
    }
}
