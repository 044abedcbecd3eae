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

-- The hub cursor and other small facts of the team side.
CREATE TABLE team_state (
    key    TEXT PRIMARY KEY,
    value  TEXT NOT NULL
) STRICT;
