-- 001: the first schema. Content columns are always AEAD ciphertext; see README "What is stored in plaintext".
CREATE TABLE vault (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  kdf_salt BLOB NOT NULL, kdf_ops INTEGER NOT NULL, kdf_mem INTEGER NOT NULL,
  pass_nonce BLOB NOT NULL, pass_ct BLOB NOT NULL,
  rec_nonce BLOB NOT NULL, rec_ct BLOB NOT NULL,
  device_id TEXT NOT NULL, member_id TEXT NOT NULL, created_at INTEGER NOT NULL
);
-- private keys and device-local keys, each wrapped by the vault master key
CREATE TABLE secrets (key_id TEXT PRIMARY KEY, nonce BLOB NOT NULL, ciphertext BLOB NOT NULL);
CREATE TABLE members (
  member_id TEXT PRIMARY KEY, ed25519_pub BLOB NOT NULL, x25519_pub BLOB NOT NULL,
  name_nonce BLOB NOT NULL, name_ct BLOB NOT NULL, local INTEGER NOT NULL, created_at INTEGER NOT NULL
);
CREATE TABLE devices (
  device_id TEXT PRIMARY KEY, member_id TEXT NOT NULL, platform TEXT NOT NULL,
  ed25519_pub BLOB NOT NULL, x25519_pub BLOB NOT NULL, local INTEGER NOT NULL, created_at INTEGER NOT NULL
);
CREATE TABLE spaces (
  space_id TEXT PRIMARY KEY, kind TEXT NOT NULL, epoch INTEGER NOT NULL,
  name_nonce BLOB NOT NULL, name_ct BLOB NOT NULL, created_by TEXT NOT NULL, created_at INTEGER NOT NULL
);
CREATE TABLE space_members (
  space_id TEXT NOT NULL, member_id TEXT NOT NULL, role TEXT NOT NULL, added_at INTEGER NOT NULL,
  PRIMARY KEY (space_id, member_id)
);
-- each epoch key sealed (crypto_box_seal) to each member's X25519 key
CREATE TABLE epoch_seals (
  space_id TEXT NOT NULL, epoch INTEGER NOT NULL, member_id TEXT NOT NULL, sealed BLOB NOT NULL,
  PRIMARY KEY (space_id, epoch, member_id)
);
-- the replicated truth: encrypted, signed Yjs updates, gap-free seq per (space, author device)
CREATE TABLE sync_log (
  id INTEGER PRIMARY KEY,
  space_id TEXT NOT NULL, doc_id TEXT NOT NULL, author_device TEXT NOT NULL, seq INTEGER NOT NULL,
  key_id TEXT NOT NULL, nonce BLOB NOT NULL, ciphertext BLOB NOT NULL, signature BLOB NOT NULL,
  UNIQUE (space_id, author_device, seq)
);
CREATE INDEX sync_log_doc ON sync_log (space_id, doc_id, id);
-- BLACK memories: the same entries, never part of any sync log
CREATE TABLE local_log (
  id INTEGER PRIMARY KEY,
  space_id TEXT NOT NULL, doc_id TEXT NOT NULL, author_device TEXT NOT NULL, seq INTEGER NOT NULL,
  key_id TEXT NOT NULL, nonce BLOB NOT NULL, ciphertext BLOB NOT NULL, signature BLOB NOT NULL,
  UNIQUE (space_id, author_device, seq)
);
CREATE INDEX local_log_doc ON local_log (space_id, doc_id, id);
-- encrypted read model, derived from the logs
CREATE TABLE memories (
  memory_id TEXT PRIMARY KEY, space_id TEXT NOT NULL, band TEXT NOT NULL, type TEXT NOT NULL,
  author TEXT NOT NULL, origin_device TEXT NOT NULL,
  created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL, deleted_at INTEGER, expires_at INTEGER,
  version INTEGER NOT NULL,
  meta_key_id TEXT NOT NULL, meta_nonce BLOB NOT NULL, meta_ct BLOB NOT NULL,
  key_id TEXT NOT NULL, nonce BLOB NOT NULL, ciphertext BLOB NOT NULL,
  state_nonce BLOB NOT NULL, state_ct BLOB NOT NULL
);
CREATE INDEX memories_space ON memories (space_id, updated_at DESC);
CREATE TABLE pending_actions (
  action_id TEXT PRIMARY KEY, kind TEXT NOT NULL, space_id TEXT NOT NULL, memory_id TEXT,
  actor TEXT NOT NULL, args TEXT NOT NULL, created_at INTEGER NOT NULL, commit_at INTEGER NOT NULL,
  status TEXT NOT NULL, finished_at INTEGER
);
CREATE INDEX pending_due ON pending_actions (status, commit_at);
CREATE TABLE events (id TEXT PRIMARY KEY, topic TEXT NOT NULL, space_id TEXT, envelope TEXT NOT NULL);
CREATE TABLE audit_chain (
  seq INTEGER PRIMARY KEY, event_id TEXT NOT NULL UNIQUE, prev_event_id TEXT,
  envelope_sha256 TEXT NOT NULL, envelope TEXT NOT NULL
);
CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);
