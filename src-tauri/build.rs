fn main() {
    let attributes = tauri_build::Attributes::new()
        .capabilities_path_pattern("src-tauri/capabilities/**/*")
        .app_manifest(tauri_build::AppManifest::new().commands(&COMMANDS));
    if let Err(error) = tauri_build::try_build(attributes) {
        panic!("tauri-build failed: {error:#}");
    }
}

/// Every command the shell registers; each needs a permission in a capability to be callable.
const COMMANDS: [&str; 48] = [
    "app_info",
    "ui_ready",
    "field_options",
    "assess_priority",
    "list_clients",
    "create_client",
    "create_issue",
    "get_issue",
    "list_issues",
    "change_status",
    "add_note",
    "save_draft",
    "load_draft",
    "discard_draft",
    "attach_files",
    "attach_bytes",
    "open_attachment",
    "suggest_articles",
    "get_article",
    "record_article_opened",
    "record_article_verdict",
    "record_step",
    "waive_screenshot",
    "get_playbook",
    "sync_status",
    "sync_now",
    "get_vendor_connection",
    "save_vendor_connection",
    "escalate_issue",
    "message_vendor",
    "retry_operation",
    "team_info",
    "climb_ladder",
    "chase_vendor",
    "flag_critical",
    "request_review",
    "override_priority",
    "set_do_not_disturb",
    "get_desk",
    "inform_client",
    "link_incident",
    "get_ladder_text",
    "save_ladder",
    "import_ladder",
    "export_ladder",
    "open_external",
    "open_log_folder",
    "open_data_folder",
];
