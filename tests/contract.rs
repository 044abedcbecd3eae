//! One IPC contract: the page's `contract.ts` is what the shell's commands and events say,
//! and the capability grants exactly the shell's commands. `UPDATE_BINDINGS=1` rewrites
//! `contract.ts`; otherwise a stale one fails, as the page's calls are type-checked against it.
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "../src-tauri/contract.rs"]
mod contract;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use ts_rs::TS;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The type names `bindings.ts` exports.
fn exported(bindings: &str) -> Vec<String> {
    bindings
        .lines()
        .filter_map(|l| l.strip_prefix("export type "))
        .filter_map(|rest| rest.split([' ', '<', '=']).next())
        .map(str::to_owned)
        .collect()
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

#[test]
fn the_pages_contract_is_generated_from_the_shells_commands_and_events() {
    let root = root();
    let commands = contract::commands(&root).expect("commands");
    let events = contract::events(&root).expect("events");
    assert!(
        commands.len() > 50,
        "the scan found {} commands",
        commands.len()
    );
    let names: BTreeSet<&str> = commands.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(names.len(), commands.len(), "two commands share a name");
    for expected in [
        "get_issue",
        "attach_files",
        "choose_files",
        "verify_evidence_pack",
    ] {
        assert!(names.contains(expected), "{expected} was not found");
    }
    let bindings = read(&root.join("ui/src/shared/bindings.ts"));
    let local = vec![(
        "FilePurpose".to_owned(),
        frontline_lib::files::FilePurpose::decl(&ts_rs::Config::default()),
    )];
    let generated =
        contract::contract_ts(&commands, &events, &exported(&bindings), &local).expect("contract");
    let path = root.join("ui/src/shared/contract.ts");
    if std::env::var_os("UPDATE_BINDINGS").is_some() {
        std::fs::write(&path, &generated).expect("write contract.ts");
    }
    assert!(
        read(&path) == generated,
        "ui/src/shared/contract.ts is stale: run `UPDATE_BINDINGS=1 cargo test --test contract` and commit it"
    );
    // What the page is told matches what Tauri sees: the arguments by their camelCase names.
    let attach = commands.iter().find(|c| c.name == "attach_files").unwrap();
    let args: Vec<&str> = attach.args.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(args, ["issueId", "paths"]);
    assert!(generated.contains("  \"sync\": SyncStatus;"));
}

#[test]
fn the_capability_grants_exactly_the_shells_commands() {
    let root = root();
    let commands = contract::commands(&root).expect("commands");
    let capability: serde_json::Value =
        serde_json::from_str(&read(&root.join("src-tauri/capabilities/default.json")))
            .expect("capability JSON");
    let granted: BTreeSet<String> = capability["permissions"]
        .as_array()
        .expect("permissions")
        .iter()
        .filter_map(|p| p.as_str())
        // Plugin and core permissions carry their plugin's name; ours do not.
        .filter(|p| !p.contains(':'))
        .map(str::to_owned)
        .collect();
    let wanted: BTreeSet<String> = commands
        .iter()
        .map(|c| contract::permission(&c.name))
        .collect();
    let missing: Vec<&String> = wanted.difference(&granted).collect();
    let unknown: Vec<&String> = granted.difference(&wanted).collect();
    assert!(
        missing.is_empty() && unknown.is_empty(),
        "capabilities/default.json: commands the window cannot call: {missing:?}; permissions for commands that do not exist: {unknown:?}"
    );
}

#[test]
fn a_command_the_scan_cannot_describe_is_named() {
    // A command whose argument has no TypeScript form fails the generation with its name.
    let dir = tempfile::tempdir().unwrap();
    let src = dir.path().join("src-tauri/src/commands");
    std::fs::create_dir_all(&src).unwrap();
    std::fs::write(
        src.join("odd.rs"),
        "#[tauri::command]\n\
         pub async fn odd(state: State<'_, AppState>, pair: (String, i64)) -> Result<(), Failure> {\n\
             Ok(())\n\
         }\n",
    )
    .unwrap();
    let commands = contract::commands(dir.path()).unwrap();
    assert_eq!(commands.len(), 1);
    assert_eq!(commands[0].module, "commands::odd");
    assert_eq!(
        commands[0].args.len(),
        1,
        "the State is Tauri's, not the page's"
    );
    let err = contract::contract_ts(&commands, &[], &[], &[]).unwrap_err();
    assert!(err.starts_with("odd:"), "{err}");
}
