-- Exactly once through late deliveries and captive portals.

-- Answers from the vendor that made no sense: the only thing that brings an operation closer to
-- being parked (transport failures and pages from the network in between do not).
ALTER TABLE outbox ADD COLUMN bad_answers INTEGER NOT NULL DEFAULT 0;
-- Unix ms the latest attempt was sent: a request without an answer may still reach the vendor
-- until this plus the late-delivery bound, so the look-up waits until then.
ALTER TABLE outbox ADD COLUMN last_sent_at INTEGER;

-- A ticket the vendor holds twice for one escalation (a copy that arrived past the bound):
-- the copy names the ticket we kept.
ALTER TABLE vendor_tickets ADD COLUMN duplicate_of INTEGER;
-- The issue id on the ticket body's reference line, so a copy is known as ours.
ALTER TABLE vendor_tickets ADD COLUMN reference TEXT;
CREATE INDEX vendor_tickets_reference ON vendor_tickets (reference) WHERE reference IS NOT NULL;

-- Our own comments the vendor received twice, recorded once on the timeline.
CREATE TABLE vendor_duplicates (
    ticket_id   INTEGER NOT NULL,
    marker      TEXT NOT NULL,
    PRIMARY KEY (ticket_id, marker)
) STRICT, WITHOUT ROWID;
