-- The queue at 100,000 issues: an index that serves "open issues, most urgent first" without
-- sorting, and counts per status and priority kept in step by triggers, so the queue's total
-- is a sum of a few rows instead of a scan.

ALTER TABLE issues ADD COLUMN is_open INTEGER NOT NULL
    GENERATED ALWAYS AS (status IN ('new', 'in_progress', 'waiting_on_client', 'escalated')) VIRTUAL;
CREATE INDEX issues_open_queue ON issues (is_open, priority_rank, updated_at DESC);
CREATE INDEX issues_open_updated ON issues (is_open, updated_at DESC);
CREATE INDEX issues_open_number ON issues (is_open, number);

CREATE TABLE queue_counts (
    status    TEXT NOT NULL,
    priority  TEXT NOT NULL,
    n         INTEGER NOT NULL,
    PRIMARY KEY (status, priority)
) STRICT, WITHOUT ROWID;
INSERT INTO queue_counts (status, priority, n)
    SELECT status, priority, count(*) FROM issues GROUP BY status, priority;

CREATE TRIGGER queue_counts_insert AFTER INSERT ON issues BEGIN
    INSERT INTO queue_counts (status, priority, n) VALUES (new.status, new.priority, 1)
    ON CONFLICT (status, priority) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER queue_counts_update AFTER UPDATE OF status, priority ON issues BEGIN
    UPDATE queue_counts SET n = n - 1 WHERE status = old.status AND priority = old.priority;
    INSERT INTO queue_counts (status, priority, n) VALUES (new.status, new.priority, 1)
    ON CONFLICT (status, priority) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER queue_counts_delete AFTER DELETE ON issues BEGIN
    UPDATE queue_counts SET n = n - 1 WHERE status = old.status AND priority = old.priority;
END;
