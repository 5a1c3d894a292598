//! Chats and messages: what a title, a text, a client id and a reaction may be, and who may
//! write to whom.
//!
//! - [`ChatTitle`], [`MessageText`], [`ClientId`], [`Emoji`]: parsed values; a value that exists
//!   is a valid one.
//! - [`may_message`]: the `messages` privacy setting and blocks, judged between two people.
//! - [`search`]: how a text is cut into the words search finds it by.

pub mod search;

use std::fmt;

use thiserror::Error;
use unicode_segmentation::UnicodeSegmentation;

use crate::users::{MessagesPrivacy, has_control_characters};

/// Most members a group may have, its creator included.
pub const MAX_GROUP_MEMBERS: usize = 500;
/// Most photos one message may carry.
pub const MAX_MESSAGE_PHOTOS: usize = 10;
/// Most distinct emoji the reactions of one message may use.
pub const MAX_DISTINCT_REACTIONS: usize = 20;
/// How much of the answered message a reply shows, in characters.
pub const REPLY_EXCERPT_CHARS: usize = 200;

/// A direct chat (two people, one per pair) or a group.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ChatKind {
    /// Between two people; it has no title and no creator.
    Direct,
    /// A titled group of 2–500 members with a creator.
    Group,
}

impl ChatKind {
    /// The wire and storage spelling.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Direct => "direct",
            Self::Group => "group",
        }
    }

    /// Reads the stored spelling back.
    pub fn parse(raw: &str) -> Option<Self> {
        match raw {
            "direct" => Some(Self::Direct),
            "group" => Some(Self::Group),
            _ => None,
        }
    }
}

/// Why a text (a title or a message) is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Error)]
pub enum TextError {
    /// Nothing left after trimming.
    #[error("must not be empty")]
    Empty,
    /// Longer than the limit, in characters, after trimming.
    #[error("must be at most {0} characters")]
    TooLong(usize),
    /// NUL or another control character (line breaks and tabs are fine).
    #[error("must not contain control characters")]
    ControlCharacter,
}

/// Trims `raw` and checks it holds 1..=`max` characters and no control characters.
fn parse_text(raw: &str, max: usize) -> Result<String, TextError> {
    let text = raw.trim();
    if text.is_empty() {
        return Err(TextError::Empty);
    }
    if text.chars().count() > max {
        return Err(TextError::TooLong(max));
    }
    if has_control_characters(text) {
        return Err(TextError::ControlCharacter);
    }
    Ok(text.to_owned())
}

/// A group's title: trimmed, 1–100 characters in any script, one line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChatTitle(String);

impl ChatTitle {
    /// Longest title, in characters.
    pub const MAX_CHARS: usize = 100;

    /// Parses a title.
    pub fn parse(raw: &str) -> Result<Self, TextError> {
        let title = parse_text(raw, Self::MAX_CHARS)?;
        // A title is shown on one line: a line break inside is a control character here.
        if title.contains(['\n', '\r', '\t']) {
            return Err(TextError::ControlCharacter);
        }
        Ok(Self(title))
    }

    /// The title.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A message's text: trimmed, 1–4,000 characters, otherwise exactly as written (emoji, any
/// script, line breaks inside).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MessageText(String);

impl MessageText {
    /// Longest text, in characters.
    pub const MAX_CHARS: usize = 4000;

    /// Parses a text.
    pub fn parse(raw: &str) -> Result<Self, TextError> {
        parse_text(raw, Self::MAX_CHARS).map(Self)
    }

    /// The text.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Its first [`REPLY_EXCERPT_CHARS`] characters, as a reply shows it.
    pub fn excerpt(&self) -> &str {
        match self.0.char_indices().nth(REPLY_EXCERPT_CHARS) {
            Some((end, _)) => &self.0[..end],
            None => &self.0,
        }
    }
}

/// The id a client gives a message so that a retry of the send is recognised: 1–64 characters,
/// no control characters, compared exactly.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ClientId(String);

/// Why a client id is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Error)]
pub enum ClientIdError {
    /// Empty.
    #[error("must not be empty")]
    Empty,
    /// Over 64 characters.
    #[error("must be at most 64 characters")]
    TooLong,
    /// Control characters or surrounding spaces.
    #[error("must not contain control characters or surrounding spaces")]
    Malformed,
}

impl ClientId {
    /// Longest client id, in characters.
    pub const MAX_CHARS: usize = 64;

    /// Parses a client id (not trimmed: it is the client's key, so spaces around it are refused
    /// rather than silently changed).
    pub fn parse(raw: &str) -> Result<Self, ClientIdError> {
        if raw.is_empty() {
            return Err(ClientIdError::Empty);
        }
        if raw.chars().count() > Self::MAX_CHARS {
            return Err(ClientIdError::TooLong);
        }
        if raw.chars().any(char::is_control) || raw.trim() != raw {
            return Err(ClientIdError::Malformed);
        }
        Ok(Self(raw.to_owned()))
    }

    /// The id.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Exactly one emoji: one grapheme cluster that Unicode lists as an emoji (skin tones, the
/// emoji presentation selector, ZWJ sequences, keycaps and flags included). Stored in its fully
/// qualified form, so `❤` and `❤️` are the same reaction.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Emoji(String);

/// Why a reaction is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Error)]
#[error("must be exactly one emoji")]
pub struct EmojiError;

impl Emoji {
    /// Parses one emoji.
    pub fn parse(raw: &str) -> Result<Self, EmojiError> {
        if raw.graphemes(true).count() != 1 {
            return Err(EmojiError);
        }
        let strip = |s: &str| -> String { s.chars().filter(|&c| c != '\u{FE0F}').collect() };
        let known = emojis::get(raw).or_else(|| {
            // A minimally qualified form (no VS16 where one belongs) names the same emoji; the
            // match must differ by VS16 alone ("1" is not the keycap "1️⃣").
            let bare = strip(raw);
            emojis::get(&bare)
                .or_else(|| emojis::get(&format!("{bare}\u{FE0F}")))
                .filter(|emoji| strip(emoji.as_str()) == bare)
        });
        known
            .map(|emoji| Self(emoji.as_str().to_owned()))
            .ok_or(EmojiError)
    }

    /// The emoji.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Emoji {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// How two people stand, as far as writing to each other goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReachFacts {
    /// The recipient's `messages` privacy setting.
    pub messages: MessagesPrivacy,
    /// Whether the two are friends.
    pub friends: bool,
    /// Whether either blocked the other.
    pub blocked: bool,
}

/// Why someone may not write to (or add) someone else.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Error)]
pub enum Unreachable {
    /// A block, in either direction.
    #[error("one of you blocked the other")]
    Blocked,
    /// The recipient's `messages` setting.
    #[error("their privacy settings do not allow it")]
    PrivacyRestricted,
}

/// Whether a direct chat with (or adding to a group) someone standing as `facts` say is allowed:
/// a block refuses it, then their `messages` setting (`nobody`, or `friends` while we are not).
pub fn may_message(facts: ReachFacts) -> Result<(), Unreachable> {
    if facts.blocked {
        return Err(Unreachable::Blocked);
    }
    match facts.messages {
        MessagesPrivacy::Everyone => Ok(()),
        MessagesPrivacy::Friends if facts.friends => Ok(()),
        MessagesPrivacy::Friends | MessagesPrivacy::Nobody => Err(Unreachable::PrivacyRestricted),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles_are_trimmed_any_script_and_one_line_of_at_most_100_characters() {
        assert_eq!(ChatTitle::parse("  桜 team ").unwrap().as_str(), "桜 team");
        assert!(ChatTitle::parse(&"я".repeat(100)).is_ok());
        assert_eq!(
            ChatTitle::parse(&"я".repeat(101)),
            Err(TextError::TooLong(100))
        );
        assert_eq!(ChatTitle::parse("   "), Err(TextError::Empty));
        assert_eq!(
            ChatTitle::parse("two\nlines"),
            Err(TextError::ControlCharacter)
        );
    }

    #[test]
    fn message_texts_keep_every_byte_inside_the_trim_and_refuse_control_characters() {
        let text = "  Привет 👋🏽\n東京 é\u{301}  ";
        assert_eq!(
            MessageText::parse(text).unwrap().as_str(),
            "Привет 👋🏽\n東京 é\u{301}"
        );
        assert!(MessageText::parse(&"😀".repeat(4000)).is_ok());
        assert_eq!(
            MessageText::parse(&"a".repeat(4001)),
            Err(TextError::TooLong(4000))
        );
        assert_eq!(
            MessageText::parse("a\u{0}b"),
            Err(TextError::ControlCharacter)
        );
        assert_eq!(
            MessageText::parse("a\u{1b}[31m"),
            Err(TextError::ControlCharacter)
        );
        assert_eq!(MessageText::parse(" \n\t "), Err(TextError::Empty));
    }

    #[test]
    fn an_excerpt_is_the_first_200_characters_not_bytes() {
        let long = MessageText::parse(&"桜".repeat(300)).unwrap();
        assert_eq!(long.excerpt().chars().count(), 200);
        let short = MessageText::parse("hi").unwrap();
        assert_eq!(short.excerpt(), "hi");
    }

    #[test]
    fn client_ids_are_1_to_64_characters_taken_as_given() {
        assert!(ClientId::parse("c-1").is_ok());
        assert!(ClientId::parse(&"x".repeat(64)).is_ok());
        assert_eq!(
            ClientId::parse(&"x".repeat(65)),
            Err(ClientIdError::TooLong)
        );
        assert_eq!(ClientId::parse(""), Err(ClientIdError::Empty));
        assert_eq!(ClientId::parse(" a"), Err(ClientIdError::Malformed));
        assert_eq!(ClientId::parse("a\u{0}"), Err(ClientIdError::Malformed));
    }

    #[test]
    fn one_emoji_of_any_shape_is_a_reaction_and_anything_else_is_not() {
        for emoji in ["👍", "👍🏽", "❤️", "👨‍👩‍👧‍👦", "🇯🇵", "1️⃣", "🏳️‍🌈"]
        {
            assert_eq!(Emoji::parse(emoji).unwrap().as_str(), emoji, "{emoji}");
        }
        assert_eq!(Emoji::parse("❤").unwrap().as_str(), "❤️");
        for text in ["", "a", "ab", "😀😀", ":)", "👍 ", "1", "#"] {
            assert_eq!(Emoji::parse(text), Err(EmojiError), "{text:?}");
        }
    }

    #[test]
    fn a_block_refuses_first_then_the_messages_setting() {
        let facts = |messages, friends, blocked| ReachFacts {
            messages,
            friends,
            blocked,
        };
        assert_eq!(
            may_message(facts(MessagesPrivacy::Everyone, true, true)),
            Err(Unreachable::Blocked)
        );
        assert_eq!(
            may_message(facts(MessagesPrivacy::Everyone, false, false)),
            Ok(())
        );
        assert_eq!(
            may_message(facts(MessagesPrivacy::Friends, true, false)),
            Ok(())
        );
        assert_eq!(
            may_message(facts(MessagesPrivacy::Friends, false, false)),
            Err(Unreachable::PrivacyRestricted)
        );
        assert_eq!(
            may_message(facts(MessagesPrivacy::Nobody, true, false)),
            Err(Unreachable::PrivacyRestricted)
        );
    }
}
