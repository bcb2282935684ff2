-- 016: what search filters and sorts need beside the text, in the index's own tables (so in the
-- encrypted database, written in the same transaction as the entry, erased with it): the day a
-- memory was written and the day it happened, and its labels as lists (the FTS5 columns hold them
-- as joined words). An index of an earlier format (no facets) is refilled once at the next unlock
-- (search-index.ts INDEX_FORMAT 2).
ALTER TABLE search_docs ADD COLUMN created_at INTEGER;
ALTER TABLE search_docs ADD COLUMN occurred_at TEXT;
-- JSON: {"tags":[…],"people":[…],"places":[…]}
ALTER TABLE search_docs ADD COLUMN labels TEXT;
-- lists without a query (filters only), newest update first
CREATE INDEX search_docs_updated ON search_docs (updated_at, memory_id);
-- the index's vocabulary (one row per distinct term, with the number of entries holding it), for
-- typo tolerance: a view over search_fts, nothing stored of its own
CREATE VIRTUAL TABLE search_vocab USING fts5vocab(search_fts, 'row');
