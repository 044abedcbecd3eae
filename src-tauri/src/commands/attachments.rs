use frontline_core::model::Attachment;
use frontline_core::{ErrorCode, Failure};
use tauri::ipc::{InvokeBody, Request};
use tauri::State;
use tauri_plugin_opener::OpenerExt;

use super::{app::opener_failure, delegate, AppState};
use crate::files::{Access, FileGrants};

/// Attaches files just chosen in the app's file dialog or dropped on the window (any other
/// path is refused, see [`crate::files`]). Stops at the first failure; the files before it
/// stay attached.
#[tauri::command]
pub async fn attach_files(
    state: State<'_, AppState>,
    grants: State<'_, FileGrants>,
    issue_id: String,
    paths: Vec<String>,
) -> Result<Vec<Attachment>, Failure> {
    let paths = grants.take_all(&paths, Access::Read)?;
    delegate(&state, "attach_files", move |core| {
        paths
            .iter()
            .map(|p| core.attach_file(&issue_id, p))
            .collect()
    })
    .await
}

/// Attaches a pasted screenshot. The body is the raw bytes; the issue and the file name come
/// in the `issue-id` and `file-name` headers, so megabytes do not travel as JSON.
#[tauri::command]
pub async fn attach_bytes(
    state: State<'_, AppState>,
    request: Request<'_>,
) -> Result<Attachment, Failure> {
    let header = |name: &str| {
        request
            .headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_owned()
    };
    let InvokeBody::Raw(bytes) = request.body() else {
        return Err(Failure {
            code: ErrorCode::Invalid,
            message: "The pasted file arrived without content; paste it again.".into(),
            field: None,
        });
    };
    let issue_id = header("issue-id");
    // The UI percent-encodes the name: header values must be ASCII.
    let file_name = percent_encoding::percent_decode_str(&header("file-name"))
        .decode_utf8_lossy()
        .into_owned();
    let bytes = bytes.to_vec();
    delegate(&state, "attach_bytes", move |core| {
        core.attach_bytes(&issue_id, &file_name, &bytes)
    })
    .await
}

/// Opens an attachment with the system's viewer for its type.
#[tauri::command]
pub async fn open_attachment(
    app: tauri::AppHandle,
    state: State<'_, AppState>,
    id: String,
) -> Result<String, Failure> {
    let (_, path) = delegate(&state, "open_attachment", move |core| {
        core.attachment_path(&id)
    })
    .await?;
    let path = path.display().to_string();
    app.opener()
        .open_path(&path, None::<&str>)
        .map_err(|e| opener_failure(e.to_string()))?;
    Ok(path)
}
