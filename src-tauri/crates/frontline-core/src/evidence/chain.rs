//! The timeline's hash chain: each row's hash covers the row and the hash of the issue's
//! previous row, so changing, removing or reordering a row breaks every hash after it.
use rusqlite::{params, Connection, OptionalExtension};
use sha2::{Digest, Sha256};

use crate::error::Result;

/// What a row's hash covers, in this order, each field ended by a line feed: the previous
/// row's hash (empty for the first), the event's global id, time, author, kind and data as
/// stored.
pub fn link(prev: &str, global_id: &str, at: &str, actor: &str, kind: &str, data: &str) -> String {
    let mut h = Sha256::new();
    for part in [prev, global_id, at, actor, kind, data] {
        h.update(part.as_bytes());
        h.update(b"\n");
    }
    hex::encode(h.finalize())
}

/// The hash a new row of `issue_id` gets: linked to the issue's last row (whose chain is
/// completed first if it is from before hashes).
pub(crate) fn next(
    tx: &Connection,
    issue_id: &str,
    (global_id, at, actor, kind, data): (&str, &str, &str, &str, &str),
) -> Result<String> {
    let last: Option<Option<String>> = tx
        .prepare_cached(
            "SELECT hash FROM issue_events WHERE issue_id = ?1 ORDER BY id DESC LIMIT 1",
        )?
        .query_row([issue_id], |r| r.get(0))
        .optional()?;
    let prev = match last {
        None => String::new(),
        Some(Some(hash)) => hash,
        Some(None) => seal(tx, issue_id)?,
    };
    Ok(link(&prev, global_id, at, actor, kind, data))
}

/// id, global id, time, author, kind, data, hash.
type StoredRow = (
    i64,
    Option<String>,
    String,
    String,
    String,
    String,
    Option<String>,
);

/// Gives the rows of `issue_id` without a hash (from before hashes) theirs, in timeline
/// order; returns the last row's hash.
pub(crate) fn seal(tx: &Connection, issue_id: &str) -> Result<String> {
    let rows: Vec<StoredRow> = tx
        .prepare_cached(
            "SELECT id, global_id, at, actor, kind, data, hash FROM issue_events WHERE issue_id = ?1 ORDER BY id",
        )?
        .query_map([issue_id], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?, r.get(6)?))
        })?
        .collect::<rusqlite::Result<_>>()?;
    let mut prev = String::new();
    let mut set =
        tx.prepare_cached("UPDATE issue_events SET hash = ?2 WHERE id = ?1 AND hash IS NULL")?;
    for (id, global_id, at, actor, kind, data, hash) in rows {
        prev = match hash {
            Some(h) => h,
            None => {
                let h = link(
                    &prev,
                    global_id.as_deref().unwrap_or(""),
                    &at,
                    &actor,
                    &kind,
                    &data,
                );
                set.execute(params![id, h])?;
                h
            }
        };
    }
    Ok(prev)
}
