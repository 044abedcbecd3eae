-- The team's files: what an agent attached to an issue, so the lead sees it on their desktop
-- and the desktop that owns the issue's vendor ticket can send it. Stored once per content
-- (the SHA-256 is the key, and the hub checks it against the bytes), up to 50 MiB each as a
-- desktop accepts. Desktops may read and add files, nothing else.
CREATE TABLE frontline.files (
    sha256    text PRIMARY KEY CHECK (sha256 ~ '^[0-9a-f]{64}$'),
    bytes     bytea NOT NULL CHECK (octet_length(bytes) <= 52428800),
    added_by  name NOT NULL DEFAULT session_user,
    added_at  timestamptz NOT NULL DEFAULT now()
);
ALTER TABLE frontline.files OWNER TO frontline_owner;
GRANT SELECT, INSERT ON frontline.files TO frontline_member;
ALTER TABLE frontline.files ENABLE ROW LEVEL SECURITY;
ALTER TABLE frontline.files FORCE ROW LEVEL SECURITY;
CREATE POLICY files_read ON frontline.files FOR SELECT TO frontline_member USING (true);
CREATE POLICY files_added ON frontline.files FOR INSERT TO frontline_member
    WITH CHECK (added_by = session_user AND encode(sha256(bytes), 'hex') = sha256);

UPDATE frontline.hub_meta SET value = '2' WHERE key = 'schema_version';
