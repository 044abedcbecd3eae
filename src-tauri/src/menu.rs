//! The window menu: new issue, the log folder, quit.
use tauri::menu::{Menu, MenuBuilder, MenuEvent, MenuItemBuilder, SubmenuBuilder};
use tauri::{AppHandle, Manager};

use crate::commands::AppState;

/// The menu, given to the builder so that the window is created with its menu bar. Set on the
/// window once it existed, the bar shrank the page while WebKit started loading it (the page
/// load began 6-10 ms later, alternating launches).
pub fn build(app: &AppHandle) -> tauri::Result<Menu<tauri::Wry>> {
    let new_issue = MenuItemBuilder::with_id("new-issue", "New issue")
        .accelerator("CmdOrCtrl+N")
        .build(app)?;
    let queue = MenuItemBuilder::with_id("queue", "Issue queue").build(app)?;
    let clients = MenuItemBuilder::with_id("clients", "Clients").build(app)?;
    // The app's own item: GTK has no predefined Quit (muda shows it greyed out there).
    let quit = MenuItemBuilder::with_id("quit", "Quit Frontline")
        .accelerator("CmdOrCtrl+Q")
        .build(app)?;
    let logs = MenuItemBuilder::with_id("open-logs", "Open log folder").build(app)?;
    let file = SubmenuBuilder::new(app, "File")
        .items(&[&new_issue, &queue, &clients])
        .separator()
        .item(&quit)
        .build()?;
    let help = SubmenuBuilder::new(app, "Help").item(&logs).build()?;
    MenuBuilder::new(app).items(&[&file, &help]).build()
}

/// A menu item chosen: quitting and the log folder are handled here, the rest goes to the page.
pub fn on_event(app: &AppHandle, event: MenuEvent) {
    let id = event.id().as_ref();
    if id == "quit" {
        app.exit(0);
        return;
    }
    if id == "open-logs" {
        let Some(state) = app.try_state::<AppState>() else {
            tracing::warn!("the log folder cannot be opened before the window is set up");
            return;
        };
        if let Err(e) = crate::commands::app::reveal_logs(app, &state) {
            tracing::warn!(error = %e.message, "could not open the log folder");
        }
        return;
    }
    crate::events::MENU.emit(app, id.to_owned());
}
