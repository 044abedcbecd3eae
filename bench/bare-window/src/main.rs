//! A window with one line of text, reporting when its first frame is painted, the way
//! Frontline reports its queue.
#![allow(clippy::expect_used)] // Start-up of a benchmark window: nothing to recover.
use std::sync::OnceLock;
use std::time::Instant;

static STARTED: OnceLock<Instant> = OnceLock::new();

#[tauri::command]
fn ui_ready() {
    let ms = STARTED.get().map(|t| t.elapsed().as_millis()).unwrap_or(0);
    eprintln!("bare window: painted ms={ms}");
}

fn main() {
    STARTED.get_or_init(Instant::now);
    tauri::Builder::default()
        .invoke_handler(tauri::generate_handler![ui_ready])
        .run(tauri::generate_context!())
        .expect("bare window runs");
}
