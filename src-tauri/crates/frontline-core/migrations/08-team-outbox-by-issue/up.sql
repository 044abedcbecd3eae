-- A teammate's change of a field is checked against this desktop's own waiting change of it,
-- once per event applied: find those by issue, not by walking everything waiting.
CREATE INDEX team_outbox_pending_issue ON team_outbox (issue_id, kind, n) WHERE state = 'pending';
