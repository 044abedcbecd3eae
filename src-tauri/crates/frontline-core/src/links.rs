//! Links leave the app only through the system browser or mail client, and only for the
//! schemes on this allowlist.
use crate::error::{Error, Result};

/// Schemes Frontline hands to the system.
pub const ALLOWED_SCHEMES: [&str; 2] = ["https", "mailto"];

/// Returns the normalised link if it may be opened outside the app.
pub fn check_external(link: &str) -> Result<String> {
    let refuse = || Error::UnsafeLink {
        url: crate::validate::excerpt(link, 80),
    };
    let parsed = url::Url::parse(link.trim()).map_err(|_| refuse())?;
    if !ALLOWED_SCHEMES.contains(&parsed.scheme()) {
        return Err(refuse());
    }
    if parsed.scheme() == "https" && parsed.host_str().is_none_or(str::is_empty) {
        return Err(refuse());
    }
    Ok(parsed.into())
}

/// Whether the app window may navigate to `link`: only its own pages (Tauri's app origin).
/// Everything else goes through [`check_external`] to the system browser, never into the window.
/// A development build (`tauri dev`) also loads its pages from a server on loopback.
pub fn is_app_page(link: &url::Url, development: bool) -> bool {
    match link.scheme() {
        "tauri" => link.host_str() == Some("localhost"),
        "http" | "https" if link.host_str() == Some("tauri.localhost") => true,
        "http" => {
            development && matches!(link.host_str(), Some("127.0.0.1" | "localhost" | "[::1]"))
        }
        _ => false,
    }
}
