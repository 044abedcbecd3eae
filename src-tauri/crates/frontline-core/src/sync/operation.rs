//! What the vendor is to receive: one operation, frozen when the change that caused it is
//! committed (the payload of a vendor outbox row, or of a team event for the desktop that owns
//! the ticket).
use serde::{Deserialize, Serialize};

use super::vendor::TicketDraft;

/// One operation for the vendor, frozen when the change that caused it is committed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "snake_case")]
pub enum Operation {
    /// Open the ticket.
    CreateTicket {
        /// What to send.
        draft: TicketDraft,
    },
    /// Add a comment from the agent.
    Comment {
        /// The text.
        body: String,
    },
    /// Upload a file (right before use) and add a comment that carries it.
    Attach {
        /// Our attachment id.
        attachment_id: String,
        /// Its content address.
        sha256: String,
        /// Its name.
        file_name: String,
        /// Its MIME type.
        media_type: String,
    },
    /// Set the ticket's priority.
    SetPriority {
        /// `low`, `normal`, `high` or `urgent`.
        priority: String,
    },
    /// Ask the vendor to escalate further.
    RequestEscalation {
        /// Why.
        body: String,
        /// Tags to add to the ticket (agent mode), e.g. the rung.
        #[serde(default)]
        tags: Vec<String>,
    },
    /// A second ticket the vendor opened for this issue (a copy that arrived late): say so on
    /// it and, where the API allows, solve it.
    CloseDuplicate {
        /// The copy.
        ticket_id: i64,
        /// The ticket we keep.
        original: i64,
    },
}

impl Operation {
    /// The stored kind.
    pub fn kind(&self) -> &'static str {
        match self {
            Operation::CreateTicket { .. } => "create_ticket",
            Operation::Comment { .. } => "comment",
            Operation::Attach { .. } => "attach",
            Operation::SetPriority { .. } => "set_priority",
            Operation::RequestEscalation { .. } => "request_escalation",
            Operation::CloseDuplicate { .. } => "close_duplicate",
        }
    }

    /// In words, for the issue page.
    pub fn describe(&self) -> String {
        match self {
            Operation::CreateTicket { .. } => "Create the vendor ticket".to_owned(),
            Operation::Comment { .. } => "Send a message to the vendor".to_owned(),
            Operation::Attach { file_name, .. } => format!("Send {file_name} to the vendor"),
            Operation::SetPriority { priority } => format!("Set the vendor priority to {priority}"),
            Operation::RequestEscalation { .. } => "Ask the vendor to escalate".to_owned(),
            Operation::CloseDuplicate { ticket_id, .. } => {
                format!("Mark the vendor's ticket #{ticket_id} as a duplicate")
            }
        }
    }
}
