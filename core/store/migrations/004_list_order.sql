-- 004: memory.list walks newest first; these indexes let it stop after one page instead of
-- sorting every row (≈1 s at 100k memories).
DROP INDEX memories_space;
CREATE INDEX memories_space ON memories (space_id, updated_at DESC, memory_id DESC);
CREATE INDEX memories_updated ON memories (updated_at DESC, memory_id DESC);
