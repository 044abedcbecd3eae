-- Evidence for SLA claims. Each timeline row carries a hash that covers the row and the hash of
-- the issue's previous row (a chain per issue), so a pack made from the timeline shows it was
-- not edited. Rows from before this version get theirs when their issue's chain is first needed;
-- a hash is set once and never changed, and nothing else of a row may change, as before.
ALTER TABLE issue_events ADD COLUMN hash TEXT;

DROP TRIGGER issue_events_no_update;
CREATE TRIGGER issue_events_no_update BEFORE UPDATE ON issue_events
WHEN NOT (OLD.hash IS NULL AND NEW.hash IS NOT NULL
          AND NEW.id = OLD.id AND NEW.issue_id = OLD.issue_id AND NEW.at = OLD.at
          AND NEW.actor = OLD.actor AND NEW.kind = OLD.kind AND NEW.data = OLD.data
          AND NEW.global_id IS OLD.global_id)
BEGIN SELECT RAISE(ABORT, 'the issue timeline is append-only'); END;

-- The vendor's own time of opening the ticket (its clock, not ours), for the evidence pack.
ALTER TABLE vendor_tickets ADD COLUMN created_at TEXT NOT NULL DEFAULT '';
