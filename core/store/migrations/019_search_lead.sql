-- 019: impact tiers for ranked search (core/store/search-impact.ts). Beside search_fts, each
-- document writes one token per term it holds often or in a heavy column — the term's impact
-- level and the term ("3family") — so a ranked query computes bm25 only for the documents at the
-- highest levels of its words, and proves with a bound that no other document ranks between.
-- No positions and no sizes (only membership is asked). It keeps its own content: FTS5 can only
-- overwrite a deleted row's terms in place (secure-delete, as search_fts) when it can read what
-- they were — a contentless table with deletes would leave them in its pages until a merge.
CREATE VIRTUAL TABLE search_lead USING fts5(terms, detail = none, columnsize = 0, tokenize = 'unicode61 remove_diacritics 2');
INSERT INTO search_lead (search_lead, rank) VALUES ('secure-delete', 1);
-- how many documents each level token is in, to choose the level a query starts from
CREATE VIRTUAL TABLE search_lead_vocab USING fts5vocab(search_lead, 'row');
-- a document's length in tokens (bm25's D): the shortest one bounds what a document outside the
-- candidates can score. NULL in rows of an earlier format, which are refilled once (INDEX_FORMAT 3).
ALTER TABLE search_docs ADD COLUMN length INTEGER;
CREATE INDEX search_docs_length ON search_docs (length);
