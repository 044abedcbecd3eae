//! What the page may touch on disk: a script running in the real window names system files,
//! a private key and `../` paths to every command that takes a path, and each is refused; the
//! page cannot open a file dialog of its own either. Files come only from the dialogs the shell
//! opens (driven here as a person would, with the keyboard) or from a drop.
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use frontline_core::model::{NewClient, NewIssue};
use frontline_core::{Frontline, Settings, SystemClock};
use serde_json::{json, Value};

use crate::harness::{launch, launch_with, App, PrivateDisplay};

/// One issue to attach to; its id.
fn seed(dir: &Path) -> String {
    let app =
        Frontline::open(Settings::for_dir(dir), std::sync::Arc::new(SystemClock)).expect("cache");
    let client = app
        .create_client(NewClient {
            name: "Northwind Traders".into(),
            contact: String::new(),
        })
        .expect("client");
    app.create_issue(NewIssue {
        client_id: client.id,
        title: "Export fails".into(),
        description: "The export stops halfway.".into(),
        steps: "1. Open reports\n2. Export".into(),
        category: "bug".into(),
        impact: "one_user".into(),
        urgency: "high".into(),
        affected_users: 1,
    })
    .expect("issue")
    .issue
    .id
}

/// Calls a command from the page the way any script in it could: `Ok(value)` or the failure.
async fn invoke(app: &App, command: &str, args: Value) -> Result<Value, Value> {
    let out = app
        .client
        .execute_async(
            r#"const [command, args, done] = arguments;
               window.__TAURI_INTERNALS__.invoke(command, args)
                 .then((value) => done({ ok: value ?? null }), (error) => done({ error }));"#,
            vec![json!(command), args],
        )
        .await
        .expect("run the script");
    match out.get("ok") {
        Some(v) => Ok(v.clone()),
        None => Err(out["error"].clone()),
    }
}

fn assert_refused(outcome: Result<Value, Value>, what: &str) {
    let error = outcome.expect_err(&format!("{what} was accepted"));
    let text = error.to_string();
    assert!(
        text.contains("forbidden") && text.contains("choose the file again")
            || text.contains("not allowed"),
        "{what}: refused, but not as a file the page may not name: {text}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_page_cannot_read_or_write_files_it_was_not_handed() {
    let data = tempfile::tempdir().expect("temp dir");
    let issue = seed(data.path());
    let outside = tempfile::tempdir().expect("temp dir");
    let key = outside.path().join(".ssh/id_rsa");
    std::fs::create_dir_all(key.parent().expect("folder")).expect("ssh folder");
    std::fs::write(&key, "-----BEGIN OPENSSH PRIVATE KEY-----\nsecret\n").expect("key");
    let victim = outside.path().join("notes.txt");
    std::fs::write(&victim, "mine").expect("a file of the user's");
    let app = launch(data.path()).await;

    let key = key.display().to_string();
    let climbing = format!("{}/../../../../etc/passwd", data.path().display());
    let bad = [
        "/etc/passwd",
        key.as_str(),
        "../../../etc/passwd",
        climbing.as_str(),
    ];
    for path in bad {
        assert_refused(
            invoke(
                &app,
                "attach_files",
                json!({ "issueId": issue, "paths": [path] }),
            )
            .await,
            &format!("attach_files {path}"),
        );
        assert_refused(
            invoke(&app, "import_ladder", json!({ "path": path })).await,
            &format!("import_ladder {path}"),
        );
    }
    for path in [
        victim.display().to_string(),
        "../notes.txt".into(),
        key.clone(),
    ] {
        assert_refused(
            invoke(&app, "export_ladder", json!({ "path": path })).await,
            &format!("export_ladder {path}"),
        );
    }
    // Nothing was attached, read or overwritten.
    let detail = invoke(&app, "get_issue", json!({ "id": issue }))
        .await
        .expect("the issue");
    assert_eq!(detail["attachments"], json!([]), "nothing attached");
    assert_eq!(std::fs::read_to_string(&victim).expect("read"), "mine");
    // The page has no file dialog of its own: the plugin's commands are not in its capability.
    assert_refused(
        invoke(&app, "plugin:dialog|open", json!({ "options": {} })).await,
        "the dialog plugin's open",
    );
    app.close().await;
}

/// The X window whose title is `title`, once it is mapped.
fn wait_for_window(display: &str, title: &str) -> String {
    let started = Instant::now();
    loop {
        let out = Command::new("xdotool")
            .args(["search", "--onlyvisible", "--name", title])
            .env("DISPLAY", display)
            .output()
            .expect("xdotool is installed");
        if let Some(id) = String::from_utf8_lossy(&out.stdout).lines().next() {
            return id.to_owned();
        }
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "no window titled {title:?} appeared"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// Whether the X window `id` is still mapped.
fn visible(display: &str, id: &str) -> bool {
    Command::new("xdotool")
        .args(["search", "--onlyvisible", "--name", "."])
        .env("DISPLAY", display)
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).lines().any(|l| l == id))
        .unwrap_or(false)
}

/// Types a path into the GTK file dialog and confirms it, as a person at the keyboard would,
/// until the dialog closes (a busy dialog may miss keys while it loads a folder: type again).
fn answer_dialog(display: &str, window: &str, path: &Path) {
    let xdotool = |args: &[&str]| {
        let status = Command::new("xdotool")
            .args(args)
            .env("DISPLAY", display)
            .status()
            .expect("xdotool");
        assert!(status.success(), "xdotool {args:?}");
    };
    let started = Instant::now();
    while visible(display, window) {
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "the file dialog did not take the typed path"
        );
        xdotool(&["windowfocus", "--sync", window]);
        // Ctrl+L opens the location field; the path replaces whatever it holds.
        xdotool(&["key", "ctrl+l", "ctrl+a"]);
        xdotool(&["type", "--delay", "20", &path.display().to_string()]);
        xdotool(&["key", "Return"]);
        let pressed = Instant::now();
        while visible(display, window) && pressed.elapsed() < Duration::from_secs(3) {
            std::thread::sleep(Duration::from_millis(100));
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_file_chosen_in_the_apps_dialog_is_attached_once() {
    let data = tempfile::tempdir().expect("temp dir");
    let issue = seed(data.path());
    let log = data.path().join("server.log");
    std::fs::write(&log, "ERROR export stopped at row 5000\n").expect("a log file");
    // Its own screen: the keys typed into the dialog reach no other test's window.
    let screen = PrivateDisplay::start();
    let display = screen.name.clone();
    let app = launch_with(data.path(), &[("DISPLAY", display.as_str())]).await;

    let chosen = {
        let client = app.client.clone();
        let pick = tokio::spawn(async move {
            client
                .execute_async(
                    r#"const done = arguments[0];
                       window.__TAURI_INTERNALS__.invoke("choose_files", { purpose: "attachments" })
                         .then(done, (e) => done({ error: e }));"#,
                    vec![],
                )
                .await
        });
        let window = tokio::task::spawn_blocking({
            let display = display.clone();
            move || wait_for_window(&display, "Attach files")
        })
        .await
        .expect("find the dialog");
        tokio::task::spawn_blocking({
            let (display, log) = (display.clone(), log.clone());
            move || answer_dialog(&display, &window, &log)
        })
        .await
        .expect("answer the dialog");
        pick.await.expect("join").expect("choose_files answered")
    };
    assert_eq!(
        chosen,
        json!([log.display().to_string()]),
        "the dialog's choice"
    );

    let attached = invoke(
        &app,
        "attach_files",
        json!({ "issueId": issue, "paths": chosen }),
    )
    .await
    .expect("the chosen file is attached");
    assert_eq!(attached[0]["file_name"], json!("server.log"));
    // The choice was for one use: naming it again is refused.
    assert_refused(
        invoke(
            &app,
            "attach_files",
            json!({ "issueId": issue, "paths": chosen }),
        )
        .await,
        "the same file a second time",
    );
    app.close().await;
    drop(screen);
}
