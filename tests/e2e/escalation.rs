//! The escalation ladder in the real app (sandbox mode, four-rung preset): escalate, chase,
//! go up a rung, chase again, go up another; the simulator's ticket carries each request.
use std::time::{Duration, Instant};

use frontline_vendor_sim::{Config, Simulator};

use crate::harness::{free_port, launch_with};
use crate::sync::seed;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn escalation_up_two_rungs_with_a_chase_in_between() {
    let data = tempfile::tempdir().expect("temp dir");
    seed(data.path());
    let port = free_port();
    let url = format!("http://127.0.0.1:{port}");
    let mut config = Config::new(data.path().join("vendor-sim.sqlite3"));
    config.addr = ([127, 0, 0, 1], port).into();
    config.token = Some("sandbox".into());
    let sim = Simulator::start(config).await.expect("simulator");
    let app = launch_with(
        data.path(),
        &[("FRONTLINE_SANDBOX", "1"), ("FRONTLINE_SANDBOX_URL", &url)],
    )
    .await;
    app.open_issue("FL-1001", "Invoice export fails").await;
    app.click_button("Escalate to vendor").await;
    app.wait_text("[data-testid=vendor-ticket]", "#1").await;
    app.wait_text("[data-testid=ladder]", "Product support team")
        .await;

    for (chases, (rung, why)) in [
        (
            "1st escalation",
            "No answer in two days; the client cannot export invoices.",
        ),
        (
            "2nd escalation",
            "The regional lead's workaround did not help.",
        ),
    ]
    .into_iter()
    .enumerate()
    .map(|(i, step)| (i + 1, step))
    {
        // The ladder asks for a chase first.
        app.wait_text("[data-testid=ladder-blocked]", "Chase the ticket")
            .await;
        app.click_button("Chase for an update").await;
        // This chase, not the one before it (the first chase's line matched at once), and sent:
        // the vendor panel above the ladder lists a queued message and drops it once it is
        // sent, which moves the ladder's buttons; a click as they moved was lost.
        app.wait_text_times(
            "[data-testid=timeline]",
            "Chased the vendor for an update",
            chases,
        )
        .await;
        app.wait_gone("[data-testid=outbox]").await;
        app.type_into("climb-reason", why).await;
        app.click_button(&format!("Request {rung}")).await;
        app.wait_text(
            "[data-testid=timeline]",
            &format!("Asked the vendor for “{rung}"),
        )
        .await;
    }
    app.wait_text("[data-testid=next-rung]", "3rd escalation")
        .await;
    app.screenshot("escalation-ladder").await;

    // The vendor's ticket carries both chases and both requests, once each.
    let started = Instant::now();
    loop {
        let (requests, chases): (i64, i64) = sim
            .query(|c| {
                c.query_row(
                    "SELECT (SELECT count(*) FROM comments WHERE ticket_id = 1 AND body LIKE 'Escalation request — %'),
                            (SELECT count(*) FROM comments WHERE ticket_id = 1 AND body LIKE 'Could you give us an update%')",
                    [],
                    |r| Ok((r.get(0)?, r.get(1)?)),
                )
            })
            .expect("count");
        if (requests, chases) == (2, 2) {
            break;
        }
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "the ticket has {requests} requests and {chases} chases"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    // The escalation is on the desk, with its rung and its clock.
    app.click_button("Escalations").await;
    app.wait_text("[data-testid=desk]", "2nd escalation").await;
    app.screenshot("escalations-desk").await;
    app.close().await;
    sim.stop().await;
}
