//! Logging issues, their numbers, the workflow, notes, and drafts that survive a restart.
use chrono::Duration;
use frontline_core::model::{EventBody, IssueDraft};
use frontline_core::status::Status;
use frontline_core::Error;

use crate::support::{host, new_issue};

#[test]
fn a_new_issue_gets_the_next_short_number_its_priority_and_a_created_event() {
    let h = host();
    let c = h.client("Northwind");
    let first = h.issue(&c, "Cannot log in");
    let second = h.issue(&c, "Report totals wrong");
    assert_eq!(first.issue.key, "FL-1001");
    assert_eq!(second.issue.key, "FL-1002");
    assert_eq!(
        uuid::Uuid::parse_str(&first.issue.id)
            .unwrap()
            .get_version_num(),
        7
    );
    assert_eq!(first.issue.priority, "P2");
    assert_eq!(
        first.issue.priority_reason,
        "High urgency × Several users → P2"
    );
    assert_eq!(first.issue.status, Status::New);
    assert_eq!(first.issue.created_by, "dana");
    assert_eq!(first.issue.created_at, "2026-03-02T09:00:00.000Z");
    assert_eq!(first.issue.client_name, "Northwind");
    assert_eq!(first.events.len(), 1);
    assert!(
        matches!(&first.events[0].body, EventBody::Created { priority, .. } if priority == "P2")
    );
    assert_eq!(first.next_statuses, Status::New.next());
}

#[test]
fn numbers_are_never_reused_even_after_a_failed_create() {
    let h = host();
    let c = h.client("Northwind");
    h.issue(&c, "One");
    let mut bad = new_issue(&c, "Two");
    bad.urgency = "whenever".into();
    assert!(h.app.create_issue(bad).is_err());
    assert_eq!(h.issue(&c, "Three").issue.key, "FL-1002");
    let h = h.restart();
    let c = h.app.clients().unwrap().remove(0);
    assert_eq!(h.issue(&c, "Four").issue.key, "FL-1003");
}

#[test]
fn statuses_move_only_along_the_workflow_and_each_move_is_in_the_timeline() {
    let h = host();
    let c = h.client("Northwind");
    let id = h.issue(&c, "Cannot log in").issue.id;
    h.clock.advance(Duration::minutes(5));
    let d = h
        .app
        .change_status(&id, "in_progress", "calling the client")
        .unwrap();
    assert_eq!(d.issue.status, Status::InProgress);
    assert_eq!(d.issue.updated_at, "2026-03-02T09:05:00.000Z");
    h.app.change_status(&id, "resolved", "").unwrap();
    let d = h.app.change_status(&id, "closed", "").unwrap();
    assert!(d.next_statuses.is_empty());

    let err = h.app.change_status(&id, "in_progress", "").unwrap_err();
    assert!(
        matches!(
            err,
            Error::InvalidTransition {
                from: "Closed",
                to: "In progress",
                ..
            }
        ),
        "{err:?}"
    );
    assert!(err.to_string().contains("this status is final"), "{err}");

    let moves: Vec<(Status, Status)> = d
        .events
        .iter()
        .filter_map(|e| match e.body {
            EventBody::StatusChanged { from, to, .. } => Some((from, to)),
            _ => None,
        })
        .collect();
    assert_eq!(
        moves,
        vec![
            (Status::New, Status::InProgress),
            (Status::InProgress, Status::Resolved),
            (Status::Resolved, Status::Closed)
        ]
    );
}

#[test]
fn a_refused_transition_names_what_is_allowed_and_changes_nothing() {
    let h = host();
    let c = h.client("Northwind");
    let id = h.issue(&c, "Cannot log in").issue.id;
    let err = h.app.change_status(&id, "closed", "").unwrap_err();
    let msg = err.to_string();
    assert!(msg.contains("New cannot move to Closed"), "{msg}");
    assert!(
        msg.contains("In progress, Waiting on client, Escalated, Resolved"),
        "{msg}"
    );
    let d = h.app.issue(&id).unwrap();
    assert_eq!(d.issue.status, Status::New);
    assert_eq!(d.events.len(), 1);
}

#[test]
fn notes_are_added_to_the_timeline_in_order() {
    let h = host();
    let c = h.client("Northwind");
    let id = h.issue(&c, "Cannot log in").issue.id;
    h.app.add_note(&id, "Asked for a screenshot").unwrap();
    let d = h.app.add_note(&id, "Client sent it").unwrap();
    let notes: Vec<&str> = d
        .events
        .iter()
        .filter_map(|e| match &e.body {
            EventBody::Note { text } => Some(text.as_str()),
            _ => None,
        })
        .collect();
    assert_eq!(notes, ["Asked for a screenshot", "Client sent it"]);
}

#[test]
fn a_draft_survives_a_restart_and_goes_when_the_issue_is_created() {
    let h = host();
    let c = h.client("Northwind");
    assert!(h.app.draft().unwrap().is_none());
    let draft = IssueDraft {
        client_id: c.id.clone(),
        title: "Export to CSV fa".into(),
        affected_users: "twel".into(),
        ..Default::default()
    };
    h.app.save_draft(draft.clone()).unwrap();
    let h = h.restart();
    let back = h.app.draft().unwrap().expect("draft kept");
    assert_eq!(back.draft, draft);
    assert_eq!(back.saved_at, "2026-03-02T09:00:00.000Z");

    h.app
        .create_issue(new_issue(&c, "Export to CSV fails"))
        .unwrap();
    assert!(
        h.app.draft().unwrap().is_none(),
        "creating the issue drops the draft"
    );
}

#[test]
fn a_draft_can_be_discarded() {
    let h = host();
    h.app
        .save_draft(IssueDraft {
            title: "oops".into(),
            ..Default::default()
        })
        .unwrap();
    h.app.discard_draft().unwrap();
    assert!(h.app.draft().unwrap().is_none());
}

#[test]
fn issues_and_clients_are_still_there_after_a_restart() {
    let h = host();
    let c = h.client("Northwind");
    let id = h.issue(&c, "Cannot log in").issue.id;
    let h = h.restart();
    let d = h.app.issue(&id).unwrap();
    assert_eq!(d.issue.title, "Cannot log in");
    let clients = h.app.clients().unwrap();
    assert_eq!(clients.len(), 1);
    assert_eq!((clients[0].open_issues, clients[0].total_issues), (1, 1));
}

#[test]
fn client_names_are_unique_ignoring_case() {
    let h = host();
    h.client("Northwind");
    let err = h.app.create_client(frontline_core::model::NewClient {
        name: "NORTHWIND".into(),
        contact: String::new(),
    });
    assert!(err.unwrap_err().to_string().contains("already exists"));
    assert_eq!(h.app.clients().unwrap().len(), 1);
}

#[test]
fn an_import_is_all_or_nothing() {
    let h = host();
    let c = h.client("Northwind");
    let mut batch: Vec<_> = (0..5)
        .map(|i| new_issue(&c, &format!("Imported {i}")))
        .collect();
    batch[3].urgency = "soonish".into();
    let err = h.app.import_issues(batch.clone()).unwrap_err();
    assert!(
        err.to_string().contains("\"soonish\" is not an urgency"),
        "{err}"
    );
    assert_eq!(h.app.issues(&Default::default()).unwrap().total, 0);
    batch[3].urgency = "low".into();
    let ids = h.app.import_issues(batch).unwrap();
    assert_eq!(ids.len(), 5);
    assert_eq!(h.app.issue(&ids[4]).unwrap().issue.key, "FL-1005");
}
