-- 012: the full-text index moves into the (page-encrypted) database. It was an in-memory FTS5
-- rebuilt from decrypted rows at every unlock; here it is written in the same transaction as the
-- read model, so unlock searches at once and a rolled-back write never reaches it. FTS5's
-- secure-delete (a persistent option of the table) overwrites a removed entry's terms in place,
-- so an erased memory leaves no trace in the index's pages.
CREATE TABLE search_docs (
  id INTEGER PRIMARY KEY, memory_id TEXT NOT NULL UNIQUE, space_id TEXT NOT NULL, band TEXT NOT NULL,
  type TEXT NOT NULL, updated_at INTEGER NOT NULL, author TEXT NOT NULL,
  -- who may find it by content: NULL = every reader of its band, else ',id1,id2,' (RED, BLACK)
  readers TEXT
);
CREATE VIRTUAL TABLE search_fts USING fts5(title, body, tags, people, places, tokenize = 'unicode61 remove_diacritics 2');
INSERT INTO search_fts (search_fts, rank) VALUES ('secure-delete', 1);
-- which index format the rows were written with: a data directory of an earlier release (or an
-- index of an older format) is filled once from the read model at its first unlock
CREATE TABLE search_state (id INTEGER PRIMARY KEY CHECK (id = 1), format INTEGER NOT NULL, built_at INTEGER NOT NULL);
