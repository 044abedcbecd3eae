//! Exactly once, through what the network does to requests: writes that reach the vendor
//! after the client gave up, a captive portal answering in the vendor's place, refusals in the
//! middle of an issue's messages, and error texts taken from whatever the vendor's body says.
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use frontline_core::model::EventBody;
use frontline_core::sync::http::{Paced, ReqwestTransport};
use frontline_core::sync::zendesk::{Mode, Zendesk, ZendeskConfig};
use frontline_core::sync::{EngineConfig, SyncEngine};
use frontline_core::{Frontline, SystemClock};
use frontline_vendor_sim::portal::Portal;
use frontline_vendor_sim::{Config, Fault, FaultPlan, Running, Simulator};
use tempfile::TempDir;

use crate::support::settings;

const TOKEN: &str = "right-token";

struct Rig {
    dir: TempDir,
    app: Arc<Frontline>,
}

fn rig() -> Rig {
    let dir = tempfile::tempdir().unwrap();
    let app = Arc::new(Frontline::open(settings(&dir), Arc::new(SystemClock)).unwrap());
    Rig { dir, app }
}

impl Rig {
    async fn vendor(&self, addr: SocketAddr, faults: FaultPlan) -> Running {
        let mut config = Config::new(self.dir.path().join("vendor.sqlite3"));
        config.addr = addr;
        config.token = Some(TOKEN.into());
        config.faults = faults;
        config.seed = 7;
        Simulator::start(config).await.unwrap()
    }

    /// An engine whose requests give up after `timeout` and that waits `late` for a request
    /// without an answer to settle.
    fn engine(&self, url: &str, mode: Mode, timeout: Duration, late: Duration) -> Arc<SyncEngine> {
        let transport = Arc::new(ReqwestTransport::new(timeout).unwrap());
        let paced = Arc::new(Paced::new(transport, Duration::from_secs(60), 0.95));
        let vendor = Zendesk::new(
            &ZendeskConfig {
                base_url: url.into(),
                email: "desk@partner.example".into(),
                token: TOKEN.into(),
                mode,
            },
            paced,
        )
        .unwrap();
        let config = EngineConfig {
            base_delay: Duration::from_millis(20),
            max_delay: Duration::from_millis(200),
            pull_every: Duration::from_millis(200),
            late_delivery: late,
            ..EngineConfig::default()
        };
        SyncEngine::new(self.app.clone(), Arc::new(vendor), config, false)
    }

    /// An escalated issue (a ticket and its file queued) with one message after it.
    fn escalation(&self, title: &str) -> String {
        let c = self
            .app
            .create_client(frontline_core::model::NewClient {
                name: format!("Client of {title}"),
                contact: String::new(),
            })
            .unwrap();
        let mut n = crate::support::new_issue(&c, title);
        n.category = "bug".into();
        let id = self.app.create_issue(n).unwrap().issue.id;
        self.app
            .attach_bytes(&id, "error.png", b"\x89PNG pretend screenshot")
            .unwrap();
        self.app.escalate(&id, "").unwrap();
        self.app
            .message_vendor(&id, &format!("Message for {title}: the client is waiting."))
            .unwrap();
        id
    }
}

fn count(sim: &Running, sql: &str, arg: impl rusqlite::ToSql) -> i64 {
    sim.query(|c| c.query_row(sql, [arg], |r| r.get(0)))
        .unwrap()
}

fn free_addr() -> SocketAddr {
    let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    l.local_addr().unwrap()
}

/// Runs the engine's steps until `done` holds (or 30 s pass, which fails the test).
async fn step_until(engine: &Arc<SyncEngine>, what: &str, mut done: impl FnMut() -> bool) {
    let start = Instant::now();
    while !done() {
        assert!(
            start.elapsed() < Duration::from_secs(30),
            "stepped 30 s for {what}"
        );
        engine.wake();
        if engine.step().await.unwrap() == 0 {
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
    }
}

/// Polls `done` until it holds (or 30 s pass, which fails the test).
async fn until(what: &str, mut done: impl FnMut() -> bool) {
    let start = Instant::now();
    while !done() {
        assert!(
            start.elapsed() < Duration::from_secs(30),
            "waited 30 s for {what}"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// Every write is held past the client's timeout and then carried out: the engine must wait
/// for it to land before it looks, and then find it rather than send again. Both modes.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn writes_that_reach_the_vendor_after_the_client_gave_up_are_not_sent_twice() {
    for mode in [Mode::EndUser, Mode::Agent] {
        let r = rig();
        let id = r.escalation("Invoices fail to save");
        let late = FaultPlan {
            rates: [(Fault::Late, 1.0)].into(),
            late_ms: 900,
            ..FaultPlan::default()
        };
        let sim = r.vendor(free_addr(), late).await;
        let engine = r.engine(
            &sim.url(),
            mode,
            Duration::from_millis(300),
            Duration::from_secs(2),
        );
        // The create is held: the engine gives up after 300 ms, the vendor carries it out at
        // 900 ms, and the engine looks no sooner than 2 s after sending.
        let before = chrono::Utc::now().timestamp_millis();
        engine.step().await.unwrap();
        let row = &r.app.issue(&id).unwrap().vendor.outbox[0];
        let next = chrono::DateTime::parse_from_rfc3339(row.next_attempt_at.as_deref().unwrap())
            .unwrap()
            .timestamp_millis();
        // The issue page shows whole seconds.
        let settled = (before + 2_000) / 1_000 * 1_000;
        assert!(
            next >= settled,
            "{mode:?}: looks once the held request has landed ({} ms)",
            next - before
        );
        // From now on half of the writes (the create's look-up is a read) are held.
        sim.set_faults(FaultPlan {
            rates: [(Fault::Late, 0.5)].into(),
            late_ms: 900,
            ..FaultPlan::default()
        });
        assert!(
            engine.drain(Duration::from_secs(90)).await.unwrap(),
            "{mode:?}: {:?}",
            engine.status()
        );
        // A write still held now would land after the counts below.
        until("held writes to land", || sim.stats().held == 0).await;
        let d = r.app.issue(&id).unwrap();
        let ticket = d.vendor.ticket_id.expect("linked");
        assert_eq!(
            count(&sim, "SELECT count(*) FROM tickets WHERE ?1", true),
            1,
            "{mode:?}: one ticket"
        );
        assert_eq!(
            count(
                &sim,
                "SELECT count(*) FROM comments WHERE ticket_id = ?1 AND body LIKE 'Message for%'",
                ticket
            ),
            1,
            "{mode:?}: the message once"
        );
        assert_eq!(
            count(&sim, "SELECT count(*) FROM comments WHERE ticket_id = ?1 AND attachments LIKE '%error.png%'", ticket),
            1,
            "{mode:?}: the file once"
        );
        let order: Vec<String> = sim
            .query(|c| {
                let mut s =
                    c.prepare("SELECT body FROM comments WHERE ticket_id = ?1 ORDER BY id")?;
                let rows = s.query_map([ticket], |r| r.get(0))?;
                rows.collect()
            })
            .unwrap();
        let file = order
            .iter()
            .position(|b| b.starts_with("Attached: error.png"));
        let message = order.iter().position(|b| b.starts_with("Message for"));
        assert!(file < message, "{mode:?}: in order: {order:?}");
        sim.stop().await;
    }
}

/// A copy that lands after the engine stopped waiting (here the wait is zero, as it was
/// before) makes a second ticket and a second comment: the next pull finds both, keeps the
/// linked ticket, closes the copy with a note, and says so on the timeline.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_copy_that_lands_past_the_bound_is_found_on_the_next_pull_and_marked() {
    let r = rig();
    let id = r.escalation("Exports time out");
    // Held long enough that the engine's look-up and second send certainly come first, even
    // on a loaded machine.
    let late = FaultPlan {
        rates: [(Fault::Late, 1.0)].into(),
        late_ms: 2_500,
        ..FaultPlan::default()
    };
    let sim = r.vendor(free_addr(), late.clone()).await;
    let engine = r.engine(
        &sim.url(),
        Mode::EndUser,
        Duration::from_millis(300),
        Duration::ZERO,
    );

    let outbox = |r: &Rig| r.app.issue(&id).unwrap().vendor.outbox.len();
    // The create is held; the engine looks at once, finds nothing, and creates again.
    engine.step().await.unwrap();
    sim.set_faults(FaultPlan::default());
    step_until(&engine, "the second create", || outbox(&r) == 2).await;
    let kept = r
        .app
        .issue(&id)
        .unwrap()
        .vendor
        .ticket_id
        .expect("linked to the second copy");
    until("the held copy to land", || {
        count(&sim, "SELECT count(*) FROM tickets WHERE ?1", true) == 2
    })
    .await;
    // The file, then the message, which is held too and sent again.
    step_until(&engine, "the file", || outbox(&r) == 1).await;
    sim.set_faults(late);
    engine.step().await.unwrap();
    sim.set_faults(FaultPlan::default());
    step_until(&engine, "the message again", || outbox(&r) == 0).await;
    until("the held message to land", || {
        count(
            &sim,
            "SELECT count(*) FROM comments WHERE body LIKE 'Message for%' AND ?1",
            true,
        ) == 2
    })
    .await;

    engine.pull().await.unwrap();
    assert!(engine.drain(Duration::from_secs(20)).await.unwrap());
    let d = r.app.issue(&id).unwrap();
    assert_eq!(d.vendor.ticket_id, Some(kept), "the linked ticket stays");
    let copy: i64 = sim
        .query(|c| {
            c.query_row("SELECT id FROM tickets WHERE id != ?1", [kept], |r| {
                r.get(0)
            })
        })
        .unwrap();
    let duplicates: Vec<(String, i64, i64)> = d
        .events
        .iter()
        .filter_map(|e| match &e.body {
            EventBody::VendorDuplicate {
                what,
                ticket_id,
                copy_ticket_id,
            } => Some((what.clone(), *ticket_id, *copy_ticket_id)),
            _ => None,
        })
        .collect();
    assert!(
        duplicates.contains(&("Create the vendor ticket".to_owned(), kept, copy)),
        "{duplicates:?}"
    );
    assert!(
        duplicates.contains(&("Send a message to the vendor".to_owned(), kept, kept)),
        "{duplicates:?}"
    );
    let (status, note): (String, i64) = sim
        .query(|c| {
            c.query_row(
                "SELECT status, (SELECT count(*) FROM comments m WHERE m.ticket_id = t.id AND m.body LIKE '%opened twice in error%')
                 FROM tickets t WHERE id = ?1",
                [copy],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
        })
        .unwrap();
    assert_eq!(
        (status.as_str(), note),
        ("solved", 1),
        "the copy is closed with a note"
    );

    // Later pulls record nothing more.
    engine.pull().await.unwrap();
    let again = r
        .app
        .issue(&id)
        .unwrap()
        .events
        .iter()
        .filter(|e| matches!(e.body, EventBody::VendorDuplicate { .. }))
        .count();
    assert_eq!(again, duplicates.len());
    sim.stop().await;
}

/// Offline for many attempts, then a hotel network's log-in page answering everything, then
/// the vendor: nothing is parked, the queue says why it waits, and then everything arrives
/// once.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_captive_portal_pauses_the_queue_without_parking_anything_and_sending_resumes_by_itself()
{
    let r = rig();
    let ids: Vec<String> = (0..6)
        .map(|n| r.escalation(&format!("Portal {n}")))
        .collect();
    let addr = free_addr();
    let url = format!("http://{addr}");
    let engine = r.engine(
        &url,
        Mode::EndUser,
        Duration::from_secs(2),
        Duration::from_millis(200),
    );

    // Offline: nothing listens. Far more attempts than the bad-answer limit.
    let mut probes = 0;
    step_until(&engine, "25 probes of an unreachable vendor", || {
        probes += 1;
        probes > 25
    })
    .await;
    let s = engine.status();
    assert_eq!((s.online, s.parked), (Some(false), 0), "{s:?}");

    // The portal: every request gets its log-in page or a redirect to it.
    let portal = Portal::start(addr).await.unwrap();
    step_until(&engine, "the portal to answer 30 times", || {
        portal.requests() >= 30
    })
    .await;
    let s = engine.status();
    assert_eq!(s.parked, 0, "nothing parked: {s:?}");
    assert_eq!(s.paused, None, "not a credentials problem: {s:?}");
    let why = s.intercepted.clone().expect("the queue says why it waits");
    assert!(
        why.contains("the network in between is answering instead of the vendor (a log-in page?)")
            || why.contains(
                "The network in between is answering instead of the vendor (a log-in page?)"
            ),
        "{why}"
    );
    for id in &ids {
        let d = r.app.issue(id).unwrap();
        assert!(
            d.vendor.outbox.iter().all(|o| o.state == "pending"),
            "{:?}",
            d.vendor.outbox
        );
    }
    portal.stop().await;

    // The vendor is back on the same address: everything goes, once.
    let sim = r.vendor(addr, FaultPlan::default()).await;
    engine.wake();
    assert!(
        engine.drain(Duration::from_secs(30)).await.unwrap(),
        "{:?}",
        engine.status()
    );
    let s = engine.status();
    assert_eq!(
        (s.intercepted.as_deref(), s.online, s.queued, s.parked),
        (None, Some(true), 0, 0)
    );
    assert_eq!(
        count(&sim, "SELECT count(*) FROM tickets WHERE ?1", true),
        ids.len() as i64
    );
    assert_eq!(
        count(
            &sim,
            "SELECT count(*) FROM comments WHERE body LIKE 'Message for%' AND ?1",
            true
        ),
        ids.len() as i64
    );
    sim.stop().await;
}

/// Zendesk answers a bad token with the reason in `error` and an empty `description`.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_401_whose_reason_is_only_in_error_shows_that_reason() {
    let r = rig();
    let id = r.escalation("Login loop");
    let sim = r.vendor(free_addr(), FaultPlan::default()).await;
    let transport = Arc::new(ReqwestTransport::new(Duration::from_secs(2)).unwrap());
    let vendor = Zendesk::new(
        &ZendeskConfig {
            base_url: sim.url(),
            email: "desk@partner.example".into(),
            token: "wrong-token".into(),
            mode: Mode::EndUser,
        },
        transport,
    )
    .unwrap();
    let engine = SyncEngine::new(
        r.app.clone(),
        Arc::new(vendor),
        EngineConfig::default(),
        false,
    );
    engine.step().await.unwrap();
    let s = engine.status();
    let paused = s.paused.expect("paused");
    assert!(
        paused.starts_with("the vendor answered 401: Couldn't authenticate you."),
        "{paused}"
    );
    let row = &r.app.issue(&id).unwrap().vendor.outbox[0];
    assert_eq!(
        row.last_error.as_deref(),
        Some("the vendor answered 401: Couldn't authenticate you")
    );
    sim.stop().await;
}

/// A refused first message holds back the second of the same issue, which the issue page
/// shows as waiting; another issue's messages go on. After "Try again", both arrive in order.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_parked_message_holds_back_the_later_ones_of_its_issue() {
    let r = rig();
    let id = r.escalation("Reports are empty");
    let other = r.escalation("Dashboards are slow");
    let sim = r.vendor(free_addr(), FaultPlan::default()).await;
    let engine = r.engine(
        &sim.url(),
        Mode::EndUser,
        Duration::from_secs(2),
        Duration::from_millis(200),
    );
    assert!(engine.drain(Duration::from_secs(20)).await.unwrap());

    r.app
        .message_vendor(&id, "First: the export is empty too.")
        .unwrap();
    sim.set_faults(FaultPlan {
        rates: [(Fault::Invalid, 1.0)].into(),
        ..FaultPlan::default()
    });
    engine.step().await.unwrap();
    sim.set_faults(FaultPlan::default());
    r.app
        .message_vendor(&id, "Second: it started on Monday.")
        .unwrap();
    r.app
        .message_vendor(&other, "Unrelated: still slow.")
        .unwrap();
    assert!(
        engine.drain(Duration::from_secs(20)).await.unwrap(),
        "nothing else is sendable"
    );

    let ticket = r.app.issue(&id).unwrap().vendor.ticket_id.unwrap();
    assert_eq!(
        count(
            &sim,
            "SELECT count(*) FROM comments WHERE ticket_id = ?1 AND body LIKE 'Second:%'",
            ticket
        ),
        0,
        "the second message does not overtake the refused first"
    );
    assert_eq!(
        count(
            &sim,
            "SELECT count(*) FROM comments WHERE body LIKE 'Unrelated:%' AND ?1",
            true
        ),
        1,
        "other issues go on"
    );
    let states: Vec<String> = r
        .app
        .issue(&id)
        .unwrap()
        .vendor
        .outbox
        .iter()
        .map(|o| o.state.clone())
        .collect();
    assert_eq!(states, ["parked", "waiting"]);
    assert_eq!(engine.status().queued, 1);

    let parked = r.app.issue(&id).unwrap().vendor.outbox[0].id;
    r.app.retry_operation(parked).unwrap();
    assert!(engine.drain(Duration::from_secs(20)).await.unwrap());
    let bodies: Vec<String> = sim
        .query(|c| {
            let mut s = c.prepare(
                "SELECT body FROM comments WHERE ticket_id = ?1 AND (body LIKE 'First:%' OR body LIKE 'Second:%') ORDER BY id",
            )?;
            let rows = s.query_map([ticket], |r| r.get::<_, String>(0))?;
            rows.collect()
        })
        .unwrap();
    let starts: Vec<&str> = bodies.iter().map(|b| &b[..b.find(':').unwrap()]).collect();
    assert_eq!(starts, ["First", "Second"]);
    sim.stop().await;
}

/// A network that intercepts HTTPS presents its own certificate, not the vendor's: the queue
/// waits as for a log-in page, nothing is parked or counted as tried.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_certificate_that_is_not_the_vendors_is_the_network_in_between() {
    let r = rig();
    let id = r.escalation("Certificates");
    let certified = rcgen::generate_simple_self_signed(vec!["portal.invalid".to_owned()]).unwrap();
    let key = tokio_rustls::rustls::pki_types::PrivateKeyDer::Pkcs8(
        certified.key_pair.serialize_der().into(),
    );
    let tls = tokio_rustls::rustls::ServerConfig::builder()
        .with_no_client_auth()
        .with_single_cert(vec![certified.cert.der().clone()], key)
        .unwrap();
    let acceptor = tokio_rustls::TlsAcceptor::from(Arc::new(tls));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let handshakes = Arc::new(std::sync::atomic::AtomicU64::new(0));
    let seen = handshakes.clone();
    let server = tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            seen.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            let acceptor = acceptor.clone();
            tokio::spawn(async move { acceptor.accept(stream).await.map(|_| ()) });
        }
    });

    let engine = r.engine(
        &format!("https://{addr}"),
        Mode::EndUser,
        Duration::from_secs(2),
        Duration::from_millis(200),
    );
    step_until(&engine, "five handshakes", || {
        handshakes.load(std::sync::atomic::Ordering::Relaxed) >= 5
    })
    .await;
    let s = engine.status();
    assert!(s.intercepted.is_some(), "{s:?}");
    assert_eq!((s.parked, s.paused.as_deref()), (0, None), "{s:?}");
    let row = &r.app.issue(&id).unwrap().vendor.outbox[0];
    assert_eq!(
        (row.state.as_str(), row.attempts),
        ("pending", 0),
        "{row:?}"
    );
    let error = row.last_error.clone().unwrap_or_default();
    assert!(error.contains("certificate is not the vendor's"), "{error}");
    server.abort();
}
