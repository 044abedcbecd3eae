use frontline_core::model::{IssueDetail, IssuePage, IssueQuery, NewIssue};
use frontline_core::Failure;
use tauri::State;

use super::{delegate, AppState};

#[tauri::command]
pub async fn create_issue(
    state: State<'_, AppState>,
    new: NewIssue,
) -> Result<IssueDetail, Failure> {
    delegate(&state, "create_issue", move |core| core.create_issue(new)).await
}

#[tauri::command]
pub async fn get_issue(state: State<'_, AppState>, id: String) -> Result<IssueDetail, Failure> {
    delegate(&state, "get_issue", move |core| core.issue(&id)).await
}

#[tauri::command]
pub async fn list_issues(
    state: State<'_, AppState>,
    query: IssueQuery,
) -> Result<IssuePage, Failure> {
    delegate(&state, "list_issues", move |core| core.issues(&query)).await
}

#[tauri::command]
pub async fn change_status(
    state: State<'_, AppState>,
    id: String,
    to: String,
    note: String,
) -> Result<IssueDetail, Failure> {
    delegate(&state, "change_status", move |core| {
        core.change_status(&id, &to, &note)
    })
    .await
}

#[tauri::command]
pub async fn add_note(
    state: State<'_, AppState>,
    id: String,
    text: String,
) -> Result<IssueDetail, Failure> {
    delegate(&state, "add_note", move |core| core.add_note(&id, &text)).await
}
