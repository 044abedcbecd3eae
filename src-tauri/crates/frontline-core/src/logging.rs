//! Logging with `tracing` to a daily-rotated file in the data folder (7 files kept) and stderr.
use std::path::Path;

use tracing_appender::non_blocking::WorkerGuard;
use tracing_appender::rolling::{Builder, Rotation};
use tracing_subscriber::layer::SubscriberExt;
use tracing_subscriber::util::SubscriberInitExt;
use tracing_subscriber::{fmt, EnvFilter};

use crate::error::{Error, Result};

/// Log files kept before the oldest is deleted.
pub const KEEP_FILES: usize = 7;

/// Starts logging into `dir`. Keep the guard alive for the life of the app: dropping it flushes.
/// `RUST_LOG` overrides the default level (`info`).
pub fn init(dir: &Path) -> Result<WorkerGuard> {
    std::fs::create_dir_all(dir).map_err(|source| Error::DataDir {
        path: dir.to_owned(),
        source,
    })?;
    let appender = Builder::new()
        .rotation(Rotation::DAILY)
        .filename_prefix("frontline")
        .filename_suffix("log")
        .max_log_files(KEEP_FILES)
        .build(dir)
        .map_err(|e| Error::DataDir {
            path: dir.to_owned(),
            source: std::io::Error::other(e.to_string()),
        })?;
    let (writer, guard) = tracing_appender::non_blocking(appender);
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info"));
    // A second init (tests open many apps in one process) keeps the first subscriber.
    let _ = tracing_subscriber::registry()
        .with(filter)
        .with(fmt::layer().with_writer(writer).with_ansi(false))
        .with(fmt::layer().with_writer(std::io::stderr))
        .try_init();
    Ok(guard)
}
