-- The Escalations desk reads, at each look, only the issues that may have changed since the
-- last one: those with new timeline events (the timeline's ids only grow) and those whose
-- revision was raised, logged here in the order it happened. The revision is what an issue's
-- change without an event raises: its vendor ticket (migration 09), its client's new name,
-- and a field the team's order gives back after the hub refused a change or took it late.
CREATE TABLE issue_touches (
    n INTEGER PRIMARY KEY AUTOINCREMENT, -- never reused once trimmed
    issue_id TEXT NOT NULL
);
CREATE TRIGGER issue_touches_rev AFTER UPDATE OF rev ON issues WHEN NEW.rev IS NOT OLD.rev
BEGIN
    INSERT INTO issue_touches (issue_id) VALUES (NEW.id);
END;
CREATE TRIGGER desk_rev_client_rename AFTER UPDATE OF name ON clients WHEN NEW.name IS NOT OLD.name
BEGIN
    UPDATE issues SET rev = rev + 1 WHERE client_id = NEW.id AND is_open;
END;
