//! The sandbox helpdesk: the vendor simulator run inside the app, so a team can learn the
//! escalation flow (tickets, replies, the ladder) without a real vendor. Built with the
//! `sandbox` cargo feature (on by default: `make run` and the tests use it); a build without it
//! says so when sandbox mode is chosen.
use std::path::Path;

/// A running sandbox helpdesk; stop it with [`Sandbox::stop`].
#[cfg(feature = "sandbox")]
pub struct Sandbox(frontline_vendor_sim::Running);

#[cfg(feature = "sandbox")]
impl Sandbox {
    /// Starts the helpdesk on a free loopback port, its data beside the cache, answering
    /// `token`; a few help-centre articles are there from the start.
    pub async fn start(
        data_dir: &Path,
        token: &str,
        vendor: frontline_core::sync::connection::VendorKind,
    ) -> Result<Sandbox, String> {
        let mut config = frontline_vendor_sim::Config::new(data_dir.join("sandbox-vendor.sqlite3"));
        config.flavour = match vendor {
            frontline_core::sync::connection::VendorKind::Zendesk => {
                frontline_vendor_sim::Flavour::Zendesk
            }
            frontline_core::sync::connection::VendorKind::Freshdesk => {
                frontline_vendor_sim::Flavour::Freshdesk
            }
        };
        config.token = Some(token.to_owned());
        config.auto_reply = Some(std::time::Duration::from_secs(8));
        config.rate_limit = Some(700);
        let sim = frontline_vendor_sim::Simulator::start(config)
            .await
            .map_err(|e| format!("The sandbox helpdesk did not start: {e}"))?;
        seed_sandbox_articles(&sim);
        Ok(Sandbox(sim))
    }

    /// Where it answers.
    pub fn url(&self) -> String {
        self.0.url()
    }

    /// Stops it.
    pub async fn stop(self) {
        self.0.stop().await;
    }
}

#[cfg(feature = "sandbox")]
/// A few help-centre articles, so the sandbox shows the vendor's knowledge base too.
fn seed_sandbox_articles(sim: &frontline_vendor_sim::Running) {
    let articles: [(i64, &str, &str, &[&str]); 3] = [
        (
            101,
            "Exports fail with error 500 after an upgrade",
            "<p>After upgrading, exports of large periods can time out and answer error 500.</p><ol><li>Export one month at a time.</li><li>If it still fails, escalate with the export period and the time of the error.</li></ol>",
            &["export", "error 500", "upgrade"],
        ),
        (
            102,
            "Invoice totals differ from the ledger",
            "<p>Totals are computed in the account currency. Check the currency setting, then rebuild the report.</p>",
            &["invoices", "totals", "currency"],
        ),
        (
            103,
            "Single sign-on users are sent back to the sign-in page",
            "<p>Clear the identity provider session and check that the user's e-mail matches the directory.</p>",
            &["sso", "login"],
        ),
    ];
    for (id, title, body, labels) in articles {
        if let Err(e) = sim.put_article(id, title, body, labels) {
            tracing::warn!(error = %e, "sandbox article not added");
        }
    }
}

/// This build has no sandbox helpdesk: no value of this type can exist.
#[cfg(not(feature = "sandbox"))]
pub enum Sandbox {}

#[cfg(not(feature = "sandbox"))]
impl Sandbox {
    /// Refuses: the helpdesk was left out of this build.
    pub async fn start(
        _data_dir: &Path,
        _token: &str,
        _vendor: frontline_core::sync::connection::VendorKind,
    ) -> Result<Sandbox, String> {
        Err("This build of Frontline has no sandbox helpdesk (built without the `sandbox` feature). Connect a real vendor on the Vendor connection page.".to_owned())
    }

    pub fn url(&self) -> String {
        match *self {}
    }

    pub async fn stop(self) {
        match self {}
    }
}
