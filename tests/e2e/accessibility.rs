//! Accessibility in the real window: axe-core (the engine behind most accessibility checkers)
//! runs on the queue, the new-issue form (empty, then with its inline errors), an issue and the
//! Escalations desk, in light and dark; no serious or critical violation is allowed.
use serde_json::Value;

use std::sync::Arc;

use frontline_core::{Frontline, Settings, SystemClock};

use crate::harness::{launch_with, App};
use crate::sync::log_invoice_issue;

/// The invoice issue, and a second one escalated (queued for the vendor): the desk has a row.
fn seed_with_escalation(dir: &std::path::Path) {
    let app = Frontline::open(Settings::for_dir(dir), Arc::new(SystemClock)).expect("cache");
    let id = log_invoice_issue(&app);
    app.attach_bytes(&id, "error.png", b"\x89PNG\r\n\x1a\n pretend")
        .expect("screenshot");
    app.escalate(&id, "The client cannot invoice this month.")
        .expect("escalate");
}

/// axe-core as npm installed it (`make node-deps`).
fn axe_source() -> String {
    let path =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("node_modules/axe-core/axe.min.js");
    std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{}: {e} (run `make node-deps`)", path.display()))
}

/// Runs axe on the page as it is and returns the serious and critical violations, each as
/// "rule: what is wrong — the elements".
async fn violations(app: &App, axe: &str) -> Vec<String> {
    app.client
        .execute(axe, vec![])
        .await
        .expect("load axe-core into the page");
    let result = app
        .client
        .execute_async(
            "const done = arguments[arguments.length - 1];
             axe.run(document, { resultTypes: ['violations'] })
                .then((r) => done(JSON.stringify(r.violations)))
                .catch((e) => done(JSON.stringify([{ id: 'axe-failed', impact: 'critical', help: String(e), nodes: [] }])));",
            vec![],
        )
        .await
        .expect("axe.run");
    let list: Vec<Value> = serde_json::from_str(result.as_str().unwrap_or("[]")).expect("axe JSON");
    list.iter()
        .filter(|v| matches!(v["impact"].as_str(), Some("serious" | "critical")))
        .map(|v| {
            let targets: Vec<String> = v["nodes"]
                .as_array()
                .map(|nodes| {
                    nodes
                        .iter()
                        .take(4)
                        .map(|n| n["target"].to_string())
                        .collect()
                })
                .unwrap_or_default();
            format!(
                "{} ({}): {} — {}",
                v["id"].as_str().unwrap_or("?"),
                v["impact"].as_str().unwrap_or("?"),
                v["help"].as_str().unwrap_or(""),
                targets.join(", ")
            )
        })
        .collect()
}

async fn check(app: &App, axe: &str, screen: &str, found: &mut Vec<String>) {
    let theme = app
        .client
        .execute(
            "return matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light'",
            vec![],
        )
        .await
        .expect("colour scheme");
    let name = format!("a11y-{screen}-{}", theme.as_str().unwrap_or("?")).replace(' ', "-");
    app.screenshot(&name).await;
    for v in violations(app, axe).await {
        found.push(format!("{screen} ({}): {v}", theme.as_str().unwrap_or("?")));
    }
}

async fn walk(app: &App, axe: &str, found: &mut Vec<String>) {
    app.wait_text(".queue-row", "FL-1001").await;
    check(app, axe, "queue", found).await;

    app.press("n").await;
    app.wait_text("h1", "New issue").await;
    check(app, axe, "new-issue form", found).await;
    app.click_button("Create issue").await;
    app.wait_text("#issue-title-error", "title").await;
    check(app, axe, "new-issue form with its errors", found).await;
    // Each invalid field names its error for a screen reader.
    let described: Value = app
        .client
        .execute(
            "const f = document.getElementById('issue-title');
             return [f.getAttribute('aria-invalid'), f.getAttribute('aria-describedby')];",
            vec![],
        )
        .await
        .expect("field attributes");
    assert_eq!(described, serde_json::json!(["true", "issue-title-error"]));
    app.press("\u{e00c}").await; // Escape: back to the queue

    app.open_issue("FL-1001", "Invoice export fails").await;
    check(app, axe, "issue page", found).await;

    app.click_button("Escalations").await;
    app.wait_text("[data-testid=desk]", "Invoice export fails")
        .await;
    check(app, axe, "Escalations desk", found).await;
}

async fn dark_scheme(app: &App) -> Value {
    app.client
        .execute(
            "return matchMedia('(prefers-color-scheme: dark)').matches",
            vec![],
        )
        .await
        .expect("colour scheme")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn accessibility_axe_finds_nothing_serious_on_the_main_screens() {
    let axe = axe_source();
    let mut found = Vec::new();
    let data = tempfile::tempdir().expect("temp dir");
    seed_with_escalation(data.path());
    let app = launch_with(data.path(), &[("GTK_THEME", "Adwaita")]).await;
    assert_eq!(
        dark_scheme(&app).await,
        Value::Bool(false),
        "the light run is light"
    );
    walk(&app, &axe, &mut found).await;
    app.close().await;

    // Dark theme: contrast is checked again with the other palette.
    let dark = tempfile::tempdir().expect("temp dir");
    seed_with_escalation(dark.path());
    let app = launch_with(dark.path(), &[("GTK_THEME", "Adwaita:dark")]).await;
    assert_eq!(
        dark_scheme(&app).await,
        Value::Bool(true),
        "the dark run is dark"
    );
    walk(&app, &axe, &mut found).await;
    app.close().await;

    assert!(
        found.is_empty(),
        "axe-core found {} serious or critical problems:\n{}",
        found.len(),
        found.join("\n")
    );
}
