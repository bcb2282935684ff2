-- 015: what the scheduler asks every second — the trash past its retention, working memories past
-- their expiry — answered from small partial indexes instead of a scan of every memory (at 100k
-- memories a scan read the whole encrypted table, twice a tick, and starved every other call).
CREATE INDEX memories_trashed ON memories (deleted_at) WHERE deleted_at IS NOT NULL;
CREATE INDEX memories_expiring ON memories (expires_at) WHERE expires_at IS NOT NULL AND deleted_at IS NULL;
