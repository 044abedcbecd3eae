//! `frontline-vendor-sim`: a vendor helpdesk on loopback that speaks the subset of Zendesk's API
//! Frontline uses (Requests and Tickets APIs, comments, uploads, help-centre articles) — or, as
//! [`Flavour::Freshdesk`], of Freshdesk's API v2 — keeps its
//! state in its own SQLite file, honours `Idempotency-Key` and `external_id`, advertises a rate
//! limit and answers 429 past it, and misbehaves on request ([`FaultPlan`]).
//!
//! It runs standalone (`cargo run -p frontline-vendor-sim -- --port 8089`) or inside another
//! process ([`Simulator::start`]): the app's sandbox mode, the chaos test, the benchmarks.
#![deny(missing_docs)]

mod api;
pub mod faults;
mod freshdesk;
pub mod portal;
pub mod store;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use hyper_util::rt::TokioIo;
use tokio::net::TcpListener;
use tokio::sync::watch;
use tower::ServiceExt;

pub use faults::{Fault, FaultPlan};

/// Which vendor's API the simulator speaks.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Flavour {
    /// Zendesk's Requests and Tickets APIs.
    #[default]
    Zendesk,
    /// Freshdesk's API v2.
    Freshdesk,
}

impl Flavour {
    /// Reads `zendesk` or `freshdesk`.
    pub fn parse(s: &str) -> Option<Flavour> {
        match s {
            "zendesk" => Some(Flavour::Zendesk),
            "freshdesk" => Some(Flavour::Freshdesk),
            _ => None,
        }
    }
}

/// How a simulator is set up.
#[derive(Debug, Clone)]
pub struct Config {
    /// Which vendor's API it speaks.
    pub flavour: Flavour,
    /// Where to listen; port 0 picks a free one. Only loopback addresses make sense.
    pub addr: SocketAddr,
    /// The SQLite file holding the simulated helpdesk.
    pub database: PathBuf,
    /// Requests allowed per window before 429 (`None`: no limit, nothing advertised).
    pub rate_limit: Option<u32>,
    /// The rate-limit window: a minute for real, shorter to scale time in benchmarks.
    pub rate_window: Duration,
    /// When set, API calls must carry Basic auth whose token part matches; others get 401.
    pub token: Option<String>,
    /// Whether `/api/v2/requests.json` honours `Idempotency-Key` (unconfirmed for real Zendesk;
    /// off by default so clients must look before creating again).
    pub idempotent_requests: bool,
    /// Sandbox mode: the vendor's agent answers each new ticket after this delay.
    pub auto_reply: Option<Duration>,
    /// Misbehaviour.
    pub faults: FaultPlan,
    /// Seed of the fault dice (printed, so a run can be replayed).
    pub seed: u64,
}

impl Config {
    /// A well-behaved simulator on a free loopback port.
    pub fn new(database: impl Into<PathBuf>) -> Config {
        Config {
            flavour: Flavour::Zendesk,
            addr: SocketAddr::from(([127, 0, 0, 1], 0)),
            database: database.into(),
            rate_limit: None,
            rate_window: Duration::from_secs(60),
            token: None,
            idempotent_requests: false,
            auto_reply: None,
            faults: FaultPlan::default(),
            seed: fastrand::u64(..),
        }
    }
}

/// Why the simulator could not start.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    /// The address is taken or not ours.
    #[error("cannot listen on {addr}: {source}")]
    Listen {
        /// The address asked for.
        addr: SocketAddr,
        /// What the OS said.
        source: std::io::Error,
    },
    /// The database could not be opened.
    #[error("cannot open the simulator's database {path}: {source}")]
    Database {
        /// The file.
        path: PathBuf,
        /// What SQLite said.
        source: rusqlite::Error,
    },
}

pub(crate) struct Shared {
    pub db: Mutex<rusqlite::Connection>,
    pub config: Config,
    pub faults: Mutex<FaultPlan>,
    pub dice: Mutex<fastrand::Rng>,
    pub window: Mutex<(Instant, u32)>,
    pub base: String,
    pub stats: Mutex<Stats>,
}

/// What the simulator has seen, for tests and benchmarks.
#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize)]
pub struct Stats {
    /// API requests received (admin calls not counted).
    pub requests: u64,
    /// Requests answered 429 because the rate limit was exceeded (not injected faults).
    pub rate_limited: u64,
    /// Faults injected.
    pub faults: u64,
    /// Idempotency replays answered with the original ticket.
    pub idempotent_hits: u64,
    /// Writes (POST and PUT) received, before any fault: the chaos test kills the client
    /// right after one arrives.
    pub writes: u64,
    /// Writes held by a `late` fault and not yet carried out.
    pub held: u64,
    /// Requests by method and endpoint (ids replaced by `{id}`).
    pub by_endpoint: std::collections::BTreeMap<String, u64>,
}

/// A running simulator; dropping it does not stop it, [`Running::stop`] does.
pub struct Running {
    addr: SocketAddr,
    stop: watch::Sender<bool>,
    shared: Arc<Shared>,
    task: tokio::task::JoinHandle<()>,
}

/// The simulator.
pub struct Simulator;

impl Simulator {
    /// Binds and starts serving on the current tokio runtime.
    pub async fn start(config: Config) -> Result<Running, StartError> {
        let listener =
            TcpListener::bind(config.addr)
                .await
                .map_err(|source| StartError::Listen {
                    addr: config.addr,
                    source,
                })?;
        let addr = listener.local_addr().map_err(|source| StartError::Listen {
            addr: config.addr,
            source,
        })?;
        let db = store::open(&config.database).map_err(|source| StartError::Database {
            path: config.database.clone(),
            source,
        })?;
        let shared = Arc::new(Shared {
            db: Mutex::new(db),
            faults: Mutex::new(config.faults.clone()),
            dice: Mutex::new(fastrand::Rng::with_seed(config.seed)),
            window: Mutex::new((Instant::now(), 0)),
            base: format!("http://{addr}"),
            stats: Mutex::new(Stats::default()),
            config,
        });
        let router = api::router(shared.clone());
        let (stop, mut stopped) = watch::channel(false);
        let task = tokio::spawn(async move {
            let mut connections = tokio::task::JoinSet::new();
            loop {
                let accepted = tokio::select! {
                    a = listener.accept() => a,
                    _ = stopped.changed() => break,
                };
                let Ok((stream, _)) = accepted else { continue };
                let router = router.clone();
                connections.spawn(async move {
                    let service = hyper::service::service_fn(move |req| {
                        let router = router.clone();
                        async move {
                            let response = router.oneshot(req.map(axum::body::Body::new)).await;
                            let Ok(response) = response;
                            if response.extensions().get::<api::DropConnection>().is_some() {
                                // Returning an error makes hyper close the connection without
                                // answering: the client sees a reset or an incomplete message.
                                return Err(std::io::Error::other("dropped on purpose"));
                            }
                            Ok::<_, std::io::Error>(response)
                        }
                    });
                    let _ = hyper::server::conn::http1::Builder::new()
                        .serve_connection(TokioIo::new(stream), service)
                        .await;
                });
                while connections.try_join_next().is_some() {}
            }
            connections.abort_all();
        });
        tracing::info!(%addr, "vendor simulator listening");
        Ok(Running {
            addr,
            stop,
            shared,
            task,
        })
    }
}

impl Running {
    /// Where it listens.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Its base URL, `http://127.0.0.1:PORT`.
    pub fn url(&self) -> String {
        self.shared.base.clone()
    }

    /// Changes the misbehaviour from now on.
    pub fn set_faults(&self, plan: FaultPlan) {
        *lock(&self.shared.faults) = plan;
    }

    /// What it has seen so far.
    pub fn stats(&self) -> Stats {
        lock(&self.shared.stats).clone()
    }

    /// The vendor's agent answers a ticket publicly and takes it.
    pub fn reply(&self, ticket_id: i64, body: &str) -> rusqlite::Result<bool> {
        store::agent_reply(&lock(&self.shared.db), ticket_id, body, None)
    }

    /// Adds or replaces help-centre articles (`id`, `title`, `body` HTML, labels).
    pub fn put_article(
        &self,
        id: i64,
        title: &str,
        body: &str,
        labels: &[&str],
    ) -> rusqlite::Result<()> {
        api::put_article(&lock(&self.shared.db), id, title, body, labels)
    }

    /// Runs a read-only query on the simulator's database (tests count tickets with it).
    pub fn query<T>(
        &self,
        f: impl FnOnce(&rusqlite::Connection) -> rusqlite::Result<T>,
    ) -> rusqlite::Result<T> {
        f(&lock(&self.shared.db))
    }

    /// Stops listening and drops open connections.
    pub async fn stop(self) {
        let _ = self.stop.send(true);
        let _ = self.task.await;
    }
}

pub(crate) fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}
