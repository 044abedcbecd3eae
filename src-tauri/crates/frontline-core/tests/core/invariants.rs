//! The architecture's invariants, as tests.
use frontline_core::status::{Status, ALL};
use rusqlite::Connection;

use crate::support::host;

#[test]
fn frontline_core_does_not_depend_on_tauri_or_postgres() {
    let out = std::process::Command::new(env!("CARGO"))
        .args([
            "tree",
            "-p",
            "frontline-core",
            "-e",
            "normal,build",
            "--prefix",
            "none",
            "--offline",
        ])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("cargo tree runs");
    assert!(
        out.status.success(),
        "cargo tree failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let tree = String::from_utf8_lossy(&out.stdout);
    assert!(
        tree.contains("rusqlite"),
        "the tree lists frontline-core's dependencies:\n{tree}"
    );
    let tauri: Vec<&str> = tree
        .lines()
        .filter(|l| l.starts_with("tauri") || l.starts_with("wry") || l.starts_with("tao "))
        .collect();
    assert!(
        tauri.is_empty(),
        "frontline-core must not depend on tauri, but has: {tauri:?}"
    );
    // The team hub's Postgres side lives in frontline-hub.
    let postgres: Vec<&str> = tree
        .lines()
        .filter(|l| {
            l.starts_with("tokio-postgres")
                || l.starts_with("postgres")
                || l.starts_with("deadpool")
        })
        .collect();
    assert!(
        postgres.is_empty(),
        "frontline-core must not link a Postgres driver, but has: {postgres:?}"
    );
}

#[test]
fn the_timeline_is_append_only_even_for_raw_sql() {
    let h = host();
    let c = h.client("Acme");
    let issue = h.issue(&c, "Login loop");
    let conn = Connection::open(h.dir.path().join("frontline.db")).unwrap();
    let update = conn.execute(
        "UPDATE issue_events SET actor = 'mallory' WHERE issue_id = ?1",
        [&issue.issue.id],
    );
    assert!(update.unwrap_err().to_string().contains("append-only"));
    let delete = conn.execute(
        "DELETE FROM issue_events WHERE issue_id = ?1",
        [&issue.issue.id],
    );
    assert!(delete.unwrap_err().to_string().contains("append-only"));
    assert_eq!(h.app.issue(&issue.issue.id).unwrap().events.len(), 1);
}

#[test]
fn connections_use_foreign_keys_and_full_sync() {
    let h = host();
    let c = h.client("Acme");
    let mut new = crate::support::new_issue(&c, "x");
    new.client_id = "no-such-client".into();
    // Checked by the core with a clear message…
    let msg = h.app.create_issue(new).unwrap_err().to_string();
    assert!(msg.contains("not in the client list"), "{msg}");
    // …and by SQLite itself, whose foreign keys are on.
    let conn = Connection::open(h.dir.path().join("frontline.db")).unwrap();
    conn.pragma_update(None, "foreign_keys", "ON").unwrap();
    let raw = conn.execute(
        "INSERT INTO attachments (id, issue_id, sha256, file_name, media_type, size, added_at, added_by)
         VALUES ('a', 'missing', 'x', 'f', 'text/plain', 1, 't', 'u')",
        [],
    );
    assert!(raw.is_err(), "an attachment of a missing issue is refused");
}

#[test]
fn every_status_has_a_workflow_entry_and_closed_is_final() {
    for s in ALL {
        assert_eq!(Status::parse(s.as_str()).unwrap(), s);
        for next in s.next() {
            assert_ne!(*next, s, "{s:?} does not move to itself");
        }
    }
    assert!(Status::Closed.next().is_empty());
}

#[test]
fn the_stored_open_flag_agrees_with_the_workflow() {
    // `is_open` is a column the schema computes from `status` (for the queue's index); for every
    // status it must say what Status::is_open says. The row is set to each status in turn and
    // the schema's own definition answers.
    let h = host();
    let c = h.client("Acme");
    let id = h.issue(&c, "x").issue.id;
    let conn = Connection::open(h.dir.path().join("frontline.db")).unwrap();
    let (mut open, mut shut) = (0, 0);
    for s in ALL {
        conn.execute(
            "UPDATE issues SET status = ?1 WHERE id = ?2",
            [s.as_str(), id.as_str()],
        )
        .unwrap();
        let stored: bool = conn
            .query_row("SELECT is_open FROM issues WHERE id = ?1", [&id], |r| {
                r.get(0)
            })
            .unwrap();
        assert_eq!(stored, s.is_open(), "{s:?}");
        if stored {
            open += 1
        } else {
            shut += 1
        }
    }
    assert!(open > 0 && shut > 0, "both kinds were checked");
}

#[test]
fn every_timeline_event_is_in_the_team_outbox_with_its_global_id() {
    let h = host();
    let c = h.client("Acme");
    let issue = h.issue(&c, "Login loop").issue.id;
    h.app
        .add_note(&issue, "Client tried a second browser")
        .unwrap();
    h.app.change_status(&issue, "in_progress", "").unwrap();
    let conn = Connection::open(h.dir.path().join("frontline.db")).unwrap();
    let (events, matched, ids): (i64, i64, i64) = conn
        .query_row(
            "SELECT (SELECT count(*) FROM issue_events WHERE issue_id = ?1),
                    (SELECT count(*) FROM issue_events e JOIN team_outbox t ON t.global_id = e.global_id
                      WHERE e.issue_id = ?1 AND t.kind = e.kind),
                    (SELECT count(DISTINCT global_id) FROM issue_events WHERE issue_id = ?1)",
            [&issue],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .unwrap();
    assert_eq!(events, 3, "created, note, status");
    assert_eq!(
        (matched, ids),
        (3, 3),
        "each has its own id and its team outbox row"
    );
    let pending = h.app.team_pending(10).unwrap();
    assert_eq!(pending.len(), 3);
    let first = &pending[0];
    assert_eq!(first.kind, "created");
    assert_eq!(
        first.body["seed"]["title"], "Login loop",
        "a new issue carries its fields"
    );
    assert_eq!(first.body["seed"]["client_name"], "Acme");
}

/// Every source file of the core, with its path under `src/`.
fn core_sources() -> Vec<(String, String)> {
    fn walk(dir: &std::path::Path, root: &std::path::Path, out: &mut Vec<(String, String)>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(&path, root, out);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let name = path.strip_prefix(root).unwrap().display().to_string();
                out.push((name, std::fs::read_to_string(&path).unwrap()));
            }
        }
    }
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut out = Vec::new();
    walk(&root, &root, &mut out);
    assert!(out.len() > 20, "the core's sources are read");
    out
}

/// One write path: the timeline, the vendor outbox, the team outbox and the fields that are
/// registers (status, critical, priority) and the issue's last activity are written by
/// `journal.rs` alone; features record events through it.
#[test]
fn events_and_what_follows_from_them_are_written_in_one_place() {
    let writes = [
        "INSERT INTO issue_events",
        "INSERT INTO outbox",
        "INTO team_outbox",
        "UPDATE issues SET status",
        "UPDATE issues SET critical",
        "UPDATE issues SET priority",
        "UPDATE issues SET updated_at",
        "UPDATE issues SET impact",
    ];
    let mut found = Vec::new();
    let mut in_journal = 0;
    for (name, text) in core_sources() {
        // Statements may wrap; compare with runs of white space made single.
        let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
        for w in writes {
            let n = flat.matches(w).count();
            if name == "journal.rs" {
                in_journal += n;
            } else if n > 0 {
                found.push(format!("{name}: {w}"));
            }
        }
        // Within a SET list too (`SET x = …, critical = 1`).
        if name != "journal.rs"
            && flat.contains("UPDATE issues SET")
            && [
                " critical = ",
                " status = ",
                " priority = ",
                " updated_by = ",
            ]
            .iter()
            .any(|col| {
                flat.split("UPDATE issues SET")
                    .skip(1)
                    .any(|rest| rest.split("WHERE").next().unwrap_or("").contains(col))
            })
        {
            found.push(format!("{name}: a register in an UPDATE issues"));
        }
    }
    assert!(
        in_journal >= 6,
        "journal.rs writes them (found {in_journal})"
    );
    assert!(
        found.is_empty(),
        "written outside the one write path (journal.rs): {found:?}"
    );
}

/// The write path sits below the features: it imports only the types it writes, never a
/// feature module (which would make the core's modules import each other in a circle).
#[test]
fn the_write_path_imports_no_feature_module() {
    let allowed = [
        "crate::error",
        "crate::model",
        "crate::status",
        "crate::sync::operation",
        "crate::evidence::chain",
    ];
    let (_, journal) = core_sources()
        .into_iter()
        .find(|(name, _)| name == "journal.rs")
        .unwrap();
    let used: Vec<&str> = journal
        .match_indices("crate::")
        .map(|(i, _)| {
            let rest = &journal[i..];
            let end = rest
                .find(|c: char| !(c.is_alphanumeric() || c == '_' || c == ':'))
                .unwrap_or(rest.len());
            rest[..end].trim_end_matches(':')
        })
        .filter(|path| !path.is_empty())
        .collect();
    assert!(!used.is_empty(), "journal.rs uses the crate's types");
    let strays: Vec<&&str> = used
        .iter()
        .filter(|p| !allowed.iter().any(|a| p.starts_with(a)))
        .collect();
    assert!(
        strays.is_empty(),
        "journal.rs reaches into feature modules: {strays:?}"
    );
}
