//! Exactly one vendor ticket per escalation across the team: an agent escalates while the
//! vendor is away; the lead, on another desktop, messages the vendor, chases it and flags the
//! issue critical (the ticket goes to urgent); both desktops then talk to the vendor (the simulator, with faults) and the
//! hub. The desktop that escalated owns the ticket: one ticket, each of the lead's messages on
//! it once, and the ticket number reaches the lead's desktop through the hub.
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use frontline_core::escalation::CriticalReason;
use frontline_core::model::{EventBody, NewClient, NewIssue};
use frontline_core::sync::http::{Paced, ReqwestTransport};
use frontline_core::sync::zendesk::{Mode, Zendesk, ZendeskConfig};
use frontline_core::sync::{EngineConfig, SyncEngine};
use frontline_core::Frontline;
use frontline_hub::team::sync_once;
use frontline_hub::Hub;
use frontline_vendor_sim::{Config, Fault, FaultPlan, Running, Simulator};

use crate::{signed_in, TestHub};

const TOKEN: &str = "team-token";

fn engine(core: &Arc<Frontline>, url: &str) -> Arc<SyncEngine> {
    let transport = Arc::new(ReqwestTransport::new(Duration::from_secs(2)).unwrap());
    let paced = Arc::new(Paced::new(transport, Duration::from_secs(60), 0.95));
    let vendor = Zendesk::new(
        &ZendeskConfig {
            base_url: url.into(),
            email: "desk@partner.example".into(),
            token: TOKEN.into(),
            mode: Mode::Agent,
        },
        paced,
    )
    .unwrap();
    let config = EngineConfig {
        base_delay: Duration::from_millis(20),
        max_delay: Duration::from_millis(200),
        pull_every: Duration::from_millis(200),
        late_delivery: Duration::from_millis(500),
        ..EngineConfig::default()
    };
    SyncEngine::new(core.clone(), Arc::new(vendor), config, false)
}

/// An agent (Ana) and a lead (Lee), each on a desktop of their own, signed in to a test hub.
struct Team {
    ana: Arc<Frontline>,
    lee: Arc<Frontline>,
    ana_hub: Hub,
    lee_hub: Hub,
    _dirs: (tempfile::TempDir, tempfile::TempDir),
    _hub: TestHub,
}

impl Team {
    async fn new() -> Team {
        let hub = TestHub::new().await;
        let dirs = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
        Team {
            ana: signed_in(dirs.0.path(), "ana", false),
            lee: signed_in(dirs.1.path(), "lee", true),
            ana_hub: hub.connect("ana").await,
            lee_hub: hub.connect("lee").await,
            _dirs: dirs,
            _hub: hub,
        }
    }
}

fn count(sim: &Running, sql: &str) -> i64 {
    sim.query(|c| c.query_row(sql, [], |r| r.get(0))).unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hub_an_escalation_acted_on_by_two_desktops_makes_one_ticket_and_sends_each_message_once() {
    let team = Team::new().await;
    let (ana, lee, ana_hub, lee_hub) = (&team.ana, &team.lee, &team.ana_hub, &team.lee_hub);

    let client = ana
        .create_client(NewClient {
            name: "Fabrikam".into(),
            contact: String::new(),
        })
        .unwrap();
    let id = ana
        .create_issue(NewIssue {
            client_id: client.id,
            title: "Orders vanish after checkout".into(),
            description: "Orders placed since 9:00 do not show in the back office.".into(),
            steps: "1. Place an order\n2. Open Orders".into(),
            category: "bug".into(),
            impact: "whole_client".into(),
            urgency: "high".into(),
            affected_users: 300,
        })
        .unwrap()
        .issue
        .id;
    ana.waive_screenshot(&id, "Nothing to see: the order is simply missing")
        .unwrap();
    // The vendor is away: the escalation waits in Ana's outbox.
    ana.escalate(&id, "Orders are lost").unwrap();
    sync_once(ana, ana_hub).await.unwrap();
    sync_once(lee, lee_hub).await.unwrap();

    // The lead acts on the same issue from another desktop, still before any ticket exists.
    lee.message_vendor(&id, "Lead here: the client now reports 40 lost orders.")
        .unwrap();
    lee.chase(&id, "Revenue is being lost every hour").unwrap();
    lee.flag_critical(&id, CriticalReason::ChurnRisk).unwrap();
    assert_eq!(
        lee.outbox_counts().unwrap().0,
        0,
        "nothing goes to the vendor from the lead's desktop: Ana's owns the ticket"
    );
    sync_once(lee, lee_hub).await.unwrap();
    sync_once(ana, ana_hub).await.unwrap();

    // Now both desktops reach the vendor, through faults.
    let sim_dir = tempfile::tempdir().unwrap();
    let mut config = Config::new(sim_dir.path().join("vendor.sqlite3"));
    config.addr = "127.0.0.1:0".parse::<SocketAddr>().unwrap();
    config.token = Some(TOKEN.into());
    config.seed = 11;
    config.faults = FaultPlan {
        timeout_ms: 3_000,
        late_ms: 2_500,
        ..FaultPlan::spread(
            0.4,
            &[
                Fault::Status500,
                Fault::Reset,
                Fault::CommitThenDrop,
                Fault::Late,
                Fault::Timeout,
            ],
        )
    };
    let sim = Simulator::start(config).await.unwrap();
    let (ana_vendor, lee_vendor) = (engine(ana, &sim.url()), engine(lee, &sim.url()));
    let started = Instant::now();
    loop {
        assert!(
            started.elapsed() < Duration::from_secs(90),
            "Ana's outbox did not empty"
        );
        ana_vendor.wake();
        lee_vendor.wake();
        let sent = ana_vendor.step().await.unwrap() + lee_vendor.step().await.unwrap();
        if ana.outbox_counts().unwrap() == (0, 0) && sim.stats().held == 0 {
            break;
        }
        if sent == 0 {
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }
    // The vendor's side reaches the lead through the hub.
    sync_once(ana, ana_hub).await.unwrap();
    sync_once(lee, lee_hub).await.unwrap();

    assert_eq!(count(&sim, "SELECT count(*) FROM tickets"), 1, "one ticket");
    for text in ["40 lost orders", "Revenue is being lost every hour"] {
        let sql = format!("SELECT count(*) FROM comments WHERE body LIKE '%{text}%'");
        assert_eq!(count(&sim, &sql), 1, "{text:?} reached the vendor once");
    }
    let ticket: i64 = count(&sim, "SELECT id FROM tickets");
    let priority: String = sim
        .query(|c| c.query_row("SELECT priority FROM tickets", [], |r| r.get(0)))
        .unwrap();
    assert_eq!(
        priority, "urgent",
        "the lead's critical flag reached the ticket"
    );
    let lee_sees = lee.issue(&id).unwrap();
    assert_eq!(
        lee_sees.vendor.ticket_id,
        Some(ticket),
        "the lead's vendor panel shows it"
    );
    assert_eq!(lee_sees.vendor.owner.as_deref(), Some("ana"));
    let desk = lee.desk().unwrap();
    assert!(
        desk.rows
            .iter()
            .any(|r| r.id == id && r.critical && r.ticket_id == Some(ticket)),
        "the agent's escalation is on the lead's Escalations desk"
    );
    assert!(
        lee_sees.events.iter().any(|e| matches!(
            &e.body,
            EventBody::VendorTicketLinked { ticket_id, .. } if *ticket_id == ticket
        )),
        "the lead's timeline shows the vendor ticket #{ticket}: {:?}",
        lee_sees
            .events
            .iter()
            .map(|e| e.body.kind())
            .collect::<Vec<_>>()
    );
    sim.stop().await;
}

/// Runs both desktops' vendor engines until neither has anything left to send.
async fn drain(desktops: &[(&Arc<Frontline>, &Arc<SyncEngine>)], sim: &Running) {
    let started = Instant::now();
    loop {
        assert!(
            started.elapsed() < Duration::from_secs(90),
            "the outboxes did not empty: {:?}",
            desktops
                .iter()
                .map(|(core, _)| core.outbox_counts().unwrap())
                .collect::<Vec<_>>()
        );
        let mut sent = 0;
        for (_, engine) in desktops {
            engine.wake();
            sent += engine.step().await.unwrap();
        }
        let empty = desktops
            .iter()
            .all(|(core, _)| core.outbox_counts().unwrap() == (0, 0));
        if empty && sim.stats().held == 0 {
            return;
        }
        if sent == 0 {
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }
}

fn new_issue(core: &Frontline, client_id: &str, title: &str) -> String {
    let id = core
        .create_issue(NewIssue {
            client_id: client_id.to_owned(),
            title: title.into(),
            description: "Since this morning, for every user of the client.".into(),
            steps: "1. Sign in\n2. Open the page".into(),
            category: "bug".into(),
            impact: "whole_client".into(),
            urgency: "high".into(),
            affected_users: 120,
        })
        .unwrap()
        .issue
        .id;
    core.waive_screenshot(&id, "Nothing on screen shows it")
        .unwrap();
    id
}

fn tickets_of(sim: &Running, issue_id: &str) -> Vec<(i64, String)> {
    sim.query(|c| {
        let mut stmt = c.prepare(
            "SELECT id, status FROM tickets WHERE external_id = ?1 OR description LIKE '%' || ?1 || '%' ORDER BY id",
        )?;
        let rows = stmt
            .query_map([issue_id], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<rusqlite::Result<Vec<_>>>();
        rows
    })
    .unwrap()
}

fn comments_on(sim: &Running, ticket: i64, text: &str) -> i64 {
    count(
        sim,
        &format!(
            "SELECT count(*) FROM comments WHERE ticket_id = {ticket} AND body LIKE '%{text}%'"
        ),
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hub_two_desktops_that_escalated_one_issue_apart_from_the_hub_leave_one_open_ticket_with_every_message(
) {
    let team = Team::new().await;
    let (ana, lee, ana_hub, lee_hub) = (&team.ana, &team.lee, &team.ana_hub, &team.lee_hub);
    let client = ana
        .create_client(NewClient {
            name: "Northwind".into(),
            contact: String::new(),
        })
        .unwrap();
    let quiet = new_issue(ana, &client.id, "Invoices fail to print");
    let busy = new_issue(ana, &client.id, "Stock counts are wrong");
    sync_once(ana, ana_hub).await.unwrap();
    sync_once(lee, lee_hub).await.unwrap();

    // Both escalate `quiet` apart from the hub, with the vendor away too; then the hub first.
    ana.escalate(&quiet, "Nobody can print").unwrap();
    lee.escalate(&quiet, "Lead: month-end is blocked").unwrap();
    ana.message_vendor(&quiet, "Ana: printing fails with error 42")
        .unwrap();
    lee.message_vendor(&quiet, "Lee: the client closes its books tomorrow")
        .unwrap();
    for (core, hub) in [(&ana, &ana_hub), (&lee, &lee_hub), (&ana, &ana_hub)] {
        sync_once(core, hub).await.unwrap();
    }
    assert_eq!(
        lee.outbox_counts().unwrap(),
        (0, 0),
        "Ana escalated first: nothing waits for the vendor on the lead's desktop"
    );

    // The vendor is back. Both escalate `busy` apart from the hub: each opens a ticket.
    let (_sim_dir, sim) = calm_vendor().await;
    let (ana_vendor, lee_vendor) = (engine(ana, &sim.url()), engine(lee, &sim.url()));
    let desktops = [(ana, &ana_vendor), (lee, &lee_vendor)];
    ana.escalate(&busy, "Counts are off by hundreds").unwrap();
    ana.message_vendor(&busy, "Ana: warehouse 3 shows negative stock")
        .unwrap();
    lee.escalate(&busy, "Lead: orders are being refused")
        .unwrap();
    lee.message_vendor(&busy, "Lee: 70 orders refused so far")
        .unwrap();
    drain(&desktops, &sim).await;
    assert_eq!(tickets_of(&sim, &busy).len(), 2, "two tickets while apart");
    for (core, hub) in [(&ana, &ana_hub), (&lee, &lee_hub), (&ana, &ana_hub)] {
        sync_once(core, hub).await.unwrap();
    }
    drain(&desktops, &sim).await;
    for (core, hub) in [(&ana, &ana_hub), (&lee, &lee_hub)] {
        sync_once(core, hub).await.unwrap();
    }

    // `quiet`: exactly one ticket, both messages on it once.
    let quiet_tickets = tickets_of(&sim, &quiet);
    assert_eq!(quiet_tickets.len(), 1, "one ticket: {quiet_tickets:?}");
    let kept_quiet = quiet_tickets[0].0;
    for text in ["error 42", "closes its books tomorrow"] {
        assert_eq!(comments_on(&sim, kept_quiet, text), 1, "{text:?} once");
    }

    // `busy`: Ana's ticket (her escalation came first in the hub's order) stays open with
    // every message; the lead's copy is closed and points to it.
    let busy_tickets = tickets_of(&sim, &busy);
    let ana_ticket = ana.issue(&busy).unwrap().vendor.ticket_id.unwrap();
    let open: Vec<_> = busy_tickets
        .iter()
        .filter(|(_, status)| status != "solved" && status != "closed")
        .collect();
    assert_eq!(open.len(), 1, "one open ticket: {busy_tickets:?}");
    assert_eq!(
        open[0].0, ana_ticket,
        "the open one is the first escalation's"
    );
    let copy = busy_tickets
        .iter()
        .map(|(id, _)| *id)
        .find(|id| *id != ana_ticket)
        .unwrap();
    assert!(
        comments_on(&sim, copy, &format!("#{ana_ticket}")) >= 1,
        "the copy names the ticket kept"
    );
    assert_eq!(
        comments_on(&sim, copy, &format!("#{ana_ticket}")),
        1,
        "closed once"
    );
    for text in ["negative stock", "70 orders refused"] {
        assert_eq!(
            comments_on(&sim, ana_ticket, text),
            1,
            "{text:?} once on the kept ticket"
        );
    }

    // Both desktops show the kept ticket and agree on who talks to the vendor.
    for core in [&ana, &lee] {
        assert_eq!(
            core.issue(&busy).unwrap().vendor.ticket_id,
            Some(ana_ticket)
        );
        assert_eq!(
            core.issue(&quiet).unwrap().vendor.ticket_id,
            Some(kept_quiet)
        );
    }
    assert_eq!(
        lee.issue(&busy).unwrap().vendor.owner.as_deref(),
        Some("ana")
    );
    assert!(
        lee.issue(&busy).unwrap().events.iter().any(|e| matches!(
            &e.body,
            EventBody::VendorHandedOver { copy_ticket_id: Some(c), ticket_id: Some(k), .. }
                if *c == copy && *k == ana_ticket
        )),
        "the lead's timeline says the copy was closed"
    );
    sim.stop().await;
}

/// An outage across the team: two agents took two clients' calls about the same failure and
/// Ana escalated hers; the lead, on a third desktop, links both into an incident. The link
/// reaches every desktop, so the vendor's reply on Ana's ticket — pulled by Ana's desktop, which
/// owns it — lands on Sam's issue too, and Sam's desktop shows it through the hub. The lead's
/// "treat it as urgent" reaches the ticket once.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hub_an_incident_a_lead_links_brings_the_vendors_reply_to_every_members_desktop() {
    let hub = TestHub::new().await;
    let dirs = [(); 3].map(|_| tempfile::tempdir().unwrap());
    let ana = signed_in(dirs[0].path(), "ana", false);
    let sam = signed_in(dirs[1].path(), "sam", false);
    let lee = signed_in(dirs[2].path(), "lee", true);
    let (ana_hub, sam_hub, lee_hub) = (
        hub.connect("ana").await,
        hub.connect("sam").await,
        hub.connect("lee").await,
    );
    let sync_all = || async {
        for _ in 0..2 {
            sync_once(&ana, &ana_hub).await.unwrap();
            sync_once(&sam, &sam_hub).await.unwrap();
            sync_once(&lee, &lee_hub).await.unwrap();
        }
    };
    let acme = crate::log_issue(&ana, "Acme", "Invoice export fails with error 500");
    let globex = crate::log_issue(&sam, "Globex", "Invoice export fails with error 500");
    ana.waive_screenshot(&acme, "The error page says nothing more")
        .unwrap();
    ana.escalate(&acme, "Exports fail").unwrap();

    let (_sim_dir, sim) = calm_vendor().await;
    let ana_vendor = engine(&ana, &sim.url());
    let drain = || async {
        let started = Instant::now();
        while ana.outbox_counts().unwrap() != (0, 0) {
            assert!(
                started.elapsed() < Duration::from_secs(60),
                "Ana's outbox did not empty"
            );
            ana_vendor.wake();
            if ana_vendor.step().await.unwrap() == 0 {
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
        }
    };
    drain().await;
    sync_all().await;

    lee.link_incident(&[globex.clone(), acme.clone()], "Invoice exports down")
        .unwrap();
    sync_all().await;
    for (who, core) in [("ana", &ana), ("sam", &sam)] {
        let d = core.issue(&globex).unwrap();
        assert!(
            d.issue.critical,
            "Sam's issue is critical on {who}'s desktop"
        );
    }
    drain().await;
    let ticket: i64 = count(&sim, "SELECT id FROM tickets");
    assert_eq!(count(&sim, "SELECT count(*) FROM tickets"), 1);
    assert_eq!(
        count(
            &sim,
            "SELECT count(*) FROM comments WHERE body LIKE '%now an incident affecting 2 of our clients%'"
        ),
        1,
        "the lead's word reached the ticket once, from the desktop that owns it"
    );

    sim.reply(ticket, "A fix for the export failures is rolling out now.")
        .unwrap();
    let started = Instant::now();
    let reply_on = |core: &Frontline, id: &str| {
        core.issue(id).unwrap().events.iter().any(|e| {
            matches!(&e.body, EventBody::VendorComment { text, from_vendor: true, .. }
                if text.contains("rolling out"))
        })
    };
    while !reply_on(&ana, &globex) {
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "the reply did not reach the incident's other issue on Ana's desktop"
        );
        // Ana's desktop owns the ticket: it alone pulls the vendor.
        if ana_vendor.pull().await.unwrap() == 0 {
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }
    sync_all().await;
    for (who, core) in [("ana", &ana), ("sam", &sam), ("lee", &lee)] {
        for id in [&acme, &globex] {
            let replies = core
                .issue(id)
                .unwrap()
                .events
                .iter()
                .filter(|e| matches!(&e.body, EventBody::VendorComment { text, from_vendor: true, .. } if text.contains("rolling out")))
                .count();
            assert_eq!(
                replies, 1,
                "the vendor's reply once on {id}, on {who}'s desktop"
            );
        }
    }
    assert_eq!(
        sam.outbox_counts().unwrap().0 + lee.outbox_counts().unwrap().0,
        0,
        "only the owner's desktop talks to the vendor"
    );
}

/// A file the lead adds on their desktop to an issue an agent escalated: its content goes to
/// the hub beside the event, the agent's desktop lists it and opens the same bytes, and that
/// desktop — which owns the vendor ticket — sends it there once. The hub keeps a file only
/// under its own content's address.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hub_a_file_added_on_one_desktop_opens_everywhere_and_reaches_the_owners_ticket() {
    let team = Team::new().await;
    let (ana, lee, ana_hub, lee_hub) = (&team.ana, &team.lee, &team.ana_hub, &team.lee_hub);
    let id = crate::log_issue(ana, "Contoso", "Nightly export stops half way");
    ana.waive_screenshot(&id, "A batch job: nothing on screen")
        .unwrap();
    ana.escalate(&id, "Exports are incomplete").unwrap();
    let (_sim_dir, sim) = calm_vendor().await;
    let ana_vendor = engine(ana, &sim.url());
    let drain = || async {
        let started = Instant::now();
        while ana.outbox_counts().unwrap() != (0, 0) {
            assert!(
                started.elapsed() < Duration::from_secs(60),
                "Ana's outbox did not empty: {:?}",
                ana.issue(&id).unwrap().vendor
            );
            ana_vendor.wake();
            if ana_vendor.step().await.unwrap() == 0 {
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
        }
    };
    drain().await;
    sync_once(ana, ana_hub).await.unwrap();
    sync_once(lee, lee_hub).await.unwrap();

    let log =
        b"2026-12-07 02:14:03 ERROR export: worker ran out of memory at row 48,112\n".repeat(300);
    let added = lee.attach_bytes(&id, "export-worker.log", &log).unwrap();
    assert_eq!(
        lee.outbox_counts().unwrap().0,
        0,
        "the lead's desktop sends nothing: Ana's owns the ticket"
    );
    sync_once(lee, lee_hub).await.unwrap();
    sync_once(ana, ana_hub).await.unwrap();

    let (listed, path) = ana.attachment_path(&added.id).unwrap();
    assert_eq!(listed.file_name, "export-worker.log");
    assert_eq!(listed.added_by, "lee");
    assert_eq!(
        std::fs::read(&path).unwrap(),
        log,
        "the same bytes on Ana's desktop"
    );
    drain().await;
    assert_eq!(
        count(
            &sim,
            "SELECT count(*) FROM uploads WHERE used = 1 AND file_name = 'export-worker.log'"
        ),
        1,
        "the file reached the ticket once"
    );
    let sha: String = sim
        .query(|c| {
            c.query_row(
                "SELECT sha256 FROM uploads WHERE file_name = 'export-worker.log'",
                [],
                |r| r.get(0),
            )
        })
        .unwrap();
    assert_eq!(sha, added.sha256, "with the lead's content");

    // Content under another file's address is refused by the hub itself.
    let forged = team
        ._hub
        .raw("ana")
        .await
        .execute(
            "INSERT INTO frontline.files (sha256, bytes) VALUES ($1, $2)",
            &[&"0".repeat(64), &b"not that".to_vec()],
        )
        .await;
    assert!(forged.is_err(), "a file under a wrong address is refused");
}

/// The vendor simulator on loopback, without faults.
async fn calm_vendor() -> (tempfile::TempDir, Running) {
    let dir = tempfile::tempdir().unwrap();
    let mut config = Config::new(dir.path().join("vendor.sqlite3"));
    config.addr = "127.0.0.1:0".parse::<SocketAddr>().unwrap();
    config.token = Some(TOKEN.into());
    let sim = Simulator::start(config).await.unwrap();
    (dir, sim)
}
