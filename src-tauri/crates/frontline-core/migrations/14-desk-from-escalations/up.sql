-- The Escalations desk starts from the escalations (this desktop's ticket creations and the
-- teammates' tickets it knows of) instead of scanning every open issue: at 100,000 team issues
-- the scan was most of a look.
CREATE INDEX outbox_creates ON outbox (issue_id) WHERE kind = 'create_ticket';
