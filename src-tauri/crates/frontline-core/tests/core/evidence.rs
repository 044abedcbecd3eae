//! Evidence packs for SLA claims, made from the fortnight of the reports tests: the breached
//! acknowledgement of I3 (due Monday 30 March 09:30 UTC, answered 09:45), and the hash chain
//! that shows a pack, or the timeline it was made from, was not edited.
use frontline_core::evidence::{verify, Pack};
use rusqlite::Connection;

use crate::reports::{fortnight, Fortnight};

fn pack_of(f: &Fortnight, name: &str) -> (String, Pack) {
    let (html, json) = f.h.app.evidence_pack(&[f.i[name].clone()], name).unwrap();
    (html, serde_json::from_str(&json).unwrap())
}

/// The cache's file, opened beside the app as another program would.
fn raw(f: &Fortnight) -> Connection {
    Connection::open(f.h.dir.path().join("frontline.db")).unwrap()
}

#[test]
fn evidence_pack_of_a_breached_escalation_shows_its_due_and_breach_times_step_by_step() {
    let f = fortnight();
    let (html, pack) = pack_of(&f, "I3");
    let issue = &pack.issues[0];
    assert_eq!(issue.issue.title, "Invoices are blank");
    let ack = &issue.clocks[0];
    assert_eq!(ack.name, "Vendor acknowledgement");
    assert_eq!(ack.counts, "working hours");
    assert_eq!(ack.started_at, "2026-03-27T15:00:00Z");
    assert_eq!(ack.due_at, "2026-03-30T09:30:00Z");
    assert_eq!(ack.outcome, "broken");
    assert_eq!(ack.broken_at, "2026-03-30T09:30:00Z");
    assert_eq!(ack.met_at, "2026-03-30T09:45:00Z");
    assert_eq!(ack.used_minutes, 4 * 60 + 15);
    assert!(
        ack.steps[0].contains("mon, tue, wed, thu, fri 09:00–17:30 (Europe/London)"),
        "{:?}",
        ack.steps
    );
    assert!(
        ack.steps[0].contains("2026-04-03"),
        "the holiday is named: {:?}",
        ack.steps
    );
    let resolution = &issue.clocks[1];
    assert_eq!(
        (
            resolution.due_at.as_str(),
            resolution.met_at.as_str(),
            resolution.outcome.as_str()
        ),
        (
            "2026-04-01T12:30:00Z",
            "2026-03-31T12:00:00Z",
            "met in time"
        )
    );
    // The vendor's own clock beside ours.
    assert_eq!(issue.vendor.ticket_id, Some(4701));
    assert_eq!(issue.vendor.first_public_reply_at, "2026-03-30T09:40:00Z");
    // Every event, with its time and author, in order.
    let kinds: Vec<&str> = issue.events.iter().map(|e| e.kind.as_str()).collect();
    assert_eq!(kinds.first(), Some(&"created"));
    assert!(kinds.contains(&"vendor_comment"));
    assert!(issue
        .events
        .iter()
        .all(|e| !e.at.is_empty() && !e.actor.is_empty() && e.hash.len() == 64));
    assert_eq!(issue.changed_before_export, None);
    assert!(html.contains(
        "Not met by 2026-03-30T09:30:00Z: broken then; met later, at 2026-03-30T09:45:00Z"
    ));
    assert!(html.contains("Vendor Support (vendor) wrote: We are looking into it."));
    // Fields read in the team's words, not as stored ids.
    assert!(
        html.contains("<td>Several users, 12 users affected</td>"),
        "the impact in words"
    );

    let verdict = verify(&html).unwrap();
    assert!(verdict.intact, "{verdict:?}");
    assert!(
        verdict.message.starts_with("Intact: 1 issue,"),
        "{}",
        verdict.message
    );
    let (_, json) = f.h.app.evidence_pack(&[f.i["I3"].clone()], "I3").unwrap();
    assert!(verify(&json).unwrap().intact, "the JSON alone checks too");
}

#[test]
fn evidence_pack_edited_by_one_byte_names_the_changed_event() {
    let f = fortnight();
    let (html, pack) = pack_of(&f, "I3");
    let reply = pack.issues[0]
        .events
        .iter()
        .find(|e| e.kind == "vendor_comment")
        .unwrap()
        .id;
    let data_at = html.find("<script type=\"application/json\"").unwrap();
    let (printed, data) = html.split_at(data_at);

    // One byte of the reply, in the data.
    let edited = format!(
        "{printed}{}",
        data.replacen("looking into it", "looking into if", 1)
    );
    let verdict = verify(&edited).unwrap();
    assert!(!verdict.intact);
    assert_eq!(verdict.event, Some(reply), "{}", verdict.message);
    assert!(
        verdict.message.contains(&format!("event {reply} of FL-")),
        "{}",
        verdict.message
    );

    // One byte of the printed page only.
    let edited = format!(
        "{}{data}",
        printed.replacen(
            "met later, at 2026-03-30T09:45",
            "met later, at 2026-03-30T09:35",
            1
        )
    );
    let verdict = verify(&edited).unwrap();
    assert!(!verdict.intact);
    assert!(
        verdict.message.contains("printed part"),
        "{}",
        verdict.message
    );

    // An event taken out.
    let mut shorter = pack.clone();
    shorter.issues[0].events.pop();
    let json = serde_json::to_string(&shorter).unwrap();
    assert!(!verify(&json).unwrap().intact);

    assert!(verify("<html>just a page</html>")
        .unwrap_err()
        .to_string()
        .contains("not a Frontline evidence pack"));
}

#[test]
fn evidence_pack_names_an_event_edited_in_the_cache_before_it_was_made() {
    let f = fortnight();
    let conn = raw(&f);
    // The timeline refuses edits; someone with the file drops the guard and changes a byte.
    let refused = conn.execute(
        "UPDATE issue_events SET data = replace(data, 'looking', 'lookinh') WHERE issue_id = ?1 AND kind = 'vendor_comment'",
        [&f.i["I3"]],
    );
    assert!(refused.is_err(), "the timeline is append-only");
    conn.execute_batch("DROP TRIGGER issue_events_no_update")
        .unwrap();
    conn.execute(
        "UPDATE issue_events SET data = replace(data, 'looking', 'lookinh') WHERE issue_id = ?1 AND kind = 'vendor_comment'",
        [&f.i["I3"]],
    )
    .unwrap();
    let edited: i64 = conn
        .query_row(
            "SELECT id FROM issue_events WHERE issue_id = ?1 AND kind = 'vendor_comment'",
            [&f.i["I3"]],
            |r| r.get(0),
        )
        .unwrap();
    let (html, pack) = pack_of(&f, "I3");
    assert_eq!(pack.issues[0].changed_before_export, Some(edited));
    assert!(html.contains(&format!(
        "Warning: event {edited} of this timeline did not match its hash"
    )));
    let verdict = verify(&html).unwrap();
    assert!(!verdict.intact);
    assert_eq!(verdict.event, Some(edited));
}

#[test]
fn evidence_chain_covers_rows_from_before_hashes() {
    let f = fortnight();
    let conn = raw(&f);
    // Rows as a cache from before hashes has them.
    conn.execute_batch("DROP TRIGGER issue_events_no_update; UPDATE issue_events SET hash = NULL;")
        .unwrap();
    drop(conn);
    // A new event links to them: their hashes are made first, in timeline order.
    f.h.app
        .add_note(&f.i["I2"], "The client confirmed the fix.")
        .unwrap();
    let unhashed: i64 = raw(&f)
        .query_row(
            "SELECT count(*) FROM issue_events WHERE issue_id = ?1 AND hash IS NULL",
            [&f.i["I2"]],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(unhashed, 0);
    for name in ["I2", "I3"] {
        let (html, pack) = pack_of(&f, name);
        assert_eq!(pack.issues[0].changed_before_export, None, "{name}");
        assert!(verify(&html).unwrap().intact, "{name}");
    }
}

#[test]
fn evidence_pack_file_names_read_like_their_title() {
    use frontline_core::evidence::file_name;
    assert_eq!(
        file_name("FL-1004 · Invoices are blank"),
        "FL-1004-Invoices-are-blank-evidence.html"
    );
    assert_eq!(
        file_name("Breaches 2026-03-23 to 2026-04-05"),
        "Breaches-2026-03-23-to-2026-04-05-evidence.html"
    );
    assert_eq!(file_name("../../etc/passwd"), "etc-passwd-evidence.html");
    assert_eq!(file_name(" · "), "frontline-evidence.html");
}
