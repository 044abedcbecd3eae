-- The team: every timeline event gets a global id and goes to the team outbox in the same
-- transaction; events from the team hub come back with their ids, so each is applied once.
ALTER TABLE issue_events ADD COLUMN global_id TEXT;   -- UUIDv7, the same on every desktop
CREATE UNIQUE INDEX issue_events_global ON issue_events (global_id) WHERE global_id IS NOT NULL;

-- What this desktop recorded, for the hub: frozen when written, pushed idempotently by id.
CREATE TABLE team_outbox (
    n            INTEGER PRIMARY KEY,          -- the order this desktop recorded them in
    global_id    TEXT NOT NULL UNIQUE,
    issue_id     TEXT REFERENCES issues (id),
    kind         TEXT NOT NULL,
    body         TEXT NOT NULL,                -- JSON: who, the event, and for a new issue its fields
    occurred_at  TEXT NOT NULL,
    state        TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'pushed', 'refused')),
    refused      TEXT                          -- the hub's words, when it refused
) STRICT;
CREATE INDEX team_outbox_pending ON team_outbox (n) WHERE state = 'pending';

-- The fields whose value is the last word in the hub's order (status, critical): which event
-- holds each, and its place in that order. An own event not yet pushed holds its field on top.
CREATE TABLE team_registers (
    issue_id   TEXT NOT NULL REFERENCES issues (id),
    field      TEXT NOT NULL,
    seq        INTEGER NOT NULL,
    global_id  TEXT NOT NULL,
    PRIMARY KEY (issue_id, field)
) STRICT, WITHOUT ROWID;

-- Changes that lost to a later one in the hub's order: they stay on the timeline, marked.
CREATE TABLE team_superseded (
    global_id  TEXT PRIMARY KEY,              -- the change that lost
    by_id      TEXT NOT NULL                  -- the one that holds the field
) STRICT, WITHOUT ROWID;

-- The hub cursor and other small facts of the team side.
CREATE TABLE team_state (
    key    TEXT PRIMARY KEY,
    value  TEXT NOT NULL
) STRICT;
