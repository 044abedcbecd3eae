//! The team hub connection and its state. Nothing here waits on the hub except "Test
//! connection"; the worker does the rest.
use std::sync::Arc;

use frontline_core::model::IssueDetail;
use frontline_core::team_connection::{HubConnection, HubSettings, HubStatus};
use frontline_core::{ErrorCode, Failure};
use tauri::{AppHandle, State};

use super::{delegate, AppState};
use crate::hub::HubWorker;

#[tauri::command]
pub async fn hub_status(
    state: State<'_, AppState>,
    hub: State<'_, Arc<HubWorker>>,
) -> Result<HubStatus, Failure> {
    let hub = hub.inner().clone();
    super::blocking(&state, "hub_status", move |core| Ok(hub.status(core))).await
}

#[tauri::command]
pub async fn hub_sync_now(hub: State<'_, Arc<HubWorker>>) -> Result<(), Failure> {
    hub.wake();
    Ok(())
}

#[tauri::command]
pub async fn get_hub_connection(
    state: State<'_, AppState>,
    hub: State<'_, Arc<HubWorker>>,
) -> Result<HubConnection, Failure> {
    let hub = hub.inner().clone();
    delegate(&state, "get_hub_connection", move |core| {
        hub.connection(core)
    })
    .await
}

#[tauri::command]
pub async fn save_hub_connection(
    app: AppHandle,
    state: State<'_, AppState>,
    hub: State<'_, Arc<HubWorker>>,
    settings: HubSettings,
    password: Option<String>,
) -> Result<HubConnection, Failure> {
    let core = state.shared()?;
    hub.inner()
        .save(app, core, settings, password)
        .await
        .map_err(|e| {
            tracing::warn!(error = %e, "saving the team hub connection failed");
            Failure::from(e)
        })
}

/// "Test connection": who the hub says this is, or what is wrong, in words.
#[tauri::command]
pub async fn test_hub_connection(
    hub: State<'_, Arc<HubWorker>>,
    settings: HubSettings,
    password: Option<String>,
) -> Result<String, Failure> {
    hub.test(&settings, password).await.map_err(|e| {
        tracing::warn!(error = %e, "team hub connection test failed");
        Failure {
            code: ErrorCode::Unavailable,
            message: e.to_string(),
            field: None,
        }
    })
}

/// A lead shares this desktop's team profile (team file, ladder, client-update template).
#[tauri::command]
pub async fn publish_team_profile(state: State<'_, AppState>) -> Result<(), Failure> {
    delegate(&state, "publish_team_profile", move |core| {
        core.publish_team_profile()
    })
    .await
}

/// Sends a change the team hub refused again; the issue as it reads now.
#[tauri::command]
pub async fn retry_team_event(
    state: State<'_, AppState>,
    issue_id: String,
    event: String,
) -> Result<IssueDetail, Failure> {
    delegate(&state, "retry_team_event", move |core| {
        core.retry_team_event(&event)?;
        core.issue(&issue_id)
    })
    .await
}

/// Lets a change the team hub refused go (it stays on the timeline, marked).
#[tauri::command]
pub async fn discard_team_event(
    state: State<'_, AppState>,
    issue_id: String,
    event: String,
) -> Result<IssueDetail, Failure> {
    delegate(&state, "discard_team_event", move |core| {
        core.discard_team_event(&event)?;
        core.issue(&issue_id)
    })
    .await
}
