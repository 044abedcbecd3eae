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

fn count(sim: &Running, sql: &str) -> i64 {
    sim.query(|c| c.query_row(sql, [], |r| r.get(0))).unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hub_an_escalation_acted_on_by_two_desktops_makes_one_ticket_and_sends_each_message_once() {
    let hub = TestHub::new().await;
    let (ana_dir, lee_dir) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let ana = signed_in(ana_dir.path(), "ana", false);
    let lee = signed_in(lee_dir.path(), "lee", true);
    let (ana_hub, lee_hub) = (hub.connect("ana").await, hub.connect("lee").await);

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
    sync_once(&ana, &ana_hub).await.unwrap();
    sync_once(&lee, &lee_hub).await.unwrap();

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
    sync_once(&lee, &lee_hub).await.unwrap();
    sync_once(&ana, &ana_hub).await.unwrap();

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
    let (ana_vendor, lee_vendor) = (engine(&ana, &sim.url()), engine(&lee, &sim.url()));
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
    sync_once(&ana, &ana_hub).await.unwrap();
    sync_once(&lee, &lee_hub).await.unwrap();

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
