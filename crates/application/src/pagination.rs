//! Keyset pagination: a page of items and an opaque cursor to the next.

use uuid::Uuid;

/// Where the next page starts: the sort key and id of the last item seen. Each list decides
/// what `key` is (a timestamp in ms, a score...); clients only pass it back.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cursor {
    /// The sort key of the last item.
    pub key: i64,
    /// The id of the last item, breaking ties.
    pub id: Uuid,
}

impl Cursor {
    /// The opaque string form.
    pub fn encode(&self) -> String {
        format!("{}~{}", self.key, self.id.simple())
    }

    /// Reads a cursor made by [`Cursor::encode`]; `None` for anything else.
    pub fn decode(raw: &str) -> Option<Self> {
        let (key, id) = raw.split_once('~')?;
        Some(Self {
            key: key.parse().ok()?,
            id: Uuid::try_parse(id).ok()?,
        })
    }
}

/// Which page to read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PageRequest {
    /// At most this many items (1–100).
    pub limit: usize,
    /// Start after this item; `None` for the first page.
    pub after: Option<Cursor>,
}

impl PageRequest {
    /// Default page size.
    pub const DEFAULT_LIMIT: usize = 20;
    /// Largest page size.
    pub const MAX_LIMIT: usize = 100;

    /// The first page of the default size.
    pub fn first() -> Self {
        Self {
            limit: Self::DEFAULT_LIMIT,
            after: None,
        }
    }

    /// How many rows to fetch: one more than the page, to know whether another follows.
    pub fn fetch(&self) -> usize {
        self.limit + 1
    }
}

/// A page of items.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Page<T> {
    /// The items.
    pub items: Vec<T>,
    /// Where the next page starts; `None` on the last page.
    pub next: Option<Cursor>,
}

impl<T> Page<T> {
    /// Builds a page from up to `request.fetch()` rows: keeps `limit`, and if there were more,
    /// points the cursor at the last one kept.
    pub fn from_rows(
        mut rows: Vec<T>,
        request: PageRequest,
        cursor_of: impl Fn(&T) -> Cursor,
    ) -> Self {
        let more = rows.len() > request.limit;
        rows.truncate(request.limit);
        let next = if more {
            rows.last().map(&cursor_of)
        } else {
            None
        };
        Self { items: rows, next }
    }

    /// Transforms the items, keeping the cursor.
    pub fn map<U>(self, f: impl FnMut(T) -> U) -> Page<U> {
        Page {
            items: self.items.into_iter().map(f).collect(),
            next: self.next,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cursor_round_trips_and_garbage_does_not_decode() {
        let cursor = Cursor {
            key: -42,
            id: Uuid::now_v7(),
        };
        assert_eq!(Cursor::decode(&cursor.encode()), Some(cursor));
        for raw in ["", "~", "1~x", "x~0190", "12"] {
            assert_eq!(Cursor::decode(raw), None, "{raw}");
        }
    }

    #[test]
    fn a_page_keeps_the_limit_and_points_at_its_last_item_when_more_follow() {
        let request = PageRequest {
            limit: 2,
            after: None,
        };
        let ids: Vec<Uuid> = (0..3).map(|_| Uuid::now_v7()).collect();
        let page = Page::from_rows(ids.clone(), request, |id| Cursor { key: 0, id: *id });
        assert_eq!(page.items, ids[..2]);
        assert_eq!(page.next, Some(Cursor { key: 0, id: ids[1] }));
        let last = Page::from_rows(ids[..2].to_vec(), request, |id| Cursor { key: 0, id: *id });
        assert_eq!(last.next, None);
    }
}
