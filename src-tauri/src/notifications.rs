//! Desktop notifications in the app: the notifier (grouping, do-not-disturb) over D-Bus, a
//! click brings the window forward on the issue, and a timer flushes what is pending and looks
//! for SLA thresholds and suspected outages.
use std::sync::Arc;
use std::time::Duration;

use frontline_core::notify::{DbusDesktop, Notifier};
use frontline_core::Frontline;
use tauri::{AppHandle, Manager};

/// How often pending notices are shown (a burst within it becomes one notification).
const FLUSH_EVERY: Duration = Duration::from_secs(3);
/// How often SLA clocks and outages are checked.
const CHECK_EVERY: Duration = Duration::from_secs(60);

pub fn start(app: &AppHandle, core: Arc<Frontline>) -> Arc<Notifier> {
    let handle = app.clone();
    let desktop = DbusDesktop::new(Arc::new(move |issue: Option<String>| {
        if let Some(window) = handle.get_webview_window("main") {
            let _ = window.unminimize();
            let _ = window.show();
            let _ = window.set_focus();
        }
        crate::events::OPEN_ISSUE.emit(&handle, issue);
    }));
    let notifier = Arc::new(Notifier::new(Arc::new(desktop)));
    let n = notifier.clone();
    let tray_app = app.clone();
    tauri::async_runtime::spawn(async move {
        // The first check reads every recent issue: not while the window opens.
        crate::after_first_paint().await;
        let mut since_check = CHECK_EVERY;
        loop {
            if since_check >= CHECK_EVERY {
                since_check = Duration::ZERO;
                let core = core.clone();
                let found = tauri::async_runtime::spawn_blocking(move || {
                    let mut notices = core.sla_alerts()?;
                    notices.extend(core.outage_alerts()?);
                    // The tray counts rows; outages are the lead's alert above.
                    let rows = core.desk_rows()?;
                    let breaching = rows
                        .iter()
                        .filter(|r| r.clock.as_ref().is_some_and(|c| c.breached))
                        .count();
                    let critical = rows.iter().filter(|r| r.critical).count();
                    Ok::<_, frontline_core::Error>((notices, breaching, critical))
                })
                .await;
                match found {
                    Ok(Ok((notices, breaching, critical))) => {
                        notices.into_iter().for_each(|x| n.push(x));
                        crate::tray::show_counts(&tray_app, breaching, critical);
                    }
                    Ok(Err(e)) => tracing::warn!(error = %e, "checking SLA clocks failed"),
                    Err(e) => tracing::warn!(error = %e, "checking SLA clocks failed"),
                }
            }
            let flusher = n.clone();
            // D-Bus calls block: keep them off the async workers.
            let _ = tauri::async_runtime::spawn_blocking(move || flusher.flush()).await;
            tokio::time::sleep(FLUSH_EVERY).await;
            since_check += FLUSH_EVERY;
        }
    });
    notifier
}
