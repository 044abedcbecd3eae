-- The outbox: every operation the vendor must receive, written in the same transaction as the
-- change that caused it. Operations of one issue run in id order; issues do not block each other.

CREATE TABLE outbox (
    id               INTEGER PRIMARY KEY,
    issue_id         TEXT NOT NULL REFERENCES issues (id),
    kind             TEXT NOT NULL,          -- create_ticket, comment, attach, set_priority, request_escalation
    idempotency_key  TEXT NOT NULL UNIQUE,
    payload          TEXT NOT NULL,          -- JSON, frozen at enqueue time
    state            TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'parked', 'done')),
    attempts         INTEGER NOT NULL DEFAULT 0,
    next_attempt_at  INTEGER NOT NULL,       -- unix milliseconds
    uncertain        INTEGER NOT NULL DEFAULT 0,  -- an earlier attempt may have reached the vendor
    in_flight        INTEGER NOT NULL DEFAULT 0,  -- an attempt began; a crash leaves this set
    first_sent_at    INTEGER,                -- unix ms of the first attempt (bounds a look-up)
    last_error       TEXT,
    created_at       TEXT NOT NULL,
    done_at          TEXT
) STRICT;
CREATE INDEX outbox_pending ON outbox (issue_id, id) WHERE state = 'pending';
CREATE INDEX outbox_parked ON outbox (issue_id) WHERE state = 'parked';

CREATE TRIGGER outbox_frozen BEFORE UPDATE OF issue_id, kind, idempotency_key, payload, created_at ON outbox
BEGIN
    SELECT RAISE(ABORT, 'outbox operations are frozen once written');
END;
CREATE TRIGGER outbox_kept BEFORE DELETE ON outbox
BEGIN
    SELECT RAISE(ABORT, 'outbox operations are kept');
END;

-- The vendor's side of our escalations (and, after a pull, of any ticket we can see).
CREATE TABLE vendor_tickets (
    ticket_id   INTEGER PRIMARY KEY,
    issue_id    TEXT UNIQUE REFERENCES issues (id),
    url         TEXT NOT NULL DEFAULT '',
    subject     TEXT NOT NULL DEFAULT '',
    status      TEXT NOT NULL DEFAULT '',
    priority    TEXT NOT NULL DEFAULT '',
    assignee    TEXT NOT NULL DEFAULT '',
    updated_at  TEXT NOT NULL DEFAULT '',    -- the vendor's updated_at
    pulled_at   TEXT NOT NULL DEFAULT ''
) STRICT;

-- Vendor comments already brought into a timeline (replies are appended once).
CREATE TABLE vendor_comments (
    ticket_id   INTEGER NOT NULL,
    comment_id  INTEGER NOT NULL,
    PRIMARY KEY (ticket_id, comment_id)
) STRICT, WITHOUT ROWID;

-- Small facts the sync engine keeps: the pull watermark, a pause and its reason, last success.
CREATE TABLE sync_state (
    key    TEXT PRIMARY KEY,
    value  TEXT NOT NULL
) STRICT;
