-- The team hub: every desktop's events on the issues, in the order the hub committed them.
--
-- Roles (cluster-wide, created once): `frontline_owner` owns everything and logs in as nobody;
-- `frontline_member` is every desktop's person (a login role each, granted this role);
-- `frontline_lead` is the team leads (granted on top of member). Desktops never own a table,
-- so row-level security holds for them (FORCE, as a table owner would bypass it otherwise).
DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'frontline_owner') THEN
        CREATE ROLE frontline_owner NOLOGIN;
    END IF;
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'frontline_member') THEN
        CREATE ROLE frontline_member NOLOGIN;
    END IF;
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'frontline_lead') THEN
        CREATE ROLE frontline_lead NOLOGIN IN ROLE frontline_member;
    END IF;
END
$$;

CREATE SCHEMA frontline AUTHORIZATION frontline_owner;
GRANT USAGE ON SCHEMA frontline TO frontline_member;

-- What this hub's schema is, for desktops (which may not read the migration history).
CREATE TABLE frontline.hub_meta (
    key    text PRIMARY KEY,
    value  text NOT NULL
);
INSERT INTO frontline.hub_meta VALUES ('schema_version', '1');
ALTER TABLE frontline.hub_meta OWNER TO frontline_owner;
GRANT SELECT ON frontline.hub_meta TO frontline_member;

-- The commit order. A sequence alone is handed out at insert, not at commit, so two pushers
-- can commit out of order and a puller reading "seq > cursor" would skip one for ever. So a
-- push first takes the hub's push lock (a transaction-level advisory lock, held until it
-- commits): pushes serialise, and a higher seq is always committed after every lower one.
-- (A counter row bumped per event does the same, but 50 desktops queueing on one row's lock
-- pushed 221 events/s; the advisory lock queues far more cheaply.)
CREATE SEQUENCE frontline.event_seq AS bigint;
ALTER SEQUENCE frontline.event_seq OWNER TO frontline_owner;

-- Event kinds only a team lead may record, as data.
CREATE TABLE frontline.lead_only_kinds (
    kind   text PRIMARY KEY,
    words  text NOT NULL
);
INSERT INTO frontline.lead_only_kinds VALUES
    ('flagged_critical', 'flag an issue critical'),
    ('priority_overridden', 'override a priority'),
    ('incident_linked', 'link issues into an incident'),
    ('lead_rung_requested', 'take an issue to a lead-only rung'),
    ('team_profile_changed', 'change the team profile');
ALTER TABLE frontline.lead_only_kinds OWNER TO frontline_owner;
GRANT SELECT ON frontline.lead_only_kinds TO frontline_member;

-- The events. Append-only: desktops may read and insert, nothing else. `issue_id` is empty for
-- team-wide events (the team profile).
CREATE TABLE frontline.events (
    id           uuid PRIMARY KEY,
    seq          bigint NOT NULL UNIQUE,
    issue_id     uuid,
    author       name NOT NULL,
    kind         text NOT NULL CHECK (kind ~ '^[a-z][a-z_]{0,63}$'),
    body         jsonb NOT NULL CHECK (jsonb_typeof(body) = 'object'),
    occurred_at  timestamptz NOT NULL,
    received_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX events_by_issue ON frontline.events (issue_id, seq);
ALTER TABLE frontline.events OWNER TO frontline_owner;
GRANT SELECT, INSERT ON frontline.events TO frontline_member;

-- Before each event is stored: the author must be the person signed in, lead-only kinds need a
-- lead, and the event takes its place in the commit order. Runs as the owner (it bumps the
-- counter), but judges `session_user`, which SET ROLE cannot change.
CREATE FUNCTION frontline.admit_event() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = frontline, pg_temp AS $$
DECLARE
    words text;
BEGIN
    IF NEW.author IS DISTINCT FROM session_user::name THEN
        RAISE EXCEPTION 'events are signed by the person who made them: % cannot send an event as %',
            session_user, NEW.author
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    SELECT l.words INTO words FROM frontline.lead_only_kinds l WHERE l.kind = NEW.kind;
    IF words IS NOT NULL AND NOT pg_has_role(session_user, 'frontline_lead', 'MEMBER') THEN
        RAISE EXCEPTION 'only a team lead may %: % is not a lead on this hub', words, session_user
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    -- The push lock (re-entrant within the transaction), then the next place in the order.
    PERFORM pg_advisory_xact_lock(7326641);
    NEW.seq := nextval('frontline.event_seq');
    NEW.received_at := now();
    RETURN NEW;
END
$$;
ALTER FUNCTION frontline.admit_event() OWNER TO frontline_owner;
CREATE TRIGGER events_admit BEFORE INSERT ON frontline.events
    FOR EACH ROW EXECUTE FUNCTION frontline.admit_event();

-- "Pull now" for every desktop listening. Only a poke: a desktop that was away missed it and
-- pulls from its cursor when it connects.
CREATE FUNCTION frontline.poke() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = frontline, pg_temp AS $$
BEGIN
    PERFORM pg_notify('frontline_events', '');
    RETURN NULL;
END
$$;
ALTER FUNCTION frontline.poke() OWNER TO frontline_owner;
CREATE TRIGGER events_poke AFTER INSERT ON frontline.events
    FOR EACH STATEMENT EXECUTE FUNCTION frontline.poke();

-- The same rules again as row-level security, for anything that reaches the table without the
-- trigger's words.
ALTER TABLE frontline.events ENABLE ROW LEVEL SECURITY;
ALTER TABLE frontline.events FORCE ROW LEVEL SECURITY;
CREATE POLICY events_read ON frontline.events FOR SELECT TO frontline_member USING (true);
CREATE POLICY events_signed ON frontline.events FOR INSERT TO frontline_member
    WITH CHECK (
        author = session_user
        AND (pg_has_role(session_user, 'frontline_lead', 'MEMBER')
             OR kind NOT IN (SELECT l.kind FROM frontline.lead_only_kinds l))
    );

-- Short numbers (FL-10042) that mean the same issue on every desktop: the hub hands each
-- desktop a block of 1,000 at a time, so a desktop numbers its issues offline without asking.
-- Blocks start at 10001, above what a desktop numbered on its own before it joined a hub.
CREATE SEQUENCE frontline.number_block_seq AS bigint START 10;
ALTER SEQUENCE frontline.number_block_seq OWNER TO frontline_owner;
CREATE TABLE frontline.number_blocks (
    first      bigint PRIMARY KEY,
    size       integer NOT NULL,
    taken_by   name NOT NULL DEFAULT session_user,
    taken_at   timestamptz NOT NULL DEFAULT now()
);
ALTER TABLE frontline.number_blocks OWNER TO frontline_owner;
GRANT SELECT ON frontline.number_blocks TO frontline_member;

CREATE FUNCTION frontline.take_number_block() RETURNS bigint
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = frontline, pg_temp AS $$
DECLARE
    first bigint := nextval('frontline.number_block_seq') * 1000 + 1;
BEGIN
    INSERT INTO frontline.number_blocks (first, size, taken_by) VALUES (first, 1000, session_user);
    RETURN first;
END
$$;
ALTER FUNCTION frontline.take_number_block() OWNER TO frontline_owner;
REVOKE ALL ON FUNCTION frontline.take_number_block() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION frontline.take_number_block() TO frontline_member;
