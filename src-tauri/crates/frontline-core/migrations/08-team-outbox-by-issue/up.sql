-- A teammate's change of a field is checked against this desktop's own waiting change of it,
-- once per event applied: find those by issue, not by walking everything waiting.
CREATE INDEX team_outbox_pending_issue ON team_outbox (issue_id, kind, n) WHERE state = 'pending';

-- Issues whose vendor ticket another desktop creates and talks to (the one that escalated
-- first in the hub's order): this desktop's vendor-facing actions on them travel there.
CREATE TABLE team_vendor_owner (
    issue_id  TEXT PRIMARY KEY REFERENCES issues (id),
    owner     TEXT NOT NULL                   -- the hub login of the desktop that escalated
) STRICT, WITHOUT ROWID;

-- The queue's Mine scope: issues this person logged or last worked on, in queue order.
CREATE INDEX issues_created_by ON issues (created_by, priority_rank, updated_at DESC);
CREATE INDEX issues_updated_by ON issues (updated_by, priority_rank, updated_at DESC);

-- Outage detection looks at the open issues logged in the last two hours, on every desk view
-- and notification check: find them without reading the whole team's queue.
CREATE INDEX issues_open_created ON issues (created_at) WHERE is_open;

-- Events the hub refused that a person chose to let go: they stay on the timeline, marked,
-- and no longer count as waiting for someone to act.
CREATE TABLE team_discarded (
    global_id  TEXT PRIMARY KEY
) STRICT, WITHOUT ROWID;

-- The sidebar counts what the hub refused on every update: without reading every event this
-- desktop ever shared.
CREATE INDEX team_outbox_refused ON team_outbox (n) WHERE state = 'refused';
