//! Moves a desktop's events to the hub and everyone else's back: push the core's team outbox
//! (idempotent by event id; a refusal is set aside on the desktop with the hub's words), then
//! pull after the desktop's cursor in the hub's order and let the core apply each event once.
//! SQLite work runs on blocking threads, never on the async runtime.
use std::sync::Arc;

use chrono::{DateTime, SecondsFormat};
use frontline_core::team::TeamEvent;
use frontline_core::Frontline;
use uuid::Uuid;

use crate::{Hub, HubError, HubEvent};

/// Events per push.
const PAGE: usize = 500;
/// Events per pull (and per transaction applying them here). Each transaction rewrites the
/// pages its events end on (the timeline's tail, each index's insertion points), so fewer,
/// larger ones apply a catch-up faster: 4,000 an apply took a 1M-event catch-up from 18,900
/// to 25,300 events/s against 1,000. The first pull is small, so the first issues show at once.
const PULL_PAGE: i64 = 4000;
const FIRST_PULL: i64 = 500;

/// What one round did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Synced {
    /// Teammates' events worth a desktop notification (the app's notifier shows them).
    pub notices: Vec<frontline_core::notify::Notice>,
    /// Events now on the hub.
    pub pushed: usize,
    /// Events the hub refused.
    pub refused: usize,
    /// Other desktops' events applied here.
    pub applied: usize,
}

fn local(e: impl std::fmt::Display) -> HubError {
    HubError::Database(format!("this desktop's cache: {e}"))
}

async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> frontline_core::error::Result<T> + Send + 'static,
) -> Result<T, HubError> {
    tokio::task::spawn_blocking(f)
        .await
        .map_err(local)?
        .map_err(local)
}

fn to_hub(e: TeamEvent) -> Result<HubEvent, HubError> {
    let bad = |what: &str| HubError::Malformed(format!("event {}: {what}", e.id));
    Ok(HubEvent {
        id: Uuid::parse_str(&e.id).map_err(|_| bad("its id is not a UUID"))?,
        issue_id: e
            .issue_id
            .as_deref()
            .map(Uuid::parse_str)
            .transpose()
            .map_err(|_| bad("its issue id is not a UUID"))?,
        author: e.author.clone(),
        kind: e.kind.clone(),
        occurred_at: DateTime::parse_from_rfc3339(&e.occurred_at)
            .map_err(|_| bad("its time cannot be read"))?
            .to_utc(),
        body: e.body,
    })
}

fn from_hub(e: HubEvent) -> TeamEvent {
    TeamEvent {
        id: e.id.to_string(),
        issue_id: e.issue_id.map(|i| i.to_string()),
        author: e.author,
        kind: e.kind,
        body: e.body,
        occurred_at: e.occurred_at.to_rfc3339_opts(SecondsFormat::Millis, true),
    }
}

/// Take a new block of short numbers when fewer than this are left.
const NUMBERS_LOW: i64 = 50;

/// One round: a fresh block of short numbers if this desktop is running low, everything
/// pending pushed, everything new pulled and applied.
pub async fn sync_once(core: &Arc<Frontline>, hub: &Hub) -> Result<Synced, HubError> {
    sync_reporting(core, hub, &|_| {}).await
}

/// [`sync_once`], telling `applied_so_far` after each page it applies (a catch-up's progress).
pub async fn sync_reporting(
    core: &Arc<Frontline>,
    hub: &Hub,
    applied_so_far: &(dyn Fn(usize) + Sync),
) -> Result<Synced, HubError> {
    let mut done = push_pending(core, hub).await?;
    let c = core.clone();
    let cursor = blocking(move || c.team_cursor()).await?;
    // The next page is read from the hub while this one is applied here.
    let mut page = hub.pull(cursor, FIRST_PULL).await?;
    while let Some(through) = page.last().map(|(seq, _)| *seq) {
        let mut events = Vec::with_capacity(page.len());
        for (seq, event) in page {
            match event {
                Ok(e) => events.push((seq, from_hub(e))),
                // Unreadable on the hub: skipped (the cursor moves past it), and said in the log.
                Err(e) => tracing::warn!(seq, error = %e, "a hub event was skipped"),
            }
        }
        let c = core.clone();
        let apply = blocking(move || c.apply_team_events(&events, through));
        let (applied, next) = tokio::join!(apply, hub.pull(through, PULL_PAGE));
        let applied = applied?;
        done.applied += applied.applied;
        done.notices.extend(applied.notices);
        applied_so_far(done.applied);
        page = next?;
    }
    fetch_files(core, hub).await?;
    if done.applied > 0 {
        // Applying may have recorded changes of this desktop's own (a hand-over of vendor
        // operations to the teammate whose escalation came first): they go now, not next round.
        let again = push_pending(core, hub).await?;
        done.pushed += again.pushed;
        done.refused += again.refused;
    }
    Ok(done)
}

/// Pushes what this desktop has not yet given the hub (after a local change), taking a new
/// block of short numbers first when it runs low.
pub async fn push_pending(core: &Arc<Frontline>, hub: &Hub) -> Result<Synced, HubError> {
    let mut done = Synced::default();
    let c = core.clone();
    let left = blocking(move || c.numbers_left()).await?;
    if left.is_none_or(|n| n < NUMBERS_LOW) {
        let (first, size) = hub.take_number_block().await?;
        let c = core.clone();
        blocking(move || c.use_number_block(first, first + size)).await?;
        tracing::info!(first, size, "new block of short numbers from the team hub");
    }
    loop {
        let c = core.clone();
        let pending = blocking(move || c.team_pending(PAGE)).await?;
        if pending.is_empty() {
            break;
        }
        share_files(core, hub, &pending).await?;
        let events = pending
            .into_iter()
            .map(to_hub)
            .collect::<Result<Vec<_>, _>>()?;
        let report = hub.push(&events).await?;
        done.pushed += report.accepted.len();
        done.refused += report.refused.len();
        let c = core.clone();
        blocking(move || {
            let pushed: Vec<(String, i64)> = report
                .accepted
                .iter()
                .map(Uuid::to_string)
                .zip(report.seqs.iter().copied())
                .collect();
            c.team_pushed(&pushed)?;
            for (id, words) in &report.refused {
                c.team_refused(&id.to_string(), words)?;
            }
            Ok(())
        })
        .await?;
    }
    Ok(done)
}

/// The content of the files these events add goes to the hub before the events do, so a
/// teammate who reads an event can fetch its file.
async fn share_files(
    core: &Arc<Frontline>,
    hub: &Hub,
    events: &[TeamEvent],
) -> Result<(), HubError> {
    for e in events {
        let Some(sha256) = e.body.pointer("/file/sha256").and_then(|v| v.as_str()) else {
            continue;
        };
        let (c, sha) = (core.clone(), sha256.to_owned());
        match blocking(move || c.attachment_bytes(&sha)).await {
            Ok(bytes) => hub.put_file(sha256, &bytes).await?,
            // Gone from this computer: the event still goes, and says what the file was.
            Err(err) => {
                tracing::warn!(event = %e.id, %sha256, error = %err, "a file cannot be shared with the team")
            }
        }
    }
    Ok(())
}

/// Teammates' files this desktop knows of but does not hold: fetched from the hub (those the
/// hub does not have yet are asked for again next round).
async fn fetch_files(core: &Arc<Frontline>, hub: &Hub) -> Result<(), HubError> {
    loop {
        let c = core.clone();
        let wanted = blocking(move || c.team_files_wanted(FILES_PAGE)).await?;
        if wanted.is_empty() {
            return Ok(());
        }
        let found = hub.files(&wanted).await?;
        let mut kept = 0;
        for (sha256, bytes) in found {
            let c = core.clone();
            let sha = sha256.clone();
            match blocking(move || c.store_team_file(&sha, &bytes)).await {
                Ok(()) => kept += 1,
                Err(e) => {
                    tracing::warn!(%sha256, error = %e, "a file from the team hub was not kept")
                }
            }
        }
        if kept < wanted.len() {
            // Not on the hub yet, or not kept: asked for again next round.
            tracing::info!(
                waiting = wanted.len() - kept,
                "teammates' files still to fetch"
            );
            return Ok(());
        }
    }
}

/// Files fetched per round trip.
const FILES_PAGE: usize = 16;
