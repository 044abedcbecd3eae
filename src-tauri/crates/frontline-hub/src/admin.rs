//! Setting a hub up and adding the team: run by whoever administers the database (a
//! superuser, or a role with CREATEROLE), never by the desktops.
use tokio_postgres::Client;

use crate::HubError;

fn db(e: tokio_postgres::Error) -> HubError {
    HubError::Database(
        e.as_db_error()
            .map_or_else(|| e.to_string(), |d| d.message().to_owned()),
    )
}

/// A login that Postgres accepts as an identifier without quoting surprises.
fn valid_login(login: &str) -> Result<(), HubError> {
    let ok = !login.is_empty()
        && login.len() <= 63
        && login
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '.')
        && login.starts_with(|c: char| c.is_ascii_lowercase());
    if ok {
        Ok(())
    } else {
        Err(HubError::Refused(format!(
            "\"{login}\" cannot be a hub login: use lower-case letters, digits, dots and underscores, starting with a letter"
        )))
    }
}

/// Adds a person (or changes their password and role): a login with `password`, a member of
/// the team, and a lead when `lead`.
pub async fn add_member(
    client: &Client,
    login: &str,
    password: &str,
    lead: bool,
) -> Result<(), HubError> {
    valid_login(login)?;
    // Identifiers cannot be bound as parameters; the login is checked above and the
    // password goes through format('%L'), which quotes it as a literal.
    client
        .batch_execute(&format!(
            "DO $$ BEGIN
                IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '{login}') THEN
                    CREATE ROLE \"{login}\" LOGIN;
                END IF;
             END $$;"
        ))
        .await
        .map_err(db)?;
    let quoted: String = client
        .query_one("SELECT format('%L', $1::text)", &[&password])
        .await
        .map_err(db)?
        .get(0);
    client
        .batch_execute(&format!(
            "ALTER ROLE \"{login}\" LOGIN PASSWORD {quoted};
             GRANT frontline_member TO \"{login}\";"
        ))
        .await
        .map_err(db)?;
    let role = if lead { "GRANT" } else { "REVOKE" };
    let direction = if lead { "TO" } else { "FROM" };
    client
        .batch_execute(&format!("{role} frontline_lead {direction} \"{login}\";"))
        .await
        .map_err(db)?;
    tracing::info!(%login, lead, "hub member set up");
    Ok(())
}
