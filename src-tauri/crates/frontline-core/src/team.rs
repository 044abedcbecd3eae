//! The team side of the core, without a database driver: every event recorded here is also
//! written to the team outbox in the same transaction (by [`crate::journal`], the one write
//! path), and events that other desktops recorded, as the team hub orders them, are applied
//! to this desktop's cache once each, through the same fold. `frontline-hub` moves them to and
//! from PostgreSQL.
//!
//! An event travels as an [`Envelope`]: who did it, the timeline event, and for a new issue the
//! fields a desktop that has never seen it needs to show it ([`IssueSeed`]).
use rusqlite::{params, OptionalExtension, Transaction};
use serde::Deserialize;

use crate::error::{Error, Result};
use crate::frontline::Frontline;
use crate::journal;
use crate::model::EventBody;
use crate::status::Status;

/// An event on its way to or from the team hub.
#[derive(Debug, Clone, PartialEq)]
pub struct TeamEvent {
    /// Global id (UUIDv7), the same on every desktop.
    pub id: String,
    /// The issue.
    pub issue_id: Option<String>,
    /// Who recorded it (the hub login of the desktop that did).
    pub author: String,
    /// The event's kind (`created`, `status_changed`, …).
    pub kind: String,
    /// The [`Envelope`], as JSON.
    pub body: serde_json::Value,
    /// When (RFC 3339).
    pub occurred_at: String,
}

/// What applying a page of hub events did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Applied {
    /// Events applied (other desktops').
    pub applied: usize,
    /// Events this desktop already had (its own, or applied before).
    pub known: usize,
    /// Events that could not be applied, with why (skipped, logged).
    pub skipped: Vec<(String, String)>,
    /// What deserves a desktop notification (a teammate flagged an issue critical).
    pub notices: Vec<crate::notify::Notice>,
}

/// The kind of a team-wide event that changes the team profile (lead-only on the hub).
pub const PROFILE_CHANGED: &str = "team_profile_changed";

/// A team-wide event from the hub: the team profile a lead changed.
fn apply_team_wide(tx: &Transaction<'_>, e: &TeamEvent) -> Result<Outcome> {
    let own: bool = tx
        .prepare_cached("SELECT EXISTS (SELECT 1 FROM team_outbox WHERE global_id = ?1)")?
        .query_row([&e.id], |r| r.get(0))?;
    if own {
        return Ok(Outcome::Known);
    }
    if e.kind != PROFILE_CHANGED {
        return Ok(Outcome::Skipped(format!(
            "a team-wide {} event is not known to this version",
            e.kind
        )));
    }
    let text = |key: &str| {
        e.body
            .pointer(&format!("/profile/{key}"))
            .and_then(|v| v.as_str())
            .map(str::to_owned)
    };
    let ladder = match text("ladder") {
        Some(t) => {
            match crate::ladder::Ladder::parse(&format!("the team's ladder from {}", e.author), &t)
            {
                Ok(l) => Some(l),
                Err(err) => return Ok(Outcome::Skipped(err.to_string())),
            }
        }
        None => None,
    };
    Ok(Outcome::Profile(Profile {
        ladder,
        team: text("team"),
        client_update: text("client_update"),
    }))
}

/// A team profile a lead shared: what it changes (each part optional).
pub(crate) struct Profile {
    pub(crate) ladder: Option<crate::ladder::Ladder>,
    pub(crate) team: Option<String>,
    pub(crate) client_update: Option<String>,
}

pub(crate) use crate::journal::vendor_owner_elsewhere;
pub use crate::journal::{Envelope, IssueSeed};

impl Frontline {
    /// The oldest events not yet on the hub, signed by this desktop's user.
    pub fn team_pending(&self, limit: usize) -> Result<Vec<TeamEvent>> {
        let author = self.user();
        self.db.read(|conn| {
            let mut stmt = conn.prepare_cached(
                "SELECT global_id, issue_id, kind, body, occurred_at FROM team_outbox
                 WHERE state = 'pending' ORDER BY n LIMIT ?1",
            )?;
            let rows = stmt.query_map([limit as i64], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, Option<String>>(1)?,
                    r.get::<_, String>(2)?,
                    r.get::<_, String>(3)?,
                    r.get::<_, String>(4)?,
                ))
            })?;
            let mut out = Vec::new();
            for row in rows {
                let (id, issue_id, kind, body, occurred_at) = row?;
                let body = serde_json::from_str(&body)
                    .map_err(|e| Error::Decode(format!("team outbox event {id}: {e}")))?;
                out.push(TeamEvent {
                    id,
                    issue_id,
                    author: author.clone(),
                    kind,
                    body,
                    occurred_at,
                });
            }
            Ok(out)
        })
    }

    /// The hub has these events, at these places in its order (new, or from an earlier push).
    /// An own change of a field now holds it at that place: everything pulled so far was
    /// ordered before it.
    pub fn team_pushed(&self, pushed: &[(String, i64)]) -> Result<()> {
        self.db.write(|tx| {
            for (id, seq) in pushed {
                let row: Option<(Option<String>, String, String)> = tx
                    .prepare_cached(
                        "UPDATE team_outbox SET state = 'pushed' WHERE global_id = ?1 AND state = 'pending'
                         RETURNING issue_id, kind, body",
                    )?
                    .query_row([id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
                    .optional()?;
                if row.is_some() {
                    // The hub holds the event now, and the timeline here holds it too: the
                    // outbox keeps only that it was shared (its id tells own events apart).
                    tx.prepare_cached("UPDATE team_outbox SET body = '' WHERE global_id = ?1")?
                        .execute([id])?;
                }
                let Some((Some(issue_id), kind, body)) = row else {
                    continue;
                };
                let envelope = serde_json::from_str::<Envelope>(&body).ok();
                if let Some(Envelope {
                    actor,
                    event:
                        EventBody::StatusChanged {
                            to: Status::Escalated,
                            ..
                        },
                    ..
                }) = &envelope
                {
                    // This desktop's escalation, in the hub's order: a teammate's applied later
                    // comes after it.
                    first_escalation(tx, &issue_id, actor, *seq)?;
                }
                if let Some(field) = journal::register_of(&kind) {
                    hold(tx, &issue_id, field, *seq, id)?;
                    // A change sent again after a refusal was taken back here: it holds the
                    // field again once the hub has it (unless a later change holds it).
                    let holds = tx
                        .prepare_cached(
                            "SELECT EXISTS (SELECT 1 FROM team_registers WHERE issue_id = ?1 AND field = ?2 AND global_id = ?3)",
                        )?
                        .query_row(params![issue_id, field, id], |r| r.get::<_, bool>(0))?
                        && own_pending(tx, &issue_id, field)?.is_none();
                    if let (true, Some(envelope)) = (holds, envelope) {
                        journal::set_register_again(tx, &issue_id, &envelope.event)?;
                    }
                }
            }
            Ok(())
        })
    }

    /// The hub refused an event: it stays on the timeline here, set aside with the hub's
    /// words, and a field it changed falls back to what the team's order says (the latest
    /// change from the hub, or what it was before).
    pub fn team_refused(&self, id: &str, words: &str) -> Result<()> {
        tracing::warn!(event = %id, %words, "the team hub refused an event");
        self.db.write(|tx| {
            let row: Option<(Option<String>, String, String)> = tx
                .query_row(
                    "UPDATE team_outbox SET state = 'refused', refused = ?2 WHERE global_id = ?1
                     RETURNING issue_id, kind, body",
                    params![id, words],
                    |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
                )
                .optional()?;
            let Some((Some(issue_id), kind, body)) = row else {
                return Ok(());
            };
            let Some(field) = journal::register_of(&kind) else {
                return Ok(());
            };
            tx.execute("DELETE FROM team_superseded WHERE by_id = ?1", [id])?;
            let holder: Option<String> = tx
                .query_row(
                    "SELECT e.data FROM team_registers r JOIN issue_events e ON e.global_id = r.global_id
                     WHERE r.issue_id = ?1 AND r.field = ?2 AND r.global_id != ?3",
                    params![issue_id, field, id],
                    |r| r.get(0),
                )
                .optional()?;
            let holder: Option<EventBody> = holder.and_then(|d| serde_json::from_str(&d).ok());
            let own: Option<Envelope> = serde_json::from_str(&body).ok();
            journal::fall_back(
                tx,
                &issue_id,
                field,
                holder.as_ref(),
                own.as_ref().map(|o| &o.event),
            )
        })
    }

    /// Sends a refused event to the hub again (after a lead's role was granted, say). Returns
    /// the issue it belongs to.
    pub fn retry_team_event(&self, id: &str) -> Result<Option<String>> {
        self.db.write(|tx| {
            tx.execute("DELETE FROM team_discarded WHERE global_id = ?1", [id])?;
            let issue: Option<Option<String>> = tx
                .query_row(
                    "UPDATE team_outbox SET state = 'pending', refused = NULL
                     WHERE global_id = ?1 AND state = 'refused' RETURNING issue_id",
                    [id],
                    |r| r.get(0),
                )
                .optional()?;
            issue.ok_or_else(|| Error::NotFound {
                what: "Refused change",
                id: id.to_owned(),
            })
        })
    }

    /// Lets a refused event go: it stays on the timeline, marked, and no longer waits for
    /// anyone.
    pub fn discard_team_event(&self, id: &str) -> Result<Option<String>> {
        self.db.write(|tx| {
            let issue: Option<Option<String>> = tx
                .query_row(
                    "SELECT issue_id FROM team_outbox WHERE global_id = ?1 AND state = 'refused'",
                    [id],
                    |r| r.get(0),
                )
                .optional()?;
            let issue = issue.ok_or_else(|| Error::NotFound {
                what: "Refused change",
                id: id.to_owned(),
            })?;
            tx.execute(
                "INSERT OR IGNORE INTO team_discarded (global_id) VALUES (?1)",
                [id],
            )?;
            Ok(issue)
        })
    }

    /// Events the hub refused, with its words, oldest first.
    pub fn team_refusals(&self) -> Result<Vec<(String, String, String)>> {
        self.db.read(|conn| {
            let mut stmt = conn.prepare(
                "SELECT global_id, kind, coalesce(refused, '') FROM team_outbox WHERE state = 'refused' ORDER BY n",
            )?;
            let rows = stmt
                .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            Ok(rows)
        })
    }

    /// How many short numbers are left in the block the team hub gave this desktop (`None`:
    /// no block, numbers are this desktop's own).
    pub fn numbers_left(&self) -> Result<Option<i64>> {
        self.db.read(|conn| {
            Ok(conn
                .query_row(
                    "SELECT e.next - n.next FROM counters n JOIN counters e ON e.name = 'issue_number_end'
                     WHERE n.name = 'issue_number'",
                    [],
                    |r| r.get(0),
                )
                .optional()?)
        })
    }

    /// From now on, new issues are numbered from `first` up to (not including) `end`, a block
    /// the team hub gave this desktop.
    pub fn use_number_block(&self, first: i64, end: i64) -> Result<()> {
        self.db.write(|tx| {
            tx.execute(
                "UPDATE counters SET next = ?1 WHERE name = 'issue_number'",
                [first],
            )?;
            tx.execute(
                "INSERT INTO counters (name, next) VALUES ('issue_number_end', ?1)
                 ON CONFLICT (name) DO UPDATE SET next = excluded.next",
                [end],
            )?;
            Ok(())
        })
    }

    /// Teammates' files this desktop knows of and does not hold yet (to fetch from the hub).
    pub fn team_files_wanted(&self, limit: usize) -> Result<Vec<String>> {
        self.db.read(|conn| {
            let mut stmt = conn
                .prepare_cached("SELECT sha256 FROM team_files_wanted ORDER BY sha256 LIMIT ?1")?;
            let rows = stmt
                .query_map([limit as i64], |r| r.get(0))?
                .collect::<rusqlite::Result<Vec<String>>>()?;
            Ok(rows)
        })
    }

    /// A teammate's file fetched from the hub: into the store, checked against its address.
    pub fn store_team_file(&self, sha256: &str, bytes: &[u8]) -> Result<()> {
        let store = crate::paths::attachments(&self.settings.data_dir);
        let stored = crate::attachments::store_bytes(&store, sha256, bytes, u64::MAX)?;
        if stored.sha256 != sha256 {
            return Err(Error::Decode(format!(
                "the team hub's file {sha256} holds other content ({})",
                stored.sha256
            )));
        }
        self.db.write(|tx| {
            tx.execute("DELETE FROM team_files_wanted WHERE sha256 = ?1", [sha256])?;
            Ok(())
        })
    }

    /// Where this desktop's pull from the hub stands (the hub's `seq` of the last event read).
    pub fn team_cursor(&self) -> Result<i64> {
        self.db.read(|conn| {
            Ok(conn
                .query_row(
                    "SELECT value FROM team_state WHERE key = 'cursor'",
                    [],
                    |r| r.get::<_, String>(0),
                )
                .optional()?
                .and_then(|v| v.parse().ok())
                .unwrap_or(0))
        })
    }

    /// Applies events in the hub's order, in one transaction, once each, and moves the cursor
    /// to `through` (the last `seq` read, which may be past events that could not be read).
    /// Events this desktop already has (its own) are passed over; one that cannot be applied
    /// is skipped and reported, never stops the rest.
    pub fn apply_team_events(&self, events: &[(i64, TeamEvent)], through: i64) -> Result<Applied> {
        let mut report = Applied::default();
        let mut profiles = Vec::new();
        let last = events
            .iter()
            .map(|(seq, _)| *seq)
            .max()
            .unwrap_or(through)
            .max(through);
        let now = self.now();
        let now_ms = self.clock.now().timestamp_millis();
        let store = crate::paths::attachments(&self.settings.data_dir);
        self.db.write(|tx| {
            let mut activity = journal::Activity::default();
            for (seq, e) in events {
                match apply_one(tx, *seq, e, (&now, now_ms), &store, &mut activity)? {
                    Outcome::Applied => {
                        report.applied += 1;
                        if let Some(notice) = notice_for(tx, e)? {
                            report.notices.push(notice);
                        }
                    }
                    Outcome::Profile(profile) => {
                        report.applied += 1;
                        profiles.push((e.author.clone(), profile));
                    }
                    Outcome::Known => report.known += 1,
                    Outcome::Skipped(why) => {
                        tracing::warn!(event = %e.id, seq, %why, "a team event was skipped");
                        report.skipped.push((e.id.clone(), why));
                    }
                }
            }
            activity.write(tx)?;
            tx.execute(
                "INSERT INTO team_state (key, value) VALUES ('cursor', ?1)
                 ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                [last.to_string()],
            )?;
            Ok(())
        })?;
        // The team's profile, kept on this desktop for offline work (in the hub's order: the
        // last one applied is the team's).
        for (lead, profile) in profiles {
            self.install_profile(&lead, profile)?;
        }
        Ok(report)
    }
}

/// A teammate's critical flag, as the desktop notification says it.
fn notice_for(tx: &Transaction<'_>, e: &TeamEvent) -> Result<Option<crate::notify::Notice>> {
    let (Some(issue_id), "flagged_critical" | "incident_linked") =
        (e.issue_id.as_deref(), e.kind.as_str())
    else {
        return Ok(None);
    };
    let envelope = match Envelope::deserialize(&e.body) {
        Ok(v) => v,
        Err(_) => return Ok(None),
    };
    let EventBody::FlaggedCritical { reason, .. } = &envelope.event else {
        return Ok(None);
    };
    let (number, client): (i64, String) = tx.query_row(
        "SELECT i.number, c.name FROM issues i JOIN clients c ON c.id = i.client_id WHERE i.id = ?1",
        [issue_id],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    Ok(Some(crate::notify::Notice {
        kind: crate::notify::NoticeKind::FlaggedCritical,
        issue_id: Some(issue_id.to_owned()),
        title: format!("FL-{number} flagged critical by {}", envelope.actor),
        body: format!("{client} — {reason}"),
    }))
}

enum Outcome {
    Applied,
    /// The team's profile, to use once the transaction is committed.
    Profile(Profile),
    Known,
    Skipped(String),
}

/// `global_id` (at `seq`) now holds `field`; the event that held it before lost to it.
fn hold(
    tx: &Transaction<'_>,
    issue_id: &str,
    field: &str,
    seq: i64,
    global_id: &str,
) -> Result<()> {
    let before: Option<(i64, String)> = tx
        .prepare_cached(
            "SELECT seq, global_id FROM team_registers WHERE issue_id = ?1 AND field = ?2",
        )?
        .query_row(params![issue_id, field], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?;
    match before {
        Some((held, _)) if held >= seq => {}
        _ => {
            if let Some((_, loser)) = &before {
                supersede(tx, loser, global_id)?;
            }
            tx.prepare_cached(
                "INSERT INTO team_registers (issue_id, field, seq, global_id) VALUES (?1, ?2, ?3, ?4)
                 ON CONFLICT (issue_id, field) DO UPDATE SET seq = excluded.seq, global_id = excluded.global_id",
            )?
            .execute(params![issue_id, field, seq, global_id])?;
        }
    }
    Ok(())
}

fn supersede(tx: &Transaction<'_>, loser: &str, winner: &str) -> Result<()> {
    if loser != winner {
        tx.prepare_cached(
            "INSERT OR IGNORE INTO team_superseded (global_id, by_id) VALUES (?1, ?2)",
        )?
        .execute(params![loser, winner])?;
    }
    Ok(())
}

/// Whether a change of `field` on `issue_id` from another desktop, at `seq`, sets the field
/// here: not when an own change of it is still waiting to be pushed (it will be ordered after,
/// so it wins) nor when a change later in the hub's order holds it. The loser is marked.
fn wins(
    tx: &Transaction<'_>,
    issue_id: &str,
    field: &str,
    seq: i64,
    global_id: &str,
) -> Result<bool> {
    if let Some(own) = own_pending(tx, issue_id, field)? {
        // The register follows the hub's order still, so that if the hub refuses the own
        // change, this one is what the field falls back to.
        hold(tx, issue_id, field, seq, global_id)?;
        supersede(tx, global_id, &own)?;
        return Ok(false);
    }
    let held: Option<(i64, String)> = tx
        .prepare_cached(
            "SELECT seq, global_id FROM team_registers WHERE issue_id = ?1 AND field = ?2",
        )?
        .query_row(params![issue_id, field], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?;
    if let Some((held, holder)) = held {
        if held > seq {
            supersede(tx, global_id, &holder)?;
            return Ok(false);
        }
    }
    hold(tx, issue_id, field, seq, global_id)?;
    Ok(true)
}

/// This desktop's latest change of `field` on the issue not yet on the hub, if any.
fn own_pending(tx: &Transaction<'_>, issue_id: &str, field: &str) -> Result<Option<String>> {
    let kinds = journal::kinds_of(field);
    Ok(tx
        .prepare_cached(
            "SELECT global_id FROM team_outbox
             WHERE issue_id = ?1 AND kind IN (?2, ?3) AND state = 'pending'
             ORDER BY n DESC LIMIT 1",
        )?
        .query_row(
            params![
                issue_id,
                kinds.first().copied().unwrap_or_default(),
                kinds.last().copied().unwrap_or_default()
            ],
            |r| r.get(0),
        )
        .optional()?)
}

fn apply_one(
    tx: &Transaction<'_>,
    seq: i64,
    e: &TeamEvent,
    (now, now_ms): (&str, i64),
    store: &std::path::Path,
    activity: &mut journal::Activity,
) -> Result<Outcome> {
    if e.issue_id.is_none() {
        return apply_team_wide(tx, e);
    }
    let known: bool = tx
        .prepare_cached("SELECT EXISTS (SELECT 1 FROM issue_events WHERE global_id = ?1)")?
        .query_row([&e.id], |r| r.get(0))?;
    if known {
        return Ok(Outcome::Known);
    }
    let mut envelope = match Envelope::deserialize(&e.body) {
        Ok(v) => v,
        Err(err) => return Ok(Outcome::Skipped(format!("cannot be read: {err}"))),
    };
    if let Some(file) = envelope.file.as_mut() {
        if !crate::attachments::is_sha256(&file.sha256) {
            return Ok(Outcome::Skipped(format!(
                "its file's content address \"{}\" is not a SHA-256",
                crate::validate::excerpt(&file.sha256, 80)
            )));
        }
        file.present = crate::attachments::path_of(store, &file.sha256).exists();
    }
    let Some(issue_id) = e.issue_id.as_deref() else {
        return Ok(Outcome::Skipped(
            "team-wide events are not applied yet".to_owned(),
        ));
    };
    let exists: bool = tx
        .prepare_cached("SELECT EXISTS (SELECT 1 FROM issues WHERE id = ?1)")?
        .query_row([issue_id], |r| r.get(0))?;
    // The hub judged the event by its kind (a lead-only kind from a lead only): what it
    // carries must be of that kind, or an agent could pass a lead's change off as their own.
    if envelope.event.team_kind() != e.kind {
        return Ok(Outcome::Skipped(format!(
            "it is sent as {} but carries a {} event",
            e.kind,
            envelope.event.team_kind()
        )));
    }
    match (&envelope.event, &envelope.seed, exists) {
        (EventBody::Created { .. }, Some(seed), false) => {
            insert_issue(tx, issue_id, seed, &e.occurred_at, &envelope.actor)?
        }
        (_, _, false) => {
            return Ok(Outcome::Skipped(format!(
                "issue {issue_id} is not known on this desktop"
            )))
        }
        _ => {}
    }
    // `wins` also records the order (and who lost), so it runs whatever it answers.
    let holds = match journal::register_of(&e.kind) {
        Some(field) => wins(tx, issue_id, field, seq, &e.id)?,
        None => false,
    };
    if let EventBody::StatusChanged {
        to: Status::Escalated,
        ..
    } = &envelope.event
    {
        // The first escalation in the hub's order owns the vendor ticket. If this desktop
        // escalated too (apart from the hub), it hands over what it queued for the vendor.
        if first_escalation(tx, issue_id, &e.author, seq)? {
            tx.prepare_cached(
                "INSERT OR REPLACE INTO team_vendor_owner (issue_id, owner) VALUES (?1, ?2)",
            )?
            .execute(params![issue_id, e.author])?;
            if crate::sync::outbox::escalated_here(tx, issue_id)? {
                // The hand-over records on the issue: its row must be current first.
                activity.flush(tx, issue_id)?;
                crate::sync::handover::hand_over(tx, issue_id, &e.author, now)?;
            }
        }
    }
    journal::apply_from_team(
        tx,
        (issue_id, &e.id, &e.occurred_at),
        &envelope,
        holds,
        now_ms,
        activity,
    )?;
    match &envelope.event {
        // The owner's ticket: a ticket this desktop opened meanwhile is a copy of it.
        EventBody::VendorTicketLinked { .. } => {
            activity.flush(tx, issue_id)?;
            crate::sync::handover::repair_copy(tx, issue_id, now)?
        }
        EventBody::VendorHandedOver {
            copy_ticket_id: Some(copy),
            ticket_id: Some(kept),
            ..
        } => crate::sync::handover::note_copy(tx, issue_id, *copy, *kept)?,
        EventBody::VendorDuplicate {
            ticket_id,
            copy_ticket_id,
            ..
        } if ticket_id != copy_ticket_id => {
            crate::sync::handover::note_copy(tx, issue_id, *copy_ticket_id, *ticket_id)?
        }
        _ => {}
    }
    Ok(Outcome::Applied)
}

/// Keeps the earliest escalation of the issue in the hub's order (this desktop's own
/// included); `true` when the one by `author` at `seq` is it now.
fn first_escalation(tx: &Transaction<'_>, issue_id: &str, author: &str, seq: i64) -> Result<bool> {
    let n = tx
        .prepare_cached(
            "INSERT INTO team_escalation_first (issue_id, author, seq) VALUES (?1, ?2, ?3)
             ON CONFLICT (issue_id) DO UPDATE SET author = excluded.author, seq = excluded.seq
             WHERE excluded.seq < team_escalation_first.seq",
        )?
        .execute(params![issue_id, author, seq])?;
    Ok(n == 1)
}

/// An issue another desktop logged: its client (found by id, then by name, else added) and
/// the issue itself, with the next short number of this desktop.
fn insert_issue(
    tx: &Transaction<'_>,
    issue_id: &str,
    seed: &IssueSeed,
    at: &str,
    actor: &str,
) -> Result<()> {
    let client: Option<String> = tx
        .prepare_cached(
            "SELECT id FROM clients WHERE id = ?1 UNION ALL
             SELECT id FROM clients WHERE name = ?2 COLLATE NOCASE LIMIT 1",
        )?
        .query_row(params![seed.issue.client_id, seed.client_name], |r| {
            r.get(0)
        })
        .optional()?;
    let client_id = match client {
        Some(id) => id,
        None => {
            tx.execute(
                "INSERT INTO clients (id, name, contact, created_at, created_by) VALUES (?1, ?2, '', ?3, ?4)",
                params![seed.issue.client_id, seed.client_name, at, actor],
            )?;
            seed.issue.client_id.clone()
        }
    };
    // The number it has everywhere, unless this desktop already used it (an issue numbered
    // before this desktop joined the hub): then this desktop's next one.
    let free = match seed.number {
        Some(n) => !tx
            .prepare_cached("SELECT EXISTS (SELECT 1 FROM issues WHERE number = ?1)")?
            .query_row([n], |r| r.get::<_, bool>(0))?,
        None => false,
    };
    let number: i64 = match seed.number {
        Some(n) if free => n,
        _ => {
            tracing::warn!(issue = %issue_id, number = ?seed.number, "a teammate's issue takes another short number here");
            journal::next_free_number(tx)?
        }
    };
    tx.prepare_cached(
        "INSERT INTO issues (id, number, client_id, title, description, steps, category, impact, urgency,
            priority, priority_rank, affected_users, status, created_at, created_by, updated_at, updated_by)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, 'new', ?13, ?14, ?13, ?14)",
    )?
    .execute(params![
        issue_id,
        number,
        client_id,
        seed.issue.title,
        seed.issue.description,
        seed.issue.steps,
        seed.issue.category,
        seed.issue.impact,
        seed.issue.urgency,
        seed.priority,
        seed.priority_rank,
        seed.issue.affected_users,
        at,
        actor,
    ])?;
    Ok(())
}
