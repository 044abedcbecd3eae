-- Files a teammate attached, known from their event but not yet fetched from the team hub: the
-- hub worker fetches them after each pull, and a vendor upload of one waits until it is here.
CREATE TABLE team_files_wanted (
    sha256  TEXT PRIMARY KEY
) STRICT;
