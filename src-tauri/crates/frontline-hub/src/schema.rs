//! The hub's schema: SQL migrations embedded with refinery (`migrations/V<n>__<name>.sql`),
//! applied by an administrator; desktops only check that the hub is not newer than they are.
use crate::{classify, HubConfig, HubError};

mod embedded {
    #![allow(missing_docs)]
    refinery::embed_migrations!("migrations");
}

/// The schema version this build writes and understands.
pub const VERSION: i64 = 2;

/// Applies every migration not yet applied (as the administrator: it creates roles).
pub async fn migrate(client: &mut tokio_postgres::Client) -> Result<(), HubError> {
    embedded::migrations::runner()
        .run_async(client)
        .await
        .map(|report| {
            for m in report.applied_migrations() {
                tracing::info!(
                    version = m.version(),
                    name = m.name(),
                    "hub migration applied"
                );
            }
        })
        .map_err(|e| HubError::Database(format!("migrating the hub: {e}")))
}

/// Refuses a hub whose schema is newer than this build (or that has none).
pub(crate) async fn check(
    client: &tokio_postgres::Client,
    config: &HubConfig,
) -> Result<(), HubError> {
    let row = client
        .query_one(
            "SELECT value FROM frontline.hub_meta WHERE key = 'schema_version'",
            &[],
        )
        .await
        .map_err(|e| classify(&e, config))?;
    let value: String = row.get(0);
    let found: i64 = value
        .parse()
        .map_err(|_| HubError::Malformed(format!("the hub's schema version \"{value}\"")))?;
    if found > VERSION {
        return Err(HubError::NewerHub {
            found,
            supported: VERSION,
        });
    }
    Ok(())
}
