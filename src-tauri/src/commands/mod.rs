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
pub mod issues;
pub mod knowledge;
pub mod sync;

/// The open cache, or why it could not be opened (the UI then shows the error screen).
pub struct AppState(Result<Arc<Frontline>, Failure>);

impl AppState {
    pub fn new(core: Result<Arc<Frontline>, Error>) -> Self {
        AppState(core.map_err(Failure::from))
    }

    pub fn core(&self) -> Result<&Frontline, Failure> {
        self.0.as_deref().map_err(Clone::clone)
    }

    pub fn shared(&self) -> Result<Arc<Frontline>, Failure> {
        self.0.clone()
    }
}

/// Runs a core call and turns its error into a logged `Failure`.
pub(crate) fn delegate<T>(
    state: &AppState,
    command: &'static str,
    f: impl FnOnce(&Frontline) -> frontline_core::Result<T>,
) -> Result<T, Failure> {
    let core = state.core()?;
    f(core).map_err(|e| {
        tracing::warn!(command, code = ?e.code(), error = %e, "command failed");
        Failure::from(e)
    })
}

/// Runs a core call that queues work for the vendor, then wakes the sync worker to send it.
pub(crate) fn delegate_and_send<T>(
    state: &AppState,
    sync: &crate::sync::Sync,
    command: &'static str,
    f: impl FnOnce(&Frontline) -> frontline_core::Result<T>,
) -> Result<T, Failure> {
    let out = delegate(state, command, f)?;
    sync.wake();
    Ok(out)
}
