//! Bad input gets a clear, specific message, and nothing is written.
use std::sync::Arc;

use frontline_core::model::{IssueQuery, NewClient};
use frontline_core::{Error, ErrorCode, Failure, Frontline, SystemClock};

use crate::support::{host, new_issue, settings, Host};

fn total(h: &Host) -> i64 {
    h.app.issues(&IssueQuery::default()).unwrap().total
}

#[test]
fn each_bad_issue_field_is_named_and_nothing_is_written() {
    let h = host();
    let c = h.client("Acme");
    // (field named, how the issue is spoiled, the message)
    type Case = (
        &'static str,
        Box<dyn Fn(&mut frontline_core::model::NewIssue)>,
        &'static str,
    );
    let cases: Vec<Case> = vec![
        (
            "Title",
            Box::new(|n| n.title = "   ".into()),
            "Title: is required.",
        ),
        (
            "Title",
            Box::new(|n| n.title = "x".repeat(200 * 1024)),
            "Title: is 204800 characters long; the limit is 200",
        ),
        (
            "Description",
            Box::new(|n| n.description = String::new()),
            "Description: is required.",
        ),
        (
            "Client",
            Box::new(|n| n.client_id = String::new()),
            "Client: is required.",
        ),
        (
            "Client",
            Box::new(|n| n.client_id = "someone-else".into()),
            "not in the client list",
        ),
        (
            "Urgency",
            Box::new(|n| n.urgency = "ASAP!!".into()),
            "\"ASAP!!\" is not an urgency. Choose Low, Medium, High or Critical.",
        ),
        (
            "Urgency",
            Box::new(|n| n.urgency = "High".into()),
            "is not an urgency",
        ),
        (
            "Category",
            Box::new(|n| n.category = "printers".into()),
            "\"printers\" is not a category",
        ),
        (
            "Category",
            Box::new(|n| n.category = String::new()),
            "Category: is required.",
        ),
        (
            "Impact",
            Box::new(|n| n.impact = "everyone".into()),
            "\"everyone\" is not an impact level",
        ),
        (
            "Affected users",
            Box::new(|n| n.affected_users = -1),
            "must be between 0 and",
        ),
        (
            "Title",
            Box::new(|n| n.title = "null\0byte".into()),
            "NUL character",
        ),
    ];
    for (field, spoil, expected) in cases {
        let mut n = new_issue(&c, "Valid title");
        spoil(&mut n);
        let err = h.app.create_issue(n).unwrap_err();
        let failure = Failure::from(err);
        assert_eq!(
            failure.code,
            ErrorCode::Invalid,
            "{field}: {}",
            failure.message
        );
        assert_eq!(failure.field.as_deref(), Some(field), "{}", failure.message);
        assert!(
            failure.message.contains(expected),
            "{field}: {:?} should contain {expected:?}",
            failure.message
        );
        assert!(
            failure.message.len() < 400,
            "the message quotes an excerpt, not the whole input"
        );
    }
    assert_eq!(total(&h), 0, "nothing was written");
    assert_eq!(
        h.issue(&c, "Now valid").issue.key,
        "FL-1001",
        "and no number was used up"
    );
}

#[test]
fn bad_client_input_is_refused() {
    let h = host();
    let err = h
        .app
        .create_client(NewClient {
            name: "  ".into(),
            contact: String::new(),
        })
        .unwrap_err();
    assert_eq!(err.to_string(), "Client name: is required.");
    let err = h
        .app
        .create_client(NewClient {
            name: "n".repeat(300),
            contact: String::new(),
        })
        .unwrap_err();
    assert!(err.to_string().contains("limit is 200"));
    assert!(h.app.clients().unwrap().is_empty());
}

#[test]
fn unknown_statuses_and_issues_are_named() {
    let h = host();
    let c = h.client("Acme");
    let id = h.issue(&c, "x").issue.id;
    let err = h.app.change_status(&id, "done-ish", "").unwrap_err();
    assert!(
        err.to_string().contains("\"done-ish\" is not a status"),
        "{err}"
    );
    let err = h.app.change_status("nope", "resolved", "").unwrap_err();
    assert!(matches!(err, Error::NotFound { .. }));
    assert_eq!(Failure::from(err).code, ErrorCode::NotFound);
    let err = h.app.add_note(&id, " \n ").unwrap_err();
    assert_eq!(err.to_string(), "Note: is required.");
    assert_eq!(h.app.issue(&id).unwrap().events.len(), 1);
}

#[test]
fn an_unwritable_data_folder_says_what_to_do() {
    // A regular file where the folder should be: creating the folder fails even for root.
    let dir = tempfile::tempdir().unwrap();
    let blocker = dir.path().join("not-a-folder");
    std::fs::write(&blocker, "file").unwrap();
    let s = frontline_core::Settings::for_dir(blocker.join("frontline"));
    let err = Frontline::open(s, Arc::new(SystemClock))
        .err()
        .expect("refused");
    assert!(matches!(err, Error::DataDir { .. }), "{err:?}");
    assert_eq!(err.code(), ErrorCode::Startup);
    let msg = err.to_string();
    assert!(
        msg.contains("cannot write its data folder") && msg.contains("FRONTLINE_DATA_DIR"),
        "{msg}"
    );
}

#[test]
fn a_malformed_team_matrix_in_the_data_folder_is_named_at_start() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("priority-matrix.json"),
        "{\n  \"impacts\": [,]\n}",
    )
    .unwrap();
    let err = Frontline::open(settings(&dir), Arc::new(SystemClock))
        .err()
        .expect("refused");
    let msg = err.to_string();
    assert!(msg.contains("priority-matrix.json: line 2"), "{msg}");
}

#[test]
fn a_malformed_team_file_or_ladder_is_named_with_its_line_and_field() {
    use frontline_core::ErrorCode;
    let cases = [
        // A name without quotes.
        (
            "team.toml",
            "ladder = \"four-rung\"\nleads = [dana]\n",
            "line 2 (leads = [dana])",
        ),
        // A field the profile does not have (a typo).
        ("team.toml", "ladder = \"four-rung\"\nleeds = []\n", "leeds"),
        // A ladder the profile names that does not exist.
        (
            "team.toml",
            "ladder = \"five-rung\"\nleads = []\n",
            "ladder = \"five-rung\"",
        ),
    ];
    for (file, text, expected) in cases {
        let dir = tempfile::tempdir().unwrap();
        let bundled = frontline_core::ladder::BUNDLED_TEAM;
        // The calendar and SLA sections of the bundled file, after the broken head.
        let tail = &bundled[bundled.find("[calendar]").unwrap()..];
        std::fs::write(dir.path().join(file), format!("{text}\n{tail}")).unwrap();
        let err = Frontline::open(settings(&dir), Arc::new(SystemClock))
            .err()
            .expect("refused");
        let failure = frontline_core::Failure::from(err);
        assert_eq!(failure.code, ErrorCode::Preset, "{}", failure.message);
        assert!(failure.message.contains("team.toml"), "{}", failure.message);
        assert!(failure.message.contains(expected), "{}", failure.message);
    }
    // A ladder a lead saves with a wrong value: its line and field.
    let h = crate::support::lead_host();
    let text = h.app.ladder_text().unwrap();
    let err = h
        .app
        .save_ladder(&text.replacen("lead_only = true", "lead_only = \"maybe\"", 1))
        .unwrap_err();
    let failure = frontline_core::Failure::from(err);
    assert_eq!(failure.code, ErrorCode::Preset);
    assert!(
        failure.message.contains("line ") && failure.message.contains("lead_only = \"maybe\""),
        "{}",
        failure.message
    );
}

#[test]
fn links_leave_the_app_only_for_https_and_mailto() {
    use frontline_core::links::check_external;
    assert_eq!(
        check_external("https://support.example.com/a?b=c").unwrap(),
        "https://support.example.com/a?b=c"
    );
    assert!(check_external("mailto:help@example.com").is_ok());
    for bad in [
        "javascript:alert(1)",
        "java\tscript:alert(1)",
        "http://example.com",
        "file:///etc/passwd",
        "data:text/html,hi",
        "https://",
        "not a url",
    ] {
        let err = check_external(bad).unwrap_err();
        assert_eq!(err.code(), ErrorCode::UnsafeLink, "{bad}");
    }
}

#[test]
fn the_window_navigates_only_within_the_app() {
    use frontline_core::links::is_app_page;
    let ok = [
        "tauri://localhost/index.html",
        "http://tauri.localhost/",
        "https://tauri.localhost/assets/x.js",
    ];
    for link in ok {
        assert!(
            is_app_page(&url::Url::parse(link).unwrap(), false),
            "{link}"
        );
    }
    let dev_server = url::Url::parse("http://127.0.0.1:1430/").unwrap();
    assert!(
        is_app_page(&dev_server, true),
        "`tauri dev` serves the UI from loopback"
    );
    assert!(
        !is_app_page(&dev_server, false),
        "a release build never loads from a server"
    );
    assert!(!is_app_page(
        &url::Url::parse("http://10.0.0.5:1430/").unwrap(),
        true
    ));
    let refused = [
        "https://evil.example/",
        "http://localhost:1420/",
        "file:///etc/passwd",
        "javascript:alert(1)",
        "tauri://evil/",
        "http://tauri.localhost.evil.example/",
    ];
    for link in refused {
        assert!(
            !is_app_page(&url::Url::parse(link).unwrap(), false),
            "{link}"
        );
    }
}
