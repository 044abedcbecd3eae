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
    service: &'static str,
    session: Mutex<Option<(String, String)>>,
    place: Mutex<String>,
}

impl Default for Secrets {
    fn default() -> Self {
        Secrets::for_service(SERVICE, "No token saved yet.")
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

/// How long a keyring may take to answer before we carry on without it (a desktop without a
/// Secret Service can leave D-Bus calls hanging).
const KEYRING_PATIENCE: std::time::Duration = std::time::Duration::from_secs(3);

/// Runs a keyring call on its own thread, giving up after [`KEYRING_PATIENCE`].
fn keyring_call<T: Send + 'static>(
    f: impl FnOnce() -> keyring::Result<T> + Send + 'static,
) -> std::result::Result<T, String> {
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let _ = tx.send(f());
    });
    match rx.recv_timeout(KEYRING_PATIENCE) {
        Ok(Ok(v)) => Ok(v),
        Ok(Err(keyring::Error::NoDefaultStore)) => Err(
            "no Secret Service (such as GNOME Keyring or KWallet) is running on this desktop"
                .to_owned(),
        ),
        Ok(Err(e)) => Err(e.to_string()),
        Err(_) => Err(format!(
            "the system keyring did not answer within {} s",
            KEYRING_PATIENCE.as_secs()
        )),
    }
}

impl Secrets {
    /// Secrets kept under the keyring service `service` (the vendor token, the team hub's
    /// password); `nothing_yet` is what the settings page says before one is saved.
    pub fn for_service(service: &'static str, nothing_yet: &str) -> Self {
        Secrets {
            service,
            session: Mutex::new(None),
            place: Mutex::new(nothing_yet.to_owned()),
        }
    }

    /// Keeps `token` for `account` (the e-mail + address): in the OS keyring when one answers,
    /// else in memory until the app closes.
    pub fn save(&self, account: &str, token: &str) {
        let (a, t, service) = (account.to_owned(), token.to_owned(), self.service);
        let stored = keyring_call(move || keyring::Entry::new(service, &a)?.set_password(&t));
        *lock(&self.session) = Some((account.to_owned(), token.to_owned()));
        *lock(&self.place) = match stored {
            Ok(()) => "Kept in the system keyring.".to_owned(),
            Err(e) => {
                tracing::warn!(error = %e, service = self.service, "no keyring: the secret is kept for this session only");
                format!(
                    "No system keyring is reachable ({e}), so it is kept in memory for this session only; you will be asked again next time."
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
        let (a, service) = (account.to_owned(), self.service);
        match keyring_call(move || keyring::Entry::new(service, &a)?.get_password()) {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_token_is_kept_for_the_session_even_without_a_keyring() {
        let secrets = Secrets::default();
        let started = std::time::Instant::now();
        secrets.save("desk@partner.example @ https://acme.zendesk.com", "t0ken");
        assert!(started.elapsed() < KEYRING_PATIENCE + std::time::Duration::from_secs(1));
        assert_eq!(
            secrets
                .load("desk@partner.example @ https://acme.zendesk.com")
                .as_deref(),
            Some("t0ken")
        );
        assert_eq!(
            secrets.load("someone@else @ https://acme.zendesk.com"),
            None
        );
        let place = secrets.place();
        assert!(
            place.contains("keyring"),
            "the settings page says where the token is: {place}"
        );
    }

    #[test]
    fn a_subdomain_becomes_an_https_address() {
        let s = |address: &str| VendorSettings {
            address: address.into(),
            ..VendorSettings::default()
        };
        assert_eq!(s("acme").base_url(), "https://acme.zendesk.com");
        assert_eq!(s("acme.zendesk.com").base_url(), "https://acme.zendesk.com");
        assert_eq!(
            s("https://support.acme.com/").base_url(),
            "https://support.acme.com"
        );
    }
}
