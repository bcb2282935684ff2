-- 017: files kept with memories (attachment.add). Three tables inside the page-encrypted database,
-- so adding a file commits with its row, and erasing one goes through the store's secure_delete
-- and WAL checkpoint like every other erasure (no loose files to find and shred).
--
-- attachment_blobs: one encrypted copy of a file's bytes per space. `dedupe_key` is a keyed hash
-- (HMAC-SHA256 under a per-space key derived from the vault key) of the file's SHA-256: the same
-- bytes added twice in a space are stored once, and the column cannot be matched against a known
-- file, nor across spaces. `header` is the secretstream header; `complete` is 0 while the chunks
-- are still being written (a blob left incomplete by a crash is swept, its key never stored).
CREATE TABLE attachment_blobs (
  blob_id TEXT PRIMARY KEY, space_id TEXT NOT NULL, dedupe_key BLOB NOT NULL, header BLOB NOT NULL,
  chunk_size INTEGER NOT NULL, chunks INTEGER NOT NULL DEFAULT 0, size INTEGER NOT NULL DEFAULT 0,
  complete INTEGER NOT NULL DEFAULT 0 CHECK (complete IN (0, 1)), created_at INTEGER NOT NULL
);
CREATE INDEX attachment_blobs_dedupe ON attachment_blobs (space_id, dedupe_key);
-- the sealed chunks, in order; a rowid table (chunks are up to 512 KiB: SQLite keeps large rows
-- better in a rowid table than in a WITHOUT ROWID b-tree)
CREATE TABLE attachment_chunks (blob_id TEXT NOT NULL, seq INTEGER NOT NULL, ct BLOB NOT NULL);
CREATE UNIQUE INDEX attachment_chunks_order ON attachment_chunks (blob_id, seq);
-- attachments: a file of a memory. Name, type, size, SHA-256 and the blob's key are sealed
-- together under the memory's own key (nonce, ct), so the memory's band decides who opens it.
CREATE TABLE attachments (
  attachment_id TEXT PRIMARY KEY, memory_id TEXT NOT NULL, space_id TEXT NOT NULL, blob_id TEXT NOT NULL,
  created_at INTEGER NOT NULL, nonce BLOB NOT NULL, ct BLOB NOT NULL
);
CREATE INDEX attachments_memory ON attachments (memory_id, created_at);
CREATE INDEX attachments_blob ON attachments (blob_id);
