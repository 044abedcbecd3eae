//! The SQLite file: opening it safely, migrating it, one writer and a few readers.
use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard};

use include_dir::{include_dir, Dir};
use rusqlite::{Connection, ErrorCode as SqliteCode, OpenFlags, Transaction, TransactionBehavior};
use rusqlite_migration::Migrations;

use crate::error::{Error, Result};

static MIGRATIONS_DIR: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/migrations");

/// The schema version this build writes: the number of migrations.
pub const SCHEMA_VERSION: i64 = 17;

/// Readers kept open for reuse; more may be opened under load and are then closed.
const IDLE_READERS: usize = 4;

pub(crate) fn migrations() -> Result<Migrations<'static>> {
    Migrations::from_directory(&MIGRATIONS_DIR)
        .map_err(|e| Error::Decode(format!("the bundled migrations are malformed: {e}")))
}

/// One writer connection (serialised by a mutex: SQLite allows one writer anyway) and a pool
/// of read connections that WAL lets run beside it.
pub(crate) struct Db {
    path: PathBuf,
    writer: Mutex<Connection>,
    readers: Mutex<Vec<Connection>>,
    /// A read connection that only asks SQLite whether anything was committed since it last
    /// asked ([`Db::version`]): it never writes, so every commit — this process's writer or
    /// another process's (the sync engine, `frontline-hub sync`) — moves it.
    watch: Mutex<Connection>,
}

impl Db {
    /// Opens (creating if needed) and migrates the database at `path`. A database from a newer
    /// version or a damaged file is refused before anything is written to it.
    pub(crate) fn open(path: &Path) -> Result<Db> {
        let mut conn = connect(
            path,
            OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_CREATE,
        )?;
        let found: i64 = conn
            .pragma_query_value(None, "user_version", |r| r.get(0))
            .map_err(|e| classify(path, e))?;
        if found > SCHEMA_VERSION {
            return Err(Error::DatabaseTooNew {
                path: path.to_owned(),
                found,
                supported: SCHEMA_VERSION,
            });
        }
        // Reading the schema fails fast on a file that is not a database or whose header is
        // damaged. A full page check takes seconds on a large cache, so it runs after start
        // (`Db::quick_check`), not here.
        conn.query_row("SELECT count(*) FROM sqlite_schema", [], |r| {
            r.get::<_, i64>(0)
        })
        .map_err(|e| classify(path, e))?;
        conn.pragma_update_and_check(None, "journal_mode", "WAL", |_| Ok(()))
            .map_err(|e| classify(path, e))?;
        // The writer keeps more of the file in memory (32 MiB, against SQLite's 2 MiB): a
        // catch-up on a team's history writes into large indexes page after page.
        conn.pragma_update(None, "cache_size", -32_768)
            .map_err(|e| classify(path, e))?;
        migrations()?.to_latest(&mut conn).map_err(|e| match e {
            rusqlite_migration::Error::RusqliteError { err, .. } => classify(path, err),
            other => Error::Decode(format!("migrating {} failed: {other}", path.display())),
        })?;
        // The log of raised revisions is read only for what came after a look: its older
        // part is trimmed here (a desk that has not seen the trimmed part reads every stamp).
        conn.execute(
            "DELETE FROM issue_touches WHERE n <= (SELECT max(n) FROM issue_touches) - 1000",
            [],
        )
        .map_err(|e| classify(path, e))?;
        Ok(Db {
            path: path.to_owned(),
            writer: Mutex::new(conn),
            readers: Mutex::new(Vec::new()),
            watch: Mutex::new(connect(path, OpenFlags::SQLITE_OPEN_READ_ONLY)?),
        })
    }

    /// SQLite's page-level check of the whole file: `Ok(())`, or what is damaged.
    pub(crate) fn quick_check(&self) -> Result<()> {
        let verdict: String =
            self.read(|conn| Ok(conn.query_row("PRAGMA quick_check(1)", [], |r| r.get(0))?))?;
        if verdict == "ok" {
            Ok(())
        } else {
            Err(Error::DatabaseCorrupt {
                path: self.path.clone(),
                detail: verdict,
            })
        }
    }

    /// The database file.
    pub(crate) fn path(&self) -> &Path {
        &self.path
    }

    /// Runs `f` in an immediate (write-locked) transaction and commits it; any error rolls back.
    pub(crate) fn write<T>(&self, f: impl FnOnce(&Transaction<'_>) -> Result<T>) -> Result<T> {
        let mut conn = lock(&self.writer);
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let out = f(&tx)?;
        tx.commit()?;
        Ok(out)
    }

    /// A number that moves whenever anything was committed to the database since it was last
    /// read, by any connection of any process (SQLite's `data_version`, always asked on the
    /// same connection): equal numbers mean the file holds what it held.
    pub(crate) fn version(&self) -> Result<i64> {
        let conn = lock(&self.watch);
        Ok(conn.query_row("PRAGMA data_version", [], |r| r.get(0))?)
    }

    /// Runs `f` on a read connection.
    pub(crate) fn read<T>(&self, f: impl FnOnce(&Connection) -> Result<T>) -> Result<T> {
        let pooled = lock(&self.readers).pop();
        let conn = match pooled {
            Some(c) => c,
            None => connect(&self.path, OpenFlags::SQLITE_OPEN_READ_ONLY)?,
        };
        let out = f(&conn);
        let mut idle = lock(&self.readers);
        if idle.len() < IDLE_READERS {
            idle.push(conn);
        }
        out
    }
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    // A panic while holding the lock leaves a connection that is still usable: SQLite rolled
    // back the unfinished transaction when it was dropped.
    m.lock().unwrap_or_else(|e| e.into_inner())
}

fn connect(path: &Path, flags: OpenFlags) -> Result<Connection> {
    let conn = Connection::open_with_flags(path, flags | OpenFlags::SQLITE_OPEN_NO_MUTEX)
        .map_err(|e| classify(path, e))?;
    // Another process may hold the write lock for a while (the team hub's catch-up applies a
    // page of events in one transaction; on a loaded machine that took over 5 s): a change
    // waits for it rather than failing.
    conn.busy_timeout(std::time::Duration::from_secs(30))?;
    conn.pragma_update(None, "foreign_keys", "ON")
        .map_err(|e| classify(path, e))?;
    conn.pragma_update(None, "synchronous", "FULL")
        .map_err(|e| classify(path, e))?;
    conn.set_prepared_statement_cache_capacity(64);
    Ok(conn)
}

/// Turns SQLite's failures at open into the errors the start-up screen explains.
fn classify(path: &Path, e: rusqlite::Error) -> Error {
    match e.sqlite_error_code() {
        Some(SqliteCode::NotADatabase) | Some(SqliteCode::DatabaseCorrupt) => {
            Error::DatabaseCorrupt {
                path: path.to_owned(),
                detail: e.to_string(),
            }
        }
        Some(SqliteCode::CannotOpen)
        | Some(SqliteCode::ReadOnly)
        | Some(SqliteCode::PermissionDenied) => Error::DataDir {
            path: path.parent().unwrap_or(path).to_owned(),
            source: std::io::Error::new(std::io::ErrorKind::PermissionDenied, e.to_string()),
        },
        _ => Error::Database(e),
    }
}
