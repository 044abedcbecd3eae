//! Limits on what people type, checked before anything is written.
use crate::error::{Error, Result};

/// Longest title, in characters. A title is a line in the queue, not a document.
pub const TITLE_MAX: usize = 200;
/// Longest description or steps to reproduce, in characters.
pub const TEXT_MAX: usize = 50_000;
/// Longest client name or contact, in characters.
pub const NAME_MAX: usize = 200;
/// Most affected users we accept (a larger figure is a typo).
pub const AFFECTED_USERS_MAX: i64 = 10_000_000;

/// Trims `value` and checks it is present and not longer than `max` characters.
pub fn required(field: &'static str, value: &str, max: usize) -> Result<String> {
    let trimmed = value.trim();
    if trimmed.is_empty() {
        return Err(Error::invalid(field, "is required."));
    }
    bounded(field, trimmed, max)
}

/// Trims `value` and checks it is not longer than `max` characters (it may be empty).
pub fn optional(field: &'static str, value: &str, max: usize) -> Result<String> {
    bounded(field, value.trim(), max)
}

fn bounded(field: &'static str, value: &str, max: usize) -> Result<String> {
    let len = value.chars().count();
    if len > max {
        return Err(Error::invalid(
            field,
            format!("is {len} characters long; the limit is {max}. Shorten it, or put the detail in the description."),
        ));
    }
    if value.contains('\0') {
        return Err(Error::invalid(
            field,
            "contains a NUL character; paste it as plain text.",
        ));
    }
    Ok(value.to_owned())
}

/// The first `max` characters of `s`, with an ellipsis when cut; for quoting input in messages.
pub fn excerpt(s: &str, max: usize) -> String {
    let mut out: String = s.chars().take(max).collect();
    if s.chars().nth(max).is_some() {
        out.push('…');
    }
    out
}
