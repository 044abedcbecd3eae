//! `cargo bench -p frontline-hub --bench hub`: a real PostgreSQL server in a temporary folder.
//!
//! Push: `HUB_BENCH_DESKTOPS` (50) desktops, each its own login and connection, push
//! `HUB_BENCH_ISSUES` (2,000) issues' events each in batches of `HUB_BENCH_BATCH` (20), all at
//! once: events accepted per second, and the p50/p99 latency of one push.
//! Catch-up: a new lead's desktop pulls everything in pages of 1,000: events per second read.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::print_stdout)] // A test or benchmark: a panic with its reason is the report.
mod support;
use std::sync::Arc;
use std::time::{Duration, Instant};
use support::env;

use frontline_hub::{admin, Hub, HubConfig, HubEvent};
use uuid::Uuid;

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize]
}

fn main() {
    let desktops = env("HUB_BENCH_DESKTOPS", 50);
    let issues = env("HUB_BENCH_ISSUES", 2_000);
    let batch = env("HUB_BENCH_BATCH", 20);
    let bench = support::Bench::start("frontline-hub-bench");
    let (cluster, port) = (&bench.cluster, bench.port);
    bench.runtime.block_on(async {
        let client = cluster.admin("postgres").await.unwrap();
        let config = |login: &str| HubConfig {
            host: "127.0.0.1".into(),
            port,
            user: login.into(),
            password: "bench".into(),
            database: "postgres".into(),
        };
        let mut hubs = Vec::new();
        for d in 0..desktops {
            let login = format!("desk{d:02}");
            admin::add_member(&client, &login, "bench", d == 0).await.unwrap();
            hubs.push((login.clone(), Hub::connect(config(&login)).await.unwrap()));
        }

        let started = Instant::now();
        let mut tasks = Vec::new();
        for (login, hub) in hubs {
            tasks.push(tokio::spawn(async move {
                let mut latencies = Vec::new();
                let events: Vec<HubEvent> = (0..issues)
                    .map(|n| HubEvent {
                        id: Uuid::now_v7(),
                        issue_id: Some(Uuid::now_v7()),
                        author: login.clone(),
                        kind: "created".into(),
                        body: serde_json::json!({
                            "title": format!("Issue {n} of {login}"),
                            "client": "Northwind Traders",
                            "priority": "P2",
                        }),
                        occurred_at: chrono::Utc::now(),
                    })
                    .collect();
                for chunk in events.chunks(batch) {
                    let t = Instant::now();
                    let report = hub.push(chunk).await.unwrap();
                    latencies.push(t.elapsed());
                    assert_eq!(report.accepted.len(), chunk.len());
                }
                latencies
            }));
        }
        let mut latencies: Vec<Duration> = Vec::new();
        for t in tasks {
            latencies.extend(t.await.unwrap());
        }
        let elapsed = started.elapsed();
        latencies.sort();
        let total = desktops * issues;
        println!(
            "hub push: {desktops} desktops × {issues} events in batches of {batch}: {total} events in {:.1} s = {:.0} events/s accepted; push latency p50 {:.1} ms, p99 {:.1} ms, max {:.1} ms",
            elapsed.as_secs_f64(),
            total as f64 / elapsed.as_secs_f64(),
            percentile(&latencies, 0.5).as_secs_f64() * 1e3,
            percentile(&latencies, 0.99).as_secs_f64() * 1e3,
            latencies.last().copied().unwrap_or_default().as_secs_f64() * 1e3,
        );

        admin::add_member(&client, "newlead", "bench", true).await.unwrap();
        let lead = Arc::new(Hub::connect(config("newlead")).await.unwrap());
        let started = Instant::now();
        let (mut cursor, mut read) = (0, 0);
        loop {
            let page = lead.pull(cursor, 1_000).await.unwrap();
            if page.is_empty() {
                break;
            }
            read += page.len();
            cursor = page.last().map(|(s, _)| *s).unwrap_or(cursor);
        }
        let elapsed = started.elapsed();
        println!(
            "hub catch-up: {read} events pulled in {:.1} s = {:.0} events/s read (pages of 1,000)",
            elapsed.as_secs_f64(),
            read as f64 / elapsed.as_secs_f64()
        );
    });
    bench.stop();
}
