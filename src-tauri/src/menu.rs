//! The window menu: new issue, the log folder, quit.
use tauri::menu::{MenuBuilder, MenuItemBuilder, PredefinedMenuItem, SubmenuBuilder};
use tauri::{App, Manager};

use crate::commands::AppState;

pub fn install(app: &mut App) -> tauri::Result<()> {
    let new_issue = MenuItemBuilder::with_id("new-issue", "New issue")
        .accelerator("CmdOrCtrl+N")
        .build(app)?;
    let queue = MenuItemBuilder::with_id("queue", "Issue queue").build(app)?;
    let clients = MenuItemBuilder::with_id("clients", "Clients").build(app)?;
    let quit = PredefinedMenuItem::quit(app, Some("Quit Frontline"))?;
    let logs = MenuItemBuilder::with_id("open-logs", "Open log folder").build(app)?;
    let file = SubmenuBuilder::new(app, "File")
        .items(&[&new_issue, &queue, &clients])
        .separator()
        .item(&quit)
        .build()?;
    let help = SubmenuBuilder::new(app, "Help").item(&logs).build()?;
    let menu = MenuBuilder::new(app).items(&[&file, &help]).build()?;
    app.set_menu(menu)?;
    app.on_menu_event(|app, event| {
        let id = event.id().as_ref();
        if id == "open-logs" {
            if let Err(e) = crate::commands::app::reveal_logs(app, &app.state::<AppState>()) {
                tracing::warn!(error = %e.message, "could not open the log folder");
            }
            return;
        }
        crate::events::MENU.emit(app, id.to_owned());
    });
    Ok(())
}
