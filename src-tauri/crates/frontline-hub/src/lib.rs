//! `frontline-hub`: the team hub. Desktops share the events of their issues through one
//! PostgreSQL database: each pushes its own events (idempotently, by the event's UUIDv7) and
//! pulls everyone's in the hub's commit order. The hub, not a desktop's files, decides who may
//! do what: every event is signed by the person signed in, and lead-only kinds need a lead.
//!
//! - [`schema`]: the migrations (refinery) and the version check.
//! - [`Hub`]: a desktop's connection — push, pull, who am I.
//! - [`admin`]: setting a hub up and adding people.
//! - [`cluster`]: a PostgreSQL cluster in a folder, for tests and `make hub`.
#![deny(missing_docs)]

pub mod admin;
pub mod cluster;
pub mod schema;
pub mod team;

use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Utc};
use deadpool_postgres::{Manager, ManagerConfig, Pool, RecyclingMethod};
use serde::{Deserialize, Serialize};
use tokio_postgres::error::SqlState;
use uuid::Uuid;

/// How many short numbers a block holds.
pub const NUMBER_BLOCK: i64 = 1000;

/// How a desktop reaches the hub.
#[derive(Debug, Clone)]
pub struct HubConfig {
    /// Host name or address (TLS is required for anything but loopback), or a socket folder.
    pub host: String,
    /// Port.
    pub port: u16,
    /// The person's hub login.
    pub user: String,
    /// Their password (kept in the OS keyring by the app).
    pub password: String,
    /// The database.
    pub database: String,
}

impl HubConfig {
    fn loopback(&self) -> bool {
        matches!(
            self.host.as_str(),
            "127.0.0.1" | "localhost" | "::1" | "[::1]"
        ) || self.host.starts_with('/')
    }

    /// Where, in words (never the password).
    pub fn address(&self) -> String {
        format!("{}:{}/{}", self.host, self.port, self.database)
    }

    /// The connection a person saved on the Team hub page, with their password.
    pub fn from_settings(
        settings: &frontline_core::team_connection::HubSettings,
        password: String,
    ) -> Result<HubConfig, HubError> {
        let a = frontline_core::team_connection::HubAddress::parse(&settings.address)
            .map_err(|e| HubError::Address(e.to_string()))?;
        Ok(HubConfig {
            host: a.host,
            port: a.port,
            user: settings.user.trim().to_owned(),
            password,
            database: a.database,
        })
    }
}

/// What went wrong with the hub, in words a person can act on.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum HubError {
    /// The password (or the user name) is wrong.
    #[error("The team hub refused the password for \"{user}\". Check the user name and password on the Team hub page.")]
    WrongPassword {
        /// The login tried.
        user: String,
    },
    /// No connection could be made.
    #[error("Cannot reach the team hub at {address} ({detail}). Work goes on on this desktop and is shared when the hub answers.")]
    Unreachable {
        /// Where.
        address: String,
        /// What the network said.
        detail: String,
    },
    /// The secure connection failed (a certificate that is not the hub's, or no TLS on the server).
    #[error("The secure connection to the team hub at {address} failed ({detail}). Check the address; the hub must offer TLS with a certificate for that name.")]
    Tls {
        /// Where.
        address: String,
        /// What TLS said.
        detail: String,
    },
    /// The hub was set up by a newer Frontline.
    #[error("This team hub was set up by a newer Frontline (hub schema {found}; this desktop knows {supported}). Update Frontline on this desktop; nothing here is lost meanwhile.")]
    NewerHub {
        /// The hub's schema version.
        found: i64,
        /// The newest this build knows.
        supported: i64,
    },
    /// The database has no Frontline hub in it.
    #[error("{address} is not a Frontline team hub yet (no hub schema). A team lead sets it up with `frontline-hub init`.")]
    NotSetUp {
        /// Where.
        address: String,
    },
    /// The login is not a member of the team.
    #[error("\"{user}\" is not a member of this team hub. Ask a team lead to add them.")]
    NotMember {
        /// The login.
        user: String,
    },
    /// The saved address cannot be read.
    #[error("{0}")]
    Address(String),
    /// The hub refused an event (not the author, not a lead).
    #[error("The team hub refused it: {0}")]
    Refused(String),
    /// An event on the hub cannot be read.
    #[error("An event on the team hub cannot be read ({0}); it is skipped and the hub's administrator should look at it.")]
    Malformed(String),
    /// Anything else the database said.
    #[error("The team hub failed: {0}")]
    Database(String),
}

impl HubError {
    /// Whether trying again later may help (the hub is away), as opposed to something a
    /// person must fix.
    pub fn is_transient(&self) -> bool {
        matches!(self, HubError::Unreachable { .. } | HubError::Database(_))
    }
}

pub(crate) fn classify(e: &tokio_postgres::Error, config: &HubConfig) -> HubError {
    if let Some(db) = e.as_db_error() {
        let code = db.code();
        return if *code == SqlState::INVALID_PASSWORD
            || *code == SqlState::INVALID_AUTHORIZATION_SPECIFICATION
        {
            HubError::WrongPassword {
                user: config.user.clone(),
            }
        } else if *code == SqlState::INSUFFICIENT_PRIVILEGE {
            HubError::Refused(db.message().to_owned())
        } else if *code == SqlState::UNDEFINED_TABLE || *code == SqlState::INVALID_SCHEMA_NAME {
            HubError::NotSetUp {
                address: config.address(),
            }
        } else if *code == SqlState::ADMIN_SHUTDOWN
            || *code == SqlState::CANNOT_CONNECT_NOW
            || *code == SqlState::CRASH_SHUTDOWN
        {
            HubError::Unreachable {
                address: config.address(),
                detail: db.message().to_owned(),
            }
        } else {
            HubError::Database(db.message().to_owned())
        };
    }
    let detail = frontline_core::error::error_chain(e);
    let lower = detail.to_ascii_lowercase();
    if lower.contains("certificate") || lower.contains("tls") || lower.contains("ssl") {
        HubError::Tls {
            address: config.address(),
            detail,
        }
    } else {
        HubError::Unreachable {
            address: config.address(),
            detail,
        }
    }
}

fn pool_error(e: deadpool_postgres::PoolError, config: &HubConfig) -> HubError {
    match e {
        deadpool_postgres::PoolError::Backend(e) => classify(&e, config),
        deadpool_postgres::PoolError::Timeout(_) => HubError::Unreachable {
            address: config.address(),
            detail: "no answer in time".to_owned(),
        },
        other => HubError::Database(other.to_string()),
    }
}

/// One event as the hub keeps it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HubEvent {
    /// Global id (UUIDv7, made by the desktop that recorded it).
    pub id: Uuid,
    /// The issue, or `None` for a team-wide event (the team profile).
    pub issue_id: Option<Uuid>,
    /// Who recorded it: their hub login.
    pub author: String,
    /// What kind of event (`status_changed`, `flagged_critical`, …).
    pub kind: String,
    /// The event's data (a JSON object).
    pub body: serde_json::Value,
    /// When it happened on the author's desktop.
    pub occurred_at: DateTime<Utc>,
}

/// An event read from the hub, with its place in the commit order.
#[derive(Debug, Clone, PartialEq)]
pub struct Ordered {
    /// The hub's order: pull from the highest seen.
    pub seq: i64,
    /// The event.
    pub event: HubEvent,
}

/// What a push did.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PushReport {
    /// Events now on the hub (new, or already there from an earlier push).
    pub accepted: Vec<Uuid>,
    /// Their places in the hub's order, in the same order as `accepted`.
    pub seqs: Vec<i64>,
    /// Events the hub refused, with its words.
    pub refused: Vec<(Uuid, String)>,
}

/// Who is signed in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Identity {
    /// The hub login.
    pub login: String,
    /// A member of the team leads.
    pub lead: bool,
}

/// A desktop's connection to the hub.
#[derive(Clone)]
pub struct Hub {
    pool: Pool,
    config: Arc<HubConfig>,
    pg: tokio_postgres::Config,
    me: Identity,
}

/// The hub's order of events already stored (this push's or an earlier one's), by id.
async fn seqs_of(
    tx: &deadpool_postgres::Transaction<'_>,
    ids: &[Uuid],
) -> Result<Vec<i64>, tokio_postgres::Error> {
    let rows = tx
        .query(
            "SELECT id, seq FROM frontline.events WHERE id = ANY($1)",
            &[&ids],
        )
        .await?;
    let by_id: std::collections::HashMap<Uuid, i64> =
        rows.iter().map(|r| (r.get(0), r.get(1))).collect();
    Ok(ids
        .iter()
        .map(|id| by_id.get(id).copied().unwrap_or(0))
        .collect())
}

type Messages = std::pin::Pin<
    Box<
        dyn futures_util::Stream<Item = Result<tokio_postgres::AsyncMessage, tokio_postgres::Error>>
            + Send,
    >,
>;

/// A connection's asynchronous messages (notifications, notices) as a stream; driving it also
/// drives the connection.
fn messages<S, T>(
    mut connection: tokio_postgres::Connection<S, T>,
) -> impl futures_util::Stream<Item = Result<tokio_postgres::AsyncMessage, tokio_postgres::Error>> + Send
where
    S: tokio::io::AsyncRead + tokio::io::AsyncWrite + Unpin + Send + 'static,
    T: tokio::io::AsyncRead + tokio::io::AsyncWrite + Unpin + Send + 'static,
{
    futures_util::stream::poll_fn(move |cx| connection.poll_message(cx))
}

fn tls() -> Result<tokio_postgres_rustls::MakeRustlsConnect, HubError> {
    use rustls_platform_verifier::BuilderVerifierExt;
    let provider = Arc::new(rustls::crypto::aws_lc_rs::default_provider());
    let config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| HubError::Database(e.to_string()))?
        .with_platform_verifier()
        .map_err(|e| HubError::Database(e.to_string()))?
        .with_no_client_auth();
    Ok(tokio_postgres_rustls::MakeRustlsConnect::new(config))
}

impl Hub {
    /// Connects, checks the hub's schema version and that the login is a team member.
    pub async fn connect(config: HubConfig) -> Result<Hub, HubError> {
        let mut pg = tokio_postgres::Config::new();
        pg.host(&config.host)
            .port(config.port)
            .user(&config.user)
            .password(config.password.as_bytes())
            .dbname(&config.database)
            .application_name("frontline")
            .connect_timeout(Duration::from_secs(10))
            .keepalives_idle(Duration::from_secs(30));
        let manager_config = ManagerConfig {
            recycling_method: RecyclingMethod::Fast,
        };
        let manager = if config.loopback() {
            pg.ssl_mode(tokio_postgres::config::SslMode::Disable);
            Manager::from_config(pg.clone(), tokio_postgres::NoTls, manager_config)
        } else {
            pg.ssl_mode(tokio_postgres::config::SslMode::Require);
            Manager::from_config(pg.clone(), tls()?, manager_config)
        };
        let pool = Pool::builder(manager)
            .max_size(4)
            .wait_timeout(Some(Duration::from_secs(15)))
            .runtime(deadpool_postgres::Runtime::Tokio1)
            .build()
            .map_err(|e| HubError::Database(e.to_string()))?;
        let mut hub = Hub {
            pool,
            config: Arc::new(config),
            pg,
            me: Identity {
                login: String::new(),
                lead: false,
            },
        };
        let client = hub.client().await?;
        schema::check(&client, &hub.config).await?;
        let me = hub.whoami().await?;
        tracing::info!(hub = %hub.config.address(), login = %me.login, lead = me.lead, "connected to the team hub");
        hub.me = me;
        Ok(hub)
    }

    /// Who the hub said this login is when it connected.
    pub fn identity(&self) -> &Identity {
        &self.me
    }

    /// Where the hub is, in words.
    pub fn address(&self) -> String {
        self.config.address()
    }

    async fn client(&self) -> Result<deadpool_postgres::Object, HubError> {
        self.pool
            .get()
            .await
            .map_err(|e| pool_error(e, &self.config))
    }

    fn db(&self, e: tokio_postgres::Error) -> HubError {
        classify(&e, &self.config)
    }

    /// Listens for the hub's "pull now" pokes on a connection of its own, until `stop` turns
    /// true. `poke` is notified for every push anyone commits, and once on every
    /// (re)connection: a poke sent while this desktop was away is lost, so connecting is
    /// itself a reason to pull. Reconnects with a growing pause (up to a minute) when the
    /// connection drops.
    pub async fn listen(
        &self,
        poke: Arc<tokio::sync::Notify>,
        mut stop: tokio::sync::watch::Receiver<bool>,
    ) {
        let mut pause = Duration::from_millis(500);
        while !*stop.borrow() {
            match self.listen_once(&poke, &mut stop).await {
                Ok(()) => return,
                Err(e) => {
                    tracing::info!(error = %e, wait_ms = pause.as_millis() as u64, "hub listener lost; reconnecting");
                }
            }
            tokio::select! {
                _ = tokio::time::sleep(pause) => {}
                _ = stop.changed() => return,
            }
            pause = (pause * 2).min(Duration::from_secs(60));
        }
    }

    async fn listen_once(
        &self,
        poke: &tokio::sync::Notify,
        stop: &mut tokio::sync::watch::Receiver<bool>,
    ) -> Result<(), HubError> {
        use futures_util::StreamExt;
        let (client, mut connection) = if self.config.loopback() {
            let (client, connection) = self
                .pg
                .connect(tokio_postgres::NoTls)
                .await
                .map_err(|e| self.db(e))?;
            (client, Box::pin(messages(connection)) as Messages)
        } else {
            let (client, connection) = self.pg.connect(tls()?).await.map_err(|e| self.db(e))?;
            (client, Box::pin(messages(connection)) as Messages)
        };
        let listening = client.batch_execute("LISTEN frontline_events");
        tokio::pin!(listening);
        // The LISTEN runs only while the connection's messages are driven.
        loop {
            tokio::select! {
                done = &mut listening => { done.map_err(|e| self.db(e))?; break; }
                m = connection.next() => match m {
                    Some(Ok(_)) => {}
                    Some(Err(e)) => return Err(self.db(e)),
                    None => return Err(HubError::Unreachable { address: self.config.address(), detail: "the connection closed".to_owned() }),
                },
            }
        }
        poke.notify_one();
        loop {
            tokio::select! {
                m = connection.next() => match m {
                    Some(Ok(tokio_postgres::AsyncMessage::Notification(_))) => poke.notify_one(),
                    Some(Ok(_)) => {}
                    Some(Err(e)) => return Err(self.db(e)),
                    None => return Err(HubError::Unreachable { address: self.config.address(), detail: "the connection closed".to_owned() }),
                },
                _ = stop.changed() => return Ok(()),
            }
        }
    }

    /// Takes a block of short numbers for this desktop: `(first, size)`.
    pub async fn take_number_block(&self) -> Result<(i64, i64), HubError> {
        let client = self.client().await?;
        let row = client
            .query_one("SELECT frontline.take_number_block()", &[])
            .await
            .map_err(|e| self.db(e))?;
        Ok((row.get(0), NUMBER_BLOCK))
    }

    /// The login signed in and whether it is a lead; refuses a login that is not a member.
    pub async fn whoami(&self) -> Result<Identity, HubError> {
        let client = self.client().await?;
        let row = client
            .query_one(
                "SELECT session_user::text,
                        pg_has_role(session_user, 'frontline_member', 'MEMBER'),
                        pg_has_role(session_user, 'frontline_lead', 'MEMBER')",
                &[],
            )
            .await
            .map_err(|e| self.db(e))?;
        let (login, member, lead): (String, bool, bool) = (row.get(0), row.get(1), row.get(2));
        if !member {
            return Err(HubError::NotMember { user: login });
        }
        Ok(Identity { login, lead })
    }

    /// Pushes events in one transaction; a refused one does not stop the others. Pushing an
    /// event that is already on the hub does nothing: the id decides.
    ///
    /// The whole batch goes as one statement (the commit-order lock is held for one round
    /// trip); only when the hub refuses something is the batch sent again event by event, each
    /// in a savepoint, to say which.
    pub async fn push(&self, events: &[HubEvent]) -> Result<PushReport, HubError> {
        if events.is_empty() {
            return Ok(PushReport::default());
        }
        let mut client = self.client().await?;
        let tx = client.transaction().await.map_err(|e| self.db(e))?;
        let ids: Vec<Uuid> = events.iter().map(|e| e.id).collect();
        let issues: Vec<Option<Uuid>> = events.iter().map(|e| e.issue_id).collect();
        let authors: Vec<&str> = events.iter().map(|e| e.author.as_str()).collect();
        let kinds: Vec<&str> = events.iter().map(|e| e.kind.as_str()).collect();
        let bodies: Vec<&serde_json::Value> = events.iter().map(|e| &e.body).collect();
        let times: Vec<DateTime<Utc>> = events.iter().map(|e| e.occurred_at).collect();
        let all = tx
            .execute(
                "INSERT INTO frontline.events (id, issue_id, author, kind, body, occurred_at)
                 SELECT id, issue_id, author::name, kind, body, occurred_at
                 FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::text[], $5::jsonb[], $6::timestamptz[])
                      WITH ORDINALITY AS e (id, issue_id, author, kind, body, occurred_at, n)
                 ORDER BY n
                 ON CONFLICT (id) DO NOTHING",
                &[&ids, &issues, &authors, &kinds, &bodies, &times],
            )
            .await;
        match all {
            Ok(_) => {
                let seqs = seqs_of(&tx, &ids).await.map_err(|e| self.db(e))?;
                tx.commit().await.map_err(|e| self.db(e))?;
                return Ok(PushReport {
                    accepted: ids,
                    seqs,
                    refused: Vec::new(),
                });
            }
            Err(e) => match self.db(e) {
                HubError::Refused(_) => tx.rollback().await.map_err(|e| self.db(e))?,
                other => return Err(other),
            },
        }
        self.push_one_by_one(&mut client, events).await
    }

    async fn push_one_by_one(
        &self,
        client: &mut deadpool_postgres::Object,
        events: &[HubEvent],
    ) -> Result<PushReport, HubError> {
        let mut tx = client.transaction().await.map_err(|e| self.db(e))?;
        let insert = tx
            .prepare(
                "INSERT INTO frontline.events (id, issue_id, author, kind, body, occurred_at)
                 VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (id) DO NOTHING",
            )
            .await
            .map_err(|e| self.db(e))?;
        let mut report = PushReport::default();
        for event in events {
            let savepoint = tx.savepoint("event").await.map_err(|e| self.db(e))?;
            let inserted = savepoint
                .execute(
                    &insert,
                    &[
                        &event.id,
                        &event.issue_id,
                        &event.author,
                        &event.kind,
                        &event.body,
                        &event.occurred_at,
                    ],
                )
                .await;
            match inserted {
                Ok(_) => {
                    savepoint.commit().await.map_err(|e| self.db(e))?;
                    report.accepted.push(event.id);
                }
                Err(e) => match self.db(e) {
                    HubError::Refused(words) => {
                        savepoint.rollback().await.map_err(|e| self.db(e))?;
                        report.refused.push((event.id, words));
                    }
                    other => return Err(other),
                },
            }
        }
        report.seqs = seqs_of(&tx, &report.accepted)
            .await
            .map_err(|e| self.db(e))?;
        tx.commit().await.map_err(|e| self.db(e))?;
        Ok(report)
    }

    /// Gives the hub a file's content (before the event that names it), once: a file the
    /// hub already holds is left as it is. The hub checks that `sha256` is the content's.
    pub async fn put_file(&self, sha256: &str, bytes: &[u8]) -> Result<(), HubError> {
        let client = self.client().await?;
        client
            .execute(
                "INSERT INTO frontline.files (sha256, bytes) VALUES ($1, $2) ON CONFLICT (sha256) DO NOTHING",
                &[&sha256, &bytes],
            )
            .await
            .map_err(|e| self.db(e))?;
        Ok(())
    }

    /// The content of the files the hub holds among `sha256s` (the others are not there yet).
    pub async fn files(&self, sha256s: &[String]) -> Result<Vec<(String, Vec<u8>)>, HubError> {
        if sha256s.is_empty() {
            return Ok(Vec::new());
        }
        let client = self.client().await?;
        let rows = client
            .query(
                "SELECT sha256, bytes FROM frontline.files WHERE sha256 = ANY($1)",
                &[&sha256s],
            )
            .await
            .map_err(|e| self.db(e))?;
        Ok(rows.iter().map(|r| (r.get(0), r.get(1))).collect())
    }

    /// Up to `limit` events after `cursor` in the hub's commit order. An event whose row
    /// cannot be read comes back as an error in its place, so the caller can skip it and go
    /// on.
    pub async fn pull(
        &self,
        cursor: i64,
        limit: i64,
    ) -> Result<Vec<(i64, Result<HubEvent, HubError>)>, HubError> {
        let client = self.client().await?;
        let rows = client
            .query(
                "SELECT seq, id, issue_id, author::text, kind, body, occurred_at
                 FROM frontline.events WHERE seq > $1 ORDER BY seq LIMIT $2",
                &[&cursor, &limit],
            )
            .await
            .map_err(|e| self.db(e))?;
        Ok(rows
            .iter()
            .map(|row| {
                let seq: i64 = row.get(0);
                let event = (|| {
                    Ok::<_, tokio_postgres::Error>(HubEvent {
                        id: row.try_get(1)?,
                        issue_id: row.try_get(2)?,
                        author: row.try_get(3)?,
                        kind: row.try_get(4)?,
                        body: row.try_get(5)?,
                        occurred_at: row.try_get(6)?,
                    })
                })()
                .map_err(|e| HubError::Malformed(format!("event #{seq}: {e}")));
                (seq, event)
            })
            .collect())
    }
}
