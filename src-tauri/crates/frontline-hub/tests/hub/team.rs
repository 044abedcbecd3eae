//! Desktops sharing their work through the hub: each its own data folder and `Frontline` core,
//! signed in as its own person, synced with `team::sync_once`.
use std::path::Path;
use std::sync::Arc;

use frontline_core::escalation::CriticalReason;
use frontline_core::model::{EventBody, IssueQuery, NewClient, NewIssue};
use frontline_core::outage::OutageRule;
use frontline_core::{Frontline, Settings, SystemClock};
use frontline_hub::team::sync_once;
use frontline_hub::Hub;

use crate::TestHub;

struct Desktop {
    _dir: tempfile::TempDir,
    core: Arc<Frontline>,
    hub: Hub,
}

/// A desktop signed in as `login`, whose local team.toml names `leads` as leads.
async fn desktop(hub: &TestHub, login: &str, leads: &[&str]) -> Desktop {
    let dir = tempfile::tempdir().unwrap();
    let bundled = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../frontline-core/presets/team.toml"),
    )
    .unwrap();
    let names: Vec<String> = leads.iter().map(|l| format!("\"{l}\"")).collect();
    std::fs::write(
        dir.path().join("team.toml"),
        bundled.replace("leads = []", &format!("leads = [{}]", names.join(", "))),
    )
    .unwrap();
    let mut settings = Settings::for_dir(dir.path());
    settings.user = login.into();
    let core = Arc::new(Frontline::open(settings, Arc::new(SystemClock)).unwrap());
    Desktop {
        _dir: dir,
        core,
        hub: hub.connect(login).await,
    }
}

impl Desktop {
    async fn sync(&self) -> frontline_hub::team::Synced {
        sync_once(&self.core, &self.hub).await.expect("sync")
    }

    fn log(&self, client: &str, title: &str) -> String {
        crate::log_issue(&self.core, client, title)
    }
}

/// Three clients call three agents about the same failure: the lead's desktop, which took
/// none of the calls, shows the suspected outage after one sync.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hub_outage_across_agents_shows_on_the_leads_desktop() {
    let hub = TestHub::new().await;
    let lead = desktop(&hub, "lee", &["lee"]).await;
    let agents = [
        (
            desktop(&hub, "ana", &["lee"]).await,
            "Acme",
            "Invoice export fails with error 500",
        ),
        (
            desktop(&hub, "sam", &["lee"]).await,
            "Globex",
            "Error 500 when exporting invoices",
        ),
        (
            desktop(&hub, "kim", &["lee"]).await,
            "Initech",
            "Invoice export error 500 again",
        ),
    ];
    let mut ids = Vec::new();
    for (agent, client, title) in &agents {
        ids.push(agent.log(client, title));
        assert!(
            agent
                .core
                .suspected_outages(OutageRule::default())
                .unwrap()
                .is_empty(),
            "one agent alone sees one issue"
        );
        let synced = agent.sync().await;
        assert!(synced.pushed >= 1, "{synced:?}");
    }
    assert!(lead
        .core
        .suspected_outages(OutageRule::default())
        .unwrap()
        .is_empty());

    let synced = lead.sync().await;
    assert_eq!(synced.applied, 3, "the three issues' events: {synced:?}");
    let outages = lead.core.suspected_outages(OutageRule::default()).unwrap();
    assert_eq!(outages.len(), 1, "{outages:?}");
    let mut found = outages[0].issue_ids.clone();
    found.sort();
    ids.sort();
    assert_eq!(found, ids);
    assert_eq!(outages[0].clients, 3);
    let d = lead.core.issue(&ids[0]).unwrap();
    assert!(d.issue.title.contains("500"), "{:?}", d.issue.title);

    // Again: nothing new, nothing twice.
    assert_eq!(lead.sync().await.applied, 0);
    assert_eq!(lead.core.issue(&ids[0]).unwrap().events.len(), 1);
}

/// The lead flags an agent's issue critical on the lead's desktop; the agent's desktop has it
/// at its next sync, on the timeline by the lead.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hub_a_leads_critical_flag_reaches_the_agents_desktop() {
    let hub = TestHub::new().await;
    let lead = desktop(&hub, "lee", &["lee"]).await;
    let ana = desktop(&hub, "ana", &["lee"]).await;
    let id = ana.log("Acme", "Payroll run fails for every employee");
    ana.sync().await;
    lead.sync().await;

    lead.core
        .flag_critical(&id, CriticalReason::MajorOutage)
        .unwrap();
    let pushed = lead.sync().await;
    assert_eq!((pushed.pushed, pushed.refused), (1, 0), "{pushed:?}");
    let synced = ana.sync().await;
    assert_eq!(synced.applied, 1, "{synced:?}");
    let d = ana.core.issue(&id).unwrap();
    assert!(d.issue.critical, "critical on the agent's desktop");
    assert_eq!(synced.notices.len(), 1, "the agent is told: {synced:?}");
    let notice = &synced.notices[0];
    assert_eq!(
        notice.kind,
        frontline_core::notify::NoticeKind::FlaggedCritical
    );
    assert_eq!(notice.issue_id.as_deref(), Some(id.as_str()));
    assert_eq!(
        notice.title,
        format!("{} flagged critical by lee", d.issue.key)
    );
    assert!(notice.body.starts_with("Acme — "), "{}", notice.body);
    assert!(d
        .events
        .iter()
        .any(|e| e.actor == "lee" && matches!(e.body, EventBody::FlaggedCritical { .. })));
}

/// An agent whose own team.toml names them a lead can flag locally, but the hub refuses the
/// event and says why; nothing else of theirs is held up.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hub_an_agent_who_made_themselves_a_lead_locally_is_refused_by_the_hub() {
    let hub = TestHub::new().await;
    let ana = desktop(&hub, "ana", &["ana"]).await;
    let lead = desktop(&hub, "lee", &["lee"]).await;
    let id = ana.log("Acme", "Reports are empty");
    ana.core
        .flag_critical(&id, CriticalReason::ChurnRisk)
        .unwrap();
    ana.core
        .add_note(&id, "Client is calling every hour")
        .unwrap();
    let synced = ana.sync().await;
    assert_eq!((synced.pushed, synced.refused), (2, 1), "{synced:?}");
    let refusals = ana.core.team_refusals().unwrap();
    assert_eq!(refusals.len(), 1);
    assert_eq!(refusals[0].1, "flagged_critical");
    assert!(
        refusals[0]
            .2
            .contains("only a team lead may flag an issue critical"),
        "{refusals:?}"
    );
    assert!(
        !ana.core.issue(&id).unwrap().issue.critical,
        "the refused flag is taken back on the agent's desktop too"
    );
    lead.sync().await;
    let d = lead.core.issue(&id).unwrap();
    assert!(!d.issue.critical, "not critical for the team");
    assert!(d
        .events
        .iter()
        .any(|e| matches!(&e.body, EventBody::Note { text } if text.contains("every hour"))));

    // Parked on its issue with the hub's words; trying again asks the hub again (still no),
    // letting it go leaves it on the timeline, marked, and nothing waiting.
    let parked = |core: &Frontline| {
        core.issue(&id)
            .unwrap()
            .events
            .into_iter()
            .find_map(|e| e.hub_refusal)
            .expect("the refused flag is on the timeline")
    };
    let refusal = parked(&ana.core);
    assert!(refusal
        .words
        .contains("only a team lead may flag an issue critical"));
    assert_eq!(ana.core.team_counts().unwrap(), (0, 1));
    ana.core.retry_team_event(&refusal.event).unwrap();
    assert_eq!(ana.core.team_counts().unwrap(), (1, 0));
    let synced = ana.sync().await;
    assert_eq!(synced.refused, 1, "the hub still says no");
    ana.core.discard_team_event(&refusal.event).unwrap();
    assert!(parked(&ana.core).discarded);
    assert_eq!(
        ana.core.team_counts().unwrap(),
        (0, 0),
        "nothing left to act on"
    );
}

/// A refused change a lead's hub role later allows goes through when tried again, and holds
/// its field again.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hub_a_refused_change_tried_again_after_the_hub_allows_it_holds() {
    let hub = TestHub::new().await;
    // A login of this test's own: roles are the cluster's, and other tests need kim an agent.
    let login = format!("rae_{}", &uuid::Uuid::now_v7().simple().to_string()[24..]);
    frontline_hub::admin::add_member(&hub.admin().await, &login, crate::PASSWORD, false)
        .await
        .unwrap();
    let kim = desktop(&hub, &login, &[login.as_str()]).await;
    let id = kim.log("Initech", "Printing fails");
    kim.core
        .flag_critical(&id, CriticalReason::SeveralClients)
        .unwrap();
    assert_eq!(kim.sync().await.refused, 1);
    assert!(!kim.core.issue(&id).unwrap().issue.critical);
    hub.admin()
        .await
        .batch_execute(&format!("GRANT frontline_lead TO {login}"))
        .await
        .unwrap();
    let event = kim
        .core
        .issue(&id)
        .unwrap()
        .events
        .into_iter()
        .find_map(|e| e.hub_refusal)
        .unwrap()
        .event;
    kim.core.retry_team_event(&event).unwrap();
    let synced = kim.sync().await;
    hub.admin()
        .await
        .batch_execute(&format!("REVOKE frontline_lead FROM {login}"))
        .await
        .unwrap();
    assert_eq!((synced.pushed, synced.refused), (1, 0), "{synced:?}");
    let d = kim.core.issue(&id).unwrap();
    assert!(d.issue.critical, "the flag holds again");
    assert!(d.events.iter().all(|e| e.hub_refusal.is_none()));
}

/// A desktop that cannot reach the hub (for days, as far as it knows) keeps working: its events
/// wait in the team outbox and all go, once, when the hub answers.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hub_a_desktop_away_keeps_working_and_catches_up() {
    let hub = TestHub::new().await;
    let ana = desktop(&hub, "ana", &["lee"]).await;
    let lead = desktop(&hub, "lee", &["lee"]).await;
    let mut away = hub.config("ana");
    away.port = crate::free_port();
    let e = Hub::connect(away).await.err().expect("the hub is away");
    assert!(e.is_transient(), "{e:?}");
    let ids: Vec<String> = (0..5)
        .map(|n| ana.log(&format!("Client {n}"), &format!("Offline issue {n}")))
        .collect();
    assert_eq!(
        ana.core.team_pending(100).unwrap().len(),
        5,
        "waiting, nothing lost"
    );
    let synced = ana.sync().await;
    assert_eq!(synced.pushed, 5);
    assert!(ana.core.team_pending(100).unwrap().is_empty());
    assert_eq!(lead.sync().await.applied, 5);
    for id in &ids {
        assert!(lead.core.issue(id).is_ok());
    }
}

/// An event on the hub that no desktop can read (written by hand, or by a broken client) is
/// skipped with a word in the log; the events after it are applied and the cursor moves on.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hub_a_malformed_event_is_skipped_and_the_rest_applied() {
    let hub = TestHub::new().await;
    let ana = desktop(&hub, "ana", &["lee"]).await;
    let lead = desktop(&hub, "lee", &["lee"]).await;
    let first = ana.log("Acme", "Before the bad row");
    ana.sync().await;
    hub.raw("ana")
        .await
        .execute(
            "INSERT INTO frontline.events (id, issue_id, author, kind, body, occurred_at)
             VALUES ($1, $2, 'ana', 'status_changed', '{\"nonsense\": true}', now())",
            &[
                &uuid::Uuid::now_v7(),
                &uuid::Uuid::parse_str(&first).unwrap(),
            ],
        )
        .await
        .unwrap();
    let second = ana.log("Globex", "After the bad row");
    ana.sync().await;
    let synced = lead.sync().await;
    assert_eq!(synced.applied, 2, "{synced:?}");
    assert!(lead.core.issue(&second).is_ok());
    assert_eq!(
        lead.core.issue(&first).unwrap().issue.status.as_str(),
        "new",
        "the unreadable status change changed nothing"
    );
    assert_eq!(lead.sync().await.applied, 0, "the cursor moved past it");
}

/// Two people change one issue while offline: the hub's order decides (the later push wins),
/// every desktop ends the same, and the change that lost stays on the timeline, marked with
/// who replaced it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hub_two_offline_changes_converge_on_the_hubs_order_and_the_loser_is_marked() {
    let hub = TestHub::new().await;
    let ana = desktop(&hub, "ana", &["lee"]).await;
    let sam = desktop(&hub, "sam", &["lee"]).await;
    let lead = desktop(&hub, "lee", &["lee"]).await;
    let id = ana.log("Acme", "Exports are empty");
    ana.sync().await;
    sam.sync().await;

    ana.core.change_status(&id, "in_progress", "").unwrap();
    sam.core
        .change_status(&id, "waiting_on_client", "Asked for a screenshot")
        .unwrap();
    ana.sync().await; // ordered first
    sam.sync().await; // ordered second: holds the status
    ana.sync().await;
    lead.sync().await;
    for (who, d) in [("ana", &ana), ("sam", &sam), ("lee", &lead)] {
        let issue = d.core.issue(&id).unwrap();
        assert_eq!(issue.issue.status.as_str(), "waiting_on_client", "{who}");
        let lost: Vec<_> = issue
            .events
            .iter()
            .filter(|e| matches!(&e.body, EventBody::StatusChanged { to, .. } if to.as_str() == "in_progress"))
            .collect();
        assert_eq!(
            lost.len(),
            1,
            "{who}: the losing change stays on the timeline"
        );
        let by = lost[0].superseded_by.as_deref().unwrap_or_default();
        assert!(
            by.starts_with("sam at "),
            "{who}: marked as replaced by sam ({by:?})"
        );
    }
}

/// Seeded and replayable: three desktops act at random on shared issues (status changes,
/// notes, the lead's critical flags) and sync in a random order; after everyone syncs, every
/// desktop shows the same status, flag and timeline for every issue.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hub_random_actions_in_any_sync_order_converge() {
    let seed = std::env::var("HUB_SEED")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or_else(|| fastrand::u64(..));
    eprintln!("hub convergence: seed {seed} (replay with HUB_SEED={seed})");
    let mut rng = fastrand::Rng::with_seed(seed);
    let hub = TestHub::new().await;
    let desks = [
        desktop(&hub, "ana", &["lee"]).await,
        desktop(&hub, "sam", &["lee"]).await,
        desktop(&hub, "lee", &["lee"]).await,
    ];
    let ids = [
        desks[0].log("Acme", "Shared one"),
        desks[1].log("Globex", "Shared two"),
    ];
    // Twice round: the first pass pushes, the second brings everyone both issues.
    for d in desks.iter().chain(&desks) {
        d.sync().await;
    }
    for step in 0..160 {
        let d = &desks[rng.usize(..desks.len())];
        let id = &ids[rng.usize(..ids.len())];
        match rng.u8(..10) {
            0..=3 => {
                let next = d.core.issue(id).unwrap().next_statuses;
                if !next.is_empty() {
                    let to = next[rng.usize(..next.len())];
                    d.core.change_status(id, to.as_str(), "").unwrap();
                }
            }
            4..=5 => {
                d.core.add_note(id, &format!("note {step}")).unwrap();
            }
            6 if d.core.role() == frontline_core::ladder::Role::Lead => {
                d.core
                    .flag_critical(id, CriticalReason::SeveralClients)
                    .unwrap();
            }
            7 => reprioritise(&d.core, id, &mut rng),
            _ => {
                d.sync().await;
            }
        }
    }
    for _ in 0..2 {
        for d in &desks {
            d.sync().await;
        }
    }
    let view = |d: &Desktop, id: &str| {
        let i = d.core.issue(id).unwrap();
        let mut events: Vec<String> = i
            .events
            .iter()
            .map(|e| format!("{} {} {}", e.at, e.actor, e.body.kind()))
            .collect();
        events.sort();
        (
            i.issue.status,
            i.issue.critical,
            (i.issue.priority, i.issue.impact, i.issue.urgency),
            (i.issue.updated_by, i.issue.updated_at),
            events,
        )
    };
    for id in &ids {
        let first = view(&desks[0], id);
        for d in &desks[1..] {
            assert_eq!(view(d, id), first, "desktops differ on {id} (seed {seed})");
        }
    }
}

/// Short numbers come from blocks the hub hands out: an issue has the same FL number on every
/// desktop, and no two issues of the team share one — even when logged offline at once.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hub_short_numbers_name_the_same_issue_on_every_desktop() {
    let hub = TestHub::new().await;
    let ana = desktop(&hub, "ana", &["lee"]).await;
    let sam = desktop(&hub, "sam", &["lee"]).await;
    let lead = desktop(&hub, "lee", &["lee"]).await;
    for d in [&ana, &sam, &lead] {
        d.sync().await;
    }
    let mut ids = Vec::new();
    for n in 0..3 {
        ids.push(ana.log(&format!("Ana's client {n}"), &format!("Ana's issue {n}")));
        ids.push(sam.log(&format!("Sam's client {n}"), &format!("Sam's issue {n}")));
    }
    for _ in 0..2 {
        for d in [&ana, &sam, &lead] {
            d.sync().await;
        }
    }
    let mut keys = std::collections::HashSet::new();
    for id in &ids {
        let key = ana.core.issue(id).unwrap().issue.key;
        for d in [&sam, &lead] {
            assert_eq!(d.core.issue(id).unwrap().issue.key, key, "{id}");
        }
        let number: i64 = key.trim_start_matches("FL-").parse().unwrap();
        assert!(number > 10_000, "{key} comes from a hub block");
        assert!(keys.insert(key.clone()), "{key} is used twice");
    }
}

/// The ladder is the team's: a lead's edit reaches every desktop through the hub and is kept
/// there for offline work; an agent cannot change it, neither on their desktop (the hub said
/// who they are) nor by a local file naming them a lead (the hub refuses the event).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hub_the_team_ladder_is_the_leads_and_reaches_every_desktop() {
    use frontline_core::team_connection::{HubIdentity, HubSettings};
    let hub = TestHub::new().await;
    let lead = desktop(&hub, "lee", &["lee", "kim"]).await;
    let ana = desktop(&hub, "ana", &["lee", "kim"]).await;
    let kim = desktop(&hub, "kim", &["lee", "kim"]).await;
    for (d, login, lead) in [
        (&lead, "lee", Some(true)),
        (&ana, "ana", Some(false)),
        (&kim, "kim", None),
    ] {
        d.core
            .save_hub_settings(HubSettings {
                address: format!("127.0.0.1:{}/{}", hub.port, hub.database),
                user: login.into(),
            })
            .unwrap();
        if let Some(lead) = lead {
            d.core
                .set_hub_identity(&HubIdentity {
                    login: login.into(),
                    lead,
                })
                .unwrap();
        }
    }
    let original = lead.core.team().ladder.name;
    let text = lead.core.ladder_text().unwrap();
    let edited = text.replacen(
        &format!("name = \"{original}\""),
        "name = \"Our vendor, as the team works it\"",
        1,
    );
    assert_ne!(edited, text);
    lead.core.save_ladder(&edited).unwrap();
    lead.sync().await;
    let synced = ana.sync().await;
    assert!(synced.applied >= 1);
    assert_eq!(
        ana.core.team().ladder.name,
        "Our vendor, as the team works it"
    );

    // Kept for offline work: a restart without the hub still uses it.
    let ana_dir = ana._dir.path().to_owned();
    let mut settings = frontline_core::Settings::for_dir(&ana_dir);
    settings.user = "ana".into();
    let reopened = Frontline::open(settings, Arc::new(SystemClock)).unwrap();
    assert_eq!(
        reopened.team().ladder.name,
        "Our vendor, as the team works it"
    );

    // An agent the hub knows is an agent is refused here.
    let e = ana.core.save_ladder(&text).unwrap_err();
    assert!(e.to_string().contains("lead"), "{e}");

    // An agent whose local file says lead: saved here, refused by the hub, nobody else gets it.
    kim.core.save_ladder(&text).unwrap();
    let synced = kim.sync().await;
    assert_eq!(
        synced.refused, 1,
        "the hub refuses an agent's profile change"
    );
    lead.sync().await;
    ana.sync().await;
    assert_eq!(
        lead.core.team().ladder.name,
        "Our vendor, as the team works it"
    );
    assert_eq!(
        ana.core.team().ladder.name,
        "Our vendor, as the team works it"
    );
}

/// A lead shares the team profile (team file: the ladder in use, calendar, SLA targets, outage
/// rule; the client-update template): an agent's desktop uses it after one sync, and still
/// after a restart without the hub. An agent cannot share one.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hub_a_leads_team_profile_reaches_every_desktop() {
    use frontline_core::team_connection::{HubIdentity, HubSettings};
    let hub = TestHub::new().await;
    let bundled = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../frontline-core/presets/team.toml"),
    )
    .unwrap();
    let lead_dir = tempfile::tempdir().unwrap();
    std::fs::write(
        lead_dir.path().join("team.toml"),
        bundled.replace("ladder = \"four-rung\"", "ladder = \"three-line\""),
    )
    .unwrap();
    std::fs::write(
        lead_dir.path().join("client-update.txt"),
        "Dear {client}, {key} is with our vendor; {agent} keeps you posted.",
    )
    .unwrap();
    let signed_in = |dir: &Path, login: &str, lead: bool| {
        let core = crate::signed_in(dir, login, lead);
        core.save_hub_settings(HubSettings {
            address: format!("127.0.0.1:{}/{}", hub.port, hub.database),
            user: login.into(),
        })
        .unwrap();
        core.set_hub_identity(&HubIdentity {
            login: login.into(),
            lead,
        })
        .unwrap();
        core
    };
    let lead = signed_in(lead_dir.path(), "lee", true);
    let ana_dir = tempfile::tempdir().unwrap();
    let ana = signed_in(ana_dir.path(), "ana", false);
    let (lead_hub, ana_hub) = (hub.connect("lee").await, hub.connect("ana").await);
    assert_eq!(ana.team().ladder.id, "four-rung");

    lead.publish_team_profile().unwrap();
    sync_once(&lead, &lead_hub).await.unwrap();
    sync_once(&ana, &ana_hub).await.unwrap();
    assert_eq!(
        ana.team().ladder.id,
        "three-line",
        "the team's ladder in use"
    );
    let client = ana
        .create_client(NewClient {
            name: "Tailspin Toys".into(),
            contact: String::new(),
        })
        .unwrap();
    let id = ana
        .create_issue(NewIssue {
            client_id: client.id,
            title: "Reports are empty".into(),
            description: "Every report shows no rows since this morning.".into(),
            steps: String::new(),
            category: "bug".into(),
            impact: "whole_client".into(),
            urgency: "high".into(),
            affected_users: 5,
        })
        .unwrap()
        .issue
        .id;
    let suggestion = ana.issue(&id).unwrap().client.suggestion;
    assert!(
        suggestion.starts_with("Dear Tailspin Toys,")
            && suggestion.contains("ana keeps you posted"),
        "the team's client-update template: {suggestion}"
    );

    // Kept for offline work.
    drop(ana);
    let mut settings = Settings::for_dir(ana_dir.path());
    settings.user = "ana".into();
    let reopened = Frontline::open(settings, Arc::new(SystemClock)).unwrap();
    assert_eq!(reopened.team().ladder.id, "three-line");

    let e = reopened.publish_team_profile().unwrap_err();
    assert!(e.to_string().contains("lead"), "{e}");
}

/// A lead's override and an agent's reassessment are folded into the issue on every desktop —
/// its priority, impact and urgency, which the queue sorts and filters by — not only written on
/// the timeline; both desktops end with the same fields.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hub_priority_changes_reach_every_desktops_queue() {
    let hub = TestHub::new().await;
    let lead = desktop(&hub, "lee", &["lee"]).await;
    let ana = desktop(&hub, "ana", &["lee"]).await;
    let id = ana.log("Acme", "Payroll run fails for every employee");
    ana.sync().await;
    lead.sync().await;
    let logged = ana.core.issue(&id).unwrap().issue;
    assert_ne!(logged.priority, "P4");

    lead.core
        .override_priority(&id, "P4", "A workaround is in place")
        .unwrap();
    let pushed = lead.sync().await;
    assert_eq!((pushed.pushed, pushed.refused), (1, 0), "{pushed:?}");
    ana.sync().await;
    assert_eq!(
        priority_of(&ana.core, &id),
        ("P4".into(), logged.impact.clone(), logged.urgency),
        "the lead's priority on the agent's desktop, impact and urgency kept"
    );
    let p4 = |core: &Frontline| {
        core.issues(&IssueQuery {
            priorities: vec!["P4".into()],
            ..IssueQuery::default()
        })
        .unwrap()
        .rows
        .into_iter()
        .map(|r| r.id)
        .collect::<Vec<_>>()
    };
    assert_eq!(
        p4(&ana.core),
        std::slice::from_ref(&id),
        "the agent's queue files it under P4"
    );

    ana.core.change_priority(&id, "one_user", "low").unwrap();
    let reassessed = ana.core.issue(&id).unwrap().issue;
    ana.sync().await;
    lead.sync().await;
    let at_lead = lead.core.issue(&id).unwrap().issue;
    assert_eq!(
        priority_of(&lead.core, &id),
        (
            reassessed.priority.clone(),
            "one_user".into(),
            frontline_core::model::Urgency::Low
        ),
        "the agent's reassessment on the lead's desktop"
    );
    assert_eq!(
        at_lead.updated_by, "ana",
        "who last worked on it, everywhere"
    );
    assert_eq!(reassessed.updated_by, "ana");
}

/// Every lead-only power is the hub's, not only the critical flag: an agent whose own
/// team.toml names them a lead overrides a priority; the hub refuses it with its words, the
/// agent's desktop takes the priority back, and the lead's desktop never shows it. An event
/// that hides a lead's override under an agent's kind is not applied by the desktops.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hub_an_agents_local_priority_override_is_refused_and_taken_back() {
    let hub = TestHub::new().await;
    let ana = desktop(&hub, "ana", &["ana"]).await;
    let lead = desktop(&hub, "lee", &["lee"]).await;
    let id = ana.log("Globex", "Invoices print blank");
    ana.sync().await;
    lead.sync().await;
    let logged = ana.core.issue(&id).unwrap().issue;

    ana.core
        .override_priority(&id, "P4", "I decide this one")
        .unwrap();
    assert_eq!(ana.core.issue(&id).unwrap().issue.priority, "P4");
    let synced = ana.sync().await;
    assert_eq!((synced.pushed, synced.refused), (0, 1), "{synced:?}");
    let refusals = ana.core.team_refusals().unwrap();
    assert_eq!(refusals[0].1, "priority_overridden");
    assert!(
        refusals[0]
            .2
            .contains("only a team lead may override a priority"),
        "{refusals:?}"
    );
    assert_eq!(
        priority_of(&ana.core, &id),
        (
            logged.priority.clone(),
            logged.impact.clone(),
            logged.urgency
        ),
        "taken back on the agent's desktop"
    );
    lead.sync().await;
    assert_eq!(
        lead.core.issue(&id).unwrap().issue.priority,
        logged.priority,
        "never the team's"
    );

    // The same override sent under an agent's kind, which the hub lets through: the desktops
    // read what it carries and leave it out.
    let forged = frontline_hub::HubEvent {
        id: uuid::Uuid::now_v7(),
        issue_id: Some(id.parse().unwrap()),
        author: "ana".into(),
        kind: "priority_changed".into(),
        body: serde_json::json!({
            "actor": "ana",
            "event": {
                "kind": "priority_changed", "from": logged.priority, "to": "P4",
                "reason": "I decide this one", "lead_override": true,
                "set": {"priority": "P4", "rank": 4, "impact": logged.impact,
                        "urgency": logged.urgency.as_str()}
            }
        }),
        occurred_at: chrono::Utc::now(),
    };
    let report = ana.hub.push(&[forged]).await.unwrap();
    assert_eq!(report.refused.len(), 0, "the hub sees an agent's kind");
    let synced = lead.sync().await;
    assert_eq!(synced.applied, 0, "left out: {synced:?}");
    let d = lead.core.issue(&id).unwrap();
    assert_eq!(d.issue.priority, logged.priority);
    assert!(
        !d.events
            .iter()
            .any(|e| matches!(e.body, EventBody::PriorityChanged { .. })),
        "not on the lead's timeline either"
    );
}

/// A random priority change: a lead may override it, anyone may reassess impact and urgency.
pub fn reprioritise(core: &Frontline, id: &str, rng: &mut fastrand::Rng) {
    if core.role() == frontline_core::ladder::Role::Lead && rng.bool() {
        let to = ["P1", "P2", "P3", "P4"][rng.usize(..4)];
        core.override_priority(id, to, "Seen from the lead's chair")
            .unwrap();
    } else {
        let impact = ["one_user", "several_users", "whole_client"][rng.usize(..3)];
        let urgency = ["low", "medium", "high", "critical"][rng.usize(..4)];
        core.change_priority(id, impact, urgency).unwrap();
    }
}

/// An issue's priority, impact and urgency on a desktop.
fn priority_of(core: &Frontline, id: &str) -> (String, String, frontline_core::model::Urgency) {
    let i = core.issue(id).unwrap().issue;
    (i.priority, i.impact, i.urgency)
}
