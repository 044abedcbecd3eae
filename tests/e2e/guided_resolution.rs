//! Guided first-line resolution: suggestions while typing, the article reader, and "this
//! solved it" resolving the issue at the first line, each step in the timeline.
use crate::harness::launch;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn guided_resolution_article_solves_it_at_first_line() {
    let data = tempfile::tempdir().expect("temp dir");
    let app = launch(data.path()).await;
    app.wait_text("h1", "Issue queue").await;

    app.press("n").await;
    app.click_button("New client").await;
    app.type_into("client-name", "Contoso Pharma").await;
    app.click_button("Add client").await;
    app.type_into("issue-title", "client can't log in after password reset")
        .await;
    // The password article is suggested while typing, with the matched words highlighted.
    let panel = app
        .wait_text(
            "[data-testid=suggestions]",
            "Password reset link sends the user back",
        )
        .await;
    let marked = panel
        .find(fantoccini::Locator::Css("mark"))
        .await
        .expect("a highlighted word");
    assert!(!marked.text().await.expect("text").is_empty());
    app.screenshot("suggestions-while-typing").await;

    app.type_into(
        "issue-description",
        "The reset link brings them back to the sign-in page.",
    )
    .await;
    app.wait("#issue-category")
        .await
        .select_by_value("login")
        .await
        .expect("category");
    app.wait("#issue-impact")
        .await
        .select_by_value("one_user")
        .await
        .expect("impact");
    app.click_button("Medium").await;
    app.click_button("Create issue").await;
    app.wait_text("[data-testid=issue-key]", "FL-1001").await;

    // The log-in playbook is on the issue page; do its first step.
    app.wait_text("[data-testid=playbook]", "Log-in and passwords")
        .await;
    app.click_button("Done").await;
    app.wait_text(
        "[data-testid=timeline]",
        "Step done: Find out exactly what the user sees",
    )
    .await;
    app.wait_text("[data-testid=readiness]", "Playbook steps")
        .await;

    // On the issue page: open the article, read it, say it solved the problem.
    app.click_button("Password reset link sends the user back")
        .await;
    app.wait_text(".reader", "open it once").await;
    app.wait_text("[data-testid=timeline]", "Opened the article")
        .await;
    app.screenshot("article-reader").await;
    app.click_button("This solved it").await;
    app.wait_text("[data-testid=timeline]", "solved it").await;
    app.wait_text("[data-testid=timeline]", "Resolved at first line")
        .await;
    app.wait_text(".badge.status", "Resolved").await;
    app.screenshot("resolved-at-first-line").await;
    app.close().await;
}
