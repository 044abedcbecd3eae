//! The vendor connection the user sets up: where, who, which API, or the sandbox. The API
//! token never goes in SQLite: it lives in the OS keyring, or in memory for this session when
//! no keyring is reachable (the app says so).
use std::sync::Mutex;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::zendesk::{Mode, ZendeskConfig};
use crate::error::{Error, Result};
use crate::validate::{self, NAME_MAX};
use crate::Frontline;

/// The connection settings (no secret in here).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct VendorSettings {
    /// Use the built-in practice helpdesk instead of a real vendor.
    pub sandbox: bool,
    /// The Zendesk subdomain (`acme` for acme.zendesk.com) or a full https:// address.
    pub address: String,
    /// The e-mail of the Zendesk user the token belongs to.
    pub email: String,
    /// End user (Requests API) or agent (Tickets API).
    pub mode: Mode,
}

impl Default for VendorSettings {
    fn default() -> Self {
        VendorSettings {
            sandbox: false,
            address: String::new(),
            email: String::new(),
            mode: Mode::EndUser,
        }
    }
}

impl VendorSettings {
    /// The base URL: a subdomain becomes `https://{subdomain}.zendesk.com`.
    pub fn base_url(&self) -> String {
        let a = self.address.trim();
        if a.contains("://") {
            a.trim_end_matches('/').to_owned()
        } else {
            ZendeskConfig::subdomain_url(a.trim_end_matches(".zendesk.com"))
        }
    }
}

/// What the settings page shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct VendorConnection {
    /// The settings.
    pub settings: VendorSettings,
    /// Whether a token is available.
    pub token_saved: bool,
    /// Where the token is kept, in words.
    pub token_place: String,
}

const SETTINGS_KEY: &str = "vendor_settings";
const SERVICE: &str = "frontline-vendor-token";

/// Where tokens are kept.
pub struct Secrets {
    session: Mutex<Option<(String, String)>>,
    place: Mutex<String>,
}

impl Default for Secrets {
    fn default() -> Self {
        Secrets {
            session: Mutex::new(None),
            place: Mutex::new("No token saved yet.".to_owned()),
        }
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

impl Secrets {
    /// Keeps `token` for `account` (the e-mail + address): in the OS keyring when one answers,
    /// else in memory until the app closes.
    pub fn save(&self, account: &str, token: &str) {
        let stored = keyring::Entry::new(SERVICE, account).and_then(|e| e.set_password(token));
        *lock(&self.session) = Some((account.to_owned(), token.to_owned()));
        *lock(&self.place) = match stored {
            Ok(()) => "Kept in the system keyring.".to_owned(),
            Err(e) => {
                tracing::warn!(error = %e, "no keyring: the vendor token is kept for this session only");
                format!(
                    "No system keyring is reachable ({e}), so the token is kept in memory for this session only; you will be asked again next time."
                )
            }
        };
    }

    /// The token for `account`, if any.
    pub fn load(&self, account: &str) -> Option<String> {
        if let Some((a, t)) = lock(&self.session).as_ref() {
            if a == account {
                return Some(t.clone());
            }
        }
        match keyring::Entry::new(SERVICE, account).and_then(|e| e.get_password()) {
            Ok(t) => {
                *lock(&self.place) = "Kept in the system keyring.".to_owned();
                *lock(&self.session) = Some((account.to_owned(), t.clone()));
                Some(t)
            }
            Err(_) => None,
        }
    }

    /// Where the token is, in words.
    pub fn place(&self) -> String {
        lock(&self.place).clone()
    }
}

/// The keyring account name of a connection.
pub fn account(settings: &VendorSettings) -> String {
    format!("{} @ {}", settings.email.trim(), settings.base_url())
}

impl Frontline {
    /// The saved connection settings (defaults when none).
    pub fn vendor_settings(&self) -> Result<VendorSettings> {
        match self.sync_fact(SETTINGS_KEY)? {
            Some(json) => serde_json::from_str(&json)
                .map_err(|e| Error::Decode(format!("the saved vendor settings: {e}"))),
            None => Ok(VendorSettings::default()),
        }
    }

    /// Checks and saves the connection settings.
    pub fn save_vendor_settings(&self, s: VendorSettings) -> Result<VendorSettings> {
        let address = validate::optional("Zendesk address", &s.address, NAME_MAX)?;
        let email = validate::optional("E-mail", &s.email, NAME_MAX)?;
        if !s.sandbox {
            if address.is_empty() {
                return Err(Error::invalid(
                    "Zendesk address",
                    "is required: your vendor's Zendesk subdomain (acme for acme.zendesk.com) or its https:// address.",
                ));
            }
            if address.starts_with("http://") {
                return Err(Error::invalid(
                    "Zendesk address",
                    "must use https://. Plain http would send your token unencrypted.",
                ));
            }
            if !email.contains('@') {
                return Err(Error::invalid(
                    "E-mail",
                    "is required: the e-mail of the Zendesk user the API token belongs to.",
                ));
            }
        }
        let s = VendorSettings {
            address,
            email,
            ..s
        };
        let json = serde_json::to_string(&s).map_err(|e| Error::Decode(e.to_string()))?;
        self.set_sync_fact(SETTINGS_KEY, &json)?;
        Ok(s)
    }
}
