//! The Reports page: every figure for a period, and its exports. Where an export goes is asked
//! here, in a save dialog the shell opens: the webview never names a path.
use std::path::PathBuf;

use frontline_core::reports::{Period, Report};
use frontline_core::{Error, ErrorCode, Failure};
use tauri::ipc::{InvokeBody, Request};
use tauri::{AppHandle, State};
use tauri_plugin_dialog::DialogExt;

use super::{delegate, AppState};

#[tauri::command]
pub async fn get_report(state: State<'_, AppState>, period: Period) -> Result<Report, Failure> {
    delegate(&state, "get_report", move |core| core.report(&period)).await
}

/// Saves the report's figures as CSV where the person chooses; `None` when they cancel.
#[tauri::command]
pub async fn export_report_csv(
    app: AppHandle,
    state: State<'_, AppState>,
    period: Period,
) -> Result<Option<String>, Failure> {
    let report = delegate(&state, "export_report_csv", move |core| {
        core.report_in_full(&period)
    })
    .await?;
    let name = format!("frontline-report-{}-to-{}.csv", report.from, report.to);
    save_as(
        &app,
        &name,
        ("CSV table", "csv"),
        report.to_csv().as_bytes(),
    )
    .await
}

/// Saves a chart the page drew (the request's body, a PNG) where the person chooses.
#[tauri::command]
pub async fn export_chart_png(
    app: AppHandle,
    request: Request<'_>,
) -> Result<Option<String>, Failure> {
    let InvokeBody::Raw(bytes) = request.body() else {
        return Err(invalid("The chart arrived without its image; try again."));
    };
    if !bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        return Err(invalid("The chart image is not a PNG; try again."));
    }
    let name = request
        .headers()
        .get("file-name")
        .and_then(|v| v.to_str().ok())
        .map(|n| {
            percent_encoding::percent_decode_str(n)
                .decode_utf8_lossy()
                .into_owned()
        })
        .filter(|n| !n.is_empty())
        .unwrap_or_else(|| "chart.png".to_owned());
    save_as(&app, &name, ("PNG image", "png"), bytes).await
}

fn invalid(message: &str) -> Failure {
    Failure {
        code: ErrorCode::Invalid,
        message: message.to_owned(),
        field: None,
    }
}

/// Asks where to save `name` and writes `bytes` there; `None` when the person cancels.
pub(crate) async fn save_as(
    app: &AppHandle,
    name: &str,
    (kind, extension): (&str, &str),
    bytes: &[u8],
) -> Result<Option<String>, Failure> {
    let (tx, rx) = tokio::sync::oneshot::channel();
    app.dialog()
        .file()
        .set_title("Export")
        .set_file_name(name)
        .add_filter(kind, &[extension])
        .save_file(move |picked| {
            let _ = tx.send(picked);
        });
    let Some(picked) = rx.await.ok().flatten() else {
        return Ok(None);
    };
    let path: PathBuf = picked.into_path().map_err(|e| {
        invalid(&format!(
            "That place cannot be written to ({e}); choose a folder on this computer."
        ))
    })?;
    std::fs::write(&path, bytes).map_err(|source| {
        let e = Error::File {
            action: "write",
            path: path.clone(),
            source,
        };
        tracing::warn!(error = %e, "export failed");
        Failure::from(e)
    })?;
    tracing::info!(path = %path.display(), "exported");
    Ok(Some(path.display().to_string()))
}

/// Saves the evidence pack of these issues (one escalation, or a period's breaches) where the
/// person chooses: the HTML page, and its data as JSON beside it. `None` when they cancel.
#[tauri::command]
pub async fn export_evidence_pack(
    app: AppHandle,
    state: State<'_, AppState>,
    issue_ids: Vec<String>,
    title: String,
) -> Result<Option<String>, Failure> {
    let name = frontline_core::evidence::file_name(&title);
    let (html, json) = delegate(&state, "export_evidence_pack", move |core| {
        core.evidence_pack(&issue_ids, &title)
    })
    .await?;
    let Some(path) = save_as(
        &app,
        &name,
        ("Evidence pack (HTML)", "html"),
        html.as_bytes(),
    )
    .await?
    else {
        return Ok(None);
    };
    let beside = PathBuf::from(&path).with_extension("json");
    std::fs::write(&beside, json).map_err(|source| {
        Failure::from(Error::File {
            action: "write",
            path: beside.clone(),
            source,
        })
    })?;
    Ok(Some(path))
}

/// Asks for a pack and checks it: intact, or the first event that was changed.
#[tauri::command]
pub async fn verify_evidence_pack(
    app: AppHandle,
) -> Result<Option<frontline_core::evidence::Verdict>, Failure> {
    let (tx, rx) = tokio::sync::oneshot::channel();
    app.dialog()
        .file()
        .set_title("Check an evidence pack")
        .add_filter("Evidence pack", &["html", "json"])
        .pick_file(move |picked| {
            let _ = tx.send(picked);
        });
    let Some(picked) = rx.await.ok().flatten() else {
        return Ok(None);
    };
    let path = picked
        .into_path()
        .map_err(|e| invalid(&format!("That file cannot be read here ({e}).")))?;
    frontline_core::evidence::verify_file(&path)
        .map(Some)
        .map_err(Failure::from)
}

/// The issues behind one figure of a report (for a pack of a period's breaches).
#[tauri::command]
pub async fn report_issues(
    state: State<'_, AppState>,
    slice: frontline_core::reports::ReportSlice,
) -> Result<Vec<String>, Failure> {
    delegate(&state, "report_issues", move |core| {
        core.report_issues(&slice)
    })
    .await
}
