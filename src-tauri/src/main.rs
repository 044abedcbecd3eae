#![allow(clippy::print_stdout)]
// A command line: its answer goes to standard output.
// Prevents an extra console window on Windows in release.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        // `frontline verify-pack FILE`: checks an evidence pack without opening the window.
        Some("verify-pack") => std::process::exit(verify_pack(args.get(1))),
        _ => frontline_lib::run(),
    }
}

/// 0: intact; 1: changed (the first changed event is named); 2: not a pack, or unreadable.
fn verify_pack(file: Option<&String>) -> i32 {
    let Some(file) = file else {
        eprintln!("usage: frontline verify-pack FILE (an evidence pack, .html or .json)");
        return 2;
    };
    match frontline_core::evidence::verify_file(std::path::Path::new(file)) {
        Ok(v) => {
            println!("{file}: {}", v.message);
            if v.intact {
                0
            } else {
                1
            }
        }
        Err(e) => {
            eprintln!("{file}: {e}");
            2
        }
    }
}
