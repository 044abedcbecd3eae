//! The outbox and the sync engine against the vendor simulator over loopback HTTP: exactly one
//! ticket per escalation, files and messages once, replies back on the timeline, refusals
//! parked, bad credentials pausing, bad answers never stored as truth.
use std::sync::Arc;
use std::time::Duration;

use frontline_core::model::EventBody;
use frontline_core::sync::http::{Paced, ReqwestTransport, TransportError};
use frontline_core::sync::vendor::{Disposition, VendorError};
use frontline_core::sync::zendesk::{Mode, Zendesk, ZendeskConfig};
use frontline_core::sync::{EngineConfig, SyncEngine};
use frontline_core::{Frontline, SystemClock};
use frontline_vendor_sim::{Config, Fault, FaultPlan, Running, Simulator};
use tempfile::TempDir;

use crate::support::{ready_issue, settings};

struct Rig {
    _dir: TempDir,
    app: Arc<Frontline>,
    sim: Running,
}

async fn rig(configure: impl FnOnce(&mut Config)) -> Rig {
    let dir = tempfile::tempdir().unwrap();
    let app = Arc::new(Frontline::open(settings(&dir), Arc::new(SystemClock)).unwrap());
    let mut config = Config::new(dir.path().join("vendor.sqlite3"));
    config.token = Some("right-token".into());
    configure(&mut config);
    let sim = Simulator::start(config).await.unwrap();
    Rig {
        _dir: dir,
        app,
        sim,
    }
}

fn fast() -> EngineConfig {
    EngineConfig {
        base_delay: Duration::from_millis(20),
        max_delay: Duration::from_millis(200),
        pull_every: Duration::from_millis(200),
        ..EngineConfig::default()
    }
}

fn engine_for(app: &Arc<Frontline>, url: &str, token: &str, mode: Mode) -> Arc<SyncEngine> {
    let transport = Arc::new(ReqwestTransport::new(Duration::from_secs(2)).unwrap());
    let paced = Arc::new(Paced::new(transport, Duration::from_secs(60), 0.95));
    let vendor = Zendesk::new(
        &ZendeskConfig {
            base_url: url.into(),
            email: "desk@partner.example".into(),
            token: token.into(),
            mode,
        },
        paced,
    )
    .unwrap();
    SyncEngine::new(app.clone(), Arc::new(vendor), fast(), false)
}

impl Rig {
    fn engine(&self, mode: Mode) -> Arc<SyncEngine> {
        engine_for(&self.app, &self.sim.url(), "right-token", mode)
    }

    fn count(&self, sql: &str) -> i64 {
        self.sim
            .query(|c| c.query_row(sql, [], |r| r.get(0)))
            .unwrap()
    }
}

fn client(app: &Frontline) -> frontline_core::model::Client {
    app.create_client(frontline_core::model::NewClient {
        name: "Acme".into(),
        contact: String::new(),
    })
    .unwrap()
}

/// An issue that passes readiness (see `support::ready_issue`), on a shared `Frontline`.
fn ready(app: &Frontline, c: &frontline_core::model::Client, title: &str) -> String {
    let mut n = crate::support::new_issue(c, title);
    n.category = "bug".into();
    let id = app.create_issue(n).unwrap().issue.id;
    app.attach_bytes(&id, "error.png", b"\x89PNG pretend screenshot")
        .unwrap();
    assert!(app.issue(&id).unwrap().readiness.ready);
    id
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_escalation_reaches_the_vendor_once_with_its_files_and_the_reply_comes_back() {
    let r = rig(|_| {}).await;
    let c = client(&r.app);
    let id = ready(&r.app, &c, "Saving an invoice fails with error 500");

    // Offline: nothing is sent, everything is queued in the same transaction.
    let d = r.app.escalate(&id, "Client is blocked").unwrap();
    assert_eq!(d.issue.status.as_str(), "escalated");
    let what: Vec<&str> = d.vendor.outbox.iter().map(|o| o.what.as_str()).collect();
    assert_eq!(
        what,
        ["Create the vendor ticket", "Send error.png to the vendor"]
    );
    assert_eq!(r.count("SELECT count(*) FROM tickets"), 0);

    let engine = r.engine(Mode::EndUser);
    assert!(engine.drain(Duration::from_secs(20)).await.unwrap());
    let d = r.app.issue(&id).unwrap();
    let ticket = d.vendor.ticket_id.expect("linked to its ticket");
    assert!(d.vendor.outbox.is_empty(), "{:?}", d.vendor.outbox);
    assert_eq!(r.count("SELECT count(*) FROM tickets"), 1);
    let (subject, description, priority): (String, String, String) = r
        .sim
        .query(|c| {
            c.query_row(
                "SELECT subject, description, priority FROM tickets WHERE id = ?1",
                [ticket],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
        })
        .unwrap();
    assert_eq!(
        subject,
        format!("Saving an invoice fails with error 500 [{}]", d.issue.key)
    );
    assert!(description.contains("Client: Acme"), "{description}");
    assert!(description.contains("Steps to reproduce"), "{description}");
    assert!(
        description.contains(&format!("Frontline reference: {id}")),
        "{description}"
    );
    assert_eq!(priority, "high", "P2 maps to high");
    assert_eq!(
        r.count("SELECT count(*) FROM uploads WHERE used = 1 AND file_name = 'error.png'"),
        1
    );

    // A message and a later file go to the same ticket, once each.
    r.app
        .message_vendor(&id, "The client can reproduce it every time.")
        .unwrap();
    r.app.attach_bytes(&id, "log.txt", b"stack trace").unwrap();
    assert!(engine.drain(Duration::from_secs(20)).await.unwrap());
    assert_eq!(
        r.count("SELECT count(*) FROM comments WHERE body LIKE 'The client can reproduce it every time.%[frontline:%'"),
        1
    );
    assert_eq!(r.count("SELECT count(*) FROM uploads WHERE used = 1"), 2);

    // The vendor answers; a pull brings the reply, the status and the owner back.
    r.sim
        .reply(ticket, "We found the cause; a fix ships on Friday.")
        .unwrap();
    engine.pull().await.unwrap();
    engine.pull().await.unwrap();
    let d = r.app.issue(&id).unwrap();
    let replies: Vec<_> = d
        .events
        .iter()
        .filter_map(|e| match &e.body {
            EventBody::VendorComment {
                text,
                from_vendor: true,
                author,
                ..
            } => Some((text.clone(), author.clone())),
            _ => None,
        })
        .collect();
    assert_eq!(
        replies,
        [(
            "We found the cause; a fix ships on Friday.".to_owned(),
            "Dana Whitfield (Vendor Support)".to_owned()
        )],
        "the reply appears once, even after two pulls"
    );
    assert_eq!(d.vendor.status, "open");
    assert_eq!(d.vendor.assignee, "Dana Whitfield (Vendor Support)");
    assert!(d.events.iter().any(|e| matches!(
        &e.body,
        EventBody::VendorUpdate { status, .. } if status == "open"
    )));
    r.sim.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn agent_mode_uses_the_tickets_api_with_external_id_and_escalation_tags() {
    let r = rig(|_| {}).await;
    let c = client(&r.app);
    let id = ready(&r.app, &c, "Reports show last month's totals");
    r.app.escalate(&id, "").unwrap();
    let engine = r.engine(Mode::Agent);
    assert!(engine.drain(Duration::from_secs(20)).await.unwrap());
    let (external, tags): (String, String) = r
        .sim
        .query(|c| {
            c.query_row("SELECT external_id, tags FROM tickets", [], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })
        })
        .unwrap();
    assert_eq!(external, id);
    assert!(tags.contains("frontline_bug"), "{tags}");

    // Escalating again asks the vendor to go further, on the same ticket.
    r.app
        .change_status(&id, "in_progress", "checking a workaround")
        .unwrap();
    r.app.escalate(&id, "Workaround failed").unwrap();
    r.app
        .change_priority(&id, "multiple_clients", "critical")
        .unwrap();
    assert!(engine.drain(Duration::from_secs(20)).await.unwrap());
    assert_eq!(r.count("SELECT count(*) FROM tickets"), 1);
    let (tags, priority): (String, String) = r
        .sim
        .query(|c| {
            c.query_row("SELECT tags, priority FROM tickets", [], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })
        })
        .unwrap();
    assert!(tags.contains("escalation_requested"), "{tags}");
    assert_eq!(priority, "urgent");
    r.sim.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_refused_operation_is_parked_with_the_vendors_words_and_the_queue_moves_on() {
    let r = rig(|_| {}).await;
    let c = client(&r.app);
    let refused = ready(&r.app, &c, "First");
    r.app.escalate(&refused, "").unwrap();
    r.sim.set_faults(FaultPlan {
        rates: [(Fault::Invalid, 1.0)].into(),
        ..FaultPlan::default()
    });
    let engine = r.engine(Mode::EndUser);
    engine.step().await.unwrap();
    r.sim.set_faults(FaultPlan::default());

    let fine = ready(&r.app, &c, "Second");
    r.app.escalate(&fine, "").unwrap();
    assert!(engine.drain(Duration::from_secs(20)).await.unwrap());
    assert!(r.app.issue(&fine).unwrap().vendor.ticket_id.is_some());

    let d = r.app.issue(&refused).unwrap();
    assert_eq!(d.vendor.ticket_id, None);
    let parked = &d.vendor.outbox[0];
    assert_eq!(parked.state, "parked");
    assert_eq!(
        parked.last_error.as_deref(),
        Some("the vendor answered 422: Requester: is suspended and cannot submit requests")
    );
    assert!(d.events.iter().any(|e| matches!(
        &e.body,
        EventBody::VendorRejected { message, .. } if message.contains("suspended")
    )));
    let status = engine.status();
    assert_eq!(
        (status.parked, status.queued),
        (1, 1),
        "its file waits behind it"
    );

    r.app.retry_operation(parked.id).unwrap();
    assert!(engine.drain(Duration::from_secs(20)).await.unwrap());
    assert!(r.app.issue(&refused).unwrap().vendor.ticket_id.is_some());
    assert_eq!(r.count("SELECT count(*) FROM tickets"), 2);
    r.sim.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_credentials_pause_the_whole_queue_and_nothing_is_dropped() {
    let r = rig(|_| {}).await;
    let c = client(&r.app);
    let id = ready(&r.app, &c, "Login loop");
    r.app.escalate(&id, "").unwrap();
    let wrong = engine_for(&r.app, &r.sim.url(), "wrong-token", Mode::EndUser);
    assert!(!wrong.drain(Duration::from_secs(5)).await.unwrap());
    let status = wrong.status();
    let paused = status.paused.expect("paused");
    assert!(paused.contains("401"), "{paused}");
    assert!(paused.contains("API token"), "{paused}");
    assert_eq!(status.queued, 2, "nothing dropped");
    assert_eq!(r.count("SELECT count(*) FROM tickets"), 0);

    let right = r.engine(Mode::EndUser);
    assert!(right.drain(Duration::from_secs(20)).await.unwrap());
    assert_eq!(r.count("SELECT count(*) FROM tickets"), 1);
    r.sim.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_answers_are_recorded_retried_and_never_stored_as_truth() {
    let r = rig(|_| {}).await;
    let c = client(&r.app);
    let engine = r.engine(Mode::EndUser);
    for (fault, words) in [
        (Fault::MissingId, "has no id"),
        (Fault::WrongTypes, "invalid type"),
        (Fault::Malformed, "not valid JSON"),
        (Fault::Huge, "larger than"),
    ] {
        let id = ready(&r.app, &c, &format!("Bad answer {}", fault.name()));
        r.app.escalate(&id, "").unwrap();
        r.sim.set_faults(FaultPlan {
            rates: [(fault, 1.0)].into(),
            ..FaultPlan::default()
        });
        engine.step().await.unwrap();
        let d = r.app.issue(&id).unwrap();
        assert_eq!(d.vendor.ticket_id, None, "{fault:?}: nothing linked");
        let row = &d.vendor.outbox[0];
        assert_eq!(row.state, "pending", "{fault:?}: retried, not dropped");
        let error = row.last_error.clone().unwrap_or_default();
        assert!(error.contains(words), "{fault:?}: {error}");
        r.sim.set_faults(FaultPlan::default());
        assert!(engine.drain(Duration::from_secs(20)).await.unwrap());
        assert!(r.app.issue(&id).unwrap().vendor.ticket_id.is_some());
    }
    assert_eq!(
        r.count("SELECT count(*) FROM tickets"),
        4,
        "one ticket per escalation"
    );

    // A pagination cursor that loops is noticed, not followed forever.
    let ticket = r.app.linked_tickets().unwrap()[0];
    r.sim.reply(ticket, "Any news on your side?").unwrap();
    r.sim.set_faults(FaultPlan {
        loop_cursor: true,
        ..FaultPlan::default()
    });
    engine.pull().await.unwrap();
    let error = engine.status().last_error.unwrap_or_default();
    assert!(error.contains("cursor repeats"), "{error}");
    r.sim.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn retry_after_is_honoured_and_absurd_values_fall_back_to_backoff() {
    let r = rig(|_| {}).await;
    let c = client(&r.app);
    let engine = r.engine(Mode::EndUser);
    for (value, at_least, at_most) in [("7", 7_000, 8_000), ("99999999", 0, 300)] {
        let id = ready(&r.app, &c, &format!("Rate limited {value}"));
        r.app.escalate(&id, "").unwrap();
        r.sim.set_faults(FaultPlan {
            rates: [(Fault::Status429, 1.0)].into(),
            retry_after: Some(value.into()),
            ..FaultPlan::default()
        });
        let before = chrono::Utc::now();
        engine.step().await.unwrap();
        let row = &r.app.issue(&id).unwrap().vendor.outbox[0];
        let next =
            chrono::DateTime::parse_from_rfc3339(row.next_attempt_at.as_deref().unwrap()).unwrap();
        let waited = (next.timestamp_millis() - before.timestamp_millis()).max(0);
        assert!(
            (at_least - 1_000..=at_most).contains(&waited),
            "Retry-After {value}: next attempt in {waited} ms"
        );
        r.sim.set_faults(FaultPlan::default());
    }
    r.sim.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unreachable_vendor_means_offline_and_the_escalation_waits() {
    let r = rig(|_| {}).await;
    let c = client(&r.app);
    let id = ready(&r.app, &c, "Nobody home");
    r.app.escalate(&id, "").unwrap();
    let url = r.sim.url();
    r.sim.stop().await;
    let engine = engine_for(&r.app, &url, "right-token", Mode::EndUser);
    engine.step().await.unwrap();
    let status = engine.status();
    assert_eq!(status.online, Some(false));
    assert_eq!(status.queued, 2);
    let row = &r.app.issue(&id).unwrap().vendor.outbox[0];
    assert_eq!(row.state, "pending");
    assert!(row
        .last_error
        .as_deref()
        .unwrap_or("")
        .contains("cannot reach"));
}

#[test]
fn each_failure_maps_to_retry_offline_intercepted_pause_or_park() {
    let status = |code: u16| VendorError::Status {
        status: code,
        message: String::new(),
        retry_after: None,
    };
    let retry = |uncertain, late| Disposition::Retry {
        uncertain,
        late,
        not_before: None,
    };
    let table = [
        (status(400), Disposition::Park),
        (status(404), Disposition::Park),
        (status(413), Disposition::Park),
        (status(422), Disposition::Park),
        (status(401), Disposition::Pause),
        (status(403), Disposition::Pause),
        (status(408), retry(false, false)),
        (status(409), retry(false, false)),
        (status(429), retry(false, false)),
        (status(500), retry(true, false)),
        (status(502), retry(true, true)),
        (status(503), retry(false, false)),
        (status(504), retry(true, true)),
        (status(511), Disposition::Intercepted),
        (
            VendorError::Transport(TransportError::Unreachable("refused".into())),
            Disposition::Offline,
        ),
        (
            VendorError::Transport(TransportError::NotTheVendor("certificate".into())),
            Disposition::Intercepted,
        ),
        (
            VendorError::Transport(TransportError::Timeout("30 s".into())),
            retry(true, true),
        ),
        (
            VendorError::Transport(TransportError::Interrupted("reset".into())),
            retry(true, true),
        ),
        (
            VendorError::Transport(TransportError::TooLarge { limit: 10 }),
            retry(true, false),
        ),
        (
            VendorError::BadAnswer {
                problem: "no id".into(),
                excerpt: String::new(),
            },
            retry(true, false),
        ),
        (
            VendorError::NotTheVendor("an HTML page came back".into()),
            Disposition::Intercepted,
        ),
    ];
    for (error, expected) in table {
        assert_eq!(error.disposition(), expected, "{error:?}");
    }
    let limited = VendorError::Status {
        status: 429,
        message: String::new(),
        retry_after: Some(Duration::from_secs(9)),
    };
    assert_eq!(
        limited.disposition(),
        Disposition::Retry {
            uncertain: false,
            late: false,
            not_before: Some(Duration::from_secs(9)),
        }
    );
}

#[test]
fn outbox_payloads_are_frozen_and_rows_are_kept() {
    let h = crate::support::host();
    let c = h.client("Acme");
    let d = ready_issue(&h, &c, "Frozen");
    h.app.escalate(&d.issue.id, "").unwrap();
    let conn = rusqlite::Connection::open(h.dir.path().join("frontline.db")).unwrap();
    let err = conn
        .execute("UPDATE outbox SET payload = '{}'", [])
        .unwrap_err();
    assert!(err.to_string().contains("frozen"), "{err}");
    let err = conn.execute("DELETE FROM outbox", []).unwrap_err();
    assert!(err.to_string().contains("kept"), "{err}");
    let keys: i64 = conn
        .query_row(
            "SELECT count(DISTINCT idempotency_key) FROM outbox",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(keys, 2);
}

#[test]
fn an_issue_that_is_not_ready_cannot_be_escalated() {
    let h = crate::support::host();
    let c = h.client("Acme");
    let mut n = crate::support::new_issue(&c, "Vague");
    n.category = "bug".into();
    let id = h.app.create_issue(n).unwrap().issue.id;
    let err = h.app.escalate(&id, "").unwrap_err();
    assert!(err.to_string().contains("Screenshot"), "{err}");
    assert_eq!(h.app.issue(&id).unwrap().issue.status.as_str(), "new");
    assert!(h.app.issue(&id).unwrap().vendor.outbox.is_empty());
    let err = h.app.message_vendor(&id, "hello").unwrap_err();
    assert!(err.to_string().contains("escalated"), "{err}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_help_centre_is_synced_sanitised_updated_and_pruned() {
    let r = rig(|_| {}).await;
    for n in 1..=250 {
        r.sim
            .put_article(
                n,
                &format!("Vendor article {n}"),
                "<p>Generic vendor guidance.</p>",
                &["vendor"],
            )
            .unwrap();
    }
    r.sim
        .put_article(
            9001,
            "Reconcile invoice totals after a currency change",
            "<p>Run the <b>reconcile</b> job.</p><script>alert(1)</script><img src=x onerror=alert(2)><a href=\"javascript:alert(3)\">x</a>",
            &["invoices", "currency"],
        )
        .unwrap();
    for mode in [Mode::EndUser, Mode::Agent] {
        let engine = r.engine(mode);
        assert_eq!(
            engine.sync_help_centre().await.unwrap(),
            251,
            "{mode:?}: page by page, all of it"
        );
    }
    let article = r.app.article("zendesk:9001").unwrap();
    assert!(
        article.body_html.contains("<b>reconcile</b>"),
        "{}",
        article.body_html
    );
    for bad in ["<script", "onerror", "javascript:"] {
        assert!(
            !article.body_html.contains(bad),
            "{bad} survived: {}",
            article.body_html
        );
    }
    let hits = r
        .app
        .suggest_articles("invoice totals wrong after currency change", 3)
        .unwrap();
    assert_eq!(
        hits[0].id, "zendesk:9001",
        "synced articles are suggested offline"
    );

    // Later: one article changes, one is unpublished. End users list everything again and
    // prune what is gone; agents read the incremental export.
    tokio::time::sleep(Duration::from_millis(1100)).await;
    r.sim
        .put_article(
            7,
            "Vendor article 7, revised",
            "<p>New steps.</p>",
            &["vendor"],
        )
        .unwrap();
    r.sim
        .query(|c| c.execute("UPDATE articles SET deleted = 1, updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') WHERE id = 8", []))
        .unwrap();
    let agent = r.engine(Mode::Agent);
    let stored = agent.sync_help_centre().await.unwrap();
    assert!(stored < 251, "incremental: only what changed ({stored})");
    assert_eq!(
        r.app.article("zendesk:7").unwrap().title,
        "Vendor article 7, revised"
    );
    assert!(
        r.app.article("zendesk:8").is_err(),
        "unpublished article removed"
    );

    r.sim
        .query(|c| c.execute("DELETE FROM articles WHERE id = 9", []))
        .unwrap();
    r.engine(Mode::EndUser).sync_help_centre().await.unwrap();
    assert!(
        r.app.article("zendesk:9").is_err(),
        "deleted article pruned by the full listing"
    );
    assert_eq!(r.app.article_ids_from("zendesk").unwrap().len(), 249);
    r.sim.stop().await;
}
