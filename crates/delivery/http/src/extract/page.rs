//! `?limit=&cursor=` of paginated lists.

use sakura_application::pagination::{Cursor, PageRequest};

use crate::problem::ApiError;

/// Reads `limit` (default 20, 1–100; larger values are capped at 100) and `cursor`.
pub(crate) fn page_request(
    limit: Option<&str>,
    cursor: Option<&str>,
) -> Result<PageRequest, ApiError> {
    let limit = match limit.map(str::trim).filter(|l| !l.is_empty()) {
        None => PageRequest::DEFAULT_LIMIT,
        Some(raw) => match raw.parse::<usize>() {
            Ok(0) | Err(_) => {
                return Err(ApiError::invalid_field(
                    "limit",
                    "must be a whole number from 1 to 100",
                ));
            }
            Ok(n) => n.min(PageRequest::MAX_LIMIT),
        },
    };
    let after = match cursor.filter(|c| !c.is_empty()) {
        None => None,
        Some(raw) => Some(Cursor::decode(raw).ok_or_else(|| {
            ApiError::invalid_field("cursor", "is not a cursor this list gave out")
        })?),
    };
    Ok(PageRequest { limit, after })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limits_default_cap_and_refuse_nonsense() {
        assert_eq!(page_request(None, None).map(|p| p.limit).ok(), Some(20));
        assert_eq!(
            page_request(Some("500"), None).map(|p| p.limit).ok(),
            Some(100)
        );
        assert!(page_request(Some("0"), None).is_err());
        assert!(page_request(Some("-1"), None).is_err());
        assert!(page_request(Some("ten"), None).is_err());
        assert!(page_request(None, Some("garbage")).is_err());
    }
}
