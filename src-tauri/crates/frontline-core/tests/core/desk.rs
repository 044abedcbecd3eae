//! The Escalations desk keeps the rows it worked out between looks: each look must still show
//! what a desk worked out from nothing would show, whatever changed, wherever it was written.
use chrono::Duration;
use frontline_core::desk::Desk;
use frontline_core::Frontline;
use rusqlite::Connection;

use crate::support::{lead_host, ready_issue, settings, Host};

/// The desk a desktop opened just now on the same folder and clock works out from nothing.
fn from_nothing(h: &Host) -> Desk {
    Frontline::open(settings(&h.dir), h.clock.clone())
        .unwrap()
        .desk()
        .unwrap()
}

fn row<'d>(desk: &'d Desk, id: &str) -> &'d frontline_core::desk::DeskRow {
    desk.rows
        .iter()
        .find(|r| r.id == id)
        .unwrap_or_else(|| panic!("{id} is on the desk: {:?}", desk.rows))
}

#[test]
fn the_desk_follows_every_change_and_the_time_of_day_as_a_fresh_one_would() {
    // A lead: the desk's rungs follow a ladder the lead edits.
    let h = lead_host();
    let c = h.client("Acme");
    let first = ready_issue(&h, &c, "Exports fail").issue.id;
    let second = ready_issue(&h, &c, "Invoices are blank").issue.id;
    h.app.escalate(&first, "").unwrap();
    h.clock.advance(Duration::minutes(30));
    h.app.escalate(&second, "").unwrap();
    let desk = h.app.desk().unwrap();
    assert_eq!(desk.rows.len(), 2);
    assert_eq!(
        desk.rows[0].id, first,
        "the older escalation falls due first"
    );
    assert!(!row(&desk, &second).review_requested);
    assert_eq!(h.app.desk().unwrap(), desk, "a second look shows the same");

    // A new event on one issue.
    h.app
        .request_review(&second, "The client threatens to leave")
        .unwrap();
    let desk = h.app.desk().unwrap();
    assert!(row(&desk, &second).review_requested);
    assert_eq!(desk, from_nothing(&h));

    // The vendor's ticket, written by another connection (the sync engine's, another process).
    Connection::open(h.dir.path().join("frontline.db"))
        .unwrap()
        .execute(
            "INSERT INTO vendor_tickets (ticket_id, issue_id, status) VALUES (4711, ?1, 'open')",
            [&first],
        )
        .unwrap();
    let desk = h.app.desk().unwrap();
    assert_eq!(row(&desk, &first).ticket_id, Some(4711));
    assert_eq!(desk, from_nothing(&h));

    // The client's name.
    Connection::open(h.dir.path().join("frontline.db"))
        .unwrap()
        .execute(
            "UPDATE clients SET name = 'Acme Ltd' WHERE id = ?1",
            [&c.id],
        )
        .unwrap();
    let desk = h.app.desk().unwrap();
    assert!(desk.rows.iter().all(|r| r.client_name == "Acme Ltd"));

    // A lead renames the rung in the ladder: no issue changed, every row did.
    let rung = row(&desk, &first).rung.clone();
    assert!(!rung.is_empty(), "an escalated issue is on a rung");
    let text = h.app.ladder_text().unwrap();
    h.app
        .save_ladder(&text.replace(&rung, "Vendor help desk"))
        .unwrap();
    let desk = h.app.desk().unwrap();
    assert!(
        desk.rows.iter().all(|r| r.rung == "Vendor help desk"),
        "{desk:?}"
    );
    assert_eq!(desk, from_nothing(&h));

    // The lead flags an issue critical; the team hub refuses it: the flag is taken back with
    // no new event on the timeline.
    h.app
        .flag_critical(
            &second,
            frontline_core::escalation::CriticalReason::SeveralClients,
        )
        .unwrap();
    let desk = h.app.desk().unwrap();
    assert!(row(&desk, &second).critical);
    let flag = h
        .app
        .team_pending(50)
        .unwrap()
        .into_iter()
        .rfind(|e| e.kind == "flagged_critical")
        .expect("the flag waits for the hub");
    h.app
        .team_refused(&flag.id, "only a lead may flag an issue critical")
        .unwrap();
    let desk = h.app.desk().unwrap();
    assert!(!row(&desk, &second).critical, "{desk:?}");
    assert_eq!(desk, from_nothing(&h));

    // Time passes with nothing written: the clocks breach and the client is due news.
    assert!(desk.rows.iter().all(|r| !r.client_update_due));
    h.clock.advance(Duration::days(3));
    let desk = h.app.desk().unwrap();
    assert!(
        desk.rows
            .iter()
            .all(|r| r.clock.as_ref().is_some_and(|c| c.breached) && r.client_update_due),
        "{desk:?}"
    );
    assert_eq!(desk, from_nothing(&h));

    // Resolved: off the desk.
    h.app
        .change_status(&first, "resolved", "Fixed by the vendor")
        .unwrap();
    let desk = h.app.desk().unwrap();
    assert_eq!(desk.rows.len(), 1);
    assert_eq!(desk.rows[0].id, second);
    assert_eq!(desk, from_nothing(&h));
}

/// Between looks the desk reuses a clock's state while it cannot have changed; looked at every
/// few seconds across minutes, working hours, the evening and a breach, it shows what a desk
/// worked out from nothing shows at each moment.
#[test]
fn the_desks_clocks_read_as_a_fresh_desk_at_every_moment() {
    let h = lead_host();
    let c = h.client("Acme");
    let id = ready_issue(&h, &c, "Exports fail").issue.id;
    h.app.escalate(&id, "").unwrap();
    let mut minutes_seen = std::collections::BTreeSet::new();
    for step in [
        1, 7, 13, 29, 31, 47, 59, 61, 89, 120, 3_600, 7_200, 43_200, 90_000,
    ] {
        h.clock.advance(Duration::seconds(step));
        let kept = h.app.desk().unwrap();
        assert_eq!(kept, from_nothing(&h), "after +{step} s");
        let clock = kept.rows[0].clock.clone().expect("a running clock");
        minutes_seen.insert(clock.used_minutes);
        // A second look at the same moment reuses the state.
        assert_eq!(h.app.desk().unwrap(), kept);
    }
    assert!(
        minutes_seen.len() > 3,
        "the clock moved across the looks: {minutes_seen:?}"
    );
}
