-- 018: the source items an import brought into a space (import.run), so running the same import
-- again skips them. `source_key` is a keyed hash (HMAC-SHA256 under a key derived from the vault
-- key, over the space id and the reader's SHA-256 of the source item): without the vault key the
-- table cannot be matched against a public file to learn what was imported. The memory it became
-- is kept so an item whose memory was erased since is imported again.
CREATE TABLE import_sources (
  space_id TEXT NOT NULL, source_key BLOB NOT NULL, memory_id TEXT NOT NULL, imported_at INTEGER NOT NULL,
  PRIMARY KEY (space_id, source_key)
) WITHOUT ROWID;
CREATE INDEX import_sources_memory ON import_sources (memory_id);
-- The process running a job: another process opening the same data directory (a one-shot CLI
-- call beside a long import) leaves a job whose runner is still alive alone, instead of failing it
-- as interrupted.
ALTER TABLE jobs ADD COLUMN runner_pid INTEGER;
