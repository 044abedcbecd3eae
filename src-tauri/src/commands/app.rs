use frontline_core::model::{AppInfo, FieldOptions, FirstScreen};
use frontline_core::priority::Assessment;
use frontline_core::{links, Failure};
use tauri::State;
use tauri_plugin_opener::OpenerExt;

use super::{blocking, delegate, AppState};

#[tauri::command]
pub async fn app_info(state: State<'_, AppState>) -> Result<AppInfo, Failure> {
    tracing::debug!(ms = crate::since_start(), "UI asked for app info");
    Ok(state.core()?.info())
}

/// The page asks for this before its script has loaded (`ui/index.html`): the first screen's
/// data is ready by the time React renders, in one round trip instead of three in a row.
#[tauri::command]
pub async fn first_screen(state: State<'_, AppState>) -> Result<FirstScreen, Failure> {
    tracing::debug!(ms = crate::since_start(), "UI asked for the first screen");
    blocking(&state, "first_screen", |core| core.first_screen()).await
}

#[tauri::command]
pub async fn field_options(state: State<'_, AppState>) -> Result<FieldOptions, Failure> {
    Ok(state.core()?.field_options())
}

#[tauri::command]
pub async fn assess_priority(
    state: State<'_, AppState>,
    impact: String,
    urgency: String,
) -> Result<Assessment, Failure> {
    delegate(&state, "assess_priority", move |core| {
        core.assess(&impact, &urgency)
    })
    .await
}

/// The UI calls this once, on the frame after the queue first shows its rows: the start-up
/// time goes to the log (and `make bench` reads it).
#[tauri::command]
pub async fn ui_ready(timings: String) {
    tracing::info!(ms = crate::since_start(), ui = %timings, "queue painted");
    crate::painted();
}

#[tauri::command]
pub async fn open_external(app: tauri::AppHandle, url: String) -> Result<(), Failure> {
    let url = links::check_external(&url).map_err(Failure::from)?;
    app.opener()
        .open_url(url, None::<&str>)
        .map_err(|e| opener_failure(e.to_string()))
}

#[tauri::command]
pub async fn open_log_folder(
    app: tauri::AppHandle,
    state: State<'_, AppState>,
) -> Result<(), Failure> {
    reveal_logs(&app, &state)
}

#[tauri::command]
pub async fn open_data_folder(
    app: tauri::AppHandle,
    state: State<'_, AppState>,
) -> Result<(), Failure> {
    let dir = match state.core() {
        Ok(core) => std::path::PathBuf::from(core.info().data_dir),
        Err(_) => frontline_core::paths::data_dir(),
    };
    app.opener()
        .open_path(dir.display().to_string(), None::<&str>)
        .map_err(|e| opener_failure(e.to_string()))
}

pub(crate) fn reveal_logs(app: &tauri::AppHandle, state: &AppState) -> Result<(), Failure> {
    let dir = match state.core() {
        Ok(core) => core.log_dir(),
        Err(_) => frontline_core::paths::logs(&frontline_core::paths::data_dir()),
    };
    app.opener()
        .open_path(dir.display().to_string(), None::<&str>)
        .map_err(|e| opener_failure(e.to_string()))
}

pub(crate) fn opener_failure(reason: String) -> Failure {
    Failure {
        code: frontline_core::ErrorCode::File,
        message: format!(
            "The system could not open it: {reason}. Is a default application set up?"
        ),
        field: None,
    }
}
