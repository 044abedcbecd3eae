//! The one write path. Every change to an issue is one event: a person's action, what the
//! vendor said, what the sync did about it, or a teammate's event from the team hub. This module
//! is the only code that writes what follows from an event, all in the caller's transaction:
//!
//! - the timeline row (with its global id and its link in the hash chain),
//! - the issue's row, by one fold ([`fold`]): when it last moved and who last worked on it,
//!   and the fields that are registers (status, the critical flag, the priority),
//! - the vendor outbox rows of what the vendor is to receive (or, when a teammate's desktop
//!   owns the ticket, the same operations riding on the team event, for that desktop to send),
//! - the team outbox row that carries the event to the hub.
//!
//! Features validate, then call [`Change::record`] once per event; a teammate's event goes
//! through [`apply_from_team`]. Neither writes a timeline, outbox or register row by hand (a
//! test reads the sources to keep it so).
use rusqlite::{params, Connection, OptionalExtension, Transaction};
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::model::{EventBody, PriorityFields};
use crate::status::Status;
use crate::sync::operation::Operation;

/// One event about to be recorded on this desktop, with what it sends to the vendor.
pub(crate) struct Change<'a> {
    issue_id: &'a str,
    at: &'a str,
    actor: &'a str,
    body: EventBody,
    seed: Option<IssueSeed>,
    file: Option<SharedFile>,
    /// For the ticket's owner: this desktop, or the teammate whose escalation came first.
    vendor: Vec<Operation>,
    /// Sent from this desktop whoever owns the ticket (closing a copy this desktop opened).
    vendor_here: Vec<Operation>,
}

impl<'a> Change<'a> {
    /// `actor` did `body` on `issue_id` at `at` (RFC 3339, from the core's clock).
    pub(crate) fn new(issue_id: &'a str, at: &'a str, actor: &'a str, body: EventBody) -> Self {
        Change {
            issue_id,
            at,
            actor,
            body,
            seed: None,
            file: None,
            vendor: Vec::new(),
            vendor_here: Vec::new(),
        }
    }

    /// A new issue: the team event carries its fields to desktops that have not seen it.
    pub(crate) fn seeded(mut self, seed: IssueSeed) -> Self {
        self.seed = Some(seed);
        self
    }

    /// A file added: the team event carries what it is, and the hub worker gives the hub its
    /// content, so teammates' desktops can open it and the ticket's owner can send it.
    pub(crate) fn with_file(mut self, file: SharedFile) -> Self {
        self.file = Some(file);
        self
    }

    /// The vendor is to receive `op` for this change, from whichever desktop owns the ticket.
    pub(crate) fn sends(mut self, op: Operation) -> Self {
        self.vendor.push(op);
        self
    }

    /// The vendor is to receive `ops` for this change (see [`Change::sends`]).
    pub(crate) fn sends_all(mut self, ops: impl IntoIterator<Item = Operation>) -> Self {
        self.vendor.extend(ops);
        self
    }

    /// This desktop sends `op` itself, whoever owns the issue's ticket.
    pub(crate) fn sends_from_here(mut self, op: Operation) -> Self {
        self.vendor_here.push(op);
        self
    }

    /// Writes the event and everything that follows from it.
    pub(crate) fn record(self, tx: &Transaction<'_>) -> Result<()> {
        let global_id = uuid::Uuid::now_v7().to_string();
        let due_ms = millis_of(self.at);
        fold(
            tx,
            self.issue_id,
            &global_id,
            &self.body,
            self.at,
            self.actor,
        )?;
        timeline_row(
            tx,
            self.issue_id,
            &global_id,
            self.at,
            self.actor,
            &self.body,
        )?;
        let owner = vendor_owner_elsewhere(tx, self.issue_id)?;
        let mut forwarded = Vec::new();
        for op in self.vendor {
            match (&owner, op) {
                (Some(owner), op) => {
                    tracing::info!(issue = %self.issue_id, %owner, kind = op.kind(), "vendor operation forwarded to the desktop that owns the ticket");
                    forwarded.push(op);
                }
                (None, op) => queue_for_vendor(tx, self.issue_id, &op, self.at, due_ms)?,
            }
        }
        for op in &self.vendor_here {
            queue_for_vendor(tx, self.issue_id, op, self.at, due_ms)?;
        }
        let envelope = Envelope {
            actor: self.actor.to_owned(),
            event: self.body,
            seed: self.seed,
            file: self.file,
            vendor: forwarded,
        };
        let json = serde_json::to_string(&envelope).map_err(|e| Error::Decode(e.to_string()))?;
        tx.prepare_cached(
            "INSERT INTO team_outbox (global_id, issue_id, kind, body, occurred_at) VALUES (?1, ?2, ?3, ?4, ?5)",
        )?
        .execute(params![
            global_id,
            self.issue_id,
            envelope.event.team_kind(),
            json,
            self.at
        ])?;
        Ok(())
    }
}

/// A team-wide event (no issue: the team profile) on its way to the hub.
pub(crate) fn record_team_wide(
    tx: &Transaction<'_>,
    kind: &str,
    body: &serde_json::Value,
    at: &str,
) -> Result<()> {
    tx.prepare_cached(
        "INSERT INTO team_outbox (global_id, issue_id, kind, body, occurred_at) VALUES (?1, NULL, ?2, ?3, ?4)",
    )?
    .execute(params![uuid::Uuid::now_v7().to_string(), kind, body.to_string(), at])?;
    Ok(())
}

/// A teammate's event, in the hub's order: the same fold as an event recorded here (its
/// registers only when `holds`: the hub's order gives it the field), its timeline row under
/// its own global id, and the vendor operations it carries when this desktop owns the ticket.
pub(crate) fn apply_from_team(
    tx: &Transaction<'_>,
    (issue_id, global_id, at): (&str, &str, &str),
    envelope: &Envelope,
    holds: bool,
    now_ms: i64,
    activity: &mut Activity,
) -> Result<()> {
    if let (EventBody::AttachmentAdded { .. }, Some(file)) = (&envelope.event, &envelope.file) {
        shared_file(tx, issue_id, file, at, &envelope.actor)?;
    }
    if !envelope.vendor.is_empty() && escalated_here(tx, issue_id)? {
        for op in &envelope.vendor {
            queue_for_vendor(tx, issue_id, op, at, now_ms)?;
        }
        tracing::info!(issue = %issue_id, ops = envelope.vendor.len(), from = %envelope.actor, "a teammate's vendor operations queued here, where the ticket is");
    }
    timeline_row(
        tx,
        issue_id,
        global_id,
        at,
        &envelope.actor,
        &envelope.event,
    )?;
    activity.note(
        tx,
        (issue_id, global_id),
        &envelope.event,
        at,
        &envelope.actor,
    )?;
    if holds {
        activity.set(issue_id, &envelope.event);
    }
    effects(tx, issue_id, &envelope.event, at, &envelope.actor)
}

/// What a page of teammates' events does to the rows of the issues it touches, worked out in
/// memory exactly as [`fold`] would event by event — the last activity, and the registers the
/// events that hold them set (the last in the hub's order wins, as it would row by row) — and
/// written once per issue at the end of the page ([`Activity::write`]): a catch-up then updates
/// each issue's row (and the queue's indexes and counts on it) once a page instead of once an
/// event.
#[derive(Default)]
pub(crate) struct Activity {
    issues: std::collections::HashMap<String, Pending>,
}

/// One issue's row as a page leaves it, until written.
struct Pending {
    updated_at: String,
    updated_by: String,
    /// The latest person's event so far ([`person_mark`]).
    updated_by_mark: String,
    /// The latest event of the page setting each register, if any.
    status: Option<EventBody>,
    critical: Option<EventBody>,
    priority: Option<EventBody>,
}

impl Activity {
    fn note(
        &mut self,
        tx: &Transaction<'_>,
        (issue_id, global_id): (&str, &str),
        body: &EventBody,
        at: &str,
        actor: &str,
    ) -> Result<()> {
        if !self.issues.contains_key(issue_id) {
            let (updated_at, updated_by, updated_by_mark): (String, String, String) = tx
                .prepare_cached(
                    "SELECT updated_at, updated_by, updated_by_mark FROM issues WHERE id = ?1",
                )?
                .query_row([issue_id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
            self.issues.insert(
                issue_id.to_owned(),
                Pending {
                    updated_at,
                    updated_by,
                    updated_by_mark,
                    status: None,
                    critical: None,
                    priority: None,
                },
            );
        }
        if let Some(p) = self.issues.get_mut(issue_id) {
            if body.by_a_person() {
                let mark = person_mark(at, global_id);
                if mark > p.updated_by_mark {
                    actor.clone_into(&mut p.updated_by);
                    p.updated_by_mark = mark;
                }
            }
            if at > p.updated_at.as_str() {
                at.clone_into(&mut p.updated_at);
            }
        }
        Ok(())
    }

    /// `body` holds the register it sets (after [`Activity::note`] of the same event).
    fn set(&mut self, issue_id: &str, body: &EventBody) {
        let Some(p) = self.issues.get_mut(issue_id) else {
            return;
        };
        let slot = match body {
            EventBody::StatusChanged { .. } => &mut p.status,
            EventBody::FlaggedCritical { .. } => &mut p.critical,
            EventBody::PriorityChanged { set: Some(_), .. } => &mut p.priority,
            _ => return,
        };
        *slot = Some(body.clone());
    }

    /// Writes what is pending for `issue_id` now (before something else reads or writes its
    /// row).
    pub(crate) fn flush(&mut self, tx: &Transaction<'_>, issue_id: &str) -> Result<()> {
        if let Some(p) = self.issues.remove(issue_id) {
            p.write(tx, issue_id)?;
        }
        Ok(())
    }

    /// Writes every issue's row.
    pub(crate) fn write(self, tx: &Transaction<'_>) -> Result<()> {
        for (issue_id, p) in self.issues {
            p.write(tx, &issue_id)?;
        }
        Ok(())
    }
}

impl Pending {
    fn write(self, tx: &Transaction<'_>, issue_id: &str) -> Result<()> {
        tx.prepare_cached(
            "UPDATE issues SET updated_at = ?2, updated_by = ?3, updated_by_mark = ?4
             WHERE id = ?1 AND (updated_at IS NOT ?2 OR updated_by_mark IS NOT ?4)",
        )?
        .execute(params![
            issue_id,
            self.updated_at,
            self.updated_by,
            self.updated_by_mark
        ])?;
        for body in [self.status, self.critical, self.priority].iter().flatten() {
            set_register(tx, issue_id, body)?;
        }
        Ok(())
    }
}

/// A teammate's file: listed on the issue here, and wanted from the hub until its content is
/// in this desktop's store.
fn shared_file(
    tx: &Transaction<'_>,
    issue_id: &str,
    f: &SharedFile,
    at: &str,
    actor: &str,
) -> Result<()> {
    tx.prepare_cached(
        "INSERT OR IGNORE INTO attachments (id, issue_id, sha256, file_name, media_type, size, added_at, added_by)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    )?
    .execute(params![f.id, issue_id, f.sha256, f.file_name, f.media_type, f.size, at, actor])?;
    if !f.present {
        tx.prepare_cached("INSERT OR IGNORE INTO team_files_wanted (sha256) VALUES (?1)")?
            .execute([&f.sha256])?;
    }
    Ok(())
}

/// Writes an operation this desktop sends to the vendor without an event of its own: what the
/// hand-over of a teammate's ticket passes on, and the note on a copy this desktop opened.
pub(crate) fn queue_for_vendor(
    tx: &Transaction<'_>,
    issue_id: &str,
    op: &Operation,
    at: &str,
    due_ms: i64,
) -> Result<()> {
    let payload = serde_json::to_string(op).map_err(|e| Error::Decode(e.to_string()))?;
    tx.prepare_cached(
        "INSERT INTO outbox (issue_id, kind, idempotency_key, payload, next_attempt_at, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?
    .execute(params![
        issue_id,
        op.kind(),
        uuid::Uuid::now_v7().to_string(),
        payload,
        due_ms,
        at
    ])?;
    Ok(())
}

/// What an event does to its issue's row, the same on every desktop: it moves the issue's
/// last activity forward, names who last worked on it when a person did it (unless a later
/// person's event is already known: events from the hub can arrive after newer ones, and a
/// vendor's event in between does not count), and — when
/// recorded here — sets the field it is the latest word on (an own change is on top). A
/// teammate's event takes the same steps through [`Activity`] and [`effects`].
fn fold(
    tx: &Transaction<'_>,
    issue_id: &str,
    global_id: &str,
    body: &EventBody,
    at: &str,
    actor: &str,
) -> Result<()> {
    if body.by_a_person() {
        tx.prepare_cached(
            "UPDATE issues SET updated_at = max(updated_at, ?2),
                updated_by = CASE WHEN ?4 > updated_by_mark THEN ?3 ELSE updated_by END,
                updated_by_mark = max(updated_by_mark, ?4)
             WHERE id = ?1",
        )?
        .execute(params![issue_id, at, actor, person_mark(at, global_id)])?;
    } else {
        tx.prepare_cached("UPDATE issues SET updated_at = max(updated_at, ?2) WHERE id = ?1")?
            .execute(params![issue_id, at])?;
    }
    set_register(tx, issue_id, body)?;
    effects(tx, issue_id, body, at, actor)
}

/// Orders persons' events the same way on every desktop (by time, then global id): the
/// latest names who last worked on the issue.
fn person_mark(at: &str, global_id: &str) -> String {
    format!("{at} {global_id}")
}

/// The rest of the fold, wherever the event comes from: an incident link.
fn effects(
    tx: &Transaction<'_>,
    issue_id: &str,
    body: &EventBody,
    at: &str,
    actor: &str,
) -> Result<()> {
    if let EventBody::FlaggedCritical {
        incident: Some(link),
        ..
    } = body
    {
        link_incident(tx, issue_id, link, at, actor)?;
    }
    Ok(())
}

/// The issue is a member of the incident (kept here once, from the first link event: the
/// incident and its lead issue are the same on every desktop). Members get the vendor's
/// updates of the lead issue's ticket on the desktop that owns it.
fn link_incident(
    tx: &Transaction<'_>,
    issue_id: &str,
    link: &crate::model::IncidentLink,
    at: &str,
    actor: &str,
) -> Result<()> {
    tx.prepare_cached(
        "INSERT OR IGNORE INTO incidents (id, title, lead_issue_id, created_at, created_by)
         SELECT ?1, ?2, ?3, ?4, ?5 WHERE EXISTS (SELECT 1 FROM issues WHERE id = ?3)",
    )?
    .execute(params![link.id, link.title, link.lead_issue_id, at, actor])?;
    tx.prepare_cached(
        "UPDATE issues SET incident_id = ?2
         WHERE id = ?1 AND EXISTS (SELECT 1 FROM incidents WHERE id = ?2)",
    )?
    .execute(params![issue_id, link.id])?;
    Ok(())
}

/// The field an event kind (as the team hub knows it) is the latest word on, if any.
pub(crate) fn register_of(kind: &str) -> Option<&'static str> {
    match kind {
        "status_changed" => Some("status"),
        "flagged_critical" | "incident_linked" => Some("critical"),
        "priority_changed" | "priority_overridden" => Some("priority"),
        _ => None,
    }
}

/// The event kinds that set `field`.
pub(crate) fn kinds_of(field: &str) -> &'static [&'static str] {
    match field {
        "status" => &["status_changed"],
        "critical" => &["flagged_critical", "incident_linked"],
        "priority" => &["priority_changed", "priority_overridden"],
        _ => &[],
    }
}

/// Sets the field `body` is the word on to what it says.
fn set_register(tx: &Transaction<'_>, issue_id: &str, body: &EventBody) -> Result<()> {
    match body {
        EventBody::StatusChanged { to, .. } => set_status(tx, issue_id, *to),
        EventBody::FlaggedCritical { .. } => set_critical(tx, issue_id, true),
        EventBody::PriorityChanged { set: Some(p), .. } => set_priority(tx, issue_id, p),
        _ => Ok(()),
    }
}

/// Sets the field again from an event already on the timeline (an own change the hub took
/// after it had been taken back here).
pub(crate) fn set_register_again(
    tx: &Transaction<'_>,
    issue_id: &str,
    body: &EventBody,
) -> Result<()> {
    changed_without_event(tx, issue_id)?;
    set_register(tx, issue_id, body)
}

/// The issue's row changes with no new event on its timeline: its revision is raised, so
/// what keeps rows worked out from it (the Escalations desk) sees the change.
fn changed_without_event(tx: &Transaction<'_>, issue_id: &str) -> Result<()> {
    tx.prepare_cached("UPDATE issues SET rev = rev + 1 WHERE id = ?1")?
        .execute([issue_id])?;
    Ok(())
}

/// The field `own` set, back to what the team's order says: `holder`'s value (the latest
/// change from the hub), or else what it was before `own`.
pub(crate) fn fall_back(
    tx: &Transaction<'_>,
    issue_id: &str,
    field: &str,
    holder: Option<&EventBody>,
    own: Option<&EventBody>,
) -> Result<()> {
    changed_without_event(tx, issue_id)?;
    if let Some(holder) = holder {
        return set_register(tx, issue_id, holder);
    }
    match (field, own) {
        ("status", Some(EventBody::StatusChanged { from, .. })) => set_status(tx, issue_id, *from),
        ("critical", _) => set_critical(tx, issue_id, false),
        (
            "priority",
            Some(EventBody::PriorityChanged {
                before: Some(p), ..
            }),
        ) => set_priority(tx, issue_id, p),
        _ => Ok(()),
    }
}

fn set_status(tx: &Transaction<'_>, issue_id: &str, to: Status) -> Result<()> {
    tx.prepare_cached("UPDATE issues SET status = ?2 WHERE id = ?1")?
        .execute(params![issue_id, to.as_str()])?;
    Ok(())
}

fn set_critical(tx: &Transaction<'_>, issue_id: &str, critical: bool) -> Result<()> {
    tx.prepare_cached("UPDATE issues SET critical = ?2 WHERE id = ?1")?
        .execute(params![issue_id, critical])?;
    Ok(())
}

fn set_priority(tx: &Transaction<'_>, issue_id: &str, p: &PriorityFields) -> Result<()> {
    tx.prepare_cached(
        "UPDATE issues SET priority = ?2, priority_rank = ?3, impact = ?4, urgency = ?5 WHERE id = ?1",
    )?
    .execute(params![issue_id, p.priority, p.rank, p.impact, p.urgency])?;
    Ok(())
}

/// The issue's priority fields now (what a priority change records as `before`).
pub(crate) fn priority_fields(tx: &Connection, issue_id: &str) -> Result<PriorityFields> {
    tx.prepare_cached("SELECT priority, priority_rank, impact, urgency FROM issues WHERE id = ?1")?
        .query_row([issue_id], |r| {
            Ok(PriorityFields {
                priority: r.get(0)?,
                rank: r.get(1)?,
                impact: r.get(2)?,
                urgency: r.get(3)?,
            })
        })
        .optional()?
        .ok_or_else(|| Error::NotFound {
            what: "Issue",
            id: issue_id.to_owned(),
        })
}

/// The timeline row: appended, never changed, linked into the issue's hash chain.
fn timeline_row(
    tx: &Transaction<'_>,
    issue_id: &str,
    global_id: &str,
    at: &str,
    actor: &str,
    body: &EventBody,
) -> Result<()> {
    let data = serde_json::to_string(body).map_err(|e| Error::Decode(e.to_string()))?;
    let kind = body.kind();
    let hash = crate::evidence::chain::next(tx, issue_id, (global_id, at, actor, kind, &data))?;
    tx.prepare_cached(
        "INSERT INTO issue_events (issue_id, at, actor, kind, data, global_id, hash) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?
    .execute(params![issue_id, at, actor, kind, data, global_id, hash])?;
    Ok(())
}

/// The issue's status, or `NotFound` when there is no such issue.
pub(crate) fn current_status(tx: &Connection, id: &str) -> Result<Status> {
    let status: Option<String> = tx
        .prepare_cached("SELECT status FROM issues WHERE id = ?1")?
        .query_row([id], |r| r.get(0))
        .optional()?;
    Status::parse(&status.ok_or_else(|| Error::NotFound {
        what: "Issue",
        id: id.to_owned(),
    })?)
}

/// The next short number no issue here has: the counter only grows, and skips a number a
/// teammate's issue already holds (past the end of this desktop's block, offline).
pub(crate) fn next_free_number(tx: &Transaction<'_>) -> Result<i64> {
    loop {
        let n: i64 = tx
            .prepare_cached(
                "UPDATE counters SET next = next + 1 WHERE name = 'issue_number' RETURNING next - 1",
            )?
            .query_row([], |r| r.get(0))?;
        let taken: bool = tx
            .prepare_cached("SELECT EXISTS (SELECT 1 FROM issues WHERE number = ?1)")?
            .query_row([n], |r| r.get(0))?;
        if !taken {
            return Ok(n);
        }
    }
}

/// Unix milliseconds of an RFC 3339 time from the core's clock (when an operation is due).
fn millis_of(at: &str) -> i64 {
    chrono::DateTime::parse_from_rfc3339(at)
        .map(|t| t.timestamp_millis())
        .unwrap_or_else(|_| chrono::Utc::now().timestamp_millis())
}

/// What an event carries to other desktops.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Envelope {
    /// Who the timeline shows (a person, or "sync" for what the vendor said).
    pub actor: String,
    /// The timeline event.
    pub event: EventBody,
    /// For a new issue: what it is.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seed: Option<IssueSeed>,
    /// For a file added: what it is (its content goes to the hub beside the event).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub file: Option<SharedFile>,
    /// What the desktop that owns the issue's vendor ticket is to send for this change.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub vendor: Vec<Operation>,
}

/// A new issue's fields, for desktops that have not seen it: what was logged, and what
/// followed from it where it was logged.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct IssueSeed {
    /// The issue as logged (client id, title, description, …).
    #[serde(flatten)]
    pub issue: crate::model::NewIssue,
    /// The client's name (matched by name on a desktop that has its own record of them).
    pub client_name: String,
    /// Priority label.
    pub priority: String,
    /// Priority rank (1 most urgent).
    pub priority_rank: i64,
    /// Its short number where it was logged (from that desktop's block: the same everywhere).
    #[serde(default)]
    pub number: Option<i64>,
}

/// The teammate whose desktop owns the issue's vendor ticket, when it is not this desktop.
pub(crate) fn vendor_owner_elsewhere(
    conn: &rusqlite::Connection,
    issue_id: &str,
) -> Result<Option<String>> {
    Ok(conn
        .prepare_cached("SELECT owner FROM team_vendor_owner WHERE issue_id = ?1")?
        .query_row([issue_id], |r| r.get(0))
        .optional()?)
}

/// Whether this desktop created or queued the issue's vendor ticket (and so talks to it).
pub(crate) fn escalated_here(tx: &Connection, issue_id: &str) -> Result<bool> {
    Ok(tx
        .prepare_cached(
            "SELECT EXISTS (SELECT 1 FROM outbox WHERE issue_id = ?1 AND kind = 'create_ticket' AND handed_to IS NULL)",
        )?
        .query_row([issue_id], |r| r.get(0))?)
}

/// A file attached to an issue, as its event tells teammates about it.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SharedFile {
    /// The attachment's id (the same on every desktop).
    pub id: String,
    /// Hex SHA-256 of the content: where it is in every desktop's store, and on the hub.
    pub sha256: String,
    /// Its name.
    pub file_name: String,
    /// Its MIME type.
    pub media_type: String,
    /// Bytes.
    pub size: i64,
    /// Set by the desktop applying the event: the content is already in its store.
    #[serde(skip)]
    pub present: bool,
}
