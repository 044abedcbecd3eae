-- A revision per issue, raised by every change to what its page shows (the issue, its client,
-- its timeline, attachments, vendor operations and ticket, what the hub said about its events):
-- the Escalations desk keeps each row it worked out and works it out again only when this moves.
ALTER TABLE issues ADD COLUMN rev INTEGER NOT NULL DEFAULT 0;

-- A change to the row itself, except to the revision (recursive triggers are off: the UPDATE
-- below does not fire this again).
CREATE TRIGGER desk_rev_issue AFTER UPDATE ON issues WHEN NEW.rev = OLD.rev
BEGIN UPDATE issues SET rev = rev + 1 WHERE id = NEW.id; END;

CREATE TRIGGER desk_rev_client AFTER UPDATE OF name ON clients
BEGIN UPDATE issues SET rev = rev + 1 WHERE client_id = NEW.id; END;

CREATE TRIGGER desk_rev_event AFTER INSERT ON issue_events
BEGIN UPDATE issues SET rev = rev + 1 WHERE id = NEW.issue_id; END;

CREATE TRIGGER desk_rev_attachment_insert AFTER INSERT ON attachments
BEGIN UPDATE issues SET rev = rev + 1 WHERE id = NEW.issue_id; END;
CREATE TRIGGER desk_rev_attachment_update AFTER UPDATE ON attachments
BEGIN UPDATE issues SET rev = rev + 1 WHERE id IN (OLD.issue_id, NEW.issue_id); END;
CREATE TRIGGER desk_rev_attachment_delete AFTER DELETE ON attachments
BEGIN UPDATE issues SET rev = rev + 1 WHERE id = OLD.issue_id; END;

CREATE TRIGGER desk_rev_outbox_insert AFTER INSERT ON outbox
BEGIN UPDATE issues SET rev = rev + 1 WHERE id = NEW.issue_id; END;
CREATE TRIGGER desk_rev_outbox_update AFTER UPDATE ON outbox
BEGIN UPDATE issues SET rev = rev + 1 WHERE id = NEW.issue_id; END;

-- A ticket is shown on its issue and on every issue of an incident it leads.
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

CREATE TRIGGER desk_rev_team_outbox_insert AFTER INSERT ON team_outbox
BEGIN UPDATE issues SET rev = rev + 1 WHERE id = NEW.issue_id; END;
CREATE TRIGGER desk_rev_team_outbox_update AFTER UPDATE OF state, refused ON team_outbox
BEGIN UPDATE issues SET rev = rev + 1 WHERE id = NEW.issue_id; END;
CREATE TRIGGER desk_rev_superseded AFTER INSERT ON team_superseded
BEGIN
    UPDATE issues SET rev = rev + 1
    WHERE id = (SELECT issue_id FROM issue_events WHERE global_id = NEW.global_id);
END;
CREATE TRIGGER desk_rev_superseded_delete AFTER DELETE ON team_superseded
BEGIN
    UPDATE issues SET rev = rev + 1
    WHERE id = (SELECT issue_id FROM issue_events WHERE global_id = OLD.global_id);
END;
CREATE TRIGGER desk_rev_discarded AFTER INSERT ON team_discarded
BEGIN
    UPDATE issues SET rev = rev + 1
    WHERE id = (SELECT issue_id FROM issue_events WHERE global_id = NEW.global_id);
END;
CREATE TRIGGER desk_rev_owner_insert AFTER INSERT ON team_vendor_owner
BEGIN UPDATE issues SET rev = rev + 1 WHERE id = NEW.issue_id; END;
CREATE TRIGGER desk_rev_owner_update AFTER UPDATE ON team_vendor_owner
BEGIN UPDATE issues SET rev = rev + 1 WHERE id = NEW.issue_id; END;
