//! Latency percentiles printed by the benchmarks (criterion reports means, the goals are p99).
use std::time::{Duration, Instant};

/// Runs `f` `runs` times and prints p50, p99 and the maximum.
pub fn report(name: &str, runs: usize, mut f: impl FnMut()) {
    let mut samples: Vec<Duration> = (0..runs)
        .map(|_| {
            let t = Instant::now();
            f();
            t.elapsed()
        })
        .collect();
    samples.sort();
    let at = |q: f64| samples[((runs as f64 * q) as usize).min(runs - 1)].as_secs_f64() * 1e3;
    println!(
        "{name}: p50 {:.3} ms, p99 {:.3} ms, max {:.3} ms ({runs} runs)",
        at(0.5),
        at(0.99),
        at(1.0)
    );
}
