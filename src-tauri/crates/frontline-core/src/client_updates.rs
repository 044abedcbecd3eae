//! Keeping the client informed: when the client was last told something, whether an update is
//! due (the vendor changed something since, or a day went by), and a suggested message from
//! the team's editable template (`client-update.txt`).
use chrono::{DateTime, Duration, Utc};
use serde::Serialize;
use ts_rs::TS;

use crate::error::Result;
use crate::frontline::Frontline;
use crate::journal::{current_status, Change};
use crate::model::{EventBody, IssueDetail};
use crate::status::Status;
use crate::validate::{self, TEXT_MAX};

/// The bundled template.
pub const BUNDLED_TEMPLATE: &str = include_str!("../presets/client-update.txt");

/// A client update is due after this long without one, while escalated.
pub const STALE_AFTER_HOURS: i64 = 24;

/// Where the issue stands with its client.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct ClientContact {
    /// When the client was last told something (RFC 3339).
    pub last_informed: Option<String>,
    /// An update is due: the vendor changed something since, or it has been a day.
    pub update_due: bool,
    /// Why, in words.
    pub reason: String,
    /// A message from the team's template, ready to edit.
    pub suggestion: String,
}

fn parse(s: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(s).ok().map(|t| t.to_utc())
}

/// What the timeline says about the client's news, apart from the time of day.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ClientFacts {
    /// When the client was last told something (RFC 3339).
    last_informed: Option<String>,
    /// What the vendor did since the client was last told, in words.
    vendor_news: Option<String>,
    /// While escalated: since when the client has heard nothing.
    quiet_since: Option<DateTime<Utc>>,
    /// The vendor's latest message, as a line for the template.
    latest: String,
}

impl ClientFacts {
    pub(crate) fn of(d: &IssueDetail) -> Self {
        let mut last_informed = None;
        let mut escalated_at = None;
        let mut vendor_news = None;
        let mut latest = String::new();
        for e in &d.events {
            match &e.body {
                EventBody::ClientInformed { .. } => {
                    last_informed = Some(e.at.clone());
                    vendor_news = None;
                }
                EventBody::StatusChanged {
                    to: Status::Escalated,
                    ..
                } if escalated_at.is_none() => escalated_at = Some(e.at.clone()),
                EventBody::VendorUpdate { status, .. } => {
                    vendor_news = Some(format!("the ticket is now {status}"))
                }
                EventBody::VendorComment {
                    from_vendor: true,
                    text,
                    author,
                    ..
                } => {
                    vendor_news = Some(format!("{author} replied"));
                    latest = format!(
                        "The vendor's latest message: \"{}\"\n",
                        validate::excerpt(text, 400)
                    );
                }
                _ => {}
            }
        }
        let quiet_since = (d.issue.status == Status::Escalated)
            .then(|| last_informed.as_deref().or(escalated_at.as_deref()))
            .flatten()
            .and_then(parse);
        ClientFacts {
            last_informed,
            vendor_news,
            quiet_since,
            latest,
        }
    }

    /// Whether an update is due at `now`, and why in words.
    pub(crate) fn update_due(&self, now: DateTime<Utc>) -> (bool, String) {
        if let Some(news) = &self.vendor_news {
            (true, format!("Since the client was last told, {news}."))
        } else if self
            .quiet_since
            .is_some_and(|t| now - t >= Duration::hours(STALE_AFTER_HOURS))
        {
            (
                true,
                format!("The client has heard nothing for {STALE_AFTER_HOURS} hours or more."),
            )
        } else {
            (false, String::new())
        }
    }
}

impl Frontline {
    pub(crate) fn client_contact(&self, d: &IssueDetail) -> ClientContact {
        let facts = ClientFacts::of(d);
        let (update_due, reason) = facts.update_due(self.clock.now());
        let rung = d
            .ladder
            .current
            .and_then(|c| d.ladder.rungs.get(c as usize))
            .map(|r| r.name.clone())
            .unwrap_or_else(|| "vendor support".to_owned());
        let status = if d.vendor.status.is_empty() {
            "open".to_owned()
        } else {
            d.vendor.status.clone()
        };
        let suggestion = self
            .client_template
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .replace("{client}", &d.issue.client_name)
            .replace("{key}", &d.issue.key)
            .replace("{title}", &d.issue.title)
            .replace("{rung}", &rung)
            .replace("{vendor_status}", &status)
            .replace("{latest}", &facts.latest)
            .replace("{agent}", &self.user());
        ClientContact {
            last_informed: facts.last_informed,
            update_due,
            reason,
            suggestion,
        }
    }

    /// Records that the client was told `text` (sent by the agent's own channel: e-mail, phone).
    pub fn inform_client(&self, issue_id: &str, text: &str) -> Result<IssueDetail> {
        let text = validate::required("Message", text, TEXT_MAX)?;
        let now = self.now();
        let user = self.user();
        self.db.write(|tx| {
            current_status(tx, issue_id)?;
            Change::new(
                issue_id,
                &now,
                &user,
                EventBody::ClientInformed { text: text.clone() },
            )
            .record(tx)?;
            Ok(())
        })?;
        self.issue(issue_id)
    }
}
