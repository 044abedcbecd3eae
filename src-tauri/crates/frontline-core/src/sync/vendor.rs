//! What the sync engine asks of a vendor helpdesk ([`VendorApi`]), and how every failure is
//! classified: retry, pause the queue, or park the operation.
use std::time::Duration;

use async_trait::async_trait;
use serde::{Deserialize, Serialize};

use super::http::TransportError;

/// A ticket to open at the vendor.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TicketDraft {
    /// Subject line, ending with our marker (`[FL-12]`).
    pub subject: String,
    /// The structured, readable body.
    pub body: String,
    /// `low`, `normal`, `high` or `urgent`.
    pub priority: String,
    /// `problem`, `incident`, `question` or `task`.
    pub kind: String,
    /// Tags (agent mode).
    pub tags: Vec<String>,
    /// Our issue id, as `external_id` where the API takes it; also written in the body.
    pub external_id: String,
}

/// A comment to add to a ticket.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct CommentDraft {
    /// The text, ending with the operation's marker line.
    pub body: String,
    /// Upload tokens of the files it carries.
    pub uploads: Vec<String>,
    /// Public (visible to the requester) or an internal note (agent mode only).
    pub public: bool,
    /// Tags to add (agent mode).
    pub add_tags: Vec<String>,
}

/// A file to upload.
#[derive(Debug, Clone)]
pub struct FileUpload {
    /// Base name only.
    pub file_name: String,
    /// A real MIME type.
    pub media_type: String,
    /// The content.
    pub bytes: Vec<u8>,
}

/// A ticket the vendor created, as far as we need it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TicketRef {
    /// The vendor's id.
    pub id: i64,
    /// A link an agent can open (the vendor's web page or API URL).
    pub url: String,
    /// The vendor's status.
    pub status: String,
    /// When the vendor last changed it.
    pub updated_at: String,
}

/// A ticket as the vendor shows it now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VendorTicket {
    /// The vendor's id.
    pub id: i64,
    /// Subject.
    pub subject: String,
    /// `new`, `open`, `pending`, `hold`, `solved`, `closed`.
    pub status: String,
    /// The vendor's priority, if set.
    pub priority: String,
    /// Who at the vendor owns it (name when known, else id), empty when nobody.
    pub assignee: String,
    /// When the vendor last changed it (RFC 3339).
    pub updated_at: String,
    /// When the vendor opened it (RFC 3339; empty if it did not say).
    pub created_at: String,
    /// Our id, where the vendor keeps it.
    pub external_id: Option<String>,
    /// The first comment.
    pub description: String,
}

/// A comment on a vendor ticket.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VendorComment {
    /// The vendor's id.
    pub id: i64,
    /// Whether the author is the vendor's staff (not us).
    pub from_vendor: bool,
    /// The author's name.
    pub author: String,
    /// Plain text.
    pub body: String,
    /// Public or internal.
    pub public: bool,
    /// When.
    pub created_at: String,
}

/// What changed in the vendor's help centre.
#[derive(Debug, Clone, Default)]
pub struct HelpCentreChanges {
    /// Articles to store (new or changed).
    pub articles: Vec<crate::kb::NewArticle>,
    /// Ids (as stored: `zendesk:123`) of articles unpublished or deleted at the source.
    pub removed: Vec<String>,
    /// `articles` is the whole help centre: anything else from this source is gone.
    pub complete: bool,
    /// The watermark for the next incremental call (epoch seconds), if the API gives one.
    pub next_since: Option<i64>,
}

/// The vendor's advertised rate limit, as last seen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RateLimit {
    /// Requests allowed per window.
    pub limit: u32,
    /// Left in this window.
    pub remaining: Option<u32>,
    /// Seconds until the window resets.
    pub reset: Option<u64>,
}

/// Why a call to the vendor failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum VendorError {
    /// The vendor answered with an error status.
    #[error("the vendor answered {status}: {message}")]
    Status {
        /// HTTP status.
        status: u16,
        /// The vendor's words (an excerpt of the body).
        message: String,
        /// `Retry-After`, when given and sensible.
        retry_after: Option<Duration>,
    },
    /// No complete answer.
    #[error(transparent)]
    Transport(#[from] TransportError),
    /// An answer from the vendor we cannot trust (a created ticket without an id, wrong types,
    /// cut-off JSON, a pagination cursor that loops): never stored as truth.
    #[error("the vendor's answer made no sense ({problem}): {excerpt}")]
    BadAnswer {
        /// What is wrong with it.
        problem: String,
        /// The start of the body.
        excerpt: String,
    },
    /// Something between us and the vendor answered instead of it: a captive portal's log-in
    /// page (HTML where JSON was expected), a redirect to another host, a certificate that is
    /// not the vendor's. Says nothing about the vendor.
    #[error("the network in between is answering instead of the vendor (a log-in page?): {0}")]
    NotTheVendor(String),
    /// Our own setup is wrong (e.g. a plain-HTTP address for a remote host); nothing was sent.
    #[error("{0}")]
    Setup(String),
}

/// What the engine does after a failure.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Disposition {
    /// Try this operation again later; never before `not_before`.
    Retry {
        /// The vendor may already have acted on it: look before doing it again.
        uncertain: bool,
        /// The request may still reach the vendor later (no answer came, or a gateway gave
        /// up on it): look only once the late-delivery bound has passed.
        late: bool,
        /// The vendor's `Retry-After`.
        not_before: Option<Duration>,
    },
    /// The vendor cannot be reached (offline, DNS, refused): the request certainly did not
    /// arrive. The whole queue waits; the operation is not counted as tried.
    Offline,
    /// Something in between answered instead of the vendor: the whole queue waits and resumes
    /// by itself once the vendor answers again. Not counted against the operation; the
    /// request may have been forwarded, so it is treated as uncertain and late.
    Intercepted,
    /// Stop the whole queue until the user fixes the credentials; nothing is dropped.
    Pause,
    /// Set this operation aside with the vendor's message; the rest of the queue moves on.
    Park,
}

impl VendorError {
    /// The classification table: each status and transport failure maps to retry, offline,
    /// intercepted, pause or park.
    pub fn disposition(&self) -> Disposition {
        let retry = |uncertain, late, not_before| Disposition::Retry {
            uncertain,
            late,
            not_before,
        };
        match self {
            VendorError::Status {
                status,
                retry_after,
                ..
            } => match *status {
                401 | 403 => Disposition::Pause,
                // A network that wants a log-in first.
                511 => Disposition::Intercepted,
                408 | 409 => retry(false, false, None),
                429 => retry(false, false, *retry_after),
                // Refused for now (overloaded, maintenance): not processed.
                503 => retry(false, false, *retry_after),
                // A gateway gave up waiting: the vendor may still be working on it.
                502 | 504 => retry(true, true, *retry_after),
                // The vendor answered, so it is done with the request, but may have
                // committed part of it.
                500..=599 => retry(true, false, *retry_after),
                400..=499 => Disposition::Park,
                // 1xx/3xx where JSON was expected: odd, possibly acted on.
                _ => retry(true, false, None),
            },
            VendorError::Transport(TransportError::Unreachable(_)) => Disposition::Offline,
            VendorError::Transport(TransportError::NotTheVendor(_)) => Disposition::Intercepted,
            // The whole answer came (it was just too big): the request was handled.
            VendorError::Transport(TransportError::TooLarge { .. }) => retry(true, false, None),
            VendorError::Transport(_) => retry(true, true, None),
            VendorError::BadAnswer { .. } => retry(true, false, None),
            VendorError::NotTheVendor(_) => Disposition::Intercepted,
            VendorError::Setup(_) => Disposition::Pause,
        }
    }

    /// Whether this is an answer from the vendor that makes no sense: only these bring an
    /// operation closer to being parked.
    pub fn is_bad_answer(&self) -> bool {
        matches!(self, VendorError::BadAnswer { .. })
    }
}

/// The longest `Retry-After` honoured as given; longer (or unparseable) values fall back to
/// our own backoff.
pub const RETRY_AFTER_MAX: Duration = Duration::from_secs(15 * 60);

/// Reads a `Retry-After` value: whole seconds (HTTP dates are rare on APIs and treated as
/// missing). Missing, negative, fractional garbage or absurd values give `None`.
pub fn parse_retry_after(value: Option<&str>) -> Option<Duration> {
    let secs: u64 = value?.trim().parse().ok()?;
    let d = Duration::from_secs(secs);
    (d <= RETRY_AFTER_MAX).then_some(d)
}

/// A vendor helpdesk: Zendesk and Freshdesk implement it; the engine knows only this.
#[async_trait]
pub trait VendorApi: Send + Sync {
    /// A short name for logs and the UI ("Zendesk").
    fn name(&self) -> &'static str;

    /// The source name its help-centre articles are stored under ("zendesk").
    fn source(&self) -> &'static str;

    /// Opens a ticket. `idempotency_key` is stable across retries of this escalation.
    async fn create_ticket(
        &self,
        draft: &TicketDraft,
        idempotency_key: &str,
    ) -> Result<TicketRef, VendorError>;

    /// Looks for a ticket an earlier, uncertain attempt may have created. Tickets the vendor
    /// created before `created_after` cannot be it (a bound on the search, clock skew included).
    async fn find_ticket(
        &self,
        draft: &TicketDraft,
        created_after: Option<chrono::DateTime<chrono::Utc>>,
    ) -> Result<Option<TicketRef>, VendorError>;

    /// Adds a comment.
    async fn add_comment(&self, ticket: i64, comment: &CommentDraft) -> Result<(), VendorError>;

    /// Whether a comment containing `marker` is already on the ticket.
    async fn has_comment(&self, ticket: i64, marker: &str) -> Result<bool, VendorError>;

    /// Uploads a file; the token is good for a comment in the next hour or so.
    async fn upload(&self, file: &FileUpload) -> Result<String, VendorError>;

    /// Sets the ticket's priority (an absolute value: safe to repeat). Where the API can only
    /// say it in a comment, the comment carries `marker`.
    async fn set_priority(
        &self,
        ticket: i64,
        priority: &str,
        marker: &str,
    ) -> Result<(), VendorError>;

    /// Marks a ticket that an earlier attempt created twice as a duplicate of `original`: a
    /// short public note on it and, where the API allows, solved.
    async fn close_duplicate(
        &self,
        ticket: i64,
        original: i64,
        marker: &str,
    ) -> Result<(), VendorError>;

    /// The tickets among `known` that changed since `since` (the last `updated_at` seen), and
    /// the new watermark.
    async fn changes(
        &self,
        since: Option<&str>,
        known: &[i64],
    ) -> Result<Vec<VendorTicket>, VendorError>;

    /// Every comment on a ticket, oldest first.
    async fn comments(&self, ticket: i64) -> Result<Vec<VendorComment>, VendorError>;

    /// The help centre's articles: everything (`since` None, or when only a full listing is
    /// allowed), or what changed since the watermark.
    async fn help_centre(&self, since: Option<i64>) -> Result<HelpCentreChanges, VendorError>;

    /// The rate limit the vendor advertised most recently.
    fn rate_limit(&self) -> Option<RateLimit>;

    /// Checks the connection with one harmless read: who the credentials belong to, in words
    /// ("Dana at acme.freshdesk.com").
    async fn check(&self) -> Result<String, VendorError>;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retry_after_takes_sane_seconds_only() {
        assert_eq!(parse_retry_after(Some("7")), Some(Duration::from_secs(7)));
        assert_eq!(parse_retry_after(Some(" 0 ")), Some(Duration::ZERO));
        assert_eq!(parse_retry_after(None), None);
        assert_eq!(parse_retry_after(Some("soon")), None);
        assert_eq!(parse_retry_after(Some("-3")), None);
        assert_eq!(parse_retry_after(Some("99999999")), None);
        assert_eq!(
            parse_retry_after(Some("Wed, 21 Oct 2015 07:28:00 GMT")),
            None
        );
    }
}
