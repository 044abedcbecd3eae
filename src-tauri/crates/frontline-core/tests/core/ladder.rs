//! The escalation ladders as data: both presets walked rung by rung against the simulator, the
//! chase-first rule, the owner the vendor assigns, and the lead's powers enforced in the core.
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use frontline_core::escalation::CriticalReason;
use frontline_core::ladder::{Ladder, Role};
use frontline_core::model::EventBody;
use frontline_core::sync::http::{Paced, ReqwestTransport};
use frontline_core::sync::zendesk::{Mode, Zendesk, ZendeskConfig};
use frontline_core::sync::{EngineConfig, SyncEngine};
use frontline_core::{ErrorCode, Failure, Frontline, Settings, SystemClock};
use frontline_vendor_sim::{Config, Running, Simulator};

fn team_file(dir: &Path, ladder: &str) {
    let bundled =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("presets/team.toml"))
            .unwrap();
    let text = bundled
        .replace("ladder = \"four-rung\"", &format!("ladder = \"{ladder}\""))
        .replace("leads = []", "leads = [\"lee\"]");
    std::fs::write(dir.join("team.toml"), text).unwrap();
}

fn open_as(dir: &Path, user: &str) -> Arc<Frontline> {
    let mut s = Settings::for_dir(dir);
    s.user = user.into();
    Arc::new(Frontline::open(s, Arc::new(SystemClock)).unwrap())
}

fn engine(app: &Arc<Frontline>, sim: &Running, mode: Mode) -> Arc<SyncEngine> {
    let transport = Arc::new(ReqwestTransport::new(Duration::from_secs(2)).unwrap());
    let vendor = Zendesk::new(
        &ZendeskConfig {
            base_url: sim.url(),
            email: "desk@partner.example".into(),
            token: "t".into(),
            mode,
        },
        Arc::new(Paced::new(transport, Duration::from_secs(60), 0.95)),
    )
    .unwrap();
    SyncEngine::new(
        app.clone(),
        Arc::new(vendor),
        EngineConfig {
            base_delay: Duration::from_millis(20),
            max_delay: Duration::from_millis(200),
            ..EngineConfig::default()
        },
        false,
    )
}

fn ready(app: &Frontline, urgency: &str) -> String {
    let client = app
        .create_client(frontline_core::model::NewClient {
            name: format!("Client {}", unique_name()),
            contact: String::new(),
        })
        .unwrap();
    let mut n = crate::support::new_issue(&client, "Payroll export fails");
    n.category = "bug".into();
    n.urgency = urgency.into();
    let id = app.create_issue(n).unwrap().issue.id;
    app.attach_bytes(&id, "error.png", b"\x89PNG").unwrap();
    id
}

/// A client name no other call in this test binary has used.
fn unique_name() -> String {
    static NEXT: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(1);
    NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
        .to_string()
}

fn blocked(app: &Frontline, id: &str) -> Vec<String> {
    app.issue(id).unwrap().ladder.blocked
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_four_rung_ladder_is_walked_with_a_chase_before_each_escalation_and_owners_recorded() {
    let dir = tempfile::tempdir().unwrap();
    team_file(dir.path(), "four-rung");
    let sim = Simulator::start(Config::new(dir.path().join("vendor.sqlite3")))
        .await
        .unwrap();
    let agent = open_as(dir.path(), "dana");
    assert_eq!(agent.role(), Role::Agent);
    let id = ready(&agent, "medium");
    let sync = engine(&agent, &sim, Mode::Agent);

    agent.escalate(&id, "").unwrap();
    assert!(sync.drain(Duration::from_secs(20)).await.unwrap());
    let d = agent.issue(&id).unwrap();
    assert_eq!(
        d.ladder.current,
        Some(0),
        "a new ticket sits with product support"
    );
    let ticket = d.vendor.ticket_id.unwrap();

    // Chase first: the rule is enforced by the core, not just the button.
    assert!(
        blocked(&agent, &id)[0].contains("Chase the ticket"),
        "{:?}",
        blocked(&agent, &id)
    );
    let err = agent.climb(&id, "No answer for two days").unwrap_err();
    assert!(err.to_string().contains("Chase the ticket"), "{err}");
    agent.chase(&id, "The payroll run is on Friday.").unwrap();
    agent.climb(&id, "No answer for two days").unwrap();
    assert!(sync.drain(Duration::from_secs(20)).await.unwrap());
    assert_eq!(agent.issue(&id).unwrap().ladder.current, Some(1));
    let rung_clock = |app: &Frontline| {
        app.issue(&id)
            .unwrap()
            .sla
            .into_iter()
            .find(|c| c.name.starts_with("Acknowledgement at 1st escalation"))
            .expect("a clock for the rung's acknowledgement target")
    };
    let clock = rung_clock(&agent);
    assert_eq!(
        clock.target_minutes,
        8 * 60,
        "the rung's target for medium urgency"
    );
    assert!(!clock.met);

    // The vendor names the escalation owner; the pull records it on the issue.
    sim.reply(
        ticket,
        "I am the escalation owner for this ticket and will call you today.",
    )
    .unwrap();
    sync.pull().await.unwrap();
    let d = agent.issue(&id).unwrap();
    assert_eq!(d.vendor.assignee, "Dana Whitfield (Vendor Support)");
    assert!(
        rung_clock(&agent).met,
        "the owner's answer meets the rung's clock"
    );
    assert!(d.events.iter().any(|e| matches!(&e.body, EventBody::VendorUpdate { assignee, .. } if assignee.starts_with("Dana"))));

    agent.chase(&id, "").unwrap();
    agent
        .climb(&id, "The regional lead's fix did not work")
        .unwrap();
    assert_eq!(agent.issue(&id).unwrap().ladder.current, Some(2));

    // The top rung is for leads only.
    agent.chase(&id, "").unwrap();
    let err = agent.climb(&id, "Still broken").unwrap_err();
    assert!(err.to_string().contains("Only a team lead"), "{err}");
    drop(sync);
    drop(agent);
    let lead = open_as(dir.path(), "lee");
    assert_eq!(lead.role(), Role::Lead);
    lead.climb(&id, "Third week without payroll exports")
        .unwrap();
    let sync = engine(&lead, &sim, Mode::Agent);
    assert!(sync.drain(Duration::from_secs(20)).await.unwrap());
    let d = lead.issue(&id).unwrap();
    assert_eq!(d.ladder.current, Some(3));
    let rungs: Vec<String> = d
        .events
        .iter()
        .filter_map(|e| match &e.body {
            EventBody::RungRequested { name, .. } => Some(name.clone()),
            _ => None,
        })
        .collect();
    assert_eq!(
        rungs,
        [
            "1st escalation: regional support leads",
            "2nd escalation: global support manager",
            "3rd escalation: director of customer experience"
        ]
    );

    // The simulator's ticket carries each request and chase once, and the rung tags.
    let (requests, chases, tags): (i64, i64, String) = sim
        .query(|c| {
            c.query_row(
                "SELECT (SELECT count(*) FROM comments WHERE ticket_id = ?1 AND body LIKE 'Escalation request — %'),
                        (SELECT count(*) FROM comments WHERE ticket_id = ?1 AND body LIKE 'Could you give us an update%'),
                        (SELECT tags FROM tickets WHERE id = ?1)",
                [ticket],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
        })
        .unwrap();
    assert_eq!((requests, chases), (3, 3));
    for tag in [
        "escalation_first_escalation",
        "escalation_second_escalation",
        "escalation_third_escalation",
    ] {
        assert!(tags.contains(tag), "{tag} in {tags}");
    }
    assert!(blocked(&lead, &id)[0].contains("top of the ladder"));
    sim.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_three_line_ladder_keeps_the_executive_line_for_critical_issues_and_leads() {
    let dir = tempfile::tempdir().unwrap();
    team_file(dir.path(), "three-line");
    let sim = Simulator::start(Config::new(dir.path().join("vendor.sqlite3")))
        .await
        .unwrap();
    let agent = open_as(dir.path(), "dana");
    let id = ready(&agent, "high");
    agent.escalate(&id, "").unwrap();
    let d = agent.issue(&id).unwrap();
    assert_eq!(
        d.ladder.current,
        Some(1),
        "the vendor's support is the second line"
    );
    let why = d.ladder.blocked.join(" ");
    assert!(
        why.contains("Only a team lead") && why.contains("flagged critical"),
        "{why}"
    );

    // An agent cannot flag critical, even calling the core directly; nothing changes.
    let before = agent.issue(&id).unwrap();
    let err = agent
        .flag_critical(&id, CriticalReason::SeveralClients)
        .unwrap_err();
    assert_eq!(Failure::from(err).code, ErrorCode::Forbidden);
    let after = agent.issue(&id).unwrap();
    assert_eq!(before.events.len(), after.events.len());
    assert!(!after.issue.critical);
    assert_eq!(before.vendor.outbox.len(), after.vendor.outbox.len());
    let err = agent
        .override_priority(&id, "P1", "client is furious")
        .unwrap_err();
    assert_eq!(Failure::from(err).code, ErrorCode::Forbidden);
    agent
        .request_review(&id, "Three clients report the same export error.")
        .unwrap();
    drop(agent);

    let lead = open_as(dir.path(), "lee");
    let err = lead.climb(&id, "Outage").unwrap_err();
    assert!(err.to_string().contains("flagged critical"), "{err}");
    lead.flag_critical(&id, CriticalReason::SeveralClients)
        .unwrap();
    lead.climb(&id, "Three clients cannot export payroll")
        .unwrap();
    let sync = engine(&lead, &sim, Mode::Agent);
    assert!(sync.drain(Duration::from_secs(20)).await.unwrap());
    let d = lead.issue(&id).unwrap();
    assert!(d.issue.critical);
    assert_eq!(d.ladder.current, Some(2));
    let (priority, executive): (String, i64) = sim
        .query(|c| {
            c.query_row(
                "SELECT priority, (SELECT count(*) FROM comments WHERE body LIKE 'Escalation request — Third line: executive escalation%')
                 FROM tickets",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
        })
        .unwrap();
    assert_eq!(
        priority, "urgent",
        "flagging critical raises the vendor priority"
    );
    assert_eq!(executive, 1);
    sim.stop().await;
}

#[test]
fn ladders_round_trip_as_files_and_bad_files_name_the_field() {
    let dir = tempfile::tempdir().unwrap();
    let app = open_as(dir.path(), "dana");
    let ladder = app.team().ladder;
    assert_eq!(ladder.rungs.len(), 4);
    let text = ladder.to_toml().unwrap();
    assert_eq!(Ladder::parse("exported.toml", &text).unwrap(), ladder);

    let broken = text.replacen("method = \"ticket\"", "method = \"pigeon\"", 1);
    let err = Ladder::parse("mine.toml", &broken).unwrap_err().to_string();
    assert!(
        err.contains("mine.toml") && err.contains("method") && err.contains("pigeon"),
        "{err}"
    );

    // A team file with a bad calendar stops the start with the field named.
    let bad_team =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("presets/team.toml"))
            .unwrap()
            .replace("Europe/London", "Europe/Atlantis");
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("team.toml"), bad_team).unwrap();
    let err = Frontline::open(Settings::for_dir(dir.path()), Arc::new(SystemClock))
        .err()
        .expect("refused")
        .to_string();
    assert!(
        err.contains("calendar.time_zone") && err.contains("Europe/Atlantis"),
        "{err}"
    );

    // A copied and edited ladder in the data folder replaces the preset of the same id.
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("ladders")).unwrap();
    std::fs::write(
        dir.path().join("ladders/four-rung.toml"),
        text.replace("Product support team", "Our vendor's help desk"),
    )
    .unwrap();
    let app = open_as(dir.path(), "dana");
    assert_eq!(app.team().ladder.rungs[0].name, "Our vendor's help desk");
}

#[test]
fn sla_clocks_start_at_escalation_and_stop_at_the_vendors_first_answer() {
    let h = crate::support::host();
    let c = h.client("Acme");
    let d = crate::support::ready_issue(&h, &c, "Clock");
    assert!(d.sla.is_empty(), "no clock before escalation");
    let d = h.app.escalate(&d.issue.id, "").unwrap();
    let names: Vec<&str> = d.sla.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(names, ["Vendor acknowledgement", "Resolution"]);
    assert!(d
        .sla
        .iter()
        .all(|s| !s.breached && !s.met && s.due_at.is_some()));
    // The fixed clock says Monday 2 March 2026, 09:00 UTC; high urgency: 4 working hours.
    assert_eq!(d.sla[0].due_at.as_deref(), Some("2026-03-02T13:00:00Z"));
    h.clock.advance(chrono::Duration::hours(5));
    let d = h.app.issue(&d.issue.id).unwrap();
    assert!(d.sla[0].breached && !d.sla[1].breached);
}

#[test]
fn sla_alerts_are_announced_once_per_threshold() {
    let h = crate::support::host();
    let c = h.client("Acme");
    let d = crate::support::ready_issue(&h, &c, "Clock");
    h.app.escalate(&d.issue.id, "").unwrap();
    assert!(h.app.sla_alerts().unwrap().is_empty(), "nothing at 0 %");
    h.clock.advance(chrono::Duration::hours(3)); // 3 of 4 working hours: 75 %
    let alerts = h.app.sla_alerts().unwrap();
    assert_eq!(alerts.len(), 1, "{alerts:?}");
    assert!(
        alerts[0]
            .title
            .contains("Vendor acknowledgement SLA at 75%"),
        "{}",
        alerts[0].title
    );
    assert!(h.app.sla_alerts().unwrap().is_empty(), "announced once");
    h.clock.advance(chrono::Duration::hours(2));
    let alerts = h.app.sla_alerts().unwrap();
    assert_eq!(alerts.len(), 1);
    assert_eq!(
        alerts[0].kind,
        frontline_core::notify::NoticeKind::SlaBreached
    );
}

#[test]
fn the_client_update_is_offered_after_vendor_news_and_when_stale() {
    let h = crate::support::host();
    let c = h.client("Acme");
    let d = crate::support::ready_issue(&h, &c, "Exports fail");
    let id = d.issue.id.clone();
    let d = h.app.escalate(&id, "").unwrap();
    assert!(!d.client.update_due && d.client.last_informed.is_none());
    assert!(
        d.client.suggestion.starts_with("Hello Acme,"),
        "{}",
        d.client.suggestion
    );
    assert!(d.client.suggestion.contains(&d.issue.key));

    h.clock.advance(chrono::Duration::hours(25));
    let d = h.app.issue(&id).unwrap();
    assert!(d.client.update_due, "a day without news");
    assert!(d.client.reason.contains("24 hours"), "{}", d.client.reason);

    let d = h.app.inform_client(&id, &d.client.suggestion).unwrap();
    assert!(!d.client.update_due);
    assert!(d.client.last_informed.is_some());
    assert!(d.events.iter().any(|e| e.body.kind() == "client_informed"));

    // The desk lists it, critical ones first, with the nearest clock.
    let other = crate::support::ready_issue(&h, &c, "Second");
    h.app.escalate(&other.issue.id, "").unwrap();
    let desk = h.app.desk().unwrap();
    assert_eq!(desk.rows.len(), 2);
    assert_eq!(desk.rows[0].id, id, "the older escalation breaches first");
    assert!(desk.rows[0].clock.as_ref().is_some_and(|c| c.breached));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_outage_linked_into_one_incident_shares_the_ticket_and_every_client_hears_the_vendor() {
    let dir = tempfile::tempdir().unwrap();
    team_file(dir.path(), "four-rung");
    let sim = Simulator::start(Config::new(dir.path().join("vendor.sqlite3")))
        .await
        .unwrap();
    let agent = open_as(dir.path(), "dana");
    let ids: Vec<String> = (0..3).map(|_| ready(&agent, "high")).collect();
    agent.escalate(&ids[0], "").unwrap();
    let err = agent
        .link_incident(&ids, "Payroll exports fail for everyone")
        .unwrap_err();
    assert_eq!(Failure::from(err).code, ErrorCode::Forbidden);
    drop(agent);

    let lead = open_as(dir.path(), "lee");
    lead.link_incident(&ids, "Payroll exports fail for everyone")
        .unwrap();
    // A member escalated later rides on the incident's ticket.
    lead.escalate(&ids[1], "").unwrap();
    let sync = engine(&lead, &sim, Mode::Agent);
    assert!(sync.drain(Duration::from_secs(20)).await.unwrap());
    let tickets: i64 = sim
        .query(|c| c.query_row("SELECT count(*) FROM tickets", [], |r| r.get(0)))
        .unwrap();
    assert_eq!(tickets, 1, "one vendor ticket for the incident");
    let ticket = lead.issue(&ids[0]).unwrap().vendor.ticket_id.unwrap();
    for id in &ids {
        let d = lead.issue(id).unwrap();
        assert!(d.issue.critical);
        assert_eq!(
            d.vendor.ticket_id,
            Some(ticket),
            "every member shows the shared ticket"
        );
    }
    sim.reply(ticket, "A fix for the export failures is rolling out now.")
        .unwrap();
    sync.pull().await.unwrap();
    for id in &ids {
        let d = lead.issue(id).unwrap();
        assert!(
            d.events.iter().any(|e| matches!(&e.body, EventBody::VendorComment { from_vendor: true, text, .. } if text.contains("rolling out"))),
            "{id} heard the vendor"
        );
    }
    let priority: String = sim
        .query(|c| c.query_row("SELECT priority FROM tickets", [], |r| r.get(0)))
        .unwrap();
    assert_eq!(priority, "urgent");
    sim.stop().await;
}

#[test]
fn an_edited_copy_of_the_ladder_is_saved_checked_and_used_at_once() {
    let dir = tempfile::tempdir().unwrap();
    team_file(dir.path(), "four-rung");
    let app = open_as(dir.path(), "lee");
    let text = app.ladder_text().unwrap();
    let edited = text.replace("Product support team", "Vendor help desk");
    let saved = app.save_ladder(&edited).unwrap();
    assert_eq!(saved.rungs[0].name, "Vendor help desk");
    assert_eq!(
        app.team().ladder.rungs[0].name,
        "Vendor help desk",
        "used at once"
    );
    assert!(dir.path().join("ladders/four-rung.toml").is_file());

    let err = app
        .save_ladder(&edited.replace("lead_only = true", "lead_only = \"maybe\""))
        .unwrap_err()
        .to_string();
    assert!(err.contains("lead_only"), "{err}");
    assert_eq!(
        app.team().ladder.rungs[0].name,
        "Vendor help desk",
        "a bad file changes nothing"
    );
    drop(app);
    let app = open_as(dir.path(), "lee");
    assert_eq!(
        app.team().ladder.rungs[0].name,
        "Vendor help desk",
        "kept across restarts"
    );
}

#[test]
fn an_agent_cannot_save_or_import_a_ladder_without_its_lead_only_rules() {
    let dir = tempfile::tempdir().unwrap();
    team_file(dir.path(), "four-rung");
    let agent = open_as(dir.path(), "dana");
    let text = agent.ladder_text().unwrap();
    assert!(
        text.contains("lead_only = true"),
        "the preset has a lead-only rung"
    );
    let loosened = text.replace("lead_only = true", "lead_only = false");
    let refused = Failure::from(agent.save_ladder(&loosened).unwrap_err());
    assert_eq!(refused.code, ErrorCode::Forbidden);
    assert!(
        refused.message.contains("Only a team lead"),
        "{}",
        refused.message
    );
    let file = dir.path().join("loosened.toml");
    std::fs::write(&file, &loosened).unwrap();
    let refused = Failure::from(agent.import_ladder(&file).unwrap_err());
    assert_eq!(refused.code, ErrorCode::Forbidden);
    assert!(
        agent.team().ladder.rungs.iter().any(|r| r.lead_only),
        "the lead-only rung is still lead only"
    );
    assert!(
        !dir.path().join("ladders/four-rung.toml").exists(),
        "nothing kept"
    );
}

#[test]
fn the_queue_sorts_by_time_to_breach() {
    use frontline_core::model::{IssueQuery, QueueSort};
    let h = crate::support::host();
    let c = h.client("Acme");
    let waiting = crate::support::ready_issue(&h, &c, "Not escalated");
    let low = {
        let mut n = crate::support::new_issue(&c, "Low urgency escalation");
        n.category = "bug".into();
        n.urgency = "low".into();
        let id = h.app.create_issue(n).unwrap().issue.id;
        h.app.attach_bytes(&id, "e.png", b"\x89PNG").unwrap();
        id
    };
    let urgent = {
        let mut n = crate::support::new_issue(&c, "Critical escalation");
        n.category = "bug".into();
        n.urgency = "critical".into();
        let id = h.app.create_issue(n).unwrap().issue.id;
        h.app.attach_bytes(&id, "e.png", b"\x89PNG").unwrap();
        id
    };
    h.app.escalate(&low, "").unwrap();
    h.app.escalate(&urgent, "").unwrap();
    let page = h
        .app
        .issues(&IssueQuery {
            sort: QueueSort::Breach,
            ..IssueQuery::default()
        })
        .unwrap();
    let order: Vec<&str> = page.rows.iter().map(|r| r.id.as_str()).collect();
    assert_eq!(
        order[..2],
        [urgent.as_str(), low.as_str()],
        "nearest breach first"
    );
    assert_eq!(
        order[2], waiting.issue.id,
        "issues without a clock come after"
    );
}

#[test]
fn a_ladder_exported_to_a_file_imports_elsewhere() {
    let from = tempfile::tempdir().unwrap();
    team_file(from.path(), "four-rung");
    let app = open_as(from.path(), "lee");
    let edited = app
        .ladder_text()
        .unwrap()
        .replace("Product support team", "Front desk");
    app.save_ladder(&edited).unwrap();
    let file = from.path().join("shared-ladder.toml");
    app.export_ladder(&file).unwrap();

    let to = tempfile::tempdir().unwrap();
    team_file(to.path(), "four-rung");
    let other = open_as(to.path(), "lee");
    other.import_ladder(&file).unwrap();
    assert_eq!(other.team().ladder.rungs[0].name, "Front desk");
    let err = other
        .import_ladder(&to.path().join("missing.toml"))
        .unwrap_err()
        .to_string();
    assert!(err.contains("missing.toml"), "{err}");
}
