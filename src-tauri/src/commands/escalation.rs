//! The escalation ladder: climbing, chasing, the lead's powers. Each queues work in the outbox
//! through `frontline-core` (which enforces the ladder's rules and the roles) and wakes sync.
use std::sync::Arc;

use frontline_core::escalation::{CriticalReason, TeamInfo};
use frontline_core::model::IssueDetail;
use frontline_core::Failure;
use tauri::State;

use super::{delegate, delegate_and_send, AppState};
use crate::files::{Access, FileGrants};
use crate::sync::VendorSync;

#[tauri::command]
pub async fn team_info(state: State<'_, AppState>) -> Result<TeamInfo, Failure> {
    delegate(&state, "team_info", move |core| Ok(core.team())).await
}

#[tauri::command]
pub async fn climb_ladder(
    state: State<'_, AppState>,
    sync: State<'_, Arc<VendorSync>>,
    id: String,
    reason: String,
) -> Result<IssueDetail, Failure> {
    delegate_and_send(&state, &sync, "climb_ladder", move |core| {
        core.climb(&id, &reason)
    })
    .await
}

#[tauri::command]
pub async fn chase_vendor(
    state: State<'_, AppState>,
    sync: State<'_, Arc<VendorSync>>,
    id: String,
    note: String,
) -> Result<IssueDetail, Failure> {
    delegate_and_send(&state, &sync, "chase_vendor", move |core| {
        core.chase(&id, &note)
    })
    .await
}

#[tauri::command]
pub async fn flag_critical(
    state: State<'_, AppState>,
    sync: State<'_, Arc<VendorSync>>,
    id: String,
    reason: CriticalReason,
) -> Result<IssueDetail, Failure> {
    let d = delegate(&state, "flag_critical", move |core| {
        core.flag_critical(&id, reason)
    })
    .await?;
    if let Ok(core) = state.core() {
        sync.notify(core.critical_notice(&d));
    }
    sync.wake();
    Ok(d)
}

#[tauri::command]
pub async fn override_priority(
    state: State<'_, AppState>,
    id: String,
    priority: String,
    reason: String,
) -> Result<IssueDetail, Failure> {
    delegate(&state, "override_priority", move |core| {
        core.override_priority(&id, &priority, &reason)
    })
    .await
}

#[tauri::command]
pub async fn request_review(
    state: State<'_, AppState>,
    id: String,
    note: String,
) -> Result<IssueDetail, Failure> {
    delegate(&state, "request_review", move |core| {
        core.request_review(&id, &note)
    })
    .await
}

#[tauri::command]
pub async fn get_desk(state: State<'_, AppState>) -> Result<frontline_core::desk::Desk, Failure> {
    delegate(&state, "get_desk", move |core| core.desk()).await
}

#[tauri::command]
pub async fn inform_client(
    state: State<'_, AppState>,
    id: String,
    text: String,
) -> Result<IssueDetail, Failure> {
    delegate(&state, "inform_client", move |core| {
        core.inform_client(&id, &text)
    })
    .await
}

#[tauri::command]
pub async fn link_incident(
    state: State<'_, AppState>,
    sync: State<'_, Arc<VendorSync>>,
    issue_ids: Vec<String>,
    title: String,
) -> Result<String, Failure> {
    delegate_and_send(&state, &sync, "link_incident", move |core| {
        core.link_incident(&issue_ids, &title)
    })
    .await
}

#[tauri::command]
pub async fn get_ladder_text(state: State<'_, AppState>) -> Result<String, Failure> {
    delegate(&state, "get_ladder_text", move |core| core.ladder_text()).await
}

#[tauri::command]
pub async fn save_ladder(
    state: State<'_, AppState>,
    text: String,
) -> Result<frontline_core::ladder::Ladder, Failure> {
    delegate(&state, "save_ladder", move |core| core.save_ladder(&text)).await
}

/// Imports the ladder file just chosen in the app's file dialog (no other path).
#[tauri::command]
pub async fn import_ladder(
    state: State<'_, AppState>,
    grants: State<'_, FileGrants>,
    path: String,
) -> Result<frontline_core::ladder::Ladder, Failure> {
    let path = grants.take(&path, Access::Read)?;
    delegate(&state, "import_ladder", move |core| {
        core.import_ladder(&path)
    })
    .await
}

/// Writes the ladder in use where the person just chose in the app's save dialog (no other path).
#[tauri::command]
pub async fn export_ladder(
    state: State<'_, AppState>,
    grants: State<'_, FileGrants>,
    path: String,
) -> Result<(), Failure> {
    let path = grants.take(&path, Access::Write)?;
    delegate(&state, "export_ladder", move |core| {
        core.export_ladder(&path)
    })
    .await
}
