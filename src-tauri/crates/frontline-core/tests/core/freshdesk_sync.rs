//! The same engine and outbox, unchanged, with the Freshdesk adapter against the simulator's
//! Freshdesk flavour over loopback HTTP: one ticket per escalation with its file on a reply,
//! the vendor's reply and status back on the timeline, its knowledge base in the suggestions,
//! a revoked key pausing the queue with nothing dropped, a validation error parked with
//! Freshdesk's field and words, rate limits paced.
use std::sync::Arc;
use std::time::Duration;

use frontline_core::model::EventBody;
use frontline_core::sync::freshdesk::{Freshdesk, FreshdeskConfig};
use frontline_core::sync::http::{Paced, ReqwestTransport};
use frontline_core::sync::{EngineConfig, SyncEngine};
use frontline_core::{Frontline, SystemClock};
use frontline_vendor_sim::{Config, Fault, FaultPlan, Flavour, Running, Simulator};
use tempfile::TempDir;

use crate::support::settings;

const KEY: &str = "fd-api-key-7f3a";

struct Rig {
    _dir: TempDir,
    app: Arc<Frontline>,
    sim: Running,
}

async fn rig(configure: impl FnOnce(&mut Config)) -> Rig {
    let dir = tempfile::tempdir().unwrap();
    let app = Arc::new(Frontline::open(settings(&dir), Arc::new(SystemClock)).unwrap());
    let mut config = Config::new(dir.path().join("vendor.sqlite3"));
    config.flavour = Flavour::Freshdesk;
    config.token = Some(KEY.into());
    configure(&mut config);
    let sim = Simulator::start(config).await.unwrap();
    Rig {
        _dir: dir,
        app,
        sim,
    }
}

impl Rig {
    fn engine(&self, key: &str) -> Arc<SyncEngine> {
        let transport = Arc::new(ReqwestTransport::new(Duration::from_secs(2)).unwrap());
        let paced = Arc::new(Paced::new(transport, Duration::from_secs(60), 0.95));
        let vendor = Freshdesk::new(
            &FreshdeskConfig {
                base_url: self.sim.url(),
                api_key: key.into(),
                requester_email: "desk@partner.example".into(),
                id_field: Some("cf_frontline_id".into()),
            },
            paced,
        )
        .unwrap();
        let config = EngineConfig {
            base_delay: Duration::from_millis(20),
            max_delay: Duration::from_millis(200),
            pull_every: Duration::from_millis(200),
            ..EngineConfig::default()
        };
        SyncEngine::new(self.app.clone(), Arc::new(vendor), config, false)
    }

    fn count(&self, sql: &str) -> i64 {
        self.sim
            .query(|c| c.query_row(sql, [], |r| r.get(0)))
            .unwrap()
    }
}

fn ready(app: &Frontline, title: &str) -> String {
    let c = app
        .create_client(frontline_core::model::NewClient {
            name: format!("Acme ({title})"),
            contact: String::new(),
        })
        .unwrap();
    let mut n = crate::support::new_issue(&c, title);
    n.category = "bug".into();
    let id = app.create_issue(n).unwrap().issue.id;
    app.attach_bytes(&id, "error.png", b"\x89PNG pretend screenshot")
        .unwrap();
    assert!(app.issue(&id).unwrap().readiness.ready);
    id
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn freshdesk_an_escalation_reaches_the_vendor_once_and_its_reply_comes_back() {
    let r = rig(|_| {}).await;
    let id = ready(&r.app, "Saving an invoice fails with error 500");
    r.app.escalate(&id, "Client is blocked").unwrap();
    let engine = r.engine(KEY);
    assert!(engine.drain(Duration::from_secs(20)).await.unwrap());

    assert_eq!(r.count("SELECT count(*) FROM tickets"), 1);
    let ticket = r.count("SELECT id FROM tickets");
    let d = r.app.issue(&id).unwrap();
    assert_eq!(d.vendor.ticket_id, Some(ticket));
    assert_eq!(
        r.sim
            .query(
                |c| c.query_row("SELECT external_id FROM tickets", [], |row| row
                    .get::<_, String>(0))
            )
            .unwrap(),
        id,
        "our id in the custom field"
    );
    assert_eq!(
        r.count("SELECT count(*) FROM tickets WHERE description LIKE '%Frontline reference: %'"),
        1
    );
    assert_eq!(
        r.count("SELECT count(*) FROM uploads WHERE file_name = 'error.png'"),
        1,
        "the file went with a reply, once"
    );

    r.app
        .message_vendor(&id, "The client can reproduce it every time.")
        .unwrap();
    assert!(engine.drain(Duration::from_secs(20)).await.unwrap());
    assert_eq!(
        r.count("SELECT count(*) FROM comments WHERE body LIKE 'The client can reproduce it every time.%'"),
        1
    );

    r.sim
        .reply(ticket, "We found the cause; a fix ships on Friday.")
        .unwrap();
    engine.pull().await.unwrap();
    engine.pull().await.unwrap();
    let d = r.app.issue(&id).unwrap();
    let replies: Vec<(String, String)> = d
        .events
        .iter()
        .filter_map(|e| match &e.body {
            EventBody::VendorComment {
                text,
                from_vendor: true,
                author,
                ..
            } => Some((text.clone(), author.clone())),
            _ => None,
        })
        .collect();
    assert_eq!(
        replies,
        [(
            "We found the cause; a fix ships on Friday.".to_owned(),
            "Dana Whitfield (Vendor Support)".to_owned()
        )],
        "the vendor's reply once, by name; our own replies are not taken for the vendor's"
    );
    assert_eq!(d.vendor.status, "open");
    assert_eq!(d.vendor.assignee, "Dana Whitfield (Vendor Support)");

    // Reassessed as critical for the whole client: the ticket's priority goes to urgent (4).
    r.app
        .change_priority(&id, "whole_client", "critical")
        .unwrap();
    assert!(engine.drain(Duration::from_secs(20)).await.unwrap());
    assert_eq!(
        r.count("SELECT count(*) FROM tickets WHERE priority = 'urgent'"),
        1
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn freshdesk_solutions_reach_the_offline_knowledge_base_published_only_and_sanitised() {
    let r = rig(|_| {}).await;
    r.sim
        .put_article(
            41,
            "Exports stop at 48,000 rows",
            "<p>Split the export by month.</p><script>alert(1)</script>",
            &["exports"],
        )
        .unwrap();
    r.sim
        .put_article(42, "Unpublished draft", "<p>Not yet</p>", &[])
        .unwrap();
    r.sim
        .query(|c| c.execute("UPDATE articles SET deleted = 1 WHERE id = 42", []))
        .unwrap();
    let engine = r.engine(KEY);
    assert_eq!(engine.sync_help_centre().await.unwrap(), 1);
    let a = r.app.article("freshdesk:41").unwrap();
    assert_eq!(a.title, "Exports stop at 48,000 rows");
    assert!(!a.body_html.contains("<script"), "{}", a.body_html);
    assert!(r.app.article("freshdesk:42").is_err());
    let hits = r.app.suggest_articles("export stops rows", 5).unwrap();
    assert!(hits.iter().any(|h| h.id == "freshdesk:41"), "{hits:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn freshdesk_a_revoked_key_pauses_the_queue_and_drops_nothing() {
    let r = rig(|_| {}).await;
    let id = ready(&r.app, "Reports are empty");
    r.app.escalate(&id, "").unwrap();
    let engine = r.engine("a-key-that-was-revoked");
    engine.step().await.unwrap();
    let words = engine.status().paused.expect("the queue is paused");
    assert!(words.contains("logged in"), "Freshdesk's words: {words}");
    assert_eq!(r.count("SELECT count(*) FROM tickets"), 0);
    assert_eq!(
        r.app.outbox_counts().unwrap(),
        (2, 0),
        "nothing dropped or parked"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn freshdesk_a_validation_error_is_parked_with_the_field_and_message_on_the_issue() {
    let r = rig(|c| {
        c.faults = FaultPlan {
            rates: [(Fault::Invalid, 1.0)].into_iter().collect(),
            ..FaultPlan::default()
        };
    })
    .await;
    let id = ready(&r.app, "Reports are empty");
    r.app.escalate(&id, "").unwrap();
    let engine = r.engine(KEY);
    engine.step().await.unwrap();
    let d = r.app.issue(&id).unwrap();
    let rejected = d
        .events
        .iter()
        .find_map(|e| match &e.body {
            EventBody::VendorRejected { message, .. } => Some(message.clone()),
            _ => None,
        })
        .expect("parked on the issue");
    assert!(
        rejected.contains("requester_id: The requester is blocked and cannot create tickets"),
        "{rejected}"
    );
    assert_eq!(r.app.outbox_counts().unwrap().1, 1, "parked, not dropped");
}

#[test]
fn freshdesk_files_over_the_tickets_20_mb_are_refused_before_anything_is_queued() {
    let dir = tempfile::tempdir().unwrap();
    let app = Frontline::open(settings(&dir), Arc::new(SystemClock)).unwrap();
    app.save_vendor_settings(frontline_core::sync::connection::VendorSettings {
        sandbox: true,
        vendor: frontline_core::sync::connection::VendorKind::Freshdesk,
        ..Default::default()
    })
    .unwrap();
    let id = ready(&app, "Nightly export stops half way");
    app.escalate(&id, "").unwrap();
    let queued = app.outbox_counts().unwrap();
    let big = vec![7u8; 21 * 1024 * 1024];
    let e = app
        .attach_bytes(&id, "heap-dump.bin", &big)
        .unwrap_err()
        .to_string();
    assert!(e.contains("heap-dump.bin cannot go to the vendor"), "{e}");
    assert!(
        e.contains("Freshdesk takes at most 20 MB of files per ticket"),
        "{e}"
    );
    assert_eq!(app.outbox_counts().unwrap(), queued, "nothing queued");
    assert_eq!(
        app.issue(&id).unwrap().attachments.len(),
        1,
        "nothing attached"
    );

    // Before escalating: the escalation says which limit the files break.
    let other = ready(&app, "Reports are empty");
    app.attach_bytes(&other, "full-log.txt", &big).unwrap();
    let e = app.escalate(&other, "").unwrap_err().to_string();
    assert!(
        e.contains("The issue's files cannot go to the vendor"),
        "{e}"
    );
    assert_eq!(app.issue(&other).unwrap().issue.status.as_str(), "new");

    // Zendesk has no such limit per ticket.
    app.save_vendor_settings(frontline_core::sync::connection::VendorSettings {
        sandbox: true,
        ..Default::default()
    })
    .unwrap();
    app.escalate(&other, "").unwrap();
}
