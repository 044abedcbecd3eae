//! Sync in the real app, in sandbox mode: an escalation made while the vendor is down shows as
//! queued; a captive portal in the way pauses the queue with a word on why; once the vendor
//! (the simulator) is up, the ticket number and the vendor's reply appear on the issue.
use std::sync::Arc;

use frontline_core::model::{NewClient, NewIssue};
use frontline_core::{Frontline, Settings, SystemClock};
use frontline_vendor_sim::portal::Portal;
use frontline_vendor_sim::{Config, Flavour, Simulator};

use crate::harness::{free_port, launch_with};

/// The invoice-export issue of Northwind Traders, logged on `app`; returns its id.
pub fn log_invoice_issue(app: &Frontline) -> String {
    let client = app
        .create_client(NewClient {
            name: "Northwind Traders".into(),
            contact: String::new(),
        })
        .expect("client");
    app.create_issue(NewIssue {
        client_id: client.id,
        title: "Invoice export fails with error 500".into(),
        description: "Every export of March invoices ends with an error 500 page.".into(),
        steps: "1. Open Invoices\n2. Export March".into(),
        category: "bug".into(),
        impact: "whole_client".into(),
        urgency: "medium".into(),
        affected_users: 40,
    })
    .expect("issue")
    .issue
    .id
}

/// An issue ready to escalate: a vendor category and a screenshot.
pub fn seed(dir: &std::path::Path) {
    let app = Frontline::open(Settings::for_dir(dir), Arc::new(SystemClock)).expect("cache");
    let id = log_invoice_issue(&app);
    app.attach_bytes(&id, "error.png", b"\x89PNG\r\n\x1a\n pretend")
        .expect("screenshot");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sync_escalation_queued_offline_reaches_the_sandbox_vendor() {
    let data = tempfile::tempdir().expect("temp dir");
    seed(data.path());
    let port = free_port();
    let url = format!("http://127.0.0.1:{port}");
    let app = launch_with(
        data.path(),
        &[("FRONTLINE_SANDBOX", "1"), ("FRONTLINE_SANDBOX_URL", &url)],
    )
    .await;
    app.open_issue("FL-1001", "Invoice export fails").await;

    // The vendor is down: escalating queues the ticket and the sidebar says so.
    app.click_button("Escalate to vendor").await;
    app.wait_text("[data-testid=vendor-queued]", "Queued").await;
    app.wait_text("[data-testid=outbox]", "Create the vendor ticket")
        .await;
    app.wait_text("[data-testid=sync-status]", "Offline").await;
    app.screenshot("sync-queued-offline").await;

    // A hotel network's log-in page answers instead: the queue waits and says why; nothing is
    // refused.
    let portal = Portal::start(([127, 0, 0, 1], port).into())
        .await
        .expect("portal");
    app.click_button("Sync now").await;
    app.wait_text("[data-testid=sync-status]", "Waiting for the network")
        .await;
    app.wait_text(
        "[data-testid=sync-intercepted]",
        "answering instead of the vendor (a log-in page?)",
    )
    .await;
    app.screenshot("sync-captive-portal").await;
    portal.stop().await;

    // The vendor comes up; "Sync now" sends at once.
    let mut config = Config::new(data.path().join("vendor-sim.sqlite3"));
    config.addr = ([127, 0, 0, 1], port).into();
    config.token = Some("sandbox".into());
    config.auto_reply = Some(std::time::Duration::from_secs(1));
    let sim = Simulator::start(config).await.expect("simulator");
    app.click_button("Sync now").await;
    app.wait_text("[data-testid=vendor-ticket]", "#1").await;
    app.wait_text("[data-testid=timeline]", "Vendor ticket #1 created")
        .await;
    app.wait_text(
        "[data-testid=timeline]",
        "Dana Whitfield (Vendor Support) (vendor): Thanks for the detailed report",
    )
    .await;
    app.wait_text("[data-testid=sync-status]", "Up to date")
        .await;
    app.screenshot("sync-vendor-replied").await;
    let tickets: i64 = sim
        .query(|c| c.query_row("SELECT count(*) FROM tickets", [], |r| r.get(0)))
        .expect("count");
    assert_eq!(tickets, 1);

    // The connection page shows the sandbox and the ladder file.
    app.click_button("Vendor connection").await;
    app.wait_text("[data-testid=ladder-editor]", "Product support team")
        .await;
    app.screenshot("vendor-connection").await;
    app.close().await;
    sim.stop().await;
}

/// A vendor that refuses the token with its reason only in `error` (Zendesk's way): the
/// sidebar and the log both give that reason, and nothing queued is dropped.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sync_a_refused_token_shows_the_vendors_reason_in_the_window_and_the_log() {
    let data = tempfile::tempdir().expect("temp dir");
    seed(data.path());
    let port = free_port();
    let mut config = Config::new(data.path().join("vendor-sim.sqlite3"));
    config.addr = ([127, 0, 0, 1], port).into();
    config.token = Some("not-the-sandbox-token".into());
    let sim = Simulator::start(config).await.expect("simulator");
    let url = format!("http://127.0.0.1:{port}");
    let app = launch_with(
        data.path(),
        &[("FRONTLINE_SANDBOX", "1"), ("FRONTLINE_SANDBOX_URL", &url)],
    )
    .await;
    app.wait_text("[data-testid=sync-status]", "Sync paused")
        .await;
    app.wait_text(
        "[data-testid=sync-status]",
        "the vendor answered 401: Couldn't authenticate you.",
    )
    .await;
    app.screenshot("sync-refused-token").await;
    let logs = data.path().join("logs");
    let start = std::time::Instant::now();
    loop {
        let text: String = std::fs::read_dir(&logs)
            .into_iter()
            .flatten()
            .flatten()
            .filter_map(|e| std::fs::read_to_string(e.path()).ok())
            .collect();
        if text.contains("the vendor answered 401: Couldn't authenticate you") {
            break;
        }
        assert!(
            start.elapsed() < std::time::Duration::from_secs(30),
            "the log never gave the reason: {text}"
        );
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    app.close().await;
    sim.stop().await;
}

/// The sandbox speaking Freshdesk: the Vendor connection page switches the helpdesk to
/// Freshdesk, an escalation gets its Freshdesk ticket number back, and the simulated vendor's
/// reply shows on the issue.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn freshdesk_sandbox_escalation_gets_its_ticket_and_the_vendors_reply() {
    let data = tempfile::tempdir().expect("temp dir");
    seed(data.path());
    let port = free_port();
    let mut config = Config::new(data.path().join("vendor-sim.sqlite3"));
    config.addr = ([127, 0, 0, 1], port).into();
    config.flavour = Flavour::Freshdesk;
    config.token = Some("sandbox".into());
    config.auto_reply = Some(std::time::Duration::from_secs(1));
    let sim = Simulator::start(config).await.expect("simulator");
    let url = format!("http://127.0.0.1:{port}");
    let app = launch_with(
        data.path(),
        &[("FRONTLINE_SANDBOX", "1"), ("FRONTLINE_SANDBOX_URL", &url)],
    )
    .await;

    app.click_button("Vendor connection").await;
    app.wait("#vendor-kind")
        .await
        .select_by_value("freshdesk")
        .await
        .expect("choose Freshdesk");
    app.click_button("Save and connect").await;
    app.wait_text("body", "answers like Freshdesk").await;
    app.screenshot("vendor-connection-freshdesk").await;

    app.click_button("Issue queue").await;
    app.open_issue("FL-1001", "Invoice export fails").await;
    app.click_button("Escalate to vendor").await;
    app.wait_text("[data-testid=vendor-ticket]", "#1").await;
    app.wait_text("[data-testid=timeline]", "Vendor ticket #1 created")
        .await;
    app.wait_text(
        "[data-testid=timeline]",
        "Dana Whitfield (Vendor Support) (vendor): Thanks for the detailed report",
    )
    .await;
    app.screenshot("freshdesk-vendor-replied").await;
    let (tickets, files): (i64, i64) = sim
        .query(|c| {
            c.query_row(
                "SELECT (SELECT count(*) FROM tickets), (SELECT count(*) FROM uploads WHERE file_name = 'error.png')",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
        })
        .expect("count");
    assert_eq!(
        (tickets, files),
        (1, 1),
        "one Freshdesk ticket, its screenshot on a reply"
    );

    // "Test connection" on the real form says what is wrong in plain words, then who we are.
    app.click_button("Vendor connection").await;
    app.wait("#vendor-kind").await;
    let sandbox = app.wait("input[type=checkbox]").await;
    sandbox
        .click()
        .await
        .expect("untick the sandbox on the form");
    app.type_into("vendor-address", &url).await;
    app.type_into("vendor-email", "desk@partner.example").await;
    app.type_into("vendor-secret", "a-key-someone-revoked")
        .await;
    app.click_button("Test connection").await;
    app.wait_text(
        "[data-testid=vendor-test-result]",
        "Freshdesk did not accept the API key",
    )
    .await;
    app.screenshot("vendor-connection-freshdesk-test").await;
    let secret = app.wait("#vendor-secret").await;
    secret.clear().await.expect("clear the key");
    app.type_into("vendor-secret", "sandbox").await;
    app.click_button("Test connection").await;
    app.wait_text(
        "[data-testid=vendor-test-result]",
        "Connected to Freshdesk as Partner support desk",
    )
    .await;
    app.close().await;
    sim.stop().await;
}
