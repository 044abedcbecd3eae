//! A PostgreSQL cluster in a folder, for tests and demos (`make hub`): Debian's server binaries,
//! `initdb` and `pg_ctl` run as the `postgres` user when we are root (the server refuses root),
//! listening on one loopback port and a socket in the folder. Connections over TCP need a
//! password (SCRAM); the socket trusts the folder's owner, for the administrator.
use std::path::{Path, PathBuf};
use std::process::Command;

/// Why a cluster could not be set up or started.
#[derive(Debug, thiserror::Error)]
pub enum ClusterError {
    /// No PostgreSQL server binaries were found.
    #[error(
        "PostgreSQL's server programs were not found (looked for {0}); install Debian's \
         `postgresql` package or set PG_BIN to the folder holding initdb and pg_ctl"
    )]
    NoServer(String),
    /// A command failed.
    #[error("{command} failed: {output}")]
    Command {
        /// What was run.
        command: String,
        /// What it printed.
        output: String,
    },
    /// A file or folder could not be prepared.
    #[error("{what} {path}: {source}")]
    File {
        /// What was being done.
        what: &'static str,
        /// Where.
        path: PathBuf,
        /// The OS error.
        source: std::io::Error,
    },
}

/// A running cluster. [`Cluster::stop`] stops it; dropping it stops it too.
pub struct Cluster {
    bin: PathBuf,
    dir: PathBuf,
    port: u16,
    as_postgres: bool,
    stopped: bool,
}

/// The superuser `initdb` creates.
pub const ADMIN: &str = "frontline_admin";

fn server_bin() -> Result<PathBuf, ClusterError> {
    if let Some(dir) = std::env::var_os("PG_BIN") {
        return Ok(PathBuf::from(dir));
    }
    let root = Path::new("/usr/lib/postgresql");
    let mut versions: Vec<(u32, PathBuf)> = std::fs::read_dir(root)
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|e| {
            let v: u32 = e.file_name().to_str()?.parse().ok()?;
            let bin = e.path().join("bin");
            bin.join("initdb").exists().then_some((v, bin))
        })
        .collect();
    versions.sort();
    versions
        .pop()
        .map(|(_, b)| b)
        .ok_or_else(|| ClusterError::NoServer(format!("{}/*/bin/initdb", root.display())))
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
        .unwrap_or(false)
}

fn run(mut command: Command) -> Result<(), ClusterError> {
    let shown = format!("{command:?}");
    let output = command.output().map_err(|e| ClusterError::Command {
        command: shown.clone(),
        output: e.to_string(),
    })?;
    if output.status.success() {
        return Ok(());
    }
    Err(ClusterError::Command {
        command: shown,
        output: format!(
            "{}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        ),
    })
}

impl Cluster {
    /// Creates a cluster in `dir` (unless one is there) and starts it on `port`.
    pub fn start(dir: &Path, port: u16) -> Result<Cluster, ClusterError> {
        let bin = server_bin()?;
        let as_postgres = is_root();
        std::fs::create_dir_all(dir).map_err(|source| ClusterError::File {
            what: "cannot create",
            path: dir.to_owned(),
            source,
        })?;
        let data = dir.join("data");
        let cluster = Cluster {
            bin,
            dir: dir.to_owned(),
            port,
            as_postgres,
            stopped: false,
        };
        if as_postgres {
            // The server runs as `postgres`: it must own the folder (and reach it).
            let mut chown = Command::new("chown");
            chown.args(["-R", "postgres:postgres"]).arg(dir);
            run(chown)?;
            let mut parent = dir.parent();
            while let Some(p) = parent {
                let mut chmod = Command::new("chmod");
                chmod.arg("o+x").arg(p);
                let _ = chmod.output();
                parent = p.parent();
            }
        }
        if !data.join("PG_VERSION").exists() {
            let mut initdb = cluster.command("initdb");
            initdb
                .arg("-D")
                .arg(&data)
                .args([
                    "-U",
                    ADMIN,
                    "--auth-local=trust",
                    "--auth-host=scram-sha-256",
                ])
                .args(["-E", "UTF8", "--locale=C.UTF-8"]);
            run(initdb)?;
        }
        cluster.pg_ctl_start()?;
        Ok(cluster)
    }

    fn pg_ctl_start(&self) -> Result<(), ClusterError> {
        let mut start = self.command("pg_ctl");
        start
            .arg("-D")
            .arg(self.dir.join("data"))
            .arg("-l")
            .arg(self.log())
            .arg("-o")
            .arg(format!(
                "-p {} -k {} -c listen_addresses=127.0.0.1,127.0.0.2 -c max_connections=300",
                self.port,
                self.dir.display()
            ))
            .args(["-w", "-t", "60", "start"]);
        run(start)
    }

    fn command(&self, program: &str) -> Command {
        let path = self.bin.join(program);
        if self.as_postgres {
            let mut c = Command::new("runuser");
            c.args(["-u", "postgres", "--"]).arg(path);
            c
        } else {
            Command::new(path)
        }
    }

    /// The TCP port.
    pub fn port(&self) -> u16 {
        self.port
    }

    /// The folder holding the socket (the administrator's way in).
    pub fn socket_dir(&self) -> &Path {
        &self.dir
    }

    /// A session as the administrator, over the socket.
    pub async fn admin(&self, database: &str) -> Result<tokio_postgres::Client, ClusterError> {
        admin_session(&self.dir.display().to_string(), self.port, database).await
    }

    /// The server's log.
    pub fn log(&self) -> PathBuf {
        self.dir.join("server.log")
    }

    /// Stops the server, waiting for it (fast shutdown: open sessions are ended).
    pub fn stop(mut self) -> Result<(), ClusterError> {
        self.stopped = true;
        self.pg_ctl_stop("fast")
    }

    /// Stops the server at once, as a crash would (immediate shutdown), then starts it again.
    pub fn restart(&mut self) -> Result<(), ClusterError> {
        self.pg_ctl_stop("immediate")?;
        self.pg_ctl_start()
    }

    fn pg_ctl_stop(&self, mode: &str) -> Result<(), ClusterError> {
        let mut stop = self.command("pg_ctl");
        stop.arg("-D")
            .arg(self.dir.join("data"))
            .args(["-m", mode, "-w", "-t", "60", "stop"]);
        run(stop)
    }
}

/// A session as the administrator of the cluster whose socket is in `socket_dir`; the
/// connection runs on the current tokio runtime.
pub async fn admin_session(
    socket_dir: &str,
    port: u16,
    database: &str,
) -> Result<tokio_postgres::Client, ClusterError> {
    let (client, connection) = tokio_postgres::Config::new()
        .host(socket_dir)
        .port(port)
        .user(ADMIN)
        .dbname(database)
        .connect(tokio_postgres::NoTls)
        .await
        .map_err(|e| ClusterError::Command {
            command: format!("connecting to {socket_dir} as {ADMIN}"),
            output: e.to_string(),
        })?;
    tokio::spawn(async move {
        if let Err(e) = connection.await {
            tracing::info!(error = %e, "administrator session ended");
        }
    });
    Ok(client)
}

impl Drop for Cluster {
    fn drop(&mut self) {
        if !self.stopped {
            let _ = self.pg_ctl_stop("immediate");
        }
    }
}
