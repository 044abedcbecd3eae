//! The team hub connection the user sets up: where the hub is and who signs in. The password
//! never goes in SQLite (the app keeps it in the OS keyring, like the vendor token). Once a hub
//! is set up, its login is the name on every change this desktop records, and the hub's word on
//! the role (cached from the last connection, for offline work) replaces the local team file's.
use rusqlite::OptionalExtension;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::db::Db;
use crate::error::{Error, Result};
use crate::ladder::Role;
use crate::validate::{self, NAME_MAX};
use crate::Frontline;

const SETTINGS_KEY: &str = "team_hub_settings";
const IDENTITY_KEY: &str = "team_hub_identity";
/// The port PostgreSQL listens on unless the address names another.
pub const DEFAULT_PORT: u16 = 5432;
/// The database of a hub unless the address names another.
pub const DEFAULT_DATABASE: &str = "frontline";

/// Where the hub is and who signs in (no secret in here).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct HubSettings {
    /// `host`, `host:port` or `host:port/database` (PostgreSQL's port 5432 and the database
    /// `frontline` unless said).
    pub address: String,
    /// The person's hub login.
    pub user: String,
}

/// A hub address, read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HubAddress {
    /// Host name or IP address.
    pub host: String,
    /// Port.
    pub port: u16,
    /// Database.
    pub database: String,
}

impl HubAddress {
    /// Reads `host[:port][/database]` (an IPv6 address in brackets: `[::1]:5432`).
    pub fn parse(text: &str) -> Result<HubAddress> {
        let bad = |why: &str| Error::invalid("Hub address", why.to_owned());
        let text = text.trim();
        let text = text.strip_prefix("postgres://").unwrap_or(text);
        let text = text.strip_prefix("postgresql://").unwrap_or(text);
        if text.is_empty() {
            return Err(bad("is required: the host name of your team's hub, e.g. hub.partner.example or hub.partner.example:5432."));
        }
        if text.contains('@') || text.contains('?') || text.chars().any(char::is_whitespace) {
            return Err(bad("should be only a host, an optional :port and an optional /database (the user name and password have their own fields)."));
        }
        let (host_port, database) = match text.split_once('/') {
            Some((h, d)) if !d.is_empty() => (h, d.trim_end_matches('/')),
            Some((h, _)) => (h, DEFAULT_DATABASE),
            None => (text, DEFAULT_DATABASE),
        };
        let (host, port) = if let Some(rest) = host_port.strip_prefix('[') {
            let (h, after) = rest
                .split_once(']')
                .ok_or_else(|| bad("has an opening [ without a closing ]."))?;
            (h, after.strip_prefix(':'))
        } else {
            match host_port.rsplit_once(':') {
                Some((h, p)) => (h, Some(p)),
                None => (host_port, None),
            }
        };
        if host.is_empty() {
            return Err(bad("has no host name before the port."));
        }
        let port = match port {
            Some(p) => p.parse::<u16>().ok().filter(|p| *p > 0).ok_or_else(|| {
                bad(&format!(
                    "has \"{p}\" as its port; a port is a number from 1 to 65535."
                ))
            })?,
            None => DEFAULT_PORT,
        };
        Ok(HubAddress {
            host: host.to_owned(),
            port,
            database: database.to_owned(),
        })
    }
}

/// Who the hub says this person is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct HubIdentity {
    /// The login.
    pub login: String,
    /// A member of the hub's lead role.
    pub lead: bool,
}

/// What the Team hub page shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct HubConnection {
    /// The settings (`None`: no hub; this desktop works on its own).
    pub settings: Option<HubSettings>,
    /// Whether a password is available for the login.
    pub password_saved: bool,
    /// Where the password is kept, in words.
    pub password_place: String,
    /// Who the hub said this person is at the last connection.
    pub identity: Option<HubIdentity>,
}

/// The hub worker's state, as the sidebar shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct HubStatus {
    /// Whether a hub is set up.
    pub configured: bool,
    /// `None` until the first attempt; then whether the hub answered.
    pub online: Option<bool>,
    /// This desktop's events not yet on the hub.
    #[ts(type = "number")]
    pub waiting: i64,
    /// This desktop's events the hub refused (on their issues, with the hub's words).
    #[ts(type = "number")]
    pub refused: i64,
    /// When this desktop last exchanged events with the hub.
    pub last_synced: Option<String>,
    /// The last failure, in words (kept until the hub answers again).
    pub last_error: Option<String>,
    /// A catch-up in progress: teammates' events applied so far.
    #[ts(type = "number | null")]
    pub catching_up: Option<i64>,
}

impl HubStatus {
    /// The state before the worker has tried anything.
    pub fn idle(configured: bool, waiting: i64, refused: i64) -> Self {
        HubStatus {
            configured,
            online: None,
            waiting,
            refused,
            last_synced: None,
            last_error: None,
            catching_up: None,
        }
    }
}

/// Who is signed in on this desktop.
#[derive(Debug, Clone)]
pub(crate) struct Who {
    pub(crate) user: String,
    pub(crate) hub_lead: Option<bool>,
}

fn fact(db: &Db, key: &str) -> Result<Option<String>> {
    db.read(|conn| {
        Ok(conn
            .query_row("SELECT value FROM sync_state WHERE key = ?1", [key], |r| {
                r.get(0)
            })
            .optional()?)
    })
}

fn decode<T: serde::de::DeserializeOwned>(what: &str, json: Option<String>) -> Result<Option<T>> {
    json.map(|j| serde_json::from_str(&j).map_err(|e| Error::Decode(format!("{what}: {e}"))))
        .transpose()
}

impl Who {
    /// The OS user, unless a hub is set up: then its login, and its role from the last
    /// connection.
    pub(crate) fn stored(db: &Db, os_user: &str) -> Result<Who> {
        let settings: Option<HubSettings> =
            decode("the saved team hub settings", fact(db, SETTINGS_KEY)?)?;
        let identity: Option<HubIdentity> =
            decode("the saved team hub identity", fact(db, IDENTITY_KEY)?)?;
        Ok(match settings {
            Some(s) => Who {
                hub_lead: identity.filter(|i| i.login == s.user).map(|i| i.lead),
                user: s.user,
            },
            None => Who {
                user: os_user.to_owned(),
                hub_lead: None,
            },
        })
    }
}

impl Frontline {
    /// The name recorded on every change: the hub login when a hub is set up, else the OS
    /// user's.
    pub fn user(&self) -> String {
        self.who
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .user
            .clone()
    }

    /// Agent or lead: as the team hub said at the last connection, or, with no hub, as the
    /// team profile says.
    pub fn role(&self) -> Role {
        let who = self.who.read().unwrap_or_else(|e| e.into_inner()).clone();
        match who.hub_lead {
            Some(true) => Role::Lead,
            Some(false) => Role::Agent,
            None => self.team_profile().role_of(&who.user),
        }
    }

    /// The team profile in use (leads, ladder choice, calendar, SLA targets, outage rule).
    pub(crate) fn team_profile(&self) -> std::sync::RwLockReadGuard<'_, crate::ladder::Team> {
        self.team.read().unwrap_or_else(|e| e.into_inner())
    }

    /// The saved hub settings (`None`: no hub).
    pub fn hub_settings(&self) -> Result<Option<HubSettings>> {
        decode("the saved team hub settings", self.sync_fact(SETTINGS_KEY)?)
    }

    /// Who the hub said this person is at the last connection.
    pub fn hub_identity(&self) -> Result<Option<HubIdentity>> {
        let identity: Option<HubIdentity> =
            decode("the saved team hub identity", self.sync_fact(IDENTITY_KEY)?)?;
        let settings = self.hub_settings()?;
        Ok(identity.filter(|i| settings.is_some_and(|s| s.user == i.login)))
    }

    /// Checks and saves the hub settings; an empty address turns the hub off (this desktop
    /// goes on alone, under the OS user's name, and keeps everything it has).
    pub fn save_hub_settings(&self, s: HubSettings) -> Result<Option<HubSettings>> {
        if s.address.trim().is_empty() {
            self.db.write(|tx| {
                tx.execute(
                    "DELETE FROM sync_state WHERE key IN (?1, ?2)",
                    [SETTINGS_KEY, IDENTITY_KEY],
                )?;
                Ok(())
            })?;
            *self.who.write().unwrap_or_else(|e| e.into_inner()) = Who {
                user: self.settings.user.clone(),
                hub_lead: None,
            };
            tracing::info!("team hub turned off; this desktop works on its own");
            return Ok(None);
        }
        let address = validate::optional("Hub address", &s.address, NAME_MAX)?;
        HubAddress::parse(&address)?;
        let user = validate::optional("Hub user name", &s.user, NAME_MAX)?;
        if user.is_empty() {
            return Err(Error::invalid(
                "Hub user name",
                "is required: the login a team lead created for you on the hub.",
            ));
        }
        let saved = HubSettings { address, user };
        let json = serde_json::to_string(&saved).map_err(|e| Error::Decode(e.to_string()))?;
        self.set_sync_fact(SETTINGS_KEY, &json)?;
        let mut who = self.who.write().unwrap_or_else(|e| e.into_inner());
        if who.user != saved.user {
            who.hub_lead = None;
        }
        who.user = saved.user.clone();
        tracing::info!(address = %saved.address, user = %saved.user, "team hub settings saved");
        Ok(Some(saved))
    }

    /// What the hub said about the person signed in; kept for offline work.
    pub fn set_hub_identity(&self, identity: &HubIdentity) -> Result<()> {
        let json = serde_json::to_string(identity).map_err(|e| Error::Decode(e.to_string()))?;
        self.set_sync_fact(IDENTITY_KEY, &json)?;
        let mut who = self.who.write().unwrap_or_else(|e| e.into_inner());
        if who.user == identity.login {
            who.hub_lead = Some(identity.lead);
        }
        Ok(())
    }

    /// This desktop's events waiting for the hub, and those it refused.
    pub fn team_counts(&self) -> Result<(i64, i64)> {
        self.db.read(|conn| {
            Ok(conn.query_row(
                "SELECT (SELECT count(*) FROM team_outbox WHERE state = 'pending'),
                        (SELECT count(*) FROM team_outbox WHERE state = 'refused'
                             AND global_id NOT IN (SELECT global_id FROM team_discarded))",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )?)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hub_addresses_are_read_with_postgres_defaults() {
        let a = HubAddress::parse("hub.partner.example").unwrap();
        assert_eq!(
            (a.host.as_str(), a.port, a.database.as_str()),
            ("hub.partner.example", 5432, "frontline")
        );
        let a = HubAddress::parse("10.0.0.5:6543/team").unwrap();
        assert_eq!(
            (a.host.as_str(), a.port, a.database.as_str()),
            ("10.0.0.5", 6543, "team")
        );
        let a = HubAddress::parse("[::1]:5433").unwrap();
        assert_eq!((a.host.as_str(), a.port), ("::1", 5433));
        for bad in ["", "hub:port", "ana:secret@hub", ":5432", "hub:0", "[::1"] {
            let e = HubAddress::parse(bad).unwrap_err().to_string();
            assert!(e.contains("Hub address"), "{bad:?}: {e}");
        }
    }
}
