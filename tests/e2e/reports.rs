//! The Reports page in the real window: a month of seeded work shows as figures and charts
//! drawn on canvas; a click on a bar opens the queue filtered to the issues behind it.
use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::Utc;
use fantoccini::actions::{InputSource, MouseActions, PointerAction, MOUSE_BUTTON_LEFT};
use fantoccini::Locator;
use frontline_core::model::{NewClient, NewIssue};
use frontline_core::{FixedClock, Frontline, Settings};

use crate::harness::launch;

/// Four weeks of a small team's work, logged through the core on a clock that walks from 20
/// days ago to an hour ago: first-line fixes, escalations, a vendor that answered one of them.
fn seed(dir: &std::path::Path) {
    let clock = Arc::new(FixedClock::new(Utc::now() - chrono::Duration::days(20)));
    let app = Frontline::open(Settings::for_dir(dir), clock.clone()).expect("cache");
    let clients: Vec<_> = ["Northwind Traders", "Contoso", "Fabrikam"]
        .iter()
        .map(|name| {
            app.create_client(NewClient {
                name: (*name).into(),
                contact: String::new(),
            })
            .expect("client")
        })
        .collect();
    for n in 0..12usize {
        let escalate = n % 4 == 0;
        let id = app
            .create_issue(NewIssue {
                client_id: clients[n % 3].id.clone(),
                title: format!("Report issue {n}"),
                description: "Seeded for the reports page.".into(),
                steps: "1. Open the app\n2. Sign in".into(),
                category: if escalate { "bug" } else { "login" }.into(),
                impact: "one_user".into(),
                urgency: "high".into(),
                affected_users: 1,
            })
            .expect("issue")
            .issue
            .id;
        clock.advance(chrono::Duration::hours(2));
        if escalate {
            app.attach_bytes(&id, "error.png", b"\x89PNG\r\n\x1a\n pretend")
                .expect("screenshot");
            app.escalate(&id, "").expect("escalate");
        } else if n % 4 != 1 {
            app.change_status(&id, "resolved", "Solved by phone")
                .expect("resolve");
        }
        clock.advance(chrono::Duration::hours(36));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reports_page_draws_its_charts_and_a_bar_opens_the_filtered_queue() {
    let data = tempfile::tempdir().expect("temp dir");
    seed(data.path());
    let app = launch(data.path()).await;
    app.wait(".queue-row").await;
    app.click_button("Reports").await;
    // 12 logged; 3 escalated (one per client); 6 of the 9 others resolved.
    app.wait_text("[data-testid=report-tiles]", "6 of 6 resolved")
        .await;
    app.wait_text("[data-testid=report-tiles]", "3 of 12 logged")
        .await;
    app.wait_text(
        "[data-testid=report-span]",
        "weeks start Monday, Europe/London",
    )
    .await;

    // Every chart is drawn with its data: the canvas says how many bars or points it shows.
    let logged = "[data-testid='chart-per-week.png']";
    let canvas = wait_drawn(&app, logged).await;
    let clients = wait_drawn(&app, "[data-testid='chart-clients.png']").await;
    let drawn: i64 = attribute(&clients, "data-drawn")
        .await
        .parse()
        .expect("a count");
    assert_eq!(
        drawn, 6,
        "three clients, logged and escalated bars for each"
    );
    // Not a timed test: the figure is printed for the benchmark note (goal ≤ 200 ms).
    for c in [&canvas, &clients] {
        println!(
            "chart drawn {} ms after its data arrived (first look)",
            attribute(c, "data-draw-ms").await
        );
    }
    app.screenshot("reports").await;
    assert!(
        attribute(&canvas, "data-drawn")
            .await
            .parse::<i64>()
            .expect("a count")
            >= 4
    );

    // A click on the first bar of the clients chart: that client's logged issues.
    let x: f64 = attribute(&clients, "data-pick-x").await.parse().expect("x");
    let y: f64 = attribute(&clients, "data-pick-y").await.parse().expect("y");
    let rect = app
        .client
        .execute(
            "arguments[0].scrollIntoView({ block: 'center' }); const r = arguments[0].getBoundingClientRect(); return [r.width, r.height];",
            vec![serde_json::to_value(&clients).expect("element")],
        )
        .await
        .expect("size");
    let (w, h) = (
        rect[0].as_f64().expect("width"),
        rect[1].as_f64().expect("height"),
    );
    app.screenshot("reports-charts").await;
    let click = MouseActions::new("mouse".into())
        .then(PointerAction::MoveToElement {
            element: clients.clone(),
            duration: None,
            x: (x - w / 2.0).round(),
            y: (y - h / 2.0).round(),
        })
        .then(PointerAction::Down {
            button: MOUSE_BUTTON_LEFT,
        })
        .then(PointerAction::Up {
            button: MOUSE_BUTTON_LEFT,
        });
    app.client
        .perform_actions(click)
        .await
        .expect("click the bar");
    app.wait_text("[data-testid=report-filter]", "From the report: Logged")
        .await;
    app.wait_text("[data-testid=queue-count]", "4 issues").await;
    let rows = app
        .client
        .find_all(Locator::Css(".queue-row"))
        .await
        .expect("rows");
    assert_eq!(rows.len(), 4, "only the issues behind the bar");
    app.screenshot("reports-queue").await;
    app.close().await;
}

async fn attribute(el: &fantoccini::elements::Element, name: &str) -> String {
    el.attr(name).await.expect("attribute").unwrap_or_default()
}

/// Waits until the chart on this canvas has been drawn with at least one bar or point.
async fn wait_drawn(app: &crate::harness::App, css: &str) -> fantoccini::elements::Element {
    let started = Instant::now();
    loop {
        let el = app.wait(css).await;
        let drawn: i64 = attribute(&el, "data-drawn").await.parse().unwrap_or(0);
        if drawn > 0 {
            return el;
        }
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "the chart {css} was never drawn"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// `frontline verify-pack FILE`, the installed binary's own check: exit 0 and "Intact" for a
/// pack as made, exit 1 naming the event for a pack changed by one byte, exit 2 for a file that
/// is not a pack.
#[test]
fn evidence_verify_pack_command_says_intact_or_names_the_changed_event() {
    let data = tempfile::tempdir().expect("temp dir");
    seed(data.path());
    let clock = Arc::new(FixedClock::new(Utc::now()));
    let app = Frontline::open(Settings::for_dir(data.path()), clock).expect("cache");
    let page = app
        .issues(&frontline_core::model::IssueQuery {
            statuses: vec![frontline_core::status::Status::Escalated],
            ..Default::default()
        })
        .expect("queue");
    let id = page.rows[0].id.clone();
    let (html, _) = app.evidence_pack(&[id], "FL-1001").expect("pack");
    let pack = data.path().join("pack.html");
    std::fs::write(&pack, &html).expect("write");
    let run = |file: &std::path::Path| {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_frontline"))
            .arg("verify-pack")
            .arg(file)
            .output()
            .expect("run frontline verify-pack");
        (
            out.status.code(),
            String::from_utf8_lossy(&out.stdout).into_owned()
                + &String::from_utf8_lossy(&out.stderr),
        )
    };
    let (code, said) = run(&pack);
    assert_eq!(code, Some(0), "{said}");
    assert!(said.contains("Intact: 1 issue"), "{said}");

    // One byte of the first event's data, inside the pack's JSON.
    let at = html.find("\"kind\": \"created\"").expect("the first event");
    let mut bytes = html.into_bytes();
    let priority = at
        + String::from_utf8_lossy(&bytes[at..])
            .find("priority")
            .expect("its data");
    bytes[priority] = b'P';
    std::fs::write(&pack, &bytes).expect("write");
    let (code, said) = run(&pack);
    assert_eq!(code, Some(1), "{said}");
    assert!(
        said.contains("Changed: event") && said.contains("created"),
        "{said}"
    );

    std::fs::write(&pack, "hello").expect("write");
    let (code, said) = run(&pack);
    assert_eq!(code, Some(2), "{said}");
    assert!(said.contains("not a Frontline evidence pack"), "{said}");
}
