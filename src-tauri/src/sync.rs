//! The sync worker inside the app: starts with the app (and again when the connection
//! changes), runs `frontline-core`'s engine on Tauri's tokio runtime, and forwards its status
//! to the UI as the `sync` event. Sandbox mode (`FRONTLINE_SANDBOX=1` or the settings switch)
//! talks to the vendor simulator started in this process.
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use frontline_core::sync::connection::{
    account, explain_check_failure, vendor_api, Secrets, VendorConnection, VendorSettings,
};
use frontline_core::sync::http::{Paced, ReqwestTransport};
use frontline_core::sync::zendesk::Mode;
use frontline_core::sync::{EngineConfig, SyncEngine, SyncStatus};
use frontline_core::Frontline;
use tauri::AppHandle;
use tokio::sync::watch;

const SANDBOX_TOKEN: &str = "sandbox";

struct Running {
    engine: Arc<SyncEngine>,
    stop: watch::Sender<bool>,
    sim: Option<crate::sandbox::Sandbox>,
}

/// The vendor sync worker (the outbox sent to the vendor, its changes pulled back), if one runs.
#[derive(Default)]
pub struct VendorSync {
    running: tokio::sync::Mutex<Option<Running>>,
    engine: Mutex<Option<Arc<SyncEngine>>>,
    notifier: Mutex<Option<Arc<frontline_core::notify::Notifier>>>,
    pub secrets: Secrets,
}

fn sandbox_forced() -> bool {
    std::env::var("FRONTLINE_SANDBOX").is_ok_and(|v| v == "1")
}

impl VendorSync {
    /// Where the engine announces vendor replies and ticket changes.
    pub fn set_notifier(&self, n: Arc<frontline_core::notify::Notifier>) {
        *self.notifier.lock().unwrap_or_else(|e| e.into_inner()) = Some(n);
    }

    /// Queues a desktop notification.
    pub fn notify(&self, notice: frontline_core::notify::Notice) {
        if let Some(n) = self
            .notifier
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .as_ref()
        {
            n.push(notice);
        }
    }

    /// Do not disturb on or off.
    pub fn set_do_not_disturb(&self, on: bool) {
        if let Some(n) = self
            .notifier
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .as_ref()
        {
            n.set_do_not_disturb(on);
        }
    }

    /// Wakes the worker (new outbox rows, or "sync now").
    pub fn wake(&self) {
        if let Some(e) = self
            .engine
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .as_ref()
        {
            e.wake();
        }
    }

    /// The status now.
    pub fn status(&self, core: &Frontline) -> SyncStatus {
        match self
            .engine
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .as_ref()
        {
            Some(e) => e.status(),
            None => {
                let (queued, parked) = core.outbox_counts().unwrap_or((0, 0));
                SyncStatus::idle(queued, parked)
            }
        }
    }

    /// What the settings page shows.
    pub fn connection(&self, core: &Frontline) -> frontline_core::Result<VendorConnection> {
        let mut settings = core.vendor_settings()?;
        settings.sandbox |= sandbox_forced();
        let token_saved = settings.sandbox || self.secrets.load(&account(&settings)).is_some();
        Ok(VendorConnection {
            token_place: if settings.sandbox {
                "The sandbox needs no token.".to_owned()
            } else {
                self.secrets.place()
            },
            settings,
            token_saved,
        })
    }

    /// (Re)starts the worker from the saved settings; without a connection it stays idle.
    pub async fn restart(&self, app: AppHandle, core: Arc<Frontline>, data_dir: PathBuf) {
        let mut running = self.running.lock().await;
        if let Some(old) = running.take() {
            let _ = old.stop.send(true);
            if let Some(sim) = old.sim {
                sim.stop().await;
            }
        }
        *self.engine.lock().unwrap_or_else(|e| e.into_inner()) = None;
        let mut settings = match core.vendor_settings() {
            Ok(s) => s,
            Err(e) => {
                tracing::error!(error = %e, "vendor settings unreadable; sync is off");
                return;
            }
        };
        settings.sandbox |= sandbox_forced();
        let mut sim = None;
        let (url, token) = if settings.sandbox {
            let url = match std::env::var("FRONTLINE_SANDBOX_URL") {
                Ok(url) => url,
                Err(_) => {
                    match crate::sandbox::Sandbox::start(&data_dir, SANDBOX_TOKEN, settings.vendor)
                        .await
                    {
                        Ok(s) => {
                            let url = s.url();
                            sim = Some(s);
                            url
                        }
                        Err(e) => {
                            tracing::error!(error = %e, "the sandbox helpdesk did not start");
                            let mut status = self.status(&core);
                            status.last_error = Some(e);
                            emit(&app, &status);
                            return;
                        }
                    }
                }
            };
            settings.mode = Mode::EndUser;
            (url, SANDBOX_TOKEN.to_owned())
        } else {
            let Some(token) = self.secrets.load(&account(&settings)) else {
                tracing::info!("no vendor connection yet; sync is idle");
                emit(&app, &self.status(&core));
                return;
            };
            (settings.base_url(), token)
        };
        let transport = match ReqwestTransport::new(Duration::from_secs(30)) {
            Ok(t) => t,
            Err(e) => {
                tracing::error!(error = %e, "no HTTP client; sync is off");
                return;
            }
        };
        let paced = Arc::new(Paced::new(
            Arc::new(transport),
            Duration::from_secs(60),
            0.95,
        ));
        if settings.sandbox {
            settings.email = "desk@sandbox.example".to_owned();
            settings.id_field = "cf_frontline_id".to_owned();
        }
        let vendor = match vendor_api(&settings, url, token, paced) {
            Ok(v) => v,
            Err(e) => {
                tracing::error!(error = %e, "vendor connection refused");
                let mut s = self.status(&core);
                s.last_error = Some(e.to_string());
                emit(&app, &s);
                return;
            }
        };
        let config = EngineConfig {
            pull_every: Duration::from_secs(if settings.sandbox { 3 } else { 60 }),
            ..EngineConfig::default()
        };
        let engine = SyncEngine::new(core, vendor, config, settings.sandbox);
        if let Some(n) = self
            .notifier
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .as_ref()
        {
            engine.set_notifier(n.clone());
        }
        let (stop, stopped) = watch::channel(false);
        let mut updates = engine.subscribe();
        let forward_app = app.clone();
        let mut forward_stop = stopped.clone();
        tauri::async_runtime::spawn(async move {
            loop {
                emit(&forward_app, &updates.borrow_and_update().clone());
                tokio::select! {
                    changed = updates.changed() => if changed.is_err() { return },
                    _ = forward_stop.changed() => return,
                }
                // At most a few updates a second reach the UI during a long catch-up.
                tokio::time::sleep(Duration::from_millis(250)).await;
            }
        });
        tauri::async_runtime::spawn(engine.clone().run(stopped));
        tracing::info!(sandbox = settings.sandbox, "sync worker started");
        *self.engine.lock().unwrap_or_else(|e| e.into_inner()) = Some(engine.clone());
        *running = Some(Running { engine, stop, sim });
    }

    /// Tries a connection without saving it: one harmless read with these settings and this
    /// secret (or the saved one). Says who the vendor takes this desktop for, or what is wrong
    /// in words a person can act on.
    pub async fn test(
        &self,
        settings: &VendorSettings,
        secret: Option<String>,
    ) -> Result<String, String> {
        if settings.sandbox {
            return Ok(
                "The sandbox needs no connection test: it runs inside Frontline.".to_owned(),
            );
        }
        let secret = match secret.filter(|s| !s.trim().is_empty()) {
            Some(s) => s.trim().to_owned(),
            None => self
                .secrets
                .load(&account(settings))
                .ok_or_else(|| format!("Type the {} first.", settings.vendor.secret_name()))?,
        };
        let transport =
            ReqwestTransport::new(Duration::from_secs(15)).map_err(|e| e.to_string())?;
        let address = settings.base_url();
        let vendor = vendor_api(settings, address.clone(), secret, Arc::new(transport))
            .map_err(|e| e.to_string())?;
        match vendor.check().await {
            Ok(who) => Ok(format!(
                "Connected to {} as {who}.",
                settings.vendor.label()
            )),
            Err(e) => Err(explain_check_failure(settings.vendor, &address, &e)),
        }
    }

    /// Saves the connection (the token to the keyring) and restarts the worker.
    pub async fn save(
        &self,
        app: AppHandle,
        core: Arc<Frontline>,
        data_dir: PathBuf,
        settings: VendorSettings,
        token: Option<String>,
    ) -> frontline_core::Result<VendorConnection> {
        let saved = core.save_vendor_settings(settings)?;
        if let Some(t) = token.filter(|t| !t.trim().is_empty()) {
            self.secrets.save(&account(&saved), t.trim());
        }
        self.restart(app, core.clone(), data_dir).await;
        if let Some(r) = self.running.lock().await.as_ref() {
            r.engine.resume().await;
        }
        self.connection(&core)
    }
}

fn emit(app: &AppHandle, status: &SyncStatus) {
    crate::events::SYNC.emit(app, status.clone());
}
