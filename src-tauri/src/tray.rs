//! The tray icon: how many escalations are breaching their SLA and how many are critical, at a
//! glance; its menu opens the app or the escalations desk.
use tauri::menu::{Menu, MenuItem};
use tauri::tray::TrayIconBuilder;
use tauri::{App, AppHandle, Manager};

const TRAY_ID: &str = "frontline";

pub fn install(app: &App) -> tauri::Result<()> {
    let open = MenuItem::with_id(app, "tray-open", "Open Frontline", true, None::<&str>)?;
    let desk = MenuItem::with_id(app, "tray-desk", "Escalations", true, None::<&str>)?;
    let menu = Menu::with_items(app, &[&open, &desk])?;
    let mut builder = TrayIconBuilder::with_id(TRAY_ID)
        .menu(&menu)
        .tooltip("Frontline")
        .on_menu_event(|app, event| {
            if let Some(window) = app.get_webview_window("main") {
                let _ = window.unminimize();
                let _ = window.show();
                let _ = window.set_focus();
            }
            if event.id().as_ref() == "tray-desk" {
                crate::events::MENU.emit(app, "desk".to_owned());
            }
        });
    if let Some(icon) = app.default_window_icon() {
        builder = builder.icon(icon.clone());
    }
    builder.build(app)?;
    Ok(())
}

/// Shows the counts beside the icon (and in its tooltip where the desktop supports one).
pub fn show_counts(app: &AppHandle, breaching: usize, critical: usize) {
    let Some(tray) = app.tray_by_id(TRAY_ID) else {
        return;
    };
    let text = format!("Frontline: {breaching} breaching SLA, {critical} critical");
    let _ = tray.set_tooltip(Some(&text));
    let label = if breaching + critical == 0 {
        String::new()
    } else {
        format!("{breaching} late · {critical} critical")
    };
    let _ = tray.set_title(Some(&label));
}
