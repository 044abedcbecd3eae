//! Two desktops of a team escalated the same issue while apart from the hub. The hub's order
//! names the owner (the first escalation); the other desktop hands over what it queued for the
//! vendor and, if it opened a ticket meanwhile, closes that ticket as a copy of the owner's and
//! sends what the copy received to the owner's ticket, so the vendor works on one ticket that
//! holds everything.
use rusqlite::{params, OptionalExtension, Transaction};

use super::outbox::{close_copy, Operation};
use crate::error::{Error, Result};
use crate::journal::Change;
use crate::model::EventBody;

/// What this desktop had queued for the vendor, taken off its outbox.
#[derive(Default)]
struct Taken {
    ops: Vec<Operation>,
}

/// Marks the issue's operations in `states` (except the create and housekeeping on copies)
/// as handed to `owner`; `sent` selects those an attempt may have delivered (`None`: all).
fn take(
    tx: &Transaction<'_>,
    issue_id: &str,
    owner: &str,
    states: &str,
    sent: Option<bool>,
) -> Result<Taken> {
    let sql = format!(
        "UPDATE outbox SET handed_to = ?2, state = 'done', in_flight = 0
         WHERE issue_id = ?1 AND handed_to IS NULL AND state IN ({states})
           AND kind NOT IN ('create_ticket', 'close_duplicate')
           AND (?3 IS NULL OR (first_sent_at IS NOT NULL OR uncertain OR in_flight) = ?3)
         RETURNING id, payload"
    );
    let mut rows = tx
        .prepare_cached(&sql)?
        .query_map(params![issue_id, owner, sent], |r| {
            Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    rows.sort_by_key(|(id, _)| *id);
    let mut taken = Taken::default();
    for (id, payload) in rows {
        let op: Operation = serde_json::from_str(&payload)
            .map_err(|e| Error::Decode(format!("outbox operation {id}: {e}")))?;
        // Files go too: their content is on the team hub, beside the event that added them.
        taken.ops.push(op);
    }
    Ok(taken)
}

/// Records the hand-over on the timeline; the operations ride on that event to the owner's
/// desktop, which sends them (see `team::apply_one`).
fn record(
    tx: &Transaction<'_>,
    issue_id: &str,
    owner: &str,
    now: &str,
    taken: Taken,
    copy_ticket_id: Option<i64>,
    ticket_id: Option<i64>,
) -> Result<()> {
    let mut change = Change::new(
        issue_id,
        now,
        "sync",
        EventBody::VendorHandedOver {
            owner: owner.to_owned(),
            operations: taken.ops.len() as i64,
            // Files go with the rest (their content is on the team hub): none stays behind.
            files_kept: Vec::new(),
            copy_ticket_id,
            ticket_id,
        },
    )
    .sends_all(taken.ops);
    if let (Some(copy), Some(kept)) = (copy_ticket_id, ticket_id) {
        change = change.sends_from_here(close_copy(copy, kept));
    }
    change.record(tx)?;
    Ok(())
}

/// A teammate's escalation of the issue came first in the hub's order, after this desktop had
/// escalated it too. What was queued here and not sent goes to the owner; a create not sent
/// is not needed. A create already sent stays: the engine finds what it did, and a ticket it
/// opened is closed as a copy once both tickets are known ([`repair_copy`]).
pub(crate) fn hand_over(
    tx: &Transaction<'_>,
    issue_id: &str,
    owner: &str,
    now: &str,
) -> Result<()> {
    let create_unsent = tx
        .prepare_cached(
            "UPDATE outbox SET handed_to = ?2, state = 'done'
             WHERE issue_id = ?1 AND kind = 'create_ticket' AND handed_to IS NULL
               AND state IN ('pending', 'parked')
               AND first_sent_at IS NULL AND NOT uncertain AND NOT in_flight",
        )?
        .execute(params![issue_id, owner])?
        == 1;
    let taken = take(tx, issue_id, owner, "'pending', 'parked'", Some(false))?;
    tracing::info!(issue = %issue_id, %owner, create_unsent, handed = taken.ops.len(), "a teammate escalated this issue first: their desktop owns the vendor ticket");
    record(tx, issue_id, owner, now, taken, None, None)?;
    repair_copy(tx, issue_id, now)
}

/// The ticket the owner's desktop linked, as its event reached this desktop through the hub.
fn owners_ticket(tx: &Transaction<'_>, issue_id: &str) -> Result<Option<i64>> {
    let data: Option<String> = tx
        .prepare_cached(
            "SELECT e.data FROM issue_events e
             WHERE e.issue_id = ?1 AND e.kind = 'vendor_ticket_linked' AND e.global_id IS NOT NULL
               AND NOT EXISTS (SELECT 1 FROM team_outbox t WHERE t.global_id = e.global_id)
             ORDER BY e.id DESC LIMIT 1",
        )?
        .query_row([issue_id], |r| r.get(0))
        .optional()?;
    Ok(match data.map(|d| serde_json::from_str::<EventBody>(&d)) {
        Some(Ok(EventBody::VendorTicketLinked { ticket_id, .. })) => Some(ticket_id),
        _ => None,
    })
}

/// This desktop holds a ticket for an issue a teammate's desktop owns, and the owner's ticket
/// is known: this desktop stops talking to its own. A different ticket is a copy: it is
/// closed, pointing to the owner's, and what it received (and anything still waiting for it)
/// goes to the owner's ticket. The same ticket (an uncertain create's look-up found the
/// owner's) is simply left to the owner. Does nothing until both tickets are known.
pub(crate) fn repair_copy(tx: &Transaction<'_>, issue_id: &str, now: &str) -> Result<()> {
    let Some(owner) = crate::team::vendor_owner_elsewhere(tx, issue_id)? else {
        return Ok(());
    };
    let own: Option<i64> = tx
        .prepare_cached("SELECT ticket_id FROM vendor_tickets WHERE issue_id = ?1")?
        .query_row([issue_id], |r| r.get(0))
        .optional()?;
    let (Some(own), Some(kept)) = (own, owners_ticket(tx, issue_id)?) else {
        return Ok(());
    };
    let copy = (own != kept).then_some(own);
    tx.prepare_cached(
        "UPDATE vendor_tickets SET issue_id = NULL, reference = ?2, duplicate_of = ?3 WHERE ticket_id = ?1",
    )?
    .execute(params![own, issue_id, copy.map(|_| kept)])?;
    tx.prepare_cached(
        "UPDATE outbox SET handed_to = ?2 WHERE issue_id = ?1 AND kind = 'create_ticket' AND handed_to IS NULL",
    )?
    .execute(params![issue_id, owner])?;
    // What still waits here goes to the owner's ticket; on a copy, so does what it received.
    let mut taken = take(tx, issue_id, &owner, "'pending', 'parked'", None)?;
    if let Some(copy) = copy {
        let delivered = take(tx, issue_id, &owner, "'done'", None)?;
        let again = delivered.ops.into_iter().filter_map(|op| match op {
            Operation::Comment { body } | Operation::RequestEscalation { body, .. } => {
                Some(Operation::Comment {
                    body: format!("{body}\n\n(First sent on ticket #{copy}, a copy of this one.)"),
                })
            }
            Operation::SetPriority { priority } => Some(Operation::SetPriority { priority }),
            attach @ Operation::Attach { .. } => Some(attach),
            _ => None,
        });
        let mut ops: Vec<Operation> = again.collect();
        ops.append(&mut taken.ops);
        taken.ops = ops;
        tracing::warn!(issue = %issue_id, copy, kept, %owner, "this desktop opened a second ticket for a teammate's escalation: closing it as a copy");
    }
    record(tx, issue_id, &owner, now, taken, copy, Some(kept))
}

/// A teammate's event named a ticket as a copy of another: this desktop will not take it for
/// one of its own, nor mark it again.
pub(crate) fn note_copy(tx: &Transaction<'_>, issue_id: &str, copy: i64, kept: i64) -> Result<()> {
    tx.prepare_cached(
        "INSERT INTO vendor_tickets (ticket_id, reference, duplicate_of, opened_elsewhere) VALUES (?1, ?2, ?3, 1)
         ON CONFLICT (ticket_id) DO UPDATE SET duplicate_of = coalesce(duplicate_of, excluded.duplicate_of),
            opened_elsewhere = 1
         WHERE issue_id IS NULL",
    )?
    .execute(params![copy, issue_id, kept])?;
    Ok(())
}
