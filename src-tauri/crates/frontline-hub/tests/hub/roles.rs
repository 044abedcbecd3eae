//! Lead powers are the hub's: whatever a desktop's files say, the hub refuses lead-only events
//! from agents, events signed as someone else, and any change to what is stored — through the
//! app and straight through Postgres with the desktop's credentials.
use uuid::Uuid;

use crate::{event, TestHub};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hub_refuses_lead_only_events_from_agents_and_takes_them_from_leads() {
    let hub = TestHub::new().await;
    let ana = hub.connect("ana").await;
    let lee = hub.connect("lee").await;
    assert!(!ana.whoami().await.unwrap().lead);
    assert!(lee.whoami().await.unwrap().lead);
    let issue = Uuid::now_v7();

    let note = event(
        "ana",
        issue,
        "note",
        serde_json::json!({"text": "Client called again"}),
    );
    let flag = event(
        "ana",
        issue,
        "flagged_critical",
        serde_json::json!({"reason": "All users down"}),
    );
    let report = ana.push(&[note.clone(), flag.clone()]).await.unwrap();
    assert_eq!(report.accepted, [note.id], "the note goes in");
    assert_eq!(report.refused.len(), 1);
    assert_eq!(report.refused[0].0, flag.id);
    assert!(
        report.refused[0]
            .1
            .contains("only a team lead may flag an issue critical"),
        "{:?}",
        report.refused
    );

    let lead_flag = event(
        "lee",
        issue,
        "flagged_critical",
        serde_json::json!({"reason": "All users down"}),
    );
    let report = lee.push(std::slice::from_ref(&lead_flag)).await.unwrap();
    assert_eq!(report.accepted, [lead_flag.id]);
    let kinds: Vec<(String, String)> = ana
        .pull(0, 10)
        .await
        .unwrap()
        .into_iter()
        .map(|(_, e)| e.unwrap())
        .map(|e| (e.author, e.kind))
        .collect();
    assert_eq!(
        kinds,
        [
            ("ana".into(), "note".into()),
            ("lee".into(), "flagged_critical".into())
        ]
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hub_refuses_the_same_statements_sent_straight_to_postgres_and_forged_authors() {
    let hub = TestHub::new().await;
    let ana = hub.raw("ana").await;
    let insert = |author: &'static str, kind: &'static str| {
        let ana = &ana;
        async move {
            ana.execute(
                "INSERT INTO frontline.events (id, issue_id, author, kind, body, occurred_at)
                 VALUES ($1, $2, $3, $4, '{}', now())",
                &[&Uuid::now_v7(), &Uuid::now_v7(), &author, &kind],
            )
            .await
        }
    };
    let refused = |r: Result<u64, tokio_postgres::Error>| {
        let e = r.expect_err("refused");
        e.as_db_error()
            .map(|d| d.message().to_owned())
            .unwrap_or_else(|| e.to_string())
    };
    let words = refused(insert("ana", "flagged_critical").await);
    assert!(
        words.contains("only a team lead may flag an issue critical"),
        "{words}"
    );
    let words = refused(insert("lee", "note").await);
    assert!(words.contains("ana cannot send an event as lee"), "{words}");
    let words = refused(insert("lee", "flagged_critical").await);
    assert!(words.contains("cannot send an event as lee"), "{words}");

    // Becoming the lead role is not possible for an agent; changing what is stored is not
    // possible for anyone's desktop.
    let e = ana
        .batch_execute("SET ROLE frontline_lead")
        .await
        .expect_err("not a lead");
    let words = e
        .as_db_error()
        .map(|d| d.message().to_owned())
        .unwrap_or_default();
    assert!(words.contains("permission denied"), "{words}");
    assert_eq!(
        insert("ana", "note").await.unwrap(),
        1,
        "an agent's own note goes in"
    );
    for statement in [
        "UPDATE frontline.events SET kind = 'flagged_critical'",
        "DELETE FROM frontline.events",
        "SELECT setval('frontline.event_seq', 1)",
        "INSERT INTO frontline.lead_only_kinds VALUES ('x', 'y')",
        "DELETE FROM frontline.lead_only_kinds",
        "ALTER TABLE frontline.events DISABLE ROW LEVEL SECURITY",
    ] {
        let e = ana.batch_execute(statement).await.expect_err(statement);
        let words = e
            .as_db_error()
            .map(|d| d.message().to_owned())
            .unwrap_or_default();
        assert!(
            words.contains("permission denied") || words.contains("must be owner"),
            "{statement}: {words}"
        );
    }
    let n: i64 = ana
        .query_one("SELECT count(*) FROM frontline.events", &[])
        .await
        .unwrap()
        .get(0);
    assert_eq!(n, 1, "only the agent's note is stored");
}
