-- The knowledge base, cached for offline use: bundled articles and (later) the vendor's help
-- centre. Bodies are sanitised HTML plus plain text for search.

CREATE TABLE articles (
    id          TEXT PRIMARY KEY,            -- "bundled:<slug>" or "<vendor>:<id>"
    title       TEXT NOT NULL,
    body_html   TEXT NOT NULL,               -- sanitised before it is stored
    body_text   TEXT NOT NULL,
    labels      TEXT NOT NULL DEFAULT '[]',  -- JSON array of strings
    section     TEXT NOT NULL DEFAULT '',
    source      TEXT NOT NULL,               -- 'bundled' or the vendor's name
    source_url  TEXT NOT NULL DEFAULT '',
    locale      TEXT NOT NULL DEFAULT 'en',
    updated_at  TEXT NOT NULL
) STRICT;
CREATE INDEX articles_source ON articles (source);

-- Title and labels weigh more than the body at query time (bm25 weights). `lead` is the first
-- part of the body, indexed only so that snippets are cut from it: a snippet of a multi-megabyte
-- body costs seconds, one of the lead costs microseconds (its bm25 weight is 0).
CREATE VIRTUAL TABLE articles_fts USING fts5 (
    title, labels, body, lead,
    tokenize = 'porter unicode61 remove_diacritics 2',
    prefix = '3'
);
CREATE VIRTUAL TABLE articles_vocab USING fts5vocab (articles_fts, 'row');

CREATE TRIGGER articles_fts_insert AFTER INSERT ON articles BEGIN
    INSERT INTO articles_fts (rowid, title, labels, body, lead)
    VALUES (new.rowid, new.title, new.labels, new.body_text, substr(new.body_text, 1, 2000));
END;
CREATE TRIGGER articles_fts_update AFTER UPDATE ON articles BEGIN
    DELETE FROM articles_fts WHERE rowid = old.rowid;
    INSERT INTO articles_fts (rowid, title, labels, body, lead)
    VALUES (new.rowid, new.title, new.labels, new.body_text, substr(new.body_text, 1, 2000));
END;
CREATE TRIGGER articles_fts_delete AFTER DELETE ON articles BEGIN
    DELETE FROM articles_fts WHERE rowid = old.rowid;
END;

-- Small facts about the cache itself (e.g. which bundled knowledge base is loaded).
CREATE TABLE meta (
    key    TEXT PRIMARY KEY,
    value  TEXT NOT NULL
) STRICT;
