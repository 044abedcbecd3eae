//! The types the app's commands take and return. They cross the IPC boundary, so they are
//! serde types with generated TypeScript twins (see `bindings`).
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::status::Status;

/// How soon the client needs it, as the vendor's processes define it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Urgency {
    /// Can wait.
    Low,
    /// Normal.
    Medium,
    /// Hurts work today.
    High,
    /// Work has stopped.
    Critical,
}

impl Urgency {
    /// Every urgency, least first.
    pub const ALL: [Urgency; 4] = [
        Urgency::Low,
        Urgency::Medium,
        Urgency::High,
        Urgency::Critical,
    ];

    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            Urgency::Low => "low",
            Urgency::Medium => "medium",
            Urgency::High => "high",
            Urgency::Critical => "critical",
        }
    }

    /// The name people read.
    pub fn label(self) -> &'static str {
        match self {
            Urgency::Low => "Low",
            Urgency::Medium => "Medium",
            Urgency::High => "High",
            Urgency::Critical => "Critical",
        }
    }

    /// Parses a stored or sent name, with a message that lists the valid ones.
    pub fn parse(s: &str) -> crate::Result<Urgency> {
        Urgency::ALL
            .into_iter()
            .find(|u| u.as_str() == s)
            .ok_or_else(|| {
                crate::Error::invalid(
                    "Urgency",
                    format!(
                        "\"{}\" is not an urgency. Choose Low, Medium, High or Critical.",
                        crate::validate::excerpt(s, 40)
                    ),
                )
            })
    }
}

/// One option of a list the user picks from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct Choice {
    /// Stored value.
    pub id: String,
    /// What the user reads.
    pub label: String,
}

/// Which line usually handles a category.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Line {
    /// Usually solved by the partner's own agents.
    First,
    /// Usually needs the vendor.
    Vendor,
}

/// An issue category.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct Category {
    /// Stored value.
    pub id: String,
    /// What the user reads.
    pub label: String,
    /// Who usually handles it.
    pub line: Line,
}

/// The choices the issue form offers; all come from data files.
#[derive(Debug, Clone, Serialize, TS)]
pub struct FieldOptions {
    /// Issue categories.
    pub categories: Vec<Category>,
    /// Impact levels of the priority matrix.
    pub impacts: Vec<Choice>,
    /// Urgencies.
    pub urgencies: Vec<Choice>,
    /// Priorities, most urgent first.
    pub priorities: Vec<Choice>,
    /// Every status with its label.
    pub statuses: Vec<Choice>,
    /// The statuses the queue's "Open issues" view shows.
    pub open_statuses: Vec<Status>,
    /// Largest attachment accepted, in bytes.
    #[ts(type = "number")]
    pub attachment_limit: u64,
    /// Data files that could not be loaded (shown once as a warning).
    pub problems: Vec<String>,
    /// Longest title, in characters.
    pub title_max: u32,
    /// Longest description or steps, in characters.
    pub text_max: u32,
}

/// A client of the partner.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct Client {
    /// UUIDv7.
    pub id: String,
    /// Company name.
    pub name: String,
    /// Contact person, phone or e-mail; free text.
    pub contact: String,
    /// When it was added (RFC 3339, UTC).
    pub created_at: String,
    /// Open issues of this client.
    #[ts(type = "number")]
    pub open_issues: i64,
    /// All issues of this client.
    #[ts(type = "number")]
    pub total_issues: i64,
}

/// What the new-client form sends.
#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
#[serde(default)]
pub struct NewClient {
    /// Company name (required, unique).
    pub name: String,
    /// Contact (optional).
    pub contact: String,
}

/// What the new-issue form sends. Strings are checked by the core, so a bad value sent straight
/// to the command gets the same clear message as one typed in the form.
#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
#[serde(default)]
pub struct NewIssue {
    /// The client's id.
    pub client_id: String,
    /// One line: what is wrong.
    pub title: String,
    /// What the client reports.
    pub description: String,
    /// Steps to reproduce.
    pub steps: String,
    /// Category id.
    pub category: String,
    /// Impact id of the priority matrix.
    pub impact: String,
    /// "low" | "medium" | "high" | "critical".
    #[ts(type = "Urgency")]
    pub urgency: String,
    /// How many users are affected.
    #[ts(type = "number")]
    pub affected_users: i64,
}

/// A half-typed new issue, exactly as the form holds it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(default)]
pub struct IssueDraft {
    /// The client's id, or empty.
    pub client_id: String,
    /// Title so far.
    pub title: String,
    /// Description so far.
    pub description: String,
    /// Steps so far.
    pub steps: String,
    /// Category id, or empty.
    pub category: String,
    /// Impact id, or empty.
    pub impact: String,
    /// Urgency, or empty.
    pub urgency: String,
    /// As typed (may not be a number yet).
    pub affected_users: String,
}

/// A saved draft and when it was saved.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct SavedDraft {
    /// The form's content.
    pub draft: IssueDraft,
    /// When it was last saved (RFC 3339, UTC).
    pub saved_at: String,
}

/// An issue with everything the issue page shows at the top.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct Issue {
    /// UUIDv7, never reused.
    pub id: String,
    /// The short number people say on the phone.
    #[ts(type = "number")]
    pub number: i64,
    /// "FL-1042".
    pub key: String,
    /// The client's id.
    pub client_id: String,
    /// The client's name.
    pub client_name: String,
    /// One line: what is wrong.
    pub title: String,
    /// What the client reports.
    pub description: String,
    /// Steps to reproduce.
    pub steps: String,
    /// Category id.
    pub category: String,
    /// Impact id.
    pub impact: String,
    /// Urgency.
    pub urgency: Urgency,
    /// Priority id ("P1").
    pub priority: String,
    /// Why it has that priority: "High urgency × Multiple clients → P1".
    pub priority_reason: String,
    /// How many users are affected.
    #[ts(type = "number")]
    pub affected_users: i64,
    /// Where it stands.
    pub status: Status,
    /// A team lead flagged it critical.
    pub critical: bool,
    /// RFC 3339, UTC.
    pub created_at: String,
    /// Who logged it.
    pub created_by: String,
    /// RFC 3339, UTC.
    pub updated_at: String,
    /// Who changed it last.
    pub updated_by: String,
}

/// One line of the issue queue.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct IssueRow {
    /// UUIDv7.
    pub id: String,
    /// "FL-1042".
    pub key: String,
    /// One line: what is wrong.
    pub title: String,
    /// The client's id.
    pub client_id: String,
    /// The client's name.
    pub client_name: String,
    /// Category id.
    pub category: String,
    /// Priority id.
    pub priority: String,
    /// Urgency.
    pub urgency: Urgency,
    /// Where it stands.
    pub status: Status,
    /// RFC 3339, UTC.
    pub updated_at: String,
    /// Who logged it.
    pub created_by: String,
    /// Who last worked on it.
    pub updated_by: String,
}

/// How the queue is ordered.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum QueueSort {
    /// Most urgent priority first, then most recently updated.
    #[default]
    Priority,
    /// Most recently updated first.
    Updated,
    /// Newest first.
    Newest,
    /// Oldest first.
    Oldest,
    /// Nearest SLA breach first (escalated issues), then the rest by priority.
    Breach,
}

/// What the queue shows: filters, search, order and the window of rows wanted.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(default)]
pub struct IssueQuery {
    /// Only these statuses (empty: all).
    pub statuses: Vec<Status>,
    /// Only these priorities (empty: all).
    pub priorities: Vec<String>,
    /// Only this client.
    pub client_id: Option<String>,
    /// Words to find in title, description or client name (empty: no search).
    pub search: String,
    /// Only issues the person signed in logged or last worked on ("Mine"; else the whole team's).
    #[serde(default)]
    pub mine: bool,
    /// Only the issues behind one figure of a report.
    #[serde(default)]
    #[ts(optional)]
    pub report: Option<crate::reports::ReportSlice>,
    /// Order.
    pub sort: QueueSort,
    /// First row wanted.
    pub offset: u32,
    /// How many rows (at most 500).
    pub limit: u32,
}

impl Default for IssueQuery {
    fn default() -> Self {
        IssueQuery {
            statuses: Vec::new(),
            priorities: Vec::new(),
            client_id: None,
            search: String::new(),
            mine: false,
            report: None,
            sort: QueueSort::Priority,
            offset: 0,
            limit: 100,
        }
    }
}

/// A window of the queue and how many rows match in all.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct IssuePage {
    /// Rows matching the query, in all (at most the search cap when `total_capped`).
    #[ts(type = "number")]
    pub total: i64,
    /// A search matched more rows than it counts; `total` is the cap ("1,000+").
    pub total_capped: bool,
    /// The offset asked for.
    pub offset: u32,
    /// The rows of the window.
    pub rows: Vec<IssueRow>,
}

/// An attached file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct Attachment {
    /// UUIDv7.
    pub id: String,
    /// The issue it belongs to.
    pub issue_id: String,
    /// SHA-256 of the content: where it is stored.
    pub sha256: String,
    /// The name it had.
    pub file_name: String,
    /// MIME type, guessed from the name.
    pub media_type: String,
    /// Bytes.
    #[ts(type = "number")]
    pub size: i64,
    /// RFC 3339, UTC.
    pub added_at: String,
    /// Who attached it.
    pub added_by: String,
    /// Where the content is on disk (for previews and opening it with the system viewer).
    pub path: String,
}

/// What happened on an issue; the timeline is made of these and never changes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum EventBody {
    /// The issue was logged.
    Created {
        /// Priority at creation.
        priority: String,
        /// Why.
        priority_reason: String,
    },
    /// The status changed.
    StatusChanged {
        /// Before.
        from: Status,
        /// After.
        to: Status,
        /// Why, if the agent said.
        note: String,
    },
    /// A note from the agent.
    Note {
        /// The note.
        text: String,
    },
    /// A file was attached.
    AttachmentAdded {
        /// The attachment's id.
        attachment_id: String,
        /// Its name.
        file_name: String,
    },
    /// The agent opened a knowledge-base article from this issue.
    ArticleOpened {
        /// Article id.
        article_id: String,
        /// Its title when opened.
        title: String,
    },
    /// The agent explained why the issue has no screenshot.
    ScreenshotWaived {
        /// Why.
        reason: String,
    },
    /// A playbook step was done or skipped.
    StepRecorded {
        /// The step's id.
        step_id: String,
        /// The step's text when recorded.
        text: String,
        /// Done (true) or skipped (false).
        done: bool,
        /// Why it was skipped (empty when done).
        reason: String,
    },
    /// The vendor opened a ticket for this issue.
    VendorTicketLinked {
        /// The vendor's ticket id.
        #[ts(type = "number")]
        ticket_id: i64,
        /// Where to see it.
        url: String,
    },
    /// A message to or from the vendor on the ticket.
    VendorComment {
        /// Plain text.
        text: String,
        /// Who wrote it.
        author: String,
        /// True when the vendor wrote it; false when we sent it.
        from_vendor: bool,
        /// When the vendor says it was written (its own clock; RFC 3339), if it said.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        #[ts(optional)]
        vendor_at: Option<String>,
    },
    /// The vendor changed the ticket's status or owner.
    VendorUpdate {
        /// The vendor's status now.
        status: String,
        /// The vendor's status before (empty if unknown).
        previous_status: String,
        /// Who at the vendor owns it now (empty if nobody).
        assignee: String,
        /// When the vendor made the change (its own clock: the ticket's last update), if known.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        #[ts(optional)]
        vendor_at: Option<String>,
    },
    /// The vendor refused an operation; it is set aside until someone acts.
    VendorRejected {
        /// What we tried ("Create the ticket", …).
        what: String,
        /// The vendor's words.
        message: String,
    },
    /// The vendor received something twice (a copy that reached it after we had looked and
    /// sent again); the copy was found on a pull and marked.
    VendorDuplicate {
        /// What arrived twice ("Create the vendor ticket", "Send a message to the vendor").
        what: String,
        /// The vendor ticket we keep.
        #[ts(type = "number")]
        ticket_id: i64,
        /// The copy: a second ticket (closed as a duplicate), or the ticket holding the
        /// second comment.
        #[ts(type = "number")]
        copy_ticket_id: i64,
    },
    /// Two desktops escalated the issue while apart from the team hub; a teammate's escalation
    /// came first in the hub's order, so their desktop talks to the vendor: what this desktop
    /// had queued for the vendor went to them, and a ticket it opened meanwhile is a copy.
    VendorHandedOver {
        /// The teammate whose desktop owns the ticket.
        owner: String,
        /// Operations handed over (messages, chases, priority), each sent once from there.
        #[ts(type = "number")]
        operations: i64,
        /// Files that stay with this desktop's timeline (their bytes are here only).
        files_kept: Vec<String>,
        /// The ticket this desktop had opened, closed as a copy of the owner's (if one was).
        #[ts(type = "number | null")]
        copy_ticket_id: Option<i64>,
        /// The owner's ticket, once known.
        #[ts(type = "number | null")]
        ticket_id: Option<i64>,
    },
    /// The priority was reassessed (impact and urgency), or a lead set it directly.
    PriorityChanged {
        /// Before.
        from: String,
        /// After.
        to: String,
        /// Why.
        reason: String,
        /// A team lead set it, overriding the matrix (a lead-only event on the team hub).
        #[serde(default)]
        lead_override: bool,
        /// The issue's priority fields after the change: what every desktop folds in. Absent
        /// from events recorded before the team hub folded priorities.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        #[ts(optional)]
        set: Option<PriorityFields>,
        /// The fields before, to fall back to if the team hub refuses the change.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        #[ts(optional)]
        before: Option<PriorityFields>,
    },
    /// The agent asked the vendor to take the issue up a rung of the ladder.
    RungRequested {
        /// The rung (index, lowest is 0).
        rung: u32,
        /// Its name.
        name: String,
        /// Why.
        reason: String,
        /// The rung is a lead's to ask for (a lead-only event on the team hub).
        #[serde(default)]
        lead_only: bool,
    },
    /// The agent chased the vendor for an update.
    Chased {
        /// What was added to the chase.
        note: String,
    },
    /// A team lead flagged the issue critical (also when linking it into an incident).
    FlaggedCritical {
        /// Why.
        reason: String,
        /// The incident the lead linked it into, if that is how it was flagged (a lead-only
        /// `incident_linked` event on the team hub).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        #[ts(optional)]
        incident: Option<IncidentLink>,
    },
    /// The client was told how things stand.
    ClientInformed {
        /// What they were told.
        text: String,
    },
    /// An agent asked a team lead to review the issue.
    ReviewRequested {
        /// What the lead should look at.
        note: String,
    },
    /// The agent said whether an article helped.
    ArticleVerdict {
        /// Article id.
        article_id: String,
        /// Its title.
        title: String,
        /// True: "this solved it"; false: "didn't help".
        helped: bool,
    },
}

impl EventBody {
    /// The stored kind name.
    pub fn kind(&self) -> &'static str {
        match self {
            EventBody::Created { .. } => "created",
            EventBody::StatusChanged { .. } => "status_changed",
            EventBody::Note { .. } => "note",
            EventBody::AttachmentAdded { .. } => "attachment_added",
            EventBody::ArticleOpened { .. } => "article_opened",
            EventBody::StepRecorded { .. } => "step_recorded",
            EventBody::ScreenshotWaived { .. } => "screenshot_waived",
            EventBody::ArticleVerdict { .. } => "article_verdict",
            EventBody::VendorTicketLinked { .. } => "vendor_ticket_linked",
            EventBody::VendorComment { .. } => "vendor_comment",
            EventBody::VendorUpdate { .. } => "vendor_update",
            EventBody::VendorRejected { .. } => "vendor_rejected",
            EventBody::VendorDuplicate { .. } => "vendor_duplicate",
            EventBody::VendorHandedOver { .. } => "vendor_handed_over",
            EventBody::PriorityChanged { .. } => "priority_changed",
            EventBody::RungRequested { .. } => "rung_requested",
            EventBody::Chased { .. } => "chased",
            EventBody::FlaggedCritical { .. } => "flagged_critical",
            EventBody::ReviewRequested { .. } => "review_requested",
            EventBody::ClientInformed { .. } => "client_informed",
        }
    }
}

/// An incident an issue was linked into: issues from several clients that are one problem at
/// the vendor, sharing the lead issue's vendor ticket.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct IncidentLink {
    /// The incident's id (UUIDv7, the same on every desktop).
    pub id: String,
    /// Its title.
    pub title: String,
    /// The issue whose vendor ticket the incident shares.
    pub lead_issue_id: String,
}

/// An issue's priority as the queue sorts and filters it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct PriorityFields {
    /// Priority label.
    pub priority: String,
    /// Rank (1 is the most urgent).
    #[ts(type = "number")]
    pub rank: i64,
    /// Impact id.
    pub impact: String,
    /// Urgency.
    pub urgency: String,
}

impl EventBody {
    /// The kind the team hub judges the event by: a lead's override of the priority and a
    /// request for a lead-only rung are kinds of their own, which the hub admits from leads
    /// only; everything else travels as its timeline kind.
    pub fn team_kind(&self) -> &'static str {
        match self {
            EventBody::PriorityChanged {
                lead_override: true,
                ..
            } => "priority_overridden",
            EventBody::RungRequested {
                lead_only: true, ..
            } => "lead_rung_requested",
            EventBody::FlaggedCritical {
                incident: Some(_), ..
            } => "incident_linked",
            other => other.kind(),
        }
    }

    /// Whether a person did it (and so is who last worked on the issue); what the vendor
    /// said or did, and what the sync did about it, leaves that alone.
    pub fn by_a_person(&self) -> bool {
        !matches!(
            self,
            EventBody::VendorTicketLinked { .. }
                | EventBody::VendorComment {
                    from_vendor: true,
                    ..
                }
                | EventBody::VendorUpdate { .. }
                | EventBody::VendorRejected { .. }
                | EventBody::VendorDuplicate { .. }
                | EventBody::VendorHandedOver { .. }
        )
    }
}

/// One entry of an issue's timeline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct IssueEvent {
    /// Order within the database.
    #[ts(type = "number")]
    pub id: i64,
    /// RFC 3339, UTC.
    pub at: String,
    /// Who did it.
    pub actor: String,
    /// What happened.
    pub body: EventBody,
    /// Set when a teammate's later change (in the team hub's order) replaced this one: who
    /// and when ("Sam at 2026-03-02T10:02:00.000Z").
    pub superseded_by: Option<String>,
    /// Set when the team hub refused this change (this desktop's own): the hub's words, and
    /// whether it was let go.
    pub hub_refusal: Option<HubRefusal>,
}

/// The team hub refused one of this desktop's changes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct HubRefusal {
    /// The event's global id (to try again or let go).
    pub event: String,
    /// What the hub said.
    pub words: String,
    /// Let go by a person: no longer waiting for anyone.
    pub discarded: bool,
}

/// The issue page: the issue, its timeline, its files and what it may move to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct IssueDetail {
    /// The issue.
    pub issue: Issue,
    /// Its timeline, oldest first.
    pub events: Vec<IssueEvent>,
    /// Its attachments, oldest first.
    pub attachments: Vec<Attachment>,
    /// Statuses it may move to now.
    pub next_statuses: Vec<Status>,
    /// The playbook of its category, with what has been done.
    pub playbook: Option<crate::playbooks::PlaybookProgress>,
    /// What an escalation still lacks.
    pub readiness: crate::readiness::Readiness,
    /// Where the issue stands with the vendor.
    pub vendor: crate::sync::outbox::VendorState,
    /// Where it is on the vendor's escalation ladder.
    pub ladder: crate::escalation::LadderPosition,
    /// Its SLA clocks (empty until escalated).
    pub sla: Vec<crate::sla::ClockState>,
    /// Keeping the client informed.
    pub client: crate::client_updates::ClientContact,
}

/// What the window shows first, in one answer: the page asks for it before its script has
/// loaded (`ui/index.html`), so the queue's rows are there when React first renders.
#[derive(Debug, Clone, Serialize, TS)]
pub struct FirstScreen {
    /// Facts about this installation.
    pub info: AppInfo,
    /// The choices the forms and the queue's filters offer.
    pub options: FieldOptions,
    /// The query the first page answers: the open issues, most urgent first (the queue's
    /// default filters). The UI uses the page only if its own first query is this one.
    pub query: IssueQuery,
    /// The queue's first page.
    pub page: IssuePage,
}

/// Facts about this installation, for the about box and the error screen.
#[derive(Debug, Clone, Serialize, TS)]
pub struct AppInfo {
    /// Frontline's version.
    pub version: String,
    /// Where the data lives.
    pub data_dir: String,
    /// Where the logs are.
    pub log_dir: String,
    /// The user's name as recorded on changes.
    pub user: String,
    /// Schema version of the database.
    #[ts(type = "number")]
    pub schema_version: i64,
}
