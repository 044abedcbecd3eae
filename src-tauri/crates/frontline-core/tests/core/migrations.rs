//! Versioned migrations: from an empty file, from every earlier version, and refusal of a
//! database written by a newer Frontline.
use frontline_core::{Error, Frontline, SCHEMA_VERSION};
use rusqlite::Connection;

use crate::support::{host, settings};

#[test]
fn an_empty_file_becomes_a_current_database_in_wal_mode() {
    let h = host();
    let conn = Connection::open(h.dir.path().join("frontline.db")).unwrap();
    let mode: String = conn
        .pragma_query_value(None, "journal_mode", |r| r.get(0))
        .unwrap();
    assert_eq!(mode, "wal");
    let version: i64 = conn
        .pragma_query_value(None, "user_version", |r| r.get(0))
        .unwrap();
    assert_eq!(version, SCHEMA_VERSION);
    for table in [
        "clients",
        "issues",
        "issue_events",
        "attachments",
        "drafts",
        "issues_fts",
        "counters",
    ] {
        let n: i64 = conn
            .query_row(
                "SELECT count(*) FROM sqlite_schema WHERE name = ?1",
                [table],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(n, 1, "table {table} exists");
    }
}

#[test]
fn every_earlier_version_migrates_to_the_current_one_keeping_its_data() {
    // Build a database at each earlier version with rusqlite_migration itself, put a row in
    // it where the schema allows, then let Frontline open it.
    for from in 0..SCHEMA_VERSION {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("frontline.db");
        {
            let mut conn = Connection::open(&path).unwrap();
            let migrations = frontline_core_migrations();
            migrations.to_version(&mut conn, from as usize).unwrap();
            if from >= 1 {
                conn.execute(
                    "INSERT INTO clients (id, name, contact, created_at, created_by) VALUES ('c', 'Old Client', '', '2025-01-01T00:00:00.000Z', 'x')",
                    [],
                )
                .unwrap();
            }
        }
        let app = Frontline::open(
            settings(&dir),
            std::sync::Arc::new(frontline_core::SystemClock),
        )
        .unwrap_or_else(|e| panic!("migrating from version {from}: {e}"));
        if from >= 1 {
            assert_eq!(app.clients().unwrap()[0].name, "Old Client");
        }
    }
}

fn frontline_core_migrations() -> rusqlite_migration::Migrations<'static> {
    static DIR: include_dir::Dir<'static> =
        include_dir::include_dir!("$CARGO_MANIFEST_DIR/migrations");
    rusqlite_migration::Migrations::from_directory(&DIR).unwrap()
}

#[test]
fn the_migration_folder_matches_the_schema_version() {
    let m = frontline_core_migrations();
    m.validate().expect("migrations validate");
    let count = std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/migrations"))
        .unwrap()
        .count();
    assert_eq!(
        count as i64, SCHEMA_VERSION,
        "SCHEMA_VERSION must equal the number of migrations"
    );
}

#[test]
fn a_database_from_a_newer_version_is_refused_and_left_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("frontline.db");
    {
        let conn = Connection::open(&path).unwrap();
        conn.execute_batch("CREATE TABLE future (x); PRAGMA user_version = 99;")
            .unwrap();
    }
    let before = std::fs::read(&path).unwrap();
    let err = Frontline::open(
        settings(&dir),
        std::sync::Arc::new(frontline_core::SystemClock),
    )
    .err()
    .expect("refused");
    assert!(
        matches!(err, Error::DatabaseTooNew { found: 99, .. }),
        "{err:?}"
    );
    assert!(
        err.to_string().contains("newer version of Frontline"),
        "{err}"
    );
    assert_eq!(std::fs::read(&path).unwrap(), before, "not modified");
    assert!(
        !dir.path().join("frontline.db-wal").exists()
            || std::fs::metadata(dir.path().join("frontline.db-wal"))
                .unwrap()
                .len()
                == 0
    );
}

#[test]
fn a_damaged_file_is_refused_with_what_to_do() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("frontline.db");
    let garbage = b"SQLite format 3\0but then nothing that makes sense".repeat(200);
    std::fs::write(&path, &garbage).unwrap();
    let err = Frontline::open(
        settings(&dir),
        std::sync::Arc::new(frontline_core::SystemClock),
    )
    .err()
    .expect("refused");
    assert!(matches!(err, Error::DatabaseCorrupt { .. }), "{err:?}");
    assert!(err.to_string().contains("move the file aside"), "{err}");
    assert_eq!(std::fs::read(&path).unwrap(), garbage, "not modified");
}

#[test]
fn damage_inside_the_file_is_found_by_the_integrity_check() {
    let h = crate::support::host();
    let c = h.client("Acme");
    for i in 0..300 {
        h.issue(
            &c,
            &format!("Issue number {i} with a longer title to fill some pages"),
        );
    }
    assert!(h.app.check_integrity().is_ok());
    let path = h.dir.path().join("frontline.db");
    let crate::support::Host { dir, app, .. } = h;
    drop(app);
    // Fold the WAL into the file, then scribble over a page in the middle of it.
    {
        let conn = Connection::open(&path).unwrap();
        conn.pragma_update(None, "wal_checkpoint", "TRUNCATE")
            .unwrap();
    }
    let mut bytes = std::fs::read(&path).unwrap();
    let page = 4096;
    let middle = (bytes.len() / page / 2) * page;
    for b in &mut bytes[middle + 100..middle + 1800] {
        *b = 0x5a;
    }
    std::fs::write(&path, &bytes).unwrap();
    let reopened = Frontline::open(
        settings(&dir),
        std::sync::Arc::new(frontline_core::SystemClock),
    );
    let err = match reopened {
        Ok(app) => app.check_integrity().expect_err("damage found"),
        Err(e) => e,
    };
    assert!(matches!(err, Error::DatabaseCorrupt { .. }), "{err:?}");
    assert!(err.to_string().contains("move the file aside"), "{err}");
}
