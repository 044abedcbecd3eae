//! What the hub's benchmarks share: a knob from the environment, and a PostgreSQL server in a
//! temporary folder with the hub's schema, driven from a two-thread runtime.
#![allow(dead_code)]
use frontline_hub::cluster::Cluster;

/// `name` from the environment, or `default`.
pub fn env(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// A running server (stopped by `stop`), its port and a runtime to talk to it from.
pub struct Bench {
    _dir: tempfile::TempDir,
    pub cluster: Cluster,
    pub port: u16,
    pub runtime: tokio::runtime::Runtime,
}

impl Bench {
    /// Starts the server and applies the hub's schema to its `postgres` database.
    pub fn start(prefix: &str) -> Bench {
        let dir = tempfile::Builder::new()
            .prefix(prefix)
            .tempdir_in("/tmp")
            .unwrap();
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let cluster = Cluster::start(&dir.path().join("cluster"), port).unwrap();
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .unwrap();
        runtime.block_on(async {
            let mut client = cluster.admin("postgres").await.unwrap();
            frontline_hub::schema::migrate(&mut client).await.unwrap();
        });
        Bench {
            _dir: dir,
            cluster,
            port,
            runtime,
        }
    }

    /// Stops the server.
    pub fn stop(self) {
        self.cluster.stop().unwrap();
    }
}
