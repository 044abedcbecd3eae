-- Who last worked on an issue is the author of its latest person's event, the same on every
-- desktop whatever order the events arrived in: the event is found by its time and global id
-- (`at || ' ' || global_id`, kept here), not by the issue's last activity, which a vendor's
-- event can move past it. Rows from before start empty: the next person's event names them.
ALTER TABLE issues ADD COLUMN updated_by_mark TEXT NOT NULL DEFAULT '';
