//! Each desktop applies the same events in its own order — its own at once, teammates' in the
//! hub's order — so what the fold leaves on an issue must not depend on that order.
use std::sync::Arc;

use chrono::{Duration, TimeZone, Utc};
use frontline_core::model::{EventBody, NewClient};
use frontline_core::team::TeamEvent;
use frontline_core::{FixedClock, Frontline, Settings};

use crate::support::new_issue;

struct Desktop {
    _dir: tempfile::TempDir,
    clock: Arc<FixedClock>,
    app: Frontline,
    /// The hub's order as this desktop has read it.
    seq: i64,
}

fn desktop(login: &str) -> Desktop {
    let dir = tempfile::tempdir().unwrap();
    let mut settings = Settings::for_dir(dir.path());
    settings.user = login.into();
    let clock = Arc::new(FixedClock::new(
        Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap(),
    ));
    let app = Frontline::open(settings, clock.clone()).unwrap();
    Desktop {
        _dir: dir,
        clock,
        app,
        seq: 0,
    }
}

impl Desktop {
    /// Applies `events` as the next ones in the hub's order.
    fn pull(&mut self, events: &[TeamEvent]) {
        let page: Vec<(i64, TeamEvent)> = events
            .iter()
            .map(|e| {
                self.seq += 1;
                (self.seq, e.clone())
            })
            .collect();
        let applied = self.app.apply_team_events(&page, self.seq).unwrap();
        assert!(applied.skipped.is_empty(), "{:?}", applied.skipped);
    }
}

/// The vendor's reply, as the desktop that owns the ticket (Bob's) records it.
fn vendor_reply(issue_id: &str, at: &str) -> TeamEvent {
    let event = EventBody::VendorComment {
        text: "We are looking into the export.".into(),
        author: "Vendor support".into(),
        from_vendor: true,
        vendor_at: None,
    };
    TeamEvent {
        id: uuid::Uuid::now_v7().to_string(),
        issue_id: Some(issue_id.to_owned()),
        author: "bob".into(),
        kind: event.team_kind().to_owned(),
        body: serde_json::json!({ "actor": "sync", "event": event }),
        occurred_at: at.to_owned(),
    }
}

#[test]
fn hub_who_last_worked_on_an_issue_is_the_same_whatever_order_its_events_came_in() {
    let mut sam = desktop("sam");
    let mut ana = desktop("ana");
    // Sam logs an issue at 09:00; Ana's desktop gets it through the hub.
    let client = sam
        .app
        .create_client(NewClient {
            name: "Acme".into(),
            contact: String::new(),
        })
        .unwrap();
    let id = sam
        .app
        .create_issue(new_issue(&client, "Exports fail"))
        .unwrap()
        .issue
        .id;
    let logged = sam.app.team_pending(50).unwrap();
    sam.seq += logged.len() as i64;
    ana.pull(&logged);

    // Ana adds a note at 09:05, offline. The vendor replies at 09:10 on Bob's desktop, which
    // reaches the hub first: Ana's note comes after it in the hub's order.
    ana.clock.advance(Duration::minutes(5));
    ana.app.add_note(&id, "Called the client back").unwrap();
    let note = ana.app.team_pending(50).unwrap();
    let reply = vendor_reply(&id, "2026-03-02T09:10:00.000Z");
    ana.pull(std::slice::from_ref(&reply));
    sam.pull(&[reply]);
    sam.pull(&note);

    let on = |d: &Desktop| {
        let i = d.app.issue(&id).unwrap().issue;
        (i.updated_by, i.updated_at)
    };
    assert_eq!(
        on(&ana).0,
        "ana",
        "Ana's note is the latest person's work on it"
    );
    assert_eq!(on(&sam), on(&ana), "both desktops say the same");
    assert!(
        on(&sam).1.starts_with("2026-03-02T09:10"),
        "the last activity is the vendor's reply: {:?}",
        on(&sam)
    );
}
