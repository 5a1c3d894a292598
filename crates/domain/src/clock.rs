//! The current time, at the precision Sakura stores.

use time::OffsetDateTime;

/// Now, in UTC, truncated to milliseconds: what PostgreSQL (microseconds) and Redis (unix ms)
/// both keep exactly, so a value reads back as it was written.
pub fn now() -> OffsetDateTime {
    let now = OffsetDateTime::now_utc();
    let millis = now.millisecond();
    now.replace_millisecond(millis).unwrap_or(now)
}

#[cfg(test)]
mod tests {
    #[test]
    fn now_has_no_sub_millisecond_part() {
        assert_eq!(super::now().nanosecond() % 1_000_000, 0);
    }
}
