//! How message text is cut into the terms search finds it by, and a query into the terms it
//! looks for.
//!
//! Words are split at Unicode word boundaries (UAX #29) and lower-cased, so Latin, Cyrillic,
//! Greek or Arabic words match whatever their case, and a query word matches every word it
//! begins (a prefix). Scripts written without spaces (Chinese, Japanese kana and kanji, Thai,
//! Lao, Khmer, Myanmar) have no words to split at: there each character and each pair of
//! neighbouring characters is a term, and a query matches when every pair it types (or its
//! single character) is in the text — "北京" finds "我爱北京天安门" without a dictionary.

use std::collections::BTreeSet;

use unicode_segmentation::UnicodeSegmentation;

/// Longest term, in characters: longer words are cut (and so are query words, the same way),
/// which keeps every term far below the index's size limit for one entry.
pub const MAX_TERM_CHARS: usize = 64;

/// One term a query looks for.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct QueryTerm {
    /// The term, as [`index_terms`] writes it.
    pub text: String,
    /// Whether it matches every term it begins (a typed word) or only itself (characters of a
    /// script without spaces).
    pub prefix: bool,
}

/// Whether `c` belongs to a script written without spaces between words.
fn without_spaces(c: char) -> bool {
    matches!(c as u32,
        0x0E00..=0x0EFF        // Thai, Lao
        | 0x1000..=0x109F      // Myanmar
        | 0x1780..=0x17FF      // Khmer
        | 0x3040..=0x30FF      // Hiragana, Katakana
        | 0x31F0..=0x31FF      // Katakana extensions
        | 0x3400..=0x4DBF      // CJK extension A
        | 0x4E00..=0x9FFF      // CJK unified ideographs
        | 0xF900..=0xFAFF      // CJK compatibility ideographs
        | 0xFF66..=0xFF9F      // half-width Katakana
        | 0x20000..=0x3134F    // CJK extensions B–G
    )
}

fn cut(term: &str) -> String {
    term.chars().take(MAX_TERM_CHARS).collect()
}

/// The text split into runs of characters of scripts without spaces and the rest (where words
/// are found by their boundaries), lower-cased.
fn split(text: &str) -> (Vec<Vec<char>>, String) {
    let lower = text.to_lowercase();
    let mut runs = Vec::new();
    let mut run = Vec::new();
    let mut rest = String::with_capacity(lower.len());
    for c in lower.chars() {
        if without_spaces(c) {
            run.push(c);
            rest.push(' ');
        } else {
            if !run.is_empty() {
                runs.push(std::mem::take(&mut run));
            }
            rest.push(c);
        }
    }
    if !run.is_empty() {
        runs.push(run);
    }
    (runs, rest)
}

/// The terms a text is found by, each once, sorted.
pub fn index_terms(text: &str) -> Vec<String> {
    let (runs, rest) = split(text);
    let mut terms = BTreeSet::new();
    for run in &runs {
        for c in run {
            terms.insert(c.to_string());
        }
        for pair in run.windows(2) {
            terms.insert(pair.iter().collect());
        }
    }
    for word in rest.unicode_words() {
        terms.insert(cut(word));
    }
    terms.into_iter().collect()
}

/// The terms a query looks for, all of which must match; empty when the query has no word in it
/// (only spaces or punctuation).
pub fn query_terms(query: &str) -> Vec<QueryTerm> {
    let (runs, rest) = split(query);
    let mut terms = BTreeSet::new();
    for run in &runs {
        if run.len() == 1 {
            terms.insert(QueryTerm {
                text: run[0].to_string(),
                prefix: false,
            });
        }
        for pair in run.windows(2) {
            terms.insert(QueryTerm {
                text: pair.iter().collect(),
                prefix: false,
            });
        }
    }
    for word in rest.unicode_words() {
        terms.insert(QueryTerm {
            text: cut(word),
            prefix: true,
        });
    }
    terms.into_iter().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn matches(text: &str, query: &str) -> bool {
        let terms = index_terms(text);
        let wanted = query_terms(query);
        !wanted.is_empty()
            && wanted.iter().all(|q| {
                terms.iter().any(|t| {
                    if q.prefix {
                        t.starts_with(&q.text)
                    } else {
                        *t == q.text
                    }
                })
            })
    }

    #[test]
    fn words_match_by_their_beginning_whatever_the_case_or_script() {
        assert!(matches("Hello, world!", "hel"));
        assert!(matches("Hello, world!", "WORLD hello"));
        assert!(matches("Привет, как дела?", "прив"));
        assert!(matches("Καλημέρα", "καλη"));
        assert!(!matches("Hello, world!", "ello"));
        assert!(!matches("Hello, world!", "hello moon"));
    }

    #[test]
    fn scripts_without_spaces_match_on_the_characters_typed() {
        assert!(matches("我爱北京天安门", "北京"));
        assert!(matches("我爱北京天安门", "天安门"));
        assert!(matches("我爱北京天安门", "京"));
        assert!(matches("東京に行きます", "東京"));
        assert!(matches("東京に行きます", "行き"));
        assert!(!matches("我爱北京天安门", "上海"));
        assert!(matches("Meet me in 東京 tomorrow", "東京 tomo"));
    }

    #[test]
    fn a_query_of_punctuation_alone_looks_for_nothing() {
        assert!(query_terms(" ?! … ").is_empty());
        assert!(!matches("?!", "?!"));
    }

    #[test]
    fn very_long_words_are_cut_the_same_way_in_texts_and_queries() {
        let word = "a".repeat(500);
        let terms = index_terms(&word);
        assert_eq!(terms, vec!["a".repeat(MAX_TERM_CHARS)]);
        assert!(matches(&word, &word));
    }
}
