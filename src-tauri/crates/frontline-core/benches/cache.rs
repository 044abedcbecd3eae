//! The cache at 100,000 issues across 1,000 clients: insert throughput, the queue's first page,
//! and a full-text search. Criterion measures the means; a plain pass after it prints p50/p99.
//! `cargo bench -p frontline-core --bench cache`
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::print_stdout)] // A test or benchmark: a panic with its reason is the report.
use std::hint::black_box;

#[path = "support/percentiles.rs"]
mod percentiles;
use std::sync::Arc;
use std::time::{Duration, Instant};

use criterion::{criterion_group, criterion_main, Criterion};
use frontline_core::model::{IssueQuery, QueueSort};
use frontline_core::status::OPEN;
use frontline_core::{demo, Frontline, Settings, SystemClock};

const ISSUES: usize = 100_000;
const CLIENTS: usize = 1_000;

struct Fixture {
    _dir: tempfile::TempDir,
    app: Frontline,
    clients: Vec<frontline_core::model::Client>,
}

fn fixture() -> Fixture {
    let dir = tempfile::tempdir().expect("temp dir");
    let app = Frontline::open(Settings::for_dir(dir.path()), Arc::new(SystemClock)).expect("open");
    let clients: Vec<_> = demo::clients(CLIENTS)
        .into_iter()
        .map(|c| app.create_client(c).expect("client"))
        .collect();
    let started = Instant::now();
    for chunk in demo::issues(&clients, ISSUES, 42).chunks(10_000) {
        app.import_issues(chunk.to_vec()).expect("import");
    }
    let took = started.elapsed();
    println!(
        "bulk import: {ISSUES} issues in {:.2?} = {:.0} issues/s (10,000 per transaction)",
        took,
        ISSUES as f64 / took.as_secs_f64()
    );
    Fixture {
        _dir: dir,
        app,
        clients,
    }
}

fn first_page() -> IssueQuery {
    IssueQuery {
        statuses: OPEN.to_vec(),
        sort: QueueSort::Priority,
        limit: 100,
        ..Default::default()
    }
}

fn search() -> IssueQuery {
    IssueQuery {
        statuses: OPEN.to_vec(),
        search: "password reset".into(),
        limit: 100,
        ..Default::default()
    }
}

/// A client's name: matches that client's ~100 issues, the common way agents search.
fn search_client() -> IssueQuery {
    IssueQuery {
        statuses: OPEN.to_vec(),
        search: "woodgrove bank 13".into(),
        limit: 100,
        ..Default::default()
    }
}

fn benches(c: &mut Criterion) {
    let fx = fixture();
    let mut n = 0usize;
    let one = demo::issues(&fx.clients, 1, 7).remove(0);
    c.bench_function("create_issue (one transaction, synchronous=FULL)", |b| {
        b.iter(|| {
            n += 1;
            black_box(fx.app.create_issue(one.clone()).expect("create"));
        })
    });
    c.bench_function(
        "queue first page: open issues by priority (100 rows of 100k)",
        |b| b.iter(|| black_box(fx.app.issues(&first_page()).expect("page"))),
    );
    c.bench_function("FTS search 'password reset' in open issues", |b| {
        b.iter(|| black_box(fx.app.issues(&search()).expect("search")))
    });
    c.bench_function("queue page deep in the list (offset 50,000)", |b| {
        b.iter(|| {
            black_box(
                fx.app
                    .issues(&IssueQuery {
                        offset: 50_000,
                        ..first_page()
                    })
                    .expect("page"),
            )
        })
    });
    percentiles::report("queue first page", 1000, || {
        black_box(fx.app.issues(&first_page()).expect("page"));
    });
    percentiles::report("FTS search", 1000, || {
        black_box(fx.app.issues(&search()).expect("search"));
    });
    percentiles::report("FTS search for a client's name", 1000, || {
        black_box(fx.app.issues(&search_client()).expect("search"));
    });
    percentiles::report("create_issue", 1000, || {
        black_box(fx.app.create_issue(one.clone()).expect("create"));
    });
}

criterion_group! {
    name = cache;
    config = Criterion::default().sample_size(50).measurement_time(Duration::from_secs(4));
    targets = benches
}
criterion_main!(cache);
