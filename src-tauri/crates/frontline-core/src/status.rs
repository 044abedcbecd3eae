//! The issue workflow: which status may follow which.
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::{Error, Result};

/// Where an issue stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Logged, nobody has started on it.
    New,
    /// An agent is working on it at the first line.
    InProgress,
    /// Waiting for the client to answer; SLA clocks pause here.
    WaitingOnClient,
    /// Handed to the vendor.
    Escalated,
    /// Solved; the client may still confirm.
    Resolved,
    /// Done for good.
    Closed,
}

/// Every status, in workflow order.
pub const ALL: [Status; 6] = [
    Status::New,
    Status::InProgress,
    Status::WaitingOnClient,
    Status::Escalated,
    Status::Resolved,
    Status::Closed,
];

/// The statuses that count as open work in the queue.
pub const OPEN: [Status; 4] = [
    Status::New,
    Status::InProgress,
    Status::WaitingOnClient,
    Status::Escalated,
];

/// The workflow as data: each status and the statuses it may move to.
const TRANSITIONS: &[(Status, &[Status])] = &[
    (
        Status::New,
        &[
            Status::InProgress,
            Status::WaitingOnClient,
            Status::Escalated,
            Status::Resolved,
        ],
    ),
    (
        Status::InProgress,
        &[Status::WaitingOnClient, Status::Escalated, Status::Resolved],
    ),
    (
        Status::WaitingOnClient,
        &[Status::InProgress, Status::Escalated, Status::Resolved],
    ),
    (
        Status::Escalated,
        &[
            Status::InProgress,
            Status::WaitingOnClient,
            Status::Resolved,
        ],
    ),
    (Status::Resolved, &[Status::Closed, Status::InProgress]),
    (Status::Closed, &[]),
];

impl Status {
    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::New => "new",
            Status::InProgress => "in_progress",
            Status::WaitingOnClient => "waiting_on_client",
            Status::Escalated => "escalated",
            Status::Resolved => "resolved",
            Status::Closed => "closed",
        }
    }

    /// The name people read.
    pub fn label(self) -> &'static str {
        match self {
            Status::New => "New",
            Status::InProgress => "In progress",
            Status::WaitingOnClient => "Waiting on client",
            Status::Escalated => "Escalated",
            Status::Resolved => "Resolved",
            Status::Closed => "Closed",
        }
    }

    /// Parses a stored or sent name.
    pub fn parse(s: &str) -> Result<Status> {
        ALL.into_iter().find(|st| st.as_str() == s).ok_or_else(|| {
            Error::invalid(
                "Status",
                format!(
                    "\"{}\" is not a status. Use one of: {}.",
                    crate::validate::excerpt(s, 40),
                    ALL.map(Status::as_str).join(", ")
                ),
            )
        })
    }

    /// The statuses this one may move to.
    pub fn next(self) -> &'static [Status] {
        TRANSITIONS
            .iter()
            .find(|(s, _)| *s == self)
            .map(|(_, next)| *next)
            .unwrap_or(&[])
    }

    /// Checks a move, with a typed error naming what is allowed instead.
    pub fn check_transition(self, to: Status) -> Result<()> {
        if self.next().contains(&to) {
            return Ok(());
        }
        let allowed = match self.next() {
            [] => "nothing (this status is final)".to_owned(),
            next => next
                .iter()
                .map(|s| s.label())
                .collect::<Vec<_>>()
                .join(", "),
        };
        Err(Error::InvalidTransition {
            from: self.label(),
            to: to.label(),
            allowed,
        })
    }

    /// Whether the issue still needs work.
    pub fn is_open(self) -> bool {
        OPEN.contains(&self)
    }
}
