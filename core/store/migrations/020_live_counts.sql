-- 020: how many live memories a space holds (space.list's memory_count, asked after every sync
-- batch and space event) answered from a small partial index instead of reading every row of
-- the space in the encrypted table: ~245 ms per space.list at 100k memories, linear in size.
-- deleted_at (NULL in every entry) is a column of it so that the count reads the index alone.
CREATE INDEX memories_live ON memories (space_id, deleted_at) WHERE deleted_at IS NULL;
