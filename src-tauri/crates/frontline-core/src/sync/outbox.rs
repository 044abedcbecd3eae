//! The outbox, local side: operations for the vendor are written in the same transaction as
//! the change that causes them, with a stable idempotency key and a frozen payload; the sync
//! engine reads the due ones and records what happened.
use rusqlite::{params, Connection, OptionalExtension, Transaction};
use serde::Serialize;
use ts_rs::TS;

pub use super::operation::Operation;
use super::vendor::{TicketDraft, VendorComment, VendorTicket};
use super::zendesk::REFERENCE_LINE;
use crate::error::{Error, Result};
use crate::frontline::Frontline;
use crate::journal::{self, current_status, Change};
use crate::model::{Attachment, EventBody, IssueDetail, PriorityFields};
use crate::status::Status;
use crate::validate::{self, TEXT_MAX};

/// The marker a comment carries so that a repeat after an uncertain failure can be detected.
pub fn marker(key: &str) -> String {
    format!("[frontline:{key}]")
}

/// The idempotency keys of every marker in a comment's text.
pub fn markers_in(text: &str) -> impl Iterator<Item = &str> {
    text.split("[frontline:")
        .skip(1)
        .filter_map(|rest| rest.split_once(']').map(|(key, _)| key))
        .filter(|key| !key.is_empty() && key.len() <= 64 && !key.contains(char::is_whitespace))
}

/// The issue a ticket's body names on its reference line, if any.
pub fn referenced_issue(description: &str) -> Option<&str> {
    let (_, rest) = description.split_once(REFERENCE_LINE)?;
    rest.split_whitespace().next()
}

/// An operation the engine may run now.
#[derive(Debug, Clone)]
pub struct DueOperation {
    /// Row id.
    pub id: i64,
    /// The issue.
    pub issue_id: String,
    /// Stable across retries.
    pub idempotency_key: String,
    /// What to do.
    pub op: Operation,
    /// Attempts so far.
    pub attempts: i64,
    /// An earlier attempt may have reached the vendor.
    pub uncertain: bool,
    /// The vendor ticket, once created.
    pub ticket_id: Option<i64>,
    /// When the first attempt was sent (unix ms), if one was.
    pub first_sent_at: Option<i64>,
    /// When the latest attempt was sent (unix ms), if one was.
    pub last_sent_at: Option<i64>,
    /// An attempt began and its outcome was never recorded (the process died).
    pub interrupted: bool,
    /// Answers from the vendor that made no sense, so far.
    pub bad_answers: i64,
    /// The teammate whose desktop owns the issue's ticket (their escalation came first in the
    /// hub's order), when it is not this desktop.
    pub owner: Option<String>,
}

/// One outbox row as the issue page shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct OutboxItem {
    /// Row id.
    #[ts(type = "number")]
    pub id: i64,
    /// In words.
    pub what: String,
    /// `pending`; `parked` (refused by the vendor); `waiting` (pending, behind a parked
    /// operation of the same issue: operations of one issue never overtake each other).
    pub state: String,
    /// Attempts so far.
    #[ts(type = "number")]
    pub attempts: i64,
    /// The last failure, if any.
    pub last_error: Option<String>,
    /// When the next attempt is due (RFC 3339), for pending rows.
    pub next_attempt_at: Option<String>,
}

/// Where an issue stands with the vendor.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct VendorState {
    /// The vendor's ticket id, once created.
    #[ts(type = "number | null")]
    pub ticket_id: Option<i64>,
    /// Where to see it.
    pub ticket_url: String,
    /// The vendor's status.
    pub status: String,
    /// Who at the vendor owns it.
    pub assignee: String,
    /// Operations not yet done (pending or parked), oldest first.
    pub outbox: Vec<OutboxItem>,
    /// The teammate whose desktop talks to the vendor for this issue (it escalated first);
    /// `None` when it is this desktop, or nobody yet.
    pub owner: Option<String>,
}

pub(crate) fn vendor_state(conn: &Connection, issue_id: &str) -> Result<VendorState> {
    let ticket: Option<(i64, String, String, String)> = conn
        .prepare_cached(
            "SELECT ticket_id, url, status, assignee FROM vendor_tickets
             WHERE issue_id = ?1
                OR issue_id = (SELECT n.lead_issue_id FROM issues i JOIN incidents n ON n.id = i.incident_id WHERE i.id = ?1)
             ORDER BY issue_id = ?1 DESC LIMIT 1",
        )?
        .query_row([issue_id], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
        })
        .optional()?;
    let mut stmt = conn.prepare_cached(
        "SELECT id, payload, state, attempts, last_error, next_attempt_at, kind FROM outbox
         WHERE issue_id = ?1 AND state != 'done' ORDER BY id",
    )?;
    let outbox = stmt
        .query_map([issue_id], |r| {
            let payload: String = r.get(1)?;
            let state: String = r.get(2)?;
            let next: i64 = r.get(5)?;
            // Housekeeping on a copy (closing a duplicate) holds nothing back when refused.
            let blocks = r.get::<_, String>(6)? != "close_duplicate";
            Ok((
                blocks,
                OutboxItem {
                    id: r.get(0)?,
                    what: serde_json::from_str::<Operation>(&payload)
                        .map(|o| o.describe())
                        .unwrap_or_else(|_| "An operation this version does not know".to_owned()),
                    next_attempt_at: (state == "pending").then(|| millis_to_rfc3339(next)),
                    state,
                    attempts: r.get(3)?,
                    last_error: r.get(4)?,
                },
            ))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let mut behind_refusal = false;
    let outbox = outbox
        .into_iter()
        .map(|(blocks, mut item): (bool, OutboxItem)| {
            if item.state == "parked" {
                behind_refusal |= blocks;
            } else if behind_refusal {
                item.state = "waiting".to_owned();
                item.next_attempt_at = None;
            }
            item
        })
        .collect();
    let owner = crate::team::vendor_owner_elsewhere(conn, issue_id)?;
    // A ticket a teammate's desktop owns is known here from its events (through the hub).
    let ticket = match (ticket, &owner) {
        (None, Some(_)) => ticket_from_timeline(conn, issue_id)?,
        (ticket, _) => ticket,
    };
    let (ticket_id, ticket_url, status, assignee) = match ticket {
        Some((id, url, status, assignee)) => (Some(id), url, status, assignee),
        None => (None, String::new(), String::new(), String::new()),
    };
    Ok(VendorState {
        ticket_id,
        ticket_url,
        status,
        assignee,
        outbox,
        owner,
    })
}

/// The ticket, its status and assignee as the issue's timeline tells them.
fn ticket_from_timeline(
    conn: &Connection,
    issue_id: &str,
) -> Result<Option<(i64, String, String, String)>> {
    let latest = |kind: &str| -> Result<Option<EventBody>> {
        let data: Option<String> = conn
            .prepare_cached(
                "SELECT data FROM issue_events WHERE issue_id = ?1 AND kind = ?2 ORDER BY at DESC, id DESC LIMIT 1",
            )?
            .query_row(params![issue_id, kind], |r| r.get(0))
            .optional()?;
        Ok(data.and_then(|d| serde_json::from_str(&d).ok()))
    };
    // The latest ticket linked that no event names as a copy (two desktops escalated apart).
    let mut stmt = conn.prepare_cached(
        "SELECT data FROM issue_events
         WHERE issue_id = ?1 AND kind IN ('vendor_ticket_linked', 'vendor_handed_over', 'vendor_duplicate')
         ORDER BY at DESC, id DESC",
    )?;
    let bodies = stmt
        .query_map([issue_id], |r| r.get::<_, String>(0))?
        .filter_map(|d| {
            d.map(|d| serde_json::from_str::<EventBody>(&d).ok())
                .transpose()
        })
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let copies: std::collections::HashSet<i64> = bodies
        .iter()
        .filter_map(|b| match b {
            EventBody::VendorHandedOver {
                copy_ticket_id: Some(copy),
                ..
            } => Some(*copy),
            EventBody::VendorDuplicate {
                ticket_id,
                copy_ticket_id,
                ..
            } if ticket_id != copy_ticket_id => Some(*copy_ticket_id),
            _ => None,
        })
        .collect();
    let Some((ticket_id, url)) = bodies.into_iter().find_map(|b| match b {
        EventBody::VendorTicketLinked { ticket_id, url } if !copies.contains(&ticket_id) => {
            Some((ticket_id, url))
        }
        _ => None,
    }) else {
        return Ok(None);
    };
    let (status, assignee) = match latest("vendor_update")? {
        Some(EventBody::VendorUpdate {
            status, assignee, ..
        }) => (status, assignee),
        _ => (String::new(), String::new()),
    };
    Ok(Some((ticket_id, url, status, assignee)))
}

fn millis_to_rfc3339(ms: i64) -> String {
    chrono::DateTime::from_timestamp_millis(ms)
        .unwrap_or_default()
        .to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

/// Whether the issue's vendor ticket is created or queued, here or on the teammate's desktop
/// that owns it.
pub(crate) fn escalated(tx: &Connection, issue_id: &str) -> Result<bool> {
    Ok(escalated_here(tx, issue_id)?
        || crate::team::vendor_owner_elsewhere(tx, issue_id)?.is_some())
}

pub(crate) use crate::journal::escalated_here;

/// The operation that sends an attached file to the vendor.
pub(crate) fn attach_op(a: &Attachment) -> Operation {
    Operation::Attach {
        attachment_id: a.id.clone(),
        sha256: a.sha256.clone(),
        file_name: a.file_name.clone(),
        media_type: a.media_type.clone(),
    }
}

/// The vendor's priority for ours: by rank (1 is the most urgent).
fn vendor_priority(rank: i64) -> &'static str {
    match rank {
        i64::MIN..=1 => "urgent",
        2 => "high",
        3 => "normal",
        _ => "low",
    }
}

/// The ticket body: the issue's fields, readable by a person at the vendor.
fn ticket_body(d: &IssueDetail) -> String {
    let i = &d.issue;
    let mut body = format!(
        "Client: {}\nPriority: {} ({})\nCategory: {}\nAffected users: {}\nLogged: {} by {}\n\n\
         What happens\n{}\n",
        i.client_name,
        i.priority,
        i.priority_reason,
        i.category,
        i.affected_users,
        i.created_at,
        i.created_by,
        i.description.trim(),
    );
    if !i.steps.trim().is_empty() {
        body.push_str(&format!("\nSteps to reproduce\n{}\n", i.steps.trim()));
    }
    let mut tried = Vec::new();
    for e in &d.events {
        match &e.body {
            EventBody::StepRecorded {
                text, done: true, ..
            } => tried.push(format!("- Done: {text}")),
            EventBody::StepRecorded {
                text,
                done: false,
                reason,
                ..
            } => tried.push(format!("- Skipped: {text} ({reason})")),
            EventBody::ArticleVerdict {
                title,
                helped: false,
                ..
            } => tried.push(format!("- Article did not help: {title}")),
            _ => {}
        }
    }
    if !tried.is_empty() {
        body.push_str(&format!(
            "\nAlready tried at the first line\n{}\n",
            tried.join("\n")
        ));
    }
    if !d.attachments.is_empty() {
        let names: Vec<&str> = d.attachments.iter().map(|a| a.file_name.as_str()).collect();
        body.push_str(&format!(
            "\nFiles (sent in follow-up comments): {}\n",
            names.join(", ")
        ));
    }
    body.push_str(&format!("\n{REFERENCE_LINE} {} ({})\n", i.id, i.key));
    body
}

/// What a pull changed.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct PullReport {
    /// Tickets written to the cache.
    pub tickets: usize,
    /// Linked tickets whose status or owner changed (their comments are worth reading).
    pub changed_linked: Vec<i64>,
    /// What deserves a desktop notification (status or owner changes on our issues).
    pub notices: Vec<crate::notify::Notice>,
}

impl Frontline {
    /// Escalates an issue to the vendor: checks readiness, moves it to "escalated" and queues
    /// the vendor ticket (with its files) — or, if a ticket exists, a request to escalate
    /// further — all in one transaction. Works offline; the sync engine sends it later.
    pub fn escalate(&self, issue_id: &str, note: &str) -> Result<IssueDetail> {
        let note = validate::optional("Note", note, TEXT_MAX)?;
        let detail = self.issue(issue_id)?;
        if !detail.readiness.ready {
            let missing: Vec<String> = detail
                .readiness
                .items
                .iter()
                .filter(|i| !i.ok)
                .map(|i| format!("{} ({})", i.need, i.detail))
                .collect();
            return Err(Error::invalid(
                "Escalation",
                format!("is not ready yet. Still needed: {}.", missing.join("; ")),
            ));
        }
        let now = self.now();
        let user = self.user();
        let rank = self
            .matrix
            .assess(&detail.issue.impact, detail.issue.urgency)
            .map(|a| a.rank)
            .unwrap_or(3);
        let settings = self.vendor_settings()?;
        self.db.write(|tx| {
            let from = current_status(tx, issue_id)?;
            if !escalated(tx, issue_id)? {
                // The ticket carries every file of the issue: they must fit it.
                crate::frontline::check_ticket_files(tx, issue_id, &settings, 0, "The issue's files")?;
            }
            if from != Status::Escalated {
                from.check_transition(Status::Escalated)?;
            }
            let lead: Option<String> = tx
                .query_row(
                    "SELECT n.lead_issue_id FROM issues i JOIN incidents n ON n.id = i.incident_id
                     WHERE i.id = ?1 AND n.lead_issue_id != ?1",
                    [issue_id],
                    |r| r.get(0),
                )
                .optional()?;
            // Moving to "escalated" is the event; when it already is, the request to the
            // vendor rides on a note saying so.
            let change = if from != Status::Escalated {
                Change::new(
                    issue_id,
                    &now,
                    &user,
                    EventBody::StatusChanged {
                        from,
                        to: Status::Escalated,
                        note: note.clone(),
                    },
                )
            } else {
                Change::new(
                    issue_id,
                    &now,
                    &user,
                    EventBody::Note {
                        text: if note.is_empty() {
                            "Escalated again: the client is still affected.".to_owned()
                        } else {
                            format!("Escalated again: {note}")
                        },
                    },
                )
            };
            if let Some(lead) = lead.filter(|l| escalated(tx, l).unwrap_or(false)) {
                tracing::info!(issue = %issue_id, lead = %lead, "escalated with its incident's ticket");
                change.record(tx)?;
                return Ok(());
            }
            if escalated(tx, issue_id)? {
                let body = if note.is_empty() {
                    "Escalation requested: the client is still affected.".to_owned()
                } else {
                    format!("Escalation requested: {note}")
                };
                change
                    .sends(Operation::RequestEscalation { body, tags: Vec::new() })
                    .record(tx)?;
                return Ok(());
            }
            let i = &detail.issue;
            let draft = TicketDraft {
                subject: format!("{} [{}]", i.title, i.key),
                body: ticket_body(&detail),
                priority: vendor_priority(rank).to_owned(),
                kind: if i.category == "insight" { "question" } else { "incident" }.to_owned(),
                tags: vec!["frontline".to_owned(), format!("frontline_{}", i.category)],
                external_id: i.id.clone(),
            };
            change
                .sends(Operation::CreateTicket { draft })
                .sends_all(detail.attachments.iter().map(attach_op))
                .record(tx)?;
            Ok(())
        })?;
        tracing::info!(issue = %issue_id, "escalation queued");
        self.refresh_sla_due(issue_id)
    }

    /// Sends a message to the vendor on an escalated issue (queued; works offline).
    pub fn message_vendor(&self, issue_id: &str, text: &str) -> Result<IssueDetail> {
        let text = validate::required("Message", text, TEXT_MAX)?;
        let now = self.now();
        let user = self.user();
        self.db.write(|tx| {
            current_status(tx, issue_id)?;
            if !escalated(tx, issue_id)? {
                return Err(Error::invalid(
                    "Message",
                    "can only go to the vendor once the issue is escalated. Escalate it first, or add a note instead.",
                ));
            }
            Change::new(
                issue_id,
                &now,
                &user,
                EventBody::VendorComment {
                    text: text.clone(),
                    author: user.clone(),
                    from_vendor: false,
                    vendor_at: None,
                },
            )
            .sends(Operation::Comment { body: text.clone() })
            .record(tx)?;
            Ok(())
        })?;
        self.issue(issue_id)
    }

    /// Reassesses impact and urgency; the new priority reaches the vendor if escalated.
    pub fn change_priority(
        &self,
        issue_id: &str,
        impact: &str,
        urgency: &str,
    ) -> Result<IssueDetail> {
        let urgency = crate::model::Urgency::parse(urgency)?;
        let assessment = self.matrix.assess(impact, urgency)?;
        let now = self.now();
        let user = self.user();
        self.db.write(|tx| {
            current_status(tx, issue_id)?;
            let before = journal::priority_fields(tx, issue_id)?;
            let from = before.priority.clone();
            let change = Change::new(
                issue_id,
                &now,
                &user,
                EventBody::PriorityChanged {
                    from: from.clone(),
                    to: assessment.priority.clone(),
                    reason: assessment.reason.clone(),
                    lead_override: false,
                    set: Some(PriorityFields {
                        priority: assessment.priority.clone(),
                        rank: assessment.rank,
                        impact: impact.to_owned(),
                        urgency: urgency.as_str().to_owned(),
                    }),
                    before: Some(before),
                },
            );
            if from != assessment.priority && escalated(tx, issue_id)? {
                let priority = vendor_priority(assessment.rank).to_owned();
                change
                    .sends(Operation::SetPriority { priority })
                    .record(tx)?;
            } else {
                change.record(tx)?;
            }
            Ok(())
        })?;
        self.issue(issue_id)
    }

    /// Puts a parked operation back in the queue (after the cause was fixed).
    pub fn retry_operation(&self, op_id: i64) -> Result<()> {
        let now_ms = self.clock.now().timestamp_millis();
        let n = self.db.write(|tx| {
            Ok(tx.execute(
                "UPDATE outbox SET state = 'pending', attempts = 0, bad_answers = 0, uncertain = 1, next_attempt_at = ?2
                 WHERE id = ?1 AND state = 'parked'",
                params![op_id, now_ms],
            )?)
        })?;
        if n == 0 {
            return Err(Error::NotFound {
                what: "Parked operation",
                id: op_id.to_string(),
            });
        }
        Ok(())
    }

    // ---- for the sync engine ---------------------------------------------------------------

    /// The operations that may run now: the oldest pending one of each issue, if due, not
    /// behind a parked one of the same issue (order holds within an issue), and only once the
    /// issue's ticket exists (except the create itself).
    pub fn due_operations(&self, now_ms: i64, limit: usize) -> Result<Vec<DueOperation>> {
        self.db.read(|conn| {
            let mut stmt = conn.prepare_cached(
                "SELECT o.id, o.issue_id, o.idempotency_key, o.payload, o.attempts, o.uncertain OR o.in_flight, v.ticket_id, o.first_sent_at,
                        o.last_sent_at, o.in_flight, o.bad_answers, w.owner
                 FROM (SELECT issue_id, min(id) AS id FROM outbox WHERE state = 'pending' GROUP BY issue_id) h
                 JOIN outbox o ON o.id = h.id
                 LEFT JOIN vendor_tickets v ON v.issue_id = o.issue_id
                 LEFT JOIN team_vendor_owner w ON w.issue_id = o.issue_id
                 WHERE o.next_attempt_at <= ?1 AND (o.kind IN ('create_ticket', 'close_duplicate') OR v.ticket_id IS NOT NULL)
                   AND NOT EXISTS (SELECT 1 FROM outbox p WHERE p.issue_id = o.issue_id AND p.state = 'parked' AND p.id < o.id AND p.kind != 'close_duplicate')
                 ORDER BY o.next_attempt_at, o.id LIMIT ?2",
            )?;
            let rows = stmt.query_map(params![now_ms, limit as i64], |r| {
                let payload: String = r.get(3)?;
                Ok((
                    r.get::<_, i64>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                    payload,
                    r.get::<_, i64>(4)?,
                    r.get::<_, bool>(5)?,
                    r.get::<_, Option<i64>>(6)?,
                    r.get::<_, Option<i64>>(7)?,
                    (
                        r.get::<_, Option<i64>>(8)?,
                        r.get::<_, bool>(9)?,
                        r.get::<_, i64>(10)?,
                        r.get::<_, Option<String>>(11)?,
                    ),
                ))
            })?;
            let mut out = Vec::new();
            for row in rows {
                let (
                    id,
                    issue_id,
                    idempotency_key,
                    payload,
                    attempts,
                    uncertain,
                    ticket_id,
                    first_sent_at,
                    (last_sent_at, interrupted, bad_answers, owner),
                ) = row?;
                let op = serde_json::from_str(&payload)
                    .map_err(|e| Error::Decode(format!("outbox operation {id}: {e}")))?;
                out.push(DueOperation {
                    id,
                    issue_id,
                    idempotency_key,
                    op,
                    attempts,
                    uncertain,
                    ticket_id,
                    first_sent_at,
                    last_sent_at,
                    interrupted,
                    bad_answers,
                    owner,
                });
            }
            Ok(out)
        })
    }

    /// When the next pending operation falls due (unix ms), if any.
    pub fn next_due_at(&self) -> Result<Option<i64>> {
        self.db.read(|conn| {
            Ok(conn.query_row(
                "SELECT min(o.next_attempt_at)
                 FROM (SELECT issue_id, min(id) AS id FROM outbox WHERE state = 'pending' GROUP BY issue_id) h
                 JOIN outbox o ON o.id = h.id
                 LEFT JOIN vendor_tickets v ON v.issue_id = o.issue_id
                 WHERE (o.kind IN ('create_ticket', 'close_duplicate') OR v.ticket_id IS NOT NULL)
                   AND NOT EXISTS (SELECT 1 FROM outbox p WHERE p.issue_id = o.issue_id AND p.state = 'parked' AND p.id < o.id AND p.kind != 'close_duplicate')",
                [],
                |r| r.get(0),
            )?)
        })
    }

    /// Pending and parked operation counts.
    pub fn outbox_counts(&self) -> Result<(i64, i64)> {
        self.db.read(|conn| {
            Ok(conn.query_row(
                "SELECT (SELECT count(*) FROM outbox WHERE state = 'pending'),
                        (SELECT count(*) FROM outbox WHERE state = 'parked')",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )?)
        })
    }

    /// The create succeeded (or a look-up found the ticket): link it and mark the row done.
    pub fn ticket_created(
        &self,
        op_id: i64,
        issue_id: &str,
        t: &super::vendor::TicketRef,
    ) -> Result<()> {
        let (ticket_id, url, status) = (t.id, t.url.as_str(), t.status.as_str());
        let now = self.now();
        self.db.write(|tx| {
            tx.execute(
                "INSERT INTO vendor_tickets (ticket_id, issue_id, url, status, updated_at, pulled_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)
                 ON CONFLICT (ticket_id) DO UPDATE SET issue_id = excluded.issue_id, url = excluded.url",
                params![ticket_id, issue_id, url, status, t.updated_at, now],
            )?;
            Change::new(
                issue_id,
                &now,
                "sync",
                EventBody::VendorTicketLinked {
                    ticket_id,
                    url: url.to_owned(),
                },
            )
            .record(tx)?;
            mark_done(tx, op_id, &now)?;
            // A copy a pull already saw (it reached the vendor before this one was found).
            mark_duplicates(tx, issue_id, &now)?;
            // A teammate escalated first: this ticket is a copy of theirs, once theirs is known.
            super::handover::repair_copy(tx, issue_id, &now)
        })
    }

    /// A teammate's desktop owns the issue's ticket and this create never reached the vendor
    /// (or its look-up found nothing): it is not needed.
    pub fn operation_handed_over(&self, op_id: i64, owner: &str) -> Result<()> {
        let now = self.now();
        self.db.write(|tx| {
            tx.execute(
                "UPDATE outbox SET state = 'done', handed_to = ?2, done_at = ?3, in_flight = 0, last_error = NULL
                 WHERE id = ?1 AND state = 'pending'",
                params![op_id, owner, now],
            )?;
            Ok(())
        })
    }

    /// An attempt is about to be sent. If the process dies before the outcome is recorded,
    /// the next attempt treats the vendor as possibly having acted (and looks first, once the
    /// attempt can no longer arrive). Returns the time recorded as sent (unix ms).
    pub fn operation_started(&self, op_id: i64) -> Result<i64> {
        let now_ms = self.clock.now().timestamp_millis();
        self.db.write(|tx| {
            tx.execute(
                "UPDATE outbox SET in_flight = 1, first_sent_at = coalesce(first_sent_at, ?2), last_sent_at = ?2
                 WHERE id = ?1",
                params![op_id, now_ms],
            )?;
            Ok(now_ms)
        })
    }

    /// The operation reached the vendor.
    pub fn operation_done(&self, op_id: i64) -> Result<()> {
        let now = self.now();
        self.db.write(|tx| mark_done(tx, op_id, &now))
    }

    /// The operation failed and will be tried again at `next_ms`; `bad_answer` when the
    /// vendor's answer made no sense (only those count towards parking).
    pub fn operation_failed(
        &self,
        op_id: i64,
        next_ms: i64,
        error: &str,
        uncertain: bool,
        bad_answer: bool,
    ) -> Result<()> {
        self.db.write(|tx| {
            tx.execute(
                "UPDATE outbox SET attempts = attempts + 1, bad_answers = bad_answers + ?5, next_attempt_at = ?2,
                    last_error = ?3, uncertain = max(uncertain, ?4), in_flight = 0
                 WHERE id = ?1 AND state = 'pending'",
                params![op_id, next_ms, error, uncertain, bad_answer as i64],
            )?;
            Ok(())
        })
    }

    /// The operation could not be tried (the vendor is unreachable, the network in between
    /// answered, or an earlier copy may still be on its way): it waits until `next_ms` and is
    /// not counted as tried.
    pub fn operation_deferred(
        &self,
        op_id: i64,
        next_ms: i64,
        error: &str,
        uncertain: bool,
    ) -> Result<()> {
        self.db.write(|tx| {
            tx.execute(
                "UPDATE outbox SET next_attempt_at = ?2, last_error = ?3, uncertain = max(uncertain, ?4), in_flight = 0
                 WHERE id = ?1 AND state = 'pending'",
                params![op_id, next_ms, error, uncertain],
            )?;
            Ok(())
        })
    }

    /// The vendor refused the operation: set it aside, tell the issue.
    pub fn operation_parked(&self, op_id: i64, message: &str) -> Result<()> {
        let now = self.now();
        self.db.write(|tx| {
            let row: Option<(String, String)> = tx
                .query_row(
                    "UPDATE outbox SET state = 'parked', attempts = attempts + 1, last_error = ?2, in_flight = 0
                     WHERE id = ?1 AND state = 'pending' RETURNING issue_id, payload",
                    params![op_id, message],
                    |r| Ok((r.get(0)?, r.get(1)?)),
                )
                .optional()?;
            if let Some((issue_id, payload)) = row {
                let what = serde_json::from_str::<Operation>(&payload)
                    .map(|o| o.describe())
                    .unwrap_or_default();
                Change::new(
                    &issue_id,
                    &now,
                    "sync",
                    EventBody::VendorRejected {
                        what,
                        message: message.to_owned(),
                    },
                )
                .record(tx)?;
            }
            Ok(())
        })
    }

    /// Every linked ticket id.
    pub fn linked_tickets(&self) -> Result<Vec<i64>> {
        self.db.read(|conn| {
            let mut stmt = conn.prepare("SELECT ticket_id FROM vendor_tickets WHERE issue_id IS NOT NULL ORDER BY ticket_id")?;
            let ids = stmt.query_map([], |r| r.get(0))?.collect::<rusqlite::Result<Vec<i64>>>()?;
            Ok(ids)
        })
    }

    /// Writes what the vendor shows for its tickets into the cache, in one transaction. Status
    /// or owner changes on linked tickets go on the issue's timeline.
    pub fn ingest_tickets(&self, tickets: &[VendorTicket]) -> Result<PullReport> {
        let now = self.now();
        self.db.write(|tx| {
            let mut report = PullReport::default();
            let mut read = tx.prepare_cached(
                "SELECT issue_id, status, assignee, updated_at, priority FROM vendor_tickets WHERE ticket_id = ?1",
            )?;
            let mut upsert = tx.prepare_cached(
                "INSERT INTO vendor_tickets (ticket_id, subject, status, priority, assignee, updated_at, pulled_at, reference, opened_elsewhere, created_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)
                 ON CONFLICT (ticket_id) DO UPDATE SET subject = excluded.subject, status = excluded.status,
                    created_at = CASE WHEN excluded.created_at = '' THEN created_at ELSE excluded.created_at END,
                    priority = excluded.priority, assignee = excluded.assignee,
                    updated_at = excluded.updated_at, pulled_at = excluded.pulled_at,
                    reference = coalesce(excluded.reference, reference),
                    opened_elsewhere = max(opened_elsewhere, excluded.opened_elsewhere)",
            )?;
            let mut ours = tx.prepare_cached(
                "SELECT EXISTS (SELECT 1 FROM outbox WHERE idempotency_key = ?1 AND kind = 'create_ticket')",
            )?;
            for t in tickets {
                let before: Option<(Option<String>, String, String, String, String)> = read
                    .query_row([t.id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)))
                    .optional()?;
                let reference = referenced_issue(&t.description)
                    .or(t.external_id.as_deref())
                    .filter(|r| !r.is_empty());
                // A create carries its marker: one that is not ours means a teammate opened it
                // (tickets from before markers have none, and may be copies of ours).
                let keys: Vec<&str> = markers_in(&t.description).collect();
                let mut opened_elsewhere = !keys.is_empty();
                for key in keys {
                    if ours.query_row([key], |r| r.get::<_, bool>(0))? {
                        opened_elsewhere = false;
                        break;
                    }
                }
                upsert.execute(params![t.id, t.subject, t.status, t.priority, t.assignee, t.updated_at, now, reference, opened_elsewhere, t.created_at])?;
                report.tickets += 1;
                if opened_elsewhere {
                    // A teammate's ticket for the issue: never a copy of ours.
                } else if let (Some(issue_id), None | Some((None, ..))) = (reference, &before) {
                    mark_duplicates(tx, issue_id, &now)?;
                }
                if let Some((Some(issue_id), status, assignee, updated_at, priority)) = before {
                    if updated_at == t.updated_at && status == t.status && assignee == t.assignee {
                        continue;
                    }
                    if t.priority == "urgent" && !priority.is_empty() && priority != "urgent" {
                        let key = issue_key(tx, &issue_id)?;
                        report.notices.push(crate::notify::Notice {
                            kind: crate::notify::NoticeKind::FlaggedCritical,
                            issue_id: Some(issue_id.clone()),
                            title: format!("{key} · now urgent at the vendor"),
                            body: t.subject.clone(),
                        });
                    }
                    if status != t.status || assignee != t.assignee {
                        let key = issue_key(tx, &issue_id)?;
                        report.notices.push(crate::notify::Notice {
                            kind: crate::notify::NoticeKind::LadderChanged,
                            issue_id: Some(issue_id.clone()),
                            title: format!("{key} · the vendor updated the ticket"),
                            body: if assignee != t.assignee && !t.assignee.is_empty() {
                                format!("Now owned by {} ({})", t.assignee, t.status)
                            } else {
                                format!("Status: {status} → {}", t.status)
                            },
                        });
                        let update = EventBody::VendorUpdate {
                            status: t.status.clone(),
                            previous_status: status,
                            assignee: t.assignee.clone(),
                            vendor_at: Some(t.updated_at.clone()).filter(|u| !u.is_empty()),
                        };
                        for member in incident_members(tx, &issue_id)? {
                            Change::new(&member, &now, "sync", update.clone()).record(tx)?;
                        }
                    }
                    report.changed_linked.push(t.id);
                }
            }
            Ok(report)
        })
    }

    /// Brings the vendor's new public replies on a linked ticket into the issue's timeline,
    /// once each. Returns how many were new.
    pub fn ingest_comments(
        &self,
        ticket_id: i64,
        comments: &[VendorComment],
    ) -> Result<Vec<crate::notify::Notice>> {
        let now = self.now();
        self.db.write(|tx| {
            let issue_id: Option<String> = tx
                .query_row(
                    "SELECT issue_id FROM vendor_tickets WHERE ticket_id = ?1",
                    [ticket_id],
                    |r| r.get(0),
                )
                .optional()?
                .flatten();
            let Some(issue_id) = issue_id else {
                return Ok(Vec::new());
            };
            let key = issue_key(tx, &issue_id)?;
            record_duplicate_comments(tx, ticket_id, &issue_id, comments, &now)?;
            let members = incident_members(tx, &issue_id)?;
            let mut new = Vec::new();
            for c in comments.iter().filter(|c| c.from_vendor && c.public) {
                let inserted = tx.execute(
                    "INSERT OR IGNORE INTO vendor_comments (ticket_id, comment_id) VALUES (?1, ?2)",
                    params![ticket_id, c.id],
                )?;
                if inserted == 0 {
                    continue;
                }
                let reply = EventBody::VendorComment {
                    text: validate::excerpt(&c.body, TEXT_MAX),
                    author: c.author.clone(),
                    from_vendor: true,
                    vendor_at: Some(c.created_at.clone()).filter(|c| !c.is_empty()),
                };
                for member in &members {
                    Change::new(member, &now, &c.author, reply.clone()).record(tx)?;
                }
                new.push(crate::notify::Notice {
                    kind: crate::notify::NoticeKind::VendorReplied,
                    issue_id: Some(issue_id.clone()),
                    title: format!("{key} · {} replied", c.author),
                    body: c.body.clone(),
                });
            }
            Ok(new)
        })
    }

    /// A small fact the sync engine keeps (pull watermark, last success).
    pub fn sync_fact(&self, key: &str) -> Result<Option<String>> {
        self.db.read(|conn| {
            Ok(conn
                .query_row("SELECT value FROM sync_state WHERE key = ?1", [key], |r| {
                    r.get(0)
                })
                .optional()?)
        })
    }

    /// Records a sync fact.
    pub fn set_sync_fact(&self, key: &str, value: &str) -> Result<()> {
        self.db.write(|tx| {
            tx.execute(
                "INSERT INTO sync_state (key, value) VALUES (?1, ?2)
                 ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                params![key, value],
            )?;
            Ok(())
        })
    }

    /// The bytes of a stored attachment, to upload.
    pub fn attachment_bytes(&self, sha256: &str) -> Result<Vec<u8>> {
        let path = crate::attachments::path_of(
            &crate::paths::attachments(&self.settings.data_dir),
            sha256,
        );
        std::fs::read(&path).map_err(|source| Error::File {
            action: "read",
            path,
            source,
        })
    }
}

/// Marks every other ticket naming `issue_id` on its reference line as a copy of the one
/// linked to it: once each, on the timeline, with an operation that says so on the copy.
fn mark_duplicates(tx: &Transaction<'_>, issue_id: &str, now: &str) -> Result<()> {
    let kept: Option<i64> = tx
        .prepare_cached("SELECT ticket_id FROM vendor_tickets WHERE issue_id = ?1")?
        .query_row([issue_id], |r| r.get(0))
        .optional()?;
    let Some(kept) = kept else {
        // Not linked yet: the look-up after the uncertain create will find one of them.
        return Ok(());
    };
    let copies = tx
        .prepare_cached(
            "UPDATE vendor_tickets SET duplicate_of = ?2
             WHERE reference = ?1 AND issue_id IS NULL AND duplicate_of IS NULL AND ticket_id != ?2
               AND NOT opened_elsewhere
             RETURNING ticket_id",
        )?
        .query_map(params![issue_id, kept], |r| r.get::<_, i64>(0))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    for copy in copies {
        tracing::warn!(issue = %issue_id, kept, copy, "the vendor holds a second ticket for this escalation");
        Change::new(
            issue_id,
            now,
            "sync",
            EventBody::VendorDuplicate {
                what: "Create the vendor ticket".to_owned(),
                ticket_id: kept,
                copy_ticket_id: copy,
            },
        )
        .sends_from_here(close_copy(copy, kept))
        .record(tx)?;
    }
    Ok(())
}

/// The note on a copy that names the ticket kept (and solves the copy). This desktop opened
/// the copy, so this desktop sends it, whoever owns the issue's ticket.
pub(crate) fn close_copy(copy: i64, kept: i64) -> Operation {
    Operation::CloseDuplicate {
        ticket_id: copy,
        original: kept,
    }
}

/// Our own comments that the vendor holds twice (the same marker on two comments) go on the
/// timeline once each. Comments cannot be taken back through the API; the record says which
/// copy to disregard.
fn record_duplicate_comments(
    tx: &Transaction<'_>,
    ticket_id: i64,
    issue_id: &str,
    comments: &[VendorComment],
    now: &str,
) -> Result<()> {
    let mut seen: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
    for c in comments {
        for key in markers_in(&c.body).collect::<std::collections::HashSet<_>>() {
            *seen.entry(key).or_default() += 1;
        }
    }
    for (key, _) in seen.into_iter().filter(|(_, n)| *n > 1) {
        let new = tx
            .prepare_cached(
                "INSERT OR IGNORE INTO vendor_duplicates (ticket_id, marker) VALUES (?1, ?2)",
            )?
            .execute(params![ticket_id, key])?;
        if new == 0 {
            continue;
        }
        let what = tx
            .prepare_cached("SELECT payload FROM outbox WHERE idempotency_key = ?1")?
            .query_row([key], |r| r.get::<_, String>(0))
            .optional()?
            .and_then(|p| serde_json::from_str::<Operation>(&p).ok())
            .map(|o| o.describe())
            .unwrap_or_else(|| "A message".to_owned());
        tracing::warn!(issue = %issue_id, ticket_id, %key, "the vendor holds one of our comments twice");
        Change::new(
            issue_id,
            now,
            "sync",
            EventBody::VendorDuplicate {
                what,
                ticket_id,
                copy_ticket_id: ticket_id,
            },
        )
        .record(tx)?;
    }
    Ok(())
}

/// The issue and, when it leads an incident, every issue linked to it.
fn incident_members(tx: &Transaction<'_>, issue_id: &str) -> Result<Vec<String>> {
    let mut stmt = tx.prepare_cached(
        "SELECT ?1 UNION SELECT i.id FROM issues i JOIN incidents n ON n.id = i.incident_id WHERE n.lead_issue_id = ?1",
    )?;
    let ids = stmt
        .query_map([issue_id], |r| r.get(0))?
        .collect::<rusqlite::Result<Vec<String>>>()?;
    Ok(ids)
}

fn issue_key(tx: &Transaction<'_>, issue_id: &str) -> Result<String> {
    let number: i64 = tx.query_row("SELECT number FROM issues WHERE id = ?1", [issue_id], |r| {
        r.get(0)
    })?;
    Ok(format!("FL-{number}"))
}

fn mark_done(tx: &Transaction<'_>, op_id: i64, now: &str) -> Result<()> {
    tx.execute(
        "UPDATE outbox SET state = 'done', attempts = attempts + 1, done_at = ?2, last_error = NULL, in_flight = 0
         WHERE id = ?1",
        params![op_id, now],
    )?;
    Ok(())
}
