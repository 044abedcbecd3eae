-- Escalation ladder: the lead's "critical" flag, kept beside the timeline event that set it so
-- the lead's desk can sort critical issues first.
ALTER TABLE issues ADD COLUMN critical INTEGER NOT NULL DEFAULT 0;
CREATE INDEX issues_critical_open ON issues (critical DESC, updated_at) WHERE is_open;
