//! Playbooks as data, steps recorded on the timeline, and escalation readiness.
use frontline_core::playbooks::StepState;

use crate::support::{host, new_issue};

/// What the readiness panel says is still missing.
fn missing(r: &frontline_core::readiness::Readiness) -> Vec<&str> {
    r.items
        .iter()
        .filter(|i| !i.ok)
        .map(|i| i.need.as_str())
        .collect()
}

#[test]
fn every_first_line_category_has_a_playbook_linking_real_articles() {
    let h = host();
    for category in ["login", "reports", "access", "navigation"] {
        let p = h
            .app
            .playbook(category)
            .unwrap_or_else(|| panic!("no playbook for {category}"));
        assert!(!p.steps.is_empty());
        for step in &p.steps {
            for article in &step.articles {
                h.app
                    .article(&format!("bundled:{article}"))
                    .unwrap_or_else(|e| panic!("{category}/{}: {e}", step.id));
            }
        }
    }
    assert!(h.app.field_options().problems.is_empty());
}

#[test]
fn a_malformed_team_playbook_is_named_by_file_and_line_and_the_others_load() {
    let dir = tempfile::tempdir().unwrap();
    let team = dir.path().join("playbooks");
    std::fs::create_dir(&team).unwrap();
    std::fs::write(
        team.join("broken.toml"),
        "category = \"reports\"\ntitle = \"Mine\"\n[[steps]]\nid = 3 oops\n",
    )
    .unwrap();
    std::fs::write(
        team.join("login.toml"),
        "category = \"login\"\ntitle = \"Our log-in checklist\"\n[[steps]]\nid = \"call\"\ntext = \"Call the user back\"\n",
    )
    .unwrap();
    let app = frontline_core::Frontline::open(
        crate::support::settings(&dir),
        std::sync::Arc::new(frontline_core::SystemClock),
    )
    .unwrap();
    let problems = app.field_options().problems;
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert!(
        problems[0].contains("broken.toml") && problems[0].contains("line 4"),
        "{}",
        problems[0]
    );
    assert_eq!(
        app.playbook("login").unwrap().title,
        "Our log-in checklist",
        "a team file replaces the bundled one"
    );
    assert_eq!(
        app.playbook("reports").unwrap().title,
        "Reading reports",
        "the bundled one stays when the team's is broken"
    );
}

#[test]
fn steps_done_or_skipped_are_in_the_timeline_and_feed_readiness() {
    let h = host();
    let c = h.client("Acme");
    let mut n = new_issue(&c, "Can't log in");
    n.steps = String::new();
    let id = h.app.create_issue(n).unwrap().issue.id;
    let d = h.app.issue(&id).unwrap();
    let p = d.playbook.clone().expect("login playbook");
    assert!(p.states.iter().all(|s| *s == StepState::Open));
    assert!(!d.readiness.ready);
    let lacking = missing(&d.readiness);
    assert_eq!(
        lacking,
        ["Steps to reproduce", "Screenshot", "Playbook steps"]
    );

    let err = h
        .app
        .record_step(&id, &p.playbook.steps[0].id, false, "  ")
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "Reason: is required.",
        "a skip needs a reason"
    );
    for (i, step) in p.playbook.steps.iter().enumerate() {
        if i == 1 {
            h.app
                .record_step(&id, &step.id, false, "user is on a locked-down kiosk")
                .unwrap();
        } else {
            h.app.record_step(&id, &step.id, true, "").unwrap();
        }
    }
    assert!(h.app.record_step(&id, "no-such-step", true, "").is_err());
    h.app
        .waive_screenshot(&id, "the screen shows patient data")
        .unwrap();
    let d = h.app.issue(&id).unwrap();
    let states = &d.playbook.as_ref().unwrap().states;
    assert_eq!(
        states[1],
        StepState::Skipped {
            reason: "user is on a locked-down kiosk".into()
        }
    );
    assert_eq!(
        states.iter().filter(|s| **s == StepState::Done).count(),
        states.len() - 1
    );
    let lacking = missing(&d.readiness);
    assert_eq!(
        lacking,
        ["Steps to reproduce"],
        "only the steps to reproduce are left"
    );
    let recorded = d
        .events
        .iter()
        .filter(|e| e.body.kind() == "step_recorded")
        .count();
    assert_eq!(recorded, states.len());
}

#[test]
fn a_complete_issue_with_a_screenshot_is_ready() {
    let h = host();
    let c = h.client("Acme");
    let mut n = new_issue(&c, "Error 500 when saving a record");
    n.category = "bug".into();
    let id = h.app.create_issue(n).unwrap().issue.id;
    h.app
        .attach_bytes(&id, "error.png", b"\x89PNG pretend")
        .unwrap();
    let d = h.app.issue(&id).unwrap();
    assert!(d.playbook.is_none(), "no playbook for vendor categories");
    assert!(d.readiness.ready, "{:?}", d.readiness);
}
