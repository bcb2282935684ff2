-- 003: erasure and compaction across peers.
-- a purged entry (erased memory, or compacted into a snapshot) keeps its header and signature;
-- its ciphertext is gone and the hash it was signed over is kept, so seq stays gap-free and the
-- signature still verifies everywhere
ALTER TABLE sync_log ADD COLUMN purged_sha256 TEXT;
-- memories erased in a space (TOMBSTONE_PROPAGATE): entries that arrive later are purged on arrival
CREATE TABLE tombstones (space_id TEXT NOT NULL, memory_id TEXT NOT NULL, erased_at INTEGER NOT NULL, PRIMARY KEY (space_id, memory_id));
-- the device-only log shares the entry shape (it is never purged by sync, but is read the same way)
ALTER TABLE local_log ADD COLUMN purged_sha256 TEXT;
