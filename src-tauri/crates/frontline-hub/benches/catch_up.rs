//! `cargo bench -p frontline-hub --bench catch_up`: a new lead's desktop catching up on a team's
//! history, against a real PostgreSQL server in a temporary folder.
//!
//! The hub is filled with `HUB_BENCH_TEAM_ISSUES` (100,000) issues of ten events each (logged,
//! status changes, notes: ≈1M events; one issue in a hundred escalated by its agent, so on
//! the lead's desk), written by the server itself from envelopes a real
//! desktop recorded (so they are what desktops push), with UUIDv7 ids in time order as
//! desktops make them. Then an empty desktop signed in as a lead
//! pulls and applies everything: events applied per second (goal ≥ 20,000/s), how long until
//! the first issues show, how long in all. Then, over the 100,000 team issues: the queue's
//! first page (Team and Mine), the Escalations desk (a look with nothing written since the last,
//! and a look after a note on one of its issues) and outage detection, p50/p99.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::print_stdout)] // A test or benchmark: a panic with its reason is the report.
mod support;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use support::env;

use frontline_core::model::{IssueQuery, NewClient, NewIssue};
use frontline_core::team_connection::HubIdentity;
use frontline_core::{Frontline, Settings, SystemClock};
use frontline_hub::{admin, Hub, HubConfig};

const EVENTS_PER_ISSUE: i64 = 10;

fn open(dir: &std::path::Path, login: &str, lead: bool) -> Arc<Frontline> {
    let mut settings = Settings::for_dir(dir);
    settings.user = login.into();
    let core = Arc::new(Frontline::open(settings, Arc::new(SystemClock)).unwrap());
    core.set_hub_identity(&HubIdentity {
        login: login.into(),
        lead,
    })
    .unwrap();
    core
}

/// The envelopes a real desktop records: one issue logged, a status change, a note.
fn templates(dir: &std::path::Path) -> (serde_json::Value, serde_json::Value, serde_json::Value) {
    let core = open(dir, "desk00", false);
    let client = core
        .create_client(NewClient {
            name: "Template client".into(),
            contact: String::new(),
        })
        .unwrap();
    let id = core
        .create_issue(NewIssue {
            client_id: client.id,
            title: "Template".into(),
            description: "Every export of March invoices ends with an error 500 page.".into(),
            steps: "1. Open Invoices\n2. Export March".into(),
            category: "bug".into(),
            impact: "whole_client".into(),
            urgency: "high".into(),
            affected_users: 40,
        })
        .unwrap()
        .issue
        .id;
    core.change_status(&id, "in_progress", "").unwrap();
    core.add_note(
        &id,
        "Asked the client for the export file and the time of the error.",
    )
    .unwrap();
    let pending = core.team_pending(10).unwrap();
    let of = |kind: &str| {
        pending
            .iter()
            .find(|e| e.kind == kind)
            .map(|e| e.body.clone())
            .unwrap_or_else(|| panic!("no {kind} event"))
    };
    (of("created"), of("status_changed"), of("note"))
}

fn percentiles(mut samples: Vec<Duration>) -> String {
    samples.sort();
    let at = |p: f64| samples[((samples.len() as f64 - 1.0) * p).round() as usize];
    format!(
        "p50 {:.2} ms, p99 {:.2} ms",
        at(0.5).as_secs_f64() * 1e3,
        at(0.99).as_secs_f64() * 1e3
    )
}

fn time<T>(runs: usize, f: impl Fn() -> T) -> String {
    f();
    let samples = (0..runs)
        .map(|_| {
            let t = Instant::now();
            std::hint::black_box(f());
            t.elapsed()
        })
        .collect();
    percentiles(samples)
}

fn main() {
    let issues = env("HUB_BENCH_TEAM_ISSUES", 100_000) as i64;
    let bench = support::Bench::start("frontline-hub-catch-up");
    let (cluster, port) = (&bench.cluster, bench.port);
    bench.runtime.block_on(async {
        let client = cluster.admin("postgres").await.unwrap();
        admin::add_member(&client, "desk00", "bench", false).await.unwrap();
        admin::add_member(&client, "newlead", "bench", true).await.unwrap();

        let template_dir = tempfile::tempdir().unwrap();
        let (created, status, note) = templates(template_dir.path());
        let started = Instant::now();
        // The server writes the history as desk00 (its session user), through the same
        // admission trigger as a push: 200 clients, numbers from 10001, ten events an issue.
        client
            .batch_execute("SET SESSION AUTHORIZATION desk00")
            .await
            .unwrap();
        let chunk = 10_000;
        let mut first = 0;
        while first < issues {
            let last = (first + chunk).min(issues);
            client
                .execute(
                    "INSERT INTO frontline.events (id, issue_id, author, kind, body, occurred_at)
                     SELECT (lpad(to_hex(1780272000000 + n * 20000 + k * 1000), 12, '0') || '7'
                                 || substr(md5(n || '-' || k), 1, 3) || '8' || substr(md5(n || '-' || k), 4, 15))::uuid,
                            (lpad(to_hex(1780272000000 + n * 20000), 12, '0') || '7'
                                 || substr(md5('issue-' || n), 1, 3) || '8' || substr(md5('issue-' || n), 4, 15))::uuid,
                            'desk00',
                            CASE WHEN k = 0 THEN 'created' WHEN k % 2 = 1 THEN 'status_changed' ELSE 'note' END,
                            CASE WHEN k = 0 THEN
                                jsonb_set(jsonb_set(jsonb_set(jsonb_set($3::jsonb,
                                    '{seed,title}', to_jsonb('Exports fail for client ' || (n % 200) || ', case ' || n)),
                                    '{seed,number}', to_jsonb(10001 + n)),
                                    '{seed,client_id}', to_jsonb(md5('client-' || (n % 200))::uuid::text)),
                                    '{seed,client_name}', to_jsonb('Client ' || (n % 200)))
                            WHEN k = 1 AND n % 100 = 0 THEN jsonb_set($4::jsonb, '{event,to}', to_jsonb('escalated'::text))
                            WHEN k % 2 = 1 THEN $4::jsonb ELSE $5::jsonb END,
                            timestamptz '2026-06-01' + n * interval '20 seconds' + k * interval '1 second'
                     FROM generate_series($1::bigint, $2::bigint - 1) AS n, generate_series(0, 9) AS k
                     ORDER BY n, k",
                    &[&first, &last, &created, &status, &note],
                )
                .await
                .unwrap();
            first = last;
        }
        client.batch_execute("RESET SESSION AUTHORIZATION").await.unwrap();
        let total = issues * EVENTS_PER_ISSUE;
        println!(
            "hub catch-up: {issues} issues, {total} events written on the hub in {:.1} s",
            started.elapsed().as_secs_f64()
        );

        let lead_dir = tempfile::tempdir().unwrap();
        let lead = open(lead_dir.path(), "newlead", true);
        let hub = Hub::connect(HubConfig {
            host: "127.0.0.1".into(),
            port,
            user: "newlead".into(),
            password: "bench".into(),
            database: "postgres".into(),
        })
        .await
        .unwrap();
        let first_shown: Arc<Mutex<Option<Duration>>> = Arc::default();
        let started = Instant::now();
        let shown = first_shown.clone();
        let done = frontline_hub::team::sync_reporting(&lead, &hub, &move |n| {
            let mut s = shown.lock().unwrap();
            if s.is_none() && n > 0 {
                *s = Some(started.elapsed());
            }
        })
        .await
        .unwrap();
        let elapsed = started.elapsed();
        assert_eq!(done.applied as i64, total, "every event applied once");
        println!(
            "hub catch-up: {} events applied in {:.1} s = {:.0} events/s (goal ≥ 20,000/s); the first issues showed after {:.0} ms",
            done.applied,
            elapsed.as_secs_f64(),
            done.applied as f64 / elapsed.as_secs_f64(),
            first_shown.lock().unwrap().unwrap_or_default().as_secs_f64() * 1e3
        );

        let team = IssueQuery::default();
        let mine = IssueQuery {
            mine: true,
            ..IssueQuery::default()
        };
        println!(
            "queue over {issues} team issues, first page: Team {}; Mine {}",
            time(200, || lead.issues(&team).unwrap()),
            time(50, || lead.issues(&mine).unwrap()),
        );
        let desk = lead.desk().unwrap();
        let on_desk = desk.rows.len();
        if let Some(row) = desk.rows.first() {
            println!(
                "one escalated issue's page (timeline, clocks, ladder, vendor): {}",
                time(200, || lead.issue(&row.id).unwrap())
            );
        }
        println!(
            "Escalations desk over {issues} team issues ({on_desk} on it), nothing written between looks: {}; outage detection: {}",
            time(50, || lead.desk().unwrap()),
            time(20, || lead.outage_alerts().unwrap()),
        );
        // What the desk costs when something did change: a note on one of its issues (a
        // different one each time), then a look.
        lead.desk().unwrap();
        let samples = desk
            .rows
            .iter()
            .take(100)
            .map(|row| {
                lead.add_note(&row.id, "Called the client back.").unwrap();
                let t = Instant::now();
                std::hint::black_box(lead.desk().unwrap());
                t.elapsed()
            })
            .collect();
        println!(
            "Escalations desk, a look after a note on one of its issues: {}",
            percentiles(samples)
        );
    });
    bench.stop();
}
