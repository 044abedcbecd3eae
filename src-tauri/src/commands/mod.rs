//! Tauri commands, one file per area. Each converts its arguments and delegates to
//! `frontline-core`; failures cross as `Failure { code, message, field }` and are logged here.
//! Commands are `async` so Tauri runs them on its worker threads, never on the thread that
//! paints the window.
use std::sync::Arc;

use frontline_core::{Error, Failure, Frontline};

pub mod app;
pub mod attachments;
pub mod clients;
pub mod drafts;
pub mod escalation;
pub mod hub;
pub mod issues;
pub mod knowledge;
pub mod reports;
pub mod sync;

/// The open cache, or why it could not be opened (the UI then shows the error screen), and a
/// way to tell the team hub worker that something changed here.
pub struct AppState(Result<Arc<Frontline>, Failure>, Arc<crate::hub::HubWorker>);

impl AppState {
    pub fn new(core: Result<Arc<Frontline>, Error>, hub: Arc<crate::hub::HubWorker>) -> Self {
        AppState(core.map_err(Failure::from), hub)
    }

    pub fn core(&self) -> Result<&Frontline, Failure> {
        self.0.as_deref().map_err(Clone::clone)
    }

    pub fn shared(&self) -> Result<Arc<Frontline>, Failure> {
        self.0.clone()
    }
}

/// Runs a core call and turns its error into a logged `Failure`; whatever it recorded goes to
/// the team hub next.
pub(crate) async fn delegate<T: Send + 'static>(
    state: &AppState,
    command: &'static str,
    f: impl FnOnce(&Frontline) -> frontline_core::Result<T> + Send + 'static,
) -> Result<T, Failure> {
    let out = blocking(state, command, f).await?;
    state.1.wake();
    Ok(out)
}

/// Runs a core call on a blocking thread: SQLite work never holds up the async runtime that
/// serves the other commands and the sync workers.
pub(crate) async fn blocking<T: Send + 'static>(
    state: &AppState,
    command: &'static str,
    f: impl FnOnce(&Frontline) -> frontline_core::Result<T> + Send + 'static,
) -> Result<T, Failure> {
    let core = state.shared()?;
    let asked = std::time::Instant::now();
    tauri::async_runtime::spawn_blocking(move || {
        let started = asked.elapsed();
        let out = f(&core);
        // With RUST_LOG=debug: where a slow screen's time goes (waiting for a thread, or working).
        tracing::debug!(
            command,
            waited_ms = started.as_millis(),
            ms = asked.elapsed().as_millis(),
            "command done"
        );
        out
    })
    .await
        .map_err(|e| {
            tracing::error!(command, error = %e, "command stopped unexpectedly");
            Failure {
                code: frontline_core::ErrorCode::Database,
                message: format!(
                    "Frontline stopped in the middle of this ({command}); nothing half-done was kept. Try again, and if it keeps happening, send the log."
                ),
                field: None,
            }
        })?
        .map_err(|e| {
            tracing::warn!(command, code = ?e.code(), error = %e, "command failed");
            Failure::from(e)
        })
}

/// Runs a core call that queues work for the vendor, then wakes the sync worker to send it.
pub(crate) async fn delegate_and_send<T: Send + 'static>(
    state: &AppState,
    sync: &crate::sync::VendorSync,
    command: &'static str,
    f: impl FnOnce(&Frontline) -> frontline_core::Result<T> + Send + 'static,
) -> Result<T, Failure> {
    let out = delegate(state, command, f).await?;
    sync.wake();
    Ok(out)
}
