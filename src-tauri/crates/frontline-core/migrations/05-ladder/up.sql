-- Escalation ladder: the lead's "critical" flag, kept beside the timeline event that set it so
-- the lead's desk can sort critical issues first.
ALTER TABLE issues ADD COLUMN critical INTEGER NOT NULL DEFAULT 0;
CREATE INDEX issues_critical_open ON issues (critical DESC, updated_at) WHERE is_open;

-- Incidents: issues from several clients that are one problem at the vendor (an outage). They
-- share the lead issue's vendor ticket, and each member gets the vendor's updates.
CREATE TABLE incidents (
    id             TEXT PRIMARY KEY,
    title          TEXT NOT NULL,
    lead_issue_id  TEXT NOT NULL REFERENCES issues (id),
    created_at     TEXT NOT NULL,
    created_by     TEXT NOT NULL
) STRICT;
ALTER TABLE issues ADD COLUMN incident_id TEXT REFERENCES incidents (id);
CREATE INDEX issues_incident ON issues (incident_id) WHERE incident_id IS NOT NULL;

-- When the nearest SLA clock of an escalated issue falls due (RFC 3339; NULL when none runs),
-- kept current by the core so the queue can sort by time to breach.
ALTER TABLE issues ADD COLUMN sla_due_at TEXT;
