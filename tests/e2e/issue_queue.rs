//! The foundation's flow: add a client, log issues through the form, find them in the queue,
//! search, crash the app, and find everything (including a half-typed draft) after a restart.
use fantoccini::Locator;

use std::sync::Arc;

use frontline_core::{demo, Frontline, Settings, SystemClock};

use crate::harness::{launch, App};

async fn fill_issue(
    app: &App,
    client: &str,
    title: &str,
    description: &str,
    category: &str,
    impact: &str,
    urgency: &str,
) {
    app.wait("#issue-title").await;
    app.wait("#issue-client_id")
        .await
        .select_by_label(client)
        .await
        .expect("pick client");
    app.type_into("issue-title", title).await;
    app.type_into("issue-description", description).await;
    app.type_into(
        "issue-steps",
        "1. Open the sign-in page\u{e007}2. Use the reset link",
    )
    .await;
    app.wait("#issue-category")
        .await
        .select_by_value(category)
        .await
        .expect("category");
    app.wait("#issue-impact")
        .await
        .select_by_value(impact)
        .await
        .expect("impact");
    app.click_button(urgency).await;
    app.type_into("issue-affected_users", "14").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn issue_queue_survives_a_crash_with_issues_and_draft() {
    let data = tempfile::tempdir().expect("temp dir");
    let app = launch(data.path()).await;
    app.wait_text("h1", "Issue queue").await;

    // A client, added from the clients list.
    app.click_button("Clients").await;
    app.click_button("New client").await;
    app.type_into("client-name", "Northwind Traders").await;
    app.type_into("client-contact", "Ana Trujillo, +44 20 7946 0000")
        .await;
    app.click_button("Add client").await;
    app.wait_text(".table", "Northwind Traders").await;

    // An issue through the form, opened with the `n` shortcut. Pressing Create on the empty
    // form first shows the inline errors and writes nothing.
    app.press("n").await;
    app.wait_text("h1", "New issue").await;
    app.click_button("Create issue").await;
    app.wait_text("#issue-title-error", "title").await;
    fill_issue(
        &app,
        "Northwind Traders",
        "Client can't log in after password reset",
        "Since this morning the reset link sends them back to the sign-in page.",
        "login",
        "several_users",
        "High",
    )
    .await;
    app.wait_text(
        "[data-testid=priority-preview]",
        "High urgency × Several users → P2",
    )
    .await;
    app.screenshot("new-issue-form").await;
    app.click_button("Create issue").await;
    app.wait_text("[data-testid=issue-key]", "FL-1001").await;
    app.wait_text(
        "[data-testid=issue-title]",
        "Client can't log in after password reset",
    )
    .await;
    app.wait_text("[data-testid=timeline]", "Issue logged")
        .await;

    // Paste a screenshot onto the issue page, as an agent does with Ctrl+V: a real PNG drawn
    // on a canvas, delivered in a paste event's clipboard data.
    app.client
        .execute_async(
            r##"const done = arguments[arguments.length - 1];
               const canvas = document.createElement("canvas");
               canvas.width = 320; canvas.height = 180;
               const g = canvas.getContext("2d");
               g.fillStyle = "#2454d6"; g.fillRect(0, 0, 320, 180);
               g.fillStyle = "#fff"; g.fillRect(20, 20, 200, 30);
               canvas.toBlob((blob) => {
                 const data = new DataTransfer();
                 data.items.add(new File([blob], "image.png", { type: "image/png" }));
                 const event = new ClipboardEvent("paste", { clipboardData: data, bubbles: true, cancelable: true });
                 document.querySelector("[data-testid=timeline]").dispatchEvent(event);
                 done(true);
               }, "image/png");"##,
            vec![],
        )
        .await
        .expect("paste a screenshot");
    app.wait_text("[data-testid=timeline]", "Attached screenshot-")
        .await;
    let name = app
        .wait("[data-testid=attachments] .link-button")
        .await
        .attr("title")
        .await
        .expect("title");
    assert!(
        name.is_some_and(|n| n.starts_with("screenshot-") && n.ends_with(".png")),
        "a pasted image gets a screenshot name"
    );
    // The preview loads from the attachment store through the asset protocol, under the CSP.
    let started = std::time::Instant::now();
    loop {
        let width = app
            .client
            .execute("const i = document.querySelector('[data-testid=attachments] img'); return i ? i.naturalWidth : 0;", vec![])
            .await
            .expect("read preview");
        if width.as_u64() == Some(320) {
            break;
        }
        assert!(
            started.elapsed().as_secs() < 10,
            "the screenshot preview did not load (width {width})"
        );
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    app.screenshot("issue-page").await;

    // A second one, so the search has something to leave out.
    app.press("n").await;
    fill_issue(
        &app,
        "Northwind Traders",
        "Monthly sales report totals look wrong",
        "The March totals differ from the export by a few hundred.",
        "reports",
        "whole_client",
        "Medium",
    )
    .await;
    app.click_button("Create issue").await;
    app.wait_text("[data-testid=issue-key]", "FL-1002").await;

    // Back to the queue with Esc: both are there, P2s first by priority.
    app.press("\u{e00c}").await; // Escape
    app.wait_text("[data-testid=queue-count]", "2 issues").await;
    app.wait("[data-issue-key='FL-1001']").await;
    app.wait("[data-issue-key='FL-1002']").await;

    // `/` focuses the search; a loosely typed word finds the first issue only.
    app.press("/").await;
    let search = app.client.active_element().await.expect("focused");
    assert_eq!(
        search.attr("aria-label").await.expect("attr").as_deref(),
        Some("Search issues")
    );
    search.send_keys("passw").await.expect("type search");
    app.wait_text("[data-testid=queue-count]", "1 issue").await;
    let rows = app
        .client
        .find_all(Locator::Css(".queue-row[data-issue-key]"))
        .await
        .expect("rows");
    assert_eq!(rows.len(), 1);
    assert_eq!(
        rows[0]
            .attr("data-issue-key")
            .await
            .expect("key")
            .as_deref(),
        Some("FL-1001")
    );
    // The client's name is searched too.
    search.clear().await.expect("clear");
    search.send_keys("northwind").await.expect("type search");
    app.wait_text("[data-testid=queue-count]", "2 issues").await;
    app.screenshot("queue").await;

    // Start a third issue and stop halfway; wait until the form says the draft is saved.
    app.press("n").await;
    app.type_into("issue-title", "Export to CSV fails for large date ranges")
        .await;
    app.type_into("issue-description", "Half typed when the laptop died")
        .await;
    app.wait_text("[data-testid=draft-status]", "Draft saved")
        .await;

    // Crash: SIGKILL, no goodbye. Then start again on the same data.
    app.kill().await;
    let app = launch(data.path()).await;
    app.wait_text("[data-testid=queue-count]", "2 issues").await;
    app.wait("[data-issue-key='FL-1001']").await;
    app.press("n").await;
    let title = app.wait("#issue-title").await;
    let started = std::time::Instant::now();
    loop {
        let value = title
            .prop("value")
            .await
            .expect("value")
            .unwrap_or_default();
        if value == "Export to CSV fails for large date ranges" {
            break;
        }
        assert!(
            started.elapsed().as_secs() < 10,
            "the draft did not come back; title reads {value:?}"
        );
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    let description = app
        .wait("#issue-description")
        .await
        .prop("value")
        .await
        .expect("value");
    assert_eq!(
        description.as_deref(),
        Some("Half typed when the laptop died")
    );
    app.close().await;
}

/// The first frame shows the top of the list before the virtualiser has measured anything; a
/// scroll made on that frame, before the virtualiser takes over, stays where it went, and the
/// list scrolls to its last row, fetched from a page past the first.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn issue_queue_scrolls_from_the_first_frame_to_the_last_of_many_issues() {
    let data = tempfile::tempdir().expect("temp dir");
    {
        let core = Frontline::open(Settings::for_dir(data.path()), Arc::new(SystemClock))
            .expect("open the cache");
        let clients: Vec<_> = demo::clients(5)
            .into_iter()
            .map(|c| core.create_client(c).expect("add a client"))
            .collect();
        core.import_issues(demo::issues(&clients, 1_500, 7))
            .expect("import the issues");
    }
    let app = launch(data.path()).await;
    // Scrolled to the end as the first rows come in (a mutation observer runs before the
    // frame, so before the virtualiser starts), or at once if they are there already.
    let rows: i64 = app
        .client
        .execute_async(
            "const done = arguments[arguments.length - 1]; \
             const first = () => document.querySelector(\".queue-row[aria-rowindex='2']\"); \
             const scroll = () => { const s = document.querySelector('#root .queue-scroll'); \
               s.scrollTop = s.scrollHeight; \
               done(Number(document.querySelector('[role=grid]').getAttribute('aria-rowcount'))); }; \
             if (first()) { scroll(); } else { new MutationObserver((_, o) => { \
               if (first()) { o.disconnect(); scroll(); } }).observe(document.body, \
               { childList: true, subtree: true }); }",
            vec![],
        )
        .await
        .expect("scroll the queue to its end")
        .as_i64()
        .expect("the grid counts its rows");
    assert!(rows > 300, "most of the 1,500 issues are open: {rows} rows");
    // Skeleton rows carry no row index: this is the last issue itself, with its key.
    let last = app
        .wait(&format!(".queue-row[aria-rowindex='{rows}']"))
        .await;
    let text = last.text().await.expect("the last row's text");
    assert!(
        text.contains("FL-"),
        "the last row shows its issue: {text:?}"
    );
    app.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn issue_queue_damaged_database_shows_what_to_do() {
    let data = tempfile::tempdir().expect("temp dir");
    let garbage = b"this is not a database, it is a text file that someone renamed".repeat(100);
    std::fs::write(data.path().join("frontline.db"), &garbage).expect("write garbage");
    let app = launch(data.path()).await;
    let screen = app.wait_text("[data-testid=error-screen]", "damaged").await;
    let text = screen.text().await.expect("text");
    assert!(
        text.contains("move the file aside"),
        "the screen says what to do: {text}"
    );
    app.screenshot("error-screen").await;
    app.close().await;
    assert_eq!(
        std::fs::read(data.path().join("frontline.db")).expect("read"),
        garbage,
        "the file is untouched"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn issue_queue_a_malformed_team_file_is_named_on_the_start_screen() {
    let data = tempfile::tempdir().expect("temp dir");
    let bundled = frontline_core::ladder::BUNDLED_TEAM;
    std::fs::write(
        data.path().join("team.toml"),
        bundled.replace("leads = []", "leads = [dana]"),
    )
    .expect("write the team file");
    let app = launch(data.path()).await;
    let screen = app
        .wait_text("[data-testid=error-screen]", "team.toml")
        .await;
    let text = screen.text().await.expect("text");
    assert!(
        text.contains("A settings file needs fixing") && text.contains("leads = [dana]"),
        "the screen names the file, the line and the field: {text}"
    );
    assert!(!text.contains("Something went wrong"), "{text}");
    app.screenshot("error-screen-team-file").await;
    app.close().await;
}
