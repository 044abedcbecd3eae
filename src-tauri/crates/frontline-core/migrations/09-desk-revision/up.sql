-- The Escalations desk keeps each row it worked out and works it out again only when what the
-- row shows may have moved: the issue's fields and client, its latest timeline event (read from
-- the timeline's index), and the vendor's ticket, which lives beside the timeline and may lead
-- an incident. This revision is raised by every change of that ticket, on its issue and on the
-- issues of an incident it leads.
ALTER TABLE issues ADD COLUMN rev INTEGER NOT NULL DEFAULT 0;

CREATE TRIGGER desk_rev_ticket_insert AFTER INSERT ON vendor_tickets
BEGIN
    UPDATE issues SET rev = rev + 1
    WHERE id = NEW.issue_id
       OR incident_id IN (SELECT id FROM incidents WHERE lead_issue_id = NEW.issue_id);
END;
CREATE TRIGGER desk_rev_ticket_update AFTER UPDATE ON vendor_tickets
BEGIN
    UPDATE issues SET rev = rev + 1
    WHERE id IN (OLD.issue_id, NEW.issue_id)
       OR incident_id IN (SELECT id FROM incidents
                          WHERE lead_issue_id IN (OLD.issue_id, NEW.issue_id));
END;
CREATE TRIGGER desk_rev_ticket_delete AFTER DELETE ON vendor_tickets
BEGIN
    UPDATE issues SET rev = rev + 1
    WHERE id = OLD.issue_id
       OR incident_id IN (SELECT id FROM incidents WHERE lead_issue_id = OLD.issue_id);
END;
