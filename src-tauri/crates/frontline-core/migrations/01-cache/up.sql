-- The offline cache: clients, their issues, each issue's append-only timeline, attachments, drafts.

CREATE TABLE clients (
    id          TEXT PRIMARY KEY,            -- UUIDv7
    name        TEXT NOT NULL,
    contact     TEXT NOT NULL DEFAULT '',
    created_at  TEXT NOT NULL,
    created_by  TEXT NOT NULL
) STRICT;
CREATE UNIQUE INDEX clients_name ON clients (name COLLATE NOCASE);

-- Short numbers people can say on the phone (FL-1001). Never reused: the counter only grows.
CREATE TABLE counters (
    name  TEXT PRIMARY KEY,
    next  INTEGER NOT NULL
) STRICT;
INSERT INTO counters (name, next) VALUES ('issue_number', 1001);

CREATE TABLE issues (
    id              TEXT PRIMARY KEY,        -- UUIDv7, never reused
    number          INTEGER NOT NULL UNIQUE,
    client_id       TEXT NOT NULL REFERENCES clients (id),
    title           TEXT NOT NULL,
    description     TEXT NOT NULL,
    steps           TEXT NOT NULL DEFAULT '',
    category        TEXT NOT NULL,
    impact          TEXT NOT NULL,
    urgency         TEXT NOT NULL CHECK (urgency IN ('low', 'medium', 'high', 'critical')),
    priority        TEXT NOT NULL,
    priority_rank   INTEGER NOT NULL,        -- 1 = most urgent; what the queue sorts by
    affected_users  INTEGER NOT NULL DEFAULT 0 CHECK (affected_users >= 0),
    status          TEXT NOT NULL,
    created_at      TEXT NOT NULL,
    created_by      TEXT NOT NULL,
    updated_at      TEXT NOT NULL,
    updated_by      TEXT NOT NULL
) STRICT;
CREATE INDEX issues_queue ON issues (priority_rank, updated_at DESC);
CREATE INDEX issues_status_queue ON issues (status, priority_rank, updated_at DESC);
CREATE INDEX issues_client ON issues (client_id, priority_rank);
CREATE INDEX issues_updated ON issues (updated_at DESC);

-- The timeline. Append-only: the triggers below refuse any change or deletion.
CREATE TABLE issue_events (
    id        INTEGER PRIMARY KEY,
    issue_id  TEXT NOT NULL REFERENCES issues (id),
    at        TEXT NOT NULL,
    actor     TEXT NOT NULL,
    kind      TEXT NOT NULL,
    data      TEXT NOT NULL DEFAULT '{}'   -- JSON, shape depends on kind
) STRICT;
CREATE INDEX issue_events_issue ON issue_events (issue_id, id);
CREATE TRIGGER issue_events_no_update BEFORE UPDATE ON issue_events
BEGIN SELECT RAISE(ABORT, 'the issue timeline is append-only'); END;
CREATE TRIGGER issue_events_no_delete BEFORE DELETE ON issue_events
BEGIN SELECT RAISE(ABORT, 'the issue timeline is append-only'); END;

-- Files live content-addressed under <data dir>/attachments/<sha256[0..2]>/<sha256>.
CREATE TABLE attachments (
    id          TEXT PRIMARY KEY,
    issue_id    TEXT NOT NULL REFERENCES issues (id),
    sha256      TEXT NOT NULL,
    file_name   TEXT NOT NULL,
    media_type  TEXT NOT NULL,
    size        INTEGER NOT NULL,
    added_at    TEXT NOT NULL,
    added_by    TEXT NOT NULL
) STRICT;
CREATE INDEX attachments_issue ON attachments (issue_id, added_at);

-- Half-typed forms, saved as the agent types.
CREATE TABLE drafts (
    key         TEXT PRIMARY KEY,
    body        TEXT NOT NULL,              -- JSON
    updated_at  TEXT NOT NULL
) STRICT;

-- Full-text search over title, description and client name.
CREATE VIRTUAL TABLE issues_fts USING fts5 (
    title, description, client,
    tokenize = 'unicode61 remove_diacritics 2',
    prefix = '2 3'
);

CREATE TRIGGER issues_fts_insert AFTER INSERT ON issues BEGIN
    INSERT INTO issues_fts (rowid, title, description, client)
    VALUES (new.rowid, new.title, new.description,
            (SELECT name FROM clients WHERE id = new.client_id));
END;
CREATE TRIGGER issues_fts_update AFTER UPDATE OF title, description, client_id ON issues BEGIN
    DELETE FROM issues_fts WHERE rowid = old.rowid;
    INSERT INTO issues_fts (rowid, title, description, client)
    VALUES (new.rowid, new.title, new.description,
            (SELECT name FROM clients WHERE id = new.client_id));
END;
CREATE TRIGGER issues_fts_client_rename AFTER UPDATE OF name ON clients BEGIN
    UPDATE issues_fts SET client = new.name
    WHERE rowid IN (SELECT rowid FROM issues WHERE client_id = new.id);
END;
