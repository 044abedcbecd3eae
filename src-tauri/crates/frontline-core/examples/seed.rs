//! Fills a data folder with sample clients and issues.
//! `cargo run --release -p frontline-core --example seed -- <data dir> <issues> <clients>`
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::print_stdout)] // A test or benchmark: a panic with its reason is the report.
use std::sync::Arc;

use frontline_core::{demo, Frontline, Settings, SystemClock};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let dir = args
        .next()
        .ok_or("usage: seed <data dir> [issues] [clients]")?;
    let issues: usize = args.next().map(|a| a.parse()).transpose()?.unwrap_or(200);
    let clients: usize = args.next().map(|a| a.parse()).transpose()?.unwrap_or(12);
    let app = Frontline::open(Settings::for_dir(dir), Arc::new(SystemClock))?;
    let made: Vec<_> = demo::clients(clients)
        .into_iter()
        .map(|c| app.create_client(c))
        .collect::<Result<_, _>>()?;
    let started = std::time::Instant::now();
    for chunk in demo::issues(&made, issues, 7).chunks(10_000) {
        app.import_issues(chunk.to_vec())?;
    }
    println!(
        "{issues} issues across {clients} clients in {:.2?}",
        started.elapsed()
    );
    Ok(())
}
