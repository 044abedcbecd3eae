use frontline_core::kb::{Article, ArticleHit};
use frontline_core::model::IssueDetail;
use frontline_core::playbooks::Playbook;
use frontline_core::Failure;
use tauri::State;

use super::{delegate, AppState};

/// How many suggestions the panel shows.
const SUGGESTIONS: usize = 5;

#[tauri::command]
pub async fn suggest_articles(
    state: State<'_, AppState>,
    text: String,
) -> Result<Vec<ArticleHit>, Failure> {
    delegate(&state, "suggest_articles", move |core| {
        core.suggest_articles(&text, SUGGESTIONS)
    })
    .await
}

#[tauri::command]
pub async fn get_article(state: State<'_, AppState>, id: String) -> Result<Article, Failure> {
    delegate(&state, "get_article", move |core| core.article(&id)).await
}

#[tauri::command]
pub async fn record_article_opened(
    state: State<'_, AppState>,
    issue_id: String,
    article_id: String,
) -> Result<IssueDetail, Failure> {
    delegate(&state, "record_article_opened", move |core| {
        core.record_article_opened(&issue_id, &article_id)
    })
    .await
}

#[tauri::command]
pub async fn record_article_verdict(
    state: State<'_, AppState>,
    issue_id: String,
    article_id: String,
    helped: bool,
) -> Result<IssueDetail, Failure> {
    delegate(&state, "record_article_verdict", move |core| {
        core.record_article_verdict(&issue_id, &article_id, helped)
    })
    .await
}

#[tauri::command]
pub async fn record_step(
    state: State<'_, AppState>,
    issue_id: String,
    step_id: String,
    done: bool,
    reason: String,
) -> Result<IssueDetail, Failure> {
    delegate(&state, "record_step", move |core| {
        core.record_step(&issue_id, &step_id, done, &reason)
    })
    .await
}

#[tauri::command]
pub async fn waive_screenshot(
    state: State<'_, AppState>,
    issue_id: String,
    reason: String,
) -> Result<IssueDetail, Failure> {
    delegate(&state, "waive_screenshot", move |core| {
        core.waive_screenshot(&issue_id, &reason)
    })
    .await
}

#[tauri::command]
pub async fn get_playbook(
    state: State<'_, AppState>,
    category: String,
) -> Result<Option<Playbook>, Failure> {
    Ok(state.core()?.playbook(&category))
}
