//! Sync throughput against the vendor simulator over loopback HTTP.
//!
//! Push: 10,000 queued escalations against a Zendesk limited to 700 requests per (scaled)
//! minute, and 5,000 against a Freshdesk limited to 400: the achieved request rate as a
//! fraction of the limit, and the 429s it caused.
//! Pull: 100,000 vendor tickets fetched page by page and ingested into the cache: tickets/s.
//! Help centre: 10,000 articles synced from the simulator into the knowledge base: articles/s.
//!
//! `cargo bench -p frontline-core --bench sync` (`SYNC_BENCH_PUSH`, `SYNC_BENCH_FRESHDESK_PUSH`, `SYNC_BENCH_PULL`,
//! `SYNC_BENCH_SCALE` change the sizes and the time scale: 60 means a minute lasts a second).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::print_stdout)] // A test or benchmark: a panic with its reason is the report.
use std::sync::Arc;
use std::time::{Duration, Instant};

use frontline_core::model::{NewClient, NewIssue};
use frontline_core::sync::freshdesk::{Freshdesk, FreshdeskConfig};
use frontline_core::sync::http::{Paced, ReqwestTransport};
use frontline_core::sync::vendor::VendorApi;
use frontline_core::sync::zendesk::{Mode, Zendesk, ZendeskConfig};
use frontline_core::sync::{EngineConfig, SyncEngine};
use frontline_core::{Frontline, Settings, SystemClock};
use frontline_vendor_sim::{Config, Flavour, Simulator};

fn env(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn adapter(url: String, window: Duration) -> Zendesk {
    let transport = Arc::new(ReqwestTransport::new(Duration::from_secs(10)).unwrap());
    let paced = Arc::new(Paced::new(transport, window, 0.95));
    Zendesk::new(
        &ZendeskConfig {
            base_url: url,
            email: "bench@partner.example".into(),
            token: "bench".into(),
            mode: Mode::EndUser,
        },
        paced,
    )
    .unwrap()
}

fn main() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let scale = env("SYNC_BENCH_SCALE", 20);
        push(env("SYNC_BENCH_PUSH", 10_000), scale, Flavour::Zendesk, 700).await;
        push(
            env("SYNC_BENCH_FRESHDESK_PUSH", 5_000),
            scale,
            Flavour::Freshdesk,
            400,
        )
        .await;
        pull(env("SYNC_BENCH_PULL", 100_000)).await;
        help_centre(env("SYNC_BENCH_ARTICLES", 10_000)).await;
    });
}

fn pushing_adapter(url: String, window: Duration, flavour: Flavour) -> Arc<dyn VendorApi> {
    match flavour {
        Flavour::Zendesk => Arc::new(adapter(url, window)),
        Flavour::Freshdesk => {
            let transport = Arc::new(ReqwestTransport::new(Duration::from_secs(10)).unwrap());
            Arc::new(
                Freshdesk::new(
                    &FreshdeskConfig {
                        base_url: url,
                        api_key: "bench".into(),
                        requester_email: "bench@partner.example".into(),
                        id_field: None,
                    },
                    Arc::new(Paced::new(transport, window, 0.95)),
                )
                .unwrap(),
            )
        }
    }
}

async fn push(count: u64, scale: u64, flavour: Flavour, limit: u32) {
    let dir = tempfile::tempdir().unwrap();
    let app =
        Arc::new(Frontline::open(Settings::for_dir(dir.path()), Arc::new(SystemClock)).unwrap());
    let client = app
        .create_client(NewClient {
            name: "Bench".into(),
            contact: String::new(),
        })
        .unwrap();
    let queued = Instant::now();
    for n in 0..count {
        let id = app
            .create_issue(NewIssue {
                client_id: client.id.clone(),
                title: format!("Escalation {n}"),
                description: format!("Escalation {n}: saving fails with error 500 for every user."),
                steps: "1. Open\n2. Save".into(),
                category: "bug".into(),
                impact: "several_users".into(),
                urgency: "high".into(),
                affected_users: 3,
            })
            .unwrap()
            .issue
            .id;
        app.waive_screenshot(&id, "Server-side error, nothing to see")
            .unwrap();
        app.escalate(&id, "").unwrap();
    }
    println!(
        "push ({flavour:?}): queued {count} escalations in {:.1} s",
        queued.elapsed().as_secs_f64()
    );
    let window = Duration::from_secs(60) / scale as u32;
    let mut config = Config::new(dir.path().join("vendor.sqlite3"));
    config.token = Some("bench".into());
    config.rate_limit = Some(limit);
    config.rate_window = window;
    config.flavour = flavour;
    let sim = Simulator::start(config).await.unwrap();
    let engine = SyncEngine::new(
        app.clone(),
        pushing_adapter(sim.url(), window, flavour),
        EngineConfig {
            batch: 200,
            concurrency: 8,
            ..EngineConfig::default()
        },
        false,
    );
    let started = Instant::now();
    let done = engine.drain(Duration::from_secs(3600)).await.unwrap();
    let elapsed = started.elapsed().as_secs_f64();
    let stats = sim.stats();
    let limit_per_s = limit as f64 / window.as_secs_f64();
    let achieved = stats.requests as f64 / elapsed;
    println!(
        "push ({flavour:?}): {count} escalations in {elapsed:.1} s (time ×{scale}: {limit}/min = {limit_per_s:.0}/s); \
         {} requests, {achieved:.0}/s = {:.2} of the limit; {} answered 429; drained: {done}",
        stats.requests,
        achieved / limit_per_s,
        stats.rate_limited
    );
    println!(
        "push ({flavour:?}): requests by endpoint {:?}",
        stats.by_endpoint
    );
    sim.stop().await;
}

async fn pull(count: u64) {
    let dir = tempfile::tempdir().unwrap();
    let app =
        Arc::new(Frontline::open(Settings::for_dir(dir.path()), Arc::new(SystemClock)).unwrap());
    let mut config = Config::new(dir.path().join("vendor.sqlite3"));
    config.token = Some("bench".into());
    let sim = Simulator::start(config).await.unwrap();
    sim.query(|c| {
        c.execute_batch("BEGIN")?;
        let mut insert = c.prepare(
            "INSERT INTO tickets (subject, description, priority, status, created_at, updated_at)
             VALUES (?1, ?2, 'normal', ?3, ?4, ?4)",
        )?;
        for n in 0..count {
            let at = format!(
                "2026-11-{:02}T{:02}:{:02}:{:02}.000Z",
                1 + n / 86_400 % 25,
                n / 3600 % 24,
                n / 60 % 60,
                n % 60
            );
            insert.execute(rusqlite::params![
                format!("Ticket {n}"),
                format!("Description of ticket {n}"),
                ["open", "pending", "solved"][(n % 3) as usize],
                at
            ])?;
        }
        c.execute_batch("COMMIT")
    })
    .unwrap();
    let vendor = adapter(sim.url(), Duration::from_secs(60));
    let started = Instant::now();
    let tickets = vendor.changes(None, &[]).await.unwrap();
    let fetched = started.elapsed().as_secs_f64();
    let ingest = Instant::now();
    let report = app.ingest_tickets(&tickets).unwrap();
    let ingested = ingest.elapsed().as_secs_f64();
    println!(
        "pull: {} tickets fetched in {fetched:.1} s ({:.0}/s over HTTP, pages of 100); ingested in {ingested:.2} s = {:.0} tickets/s",
        tickets.len(),
        tickets.len() as f64 / fetched,
        report.tickets as f64 / ingested
    );
    // Again, as an update of every ticket already cached.
    let ingest = Instant::now();
    app.ingest_tickets(&tickets).unwrap();
    println!(
        "pull: re-ingest of {} known tickets = {:.0} tickets/s",
        tickets.len(),
        tickets.len() as f64 / ingest.elapsed().as_secs_f64()
    );
    sim.stop().await;
}

async fn help_centre(count: u64) {
    let dir = tempfile::tempdir().unwrap();
    let app =
        Arc::new(Frontline::open(Settings::for_dir(dir.path()), Arc::new(SystemClock)).unwrap());
    let mut config = Config::new(dir.path().join("vendor.sqlite3"));
    config.token = Some("bench".into());
    let sim = Simulator::start(config).await.unwrap();
    sim.query(|c| {
        c.execute_batch("BEGIN")?;
        for n in 0..count as i64 {
            c.execute(
                "INSERT INTO articles (id, title, body, labels, updated_at) VALUES (?1, ?2, ?3, '[\"bench\"]', '2026-11-01T00:00:00.000Z')",
                rusqlite::params![
                    n + 1,
                    format!("How to fix problem number {n} in the reporting module"),
                    format!("<h2>Symptoms</h2><p>Users see error {n} when they open a report.</p><ol><li>Open settings</li><li>Clear the cache</li><li>Run report {n} again</li></ol>")
                ],
            )?;
        }
        c.execute_batch("COMMIT")
    })
    .unwrap();
    let engine = SyncEngine::new(
        app.clone(),
        Arc::new(adapter(sim.url(), Duration::from_secs(60))),
        EngineConfig::default(),
        false,
    );
    let started = Instant::now();
    let stored = engine.sync_help_centre().await.unwrap();
    let elapsed = started.elapsed().as_secs_f64();
    println!(
        "help centre: {stored} articles synced in {elapsed:.1} s = {:.0} articles/s (pages of 100, sanitised, indexed)",
        stored as f64 / elapsed
    );
    sim.stop().await;
}
