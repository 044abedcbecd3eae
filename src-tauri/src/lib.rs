//! The desktop shell: builds the Tauri app, opens the cache, registers the commands and the
//! menu. Every rule lives in `frontline-core`; commands only convert arguments and delegate.
use std::sync::Arc;

use frontline_core::{paths, Frontline, Settings, SystemClock};
use tauri::Manager;

mod commands;
mod events;
pub mod files;
mod hub;
mod menu;
mod notifications;
#[cfg(target_os = "linux")]
mod rendering;
mod sandbox;
mod sync;
mod tray;

pub use commands::AppState;

/// Keeps the window on the app's own pages: any other navigation is cancelled, and a link the
/// allowlist accepts (https, mailto) opens in the system browser instead.
fn navigation_guard<R: tauri::Runtime>() -> tauri::plugin::TauriPlugin<R> {
    use tauri_plugin_opener::OpenerExt;
    tauri::plugin::Builder::new("navigation-guard")
        .on_navigation(|webview, url| {
            if frontline_core::links::is_app_page(url, tauri::is_dev()) {
                return true;
            }
            match frontline_core::links::check_external(url.as_str()) {
                Ok(link) => {
                    if let Err(e) = webview.opener().open_url(link, None::<&str>) {
                        tracing::warn!(error = %e, "could not open a link in the system browser");
                    }
                }
                Err(e) => tracing::warn!(error = %e, "navigation refused"),
            }
            false
        })
        .build()
}

/// Checks the whole database in the background after start; damage is logged and shown.
fn health_check(app: tauri::AppHandle) {
    std::thread::spawn(move || {
        // Let the window paint first; the check reads the whole file.
        std::thread::sleep(std::time::Duration::from_secs(3));
        let state = app.state::<AppState>();
        let Ok(core) = state.core() else { return };
        match core.check_integrity() {
            Ok(()) => tracing::info!("database check: ok"),
            Err(e) => {
                tracing::error!(error = %e, "database check failed");
                events::HEALTH.emit(&app, e.to_string());
            }
        }
    });
}

/// The cache being opened on a thread of its own (see `open_cache`).
struct Opening(
    std::sync::Mutex<Option<std::thread::JoinHandle<frontline_core::Result<Arc<Frontline>>>>>,
);

impl Opening {
    fn wait(&self) -> frontline_core::Result<Arc<Frontline>> {
        let interrupted = || frontline_core::Error::Interrupted("opening the cache".into());
        let thread = self
            .0
            .lock()
            .ok()
            .and_then(|mut t| t.take())
            .ok_or_else(interrupted)?;
        thread.join().map_err(|_| interrupted())?
    }
}

/// Opens the cache on a thread of its own while Tauri creates the window and WebKit starts
/// its processes: in the set-up, on the main thread, the opening (25-50 ms on 100,000 issues)
/// held up WebKit's start of the page.
fn open_cache<R: tauri::Runtime>(settings: Settings) -> tauri::plugin::TauriPlugin<R> {
    tauri::plugin::Builder::new("open-cache")
        .setup(move |app, _| {
            tracing::debug!(ms = since_start(), "cache opening");
            let thread = std::thread::Builder::new()
                .name("open-cache".into())
                .spawn(move || Frontline::open(settings, Arc::new(SystemClock)).map(Arc::new))?;
            app.manage(Opening(std::sync::Mutex::new(Some(thread))));
            Ok(())
        })
        .build()
}

/// When the process started; start-up time is measured from here.
pub(crate) static STARTED: std::sync::OnceLock<std::time::Instant> = std::sync::OnceLock::new();

/// Becomes true when the page reports its first screen painted (`ui_ready`).
static PAINTED: std::sync::LazyLock<tokio::sync::watch::Sender<bool>> =
    std::sync::LazyLock::new(|| tokio::sync::watch::Sender::new(false));

/// The longest background work waits for the first paint (an error screen never reports one).
const PAINT_PATIENCE: std::time::Duration = std::time::Duration::from_secs(10);

/// Records that the first screen has painted.
pub(crate) fn painted() {
    PAINTED.send_replace(true);
}

/// Waits until the first screen has painted (at most [`PAINT_PATIENCE`]): work that can wait
/// (the first SLA and outage check, the vendor sync's first round) leaves both cores to the
/// window while it opens.
pub(crate) async fn after_first_paint() {
    let mut painted = PAINTED.subscribe();
    let _ = tokio::time::timeout(PAINT_PATIENCE, painted.wait_for(|p| *p)).await;
}

/// Milliseconds since the process started.
pub(crate) fn since_start() -> u128 {
    STARTED.get().map(|t| t.elapsed().as_millis()).unwrap_or(0)
}

/// Starts Frontline.
pub fn run() {
    STARTED.get_or_init(std::time::Instant::now);
    #[cfg(target_os = "linux")]
    let rendering = rendering::choose();
    #[cfg(not(target_os = "linux"))]
    let rendering = "the platform's";
    let data_dir = paths::data_dir();
    // Logging first, so a failure to open the cache is in the log too.
    let log_guard = frontline_core::logging::init(&paths::logs(&data_dir));
    if let Err(e) = &log_guard {
        eprintln!("frontline: logging to a file is off: {e}");
    }
    tracing::debug!(ms = since_start(), "logging ready");
    tracing::info!(rendering, "how WebKit draws the window");
    let mut settings = Settings::for_dir(&data_dir);
    if let Some(mb) = std::env::var("FRONTLINE_ATTACHMENT_LIMIT_MB")
        .ok()
        .and_then(|v| v.parse::<u64>().ok())
    {
        settings.attachment_limit = mb * 1024 * 1024;
    }
    let attachment_dir = paths::attachments(&data_dir);
    let worker = Arc::new(sync::VendorSync::default());
    let worker_for_setup = worker.clone();
    let hub_worker = Arc::new(hub::HubWorker::default());
    let hub_for_setup = hub_worker.clone();
    let sync_dir = data_dir.clone();

    let app = tauri::Builder::default()
        .plugin(
            tauri_plugin_single_instance::Builder::new()
                .dbus_id(paths::instance_id(&data_dir))
                .callback(|app, _args, _cwd| {
                    if let Some(window) = app.get_webview_window("main") {
                        let _ = window.unminimize();
                        let _ = window.set_focus();
                    }
                })
                .build(),
        )
        // Right after the single-instance plugin, which makes a second launch hand over to the
        // running window and exit: that one never touches the database (a newer version must
        // not migrate it under the running one).
        .plugin(open_cache(settings))
        .plugin(navigation_guard())
        .plugin(tauri_plugin_opener::init())
        .plugin(tauri_plugin_dialog::init())
        .manage(files::FileGrants::default())
        // Files dropped on the window may be named once by the page (to attach them).
        .on_webview_event(|webview, event| {
            if let tauri::WebviewEvent::DragDrop(tauri::DragDropEvent::Drop { paths, .. }) = event {
                webview
                    .state::<files::FileGrants>()
                    .grant(paths.iter().cloned(), files::Access::Read);
            }
        })
        .manage(worker)
        .manage(hub_worker)
        .menu(menu::build)
        .on_menu_event(menu::on_event)
        .setup(move |app| {
            tracing::debug!(ms = since_start(), "set-up begins");
            // Opened while Tauri created the window: commands are served only once this returns.
            let core = app.state::<Opening>().wait();
            tracing::debug!(ms = since_start(), "cache ready");
            if let Err(e) = &core {
                tracing::error!(error = %e, "Frontline could not open its cache; showing the error screen");
            }
            let shared_core = core.as_ref().ok().cloned();
            app.manage(AppState::new(core, hub_for_setup.clone()));
            // Attachment previews load through the asset protocol, from this folder only.
            let _ = std::fs::create_dir_all(&attachment_dir);
            if let Err(e) = app
                .asset_protocol_scope()
                .allow_directory(&attachment_dir, true)
            {
                tracing::warn!(error = %e, "attachment previews are off");
            }
            if let Err(e) = tray::install(app) {
                tracing::warn!(error = %e, "no tray icon on this desktop");
            }
            health_check(app.handle().clone());
            if let Some(core) = shared_core.clone() {
                let handle = app.handle().clone();
                let worker = worker_for_setup.clone();
                let notifier = notifications::start(&handle, core.clone());
                worker.set_notifier(notifier.clone());
                hub_for_setup.set_notifier(notifier);
                let vendor = worker.clone();
                hub_for_setup.set_vendor_wake(Arc::new(move || vendor.wake()));
                hub_for_setup.restart(handle.clone(), core.clone());
                let dir = sync_dir.clone();
                tauri::async_runtime::spawn(async move {
                    after_first_paint().await;
                    worker.restart(handle, core, dir).await
                });
            }
            tracing::debug!(ms = since_start(), "window set up");
            Ok(())
        })
        .on_page_load(|_, payload| {
            tracing::debug!(ms = since_start(), event = ?payload.event(), "page load");
        })
        // Every #[tauri::command] of the shell, listed by build.rs (see contract.rs).
        .invoke_handler(include!(concat!(env!("OUT_DIR"), "/handlers.rs")))
        .build(tauri::generate_context!());
    match app {
        Ok(app) => app.run(|_, _| {}),
        Err(e) => {
            tracing::error!(error = %e, "the window could not be created");
            eprintln!("frontline: the window could not be created: {e}");
            std::process::exit(1);
        }
    }
    drop(log_guard);
}
