//! Escalating to the vendor and the vendor connection. Commands only queue work in the
//! outbox and wake the sync worker; nothing here talks to the network.
use std::sync::Arc;

use frontline_core::model::IssueDetail;
use frontline_core::sync::connection::{VendorConnection, VendorSettings};
use frontline_core::sync::SyncStatus;
use frontline_core::Failure;
use tauri::{AppHandle, State};

use super::{delegate, delegate_and_send, AppState};
use crate::sync::VendorSync;

#[tauri::command]
pub async fn sync_status(
    state: State<'_, AppState>,
    sync: State<'_, Arc<VendorSync>>,
) -> Result<SyncStatus, Failure> {
    let sync = sync.inner().clone();
    super::blocking(&state, "sync_status", move |core| Ok(sync.status(core))).await
}

#[tauri::command]
pub async fn set_do_not_disturb(sync: State<'_, Arc<VendorSync>>, on: bool) -> Result<(), Failure> {
    sync.set_do_not_disturb(on);
    Ok(())
}

#[tauri::command]
pub async fn sync_now(sync: State<'_, Arc<VendorSync>>) -> Result<(), Failure> {
    sync.wake();
    Ok(())
}

#[tauri::command]
pub async fn get_vendor_connection(
    state: State<'_, AppState>,
    sync: State<'_, Arc<VendorSync>>,
) -> Result<VendorConnection, Failure> {
    let sync = sync.inner().clone();
    delegate(&state, "get_vendor_connection", move |core| {
        sync.connection(core)
    })
    .await
}

#[tauri::command]
pub async fn save_vendor_connection(
    app: AppHandle,
    state: State<'_, AppState>,
    sync: State<'_, Arc<VendorSync>>,
    settings: VendorSettings,
    token: Option<String>,
) -> Result<VendorConnection, Failure> {
    let core = state.shared()?;
    let data_dir = std::path::PathBuf::from(core.info().data_dir);
    sync.save(app, core, data_dir, settings, token)
        .await
        .map_err(|e| {
            tracing::warn!(error = %e, "saving the vendor connection failed");
            Failure::from(e)
        })
}

/// Tries the connection on the page without saving it (one harmless read at the vendor).
#[tauri::command]
pub async fn test_vendor_connection(
    sync: State<'_, Arc<VendorSync>>,
    settings: VendorSettings,
    token: Option<String>,
) -> Result<String, Failure> {
    sync.test(&settings, token).await.map_err(|message| {
        tracing::warn!(%message, "vendor connection test failed");
        Failure {
            code: frontline_core::ErrorCode::Unavailable,
            message,
            field: None,
        }
    })
}

#[tauri::command]
pub async fn escalate_issue(
    state: State<'_, AppState>,
    sync: State<'_, Arc<VendorSync>>,
    id: String,
    note: String,
) -> Result<IssueDetail, Failure> {
    delegate_and_send(&state, &sync, "escalate_issue", move |core| {
        core.escalate(&id, &note)
    })
    .await
}

#[tauri::command]
pub async fn message_vendor(
    state: State<'_, AppState>,
    sync: State<'_, Arc<VendorSync>>,
    id: String,
    text: String,
) -> Result<IssueDetail, Failure> {
    delegate_and_send(&state, &sync, "message_vendor", move |core| {
        core.message_vendor(&id, &text)
    })
    .await
}

#[tauri::command]
pub async fn retry_operation(
    state: State<'_, AppState>,
    sync: State<'_, Arc<VendorSync>>,
    issue_id: String,
    op_id: i64,
) -> Result<IssueDetail, Failure> {
    delegate_and_send(&state, &sync, "retry_operation", move |core| {
        core.retry_operation(op_id)?;
        core.issue(&issue_id)
    })
    .await
}
