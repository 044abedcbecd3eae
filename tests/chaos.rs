//! `cargo test --test chaos`: escalations created offline reach a vendor that fails 30% of
//! requests (500/503, 429 with and without Retry-After, timeouts, resets, commit-then-drop,
//! and — weighted most — late deliveries: a write held past the client's timeout, then carried
//! out) while the process running the sync engine is SIGKILLed right after one of its writes
//! reaches the vendor. Both Zendesk modes (Requests API, Tickets API) and Freshdesk (no
//! idempotency keys at all: only the look-up by marker). At the end the vendor holds
//! exactly one ticket per escalation, each file and message once and in order, and both
//! databases pass `PRAGMA integrity_check`.
//!
//! The sync process is this test binary run again as `chaos_sync_process` (an ignored test
//! that only runs when the parent asks for it): the same `frontline-core` engine the app runs.
//! `CHAOS_ESCALATIONS` (default 100 per Zendesk mode, 60 for Freshdesk), `CHAOS_KILLS` (default
//! 8, 6 for Freshdesk) and `CHAOS_SEED` size
//! and replay a run; `make chaos` runs the full 1,000 × 20. `CHAOS_LATE_BOUND_MS` sets the
//! engine's late-delivery bound (4,000 ms), to measure what waiting it out buys.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::print_stdout)] // A test or benchmark: a panic with its reason is the report.
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use frontline_core::model::{NewClient, NewIssue};
use frontline_core::sync::freshdesk::{Freshdesk, FreshdeskConfig};
use frontline_core::sync::http::{Paced, ReqwestTransport};
use frontline_core::sync::vendor::VendorApi;
use frontline_core::sync::zendesk::{Mode, Zendesk, ZendeskConfig};
use frontline_core::sync::{EngineConfig, SyncEngine};
use frontline_core::{Frontline, Settings, SystemClock};
use frontline_vendor_sim::{Config, Fault, FaultPlan, Flavour, Simulator};

const TOKEN: &str = "chaos-token";
/// How long the simulator holds a late write; the client gives up after `CLIENT_TIMEOUT`.
const LATE_MS: u64 = 1_500;
const CLIENT_TIMEOUT: Duration = Duration::from_millis(800);
/// The engine's late-delivery bound here: past the hold (plus an upload's timeout before a
/// held comment, after a crash), with room for a loaded machine.
const LATE_BOUND: Duration = Duration::from_secs(4);

fn env_num(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn open(dir: &Path) -> Frontline {
    let mut settings = Settings::for_dir(dir);
    settings.user = "chaos".into();
    Frontline::open(settings, Arc::new(SystemClock)).expect("open the cache")
}

/// Which vendor, and for Zendesk which API.
#[derive(Debug, Clone, Copy)]
enum Vendor {
    Zendesk(Mode),
    Freshdesk,
}

/// Starts this binary as the sync process.
fn spawn_sync(dir: &Path, url: &str, seed: u64, vendor: Vendor) -> Child {
    Command::new(std::env::current_exe().expect("test binary"))
        .args(["--ignored", "--exact", "chaos_sync_process", "--nocapture"])
        .env("CHAOS_DIR", dir)
        .env("CHAOS_URL", url)
        .env("CHAOS_MODE", vendor_name(vendor))
        .env("CHAOS_CHILD_SEED", seed.to_string())
        .stdout(Stdio::null())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("start the sync process")
}

fn vendor_name(vendor: Vendor) -> &'static str {
    match vendor {
        Vendor::Zendesk(Mode::EndUser) => "end_user",
        Vendor::Zendesk(Mode::Agent) => "agent",
        Vendor::Freshdesk => "freshdesk",
    }
}

/// The sync process: drains the outbox until nothing is left, then exits.
#[test]
#[ignore = "run by `chaos` as its sync process"]
fn chaos_sync_process() {
    let (Ok(dir), Ok(url)) = (std::env::var("CHAOS_DIR"), std::env::var("CHAOS_URL")) else {
        panic!("chaos_sync_process is started by the chaos test, with CHAOS_DIR and CHAOS_URL");
    };
    fastrand::seed(env_num("CHAOS_CHILD_SEED", 1));
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let app = Arc::new(open(Path::new(&dir)));
        let transport = Arc::new(ReqwestTransport::new(CLIENT_TIMEOUT).unwrap());
        let paced = Arc::new(Paced::new(transport, Duration::from_secs(60), 0.95));
        let zendesk = |mode| -> Arc<dyn VendorApi> {
            Arc::new(
                Zendesk::new(
                    &ZendeskConfig {
                        base_url: url.clone(),
                        email: "desk@partner.example".into(),
                        token: TOKEN.into(),
                        mode,
                    },
                    paced.clone(),
                )
                .unwrap(),
            )
        };
        let vendor: Arc<dyn VendorApi> = match std::env::var("CHAOS_MODE").as_deref() {
            Ok("agent") => zendesk(Mode::Agent),
            Ok("freshdesk") => Arc::new(
                Freshdesk::new(
                    &FreshdeskConfig {
                        base_url: url.clone(),
                        api_key: TOKEN.into(),
                        requester_email: "desk@partner.example".into(),
                        id_field: Some("cf_frontline_id".into()),
                    },
                    paced.clone(),
                )
                .unwrap(),
            ),
            _ => zendesk(Mode::EndUser),
        };
        let config = EngineConfig {
            base_delay: Duration::from_millis(50),
            max_delay: Duration::from_millis(1500),
            pull_every: Duration::from_secs(5),
            clock_skew: Duration::from_secs(30),
            late_delivery: Duration::from_millis(env_num(
                "CHAOS_LATE_BOUND_MS",
                LATE_BOUND.as_millis() as u64,
            )),
            ..EngineConfig::default()
        };
        let engine = SyncEngine::new(app, vendor, config, false);
        let done = engine.drain(Duration::from_secs(900)).await.unwrap();
        assert!(done, "the outbox drained: {:?}", engine.status());
    });
}

fn new_issue(client_id: &str, n: u64) -> NewIssue {
    NewIssue {
        client_id: client_id.to_owned(),
        title: format!("Chaos escalation {n}: invoices fail to save"),
        description: format!("Escalation {n}: saving an invoice answers error 500 for every user."),
        steps: "1. Open invoices\n2. Save".into(),
        category: "bug".into(),
        impact: "several_users".into(),
        urgency: "high".into(),
        affected_users: 5,
    }
}

#[test]
fn escalations_reach_a_failing_vendor_exactly_once_across_crashes_as_end_user() {
    chaos(Vendor::Zendesk(Mode::EndUser));
}

#[test]
fn escalations_reach_a_failing_vendor_exactly_once_across_crashes_as_agent() {
    chaos(Vendor::Zendesk(Mode::Agent));
}

#[test]
fn escalations_reach_a_failing_vendor_exactly_once_across_crashes_on_freshdesk() {
    chaos(Vendor::Freshdesk);
}

fn chaos(mode: Vendor) {
    let (escalations, kills) = match mode {
        Vendor::Freshdesk => (60, 6),
        Vendor::Zendesk(_) => (100, 8),
    };
    let escalations = env_num("CHAOS_ESCALATIONS", escalations);
    let kills = env_num("CHAOS_KILLS", kills);
    let seed = env_num("CHAOS_SEED", fastrand::u64(..));
    eprintln!("chaos ({mode:?}): seed {seed} ({escalations} escalations, {kills} kills); replay with CHAOS_SEED={seed} CHAOS_ESCALATIONS={escalations} CHAOS_KILLS={kills}");
    let mut rng = fastrand::Rng::with_seed(seed);
    let dir = tempfile::tempdir().unwrap();
    let data: PathBuf = dir.path().join("data");

    // Offline: every escalation, with a file and a message, is queued.
    let app = open(&data);
    let client = app
        .create_client(NewClient {
            name: "Chaos Corp".into(),
            contact: String::new(),
        })
        .unwrap();
    let mut issues = Vec::new();
    for n in 0..escalations {
        let id = app.create_issue(new_issue(&client.id, n)).unwrap().issue.id;
        app.attach_bytes(&id, "error.png", format!("screenshot {n}").as_bytes())
            .unwrap();
        app.escalate(&id, "").unwrap();
        app.message_vendor(&id, &format!("Message {n}: the client is waiting."))
            .unwrap();
        issues.push(id);
    }
    drop(app);

    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    // The vendor is unreachable at first: the sync process runs and gets nowhere.
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let url = format!("http://127.0.0.1:{port}");
    let mut offline = spawn_sync(&data, &url, rng.u64(..), mode);
    std::thread::sleep(Duration::from_millis(1500));
    offline.kill().unwrap();
    offline.wait().unwrap();

    let sim = runtime.block_on(async {
        let mut config = Config::new(dir.path().join("vendor.sqlite3"));
        config.addr = ([127, 0, 0, 1], port).into();
        config.token = Some(TOKEN.into());
        config.seed = seed;
        if let Vendor::Freshdesk = mode {
            config.flavour = Flavour::Freshdesk;
        }
        // 30 % faults: 20 % spread over every transient fault, late deliveries 10 % more.
        let mut faults = FaultPlan {
            timeout_ms: 1_500,
            late_ms: LATE_MS,
            ..FaultPlan::spread(0.20, &Fault::TRANSIENT)
        };
        *faults.rates.entry(Fault::Late).or_default() += 0.10;
        config.faults = faults;
        Simulator::start(config).await.unwrap()
    });

    let started = Instant::now();
    for k in 0..kills {
        // Killed right after one of its writes reaches the vendor (a held one, often).
        let target = sim.stats().writes + rng.u64(1..60);
        let mut child = spawn_sync(&data, &url, rng.u64(..), mode);
        let start = Instant::now();
        while sim.stats().writes < target
            && child.try_wait().unwrap().is_none()
            && start.elapsed() < Duration::from_secs(60)
        {
            std::thread::sleep(Duration::from_millis(1));
        }
        if child.try_wait().unwrap().is_none() {
            child.kill().unwrap();
        }
        let status = child.wait().unwrap();
        eprintln!(
            "chaos: kill {} after {:?} at write {} ({status})",
            k + 1,
            start.elapsed(),
            sim.stats().writes
        );
    }
    let mut last = spawn_sync(&data, &url, rng.u64(..), mode);
    let status = last.wait().unwrap();
    assert!(status.success(), "the last sync process finished: {status}");
    // A write still held now would land after the counts below.
    let settle = Instant::now();
    while sim.stats().held > 0 {
        assert!(
            settle.elapsed() < Duration::from_secs(30),
            "held writes never landed"
        );
        std::thread::sleep(Duration::from_millis(10));
    }
    let stats = sim.stats();
    eprintln!(
        "chaos ({mode:?}): done in {:.1} s; vendor saw {} requests, {} faults injected, {} idempotent replays",
        started.elapsed().as_secs_f64(),
        stats.requests,
        stats.faults,
        stats.idempotent_hits
    );

    // Exactly one ticket per escalation, each linked, each message and file once.
    let app = open(&data);
    let tickets: i64 = sim
        .query(|c| c.query_row("SELECT count(*) FROM tickets", [], |r| r.get(0)))
        .unwrap();
    assert_eq!(
        tickets as u64, escalations,
        "exactly one ticket per escalation ({mode:?}, seed {seed})"
    );
    for id in &issues {
        let d = app.issue(id).unwrap();
        let ticket = d
            .vendor
            .ticket_id
            .unwrap_or_else(|| panic!("{id} not linked (seed {seed})"));
        assert!(d.vendor.outbox.is_empty(), "{id}: {:?}", d.vendor.outbox);
        let (description, comments, files, in_order): (String, i64, i64, bool) = sim
            .query(|c| {
                c.query_row(
                    "SELECT t.description,
                        (SELECT count(*) FROM comments m WHERE m.ticket_id = t.id AND m.body LIKE 'Message %'),
                        (SELECT count(*) FROM comments m WHERE m.ticket_id = t.id AND m.attachments LIKE '%error.png%'),
                        (SELECT max(id) FROM comments m WHERE m.ticket_id = t.id AND m.attachments LIKE '%error.png%')
                          < (SELECT min(id) FROM comments m WHERE m.ticket_id = t.id AND m.body LIKE 'Message %')
                     FROM tickets t WHERE t.id = ?1",
                    [ticket],
                    |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get::<_, Option<bool>>(3)?.unwrap_or(false))),
                )
            })
            .unwrap();
        assert!(
            description.contains(id.as_str()),
            "{id} linked to another issue's ticket"
        );
        assert_eq!(comments, 1, "{id}: the message arrived once (seed {seed})");
        assert_eq!(files, 1, "{id}: the file arrived once (seed {seed})");
        assert!(in_order, "{id}: the file before the message (seed {seed})");
    }
    let dupes: i64 = sim
        .query(|c| {
            c.query_row(
                "SELECT count(*) FROM (SELECT description FROM tickets GROUP BY description HAVING count(*) > 1)",
                [],
                |r| r.get(0),
            )
        })
        .unwrap();
    assert_eq!(dupes, 0);
    drop(app);
    let conn = rusqlite::Connection::open(data.join("frontline.db")).unwrap();
    let verdict: String = conn
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    assert_eq!(verdict, "ok");
    runtime.block_on(sim.stop());
}
