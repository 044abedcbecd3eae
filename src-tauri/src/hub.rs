//! The team hub worker inside the app: connects with the saved settings and the password from
//! the keyring, pushes this desktop's events and pulls the team's — at start, within a second
//! of a teammate's push (the hub's poke), after every local change, and on a timer as the
//! fallback — and reports its state to the sidebar as the `hub` event. A teammate's critical
//! flag becomes a desktop notification. With no hub set up it does nothing: the desktop works
//! on its own.
use std::sync::{Arc, Mutex};
use std::time::Duration;

use chrono::{SecondsFormat, Utc};
use frontline_core::notify::Notifier;
use frontline_core::sync::connection::Secrets;
use frontline_core::team_connection::{HubConnection, HubIdentity, HubSettings, HubStatus};
use frontline_core::Frontline;
use frontline_hub::{Hub, HubConfig, HubError};
use tauri::AppHandle;
use tokio::sync::{watch, Notify};

const SERVICE: &str = "frontline-hub-password";

/// How often the worker pulls when no poke came (a poke lost on a flaky network).
fn pull_every() -> Duration {
    std::env::var("FRONTLINE_HUB_PULL_MS")
        .ok()
        .and_then(|v| v.parse().ok())
        .map(Duration::from_millis)
        .unwrap_or(Duration::from_secs(30))
}

/// A catch-up shows its progress once it has applied this many events.
const CATCH_UP_SHOWN_FROM: usize = 500;

/// The worker.
pub struct HubWorker {
    pub secrets: Secrets,
    status: Mutex<HubStatus>,
    local: Arc<Notify>,
    stop: Mutex<Option<watch::Sender<bool>>>,
    notifier: Mutex<Option<Arc<Notifier>>>,
    /// Wakes the vendor sync: a teammate's change may have queued a message for the vendor
    /// ticket this desktop owns.
    vendor_wake: Mutex<Option<Arc<dyn Fn() + Send + Sync>>>,
}

impl Default for HubWorker {
    fn default() -> Self {
        HubWorker {
            secrets: Secrets::for_service(SERVICE, "No password saved yet."),
            status: Mutex::new(HubStatus::idle(false, 0, 0)),
            local: Arc::new(Notify::new()),
            stop: Mutex::new(None),
            notifier: Mutex::new(None),
            vendor_wake: Mutex::new(None),
        }
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

fn account(s: &HubSettings) -> String {
    format!("{} @ {}", s.user.trim(), s.address.trim())
}

fn now() -> String {
    Utc::now().to_rfc3339_opts(SecondsFormat::Secs, true)
}

impl HubWorker {
    /// Where teammates' critical flags are announced.
    pub fn set_notifier(&self, n: Arc<Notifier>) {
        *lock(&self.notifier) = Some(n);
    }

    /// What to call when teammates' events were applied here.
    pub fn set_vendor_wake(&self, wake: Arc<dyn Fn() + Send + Sync>) {
        *lock(&self.vendor_wake) = Some(wake);
    }

    /// Something changed here: push it now.
    pub fn wake(&self) {
        self.local.notify_one();
    }

    /// The state now, with this desktop's counts read fresh.
    pub fn status(&self, core: &Frontline) -> HubStatus {
        let mut s = lock(&self.status).clone();
        if let Ok((waiting, refused)) = core.team_counts() {
            s.waiting = waiting;
            s.refused = refused;
        }
        s
    }

    /// Changes the state and tells the UI, only when it changed (a local change pokes the
    /// worker on every command; most have nothing to share).
    fn update(&self, app: &AppHandle, core: &Frontline, f: impl FnOnce(&mut HubStatus)) {
        let before = self.status(core);
        f(&mut lock(&self.status));
        let after = self.status(core);
        if after != before {
            crate::events::HUB.emit(app, after);
        }
    }

    /// What the Team hub page shows.
    pub fn connection(&self, core: &Frontline) -> frontline_core::Result<HubConnection> {
        let settings = core.hub_settings()?;
        let password_saved = settings
            .as_ref()
            .is_some_and(|s| self.secrets.load(&account(s)).is_some());
        Ok(HubConnection {
            identity: core.hub_identity()?,
            settings,
            password_saved,
            password_place: self.secrets.place(),
        })
    }

    fn config(
        &self,
        settings: &HubSettings,
        password: Option<String>,
    ) -> Result<HubConfig, HubError> {
        let password = password
            .filter(|p| !p.is_empty())
            .or_else(|| self.secrets.load(&account(settings)))
            .ok_or_else(|| {
                HubError::Address(format!(
                    "No password is saved for \"{}\" on this desktop. Type it on the Team hub page.",
                    settings.user.trim()
                ))
            })?;
        HubConfig::from_settings(settings, password)
    }

    /// Tries the connection without saving anything: who the hub says this is, in words.
    pub async fn test(
        &self,
        settings: &HubSettings,
        password: Option<String>,
    ) -> Result<String, HubError> {
        let config = self.config(settings, password)?;
        let hub = Hub::connect(config).await?;
        let me = hub.identity();
        Ok(format!(
            "Connected to {} as {}, {}.",
            hub.address(),
            me.login,
            if me.lead { "a team lead" } else { "an agent" }
        ))
    }

    /// Saves the settings (the password to the keyring) and reconnects; an empty address
    /// turns the hub off.
    pub async fn save(
        self: &Arc<Self>,
        app: AppHandle,
        core: Arc<Frontline>,
        settings: HubSettings,
        password: Option<String>,
    ) -> frontline_core::Result<HubConnection> {
        let saved = core.save_hub_settings(settings)?;
        if let (Some(s), Some(p)) = (&saved, password.filter(|p| !p.is_empty())) {
            self.secrets.save(&account(s), &p);
        }
        self.restart(app, core.clone());
        self.connection(&core)
    }

    /// (Re)starts the worker from the saved settings.
    pub fn restart(self: &Arc<Self>, app: AppHandle, core: Arc<Frontline>) {
        if let Some(old) = lock(&self.stop).take() {
            let _ = old.send(true);
        }
        let settings = match core.hub_settings() {
            Ok(s) => s,
            Err(e) => {
                tracing::error!(error = %e, "team hub settings unreadable; the hub is off");
                return;
            }
        };
        let Some(settings) = settings else {
            self.update(&app, &core, |s| *s = HubStatus::idle(false, 0, 0));
            return;
        };
        self.update(&app, &core, |s| *s = HubStatus::idle(true, 0, 0));
        let config = match self.config(&settings, None) {
            Ok(c) => c,
            Err(e) => {
                tracing::warn!(error = %e, "the team hub is set up but cannot be reached yet");
                self.update(&app, &core, |s| {
                    s.online = Some(false);
                    s.last_error = Some(e.to_string());
                });
                return;
            }
        };
        let (stop, stopped) = watch::channel(false);
        *lock(&self.stop) = Some(stop);
        let worker = self.clone();
        tauri::async_runtime::spawn(async move { worker.run(app, core, config, stopped).await });
    }

    async fn run(
        self: Arc<Self>,
        app: AppHandle,
        core: Arc<Frontline>,
        config: HubConfig,
        mut stop: watch::Receiver<bool>,
    ) {
        let mut pause = Duration::from_secs(2);
        loop {
            let connected = tokio::select! {
                r = Hub::connect(config.clone()) => r,
                _ = stop.changed() => return,
            };
            let hub = match connected {
                Ok(hub) => hub,
                Err(e) => {
                    tracing::warn!(error = %e, "no team hub connection");
                    self.update(&app, &core, |s| {
                        s.online = Some(false);
                        s.last_error = Some(e.to_string());
                    });
                    // A hub away is tried again with a growing pause, and at once when there
                    // is something new to share; a wrong password or a newer hub waits for a
                    // person (saving the Team hub page restarts the worker), not for clicks.
                    if e.is_transient() {
                        tokio::select! {
                            _ = tokio::time::sleep(pause) => {}
                            _ = self.local.notified() => {}
                            _ = stop.changed() => return,
                        }
                        pause = (pause * 2).min(Duration::from_secs(60));
                    } else {
                        tokio::select! {
                            _ = tokio::time::sleep(Duration::from_secs(300)) => {}
                            _ = stop.changed() => return,
                        }
                    }
                    continue;
                }
            };
            pause = Duration::from_secs(2);
            let me = hub.identity().clone();
            let c = core.clone();
            let identity = HubIdentity {
                login: me.login.clone(),
                lead: me.lead,
            };
            match tokio::task::spawn_blocking(move || c.set_hub_identity(&identity)).await {
                Ok(Ok(())) => {
                    crate::events::TEAM_CHANGED.emit(&app, ());
                }
                Ok(Err(e)) => tracing::warn!(error = %e, "the hub identity was not kept"),
                Err(e) => tracing::warn!(error = %e, "the hub identity was not kept"),
            }
            let pokes = Arc::new(Notify::new());
            let (listen_stop, listen_stopped) = watch::channel(false);
            let listener = hub.clone();
            let listen_pokes = pokes.clone();
            tauri::async_runtime::spawn(async move {
                listener.listen(listen_pokes, listen_stopped).await
            });
            let dropped = self.exchange(&app, &core, &hub, &pokes, &mut stop).await;
            let _ = listen_stop.send(true);
            if !dropped {
                return;
            }
        }
    }

    /// Syncs until the connection drops (`true`: reconnect) or the worker stops (`false`).
    async fn exchange(
        &self,
        app: &AppHandle,
        core: &Arc<Frontline>,
        hub: &Hub,
        pokes: &Notify,
        stop: &mut watch::Receiver<bool>,
    ) -> bool {
        let mut pull = true;
        loop {
            let progress = |n: usize| {
                if n >= CATCH_UP_SHOWN_FROM {
                    self.update(app, core, |s| s.catching_up = Some(n as i64));
                }
            };
            let round = if pull {
                frontline_hub::team::sync_reporting(core, hub, &progress).await
            } else {
                frontline_hub::team::push_pending(core, hub).await
            };
            match round {
                Ok(done) => {
                    let moved = done.pushed + done.applied + done.refused > 0;
                    if moved {
                        tracing::info!(
                            pushed = done.pushed,
                            applied = done.applied,
                            refused = done.refused,
                            "team hub sync"
                        );
                    }
                    if done.applied + done.refused > 0 {
                        crate::events::TEAM_CHANGED.emit(app, ());
                    }
                    if done.applied > 0 {
                        if let Some(wake) = lock(&self.vendor_wake).as_ref() {
                            wake();
                        }
                    }
                    if let Some(n) = lock(&self.notifier).as_ref() {
                        for notice in done.notices {
                            n.push(notice);
                        }
                    }
                    // A push with nothing to push is not news.
                    if pull || moved {
                        self.update(app, core, |s| {
                            s.online = Some(true);
                            s.last_error = None;
                            s.catching_up = None;
                            s.last_synced = Some(now());
                        });
                    }
                }
                Err(e) => {
                    tracing::warn!(error = %e, "team hub sync failed");
                    self.update(app, core, |s| {
                        s.online = Some(!e.is_transient());
                        s.last_error = Some(e.to_string());
                        s.catching_up = None;
                    });
                    if e.is_transient() {
                        return true;
                    }
                }
            }
            tokio::select! {
                _ = pokes.notified() => pull = true,
                _ = self.local.notified() => pull = false,
                _ = tokio::time::sleep(pull_every()) => pull = true,
                _ = stop.changed() => return false,
            }
        }
    }
}
