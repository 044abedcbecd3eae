//! The team hub against a real PostgreSQL server, started by the tests in a temporary folder
//! (as the `postgres` user when run as root) and stopped afterwards. `cargo test -- hub` runs
//! them all.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::print_stdout)] // A test or benchmark: a panic with its reason is the report.
mod bad_input;
mod faults;
mod one_ticket;
mod order;
mod roles;
mod team;

use std::sync::OnceLock;

use frontline_hub::cluster::Cluster;
use frontline_hub::{admin, schema, Hub, HubConfig, HubEvent};
use tokio::sync::Mutex;
use uuid::Uuid;

/// The password every test person has.
pub const PASSWORD: &str = "correct horse battery staple";

/// One server for the whole test binary; each test gets its own database in it.
pub struct Server {
    _dir: tempfile::TempDir,
    pub cluster: Cluster,
}

fn server() -> &'static std::sync::Mutex<Option<Server>> {
    static SERVER: OnceLock<std::sync::Mutex<Option<Server>>> = OnceLock::new();
    SERVER.get_or_init(|| {
        let dir = tempfile::Builder::new()
            .prefix("frontline-hub-test")
            .tempdir_in("/tmp")
            .expect("temp dir");
        let port = free_port();
        let cluster = Cluster::start(&dir.path().join("cluster"), port).expect("start PostgreSQL");
        extern "C" fn stop_server() {
            if let Ok(mut s) = server().lock() {
                if let Some(s) = s.take() {
                    let _ = s.cluster.stop();
                }
            }
        }
        // SAFETY: registering a plain extern "C" function with atexit has no preconditions.
        unsafe { libc_atexit(stop_server) };
        std::sync::Mutex::new(Some(Server { _dir: dir, cluster }))
    })
}

extern "C" {
    #[link_name = "atexit"]
    fn libc_atexit(f: extern "C" fn()) -> i32;
}

pub fn free_port() -> u16 {
    let l = std::net::TcpListener::bind("127.0.0.1:0").expect("a free port");
    l.local_addr().expect("its address").port()
}

/// The server's port and socket folder.
pub fn server_address() -> (u16, String) {
    let s = server().lock().expect("server");
    let s = s.as_ref().expect("server running");
    (
        s.cluster.port(),
        s.cluster.socket_dir().display().to_string(),
    )
}

/// Roles are cluster-wide: set them up once, with the people every test uses.
static ROLES: Mutex<bool> = Mutex::const_new(false);

/// A fresh hub database with a lead (`lee`) and three agents (`ana`, `sam`, `kim`).
pub struct TestHub {
    pub database: String,
    pub port: u16,
    socket: String,
}

pub async fn admin_client(socket: &str, port: u16, database: &str) -> tokio_postgres::Client {
    frontline_hub::cluster::admin_session(socket, port, database)
        .await
        .expect("admin connection")
}

impl TestHub {
    pub async fn new() -> TestHub {
        let (port, socket) = server_address();
        let database = format!("hub_{}", Uuid::now_v7().simple());
        let postgres = admin_client(&socket, port, "postgres").await;
        postgres
            .batch_execute(&format!("CREATE DATABASE {database}"))
            .await
            .expect("create database");
        let mut client = admin_client(&socket, port, &database).await;
        {
            // The roles exist once per cluster; the schema once per database.
            let mut done = ROLES.lock().await;
            schema::migrate(&mut client).await.expect("migrate");
            if !*done {
                for (login, lead) in [
                    ("lee", true),
                    ("ana", false),
                    ("sam", false),
                    ("kim", false),
                ] {
                    admin::add_member(&client, login, PASSWORD, lead)
                        .await
                        .expect("member");
                }
                *done = true;
            }
        }
        TestHub {
            database,
            port,
            socket,
        }
    }

    pub fn config(&self, user: &str) -> HubConfig {
        HubConfig {
            host: "127.0.0.1".into(),
            port: self.port,
            user: user.into(),
            password: PASSWORD.into(),
            database: self.database.clone(),
        }
    }

    pub async fn connect(&self, user: &str) -> Hub {
        Hub::connect(self.config(user)).await.expect("connect")
    }

    /// A plain Postgres session as `user` (what someone with the desktop's credentials could
    /// type into psql).
    pub async fn raw(&self, user: &str) -> tokio_postgres::Client {
        let (client, connection) = tokio_postgres::Config::new()
            .host("127.0.0.1")
            .port(self.port)
            .user(user)
            .password(PASSWORD)
            .dbname(&self.database)
            .connect(tokio_postgres::NoTls)
            .await
            .expect("raw connection");
        tokio::spawn(connection);
        client
    }

    pub async fn admin(&self) -> tokio_postgres::Client {
        admin_client(&self.socket, self.port, &self.database).await
    }
}

/// An event by `author` on `issue`.
pub fn event(author: &str, issue: Uuid, kind: &str, body: serde_json::Value) -> HubEvent {
    HubEvent {
        id: Uuid::now_v7(),
        issue_id: Some(issue),
        author: author.into(),
        kind: kind.into(),
        body,
        occurred_at: chrono::Utc::now(),
    }
}

/// A desktop's cache in `dir`, signed in as `login`, with the role the hub gives it.
pub fn signed_in(
    dir: &std::path::Path,
    login: &str,
    lead: bool,
) -> std::sync::Arc<frontline_core::Frontline> {
    let mut settings = frontline_core::Settings::for_dir(dir);
    settings.user = login.into();
    let core = std::sync::Arc::new(
        frontline_core::Frontline::open(settings, std::sync::Arc::new(frontline_core::SystemClock))
            .unwrap(),
    );
    core.set_hub_identity(&frontline_core::team_connection::HubIdentity {
        login: login.into(),
        lead,
    })
    .unwrap();
    core
}

/// Logs an export-failure issue for a new client `client` on `core`; returns its id.
pub fn log_issue(core: &frontline_core::Frontline, client: &str, title: &str) -> String {
    let client = core
        .create_client(frontline_core::model::NewClient {
            name: client.into(),
            contact: String::new(),
        })
        .unwrap();
    core.create_issue(frontline_core::model::NewIssue {
        client_id: client.id,
        title: title.into(),
        description: "Since this morning every invoice export ends with an error 500 page.".into(),
        steps: "1. Open Invoices\n2. Export".into(),
        category: "bug".into(),
        impact: "whole_client".into(),
        urgency: "high".into(),
        affected_users: 12,
    })
    .unwrap()
    .issue
    .id
}
