-- One vendor ticket per escalation across the team, also when two desktops escalated the same
-- issue while apart from the hub: every desktop keeps the first escalation of each issue in the
-- hub's order, its own included. That author's desktop owns the ticket; the others hand over
-- what they queued for the vendor, and a ticket one of them opened meanwhile is closed as a copy.
CREATE TABLE team_escalation_first (
    issue_id  TEXT PRIMARY KEY REFERENCES issues (id),
    author    TEXT NOT NULL,
    seq       INTEGER NOT NULL                -- its place in the hub's order
) STRICT, WITHOUT ROWID;

-- Before this version the order was not kept: what a desktop knew stands. A teammate's
-- ticket stays theirs; a ticket of this desktop's own stays its own (ordered before anything
-- still to come).
INSERT INTO team_escalation_first (issue_id, author, seq)
    SELECT issue_id, owner, 0 FROM team_vendor_owner;
INSERT OR IGNORE INTO team_escalation_first (issue_id, author, seq)
    SELECT DISTINCT issue_id, '', 0 FROM outbox WHERE kind = 'create_ticket';

-- An operation this desktop queued for a ticket a teammate's desktop owns: it went there (on a
-- team event) or, for the create, was not needed. The row is done here; this says why.
ALTER TABLE outbox ADD COLUMN handed_to TEXT;

-- A ticket whose first comment carries a create marker that is not one of this desktop's: a
-- teammate opened it. It is never taken for a late copy of this desktop's own ticket.
ALTER TABLE vendor_tickets ADD COLUMN opened_elsewhere INTEGER NOT NULL DEFAULT 0;
