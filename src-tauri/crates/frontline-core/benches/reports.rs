//! Reports and evidence packs at scale. `cargo bench -p frontline-core --bench reports`
//! - every report for this quarter over 100,000 issues logged across a year (about a quarter
//!   of them in the quarter; 60 % resolved, 20 % escalated): the first look (every issue
//!   folded) and the looks after it, with and without a new event in between (goal p99 ≤ 50 ms);
//! - the evidence pack of an issue with 5,000 events (goal: under a second).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::print_stdout)] // A test or benchmark: a panic with its reason is the report.
#[path = "support/percentiles.rs"]
mod percentiles;

use std::sync::Arc;
use std::time::Instant;

use chrono::{Duration, Utc};
use frontline_core::reports::Period;
use frontline_core::{demo, FixedClock, Frontline, Settings};

const ISSUES: usize = 100_000;
const CHUNK: usize = 500;

fn main() {
    // REPORTS_BENCH_DIR keeps the dataset between runs (it takes minutes to make).
    let kept = std::env::var_os("REPORTS_BENCH_DIR").map(std::path::PathBuf::from);
    let temp = tempfile::tempdir().expect("temp dir");
    let dir = kept.clone().unwrap_or_else(|| temp.path().to_owned());
    let made = dir.join("frontline.db").exists();
    let clock = Arc::new(FixedClock::new(Utc::now() - Duration::days(365)));
    let app = Frontline::open(Settings::for_dir(&dir), clock.clone()).expect("open");
    if !made {
        make_dataset(&app, &clock);
    }
    clock.advance(Duration::days(365));
    run(&app);
}

fn make_dataset(app: &Frontline, clock: &FixedClock) {
    let clients: Vec<_> = demo::clients(1_000)
        .into_iter()
        .map(|c| app.create_client(c).expect("client"))
        .collect();
    let started = Instant::now();
    let step = Duration::seconds(365 * 86_400 * CHUNK as i64 / ISSUES as i64);
    for (n, chunk) in demo::issues(&clients, ISSUES, 7).chunks(CHUNK).enumerate() {
        let ids = app.import_issues(chunk.to_vec()).expect("import");
        clock.advance(Duration::hours(3));
        for (i, id) in ids.iter().enumerate() {
            match (n * CHUNK + i) % 10 {
                0 | 1 => {
                    app.change_status(id, "escalated", "").expect("escalate");
                }
                2..=7 => {
                    app.change_status(id, "resolved", "").expect("resolve");
                }
                _ => {}
            }
        }
        clock.advance(step - Duration::hours(3));
    }
    // The clock is set again for the run: back to where it started.
    clock.advance(-Duration::days(365));
    println!(
        "dataset: {ISSUES} issues over a year, with their events, in {:.1?}",
        started.elapsed()
    );
}

fn run(app: &Frontline) {
    let t = Instant::now();
    let r = app.report(&Period::ThisQuarter).expect("report");
    println!(
        "first report (folds every issue): {:.1?} — {} logged, {} resolved, {} escalated this quarter",
        t.elapsed(),
        r.total.logged,
        r.total.resolved,
        r.total.escalated
    );
    percentiles::report("every report for this quarter, nothing new", 100, || {
        std::hint::black_box(app.report(&Period::ThisQuarter).expect("report"));
    });
    let open = app
        .issues(&frontline_core::model::IssueQuery {
            statuses: vec![frontline_core::status::Status::New],
            ..Default::default()
        })
        .expect("queue")
        .rows;
    let mut i = 0;
    percentiles::report(
        "every report for this quarter, one new event before each",
        100,
        || {
            app.add_note(&open[i % open.len()].id, "Called the client back.")
                .expect("note");
            i += 1;
            std::hint::black_box(app.report(&Period::ThisQuarter).expect("report"));
        },
    );

    // An issue with 5,000 events.
    let id = open[0].id.clone();
    app.change_status(&id, "escalated", "").expect("escalate");
    for n in 0..5_000 {
        app.add_note(
            &id,
            &format!("Progress note {n}: still investigating with the client."),
        )
        .expect("note");
    }
    let t = Instant::now();
    let (html, json) = app
        .evidence_pack(std::slice::from_ref(&id), "FL")
        .expect("pack");
    println!(
        "evidence pack of an issue with 5,000 events: {:.1?} ({} KB HTML, {} KB JSON)",
        t.elapsed(),
        html.len() / 1024,
        json.len() / 1024
    );
    percentiles::report("evidence pack, 5,000 events", 10, || {
        std::hint::black_box(
            app.evidence_pack(std::slice::from_ref(&id), "FL")
                .expect("pack"),
        );
    });
    let t = Instant::now();
    let verdict = frontline_core::evidence::verify(&html).expect("verify");
    println!(
        "verify-pack of it: {:.1?}, {}",
        t.elapsed(),
        verdict.message
    );
}
