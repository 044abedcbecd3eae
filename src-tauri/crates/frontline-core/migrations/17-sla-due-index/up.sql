-- The SLA check clears the due time of issues no longer escalated every minute; without an
-- index that was a scan of every issue in a write transaction (at 100,000 issues it filled
-- the writer's page cache, 33 MB). Only escalated issues have a due time.
CREATE INDEX issues_sla_due ON issues (sla_due_at) WHERE sla_due_at IS NOT NULL;
