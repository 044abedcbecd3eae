//! A window with one line of text, reporting when its first frame is painted, the way
//! Frontline reports its queue; with `BARE_STEPS=1` also when its set-up and page load begin,
//! to compare each step with Frontline's debug log.
#![allow(clippy::expect_used)] // Start-up of a benchmark window: nothing to recover.
use std::sync::OnceLock;
use std::time::Instant;

static STARTED: OnceLock<Instant> = OnceLock::new();

fn since_start() -> u128 {
    STARTED.get().map(|t| t.elapsed().as_millis()).unwrap_or(0)
}

#[tauri::command]
fn ui_ready() {
    eprintln!("bare window: painted ms={}", since_start());
}

fn main() {
    STARTED.get_or_init(Instant::now);
    let steps = std::env::var_os("BARE_STEPS").is_some();
    tauri::Builder::default()
        .setup(move |_| {
            if steps {
                eprintln!("bare window: set-up begins ms={}", since_start());
            }
            Ok(())
        })
        .on_page_load(move |_, payload| {
            if steps {
                eprintln!(
                    "bare window: page load ms={} event={:?}",
                    since_start(),
                    payload.event()
                );
            }
        })
        .invoke_handler(tauri::generate_handler![ui_ready])
        .run(tauri::generate_context!())
        .expect("bare window runs");
}
