//! The list envelope.

use serde::Serialize;
use utoipa::ToSchema;

/// A page of a cursor-paginated list.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Page<T> {
    /// The items of this page.
    pub items: Vec<T>,
    /// Pass as `?cursor=` for the next page; `null` on the last one.
    #[schema(example = "1732442400000000~0192f5e07c1a7b3e9d4f2a6b8c0d1e2f")]
    pub next_cursor: Option<String>,
}

impl<T> Page<T> {
    /// The wire form of a use case's page.
    pub fn from_page<U>(
        page: &sakura_application::pagination::Page<U>,
        f: impl FnMut(&U) -> T,
    ) -> Self {
        Self {
            items: page.items.iter().map(f).collect(),
            next_cursor: page.next.map(|c| c.encode()),
        }
    }
}
