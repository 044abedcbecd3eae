//! The sync engine: drains the outbox through a [`VendorApi`], retries with full-jitter
//! backoff persisted per row (never before the vendor's `Retry-After`), pauses on bad
//! credentials, parks what the vendor refuses, and pulls the vendor's changes back.
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use futures_util::StreamExt;
use serde::Serialize;
use tokio::sync::{watch, Notify};
use tokio::time::Instant;
use ts_rs::TS;

use super::outbox::{marker, DueOperation, Operation};
use super::vendor::*;
use crate::error::Result;
use crate::Frontline;

/// How the engine behaves.
#[derive(Debug, Clone)]
pub struct EngineConfig {
    /// First retry delay ceiling; doubles per attempt (full jitter below it).
    pub base_delay: Duration,
    /// Largest retry delay.
    pub max_delay: Duration,
    /// How often to pull the vendor's changes.
    pub pull_every: Duration,
    /// How often to sync the vendor's help centre.
    pub kb_every: Duration,
    /// Operations read per batch.
    pub batch: usize,
    /// Operations of different issues in flight at once.
    pub concurrency: usize,
    /// Answers from the vendor that make no sense tolerated on one operation before it is
    /// parked. Transport failures and pages from the network in between do not count.
    pub max_bad_answers: i64,
    /// How long after we gave up on a request it may still reach the vendor and be carried
    /// out (see [`LATE_DELIVERY_BOUND`]). After a failure with no answer, or a crash mid-send,
    /// the engine looks for what the request did, and sends again, only once this has passed.
    pub late_delivery: Duration,
    /// How far the vendor's clock may be behind ours: a look-up after an uncertain create
    /// scans back to the first attempt minus this.
    pub clock_skew: Duration,
}

impl Default for EngineConfig {
    fn default() -> Self {
        EngineConfig {
            base_delay: Duration::from_secs(2),
            max_delay: Duration::from_secs(10 * 60),
            pull_every: Duration::from_secs(60),
            kb_every: Duration::from_secs(60 * 60),
            batch: 50,
            concurrency: 4,
            max_bad_answers: 10,
            clock_skew: Duration::from_secs(10 * 60),
            late_delivery: LATE_DELIVERY_BOUND,
        }
    }
}

/// How late a request we gave up on may still be carried out by the vendor: 3 minutes. A
/// request has to get through the vendor's edge and its application within the edge's
/// origin timeout (Cloudflare, in front of Zendesk, gives up on an origin after 100 s; nginx
/// and most load balancers after 60 s) and the server's own limits on reading a request body
/// (tens of seconds); 3 minutes covers the longest of these with room for a slow queue.
/// Waiting costs only time on the rare operation whose answer was lost; a copy later than
/// this is still found on the next pull and marked as a duplicate.
pub const LATE_DELIVERY_BOUND: Duration = Duration::from_secs(3 * 60);

/// Progress of a long catch-up.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
pub struct Progress {
    /// Operations sent since the catch-up began.
    #[ts(type = "number")]
    pub done: i64,
    /// Operations there were to send.
    #[ts(type = "number")]
    pub total: i64,
}

/// What the UI shows about sync.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct SyncStatus {
    /// The vendor's name ("Zendesk"), empty when no vendor is connected.
    pub vendor: String,
    /// Whether a vendor connection is set up.
    pub configured: bool,
    /// Talking to the sandbox simulator rather than a real vendor.
    pub sandbox: bool,
    /// `None` until the first attempt; then whether the vendor answered at all.
    pub online: Option<bool>,
    /// The queue is stopped until the user acts (bad credentials), and why.
    pub paused: Option<String>,
    /// Something between us and the vendor is answering instead of it (a captive portal's
    /// log-in page, a proxy): the queue waits and resumes by itself once the vendor answers.
    pub intercepted: Option<String>,
    /// Operations waiting.
    #[ts(type = "number")]
    pub queued: i64,
    /// Operations the vendor refused.
    #[ts(type = "number")]
    pub parked: i64,
    /// When something last reached the vendor.
    pub last_success: Option<String>,
    /// The last failure, in words.
    pub last_error: Option<String>,
    /// A catch-up in progress.
    pub catch_up: Option<Progress>,
}

impl SyncStatus {
    /// The status before any engine runs.
    pub fn idle(queued: i64, parked: i64) -> Self {
        SyncStatus {
            vendor: String::new(),
            configured: false,
            sandbox: false,
            online: None,
            paused: None,
            intercepted: None,
            queued,
            parked,
            last_success: None,
            last_error: None,
            catch_up: None,
        }
    }
}

enum Outcome {
    Created(TicketRef),
    Done,
    /// A teammate's desktop owns the ticket and this create never reached the vendor.
    HandedOver(String),
}

/// The engine. Share it in an `Arc`; [`SyncEngine::run`] is the background loop.
pub struct SyncEngine {
    core: Arc<Frontline>,
    vendor: Arc<dyn VendorApi>,
    config: EngineConfig,
    status: watch::Sender<SyncStatus>,
    wake: Notify,
    offline_until: Mutex<Option<Instant>>,
    offline_streak: AtomicU32,
    paused: Mutex<Option<String>>,
    catch_up: Mutex<Option<Progress>>,
    notifier: Mutex<Option<Arc<crate::notify::Notifier>>>,
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

/// Full jitter: a uniform delay between zero and `min(max, base × 2^attempts)`.
pub fn backoff(attempts: i64, base: Duration, max: Duration) -> Duration {
    let exp = attempts.clamp(0, 30) as u32;
    let ceiling = base.saturating_mul(2u32.saturating_pow(exp)).min(max);
    ceiling.mul_f64(fastrand::f64())
}

impl SyncEngine {
    /// An engine over `core` and `vendor`.
    pub fn new(
        core: Arc<Frontline>,
        vendor: Arc<dyn VendorApi>,
        config: EngineConfig,
        sandbox: bool,
    ) -> Arc<Self> {
        let (queued, parked) = core.outbox_counts().unwrap_or((0, 0));
        let mut status = SyncStatus::idle(queued, parked);
        status.vendor = vendor.name().to_owned();
        status.configured = true;
        status.sandbox = sandbox;
        status.last_success = core.sync_fact("last_success").ok().flatten();
        let (tx, _) = watch::channel(status);
        Arc::new(SyncEngine {
            core,
            vendor,
            config,
            status: tx,
            wake: Notify::new(),
            offline_until: Mutex::new(None),
            offline_streak: AtomicU32::new(0),
            paused: Mutex::new(None),
            catch_up: Mutex::new(None),
            notifier: Mutex::new(None),
        })
    }

    /// Where the vendor's replies and ticket changes are announced.
    pub fn set_notifier(&self, notifier: Arc<crate::notify::Notifier>) {
        *lock(&self.notifier) = Some(notifier);
    }

    /// Runs `f` on the cache on a blocking thread: the engine's SQLite work never holds up
    /// the async runtime (the window's commands and the hub worker share it).
    async fn store<T: Send + 'static>(
        &self,
        f: impl FnOnce(&Frontline) -> Result<T> + Send + 'static,
    ) -> Result<T> {
        let core = self.core.clone();
        tokio::task::spawn_blocking(move || f(&core))
            .await
            .map_err(|e| crate::Error::Interrupted(format!("the sync engine's cache work ({e})")))?
    }

    async fn announce(&self, notices: Vec<crate::notify::Notice>) {
        let issues: Vec<String> = notices.iter().filter_map(|n| n.issue_id.clone()).collect();
        let refreshed = self
            .store(move |core| {
                for id in &issues {
                    if let Err(e) = core.refresh_sla_due(id) {
                        tracing::warn!(issue = %id, error = %e, "SLA due time not refreshed");
                    }
                }
                Ok(())
            })
            .await;
        if let Err(e) = refreshed {
            tracing::warn!(error = %e, "SLA due times not refreshed");
        }
        if let Some(n) = lock(&self.notifier).as_ref() {
            for notice in notices {
                n.push(notice);
            }
        }
    }

    /// Follows the status.
    pub fn subscribe(&self) -> watch::Receiver<SyncStatus> {
        self.status.subscribe()
    }

    /// The status now.
    pub fn status(&self) -> SyncStatus {
        self.status.borrow().clone()
    }

    /// New outbox rows, or the user pressed "sync now": stop waiting (and forget an offline
    /// back-off).
    pub fn wake(&self) {
        *lock(&self.offline_until) = None;
        self.wake.notify_one();
    }

    /// The credentials were fixed: run again.
    pub async fn resume(&self) {
        *lock(&self.paused) = None;
        self.refresh().await;
        self.wake();
    }

    async fn refresh(&self) {
        let (queued, parked) = self
            .store(|core| core.outbox_counts())
            .await
            .unwrap_or((0, 0));
        let paused = lock(&self.paused).clone();
        let catch_up = *lock(&self.catch_up);
        self.status.send_modify(|s| {
            s.queued = queued;
            s.parked = parked;
            s.paused = paused;
            s.catch_up = catch_up;
        });
    }

    async fn note_success(&self) {
        self.offline_streak.store(0, Ordering::Relaxed);
        let now = self.core.now();
        let stored = now.clone();
        if let Err(e) = self
            .store(move |core| core.set_sync_fact("last_success", &stored))
            .await
        {
            tracing::warn!(error = %e, "the time of the last success was not stored");
        }
        self.status.send_modify(|s| {
            s.online = Some(true);
            s.intercepted = None;
            s.last_success = Some(now);
        });
    }

    fn note_error(&self, message: String, offline: bool) {
        self.status.send_modify(|s| {
            s.online = Some(!offline);
            if !offline {
                s.intercepted = None;
            }
            s.last_error = Some(message);
        });
    }

    /// The network in between answered instead of the vendor: the whole queue waits (like
    /// offline) and says why.
    fn note_intercepted(&self, message: String) {
        self.go_offline();
        self.status.send_modify(|s| {
            s.online = Some(false);
            s.intercepted = Some(
                "The network in between is answering instead of the vendor (a log-in page?). \
                 Sending resumes by itself once the vendor answers; nothing queued is lost."
                    .to_owned(),
            );
            s.last_error = Some(message);
        });
    }

    /// When a request sent at `sent_ms` can no longer arrive late (unix ms).
    fn settled_at(&self, sent_ms: Option<i64>, now_ms: i64) -> i64 {
        sent_ms.unwrap_or(now_ms) + self.config.late_delivery.as_millis() as i64
    }

    fn go_offline(&self) {
        let streak = self.offline_streak.fetch_add(1, Ordering::Relaxed) as i64;
        let wait = backoff(
            streak,
            self.config.base_delay,
            self.config.max_delay.min(Duration::from_secs(60)),
        )
        .max(Duration::from_millis(200));
        *lock(&self.offline_until) = Some(Instant::now() + wait);
    }

    fn is_paused(&self) -> bool {
        lock(&self.paused).is_some()
    }

    /// Runs due operations once: returns how many were attempted.
    pub async fn step(self: &Arc<Self>) -> Result<usize> {
        if self.is_paused() {
            return Ok(0);
        }
        if lock(&self.offline_until).is_some_and(|t| t > Instant::now()) {
            return Ok(0);
        }
        let now_ms = self.core.clock.now().timestamp_millis();
        let batch = self.config.batch;
        let due = self
            .store(move |core| core.due_operations(now_ms, batch))
            .await?;
        let n = due.len();
        if n == 0 {
            *lock(&self.catch_up) = None;
            self.refresh().await;
            return Ok(0);
        }
        {
            let (queued, _) = self.store(|core| core.outbox_counts()).await?;
            let mut c = lock(&self.catch_up);
            if c.is_none() && queued > self.config.batch as i64 {
                *c = Some(Progress {
                    done: 0,
                    total: queued,
                });
            }
        }
        futures_util::stream::iter(due)
            .for_each_concurrent(self.config.concurrency.max(1), |op| {
                let me = self.clone();
                async move {
                    if me.is_paused() || lock(&me.offline_until).is_some_and(|t| t > Instant::now())
                    {
                        return;
                    }
                    if let Err(e) = me.run_one(&op).await {
                        tracing::error!(op = op.id, error = %e, "recording a sync result failed");
                        me.note_error(e.to_string(), false);
                    }
                }
            })
            .await;
        self.refresh().await;
        Ok(n)
    }

    async fn run_one(&self, op: &DueOperation) -> Result<()> {
        let id = op.id;
        // The process died while this was being sent: the request may still be on its way.
        let now_ms = self.core.clock.now().timestamp_millis();
        let settled = self.settled_at(op.last_sent_at, now_ms);
        if op.interrupted && op.last_sent_at.is_some() && settled > now_ms {
            tracing::info!(
                op = op.id,
                wait_ms = settled - now_ms,
                "an interrupted send may still arrive; looking once it cannot"
            );
            return self
                .store(move |core| {
                    core.operation_deferred(
                        id,
                        settled,
                        "An earlier attempt was interrupted; checking with the vendor before sending again",
                        true,
                    )
                })
                .await;
        }
        // A teammate's file still being fetched from the team hub: not an attempt at all (it
        // is not marked as sent, so nothing later takes it for a possible delivery).
        if let Operation::Attach {
            sha256, file_name, ..
        } = &op.op
        {
            let sha = sha256.clone();
            if self.store(move |core| core.team_file_awaited(&sha)).await? {
                let later = now_ms + WAIT_FOR_TEAM_FILE.as_millis() as i64;
                let message = format!("{file_name} is still on its way from the team hub");
                return self
                    .store(move |core| core.operation_deferred(id, later, &message, false))
                    .await;
            }
        }
        self.store(move |core| core.operation_started(id)).await?;
        let result = self.execute(op).await;
        match result {
            Ok(Outcome::Created(t)) => {
                let issue_id = op.issue_id.clone();
                let ticket = t.id;
                self.store(move |core| core.ticket_created(id, &issue_id, &t))
                    .await?;
                tracing::info!(issue = %op.issue_id, ticket, "vendor ticket linked");
                self.count_done();
                self.note_success().await;
            }
            Ok(Outcome::Done) => {
                self.store(move |core| core.operation_done(id)).await?;
                self.count_done();
                self.note_success().await;
            }
            Ok(Outcome::HandedOver(owner)) => {
                tracing::info!(issue = %op.issue_id, %owner, "no ticket from here: a teammate's desktop owns it");
                self.store(move |core| core.operation_handed_over(id, &owner))
                    .await?;
                self.count_done();
            }
            Err(Failed::Local(message)) => {
                tracing::warn!(op = id, %message, "operation parked");
                let reason = message.clone();
                self.store(move |core| core.operation_parked(id, &reason))
                    .await?;
                self.note_error(message, false);
            }
            Err(Failed::Vendor(e)) => self.failed(op, e).await?,
        }
        Ok(())
    }

    fn count_done(&self) {
        if let Some(p) = lock(&self.catch_up).as_mut() {
            p.done = (p.done + 1).min(p.total);
        }
    }

    async fn failed(&self, op: &DueOperation, e: VendorError) -> Result<()> {
        let id = op.id;
        let message = e.to_string();
        let now_ms = self.core.clock.now().timestamp_millis();
        match e.disposition() {
            Disposition::Retry {
                uncertain,
                late,
                not_before,
            } => {
                let bad_answer = e.is_bad_answer();
                if bad_answer && op.bad_answers + 1 >= self.config.max_bad_answers {
                    tracing::warn!(op = op.id, %message, "operation parked after repeated bad answers");
                    let reason = format!(
                        "The vendor kept giving answers that make no sense; last: {message}"
                    );
                    self.store(move |core| core.operation_parked(id, &reason))
                        .await?;
                    self.note_error(message, false);
                    return Ok(());
                }
                let delay = backoff(op.attempts, self.config.base_delay, self.config.max_delay)
                    .max(not_before.unwrap_or(Duration::ZERO));
                let mut next = now_ms + delay.as_millis() as i64;
                if late {
                    // Look (and send again) only once this request can no longer arrive: it
                    // was sent before it failed, so the bound counts from now.
                    next = next.max(self.settled_at(Some(now_ms), now_ms));
                }
                tracing::info!(op = op.id, attempts = op.attempts + 1, delay_ms = next - now_ms, uncertain, late, %message, "will retry");
                let reason = message.clone();
                self.store(move |core| {
                    core.operation_failed(id, next, &reason, uncertain, bad_answer)
                })
                .await?;
                self.note_error(message, false);
            }
            // The row stays due: the engine's offline gate decides when the queue is tried
            // again, and "Sync now" (or new work) lifts it at once.
            Disposition::Offline => {
                self.go_offline();
                let reason = message.clone();
                self.store(move |core| core.operation_deferred(id, now_ms, &reason, false))
                    .await?;
                self.note_error(message, true);
            }
            Disposition::Intercepted => {
                tracing::warn!(op = op.id, %message, "the network in between answered instead of the vendor");
                self.note_intercepted(message.clone());
                // Never counted against the operation; it may have been forwarded, so look
                // before sending again.
                self.store(move |core| core.operation_deferred(id, now_ms, &message, true))
                    .await?;
            }
            Disposition::Pause => {
                let reason = format!("{message}. Check the vendor e-mail and API token in Settings; nothing queued is lost.");
                tracing::warn!(%reason, "sync paused");
                let stored = message.clone();
                self.store(move |core| core.operation_deferred(id, now_ms, &stored, false))
                    .await?;
                *lock(&self.paused) = Some(reason);
                self.note_error(message, false);
            }
            Disposition::Park => {
                tracing::warn!(op = id, %message, "operation parked");
                let reason = message.clone();
                self.store(move |core| core.operation_parked(id, &reason))
                    .await?;
                self.note_error(message, false);
            }
        }
        Ok(())
    }

    async fn execute(&self, op: &DueOperation) -> std::result::Result<Outcome, Failed> {
        let v = &self.vendor;
        let ticket = || {
            op.ticket_id
                .ok_or_else(|| Failed::Local("the vendor ticket does not exist yet".to_owned()))
        };
        let m = marker(&op.idempotency_key);
        match &op.op {
            Operation::CreateTicket { draft } => {
                // The marker tells this desktop's tickets from a teammate's for the same issue.
                let draft = &TicketDraft {
                    body: format!("{}\n\n{m}", draft.body),
                    ..draft.clone()
                };
                if op.uncertain {
                    let created_after = op
                        .first_sent_at
                        .and_then(chrono::DateTime::from_timestamp_millis)
                        .map(|t| {
                            t - chrono::Duration::from_std(self.config.clock_skew)
                                .unwrap_or_default()
                        });
                    if let Some(found) = v.find_ticket(draft, created_after).await? {
                        tracing::info!(issue = %op.issue_id, ticket = found.id, "found the ticket an earlier attempt created");
                        return Ok(Outcome::Created(found));
                    }
                }
                if let Some(owner) = &op.owner {
                    return Ok(Outcome::HandedOver(owner.clone()));
                }
                Ok(Outcome::Created(
                    v.create_ticket(draft, &op.idempotency_key).await?,
                ))
            }
            Operation::Comment { body } => {
                let t = ticket()?;
                if op.uncertain && v.has_comment(t, &m).await? {
                    return Ok(Outcome::Done);
                }
                let comment = CommentDraft {
                    body: format!("{body}\n\n{m}"),
                    public: true,
                    ..CommentDraft::default()
                };
                v.add_comment(t, &comment).await?;
                Ok(Outcome::Done)
            }
            Operation::Attach {
                sha256,
                file_name,
                media_type,
                ..
            } => {
                let t = ticket()?;
                if op.uncertain && v.has_comment(t, &m).await? {
                    return Ok(Outcome::Done);
                }
                let sha = sha256.clone();
                let bytes = self
                    .store(move |core| core.attachment_bytes(&sha))
                    .await
                    .map_err(|e| {
                        Failed::Local(format!(
                            "{file_name} cannot be read from this computer: {e}"
                        ))
                    })?;
                let file = FileUpload {
                    file_name: file_name.clone(),
                    media_type: media_type.clone(),
                    bytes,
                };
                // Upload right before the comment that uses it: tokens expire.
                let token = v.upload(&file).await?;
                let comment = CommentDraft {
                    body: format!("Attached: {file_name}\n\n{m}"),
                    uploads: vec![token],
                    public: true,
                    ..CommentDraft::default()
                };
                v.add_comment(t, &comment).await?;
                Ok(Outcome::Done)
            }
            Operation::SetPriority { priority } => {
                let t = ticket()?;
                if op.uncertain && v.has_comment(t, &m).await? {
                    return Ok(Outcome::Done);
                }
                v.set_priority(t, priority, &m).await?;
                Ok(Outcome::Done)
            }
            Operation::CloseDuplicate {
                ticket_id,
                original,
            } => {
                if op.uncertain && v.has_comment(*ticket_id, &m).await? {
                    return Ok(Outcome::Done);
                }
                v.close_duplicate(*ticket_id, *original, &m).await?;
                Ok(Outcome::Done)
            }
            Operation::RequestEscalation { body, tags } => {
                let t = ticket()?;
                if op.uncertain && v.has_comment(t, &m).await? {
                    return Ok(Outcome::Done);
                }
                let comment = CommentDraft {
                    body: format!("{body}\n\n{m}"),
                    public: true,
                    add_tags: std::iter::once("escalation_requested".to_owned())
                        .chain(tags.iter().cloned())
                        .collect(),
                    ..CommentDraft::default()
                };
                v.add_comment(t, &comment).await?;
                Ok(Outcome::Done)
            }
        }
    }

    /// Pulls the vendor's changes for our tickets (status, owner, public replies) into the
    /// cache. Returns how many tickets were read.
    pub async fn pull(&self) -> Result<usize> {
        if self.is_paused() {
            return Ok(0);
        }
        let (known, since) = self
            .store(|core| Ok((core.linked_tickets()?, core.sync_fact("pull_watermark")?)))
            .await?;
        if known.is_empty() {
            return Ok(0);
        }
        let tickets = match self.vendor.changes(since.as_deref(), &known).await {
            Ok(t) => t,
            Err(e) => {
                self.pull_failed(e).await;
                return Ok(0);
            }
        };
        let watermark = tickets
            .iter()
            .map(|t| t.updated_at.as_str())
            .max()
            .map(str::to_owned);
        let mut report = self
            .store(move |core| core.ingest_tickets(&tickets))
            .await?;
        self.announce(std::mem::take(&mut report.notices)).await;
        for id in report.changed_linked.iter().copied() {
            match self.vendor.comments(id).await {
                Ok(comments) => {
                    let replies = self
                        .store(move |core| core.ingest_comments(id, &comments))
                        .await?;
                    self.announce(replies).await;
                }
                Err(e) => {
                    self.pull_failed(e).await;
                    return Ok(report.tickets);
                }
            }
        }
        if let Some(w) = watermark {
            if since.as_deref().is_none_or(|s| w.as_str() > s) {
                self.store(move |core| core.set_sync_fact("pull_watermark", &w))
                    .await?;
            }
        }
        self.note_success().await;
        Ok(report.tickets)
    }

    /// Brings the vendor's help centre into the offline knowledge base: new and changed
    /// articles stored (sanitised), unpublished and deleted ones removed. Returns how many
    /// articles were stored.
    pub async fn sync_help_centre(&self) -> Result<usize> {
        if self.is_paused() {
            return Ok(0);
        }
        let since = self
            .store(|core| core.sync_fact("kb_watermark"))
            .await?
            .and_then(|v| v.parse::<i64>().ok());
        let changes = match self.vendor.help_centre(since).await {
            Ok(c) => c,
            Err(e) => {
                self.pull_failed(e).await;
                return Ok(0);
            }
        };
        let source = self.vendor.source();
        let stored = self
            .store(move |core| {
                let stored = core.import_articles(&changes.articles)?;
                let mut removed = changes.removed.clone();
                if changes.complete {
                    let keep: std::collections::HashSet<&str> =
                        changes.articles.iter().map(|a| a.id.as_str()).collect();
                    removed.extend(
                        core.article_ids_from(source)?
                            .into_iter()
                            .filter(|id| !keep.contains(id.as_str())),
                    );
                }
                let gone = core.remove_articles(&removed)?;
                if stored + gone > 0 {
                    core.prepare_suggestions()?;
                }
                if let Some(w) = changes.next_since {
                    core.set_sync_fact("kb_watermark", &w.to_string())?;
                }
                tracing::info!(
                    stored,
                    removed = gone,
                    complete = changes.complete,
                    "help centre synced"
                );
                Ok(stored)
            })
            .await?;
        self.note_success().await;
        Ok(stored)
    }

    async fn pull_failed(&self, e: VendorError) {
        let message = e.to_string();
        tracing::info!(%message, "pull failed");
        match e.disposition() {
            Disposition::Pause => {
                *lock(&self.paused) = Some(format!(
                    "{message}. Check the vendor e-mail and API token in Settings; nothing queued is lost."
                ));
                self.note_error(message, false);
            }
            Disposition::Offline => {
                self.go_offline();
                self.note_error(message, true);
            }
            Disposition::Intercepted => self.note_intercepted(message),
            _ => self.note_error(message, false),
        }
        self.refresh().await;
    }

    /// Sends everything that can be sent and pulls once: returns true when nothing sendable is
    /// left (parked operations, and those waiting behind them, stay), false when paused or
    /// when `deadline` passes. For tests and the headless
    /// runner.
    pub async fn drain(self: &Arc<Self>, deadline: Duration) -> Result<bool> {
        let end = Instant::now() + deadline;
        loop {
            let n = self.step().await?;
            if self.store(|core| core.next_due_at()).await?.is_none() {
                self.pull().await?;
                return Ok(true);
            }
            if self.is_paused() || Instant::now() >= end {
                return Ok(false);
            }
            if n == 0 {
                let wait = self
                    .wait_hint()
                    .await
                    .min(end.saturating_duration_since(Instant::now()));
                tokio::time::sleep(wait.max(Duration::from_millis(5))).await;
            }
        }
    }

    async fn wait_hint(&self) -> Duration {
        let now = Instant::now();
        // Offline, due rows wait for the next probe.
        if let Some(t) = lock(&self.offline_until).filter(|t| *t > now) {
            return t.saturating_duration_since(now).min(self.config.pull_every);
        }
        let now_ms = self.core.clock.now().timestamp_millis();
        let due = self
            .store(|core| core.next_due_at())
            .await
            .ok()
            .flatten()
            .map(|ms| Duration::from_millis((ms - now_ms).max(0) as u64));
        [due, Some(self.config.pull_every)]
            .into_iter()
            .flatten()
            .min()
            .unwrap_or(self.config.pull_every)
    }

    /// The background loop: sends, pulls every `pull_every`, sleeps until the next thing is
    /// due or [`SyncEngine::wake`] is called; ends when `stop` turns true.
    pub async fn run(self: Arc<Self>, mut stop: watch::Receiver<bool>) {
        let mut next_pull = Instant::now();
        let mut next_kb = Instant::now();
        loop {
            if *stop.borrow() {
                return;
            }
            let worked = match self.step().await {
                Ok(n) => n,
                Err(e) => {
                    tracing::error!(error = %e, "sync step failed");
                    self.note_error(e.to_string(), false);
                    0
                }
            };
            if Instant::now() >= next_pull && !self.is_paused() {
                if let Err(e) = self.pull().await {
                    tracing::error!(error = %e, "pull failed");
                }
                next_pull = Instant::now() + self.config.pull_every;
            }
            if Instant::now() >= next_kb && !self.is_paused() {
                if let Err(e) = self.sync_help_centre().await {
                    tracing::error!(error = %e, "help-centre sync failed");
                }
                next_kb = Instant::now() + self.config.kb_every;
            }
            if worked > 0 {
                continue;
            }
            let wait = if self.is_paused() {
                Duration::from_secs(3600)
            } else {
                self.wait_hint()
                    .await
                    .min(next_pull.saturating_duration_since(Instant::now()))
                    .max(Duration::from_millis(20))
            };
            tokio::select! {
                _ = tokio::time::sleep(wait) => {}
                _ = self.wake.notified() => {}
                _ = stop.changed() => {}
            }
        }
    }
}

/// Why an operation did not complete.
/// How long an upload waits before it looks again for a teammate's file still being fetched.
const WAIT_FOR_TEAM_FILE: Duration = Duration::from_secs(5);

enum Failed {
    /// Something on our side (a file gone): park it.
    Local(String),
    /// The vendor or the network.
    Vendor(VendorError),
}

impl From<VendorError> for Failed {
    fn from(e: VendorError) -> Self {
        Failed::Vendor(e)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_stays_under_its_ceiling() {
        let base = Duration::from_secs(2);
        let max = Duration::from_secs(600);
        for attempts in 0..40 {
            let ceiling = base
                .saturating_mul(2u32.saturating_pow(attempts.min(30) as u32))
                .min(max);
            for _ in 0..50 {
                assert!(backoff(attempts, base, max) <= ceiling);
            }
        }
    }

    #[test]
    fn backoff_is_jittered() {
        let samples: std::collections::HashSet<_> = (0..20)
            .map(|_| backoff(5, Duration::from_secs(2), Duration::from_secs(600)))
            .collect();
        assert!(samples.len() > 10, "full jitter spreads retries");
    }
}
