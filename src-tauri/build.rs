//! Registers the shell's commands with Tauri from the source itself (see `contract.rs`): the
//! permission list (`allow-<command>`, granted in `capabilities/`) and the handler list that
//! `lib.rs` includes, so a new `#[tauri::command]` needs no list kept by hand.
#[path = "contract.rs"]
mod contract;

use std::path::PathBuf;

fn main() {
    let root = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").unwrap_or_else(|_| ".".into()));
    let commands = match contract::commands(&root) {
        Ok(c) => c,
        Err(e) => panic!("reading the shell's commands failed: {e}"),
    };
    for file in contract::sources(&root) {
        println!("cargo:rerun-if-changed={}", file.display());
    }
    println!("cargo:rerun-if-changed=src-tauri/contract.rs");
    let out = PathBuf::from(std::env::var("OUT_DIR").unwrap_or_else(|_| ".".into()));
    if let Err(e) = std::fs::write(out.join("handlers.rs"), contract::handlers_rs(&commands)) {
        panic!("writing the handler list failed: {e}");
    }
    // tauri-build wants 'static names; a build script ends right after, so leaking is free.
    let names: &'static [&'static str] = Box::leak(
        commands
            .iter()
            .map(|c| &*Box::leak(c.name.clone().into_boxed_str()))
            .collect::<Vec<&'static str>>()
            .into_boxed_slice(),
    );
    let attributes = tauri_build::Attributes::new()
        .capabilities_path_pattern("src-tauri/capabilities/**/*")
        .app_manifest(tauri_build::AppManifest::new().commands(names));
    if let Err(error) = tauri_build::try_build(attributes) {
        panic!("tauri-build failed: {error:#}");
    }
}
