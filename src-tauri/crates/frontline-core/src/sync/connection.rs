//! The vendor connection the user sets up: which helpdesk (Zendesk or Freshdesk), where, who,
//! which API, or the sandbox — and the one place that turns those settings into an adapter.
//! The API token or key never goes in SQLite: it lives in the OS keyring, or in memory for this
//! session when no keyring is reachable (the app says so).
use std::sync::{Arc, Mutex};

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::freshdesk::{Freshdesk, FreshdeskConfig};
use super::http::Transport;
use super::vendor::{VendorApi, VendorError};
use super::zendesk::{Mode, Zendesk, ZendeskConfig};
use crate::error::{Error, Result};
use crate::validate::{self, NAME_MAX};
use crate::Frontline;

/// Which helpdesk the vendor runs.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum VendorKind {
    /// Zendesk.
    #[default]
    Zendesk,
    /// Freshdesk.
    Freshdesk,
}

impl VendorKind {
    /// Its name, for people.
    pub fn label(self) -> &'static str {
        match self {
            VendorKind::Zendesk => "Zendesk",
            VendorKind::Freshdesk => "Freshdesk",
        }
    }

    /// What its credential is called.
    pub fn secret_name(self) -> &'static str {
        match self {
            VendorKind::Zendesk => "API token",
            VendorKind::Freshdesk => "API key",
        }
    }
}

/// The connection settings (no secret in here).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct VendorSettings {
    /// Use the built-in practice helpdesk instead of a real vendor.
    pub sandbox: bool,
    /// Which helpdesk the vendor runs (the sandbox speaks it too).
    #[serde(default)]
    pub vendor: VendorKind,
    /// Zendesk: the subdomain (`acme` for acme.zendesk.com); Freshdesk: the domain (`acme` or
    /// acme.freshdesk.com); or a full https:// address.
    pub address: String,
    /// Zendesk: the e-mail of the user the token belongs to. Freshdesk: the requester e-mail
    /// the team's tickets come from.
    pub email: String,
    /// Zendesk: end user (Requests API) or agent (Tickets API). Freshdesk has one API.
    pub mode: Mode,
    /// Freshdesk: a custom text field the vendor's admin made for our issue id
    /// (`cf_frontline_id`); empty when there is none (the ticket body names the issue anyway).
    #[serde(default)]
    pub id_field: String,
}

impl Default for VendorSettings {
    fn default() -> Self {
        VendorSettings {
            sandbox: false,
            vendor: VendorKind::Zendesk,
            address: String::new(),
            email: String::new(),
            mode: Mode::EndUser,
            id_field: String::new(),
        }
    }
}

impl VendorSettings {
    /// The base URL: a Zendesk subdomain becomes `https://{subdomain}.zendesk.com`, a Freshdesk
    /// domain `https://{domain}.freshdesk.com`.
    pub fn base_url(&self) -> String {
        let a = self.address.trim();
        if a.contains("://") {
            return a.trim_end_matches('/').to_owned();
        }
        match self.vendor {
            VendorKind::Zendesk => ZendeskConfig::subdomain_url(a.trim_end_matches(".zendesk.com")),
            VendorKind::Freshdesk => FreshdeskConfig::domain_url(a),
        }
    }
}

impl VendorSettings {
    /// The most a vendor ticket takes in files, all of them together, if the helpdesk has such
    /// a limit (Freshdesk: 20 MB a ticket).
    pub fn ticket_files_limit(&self) -> Option<u64> {
        match self.vendor {
            VendorKind::Zendesk => None,
            VendorKind::Freshdesk => Some(super::freshdesk::TICKET_FILES_LIMIT),
        }
    }
}

/// The adapter for a connection: `secret` is the Zendesk API token or the Freshdesk API key,
/// `base_url` the vendor's (or the sandbox's) address.
pub fn vendor_api(
    settings: &VendorSettings,
    base_url: String,
    secret: String,
    transport: Arc<dyn Transport>,
) -> std::result::Result<Arc<dyn VendorApi>, VendorError> {
    Ok(match settings.vendor {
        VendorKind::Zendesk => Arc::new(Zendesk::new(
            &ZendeskConfig {
                base_url,
                email: settings.email.clone(),
                token: secret,
                mode: settings.mode,
            },
            transport,
        )?),
        VendorKind::Freshdesk => Arc::new(Freshdesk::new(
            &FreshdeskConfig {
                base_url,
                api_key: secret,
                requester_email: settings.email.clone(),
                id_field: Some(settings.id_field.clone()).filter(|f| !f.trim().is_empty()),
            },
            transport,
        )?),
    })
}

/// What a failed connection test means, in words a person can act on.
pub fn explain_check_failure(vendor: VendorKind, address: &str, e: &VendorError) -> String {
    let name = vendor.label();
    let secret = vendor.secret_name();
    match e {
        VendorError::Status { status: 401, message, .. } => format!(
            "{name} did not accept the {secret} ({message}). Copy it again from your {name} profile and save."
        ),
        VendorError::Status { status: 403, message, .. } => format!(
            "The {secret} works, but this {name} account does not allow API access ({message}): the vendor's plan or your role there must allow it."
        ),
        VendorError::Status { status: 404, .. } => format!(
            "{address} answers, but not as a {name} help desk: check the {}.",
            match vendor {
                VendorKind::Zendesk => "subdomain",
                VendorKind::Freshdesk => "domain",
            }
        ),
        VendorError::Transport(super::http::TransportError::Unreachable(why)) => format!(
            "No {name} answers at {address} ({why}): check the address, or the network."
        ),
        other => other.to_string(),
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
        let (address_field, address_hint, email_field, email_hint) = match s.vendor {
            VendorKind::Zendesk => (
                "Zendesk address",
                "your vendor's Zendesk subdomain (acme for acme.zendesk.com) or its https:// address",
                "E-mail",
                "the e-mail of the Zendesk user the API token belongs to",
            ),
            VendorKind::Freshdesk => (
                "Freshdesk domain",
                "your vendor's Freshdesk domain (acme or acme.freshdesk.com) or its https:// address",
                "Requester e-mail",
                "the e-mail your team's tickets come from, a contact in the vendor's Freshdesk",
            ),
        };
        let address = validate::optional(address_field, &s.address, NAME_MAX)?;
        let email = validate::optional(email_field, &s.email, NAME_MAX)?;
        let id_field = validate::optional("Custom field", &s.id_field, NAME_MAX)?;
        let api_name = id_field.starts_with("cf_")
            && id_field
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
        if !id_field.is_empty() && !api_name {
            return Err(Error::invalid(
                "Custom field",
                "is the field's API name, such as cf_frontline_id (lower case, starting with cf_), or empty.",
            ));
        }
        if !s.sandbox {
            if address.is_empty() {
                return Err(Error::invalid(
                    address_field,
                    format!("is required: {address_hint}."),
                ));
            }
            if address.starts_with("http://") {
                return Err(Error::invalid(
                    address_field,
                    "must use https://. Plain http would send your key unencrypted.",
                ));
            }
            if !email.contains('@') {
                return Err(Error::invalid(
                    email_field,
                    format!("is required: {email_hint}."),
                ));
            }
        }
        let s = VendorSettings {
            address,
            email,
            id_field,
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
