//! The events the shell sends the window, each with its payload's type, in one place: the
//! page's `Events` type (`ui/src/shared/contract.ts`) is generated from this file, and the
//! shell can only send an event declared here with its own payload.
use std::marker::PhantomData;

use frontline_core::sync::SyncStatus;
use frontline_core::team_connection::HubStatus;
use serde::Serialize;
use tauri::{Emitter, Runtime};

/// An event's name, tied to its payload's type.
pub struct Event<T> {
    name: &'static str,
    payload: PhantomData<fn(T)>,
}

impl<T: Serialize + Clone> Event<T> {
    const fn new(name: &'static str) -> Self {
        Event {
            name,
            payload: PhantomData,
        }
    }

    /// Sends it to the window (a window that is gone misses it: nothing to do then).
    pub fn emit<R: Runtime, E: Emitter<R>>(&self, to: &E, payload: T) {
        if let Err(e) = to.emit(self.name, payload) {
            tracing::debug!(event = self.name, error = %e, "event not delivered");
        }
    }
}

/// The vendor sync's state changed (each one also refreshes open issues).
pub const SYNC: Event<SyncStatus> = Event::new("sync");
/// The team hub's connection state changed.
pub const HUB: Event<HubStatus> = Event::new("hub");
/// Teammates' events changed what this desktop shows (or who is signed in): the UI reloads.
pub const TEAM_CHANGED: Event<()> = Event::new("team-changed");
/// A notification was clicked: the issue to open (none: the queue).
pub const OPEN_ISSUE: Event<Option<String>> = Event::new("open-issue");
/// A menu or tray action: its id (`new-issue`, `queue`, `clients`, `desk`).
pub const MENU: Event<String> = Event::new("menu");
/// The background check of the database found damage: what to show.
pub const HEALTH: Event<String> = Event::new("health");
