//! The evidence pack for an SLA claim: one self-contained HTML file (printable to PDF) with the
//! issue, every timeline event with its time and author, the vendor's own timestamps, each SLA
//! clock worked out step by step, and the same as JSON inside it (and beside it). The timeline's
//! hash chain travels with the events, so [`verify`] can say whether a pack is as it was made —
//! or name the first event that was changed, in the pack or in the cache before it was made.
pub mod chain;
mod render;

use chrono::{DateTime, SecondsFormat, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::{Error, Result};
use crate::frontline::Frontline;
use crate::model::{EventBody, IssueEvent};
use crate::sla::{Clock, Hours};

/// What the pack's JSON says it is.
pub const FORMAT: &str = "frontline-evidence-pack/1";

/// Where the JSON sits inside the HTML.
const DATA_OPEN: &str = "<script type=\"application/json\" id=\"frontline-evidence\">";
const DATA_CLOSE: &str = "</script>";

/// A pack: one issue, or the breaches of a period.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Pack {
    /// [`FORMAT`].
    pub format: String,
    /// When it was made (RFC 3339).
    pub generated_at: String,
    /// Who made it.
    pub generated_by: String,
    /// Frontline's version.
    pub app_version: String,
    /// What it is for ("FL-1003", "SLA breaches, 23 Mar – 5 Apr 2026").
    pub title: String,
    /// The team calendar SLA clocks count on.
    pub calendar: CalendarFacts,
    /// Each issue.
    pub issues: Vec<IssueEvidence>,
}

/// The team calendar, as the clocks used it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CalendarFacts {
    /// IANA zone.
    pub time_zone: String,
    /// "mon", …
    pub working_days: Vec<String>,
    /// "09:00".
    pub start: String,
    /// "17:30".
    pub end: String,
    /// Days off.
    pub holidays: Vec<String>,
}

/// One issue's evidence.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IssueEvidence {
    /// The issue as it stands.
    pub issue: IssueFacts,
    /// Its timeline, oldest first, as stored, each with its hash.
    pub events: Vec<PackEvent>,
    /// The vendor's own times.
    pub vendor: VendorFacts,
    /// Each SLA clock, worked out.
    pub clocks: Vec<ClockWork>,
    /// The hash of the last event (the chain's head).
    pub chain_head: String,
    /// The first stored event whose hash did not match when the pack was made (an edit in the
    /// cache), if any.
    pub changed_before_export: Option<i64>,
}

/// The issue's fields.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IssueFacts {
    /// Id.
    pub id: String,
    /// FL-1003.
    pub key: String,
    /// Title.
    pub title: String,
    /// Client.
    pub client: String,
    /// Category.
    pub category: String,
    /// Urgency.
    pub urgency: String,
    /// Priority.
    pub priority: String,
    /// Impact.
    pub impact: String,
    /// The impact as the team's priority matrix names it ("Several users"); absent from packs
    /// made before it was kept, which then show the impact's id.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub impact_label: String,
    /// Users affected.
    pub affected_users: i64,
    /// Status now.
    pub status: String,
    /// What the client reported.
    pub description: String,
    /// Steps to reproduce.
    pub steps: String,
    /// Logged at.
    pub created_at: String,
    /// Logged by.
    pub created_by: String,
}

/// One timeline row, exactly as stored.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PackEvent {
    /// Its row.
    pub id: i64,
    /// Its global id.
    pub global_id: String,
    /// When (RFC 3339, our clock).
    pub at: String,
    /// Who.
    pub actor: String,
    /// Its kind.
    pub kind: String,
    /// Its data, the stored JSON text.
    pub data: String,
    /// Its hash, as stored.
    pub hash: String,
    /// What it says, in words.
    pub text: String,
}

/// The vendor's own clock.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct VendorFacts {
    /// The ticket.
    pub ticket_id: Option<i64>,
    /// Where to see it.
    pub url: String,
    /// When the vendor says it opened the ticket.
    pub ticket_created_at: String,
    /// When the vendor says it first replied in public.
    pub first_public_reply_at: String,
    /// Each status change, with the vendor's time.
    pub status_changes: Vec<VendorChange>,
}

/// A status change at the vendor.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct VendorChange {
    /// The vendor's time (or ours, said so, if it gave none).
    pub at: String,
    /// Before.
    pub from: String,
    /// After.
    pub to: String,
    /// Who owns it.
    pub assignee: String,
}

/// One SLA clock, worked out step by step.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ClockWork {
    /// What it measures.
    pub name: String,
    /// "working hours" or "around the clock".
    pub counts: String,
    /// The target, in minutes of counted time.
    pub target_minutes: i64,
    /// When it started.
    pub started_at: String,
    /// When it did not run: (from, until; empty while it lasts).
    pub pauses: Vec<(String, String)>,
    /// When it fell due.
    pub due_at: String,
    /// When what it measures happened.
    pub met_at: String,
    /// "met in time", "broken", "running", "paused".
    pub outcome: String,
    /// When it broke (its due time), if it did.
    pub broken_at: String,
    /// Counted time used, in minutes (until met, or until the pack was made).
    pub used_minutes: i64,
    /// The working-out, one sentence a step.
    pub steps: Vec<String>,
}

/// What checking a pack found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct Verdict {
    /// Every hash matches and the printed part is the data's.
    pub intact: bool,
    /// In words.
    pub message: String,
    /// The issue of the first changed event.
    pub issue: Option<String>,
    /// The first changed event's row.
    #[ts(type = "number | null")]
    pub event: Option<i64>,
}

fn stamp(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Secs, true)
}

impl Frontline {
    /// The evidence pack of these issues (one, or a period's breaches), as HTML with its data
    /// inside, and the same data as JSON.
    pub fn evidence_pack(&self, issue_ids: &[String], title: &str) -> Result<(String, String)> {
        if issue_ids.is_empty() {
            return Err(Error::invalid(
                "Evidence pack",
                "Choose at least one escalated issue.".to_owned(),
            ));
        }
        let now = self.clock.now();
        let calendar = {
            let team = self.team_profile();
            let c = &team.spec.calendar;
            CalendarFacts {
                time_zone: c.time_zone.clone(),
                working_days: c.working_days.clone(),
                start: c.start.clone(),
                end: c.end.clone(),
                holidays: c.holidays.clone(),
            }
        };
        let mut issues = Vec::with_capacity(issue_ids.len());
        for id in issue_ids {
            issues.push(self.issue_evidence(id, now, &calendar)?);
        }
        let pack = Pack {
            format: FORMAT.to_owned(),
            generated_at: stamp(now),
            generated_by: self.user(),
            app_version: env!("CARGO_PKG_VERSION").to_owned(),
            title: title.to_owned(),
            calendar,
            issues,
        };
        let json = serde_json::to_string_pretty(&pack).map_err(|e| Error::Decode(e.to_string()))?;
        Ok((render::html(&pack, &json), json))
    }

    fn issue_evidence(
        &self,
        id: &str,
        now: DateTime<Utc>,
        calendar: &CalendarFacts,
    ) -> Result<IssueEvidence> {
        let d = self.issue(id)?;
        // Rows from before hashes get theirs first.
        self.db.write(|tx| chain::seal(tx, id).map(|_| ()))?;
        let (stored, vendor_row) = self.db.read(|conn| {
            let stored = conn
                .prepare_cached(
                    "SELECT id, coalesce(global_id, ''), at, actor, kind, data, coalesce(hash, '') FROM issue_events WHERE issue_id = ?1 ORDER BY id",
                )?
                .query_map([id], |r| {
                    Ok(PackEvent {
                        id: r.get(0)?,
                        global_id: r.get(1)?,
                        at: r.get(2)?,
                        actor: r.get(3)?,
                        kind: r.get(4)?,
                        data: r.get(5)?,
                        hash: r.get(6)?,
                        text: String::new(),
                    })
                })?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            let vendor_row: Option<(i64, String, String)> = rusqlite::OptionalExtension::optional(
                conn.prepare_cached(
                    "SELECT ticket_id, url, created_at FROM vendor_tickets WHERE issue_id = ?1",
                )?
                .query_row([id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?))),
            )?;
            Ok((stored, vendor_row))
        })?;
        let mut events = Vec::with_capacity(stored.len());
        let mut prev = String::new();
        let mut changed_before_export = None;
        for mut e in stored {
            if changed_before_export.is_none()
                && chain::link(&prev, &e.global_id, &e.at, &e.actor, &e.kind, &e.data) != e.hash
            {
                changed_before_export = Some(e.id);
            }
            prev = e.hash.clone();
            e.text = serde_json::from_str::<EventBody>(&e.data)
                .map(|body| describe(&body))
                .unwrap_or_else(|_| format!("({} event whose data cannot be read)", e.kind));
            events.push(e);
        }
        let vendor = vendor_facts(&d.events, vendor_row);
        let clocks = self.clock_work(&d, now, calendar);
        Ok(IssueEvidence {
            issue: IssueFacts {
                id: d.issue.id.clone(),
                key: d.issue.key.clone(),
                title: d.issue.title.clone(),
                client: d.issue.client_name.clone(),
                category: d.issue.category.clone(),
                urgency: d.issue.urgency.as_str().to_owned(),
                priority: d.issue.priority.clone(),
                impact: d.issue.impact.clone(),
                impact_label: self
                    .matrix
                    .impact(&d.issue.impact)
                    .map(|c| c.label.clone())
                    .unwrap_or_default(),
                affected_users: d.issue.affected_users,
                status: d.issue.status.as_str().to_owned(),
                description: d.issue.description.clone(),
                steps: d.issue.steps.clone(),
                created_at: d.issue.created_at.clone(),
                created_by: d.issue.created_by.clone(),
            },
            chain_head: prev,
            events,
            vendor,
            clocks,
            changed_before_export,
        })
    }

    fn clock_work(
        &self,
        d: &crate::model::IssueDetail,
        now: DateTime<Utc>,
        calendar: &CalendarFacts,
    ) -> Vec<ClockWork> {
        let (hours, clocks) = self.sla_clocks(d);
        clocks
            .iter()
            .map(|c| work_out(c, &hours, now, calendar))
            .collect()
    }
}

fn work_out(c: &Clock, hours: &Hours, now: DateTime<Utc>, calendar: &CalendarFacts) -> ClockWork {
    let state = c.at(hours, now);
    let counts = match hours {
        Hours::AllDay => "around the clock".to_owned(),
        Hours::Business(_) => "working hours".to_owned(),
    };
    let mut steps = vec![match hours {
        Hours::AllDay => "Every hour counts (around the clock), whatever the day.".to_owned(),
        Hours::Business(_) => format!(
            "Only working hours count: {} {}–{} ({}), not on {}.",
            calendar.working_days.join(", "),
            calendar.start,
            calendar.end,
            calendar.time_zone,
            if calendar.holidays.is_empty() {
                "any day off (none listed)".to_owned()
            } else {
                format!("the days off {}", calendar.holidays.join(", "))
            }
        ),
    }];
    steps.push(format!(
        "The clock started at {} with a target of {} hours of counted time.",
        stamp(c.start),
        minutes_in_hours(c.target.num_minutes())
    ));
    let pauses: Vec<(String, String)> = c
        .pauses
        .iter()
        .filter(|p| p.end.is_none_or(|e| e > c.start))
        .map(|p| {
            (
                stamp(p.start.max(c.start)),
                p.end.map(stamp).unwrap_or_default(),
            )
        })
        .collect();
    for (from, until) in &pauses {
        steps.push(if until.is_empty() {
            format!("Paused from {from} while waiting on the client, and still paused.")
        } else {
            format!("Paused from {from} to {until} while waiting on the client: not counted.")
        });
    }
    let due_at = c.due_at.clone().unwrap_or_default();
    if !due_at.is_empty() {
        steps.push(format!(
            "Counting the target from the start, skipping what does not count, it fell due at {due_at}."
        ));
    }
    let met_at = c.met_at.map(stamp).unwrap_or_default();
    let outcome = if state.met && !state.breached {
        steps.push(format!(
            "Met at {met_at}, after {} of counted time: in time.",
            minutes_words(state.used_minutes)
        ));
        "met in time"
    } else if state.breached {
        steps.push(if met_at.is_empty() {
            format!(
                "Not met by {due_at}: broken then; still not met when this pack was made ({} counted).",
                minutes_words(state.used_minutes)
            )
        } else {
            format!(
                "Not met by {due_at}: broken then; met later, at {met_at} ({} counted).",
                minutes_words(state.used_minutes)
            )
        });
        "broken"
    } else if state.paused {
        "paused"
    } else {
        steps.push(format!(
            "Running when this pack was made: {} of counted time used.",
            minutes_words(state.used_minutes)
        ));
        "running"
    };
    ClockWork {
        name: c.name.clone(),
        counts,
        target_minutes: c.target.num_minutes(),
        started_at: stamp(c.start),
        pauses,
        broken_at: if state.breached {
            due_at.clone()
        } else {
            String::new()
        },
        due_at,
        met_at,
        outcome: outcome.to_owned(),
        used_minutes: state.used_minutes,
        steps,
    }
}

fn minutes_in_hours(m: i64) -> String {
    if m % 60 == 0 {
        (m / 60).to_string()
    } else {
        format!("{:.2}", m as f64 / 60.0)
    }
}

fn minutes_words(m: i64) -> String {
    format!("{} h {:02} min", m / 60, m % 60)
}

fn vendor_facts(events: &[IssueEvent], row: Option<(i64, String, String)>) -> VendorFacts {
    let mut v = VendorFacts::default();
    if let Some((ticket_id, url, created_at)) = row {
        v.ticket_id = Some(ticket_id);
        v.url = url;
        v.ticket_created_at = created_at;
    }
    for e in events {
        match &e.body {
            EventBody::VendorTicketLinked { ticket_id, url } if v.ticket_id.is_none() => {
                v.ticket_id = Some(*ticket_id);
                v.url = url.clone();
            }
            EventBody::VendorComment {
                from_vendor: true,
                vendor_at,
                ..
            } if v.first_public_reply_at.is_empty() => {
                v.first_public_reply_at = vendor_at
                    .clone()
                    .unwrap_or_else(|| format!("{} (received; the vendor gave no time)", e.at));
            }
            EventBody::VendorUpdate {
                status,
                previous_status,
                assignee,
                vendor_at,
            } => v.status_changes.push(VendorChange {
                at: vendor_at
                    .clone()
                    .unwrap_or_else(|| format!("{} (received; the vendor gave no time)", e.at)),
                from: previous_status.clone(),
                to: status.clone(),
                assignee: assignee.clone(),
            }),
            _ => {}
        }
    }
    v
}

/// What an event says, in words.
pub fn describe(body: &EventBody) -> String {
    match body {
        EventBody::Created {
            priority,
            priority_reason,
        } => {
            format!("Logged at priority {priority} ({priority_reason})")
        }
        EventBody::StatusChanged { from, to, note } => {
            let mut s = format!("Status: {} → {}", from.label(), to.label());
            if !note.is_empty() {
                s.push_str(&format!(" — {note}"));
            }
            s
        }
        EventBody::Note { text } => format!("Note: {text}"),
        EventBody::AttachmentAdded { file_name, .. } => format!("Attached {file_name}"),
        EventBody::ArticleOpened { title, .. } => format!("Opened the article “{title}”"),
        EventBody::ScreenshotWaived { reason } => format!("No screenshot: {reason}"),
        EventBody::StepRecorded {
            text, done, reason, ..
        } => {
            if *done {
                format!("Step done: {text}")
            } else {
                format!("Step skipped: {text} — {reason}")
            }
        }
        EventBody::VendorTicketLinked { ticket_id, .. } => {
            format!("The vendor opened ticket #{ticket_id}")
        }
        EventBody::VendorComment {
            text,
            author,
            from_vendor,
            ..
        } => {
            if *from_vendor {
                format!("{author} (vendor) wrote: {text}")
            } else {
                format!("Sent to the vendor by {author}: {text}")
            }
        }
        EventBody::VendorUpdate {
            status,
            previous_status,
            assignee,
            ..
        } => {
            let mut s = format!("At the vendor: {previous_status} → {status}");
            if !assignee.is_empty() {
                s.push_str(&format!(", owned by {assignee}"));
            }
            s
        }
        EventBody::VendorRejected { what, message } => {
            format!("The vendor refused “{what}”: {message}")
        }
        EventBody::VendorDuplicate {
            what,
            ticket_id,
            copy_ticket_id,
        } => format!(
            "“{what}” reached the vendor twice: #{copy_ticket_id} is a copy of #{ticket_id}"
        ),
        EventBody::VendorHandedOver { owner, .. } => {
            format!("The vendor ticket is {owner}'s desktop's; what was queued here went there")
        }
        EventBody::PriorityChanged {
            from, to, reason, ..
        } => {
            format!("Priority {from} → {to}: {reason}")
        }
        EventBody::RungRequested { name, reason, .. } => {
            format!("Asked the vendor for “{name}”: {reason}")
        }
        EventBody::Chased { note } => format!("Chased the vendor for an update: {note}"),
        EventBody::FlaggedCritical { reason, .. } => format!("Flagged critical: {reason}"),
        EventBody::ClientInformed { text } => format!("Told the client: {text}"),
        EventBody::ReviewRequested { note } => format!("Asked a team lead to review: {note}"),
        EventBody::ArticleVerdict { title, helped, .. } => {
            if *helped {
                format!("“{title}” solved it")
            } else {
                format!("“{title}” did not help")
            }
        }
    }
}

/// Checks a pack (the HTML, or its JSON): every event against its hash, in order, and the
/// printed part against the data it was made from.
pub fn verify(text: &str) -> Result<Verdict> {
    let (json, html) = match text.find(DATA_OPEN) {
        Some(start) => {
            let body = &text[start + DATA_OPEN.len()..];
            let end = body.find(DATA_CLOSE).ok_or_else(not_a_pack)?;
            (body[..end].to_owned(), true)
        }
        None if text.trim_start().starts_with('{') => (text.to_owned(), false),
        None => return Err(not_a_pack()),
    };
    let pack: Pack = serde_json::from_str(&json).map_err(|e| {
        Error::Decode(format!(
            "The evidence pack's data cannot be read ({e}); it was changed or damaged."
        ))
    })?;
    if pack.format != FORMAT {
        return Err(not_a_pack());
    }
    let mut count = 0;
    for issue in &pack.issues {
        let mut prev = String::new();
        for e in &issue.events {
            let expected = chain::link(&prev, &e.global_id, &e.at, &e.actor, &e.kind, &e.data);
            if expected != e.hash {
                return Ok(Verdict {
                    intact: false,
                    message: format!(
                        "Changed: event {} of {} ({}, {}) does not match its hash — it was edited after it was recorded.",
                        e.id, issue.issue.key, e.at, e.kind
                    ),
                    issue: Some(issue.issue.key.clone()),
                    event: Some(e.id),
                });
            }
            prev = e.hash.clone();
            count += 1;
        }
        if prev != issue.chain_head {
            return Ok(Verdict {
                intact: false,
                message: format!(
                    "Changed: the timeline of {} ends at another event than when the pack was made — events were removed or added.",
                    issue.issue.key
                ),
                issue: Some(issue.issue.key.clone()),
                event: None,
            });
        }
    }
    if html {
        let pretty =
            serde_json::to_string_pretty(&pack).map_err(|e| Error::Decode(e.to_string()))?;
        if render::html(&pack, &pretty) != text {
            return Ok(Verdict {
                intact: false,
                message: "Changed: the printed part of the pack no longer matches its data (the events themselves are intact).".to_owned(),
                issue: None,
                event: None,
            });
        }
    }
    Ok(Verdict {
        intact: true,
        message: format!(
            "Intact: {} {}, {count} events, every hash matches.",
            pack.issues.len(),
            if pack.issues.len() == 1 {
                "issue"
            } else {
                "issues"
            }
        ),
        issue: None,
        event: None,
    })
}

fn not_a_pack() -> Error {
    Error::Decode("This file is not a Frontline evidence pack.".to_owned())
}

/// [`verify`] on a file.
pub fn verify_file(path: &std::path::Path) -> Result<Verdict> {
    let text = std::fs::read_to_string(path).map_err(|source| Error::File {
        action: "read",
        path: path.to_owned(),
        source,
    })?;
    verify(&text)
}

/// The file name a pack is offered under: its title in letters, digits and single dashes,
/// then "-evidence.html" ("FL-1004 · Invoices are blank" → "FL-1004-Invoices-are-blank-evidence.html").
pub fn file_name(title: &str) -> String {
    let words: Vec<&str> = title
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    let stem = if words.is_empty() {
        "frontline".to_owned()
    } else {
        words.join("-")
    };
    format!("{stem}-evidence.html")
}
