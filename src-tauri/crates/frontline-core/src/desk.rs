//! The team lead's Escalations desk: every open escalation, critical first, then by time to
//! breach.
//!
//! Working a row out reads the issue's whole page (timeline, ladder, clocks), and a lead's desk
//! over a team's history holds hundreds of escalations and is looked at on every update. So each
//! row is kept with a [`Stamp`] of what it was worked out from (the issue's fields, its latest
//! event, the revision the database raises when the vendor's ticket changes) and the generation
//! of the team profile (ladders, calendar, SLA targets); a look reads the stamps in one query
//! and works out again only the rows whose stamp or profile moved. A look after which nothing
//! was committed to the database, by this process or another ([`crate::db::Db::version`]),
//! does not even read the stamps. What changes with the time of
//! day, where the nearest clock stands and whether the client is due an update, is read at each
//! look from what was kept. Nothing is added to the path that writes events: a catch-up on a
//! team's history pays nothing for the desk.
use std::collections::{HashMap, HashSet};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;

use chrono::{DateTime, Utc};
use rusqlite::{params, OptionalExtension};
use serde::Serialize;
use ts_rs::TS;

use crate::client_updates::ClientFacts;
use crate::error::Result;
use crate::frontline::Frontline;
use crate::ladder::Role;
use crate::model::EventBody;
use crate::sla::{Clock, ClockState, Hours};

/// One open escalation on the lead's desk.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct DeskRow {
    /// Issue id.
    pub id: String,
    /// FL key.
    pub key: String,
    /// Title.
    pub title: String,
    /// Client.
    pub client_name: String,
    /// Priority.
    pub priority: String,
    /// Flagged critical.
    pub critical: bool,
    /// The rung it is on.
    pub rung: String,
    /// The vendor ticket.
    #[ts(type = "number | null")]
    pub ticket_id: Option<i64>,
    /// The nearest unmet SLA clock.
    pub clock: Option<ClockState>,
    /// An agent asked a lead to look at it (and no lead has acted since).
    pub review_requested: bool,
    /// The client has not been told anything for a day or more.
    pub client_update_due: bool,
}

/// The desk: every open escalation, critical first, then by time to breach.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct Desk {
    /// This user's role.
    pub role: Role,
    /// The escalations.
    pub rows: Vec<DeskRow>,
    /// Groups of issues that look like one outage.
    pub outages: Vec<crate::outage::SuspectedOutage>,
}

/// The rows worked out so far, and the generation of the team profile they were worked out with.
#[derive(Default)]
pub(crate) struct DeskCache {
    rows: Mutex<KeptRows>,
    generation: AtomicU64,
}

/// The rows of the last look, and where the database stood when they were read.
#[derive(Default)]
struct KeptRows {
    rows: HashMap<String, Kept>,
    looked: Option<Marks>,
}

impl DeskCache {
    /// The ladders or the team profile changed: every row is worked out again on the next look.
    pub(crate) fn profile_changed(&self) {
        self.generation.fetch_add(1, Ordering::SeqCst);
    }

    /// Raised by every change of the ladders or the team profile.
    pub(crate) fn generation(&self) -> u64 {
        self.generation.load(Ordering::SeqCst)
    }
}

/// What a row is worked out from, as one query reads it for every open escalation.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Stamp {
    /// Raised when the vendor's ticket of the issue (or of the incident it is in) changes.
    rev: i64,
    /// The latest timeline event: the ladder, the clocks, reviews and client news fold these.
    last_event: Option<i64>,
    fields: (
        i64,
        String,
        String,
        String,
        String,
        String,
        bool,
        Option<String>,
    ),
}

/// What a stamp reads of an issue `i` and its client `c`.
macro_rules! stamp_columns {
    () => {
        "i.id, i.rev, (SELECT max(e.id) FROM issue_events e WHERE e.issue_id = i.id),
         i.number, i.title, c.name, i.impact, i.urgency, i.priority, i.critical, i.incident_id"
    };
}

/// Every open escalation's stamp.
const STAMPS: &str = concat!(
    "SELECT ",
    stamp_columns!(),
    "
    -- Escalated from this desktop, or from a teammate's (through the team hub): read from the
    -- escalations, not from a scan of every open issue.
    -- (CROSS JOIN keeps that order: SQLite would otherwise scan the issues.)
    FROM (SELECT issue_id FROM outbox WHERE kind = 'create_ticket'
          UNION SELECT issue_id FROM team_vendor_owner) AS x
    CROSS JOIN issues i ON i.id = x.issue_id
    CROSS JOIN clients c ON c.id = i.client_id
    WHERE i.is_open"
);

/// One issue's stamp, if it is an open escalation.
const STAMP_OF: &str = concat!(
    "SELECT ",
    stamp_columns!(),
    "
    FROM issues i CROSS JOIN clients c ON c.id = i.client_id
    WHERE i.id = ?1 AND i.is_open
      AND (EXISTS (SELECT 1 FROM outbox WHERE issue_id = i.id AND kind = 'create_ticket')
           OR EXISTS (SELECT 1 FROM team_vendor_owner WHERE issue_id = i.id))"
);

/// Where the timeline and the log of revisions stood at a look: what came after is what
/// may have changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Marks {
    /// The database's version ([`crate::db::Db::version`]), read before the rest.
    version: i64,
    /// The team profile's generation.
    generation: u64,
    /// The latest timeline event.
    event: i64,
    /// The latest logged revision (`issue_touches`).
    touch: i64,
}

/// More issues changed than this since the last look: every stamp is read again (one query
/// is then cheaper than one per issue).
const CHANGED_AT_MOST: usize = 500;

/// What a look reads: every open escalation's stamp, or the changed issues' stamps.
enum Stamps {
    All(Vec<(String, Stamp)>),
    Of(Vec<(String, Option<Stamp>)>),
}

/// An issue id and its stamp, from a row of [`STAMPS`] or [`STAMP_OF`].
fn stamp_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<(String, Stamp)> {
    Ok((
        r.get(0)?,
        Stamp {
            rev: r.get(1)?,
            last_event: r.get(2)?,
            fields: (
                r.get(3)?,
                r.get(4)?,
                r.get(5)?,
                r.get(6)?,
                r.get(7)?,
                r.get(8)?,
                r.get(9)?,
                r.get(10)?,
            ),
        },
    ))
}

/// One row as worked out, without the parts that change with the time of day.
struct Kept {
    stamp: Stamp,
    generation: u64,
    row: DeskRow,
    /// The nearest unmet clock, and the hours it counts.
    clock: Option<(Clock, Hours)>,
    /// Where that clock stood at the last look.
    seen: Option<Seen>,
    client: ClientFacts,
}

/// A clock's state at one look, and the working time it had counted then.
struct Seen {
    at: DateTime<Utc>,
    used: chrono::Duration,
    state: ClockState,
}

impl Seen {
    /// The state at `now`, when it cannot have changed since this look: the clock counts at
    /// most as fast as the wall clock and never backwards, so while what it could have counted
    /// since stays in the same whole minute, on the same side of the target, and no pause began
    /// or ended, every field is as it was (and a met clock no longer moves).
    fn still(&self, clock: &Clock, now: DateTime<Utc>) -> Option<ClockState> {
        if clock.met_at.is_some() {
            return Some(self.state.clone());
        }
        if now < self.at {
            return None;
        }
        let most = self.used + (now - self.at);
        let paused = clock
            .pauses
            .iter()
            .any(|p| p.end.is_none() && p.start <= now);
        (most.num_minutes() == self.used.num_minutes()
            && (most > clock.target) == (self.used > clock.target)
            && paused == self.state.paused)
            .then(|| self.state.clone())
    }
}

/// A due time for ordering: a clock without one (paused) comes after every clock with one.
fn due_or_never(due_at: Option<&str>) -> &str {
    due_at.unwrap_or("9999")
}

impl Kept {
    fn at(&mut self, now: DateTime<Utc>) -> DeskRow {
        DeskRow {
            clock: self.clock_at(now),
            client_update_due: self.client.update_due(now).0,
            ..self.row.clone()
        }
    }

    fn clock_at(&mut self, now: DateTime<Utc>) -> Option<ClockState> {
        let (clock, hours) = self.clock.as_ref()?;
        if let Some(state) = self.seen.as_ref().and_then(|s| s.still(clock, now)) {
            return Some(state);
        }
        let used = clock.used(hours, now);
        let state = clock.with_used(used, now);
        self.seen = Some(Seen {
            at: now,
            used,
            state: state.clone(),
        });
        Some(state)
    }
}

impl Frontline {
    /// The team lead's desk.
    pub fn desk(&self) -> Result<Desk> {
        let rows = self.desk_rows()?;
        let rule = self.team_profile().spec.outage.rule();
        Ok(Desk {
            role: self.role(),
            rows,
            outages: self.suspected_outages(rule)?,
        })
    }

    /// The desk's rows alone (what the tray counts), without looking for outages.
    pub fn desk_rows(&self) -> Result<Vec<DeskRow>> {
        // One look at a time: a look reads, works out and keeps under this lock.
        let mut kept = self.desk.rows.lock().unwrap_or_else(|e| e.into_inner());
        // Read before the stamps: a profile change or a commit after this makes the next look
        // read them again.
        let generation = self.desk.generation.load(Ordering::SeqCst);
        let version = self.db.version()?;
        let since = kept.looked.filter(|m| m.generation == generation);
        if since.is_none_or(|m| m.version != version) {
            let (marks, stamps) = self.stamps(since, version, generation)?;
            match stamps {
                Stamps::All(open) => {
                    let on_desk: HashSet<&str> = open.iter().map(|(id, _)| id.as_str()).collect();
                    kept.rows.retain(|id, _| on_desk.contains(id.as_str()));
                    for (id, stamp) in open {
                        let current = kept
                            .rows
                            .get(&id)
                            .is_some_and(|k| k.stamp == stamp && k.generation == generation);
                        if !current {
                            let fresh = self.work_out(&id, stamp, generation)?;
                            kept.rows.insert(id, fresh);
                        }
                    }
                }
                Stamps::Of(changed) => {
                    for (id, stamp) in changed {
                        match stamp {
                            None => {
                                kept.rows.remove(&id);
                            }
                            Some(stamp) if kept.rows.get(&id).is_some_and(|k| k.stamp == stamp) => {
                            }
                            Some(stamp) => {
                                let fresh = self.work_out(&id, stamp, generation)?;
                                kept.rows.insert(id, fresh);
                            }
                        }
                    }
                }
            }
            kept.looked = Some(marks);
        }
        // The kept rows are the desk now (read again only if something was committed or the
        // profile moved): only what moves with the time of day is worked out at each look.
        let now = self.clock.now();
        let mut rows: Vec<DeskRow> = kept.rows.values_mut().map(|k| k.at(now)).collect();
        drop(kept);
        rows.sort_by(|a, b| {
            fn due(r: &DeskRow) -> &str {
                due_or_never(r.clock.as_ref().and_then(|c| c.due_at.as_deref()))
            }
            b.critical
                .cmp(&a.critical)
                .then_with(|| due(a).cmp(due(b)))
                .then_with(|| a.id.cmp(&b.id))
        });
        Ok(rows)
    }

    /// The stamps to look at, and where the database stood when they were read (in one read
    /// transaction): every open escalation's, or — after a look with the same profile — only
    /// those of the issues with events or a raised revision since (`None`: not an open
    /// escalation now).
    fn stamps(
        &self,
        since: Option<Marks>,
        version: i64,
        generation: u64,
    ) -> Result<(Marks, Stamps)> {
        self.db.read(|conn| {
            let tx = conn.unchecked_transaction()?;
            let (event, touch, first_touch): (i64, i64, Option<i64>) = tx
                .prepare_cached(
                    "SELECT coalesce((SELECT max(id) FROM issue_events), 0),
                            coalesce((SELECT seq FROM sqlite_sequence WHERE name = 'issue_touches'), 0),
                            (SELECT min(n) FROM issue_touches)",
                )?
                .query_row([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
            let marks = Marks {
                version,
                generation,
                event,
                touch,
            };
            // The log is trimmed at start (by any process): it must still hold every
            // revision raised since the last look.
            if let Some(m) = since.filter(|m| first_touch.is_none_or(|f| f <= m.touch + 1)) {
                // Two reads, not one UNION: SQLite ran the UNION as a scan (8 ms at 200,000
                // events against 0.04 ms for the two seeks). Past `ROWS_AT_MOST` rows every
                // stamp is read instead.
                const ROWS_AT_MOST: i64 = 4 * CHANGED_AT_MOST as i64;
                let mut changed = std::collections::BTreeSet::new();
                let mut rows_read = 0;
                for (sql, after) in [
                    ("SELECT issue_id FROM issue_events WHERE id > ?1 LIMIT ?2", m.event),
                    ("SELECT issue_id FROM issue_touches WHERE n > ?1 LIMIT ?2", m.touch),
                ] {
                    let mut stmt = tx.prepare_cached(sql)?;
                    let mut rows = stmt.query(params![after, ROWS_AT_MOST])?;
                    while let Some(r) = rows.next()? {
                        rows_read += 1;
                        changed.insert(r.get::<_, String>(0)?);
                    }
                }
                if changed.len() <= CHANGED_AT_MOST && rows_read < ROWS_AT_MOST {
                    let mut of = tx.prepare_cached(STAMP_OF)?;
                    let stamps = changed
                        .into_iter()
                        .map(|id| {
                            let stamp = of.query_row([&id], stamp_row).optional()?;
                            Ok((id, stamp.map(|(_, s)| s)))
                        })
                        .collect::<Result<_>>()?;
                    return Ok((marks, Stamps::Of(stamps)));
                }
            }
            let open = tx
                .prepare_cached(STAMPS)?
                .query_map([], stamp_row)?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            Ok((marks, Stamps::All(open)))
        })
    }

    /// One row from the issue's page, as of `stamp` (read before it: a change in between is
    /// seen on the next look).
    fn work_out(&self, id: &str, stamp: Stamp, generation: u64) -> Result<Kept> {
        let d = self.issue(id)?;
        let (hours, clocks) = self.sla_clocks(&d);
        let clock = clocks
            .into_iter()
            .filter(|c| c.met_at.is_none())
            .min_by(|a, b| due_or_never(a.due_at.as_deref()).cmp(due_or_never(b.due_at.as_deref())))
            .map(|c| (c, hours));
        let review_requested = d
            .events
            .iter()
            .rev()
            .take_while(|e| {
                !matches!(
                    e.body,
                    EventBody::FlaggedCritical { .. } | EventBody::RungRequested { .. }
                )
            })
            .any(|e| matches!(e.body, EventBody::ReviewRequested { .. }));
        Ok(Kept {
            stamp,
            generation,
            row: DeskRow {
                id: id.to_owned(),
                key: d.issue.key.clone(),
                title: d.issue.title.clone(),
                client_name: d.issue.client_name.clone(),
                priority: d.issue.priority.clone(),
                critical: d.issue.critical,
                rung: d
                    .ladder
                    .current
                    .and_then(|c| d.ladder.rungs.get(c as usize))
                    .map(|r| r.name.clone())
                    .unwrap_or_default(),
                ticket_id: d.vendor.ticket_id,
                clock: None,
                review_requested,
                client_update_due: false,
            },
            clock,
            seen: None,
            client: ClientFacts::of(&d),
        })
    }
}
