-- 021: FTS5 merges the search index's segments between calls (SearchIndex.mergeSegments, on the
-- scheduler's tick), not inside the commit of a memory.create: with the default automerge, a
-- create every few dozen paid 15–55 ms of merging, for each table. crisismerge (16 segments on a
-- level) still bounds a burst of writes with no tick between them. A persistent option of each
-- table, like secure-delete (012, 019).
INSERT INTO search_fts (search_fts, rank) VALUES ('automerge', 0);
INSERT INTO search_lead (search_lead, rank) VALUES ('automerge', 0);
