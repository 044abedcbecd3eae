//! The simulator's own SQLite file: tickets, comments, uploads, idempotency keys, articles.
use std::path::Path;

use rusqlite::{params, Connection, OptionalExtension};
use serde_json::{json, Value};

/// The user id the partner's API token belongs to.
pub const REQUESTER_ID: i64 = 1001;
/// The vendor agent who answers.
pub const AGENT_ID: i64 = 2001;
/// The vendor agent's display name.
pub const AGENT_NAME: &str = "Dana Whitfield (Vendor Support)";

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS tickets (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    external_id TEXT,
    subject TEXT NOT NULL,
    description TEXT NOT NULL,
    priority TEXT,
    type TEXT,
    status TEXT NOT NULL,
    tags TEXT NOT NULL DEFAULT '[]',
    assignee_id INTEGER,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS tickets_external ON tickets (external_id);
CREATE INDEX IF NOT EXISTS tickets_updated ON tickets (updated_at, id);
CREATE TABLE IF NOT EXISTS comments (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    ticket_id INTEGER NOT NULL REFERENCES tickets (id),
    author_id INTEGER NOT NULL,
    body TEXT NOT NULL,
    public INTEGER NOT NULL,
    attachments TEXT NOT NULL DEFAULT '[]',
    created_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS comments_ticket ON comments (ticket_id, id);
CREATE TABLE IF NOT EXISTS uploads (
    token TEXT PRIMARY KEY,
    attachment_id INTEGER NOT NULL,
    file_name TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size INTEGER NOT NULL,
    sha256 TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    used INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS idempotency (
    key TEXT PRIMARY KEY,
    body_sha256 TEXT NOT NULL,
    ticket_id INTEGER NOT NULL,
    created_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS articles (
    id INTEGER PRIMARY KEY,
    title TEXT NOT NULL,
    body TEXT NOT NULL,
    labels TEXT NOT NULL DEFAULT '[]',
    locale TEXT NOT NULL DEFAULT 'en-us',
    updated_at TEXT NOT NULL,
    deleted INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS counters (name TEXT PRIMARY KEY, value INTEGER NOT NULL);
INSERT OR IGNORE INTO counters VALUES ('attachment', 9000);
";

/// Opens (creating) the simulator's database.
pub fn open(path: &Path) -> rusqlite::Result<Connection> {
    let conn = Connection::open(path)?;
    conn.pragma_update(None, "journal_mode", "WAL")?;
    conn.pragma_update(None, "synchronous", "NORMAL")?;
    conn.busy_timeout(std::time::Duration::from_secs(5))?;
    conn.execute_batch(SCHEMA)?;
    conn.execute_batch(crate::freshdesk::SCHEMA)?;
    Ok(conn)
}

/// Now, as Zendesk writes times.
pub fn now() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

/// The fields a new ticket takes.
pub struct NewTicket {
    /// The client's own id for it (agent mode only).
    pub external_id: Option<String>,
    /// The subject line.
    pub subject: String,
    /// The first comment.
    pub description: String,
    /// `low`, `normal`, `high` or `urgent`.
    pub priority: Option<String>,
    /// `problem`, `incident`, `question` or `task`.
    pub kind: Option<String>,
    /// Tags (agent mode only).
    pub tags: Vec<String>,
    /// Upload tokens whose files go on the first comment.
    pub uploads: Vec<String>,
}

/// Creates a ticket and its first comment.
pub fn create_ticket(conn: &Connection, t: &NewTicket) -> rusqlite::Result<i64> {
    let now = now();
    let tx = conn.unchecked_transaction()?;
    tx.execute(
        "INSERT INTO tickets (external_id, subject, description, priority, type, status, tags, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, 'new', ?6, ?7, ?7)",
        params![t.external_id, t.subject, t.description, t.priority, t.kind, json!(t.tags).to_string(), now],
    )?;
    let id = tx.last_insert_rowid();
    insert_comment(
        &tx,
        id,
        REQUESTER_ID,
        &t.description,
        true,
        &t.uploads,
        &now,
    )?;
    tx.commit()?;
    Ok(id)
}

/// Adds a comment (with the files of the given upload tokens).
pub fn insert_comment(
    conn: &Connection,
    ticket_id: i64,
    author_id: i64,
    body: &str,
    public: bool,
    uploads: &[String],
    now: &str,
) -> rusqlite::Result<i64> {
    let mut files = Vec::new();
    for token in uploads {
        let file: Option<Value> = conn
            .query_row(
                "UPDATE uploads SET used = 1 WHERE token = ?1 RETURNING attachment_id, file_name, content_type, size",
                [token],
                |r| {
                    Ok(json!({
                        "id": r.get::<_, i64>(0)?,
                        "file_name": r.get::<_, String>(1)?,
                        "content_type": r.get::<_, String>(2)?,
                        "size": r.get::<_, i64>(3)?,
                    }))
                },
            )
            .optional()?;
        files.extend(file);
    }
    conn.execute(
        "INSERT INTO comments (ticket_id, author_id, body, public, attachments, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![ticket_id, author_id, body, public, Value::Array(files).to_string(), now],
    )?;
    let id = conn.last_insert_rowid();
    conn.execute(
        "UPDATE tickets SET updated_at = ?2 WHERE id = ?1",
        params![ticket_id, now],
    )?;
    Ok(id)
}

/// A ticket as Zendesk's Tickets API shows it.
pub fn ticket_json(conn: &Connection, base: &str, id: i64) -> rusqlite::Result<Option<Value>> {
    conn.query_row(
        "SELECT id, external_id, subject, description, priority, type, status, tags, assignee_id, created_at, updated_at
         FROM tickets WHERE id = ?1",
        [id],
        |r| row_json(r, base),
    )
    .optional()
}

/// The columns [`row_json`] reads, in order.
pub const TICKET_COLUMNS: &str =
    "id, external_id, subject, description, priority, type, status, tags, assignee_id, created_at, updated_at";

/// One ticket row as JSON (both APIs share the fields that matter here).
pub fn row_json(r: &rusqlite::Row<'_>, base: &str) -> rusqlite::Result<Value> {
    let id: i64 = r.get(0)?;
    let tags: String = r.get(7)?;
    Ok(json!({
        "url": format!("{base}/api/v2/tickets/{id}.json"),
        "id": id,
        "external_id": r.get::<_, Option<String>>(1)?,
        "subject": r.get::<_, String>(2)?,
        "raw_subject": r.get::<_, String>(2)?,
        "description": r.get::<_, String>(3)?,
        "priority": r.get::<_, Option<String>>(4)?,
        "type": r.get::<_, Option<String>>(5)?,
        "status": r.get::<_, String>(6)?,
        "tags": serde_json::from_str::<Value>(&tags).unwrap_or(Value::Array(vec![])),
        "requester_id": REQUESTER_ID,
        "submitter_id": REQUESTER_ID,
        "assignee_id": r.get::<_, Option<i64>>(8)?,
        "organization_id": 501,
        "collaborator_ids": [],
        "custom_fields": [],
        "is_public": true,
        "created_at": r.get::<_, String>(9)?,
        "updated_at": r.get::<_, String>(10)?,
    }))
}

/// The users a comment list or request list refers to (side-loaded, as Zendesk does).
pub fn users() -> Value {
    json!([
        {"id": REQUESTER_ID, "name": "Partner support desk", "role": "end-user", "agent": false},
        {"id": AGENT_ID, "name": AGENT_NAME, "role": "agent", "agent": true},
    ])
}

/// The vendor answers a ticket: a public reply from the agent, who takes the ticket, and the
/// status moves to `open` (or the given one).
pub fn agent_reply(
    conn: &Connection,
    ticket_id: i64,
    body: &str,
    status: Option<&str>,
) -> rusqlite::Result<bool> {
    let now = now();
    let tx = conn.unchecked_transaction()?;
    let exists: bool = tx.query_row(
        "SELECT EXISTS (SELECT 1 FROM tickets WHERE id = ?1)",
        [ticket_id],
        |r| r.get(0),
    )?;
    if !exists {
        return Ok(false);
    }
    insert_comment(&tx, ticket_id, AGENT_ID, body, true, &[], &now)?;
    tx.execute(
        "UPDATE tickets SET status = ?2, assignee_id = ?3, updated_at = ?4 WHERE id = ?1",
        params![ticket_id, status.unwrap_or("open"), AGENT_ID, now],
    )?;
    tx.commit()?;
    Ok(true)
}
