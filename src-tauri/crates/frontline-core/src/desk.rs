//! The team lead's Escalations desk: every open escalation, critical first, then by time to
//! breach.
//!
//! Working a row out reads the issue's whole page (timeline, ladder, clocks), and a lead's desk
//! over a team's history holds hundreds of escalations and is looked at on every update. So each
//! row is kept with a [`Stamp`] of what it was worked out from (the issue's fields, its latest
//! event, the revision the database raises when the vendor's ticket changes) and the generation
//! of the team profile (ladders, calendar, SLA targets); a look reads the stamps in one query
//! and works out again only the rows whose stamp or profile moved. What changes with the time of
//! day, where the nearest clock stands and whether the client is due an update, is read at each
//! look from what was kept. Nothing is added to the path that writes events: a catch-up on a
//! team's history pays nothing for the desk.
use std::collections::{HashMap, HashSet};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;

use chrono::{DateTime, Utc};
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
    rows: Mutex<HashMap<String, Kept>>,
    generation: AtomicU64,
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

const STAMPS: &str =
    "SELECT i.id, i.rev, (SELECT max(e.id) FROM issue_events e WHERE e.issue_id = i.id),
        i.number, i.title, c.name, i.impact, i.urgency, i.priority, i.critical, i.incident_id
    -- Escalated from this desktop, or from a teammate's (through the team hub): read from the
    -- escalations, not from a scan of every open issue.
    -- (CROSS JOIN keeps that order: SQLite would otherwise scan the issues.)
    FROM (SELECT issue_id FROM outbox WHERE kind = 'create_ticket'
          UNION SELECT issue_id FROM team_vendor_owner) AS x
    CROSS JOIN issues i ON i.id = x.issue_id
    CROSS JOIN clients c ON c.id = i.client_id
    WHERE i.is_open";

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
        // Read before the revisions: a profile change after this makes the rows stale next time.
        let generation = self.desk.generation.load(Ordering::SeqCst);
        let open: Vec<(String, Stamp)> = self.db.read(|conn| {
            let mut stmt = conn.prepare_cached(STAMPS)?;
            let open = stmt
                .query_map([], |r| {
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
                })?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            Ok(open)
        })?;
        let now = self.clock.now();
        let mut rows = Vec::with_capacity(open.len());
        {
            let mut kept = self.desk.rows.lock().unwrap_or_else(|e| e.into_inner());
            let on_desk: HashSet<&str> = open.iter().map(|(id, _)| id.as_str()).collect();
            kept.retain(|id, _| on_desk.contains(id.as_str()));
            for (id, stamp) in open {
                let current = kept
                    .get(&id)
                    .is_some_and(|k| k.stamp == stamp && k.generation == generation);
                if !current {
                    let fresh = self.work_out(&id, stamp, generation)?;
                    kept.insert(id.clone(), fresh);
                }
                if let Some(k) = kept.get_mut(&id) {
                    rows.push(k.at(now));
                }
            }
        }
        rows.sort_by(|a, b| {
            fn due(r: &DeskRow) -> &str {
                due_or_never(r.clock.as_ref().and_then(|c| c.due_at.as_deref()))
            }
            b.critical.cmp(&a.critical).then_with(|| due(a).cmp(due(b)))
        });
        Ok(Desk {
            role: self.role(),
            rows,
            outages: {
                let rule = self.team_profile().spec.outage.rule();
                self.suspected_outages(rule)?
            },
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
